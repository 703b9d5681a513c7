//! One HTTP request to ARM, with a bearer token, retries, the operation's deadline and cancellation.
//!
//! Every logical operation (a GET, a PUT with its polling, ...) is an [`Operation`]: it carries one
//! `x-ms-correlation-request-id` (uuid v4) sent on each of its requests and logged, its deadline, its cancellation
//! token, and whether the service has (or may have) accepted the write. Logs name method, URL (query values other
//! than `api-version` elided), status, correlation id and timings; never a header value or a body.

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::auth::TokenProvider;
use crate::error::{ArmError, ArmErrorKind, ConfigError, ServiceError, UnreachableCause};
use crate::retry::{RetryPolicy, retry_after};

pub(crate) const CORRELATION_HEADER: &str = "x-ms-correlation-request-id";

/// True for `localhost`, `*.localhost`, 127.0.0.0/8 and ::1. RFC 6761 §6.3 reserves `localhost.` and every name
/// under it for the loopback interface, so `emulator.localhost` is as local as `localhost`.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Whether a bearer token may be sent to `url`: `https://`, or `http://` to a loopback host only.
pub fn check_endpoint_security(url: &Url) -> Result<(), String> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_host(url) => Ok(()),
        "http" => Err(format!(
            "http:// is only allowed for loopback hosts (localhost, *.localhost, 127.0.0.0/8, ::1), not `{}`; use \
             https:// so the bearer token is never sent unencrypted",
            url.host_str().unwrap_or_default()
        )),
        other => Err(format!("unsupported scheme `{other}`")),
    }
}

/// Parses and vets the ARM base URL: the one definition of which endpoints may receive a bearer token. Called from
/// `ArmClient::new`, before any connection exists, and by the provider's validation of `resource_manager_endpoint`.
pub fn parse_base_url(raw: &str) -> Result<Url, ConfigError> {
    let url =
        Url::parse(raw).map_err(|e| ConfigError::InvalidEndpoint { url: raw.to_string(), reason: e.to_string() })?;
    check_endpoint_security(&url).map_err(|reason| ConfigError::InsecureEndpoint { url: raw.to_string(), reason })?;
    if url.host().is_none() {
        return Err(ConfigError::InvalidEndpoint { url: raw.to_string(), reason: "no host".into() });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::InvalidEndpoint {
            url: raw.to_string(),
            reason: "must not have a query or fragment".into(),
        });
    }
    Ok(url)
}

