//! Provider block settings, their azurerm environment fallbacks, and which credential they select.

use std::fmt;

use super::certificate::CertificateError;

/// A secret string. `Debug` and `Display` print `<redacted>`; use [`Secret::expose`] to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_string())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Authentication failures and inconsistent settings.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AuthError {
    #[error("invalid {setting}: {reason}")]
    InvalidSetting { setting: &'static str, reason: String },
    /// The client certificate file cannot be used; `error.setting()` names the setting to correct.
    #[error("invalid {}: certificate file {path}: {error}", .error.setting())]
    Certificate { path: String, error: CertificateError },
    #[error("{credential} needs {missing}")]
    Incomplete { credential: &'static str, missing: String },
    #[error(
        "no credential configured: set access_token, client_id + client_secret (or client_certificate_path) + tenant_id, use_oidc with a token source, use_msi, or log in with the Azure CLI (use_cli)"
    )]
    NoCredential,
    #[error("{credential} could not obtain a token: {message}")]
    Credential { credential: &'static str, message: String },
}

/// The Azure clouds the provider knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CloudEnvironment {
    #[default]
    Public,
    UsGovernment,
    China,
}

impl CloudEnvironment {
    /// Parses `public`, `usgovernment` or `china` (any case).
    pub fn parse(s: &str) -> Result<CloudEnvironment, AuthError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "public" | "" => Ok(CloudEnvironment::Public),
            "usgovernment" => Ok(CloudEnvironment::UsGovernment),
            "china" => Ok(CloudEnvironment::China),
            other => Err(AuthError::InvalidSetting {
                setting: "environment",
                reason: format!("`{other}` is not one of public, usgovernment, china"),
            }),
        }
    }

    pub fn resource_manager_endpoint(self) -> &'static str {
        match self {
            CloudEnvironment::Public => "https://management.azure.com",
            CloudEnvironment::UsGovernment => "https://management.usgovcloudapi.net",
            CloudEnvironment::China => "https://management.chinacloudapi.cn",
        }
    }

    pub fn authority_host(self) -> &'static str {
        match self {
            CloudEnvironment::Public => "https://login.microsoftonline.com",
            CloudEnvironment::UsGovernment => "https://login.microsoftonline.us",
            CloudEnvironment::China => "https://login.chinacloudapi.cn",
        }
    }
}

/// Provider block values; `None` = fall back to the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthSettings {
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    /// PKCS#12 (.pfx/.p12) or PEM file with the service principal's certificate and private key
    /// (env `ARM_CLIENT_CERTIFICATE_PATH`).
    pub client_certificate_path: Option<String>,
    /// Password of the PKCS#12 certificate file; none = the empty password (env `ARM_CLIENT_CERTIFICATE_PASSWORD`).
    pub client_certificate_password: Option<Secret>,
    pub oidc_token: Option<Secret>,
    pub oidc_token_file_path: Option<String>,
    pub oidc_request_url: Option<String>,
    pub oidc_request_token: Option<Secret>,
    /// Azure DevOps service connection whose federated token is requested from `oidc_request_url`
    /// (`SYSTEM_OIDCREQUESTURI`) with `oidc_request_token` (`SYSTEM_ACCESSTOKEN`).
    pub oidc_azure_service_connection_id: Option<String>,
    pub access_token: Option<Secret>,
    pub resource_manager_endpoint: Option<String>,
    pub environment: Option<String>,
    pub use_oidc: Option<bool>,
    pub use_msi: Option<bool>,
    pub use_cli: Option<bool>,
    /// Login endpoint override (env `AZURE_AUTHORITY_HOST`); must be `https://`.
    pub authority_host: Option<String>,
    /// PEM file of extra trusted root certificates (env `ARM_TEST_CA_CERT_FILE`).
    pub ca_cert_file: Option<String>,
}

/// Which credential the settings select.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    AccessToken,
    ClientSecret,
    ClientCertificate,
    Oidc(OidcSource),
    ManagedIdentity,
    AzureCli,
}

/// Where an OIDC assertion comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OidcSource {
    Token,
    TokenFile,
    GitHubActions,
    /// The Azure DevOps service connection's token, requested from the pipeline's OIDC endpoint.
    AzureDevOps,
}

