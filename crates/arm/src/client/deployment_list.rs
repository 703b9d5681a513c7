//! List-backed deployment reads. Azure throttles reads per subscription, and a fleet holds tens of deployments
//! per account, so within one client (one provider process) every read of an account's deployments is served
//! from one paged deployments list, fetched when first needed and shared by concurrent readers (single flight).
//!
//! What keeps the answers true:
//! - a deployment missing from the list is confirmed with one GET before it is reported gone;
//! - the client's own writes record what they left (the read-back after a PUT, gone after a DELETE, "unsettled"
//!   after a write that failed, which the next read GETs again), and a record takes precedence over the list;
//! - a GET that started before a write ended does not overwrite what the write recorded (the account's write
//!   generation);
//! - a list that fails is handed to the readers that waited for it, not kept: a later read lists again.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::ArmClient;
use crate::error::{ArmError, ArmErrorKind};
use crate::id::{AccountId, DeploymentId};
use crate::model::Deployment;

/// An account's listed deployments, keyed by lower-cased name (ARM names are case-insensitive).
type Listed = Arc<BTreeMap<String, Deployment>>;

/// The per-client lists, keyed by the account's lock key.
#[derive(Default)]
pub(crate) struct DeploymentLists {
    accounts: Mutex<HashMap<String, Arc<AccountDeployments>>>,
}

#[derive(Default)]
struct AccountDeployments {
    /// Held while the list is being read: the single flight.
    flight: tokio::sync::Mutex<Flight>,
    /// How many list attempts have failed; read before queueing for `flight` to tell a failure the caller
    /// waited for (shared) from one that happened before it asked (tried again).
    failures: AtomicU64,
    written: Mutex<Written>,
}

#[derive(Default)]
struct Flight {
    listed: Option<Listed>,
    last_failure: Option<Arc<ArmError>>,
}

#[derive(Default)]
struct Written {
    /// Bumped by every write to the account.
    generation: u64,
    records: HashMap<String, Record>,
}

/// What this client knows about one deployment better than the list does.
#[derive(Clone)]
enum Record {
    Present(Box<Deployment>),
    Gone,
    /// A write failed or may not have finished: only a GET can tell.
    Unsettled,
}

/// How a read is answered.
enum Lookup {
    Known(Option<Box<Deployment>>),
    /// The list cannot vouch for it: one GET.
    Get,
    /// Nothing recorded and the list not read yet.
    List,
}

