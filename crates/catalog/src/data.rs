//! The catalog's data: the embedded TOML file, its raw (serde) shape, and the checked in-memory form.
//!
//! Parsing validates everything the lookups rely on (unique names, known formats, sortable versions, exactly one
//! default), so the rest of the crate can trust the data without re-checking it.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use thiserror::Error;

/// The TOML file compiled into the binary.
pub const EMBEDDED_TOML: &str = include_str!("../data/models.toml");

/// Why a catalog document was rejected.
#[derive(Debug, Error)]
pub enum CatalogError {
    #[error("the catalog is not valid TOML for its schema: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("the catalog lists no router versions")]
    NoRouterVersions,
    #[error("router version `{0}` is not a date of the form YYYY-MM-DD")]
    BadVersion(String),
    #[error("router version `{0}` is listed twice")]
    DuplicateRouterVersion(String),
    #[error("{count} router versions are marked `default = true`; exactly one must be")]
    DefaultCount { count: usize },
    #[error("router version `{router}`: model `{model}` has format `{format}`, which is not in `formats`")]
    UnknownFormat { router: String, model: String, format: String },
    #[error("router version `{router}`: the name or alias `{name}` is used by more than one model")]
    DuplicateModelName { router: String, name: String },
    #[error("router version `{router}`: a model has an empty {field}")]
    EmptyField { router: String, field: &'static str },
    #[error("context window of `{name}` version `{version}` is listed twice")]
    DuplicateContextWindow { name: String, version: String },
    #[error("context window of `{name}` version `{version}` belongs to no model of any router version")]
    OrphanContextWindow { name: String, version: String },
    #[error("context window of `{name}` version `{version}` must be a positive number of tokens with a source")]
    BadContextWindow { name: String, version: String },
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
}

/// One routable model, as a row of Microsoft's supported-models table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelEntry {
    /// `properties.model.format` of the model: `OpenAI`, `DeepSeek`, `Meta`, `xAI` or `Anthropic`.
    pub format: String,
    /// The ARM spelling of the model name, e.g. `gpt-4o`, `DeepSeek-V3.1`.
    pub name: String,
    /// The model version the router uses, e.g. `2025-04-14`, `1`, `20250929`.
    pub version: String,
    /// Router support for this model is in preview.
    pub preview: bool,
    /// Access to this model through the router needs a registration with Microsoft.
    pub requires_registration: bool,
    /// The model must be deployed separately in the same account (Claude models).
    pub requires_deployment: bool,
    /// Total context window in tokens, when a document states it.
    pub context_window: Option<u64>,
    /// Where `context_window` comes from.
    pub context_window_source: Option<String>,
    /// Other spellings that name this model, e.g. `gpt-4.0` as Microsoft's table prints gpt-4o.
    pub aliases: Vec<String>,
    /// A remark from the table or its footnotes, if any.
    pub note: Option<String>,
}

impl ModelEntry {
    /// Whether `name` (any case) is this model's name or one of its aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        let name = name.trim();
        self.name.eq_ignore_ascii_case(name) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }
}

