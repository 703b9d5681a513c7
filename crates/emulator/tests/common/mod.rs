//! Helpers shared by the HTTP-level tests.
#![allow(dead_code)]

use modelrouter_emulator::{AccountSpec, Emulator, EmulatorOptions, Settings};
use serde_json::{Value, json};

pub const ACCOUNT: &str = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-test/providers/Microsoft.CognitiveServices/accounts/acct1";
pub const API: &str = "api-version=2026-09-01";
pub const TOKEN: &str = "test-token";

pub async fn start(settings: Settings) -> Emulator {
    Emulator::start(EmulatorOptions {
        port: 0,
        accounts: vec![AccountSpec::new(ACCOUNT)],
        static_token: Some(TOKEN.into()),
        settings,
    })
    .await
    .expect("emulator starts")
}

pub fn deployment_id(name: &str) -> String {
    format!("{ACCOUNT}/deployments/{name}")
}

pub fn url(emulator: &Emulator, path: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{}{path}{separator}{API}", emulator.base_url())
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("client")
}

pub async fn send(method: reqwest::Method, url: &str, body: Option<&Value>) -> reqwest::Response {
    let mut request = client().request(method, url).bearer_auth(TOKEN);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.expect("request answered")
}

pub async fn put(emulator: &Emulator, name: &str, body: &Value) -> reqwest::Response {
    send(reqwest::Method::PUT, &url(emulator, &deployment_id(name)), Some(body)).await
}

pub async fn get(emulator: &Emulator, name: &str) -> reqwest::Response {
    send(reqwest::Method::GET, &url(emulator, &deployment_id(name)), None).await
}

pub async fn delete(emulator: &Emulator, name: &str) -> reqwest::Response {
    send(reqwest::Method::DELETE, &url(emulator, &deployment_id(name)), None).await
}

pub async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.expect("JSON body")
}

pub async fn error_code(response: reqwest::Response) -> String {
    let body = json_of(response).await;
    body["error"]["code"].as_str().unwrap_or_default().to_string()
}

pub fn router_body(routing: Option<Value>) -> Value {
    let mut body = json!({
        "sku": {"name": "GlobalStandard", "capacity": 10},
        "properties": {
            "model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"},
        }
    });
    if let Some(routing) = routing {
        body["properties"]["routing"] = routing;
    }
    body
}

pub fn claude_body(sku: &str) -> Value {
    json!({
        "sku": {"name": sku, "capacity": 1},
        "properties": {
            "model": {"format": "Anthropic", "name": "claude-sonnet-4-5", "version": "20250929"},
            "modelProviderData": {"organizationName": "Contoso", "countryCode": "US", "industry": "technology"}
        }
    })
}

pub fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}
