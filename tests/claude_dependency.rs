//! Acceptance tests of `modelrouter_claude_dependency` and its guard rails, with the real `terraform` against the
//! emulator: ordering with a router, the attestation Azure requires, SKU matching, the delete guard, validation,
//! drift and import.

mod support;

use serde_json::json;
use support::{ACCOUNT, TestEmulator, Workdir};

fn claude(resource: &str, model: &str, extra: &str) -> String {
    format!(
        r#"
resource "modelrouter_claude_dependency" "{resource}" {{
  cognitive_account_id = "{ACCOUNT}"
  model                = "{model}"
{extra}
  model_provider_data {{
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "Technology"
  }}
}}
"#
    )
}

fn router_routing_to_sonnet(sku: &str, depends_on: &str) -> String {
    format!(
        r#"
resource "modelrouter_deployment" "router" {{
  name                 = "router-with-claude"
  cognitive_account_id = "{ACCOUNT}"
  sku {{
    name = "{sku}"
  }}
  routing {{
    mode = "quality"
    model {{ name = "claude-sonnet-4-5" }}
    model {{ name = "gpt-5" }}
  }}
  {depends_on}
}}
"#
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

#[test]
fn router_and_its_claude_dependency_apply_in_one_run_in_order() {
    let emu = TestEmulator::start();
    let config = format!(
        "{}{}",
        claude("sonnet", "claude-sonnet-4-5", ""),
        router_routing_to_sonnet("GlobalStandard", "depends_on = [modelrouter_claude_dependency.sonnet]")
    );
    let wd = workdir(&emu, &config);
    let out = wd.apply();
    assert!(!out.text().contains("not deployed in the account"), "depends_on: planned first, counts: {out:?}");

    let puts = emu.requests("PUT");
    assert_eq!(puts.len(), 2, "{puts:?}");
    assert!(puts[0].path.ends_with("/deployments/claude-sonnet-4-5"), "the Claude deployment first: {}", puts[0].path);
    assert!(puts[1].path.ends_with("/deployments/router-with-claude"));
    let claude_body = puts[0].body.clone().unwrap();
    assert_eq!(
        claude_body["properties"]["modelProviderData"],
        json!({"organizationName": "Contoso", "countryCode": "US", "industry": "technology"}),
        "attestation sent, industry lower-cased"
    );
    assert_eq!(
        claude_body["properties"]["model"],
        json!({"format": "Anthropic", "name": "claude-sonnet-4-5", "version": "20250929"})
    );
    assert_eq!(claude_body["sku"], json!({"name": "GlobalStandard", "capacity": 1}));
    // The emulator's GET omits modelProviderData, as Azure's may: no diff.
    assert!(emu.stored("claude-sonnet-4-5").is_some());
    let show = wd.show();
    let dependency = show["values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "modelrouter_claude_dependency")
        .unwrap()["values"]
        .clone();
    assert_eq!(dependency["format"], "Anthropic");
    assert_eq!(dependency["version"], "20250929");
    assert_eq!(dependency["routable_by"], json!(["2025-11-18"]));
    assert_eq!(dependency["model_provider_data"]["industry"], "Technology");
    wd.assert_plan_empty();

    wd.destroy();
    assert!(emu.stored("claude-sonnet-4-5").is_none());
    assert!(emu.stored("router-with-claude").is_none());
}

#[test]
fn sku_mismatch_fails_at_plan_and_before_the_router_put_naming_both_skus() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &claude("sonnet", "claude-sonnet-4-5", ""));
    wd.apply();
    emu.emulator.clear_requests();
    set_config(
        &wd,
        &emu,
        &format!(
            "{}{}",
            claude("sonnet", "claude-sonnet-4-5", ""),
            router_routing_to_sonnet("DataZoneStandard", "depends_on = [modelrouter_claude_dependency.sonnet]")
        ),
    );
    // At plan: an error with its own title, and nothing written.
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    let text = out.text();
    assert!(text.contains("Error: Claude deployment on another SKU than the router"), "{out:?}");
    assert!(text.contains("DataZoneStandard") && text.contains("GlobalStandard"), "{out:?}");
    assert!(!text.contains("not deployed in the account"), "not the missing-model title: {out:?}");
    assert!(emu.writes().is_empty(), "no write at plan: {:?}", emu.writes());

    // Without the plan-time checks, the router's pre-write check refuses it under the same title.
    let without_preflight = emu.provider_block().replace("access_token", "preflight_checks = false\n  access_token");
    wd.write("main.tf", &format!("{without_preflight}\n{}", wd_resources(&wd)));
    let out = wd.run(&["apply", "-no-color", "-auto-approve"]);
    assert_eq!(out.code, 1, "{out:?}");
    let text = out.text();
    assert!(text.contains("Error: Claude deployment on another SKU than the router"), "{out:?}");
    assert!(text.contains("DataZoneStandard") && text.contains("GlobalStandard"), "{out:?}");
    assert!(emu.requests("PUT").is_empty(), "no router PUT: {:?}", emu.requests("PUT"));
}

/// The resources of `wd`'s main.tf, after its provider block.
fn wd_resources(wd: &Workdir) -> String {
    let main = std::fs::read_to_string(wd.path().join("main.tf")).expect("main.tf");
    main.find("resource ").map(|start| main[start..].to_owned()).unwrap_or_default()
}

fn router_routing_to(model: &str) -> String {
    format!(
        r#"
resource "modelrouter_deployment" "router" {{
  name                 = "router-with-claude"
  cognitive_account_id = "{ACCOUNT}"
  routing {{
    mode = "quality"
    model {{ name = {model} }}
    model {{ name = "gpt-5" }}
  }}
}}
"#
    )
}

#[test]
fn a_claude_model_without_a_dependency_warns_at_plan_and_a_referenced_one_counts_as_present() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &router_routing_to("\"claude-opus-4-8\""));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "a warning, not an error: the same configuration may create it\n{out:?}");
    let text = out.text();
    assert!(text.contains("Warning: Claude model claude-opus-4-8 not deployed in the account"), "{out:?}");
    assert!(text.contains("resource \"modelrouter_claude_dependency\" \"claude_opus_4_8\""), "{out:?}");
    assert!(emu.writes().is_empty(), "no write at plan: {:?}", emu.writes());

    // Declared and referenced: Terraform plans the dependency first in the same provider process.
    set_config(
        &wd,
        &emu,
        &format!(
            "{}{}",
            claude("opus", "claude-opus-4-8", ""),
            router_routing_to("modelrouter_claude_dependency.opus.model")
        ),
    );
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(!out.text().contains("not deployed in the account"), "the planned dependency counts: {out:?}");
    assert!(emu.writes().is_empty(), "no write at plan: {:?}", emu.writes());
    let out = wd.apply();
    assert!(!out.text().contains("not deployed in the account"), "{out:?}");
    let puts = emu.requests("PUT");
    assert!(puts[0].path.ends_with("/deployments/claude-opus-4-8"), "the Claude deployment first: {puts:?}");
    wd.assert_plan_empty();
}

