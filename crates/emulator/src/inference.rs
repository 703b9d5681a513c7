//! What an account serves beside ARM: its API keys (`listKeys`, `regenerateKey`) and an OpenAI-compatible chat
//! completions endpoint per account, so a gateway's wiring can be tested without Azure.
//!
//! Each account's `properties.endpoint` is `{base URL}/accounts/{account name}/` ([`endpoint`]); under it:
//! - `POST openai/v1/chat/completions` with the deployment name as `model`;
//! - `POST openai/deployments/{deployment}/chat/completions?api-version=...`.
//!
//! Both take the `api-key` header (key1 or key2 of that account) or a bearer token the ARM routes accept, and
//! answer as Azure OpenAI does, streamed as server-sent events with `"stream": true` (a final usage chunk when
//! `stream_options.include_usage` is set, then `data: [DONE]`). A model router deployment answers with one of
//! the models it routes to *now* (its subset, or the router version's default set from the catalog), chosen
//! deterministically from the prompt and its routing mode: `cost` leans to the models with the smallest context
//! window, `quality` to the largest, `balanced` spreads evenly. An admin PATCH of the subset therefore changes
//! which models answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

use crate::Shared;
use crate::ids::{AccountPath, deployment_key};

/// The inference routes, merged into the base router.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/accounts/{account}/openai/v1/chat/completions", post(v1_chat_completions)).route(
        "/accounts/{account}/openai/deployments/{deployment}/chat/completions",
        post(deployment_chat_completions),
    )
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

// ---- Chat completions -----------------------------------------------------------------------------------------

/// An Azure OpenAI data-plane error: `{"error": {"code", "message"}}`.
fn openai_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(json!({"error": {"code": code, "message": message}}))).into_response()
}

fn unauthorized() -> Response {
    openai_error(
        StatusCode::UNAUTHORIZED,
        "401",
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an \
         active subscription and use a correct regional API endpoint for your resource.",
    )
}

fn deployment_not_found() -> Response {
    openai_error(
        StatusCode::NOT_FOUND,
        "DeploymentNotFound",
        "The API deployment for this resource does not exist. If you created the deployment within the last 5 \
         minutes, please wait a moment and try again.",
    )
}

async fn v1_chat_completions(
    State(shared): State<Arc<Shared>>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return openai_error(StatusCode::BAD_REQUEST, "BadRequest", &format!("Invalid JSON body: {e}")),
    };
    let Some(deployment) = request["model"].as_str().filter(|m| !m.is_empty()).map(str::to_owned) else {
        return openai_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "model is required: the name of the deployment to send the request to.",
        );
    };
    chat(&shared, &account, &deployment, &headers, &request)
}

async fn deployment_chat_completions(
    State(shared): State<Arc<Shared>>,
    Path((account, deployment)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if query.get("api-version").is_none_or(|v| v.is_empty()) {
        return openai_error(
            StatusCode::NOT_FOUND,
            "404",
            "Resource not found (the api-version query parameter is missing).",
        );
    }
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return openai_error(StatusCode::BAD_REQUEST, "BadRequest", &format!("Invalid JSON body: {e}")),
    };
    chat(&shared, &account, &deployment, &headers, &request)
}

/// Whether the request carries this account's key or a token the ARM routes accept.
fn authorized(shared: &Shared, account_key: &str, headers: &HeaderMap) -> bool {
    let header_text = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(key) = header_text("api-key") {
        return shared.keys.get(account_key).iter().any(|k| k == key);
    }
    let Some(token) = header_text(header::AUTHORIZATION.as_str()).and_then(|h| h.strip_prefix("Bearer ")) else {
        return false;
    };
    // Azure's OpenAI-compatible v1 endpoint also takes the account key as a bearer token (LiteLLM's azure_ai
    // provider sends it that way).
    if shared.keys.get(account_key).iter().any(|k| k == token) {
        return true;
    }
    match &shared.static_token {
        None => !token.is_empty(),
        Some(expected) => token == expected || shared.lock().issued_tokens.contains(token),
    }
}

