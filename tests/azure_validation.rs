//! Azure's own preflight at plan, through the real `terraform` against the emulator's template validation: a body
//! the service refuses by a rule the provider does not know fails the plan with Azure's inner code and message and
//! nothing written; a no-op plan asks Azure nothing; unknown values wait for the apply's own plan; a router created
//! with its Claude dependency still plans and applies; and when Azure cannot answer (403, a validation that never
//! finishes) the plan succeeds with a warning saying so.

mod support;

use std::time::{Duration, Instant};

use modelrouter_emulator::{ModelOffer, Offers, RecordedRequest, ServiceRule, SkuOffer, ValidationSettings};
use serde_json::json;
use support::{ACCOUNT, TestEmulator};

/// The refusal only the "service" knows: a retired content filter.
const RETIRED_POLICY: &str = "Legacy-Filter";
const RULE_CODE: &str = "RaiPolicyRetired";
const RULE_MESSAGE: &str = "The content filter 'Legacy-Filter' was retired; choose another policy.";

fn retired_policy_rule() -> ServiceRule {
    ServiceRule {
        pointer: "/properties/raiPolicyName".into(),
        equals: json!(RETIRED_POLICY),
        code: RULE_CODE.into(),
        message: RULE_MESSAGE.into(),
        target: Some("properties.raiPolicyName".into()),
    }
}

fn emulator(validation: ValidationSettings) -> TestEmulator {
    TestEmulator::start_with(|o| o.settings.validation = validation)
}

fn router(rai_policy: &str, extra: &str) -> String {
    format!(
        r#"
resource "modelrouter_deployment" "r" {{
  name                 = "validated-router"
  cognitive_account_id = "{ACCOUNT}"
  rai_policy_name      = {rai_policy}
{extra}
}}
"#
    )
}

/// The template validations the emulator answered.
fn validations(emu: &TestEmulator) -> Vec<RecordedRequest> {
    emu.requests("POST").into_iter().filter(|r| r.path.to_ascii_lowercase().ends_with("/validate")).collect()
}

/// The deployment writes (template validation is a POST, never a write).
fn deployment_writes(emu: &TestEmulator) -> Vec<RecordedRequest> {
    emu.writes().into_iter().filter(|r| r.path.contains("/deployments/")).collect()
}

