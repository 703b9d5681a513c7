//! The router's model: the values a `modelrouter_deployment` takes, and the mapping between its Terraform object
//! and the ARM deployment body, in both directions.

use std::collections::BTreeMap;

use modelrouter_arm::{Account, Deployment, DeploymentModel, DeploymentProperties, Routing};
use modelrouter_catalog::{ModelEntry, RouterVersion, catalog, effective_context_window};
use tf_provider::{Type, Value};

use crate::resources::common::values::{keep_prior_spelling, known_string};
use crate::resources::common::{readback, sku};

/// The model a router deployment deploys.
pub const ROUTER_MODEL_NAME: &str = "model-router";
pub const ROUTER_MODEL_FORMAT: &str = "OpenAI";

/// Routing modes, as the ARM spec spells them (lowercase).
pub const MODES: [&str; 3] = ["balanced", "quality", "cost"];
pub const DEFAULT_MODE: &str = "balanced";

/// Units of 1,000 tokens per minute; the portal's default for a new router.
pub const DEFAULT_CAPACITY: i64 = 10;

pub const VERSION_UPGRADE_OPTIONS: [&str; 3] =
    ["OnceNewDefaultVersionAvailable", "OnceCurrentVersionExpired", "NoAutoUpgrade"];

/// The router version a configuration means: the one it names, or the catalog's newest.
pub fn resolve_router_version(configured: Option<&str>) -> (String, Option<&'static RouterVersion>) {
    match configured {
        Some(version) => (version.to_owned(), catalog().router_version(version)),
        None => {
            let newest = catalog().default_router_version();
            (newest.version.clone(), Some(newest))
        }
    }
}

/// The catalog row of a routed model, matched on its exact name (any case), not on aliases: an alias in a
/// configuration is a mistake that validation reports with a suggestion.
pub fn catalog_entry<'c>(router: &'c RouterVersion, name: &str) -> Option<&'c ModelEntry> {
    router.models.iter().find(|m| m.name.eq_ignore_ascii_case(name.trim()))
}

/// Type of one element of `routed_models`.
pub fn routed_model_type() -> Type {
    Type::Object(BTreeMap::from([
        ("format".to_owned(), Type::String),
        ("name".to_owned(), Type::String),
        ("version".to_owned(), Type::String),
        ("preview".to_owned(), Type::Bool),
        ("context_window".to_owned(), Type::Number),
    ]))
}

/// `routed_models` and `effective_context_window` of a router: derived from the router version and the
/// subset (or the default set when there is none), so they are known at plan time and identical at read.
/// Returns `None` while anything they depend on is unknown.
pub fn routed_set(router_version: &Value, routing: &Value) -> Option<(Value, Value)> {
    let version = router_version.as_str()?;
    let router = catalog().router_version(version);
    let models = routing.get("model");
    if routing.is_unknown() || models.is_unknown() {
        return None;
    }
    let mut rows: Vec<(usize, Value)> = Vec::new();
    let mut entries: Vec<&ModelEntry> = Vec::new();
    if routing.is_null() || models.elements().is_empty() {
        let router = router?;
        for (index, entry) in router.default_set().iter().enumerate() {
            rows.push((index, routed_row(entry)));
            entries.push(entry);
        }
    } else {
        for model in models.elements() {
            let name = model.get("name").as_str()?;
            match router.and_then(|r| catalog_entry(r, name).map(|e| (r, e))) {
                Some((r, entry)) => {
                    let index = r.models.iter().position(|m| std::ptr::eq(m, entry)).unwrap_or(usize::MAX);
                    rows.push((index, routed_row(entry)));
                    entries.push(entry);
                }
                // Outside the catalog (strict_catalog = false): what was written, nothing more is known.
                None => {
                    let format = model.get("format");
                    let version = model.get("version");
                    if format.is_unknown() || version.is_unknown() {
                        return None;
                    }
                    rows.push((
                        usize::MAX,
                        Value::object([
                            ("format", format.clone()),
                            ("name", Value::string(name)),
                            ("version", version.clone()),
                            ("preview", Value::Bool(false)),
                            ("context_window", Value::Null),
                        ]),
                    ));
                }
            }
        }
    }
    // Catalog order, then name: a set has no order of its own, and the list must not flap between plans.
    rows.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.get("name").as_str().cmp(&y.get("name").as_str())));
    let window = effective_context_window(entries);
    let effective = window.tokens.map_or(Value::Null, |t| Value::int(t as i64));
    Some((Value::List(rows.into_iter().map(|(_, row)| row).collect()), effective))
}

