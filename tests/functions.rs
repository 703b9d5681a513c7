//! Provider functions and the ephemeral resource as the real `terraform` sees them: the schema lists them with
//! their docs, `litellm_model_list` renders two routers into the documented entries, bad arguments are errors on
//! the argument, and `effective_context_window` agrees with the resource's attribute.

mod support;

use serde_json::{Value, json};
use support::{ACCOUNT, REQUIRED_PROVIDERS, TestEmulator, Workdir};

const PROVIDER: &str = "registry.terraform.io/modelrouter/modelrouter";

fn two_routers() -> String {
    format!(
        r#"
resource "modelrouter_deployment" "prod" {{
  name                 = "router-prod"
  cognitive_account_id = "{ACCOUNT}"
  routing {{
    mode = "quality"
    model {{ name = "gpt-5-mini" }}
    model {{ name = "gpt-5.2" }}
  }}
}}

resource "modelrouter_deployment" "dev" {{
  name                 = "router-dev"
  cognitive_account_id = "{ACCOUNT}"
}}

locals {{
  routers = [modelrouter_deployment.prod, modelrouter_deployment.dev]
}}

output "model_list" {{
  value = provider::modelrouter::litellm_model_list(local.routers, {{ model_name_prefix = "azure-" }})
}}

output "config_yaml" {{
  value = yamlencode({{ model_list = provider::modelrouter::litellm_model_list(local.routers, {{}}) }})
}}

output "function_window" {{
  value = provider::modelrouter::effective_context_window("2025-11-18", ["gpt-5-mini", "gpt-5.2"])
}}

output "resource_window" {{
  value = modelrouter_deployment.prod.effective_context_window
}}

output "endpoint" {{
  value = modelrouter_deployment.prod.endpoint
}}
"#
    )
}

