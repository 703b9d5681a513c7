//! The router's typed model: what a `modelrouter_deployment` holds, parsed once per RPC from the configuration, plan
//! or state, and the mapping between it and the ARM deployment body, in both directions.

use std::collections::BTreeMap;

use modelrouter_arm::{Account, Deployment, DeploymentModel, DeploymentProperties, Routing as ArmRouting};
use modelrouter_catalog::{Catalog, ModelEntry, RouterVersion};
use tf_provider::{Type, Value};

use super::schema::attr::*;
use crate::resources::common::field::{Field, Nested, Num, parse_elements, set_value};
use crate::resources::common::identity::Identity;
use crate::resources::common::lifecycle::ResourceModel;
use crate::resources::common::readback;
use crate::resources::common::sku::SkuModel;
use crate::resources::common::state::{Content, Serving};
use crate::resources::common::tags::Tags;
use crate::resources::common::timeouts::Timeouts;

/// The model a router deployment deploys.
pub const ROUTER_MODEL_NAME: &str = "model-router";
pub const ROUTER_MODEL_FORMAT: &str = "OpenAI";

/// Routing modes, as the ARM spec spells them (lowercase).
pub const MODES: [&str; 3] = ["balanced", "quality", "cost"];
pub const DEFAULT_MODE: &str = "balanced";

/// Units of 1,000 tokens per minute; the portal's default for a new router.
pub const DEFAULT_CAPACITY: i64 = 10;

/// A `modelrouter_deployment` object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RouterModel {
    pub identity: Identity,
    pub router_version: Field<String>,
    pub content: Content,
    pub min_context_window: Field<Num>,
    pub effective_context_window: Field<Num>,
    pub routed_models: Field<Vec<RoutedModel>>,
    pub endpoint: Field<String>,
    pub sku: SkuModel,
    pub routing: Field<Routing>,
    pub tags: Tags,
    pub serving: Serving,
    pub timeouts: Field<Timeouts>,
}

/// The `routing` block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Routing {
    pub mode: Field<String>,
    /// The `model` blocks; an empty set when the block has none.
    pub models: Field<Vec<ModelRef>>,
}

/// One `model` block of the subset.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelRef {
    pub name: Field<String>,
    pub format: Field<String>,
    pub version: Field<String>,
}

/// One element of `routed_models`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoutedModel {
    pub format: Field<String>,
    pub name: Field<String>,
    pub version: Field<String>,
    pub preview: Field<bool>,
    pub context_window: Field<Num>,
}

impl ResourceModel for RouterModel {
    fn parse(value: &Value) -> RouterModel {
        RouterModel {
            identity: Identity::parse(value),
            router_version: Field::parse(value.get(ROUTER_VERSION)),
            content: Content::parse(value),
            min_context_window: Field::parse(value.get(MIN_CONTEXT_WINDOW)),
            effective_context_window: Field::parse(value.get(EFFECTIVE_CONTEXT_WINDOW)),
            routed_models: parse_elements(value.get(ROUTED_MODELS)),
            endpoint: Field::parse(value.get(ENDPOINT)),
            sku: SkuModel::parse(value.get(SKU)),
            routing: Field::parse_nested(value.get(ROUTING)),
            tags: Tags::parse(value),
            serving: Serving::parse(value),
            timeouts: Field::parse_nested(value.get(TIMEOUTS)),
        }
    }

    fn to_value(&self) -> Value {
        let mut pairs: Vec<(&str, Value)> = self.identity.attributes().into();
        pairs.extend([
            (ROUTER_VERSION, self.router_version.to_value()),
            (MIN_CONTEXT_WINDOW, self.min_context_window.to_value()),
            (EFFECTIVE_CONTEXT_WINDOW, self.effective_context_window.to_value()),
            (ROUTED_MODELS, set_value(&self.routed_models)),
            (ENDPOINT, self.endpoint.to_value()),
            (SKU, self.sku.to_value()),
            (ROUTING, self.routing.nested_value()),
            (TIMEOUTS, self.timeouts.nested_value()),
        ]);
        pairs.extend(self.content.attributes());
        pairs.extend(self.tags.attributes());
        pairs.extend(self.serving.attributes());
        Value::object(pairs)
    }

    fn identity(&self) -> &Identity {
        &self.identity
    }
    fn identity_mut(&mut self) -> &mut Identity {
        &mut self.identity
    }
    fn timeouts(&self) -> &Field<Timeouts> {
        &self.timeouts
    }
    fn serving(&self) -> &Serving {
        &self.serving
    }
    fn azure_chosen(&self, _catalog: &Catalog) -> Vec<(&'static str, String)> {
        self.content.azure_chosen().chain(self.serving.azure_chosen()).collect()
    }
}

