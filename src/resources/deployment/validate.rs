//! Plan-time rules for `modelrouter_deployment`, so mistakes fail in `terraform plan` instead of after a long
//! apply. Every diagnostic sits on the attribute's path and names the bad value and the allowed ones; values not
//! yet known at plan time are skipped, never rejected.
//!
//! Two passes over the typed configuration: [`check_structure`] needs nothing but the configuration (it also runs in
//! `terraform validate`, where the provider is not configured); [`check_against_catalog`] needs `strict_catalog`
//! and the prior state, and runs at plan. Errors always appear; warnings about the configuration appear only in
//! plans that introduce or change what they warn about, not in every no-op plan of an unchanged router.

use std::collections::BTreeSet;

use modelrouter_catalog::{Catalog, ModelEntry, RETIREMENT_WARNING_DAYS, RouterVersion, effective_context_window};
use tf_provider::{AttributePath, Diagnostics};

use super::model::{MODES, ModelRef, RouterModel, catalog_entry, catalog_router};
use super::schema::attr;
use crate::resources::common::field::Field;
use crate::resources::common::lifecycle::PlanContext;
use crate::resources::common::tags;
use crate::resources::common::text::{check_one_of, check_trimmed, quoted_list};

fn path(attr: &str) -> AttributePath {
    AttributePath::root().attr(attr)
}

fn routing_path(attr: &str) -> AttributePath {
    AttributePath::root().attr(attr::ROUTING).attr(attr)
}

fn model_path() -> AttributePath {
    routing_path(attr::MODEL)
}

/// Rules that need only the configuration.
pub fn check_structure(config: &RouterModel, diags: &mut Diagnostics) {
    config.identity.validate(true, diags);
    config.sku.validate(diags);
    check_trimmed(&config.router_version, &path(attr::ROUTER_VERSION), diags);
    config.content.validate(diags);
    config.serving.validate(diags);
    tags::validate(&config.tags.tags, path(tags::attr::TAGS), diags);
    match (&config.min_context_window, config.min_context_window.whole()) {
        (_, Some(min)) if min >= 1 => {}
        (Field::Known(min), _) => diags.error_at(
            path(attr::MIN_CONTEXT_WINDOW),
            "Invalid min_context_window",
            format!("min_context_window = {min}: a context window is a positive whole number of tokens."),
        ),
        _ => {}
    }
    if let Field::Known(routing) = &config.routing {
        if check_trimmed(&routing.mode, &routing_path(attr::MODE), diags) {
            check_one_of(&routing.mode, &routing_path(attr::MODE), "routing mode", &MODES, diags);
        }
        for model in routing.models.known().map(Vec::as_slice).unwrap_or_default() {
            check_model_strings(model, diags);
        }
        check_duplicates(routing.models.known().map(Vec::as_slice).unwrap_or_default(), diags);
    }
    if let Some(timeouts) = config.timeouts.known() {
        timeouts.validate(diags);
    }
}

/// Stray whitespace in a `model` block. The path is the `model` set: Terraform has no path into a set element
/// by position, so the detail quotes the value.
fn check_model_strings(model: &ModelRef, diags: &mut Diagnostics) {
    for field in [&model.name, &model.format, &model.version] {
        check_trimmed(field, &model_path(), diags);
    }
}

/// Two blocks naming one model (in any case) make the subset ambiguous. Identical blocks are merged by Terraform
/// itself before the provider sees them, since `model` is a set.
fn check_duplicates(models: &[ModelRef], diags: &mut Diagnostics) {
    let mut seen = BTreeSet::new();
    for name in models.iter().filter_map(|m| m.name.as_deref()) {
        if !seen.insert(name.to_ascii_lowercase()) {
            diags.error_at(
                model_path(),
                "Model listed twice",
                format!(
                    "routing lists the model {name:?} more than once. Each model may appear in one model block \
                     only; remove the duplicate."
                ),
            );
        }
    }
}

