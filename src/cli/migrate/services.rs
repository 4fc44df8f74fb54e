//! Clients for every service a migration touches, the plan's lock, and the identity recorded in
//! journals and locks.

use crate::cli::Context;
use crate::cli::error::with_hint;
use officectl::exit::Failure;
use officectl::migrate::apply::{Env, Failpoint, StepProgress};
use officectl::migrate::lock::{Holder, Lease, LockError};
use officectl::migrate::store::{MigrationStore, RedisMigrationStore};
use officectl::model::store::RedisKvStore;
use officectl::operator::{Facts, Operator};
use officectl::pubsub::BoundedPublisher;
use officectl::pubsub::google::{GoogleAdmin, GooglePublisher, GoogleSubscriber};
use officectl::redis_store;
use officectl::settings::env;
use officectl::topics::Layout;
use std::sync::Arc;
use std::time::Duration;

/// Clients for every service a migration touches.
pub struct Services {
    pub project: String,
    pub admin: GoogleAdmin,
    pub subscriber: GoogleSubscriber,
    pub publisher: BoundedPublisher,
    pub store: Arc<dyn MigrationStore>,
    pub payloads: RedisKvStore,
}

impl Services {
    pub async fn connect(context: &Context) -> anyhow::Result<Services> {
        let settings = &context.settings;
        let project = settings.project()?.to_string();
        let endpoint = &settings.pubsub.value;
        let conn = redis_store::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
        Ok(Services {
            project,
            admin: GoogleAdmin::connect(endpoint).await?,
            subscriber: GoogleSubscriber::connect(endpoint, 1000).await?,
            publisher: BoundedPublisher::new(
                Arc::new(GooglePublisher::connect(endpoint).await?),
                1000,
            ),
            store: Arc::new(RedisMigrationStore::new(conn.clone())),
            payloads: RedisKvStore::new(conn),
        })
    }
}

impl Services {
    /// The executor's environment over these clients.
    pub fn env<'a>(
        &'a self,
        context: &'a Context,
        layout: &'a Layout,
        cancelled: &'a (dyn Fn() -> bool + Sync),
        failpoint: Option<Failpoint>,
        progress: &'a (dyn Fn(StepProgress<'_>) + Sync),
    ) -> Env<'a> {
        Env {
            project: &self.project,
            admin: &self.admin,
            source: &self.subscriber,
            publisher: &self.publisher,
            store: self.store.clone(),
            payloads: Some(&self.payloads),
            claim_check: &context.settings.claim_check,
            layout,
            by: identity(),
            now: &now,
            cancelled,
            failpoint,
            progress,
        }
    }

    /// Takes `plan`'s lock for `command`, or fails with exit 3 naming the holder and lock id.
    pub async fn lock(&self, plan: &str, command: String, ttl: Duration) -> anyhow::Result<Lease> {
        let holder = Holder {
            lock_id: lock_id(),
            by: identity(),
            command,
            since: now(),
        };
        match Lease::acquire(self.store.clone(), plan, holder, ttl).await {
            Ok(lease) => Ok(lease),
            Err(LockError::Held { plan, holder }) => Err(lock_held(&plan, holder)),
            Err(err) => Err(err.into()),
        }
    }
}

/// The error when `plan`'s lock is held (exit 3): each fact once, and how to get past it.
fn lock_held(plan: &str, holder: Holder) -> anyhow::Error {
    let hint = format!(
        "wait for that run, or if it crashed: `officectl migrate unlock {}` (or let its lease expire)",
        holder.lock_id
    );
    with_hint(
        Failure::LockHeld {
            what: format!("plan `{plan}`"),
            by: holder.by,
            since: holder.since,
            lock_id: holder.lock_id,
        },
        hint,
    )
}

/// `user@host (pid N)`: `$USER`, else the uid's name, else the uid ([`officectl::operator`]).
pub fn identity() -> String {
    let facts = Facts::from_system(std::env::var(env::USER).ok());
    Operator::from_facts(&facts).to_string()
}

/// Now, RFC 3339 in UTC to the second.
pub fn now() -> String {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A lock id unique to this run.
pub fn lock_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}-{:x}", std::process::id(), nanos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::error;

    #[test]
    fn a_held_lock_says_each_fact_once() {
        let err = lock_held(
            "emails",
            Holder {
                lock_id: "31318-18edaf6e".into(),
                by: "ops@vm (pid 31318)".into(),
                command: "migrate apply".into(),
                since: "2026-12-03T07:58:34Z".into(),
            },
        );
        assert_eq!(
            err.to_string(),
            "plan `emails` is locked by ops@vm (pid 31318) since 2026-12-03T07:58:34Z; lock `31318-18edaf6e`"
        );
        assert!(error::causes(&err).is_empty(), "{:?}", error::causes(&err));
        assert_eq!(error::exit_code(&err), 3);
        assert_eq!(
            error::hint(&err).as_deref(),
            Some(
                "wait for that run, or if it crashed: `officectl migrate unlock 31318-18edaf6e` (or let its lease expire)"
            )
        );
    }
}