fn name_key(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// The name a list entry is filed under: its `name`, else the last segment of its `id`.
fn listed_name(deployment: &Deployment) -> Option<String> {
    let name = deployment.name.as_deref().filter(|n| !n.is_empty());
    let from_id = || deployment.id.as_deref().and_then(|id| id.rsplit('/').next()).filter(|n| !n.is_empty());
    name.or_else(from_id).map(name_key)
}

impl DeploymentLists {
    fn account(&self, account: &AccountId) -> Arc<AccountDeployments> {
        self.accounts.lock().unwrap_or_else(|p| p.into_inner()).entry(account.lock_key()).or_default().clone()
    }

    /// A write to `id` ended: `Some(Some(d))` left `d`, `Some(None)` removed it, `None` left it unknown.
    pub(crate) fn record_write(&self, id: &DeploymentId, outcome: Option<Option<Deployment>>) {
        let record = match outcome {
            Some(Some(deployment)) => Record::Present(Box::new(deployment)),
            Some(None) => Record::Gone,
            None => Record::Unsettled,
        };
        let account = self.account(&id.account);
        let mut written = account.written.lock().unwrap_or_else(|p| p.into_inner());
        written.generation += 1;
        written.records.insert(name_key(&id.name), record);
    }
}

impl AccountDeployments {
    fn generation(&self) -> u64 {
        self.written.lock().unwrap_or_else(|p| p.into_inner()).generation
    }

    fn record(&self, key: &str) -> Option<Record> {
        self.written.lock().unwrap_or_else(|p| p.into_inner()).records.get(key).cloned()
    }

    /// Keeps what a GET saw, unless a write ended since the GET began (the write's record is newer).
    fn record_read(&self, key: String, since: u64, seen: &Option<Deployment>) {
        let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
        if written.generation == since {
            let record = match seen {
                Some(deployment) => Record::Present(Box::new(deployment.clone())),
                None => Record::Gone,
            };
            written.records.insert(key, record);
        }
    }

    fn lookup(&self, key: &str, listed: Option<&Listed>) -> Lookup {
        match (self.record(key), listed) {
            (Some(Record::Present(deployment)), _) => Lookup::Known(Some(deployment)),
            (Some(Record::Gone), _) => Lookup::Known(None),
            (Some(Record::Unsettled), _) => Lookup::Get,
            (None, None) => Lookup::List,
            (None, Some(listed)) => match listed.get(key) {
                Some(deployment) => Lookup::Known(Some(Box::new(deployment.clone()))),
                // Created since the list was read, or a page missed it: only a GET can say it is gone.
                None => Lookup::Get,
            },
        }
    }
}

impl ArmClient {
    /// One deployment, as the account's deployments list shows it (see the module docs); `None` when it does not
    /// exist. The first read of an account in this client lists it; a deployment the list lacks costs one GET.
    pub async fn read_deployment(&self, id: &DeploymentId, deadline: Instant) -> Result<Option<Deployment>, ArmError> {
        let account = self.inner.deployment_lists.account(&id.account);
        let key = name_key(&id.name);
        let lookup = match account.lookup(&key, None) {
            Lookup::List => {
                let listed = self.listed(&account, &id.account, deadline).await?;
                // A write may have ended while the list was read: look again.
                account.lookup(&key, Some(&listed))
            }
            lookup => lookup,
        };
        match lookup {
            Lookup::Known(known) => Ok(known.map(|d| *d)),
            Lookup::Get | Lookup::List => self.confirm(&account, id, deadline).await,
        }
    }

    /// Every deployment of the account, from the same list as [`ArmClient::read_deployment`], with this client's
    /// own writes applied (a deployment whose write did not settle is read again).
    pub async fn read_account_deployments(
        &self,
        account_id: &AccountId,
        deadline: Instant,
    ) -> Result<Vec<Deployment>, ArmError> {
        let account = self.inner.deployment_lists.account(account_id);
        let listed = self.listed(&account, account_id, deadline).await?;
        let records = account.written.lock().unwrap_or_else(|p| p.into_inner()).records.clone();
        let mut all: BTreeMap<String, Deployment> = (*listed).clone();
        for (key, record) in records {
            match record {
                Record::Present(deployment) => {
                    all.insert(key, *deployment);
                }
                Record::Gone => {
                    all.remove(&key);
                }
                Record::Unsettled => {
                    let id = account_id.deployment(key.clone());
                    match self.confirm(&account, &id, deadline).await? {
                        Some(deployment) => all.insert(key, deployment),
                        None => all.remove(&key),
                    };
                }
            }
        }
        Ok(all.into_values().collect())
    }

    /// The account's list: read once, by the first caller; concurrent callers wait for that read and share its
    /// result, success or failure.
    async fn listed(
        &self,
        account: &AccountDeployments,
        account_id: &AccountId,
        deadline: Instant,
    ) -> Result<Listed, ArmError> {
        let failures_before = account.failures.load(Ordering::Acquire);
        let mut flight = account.flight.lock().await;
        if let Some(listed) = &flight.listed {
            return Ok(listed.clone());
        }
        let shared_failure = |cause: Arc<ArmError>| {
            ArmError::from(ArmErrorKind::DeploymentList { account: account_id.to_string(), cause })
        };
        if account.failures.load(Ordering::Acquire) != failures_before
            && let Some(failure) = &flight.last_failure
        {
            return Err(shared_failure(failure.clone()));
        }
        match self.list_deployments(account_id, deadline).await {
            Ok(deployments) => {
                let listed: Listed =
                    Arc::new(deployments.into_iter().filter_map(|d| listed_name(&d).map(|name| (name, d))).collect());
                tracing::debug!(account = %account_id, deployments = listed.len(), "deployments listed");
                flight.listed = Some(listed.clone());
                flight.last_failure = None;
                Ok(listed)
            }
            Err(error) => {
                let failure = Arc::new(error);
                flight.last_failure = Some(failure.clone());
                account.failures.fetch_add(1, Ordering::Release);
                Err(shared_failure(failure))
            }
        }
    }

    /// One GET for a deployment the list cannot vouch for; what it sees is kept for later reads.
    async fn confirm(
        &self,
        account: &AccountDeployments,
        id: &DeploymentId,
        deadline: Instant,
    ) -> Result<Option<Deployment>, ArmError> {
        let since = account.generation();
        let seen = self.get_deployment(id, deadline).await?;
        account.record_read(name_key(&id.name), since, &seen);
        Ok(seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_entries_are_filed_by_name_or_id_case_insensitively() {
        let named = Deployment { name: Some("Router-A".into()), ..Default::default() };
        assert_eq!(listed_name(&named).as_deref(), Some("router-a"));
        let by_id = Deployment { id: Some("/subscriptions/s/.../deployments/Router-B".into()), ..Default::default() };
        assert_eq!(listed_name(&by_id).as_deref(), Some("router-b"));
        assert_eq!(listed_name(&Deployment::default()), None);
    }

    #[test]
    fn a_read_that_began_before_a_write_does_not_overwrite_it() {
        let lists = DeploymentLists::default();
        let id =
            AccountId::parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct")
                .unwrap()
                .deployment("d");
        let account = lists.account(&id.account);
        let since = account.generation();
        let written = Deployment { name: Some("d".into()), ..Default::default() };
        lists.record_write(&id, Some(Some(written.clone())));
        account.record_read("d".into(), since, &None);
        assert!(matches!(account.lookup("d", None), Lookup::Known(Some(d)) if *d == written));
        lists.record_write(&id, None);
        assert!(matches!(account.lookup("d", None), Lookup::Get));
        assert!(matches!(account.lookup("other", None), Lookup::List));
    }
}
