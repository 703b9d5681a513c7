//! State of `azurerm_cognitive_deployment` (hashicorp/terraform-provider-azurerm,
//! `internal/services/cognitive/cognitive_deployment_resource.go`), schema version 0 in every azurerm release.
//!
//! Attributes: `id`, `name`, `cognitive_account_id`, `model` (one block: `format`, `name`, `version`), `sku` (one
//! block: `name`, `capacity`, `tier`, `size`, `family`; azurerm 4.x) or `scale` (one block: `type`, `capacity`, ...;
//! azurerm 3.x), `rai_policy_name`, `version_upgrade_option`, `dynamic_throttling_enabled`. Unset strings are
//! stored as "". It has no routing, no tags and no Claude attestation (`modelProviderData`).

use modelrouter_arm::{Deployment, DeploymentModel, Sku};
use serde_json::Value as Json;

use super::{MoveError, SourceDeployment, parse_object, required, text};

pub const TYPE_NAME: &str = "azurerm_cognitive_deployment";

/// The one element of a block stored as a list with at most one item.
fn single_block<'a>(state: &'a Json, key: &str) -> Option<&'a Json> {
    state.get(key)?.as_array()?.first()
}

/// The deployment an `azurerm_cognitive_deployment` state describes.
pub fn read(schema_version: i64, state: &[u8]) -> Result<SourceDeployment, MoveError> {
    if schema_version != 0 {
        return Err(MoveError::SchemaVersion {
            type_name: TYPE_NAME.to_owned(),
            version: schema_version,
            accepted: "version 0: azurerm 3.x and 4.x",
        });
    }
    let state = parse_object(TYPE_NAME, state)?;
    let model = single_block(&state, "model")
        .ok_or_else(|| MoveError::Unreadable { type_name: TYPE_NAME.to_owned(), reason: "it has no `model`".into() })?;
    let mut deployment = Deployment::default();
    deployment.properties.model = Some(DeploymentModel {
        format: text(model, "format").map(str::to_owned),
        name: required(TYPE_NAME, model, "name")?.to_owned(),
        version: text(model, "version").map(str::to_owned),
        extra: Default::default(),
    });
    deployment.sku = match (single_block(&state, "sku"), single_block(&state, "scale")) {
        (Some(sku), _) => text(sku, "name").map(|name| (name, sku)),
        (None, Some(scale)) => text(scale, "type").map(|name| (name, scale)),
        (None, None) => None,
    }
    .map(|(name, block)| Sku {
        name: name.to_owned(),
        capacity: block.get("capacity").and_then(Json::as_i64).filter(|c| *c > 0),
        extra: Default::default(),
    });
    deployment.properties.rai_policy_name = text(&state, "rai_policy_name").map(str::to_owned);
    deployment.properties.version_upgrade_option = text(&state, "version_upgrade_option").map(str::to_owned);
    let name = required(TYPE_NAME, &state, "name")?.to_owned();
    deployment.name = Some(name.clone());
    Ok(SourceDeployment {
        account_id: required(TYPE_NAME, &state, "cognitive_account_id")?.to_owned(),
        name,
        deployment,
    })
}