impl RouterModel {
    /// The routing models when the subset is known (empty when the block has no `model` blocks or is absent).
    pub fn subset(&self) -> Option<&[ModelRef]> {
        match &self.routing {
            Field::Null => Some(&[]),
            Field::Unknown => None,
            Field::Known(routing) => routing.models.known().map(Vec::as_slice),
        }
    }
}

impl Nested for Routing {
    fn parse(value: &Value) -> Routing {
        Routing { mode: Field::parse(value.get(MODE)), models: parse_elements(value.get(MODEL)) }
    }

    fn to_value(&self) -> Value {
        Value::object([(MODE, self.mode.to_value()), (MODEL, set_value(&self.models))])
    }
}

impl Nested for ModelRef {
    fn parse(value: &Value) -> ModelRef {
        ModelRef {
            name: Field::parse(value.get(MODEL_NAME)),
            format: Field::parse(value.get(FORMAT)),
            version: Field::parse(value.get(VERSION)),
        }
    }

    fn to_value(&self) -> Value {
        Value::object([
            (MODEL_NAME, self.name.to_value()),
            (FORMAT, self.format.to_value()),
            (VERSION, self.version.to_value()),
        ])
    }
}

impl Nested for RoutedModel {
    fn parse(value: &Value) -> RoutedModel {
        RoutedModel {
            format: Field::parse(value.get(FORMAT)),
            name: Field::parse(value.get(MODEL_NAME)),
            version: Field::parse(value.get(VERSION)),
            preview: Field::parse(value.get(PREVIEW)),
            context_window: Field::parse(value.get(CONTEXT_WINDOW)),
        }
    }

    fn to_value(&self) -> Value {
        Value::object([
            (FORMAT, self.format.to_value()),
            (MODEL_NAME, self.name.to_value()),
            (VERSION, self.version.to_value()),
            (PREVIEW, self.preview.to_value()),
            (CONTEXT_WINDOW, self.context_window.to_value()),
        ])
    }
}

impl RoutedModel {
    pub fn from_catalog(entry: &ModelEntry) -> RoutedModel {
        RoutedModel {
            format: Field::string(&entry.format),
            name: Field::string(&entry.name),
            version: Field::string(&entry.version),
            preview: Field::Known(entry.preview),
            context_window: Field::from_option(entry.context_window.map(|w| Num::int(w as i64))),
        }
    }
}

/// Type of one element of `routed_models`.
pub fn routed_model_type() -> Type {
    Type::Object(BTreeMap::from([
        (FORMAT.to_owned(), Type::String),
        (MODEL_NAME.to_owned(), Type::String),
        (VERSION.to_owned(), Type::String),
        (PREVIEW.to_owned(), Type::Bool),
        (CONTEXT_WINDOW.to_owned(), Type::Number),
    ]))
}

/// The catalog row of a routed model, matched on its exact name (any case), not on aliases: an alias in a
/// configuration is a mistake that validation reports with a suggestion.
pub fn catalog_entry<'c>(router: &'c RouterVersion, name: &str) -> Option<&'c ModelEntry> {
    router.models.iter().find(|m| m.name.eq_ignore_ascii_case(name))
}

/// The catalog's router version of that name, if the catalog knows it.
pub fn catalog_router<'c>(catalog: &'c Catalog, version: &Field<String>) -> Option<&'c RouterVersion> {
    version.as_deref().and_then(|v| catalog.router_version(v))
}

