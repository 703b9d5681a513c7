//! Create/read/list/delete under each long-running-operation style, against the real emulator.

mod common;

use common::*;
use modelrouter_arm::ArmErrorKind;
use modelrouter_emulator::{LroStyle, Outcome, Settings};

fn settings(style: LroStyle, delay_ms: u64) -> Settings {
    Settings { lro_style: style, operation_delay_ms: delay_ms, page_size: 2, ..Default::default() }
}

const STYLES: [LroStyle; 4] =
    [LroStyle::AsyncOperation, LroStyle::Location, LroStyle::ProvisioningState, LroStyle::Synchronous];

#[tokio::test]
async fn create_read_list_delete_under_every_lro_style() {
    for style in STYLES {
        let emu = emulator(settings(style, 300)).await;
        let arm = client(&emu);
        let id = deployment_id("router-a");

        let created =
            arm.put_deployment(&id, &body(10), deadline(20)).await.unwrap_or_else(|e| panic!("{style:?}: {e}"));
        assert_eq!(created.provisioning_state(), Some("Succeeded"), "{style:?}");
        assert_eq!(created.sku.as_ref().and_then(|s| s.capacity), Some(10), "{style:?}");
        let got = arm.get_deployment(&id, deadline(5)).await.unwrap().expect("exists");
        assert_eq!(got.properties.model.as_ref().map(|m| m.name.as_str()), Some("gpt-4.1"));

        // Two more, so that the list spans two pages of two.
        for name in ["router-b", "router-c"] {
            emu.seed_deployment(&deployment_id(name).to_string(), serde_json::to_value(body(1)).unwrap());
        }
        emu.clear_requests();
        let mut names: Vec<String> =
            arm.list_deployments(&account(), deadline(5)).await.unwrap().into_iter().filter_map(|d| d.name).collect();
        names.sort();
        assert_eq!(names, ["router-a", "router-b", "router-c"], "{style:?}");
        assert_eq!(count(&emu.requests(), "GET", "/deployments"), 2, "{style:?}: two pages");

        emu.clear_requests();
        arm.delete_deployment(&id, deadline(20)).await.unwrap_or_else(|e| panic!("{style:?}: {e}"));
        let requests = emu.requests();
        assert_eq!(count(&requests, "DELETE", "/deployments/router-a"), 1, "{style:?}");
        let last_get =
            requests.iter().rev().find(|r| r.method == "GET" && r.path.ends_with("/router-a")).expect("confirming GET");
        assert_eq!(last_get.status, 404, "{style:?}: delete completes when GET answers 404");
        assert!(arm.get_deployment(&id, deadline(5)).await.unwrap().is_none(), "{style:?}");
        assert!(emu.deployment(&id.to_string()).is_none());
        // Deleting again is not an error.
        arm.delete_deployment(&id, deadline(5)).await.unwrap();
    }
}

