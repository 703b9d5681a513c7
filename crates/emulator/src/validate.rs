//! ARM template validation (`POST .../providers/Microsoft.Resources/deployments/{name}/validate`): the resource
//! provider's preflight on each `Microsoft.CognitiveServices/accounts/deployments` resource of a template, by the
//! same rules as a deployment PUT ([`crate::arm::validate_put`]), writing nothing.
//!
//! Answers 200 (valid) or 400 `InvalidTemplateDeployment` with the rule's own code and message in `error.details`,
//! synchronously or, in the `Location` style, 202 with a `Location` (`/validateResults/{id}`) whose poll gives the
//! same result. Switches ([`ValidationSettings`]): 403 on validate, a validation that never finishes, and a
//! [`ServiceRule`] only the service knows (checked by PUT and validate alike).

use crate::Shared;
use crate::arm::{ArmFailure, arm_error, validate_put};
use crate::ids::AccountPath;
use crate::lro::add_retry_headers;
use axum::body::Bytes;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::time::Duration;

const DEPLOYMENT_TYPE: &str = "Microsoft.CognitiveServices/accounts/deployments";
/// What a never-finishing validation asks the client to wait before the next poll.
const NEVER_RETRY_AFTER: Duration = Duration::from_secs(600);
/// The wait a finishing 202 asks for.
const POLL_RETRY_AFTER: Duration = Duration::from_millis(50);

/// How validation answers. Part of [`crate::Settings`] (`PATCH /admin/settings {"validation": ...}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ValidationSettings {
    /// Answer 403 `AuthorizationFailed` (an identity without `Microsoft.Resources/deployments/validate/action`).
    pub forbid: bool,
    /// Answer 202 + `Location` instead of the result (the poll gives the result).
    pub long_running: bool,
    /// Answer 202 + `Location` and keep the poll at 202 forever, asking for a 600 s wait each time.
    pub never_finishes: bool,
    /// A rule of the service that no document lists, enforced on PUT and validate.
    pub service_rule: Option<ServiceRule>,
}

/// Refuses a deployment body whose JSON value at `pointer` equals `equals`, with `code` and `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceRule {
    /// JSON pointer into the deployment body, e.g. `/properties/raiPolicyName`.
    pub pointer: String,
    pub equals: Value,
    pub code: String,
    pub message: String,
    /// The `target` of the inner error (the property it concerns), when set.
    pub target: Option<String>,
}

impl Default for ServiceRule {
    fn default() -> ServiceRule {
        ServiceRule {
            pointer: String::new(),
            equals: Value::Null,
            code: "UndocumentedServiceRule".into(),
            message: String::new(),
            target: None,
        }
    }
}

impl ServiceRule {
    /// `POINTER=VALUE` (the value as JSON when it parses, else as a string), as `--service-rule` takes it.
    pub fn parse(spec: &str) -> Option<ServiceRule> {
        let (pointer, value) = spec.split_once('=')?;
        if !pointer.starts_with('/') {
            return None;
        }
        let equals = serde_json::from_str(value).unwrap_or_else(|_| json!(value));
        Some(ServiceRule { pointer: pointer.into(), equals, ..ServiceRule::default() })
    }

    /// The refusal of `body`, if the rule applies to it.
    pub(crate) fn check(&self, body: &Value) -> Result<(), ArmFailure> {
        if self.pointer.is_empty() || body.pointer(&self.pointer) != Some(&self.equals) {
            return Ok(());
        }
        let message = if self.message.is_empty() {
            format!("The service does not accept {} at {} for this deployment.", self.equals, self.pointer)
        } else {
            self.message.clone()
        };
        let failure = ArmFailure::new(StatusCode::BAD_REQUEST, &self.code, message);
        Err(match &self.target {
            Some(target) => failure.at(target),
            None => failure,
        })
    }
}

/// A 202-style validation waiting for its poll.
#[derive(Debug, Clone)]
pub(crate) struct PendingValidation {
    pub status: StatusCode,
    pub body: Value,
    pub never_finishes: bool,
}

