//! Token acquisition: builds the credential the settings select and caches its tokens.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use azure_core::credentials::TokenCredential;
use azure_core::http::{ClientOptions, RetryOptions, Transport};
use azure_identity::{
    AzureCliCredential, AzureCliCredentialOptions, ClientAssertionCredential, ClientAssertionCredentialOptions,
    ClientSecretCredential, ClientSecretCredentialOptions, ManagedIdentityCredential, ManagedIdentityCredentialOptions,
    UserAssignedId,
};
use time::OffsetDateTime;

use super::assertion::{Assertion, azure_devops_request_url, github_request_url};
use super::certificate::CertificateAssertion;
use super::settings::{AuthError, AuthSettings, CredentialKind, OidcSource, Secret};

/// Refresh a cached token this long before it expires.
const TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// Hands out bearer tokens for ARM, caching them until shortly before expiry.
pub(crate) struct TokenProvider {
    kind: CredentialKind,
    source: TokenSource,
    scope: String,
    cache: tokio::sync::Mutex<Option<(Secret, OffsetDateTime)>>,
}

enum TokenSource {
    Static(Secret),
    Credential(Arc<dyn TokenCredential>),
}

impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenProvider").field("kind", &self.kind).field("scope", &self.scope).finish_non_exhaustive()
    }
}

impl TokenProvider {
    /// Builds the credential the settings select. No network I/O happens here.
    pub(crate) fn new(settings: &AuthSettings, scope: String, http: reqwest::Client) -> Result<Self, AuthError> {
        let kind = settings.credential_kind()?;
        let client_options = || -> Result<ClientOptions, AuthError> {
            let mut cloud = azure_core::cloud::CustomConfiguration::default();
            cloud.authority_host = settings.authority()?;
            Ok(ClientOptions {
                transport: Some(Transport::new(Arc::new(http.clone()))),
                retry: RetryOptions::none(),
                cloud: Some(Arc::new(cloud.into())),
                ..Default::default()
            })
        };
        let azure_err =
            |e: azure_core::Error| AuthError::Credential { credential: kind.name(), message: error_chain(&e) };
        let tenant = || settings.tenant_id.clone().unwrap_or_default();
        let client = || settings.client_id.clone().unwrap_or_default();
        let assertion_credential = |assertion: Assertion| -> Result<TokenSource, AuthError> {
            let options = ClientAssertionCredentialOptions { client_options: client_options()? };
            let cred =
                ClientAssertionCredential::new(tenant(), client(), assertion, Some(options)).map_err(azure_err)?;
            Ok(TokenSource::Credential(cred))
        };
        let source = match kind {
            CredentialKind::AccessToken => {
                TokenSource::Static(settings.access_token.clone().unwrap_or_else(|| Secret::new("")))
            }
            CredentialKind::ClientSecret => {
                let secret = settings.client_secret.as_ref().map(|s| s.expose().to_string()).unwrap_or_default();
                let options = ClientSecretCredentialOptions { client_options: client_options()? };
                let cred = ClientSecretCredential::new(
                    &tenant(),
                    client(),
                    azure_core::credentials::Secret::new(secret),
                    Some(options),
                )
                .map_err(azure_err)?;
                TokenSource::Credential(cred)
            }
            CredentialKind::ClientCertificate => {
                let path = PathBuf::from(settings.client_certificate_path.clone().unwrap_or_default());
                let audience =
                    format!("{}/{}/oauth2/v2.0/token", settings.authority()?.trim_end_matches('/'), tenant());
                let certificate = CertificateAssertion::load(
                    &path,
                    settings.client_certificate_password.as_ref(),
                    &client(),
                    audience,
                )?;
                assertion_credential(Assertion::Certificate(certificate))?
            }
            CredentialKind::Oidc(OidcSource::Token) => {
                assertion_credential(Assertion::Static(settings.oidc_token.clone().unwrap_or_else(|| Secret::new(""))))?
            }
            CredentialKind::Oidc(OidcSource::TokenFile) => assertion_credential(Assertion::File(PathBuf::from(
                settings.oidc_token_file_path.clone().unwrap_or_default(),
            )))?,
            CredentialKind::Oidc(OidcSource::AzureDevOps) => {
                let raw = settings.oidc_request_url.clone().unwrap_or_default();
                let connection = settings.oidc_azure_service_connection_id.clone().unwrap_or_default();
                let url = azure_devops_request_url(&raw, &connection)?;
                let token = settings.oidc_request_token.clone().unwrap_or_else(|| Secret::new(""));
                assertion_credential(Assertion::AzureDevOps { url, token, http: http.clone() })?
            }
            CredentialKind::Oidc(OidcSource::GitHubActions) => {
                let raw = settings.oidc_request_url.clone().unwrap_or_default();
                let url = github_request_url(&raw)?;
                let token = settings.oidc_request_token.clone().unwrap_or_else(|| Secret::new(""));
                assertion_credential(Assertion::GitHubActions { url, token, http: http.clone() })?
            }
            CredentialKind::ManagedIdentity => {
                let options = ManagedIdentityCredentialOptions {
                    user_assigned_id: settings.client_id.clone().map(UserAssignedId::ClientId),
                    client_options: client_options()?,
                };
                TokenSource::Credential(ManagedIdentityCredential::new(Some(options)).map_err(azure_err)?)
            }
            CredentialKind::AzureCli => {
                let options = AzureCliCredentialOptions { tenant_id: settings.tenant_id.clone(), ..Default::default() };
                TokenSource::Credential(AzureCliCredential::new(Some(options)).map_err(azure_err)?)
            }
        };
        Ok(TokenProvider { kind, source, scope, cache: tokio::sync::Mutex::new(None) })
    }

    pub(crate) fn kind(&self) -> CredentialKind {
        self.kind
    }

    /// A bearer token for ARM; cached until [`TOKEN_REFRESH_MARGIN`] before expiry.
    pub(crate) async fn token(&self) -> Result<Secret, AuthError> {
        let credential = match &self.source {
            TokenSource::Static(token) => return Ok(token.clone()),
            TokenSource::Credential(c) => c,
        };
        let mut cache = self.cache.lock().await;
        if let Some((token, expires_on)) = cache.as_ref()
            && *expires_on - TOKEN_REFRESH_MARGIN > OffsetDateTime::now_utc()
        {
            return Ok(token.clone());
        }
        let started = std::time::Instant::now();
        let mut attempt = 1;
        let access = loop {
            match credential.get_token(&[self.scope.as_str()], None).await {
                Ok(access) => break access,
                Err(e) if attempt < TOKEN_ATTEMPTS => {
                    tracing::debug!(credential = self.kind.name(), attempt, error = %error_chain(&e), "token request failed; retrying");
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
                    attempt += 1;
                }
                Err(e) => {
                    return Err(AuthError::Credential { credential: self.kind.name(), message: error_chain(&e) });
                }
            }
        };
        tracing::debug!(
            credential = self.kind.name(),
            scope = %self.scope,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "obtained an access token"
        );
        let token = Secret::new(access.token.secret());
        *cache = Some((token.clone(), access.expires_on));
        Ok(token)
    }
}

/// An error and its causes, `outer: inner: ...` (azure_core puts the useful part, e.g. a TLS failure, in the source).
pub(super) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

/// Attempts per token request. azure_identity's own retry policy is switched off because, once it gives up, it
/// reports only "retry policy expired" and drops the cause (a TLS failure, an AADSTS error); we retry here instead.
const TOKEN_ATTEMPTS: u32 = 3;
