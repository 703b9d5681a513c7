//! Data source `modelrouter_deployment`: a model router managed elsewhere (another stack, the portal), read by its
//! ARM id or by account and name, exposing what the resource exposes. For stacks that consume a router, such as a
//! gateway stack rendering its configuration with `provider::modelrouter::litellm_model_list`.
//!
//! The mapping from Azure is the resource's own ([`RouterModel::from_arm`]); only the shape differs: the `sku` and
//! `routing` blocks of the resource are object attributes here (a data source has no configuration for them).

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use modelrouter_arm::{Account, AccountId, Deployment, DeploymentId, IdError};
use modelrouter_catalog::Catalog;
use tf_provider::{
    Attribute, AttributePath, Block, DataSource, DataSourceReadResponse, Diagnostic, Diagnostics, Schema, Type, Value,
};

use crate::resources::common::errors::arm_error_diagnostic;
use crate::resources::common::field::Field;
use crate::resources::common::identity::Identity;
use crate::resources::common::identity::invalid_account_id;
use crate::resources::common::lifecycle::ResourceModel;
use crate::resources::common::state::attr as state_attr;
use crate::resources::common::tags::attr as tags_attr;

use crate::resources::common::timeouts::Operation;
use crate::resources::deployment::NotARouter;
use crate::resources::deployment::model::{RouterModel, routed_model_type};
use crate::resources::deployment::schema::attr;
use crate::state::ProviderState;

pub const TYPE_NAME: &str = "modelrouter_deployment";

pub struct DeploymentDataSource {
    provider: Arc<ProviderState>,
}

impl DeploymentDataSource {
    pub fn new(provider: Arc<ProviderState>) -> Self {
        Self { provider }
    }
}

fn sku_type() -> Type {
    Type::Object(BTreeMap::from([("name".to_owned(), Type::String), ("capacity".to_owned(), Type::Number)]))
}

fn routing_type() -> Type {
    let model = Type::Object(BTreeMap::from([
        (attr::MODEL_NAME.to_owned(), Type::String),
        (attr::FORMAT.to_owned(), Type::String),
        (attr::VERSION.to_owned(), Type::String),
    ]));
    Type::Object(BTreeMap::from([
        (attr::MODE.to_owned(), Type::String),
        (attr::MODEL.to_owned(), Type::Set(Box::new(model))),
    ]))
}

fn schema_block() -> Block {
    Block::new()
        .describe(
            "A model router deployment read from Azure, by `id` or by `cognitive_account_id` and `name`: \
             everything `modelrouter_deployment` exposes, for stacks that consume a router managed elsewhere \
             (for example a gateway stack). Refuses a deployment that is not a model router.",
        )
        .attribute(
            Attribute::optional(attr::ID, Type::String)
                .computed()
                .describe("ARM id of the deployment. Set this, or `cognitive_account_id` and `name`."),
        )
        .attribute(
            Attribute::optional(attr::ACCOUNT_ID, Type::String)
                .computed()
                .describe("ARM id of the account; with `name`, instead of `id`."),
        )
        .attribute(
            Attribute::optional(attr::NAME, Type::String)
                .computed()
                .describe("Deployment name; with `cognitive_account_id`, instead of `id`."),
        )
        .attribute(Attribute::computed_only(attr::ROUTER_VERSION, Type::String).describe("Model router version."))
        .attribute(Attribute::computed_only(attr::RAI_POLICY_NAME, Type::String).describe("Content filter."))
        .attribute(Attribute::computed_only(attr::VERSION_UPGRADE_OPTION, Type::String).describe("Upgrade policy."))
        .attribute(Attribute::computed_only(attr::EFFECTIVE_CONTEXT_WINDOW, Type::Number).describe(
            "Smallest documented context window (tokens) among the routed models; null when the catalog \
             documents none of them.",
        ))
        .attribute(
            Attribute::computed_only(attr::ROUTED_MODELS, Type::Set(Box::new(routed_model_type())))
                .describe("The models the router routes to, as on the resource."),
        )
        .attribute(Attribute::computed_only(attr::ENDPOINT, Type::String).describe("The account's endpoint."))
        .attribute(Attribute::computed_only(attr::SKU, sku_type()).describe("`name` and `capacity`."))
        .attribute(
            Attribute::computed_only(state_attr::DEPLOYMENT_STATE, Type::String)
                .describe("`Running` or `Paused` (a paused router answers HTTP 423)."),
        )
        .attribute(
            Attribute::computed_only(state_attr::SERVICE_TIER, Type::String).describe("`Default` or `Priority`."),
        )
        .attribute(Attribute::computed_only(state_attr::PROVISIONING_STATE, Type::String).describe(
            "Azure's `provisioningState`: `Succeeded` once the last operation completed, e.g. `Failed` otherwise.",
        ))
        .attribute(
            Attribute::computed_only(tags_attr::TAGS, Type::map(Type::String))
                .describe("The tags Azure holds (default tags included)."),
        )
        .attribute(Attribute::computed_only(attr::ROUTING, routing_type()).describe(
            "`mode` and the `model` subset (`name`, `format`, `version`); null when the router has no routing \
             settings (balanced over the default set).",
        ))
}