/// The validate route and its poll route; `None` for other paths.
pub(crate) fn dispatch(
    shared: &Shared,
    method: &Method,
    path: &str,
    api_version: Option<&str>,
    body: &Bytes,
) -> Option<Response> {
    if let Some(id) = path.strip_prefix("/validateResults/") {
        return Some(poll(shared, id));
    }
    let (subscription, resource_group, template) = parse_validate_path(path)?;
    if method != Method::POST {
        return Some(arm_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("The emulator does not support {method} on '{path}'."),
        ));
    }
    let Some(api_version) = api_version.filter(|v| !v.is_empty()) else {
        return Some(arm_error(
            StatusCode::BAD_REQUEST,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        ));
    };
    Some(validate(shared, &subscription, &resource_group, &template, api_version, body))
}

/// `/subscriptions/{s}/resourcegroups/{rg}/providers/Microsoft.Resources/deployments/{name}/validate`.
fn parse_validate_path(path: &str) -> Option<(String, String, String)> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let literal = |index: usize, expected: &str| segments.get(index).is_some_and(|s| s.eq_ignore_ascii_case(expected));
    let shape = segments.len() == 9
        && literal(0, "subscriptions")
        && literal(2, "resourceGroups")
        && literal(4, "providers")
        && literal(5, "Microsoft.Resources")
        && literal(6, "deployments")
        && literal(8, "validate");
    let value = |index: usize| segments.get(index).filter(|s| !s.is_empty()).map(|s| s.to_string());
    shape.then(|| Some((value(1)?, value(3)?, value(7)?))).flatten()
}

fn validate(
    shared: &Shared,
    subscription: &str,
    resource_group: &str,
    template: &str,
    api_version: &str,
    raw: &Bytes,
) -> Response {
    let mut store = shared.lock_advanced();
    let settings = store.settings.validation.clone();
    if settings.forbid {
        return arm_error(
            StatusCode::FORBIDDEN,
            "AuthorizationFailed",
            format!(
                "The client does not have authorization to perform action \
                 'Microsoft.Resources/deployments/validate/action' over scope \
                 '/subscriptions/{subscription}/resourcegroups/{resource_group}/providers/Microsoft.Resources/deployments/{template}' \
                 (validation.forbid is on)."
            ),
        );
    }
    let Ok(request) = serde_json::from_slice::<Value>(raw) else {
        return arm_error(StatusCode::BAD_REQUEST, "InvalidRequestContent", "The request content is not valid JSON.");
    };
    let Some(resources) = request.pointer("/properties/template/resources").and_then(Value::as_array) else {
        return arm_error(
            StatusCode::BAD_REQUEST,
            "InvalidTemplate",
            "The request holds no template resources (properties.template.resources).",
        );
    };
    let outcome = resources.iter().try_for_each(|resource| {
        let account = |name: &str| AccountPath {
            subscription: subscription.into(),
            resource_group: resource_group.into(),
            name: name.into(),
        };
        validate_resource(&store, resource, account)
    });
    let (status, body) = match outcome {
        Ok(()) => (
            StatusCode::OK,
            json!({
                "id": format!("/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/Microsoft.Resources/deployments/{template}"),
                "name": template,
                "properties": {"provisioningState": "Succeeded", "mode": "Incremental"},
            }),
        ),
        Err(inner) => (
            StatusCode::BAD_REQUEST,
            json!({"error": {
                "code": "InvalidTemplateDeployment",
                "message": format!(
                    "The template deployment '{template}' is not valid according to the validation procedure. \
                     The tracking id is '{}'. See inner errors for details.",
                    uuid::Uuid::new_v4()
                ),
                "details": [inner.to_json()],
            }}),
        ),
    };
    if !settings.long_running && !settings.never_finishes {
        return (status, axum::Json(body)).into_response();
    }
    let id = uuid::Uuid::new_v4().to_string();
    let never_finishes = settings.never_finishes;
    store.validations.insert(id.clone(), PendingValidation { status, body, never_finishes });
    let mut response = StatusCode::ACCEPTED.into_response();
    let location = format!("{}/validateResults/{id}?api-version={api_version}", shared.base_url);
    add_poll_headers(&mut response, &location, never_finishes);
    response
}