fn routed_row(entry: &ModelEntry) -> Value {
    Value::object([
        ("format", Value::string(&entry.format)),
        ("name", Value::string(&entry.name)),
        ("version", Value::string(&entry.version)),
        ("preview", Value::Bool(entry.preview)),
        ("context_window", entry.context_window.map_or(Value::Null, |w| Value::int(w as i64))),
    ])
}

/// Writes the router's settings from a planned (wholly known) object into an ARM body. `body` is the deployment
/// as Azure has it on update (read-modify-write keeps fields this provider does not model) or empty on create.
pub fn apply_to_body(planned: &Value, body: &mut Deployment) {
    let router_version = known_string(planned.get("router_version"));
    body.sku = Some(sku::to_arm(planned.get("sku"), DEFAULT_CAPACITY, body.sku.take()));
    let properties: &mut DeploymentProperties = &mut body.properties;
    let previous_model_extra = properties.model.take().map(|m| m.extra).unwrap_or_default();
    properties.model = Some(DeploymentModel {
        format: Some(ROUTER_MODEL_FORMAT.to_owned()),
        name: ROUTER_MODEL_NAME.to_owned(),
        version: router_version.clone(),
        extra: previous_model_extra,
    });
    // Read-only on the wire: never echo it back.
    properties.provisioning_state = None;
    if let Some(policy) = known_string(planned.get("rai_policy_name")) {
        properties.rai_policy_name = Some(policy);
    }
    if let Some(option) = known_string(planned.get("version_upgrade_option")) {
        properties.version_upgrade_option = Some(option);
    }
    let routing = planned.get("routing");
    properties.routing = if routing.is_null() {
        None
    } else {
        let router = router_version.as_deref().and_then(|v| catalog().router_version(v));
        let models: Vec<DeploymentModel> = routing
            .get("model")
            .elements()
            .iter()
            .filter_map(|model| {
                let name = model.get("name").as_str()?;
                // Send the catalog's spelling; the state keeps the user's.
                let entry = router.and_then(|r| catalog_entry(r, name));
                Some(DeploymentModel {
                    format: known_string(model.get("format")).or_else(|| entry.map(|e| e.format.clone())),
                    name: entry.map_or_else(|| name.to_owned(), |e| e.name.clone()),
                    version: known_string(model.get("version")).or_else(|| entry.map(|e| e.version.clone())),
                    extra: Default::default(),
                })
            })
            .collect();
        let previous_extra = properties.routing.take().map(|r| r.extra).unwrap_or_default();
        Some(Routing {
            mode: Some(
                known_string(routing.get("mode")).unwrap_or_else(|| DEFAULT_MODE.to_owned()).to_ascii_lowercase(),
            ),
            models: if models.is_empty() { None } else { Some(models) },
            extra: previous_extra,
        })
    };
}