#[test]
fn a_rule_only_the_service_knows_fails_the_plan_with_azures_words_and_the_fixed_configuration_applies() {
    let emu = emulator(ValidationSettings { service_rule: Some(retired_policy_rule()), ..Default::default() });
    let wd = emu.workdir(&router(&format!("\"{RETIRED_POLICY}\""), ""));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "Azure's refusal fails the plan:\n{out:?}");
    let text = out.text();
    assert!(text.contains(RULE_CODE) && text.contains(RULE_MESSAGE), "Azure's inner code and message:\n{out:?}");
    assert!(text.contains("rai_policy_name"), "on the attribute the inner error names:\n{out:?}");
    assert_eq!(validations(&emu).len(), 1, "one validation per resource per plan");
    assert!(deployment_writes(&emu).is_empty(), "a failed plan wrote: {:?}", deployment_writes(&emu));

    emu.set_resources(&wd, &router("\"Microsoft.DefaultV2\"", ""));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    wd.apply();
    let before = validations(&emu).len();
    wd.assert_plan_empty();
    let out = wd.ok(&["plan", "-refresh-only", "-no-color", "-input=false", "-detailed-exitcode"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(validations(&emu).len(), before, "no-op plans ask Azure nothing");
}

#[test]
fn an_update_asks_azure_about_exactly_the_body_the_apply_puts() {
    let emu = TestEmulator::start();
    let capacity = |n: u32| format!("  sku {{\n    capacity = {n}\n  }}");
    let wd = emu.workdir(&router("\"Microsoft.DefaultV2\"", &capacity(10)));
    wd.apply();
    emu.emulator.clear_requests();
    wd.assert_plan_empty();
    assert!(validations(&emu).is_empty(), "a no-op plan makes no validate call");

    emu.set_resources(&wd, &router("\"Microsoft.DefaultV2\"", &capacity(12)));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(validations(&emu).len(), 1, "{:?}", validations(&emu));
    wd.apply();
    let put = emu.requests("PUT").pop().expect("the update's PUT");
    let validated = validations(&emu).pop().expect("a validation");
    let template = validated.body.expect("a validation body");
    let resources = template["properties"]["template"]["resources"].as_array().expect("template resources");
    assert_eq!(resources.len(), 1, "{template}");
    let mut resource = resources[0].clone();
    assert_eq!(resource["type"], "Microsoft.CognitiveServices/accounts/deployments");
    assert_eq!(resource["name"], "foundry-acc/validated-router");
    let put_api_version = put.query.strip_prefix("api-version=").expect("the PUT's api-version");
    assert_eq!(resource["apiVersion"], put_api_version, "the deployments api-version of the PUT");
    let mut sent = put.body.expect("the PUT body");
    for template_only in ["type", "apiVersion", "name"] {
        resource.as_object_mut().unwrap().remove(template_only);
    }
    for read_only in ["id", "name", "type", "etag", "systemData"] {
        sent.as_object_mut().unwrap().remove(read_only);
    }
    assert_eq!(resource, sent, "the validated body is the body the apply PUT");
    assert_eq!(sent["sku"]["capacity"], 12);

    // A replacement is validated once, as the create Terraform plans for it, never as an update of the old one.
    emu.emulator.clear_requests();
    let renamed = router("\"Microsoft.DefaultV2\"", &capacity(12)).replace("validated-router", "renamed-router");
    emu.set_resources(&wd, &renamed);
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    let validated = validations(&emu);
    assert_eq!(validated.len(), 1, "{validated:?}");
    let resource = &validated[0].body.as_ref().unwrap()["properties"]["template"]["resources"][0];
    assert_eq!(resource["name"], "foundry-acc/renamed-router");
    assert!(resource.get("etag").is_none() && resource["properties"].get("provisioningState").is_none());
}

#[test]
fn unknown_values_wait_for_the_apply_where_azure_refuses_before_the_write() {
    let emu = emulator(ValidationSettings { service_rule: Some(retired_policy_rule()), ..Default::default() });
    let config = format!(
        "resource \"terraform_data\" \"policy\" {{\n  input = \"{RETIRED_POLICY}\"\n}}\n{}",
        router("terraform_data.policy.output", "")
    );
    let wd = emu.workdir(&config);
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "the body is not known at plan, so Azure is not asked:\n{out:?}");
    assert!(validations(&emu).is_empty(), "{:?}", validations(&emu));
    let out = wd.run(&["apply", "-no-color", "-auto-approve", "-input=false"]);
    assert_eq!(out.code, 1, "the apply's own plan of the router asks Azure, which refuses:\n{out:?}");
    assert!(out.text().contains(RULE_CODE) && out.text().contains(RULE_MESSAGE), "{out:?}");
    assert_eq!(validations(&emu).len(), 1, "asked once, with the value known");
    assert!(deployment_writes(&emu).is_empty(), "refused before the write: {:?}", deployment_writes(&emu));
}

#[test]
fn a_router_and_the_claude_deployment_it_routes_to_plan_and_apply_together() {
    let emu = TestEmulator::start();
    let config = format!(
        r#"
resource "modelrouter_claude_dependency" "sonnet" {{
  cognitive_account_id = "{ACCOUNT}"
  model                = "claude-sonnet-4-5"
  model_provider_data {{
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "Technology"
  }}
}}

resource "modelrouter_deployment" "router" {{
  name                 = "router-with-claude"
  cognitive_account_id = "{ACCOUNT}"
  routing {{
    mode = "quality"
    model {{ name = "claude-sonnet-4-5" }}
    model {{ name = "gpt-5" }}
  }}
  depends_on = [modelrouter_claude_dependency.sonnet]
}}
"#
    );
    let wd = emu.workdir(&config);
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    let text = out.text();
    assert!(text.contains("Azure did not validate the router yet"), "says what waits:\n{out:?}");
    assert!(text.contains("claude-sonnet-4-5") && text.contains("InvalidResourceProperties"), "and why:\n{out:?}");
    let mut validated: Vec<String> = validations(&emu)
        .iter()
        .map(|r| r.body.as_ref().unwrap()["properties"]["template"]["resources"][0]["name"].to_string())
        .collect();
    validated.sort();
    assert_eq!(validated, ["\"foundry-acc/claude-sonnet-4-5\"", "\"foundry-acc/router-with-claude\""], "both asked");
    wd.apply();
    wd.assert_plan_empty();
}

