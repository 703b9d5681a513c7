//! Token endpoints: the Entra ID OAuth2 v2.0 token endpoint (TLS listener), the App Service managed identity
//! endpoint and the GitHub Actions OIDC endpoint (base listener). Issued access tokens are accepted on the
//! ARM routes. Secrets and tokens are never logged; only the grant kind is recorded.

use crate::Shared;
use crate::state::TokenGrant;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The value `X-IDENTITY-HEADER` must carry on `GET /msi/token` (set `IDENTITY_HEADER` to it).
pub const MSI_IDENTITY_HEADER: &str = "modelrouter-emulator-identity-header";
/// Lifetime of issued tokens.
const TOKEN_LIFETIME_SECS: i64 = 3600;
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// An unsigned JWT-shaped token: some clients peek at the claims, none here verify them.
pub(crate) fn fake_jwt(claims: Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signature = URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes());
    format!("{header}.{payload}.{signature}")
}

pub(crate) fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn issue_access_token(shared: &Shared, audience: &str, tenant: Option<&str>, client_id: Option<&str>) -> String {
    let now = unix_now();
    let token = fake_jwt(json!({
        "aud": audience,
        "iss": format!("{}/{}/v2.0", shared.authority_url, tenant.unwrap_or("emulator")),
        "tid": tenant,
        "appid": client_id,
        "iat": now,
        "nbf": now,
        "exp": now + TOKEN_LIFETIME_SECS,
        "jti": uuid::Uuid::new_v4().to_string(),
    }));
    shared.lock().issued_tokens.insert(token.clone());
    token
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, axum::Json(json!({"error": error, "error_description": description}))).into_response()
}

#[derive(Deserialize)]
pub(crate) struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    client_assertion: Option<String>,
    client_assertion_type: Option<String>,
    scope: Option<String>,
}

/// `POST /{tenant}/oauth2/v2.0/token`, grant `client_credentials` with a client secret or a client assertion.
pub(crate) async fn oauth2_token(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Form(form): Form<TokenForm>,
) -> Response {
    if form.grant_type.as_deref() != Some("client_credentials") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "AADSTS70003: the emulator supports grant_type=client_credentials only.",
        );
    }
    let Some(client_id) = form.client_id.as_deref().filter(|c| !c.is_empty()) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "AADSTS900144: client_id is required.");
    };
    let grant = if form.client_secret.as_deref().is_some_and(|s| !s.is_empty()) {
        "client_secret"
    } else if let Some(assertion) = form.client_assertion.as_deref().filter(|a| !a.is_empty())
        && form.client_assertion_type.as_deref() == Some(ASSERTION_TYPE)
    {
        // An assertion naming a certificate is verified against the registered one; a federated (OIDC) token
        // is accepted as it is.
        let audience = format!("{}/{tenant}/oauth2/v2.0/token", shared.authority_url);
        match crate::client_certs::verify(&shared, assertion, client_id, &audience) {
            Ok(true) => "client_certificate",
            Ok(false) => "client_assertion",
            Err(reason) => return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", &reason),
        }
    } else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "AADSTS7000216: client_secret or client_assertion (jwt-bearer) is required.",
        );
    };
    let Some(scope) = form.scope.as_deref().filter(|s| !s.is_empty()) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", "AADSTS900144: scope is required.");
    };
    let audience = scope.trim_end_matches("/.default");
    let token = issue_access_token(&shared, audience, Some(&tenant), Some(client_id));
    shared.lock().token_grants.push(TokenGrant {
        endpoint: "oauth2".into(),
        tenant: Some(tenant),
        client_id: Some(client_id.to_string()),
        grant: grant.into(),
        scope: Some(scope.to_string()),
    });
    tracing::info!(grant, "issued an access token (oauth2)");
    axum::Json(json!({
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME_SECS,
        "ext_expires_in": TOKEN_LIFETIME_SECS,
        "access_token": token,
    }))
    .into_response()
}

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`: the discovery document, for clients that ask first.
pub(crate) async fn openid_configuration(State(shared): State<Arc<Shared>>, Path(tenant): Path<String>) -> Response {
    let authority = format!("{}/{tenant}", shared.authority_url);
    axum::Json(json!({
        "issuer": format!("{authority}/v2.0"),
        "token_endpoint": format!("{authority}/oauth2/v2.0/token"),
        "authorization_endpoint": format!("{authority}/oauth2/v2.0/authorize"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
        "grant_types_supported": ["client_credentials"],
        "tenant_region_scope": "NA",
    }))
    .into_response()
}

#[derive(Deserialize)]
pub(crate) struct MsiQuery {
    resource: Option<String>,
    client_id: Option<String>,
}

/// `GET /msi/token?api-version=2019-08-01&resource=...` (App Service flavour).
pub(crate) async fn msi_token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<MsiQuery>,
) -> Response {
    let header_ok = headers.get("x-identity-header").and_then(|v| v.to_str().ok()) == Some(MSI_IDENTITY_HEADER);
    if !header_ok {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_request", "X-IDENTITY-HEADER is missing or wrong.");
    }
    let Some(resource) = query.resource.filter(|r| !r.is_empty()) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "resource is required.");
    };
    let token = issue_access_token(&shared, &resource, None, query.client_id.as_deref());
    shared.lock().token_grants.push(TokenGrant {
        endpoint: "msi".into(),
        tenant: None,
        client_id: query.client_id.clone(),
        grant: "managed_identity".into(),
        scope: Some(resource.clone()),
    });
    tracing::info!("issued an access token (managed identity)");
    let mut body = json!({
        "access_token": token,
        "expires_on": (unix_now() + TOKEN_LIFETIME_SECS).to_string(),
        "resource": resource,
        "token_type": "Bearer",
    });
    if let Some(client_id) = query.client_id {
        body["client_id"] = json!(client_id);
    }
    axum::Json(body).into_response()
}

/// The 401 a pipeline's token endpoint answers when the request carries no non-empty bearer token (GitHub's
/// request token, Azure DevOps' system access token); `None` when it does.
pub(crate) fn refuse_without_bearer(headers: &HeaderMap) -> Option<Response> {
    let has_bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty());
    (!has_bearer)
        .then(|| (StatusCode::UNAUTHORIZED, axum::Json(json!({"message": "Bearer token required"}))).into_response())
}

#[derive(Deserialize)]
pub(crate) struct OidcQuery {
    audience: Option<String>,
}

/// `GET /github/oidc?audience=...` (GitHub Actions `ACTIONS_ID_TOKEN_REQUEST_URL`): any non-empty bearer
/// (`ACTIONS_ID_TOKEN_REQUEST_TOKEN`) is accepted; answers `{"value": "<jwt>"}`.
pub(crate) async fn github_oidc(headers: HeaderMap, Query(query): Query<OidcQuery>) -> Response {
    if let Some(refused) = refuse_without_bearer(&headers) {
        return refused;
    }
    let now = unix_now();
    let audience = query.audience.unwrap_or_else(|| "api://AzureADTokenExchange".to_string());
    let value = fake_jwt(json!({
        "iss": "https://token.actions.githubusercontent.com",
        "sub": "repo:example/infrastructure:ref:refs/heads/main",
        "aud": audience,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
    }));
    axum::Json(json!({"count": 1, "value": value})).into_response()
}
