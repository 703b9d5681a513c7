//! Acceptance tests of the plugin layer with the real `terraform` binary: offline install from a filesystem
//! mirror, the schema as Terraform sees it, the catalog data source, provider-block diagnostics, and what a
//! person who runs the binary by hand sees.

mod support;

use support::{REQUIRED_PROVIDERS, Workdir};

const PROVIDER_ADDRESS: &str = "registry.terraform.io/modelrouter/modelrouter";

#[test]
fn offline_init_and_schema_show_the_provider_resources_and_data_source() {
    let wd = Workdir::new(&format!("{REQUIRED_PROVIDERS}\nprovider \"modelrouter\" {{}}\n"));
    let init = wd.init();
    assert!(init.text().contains("Installed modelrouter/modelrouter"), "{init:?}");

    let schema = wd.json(&["providers", "schema", "-json"]);
    let provider = &schema["provider_schemas"][PROVIDER_ADDRESS];
    let attributes = provider["provider"]["block"]["attributes"].as_object().expect("provider attributes");
    for name in [
        "tenant_id",
        "client_id",
        "client_secret",
        "client_certificate_path",
        "client_certificate_password",
        "use_oidc",
        "oidc_token",
        "oidc_token_file_path",
        "use_msi",
        "use_cli",
        "access_token",
        "environment",
        "resource_manager_endpoint",
        "api_version",
        "strict_catalog",
    ] {
        assert_eq!(attributes[name]["optional"], true, "provider argument {name}: {}", attributes[name]);
    }
    for secret in ["client_secret", "client_certificate_password", "oidc_token", "access_token"] {
        assert_eq!(attributes[secret]["sensitive"], true, "{secret} must be sensitive");
    }
    let data_source = &provider["data_source_schemas"]["modelrouter_supported_models"]["block"]["attributes"];
    assert_eq!(data_source["router_version"]["optional"], true);
    assert_eq!(data_source["models"]["computed"], true);
    assert_eq!(
        data_source["models"]["type"],
        serde_json::json!(["list", ["object", {
            "context_window": "number", "format": "string", "name": "string", "preview": "bool",
            "requires_deployment": "bool", "requires_feature": "string", "requires_registration": "bool",
            "retirement_date": "string", "source": "string", "version": "string"
        }]])
    );
}

#[test]
fn supported_models_data_source_yields_the_catalog_of_each_router_version() {
    let wd = Workdir::new(&format!(
        r#"{REQUIRED_PROVIDERS}
provider "modelrouter" {{}}

data "modelrouter_supported_models" "default" {{}}
data "modelrouter_supported_models" "v2025_11_18" {{ router_version = "2025-11-18" }}
data "modelrouter_supported_models" "v2025_08_07" {{ router_version = "2025-08-07" }}
data "modelrouter_supported_models" "v2025_05_19" {{ router_version = "2025-05-19" }}

output "default_router_version" {{ value = data.modelrouter_supported_models.default.default_router_version }}
output "router_versions" {{ value = data.modelrouter_supported_models.default.router_versions }}
output "default_selected" {{ value = data.modelrouter_supported_models.default.router_version }}
output "models_2025_11_18" {{ value = data.modelrouter_supported_models.v2025_11_18.models }}
output "models_2025_08_07" {{ value = data.modelrouter_supported_models.v2025_08_07.models }}
output "models_2025_05_19" {{ value = data.modelrouter_supported_models.v2025_05_19.models }}
output "openai_ga" {{
  value = [for m in data.modelrouter_supported_models.default.models : m.name if m.format == "OpenAI" && !m.preview]
}}
"#
    ));
    wd.init();
    wd.apply();
    let outputs = wd.outputs();
    assert_eq!(outputs["default_router_version"]["value"], "2025-11-18");
    assert_eq!(outputs["default_selected"]["value"], "2025-11-18");
    assert_eq!(outputs["router_versions"]["value"], serde_json::json!(["2025-11-18", "2025-08-07", "2025-05-19"]));

    // Each router version yields exactly the catalog's rows, in the catalog's order.
    for (output, version) in
        [("models_2025_11_18", "2025-11-18"), ("models_2025_08_07", "2025-08-07"), ("models_2025_05_19", "2025-05-19")]
    {
        let rows = outputs[output]["value"].as_array().expect("models list");
        let expected = modelrouter_catalog::catalog().router_version(version).expect("catalog version");
        assert_eq!(rows.len(), expected.models.len(), "{version}");
        for (row, model) in rows.iter().zip(&expected.models) {
            assert_eq!(row["name"], model.name.as_str());
            assert_eq!(row["format"], model.format.as_str());
            assert_eq!(row["version"], model.version.as_str());
            assert_eq!(row["preview"], model.preview);
            assert_eq!(row["requires_deployment"], model.requires_deployment);
            assert_eq!(row["requires_registration"], model.requires_registration);
            match model.context_window {
                Some(window) => assert_eq!(row["context_window"], window),
                None => assert!(row["context_window"].is_null()),
            }
        }
    }
    assert_eq!(outputs["models_2025_11_18"]["value"].as_array().unwrap().len(), 35);
    assert_eq!(outputs["models_2025_08_07"]["value"].as_array().unwrap().len(), 8);
    assert_eq!(outputs["models_2025_05_19"]["value"].as_array().unwrap().len(), 4);
    let openai_ga = outputs["openai_ga"]["value"].as_array().unwrap();
    assert!(openai_ga.iter().any(|m| m == "gpt-5-mini"));
    assert!(!openai_ga.iter().any(|m| m == "gpt-oss-120b"), "preview models are filtered out");

    // A data source has nothing to refresh: the plan after apply is empty.
    wd.assert_plan_empty();
}

