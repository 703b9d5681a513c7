//! Acceptance tests of `modelrouter_deployment`: the real `terraform` against the emulator — create, plan empty
//! after apply, update in place vs replace, drift, import, the service's quirks and the failure paths.

mod support;

use serde_json::json;
use support::{ACCOUNT, TestEmulator, Workdir};

fn router(name: &str, body: &str) -> String {
    format!(
        "resource \"modelrouter_deployment\" \"r\" {{\n  name                 = \"{name}\"\n  cognitive_account_id = \"{ACCOUNT}\"\n{body}\n}}\n"
    )
}

fn workdir(emu: &TestEmulator, resources: &str) -> Workdir {
    let wd = Workdir::new(&format!("{}\n{resources}", emu.provider_block()));
    wd.init();
    wd
}

fn set_config(wd: &Workdir, emu: &TestEmulator, resources: &str) {
    wd.write("main.tf", &format!("{}\n{resources}", emu.provider_block()));
}

fn resource_values(wd: &Workdir) -> serde_json::Value {
    let show = wd.show();
    show["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["type"] == "modelrouter_deployment"))
        .map(|r| r["values"].clone())
        .unwrap_or(serde_json::Value::Null)
}

const QUALITY_SUBSET: &str = r#"
  sku {
    capacity = 50
  }
  routing {
    mode = "quality"
    model { name = "gpt-5-mini" }
    model { name = "gpt-5.2" }
    model { name = "DeepSeek-V3.2" }
  }
"#;

#[test]
fn create_sends_the_exact_body_and_the_plan_is_empty_afterwards() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &router("router-a", QUALITY_SUBSET));
    wd.apply();

    let stored = emu.stored("router-a").expect("the emulator holds the deployment");
    let puts = emu.requests("PUT");
    assert_eq!(puts.len(), 1, "one PUT for one create");
    let body = puts[0].body.clone().expect("PUT body");
    assert_eq!(body["sku"], json!({"name": "GlobalStandard", "capacity": 50}));
    assert_eq!(
        body["properties"]["model"],
        json!({"format": "OpenAI", "name": "model-router", "version": "2025-11-18"})
    );
    assert_eq!(body["properties"]["routing"]["mode"], "quality");
    let mut models = body["properties"]["routing"]["models"].as_array().expect("models").clone();
    models.sort_by_key(|m| m["name"].as_str().unwrap_or_default().to_owned());
    assert_eq!(
        models,
        vec![
            json!({"format": "DeepSeek", "name": "DeepSeek-V3.2", "version": "1"}),
            json!({"format": "OpenAI", "name": "gpt-5-mini", "version": "2025-08-07"}),
            json!({"format": "OpenAI", "name": "gpt-5.2", "version": "2025-12-11"}),
        ]
    );
    assert_eq!(stored["properties"]["raiPolicyName"], "Microsoft.DefaultV2", "server default filled in");

    let values = resource_values(&wd);
    assert_eq!(values["id"], format!("{ACCOUNT}/deployments/router-a"));
    assert_eq!(values["router_version"], "2025-11-18");
    assert_eq!(values["rai_policy_name"], "Microsoft.DefaultV2");
    assert_eq!(values["sku"], json!({"name": "GlobalStandard", "capacity": 50}));
    assert_eq!(values["routed_models"].as_array().unwrap().len(), 3);
    assert_eq!(
        values["endpoint"],
        format!("{}/accounts/foundry-acc/", emu.emulator.base_url()),
        "the account's endpoint"
    );
    assert!(values["effective_context_window"].as_i64().is_some());

    wd.assert_plan_empty();
}