/// One template resource by the PUT rules. Resources of other types are outside the emulator: refused.
fn validate_resource(
    store: &crate::state::Store,
    resource: &Value,
    account: impl Fn(&str) -> AccountPath,
) -> Result<(), ArmFailure> {
    let kind = resource.get("type").and_then(Value::as_str).unwrap_or_default();
    if !kind.eq_ignore_ascii_case(DEPLOYMENT_TYPE) {
        return Err(ArmFailure::new(
            StatusCode::BAD_REQUEST,
            "InvalidTemplate",
            format!("The emulator validates only resources of type {DEPLOYMENT_TYPE}, not '{kind}'."),
        ));
    }
    let name = resource.get("name").and_then(Value::as_str).unwrap_or_default();
    let Some((account_name, deployment)) = name.split_once('/').filter(|(a, d)| !a.is_empty() && !d.is_empty()) else {
        return Err(ArmFailure::new(
            StatusCode::BAD_REQUEST,
            "InvalidTemplate",
            format!("The resource name '{name}' is not '{{account}}/{{deployment}}'."),
        ));
    };
    let path = account(account_name);
    let Some(found) = store.account_by_key(&path.key()) else {
        return Err(ArmFailure::new(
            StatusCode::NOT_FOUND,
            "ParentResourceNotFound",
            format!(
                "Can not perform requested operation on nested resource. Parent resource '{account_name}' not found."
            ),
        ));
    };
    // What a PUT of this deployment would carry: the template fields around it are not part of the body.
    let mut body = resource.clone();
    if let Some(fields) = body.as_object_mut() {
        for template_field in ["type", "apiVersion", "name", "dependsOn", "location", "comments", "condition"] {
            fields.remove(template_field);
        }
    }
    validate_put(store, found, deployment, &mut body)
}

fn add_poll_headers(response: &mut Response, location: &str, never_finishes: bool) {
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    add_retry_headers(response.headers_mut(), if never_finishes { NEVER_RETRY_AFTER } else { POLL_RETRY_AFTER });
}

/// `GET /validateResults/{id}`: 202 while running (forever when it never finishes), then the validation's answer.
fn poll(shared: &Shared, id: &str) -> Response {
    let store = shared.lock();
    let Some(pending) = store.validations.get(id) else {
        return arm_error(StatusCode::NOT_FOUND, "OperationNotFound", format!("The operation '{id}' was not found."));
    };
    if pending.never_finishes {
        let mut response = StatusCode::ACCEPTED.into_response();
        add_poll_headers(&mut response, &format!("{}/validateResults/{id}", shared.base_url), true);
        return response;
    }
    (pending.status, axum::Json(pending.body.clone())).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_validate_path_case_insensitively() {
        assert_eq!(
            parse_validate_path(
                "/subscriptions/s/resourcegroups/rg/providers/microsoft.resources/Deployments/t/validate"
            ),
            Some(("s".into(), "rg".into(), "t".into()))
        );
        assert_eq!(
            parse_validate_path("/subscriptions/s/resourcegroups/rg/providers/Microsoft.Resources/deployments/t"),
            None
        );
    }

    #[test]
    fn a_service_rule_refuses_only_the_value_it_names() {
        let rule = ServiceRule::parse("/properties/raiPolicyName=Blocked").expect("a rule");
        assert_eq!(rule.equals, json!("Blocked"));
        let refused = rule.check(&json!({"properties": {"raiPolicyName": "Blocked"}})).unwrap_err();
        assert_eq!(refused.code, "UndocumentedServiceRule");
        assert!(refused.message.contains("/properties/raiPolicyName"), "{}", refused.message);
        assert!(rule.check(&json!({"properties": {"raiPolicyName": "Other"}})).is_ok());
        assert_eq!(ServiceRule::parse("/sku/capacity=7").unwrap().equals, json!(7));
        assert!(ServiceRule::parse("no-pointer=1").is_none());
    }
}
