//! Planning a `modelrouter_deployment` from its typed configuration and prior state: defaults from the catalog,
//! values Azure fills in, and the computed attributes that are known before apply (`routed_models`,
//! `effective_context_window`).
//!
//! The rules Terraform enforces (tfplugin5 §4.5, §4.7): a configured value is planned as written, or as the prior
//! value when the two mean the same (case of ids and names); an optional+computed attribute left out may take a
//! default, the prior value or stay unknown; the applied value must equal every known planned value; and when
//! nothing changed the plan equals the prior state, so Terraform sees a no-op.

use modelrouter_catalog::{Catalog, ModelEntry, effective_context_window};
use tf_provider::AttributePath;

use super::model::{
    DEFAULT_CAPACITY, DEFAULT_MODE, ModelRef, RoutedModel, RouterModel, Routing, catalog_entry, catalog_router,
};
use super::schema::attr;
use crate::resources::common::field::{Field, Num, same_ignoring_case};
use crate::resources::common::identity::Identity;
use crate::resources::common::lifecycle::PlanContext;
use crate::resources::common::state::{Content, Serving};
use crate::resources::common::tags::Tags;

/// Paths whose change replaces the deployment (Terraform keeps only those that actually changed).
pub fn requires_replace() -> Vec<AttributePath> {
    vec![
        AttributePath::root().attr(attr::NAME),
        AttributePath::root().attr(attr::ACCOUNT_ID),
        AttributePath::root().attr(attr::SKU).attr(crate::resources::common::sku::attr::NAME),
    ]
}

/// The planned model for a create (`prior` none) or an update; `remembered` holds what Azure chose for the
/// optional attributes the configuration leaves unset.
pub fn planned(config: &RouterModel, prior: Option<&RouterModel>, ctx: &PlanContext<'_>) -> RouterModel {
    let remembered = ctx.private;
    let router_version = config.router_version.clone().or_else(|| default_router_version(ctx.catalog, prior));
    let routing = plan_routing(ctx.catalog, &config.routing, prior.map(|p| &p.routing), &router_version);
    let (routed_models, effective_context_window) = routed_set(ctx.catalog, &router_version, &routing);
    let identity =
        Identity::plan(&config.identity.account_id, config.identity.name.clone(), prior.map(|p| &p.identity));
    let same_account = prior.is_some_and(|p| same_ignoring_case(&p.identity.account_id, &identity.account_id));
    RouterModel {
        identity,
        router_version,
        content: Content::plan(&config.content, prior.map(|p| &p.content), remembered),
        min_context_window: config.min_context_window.clone(),
        effective_context_window,
        routed_models,
        endpoint: match prior {
            Some(prior) if same_account => prior.endpoint.clone(),
            _ => Field::Unknown,
        },
        sku: config.sku.plan(prior.map(|p| &p.sku), DEFAULT_CAPACITY),
        routing,
        tags: Tags::plan(&config.tags, &ctx.default_tags),
        serving: Serving::plan(&config.serving, prior.map(|p| &p.serving), remembered),
        timeouts: config.timeouts.clone(),
    }
}

/// The router version a configuration without one means: the newest in the catalog. A router Azure upgraded to a
/// version newer than this provider's catalog knows keeps it (an automatic upgrade is not drift); any older
/// version, e.g. a downgrade in the portal, is planned back to the newest.
fn default_router_version(catalog: &Catalog, prior: Option<&RouterModel>) -> Field<String> {
    let newest = &catalog.default_router_version().version;
    match prior.and_then(|p| p.router_version.known()) {
        Some(current) if catalog.router_version(current).is_none() && current > newest => Field::string(current),
        _ => Field::string(newest),
    }
}

