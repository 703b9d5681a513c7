//! Plan-time rules for `modelrouter_deployment`, so mistakes fail in `terraform plan` instead of after a long
//! apply. Every diagnostic sits on the attribute's path and names the bad value and the allowed ones; values not
//! yet known at plan time are skipped, never rejected.
//!
//! Two passes: [`check_structure`] needs nothing but the configuration (it also runs in `terraform validate`,
//! where the provider is not configured); [`check_against_catalog`] needs `strict_catalog` and runs at plan.

use modelrouter_catalog::{ModelEntry, RouterVersion, catalog, effective_context_window};
use tf_provider::{AttributePath, Diagnostics, Value};

use super::model::{MODES, VERSION_UPGRADE_OPTIONS, resolve_router_version};
use crate::provider::config::quoted_list;
use crate::resources::common::{identity, sku, timeouts};

fn path(attr: &str) -> AttributePath {
    AttributePath::root().attr(attr)
}

fn routing_path(attr: &str) -> AttributePath {
    AttributePath::root().attr("routing").attr(attr)
}

/// Rules that need only the configuration.
pub fn check_structure(config: &Value, diags: &mut Diagnostics) {
    identity::validate(config, diags);
    sku::validate(config, diags);
    if let Some(option) = config.get("version_upgrade_option").as_str() {
        if !VERSION_UPGRADE_OPTIONS.contains(&option) {
            diags.error_at(
                path("version_upgrade_option"),
                "Unsupported version_upgrade_option",
                format!(
                    "version_upgrade_option = {option:?} is not an upgrade policy Azure knows. Allowed values: {}.",
                    quoted_list(&VERSION_UPGRADE_OPTIONS)
                ),
            );
        }
    }
    if let Some(policy) = config.get("rai_policy_name").as_str() {
        if policy.trim().is_empty() {
            diags.error_at(
                path("rai_policy_name"),
                "Empty rai_policy_name",
                "rai_policy_name must name a content filter such as \"Microsoft.DefaultV2\"; omit it to keep the \
                 service's default.",
            );
        }
    }
    if let Some(min) = config.get("min_context_window").as_i64() {
        if min < 1 {
            diags.error_at(
                path("min_context_window"),
                "Invalid min_context_window",
                format!("min_context_window = {min}: a context window is a positive number of tokens."),
            );
        }
    }
    let routing = config.get("routing");
    if let Some(mode) = routing.get("mode").as_str() {
        if !MODES.contains(&mode) {
            diags.error_at(
                routing_path("mode"),
                "Unsupported routing mode",
                format!("routing.mode = {mode:?} is not a routing mode. Allowed values: {}.", quoted_list(&MODES)),
            );
        }
    }
    check_duplicates(routing.get("model"), diags);
    timeouts::validate(config, diags);
}

/// Two blocks naming one model (in any case) make the subset ambiguous. Identical blocks are merged by Terraform
/// itself before the provider sees them, since `model` is a set.
fn check_duplicates(models: &Value, diags: &mut Diagnostics) {
    let mut seen: Vec<String> = Vec::new();
    for model in models.elements() {
        let Some(name) = model.get("name").as_str() else {
            continue;
        };
        let key = name.trim().to_ascii_lowercase();
        if seen.contains(&key) {
            diags.error_at(
                routing_path("model"),
                "Model listed twice",
                format!(
                    "routing lists the model {name:?} more than once. Each model may appear in one model block \
                     only; remove the duplicate."
                ),
            );
        } else {
            seen.push(key);
        }
    }
}

