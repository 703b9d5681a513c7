//! What an account serves beside ARM: its API keys (`listKeys`, `regenerateKey`) and an OpenAI-compatible inference
//! API per account, so gateways, apps and the official SDKs can be tested without Azure.
//!
//! Each account's `properties.endpoint` is `{base URL}/accounts/{account name}/` ([`endpoint`]); under it:
//! - `POST openai/v1/chat/completions` and `POST openai/v1/responses` with the deployment name as `model`
//!   (what `OpenAI(base_url="<endpoint>openai/v1/")` calls);
//! - `POST openai/deployments/{deployment}/chat/completions?api-version=...` and `POST openai/responses?api-version=...`
//!   (what `AzureOpenAI(azure_endpoint=..., api_version=...)` calls).
//!
//! A model router deployment answers with one of the models it routes to *now* ([`routing`]); the reply is text or
//! a call of an offered function ([`turn`]), rendered per API ([`chat`], [`responses`]); refusals carry Azure's
//! status and body ([`errors`]).

mod chat;
mod conversation;
mod errors;
mod responses;
mod routing;
mod turn;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use serde_json::{Value, json};

pub(crate) use turn::PromptCache;

use chat::ChatCompletion;
use conversation::Conversation;
use errors::InferenceError;
use responses::ResponseObject;
use turn::Turn;

use crate::Shared;
use crate::ids::{AccountPath, deployment_key};

/// The inference routes, merged into the base router.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/accounts/{account}/openai/v1/chat/completions", handler(Surface::V1, Api::ChatCompletions))
        .route("/accounts/{account}/openai/v1/responses", handler(Surface::V1, Api::Responses))
        .route(
            "/accounts/{account}/openai/deployments/{deployment}/chat/completions",
            handler(Surface::Versioned, Api::ChatCompletions),
        )
        .route("/accounts/{account}/openai/responses", handler(Surface::Versioned, Api::Responses))
}

/// The inference base URL of an account: what its `properties.endpoint` says.
pub(crate) fn endpoint(base_url: &str, account_name: &str) -> String {
    format!("{base_url}/accounts/{}/", account_name.to_ascii_lowercase())
}

// ---- Keys -----------------------------------------------------------------------------------------------------

/// The two keys of every account, created on first use and replaced by `regenerateKey`.
#[derive(Default)]
pub(crate) struct Keys {
    by_account: Mutex<HashMap<String, [String; 2]>>,
}

fn new_key() -> String {
    // 32 hex digits like Azure's keys; random, so a key found in a file or log proves a leak.
    uuid::Uuid::new_v4().simple().to_string()
}

impl Keys {
    /// key1 and key2 of the account with this store key.
    pub(crate) fn get(&self, account_key: &str) -> [String; 2] {
        let mut map = self.by_account.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(account_key.to_owned()).or_insert_with(|| [new_key(), new_key()]).clone()
    }

    fn regenerate(&self, account_key: &str, index: usize) -> [String; 2] {
        let mut map = self.by_account.lock().unwrap_or_else(|p| p.into_inner());
        let keys = map.entry(account_key.to_owned()).or_insert_with(|| [new_key(), new_key()]);
        keys[index] = new_key();
        keys.clone()
    }
}

fn keys_body(keys: [String; 2]) -> Response {
    let [key1, key2] = keys;
    axum::Json(json!({"key1": key1, "key2": key2})).into_response()
}