fn chat(shared: &Shared, account_name: &str, deployment: &str, headers: &HeaderMap, request: &Value) -> Response {
    let store = shared.lock_advanced();
    let Some(account) = store.accounts.values().find(|a| a.path.name.eq_ignore_ascii_case(account_name)) else {
        return openai_error(StatusCode::NOT_FOUND, "404", "Resource not found");
    };
    let account_path = account.path.clone();
    let served = store
        .deployments
        .get(&deployment_key(&account_path, deployment))
        .filter(|d| d.body["properties"]["provisioningState"].as_str().is_none_or(|s| s == "Succeeded"))
        .map(|d| d.body.clone());
    drop(store);
    if !authorized(shared, &account_path.key(), headers) {
        return unauthorized();
    }
    let Some(body) = served else {
        return deployment_not_found();
    };
    let Some(messages) = request["messages"].as_array().filter(|m| !m.is_empty()) else {
        return openai_error(StatusCode::BAD_REQUEST, "BadRequest", "messages must be a non-empty array.");
    };
    let prompt = prompt_text(messages);
    let model = match answering_model(&body, &prompt) {
        Ok(model) => model,
        Err(message) => return openai_error(StatusCode::BAD_REQUEST, "BadRequest", &message),
    };
    let completion = Completion::new(&model, deployment, &prompt);
    if request["stream"].as_bool() == Some(true) {
        let include_usage = request["stream_options"]["include_usage"].as_bool() == Some(true);
        (
            [(header::CONTENT_TYPE, "text/event-stream"), (header::CACHE_CONTROL, "no-cache")],
            completion.sse(include_usage),
        )
            .into_response()
    } else {
        axum::Json(completion.json()).into_response()
    }
}

/// The text of every message, for choosing a model and counting tokens (content strings or text parts).
fn prompt_text(messages: &[Value]) -> String {
    let mut text = String::new();
    for message in messages {
        match &message["content"] {
            Value::String(s) => text.push_str(s),
            Value::Array(parts) => parts.iter().filter_map(|p| p["text"].as_str()).for_each(|t| text.push_str(t)),
            _ => {}
        }
        text.push('\n');
    }
    text
}

/// A model as Azure names it in responses: `gpt-5-mini-2025-08-07`; a version that is not a date
/// (`DeepSeek-V3.1` version `1`) is not appended.
pub(crate) fn response_model_name(name: &str, version: &str) -> String {
    let date_like = version.len() >= 8 && version.chars().all(|c| c.is_ascii_digit() || c == '-');
    if date_like { format!("{name}-{version}") } else { name.to_owned() }
}

/// A routable model: name, version and the catalog's context window (for ordering by size).
#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    name: String,
    version: String,
    context_window: Option<u64>,
}

