//! The fault matrix: the real `terraform` against the emulator while Azure misbehaves — throttling storms, 5xx,
//! dropped connections at every phase, operations that end Failed or Canceled, another writer holding the account,
//! timeouts shorter than the operation. After each case and after a follow-up apply: no orphaned deployment, no
//! duplicate create, state equals what the emulator holds, and the error names the cause.
//!
//! docs/reliability.md maps each row of its table to a test here.

mod support;

use std::time::{Duration, Instant};

use modelrouter_emulator::{FaultAction, FaultRule, Outcome};
use support::{ACCOUNT, TestEmulator, Workdir, assert_state_matches_emulator};

fn router(name: &str, mode: &str, extra: &str) -> String {
    support::two_model_router(name, mode, extra)
}

fn workdir(emu: &TestEmulator, resources: &str) -> Workdir {
    let wd = Workdir::new(&format!("{}\n{resources}", emu.provider_block()));
    wd.init();
    wd
}

fn set_config(wd: &Workdir, emu: &TestEmulator, resources: &str) {
    wd.write("main.tf", &format!("{}\n{resources}", emu.provider_block()));
}

fn apply_args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["apply", "-no-color", "-auto-approve", "-input=false"].map(String::from).to_vec();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// `terraform apply` that must fail; returns its output.
fn apply_fails(wd: &Workdir, extra: &[&str]) -> support::TfOutput {
    let args = apply_args(extra);
    let out = wd.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_ne!(out.code, 0, "the apply was expected to fail:\n{out:?}");
    out
}

fn apply_ok(wd: &Workdir, extra: &[&str]) -> support::TfOutput {
    let args = apply_args(extra);
    wd.ok(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn status(
    method: Option<&str>,
    path: Option<&str>,
    times: u32,
    status: u16,
    code: &str,
    retry_after: Option<u64>,
) -> FaultRule {
    FaultRule {
        method: method.map(str::to_owned),
        path_contains: path.map(str::to_owned),
        times,
        action: FaultAction::Status {
            status,
            code: code.to_owned(),
            message: format!("injected {status} {code}"),
            retry_after_secs: retry_after,
        },
    }
}

fn drop_connection(method: &str, path: &str, times: u32) -> FaultRule {
    FaultRule {
        method: Some(method.to_owned()),
        path_contains: Some(path.to_owned()),
        times,
        action: FaultAction::DropConnection,
    }
}

/// Requests the emulator answered with `status` (0 = connection dropped) whose path contains `path`.
fn answered(emu: &TestEmulator, method: &str, path: &str, status: u16) -> usize {
    emu.requests(method).iter().filter(|r| r.path.contains(path) && r.status == status).count()
}

fn tainted(wd: &Workdir, name: &str) -> bool {
    wd.state_resources().iter().any(|r| r["values"]["name"] == name && r["tainted"] == true)
}

// ---- 429 ---------------------------------------------------------------------------------------------------------

#[test]
fn throttling_storm_is_waited_out_honouring_retry_after() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &router("router-429", "quality", ""));
    // Throttle the pre-create read twice, the PUT twice and the first operation poll once; each asks for 1 s.
    emu.emulator.inject(status(Some("PUT"), None, 2, 429, "TooManyRequests", Some(1)));
    emu.emulator.inject(status(Some("GET"), Some("/deployments/"), 2, 429, "TooManyRequests", Some(1)));
    emu.emulator.inject(status(Some("GET"), Some("/operations/"), 1, 429, "TooManyRequests", Some(1)));
    let started = Instant::now();
    apply_ok(&wd, &[]);
    let elapsed = started.elapsed();

    assert_eq!(answered(&emu, "GET", "/deployments/router-429", 429), 2);
    assert_eq!(answered(&emu, "PUT", "/deployments/router-429", 429), 2);
    assert_eq!(answered(&emu, "GET", "/operations/", 429), 1);
    assert!(elapsed >= Duration::from_secs(5), "each Retry-After (1 s) was honoured: the apply took {elapsed:?}");
    assert_eq!(emu.creates_of("router-429"), 1, "one create despite five throttled answers");
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-429"]);
    wd.assert_plan_empty();
}

