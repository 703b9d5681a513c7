//! `moved` blocks from other providers' resources into ours (MoveResourceState, Terraform >= 1.8): state written by
//! `azapi_resource` (one module per source provider: [`azapi`]) or `azurerm_cognitive_deployment` ([`azurerm`]).
//!
//! Each source module turns the stored JSON into a [`SourceDeployment`]: the deployment in the deployments API's own
//! shape, as the source last saw it. From there the resource's own mapping from Azure builds the state, exactly as
//! for an import, and private state remembers what Azure chose, so the first plan after the move is as quiet as the
//! first plan after an import. The deployment's model decides which resource type may take it.

pub mod azapi;
pub mod azurerm;

use modelrouter_arm::{Account, AccountId, Deployment, DeploymentId};
use modelrouter_catalog::Catalog;
use tf_provider::{Diagnostic, Diagnostics, MoveRequest, MoveResponse, Value};

use super::common::deployment_class::DeploymentClass;
use super::common::field::Field;
use super::common::identity::Identity;
use super::common::lifecycle::{DeploymentKind, ResourceModel};
use super::common::private::PrivateState;
use super::common::timeouts::Operation;
use super::common::values::unknowns_to_null;
use crate::state::ProviderState;

/// The deployment a source provider's state describes.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDeployment {
    /// The account id as the source's state spells it (so the moved state matches a configuration copied from it).
    pub account_id: String,
    pub name: String,
    pub deployment: Deployment,
}

impl SourceDeployment {
    pub fn id(&self) -> Result<DeploymentId, String> {
        let account = AccountId::parse(&self.account_id).map_err(|e| format!("{:?}: {e}", self.account_id))?;
        if self.name.trim().is_empty() {
            return Err("the deployment name is empty".into());
        }
        Ok(DeploymentId { account, name: self.name.clone() })
    }
}

/// Why a move was refused. Each becomes one error diagnostic saying what was found and what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MoveError {
    #[error("{type_name} of {provider} is not a source this provider can take state from")]
    UnknownSource { provider: String, type_name: String },
    #[error("{type_name} state at schema version {version} is not one this provider reads (it reads {accepted})")]
    SchemaVersion { type_name: String, version: i64, accepted: &'static str },
    #[error("azapi_resource of type {azapi_type:?} is not a Microsoft.CognitiveServices/accounts/deployments resource")]
    NotADeployment { azapi_type: String },
    #[error("the {type_name} state cannot be read: {reason}")]
    Unreadable { type_name: String, reason: String },
    #[error("{source_type} {id} deploys {model}, which {target} cannot manage")]
    WrongTarget { source_type: String, id: String, model: String, target: &'static str, advice: String },
}

impl MoveError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let detail = match self {
            MoveError::UnknownSource { .. } => format!(
                "{self}. Moves are accepted from azapi_resource (registry.terraform.io/azure/azapi) and \
                 azurerm_cognitive_deployment (registry.terraform.io/hashicorp/azurerm). For anything else, remove the \
                 `moved` block and use an `import` block with the deployment's ARM id."
            ),
            MoveError::SchemaVersion { .. } => format!(
                "{self}. Upgrade this provider, or remove the `moved` block and use an `import` block with the \
                 deployment's ARM id."
            ),
            MoveError::NotADeployment { .. } => format!(
                "{self}: only Cognitive Services deployments can become modelrouter_deployment or \
                 modelrouter_claude_dependency resources. Check the `from` address of the `moved` block."
            ),
            MoveError::Unreadable { .. } => format!(
                "{self}. Run `terraform plan` with the source provider once so it refreshes its state, or remove the \
                 `moved` block and use an `import` block with the deployment's ARM id."
            ),
            MoveError::WrongTarget { advice, .. } => format!("{self}. {advice}"),
        };
        Diagnostic::error("Cannot move this resource", detail)
    }
}

/// Answers MoveResourceState for resource kind `K`.
pub async fn answer<K: DeploymentKind>(kind: &K, provider: &ProviderState, request: MoveRequest) -> MoveResponse {
    let catalog = provider.catalog();
    let moved = match read_source(&request) {
        Ok(source) => {
            let account = account_of::<K>(provider, &source).await;
            moved_state(kind, &request.source_type_name, &source, account.as_ref(), &catalog)
        }
        Err(error) => Err(error),
    };
    match moved {
        Ok((state, private)) => MoveResponse {
            target_state: unknowns_to_null(&state.to_value()),
            target_private: private.to_bytes(),
            diagnostics: Diagnostics::new(),
        },
        Err(error) => MoveResponse {
            target_state: Value::Null,
            target_private: Vec::new(),
            diagnostics: error.to_diagnostic().into(),
        },
    }
}

