//! Typed errors of the ARM client.

use serde::Deserialize;
use serde_json::Value;
use std::fmt;

use crate::auth::AuthError;

/// One entry of an ARM error's `details`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    pub target: Option<String>,
}

impl fmt::Display for ErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(target) = &self.target {
            write!(f, " (target {target})")?;
        }
        Ok(())
    }
}

/// Why a connection could not be made at all (no answer was ever received).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnreachableCause {
    /// Nothing listens on the port (connection refused).
    ConnectionRefused,
    /// The host name does not resolve.
    Dns,
    /// The TLS handshake failed: certificate not trusted, name mismatch, protocol error.
    Tls,
}

impl fmt::Display for UnreachableCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UnreachableCause::ConnectionRefused => "connection refused",
            UnreachableCause::Dns => "the host name does not resolve",
            UnreachableCause::Tls => "the TLS handshake failed",
        })
    }
}

/// What went wrong; the fields every failure shares live on [`ArmError`].
#[derive(Debug, thiserror::Error)]
pub enum ArmErrorKind {
    /// The service answered with an error status that was not retried (or retries ran out).
    #[error("{code}: {message}{} (HTTP {status}", format_details(.details))]
    Service { status: u16, code: String, message: String, details: Vec<ErrorDetail> },
    /// The long-running operation ended `Failed` or `Canceled`.
    #[error("the operation ended {state}: {code}: {message}{}", format_details(.details))]
    OperationFailed { state: String, code: String, message: String, details: Vec<ErrorDetail> },
    #[error("cancelled")]
    Cancelled,
    #[error("timed out")]
    DeadlineExceeded { last_error: Option<String> },
    /// The request could not be sent or the answer could not be read (after retries).
    #[error("{message}")]
    Transport { message: String },
    /// The endpoint cannot be reached at all (refused, unknown host, TLS failure); retried only briefly.
    #[error("cannot reach {endpoint}: {cause} ({message})")]
    Unreachable { endpoint: String, cause: UnreachableCause, message: String },
    #[error(transparent)]
    Auth(AuthError),
    /// The service's answer was not the JSON we expected.
    #[error("could not decode the answer to {what}: {message}")]
    Decode { what: String, message: String },
    /// A URL (endpoint, poll URL, next page) that would send the bearer token in clear or to another host.
    #[error("refusing to send a bearer token to `{url}`: {reason}")]
    InsecureEndpoint { url: String, reason: String },
}

/// Every way an ARM call can fail: what happened ([`ArmErrorKind`]), whether Azure had (or may have) accepted
/// the write, and the correlation id of the operation.
///
/// `accepted` says whether the service had (or may have) accepted a PUT or DELETE before the failure: the caller
/// must then assume the change may exist (keep the resource in state, tainted).
#[derive(Debug)]
pub struct ArmError {
    pub kind: ArmErrorKind,
    pub accepted: bool,
    /// The `x-ms-correlation-request-id` of the operation, when a request was made (see
    /// [`ArmError::correlation_id`]). Boxed to keep `Result<_, ArmError>` small.
    correlation_id: Option<Box<str>>,
}

const MAY_STILL_COMPLETE: &str = " after Azure had accepted the request; the change may still complete";

