//! The deployment machinery both resources share: create, read, update, delete and import of a
//! `Microsoft.CognitiveServices/accounts/deployments` resource, with the guarantees users rely on:
//!
//! - writes to one account are serialised (the ARM client's account lock, held through the PUT or DELETE and its
//!   polling only), ARM's retries, long-running operations and deadlines apply, and an update never overwrites a
//!   concurrent change (see [`super::conditional_write`]);
//! - after every write the deployment is read back and compared with what was asked, so a setting the service
//!   silently dropped fails the apply instead of hiding in state;
//! - a create that Azure accepted is never forgotten: if it fails or is interrupted afterwards, the resource is
//!   returned with an error, and Terraform keeps it in state as tainted (no orphan, no duplicate create);
//! - reads map everything Azure returns into state, and a deployment deleted out of band leaves state.
//!
//! What differs between a router and a Claude deployment is behind [`DeploymentKind`].

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use modelrouter_arm::{Account, AccountId, ArmClient, ArmError, Deployment, DeploymentId};
use modelrouter_catalog::{Catalog, CatalogDate};
use tf_provider::{
    ApplyRequest, ApplyResponse, AttributePath, Diagnostic, Diagnostics, ImportRequest, ImportResponse, MoveRequest,
    MoveResponse, PlanRequest, PlanResponse, ReadRequest, ReadResponse, Resource, ResourceIdentity, Schema, Value,
};

use super::conditional_write::{self, WriteFailure, Written};
use super::errors::arm_error_diagnostic;
use super::field::Field;
use super::identity::Identity;
use super::plan_checks;
use super::private::PrivateState;
use super::put_body::put_body;
use super::resource_identity::DeploymentIdentity;
use super::state::{SETTLED, Serving};
use super::tags::TagMap;
use super::timeouts::{self, Operation, Timeouts};
use super::values::unknowns_to_null;
use crate::preflight::{DeploymentKind as PreflightKind, PreflightRequest};
use crate::state::{Configured, ProviderState};

/// A resource's typed model: parsed once per RPC from a configuration, plan or state value, and written back.
pub trait ResourceModel: Clone + PartialEq + Default + Send + Sync + 'static {
    fn parse(value: &Value) -> Self;
    fn to_value(&self) -> Value;
    fn identity(&self) -> &Identity;
    fn identity_mut(&mut self) -> &mut Identity;
    fn timeouts(&self) -> &Field<Timeouts>;
    /// `deployment_state`, `service_tier`, `provisioning_state`.
    fn serving(&self) -> &Serving;

    /// The optional attributes Azure fills in when the configuration leaves them unset, with this object's value:
    /// remembered in private state so that a later change to them shows as drift.
    fn azure_chosen(&self, catalog: &Catalog) -> Vec<(&'static str, String)>;
}

/// What plan-time rules may depend on besides the configuration and the prior state.
pub struct PlanContext<'a> {
    /// `false` turns "not in the catalog" errors into warnings.
    pub strict_catalog: bool,
    /// What the resource's private state remembers (the values Azure chose for attributes left unset).
    pub private: &'a PrivateState,
    /// The model table: embedded, with the provider's `catalog_file` over it.
    pub catalog: &'a Catalog,
    /// The day date rules (retirements) are judged on.
    pub today: CatalogDate,
    /// The provider's `default_tags` (unknown while its configuration is).
    pub default_tags: Field<TagMap>,
}

impl<'a> PlanContext<'a> {
    /// The embedded catalog on a fixed day, for unit tests of plan-time rules.
    #[cfg(test)]
    pub fn for_tests(strict_catalog: bool, private: &'a PrivateState) -> PlanContext<'a> {
        PlanContext {
            strict_catalog,
            private,
            catalog: modelrouter_catalog::catalog(),
            today: CatalogDate::parse("2026-11-28").expect("a date"),
            default_tags: Field::Null,
        }
    }
}

/// What a deployment-backed resource type decides for itself.
#[async_trait]
pub trait DeploymentKind: Send + Sync + 'static {
    type Model: ResourceModel;
    const TYPE_NAME: &'static str;
    /// Which deployment the plan-time checks see (attribute names, account kinds).
    const PREFLIGHT_KIND: PreflightKind;
    /// Whether the state carries the account's endpoint (costs one cached account GET per account).
    const NEEDS_ACCOUNT: bool = false;

