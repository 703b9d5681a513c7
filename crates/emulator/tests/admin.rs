//! The admin HTTP API (what the binary's users and the acceptance tests drive).

mod common;

use common::*;
use modelrouter_emulator::{LroStyle, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn admin(method: Method, url: String, body: Option<Value>) -> reqwest::Response {
    let mut request = client().request(method, url);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("admin answered")
}

#[tokio::test]
async fn deployments_out_of_band() {
    let emulator = start(Settings::default()).await;
    let base = emulator.base_url();
    let admin_url = format!("{base}/admin/deployments{}", deployment_id("router"));

    let seeded = admin(Method::PUT, admin_url.clone(), Some(router_body(Some(json!({"mode": "balanced"}))))).await;
    assert_eq!(seeded.status(), StatusCode::OK);
    assert_eq!(json_of(seeded).await["properties"]["provisioningState"], "Succeeded");
    assert_eq!(get(&emulator, "router").await.status(), StatusCode::OK);

    let patched = admin(
        Method::PATCH,
        admin_url.clone(),
        Some(json!({"sku": {"capacity": 99}, "properties": {"routing": {"mode": "cost"}}})),
    )
    .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let read = json_of(get(&emulator, "router").await).await;
    assert_eq!(read["sku"], json!({"name": "GlobalStandard", "capacity": 99}));
    assert_eq!(read["properties"]["routing"]["mode"], "cost");
    assert_eq!(emulator.deployment(&deployment_id("ROUTER")).unwrap()["sku"]["capacity"], 99);

    let fetched = admin(Method::GET, admin_url.clone(), None).await;
    assert_eq!(json_of(fetched).await["sku"]["capacity"], 99);

    assert_eq!(admin(Method::DELETE, admin_url.clone(), None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(get(&emulator, "router").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(admin(Method::DELETE, admin_url, None).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn requests_faults_settings_hold_and_reset() {
    let emulator = start(Settings::default()).await;
    let base = emulator.base_url();

    assert_eq!(get(&emulator, "x").await.status(), StatusCode::NOT_FOUND);
    let log = json_of(admin(Method::GET, format!("{base}/admin/requests"), None).await).await;
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["status"], 404);
    assert_eq!(log[0]["bearer_token"], TOKEN);
    assert_eq!(admin(Method::DELETE, format!("{base}/admin/requests"), None).await.status(), StatusCode::NO_CONTENT);
    assert!(emulator.requests().is_empty());

    let fault = json!({"method": "GET", "times": 1, "action": {"status": {"status": 500, "code": "InternalServerError", "message": "boom"}}});
    assert_eq!(admin(Method::POST, format!("{base}/admin/faults"), Some(fault)).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(get(&emulator, "x").await.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(get(&emulator, "x").await.status(), StatusCode::NOT_FOUND);

    let settings = admin(
        Method::PATCH,
        format!("{base}/admin/settings"),
        Some(json!({"lro_style": "Location", "operation_delay_ms": 200, "quirks": {"capitalize_mode": true}})),
    )
    .await;
    assert_eq!(settings.status(), StatusCode::OK);
    let settings = json_of(settings).await;
    assert_eq!(settings["page_size"], 100, "untouched fields kept");
    assert_eq!(settings["quirks"]["capitalize_mode"], true);
    let created = put(&emulator, "router", &router_body(None)).await;
    assert!(header(&created, "location").is_some());
    let bad = admin(Method::PATCH, format!("{base}/admin/settings"), Some(json!({"lro_style": "Nope"}))).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // Reset: settings back to the start, deployments and operations gone (so no 409 either).
    assert_eq!(admin(Method::POST, format!("{base}/admin/reset"), None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(get(&emulator, "router").await.status(), StatusCode::NOT_FOUND);
    let created = put(&emulator, "router", &router_body(None)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert!(header(&created, "azure-asyncoperation").is_some());

    let account = urlencode(ACCOUNT);
    let hold = admin(Method::POST, format!("{base}/admin/hold?account={account}&ms=5000"), None).await;
    assert_eq!(hold.status(), StatusCode::NO_CONTENT);
    assert_eq!(delete(&emulator, "router").await.status(), StatusCode::CONFLICT);
    emulator.update_settings(|s| s.lro_style = LroStyle::Synchronous);
}

fn urlencode(text: &str) -> String {
    text.replace('/', "%2F")
}
