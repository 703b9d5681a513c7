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
//! - `locks`: per-account write serialisation;
//! - `client`: [`ArmClient`];
//! - `decode` (hidden): the response decoders as plain functions, for the fuzz targets.

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

pub use auth::{
    AuthError, AuthSettings, CertificateError, CloudEnvironment, CredentialKind, CredentialTried, OidcSource, Secret,
    token_scope,
};
pub use client::{
    ACCOUNT_API_VERSION, AccountKeys, ArmClient, ClientConfig, DEFAULT_API_VERSION, READ_API_VERSION,
    default_user_agent, normalize_location,
};
pub use error::{ArmError, ArmErrorKind, ConfigError, ErrorDetail, UnreachableCause};
pub use id::{AccountId, DeploymentId, IdError};
pub use model::{Account, Deployment, DeploymentModel, DeploymentProperties, ModelProviderData, Routing, Sku};
pub use offer::{CapacityLimits, CapacityViolation, LocationModel, ModelSku, OfferedModel, Usage, UsageName};
pub use retry::RetryPolicy;
pub use transport::parse_base_url;
