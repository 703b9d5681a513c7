//! Azure's published API, with the real `terraform` against the emulator: one GA api-version for every call (and
//! the fallback of an unpinned provider in a cloud that lags), tags and default tags, the deployment state, the
//! provisioning state as visible drift, and updates that lose nothing a portal edit set between the provider's read
//! and its write. (Every acceptance test also checks, in the shared harness, that no PUT carried a read-only field
//! and that a no-op refresh leaves private state unchanged.)

mod support;

use serde_json::json;
use support::{ACCOUNT, REQUIRED_PROVIDERS, TOKEN, TestEmulator, Workdir};

const CLAUDE: &str = "claude-sonnet-4-5";

fn emulator_refusing(versions: &[&str]) -> TestEmulator {
    TestEmulator::start_with(|options| {
        options.settings.api_versions.refuse_previews = true;
        options.settings.api_versions.refused = versions.iter().map(|v| v.to_string()).collect();
        // The ephemeral key configures a second provider block; any bearer token passes.
        options.static_token = None;
    })
}

fn provider(emu: &TestEmulator, extra: &str) -> String {
    format!(
        "{REQUIRED_PROVIDERS}\nprovider \"modelrouter\" {{\n  resource_manager_endpoint = \"{}\"\n  access_token              = \"{TOKEN}\"\n{extra}\n}}\n",
        emu.emulator.base_url()
    )
}

fn claude(extra: &str) -> String {
    format!(
        r#"
resource "modelrouter_claude_dependency" "sonnet" {{
  cognitive_account_id = "{ACCOUNT}"
  model                = "{CLAUDE}"
{extra}
  model_provider_data {{
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "technology"
  }}
}}
"#
    )
}

fn router(capacity: u32, extra: &str) -> String {
    format!(
        r#"
resource "modelrouter_deployment" "router" {{
  name                 = "router"
  cognitive_account_id = "{ACCOUNT}"
  sku {{
    capacity = {capacity}
  }}
  routing {{
    mode = "quality"
    model {{ name = modelrouter_claude_dependency.sonnet.model }}
    model {{ name = "gpt-5-mini" }}
  }}
{extra}
}}
"#
    )
}

/// The data source and the ephemeral keys (used by a second provider block that reads the router again).
fn readers(emu: &TestEmulator) -> String {
    format!(
        r#"
data "modelrouter_deployment" "router" {{
  id = modelrouter_deployment.router.id
}}

ephemeral "modelrouter_account_keys" "keys" {{
  cognitive_account_id = "{ACCOUNT}"
}}

provider "modelrouter" {{
  alias                     = "with_key"
  resource_manager_endpoint = "{}"
  access_token              = ephemeral.modelrouter_account_keys.keys.key1
}}

data "modelrouter_deployment" "through_key" {{
  provider = modelrouter.with_key
  id       = modelrouter_deployment.router.id
}}

output "router_state" {{
  value = data.modelrouter_deployment.router.deployment_state
}}
"#,
        emu.emulator.base_url()
    )
}

/// A Claude dependency and a router routing to it, applied.
fn deployed(emu: &TestEmulator) -> Workdir {
    let wd = Workdir::new(&format!("{}{}{}", provider(emu, ""), claude(""), router(10, "")));
    wd.init();
    wd.apply();
    wd
}

fn paths_with(emu: &TestEmulator, fragment: &str) -> usize {
    emu.emulator.requests().iter().filter(|r| r.path.contains(fragment)).count()
}

