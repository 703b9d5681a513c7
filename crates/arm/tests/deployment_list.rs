//! List-backed deployment reads (`read_deployment`, `read_account_deployments`): one paged list per account and
//! client, shared by concurrent readers; a deployment missing from the list confirmed with one GET; the client's
//! own writes never answered stale; list failures retried like any read, and shared (not kept) when final.

mod common;

use common::*;
use modelrouter_arm::{ArmClient, ArmErrorKind, DeploymentId};
use modelrouter_emulator::{Emulator, FaultAction, FaultRule, RecordedRequest, Settings};
use serde_json::json;

const PAGE_SIZE: usize = 3;

/// An emulator holding `n` deployments `d0..` (capacity 1) in the test account, lists paged by 3.
async fn fleet(n: usize) -> Emulator {
    let emu = emulator(Settings { page_size: PAGE_SIZE, ..Default::default() }).await;
    for i in 0..n {
        emu.seed_deployment(&format!("{ACCOUNT}/deployments/d{i}"), stored_body(1));
    }
    emu.clear_requests();
    emu
}

fn stored_body(capacity: i64) -> serde_json::Value {
    json!({"sku": {"name": "GlobalStandard", "capacity": capacity},
        "properties": {"model": {"format": "OpenAI", "name": "gpt-4.1", "version": "2025-04-14"}}})
}

/// First pages of the deployments list (a new list read each), every page, and single-deployment GETs.
fn list_reads(requests: &[RecordedRequest]) -> (usize, usize, usize) {
    let gets: Vec<&RecordedRequest> = requests.iter().filter(|r| r.method == "GET").collect();
    let pages: Vec<&&RecordedRequest> = gets.iter().filter(|r| r.path.ends_with("/deployments")).collect();
    let first = pages.iter().filter(|r| !r.query.contains("skiptoken")).count();
    let singles = gets.iter().filter(|r| r.path.contains("/deployments/")).count();
    (first, pages.len(), singles)
}

/// `times` requests (0: all) of `method` to a path containing `path` answered with `status` and `code`.
fn answer(method: &str, path: &str, times: u32, status: u16, code: &str) -> FaultRule {
    let action = FaultAction::Status { status, code: code.into(), message: "injected".into(), retry_after_secs: None };
    FaultRule { method: Some(method.into()), path_contains: Some(path.into()), times, action }
}

fn capacity(deployment: &modelrouter_arm::Deployment) -> Option<i64> {
    deployment.sku.as_ref().and_then(|s| s.capacity)
}

async fn read(arm: &ArmClient, id: &DeploymentId) -> Option<modelrouter_arm::Deployment> {
    arm.read_deployment(id, deadline(10)).await.expect("read")
}

#[tokio::test]
async fn concurrent_reads_of_one_account_share_one_paged_list() {
    let emu = fleet(10).await;
    let arm = client(&emu);
    let mut tasks = Vec::new();
    for i in 0..10 {
        let arm = arm.clone();
        tasks.push(tokio::spawn(
            async move { arm.read_deployment(&deployment_id(&format!("d{i}")), deadline(10)).await },
        ));
    }
    for (i, task) in tasks.into_iter().enumerate() {
        let found = task.await.unwrap().expect("read").expect("listed");
        assert_eq!(found.name.as_deref(), Some(format!("d{i}").as_str()));
    }
    // Names are case-insensitive, and a second round is served from the same list.
    assert!(read(&arm, &deployment_id("D7")).await.is_some());
    assert_eq!(list_reads(&emu.requests()), (1, 4, 0), "one list of 4 pages, no GET");
    assert_eq!(arm.read_account_deployments(&account(), deadline(10)).await.unwrap().len(), 10);
    assert_eq!(list_reads(&emu.requests()), (1, 4, 0), "the account view uses the same list");

    // Another client (another provider process) reads its own list.
    let other = client(&emu);
    assert!(read(&other, &deployment_id("d0")).await.is_some());
    assert_eq!(list_reads(&emu.requests()).0, 2);
}

#[tokio::test]
async fn a_deployment_missing_from_the_list_is_confirmed_with_one_get() {
    let emu = fleet(4).await;
    let arm = client(&emu);
    assert!(read(&arm, &deployment_id("d0")).await.is_some());
    // Created after the list was read: not reported gone, found by the confirming GET.
    emu.seed_deployment(&format!("{ACCOUNT}/deployments/late"), stored_body(5));
    assert_eq!(capacity(&read(&arm, &deployment_id("late")).await.expect("found by GET")), Some(5));
    // Really absent: one GET says so, and the answer is kept.
    assert!(read(&arm, &deployment_id("never")).await.is_none());
    assert!(read(&arm, &deployment_id("never")).await.is_none());
    assert_eq!(list_reads(&emu.requests()), (1, 2, 2));
}