impl fmt::Display for ArmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cid = self.correlation_id.as_deref().unwrap_or("");
        match &self.kind {
            // The status and correlation id share one parenthesis.
            ArmErrorKind::Service { .. } => return write!(f, "{}, correlation id {cid})", self.kind),
            ArmErrorKind::Cancelled | ArmErrorKind::DeadlineExceeded { .. } => {
                write!(f, "{}", self.kind)?;
                if self.accepted {
                    f.write_str(MAY_STILL_COMPLETE)?;
                }
                if let ArmErrorKind::DeadlineExceeded { last_error: Some(e) } = &self.kind {
                    write!(f, "; last error: {e}")?;
                }
                return Ok(());
            }
            ArmErrorKind::Auth(_) | ArmErrorKind::InsecureEndpoint { .. } => return write!(f, "{}", self.kind),
            _ => write!(f, "{}", self.kind)?,
        }
        if !cid.is_empty() {
            write!(f, " (correlation id {cid})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ArmError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ArmErrorKind::Auth(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ArmErrorKind> for ArmError {
    /// An error outside any operation: not accepted, no correlation id.
    fn from(kind: ArmErrorKind) -> ArmError {
        let accepted = matches!(kind, ArmErrorKind::OperationFailed { .. });
        ArmError { kind, accepted, correlation_id: None }
    }
}

impl ArmError {
    pub fn new(kind: ArmErrorKind, correlation_id: impl Into<String>, accepted: bool) -> ArmError {
        let correlation_id = Some(correlation_id.into()).filter(|c| !c.is_empty()).map(String::into_boxed_str);
        // A terminal operation failure is by definition after acceptance.
        let accepted = accepted || matches!(kind, ArmErrorKind::OperationFailed { .. });
        ArmError { kind, accepted, correlation_id }
    }

    /// True when the service had (or may have) accepted a PUT/DELETE before the failure.
    pub fn accepted(&self) -> bool {
        self.accepted
    }

    pub fn kind(&self) -> &ArmErrorKind {
        &self.kind
    }

    /// The operation's `x-ms-correlation-request-id`, for a support ticket.
    pub fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// The ARM error code, when the service gave one.
    pub fn code(&self) -> Option<&str> {
        match &self.kind {
            ArmErrorKind::Service { code, .. } | ArmErrorKind::OperationFailed { code, .. } => Some(code),
            _ => None,
        }
    }

    /// HTTP status of a service error.
    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            ArmErrorKind::Service { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Azure refused a conditional write (`412`): the deployment changed since it was read, or exists on create.
    pub fn is_precondition_failed(&self) -> bool {
        self.status() == Some(412)
    }

    /// The caller lacks permission (HTTP 403): a least-privilege identity, not a broken request.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(403)
    }

    /// Marks the error as happening after the service accepted the write.
    pub(crate) fn after_acceptance(mut self, now_accepted: bool) -> ArmError {
        if !now_accepted || self.accepted {
            return self;
        }
        match &self.kind {
            ArmErrorKind::Auth(e) => {
                // A token refresh failed mid-poll: keep the message, but the write is already accepted.
                self.kind = ArmErrorKind::Transport {
                    message: format!("authentication failed while waiting for the operation: {e}"),
                };
                self.accepted = true;
            }
            _ => self.accepted = true,
        }
        self
    }
}

/// Why an [`crate::ArmClient`] could not be built. Raised before any network I/O.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("refusing the ARM endpoint `{url}`: {reason}")]
    InsecureEndpoint { url: String, reason: String },
    #[error("invalid ARM endpoint `{url}`: {reason}")]
    InvalidEndpoint { url: String, reason: String },
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error("could not load the extra CA certificates from `{path}`: {reason}")]
    CaCertificates { path: String, reason: String },
    #[error("could not build the HTTP client: {0}")]
    HttpClient(String),
}

fn format_details(details: &[ErrorDetail]) -> String {
    if details.is_empty() {
        return String::new();
    }
    let joined: Vec<String> = details.iter().map(ToString::to_string).collect();
    format!(" [details: {}]", joined.join("; "))
}

/// The `{code, message, target, details}` object of an ARM error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ServiceError {
    pub code: String,
    pub message: String,
    pub details: Vec<ErrorDetail>,
}

#[derive(Deserialize)]
struct WireError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    details: Option<Vec<WireError>>,
}

impl WireError {
    fn into_detail(self) -> ErrorDetail {
        ErrorDetail {
            code: self.code.unwrap_or_default(),
            message: self.message.unwrap_or_default(),
            target: self.target,
        }
    }
}

impl ServiceError {
    /// Reads an error object `{code, message, details?}`.
    pub(crate) fn from_object(value: &Value) -> Option<ServiceError> {
        let mut wire = WireError::deserialize(value).ok()?;
        // A blank code or message says nothing: treat it as absent, so the error still names a cause.
        wire.code = wire.code.filter(|c| !c.trim().is_empty());
        wire.message = wire.message.filter(|m| !m.trim().is_empty());
        if wire.code.is_none() && wire.message.is_none() {
            return None;
        }
        let mut details: Vec<ErrorDetail> = Vec::new();
        for d in wire.details.unwrap_or_default() {
            // Flatten one level of nested details: they carry the useful text (e.g. policy violations).
            let nested = d.details.as_ref().map(|v| v.len()).unwrap_or(0);
            let WireError { code, message, target, details: inner } = d;
            details.push(WireError { code, message, target, details: None }.into_detail());
            if nested > 0 {
                details.extend(inner.unwrap_or_default().into_iter().map(WireError::into_detail));
            }
        }
        Some(ServiceError {
            code: wire.code.unwrap_or_else(|| "Unknown".to_string()),
            message: wire.message.unwrap_or_default(),
            details,
        })
    }

    /// Reads an error response body defensively: `{"error": {...}}`, a flat `{code, message}`, or
    /// `{status, error: {...}}`; anything else becomes a code derived from the HTTP status and the body text.
    pub(crate) fn from_body(status: u16, body: &[u8]) -> ServiceError {
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            if let Some(inner) = value.get("error").filter(|v| v.is_object())
                && let Some(e) = ServiceError::from_object(inner)
            {
                return e;
            }
            if let Some(e) = ServiceError::from_object(&value) {
                return e;
            }
        }
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        let message = if text.is_empty() { format!("HTTP {status} with an empty body") } else { truncate(text, 500) };
        ServiceError { code: status_code_name(status).to_string(), message, details: Vec::new() }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{cut}…")
}

