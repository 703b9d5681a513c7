//! The translations on states shaped as the real providers store them: every attribute of the source schema at the
//! schema version named, the dynamic `body` of azapi in its JSON state encoding (`{"value", "type"}`), unset SDKv2
//! strings as "".

use serde_json::{Value as Json, json};
use tf_provider::MoveRequest;

use super::*;
use crate::resources::claude_dependency::ClaudeDependency;
use crate::resources::claude_dependency::model::ClaudeModel;
use crate::resources::deployment::Router;
use crate::resources::deployment::model::RouterModel;

const ACCOUNT: &str = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/foundry";
const AZAPI: &str = "registry.terraform.io/azure/azapi";
const AZURERM: &str = "registry.terraform.io/hashicorp/azurerm";

fn router_body() -> Json {
    json!({
        "sku": {"name": "GlobalStandard", "capacity": 20},
        "properties": {
            "model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"},
            "raiPolicyName": "Microsoft.DefaultV2",
            "versionUpgradeOption": "NoAutoUpgrade",
            "routing": {"mode": "quality", "models": [{"format": "OpenAI", "name": "gpt-5-mini", "version": "2025-08-07"}]}
        }
    })
}

fn claude_body() -> Json {
    json!({
        "sku": {"name": "GlobalStandard", "capacity": 3},
        "properties": {
            "model": {"format": "Anthropic", "name": "claude-sonnet-4-5", "version": "20250929"},
            "modelProviderData": {"organizationName": "Contoso", "countryCode": "US", "industry": "technology"}
        }
    })
}

fn gpt4o_body() -> Json {
    json!({"sku": {"name": "GlobalStandard", "capacity": 1},
           "properties": {"model": {"format": "OpenAI", "name": "gpt-4o", "version": "2024-11-20"}}})
}

/// An `azapi_resource` state at schema version 2 (azapi 2.x): every attribute of that schema.
fn azapi_v2(name: &str, api_version: &str, body: Json, tags: Json) -> Json {
    json!({
        "id": format!("{ACCOUNT}/deployments/{name}"),
        "name": name,
        "parent_id": ACCOUNT,
        "type": format!("Microsoft.CognitiveServices/accounts/deployments@{api_version}"),
        "location": "",
        "body": {"value": body, "type": ["object", {}]},
        "sensitive_body": null,
        "sensitive_body_version": null,
        "identity": [],
        "ignore_casing": false,
        "ignore_missing_property": true,
        "ignore_null_property": false,
        "list_unique_id_property": null,
        "ignore_other_items_in_list": null,
        "locks": null,
        "output": {"value": {}, "type": ["object", {}]},
        "replace_triggers_external_values": null,
        "replace_triggers_refs": null,
        "response_export_values": null,
        "retry": null,
        "schema_validation_enabled": true,
        "tags": tags,
        "timeouts": null,
        "create_headers": null, "create_query_parameters": null,
        "update_headers": null, "update_query_parameters": null,
        "delete_headers": null, "delete_query_parameters": null,
        "read_headers": null, "read_query_parameters": null
    })
}

/// Schema version 1 (azapi 1.13 to 1.15): the dynamic body holds JSON text (`jsonencode(...)`).
fn azapi_v1(name: &str, body: &Json) -> Json {
    json!({
        "id": format!("{ACCOUNT}/deployments/{name}"),
        "name": name,
        "parent_id": ACCOUNT,
        "type": "Microsoft.CognitiveServices/accounts/deployments@2023-05-01",
        "location": "",
        "body": {"value": body.to_string(), "type": "string"},
        "identity": [],
        "ignore_body_changes": null,
        "ignore_casing": false,
        "ignore_missing_property": true,
        "locks": null,
        "output": {"value": "{}", "type": "string"},
        "removing_special_chars": false,
        "response_export_values": null,
        "schema_validation_enabled": true,
        "tags": null,
        "timeouts": null
    })
}

/// Schema version 0 (azapi before 1.13): the same attributes, but `body` and `output` are string attributes.
fn azapi_v0(name: &str, body: &Json) -> Json {
    let mut state = azapi_v1(name, body);
    state["body"] = json!(body.to_string());
    state["output"] = json!("{}");
    state["tags"] = json!({});
    state
}