/// A URL for logs: scheme, host, path and `api-version`; other query values are elided (skip tokens, signatures).
pub(crate) fn loggable_url(url: &Url) -> String {
    let mut out = format!("{}{}", url.origin().ascii_serialization(), url.path());
    let pairs: Vec<String> = url
        .query_pairs()
        .map(|(k, v)| if k == "api-version" { format!("{k}={v}") } else { format!("{k}=…") })
        .collect();
    if !pairs.is_empty() {
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

/// The per-operation state: correlation id, deadline, cancellation and acceptance.
#[derive(Debug)]
pub(crate) struct Operation {
    pub correlation_id: String,
    pub deadline: Instant,
    pub cancel: CancellationToken,
    /// The service has (or may have) accepted the PUT/DELETE.
    pub accepted: bool,
    /// The last retried failure, for the timeout message.
    pub last_error: Option<String>,
    /// The long-running operation Azure accepted, reported while it runs.
    pub running: Option<crate::progress::RunningOperation>,
}

impl Operation {
    pub fn new(deadline: Instant, cancel: CancellationToken) -> Operation {
        Operation {
            correlation_id: uuid::Uuid::new_v4().to_string(),
            deadline,
            cancel,
            accepted: false,
            last_error: None,
            running: None,
        }
    }

    /// Azure accepted the write `what` and runs it: says so (INFO), and from then on while it runs.
    pub fn accepted_long_running(&mut self, what: String, status: u16) {
        self.accepted = true;
        self.running = Some(crate::progress::RunningOperation::accepted(what, &self.correlation_id, status));
    }

    /// A poll found the accepted operation still running.
    pub fn still_running(&mut self) {
        if let Some(running) = &mut self.running {
            running.still_running();
        }
    }

    /// An error of this operation: its correlation id and whether the write was accepted.
    pub fn error(&self, kind: ArmErrorKind) -> ArmError {
        ArmError::new(kind, self.correlation_id.clone(), self.accepted)
    }

    pub fn cancelled(&self) -> ArmError {
        self.error(ArmErrorKind::Cancelled)
    }

    pub fn timed_out(&self) -> ArmError {
        self.error(ArmErrorKind::DeadlineExceeded { last_error: self.last_error.clone() })
    }

    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Runs `fut` unless the operation is cancelled or its deadline passes first.
    pub async fn guard<T>(&self, fut: impl Future<Output = Result<T, ArmError>>) -> Result<T, ArmError> {
        if self.cancel.is_cancelled() {
            return Err(self.cancelled());
        }
        let deadline = tokio::time::Instant::from_std(self.deadline);
        tokio::select! {
            biased;
            _ = self.cancel.cancelled() => Err(self.cancelled()),
            _ = tokio::time::sleep_until(deadline) => Err(self.timed_out()),
            r = fut => r,
        }
    }

    /// Waits `delay`, or fails at once when the wait would end past the deadline (nothing useful can follow).
    pub async fn sleep(&self, delay: Duration) -> Result<(), ArmError> {
        if delay >= self.remaining() {
            return Err(self.timed_out());
        }
        self.guard(async {
            tokio::time::sleep(delay).await;
            Ok(())
        })
        .await
    }
}

/// An HTTP answer, body read in full.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
    }

    /// Turns an error answer into the typed error.
    pub fn into_error(self, op: &Operation) -> ArmError {
        let e = ServiceError::from_body(self.status.as_u16(), &self.body);
        op.error(ArmErrorKind::Service {
            status: self.status.as_u16(),
            code: e.code,
            message: e.message,
            details: e.details,
        })
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self, what: &str, op: &Operation) -> Result<T, ArmError> {
        serde_json::from_slice(&self.body)
            .map_err(|e| op.error(ArmErrorKind::Decode { what: what.to_string(), message: e.to_string() }))
    }
}

/// Whether a request changes state: a dropped PUT/DELETE may have been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Intent {
    Read,
    Write,
}

/// The HTTP side of the client: a reqwest client, the ARM base, the token provider.
pub(crate) struct Transport {
    http: reqwest::Client,
    base: Url,
    tokens: TokenProvider,
    user_agent: HeaderValue,
    policy: RetryPolicy,
}

