//! The embedded table of models each Azure AI Foundry model router version can route to.
//!
//! The table is data, not code: `data/models.toml` is compiled into the binary and parsed once, on first use of
//! [`catalog()`]. It reflects Microsoft's supported-models table (see [`Catalog::table_revision`]) plus, per model,
//! a documented context window where one is known, Fireworks' feature flag and the lifecycle data (router version
//! and model retirement dates, models retired from a version). A user's catalog file can be laid over it
//! ([`Catalog::with_overlay`], [`EffectiveCatalog`]); date-aware questions take the date as a parameter
//! ([`RouterVersion::retired_on`], [`ModelEntry::retirement_within`]).
//!
//! Updating the table is a one-file change to `data/models.toml` (its header lists the steps; the user-facing side,
//! the provider's `catalog_file`, is described in `docs/guides/catalog-file.md`).
//!
//! ```
//! use modelrouter_catalog::{CatalogDate, EffectiveCatalog};
//!
//! let catalog = modelrouter_catalog::catalog();
//! let latest = catalog.default_router_version();
//! assert!(latest.supports_routing);
//! assert_eq!(latest.find_model("GPT-4.0").map(|m| m.name.as_str()), Some("gpt-4o"));
//! assert_eq!(catalog.models_routable_by("Anthropic", "claude-sonnet-4-5", "20250929"), ["2025-11-18"]);
//!
//! let today = CatalogDate::parse("2026-11-28").unwrap();
//! assert!(catalog.router_version("2025-05-19").unwrap().retired_on(today));
//! assert!(catalog.find_retired_model("2025-11-18", "gpt-5-chat").is_some());
//!
//! let effective = EffectiveCatalog::with_overlay(
//!     "[[router_versions]]\nversion = \"2025-11-18\"\nmodels = [ { format = \"OpenAI\", name = \"gpt-6-nova\", version = \"1\" } ]",
//! )
//! .unwrap();
//! assert!(effective.default_router_version().find_model("gpt-6-nova").is_some());
//! ```

mod build;
pub mod data;
pub mod date;
pub mod effective;
pub mod lifecycle;
pub mod lookup;
pub mod overlay;
pub mod suggest;

use std::sync::LazyLock;

pub use data::{Catalog, CatalogError, EntrySource, FEATURE_NAMESPACE, ModelEntry, RetiredModel, RouterVersion};
pub use date::CatalogDate;
pub use effective::{CatalogSource, EffectiveCatalog};
pub use lifecycle::{ModelRetirement, RETIREMENT_WARNING_DAYS};
pub use lookup::{ContextWindow, effective_context_window};
pub use overlay::CatalogFileError;

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    // The embedded file is checked by `data::tests::embedded_catalog_parses`; failing here is a build defect.
    Catalog::from_toml_str(data::EMBEDDED_TOML)
        .expect("the embedded model catalog (crates/catalog/data/models.toml) is invalid; run its unit tests")
});

/// The catalog compiled into this binary. Decisions a user's catalog file can change should use the provider's
/// [`EffectiveCatalog`] instead.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}