#[test]
fn throttling_beyond_the_create_timeout_fails_naming_429_and_leaves_nothing() {
    let emu = TestEmulator::start();
    let timeouts = "  timeouts {\n    create = \"3s\"\n  }\n";
    let wd = workdir(&emu, &router("router-storm", "quality", timeouts));
    emu.emulator.inject(status(Some("PUT"), None, 0, 429, "TooManyRequests", Some(1)));
    let out = apply_fails(&wd, &[]);
    let text = out.text();
    assert!(text.contains("Timed out waiting for Azure"), "{out:?}");
    assert!(text.contains("HTTP 429 TooManyRequests"), "the last error names the throttling: {out:?}");
    assert!(emu.creates_of("router-storm") == 0 && emu.stored("router-storm").is_none());
    assert!(assert_state_matches_emulator(&emu, &wd).is_empty(), "a create Azure never accepted leaves no state");

    emu.clear_faults();
    apply_ok(&wd, &[]);
    assert_eq!(emu.creates_of("router-storm"), 1);
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-storm"]);
    wd.assert_plan_empty();
}

// ---- 5xx ---------------------------------------------------------------------------------------------------------

#[test]
fn transient_server_errors_at_every_phase_are_retried() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &router("router-5xx", "quality", ""));
    // PUT 500 without a hint (backoff), operation poll 503, read-back GET 502 (the pre-create GET takes the first).
    emu.emulator.inject(status(Some("PUT"), None, 1, 500, "InternalServerError", None));
    emu.emulator.inject(status(Some("GET"), Some("/operations/"), 1, 503, "ServiceUnavailable", Some(0)));
    emu.emulator.inject(status(Some("GET"), Some("/deployments/router-5xx"), 2, 502, "BadGateway", Some(0)));
    apply_ok(&wd, &[]);
    assert_eq!(answered(&emu, "PUT", "/deployments/", 500), 1);
    assert_eq!(answered(&emu, "GET", "/operations/", 503), 1);
    assert_eq!(answered(&emu, "GET", "/deployments/router-5xx", 502), 2);
    assert_eq!(emu.creates_of("router-5xx"), 1);
    assert_state_matches_emulator(&emu, &wd);

    // Update and delete through 5xx as well.
    set_config(&wd, &emu, &router("router-5xx", "cost", ""));
    emu.emulator.inject(status(Some("PUT"), None, 1, 503, "ServiceUnavailable", Some(0)));
    apply_ok(&wd, &[]);
    assert_eq!(emu.stored("router-5xx").unwrap()["properties"]["routing"]["mode"], "cost");
    assert_state_matches_emulator(&emu, &wd);
    emu.emulator.inject(status(Some("DELETE"), None, 1, 500, "InternalServerError", Some(0)));
    wd.destroy();
    assert_eq!(answered(&emu, "DELETE", "/deployments/", 500), 1);
    assert!(assert_state_matches_emulator(&emu, &wd).is_empty());
}

#[test]
fn read_back_failing_after_an_accepted_create_keeps_the_deployment_tainted_and_the_next_apply_replaces_it() {
    let emu = TestEmulator::start();
    let timeouts = "  timeouts {\n    create = \"4s\"\n  }\n";
    let wd = workdir(&emu, &router("router-readback", "quality", timeouts));
    // The pre-create GET passes; every GET of the deployment after the PUT fails with 500.
    emu.emulator.inject(status(Some("GET"), Some("/deployments/router-readback"), 1, 404, "DeploymentNotFound", None));
    emu.emulator.inject(status(
        Some("GET"),
        Some("/deployments/router-readback"),
        0,
        500,
        "InternalServerError",
        Some(1),
    ));
    let out = apply_fails(&wd, &[]);
    let text = out.text();
    assert!(text.contains("HTTP 500 InternalServerError"), "the error names the cause: {out:?}");
    assert!(text.contains("Deployment kept in state"), "{out:?}");
    assert_eq!(emu.creates_of("router-readback"), 1);
    assert!(tainted(&wd, "router-readback"), "accepted create kept in state as tainted");
    emu.clear_faults();
    assert_state_matches_emulator(&emu, &wd);

    // Follow-up: the tainted deployment is replaced (delete, then one create), never created beside itself.
    apply_ok(&wd, &[]);
    assert_eq!(answered(&emu, "DELETE", "/deployments/router-readback", 202), 1);
    assert_eq!(emu.creates_of("router-readback"), 2);
    assert!(!tainted(&wd, "router-readback"));
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-readback"]);
    wd.assert_plan_empty();
}

