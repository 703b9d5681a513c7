//! The one definition of the body a write PUTs, shared by the apply (`conditional_write`) and by Azure's validation
//! at plan (`plan_checks`), so the two can never disagree about what is sent.

use modelrouter_arm::Deployment;
use modelrouter_catalog::Catalog;

use super::lifecycle::DeploymentKind;
use super::state::SETTLED;

/// The deployment as Azure holds it (`current`, on update: read-modify-write keeps the fields this provider does
/// not model) or an empty one (create), with the planned settings applied: only what a client may write.
pub fn put_body<K: DeploymentKind>(
    kind: &K,
    planned: &K::Model,
    current: Option<&Deployment>,
    catalog: &Catalog,
) -> Deployment {
    let mut body = current.cloned().unwrap_or_default();
    kind.apply_to_body(planned, &mut body, catalog);
    body.writable()
}

/// Whether PUTting `body` would change nothing Azure holds (`current`) for a deployment whose last operation
/// completed. The deployment state is not compared: it changes through Azure's pause/resume actions, not a PUT.
pub fn sends_nothing_new(body: &Deployment, current: &Deployment) -> bool {
    let settled = current.provisioning_state().is_some_and(|s| s.eq_ignore_ascii_case(SETTLED));
    let mut holds = current.writable();
    holds.properties.deployment_state = None;
    let mut sent = body.clone();
    sent.properties.deployment_state = None;
    settled && holds == sent
}
