//! Ctrl-C during create, update and delete: the real `terraform` is interrupted (SIGINT to its process group, as a
//! terminal sends it) while Azure runs a slow operation. Terraform must exit promptly (the provider's Stop cancels
//! the polling), an accepted create must be in state as tainted (never orphaned), and a follow-up apply converges
//! without creating anything twice.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::{TestEmulator, Workdir, assert_state_matches_emulator, wait_for_exit};

/// How long each Azure operation runs: far longer than Terraform may take to stop.
const SLOW_OPERATION_MS: u64 = 8_000;
/// What "promptly" means for the exit after SIGINT.
const PROMPT_EXIT: Duration = Duration::from_secs(3);

fn router(name: &str, mode: &str) -> String {
    support::two_model_router(name, mode, "")
}

fn workdir(emu: &TestEmulator, resources: &str) -> Workdir {
    let wd = Workdir::new(&format!("{}\n{resources}", emu.provider_block()));
    wd.init();
    wd
}

fn set_config(wd: &Workdir, emu: &TestEmulator, resources: &str) {
    wd.write("main.tf", &format!("{}\n{resources}", emu.provider_block()));
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let give_up = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < give_up, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits until the emulator's operation on `name` is over (the deployment left Creating/Updating/Deleting).
fn wait_until_settled(emu: &TestEmulator, name: &str) {
    wait_until(&format!("{name} settles"), Duration::from_millis(SLOW_OPERATION_MS + 10_000), || {
        let state = emu.stored(name).map(|d| d["properties"]["provisioningState"].as_str().unwrap_or("").to_owned());
        !matches!(state.as_deref(), Some("Creating" | "Updating" | "Deleting"))
    });
}

/// Who gets the SIGINT.
#[derive(Clone, Copy)]
enum Target {
    /// Terraform and its provider, as Ctrl-C in a terminal does (the provider ignores it and waits for Stop).
    ProcessGroup,
    /// Terraform alone, as a CI runner cancelling a job may do.
    TerraformOnly,
}

/// Runs `args` in the background, waits until Azure accepted the write (`accepted` turns true) and the provider
/// is polling, sends SIGINT, and returns terraform's output once it exited, asserting it exited promptly.
fn interrupt_after_acceptance(
    wd: &Workdir,
    args: &[&str],
    target: Target,
    accepted: impl FnMut() -> bool,
) -> support::TfOutput {
    let child = wd.spawn(args);
    let group = match target {
        Target::ProcessGroup => format!("-{}", child.id()),
        Target::TerraformOnly => child.id().to_string(),
    };
    wait_until("Azure accepted the write", Duration::from_secs(30), accepted);
    std::thread::sleep(Duration::from_millis(500)); // the provider is now polling the operation
    let pressed = Instant::now();
    let status = Command::new("kill").args(["-INT", "--", &group]).status().expect("run kill");
    assert!(status.success(), "kill -INT {group}");
    let out = wait_for_exit(child, Duration::from_secs(30)).expect("terraform exited after Ctrl-C");
    let took = pressed.elapsed();
    eprintln!("terraform {} exited {took:?} after Ctrl-C", args[0]);
    assert!(
        took < PROMPT_EXIT,
        "terraform took {took:?} to exit after Ctrl-C (the operation had ~{} s left):\n{out:?}",
        SLOW_OPERATION_MS / 1000
    );
    assert_ne!(out.code, 0, "an interrupted apply reports failure:\n{out:?}");
    assert!(out.text().contains("Interrupted"), "the provider says it was interrupted:\n{out:?}");
    out
}

fn tainted(wd: &Workdir, name: &str) -> bool {
    wd.state_resources().iter().any(|r| r["values"]["name"] == name && r["tainted"] == true)
}

const APPLY: &[&str] = &["apply", "-no-color", "-auto-approve", "-input=false"];
const DESTROY: &[&str] = &["destroy", "-no-color", "-auto-approve", "-input=false"];

#[test]
fn ctrl_c_during_create_keeps_the_accepted_deployment_tainted_and_the_next_apply_converges() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &router("router-int-create", "quality"));
    emu.emulator.update_settings(|s| s.operation_delay_ms = SLOW_OPERATION_MS);

    let out = interrupt_after_acceptance(&wd, APPLY, Target::ProcessGroup, || emu.creates_of("router-int-create") == 1);
    assert!(out.text().contains("Deployment kept in state"), "{out:?}");
    assert!(tainted(&wd, "router-int-create"), "the accepted create is in state, tainted");
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-int-create"], "not orphaned");

    wait_until_settled(&emu, "router-int-create");
    emu.emulator.update_settings(|s| s.operation_delay_ms = 100);
    wd.apply();
    assert_eq!(emu.creates_of("router-int-create"), 2, "replaced once (delete, create), never created beside itself");
    assert!(!tainted(&wd, "router-int-create"));
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-int-create"]);
    wd.assert_plan_empty();
}

#[test]
fn ctrl_c_during_update_keeps_the_prior_state_and_the_next_apply_converges() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &router("router-int-update", "quality"));
    wd.apply();
    emu.emulator.clear_requests();
    set_config(&wd, &emu, &router("router-int-update", "cost"));
    emu.emulator.update_settings(|s| s.operation_delay_ms = SLOW_OPERATION_MS);

    interrupt_after_acceptance(&wd, APPLY, Target::TerraformOnly, || {
        emu.requests("PUT").iter().any(|r| r.path.ends_with("/router-int-update") && r.status == 200)
    });
    assert!(!tainted(&wd, "router-int-update"), "an interrupted update does not taint");
    let values = &wd.state_resources()[0]["values"];
    assert_eq!(values["routing"]["mode"], "quality", "state keeps what was confirmed");

    wait_until_settled(&emu, "router-int-update");
    emu.emulator.update_settings(|s| s.operation_delay_ms = 100);
    wd.apply();
    assert_eq!(emu.creates_of("router-int-update"), 0, "an update never creates");
    assert_eq!(emu.stored("router-int-update").unwrap()["properties"]["routing"]["mode"], "cost");
    assert_eq!(emu.stored("router-int-update").unwrap()["properties"]["provisioningState"], "Succeeded");
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-int-update"]);
    wd.assert_plan_empty();
}

#[test]
fn ctrl_c_during_delete_keeps_the_resource_until_azure_confirms_and_the_next_destroy_converges() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &router("router-int-delete", "quality"));
    wd.apply();
    emu.emulator.update_settings(|s| s.operation_delay_ms = SLOW_OPERATION_MS);

    interrupt_after_acceptance(&wd, DESTROY, Target::ProcessGroup, || {
        emu.requests("DELETE").iter().any(|r| r.path.ends_with("/router-int-delete") && r.status == 202)
    });
    assert_eq!(wd.state_resources().len(), 1, "kept in state: Azure has not confirmed the delete");

    wait_until_settled(&emu, "router-int-delete");
    emu.emulator.update_settings(|s| s.operation_delay_ms = 100);
    wd.destroy();
    assert!(assert_state_matches_emulator(&emu, &wd).is_empty());
    assert_eq!(emu.creates_of("router-int-delete"), 1);
}
