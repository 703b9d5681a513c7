//! Data source `modelrouter_deployments`: every deployment of one account, from one paged list read, sorted into
//! model routers (each shaped like data source `modelrouter_deployment`), Claude deployments and the rest. It feeds
//! `import { for_each = ... }` blocks (Terraform >= 1.7), to adopt every router of an account in one plan.

use std::sync::Arc;

use async_trait::async_trait;
use modelrouter_arm::{AccountId, Deployment, DeploymentId};
use serde_json::Value as Json;
use tf_provider::{
    Attribute, AttributePath, Block, DataSource, DataSourceReadResponse, Diagnostic, Diagnostics, Schema, Type, Value,
};

use super::deployment::{router_object, router_object_type};
use crate::resources::common::deployment_class::DeploymentClass;
use crate::resources::common::errors::arm_error_diagnostic;
use crate::resources::common::timeouts::Operation;
use crate::state::ProviderState;

pub const TYPE_NAME: &str = "modelrouter_deployments";

mod attr {
    pub const ACCOUNT_ID: &str = "cognitive_account_id";
    pub const ROUTERS: &str = "routers";
    pub const CLAUDE_DEPENDENCIES: &str = "claude_dependencies";
    pub const OTHER_DEPLOYMENTS: &str = "other_deployments";
}

/// What Azure reports for a deployment that says nothing about its state: it serves.
const RUNNING: &str = "Running";

pub struct DeploymentsDataSource {
    provider: Arc<ProviderState>,
}

impl DeploymentsDataSource {
    pub fn new(provider: Arc<ProviderState>) -> Self {
        Self { provider }
    }
}

fn claude_type() -> Type {
    Type::object([
        ("id", Type::String),
        ("name", Type::String),
        ("model", Type::String),
        ("version", Type::String),
        ("sku", Type::object([("name", Type::String), ("capacity", Type::Number)])),
        ("deployment_state", Type::String),
        ("tags", Type::map(Type::String)),
    ])
}

fn other_type() -> Type {
    Type::object([
        ("id", Type::String),
        ("name", Type::String),
        ("model_format", Type::String),
        ("model_name", Type::String),
        ("model_version", Type::String),
    ])
}

fn schema_block() -> Block {
    Block::new()
        .describe(
            "Every deployment of one account, from one list read: the model routers (each shaped like data source \
             `modelrouter_deployment`), the Claude deployments, and the rest. Feeds `import` blocks with `for_each` \
             to adopt a whole account.",
        )
        .attribute(Attribute::required(attr::ACCOUNT_ID, Type::String).describe("ARM id of the account."))
        .attribute(Attribute::computed_only(attr::ROUTERS, Type::list(router_object_type())).describe(
            "The model router deployments, sorted by name, each with the attributes of data source \
             `modelrouter_deployment` (`id`, `name`, `router_version`, `sku`, `routing`, ...).",
        ))
        .attribute(Attribute::computed_only(attr::CLAUDE_DEPENDENCIES, Type::list(claude_type())).describe(
            "The Claude (Anthropic) deployments, sorted by name: `id`, `name`, `model`, `version`, `sku` (`name`, \
             `capacity`), `deployment_state` and `tags`.",
        ))
        .attribute(Attribute::computed_only(attr::OTHER_DEPLOYMENTS, Type::list(other_type())).describe(
            "Every other deployment, sorted by name: `id`, `name`, `model_format`, `model_name`, `model_version`.",
        ))
}

/// The deployment's tags as a map (empty when it has none).
fn tags_value(deployment: &Deployment) -> Value {
    let tags = deployment.extra.get("tags").and_then(Json::as_object);
    Value::map(tags.into_iter().flatten().filter_map(|(k, v)| Some((k.clone(), Value::string(v.as_str()?)))))
}

fn claude_object(id: &DeploymentId, deployment: &Deployment) -> Value {
    let model = deployment.properties.model.as_ref();
    let sku = deployment.sku.as_ref();
    let state = deployment.properties.extra.get("deploymentState").and_then(Json::as_str).unwrap_or(RUNNING);
    Value::object([
        ("id", Value::string(id.to_string())),
        ("name", Value::string(&id.name)),
        ("model", Value::opt_string(model.map(|m| m.name.clone()))),
        ("version", Value::opt_string(model.and_then(|m| m.version.clone()))),
        (
            "sku",
            Value::object([
                ("name", Value::opt_string(sku.map(|s| s.name.clone()))),
                ("capacity", Value::opt_int(sku.and_then(|s| s.capacity))),
            ]),
        ),
        ("deployment_state", Value::string(state)),
        ("tags", tags_value(deployment)),
    ])
}

