//! Schema of `modelrouter_deployment`. Descriptions are the single source of the argument reference in docs/.

use tf_provider::{Attribute, Block, NestedBlock, Nesting, Schema, Type};

use super::model::{DEFAULT_CAPACITY, routed_model_type};
use crate::resources::common::{sku, state, tags, timeouts};

/// The attribute names of `modelrouter_deployment`: the only place they are spelt (the schema below and the typed
/// model in `model.rs` both use these).
pub mod attr {
    pub use crate::resources::common::identity::attr::{ACCOUNT_ID, ID, NAME};
    pub use crate::resources::common::sku::attr::SKU;
    pub use crate::resources::common::state::attr::{RAI_POLICY_NAME, VERSION_UPGRADE_OPTION};
    pub use crate::resources::common::timeouts::ATTRIBUTE as TIMEOUTS;
    pub const ROUTER_VERSION: &str = "router_version";
    pub const MIN_CONTEXT_WINDOW: &str = "min_context_window";
    pub const EFFECTIVE_CONTEXT_WINDOW: &str = "effective_context_window";
    pub const ROUTED_MODELS: &str = "routed_models";
    pub const ENDPOINT: &str = "endpoint";
    pub const ROUTING: &str = "routing";
    /// Inside `routing`.
    pub const MODE: &str = "mode";
    pub const MODEL: &str = "model";
    /// Inside a routing `model` block and a `routed_models` element.
    pub const MODEL_NAME: &str = "name";
    pub const FORMAT: &str = "format";
    pub const VERSION: &str = "version";
    /// Only in a `routed_models` element.
    pub const PREVIEW: &str = "preview";
    pub const CONTEXT_WINDOW: &str = "context_window";
}
use attr::*;

pub fn schema() -> Schema {
    let model =
        Block::new()
            .describe("One model of the routing subset. Order never matters.")
            .attribute(Attribute::required(MODEL_NAME, Type::String).describe(
                "Model name as the catalog spells it (case-insensitive), e.g. `gpt-5-mini` or `claude-sonnet-4-5`. \
             Must be a model of `router_version` (see the `modelrouter_supported_models` data source).",
            ))
            .attribute(Attribute::optional(FORMAT, Type::String).computed().describe(
                "Model format (`OpenAI`, `Anthropic`, `DeepSeek`, `Meta`, `xAI`, `Fireworks`). Default: from the catalog; a value \
             that contradicts the catalog is an error.",
            ))
            .attribute(Attribute::optional(VERSION, Type::String).computed().describe(
                "Model version. Default: from the catalog; a value that contradicts the catalog is an error.",
            ));

    let routing = Block::new()
        .describe(
            "Routing mode and model subset. Needs router version 2025-11-18 or later. Without this block the \
             router balances over the full default set of its version.",
        )
        .attribute(
            Attribute::optional(MODE, Type::String)
                .computed()
                .describe("`balanced` (default), `quality` or `cost`. Updated in place."),
        )
        .block(NestedBlock {
            type_name: MODEL.into(),
            nesting: Nesting::Set,
            block: model,
            min_items: 0,
            max_items: 0,
        });

    let block = Block::new()
        .describe(
            "An Azure AI Foundry model router deployment: one deployment of the model `model-router` that picks, \
             per prompt, one of the models in its subset.",
        )
        .attribute(Attribute::computed_only(ID, Type::String).describe("ARM id of the deployment."))
        .attribute(Attribute::required(NAME, Type::String).describe(
            "Deployment name (`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`, at most 64 characters); what inference clients pass \
             as `model`. Changing it replaces the deployment.",
        ))
        .attribute(Attribute::required(ACCOUNT_ID, Type::String).describe(
            "ARM id of the Azure AI Foundry account (`/subscriptions/{id}/resourceGroups/{rg}/providers/\
             Microsoft.CognitiveServices/accounts/{name}`). Changing it replaces the deployment.",
        ))
        .attribute(
            Attribute::optional(ROUTER_VERSION, Type::String).computed().describe(
                "Model router version, e.g. `2025-11-18`. Default: the newest in the catalog. Updated in place.",
            ),
        )
        .attribute(
            Attribute::optional(MIN_CONTEXT_WINDOW, Type::Number).describe(
                "Guardrail: the plan fails when the effective context window of the routed models is smaller.",
            ),
        )
        .attribute(Attribute::computed_only(EFFECTIVE_CONTEXT_WINDOW, Type::Number).describe(
            "Smallest documented context window (tokens) among the routed models, known at plan time from the \
             catalog; null when the catalog documents none of them.",
        ))
        .attribute(Attribute::computed_only(ROUTED_MODELS, Type::Set(Box::new(routed_model_type()))).describe(
            "The models the router routes to (the subset, or the default set of the version without one), with \
             `format`, `name`, `version`, `preview` and `context_window`. A set: a change of one model shows as that \
             model in a plan, not as a shift of every model after it.",
        ))
        .attribute(Attribute::computed_only(ENDPOINT, Type::String).describe(
            "The account's endpoint (`properties.endpoint`), for inference clients such as a LiteLLM gateway.",
        ))
        .block(sku::block(
            "Deployment type: `GlobalStandard` (default) or `DataZoneStandard`. Changing it replaces the deployment. \
             Claude models in the subset must be deployed with the same SKU name.",
            DEFAULT_CAPACITY,
        ))
        .block(NestedBlock {
            type_name: ROUTING.into(),
            nesting: Nesting::Single,
            block: routing,
            min_items: 0,
            max_items: 0,
        })
        .block(timeouts::block());
    let block = tags::add_attributes(state::add_attributes(state::content_attributes(block)));
    Schema { version: 0, block }
}
