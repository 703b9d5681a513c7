//! Plan-time checks of a deployment against the live account: what only Azure knows, found before the write.
//!
//! For each planned router or Claude deployment whose account id is known at plan, [`Preflight::check`] reads
//! (through the provider's one [`ArmClient`], whose caches make these at most one account GET, one models list
//! per location and one usages list per location per provider process, shared by every resource):
//! - the account: it exists and its `kind` can host the deployment;
//! - the region's models list: the planned version and `sku.name` are offered, `sku.capacity` is within the
//!   SKU's limits, and (router) whether the region lists a router version newer than the embedded catalog;
//! - the region's usages: the SKU's `usageName` has room for the capacity the write adds.
//!
//! - the Claude rule (`claude`): a router's Claude models are deployed in the account with the router's SKU, or
//!   planned earlier in this provider process; one deployments list per router that adds Claude models.
//!
//! Then [`Preflight::ask_azure`] (module `azure`) has Azure Resource Manager validate the exact body the apply
//! would PUT, for what only Azure knows.
//!
//! A check that cannot be made (403, no entry for the model, no usage by that name) is a warning saying what
//! was not checked. Findings are typed ([`Finding`]); the resource maps them to diagnostics with
//! [`Finding::to_diagnostic`].

mod azure;
mod claude;
mod credentials;
mod finding;
mod request;
mod rules;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::{Duration, Instant};

use modelrouter_arm::{ArmClient, ArmError, ArmErrorKind};

use crate::resources::common::claude_guard::ClaudeNeed;

pub use azure::{AzureValidation, BOUND as AZURE_VALIDATION_BOUND};
pub use claude::PlannedClaudeDeployments;
pub use credentials::NoCredentialError;
pub use finding::{Finding, Rule, Severity, Target};
pub use request::{ClaudePlan, DeploymentKind, PlannedClaude, PreflightRequest};

/// Runs the checks. The read caches live in the [`ArmClient`] the provider shares; the one state of its own is what
/// Claude dependencies this provider process has planned.
#[derive(Debug, Clone)]
pub struct Preflight {
    /// Bound on all reads of one check (each read is retried within it).
    pub timeout: Duration,
    planned_claude: Arc<PlannedClaudeDeployments>,
}

impl Default for Preflight {
    fn default() -> Preflight {
        Preflight::new(Duration::from_secs(120))
    }
}

impl Preflight {
    pub fn new(timeout: Duration) -> Preflight {
        Preflight { timeout, planned_claude: Arc::default() }
    }

    /// Every finding for `request`, errors first where they stop further checks.
    pub async fn check(&self, client: &ArmClient, request: &PreflightRequest) -> Vec<Finding> {
        let deadline = Instant::now() + self.timeout;
        if let ClaudePlan::Provides(planned) = &request.claude {
            self.planned_claude.remember(&request.account, planned);
        }
        let account = match client.get_account(&request.account, deadline).await {
            Ok(account) => account,
            Err(error) => return vec![account_failure(client, request, &error)],
        };
        if let Some(finding) = rules::account_kind(request, account.kind.as_deref()) {
            return vec![finding];
        }
        let mut findings = match &request.claude {
            ClaudePlan::Needs(needs) if !needs.is_empty() => self.claude(client, request, needs, deadline).await,
            _ => Vec::new(),
        };
        if !request.check_offer {
            return findings;
        }
        let Some(location) = account.location.as_deref().filter(|l| !l.is_empty()) else {
            findings.push(not_checked(request, "the account reports no location", "the region offer and quota"));
            return findings;
        };
        let subscription = &request.account.subscription;
        let models = match client.list_location_models(subscription, location, deadline).await {
            Ok(models) => models,
            Err(error) => {
                findings.push(not_checked(
                    request,
                    &read_failure("the models list of region", location, &error),
                    "the version, sku.name, sku.capacity limits and quota",
                ));
                return findings;
            }
        };
        let (offer_findings, sku) = rules::offer(request, location, account.kind.as_deref(), &models);
        findings.extend(offer_findings);
        let Some(sku) = sku else {
            return findings;
        };
        if request.needed_quota() == 0 {
            return findings;
        }
        match client.list_location_usages(subscription, location, deadline).await {
            Ok(usages) => findings.extend(rules::quota(request, location, &sku, &usages)),
            Err(error) => findings.push(Finding::warning(
                Target::SkuCapacity,
                Rule::NotChecked,
                "Quota not checked",
                format!(
                    "{}, so the remaining quota for sku.capacity was not checked before the write.",
                    read_failure("the usages of region", location, &error)
                ),
            )),
        }
        findings
    }

    /// The Claude rule for a router's needs, against the account's deployments and the dependencies planned so far.
    async fn claude(
        &self,
        client: &ArmClient,
        request: &PreflightRequest,
        needs: &[ClaudeNeed],
        deadline: Instant,
    ) -> Vec<Finding> {
        match client.read_account_deployments(&request.account, deadline).await {
            Ok(deployments) => claude::findings(needs, &deployments, &self.planned_claude.in_account(&request.account)),
            Err(error) => vec![Finding::warning(
                Target::Subset,
                Rule::NotChecked,
                "Claude deployments not checked",
                format!(
                    "Reading the deployments of {} failed ({error}), so whether the account deploys the Claude \
                     models of the subset with SKU {} was not checked before the write.",
                    request.account, request.sku_name
                ),
            )],
        }
    }
}

/// Why a read failed, in words: 403 says which permission a least-privilege identity lacks.
fn read_failure(what: &str, location: &str, error: &ArmError) -> String {
    if error.is_forbidden() {
        format!(
            "The identity may not read {what} {location} (403 {}; it needs \
             Microsoft.CognitiveServices/locations/*/read on the subscription)",
            error.code().unwrap_or("AuthorizationFailed")
        )
    } else {
        format!("Reading {what} {location} failed: {error}")
    }
}

fn not_checked(request: &PreflightRequest, why: &str, what: &str) -> Finding {
    Finding::warning(
        Target::Account,
        Rule::NotChecked,
        format!("Region offer of {} not checked", request.model_name),
        format!("{why}, so {what} were not checked before the write."),
    )
}

fn account_failure(client: &ArmClient, request: &PreflightRequest, error: &ArmError) -> Finding {
    if let ArmErrorKind::Auth(auth) = &error.kind {
        return NoCredentialError::new(client.credentials_tried(), auth).to_finding();
    }
    if error.status() == Some(404) {
        return Finding::error(
            Target::Account,
            Rule::AccountMissing,
            "Cognitive Services account not found",
            format!("The account {} does not exist (or is in another subscription): {error}", request.account),
        );
    }
    if error.is_forbidden() {
        return Finding::warning(
            Target::Account,
            Rule::NotChecked,
            "Account not checked",
            format!(
                "The identity may not read the account {} (403 {}), so its kind, the region offer and the quota \
                 were not checked before the write.",
                request.account,
                error.code().unwrap_or("AuthorizationFailed")
            ),
        );
    }
    Finding::error(
        Target::Account,
        Rule::AccountUnreadable,
        "Could not read the Cognitive Services account",
        format!("Reading {} failed: {error}", request.account),
    )
}
