//! `data "modelrouter_deployment"` through the real `terraform`: a gateway stack reads a router another stack
//! created, by account and name or by id, and sees what the resource exposes; a deployment that is not a router is
//! refused, saying what it is.

mod support;

use serde_json::json;
use support::{ACCOUNT, TestEmulator, Workdir};

fn workdir(emu: &TestEmulator, body: &str) -> Workdir {
    let wd = Workdir::new(&format!("{}\n{body}", emu.provider_block()));
    wd.init();
    wd
}

#[test]
fn a_gateway_stack_reads_the_router_another_stack_created() {
    let emu = TestEmulator::start();
    let router_stack = workdir(
        &emu,
        &format!(
            r#"
resource "modelrouter_deployment" "prod" {{
  name                 = "model-router-prod"
  cognitive_account_id = "{ACCOUNT}"
  sku {{
    capacity = 40
  }}
  routing {{
    mode = "cost"
    model {{ name = "gpt-5-mini" }}
    model {{ name = "gpt-5" }}
  }}
}}
output "resource" {{
  value = modelrouter_deployment.prod
}}
"#
        ),
    );
    router_stack.apply();
    let resource = router_stack.outputs()["resource"]["value"].clone();

    let gateway_stack = workdir(
        &emu,
        &format!(
            r#"
data "modelrouter_deployment" "by_name" {{
  cognitive_account_id = "{ACCOUNT}"
  name                 = "model-router-prod"
}}
data "modelrouter_deployment" "by_id" {{
  id = "{id}"
}}
output "by_name" {{
  value = data.modelrouter_deployment.by_name
}}
output "by_id" {{
  value = data.modelrouter_deployment.by_id
}}
"#,
            id = TestEmulator::deployment_id("model-router-prod")
        ),
    );
    gateway_stack.apply();
    let outputs = gateway_stack.outputs();
    for read in [&outputs["by_name"]["value"], &outputs["by_id"]["value"]] {
        for attribute in [
            "id",
            "name",
            "cognitive_account_id",
            "router_version",
            "rai_policy_name",
            "version_upgrade_option",
            "effective_context_window",
            "routed_models",
            "endpoint",
            "sku",
        ] {
            assert_eq!(read[attribute], resource[attribute], "{attribute}");
        }
        assert_eq!(read["routing"]["mode"], "cost");
        assert_eq!(read["routing"]["model"].as_array().map(Vec::len), Some(2));
    }
    assert_eq!(outputs["by_name"]["value"]["sku"], json!({"name": "GlobalStandard", "capacity": 40}));
}

#[test]
fn a_deployment_that_is_not_a_router_is_refused_saying_what_it_is() {
    let emu = TestEmulator::start();
    emu.emulator.seed_deployment(
        &TestEmulator::deployment_id("chat"),
        json!({"sku": {"name": "GlobalStandard", "capacity": 10},
               "properties": {"model": {"format": "OpenAI", "name": "gpt-4o", "version": "2024-11-20"}}}),
    );
    let wd = workdir(
        &emu,
        &format!("data \"modelrouter_deployment\" \"x\" {{\n  id = \"{}\"\n}}\n", TestEmulator::deployment_id("chat")),
    );
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    let text = out.text();
    assert!(text.contains("Not a model router") && text.contains("\"gpt-4o\""), "{out:?}");
    assert!(text.contains("This data source reads model router deployments only"), "{out:?}");
    assert!(!text.to_lowercase().contains("import"), "a data source cannot import: {out:?}");

    // A Claude deployment: says which resource manages it, still without telling a data source to import.
    emu.emulator.seed_deployment(
        &TestEmulator::deployment_id("claude-sonnet-4-5"),
        json!({"sku": {"name": "GlobalStandard", "capacity": 1},
               "properties": {"model": {"format": "Anthropic", "name": "claude-sonnet-4-5", "version": "20250929"}}}),
    );
    wd.write(
        "main.tf",
        &format!(
            "{}\ndata \"modelrouter_deployment\" \"x\" {{\n  id = \"{}\"\n}}\n",
            emu.provider_block(),
            TestEmulator::deployment_id("claude-sonnet-4-5")
        ),
    );
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    let text = out.text();
    assert!(text.contains("managed with the resource modelrouter_claude_dependency"), "{out:?}");
    assert!(!text.to_lowercase().contains("import"), "{out:?}");

    let wd = workdir(
        &emu,
        &format!(
            "data \"modelrouter_deployment\" \"x\" {{\n  id = \"{}\"\n  name = \"chat\"\n}}\n",
            TestEmulator::deployment_id("chat")
        ),
    );
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.text().contains("Set either `id`"), "{out:?}");
}
