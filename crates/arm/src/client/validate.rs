//! Azure Resource Manager's own preflight: template validation of one deployment body
//! (`POST /subscriptions/{s}/resourcegroups/{rg}/providers/Microsoft.Resources/deployments/{name}/validate`).
//!
//! The template holds one resource of type `Microsoft.CognitiveServices/accounts/deployments`, with the client's
//! deployments api-version and exactly the body a PUT would send: [`Deployment::writable`], the same filter the PUT
//! applies, so no read-only field reaches the template. ARM runs the
//! resource provider's preflight on it and writes nothing. It answers 200 (valid), 400 with the refusal in
//! `error.details`, or 202 with a `Location` to poll when the validation runs long.

use std::time::Instant;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tracing::Instrument;

use super::ArmClient;
use crate::error::{ArmError, ArmErrorKind, ErrorDetail, ServiceError};
use crate::id::DeploymentId;
use crate::lro::{self, PollTarget};
use crate::model::Deployment;
use crate::transport::{Intent, Operation};

/// The `Microsoft.Resources` api-version of the validate operation (202 + Location supported since 2020-06-01).
pub const VALIDATE_API_VERSION: &str = "2024-03-01";
/// The resource type the template deploys.
pub const DEPLOYMENT_RESOURCE_TYPE: &str = "Microsoft.CognitiveServices/accounts/deployments";
/// ARM's limit on deployment (template) names.
const MAX_TEMPLATE_NAME: usize = 64;

/// What Azure said about the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Validation {
    /// The resource provider accepts the body.
    Valid,
    /// Azure refuses it: the outer code and message (e.g. `InvalidTemplateDeployment`) and the inner errors that
    /// say why.
    Refused(Refusal),
}

/// Azure's refusal of a template, as `error` and `error.details` carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: String,
    pub message: String,
    pub details: Vec<ErrorDetail>,
}

impl Refusal {
    /// The inner errors (the resource provider's own code and message), or the outer error when there are none.
    pub fn reasons(&self) -> Vec<ErrorDetail> {
        if self.details.is_empty() {
            return vec![ErrorDetail { code: self.code.clone(), message: self.message.clone(), target: None }];
        }
        self.details.clone()
    }

    fn from_service(error: ServiceError) -> Refusal {
        Refusal { code: error.code, message: error.message, details: error.details }
    }
}

/// The template deployment request: one resource holding `body` as the deployment `id` would be PUT.
pub fn validation_request(id: &DeploymentId, body: &Deployment, api_version: &str) -> Result<Value, ArmError> {
    let mut resource = serde_json::to_value(body.writable()).map_err(|e| {
        ArmError::from(ArmErrorKind::Decode { what: "the request body".into(), message: e.to_string() })
    })?;
    let Some(fields) = resource.as_object_mut() else {
        return Err(
            ArmErrorKind::Decode { what: "the request body".into(), message: "not a JSON object".into() }.into()
        );
    };
    fields.insert("type".into(), json!(DEPLOYMENT_RESOURCE_TYPE));
    fields.insert("apiVersion".into(), json!(api_version));
    fields.insert("name".into(), json!(format!("{}/{}", id.account.name, id.name)));
    Ok(json!({
        "properties": {
            "mode": "Incremental",
            "template": {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0",
                "resources": [resource],
            },
        },
    }))
}

/// The template deployment's name: says who asked and for which deployment, within ARM's 64 characters.
pub fn template_name(id: &DeploymentId) -> String {
    format!("modelrouter-validate-{}", id.name).chars().take(MAX_TEMPLATE_NAME).collect()
}

impl ArmClient {
    /// Asks ARM to validate `body` as the PUT of deployment `id` would send it, following a 202 until `deadline`.
    /// A refusal is [`Validation::Refused`]; everything else that keeps Azure from answering (403 without
    /// `Microsoft.Resources/deployments/validate/action`, a 5xx after retries, the deadline) is an [`ArmError`].
    pub async fn validate_deployment(
        &self,
        id: &DeploymentId,
        body: &Deployment,
        deadline: Instant,
    ) -> Result<Validation, ArmError> {
        let mut op = self.operation(deadline);
        let span = tracing::debug_span!("arm_validate_deployment", id = %id, correlation_id = %op.correlation_id);
        async {
            let request = validation_request(id, body, &self.api_version())?;
            let bytes = serde_json::to_vec(&request).map_err(|e| {
                op.error(ArmErrorKind::Decode { what: "the request body".into(), message: e.to_string() })
            })?;
            let path = format!(
                "/subscriptions/{}/resourcegroups/{}/providers/Microsoft.Resources/deployments/{}/validate",
                id.account.subscription,
                id.account.resource_group,
                template_name(id)
            );
            let url = self.inner.transport.arm_url(&path, VALIDATE_API_VERSION);
            self.validate_at(&mut op, &url, &bytes).await
        }
        .instrument(span)
        .await
    }

