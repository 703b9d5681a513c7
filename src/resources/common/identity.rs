//! What identifies a deployment — its name and its account — and the rules both resources apply to them
//! (Azure applies one name pattern to every deployment).

use modelrouter_arm::AccountId;
use tf_provider::{AttributePath, Diagnostics, Value};

/// Longest deployment name Azure accepts.
pub const MAX_NAME_LEN: usize = 64;

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

/// Checks `name` and `cognitive_account_id` where they are known.
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    if let Some(name) = config.get("name").as_str() {
        if let Err(problem) = check_deployment_name(name) {
            diags.error_at(
                AttributePath::root().attr("name"),
                "Invalid deployment name",
                format!("name = {name:?}: {problem}"),
            );
        }
    }
    if let Some(id) = config.get("cognitive_account_id").as_str() {
        if let Err(error) = AccountId::parse(id) {
            diags.error_at(
                AttributePath::root().attr("cognitive_account_id"),
                "Invalid cognitive_account_id",
                format!(
                    "cognitive_account_id = {id:?} is not the ARM id of an Azure AI Foundry account ({error}). \
                     Expected /subscriptions/{{id}}/resourceGroups/{{rg}}/providers/Microsoft.CognitiveServices/accounts/{{name}}."
                ),
            );
        }
    }
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
        assert!(check_deployment_name("router/1").unwrap_err().contains("'/'"));
        assert!(check_deployment_name(&"x".repeat(65)).unwrap_err().contains("65"));
    }
}