#[test]
fn the_schema_lists_both_functions_the_ephemeral_resource_and_the_router_data_source_with_their_docs() {
    let wd = Workdir::new(&format!("{REQUIRED_PROVIDERS}\nprovider \"modelrouter\" {{}}\n"));
    wd.init();
    let schema = wd.json(&["providers", "schema", "-json"]);
    let provider = &schema["provider_schemas"][PROVIDER];
    let functions = provider["functions"].as_object().expect("functions in the schema");
    let list = &functions["litellm_model_list"];
    assert!(list["summary"].as_str().is_some_and(|s| s.contains("LiteLLM")), "{list}");
    let description = list["description"].as_str().unwrap_or_default();
    assert!(
        description.contains("https://docs.litellm.ai/docs/providers/azure_ai/azure_model_router"),
        "{description}"
    );
    let names: Vec<&str> = list["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["routers", "options"]);
    assert!(list["parameters"][0]["description"].as_str().is_some_and(|d| !d.is_empty()));
    let window = &functions["effective_context_window"];
    assert_eq!(window["return_type"], "number");
    assert!(window["description"].as_str().is_some_and(|d| d.contains("effective_context_window")), "{window}");

    let keys = &provider["ephemeral_resource_schemas"]["modelrouter_account_keys"]["block"];
    assert!(keys["description"].as_str().is_some_and(|d| d.contains("listKeys")), "{keys}");
    assert_eq!(keys["attributes"]["key1"]["sensitive"], true);
    assert_eq!(keys["attributes"]["key2"]["sensitive"], true);
    assert_eq!(keys["attributes"]["cognitive_account_id"]["required"], true);
    assert!(keys["attributes"]["endpoint"]["description"].as_str().is_some());

    let router = &provider["data_source_schemas"]["modelrouter_deployment"]["block"];
    assert!(router["description"].as_str().is_some_and(|d| d.contains("not a model router")), "{router}");
    for attribute in ["id", "cognitive_account_id", "name", "routed_models", "effective_context_window", "endpoint"] {
        assert!(router["attributes"][attribute]["description"].as_str().is_some_and(|d| !d.is_empty()), "{attribute}");
    }

    // The descriptions are Markdown (`code` spans), and say so, so that tools render them.
    let resource = &provider["resource_schemas"]["modelrouter_deployment"]["block"];
    assert!(resource["attributes"]["router_version"]["description"].as_str().is_some_and(|d| d.contains('`')));
    assert_eq!(resource["attributes"]["router_version"]["description_kind"], "markdown", "{resource}");
    assert_eq!(resource["description_kind"], "markdown");
    assert_eq!(resource["block_types"]["routing"]["block"]["description_kind"], "markdown");
}

#[test]
fn litellm_model_list_renders_two_routers_and_the_window_matches_the_resource() {
    let emu = TestEmulator::start();
    let wd = Workdir::new(&format!("{}\n{}", emu.provider_block(), two_routers()));
    wd.init();
    wd.apply();
    let outputs = wd.outputs();
    let endpoint = outputs["endpoint"]["value"].as_str().expect("endpoint").to_owned();
    let api_base = format!("{}/openai/v1/", endpoint.trim_end_matches('/'));
    let windows: Vec<Value> =
        wd.state_resources().iter().map(|r| r["values"]["effective_context_window"].clone()).collect();
    assert!(windows.iter().all(Value::is_number), "both routers have a documented window: {windows:?}");
    let window_of = |name: &str| {
        wd.state_resources().into_iter().find(|r| r["values"]["name"] == name).unwrap()["values"]
            ["effective_context_window"]
            .clone()
    };
    let entry = |name: &str, prefix: &str| {
        json!({
            "model_name": format!("{prefix}{name}"),
            "litellm_params": {
                "model": format!("azure_ai/model_router/{name}"),
                "api_base": api_base,
                "api_key": "os.environ/AZURE_MODEL_ROUTER_API_KEY",
            },
            "model_info": {
                "base_model": format!("azure_ai/model_router/{name}"),
                "max_input_tokens": window_of(name),
            },
        })
    };
    assert_eq!(
        outputs["model_list"]["value"],
        json!([entry("router-prod", "azure-"), entry("router-dev", "azure-")]),
        "the documented entries, in input order"
    );
    let yaml = outputs["config_yaml"]["value"].as_str().unwrap();
    for line in [
        "\"model_list\":".to_owned(),
        "\"model\": \"azure_ai/model_router/router-prod\"".to_owned(),
        "\"model_name\": \"router-dev\"".to_owned(),
        format!("\"api_base\": \"{api_base}\""),
    ] {
        assert!(yaml.contains(&line), "config.yaml lacks {line:?}:\n{yaml}");
    }
    assert_eq!(outputs["function_window"]["value"], outputs["resource_window"]["value"]);
    assert!(outputs["function_window"]["value"].is_number());

    // A chat completion sent the way the generated entry says (LiteLLM strips `model_router/` and sends the
    // deployment name) is answered by a model the router routes to.
    let prod = &outputs["model_list"]["value"][0]["litellm_params"];
    let deployment = prod["model"].as_str().unwrap().strip_prefix("azure_ai/model_router/").unwrap().to_owned();
    let routed: Vec<String> = wd.state_resources().into_iter().find(|r| r["values"]["name"] == "router-prod").unwrap()
        ["values"]["routed_models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| format!("{}-{}", m["name"].as_str().unwrap(), m["version"].as_str().unwrap()))
        .collect();
    let answer = emu.chat_as_entry(prod["api_base"].as_str().unwrap(), &deployment, "Which model are you?");
    let model = answer["model"].as_str().unwrap_or_else(|| panic!("no model in {answer}"));
    assert!(routed.iter().any(|m| m == model), "{model} is not one of the routed models {routed:?}");

    // The same through `terraform console`, and a plan with nothing to do (the calls are deterministic).
    let console = wd.run_with_stdin(
        &["console", "-no-color"],
        "provider::modelrouter::effective_context_window(modelrouter_deployment.prod.router_version, [for m in modelrouter_deployment.prod.routed_models : m.name]) == modelrouter_deployment.prod.effective_context_window\n",
    );
    assert_eq!(console.code, 0, "{console:?}");
    assert_eq!(console.stdout.trim(), "true", "{console:?}");
    wd.assert_plan_empty();
}

#[test]
fn bad_arguments_are_errors_on_the_argument() {
    let cases = [
        (
            r#"provider::modelrouter::litellm_model_list([{ name = "x", routed_models = [] }], {})"#,
            "Invalid value for \"routers\" parameter",
            "routers[0] has no attribute \"endpoint\"",
        ),
        (
            r#"provider::modelrouter::litellm_model_list([], { api_key = "x" })"#,
            "Invalid value for \"options\" parameter",
            "allowed: api_key_env, model_name_prefix",
        ),
        (
            r#"provider::modelrouter::effective_context_window("2020-01-01", [])"#,
            "Invalid value for \"router_version\" parameter",
            "2025-11-18",
        ),
        (
            r#"provider::modelrouter::effective_context_window("2025-11-18", ["gpt-5-mini", "gpt5-mini2"])"#,
            "Invalid value for \"models\" parameter",
            "models[1]",
        ),
    ];
    for (expression, on_argument, detail) in cases {
        let wd = Workdir::new(&format!(
            "{REQUIRED_PROVIDERS}\nprovider \"modelrouter\" {{}}\noutput \"x\" {{\n  value = {expression}\n}}\n"
        ));
        wd.init();
        let out = wd.run(&["validate", "-no-color"]);
        assert_eq!(out.code, 1, "{expression}: {out:?}");
        let text = out.text();
        assert!(text.contains("Invalid function argument"), "{expression}: {text}");
        assert!(text.contains(on_argument), "{expression}: the error names the argument: {text}");
        assert!(text.contains(detail), "{expression}: {text}");
    }
}
