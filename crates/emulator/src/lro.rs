//! Long-running operations: the headers of an accepted PUT/DELETE and the two poll endpoints
//! (`/operations/{id}` for `Azure-AsyncOperation`, `/operationResults/{id}` for `Location`).

use crate::Shared;
use crate::arm::{arm_error, render_deployment};
use crate::state::{LroStyle, Operation, OperationKind, format_time};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) fn async_operation_url(base: &str, id: &str, api_version: &str) -> String {
    format!("{base}/operations/{id}?api-version={api_version}")
}

pub(crate) fn location_url(base: &str, id: &str, api_version: &str) -> String {
    format!("{base}/operationResults/{id}?api-version={api_version}")
}

/// `Retry-After` (whole seconds, rounded up) and `retry-after-ms` (exact) for the time an operation has left.
pub(crate) fn add_retry_headers(headers: &mut HeaderMap, remaining: Duration) {
    let millis = u64::try_from(remaining.as_millis()).unwrap_or(u64::MAX);
    headers.insert(header::RETRY_AFTER, HeaderValue::from(millis.div_ceil(1000)));
    headers.insert("retry-after-ms", HeaderValue::from(millis));
}

/// Headers of the first answer to a PUT or DELETE, by LRO style. A DELETE in the AsyncOperation style
/// carries `Location` as well, as ARM's delete convention has it.
pub(crate) fn add_operation_headers(
    headers: &mut HeaderMap,
    style: LroStyle,
    base: &str,
    operation: &Operation,
    api_version: &str,
    is_delete: bool,
    now: Instant,
) {
    let insert = |headers: &mut HeaderMap, name: &'static str, url: String| {
        if let Ok(value) = HeaderValue::from_str(&url) {
            headers.insert(name, value);
        }
    };
    match style {
        LroStyle::AsyncOperation => {
            insert(headers, "azure-asyncoperation", async_operation_url(base, &operation.id, api_version));
            if is_delete {
                insert(headers, "location", location_url(base, &operation.id, api_version));
            }
        }
        LroStyle::Location => insert(headers, "location", location_url(base, &operation.id, api_version)),
        LroStyle::ProvisioningState | LroStyle::Synchronous => return,
    }
    add_retry_headers(headers, operation.remaining(now));
}

fn operation_not_found(id: &str) -> Response {
    arm_error(StatusCode::NOT_FOUND, "OperationNotFound", format!("The operation '{id}' was not found."))
}

/// `GET /operations/{id}`: always 200 with `{id, name, status, startTime, endTime?, error?}`.
pub(crate) fn poll_async_operation(shared: &Shared, id: &str) -> Response {
    let now = Instant::now();
    let store = shared.lock_advanced();
    let Some(operation) = store.operations.get(id) else {
        return operation_not_found(id);
    };
    let mut body = json!({
        "id": format!("{}/operations/{}", shared.base_url, operation.id),
        "name": operation.id,
        "status": operation.status(),
        "startTime": format_time(operation.started_at),
    });
    if let Some(end) = operation.finished_at {
        body["endTime"] = json!(format_time(end));
    }
    if operation.finished
        && let Some((code, message)) = operation.outcome.error()
    {
        body["error"] = json!({"code": code, "message": message});
    }
    let mut response = axum::Json(body).into_response();
    add_retry_headers(response.headers_mut(), operation.remaining(now));
    response
}

/// The final answer of a finished operation in the `Location` convention: the resource (PUT, 200),
/// 204 (DELETE), or the operation's error with status 400 when it failed or was canceled.
fn final_result(operation: &Operation, quirks: &crate::state::Quirks) -> Response {
    if let Some((code, message)) = operation.outcome.error() {
        return arm_error(StatusCode::BAD_REQUEST, code, message);
    }
    match operation.kind {
        OperationKind::Delete => StatusCode::NO_CONTENT.into_response(),
        OperationKind::Put { .. } => {
            let body = operation.final_body.as_ref().map(|b| render_deployment(b, quirks)).unwrap_or_else(|| json!({}));
            axum::Json(body).into_response()
        }
    }
}

/// `GET /operationResults/{id}`: 202 (with `Location` and retry headers) while running, then the final result.
pub(crate) fn poll_location(shared: &Shared, id: &str) -> Response {
    let now = Instant::now();
    let store = shared.lock_advanced();
    let Some(operation) = store.operations.get(id) else {
        return operation_not_found(id);
    };
    if operation.finished {
        return final_result(operation, &store.settings.quirks);
    }
    let mut response = StatusCode::ACCEPTED.into_response();
    let url = format!("{}/operationResults/{}", shared.base_url, operation.id);
    if let Ok(value) = HeaderValue::from_str(&url) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    add_retry_headers(response.headers_mut(), operation.remaining(now));
    response
}

/// The Synchronous style: wait for the operation, then answer with its result in one response
/// (PUT: the resource with `success_status`; DELETE: 200; failure: the operation's error with 400).
pub(crate) async fn wait_synchronously(shared: &Arc<Shared>, op_id: &str, success_status: StatusCode) -> Response {
    loop {
        let remaining = {
            let store = shared.lock_advanced();
            let Some(operation) = store.operations.get(op_id) else {
                return operation_not_found(op_id);
            };
            if operation.finished {
                if let Some((code, message)) = operation.outcome.error() {
                    return arm_error(StatusCode::BAD_REQUEST, code, message);
                }
                return match operation.kind {
                    OperationKind::Delete => StatusCode::OK.into_response(),
                    OperationKind::Put { .. } => {
                        let body = operation
                            .final_body
                            .as_ref()
                            .map(|b| render_deployment(b, &store.settings.quirks))
                            .unwrap_or_else(|| json!({}));
                        (success_status, axum::Json(body)).into_response()
                    }
                };
            }
            operation.remaining(Instant::now())
        };
        tokio::time::sleep(remaining.max(Duration::from_millis(1))).await;
    }
}
