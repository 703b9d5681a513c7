//! Resource `modelrouter_claude_dependency`: a Claude deployment a router may route to. Claude models are the
//! one exception to "the router needs no separate deployment": each must be deployed in the same account with
//! the same SKU name before a router's subset may name it. Runs on the shared deployment lifecycle.

mod country_codes;
pub mod guard;
pub mod model;
pub mod schema;
pub mod validate;

use async_trait::async_trait;
use modelrouter_arm::{Account, Deployment, DeploymentId};
use tf_provider::{AttributePath, Diagnostics, PlanRequest, Schema, Value};

pub use guard::check_deployed;

use crate::resources::common::lifecycle::{DeploymentKind, WriteContext};

pub const TYPE_NAME: &str = "modelrouter_claude_dependency";

pub struct ClaudeDependency;

#[async_trait]
impl DeploymentKind for ClaudeDependency {
    const TYPE_NAME: &'static str = TYPE_NAME;
    const RESEND_ATTRIBUTE: &'static str = "routable_by";

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate_structure(&self, config: &Value, diags: &mut Diagnostics) {
        validate::check_structure(config, diags);
    }

    fn plan(&self, request: &PlanRequest, strict_catalog: bool, diags: &mut Diagnostics) -> Value {
        validate::check_against_catalog(&request.config, strict_catalog, diags);
        model::planned_state(&request.prior_state, &request.proposed_new_state, &request.config)
    }

    fn requires_replace(&self) -> Vec<AttributePath> {
        ["cognitive_account_id", "model", "name"]
            .into_iter()
            .map(|a| AttributePath::root().attr(a))
            .chain([AttributePath::root().attr("sku").attr("name")])
            .collect()
    }

    fn apply_to_body(&self, planned: &Value, body: &mut Deployment) {
        model::apply_to_body(planned, body);
    }

    fn state_from_arm(&self, base: &Value, deployment: &Deployment, account: Option<&Account>) -> Value {
        model::state_from_arm(base, deployment, account)
    }

    fn write_mismatches(&self, asked: &Deployment, got: &Deployment) -> Vec<String> {
        model::write_mismatches(asked, got)
    }

    async fn before_delete(&self, ctx: &WriteContext<'_>, state: &Value) -> Result<(), Diagnostics> {
        let (Some(model), Some(version)) = (state.get("model").as_str(), state.get("version").as_str()) else {
            return Ok(());
        };
        let deployments = ctx.list_deployments().await?;
        let routers = guard::routers_routing_to(&deployments, model, version);
        if routers.is_empty() {
            return Ok(());
        }
        let mut diags = Diagnostics::new();
        diags.error(
            "Claude deployment still in use",
            format!(
                "{} still route{} to {model} (version {version}) in account {}. Deleting the Claude deployment \
                 first would break {}: remove the model from {} routing subset (or delete the router{}) first; \
                 referencing this resource from the routers (depends_on) makes Terraform do so in the right order.",
                routers.iter().map(|r| format!("Model router deployment {r:?}")).collect::<Vec<_>>().join(", "),
                if routers.len() == 1 { "s" } else { "" },
                ctx.account,
                if routers.len() == 1 { "it" } else { "them" },
                if routers.len() == 1 { "its" } else { "their" },
                if routers.len() == 1 { "" } else { "s" },
            ),
        );
        Err(diags)
    }

    fn check_import(&self, id: &DeploymentId, deployment: &Deployment) -> Result<(), String> {
        let model = deployment.properties.model.as_ref();
        let format = model.and_then(|m| m.format.as_deref()).unwrap_or("unknown format");
        if format.eq_ignore_ascii_case(model::ANTHROPIC) {
            return Ok(());
        }
        let name = model.map(|m| m.name.as_str()).unwrap_or("");
        let advice = if name.eq_ignore_ascii_case("model-router") {
            " Import it as a modelrouter_deployment instead."
        } else {
            ""
        };
        Err(format!("{id} is a deployment of {format} model {name:?}, not a Claude (Anthropic) model.{advice}"))
    }

    fn import_skeleton(&self, id: &DeploymentId) -> Value {
        let mut state = Value::object([
            ("id", Value::string(id.to_string())),
            ("name", Value::string(&id.name)),
            ("cognitive_account_id", Value::string(id.account.to_string())),
        ]);
        for attr in ["model", "version", "format", "model_provider_data", "timeouts"] {
            state.set_attr(attr, Value::Null);
        }
        state.set_attr("routable_by", Value::List(Vec::new()));
        state.set_attr("sku", Value::object([("name", Value::Null), ("capacity", Value::Null)]));
        state
    }
}
