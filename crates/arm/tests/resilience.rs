//! Concurrency, conflicts, throttling, transient failures, deadlines and cancellation, against the emulator.

mod common;

use std::time::{Duration, Instant};

use common::*;
use modelrouter_arm::{
    ArmClient, ArmError, ArmErrorKind, AuthSettings, ClientConfig, ConfigError, RetryPolicy, Secret,
};
use modelrouter_emulator::{FaultAction, FaultRule, LroStyle, Settings};

fn status_fault(
    method: &str,
    path: &str,
    times: u32,
    status: u16,
    code: &str,
    retry_after_secs: Option<u64>,
) -> FaultRule {
    FaultRule {
        method: Some(method.into()),
        path_contains: Some(path.into()),
        times,
        action: FaultAction::Status {
            status,
            code: code.into(),
            message: format!("injected {status}"),
            retry_after_secs,
        },
    }
}

fn drop_fault(method: &str, path: &str, times: u32) -> FaultRule {
    FaultRule {
        method: Some(method.into()),
        path_contains: Some(path.into()),
        times,
        action: FaultAction::DropConnection,
    }
}

#[tokio::test]
async fn twenty_concurrent_puts_to_one_account_all_succeed_without_a_409() {
    let emu = emulator(Settings { operation_delay_ms: 40, ..Default::default() }).await;
    let arm = client(&emu);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let arm = arm.clone();
        tasks.push(tokio::spawn(async move {
            arm.put_deployment(&deployment_id(&format!("d{i}")), &body(1), deadline(60)).await
        }));
    }
    for t in tasks {
        let d = t.await.expect("task").expect("put succeeds");
        assert_eq!(d.provisioning_state(), Some("Succeeded"));
    }
    let requests = emu.requests();
    assert_eq!(requests.iter().filter(|r| r.status == 409).count(), 0, "the client serialises writes per account");
    assert_eq!(count_containing(&requests, "PUT", "/deployments/d"), 20);
    assert_eq!(arm.list_deployments(&account(), deadline(5)).await.unwrap().len(), 20);
}

#[tokio::test]
async fn another_writer_holding_the_account_is_waited_out() {
    let emu = emulator(Settings::default()).await;
    let arm = client(&emu);
    emu.hold_account(ACCOUNT, 300);
    let started = Instant::now();
    arm.put_deployment(&deployment_id("patient"), &body(1), deadline(20)).await.expect("retried until free");
    assert!(started.elapsed() >= Duration::from_millis(280));
    let puts: Vec<u16> = emu.requests().iter().filter(|r| r.method == "PUT").map(|r| r.status).collect();
    assert!(puts.len() >= 2, "{puts:?}");
    assert!(puts[..puts.len() - 1].iter().all(|s| *s == 409), "{puts:?}");
    assert_eq!(puts.last(), Some(&201));
    // Deletes wait it out too.
    emu.hold_account(ACCOUNT, 200);
    arm.delete_deployment(&deployment_id("patient"), deadline(20)).await.expect("delete retried");
}

#[tokio::test]
async fn throttling_honours_retry_after() {
    let emu = emulator(Settings::default()).await;
    let arm = client(&emu);
    emu.inject(status_fault("PUT", "/deployments/", 1, 429, "TooManyRequests", Some(1)));
    let started = Instant::now();
    arm.put_deployment(&deployment_id("throttled"), &body(1), deadline(20)).await.expect("retried");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(950), "waited {elapsed:?}, Retry-After said 1 s");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    let puts: Vec<u16> = emu.requests().iter().filter(|r| r.method == "PUT").map(|r| r.status).collect();
    assert_eq!(puts, [429, 201]);
}

