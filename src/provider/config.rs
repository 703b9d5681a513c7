//! The provider block: its schema, how its values are read, and the checks Terraform runs before `Configure`.
//!
//! Every argument is optional and falls back to the environment variable azurerm uses for it, so pipelines that
//! already deploy Azure need no new secrets. The fallbacks themselves live in the ARM crate
//! ([`AuthSettings::with_env_fallbacks`]) because they decide which credential is used.

use crate::resources::common::field::Field;
use crate::resources::common::tags::{self, TagMap};
use crate::resources::common::text::quoted_list;
use modelrouter_arm::{AuthSettings, CloudEnvironment};
pub use modelrouter_arm::{DEFAULT_API_VERSION, FIRST_GA_WITH_ROUTING};
use tf_provider::{Attribute, AttributePath, Block, Diagnostics, Schema, Type, Value};

/// The provider block's argument names: the only place they are spelt (schema, checks and reading use these).
pub mod attr {
    pub const TENANT_ID: &str = "tenant_id";
    pub const CLIENT_ID: &str = "client_id";
    pub const CLIENT_SECRET: &str = "client_secret";
    pub const CLIENT_CERTIFICATE_PATH: &str = "client_certificate_path";
    pub const CLIENT_CERTIFICATE_PASSWORD: &str = "client_certificate_password";
    pub const USE_OIDC: &str = "use_oidc";
    pub const OIDC_TOKEN: &str = "oidc_token";
    pub const OIDC_TOKEN_FILE_PATH: &str = "oidc_token_file_path";
    pub const USE_MSI: &str = "use_msi";
    pub const USE_CLI: &str = "use_cli";
    pub const ACCESS_TOKEN: &str = "access_token";
    pub const ENVIRONMENT: &str = "environment";
    pub const RESOURCE_MANAGER_ENDPOINT: &str = "resource_manager_endpoint";
    pub const API_VERSION: &str = "api_version";
    pub const STRICT_CATALOG: &str = "strict_catalog";
    pub const PREFLIGHT_CHECKS: &str = "preflight_checks";
    pub const CATALOG_FILE: &str = "catalog_file";
    pub use crate::resources::common::tags::attr::DEFAULT_TAGS;
}
use attr::*;

/// The environments `environment` accepts.
pub const ENVIRONMENTS: [&str; 3] = ["public", "usgovernment", "china"];

/// The provider block's arguments after reading the configuration (environment fallbacks not yet applied).
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    pub auth: AuthSettings,
    /// `None`: the default, with a fallback where Azure lacks it; set: pinned.
    pub api_version: Option<String>,
    /// Unknown while the configuration is.
    pub default_tags: Field<TagMap>,
    pub strict_catalog: bool,
    /// A catalog file laid over the embedded table.
    pub catalog_file: Option<String>,
    /// Whether plans check deployments against the live account.
    pub preflight_checks: bool,
}

