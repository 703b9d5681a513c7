//! `ArmClient`: the deployments API with locks, long-running operations, retries and cancellation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use url::Url;

use crate::api_version::ApiVersion;
use crate::auth::{AuthSettings, TokenProvider, token_scope};
use crate::error::{ArmError, ArmErrorKind, ConfigError};
use crate::id::{AccountId, DeploymentId};
use crate::locks::AccountLocks;
use crate::lro::{self, PollTarget, State, classify_state};
use crate::model::{Account, DEPLOYMENT_PAUSED, Deployment};
use crate::retry::RetryPolicy;
use crate::transport::{Intent, Operation, Response, Transport, is_loopback_host, parse_base_url};
use crate::write::{Precondition, WriteBody};

mod deployment_list;
mod reads;
mod validate;

pub use crate::api_version::{DEFAULT_API_VERSION, FIRST_GA_WITH_ROUTING};
pub use reads::normalize_location;
pub use validate::{
    DEPLOYMENT_RESOURCE_TYPE, Refusal, VALIDATE_API_VERSION, Validation, template_name, validation_request,
};
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How a PUT's operation ended: with Azure's read of the deployment in hand (the resource poll), or with the URL to
/// read it back from once the account's lock is released.
enum Written {
    Read(Box<Deployment>),
    ReadBackAt(Url),
}

/// A list longer than this many pages is a service loop, not data.
const MAX_PAGES: usize = 10_000;

/// `terraform-provider-modelrouter/<provider version> modelrouter-arm/<crate version>`.
pub fn default_user_agent(provider_version: &str) -> String {
    format!("terraform-provider-modelrouter/{provider_version} modelrouter-arm/{}", env!("CARGO_PKG_VERSION"))
}

/// Everything `ArmClient::new` needs. `settings` should already have had
/// [`AuthSettings::with_env_fallbacks`] applied; the client itself reads no environment variable.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub settings: AuthSettings,
    /// The api-version of every call; `None`: [`DEFAULT_API_VERSION`], with a fallback where a cloud lacks it.
    pub api_version: Option<String>,
    pub user_agent: String,
    pub retry: RetryPolicy,
}

impl ClientConfig {
    pub fn new(settings: AuthSettings) -> ClientConfig {
        ClientConfig {
            settings,
            api_version: None,
            user_agent: default_user_agent(env!("CARGO_PKG_VERSION")),
            retry: RetryPolicy::default(),
        }
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig::new(AuthSettings::default())
    }
}

/// The two API keys of an account (`listKeys`). Secrets: `Debug` shows neither.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
pub struct AccountKeys {
    pub key1: String,
    pub key2: String,
}

impl std::fmt::Debug for AccountKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountKeys").field("key1", &"<redacted>").field("key2", &"<redacted>").finish()
    }
}

/// The ARM client. Cheap to clone; clones share locks, caches and the cancellation token.
#[derive(Clone)]
pub struct ArmClient {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    api_version: ApiVersion,
    locks: AccountLocks,
    cancel: CancellationToken,
    /// One cell per account: concurrent first reads of an account share one GET (Terraform refreshes ten
    /// resources at a time); a failed read leaves the cell empty so a later call tries again.
    accounts: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Account>>>>,
    /// The models and usages lists (see [`reads`]).
    reads: reads::ReadCache,
    /// The deployments lists behind [`ArmClient::read_deployment`] (see [`deployment_list`]).
    deployment_lists: deployment_list::DeploymentLists,
    /// The credential chain as the settings configured it, for "no usable credential" errors.
    credentials_tried: Vec<crate::auth::CredentialTried>,
}

impl std::fmt::Debug for ArmClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArmClient")
            .field("endpoint", &self.inner.transport.base().as_str())
            .field("api_version", &self.inner.api_version.current())
            .finish_non_exhaustive()
    }
}

fn load_extra_roots(path: &str) -> Result<Vec<reqwest::Certificate>, ConfigError> {
    let err = |reason: String| ConfigError::CaCertificates { path: path.to_string(), reason };
    let pem = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| err(e.to_string()))?;
    if certs.is_empty() {
        return Err(err("no PEM certificate in the file".into()));
    }
    Ok(certs)
}

