//! The emulator's state: accounts, deployments, operations, request log and fault rules, in one store behind
//! one mutex. Operations are evaluated lazily: each carries its end instant, and `advance` applies the outcome
//! of every operation whose time has come before anything reads the store. No timer tasks are needed.

use crate::faults::ActiveFault;
use crate::ids::AccountPath;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// How long-running PUT and DELETE operations are announced to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum LroStyle {
    /// 201/200 (PUT) or 202 (DELETE) with `Azure-AsyncOperation: {base}/operations/{id}`.
    #[default]
    #[serde(alias = "async", alias = "async_operation")]
    AsyncOperation,
    /// 201/200 (PUT) or 202 (DELETE) with `Location: {base}/operationResults/{id}`.
    #[serde(alias = "location")]
    Location,
    /// No poll headers: the client polls the resource's `provisioningState` (DELETE: until 404).
    #[serde(alias = "provisioning-state", alias = "provisioning_state")]
    ProvisioningState,
    /// The request waits for the operation and answers with its final result.
    #[serde(alias = "sync", alias = "synchronous")]
    Synchronous,
}

/// How operations end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Outcome {
    #[default]
    Succeeded,
    Failed,
    Canceled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Succeeded => "Succeeded",
            Outcome::Failed => "Failed",
            Outcome::Canceled => "Canceled",
        }
    }

    /// The error an unsuccessful operation reports.
    pub fn error(self) -> Option<(&'static str, &'static str)> {
        match self {
            Outcome::Succeeded => None,
            Outcome::Failed => Some(("OperationFailed", "The operation failed (injected by modelrouter-emulator).")),
            Outcome::Canceled => {
                Some(("OperationCanceled", "The operation was canceled (injected by modelrouter-emulator)."))
            }
        }
    }
}

/// Deviations from the documented service behaviour, to exercise client tolerance. All off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Quirks {
    /// Ids in responses spell `resourcegroups`.
    pub resourcegroups_lowercase: bool,
    /// `properties.routing.models` come back in reverse order.
    pub reverse_models: bool,
    /// `properties.routing.mode` comes back capitalised (`Balanced`).
    pub capitalize_mode: bool,
    /// PUT silently drops `properties.routing`.
    pub drop_routing: bool,
    /// GET returns `properties.modelProviderData` (omitted otherwise).
    pub echo_model_provider_data: bool,
}

/// Behaviour switches, changeable at run time (`Emulator::update_settings`, `PATCH /admin/settings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lro_style: LroStyle,
    /// How long a PUT/DELETE operation runs.
    pub operation_delay_ms: u64,
    pub operation_outcome: Outcome,
    /// Deployments per list page (at least 1).
    pub page_size: usize,
    pub quirks: Quirks,
    /// What regions offer, quotas, and the 403 switch of the read APIs (see `offers`).
    pub offers: crate::offers::Offers,
    /// Which api-versions are refused (see `api_versions`).
    pub api_versions: crate::api_versions::ApiVersionPolicy,
    /// How template validation answers, and a rule only the service knows (see `validate`).
    pub validation: crate::validate::ValidationSettings,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            lro_style: LroStyle::AsyncOperation,
            operation_delay_ms: 0,
            operation_outcome: Outcome::Succeeded,
            page_size: 100,
            quirks: Quirks::default(),
            offers: crate::offers::Offers::default(),
            api_versions: Default::default(),
            validation: crate::validate::ValidationSettings::default(),
        }
    }
}

/// One ARM or operation-poll request as the emulator saw it. `status` is 0 when the connection was dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub status: u16,
    pub body: Option<Value>,
    pub bearer_token: Option<String>,
    pub correlation_id: Option<String>,
    pub user_agent: Option<String>,
    /// The `If-Match` / `If-None-Match` header of the request, as `If-Match: "etag"`.
    #[serde(default)]
    pub precondition: Option<String>,
    /// JSON pointers of the read-only fields a PUT body carried (the published API marks them read-only; Azure
    /// ignores or refuses them): a client must never send them.
    #[serde(default)]
    pub read_only_fields: Vec<String>,
}

