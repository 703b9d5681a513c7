//! Resource identity and `terraform query` in process: the real provider behind the real gRPC server, driven by
//! the generated protocol client against the ARM emulator. Terraform 1.11 (the newest binary available here) does
//! not send these requests, so they are built to protocol 5.10 and tested the way Terraform 1.12 and later
//! (identity) and 1.14 and later (list resources) make them: identity on create, read, import by id and by identity,
//! and move; a listing of every router of an account whose objects plan empty after their import; validation
//! errors; and a Terraform 1.11-shaped request, which must be answered as before.

mod support;

use std::sync::Arc;

use futures::StreamExt as _;
use serde_json::json;
use support::consistency::{complete, generated_config, proposed_new};
use support::{ACCOUNT, TOKEN, TestEmulator, router_config_value};
use terraform_provider_modelrouter::ModelRouterProvider;
use tf_provider::proto::tfplugin5 as pb;
use tf_provider::proto::tfplugin5::provider_client::ProviderClient;
use tf_provider::server::serve_listener;
use tf_provider::value::msgpack;
use tf_provider::{Block, Provider, Type, Value};
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;

const ROUTER: &str = "modelrouter_deployment";
const CLAUDE: &str = "modelrouter_claude_dependency";

/// The identity type both resources share.
fn identity_type() -> Type {
    Type::object(["subscription_id", "resource_group_name", "account_name", "name"].map(|name| (name, Type::String)))
}

fn list_config_type() -> Type {
    Type::object([("cognitive_account_id", Type::String)])
}

fn dv(value: &Value, ty: &Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue { msgpack: msgpack::encode(value, ty).unwrap(), json: vec![] })
}

fn undv(value: Option<pb::DynamicValue>, ty: &Type) -> Value {
    msgpack::decode(&value.expect("a DynamicValue").msgpack, ty).unwrap()
}

fn identity_data(identity: &Value) -> Option<pb::ResourceIdentityData> {
    Some(pb::ResourceIdentityData { identity_data: dv(identity, &identity_type()) })
}

fn identity_of(data: Option<pb::ResourceIdentityData>) -> Value {
    undv(data.expect("an identity").identity_data, &identity_type())
}

/// The identity of deployment `name` of the test account.
fn expected_identity(name: &str) -> Value {
    Value::object([
        ("subscription_id", Value::string("11111111-2222-3333-4444-555555555555")),
        ("resource_group_name", Value::string("rg-acceptance")),
        ("account_name", Value::string("foundry-acc")),
        ("name", Value::string(name)),
    ])
}

fn errors(diagnostics: &[pb::Diagnostic]) -> Vec<&pb::Diagnostic> {
    diagnostics.iter().filter(|d| d.severity == pb::diagnostic::Severity::Error as i32).collect()
}

/// The emulator, the provider server on its own runtime, and a configured client.
struct Rig {
    emulator: TestEmulator,
    runtime: tokio::runtime::Runtime,
    client: ProviderClient<Channel>,
    shutdown: CancellationToken,
    blocks: std::collections::HashMap<String, Block>,
}

