//! The ARM routes: accounts and their deployments, with the service's validation rules.
//!
//! Every ARM and operation-poll request goes through [`entry`]: it is recorded, fault rules run, the bearer
//! token is checked, then the request is dispatched. Paths are parsed by hand because ARM path segments are
//! case-insensitive, which axum's router is not.

use crate::Shared;
use crate::faults::{ConnectionKiller, FaultAction, take_matching};
use crate::ids::{AccountPath, ArmTarget, deployment_key, parse_arm_path};
use crate::lro;
use crate::state::{
    Account, Deployment, LroStyle, OperationKind, Quirks, RecordedRequest, Store, edit_out_of_band, fill_server_fields,
    is_anthropic, properties_mut, read_only_fields, set_provisioning_state,
};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Router versions before this one accept no `routing`.
pub(crate) const FIRST_ROUTING_VERSION: &str = "2025-11-18";
/// What the service assigns to a model-router deployment sent without a version.
pub(crate) const DEFAULT_ROUTER_VERSION: &str = "2025-11-18";
pub(crate) const KNOWN_INDUSTRIES: [&str; 9] =
    ["technology", "finance", "healthcare", "education", "retail", "manufacturing", "government", "media", "other"];
const CORRELATION_HEADER: &str = "x-ms-correlation-request-id";

/// An ARM error answer: `{"error": {"code", "message", "target"?}}` with its HTTP status.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub(crate) struct ArmFailure {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// The property the error concerns (`sku.name`, `properties.routing`), when the rule names one.
    pub target: Option<String>,
}

impl ArmFailure {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ArmFailure {
        ArmFailure { status, code: code.to_string(), message: message.into(), target: None }
    }

    pub fn at(mut self, target: &str) -> ArmFailure {
        self.target = Some(target.to_string());
        self
    }

    /// The error object (`{code, message, target?}`), as an answer's `error` or an inner error of `details`.
    pub fn to_json(&self) -> Value {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(target) = &self.target {
            error["target"] = json!(target);
        }
        error
    }
}

impl IntoResponse for ArmFailure {
    fn into_response(self) -> Response {
        let body = json!({"error": self.to_json()});
        (self.status, axum::Json(body)).into_response()
    }
}

pub(crate) fn arm_error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    ArmFailure::new(status, code, message).into_response()
}

/// The pipeline every ARM and poll request goes through (fallback handler of the base router).
pub(crate) async fn entry(
    State(shared): State<Arc<Shared>>,
    killer: Option<Extension<ConnectionKiller>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let query = uri.query().unwrap_or_default().to_string();
    let header_text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(String::from);
    let bearer = bearer_token(&headers);
    let correlation_id = header_text(CORRELATION_HEADER);
    let parsed_body: Option<Value> = serde_json::from_slice(&body).ok();
    let precondition = ["if-match", "if-none-match"]
        .into_iter()
        .find_map(|name| header_text(name).map(|value| format!("{name}: {value}")));
    let read_only_fields = match (&method, &parsed_body) {
        (&Method::PUT | &Method::PATCH, Some(sent)) if !path.starts_with("/admin") => read_only_fields(sent),
        _ => Vec::new(),
    };
    let recorded = RecordedRequest {
        method: method.to_string(),
        path: path.clone(),
        query: query.clone(),
        status: 0,
        body: parsed_body,
        bearer_token: bearer.clone(),
        correlation_id: correlation_id.clone(),
        user_agent: header_text("user-agent"),
        precondition,
        read_only_fields,
    };
    let (seq, fault) = {
        let mut store = shared.lock();
        let seq = store.record_request(recorded);
        (seq, take_matching(&mut store.faults, method.as_str(), &path))
    };

    let response = match fault {
        Some(FaultAction::DropConnection) => {
            tracing::info!(%method, %path, "fault: dropping the connection");
            if let Some(Extension(killer)) = killer {
                killer.kill();
                // The connection task drops this future together with the socket.
                return std::future::pending::<Response>().await;
            }
            arm_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                "connection drop requested but not available on this listener",
            )
        }
        Some(FaultAction::Status { status, code, message, retry_after_secs }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = arm_error(status, &code, message);
            if let Some(secs) = retry_after_secs {
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            response
        }
        Some(FaultAction::Delay { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            authorized_dispatch(&shared, &method, &uri, &headers, bearer.as_deref(), &body).await
        }
        None => authorized_dispatch(&shared, &method, &uri, &headers, bearer.as_deref(), &body).await,
    };
    finish(&shared, seq, &method, &path, correlation_id, response)
}

fn finish(
    shared: &Shared,
    seq: u64,
    method: &Method,
    path: &str,
    correlation_id: Option<String>,
    mut response: Response,
) -> Response {
    let status = response.status().as_u16();
    shared.lock().set_request_status(seq, status);
    tracing::info!(%method, %path, status, "arm request");
    let correlation = correlation_id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&correlation) {
        headers.insert(CORRELATION_HEADER, value);
    }
    if let Ok(value) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert("x-ms-request-id", value);
    }
    response
}

fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}

/// The token rule: with a static token configured, only it and issued tokens pass; without one, any
/// non-empty bearer passes. No bearer at all is always refused.
fn check_bearer(shared: &Shared, bearer: Option<&str>) -> Result<(), ArmFailure> {
    let unauthorized = |code: &str, message: &str| ArmFailure::new(StatusCode::UNAUTHORIZED, code, message);
    let Some(token) = bearer else {
        return Err(unauthorized(
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing.",
        ));
    };
    let Some(expected) = shared.static_token.as_deref() else {
        return Ok(());
    };
    if token == expected || shared.lock().issued_tokens.contains(token) {
        Ok(())
    } else {
        Err(unauthorized("InvalidAuthenticationToken", "The access token is invalid."))
    }
}

async fn authorized_dispatch(
    shared: &Arc<Shared>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    bearer: Option<&str>,
    body: &Bytes,
) -> Response {
    if let Err(failure) = check_bearer(shared, bearer) {
        let mut response = failure.into_response();
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
        return response;
    }
    dispatch(shared, method, uri, headers, body).await
}

async fn dispatch(shared: &Arc<Shared>, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Response {
    let path = uri.path();
    if let Some(id) = path.strip_prefix("/operations/") {
        return lro::poll_async_operation(shared, id);
    }
    if let Some(id) = path.strip_prefix("/operationResults/") {
        return lro::poll_location(shared, id);
    }
    let query: HashMap<String, String> = Query::try_from_uri(uri).map(|Query(q)| q).unwrap_or_default();
    if let Some(version) = query.get("api-version")
        && let Err(refusal) = shared.lock().settings.api_versions.check(version)
    {
        return refusal.into_response();
    }
    if let Some(response) = crate::inference::account_action(shared, method, path, uri.query(), body) {
        return response;
    }
    let api_version = query.get("api-version").map(String::as_str);
    if let Some(response) = crate::validate::dispatch(shared, method, path, api_version, body) {
        return response;
    }
    if let Some(response) = crate::offers::dispatch(shared, method, path, query.get("api-version").map(String::as_str))
    {
        return response;
    }
    let Some(target) = parse_arm_path(path) else {
        return arm_error(StatusCode::NOT_FOUND, "NotFound", format!("The emulator serves no resource at '{path}'."));
    };
    let Some(api_version) = query.get("api-version").filter(|v| !v.is_empty()) else {
        return arm_error(
            StatusCode::BAD_REQUEST,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        );
    };
    match (target, method.clone()) {
        (ArmTarget::Account(account), Method::GET) => get_account(shared, &account),
        (ArmTarget::DeploymentList(account), Method::GET) => {
            list_deployments(shared, &account, path, api_version, query.get("$skiptoken").map(String::as_str))
        }
        (ArmTarget::Deployment(account, name), Method::GET) => get_deployment(shared, &account, &name),
        (ArmTarget::Deployment(account, name), Method::PUT) => {
            let precondition = Precondition::from_headers(headers);
            put_deployment(shared, &account, &name, api_version, precondition, body).await
        }
        (ArmTarget::DeploymentAction(account, name, action), Method::POST) => {
            deployment_action(shared, &account, &name, &action)
        }
        (ArmTarget::Deployment(account, name), Method::DELETE) => {
            delete_deployment(shared, &account, &name, api_version).await
        }
        (_, method) => arm_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("The emulator does not support {method} on '{path}'."),
        ),
    }
}

