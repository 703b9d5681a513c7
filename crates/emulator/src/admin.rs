//! Out-of-band control: the operations behind both the `Emulator` methods and the admin HTTP API
//! (`/admin/...` on the base URL). Admin requests are not recorded, not subject to faults and need no token.

use crate::AccountSpec;
use crate::Shared;
use crate::faults::{ActiveFault, FaultRule};
use crate::ids::{AccountPath, ArmTarget, deployment_key, parse_arm_path};
use crate::state::{
    Account, Deployment, RecordedRequest, Settings, Store, TokenGrant, edit_out_of_band, fill_server_fields,
    merge_patch, set_provisioning_state,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

impl Shared {
    pub(crate) fn add_account(&self, spec: &AccountSpec) -> bool {
        let Some(path) = AccountPath::parse(&spec.id) else {
            return false;
        };
        self.lock()
            .accounts
            .insert(path.key(), Account { path, location: spec.location.clone(), kind: spec.kind.clone() });
        true
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.iter().map(|(_, r)| r.clone()).collect()
    }

    pub(crate) fn token_grants(&self) -> Vec<TokenGrant> {
        self.lock().token_grants.clone()
    }

    pub(crate) fn inject(&self, rule: FaultRule) {
        self.lock().faults.push(ActiveFault::new(rule));
    }

    pub(crate) fn deployment(&self, id: &str) -> Option<Value> {
        let (account, name) = parse_deployment_id(id)?;
        self.lock_advanced().deployments.get(&deployment_key(&account, &name)).map(|d| d.body.clone())
    }

    /// Creates or replaces a deployment directly (Succeeded, no LRO, no validation). An unknown account is
    /// added (location eastus2, kind AIServices) so that seeding never silently does nothing.
    pub(crate) fn seed_deployment(&self, id: &str, mut body: Value) -> bool {
        let Some((account, name)) = parse_deployment_id(id) else {
            return false;
        };
        if !body.is_object() {
            return false;
        }
        let mut store = self.lock_advanced();
        let account = store
            .accounts
            .entry(account.key())
            .or_insert_with(|| Account { path: account.clone(), location: "eastus2".into(), kind: "AIServices".into() })
            .path
            .clone();
        let key = deployment_key(&account, &name);
        let previous = store.deployments.get(&key).map(|d| d.body.clone());
        fill_server_fields(&mut body, &account, &name, previous.as_ref());
        set_provisioning_state(&mut body, "Succeeded");
        store.deployments.insert(key, Deployment { account_key: account.key(), body });
        true
    }

    /// JSON merge-patch of the stored deployment (drift made out of band); the etag changes.
    pub(crate) fn patch_deployment(&self, id: &str, merge: &Value) -> bool {
        let Some((account, name)) = parse_deployment_id(id) else {
            return false;
        };
        let mut store = self.lock_advanced();
        let Some(deployment) = store.deployments.get_mut(&deployment_key(&account, &name)) else {
            return false;
        };
        edit_out_of_band(&mut deployment.body, merge);
        true
    }

    pub(crate) fn edit_after_reads(&self, id: &str, merge: Value, reads: u32) -> bool {
        let Some((account, name)) = parse_deployment_id(id) else {
            return false;
        };
        self.lock().edits_after_read.insert(deployment_key(&account, &name), (merge, reads.max(1)));
        true
    }

    pub(crate) fn delete_deployment(&self, id: &str) -> bool {
        let Some((account, name)) = parse_deployment_id(id) else {
            return false;
        };
        self.lock_advanced().deployments.remove(&deployment_key(&account, &name)).is_some()
    }

    pub(crate) fn hold_account(&self, account_id: &str, for_ms: u64) {
        let key = AccountPath::parse(account_id)
            .map(|a| a.key())
            .unwrap_or_else(|| account_id.trim_end_matches('/').to_ascii_lowercase());
        let until = Instant::now() + Duration::from_millis(for_ms);
        self.lock().holds.insert(key, until);
    }

    pub(crate) fn update_settings(&self, f: impl FnOnce(&mut Settings)) {
        f(&mut self.lock().settings);
    }

    /// Back to the state after start: accounts kept, everything else cleared, settings as started.
    pub(crate) fn reset(&self) {
        let mut store = self.lock();
        let accounts = std::mem::take(&mut store.accounts);
        *store = Store { settings: self.initial_settings.clone(), accounts, ..Store::default() };
    }
}

fn parse_deployment_id(id: &str) -> Option<(AccountPath, String)> {
    let path = if id.starts_with('/') { id.to_string() } else { format!("/{id}") };
    match parse_arm_path(&path)? {
        ArmTarget::Deployment(account, name) => Some((account, name)),
        _ => None,
    }
}

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/admin/requests", get(list_requests).delete(clear_requests))
        .route("/admin/faults", post(add_fault).delete(clear_faults))
        .route("/admin/settings", get(get_settings).patch(patch_settings))
        .route(
            "/admin/deployments/{*id}",
            get(get_deployment).put(put_deployment).patch(patch_deployment).delete(delete_deployment),
        )
        .route("/admin/edit-after-read/{*id}", post(edit_after_read))
        .route("/admin/hold", post(hold))
        .route("/admin/reset", post(reset))
        .route("/admin/tokens", get(list_token_grants))
}