/// The `routing` block as planned: mode defaulted, each model's format and version from the configuration, else the
/// catalog, else the prior state (a model the catalog does not know keeps what Azure reported, even nothing), else
/// unknown until Azure answers.
fn plan_routing(
    catalog: &Catalog,
    config: &Field<Routing>,
    prior: Option<&Field<Routing>>,
    router_version: &Field<String>,
) -> Field<Routing> {
    let routing = match config {
        Field::Null => return Field::Null,
        // A block is never planned unknown as a whole: its attributes are.
        Field::Unknown => return Field::Known(Routing { mode: Field::Unknown, models: Field::Unknown }),
        Field::Known(routing) => routing,
    };
    let mode = routing.mode.clone().or_else(|| Field::string(DEFAULT_MODE));
    let Field::Known(models) = &routing.models else {
        return Field::Known(Routing { mode, models: routing.models.clone() });
    };
    let router = catalog_router(catalog, router_version);
    let prior_models =
        prior.and_then(Field::known).and_then(|r| r.models.known()).map(Vec::as_slice).unwrap_or_default();
    let planned = models
        .iter()
        .map(|model| {
            let name = model.name.as_deref();
            let entry = name.and_then(|n| router.and_then(|r| catalog_entry(r, n)));
            let prior_match = name.and_then(|n| {
                prior_models.iter().find(|p| p.name.as_deref().is_some_and(|pn| pn.eq_ignore_ascii_case(n)))
            });
            let fill =
                |configured: &Field<String>, from_catalog: Option<&String>, from_prior: Option<&Field<String>>| {
                    configured.clone().or_else(|| match (from_catalog, from_prior) {
                        (Some(value), _) => Field::string(value),
                        (None, Some(prior)) => prior.clone(),
                        (None, None) => Field::Unknown,
                    })
                };
            ModelRef {
                name: model.name.clone(),
                format: fill(&model.format, entry.map(|e| &e.format), prior_match.map(|p| &p.format)),
                version: fill(&model.version, entry.map(|e| &e.version), prior_match.map(|p| &p.version)),
            }
        })
        .collect();
    Field::Known(Routing { mode, models: Field::Known(planned) })
}