/// What a plan changes relative to the prior state, for deciding which configuration warnings to show.
struct Changes {
    version: bool,
    subset: bool,
    min_context_window: bool,
    /// Lower-cased names of models the prior state did not route to.
    new_models: BTreeSet<String>,
}

impl Changes {
    fn of(config: &RouterModel, prior: Option<&RouterModel>) -> Changes {
        let names = |model: &RouterModel| -> Option<BTreeSet<String>> {
            Some(model.subset()?.iter().filter_map(|m| m.name.as_deref()).map(str::to_ascii_lowercase).collect())
        };
        let Some(prior) = prior else {
            return Changes {
                version: true,
                subset: true,
                min_context_window: true,
                new_models: names(config).unwrap_or_default(),
            };
        };
        let (now, before) = (names(config), names(prior).unwrap_or_default());
        let version = config.router_version.as_deref().is_some_and(|v| Some(v) != prior.router_version.as_deref());
        Changes {
            version,
            subset: now.as_ref() != Some(&before) || config.routing.is_null() != prior.routing.is_null(),
            min_context_window: config.min_context_window != prior.min_context_window,
            new_models: now.unwrap_or_default().difference(&before).cloned().collect(),
        }
    }

    fn is_new(&self, model: &str) -> bool {
        self.version || self.new_models.contains(&model.to_ascii_lowercase())
    }
}

/// Rules that compare the configuration with the embedded catalog. With `strict = false` a model or router
/// version the catalog does not know is a warning and the configuration is sent as written.
pub fn check_against_catalog(
    config: &RouterModel,
    prior: Option<&RouterModel>,
    ctx: &PlanContext<'_>,
    diags: &mut Diagnostics,
) {
    let (catalog, strict) = (ctx.catalog, ctx.strict_catalog);
    let changes = Changes::of(config, prior);
    let Some(router) = check_router_version(catalog, config, &changes, strict, diags) else {
        return;
    };
    check_router_retirement(router, prior.is_none(), ctx, diags);
    if !config.routing.is_null() && !router.supports_routing {
        let supporting: Vec<&str> =
            catalog.router_versions().iter().filter(|r| r.supports_routing).map(|r| r.version.as_str()).collect();
        diags.error_at(
            path(attr::ROUTING),
            "Routing needs a newer router version",
            format!(
                "router_version = {:?} has no routing modes or model subsets; a routing block needs router version \
                 {} or later. Router versions that support routing: {}.",
                router.version,
                supporting.last().copied().unwrap_or("2025-11-18"),
                quoted_list(&supporting)
            ),
        );
        return;
    }
    let Some(subset) = config.subset() else {
        return;
    };
    if subset.is_empty() {
        if !config.routing.is_null() && changes.subset {
            warn_whole_default_set(router, diags);
        }
        check_min_context_window(config, &changes, router.default_set().iter().collect(), true, diags);
        return;
    }
    let mut resolved: Vec<&ModelEntry> = Vec::new();
    let mut all_known = true;
    for model in subset {
        match check_model(model, router, &changes, ctx, diags) {
            Some(entry) => resolved.push(entry),
            None => all_known = false,
        }
    }
    if subset.len() == 1 && changes.subset {
        diags.warning_at(
            model_path(),
            "Only one model in the subset",
            "The router can route to a single model only, so it has nothing to fail over to when that model is \
             throttled or unavailable. Keep at least two models in the subset.",
        );
    }
    check_min_context_window(config, &changes, resolved, all_known, diags);
}

/// How old the table is and what to do about a model it does not know yet.
pub fn table_age(ctx: &PlanContext<'_>) -> String {
    format!(
        "This provider's model table is revision {} ({} days old); for a model Microsoft added since, lay a \
         catalog file over it (provider argument catalog_file) or set strict_catalog = false.",
        ctx.catalog.table_revision(),
        ctx.catalog.table_age_days(ctx.today)
    )
}

