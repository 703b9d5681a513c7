//! What regions offer and how much quota is used: the location models list, the location and account usages,
//! and a switch that answers 403 on them (a least-privilege identity). Configured through [`Offers`] (part of
//! [`crate::Settings`], so `PATCH /admin/settings {"offers": ...}` and `--offers-file` change it), plus
//! `PATCH /admin/accounts/{id}` for an account's kind and location.
//!
//! Usage current values follow the deployments the emulator holds: the capacity of every deployment whose model
//! name, version and SKU match an offered SKU counts against that SKU's usage name.

use crate::Shared;
use crate::arm::arm_error;
use crate::ids::AccountPath;
use crate::state::{Account, Store};
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::patch;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;

/// The model router versions and SKUs, Claude models and quotas the emulator's regions offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Offers {
    /// Answer `403 AuthorizationFailed` on the models and usages lists (not on the account GET).
    pub forbid_reads: bool,
    /// Entries of the location models lists.
    pub models: Vec<ModelOffer>,
    /// The subscription's quotas: exactly these usage names are listed (a usage name without an entry is absent).
    pub quotas: Vec<Quota>,
}

/// One model version, in the regions that offer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModelOffer {
    /// Regions listing it (`*` = every region); compared ignoring case and spaces.
    pub regions: Vec<String>,
    /// The account kinds it is listed for (`AIServices`, `OpenAI`): one models-list entry per kind.
    pub kinds: Vec<String>,
    pub format: String,
    pub name: String,
    pub version: String,
    pub skus: Vec<SkuOffer>,
}

/// A deployment SKU of a [`ModelOffer`] with its usage name and capacity limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SkuOffer {
    pub name: String,
    pub usage_name: String,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub step: Option<i64>,
    pub default: Option<i64>,
    pub allowed_values: Vec<i64>,
}

/// A usage limit of the subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Quota {
    pub usage_name: String,
    pub limit: i64,
    /// Usage held outside this emulator's deployments (other tools, other accounts), added to the current value.
    pub used_elsewhere: i64,
}

impl Default for ModelOffer {
    fn default() -> ModelOffer {
        ModelOffer {
            regions: vec!["*".into()],
            kinds: vec!["AIServices".into(), "OpenAI".into()],
            format: "OpenAI".into(),
            name: String::new(),
            version: String::new(),
            skus: Vec::new(),
        }
    }
}

impl Default for SkuOffer {
    fn default() -> SkuOffer {
        SkuOffer {
            name: "GlobalStandard".into(),
            usage_name: String::new(),
            minimum: Some(1),
            maximum: Some(1000),
            step: Some(1),
            default: Some(10),
            allowed_values: Vec::new(),
        }
    }
}

impl Default for Quota {
    fn default() -> Quota {
        Quota { usage_name: String::new(), limit: 1000, used_elsewhere: 0 }
    }
}

/// The router SKUs, their usage names: the emulator's own names (Microsoft documents none for model router).
const ROUTER_SKUS: [(&str, &str); 2] = [
    ("GlobalStandard", "OpenAI.GlobalStandard.model-router"),
    ("DataZoneStandard", "OpenAI.DataZoneStandard.model-router"),
];
/// The Claude models (name, version) the embedded catalog's router versions route to today: the one source of truth
/// for what the provider plans against, so a current model is offered and a retired one is not.
fn catalog_claude_models() -> Vec<(String, String)> {
    let catalog = modelrouter_catalog::catalog();
    let today = modelrouter_catalog::CatalogDate::from_system_time(std::time::SystemTime::now());
    let mut models: Vec<(String, String)> = catalog
        .router_versions()
        .iter()
        .flat_map(|router| router.models.iter())
        .filter(|m| m.format.eq_ignore_ascii_case("Anthropic"))
        .filter(|m| m.retirement_date.is_none_or(|date| today < date))
        .map(|m| (m.name.clone(), m.version.clone()))
        .collect();
    models.sort();
    models.dedup();
    models
}

impl Default for Offers {
    /// Every region offers the catalog's default model-router version (GlobalStandard, DataZoneStandard) and the
    /// catalog's current Claude models (GlobalStandard), each usage name with a limit of 1000.
    fn default() -> Offers {
        let mut models = vec![ModelOffer {
            name: "model-router".into(),
            version: modelrouter_catalog::catalog().default_router_version().version.clone(),
            skus: ROUTER_SKUS
                .iter()
                .map(|(sku, usage)| SkuOffer { name: (*sku).into(), usage_name: (*usage).into(), ..Default::default() })
                .collect(),
            ..Default::default()
        }];
        for (name, version) in catalog_claude_models() {
            models.push(ModelOffer {
                // Claude is served by Foundry (AIServices) resources only.
                kinds: vec!["AIServices".into()],
                format: "Anthropic".into(),
                skus: vec![SkuOffer {
                    usage_name: format!("AIServices.GlobalStandard.{name}"),
                    maximum: Some(5000),
                    ..Default::default()
                }],
                name,
                version,
                ..Default::default()
            });
        }
        let quotas = models
            .iter()
            .flat_map(|m| m.skus.iter())
            .map(|s| Quota { usage_name: s.usage_name.clone(), ..Default::default() })
            .collect();
        Offers { forbid_reads: false, models, quotas }
    }
}

