//! Long-running operations: follow `Azure-AsyncOperation`, else `Location`, else the resource's provisioningState.
//!
//! The wait before each poll is the previous answer's `retry-after-ms` / `Retry-After`, else the policy's default
//! (10 s). Poll requests go through the retrying transport, so throttling, 5xx and a few dropped connections are
//! survived within the deadline. Poll URLs must be on the ARM endpoint itself (the bearer token goes with them).

use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::error::{ArmError, ArmErrorKind, ServiceError};
use crate::model::Deployment;
use crate::retry::retry_after;
use crate::transport::{Intent, Operation, Response, Transport};

/// How the service asked us to follow an accepted operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PollTarget {
    AsyncOperation(Url),
    Location(Url),
    /// No operation URL: watch the resource itself.
    Resource,
}

/// Picks the poll target from the first answer of a PUT or DELETE.
pub(crate) fn poll_target(transport: &Transport, first: &Response, resource_url: &Url) -> Result<PollTarget, ArmError> {
    if let Some(raw) = first.header("azure-asyncoperation") {
        return Ok(PollTarget::AsyncOperation(transport.vet_service_url(raw)?));
    }
    if let Some(raw) = first.header("location") {
        let url = transport.vet_service_url(raw)?;
        // A Location pointing at the resource itself is just "GET the resource".
        if !url.path().eq_ignore_ascii_case(resource_url.path()) {
            return Ok(PollTarget::Location(url));
        }
    }
    Ok(PollTarget::Resource)
}

/// ARM's terminal states; anything else means "still running".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum State {
    Succeeded,
    Failed(String),
    Running,
}

pub(crate) fn classify_state(state: Option<&str>) -> State {
    match state.map(str::trim) {
        None | Some("") => State::Succeeded, // ARM: an absent provisioningState means Succeeded
        Some(s) if s.eq_ignore_ascii_case("succeeded") => State::Succeeded,
        Some(s) if s.eq_ignore_ascii_case("failed") => State::Failed("Failed".into()),
        Some(s) if s.eq_ignore_ascii_case("canceled") || s.eq_ignore_ascii_case("cancelled") => {
            State::Failed("Canceled".into())
        }
        Some(_) => State::Running,
    }
}

fn operation_failed(op: &Operation, state: String, error: Option<ServiceError>, fallback: &str) -> ArmError {
    let error = error.unwrap_or_else(|| ServiceError {
        code: format!("Operation{state}"),
        message: fallback.to_string(),
        details: Vec::new(),
    });
    op.error(ArmErrorKind::OperationFailed { state, code: error.code, message: error.message, details: error.details })
}

fn hint(response: &Response) -> Option<Duration> {
    retry_after(&response.headers, SystemTime::now())
}

/// The body of an `Azure-AsyncOperation` poll answer.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct OperationStatus {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub error: Option<Value>,
    #[serde(default)]
    pub properties: Option<Value>,
}

impl OperationStatus {
    /// `status`, else `properties.provisioningState` (some services only fill the latter).
    pub(crate) fn reported_state(&self) -> Option<String> {
        self.status.clone().or_else(|| self.properties.as_ref()?.get("provisioningState")?.as_str().map(str::to_string))
    }

    /// The operation's error object, when it carries a readable one.
    pub(crate) fn error(&self) -> Option<ServiceError> {
        self.error.as_ref().and_then(ServiceError::from_object)
    }
}

/// Follows an `Azure-AsyncOperation` URL until the operation is terminal.
pub(crate) async fn follow_async_operation(
    transport: &Transport,
    op: &mut Operation,
    mut url: Url,
    mut wait: Duration,
) -> Result<(), ArmError> {
    loop {
        op.sleep(wait).await?;
        let response = transport.send(op, Method::GET, &url, None, Intent::Read, &[]).await?;
        wait = transport.policy().poll_delay(hint(&response));
        match response.status {
            StatusCode::OK | StatusCode::CREATED => {
                let body: OperationStatus = if response.body.is_empty() {
                    OperationStatus { status: Some("Succeeded".into()), error: None, properties: None }
                } else {
                    response.json("the operation status", op)?
                };
                let state = body.reported_state();
                match classify_state(state.as_deref()) {
                    State::Succeeded => return Ok(()),
                    State::Running => {
                        tracing::debug!(correlation_id = %op.correlation_id, status = state.as_deref().unwrap_or(""), "operation still running");
                        op.still_running();
                    }
                    State::Failed(s) => {
                        return Err(operation_failed(op, s, body.error(), "the operation reported no error details"));
                    }
                }
            }
            // In progress (GAS treats a not-yet-visible operation as running too).
            StatusCode::ACCEPTED | StatusCode::NOT_FOUND => {
                op.still_running();
                if let Some(next) = response.header("azure-asyncoperation") {
                    url = transport.vet_service_url(next)?;
                }
            }
            _ => return Err(response.into_error(op)),
        }
    }
}

