//! What the provider shares with its resources once Terraform has called `Configure`: the ARM client and the catalog
//! settings. It lives apart from the provider block (`provider/`) and the resources (`resources/`), which both depend
//! on it and not on each other.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};

use modelrouter_arm::ArmClient;

use crate::preflight::Preflight;
use crate::resources::common::field::Field;
use crate::resources::common::tags::TagMap;
use modelrouter_catalog::{CatalogDate, CatalogSource, EffectiveCatalog};
use tf_provider::{Diagnostic, Severity};

/// The UTC day of the wall clock: the day a plan's date rules (retirements) are judged on.
pub fn wall_clock() -> CatalogDate {
    CatalogDate::from_system_time(std::time::SystemTime::now())
}

/// What `Configure` produces and every resource operation needs.
pub struct Configured {
    pub client: ArmClient,
    /// `false` turns "not in the catalog" errors into warnings.
    pub strict_catalog: bool,
    /// The embedded model table, with the provider's `catalog_file` laid over it.
    pub catalog: EffectiveCatalog,
    /// The checks against the live account at plan time; `None` with `preflight_checks = false`.
    pub preflight: Option<Preflight>,
    /// Whether this provider process already warned that the region offers a router version newer than the
    /// catalog: it is one fact about the provider release, said once per plan, not once per router.
    pub newer_router_version_reported: AtomicBool,
    /// The provider's `default_tags`, merged under every resource's `tags`.
    pub default_tags: Field<TagMap>,
}

/// Shared between the provider and its resources: filled by `Configure`, read by every CRUD call.
#[derive(Default)]
pub struct ProviderState {
    configured: RwLock<Option<Arc<Configured>>>,
}

impl ProviderState {
    /// The configured client, or the diagnostic Terraform shows when a resource runs before `Configure`
    /// (which Terraform never does, but a provider must not panic on it).
    pub fn configured(&self) -> Result<Arc<Configured>, Diagnostic> {
        let guard = self.configured.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.clone().ok_or_else(|| Diagnostic {
            severity: Severity::Error,
            summary: "Provider not configured".into(),
            detail: "The modelrouter provider was asked to reach Azure before Terraform configured it.".into(),
            attribute: None,
        })
    }

    /// Catalog strictness for plan-time validation; the default (strict) before `Configure`, as during
    /// `terraform validate`.
    pub fn strict_catalog(&self) -> bool {
        self.configured().map(|c| c.strict_catalog).unwrap_or(true)
    }

    /// The catalog plan-time rules check against: the configured one, or the embedded table before `Configure`.
    pub fn catalog(&self) -> EffectiveCatalog {
        self.configured().map(|c| c.catalog.clone()).unwrap_or_default()
    }

    /// The day plan-time date rules (retirements) are judged on.
    pub fn today(&self) -> CatalogDate {
        wall_clock()
    }

    pub(crate) fn set(&self, configured: Configured) {
        let mut guard = self.configured.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard = Some(Arc::new(configured));
    }
}

impl CatalogSource for ProviderState {
    fn effective_catalog(&self) -> EffectiveCatalog {
        self.catalog()
    }
}