pub(crate) fn normalize_region(region: &str) -> String {
    region.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

impl ModelOffer {
    fn offered_in(&self, region: &str) -> bool {
        let region = normalize_region(region);
        self.regions.iter().any(|r| r == "*" || normalize_region(r) == region)
    }

    /// One entry per account kind.
    fn render(&self) -> Vec<Value> {
        let skus: Vec<Value> = self
            .skus
            .iter()
            .map(|s| {
                let mut capacity = serde_json::Map::new();
                for (key, value) in
                    [("minimum", s.minimum), ("maximum", s.maximum), ("step", s.step), ("default", s.default)]
                {
                    if let Some(v) = value {
                        capacity.insert(key.into(), json!(v));
                    }
                }
                if !s.allowed_values.is_empty() {
                    capacity.insert("allowedValues".into(), json!(s.allowed_values));
                }
                json!({"name": s.name, "usageName": s.usage_name, "capacity": capacity})
            })
            .collect();
        let model = json!({"format": self.format, "name": self.name, "version": self.version,
            "lifecycleStatus": "GenerallyAvailable", "isDefaultVersion": true,
            "capabilities": {"chatCompletion": "true"}, "skus": skus});
        self.kinds
            .iter()
            .map(|kind| {
                json!({"kind": kind, "skuName": "S0", "description": format!("{} {}", self.name, self.version),
                    "model": model})
            })
            .collect()
    }
}

/// What a models-or-usages path addresses.
enum ReadTarget {
    LocationModels { location: String },
    LocationUsages { subscription: String, location: String },
    AccountUsages(AccountPath),
}

fn parse_read_path(path: &str) -> Option<ReadTarget> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let literal = |index: usize, expected: &str| segments.get(index).is_some_and(|s| s.eq_ignore_ascii_case(expected));
    if !(literal(0, "subscriptions") && segments.len() > 2) {
        return None;
    }
    if segments.len() == 7
        && literal(2, "providers")
        && literal(3, "Microsoft.CognitiveServices")
        && literal(4, "locations")
    {
        let location = segments[5].to_string();
        if literal(6, "models") {
            return Some(ReadTarget::LocationModels { location });
        }
        if literal(6, "usages") {
            return Some(ReadTarget::LocationUsages { subscription: segments[1].to_string(), location });
        }
        return None;
    }
    if segments.len() == 9 && literal(8, "usages") {
        let account = AccountPath::parse(&format!("/{}", segments[..8].join("/")))?;
        return Some(ReadTarget::AccountUsages(account));
    }
    None
}

/// Answers the models and usages lists; `None` for every other path (the ARM dispatcher handles those).
pub(crate) fn dispatch(shared: &Shared, method: &Method, path: &str, api_version: Option<&str>) -> Option<Response> {
    let target = parse_read_path(path)?;
    if method != Method::GET {
        return Some(arm_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("The emulator does not support {method} on '{path}'."),
        ));
    }
    if api_version.is_none_or(str::is_empty) {
        return Some(arm_error(
            StatusCode::BAD_REQUEST,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        ));
    }
    let store = shared.lock_advanced();
    let offers = &store.settings.offers;
    if offers.forbid_reads {
        return Some(arm_error(
            StatusCode::FORBIDDEN,
            "AuthorizationFailed",
            format!(
                "The client does not have authorization to perform action 'read' over scope '{path}' (forbid_reads is on)."
            ),
        ));
    }
    let value: Vec<Value> = match target {
        ReadTarget::LocationModels { location } => {
            offers.models.iter().filter(|m| m.offered_in(&location)).flat_map(ModelOffer::render).collect()
        }
        ReadTarget::LocationUsages { subscription, location } => {
            let region = normalize_region(&location);
            let in_scope = |a: &Account| {
                a.path.subscription.eq_ignore_ascii_case(&subscription) && normalize_region(&a.location) == region
            };
            usages(&store, &region, in_scope, true)
        }
        ReadTarget::AccountUsages(account) => {
            let Some(found) = store.account_by_key(&account.key()) else {
                return Some(arm_error(
                    StatusCode::NOT_FOUND,
                    "ResourceNotFound",
                    format!("The Resource 'Microsoft.CognitiveServices/accounts/{}' was not found.", account.name),
                ));
            };
            let key = found.path.key();
            let region = normalize_region(&found.location);
            usages(&store, &region, |a: &Account| a.path.key() == key, false)
        }
    };
    Some(Json(json!({"value": value, "nextLink": null})).into_response())
}

