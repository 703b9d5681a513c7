//! Ephemeral resources (`ephemeral "modelrouter_..." "x" {}`, Terraform >= 1.10): values a configuration uses
//! during one run and that are never written to a plan or state file.

pub mod account_keys;

use std::sync::Arc;

use tf_provider::EphemeralResource;

use crate::state::ProviderState;

/// Every ephemeral resource type, sharing the provider's configured state (like `resources::all`).
pub fn all(state: &Arc<ProviderState>) -> Vec<Arc<dyn EphemeralResource>> {
    vec![Arc::new(account_keys::AccountKeys::new(state.clone()))]
}