    fn schema(&self) -> Schema;

    /// Rules that need only the configuration (also run by `terraform validate`).
    fn validate(&self, config: &Self::Model, diags: &mut Diagnostics);

    /// Rules that need the provider's settings or the prior state, and the planned model. Runs only when the
    /// configuration passed [`DeploymentKind::validate`].
    fn plan(
        &self,
        config: &Self::Model,
        prior: Option<&Self::Model>,
        ctx: &PlanContext<'_>,
        diags: &mut Diagnostics,
    ) -> Self::Model;

    fn requires_replace(&self) -> Vec<AttributePath>;

    /// Copies the planned settings into an ARM body (empty on create, Azure's current one on update).
    fn apply_to_body(&self, planned: &Self::Model, body: &mut Deployment, catalog: &Catalog);

    /// The model for what Azure holds; `base` is the prior state or the plan.
    fn state_from_arm(
        &self,
        base: &Self::Model,
        deployment: &Deployment,
        account: Option<&Account>,
        catalog: &Catalog,
    ) -> Self::Model;

    /// What did not stick after a write, one line per setting.
    fn write_mismatches(&self, asked: &Deployment, got: &Deployment) -> Vec<String>;

    /// Checks against the account's other deployments before a create or update.
    async fn before_write(&self, _ctx: &WriteContext<'_>, _planned: &Self::Model) -> Result<(), Diagnostics> {
        Ok(())
    }

    /// Checks before a delete.
    async fn before_delete(&self, _ctx: &WriteContext<'_>, _state: &Self::Model) -> Result<(), Diagnostics> {
        Ok(())
    }

    /// Refuses to import a deployment of another kind, saying what it is.
    fn check_import(&self, id: &DeploymentId, deployment: &Deployment) -> Result<(), String>;

    /// What to check against the live account before this plan's write: `None` when the plan writes nothing the
    /// account could refuse (no create, no change of version or SKU) or when what the checks need is not known yet.
    fn preflight_request(
        &self,
        planned: &Self::Model,
        prior: Option<&Self::Model>,
        catalog: &Catalog,
    ) -> Option<PreflightRequest>;
}

/// What the pre-write hooks may use.
pub struct WriteContext<'a> {
    pub client: &'a ArmClient,
    pub account: &'a AccountId,
    pub deployment: &'a DeploymentId,
    pub deadline: Instant,
    pub catalog: &'a Catalog,
}

impl WriteContext<'_> {
    /// The account's deployments (the client's list of the account, shared with the reads, with this process's
    /// writes applied).
    pub async fn list_deployments(&self) -> Result<Vec<Deployment>, Diagnostics> {
        self.client.read_account_deployments(self.account, self.deadline).await.map_err(|error| {
            let action = format!("read the other deployments of the account before writing {}", self.deployment);
            arm_error_diagnostic(&action, &error).into()
        })
    }
}

/// A Terraform resource backed by one ARM deployment.
pub struct DeploymentResource<K: DeploymentKind> {
    kind: K,
    provider: Arc<ProviderState>,
}

impl<K: DeploymentKind> DeploymentResource<K> {
    pub fn new(kind: K, provider: Arc<ProviderState>) -> Self {
        Self { kind, provider }
    }
}

fn deadline<M: ResourceModel>(model: &M, op: Operation) -> Instant {
    timeouts::deadline(model.timeouts(), op)
}

/// The prior state as a model, or none on create.
fn parse_optional<M: ResourceModel>(value: &Value) -> Option<M> {
    (!value.is_null()).then(|| M::parse(value))
}

