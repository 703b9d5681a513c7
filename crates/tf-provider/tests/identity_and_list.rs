//! Protocol 5.9/5.10 end to end over loopback gRPC with the fake provider: resource identity (schemas, identity on
//! every answer that carries a state, import by identity, upgrade) and list resources (streaming, limits,
//! validation, failures). Terraform >= 1.12 sends these; the same server answers Terraform 1.11, which sends no
//! identity (the last test).

mod support;

use futures::StreamExt as _;
use support::fake::FakeThings;
use support::rpc::{Harness, dv, start, thing_type, undv};
use tf_provider::proto::tfplugin5 as pb;
use tf_provider::{Type, Value};

fn identity_type() -> Type {
    Type::object([("id", Type::String)])
}

fn identity(id: &str) -> Option<pb::ResourceIdentityData> {
    Some(pb::ResourceIdentityData { identity_data: dv(&Value::object([("id", Value::string(id))]), &identity_type()) })
}

fn unidentity(data: Option<pb::ResourceIdentityData>) -> Value {
    undv(data.expect("an identity").identity_data, &identity_type())
}

fn thing_config(name: &str) -> Value {
    Value::object([("name", Value::string(name)), ("rule", Value::list([]))])
}

fn error_summaries(diagnostics: &[pb::Diagnostic]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter(|d| d.severity == pb::diagnostic::Severity::Error as i32)
        .map(|d| d.summary.as_str())
        .collect()
}

fn list_config(prefix: &str, count: Option<i64>) -> Value {
    Value::object([("prefix", Value::string(prefix)), ("count", Value::opt_int(count))])
}

async fn list(
    h: &mut Harness,
    config: &Value,
    include_resource_object: bool,
    limit: i64,
) -> Vec<pb::list_resource::Event> {
    let stream = h
        .client
        .list_resource(pb::list_resource::Request {
            type_name: "fake_thing".into(),
            config: dv(config, &FakeThings::config_block().value_type()),
            include_resource_object,
            limit,
        })
        .await
        .expect("ListResource answers with a stream")
        .into_inner();
    stream.map(|event| event.expect("events, not gRPC errors")).collect().await
}