/// Which deployment the configuration names, or the diagnostic on the argument that is missing or wrong.
fn requested(config: &Value) -> Result<DeploymentId, Diagnostic> {
    let identity = Identity::parse(config);
    let path = |a: &str| AttributePath::root().attr(a);
    match (identity.id.as_deref(), identity.account_id.as_deref(), identity.name.as_deref()) {
        (Some(id), None, None) => DeploymentId::parse(id).map_err(|error| {
            Diagnostic::error(
                "Invalid id",
                format!(
                    "id = {id:?} is not the ARM id of a deployment: {error}. Expected {}.",
                    IdError::expected_form(true)
                ),
            )
            .at(path(attr::ID))
        }),
        (None, Some(account), Some(name)) => {
            let account = AccountId::parse(account).map_err(|error| invalid_account_id(account, &error))?;
            Ok(DeploymentId { account, name: name.to_owned() })
        }
        _ => Err(Diagnostic::error(
            "Say which deployment to read",
            "Set either `id` (the deployment's ARM id) or both `cognitive_account_id` and `name`, not both ways.",
        )
        .at(path(attr::ID))),
    }
}

/// The data source's object for router `id` as Azure holds it; also each element of `modelrouter_deployments.routers`.
pub(crate) fn router_object(id: &DeploymentId, deployment: &Deployment, account: &Account, catalog: &Catalog) -> Value {
    let base = RouterModel { identity: Identity::of(id), ..RouterModel::default() };
    let mut router = RouterModel::from_arm(&base, deployment, Some(account), catalog);
    router.timeouts = Field::Null;
    to_data_value(&router)
}

/// The type of [`router_object`]: the attributes of this data source.
pub(crate) fn router_object_type() -> Type {
    schema_block().value_type()
}

/// The data source's object for a router read from Azure.
fn to_data_value(router: &RouterModel) -> Value {
    let resource = router.to_value();
    let mut pairs: Vec<(&str, Value)> = [
        attr::ID,
        attr::NAME,
        attr::ACCOUNT_ID,
        attr::ROUTER_VERSION,
        attr::RAI_POLICY_NAME,
        attr::VERSION_UPGRADE_OPTION,
        attr::EFFECTIVE_CONTEXT_WINDOW,
        attr::ROUTED_MODELS,
        attr::ENDPOINT,
        attr::SKU,
        state_attr::DEPLOYMENT_STATE,
        state_attr::SERVICE_TIER,
        state_attr::PROVISIONING_STATE,
    ]
    .into_iter()
    .map(|a| (a, resource.get(a).clone()))
    .collect();
    pairs.push((attr::ROUTING, resource.get(attr::ROUTING).clone()));
    // What Azure holds: the resource's tags_all.
    pairs.push((tags_attr::TAGS, resource.get(tags_attr::TAGS_ALL).clone()));
    Value::object(pairs)
}

#[async_trait]
impl DataSource for DeploymentDataSource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema { version: 0, block: schema_block() }
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let known = |a: &str| !config.get(a).is_unknown();
        if [attr::ID, attr::ACCOUNT_ID, attr::NAME].into_iter().all(known)
            && let Err(diagnostic) = requested(config)
        {
            return diagnostic.into();
        }
        Diagnostics::new()
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        let failed =
            |diagnostic: Diagnostic| DataSourceReadResponse { state: Value::Null, diagnostics: diagnostic.into() };
        let id = match requested(&config) {
            Ok(id) => id,
            Err(diagnostic) => return failed(diagnostic),
        };
        let configured = match self.provider.configured() {
            Ok(configured) => configured,
            Err(diagnostic) => return failed(diagnostic),
        };
        let client = &configured.client;
        let deadline = std::time::Instant::now() + Operation::Read.default_duration();
        let deployment = match client.read_deployment(&id, deadline).await {
            Ok(Some(deployment)) => deployment,
            Ok(None) => {
                return failed(
                    Diagnostic::error("No such deployment", format!("There is no deployment {id}."))
                        .at(AttributePath::root().attr(attr::ID)),
                );
            }
            Err(error) => return failed(arm_error_diagnostic(&format!("read {id}"), &error)),
        };
        if let Some(other) = NotARouter::of(&id, &deployment) {
            let instead = if other.is_claude() {
                " Claude deployments are managed with the resource modelrouter_claude_dependency."
            } else {
                ""
            };
            return failed(Diagnostic::error(
                "Not a model router",
                format!("{other} This data source reads model router deployments only.{instead}"),
            ));
        }
        let account = match client.get_account(&id.account, deadline).await {
            Ok(account) => account,
            Err(error) => return failed(arm_error_diagnostic(&format!("read account {}", id.account), &error)),
        };
        DataSourceReadResponse {
            state: router_object(&id, &deployment, &account, &configured.catalog),
            diagnostics: Diagnostics::new(),
        }
    }
}
