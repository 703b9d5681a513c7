//! The catalog's data: the embedded TOML file and the checked in-memory form.
//!
//! Parsing (in [`crate::build`]) validates everything the lookups rely on (unique names, known formats, real dates,
//! exactly one default, no retired model still routed), so the rest of the crate can trust the data without
//! re-checking it.

use std::fmt;

use thiserror::Error;

use crate::build::Draft;
use crate::date::CatalogDate;

/// The TOML file compiled into the binary.
pub const EMBEDDED_TOML: &str = include_str!("../data/models.toml");

/// The namespace of the subscription preview features named by [`ModelEntry::requires_feature`].
pub const FEATURE_NAMESPACE: &str = "Microsoft.CognitiveServices";

/// Why a catalog document was rejected.
#[derive(Debug, Error)]
pub enum CatalogError {
    #[error("the catalog is not valid TOML for its schema: {0}")]
    Parse(#[from] toml::de::Error),
    /// A catalog file's TOML syntax or shape (unknown key, wrong type) is wrong; the message is the parser's.
    #[error("{0}")]
    Schema(String),
    #[error("the catalog lists no router versions")]
    NoRouterVersions,
    #[error("router version `{0}` is not a date of the form YYYY-MM-DD")]
    BadVersion(String),
    #[error("router version `{0}` is listed twice")]
    DuplicateRouterVersion(String),
    #[error("{count} router versions are marked `default = true`; exactly one must be")]
    DefaultCount { count: usize },
    #[error("router version `{router}`: model `{model}` has format `{format}`, which is not in `formats` ({allowed})")]
    UnknownFormat { router: String, model: String, format: String, allowed: String },
    #[error("router version `{router}`: the name or alias `{name}` is used by more than one model")]
    DuplicateModelName { router: String, name: String },
    #[error("router version `{router}`: a model has an empty {field}")]
    EmptyField { router: String, field: &'static str },
    #[error("{what} needs `{field}`")]
    MissingField { what: String, field: &'static str },
    #[error("`{field}` = `{value}` is not a date of the form YYYY-MM-DD")]
    BadDate { field: &'static str, value: String },
    #[error("router version `{router}`: model `{name}` is listed twice in `retired_models`")]
    DuplicateRetiredModel { router: String, name: String },
    #[error("router version `{router}`: `{name}` is both a routed model and in `retired_models`")]
    RetiredModelStillRouted { router: String, name: String },
    #[error(
        "router version `{router}`: retired model `{name}` is replaced by `{replaced_by}`, which is not a model of that version"
    )]
    UnknownReplacement { router: String, name: String, replaced_by: String },
    #[error("context window of `{name}` version `{version}` is listed twice")]
    DuplicateContextWindow { name: String, version: String },
    #[error("context window of `{name}` version `{version}` belongs to no model of any router version")]
    OrphanContextWindow { name: String, version: String },
    #[error("context window of `{name}` version `{version}` must be a positive number of tokens with a source")]
    BadContextWindow { name: String, version: String },
    #[error("retirement of `{name}` version `{version}` is listed twice")]
    DuplicateModelRetirement { name: String, version: String },
    #[error("retirement of `{name}` version `{version}` belongs to no model of any router version")]
    OrphanModelRetirement { name: String, version: String },
    #[error("retirement of `{name}` version `{version}` needs a source")]
    BadModelRetirement { name: String, version: String },
}

/// Where an effective catalog entry comes from: the table compiled into the provider, or the user's catalog file
/// (added there, or with fields overridden there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EntrySource {
    #[default]
    Embedded,
    File,
}

impl EntrySource {
    /// `embedded` or `file`, as the data source reports it.
    pub fn as_str(self) -> &'static str {
        match self {
            EntrySource::Embedded => "embedded",
            EntrySource::File => "file",
        }
    }
}

impl fmt::Display for EntrySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One version of the model router and the models it can route to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouterVersion {
    /// The router's model version, e.g. `2025-11-18` (also the date Microsoft released it).
    pub version: String,
    /// Whether this version accepts routing modes and model subsets (`properties.routing`).
    pub supports_routing: bool,
    /// Whether this is the version used when a configuration names none (the newest).
    pub is_default: bool,
    /// What changed in this version, in a sentence or two.
    pub notes: String,
    /// Every model this version routes to; with no subset configured the router uses all of them.
    pub models: Vec<ModelEntry>,
    /// Microsoft's lifecycle label of this version, e.g. `GA` or `Preview`.
    pub lifecycle: Option<String>,
    /// The day from which this version is retired (see [`RouterVersion::retired_on`]).
    pub retirement_date: Option<CatalogDate>,
    /// Where `retirement_date` comes from.
    pub retirement_source: Option<String>,
    /// Models this version routed to once and no longer does, so plans can say "was retired".
    pub retired_models: Vec<RetiredModel>,
    /// `File` when the catalog file added this version or overrode one of its own fields.
    pub source: EntrySource,
}