#[tokio::test]
async fn a_create_costs_one_put_the_requested_polls_and_one_get() {
    for style in STYLES {
        let emu = emulator(settings(style, 300)).await;
        let arm = client(&emu);
        let id = deployment_id("costly");
        arm.put_deployment(&id, &body(10), deadline(20)).await.unwrap();
        let requests = emu.requests();
        assert!(requests.iter().all(|r| r.status != 0 && r.status < 400), "{style:?}: {requests:#?}");
        assert_eq!(count(&requests, "PUT", "/deployments/costly"), 1, "{style:?}");
        let gets = count(&requests, "GET", "/deployments/costly");
        let op_polls = count_containing(&requests, "GET", "/operations/");
        let location_polls = count_containing(&requests, "GET", "/operationResults/");
        match style {
            // retry-after-ms says 300 ms: one poll, maybe two on a slow machine.
            LroStyle::AsyncOperation => {
                assert_eq!(gets, 1, "{style:?}");
                assert!((1..=2).contains(&op_polls), "{style:?}: {op_polls} polls");
                assert_eq!(location_polls, 0);
            }
            LroStyle::Location => {
                assert_eq!(gets, 1, "{style:?}");
                assert!((1..=2).contains(&location_polls), "{style:?}: {location_polls} polls");
                assert_eq!(op_polls, 0);
            }
            // No hint: the resource is polled at the default interval (50 ms in tests); the last poll is the read.
            LroStyle::ProvisioningState => {
                assert!((2..=12).contains(&gets), "{style:?}: {gets} GETs");
                assert_eq!(op_polls + location_polls, 0);
            }
            LroStyle::Synchronous => {
                assert_eq!(gets, 1, "{style:?}");
                assert_eq!(op_polls + location_polls, 0);
            }
        }
        // One correlation id for the whole operation, and the provider named in the User-Agent.
        let correlation: std::collections::HashSet<_> = requests.iter().map(|r| r.correlation_id.clone()).collect();
        assert_eq!(correlation.len(), 1, "{style:?}");
        let cid = correlation.into_iter().next().flatten().expect("correlation id sent");
        assert_eq!(uuid_version(&cid), Some('4'), "{cid}");
        let ua = requests[0].user_agent.clone().unwrap_or_default();
        assert!(ua.starts_with("terraform-provider-modelrouter/"), "{ua}");
    }
}

fn uuid_version(s: &str) -> Option<char> {
    (s.len() == 36).then(|| s.chars().nth(14)).flatten()
}

#[tokio::test]
async fn a_failed_operation_reports_the_service_code_and_message() {
    for style in STYLES {
        let emu = emulator(Settings { operation_outcome: Outcome::Failed, ..settings(style, 200) }).await;
        let arm = client(&emu);
        let err = arm.put_deployment(&deployment_id("doomed"), &body(1), deadline(20)).await.unwrap_err();
        assert_eq!(err.code(), Some("OperationFailed"), "{style:?}: {err}");
        match (&err.kind, style) {
            (ArmErrorKind::OperationFailed { state, message, .. }, LroStyle::AsyncOperation | LroStyle::Location) => {
                assert_eq!(state, "Failed");
                assert!(message.contains("The operation failed"), "{style:?}: {message}");
                assert!(err.accepted());
            }
            (ArmErrorKind::OperationFailed { state, .. }, LroStyle::ProvisioningState) => {
                assert_eq!(state, "Failed");
                assert!(err.accepted());
            }
            // The synchronous style answers the PUT itself with the error.
            (ArmErrorKind::Service { status: 400, message, .. }, LroStyle::Synchronous) => {
                assert!(message.contains("The operation failed"), "{message}");
            }
            _ => panic!("{style:?}: unexpected {err:?}"),
        }
        assert!(err.to_string().contains("OperationFailed"), "{err}");
    }
}

