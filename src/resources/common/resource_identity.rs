//! The resource identity of both resources (Terraform >= 1.12): the deployment's subscription, resource group,
//! account and name — the attributes azurerm gives `azurerm_cognitive_deployment`, so identities, `import` blocks
//! with `identity` and `terraform query` results read the same for both providers.
//!
//! The identity is derived from the state's `cognitive_account_id` and `name` (see `tf_provider::identity`), and an
//! import by identity runs the import by id of the deployment id it spells.

use modelrouter_arm::{AccountId, DeploymentId};
use tf_provider::{
    AttributePath, Diagnostic, Diagnostics, IdentityAttribute, IdentitySchema, ResourceIdentity, Type, Value,
};

use super::identity::attr::{ACCOUNT_ID, NAME};

/// Identity attribute names.
pub mod attr {
    pub const SUBSCRIPTION_ID: &str = "subscription_id";
    pub const RESOURCE_GROUP_NAME: &str = "resource_group_name";
    pub const ACCOUNT_NAME: &str = "account_name";
    pub const NAME: &str = "name";
}

/// `{subscription_id, resource_group_name, account_name, name}` of a deployment.
pub struct DeploymentIdentity;

impl ResourceIdentity for DeploymentIdentity {
    fn schema(&self) -> IdentitySchema {
        let attribute = |name, description| IdentityAttribute::required(name, Type::String).describe(description);
        IdentitySchema::new(vec![
            attribute(attr::SUBSCRIPTION_ID, "The id of the Azure subscription that holds the account."),
            attribute(attr::RESOURCE_GROUP_NAME, "The resource group of the Azure AI Foundry account."),
            attribute(attr::ACCOUNT_NAME, "The name of the Azure AI Foundry account."),
            attribute(attr::NAME, "The name of the deployment."),
        ])
    }

    fn of_state(&self, state: &Value) -> Value {
        let name = state.get(NAME);
        let [subscription, resource_group, account] = match state.get(ACCOUNT_ID) {
            Value::String(id) => match AccountId::parse(id) {
                Ok(account) => [account.subscription, account.resource_group, account.name].map(Value::String),
                // Validation refuses such a configuration; a state without a valid account names nothing.
                Err(_) => return Value::Null,
            },
            unknown if unknown.is_unknown() => [Value::unknown(), Value::unknown(), Value::unknown()],
            _ => return Value::Null,
        };
        if name.is_null() {
            return Value::Null;
        }
        Value::object([
            (attr::SUBSCRIPTION_ID, subscription),
            (attr::RESOURCE_GROUP_NAME, resource_group),
            (attr::ACCOUNT_NAME, account),
            (attr::NAME, name.clone()),
        ])
    }

    fn import_id(&self, identity: &Value) -> Result<String, Diagnostics> {
        let mut diags = Diagnostics::new();
        let mut part = |name: &str| {
            let value = identity.get(name).as_str().unwrap_or_default();
            if value.is_empty() || value.contains('/') || value.trim() != value {
                diags.push(
                    Diagnostic::error(
                        "Invalid identity attribute",
                        format!(
                            "{name} = {value:?}: an identity attribute is one segment of the deployment's ARM id, \
                             not empty, without '/' and without surrounding spaces."
                        ),
                    )
                    .at(AttributePath::root().attr(name)),
                );
            }
            value.to_owned()
        };
        let account = AccountId {
            subscription: part(attr::SUBSCRIPTION_ID),
            resource_group: part(attr::RESOURCE_GROUP_NAME),
            name: part(attr::ACCOUNT_NAME),
        };
        let id = DeploymentId { account, name: part(attr::NAME) };
        if diags.has_errors() { Err(diags) } else { Ok(id.to_string()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str = "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acc";

    fn state(account: Value, name: Value) -> Value {
        Value::object([(ACCOUNT_ID, account), (NAME, name)])
    }

    #[test]
    fn the_identity_spells_out_the_account_id_and_the_name() {
        let identity = DeploymentIdentity.of_state(&state(Value::string(ACCOUNT), Value::string("router")));
        assert_eq!(identity.get(attr::SUBSCRIPTION_ID).as_str(), Some("sub"));
        assert_eq!(identity.get(attr::RESOURCE_GROUP_NAME).as_str(), Some("rg"));
        assert_eq!(identity.get(attr::ACCOUNT_NAME).as_str(), Some("acc"));
        assert_eq!(identity.get(attr::NAME).as_str(), Some("router"));
        assert_eq!(DeploymentIdentity.import_id(&identity).unwrap(), format!("{ACCOUNT}/deployments/router"));
    }

    #[test]
    fn unknown_parts_stay_unknown_and_a_null_state_has_no_identity() {
        let identity = DeploymentIdentity.of_state(&state(Value::unknown(), Value::string("router")));
        assert!(identity.get(attr::ACCOUNT_NAME).is_unknown());
        assert_eq!(identity.get(attr::NAME).as_str(), Some("router"));
        assert!(DeploymentIdentity.of_state(&Value::Null).is_null());
        assert!(DeploymentIdentity.of_state(&state(Value::string("not-an-id"), Value::string("r"))).is_null());
    }

    #[test]
    fn an_identity_attribute_that_is_not_one_id_segment_is_an_error_on_it() {
        let identity = Value::object([
            (attr::SUBSCRIPTION_ID, Value::string("sub")),
            (attr::RESOURCE_GROUP_NAME, Value::string("rg/x")),
            (attr::ACCOUNT_NAME, Value::string("")),
            (attr::NAME, Value::string("router")),
        ]);
        let diags = DeploymentIdentity.import_id(&identity).unwrap_err();
        let paths: Vec<String> = diags.iter().map(|d| d.attribute.as_ref().unwrap().to_string()).collect();
        assert_eq!(paths, [attr::RESOURCE_GROUP_NAME, attr::ACCOUNT_NAME]);
        assert!(diags.iter().next().unwrap().detail.contains(r#"resource_group_name = "rg/x""#));
    }
}
