//! The account's data plane: listKeys/regenerateKey, and chat completions answered by the routed models of a
//! model router as its routing stands now (an admin PATCH of the subset changes who answers).

mod common;

use std::collections::BTreeSet;

use common::*;
use modelrouter_emulator::{Emulator, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const SUBSET: [(&str, &str); 3] = [("gpt-5-mini", "2025-08-07"), ("gpt-4.1", "2025-04-14"), ("gpt-5.2", "2025-12-11")];

fn routing(mode: &str, models: &[(&str, &str)]) -> Value {
    json!({"mode": mode, "models": models.iter().map(|(name, version)| json!({"format": "OpenAI", "name": name, "version": version})).collect::<Vec<_>>()})
}

/// The names Azure would report for these models.
fn answer_names(models: &[(&str, &str)]) -> BTreeSet<String> {
    models.iter().map(|(name, version)| format!("{name}-{version}")).collect()
}

async fn router(emulator: &Emulator, name: &str, mode: &str, models: &[(&str, &str)]) {
    emulator.seed_deployment(&deployment_id(name), router_body(Some(routing(mode, models))));
}

async fn keys(emulator: &Emulator) -> (String, String) {
    let response = send(Method::POST, &url(emulator, &format!("{ACCOUNT}/listKeys")), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_of(response).await;
    (body["key1"].as_str().unwrap().to_owned(), body["key2"].as_str().unwrap().to_owned())
}

/// The account's inference base URL, as its ARM `properties.endpoint` gives it.
async fn endpoint(emulator: &Emulator) -> String {
    let account = json_of(send(Method::GET, &url(emulator, ACCOUNT), None).await).await;
    account["properties"]["endpoint"].as_str().expect("endpoint").to_owned()
}

async fn chat(endpoint: &str, key: &str, body: Value) -> reqwest::Response {
    client()
        .post(format!("{endpoint}openai/v1/chat/completions"))
        .header("api-key", key)
        .json(&body)
        .send()
        .await
        .expect("answered")
}

fn prompt(deployment: &str, text: &str) -> Value {
    json!({"model": deployment, "messages": [{"role": "user", "content": text}]})
}

#[tokio::test]
async fn the_account_endpoint_points_at_the_emulator() {
    let emulator = start(Settings::default()).await;
    let endpoint = endpoint(&emulator).await;
    assert_eq!(endpoint, format!("{}/accounts/acct1/", emulator.base_url()));
}

#[tokio::test]
async fn list_and_regenerate_keys() {
    let emulator = start(Settings::default()).await;
    let (key1, key2) = keys(&emulator).await;
    assert_eq!((key1.len(), key2.len()), (32, 32));
    assert_ne!(key1, key2);
    assert_eq!(keys(&emulator).await, (key1.clone(), key2.clone()), "stable until regenerated");

    let regenerate = url(&emulator, &format!("{ACCOUNT}/regenerateKey"));
    let response = send(Method::POST, &regenerate, Some(&json!({"keyName": "Key2"}))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_of(response).await;
    assert_eq!(body["key1"], key1.as_str());
    assert_ne!(body["key2"], key2.as_str());
    let bad = send(Method::POST, &regenerate, Some(&json!({"keyName": "Key3"}))).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // ARM rules: token required, unknown account 404, api-version required.
    let anonymous = client().post(url(&emulator, &format!("{ACCOUNT}/listKeys"))).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let other = ACCOUNT.replace("acct1", "nope");
    let missing = send(Method::POST, &url(&emulator, &format!("{other}/listKeys")), None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(missing).await, "ResourceNotFound");
    let no_version = send(Method::POST, &format!("{}{ACCOUNT}/listKeys", emulator.base_url()), None).await;
    assert_eq!(error_code(no_version).await, "MissingApiVersionParameter");
}

#[tokio::test]
async fn twenty_prompts_are_answered_within_the_subset_and_follow_a_portal_change() {
    let emulator = start(Settings::default()).await;
    router(&emulator, "router", "balanced", &SUBSET).await;
    let endpoint = endpoint(&emulator).await;
    let (key1, _) = keys(&emulator).await;

    let allowed = answer_names(&SUBSET);
    let mut answered = BTreeSet::new();
    for i in 0..20 {
        let response = chat(&endpoint, &key1, prompt("router", &format!("Prompt {i}: summarise our Q{i} plan."))).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body = json_of(response).await;
        let model = body["model"].as_str().unwrap().to_owned();
        assert!(allowed.contains(&model), "{model} is not in the subset {allowed:?}");
        assert_eq!(body["object"], "chat.completion");
        assert!(body["choices"][0]["message"]["content"].as_str().unwrap().contains(&model));
        assert!(body["usage"]["total_tokens"].as_u64().unwrap() > 0);
        answered.insert(model);
    }
    assert!(answered.len() > 1, "a balanced router spreads prompts over its subset: {answered:?}");

    // The portal (admin PATCH) narrows the subset: every answer now comes from the new one.
    let new_subset = [("gpt-5-nano", "2025-08-07"), ("o4-mini", "2025-04-16")];
    let patch = client()
        .patch(format!("{}/admin/deployments{}", emulator.base_url(), deployment_id("router")))
        .json(&json!({"properties": {"routing": routing("balanced", &new_subset)}}))
        .send()
        .await
        .unwrap();
    assert!(patch.status().is_success(), "{}", patch.status());
    let allowed = answer_names(&new_subset);
    for i in 0..20 {
        let body = json_of(chat(&endpoint, &key1, prompt("router", &format!("Prompt {i}: again"))).await).await;
        let model = body["model"].as_str().unwrap();
        assert!(allowed.contains(model), "{model} is not in the new subset {allowed:?}");
    }
}

#[tokio::test]
async fn the_deployments_route_with_api_version_and_bearer_token() {
    let emulator = start(Settings::default()).await;
    router(&emulator, "router", "cost", &SUBSET).await;
    let endpoint = endpoint(&emulator).await;
    let response = client()
        .post(format!("{endpoint}openai/deployments/router/chat/completions?api-version=2025-01-01-preview"))
        .bearer_auth(TOKEN)
        .json(&json!({"messages": [{"role": "user", "content": "hello"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(answer_names(&SUBSET).contains(json_of(response).await["model"].as_str().unwrap()));
}

#[tokio::test]
async fn streaming_ends_with_usage_then_done() {
    let emulator = start(Settings::default()).await;
    router(&emulator, "router", "quality", &SUBSET).await;
    let endpoint = endpoint(&emulator).await;
    let (_, key2) = keys(&emulator).await;
    let mut body = prompt("router", "Write a haiku about routers.");
    body["stream"] = json!(true);
    body["stream_options"] = json!({"include_usage": true});
    let response = chat(&endpoint, &key2, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), Some("text/event-stream"));
    let text = response.text().await.unwrap();
    let events: Vec<&str> =
        text.split("\n\n").filter(|e| !e.is_empty()).map(|e| e.strip_prefix("data: ").unwrap()).collect();
    assert_eq!(events.last(), Some(&"[DONE]"));
    let chunks: Vec<Value> = events[..events.len() - 1].iter().map(|e| serde_json::from_str(e).unwrap()).collect();
    let model = chunks[0]["model"].as_str().unwrap();
    assert!(answer_names(&SUBSET).contains(model), "{model}");
    assert!(chunks.iter().all(|c| c["object"] == "chat.completion.chunk" && c["model"] == model));
    let content: String = chunks.iter().filter_map(|c| c["choices"][0]["delta"]["content"].as_str()).collect();
    assert!(content.contains(model), "{content}");
    let usage = chunks.last().unwrap();
    assert_eq!(usage["choices"], json!([]));
    let usage = &usage["usage"];
    assert_eq!(
        usage["total_tokens"].as_u64(),
        Some(usage["prompt_tokens"].as_u64().unwrap() + usage["completion_tokens"].as_u64().unwrap())
    );
    assert!(chunks.iter().any(|c| c["choices"][0]["finish_reason"] == "stop"));
}

#[tokio::test]
async fn unknown_deployment_and_bad_credentials_answer_as_azure() {
    let emulator = start(Settings::default()).await;
    router(&emulator, "router", "balanced", &SUBSET).await;
    let endpoint = endpoint(&emulator).await;
    let (key1, _) = keys(&emulator).await;

    let missing = chat(&endpoint, &key1, prompt("no-such-deployment", "hi")).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(missing).await, "DeploymentNotFound");

    let wrong_key = chat(&endpoint, "0123456789abcdef0123456789abcdef", prompt("router", "hi")).await;
    assert_eq!(wrong_key.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(wrong_key).await, "401");
    let none = client().post(format!("{endpoint}openai/v1/chat/completions")).json(&prompt("router", "hi")).send();
    assert_eq!(none.await.unwrap().status(), StatusCode::UNAUTHORIZED);

    // A regenerated key stops working at once.
    let regenerate = url(&emulator, &format!("{ACCOUNT}/regenerateKey"));
    send(Method::POST, &regenerate, Some(&json!({"keyName": "Key1"}))).await;
    assert_eq!(chat(&endpoint, &key1, prompt("router", "hi")).await.status(), StatusCode::UNAUTHORIZED);
}
