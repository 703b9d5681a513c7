//! The Claude rule at plan: a router's subset may name a Claude model only once the account deploys it with the
//! router's SKU. The rule itself lives in `claude_guard` (the router's pre-write check applies it too); this module
//! decides what plan can know. Azure's deployment list is one half; the other is what this provider process has
//! planned: Terraform plans a `modelrouter_claude_dependency` the router references before the router, in the same
//! process, and that dependency counts as present.

use std::collections::HashMap;
use std::sync::Mutex;

use modelrouter_arm::{AccountId, Deployment, DeploymentModel, DeploymentProperties, Sku};

use super::finding::{Finding, Rule, Target};
use super::request::PlannedClaude;
use crate::resources::common::ANTHROPIC;
use crate::resources::common::claude_guard::{ClaudeGuardError, ClaudeNeed, check_deployed};

/// The Claude dependencies planned in this provider process, per account.
#[derive(Debug, Default)]
pub struct PlannedClaudeDeployments {
    by_account: Mutex<HashMap<String, Vec<PlannedClaude>>>,
}

impl PlannedClaudeDeployments {
    pub fn remember(&self, account: &AccountId, planned: &PlannedClaude) {
        let mut by_account = self.by_account.lock().unwrap_or_else(|p| p.into_inner());
        let entries = by_account.entry(account.lock_key()).or_default();
        // The same deployment planned again (a re-plan in the same process) replaces what was remembered.
        entries.retain(|e| e.deployment.is_none() || e.deployment != planned.deployment);
        entries.push(planned.clone());
    }

    pub fn in_account(&self, account: &AccountId) -> Vec<PlannedClaude> {
        let by_account = self.by_account.lock().unwrap_or_else(|p| p.into_inner());
        by_account.get(&account.lock_key()).cloned().unwrap_or_default()
    }
}