#[test]
fn settings_update_in_place_and_identity_changes_replace() {
    // The region still offers the older router version this test moves to (the default offer is 2025-11-18 only).
    let emu = TestEmulator::start_with(|options| {
        let current = options.settings.offers.models[0].clone();
        options
            .settings
            .offers
            .models
            .push(modelrouter_emulator::ModelOffer { version: "2025-08-07".into(), ..current });
    });
    let wd = workdir(&emu, &router("router-b", QUALITY_SUBSET));
    wd.apply();

    // Mode, subset, capacity and content filter: one in-place update, no DELETE.
    emu.emulator.clear_requests();
    set_config(
        &wd,
        &emu,
        &router(
            "router-b",
            r#"
  sku {
    capacity = 120
  }
  rai_policy_name = "Microsoft.Default"
  routing {
    mode = "cost"
    model { name = "gpt-5-mini" }
    model { name = "gpt-4.1" }
  }
"#,
        ),
    );
    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 2, "{plan:?}");
    assert!(plan.text().contains("1 to change, 0 to destroy"), "{plan:?}");
    wd.apply();
    assert!(emu.requests("DELETE").is_empty(), "an in-place update deletes nothing");
    let stored = emu.stored("router-b").unwrap();
    assert_eq!(stored["sku"]["capacity"], 120);
    assert_eq!(stored["properties"]["raiPolicyName"], "Microsoft.Default");
    assert_eq!(stored["properties"]["routing"]["mode"], "cost");
    assert_eq!(stored["properties"]["routing"]["models"].as_array().unwrap().len(), 2);
    wd.assert_plan_empty();

    // Router version: in place (routing needs 2025-11-18, so this step drops the routing block).
    set_config(&wd, &emu, &router("router-b", "  router_version = \"2025-08-07\"\n"));
    emu.emulator.clear_requests();
    wd.apply();
    assert!(emu.requests("DELETE").is_empty());
    assert_eq!(emu.stored("router-b").unwrap()["properties"]["model"]["version"], "2025-08-07");
    assert!(emu.stored("router-b").unwrap()["properties"].get("routing").is_none());
    wd.assert_plan_empty();

    // Name: replace (a new deployment needs a router version that is not retired: the default).
    set_config(&wd, &emu, &router("router-b2", ""));
    let plan = wd.plan(&[]);
    assert!(plan.text().contains("must be replaced"), "{plan:?}");
    wd.apply();
    assert!(emu.stored("router-b").is_none(), "the old deployment is deleted");
    assert!(emu.stored("router-b2").is_some());

    // sku.name: replace.
    set_config(&wd, &emu, &router("router-b2", "  sku {\n    name = \"DataZoneStandard\"\n  }\n"));
    let plan = wd.plan(&[]);
    assert!(plan.text().contains("must be replaced"), "{plan:?}");
    assert!(plan.text().contains("forces replacement"), "{plan:?}");
    emu.emulator.clear_requests();
    wd.apply();
    assert_eq!(emu.requests("DELETE").len(), 1);
    assert_eq!(emu.stored("router-b2").unwrap()["sku"]["name"], "DataZoneStandard");
    wd.assert_plan_empty();

    wd.destroy();
    assert!(emu.stored("router-b2").is_none());
}

/// Each invalid configuration fails `terraform plan` with the diagnostic on the attribute, naming the bad value,
/// and the emulator receives no write.
/// A malformed account id: the value, the reason and the expected form each once, in plain English.
#[test]
fn an_invalid_account_id_is_said_once_with_the_expected_form() {
    let emu = TestEmulator::start();
    let bad = "/subscriptions/x/resourceGroups/rg";
    let wd = workdir(
        &emu,
        &format!(
            "resource \"modelrouter_deployment\" \"r\" {{\n  name = \"r\"\n  cognitive_account_id = \"{bad}\"\n}}\n"
        ),
    );
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    let text = out.text();
    assert!(text.contains("Error: Invalid cognitive_account_id"), "{out:?}");
    assert!(!text.contains("a account"), "{out:?}");
    // Once in the configuration line Terraform quotes, once in the message.
    assert_eq!(text.matches(bad).count(), 2, "{out:?}");
    assert_eq!(text.matches("/providers/Microsoft.CognitiveServices/accounts/{account}").count(), 1, "{out:?}");
    assert!(text.contains("it has 4 path segments, an account id has 8"), "{out:?}");
    assert!(emu.writes().is_empty());
}

