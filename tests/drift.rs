//! Drift you can trust, through the real `terraform`: attributes the configuration leaves to Azure still show portal
//! changes (and apply restores what Azure chose), `plan -refresh-only -detailed-exitcode` is 0 when nothing changed
//! and 2 when something did, and an empty dynamic subset never widens a router silently.

mod support;

use serde_json::json;
use support::{ACCOUNT, REQUIRED_PROVIDERS, TOKEN, TestEmulator, Workdir};

fn workdir(emu: &TestEmulator, resources: &str) -> Workdir {
    let wd = Workdir::new(&format!("{}\n{resources}", emu.provider_block()));
    wd.init();
    wd
}

const DEFAULT_ROUTER: &str = r#"
resource "modelrouter_deployment" "r" {
  name                 = "drift-router"
  cognitive_account_id = "ACCOUNT"
  routing {
    mode = "cost"
    model { name = "gpt-5-mini" }
    model { name = "gpt-5" }
  }
}
"#;

fn default_router() -> String {
    DEFAULT_ROUTER.replace("ACCOUNT", ACCOUNT)
}

fn stored_property(emu: &TestEmulator, name: &str, pointer: &str) -> serde_json::Value {
    emu.stored(name).expect("deployment").pointer(pointer).cloned().unwrap_or_default()
}

/// A portal change to an attribute the configuration leaves unset shows in the plan (naming it), apply restores
/// what Azure had chosen, and the plan is empty again.
#[test]
fn portal_changes_to_attributes_left_to_azure_are_drift_and_apply_restores_them() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &default_router());
    wd.apply();
    wd.assert_plan_empty();
    let id = TestEmulator::deployment_id("drift-router");
    let chosen_filter = stored_property(&emu, "drift-router", "/properties/raiPolicyName");
    let chosen_upgrade = stored_property(&emu, "drift-router", "/properties/versionUpgradeOption");
    assert!(chosen_filter.is_string() && chosen_upgrade.is_string(), "the emulator fills server defaults");

    for (attribute, patch, pointer, restored) in [
        (
            "rai_policy_name",
            json!({"properties": {"raiPolicyName": "Microsoft.Nil"}}),
            "/properties/raiPolicyName",
            chosen_filter.clone(),
        ),
        (
            "version_upgrade_option",
            json!({"properties": {"versionUpgradeOption": "NoAutoUpgrade"}}),
            "/properties/versionUpgradeOption",
            chosen_upgrade.clone(),
        ),
        (
            "router_version",
            json!({"properties": {"model": {"format": "OpenAI", "name": "model-router", "version": "2025-08-07"}}}),
            "/properties/model/version",
            json!("2025-11-18"),
        ),
    ] {
        assert!(emu.emulator.patch_deployment(&id, patch), "portal change to {attribute}");
        let plan = wd.plan(&[]);
        assert_eq!(plan.code, 2, "a portal change to {attribute} must show:\n{plan:?}");
        assert!(plan.text().contains(attribute), "the plan names {attribute}:\n{plan:?}");
        let refresh_only = wd.plan(&["-refresh-only"]);
        assert_eq!(refresh_only.code, 2, "refresh-only shows the change to {attribute}:\n{refresh_only:?}");
        wd.apply();
        assert_eq!(stored_property(&emu, "drift-router", pointer), restored, "apply restores {attribute}");
        wd.assert_plan_empty();
    }
}

