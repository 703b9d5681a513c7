//! Plan-time rules for `modelrouter_claude_dependency`; each diagnostic sits on its attribute and names the bad
//! value and the allowed ones. Unknown values are skipped.

use modelrouter_catalog::{catalog, suggest::suggest_among};
use tf_provider::{AttributePath, Diagnostics, Value};

use super::country_codes::is_iso_3166_alpha2;
use super::model::{ANTHROPIC, INDUSTRIES, catalog_model};
use crate::provider::config::quoted_list;
use crate::resources::common::{identity, sku, timeouts};

fn path(attr: &str) -> AttributePath {
    AttributePath::root().attr(attr)
}

fn provider_data_path(attr: &str) -> AttributePath {
    AttributePath::root().attr("model_provider_data").attr(attr)
}

/// Rules that need only the configuration.
pub fn check_structure(config: &Value, diags: &mut Diagnostics) {
    identity::validate(config, diags);
    sku::validate(config, diags);
    let data = config.get("model_provider_data");
    if let Some(organization) = data.get("organization_name").as_str() {
        if organization.trim().is_empty() {
            diags.error_at(
                provider_data_path("organization_name"),
                "Empty organization_name",
                "model_provider_data.organization_name must name the organization that accepts Anthropic's terms.",
            );
        }
    }
    if let Some(code) = data.get("country_code").as_str() {
        if !is_iso_3166_alpha2(code) {
            let hint = if is_iso_3166_alpha2(&code.to_ascii_uppercase()) {
                format!(" Write it in upper case: {:?}.", code.to_ascii_uppercase())
            } else if code.eq_ignore_ascii_case("UK") {
                " The United Kingdom's code is \"GB\".".to_owned()
            } else {
                String::new()
            };
            diags.error_at(
                provider_data_path("country_code"),
                "Invalid country code",
                format!(
                    "model_provider_data.country_code = {code:?} is not an ISO 3166-1 alpha-2 country code (two \
                     upper-case letters such as \"US\", \"DK\", \"GB\").{hint}"
                ),
            );
        }
    }
    if let Some(industry) = data.get("industry").as_str() {
        if !INDUSTRIES.iter().any(|i| i.eq_ignore_ascii_case(industry)) {
            diags.error_at(
                provider_data_path("industry"),
                "Unsupported industry",
                format!(
                    "model_provider_data.industry = {industry:?} is not an industry Azure accepts. Allowed values: {}.",
                    quoted_list(&INDUSTRIES)
                ),
            );
        }
    }
    timeouts::validate(config, diags);
}

/// Rules against the catalog. A Claude model the catalog does not know still deploys (with a warning: no router
/// can route to it); a model that is not a Claude model at all is an error (a warning with `strict = false`).
pub fn check_against_catalog(config: &Value, strict: bool, diags: &mut Diagnostics) {
    let Some(model) = config.get("model").as_str() else {
        return;
    };
    let anthropic_models: Vec<_> = catalog()
        .router_versions()
        .iter()
        .flat_map(|r| r.models.iter())
        .filter(|m| m.format.eq_ignore_ascii_case(ANTHROPIC))
        .cloned()
        .collect();
    let Some((catalog_name, catalog_version)) = catalog_model(model) else {
        let other_format = catalog().router_versions().iter().find_map(|r| r.find_model(model));
        let suggestions = suggest_among(&anthropic_models, model);
        let hint = if suggestions.is_empty() {
            String::new()
        } else {
            format!(" Did you mean {}?", suggestions.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(" or "))
        };
        let looks_like_claude = model.trim().to_ascii_lowercase().starts_with("claude-");
        if looks_like_claude {
            diags.warning_at(
                path("model"),
                "No router can route to this Claude model",
                format!(
                    "{model:?} is not in the router catalog of this provider release, so no model router version can \
                     route to it. It deploys as a plain Claude deployment.{hint}"
                ),
            );
            if config.get("version").is_null() {
                diags.error_at(
                    path("version"),
                    "Version required",
                    format!("The catalog has no default version for {model:?}: set version (for example \"1\")."),
                );
            }
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
            diags.error_at(path("model"), "Not a Claude model", detail);
        } else {
            diags.warning_at(
                path("model"),
                "Not a Claude model",
                format!("{detail} strict_catalog = false: sent as written."),
            );
        }
        return;
    };
    if let Some(version) = config.get("version").as_str() {
        if catalog().models_routable_by(ANTHROPIC, catalog_name, version).is_empty() {
            diags.warning_at(
                path("version"),
                "No router can route to this version",
                format!(
                    "version = {version:?}: no model router version routes to {catalog_name} version {version}; the \
                     routers route to version {catalog_version:?}. It deploys, but no router can use it."
                ),
            );
        }
    }
}
