//! Plan-time rules for `modelrouter_claude_dependency`; each diagnostic sits on its attribute and names the bad
//! value and the allowed ones. Unknown values are skipped.

use crate::resources::common::tags;
use modelrouter_catalog::suggest::suggest_among;
use tf_provider::{AttributePath, Diagnostics};

use super::country_codes::is_iso_3166_alpha2;
use super::model::{ClaudeModel, INDUSTRIES, catalog_model};
use super::schema::attr;
use crate::resources::common::ANTHROPIC;
use crate::resources::common::lifecycle::PlanContext;
use crate::resources::common::text::{check_trimmed, quoted_list};

fn path(name: &str) -> AttributePath {
    AttributePath::root().attr(name)
}

fn provider_data_path(name: &str) -> AttributePath {
    AttributePath::root().attr(attr::MODEL_PROVIDER_DATA).attr(name)
}

/// Rules that need only the configuration.
pub fn check_structure(config: &ClaudeModel, diags: &mut Diagnostics) {
    // A configured name is checked as typed; a defaulted one is the model name, checked below.
    config.identity.validate(true, diags);
    config.sku.validate(diags);
    config.content.validate(diags);
    config.serving.validate(diags);
    tags::validate(&config.tags.tags, path(tags::attr::TAGS), diags);
    for (field, attr) in [(&config.model, attr::MODEL), (&config.version, attr::VERSION)] {
        check_trimmed(field, &path(attr), diags);
    }
    if let Some(data) = config.provider_data.known() {
        for (field, attr) in [
            (&data.organization_name, attr::ORGANIZATION_NAME),
            (&data.country_code, attr::COUNTRY_CODE),
            (&data.industry, attr::INDUSTRY),
        ] {
            check_trimmed(field, &provider_data_path(attr), diags);
        }
        check_provider_data(
            data.organization_name.as_deref(),
            data.country_code.as_deref(),
            data.industry.as_deref(),
            diags,
        );
    }
    if let Some(timeouts) = config.timeouts.known() {
        timeouts.validate(diags);
    }
}

fn check_provider_data(
    organization: Option<&str>,
    country_code: Option<&str>,
    industry: Option<&str>,
    diags: &mut Diagnostics,
) {
    if organization.is_some_and(|o| o.trim().is_empty()) {
        diags.error_at(
            provider_data_path(attr::ORGANIZATION_NAME),
            "Empty organization_name",
            "model_provider_data.organization_name must name the organization that accepts Anthropic's terms.",
        );
    }
    if let Some(code) = country_code.filter(|c| c.trim() == *c)
        && !is_iso_3166_alpha2(code)
    {
        let hint = if is_iso_3166_alpha2(&code.to_ascii_uppercase()) {
            format!(" Write it in upper case: {:?}.", code.to_ascii_uppercase())
        } else if code.eq_ignore_ascii_case("UK") {
            " The United Kingdom's code is \"GB\".".to_owned()
        } else {
            String::new()
        };
        diags.error_at(
            provider_data_path(attr::COUNTRY_CODE),
            "Invalid country code",
            format!(
                "model_provider_data.country_code = {code:?} is not an ISO 3166-1 alpha-2 country code (two \
                     upper-case letters such as \"US\", \"DK\", \"GB\").{hint}"
            ),
        );
    }
    if let Some(industry) = industry.filter(|i| i.trim() == *i)
        && !INDUSTRIES.iter().any(|i| i.eq_ignore_ascii_case(industry))
    {
        diags.error_at(
            provider_data_path(attr::INDUSTRY),
            "Unsupported industry",
            format!(
                "model_provider_data.industry = {industry:?} is not an industry Azure accepts. Allowed values: {}.",
                quoted_list(&INDUSTRIES)
            ),
        );
    }
}

/// Rules against the catalog. A Claude model the catalog does not know still deploys (with a warning: no router
/// can route to it); a model that is not a Claude model at all is an error (a warning with `strict = false`).
///
/// Warnings appear only when the plan creates the deployment or changes its model or version.
pub fn check_against_catalog(
    config: &ClaudeModel,
    prior: Option<&ClaudeModel>,
    ctx: &PlanContext<'_>,
    diags: &mut Diagnostics,
) {
    let (catalog, strict) = (ctx.catalog, ctx.strict_catalog);
    let Some(model) = config.model.as_deref().filter(|m| m.trim() == *m) else {
        return;
    };
    let changed = prior.is_none_or(|p| {
        !p.model.as_deref().is_some_and(|m| m.eq_ignore_ascii_case(model))
            || (config.version.known().is_some() && config.version != p.version)
    });
    let anthropic_models: Vec<_> = catalog
        .router_versions()
        .iter()
        .flat_map(|r| r.models.iter())
        .filter(|m| m.format.eq_ignore_ascii_case(ANTHROPIC))
        .cloned()
        .collect();
    let Some((catalog_name, catalog_version)) = catalog_model(catalog, model) else {
        let other_format = catalog.router_versions().iter().find_map(|r| r.find_model(model));
        let suggestions = suggest_among(&anthropic_models, model);
        let hint = if suggestions.is_empty() {
            String::new()
        } else {
            format!(" Did you mean {}?", suggestions.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(" or "))
        };
        let looks_like_claude = model.trim().to_ascii_lowercase().starts_with("claude-");
        if looks_like_claude {
            if config.version.is_null() {
                diags.error_at(
                    path(attr::VERSION),
                    "Version required",
                    format!("The catalog has no default version for {model:?}: set version (for example \"1\")."),
                );
            }
            if !changed {
                return;
            }
            diags.warning_at(
                path(attr::MODEL),
                "No router can route to this Claude model",
                format!(
                    "{model:?} is not in the router catalog of this provider release, so no model router version can \
                     route to it. It deploys as a plain Claude deployment.{hint}"
                ),
            );
            return;
        }
        let what = match other_format {
            Some(entry) => format!("{model:?} is a {} model, not a Claude (Anthropic) model.", entry.format),
            None => format!("{model:?} is not a Claude (Anthropic) model."),
        };
        let claude_names: Vec<&str> = {
            let mut names: Vec<&str> = anthropic_models.iter().map(|m| m.name.as_str()).collect();
            names.dedup();
            names
        };
        let detail = format!(
            "{what}{hint} Claude models the routers route to: {}. Other models need no deployment of their own: \
             name them in the router's routing block.",
            quoted_list(&claude_names)
        );
        if strict {
            diags.error_at(path(attr::MODEL), "Not a Claude model", detail);
        } else if changed {
            diags.warning_at(
                path(attr::MODEL),
                "Not a Claude model",
                format!("{detail} strict_catalog = false: sent as written."),
            );
        }
        return;
    };
    if let Some(version) = config.version.as_deref().filter(|_| changed)
        && catalog.models_routable_by(ANTHROPIC, catalog_name, version).is_empty()
    {
        diags.warning_at(
            path(attr::VERSION),
            "No router can route to this version",
            format!(
                "version = {version:?}: no model router version routes to {catalog_name} version {version}; the \
                     routers route to version {catalog_version:?}. It deploys, but no router can use it."
            ),
        );
    }
}