/// Right after apply, refresh-only finds nothing (exit 0); after a portal change it exits 2 and says what changed.
#[test]
fn refresh_only_exit_code_is_zero_after_apply_and_two_after_a_portal_change() {
    let emu = TestEmulator::start_with(|options| {
        options.settings.quirks.reverse_models = true;
        options.settings.quirks.capitalize_mode = true;
        options.settings.quirks.resourcegroups_lowercase = true;
    });
    let claude = format!(
        r#"
resource "modelrouter_claude_dependency" "haiku" {{
  cognitive_account_id = "{ACCOUNT}"
  model                = "claude-haiku-4-5"
  sku {{
    capacity = 2
  }}
  model_provider_data {{
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "technology"
  }}
}}
"#
    );
    let wd = workdir(&emu, &format!("{}{claude}", default_router()));
    wd.apply();
    for _ in 0..2 {
        let out = wd.plan(&["-refresh-only"]);
        assert_eq!(out.code, 0, "refresh-only after apply must be clean:\n{out:?}");
    }
    // An update in place of both, then the same check.
    let updated_claude = claude.replace("capacity = 2", "capacity = 3");
    wd.write(
        "main.tf",
        &format!("{}\n{}{updated_claude}", emu.provider_block(), default_router().replace("\"cost\"", "\"quality\"")),
    );
    let out = wd.apply();
    assert!(out.text().contains("2 changed"), "{out:?}");
    assert_eq!(wd.plan(&["-refresh-only"]).code, 0);

    let id = TestEmulator::deployment_id("drift-router");
    for (patch, needle) in [
        (json!({"sku": {"name": "GlobalStandard", "capacity": 77}}), "77"),
        (json!({"properties": {"routing": {"mode": "cost"}}}), "cost"),
    ] {
        assert!(emu.emulator.patch_deployment(&id, patch));
        let out = wd.plan(&["-refresh-only"]);
        assert_eq!(out.code, 2, "a portal change must show in refresh-only:\n{out:?}");
        assert!(out.text().contains(needle), "{out:?}");
        wd.apply();
        assert_eq!(wd.plan(&["-refresh-only"]).code, 0);
    }
    assert!(emu.emulator.delete_deployment(&TestEmulator::deployment_id("claude-haiku-4-5")));
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 2, "an out-of-band deletion must show:\n{out:?}");
}

#[test]
fn refresh_only_is_clean_after_import_of_both_resources() {
    let emu = TestEmulator::start_with(|options| {
        options.settings.quirks.reverse_models = true;
        options.settings.quirks.capitalize_mode = true;
        options.settings.quirks.resourcegroups_lowercase = true;
    });
    emu.emulator.seed_deployment(
        &TestEmulator::deployment_id("adopted"),
        json!({"sku": {"name": "GlobalStandard", "capacity": 12},
               "properties": {"model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"},
                              "raiPolicyName": "Microsoft.DefaultV2",
                              "versionUpgradeOption": "OnceNewDefaultVersionAvailable",
                              "routing": {"mode": "cost", "models": [
                                  {"format": "OpenAI", "name": "gpt-5-mini", "version": "2025-08-07"},
                                  {"format": "OpenAI", "name": "gpt-5", "version": "2025-08-07"}]}}}),
    );
    emu.emulator.seed_deployment(
        &TestEmulator::deployment_id("claude-haiku-4-5"),
        json!({"sku": {"name": "GlobalStandard", "capacity": 1},
               "properties": {"model": {"format": "Anthropic", "name": "claude-haiku-4-5", "version": "20251001"},
                              "modelProviderData": {"organizationName": "Contoso", "countryCode": "US", "industry": "technology"}}}),
    );
    let config = format!(
        r#"
import {{
  to = modelrouter_deployment.adopted
  id = "{router_id}"
}}
resource "modelrouter_deployment" "adopted" {{
  name                 = "adopted"
  cognitive_account_id = "{ACCOUNT}"
  sku {{
    capacity = 12
  }}
  routing {{
    mode = "cost"
    model {{ name = "gpt-5-mini" }}
    model {{ name = "gpt-5" }}
  }}
}}
import {{
  to = modelrouter_claude_dependency.haiku
  id = "{claude_id}"
}}
resource "modelrouter_claude_dependency" "haiku" {{
  cognitive_account_id = "{ACCOUNT}"
  model                = "claude-haiku-4-5"
  model_provider_data {{
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "technology"
  }}
}}
"#,
        router_id = TestEmulator::deployment_id("adopted"),
        claude_id = TestEmulator::deployment_id("claude-haiku-4-5"),
    );
    let wd = workdir(&emu, &config);
    wd.apply();
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 0, "refresh-only after import must be clean:\n{out:?}");
}

