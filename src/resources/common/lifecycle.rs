//! The deployment machinery both resources share: create, read, update, delete and import of a
//! `Microsoft.CognitiveServices/accounts/deployments` resource, with the guarantees users rely on:
//!
//! - writes to one account are serialised (the ARM client's account lock, held from the pre-write checks through
//!   the PUT or DELETE and its polling), and ARM's retries, long-running operations and deadlines apply;
//! - after every write the deployment is read back and compared with what was asked, so a setting the service
//!   silently dropped fails the apply instead of hiding in state;
//! - a create that Azure accepted is never forgotten: if it fails or is interrupted afterwards, the resource is
//!   returned with an error, and Terraform keeps it in state as tainted (no orphan, no duplicate create);
//! - reads map everything Azure returns into state, and a deployment deleted out of band leaves state.
//!
//! What differs between a router and a Claude deployment is behind [`DeploymentKind`].

use std::sync::Arc;

use async_trait::async_trait;
use modelrouter_arm::{Account, AccountId, ArmClient, ArmError, Deployment, DeploymentId};
use std::time::Instant;
use tf_provider::{
    ApplyRequest, ApplyResponse, AttributePath, Diagnostic, Diagnostics, ImportRequest, ImportResponse, PlanRequest,
    PlanResponse, ReadRequest, ReadResponse, Resource, Schema, Value,
};

use super::errors::arm_error_diagnostic;
use super::timeouts::{self, Operation};
use super::values::unknowns_to_null;
use crate::provider::{Configured, ProviderState};

/// What a deployment-backed resource type decides for itself.
#[async_trait]
pub trait DeploymentKind: Send + Sync + 'static {
    const TYPE_NAME: &'static str;
    /// Whether the state carries the account's endpoint (costs one cached account GET per account).
    const NEEDS_ACCOUNT: bool = false;
    /// A computed attribute the plan marks unknown to make Terraform send the configuration again when Azure
    /// reports that the deployment's last operation did not succeed (see [`UNSETTLED_PRIVATE_KEY`]).
    const RESEND_ATTRIBUTE: &'static str;

    fn schema(&self) -> Schema;

    /// Rules that need only the configuration (also run by `terraform validate`).
    fn validate_structure(&self, config: &Value, diags: &mut Diagnostics);

    /// Rules that need the provider's settings, and the planned state. Runs only when the structure is valid.
    fn plan(&self, request: &PlanRequest, strict_catalog: bool, diags: &mut Diagnostics) -> Value;

    fn requires_replace(&self) -> Vec<AttributePath>;

    /// Copies the planned settings into an ARM body (empty on create, Azure's current one on update).
    fn apply_to_body(&self, planned: &Value, body: &mut Deployment);

    /// The state for what Azure holds; `base` is the prior state or the plan.
    fn state_from_arm(&self, base: &Value, deployment: &Deployment, account: Option<&Account>) -> Value;

    /// What did not stick after a write, one line per setting.
    fn write_mismatches(&self, asked: &Deployment, got: &Deployment) -> Vec<String>;

    /// Checks against the account's other deployments before a create or update (under the account lock).
    async fn before_write(&self, _ctx: &WriteContext<'_>, _planned: &Value) -> Result<(), Diagnostics> {
        Ok(())
    }

    /// Checks before a delete (under the account lock).
    async fn before_delete(&self, _ctx: &WriteContext<'_>, _state: &Value) -> Result<(), Diagnostics> {
        Ok(())
    }

    /// Refuses to import a deployment of another kind, saying what it is.
    fn check_import(&self, id: &DeploymentId, deployment: &Deployment) -> Result<(), String>;

    /// The state skeleton an import starts from: identity set, every other attribute null.
    fn import_skeleton(&self, id: &DeploymentId) -> Value;
}

/// What the pre-write hooks may use.
pub struct WriteContext<'a> {
    pub client: &'a ArmClient,
    pub account: &'a AccountId,
    pub deployment: &'a DeploymentId,
    pub deadline: Instant,
}

impl WriteContext<'_> {
    /// The account's deployments (one paged LIST).
    pub async fn list_deployments(&self) -> Result<Vec<Deployment>, Diagnostics> {
        self.client
            .list_deployments(self.account, self.deadline)
            .await
            .map_err(|error| single(arm_error_diagnostic(&format!("list the deployments of {}", self.account), &error)))
    }
}

