//! Azure's own preflight: Azure Resource Manager's template validation of the exact body the apply would PUT.
//!
//! The provider's rules ([`super::rules`]) are its reading of what Azure refuses; the service refuses more than
//! anyone has written down. ARM validates a one-resource template holding the body (same api-version, same
//! read-modify-write body, built by the same function as the apply's) without writing anything, so a refusal
//! shows at plan, on the attribute the inner error names. What keeps Azure from answering (403 without
//! `Microsoft.Resources/deployments/validate/action`, a validation that does not finish within [`BOUND`], a 5xx
//! after retries) is a warning saying Azure did not check the body; the provider's own checks still ran.
//!
//! Where the provider's own checks already explain a refusal (the Claude rule, quota, region offer, SKU), Azure's
//! code and message are added to that finding, so the diagnostic carries both.

use std::time::{Duration, Instant};

use modelrouter_arm::{ArmClient, ArmError, ArmErrorKind, Deployment, DeploymentId, ErrorDetail, Refusal, Validation};

use super::Preflight;
use super::finding::{Finding, Rule, Target};
use crate::resources::common::ANTHROPIC;
use crate::resources::common::claude_guard::{ClaudeGuardError, ClaudeNeed, check_deployed};

/// How long Azure's validation of one body may take, its retries and polls included.
pub const BOUND: Duration = Duration::from_secs(30);

/// The rules whose error means there is nothing for Azure to validate against (no such account, no credential).
const NOTHING_TO_VALIDATE: [Rule; 4] =
    [Rule::AccountMissing, Rule::NoCredential, Rule::AccountUnreadable, Rule::AccountKind];

/// One body to validate: the deployment it would be PUT as.
pub struct AzureValidation<'a> {
    pub id: &'a DeploymentId,
    pub body: &'a Deployment,
}

impl Preflight {
    /// Asks Azure to validate the body, adding what it says to `findings` (the provider's own, for this plan).
    pub async fn ask_azure(&self, client: &ArmClient, request: &AzureValidation<'_>, findings: &mut Vec<Finding>) {
        if findings.iter().any(|f| f.is_error() && NOTHING_TO_VALIDATE.contains(&f.rule)) {
            return;
        }
        let deadline = Instant::now() + BOUND;
        match client.validate_deployment(request.id, request.body, deadline).await {
            Ok(Validation::Valid) => {}
            Ok(Validation::Refused(refusal)) => {
                if let Some(waiting) = claude_not_yet_deployed(client, request, &refusal, deadline).await {
                    findings.push(waiting);
                    return;
                }
                for reason in refusal.reasons() {
                    add_refusal(findings, &reason);
                }
            }
            Err(error) => findings.push(not_validated(request.id, &error)),
        }
    }
}

/// Azure's refusal as an error on the attribute its inner error names, or added to the provider's own error about
/// the same thing (or the plan's first error), so the provider's guidance and Azure's words appear together.
fn add_refusal(findings: &mut Vec<Finding>, reason: &ErrorDetail) {
    let target = target_of(reason);
    let azure = format!("{}: {}", reason.code, reason.message);
    let explained = findings
        .iter()
        .position(|f| f.is_error() && f.rule != Rule::AzureRefused && f.target == target)
        .or_else(|| findings.iter().position(|f| f.is_error() && f.rule != Rule::AzureRefused));
    match explained {
        Some(index) => {
            findings[index].detail.push_str(&format!("\n\nAzure's own validation refuses the body too: {azure}"))
        }
        None => findings.push(Finding::error(
            target,
            Rule::AzureRefused,
            format!("Azure refuses the deployment: {}", reason.code),
            format!(
                "Azure Resource Manager's validation of the exact body the apply would send refused it: {azure}. \
                 Nothing was written."
            ),
        )),
    }
}

/// The attribute an inner error's `target` names (`sku.capacity`, `properties.routing.models`, ...).
fn target_of(reason: &ErrorDetail) -> Target {
    let named = reason.target.as_deref().unwrap_or_default().to_ascii_lowercase();
    if named.is_empty() {
        Target::Resource
    } else if named.contains("routing") {
        Target::Routing
    } else if named.contains("modelproviderdata") {
        Target::ModelProviderData
    } else if named.contains("capacity") {
        Target::SkuCapacity
    } else if named.contains("sku") {
        Target::SkuName
    } else if named.contains("raipolicy") {
        Target::RaiPolicy
    } else if named.ends_with("version") {
        Target::Version
    } else {
        Target::Resource
    }
}

