//! The service's pace: a fixed latency on every request, operations that take their time, and the read throttle
//! (a token bucket per subscription answering 429 with Retry-After).

mod common;

use common::*;
use modelrouter_emulator::{ReadThrottle, Settings};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::{Duration, Instant};

/// A second subscription's account, for "one bucket per subscription".
const OTHER_SUBSCRIPTION_ACCOUNT: &str = "/subscriptions/99999999-2222-3333-4444-555555555555/resourceGroups/rg-test/providers/Microsoft.CognitiveServices/accounts/acct9";

#[tokio::test]
async fn every_request_waits_the_configured_latency() {
    let emulator = start(Settings { request_latency_ms: 120, ..Default::default() }).await;
    for request in [
        send(Method::GET, &url(&emulator, &deployment_id("missing")), None),
        send(Method::GET, &url(&emulator, &format!("{ACCOUNT}/deployments")), None),
        send(Method::PUT, &url(&emulator, &deployment_id("r")), Some(&router_body(None))),
    ] {
        let started = Instant::now();
        let response = request.await;
        assert!(response.status().as_u16() < 500, "{}", response.status());
        assert!(started.elapsed() >= Duration::from_millis(120), "{:?}", started.elapsed());
    }
    // Off again at run time.
    emulator.update_settings(|s| s.request_latency_ms = 0);
    let started = Instant::now();
    get(&emulator, "missing").await;
    assert!(started.elapsed() < Duration::from_millis(120));
}

#[tokio::test]
async fn operations_run_for_the_configured_duration_on_top_of_the_latency() {
    let emulator = start(Settings { request_latency_ms: 50, operation_delay_ms: 300, ..Default::default() }).await;
    let started = Instant::now();
    let created = put(&emulator, "r", &router_body(None)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let poll = header(&created, "azure-asyncoperation").expect("poll URL").to_string();
    loop {
        let status = json_of(send(Method::GET, &poll, None).await).await;
        if status["status"] == "Succeeded" {
            break;
        }
        assert_eq!(status["status"], "InProgress");
        assert!(started.elapsed() < Duration::from_secs(5), "the operation never ended");
    }
    assert!(started.elapsed() >= Duration::from_millis(300 + 2 * 50), "{:?}", started.elapsed());
}

#[tokio::test]
async fn reads_beyond_the_bucket_are_throttled_per_subscription_with_retry_after() {
    let throttle = ReadThrottle { capacity: 3, refill_per_second: 2 };
    let emulator = start(Settings { read_throttle: Some(throttle), ..Default::default() }).await;
    emulator.add_account(modelrouter_emulator::AccountSpec::new(OTHER_SUBSCRIPTION_ACCOUNT));
    // Writes do not take read tokens.
    assert_eq!(put(&emulator, "r", &router_body(None)).await.status(), StatusCode::CREATED);
    for _ in 0..3 {
        assert_eq!(get(&emulator, "r").await.status(), StatusCode::OK);
    }
    let throttled = get(&emulator, "r").await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&throttled, "retry-after"), Some("1"));
    assert_eq!(header(&throttled, "x-ms-ratelimit-remaining-subscription-reads"), Some("0"));
    assert_eq!(error_code(throttled).await, "TooManyRequests");
    // List pages draw from the same bucket; another subscription has its own.
    let list = send(Method::GET, &url(&emulator, &format!("{ACCOUNT}/deployments")), None).await;
    assert_eq!(list.status(), StatusCode::TOO_MANY_REQUESTS);
    let other = send(Method::GET, &url(&emulator, &format!("{OTHER_SUBSCRIPTION_ACCOUNT}/deployments")), None).await;
    assert_eq!(other.status(), StatusCode::OK);
    // Refilled after Retry-After.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(get(&emulator, "r").await.status(), StatusCode::OK);
    let log = emulator.requests();
    assert_eq!(log.iter().filter(|r| r.status == 429).count(), 2, "throttled requests are logged with their 429");
}

#[tokio::test]
async fn operation_polls_count_against_their_subscription() {
    let throttle = ReadThrottle { capacity: 1, refill_per_second: 0 };
    let emulator =
        start(Settings { read_throttle: Some(throttle), operation_delay_ms: 1000, ..Default::default() }).await;
    let created = put(&emulator, "r", &router_body(None)).await;
    let poll = header(&created, "azure-asyncoperation").expect("poll URL").to_string();
    assert_eq!(send(Method::GET, &poll, None).await.status(), StatusCode::OK);
    assert_eq!(send(Method::GET, &poll, None).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_admin_api_switches_both_modes_at_run_time() {
    let emulator = start(Settings::default()).await;
    let base = emulator.base_url();
    let patched = client()
        .patch(format!("{base}/admin/settings"))
        .json(&json!({"request_latency_ms": 30, "read_throttle": {"capacity": 1, "refill_per_second": 1}}))
        .send()
        .await
        .expect("admin answered");
    assert_eq!(patched.status(), StatusCode::OK);
    let settings = json_of(patched).await;
    assert_eq!(settings["request_latency_ms"], 30);
    assert_eq!(settings["read_throttle"], json!({"capacity": 1, "refill_per_second": 1}));
    assert_eq!(get(&emulator, "missing").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(get(&emulator, "missing").await.status(), StatusCode::TOO_MANY_REQUESTS);
    let off = client()
        .patch(format!("{base}/admin/settings"))
        .json(&json!({"read_throttle": null}))
        .send()
        .await
        .expect("admin answered");
    assert_eq!(json_of(off).await["read_throttle"], serde_json::Value::Null);
    assert_eq!(get(&emulator, "missing").await.status(), StatusCode::NOT_FOUND);
}