#[test]
fn where_the_provider_explains_a_refusal_the_error_carries_its_advice_and_azures_words() {
    let usage = "OpenAI.GlobalStandard.model-router";
    let offers = Offers {
        models: vec![ModelOffer {
            name: "model-router".into(),
            version: "2025-11-18".into(),
            skus: vec![SkuOffer { usage_name: usage.into(), maximum: Some(100), ..Default::default() }],
            ..Default::default()
        }],
        ..Offers::default()
    };
    let rule = ServiceRule {
        pointer: "/sku/capacity".into(),
        equals: json!(150),
        code: "InvalidCapacity".into(),
        message: "The capacity 150 exceeds what the SKU allows.".into(),
        target: Some("sku.capacity".into()),
    };
    let emu = TestEmulator::start_with(|o| {
        o.settings.offers = offers;
        o.settings.validation.service_rule = Some(rule);
    });
    let wd = emu.workdir(&router("\"Microsoft.DefaultV2\"", "  sku {\n    capacity = 150\n  }"));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    let text = out.text();
    assert_eq!(text.matches("Error:").count(), 1, "one diagnostic carries both:\n{out:?}");
    assert!(text.contains("sku.capacity") && text.contains("100"), "the provider's advice:\n{out:?}");
    assert!(text.contains("InvalidCapacity: The capacity 150 exceeds what the SKU allows."), "Azure's words:\n{out:?}");
    assert!(deployment_writes(&emu).is_empty());
}

fn plans_with_a_warning(validation: ValidationSettings, needles: &[&str]) {
    let emu = emulator(ValidationSettings { service_rule: Some(retired_policy_rule()), ..validation });
    let wd = emu.workdir(&router(&format!("\"{RETIRED_POLICY}\""), ""));
    let started = Instant::now();
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "the plan succeeds:\n{out:?}");
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
    let text = out.text();
    assert!(text.contains("Warning: Azure did not validate the deployment"), "{out:?}");
    for needle in needles {
        assert!(text.contains(needle), "the warning lacks {needle:?}:\n{out:?}");
    }
    assert!(!validations(&emu).is_empty(), "Azure was asked");
    assert!(deployment_writes(&emu).is_empty());
}

#[test]
fn when_azure_may_not_or_does_not_answer_the_plan_succeeds_with_a_warning() {
    plans_with_a_warning(
        ValidationSettings { forbid: true, ..Default::default() },
        &["403", "Microsoft.Resources/deployments/validate/action"],
    );
    plans_with_a_warning(ValidationSettings { never_finishes: true, ..Default::default() }, &["did not finish"]);
}

#[test]
fn a_long_running_validation_is_followed_to_its_answer() {
    let emu = emulator(ValidationSettings {
        long_running: true,
        service_rule: Some(retired_policy_rule()),
        ..Default::default()
    });
    let wd = emu.workdir(&router(&format!("\"{RETIRED_POLICY}\""), ""));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.text().contains(RULE_CODE) && out.text().contains(RULE_MESSAGE), "{out:?}");
    let polls = emu.requests("GET").into_iter().filter(|r| r.path.starts_with("/validateResults/")).count();
    assert!(polls >= 1, "the 202 was followed");
    emu.set_resources(&wd, &router("\"Microsoft.DefaultV2\"", ""));
    wd.apply();
    assert!(deployment_writes(&emu).len() == 1, "{:?}", deployment_writes(&emu));
}

#[test]
fn a_claude_deployment_that_cannot_serve_the_router_fails_the_plan_with_the_providers_advice_and_azures_words() {
    let emu = TestEmulator::start();
    emu.emulator.seed_deployment(
        &TestEmulator::deployment_id("claude-sonnet-4-5"),
        json!({
            "sku": {"name": "GlobalStandard", "capacity": 1},
            "properties": {"model": {"format": "Anthropic", "name": "claude-sonnet-4-5", "version": "20250929"}},
        }),
    );
    let router = format!(
        r#"
resource "modelrouter_deployment" "router" {{
  name                 = "router-datazone"
  cognitive_account_id = "{ACCOUNT}"
  sku {{
    name = "DataZoneStandard"
  }}
  routing {{
    model {{ name = "claude-sonnet-4-5" }}
  }}
}}
"#
    );
    let wd = emu.workdir(&router);
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    let text = out.text();
    assert!(text.contains("Claude deployment cannot serve the router"), "{out:?}");
    assert!(text.contains("set sku.name = \"DataZoneStandard\""), "the provider's advice:\n{out:?}");
    assert!(text.contains("Azure's own validation refuses the body too: InvalidResourceProperties"), "{out:?}");
    assert!(deployment_writes(&emu).is_empty());
}
