//! Connections that cannot succeed (refused, unknown host, TLS failure) fail within the unreachable budget,
//! naming the endpoint and the cause, instead of retrying until the operation's timeout.

mod common;

use std::time::{Duration, Instant};

use common::*;
use modelrouter_arm::{ArmClient, ArmErrorKind, AuthSettings, ClientConfig, RetryPolicy, Secret, UnreachableCause};
use modelrouter_emulator::{AccountSpec, Emulator, EmulatorOptions, Settings};

/// A client with today's default retry policy (5 s unreachable budget) on `endpoint`.
fn default_client(endpoint: &str) -> ArmClient {
    let settings = AuthSettings {
        resource_manager_endpoint: Some(endpoint.into()),
        access_token: Some(Secret::new(STATIC_TOKEN)),
        ..Default::default()
    };
    ArmClient::new(ClientConfig::new(settings)).expect("client builds")
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_closed_port_fails_within_seconds_naming_the_endpoint() {
    let port = closed_port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let arm = default_client(&endpoint);
    let started = Instant::now();
    // A 300 s deadline: the failure must come from the unreachable budget, not the timeout.
    let err = arm.get_deployment(&deployment_id("d"), deadline(300)).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(8), "took {elapsed:?}");
    assert!(elapsed >= Duration::from_secs(4), "retried briefly first, took {elapsed:?}");
    match &err.kind {
        ArmErrorKind::Unreachable { endpoint: e, cause, .. } => {
            assert_eq!(e, &endpoint);
            assert_eq!(*cause, UnreachableCause::ConnectionRefused);
        }
        other => panic!("unexpected {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains(&format!("cannot reach {endpoint}: connection refused")), "{text}");
    assert!(!text.contains("timed out"), "{text}");
}

#[tokio::test]
async fn a_refused_write_is_not_accepted() {
    let arm = default_client(&format!("http://127.0.0.1:{}", closed_port()));
    let err = arm.put_deployment(&deployment_id("d"), &body(1), deadline(300)).await.unwrap_err();
    assert!(matches!(err.kind, ArmErrorKind::Unreachable { cause: UnreachableCause::ConnectionRefused, .. }));
    assert!(!err.accepted(), "nothing reached the service");
}

#[tokio::test]
async fn an_unknown_host_fails_fast_as_dns() {
    // `.invalid` never resolves (RFC 6761).
    let arm = default_client("https://management.does-not-exist.invalid");
    let started = Instant::now();
    let err = arm.get_deployment(&deployment_id("d"), deadline(300)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    match &err.kind {
        ArmErrorKind::Unreachable { endpoint, cause, .. } => {
            assert_eq!(endpoint, "https://management.does-not-exist.invalid");
            assert_eq!(*cause, UnreachableCause::Dns);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn an_untrusted_certificate_fails_fast_as_tls() {
    let emu = emulator(Settings::default()).await;
    // The emulator's TLS listener serves a self-signed certificate this client does not trust.
    let arm = default_client(&emu.authority_url());
    let started = Instant::now();
    let err = arm.get_deployment(&deployment_id("d"), deadline(300)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(8), "took {:?}", started.elapsed());
    match &err.kind {
        ArmErrorKind::Unreachable { endpoint, cause, message } => {
            assert_eq!(endpoint, emu.authority_url().trim_end_matches('/'));
            assert_eq!(*cause, UnreachableCause::Tls);
            assert!(message.to_ascii_lowercase().contains("certificate"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn an_endpoint_that_comes_up_within_the_budget_is_used() {
    let port = closed_port();
    let starter = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(700)).await;
        Emulator::start(EmulatorOptions {
            port,
            accounts: vec![AccountSpec::new(ACCOUNT)],
            static_token: Some(STATIC_TOKEN.into()),
            settings: Settings::default(),
        })
        .await
        .expect("emulator starts on the freed port")
    });
    let settings = AuthSettings {
        resource_manager_endpoint: Some(format!("http://127.0.0.1:{port}")),
        access_token: Some(Secret::new(STATIC_TOKEN)),
        ..Default::default()
    };
    let retry = RetryPolicy { unreachable_budget: Duration::from_secs(5), ..fast_policy() };
    let arm = ArmClient::new(ClientConfig { retry, ..ClientConfig::new(settings) }).unwrap();
    let found = arm.get_deployment(&deployment_id("d"), deadline(30)).await.expect("retried until it came up");
    assert!(found.is_none());
    let emu = starter.await.unwrap();
    assert_eq!(emu.requests().len(), 1);
}

#[tokio::test]
async fn dropped_connections_keep_retrying_until_the_deadline() {
    // A dropped connection reached the server: it keeps the normal policy, not the unreachable budget.
    let emu = emulator(Settings::default()).await;
    emu.inject(modelrouter_emulator::FaultRule {
        method: Some("GET".into()),
        path_contains: Some("/deployments/d".into()),
        times: 1000,
        action: modelrouter_emulator::FaultAction::DropConnection,
    });
    let settings = AuthSettings {
        resource_manager_endpoint: Some(emu.base_url()),
        access_token: Some(Secret::new(STATIC_TOKEN)),
        ..Default::default()
    };
    let retry = RetryPolicy { unreachable_budget: Duration::from_millis(100), ..fast_policy() };
    let arm = ArmClient::new(ClientConfig { retry, ..ClientConfig::new(settings) }).unwrap();
    let started = Instant::now();
    let err = arm.get_deployment(&deployment_id("d"), Instant::now() + Duration::from_secs(2)).await.unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(1500), "retried past the unreachable budget");
    assert!(matches!(err.kind, ArmErrorKind::DeadlineExceeded { .. }), "{err:?}");
}
