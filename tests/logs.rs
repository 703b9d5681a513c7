//! The provider's log, as Terraform writes it with `TF_LOG_PROVIDER` and `TF_LOG_PATH`: what a user reads when a
//! run is slow or odd. A normal run logs no connection error and no path of the machine that built the provider;
//! a write that waits for another write to the same account, or for Azure's operation, says so at INFO.

mod support;

use support::{ACCOUNT, TestEmulator, Workdir};

fn two_routers() -> String {
    ["first", "second"]
        .iter()
        .map(|name| {
            format!(
                "resource \"modelrouter_deployment\" \"{name}\" {{\n  name                 = \"{name}\"\n  cognitive_account_id = \"{ACCOUNT}\"\n}}\n"
            )
        })
        .collect()
}

/// Applies two routers in one account (Terraform creates them in parallel) with the provider log at `level`, each
/// write taking `delay_ms` in the emulator, then plans again; returns the provider's log lines.
fn logged_apply(level: &str, delay_ms: u64) -> String {
    let emu = TestEmulator::start_with(|options| options.settings.operation_delay_ms = delay_ms);
    let mut wd = Workdir::new(&format!("{}\n{}", emu.provider_block(), two_routers()));
    let log = wd.path().join("terraform.log");
    wd.set_env("TF_LOG_PROVIDER", level);
    wd.set_env("TF_LOG_PATH", log.to_str().expect("utf-8 path"));
    wd.init();
    wd.apply();
    wd.assert_plan_empty();
    let text = std::fs::read_to_string(&log).expect("the log file");
    // Terraform's own lines about the plugin are in the file too; the provider's carry its name.
    let provider: Vec<&str> = text.lines().filter(|l| l.contains("provider.terraform-provider-modelrouter")).collect();
    assert!(!provider.is_empty(), "no provider log lines in:\n{text}");
    provider.join("\n")
}

#[test]
fn a_normal_run_logs_no_connection_error_and_no_build_path() {
    let log = logged_apply("DEBUG", 0);
    assert!(log.contains("Shutdown requested by Terraform"), "the runs ended normally:\n{log}");
    assert!(!log.contains("broken pipe"), "a normal shutdown is no error:\n{log}");
    assert!(!log.contains("HTTP/2 connection error"), "{log}");
    for path in [env!("CARGO_MANIFEST_DIR"), "/.cargo/registry/", "log.file"] {
        assert!(!log.contains(path), "the log shows {path:?}:\n{log}");
    }
}

#[test]
fn writes_say_at_info_when_they_wait_for_the_account_and_while_azure_runs_them() {
    let log = logged_apply("INFO", 1500);
    let info: Vec<&str> = log.lines().filter(|l| l.contains("[INFO]")).collect();
    let has = |needle: &str| info.iter().any(|l| l.contains(needle));
    assert!(has("waiting for another write to this account to finish"), "{log}");
    assert!(has("the account is free: this write goes ahead"), "{log}");
    assert!(has("Azure accepted the PUT of"), "{log}");
    assert!(has("waiting for the operation to finish"), "{log}");
    assert!(!log.contains("[DEBUG]"), "INFO only: {log}");
}
