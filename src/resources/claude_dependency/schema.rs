//! Schema of `modelrouter_claude_dependency`. Descriptions are the single source of the argument reference.

use tf_provider::{Attribute, Block, NestedBlock, Nesting, Schema, Type};

use super::model::{DEFAULT_CAPACITY, INDUSTRIES};
use crate::resources::common::{sku, timeouts};

pub fn schema() -> Schema {
    let provider_data = Block::new()
        .describe(
            "The attestation Azure requires for Anthropic models (`properties.modelProviderData`); Azure uses it to \
             accept Anthropic's commercial terms on the subscription's behalf. Sent on every write.",
        )
        .attribute(Attribute::required("organization_name", Type::String).describe("Legal name of the organization."))
        .attribute(
            Attribute::required("country_code", Type::String)
                .describe("ISO 3166-1 alpha-2 country code of the organization, upper case, e.g. `US`, `DK`."),
        )
        .attribute(
            Attribute::required("industry", Type::String)
                .describe(format!("One of {}; sent lower-case.", INDUSTRIES.map(|i| format!("`{i}`")).join(", "))),
        );
    let block = Block::new()
        .describe(
            "A Claude (Anthropic) model deployment in an Azure AI Foundry account, which a model router may route \
             to. Each Claude model in a router's subset must be deployed this way, in the same account and with the \
             same SKU name, before the router is created.",
        )
        .attribute(Attribute::computed_only("id", Type::String).describe("ARM id of the deployment."))
        .attribute(
            Attribute::required("cognitive_account_id", Type::String)
                .describe("ARM id of the Azure AI Foundry account. Changing it replaces the deployment."),
        )
        .attribute(Attribute::required("model", Type::String).describe(
            "Claude model, e.g. `claude-sonnet-4-5`. Changing it replaces the deployment. A Claude model that no \
             router version can route to deploys, with a warning.",
        ))
        .attribute(Attribute::optional("version", Type::String).computed().describe(
            "Model version (for newer Claude models it selects the hosting: `1` Anthropic, `2` Azure). Default: \
             the version the router catalog routes to. Updated in place.",
        ))
        .attribute(
            Attribute::optional("name", Type::String)
                .computed()
                .describe("Deployment name. Default: the model name. Changing it replaces the deployment."),
        )
        .attribute(Attribute::computed_only("format", Type::String).describe("Always `Anthropic`."))
        .attribute(Attribute::computed_only("routable_by", Type::List(Box::new(Type::String))).describe(
            "Router versions whose catalog holds this model and version, newest first; empty when no router can \
             route to it.",
        ))
        .block(sku::block(
            "`GlobalStandard` (default) or `DataZoneStandard`; must equal the `sku.name` of the routers that route \
             to this model. Changing it replaces the deployment.",
            DEFAULT_CAPACITY,
        ))
        .block(NestedBlock {
            type_name: "model_provider_data".into(),
            nesting: Nesting::Single,
            block: provider_data,
            min_items: 1,
            max_items: 1,
        })
        .block(timeouts::block());
    Schema { version: 0, block }
}
