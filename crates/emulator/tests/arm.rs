//! ARM routes: validation rules, the Claude rule, 404s, paging, quirks and the bearer-token check.

mod common;

use common::*;
use modelrouter_emulator::{AccountSpec, Emulator, EmulatorOptions, Quirks, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn seed_claude(emulator: &Emulator, sku: &str) {
    emulator.seed_deployment(&deployment_id("claude-sonnet-4-5"), claude_body(sku));
}

fn claude_routing() -> Value {
    json!({
        "mode": "quality",
        "models": [
            {"format": "OpenAI", "name": "gpt-5-mini", "version": "2025-08-07"},
            {"format": "Anthropic", "name": "claude-sonnet-4-5", "version": "20250929"}
        ]
    })
}

#[tokio::test]
async fn missing_sku_is_invalid_resource_properties() {
    let emulator = start(Settings::default()).await;
    let mut body = router_body(None);
    body.as_object_mut().unwrap().remove("sku");
    let response = put(&emulator, "router", &body).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json_of(response).await;
    assert_eq!(body["error"]["code"], "InvalidResourceProperties");
    assert_eq!(body["error"]["message"], "The sku of model deployment is not provided.");
    assert_eq!(get(&emulator, "router").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn missing_model_is_rejected() {
    let emulator = start(Settings::default()).await;
    let response = put(&emulator, "router", &json!({"sku": {"name": "GlobalStandard"}, "properties": {}})).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "InvalidResourceProperties");
}

#[tokio::test]
async fn anthropic_requires_model_provider_data() {
    let emulator = start(Settings::default()).await;
    let mut missing = claude_body("GlobalStandard");
    missing["properties"].as_object_mut().unwrap().remove("modelProviderData");
    let response = put(&emulator, "claude", &missing).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json_of(response).await;
    assert_eq!(body["error"]["code"], "InvalidModelProviderData");
    assert!(body["error"]["message"].as_str().unwrap().contains("organizationName"));

    for (field, bad) in
        [("countryCode", "USA"), ("industry", "Technology"), ("industry", "space"), ("organizationName", "")]
    {
        let mut body = claude_body("GlobalStandard");
        body["properties"]["modelProviderData"][field] = json!(bad);
        let response = put(&emulator, "claude", &body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{field}={bad}");
        assert_eq!(error_code(response).await, "InvalidModelProviderData");
    }

    let created = put(&emulator, "claude", &claude_body("GlobalStandard")).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let body = json_of(created).await;
    assert!(body["properties"].get("raiPolicyName").is_none(), "no default content filter for Claude");
    assert!(body["properties"].get("modelProviderData").is_none(), "not echoed by default");
    let stored = emulator.deployment(&deployment_id("claude")).expect("stored");
    assert_eq!(stored["properties"]["modelProviderData"]["industry"], "technology");
}

#[tokio::test]
async fn claude_rule_requires_a_matching_succeeded_deployment() {
    let emulator = start(Settings::default()).await;
    let response = put(&emulator, "router", &router_body(Some(claude_routing()))).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json_of(response).await;
    assert_eq!(body["error"]["code"], "InvalidResourceProperties");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("claude-sonnet-4-5"), "{message}");

    // A deployment with a different sku.name does not count.
    seed_claude(&emulator, "DataZoneStandard").await;
    assert_eq!(put(&emulator, "router", &router_body(Some(claude_routing()))).await.status(), StatusCode::BAD_REQUEST);

    // Nor does one that has not succeeded.
    seed_claude(&emulator, "GlobalStandard").await;
    emulator
        .patch_deployment(&deployment_id("claude-sonnet-4-5"), json!({"properties": {"provisioningState": "Failed"}}));
    assert_eq!(put(&emulator, "router", &router_body(Some(claude_routing()))).await.status(), StatusCode::BAD_REQUEST);

    emulator.patch_deployment(
        &deployment_id("claude-sonnet-4-5"),
        json!({"properties": {"provisioningState": "Succeeded"}}),
    );
    let created = put(&emulator, "router", &router_body(Some(claude_routing()))).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let mut body = json_of(created).await;
    // Azure adds each model's read-only rate limit; the rest is what was sent.
    for model in body["properties"]["routing"]["models"].as_array_mut().expect("models") {
        assert!(model.as_object_mut().expect("a model").remove("callRateLimit").is_some(), "{model}");
    }
    assert_eq!(body["properties"]["routing"], claude_routing(), "routing echoed as sent");
}

#[tokio::test]
async fn routing_needs_router_version_2025_11_18() {
    let emulator = start(Settings::default()).await;
    let mut body = router_body(Some(json!({"mode": "cost"})));
    body["properties"]["model"]["version"] = json!("2025-08-07");
    let response = put(&emulator, "router", &body).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "InvalidResourceProperties");
    body["properties"].as_object_mut().unwrap().remove("routing");
    assert_eq!(put(&emulator, "router", &body).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn unknown_fields_are_kept_and_defaults_filled() {
    let emulator = start(Settings::default()).await;
    let mut body = router_body(None);
    body["tags"] = json!({"env": "test"});
    body["properties"]["futureField"] = json!({"nested": [1, 2]});
    body["properties"]["raiPolicyName"] = json!("Custom");
    assert_eq!(put(&emulator, "router", &body).await.status(), StatusCode::CREATED);
    let read = json_of(get(&emulator, "router").await).await;
    assert_eq!(read["tags"], json!({"env": "test"}));
    assert_eq!(read["properties"]["futureField"], json!({"nested": [1, 2]}));
    assert_eq!(read["properties"]["raiPolicyName"], "Custom");
    assert_eq!(read["properties"]["versionUpgradeOption"], "OnceNewDefaultVersionAvailable");
    assert_eq!(read["type"], "Microsoft.CognitiveServices/accounts/deployments");
    assert_eq!(read["name"], "router");
    assert!(read["etag"].as_str().is_some());
    assert!(read["systemData"]["createdAt"].as_str().is_some());
}

#[tokio::test]
async fn not_found_answers() {
    let emulator = start(Settings::default()).await;
    let other_account = ACCOUNT.replace("acct1", "nope");
    let account = send(Method::GET, &url(&emulator, &other_account), None).await;
    assert_eq!(account.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(account).await, "ResourceNotFound");
    let deployment = send(Method::GET, &url(&emulator, &format!("{other_account}/deployments/x")), None).await;
    assert_eq!(deployment.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(deployment).await, "ParentResourceNotFound");
    let put_into_missing =
        send(Method::PUT, &url(&emulator, &format!("{other_account}/deployments/x")), Some(&router_body(None))).await;
    assert_eq!(error_code(put_into_missing).await, "ParentResourceNotFound");
    let missing = get(&emulator, "x").await;
    assert_eq!(error_code(missing).await, "DeploymentNotFound");
}

#[tokio::test]
async fn api_version_is_required() {
    let emulator = start(Settings::default()).await;
    let response = send(Method::GET, &format!("{}{ACCOUNT}", emulator.base_url()), None).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "MissingApiVersionParameter");
}

#[tokio::test]
async fn account_get_and_case_insensitive_paths() {
    let emulator = start(Settings::default()).await;
    let path = ACCOUNT.replace("resourceGroups", "RESOURCEGROUPS").replace("accounts", "Accounts");
    let response = send(Method::GET, &url(&emulator, &path), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let account = json_of(response).await;
    assert_eq!(account["id"], ACCOUNT);
    assert_eq!(account["name"], "acct1");
    assert_eq!(account["kind"], "AIServices");
    assert_eq!(account["location"], "eastus2");
    // The inference endpoint the emulator itself serves (tests/inference.rs).
    assert_eq!(account["properties"]["endpoint"], format!("{}/accounts/acct1/", emulator.base_url()));
    assert_eq!(account["properties"]["provisioningState"], "Succeeded");

    assert_eq!(put(&emulator, "Router", &router_body(None)).await.status(), StatusCode::CREATED);
    let lower = send(Method::GET, &url(&emulator, &deployment_id("router").to_lowercase()), None).await;
    assert_eq!(lower.status(), StatusCode::OK);
    assert_eq!(json_of(lower).await["name"], "Router");
}

#[tokio::test]
async fn list_is_paged_with_absolute_next_links() {
    let emulator = start(Settings { page_size: 2, ..Settings::default() }).await;
    for name in ["a", "b", "c", "d", "e"] {
        emulator.seed_deployment(&deployment_id(name), router_body(None));
    }
    let mut next = Some(url(&emulator, &format!("{ACCOUNT}/deployments")));
    let mut names = Vec::new();
    let mut pages = 0;
    while let Some(link) = next {
        assert!(link.starts_with(&emulator.base_url()), "absolute nextLink: {link}");
        let page = json_of(send(Method::GET, &link, None).await).await;
        pages += 1;
        for item in page["value"].as_array().expect("value array") {
            names.push(item["name"].as_str().unwrap().to_string());
        }
        next = page.get("nextLink").and_then(Value::as_str).map(String::from);
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn quirks_change_what_get_returns() {
    let emulator = start(Settings::default()).await;
    seed_claude(&emulator, "GlobalStandard").await;
    emulator.update_settings(|s| {
        s.quirks = Quirks {
            resourcegroups_lowercase: true,
            reverse_models: true,
            capitalize_mode: true,
            drop_routing: false,
            echo_model_provider_data: true,
        }
    });
    assert_eq!(put(&emulator, "router", &router_body(Some(claude_routing()))).await.status(), StatusCode::CREATED);
    let read = json_of(get(&emulator, "router").await).await;
    assert!(read["id"].as_str().unwrap().contains("/resourcegroups/rg-test/"));
    assert_eq!(read["properties"]["routing"]["mode"], "Quality");
    assert_eq!(read["properties"]["routing"]["models"][0]["name"], "claude-sonnet-4-5");
    let claude = json_of(get(&emulator, "claude-sonnet-4-5").await).await;
    assert_eq!(claude["properties"]["modelProviderData"]["countryCode"], "US");

    emulator.update_settings(|s| s.quirks = Quirks { drop_routing: true, ..Quirks::default() });
    assert_eq!(
        put(&emulator, "router2", &router_body(Some(json!({"mode": "cost"})))).await.status(),
        StatusCode::CREATED
    );
    let read = json_of(get(&emulator, "router2").await).await;
    assert!(read["properties"].get("routing").is_none(), "routing silently dropped");
}

#[tokio::test]
async fn bearer_token_is_checked() {
    let emulator = start(Settings::default()).await;
    let target = url(&emulator, &deployment_id("x"));
    let none = client().get(&target).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(none).await, "AuthenticationFailed");
    let wrong = client().get(&target).bearer_auth("not-it").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(wrong).await, "InvalidAuthenticationToken");
    assert_eq!(client().get(&target).bearer_auth(TOKEN).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // Without a static token any non-empty bearer passes, but none is still refused.
    let open = Emulator::start(EmulatorOptions { accounts: vec![AccountSpec::new(ACCOUNT)], ..Default::default() })
        .await
        .unwrap();
    let target = url(&open, &deployment_id("x"));
    assert_eq!(client().get(&target).bearer_auth("anything").send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(client().get(&target).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn model_of_a_deployment_cannot_change() {
    let emulator = start(Settings::default()).await;
    assert_eq!(put(&emulator, "d", &router_body(None)).await.status(), StatusCode::CREATED);
    let mut other = router_body(None);
    other["properties"]["model"] = json!({"format": "OpenAI", "name": "gpt-4.1", "version": "2025-04-14"});
    let response = put(&emulator, "d", &other).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "InvalidResourceProperties");
}
