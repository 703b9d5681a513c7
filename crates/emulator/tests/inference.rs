//! The account's data plane: listKeys/regenerateKey, and chat completions answered by the routed models of a
//! model router as its routing stands now (an admin PATCH of the subset changes who answers).

mod common;

use std::collections::BTreeSet;

use common::*;
use modelrouter_emulator::{AccountSpec, Emulator, EmulatorOptions, Settings};
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

/// An emulator with the deployment `router` routing over `models` in `mode`: it, the account's endpoint and key1.
async fn serving(mode: &str, models: &[(&str, &str)]) -> (Emulator, String, String) {
    let emulator = start(Settings::default()).await;
    router(&emulator, "router", mode, models).await;
    let endpoint = endpoint(&emulator).await;
    let (key1, _) = keys(&emulator).await;
    (emulator, endpoint, key1)
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
    let (emulator, endpoint, key1) = serving("balanced", &SUBSET).await;

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
    let (emulator, endpoint, key1) = serving("balanced", &SUBSET).await;

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

async fn post(url: &str, key: &str, body: Value) -> reqwest::Response {
    client().post(url).header("api-key", key).json(&body).send().await.expect("answered")
}

/// The server-sent events of a response: `(event name or "", data)`.
async fn sse(response: reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(header(&response, "content-type"), Some("text/event-stream"));
    let text = response.text().await.unwrap();
    text.split("\n\n")
        .filter(|e| !e.is_empty())
        .map(|event| {
            let mut name = String::new();
            let mut data = String::new();
            for line in event.lines() {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_owned();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data = d.to_owned();
                }
            }
            (name, data)
        })
        .collect()
}

fn weather_tool() -> Value {
    json!({"type": "function", "function": {"name": "get_weather", "description": "Current weather",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}})
}

#[tokio::test]
async fn a_tool_call_round_trip() {
    let (_emulator, endpoint, key1) = serving("balanced", &SUBSET).await;
    let url = format!("{endpoint}openai/v1/chat/completions");
    let mut messages = vec![json!({"role": "user", "content": "What is the weather in Paris?"})];

    let first =
        json_of(post(&url, &key1, json!({"model": "router", "messages": messages, "tools": [weather_tool()]})).await)
            .await;
    let choice = &first["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls", "{first}");
    let call = &choice["message"]["tool_calls"][0];
    assert_eq!(call["function"]["name"], "get_weather");
    let arguments: Value = serde_json::from_str(call["function"]["arguments"].as_str().unwrap()).unwrap();
    assert_eq!(arguments, json!({"location": "Paris"}));
    assert!(answer_names(&SUBSET).contains(first["model"].as_str().unwrap()));

    messages.push(choice["message"].clone());
    messages.push(json!({"role": "tool", "tool_call_id": call["id"], "content": "18 degrees and sunny"}));
    let second =
        json_of(post(&url, &key1, json!({"model": "router", "messages": messages, "tools": [weather_tool()]})).await)
            .await;
    assert_eq!(second["choices"][0]["finish_reason"], "stop");
    let text = second["choices"][0]["message"]["content"].as_str().unwrap();
    assert!(text.contains("get_weather") && text.contains("18 degrees and sunny"), "{text}");

    // tool_choice: "none" never calls; a named function always does; an unknown name is refused.
    let none =
        json!({"model": "router", "messages": [messages[0].clone()], "tools": [weather_tool()], "tool_choice": "none"});
    assert_eq!(json_of(post(&url, &key1, none).await).await["choices"][0]["finish_reason"], "stop");
    let named = json!({"model": "router", "messages": [{"role": "user", "content": "Hello"}], "tools": [weather_tool()],
        "tool_choice": {"type": "function", "function": {"name": "get_weather"}}});
    assert_eq!(json_of(post(&url, &key1, named).await).await["choices"][0]["finish_reason"], "tool_calls");
    let unknown = json!({"model": "router", "messages": [messages[0].clone()], "tools": [weather_tool()],
        "tool_choice": {"type": "function", "function": {"name": "get_time"}}});
    let refused = post(&url, &key1, unknown).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(refused).await["error"]["param"], "tool_choice");

    // Streamed, the call comes as its name then its arguments in pieces.
    let streamed =
        json!({"model": "router", "messages": [messages[0].clone()], "tools": [weather_tool()], "stream": true});
    let events = sse(post(&url, &key1, streamed).await).await;
    let chunks: Vec<Value> =
        events.iter().filter(|(_, d)| d != "[DONE]").map(|(_, d)| serde_json::from_str(d).unwrap()).collect();
    assert_eq!(chunks[0]["choices"][0]["delta"]["tool_calls"][0]["function"]["name"], "get_weather");
    let arguments: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"].as_str())
        .collect();
    assert_eq!(serde_json::from_str::<Value>(&arguments).unwrap(), json!({"location": "Paris"}));
    assert_eq!(chunks.last().unwrap()["choices"][0]["finish_reason"], "tool_calls");
}

