//! Writes that lose nothing and the one api-version, against the emulator: preconditions, pause/resume, the
//! writable-field filter on a read-modify-write, and the unpinned client's fallback in a cloud that lags.

mod common;

use common::*;
use modelrouter_arm::{ArmClient, AuthSettings, ClientConfig, Secret, WriteBody};
use modelrouter_emulator::Settings;
use serde_json::json;

#[tokio::test]
async fn a_stale_etag_is_refused_with_412_and_a_create_never_replaces() {
    let emulator = emulator(Settings::default()).await;
    let arm = client(&emulator);
    let id = deployment_id("guarded");
    let created = arm.write_deployment(&id, &WriteBody::create(&body(1)), deadline(20)).await.expect("created");
    let again = arm.write_deployment(&id, &WriteBody::create(&body(1)), deadline(20)).await.unwrap_err();
    assert!(again.is_precondition_failed(), "{again}");

    // The portal changes it after our read: our update of that read is refused, nothing is overwritten.
    assert!(emulator.patch_deployment(&id.to_string(), json!({"properties": {"spilloverDeploymentName": "spill"}})));
    let mut modified = created.clone();
    modified.sku.as_mut().unwrap().capacity = Some(7);
    let stale = arm.write_deployment(&id, &WriteBody::update(&created, &modified), deadline(20)).await.unwrap_err();
    assert!(stale.is_precondition_failed(), "{stale}");
    assert_eq!(emulator.deployment(&id.to_string()).unwrap()["sku"]["capacity"], 1);

    // Read again, modify, write: the portal's field survives, and no read-only field was ever sent.
    let fresh = arm.get_deployment(&id, deadline(20)).await.unwrap().expect("exists");
    let mut modified = fresh.clone();
    modified.sku.as_mut().unwrap().capacity = Some(7);
    let written = arm.write_deployment(&id, &WriteBody::update(&fresh, &modified), deadline(20)).await.expect("ok");
    assert_eq!(written.sku.unwrap().capacity, Some(7));
    assert_eq!(written.properties.extra["spilloverDeploymentName"], "spill");
    let requests = emulator.requests();
    assert!(requests.iter().all(|r| r.read_only_fields.is_empty()), "{requests:#?}");
}

#[tokio::test]
async fn pause_and_resume_are_actions_and_a_put_keeps_the_state() {
    let emulator = emulator(Settings::default()).await;
    let arm = client(&emulator);
    let id = deployment_id("pausable");
    arm.put_deployment(&id, &body(1), deadline(20)).await.expect("created");
    let paused = arm.set_deployment_state(&id, "Paused", deadline(20)).await.expect("paused");
    assert_eq!(paused.deployment_state(), "Paused");
    let updated = arm.put_deployment(&id, &body(2), deadline(20)).await.expect("updated");
    assert_eq!(updated.deployment_state(), "Paused", "a PUT without the state leaves it");
    let resumed = arm.set_deployment_state(&id, "Running", deadline(20)).await.expect("resumed");
    assert_eq!(resumed.deployment_state(), "Running");
    assert_eq!(count(&emulator.requests(), "POST", "/pausable/pause"), 1);
    assert_eq!(count(&emulator.requests(), "POST", "/pausable/resume"), 1);
}

#[tokio::test]
async fn an_unpinned_client_falls_back_once_and_a_pinned_one_reports_azures_refusal() {
    let mut settings = Settings::default();
    settings.api_versions.refuse_previews = true;
    settings.api_versions.refused = vec!["2026-09-01".into(), "2026-07-01".into()];
    let emulator = emulator(settings).await;
    let arm = client(&emulator);
    arm.put_deployment(&deployment_id("lagging"), &body(1), deadline(20)).await.expect("created on the fallback");
    assert_eq!(arm.api_version(), "2026-05-01", "the newest GA version the cloud lists");
    arm.get_account(&account(), deadline(20)).await.expect("the account on the fallback too");
    let refused = emulator.requests().iter().filter(|r| r.status == 400).count();
    assert_eq!(refused, 1, "the default is tried once per client");

    let pinned = ArmClient::new(ClientConfig {
        api_version: Some("2026-09-01".into()),
        retry: fast_policy(),
        ..ClientConfig::new(AuthSettings {
            resource_manager_endpoint: Some(emulator.base_url()),
            access_token: Some(Secret::new(STATIC_TOKEN)),
            ..Default::default()
        })
    })
    .unwrap();
    let error = pinned.get_deployment(&deployment_id("lagging"), deadline(20)).await.unwrap_err();
    assert_eq!(error.code(), Some("NoRegisteredProviderFound"), "{error}");
    assert!(error.to_string().contains("2026-05-01"), "Azure's message lists what it serves: {error}");
    assert_eq!(pinned.api_version(), "2026-09-01");
}
