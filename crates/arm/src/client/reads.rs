//! Read APIs for plan-time checks: the location models list and the location and account usages, each cached
//! for the life of the client (one provider process). Concurrent first calls for the same key share one request;
//! a failure is not cached, so a later call tries again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tokio::sync::OnceCell;
use tracing::Instrument;
use url::Url;

use super::{ArmClient, MAX_PAGES};
use crate::error::{ArmError, ArmErrorKind};
use crate::id::AccountId;
use crate::model::Page;
use crate::offer::{LocationModel, Usage};
use crate::transport::{Intent, Operation};

type Cells<T> = Mutex<HashMap<String, Arc<OnceCell<Arc<Vec<T>>>>>>;

/// Per-client caches of the read APIs, keyed by lower-cased subscription/location or account id.
#[derive(Default)]
pub(crate) struct ReadCache {
    models: Cells<LocationModel>,
    location_usages: Cells<Usage>,
    account_usages: Cells<Usage>,
}

fn cell<T>(cells: &Cells<T>, key: String) -> Arc<OnceCell<Arc<Vec<T>>>> {
    cells.lock().unwrap_or_else(|p| p.into_inner()).entry(key).or_default().clone()
}

fn location_key(subscription: &str, location: &str) -> String {
    format!("{}/{}", subscription.to_ascii_lowercase(), normalize_location(location))
}

/// `East US 2` and `eastus2` name the same region.
pub fn normalize_location(location: &str) -> String {
    location.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

impl ArmClient {
    /// The models a region offers (`GET /subscriptions/{s}/providers/Microsoft.CognitiveServices/locations/{l}/models`,
    /// every page). Cached per subscription and location.
    pub async fn list_location_models(
        &self,
        subscription: &str,
        location: &str,
        deadline: Instant,
    ) -> Result<Arc<Vec<LocationModel>>, ArmError> {
        let path = format!(
            "/subscriptions/{subscription}/providers/Microsoft.CognitiveServices/locations/{}/models",
            normalize_location(location)
        );
        let cell = cell(&self.inner.reads.models, location_key(subscription, location));
        cell.get_or_try_init(|| self.read_list(path, "the location models list", deadline)).await.cloned()
    }

    /// The subscription's quota usages in a region (`.../locations/{l}/usages`). Cached per subscription and location.
    pub async fn list_location_usages(
        &self,
        subscription: &str,
        location: &str,
        deadline: Instant,
    ) -> Result<Arc<Vec<Usage>>, ArmError> {
        let path = format!(
            "/subscriptions/{subscription}/providers/Microsoft.CognitiveServices/locations/{}/usages",
            normalize_location(location)
        );
        let cell = cell(&self.inner.reads.location_usages, location_key(subscription, location));
        cell.get_or_try_init(|| self.read_list(path, "the location usages list", deadline)).await.cloned()
    }

    /// The account's usages (`.../accounts/{a}/usages`). Cached per account.
    pub async fn list_account_usages(
        &self,
        account: &AccountId,
        deadline: Instant,
    ) -> Result<Arc<Vec<Usage>>, ArmError> {
        let path = format!("{account}/usages");
        let cell = cell(&self.inner.reads.account_usages, account.lock_key());
        cell.get_or_try_init(|| self.read_list(path, "the account usages list", deadline)).await.cloned()
    }

    async fn read_list<T: DeserializeOwned>(
        &self,
        path: String,
        what: &'static str,
        deadline: Instant,
    ) -> Result<Arc<Vec<T>>, ArmError> {
        let mut op = self.operation(deadline);
        let span = tracing::debug_span!("arm_read_list", path = %path, correlation_id = %op.correlation_id);
        async { self.list_pages(&mut op, &path, what).await.map(Arc::new) }.instrument(span).await
    }

    /// GETs `path` and every `nextLink` after it (same origin only), concatenating the `value` arrays.
    pub(super) async fn list_pages<T: DeserializeOwned>(
        &self,
        op: &mut Operation,
        path: &str,
        what: &str,
    ) -> Result<Vec<T>, ArmError> {
        let transport = &self.inner.transport;
        let mut all = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut next: Option<Url> = None;
        for _ in 0..MAX_PAGES {
            let response = match &next {
                // The first page: the client's api-version (with its fallback); the next ones as Azure links them.
                None => self.request(op, Method::GET, path, None, Intent::Read, None).await?.0,
                Some(url) => transport.send(op, Method::GET, url, None, Intent::Read, &[]).await?,
            };
            if response.status != StatusCode::OK {
                return Err(response.into_error(op));
            }
            let page: Page<T> = response.json(&format!("a page of {what}"), op)?;
            all.extend(page.value);
            match page.next_link.filter(|l| !l.trim().is_empty()) {
                None => return Ok(all),
                Some(link) => {
                    if !seen.insert(link.clone()) {
                        return Err(op.error(ArmErrorKind::Decode {
                            what: what.to_string(),
                            message: "nextLink repeats a page already read".into(),
                        }));
                    }
                    next = Some(transport.vet_service_url(&link)?);
                }
            }
        }
        Err(op.error(ArmErrorKind::Decode { what: what.to_string(), message: format!("more than {MAX_PAGES} pages") }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_normalised() {
        assert_eq!(normalize_location("East US 2"), "eastus2");
        assert_eq!(location_key("SUB", "Sweden Central"), "sub/swedencentral");
    }
}