fn status_code_name(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        408 => "RequestTimeout",
        409 => "Conflict",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "HttpError",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_standard_error_envelope_with_details() {
        let body = json!({"error": {"code": "InvalidResourceProperties", "message": "The sku is bad.",
            "details": [{"code": "Inner", "message": "m1", "target": "sku.name",
                         "details": [{"code": "Deeper", "message": "m2"}]}]}});
        let e = ServiceError::from_body(400, body.to_string().as_bytes());
        assert_eq!(e.code, "InvalidResourceProperties");
        assert_eq!(e.message, "The sku is bad.");
        assert_eq!(e.details.len(), 2);
        assert_eq!(e.details[0].target.as_deref(), Some("sku.name"));
        assert_eq!(e.details[1].code, "Deeper");
    }

    #[test]
    fn parses_flat_and_odd_shapes() {
        let e = ServiceError::from_body(409, br#"{"code":"RequestConflict","message":"busy"}"#);
        assert_eq!((e.code.as_str(), e.message.as_str()), ("RequestConflict", "busy"));
        let e = ServiceError::from_body(502, b"<html>bad gateway</html>");
        assert_eq!(e.code, "BadGateway");
        assert_eq!(e.message, "<html>bad gateway</html>");
        let e = ServiceError::from_body(503, b"");
        assert_eq!(e.code, "ServiceUnavailable");
        assert!(e.message.contains("empty body"));
        let e = ServiceError::from_body(400, format!("{{\"error\": \"{}\"}}", "x".repeat(2000)).as_bytes());
        assert!(e.message.chars().count() <= 501);
    }

    #[test]
    fn blank_codes_fall_back_to_a_named_cause() {
        // Found by the arm_response fuzz target: an empty code used to be kept, naming no cause.
        let e = ServiceError::from_body(500, br#"{"status": "Failed", "error": {"code": ""}}"#);
        assert_eq!(e.code, "InternalServerError");
        let e = ServiceError::from_body(400, br#"{"error": {"code": "  ", "message": "quota"}}"#);
        assert_eq!((e.code.as_str(), e.message.as_str()), ("Unknown", "quota"));
    }

    #[test]
    fn display_names_code_message_details_and_correlation() {
        let kind = ArmErrorKind::Service {
            status: 400,
            code: "InsufficientQuota".into(),
            message: "not enough".into(),
            details: vec![ErrorDetail { code: "Q".into(), message: "tpm".into(), target: None }],
        };
        let e = ArmError::new(kind, "cid-1", false);
        assert_eq!(e.to_string(), "InsufficientQuota: not enough [details: Q: tpm] (HTTP 400, correlation id cid-1)");
        assert!(!e.accepted());
        assert_eq!((e.code(), e.status()), (Some("InsufficientQuota"), Some(400)));
        assert!(e.after_acceptance(true).accepted());
        let op = ArmError::new(
            ArmErrorKind::OperationFailed {
                state: "Failed".into(),
                code: "C".into(),
                message: "M".into(),
                details: vec![],
            },
            "x",
            false,
        );
        assert!(op.accepted(), "a failed operation was accepted by definition");
        assert_eq!(op.to_string(), "the operation ended Failed: C: M (correlation id x)");
        let t = ArmError::new(ArmErrorKind::DeadlineExceeded { last_error: Some("409 busy".into()) }, "c", true);
        assert!(t.to_string().contains("may still complete; last error: 409 busy"), "{t}");
        assert_eq!(ArmError::new(ArmErrorKind::Cancelled, "c", false).to_string(), "cancelled");
    }

    #[test]
    fn auth_errors_mid_poll_become_accepted_transport_errors() {
        let e = ArmError::from(ArmErrorKind::Auth(AuthError::NoCredential));
        assert!(!e.accepted());
        let e = e.after_acceptance(true);
        assert!(e.accepted());
        assert!(matches!(&e.kind, ArmErrorKind::Transport { message } if message.contains("authentication failed")));
        // A poll URL refused after the PUT was accepted: the write may exist.
        let insecure = ArmError::from(ArmErrorKind::InsecureEndpoint { url: "u".into(), reason: "r".into() });
        assert!(insecure.after_acceptance(true).accepted());
    }

    #[test]
    fn the_error_stays_small() {
        // clippy's result_large_err threshold: every Result<_, ArmError> carries it.
        assert!(std::mem::size_of::<ArmError>() < 128, "{}", std::mem::size_of::<ArmError>());
        assert_eq!(ArmError::new(ArmErrorKind::Cancelled, "cid", false).correlation_id(), Some("cid"));
        assert_eq!(ArmError::new(ArmErrorKind::Cancelled, "", false).correlation_id(), None);
    }

    #[test]
    fn forbidden_is_distinguishable() {
        let kind = |status| ArmErrorKind::Service { status, code: "X".into(), message: "m".into(), details: vec![] };
        assert!(ArmError::new(kind(403), "c", false).is_forbidden());
        assert!(!ArmError::new(kind(401), "c", false).is_forbidden());
    }
}