/// One routable model, as a row of Microsoft's supported-models table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelEntry {
    /// `properties.model.format` of the model: `OpenAI`, `DeepSeek`, `Meta`, `xAI`, `Anthropic` or `Fireworks`.
    pub format: String,
    /// The ARM spelling of the model name, e.g. `gpt-4o`, `DeepSeek-V3.2`.
    pub name: String,
    /// The model version the router uses, e.g. `2025-04-14`, `1`, `20250929`.
    pub version: String,
    /// Router support for this model is in preview.
    pub preview: bool,
    /// Access to this model through the router needs a registration with Microsoft.
    pub requires_registration: bool,
    /// The model must be deployed separately in the same account (Claude models).
    pub requires_deployment: bool,
    /// The subscription preview feature (namespace [`FEATURE_NAMESPACE`]) without which the router does not route
    /// to this model, e.g. `Fireworks.EnableDeploy`.
    pub requires_feature: Option<String>,
    /// Total context window in tokens, when a document states it.
    pub context_window: Option<u64>,
    /// Where `context_window` comes from.
    pub context_window_source: Option<String>,
    /// The published retirement date of this model name and version, when a source gives one.
    pub retirement_date: Option<CatalogDate>,
    /// Where `retirement_date` comes from.
    pub retirement_source: Option<String>,
    /// Other spellings that name this model, e.g. `gpt-4.0` as Microsoft's table prints gpt-4o.
    pub aliases: Vec<String>,
    /// A remark from the table or its footnotes, if any.
    pub note: Option<String>,
    /// `File` when the catalog file added this model or overrode one of its fields.
    pub source: EntrySource,
}

impl ModelEntry {
    /// Whether `name` (any case) is this model's name or one of its aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        let name = name.trim();
        self.name.eq_ignore_ascii_case(name) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }

    /// The full id of [`ModelEntry::requires_feature`] as `Microsoft.Features` names it, e.g.
    /// `Microsoft.CognitiveServices/Fireworks.EnableDeploy`.
    pub fn required_feature_id(&self) -> Option<String> {
        self.requires_feature.as_ref().map(|feature| format!("{FEATURE_NAMESPACE}/{feature}"))
    }
}

/// A model a router version no longer routes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetiredModel {
    /// The ARM spelling of the retired model's name.
    pub name: String,
    /// Its format, when known.
    pub format: Option<String>,
    /// The version the router used, when known.
    pub version: Option<String>,
    /// The day it was retired, when a source gives it for this exact model and version.
    pub retired_on: Option<CatalogDate>,
    /// The model that replaced it in the same router version, if a source names one.
    pub replaced_by: Option<String>,
    /// A remark (e.g. the retirement schedule's wording when no exact date is sourced).
    pub note: Option<String>,
    /// `File` when the catalog file listed it.
    pub source: EntrySource,
}

/// The whole table: router versions, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    pub(crate) table_revision: String,
    pub(crate) table_revision_date: CatalogDate,
    pub(crate) formats: Vec<String>,
    pub(crate) router_versions: Vec<RouterVersion>,
    /// Whether a catalog file was laid over the embedded table.
    pub(crate) overlaid: bool,
    /// The merged input this catalog was built from, so another file can be laid over it.
    pub(crate) draft: Draft,
}

impl Catalog {
    /// Parses and checks a catalog document (the format of `data/models.toml`).
    pub fn from_toml_str(text: &str) -> Result<Catalog, CatalogError> {
        crate::build::parse_complete(text)
    }

    /// The revision date of Microsoft's table this catalog reflects, e.g. `2026-09-01`; a catalog file's
    /// `table_revision` replaces the embedded one.
    pub fn table_revision(&self) -> &str {
        &self.table_revision
    }

    /// The model formats the catalog knows, e.g. `OpenAI`, `Anthropic`.
    pub fn formats(&self) -> &[String] {
        &self.formats
    }

