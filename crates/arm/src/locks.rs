//! Per-account write serialisation.
//!
//! The service rejects concurrent writes to deployments of one account (`409 RequestConflict`), so like azurerm we
//! hold an in-process async mutex keyed by the lower-cased account id through a whole PUT/DELETE and its polling.
//!
//! Re-entrancy: [`AccountLocks::with_lock`] runs its future inside a tokio task-local scope that records the keys
//! the current task holds. `put`/`delete` call [`AccountLocks::acquire`], which returns an empty guard when the key
//! is already held by the current task, so a `put_deployment` inside `with_account_lock` does not deadlock.
//! The marker is per task: a task *spawned* inside `with_account_lock` does not inherit it and would wait for the
//! lock its parent holds. Do not spawn writes from inside `with_account_lock`; await them directly.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;

tokio::task_local! {
    static HELD: HashSet<String>;
}

/// A keyed async mutex.
#[derive(Debug, Default)]
pub(crate) struct AccountLocks {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// Holds an account lock until dropped; empty when the current task already held it.
#[derive(Debug)]
pub(crate) struct AccountGuard {
    _guard: Option<OwnedMutexGuard<()>>,
}

impl AccountLocks {
    fn mutex(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        // A poisoned map only means another thread panicked while inserting; the map itself is still valid.
        let mut map = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key.to_string()).or_default().clone()
    }

    /// Whether the current task holds `key` (inside `with_lock`).
    pub fn held_by_current_task(key: &str) -> bool {
        HELD.try_with(|held| held.contains(key)).unwrap_or(false)
    }

    /// Waits for the lock of `key`, unless the current task already holds it.
    pub async fn acquire(&self, key: &str) -> AccountGuard {
        if Self::held_by_current_task(key) {
            return AccountGuard { _guard: None };
        }
        let mutex = self.mutex(key);
        let guard = match mutex.clone().try_lock_owned() {
            Ok(guard) => guard,
            Err(_) => {
                let waiting = crate::progress::waiting_for_account(key);
                let guard = mutex.lock_owned().await;
                waiting.done();
                guard
            }
        };
        AccountGuard { _guard: Some(guard) }
    }

    /// Runs `f` holding the lock of `key`; writes made by `f` on the same task reuse it.
    pub async fn with_lock<T>(&self, key: &str, f: impl Future<Output = T>) -> T {
        let _guard = self.acquire(key).await;
        let mut held = HELD.try_with(Clone::clone).unwrap_or_default();
        held.insert(key.to_string());
        HELD.scope(held, f).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn serialises_per_key_and_not_across_keys() {
        let locks = Arc::new(AccountLocks::default());
        let inside = Arc::new(AtomicUsize::new(0));
        let max_inside = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (locks, inside, max_inside) = (locks.clone(), inside.clone(), max_inside.clone());
            tasks.push(tokio::spawn(async move {
                let _g = locks.acquire("a").await;
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                max_inside.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(5)).await;
                inside.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(max_inside.load(Ordering::SeqCst), 1);
        // different keys do not block each other
        let _a = locks.acquire("a").await;
        tokio::time::timeout(Duration::from_millis(100), locks.acquire("b")).await.expect("b is free");
    }

    #[tokio::test]
    async fn nested_acquire_in_with_lock_does_not_deadlock() {
        let locks = Arc::new(AccountLocks::default());
        let l2 = locks.clone();
        let result = tokio::time::timeout(
            Duration::from_secs(1),
            locks.with_lock("acct", async move {
                assert!(AccountLocks::held_by_current_task("acct"));
                let _inner = l2.acquire("acct").await; // re-entrant
                l2.with_lock("other", async { AccountLocks::held_by_current_task("acct") }).await
            }),
        )
        .await
        .expect("no deadlock");
        assert!(result, "outer key still visible in a nested scope");
        assert!(!AccountLocks::held_by_current_task("acct"));
        // released afterwards
        tokio::time::timeout(Duration::from_millis(100), locks.acquire("acct")).await.expect("released");
    }

    #[tokio::test]
    async fn with_lock_excludes_other_tasks() {
        let locks = Arc::new(AccountLocks::default());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let l = locks.clone();
        let holder = tokio::spawn(async move {
            l.with_lock("acct", async move {
                let _ = rx.await;
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(tokio::time::timeout(Duration::from_millis(50), locks.acquire("acct")).await.is_err());
        tx.send(()).unwrap();
        holder.await.unwrap();
        tokio::time::timeout(Duration::from_millis(100), locks.acquire("acct")).await.expect("free");
    }
}
