//! ARM resource ids of Cognitive Services accounts and their deployments.
//!
//! ARM treats the fixed segments of an id (`subscriptions`, `resourceGroups`, the provider namespace, ...) as
//! case-insensitive, and the service itself sometimes answers `resourcegroups`. Parsing therefore accepts any case
//! for them, while `Display` always renders the canonical spelling. Names keep the case the user gave.

use std::fmt;

const PROVIDER_NAMESPACE: &str = "Microsoft.CognitiveServices";
const MAX_ACCOUNT_NAME: usize = 64;
const MIN_ACCOUNT_NAME: usize = 2;
const MAX_DEPLOYMENT_NAME: usize = 64;
const MAX_RESOURCE_GROUP_NAME: usize = 90;

/// Why a string is not a valid account or deployment id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("the id is empty")]
    Empty,
    /// Says why only: callers name the value (the user typed it, often on the line Terraform shows) and the
    /// expected form ([`IdError::expected_form`]) once each.
    #[error("{reason}")]
    Malformed { id: String, expected: &'static str, reason: String },
}

impl IdError {
    /// The form of an account id, or of a deployment id, for messages.
    pub fn expected_form(deployment: bool) -> &'static str {
        if deployment {
            "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.CognitiveServices/accounts/{account}/deployments/{deployment}"
        } else {
            "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.CognitiveServices/accounts/{account}"
        }
    }
}

/// A `Microsoft.CognitiveServices/accounts` resource id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountId {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
}

/// A `Microsoft.CognitiveServices/accounts/deployments` resource id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeploymentId {
    pub account: AccountId,
    pub name: String,
}

impl AccountId {
    /// Parses an account id; segment names are matched case-insensitively.
    pub fn parse(s: &str) -> Result<AccountId, IdError> {
        let segments = split(s, "account")?;
        match segments.len() {
            8 => parse_account(s, &segments, "account"),
            10 => Err(malformed(
                s,
                "account",
                "this is a deployment id; use the id of its account (drop `/deployments/...`)",
            )),
            n => Err(malformed(s, "account", format!("it has {n} path segments, an account id has 8"))),
        }
    }

    /// The key under which writes to this account are serialised: the canonical id, lower-cased.
    pub fn lock_key(&self) -> String {
        self.to_string().to_lowercase()
    }

    /// The id of a deployment of this account.
    pub fn deployment(&self, name: impl Into<String>) -> DeploymentId {
        DeploymentId { account: self.clone(), name: name.into() }
    }
}

impl DeploymentId {
    /// Parses a deployment id; segment names are matched case-insensitively.
    pub fn parse(s: &str) -> Result<DeploymentId, IdError> {
        let segments = split(s, "deployment")?;
        if segments.len() != 10 {
            let hint = if segments.len() == 8 {
                "this is an account id; a deployment id ends with `/deployments/{name}`".to_string()
            } else {
                format!("it has {} path segments, a deployment id has 10", segments.len())
            };
            return Err(malformed(s, "deployment", hint));
        }
        let account = parse_account(s, &segments[..8], "deployment")?;
        expect_keyword(s, "deployment", segments[8], "deployments")?;
        let name = segments[9];
        validate_name(s, "deployment", "deployment name", name, 1, MAX_DEPLOYMENT_NAME)?;
        Ok(DeploymentId { account, name: name.to_string() })
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "/subscriptions/{}/resourceGroups/{}/providers/{PROVIDER_NAMESPACE}/accounts/{}",
            self.subscription, self.resource_group, self.name
        )
    }
}

impl fmt::Display for DeploymentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/deployments/{}", self.account, self.name)
    }
}

impl std::str::FromStr for AccountId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        AccountId::parse(s)
    }
}

impl std::str::FromStr for DeploymentId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        DeploymentId::parse(s)
    }
}

fn malformed(id: &str, expected: &'static str, reason: impl Into<String>) -> IdError {
    IdError::Malformed { id: id.to_string(), expected, reason: reason.into() }
}

fn split<'a>(s: &'a str, expected: &'static str) -> Result<Vec<&'a str>, IdError> {
    if s.trim().is_empty() {
        return Err(IdError::Empty);
    }
    let Some(rest) = s.strip_prefix('/') else {
        return Err(malformed(s, expected, "it must start with `/subscriptions/`"));
    };
    let segments: Vec<&str> = rest.split('/').collect();
    if segments.iter().any(|seg| seg.is_empty()) {
        return Err(malformed(s, expected, "it contains an empty path segment (`//` or a trailing `/`)"));
    }
    if let Some(seg) = segments.iter().find(|seg| seg.trim() != **seg) {
        return Err(malformed(s, expected, format!("segment `{seg}` has leading or trailing whitespace")));
    }
    Ok(segments)
}

fn expect_keyword(id: &str, expected: &'static str, got: &str, keyword: &str) -> Result<(), IdError> {
    if got.eq_ignore_ascii_case(keyword) {
        Ok(())
    } else {
        Err(malformed(id, expected, format!("found `{got}` where `{keyword}` belongs")))
    }
}

fn parse_account(id: &str, seg: &[&str], expected: &'static str) -> Result<AccountId, IdError> {
    expect_keyword(id, expected, seg[0], "subscriptions")?;
    expect_keyword(id, expected, seg[2], "resourceGroups")?;
    expect_keyword(id, expected, seg[4], "providers")?;
    expect_keyword(id, expected, seg[5], PROVIDER_NAMESPACE)?;
    expect_keyword(id, expected, seg[6], "accounts")?;
    let subscription = seg[1];
    if !subscription.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(malformed(id, expected, format!("subscription `{subscription}` is not a subscription id")));
    }
    let resource_group = seg[3];
    if resource_group.len() > MAX_RESOURCE_GROUP_NAME {
        return Err(malformed(
            id,
            expected,
            format!("resource group name is longer than {MAX_RESOURCE_GROUP_NAME} characters"),
        ));
    }
    let name = seg[7];
    validate_name(id, expected, "account name", name, MIN_ACCOUNT_NAME, MAX_ACCOUNT_NAME)?;
    Ok(AccountId {
        subscription: subscription.to_string(),
        resource_group: resource_group.to_string(),
        name: name.to_string(),
    })
}