#[test]
fn an_empty_dynamic_subset_warns_when_planned_and_not_when_unchanged() {
    let emu = TestEmulator::start();
    let config = format!(
        r#"
variable "allowed" {{
  type    = list(string)
  default = []
}}
resource "modelrouter_deployment" "r" {{
  name                 = "allow-list"
  cognitive_account_id = "{ACCOUNT}"
  routing {{
    mode = "cost"
    dynamic "model" {{
      for_each = var.allowed
      content {{
        name = model.value
      }}
    }}
  }}
}}
"#
    );
    let wd = workdir(&emu, &config);
    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 2, "{plan:?}");
    let text = plan.text();
    assert!(text.contains("routes to the whole default set"), "{plan:?}");
    assert!(text.contains("models") && text.contains("preview") && text.contains("Anthropic"), "{plan:?}");
    wd.apply();
    let again = wd.plan(&[]);
    assert_eq!(again.code, 0, "{again:?}");
    assert!(!again.text().contains("whole default set"), "warning repeated in a no-op plan:\n{again:?}");
}

/// The drift guide's two commands, exactly as `docs/guides/drift-detection.md` gives them: both exit 0 after an
/// apply and 2 after each kind of portal change, and the output names what changed.
#[test]
fn the_drift_guide_commands_work_as_written() {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guides/drift-detection.md")).unwrap();
    let commands: Vec<Vec<&str>> = [
        "terraform plan -detailed-exitcode -lock=false",
        "terraform plan -refresh-only -detailed-exitcode -lock=false",
    ]
    .into_iter()
    .inspect(|command| assert!(guide.contains(command), "the guide no longer says `{command}`"))
    .map(|command| command.split_whitespace().skip(1).chain(["-no-color"]).collect())
    .collect();
    let emu = TestEmulator::start();
    let wd = workdir(
        &emu,
        &default_router().replace("  routing {", "  rai_policy_name = \"Microsoft.DefaultV2\"\n  routing {"),
    );
    wd.apply();
    let id = TestEmulator::deployment_id("drift-router");
    let clean = |when: &str| {
        for command in &commands {
            let out = wd.run(command);
            assert_eq!(out.code, 0, "`{}` {when}:\n{out:?}", command.join(" "));
        }
    };
    clean("after apply");
    for (change, needle) in [
        (json!({"properties": {"routing": {"mode": "quality"}}}), "quality"),
        (
            json!({"properties": {"routing": {"mode": "cost", "models": [{"format": "OpenAI", "name": "gpt-4.1", "version": "2025-04-14"}]}}}),
            "gpt-4.1",
        ),
        (json!({"sku": {"name": "GlobalStandard", "capacity": 3}}), "capacity"),
        (json!({"properties": {"raiPolicyName": "Microsoft.Nil"}}), "Microsoft.Nil"),
        (json!({"tags": {"owner": "someone"}}), "tags_all"),
        (json!({"properties": {"deploymentState": "Paused"}}), "deployment_state"),
        (json!({"properties": {"provisioningState": "Failed"}}), "provisioning_state"),
    ] {
        assert!(emu.emulator.patch_deployment(&id, change));
        for command in &commands {
            let out = wd.run(command);
            assert_eq!(out.code, 2, "`{}` after a portal change:\n{out:?}", command.join(" "));
            assert!(out.text().contains(needle), "the output names {needle}:\n{out:?}");
        }
        wd.apply();
        clean("after restoring");
    }
    assert!(emu.emulator.delete_deployment(&id));
    for command in &commands {
        let out = wd.run(command);
        assert_eq!(out.code, 2, "`{}` after deletion:\n{out:?}", command.join(" "));
        assert!(out.text().contains("drift-router"), "{out:?}");
    }
}

