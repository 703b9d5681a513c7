//! What both resources share: the typed-model building blocks (fields, identity, sku, timeouts), the rules for
//! user-typed strings, the deployment lifecycle, the read-back check and error diagnostics, and the resource
//! identity and list resource of Terraform >= 1.12/1.14.

pub mod claude_guard;
pub mod conditional_write;
pub mod deployment_class;
pub mod errors;
pub mod field;
pub mod identity;
pub mod lifecycle;
pub mod listing;
pub mod plan_checks;
pub mod private;
pub mod put_body;
pub mod readback;
pub mod resource_identity;
pub mod sku;
pub mod state;
pub mod tags;
pub mod text;
pub mod timeouts;
pub mod values;

/// The model format of Claude deployments, as ARM spells it.
pub const ANTHROPIC: &str = "Anthropic";