#[tokio::test]
async fn usage_reports_reasoning_and_cached_tokens_and_reasoning_effort_is_checked() {
    let emulator = start(Settings::default()).await;
    // One reasoning model (gpt-5-mini) and one that does not reason (gpt-4.1), each alone in a router.
    router(&emulator, "thinker", "balanced", &[("gpt-5-mini", "2025-08-07")]).await;
    router(&emulator, "talker", "balanced", &[("gpt-4.1", "2025-04-14")]).await;
    let endpoint = endpoint(&emulator).await;
    let (key1, _) = keys(&emulator).await;
    let url = format!("{endpoint}openai/v1/chat/completions");
    let usage = |deployment: &str, effort: Option<&str>, text: &str| {
        let mut body = prompt(deployment, text);
        if let Some(effort) = effort {
            body["reasoning_effort"] = json!(effort);
        }
        let (url, key1) = (url.clone(), key1.clone());
        async move { json_of(post(&url, &key1, body).await).await["usage"].clone() }
    };
    let reasoning = |usage: &Value| usage["completion_tokens_details"]["reasoning_tokens"].as_u64().unwrap();
    let low = usage("thinker", Some("low"), "Prove it.").await;
    let high = usage("thinker", Some("high"), "Prove it.").await;
    assert!(reasoning(&high) > reasoning(&low) && reasoning(&low) > 0, "{low} {high}");
    assert!(low["completion_tokens"].as_u64().unwrap() > reasoning(&low), "completion tokens include reasoning");
    assert_eq!(reasoning(&usage("thinker", Some("minimal"), "Prove it.").await), 0);
    assert_eq!(reasoning(&usage("talker", Some("high"), "Prove it.").await), 0, "gpt-4.1 does not reason");

    let long = "Our contract says the following. ".repeat(150); // about 1,240 tokens
    let first = usage("talker", None, &long).await;
    let again = usage("talker", None, &long).await;
    assert_eq!(first["prompt_tokens_details"]["cached_tokens"], 0);
    assert_eq!(again["prompt_tokens_details"]["cached_tokens"], 1152, "1,024 tokens and one block of 128 cached");
    assert_eq!(again["prompt_tokens"], first["prompt_tokens"]);

    let refused = post(
        &url,
        &key1,
        json!({"model": "thinker", "messages": [{"role": "user", "content": "x"}], "reasoning_effort": "extreme"}),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let error = json_of(refused).await["error"].clone();
    assert_eq!((error["param"].as_str(), error["code"].as_str()), (Some("reasoning_effort"), Some("invalid_value")));
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("'extreme'") && message.contains("'low', 'medium', 'high'"), "{message}");
}