/// The whole table: router versions, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    pub(crate) table_revision: String,
    pub(crate) formats: Vec<String>,
    pub(crate) router_versions: Vec<RouterVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    table_revision: String,
    formats: Vec<String>,
    router_versions: Vec<RawRouterVersion>,
    #[serde(default)]
    context_windows: Vec<RawContextWindow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRouterVersion {
    version: String,
    #[serde(default)]
    default: bool,
    supports_routing: bool,
    #[serde(default)]
    notes: String,
    models: Vec<RawModel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    format: String,
    name: String,
    version: String,
    #[serde(default)]
    preview: bool,
    #[serde(default)]
    requires_registration: bool,
    #[serde(default)]
    requires_deployment: bool,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContextWindow {
    name: String,
    version: String,
    tokens: u64,
    source: String,
}

impl Catalog {
    /// Parses and checks a catalog document (the format of `data/models.toml`).
    pub fn from_toml_str(text: &str) -> Result<Catalog, CatalogError> {
        let raw: RawCatalog = toml::from_str(text)?;
        build(raw)
    }

    /// The revision date of Microsoft's table this catalog reflects, e.g. `2026-03-18`.
    pub fn table_revision(&self) -> &str {
        &self.table_revision
    }

    /// The model formats the catalog knows, e.g. `OpenAI`, `Anthropic`.
    pub fn formats(&self) -> &[String] {
        &self.formats
    }
}

/// Context windows keyed by lower-cased (name, version).
type WindowTable = HashMap<(String, String), (u64, String)>;

fn build(raw: RawCatalog) -> Result<Catalog, CatalogError> {
    if raw.router_versions.is_empty() {
        return Err(CatalogError::NoRouterVersions);
    }
    let defaults = raw.router_versions.iter().filter(|r| r.default).count();
    if defaults != 1 {
        return Err(CatalogError::DefaultCount { count: defaults });
    }
    let mut windows = context_window_table(raw.context_windows)?;
    let mut used_windows = HashSet::new();

    let mut seen_versions = HashSet::new();
    let mut router_versions = Vec::with_capacity(raw.router_versions.len());
    for router in raw.router_versions {
        if !is_date(&router.version) {
            return Err(CatalogError::BadVersion(router.version));
        }
        if !seen_versions.insert(router.version.clone()) {
            return Err(CatalogError::DuplicateRouterVersion(router.version));
        }
        let mut names = HashSet::new();
        let mut models = Vec::with_capacity(router.models.len());
        for model in router.models {
            check_model(&router.version, &raw.formats, &model, &mut names)?;
            let key = (model.name.to_ascii_lowercase(), model.version.to_ascii_lowercase());
            let window = windows.get(&key).cloned();
            if window.is_some() {
                used_windows.insert(key);
            }
            models.push(ModelEntry {
                format: model.format,
                name: model.name,
                version: model.version,
                preview: model.preview,
                requires_registration: model.requires_registration,
                requires_deployment: model.requires_deployment,
                context_window: window.as_ref().map(|(tokens, _)| *tokens),
                context_window_source: window.map(|(_, source)| source),
                aliases: model.aliases,
                note: model.note,
            });
        }
        router_versions.push(RouterVersion {
            version: router.version,
            supports_routing: router.supports_routing,
            is_default: router.default,
            notes: router.notes,
            models,
        });
    }

    windows.retain(|key, _| !used_windows.contains(key));
    if let Some(((name, version), _)) = windows.into_iter().min() {
        return Err(CatalogError::OrphanContextWindow { name, version });
    }

    // YYYY-MM-DD strings sort like the dates they are.
    router_versions.sort_by(|a, b| b.version.cmp(&a.version));
    Ok(Catalog { table_revision: raw.table_revision, formats: raw.formats, router_versions })
}

fn context_window_table(entries: Vec<RawContextWindow>) -> Result<WindowTable, CatalogError> {
    let mut table = WindowTable::new();
    for entry in entries {
        if entry.tokens == 0 || entry.source.trim().is_empty() {
            return Err(CatalogError::BadContextWindow { name: entry.name, version: entry.version });
        }
        let key = (entry.name.to_ascii_lowercase(), entry.version.to_ascii_lowercase());
        if table.insert(key, (entry.tokens, entry.source)).is_some() {
            return Err(CatalogError::DuplicateContextWindow { name: entry.name, version: entry.version });
        }
    }
    Ok(table)
}

fn check_model(
    router: &str,
    formats: &[String],
    model: &RawModel,
    names: &mut HashSet<String>,
) -> Result<(), CatalogError> {
    let empty = |field| CatalogError::EmptyField { router: router.to_string(), field };
    if model.name.trim().is_empty() {
        return Err(empty("name"));
    }
    if model.version.trim().is_empty() {
        return Err(empty("version"));
    }
    if model.aliases.iter().any(|a| a.trim().is_empty()) {
        return Err(empty("alias"));
    }
    if !formats.iter().any(|f| f == &model.format) {
        return Err(CatalogError::UnknownFormat {
            router: router.to_string(),
            model: model.name.clone(),
            format: model.format.clone(),
        });
    }
    for name in std::iter::once(&model.name).chain(&model.aliases) {
        if !names.insert(name.to_ascii_lowercase()) {
            return Err(CatalogError::DuplicateModelName { router: router.to_string(), name: name.clone() });
        }
    }
    Ok(())
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
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

    #[test]
    fn embedded_catalog_parses() {
        let catalog = Catalog::from_toml_str(EMBEDDED_TOML).expect("data/models.toml must parse and validate");
        assert_eq!(catalog.table_revision(), "2026-03-18");
        assert_eq!(catalog.router_versions.len(), 3);
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
    fn date_check() {
        assert!(is_date("2025-11-18"));
        assert!(!is_date("2025-1-18"));
        assert!(!is_date("2025/11/18"));
        assert!(!is_date("2025-11-18x"));
    }
}