/// A retired router version: Azure refuses new deployments of it (an error); an existing router keeps running
/// until Azure migrates it (a warning in every plan, since time, not the configuration, changed).
fn check_router_retirement(router: &RouterVersion, creating: bool, ctx: &PlanContext<'_>, diags: &mut Diagnostics) {
    if !router.retired_on(ctx.today) {
        return;
    }
    let date = router.retirement_date.map(|d| d.to_string()).unwrap_or_default();
    let newest = &ctx.catalog.default_router_version().version;
    let detail = format!(
        "Model router version {} was retired on {date}. Use router version {newest:?} (or omit router_version for \
         the newest).",
        router.version
    );
    if creating {
        diags.error_at(path(attr::ROUTER_VERSION), "Retired router version", detail);
    } else {
        diags.warning_at(
            path(attr::ROUTER_VERSION),
            "Retired router version",
            format!("{detail} This router keeps its version until you change it or Azure migrates it."),
        );
    }
}

/// A `routing` block without `model` blocks (often a `dynamic "model"` whose filter matched nothing) routes to the
/// whole default set: an allow-list that failed open must not pass unnoticed.
fn warn_whole_default_set(router: &RouterVersion, diags: &mut Diagnostics) {
    let set = router.default_set();
    let preview = set.iter().filter(|m| m.preview).count();
    let anthropic = set.iter().filter(|m| m.format.eq_ignore_ascii_case(crate::resources::common::ANTHROPIC)).count();
    diags.warning_at(
        path(attr::ROUTING),
        "Routing block without models routes to the whole default set",
        format!(
            "The routing block has no model blocks, so router version {} routes to its whole default set: {} models, \
             {preview} of them in preview and {anthropic} Anthropic. If the subset is built with a dynamic block, \
             guard it with a lifecycle precondition that it is not empty; to mean the default set on purpose, omit \
             the routing block or keep only its mode.",
            router.version,
            set.len()
        ),
    );
}

fn check_router_version<'c>(
    catalog: &'c Catalog,
    config: &RouterModel,
    changes: &Changes,
    strict: bool,
    diags: &mut Diagnostics,
) -> Option<&'c RouterVersion> {
    let version = match &config.router_version {
        Field::Unknown => return None,
        Field::Null => return Some(catalog.default_router_version()),
        Field::Known(version) => version,
    };
    if version.trim() != version {
        return None; // reported by check_structure
    }
    let router = catalog_router(catalog, &config.router_version);
    if router.is_none() {
        let detail = format!(
            "router_version = {version:?} is not in this provider's catalog. Allowed values: {}.",
            quoted_list(&catalog.version_names())
        );
        if strict {
            diags.error_at(path(attr::ROUTER_VERSION), "Unknown router version", detail);
        } else if changes.version {
            diags.warning_at(
                path(attr::ROUTER_VERSION),
                "Router version not in the catalog",
                format!(
                    "{detail} strict_catalog = false: it is sent as written, its models are not checked, and what \
                     the configuration leaves out is taken from Azure."
                ),
            );
        }
    }
    router
}