#[test]
fn with_every_preview_retired_the_default_creates_plans_updates_and_destroys() {
    let emu = emulator_refusing(&[]);
    let resources = |capacity| format!("{}{}{}", claude(""), router(capacity, ""), readers(&emu));
    let wd = Workdir::new(&format!("{}{}", provider(&emu, ""), resources(10)));
    wd.init();
    wd.apply();
    assert_eq!(wd.outputs()["router_state"]["value"], "Running");
    wd.assert_plan_empty();
    wd.write("main.tf", &format!("{}{}", provider(&emu, ""), resources(20)));
    wd.apply();
    assert_eq!(emu.stored("router").unwrap()["sku"]["capacity"], 20);
    wd.assert_plan_empty();
    wd.destroy();
    assert!(emu.deployment_names().is_empty());

    // Azure's validation of the router at plan may refuse it while its Claude dependency is only planned (a
    // warning); nothing else may be refused.
    let refused: Vec<_> = emu
        .emulator
        .requests()
        .into_iter()
        .filter(|r| r.status == 400 && !support::is_template_validation(r))
        .collect();
    assert!(refused.is_empty(), "requests refused: {refused:?}");
    assert_eq!(emu.api_versions_used(), ["2026-09-01".to_owned()].into(), "one GA version for every call");
    // What the default reached: deployments, the account, listKeys, and the plan-time models and usages lists.
    for fragment in ["/deployments/router", "/deployments/claude-sonnet-4-5", "/listKeys", "/models", "/usages"] {
        assert!(paths_with(&emu, fragment) > 0, "no request to {fragment}");
    }
    assert!(emu.requests("GET").iter().any(|r| r.path.ends_with("/accounts/foundry-acc")), "the account read");
}

#[test]
fn a_pinned_api_version_is_used_for_every_request() {
    let emu = emulator_refusing(&[]);
    let pinned = provider(&emu, "  api_version = \"2026-03-01\"");
    let wd = Workdir::new(&format!("{pinned}{}{}{}", claude(""), router(10, ""), readers(&emu)));
    wd.init();
    wd.apply();
    wd.assert_plan_empty();
    wd.destroy();
    // The second provider block (configured with the key) is not pinned: it only reads, for its data source.
    let by_key: Vec<_> = emu
        .emulator
        .requests()
        .into_iter()
        .filter(|r| r.query.contains("api-version=2026-09-01"))
        .filter(|r| r.bearer_token.as_deref() != Some(TOKEN))
        .collect();
    let pinned_requests: Vec<_> =
        emu.emulator.requests().into_iter().filter(|r| r.bearer_token.as_deref() == Some(TOKEN)).collect();
    assert!(!pinned_requests.is_empty());
    assert!(pinned_requests.iter().any(support::is_template_validation), "Azure's validation at plan");
    for request in &pinned_requests {
        assert!(
            support::cognitive_services_api_version(request).as_deref() == Some("2026-03-01"),
            "{} {}?{}",
            request.method,
            request.path,
            request.query
        );
    }
    assert!(!by_key.is_empty() && by_key.iter().all(|r| r.method == "GET"), "{by_key:?}");
}

