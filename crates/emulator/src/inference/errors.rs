//! Why an inference request is refused, and the body Azure answers each refusal with.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A refused inference request. Rendered with the status and JSON shape the Azure OpenAI data plane uses.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum InferenceError {
    /// No account by that name under `/accounts/`.
    AccountNotFound,
    /// An `/openai/deployments/...` or `/openai/responses` call without `?api-version=`.
    MissingApiVersion,
    /// No `api-key` or bearer, or an `api-key` that is not one of the account's keys.
    InvalidKey,
    /// A bearer token that is neither an accepted access token nor (on the v1 routes) an account key.
    InvalidToken,
    /// No deployment by that name, or one that has not finished provisioning.
    DeploymentNotFound,
    /// The deployment's `properties.deploymentState` is `Paused`.
    DeploymentPaused { deployment: String },
    /// A request body the API rejects; `param` names the offending field.
    InvalidRequest { param: Option<String>, code: Option<&'static str>, message: String },
}

impl InferenceError {
    pub(crate) fn invalid(param: &str, message: impl Into<String>) -> InferenceError {
        InferenceError::InvalidRequest { param: Some(param.to_owned()), code: None, message: message.into() }
    }

    /// A value outside the allowed set: names the field, the value and the allowed values.
    pub(crate) fn invalid_value(param: &str, value: &str, allowed: &[&str]) -> InferenceError {
        let allowed = allowed.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ");
        InferenceError::InvalidRequest {
            param: Some(param.to_owned()),
            code: Some("invalid_value"),
            message: format!("Invalid value for '{param}': '{value}'. Supported values are: {allowed}."),
        }
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            InferenceError::AccountNotFound
            | InferenceError::MissingApiVersion
            | InferenceError::DeploymentNotFound => StatusCode::NOT_FOUND,
            InferenceError::InvalidKey | InferenceError::InvalidToken => StatusCode::UNAUTHORIZED,
            InferenceError::DeploymentPaused { .. } => StatusCode::LOCKED,
            InferenceError::InvalidRequest { .. } => StatusCode::BAD_REQUEST,
        }
    }
}

impl IntoResponse for InferenceError {
    fn into_response(self) -> Response {
        let status = self.status();
        let error = |code: &str, message: &str| json!({"error": {"code": code, "message": message}});
        let body = match self {
            InferenceError::AccountNotFound => error("404", "Resource not found"),
            InferenceError::MissingApiVersion => {
                error("404", "Resource not found (the api-version query parameter is missing).")
            }
            InferenceError::InvalidKey => error(
                "401",
                "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid \
                 key for an active subscription and use a correct regional API endpoint for your resource.",
            ),
            // Entra token failures come from the gateway in front of the service, in its own shape.
            InferenceError::InvalidToken => json!({
                "statusCode": 401,
                "message": "Unauthorized. Access token is missing, invalid, audience is incorrect \
                            (https://cognitiveservices.azure.com), or have expired.",
            }),
            InferenceError::DeploymentNotFound => error(
                "DeploymentNotFound",
                "The API deployment for this resource does not exist. If you created the deployment within the \
                 last 5 minutes, please wait a moment and try again.",
            ),
            // Azure documents the status (423 Locked) but not the body; this code and message are the emulator's.
            InferenceError::DeploymentPaused { deployment } => error(
                "DeploymentPaused",
                &format!(
                    "The deployment '{deployment}' is paused and does not accept inference requests. Resume it \
                     (POST .../deployments/{deployment}/resume) and try again."
                ),
            ),
            InferenceError::InvalidRequest { param, code, message } => json!({"error": {
                "message": message,
                "type": "invalid_request_error",
                "param": param,
                "code": code,
            }}),
        };
        (status, axum::Json(body)).into_response()
    }
}
