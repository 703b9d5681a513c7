//! Data source `modelrouter_supported_models`: the embedded catalog of models per router version, so a
//! configuration can build a subset from it and a pipeline can see what this provider release knows.

use std::collections::BTreeMap;

use async_trait::async_trait;
use modelrouter_catalog::{ModelEntry, catalog};
use tf_provider::{
    Attribute, AttributePath, Block, DataSource, DataSourceReadResponse, Diagnostics, Schema, Type, Value,
};

use crate::provider::config::quoted_list;

pub const TYPE_NAME: &str = "modelrouter_supported_models";

pub struct SupportedModels;

/// The object type of one row of `models` (also used by the deployment's `routed_models`, which has fewer fields).
pub fn model_row_type() -> Type {
    Type::Object(BTreeMap::from([
        ("format".to_owned(), Type::String),
        ("name".to_owned(), Type::String),
        ("version".to_owned(), Type::String),
        ("preview".to_owned(), Type::Bool),
        ("requires_registration".to_owned(), Type::Bool),
        ("requires_deployment".to_owned(), Type::Bool),
        ("context_window".to_owned(), Type::Number),
    ]))
}

fn model_row(model: &ModelEntry) -> Value {
    Value::object([
        ("format", Value::string(&model.format)),
        ("name", Value::string(&model.name)),
        ("version", Value::string(&model.version)),
        ("preview", Value::Bool(model.preview)),
        ("requires_registration", Value::Bool(model.requires_registration)),
        ("requires_deployment", Value::Bool(model.requires_deployment)),
        ("context_window", model.context_window.map_or(Value::Null, |w| Value::int(w as i64))),
    ])
}

fn unknown_version_detail(version: &str) -> String {
    format!(
        "router_version = {version:?} is not in this provider's catalog. Allowed values: {}.",
        quoted_list(&catalog().version_names())
    )
}

#[async_trait]
impl DataSource for SupportedModels {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        let block = Block::new()
            .describe(
                "The models each model router version can route to, from the catalog embedded in this provider \
                 release (Microsoft's table, revision 2026-03-18).",
            )
            .attribute(
                Attribute::optional("router_version", Type::String)
                    .computed()
                    .describe("Router version whose models are listed. Default: the newest in the catalog."),
            )
            .attribute(
                Attribute::computed_only("router_versions", Type::List(Box::new(Type::String)))
                    .describe("Every router version in the catalog, newest first."),
            )
            .attribute(
                Attribute::computed_only("default_router_version", Type::String)
                    .describe("The router version `modelrouter_deployment` uses when `router_version` is omitted."),
            )
            .attribute(Attribute::computed_only("models", Type::List(Box::new(model_row_type()))).describe(
                "The models of `router_version`: `format`, `name`, `version`, `preview`, \
                     `requires_registration`, `requires_deployment` (Claude models need their own deployment in \
                     the account) and `context_window` (tokens; null where no documented figure exists).",
            ));
        Schema { version: 0, block }
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(version) = config.get("router_version").as_str()
            && catalog().router_version(version).is_none()
        {
            diags.error_at(
                AttributePath::root().attr("router_version"),
                "Unknown router version",
                unknown_version_detail(version),
            );
        }
        diags
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        let mut diagnostics = self.validate(&config);
        let catalog = catalog();
        let selected = match config.get("router_version").as_str() {
            Some(version) => catalog.router_version(version),
            None => Some(catalog.default_router_version()),
        };
        let Some(selected) = selected.filter(|_| !diagnostics.has_errors()) else {
            if !diagnostics.has_errors() {
                diagnostics.error("Unknown router version", "No router version could be selected.");
            }
            return DataSourceReadResponse { state: Value::Null, diagnostics };
        };
        let state = Value::object([
            ("router_version", Value::string(&selected.version)),
            (
                "router_versions",
                Value::List(catalog.router_versions().iter().map(|v| Value::string(&v.version)).collect()),
            ),
            ("default_router_version", Value::string(&catalog.default_router_version().version)),
            ("models", Value::List(selected.models.iter().map(model_row).collect())),
        ]);
        DataSourceReadResponse { state, diagnostics }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn default_version_lists_the_newest_catalog() {
        let response = SupportedModels.read(Value::object([("router_version", Value::Null)])).await;
        assert!(!response.diagnostics.has_errors());
        assert_eq!(response.state.get("router_version").as_str(), Some("2025-11-18"));
        assert_eq!(response.state.get("default_router_version").as_str(), Some("2025-11-18"));
        assert_eq!(response.state.get("models").elements().len(), 28);
        assert_eq!(response.state.get("router_versions").elements().len(), 3);
    }

    #[tokio::test]
    async fn unknown_version_is_an_error_on_the_attribute() {
        let response = SupportedModels.read(Value::object([("router_version", Value::string("2024-01-01"))])).await;
        assert!(response.diagnostics.has_errors());
        let diag = response.diagnostics.iter().next().unwrap();
        assert_eq!(diag.attribute.as_ref().map(ToString::to_string).as_deref(), Some("router_version"));
        assert!(diag.detail.contains("\"2025-11-18\""), "{}", diag.detail);
    }
}
