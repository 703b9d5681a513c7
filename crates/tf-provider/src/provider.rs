//! The traits a provider implements: one [`Provider`], plus a [`Resource`] per managed resource type, a
//! [`DataSource`] per data source type, and optionally [`Function`]s and [`EphemeralResource`]s.
//!
//! The server decodes every value with the schema type of the named resource before calling these, and
//! encodes the results back; implementations deal only in [`Value`]s and [`Diagnostics`]. Request and
//! response structs mirror the protocol 5 RPCs (Terraform's rules for them: tfplugin5.md section 4).

use std::sync::Arc;

use async_trait::async_trait;

use crate::diagnostics::{AttributePath, Diagnostics};
use crate::ephemeral::EphemeralResource;
use crate::function::Function;
use crate::identity::ResourceIdentity;
use crate::list::ListResource;
use crate::schema::Schema;
use crate::value::{Value, json};

/// The provider itself: its configuration block and the resource and data source types it offers.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// Schema of the `provider` block.
    fn schema(&self) -> Schema;

    /// PrepareProviderConfig / ValidateProviderConfig. `config` may hold unknowns.
    fn validate(&self, config: &Value) -> Diagnostics;

    /// Configure: called once per provider process before any resource call (except in `validate`).
    async fn configure(&self, req: ConfigureRequest) -> Diagnostics;

    /// The managed resource types; called once when the server starts.
    fn resources(&self) -> Vec<Arc<dyn Resource>>;

    /// The data source types; called once when the server starts.
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>>;

    /// The provider-defined functions; called once when the server starts. They run on an instance that is
    /// never configured.
    fn functions(&self) -> Vec<Arc<dyn Function>> {
        Vec::new()
    }

    /// The ephemeral resource types; called once when the server starts.
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        Vec::new()
    }

    /// The list resource types (`terraform query`); called once when the server starts. Each lists a managed
    /// resource type of this provider that has an identity.
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        Vec::new()
    }

    /// Stop RPC (Ctrl-C): cancel in-flight waits. Advisory; must return promptly.
    fn stop(&self);
}

/// Input of [`Provider::configure`].
#[derive(Debug, Clone)]
pub struct ConfigureRequest {
    /// Terraform CLI version, e.g. `"1.11.4"`.
    pub terraform_version: String,
    /// The provider block (all attributes null when the configuration has none).
    pub config: Value,
}

/// One managed resource type.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    /// Full type name, e.g. `"modelrouter_deployment"`.
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// ValidateResourceTypeConfig. `config` may hold unknowns.
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    async fn plan(&self, req: PlanRequest) -> PlanResponse;

    async fn apply(&self, req: ApplyRequest) -> ApplyResponse;

    async fn read(&self, req: ReadRequest) -> ReadResponse;

    /// ImportResourceState. The default refuses.
    async fn import(&self, _req: ImportRequest) -> ImportResponse {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(
            "Resource import not supported",
            format!("The resource type {} cannot be imported.", self.type_name()),
        );
        ImportResponse { state: Value::Null, private: Vec::new(), diagnostics }
    }

    /// UpgradeResourceState. The default re-reads the stored JSON with the current schema, dropping
    /// attributes the schema no longer has (right as long as the schema version was never bumped).
    fn upgrade(&self, req: UpgradeRequest) -> UpgradeResponse {
        let ty = self.schema().block.value_type();
        upgrade_with_current_schema(&req.raw_state_json, &ty)
    }

    /// The resource identity (Terraform >= 1.12), derived from the state. `None`: the type has none, and can be
    /// neither imported by identity nor listed.
    fn identity(&self) -> Option<&dyn ResourceIdentity> {
        None
    }

    /// Whether [`Resource::move_state`] is implemented. The server announces the `move_resource_state` capability
    /// only when some resource says yes: without it Terraform refuses cross-type `moved` blocks itself, with a
    /// clearer message than an RPC error.
    fn accepts_moves(&self) -> bool {
        false
    }

    /// MoveResourceState: a `moved` block from another resource type (of this or another provider) into this one.
    /// Turns the source's stored state into this resource's state. The default refuses.
    async fn move_state(&self, req: MoveRequest) -> MoveResponse {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(
            "Move not supported",
            format!(
                "The resource type {} cannot take state moved from {} ({}).",
                self.type_name(),
                req.source_type_name,
                req.source_provider_address
            ),
        );
        MoveResponse { target_state: Value::Null, target_private: Vec::new(), diagnostics }
    }
}

/// Decodes stored JSON state with `ty`, ignoring unknown attributes; a decode failure becomes an error
/// diagnostic. The building block of the default [`Resource::upgrade`].
pub fn upgrade_with_current_schema(raw_state_json: &[u8], ty: &crate::value::Type) -> UpgradeResponse {
    let mut diagnostics = Diagnostics::new();
    let upgraded_state = match json::decode(raw_state_json, ty, true) {
        Ok(v) => v,
        Err(e) => {
            diagnostics.error("Unable to read the stored resource state", e.to_string());
            Value::Null
        }
    };
    UpgradeResponse { upgraded_state, diagnostics }
}

/// Input of [`Resource::plan`].
#[derive(Debug, Clone)]
pub struct PlanRequest {
    /// Null on create.
    pub prior_state: Value,
    /// Terraform's proposal: config values, with prior values for computed attributes left null in config.
    /// Null on destroy (only with plan_destroy, which this server does not announce).
    pub proposed_new_state: Value,
    /// May hold unknowns.
    pub config: Value,
    pub prior_private: Vec<u8>,
}