#[tokio::test]
async fn a_canceled_operation_is_an_error_with_state_canceled() {
    let emu =
        emulator(Settings { operation_outcome: Outcome::Canceled, ..settings(LroStyle::AsyncOperation, 100) }).await;
    let arm = client(&emu);
    let err = arm.put_deployment(&deployment_id("stopped"), &body(1), deadline(20)).await.unwrap_err();
    match err.kind {
        ArmErrorKind::OperationFailed { ref state, ref code, .. } => {
            assert_eq!(state, "Canceled");
            assert_eq!(code, "OperationCanceled");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn read_modify_write_keeps_fields_the_client_does_not_model() {
    let emu = emulator(settings(LroStyle::AsyncOperation, 0)).await;
    let arm = client(&emu);
    let id = deployment_id("rmw");
    emu.seed_deployment(
        &id.to_string(),
        serde_json::json!({
            "sku": {"name": "GlobalStandard", "capacity": 5},
            "tags": {"team": "ml"},
            "properties": {"model": {"format": "OpenAI", "name": "gpt-4.1", "version": "2025-04-14"},
                           "serviceTier": "Priority", "capacitySettings": {"priority": 2}}
        }),
    );
    let mut current = arm.get_deployment(&id, deadline(5)).await.unwrap().expect("seeded");
    current.sku.as_mut().unwrap().capacity = Some(7);
    arm.put_deployment(&id, &current, deadline(10)).await.unwrap();
    let put = emu.requests().into_iter().find(|r| r.method == "PUT").expect("a PUT");
    let sent = put.body.expect("PUT body");
    assert_eq!(sent["tags"], serde_json::json!({"team": "ml"}));
    assert_eq!(sent["properties"]["serviceTier"], "Priority");
    assert_eq!(sent["properties"]["capacitySettings"]["priority"], 2);
    assert_eq!(sent["sku"]["capacity"], 7);
    let stored = emu.deployment(&id.to_string()).unwrap();
    assert_eq!(stored["properties"]["serviceTier"], "Priority");
}

#[tokio::test]
async fn missing_deployment_reads_as_none_and_bad_requests_fail_fast() {
    let emu = emulator(settings(LroStyle::AsyncOperation, 0)).await;
    let arm = client(&emu);
    assert!(arm.get_deployment(&deployment_id("nope"), deadline(5)).await.unwrap().is_none());
    // No sku: the service answers 400 InvalidResourceProperties, not retried, not accepted.
    let mut bad = body(1);
    bad.sku = None;
    let started = std::time::Instant::now();
    let err = arm.put_deployment(&deployment_id("bad"), &bad, deadline(10)).await.unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(err.code(), Some("InvalidResourceProperties"), "{err}");
    assert_eq!(err.status(), Some(400));
    assert!(!err.accepted());
    assert_eq!(count(&emu.requests(), "PUT", "/deployments/bad"), 1);
}

#[tokio::test]
async fn account_is_read_once_and_cached() {
    let emu = emulator(Settings::default()).await;
    let arm = client(&emu);
    let a = arm.get_account(&account(), deadline(5)).await.unwrap();
    assert_eq!(a.location.as_deref(), Some("eastus2"));
    assert_eq!(a.kind.as_deref(), Some("AIServices"));
    // A differently-cased id hits the same cache entry.
    let upper = modelrouter_arm::AccountId::parse(&ACCOUNT.replace("resourceGroups", "RESOURCEGROUPS")).unwrap();
    let b = arm.get_account(&upper, deadline(5)).await.unwrap();
    assert_eq!(a, b);
    assert_eq!(count(&emu.requests(), "GET", "/accounts/acct1"), 1);
}

#[tokio::test]
async fn concurrent_first_reads_of_an_account_share_one_get() {
    let emu = emulator(Settings::default()).await;
    // The account GET is slow, so all ten readers arrive while the first read is in flight.
    emu.inject(modelrouter_emulator::FaultRule {
        method: Some("GET".into()),
        path_contains: Some("/accounts/acct1".into()),
        times: 0,
        action: modelrouter_emulator::FaultAction::Delay { ms: 200 },
    });
    let arm = client(&emu);
    let mut reads = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let arm = arm.clone();
        reads.spawn(async move { arm.get_account(&account(), deadline(5)).await });
    }
    let accounts = reads.join_all().await;
    assert_eq!(accounts.len(), 10);
    assert!(accounts.iter().all(|a| a.as_ref().is_ok_and(|a| a.location.as_deref() == Some("eastus2"))));
    assert_eq!(count(&emu.requests(), "GET", "/accounts/acct1"), 1);
}

#[tokio::test]
async fn a_failed_account_read_is_not_cached() {
    let emu = emulator(Settings::default()).await;
    emu.inject(modelrouter_emulator::FaultRule {
        method: Some("GET".into()),
        path_contains: Some("/accounts/acct1".into()),
        times: 1,
        action: modelrouter_emulator::FaultAction::Status {
            status: 403,
            code: "AuthorizationFailed".into(),
            message: "no".into(),
            retry_after_secs: None,
        },
    });
    let arm = client(&emu);
    assert!(arm.get_account(&account(), deadline(5)).await.is_err());
    assert!(arm.get_account(&account(), deadline(5)).await.is_ok(), "the second call reads again");
    assert_eq!(count(&emu.requests(), "GET", "/accounts/acct1"), 2);
}