fn account_not_found(account: &AccountPath) -> Response {
    arm_error(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        format!(
            "The Resource 'Microsoft.CognitiveServices/accounts/{}' under resource group '{}' was not found.",
            account.name, account.resource_group
        ),
    )
}

fn parent_not_found(account: &AccountPath) -> Response {
    arm_error(
        StatusCode::NOT_FOUND,
        "ParentResourceNotFound",
        format!(
            "Can not perform requested operation on nested resource. Parent resource '{}' not found.",
            account.name
        ),
    )
}

fn deployment_not_found(name: &str) -> Response {
    arm_error(StatusCode::NOT_FOUND, "DeploymentNotFound", format!("Deployment '{name}' not found."))
}

/// Spells `resourceGroups` in lower case when the quirk asks for it.
fn quirk_id(id: &str, quirks: &Quirks) -> String {
    if !quirks.resourcegroups_lowercase {
        return id.to_string();
    }
    match id.to_ascii_lowercase().find("/resourcegroups/") {
        Some(at) => format!("{}/resourcegroups/{}", &id[..at], &id[at + "/resourcegroups/".len()..]),
        None => id.to_string(),
    }
}

/// The account as GET returns it; `endpoint` is where the emulator serves its inference API.
pub(crate) fn render_account(account: &Account, quirks: &Quirks, endpoint: &str) -> Value {
    let name = &account.path.name;
    json!({
        "id": quirk_id(&account.path.to_string(), quirks),
        "name": name,
        "type": "Microsoft.CognitiveServices/accounts",
        "kind": account.kind,
        "location": account.location,
        "sku": {"name": "S0"},
        "properties": {
            "endpoint": endpoint,
            "endpoints": {
                "OpenAI Language Model Instance API": endpoint,
                "AI Foundry API": format!("https://{}.services.ai.azure.com/", name.to_ascii_lowercase()),
            },
            "customSubDomainName": name.to_ascii_lowercase(),
            "provisioningState": "Succeeded",
            "publicNetworkAccess": "Enabled",
        }
    })
}

/// The deployment as GET returns it: quirks applied, modelProviderData omitted unless echoed.
pub(crate) fn render_deployment(body: &Value, quirks: &Quirks) -> Value {
    let mut rendered = body.clone();
    if let Some(id) = rendered.get("id").and_then(Value::as_str) {
        let id = quirk_id(id, quirks);
        rendered["id"] = json!(id);
    }
    if let Some(properties) = rendered.get_mut("properties").and_then(Value::as_object_mut) {
        if !quirks.echo_model_provider_data {
            properties.remove("modelProviderData");
        }
        if let Some(routing) = properties.get_mut("routing").and_then(Value::as_object_mut) {
            if let Some(models) =
                routing.get_mut("models").and_then(Value::as_array_mut).filter(|_| quirks.reverse_models)
            {
                models.reverse();
            }
            if quirks.capitalize_mode
                && let Some(mode) = routing.get("mode").and_then(Value::as_str)
            {
                let mut chars = mode.chars();
                let capitalised: String =
                    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default();
                routing.insert("mode".into(), json!(capitalised));
            }
        }
    }
    rendered
}

fn get_account(shared: &Shared, account: &AccountPath) -> Response {
    let store = shared.lock_advanced();
    match store.account_by_key(&account.key()) {
        Some(found) => {
            let endpoint = crate::inference::endpoint(&shared.base_url, &found.path.name);
            axum::Json(render_account(found, &store.settings.quirks, &endpoint)).into_response()
        }
        None => account_not_found(account),
    }
}