#[test]
fn a_server_error_that_is_not_transient_fails_at_once_naming_it() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &router("router-501", "quality", ""));
    emu.emulator.inject(status(Some("PUT"), None, 1, 501, "NotImplemented", None));
    let started = Instant::now();
    let out = apply_fails(&wd, &[]);
    assert!(started.elapsed() < Duration::from_secs(20), "no retries on 501");
    assert!(out.text().contains("Azure refused the request: NotImplemented"), "{out:?}");
    assert_eq!(answered(&emu, "PUT", "/deployments/", 501), 1);
    assert!(assert_state_matches_emulator(&emu, &wd).is_empty());
    apply_ok(&wd, &[]);
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-501"]);

    // A refresh that Azure refuses fails the plan naming the cause, and never drops the resource from state. The
    // refresh reads the account's deployments list (issue 20), so that is what is refused.
    emu.emulator.inject(status(Some("GET"), Some("/foundry-acc/deployments"), 1, 403, "AuthorizationFailed", None));
    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 1, "{plan:?}");
    assert!(plan.text().contains("AuthorizationFailed"), "{plan:?}");
    assert!(plan.text().contains(&format!("could not list the deployments of account {ACCOUNT}")), "{plan:?}");
    assert!(plan.text().contains("Cognitive Services Contributor"), "the hint says which role: {plan:?}");
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-501"], "still in state");
    wd.assert_plan_empty();
}

#[test]
fn a_refused_list_blocks_the_claude_checks_naming_the_cause_and_loses_nothing() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &claude_and_router("quality"));
    let list_refused =
        |times| status(Some("GET"), Some("/foundry-acc/deployments"), times, 403, "AuthorizationFailed", None);

    // Apply the Claude deployment, then the router whose checks are refused: the plan-time one, run by the plan and
    // again by the apply's own plan (a warning that it could not check), and the pre-write one under the account
    // lock (an error: no write without it).
    apply_ok(&wd, &["-target=modelrouter_claude_dependency.sonnet"]);
    emu.emulator.inject(list_refused(3));
    let out = apply_fails(&wd, &["-refresh=false"]);
    assert!(out.text().contains("Warning: Claude deployments not checked"), "{out:?}");
    assert!(out.text().contains("list the deployments of"), "{out:?}");
    assert!(out.text().contains("AuthorizationFailed"), "{out:?}");
    assert_eq!(emu.creates_of("router-drop"), 0, "no write without the check");
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["claude-sonnet-4-5"]);
    apply_ok(&wd, &[]);
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["claude-sonnet-4-5", "router-drop"]);

    // Remove the router, then destroy the Claude deployment while the delete guard's LIST is refused.
    let claude_only = claude_and_router("quality");
    let claude_only = &claude_only[..claude_only.find("resource \"modelrouter_deployment\"").unwrap()];
    set_config(&wd, &emu, claude_only);
    apply_ok(&wd, &[]);
    emu.emulator.inject(list_refused(1));
    let out = wd.run(&["destroy", "-no-color", "-auto-approve", "-input=false", "-refresh=false"]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(out.text().contains("AuthorizationFailed"), "{out:?}");
    assert!(emu.requests("DELETE").iter().all(|r| !r.path.ends_with("/claude-sonnet-4-5")), "no DELETE unguarded");
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["claude-sonnet-4-5"]);
    wd.destroy();
    assert!(assert_state_matches_emulator(&emu, &wd).is_empty());
}