/// Rules that compare the configuration with the embedded catalog. With `strict = false` a model or router
/// version the catalog does not know is a warning and the configuration is sent as written.
pub fn check_against_catalog(config: &Value, strict: bool, diags: &mut Diagnostics) {
    let Some(router) = check_router_version(config, strict, diags) else {
        return;
    };
    let routing = config.get("routing");
    if !routing.is_null() && !router.supports_routing {
        let supporting: Vec<&str> =
            catalog().router_versions().iter().filter(|r| r.supports_routing).map(|r| r.version.as_str()).collect();
        diags.error_at(
            AttributePath::root().attr("routing"),
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

    let models = routing.get("model");
    if routing.is_null() || models.is_unknown() {
        check_min_context_window(config, router.default_set().iter().collect(), true, diags);
        return;
    }
    let mut resolved: Vec<&ModelEntry> = Vec::new();
    let mut all_known = true;
    for model in models.elements() {
        match check_model(model, router, strict, diags) {
            Some(entry) => resolved.push(entry),
            None => all_known = false,
        }
    }
    let count = models.elements().len();
    if count == 1 {
        diags.warning_at(
            routing_path("model"),
            "Only one model in the subset",
            "The router can route to a single model only, so it has nothing to fail over to when that model is \
             throttled or unavailable. Keep at least two models in the subset.",
        );
    }
    check_min_context_window(config, resolved, all_known, diags);
}

fn check_router_version<'c>(config: &Value, strict: bool, diags: &mut Diagnostics) -> Option<&'c RouterVersion> {
    let version_value = config.get("router_version");
    if version_value.is_unknown() {
        return None;
    }
    let (version, router) = resolve_router_version(version_value.as_str());
    if router.is_none() {
        let detail = format!(
            "router_version = {version:?} is not in this provider's catalog. Allowed values: {}.",
            quoted_list(&catalog().version_names())
        );
        if strict {
            diags.error_at(path("router_version"), "Unknown router version", detail);
        } else {
            diags.warning_at(
                path("router_version"),
                "Router version not in the catalog",
                format!("{detail} strict_catalog = false: it is sent as written and its models are not checked."),
            );
        }
    }
    router
}

/// Checks one `model` block; returns its catalog entry when the catalog knows it.
fn check_model<'c>(
    model: &Value,
    router: &'c RouterVersion,
    strict: bool,
    diags: &mut Diagnostics,
) -> Option<&'c ModelEntry> {
    let name = model.get("name").as_str()?;
    let exact = router.models.iter().find(|m| m.name.eq_ignore_ascii_case(name.trim()));
    let Some(entry) = exact else {
        not_in_catalog(name, router, strict, diags);
        return None;
    };
    if let Some(version) = model.get("version").as_str() {
        if version != entry.version {
            contradiction(
                strict,
                diags,
                format!(
                    "routing model {:?} has version {version:?}, but router version {} routes to version {:?} of \
                     it. Omit version to use the catalog's, or set version = {:?}.",
                    entry.name, router.version, entry.version, entry.version
                ),
            );
        }
    }
    if let Some(format) = model.get("format").as_str() {
        if !format.eq_ignore_ascii_case(&entry.format) {
            contradiction(
                strict,
                diags,
                format!(
                    "routing model {:?} has format {format:?}, but the catalog lists it as format {:?}. Omit format \
                     to use the catalog's, or set format = {:?}.",
                    entry.name, entry.format, entry.format
                ),
            );
        }
    }
    if entry.preview {
        diags.warning_at(
            routing_path("model"),
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
    if entry.requires_registration {
        diags.warning_at(
            routing_path("model"),
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

fn not_in_catalog(name: &str, router: &RouterVersion, strict: bool, diags: &mut Diagnostics) {
    let suggestions = router.suggest(name);
    let hint = if suggestions.is_empty() {
        String::new()
    } else {
        format!(" Did you mean {}?", suggestions.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(" or "))
    };
    let allowed: Vec<&str> = router.models.iter().map(|m| m.name.as_str()).collect();
    let detail = format!(
        "{name:?} is not a model router {} can route to.{hint} Models of this router version: {}.",
        router.version,
        quoted_list(&allowed)
    );
    if strict {
        diags.error_at(routing_path("model"), "Unknown model in routing subset", detail);
    } else {
        diags.warning_at(
            routing_path("model"),
            "Model not in the catalog",
            format!("{detail} strict_catalog = false: it is sent to Azure as written."),
        );
    }
}

fn contradiction(strict: bool, diags: &mut Diagnostics, detail: String) {
    if strict {
        diags.error_at(routing_path("model"), "Model contradicts the catalog", detail);
    } else {
        diags.warning_at(
            routing_path("model"),
            "Model not in the catalog",
            format!("{detail} strict_catalog = false: it is sent to Azure as written."),
        );
    }
}

fn check_min_context_window(config: &Value, models: Vec<&ModelEntry>, all_known: bool, diags: &mut Diagnostics) {
    let Some(min) = config.get("min_context_window").as_i64() else {
        return;
    };
    let window = effective_context_window(models);
    match window.tokens {
        Some(tokens) if (tokens as i64) < min => diags.error_at(
            path("min_context_window"),
            "Routed models have a smaller context window",
            format!(
                "min_context_window = {min}, but the effective context window of the routed models is {tokens} \
                 tokens, set by the smallest: {}. Remove {} from the subset or lower min_context_window.",
                window.smallest_models.join(", "),
                if window.smallest_models.len() == 1 { "it" } else { "them" }
            ),
        ),
        _ if !window.unknown_models.is_empty() || !all_known => diags.warning_at(
            path("min_context_window"),
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
    use tf_provider::Severity;

    const ACCOUNT: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct";

    fn model(name: &str) -> Value {
        Value::object([("name", Value::string(name)), ("format", Value::Null), ("version", Value::Null)])
    }

    fn config(routing: Value) -> Value {
        Value::object([
            ("name", Value::string("router")),
            ("cognitive_account_id", Value::string(ACCOUNT)),
            ("router_version", Value::Null),
            ("min_context_window", Value::Null),
            ("routing", routing),
        ])
    }

    fn routing(models: Vec<Value>) -> Value {
        Value::object([("mode", Value::string("quality")), ("model", Value::Set(models))])
    }

    /// (severity, summary, path) of every diagnostic, for compact assertions.
    fn findings(config: &Value, strict: bool) -> Vec<(Severity, String, String)> {
        let mut diags = Diagnostics::new();
        check_structure(config, &mut diags);
        check_against_catalog(config, strict, &mut diags);
        diags
            .iter()
            .map(|d| (d.severity, d.summary.clone(), d.attribute.as_ref().map(ToString::to_string).unwrap_or_default()))
            .collect()
    }

    #[test]
    fn a_valid_subset_has_no_findings() {
        assert!(findings(&config(routing(vec![model("gpt-5"), model("gpt-5-mini")])), true).is_empty());
    }

    #[test]
    fn alias_is_an_error_with_a_suggestion_on_the_model_path() {
        let mut diags = Diagnostics::new();
        check_against_catalog(&config(routing(vec![model("gpt-4.0"), model("gpt-5")])), true, &mut diags);
        let diag = diags.iter().find(|d| d.severity == Severity::Error).expect("an error");
        assert_eq!(diag.attribute.as_ref().unwrap().to_string(), "routing.model");
        assert!(diag.detail.contains("Did you mean \"gpt-4o\""), "{}", diag.detail);
    }

    #[test]
    fn lenient_catalog_turns_unknown_models_into_warnings() {
        let found = findings(&config(routing(vec![model("gpt-6"), model("gpt-5")])), false);
        assert!(found.iter().all(|(severity, ..)| *severity == Severity::Warning), "{found:?}");
        assert!(found.iter().any(|(_, summary, _)| summary == "Model not in the catalog"));
    }

    #[test]
    fn unknown_values_are_skipped() {
        let cfg = Value::object([
            ("name", Value::unknown()),
            ("cognitive_account_id", Value::unknown()),
            ("router_version", Value::unknown()),
            ("routing", Value::object([("mode", Value::unknown()), ("model", Value::unknown())])),
        ]);
        assert!(findings(&cfg, true).is_empty());
    }

    #[test]
    fn duplicates_in_another_case_are_an_error() {
        let found = findings(&config(routing(vec![model("gpt-5"), model("GPT-5")])), true);
        assert!(found.contains(&(Severity::Error, "Model listed twice".into(), "routing.model".into())), "{found:?}");
    }

    #[test]
    fn single_model_and_preview_are_warnings() {
        let found = findings(&config(routing(vec![model("grok-4")])), true);
        let summaries: Vec<&str> = found.iter().map(|(_, s, _)| s.as_str()).collect();
        assert!(summaries.contains(&"Only one model in the subset"), "{summaries:?}");
        assert!(summaries.contains(&"Preview model in the subset"), "{summaries:?}");
        assert!(found.iter().all(|(severity, ..)| *severity == Severity::Warning));
    }

    #[test]
    fn min_context_window_names_the_smallest_model() {
        let mut cfg = config(routing(vec![model("gpt-5"), model("gpt-4o")]));
        cfg.set_attr("min_context_window", Value::int(1_000_000));
        let mut diags = Diagnostics::new();
        check_against_catalog(&cfg, true, &mut diags);
        let diag = diags.iter().find(|d| d.severity == Severity::Error).expect("an error");
        assert_eq!(diag.attribute.as_ref().unwrap().to_string(), "min_context_window");
        assert!(diag.detail.contains("gpt-4o"), "{}", diag.detail);
    }
}