#[test]
fn removing_a_dependency_still_routed_to_fails_and_keeps_it() {
    let emu = TestEmulator::start();
    let wd = workdir(
        &emu,
        &format!("{}{}", claude("sonnet", "claude-sonnet-4-5", ""), router_routing_to_sonnet("GlobalStandard", "")),
    );
    // Without depends_on the two may race; the router's pre-write check waits for nothing, so apply in two steps.
    let first = wd.run(&["apply", "-no-color", "-auto-approve", "-target=modelrouter_claude_dependency.sonnet"]);
    assert_eq!(first.code, 0, "{first:?}");
    wd.apply();

    set_config(&wd, &emu, &router_routing_to_sonnet("GlobalStandard", ""));
    let out = wd.run(&["apply", "-no-color", "-auto-approve"]);
    assert_eq!(out.code, 1, "{out:?}");
    let text = out.text();
    assert!(text.contains("Claude deployment still in use"), "{out:?}");
    assert!(text.contains("router-with-claude"), "names the router: {out:?}");
    assert!(emu.stored("claude-sonnet-4-5").is_some(), "the Claude deployment still exists");
    assert!(emu.requests("DELETE").is_empty());
}

#[test]
fn validation_table_without_writes() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, "");
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "not a Claude model",
            claude("c", "gpt-5", ""),
            vec!["Not a Claude model", "\"gpt-5\" is a OpenAI model", "\"claude-sonnet-4-5\""],
        ),
        (
            "country code",
            claude("c", "claude-sonnet-4-5", "").replace("\"US\"", "\"USA\""),
            vec!["Invalid country code", "country_code = \"USA\""],
        ),
        (
            "country code case",
            claude("c", "claude-sonnet-4-5", "").replace("\"US\"", "\"us\""),
            vec!["Write it in upper case: \"US\""],
        ),
        (
            "industry",
            claude("c", "claude-sonnet-4-5", "").replace("\"Technology\"", "\"mining\""),
            vec!["Unsupported industry", "industry = \"mining\"", "\"technology\""],
        ),
        (
            "missing block",
            format!(
                "resource \"modelrouter_claude_dependency\" \"c\" {{\n  cognitive_account_id = \"{ACCOUNT}\"\n  model = \"claude-sonnet-4-5\"\n}}\n"
            ),
            vec!["model_provider_data"],
        ),
        (
            "sku",
            claude("c", "claude-sonnet-4-5", "  sku {\n    name = \"Standard\"\n  }\n"),
            vec!["sku.name = \"Standard\""],
        ),
    ];
    for (label, config, expected) in &cases {
        set_config(&wd, &emu, config);
        let out = wd.plan(&[]);
        assert_eq!(out.code, 1, "{label}: plan must fail\n{out:?}");
        for needle in expected {
            assert!(out.text().contains(needle), "{label}: expected {needle:?}\n{out:?}");
        }
    }
    assert!(emu.writes().is_empty(), "{:?}", emu.writes());

    // A Claude model no router can route to deploys, with a warning.
    set_config(&wd, &emu, &claude("c", "claude-sonnet-4-6", "  version = \"1\"\n"));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.text().contains("No router can route to this Claude model"), "{out:?}");
}