    /// Whether a catalog file was laid over the embedded table.
    pub fn is_overlaid(&self) -> bool {
        self.overlaid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
        table_revision = "2026-01-01"
        formats = ["OpenAI"]
        [[router_versions]]
        version = "2025-01-01"
        default = true
        supports_routing = true
        models = [ { format = "OpenAI", name = "a", version = "1" } ]
    "#;

    fn with(extra: &str) -> String {
        format!("{MINIMAL}\n{extra}")
    }

    /// Adds a key to the (only) router version of `text`.
    fn with_in(text: &str, line: &str) -> String {
        text.replace("        models = [", &format!("        {line}\n        models = ["))
    }

    #[test]
    fn embedded_catalog_parses() {
        let catalog = Catalog::from_toml_str(EMBEDDED_TOML).expect("data/models.toml must parse and validate");
        assert_eq!(catalog.table_revision(), "2026-09-01");
        assert_eq!(catalog.router_versions.len(), 3);
        assert!(!catalog.is_overlaid());
    }

    #[test]
    fn minimal_catalog_parses_with_defaults() {
        let catalog = Catalog::from_toml_str(MINIMAL).unwrap();
        let model = &catalog.router_versions[0].models[0];
        assert!(!model.preview && !model.requires_registration && !model.requires_deployment);
        assert_eq!(model.context_window, None);
        assert!(model.aliases.is_empty());
    }

    #[test]
    fn rejects_toml_syntax_errors_and_unknown_fields() {
        assert!(matches!(Catalog::from_toml_str("formats = ["), Err(CatalogError::Parse(_))));
        let typo = MINIMAL.replace("supports_routing", "supports_routnig");
        assert!(matches!(Catalog::from_toml_str(&typo), Err(CatalogError::Parse(_))));
    }

    #[test]
    fn rejects_unknown_format() {
        let text = MINIMAL.replace(r#"format = "OpenAI""#, r#"format = "Mistral""#);
        let err = Catalog::from_toml_str(&text).unwrap_err();
        assert!(matches!(err, CatalogError::UnknownFormat { ref format, .. } if format == "Mistral"), "{err}");
    }

    #[test]
    fn rejects_duplicate_names_including_aliases_and_case() {
        let text = MINIMAL.replace(
            r#"{ format = "OpenAI", name = "a", version = "1" }"#,
            r#"{ format = "OpenAI", name = "a", version = "1" }, { format = "OpenAI", name = "b", version = "1", aliases = ["A"] }"#,
        );
        let err = Catalog::from_toml_str(&text).unwrap_err();
        assert!(matches!(err, CatalogError::DuplicateModelName { ref name, .. } if name == "A"), "{err}");
    }

    #[test]
    fn rejects_bad_router_versions_and_default_count() {
        let bad = MINIMAL.replace(r#"version = "2025-01-01""#, r#"version = "latest""#);
        assert!(matches!(Catalog::from_toml_str(&bad), Err(CatalogError::BadVersion(v)) if v == "latest"));
        let no_default = MINIMAL.replace("default = true", "default = false");
        assert!(matches!(Catalog::from_toml_str(&no_default), Err(CatalogError::DefaultCount { count: 0 })));
        let twice = with(
            r#"[[router_versions]]
            version = "2025-01-01"
            supports_routing = false
            models = []"#,
        );
        assert!(matches!(Catalog::from_toml_str(&twice), Err(CatalogError::DuplicateRouterVersion(_))));
    }

    #[test]
    fn context_windows_attach_by_name_and_version_case_insensitively() {
        let text = with(
            r#"[[context_windows]]
            name = "A"
            version = "1"
            tokens = 4096
            source = "a test""#,
        );
        let catalog = Catalog::from_toml_str(&text).unwrap();
        let model = &catalog.router_versions[0].models[0];
        assert_eq!(model.context_window, Some(4096));
        assert_eq!(model.context_window_source.as_deref(), Some("a test"));
    }

    #[test]
    fn rejects_orphan_duplicate_or_sourceless_context_windows() {
        let orphan = with(
            r#"[[context_windows]]
            name = "a"
            version = "2"
            tokens = 1
            source = "x""#,
        );
        assert!(matches!(Catalog::from_toml_str(&orphan), Err(CatalogError::OrphanContextWindow { .. })));
        let entry = "[[context_windows]]\nname = \"a\"\nversion = \"1\"\ntokens = 1\nsource = \"x\"\n";
        let duplicate = with(&format!("{entry}{entry}"));
        assert!(matches!(Catalog::from_toml_str(&duplicate), Err(CatalogError::DuplicateContextWindow { .. })));
        let sourceless = with(&entry.replace(r#"source = "x""#, r#"source = " ""#));
        assert!(matches!(Catalog::from_toml_str(&sourceless), Err(CatalogError::BadContextWindow { .. })));
    }

    #[test]
    fn new_router_versions_and_models_need_their_keys() {
        let no_routing_flag = MINIMAL.replace("supports_routing = true", "");
        let err = Catalog::from_toml_str(&no_routing_flag).unwrap_err();
        assert!(matches!(err, CatalogError::MissingField { field: "supports_routing", .. }), "{err}");
        let no_format = MINIMAL.replace(r#"format = "OpenAI", "#, "");
        let err = Catalog::from_toml_str(&no_format).unwrap_err();
        assert!(matches!(err, CatalogError::MissingField { field: "format", .. }), "{err}");
        assert_eq!(err.to_string(), "new model `a` of router version `2025-01-01` needs `format`");
        let no_revision = MINIMAL.replace(r#"table_revision = "2026-01-01""#, "");
        let err = Catalog::from_toml_str(&no_revision).unwrap_err();
        assert!(matches!(err, CatalogError::MissingField { field: "table_revision", .. }), "{err}");
    }

    #[test]
    fn lifecycle_fields_parse_and_dates_are_checked() {
        let text = MINIMAL.replace(
            "supports_routing = true",
            r#"supports_routing = true
            lifecycle = "GA"
            retirement_date = "2027-05-20"
            retirement_source = "schedule""#,
        );
        let text =
            with_in(&text, r#"retired_models = [ { name = "old", retired_on = "2026-05-01", replaced_by = "A" } ]"#);
        let text = format!(
            "{text}\n[[model_retirements]]\nname = \"a\"\nversion = \"1\"\ndate = \"2026-10-16\"\nsource = \"s\"\n"
        );
        let catalog = Catalog::from_toml_str(&text).unwrap();
        let router = &catalog.router_versions[0];
        assert_eq!(router.lifecycle.as_deref(), Some("GA"));
        assert_eq!(router.retirement_date.map(|d| d.to_string()).as_deref(), Some("2027-05-20"));
        assert_eq!(router.retired_models[0].replaced_by.as_deref(), Some("A"));
        assert_eq!(router.models[0].retirement_date.map(|d| d.to_string()).as_deref(), Some("2026-10-16"));
        assert_eq!(router.models[0].source, EntrySource::Embedded);

        let bad = text.replace("2027-05-20", "2027-02-30");
        let err = Catalog::from_toml_str(&bad).unwrap_err();
        assert!(matches!(err, CatalogError::BadDate { field: "retirement_date", ref value } if value == "2027-02-30"));
        let orphan = text.replace("name = \"a\"\nversion = \"1\"\ndate", "name = \"b\"\nversion = \"1\"\ndate");
        assert!(matches!(Catalog::from_toml_str(&orphan), Err(CatalogError::OrphanModelRetirement { .. })));
    }

    #[test]
    fn retired_models_must_not_be_routed_and_successors_must_be() {
        let still_routed = with_in(MINIMAL, r#"retired_models = [ { name = "A" } ]"#);
        let err = Catalog::from_toml_str(&still_routed).unwrap_err();
        assert!(matches!(err, CatalogError::RetiredModelStillRouted { .. }), "{err}");
        let unknown = with_in(MINIMAL, r#"retired_models = [ { name = "z", replaced_by = "y" } ]"#);
        let err = Catalog::from_toml_str(&unknown).unwrap_err();
        assert!(matches!(err, CatalogError::UnknownReplacement { ref replaced_by, .. } if replaced_by == "y"), "{err}");
        let twice = with_in(MINIMAL, r#"retired_models = [ { name = "z" }, { name = "Z" } ]"#);
        assert!(matches!(Catalog::from_toml_str(&twice), Err(CatalogError::DuplicateRetiredModel { .. })));
    }

    #[test]
    fn requires_feature_must_name_a_feature() {
        let text = MINIMAL.replace(r#"version = "1" }"#, r#"version = "1", requires_feature = " " }"#);
        let err = Catalog::from_toml_str(&text).unwrap_err();
        assert!(matches!(err, CatalogError::EmptyField { field: "requires_feature", .. }), "{err}");
        let text =
            MINIMAL.replace(r#"version = "1" }"#, r#"version = "1", requires_feature = "Fireworks.EnableDeploy" }"#);
        let model = &Catalog::from_toml_str(&text).unwrap().router_versions[0].models[0];
        assert_eq!(model.required_feature_id().as_deref(), Some("Microsoft.CognitiveServices/Fireworks.EnableDeploy"));
    }
}
