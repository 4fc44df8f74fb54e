//! Clients for every service a migration touches, the plan's lock, and the identity recorded in
//! journals and locks.

use crate::cli::Context;
use officectl::migrate::lock::{Holder, Lease, LockError};
use officectl::migrate::store::{MigrationStore, RedisMigrationStore};
use officectl::migrate::{Env, StepProgress};
use officectl::model::store::RedisKvStore;
use officectl::operator::{Facts, Operator};
use officectl::pubsub::BoundedPublisher;
use officectl::pubsub::google::{GoogleAdmin, GooglePublisher, GoogleSubscriber};
use officectl::redis_connection;
use officectl::settings::Settings;
use officectl::topics::Layout;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

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
        let conn =
            redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
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
    /// The executor's environment over these clients; `cancel` stops it between steps.
    pub fn env<'a>(
        &'a self,
        context: &'a Context,
        layout: &'a Layout,
        cancel: CancellationToken,
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
            by: identity(&context.settings),
            now: &now,
            cancel,
            failpoints: context.settings.failpoints.clone(),
            progress,
        }
    }

    /// Takes `plan`'s lock for `command`; [`LockError::Held`] names the holder and lock id.
    pub async fn lock(
        &self,
        context: &Context,
        plan: &str,
        command: String,
        ttl: Duration,
    ) -> Result<Lease, LockError> {
        let holder = Holder {
            lock_id: lock_id(),
            by: identity(&context.settings),
            command,
            since: now(),
        };
        Lease::acquire(self.store.clone(), plan, holder, ttl).await
    }
}

/// `user@host (pid N)`: `$USER`, else the uid's name, else the uid ([`officectl::operator`]).
pub fn identity(settings: &Settings) -> String {
    let facts = Facts::from_system(settings.user.clone());
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
        let err = anyhow::Error::new(LockError::Held {
            plan: "emails".into(),
            holder: Holder {
                lock_id: "31318-18edaf6e".into(),
                by: "ops@vm (pid 31318)".into(),
                command: "migrate apply".into(),
                since: "2026-12-03T07:58:34Z".into(),
            },
        });
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