impl ArmClient {
    /// Builds the client. Refuses `http://` to a non-loopback host (and any other insecure endpoint) here,
    /// before any connection is attempted. Performs no network I/O.
    pub fn new(config: ClientConfig) -> Result<ArmClient, ConfigError> {
        let settings = &config.settings;
        let endpoint = settings.arm_endpoint()?;
        let base = parse_base_url(&endpoint)?;
        let mut builder =
            reqwest::Client::builder().user_agent(config.user_agent.clone()).connect_timeout(CONNECT_TIMEOUT);
        if let Some(path) = &settings.ca_cert_file {
            builder = builder.tls_certs_merge(load_extra_roots(path)?);
        }
        if is_loopback_host(&base) {
            // A system proxy must not intercept a local endpoint (emulator, tests).
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| ConfigError::HttpClient(e.to_string()))?;
        let scope = token_scope(endpoint.trim_end_matches('/'));
        let tokens = TokenProvider::new(settings, scope, http.clone())?;
        let api_version = ApiVersion::new(config.api_version);
        tracing::debug!(endpoint = %base, credential = tokens.kind().name(), api_version = %api_version.current(), "ARM client configured");
        let transport = Transport::new(http, base, tokens, &config.user_agent, config.retry.clone())?;
        Ok(ArmClient {
            inner: Arc::new(Inner {
                transport,
                api_version,
                locks: AccountLocks::default(),
                cancel: CancellationToken::new(),
                accounts: Mutex::new(HashMap::new()),
                reads: reads::ReadCache::default(),
                deployment_lists: deployment_list::DeploymentLists::default(),
                credentials_tried: settings.credentials_tried(),
            }),
        })
    }

    /// Stop: every wait and poll, now and later, returns [`ArmErrorKind::Cancelled`] promptly.
    pub fn cancel(&self) {
        self.inner.cancel.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.cancel.is_cancelled()
    }

    /// The credential chain in order, which one was selected and what would enable the others (no secrets).
    pub fn credentials_tried(&self) -> &[crate::auth::CredentialTried] {
        &self.inner.credentials_tried
    }

    /// The api-version requests use now (the default's fallback, once Azure refused it, included).
    pub fn api_version(&self) -> String {
        self.inner.api_version.current()
    }

    fn operation(&self, deadline: Instant) -> Operation {
        Operation::new(deadline, self.inner.cancel.clone())
    }

    /// Sends one request under the ARM base with the client's api-version. When Azure refuses that version and the
    /// client is not pinned, retries once with the version it falls back to. Returns the answer and the URL that
    /// produced it (long-running operations poll it).
    async fn request(
        &self,
        op: &mut Operation,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
        intent: Intent,
        precondition: Option<&Precondition>,
    ) -> Result<(Response, Url), ArmError> {
        let headers: Vec<(&str, &str)> = precondition.and_then(Precondition::header).into_iter().collect();
        let version = self.inner.api_version.current();
        let url = self.inner.transport.arm_url(path, &version);
        let response = self.inner.transport.send(op, method.clone(), &url, body, intent, &headers).await?;
        if response.status != StatusCode::BAD_REQUEST {
            return Ok((response, url));
        }
        let refusal = crate::error::ServiceError::from_body(400, &response.body);
        let Some(fallback) = self.inner.api_version.fall_back(&version, &refusal.code, &refusal.message) else {
            return Ok((response, url));
        };
        let url = self.inner.transport.arm_url(path, &fallback);
        let response = self.inner.transport.send(op, method, &url, body, intent, &headers).await?;
        Ok((response, url))
    }

    /// GET a deployment; `None` when it does not exist.
    pub async fn get_deployment(&self, id: &DeploymentId, deadline: Instant) -> Result<Option<Deployment>, ArmError> {
        let mut op = self.operation(deadline);
        let span = tracing::debug_span!("arm_get_deployment", id = %id, correlation_id = %op.correlation_id);
        async {
            let (response, _) = self.request(&mut op, Method::GET, &id.to_string(), None, Intent::Read, None).await?;
            match response.status {
                StatusCode::OK => Ok(Some(response.json("the deployment", &op)?)),
                StatusCode::NOT_FOUND => Ok(None),
                _ => Err(response.into_error(&op)),
            }
        }
        .instrument(span)
        .await
    }

