//! Authentication: settings and their environment fallbacks (`settings`), token acquisition and caching
//! (`token`), and the client assertions for federated credentials (`assertion`).
//!
//! Settings come from the provider block; every `None` falls back to the environment variable azurerm uses
//! ([`AuthSettings::with_env_fallbacks`]). One credential is then picked, in this order: a ready access token,
//! a client secret, OIDC (a token, a token file, or the GitHub Actions token request URL), managed identity,
//! the Azure CLI. Tokens are requested for the scope `<ARM base>/.default` and cached until shortly before they
//! expire.
//!
//! Test hooks (documented so acceptance tests can point the provider at an emulator):
//! - `AZURE_AUTHORITY_HOST` overrides the login endpoint (it must be `https://`; azure_identity refuses anything else);
//! - `ARM_TEST_CA_CERT_FILE` names a PEM file of extra trusted root certificates, added to the system store, for
//!   the ARM endpoint and the login endpoint alike.

mod assertion;
mod certificate;
mod pfx;
mod settings;
mod token;

pub use certificate::CertificateError;
pub use settings::{
    AuthError, AuthSettings, CloudEnvironment, CredentialKind, CredentialTried, OidcSource, Secret, token_scope,
};
pub(crate) use token::TokenProvider;
