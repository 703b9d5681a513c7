//! The list resource of both resource types (Terraform >= 1.14, `terraform query`): every deployment of one
//! account that the type manages — routers for `modelrouter_deployment`, Claude deployments for
//! `modelrouter_claude_dependency` — from one paged LIST of the account's deployments.
//!
//! ```hcl
//! list "modelrouter_deployment" "all" {
//!   provider = modelrouter
//!   config {
//!     cognitive_account_id = "/subscriptions/.../accounts/foundry"
//!   }
//! }
//! ```
//!
//! Each result is the state an import of that deployment would produce (the same mapping, from the same ARM
//! body), so `terraform query -generate-config-out` writes configuration that plans empty after the import.

use std::sync::Arc;

use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt as _};
use modelrouter_arm::{Account, Deployment, DeploymentId};
use tf_provider::{
    Attribute, Block, Diagnostic, Diagnostics, ListItem, ListRequest, ListResource, ListResult, Schema, Type, Value,
};

use super::errors::arm_error_diagnostic;
use super::field::Field;
use super::identity::{Identity, attr::ACCOUNT_ID};
use super::lifecycle::{DeploymentKind, ResourceModel};
use super::timeouts::{self, Operation};
use crate::state::ProviderState;

/// Lists the deployments of one account that resource type `K` manages.
pub struct DeploymentList<K: DeploymentKind> {
    kind: K,
    provider: Arc<ProviderState>,
}

impl<K: DeploymentKind> DeploymentList<K> {
    pub fn new(kind: K, provider: Arc<ProviderState>) -> Self {
        Self { kind, provider }
    }

    /// The account named by the configuration; the same rules (and messages) as the resources'
    /// `cognitive_account_id`.
    fn account_identity(config: &Value) -> (Identity, Diagnostics) {
        let identity = Identity { account_id: Field::parse(config.get(ACCOUNT_ID)), ..Identity::default() };
        let mut diags = Diagnostics::new();
        identity.validate(false, &mut diags);
        (identity, diags)
    }

    /// Everything the listing finds, in the order Azure lists it.
    async fn find(&self, request: &ListRequest) -> Result<Vec<ListResult>, Diagnostics> {
        let (identity, diags) = Self::account_identity(&request.config);
        if diags.has_errors() {
            return Err(diags);
        }
        let Some(account_id) = identity.account_id.as_deref() else {
            return Err(Diagnostic::error(
                "Missing cognitive_account_id",
                "The list configuration must set cognitive_account_id to the ARM id of an Azure AI Foundry account.",
            )
            .into());
        };
        let account_id = modelrouter_arm::AccountId::parse(account_id)
            .map_err(|error| Diagnostics::from(Diagnostic::error("Invalid cognitive_account_id", error.to_string())))?;
        let configured = self.provider.configured()?;
        let client = &configured.client;
        let deadline = timeouts::deadline(&Field::Null, Operation::Read);
        let deployments = client.list_deployments(&account_id, deadline).await.map_err(|error| {
            Diagnostics::from(arm_error_diagnostic(&format!("list the deployments of {account_id}"), &error))
        })?;
        let mine: Vec<(DeploymentId, Deployment)> = deployments
            .into_iter()
            .filter_map(|deployment| {
                let id = account_id.deployment(deployment.name.clone()?);
                self.kind.check_import(&id, &deployment).is_ok().then_some((id, deployment))
            })
            .collect();
        // The endpoint in a router's state comes from the account: one (cached) read, only when objects are wanted.
        let account: Option<Account> = if request.include_resource_object && K::NEEDS_ACCOUNT && !mine.is_empty() {
            let account = client.get_account(&account_id, deadline).await.map_err(|error| {
                Diagnostics::from(arm_error_diagnostic(&format!("read account {account_id}"), &error))
            })?;
            Some(account)
        } else {
            None
        };
        let catalog = self.provider.catalog();
        Ok(mine
            .into_iter()
            .map(|(id, deployment)| {
                let mut skeleton = K::Model::default();
                *skeleton.identity_mut() = Identity::of(&id);
                let model = if request.include_resource_object {
                    self.kind.state_from_arm(&skeleton, &deployment, account.as_ref(), &catalog)
                } else {
                    skeleton
                };
                ListResult { display_name: id.name.clone(), state: model.to_value(), diagnostics: Diagnostics::new() }
            })
            .collect())
    }
}

#[async_trait]
impl<K: DeploymentKind> ListResource for DeploymentList<K> {
    fn type_name(&self) -> &'static str {
        K::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::new(Block::new().attribute(Attribute::required(ACCOUNT_ID, Type::String).describe(
            "ARM id of the Azure AI Foundry account whose deployments are listed \
             (`/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{name}`).",
        )))
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        Self::account_identity(config).1
    }

    async fn list(&self, request: ListRequest) -> BoxStream<'static, ListItem> {
        match self.find(&request).await {
            Ok(results) => stream::iter(results.into_iter().map(Ok)).boxed(),
            Err(diagnostics) => stream::once(async { Err(diagnostics) }).boxed(),
        }
    }
}