    /// Creates or replaces a deployment with no precondition (its writable fields only); see
    /// [`ArmClient::write_deployment`].
    pub async fn put_deployment(
        &self,
        id: &DeploymentId,
        body: &Deployment,
        deadline: Instant,
    ) -> Result<Deployment, ArmError> {
        self.write_deployment(id, &WriteBody::unconditional(body), deadline).await
    }

    /// PUTs a deployment under its precondition and waits until the operation is terminal. Returns the deployment
    /// as a final GET reads it. Holds the account's write lock for the PUT and its polling only (re-entrant inside
    /// `with_account_lock`). A precondition Azure finds broken is a `412` error ([`ArmError::is_precondition_failed`]).
    pub async fn write_deployment(
        &self,
        id: &DeploymentId,
        body: &WriteBody,
        deadline: Instant,
    ) -> Result<Deployment, ArmError> {
        let mut op = self.operation(deadline);
        let span = tracing::debug_span!("arm_put_deployment", id = %id, correlation_id = %op.correlation_id);
        let result = async {
            // The account's lock covers what Azure serialises, the PUT and its polling; the read-back runs after it.
            let written = {
                let _lock = op.guard(async { Ok(self.inner.locks.acquire(&id.account.lock_key()).await) }).await?;
                self.put_locked(&mut op, id, body).await?
            };
            match written {
                Written::Read(deployment) => Ok(*deployment),
                Written::ReadBackAt(url) => self.read_back(&mut op, &url).await,
            }
        }
        .instrument(span)
        .await;
        self.inner.deployment_lists.record_write(id, result.as_ref().ok().map(|d| Some(d.clone())));
        result.map_err(|e| e.after_acceptance(op.accepted))
    }

    /// PUTs and polls until the operation is terminal (the caller holds the account's lock).
    async fn put_locked(&self, op: &mut Operation, id: &DeploymentId, body: &WriteBody) -> Result<Written, ArmError> {
        let transport = &self.inner.transport;
        let bytes = serde_json::to_vec(&body.deployment).map_err(|e| {
            ArmError::new(
                ArmErrorKind::Decode { what: "the request body".into(), message: e.to_string() },
                op.correlation_id.clone(),
                false,
            )
        })?;
        let (first, url) = self
            .request(op, Method::PUT, &id.to_string(), Some(&bytes), Intent::Write, Some(&body.precondition))
            .await?;
        if !matches!(first.status, StatusCode::OK | StatusCode::CREATED | StatusCode::ACCEPTED) {
            return Err(first.into_error(op));
        }
        op.accepted_long_running(format!("PUT of {id}"), first.status.as_u16());
        let wait = lro::first_wait(transport, &first);
        match lro::poll_target(transport, &first, &url)? {
            PollTarget::AsyncOperation(poll) => lro::follow_async_operation(transport, op, poll, wait).await?,
            PollTarget::Location(poll) => lro::follow_location(transport, op, poll, wait).await?,
            PollTarget::Resource => {
                let state = if first.status == StatusCode::ACCEPTED {
                    State::Running
                } else {
                    let echoed: Deployment = first.json("the deployment", op)?;
                    classify_state(echoed.provisioning_state())
                };
                match state {
                    State::Succeeded => {} // synchronous: read it back below
                    State::Running | State::Failed(_) => {
                        // A failed state in the PUT answer is confirmed (with any error) by the poll itself.
                        let wait = if matches!(state, State::Failed(_)) { Duration::ZERO } else { wait };
                        return lro::poll_resource_until_terminal(transport, op, &url, wait)
                            .await
                            .map(|d| Written::Read(Box::new(d)));
                    }
                }
            }
        }
        Ok(Written::ReadBackAt(url))
    }

    /// Azure's own read of a deployment once its write ended.
    async fn read_back(&self, op: &mut Operation, url: &Url) -> Result<Deployment, ArmError> {
        let response = self.inner.transport.send(op, Method::GET, url, None, Intent::Read, &[]).await?;
        match response.status {
            StatusCode::OK => response.json("the deployment", op),
            _ => Err(response.into_error(op)),
        }
    }

