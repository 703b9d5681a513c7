//! Parsing of ARM resource paths. ARM ids are case-insensitive, so segment names are matched ignoring case
//! and every lookup key is the lower-cased canonical id.

use std::fmt;

/// `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{name}`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountPath {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
}

impl AccountPath {
    /// Lower-cased canonical id: the key of the account in the store.
    pub fn key(&self) -> String {
        self.to_string().to_ascii_lowercase()
    }

    /// Canonical id of a deployment of this account.
    pub fn deployment_id(&self, deployment: &str) -> String {
        format!("{self}/deployments/{deployment}")
    }

    /// Parses an account id (anything else, such as a deployment id, is refused).
    pub fn parse(id: &str) -> Option<AccountPath> {
        match parse_arm_path(id)? {
            ArmTarget::Account(account) => Some(account),
            _ => None,
        }
    }
}

impl fmt::Display for AccountPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.CognitiveServices/accounts/{}",
            self.subscription, self.resource_group, self.name
        )
    }
}

/// What an ARM path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArmTarget {
    Account(AccountPath),
    DeploymentList(AccountPath),
    Deployment(AccountPath, String),
    /// `POST .../deployments/{name}/{action}` (`pause`, `resume`).
    DeploymentAction(AccountPath, String, String),
}

/// Lower-cased key of a deployment: `{account key}/deployments/{name lower-cased}`.
pub fn deployment_key(account: &AccountPath, name: &str) -> String {
    account.deployment_id(name).to_ascii_lowercase()
}

/// Parses a path (no query) into the ARM resource it addresses; `None` for anything the emulator does not serve.
pub fn parse_arm_path(path: &str) -> Option<ArmTarget> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let literal = |index: usize, expected: &str| segments.get(index).is_some_and(|s| s.eq_ignore_ascii_case(expected));
    let value = |index: usize| segments.get(index).filter(|s| !s.is_empty()).copied();
    if !(literal(0, "subscriptions")
        && literal(2, "resourceGroups")
        && literal(4, "providers")
        && literal(5, "Microsoft.CognitiveServices")
        && literal(6, "accounts"))
    {
        return None;
    }
    let account = AccountPath {
        subscription: value(1)?.to_string(),
        resource_group: value(3)?.to_string(),
        name: value(7)?.to_string(),
    };
    match segments.len() {
        8 => Some(ArmTarget::Account(account)),
        9 if literal(8, "deployments") => Some(ArmTarget::DeploymentList(account)),
        10 if literal(8, "deployments") => Some(ArmTarget::Deployment(account, value(9)?.to_string())),
        11 if literal(8, "deployments") => {
            Some(ArmTarget::DeploymentAction(account, value(9)?.to_string(), value(10)?.to_ascii_lowercase()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively() {
        let target = parse_arm_path(
            "/SUBSCRIPTIONS/s1/resourcegroups/rg/PROVIDERS/microsoft.cognitiveservices/Accounts/a1/Deployments/d1",
        );
        let account = AccountPath { subscription: "s1".into(), resource_group: "rg".into(), name: "a1".into() };
        assert_eq!(target, Some(ArmTarget::Deployment(account.clone(), "d1".into())));
        assert_eq!(
            account.to_string(),
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a1"
        );
        assert_eq!(
            parse_arm_path(
                "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a1/deployments"
            ),
            Some(ArmTarget::DeploymentList(account))
        );
    }

    #[test]
    fn refuses_other_paths() {
        assert_eq!(parse_arm_path("/subscriptions/s1"), None);
        assert_eq!(parse_arm_path("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/accounts/a1"), None);
        assert_eq!(
            parse_arm_path(
                "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a1/models"
            ),
            None
        );
        assert!(
            AccountPath::parse(
                "/subscriptions/s/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a/deployments/d"
            )
            .is_none()
        );
    }
}
