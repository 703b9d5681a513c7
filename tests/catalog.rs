//! Acceptance tests of the catalog refresh with the real `terraform` binary: the supported-models data source
//! serves Microsoft's 2026-09-01 table (35 rows for router 2025-11-18) with its flags, keeps the retired router
//! versions with their rows and marks them retired, and reports the table revision and the retired models.

mod support;

use modelrouter_catalog::{CatalogDate, catalog};
use support::{REQUIRED_PROVIDERS, Workdir};

/// Router 2025-11-18 as the 2026-09-01 table lists it, with the flags the data source must report:
/// (name, format, preview, requires_deployment, requires_feature).
const TABLE_2026_09_01: &[(&str, &str, bool, bool, Option<&str>)] = &[
    ("gpt-6-astra", "OpenAI", false, false, None),
    ("gpt-5.6-sol", "OpenAI", false, false, None),
    ("gpt-5.6-terra", "OpenAI", false, false, None),
    ("gpt-5.6-luna", "OpenAI", false, false, None),
    ("gpt-5.5", "OpenAI", false, false, None),
    ("gpt-5.4", "OpenAI", false, false, None),
    ("gpt-5.4-mini", "OpenAI", false, false, None),
    ("gpt-5.4-nano", "OpenAI", false, false, None),
    ("gpt-5.2", "OpenAI", false, false, None),
    ("gpt-5", "OpenAI", false, false, None),
    ("gpt-5-mini", "OpenAI", false, false, None),
    ("gpt-5-nano", "OpenAI", false, false, None),
    ("o4-mini", "OpenAI", false, false, None),
    ("gpt-4.1", "OpenAI", false, false, None),
    ("gpt-4.1-mini", "OpenAI", false, false, None),
    ("gpt-4.1-nano", "OpenAI", false, false, None),
    ("gpt-4o", "OpenAI", false, false, None),
    ("gpt-4o-mini", "OpenAI", false, false, None),
    ("gpt-oss-120b", "OpenAI", true, false, None),
    ("claude-fable-5-1", "Anthropic", false, true, None),
    ("claude-opus-5", "Anthropic", false, true, None),
    ("claude-sonnet-5", "Anthropic", false, true, None),
    ("claude-opus-4-8", "Anthropic", false, true, None),
    ("claude-opus-4-7", "Anthropic", true, true, None),
    ("claude-opus-4-6", "Anthropic", true, true, None),
    ("claude-sonnet-4-5", "Anthropic", true, true, None),
    ("claude-haiku-4-5", "Anthropic", true, true, None),
    ("grok-4.6", "xAI", false, false, None),
    ("grok-4-1-fast-reasoning", "xAI", false, false, None),
    ("grok-4", "xAI", true, false, None),
    ("FW-GLM-5.3", "Fireworks", false, false, Some("Fireworks.EnableDeploy")),
    ("FW-GLM-5.3-Flash", "Fireworks", false, false, Some("Fireworks.EnableDeploy")),
    ("FW-Kimi-K3", "Fireworks", false, false, Some("Fireworks.EnableDeploy")),
    ("DeepSeek-V3.2", "DeepSeek", true, false, None),
    ("Llama-4-Maverick-17B-128E-Instruct-FP8", "Meta", true, false, None),
];

fn today() -> CatalogDate {
    CatalogDate::from_system_time(std::time::SystemTime::now())
}

#[test]
fn the_data_source_serves_the_2026_09_01_table_and_marks_retired_versions() {
    let wd = Workdir::new(&format!(
        r#"{REQUIRED_PROVIDERS}
provider "modelrouter" {{}}

data "modelrouter_supported_models" "latest" {{ router_version = "2025-11-18" }}
data "modelrouter_supported_models" "oldest" {{ router_version = "2025-05-19" }}

output "latest" {{ value = data.modelrouter_supported_models.latest }}
output "oldest" {{ value = data.modelrouter_supported_models.oldest }}
output "fireworks" {{
  value = [for m in data.modelrouter_supported_models.latest.models : m.name if m.requires_feature != null]
}}
"#
    ));
    wd.init();
    wd.apply();
    let outputs = wd.outputs();
    let latest = &outputs["latest"]["value"];
    assert_eq!(latest["table_revision"], "2026-09-01");
    assert_eq!(latest["lifecycle"], "GA");
    assert_eq!(latest["retirement_date"], "2027-05-20");
    assert_eq!(latest["retired"], today() >= CatalogDate::parse("2027-05-20").unwrap());

    let rows = latest["models"].as_array().expect("models");
    assert_eq!(rows.len(), 35, "the 35 rows of the 2026-09-01 table");
    for (row, &(name, format, preview, requires_deployment, requires_feature)) in rows.iter().zip(TABLE_2026_09_01) {
        assert_eq!(row["name"], name);
        assert_eq!(row["format"], format, "{name}");
        assert_eq!(row["preview"], preview, "{name}");
        assert_eq!(row["requires_deployment"], requires_deployment, "{name}");
        assert_eq!(row["requires_registration"], false, "{name}");
        match requires_feature {
            Some(feature) => assert_eq!(row["requires_feature"], feature, "{name}"),
            None => assert!(row["requires_feature"].is_null(), "{name}"),
        }
        assert_eq!(row["source"], "embedded", "{name}");
    }
    let dated: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| !r["retirement_date"].is_null())
        .map(|r| (r["name"].as_str().unwrap(), r["retirement_date"].as_str().unwrap()))
        .collect();
    assert_eq!(
        dated,
        [
            ("o4-mini", "2026-10-16"),
            ("gpt-4.1", "2027-04-14"),
            ("gpt-4.1-mini", "2027-04-14"),
            ("gpt-4.1-nano", "2027-04-14"),
            ("claude-fable-5-1", "2027-12-05")
        ]
    );
    assert_eq!(outputs["fireworks"]["value"], serde_json::json!(["FW-GLM-5.3", "FW-GLM-5.3-Flash", "FW-Kimi-K3"]));

    let retired: Vec<&str> =
        latest["retired_models"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(
        retired,
        ["gpt-5-chat", "gpt-5.2-chat", "gpt-5.3-chat", "DeepSeek-V3.1", "claude-opus-4-1", "grok-4-fast-reasoning"]
    );

    // The oldest version keeps its 4 rows and is marked retired (its retirement date, 2026-08-30, has passed).
    let oldest = &outputs["oldest"]["value"];
    let names: Vec<&str> = oldest["models"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o4-mini"]);
    assert_eq!(oldest["retired"], true);
    assert_eq!(oldest["retirement_date"], "2026-08-30");
    assert_eq!(oldest["lifecycle"], "Preview");
    let expected_retired: Vec<&str> =
        catalog().retired_router_versions(today()).iter().map(|r| r.version.as_str()).collect();
    assert_eq!(oldest["retired_router_versions"], serde_json::json!(expected_retired));
    assert!(expected_retired.contains(&"2025-05-19") && expected_retired.contains(&"2025-08-07"));
    assert_eq!(oldest["router_versions"], serde_json::json!(["2025-11-18", "2025-08-07", "2025-05-19"]));

    wd.assert_plan_empty();
}
