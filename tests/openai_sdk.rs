//! The official `openai` Python package against the emulated model router, as Microsoft's model router how-to uses
//! it: `AzureOpenAI` (endpoint + api-version) and `OpenAI` (`<endpoint>openai/v1/`, the account key as API key);
//! chat completions, streaming, a tool call round trip and the Responses API answer from the router's subset, and
//! follow it when Terraform changes the subset. The Python side (`tests/sdk/openai_clients.py`) reports what each
//! client saw; the assertions are here.
//!
//! Needs the `openai` package, so the test is ignored by default; `scripts/test.sh` runs it when `$OPENAI_PYTHON`
//! (or `python3`) imports openai and reports it as skipped otherwise.

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{Value, json};
use support::{ACCOUNT, TestEmulator, Workdir};

const DEPLOYMENT: &str = "model-router-sdk";

fn router_config(emu: &TestEmulator, mode: &str, models: &[&str]) -> String {
    let models: String = models.iter().map(|m| format!("    model {{ name = \"{m}\" }}\n")).collect();
    format!(
        "{}\nresource \"modelrouter_deployment\" \"r\" {{\n  name                 = \"{DEPLOYMENT}\"\n  cognitive_account_id = \"{ACCOUNT}\"\n  routing {{\n    mode = \"{mode}\"\n{models}  }}\n}}\n",
        emu.provider_block()
    )
}

