//! The one definition of the body a write PUTs, shared by the apply and by Azure's validation at plan, so the two
//! can never disagree about what is sent.

use modelrouter_arm::Deployment;
use modelrouter_catalog::Catalog;

use super::lifecycle::DeploymentKind;

/// The deployment as Azure holds it (`current`, on update: read-modify-write keeps the fields this provider does
/// not model) or an empty one (create), with the planned settings applied.
pub fn put_body<K: DeploymentKind>(
    kind: &K,
    planned: &K::Model,
    current: Option<Deployment>,
    catalog: &Catalog,
) -> Deployment {
    let mut body = current.unwrap_or_default();
    kind.apply_to_body(planned, &mut body, catalog);
    body
}

/// Whether PUTting `body` would send what Azure already holds (`current`): its read-only provisioning state aside,
/// which a body never carries.
pub fn sends_nothing_new(body: &Deployment, current: &Deployment) -> bool {
    let mut current = current.clone();
    current.properties.provisioning_state = None;
    current == *body
}