/// Follows a `Location` URL: 202 while running, then 200/201/204 (done) or an error answer (operation failed).
pub(crate) async fn follow_location(
    transport: &Transport,
    op: &mut Operation,
    mut url: Url,
    mut wait: Duration,
) -> Result<(), ArmError> {
    loop {
        op.sleep(wait).await?;
        let response = transport.send(op, Method::GET, &url, None, Intent::Read, &[]).await?;
        wait = transport.policy().poll_delay(hint(&response));
        match response.status {
            StatusCode::ACCEPTED => {
                op.still_running();
                if let Some(next) = response.header("location") {
                    url = transport.vet_service_url(next)?;
                }
            }
            StatusCode::OK | StatusCode::CREATED | StatusCode::NO_CONTENT => {
                // Some services answer 200 with an operation status body instead of the resource.
                if let Some((s, error)) = failure_in_final_location_body(&response.body) {
                    return Err(operation_failed(op, s, error, "the operation reported no error details"));
                }
                return Ok(());
            }
            status if status.is_client_error() || status.is_server_error() => {
                // In the Location convention the final answer *is* the operation's result.
                let e = ServiceError::from_body(status.as_u16(), &response.body);
                return Err(operation_failed(op, "Failed".into(), Some(e), ""));
            }
            _ => return Err(response.into_error(op)),
        }
    }
}

/// A final `Location` answer may be an operation status body instead of the resource: its failed state and
/// error, if it says the operation failed.
pub(crate) fn failure_in_final_location_body(body: &[u8]) -> Option<(String, Option<ServiceError>)> {
    let v = serde_json::from_slice::<Value>(body).ok()?;
    let status = v.get("status").and_then(Value::as_str)?;
    match classify_state(Some(status)) {
        State::Failed(s) => Some((s, v.get("error").and_then(ServiceError::from_object))),
        _ => None,
    }
}

/// Polls the resource until its provisioningState is terminal; a 404 counts as "not visible yet".
/// Returns the resource as the last GET saw it.
pub(crate) async fn poll_resource_until_terminal(
    transport: &Transport,
    op: &mut Operation,
    url: &Url,
    mut wait: Duration,
) -> Result<Deployment, ArmError> {
    loop {
        op.sleep(wait).await?;
        let response = transport.send(op, Method::GET, url, None, Intent::Read, &[]).await?;
        wait = transport.policy().poll_delay(hint(&response));
        match response.status {
            StatusCode::OK => {
                let deployment: Deployment = response.json("the deployment", op)?;
                match classify_state(deployment.provisioning_state()) {
                    State::Succeeded => return Ok(deployment),
                    State::Running => op.still_running(),
                    State::Failed(s) => {
                        let error = deployment.properties.extra.get("error").and_then(ServiceError::from_object);
                        let msg = format!("the deployment's provisioningState is {s}");
                        return Err(operation_failed(op, s, error, &msg));
                    }
                }
            }
            StatusCode::NOT_FOUND => op.still_running(),
            _ => return Err(response.into_error(op)),
        }
    }
}

/// Polls the resource until GET answers 404 (how a DELETE completes).
pub(crate) async fn poll_until_gone(
    transport: &Transport,
    op: &mut Operation,
    url: &Url,
    mut wait: Duration,
) -> Result<(), ArmError> {
    loop {
        op.sleep(wait).await?;
        let response = transport.send(op, Method::GET, url, None, Intent::Read, &[]).await?;
        wait = transport.policy().poll_delay(hint(&response));
        match response.status {
            StatusCode::NOT_FOUND => return Ok(()),
            StatusCode::OK => {
                let deployment: Deployment = response.json("the deployment", op)?;
                if let State::Failed(s) = classify_state(deployment.provisioning_state()) {
                    let msg = format!("the deployment is still there with provisioningState {s} after the delete");
                    return Err(operation_failed(op, s, None, &msg));
                }
                op.still_running();
            }
            _ => return Err(response.into_error(op)),
        }
    }
}

/// The wait before the first poll, from the accepting answer.
pub(crate) fn first_wait(transport: &Transport, first: &Response) -> Duration {
    transport.policy().poll_delay(hint(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_states() {
        assert_eq!(classify_state(None), State::Succeeded);
        assert_eq!(classify_state(Some("SUCCEEDED")), State::Succeeded);
        assert_eq!(classify_state(Some("Failed")), State::Failed("Failed".into()));
        assert_eq!(classify_state(Some("Cancelled")), State::Failed("Canceled".into()));
        assert_eq!(classify_state(Some("canceled")), State::Failed("Canceled".into()));
        for running in ["Accepted", "Creating", "InProgress", "Deleting", "Updating"] {
            assert_eq!(classify_state(Some(running)), State::Running, "{running}");
        }
    }
}