#[test]
fn unknown_router_version_fails_plan_on_the_argument() {
    let wd = Workdir::new(&format!(
        "{REQUIRED_PROVIDERS}\ndata \"modelrouter_supported_models\" \"x\" {{\n  router_version = \"2024-01-01\"\n}}\n"
    ));
    wd.init();
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.text().contains("Unknown router version"), "{out:?}");
    assert!(out.text().contains("router_version = \"2024-01-01\""), "the diagnostic points at the argument:\n{out:?}");
    assert!(out.text().contains("\"2025-11-18\""), "allowed values are named:\n{out:?}");
}

#[test]
fn bad_provider_argument_fails_plan_with_a_diagnostic_on_the_argument() {
    let wd = Workdir::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"modelrouter\" {{\n  environment = \"mars\"\n}}\n\
         data \"modelrouter_supported_models\" \"x\" {{}}\n"
    ));
    wd.init();
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.text().contains("Unsupported Azure environment"), "{out:?}");
    // Terraform prints the offending line of configuration under an attribute-level diagnostic.
    assert!(out.text().contains("environment = \"mars\""), "{out:?}");
    assert!(out.text().contains("\"usgovernment\""), "{out:?}");
}

#[test]
fn insecure_endpoint_is_refused_at_plan() {
    let wd = Workdir::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"modelrouter\" {{\n  resource_manager_endpoint = \"http://management.example.com\"\n}}\n\
         data \"modelrouter_supported_models\" \"x\" {{}}\n"
    ));
    wd.init();
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.text().contains("loopback"), "{out:?}");
    assert!(out.text().contains("resource_manager_endpoint"), "{out:?}");
}

#[test]
fn running_the_binary_by_hand_explains_and_exits_1() {
    let out = std::process::Command::new(support::PROVIDER_BINARY)
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("run provider binary");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout, which belongs to the handshake");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.to_lowercase().contains("terraform"), "{stderr}");
    assert!(stderr.to_lowercase().contains("plugin"), "{stderr}");
}

/// The plugin announces `get_provider_schema_optional`, so Terraform serves every provider process of a command
/// after the first from its schema cache: fewer GetSchema calls than provider processes, and the plan still works.
#[test]
fn later_provider_processes_of_a_command_are_not_asked_for_the_schema() {
    let mut wd = Workdir::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"modelrouter\" {{}}\n\ndata \"modelrouter_supported_models\" \"x\" {{}}\n\n\
         output \"models\" {{\n  value = length(data.modelrouter_supported_models.x.models)\n}}\n"
    ));
    wd.init();
    let log = wd.path().join("provider.log");
    wd.set_env("TF_LOG_PROVIDER", "trace");
    wd.set_env("TF_LOG_PATH", log.to_str().expect("utf-8 path"));
    wd.ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);

    let log = std::fs::read_to_string(&log).expect("provider log");
    let lines = |needle: &str| log.lines().filter(|line| line.contains(needle)).count();
    let processes = lines("plugin server started");
    let schema_calls = log.lines().filter(|line| line.contains("RPC started") && line.contains("GetSchema")).count();
    eprintln!("{schema_calls} GetSchema calls for {processes} provider processes");
    assert!(processes >= 2, "apply starts several provider processes; saw {processes}");
    assert!(
        schema_calls < processes,
        "{schema_calls} GetSchema calls for {processes} provider processes: the schema cache was not used"
    );
    assert!(wd.outputs()["models"]["value"].as_u64().unwrap_or(0) > 0, "the plan and apply still work");
}
