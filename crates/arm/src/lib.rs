//! Azure Resource Manager client for `Microsoft.CognitiveServices/accounts/{account}/deployments`.
//!
//! - `id`: account and deployment ids (case-insensitive parsing, canonical display, lock keys);
//! - `model`: tolerant wire types that keep unknown fields for read-modify-write;
//! - `error`: [`ArmError`] (with [`ArmError::accepted`]) and [`ConfigError`];
//! - `auth`: provider settings, azurerm environment fallbacks, the credential chain, [`Secret`];
//! - `transport`: HTTP with bearer token, correlation ids, retries, deadline and cancellation;
//! - `retry`: what is retried and how long to wait;
//! - `offer`: what a region offers (models list) and the quota left (usages);
//! - `lro`: long-running operations (Azure-AsyncOperation, Location, provisioningState);
//! - `api_version`: the one api-version of every call, and an unpinned client's fallback;
//! - `write`: what a PUT may carry ([`Deployment::writable`]) and its precondition ([`WriteBody`]);
//! - `locks`: per-account write serialisation;
//! - `client`: [`ArmClient`] (with `client::validate`: ARM's template validation of a deployment body);
//! - `decode` (hidden): the response decoders as plain functions, for the fuzz targets.

mod api_version;
pub mod auth;
pub mod client;
#[doc(hidden)]
pub mod decode;
pub mod error;
pub mod id;
pub mod locks;
pub mod lro;
pub mod model;
pub mod offer;
mod progress;
pub mod retry;
pub mod transport;
pub mod write;

pub use api_version::newest_usable as newest_usable_api_version;
pub use auth::{
    AuthError, AuthSettings, CertificateError, CloudEnvironment, CredentialKind, CredentialTried, OidcSource, Secret,
    token_scope,
};
pub use client::{
    AccountKeys, ArmClient, ClientConfig, DEFAULT_API_VERSION, FIRST_GA_WITH_ROUTING, Refusal, VALIDATE_API_VERSION,
    Validation, default_user_agent, normalize_location,
};
pub use error::{ArmError, ArmErrorKind, ConfigError, ErrorDetail, UnreachableCause};
pub use id::{AccountId, DeploymentId, IdError};
pub use model::{
    Account, DEPLOYMENT_PAUSED, DEPLOYMENT_RUNNING, Deployment, DeploymentModel, DeploymentProperties,
    ModelProviderData, Routing, Sku,
};
pub use offer::{CapacityLimits, CapacityViolation, LocationModel, ModelSku, OfferedModel, Usage, UsageName};
pub use retry::RetryPolicy;
pub use transport::parse_base_url;
pub use write::{Precondition, WriteBody, read_only_fields_in};
