//! Planning a `modelrouter_deployment`: defaults from the catalog, values Azure fills in, and the computed
//! attributes that are known before apply (`routed_models`, `effective_context_window`).
//!
//! The rules Terraform enforces (tfplugin5 §4.5): configured values are planned as written, or as the prior value
//! when the two mean the same (case of ids and names); an optional+computed attribute left out may take a default
//! or stay unknown; and when nothing changed the plan equals the prior state, so Terraform sees a no-op.

use tf_provider::{AttributePath, Value};

use super::model::{DEFAULT_CAPACITY, DEFAULT_MODE, catalog_entry, resolve_router_version, routed_set};
use crate::resources::common::sku;
use modelrouter_catalog::catalog;

/// Paths whose change replaces the deployment (Terraform keeps only those that actually changed).
pub fn requires_replace() -> Vec<AttributePath> {
    vec![
        AttributePath::root().attr("name"),
        AttributePath::root().attr("cognitive_account_id"),
        AttributePath::root().attr("sku").attr("name"),
    ]
}

/// The planned state for a create (`prior` null) or an update.
pub fn planned_state(prior: &Value, proposed: &Value, config: &Value) -> Value {
    let mut planned = proposed.clone();
    let creating = prior.is_null();

    for attr in ["name", "cognitive_account_id"] {
        keep_prior_when_same_ignoring_case(&mut planned, prior, config, attr);
    }
    planned.set_attr("id", if creating { Value::unknown() } else { prior.get("id").clone() });

    if config.get("router_version").is_null() && planned.get("router_version").is_null() {
        let (newest, _) = resolve_router_version(None);
        planned.set_attr("router_version", Value::string(newest));
    }

    planned.set_attr("sku", sku::plan(config.get("sku"), prior.get("sku"), DEFAULT_CAPACITY));

    // Server-filled values: unknown until Azure answers on create, then kept (`proposed` carries the prior value).
    for attr in ["rai_policy_name", "version_upgrade_option"] {
        if creating && planned.get(attr).is_null() {
            planned.set_attr(attr, Value::unknown());
        }
    }

    let routing = plan_routing(prior.get("routing"), config.get("routing"), planned.get("router_version"));
    planned.set_attr("routing", routing);

    match routed_set(planned.get("router_version"), planned.get("routing")) {
        Some((routed, effective)) => {
            planned.set_attr("routed_models", routed);
            planned.set_attr("effective_context_window", effective);
        }
        None => {
            planned.set_attr("routed_models", Value::unknown());
            planned.set_attr("effective_context_window", Value::unknown());
        }
    }

    let same_account = !creating
        && prior
            .get("cognitive_account_id")
            .as_str()
            .zip(planned.get("cognitive_account_id").as_str())
            .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b));
    planned.set_attr("endpoint", if same_account { prior.get("endpoint").clone() } else { Value::unknown() });

    // Nothing changed: hand Terraform the prior state itself, so it plans a no-op.
    if !creating && planned == *prior {
        return prior.clone();
    }
    // Something else changes: server-filled values stay as they are unless configured (already in `proposed`).
    planned
}

/// The `routing` block as planned: mode defaulted, each model's format and version filled from the catalog (or
/// from the prior state for models the catalog does not know, when `strict_catalog = false`).
fn plan_routing(prior: &Value, config: &Value, router_version: &Value) -> Value {
    if config.is_null() {
        return Value::Null;
    }
    let mode = match config.get("mode") {
        Value::Null => Value::string(DEFAULT_MODE),
        configured => configured.clone(),
    };
    let models_config = config.get("model");
    if models_config.is_unknown() {
        return Value::object([("mode", mode), ("model", models_config.clone())]);
    }
    let router = router_version.as_str().and_then(|v| catalog().router_version(v));
    let prior_models = prior.get("model").elements();
    let models = models_config
        .elements()
        .iter()
        .map(|model| {
            let name = model.get("name");
            let entry = name.as_str().and_then(|n| router.and_then(|r| catalog_entry(r, n)));
            let prior_match = name.as_str().and_then(|n| {
                prior_models.iter().find(|p| p.get("name").as_str().is_some_and(|pn| pn.eq_ignore_ascii_case(n)))
            });
            let fill = |attr: &str, from_catalog: Option<&String>| match model.get(attr) {
                Value::Null => match (from_catalog, prior_match.map(|p| p.get(attr))) {
                    (Some(value), _) => Value::string(value),
                    (None, Some(prior)) if !prior.is_null() => prior.clone(),
                    _ => Value::unknown(),
                },
                configured => configured.clone(),
            };
            Value::object([
                ("name", name.clone()),
                ("format", fill("format", entry.map(|e| &e.format))),
                ("version", fill("version", entry.map(|e| &e.version))),
            ])
        })
        .collect();
    Value::object([("mode", mode), ("model", Value::Set(models))])
}