    async fn validate_at(&self, op: &mut Operation, url: &url::Url, bytes: &[u8]) -> Result<Validation, ArmError> {
        let transport = &self.inner.transport;
        // Validation writes nothing: retried like a read.
        let first = transport.send(op, Method::POST, url, Some(bytes), Intent::Read, &[]).await?;
        match first.status {
            StatusCode::OK | StatusCode::CREATED => Ok(Validation::Valid),
            StatusCode::BAD_REQUEST => {
                Ok(Validation::Refused(Refusal::from_service(ServiceError::from_body(400, &first.body))))
            }
            StatusCode::ACCEPTED => {
                let wait = lro::first_wait(transport, &first);
                let PollTarget::Location(poll) = lro::poll_target(transport, &first, url)? else {
                    return Err(op.error(ArmErrorKind::Transport {
                        message: "the validation was accepted (202) without a Location to follow".into(),
                    }));
                };
                match lro::follow_location(transport, op, poll, wait).await {
                    Ok(()) => Ok(Validation::Valid),
                    Err(error) => match error.kind {
                        // In the Location convention a failed final answer is the validation's result.
                        ArmErrorKind::OperationFailed { code, message, details, .. } => {
                            Ok(Validation::Refused(Refusal { code, message, details }))
                        }
                        _ => Err(error),
                    },
                }
            }
            _ => Err(first.into_error(op)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeploymentModel, Sku};

    fn id() -> DeploymentId {
        DeploymentId::parse(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct/deployments/router",
        )
        .unwrap()
    }

    #[test]
    fn the_template_holds_the_put_body_as_one_resource_without_read_only_fields() {
        let mut body = Deployment {
            id: Some("/subscriptions/s/.../router".into()),
            name: Some("router".into()),
            sku: Some(Sku { name: "GlobalStandard".into(), capacity: Some(10), ..Default::default() }),
            ..Default::default()
        };
        body.properties.model = Some(DeploymentModel {
            format: Some("OpenAI".into()),
            name: "model-router".into(),
            version: Some("2025-11-18".into()),
            ..Default::default()
        });
        body.extra.insert("etag".into(), json!("\"e\""));
        body.extra.insert("systemData".into(), json!({"createdBy": "x"}));
        body.extra.insert("tags".into(), json!({"team": "a"}));
        let request = validation_request(&id(), &body, "2025-10-01-preview").unwrap();
        let resources = request["properties"]["template"]["resources"].as_array().unwrap();
        assert_eq!(resources.len(), 1);
        let resource = &resources[0];
        assert_eq!(resource["type"], DEPLOYMENT_RESOURCE_TYPE);
        assert_eq!(resource["apiVersion"], "2025-10-01-preview");
        assert_eq!(resource["name"], "acct/router");
        assert_eq!(resource["sku"], json!({"name": "GlobalStandard", "capacity": 10}));
        assert_eq!(resource["properties"]["model"]["version"], "2025-11-18");
        assert_eq!(resource["tags"], json!({"team": "a"}), "what the PUT sends besides the modelled fields stays");
        // A template resource names its type and name; nothing else read-only may be there.
        let read_only: Vec<String> = crate::write::read_only_fields_in(resource)
            .into_iter()
            .filter(|pointer| pointer != "/type" && pointer != "/name")
            .collect();
        assert_eq!(read_only, Vec::<String>::new(), "read-only fields in the template");
        assert_eq!(request["properties"]["mode"], "Incremental");
    }

    #[test]
    fn template_names_fit_arms_limit() {
        let mut long = id();
        long.name = "d".repeat(100);
        assert_eq!(template_name(&long).len(), MAX_TEMPLATE_NAME);
        assert_eq!(template_name(&id()), "modelrouter-validate-router");
    }

    #[test]
    fn a_refusal_reports_its_inner_errors_or_else_itself() {
        let inner = ErrorDetail { code: "Inner".into(), message: "why".into(), target: Some("sku.name".into()) };
        let refusal = Refusal { code: "InvalidTemplateDeployment".into(), message: "m".into(), details: vec![inner] };
        assert_eq!(refusal.reasons()[0].code, "Inner");
        let bare = Refusal { code: "Outer".into(), message: "m".into(), details: vec![] };
        assert_eq!(bare.reasons()[0].code, "Outer");
    }
}