    /// Deletes a deployment and waits until GET answers 404. Deleting a missing deployment succeeds.
    pub async fn delete_deployment(&self, id: &DeploymentId, deadline: Instant) -> Result<(), ArmError> {
        let mut op = self.operation(deadline);
        let span = tracing::debug_span!("arm_delete_deployment", id = %id, correlation_id = %op.correlation_id);
        let result = async {
            let _lock = op.guard(async { Ok(self.inner.locks.acquire(&id.account.lock_key()).await) }).await?;
            self.delete_locked(&mut op, id).await
        }
        .instrument(span)
        .await;
        self.inner.deployment_lists.record_write(id, result.as_ref().ok().map(|()| None));
        result.map_err(|e| e.after_acceptance(op.accepted))
    }

    async fn delete_locked(&self, op: &mut Operation, id: &DeploymentId) -> Result<(), ArmError> {
        let transport = &self.inner.transport;
        let (first, url): (Response, Url) =
            self.request(op, Method::DELETE, &id.to_string(), None, Intent::Write, None).await?;
        match first.status {
            StatusCode::NOT_FOUND | StatusCode::NO_CONTENT => return Ok(()),
            StatusCode::OK | StatusCode::ACCEPTED => {}
            _ => return Err(first.into_error(op)),
        }
        op.accepted_long_running(format!("DELETE of {id}"), first.status.as_u16());
        let wait = lro::first_wait(transport, &first);
        let confirm_wait = match lro::poll_target(transport, &first, &url)? {
            PollTarget::AsyncOperation(poll) => {
                lro::follow_async_operation(transport, op, poll, wait).await?;
                Duration::ZERO
            }
            PollTarget::Location(poll) => {
                lro::follow_location(transport, op, poll, wait).await?;
                Duration::ZERO
            }
            PollTarget::Resource if first.status == StatusCode::OK => Duration::ZERO,
            PollTarget::Resource => wait,
        };
        lro::poll_until_gone(transport, op, &url, confirm_wait).await
    }

    /// Lists the deployments of an account, following `nextLink`.
    pub async fn list_deployments(&self, account: &AccountId, deadline: Instant) -> Result<Vec<Deployment>, ArmError> {
        let mut op = self.operation(deadline);
        let span =
            tracing::debug_span!("arm_list_deployments", account = %account, correlation_id = %op.correlation_id);
        self.list_pages(&mut op, &format!("{account}/deployments"), "the deployment list").instrument(span).await
    }

    /// Reads the account (location, kind, endpoint). Cached per account for the life of the client.
    pub async fn get_account(&self, account: &AccountId, deadline: Instant) -> Result<Account, ArmError> {
        let cell = self
            .inner
            .accounts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(account.lock_key())
            .or_default()
            .clone();
        cell.get_or_try_init(|| self.fetch_account(account, deadline)).await.cloned()
    }

    async fn fetch_account(&self, account: &AccountId, deadline: Instant) -> Result<Account, ArmError> {
        let mut op = self.operation(deadline);
        let span = tracing::debug_span!("arm_get_account", account = %account, correlation_id = %op.correlation_id);
        async {
            let (response, _) =
                self.request(&mut op, Method::GET, &account.to_string(), None, Intent::Read, None).await?;
            match response.status {
                StatusCode::OK => response.json::<Account>("the account", &op),
                _ => Err(response.into_error(&op)),
            }
        }
        .instrument(span)
        .await
    }

    /// The account's API keys (`POST .../listKeys`). Read-only and idempotent, so retried like a GET. The keys are
    /// never logged: the transport logs status lines only, and [`AccountKeys`]'s `Debug` redacts them.
    pub async fn list_keys(&self, account: &AccountId, deadline: Instant) -> Result<AccountKeys, ArmError> {
        let mut op = self.operation(deadline);
        let span = tracing::debug_span!("arm_list_keys", account = %account, correlation_id = %op.correlation_id);
        async {
            let path = format!("{account}/listKeys");
            let (response, _) = self.request(&mut op, Method::POST, &path, None, Intent::Read, None).await?;
            match response.status {
                StatusCode::OK => response.json::<AccountKeys>("the account keys", &op),
                _ => Err(response.into_error(&op)),
            }
        }
        .instrument(span)
        .await
    }