/// The Terraform object for what Azure holds. `base` is the prior state (or the plan, after a write): it supplies
/// what Azure does not return (timeouts, min_context_window) and the user's spelling of values Azure may return in
/// another case (ids, model names), so that case never shows as a change.
pub fn state_from_arm(base: &Value, deployment: &Deployment, account: Option<&Account>) -> Value {
    let mut state = base.clone();
    let properties = &deployment.properties;
    if let Some(name) = &deployment.name {
        state.set_attr("name", keep_prior_spelling(base.get("name"), name));
    }
    let router_version = properties.model.as_ref().and_then(|m| m.version.clone());
    state.set_attr("router_version", router_version.map_or(Value::Null, Value::string));
    state.set_attr("sku", sku::from_arm(base.get("sku"), deployment.sku.as_ref()));
    state.set_attr("rai_policy_name", properties.rai_policy_name.as_deref().map_or(Value::Null, Value::string));
    state.set_attr(
        "version_upgrade_option",
        properties.version_upgrade_option.as_deref().map_or(Value::Null, Value::string),
    );
    state.set_attr("routing", routing_state(base.get("routing"), properties.routing.as_ref()));
    if let Some(endpoint) = account.and_then(|a| a.endpoint.as_deref()) {
        state.set_attr("endpoint", Value::string(endpoint));
    } else if state.get("endpoint").is_unknown() {
        state.set_attr("endpoint", Value::Null);
    }
    let (routed, effective) =
        routed_set(state.get("router_version"), state.get("routing")).unwrap_or((Value::List(Vec::new()), Value::Null));
    state.set_attr("routed_models", routed);
    state.set_attr("effective_context_window", effective);
    state
}

/// Azure's routing as a `routing` block. A routing that only restates the default (balanced, no subset) is
/// shown as no block when the configuration had none, so a server that echoes its default causes no diff.
fn routing_state(base: &Value, routing: Option<&Routing>) -> Value {
    let Some(routing) = routing else {
        return Value::Null;
    };
    let mode = routing.mode.as_deref().map(str::to_ascii_lowercase);
    let models = routing.models.as_deref().unwrap_or_default();
    let restates_default = mode.as_deref().is_none_or(|m| m == DEFAULT_MODE) && models.is_empty();
    if restates_default && base.is_null() {
        return Value::Null;
    }
    let prior_models = base.get("model").elements();
    let elements = models
        .iter()
        .map(|model| {
            // The user's spelling of the name when it is the same model in another case.
            let prior = prior_models
                .iter()
                .find(|p| p.get("name").as_str().is_some_and(|n| n.eq_ignore_ascii_case(&model.name)));
            let name =
                prior.and_then(|p| p.get("name").as_str()).map_or_else(|| Value::string(&model.name), Value::string);
            Value::object([
                ("name", name),
                ("format", model.format.as_deref().map_or(Value::Null, Value::string)),
                ("version", model.version.as_deref().map_or(Value::Null, Value::string)),
            ])
        })
        .collect();
    Value::object([("mode", Value::string(mode.as_deref().unwrap_or(DEFAULT_MODE))), ("model", Value::Set(elements))])
}

/// What did not stick after a write: each entry names what was asked for and what Azure kept. Another tool is
/// known to have had routing silently dropped by the service; this makes such a write fail loudly.
pub fn write_mismatches(asked: &Deployment, got: &Deployment) -> Vec<String> {
    let mut problems = readback::common_mismatches(asked, got, "router_version");
    let asked_routing = describe_routing(asked.properties.routing.as_ref());
    let got_routing = describe_routing(got.properties.routing.as_ref());
    if asked_routing != got_routing {
        problems.push(format!("routing: asked for {asked_routing}, Azure kept {got_routing}"));
    }
    problems
}

/// A canonical description of a routing setting: mode lower-cased, models sorted, absent = the default.
fn describe_routing(routing: Option<&Routing>) -> String {
    let Some(routing) = routing else {
        return "no routing (balanced over the full default set)".into();
    };
    let mode = routing.mode.as_deref().unwrap_or(DEFAULT_MODE).to_ascii_lowercase();
    let mut models: Vec<String> = routing
        .models
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|m| format!("{}@{}", m.name.to_ascii_lowercase(), m.version.as_deref().unwrap_or("?")))
        .collect();
    models.sort();
    if models.is_empty() {
        if mode == DEFAULT_MODE {
            return "no routing (balanced over the full default set)".into();
        }
        return format!("mode {mode:?} over the full default set");
    }
    format!("mode {mode:?} with models [{}]", models.join(", "))
}