#[tokio::test]
async fn identity_and_list_schemas_are_announced() {
    let mut h = start().await;
    let schemas = h
        .client
        .get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {})
        .await
        .unwrap()
        .into_inner();
    assert!(schemas.diagnostics.is_empty());
    let thing = &schemas.identity_schemas["fake_thing"];
    assert_eq!(thing.version, 0);
    let [id] = thing.identity_attributes.as_slice() else { panic!("one attribute: {thing:?}") };
    assert_eq!((id.name.as_str(), id.r#type.as_slice()), ("id", br#""string""#.as_slice()));
    assert!(id.required_for_import && !id.optional_for_import);
    assert_eq!(id.description, "The thing's id.");

    let schema = h.client.get_schema(pb::get_provider_schema::Request {}).await.unwrap().into_inner();
    let list = schema.list_resource_schemas["fake_thing"].block.as_ref().unwrap();
    assert_eq!(list.attributes.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["prefix", "count"]);
    assert!(!schema.server_capabilities.unwrap().generate_resource_config);
    let metadata = h.client.get_metadata(pb::get_metadata::Request {}).await.unwrap().into_inner();
    assert_eq!(metadata.list_resources.iter().map(|l| l.type_name.as_str()).collect::<Vec<_>>(), ["fake_thing"]);
}

#[tokio::test]
async fn identity_travels_with_the_state_through_plan_apply_and_read() {
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
    // On create the id is not known yet: Terraform accepts unknown identity attributes only there (and on replace).
    assert!(unidentity(plan.planned_identity.clone()).get("id").is_unknown());
    let applied = h
        .client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: "fake_thing".into(),
            prior_state: dv(&Value::Null, &ty),
            planned_state: plan.planned_state,
            config: dv(&config, &ty),
            planned_identity: plan.planned_identity,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(applied.diagnostics.is_empty(), "{:?}", applied.diagnostics);
    assert_eq!(unidentity(applied.new_identity.clone()), Value::object([("id", Value::string("id-alpha"))]));

    let read = h
        .client
        .read_resource(pb::read_resource::Request {
            type_name: "fake_thing".into(),
            current_state: applied.new_state.clone(),
            current_identity: applied.new_identity.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    assert_eq!(read.new_identity, applied.new_identity);

    // An update keeps the identity; planned and new identity are the stored one.
    let state = undv(applied.new_state, &ty);
    let mut updated = state.clone();
    updated.set_attr("tags", Value::map([("team", Value::string("a"))]));
    let plan = h
        .client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "fake_thing".into(),
            prior_state: dv(&state, &ty),
            proposed_new_state: dv(&updated, &ty),
            config: dv(&updated, &ty),
            prior_identity: read.new_identity.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(plan.planned_identity, read.new_identity);

    // A stored identity that names another object than the state does is refused, not silently replaced.
    let read = h
        .client
        .read_resource(pb::read_resource::Request {
            type_name: "fake_thing".into(),
            current_state: dv(&state, &ty),
            current_identity: identity("id-somebody-else"),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(error_summaries(&read.diagnostics), ["Unexpected identity change"]);
    assert!(read.diagnostics[0].detail.contains(r#"id = "id-somebody-else""#), "{}", read.diagnostics[0].detail);
}

#[tokio::test]
async fn import_by_id_and_by_identity_return_the_identity() {
    let mut h = start().await;
    let by_id = h
        .client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: "fake_thing".into(),
            id: "abc".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let by_identity = h
        .client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: "fake_thing".into(),
            identity: identity("abc"),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(by_identity.diagnostics.is_empty(), "{:?}", by_identity.diagnostics);
    assert_eq!(by_identity.imported_resources, by_id.imported_resources, "the same import, however it is named");
    assert_eq!(unidentity(by_identity.imported_resources[0].identity.clone()).get("id").as_str(), Some("abc"));

    // What an import block's identity can get wrong.
    let null_id =
        Some(pb::ResourceIdentityData { identity_data: dv(&Value::object([("id", Value::Null)]), &identity_type()) });
    for (request, expected) in [
        (pb::import_resource_state::Request { identity: null_id, ..Default::default() }, "Missing identity attribute"),
        (pb::import_resource_state::Request { identity: identity(""), ..Default::default() }, "Empty id"),
        (
            pb::import_resource_state::Request { id: "abc".into(), identity: identity("abc"), ..Default::default() },
            "Ambiguous import",
        ),
    ] {
        let request = pb::import_resource_state::Request { type_name: "fake_thing".into(), ..request };
        let r = h.client.import_resource_state(request).await.unwrap().into_inner();
        assert_eq!(error_summaries(&r.diagnostics), [expected]);
        assert!(r.imported_resources.is_empty());
    }
}

#[tokio::test]
async fn a_moved_state_comes_with_its_identity() {
    let mut h = start().await;
    let r = h
        .client
        .move_resource_state(pb::move_resource_state::Request {
            source_provider_address: "registry.terraform.io/example/legacy".into(),
            source_type_name: "fake_legacy_thing".into(),
            source_schema_version: 1,
            source_state: Some(pb::RawState { json: br#"{"label":"beta"}"#.to_vec(), flatmap: Default::default() }),
            target_type_name: "fake_thing".into(),
            // Terraform >= 1.12 sends the source's identity too; the target's is derived from the moved state.
            source_identity: Some(pb::RawState { json: br#"{"label":"beta"}"#.to_vec(), flatmap: Default::default() }),
            source_identity_schema_version: 0,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(undv(r.target_state, &thing_type()).get("id").as_str(), Some("id-beta"));
    assert_eq!(unidentity(r.target_identity), Value::object([("id", Value::string("id-beta"))]));
}

#[tokio::test]
async fn stored_identities_are_upgraded_to_the_current_schema() {
    let mut h = start().await;
    let upgrade = |json: &[u8]| pb::upgrade_resource_identity::Request {
        type_name: "fake_thing".into(),
        version: 0,
        raw_identity: Some(pb::RawState { json: json.to_vec(), flatmap: Default::default() }),
    };
    let r = h.client.upgrade_resource_identity(upgrade(br#"{"id":"x","dropped":1}"#)).await.unwrap().into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(unidentity(r.upgraded_identity), Value::object([("id", Value::string("x"))]));
    let r = h.client.upgrade_resource_identity(upgrade(b"{not json")).await.unwrap().into_inner();
    assert_eq!(error_summaries(&r.diagnostics), ["Unable to read the stored resource identity"]);
    assert!(r.upgraded_identity.is_none());
}

#[tokio::test]
async fn list_streams_one_identity_per_object_and_the_object_when_asked() {
    let mut h = start().await;
    let events = list(&mut h, &list_config("t", Some(4)), false, 100).await;
    let names: Vec<&str> = events.iter().map(|e| e.display_name.as_str()).collect();
    assert_eq!(names, ["t-1", "t-2", "t-3", "t-4"]);
    for event in &events {
        assert!(event.diagnostic.is_empty() && event.resource_object.is_none(), "{event:?}");
        let expected = format!("id-{}", event.display_name);
        assert_eq!(unidentity(event.identity.clone()).get("id").as_str(), Some(expected.as_str()));
    }

    let events = list(&mut h, &list_config("t", None), true, 100).await;
    assert_eq!(events.len(), 3, "count defaults to 3");
    for (i, event) in events.iter().enumerate() {
        let object = undv(event.resource_object.clone(), &thing_type());
        assert_eq!(object, FakeThings::thing(&event.display_name, i as i64 + 1));
    }

    // Terraform's limit is honoured by the server, not only by Terraform hanging up.
    assert_eq!(list(&mut h, &list_config("t", Some(50)), false, 2).await.len(), 2);
    assert!(list(&mut h, &list_config("t", Some(0)), false, 100).await.is_empty());
}

#[tokio::test]
async fn a_failing_or_panicking_listing_ends_with_an_error_event_and_the_server_goes_on() {
    let mut h = start().await;
    let events = list(&mut h, &list_config("fail", Some(5)), false, 100).await;
    assert_eq!(events.len(), 2, "the first thing, then the error, then nothing: {events:?}");
    assert!(events[0].identity.is_some());
    assert_eq!(error_summaries(&events[1].diagnostic), ["Listing failed"]);
    assert!(events[1].identity.is_none());

    let events = list(&mut h, &list_config("panic", Some(5)), false, 100).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(error_summaries(&events[1].diagnostic), ["Provider internal error"]);
    assert!(events[1].diagnostic[0].detail.contains("deliberate panic while listing"));
    assert!(events[1].diagnostic[0].detail.contains("ListResource"));
    assert_eq!(list(&mut h, &list_config("after", Some(1)), false, 100).await.len(), 1);
}

#[tokio::test]
async fn list_configuration_is_validated_and_bad_requests_are_error_events() {
    let mut h = start().await;
    let ty = FakeThings::config_block().value_type();
    let validate = |config: Option<pb::DynamicValue>, type_name: &str| pb::validate_list_resource_config::Request {
        type_name: type_name.into(),
        config,
        ..Default::default()
    };
    let r = h.client.validate_list_resource_config(validate(dv(&list_config("", Some(-1)), &ty), "fake_thing")).await;
    let diagnostics = r.unwrap().into_inner().diagnostics;
    assert_eq!(error_summaries(&diagnostics), ["Empty prefix", "Negative count"]);
    let path = diagnostics[0].attribute.as_ref().expect("on the attribute");
    assert_eq!(path.steps[0].selector, Some(pb::attribute_path::step::Selector::AttributeName("prefix".into())));
    let r = h.client.validate_list_resource_config(validate(dv(&list_config("ok", None), &ty), "fake_thing")).await;
    assert!(r.unwrap().into_inner().diagnostics.is_empty());
    // Unknown values are allowed in validation (the config may come from another resource).
    let unknown = Value::object([("prefix", Value::unknown()), ("count", Value::Null)]);
    let r = h.client.validate_list_resource_config(validate(dv(&unknown, &ty), "fake_thing")).await;
    assert!(r.unwrap().into_inner().diagnostics.is_empty());
    let r = h.client.validate_list_resource_config(validate(dv(&list_config("x", None), &ty), "fake_info")).await;
    assert_eq!(error_summaries(&r.unwrap().into_inner().diagnostics), ["Unknown list resource type"]);

    for (type_name, config, expected) in [
        ("nope", dv(&list_config("x", None), &ty), "Unknown list resource type"),
        (
            "fake_thing",
            Some(pb::DynamicValue { msgpack: vec![0xa1, b'x'], json: vec![] }),
            "Invalid list configuration received from Terraform",
        ),
    ] {
        let events: Vec<_> = h
            .client
            .list_resource(pb::list_resource::Request {
                type_name: type_name.into(),
                config,
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .map(Result::unwrap)
            .collect()
            .await;
        let [event] = events.as_slice() else { panic!("one event: {events:?}") };
        assert_eq!(error_summaries(&event.diagnostic), [expected]);
    }
}

/// Terraform 1.11 speaks protocol 5.8: no identity in any request, and it skips the identity fields of the answers
/// (unknown protobuf fields). The states, private data and diagnostics it reads are those of a request that
/// carries the identity.
#[tokio::test]
async fn a_terraform_1_11_request_without_identity_is_answered_as_before() {
    let mut h = start().await;
    let ty = thing_type();
    let state = FakeThings::thing("old", 1);
    let read = |current_identity| pb::read_resource::Request {
        type_name: "fake_thing".into(),
        current_state: dv(&state, &ty),
        private: b"p".to_vec(),
        current_identity,
        ..Default::default()
    };
    let without = h.client.read_resource(read(None)).await.unwrap().into_inner();
    let with = h.client.read_resource(read(identity("id-old"))).await.unwrap().into_inner();
    assert!(without.diagnostics.is_empty(), "{:?}", without.diagnostics);
    assert_eq!(undv(without.new_state.clone(), &ty), state);
    assert_eq!(without.private, b"p");
    assert_eq!(
        pb::read_resource::Response { new_identity: None, ..with.clone() },
        pb::read_resource::Response { new_identity: None, ..without.clone() }
    );
    // The identity comes back anyway: Terraform 1.12 adopts it for state written by 1.11.
    assert_eq!(without.new_identity, with.new_identity);

    let import = h
        .client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: "fake_thing".into(),
            id: "abc".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let imported = &import.imported_resources[0];
    assert_eq!(undv(imported.state.clone(), &ty).get("id").as_str(), Some("abc"));
}