impl Transport {
    pub fn new(
        http: reqwest::Client,
        base: Url,
        tokens: TokenProvider,
        user_agent: &str,
        policy: RetryPolicy,
    ) -> Result<Transport, ConfigError> {
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|e| ConfigError::HttpClient(format!("invalid user agent `{user_agent}`: {e}")))?;
        Ok(Transport { http, base, tokens, user_agent, policy })
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// Builds a URL under the ARM base: `{base}{path}?api-version=...`.
    pub fn arm_url(&self, path: &str, api_version: &str) -> Url {
        let mut url = self.base.clone();
        let joined = format!("{}{}", self.base.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        url.query_pairs_mut().append_pair("api-version", api_version);
        url
    }

    /// Vets a URL the service handed us (poll URL, next page): same origin as the ARM base, so the bearer token
    /// never goes to another host or over plain HTTP.
    pub fn vet_service_url(&self, raw: &str) -> Result<Url, ArmError> {
        let url = Url::parse(raw).map_err(|e| ArmErrorKind::InsecureEndpoint {
            url: raw.to_string(),
            reason: format!("not an absolute URL: {e}"),
        })?;
        check_endpoint_security(&url)
            .map_err(|reason| ArmErrorKind::InsecureEndpoint { url: loggable_url(&url), reason })?;
        if url.origin() != self.base.origin() {
            return Err(ArmErrorKind::InsecureEndpoint {
                url: loggable_url(&url),
                reason: format!("it is not on the ARM endpoint {}", self.base.origin().ascii_serialization()),
            }
            .into());
        }
        Ok(url)
    }

    /// Sends one request with extra `headers` (preconditions such as `If-Match`), retrying throttling, transient failures and `RequestConflict` within the deadline.
    /// Answers that are not retried (success or not) are returned as they are.
    pub async fn send(
        &self,
        op: &mut Operation,
        method: Method,
        url: &Url,
        body: Option<&[u8]>,
        intent: Intent,
        headers: &[(&str, &str)],
    ) -> Result<Response, ArmError> {
        let mut attempt: u32 = 0;
        // When the current run of unreachable-endpoint failures began.
        let mut unreachable_since: Option<Instant> = None;
        loop {
            let started = Instant::now();
            let sent = AtomicBool::new(false);
            let guarded =
                op.guard(async { Ok(self.attempt(op, method.clone(), url, body, headers, &sent).await) }).await;
            let outcome = match guarded {
                Ok(outcome) => outcome,
                Err(stopped) => {
                    // The deadline or Ctrl-C struck while the request was out: the service may have applied it.
                    if intent == Intent::Write && sent.load(Ordering::Relaxed) {
                        op.accepted = true;
                    }
                    return Err(stopped);
                }
            };
            let elapsed_ms = started.elapsed().as_millis() as u64;
            if !matches!(outcome, Err(AttemptError::Unreachable { .. })) {
                unreachable_since = None;
            }
            let mut budget_left: Option<Duration> = None;
            let hint = match outcome {
                Ok(response) => {
                    let status = response.status.as_u16();
                    tracing::debug!(
                        method = %method, url = %loggable_url(url), status, elapsed_ms, attempt,
                        correlation_id = %op.correlation_id, "ARM request"
                    );
                    let code =
                        if status >= 400 { Some(ServiceError::from_body(status, &response.body).code) } else { None };
                    if !self.policy.is_retryable_status(status, code.as_deref()) {
                        return Ok(response);
                    }
                    let hint = retry_after(&response.headers, SystemTime::now());
                    op.last_error = Some(format!("HTTP {status} {}", code.unwrap_or_default()));
                    hint
                }
                Err(AttemptError::Fatal(e)) => return Err(e),
                Err(AttemptError::Unreachable { cause, message }) => {
                    tracing::debug!(
                        method = %method, url = %loggable_url(url), elapsed_ms, attempt,
                        correlation_id = %op.correlation_id, %cause, error = %message, "ARM endpoint unreachable"
                    );
                    let since = *unreachable_since.get_or_insert_with(Instant::now);
                    let left = self.policy.unreachable_budget.saturating_sub(since.elapsed());
                    if left.is_zero() {
                        let endpoint = url.origin().ascii_serialization();
                        return Err(op.error(ArmErrorKind::Unreachable { endpoint, cause, message }));
                    }
                    op.last_error = Some(message);
                    budget_left = Some(left);
                    None
                }
                Err(AttemptError::Retryable { message, reached_server }) => {
                    tracing::debug!(
                        method = %method, url = %loggable_url(url), elapsed_ms, attempt,
                        correlation_id = %op.correlation_id, error = %message, "ARM request failed"
                    );
                    if reached_server && intent == Intent::Write {
                        // The write may have been applied before the connection broke.
                        op.accepted = true;
                    }
                    op.last_error = Some(message);
                    None
                }
            };
            let mut delay = self.policy.delay(attempt, hint);
            if let Some(left) = budget_left {
                // Make one more attempt at the end of the budget rather than sleeping past it.
                delay = delay.min(left);
            }
            tracing::debug!(
                correlation_id = %op.correlation_id, delay_ms = delay.as_millis() as u64, attempt,
                last_error = op.last_error.as_deref().unwrap_or(""), "retrying ARM request"
            );
            op.sleep(delay).await?;
            attempt = attempt.saturating_add(1);
        }
    }

    async fn attempt(
        &self,
        op: &Operation,
        method: Method,
        url: &Url,
        body: Option<&[u8]>,
        headers: &[(&str, &str)],
        sent: &AtomicBool,
    ) -> Result<Response, AttemptError> {
        let token = self.tokens.token().await.map_err(|e| AttemptError::Fatal(op.error(ArmErrorKind::Auth(e))))?;
        let mut bearer = HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
            AttemptError::Fatal(op.error(ArmErrorKind::Auth(crate::auth::AuthError::Credential {
                credential: self.tokens.kind().name(),
                message: "the token contains characters not allowed in an HTTP header".into(),
            })))
        })?;
        // Keeps the value out of hyper's/h2's debug output and out of HPACK tables.
        bearer.set_sensitive(true);
        let timeout = self.policy.request_timeout.min(op.remaining().max(Duration::from_millis(1)));
        let mut request = self
            .http
            .request(method, url.clone())
            .timeout(timeout)
            .header(header::AUTHORIZATION, bearer)
            .header(header::USER_AGENT, self.user_agent.clone())
            .header(header::ACCEPT, "application/json")
            .header(CORRELATION_HEADER, op.correlation_id.as_str())
            .header("x-ms-client-request-id", uuid::Uuid::new_v4().to_string());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.header(header::CONTENT_TYPE, "application/json").body(body.to_vec());
        }
        sent.store(true, Ordering::Relaxed);
        let response = request.send().await.map_err(AttemptError::from_reqwest)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(AttemptError::from_reqwest)?.to_vec();
        Ok(Response { status, headers, body })
    }
}