/// An `azurerm_cognitive_deployment` state of azurerm 4.x (schema version 0).
fn azurerm_4(name: &str, format: &str, model: &str, version: &str, rai_policy: &str) -> Json {
    json!({
        "id": format!("{ACCOUNT}/deployments/{name}"),
        "name": name,
        "cognitive_account_id": ACCOUNT,
        "dynamic_throttling_enabled": false,
        "model": [{"format": format, "name": model, "version": version}],
        "rai_policy_name": rai_policy,
        "sku": [{"name": "GlobalStandard", "tier": "", "size": "", "family": "", "capacity": 10}],
        "version_upgrade_option": "OnceNewDefaultVersionAvailable",
        "timeouts": null
    })
}

fn request(provider: &str, type_name: &str, version: i64, state: &Json) -> MoveRequest {
    MoveRequest {
        source_provider_address: provider.into(),
        source_type_name: type_name.into(),
        source_schema_version: version,
        source_state: serde_json::to_vec(state).unwrap(),
        source_private: b"{\"schema_version\":\"2\"}".to_vec(),
    }
}

fn move_into<K: DeploymentKind>(kind: &K, request: &MoveRequest) -> Result<(K::Model, PrivateState), MoveError> {
    let source = read_source(request)?;
    moved_state(kind, &request.source_type_name, &source, None, modelrouter_catalog::catalog())
}

