//! terraform-provider-modelrouter: Azure AI Foundry model router deployments as Terraform resources.
//!
//! The tree mirrors the architecture:
//! - [`provider`]: the provider block (arguments, environment fallbacks, validation) and the state every
//!   resource shares once Terraform has called `Configure` (the ARM client, catalog strictness).
//! - [`resources`]: `modelrouter_deployment` and `modelrouter_claude_dependency`, each with its schema, model,
//!   validation and CRUD side by side, over one shared deployment machinery.
//! - [`data_sources`]: `modelrouter_supported_models`, the embedded catalog as data.
//!
//! The plugin protocol lives in the `tf-provider` crate, Azure in `modelrouter-arm`, the model table in
//! `modelrouter-catalog` and the local ARM stand-in in `modelrouter-emulator`.

pub mod data_sources;
pub mod preflight;
pub mod provider;
pub mod resources;

pub use provider::ModelRouterProvider;