// ---- dropped connections -----------------------------------------------------------------------------------------

const CLAUDE_AND_ROUTER: &str = r#"
resource "modelrouter_claude_dependency" "sonnet" {
  cognitive_account_id = "ACCOUNT"
  model                = "claude-sonnet-4-5"
  model_provider_data {
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "technology"
  }
}

resource "modelrouter_deployment" "router" {
  name                 = "router-drop"
  cognitive_account_id = "ACCOUNT"
  routing {
    mode = "MODE"
    model { name = "claude-sonnet-4-5" }
    model { name = "gpt-5" }
  }
  depends_on = [modelrouter_claude_dependency.sonnet]
}
"#;

fn claude_and_router(mode: &str) -> String {
    CLAUDE_AND_ROUTER.replace("ACCOUNT", ACCOUNT).replace("MODE", mode)
}

#[test]
fn dropped_connections_at_every_phase_are_retried_without_duplicates() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &claude_and_router("quality"));

    // Create: each resource's PUT and first operation poll lose their connection once.
    emu.emulator.inject(drop_connection("PUT", "/deployments/", 2));
    emu.emulator.inject(drop_connection("GET", "/operations/", 2));
    apply_ok(&wd, &[]);
    assert_eq!(answered(&emu, "PUT", "/deployments/", 0), 2);
    assert_eq!(answered(&emu, "GET", "/operations/", 0), 2);
    assert_eq!(emu.creates_of("claude-sonnet-4-5"), 1);
    assert_eq!(emu.creates_of("router-drop"), 1);
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["claude-sonnet-4-5", "router-drop"]);

    // Update of the router (no refresh and no plan-time checks, so the calls are exactly: LIST for the Claude check,
    // GET, PUT, poll, read-back GET): the LIST, the read-modify-write GET and the read-back GET each lose their
    // connection once.
    emu.emulator.clear_requests();
    let no_plan_time_reads = emu.provider_block_with("  preflight_checks = false\n");
    wd.write("main.tf", &format!("{no_plan_time_reads}\n{}", claude_and_router("cost")));
    emu.emulator.inject(drop_connection("GET", "/deployments/router-drop", 2));
    emu.emulator.inject(drop_connection("GET", "/foundry-acc/deployments", 1));
    apply_ok(&wd, &["-refresh=false"]);
    let drops: Vec<String> = emu.emulator.requests().into_iter().filter(|r| r.status == 0).map(|r| r.path).collect();
    assert_eq!(drops.len(), 3, "{drops:?}");
    assert!(drops.iter().any(|p| p.ends_with("/deployments")), "the LIST was dropped: {drops:?}");
    assert_eq!(answered(&emu, "GET", "/deployments/router-drop", 0), 2);
    assert_eq!(emu.creates_of("router-drop"), 0, "an update never creates");
    assert_eq!(emu.stored("router-drop").unwrap()["properties"]["routing"]["mode"], "cost");
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["claude-sonnet-4-5", "router-drop"]);

    // Delete: the router's DELETE drops once; then the Claude delete guard's LIST (its first call) drops once.
    emu.emulator.clear_requests();
    let claude_only = claude_and_router("cost");
    let claude_only = &claude_only[..claude_only.find("resource \"modelrouter_deployment\"").unwrap()];
    set_config(&wd, &emu, claude_only);
    emu.emulator.inject(drop_connection("DELETE", "/deployments/router-drop", 1));
    apply_ok(&wd, &["-refresh=false"]);
    assert_eq!(answered(&emu, "DELETE", "/deployments/router-drop", 0), 1);
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["claude-sonnet-4-5"]);
    emu.emulator.inject(drop_connection("GET", "/foundry-acc/deployments", 1));
    wd.ok(&["destroy", "-no-color", "-auto-approve", "-input=false", "-refresh=false"]);
    let list_drops = emu.requests("GET").iter().filter(|r| r.status == 0 && r.path.ends_with("/deployments")).count();
    assert_eq!(list_drops, 1, "the delete guard's LIST was dropped and retried");
    assert!(assert_state_matches_emulator(&emu, &wd).is_empty());
}