impl Drop for Rig {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

impl Rig {
    fn new() -> Rig {
        let emulator = TestEmulator::start();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let provider = Arc::new(ModelRouterProvider::new());
        let provider_block = provider.schema().block;
        let blocks = provider.resources().iter().map(|r| (r.type_name().to_owned(), r.schema().block)).collect();
        let shutdown = CancellationToken::new();
        let mut client = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(serve_listener(provider, listener, None, shutdown.clone()));
            let endpoint = tonic::transport::Endpoint::from_shared(format!("http://{addr}")).unwrap();
            ProviderClient::new(endpoint.connect().await.unwrap())
        });
        let config = complete(
            &provider_block,
            &Value::object([
                ("resource_manager_endpoint", Value::string(emulator.emulator.base_url())),
                ("access_token", Value::string(TOKEN)),
            ]),
        );
        let configured = runtime
            .block_on(client.configure(pb::configure::Request {
                terraform_version: "1.14.0".into(),
                config: dv(&config, &provider_block.value_type()),
                ..Default::default()
            }))
            .unwrap()
            .into_inner();
        assert!(configured.diagnostics.is_empty(), "{:?}", configured.diagnostics);
        Rig { emulator, runtime, client, shutdown, blocks }
    }

    fn block(&self, type_name: &str) -> &Block {
        &self.blocks[type_name]
    }

    fn ty(&self, type_name: &str) -> Type {
        self.block(type_name).value_type()
    }

    fn router_config(&self, name: &str) -> Value {
        router_config_value(self.block(ROUTER), name)
    }

    fn claude_config(&self, name: &str) -> Value {
        complete(
            self.block(CLAUDE),
            &Value::object([
                ("name", Value::string(name)),
                ("cognitive_account_id", Value::string(ACCOUNT)),
                ("model", Value::string("claude-sonnet-4-5")),
                (
                    "model_provider_data",
                    Value::object([
                        ("organization_name", Value::string("Contoso")),
                        ("country_code", Value::string("US")),
                        ("industry", Value::string("Technology")),
                    ]),
                ),
            ]),
        )
    }

    /// Plans `config` over `prior` as Terraform >= 1.12 does (with the prior identity).
    fn plan(
        &mut self,
        type_name: &str,
        prior: &Value,
        identity: Option<&Value>,
        config: &Value,
    ) -> pb::plan_resource_change::Response {
        let ty = self.ty(type_name);
        let proposed = proposed_new(self.block(type_name), prior, config);
        let request = pb::plan_resource_change::Request {
            type_name: type_name.into(),
            prior_state: dv(prior, &ty),
            proposed_new_state: dv(&proposed, &ty),
            config: dv(config, &ty),
            prior_identity: identity.and_then(identity_data),
            ..Default::default()
        };
        self.runtime.block_on(self.client.plan_resource_change(request)).unwrap().into_inner()
    }

    /// Plans and applies the create of `config`; returns the new state and identity.
    fn create(&mut self, type_name: &str, config: &Value) -> (Value, pb::apply_resource_change::Response) {
        let ty = self.ty(type_name);
        let plan = self.plan(type_name, &Value::Null, None, config);
        assert!(errors(&plan.diagnostics).is_empty(), "{:?}", plan.diagnostics);
        let request = pb::apply_resource_change::Request {
            type_name: type_name.into(),
            prior_state: dv(&Value::Null, &ty),
            planned_state: plan.planned_state,
            config: dv(config, &ty),
            planned_private: plan.planned_private,
            planned_identity: plan.planned_identity,
            ..Default::default()
        };
        let applied = self.runtime.block_on(self.client.apply_resource_change(request)).unwrap().into_inner();
        assert!(errors(&applied.diagnostics).is_empty(), "{:?}", applied.diagnostics);
        (undv(applied.new_state.clone(), &ty), applied)
    }

    fn read(
        &mut self,
        type_name: &str,
        state: &Value,
        private: &[u8],
        identity: Option<&Value>,
    ) -> pb::read_resource::Response {
        let request = pb::read_resource::Request {
            type_name: type_name.into(),
            current_state: dv(state, &self.ty(type_name)),
            private: private.to_vec(),
            current_identity: identity.and_then(identity_data),
            ..Default::default()
        };
        self.runtime.block_on(self.client.read_resource(request)).unwrap().into_inner()
    }

    fn import(&mut self, type_name: &str, id: &str, identity: Option<&Value>) -> pb::import_resource_state::Response {
        let request = pb::import_resource_state::Request {
            type_name: type_name.into(),
            id: id.into(),
            identity: identity.and_then(identity_data),
            ..Default::default()
        };
        self.runtime.block_on(self.client.import_resource_state(request)).unwrap().into_inner()
    }

    fn list(
        &mut self,
        type_name: &str,
        config: &Value,
        include_resource_object: bool,
    ) -> Vec<pb::list_resource::Event> {
        let request = pb::list_resource::Request {
            type_name: type_name.into(),
            config: dv(config, &list_config_type()),
            include_resource_object,
            limit: 100,
        };
        self.runtime.block_on(async {
            let stream = self.client.list_resource(request).await.expect("a stream").into_inner();
            stream.map(|event| event.expect("an event, not a gRPC error")).collect().await
        })
    }

    fn validate_list(&mut self, type_name: &str, config: &Value) -> Vec<pb::Diagnostic> {
        let request = pb::validate_list_resource_config::Request {
            type_name: type_name.into(),
            config: dv(config, &list_config_type()),
            ..Default::default()
        };
        self.runtime.block_on(self.client.validate_list_resource_config(request)).unwrap().into_inner().diagnostics
    }
}

