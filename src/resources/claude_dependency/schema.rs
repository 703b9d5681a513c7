//! Schema of `modelrouter_claude_dependency`. Descriptions are the single source of the argument reference.

use tf_provider::{Attribute, Block, NestedBlock, Nesting, Schema, Type};

use super::model::{DEFAULT_CAPACITY, INDUSTRIES};
use crate::resources::common::{sku, state, tags, timeouts};

/// The attribute names of `modelrouter_claude_dependency`: the only place they are spelt (the schema below and the
/// typed model in `model.rs` both use these).
pub mod attr {
    pub use crate::resources::common::identity::attr::{ACCOUNT_ID, ID, NAME};
    pub use crate::resources::common::sku::attr::SKU;
    pub use crate::resources::common::timeouts::ATTRIBUTE as TIMEOUTS;
    pub const MODEL: &str = "model";
    pub const VERSION: &str = "version";
    pub const FORMAT: &str = "format";
    pub const ROUTABLE_BY: &str = "routable_by";
    pub const MODEL_PROVIDER_DATA: &str = "model_provider_data";
    /// Inside `model_provider_data`.
    pub const ORGANIZATION_NAME: &str = "organization_name";
    pub const COUNTRY_CODE: &str = "country_code";
    pub const INDUSTRY: &str = "industry";
}
use attr::*;

pub fn schema() -> Schema {
    let provider_data = Block::new()
        .describe(
            "The attestation Azure requires for Anthropic models (`properties.modelProviderData`); Azure uses it to \
             accept Anthropic's commercial terms on the subscription's behalf. Sent on every write.",
        )
        .attribute(Attribute::required(ORGANIZATION_NAME, Type::String).describe("Legal name of the organization."))
        .attribute(
            Attribute::required(COUNTRY_CODE, Type::String)
                .describe("ISO 3166-1 alpha-2 country code of the organization, upper case, e.g. `US`, `DK`."),
        )
        .attribute(
            Attribute::required(INDUSTRY, Type::String)
                .describe(format!("One of {}; sent lower-case.", INDUSTRIES.map(|i| format!("`{i}`")).join(", "))),
        );
    let block = Block::new()
        .describe(
            "A Claude (Anthropic) model deployment in an Azure AI Foundry account, which a model router may route \
             to. Each Claude model in a router's subset must be deployed this way, in the same account and with the \
             same SKU name, before the router is created.",
        )
        .attribute(Attribute::computed_only(ID, Type::String).describe("ARM id of the deployment."))
        .attribute(
            Attribute::required(ACCOUNT_ID, Type::String)
                .describe("ARM id of the Azure AI Foundry account. Changing it replaces the deployment."),
        )
        .attribute(Attribute::required(MODEL, Type::String).describe(
            "Claude model, e.g. `claude-sonnet-4-5`. Changing it replaces the deployment. A Claude model that no \
             router version can route to deploys, with a warning.",
        ))
        .attribute(Attribute::optional(VERSION, Type::String).computed().describe(
            "Model version (for newer Claude models it selects the hosting: `1` Anthropic, `2` Azure). Default: \
             the version the router catalog routes to. Updated in place.",
        ))
        .attribute(
            Attribute::optional(NAME, Type::String)
                .computed()
                .describe("Deployment name. Default: the model name. Changing it replaces the deployment."),
        )
        .attribute(Attribute::computed_only(FORMAT, Type::String).describe("Always `Anthropic`."))
        .attribute(Attribute::computed_only(ROUTABLE_BY, Type::List(Box::new(Type::String))).describe(
            "Router versions whose catalog holds this model and version, newest first; empty when no router can \
             route to it.",
        ))
        .block(sku::block(
            "`GlobalStandard` (default) or `DataZoneStandard`; must equal the `sku.name` of the routers that route \
             to this model. Changing it replaces the deployment.",
            DEFAULT_CAPACITY,
        ))
        .block(NestedBlock {
            type_name: MODEL_PROVIDER_DATA.into(),
            nesting: Nesting::Single,
            block: provider_data,
            min_items: 1,
            max_items: 1,
        })
        .block(timeouts::block());
    let block = tags::add_attributes(state::add_attributes(state::content_attributes(block)));
    Schema { version: 0, block }
}
