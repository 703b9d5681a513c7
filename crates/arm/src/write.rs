//! What a client may write: the body of a deployment PUT holds only the fields the published API lets a client
//! write, and carries the precondition that keeps a concurrent edit from being overwritten.
//!
//! Read-only fields (Microsoft's generated types for `Microsoft.CognitiveServices/accounts/deployments`, every
//! version from 2025-10-01-preview to 2026-09-01) are dropped wherever they appear, so a read-modify-write never
//! echoes what Azure computed, while every writable field, known to this crate or not, is kept.

use serde_json::{Map, Value};

use crate::model::Deployment;

/// Read-only fields of the deployment envelope.
pub const READ_ONLY_ENVELOPE: [&str; 4] = ["id", "type", "etag", "systemData"];
/// Read-only fields of `properties`.
pub const READ_ONLY_PROPERTIES: [&str; 5] =
    ["provisioningState", "capabilities", "rateLimits", "callRateLimit", "dynamicThrottlingEnabled"];
/// Read-only fields of a `DeploymentModel` (`properties.model` and each `properties.routing.models` entry).
pub const READ_ONLY_MODEL: [&str; 1] = ["callRateLimit"];

/// Where read-only fields sit in a deployment's JSON, as JSON pointers: what a PUT body must not carry. Used by the
/// emulator to record offending requests.
pub fn read_only_fields_in(body: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let keys = |value: Option<&Value>| -> Vec<String> {
        value.and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default()
    };
    for key in keys(Some(body)) {
        if READ_ONLY_ENVELOPE.contains(&key.as_str()) {
            found.push(format!("/{key}"));
        }
    }
    for key in keys(body.get("properties")) {
        if READ_ONLY_PROPERTIES.contains(&key.as_str()) {
            found.push(format!("/properties/{key}"));
        }
    }
    for key in keys(body.pointer("/properties/model")) {
        if READ_ONLY_MODEL.contains(&key.as_str()) {
            found.push(format!("/properties/model/{key}"));
        }
    }
    let models = body.pointer("/properties/routing/models").and_then(Value::as_array).cloned().unwrap_or_default();
    for (index, model) in models.iter().enumerate() {
        for key in keys(Some(model)) {
            if READ_ONLY_MODEL.contains(&key.as_str()) {
                found.push(format!("/properties/routing/models/{index}/{key}"));
            }
        }
    }
    found
}

/// What the PUT must find in Azure for its write to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// `If-None-Match: *`: only if the deployment does not exist (a create never replaces someone else's).
    Absent,
    /// `If-Match: <etag>`: only if the deployment is still the version that was read and modified.
    Unchanged(String),
    /// No condition (Azure gave no etag to match).
    None,
}

impl Precondition {
    /// The header the precondition becomes, if any.
    pub fn header(&self) -> Option<(&'static str, &str)> {
        match self {
            Precondition::Absent => Some(("if-none-match", "*")),
            Precondition::Unchanged(etag) => Some(("if-match", etag.as_str())),
            Precondition::None => None,
        }
    }

    /// Update the deployment Azure returned: match its etag when it has one.
    pub fn of(current: &Deployment) -> Precondition {
        current.etag.clone().map_or(Precondition::None, Precondition::Unchanged)
    }
}

/// A PUT body: the writable fields of a deployment, and the precondition under which to write it.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteBody {
    pub deployment: Deployment,
    pub precondition: Precondition,
}

impl WriteBody {
    /// A create: `deployment`'s writable fields, only if nothing of that name exists.
    pub fn create(deployment: &Deployment) -> WriteBody {
        WriteBody { deployment: deployment.writable(), precondition: Precondition::Absent }
    }

    /// An update of the deployment read as `current`, modified into `modified`.
    pub fn update(current: &Deployment, modified: &Deployment) -> WriteBody {
        WriteBody { deployment: modified.writable(), precondition: Precondition::of(current) }
    }

    /// No precondition (callers that own the deployment outright, e.g. tests and tools).
    pub fn unconditional(deployment: &Deployment) -> WriteBody {
        WriteBody { deployment: deployment.writable(), precondition: Precondition::None }
    }
}

fn strip(map: &mut Map<String, Value>, read_only: &[&str]) {
    map.retain(|key, _| !read_only.contains(&key.as_str()));
}

impl Deployment {
    /// The deployment without its read-only fields: what a PUT may carry.
    pub fn writable(&self) -> Deployment {
        let mut body = self.clone();
        body.id = None;
        body.etag = None;
        strip(&mut body.extra, &READ_ONLY_ENVELOPE);
        // `name` is the URL's; the published type marks it read-only in the body.
        body.name = None;
        let properties = &mut body.properties;
        properties.provisioning_state = None;
        strip(&mut properties.extra, &READ_ONLY_PROPERTIES);
        if let Some(model) = properties.model.as_mut() {
            strip(&mut model.extra, &READ_ONLY_MODEL);
        }
        if let Some(models) = properties.routing.as_mut().and_then(|r| r.models.as_mut()) {
            for model in models {
                strip(&mut model.extra, &READ_ONLY_MODEL);
            }
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service_answer() -> Value {
        json!({
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a/deployments/r",
            "name": "r",
            "type": "Microsoft.CognitiveServices/accounts/deployments",
            "etag": "\"abc\"",
            "tags": {"team": "search"},
            "systemData": {"createdBy": "someone"},
            "sku": {"name": "GlobalStandard", "capacity": 10},
            "properties": {
                "model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18",
                          "callRateLimit": {"count": 1}},
                "provisioningState": "Succeeded",
                "capabilities": {"chatCompletion": "true"},
                "rateLimits": [{"key": "request"}],
                "callRateLimit": {"count": 3},
                "dynamicThrottlingEnabled": false,
                "deploymentState": "Running",
                "serviceTier": "Priority",
                "spilloverDeploymentName": "overflow",
                "capacitySettings": {"designatedCapacity": 5, "priority": 1},
                "routing": {"mode": "cost", "models": [{"name": "gpt-5", "callRateLimit": {"count": 2}}]}
            }
        })
    }

    #[test]
    fn writable_drops_every_read_only_field_and_keeps_the_rest() {
        let read: Deployment = serde_json::from_value(service_answer()).unwrap();
        assert_eq!(read_only_fields_in(&service_answer()).len(), 11);
        let body = serde_json::to_value(read.writable()).unwrap();
        assert_eq!(read_only_fields_in(&body), Vec::<String>::new(), "{body:#}");
        assert_eq!(body["name"], Value::Null);
        assert_eq!(body["tags"], json!({"team": "search"}));
        assert_eq!(body["properties"]["spilloverDeploymentName"], json!("overflow"));
        assert_eq!(body["properties"]["capacitySettings"]["designatedCapacity"], json!(5));
        assert_eq!(body["properties"]["serviceTier"], json!("Priority"));
        assert_eq!(body["properties"]["deploymentState"], json!("Running"));
        assert_eq!(body["properties"]["routing"]["models"][0], json!({"name": "gpt-5"}));
    }

    #[test]
    fn preconditions_follow_the_read() {
        let read: Deployment = serde_json::from_value(service_answer()).unwrap();
        let update = WriteBody::update(&read, &read);
        assert_eq!(update.precondition.header(), Some(("if-match", "\"abc\"")));
        assert_eq!(WriteBody::create(&Deployment::default()).precondition.header(), Some(("if-none-match", "*")));
        assert_eq!(WriteBody::update(&Deployment::default(), &read).precondition, Precondition::None);
    }
}
