//! Data source `modelrouter_supported_models`: the effective catalog (the embedded table, plus the provider's
//! `catalog_file`) of models per router version, so a configuration can build a subset from it and a pipeline can
//! see what this provider release knows, how old that is, and what is retired.

use std::collections::BTreeMap;

use async_trait::async_trait;
use modelrouter_catalog::{Catalog, CatalogDate, CatalogSource, ModelEntry, RetiredModel, RouterVersion};
use tf_provider::{
    Attribute, AttributePath, Block, DataSource, DataSourceReadResponse, Diagnostics, Schema, Type, Value,
};

use crate::resources::common::text::quoted_list;

pub const TYPE_NAME: &str = "modelrouter_supported_models";
/// The one argument.
const ROUTER_VERSION: &str = "router_version";

/// Where "today" comes from when the data source decides which router versions are retired.
pub type Clock = fn() -> CatalogDate;

pub use crate::state::wall_clock;

/// The data source over any catalog source (e.g. the provider's configured state) and clock.
pub struct SupportedModelsFrom<S> {
    catalog: S,
    today: Clock,
}

impl<S: CatalogSource> SupportedModelsFrom<S> {
    /// Reads `catalog` at each read (so a provider configured with a `catalog_file` serves the overlaid table), and
    /// the wall clock.
    pub fn new(catalog: S) -> Self {
        SupportedModelsFrom { catalog, today: wall_clock }
    }

    /// The same with another clock (tests pin the date).
    pub fn with_clock(catalog: S, today: Clock) -> Self {
        SupportedModelsFrom { catalog, today }
    }
}

/// The object type of one row of `models`.
pub fn model_row_type() -> Type {
    Type::Object(BTreeMap::from([
        ("format".to_owned(), Type::String),
        ("name".to_owned(), Type::String),
        ("version".to_owned(), Type::String),
        ("preview".to_owned(), Type::Bool),
        ("requires_registration".to_owned(), Type::Bool),
        ("requires_deployment".to_owned(), Type::Bool),
        ("requires_feature".to_owned(), Type::String),
        ("context_window".to_owned(), Type::Number),
        ("retirement_date".to_owned(), Type::String),
        ("source".to_owned(), Type::String),
    ]))
}

fn retired_row_type() -> Type {
    Type::Object(BTreeMap::from([
        ("name".to_owned(), Type::String),
        ("version".to_owned(), Type::String),
        ("retired_on".to_owned(), Type::String),
        ("replaced_by".to_owned(), Type::String),
        ("source".to_owned(), Type::String),
    ]))
}

fn optional_string(value: Option<impl ToString>) -> Value {
    value.map_or(Value::Null, |v| Value::string(v.to_string()))
}

fn model_row(model: &ModelEntry) -> Value {
    Value::object([
        ("format", Value::string(&model.format)),
        ("name", Value::string(&model.name)),
        ("version", Value::string(&model.version)),
        ("preview", Value::Bool(model.preview)),
        ("requires_registration", Value::Bool(model.requires_registration)),
        ("requires_deployment", Value::Bool(model.requires_deployment)),
        ("requires_feature", optional_string(model.requires_feature.as_ref())),
        ("context_window", model.context_window.map_or(Value::Null, |w| Value::int(w as i64))),
        ("retirement_date", optional_string(model.retirement_date)),
        ("source", Value::string(model.source.as_str())),
    ])
}

fn retired_row(model: &RetiredModel) -> Value {
    Value::object([
        ("name", Value::string(&model.name)),
        ("version", optional_string(model.version.as_ref())),
        ("retired_on", optional_string(model.retired_on)),
        ("replaced_by", optional_string(model.replaced_by.as_ref())),
        ("source", Value::string(model.source.as_str())),
    ])
}