fn get_deployment(shared: &Shared, account: &AccountPath, name: &str) -> Response {
    let mut store = shared.lock_advanced();
    if store.account_by_key(&account.key()).is_none() {
        return parent_not_found(account);
    }
    let key = deployment_key(account, name);
    let Some(deployment) = store.deployments.get(&key) else {
        return deployment_not_found(name);
    };
    let response = axum::Json(render_deployment(&deployment.body, &store.settings.quirks)).into_response();
    // A portal edit armed to land between this read and the reader's write.
    if let Some((merge, left)) = store.edits_after_read.remove(&key) {
        if left > 1 {
            store.edits_after_read.insert(key.clone(), (merge.clone(), left - 1));
        }
        if let Some(deployment) = store.deployments.get_mut(&key) {
            edit_out_of_band(&mut deployment.body, &merge);
        }
    }
    response
}

/// `POST .../pause` and `.../resume`: synchronous, answer the deployment. Azure offers them for the Standard,
/// GlobalStandard and DataZoneStandard deployment types only.
fn deployment_action(shared: &Shared, account: &AccountPath, name: &str, action: &str) -> Response {
    let state = match action {
        "pause" => "Paused",
        "resume" => "Running",
        _ => {
            return arm_error(
                StatusCode::NOT_FOUND,
                "NotFound",
                format!("The deployment action '{action}' does not exist; use pause or resume."),
            );
        }
    };
    let now = Instant::now();
    let mut store = shared.lock_advanced();
    if store.account_by_key(&account.key()).is_none() {
        return parent_not_found(account);
    }
    if store.account_busy(&account.key(), now) {
        return conflict(account);
    }
    let quirks = store.settings.quirks.clone();
    let Some(deployment) = store.deployments.get_mut(&deployment_key(account, name)) else {
        return deployment_not_found(name);
    };
    let sku = text_at(&deployment.body, "/sku/name").unwrap_or_default();
    if !["Standard", "GlobalStandard", "DataZoneStandard"].iter().any(|s| s.eq_ignore_ascii_case(sku)) {
        return invalid_properties(format!("Deployments of type '{sku}' cannot be paused or resumed.")).into_response();
    }
    if let Some(properties) = properties_mut(&mut deployment.body) {
        properties.insert("deploymentState".into(), json!(state));
    }
    edit_out_of_band(&mut deployment.body, &json!({}));
    axum::Json(render_deployment(&deployment.body, &quirks)).into_response()
}

fn list_deployments(
    shared: &Shared,
    account: &AccountPath,
    path: &str,
    api_version: &str,
    skip_token: Option<&str>,
) -> Response {
    let store = shared.lock_advanced();
    let account_key = account.key();
    if store.account_by_key(&account_key).is_none() {
        return parent_not_found(account);
    }
    let skip = match skip_token.map(str::parse::<usize>) {
        None => 0,
        Some(Ok(skip)) => skip,
        Some(Err(_)) => {
            return arm_error(StatusCode::BAD_REQUEST, "InvalidSkipToken", "The $skiptoken is not valid.");
        }
    };
    let page_size = store.settings.page_size.max(1);
    let all: Vec<&Deployment> = store.deployments.values().filter(|d| d.account_key == account_key).collect();
    let value: Vec<Value> =
        all.iter().skip(skip).take(page_size).map(|d| render_deployment(&d.body, &store.settings.quirks)).collect();
    let mut page = json!({"value": value});
    if skip + page_size < all.len() {
        page["nextLink"] =
            json!(format!("{}{}?api-version={}&$skiptoken={}", shared.base_url, path, api_version, skip + page_size));
    }
    axum::Json(page).into_response()
}

fn invalid_properties(message: impl Into<String>) -> ArmFailure {
    ArmFailure::new(StatusCode::BAD_REQUEST, "InvalidResourceProperties", message)
}

fn invalid_routing(message: impl Into<String>) -> ArmFailure {
    invalid_properties(message).at("properties.routing")
}

fn text_at<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

fn same_text(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        (None, None) => true,
        _ => false,
    }
}