#[test]
fn both_resources_announce_an_identity_and_a_list_resource() {
    let mut rig = Rig::new();
    let schemas = rig
        .runtime
        .block_on(rig.client.get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {}))
        .unwrap()
        .into_inner();
    let schema = rig.runtime.block_on(rig.client.get_schema(pb::get_provider_schema::Request {})).unwrap().into_inner();
    for type_name in [ROUTER, CLAUDE] {
        let identity = &schemas.identity_schemas[type_name];
        let names: Vec<&str> = identity.identity_attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["subscription_id", "resource_group_name", "account_name", "name"], "{type_name}");
        assert!(identity.identity_attributes.iter().all(|a| a.required_for_import && a.r#type == br#""string""#));
        let list = schema.list_resource_schemas[type_name].block.as_ref().unwrap();
        let [account] = list.attributes.as_slice() else { panic!("{type_name}: one list attribute") };
        assert_eq!(account.name, "cognitive_account_id");
        assert!(account.required);
    }
}

#[test]
fn identity_is_returned_on_create_read_and_import_by_id_and_by_identity() {
    let mut rig = Rig::new();
    let config = rig.router_config("ident");
    let plan = rig.plan(ROUTER, &Value::Null, None, &config);
    // Name and account are configured, so even the create's planned identity is wholly known.
    assert_eq!(identity_of(plan.planned_identity), expected_identity("ident"));
    let (state, applied) = rig.create(ROUTER, &config);
    let identity = identity_of(applied.new_identity.clone());
    assert_eq!(identity, expected_identity("ident"));

    let read = rig.read(ROUTER, &state, &applied.private, Some(&identity));
    assert!(errors(&read.diagnostics).is_empty(), "{:?}", read.diagnostics);
    assert_eq!(identity_of(read.new_identity), identity);
    let refreshed = undv(read.new_state, &rig.ty(ROUTER));
    let again = rig.plan(ROUTER, &refreshed, Some(&identity), &config);
    assert_eq!(undv(again.planned_state, &rig.ty(ROUTER)), refreshed, "no-op");
    assert_eq!(identity_of(again.planned_identity), identity);

    let id = TestEmulator::deployment_id("ident");
    let by_id = rig.import(ROUTER, &id, None);
    let by_identity = rig.import(ROUTER, "", Some(&identity));
    assert!(errors(&by_identity.diagnostics).is_empty(), "{:?}", by_identity.diagnostics);
    assert_eq!(by_identity.imported_resources, by_id.imported_resources);
    let imported = &by_identity.imported_resources[0];
    assert_eq!(identity_of(imported.identity.clone()), identity);
    assert_eq!(undv(imported.state.clone(), &rig.ty(ROUTER)).get("id").as_str(), Some(id.as_str()));

    // An identity naming a deployment of the other kind, one that does not exist, or one that is not an id segment.
    let (_, claude) = rig.create(CLAUDE, &rig.claude_config("sonnet"));
    let claude_identity = identity_of(claude.new_identity);
    assert_eq!(claude_identity, expected_identity("sonnet"));
    let wrong_kind = rig.import(ROUTER, "", Some(&claude_identity));
    assert_eq!(errors(&wrong_kind.diagnostics)[0].summary, "Wrong kind of deployment");
    let missing = rig.import(ROUTER, "", Some(&expected_identity("nowhere")));
    assert_eq!(errors(&missing.diagnostics)[0].summary, "Cannot import non-existent deployment");
    let mut bad = expected_identity("a/b");
    bad.set_attr("account_name", Value::Null);
    let bad = rig.import(ROUTER, "", Some(&bad));
    let summaries: Vec<(&str, String)> = errors(&bad.diagnostics)
        .iter()
        .map(|d| (d.summary.as_str(), format!("{:?}", d.attribute.as_ref().map(|a| &a.steps))))
        .collect();
    assert_eq!(summaries.len(), 1, "{summaries:?}");
    assert_eq!(summaries[0].0, "Missing identity attribute");
    assert!(summaries[0].1.contains("account_name"), "{summaries:?}");
    assert!(bad.imported_resources.is_empty());
}

