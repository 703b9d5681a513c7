//! The decoders the client applies to service answers, as plain functions over bytes.
//!
//! They exist for the fuzz targets (`fuzz/`): each calls exactly the code path the client runs on a response body,
//! without a transport around it. Not part of the supported API.

use crate::error::{ErrorDetail, ServiceError};
use crate::lro::{OperationStatus, State, classify_state, failure_in_final_location_body};
use crate::model::{Account, Deployment, DeploymentPage};

/// An ARM error as the client reads it from a body: `(code, message, details)`.
pub type ErrorParts = (String, String, Vec<ErrorDetail>);

fn parts(e: ServiceError) -> ErrorParts {
    (e.code, e.message, e.details)
}

/// What a poll answer says about a long-running operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationOutcome {
    Succeeded,
    Running,
    /// Ended `Failed` or `Canceled`, with the error object when the body carried a readable one.
    Failed {
        state: String,
        error: Option<ErrorParts>,
    },
}

/// A deployment (GET, PUT echo, resource polling).
pub fn deployment(body: &[u8]) -> Result<Deployment, serde_json::Error> {
    serde_json::from_slice(body)
}

/// An account (GET of the account).
pub fn account(body: &[u8]) -> Result<Account, serde_json::Error> {
    serde_json::from_slice(body)
}

/// One page of the deployments list: the deployments and the `nextLink`.
pub fn deployment_page(body: &[u8]) -> Result<(Vec<Deployment>, Option<String>), serde_json::Error> {
    let page: DeploymentPage = serde_json::from_slice(body)?;
    Ok((page.value, page.next_link))
}

/// The error of a failed answer with this status and body (never fails: unreadable bodies become text).
pub fn error_body(status: u16, body: &[u8]) -> ErrorParts {
    parts(ServiceError::from_body(status, body))
}

/// An `Azure-AsyncOperation` status body (an empty body means succeeded, as the client treats it).
pub fn operation_status(body: &[u8]) -> Result<OperationOutcome, serde_json::Error> {
    if body.is_empty() {
        return Ok(OperationOutcome::Succeeded);
    }
    let status: OperationStatus = serde_json::from_slice(body)?;
    Ok(match classify_state(status.reported_state().as_deref()) {
        State::Succeeded => OperationOutcome::Succeeded,
        State::Running => OperationOutcome::Running,
        State::Failed(state) => OperationOutcome::Failed { state, error: status.error().map(parts) },
    })
}

/// The final 2xx answer of a `Location` poll: `Some` when its body says the operation failed.
pub fn final_location_failure(body: &[u8]) -> Option<(String, Option<ErrorParts>)> {
    failure_in_final_location_body(body).map(|(state, error)| (state, error.map(parts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_status_bodies() {
        assert_eq!(operation_status(b"").unwrap(), OperationOutcome::Succeeded);
        assert_eq!(operation_status(br#"{"status":"InProgress"}"#).unwrap(), OperationOutcome::Running);
        assert_eq!(
            operation_status(br#"{"properties":{"provisioningState":"Canceled"}}"#).unwrap(),
            OperationOutcome::Failed { state: "Canceled".into(), error: None }
        );
        let failed = operation_status(br#"{"status":"failed","error":{"code":"Quota","message":"no"}}"#).unwrap();
        assert_eq!(
            failed,
            OperationOutcome::Failed { state: "Failed".into(), error: Some(("Quota".into(), "no".into(), vec![])) }
        );
        assert!(operation_status(b"[").is_err());
    }

    #[test]
    fn final_location_bodies_and_error_bodies() {
        assert_eq!(final_location_failure(br#"{"status":"Succeeded"}"#), None);
        assert_eq!(final_location_failure(b"not json"), None);
        assert_eq!(final_location_failure(br#"{"status":"Failed"}"#), Some(("Failed".into(), None)));
        let (code, message, _) = error_body(502, b"<html>bad gateway</html>");
        assert_eq!((code.as_str(), message.as_str()), ("BadGateway", "<html>bad gateway</html>"));
        let (deployments, next) = deployment_page(br#"{"value":[{"name":"a"}],"nextLink":"https://x/"}"#).unwrap();
        assert_eq!((deployments[0].name.as_deref(), next.as_deref()), (Some("a"), Some("https://x/")));
    }
}