/// The service's checks on a deployment PUT body, shared by PUT and template validation (which writes nothing).
/// `body` may be completed (router version default).
pub(crate) fn validate_put(store: &Store, account: &Account, name: &str, body: &mut Value) -> Result<(), ArmFailure> {
    if !body.is_object() {
        return Err(ArmFailure::new(
            StatusCode::BAD_REQUEST,
            "InvalidRequestContent",
            "The request content must be a JSON object.",
        ));
    }
    if text_at(body, "/sku/name").is_none_or(str::is_empty) {
        return Err(invalid_properties("The sku of model deployment is not provided.").at("sku.name"));
    }
    let Some(model) = body.pointer("/properties/model").filter(|m| m.is_object()) else {
        return Err(invalid_properties("The model of the deployment is not provided (properties.model)."));
    };
    let model_name = model.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    if model_name.is_empty() {
        return Err(invalid_properties("The model name of the deployment is not provided (properties.model.name)."));
    }
    let model_format = model.get("format").and_then(Value::as_str).map(String::from);

    let key = deployment_key(&account.path, name);
    if let Some(existing) = store.deployments.get(&key) {
        let old_name = text_at(&existing.body, "/properties/model/name");
        let old_format = text_at(&existing.body, "/properties/model/format");
        if !same_text(old_name, Some(&model_name)) || !same_text(old_format, model_format.as_deref()) {
            return Err(invalid_properties(format!(
                "The model of deployment '{name}' cannot be changed from '{}' to '{model_name}'; create a new deployment instead.",
                old_name.unwrap_or_default()
            )));
        }
    }

    if is_anthropic(Some(model)) {
        validate_model_provider_data(body.pointer("/properties/modelProviderData"))?;
    }

    let routing = body.pointer("/properties/routing").filter(|r| !r.is_null()).cloned();
    if model_name.eq_ignore_ascii_case("model-router") {
        if text_at(body, "/properties/model/version").is_none()
            && let Some(model) = body.pointer_mut("/properties/model").and_then(Value::as_object_mut)
        {
            model.insert("version".into(), json!(DEFAULT_ROUTER_VERSION));
        }
        let version = text_at(body, "/properties/model/version").unwrap_or(DEFAULT_ROUTER_VERSION);
        if let Some(routing) = &routing {
            if version < FIRST_ROUTING_VERSION {
                return Err(invalid_routing(format!(
                    "Routing configuration (properties.routing) requires model-router version {FIRST_ROUTING_VERSION} or later; this deployment uses version '{version}'."
                )));
            }
            validate_routing(store, account, name, body, routing)?;
        }
    } else if routing.is_some() {
        return Err(invalid_routing(format!(
            "Routing configuration (properties.routing) applies only to model-router deployments, not to model '{model_name}'."
        )));
    }
    match &store.settings.validation.service_rule {
        Some(rule) => rule.check(body),
        None => Ok(()),
    }
}

fn validate_model_provider_data(data: Option<&Value>) -> Result<(), ArmFailure> {
    let invalid = |message: String| {
        ArmFailure::new(StatusCode::BAD_REQUEST, "InvalidModelProviderData", message).at("properties.modelProviderData")
    };
    let Some(data) = data.filter(|d| d.is_object()) else {
        return Err(invalid(
            "ModelProviderData is required for Anthropic model deployments but was not provided. Please provide all required fields: industry, organizationName, and countryCode.".into(),
        ));
    };
    let field = |name: &str| data.get(name).and_then(Value::as_str).map(str::trim);
    if field("organizationName").is_none_or(str::is_empty) {
        return Err(invalid("ModelProviderData.organizationName is required for Anthropic model deployments.".into()));
    }
    let country = field("countryCode").unwrap_or_default();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(invalid(format!(
            "ModelProviderData.countryCode must be a two-letter ISO 3166 country code, got '{country}'."
        )));
    }
    let industry = field("industry").unwrap_or_default();
    if !KNOWN_INDUSTRIES.contains(&industry) {
        return Err(invalid(format!(
            "ModelProviderData.industry must be one of {} (lowercase), got '{industry}'.",
            KNOWN_INDUSTRIES.join(", ")
        )));
    }
    Ok(())
}