#[test]
fn every_validation_rule_fails_plan_on_its_attribute_without_writes() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, "");
    let cases: &[(&str, &str, &[&str])] = &[
        ("bad name", &router("-bad name", ""), &["name = \"-bad name\"", "start with a letter"]),
        ("long name", &router(&"x".repeat(65), ""), &["65 characters"]),
        (
            "account id",
            "resource \"modelrouter_deployment\" \"r\" {\n  name = \"r\"\n  cognitive_account_id = \"/subscriptions/x/resourceGroups/rg\"\n}\n",
            &["Invalid cognitive_account_id", "cognitive_account_id = \"/subscriptions/x/resourceGroups/rg\""],
        ),
        (
            "router version",
            &router("r", "  router_version = \"2024-01-01\"\n"),
            &["router_version = \"2024-01-01\"", "\"2025-11-18\""],
        ),
        (
            "routing on an old version",
            &router("r", "  router_version = \"2025-08-07\"\n  routing {\n    mode = \"cost\"\n  }\n"),
            &["Routing needs a newer router version", "2025-08-07"],
        ),
        (
            "mode",
            &router("r", "  routing {\n    mode = \"Fastest\"\n  }\n"),
            &["mode = \"Fastest\"", "\"balanced\", \"quality\", \"cost\""],
        ),
        (
            "unknown model with suggestion",
            &router("r", "  routing {\n    model { name = \"gpt-4.0\" }\n    model { name = \"gpt-5\" }\n  }\n"),
            &["Unknown model in routing subset", "Did you mean \"gpt-4o\"", "routing"],
        ),
        (
            "typo",
            &router(
                "r",
                "  routing {\n    model { name = \"claude-sonet-4-5\" }\n    model { name = \"gpt-5\" }\n  }\n",
            ),
            &["Did you mean \"claude-sonnet-4-5\""],
        ),
        (
            "version contradicts catalog",
            &router(
                "r",
                "  routing {\n    model {\n      name    = \"gpt-5\"\n      version = \"2024-01-01\"\n    }\n    model { name = \"gpt-5-mini\" }\n  }\n",
            ),
            &["Model contradicts the catalog", "\"2025-08-07\""],
        ),
        (
            "format contradicts catalog",
            &router(
                "r",
                "  routing {\n    model {\n      name   = \"gpt-5\"\n      format = \"Meta\"\n    }\n    model { name = \"gpt-5-mini\" }\n  }\n",
            ),
            &["Model contradicts the catalog", "\"OpenAI\""],
        ),
        (
            "duplicate",
            &router("r", "  routing {\n    model { name = \"gpt-5\" }\n    model { name = \"GPT-5\" }\n  }\n"),
            &["Model listed twice"],
        ),
        (
            "min context window",
            &router(
                "r",
                "  min_context_window = 1000000\n  routing {\n    model { name = \"gpt-5\" }\n    model { name = \"gpt-4o\" }\n  }\n",
            ),
            &["min_context_window = 1000000", "gpt-4o"],
        ),
        (
            "sku name",
            &router("r", "  sku {\n    name = \"Standard\"\n  }\n"),
            &["sku.name = \"Standard\"", "\"GlobalStandard\", \"DataZoneStandard\""],
        ),
        ("capacity", &router("r", "  sku {\n    capacity = 0\n  }\n"), &["sku.capacity = 0"]),
        (
            "upgrade option",
            &router("r", "  version_upgrade_option = \"Always\"\n"),
            &["version_upgrade_option = \"Always\"", "\"NoAutoUpgrade\""],
        ),
        ("timeout", &router("r", "  timeouts {\n    create = \"soon\"\n  }\n"), &["timeouts.create = \"soon\""]),
    ];
    for (label, config, expected) in cases {
        set_config(&wd, &emu, config);
        let out = wd.plan(&[]);
        assert_eq!(out.code, 1, "{label}: plan must fail\n{out:?}");
        for needle in *expected {
            assert!(out.text().contains(needle), "{label}: expected {needle:?} in\n{out:?}");
        }
    }
    assert!(emu.writes().is_empty(), "no write may reach Azure: {:?}", emu.writes());
}

