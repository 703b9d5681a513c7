//! Provider-defined functions (`provider::modelrouter::<name>(...)`, Terraform >= 1.8).
//!
//! Functions run on a provider instance Terraform never configures, so they depend on their arguments and
//! the embedded catalog only: pure and deterministic, as Terraform requires (it fails an apply whose calls
//! give other results than at plan).

mod arguments;
pub mod effective_context_window;
pub mod litellm_model_list;

use std::sync::Arc;

use tf_provider::Function;

/// Every function the provider offers.
pub fn all() -> Vec<Arc<dyn Function>> {
    vec![Arc::new(litellm_model_list::LitellmModelList), Arc::new(effective_context_window::EffectiveContextWindow)]
}
