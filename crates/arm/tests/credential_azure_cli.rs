//! Azure CLI credential: a fake `az` script on PATH answers `az account get-access-token`.
//! PATH is process-global, so this is the only test in this binary.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;
use modelrouter_arm::AuthSettings;
use modelrouter_emulator::Settings;

const CLI_TOKEN: &str = "cli-issued-token-5d2f";

#[tokio::test]
async fn azure_cli_token_is_used() {
    let emu = emulator_with_token(Settings::default(), Some(CLI_TOKEN)).await;
    let dir = tempfile::tempdir().unwrap();
    let args_file = dir.path().join("az-args");
    let expires_on = time::OffsetDateTime::now_utc().unix_timestamp() + 3600;
    let script = format!(
        "#!/bin/sh\nprintf '%s ' \"$@\" >> '{}'\necho >> '{}'\ncat <<JSON\n{{\"accessToken\": \"{CLI_TOKEN}\", \"expiresOn\": \"2099-01-01 00:00:00.000000\", \"expires_on\": {expires_on}, \"subscription\": \"s\", \"tenant\": \"t\", \"tokenType\": \"Bearer\"}}\nJSON\n",
        args_file.display(),
        args_file.display()
    );
    let az = dir.path().join("az");
    std::fs::write(&az, script).unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", dir.path().display(), std::env::var("PATH").unwrap_or_default());
    // SAFETY: the only test in this process; nothing else reads the environment concurrently.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("PATH", path)
    };

    // use_cli defaults to true when nothing else is configured.
    let arm = client_with(&emu, AuthSettings::default());
    for _ in 0..2 {
        assert!(arm.get_deployment(&deployment_id("probe"), deadline(20)).await.expect("authorised").is_none());
    }
    let bearers: Vec<_> = emu.requests().into_iter().map(|r| r.bearer_token).collect();
    assert_eq!(bearers, [Some(CLI_TOKEN.to_string()), Some(CLI_TOKEN.to_string())]);
    let calls = std::fs::read_to_string(&args_file).unwrap();
    assert_eq!(calls.lines().count(), 1, "token cached, az ran once: {calls}");
    assert!(
        calls.contains(&format!("account get-access-token -o json --scope {}/.default", emu.base_url())),
        "{calls}"
    );
}