/// `routed_models` and `effective_context_window` of a router, derived from its router version and routing alone,
/// so that the plan and the state after apply compute them identically. Unknown while anything they depend on is.
///
/// The default set of a router version the catalog does not know is not known to the provider: both are null then.
pub fn routed_set(
    catalog: &Catalog,
    router_version: &Field<String>,
    routing: &Field<Routing>,
) -> (Field<Vec<RoutedModel>>, Field<Num>) {
    const UNKNOWN: (Field<Vec<RoutedModel>>, Field<Num>) = (Field::Unknown, Field::Unknown);
    if router_version.is_unknown() || routing.is_unknown() {
        return UNKNOWN;
    }
    let router = catalog_router(catalog, router_version);
    let subset: &[ModelRef] = match routing {
        Field::Known(routing) => match &routing.models {
            Field::Known(models) => models,
            Field::Unknown => return UNKNOWN,
            Field::Null => &[],
        },
        _ => &[],
    };
    let mut rows: Vec<(usize, RoutedModel)> = Vec::new();
    let mut entries: Vec<&ModelEntry> = Vec::new();
    if subset.is_empty() {
        let Some(router) = router else {
            return (Field::Null, Field::Null);
        };
        for (index, entry) in router.default_set().iter().enumerate() {
            rows.push((index, RoutedModel::from_catalog(entry)));
            entries.push(entry);
        }
    } else {
        for model in subset {
            let Some(name) = model.name.known() else {
                return UNKNOWN;
            };
            match router.and_then(|r| catalog_entry(r, name).map(|e| (r, e))) {
                Some((r, entry)) => {
                    let index = r.models.iter().position(|m| std::ptr::eq(m, entry)).unwrap_or(usize::MAX);
                    rows.push((index, RoutedModel::from_catalog(entry)));
                    entries.push(entry);
                }
                // Outside the catalog (strict_catalog = false): what was configured or Azure reported.
                None => {
                    if model.format.is_unknown() || model.version.is_unknown() {
                        return UNKNOWN;
                    }
                    rows.push((
                        usize::MAX,
                        RoutedModel {
                            format: model.format.clone(),
                            name: Field::string(name),
                            version: model.version.clone(),
                            preview: Field::Known(false),
                            context_window: Field::Null,
                        },
                    ));
                }
            }
        }
    }
    // Catalog order, then name: a set has no order of its own, and the list must not flap between plans.
    rows.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.name.as_deref().cmp(&y.name.as_deref())));
    let window = effective_context_window(entries);
    let effective = Field::from_option(window.tokens.map(|t| Num::int(t as i64)));
    (Field::Known(rows.into_iter().map(|(_, row)| row).collect()), effective)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::common::lifecycle::ResourceModel;
    use crate::resources::common::private::PrivateState;
    use tf_provider::Value;

    const ACCOUNT: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct";

    fn config(models: &[&str]) -> RouterModel {
        let mut config = RouterModel::parse(&Value::Null);
        config.identity.name = Field::string("router");
        config.identity.account_id = Field::string(ACCOUNT);
        config.routing = Field::Known(Routing {
            mode: Field::Null,
            models: Field::Known(
                models.iter().map(|m| ModelRef { name: Field::string(*m), ..Default::default() }).collect(),
            ),
        });
        config
    }

    fn models(planned: &RouterModel) -> &[ModelRef] {
        planned.subset().expect("known subset")
    }

    #[test]
    fn create_fills_defaults_from_the_catalog_and_leaves_server_values_unknown() {
        let planned = planned(&config(&["GPT-5-mini"]), None, &PlanContext::for_tests(true, &PrivateState::default()));
        assert!(planned.identity.id.is_unknown());
        assert_eq!(planned.router_version.as_deref(), Some("2025-11-18"));
        assert_eq!(planned.sku.name.as_deref(), Some("GlobalStandard"));
        assert_eq!(planned.sku.capacity.whole(), Some(10));
        assert_eq!(planned.routing.known().unwrap().mode.as_deref(), Some("balanced"));
        let model = &models(&planned)[0];
        assert_eq!(model.name.as_deref(), Some("GPT-5-mini"), "the configuration's spelling is kept");
        assert_eq!(model.format.as_deref(), Some("OpenAI"));
        assert_eq!(model.version.as_deref(), Some("2025-08-07"));
        assert!(planned.content.rai_policy_name.is_unknown());
        assert!(planned.endpoint.is_unknown());
        let routed = planned.routed_models.known().expect("known at plan");
        assert_eq!(routed.len(), 1);
        assert_eq!(routed[0].name.as_deref(), Some("gpt-5-mini"));
    }

    #[test]
    fn unchanged_configuration_plans_the_prior_state_exactly() {
        let mut prior =
            planned(&config(&["gpt-5-mini", "gpt-5"]), None, &PlanContext::for_tests(true, &PrivateState::default()));
        prior.identity.id = Field::string(format!("{ACCOUNT}/deployments/router"));
        prior.content.rai_policy_name = Field::string("Microsoft.DefaultV2");
        prior.content.version_upgrade_option = Field::string("OnceNewDefaultVersionAvailable");
        prior.endpoint = Field::string("https://a.openai.azure.com/");
        assert_eq!(
            planned(
                &config(&["gpt-5-mini", "gpt-5"]),
                Some(&prior),
                &PlanContext::for_tests(true, &PrivateState::default())
            ),
            prior
        );
    }

    #[test]
    fn a_model_outside_the_catalog_is_unknown_on_create_and_keeps_what_azure_reported_later() {
        let created =
            planned(&config(&["gpt-7-preview"]), None, &PlanContext::for_tests(true, &PrivateState::default()));
        assert!(models(&created)[0].format.is_unknown());
        assert!(created.routed_models.is_unknown());
        // Azure reported no format and no version: the next plan keeps exactly that.
        let mut stored = created.clone();
        stored.routing = Field::Known(Routing {
            mode: Field::string("balanced"),
            models: Field::Known(vec![ModelRef { name: Field::string("gpt-7-preview"), ..Default::default() }]),
        });
        let (routed, effective) = routed_set(modelrouter_catalog::catalog(), &stored.router_version, &stored.routing);
        stored.routed_models = routed;
        stored.effective_context_window = effective;
        let next = planned(
            &config(&["gpt-7-preview"]),
            Some(&stored),
            &PlanContext::for_tests(true, &PrivateState::default()),
        );
        assert_eq!(next.routing, stored.routing);
        assert_eq!(next.routed_models, stored.routed_models);
    }

    #[test]
    fn the_default_set_of_an_unknown_router_version_is_null_not_unknown() {
        let mut cfg = config(&[]);
        cfg.routing = Field::Null;
        cfg.router_version = Field::string("2027-01-01");
        let planned = planned(&cfg, None, &PlanContext::for_tests(true, &PrivateState::default()));
        assert_eq!(planned.routed_models, Field::Null);
        assert_eq!(planned.effective_context_window, Field::Null);
    }

    #[test]
    fn account_id_in_another_case_is_not_a_change() {
        let mut prior = planned(&config(&["gpt-5"]), None, &PlanContext::for_tests(true, &PrivateState::default()));
        prior.identity.id = Field::string("x");
        let mut cfg = config(&["gpt-5"]);
        cfg.identity.account_id = Field::string(ACCOUNT.replace("resourceGroups", "resourcegroups"));
        assert_eq!(
            planned(&cfg, Some(&prior), &PlanContext::for_tests(true, &PrivateState::default()))
                .identity
                .account_id
                .as_deref(),
            Some(ACCOUNT)
        );
    }
}