/// Checks one `model` block; returns its catalog entry when the catalog knows it.
fn check_model<'c>(
    model: &ModelRef,
    router: &'c RouterVersion,
    changes: &Changes,
    ctx: &PlanContext<'_>,
    diags: &mut Diagnostics,
) -> Option<&'c ModelEntry> {
    let strict = ctx.strict_catalog;
    let name = model.name.as_deref()?;
    if name.trim() != name {
        return None; // reported by check_structure
    }
    let is_new = changes.is_new(name);
    let Some(entry) = catalog_entry(router, name) else {
        if let Some(retired) = router.find_retired_model(name) {
            // Azure rejects it: an error whatever strict_catalog says.
            diags.error_at(
                model_path(),
                "Retired model in the routing subset",
                format!(
                    "{} Model router {} no longer routes to it; remove it from the subset.",
                    retired.describe(),
                    router.version
                ),
            );
        } else {
            not_in_catalog(name, router, ctx, is_new, diags);
        }
        return None;
    };
    if let Some(retirement) = entry.retirement_within(ctx.today, RETIREMENT_WARNING_DAYS) {
        // About time passing, not about the configuration: shown in every plan until the model is removed.
        diags.warning_at(
            model_path(),
            "Model retirement",
            if retirement.is_past() {
                format!(
                    "{} was due to retire on {}; Azure may stop routing to it at any time. Remove it from the subset.",
                    entry.name, retirement.date
                )
            } else {
                format!(
                    "{} retires on {} ({} days from now); after that the router stops routing to it. Plan its \
                     replacement in the subset.",
                    entry.name, retirement.date, retirement.days_left
                )
            },
        );
    }
    if let (Some(feature), true) = (entry.required_feature_id(), is_new) {
        diags.warning_at(
            model_path(),
            "Model needs a subscription feature",
            format!(
                "{} is a {} model: the router routes to it only when the subscription has registered the feature \
                 {feature} (az feature register --namespace Microsoft.CognitiveServices --name {}). Without it \
                 the router silently leaves the model out.",
                entry.name,
                entry.format,
                entry.requires_feature.as_deref().unwrap_or_default()
            ),
        );
    }
    if let Some(version) = model.version.as_deref()
        && version != entry.version
    {
        contradiction(
            strict,
            is_new,
            diags,
            format!(
                "routing model {:?} has version {version:?}, but router version {} routes to version {:?} of \
                     it. Omit version to use the catalog's, or set version = {:?}.",
                entry.name, router.version, entry.version, entry.version
            ),
        );
    }
    if let Some(format) = model.format.as_deref()
        && !format.eq_ignore_ascii_case(&entry.format)
    {
        contradiction(
            strict,
            is_new,
            diags,
            format!(
                "routing model {:?} has format {format:?}, but the catalog lists it as format {:?}. Omit format \
                     to use the catalog's, or set format = {:?}.",
                entry.name, entry.format, entry.format
            ),
        );
    }
    if entry.preview && is_new {
        diags.warning_at(
            model_path(),
            "Preview model in the subset",
            format!(
                "{} is in preview for model router {}: its availability and behaviour may change.{}",
                entry.name,
                router.version,
                if entry.requires_deployment {
                    " It also needs its own deployment in the account (modelrouter_claude_dependency)."
                } else {
                    ""
                }
            ),
        );
    }
    if entry.requires_registration && is_new {
        diags.warning_at(
            model_path(),
            "Model requires registration",
            format!(
                "{} requires registration (limited access): the router routes to it only after Microsoft approves \
                 the subscription's access request.",
                entry.name
            ),
        );
    }
    Some(entry)
}

fn not_in_catalog(name: &str, router: &RouterVersion, ctx: &PlanContext<'_>, is_new: bool, diags: &mut Diagnostics) {
    let strict = ctx.strict_catalog;
    let suggestions = router.suggest(name);
    let hint = if suggestions.is_empty() {
        String::new()
    } else {
        format!(" Did you mean {}?", suggestions.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(" or "))
    };
    let allowed: Vec<&str> = router.models.iter().map(|m| m.name.as_str()).collect();
    let detail = format!(
        "{name:?} is not a model router {} can route to.{hint} Models of this router version: {}. {}",
        router.version,
        quoted_list(&allowed),
        table_age(ctx)
    );
    if strict {
        diags.error_at(model_path(), "Unknown model in routing subset", detail);
    } else if is_new {
        diags.warning_at(
            model_path(),
            "Model not in the catalog",
            format!(
                "{detail} strict_catalog = false: it is sent to Azure as written, and the format and version the \
                 configuration leaves out are taken from Azure."
            ),
        );
    }
}

fn contradiction(strict: bool, is_new: bool, diags: &mut Diagnostics, detail: String) {
    if strict {
        diags.error_at(model_path(), "Model contradicts the catalog", detail);
    } else if is_new {
        diags.warning_at(
            model_path(),
            "Model not in the catalog",
            format!("{detail} strict_catalog = false: it is sent to Azure as written."),
        );
    }
}