/// Plans the prior spelling of a configured value that differs from it only in case (ARM ids and names are
/// case-insensitive), which Terraform accepts as "semantically equal" and which avoids a replacement.
fn keep_prior_when_same_ignoring_case(planned: &mut Value, prior: &Value, config: &Value, attr: &str) {
    if let (Some(configured), Some(previous)) = (config.get(attr).as_str(), prior.get(attr).as_str()) {
        if configured != previous && configured.eq_ignore_ascii_case(previous) {
            planned.set_attr(attr, Value::string(previous));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct";

    fn config() -> Value {
        Value::object([
            ("id", Value::Null),
            ("name", Value::string("router")),
            ("cognitive_account_id", Value::string(ACCOUNT)),
            ("router_version", Value::Null),
            ("rai_policy_name", Value::Null),
            ("version_upgrade_option", Value::Null),
            ("min_context_window", Value::Null),
            ("effective_context_window", Value::Null),
            ("routed_models", Value::Null),
            ("endpoint", Value::Null),
            ("sku", Value::object([("name", Value::Null), ("capacity", Value::Null)])),
            (
                "routing",
                Value::object([
                    ("mode", Value::Null),
                    (
                        "model",
                        Value::Set(vec![Value::object([
                            ("name", Value::string("GPT-5-mini")),
                            ("format", Value::Null),
                            ("version", Value::Null),
                        ])]),
                    ),
                ]),
            ),
            ("timeouts", Value::Null),
        ])
    }

    #[test]
    fn create_fills_defaults_from_the_catalog_and_leaves_server_values_unknown() {
        let planned = planned_state(&Value::Null, &config(), &config());
        assert!(planned.get("id").is_unknown());
        assert_eq!(planned.get("router_version").as_str(), Some("2025-11-18"));
        assert_eq!(planned.get("sku").get("name").as_str(), Some("GlobalStandard"));
        assert_eq!(planned.get("sku").get("capacity").as_i64(), Some(10));
        assert_eq!(planned.get("routing").get("mode").as_str(), Some("balanced"));
        let model = &planned.get("routing").get("model").elements()[0];
        assert_eq!(model.get("name").as_str(), Some("GPT-5-mini"), "the user's spelling is kept");
        assert_eq!(model.get("format").as_str(), Some("OpenAI"));
        assert_eq!(model.get("version").as_str(), Some("2025-08-07"));
        assert!(planned.get("rai_policy_name").is_unknown());
        assert!(planned.get("endpoint").is_unknown());
        assert_eq!(planned.get("routed_models").elements().len(), 1);
        assert_eq!(planned.get("routed_models").elements()[0].get("name").as_str(), Some("gpt-5-mini"));
    }

    #[test]
    fn unchanged_configuration_plans_the_prior_state_exactly() {
        let mut prior = planned_state(&Value::Null, &config(), &config());
        prior.set_attr("id", Value::string(format!("{ACCOUNT}/deployments/router")));
        prior.set_attr("rai_policy_name", Value::string("Microsoft.DefaultV2"));
        prior.set_attr("version_upgrade_option", Value::string("OnceNewDefaultVersionAvailable"));
        prior.set_attr("endpoint", Value::string("https://a.openai.azure.com/"));
        // Terraform's proposal: config values, prior values for computed attributes left out.
        let mut proposed = config();
        for attr in ["id", "router_version", "rai_policy_name", "version_upgrade_option", "endpoint"] {
            proposed.set_attr(attr, prior.get(attr).clone());
        }
        assert_eq!(planned_state(&prior, &proposed, &config()), prior);
    }

    #[test]
    fn account_id_in_another_case_is_not_a_change() {
        let mut prior = planned_state(&Value::Null, &config(), &config());
        prior.set_attr("id", Value::string("x"));
        let mut cfg = config();
        cfg.set_attr("cognitive_account_id", Value::string(ACCOUNT.replace("resourceGroups", "resourcegroups")));
        let planned = planned_state(&prior, &cfg, &cfg);
        assert_eq!(planned.get("cognitive_account_id").as_str(), Some(ACCOUNT));
    }
}