#[tokio::test]
async fn the_clients_own_writes_are_never_answered_stale() {
    let emu = fleet(4).await;
    let arm = client(&emu);
    assert_eq!(capacity(&read(&arm, &deployment_id("d1")).await.unwrap()), Some(1));

    arm.put_deployment(&deployment_id("d1"), &body(9), deadline(10)).await.expect("update");
    arm.put_deployment(&deployment_id("fresh"), &body(2), deadline(10)).await.expect("create");
    arm.delete_deployment(&deployment_id("d2"), deadline(10)).await.expect("delete");

    // Every answer after the writes comes from what they recorded: no new list, no GET.
    emu.clear_requests();
    assert_eq!(capacity(&read(&arm, &deployment_id("d1")).await.unwrap()), Some(9), "the update, not the list");
    assert_eq!(capacity(&read(&arm, &deployment_id("fresh")).await.unwrap()), Some(2), "created after the list");
    assert!(read(&arm, &deployment_id("d2")).await.is_none(), "deleted, although the list holds it");
    let mut names: Vec<String> = arm
        .read_account_deployments(&account(), deadline(10))
        .await
        .unwrap()
        .into_iter()
        .filter_map(|d| d.name)
        .collect();
    names.sort();
    assert_eq!(names, ["d0", "d1", "d3", "fresh"]);
    assert_eq!(list_reads(&emu.requests()), (0, 0, 0));
}

#[tokio::test]
async fn a_failed_write_makes_the_next_read_ask_azure() {
    let emu = fleet(2).await;
    let arm = client(&emu);
    assert!(read(&arm, &deployment_id("d0")).await.is_some());
    emu.inject(answer("PUT", "/deployments/d0", 1, 400, "InvalidResourceProperties"));
    arm.put_deployment(&deployment_id("d0"), &body(7), deadline(10)).await.expect_err("refused");
    // Meanwhile someone else changed it: the read after the failed write sees Azure's state, not the list's.
    emu.patch_deployment(&format!("{ACCOUNT}/deployments/d0"), json!({"sku": {"capacity": 3}}));
    emu.clear_requests();
    assert_eq!(capacity(&read(&arm, &deployment_id("d0")).await.unwrap()), Some(3));
    assert_eq!(list_reads(&emu.requests()), (0, 0, 1), "one GET, no new list");
}

#[tokio::test]
async fn throttled_and_failing_list_pages_are_retried_like_any_read() {
    let emu = fleet(7).await;
    let arm = client(&emu);
    emu.inject(answer("GET", "/deployments", 2, 429, "TooManyRequests"));
    emu.inject(answer("GET", "/deployments", 1, 503, "ServiceUnavailable"));
    assert!(read(&arm, &deployment_id("d6")).await.is_some());
    let requests = emu.requests();
    assert_eq!(requests.iter().filter(|r| r.status == 429).count(), 2);
    assert_eq!(requests.iter().filter(|r| r.status == 503).count(), 1);
    assert_eq!(list_reads(&requests), (4, 6, 0), "the first page three times over, then the rest once");
}

#[tokio::test]
async fn a_list_that_fails_for_good_fails_every_read_waiting_for_it_naming_the_account() {
    let emu = fleet(3).await;
    let arm = client(&emu);
    emu.inject(answer("GET", "/deployments", 0, 403, "AuthorizationFailed"));
    let mut tasks = Vec::new();
    for i in 0..3 {
        let arm = arm.clone();
        tasks.push(tokio::spawn(
            async move { arm.read_deployment(&deployment_id(&format!("d{i}")), deadline(10)).await },
        ));
    }
    for task in tasks {
        let err = task.await.unwrap().expect_err("the list failed");
        assert!(matches!(err.kind(), ArmErrorKind::DeploymentList { .. }), "{err:?}");
        let shown = err.to_string();
        assert!(shown.contains(&format!("could not list the deployments of account {ACCOUNT}")), "{shown}");
        assert!(shown.contains("AuthorizationFailed"), "{shown}");
        assert_eq!(err.code(), Some("AuthorizationFailed"));
        assert!(err.is_forbidden());
    }
    assert_eq!(list_reads(&emu.requests()).0, 1, "the readers waiting for the list shared its failure");

    // The failure is not kept: once the list works, the next read lists again.
    emu.clear_faults();
    assert!(read(&arm, &deployment_id("d2")).await.is_some());
    assert_eq!(list_reads(&emu.requests()).0, 2);
}

#[tokio::test]
async fn a_later_page_refused_by_the_read_throttle_is_retried_after_the_wait_it_names() {
    let emu = fleet(7).await;
    emu.update_settings(|s| {
        s.read_throttle = Some(modelrouter_emulator::ReadThrottle { capacity: 2, refill_per_second: 2 })
    });
    let arm = client(&emu);
    assert!(read(&arm, &deployment_id("d6")).await.is_some(), "the third page arrived after its 429");
    let requests = emu.requests();
    let throttled: Vec<&RecordedRequest> = requests.iter().filter(|r| r.status == 429).collect();
    assert_eq!(throttled.len(), 1, "{requests:?}");
    assert!(throttled[0].query.contains("skiptoken=6"), "the third page was throttled: {:?}", throttled[0]);
    assert_eq!(list_reads(&requests), (1, 4, 0));
}