fn check_min_context_window(
    config: &RouterModel,
    changes: &Changes,
    models: Vec<&ModelEntry>,
    all_known: bool,
    diags: &mut Diagnostics,
) {
    let Some(min) = config.min_context_window.whole() else {
        return;
    };
    let window = effective_context_window(models);
    let changed = changes.version || changes.subset || changes.min_context_window;
    match window.tokens {
        Some(tokens) if (tokens as i64) < min => diags.error_at(
            path(attr::MIN_CONTEXT_WINDOW),
            "Routed models have a smaller context window",
            format!(
                "min_context_window = {min}, but the effective context window of the routed models is {tokens} \
                 tokens, set by the smallest: {}. Remove {} from the subset or lower min_context_window.",
                window.smallest_models.join(", "),
                if window.smallest_models.len() == 1 { "it" } else { "them" }
            ),
        ),
        _ if changed && (!window.unknown_models.is_empty() || !all_known) => diags.warning_at(
            path(attr::MIN_CONTEXT_WINDOW),
            "Context window not fully known",
            format!(
                "min_context_window = {min} could not be checked for every routed model: the catalog has no \
                 documented context window for {}.",
                if window.unknown_models.is_empty() {
                    "models outside the catalog".to_owned()
                } else {
                    window.unknown_models.join(", ")
                }
            ),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::common::lifecycle::ResourceModel;
    use crate::resources::deployment::model::Routing;
    use tf_provider::{Severity, Value};

    const ACCOUNT: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct";

    fn config(models: &[&str]) -> RouterModel {
        let mut config = RouterModel::parse(&Value::Null);
        config.identity.name = Field::string("router");
        config.identity.account_id = Field::string(ACCOUNT);
        config.routing = Field::Known(Routing {
            mode: Field::string("quality"),
            models: Field::Known(
                models.iter().map(|m| ModelRef { name: Field::string(*m), ..Default::default() }).collect(),
            ),
        });
        config
    }

    /// (severity, summary, path) of every diagnostic, for compact assertions.
    fn findings(config: &RouterModel, prior: Option<&RouterModel>, strict: bool) -> Vec<(Severity, String, String)> {
        let mut diags = Diagnostics::new();
        check_structure(config, &mut diags);
        let private = crate::resources::common::private::PrivateState::default();
        check_against_catalog(config, prior, &PlanContext::for_tests(strict, &private), &mut diags);
        diags
            .iter()
            .map(|d| (d.severity, d.summary.clone(), d.attribute.as_ref().map(ToString::to_string).unwrap_or_default()))
            .collect()
    }

    fn summaries(found: &[(Severity, String, String)]) -> Vec<&str> {
        found.iter().map(|(_, s, _)| s.as_str()).collect()
    }

    #[test]
    fn a_valid_subset_has_no_findings() {
        assert!(findings(&config(&["gpt-5", "gpt-5-mini"]), None, true).is_empty());
    }

    #[test]
    fn alias_is_an_error_with_a_suggestion_on_the_model_path() {
        let mut diags = Diagnostics::new();
        let private = crate::resources::common::private::PrivateState::default();
        check_against_catalog(
            &config(&["gpt-4.0", "gpt-5"]),
            None,
            &PlanContext::for_tests(true, &private),
            &mut diags,
        );
        let diag = diags.iter().find(|d| d.severity == Severity::Error).expect("an error");
        assert_eq!(diag.attribute.as_ref().unwrap().to_string(), "routing.model");
        assert!(diag.detail.contains("Did you mean \"gpt-4o\""), "{}", diag.detail);
    }

    #[test]
    fn stray_whitespace_in_user_typed_strings_is_an_error_on_the_attribute() {
        for (mutate, expected_path) in [
            (
                Box::new(|c: &mut RouterModel| c.router_version = Field::string("2025-11-18 "))
                    as Box<dyn Fn(&mut RouterModel)>,
                "router_version",
            ),
            (
                Box::new(|c: &mut RouterModel| c.content.rai_policy_name = Field::string(" Microsoft.DefaultV2 ")),
                "rai_policy_name",
            ),
            (Box::new(|c: &mut RouterModel| *c = config(&[" gpt-5-mini", "gpt-5"])), "routing.model"),
            (Box::new(|c: &mut RouterModel| *c = config(&["gpt-4.1 ", "gpt-5"])), "routing.model"),
        ] {
            let mut cfg = config(&["gpt-5", "gpt-5-mini"]);
            mutate(&mut cfg);
            let found = findings(&cfg, None, true);
            assert_eq!(
                found,
                [(Severity::Error, "Leading or trailing whitespace".to_owned(), expected_path.to_owned())],
                "{cfg:?}"
            );
        }
    }

    #[test]
    fn title_case_mode_is_an_error_naming_the_lowercase_spelling() {
        let mut cfg = config(&["gpt-5", "gpt-5-mini"]);
        if let Field::Known(routing) = &mut cfg.routing {
            routing.mode = Field::string("Quality");
        }
        let mut diags = Diagnostics::new();
        check_structure(&cfg, &mut diags);
        let diag = diags.iter().next().expect("an error");
        assert_eq!(diag.attribute.as_ref().unwrap().to_string(), "routing.mode");
        assert!(diag.detail.contains("\"quality\""), "{}", diag.detail);
    }

    #[test]
    fn lenient_catalog_turns_unknown_models_into_warnings() {
        let found = findings(&config(&["gpt-6", "gpt-5"]), None, false);
        assert!(found.iter().all(|(severity, ..)| *severity == Severity::Warning), "{found:?}");
        assert!(summaries(&found).contains(&"Model not in the catalog"));
    }

    #[test]
    fn warnings_appear_only_when_the_plan_changes_what_they_warn_about() {
        let cfg = config(&["grok-4", "gpt-7-preview"]);
        let created = findings(&cfg, None, false);
        assert!(summaries(&created).contains(&"Preview model in the subset"), "{created:?}");
        assert!(summaries(&created).contains(&"Model not in the catalog"), "{created:?}");
        // The same configuration against a prior state that already routes to both: no warnings at all.
        let unchanged = findings(&cfg, Some(&cfg), false);
        assert!(unchanged.is_empty(), "{unchanged:?}");
        // Adding a model warns about that model only.
        let added = findings(&config(&["grok-4", "gpt-7-preview", "gpt-8"]), Some(&cfg), false);
        assert_eq!(summaries(&added), ["Model not in the catalog"], "{added:?}");
        // Errors always appear.
        let strict = findings(&cfg, Some(&cfg), true);
        assert!(strict.iter().any(|(s, ..)| *s == Severity::Error), "{strict:?}");
    }

    #[test]
    fn unknown_values_are_skipped() {
        let mut cfg = RouterModel::parse(&Value::Null);
        cfg.identity.name = Field::Unknown;
        cfg.identity.account_id = Field::Unknown;
        cfg.router_version = Field::Unknown;
        cfg.routing = Field::Known(Routing { mode: Field::Unknown, models: Field::Unknown });
        assert!(findings(&cfg, None, true).is_empty());
    }

    #[test]
    fn an_empty_subset_warns_that_it_widens_to_the_default_set_when_it_is_introduced() {
        let cfg = config(&[]);
        let found = findings(&cfg, None, true);
        assert_eq!(summaries(&found), ["Routing block without models routes to the whole default set"]);
        assert_eq!(found[0].2, "routing");
        assert!(findings(&cfg, Some(&cfg), true).is_empty(), "not repeated when nothing changed");
    }

    fn findings_on(cfg: &RouterModel, prior: Option<&RouterModel>, today: &str) -> Vec<(Severity, String, String)> {
        let private = crate::resources::common::private::PrivateState::default();
        let mut ctx = PlanContext::for_tests(true, &private);
        ctx.today = modelrouter_catalog::CatalogDate::parse(today).unwrap();
        let mut diags = Diagnostics::new();
        check_against_catalog(cfg, prior, &ctx, &mut diags);
        diags
            .iter()
            .map(|d| (d.severity, d.summary.clone(), d.attribute.as_ref().map(ToString::to_string).unwrap_or_default()))
            .collect()
    }

    #[test]
    fn a_retired_router_version_is_an_error_for_a_new_router_and_a_warning_for_an_existing_one() {
        let mut cfg = config(&[]);
        cfg.routing = Field::Null;
        cfg.router_version = Field::string("2025-05-19");
        let before = findings_on(&cfg, None, "2026-08-29");
        assert!(before.iter().all(|(s, ..)| *s != Severity::Error), "{before:?}");
        let new = findings_on(&cfg, None, "2026-08-30");
        assert!(new.contains(&(Severity::Error, "Retired router version".into(), "router_version".into())), "{new:?}");
        let existing = findings_on(&cfg, Some(&cfg), "2026-08-30");
        assert_eq!(existing, [(Severity::Warning, "Retired router version".into(), "router_version".into())]);
    }

    #[test]
    fn a_retired_model_is_an_error_saying_so_even_with_a_lenient_catalog() {
        for name in ["gpt-5-chat", "grok-4-fast-reasoning"] {
            let found = findings(&config(&[name, "gpt-5"]), None, false);
            assert!(
                found.contains(&(
                    Severity::Error,
                    "Retired model in the routing subset".into(),
                    "routing.model".into()
                )),
                "{name}: {found:?}"
            );
        }
    }

    #[test]
    fn retirement_within_thirty_days_and_fireworks_models_warn() {
        let found = findings_on(&config(&["o4-mini", "gpt-5"]), None, "2026-10-01");
        assert!(found.iter().any(|(_, s, _)| s == "Model retirement"), "{found:?}");
        let far = findings_on(&config(&["o4-mini", "gpt-5"]), None, "2026-08-01");
        assert!(!far.iter().any(|(_, s, _)| s == "Model retirement"), "{far:?}");
        let fireworks = findings(&config(&["FW-GLM-5.3", "gpt-5"]), None, true);
        assert!(fireworks.iter().any(|(s, m, _)| *s == Severity::Warning && m == "Model needs a subscription feature"));
    }

    #[test]
    fn an_unknown_model_names_the_table_age_and_the_way_out() {
        let private = crate::resources::common::private::PrivateState::default();
        let mut diags = Diagnostics::new();
        check_against_catalog(&config(&["gpt-9", "gpt-5"]), None, &PlanContext::for_tests(true, &private), &mut diags);
        let detail = &diags.iter().find(|d| d.is_error()).unwrap().detail;
        assert!(detail.contains("revision 2026-09-01") && detail.contains("catalog_file"), "{detail}");
        assert!(detail.contains("strict_catalog = false") && detail.contains("days old"), "{detail}");
    }

    #[test]
    fn duplicates_in_another_case_are_an_error() {
        let found = findings(&config(&["gpt-5", "GPT-5"]), None, true);
        assert!(found.contains(&(Severity::Error, "Model listed twice".into(), "routing.model".into())), "{found:?}");
    }

    #[test]
    fn single_model_and_preview_are_warnings() {
        let found = findings(&config(&["grok-4"]), None, true);
        let summaries = summaries(&found);
        assert!(summaries.contains(&"Only one model in the subset"), "{summaries:?}");
        assert!(summaries.contains(&"Preview model in the subset"), "{summaries:?}");
        assert!(found.iter().all(|(severity, ..)| *severity == Severity::Warning));
    }

    #[test]
    fn min_context_window_names_the_smallest_model() {
        let mut cfg = config(&["gpt-5", "gpt-4o"]);
        cfg.min_context_window = Field::int(1_000_000);
        let mut diags = Diagnostics::new();
        let private = crate::resources::common::private::PrivateState::default();
        check_against_catalog(&cfg, None, &PlanContext::for_tests(true, &private), &mut diags);
        let diag = diags.iter().find(|d| d.severity == Severity::Error).expect("an error");
        assert_eq!(diag.attribute.as_ref().unwrap().to_string(), "min_context_window");
        assert!(diag.detail.contains("gpt-4o"), "{}", diag.detail);
    }
}
