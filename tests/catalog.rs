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

// ---- Plan-time rules from the catalog, with the real terraform against the emulator ----------------------------

use support::{ACCOUNT, TestEmulator};

fn router_workdir(emu: &TestEmulator, provider_extra: &str, body: &str) -> Workdir {
    let provider = emu.provider_block().replacen(
        "provider \"modelrouter\" {\n",
        &format!("provider \"modelrouter\" {{\n{provider_extra}"),
        1,
    );
    let wd = Workdir::new(&format!(
        "{provider}\nresource \"modelrouter_deployment\" \"r\" {{\n  name                 = \"catalog-router\"\n  cognitive_account_id = \"{ACCOUNT}\"\n{body}\n}}\n"
    ));
    wd.init();
    wd
}

fn subset(models: &[&str]) -> String {
    let blocks: String = models.iter().map(|m| format!("    model {{ name = \"{m}\" }}\n")).collect();
    format!("  routing {{\n{blocks}  }}")
}

#[test]
fn current_models_apply_and_retired_ones_fail_at_plan_saying_so() {
    let emu = TestEmulator::start();
    let wd = router_workdir(&emu, "", &subset(&["gpt-5.6-sol", "grok-4-1-fast-reasoning"]));
    wd.apply();
    wd.assert_plan_empty();
    wd.destroy();
    for retired in ["gpt-5-chat", "grok-4-fast-reasoning"] {
        let emu = TestEmulator::start();
        let wd = router_workdir(&emu, "", &subset(&[retired, "gpt-5"]));
        let out = wd.plan(&[]);
        assert_eq!(out.code, 1, "{out:?}");
        let text = out.text();
        assert!(text.contains("Retired model in the routing subset") && text.contains("was retired"), "{out:?}");
        assert!(text.contains(retired), "{out:?}");
        assert!(emu.writes().is_empty(), "a failed plan wrote");
    }
}

#[test]
fn a_retired_router_version_fails_for_a_new_router_and_warns_for_an_existing_one() {
    let emu = TestEmulator::start();
    let wd = router_workdir(&emu, "", "  router_version = \"2025-05-19\"");
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.text().contains("Retired router version") && out.text().contains("2025-05-19"), "{out:?}");
    assert!(emu.writes().is_empty());

    // A router created on that version before it retired, now imported: it plans, with the warning.
    emu.emulator.seed_deployment(
        &TestEmulator::deployment_id("catalog-router"),
        serde_json::json!({"sku": {"name": "GlobalStandard", "capacity": 10},
            "properties": {"model": {"format": "OpenAI", "name": "model-router", "version": "2025-05-19"},
                           "raiPolicyName": "Microsoft.DefaultV2", "versionUpgradeOption": "OnceNewDefaultVersionAvailable"}}),
    );
    wd.ok(&["import", "-no-color", "modelrouter_deployment.r", &TestEmulator::deployment_id("catalog-router")]);
    let out = wd.plan(&[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.text().contains("Retired router version"), "{out:?}");
}

#[test]
fn a_fireworks_model_gives_the_feature_diagnostic() {
    let emu = TestEmulator::start();
    let wd = router_workdir(&emu, "", &subset(&["FW-GLM-5.3", "gpt-5"]));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.text().contains("Fireworks.EnableDeploy"), "{out:?}");
}

#[test]
fn a_catalog_file_makes_a_new_model_plannable_and_a_malformed_one_fails_at_configure() {
    let emu = TestEmulator::start();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        file.path(),
        "table_revision = \"2026-11-11\"\n\n[[router_versions]]\nversion = \"2025-11-18\"\nmodels = [\n  { format = \"OpenAI\", name = \"gpt-6-nova\", version = \"2026-11-01\" },\n]\n",
    )
    .unwrap();
    let extra = format!("  catalog_file = \"{}\"\n", file.path().display());
    let wd = router_workdir(&emu, &extra, &subset(&["gpt-6-nova", "gpt-5"]));
    wd.apply();
    wd.assert_plan_empty();
    let put = emu.requests("PUT")[0].body.clone().unwrap();
    assert!(
        put.to_string().contains("\"gpt-6-nova\",\"version\":\"2026-11-01\"") || put.to_string().contains("2026-11-01"),
        "{put}"
    );

    let bad = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(bad.path(), "table_revision = \"2026-11-11\"\n[[router_versions]]\nversion = 2025\n").unwrap();
    let extra = format!("  catalog_file = \"{}\"\n", bad.path().display());
    let emu = TestEmulator::start();
    let wd = router_workdir(&emu, &extra, &subset(&["gpt-5", "gpt-5-mini"]));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    let text = out.text();
    assert!(
        text.contains("Invalid catalog file") && text.contains("catalog_file") && text.contains("line 3"),
        "{out:?}"
    );
    assert!(emu.writes().is_empty());
}
