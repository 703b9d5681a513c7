//! `terraform plan -refresh-only -detailed-exitcode` is truthful (issue 12): 0 right after apply, although the
//! router's state holds numbers (`sku.capacity`, `effective_context_window`, `routed_models[*].context_window`),
//! and 2 after a portal change. Terraform 1.10-1.14 compare the refreshed state with the previous run's
//! byte for byte, including decoded numbers, which the provider's number encoding makes identical.

mod support;

use serde_json::json;
use support::{ACCOUNT, TestEmulator, Workdir};

const ROUTER: &str = r#"
resource "modelrouter_deployment" "r" {
  name                 = "router-refresh"
  cognitive_account_id = "ACCOUNT"
  sku {
    capacity = 250
  }
  routing {
    mode = "quality"
    model { name = "gpt-5-mini" }
    model { name = "gpt-5.2" }
  }
}

output "capacity" {
  value = modelrouter_deployment.r.sku.capacity
}
"#;

/// A merge-patch through the emulator's admin HTTP API, as a portal change.
fn admin_patch(emu: &TestEmulator, id: &str, merge: serde_json::Value) {
    let url = format!("{}/admin/deployments{id}", emu.emulator.base_url());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let status = runtime.block_on(async {
        reqwest::Client::new().patch(&url).json(&merge).send().await.expect("admin PATCH").status()
    });
    assert!(status.is_success(), "PATCH {url} answered {status}");
}

#[test]
fn refresh_only_exits_0_after_apply_and_2_after_a_portal_change() {
    let emu = TestEmulator::start();
    let wd = Workdir::new(&format!("{}\n{}", emu.provider_block(), ROUTER.replace("ACCOUNT", ACCOUNT)));
    wd.init();
    wd.apply();
    assert_eq!(wd.outputs()["capacity"]["value"], 250);

    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 0, "refresh-only right after apply must report no changes:\n{out:?}");
    assert!(out.text().contains("No changes"), "{out:?}");
    // Twice in a row (the second compares against a state Terraform wrote from a refresh-only plan's inputs).
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 0, "{out:?}");

    admin_patch(&emu, &TestEmulator::deployment_id("router-refresh"), json!({"sku": {"capacity": 40}}));
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 2, "a portal change to the capacity must be reported:\n{out:?}");
    assert!(out.text().contains("changed outside of Terraform"), "{out:?}");
    assert!(out.text().contains("250 -> 40"), "the drift names the capacity change:\n{out:?}");
}

const DEFAULT_ROUTER_AND_CLAUDE: &str = r#"
resource "modelrouter_claude_dependency" "sonnet" {
  cognitive_account_id = "ACCOUNT"
  model                = "claude-sonnet-4-5"
  model_provider_data {
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "technology"
  }
}

resource "modelrouter_deployment" "plain" {
  name                 = "router-default"
  cognitive_account_id = "ACCOUNT"
}
"#;

#[test]
fn refresh_only_exits_0_for_a_default_router_a_lone_claude_dependency_and_after_import() {
    let emu = TestEmulator::start();
    let config = format!("{}\n{}", emu.provider_block(), DEFAULT_ROUTER_AND_CLAUDE.replace("ACCOUNT", ACCOUNT));
    let wd = Workdir::new(&config);
    wd.init();
    wd.apply();
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 0, "after create:\n{out:?}");

    // The same objects imported into a fresh state: the first refresh-only plan after the import is clean too.
    let imported = Workdir::new(&config);
    imported.init();
    imported.ok(&[
        "import",
        "-no-color",
        "modelrouter_deployment.plain",
        &TestEmulator::deployment_id("router-default"),
    ]);
    imported.ok(&[
        "import",
        "-no-color",
        "modelrouter_claude_dependency.sonnet",
        &TestEmulator::deployment_id("claude-sonnet-4-5"),
    ]);
    let out = imported.plan(&["-refresh-only"]);
    assert_eq!(out.code, 0, "after import:\n{out:?}");

    // A portal change to the Claude dependency's capacity is drift again.
    admin_patch(&emu, &TestEmulator::deployment_id("claude-sonnet-4-5"), json!({"sku": {"capacity": 3}}));
    let out = imported.plan(&["-refresh-only"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.text().contains("changed outside of Terraform"), "{out:?}");
}
