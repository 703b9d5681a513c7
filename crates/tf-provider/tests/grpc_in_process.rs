//! The Provider service end to end over loopback gRPC (plaintext), with a fake provider.

mod support;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use support::fake::{FakeProvider, FakeThing};
use tf_provider::proto::plugin::Empty;
use tf_provider::proto::plugin::grpc_controller_client::GrpcControllerClient;
use tf_provider::proto::tfplugin5 as pb;
use tf_provider::proto::tfplugin5::provider_client::ProviderClient;
use tf_provider::server::serve_listener;
use tf_provider::value::msgpack;
use tf_provider::{Type, Value};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;

struct Harness {
    client: ProviderClient<Channel>,
    channel: Channel,
    provider: Arc<FakeProvider>,
    server: JoinHandle<Result<(), tf_provider::server::ServeError>>,
    shutdown: CancellationToken,
}

async fn start() -> Harness {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let provider = Arc::new(FakeProvider::default());
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(serve_listener(provider.clone(), listener, None, shutdown.clone()));
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}")).unwrap().connect().await.unwrap();
    Harness { client: ProviderClient::new(channel.clone()), channel, provider, server, shutdown }
}

fn thing_type() -> Type {
    FakeThing::schema_block().value_type()
}

fn dv(value: &Value, ty: &Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue { msgpack: msgpack::encode(value, ty).unwrap(), json: vec![] })
}

fn undv(value: Option<pb::DynamicValue>, ty: &Type) -> Value {
    msgpack::decode(&value.expect("a DynamicValue").msgpack, ty).unwrap()
}

fn thing_config(name: &str) -> Value {
    Value::object([("name", Value::string(name)), ("rule", Value::list([]))])
}