// ---- operations that end Failed or Canceled ------------------------------------------------------------------------

#[test]
fn operations_ending_failed_or_canceled_name_the_cause_and_converge() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &router("router-op", "quality", ""));

    // Create ends Failed: Azure holds a Failed deployment, state keeps it tainted.
    emu.emulator.update_settings(|s| s.operation_outcome = Outcome::Failed);
    let out = apply_fails(&wd, &[]);
    assert!(out.text().contains("Azure operation Failed"), "{out:?}");
    assert!(out.text().contains("OperationFailed"), "the error names Azure's code: {out:?}");
    assert!(tainted(&wd, "router-op"));
    assert_eq!(emu.stored("router-op").unwrap()["properties"]["provisioningState"], "Failed");
    assert_state_matches_emulator(&emu, &wd);
    emu.emulator.update_settings(|s| s.operation_outcome = Outcome::Succeeded);
    apply_ok(&wd, &[]);
    assert_eq!(emu.creates_of("router-op"), 2, "replaced: deleted, then created once more");
    assert_eq!(emu.stored("router-op").unwrap()["properties"]["provisioningState"], "Succeeded");
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-op"]);
    wd.assert_plan_empty();

    // Update ends Canceled: the error says so; the state keeps the prior settings.
    set_config(&wd, &emu, &router("router-op", "cost", ""));
    emu.emulator.update_settings(|s| s.operation_outcome = Outcome::Canceled);
    let out = apply_fails(&wd, &[]);
    assert!(out.text().contains("Azure operation Canceled"), "{out:?}");
    assert!(out.text().contains("OperationCanceled"), "{out:?}");
    assert!(!tainted(&wd, "router-op"), "an update that failed does not taint");
    // Azure kept the new settings but reports Canceled: Read marks the deployment unsettled and the next plan
    // sends the configuration again, though state and configuration agree.
    emu.emulator.update_settings(|s| s.operation_outcome = Outcome::Succeeded);
    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 2, "a deployment whose last operation was canceled is planned for an update: {plan:?}");
    assert!(plan.text().contains("Azure reports the last operation did not succeed"), "{plan:?}");
    emu.emulator.clear_requests();
    apply_ok(&wd, &[]);
    assert_eq!(emu.requests("PUT").len(), 1, "the configuration was sent again");
    assert_eq!(emu.stored("router-op").unwrap()["properties"]["routing"]["mode"], "cost");
    assert_eq!(emu.stored("router-op").unwrap()["properties"]["provisioningState"], "Succeeded");
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-op"]);
    wd.assert_plan_empty();

    // Delete ends Failed: the resource stays in state; the next destroy removes it.
    emu.emulator.update_settings(|s| s.operation_outcome = Outcome::Failed);
    let out = wd.run(&["destroy", "-no-color", "-auto-approve", "-input=false"]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(out.text().contains("Azure operation Failed"), "{out:?}");
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-op"], "kept in state, still in Azure");
    emu.emulator.update_settings(|s| s.operation_outcome = Outcome::Succeeded);
    wd.destroy();
    assert!(assert_state_matches_emulator(&emu, &wd).is_empty());
}

// ---- another writer holds the account (409) ------------------------------------------------------------------------

