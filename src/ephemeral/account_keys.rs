//! `ephemeral "modelrouter_account_keys"`: the account's API keys and endpoint, read with `listKeys` when
//! Terraform opens it, so a gateway or a provider block can use the key without it ever reaching state.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use modelrouter_arm::AccountId;

use crate::resources::common::identity::invalid_account_id;
use tf_provider::{
    Attribute, AttributePath, Block, Diagnostic, Diagnostics, EphemeralResource, OpenRequest, OpenResponse, Schema,
    Type, Value,
};

use crate::state::ProviderState;

pub const TYPE_NAME: &str = "modelrouter_account_keys";
use crate::resources::common::identity::attr::ACCOUNT_ID;
const KEY1: &str = "key1";
const KEY2: &str = "key2";
const ENDPOINT: &str = "endpoint";

/// How long listKeys and the account read may take together (ARM answers both in well under a second).
const OPEN_TIMEOUT: Duration = Duration::from_secs(120);

pub struct AccountKeys {
    provider: Arc<ProviderState>,
}

impl AccountKeys {
    pub fn new(provider: Arc<ProviderState>) -> AccountKeys {
        AccountKeys { provider }
    }
}

fn account_id(config: &Value) -> Result<Option<AccountId>, Diagnostic> {
    let Some(id) = config.get(ACCOUNT_ID).as_str() else {
        return Ok(None);
    };
    AccountId::parse(id).map(Some).map_err(|error| invalid_account_id(id, &error))
}

#[async_trait]
impl EphemeralResource for AccountKeys {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new()
                .describe(
                    "The API keys and endpoint of an Azure AI Foundry account, read with the account's `listKeys` \
                     action each time Terraform opens it and never written to a plan or state file (Terraform >= \
                     1.10). Use it in a provider block, a write-only attribute (e.g. a Key Vault secret's \
                     `value_wo`) or a gateway's environment.",
                )
                .attribute(
                    Attribute::required(ACCOUNT_ID, Type::String)
                        .describe("ARM id of the Azure AI Foundry (Cognitive Services) account."),
                )
                .attribute(
                    Attribute::computed_only(KEY1, Type::String).sensitive().describe("The account's first key."),
                )
                .attribute(
                    Attribute::computed_only(KEY2, Type::String).sensitive().describe("The account's second key."),
                )
                .attribute(
                    Attribute::computed_only(ENDPOINT, Type::String)
                        .describe("The account's `properties.endpoint`, the base URL of its inference API."),
                ),
        )
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        match account_id(config) {
            Ok(_) => Diagnostics::new(),
            Err(diagnostic) => diagnostic.into(),
        }
    }

    async fn open(&self, req: OpenRequest) -> OpenResponse {
        let account = match account_id(&req.config) {
            Ok(Some(account)) => account,
            Ok(None) => {
                return OpenResponse::failed(
                    Diagnostic::error("Missing cognitive_account_id", "cognitive_account_id must be set.")
                        .at(AttributePath::new(ACCOUNT_ID))
                        .into(),
                );
            }
            Err(diagnostic) => return OpenResponse::failed(diagnostic.into()),
        };
        let configured = match self.provider.configured() {
            Ok(configured) => configured,
            Err(diagnostic) => return OpenResponse::failed(diagnostic.into()),
        };
        let deadline = Instant::now() + OPEN_TIMEOUT;
        let failed = |what: &str, error: modelrouter_arm::ArmError| {
            OpenResponse::failed(
                Diagnostic::error(
                    format!("Cannot read the {what} of the account"),
                    format!("{what} of {account}: {error}"),
                )
                .at(AttributePath::new(ACCOUNT_ID))
                .into(),
            )
        };
        let (keys, details) = tokio::join!(
            configured.client.list_keys(&account, deadline),
            configured.client.get_account(&account, deadline)
        );
        let keys = match keys {
            Ok(keys) => keys,
            Err(error) => return failed("keys", error),
        };
        let details = match details {
            Ok(details) => details,
            Err(error) => return failed(ENDPOINT, error),
        };
        OpenResponse {
            result: Value::object([
                (ACCOUNT_ID, req.config.get(ACCOUNT_ID).clone()),
                (KEY1, Value::string(keys.key1)),
                (KEY2, Value::string(keys.key2)),
                (ENDPOINT, Value::opt_string(details.endpoint)),
            ]),
            private: Vec::new(),
            renew_at: None,
            diagnostics: Diagnostics::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sensitive_and_computed() {
        let schema = AccountKeys::new(Arc::new(ProviderState::default())).schema();
        for key in ["key1", "key2"] {
            let attribute = schema.block.attributes.iter().find(|a| a.name == key).unwrap();
            assert!(attribute.sensitive && attribute.computed && !attribute.optional, "{key}");
        }
        let endpoint = schema.block.attributes.iter().find(|a| a.name == "endpoint").unwrap();
        assert!(!endpoint.sensitive);
    }

    #[test]
    fn a_malformed_account_id_is_an_error_on_the_argument() {
        let resource = AccountKeys::new(Arc::new(ProviderState::default()));
        let diagnostics =
            resource.validate(&Value::object([("cognitive_account_id", Value::string("/subscriptions/x"))]));
        let diagnostic = diagnostics.iter().next().expect("an error");
        assert_eq!(diagnostic.attribute, Some(AttributePath::new("cognitive_account_id")));
        assert!(diagnostic.detail.contains("/subscriptions/x"), "{}", diagnostic.detail);
        // Unknown at validate time: nothing to say yet.
        assert!(resource.validate(&Value::object([("cognitive_account_id", Value::unknown())])).is_empty());
    }

    #[tokio::test]
    async fn open_before_configure_is_a_diagnostic_not_a_panic() {
        let resource = AccountKeys::new(Arc::new(ProviderState::default()));
        let config = Value::object([(
            "cognitive_account_id",
            Value::string("/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a"),
        )]);
        let out = resource.open(OpenRequest { config }).await;
        assert!(out.diagnostics.has_errors());
        assert!(out.result.is_null());
    }
}