/// The Claude rule, when Azure refuses a router that routes to Claude models. A routed Claude model the account
/// does not hold at all is what a configuration creating both plans: that rule is left to the provider's own Claude
/// check before the write, and the refusal is a warning carrying Azure's words. A Claude deployment that exists but
/// cannot serve the router (another SKU, not Succeeded) is an error with the provider's advice and Azure's words.
/// `None` when the router routes to no Claude model, every routed one is deployed as needed, or the deployments
/// cannot be listed (then Azure's refusal stands as it is: it is never hidden on a guess).
async fn claude_not_yet_deployed(
    client: &ArmClient,
    request: &AzureValidation<'_>,
    refusal: &Refusal,
    deadline: Instant,
) -> Option<Finding> {
    let routing = request.body.properties.routing.as_ref()?.models.as_deref()?;
    let claude: Vec<_> =
        routing.iter().filter(|m| m.format.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(ANTHROPIC))).collect();
    if claude.is_empty() {
        return None;
    }
    let account = &request.id.account;
    let deployments = client.read_account_deployments(account, deadline).await.ok()?;
    let sku = request.body.sku.as_ref().map(|s| s.name.as_str()).unwrap_or_default();
    let mut absent = Vec::new();
    let mut unusable = Vec::new();
    for model in claude {
        let need = ClaudeNeed {
            router: request.id.name.clone(),
            account: account.to_string(),
            model: model.name.clone(),
            version: model.version.clone().unwrap_or_default(),
            sku: sku.to_owned(),
        };
        match check_deployed(&deployments, &need).map_err(|e| *e) {
            Ok(()) => {}
            Err(ClaudeGuardError::NotDeployed(_)) => {
                absent.push(format!("{} (version {})", model.name, model.version.as_deref().unwrap_or("any")));
            }
            Err(cannot_serve) => unusable.push(cannot_serve.to_string()),
        }
    }
    let azure: Vec<String> = refusal.reasons().iter().map(|r| format!("{}: {}", r.code, r.message)).collect();
    let azure = azure.join("; ");
    if !unusable.is_empty() {
        return Some(Finding::error(
            Target::Routing,
            Rule::AzureRefused,
            "Claude deployment cannot serve the router",
            format!("{}\n\nAzure's own validation refuses the body too: {azure}", unusable.join("\n\n")),
        ));
    }
    if absent.is_empty() {
        return None;
    }
    Some(Finding::warning(
        Target::Routing,
        Rule::NotChecked,
        "Azure did not validate the router yet",
        format!(
            "The router routes to {}, which the account {account} does not hold yet: a \
             modelrouter_claude_dependency planned in this run creates it. Azure refuses a router before its Claude \
             deployments exist ({azure}), so its validation of this router waits for them; the provider checks the \
             Claude deployment before the write.",
            absent.join(", "),
        ),
    ))
}

/// Why Azure did not validate: no permission, no answer within the bound, or a failure after retries.
fn not_validated(id: &DeploymentId, error: &ArmError) -> Finding {
    let why = if error.is_forbidden() {
        format!(
            "the identity may not validate templates (403 {}; it needs \
             Microsoft.Resources/deployments/validate/action on resource group {})",
            error.code().unwrap_or("AuthorizationFailed"),
            id.account.resource_group
        )
    } else if matches!(error.kind, ArmErrorKind::DeadlineExceeded { .. }) {
        format!("Azure did not finish validating within {} s ({error})", BOUND.as_secs())
    } else {
        format!("asking Azure failed: {error}")
    };
    Finding::warning(
        Target::Resource,
        Rule::NotChecked,
        "Azure did not validate the deployment",
        format!(
            "Azure Resource Manager's own validation of the body for {id} did not run: {why}. The provider's own \
             checks ran; anything only Azure knows shows at apply."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(target: Option<&str>) -> ErrorDetail {
        ErrorDetail { code: "Code".into(), message: "Message.".into(), target: target.map(str::to_owned) }
    }

    #[test]
    fn the_inner_errors_target_names_the_attribute() {
        let cases = [
            (Some("properties.routing.models"), Target::Routing),
            (Some("properties.modelProviderData"), Target::ModelProviderData),
            (Some("sku.capacity"), Target::SkuCapacity),
            (Some("sku.name"), Target::SkuName),
            (Some("properties.raiPolicyName"), Target::RaiPolicy),
            (Some("properties.model.version"), Target::Version),
            (Some("properties.somethingNew"), Target::Resource),
            (None, Target::Resource),
        ];
        for (target, expected) in cases {
            assert_eq!(target_of(&reason(target)), expected, "{target:?}");
        }
    }

    #[test]
    fn a_refusal_joins_the_providers_own_error_or_stands_alone() {
        let own = Finding::error(Target::SkuCapacity, Rule::CapacityLimits, "Capacity", "At most 100.");
        let mut findings = vec![Finding::warning(Target::Account, Rule::NotChecked, "w", "w"), own];
        add_refusal(&mut findings, &reason(Some("sku.capacity")));
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert!(findings[1].detail.starts_with("At most 100.") && findings[1].detail.ends_with("Code: Message."));

        let mut findings = Vec::new();
        add_refusal(&mut findings, &reason(Some("properties.raiPolicyName")));
        add_refusal(&mut findings, &reason(None));
        assert_eq!(findings.len(), 2, "each of Azure's reasons is its own error: {findings:?}");
        assert_eq!((findings[0].rule, findings[0].target), (Rule::AzureRefused, Target::RaiPolicy));
        assert!(findings[0].detail.contains("Code: Message."), "{}", findings[0].detail);
    }
}