/// The models a router deployment routes to now: its subset, or its version's default set.
fn router_candidates(body: &Value, router_version: &str) -> Result<Vec<Candidate>, String> {
    let router = modelrouter_catalog::catalog().router_version(router_version);
    let window = |name: &str| router.and_then(|r| r.find_model(name)).and_then(|m| m.context_window);
    let subset = body["properties"]["routing"]["models"].as_array().filter(|m| !m.is_empty());
    let candidates: Vec<Candidate> = match subset {
        Some(models) => models
            .iter()
            .filter_map(|m| {
                let name = m["name"].as_str()?;
                let version = m["version"]
                    .as_str()
                    .map(str::to_owned)
                    .or_else(|| router.and_then(|r| r.find_model(name)).map(|entry| entry.version.clone()))?;
                Some(Candidate { name: name.to_owned(), version, context_window: window(name) })
            })
            .collect(),
        None => router
            .map(|r| {
                r.default_set()
                    .iter()
                    .map(|m| Candidate {
                        name: m.name.clone(),
                        version: m.version.clone(),
                        context_window: m.context_window,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    if candidates.is_empty() {
        return Err(format!("The emulator knows no models for model router version {router_version:?}."));
    }
    Ok(candidates)
}

/// FNV-1a: a stable hash of the prompt (std's hasher is randomly seeded per process).
fn fnv1a(text: &str, seed: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ seed;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Which model answers `prompt` on this deployment, as Azure spells it in the response.
fn answering_model(body: &Value, prompt: &str) -> Result<String, String> {
    let model = &body["properties"]["model"];
    let name = model["name"].as_str().unwrap_or_default();
    let version = model["version"].as_str().unwrap_or_default();
    if !name.eq_ignore_ascii_case("model-router") {
        return Ok(response_model_name(name, version));
    }
    let mut candidates = router_candidates(body, version)?;
    // Smallest first: unknown windows count as large (the catalog documents the small ones), then by name.
    candidates.sort_by(|a, b| {
        a.context_window.unwrap_or(u64::MAX).cmp(&b.context_window.unwrap_or(u64::MAX)).then(a.name.cmp(&b.name))
    });
    let mode = body["properties"]["routing"]["mode"].as_str().unwrap_or("balanced").to_ascii_lowercase();
    let n = candidates.len() as u64;
    let (first, second) = (fnv1a(prompt, 1) % n, fnv1a(prompt, 2) % n);
    // The smaller of two draws leans to the start of the ordering, the larger to its end.
    let index = match mode.as_str() {
        "cost" => first.min(second),
        "quality" => first.max(second),
        _ => first,
    };
    let chosen = &candidates[index as usize];
    Ok(response_model_name(&chosen.name, &chosen.version))
}

/// One answer, rendered whole or as a stream.
struct Completion {
    id: String,
    created: i64,
    model: String,
    content: String,
    prompt_tokens: u64,
    completion_tokens: u64,
}

/// A rough token count (about four characters a token), enough for usage figures.
fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4).max(1)
}

impl Completion {
    fn new(model: &str, deployment: &str, prompt: &str) -> Completion {
        let excerpt: String = prompt.trim().chars().take(60).collect();
        let content = format!("Emulated answer from {model} (deployment {deployment}) to: {excerpt}");
        Completion {
            id: format!("chatcmpl-{:016x}", fnv1a(prompt, 3)),
            created: time::OffsetDateTime::now_utc().unix_timestamp(),
            model: model.to_owned(),
            completion_tokens: tokens(&content),
            prompt_tokens: tokens(prompt),
            content,
        }
    }

    fn usage(&self) -> Value {
        json!({
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
        })
    }

    fn json(&self) -> Value {
        json!({
            "id": self.id,
            "object": "chat.completion",
            "created": self.created,
            "model": self.model,
            "choices": [{
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": self.content},
            }],
            "usage": self.usage(),
        })
    }

    fn chunk(&self, choices: Value) -> Value {
        json!({
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": choices,
        })
    }

    /// The whole stream: a role chunk, one chunk per word, the finish chunk, the usage chunk when asked for,
    /// then `[DONE]`.
    fn sse(&self, include_usage: bool) -> String {
        let mut events = vec![self.chunk(json!([{
            "index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null
        }]))];
        for word in self.content.split_inclusive(' ') {
            events.push(self.chunk(json!([{"index": 0, "delta": {"content": word}, "finish_reason": null}])));
        }
        events.push(self.chunk(json!([{"index": 0, "delta": {}, "finish_reason": "stop"}])));
        if include_usage {
            let mut usage = self.chunk(json!([]));
            usage["usage"] = self.usage();
            events.push(usage);
        }
        let mut out = String::new();
        for event in events {
            out.push_str(&format!("data: {event}\n\n"));
        }
        out.push_str("data: [DONE]\n\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router(mode: &str, models: &[(&str, &str)]) -> Value {
        json!({"properties": {
            "model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"},
            "routing": {"mode": mode, "models": models.iter().map(|(n, v)| json!({"name": n, "version": v})).collect::<Vec<_>>()},
        }})
    }

    #[test]
    fn azure_spells_dated_versions_into_the_model_name() {
        assert_eq!(response_model_name("gpt-5-mini", "2025-08-07"), "gpt-5-mini-2025-08-07");
        assert_eq!(response_model_name("claude-sonnet-4-5", "20250929"), "claude-sonnet-4-5-20250929");
        assert_eq!(response_model_name("DeepSeek-V3.1", "1"), "DeepSeek-V3.1");
    }

    #[test]
    fn the_choice_is_deterministic_and_within_the_subset() {
        let body =
            router("balanced", &[("gpt-5-mini", "2025-08-07"), ("gpt-5.2", "2025-12-11"), ("gpt-4.1", "2025-04-14")]);
        let allowed = ["gpt-5-mini-2025-08-07", "gpt-5.2-2025-12-11", "gpt-4.1-2025-04-14"];
        let mut seen = std::collections::HashSet::new();
        for i in 0..50 {
            let prompt = format!("question number {i}");
            let model = answering_model(&body, &prompt).unwrap();
            assert!(allowed.contains(&model.as_str()), "{model}");
            assert_eq!(answering_model(&body, &prompt).unwrap(), model, "same prompt, same model");
            seen.insert(model);
        }
        assert_eq!(seen.len(), 3, "balanced spreads over the whole subset: {seen:?}");
    }

    #[test]
    fn cost_leans_small_and_quality_leans_large() {
        let models = [("gpt-5-mini", "2025-08-07"), ("gpt-4.1", "2025-04-14"), ("gpt-5.2", "2025-12-11")];
        let ordered = {
            let mut c = router_candidates(&router("cost", &models), "2025-11-18").unwrap();
            c.sort_by(|a, b| {
                a.context_window
                    .unwrap_or(u64::MAX)
                    .cmp(&b.context_window.unwrap_or(u64::MAX))
                    .then(a.name.cmp(&b.name))
            });
            c.into_iter().map(|c| response_model_name(&c.name, &c.version)).collect::<Vec<_>>()
        };
        let count = |mode: &str, model: &str| {
            (0..200).filter(|i| answering_model(&router(mode, &models), &format!("p{i}")).unwrap() == model).count()
        };
        let (smallest, largest) = (&ordered[0], &ordered[2]);
        assert!(count("cost", smallest) > count("quality", smallest), "cost favours {smallest}");
        assert!(count("quality", largest) > count("cost", largest), "quality favours {largest}");
    }

    #[test]
    fn no_subset_routes_over_the_default_set() {
        let body = json!({"properties": {"model": {"name": "model-router", "version": "2025-11-18"}}});
        let defaults: Vec<String> = modelrouter_catalog::catalog()
            .router_version("2025-11-18")
            .unwrap()
            .default_set()
            .iter()
            .map(|m| response_model_name(&m.name, &m.version))
            .collect();
        for i in 0..20 {
            let model = answering_model(&body, &format!("q{i}")).unwrap();
            assert!(defaults.contains(&model), "{model}");
        }
    }

    #[test]
    fn a_plain_deployment_answers_with_its_own_model() {
        let body = json!({"properties": {"model": {"name": "gpt-4o", "version": "2024-11-20"}}});
        assert_eq!(answering_model(&body, "hi").unwrap(), "gpt-4o-2024-11-20");
    }

    #[test]
    fn the_stream_ends_with_usage_then_done() {
        let completion = Completion::new("gpt-5-mini-2025-08-07", "router", "hello there");
        let stream = completion.sse(true);
        let events: Vec<&str> = stream.split("\n\n").filter(|e| !e.is_empty()).collect();
        assert_eq!(*events.last().unwrap(), "data: [DONE]");
        let usage: Value = serde_json::from_str(events[events.len() - 2].strip_prefix("data: ").unwrap()).unwrap();
        assert_eq!(usage["choices"], json!([]));
        assert_eq!(
            usage["usage"]["total_tokens"].as_u64(),
            Some(completion.prompt_tokens + completion.completion_tokens)
        );
        assert!(!completion.sse(false).contains("\"usage\""));
    }
}
