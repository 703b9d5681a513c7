//! terraform-provider-modelrouter: Azure AI Foundry model router deployments as Terraform resources.
//!
//! The tree mirrors the architecture:
//! - [`provider`]: the provider block (arguments, environment fallbacks, validation) and `Configure`.
//! - [`resources`]: `modelrouter_deployment` and `modelrouter_claude_dependency`, each with its schema, model,
//!   validation and CRUD side by side, over one shared deployment machinery.
//! - [`state`]: what `Configure` produces and every resource operation reads (the ARM client, catalog strictness).
//! - [`data_sources`]: `modelrouter_supported_models`, the embedded catalog as data.
//! - [`ephemeral`]: `modelrouter_account_keys`, the account's keys for one run, never in plan or state.
//! - [`functions`]: `litellm_model_list` and `effective_context_window`, pure functions of the catalog.
//!
//! The plugin protocol lives in the `tf-provider` crate, Azure in `modelrouter-arm`, the model table in
//! `modelrouter-catalog` and the local ARM stand-in in `modelrouter-emulator`.

pub mod data_sources;
pub mod ephemeral;
pub mod functions;
pub mod preflight;
pub mod provider;
pub mod resources;
pub mod state;

pub use provider::ModelRouterProvider;