impl CredentialKind {
    pub fn name(self) -> &'static str {
        match self {
            CredentialKind::AccessToken => "access token",
            CredentialKind::ClientSecret => "client secret credential",
            CredentialKind::ClientCertificate => "client certificate credential",
            CredentialKind::Oidc(OidcSource::Token) => "OIDC credential (token)",
            CredentialKind::Oidc(OidcSource::TokenFile) => "OIDC credential (token file)",
            CredentialKind::Oidc(OidcSource::GitHubActions) => "OIDC credential (GitHub Actions)",
            CredentialKind::Oidc(OidcSource::AzureDevOps) => "OIDC credential (Azure DevOps service connection)",
            CredentialKind::ManagedIdentity => "managed identity credential",
            CredentialKind::AzureCli => "Azure CLI credential",
        }
    }
}

/// One credential of the chain and whether the settings configure it: what a "no usable credential" error lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialTried {
    pub credential: &'static str,
    /// `selected`, or why it was not used (which setting or variable would enable it).
    pub status: String,
}

impl fmt::Display for CredentialTried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.credential, self.status)
    }
}

/// Reads `true/false/1/0/yes/no` (any case). Anything else is ignored with a warning.
fn parse_bool(name: &str, value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        "" => None,
        _ => {
            // Booleans are not secrets; naming the value helps the user.
            tracing::warn!(variable = name, value, "ignoring a value that is not a boolean");
            None
        }
    }
}