#[test]
fn in_a_cloud_without_the_default_an_unpinned_provider_falls_back_and_a_pinned_one_fails_with_azures_message() {
    let emu = emulator_refusing(&["2026-09-01"]);
    let wd = Workdir::new(&format!("{}{}{}", provider(&emu, ""), claude(""), router(10, "")));
    wd.init();
    wd.apply();
    wd.assert_plan_empty();
    let used = emu.api_versions_used();
    assert!(used.contains("2026-07-01"), "the newest GA version the cloud lists: {used:?}");
    assert!(used.iter().all(|v| v == "2026-07-01" || v == "2026-09-01"), "{used:?}");
    let refusals = emu.emulator.requests().iter().filter(|r| r.status == 400).count();
    assert!(refusals >= 1, "the default was tried first");
    wd.destroy();

    emu.emulator.clear_requests();
    let pinned = Workdir::new(&format!("{}{}", provider(&emu, "  api_version = \"2026-09-01\""), claude("")));
    pinned.init();
    let out = pinned.run(&["apply", "-no-color", "-auto-approve", "-input=false"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        emu.requests("PUT").iter().all(|r| r.query.contains("2026-09-01") && r.status == 400),
        "never another version"
    );
    let text = out.text();
    assert!(text.contains("NoRegisteredProviderFound") && text.contains("2026-09-01"), "{out:?}");
}

#[test]
fn tags_and_default_tags_are_sent_merged_drift_is_repaired_and_removal_converges() {
    let emu = TestEmulator::start();
    let config = |defaults: &str, router_tags: &str, claude_tags: &str| {
        format!(
            "{}{}{}",
            provider(&emu, &format!("  default_tags = {{ {defaults} }}")),
            claude(claude_tags),
            router(10, router_tags)
        )
    };
    let wd = Workdir::new(&config(
        r#"cost-center = "42", env = "dev""#,
        r#"  tags = { env = "prod", team = "search" }"#,
        r#"  tags = { team = "models" }"#,
    ));
    wd.init();
    wd.apply();
    assert_eq!(emu.stored("router").unwrap()["tags"], json!({"cost-center": "42", "env": "prod", "team": "search"}));
    assert_eq!(emu.stored(CLAUDE).unwrap()["tags"], json!({"cost-center": "42", "env": "dev", "team": "models"}));
    wd.assert_plan_empty();

    // A tag changed in the portal is drift on tags_all, and apply writes the merge back.
    let router_id = TestEmulator::deployment_id("router");
    assert!(emu.emulator.patch_deployment(&router_id, json!({"tags": {"team": "ads", "owner": "someone"}})));
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.contains("tags_all"), "{out:?}");
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.contains("tags_all") && out.stdout.contains("update in-place"), "{out:?}");
    wd.apply();
    assert_eq!(emu.stored("router").unwrap()["tags"], json!({"cost-center": "42", "env": "prod", "team": "search"}));
    wd.assert_plan_empty();

    // Default tags change under unchanged resources: both are updated in place.
    wd.write(
        "main.tf",
        &config(
            r#"cost-center = "43""#,
            r#"  tags = { env = "prod", team = "search" }"#,
            r#"  tags = { team = "models" }"#,
        ),
    );
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.contains("2 to change"), "{out:?}");
    wd.apply();
    assert_eq!(emu.stored("router").unwrap()["tags"], json!({"cost-center": "43", "env": "prod", "team": "search"}));
    assert_eq!(emu.stored(CLAUDE).unwrap()["tags"], json!({"cost-center": "43", "team": "models"}));
    wd.assert_plan_empty();

    // Removing tags (and the defaults) removes them from Azure.
    wd.write("main.tf", &format!("{}{}{}", provider(&emu, ""), claude(""), router(10, "")));
    wd.apply();
    assert_eq!(emu.stored("router").unwrap()["tags"], json!({}));
    assert_eq!(emu.stored(CLAUDE).unwrap()["tags"], json!({}));
    wd.assert_plan_empty();
    let show = wd.show();
    let resources = show["values"]["root_module"]["resources"].as_array().unwrap();
    assert!(resources.iter().all(|r| r["values"]["tags_all"] == json!({})), "{resources:#?}");
}

#[test]
fn a_router_paused_out_of_band_is_drift_that_apply_resumes_and_paused_on_purpose_stays_paused() {
    let emu = TestEmulator::start();
    let wd = deployed(&emu);
    let router_id = TestEmulator::deployment_id("router");
    assert!(emu.emulator.patch_deployment(&router_id, json!({"properties": {"deploymentState": "Paused"}})));

    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.contains("deployment_state") && out.stdout.contains("\"Paused\" -> \"Running\""), "{out:?}");
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.contains("deployment_state"), "{out:?}");
    emu.emulator.clear_requests();
    wd.apply();
    assert_eq!(emu.stored("router").unwrap()["properties"]["deploymentState"], "Running");
    let posts: Vec<_> = emu.requests("POST").into_iter().map(|r| r.path).collect();
    assert!(posts.iter().any(|p| p.ends_with("/deployments/router/resume")), "{posts:?}");
    assert!(emu.requests("PUT").is_empty(), "only the state differed: no PUT");
    wd.assert_plan_empty();

    // On purpose: the router is paused, the Claude dependency too, and both stay so.
    let paused = |capacity| {
        let state = "  deployment_state = \"Paused\"";
        format!("{}{}{}", provider(&emu, ""), claude(state), router(capacity, state))
    };
    wd.write("main.tf", &paused(10));
    wd.apply();
    assert_eq!(emu.stored("router").unwrap()["properties"]["deploymentState"], "Paused");
    assert_eq!(emu.stored(CLAUDE).unwrap()["properties"]["deploymentState"], "Paused");
    wd.assert_plan_empty();
    // A paused router's update keeps it paused: the PUT never carries the state.
    wd.write("main.tf", &paused(12));
    wd.apply();
    let stored = emu.stored("router").unwrap();
    assert_eq!(
        (stored["sku"]["capacity"].clone(), stored["properties"]["deploymentState"].clone()),
        (json!(12), json!("Paused"))
    );
    assert!(
        emu.requests("PUT").iter().all(|r| r.body.as_ref().unwrap()["properties"].get("deploymentState").is_none())
    );
    wd.assert_plan_empty();
}