#[async_trait]
impl<K: DeploymentKind> Resource for DeploymentResource<K> {
    fn type_name(&self) -> &'static str {
        K::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        self.kind.schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        self.kind.validate(&K::Model::parse(config), &mut diags);
        diags
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let mut diagnostics = Diagnostics::new();
        // Destroy: nothing to plan (Terraform plans it without us unless plan_destroy is announced).
        if request.proposed_new_state.is_null() {
            return PlanResponse {
                planned_state: Value::Null,
                requires_replace: Vec::new(),
                planned_private: request.prior_private,
                diagnostics,
            };
        }
        let config = K::Model::parse(&request.config);
        let prior: Option<K::Model> = parse_optional(&request.prior_state);
        self.kind.validate(&config, &mut diagnostics);
        if diagnostics.has_errors() {
            // The plan fails; what it proposes is never applied.
            return PlanResponse {
                planned_state: request.proposed_new_state,
                requires_replace: Vec::new(),
                planned_private: request.prior_private,
                diagnostics,
            };
        }
        let private = PrivateState::parse(&request.prior_private);
        let catalog = self.provider.catalog();
        let ctx = PlanContext {
            strict_catalog: self.provider.strict_catalog(),
            private: &private,
            catalog: &catalog,
            today: self.provider.today(),
            default_tags: self.provider.configured().map_or(Field::Unknown, |c| c.default_tags.clone()),
        };
        let planned = self.kind.plan(&config, prior.as_ref(), &ctx, &mut diagnostics);
        if !diagnostics.has_errors() {
            let checks =
                plan_checks::run(&self.kind, &self.provider, &planned, prior.as_ref(), &request.config, &catalog);
            diagnostics.extend(checks.await);
        }
        if let Some(prior) = &prior
            && let Some(state) =
                prior.serving().provisioning_state.as_deref().filter(|s| !s.eq_ignore_ascii_case(SETTLED))
        {
            // The plan marks provisioning_state unknown (Serving::plan), so Terraform calls apply.
            let name = prior.identity().name.as_deref().unwrap_or_default();
            diagnostics.warning(
                "Azure reports the last operation did not succeed",
                format!(
                    "Azure reports the provisioning state {state} for deployment {name:?}: its last operation did \
                     not complete (or another writer's is still running), so its settings may not be in effect. \
                     This plan sends the configuration again."
                ),
            );
        }
        let planned_state = match &prior {
            // Nothing changed: hand Terraform the prior state itself, so it plans a no-op.
            Some(prior) if planned == *prior => request.prior_state,
            _ => planned.to_value(),
        };
        PlanResponse {
            planned_state,
            requires_replace: self.kind.requires_replace(),
            planned_private: request.prior_private,
            diagnostics,
        }
    }

    async fn apply(&self, request: ApplyRequest) -> ApplyResponse {
        let configured = match self.provider.configured() {
            Ok(configured) => configured,
            Err(diagnostic) => {
                return ApplyResponse {
                    new_state: request.prior_state,
                    private: request.planned_private,
                    diagnostics: diagnostic.into(),
                };
            }
        };
        let prior: Option<K::Model> = parse_optional(&request.prior_state);
        let (new_state, diagnostics) = match parse_optional::<K::Model>(&request.planned_state) {
            None => match &prior {
                Some(prior) => self.delete(&configured, prior).await,
                None => (None, Diagnostics::new()),
            },
            Some(planned) => self.write(&configured, prior.as_ref(), &planned).await,
        };
        // A successful write remembers what Azure chose; after a failure the next Read decides again.
        let private = match &new_state {
            Some(state) if !diagnostics.has_errors() => {
                let mut private = PrivateState::parse(&request.planned_private);
                private.remember(state.azure_chosen(&self.provider.catalog()));
                private.to_bytes_like(&request.planned_private)
            }
            _ => request.planned_private,
        };
        let new_state = match new_state {
            Some(state) => unknowns_to_null(&state.to_value()),
            None => Value::Null,
        };
        ApplyResponse { new_state, private, diagnostics }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let current = K::Model::parse(&request.current_state);
        let (new_state, private, diagnostics) = match self.provider.configured() {
            Ok(configured) => match self.refresh(&configured, &current).await {
                Ok(Some(state)) => {
                    // A read changes private state only to adopt what Azure chose for a state written before this
                    // provider remembered anything; a deployment Azure reports unsettled shows in
                    // provisioning_state, in the visible state.
                    let mut private = PrivateState::parse(&request.private);
                    private.remember(state.azure_chosen(&self.provider.catalog()));
                    (state.to_value(), private.to_bytes_like(&request.private), Diagnostics::new())
                }
                Ok(None) => (Value::Null, Vec::new(), Diagnostics::new()),
                Err(diags) => (request.current_state, request.private, diags),
            },
            Err(diagnostic) => (request.current_state, request.private, diagnostic.into()),
        };
        ReadResponse { new_state, private, diagnostics }
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let (state, private, diagnostics) = match self.provider.configured() {
            Ok(configured) => match self.import_by_id(&configured, request.id.trim()).await {
                Ok(state) => {
                    let mut private = PrivateState::default();
                    private.remember(state.azure_chosen(&self.provider.catalog()));
                    (state.to_value(), private.to_bytes(), Diagnostics::new())
                }
                Err(diagnostic) => (Value::Null, Vec::new(), diagnostic.into()),
            },
            Err(diagnostic) => (Value::Null, Vec::new(), diagnostic.into()),
        };
        ImportResponse { state, private, diagnostics }
    }

    fn identity(&self) -> Option<&dyn ResourceIdentity> {
        Some(&DeploymentIdentity)
    }

    fn accepts_moves(&self) -> bool {
        true
    }

    /// `moved` from azapi_resource or azurerm_cognitive_deployment: see [`crate::resources::moves`].
    async fn move_state(&self, request: MoveRequest) -> MoveResponse {
        crate::resources::moves::answer(&self.kind, &self.provider, request).await
    }
}