impl AuthSettings {
    /// Fills every unset field from the environment (azurerm variable names). `env` returns a variable's value;
    /// empty values count as unset. Pass `|k| std::env::var(k).ok()` for the process environment.
    pub fn with_env_fallbacks(self, env: impl Fn(&str) -> Option<String>) -> AuthSettings {
        let get =
            |names: &[&str]| -> Option<String> { names.iter().find_map(|n| env(n).filter(|v| !v.trim().is_empty())) };
        let get_bool = |name: &str| -> Option<bool> { env(name).and_then(|v| parse_bool(name, &v)) };
        let non_empty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        let non_empty_secret = |v: Option<Secret>| v.filter(|s| !s.expose().trim().is_empty());
        AuthSettings {
            tenant_id: non_empty(self.tenant_id).or_else(|| get(&["ARM_TENANT_ID", "AZURE_TENANT_ID"])),
            client_id: non_empty(self.client_id).or_else(|| get(&["ARM_CLIENT_ID", "AZURE_CLIENT_ID"])),
            client_secret: non_empty_secret(self.client_secret).or_else(|| get(&["ARM_CLIENT_SECRET"]).map(Secret)),
            client_certificate_path: non_empty(self.client_certificate_path)
                .or_else(|| get(&["ARM_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PATH"])),
            client_certificate_password: non_empty_secret(self.client_certificate_password)
                .or_else(|| get(&["ARM_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_CERTIFICATE_PASSWORD"]).map(Secret)),
            oidc_token: non_empty_secret(self.oidc_token).or_else(|| get(&["ARM_OIDC_TOKEN"]).map(Secret)),
            oidc_token_file_path: non_empty(self.oidc_token_file_path)
                .or_else(|| get(&["ARM_OIDC_TOKEN_FILE_PATH", "AZURE_FEDERATED_TOKEN_FILE"])),
            oidc_request_url: non_empty(self.oidc_request_url)
                .or_else(|| get(&["ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL", "SYSTEM_OIDCREQUESTURI"])),
            oidc_request_token: non_empty_secret(self.oidc_request_token).or_else(|| {
                get(&["ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "SYSTEM_ACCESSTOKEN"]).map(Secret)
            }),
            oidc_azure_service_connection_id: non_empty(self.oidc_azure_service_connection_id)
                .or_else(|| get(&["ARM_OIDC_AZURE_SERVICE_CONNECTION_ID", "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID"])),
            access_token: non_empty_secret(self.access_token).or_else(|| get(&["ARM_ACCESS_TOKEN"]).map(Secret)),
            resource_manager_endpoint: non_empty(self.resource_manager_endpoint)
                .or_else(|| get(&["ARM_RESOURCE_MANAGER_ENDPOINT"])),
            environment: non_empty(self.environment).or_else(|| get(&["ARM_ENVIRONMENT"])),
            use_oidc: self.use_oidc.or_else(|| get_bool("ARM_USE_OIDC")),
            use_msi: self.use_msi.or_else(|| get_bool("ARM_USE_MSI")),
            use_cli: self.use_cli.or_else(|| get_bool("ARM_USE_CLI")),
            authority_host: non_empty(self.authority_host).or_else(|| get(&["AZURE_AUTHORITY_HOST"])),
            ca_cert_file: non_empty(self.ca_cert_file).or_else(|| get(&["ARM_TEST_CA_CERT_FILE"])),
        }
    }

    /// Settings from the process environment alone.
    pub fn from_env() -> AuthSettings {
        AuthSettings::default().with_env_fallbacks(|k| std::env::var(k).ok())
    }

    /// The cloud named by `environment` (default public).
    pub fn cloud(&self) -> Result<CloudEnvironment, AuthError> {
        self.environment.as_deref().map(CloudEnvironment::parse).unwrap_or(Ok(CloudEnvironment::Public))
    }

    /// The ARM base URL: `resource_manager_endpoint`, else the cloud's.
    pub fn arm_endpoint(&self) -> Result<String, AuthError> {
        match &self.resource_manager_endpoint {
            Some(e) => Ok(e.trim().trim_end_matches('/').to_string()),
            None => Ok(self.cloud()?.resource_manager_endpoint().to_string()),
        }
    }

    /// The login endpoint: `authority_host`, else the cloud's.
    pub fn authority(&self) -> Result<String, AuthError> {
        match &self.authority_host {
            Some(h) => Ok(h.trim().to_string()),
            None => Ok(self.cloud()?.authority_host().to_string()),
        }
    }

    /// Picks the credential: access token, client secret, OIDC, managed identity, Azure CLI.
    pub fn credential_kind(&self) -> Result<CredentialKind, AuthError> {
        if self.access_token.is_some() {
            return Ok(CredentialKind::AccessToken);
        }
        if self.client_secret.is_some() {
            self.require_tenant_and_client(CredentialKind::ClientSecret)?;
            return Ok(CredentialKind::ClientSecret);
        }
        if self.client_certificate_path.is_some() {
            self.require_tenant_and_client(CredentialKind::ClientCertificate)?;
            return Ok(CredentialKind::ClientCertificate);
        }
        if self.use_oidc == Some(true) {
            let source = if self.oidc_token.is_some() {
                OidcSource::Token
            } else if self.oidc_token_file_path.is_some() {
                OidcSource::TokenFile
            } else if self.oidc_request_url.is_some() && self.oidc_request_token.is_some() {
                if self.oidc_azure_service_connection_id.is_some() {
                    OidcSource::AzureDevOps
                } else {
                    OidcSource::GitHubActions
                }
            } else {
                return Err(AuthError::Incomplete {
                    credential: "use_oidc",
                    missing: "oidc_token, oidc_token_file_path, or oidc_request_url with oidc_request_token \
                              (ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH / AZURE_FEDERATED_TOKEN_FILE, \
                              ACTIONS_ID_TOKEN_REQUEST_URL + ACTIONS_ID_TOKEN_REQUEST_TOKEN, or in Azure DevOps \
                              ARM_OIDC_AZURE_SERVICE_CONNECTION_ID with SYSTEM_OIDCREQUESTURI + SYSTEM_ACCESSTOKEN)"
                        .to_string(),
                });
            };
            let kind = CredentialKind::Oidc(source);
            self.require_tenant_and_client(kind)?;
            return Ok(kind);
        }
        if self.use_msi == Some(true) {
            return Ok(CredentialKind::ManagedIdentity);
        }
        if self.use_cli.unwrap_or(true) {
            return Ok(CredentialKind::AzureCli);
        }
        Err(AuthError::NoCredential)
    }

    /// The whole chain in order, marking the credential [`AuthSettings::credential_kind`] selects and saying for
    /// each other one what would enable it. Secret values are never included.
    pub fn credentials_tried(&self) -> Vec<CredentialTried> {
        let selected = self.credential_kind().ok();
        let entry = |credential: &'static str, is_selected: bool, otherwise: &str| CredentialTried {
            credential,
            status: if is_selected { "selected".to_string() } else { otherwise.to_string() },
        };
        vec![
            entry(
                "access token",
                selected == Some(CredentialKind::AccessToken),
                "not set (access_token, ARM_ACCESS_TOKEN)",
            ),
            entry(
                "client secret",
                selected == Some(CredentialKind::ClientSecret),
                "not set (client_id + client_secret + tenant_id, ARM_CLIENT_SECRET)",
            ),
            entry(
                "client certificate",
                selected == Some(CredentialKind::ClientCertificate),
                "not set (client_certificate_path, ARM_CLIENT_CERTIFICATE_PATH)",
            ),
            entry(
                "OIDC",
                matches!(selected, Some(CredentialKind::Oidc(_))),
                "not enabled (use_oidc, ARM_USE_OIDC, with a token source)",
            ),
            entry(
                "managed identity",
                selected == Some(CredentialKind::ManagedIdentity),
                "not enabled (use_msi, ARM_USE_MSI)",
            ),
            entry(
                "Azure CLI",
                selected == Some(CredentialKind::AzureCli),
                if self.use_cli == Some(false) { "disabled (use_cli = false)" } else { "not reached" },
            ),
        ]
    }

    fn require_tenant_and_client(&self, kind: CredentialKind) -> Result<(), AuthError> {
        let mut missing = Vec::new();
        if self.tenant_id.is_none() {
            missing.push("tenant_id (ARM_TENANT_ID)");
        }
        if self.client_id.is_none() {
            missing.push("client_id (ARM_CLIENT_ID)");
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(AuthError::Incomplete { credential: kind.name(), missing: missing.join(" and ") })
        }
    }
}

/// The token scope for an ARM base URL: `<base>/.default`.
pub fn token_scope(arm_endpoint: &str) -> String {
    format!("{}/.default", arm_endpoint.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k: &str| map.get(k).cloned()
    }

    #[test]
    fn secret_never_prints_its_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s} {s:?}"), "<redacted> <redacted>");
        let settings = AuthSettings { client_secret: Some(s), ..Default::default() };
        assert!(!format!("{settings:?}").contains("hunter2"));
    }

    #[test]
    fn env_fills_only_unset_fields_with_azurerm_names() {
        let env = env_of(&[
            ("ARM_TENANT_ID", "t-env"),
            ("ARM_CLIENT_ID", "c-env"),
            ("ARM_CLIENT_SECRET", "s-env"),
            ("ARM_CLIENT_CERTIFICATE_PATH", "/certs/sp.pem"),
            ("ARM_CLIENT_CERTIFICATE_PASSWORD", "pfx-pass"),
            ("ARM_USE_OIDC", "TRUE"),
            ("ARM_USE_MSI", "0"),
            ("ARM_USE_CLI", "false"),
            ("ARM_ENVIRONMENT", "china"),
            ("ARM_RESOURCE_MANAGER_ENDPOINT", "http://127.0.0.1:1"),
            ("ARM_ACCESS_TOKEN", "tok"),
            ("AZURE_AUTHORITY_HOST", "https://localhost:2"),
            ("ARM_TEST_CA_CERT_FILE", "/tmp/ca.pem"),
        ]);
        let s = AuthSettings { tenant_id: Some("t-block".into()), use_cli: Some(true), ..Default::default() }
            .with_env_fallbacks(env);
        assert_eq!(s.tenant_id.as_deref(), Some("t-block"));
        assert_eq!(s.client_id.as_deref(), Some("c-env"));
        assert_eq!(s.client_secret.as_ref().map(Secret::expose), Some("s-env"));
        assert_eq!(s.client_certificate_path.as_deref(), Some("/certs/sp.pem"));
        assert_eq!(s.client_certificate_password.as_ref().map(Secret::expose), Some("pfx-pass"));
        assert_eq!((s.use_oidc, s.use_msi, s.use_cli), (Some(true), Some(false), Some(true)));
        assert_eq!(s.environment.as_deref(), Some("china"));
        assert_eq!(s.access_token.as_ref().map(Secret::expose), Some("tok"));
        assert_eq!(s.authority_host.as_deref(), Some("https://localhost:2"));
        assert_eq!(s.ca_cert_file.as_deref(), Some("/tmp/ca.pem"));
        assert_eq!(s.arm_endpoint().unwrap(), "http://127.0.0.1:1");
    }

    #[test]
    fn oidc_sources_fall_back_in_order() {
        let s = AuthSettings::default().with_env_fallbacks(env_of(&[
            ("AZURE_FEDERATED_TOKEN_FILE", "/var/run/token"),
            ("ACTIONS_ID_TOKEN_REQUEST_URL", "https://gh/token?api-version=2.0"),
            ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ghs"),
            ("AZURE_CLIENT_ID", "wi-client"),
        ]));
        assert_eq!(s.oidc_token_file_path.as_deref(), Some("/var/run/token"));
        assert_eq!(s.oidc_request_url.as_deref(), Some("https://gh/token?api-version=2.0"));
        assert_eq!(s.client_id.as_deref(), Some("wi-client"));
        // ARM_* names win over the generic ones.
        let s = AuthSettings::default()
            .with_env_fallbacks(env_of(&[("ARM_OIDC_TOKEN_FILE_PATH", "/a"), ("AZURE_FEDERATED_TOKEN_FILE", "/b")]));
        assert_eq!(s.oidc_token_file_path.as_deref(), Some("/a"));
    }

    #[test]
    fn azure_devops_pipeline_variables_fill_the_oidc_request() {
        let s = AuthSettings::default().with_env_fallbacks(env_of(&[
            (
                "SYSTEM_OIDCREQUESTURI",
                "https://dev.azure.com/org/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken",
            ),
            ("SYSTEM_ACCESSTOKEN", "ado-job-token"),
            ("ARM_OIDC_AZURE_SERVICE_CONNECTION_ID", "sc-1"),
        ]));
        assert!(s.oidc_request_url.as_deref().is_some_and(|u| u.ends_with("/oidctoken")));
        assert_eq!(s.oidc_request_token.as_ref().map(Secret::expose), Some("ado-job-token"));
        assert_eq!(s.oidc_azure_service_connection_id.as_deref(), Some("sc-1"));
        let s =
            AuthSettings::default().with_env_fallbacks(env_of(&[("ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "sc-2")]));
        assert_eq!(s.oidc_azure_service_connection_id.as_deref(), Some("sc-2"));
    }

    #[test]
    fn empty_values_and_bad_booleans_count_as_unset() {
        let s = AuthSettings { client_id: Some(String::new()), ..Default::default() }.with_env_fallbacks(env_of(&[
            ("ARM_CLIENT_ID", "from-env"),
            ("ARM_CLIENT_SECRET", "  "),
            ("ARM_USE_MSI", "maybe"),
        ]));
        assert_eq!(s.client_id.as_deref(), Some("from-env"));
        assert!(s.client_secret.is_none());
        assert_eq!(s.use_msi, None);
    }

    #[test]
    fn credential_order() {
        let full = AuthSettings {
            tenant_id: Some("t".into()),
            client_id: Some("c".into()),
            client_secret: Some("s".into()),
            oidc_token: Some("jwt".into()),
            use_oidc: Some(true),
            use_msi: Some(true),
            access_token: Some("tok".into()),
            ..Default::default()
        };
        assert_eq!(full.credential_kind().unwrap(), CredentialKind::AccessToken);
        let s = AuthSettings { access_token: None, ..full.clone() };
        assert_eq!(s.credential_kind().unwrap(), CredentialKind::ClientSecret);
        let s = AuthSettings { client_certificate_path: Some("/c.pem".into()), ..s };
        assert_eq!(s.credential_kind().unwrap(), CredentialKind::ClientSecret, "the secret comes first");
        let s = AuthSettings { client_secret: None, ..s };
        assert_eq!(s.credential_kind().unwrap(), CredentialKind::ClientCertificate);
        let s = AuthSettings { client_certificate_path: None, ..s };
        assert_eq!(s.credential_kind().unwrap(), CredentialKind::Oidc(OidcSource::Token));
        let s2 = AuthSettings { oidc_token: None, oidc_token_file_path: Some("/f".into()), ..s.clone() };
        assert_eq!(s2.credential_kind().unwrap(), CredentialKind::Oidc(OidcSource::TokenFile));
        let s3 = AuthSettings {
            oidc_token: None,
            oidc_request_url: Some("https://x".into()),
            oidc_request_token: Some("r".into()),
            ..s.clone()
        };
        assert_eq!(s3.credential_kind().unwrap(), CredentialKind::Oidc(OidcSource::GitHubActions));
        let s4 = AuthSettings { oidc_azure_service_connection_id: Some("sc-1".into()), ..s3.clone() };
        assert_eq!(s4.credential_kind().unwrap(), CredentialKind::Oidc(OidcSource::AzureDevOps));
        let s = AuthSettings { use_oidc: Some(false), ..s };
        assert_eq!(s.credential_kind().unwrap(), CredentialKind::ManagedIdentity);
        let s = AuthSettings { use_msi: None, ..s };
        assert_eq!(s.credential_kind().unwrap(), CredentialKind::AzureCli, "use_cli defaults to true");
        let s = AuthSettings { use_cli: Some(false), ..s };
        assert!(matches!(s.credential_kind(), Err(AuthError::NoCredential)));
    }

    #[test]
    fn credentials_tried_lists_the_chain_in_order() {
        let tried = AuthSettings::default().credentials_tried();
        let names: Vec<&str> = tried.iter().map(|t| t.credential).collect();
        assert_eq!(
            names,
            ["access token", "client secret", "client certificate", "OIDC", "managed identity", "Azure CLI"]
        );
        assert_eq!(tried[5].to_string(), "Azure CLI: selected", "use_cli defaults to true");
        assert!(tried[0].status.contains("ARM_ACCESS_TOKEN"));
        let none = AuthSettings { use_cli: Some(false), ..Default::default() }.credentials_tried();
        assert!(none.iter().all(|t| t.status != "selected"));
        assert_eq!(none[5].status, "disabled (use_cli = false)");
        let secret = AuthSettings { client_secret: Some("hunter2".into()), ..Default::default() };
        assert!(!format!("{:?}", secret.credentials_tried()).contains("hunter2"));
    }

    #[test]
    fn incomplete_credentials_say_what_is_missing() {
        let s = AuthSettings { client_secret: Some("s".into()), client_id: Some("c".into()), ..Default::default() };
        let msg = s.credential_kind().unwrap_err().to_string();
        assert!(msg.contains("tenant_id (ARM_TENANT_ID)") && !msg.contains("client_id"), "{msg}");
        let s = AuthSettings { use_oidc: Some(true), ..Default::default() };
        let msg = s.credential_kind().unwrap_err().to_string();
        assert!(msg.contains("ACTIONS_ID_TOKEN_REQUEST_URL"), "{msg}");
    }

    #[test]
    fn clouds_and_scopes() {
        let cases = [
            ("public", "https://management.azure.com", "https://login.microsoftonline.com"),
            ("USGovernment", "https://management.usgovcloudapi.net", "https://login.microsoftonline.us"),
            ("china", "https://management.chinacloudapi.cn", "https://login.chinacloudapi.cn"),
        ];
        for (name, arm, login) in cases {
            let s = AuthSettings { environment: Some(name.into()), ..Default::default() };
            assert_eq!(s.arm_endpoint().unwrap(), arm);
            assert_eq!(s.authority().unwrap(), login);
            assert_eq!(token_scope(arm), format!("{arm}/.default"));
        }
        assert_eq!(AuthSettings::default().arm_endpoint().unwrap(), "https://management.azure.com");
        assert!(CloudEnvironment::parse("germany").unwrap_err().to_string().contains("public, usgovernment, china"));
        assert_eq!(token_scope("http://127.0.0.1:8080/"), "http://127.0.0.1:8080/.default");
    }
}