#[tokio::test]
async fn get_schema_lists_provider_resources_and_data_sources() {
    let mut h = start().await;
    let schema = h.client.get_schema(pb::get_provider_schema::Request {}).await.unwrap().into_inner();
    let provider = schema.provider.expect("provider schema");
    assert_eq!(provider.block.expect("provider block").attributes[0].name, "endpoint");
    let thing = schema.resource_schemas.get("fake_thing").expect("fake_thing schema");
    let block = thing.block.as_ref().unwrap();
    let tags = block.attributes.iter().find(|a| a.name == "tags").unwrap();
    assert_eq!(tags.r#type, br#"["map","string"]"#.to_vec());
    assert_eq!(block.block_types[0].type_name, "rule");
    assert!(schema.data_source_schemas.contains_key("fake_info"));
    assert!(!schema.server_capabilities.unwrap().plan_destroy);
    assert!(schema.diagnostics.is_empty());
}

#[tokio::test]
async fn plan_then_apply_create() {
    let mut h = start().await;
    let ty = thing_type();
    let config = thing_config("alpha");
    let plan = h
        .client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "fake_thing".into(),
            prior_state: dv(&Value::Null, &ty),
            proposed_new_state: dv(&config, &ty),
            config: dv(&config, &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let planned_bytes = plan.planned_state.clone().unwrap().msgpack;
    let planned = undv(plan.planned_state, &ty);
    assert!(planned.get("id").is_unknown());
    assert!(matches!(planned.get("size"), Value::Unknown(r) if r.not_null));
    assert_eq!(planned.get("name").as_str(), Some("alpha"));
    // Every attribute and block key is present, sorted: id, name, rule, size, tags.
    assert_eq!(planned_bytes[0], 0x85);
    assert_eq!(plan.requires_replace.len(), 1);

    let applied = h
        .client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: "fake_thing".into(),
            prior_state: dv(&Value::Null, &ty),
            planned_state: Some(pb::DynamicValue { msgpack: planned_bytes, json: vec![] }),
            config: dv(&config, &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(applied.diagnostics.is_empty());
    let state = undv(applied.new_state, &ty);
    assert_eq!(state.get("id").as_str(), Some("id-alpha"));
    assert_eq!(state.get("size").as_i64(), Some(1));
    assert!(state.is_wholly_known());
    assert_eq!(applied.private, b"private-bytes".to_vec());

    // Delete: planned null -> new state is msgpack nil.
    let deleted = h
        .client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: "fake_thing".into(),
            prior_state: dv(&state, &ty),
            planned_state: None,
            config: None,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(deleted.new_state.unwrap().msgpack, vec![0xc0]);
}

#[tokio::test]
async fn panicking_handler_becomes_a_diagnostic_and_the_server_survives() {
    let mut h = start().await;
    let ty = thing_type();
    let config = thing_config("panic");
    let response = h
        .client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "fake_thing".into(),
            proposed_new_state: dv(&config, &ty),
            config: dv(&config, &ty),
            ..Default::default()
        })
        .await
        .expect("an OK response, not a gRPC error")
        .into_inner();
    assert_eq!(response.diagnostics.len(), 1);
    let d = &response.diagnostics[0];
    assert_eq!(d.severity, pb::diagnostic::Severity::Error as i32);
    assert!(d.detail.contains("deliberate panic for the test"), "{}", d.detail);
    // Still serving.
    let schema = h.client.get_schema(pb::get_provider_schema::Request {}).await.unwrap().into_inner();
    assert!(schema.provider.is_some());
}

#[tokio::test]
async fn unknown_type_names_and_bad_values_are_diagnostics() {
    let mut h = start().await;
    let r = h
        .client
        .read_resource(pb::read_resource::Request { type_name: "nope".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert!(r.diagnostics[0].detail.contains("nope"));
    let r = h
        .client
        .read_data_source(pb::read_data_source::Request { type_name: "nope".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.diagnostics[0].summary, "Unknown data source type");
    let r = h
        .client
        .validate_resource_type_config(pb::validate_resource_type_config::Request {
            type_name: "fake_thing".into(),
            config: Some(pb::DynamicValue { msgpack: vec![0x01], json: vec![] }),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(r.diagnostics[0].summary.contains("Invalid configuration"), "{:?}", r.diagnostics);
}

#[tokio::test]
async fn provider_config_validate_configure_and_stop() {
    let mut h = start().await;
    let provider_type = Type::object([("endpoint", Type::String)]);
    let bad = Value::object([("endpoint", Value::string("bad"))]);
    let r = h
        .client
        .prepare_provider_config(pb::prepare_provider_config::Request { config: dv(&bad, &provider_type) })
        .await
        .unwrap()
        .into_inner();
    let path = r.diagnostics[0].attribute.clone().expect("attribute path");
    assert_eq!(path.steps[0].selector, Some(pb::attribute_path::step::Selector::AttributeName("endpoint".into())));
    // An empty DynamicValue is a null config.
    let r = h
        .client
        .configure(pb::configure::Request {
            terraform_version: "1.11.4".into(),
            config: Some(pb::DynamicValue::default()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(r.diagnostics.is_empty());
    let configured = h.provider.configured_with.lock().unwrap().clone().unwrap();
    assert_eq!(configured, ("1.11.4".to_string(), Value::Null));

    let stop = h.client.stop(pb::stop::Request {}).await.unwrap().into_inner();
    assert!(stop.error.is_empty());
    assert!(h.provider.stopped.load(Ordering::SeqCst));
}

#[tokio::test]
async fn data_source_upgrade_and_import() {
    let mut h = start().await;
    let ty = thing_type();
    let info_type = Type::object([("name", Type::String), ("greeting", Type::String)]);
    let r = h
        .client
        .read_data_source(pb::read_data_source::Request {
            type_name: "fake_info".into(),
            config: dv(&Value::object([("name", Value::string("bob"))]), &info_type),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(undv(r.state, &info_type).get("greeting").as_str(), Some("hello bob"));

    let raw = br#"{"id":"x","name":"n","size":3,"tags":null,"rule":[],"dropped_attribute":1}"#.to_vec();
    let r = h
        .client
        .upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: "fake_thing".into(),
            version: 0,
            raw_state: Some(pb::RawState { json: raw, flatmap: Default::default() }),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let upgraded = undv(r.upgraded_state, &ty);
    assert_eq!(upgraded.get("size").as_i64(), Some(3));
    assert_eq!(upgraded.get("id").as_str(), Some("x"));

    let r = h
        .client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: "fake_thing".into(),
            id: "abc".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.imported_resources.len(), 1);
    assert_eq!(r.imported_resources[0].type_name, "fake_thing");
    let state = undv(r.imported_resources[0].state.clone(), &ty);
    assert_eq!(state.get("id").as_str(), Some("abc"));
    assert!(state.get("name").is_null());
    assert_eq!(state.get("rule"), &Value::List(vec![]), "absent LIST block sent as an empty list");
}

#[tokio::test]
async fn concurrent_calls_are_served() {
    let h = start().await;
    let info_type = Type::object([("name", Type::String), ("greeting", Type::String)]);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let mut client = h.client.clone();
        let config = dv(&Value::object([("name", Value::string(format!("n{i}")))]), &info_type);
        tasks.push(tokio::spawn(async move {
            client
                .read_data_source(pb::read_data_source::Request {
                    type_name: "fake_info".into(),
                    config,
                    ..Default::default()
                })
                .await
                .unwrap()
                .into_inner()
        }));
    }
    for (i, task) in tasks.into_iter().enumerate() {
        let state = undv(task.await.unwrap().state, &info_type);
        assert_eq!(state.get("greeting").as_str(), Some(format!("hello n{i}").as_str()));
    }
    h.shutdown.cancel();
}

#[tokio::test]
async fn controller_shutdown_stops_the_server() {
    let h = start().await;
    let mut controller = GrpcControllerClient::new(h.channel.clone());
    controller.shutdown(Empty {}).await.unwrap();
    drop(h.client);
    drop(controller);
    drop(h.channel);
    let result = tokio::time::timeout(Duration::from_secs(3), h.server).await.expect("server exits promptly");
    assert!(result.unwrap().is_ok());
}

/// The three services share one listener (tf-provider's own dispatch, no web framework): health answers for
/// "plugin" as go-plugin expects, and a service the plugin does not have is Unimplemented, not a hang or a reset.
#[tokio::test]
async fn health_is_served_beside_the_provider_and_unknown_services_are_unimplemented() {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

    let h = start().await;
    let mut health = HealthClient::new(h.channel.clone());
    let status = health.check(HealthCheckRequest { service: "plugin".into() }).await.unwrap().into_inner().status;
    assert_eq!(status, ServingStatus::Serving as i32);

    let mut grpc = tonic::client::Grpc::new(h.channel.clone());
    grpc.ready().await.unwrap();
    let path = tonic::codegen::http::uri::PathAndQuery::from_static("/no.such.Service/Call");
    let codec = tonic_prost::ProstCodec::<Empty, Empty>::default();
    let error = grpc.unary(tonic::Request::new(Empty {}), path, codec).await.unwrap_err();
    assert_eq!(error.code(), tonic::Code::Unimplemented, "{error:?}");
    assert!(error.message().contains("/no.such.Service/Call"), "{error:?}");

    // The provider service still answers on the same connection.
    let mut client = h.client.clone();
    client.get_schema(pb::get_provider_schema::Request {}).await.unwrap();
    h.shutdown.cancel();
}