/// The router's routed models as Azure spells them in `model` (name-version), from the Terraform state.
fn routed_names(wd: &Workdir) -> BTreeSet<String> {
    let show = wd.show();
    let router = show["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["type"] == "modelrouter_deployment"))
        .expect("the router in state")
        .clone();
    router["values"]["routed_models"]
        .as_array()
        .expect("routed_models")
        .iter()
        .map(|m| format!("{}-{}", m["name"].as_str().unwrap(), m["version"].as_str().unwrap()))
        .collect()
}

/// Runs the SDK script against the router and returns its report.
fn run_sdk(emu: &TestEmulator, key: &str, expect_paused: bool) -> Value {
    let python = std::env::var("OPENAI_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sdk/openai_clients.py");
    let output = std::process::Command::new(&python)
        .arg(&script)
        .env("ENDPOINT", format!("{}/accounts/foundry-acc/", emu.emulator.base_url()))
        .env("API_KEY", key)
        .env("DEPLOYMENT", DEPLOYMENT)
        .env("API_VERSION", "2025-04-01-preview")
        .env("EXPECT_PAUSED", if expect_paused { "1" } else { "0" })
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .unwrap_or_else(|e| panic!("run {python}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the openai SDK script failed:\n{}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// Every answer of one client's report comes from `allowed`; returns the models seen.
fn assert_client_answers(client: &str, report: &Value, allowed: &BTreeSet<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut check = |what: &str, model: &Value| {
        let model = model.as_str().unwrap_or_else(|| panic!("{client} {what}: no model in {report}"));
        assert!(allowed.contains(model), "{client} {what}: {model} is not one of the router's models {allowed:?}");
        seen.insert(model.to_owned());
    };
    for answer in report["chat"].as_array().expect("chat answers") {
        check("chat", &answer["model"]);
        let model = answer["model"].as_str().unwrap();
        assert!(answer["text"].as_str().unwrap().contains(model), "{client}: {answer}");
        assert_eq!(
            answer["total_tokens"].as_u64(),
            Some(answer["prompt_tokens"].as_u64().unwrap() + answer["completion_tokens"].as_u64().unwrap())
        );
        assert!(answer["cached_tokens"].is_u64() && answer["reasoning_tokens"].is_u64(), "{client}: {answer}");
    }
    let stream = &report["stream"];
    let models = stream["models"].as_array().expect("stream models");
    assert_eq!(models.len(), 1, "{client}: one model answers a whole stream: {stream}");
    check("stream", &models[0]);
    assert!(stream["text"].as_str().unwrap().contains(models[0].as_str().unwrap()), "{client}: {stream}");
    assert_eq!(stream["usage_chunk_has_no_choices"], true, "{client}: the last chunk carries usage: {stream}");
    assert!(stream["total_tokens"].as_u64().unwrap() > 0);

    let tool = &report["tool"];
    assert_eq!(tool["finish_reason"], "tool_calls", "{client}: {tool}");
    assert_eq!(tool["function"], "get_weather");
    assert_eq!(tool["arguments"], json!({"location": "Paris"}));
    for model in tool["models"].as_array().unwrap() {
        check("tool", model);
    }
    assert_eq!(tool["final_finish_reason"], "stop");
    assert!(tool["final_text"].as_str().unwrap().contains("18 degrees and sunny"), "{client}: {tool}");

    let responses = &report["responses"];
    check("responses", &responses["model"]);
    assert!(responses["output_text"].as_str().unwrap().contains(responses["model"].as_str().unwrap()));
    assert!(responses["cached_tokens"].is_u64() && responses["reasoning_tokens"].is_u64(), "{client}: {responses}");
    check("responses stream", &responses["stream_model"]);
    let events: Vec<&str> =
        responses["stream_events"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
    assert_eq!((events.first(), events.last()), (Some(&"response.created"), Some(&"response.completed")), "{client}");
    assert!(!responses["stream_text"].as_str().unwrap().is_empty());
    assert_eq!(responses["stream_text"], responses["stream_output_text"], "{client}: deltas add up to output_text");

    let errors = &report["errors"];
    assert_eq!(errors["wrong_key"]["status"], 401, "{client}: {errors}");
    assert_eq!(errors["wrong_key"]["type"], "AuthenticationError");
    assert_eq!(errors["unknown_deployment"]["status"], 404, "{client}: {errors}");
    assert_eq!(errors["unknown_deployment"]["code"], "DeploymentNotFound");
    seen
}

#[test]
#[ignore = "needs the openai Python package; scripts/test.sh runs it when importable"]
fn official_sdk_clients_answer_from_the_subset_terraform_sets() {
    let emu = TestEmulator::start();
    let wd = Workdir::new(&router_config(&emu, "balanced", &["gpt-5-mini", "gpt-4.1", "gpt-5"]));
    wd.init();
    wd.apply();
    let (key1, _) = emu.account_keys();

    let first_subset = routed_names(&wd);
    assert_eq!(first_subset.len(), 3, "{first_subset:?}");
    let report = run_sdk(&emu, &key1, false);
    let mut seen = BTreeSet::new();
    for client in ["azure", "v1"] {
        seen.extend(assert_client_answers(client, &report[client], &first_subset));
    }
    assert!(seen.len() > 1, "a balanced router spreads the SDK's prompts over its subset: {seen:?}");

    // Terraform narrows the subset to other models: from the next request on, only they answer.
    wd.write("main.tf", &router_config(&emu, "cost", &["gpt-5-nano", "o4-mini"]));
    wd.apply();
    wd.assert_plan_empty();
    let second_subset = routed_names(&wd);
    assert!(first_subset.is_disjoint(&second_subset), "{first_subset:?} {second_subset:?}");
    let report = run_sdk(&emu, &key1, false);
    for client in ["azure", "v1"] {
        assert_client_answers(client, &report[client], &second_subset);
    }

    // Paused outside Terraform (the portal's pause): both clients get 423 on both APIs.
    let id = TestEmulator::deployment_id(DEPLOYMENT);
    assert!(emu.emulator.patch_deployment(&id, json!({"properties": {"deploymentState": "Paused"}})));
    let report = run_sdk(&emu, &key1, true);
    for client in ["azure", "v1"] {
        for api in ["chat", "responses"] {
            assert_eq!(report[client][api]["status"], 423, "{client} {api}: {report}");
            assert_eq!(report[client][api]["code"], "DeploymentPaused", "{client} {api}: {report}");
        }
    }
    assert!(emu.emulator.patch_deployment(&id, json!({"properties": {"deploymentState": "Running"}})));
    wd.destroy();
}
