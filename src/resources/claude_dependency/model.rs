//! The Claude deployment's typed model: what a `modelrouter_claude_dependency` holds, parsed once per RPC, and its
//! mapping to and from the ARM deployment body.

use modelrouter_arm::{Account, Deployment, DeploymentModel, ModelProviderData};
use modelrouter_catalog::Catalog;
use tf_provider::Value;

use super::schema::attr::*;
use crate::resources::common::ANTHROPIC;
use crate::resources::common::field::{Field, Nested, keep_prior_spelling};
use crate::resources::common::identity::Identity;
use crate::resources::common::lifecycle::ResourceModel;
use crate::resources::common::readback;
use crate::resources::common::sku::SkuModel;
use crate::resources::common::state::{Content, Serving};
use crate::resources::common::tags::Tags;
use crate::resources::common::timeouts::Timeouts;

/// Units of 1,000 tokens per minute.
pub const DEFAULT_CAPACITY: i64 = 1;
/// The industries Azure accepts in `modelProviderData.industry` (lower case on the wire).
pub const INDUSTRIES: [&str; 9] =
    ["technology", "finance", "healthcare", "education", "retail", "manufacturing", "government", "media", "other"];

/// A `modelrouter_claude_dependency` object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClaudeModel {
    pub identity: Identity,
    pub model: Field<String>,
    pub version: Field<String>,
    pub format: Field<String>,
    pub routable_by: Field<Vec<String>>,
    pub sku: SkuModel,
    pub provider_data: Field<ProviderData>,
    pub content: Content,
    pub tags: Tags,
    pub serving: Serving,
    pub timeouts: Field<Timeouts>,
}

/// The `model_provider_data` block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProviderData {
    pub organization_name: Field<String>,
    pub country_code: Field<String>,
    pub industry: Field<String>,
}

impl Nested for ProviderData {
    fn parse(value: &Value) -> ProviderData {
        ProviderData {
            organization_name: Field::parse(value.get(ORGANIZATION_NAME)),
            country_code: Field::parse(value.get(COUNTRY_CODE)),
            industry: Field::parse(value.get(INDUSTRY)),
        }
    }

    fn to_value(&self) -> Value {
        Value::object([
            (ORGANIZATION_NAME, self.organization_name.to_value()),
            (COUNTRY_CODE, self.country_code.to_value()),
            (INDUSTRY, self.industry.to_value()),
        ])
    }
}

impl ResourceModel for ClaudeModel {
    fn parse(value: &Value) -> ClaudeModel {
        let routable_by = value.get(ROUTABLE_BY);
        ClaudeModel {
            identity: Identity::parse(value),
            model: Field::parse(value.get(MODEL)),
            version: Field::parse(value.get(VERSION)),
            format: Field::parse(value.get(FORMAT)),
            routable_by: if routable_by.is_unknown() {
                Field::Unknown
            } else if routable_by.is_null() {
                Field::Null
            } else {
                Field::Known(routable_by.elements().iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            },
            sku: SkuModel::parse(value.get(SKU)),
            provider_data: Field::parse_nested(value.get(MODEL_PROVIDER_DATA)),
            content: Content::parse(value),
            tags: Tags::parse(value),
            serving: Serving::parse(value),
            timeouts: Field::parse_nested(value.get(TIMEOUTS)),
        }
    }

    fn to_value(&self) -> Value {
        let mut pairs: Vec<(&str, Value)> = self.identity.attributes().into();
        pairs.extend([
            (MODEL, self.model.to_value()),
            (VERSION, self.version.to_value()),
            (FORMAT, self.format.to_value()),
            (
                ROUTABLE_BY,
                match &self.routable_by {
                    Field::Null => Value::Null,
                    Field::Unknown => Value::unknown(),
                    Field::Known(versions) => Value::List(versions.iter().map(Value::string).collect()),
                },
            ),
            (SKU, self.sku.to_value()),
            (MODEL_PROVIDER_DATA, self.provider_data.nested_value()),
            (TIMEOUTS, self.timeouts.nested_value()),
        ]);
        pairs.extend(self.content.attributes());
        pairs.extend(self.tags.attributes());
        pairs.extend(self.serving.attributes());
        Value::object(pairs)
    }

    fn identity(&self) -> &Identity {
        &self.identity
    }
    fn identity_mut(&mut self) -> &mut Identity {
        &mut self.identity
    }
    fn timeouts(&self) -> &Field<Timeouts> {
        &self.timeouts
    }
    fn serving(&self) -> &Serving {
        &self.serving
    }
    fn azure_chosen(&self, catalog: &Catalog) -> Vec<(&'static str, String)> {
        // A version is Azure's to choose only when the catalog cannot supply it.
        let version = match (self.model.as_deref(), self.version.known()) {
            (Some(model), Some(version)) if catalog_model(catalog, model).is_none() => Some((VERSION, version.clone())),
            _ => None,
        };
        self.content.azure_chosen().chain(version).chain(self.serving.azure_chosen()).collect()
    }
}

impl ClaudeModel {
    pub fn apply_to_body(&self, body: &mut Deployment, catalog: &Catalog) {
        body.sku = Some(self.sku.to_arm(DEFAULT_CAPACITY, body.sku.take()));
        let name = self.model.known().cloned().unwrap_or_default();
        // Azure gets the catalog's spelling; the state keeps the configuration's.
        let name = catalog_model(catalog, &name).map_or(name, |(catalog_name, _)| catalog_name.to_owned());
        let properties = &mut body.properties;
        let previous_extra = properties.model.take().map(|m| m.extra).unwrap_or_default();
        properties.model = Some(DeploymentModel {
            format: Some(ANTHROPIC.to_owned()),
            name,
            version: self.version.known().cloned(),
            extra: previous_extra,
        });
        let data = self.provider_data.known().cloned().unwrap_or_default();
        let text = |field: &Field<String>| field.known().cloned().unwrap_or_default();
        properties.model_provider_data = Some(ModelProviderData {
            organization_name: text(&data.organization_name),
            country_code: text(&data.country_code),
            industry: text(&data.industry).to_ascii_lowercase(),
        });
        self.content.apply_to_body(body);
        self.tags.apply_to_body(body);
        self.serving.apply_to_body(body);
    }

