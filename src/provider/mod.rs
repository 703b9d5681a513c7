//! The `modelrouter` provider: its block, `Configure`, and the registry of resources and data sources.

pub mod config;

use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use modelrouter_arm::{ArmClient, ClientConfig};
use tf_provider::{
    AttributePath, ConfigureRequest, DataSource, Diagnostic, Diagnostics, Provider, Resource, Schema, Severity, Value,
};

use crate::data_sources::supported_models::SupportedModels;
use crate::resources;

/// What `Configure` produces and every resource operation needs.
pub struct Configured {
    pub client: ArmClient,
    /// `false` turns "not in the catalog" errors into warnings.
    pub strict_catalog: bool,
}

/// Shared between the provider and its resources: filled by `Configure`, read by every CRUD call.
#[derive(Default)]
pub struct ProviderState {
    configured: RwLock<Option<Arc<Configured>>>,
}

impl ProviderState {
    /// The configured client, or the diagnostic Terraform shows when a resource runs before `Configure`
    /// (which Terraform never does, but a provider must not panic on it).
    pub fn configured(&self) -> Result<Arc<Configured>, Diagnostic> {
        let guard = self.configured.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.clone().ok_or_else(|| Diagnostic {
            severity: Severity::Error,
            summary: "Provider not configured".into(),
            detail: "The modelrouter provider was asked to reach Azure before Terraform configured it.".into(),
            attribute: None,
        })
    }

    /// Catalog strictness for plan-time validation; the default (strict) before `Configure`, as during
    /// `terraform validate`.
    pub fn strict_catalog(&self) -> bool {
        self.configured().map(|c| c.strict_catalog).unwrap_or(true)
    }

    fn set(&self, configured: Configured) {
        let mut guard = self.configured.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard = Some(Arc::new(configured));
    }
}

pub struct ModelRouterProvider {
    state: Arc<ProviderState>,
}

impl ModelRouterProvider {
    pub fn new() -> Self {
        Self { state: Arc::new(ProviderState::default()) }
    }
}

impl Default for ModelRouterProvider {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl Provider for ModelRouterProvider {
    fn schema(&self) -> Schema {
        config::schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        config::validate(config)
    }

    async fn configure(&self, request: ConfigureRequest) -> Diagnostics {
        let mut diags = config::validate(&request.config);
        if diags.has_errors() {
            return diags;
        }
        let settings = config::read(&request.config);
        let client_config = ClientConfig {
            settings: settings.auth.with_env_fallbacks(|name| std::env::var(name).ok()),
            api_version: settings.api_version,
            user_agent: format!(
                "terraform-provider-modelrouter/{} terraform/{}",
                env!("CARGO_PKG_VERSION"),
                request.terraform_version
            ),
            retry: Default::default(),
        };
        match ArmClient::new(client_config) {
            Ok(client) => self.state.set(Configured { client, strict_catalog: settings.strict_catalog }),
            Err(error) => match configuration_error_path(&error) {
                Some(path) => diags.error_at(path, "Invalid provider configuration", error.to_string()),
                None => diags.error("Invalid provider configuration", error.to_string()),
            },
        }
        diags
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        resources::all(&self.state)
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(SupportedModels)]
    }

    fn functions(&self) -> Vec<Arc<dyn tf_provider::Function>> {
        crate::functions::all()
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn tf_provider::EphemeralResource>> {
        crate::ephemeral::all(&self.state)
    }

    fn stop(&self) {
        if let Ok(configured) = self.state.configured() {
            configured.client.cancel();
        }
    }
}

/// Points a client-construction error at the argument that caused it, when one did.
fn configuration_error_path(error: &modelrouter_arm::ConfigError) -> Option<AttributePath> {
    use modelrouter_arm::ConfigError;
    match error {
        ConfigError::InsecureEndpoint { .. } | ConfigError::InvalidEndpoint { .. } => {
            Some(AttributePath::root().attr("resource_manager_endpoint"))
        }
        _ => None,
    }
}