impl RouterModel {
    /// Writes the router's settings from a planned (wholly known) model into an ARM body. `body` is the deployment
    /// as Azure has it on update (read-modify-write keeps fields this provider does not model) or empty on create.
    /// What the plan leaves null (a model's format or version the catalog does not know) is left out, and Azure's
    /// read then supplies it.
    pub fn apply_to_body(&self, body: &mut Deployment, catalog: &Catalog) {
        let router_version = self.router_version.known().cloned();
        body.sku = Some(self.sku.to_arm(DEFAULT_CAPACITY, body.sku.take()));
        let properties: &mut DeploymentProperties = &mut body.properties;
        let previous_model_extra = properties.model.take().map(|m| m.extra).unwrap_or_default();
        properties.model = Some(DeploymentModel {
            format: Some(ROUTER_MODEL_FORMAT.to_owned()),
            name: ROUTER_MODEL_NAME.to_owned(),
            version: router_version,
            extra: previous_model_extra,
        });
        properties.routing = match &self.routing {
            Field::Known(routing) => {
                let router = catalog_router(catalog, &self.router_version);
                let models: Vec<DeploymentModel> = routing
                    .models
                    .known()
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|model| {
                        let name = model.name.known()?;
                        // Azure gets the catalog's spelling; the state keeps the configuration's.
                        let entry = router.and_then(|r| catalog_entry(r, name));
                        Some(DeploymentModel {
                            format: model.format.known().cloned(),
                            name: entry.map_or_else(|| name.clone(), |e| e.name.clone()),
                            version: model.version.known().cloned(),
                            extra: Default::default(),
                        })
                    })
                    .collect();
                let previous_extra = properties.routing.take().map(|r| r.extra).unwrap_or_default();
                Some(ArmRouting {
                    mode: Some(routing.mode.as_deref().unwrap_or(DEFAULT_MODE).to_ascii_lowercase()),
                    models: if models.is_empty() { None } else { Some(models) },
                    extra: previous_extra,
                })
            }
            _ => None,
        };
        self.content.apply_to_body(body);
        self.tags.apply_to_body(body);
        self.serving.apply_to_body(body);
    }

    /// The model for what Azure holds. `base` is the prior state (or the plan, after a write): it supplies what Azure
    /// does not return (timeouts, min_context_window) and the configuration's spelling of values Azure may return in
    /// another case (ids, model names), so that case never shows as a change.
    pub fn from_arm(
        base: &RouterModel,
        deployment: &Deployment,
        account: Option<&Account>,
        catalog: &Catalog,
    ) -> RouterModel {
        let properties = &deployment.properties;
        let mut state = RouterModel {
            identity: Identity::from_arm(&base.identity, deployment.name.as_deref()),
            router_version: Field::from_option(properties.model.as_ref().and_then(|m| m.version.clone())),
            content: Content::from_arm(deployment),
            min_context_window: base.min_context_window.clone(),
            effective_context_window: Field::Null,
            routed_models: Field::Null,
            endpoint: match account.and_then(|a| a.endpoint.as_deref()) {
                Some(endpoint) => Field::string(endpoint),
                None if base.endpoint.is_unknown() => Field::Null,
                None => base.endpoint.clone(),
            },
            sku: SkuModel::from_arm(&base.sku, deployment.sku.as_ref()),
            routing: routing_from_arm(&base.routing, properties.routing.as_ref()),
            tags: Tags::from_arm(&base.tags, deployment),
            serving: Serving::from_arm(deployment),
            timeouts: base.timeouts.clone(),
        };
        let (routed, effective) = super::plan::routed_set(catalog, &state.router_version, &state.routing);
        state.routed_models = routed;
        state.effective_context_window = effective;
        state
    }
}

/// Azure's routing as a `routing` block. A routing that only restates the default (balanced, no subset) is shown as
/// no block when the base had none, so a server that echoes its default causes no diff.
fn routing_from_arm(base: &Field<Routing>, routing: Option<&ArmRouting>) -> Field<Routing> {
    let Some(routing) = routing else {
        return Field::Null;
    };
    let mode = routing.mode.as_deref().map(str::to_ascii_lowercase);
    let models = routing.models.as_deref().unwrap_or_default();
    let restates_default = mode.as_deref().is_none_or(|m| m == DEFAULT_MODE) && models.is_empty();
    if restates_default && base.is_null() {
        return Field::Null;
    }
    let base_models = base.known().and_then(|r| r.models.known()).map(Vec::as_slice).unwrap_or_default();
    let models = models
        .iter()
        .map(|model| {
            // The configuration's spelling of the name when it is the same model in another case.
            let spelled = base_models
                .iter()
                .find_map(|b| b.name.as_deref().filter(|n| n.eq_ignore_ascii_case(&model.name)))
                .unwrap_or(&model.name);
            ModelRef {
                name: Field::string(spelled),
                format: Field::from_option(model.format.clone()),
                version: Field::from_option(model.version.clone()),
            }
        })
        .collect();
    Field::Known(Routing { mode: Field::string(mode.as_deref().unwrap_or(DEFAULT_MODE)), models: Field::Known(models) })
}