#[tokio::test]
async fn the_responses_api_answers_whole_and_streamed_on_both_routes() {
    let (_emulator, endpoint, key1) = serving("quality", &SUBSET).await;
    let allowed = answer_names(&SUBSET);

    let v1 = format!("{endpoint}openai/v1/responses");
    let versioned = format!("{endpoint}openai/responses?api-version=2025-04-01-preview");
    for url in [&v1, &versioned] {
        let body = json_of(
            post(
                url,
                &key1,
                json!({"model": "router", "input": "Summarise the Q3 plan.", "reasoning": {"effort": "low"}}),
            )
            .await,
        )
        .await;
        assert_eq!((body["object"].as_str(), body["status"].as_str()), (Some("response"), Some("completed")));
        let model = body["model"].as_str().unwrap();
        assert!(allowed.contains(model), "{model}");
        let message = body["output"].as_array().unwrap().iter().find(|i| i["type"] == "message").expect("a message");
        assert_eq!(message["content"][0]["type"], "output_text");
        assert!(message["content"][0]["text"].as_str().unwrap().contains(model));
        let usage = &body["usage"];
        assert_eq!(
            usage["total_tokens"].as_u64(),
            Some(usage["input_tokens"].as_u64().unwrap() + usage["output_tokens"].as_u64().unwrap())
        );
        assert!(
            usage["input_tokens_details"]["cached_tokens"].is_u64()
                && usage["output_tokens_details"]["reasoning_tokens"].is_u64()
        );
    }

    let events =
        sse(post(&v1, &key1, json!({"model": "router", "input": "Write a haiku.", "stream": true})).await).await;
    let names: Vec<&str> = events.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names.first(), Some(&"response.created"));
    assert_eq!(names.last(), Some(&"response.completed"));
    for expected in [
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.done",
        "response.output_item.done",
    ] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    let data: Vec<Value> = events.iter().map(|(_, d)| serde_json::from_str(d).unwrap()).collect();
    assert!(data.iter().enumerate().all(|(i, d)| d["sequence_number"] == i && d["type"] == names[i]));
    let text: String = data
        .iter()
        .filter(|d| d["type"] == "response.output_text.delta")
        .map(|d| d["delta"].as_str().unwrap())
        .collect();
    let completed = &data.last().unwrap()["response"];
    assert!(allowed.contains(completed["model"].as_str().unwrap()));
    let final_message = completed["output"].as_array().unwrap().iter().find(|i| i["type"] == "message").unwrap();
    assert_eq!(final_message["content"][0]["text"].as_str(), Some(text.as_str()));

    // A function tool (flat in the Responses API) and its result.
    let tool = json!({"type": "function", "name": "get_weather", "parameters": {"type": "object", "properties": {"location": {"type": "string"}}}});
    let call =
        json_of(post(&v1, &key1, json!({"model": "router", "input": "Weather in Oslo?", "tools": [tool]})).await).await;
    let item = call["output"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["type"] == "function_call")
        .expect("a function call")
        .clone();
    assert_eq!(
        (item["name"].as_str(), item["arguments"].as_str()),
        (Some("get_weather"), Some(r#"{"location":"Oslo"}"#))
    );
    let answer = json_of(
        post(
            &v1,
            &key1,
            json!({"model": "router", "tools": [tool], "input": [
        {"role": "user", "content": "Weather in Oslo?"}, item,
        {"type": "function_call_output", "call_id": item["call_id"], "output": "snow"}]}),
        )
        .await,
    )
    .await;
    let message = answer["output"].as_array().unwrap().iter().find(|i| i["type"] == "message").expect("text");
    assert!(message["content"][0]["text"].as_str().unwrap().contains("snow"));

    let no_version =
        post(&format!("{endpoint}openai/responses"), &key1, json!({"model": "router", "input": "x"})).await;
    assert_eq!(no_version.status(), StatusCode::NOT_FOUND);
    let no_input = post(&v1, &key1, json!({"model": "router"})).await;
    assert_eq!(no_input.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(no_input).await["error"]["param"], "input");
}

#[tokio::test]
async fn a_paused_deployment_answers_423_until_resumed() {
    let (emulator, endpoint, key1) = serving("balanced", &SUBSET).await;
    let admin = |state: &str| {
        client()
            .patch(format!("{}/admin/deployments{}", emulator.base_url(), deployment_id("router")))
            .json(&json!({"properties": {"deploymentState": state}}))
            .send()
    };
    assert!(admin("Paused").await.unwrap().status().is_success());
    let chat_url = format!("{endpoint}openai/v1/chat/completions");
    let responses_url = format!("{endpoint}openai/v1/responses");
    let paused = post(&chat_url, &key1, prompt("router", "hi")).await;
    assert_eq!(paused.status(), StatusCode::LOCKED);
    let error = json_of(paused).await["error"].clone();
    assert_eq!(error["code"], "DeploymentPaused");
    assert!(error["message"].as_str().unwrap().contains("'router' is paused"), "{error}");
    let paused = post(&responses_url, &key1, json!({"model": "router", "input": "hi"})).await;
    assert_eq!(paused.status(), StatusCode::LOCKED);
    // Credentials are checked first: a wrong key on a paused deployment is still a 401.
    assert_eq!(
        post(&chat_url, "0123456789abcdef0123456789abcdef", prompt("router", "hi")).await.status(),
        StatusCode::UNAUTHORIZED
    );

    assert!(admin("Running").await.unwrap().status().is_success());
    assert_eq!(post(&chat_url, &key1, prompt("router", "hi")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_key_is_a_bearer_token_on_the_v1_routes_only() {
    let (emulator, endpoint, key1) = serving("balanced", &SUBSET).await;
    let (_, key2) = keys(&emulator).await;
    let bearer = |url: String, token: String, body: Value| async move {
        client().post(url).bearer_auth(token).json(&body).send().await.expect("answered")
    };
    for (path, body) in [
        ("openai/v1/chat/completions", prompt("router", "hi")),
        ("openai/v1/responses", json!({"model": "router", "input": "hi"})),
    ] {
        for key in [&key1, &key2] {
            let ok = bearer(format!("{endpoint}{path}"), key.clone(), body.clone()).await;
            assert_eq!(ok.status(), StatusCode::OK, "{path}");
        }
        let wrong = bearer(format!("{endpoint}{path}"), "0123456789abcdef0123456789abcdef".into(), body.clone()).await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(error_code(wrong).await, "401", "a wrong key answers as a wrong key");
        let token = bearer(format!("{endpoint}{path}"), TOKEN.into(), body).await;
        assert_eq!(token.status(), StatusCode::OK, "an accepted access token works too");
    }
    // The api-version routes take keys in `api-key` only; a key as bearer is an invalid access token there.
    let versioned = bearer(
        format!("{endpoint}openai/deployments/router/chat/completions?api-version=2025-01-01-preview"),
        key1.clone(),
        prompt("router", "hi"),
    )
    .await;
    assert_eq!(versioned.status(), StatusCode::UNAUTHORIZED);
    let body = json_of(versioned).await;
    assert_eq!(body["statusCode"], 401);
    assert!(body["message"].as_str().unwrap().starts_with("Unauthorized. Access token is missing, invalid"), "{body}");
    let other_token =
        bearer(format!("{endpoint}openai/v1/chat/completions"), "not-the-token".into(), prompt("router", "hi")).await;
    assert_eq!(other_token.status(), StatusCode::UNAUTHORIZED);

    // Without `--token` any access token passes, as on the ARM routes; a wrong key is still a wrong key.
    let lax = Emulator::start(EmulatorOptions { accounts: vec![AccountSpec::new(ACCOUNT)], ..Default::default() })
        .await
        .expect("emulator starts");
    router(&lax, "router", "balanced", &SUBSET).await;
    let lax_endpoint = format!("{}/accounts/acct1/openai/v1/chat/completions", lax.base_url());
    let any_token = bearer(lax_endpoint.clone(), "anything".into(), prompt("router", "hi")).await;
    assert_eq!(any_token.status(), StatusCode::OK);
    let wrong_key = bearer(lax_endpoint, "0123456789abcdef0123456789abcdef".into(), prompt("router", "hi")).await;
    assert_eq!(wrong_key.status(), StatusCode::UNAUTHORIZED);
}
