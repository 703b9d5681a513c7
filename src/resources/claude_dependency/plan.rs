//! Planning a `modelrouter_claude_dependency` from its typed configuration and prior state (the rules Terraform
//! enforces are summarised in `deployment/plan.rs`).

use tf_provider::AttributePath;

use super::model::{ClaudeModel, DEFAULT_CAPACITY, ProviderData, catalog_model, routable_by};
use super::schema::attr;
use crate::resources::common::ANTHROPIC;
use crate::resources::common::field::{Field, plan_case_insensitive};
use crate::resources::common::identity::Identity;
use crate::resources::common::lifecycle::PlanContext;
use crate::resources::common::state::{Content, Serving};
use crate::resources::common::tags::Tags;

/// Paths whose change replaces the deployment.
pub fn requires_replace() -> Vec<AttributePath> {
    [attr::ACCOUNT_ID, attr::MODEL, attr::NAME]
        .into_iter()
        .map(|a| AttributePath::root().attr(a))
        .chain([AttributePath::root().attr(attr::SKU).attr(crate::resources::common::sku::attr::NAME)])
        .collect()
}

pub fn planned(config: &ClaudeModel, prior: Option<&ClaudeModel>, ctx: &PlanContext<'_>) -> ClaudeModel {
    let (catalog, remembered) = (ctx.catalog, ctx.private);
    let model = match prior {
        Some(prior) => plan_case_insensitive(&config.model, &prior.model),
        None => config.model.clone(),
    };
    // The deployment name defaults to the model name.
    let name = config.identity.name.clone().or_else(|| model.clone());
    let identity = Identity::plan(&config.identity.account_id, name, prior.map(|p| &p.identity));
    let same_model = prior.is_some_and(|p| p.model == model);
    let version = config.version.clone().or_else(|| {
        let from_catalog = model.as_deref().and_then(|m| catalog_model(catalog, m)).map(|(_, v)| Field::string(v));
        match (from_catalog, prior) {
            (Some(version), _) => version,
            // Outside the catalog: what Azure chose for the same model (so a later change is drift), else what it
            // reported, even nothing.
            (None, Some(prior)) if same_model => {
                remembered.chosen(attr::VERSION).map_or_else(|| prior.version.clone(), Field::string)
            }
            (None, _) => Field::Unknown,
        }
    });
    let routable = match (model.as_deref(), version.as_deref()) {
        (Some(m), Some(v)) => Field::Known(routable_by(catalog, m, v)),
        _ if version.is_null() && !model.is_unknown() => Field::Known(Vec::new()),
        _ => Field::Unknown,
    };
    ClaudeModel {
        identity,
        model,
        version,
        format: Field::string(ANTHROPIC),
        routable_by: routable,
        sku: config.sku.plan(prior.map(|p| &p.sku), DEFAULT_CAPACITY),
        provider_data: plan_provider_data(&config.provider_data, prior.map(|p| &p.provider_data)),
        content: Content::plan(&config.content, prior.map(|p| &p.content), remembered),
        tags: Tags::plan(&config.tags, &ctx.default_tags),
        serving: Serving::plan(&config.serving, prior.map(|p| &p.serving), remembered),
        timeouts: config.timeouts.clone(),
    }
}

/// Azure stores the industry lower-cased: a configured "Technology" means the same as a stored "technology".
fn plan_provider_data(config: &Field<ProviderData>, prior: Option<&Field<ProviderData>>) -> Field<ProviderData> {
    let (Field::Known(config), Some(Field::Known(prior))) = (config, prior) else {
        return config.clone();
    };
    Field::Known(ProviderData { industry: plan_case_insensitive(&config.industry, &prior.industry), ..config.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::common::lifecycle::ResourceModel;
    use crate::resources::common::private::PrivateState;

    fn object(industry: &str) -> ClaudeModel {
        ClaudeModel::parse(&super::super::model::tests::object(industry))
    }

    #[test]
    fn industry_in_another_case_is_no_change() {
        let prior = object("technology");
        assert_eq!(
            planned(&object("Technology"), Some(&prior), &PlanContext::for_tests(true, &PrivateState::default())),
            prior
        );
    }

    #[test]
    fn a_model_outside_the_catalog_keeps_what_azure_reported_even_nothing() {
        let mut config = object("technology");
        config.model = Field::string("claude-future-9");
        config.version = Field::Null;
        let created = planned(&config, None, &PlanContext::for_tests(true, &PrivateState::default()));
        assert!(created.version.is_unknown());
        let mut stored = created.clone();
        stored.identity.id = Field::string("/x");
        stored.version = Field::Null;
        stored.routable_by = Field::Known(Vec::new());
        assert_eq!(planned(&config, Some(&stored), &PlanContext::for_tests(true, &PrivateState::default())), stored);
    }
}