impl<K: DeploymentKind> DeploymentResource<K> {
    async fn account(
        &self,
        client: &ArmClient,
        id: &DeploymentId,
        deadline: Instant,
    ) -> Result<Option<Account>, ArmError> {
        if K::NEEDS_ACCOUNT { client.get_account(&id.account, deadline).await.map(Some) } else { Ok(None) }
    }

    /// The model for what Azure holds (its id in the configuration's spelling: `Identity::from_arm`).
    fn state_for(&self, base: &K::Model, deployment: &Deployment, account: Option<&Account>) -> K::Model {
        self.kind.state_from_arm(base, deployment, account, &self.provider.catalog())
    }

    /// Create or update: checks, full PUT (read-modify-write on update), wait, read back, compare. Returns the new
    /// state (`None`: keep none) and what went wrong.
    async fn write(
        &self,
        configured: &Configured,
        prior: Option<&K::Model>,
        planned: &K::Model,
    ) -> (Option<K::Model>, Diagnostics) {
        let creating = prior.is_none();
        let op = if creating { Operation::Create } else { Operation::Update };
        let verb = if creating { "create" } else { "update" };
        let id = match planned.identity().deployment_id() {
            Ok(id) => id,
            Err(diagnostic) => return (prior.cloned(), diagnostic.into()),
        };
        let client = &configured.client;
        let deadline = deadline(planned, op);
        let catalog = self.provider.catalog();
        let ctx = WriteContext { client, account: &id.account, deployment: &id, deadline, catalog: &catalog };

        let outcome = match self.kind.before_write(&ctx, planned).await {
            Err(diags) => Err(WriteFailure::Refused(diags)),
            Ok(()) => {
                conditional_write::write(client, &id, K::TYPE_NAME, creating, planned.serving(), deadline, |current| {
                    put_body(&self.kind, planned, current, &catalog)
                })
                .await
            }
        };

        let Written { asked, got } = match outcome {
            Ok(written) => written,
            Err(WriteFailure::Refused(diags)) => return (prior.cloned(), diags),
            Err(WriteFailure::Arm(error)) => {
                let mut diags: Diagnostics = arm_error_diagnostic(&format!("{verb} {id}"), &error).into();
                if !(error.accepted() && creating) {
                    return (prior.cloned(), diags);
                }
                // Azure has it (or may have): keep it in state so Terraform taints it rather than forgetting it.
                diags.warning(
                    "Deployment kept in state",
                    format!(
                        "Azure accepted the create of {id} before the failure, so the deployment may exist. It \
                         stays in state (tainted): the next apply replaces it instead of creating a duplicate."
                    ),
                );
                let mut kept = planned.clone();
                let identity = kept.identity().clone().with_id();
                *kept.identity_mut() = identity;
                return (Some(kept), diags);
            }
        };

        // What Azure kept, not what we asked for, goes to state.
        let account = match self.account(client, &id, deadline).await {
            Ok(account) => account,
            Err(error) => {
                let state = self.state_for(planned, &got, None);
                return (Some(state), arm_error_diagnostic(&format!("read account {}", id.account), &error).into());
            }
        };
        let state = self.state_for(planned, &got, account.as_ref());
        let mismatches = self.kind.write_mismatches(&asked, &got);
        if !mismatches.is_empty() {
            return (Some(state), readback_failure(verb, &id, &mismatches).into());
        }
        (Some(state), Diagnostics::new())
    }

