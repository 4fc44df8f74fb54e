//! The per-plan lock: a lease with a heartbeat and a fencing token.

use super::store::{Acquire, MigrationStore};
use crate::exit::Failure;
use crate::keys;
use crate::model::store::StoreError;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Who holds a lock; stored as the lock's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub lock_id: String,
    /// `user@host (pid N)`.
    pub by: String,
    pub command: String,
    pub since: String,
}

/// Taking or keeping the lock failed.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another run holds it (exit 3): each fact once, the lock id last.
    #[error("plan `{plan}` is locked by {} since {}; lock `{}`", holder.by, holder.since, holder.lock_id)]
    Held { plan: String, holder: Holder },
    /// `migrate unlock` found no plan locked with this id.
    #[error("no plan is locked with id `{0}`")]
    NoSuchLock(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl LockError {
    /// The documented failure this maps to: a held lock exits 3.
    pub fn failure(&self) -> Option<Failure> {
        match self {
            LockError::Held { plan, holder } => Some(Failure::LockHeld {
                what: format!("plan `{plan}`"),
                by: holder.by.clone(),
                since: holder.since.clone(),
                lock_id: holder.lock_id.clone(),
            }),
            _ => None,
        }
    }
}

/// A held lock. Dropping it stops the heartbeat; call [`Lease::release`] to free it at once.
pub struct Lease {
    store: Arc<dyn MigrationStore>,
    plan: String,
    value: String,
    pub holder: Holder,
    /// Fencing token of this acquisition; journal writes carry it.
    pub token: u64,
    lost: Arc<AtomicBool>,
    heartbeat: Option<tokio::task::JoinHandle<()>>,
}

impl Lease {
    /// Takes the lock of `plan` for `ttl`, renewed every `ttl / 3` until released or dropped.
    pub async fn acquire(
        store: Arc<dyn MigrationStore>,
        plan: &str,
        holder: Holder,
        ttl: Duration,
    ) -> Result<Lease, LockError> {
        let value = serde_json::to_string(&holder).map_err(|e| StoreError {
            operation: "encode lock holder",
            message: e.to_string(),
        })?;
        let lock_key = keys::migration_lock(plan);
        match store
            .acquire(&lock_key, &keys::migration_fence(plan), &value, ttl)
            .await?
        {
            Acquire::Acquired(token) => {
                let lost = Arc::new(AtomicBool::new(false));
                let heartbeat = tokio::spawn(heartbeat(
                    store.clone(),
                    lock_key,
                    value.clone(),
                    ttl,
                    lost.clone(),
                ));
                Ok(Lease {
                    store,
                    plan: plan.into(),
                    value,
                    holder,
                    token,
                    lost,
                    heartbeat: Some(heartbeat),
                })
            }
            Acquire::Held(current) => {
                let holder = serde_json::from_str(&current).unwrap_or(Holder {
                    lock_id: "?".into(),
                    by: current,
                    command: "?".into(),
                    since: "?".into(),
                });
                Err(LockError::Held {
                    plan: plan.into(),
                    holder,
                })
            }
        }
    }

    /// Whether a renewal found the lock gone (expired and maybe taken by another run).
    pub fn is_lost(&self) -> bool {
        self.lost.load(Ordering::Relaxed)
    }

    /// Frees the lock now.
    pub async fn release(mut self) -> Result<bool, StoreError> {
        if let Some(task) = self.heartbeat.take() {
            task.abort();
        }
        self.store
            .release(&keys::migration_lock(&self.plan), &self.value)
            .await
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(task) = self.heartbeat.take() {
            task.abort();
        }
    }
}

async fn heartbeat(
    store: Arc<dyn MigrationStore>,
    key: String,
    value: String,
    ttl: Duration,
    lost: Arc<AtomicBool>,
) {
    let mut ticker = tokio::time::interval(ttl / 3);
    ticker.tick().await;
    loop {
        ticker.tick().await;
        match store.renew(&key, &value, ttl).await {
            Ok(true) => {}
            Ok(false) => {
                lost.store(true, Ordering::Relaxed);
                return;
            }
            // A failed renewal is retried at the next tick; the lease outlives a few of them.
            Err(_) => {}
        }
    }
}

/// Removes the lock with id `lock_id` from whichever plan holds it; the plan name when found.
pub async fn force_unlock(
    store: &dyn MigrationStore,
    lock_id: &str,
) -> Result<Option<String>, StoreError> {
    for plan in store.members(&keys::migration_plans()).await? {
        let key = keys::migration_lock(&plan);
        if let Some(value) = store.get(&key).await?
            && serde_json::from_str::<Holder>(&value).is_ok_and(|h| h.lock_id == lock_id)
            && store.release(&key, &value).await?
        {
            return Ok(Some(plan));
        }
    }
    Ok(None)
}

/// The current holder of `plan`'s lock, if any.
pub async fn holder(store: &dyn MigrationStore, plan: &str) -> Result<Option<Holder>, StoreError> {
    Ok(store.get(&keys::migration_lock(plan)).await?.map(|v| {
        serde_json::from_str(&v).unwrap_or(Holder {
            lock_id: "?".into(),
            by: v,
            command: "?".into(),
            since: "?".into(),
        })
    }))
}

/// How long each held plan lock has been held at `now`: `(plan, seconds)` for every plan with a
/// journal whose lock is taken, for the `officectl_migration_lock_age_seconds` gauge. A lease
/// renewed for hours is a run that hangs (a crashed one frees the lock within its lease), which
/// no one sees unless they run `migrate status`. A holder whose `since` cannot be read counts
/// from the epoch, so it shows as stuck rather than not at all.
pub async fn held_for(
    store: &dyn MigrationStore,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<(String, f64)>, StoreError> {
    let mut ages = Vec::new();
    for plan in store.members(&keys::migration_plans()).await? {
        if let Some(holder) = holder(store, &plan).await? {
            let since = chrono::DateTime::parse_from_rfc3339(&holder.since)
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or(chrono::DateTime::UNIX_EPOCH);
            let seconds = (now - since).num_milliseconds().max(0) as f64 / 1000.0;
            ages.push((plan, seconds));
        }
    }
    ages.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(ages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::store::MemoryMigrationStore;

    fn holder(id: &str) -> Holder {
        Holder {
            lock_id: id.into(),
            by: "me@host (pid 1)".into(),
            command: "apply".into(),
            since: "t0".into(),
        }
    }

    #[tokio::test]
    async fn a_second_holder_is_refused_until_the_lease_expires() {
        let store = MemoryMigrationStore::new();
        let shared: Arc<dyn MigrationStore> = Arc::new(store.clone());
        let first = Lease::acquire(
            shared.clone(),
            "emails",
            holder("a"),
            Duration::from_secs(30),
        )
        .await
        .unwrap();
        let err = Lease::acquire(
            shared.clone(),
            "emails",
            holder("b"),
            Duration::from_secs(30),
        )
        .await
        .err()
        .unwrap();
        assert!(err.to_string().contains("lock `a`"), "{err}");
        drop(first); // crashed: no release, the lease runs out
        store.advance(Duration::from_secs(31));
        let second = Lease::acquire(
            shared.clone(),
            "emails",
            holder("b"),
            Duration::from_secs(30),
        )
        .await
        .unwrap();
        assert_eq!(
            second.token, 2,
            "each acquisition takes a new fencing token"
        );
        // The first holder's token no longer writes.
        assert!(
            !shared
                .set_fenced("k", "v", &keys::migration_fence("emails"), 1)
                .await
                .unwrap()
        );
        assert!(
            shared
                .set_fenced("k", "v", &keys::migration_fence("emails"), 2)
                .await
                .unwrap()
        );
        assert!(second.release().await.unwrap());
    }

    #[tokio::test]
    async fn unlock_by_id_frees_the_plan() {
        let store = MemoryMigrationStore::new();
        let shared: Arc<dyn MigrationStore> = Arc::new(store.clone());
        shared
            .add_member(&keys::migration_plans(), "emails")
            .await
            .unwrap();
        let lease = Lease::acquire(
            shared.clone(),
            "emails",
            holder("x1"),
            Duration::from_secs(30),
        )
        .await
        .unwrap();
        assert_eq!(force_unlock(shared.as_ref(), "nope").await.unwrap(), None);
        assert_eq!(
            force_unlock(shared.as_ref(), "x1")
                .await
                .unwrap()
                .as_deref(),
            Some("emails")
        );
        assert!(
            super::holder(shared.as_ref(), "emails")
                .await
                .unwrap()
                .is_none()
        );
        drop(lease);
    }

    #[tokio::test]
    async fn held_for_is_the_age_of_each_held_lock() {
        let store = MemoryMigrationStore::new();
        let shared: Arc<dyn MigrationStore> = Arc::new(store.clone());
        for plan in ["calendars", "emails"] {
            shared
                .add_member(&keys::migration_plans(), plan)
                .await
                .unwrap();
        }
        let mut held = holder("h1");
        held.since = "2026-12-04T08:00:00Z".into();
        let lease = Lease::acquire(shared.clone(), "emails", held, Duration::from_secs(30))
            .await
            .unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-04T09:30:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(
            held_for(shared.as_ref(), now).await.unwrap(),
            vec![("emails".to_string(), 5400.0)],
            "only the held lock, 90 minutes old"
        );
        assert!(lease.release().await.unwrap());
        assert!(held_for(shared.as_ref(), now).await.unwrap().is_empty());
    }
}
