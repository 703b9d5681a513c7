//! The plan-time checks of a deployment against the live account, in order: the provider's own rules
//! ([`Preflight::check`]), then Azure Resource Manager's validation of the exact body the apply would PUT
//! ([`Preflight::ask_azure`]). Both are skipped before `Configure` (`terraform validate`) and with
//! `preflight_checks = false`.
//!
//! Azure is asked once per resource per plan, and only when the plan writes something new: never on a no-op plan,
//! nor on an update whose body equals what Azure holds. A change that replaces the deployment is validated as the
//! create Terraform plans for it (with no prior state), never as an update Azure would refuse. When the configuration holds values not known until apply,
//! Azure is not asked at plan (the body would not be the one sent); Terraform plans each resource again right
//! before its apply, with those values known, and Azure is asked then, before the write.

use std::sync::atomic::Ordering;
use std::time::Instant;

use modelrouter_arm::{Deployment, DeploymentId};
use modelrouter_catalog::Catalog;
use tf_provider::{AttributePath, Diagnostics, PathStep, Value};

use super::lifecycle::{DeploymentKind, ResourceModel};
use super::put_body::{put_body, sends_nothing_new};
use crate::preflight::{AzureValidation, Finding, Rule, Target};
use crate::state::{Configured, ProviderState};

/// Configuration attributes Azure never sees: an unknown one does not change the body.
const NOT_SENT: [&str; 2] = ["timeouts", "min_context_window"];

/// The checks for a planned create or update, as diagnostics on the attributes they concern.
pub async fn run<K: DeploymentKind>(
    kind: &K,
    provider: &ProviderState,
    planned: &K::Model,
    prior: Option<&K::Model>,
    config: &Value,
    catalog: &Catalog,
) -> Diagnostics {
    let Ok(configured) = provider.configured() else {
        return Diagnostics::new();
    };
    let Some(preflight) = &configured.preflight else {
        return Diagnostics::new();
    };
    let client = &configured.client;
    let mut findings = match kind.preflight_request(planned, prior, catalog) {
        Some(request) => preflight.check(client, &request).await,
        None => Vec::new(),
    };
    findings.retain(|finding| {
        finding.rule != Rule::NewerRouterVersion
            || !configured.newer_router_version_reported.swap(true, Ordering::Relaxed)
    });
    let writes = match prior {
        None => true,
        Some(prior) => prior != planned && !replaces(&kind.requires_replace(), prior, planned),
    };
    if writes && sent_values_known(config) {
        match body_to_validate(kind, &configured, planned, prior, catalog, preflight.timeout).await {
            Ok(Some((id, body))) => {
                let request = AzureValidation { id: &id, body: &body };
                preflight.ask_azure(client, &request, &mut findings).await;
            }
            Ok(None) => {}
            Err(finding) => findings.push(finding),
        }
    }
    findings
        .into_iter()
        .inspect(|finding| tracing::info!(resource = K::TYPE_NAME, "preflight: {finding}"))
        .map(|finding| finding.to_diagnostic(K::PREFLIGHT_KIND))
        .collect()
}

/// Whether the plan changes an attribute that replaces the deployment: Terraform then plans the create on its own.
fn replaces<M: ResourceModel>(paths: &[AttributePath], prior: &M, planned: &M) -> bool {
    let (prior, planned) = (prior.to_value(), planned.to_value());
    paths.iter().any(|path| at(&prior, path) != at(&planned, path))
}

fn at<'v>(value: &'v Value, path: &AttributePath) -> &'v Value {
    path.0.iter().fold(value, |value, step| match step {
        PathStep::Attribute(name) => value.get(name),
        PathStep::ElementKeyString(key) => value.get_key(key),
        PathStep::ElementKeyInt(index) => {
            usize::try_from(*index).ok().and_then(|i| value.elements().get(i)).unwrap_or(&Value::Null)
        }
    })
}

/// Whether every configured value Azure would see is known (see the module docs for what happens otherwise).
fn sent_values_known(config: &Value) -> bool {
    let known = config.entries().is_none_or(|attributes| {
        attributes.iter().all(|(name, value)| NOT_SENT.contains(&name.as_str()) || value.is_wholly_known())
    });
    if !known {
        tracing::info!("preflight: the configuration holds values known only at apply; Azure validates then");
    }
    known
}

/// The deployment and the body its apply would PUT, built as the apply builds it; `None` when the id is not known
/// yet or the body sends nothing Azure does not hold already.
async fn body_to_validate<K: DeploymentKind>(
    kind: &K,
    configured: &Configured,
    planned: &K::Model,
    prior: Option<&K::Model>,
    catalog: &Catalog,
    timeout: std::time::Duration,
) -> Result<Option<(DeploymentId, Deployment)>, Finding> {
    let Ok(id) = planned.identity().deployment_id() else {
        return Ok(None);
    };
    let current = match prior {
        None => None,
        Some(_) => configured.client.get_deployment(&id, Instant::now() + timeout).await.map_err(|error| {
            Finding::warning(
                Target::Resource,
                Rule::NotChecked,
                "Azure did not validate the deployment",
                format!(
                    "Reading {id} (the body an update sends starts from it) failed, so Azure Resource Manager's own \
                     validation did not run: {error}."
                ),
            )
        })?,
    };
    let body = put_body(kind, planned, current.as_ref(), catalog);
    if current.as_ref().is_some_and(|current| sends_nothing_new(&body, current)) {
        return Ok(None);
    }
    Ok(Some((id, body)))
}
