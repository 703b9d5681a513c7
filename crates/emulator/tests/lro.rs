//! Long-running operations at the HTTP level, one test per LRO style, plus the per-account write lock.

mod common;

use common::*;
use modelrouter_emulator::{LroStyle, Outcome, Settings};
use reqwest::{Method, StatusCode};
use std::time::Duration;

fn settings(style: LroStyle, delay_ms: u64) -> Settings {
    Settings { lro_style: style, operation_delay_ms: delay_ms, ..Settings::default() }
}

#[tokio::test]
async fn async_operation_style_end_to_end() {
    // Long enough that a loaded machine still sees the operation running; the end is polled, not slept for.
    let emulator = start(settings(LroStyle::AsyncOperation, 3000)).await;
    let created = put(&emulator, "router", &router_body(None)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let poll_url = header(&created, "azure-asyncoperation").expect("Azure-AsyncOperation").to_string();
    assert!(poll_url.starts_with(&format!("{}/operations/", emulator.base_url())));
    let retry_after: u64 = header(&created, "retry-after").expect("Retry-After").parse().unwrap();
    let retry_ms: u64 = header(&created, "retry-after-ms").expect("retry-after-ms").parse().unwrap();
    assert!((1..=3).contains(&retry_after), "ceil of the remaining time: {retry_after}");
    assert!(retry_ms > 0 && retry_ms <= 3000);
    let body = json_of(created).await;
    assert_eq!(body["properties"]["provisioningState"], "Creating");
    assert_eq!(body["properties"]["raiPolicyName"], "Microsoft.DefaultV2");
    assert_eq!(body["properties"]["versionUpgradeOption"], "OnceNewDefaultVersionAvailable");
    assert_eq!(body["id"], deployment_id("router"));

    let running = json_of(send(Method::GET, &poll_url, None).await).await;
    assert_eq!(running["status"], "InProgress");
    assert_eq!(json_of(get(&emulator, "router").await).await["properties"]["provisioningState"], "Creating");

    let done = wait_until_done(&poll_url).await;
    assert_eq!(done["status"], "Succeeded");
    assert!(done.get("error").is_none());
    assert_eq!(json_of(get(&emulator, "router").await).await["properties"]["provisioningState"], "Succeeded");

    // An update answers 200 Updating.
    let updated = put(&emulator, "router", &router_body(None)).await;
    assert_eq!(updated.status(), StatusCode::OK);
    let poll_url = header(&updated, "azure-asyncoperation").expect("header").to_string();
    assert_eq!(json_of(updated).await["properties"]["provisioningState"], "Updating");
    assert_eq!(wait_until_done(&poll_url).await["status"], "Succeeded");

    let deleting = delete(&emulator, "router").await;
    assert_eq!(deleting.status(), StatusCode::ACCEPTED);
    let poll_url = header(&deleting, "azure-asyncoperation").expect("header").to_string();
    assert_eq!(json_of(get(&emulator, "router").await).await["properties"]["provisioningState"], "Deleting");
    assert_eq!(wait_until_done(&poll_url).await["status"], "Succeeded");
    let gone = get(&emulator, "router").await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(gone).await, "DeploymentNotFound");
    assert_eq!(delete(&emulator, "router").await.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn failed_create_reports_error_and_leaves_failed_deployment() {
    let emulator =
        start(Settings { operation_outcome: Outcome::Failed, ..settings(LroStyle::AsyncOperation, 0) }).await;
    let created = put(&emulator, "router", &router_body(None)).await;
    let poll_url = header(&created, "azure-asyncoperation").expect("header").to_string();
    let status = json_of(send(Method::GET, &poll_url, None).await).await;
    assert_eq!(status["status"], "Failed");
    assert_eq!(status["error"]["code"], "OperationFailed");
    assert!(status["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(json_of(get(&emulator, "router").await).await["properties"]["provisioningState"], "Failed");
}

#[tokio::test]
async fn location_style_end_to_end() {
    let emulator = start(settings(LroStyle::Location, 200)).await;
    let created = put(&emulator, "router", &router_body(None)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert!(header(&created, "azure-asyncoperation").is_none());
    let location = header(&created, "location").expect("Location").to_string();
    assert!(location.starts_with(&format!("{}/operationResults/", emulator.base_url())));
    let running = send(Method::GET, &location, None).await;
    assert_eq!(running.status(), StatusCode::ACCEPTED);
    assert!(header(&running, "retry-after").is_some());
    tokio::time::sleep(Duration::from_millis(250)).await;
    let done = send(Method::GET, &location, None).await;
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(json_of(done).await["properties"]["provisioningState"], "Succeeded");

    let deleting = delete(&emulator, "router").await;
    assert_eq!(deleting.status(), StatusCode::ACCEPTED);
    let location = header(&deleting, "location").expect("Location").to_string();
    assert_eq!(send(Method::GET, &location, None).await.status(), StatusCode::ACCEPTED);
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(send(Method::GET, &location, None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(get(&emulator, "router").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn provisioning_state_style_end_to_end() {
    let emulator = start(settings(LroStyle::ProvisioningState, 200)).await;
    let created = put(&emulator, "router", &router_body(None)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert!(header(&created, "azure-asyncoperation").is_none());
    assert!(header(&created, "location").is_none());
    assert_eq!(json_of(created).await["properties"]["provisioningState"], "Creating");
    assert_eq!(json_of(get(&emulator, "router").await).await["properties"]["provisioningState"], "Creating");
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(json_of(get(&emulator, "router").await).await["properties"]["provisioningState"], "Succeeded");

    let deleting = delete(&emulator, "router").await;
    assert_eq!(deleting.status(), StatusCode::ACCEPTED);
    assert!(header(&deleting, "location").is_none());
    assert_eq!(get(&emulator, "router").await.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(get(&emulator, "router").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn synchronous_style_answers_the_final_state() {
    let emulator = start(settings(LroStyle::Synchronous, 100)).await;
    let started = std::time::Instant::now();
    let created = put(&emulator, "router", &router_body(None)).await;
    assert!(started.elapsed() >= Duration::from_millis(100), "waits for the operation");
    assert_eq!(created.status(), StatusCode::CREATED);
    assert!(header(&created, "azure-asyncoperation").is_none());
    assert_eq!(json_of(created).await["properties"]["provisioningState"], "Succeeded");
    assert_eq!(delete(&emulator, "router").await.status(), StatusCode::OK);
    assert_eq!(get(&emulator, "router").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn one_write_at_a_time_per_account() {
    // Operations long enough that a loaded machine still sends the next writes while the first runs.
    let emulator = start(settings(LroStyle::AsyncOperation, 3000)).await;
    let first = put(&emulator, "first", &router_body(None)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first_poll = header(&first, "azure-asyncoperation").expect("Azure-AsyncOperation").to_string();
    let second = put(&emulator, "second", &router_body(None)).await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let body = json_of(second).await;
    assert_eq!(body["error"]["code"], "RequestConflict");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("Another operation is being performed on the parent resource"));
    assert!(message.contains(ACCOUNT), "{message}");
    assert_eq!(delete(&emulator, "first").await.status(), StatusCode::CONFLICT);
    // Reads are not blocked.
    assert_eq!(get(&emulator, "first").await.status(), StatusCode::OK);
    assert_eq!(wait_until_done(&first_poll).await["status"], "Succeeded");
    assert_eq!(put(&emulator, "second", &router_body(None)).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn hold_account_makes_writes_conflict() {
    let emulator = start(Settings::default()).await;
    emulator.hold_account(&ACCOUNT.to_uppercase(), 2000);
    assert_eq!(put(&emulator, "router", &router_body(None)).await.status(), StatusCode::CONFLICT);
    // Once the hold ends, the same write goes through (polled, so a loaded machine cannot make it flaky).
    let started = std::time::Instant::now();
    let status = loop {
        let status = put(&emulator, "router", &router_body(None)).await.status();
        if status != StatusCode::CONFLICT || started.elapsed() > Duration::from_secs(20) {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(status, StatusCode::CREATED);
}

/// Polls an operation until it leaves `InProgress` (at most 20 s): the end of an operation is waited for, never
/// guessed with a sleep, so a loaded machine cannot make the test flaky.
async fn wait_until_done(poll_url: &str) -> serde_json::Value {
    let started = std::time::Instant::now();
    loop {
        let status = json_of(send(Method::GET, poll_url, None).await).await;
        if status["status"] != "InProgress" || started.elapsed() > Duration::from_secs(20) {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
