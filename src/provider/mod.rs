//! The `modelrouter` provider: its block, `Configure`, and the registry of resources and data sources.

pub mod config;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use modelrouter_arm::{ArmClient, ClientConfig};
use modelrouter_catalog::EffectiveCatalog;
use tf_provider::{AttributePath, ConfigureRequest, DataSource, Diagnostics, Provider, Resource, Schema, Value};

use crate::data_sources::deployment::DeploymentDataSource;
use crate::data_sources::deployments::DeploymentsDataSource;
use crate::data_sources::supported_models::SupportedModelsFrom;
use crate::preflight::Preflight;
use crate::resources;
use crate::state::{Configured, ProviderState};

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
        let catalog = match &settings.catalog_file {
            None => EffectiveCatalog::embedded(),
            Some(path) => match EffectiveCatalog::from_file(Path::new(path)) {
                Ok(catalog) => catalog,
                Err(error) => {
                    diags.error_at(
                        AttributePath::root().attr(config::attr::CATALOG_FILE),
                        "Invalid catalog file",
                        format!("catalog_file = {path:?}: {error}"),
                    );
                    return diags;
                }
            },
        };
        match ArmClient::new(client_config) {
            Ok(client) => self.state.set(Configured {
                client,
                strict_catalog: settings.strict_catalog,
                catalog,
                preflight: settings.preflight_checks.then(Preflight::default),
                newer_router_version_reported: Default::default(),
                default_tags: settings.default_tags,
            }),
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
        vec![
            Arc::new(SupportedModelsFrom::new(self.state.clone())),
            Arc::new(DeploymentDataSource::new(self.state.clone())),
            Arc::new(DeploymentsDataSource::new(self.state.clone())),
        ]
    }

    fn functions(&self) -> Vec<Arc<dyn tf_provider::Function>> {
        crate::functions::all()
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn tf_provider::EphemeralResource>> {
        crate::ephemeral::all(&self.state)
    }

    fn list_resources(&self) -> Vec<Arc<dyn tf_provider::ListResource>> {
        resources::lists(&self.state)
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
            Some(AttributePath::root().attr(config::attr::RESOURCE_MANAGER_ENDPOINT))
        }
        _ => None,
    }
}