/// Which OAuth2 grant a token request used (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenGrant {
    pub endpoint: String,
    pub tenant: Option<String>,
    pub client_id: Option<String>,
    /// `client_secret`, `client_assertion`, `managed_identity`.
    pub grant: String,
    pub scope: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub path: AccountPath,
    pub location: String,
    pub kind: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Deployment {
    pub account_key: String,
    /// Stored ARM JSON, as the service keeps it (modelProviderData included; quirks applied when rendered).
    pub body: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OperationKind {
    Put { created: bool },
    Delete,
}

#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub id: String,
    pub account_key: String,
    pub deployment_key: String,
    pub kind: OperationKind,
    pub started_at: OffsetDateTime,
    pub ends: Instant,
    pub outcome: Outcome,
    pub finished: bool,
    pub finished_at: Option<OffsetDateTime>,
    /// The resource as it was when a PUT operation finished (the Location poll's final answer).
    pub final_body: Option<Value>,
}

impl Operation {
    pub fn remaining(&self, now: Instant) -> Duration {
        self.ends.saturating_duration_since(now)
    }

    /// `InProgress` or the outcome.
    pub fn status(&self) -> &'static str {
        if self.finished { self.outcome.as_str() } else { "InProgress" }
    }
}

#[derive(Default)]
pub(crate) struct Store {
    pub settings: Settings,
    pub accounts: BTreeMap<String, Account>,
    pub deployments: BTreeMap<String, Deployment>,
    pub operations: HashMap<String, Operation>,
    pub holds: HashMap<String, Instant>,
    pub requests: Vec<(u64, RecordedRequest)>,
    pub next_request_seq: u64,
    pub faults: Vec<ActiveFault>,
    pub issued_tokens: HashSet<String>,
    pub token_grants: Vec<TokenGrant>,
    /// Out-of-band edits (JSON merge patches) that land right after the next GETs of a deployment, by key, with how
    /// many reads are still followed by one: a portal edit between a client's read and its write.
    pub edits_after_read: HashMap<String, (Value, u32)>,
    /// Certificates registered for client certificate credentials, by `x5t#S256` thumbprint.
    pub client_certificates: HashMap<String, crate::client_certs::RegisteredCertificate>,
    /// Template validations answered with 202, by poll id.
    pub validations: HashMap<String, crate::validate::PendingValidation>,
}

pub(crate) const DEFAULT_RAI_POLICY: &str = "Microsoft.DefaultV2";
pub(crate) const DEFAULT_VERSION_UPGRADE_OPTION: &str = "OnceNewDefaultVersionAvailable";
pub(crate) const DEPLOYMENT_TYPE: &str = "Microsoft.CognitiveServices/accounts/deployments";

impl Store {
    /// Applies the outcome of every operation that has run its time.
    pub fn advance(&mut self, now: Instant) {
        let due: Vec<String> =
            self.operations.values().filter(|op| !op.finished && op.ends <= now).map(|op| op.id.clone()).collect();
        for id in due {
            self.finish_operation(&id);
        }
        self.holds.retain(|_, until| *until > now);
    }

    fn finish_operation(&mut self, id: &str) {
        let Some(op) = self.operations.get(id).cloned() else {
            return;
        };
        let mut final_body = None;
        match (op.kind, op.outcome) {
            (OperationKind::Delete, Outcome::Succeeded) => {
                self.deployments.remove(&op.deployment_key);
            }
            (kind, outcome) => {
                if let Some(deployment) = self.deployments.get_mut(&op.deployment_key) {
                    set_provisioning_state(&mut deployment.body, outcome.as_str());
                    if matches!(kind, OperationKind::Put { .. }) {
                        final_body = Some(deployment.body.clone());
                    }
                }
            }
        }
        if let Some(op) = self.operations.get_mut(id) {
            op.finished = true;
            op.finished_at = Some(OffsetDateTime::now_utc());
            op.final_body = final_body;
        }
    }

    /// Whether a write to this account must be refused with 409 (an operation runs, or a hold is in force).
    pub fn account_busy(&self, account_key: &str, now: Instant) -> bool {
        let running = self.operations.values().any(|op| !op.finished && op.account_key == account_key);
        let held = self.holds.get(account_key).is_some_and(|until| *until > now);
        running || held
    }