enum AttemptError {
    Fatal(ArmError),
    /// The connection could not be made and retrying for long will not help.
    Unreachable {
        cause: UnreachableCause,
        message: String,
    },
    /// No usable answer. `reached_server` is false only when the connection was never established.
    Retryable {
        message: String,
        reached_server: bool,
    },
}

impl AttemptError {
    fn from_reqwest(e: reqwest::Error) -> AttemptError {
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else if e.is_body() || e.is_decode() {
            "the answer was cut off"
        } else {
            "the connection failed"
        };
        // reqwest's Display names the URL; ours carries no secrets (tokens travel in headers only).
        let mut message = format!("{kind}: {e}");
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(&format!(": {s}"));
            source = s.source();
        }
        if e.is_connect()
            && !e.is_timeout()
            && let Some(cause) = unreachable_cause(&e)
        {
            return AttemptError::Unreachable { cause, message };
        }
        AttemptError::Retryable { message, reached_server: !e.is_connect() }
    }
}

/// Classifies a connect-time failure that retrying for minutes will not fix. `None` for the rest (timeouts,
/// unreachable networks, resets), which keep the normal retry policy.
fn unreachable_cause(e: &(dyn std::error::Error + 'static)) -> Option<UnreachableCause> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut text = String::new();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return Some(UnreachableCause::ConnectionRefused);
        }
        text.push_str(&s.to_string().to_ascii_lowercase());
        text.push('\n');
        source = s.source();
    }
    // hyper-util and rustls expose these only as messages (their error types are not public API).
    if text.contains("dns error")
        || text.contains("failed to lookup address")
        || text.contains("name or service not known")
    {
        Some(UnreachableCause::Dns)
    } else if text.contains("certificate") || text.contains("tls") || text.contains("handshake") {
        Some(UnreachableCause::Tls)
    } else if text.contains("connection refused") {
        Some(UnreachableCause::ConnectionRefused)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn loopback_hosts() {
        for ok in [
            "http://localhost:1",
            "http://LOCALHOST./",
            "http://arm.localhost",
            "http://127.0.0.1",
            "http://127.9.9.9:80",
            "http://[::1]:8080",
        ] {
            assert!(is_loopback_host(&url(ok)), "{ok}");
        }
        for no in [
            "http://10.0.0.1",
            "http://localhost.example.com",
            "http://[::2]",
            "http://management.azure.com",
            "http://0.0.0.0",
        ] {
            assert!(!is_loopback_host(&url(no)), "{no}");
        }
    }

    #[test]
    fn endpoint_security() {
        assert!(check_endpoint_security(&url("https://management.azure.com")).is_ok());
        assert!(check_endpoint_security(&url("http://127.0.0.1:8080")).is_ok());
        let e = check_endpoint_security(&url("http://management.azure.com")).unwrap_err();
        assert!(e.contains("only allowed for loopback"), "{e}");
        assert!(check_endpoint_security(&url("ftp://localhost")).is_err());
        assert!(matches!(parse_base_url("http://example.com"), Err(ConfigError::InsecureEndpoint { .. })));
        assert!(matches!(parse_base_url("not a url"), Err(ConfigError::InvalidEndpoint { .. })));
        assert!(matches!(parse_base_url("https://x/?a=b"), Err(ConfigError::InvalidEndpoint { .. })));
    }

    /// RFC 6761: every name under `localhost.` is loopback; a name that merely starts with "localhost" is not.
    #[test]
    fn plain_http_to_a_localhost_subdomain_is_allowed_and_to_a_lookalike_is_not() {
        for ok in ["http://emulator.localhost:8080", "http://a.b.localhost/", "http://EMULATOR.LOCALHOST.:9"] {
            assert!(parse_base_url(ok).is_ok(), "{ok}");
        }
        for bad in ["http://localhost.evil.example", "http://evil-localhost", "http://localhostx:80"] {
            let error = parse_base_url(bad).unwrap_err();
            assert!(matches!(error, ConfigError::InsecureEndpoint { .. }), "{bad}: {error}");
            let message = error.to_string();
            assert!(message.contains("*.localhost") && message.contains("use https://"), "{message}");
        }
    }

    #[test]
    fn loggable_url_elides_query_values_but_api_version() {
        let u = url(
            "https://management.azure.com/subscriptions/s/x?api-version=2025-10-01-preview&$skiptoken=SECRET&sig=abc",
        );
        let shown = loggable_url(&u);
        assert_eq!(
            shown,
            "https://management.azure.com/subscriptions/s/x?api-version=2025-10-01-preview&$skiptoken=…&sig=…"
        );
        assert!(!shown.contains("SECRET"));
    }

    #[tokio::test]
    async fn operation_sleep_respects_deadline_and_cancel() {
        let cancel = CancellationToken::new();
        let op = Operation::new(Instant::now() + Duration::from_millis(200), cancel.clone());
        let started = Instant::now();
        assert!(matches!(
            op.sleep(Duration::from_secs(5)).await,
            Err(ArmError { kind: ArmErrorKind::DeadlineExceeded { .. }, .. })
        ));
        assert!(started.elapsed() < Duration::from_millis(50), "fails at once when the wait cannot fit");
        op.sleep(Duration::from_millis(10)).await.unwrap();
        let mut op = Operation::new(Instant::now() + Duration::from_secs(60), cancel.clone());
        op.accepted = true;
        let canceller = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            canceller.cancel();
        });
        let started = Instant::now();
        assert!(matches!(
            op.sleep(Duration::from_secs(30)).await,
            Err(ArmError { kind: ArmErrorKind::Cancelled, accepted: true, .. })
        ));
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_ne!(Operation::new(Instant::now(), cancel.clone()).correlation_id, op.correlation_id);
    }
}