fn moved_router(request: &MoveRequest) -> (RouterModel, PrivateState) {
    move_into(&Router, request).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_azapi_2_router_becomes_the_router_an_import_would_give() {
    let state = azapi_v2("router-a", "2025-12-01", router_body(), json!({"team": "ml"}));
    let (router, private) = moved_router(&request(AZAPI, "azapi_resource", 2, &state));
    assert_eq!(router.identity.id.as_deref(), Some(format!("{ACCOUNT}/deployments/router-a").as_str()));
    assert_eq!(router.identity.account_id.as_deref(), Some(ACCOUNT));
    assert_eq!(router.identity.name.as_deref(), Some("router-a"));
    assert_eq!(router.router_version.as_deref(), Some("2025-11-18"));
    assert_eq!(router.sku.name.as_deref(), Some("GlobalStandard"));
    assert_eq!(router.sku.capacity.whole(), Some(20));
    let routing = router.routing.known().expect("routing");
    assert_eq!(routing.mode.as_deref(), Some("quality"));
    let models = routing.models.known().expect("models");
    assert_eq!(models[0].name.as_deref(), Some("gpt-5-mini"));
    assert!(router.routed_models.known().is_some_and(|m| m.len() == 1), "{:?}", router.routed_models);
    // What Azure chose is remembered, as after an import.
    assert_eq!(private.chosen("rai_policy_name"), Some("Microsoft.DefaultV2"));
    assert_eq!(private.chosen("version_upgrade_option"), Some("NoAutoUpgrade"));
    // The model holds no unknowns: Terraform refuses a partly unknown moved state.
    assert!(router.to_value().is_wholly_known());
}

#[test]
fn every_azapi_schema_version_gives_the_same_router() {
    let v2 = moved_router(&request(AZAPI, "azapi_resource", 2, &azapi_v2("r", "2024-10-01", router_body(), json!({}))));
    let v1 = moved_router(&request(AZAPI, "azapi_resource", 1, &azapi_v1("r", &router_body())));
    let v0 = moved_router(&request(AZAPI, "azapi_resource", 0, &azapi_v0("r", &router_body())));
    assert_eq!(v1, v2);
    assert_eq!(v0, v2);
    // A schema-version-1 state whose body was written as an object (not jsonencode) reads the same.
    let mut object_body = azapi_v1("r", &router_body());
    object_body["body"] = json!({"value": router_body(), "type": ["object", {}]});
    assert_eq!(moved_router(&request(AZAPI, "azapi_resource", 1, &object_body)), v2);
}

#[test]
fn azapi_tags_travel_in_the_deployment_and_an_empty_body_is_a_router_without_settings() {
    let state = azapi_v2("r", "2025-12-01", router_body(), json!({"team": "ml", "cost-center": "42"}));
    let source = azapi::read(2, &serde_json::to_vec(&state).unwrap()).unwrap();
    assert_eq!(source.deployment.extra["tags"], json!({"team": "ml", "cost-center": "42"}));
    let untagged = azapi::read(2, &serde_json::to_vec(&azapi_v2("r", "x", router_body(), Json::Null)).unwrap());
    assert!(!untagged.unwrap().deployment.extra.contains_key("tags"));
    // A null body (never set) reads as an empty deployment, which is then not a router.
    let mut empty = azapi_v2("r", "2025-12-01", Json::Null, Json::Null);
    empty["body"] = Json::Null;
    let error = move_into(&Router, &request(AZAPI, "azapi_resource", 2, &empty)).unwrap_err();
    assert!(matches!(error, MoveError::WrongTarget { .. }), "{error}");
}

#[test]
fn an_azapi_claude_deployment_becomes_a_claude_dependency_with_its_attestation() {
    let state = azapi_v2("claude-sonnet-4-5", "2025-12-01", claude_body(), Json::Null);
    let (claude, private): (ClaudeModel, PrivateState) =
        move_into(&ClaudeDependency, &request(AZAPI, "azapi_resource", 2, &state)).unwrap();
    assert_eq!(claude.model.as_deref(), Some("claude-sonnet-4-5"));
    assert_eq!(claude.version.as_deref(), Some("20250929"));
    assert_eq!(claude.sku.capacity.whole(), Some(3));
    let data = claude.provider_data.known().expect("the attestation from the body");
    assert_eq!(data.organization_name.as_deref(), Some("Contoso"));
    assert_eq!(data.industry.as_deref(), Some("technology"));
    assert!(claude.routable_by.known().is_some_and(|r| r.contains(&"2025-11-18".to_owned())));
    // A catalog model's version is the catalog's to plan, not Azure's choice.
    assert_eq!(private, PrivateState::default());
}

#[test]
fn azurerm_4_and_3_states_become_routers() {
    let rm4 = azurerm_4("router-b", "OpenAI", "model-router", "2025-11-18", "");
    let (router, private) = moved_router(&request(AZURERM, "azurerm_cognitive_deployment", 0, &rm4));
    assert_eq!(router.identity.name.as_deref(), Some("router-b"));
    assert_eq!(router.sku.capacity.whole(), Some(10));
    assert_eq!(router.content.rai_policy_name, Field::Null, "\"\" is azurerm's unset");
    assert!(router.routing.is_null(), "azurerm has no routing");
    assert_eq!(private.chosen("version_upgrade_option"), Some("OnceNewDefaultVersionAvailable"));

    // azurerm 3.x stored the SKU as `scale { type }`.
    let rm3 = json!({
        "id": format!("{ACCOUNT}/deployments/router-b"),
        "name": "router-b",
        "cognitive_account_id": ACCOUNT,
        "model": [{"format": "OpenAI", "name": "model-router", "version": "2025-11-18"}],
        "rai_policy_name": "Microsoft.DefaultV2",
        "scale": [{"type": "GlobalStandard", "tier": "", "size": "", "family": "", "capacity": 10}],
        "version_upgrade_option": "OnceNewDefaultVersionAvailable",
        "timeouts": null
    });
    let (router3, _) = moved_router(&request(AZURERM, "azurerm_cognitive_deployment", 0, &rm3));
    assert_eq!(router3.sku, router.sku);
    assert_eq!(router3.content.rai_policy_name.as_deref(), Some("Microsoft.DefaultV2"));
}

#[test]
fn an_azurerm_anthropic_deployment_becomes_a_claude_dependency() {
    let state = azurerm_4("claude-haiku-4-5", "Anthropic", "claude-haiku-4-5", "20251001", "");
    let (claude, _) = move_into(&ClaudeDependency, &request(AZURERM, "azurerm_cognitive_deployment", 0, &state))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(claude.model.as_deref(), Some("claude-haiku-4-5"));
    assert!(claude.provider_data.is_null(), "azurerm stores no attestation");
}

#[test]
fn the_model_decides_the_target_and_the_error_says_what_to_do() {
    let gpt = azapi_v2("gpt-4o", "2025-12-01", gpt4o_body(), Json::Null);
    let error = move_into(&Router, &request(AZAPI, "azapi_resource", 2, &gpt)).unwrap_err();
    let text = error.to_diagnostic().detail;
    assert!(text.contains("\"gpt-4o\"") && text.contains("2024-11-20"), "{text}");
    assert!(text.contains("modelrouter_deployment cannot manage"), "{text}");
    assert!(text.contains("keep this deployment in azapi_resource"), "{text}");

    let claude = azapi_v2("c", "2025-12-01", claude_body(), Json::Null);
    let text = move_into(&Router, &request(AZAPI, "azapi_resource", 2, &claude)).unwrap_err().to_diagnostic().detail;
    assert!(text.contains("a modelrouter_claude_dependency resource instead"), "{text}");

    let router = azurerm_4("r", "OpenAI", "model-router", "2025-11-18", "");
    let error = move_into(&ClaudeDependency, &request(AZURERM, "azurerm_cognitive_deployment", 0, &router));
    let text = error.unwrap_err().to_diagnostic().detail;
    assert!(text.contains("azurerm_cognitive_deployment") && text.contains("\"model-router\""), "{text}");
    assert!(text.contains("a modelrouter_deployment resource instead"), "{text}");
}

#[test]
fn unknown_sources_versions_and_types_are_refused_by_name() {
    let state = azapi_v2("r", "2025-12-01", router_body(), Json::Null);
    let cases = [
        (request(AZAPI, "azapi_resource", 3, &state), "schema version 3"),
        (request(AZURERM, "azurerm_cognitive_deployment", 1, &azurerm_4("r", "OpenAI", "x", "1", "")), "version 1"),
        (request(AZURERM, "azurerm_cognitive_account", 0, &state), "azurerm_cognitive_account"),
        (request("registry.terraform.io/hashicorp/azurerm", "azapi_resource", 2, &state), "azapi_resource of"),
        (request(AZAPI, "azapi_update_resource", 2, &state), "azapi_update_resource"),
    ];
    for (request, named) in cases {
        let error = move_into(&Router, &request).unwrap_err();
        let text = error.to_diagnostic().detail;
        assert!(text.contains(named), "{named}: {text}");
    }
    let mut account = state.clone();
    account["type"] = json!("Microsoft.CognitiveServices/accounts@2024-10-01");
    let error = move_into(&Router, &request(AZAPI, "azapi_resource", 2, &account)).unwrap_err();
    assert!(error.to_string().contains("Microsoft.CognitiveServices/accounts@2024-10-01"), "{error}");
    // Another host serving the same provider (a private mirror) is the same source.
    let mirrored = request("terraform.example.com/Azure/azapi", "azapi_resource", 2, &state);
    assert!(move_into(&Router, &mirrored).is_ok());
}

#[test]
fn unreadable_states_are_errors_not_panics() {
    let good = azapi_v2("r", "2025-12-01", router_body(), Json::Null);
    let mut no_parent = good.clone();
    no_parent["parent_id"] = Json::Null;
    let mut bad_parent = good.clone();
    bad_parent["parent_id"] = json!("/subscriptions/x");
    let mut text_body = good.clone();
    text_body["body"] = json!({"value": "{not json", "type": "string"});
    let mut array_body = good.clone();
    array_body["body"] = json!({"value": [1, 2], "type": ["list", "number"]});
    let mut wrong_sku = good.clone();
    wrong_sku["body"]["value"]["sku"] = json!("GlobalStandard");
    let raw_cases: Vec<(&str, Vec<u8>)> = vec![
        ("not JSON", b"{".to_vec()),
        ("an array", b"[]".to_vec()),
        ("invalid UTF-8", b"{\"type\": \"\xff\"}".to_vec()),
        ("no parent_id", serde_json::to_vec(&no_parent).unwrap()),
        ("a parent_id that is no account", serde_json::to_vec(&bad_parent).unwrap()),
        ("a body that is not JSON", serde_json::to_vec(&text_body).unwrap()),
        ("a body that is a list", serde_json::to_vec(&array_body).unwrap()),
        ("a sku that is a string", serde_json::to_vec(&wrong_sku).unwrap()),
    ];
    for (what, bytes) in raw_cases {
        let request = MoveRequest { source_state: bytes, ..request(AZAPI, "azapi_resource", 2, &good) };
        let error = move_into(&Router, &request).expect_err(what);
        assert_eq!(error.to_diagnostic().summary, "Cannot move this resource", "{what}");
    }
    let no_model = json!({"name": "r", "cognitive_account_id": ACCOUNT, "model": []});
    let error = move_into(&Router, &request(AZURERM, "azurerm_cognitive_deployment", 0, &no_model)).unwrap_err();
    assert!(error.to_string().contains("no `model`"), "{error}");
}
