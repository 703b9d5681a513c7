//! Resource `modelrouter_deployment`: a model router deployment (version, SKU, routing mode, model subset,
//! content filter) on the shared deployment lifecycle.

pub mod model;
pub mod plan;
pub mod schema;
pub mod validate;

use async_trait::async_trait;
use modelrouter_arm::{Account, Deployment, DeploymentId};
use tf_provider::{AttributePath, Diagnostics, PlanRequest, Schema, Value};

use crate::resources::common::lifecycle::{DeploymentKind, WriteContext};

pub const TYPE_NAME: &str = "modelrouter_deployment";

pub struct Router;

#[async_trait]
impl DeploymentKind for Router {
    const TYPE_NAME: &'static str = TYPE_NAME;
    const RESEND_ATTRIBUTE: &'static str = "routed_models";
    const NEEDS_ACCOUNT: bool = true;

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate_structure(&self, config: &Value, diags: &mut Diagnostics) {
        validate::check_structure(config, diags);
    }

    fn plan(&self, request: &PlanRequest, strict_catalog: bool, diags: &mut Diagnostics) -> Value {
        validate::check_against_catalog(&request.config, strict_catalog, diags);
        plan::planned_state(&request.prior_state, &request.proposed_new_state, &request.config)
    }

    fn requires_replace(&self) -> Vec<AttributePath> {
        plan::requires_replace()
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

    async fn before_write(&self, ctx: &WriteContext<'_>, planned: &Value) -> Result<(), Diagnostics> {
        let claude = claude_models(planned);
        if claude.is_empty() {
            return Ok(());
        }
        let deployments = ctx.list_deployments().await?;
        let sku = planned.get("sku").get("name").as_str().unwrap_or(crate::resources::common::sku::DEFAULT_SKU_NAME);
        let mut diags = Diagnostics::new();
        for (name, version) in claude {
            if let Err(detail) = crate::resources::claude_dependency::check_deployed(
                &deployments,
                &ctx.deployment.name,
                ctx.account,
                &name,
                &version,
                sku,
            ) {
                diags.error_at(
                    AttributePath::root().attr("routing").attr("model"),
                    "Claude model not deployed in the account",
                    detail,
                );
            }
        }
        if diags.has_errors() { Err(diags) } else { Ok(()) }
    }

    fn check_import(&self, id: &DeploymentId, deployment: &Deployment) -> Result<(), String> {
        let model = deployment.properties.model.as_ref();
        let name = model.map(|m| m.name.as_str()).unwrap_or("");
        if name.eq_ignore_ascii_case(model::ROUTER_MODEL_NAME) {
            return Ok(());
        }
        let format = model.and_then(|m| m.format.as_deref()).unwrap_or("unknown format");
        let version = model.and_then(|m| m.version.as_deref()).unwrap_or("unknown version");
        let advice = if format.eq_ignore_ascii_case("Anthropic") {
            " Import it as a modelrouter_claude_dependency instead."
        } else {
            " Only deployments of the model `model-router` can be managed as modelrouter_deployment."
        };
        Err(format!("{id} is a deployment of {format} model {name:?} (version {version}), not a model router.{advice}"))
    }

    fn import_skeleton(&self, id: &DeploymentId) -> Value {
        let mut state = Value::object([
            ("id", Value::string(id.to_string())),
            ("name", Value::string(&id.name)),
            ("cognitive_account_id", Value::string(id.account.to_string())),
        ]);
        for attr in [
            "router_version",
            "rai_policy_name",
            "version_upgrade_option",
            "min_context_window",
            "effective_context_window",
            "endpoint",
            "routing",
            "timeouts",
        ] {
            state.set_attr(attr, Value::Null);
        }
        state.set_attr("routed_models", Value::List(Vec::new()));
        state.set_attr("sku", Value::object([("name", Value::Null), ("capacity", Value::Null)]));
        state
    }
}

/// The Claude models (name, version) a planned router routes to: those the catalog lists as needing their own
/// deployment, or whose format is Anthropic.
fn claude_models(planned: &Value) -> Vec<(String, String)> {
    let router = planned.get("router_version").as_str().and_then(|v| modelrouter_catalog::catalog().router_version(v));
    planned
        .get("routing")
        .get("model")
        .elements()
        .iter()
        .filter_map(|model| {
            let name = model.get("name").as_str()?;
            let entry = router.and_then(|r| model::catalog_entry(r, name));
            let anthropic = model.get("format").as_str().is_some_and(|f| f.eq_ignore_ascii_case("Anthropic"))
                || entry.is_some_and(|e| e.requires_deployment);
            if !anthropic {
                return None;
            }
            let version =
                model.get("version").as_str().map(str::to_owned).or_else(|| entry.map(|e| e.version.clone()))?;
            Some((entry.map_or_else(|| name.to_owned(), |e| e.name.clone()), version))
        })
        .collect()
}
