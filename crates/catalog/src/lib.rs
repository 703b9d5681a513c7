//! The embedded table of models each Azure AI Foundry model router version can route to.
//!
//! The table is data, not code: `data/models.toml` is compiled into the binary and parsed once, on first use of
//! [`catalog()`]. It reflects Microsoft's supported-models table (see [`Catalog::table_revision`]) plus, per model,
//! a documented context window where one is known.
//!
//! ```
//! let catalog = modelrouter_catalog::catalog();
//! let latest = catalog.default_router_version();
//! assert!(latest.supports_routing);
//! assert_eq!(latest.find_model("GPT-4.0").map(|m| m.name.as_str()), Some("gpt-4o"));
//! assert_eq!(catalog.models_routable_by("Anthropic", "claude-sonnet-4-5", "20250929"), ["2025-11-18"]);
//! ```

pub mod data;
pub mod lookup;
pub mod suggest;

use std::sync::LazyLock;

pub use data::{Catalog, CatalogError, ModelEntry, RouterVersion};
pub use lookup::{ContextWindow, effective_context_window};

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    // The embedded file is checked by `data::tests::embedded_catalog_parses`; failing here is a build defect.
    Catalog::from_toml_str(data::EMBEDDED_TOML)
        .expect("the embedded model catalog (crates/catalog/data/models.toml) is invalid; run its unit tests")
});

/// The catalog compiled into this binary.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}