    async fn delete(&self, configured: &Configured, prior: &K::Model) -> (Option<K::Model>, Diagnostics) {
        let id = match prior.identity().deployment_id() {
            Ok(id) => id,
            Err(diagnostic) => return (Some(prior.clone()), diagnostic.into()),
        };
        let client = &configured.client;
        let deadline = deadline(prior, Operation::Delete);
        let catalog = self.provider.catalog();
        let ctx = WriteContext { client, account: &id.account, deployment: &id, deadline, catalog: &catalog };
        let result = async {
            self.kind.before_delete(&ctx, prior).await?;
            client
                .delete_deployment(&id, deadline)
                .await
                .map_err(|error| Diagnostics::from(arm_error_diagnostic(&format!("delete {id}"), &error)))
        }
        .await;
        match result {
            Ok(()) => (None, Diagnostics::new()),
            Err(diags) => (Some(prior.clone()), diags),
        }
    }

    /// The model for what Azure holds now (`None`: deleted out of band).
    async fn refresh(&self, configured: &Configured, current: &K::Model) -> Result<Option<K::Model>, Diagnostics> {
        let id = current.identity().deployment_id()?;
        let client = &configured.client;
        let deadline = deadline(current, Operation::Read);
        let deployment = match client.read_deployment(&id, deadline).await {
            Ok(None) => return Ok(None),
            Ok(Some(deployment)) => deployment,
            Err(error) => return Err(arm_error_diagnostic(&format!("read {id}"), &error).into()),
        };
        let account = self.account(client, &id, deadline).await.map_err(|error| {
            Diagnostics::from(arm_error_diagnostic(&format!("read account {}", id.account), &error))
        })?;
        Ok(Some(self.state_for(current, &deployment, account.as_ref())))
    }

    async fn import_by_id(&self, configured: &Configured, raw_id: &str) -> Result<K::Model, Diagnostic> {
        let id = DeploymentId::parse(raw_id).map_err(|error| {
            Diagnostic::error(
                "Invalid import id",
                format!(
                    "{raw_id:?} is not the ARM id of a deployment: {error}. Expected {}.",
                    modelrouter_arm::IdError::expected_form(true)
                ),
            )
        })?;
        let client = &configured.client;
        let mut skeleton = K::Model::default();
        *skeleton.identity_mut() = Identity::of(&id);
        let deadline = deadline(&skeleton, Operation::Read);
        let deployment = match client.read_deployment(&id, deadline).await {
            Ok(Some(deployment)) => deployment,
            Ok(None) => {
                return Err(Diagnostic::error(
                    "Cannot import non-existent deployment",
                    format!("There is no deployment {id}."),
                ));
            }
            Err(error) => return Err(arm_error_diagnostic(&format!("read {id}"), &error)),
        };
        self.kind
            .check_import(&id, &deployment)
            .map_err(|reason| Diagnostic::error("Wrong kind of deployment", reason))?;
        let account = self
            .account(client, &id, deadline)
            .await
            .map_err(|error| arm_error_diagnostic(&format!("read account {}", id.account), &error))?;
        Ok(self.state_for(&skeleton, &deployment, account.as_ref()))
    }
}

fn readback_failure(verb: &str, id: &DeploymentId, mismatches: &[String]) -> Diagnostic {
    Diagnostic::error(
        "Azure did not keep the requested settings",
        format!(
            "After the {verb} of {id}, Azure reports different settings than were sent:\n  - {}\n\
             The service accepted the request but did not apply these (for example, routing is known \
             to be dropped for some SKUs and api-versions). The state records what Azure kept.",
            mismatches.join("\n  - ")
        ),
    )
}