#[test]
fn a_failed_router_is_visible_drift_and_the_next_apply_repairs_it() {
    let emu = TestEmulator::start();
    let wd = deployed(&emu);
    let router_id = TestEmulator::deployment_id("router");
    assert!(emu.emulator.patch_deployment(&router_id, json!({"properties": {"provisioningState": "Failed"}})));

    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.contains("provisioning_state") && out.stdout.contains("\"Failed\""), "{out:?}");
    assert!(!out.stdout.contains("No changes"), "{out:?}");
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.text().contains("Azure reports the last operation did not succeed"), "{out:?}");
    // Only provisioning_state is left to the apply: the catalog still knows what the router routes to.
    assert!(out.stdout.contains("provisioning_state"), "{out:?}");
    assert!(
        !out.stdout.lines().any(|l| l.contains("routed_models") && l.contains("known after apply")),
        "routed_models stays known at plan: {out:?}"
    );
    emu.emulator.clear_requests();
    wd.apply();
    assert_eq!(emu.requests("PUT").len(), 1, "the configuration is sent again");
    assert_eq!(emu.stored("router").unwrap()["properties"]["provisioningState"], "Succeeded");
    wd.assert_plan_empty();
    // A no-op refresh written to state keeps every resource's private bytes.
    let private = wd.private_state();
    assert!(private.iter().any(|(_, bytes)| !bytes.is_empty()), "private state holds what Azure chose: {private:?}");
    wd.ok(&["apply", "-refresh-only", "-auto-approve", "-no-color", "-input=false"]);
    assert_eq!(wd.private_state(), private);
}

#[test]
fn a_portal_edit_between_the_providers_read_and_write_survives_a_saved_plan_update() {
    let emu = TestEmulator::start();
    let wd = deployed(&emu);
    wd.write("main.tf", &format!("{}{}{}", provider(&emu, ""), claude(""), router(25, "")));
    let out = wd.run(&["plan", "-no-color", "-input=false", "-out=update.tfplan"]);
    assert_eq!(out.code, 0, "{out:?}");

    // The portal sets fields the provider does not manage right after the provider's read, before its PUT.
    let edit = json!({"properties": {"spilloverDeploymentName": "router-overflow",
                                     "capacitySettings": {"designatedCapacity": 5, "priority": 1}}});
    // Twice: the apply plans the resource again (Azure's validation reads the deployment) before it writes.
    assert!(emu.emulator.edit_after_reads(&TestEmulator::deployment_id("router"), edit, 2));
    emu.emulator.clear_requests();
    wd.ok(&["apply", "-no-color", "-input=false", "update.tfplan"]);

    let stored = emu.stored("router").unwrap();
    assert_eq!(stored["sku"]["capacity"], 25, "the update is applied");
    assert_eq!(stored["properties"]["spilloverDeploymentName"], "router-overflow", "the edit survives");
    assert_eq!(stored["properties"]["capacitySettings"]["designatedCapacity"], 5);
    let puts = emu.requests("PUT");
    let statuses: Vec<u16> = puts.iter().map(|r| r.status).collect();
    let (last, stale) = statuses.split_last().expect("PUTs");
    assert!(
        *last == 200 && !stale.is_empty() && stale.iter().all(|s| *s == 412),
        "stale writes refused, the re-applied one went through: {statuses:?}"
    );
    assert!(puts.iter().all(|r| r.precondition.as_deref().is_some_and(|p| p.starts_with("if-match: \""))), "{puts:?}");
    wd.assert_plan_empty();
}

