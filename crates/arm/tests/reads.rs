//! The plan-time read APIs: location models, location and account usages, the account's kind; one request per
//! key per client, shared by concurrent callers, failures not cached, 403 distinguishable.

mod common;

use common::*;
use modelrouter_arm::CapacityLimits;
use modelrouter_emulator::{FaultAction, FaultRule, Settings};

const SUBSCRIPTION: &str = "11111111-2222-3333-4444-555555555555";

#[tokio::test]
async fn the_models_list_is_read_once_per_location_even_when_asked_concurrently() {
    let emu = emulator(Settings::default()).await;
    let arm = client(&emu);
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let arm = arm.clone();
        tasks
            .push(tokio::spawn(async move { arm.list_location_models(SUBSCRIPTION, "East US 2", deadline(10)).await }));
    }
    for t in tasks {
        let models = t.await.unwrap().expect("listed");
        let router = models.iter().filter_map(|m| m.model.as_ref()).find(|m| m.name == "model-router").unwrap();
        assert_eq!(router.version.as_deref(), Some("2025-11-18"));
        let sku = router.skus.iter().find(|s| s.name == "GlobalStandard").unwrap();
        assert_eq!(sku.usage_name.as_deref(), Some("OpenAI.GlobalStandard.model-router"));
        assert_eq!(
            sku.capacity,
            Some(CapacityLimits {
                minimum: Some(1),
                maximum: Some(1000),
                step: Some(1),
                default: Some(10),
                allowed_values: vec![]
            })
        );
    }
    arm.list_location_models(SUBSCRIPTION, "eastus2", deadline(10)).await.unwrap();
    assert_eq!(count_containing(&emu.requests(), "GET", "/locations/eastus2/models"), 1);
    arm.list_location_models(SUBSCRIPTION, "westus", deadline(10)).await.unwrap();
    assert_eq!(count_containing(&emu.requests(), "GET", "/models"), 2, "one more for another location");
}

#[tokio::test]
async fn usages_are_read_once_and_follow_the_deployments() {
    let emu = emulator(Settings::default()).await;
    let arm = client(&emu);
    emu.seed_deployment(
        &format!("{ACCOUNT}/deployments/router"),
        serde_json::json!({"sku": {"name": "GlobalStandard", "capacity": 40},
            "properties": {"model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"}}}),
    );
    let location = arm.list_location_usages(SUBSCRIPTION, "eastus2", deadline(10)).await.unwrap();
    let router = location.iter().find(|u| u.name.value == "OpenAI.GlobalStandard.model-router").unwrap();
    assert_eq!((router.current_value, router.limit, router.remaining()), (40.0, 1000.0, 960.0));
    let held = arm.list_account_usages(&account(), deadline(10)).await.unwrap();
    assert!(held.iter().any(|u| u.name.value == "OpenAI.GlobalStandard.model-router" && u.current_value == 40.0));
    arm.list_location_usages(SUBSCRIPTION, "EastUS2", deadline(10)).await.unwrap();
    arm.list_account_usages(&account(), deadline(10)).await.unwrap();
    let requests = emu.requests();
    assert_eq!(count_containing(&requests, "GET", "/locations/eastus2/usages"), 1);
    assert_eq!(count_containing(&requests, "GET", "/accounts/acct1/usages"), 1);
}

#[tokio::test]
async fn forbidden_reads_are_a_distinguishable_error_and_are_not_cached() {
    let emu = emulator(Settings::default()).await;
    let arm = client(&emu);
    emu.update_settings(|s| s.offers.forbid_reads = true);
    for err in [
        arm.list_location_models(SUBSCRIPTION, "eastus2", deadline(10)).await.unwrap_err(),
        arm.list_location_usages(SUBSCRIPTION, "eastus2", deadline(10)).await.unwrap_err(),
        arm.list_account_usages(&account(), deadline(10)).await.unwrap_err(),
    ] {
        assert!(err.is_forbidden(), "{err}");
        assert_eq!(err.code(), Some("AuthorizationFailed"));
        assert!(!err.accepted());
    }
    emu.update_settings(|s| s.offers.forbid_reads = false);
    assert!(!arm.list_location_models(SUBSCRIPTION, "eastus2", deadline(10)).await.unwrap().is_empty());
    assert_eq!(count_containing(&emu.requests(), "GET", "/models"), 2, "the failure was not cached");
}

#[tokio::test]
async fn transient_failures_of_the_read_apis_are_retried() {
    let emu = emulator(Settings::default()).await;
    let arm = client(&emu);
    emu.inject(FaultRule {
        method: Some("GET".into()),
        path_contains: Some("/usages".into()),
        times: 2,
        action: FaultAction::Status {
            status: 503,
            code: "ServiceUnavailable".into(),
            message: "x".into(),
            retry_after_secs: None,
        },
    });
    assert!(!arm.list_location_usages(SUBSCRIPTION, "eastus2", deadline(10)).await.unwrap().is_empty());
    assert_eq!(count_containing(&emu.requests(), "GET", "/usages"), 3);
}

#[tokio::test]
async fn the_account_kind_and_location_are_read_once() {
    let emu = emulator(Settings::default()).await;
    let arm = client(&emu);
    let a = arm.get_account(&account(), deadline(10)).await.unwrap();
    assert_eq!((a.kind.as_deref(), a.location.as_deref()), (Some("AIServices"), Some("eastus2")));
    arm.get_account(&account(), deadline(10)).await.unwrap();
    assert_eq!(count_containing(&emu.requests(), "GET", "/accounts/acct1"), 1);
}