fn single(diagnostic: Diagnostic) -> Diagnostics {
    let mut diags = Diagnostics::new();
    diags.push(diagnostic);
    diags
}

/// Key of the resource's private state set by Read when Azure reports the deployment's last operation ended
/// `Failed` or `Canceled` (e.g. an update that was cancelled after Azure stored its settings): what Azure holds is
/// then not a settled configuration, even if it looks like the configuration, so the next plan re-sends it.
const UNSETTLED_PRIVATE_KEY: &str = "unsettled_provisioning_state";

/// The private state for a deployment Azure reports in `provisioning_state`: the marker for a terminal failure,
/// empty otherwise.
fn private_for(provisioning_state: Option<&str>) -> Vec<u8> {
    match provisioning_state {
        Some(state) if state.eq_ignore_ascii_case("Failed") || state.eq_ignore_ascii_case("Canceled") => {
            serde_json::json!({ UNSETTLED_PRIVATE_KEY: state }).to_string().into_bytes()
        }
        _ => Vec::new(),
    }
}

/// The failed provisioning state recorded by [`private_for`], if any.
fn unsettled_state(private: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(private).ok()?;
    value.get(UNSETTLED_PRIVATE_KEY)?.as_str().map(str::to_owned)
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

/// The deployment a resource object names, from its `name` and `cognitive_account_id`.
pub fn deployment_id(resource: &Value) -> Result<DeploymentId, Diagnostic> {
    let account = resource.get("cognitive_account_id").as_str().unwrap_or_default();
    let name = resource.get("name").as_str().unwrap_or_default();
    let account = AccountId::parse(account).map_err(|error| {
        Diagnostic::error("Invalid cognitive_account_id", format!("{account:?}: {error}"))
            .at(AttributePath::root().attr("cognitive_account_id"))
    })?;
    Ok(DeploymentId { account, name: name.to_owned() })
}

/// Sets `id` from the object's account and name, in the spelling the configuration uses, so that ids never
/// differ from the configuration only in case.
fn with_id(mut state: Value) -> Value {
    if let (Some(account), Some(name)) = (state.get("cognitive_account_id").as_str(), state.get("name").as_str()) {
        let id = format!("{}/deployments/{name}", account.trim_end_matches('/'));
        state.set_attr("id", Value::string(id));
    }
    state
}

fn deadline(resource: &Value, op: Operation) -> Instant {
    Instant::now() + timeouts::duration(resource, op)
}

#[async_trait]
impl<K: DeploymentKind> Resource for DeploymentResource<K> {
    fn type_name(&self) -> &'static str {
        K::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        self.kind.schema()
    }

    fn validate(&self, config: &tf_provider::Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        self.kind.validate_structure(config, &mut diags);
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
        self.kind.validate_structure(&request.config, &mut diagnostics);
        let mut planned_state = if diagnostics.has_errors() {
            request.proposed_new_state.clone()
        } else {
            self.kind.plan(&request, self.provider.strict_catalog(), &mut diagnostics)
        };
        if let Some(state) = unsettled_state(&request.prior_private).filter(|_| !request.prior_state.is_null()) {
            // Without a difference Terraform would not call apply: the unknown attribute makes it an update.
            planned_state.set_attr(K::RESEND_ATTRIBUTE, Value::unknown());
            let name = request.prior_state.get("name").as_str().unwrap_or_default().to_owned();
            diagnostics.warning(
                "Azure reports the last operation did not succeed",
                format!(
                    "Azure reports the provisioning state {state} for deployment {name:?}: its last operation did \
                     not complete, so its settings may not be in effect. This plan sends the configuration again."
                ),
            );
        }
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
                    diagnostics: single(diagnostic),
                };
            }
        };
        let (new_state, diagnostics) = if request.planned_state.is_null() {
            self.delete(&configured, &request.prior_state).await
        } else {
            self.write(&configured, &request.prior_state, &request.planned_state).await
        };
        // A successful write settles the deployment; after a failure the next Read decides again.
        let private = if diagnostics.has_errors() { request.planned_private } else { Vec::new() };
        ApplyResponse { new_state, private, diagnostics }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let (new_state, private, diagnostics) = match self.provider.configured() {
            Ok(configured) => match self.refresh(&configured, &request.current_state).await {
                Ok((state, provisioning_state)) => {
                    (state, private_for(provisioning_state.as_deref()), Diagnostics::new())
                }
                Err((state, diags)) => (state, request.private, diags),
            },
            Err(diagnostic) => (request.current_state.clone(), request.private, single(diagnostic)),
        };
        ReadResponse { new_state, private, diagnostics }
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let (state, diagnostics) = match self.provider.configured() {
            Ok(configured) => self.import_by_id(&configured, request.id.trim()).await,
            Err(diagnostic) => (Value::Null, single(diagnostic)),
        };
        ImportResponse { state, private: Vec::new(), diagnostics }
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

    /// Create or update: checks, full PUT (read-modify-write on update), wait, read back, compare.
    async fn write(&self, configured: &Configured, prior: &Value, planned: &Value) -> (Value, Diagnostics) {
        let creating = prior.is_null();
        let op = if creating { Operation::Create } else { Operation::Update };
        let verb = if creating { "create" } else { "update" };
        let id = match deployment_id(planned) {
            Ok(id) => id,
            Err(diagnostic) => return (prior.clone(), single(diagnostic)),
        };
        let client = &configured.client;
        let deadline = deadline(planned, op);
        let ctx = WriteContext { client, account: &id.account, deployment: &id, deadline };

        let outcome = client
            .with_account_lock(&id.account, async {
                self.kind.before_write(&ctx, planned).await.map_err(WriteFailure::Refused)?;
                let mut body = if creating {
                    match client.get_deployment(&id, deadline).await {
                        Ok(None) => Deployment::default(),
                        Ok(Some(_)) => {
                            return Err(WriteFailure::Refused(single(already_exists(K::TYPE_NAME, &id))));
                        }
                        Err(error) => return Err(WriteFailure::Arm(error)),
                    }
                } else {
                    // Read-modify-write: fields this provider does not model survive the full PUT.
                    match client.get_deployment(&id, deadline).await {
                        Ok(Some(current)) => current,
                        Ok(None) => Deployment::default(),
                        Err(error) => return Err(WriteFailure::Arm(error)),
                    }
                };
                self.kind.apply_to_body(planned, &mut body);
                // The client answers with Azure's own read of the deployment once the operation has ended.
                let got = client.put_deployment(&id, &body, deadline).await.map_err(WriteFailure::Arm)?;
                Ok((body, got))
            })
            .await;

        let (asked, got) = match outcome {
            Ok(written) => written,
            Err(WriteFailure::Refused(diags)) => return (prior.clone(), diags),
            Err(WriteFailure::Arm(error)) => {
                let diagnostic = arm_error_diagnostic(&format!("{verb} {id}"), &error);
                let state = if error.accepted() && creating {
                    // Azure has it (or may have): keep it in state so Terraform taints it rather than forgetting it.
                    with_id(unknowns_to_null(planned))
                } else {
                    prior.clone()
                };
                let mut diags = single(diagnostic);
                if error.accepted() && creating {
                    diags.warning(
                        "Deployment kept in state",
                        format!(
                            "Azure accepted the create of {id} before the failure, so the deployment may exist. It \
                             stays in state (tainted): the next apply replaces it instead of creating a duplicate."
                        ),
                    );
                }
                return (state, diags);
            }
        };

        // What Azure kept, not what we asked for, goes to state.
        let account = match self.account(client, &id, deadline).await {
            Ok(account) => account,
            Err(error) => {
                let state = unknowns_to_null(&with_id(self.kind.state_from_arm(planned, &got, None)));
                return (state, single(arm_error_diagnostic(&format!("read account {}", id.account), &error)));
            }
        };
        let state = with_id(self.kind.state_from_arm(planned, &got, account.as_ref()));
        let mismatches = self.kind.write_mismatches(&asked, &got);
        if !mismatches.is_empty() {
            return (
                state,
                single(Diagnostic::error(
                    "Azure did not keep the requested settings",
                    format!(
                        "After the {verb} of {id}, Azure reports different settings than were sent:\n  - {}\n\
                         The service accepted the request but did not apply these (for example, routing is known \
                         to be dropped for some SKUs and api-versions). The state records what Azure kept.",
                        mismatches.join("\n  - ")
                    ),
                )),
            );
        }
        (state, Diagnostics::new())
    }

    async fn delete(&self, configured: &Configured, prior: &Value) -> (Value, Diagnostics) {
        let id = match deployment_id(prior) {
            Ok(id) => id,
            Err(diagnostic) => return (prior.clone(), single(diagnostic)),
        };
        let client = &configured.client;
        let deadline = deadline(prior, Operation::Delete);
        let ctx = WriteContext { client, account: &id.account, deployment: &id, deadline };
        let result = client
            .with_account_lock(&id.account, async {
                self.kind.before_delete(&ctx, prior).await?;
                client
                    .delete_deployment(&id, deadline)
                    .await
                    .map_err(|error| single(arm_error_diagnostic(&format!("delete {id}"), &error)))
            })
            .await;
        match result {
            Ok(()) => (Value::Null, Diagnostics::new()),
            Err(diags) => (prior.clone(), diags),
        }
    }

    /// The state for what Azure holds now, with Azure's provisioning state; on failure the current state and why.
    async fn refresh(
        &self,
        configured: &Configured,
        current: &Value,
    ) -> Result<(Value, Option<String>), (Value, Diagnostics)> {
        let id = deployment_id(current).map_err(|diagnostic| (current.clone(), single(diagnostic)))?;
        let client = &configured.client;
        let deadline = deadline(current, Operation::Read);
        match client.get_deployment(&id, deadline).await {
            Ok(None) => Ok((Value::Null, None)),
            Ok(Some(deployment)) => match self.account(client, &id, deadline).await {
                Ok(account) => Ok((
                    with_id(self.kind.state_from_arm(current, &deployment, account.as_ref())),
                    deployment.provisioning_state().map(str::to_owned),
                )),
                Err(error) => Err((
                    current.clone(),
                    single(arm_error_diagnostic(&format!("read account {}", id.account), &error)),
                )),
            },
            Err(error) => Err((current.clone(), single(arm_error_diagnostic(&format!("read {id}"), &error)))),
        }
    }

    async fn import_by_id(&self, configured: &Configured, raw_id: &str) -> (Value, Diagnostics) {
        let id = match DeploymentId::parse(raw_id) {
            Ok(id) => id,
            Err(error) => {
                return (
                    Value::Null,
                    single(Diagnostic::error(
                        "Invalid import id",
                        format!(
                            "{raw_id:?} is not the ARM id of a deployment ({error}). Expected \
                             /subscriptions/{{id}}/resourceGroups/{{rg}}/providers/Microsoft.CognitiveServices/accounts/{{account}}/deployments/{{name}}."
                        ),
                    )),
                );
            }
        };
        let client = &configured.client;
        let skeleton = self.kind.import_skeleton(&id);
        let deadline = deadline(&skeleton, Operation::Read);
        let deployment = match client.get_deployment(&id, deadline).await {
            Ok(Some(deployment)) => deployment,
            Ok(None) => {
                return (
                    Value::Null,
                    single(Diagnostic::error(
                        "Cannot import non-existent deployment",
                        format!("There is no deployment {id}."),
                    )),
                );
            }
            Err(error) => {
                return (Value::Null, single(arm_error_diagnostic(&format!("read {id}"), &error)));
            }
        };
        if let Err(reason) = self.kind.check_import(&id, &deployment) {
            return (Value::Null, single(Diagnostic::error("Wrong kind of deployment", reason)));
        }
        match self.account(client, &id, deadline).await {
            Ok(account) => {
                (with_id(self.kind.state_from_arm(&skeleton, &deployment, account.as_ref())), Diagnostics::new())
            }
            Err(error) => (Value::Null, single(arm_error_diagnostic(&format!("read account {}", id.account), &error))),
        }
    }
}

enum WriteFailure {
    Refused(Diagnostics),
    Arm(ArmError),
}

fn already_exists(type_name: &str, id: &DeploymentId) -> Diagnostic {
    Diagnostic::error(
        "Deployment already exists",
        format!(
            "A deployment {id} already exists. To manage it with Terraform, import it: \
             `terraform import <address> {id}` or an `import {{ to = {type_name}.<name>, id = \"{id}\" }}` block."
        ),
    )
}