pub fn schema() -> Schema {
    let string = |name: &str, description: &str| Attribute::optional(name, Type::String).describe(description);
    let flag = |name: &str, description: &str| Attribute::optional(name, Type::Bool).describe(description);
    let block = Block::new()
        .describe("Manages Azure AI Foundry model router deployments through Azure Resource Manager.")
        .attribute(string(TENANT_ID, "Microsoft Entra tenant id. Environment: `ARM_TENANT_ID`."))
        .attribute(string(
            CLIENT_ID,
            "Client id of the app registration or managed identity. Environment: `ARM_CLIENT_ID`.",
        ))
        .attribute(
            string(CLIENT_SECRET, "Service principal client secret. Environment: `ARM_CLIENT_SECRET`.").sensitive(),
        )
        .attribute(string(
            CLIENT_CERTIFICATE_PATH,
            "PKCS#12 (`.pfx`/`.p12`, as azurerm) or PEM file with the service principal's certificate and RSA \
             private key, used after client_secret. Environment: `ARM_CLIENT_CERTIFICATE_PATH`.",
        ))
        .attribute(
            string(
                CLIENT_CERTIFICATE_PASSWORD,
                "Password of the PKCS#12 file; unset means the empty password. Environment: \
                 `ARM_CLIENT_CERTIFICATE_PASSWORD`.",
            )
            .sensitive(),
        )
        .attribute(flag(
            USE_OIDC,
            "Authenticate with workload identity federation (GitHub Actions, Azure DevOps, Kubernetes). \
             Environment: `ARM_USE_OIDC`.",
        ))
        .attribute(
            string(
                OIDC_TOKEN,
                "The federated OIDC assertion itself. Environment: `ARM_OIDC_TOKEN`. In GitHub Actions the token \
                 is fetched from `ACTIONS_ID_TOKEN_REQUEST_URL` with `ACTIONS_ID_TOKEN_REQUEST_TOKEN` instead.",
            )
            .sensitive(),
        )
        .attribute(string(
            OIDC_TOKEN_FILE_PATH,
            "Path of a file holding the federated OIDC assertion. Environment: `ARM_OIDC_TOKEN_FILE_PATH`, \
             then `AZURE_FEDERATED_TOKEN_FILE`.",
        ))
        .attribute(flag(USE_MSI, "Authenticate with a managed identity. Environment: `ARM_USE_MSI`."))
        .attribute(flag(USE_CLI, "Authenticate with the Azure CLI login. Environment: `ARM_USE_CLI`. Default `true`."))
        .attribute(
            string(
                ACCESS_TOKEN,
                "A ready bearer token for Azure Resource Manager, e.g. from `az account get-access-token \
                 --resource https://management.azure.com`. Environment: `ARM_ACCESS_TOKEN`.",
            )
            .sensitive(),
        )
        .attribute(string(
            ENVIRONMENT,
            "Azure cloud: `public` (default), `usgovernment` or `china`. Environment: `ARM_ENVIRONMENT`.",
        ))
        .attribute(string(
            RESOURCE_MANAGER_ENDPOINT,
            "Overrides the cloud's Azure Resource Manager base URL (for example the local emulator). `http://` \
             is accepted only for loopback hosts. Environment: `ARM_RESOURCE_MANAGER_ENDPOINT`.",
        ))
        .attribute(string(
            API_VERSION,
            &format!(
                "ARM api-version of every call the provider makes (deployments, the account, `listKeys`, the \
                 location models and usages lists). Default `{DEFAULT_API_VERSION}`, the newest GA version; every \
                 GA version from `{FIRST_GA_WITH_ROUTING}` on carries routing. Left unset, a cloud that does not \
                 serve the default yet makes the provider fall back once to the newest GA version Azure lists there \
                 (logged); set, it is pinned and never changes. A preview version is accepted when set."
            ),
        ))
        .attribute(tags::default_tags_attribute())
        .attribute(flag(
            STRICT_CATALOG,
            "Default `true`: a model or router version missing from the embedded catalog is an error. `false` \
             makes it a warning and sends what was written (for models Azure adds before a provider release).",
        ))
        .attribute(flag(
            PREFLIGHT_CHECKS,
            "Default `true`: at plan time, check each deployment that is created or whose version or SKU changes \
             against the live account (account kind, the region's offer of the model, version and SKU, capacity \
             limits and remaining quota), and have Azure Resource Manager validate the exact body the apply would \
             send (template validation; not on no-op plans), so what Azure would refuse after a long apply fails in \
             `plan` with Azure's own code and message. A check that cannot be made (403, missing data, no answer) is \
             a warning saying what was not checked.",
        ))
        .attribute(string(
            CATALOG_FILE,
            "Path to a catalog file in the embedded format (`router_versions`, `models`, flags) laid over the \
             embedded model table by router version and model name, so a team can follow Microsoft's table between \
             provider releases. Checked at `Configure`; errors name the line.",
        ));
    Schema { version: 0, block }
}

/// Checks the values that are known; unknown ones (e.g. from variables during `validate`) are skipped.
pub fn validate(config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if let Some(environment) = config.get(ENVIRONMENT).as_str()
        && CloudEnvironment::parse(environment).is_err()
    {
        diags.error_at(
            AttributePath::root().attr(ENVIRONMENT),
            "Unsupported Azure environment",
            format!(
                "environment = {environment:?} is not an Azure cloud this provider knows. Allowed values: {}.",
                quoted_list(&ENVIRONMENTS)
            ),
        );
    }
    if let Some(endpoint) = config.get(RESOURCE_MANAGER_ENDPOINT).as_str()
        && let Err(problem) = modelrouter_arm::parse_base_url(endpoint)
    {
        diags.error_at(
            AttributePath::root().attr(RESOURCE_MANAGER_ENDPOINT),
            "Invalid resource_manager_endpoint",
            format!("resource_manager_endpoint = {endpoint:?}: {problem}"),
        );
    }
    if let Some(api_version) = config.get(API_VERSION).as_str()
        && !is_api_version(api_version)
    {
        diags.error_at(
            AttributePath::root().attr(API_VERSION),
            "Invalid api_version",
            format!(
                "api_version = {api_version:?} is not an ARM api-version. Expected a date such as \
                     \"{DEFAULT_API_VERSION}\" or \"2026-03-01\" (YYYY-MM-DD, optionally with a -preview suffix)."
            ),
        );
    }
    tags::validate(config.get(DEFAULT_TAGS), AttributePath::root().attr(DEFAULT_TAGS), &mut diags);
    diags
}