#[test]
fn a_deployment_that_keeps_changing_under_the_update_fails_it_after_bounded_retries_overwriting_nothing() {
    let emu = TestEmulator::start();
    let wd = deployed(&emu);
    wd.write("main.tf", &format!("{}{}{}", provider(&emu, ""), claude(""), router(30, "")));
    let id = TestEmulator::deployment_id("router");
    // Every read of the update (the first and each re-read) is followed by another portal edit.
    assert!(emu.emulator.edit_after_reads(&id, json!({"properties": {"spilloverDeploymentName": "busy"}}), 10));
    emu.emulator.clear_requests();
    let out = wd.run(&["apply", "-no-color", "-auto-approve", "-input=false", "-refresh=false"]);
    assert_eq!(out.code, 1, "{out:?}");
    let text = out.text();
    assert!(text.contains("Deployment changed during the update") && text.contains("4 times"), "{out:?}");
    let puts: Vec<u16> = emu.requests("PUT").iter().map(|r| r.status).collect();
    assert_eq!(puts, [412, 412, 412, 412], "one write and three re-applies, all refused");
    assert_eq!(emu.stored("router").unwrap()["sku"]["capacity"], 10, "nothing was overwritten");
}

#[test]
fn creates_never_replace_and_the_claude_dependency_takes_content_filter_upgrade_option_and_service_tier() {
    let emu = TestEmulator::start();
    let extra = r#"
  rai_policy_name        = "Microsoft.DefaultV2"
  version_upgrade_option = "NoAutoUpgrade"
  service_tier           = "Priority"
"#;
    let wd = Workdir::new(&format!("{}{}", provider(&emu, ""), claude(extra)));
    wd.init();
    wd.apply();
    let properties = emu.stored(CLAUDE).unwrap()["properties"].clone();
    assert_eq!(properties["raiPolicyName"], "Microsoft.DefaultV2");
    assert_eq!(properties["versionUpgradeOption"], "NoAutoUpgrade");
    assert_eq!(properties["serviceTier"], "Priority");
    let create = &emu.requests("PUT")[0];
    assert_eq!(create.precondition.as_deref(), Some("if-none-match: *"));
    wd.assert_plan_empty();

    // Left to Azure: a tier changed in the portal is drift that apply restores.
    wd.write("main.tf", &format!("{}{}", provider(&emu, ""), claude("")));
    wd.assert_plan_empty();
    assert!(
        emu.emulator
            .patch_deployment(&TestEmulator::deployment_id(CLAUDE), json!({"properties": {"serviceTier": "Default"}}))
    );
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.contains("service_tier"), "{out:?}");
    wd.apply();
    assert_eq!(emu.stored(CLAUDE).unwrap()["properties"]["serviceTier"], "Priority");
    wd.assert_plan_empty();
}

#[test]
fn bad_values_of_the_new_attributes_fail_validate_naming_attribute_value_and_allowed_values() {
    let emu = TestEmulator::start();
    let validate = |config: String| {
        let wd = Workdir::new(&config);
        wd.init();
        let out = wd.run(&["validate", "-no-color"]);
        assert_eq!(out.code, 1, "{out:?}");
        out.text()
    };
    let text = validate(format!(
        "{}{}",
        provider(&emu, ""),
        claude("  deployment_state = \"Stopped\"\n  service_tier = \"priority\"\n  tags = { \"\" = \"x\" }")
    ));
    for expected in [
        "deployment_state = \"Stopped\"",
        "\"Running\", \"Paused\"",
        "service_tier = \"priority\"",
        "Write it as \"Priority\"",
        "tags[\"\"]: a tag name must not be empty",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    let text = validate(format!("{}{}", provider(&emu, r#"  default_tags = { "a/b" = "x" }"#), claude("")));
    assert!(text.contains("default_tags[\"a/b\"]: a tag name must not contain '/'"), "{text}");
    assert!(emu.writes().is_empty());
}
