//! Resource `modelrouter_claude_dependency`: a Claude deployment a router may route to. Claude models are the
//! one exception to "the router needs no separate deployment": each must be deployed in the same account with
//! the same SKU name before a router's subset may name it. Runs on the shared deployment lifecycle.

mod country_codes;
pub mod model;
pub mod plan;
pub mod schema;
pub mod validate;

use async_trait::async_trait;
use modelrouter_arm::{Account, AccountId, Deployment, DeploymentId};
use modelrouter_catalog::Catalog;
use tf_provider::{AttributePath, Diagnostics, Schema};

use crate::preflight::{ClaudePlan, DeploymentKind as PreflightKind, PlannedClaude, PreflightRequest};
use crate::resources::common::ANTHROPIC;
use crate::resources::common::claude_guard::routers_routing_to;
use crate::resources::common::lifecycle::{DeploymentKind, PlanContext, WriteContext};
use crate::resources::common::sku::held_capacity;
use model::{ClaudeModel, catalog_model};

pub const TYPE_NAME: &str = "modelrouter_claude_dependency";

pub struct ClaudeDependency;

#[async_trait]
impl DeploymentKind for ClaudeDependency {
    type Model = ClaudeModel;
    const TYPE_NAME: &'static str = TYPE_NAME;
    const PREFLIGHT_KIND: PreflightKind = PreflightKind::Claude;

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &ClaudeModel, diags: &mut Diagnostics) {
        validate::check_structure(config, diags);
    }

    fn plan(
        &self,
        config: &ClaudeModel,
        prior: Option<&ClaudeModel>,
        ctx: &PlanContext<'_>,
        diags: &mut Diagnostics,
    ) -> ClaudeModel {
        validate::check_against_catalog(config, prior, ctx, diags);
        plan::planned(config, prior, ctx)
    }

    fn requires_replace(&self) -> Vec<AttributePath> {
        plan::requires_replace()
    }

    fn apply_to_body(&self, planned: &ClaudeModel, body: &mut Deployment, catalog: &Catalog) {
        planned.apply_to_body(body, catalog);
    }

    fn state_from_arm(
        &self,
        base: &ClaudeModel,
        deployment: &Deployment,
        account: Option<&Account>,
        catalog: &Catalog,
    ) -> ClaudeModel {
        ClaudeModel::from_arm(base, deployment, account, catalog)
    }

    fn write_mismatches(&self, asked: &Deployment, got: &Deployment) -> Vec<String> {
        model::write_mismatches(asked, got)
    }

    async fn before_delete(&self, ctx: &WriteContext<'_>, state: &ClaudeModel) -> Result<(), Diagnostics> {
        let (Some(model), Some(version)) = (state.model.as_deref(), state.version.as_deref()) else {
            return Ok(());
        };
        let deployments = ctx.list_deployments().await?;
        let routers = routers_routing_to(&deployments, model, version);
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
        if format.eq_ignore_ascii_case(ANTHROPIC) {
            return Ok(());
        }
        let name = model.map(|m| m.name.as_str()).unwrap_or("");
        let advice = if name.eq_ignore_ascii_case(crate::resources::deployment::model::ROUTER_MODEL_NAME) {
            " Import it as a modelrouter_deployment instead."
        } else {
            ""
        };
        Err(format!("{id} is a deployment of {format} model {name:?}, not a Claude (Anthropic) model.{advice}"))
    }

    fn preflight_request(
        &self,
        planned: &ClaudeModel,
        prior: Option<&ClaudeModel>,
        catalog: &Catalog,
    ) -> Option<PreflightRequest> {
        let what_azure_checks = |m: &ClaudeModel| (m.identity.account_id.clone(), m.version.clone(), m.sku.clone());
        if prior.is_some_and(|p| what_azure_checks(p) == what_azure_checks(planned)) {
            return None;
        }
        let model = planned.model.known()?;
        // The region lists the model in the catalog's spelling.
        let model_name = catalog_model(catalog, model).map_or_else(|| model.clone(), |(name, _)| name.to_owned());
        let sku_name = planned.sku.name.known()?.clone();
        // Remembered for the routers planned after it; a version unknown at plan cannot satisfy them.
        let claude = planned.version.known().map_or(ClaudePlan::None, |version| {
            ClaudePlan::Provides(PlannedClaude {
                deployment: planned.identity.name.known().cloned(),
                model: model_name.clone(),
                version: version.clone(),
                sku: sku_name.clone(),
            })
        });
        Some(PreflightRequest {
            kind: PreflightKind::Claude,
            account: AccountId::parse(planned.identity.account_id.known()?).ok()?,
            model_name,
            format: ANTHROPIC.to_owned(),
            version: planned.version.known().cloned(),
            sku_name,
            capacity: planned.sku.capacity.whole()?,
            held_capacity: held_capacity(prior.map(|p| (&p.identity, &p.sku)), (&planned.identity, &planned.sku)),
            newest_catalog_version: None,
            check_offer: true,
            claude,
        })
    }
}