/// What did not stick after a write: each entry names what was asked for and what Azure kept. Another tool is
/// known to have had routing silently dropped by the service; this makes such a write fail loudly.
pub fn write_mismatches(asked: &Deployment, got: &Deployment) -> Vec<String> {
    let mut problems = readback::common_mismatches(asked, got, ROUTER_VERSION);
    let asked_routing = describe_routing(asked.properties.routing.as_ref());
    let got_routing = describe_routing(got.properties.routing.as_ref());
    if asked_routing != got_routing {
        problems.push(format!("routing: asked for {asked_routing}, Azure kept {got_routing}"));
    }
    problems.extend(routing_version_mismatches(asked, got));
    problems
}

/// A canonical description of a routing setting: mode lower-cased, models sorted, absent = the default. A model's
/// format or version left out of the request is not compared (Azure fills it in).
fn describe_routing(routing: Option<&ArmRouting>) -> String {
    let Some(routing) = routing else {
        return "no routing (balanced over the full default set)".into();
    };
    let mode = routing.mode.as_deref().unwrap_or(DEFAULT_MODE).to_ascii_lowercase();
    let mut models: Vec<String> =
        routing.models.as_deref().unwrap_or_default().iter().map(|m| m.name.to_ascii_lowercase()).collect();
    models.sort();
    if models.is_empty() {
        if mode == DEFAULT_MODE {
            return "no routing (balanced over the full default set)".into();
        }
        return format!("mode {mode:?} over the full default set");
    }
    format!("mode {mode:?} with models [{}]", models.join(", "))
}

/// Versions asked for that Azure did not keep, per model (only where the request named a version).
fn routing_version_mismatches(asked: &Deployment, got: &Deployment) -> Vec<String> {
    let got_models = got.properties.routing.as_ref().and_then(|r| r.models.as_deref()).unwrap_or_default();
    asked
        .properties
        .routing
        .as_ref()
        .and_then(|r| r.models.as_deref())
        .unwrap_or_default()
        .iter()
        .filter_map(|asked| {
            let version = asked.version.as_deref()?;
            let kept = got_models.iter().find(|g| g.name.eq_ignore_ascii_case(&asked.name))?.version.as_deref();
            (kept != Some(version)).then(|| {
                format!(
                    "routing model {}: asked for version {version:?}, Azure kept {}",
                    asked.name,
                    kept.map_or_else(|| "none".to_owned(), |k| format!("{k:?}"))
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::common::lifecycle::ResourceModel;

    #[test]
    fn a_value_round_trips_through_the_model() {
        let value = Value::object([
            ("id", Value::Null),
            ("name", Value::string("r")),
            ("cognitive_account_id", Value::unknown()),
            ("router_version", Value::string("2025-11-18")),
            ("rai_policy_name", Value::Null),
            ("version_upgrade_option", Value::unknown()),
            ("min_context_window", Value::int(1000)),
            ("effective_context_window", Value::Null),
            ("routed_models", Value::unknown()),
            ("endpoint", Value::Null),
            ("sku", Value::object([("name", Value::string("GlobalStandard")), ("capacity", Value::int(3))])),
            (
                "routing",
                Value::object([
                    ("mode", Value::string("cost")),
                    (
                        "model",
                        Value::Set(vec![Value::object([
                            ("name", Value::string("gpt-5")),
                            ("format", Value::Null),
                            ("version", Value::unknown()),
                        ])]),
                    ),
                ]),
            ),
            ("timeouts", Value::Null),
            ("tags", Value::map([("team", Value::unknown())])),
            ("tags_all", Value::unknown()),
            ("deployment_state", Value::string("Paused")),
            ("service_tier", Value::Null),
            ("provisioning_state", Value::string("Failed")),
        ]);
        assert_eq!(RouterModel::parse(&value).to_value(), value);
    }

    #[test]
    fn body_sends_the_catalog_spelling_and_leaves_out_what_is_not_known() {
        let mut model = RouterModel::parse(&Value::Null);
        model.router_version = Field::string("2025-11-18");
        model.routing = Field::Known(Routing {
            mode: Field::string("quality"),
            models: Field::Known(vec![
                ModelRef { name: Field::string("GPT-5-mini"), format: Field::string("OpenAI"), ..Default::default() },
                ModelRef { name: Field::string("gpt-7-preview"), ..Default::default() },
            ]),
        });
        let mut body = Deployment::default();
        model.apply_to_body(&mut body, modelrouter_catalog::catalog());
        let models = body.properties.routing.unwrap().models.unwrap();
        assert_eq!(models[0].name, "gpt-5-mini");
        assert_eq!(models[1].name, "gpt-7-preview");
        assert_eq!(models[1].format, None);
        assert_eq!(models[1].version, None);
    }
}