/// The resource docs' way to let the portal own the capacity: `sku` is a single block, so the path has no index.
#[test]
fn ignore_changes_on_sku_capacity_works_as_documented() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/resources/deployment.md")).unwrap();
    assert!(docs.contains("ignore_changes = [sku.capacity]"), "the docs no longer show it");
    let emu = TestEmulator::start();
    let config = default_router().replace(
        "  routing {",
        "  lifecycle {\n    ignore_changes = [sku.capacity]\n  }\n  sku {\n    capacity = 20\n  }\n  routing {",
    );
    let wd = workdir(&emu, &config);
    wd.apply();
    assert!(emu.emulator.patch_deployment(
        &TestEmulator::deployment_id("drift-router"),
        json!({"sku": {"name": "GlobalStandard", "capacity": 55}})
    ));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 0, "a capacity change in the portal is ignored:\n{out:?}");
    // The azurerm habit is an error, not a silent no-op.
    wd.write("main.tf", &format!("{}\n{}", emu.provider_block(), config.replace("sku.capacity", "sku[0].capacity")));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
}

/// The hand-written HCL blocks of a guide section, in order.
fn hcl_blocks(guide: &str, section: &str) -> Vec<String> {
    let start = guide.find(section).unwrap_or_else(|| panic!("the guide has no section {section:?}"));
    let body = &guide[start + section.len()..];
    let body = &body[..body.find("\n## ").unwrap_or(body.len())];
    body.split("```hcl\n").skip(1).map(|block| block.split("```").next().unwrap_or_default().to_owned()).collect()
}

/// The guide's "Tags and cost attribution" configuration and its `check` block, as written (the provider block gets
/// the emulator's endpoint, the variable the test account): the merge it promises reaches Azure, a portal tag change
/// is drift that apply repairs, a paused router fails the check and shows as drift.
#[test]
fn the_tags_guide_configuration_works_as_written() {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guides/drift-detection.md")).unwrap();
    let tags = hcl_blocks(&guide, "## Tags and cost attribution");
    let check = hcl_blocks(&guide, "## Two kinds of drift check");
    assert_eq!((tags.len(), check.len()), (1, 1), "one configuration and one check block");
    let emu = TestEmulator::start();
    let endpoint = format!(
        "provider \"modelrouter\" {{\n  resource_manager_endpoint = \"{}\"\n  access_token              = \"{TOKEN}\"\n",
        emu.emulator.base_url()
    );
    let config = format!(
        "{REQUIRED_PROVIDERS}\nvariable \"foundry_account_id\" {{\n  default = \"{ACCOUNT}\"\n}}\n{}\n{}",
        tags[0].replacen("provider \"modelrouter\" {\n", &endpoint, 1),
        check[0]
    );
    let wd = Workdir::new(&config);
    wd.init();
    wd.apply();
    let stored = emu.stored("router-search").expect("the router exists");
    assert_eq!(stored["tags"], json!({"cost-center": "cc-0815", "managed-by": "terraform", "product": "search"}));
    wd.assert_plan_empty();

    let id = TestEmulator::deployment_id("router-search");
    assert!(emu.emulator.patch_deployment(&id, json!({"tags": {"cost-center": "cc-9999"}})));
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.text().contains("tags_all") && out.text().contains("cc-9999"), "{out:?}");
    wd.apply();
    assert_eq!(emu.stored("router-search").unwrap()["tags"]["cost-center"], "cc-0815");
    wd.assert_plan_empty();

    assert!(emu.emulator.patch_deployment(&id, json!({"properties": {"deploymentState": "Paused"}})));
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.text().contains("The search router is paused or its last operation failed."), "{out:?}");
    wd.apply();
    assert_eq!(emu.stored("router-search").unwrap()["properties"]["deploymentState"], "Running");
    wd.assert_plan_empty();
}