#[test]
fn another_writer_holding_the_account_is_waited_for_and_a_longer_hold_fails_naming_request_conflict() {
    let emu = TestEmulator::start();
    let timeouts = "  timeouts {\n    create = \"3s\"\n  }\n";
    let wd = workdir(&emu, &router("router-409", "quality", timeouts));

    // Held longer than the create timeout: fails naming the conflict, nothing created.
    emu.emulator.hold_account(ACCOUNT, 8_000);
    let held_until = Instant::now() + Duration::from_secs(8);
    let out = apply_fails(&wd, &[]);
    let text = out.text();
    assert!(text.contains("RequestConflict"), "the error names the 409: {out:?}");
    assert!(answered(&emu, "PUT", "/deployments/", 409) >= 1);
    assert!(emu.stored("router-409").is_none());
    assert!(assert_state_matches_emulator(&emu, &wd).is_empty());

    // Held for a moment (the rest of the hold, under the default timeout): waited out, created once.
    set_config(&wd, &emu, &router("router-409", "quality", ""));
    apply_ok(&wd, &[]);
    assert!(Instant::now() >= held_until, "the create went through only after the hold ended");
    assert_eq!(emu.creates_of("router-409"), 1);
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-409"]);

    // Update and delete while another writer holds the account for 2 s.
    set_config(&wd, &emu, &router("router-409", "cost", ""));
    emu.emulator.hold_account(ACCOUNT, 4_000);
    apply_ok(&wd, &[]);
    assert!(answered(&emu, "PUT", "/deployments/", 409) >= 2, "the update met the hold");
    assert_eq!(emu.stored("router-409").unwrap()["properties"]["routing"]["mode"], "cost");
    emu.emulator.hold_account(ACCOUNT, 4_000);
    wd.destroy();
    assert!(answered(&emu, "DELETE", "/deployments/", 409) >= 1);
    assert!(assert_state_matches_emulator(&emu, &wd).is_empty());
}

// ---- timeouts shorter than the operation --------------------------------------------------------------------------