/// Mode, non-empty subset, and the Claude rule: every Anthropic model in the subset needs a succeeded
/// deployment of that model, version and sku.name in the same account.
fn validate_routing(
    store: &Store,
    account: &Account,
    name: &str,
    body: &Value,
    routing: &Value,
) -> Result<(), ArmFailure> {
    if let Some(mode) = routing.get("mode").filter(|m| !m.is_null()) {
        let valid =
            mode.as_str().is_some_and(|m| ["balanced", "quality", "cost"].iter().any(|v| v.eq_ignore_ascii_case(m)));
        if !valid {
            return Err(invalid_routing(format!(
                "The routing mode {mode} is not supported; use balanced, quality or cost."
            )));
        }
    }
    let Some(models) = routing.get("models").filter(|m| !m.is_null()) else {
        return Ok(());
    };
    let Some(models) = models.as_array().filter(|m| !m.is_empty()) else {
        return Err(invalid_routing("properties.routing.models must hold at least one model."));
    };
    let sku_name = text_at(body, "/sku/name");
    let own_key = deployment_key(&account.path, name);
    for model in models.iter().filter(|m| is_anthropic(Some(m))) {
        let wanted_name = model.get("name").and_then(Value::as_str).unwrap_or_default();
        let wanted_version = model.get("version").and_then(Value::as_str);
        let deployed = store.deployments.iter().any(|(key, d)| {
            *key != own_key
                && d.account_key == account.path.key()
                && is_anthropic(d.body.pointer("/properties/model"))
                && same_text(text_at(&d.body, "/properties/model/name"), Some(wanted_name))
                && wanted_version.is_none_or(|v| text_at(&d.body, "/properties/model/version") == Some(v))
                && same_text(text_at(&d.body, "/sku/name"), sku_name)
                && text_at(&d.body, "/properties/provisioningState") == Some("Succeeded")
        });
        if !deployed {
            return Err(invalid_routing(format!(
                "The routing configuration references the Anthropic model '{wanted_name}' version '{}', which must first be deployed in account '{}' with sku '{}' (a succeeded deployment with format 'Anthropic').",
                wanted_version.unwrap_or("(any)"),
                account.path.name,
                sku_name.unwrap_or_default()
            )));
        }
    }
    Ok(())
}

/// The precondition of a PUT (`If-Match` / `If-None-Match`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Precondition {
    None,
    /// `If-Match: <etag>` (`*`: any existing version).
    Match(String),
    /// `If-None-Match: *`.
    Absent,
}

impl Precondition {
    fn from_headers(headers: &HeaderMap) -> Precondition {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).map(String::from);
        match (text("if-match"), text("if-none-match")) {
            (Some(etag), _) => Precondition::Match(etag),
            (None, Some(any)) if any == "*" => Precondition::Absent,
            _ => Precondition::None,
        }
    }

    /// `412 PreconditionFailed` when the stored deployment (its etag, or none) does not satisfy it.
    fn check(&self, stored_etag: Option<&str>) -> Result<(), ArmFailure> {
        let failed = |message: String| ArmFailure::new(StatusCode::PRECONDITION_FAILED, "PreconditionFailed", message);
        match (self, stored_etag) {
            (Precondition::None, _) => Ok(()),
            (Precondition::Absent, None) => Ok(()),
            (Precondition::Absent, Some(_)) => {
                Err(failed("The deployment already exists (If-None-Match: * was given).".into()))
            }
            (Precondition::Match(wanted), Some(etag)) if wanted == "*" || wanted == etag => Ok(()),
            (Precondition::Match(wanted), stored) => Err(failed(format!(
                "The deployment was changed since it was read: If-Match {wanted} does not match the current etag {}.",
                stored.unwrap_or("(none: the deployment does not exist)")
            ))),
        }
    }
}

fn conflict(account: &AccountPath) -> Response {
    arm_error(
        StatusCode::CONFLICT,
        "RequestConflict",
        format!("Another operation is being performed on the parent resource '{account}'. Please try again later."),
    )
}

