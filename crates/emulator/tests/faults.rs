//! Fault injection and the request log.

mod common;

use common::*;
use modelrouter_emulator::{FaultAction, FaultRule, Settings};
use reqwest::{Method, StatusCode};
use std::time::{Duration, Instant};

#[tokio::test]
async fn status_fault_fires_the_given_number_of_times() {
    let emulator = start(Settings::default()).await;
    emulator.inject(FaultRule {
        method: Some("put".into()),
        path_contains: Some("/DEPLOYMENTS/router".into()),
        times: 2,
        action: FaultAction::Status {
            status: 429,
            code: "TooManyRequests".into(),
            message: "slow down".into(),
            retry_after_secs: Some(3),
        },
    });
    for _ in 0..2 {
        let throttled = put(&emulator, "router", &router_body(None)).await;
        assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(header(&throttled, "retry-after"), Some("3"));
        assert_eq!(error_code(throttled).await, "TooManyRequests");
    }
    // GET does not match the rule; the third PUT passes.
    assert_eq!(get(&emulator, "router").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(put(&emulator, "router", &router_body(None)).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn delay_fault_then_normal_handling() {
    let emulator = start(Settings::default()).await;
    emulator.inject(FaultRule { method: None, path_contains: None, times: 1, action: FaultAction::Delay { ms: 150 } });
    let started = Instant::now();
    assert_eq!(get(&emulator, "missing").await.status(), StatusCode::NOT_FOUND);
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn drop_connection_closes_without_a_response() {
    let emulator = start(Settings::default()).await;
    emulator.inject(FaultRule {
        method: Some("GET".into()),
        path_contains: Some("deployments/router".into()),
        times: 1,
        action: FaultAction::DropConnection,
    });
    let result = client().get(url(&emulator, &deployment_id("router"))).bearer_auth(TOKEN).send().await;
    let error = result.expect_err("the connection must be dropped without a response");
    assert!(error.status().is_none());
    // The rule is spent: the next request is answered normally.
    assert_eq!(get(&emulator, "router").await.status(), StatusCode::NOT_FOUND);
    let log = emulator.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].status, 0, "dropped request recorded with status 0");
    assert_eq!(log[1].status, 404);
}

#[tokio::test]
async fn faults_apply_to_operation_polls() {
    let emulator = start(Settings { operation_delay_ms: 100, ..Settings::default() }).await;
    let created = put(&emulator, "router", &router_body(None)).await;
    let poll_url = header(&created, "azure-asyncoperation").expect("header").to_string();
    emulator.inject(FaultRule {
        method: None,
        path_contains: Some("/operations/".into()),
        times: 1,
        action: FaultAction::Status {
            status: 503,
            code: "ServiceUnavailable".into(),
            message: "try later".into(),
            retry_after_secs: None,
        },
    });
    assert_eq!(send(Method::GET, &poll_url, None).await.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(send(Method::GET, &poll_url, None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn request_log_records_what_was_sent() {
    let emulator = start(Settings::default()).await;
    let response = client()
        .put(url(&emulator, &deployment_id("router")))
        .bearer_auth(TOKEN)
        .header("x-ms-correlation-request-id", "corr-123")
        .header("user-agent", "test-agent/1.0")
        .json(&router_body(None))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header(&response, "x-ms-correlation-request-id"), Some("corr-123"));
    let log = emulator.requests();
    assert_eq!(log.len(), 1);
    let recorded = &log[0];
    assert_eq!(recorded.method, "PUT");
    assert_eq!(recorded.path, deployment_id("router"));
    assert_eq!(recorded.query, API);
    assert_eq!(recorded.status, 201);
    assert_eq!(recorded.body.as_ref(), Some(&router_body(None)));
    assert_eq!(recorded.bearer_token.as_deref(), Some(TOKEN));
    assert_eq!(recorded.correlation_id.as_deref(), Some("corr-123"));
    assert_eq!(recorded.user_agent.as_deref(), Some("test-agent/1.0"));
    emulator.clear_requests();
    assert!(emulator.requests().is_empty());
}
