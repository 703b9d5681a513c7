//! The Azure DevOps pipeline OIDC endpoint (`SYSTEM_OIDCREQUESTURI`): `POST {base}/ado/oidc?api-version=7.1&
//! serviceConnectionId=ID` with the job's access token as bearer answers `{"oidcToken": "<jwt>"}`, the service
//! connection's federated token.

use crate::tokens::{fake_jwt, refuse_without_bearer, unix_now};
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub(crate) struct AdoQuery {
    #[serde(rename = "serviceConnectionId")]
    service_connection_id: Option<String>,
    #[serde(rename = "api-version")]
    api_version: Option<String>,
}

pub(crate) async fn azure_devops_oidc(headers: HeaderMap, Query(query): Query<AdoQuery>) -> Response {
    if let Some(refused) = refuse_without_bearer(&headers) {
        return refused;
    }
    let (Some(connection), Some(_)) =
        (query.service_connection_id.filter(|c| !c.is_empty()), query.api_version.filter(|v| !v.is_empty()))
    else {
        let message = "api-version and serviceConnectionId are required";
        return (StatusCode::BAD_REQUEST, axum::Json(json!({"message": message}))).into_response();
    };
    let now = unix_now();
    let token = fake_jwt(json!({
        "iss": "https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000",
        "sub": format!("sc://example/infrastructure/{connection}"),
        "aud": "api://AzureADTokenExchange",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }));
    axum::Json(json!({"oidcToken": token})).into_response()
}