    /// Pauses (`Paused`) or resumes (any other state) a deployment with Azure's synchronous `pause`/`resume`
    /// action, holding the account's write lock. Returns the deployment as Azure answers.
    pub async fn set_deployment_state(
        &self,
        id: &DeploymentId,
        state: &str,
        deadline: Instant,
    ) -> Result<Deployment, ArmError> {
        let action = if state.eq_ignore_ascii_case(DEPLOYMENT_PAUSED) { "pause" } else { "resume" };
        let mut op = self.operation(deadline);
        let span = tracing::debug_span!("arm_deployment_action", id = %id, action, correlation_id = %op.correlation_id);
        let result = async {
            let _lock = op.guard(async { Ok(self.inner.locks.acquire(&id.account.lock_key()).await) }).await?;
            tracing::info!(id = %id, action, "changing the deployment state");
            let path = format!("{id}/{action}");
            let (response, _) = self.request(&mut op, Method::POST, &path, None, Intent::Write, None).await?;
            match response.status {
                StatusCode::OK => response.json("the deployment", &op),
                _ => Err(response.into_error(&op)),
            }
        }
        .instrument(span)
        .await;
        // The cached list must not answer with the state before the action (nor guess after a failure).
        self.inner.deployment_lists.record_write(id, result.as_ref().ok().map(|d: &Deployment| Some(d.clone())));
        result.map_err(|e| e.after_acceptance(op.accepted))
    }

    /// Runs a read-check-write sequence holding the account's write lock. `put_deployment`/`delete_deployment`
    /// awaited *directly* inside `f` reuse the lock (a task-local marker) instead of deadlocking; writes in a task
    /// spawned from `f` would wait for it. See [`crate::locks`].
    pub async fn with_account_lock<T>(&self, account: &AccountId, f: impl Future<Output = T>) -> T {
        self.inner.locks.with_lock(&account.lock_key(), f).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Secret;

    fn config(endpoint: &str) -> ClientConfig {
        ClientConfig::new(AuthSettings {
            resource_manager_endpoint: Some(endpoint.into()),
            access_token: Some(Secret::new("t")),
            ..Default::default()
        })
    }

    #[test]
    fn new_refuses_plain_http_to_remote_hosts() {
        for bad in ["http://management.azure.com", "http://10.1.2.3:8080", "http://localhost.evil.example"] {
            let err = ArmClient::new(config(bad)).unwrap_err();
            assert!(matches!(err, ConfigError::InsecureEndpoint { .. }), "{bad}: {err}");
            assert!(err.to_string().contains("only allowed for loopback"), "{err}");
        }
        for ok in ["http://127.0.0.1:9", "http://localhost:9/", "https://management.azure.com"] {
            ArmClient::new(config(ok)).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
    }

    #[test]
    fn new_reports_credential_and_ca_problems() {
        let cfg = ClientConfig::new(AuthSettings { use_cli: Some(false), ..Default::default() });
        assert!(matches!(ArmClient::new(cfg), Err(ConfigError::Auth(crate::AuthError::NoCredential))));
        let mut cfg = config("https://management.azure.com");
        cfg.settings.ca_cert_file = Some("/nonexistent/ca.pem".into());
        let err = ArmClient::new(cfg).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
        let mut cfg = config("https://management.azure.com");
        cfg.settings.environment = Some("mars".into());
        cfg.settings.resource_manager_endpoint = None;
        assert!(ArmClient::new(cfg).unwrap_err().to_string().contains("mars"));
    }

    #[test]
    fn account_keys_never_show_in_debug_output() {
        let keys: AccountKeys = serde_json::from_str(r#"{"key1":"secret-one","key2":"secret-two"}"#).unwrap();
        assert_eq!(keys.key2, "secret-two");
        let shown = format!("{keys:?}");
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn every_call_uses_the_one_api_version() {
        let client = ArmClient::new(config("http://127.0.0.1:9/")).unwrap();
        assert_eq!(client.api_version(), "2026-09-01");
        let mut pinned = config("http://127.0.0.1:9/");
        pinned.api_version = Some("2026-03-01".into());
        assert_eq!(ArmClient::new(pinned).unwrap().api_version(), "2026-03-01");
    }
}