#[tokio::test]
async fn transient_failures_during_put_polling_and_get_are_survived() {
    let emu = emulator(Settings { operation_delay_ms: 200, ..Default::default() }).await;
    let arm = client(&emu);
    emu.inject(status_fault("PUT", "/deployments/", 2, 503, "ServiceUnavailable", None));
    emu.inject(drop_fault("PUT", "/deployments/", 1));
    emu.inject(drop_fault("GET", "/operations/", 2));
    emu.inject(status_fault("GET", "/operations/", 1, 500, "InternalServerError", None));
    emu.inject(status_fault("GET", "/deployments/sturdy", 1, 503, "ServiceUnavailable", None));
    emu.inject(drop_fault("GET", "/deployments/sturdy", 1));
    let created = arm.put_deployment(&deployment_id("sturdy"), &body(3), deadline(30)).await.expect("survives");
    assert_eq!(created.sku.and_then(|s| s.capacity), Some(3));
    let requests = emu.requests();
    let statuses = |m: &str, needle: &str| -> Vec<u16> {
        requests.iter().filter(|r| r.method == m && r.path.contains(needle)).map(|r| r.status).collect()
    };
    // Faults are consumed in the order injected: 503, 503, dropped (0), then accepted.
    assert_eq!(statuses("PUT", "/deployments/"), [503, 503, 0, 201]);
    let polls = statuses("GET", "/operations/");
    assert_eq!(&polls[..3], [0, 0, 500], "{polls:?}");
    assert_eq!(polls.last(), Some(&200));
    assert_eq!(statuses("GET", "/deployments/sturdy"), [503, 0, 200]);
    // And a plain GET.
    emu.inject(drop_fault("GET", "/deployments/sturdy", 1));
    emu.inject(status_fault("GET", "/deployments/sturdy", 1, 429, "TooManyRequests", None));
    assert!(arm.get_deployment(&deployment_id("sturdy"), deadline(10)).await.unwrap().is_some());
}

#[tokio::test]
async fn the_deadline_bounds_retries_and_polling() {
    let emu = emulator(Settings { operation_delay_ms: 60_000, ..Default::default() }).await;
    let arm = client(&emu);
    let started = Instant::now();
    let err = arm
        .put_deployment(&deployment_id("slow"), &body(1), Instant::now() + Duration::from_millis(800))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, ArmError { kind: ArmErrorKind::DeadlineExceeded { .. }, accepted: true, .. }), "{err:?}");
    assert!(err.accepted());
    assert!(elapsed < Duration::from_millis(1300), "{elapsed:?}");

    // A service that keeps failing: the error says what the last failure was.
    emu.inject(status_fault("GET", "/deployments/", 0, 503, "ServiceUnavailable", None));
    let started = Instant::now();
    let err =
        arm.get_deployment(&deployment_id("slow"), Instant::now() + Duration::from_millis(500)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(900));
    assert!(matches!(err, ArmError { kind: ArmErrorKind::DeadlineExceeded { .. }, accepted: false, .. }), "{err:?}");
    assert!(err.to_string().contains("503"), "{err}");
}