fn schema() -> Schema {
    let list = |ty| Type::List(Box::new(ty));
    let block = Block::new()
        .describe(
            "The models each model router version can route to, from the catalog embedded in this provider release \
             (Microsoft's table; see `table_revision`) with the provider's `catalog_file` laid over it.",
        )
        .attribute(
            Attribute::optional(ROUTER_VERSION, Type::String)
                .computed()
                .describe("Router version whose models are listed. Default: the newest in the catalog."),
        )
        .attribute(Attribute::computed_only("table_revision", Type::String).describe(
            "Revision date (YYYY-MM-DD) of Microsoft's supported-models table the catalog reflects; a `catalog_file` \
             with its own `table_revision` replaces the embedded one.",
        ))
        .attribute(
            Attribute::computed_only("router_versions", list(Type::String))
                .describe("Every router version in the catalog, newest first, retired ones included."),
        )
        .attribute(
            Attribute::computed_only("default_router_version", Type::String)
                .describe("The router version `modelrouter_deployment` uses when `router_version` is omitted."),
        )
        .attribute(Attribute::computed_only("retired_router_versions", list(Type::String)).describe(
            "The router versions past their retirement date today, newest first: new deployments on them fail at \
             plan.",
        ))
        .attribute(
            Attribute::computed_only("lifecycle", Type::String)
                .describe("Microsoft's lifecycle label of `router_version` (`GA`, `Preview`), null when unknown."),
        )
        .attribute(
            Attribute::computed_only("retirement_date", Type::String)
                .describe("Retirement date (YYYY-MM-DD) of `router_version`, null when none is published."),
        )
        .attribute(
            Attribute::computed_only("retired", Type::Bool)
                .describe("Whether `router_version` is past its retirement date today."),
        )
        .attribute(Attribute::computed_only("models", list(model_row_type())).describe(
            "The models of `router_version`: `format`, `name`, `version`, `preview`, `requires_registration`, \
             `requires_deployment` (Claude models need their own deployment in the account), `requires_feature` \
             (the subscription preview feature of namespace Microsoft.CognitiveServices the router needs to route \
             to the model, e.g. `Fireworks.EnableDeploy`; null when none), `context_window` (tokens; null where no \
             documented figure exists), `retirement_date` (the model's published retirement date, null when none) \
             and `source` (`embedded`, or `file` when the `catalog_file` added the model or changed it).",
        ))
        .attribute(Attribute::computed_only("retired_models", list(retired_row_type())).describe(
            "Models `router_version` routed to once and no longer does: `name`, `version`, `retired_on` (null when \
             no exact date is published), `replaced_by` (null when no successor is named) and `source`.",
        ));
    Schema { version: 0, block }
}

/// Checks what can be judged before `Configure`: the shape of `router_version`. Whether the version exists depends
/// on the `catalog_file`, so that is judged at read.
fn validate(config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if let Some(version) = config.get(ROUTER_VERSION).as_str()
        && CatalogDate::parse(version).is_none()
    {
        diags.error_at(
            AttributePath::root().attr(ROUTER_VERSION),
            "Invalid router version",
            format!("router_version = {version:?} is not a router version: they are dates of the form YYYY-MM-DD."),
        );
    }
    diags
}

fn read(catalog: &Catalog, today: CatalogDate, config: &Value) -> DataSourceReadResponse {
    let mut diagnostics = validate(config);
    if diagnostics.has_errors() {
        return DataSourceReadResponse { state: Value::Null, diagnostics };
    }
    let selected = match config.get(ROUTER_VERSION).as_str() {
        Some(version) => catalog.router_version(version),
        None => Some(catalog.default_router_version()),
    };
    let Some(selected) = selected else {
        let version = config.get(ROUTER_VERSION).as_str().unwrap_or_default().to_owned();
        diagnostics.error_at(
            AttributePath::root().attr(ROUTER_VERSION),
            "Unknown router version",
            format!(
                "router_version = {version:?} is not in this provider's catalog (table revision {}). Allowed \
                 values: {}.",
                catalog.table_revision(),
                quoted_list(&catalog.version_names())
            ),
        );
        return DataSourceReadResponse { state: Value::Null, diagnostics };
    };
    let versions =
        |routers: Vec<&RouterVersion>| Value::List(routers.iter().map(|r| Value::string(&r.version)).collect());
    let state = Value::object([
        (ROUTER_VERSION, Value::string(&selected.version)),
        ("table_revision", Value::string(catalog.table_revision())),
        ("router_versions", versions(catalog.router_versions().iter().collect())),
        ("default_router_version", Value::string(&catalog.default_router_version().version)),
        ("retired_router_versions", versions(catalog.retired_router_versions(today))),
        ("lifecycle", optional_string(selected.lifecycle.as_ref())),
        ("retirement_date", optional_string(selected.retirement_date)),
        ("retired", Value::Bool(selected.retired_on(today))),
        ("models", Value::List(selected.models.iter().map(model_row).collect())),
        ("retired_models", Value::List(selected.retired_models.iter().map(retired_row).collect())),
    ]);
    DataSourceReadResponse { state, diagnostics }
}