/// Reads the (wholly known, validated) configuration that `Configure` receives.
pub fn read(config: &Value) -> ProviderConfig {
    let string = |name: &str| config.get(name).as_str().map(str::to_owned);
    let flag = |name: &str| config.get(name).as_bool();
    let auth = AuthSettings {
        tenant_id: string(TENANT_ID),
        client_id: string(CLIENT_ID),
        client_secret: string(CLIENT_SECRET).map(Into::into),
        client_certificate_path: string(CLIENT_CERTIFICATE_PATH),
        client_certificate_password: string(CLIENT_CERTIFICATE_PASSWORD).map(Into::into),
        use_oidc: flag(USE_OIDC),
        oidc_token: string(OIDC_TOKEN).map(Into::into),
        oidc_token_file_path: string(OIDC_TOKEN_FILE_PATH),
        use_msi: flag(USE_MSI),
        use_cli: flag(USE_CLI),
        access_token: string(ACCESS_TOKEN).map(Into::into),
        environment: string(ENVIRONMENT),
        resource_manager_endpoint: string(RESOURCE_MANAGER_ENDPOINT),
        ..AuthSettings::default()
    };
    ProviderConfig {
        auth,
        api_version: string(API_VERSION),
        default_tags: tags::parse_map(config.get(DEFAULT_TAGS)),
        strict_catalog: flag(STRICT_CATALOG).unwrap_or(true),
        catalog_file: string(CATALOG_FILE),
        preflight_checks: flag(PREFLIGHT_CHECKS).unwrap_or(true),
    }
}

fn is_api_version(s: &str) -> bool {
    let (date, suffix) = match s.split_once('-').map(|_| s.split_at(s.len().min(10))) {
        Some(parts) => parts,
        None => return false,
    };
    let bytes = date.as_bytes();
    let date_ok = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    date_ok && (suffix.is_empty() || suffix == "-preview")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Value {
        Value::object(pairs.iter().map(|(k, v)| (*k, Value::string(*v))))
    }

    fn error_paths(diags: &Diagnostics) -> Vec<String> {
        diags.iter().filter_map(|d| d.attribute.as_ref().map(ToString::to_string)).collect()
    }

    #[test]
    fn unknown_environment_is_reported_on_its_attribute_with_the_allowed_values() {
        let diags = validate(&config(&[("environment", "mars")]));
        assert!(diags.has_errors());
        assert_eq!(error_paths(&diags), ["environment"]);
        let detail = &diags.iter().next().unwrap().detail;
        assert!(detail.contains("\"mars\"") && detail.contains("\"usgovernment\""), "{detail}");
    }

    #[test]
    fn known_environments_pass() {
        for env in ENVIRONMENTS {
            assert!(!validate(&config(&[("environment", env)])).has_errors(), "{env}");
        }
    }

    #[test]
    fn http_endpoint_only_for_loopback() {
        for ok in ["https://management.azure.com", "http://127.0.0.1:8080", "http://localhost:1/x", "http://[::1]:9"] {
            assert!(!validate(&config(&[("resource_manager_endpoint", ok)])).has_errors(), "{ok}");
        }
        // RFC 6761: names under localhost. are loopback too (one rule, modelrouter_arm::parse_base_url).
        assert!(!validate(&config(&[("resource_manager_endpoint", "http://emulator.localhost:8080")])).has_errors());
        for bad in ["http://management.azure.com", "http://10.0.0.1:80", "ftp://x", "management.azure.com"] {
            assert!(validate(&config(&[("resource_manager_endpoint", bad)])).has_errors(), "{bad}");
        }
        let diags = validate(&config(&[("resource_manager_endpoint", "http://example.com")]));
        assert_eq!(error_paths(&diags), ["resource_manager_endpoint"]);
    }

    #[test]
    fn api_version_shape() {
        for ok in ["2025-10-01-preview", "2026-03-01"] {
            assert!(is_api_version(ok), "{ok}");
        }
        for bad in ["2025-10-01-beta", "latest", "2025-1-01", ""] {
            assert!(!is_api_version(bad), "{bad}");
        }
    }

    #[test]
    fn unknown_values_are_not_judged() {
        let cfg = Value::object([("environment", Value::unknown()), ("api_version", Value::unknown())]);
        assert!(!validate(&cfg).has_errors());
    }

    #[test]
    fn defaults_when_absent() {
        let cfg = read(&Value::object([("environment", Value::Null)]));
        assert_eq!(cfg.api_version, None, "the default, not pinned");
        assert_eq!(cfg.default_tags, Field::Null);
        assert!(cfg.strict_catalog);
    }
}
