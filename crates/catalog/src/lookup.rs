//! Questions the provider asks the catalog: which router versions exist, which models a version routes to, which
//! versions route to a given model, and how large the context window of a set of models is.

use crate::data::{Catalog, ModelEntry, RouterVersion};

impl Catalog {
    /// All router versions, newest first.
    pub fn router_versions(&self) -> &[RouterVersion] {
        &self.router_versions
    }

    /// The version used when a configuration names none: the newest one.
    pub fn default_router_version(&self) -> &RouterVersion {
        // Parsing guarantees exactly one default; fall back to the newest should that ever change.
        self.router_versions.iter().find(|r| r.is_default).unwrap_or(&self.router_versions[0])
    }

    /// The router version with exactly this version string (surrounding blanks ignored).
    pub fn router_version(&self, version: &str) -> Option<&RouterVersion> {
        let version = version.trim();
        self.router_versions.iter().find(|r| r.version == version)
    }

    /// The version strings, newest first, e.g. for "allowed values" in a diagnostic.
    pub fn version_names(&self) -> Vec<&str> {
        self.router_versions.iter().map(|r| r.version.as_str()).collect()
    }

    /// The router versions (newest first) whose table holds this model with this format and version. Format and
    /// name compare case-insensitively, and the name may be an alias; the version must match exactly.
    pub fn models_routable_by(&self, format: &str, name: &str, version: &str) -> Vec<&str> {
        let (format, version) = (format.trim(), version.trim());
        self.router_versions
            .iter()
            .filter(|router| {
                router.find_model(name).is_some_and(|m| m.format.eq_ignore_ascii_case(format) && m.version == version)
            })
            .map(|router| router.version.as_str())
            .collect()
    }

    /// The Anthropic (Claude) model with this name or alias, from the newest router version that has it.
    pub fn find_anthropic_model(&self, name: &str) -> Option<&ModelEntry> {
        self.router_versions
            .iter()
            .filter_map(|router| router.find_model(name))
            .find(|m| m.format.eq_ignore_ascii_case("Anthropic"))
    }
}

impl RouterVersion {
    /// The model with this name or alias, case-insensitively.
    pub fn find_model(&self, name: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|m| m.answers_to(name))
    }

    /// The models the router uses when no subset is configured: all of them.
    pub fn default_set(&self) -> &[ModelEntry] {
        &self.models
    }
}

/// The effective context window of a set of routed models: that of its smallest model.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContextWindow {
    /// The smallest known context window in tokens; `None` when no model's window is known (or the set is empty).
    pub tokens: Option<u64>,
    /// The model(s) with that smallest window, in input order.
    pub smallest_models: Vec<String>,
    /// The models whose window the catalog does not know, in input order. When this is not empty the true
    /// effective window may be smaller than `tokens`.
    pub unknown_models: Vec<String>,
}

impl ContextWindow {
    /// Whether some model's window is unknown, so `tokens` is only an upper bound.
    pub fn is_partial(&self) -> bool {
        !self.unknown_models.is_empty()
    }
}

/// The effective context window of `models`: the smallest known window, the models that have it, and the models
/// whose window is unknown (so callers can say the figure may be too high).
pub fn effective_context_window<'a>(models: impl IntoIterator<Item = &'a ModelEntry>) -> ContextWindow {
    let mut result = ContextWindow::default();
    for model in models {
        match (model.context_window, result.tokens) {
            (None, _) => result.unknown_models.push(model.name.clone()),
            (Some(tokens), Some(smallest)) if tokens > smallest => {}
            (Some(tokens), Some(smallest)) if tokens == smallest => result.smallest_models.push(model.name.clone()),
            (Some(tokens), _) => {
                result.tokens = Some(tokens);
                result.smallest_models = vec![model.name.clone()];
            }
        }
    }
    result
}