/// Account and deployment names: `^[a-zA-Z0-9][a-zA-Z0-9_.-]*$` within the given length bounds.
fn validate_name(
    id: &str,
    expected: &'static str,
    what: &str,
    name: &str,
    min: usize,
    max: usize,
) -> Result<(), IdError> {
    let len = name.chars().count();
    if len < min || len > max {
        return Err(malformed(id, expected, format!("{what} `{name}` must be {min} to {max} characters long")));
    }
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !first_ok || !rest_ok {
        return Err(malformed(
            id,
            expected,
            format!(
                "{what} `{name}` must start with a letter or digit and contain only letters, digits, `_`, `.` and `-`"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-AI/providers/Microsoft.CognitiveServices/accounts/Foundry1";

    #[test]
    fn parses_canonical_account_id_and_round_trips() {
        let id = AccountId::parse(ACCOUNT).unwrap();
        assert_eq!(id.subscription, "00000000-0000-0000-0000-000000000001");
        assert_eq!(id.resource_group, "rg-AI");
        assert_eq!(id.name, "Foundry1");
        assert_eq!(id.to_string(), ACCOUNT);
    }

    #[test]
    fn segment_names_are_case_insensitive_and_display_is_canonical() {
        let variant = "/SUBSCRIPTIONS/sub1/resourcegroups/rg/PROVIDERS/microsoft.cognitiveservices/Accounts/acct";
        let id = AccountId::parse(variant).unwrap();
        assert_eq!(
            id.to_string(),
            "/subscriptions/sub1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct"
        );
        let dep = DeploymentId::parse(&format!("{variant}/DEPLOYMENTS/router")).unwrap();
        assert_eq!(dep.account, id);
        assert_eq!(dep.name, "router");
        assert_eq!(dep.to_string(), format!("{id}/deployments/router"));
    }

    #[test]
    fn lock_key_is_lower_cased_canonical_id() {
        let a = AccountId::parse(ACCOUNT).unwrap();
        let b = AccountId::parse(&ACCOUNT.to_lowercase()).unwrap();
        assert_eq!(a.lock_key(), b.lock_key());
        assert_eq!(a.lock_key(), ACCOUNT.to_lowercase());
        // names keep their case, so the ids themselves differ
        assert_ne!(a, b);
    }

    #[test]
    fn deployment_id_round_trips() {
        let s = format!("{ACCOUNT}/deployments/model-router_1.prod");
        let id = DeploymentId::parse(&s).unwrap();
        assert_eq!(id.name, "model-router_1.prod");
        assert_eq!(id.to_string(), s);
        assert_eq!(AccountId::parse(ACCOUNT).unwrap().deployment("model-router_1.prod"), id);
    }

    fn reason(err: IdError) -> String {
        err.to_string()
    }

    #[test]
    fn rejects_bad_ids_with_clear_errors() {
        assert_eq!(AccountId::parse("  "), Err(IdError::Empty));
        assert!(reason(AccountId::parse("subscriptions/s/resourceGroups/r").unwrap_err()).contains("must start with"));
        let wrong_provider = ACCOUNT.replace("Microsoft.CognitiveServices", "Microsoft.Storage");
        let msg = reason(AccountId::parse(&wrong_provider).unwrap_err());
        assert!(msg.contains("`Microsoft.Storage` where `Microsoft.CognitiveServices` belongs"), "{msg}");
        let msg = reason(AccountId::parse(&format!("{ACCOUNT}/")).unwrap_err());
        assert!(msg.contains("empty path segment"), "{msg}");
        let msg = reason(AccountId::parse(&format!("{ACCOUNT}/deployments/x")).unwrap_err());
        assert!(msg.contains("this is a deployment id"), "{msg}");
        let msg = reason(DeploymentId::parse(ACCOUNT).unwrap_err());
        assert!(msg.contains("this is an account id"), "{msg}");
        let msg = reason(DeploymentId::parse(&format!("{ACCOUNT}/deployment/x")).unwrap_err());
        assert!(msg.contains("`deployment` where `deployments` belongs"), "{msg}");
        let msg = reason(DeploymentId::parse(&format!("{ACCOUNT}/deployments/-bad")).unwrap_err());
        assert!(msg.contains("must start with a letter or digit"), "{msg}");
        let msg = reason(DeploymentId::parse(&format!("{ACCOUNT}/deployments/{}", "a".repeat(65))).unwrap_err());
        assert!(msg.contains("1 to 64 characters"), "{msg}");
        let short = ACCOUNT.replace("Foundry1", "f");
        assert!(reason(AccountId::parse(&short).unwrap_err()).contains("2 to 64 characters"));
        let msg = reason(
            AccountId::parse("/subscriptions/a b/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/ab")
                .unwrap_err(),
        );
        assert!(msg.contains("not a subscription id"), "{msg}");
        // The message says why only; callers name the value and the expected form once each.
        assert!(!msg.contains("expected") && !msg.contains("/providers/"), "{msg}");
        assert!(IdError::expected_form(false).ends_with("/accounts/{account}"));
        assert!(IdError::expected_form(true).ends_with("/accounts/{account}/deployments/{deployment}"));
    }
}
