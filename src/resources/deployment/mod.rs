//! Resource `modelrouter_deployment`: a model router deployment (version, SKU, routing mode, model subset,
//! content filter) on the shared deployment lifecycle.

pub mod model;
pub mod plan;
pub mod schema;
pub mod validate;

use async_trait::async_trait;
use modelrouter_arm::{Account, AccountId, Deployment, DeploymentId};
use modelrouter_catalog::Catalog;
use tf_provider::{AttributePath, Diagnostics, Schema};

use crate::preflight::{DeploymentKind as PreflightKind, PreflightRequest};
use crate::resources::common::ANTHROPIC;
use crate::resources::common::claude_guard::check_deployed;
use crate::resources::common::lifecycle::{DeploymentKind, PlanContext, WriteContext};
use crate::resources::common::sku::held_capacity;
use model::{ROUTER_MODEL_FORMAT, ROUTER_MODEL_NAME, RouterModel, catalog_entry, catalog_router};

pub const TYPE_NAME: &str = "modelrouter_deployment";

pub struct Router;

#[async_trait]
impl DeploymentKind for Router {
    type Model = RouterModel;
    const TYPE_NAME: &'static str = TYPE_NAME;
    const PREFLIGHT_KIND: PreflightKind = PreflightKind::Router;
    const NEEDS_ACCOUNT: bool = true;

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &RouterModel, diags: &mut Diagnostics) {
        validate::check_structure(config, diags);
    }

    fn plan(
        &self,
        config: &RouterModel,
        prior: Option<&RouterModel>,
        ctx: &PlanContext<'_>,
        diags: &mut Diagnostics,
    ) -> RouterModel {
        validate::check_against_catalog(config, prior, ctx, diags);
        plan::planned(config, prior, ctx)
    }

    fn requires_replace(&self) -> Vec<AttributePath> {
        plan::requires_replace()
    }

    fn apply_to_body(&self, planned: &RouterModel, body: &mut Deployment, catalog: &Catalog) {
        planned.apply_to_body(body, catalog);
    }

    fn state_from_arm(
        &self,
        base: &RouterModel,
        deployment: &Deployment,
        account: Option<&Account>,
        catalog: &Catalog,
    ) -> RouterModel {
        RouterModel::from_arm(base, deployment, account, catalog)
    }

    fn write_mismatches(&self, asked: &Deployment, got: &Deployment) -> Vec<String> {
        model::write_mismatches(asked, got)
    }

    async fn before_write(&self, ctx: &WriteContext<'_>, planned: &RouterModel) -> Result<(), Diagnostics> {
        let claude = claude_models(planned, ctx.catalog);
        if claude.is_empty() {
            return Ok(());
        }
        let deployments = ctx.list_deployments().await?;
        let sku = planned.sku.name_or_default();
        let mut diags = Diagnostics::new();
        for (name, version) in claude {
            if let Err(detail) = check_deployed(&deployments, &ctx.deployment.name, ctx.account, &name, &version, sku) {
                diags.error_at(
                    AttributePath::root().attr(schema::attr::ROUTING).attr(schema::attr::MODEL),
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
        let advice = if format.eq_ignore_ascii_case(ANTHROPIC) {
            " Import it as a modelrouter_claude_dependency instead."
        } else {
            " Only deployments of the model `model-router` can be managed as modelrouter_deployment."
        };
        Err(format!("{id} is a deployment of {format} model {name:?} (version {version}), not a model router.{advice}"))
    }

    fn preflight_request(
        &self,
        planned: &RouterModel,
        prior: Option<&RouterModel>,
        catalog: &Catalog,
    ) -> Option<PreflightRequest> {
        let what_azure_checks =
            |m: &RouterModel| (m.identity.account_id.clone(), m.router_version.clone(), m.sku.clone());
        if prior.is_some_and(|p| what_azure_checks(p) == what_azure_checks(planned)) {
            return None;
        }
        Some(PreflightRequest {
            kind: PreflightKind::Router,
            account: AccountId::parse(planned.identity.account_id.known()?).ok()?,
            model_name: ROUTER_MODEL_NAME.to_owned(),
            format: ROUTER_MODEL_FORMAT.to_owned(),
            version: planned.router_version.known().cloned(),
            sku_name: planned.sku.name.known()?.clone(),
            capacity: planned.sku.capacity.whole()?,
            held_capacity: held_capacity(prior.map(|p| (&p.identity, &p.sku)), (&planned.identity, &planned.sku)),
            newest_catalog_version: Some(catalog.default_router_version().version.clone()),
        })
    }
}

/// The Claude models (name, version) a planned router routes to: those the catalog lists as needing their own
/// deployment, or whose format is Anthropic.
fn claude_models(planned: &RouterModel, catalog: &Catalog) -> Vec<(String, String)> {
    let router = catalog_router(catalog, &planned.router_version);
    planned
        .subset()
        .unwrap_or_default()
        .iter()
        .filter_map(|model| {
            let name = model.name.known()?;
            let entry = router.and_then(|r| catalog_entry(r, name));
            let anthropic = model.format.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(ANTHROPIC))
                || entry.is_some_and(|e| e.requires_deployment);
            if !anthropic {
                return None;
            }
            let version = model.version.known().cloned().or_else(|| entry.map(|e| e.version.clone()))?;
            Some((entry.map_or_else(|| name.clone(), |e| e.name.clone()), version))
        })
        .collect()
}