#[tokio::test]
async fn cancel_stops_a_long_poll_promptly_and_reports_acceptance() {
    let emu = emulator(Settings { operation_delay_ms: 60_000, ..Default::default() }).await;
    // Honour the service's 60 s Retry-After, as in production.
    let policy = RetryPolicy { max_server_delay: Duration::from_secs(600), ..fast_policy() };
    let settings = AuthSettings {
        resource_manager_endpoint: Some(emu.base_url()),
        access_token: Some(Secret::new(STATIC_TOKEN)),
        ..Default::default()
    };
    let arm = ArmClient::new(ClientConfig { retry: policy, ..ClientConfig::new(settings) }).unwrap();
    let put = tokio::spawn({
        let arm = arm.clone();
        async move { arm.put_deployment(&deployment_id("stopme"), &body(1), deadline(300)).await }
    });
    // Wait until the PUT has been accepted and the client sleeps before its first poll.
    let accepted_by = Instant::now() + Duration::from_secs(5);
    while !emu.requests().iter().any(|r| r.method == "PUT" && r.status == 201) {
        assert!(Instant::now() < accepted_by, "PUT never accepted");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let cancelled_at = Instant::now();
    arm.cancel();
    let err = tokio::time::timeout(Duration::from_secs(1), put)
        .await
        .expect("returns within a second")
        .expect("task")
        .unwrap_err();
    assert!(cancelled_at.elapsed() < Duration::from_millis(500));
    assert!(matches!(err, ArmError { kind: ArmErrorKind::Cancelled, accepted: true, .. }), "{err:?}");
    // Later calls are cancelled at once and were never accepted.
    let err = arm.put_deployment(&deployment_id("after"), &body(1), deadline(10)).await.unwrap_err();
    assert!(matches!(err, ArmError { kind: ArmErrorKind::Cancelled, accepted: false, .. }), "{err:?}");
    assert_eq!(count(&emu.requests(), "PUT", "/deployments/after"), 0);
}

#[tokio::test]
async fn cancel_also_interrupts_a_write_waiting_for_the_account_lock() {
    let emu = emulator(Settings { operation_delay_ms: 60_000, ..Default::default() }).await;
    let arm = client(&emu);
    let first = tokio::spawn({
        let arm = arm.clone();
        async move { arm.put_deployment(&deployment_id("one"), &body(1), deadline(300)).await }
    });
    let second = tokio::spawn({
        let arm = arm.clone();
        async move { arm.put_deployment(&deployment_id("two"), &body(1), deadline(300)).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    arm.cancel();
    let results =
        tokio::time::timeout(Duration::from_secs(1), async { (first.await, second.await) }).await.expect("prompt");
    let errors = [results.0.unwrap().unwrap_err(), results.1.unwrap().unwrap_err()];
    let accepted: Vec<bool> = errors.iter().map(ArmError::accepted).collect();
    assert!(errors.iter().all(|e| matches!(e.kind, ArmErrorKind::Cancelled)), "{errors:?}");
    // Exactly one of them got its PUT accepted; the other was still waiting for the lock.
    assert_eq!(accepted.iter().filter(|a| **a).count(), 1, "{accepted:?}");
}

#[tokio::test]
async fn writes_inside_with_account_lock_do_not_deadlock() {
    let emu = emulator(Settings { operation_delay_ms: 50, lro_style: LroStyle::Location, ..Default::default() }).await;
    let arm = client(&emu);
    let id = deployment_id("checked");
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        arm.with_account_lock(&account(), async {
            let existing = arm.get_deployment(&id, deadline(5)).await?;
            assert!(existing.is_none());
            arm.put_deployment(&id, &body(2), deadline(10)).await?;
            arm.delete_deployment(&id, deadline(10)).await
        }),
    )
    .await
    .expect("no deadlock");
    result.expect("sequence succeeds");
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_before_any_connection() {
    let settings = AuthSettings {
        resource_manager_endpoint: Some("http://management.azure.com".into()),
        access_token: Some(Secret::new("x")),
        ..Default::default()
    };
    // `new` is synchronous and performs no I/O: the refusal cannot have touched the network.
    let err = ArmClient::new(ClientConfig::new(settings)).unwrap_err();
    assert!(matches!(err, ConfigError::InsecureEndpoint { .. }), "{err}");
}

#[tokio::test]
async fn requests_without_the_right_token_are_refused_by_the_service() {
    let emu = emulator(Settings::default()).await;
    let arm = client_with(&emu, AuthSettings { access_token: Some(Secret::new("wrong")), ..Default::default() });
    let err = arm.get_deployment(&deployment_id("x"), deadline(5)).await.unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
}

/// A write whose answer had not arrived when the deadline or Ctrl-C struck may have been applied by the service:
/// the error must say "accepted" so the caller keeps the resource (tainted) instead of forgetting it.
#[tokio::test]
async fn a_write_in_flight_when_the_deadline_or_cancel_strikes_counts_as_accepted() {
    let emu = emulator(Settings::default()).await;
    let slow_put = FaultRule {
        method: Some("PUT".into()),
        path_contains: None,
        times: 0,
        action: FaultAction::Delay { ms: 3_000 },
    };
    emu.inject(slow_put);
    let arm = client(&emu);
    let started = Instant::now();
    let err = arm.put_deployment(&deployment_id("slow"), &body(1), deadline(1)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "bounded by the deadline");
    assert!(matches!(err, ArmError { kind: ArmErrorKind::DeadlineExceeded { .. }, accepted: true, .. }), "{err:?}");

    let put = tokio::spawn({
        let arm = arm.clone();
        async move { arm.put_deployment(&deployment_id("slow-too"), &body(1), deadline(30)).await }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    arm.cancel();
    let err = tokio::time::timeout(Duration::from_secs(1), put).await.expect("prompt").expect("task").unwrap_err();
    assert!(matches!(err, ArmError { kind: ArmErrorKind::Cancelled, accepted: true, .. }), "{err:?}");

    // A read in flight changes nothing: not accepted.
    let fresh = client(&emu);
    emu.inject(FaultRule {
        method: Some("GET".into()),
        path_contains: None,
        times: 1,
        action: FaultAction::Delay { ms: 3_000 },
    });
    let err = fresh.get_deployment(&deployment_id("slow"), deadline(1)).await.unwrap_err();
    assert!(matches!(err, ArmError { kind: ArmErrorKind::DeadlineExceeded { .. }, accepted: false, .. }), "{err:?}");
}