    /// Starts an operation with the current settings' delay and outcome; returns its id.
    pub fn start_operation(
        &mut self,
        account_key: &str,
        deployment_key: &str,
        kind: OperationKind,
        now: Instant,
    ) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let operation = Operation {
            id: id.clone(),
            account_key: account_key.to_string(),
            deployment_key: deployment_key.to_string(),
            kind,
            started_at: OffsetDateTime::now_utc(),
            ends: now + Duration::from_millis(self.settings.operation_delay_ms),
            outcome: self.settings.operation_outcome,
            finished: false,
            finished_at: None,
            final_body: None,
        };
        self.operations.insert(id.clone(), operation);
        id
    }

    pub fn account_by_key(&self, key: &str) -> Option<&Account> {
        self.accounts.get(key)
    }

    /// Records a request at its arrival; the status is filled in when the answer is known.
    pub fn record_request(&mut self, request: RecordedRequest) -> u64 {
        self.next_request_seq += 1;
        let seq = self.next_request_seq;
        self.requests.push((seq, request));
        seq
    }

    pub fn set_request_status(&mut self, seq: u64, status: u16) {
        if let Some((_, request)) = self.requests.iter_mut().rev().find(|(s, _)| *s == seq) {
            request.status = status;
        }
    }
}

pub(crate) fn now_rfc3339() -> String {
    format_time(OffsetDateTime::now_utc())
}