#[test]
fn warnings_plan_successfully() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, "");
    let cases: &[(&str, &str, &str)] = &[
        ("single model", "  routing {\n    model { name = \"gpt-5\" }\n  }\n", "Only one model in the subset"),
        (
            "preview",
            "  routing {\n    model { name = \"grok-4\" }\n    model { name = \"gpt-5\" }\n  }\n",
            "Preview model in the subset",
        ),
    ];
    for (label, body, warning) in cases {
        set_config(&wd, &emu, &router("r", body));
        let out = wd.plan(&[]);
        assert_eq!(out.code, 2, "{label}: plan succeeds with changes\n{out:?}");
        assert!(out.combined().contains(warning), "{label}: expected warning {warning:?}\n{out:?}");
    }
    // strict_catalog = false: an unknown model is a warning and is sent as written.
    let wd = Workdir::new(&format!(
        "{}\n{}",
        emu.provider_block().replace("access_token", "strict_catalog = false\n  access_token"),
        router(
            "lenient",
            "  routing {\n    model {\n      name    = \"gpt-6\"\n      format  = \"OpenAI\"\n      version = \"2027-01-01\"\n    }\n    model { name = \"gpt-5\" }\n  }\n"
        )
    ));
    wd.init();
    let out = wd.apply();
    assert!(out.combined().contains("Model not in the catalog"), "{out:?}");
    let stored = emu.stored("lenient").expect("created");
    let names: Vec<&str> = stored["properties"]["routing"]["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"gpt-6"), "{names:?}");
    wd.assert_plan_empty();
}

#[test]
fn values_unknown_at_plan_time_plan_and_apply() {
    let emu = TestEmulator::start();
    let wd = workdir(
        &emu,
        &format!(
            r#"
resource "terraform_data" "names" {{
  input = "router-from-data"
}}
resource "terraform_data" "mode" {{
  input = "cost"
}}
resource "modelrouter_deployment" "r" {{
  name                 = terraform_data.names.output
  cognitive_account_id = "{ACCOUNT}"
  routing {{
    mode = terraform_data.mode.output
    model {{ name = "gpt-5" }}
    model {{ name = "gpt-5-mini" }}
  }}
}}
"#
        ),
    );
    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 2, "{plan:?}");
    wd.apply();
    assert_eq!(emu.stored("router-from-data").unwrap()["properties"]["routing"]["mode"], "cost");
    wd.assert_plan_empty();
}

#[test]
fn out_of_band_changes_show_as_drift_and_apply_restores() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &router("router-d", QUALITY_SUBSET));
    wd.apply();
    let id = TestEmulator::deployment_id("router-d");

    // Mode, subset and capacity changed in the portal.
    assert!(emu.emulator.patch_deployment(
        &id,
        json!({"sku": {"capacity": 7}, "properties": {"routing": {"mode": "cost", "models": [
            {"format": "OpenAI", "name": "gpt-5-mini", "version": "2025-08-07"}
        ]}}})
    ));
    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 2, "{plan:?}");
    for needle in ["\"cost\" -> \"quality\"", "7 -> 50", "gpt-5.2"] {
        assert!(plan.text().contains(needle), "plan names the change {needle:?}:\n{plan:?}");
    }
    let refresh_only = wd.plan(&["-refresh-only"]);
    assert_eq!(refresh_only.code, 2, "{refresh_only:?}");
    assert!(refresh_only.text().contains("changed outside of Terraform"), "{refresh_only:?}");
    wd.apply();
    assert_eq!(emu.stored("router-d").unwrap()["properties"]["routing"]["mode"], "quality");
    wd.assert_plan_empty();

    // Deleted in the portal: planned for creation, and apply re-creates it.
    assert!(emu.emulator.delete_deployment(&id));
    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 2, "{plan:?}");
    assert!(plan.text().contains("1 to add"), "{plan:?}");
    wd.apply();
    assert!(emu.stored("router-d").is_some());
    wd.assert_plan_empty();
}