#[test]
fn drift_and_import() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, &claude("sonnet", "claude-sonnet-4-5", "  sku {\n    capacity = 5\n  }\n"));
    wd.apply();
    let id = TestEmulator::deployment_id("claude-sonnet-4-5");

    assert!(emu.emulator.patch_deployment(&id, json!({"sku": {"capacity": 2}})));
    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 2, "{plan:?}");
    assert!(plan.text().contains("2 -> 5"), "{plan:?}");
    wd.apply();
    wd.assert_plan_empty();

    assert!(emu.emulator.delete_deployment(&id));
    let plan = wd.plan(&[]);
    assert!(plan.text().contains("1 to add"), "{plan:?}");
    wd.apply();
    wd.assert_plan_empty();

    // Import where Azure echoes the attestation: the plan is empty at once.
    emu.emulator.update_settings(|s| s.quirks.echo_model_provider_data = true);
    wd.ok(&["state", "rm", "modelrouter_claude_dependency.sonnet"]);
    wd.ok(&["import", "-no-color", "modelrouter_claude_dependency.sonnet", &id]);
    wd.assert_plan_empty();

    // Import where it does not: one in-place update re-sends the attestation, then the plan is empty.
    emu.emulator.update_settings(|s| s.quirks.echo_model_provider_data = false);
    wd.ok(&["state", "rm", "modelrouter_claude_dependency.sonnet"]);
    wd.ok(&["import", "-no-color", "modelrouter_claude_dependency.sonnet", &id]);
    let plan = wd.plan(&[]);
    assert!(plan.text().contains("0 to add, 1 to change, 0 to destroy"), "{plan:?}");
    wd.apply();
    wd.assert_plan_empty();

    // Anything but a Claude deployment is refused.
    let router_id = TestEmulator::deployment_id("some-router");
    emu.emulator.seed_deployment(
        &router_id,
        json!({"sku": {"name": "GlobalStandard", "capacity": 1},
               "properties": {"model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"}}}),
    );
    set_config(
        &wd,
        &emu,
        &format!(
            "{}{}",
            claude("sonnet", "claude-sonnet-4-5", "  sku {\n    capacity = 5\n  }\n"),
            claude("other", "claude-haiku-4-5", "  name = \"some-router\"\n")
        ),
    );
    let out = wd.run(&["import", "-no-color", "modelrouter_claude_dependency.other", &router_id]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.text().contains("not a Claude (Anthropic) model"), "{out:?}");
    assert!(out.text().contains("modelrouter_deployment"), "{out:?}");
}
