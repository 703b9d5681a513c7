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

use crate::preflight::{ClaudePlan, DeploymentKind as PreflightKind, PreflightRequest};
use crate::resources::common::ANTHROPIC;
use crate::resources::common::claude_guard::{ClaudeNeed, check_deployed};
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
        let needs = claude_needs(planned, &ctx.deployment.name, &ctx.account.to_string(), ctx.catalog);
        if needs.is_empty() {
            return Ok(());
        }
        let deployments = ctx.list_deployments().await?;
        let mut diags = Diagnostics::new();
        for error in needs.iter().filter_map(|need| check_deployed(&deployments, need).err()) {
            diags.error_at(
                AttributePath::root().attr(schema::attr::ROUTING).attr(schema::attr::MODEL),
                error.title(),
                error.to_string(),
            );
        }
        if diags.has_errors() { Err(diags) } else { Ok(()) }
    }

    fn check_import(&self, id: &DeploymentId, deployment: &Deployment) -> Result<(), String> {
        let Some(other) = NotARouter::of(id, deployment) else {
            return Ok(());
        };
        let advice = if other.is_claude() {
            "Import it as a modelrouter_claude_dependency instead."
        } else {
            "Only deployments of the model `model-router` can be managed as modelrouter_deployment."
        };
        Err(format!("{other} {advice}"))
    }

    fn preflight_request(
        &self,
        planned: &RouterModel,
        prior: Option<&RouterModel>,
        catalog: &Catalog,
    ) -> Option<PreflightRequest> {
        let what_azure_checks =
            |m: &RouterModel| (m.identity.account_id.clone(), m.router_version.clone(), m.sku.clone());
        let check_offer = prior.is_none_or(|p| what_azure_checks(p) != what_azure_checks(planned));
        let account = planned.identity.account_id.known()?;
        let router = planned.identity.name.known().map_or("", String::as_str);
        // A new account, version or SKU needs every Claude model checked again; otherwise only those the write adds.
        let before = prior.filter(|_| !check_offer).map(|p| claude_needs(p, router, account, catalog));
        let claude: Vec<ClaudeNeed> = claude_needs(planned, router, account, catalog)
            .into_iter()
            .filter(|need| before.as_ref().is_none_or(|before| !before.contains(need)))
            .collect();
        if !check_offer && claude.is_empty() {
            return None;
        }
        Some(PreflightRequest {
            kind: PreflightKind::Router,
            account: AccountId::parse(account).ok()?,
            model_name: ROUTER_MODEL_NAME.to_owned(),
            format: ROUTER_MODEL_FORMAT.to_owned(),
            version: planned.router_version.known().cloned(),
            sku_name: planned.sku.name.known()?.clone(),
            capacity: planned.sku.capacity.whole()?,
            held_capacity: held_capacity(prior.map(|p| (&p.identity, &p.sku)), (&planned.identity, &planned.sku)),
            newest_catalog_version: Some(catalog.default_router_version().version.clone()),
            check_offer,
            claude: ClaudePlan::Needs(claude),
        })
    }
}

/// The Claude deployments a planned router needs: one per Claude model in its subset (those the catalog lists as
/// needing their own deployment, or whose format is Anthropic), with the router's SKU.
fn claude_needs(planned: &RouterModel, router: &str, account: &str, catalog: &Catalog) -> Vec<ClaudeNeed> {
    if planned.sku.name.is_unknown() {
        return Vec::new();
    }
    let sku = planned.sku.name_or_default();
    let catalog_router = catalog_router(catalog, &planned.router_version);
    planned
        .subset()
        .unwrap_or_default()
        .iter()
        .filter_map(|model| {
            let name = model.name.known()?;
            let entry = catalog_router.and_then(|r| catalog_entry(r, name));
            let anthropic = model.format.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(ANTHROPIC))
                || entry.is_some_and(|e| e.requires_deployment);
            if !anthropic {
                return None;
            }
            let version = model.version.known().cloned().or_else(|| entry.map(|e| e.version.clone()))?;
            Some(ClaudeNeed {
                router: router.to_owned(),
                account: account.to_owned(),
                model: entry.map_or_else(|| name.clone(), |e| e.name.clone()),
                version,
                sku: sku.to_owned(),
            })
        })
        .collect()
}

/// A deployment of another model than `model-router`, and what it is: for the import check and the data source,
/// which each say what to do about it.
pub struct NotARouter {
    id: String,
    format: String,
    name: String,
    version: String,
}

impl NotARouter {
    /// `None` when `deployment` is a model router.
    pub fn of(id: &DeploymentId, deployment: &Deployment) -> Option<NotARouter> {
        let model = deployment.properties.model.as_ref();
        let name = model.map(|m| m.name.as_str()).unwrap_or("");
        if name.eq_ignore_ascii_case(ROUTER_MODEL_NAME) {
            return None;
        }
        Some(NotARouter {
            id: id.to_string(),
            format: model.and_then(|m| m.format.clone()).unwrap_or_else(|| "unknown format".into()),
            name: name.to_owned(),
            version: model.and_then(|m| m.version.clone()).unwrap_or_else(|| "unknown version".into()),
        })
    }

    pub fn is_claude(&self) -> bool {
        self.format.eq_ignore_ascii_case(ANTHROPIC)
    }
}

impl std::fmt::Display for NotARouter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let NotARouter { id, format, name, version } = self;
        write!(f, "{id} is a deployment of {format} model {name:?} (version {version}), not a model router.")
    }
}