#[test]
fn service_quirks_cause_no_diff() {
    let emu = TestEmulator::start();
    emu.emulator.update_settings(|s| {
        s.quirks.resourcegroups_lowercase = true;
        s.quirks.reverse_models = true;
        s.quirks.capitalize_mode = true;
    });
    let wd = workdir(
        &emu,
        &format!(
            "{}{}",
            router("router-q", QUALITY_SUBSET),
            router("router-default", "").replace("\"r\"", "\"plain\"")
        ),
    );
    wd.apply();
    wd.assert_plan_empty();
}

#[test]
fn import_by_id_both_ways_and_refuse_other_models() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &router("router-i", QUALITY_SUBSET));
    wd.apply();
    let id = TestEmulator::deployment_id("router-i");
    let before = resource_values(&wd);

    // terraform import into a fresh state.
    wd.ok(&["state", "rm", "modelrouter_deployment.r"]);
    wd.ok(&["import", "-no-color", "modelrouter_deployment.r", &id]);
    let after = resource_values(&wd);
    for attr in ["id", "name", "router_version", "sku", "routing", "routed_models", "endpoint", "rai_policy_name"] {
        assert_eq!(before[attr], after[attr], "imported {attr} differs");
    }
    wd.assert_plan_empty();

    // An import block.
    wd.ok(&["state", "rm", "modelrouter_deployment.r"]);
    let config = format!(
        "{}\n{}\nimport {{\n  to = modelrouter_deployment.r\n  id = \"{id}\"\n}}\n",
        emu.provider_block(),
        router("router-i", QUALITY_SUBSET)
    );
    wd.write("main.tf", &config);
    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 2, "an import is a change: {plan:?}");
    assert!(plan.stdout.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{plan:?}");
    wd.apply();
    wd.assert_plan_empty();

    // A deployment of another model is refused, and the message says what it is.
    let gpt = format!("{ACCOUNT}/deployments/plain-gpt");
    emu.emulator.seed_deployment(
        &gpt,
        json!({"sku": {"name": "GlobalStandard", "capacity": 1},
               "properties": {"model": {"format": "OpenAI", "name": "gpt-4.1", "version": "2025-04-14"}}}),
    );
    let wd2 = workdir(&emu, &router("plain-gpt", ""));
    let out = wd2.run(&["import", "-no-color", "modelrouter_deployment.r", &gpt]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.text().contains("not a model router"), "{out:?}");
    assert!(out.text().contains("gpt-4.1"), "{out:?}");
}

#[test]
fn routing_dropped_by_the_service_fails_the_apply() {
    let emu = TestEmulator::start();
    emu.emulator.update_settings(|s| s.quirks.drop_routing = true);
    let wd = workdir(&emu, &router("router-drop", QUALITY_SUBSET));
    let out = wd.run(&["apply", "-no-color", "-auto-approve"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("Azure did not keep the requested settings"), "{out:?}");
    assert!(out.text().contains("routing: asked for mode \"quality\""), "{out:?}");
    assert!(out.text().contains("Azure kept no routing"), "{out:?}");
}

#[test]
fn routing_to_an_undeployed_claude_model_fails_before_any_router_put() {
    let emu = TestEmulator::start();
    let wd = workdir(
        &emu,
        &router(
            "router-claude",
            "  routing {\n    model { name = \"claude-sonnet-4-5\" }\n    model { name = \"gpt-5\" }\n  }\n",
        ),
    );
    let out = wd.run(&["apply", "-no-color", "-auto-approve"]);
    assert_eq!(out.code, 1, "{out:?}");
    for needle in ["claude-sonnet-4-5", "foundry-acc", "modelrouter_claude_dependency"] {
        assert!(out.text().contains(needle), "expected {needle:?}:\n{out:?}");
    }
    assert!(emu.requests("PUT").is_empty(), "no router PUT: {:?}", emu.requests("PUT"));
}
