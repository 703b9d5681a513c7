//! The effective catalog: the embedded table, or the embedded table with the user's catalog file laid over it.
//!
//! The provider loads it once at configure and hands it to every consumer (plan-time validation, the data source),
//! so nothing has to call [`crate::catalog`] for a decision the catalog file can change.

// A catalog file is loaded once per configure; the size of its error type does not matter.
#![allow(clippy::result_large_err)]

use std::ops::Deref;
use std::path::Path;
use std::sync::Arc;

use crate::data::Catalog;
use crate::overlay::CatalogFileError;

/// A cheaply cloneable handle to the catalog in force: the `&'static` embedded one, or an overlaid one.
#[derive(Debug, Clone)]
pub struct EffectiveCatalog(Inner);

#[derive(Debug, Clone)]
enum Inner {
    Embedded(&'static Catalog),
    Overlaid(Arc<Catalog>),
}

impl EffectiveCatalog {
    /// The catalog compiled into this binary.
    pub fn embedded() -> EffectiveCatalog {
        EffectiveCatalog(Inner::Embedded(crate::catalog()))
    }

    /// The embedded catalog with the catalog file `text` laid over it.
    pub fn with_overlay(text: &str) -> Result<EffectiveCatalog, CatalogFileError> {
        Ok(EffectiveCatalog(Inner::Overlaid(Arc::new(crate::catalog().with_overlay(text)?))))
    }

    /// The embedded catalog with the catalog file at `path` laid over it (the provider's `catalog_file`).
    pub fn from_file(path: &Path) -> Result<EffectiveCatalog, CatalogFileError> {
        Ok(EffectiveCatalog(Inner::Overlaid(Arc::new(crate::catalog().with_overlay_file(path)?))))
    }

    /// Whether this is the embedded catalog, without a file.
    pub fn is_embedded(&self) -> bool {
        matches!(self.0, Inner::Embedded(_))
    }
}

impl Default for EffectiveCatalog {
    fn default() -> Self {
        EffectiveCatalog::embedded()
    }
}

impl Deref for EffectiveCatalog {
    type Target = Catalog;
    fn deref(&self) -> &Catalog {
        match &self.0 {
            Inner::Embedded(catalog) => catalog,
            Inner::Overlaid(catalog) => catalog,
        }
    }
}

impl AsRef<Catalog> for EffectiveCatalog {
    fn as_ref(&self) -> &Catalog {
        self
    }
}

/// Something that knows the catalog in force, e.g. the provider's configured state (the embedded catalog before
/// `Configure`, the overlaid one after). Data sources and validators take one instead of calling `catalog()`.
pub trait CatalogSource: Send + Sync {
    fn effective_catalog(&self) -> EffectiveCatalog;
}

impl CatalogSource for EffectiveCatalog {
    fn effective_catalog(&self) -> EffectiveCatalog {
        self.clone()
    }
}

impl<F: Fn() -> EffectiveCatalog + Send + Sync> CatalogSource for F {
    fn effective_catalog(&self) -> EffectiveCatalog {
        self()
    }
}

impl<S: CatalogSource + ?Sized> CatalogSource for Arc<S> {
    fn effective_catalog(&self) -> EffectiveCatalog {
        (**self).effective_catalog()
    }
}