#[test]
fn list_streams_every_router_of_the_account_and_each_object_plans_empty_after_its_import() {
    let mut rig = Rig::new();
    let (_, _) = rig.create(ROUTER, &rig.router_config("router-a"));
    let (_, _) = rig.create(ROUTER, &rig.router_config("router-b"));
    let (_, _) = rig.create(CLAUDE, &rig.claude_config("sonnet"));
    rig.emulator.emulator.seed_deployment(
        &TestEmulator::deployment_id("router-seeded"),
        json!({"sku": {"name": "GlobalStandard", "capacity": 1},
               "properties": {"model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"}}}),
    );
    rig.emulator.emulator.seed_deployment(
        &TestEmulator::deployment_id("plain-gpt"),
        json!({"sku": {"name": "GlobalStandard", "capacity": 1},
               "properties": {"model": {"format": "OpenAI", "name": "gpt-4.1", "version": "2025-04-14"}}}),
    );
    let config = Value::object([("cognitive_account_id", Value::string(ACCOUNT))]);

    rig.emulator.emulator.clear_requests();
    let events = rig.list(ROUTER, &config, false);
    let mut names: Vec<&str> = events.iter().map(|e| e.display_name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["router-a", "router-b", "router-seeded"], "routers only: no Claude, no gpt-4.1");
    for event in &events {
        assert!(event.diagnostic.is_empty() && event.resource_object.is_none(), "{event:?}");
        assert_eq!(identity_of(event.identity.clone()), expected_identity(&event.display_name));
    }
    let claude: Vec<String> = rig.list(CLAUDE, &config, false).into_iter().map(|e| e.display_name).collect();
    assert_eq!(claude, ["sonnet"]);
    let reads: Vec<String> = rig.emulator.requests("GET").into_iter().map(|r| r.path).collect();
    // Both listings (and every other read of the account in this provider process) share one deployments list.
    assert_eq!(reads, [format!("{ACCOUNT}/deployments")], "one LIST for the account");

    // With objects: each is what an import by its identity stores, and the configuration Terraform generates from
    // it plans no change.
    let ty = rig.ty(ROUTER);
    let events = rig.list(ROUTER, &config, true);
    assert_eq!(events.len(), 3);
    for event in events {
        let object = undv(event.resource_object.clone(), &ty);
        let identity = identity_of(event.identity.clone());
        let import = rig.import(ROUTER, "", Some(&identity));
        assert!(errors(&import.diagnostics).is_empty(), "{:?}", import.diagnostics);
        let imported = import.imported_resources[0].clone();
        assert_eq!(undv(imported.state.clone(), &ty), object, "{}: listed = imported", event.display_name);
        let read = rig.read(ROUTER, &object, &imported.private, Some(&identity));
        assert!(errors(&read.diagnostics).is_empty(), "{:?}", read.diagnostics);
        let state = undv(read.new_state, &ty);
        let generated = generated_config(rig.block(ROUTER), &object);
        let plan = rig.plan(ROUTER, &state, Some(&identity), &generated);
        assert!(errors(&plan.diagnostics).is_empty(), "{}: {:?}", event.display_name, plan.diagnostics);
        assert_eq!(
            undv(plan.planned_state, &ty),
            state,
            "{}: the generated configuration plans empty",
            event.display_name
        );
    }
}

#[test]
fn list_configuration_errors_name_the_attribute_and_the_value() {
    let mut rig = Rig::new();
    let config = |id: Value| Value::object([("cognitive_account_id", id)]);
    let deployment_id = TestEmulator::deployment_id("x");
    for (id, expected) in [
        (Value::string("not-an-id"), "not-an-id"),
        (Value::string(deployment_id.as_str()), "/deployments"),
        (Value::string(format!(" {ACCOUNT}")), "cognitive_account_id"),
    ] {
        let diagnostics = rig.validate_list(ROUTER, &config(id.clone()));
        let [error] = errors(&diagnostics)[..] else { panic!("one error for {id:?}: {diagnostics:?}") };
        assert!(error.detail.contains(expected), "{id:?}: {}", error.detail);
        let step = &error.attribute.as_ref().expect("on the attribute").steps[0];
        assert_eq!(
            step.selector,
            Some(pb::attribute_path::step::Selector::AttributeName("cognitive_account_id".into()))
        );
        // The listing itself refuses it the same way, as one error event.
        let events = rig.list(ROUTER, &config(id), false);
        let [event] = events.as_slice() else { panic!("one event: {events:?}") };
        assert!(event.identity.is_none() && errors(&event.diagnostic).len() == 1, "{event:?}");
    }
    // Unknown at validation (from another resource) is fine; the listing gets it known.
    assert!(rig.validate_list(ROUTER, &config(Value::unknown())).is_empty());
    // An account that does not exist: Azure's answer, as an error event.
    let elsewhere = ACCOUNT.replace("foundry-acc", "missing-acc");
    let events = rig.list(CLAUDE, &config(Value::string(elsewhere)), false);
    let [event] = events.as_slice() else { panic!("one event: {events:?}") };
    assert!(errors(&event.diagnostic)[0].detail.contains("missing-acc"), "{event:?}");
}

