//! Wire types of the deployments API.
//!
//! Decoding is tolerant: every field the provider does not model is kept in an `extra` map (serde `flatten`), so a
//! read-modify-write PUT sends back what the service returned (capacitySettings, spilloverDeploymentName, ...);
//! [`Deployment::writable`] (in `write`) drops what is read-only. Enum-like
//! values (`routing.mode`, `provisioningState`, ...) are open strings. `None` fields are not serialised, so the
//! service fills its own defaults.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `properties.deploymentState` of a deployment that serves requests.
pub const DEPLOYMENT_RUNNING: &str = "Running";
/// `properties.deploymentState` of a paused deployment (its endpoint answers HTTP 423).
pub const DEPLOYMENT_PAUSED: &str = "Paused";

/// A deployment as sent in a PUT body and returned by GET.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Read-only: changes with every write (the `If-Match` of an update).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<Sku>,
    #[serde(default)]
    pub properties: DeploymentProperties,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sku {
    /// The deployment type, e.g. `GlobalStandard`.
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<DeploymentModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rai_policy_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_upgrade_option: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<Routing>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_provider_data: Option<ModelProviderData>,
    /// `Running` or `Paused` (absent: running).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_state: Option<String>,
    /// `Default` or `Priority`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentModel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `properties.routing` of a model-router deployment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Routing {
    /// `balanced`, `cost` or `quality` (sent lowercase; the service's answer is compared case-insensitively).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub models: Option<Vec<DeploymentModel>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `properties.modelProviderData`, required by Azure for Anthropic models.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelProviderData {
    #[serde(default)]
    pub organization_name: String,
    #[serde(default)]
    pub country_code: String,
    #[serde(default)]
    pub industry: String,
}

/// The parts of a Cognitive Services account the provider needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub location: Option<String>,
    pub kind: Option<String>,
    /// `properties.endpoint`.
    pub endpoint: Option<String>,
}

impl<'de> Deserialize<'de> for Account {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(default)]
            id: String,
            #[serde(default)]
            location: Option<String>,
            #[serde(default)]
            kind: Option<String>,
            #[serde(default)]
            properties: Option<WireProperties>,
        }
        #[derive(Deserialize)]
        struct WireProperties {
            #[serde(default)]
            endpoint: Option<String>,
        }
        let wire = Wire::deserialize(deserializer)?;
        Ok(Account {
            id: wire.id,
            location: wire.location,
            kind: wire.kind,
            endpoint: wire.properties.and_then(|p| p.endpoint),
        })
    }
}

/// One page of an ARM list: `{value, nextLink}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(default)]
    pub next_link: Option<String>,
}

/// One page of `GET .../deployments`.
pub(crate) type DeploymentPage = Page<Deployment>;

impl Deployment {
    /// `properties.provisioningState`, if the service reported one.
    pub fn provisioning_state(&self) -> Option<&str> {
        self.properties.provisioning_state.as_deref()
    }

    /// `properties.deploymentState`: `Running` when Azure reports none.
    pub fn deployment_state(&self) -> &str {
        self.properties.deployment_state.as_deref().unwrap_or(DEPLOYMENT_RUNNING)
    }

    /// The tags Azure holds (none: empty).
    pub fn tags_or_empty(&self) -> BTreeMap<String, String> {
        self.tags.clone().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service_answer() -> Value {
        json!({
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a/deployments/router",
            "name": "router",
            "type": "Microsoft.CognitiveServices/accounts/deployments",
            "etag": "\"abc\"",
            "tags": {"env": "prod"},
            "systemData": {"createdBy": "someone"},
            "sku": {"name": "GlobalStandard", "capacity": 10, "tier": "Standard"},
            "properties": {
                "model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18", "publisher": "OpenAI"},
                "raiPolicyName": "Microsoft.DefaultV2",
                "versionUpgradeOption": "OnceNewDefaultVersionAvailable",
                "provisioningState": "Succeeded",
                "serviceTier": "Default",
                "capabilities": {"chatCompletion": "true"},
                "routing": {"mode": "Quality", "models": [{"format": "OpenAI", "name": "gpt-5-mini", "version": "2025-08-07"}], "future": 1},
                "modelProviderData": {"organizationName": "Contoso", "countryCode": "US", "industry": "technology"},
                "somethingNew": {"nested": [1, 2, 3]}
            }
        })
    }

    #[test]
    fn decodes_known_fields_and_keeps_unknown_ones() {
        let d: Deployment = serde_json::from_value(service_answer()).unwrap();
        assert_eq!(d.name.as_deref(), Some("router"));
        let sku = d.sku.as_ref().unwrap();
        assert_eq!((sku.name.as_str(), sku.capacity), ("GlobalStandard", Some(10)));
        assert_eq!(sku.extra["tier"], json!("Standard"));
        assert_eq!(d.provisioning_state(), Some("Succeeded"));
        let routing = d.properties.routing.as_ref().unwrap();
        assert_eq!(routing.mode.as_deref(), Some("Quality"));
        assert_eq!(routing.models.as_ref().unwrap()[0].name, "gpt-5-mini");
        assert_eq!(routing.extra["future"], json!(1));
        assert_eq!(d.properties.model.as_ref().unwrap().extra["publisher"], json!("OpenAI"));
        assert_eq!(d.properties.service_tier.as_deref(), Some("Default"));
        assert_eq!(d.tags.as_ref().unwrap()["env"], "prod");
        assert_eq!(d.etag.as_deref(), Some("\"abc\""));
        assert_eq!(d.properties.model_provider_data.as_ref().unwrap().industry, "technology");
    }

    #[test]
    fn read_modify_write_preserves_every_unknown_field() {
        let original = service_answer();
        let mut d: Deployment = serde_json::from_value(original.clone()).unwrap();
        d.sku.as_mut().unwrap().capacity = Some(250);
        let written = serde_json::to_value(&d).unwrap();
        let mut expected = original;
        expected["sku"]["capacity"] = json!(250);
        assert_eq!(written, expected);
    }

    #[test]
    fn none_fields_are_not_serialised() {
        let d = Deployment {
            sku: Some(Sku { name: "GlobalStandard".into(), ..Default::default() }),
            properties: DeploymentProperties {
                model: Some(DeploymentModel { name: "model-router".into(), ..Default::default() }),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            json!({"sku": {"name": "GlobalStandard"}, "properties": {"model": {"name": "model-router"}}})
        );
    }

    #[test]
    fn tolerates_sparse_and_null_fields() {
        let d: Deployment = serde_json::from_value(json!({"properties": {"routing": null, "model": {}}})).unwrap();
        assert!(d.sku.is_none());
        assert!(d.properties.routing.is_none());
        assert_eq!(d.properties.model.unwrap().name, "");
        let d: Deployment = serde_json::from_value(json!({})).unwrap();
        assert_eq!(d, Deployment::default());
    }

    #[test]
    fn account_reads_endpoint_from_properties() {
        let a: Account = serde_json::from_value(json!({
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a",
            "location": "eastus2", "kind": "AIServices", "sku": {"name": "S0"},
            "properties": {"endpoint": "https://a.cognitiveservices.azure.com/", "provisioningState": "Succeeded"}
        }))
        .unwrap();
        assert_eq!(a.location.as_deref(), Some("eastus2"));
        assert_eq!(a.kind.as_deref(), Some("AIServices"));
        assert_eq!(a.endpoint.as_deref(), Some("https://a.cognitiveservices.azure.com/"));
    }
}