/// One usage entry per configured quota; the current value sums the capacity of the deployments (in accounts
/// `in_scope`) whose model and SKU draw from it in `region`.
fn usages(store: &Store, region: &str, in_scope: impl Fn(&Account) -> bool, elsewhere: bool) -> Vec<Value> {
    let offers = &store.settings.offers;
    store
        .settings
        .offers
        .quotas
        .iter()
        .map(|quota| {
            let held: i64 = store
                .deployments
                .values()
                .filter(|d| store.account_by_key(&d.account_key).is_some_and(&in_scope))
                .filter(|d| draws_from(offers, region, &d.body, &quota.usage_name))
                .filter_map(|d| d.body.pointer("/sku/capacity").and_then(Value::as_i64))
                .sum();
            let current = held + if elsewhere { quota.used_elsewhere } else { 0 };
            json!({"name": {"value": quota.usage_name, "localizedValue": format!("Tokens Per Minute (thousands) - {}", quota.usage_name)},
                "currentValue": current as f64, "limit": quota.limit as f64, "unit": "Count",
                "status": "Included", "quotaPeriod": null})
        })
        .collect()
}

fn draws_from(offers: &Offers, region: &str, body: &Value, usage_name: &str) -> bool {
    let text = |pointer: &str| body.pointer(pointer).and_then(Value::as_str).unwrap_or_default();
    let (name, version, sku) = (text("/properties/model/name"), text("/properties/model/version"), text("/sku/name"));
    offers.models.iter().filter(|m| m.offered_in(region)).any(|m| {
        m.name.eq_ignore_ascii_case(name)
            && m.version == version
            && m.skus.iter().any(|s| s.name.eq_ignore_ascii_case(sku) && s.usage_name == usage_name)
    })
}

impl Shared {
    /// Changes an account's kind and/or location; false when there is no such account.
    pub(crate) fn update_account(&self, id: &str, kind: Option<String>, location: Option<String>) -> bool {
        let id = if id.starts_with('/') { id.to_string() } else { format!("/{id}") };
        let Some(path) = AccountPath::parse(&id) else {
            return false;
        };
        let mut store = self.lock();
        let Some(account) = store.accounts.get_mut(&path.key()) else {
            return false;
        };
        if let Some(kind) = kind {
            account.kind = kind;
        }
        if let Some(location) = location {
            account.location = location;
        }
        true
    }
}

#[derive(Deserialize)]
struct AccountPatch {
    kind: Option<String>,
    location: Option<String>,
}

/// `PATCH /admin/accounts/{id}` `{"kind": ..., "location": ...}`.
pub(crate) fn admin_router() -> Router<Arc<Shared>> {
    Router::new().route("/admin/accounts/{*id}", patch(patch_account))
}

async fn patch_account(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Json(body): Json<AccountPatch>,
) -> Response {
    if shared.update_account(&id, body.kind, body.location) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        (StatusCode::NOT_FOUND, Json(json!({"error": {"code": "AdminError", "message": format!("no account '{id}'")}})))
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_paths() {
        let sub = "/subscriptions/s1/providers/Microsoft.CognitiveServices/locations/eastus2";
        assert!(
            matches!(parse_read_path(&format!("{sub}/models")), Some(ReadTarget::LocationModels { location }) if location == "eastus2")
        );
        assert!(matches!(parse_read_path(&format!("{sub}/USAGES")), Some(ReadTarget::LocationUsages { .. })));
        let account = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a1";
        assert!(
            matches!(parse_read_path(&format!("{account}/usages")), Some(ReadTarget::AccountUsages(a)) if a.name == "a1")
        );
        assert!(parse_read_path(&format!("{account}/deployments")).is_none());
        assert!(parse_read_path(account).is_none());
    }

    #[test]
    fn default_offers_list_the_router_and_claude_everywhere() {
        let offers = Offers::default();
        let router = offers.models.iter().find(|m| m.name == "model-router").unwrap();
        assert!(router.offered_in("Sweden Central"));
        assert_eq!(router.skus.len(), 2);
        assert!(offers.models.iter().any(|m| m.name == "claude-sonnet-4-5" && m.format == "Anthropic"));
        assert!(offers.quotas.iter().any(|q| q.usage_name == "OpenAI.GlobalStandard.model-router"));
    }

    /// The offers follow the catalog: every current Claude model of every router version, at the catalog's version,
    /// and no retired one.
    #[test]
    fn default_claude_offers_are_the_catalogs_current_claude_models() {
        let offers = Offers::default();
        let offered: Vec<(&str, &str)> = offers
            .models
            .iter()
            .filter(|m| m.format == "Anthropic")
            .map(|m| (m.name.as_str(), m.version.as_str()))
            .collect();
        for current in
            [("claude-sonnet-5", "1"), ("claude-opus-5", "1"), ("claude-opus-4-8", "1"), ("claude-fable-5-1", "1")]
        {
            assert!(offered.contains(&current), "{current:?} not in {offered:?}");
        }
        assert!(!offered.iter().any(|(name, _)| *name == "claude-opus-4-1"), "retired: {offered:?}");
        let catalog = modelrouter_catalog::catalog();
        let router = catalog.default_router_version();
        for entry in router.models.iter().filter(|m| m.format == "Anthropic") {
            assert!(offered.contains(&(entry.name.as_str(), entry.version.as_str())), "{} missing", entry.name);
        }
        let model_router = offers.models.iter().find(|m| m.name == "model-router").unwrap();
        assert_eq!(model_router.version, router.version);
    }
}