fn other_object(id: &DeploymentId, deployment: &Deployment) -> Value {
    let model = deployment.properties.model.as_ref();
    Value::object([
        ("id", Value::string(id.to_string())),
        ("name", Value::string(&id.name)),
        ("model_format", Value::opt_string(model.and_then(|m| m.format.clone()))),
        ("model_name", Value::opt_string(model.map(|m| m.name.clone()))),
        ("model_version", Value::opt_string(model.and_then(|m| m.version.clone()))),
    ])
}

fn account_id(config: &Value) -> Result<AccountId, Diagnostic> {
    let raw = config.get(attr::ACCOUNT_ID).as_str().unwrap_or_default();
    AccountId::parse(raw).map_err(|error| {
        Diagnostic::error(
            "Invalid cognitive_account_id",
            format!(
                "cognitive_account_id = {raw:?} is not the ARM id of an account ({error}). Expected \
                 /subscriptions/{{id}}/resourceGroups/{{rg}}/providers/Microsoft.CognitiveServices/accounts/{{account}}."
            ),
        )
        .at(AttributePath::root().attr(attr::ACCOUNT_ID))
    })
}

#[async_trait]
impl DataSource for DeploymentsDataSource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema { version: 0, block: schema_block() }
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        if config.get(attr::ACCOUNT_ID).is_unknown() {
            return Diagnostics::new();
        }
        account_id(config).err().map(Diagnostics::from).unwrap_or_default()
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        match self.read_account(&config).await {
            Ok(state) => DataSourceReadResponse { state, diagnostics: Diagnostics::new() },
            Err(diagnostic) => DataSourceReadResponse { state: Value::Null, diagnostics: diagnostic.into() },
        }
    }
}

impl DeploymentsDataSource {
    /// The data source's state: one list read, plus one (cached) account read when there is a router.
    async fn read_account(&self, config: &Value) -> Result<Value, Diagnostic> {
        let account = account_id(config)?;
        let configured = self.provider.configured()?;
        let client = &configured.client;
        let deadline = std::time::Instant::now() + Operation::Read.default_duration();
        let mut deployments = client
            .list_deployments(&account, deadline)
            .await
            .map_err(|error| arm_error_diagnostic(&format!("list the deployments of {account}"), &error))?;
        deployments.sort_by(|a, b| a.name.cmp(&b.name));
        let mut routers = Vec::new();
        let mut claude = Vec::new();
        let mut others = Vec::new();
        let mut account_read = None;
        for deployment in &deployments {
            // The configuration's spelling of the account, so ids match what the resources will hold.
            let id = DeploymentId { account: account.clone(), name: deployment.name.clone().unwrap_or_default() };
            match DeploymentClass::of(deployment) {
                DeploymentClass::Router => {
                    let read = match &account_read {
                        Some(read) => read,
                        None => account_read.insert(
                            client
                                .get_account(&account, deadline)
                                .await
                                .map_err(|error| arm_error_diagnostic(&format!("read account {account}"), &error))?,
                        ),
                    };
                    routers.push(router_object(&id, deployment, read, &configured.catalog));
                }
                DeploymentClass::Claude => claude.push(claude_object(&id, deployment)),
                DeploymentClass::Other => others.push(other_object(&id, deployment)),
            }
        }
        Ok(Value::object([
            (attr::ACCOUNT_ID, config.get(attr::ACCOUNT_ID).clone()),
            (attr::ROUTERS, Value::List(routers)),
            (attr::CLAUDE_DEPENDENCIES, Value::List(claude)),
            (attr::OTHER_DEPLOYMENTS, Value::List(others)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use modelrouter_arm::{DeploymentModel, Sku};

    fn deployment(name: &str, format: &str, model: &str) -> Deployment {
        let mut d = Deployment { name: Some(name.into()), ..Deployment::default() };
        d.properties.model = Some(DeploymentModel {
            format: Some(format.into()),
            name: model.into(),
            version: Some("1".into()),
            extra: Default::default(),
        });
        d.sku = Some(Sku { name: "GlobalStandard".into(), capacity: Some(2), extra: Default::default() });
        d
    }

    #[test]
    fn a_claude_deployment_without_state_or_tags_is_running_with_no_tags() {
        let id = DeploymentId::parse(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct/deployments/c",
        )
        .unwrap();
        let mut d = deployment("c", "Anthropic", "claude-x");
        let object = claude_object(&id, &d);
        assert_eq!(object.get("deployment_state").as_str(), Some(RUNNING));
        assert_eq!(object.get("tags"), &Value::map(Vec::<(String, Value)>::new()));
        assert_eq!(object.get("sku").get("capacity").as_i64(), Some(2));
        d.extra.insert("tags".into(), serde_json::json!({"team": "ml", "odd": 3}));
        d.properties.extra.insert("deploymentState".into(), "Paused".into());
        let object = claude_object(&id, &d);
        assert_eq!(object.get("deployment_state").as_str(), Some("Paused"));
        assert_eq!(object.get("tags"), &Value::map([("team", Value::string("ml"))]));
    }
}
