//! What the provider shares with its resources once Terraform has called `Configure`: the ARM client and the catalog
//! settings. It lives apart from the provider block (`provider/`) and the resources (`resources/`), which both depend
//! on it and not on each other.

use std::sync::{Arc, RwLock};

use modelrouter_arm::ArmClient;
use tf_provider::{Diagnostic, Severity};

/// What `Configure` produces and every resource operation needs.
pub struct Configured {
    pub client: ArmClient,
    /// `false` turns "not in the catalog" errors into warnings.
    pub strict_catalog: bool,
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

    pub(crate) fn set(&self, configured: Configured) {
        let mut guard = self.configured.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard = Some(Arc::new(configured));
    }
}
