//! The Provider service end to end over loopback gRPC (plaintext), with a fake provider.

mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use support::fake::FakeProvider;
use support::rpc::{dv, start, start_with, thing_type, undv};
use tf_provider::proto::plugin::Empty;
use tf_provider::proto::plugin::grpc_controller_client::GrpcControllerClient;
use tf_provider::proto::tfplugin5 as pb;
use tf_provider::{Type, Value};

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
    let capabilities = schema.server_capabilities.unwrap();
    assert!(!capabilities.plan_destroy);
    // Announced because nothing needs a GetSchema first: plan_then_apply_create runs on a fresh server without one.
    assert!(capabilities.get_provider_schema_optional);
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

fn move_request(type_name: &str, version: i64, json: &[u8]) -> pb::move_resource_state::Request {
    pb::move_resource_state::Request {
        source_provider_address: "registry.terraform.io/example/legacy".into(),
        source_type_name: type_name.into(),
        source_schema_version: version,
        source_state: Some(pb::RawState { json: json.to_vec(), flatmap: Default::default() }),
        target_type_name: "fake_thing".into(),
        source_private: b"carried".to_vec(),
        ..Default::default()
    }
}

#[tokio::test]
async fn move_resource_state_translates_the_source_json_and_is_announced() {
    let mut h = start().await;
    let ty = thing_type();
    let schema = h.client.get_schema(pb::get_provider_schema::Request {}).await.unwrap().into_inner();
    assert!(schema.server_capabilities.unwrap().move_resource_state);
    let metadata = h.client.get_metadata(pb::get_metadata::Request {}).await.unwrap().into_inner();
    assert!(metadata.server_capabilities.unwrap().move_resource_state);

    let r = h
        .client
        .move_resource_state(move_request("fake_legacy_thing", 1, br#"{"label":"beta","extra":[1,2]}"#))
        .await
        .unwrap()
        .into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let moved = undv(r.target_state, &ty);
    assert_eq!(moved.get("id").as_str(), Some("id-beta"));
    assert_eq!(moved.get("name").as_str(), Some("beta"));
    // The absent `rule` block comes back as an empty list, as Terraform requires of a block.
    assert_eq!(moved.get("rule"), &Value::list([]));
    assert_eq!(r.target_private, b"carried".to_vec());

    // The resource refuses a source it does not know: the error travels, no state does.
    let r = h
        .client
        .move_resource_state(move_request("fake_legacy_thing", 7, br#"{"label":"beta"}"#))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.diagnostics[0].summary, "Unsupported move source");
    assert!(r.diagnostics[0].detail.contains("fake_legacy_thing v7"), "{}", r.diagnostics[0].detail);
    assert!(r.target_state.is_none());
}

#[tokio::test]
async fn move_resource_state_is_not_announced_when_no_resource_takes_moves() {
    let mut h = start_with(FakeProvider { without_moves: true, ..FakeProvider::default() }).await;
    let schema = h.client.get_schema(pb::get_provider_schema::Request {}).await.unwrap().into_inner();
    let capabilities = schema.server_capabilities.unwrap();
    assert!(!capabilities.move_resource_state);
    assert!(capabilities.get_provider_schema_optional, "the other capabilities are unaffected");
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
    result.expect("the server task ends without panicking");
}

#[tokio::test]
async fn functions_are_announced_in_the_schema_and_by_get_functions_alike() {
    let mut h = start().await;
    let schema = h.client.get_schema(pb::get_provider_schema::Request {}).await.unwrap().into_inner();
    let function = schema.functions.get("join_name").expect("join_name in GetProviderSchema.functions");
    assert_eq!(function.parameters.len(), 2);
    assert_eq!(function.parameters[0].name, "parts");
    assert_eq!(function.parameters[0].r#type, br#"["list","string"]"#.to_vec());
    assert!(!function.parameters[0].allow_null_value && function.parameters[1].allow_null_value);
    assert_eq!(function.r#return.as_ref().unwrap().r#type, br#""string""#.to_vec());
    assert_eq!(function.summary, "Joins name parts.");
    assert_eq!(function.description_kind, pb::StringKind::Markdown as i32);
    let functions = h.client.get_functions(pb::get_functions::Request {}).await.unwrap().into_inner();
    assert_eq!(functions.functions, schema.functions);
    assert!(functions.diagnostics.is_empty());
    let metadata = h.client.get_metadata(pb::get_metadata::Request {}).await.unwrap().into_inner();
    assert_eq!(metadata.functions[0].name, "join_name");
    assert_eq!(metadata.ephemeral_resources[0].type_name, "fake_token");
}

#[tokio::test]
async fn call_function_on_a_provider_that_was_never_configured() {
    let mut h = start().await;
    let parts = |items: &[&str]| dv(&Value::list(items.iter().map(|s| Value::string(*s))), &Type::list(Type::String));
    let call = |arguments: Vec<Option<pb::DynamicValue>>| pb::call_function::Request {
        name: "join_name".into(),
        arguments: arguments.into_iter().map(Option::unwrap).collect(),
    };
    let r = h
        .client
        .call_function(call(vec![parts(&["a", "b"]), dv(&Value::string("."), &Type::String)]))
        .await
        .unwrap()
        .into_inner();
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(undv(r.result, &Type::String), Value::string("a.b"));
    // A null for the parameter that allows it.
    let r = h.client.call_function(call(vec![parts(&["x", "y"]), dv(&Value::Null, &Type::String)])).await.unwrap();
    assert_eq!(undv(r.into_inner().result, &Type::String), Value::string("x-y"));
    // The function's own argument error keeps the argument's index.
    let r = h.client.call_function(call(vec![parts(&["a", ""]), dv(&Value::Null, &Type::String)])).await.unwrap();
    let error = r.into_inner().error.expect("an error");
    assert_eq!(error.function_argument, Some(0));
    assert_eq!(error.text, "parts must not be empty strings");
    // One argument too many: an error on it.
    let r = h
        .client
        .call_function(call(vec![parts(&["a"]), dv(&Value::Null, &Type::String), dv(&Value::Null, &Type::String)]))
        .await
        .unwrap();
    assert_eq!(r.into_inner().error.unwrap().function_argument, Some(2));
    assert!(h.provider.configured_with.lock().unwrap().is_none(), "no Configure was needed");
}

#[tokio::test]
async fn ephemeral_resource_validate_open_renew_close() {
    let mut h = start().await;
    let schema = h.client.get_schema(pb::get_provider_schema::Request {}).await.unwrap().into_inner();
    let token_schema = schema.ephemeral_resource_schemas.get("fake_token").expect("fake_token schema");
    let token = token_schema.block.as_ref().unwrap().attributes.iter().find(|a| a.name == "token").unwrap();
    assert!(token.sensitive && token.computed);
    let ty = Type::object([("audience", Type::String), ("token", Type::String), ("ttl", Type::Number)]);

    let bad = Value::object([("audience", Value::string(""))]);
    let r = h
        .client
        .validate_ephemeral_resource_config(pb::validate_ephemeral_resource_config::Request {
            type_name: "fake_token".into(),
            config: dv(&bad, &ty),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.diagnostics[0].summary, "Empty audience");

    let config = Value::object([("audience", Value::string("api"))]);
    let opened = h
        .client
        .open_ephemeral_resource(pb::open_ephemeral_resource::Request {
            type_name: "fake_token".into(),
            config: dv(&config, &ty),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(opened.diagnostics.is_empty(), "{:?}", opened.diagnostics);
    let result = undv(opened.result, &ty);
    assert_eq!(result.get("token").as_str(), Some("token-for-api"));
    assert_eq!(result.get("ttl").as_i64(), Some(60));
    assert_eq!(opened.private.as_deref(), Some(b"handle-api".as_slice()));
    assert_eq!(opened.renew_at.map(|t| t.seconds), Some(2_000_000_000));

    let renewed = h
        .client
        .renew_ephemeral_resource(pb::renew_ephemeral_resource::Request {
            type_name: "fake_token".into(),
            private: opened.private.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(renewed.private.as_deref(), Some(b"handle-api+renewed".as_slice()));
    assert!(renewed.renew_at.is_none(), "no renew_at stops renewing");

    let closed = h
        .client
        .close_ephemeral_resource(pb::close_ephemeral_resource::Request {
            type_name: "fake_token".into(),
            private: opened.private,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(closed.diagnostics.is_empty());
    assert_eq!(*h.provider.closed_with.lock().unwrap(), vec![b"handle-api".to_vec()]);
}

/// The raw msgpack value of one attribute of an encoded object.
fn raw_attribute(bytes: &[u8], name: &str) -> rmpv::Value {
    let mut reader = bytes;
    let value = rmpv::decode::read_value(&mut reader).expect("msgpack");
    value.as_map().expect("an object").iter().find(|(k, _)| k.as_str() == Some(name)).expect("the attribute").1.clone()
}

#[tokio::test]
async fn numbers_travel_as_decimal_strings_in_every_response_that_carries_state() {
    // Terraform 1.10-1.14 compare refreshed state with stored state including decoded numbers; see
    // value::msgpack::number_to_msgpack.
    let mut h = start().await;
    let ty = thing_type();
    let mut state = thing_config("n");
    state.set_attr("id", Value::string("id-n"));
    state.set_attr("size", Value::int(250));
    let applied = h
        .client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: "fake_thing".into(),
            prior_state: dv(&Value::Null, &ty),
            planned_state: dv(&state, &ty),
            config: dv(&state, &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let read = h
        .client
        .read_resource(pb::read_resource::Request {
            type_name: "fake_thing".into(),
            current_state: dv(&state, &ty),
            private: b"{\"k\": 1}".to_vec(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let plan = h
        .client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "fake_thing".into(),
            prior_state: dv(&state, &ty),
            proposed_new_state: dv(&state, &ty),
            config: dv(&state, &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    for (rpc, value) in [
        ("ApplyResourceChange", applied.new_state),
        ("ReadResource", read.new_state),
        ("PlanResourceChange", plan.planned_state),
    ] {
        let bytes = value.unwrap_or_else(|| panic!("{rpc}: a value")).msgpack;
        assert_eq!(raw_attribute(&bytes, "size").as_str(), Some("250"), "{rpc}");
    }
    // The private bytes Terraform sent come back as they were.
    assert_eq!(read.private, b"{\"k\": 1}".to_vec());
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