/// `POST {account}/listKeys` and `POST {account}/regenerateKey` (`{"keyName": "Key1" | "Key2"}`). `None` when
/// `path` is not one of these actions, so the ARM dispatcher goes on. Called after the bearer-token check.
pub(crate) fn account_action(
    shared: &Shared,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &Bytes,
) -> Option<Response> {
    let (account_path, action) = path.trim_end_matches('/').rsplit_once('/')?;
    let action = ["listKeys", "regenerateKey"].into_iter().find(|a| a.eq_ignore_ascii_case(action))?;
    let account = AccountPath::parse(account_path)?;
    let error = |status: StatusCode, code: &str, message: String| {
        Some((status, axum::Json(json!({"error": {"code": code, "message": message}}))).into_response())
    };
    if !query.unwrap_or_default().split('&').any(|p| p.strip_prefix("api-version=").is_some_and(|v| !v.is_empty())) {
        return error(
            StatusCode::BAD_REQUEST,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.".into(),
        );
    }
    if method != Method::POST {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("The emulator does not support {method} on '{path}'."),
        );
    }
    if shared.lock().account_by_key(&account.key()).is_none() {
        return error(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            format!(
                "The Resource 'Microsoft.CognitiveServices/accounts/{}' under resource group '{}' was not found.",
                account.name, account.resource_group
            ),
        );
    }
    if action == "listKeys" {
        return Some(keys_body(shared.keys.get(&account.key())));
    }
    let key_name = serde_json::from_slice::<Value>(body).ok().and_then(|b| b["keyName"].as_str().map(str::to_owned));
    let index = match key_name.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("key1") => 0,
        Some("key2") => 1,
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidRequestContent",
                format!("keyName must be Key1 or Key2, got {key_name:?}."),
            );
        }
    };
    Some(keys_body(shared.keys.regenerate(&account.key(), index)))
}

// ---- Inference ------------------------------------------------------------------------------------------------

/// The two APIs served.
#[derive(Clone, Copy, PartialEq)]
enum Api {
    ChatCompletions,
    Responses,
}

/// How a route names its deployment and which credentials it takes.
#[derive(Clone, Copy, PartialEq)]
enum Surface {
    /// `/openai/v1/...`: the deployment is the body's `model`; the account key also works as a bearer token.
    V1,
    /// `/openai/deployments/{d}/...` and `/openai/responses`: `?api-version=` required; keys only in `api-key`.
    Versioned,
}

/// The handler of one (surface, API) pair; path parameters `account` and, on the deployments route, `deployment`.
fn handler(surface: Surface, api: Api) -> MethodRouter<Arc<Shared>> {
    post(
        move |State(shared): State<Arc<Shared>>,
              Path(path): Path<HashMap<String, String>>,
              Query(query): Query<HashMap<String, String>>,
              headers: HeaderMap,
              body: Bytes| async move {
            let account = path.get("account").map(String::as_str).unwrap_or_default();
            let deployment = path.get("deployment").map(String::as_str);
            let served = match surface {
                Surface::Versioned => require_api_version(&query),
                Surface::V1 => Ok(()),
            }
            .and_then(|()| serve(&shared, account, deployment, surface, api, &headers, &body));
            served.unwrap_or_else(IntoResponse::into_response)
        },
    )
}

fn require_api_version(query: &HashMap<String, String>) -> Result<(), InferenceError> {
    match query.get("api-version") {
        Some(version) if !version.is_empty() => Ok(()),
        _ => Err(InferenceError::MissingApiVersion),
    }
}

