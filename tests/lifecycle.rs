//! The shared deployment lifecycle in process (no terraform): what the provider answers when Azure accepts a create
//! that then fails, when Azure reports a failed last operation, and when Azure does not keep what was sent. The
//! acceptance tests reach the same paths through terraform processes; these pin the RPC answers themselves.

mod support;

use std::sync::Arc;

use modelrouter_emulator::Outcome;
use support::consistency::{complete, proposed_new, unknown_paths};
use support::{ACCOUNT, TOKEN, TestEmulator, router_config_value};
use terraform_provider_modelrouter::ModelRouterProvider;
use terraform_provider_modelrouter::resources::common::private::PrivateState;
use tf_provider::{
    ApplyRequest, ApplyResponse, ConfigureRequest, PlanRequest, PlanResponse, Provider, ReadRequest, Resource, Value,
};

struct Rig {
    emulator: TestEmulator,
    runtime: tokio::runtime::Runtime,
    router: Arc<dyn Resource>,
}

impl Rig {
    fn new() -> Rig {
        let emulator = TestEmulator::start();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let provider = ModelRouterProvider::new();
        let config = complete(
            &provider.schema().block,
            &Value::object([
                ("resource_manager_endpoint", Value::string(emulator.emulator.base_url())),
                ("access_token", Value::string(TOKEN)),
            ]),
        );
        let diags =
            runtime.block_on(provider.configure(ConfigureRequest { terraform_version: "1.11.4".into(), config }));
        assert!(!diags.has_errors(), "{diags:?}");
        let router = provider.resources().into_iter().find(|r| r.type_name() == "modelrouter_deployment").unwrap();
        Rig { emulator, runtime, router }
    }

    fn config(&self) -> Value {
        router_config_value(&self.router.schema().block, "life")
    }

    fn plan(&self, prior: &Value, private: &[u8]) -> PlanResponse {
        let config = self.config();
        self.runtime.block_on(self.router.plan(PlanRequest {
            prior_state: prior.clone(),
            proposed_new_state: proposed_new(&self.router.schema().block, prior, &config),
            config,
            prior_private: private.to_vec(),
        }))
    }

    fn apply(&self, prior: &Value, planned: &PlanResponse) -> ApplyResponse {
        self.runtime.block_on(self.router.apply(ApplyRequest {
            prior_state: prior.clone(),
            planned_state: planned.planned_state.clone(),
            config: self.config(),
            planned_private: planned.planned_private.clone(),
        }))
    }
}

#[test]
fn an_accepted_create_that_fails_is_kept_in_state_and_the_next_plan_sends_the_configuration_again() {
    let rig = Rig::new();
    rig.emulator.emulator.update_settings(|s| s.operation_outcome = Outcome::Failed);
    let planned = rig.plan(&Value::Null, &[]);
    let applied = rig.apply(&Value::Null, &planned);
    assert!(applied.diagnostics.has_errors(), "the failed operation is an error");
    assert!(applied.diagnostics.iter().any(|d| d.summary == "Deployment kept in state"), "{:?}", applied.diagnostics);
    // Non-null with an error: Terraform stores it tainted, so the next apply replaces it instead of duplicating it.
    assert!(!applied.new_state.is_null());
    assert!(unknown_paths(&applied.new_state).is_empty(), "{:?}", unknown_paths(&applied.new_state));
    assert_eq!(applied.new_state.get("id").as_str(), Some(format!("{ACCOUNT}/deployments/life").as_str()));

    // Azure reports the deployment with provisioningState Failed: the read shows it in the visible state (never in
    // private state alone), and an otherwise unchanged configuration plans an update that sends it again, with a
    // warning that says why.
    rig.emulator.emulator.update_settings(|s| s.operation_outcome = Outcome::Succeeded);
    let read =
        rig.runtime.block_on(rig.router.read(ReadRequest { current_state: applied.new_state, private: Vec::new() }));
    assert!(!read.diagnostics.has_errors(), "{:?}", read.diagnostics);
    assert_eq!(read.new_state.get("provisioning_state").as_str(), Some("Failed"));
    assert!(PrivateState::parse(&read.private).chosen("provisioning_state").is_none());
    let again = rig.plan(&read.new_state, &read.private);
    assert!(again.planned_state.get("provisioning_state").is_unknown(), "the unknown state makes it an update");
    assert!(again.diagnostics.iter().any(|d| d.summary == "Azure reports the last operation did not succeed"));
    let resent = rig.apply(&read.new_state, &again);
    assert!(!resent.diagnostics.has_errors(), "{:?}", resent.diagnostics);
    assert_eq!(resent.new_state.get("provisioning_state").as_str(), Some("Succeeded"), "a successful write settles it");
    let private = PrivateState::parse(&resent.private);
    assert!(private.chosen("rai_policy_name").is_some(), "and remembers the content filter Azure chose");
    let settled = rig.plan(&resent.new_state, &resent.private);
    assert_eq!(settled.planned_state, resent.new_state, "no-op once settled");
}

#[test]
fn a_setting_azure_did_not_keep_fails_the_apply_and_the_state_records_what_azure_kept() {
    let rig = Rig::new();
    rig.emulator.emulator.update_settings(|s| s.quirks.drop_routing = true);
    let planned = rig.plan(&Value::Null, &[]);
    let applied = rig.apply(&Value::Null, &planned);
    let error = applied.diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(error.summary, "Azure did not keep the requested settings");
    assert!(error.detail.contains("routing: asked for mode \"cost\""), "{}", error.detail);
    assert!(applied.new_state.get("routing").is_null(), "the state records what Azure kept");
    // The next plan shows the routing as a change to make, not a silent no-op.
    let next = rig.plan(&applied.new_state, &applied.private);
    assert_ne!(next.planned_state, applied.new_state);
}

#[test]
fn a_create_refused_before_any_write_keeps_nothing() {
    let rig = Rig::new();
    // Someone created the deployment outside Terraform: the create is refused before the PUT.
    rig.emulator.emulator.seed_deployment(
        &TestEmulator::deployment_id("life"),
        serde_json::json!({"sku": {"name": "GlobalStandard", "capacity": 1},
            "properties": {"model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"}}}),
    );
    let planned = rig.plan(&Value::Null, &[]);
    let applied = rig.apply(&Value::Null, &planned);
    assert!(applied.new_state.is_null());
    assert!(applied.diagnostics.iter().any(|d| d.summary == "Deployment already exists"));
    assert!(rig.emulator.writes().is_empty());
}