fn admin_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": {"code": "AdminError", "message": message.into()}}))).into_response()
}

async fn list_requests(State(shared): State<Arc<Shared>>) -> Json<Vec<RecordedRequest>> {
    Json(shared.requests())
}

async fn clear_requests(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.lock().requests.clear();
    StatusCode::NO_CONTENT
}

async fn list_token_grants(State(shared): State<Arc<Shared>>) -> Json<Vec<TokenGrant>> {
    Json(shared.token_grants())
}

async fn add_fault(State(shared): State<Arc<Shared>>, Json(rule): Json<FaultRule>) -> StatusCode {
    shared.inject(rule);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.lock().faults.clear();
    StatusCode::NO_CONTENT
}

async fn get_settings(State(shared): State<Arc<Shared>>) -> Json<Settings> {
    Json(shared.lock().settings.clone())
}

/// Partial settings JSON, merged into the current settings (RFC 7386).
async fn patch_settings(State(shared): State<Arc<Shared>>, Json(patch): Json<Value>) -> Response {
    let mut store = shared.lock();
    let mut current = match serde_json::to_value(&store.settings) {
        Ok(value) => value,
        Err(error) => return admin_error(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
    };
    merge_patch(&mut current, &patch);
    match serde_json::from_value::<Settings>(current) {
        Ok(settings) => {
            store.settings = settings.clone();
            Json(settings).into_response()
        }
        Err(error) => admin_error(StatusCode::BAD_REQUEST, format!("invalid settings: {error}")),
    }
}

async fn get_deployment(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match shared.deployment(&id) {
        Some(body) => Json(body).into_response(),
        None => admin_error(StatusCode::NOT_FOUND, format!("no deployment '{id}'")),
    }
}

async fn put_deployment(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if !shared.seed_deployment(&id, body) {
        return admin_error(
            StatusCode::BAD_REQUEST,
            format!("'{id}' is not a deployment id, or the body is not a JSON object"),
        );
    }
    match shared.deployment(&id) {
        Some(body) => Json(body).into_response(),
        None => admin_error(StatusCode::INTERNAL_SERVER_ERROR, "seeded deployment vanished"),
    }
}

async fn patch_deployment(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Json(merge): Json<Value>,
) -> Response {
    if !shared.patch_deployment(&id, &merge) {
        return admin_error(StatusCode::NOT_FOUND, format!("no deployment '{id}'"));
    }
    match shared.deployment(&id) {
        Some(body) => Json(body).into_response(),
        None => admin_error(StatusCode::NOT_FOUND, format!("no deployment '{id}'")),
    }
}

async fn edit_after_read(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Json(merge): Json<Value>,
) -> Response {
    if shared.edit_after_reads(&id, merge, 1) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        admin_error(StatusCode::BAD_REQUEST, format!("'{id}' is not a deployment id"))
    }
}

async fn delete_deployment(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    if shared.delete_deployment(&id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        admin_error(StatusCode::NOT_FOUND, format!("no deployment '{id}'"))
    }
}

#[derive(Deserialize)]
struct HoldQuery {
    account: String,
    ms: u64,
}

async fn hold(State(shared): State<Arc<Shared>>, Query(query): Query<HoldQuery>) -> StatusCode {
    shared.hold_account(&query.account, query.ms);
    StatusCode::NO_CONTENT
}

async fn reset(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.reset();
    StatusCode::NO_CONTENT
}