/// Checks the credentials: an `api-key` header must be one of the account's keys. A bearer passes when it is one of
/// the keys (v1 routes only) or an access token the ARM routes accept; a bearer of a key's shape (32 hex digits)
/// that is neither is a wrong key on the v1 routes, where keys are expected, and an invalid token elsewhere.
fn authorize(shared: &Shared, account_key: &str, headers: &HeaderMap, surface: Surface) -> Result<(), InferenceError> {
    let header_text = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let keys = shared.keys.get(account_key);
    if let Some(key) = header_text("api-key") {
        return if keys.iter().any(|k| k == key) { Ok(()) } else { Err(InferenceError::InvalidKey) };
    }
    let Some(token) = header_text(header::AUTHORIZATION.as_str()).and_then(|h| h.strip_prefix("Bearer ")) else {
        return Err(InferenceError::InvalidKey);
    };
    // Azure's v1 API takes the key as a bearer (`OpenAI(api_key=<key>)`, LiteLLM's azure_ai provider).
    if surface == Surface::V1 && keys.iter().any(|k| k == token) {
        return Ok(());
    }
    let issued = || shared.lock().issued_tokens.contains(token);
    if shared.static_token.as_deref() == Some(token) || issued() {
        return Ok(());
    }
    let key_shaped = token.len() == 32 && token.chars().all(|c| c.is_ascii_hexdigit());
    match (key_shaped, surface, &shared.static_token) {
        (true, Surface::V1, _) => Err(InferenceError::InvalidKey),
        (true, Surface::Versioned, _) | (false, _, Some(_)) => Err(InferenceError::InvalidToken),
        // Without `--token` the emulator accepts any bearer, as its ARM routes do.
        (false, _, None) if !token.is_empty() => Ok(()),
        (false, _, None) => Err(InferenceError::InvalidToken),
    }
}

/// One inference request: the account and deployment resolved, credentials and state checked, the request read,
/// the answering model chosen and the turn rendered for `api`.
fn serve(
    shared: &Shared,
    account_name: &str,
    path_deployment: Option<&str>,
    surface: Surface,
    api: Api,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, InferenceError> {
    let request: Value = serde_json::from_slice(body).map_err(|e| InferenceError::InvalidRequest {
        param: None,
        code: None,
        message: format!("Invalid JSON body: {e}"),
    })?;
    let deployment = match path_deployment {
        Some(name) => name.to_owned(),
        None => request["model"].as_str().filter(|m| !m.is_empty()).map(str::to_owned).ok_or_else(|| {
            InferenceError::invalid("model", "Missing required parameter: 'model' (the name of the deployment).")
        })?,
    };
    let store = shared.lock_advanced();
    let account = store
        .accounts
        .values()
        .find(|a| a.path.name.eq_ignore_ascii_case(account_name))
        .ok_or(InferenceError::AccountNotFound)?;
    let account_path = account.path.clone();
    let stored = store
        .deployments
        .get(&deployment_key(&account_path, &deployment))
        .filter(|d| d.body["properties"]["provisioningState"].as_str().is_none_or(|s| s == "Succeeded"))
        .map(|d| d.body.clone());
    drop(store);
    authorize(shared, &account_path.key(), headers, surface)?;
    let stored = stored.ok_or(InferenceError::DeploymentNotFound)?;
    if stored["properties"]["deploymentState"].as_str().is_some_and(|s| s.eq_ignore_ascii_case("Paused")) {
        return Err(InferenceError::DeploymentPaused { deployment });
    }
    let conversation = match api {
        Api::ChatCompletions => Conversation::from_chat(&request)?,
        Api::Responses => Conversation::from_responses(&request)?,
    };
    let model = routing::answering_model(&stored, &conversation.text)
        .map_err(|message| InferenceError::InvalidRequest { param: None, code: None, message })?;
    let scope = deployment_key(&account_path, &deployment);
    let turn = Turn::new(&conversation, &model, &deployment, &scope, &shared.prompt_cache);
    let event_stream = |events: String| {
        ([(header::CONTENT_TYPE, "text/event-stream"), (header::CACHE_CONTROL, "no-cache")], events).into_response()
    };
    Ok(match (api, conversation.stream) {
        (Api::ChatCompletions, false) => axum::Json(ChatCompletion::new(turn).json()).into_response(),
        (Api::ChatCompletions, true) => {
            let include_usage = request["stream_options"]["include_usage"].as_bool() == Some(true);
            event_stream(ChatCompletion::new(turn).sse(include_usage))
        }
        (Api::Responses, false) => axum::Json(ResponseObject::new(turn, &request).json()).into_response(),
        (Api::Responses, true) => event_stream(ResponseObject::new(turn, &request).sse()),
    })
}
