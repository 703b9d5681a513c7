//! A write that loses nothing: read the deployment, apply the plan to what Azure holds, PUT it back only if it is
//! still the version that was read (`If-Match`; a create: `If-None-Match: *`), and on `412` read again and re-apply
//! the plan, a bounded number of times. Fields the provider does not manage (set in the portal, even between the
//! read and the write) survive. The deployment state (paused or running) changes through Azure's actions after the
//! PUT, never in its body.
//!
//! Only the PUT and its polling hold the account's write lock (inside the ARM client): the read, the plan's
//! application and the read-back run outside it, so writes to other deployments of the account wait less.

use std::time::Instant;

use modelrouter_arm::{ArmClient, ArmError, Deployment, DeploymentId, WriteBody};
use tf_provider::{Diagnostic, Diagnostics};

use super::put_body::sends_nothing_new;
use super::state::Serving;

/// How many times an update re-reads and re-applies the plan after Azure answered `412`.
pub const MAX_REAPPLIES: usize = 3;

/// Why a write did not happen or did not finish.
pub enum WriteFailure {
    /// Refused before anything was sent (a check, or the deployment exists on create).
    Refused(Diagnostics),
    Arm(ArmError),
}

/// What was sent (the plan applied to Azure's deployment) and what Azure holds afterwards.
pub struct Written {
    pub asked: Deployment,
    pub got: Deployment,
}

/// Creates (`creating`) or updates the deployment `id`: `body_for` gives the body to PUT for what Azure holds
/// (`put_body`: the plan applied to Azure's current deployment on update, to nothing on create); `serving` says
/// which state it must end in.
pub async fn write(
    client: &ArmClient,
    id: &DeploymentId,
    type_name: &str,
    creating: bool,
    serving: &Serving,
    deadline: Instant,
    body_for: impl Fn(Option<&Deployment>) -> Deployment,
) -> Result<Written, WriteFailure> {
    let mut refusals = 0;
    let Written { asked, got } = loop {
        let current = client.get_deployment(id, deadline).await.map_err(WriteFailure::Arm)?;
        let (body, current) = match (creating, current) {
            (true, Some(_)) => return Err(WriteFailure::Refused(already_exists(type_name, id).into())),
            (true, None) => (WriteBody::create(&body_for(None)), None),
            (false, Some(current)) => (WriteBody::update(&current, &body_for(Some(&current))), Some(current)),
            // Deleted since the plan: write it again as planned.
            (false, None) => (WriteBody::create(&body_for(None)), None),
        };
        if let Some(current) = current.filter(|current| sends_nothing_new(&body.deployment, current)) {
            // Only the deployment state differs (or nothing does): no PUT, no long-running operation.
            break Written { asked: body.deployment, got: current };
        }
        match client.write_deployment(id, &body, deadline).await {
            Ok(got) => break Written { asked: body.deployment, got },
            Err(error) if error.is_precondition_failed() && creating => {
                return Err(WriteFailure::Refused(already_exists(type_name, id).into()));
            }
            Err(error) if error.is_precondition_failed() && refusals < MAX_REAPPLIES => {
                refusals += 1;
                tracing::info!(id = %id, refusals, "the deployment changed between read and write (412); re-applying the plan");
            }
            Err(error) if error.is_precondition_failed() => {
                return Err(WriteFailure::Refused(kept_changing(id, refusals + 1).into()));
            }
            Err(error) => return Err(WriteFailure::Arm(error)),
        }
    };
    let got = match serving.state_change(&got) {
        Some(state) => client.set_deployment_state(id, state, deadline).await.map_err(WriteFailure::Arm)?,
        None => got,
    };
    Ok(Written { asked, got })
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

fn kept_changing(id: &DeploymentId, attempts: usize) -> Diagnostic {
    Diagnostic::error(
        "Deployment changed during the update",
        format!(
            "Azure refused the update of {id} {attempts} times with 412 Precondition Failed: each time, the \
             deployment changed between the provider's read and its write (another writer, such as the portal or \
             a pipeline, keeps changing it). Nothing was overwritten. Run apply again once the other change is done."
        ),
    )
}