/// Output of [`Resource::plan`].
#[derive(Debug, Clone)]
pub struct PlanResponse {
    /// Return the prior state unchanged for a no-op; mark computed attributes unknown that change on apply.
    pub planned_state: Value,
    /// Attributes whose change forces replacement (Terraform keeps only those that actually change).
    pub requires_replace: Vec<AttributePath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl PlanResponse {
    /// A plan that accepts the proposal as is.
    pub fn accept(req: &PlanRequest) -> PlanResponse {
        PlanResponse {
            planned_state: req.proposed_new_state.clone(),
            requires_replace: Vec::new(),
            planned_private: req.prior_private.clone(),
            diagnostics: Diagnostics::new(),
        }
    }
}

/// Input of [`Resource::apply`].
#[derive(Debug, Clone)]
pub struct ApplyRequest {
    /// Null on create.
    pub prior_state: Value,
    /// Null on delete. May hold unknowns the provider must fill in.
    pub planned_state: Value,
    /// Wholly known; null on delete.
    pub config: Value,
    pub planned_private: Vec<u8>,
}

/// Output of [`Resource::apply`].
#[derive(Debug, Clone)]
pub struct ApplyResponse {
    /// Null after delete; wholly known and compatible with the plan otherwise. On failure return the
    /// partial state together with error diagnostics.
    pub new_state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// Input of [`Resource::read`].
#[derive(Debug, Clone)]
pub struct ReadRequest {
    pub current_state: Value,
    pub private: Vec<u8>,
}

/// Output of [`Resource::read`].
#[derive(Debug, Clone)]
pub struct ReadResponse {
    /// Null when the remote object is gone (Terraform removes it from state).
    pub new_state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// Input of [`Resource::import`].
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub id: String,
}

/// Output of [`Resource::import`].
#[derive(Debug, Clone)]
pub struct ImportResponse {
    /// Non-null; the identifying attributes are enough, Terraform calls read next.
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// Input of [`Resource::upgrade`].
#[derive(Debug, Clone)]
pub struct UpgradeRequest {
    /// Schema version that wrote the state.
    pub version: i64,
    /// The stored attributes as JSON.
    pub raw_state_json: Vec<u8>,
}

/// Output of [`Resource::upgrade`].
#[derive(Debug, Clone)]
pub struct UpgradeResponse {
    /// The state in the current schema; wholly known.
    pub upgraded_state: Value,
    pub diagnostics: Diagnostics,
}

/// Input of [`Resource::move_state`].
#[derive(Debug, Clone)]
pub struct MoveRequest {
    /// Registry address of the provider that wrote the state, e.g. `"registry.terraform.io/azure/azapi"`.
    pub source_provider_address: String,
    /// e.g. `"azapi_resource"`.
    pub source_type_name: String,
    /// The schema version the source state was written with (it is not upgraded before the move).
    pub source_schema_version: i64,
    /// The stored attributes as JSON, exactly as the source provider left them.
    pub source_state: Vec<u8>,
    pub source_private: Vec<u8>,
}

/// Output of [`Resource::move_state`].
#[derive(Debug, Clone)]
pub struct MoveResponse {
    /// The state in this resource's current schema; wholly known. Null together with an error diagnostic.
    pub target_state: Value,
    pub target_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// One data source type.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    /// Full type name, e.g. `"modelrouter_models"`.
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// ValidateDataSourceConfig. `config` may hold unknowns.
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// ReadDataSource. `config` is wholly known.
    async fn read(&self, config: Value) -> DataSourceReadResponse;
}

/// Output of [`DataSource::read`].
#[derive(Debug, Clone)]
pub struct DataSourceReadResponse {
    /// Non-null, wholly known.
    pub state: Value,
    pub diagnostics: Diagnostics,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Attribute;
    use crate::value::Type;

    /// A resource that implements only what it must.
    struct Minimal;

    #[async_trait]
    impl Resource for Minimal {
        fn type_name(&self) -> &'static str {
            "minimal_thing"
        }
        fn schema(&self) -> Schema {
            Schema::new(crate::schema::Block::new().attribute(Attribute::required("name", Type::String)))
        }
        async fn plan(&self, req: PlanRequest) -> PlanResponse {
            PlanResponse::accept(&req)
        }
        async fn apply(&self, req: ApplyRequest) -> ApplyResponse {
            ApplyResponse { new_state: req.planned_state, private: Vec::new(), diagnostics: Diagnostics::new() }
        }
        async fn read(&self, req: ReadRequest) -> ReadResponse {
            ReadResponse { new_state: req.current_state, private: req.private, diagnostics: Diagnostics::new() }
        }
    }

    #[tokio::test]
    async fn by_default_a_resource_takes_no_moves_and_says_which_move_it_refused() {
        assert!(!Minimal.accepts_moves());
        let out = Minimal
            .move_state(MoveRequest {
                source_provider_address: "registry.terraform.io/azure/azapi".into(),
                source_type_name: "azapi_resource".into(),
                source_schema_version: 2,
                source_state: b"{}".to_vec(),
                source_private: Vec::new(),
            })
            .await;
        assert!(out.target_state.is_null());
        let error = out.diagnostics.iter().next().expect("an error");
        assert_eq!(error.summary, "Move not supported");
        assert!(error.detail.contains("minimal_thing") && error.detail.contains("azapi_resource"), "{}", error.detail);
    }
}