    pub fn from_arm(
        base: &ClaudeModel,
        deployment: &Deployment,
        _account: Option<&Account>,
        catalog: &Catalog,
    ) -> ClaudeModel {
        let mut state = base.clone();
        state.identity = Identity::from_arm(&base.identity, deployment.name.as_deref());
        if let Some(model) = deployment.properties.model.as_ref() {
            state.model = keep_prior_spelling(&base.model, &model.name);
            state.version = Field::from_option(model.version.clone());
            state.format = Field::from_option(model.format.clone());
        }
        state.sku = SkuModel::from_arm(&base.sku, deployment.sku.as_ref());
        state.content = Content::from_arm(deployment);
        state.tags = Tags::from_arm(&base.tags, deployment);
        state.serving = Serving::from_arm(deployment);
        // Azure's GET may omit modelProviderData: then the state keeps what was configured, so no diff appears.
        if let Some(data) = &deployment.properties.model_provider_data {
            let prior = base.provider_data.known().cloned().unwrap_or_default();
            state.provider_data = Field::Known(ProviderData {
                organization_name: Field::string(&data.organization_name),
                country_code: keep_prior_spelling(&prior.country_code, &data.country_code),
                industry: keep_prior_spelling(&prior.industry, &data.industry),
            });
        }
        state.routable_by = match (state.model.as_deref(), state.version.as_deref()) {
            (Some(model), Some(version)) => Field::Known(routable_by(catalog, model, version)),
            _ => Field::Known(Vec::new()),
        };
        state
    }
}

/// The catalog's spelling and default version of a Claude model, if the catalog knows it.
pub fn catalog_model<'c>(catalog: &'c Catalog, name: &str) -> Option<(&'c str, &'c str)> {
    catalog.find_anthropic_model(name).map(|m| (m.name.as_str(), m.version.as_str()))
}

/// Router versions that route to this model at this version.
pub fn routable_by(catalog: &Catalog, model: &str, version: &str) -> Vec<String> {
    catalog.models_routable_by(ANTHROPIC, model, version).into_iter().map(str::to_owned).collect()
}

pub fn write_mismatches(asked: &Deployment, got: &Deployment) -> Vec<String> {
    readback::common_mismatches(asked, got, VERSION)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::resources::common::lifecycle::ResourceModel;

    pub(crate) fn object(industry: &str) -> Value {
        Value::object([
            ("id", Value::string("/x")),
            (
                "cognitive_account_id",
                Value::string("/subscriptions/s/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a"),
            ),
            ("model", Value::string("claude-sonnet-4-5")),
            ("version", Value::string("20250929")),
            ("name", Value::string("claude-sonnet-4-5")),
            ("format", Value::string("Anthropic")),
            ("routable_by", Value::List(vec![Value::string("2025-11-18")])),
            ("sku", Value::object([("name", Value::string("GlobalStandard")), ("capacity", Value::int(5))])),
            (
                "model_provider_data",
                Value::object([
                    ("organization_name", Value::string("Contoso")),
                    ("country_code", Value::string("US")),
                    ("industry", Value::string(industry)),
                ]),
            ),
            ("timeouts", Value::Null),
            ("rai_policy_name", Value::string("Microsoft.DefaultV2")),
            ("version_upgrade_option", Value::Null),
            ("tags", Value::Null),
            ("tags_all", Value::map(Vec::<(String, Value)>::new())),
            ("deployment_state", Value::string("Running")),
            ("service_tier", Value::string("Default")),
            ("provisioning_state", Value::string("Succeeded")),
        ])
    }

    #[test]
    fn a_value_round_trips_through_the_model() {
        let value = object("technology");
        assert_eq!(ClaudeModel::parse(&value).to_value(), value);
    }

    #[test]
    fn body_lower_cases_the_industry_and_uses_the_catalog_spelling() {
        let mut planned = ClaudeModel::parse(&object("Technology"));
        planned.model = Field::string("Claude-Sonnet-4-5");
        let mut body = Deployment::default();
        planned.apply_to_body(&mut body, modelrouter_catalog::catalog());
        let data = body.properties.model_provider_data.expect("attestation");
        assert_eq!(data.industry, "technology");
        assert_eq!(body.properties.model.unwrap().name, "claude-sonnet-4-5");
    }
}
