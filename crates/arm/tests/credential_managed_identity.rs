//! Managed identity (App Service flavour) against the emulator's `/msi/token`.
//! azure_identity reads `IDENTITY_ENDPOINT`/`IDENTITY_HEADER` from the process environment, so this test sets
//! them; it is the only test in this binary, and nextest runs every test in its own process anyway.

mod common;

use common::*;
use modelrouter_arm::AuthSettings;
use modelrouter_emulator::{MSI_IDENTITY_HEADER, Settings};

#[tokio::test]
async fn managed_identity_app_service() {
    let emu = emulator(Settings::default()).await;
    // SAFETY: single-threaded with respect to the environment: no other test runs in this process.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("IDENTITY_ENDPOINT", format!("{}/msi/token", emu.base_url()));
        std::env::set_var("IDENTITY_HEADER", MSI_IDENTITY_HEADER);
    }
    let settings = AuthSettings {
        use_msi: Some(true),
        client_id: Some("user-assigned-client".into()),
        use_cli: Some(false),
        ..Default::default()
    };
    let arm = client_with(&emu, settings);
    for _ in 0..2 {
        assert!(arm.get_deployment(&deployment_id("probe"), deadline(10)).await.expect("authorised").is_none());
    }
    let grants = emu.token_grants();
    assert_eq!(grants.len(), 1, "cached: {grants:?}");
    assert_eq!(grants[0].grant, "managed_identity");
    assert_eq!(grants[0].client_id.as_deref(), Some("user-assigned-client"));
    assert_eq!(grants[0].scope.as_deref(), Some(emu.base_url().as_str()), "resource = ARM base");
    let bearers: Vec<_> = emu.requests().into_iter().map(|r| r.bearer_token).collect();
    assert_eq!(bearers.len(), 2);
    let bearer = bearers[0].clone().expect("bearer");
    assert_eq!(bearers[1].as_deref(), Some(bearer.as_str()));
    assert_ne!(bearer, STATIC_TOKEN);
}