/// Terraform 1.11 speaks protocol 5.8: its requests carry no identity and it skips the identity fields of the
/// answers. Everything it reads is what it read before identity existed.
#[test]
fn a_terraform_1_11_shaped_request_is_answered_as_before() {
    let mut rig = Rig::new();
    let config = rig.router_config("legacy");
    let (state, applied) = rig.create(ROUTER, &config);
    let identity = identity_of(applied.new_identity.clone());
    let without = rig.read(ROUTER, &state, &applied.private, None);
    let with = rig.read(ROUTER, &state, &applied.private, Some(&identity));
    assert!(errors(&without.diagnostics).is_empty(), "{:?}", without.diagnostics);
    assert_eq!(undv(without.new_state.clone(), &rig.ty(ROUTER)), state);
    assert_eq!(without.private, applied.private);
    assert_eq!(
        pb::read_resource::Response { new_identity: None, ..without.clone() },
        pb::read_resource::Response { new_identity: None, ..with.clone() },
    );
    // The identity comes back even unasked: Terraform 1.12 adopts it for state written by 1.11.
    assert_eq!(identity_of(without.new_identity), identity);
    let plan = rig.plan(ROUTER, &state, None, &config);
    assert_eq!(undv(plan.planned_state, &rig.ty(ROUTER)), state, "no-op without a prior identity");
    let import = rig.import(ROUTER, &TestEmulator::deployment_id("legacy"), None);
    assert!(errors(&import.diagnostics).is_empty());
    assert_eq!(undv(import.imported_resources[0].state.clone(), &rig.ty(ROUTER)).get("name").as_str(), Some("legacy"));
}

/// A `moved` block from `azurerm_cognitive_deployment` (Terraform >= 1.12 sends the source identity along): the
/// moved router comes with the identity azurerm gave the same deployment.
#[test]
fn a_moved_router_comes_with_its_identity() {
    let mut rig = Rig::new();
    let source = json!({
        "id": TestEmulator::deployment_id("moved"),
        "name": "moved",
        "cognitive_account_id": ACCOUNT,
        "dynamic_throttling_enabled": false,
        "model": [{"format": "OpenAI", "name": "model-router", "version": "2025-11-18"}],
        "rai_policy_name": "Microsoft.DefaultV2",
        "sku": [{"name": "GlobalStandard", "tier": "", "size": "", "family": "", "capacity": 10}],
        "version_upgrade_option": "OnceNewDefaultVersionAvailable",
        "timeouts": null
    });
    let source_identity = json!({"subscription_id": "11111111-2222-3333-4444-555555555555",
        "resource_group_name": "rg-acceptance", "account_name": "foundry-acc", "name": "moved"});
    let raw = |value: &serde_json::Value| {
        Some(pb::RawState { json: value.to_string().into_bytes(), flatmap: Default::default() })
    };
    let request = pb::move_resource_state::Request {
        source_provider_address: "registry.terraform.io/hashicorp/azurerm".into(),
        source_type_name: "azurerm_cognitive_deployment".into(),
        source_schema_version: 0,
        source_state: raw(&source),
        target_type_name: ROUTER.into(),
        source_identity: raw(&source_identity),
        ..Default::default()
    };
    let moved = rig.runtime.block_on(rig.client.move_resource_state(request)).unwrap().into_inner();
    assert!(errors(&moved.diagnostics).is_empty(), "{:?}", moved.diagnostics);
    assert_eq!(undv(moved.target_state, &rig.ty(ROUTER)).get("name").as_str(), Some("moved"));
    assert_eq!(identity_of(moved.target_identity), expected_identity("moved"));
}
