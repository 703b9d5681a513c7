//! What identifies a deployment — its id, name and account — as a typed part of both resources' models, and the
//! rules both apply to them (Azure applies one name pattern to every deployment).

use modelrouter_arm::{AccountId, DeploymentId, IdError};
use tf_provider::{AttributePath, Diagnostic, Diagnostics, Value};

use super::field::{Field, keep_prior_spelling, plan_case_insensitive};
use super::text::check_trimmed;

/// Attribute names of the identity, shared by both resources' schemas.
pub mod attr {
    pub const ID: &str = "id";
    pub const NAME: &str = "name";
    pub const ACCOUNT_ID: &str = "cognitive_account_id";
}

/// Longest deployment name Azure accepts.
pub const MAX_NAME_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Identity {
    pub id: Field<String>,
    pub name: Field<String>,
    pub account_id: Field<String>,
}

impl Identity {
    pub fn parse(object: &Value) -> Identity {
        Identity {
            id: Field::parse(object.get(attr::ID)),
            name: Field::parse(object.get(attr::NAME)),
            account_id: Field::parse(object.get(attr::ACCOUNT_ID)),
        }
    }

    pub fn attributes(&self) -> [(&'static str, Value); 3] {
        [
            (attr::ID, self.id.to_value()),
            (attr::NAME, self.name.to_value()),
            (attr::ACCOUNT_ID, self.account_id.to_value()),
        ]
    }

    /// The identity of an imported deployment, in the id's spelling.
    pub fn of(id: &DeploymentId) -> Identity {
        Identity {
            id: Field::string(id.to_string()),
            name: Field::string(&id.name),
            account_id: Field::string(id.account.to_string()),
        }
    }

    /// The deployment this identity names.
    pub fn deployment_id(&self) -> Result<DeploymentId, Diagnostic> {
        let account = self.account_id.as_deref().unwrap_or_default();
        let account = AccountId::parse(account).map_err(|error| invalid_account_id(account, &error))?;
        Ok(DeploymentId { account, name: self.name.as_deref().unwrap_or_default().to_owned() })
    }

    /// Sets `id` from the account and name in the spelling the configuration uses, so that ids never differ from
    /// the configuration only in case.
    pub fn with_id(mut self) -> Identity {
        if let (Some(account), Some(name)) = (self.account_id.as_deref(), self.name.as_deref()) {
            self.id = Field::string(format!("{}/deployments/{name}", account.trim_end_matches('/')));
        }
        self
    }

    /// The planned identity: names as configured (or the prior spelling when only the case differs), the id
    /// unknown on create and kept on update. `name` is the name the resource resolved (it may default).
    pub fn plan(config_account: &Field<String>, name: Field<String>, prior: Option<&Identity>) -> Identity {
        match prior {
            None => Identity { id: Field::Unknown, name, account_id: config_account.clone() },
            Some(prior) => Identity {
                id: prior.id.clone(),
                name: plan_case_insensitive(&name, &prior.name),
                account_id: plan_case_insensitive(config_account, &prior.account_id),
            },
        }
    }

    /// The identity for what Azure reports, keeping the base's spelling of the same name.
    pub fn from_arm(base: &Identity, remote_name: Option<&str>) -> Identity {
        let mut identity = base.clone();
        if let Some(name) = remote_name {
            identity.name = keep_prior_spelling(&base.name, name);
        }
        identity.with_id()
    }

    /// Checks `name` (when `check_name`; a defaulted name is checked where it comes from) and
    /// `cognitive_account_id` where they are known.
    pub fn validate(&self, check_name: bool, diags: &mut Diagnostics) {
        let name_path = AttributePath::root().attr(attr::NAME);
        if let Some(name) = self.name.as_deref().filter(|_| check_name)
            && let Err(problem) = check_deployment_name(name)
        {
            diags.error_at(name_path, "Invalid deployment name", format!("name = {name:?}: {problem}"));
        }
        let account_path = AttributePath::root().attr(attr::ACCOUNT_ID);
        if !check_trimmed(&self.account_id, &account_path, diags) {
            return;
        }
        if let Some(id) = self.account_id.as_deref()
            && let Err(error) = AccountId::parse(id)
        {
            diags.push(invalid_account_id(id, &error));
        }
    }
}

/// The diagnostic for a `cognitive_account_id` that is not an account id: the value, why, and the expected form,
/// each once.
pub fn invalid_account_id(id: &str, error: &IdError) -> Diagnostic {
    Diagnostic::error(
        "Invalid cognitive_account_id",
        format!(
            "cognitive_account_id = {id:?} is not the ARM id of an Azure AI Foundry account: {error}. Expected {}.",
            IdError::expected_form(false)
        ),
    )
    .at(AttributePath::root().attr(attr::ACCOUNT_ID))
}

/// `^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`, at most 64 characters.
pub fn check_deployment_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    match chars.next() {
        None => return Err("a deployment name cannot be empty".into()),
        Some(first) if !first.is_ascii_alphanumeric() => {
            return Err(format!("a deployment name must start with a letter or digit, not {first:?}"));
        }
        Some(_) => {}
    }
    if let Some(bad) = chars.find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))) {
        return Err(format!(
            "{bad:?} is not allowed; a deployment name may hold letters, digits, '_', '.' and '-' \
             (pattern ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$)"
        ));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(format!("{} characters is too long; at most {MAX_NAME_LEN} are allowed", name.chars().count()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_azure_pattern() {
        for ok in ["model-router-prod", "a", "R1_v2.0", &"x".repeat(64)] {
            assert!(check_deployment_name(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_with_a_reason() {
        assert!(check_deployment_name("").unwrap_err().contains("empty"));
        assert!(check_deployment_name("-x").unwrap_err().contains("start"));
        assert!(check_deployment_name("a b").unwrap_err().contains("' '"));
        assert!(check_deployment_name(" a").unwrap_err().contains("start"));
        assert!(check_deployment_name("router/1").unwrap_err().contains("'/'"));
        assert!(check_deployment_name(&"x".repeat(65)).unwrap_err().contains("65"));
    }

    #[test]
    fn account_id_with_whitespace_is_an_error_on_the_attribute() {
        let identity = Identity {
            account_id: Field::string(
                " /subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a",
            ),
            ..Identity::default()
        };
        let mut diags = Diagnostics::new();
        identity.validate(true, &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags.iter().next().unwrap().attribute.as_ref().unwrap().to_string(), "cognitive_account_id");
    }
}
