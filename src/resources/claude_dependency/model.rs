//! The Claude deployment's model: plan, the ARM body, and the state for what Azure holds.

use modelrouter_arm::{Account, Deployment, DeploymentModel, ModelProviderData};
use modelrouter_catalog::catalog;
use tf_provider::Value;

use crate::resources::common::values::{keep_prior_spelling, known_string};
use crate::resources::common::{readback, sku};

pub const ANTHROPIC: &str = "Anthropic";
/// Units of 1,000 tokens per minute.
pub const DEFAULT_CAPACITY: i64 = 1;
/// The industries Azure accepts in `modelProviderData.industry` (lower case on the wire).
pub const INDUSTRIES: [&str; 9] =
    ["technology", "finance", "healthcare", "education", "retail", "manufacturing", "government", "media", "other"];

/// The catalog's spelling and default version of a Claude model, if the catalog knows it.
pub fn catalog_model(name: &str) -> Option<(&'static str, &'static str)> {
    catalog().find_anthropic_model(name).map(|m| (m.name.as_str(), m.version.as_str()))
}

/// Router versions that route to this model at this version.
pub fn routable_by(model: &str, version: &str) -> Value {
    Value::List(catalog().models_routable_by(ANTHROPIC, model, version).into_iter().map(Value::string).collect())
}

pub fn planned_state(prior: &Value, proposed: &Value, config: &Value) -> Value {
    let mut planned = proposed.clone();
    let creating = prior.is_null();
    planned.set_attr("id", if creating { Value::unknown() } else { prior.get("id").clone() });
    for attr in ["cognitive_account_id", "model", "name"] {
        if let (Some(configured), Some(previous)) = (config.get(attr).as_str(), prior.get(attr).as_str()) {
            if configured != previous && configured.eq_ignore_ascii_case(previous) {
                planned.set_attr(attr, Value::string(previous));
            }
        }
    }
    let model = planned.get("model").clone();
    if config.get("name").is_null() {
        planned.set_attr("name", model.clone());
        if let (Some(m), Some(previous)) = (model.as_str(), prior.get("name").as_str()) {
            if m.eq_ignore_ascii_case(previous) {
                planned.set_attr("name", Value::string(previous));
            }
        }
    }
    if config.get("version").is_null() {
        let version = match model.as_str() {
            Some(name) => catalog_model(name).map_or(Value::unknown(), |(_, v)| Value::string(v)),
            None => Value::unknown(),
        };
        // Keep what Azure reported for the same model, unless the catalog says otherwise.
        let keep_prior = !creating && prior.get("model") == planned.get("model") && !prior.get("version").is_null();
        planned.set_attr(
            "version",
            if keep_prior && version.is_unknown() { prior.get("version").clone() } else { version },
        );
    }
    planned.set_attr("format", Value::string(ANTHROPIC));
    planned.set_attr(
        "routable_by",
        match (model.as_str(), planned.get("version").as_str()) {
            (Some(m), Some(v)) => routable_by(m, v),
            _ => Value::unknown(),
        },
    );
    planned.set_attr("sku", sku::plan(config.get("sku"), prior.get("sku"), DEFAULT_CAPACITY));
    // Azure stores the industry lower-cased: a configured "Technology" means the same as a stored "technology".
    let data = config.get("model_provider_data");
    let prior_data = prior.get("model_provider_data");
    if let (Some(configured), Some(stored)) = (data.get("industry").as_str(), prior_data.get("industry").as_str()) {
        if configured != stored && configured.eq_ignore_ascii_case(stored) {
            let mut planned_data = planned.get("model_provider_data").clone();
            planned_data.set_attr("industry", Value::string(stored));
            planned.set_attr("model_provider_data", planned_data);
        }
    }
    if !creating && planned == *prior {
        return prior.clone();
    }
    planned
}

pub fn apply_to_body(planned: &Value, body: &mut Deployment) {
    body.sku = Some(sku::to_arm(planned.get("sku"), DEFAULT_CAPACITY, body.sku.take()));
    let name = known_string(planned.get("model")).unwrap_or_default();
    // Send the catalog's spelling; the state keeps the user's.
    let name = catalog_model(&name).map_or(name, |(catalog_name, _)| catalog_name.to_owned());
    let properties = &mut body.properties;
    let previous_extra = properties.model.take().map(|m| m.extra).unwrap_or_default();
    properties.model = Some(DeploymentModel {
        format: Some(ANTHROPIC.to_owned()),
        name,
        version: known_string(planned.get("version")),
        extra: previous_extra,
    });
    properties.provisioning_state = None;
    let data = planned.get("model_provider_data");
    properties.model_provider_data = Some(ModelProviderData {
        organization_name: known_string(data.get("organization_name")).unwrap_or_default(),
        country_code: known_string(data.get("country_code")).unwrap_or_default(),
        industry: known_string(data.get("industry")).unwrap_or_default().to_ascii_lowercase(),
    });
}

pub fn state_from_arm(base: &Value, deployment: &Deployment, _account: Option<&Account>) -> Value {
    let mut state = base.clone();
    if let Some(name) = &deployment.name {
        state.set_attr("name", keep_prior_spelling(base.get("name"), name));
    }
    let model = deployment.properties.model.as_ref();
    if let Some(model) = model {
        state.set_attr("model", keep_prior_spelling(base.get("model"), &model.name));
        state.set_attr("version", model.version.as_deref().map_or(Value::Null, Value::string));
        state.set_attr("format", model.format.as_deref().map_or(Value::Null, Value::string));
    }
    state.set_attr("sku", sku::from_arm(base.get("sku"), deployment.sku.as_ref()));
    // Azure's GET may omit modelProviderData: then the state keeps what was configured, so no diff appears.
    if let Some(data) = &deployment.properties.model_provider_data {
        let prior = base.get("model_provider_data");
        state.set_attr(
            "model_provider_data",
            Value::object([
                ("organization_name", Value::string(&data.organization_name)),
                ("country_code", keep_prior_spelling(prior.get("country_code"), &data.country_code)),
                ("industry", keep_prior_spelling(prior.get("industry"), &data.industry)),
            ]),
        );
    }
    let routable = match (state.get("model").as_str(), state.get("version").as_str()) {
        (Some(m), Some(v)) => routable_by(m, v),
        _ => Value::List(Vec::new()),
    };
    state.set_attr("routable_by", routable);
    state
}

pub fn write_mismatches(asked: &Deployment, got: &Deployment) -> Vec<String> {
    readback::common_mismatches(asked, got, "version")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(model_provider_industry: &str) -> Value {
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
                    ("industry", Value::string(model_provider_industry)),
                ]),
            ),
            ("timeouts", Value::Null),
        ])
    }

    #[test]
    fn industry_in_another_case_is_no_change() {
        let prior = object("technology");
        let config = object("Technology");
        assert_eq!(planned_state(&prior, &config, &config), prior);
    }

    #[test]
    fn body_lower_cases_the_industry_and_uses_the_catalog_spelling() {
        let mut planned = object("Technology");
        planned.set_attr("model", Value::string("Claude-Sonnet-4-5"));
        let mut body = Deployment::default();
        apply_to_body(&planned, &mut body);
        let data = body.properties.model_provider_data.expect("attestation");
        assert_eq!(data.industry, "technology");
        assert_eq!(body.properties.model.unwrap().name, "claude-sonnet-4-5");
    }
}