/// The account, for resources that show its endpoint, read through the client's per-process cache; none before
/// `Configure` or when the read fails (the next refresh fills the endpoint in, as it would anyway).
async fn account_of<K: DeploymentKind>(provider: &ProviderState, source: &SourceDeployment) -> Option<Account> {
    if !K::NEEDS_ACCOUNT {
        return None;
    }
    let configured = provider.configured().ok()?;
    let id = source.id().ok()?;
    let deadline = std::time::Instant::now() + Operation::Read.default_duration();
    configured.client.get_account(&id.account, deadline).await.ok()
}

/// The state and private state a move of `source` (read from a `source_type` state) into resource kind `K`
/// produces, or why it cannot: the resource's own mapping from Azure, as for an import.
pub fn moved_state<K: DeploymentKind>(
    kind: &K,
    source_type: &str,
    source: &SourceDeployment,
    account: Option<&Account>,
    catalog: &Catalog,
) -> Result<(K::Model, PrivateState), MoveError> {
    let id = source.id().map_err(|reason| MoveError::Unreadable { type_name: source_type.to_owned(), reason })?;
    if kind.check_import(&id, &source.deployment).is_err() {
        return Err(wrong_target(K::TYPE_NAME, source_type, &id, &source.deployment));
    }
    let mut base = K::Model::default();
    *base.identity_mut() = Identity {
        account_id: Field::string(&source.account_id),
        name: Field::string(&source.name),
        ..Identity::default()
    }
    .with_id();
    let state = kind.state_from_arm(&base, &source.deployment, account, catalog);
    let mut private = PrivateState::default();
    private.remember(state.azure_chosen(catalog));
    Ok((state, private))
}

/// Which source module reads this state: by type name, from a provider whose address ends in its name (a mirror or
/// private registry may serve it under another host).
fn read_source(request: &MoveRequest) -> Result<SourceDeployment, MoveError> {
    let provider = request.source_provider_address.to_ascii_lowercase();
    let from = |name: &str| provider.rsplit('/').next() == Some(name);
    match request.source_type_name.as_str() {
        azapi::TYPE_NAME if from("azapi") => azapi::read(request.source_schema_version, &request.source_state),
        azurerm::TYPE_NAME if from("azurerm") => azurerm::read(request.source_schema_version, &request.source_state),
        _ => Err(MoveError::UnknownSource {
            provider: request.source_provider_address.clone(),
            type_name: request.source_type_name.clone(),
        }),
    }
}

/// The refusal for a deployment whose model belongs to the other resource type, or to none.
fn wrong_target(target: &'static str, source_type: &str, id: &DeploymentId, deployment: &Deployment) -> MoveError {
    let model = deployment.properties.model.as_ref();
    let name = model.map(|m| m.name.as_str()).unwrap_or_default();
    let format = model.and_then(|m| m.format.as_deref()).unwrap_or("unknown format");
    let version = model.and_then(|m| m.version.as_deref()).unwrap_or("unknown version");
    let right_target = match DeploymentClass::of(deployment) {
        DeploymentClass::Router => Some(super::deployment::TYPE_NAME),
        DeploymentClass::Claude => Some(super::claude_dependency::TYPE_NAME),
        DeploymentClass::Other => None,
    };
    let advice = match right_target {
        Some(right) => format!("Point the `moved` block's `to` at a {right} resource instead."),
        None => format!(
            "This provider manages only model routers (model-router) and Claude (Anthropic) deployments: keep this \
             deployment in {source_type} and remove the `moved` block."
        ),
    };
    MoveError::WrongTarget {
        source_type: source_type.to_owned(),
        id: id.to_string(),
        model: format!("the {format} model {name:?} (version {version})"),
        target,
        advice,
    }
}

/// A string attribute of the source state; `None` when absent, null or empty (SDKv2 providers store unset strings as
/// "").
fn text<'a>(object: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    object.get(key).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty())
}

/// The stored state as a JSON object.
fn parse_object(type_name: &str, state: &[u8]) -> Result<serde_json::Value, MoveError> {
    let unreadable = |reason: String| MoveError::Unreadable { type_name: type_name.to_owned(), reason };
    let value: serde_json::Value =
        serde_json::from_slice(state).map_err(|e| unreadable(format!("it is not JSON ({e})")))?;
    if !value.is_object() {
        return Err(unreadable("it is not a JSON object".into()));
    }
    Ok(value)
}

/// A required string attribute of the source state.
fn required<'a>(type_name: &str, object: &'a serde_json::Value, key: &str) -> Result<&'a str, MoveError> {
    text(object, key)
        .ok_or_else(|| MoveError::Unreadable { type_name: type_name.to_owned(), reason: format!("it has no `{key}`") })
}

#[cfg(test)]
mod tests;