pub(crate) fn format_time(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Read-only fields of a deployment as the published API marks them, as JSON pointers (`*`: every array element).
const READ_ONLY_POINTERS: [&str; 11] = [
    "/id",
    "/type",
    "/etag",
    "/systemData",
    "/properties/provisioningState",
    "/properties/capabilities",
    "/properties/rateLimits",
    "/properties/callRateLimit",
    "/properties/dynamicThrottlingEnabled",
    "/properties/model/callRateLimit",
    "/properties/routing/models/*/callRateLimit",
];

/// The read-only fields a PUT body carries (`name` is the URL's and may be repeated).
pub(crate) fn read_only_fields(body: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for pointer in READ_ONLY_POINTERS {
        match pointer.split_once("/*") {
            None if body.pointer(pointer).is_some() => found.push(pointer.to_string()),
            None => {}
            Some((array, field)) => {
                let len = body.pointer(array).and_then(Value::as_array).map_or(0, Vec::len);
                found.extend((0..len).map(|i| format!("{array}/{i}{field}")).filter(|p| body.pointer(p).is_some()));
            }
        }
    }
    found
}

/// What the service computes on every write and returns on GET (read-only: a client that echoes them is wrong).
fn fill_read_only_properties(body: &mut Value) {
    let capacity = body.pointer("/sku/capacity").and_then(Value::as_i64).unwrap_or(1);
    let limits = json!([
        {"key": "request", "renewalPeriod": 10, "count": capacity},
        {"key": "token", "renewalPeriod": 60, "count": capacity * 1000},
    ]);
    if let Some(model) = body.pointer_mut("/properties/model").and_then(Value::as_object_mut) {
        model.insert("callRateLimit".into(), json!({"count": capacity, "renewalPeriod": 10}));
    }
    if let Some(models) = body.pointer_mut("/properties/routing/models").and_then(Value::as_array_mut) {
        for model in models.iter_mut().filter_map(Value::as_object_mut) {
            model.insert("callRateLimit".into(), json!({"count": capacity, "renewalPeriod": 10}));
        }
    }
    if let Some(properties) = properties_mut(body) {
        properties.insert("capabilities".into(), json!({"chatCompletion": "true"}));
        properties.insert("rateLimits".into(), limits);
        properties.insert("callRateLimit".into(), json!({"count": capacity, "renewalPeriod": 10}));
        properties.insert("dynamicThrottlingEnabled".into(), json!(false));
    }
}

pub(crate) fn set_provisioning_state(body: &mut Value, state: &str) {
    if let Some(properties) = properties_mut(body) {
        properties.insert("provisioningState".into(), json!(state));
    }
}

/// `body.properties` as a map, created when absent (or when not an object).
pub(crate) fn properties_mut(body: &mut Value) -> Option<&mut Map<String, Value>> {
    let object = body.as_object_mut()?;
    let properties = object.entry("properties").or_insert_with(|| Value::Object(Map::new()));
    if !properties.is_object() {
        *properties = Value::Object(Map::new());
    }
    properties.as_object_mut()
}

/// Fills what the service sets on every write: id, name, type, defaults, systemData and a fresh etag.
/// `created_at` is kept from the previous version of the resource when there is one.
pub(crate) fn fill_server_fields(body: &mut Value, account: &AccountPath, name: &str, previous: Option<&Value>) {
    let now = now_rfc3339();
    let created_at = previous
        .and_then(|p| p.pointer("/systemData/createdAt"))
        .and_then(Value::as_str)
        .map(String::from)
        .unwrap_or_else(|| now.clone());
    let anthropic = is_anthropic(body.pointer("/properties/model"));
    // A PUT that does not say keeps the deployment's state (pause/resume are actions of their own).
    let previous_state = previous.and_then(|p| p.pointer("/properties/deploymentState")).cloned();
    fill_read_only_properties(body);
    if let Some(properties) = properties_mut(body) {
        if !properties.contains_key("deploymentState") {
            properties.insert("deploymentState".into(), previous_state.unwrap_or_else(|| json!("Running")));
        }
        if !anthropic && !properties.contains_key("raiPolicyName") {
            properties.insert("raiPolicyName".into(), json!(DEFAULT_RAI_POLICY));
        }
        if !properties.contains_key("versionUpgradeOption") {
            properties.insert("versionUpgradeOption".into(), json!(DEFAULT_VERSION_UPGRADE_OPTION));
        }
    }
    if let Some(object) = body.as_object_mut() {
        object.insert("id".into(), json!(account.deployment_id(name)));
        object.insert("name".into(), json!(name));
        object.insert("type".into(), json!(DEPLOYMENT_TYPE));
        object.insert("etag".into(), json!(format!("\"{}\"", uuid::Uuid::new_v4())));
        object.insert(
            "systemData".into(),
            json!({
                "createdBy": "modelrouter-emulator",
                "createdByType": "Application",
                "createdAt": created_at,
                "lastModifiedBy": "modelrouter-emulator",
                "lastModifiedByType": "Application",
                "lastModifiedAt": now,
            }),
        );
    }
}

/// An edit made outside any client (the portal): merged into the stored deployment, which gets a new etag.
pub(crate) fn edit_out_of_band(body: &mut Value, merge: &Value) {
    merge_patch(body, merge);
    if let Some(object) = body.as_object_mut() {
        object.insert("etag".into(), json!(format!("\"{}\"", uuid::Uuid::new_v4())));
    }
}

/// Whether a `DeploymentModel` JSON has format Anthropic.
pub(crate) fn is_anthropic(model: Option<&Value>) -> bool {
    model.and_then(|m| m.get("format")).and_then(Value::as_str).is_some_and(|f| f.eq_ignore_ascii_case("Anthropic"))
}

/// RFC 7386 JSON merge patch.
pub(crate) fn merge_patch(target: &mut Value, patch: &Value) {
    let Some(patch_object) = patch.as_object() else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Some(target_object) = target.as_object_mut() {
        for (key, value) in patch_object {
            if value.is_null() {
                target_object.remove(key);
            } else {
                merge_patch(target_object.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_patch_follows_rfc7386() {
        let mut target = json!({"a": 1, "b": {"c": 2, "d": 3}});
        merge_patch(&mut target, &json!({"a": null, "b": {"c": 5}, "e": [1]}));
        assert_eq!(target, json!({"b": {"c": 5, "d": 3}, "e": [1]}));
    }

    #[test]
    fn settings_accept_partial_json() {
        let settings: Settings = serde_json::from_str(r#"{"lro_style":"Location","quirks":{"reverse_models":true}}"#)
            .expect("partial settings");
        assert_eq!(settings.lro_style, LroStyle::Location);
        assert_eq!(settings.page_size, 100);
        assert!(settings.quirks.reverse_models);
    }

    #[test]
    fn operations_finish_lazily() {
        let mut store = Store::default();
        store.settings.operation_delay_ms = 50;
        store.deployments.insert(
            "d".into(),
            Deployment { account_key: "a".into(), body: json!({"properties": {"provisioningState": "Deleting"}}) },
        );
        let now = Instant::now();
        let id = store.start_operation("a", "d", OperationKind::Delete, now);
        store.advance(now);
        assert!(store.account_busy("a", now));
        assert_eq!(store.operations[&id].status(), "InProgress");
        let later = now + Duration::from_millis(60);
        store.advance(later);
        assert!(!store.account_busy("a", later));
        assert_eq!(store.operations[&id].status(), "Succeeded");
        assert!(store.deployments.is_empty());
    }
}
