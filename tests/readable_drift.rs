//! Drift a reviewer can read, through the real `terraform`: a one-model portal edit to a router's subset shows as a
//! short diff naming `routing` and the model (`routed_models` is a set, so one model is one element, never a shift
//! of every element after it), and state written when `routed_models` was a list still loads without a diff.

mod support;

use serde_json::json;
use support::{ACCOUNT, TestEmulator, Workdir};

const SUBSET: [&str; 6] = ["gpt-5.4", "gpt-5.2", "gpt-5", "gpt-5-mini", "gpt-4.1", "gpt-4o"];

fn router() -> String {
    let models: String = SUBSET.iter().map(|m| format!("    model {{ name = \"{m}\" }}\n")).collect();
    format!(
        "resource \"modelrouter_deployment\" \"r\" {{\n  name                 = \"readable\"\n  cognitive_account_id = \"{ACCOUNT}\"\n  routing {{\n    mode = \"balanced\"\n{models}  }}\n}}\n"
    )
}

/// The lines of a plan's diff: from the first resource header to the summary line.
fn diff_lines(plan: &str) -> Vec<&str> {
    let lines: Vec<&str> = plan.lines().collect();
    let start = lines.iter().position(|l| l.trim_start().starts_with("# modelrouter_deployment")).expect("a diff");
    let end = lines.iter().position(|l| l.starts_with("Plan:") || l.starts_with("This is a refresh-only plan"));
    lines[start..end.unwrap_or(lines.len())].to_vec()
}

#[test]
fn a_one_model_portal_edit_is_a_short_diff_naming_routing_and_the_model() {
    let emu = TestEmulator::start();
    let wd = Workdir::new(&format!("{}\n{}", emu.provider_block(), router()));
    wd.init();
    wd.apply();
    wd.assert_plan_empty();

    // In the portal, someone removes gpt-5 from the subset.
    let id = TestEmulator::deployment_id("readable");
    let stored = emu.stored("readable").expect("the router");
    let kept: Vec<serde_json::Value> = stored["properties"]["routing"]["models"]
        .as_array()
        .expect("a subset")
        .iter()
        .filter(|m| m["name"] != "gpt-5")
        .cloned()
        .collect();
    assert_eq!(kept.len(), SUBSET.len() - 1);
    assert!(emu.emulator.patch_deployment(&id, json!({"properties": {"routing": {"models": kept}}})));

    for (label, extra) in [("plan", &[][..]), ("plan -refresh-only", &["-refresh-only"][..])] {
        let out = wd.plan(extra);
        assert_eq!(out.code, 2, "{label}: {out:?}");
        let diff = diff_lines(&out.stdout);
        let text = diff.join("\n");
        assert!(diff.len() < 40, "{label}: the diff has {} lines:\n{text}", diff.len());
        assert!(text.contains("routing"), "{label} names routing:\n{text}");
        assert!(text.contains("\"gpt-5\""), "{label} names the model:\n{text}");
        for untouched in ["gpt-5.4", "gpt-4o"] {
            assert!(!text.contains(&format!("\"{untouched}\"")), "{label} shows the unchanged {untouched}:\n{text}");
        }
        eprintln!("{label}: {} diff lines", diff.len());
    }
    wd.apply();
    wd.assert_plan_empty();
}

/// State that an earlier release wrote with `routed_models` as a list (in any order) loads as the set it now is:
/// no diff, no refresh-only drift.
#[test]
fn list_shaped_routed_models_in_existing_state_load_without_a_diff() {
    let emu = TestEmulator::start();
    let wd = Workdir::new(&format!("{}\n{}", emu.provider_block(), router()));
    wd.init();
    wd.apply();
    let mut state: serde_json::Value = serde_json::from_str(&wd.ok(&["state", "pull"]).stdout).expect("state JSON");
    let attributes = &mut state["resources"][0]["instances"][0]["attributes"];
    let routed = attributes["routed_models"].as_array_mut().expect("routed_models as a JSON array");
    assert_eq!(routed.len(), SUBSET.len());
    routed.reverse(); // an order a list kept and a set does not have
    state["serial"] = json!(state["serial"].as_i64().unwrap_or(0) + 1);
    wd.write("old.tfstate", &state.to_string());
    wd.ok(&["state", "push", "old.tfstate"]);
    wd.assert_plan_empty();
    let refresh_only = wd.plan(&["-refresh-only"]);
    assert_eq!(refresh_only.code, 0, "{refresh_only:?}");
}