#[async_trait]
impl<S: CatalogSource + 'static> DataSource for SupportedModelsFrom<S> {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        validate(config)
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        read(&self.catalog.effective_catalog(), (self.today)(), &config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use modelrouter_catalog::EffectiveCatalog;

    fn day_after_the_old_versions_retired() -> CatalogDate {
        CatalogDate::parse("2026-09-01").unwrap()
    }

    fn embedded() -> SupportedModelsFrom<EffectiveCatalog> {
        SupportedModelsFrom::with_clock(EffectiveCatalog::embedded(), day_after_the_old_versions_retired)
    }

    fn names(value: &Value) -> Vec<String> {
        value.elements().iter().map(|v| v.as_str().unwrap_or_default().to_owned()).collect()
    }

    #[tokio::test]
    async fn default_version_lists_the_newest_catalog() {
        let response = embedded().read(Value::object([("router_version", Value::Null)])).await;
        assert!(!response.diagnostics.has_errors());
        let state = &response.state;
        assert_eq!(state.get("router_version").as_str(), Some("2025-11-18"));
        assert_eq!(state.get("default_router_version").as_str(), Some("2025-11-18"));
        assert_eq!(state.get("table_revision").as_str(), Some("2026-09-01"));
        assert_eq!(state.get("models").elements().len(), 35);
        assert_eq!(state.get("router_versions").elements().len(), 3);
        assert_eq!(names(state.get("retired_router_versions")), ["2025-08-07", "2025-05-19"]);
        assert_eq!(state.get("retired").as_bool(), Some(false));
        assert_eq!(state.get("retirement_date").as_str(), Some("2027-05-20"));
        assert_eq!(state.get("lifecycle").as_str(), Some("GA"));
        assert_eq!(state.get("retired_models").elements().len(), 6);
    }

    #[tokio::test]
    async fn rows_carry_the_feature_retirement_and_source() {
        let response = embedded().read(Value::object([("router_version", Value::Null)])).await;
        let rows = response.state.get("models").elements().to_vec();
        let row = |name: &str| rows.iter().find(|r| r.get("name").as_str() == Some(name)).unwrap().clone();
        assert_eq!(row("FW-Kimi-K3").get("requires_feature").as_str(), Some("Fireworks.EnableDeploy"));
        assert!(row("gpt-5").get("requires_feature").is_null());
        assert_eq!(row("o4-mini").get("retirement_date").as_str(), Some("2026-10-16"));
        assert!(row("gpt-5").get("retirement_date").is_null());
        assert!(rows.iter().all(|r| r.get("source").as_str() == Some("embedded")));
        let retired = response.state.get("retired_models").elements().to_vec();
        let grok = retired.iter().find(|r| r.get("name").as_str() == Some("grok-4-fast-reasoning")).unwrap();
        assert_eq!(grok.get("retired_on").as_str(), Some("2026-05-01"));
        assert_eq!(grok.get("replaced_by").as_str(), Some("grok-4-1-fast-reasoning"));
    }

    #[tokio::test]
    async fn an_old_version_is_marked_retired_by_the_clock() {
        let config = Value::object([("router_version", Value::string("2025-05-19"))]);
        let response = embedded().read(config.clone()).await;
        assert_eq!(response.state.get("retired").as_bool(), Some(true));
        assert_eq!(response.state.get("models").elements().len(), 4);
        let before =
            SupportedModelsFrom::with_clock(EffectiveCatalog::embedded(), || CatalogDate::parse("2026-08-29").unwrap());
        let response = before.read(config).await;
        assert_eq!(response.state.get("retired").as_bool(), Some(false));
        assert!(response.state.get("retired_router_versions").elements().is_empty());
    }

    #[tokio::test]
    async fn the_catalog_file_entries_are_served_and_marked() {
        let overlaid = EffectiveCatalog::with_overlay(
            "table_revision = \"2026-11-11\"\n[[router_versions]]\nversion = \"2025-11-18\"\n\
             models = [ { format = \"OpenAI\", name = \"gpt-6-nova\", version = \"1\" } ]\n",
        )
        .unwrap();
        let data_source = SupportedModelsFrom::with_clock(move || overlaid.clone(), day_after_the_old_versions_retired);
        let response = data_source.read(Value::object([("router_version", Value::Null)])).await;
        assert_eq!(response.state.get("table_revision").as_str(), Some("2026-11-11"));
        let rows = response.state.get("models").elements().to_vec();
        assert_eq!(rows.len(), 36);
        let from_file: Vec<_> = rows.iter().filter(|r| r.get("source").as_str() == Some("file")).collect();
        assert_eq!(from_file.len(), 1);
        assert_eq!(from_file[0].get("name").as_str(), Some("gpt-6-nova"));
    }

    #[tokio::test]
    async fn unknown_version_is_an_error_on_the_attribute() {
        let response = embedded().read(Value::object([("router_version", Value::string("2024-01-01"))])).await;
        assert!(response.diagnostics.has_errors());
        let diag = response.diagnostics.iter().next().unwrap();
        assert_eq!(diag.attribute.as_ref().map(ToString::to_string).as_deref(), Some("router_version"));
        assert!(diag.detail.contains("\"2025-11-18\""), "{}", diag.detail);
        assert!(diag.detail.contains("table revision 2026-09-01"), "{}", diag.detail);
    }

    #[test]
    fn a_version_that_is_not_a_date_is_refused_before_configure() {
        let diags = validate(&Value::object([("router_version", Value::string("latest"))]));
        assert!(diags.has_errors());
        let ok = validate(&Value::object([("router_version", Value::string("2026-12-01"))]));
        assert!(!ok.has_errors(), "a version a catalog file may add is judged at read");
    }
}