/// What the account will hold once the planned dependencies are applied: Azure's deployments, each planned one
/// replacing the deployment of the same name.
fn after_planned_writes(deployments: &[Deployment], planned: &[PlannedClaude]) -> Vec<Deployment> {
    let replaced = |d: &Deployment| planned.iter().any(|p| p.deployment.is_some() && p.deployment == d.name);
    deployments
        .iter()
        .filter(|d| !replaced(d))
        .cloned()
        .chain(planned.iter().map(|p| Deployment {
            name: p.deployment.clone(),
            sku: Some(Sku { name: p.sku.clone(), ..Default::default() }),
            properties: DeploymentProperties {
                model: Some(DeploymentModel {
                    format: Some(ANTHROPIC.to_owned()),
                    name: p.model.clone(),
                    version: Some(p.version.clone()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        }))
        .collect()
}

/// The findings for a router's Claude needs: a model without a deployment is a warning (the same configuration may
/// create it), a deployment on another SKU an error (the apply would fail whatever else it does).
pub fn findings(needs: &[ClaudeNeed], deployments: &[Deployment], planned: &[PlannedClaude]) -> Vec<Finding> {
    let account = after_planned_writes(deployments, planned);
    needs.iter().filter_map(|need| check_deployed(&account, need).err()).map(finding).collect()
}

fn finding(error: Box<ClaudeGuardError>) -> Finding {
    let model = error.need().model.clone();
    match *error {
        ClaudeGuardError::NotDeployed(_) => Finding::warning(
            Target::Subset,
            Rule::ClaudeNotDeployed,
            format!("Claude model {model} not deployed in the account"),
            format!(
                "{error}\n\nIf this configuration declares that modelrouter_claude_dependency, reference it from the \
                 router (depends_on, or name = modelrouter_claude_dependency.<name>.model) so Terraform plans and \
                 creates it first; otherwise this router's apply fails."
            ),
        ),
        ClaudeGuardError::OtherSku { .. } => {
            Finding::error(Target::Subset, Rule::ClaudeOtherSku, error.title(), error.to_string())
        }
        ClaudeGuardError::NotSucceeded { .. } => Finding::warning(
            Target::Subset,
            Rule::ClaudeNotSucceeded,
            error.title(),
            format!("{error} The router's apply fails unless it has succeeded by then."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/foundry";

    fn need(sku: &str) -> ClaudeNeed {
        ClaudeNeed {
            router: "router".into(),
            account: ACCOUNT.into(),
            model: "claude-opus-4-8".into(),
            version: "1".into(),
            sku: sku.into(),
        }
    }

    fn planned(name: &str, sku: &str) -> PlannedClaude {
        PlannedClaude {
            deployment: Some(name.into()),
            model: "claude-opus-4-8".into(),
            version: "1".into(),
            sku: sku.into(),
        }
    }

    fn deployed(name: &str, sku: &str, state: &str) -> Deployment {
        let mut d = after_planned_writes(&[], &[planned(name, sku)]).remove(0);
        d.properties.provisioning_state = Some(state.into());
        d
    }

    #[test]
    fn a_missing_model_is_a_warning_naming_the_model_and_the_resource() {
        let found = findings(&[need("GlobalStandard")], &[], &[]);
        assert_eq!(found.len(), 1);
        assert!(!found[0].is_error());
        assert_eq!(found[0].rule, Rule::ClaudeNotDeployed);
        assert!(found[0].summary.contains("claude-opus-4-8"), "{}", found[0]);
        assert!(found[0].detail.contains("modelrouter_claude_dependency"), "{}", found[0]);
    }

    #[test]
    fn a_dependency_planned_in_this_process_counts_as_present() {
        assert!(findings(&[need("GlobalStandard")], &[], &[planned("opus", "GlobalStandard")]).is_empty());
    }

    #[test]
    fn another_sku_is_an_error_with_its_own_title_deployed_or_planned() {
        for (deployments, planned) in [
            (vec![deployed("opus", "GlobalStandard", "Succeeded")], vec![]),
            (vec![], vec![planned("opus", "GlobalStandard")]),
        ] {
            let found = findings(&[need("DataZoneStandard")], &deployments, &planned);
            assert_eq!(found.len(), 1);
            assert!(found[0].is_error());
            assert_eq!(found[0].rule, Rule::ClaudeOtherSku);
            assert_eq!(found[0].summary, "Claude deployment on another SKU than the router");
            assert!(found[0].detail.contains("DataZoneStandard") && found[0].detail.contains("GlobalStandard"));
        }
    }

    #[test]
    fn a_planned_sku_change_replaces_what_azure_holds_under_that_name() {
        let deployments = [deployed("opus", "GlobalStandard", "Succeeded")];
        let planned = [planned("opus", "DataZoneStandard")];
        assert!(findings(&[need("DataZoneStandard")], &deployments, &planned).is_empty());
        assert_eq!(findings(&[need("GlobalStandard")], &deployments, &planned)[0].rule, Rule::ClaudeOtherSku);
    }

    #[test]
    fn a_failed_deployment_is_a_warning() {
        let found = findings(&[need("GlobalStandard")], &[deployed("opus", "GlobalStandard", "Failed")], &[]);
        assert_eq!(found[0].rule, Rule::ClaudeNotSucceeded);
        assert!(!found[0].is_error());
    }

    #[test]
    fn remembered_per_account_and_replaced_by_name() {
        let memory = PlannedClaudeDeployments::default();
        let account = AccountId::parse(ACCOUNT).unwrap();
        let other = AccountId::parse(&ACCOUNT.replace("foundry", "other")).unwrap();
        memory.remember(&account, &planned("opus", "GlobalStandard"));
        memory.remember(&account, &planned("opus", "DataZoneStandard"));
        assert_eq!(memory.in_account(&account), vec![planned("opus", "DataZoneStandard")]);
        let upper = AccountId::parse(&ACCOUNT.replace("foundry", "FOUNDRY")).unwrap();
        assert_eq!(memory.in_account(&upper).len(), 1, "account ids compare case-insensitively");
        assert!(memory.in_account(&other).is_empty());
    }
}