/// Waits until the emulator's operations on the account are over (the deployment left Creating/Updating/Deleting).
fn wait_until_settled(emu: &TestEmulator, name: &str) {
    let give_up = Instant::now() + Duration::from_secs(30);
    loop {
        let state = emu.stored(name).map(|d| d["properties"]["provisioningState"].as_str().unwrap_or("").to_owned());
        if !matches!(state.as_deref(), Some("Creating" | "Updating" | "Deleting")) {
            return;
        }
        assert!(Instant::now() < give_up, "{name} still {state:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn timeouts_shorter_than_the_operation_fail_naming_the_timeout_and_converge() {
    let emu = TestEmulator::start();
    let short = "  timeouts {\n    create = \"2s\"\n    update = \"2s\"\n    delete = \"2s\"\n  }\n";
    let wd = workdir(&emu, &router("router-slow", "quality", short));
    emu.emulator.update_settings(|s| s.operation_delay_ms = 5_000);

    // Create: Azure accepted it; the wait ran out. Kept in state (tainted), not orphaned.
    let started = Instant::now();
    let out = apply_fails(&wd, &[]);
    assert!(started.elapsed() < Duration::from_secs(5), "gave up at the 2 s timeout: {:?}", started.elapsed());
    let text = out.text();
    assert!(text.contains("Timed out waiting for Azure"), "{out:?}");
    assert!(text.contains("after Azure had accepted the request"), "{out:?}");
    assert!(text.contains("timeouts block"), "the hint names the fix: {out:?}");
    assert!(tainted(&wd, "router-slow"));
    assert_state_matches_emulator(&emu, &wd);
    wait_until_settled(&emu, "router-slow");

    // Follow-up with time to spare: the tainted deployment is replaced, never duplicated.
    emu.emulator.update_settings(|s| s.operation_delay_ms = 200);
    apply_ok(&wd, &[]);
    assert_eq!(emu.creates_of("router-slow"), 2);
    assert!(!tainted(&wd, "router-slow"));
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-slow"]);

    // Update: times out; state keeps the prior settings; once Azure finishes, refresh picks up what it holds.
    set_config(&wd, &emu, &router("router-slow", "cost", short));
    emu.emulator.update_settings(|s| s.operation_delay_ms = 5_000);
    let out = apply_fails(&wd, &[]);
    assert!(out.text().contains("Timed out waiting for Azure"), "{out:?}");
    assert!(!tainted(&wd, "router-slow"));
    wait_until_settled(&emu, "router-slow");
    emu.emulator.update_settings(|s| s.operation_delay_ms = 200);
    apply_ok(&wd, &[]);
    assert_eq!(emu.stored("router-slow").unwrap()["properties"]["routing"]["mode"], "cost");
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-slow"]);
    wd.assert_plan_empty();

    // Delete: times out; the deployment stays in state until Azure confirms it gone.
    emu.emulator.update_settings(|s| s.operation_delay_ms = 5_000);
    let out = wd.run(&["destroy", "-no-color", "-auto-approve", "-input=false"]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(out.text().contains("Timed out waiting for Azure"), "{out:?}");
    assert_eq!(wd.state_resources().len(), 1, "kept in state while Azure still deletes");
    std::thread::sleep(Duration::from_secs(4));
    wd.destroy();
    assert!(assert_state_matches_emulator(&emu, &wd).is_empty());
    assert_eq!(emu.creates_of("router-slow"), 2);
}

// ---- the timeout strikes while the PUT itself is in flight ----------------------------------------------------------

#[test]
fn a_timeout_while_the_put_is_in_flight_keeps_the_create_in_state_and_the_next_apply_converges() {
    let emu = TestEmulator::start();
    let timeouts = "  timeouts {\n    create = \"2s\"\n  }\n";
    let wd = workdir(&emu, &router("router-inflight", "quality", timeouts));
    // The PUT's answer takes 4 s: the provider's 2 s deadline passes while the request is out. Azure could apply
    // such a request after the client left (the emulator abandons it when the connection closes).
    emu.emulator.inject(FaultRule {
        method: Some("PUT".into()),
        path_contains: None,
        times: 1,
        action: FaultAction::Delay { ms: 4_000 },
    });
    let out = apply_fails(&wd, &[]);
    let text = out.text();
    assert!(text.contains("Timed out waiting for Azure"), "{out:?}");
    assert!(text.contains("Deployment kept in state"), "a write in flight counts as possibly accepted: {out:?}");
    assert!(tainted(&wd, "router-inflight"), "kept in state, tainted: never an orphan");

    // Follow-up: refresh finds what Azure holds (here nothing: the state entry goes) and the create runs once.
    set_config(&wd, &emu, &router("router-inflight", "quality", ""));
    apply_ok(&wd, &[]);
    assert_eq!(emu.creates_of("router-inflight"), 1);
    assert!(!tainted(&wd, "router-inflight"));
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["router-inflight"]);
    wd.assert_plan_empty();
}

#[test]
fn a_claude_deployment_whose_update_was_canceled_is_sent_again() {
    let emu = TestEmulator::start();
    let claude = |capacity: u32| {
        let config = claude_and_router("quality");
        let claude_only = &config[..config.find("resource \"modelrouter_deployment\"").unwrap()];
        claude_only.replace(
            "  model_provider_data {",
            &format!("  sku {{\n    capacity = {capacity}\n  }}\n  model_provider_data {{"),
        )
    };
    let wd = workdir(&emu, &claude(1));
    apply_ok(&wd, &[]);

    set_config(&wd, &emu, &claude(2));
    emu.emulator.update_settings(|s| s.operation_outcome = Outcome::Canceled);
    let out = apply_fails(&wd, &[]);
    assert!(out.text().contains("Azure operation Canceled"), "{out:?}");
    emu.emulator.update_settings(|s| s.operation_outcome = Outcome::Succeeded);

    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 2, "planned for an update though Azure shows capacity 2: {plan:?}");
    assert!(plan.text().contains("Azure reports the last operation did not succeed"), "{plan:?}");
    emu.emulator.clear_requests();
    apply_ok(&wd, &[]);
    assert_eq!(emu.requests("PUT").len(), 1, "the configuration was sent again");
    let stored = emu.stored("claude-sonnet-4-5").unwrap();
    assert_eq!(stored["properties"]["provisioningState"], "Succeeded");
    assert_eq!(stored["sku"]["capacity"], 2);
    assert_eq!(assert_state_matches_emulator(&emu, &wd), ["claude-sonnet-4-5"]);
    wd.assert_plan_empty();
}
