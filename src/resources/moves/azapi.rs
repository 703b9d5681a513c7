//! State of `azapi_resource` (Azure/terraform-provider-azapi, `internal/services/azapi_resource.go` and
//! `internal/services/migration/`) for `type = "Microsoft.CognitiveServices/accounts/deployments@<api-version>"`.
//!
//! The schema versions this reads, and how each stores `body` (the ARM request body):
//! - 0 (azapi before 1.13): a string attribute holding the body as JSON text;
//! - 1 (azapi 1.13 to 1.15): a dynamic attribute, stored as `{"value": ..., "type": ...}`, whose value is the body
//!   as an object or as JSON text;
//! - 2 (azapi 2.x): the same dynamic attribute, an object.
//!
//! Every version has `id`, `name`, `parent_id` (the account), `type` and `tags`.

use modelrouter_arm::Deployment;
use serde_json::Value as Json;

use super::{MoveError, SourceDeployment, parse_object, required, text};

pub const TYPE_NAME: &str = "azapi_resource";
/// The newest schema version this provider reads.
pub const NEWEST_SCHEMA_VERSION: i64 = 2;
/// The ARM type a deployment's `type` names before the `@api-version`.
const DEPLOYMENTS_TYPE: &str = "Microsoft.CognitiveServices/accounts/deployments";

fn unreadable(reason: impl Into<String>) -> MoveError {
    MoveError::Unreadable { type_name: TYPE_NAME.to_owned(), reason: reason.into() }
}

/// The deployment an `azapi_resource` state at `schema_version` describes.
pub fn read(schema_version: i64, state: &[u8]) -> Result<SourceDeployment, MoveError> {
    if !(0..=NEWEST_SCHEMA_VERSION).contains(&schema_version) {
        return Err(MoveError::SchemaVersion {
            type_name: TYPE_NAME.to_owned(),
            version: schema_version,
            accepted: "versions 0 to 2: azapi 1.x and 2.x",
        });
    }
    let state = parse_object(TYPE_NAME, state)?;
    let azapi_type = required(TYPE_NAME, &state, "type")?;
    let resource_type = azapi_type.split_once('@').map_or(azapi_type, |(resource_type, _)| resource_type);
    if !resource_type.eq_ignore_ascii_case(DEPLOYMENTS_TYPE) {
        return Err(MoveError::NotADeployment { azapi_type: azapi_type.to_owned() });
    }
    let body = body_object(state.get("body").unwrap_or(&Json::Null))?;
    let mut deployment: Deployment =
        serde_json::from_value(body).map_err(|e| unreadable(format!("its `body` is not a deployment ({e})")))?;
    // azapi keeps tags in their own attribute and sends them in the body; the attribute is what it last wrote.
    if let Some(tags) = state.get("tags").filter(|tags| tags.as_object().is_some_and(|t| !t.is_empty())) {
        deployment.extra.insert("tags".to_owned(), tags.clone());
    }
    Ok(SourceDeployment {
        account_id: required(TYPE_NAME, &state, "parent_id")?.to_owned(),
        name: text(&state, "name").or(deployment.name.as_deref()).unwrap_or_default().to_owned(),
        deployment,
    })
}

/// The ARM body as an object, from any of the stored shapes: the dynamic wrapper, JSON text, an object; nothing is
/// an empty body.
fn body_object(stored: &Json) -> Result<Json, MoveError> {
    let value = match stored.as_object() {
        Some(wrapper) if wrapper.len() == 2 && wrapper.contains_key("value") && wrapper.contains_key("type") => {
            &wrapper["value"]
        }
        _ => stored,
    };
    match value {
        Json::Null => Ok(Json::Object(Default::default())),
        Json::String(text) => {
            let parsed: Json =
                serde_json::from_str(text).map_err(|e| unreadable(format!("its `body` is not JSON ({e})")))?;
            if parsed.is_object() { Ok(parsed) } else { Err(unreadable("its `body` is not a JSON object")) }
        }
        Json::Object(_) => Ok(value.clone()),
        _ => Err(unreadable("its `body` is not an object")),
    }
}