async fn put_deployment(
    shared: &Arc<Shared>,
    account: &AccountPath,
    name: &str,
    api_version: &str,
    precondition: Precondition,
    raw_body: &Bytes,
) -> Response {
    let Ok(mut body) = serde_json::from_slice::<Value>(raw_body) else {
        return arm_error(StatusCode::BAD_REQUEST, "InvalidRequestContent", "The request content is not valid JSON.");
    };
    let now = Instant::now();
    let (op_id, created, style, account_path) = {
        let mut store = shared.lock_advanced();
        let Some(found) = store.account_by_key(&account.key()).cloned() else {
            return parent_not_found(account);
        };
        let stored_etag =
            store.deployments.get(&deployment_key(&found.path, name)).and_then(|d| text_at(&d.body, "/etag"));
        if let Err(failure) = precondition.check(stored_etag) {
            return failure.into_response();
        }
        if let Err(failure) = validate_put(&store, &found, name, &mut body) {
            return failure.into_response();
        }
        if store.account_busy(&found.path.key(), now) {
            return conflict(&found.path);
        }
        let key = deployment_key(&found.path, name);
        let previous = store.deployments.get(&key).map(|d| d.body.clone());
        let created = previous.is_none();
        if store.settings.quirks.drop_routing
            && let Some(properties) = body.get_mut("properties").and_then(Value::as_object_mut)
        {
            properties.remove("routing");
        }
        // The stored name keeps the spelling of the first PUT.
        let stored_name =
            previous.as_ref().and_then(|p| p.get("name").and_then(Value::as_str)).unwrap_or(name).to_string();
        fill_server_fields(&mut body, &found.path, &stored_name, previous.as_ref());
        set_provisioning_state(&mut body, if created { "Creating" } else { "Updating" });
        store.deployments.insert(key.clone(), Deployment { account_key: found.path.key(), body });
        let op_id = store.start_operation(&found.path.key(), &key, OperationKind::Put { created }, now);
        (op_id, created, store.settings.lro_style, found.path)
    };
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    if style == LroStyle::Synchronous {
        return lro::wait_synchronously(shared, &op_id, status).await;
    }
    let store = shared.lock_advanced();
    let Some(operation) = store.operations.get(&op_id) else {
        return conflict(&account_path);
    };
    let key = operation.deployment_key.clone();
    // The first answer always shows the accepted, non-terminal state, even when the operation is already done.
    let mut shown = store
        .deployments
        .get(&key)
        .map(|d| d.body.clone())
        .or_else(|| operation.final_body.clone())
        .unwrap_or(Value::Null);
    set_provisioning_state(&mut shown, if created { "Creating" } else { "Updating" });
    let mut response = (status, axum::Json(render_deployment(&shown, &store.settings.quirks))).into_response();
    lro::add_operation_headers(response.headers_mut(), style, &shared.base_url, operation, api_version, false, now);
    response
}

async fn delete_deployment(shared: &Arc<Shared>, account: &AccountPath, name: &str, api_version: &str) -> Response {
    let now = Instant::now();
    let (op_id, style) = {
        let mut store = shared.lock_advanced();
        let Some(found) = store.account_by_key(&account.key()).cloned() else {
            return parent_not_found(account);
        };
        let key = deployment_key(&found.path, name);
        if !store.deployments.contains_key(&key) {
            return StatusCode::NO_CONTENT.into_response();
        }
        if store.account_busy(&found.path.key(), now) {
            return conflict(&found.path);
        }
        if let Some(deployment) = store.deployments.get_mut(&key) {
            set_provisioning_state(&mut deployment.body, "Deleting");
        }
        let op_id = store.start_operation(&found.path.key(), &key, OperationKind::Delete, now);
        (op_id, store.settings.lro_style)
    };
    if style == LroStyle::Synchronous {
        return lro::wait_synchronously(shared, &op_id, StatusCode::OK).await;
    }
    let store = shared.lock_advanced();
    let mut response = StatusCode::ACCEPTED.into_response();
    if let Some(operation) = store.operations.get(&op_id) {
        lro::add_operation_headers(response.headers_mut(), style, &shared.base_url, operation, api_version, true, now);
    }
    response
}
