//! Erasing contacts: `contacts forget` (an erasure request) and `contacts prune` (retention).
//!
//! In Redis, one script per user removes the records and their ranking entries and, for a
//! forget, leaves a marker per id in `office:{user}:contacts:forgotten` (suppressed, or
//! rediscoverable from now) and an audit line (who, when, how many; ids and addresses never).
//! In Vespa, [`VespaRemoval`] removes the documents directly through the document API, so the
//! command can say they are gone, and publishes a removal `ContactEvent` per contact, which the
//! loader applies after any push of that user still in flight (per-user ordering), so a late push
//! cannot bring a document back.

use chrono::{DateTime, Utc};
use redis::AsyncCommands;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Arc;

use super::address::normalise;
use super::marker::LUA_NOW_MS;
use super::push::{self, Origin};
use super::store::{ContactStore, ContactStoreError};
use crate::keys;
use crate::migrate::routed::RoutedPublisher;
use crate::model::catalog::DataType;
use crate::model::fields::Provider;
use crate::model::vespa::DocumentId;
use crate::run::CancellationToken;
use crate::vespa::feed::protocol::{OpKind, Operation, Transport};
use crate::vespa::feed::{self, FeedConfig};

/// Records read per round trip when pruning.
const PRUNE_CHUNK: usize = 1_000;

/// Audit lines kept.
const AUDIT_KEEP: usize = 10_000;

/// What a forget removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The contact at this address (as written; normalised here).
    Address(String),
    /// Every contact the user has, and every one forgotten before.
    All,
}

/// Something erasing could not do.
#[derive(Debug, thiserror::Error)]
pub enum EraseError {
    #[error("`{0}` is not an e-mail address")]
    NotAnAddress(String),
    #[error(transparent)]
    Store(#[from] ContactStoreError),
    #[error("Redis {operation}: {source}")]
    Redis {
        operation: &'static str,
        #[source]
        source: redis::RedisError,
    },
    #[error(
        "removing the Vespa documents of user `{user}`: {failed} of {sent} removes failed ({why}); the Redis side is done, run the same command again to retry"
    )]
    Vespa {
        user: String,
        sent: u64,
        failed: u64,
        why: String,
    },
    #[error(
        "publishing the removal of {failed} contacts of user `{user}`: {why}; the documents are removed from Vespa, run the same command again to publish"
    )]
    Publish {
        user: String,
        failed: usize,
        why: String,
    },
}

fn redis_err(operation: &'static str) -> impl Fn(redis::RedisError) -> EraseError {
    move |source| EraseError::Redis { operation, source }
}

/// Who asked, for the audit line.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

/// What a forget did.
#[derive(Debug, Clone, Serialize)]
pub struct ForgetOutcome {
    pub user: String,
    /// `address` or `all`.
    pub scope: &'static str,
    /// Contact records removed from Redis.
    pub records_removed: u64,
    /// Contact ids forgotten (hashes of the addresses).
    pub ids: Vec<String>,
    /// Whether the consumer may discover them again.
    pub rediscovery: bool,
    pub vespa: RemovalOutcome,
}

/// What a prune did for one user.
#[derive(Debug, Clone, Serialize)]
pub struct PruneOutcome {
    pub user: String,
    /// Contacts examined.
    pub contacts: u64,
    /// Contacts without interaction since the cutoff: removed, or that would be in a dry run.
    pub stale: u64,
    /// Removed (0 in a dry run; fewer than `stale` when one had an interaction meanwhile: its
    /// record stays, marked unpushed, and its next change pushes it as new).
    pub removed: u64,
    pub vespa: RemovalOutcome,
}

/// What reached Vespa.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RemovalOutcome {
    /// Removes sent to the document API.
    pub removes_sent: u64,
    /// Removal `ContactEvent`s published.
    pub events_published: u64,
}

/// Removes discovered contacts' documents from Vespa.
pub struct VespaRemoval<T: Transport> {
    pub transport: Arc<T>,
    pub feed: FeedConfig,
    /// Where removal `ContactEvent`s go.
    pub pushes: RoutedPublisher,
    /// The correlation id the removal events carry.
    pub correlation_id: String,
}

impl<T: Transport> VespaRemoval<T> {
    /// Removes the documents of `ids`, then publishes their removal events.
    pub async fn remove(
        &self,
        user: &str,
        ids: &[String],
        at: DateTime<Utc>,
    ) -> Result<RemovalOutcome, EraseError> {
        if ids.is_empty() {
            return Ok(RemovalOutcome::default());
        }
        let (tx, rx) = tokio::sync::mpsc::channel(ids.len());
        for id in ids {
            let doc = DocumentId::new(
                DataType::Contact.vespa_type(),
                user,
                &push::provider_contact_id(id),
            );
            let op = Operation {
                kind: OpKind::Remove,
                id: doc.to_string(),
                condition: None,
                create: false,
                fields: None,
            };
            tx.send(Ok(op))
                .await
                .expect("the channel has room for every id");
        }
        drop(tx);
        let outcome = feed::feed(
            self.transport.clone(),
            rx,
            &self.feed,
            &feed::outcome::Progress::default(),
            &CancellationToken::new(),
        )
        .await;
        if outcome.failed > 0 || outcome.gave_up.is_some() || outcome.not_sent > 0 {
            let why = outcome
                .failures
                .first()
                .map(|f| f.message.clone())
                .or(outcome.gave_up.clone())
                .unwrap_or_else(|| "not sent".to_string());
            return Err(EraseError::Vespa {
                user: user.to_string(),
                sent: outcome.operations,
                failed: outcome.failed + outcome.not_sent,
                why,
            });
        }
        let origin = Origin {
            user: user.to_string(),
            provider: Provider::Google,
            correlation_id: self.correlation_id.clone(),
        };
        let mut events = Vec::with_capacity(ids.len());
        for id in ids {
            events.push(push::removal_event(&origin, id, at).map_err(|why| {
                EraseError::Publish {
                    user: user.to_string(),
                    failed: ids.len(),
                    why,
                }
            })?);
        }
        let results =
            futures::future::join_all(events.into_iter().map(|e| self.pushes.publish(e))).await;
        let failed: Vec<String> = results.into_iter().filter_map(Result::err).collect();
        if let Some(why) = failed.first() {
            return Err(EraseError::Publish {
                user: user.to_string(),
                failed: failed.len(),
                why: why.clone(),
            });
        }
        Ok(RemovalOutcome {
            removes_sent: outcome.operations,
            events_published: ids.len() as u64,
        })
    }
}

/// KEYS: the ranking, the forgotten hash, the audit list, then the records.
/// ARGV: `suppressed` or `rediscoverable` (which gets Redis's time: events counted before it
/// count the contact again), the audit line (JSON; `contacts` is filled in), audit lines kept,
/// `1` to leave earlier suppressions as they are (a forget of every contact), then the ids.
/// Returns how many records existed.
const FORGET_LUA: &str = r#"
local value = ARGV[1]
if value == 'rediscoverable' then value = 'rediscoverable:' .. string.format('%d', now_ms) end
local keep = ARGV[4] == '1'
local removed = 0
for i = 1, #KEYS - 3 do
  local id = ARGV[4 + i]
  removed = removed + redis.call('DEL', KEYS[3 + i])
  redis.call('ZREM', KEYS[1], id)
  if not (keep and redis.call('HGET', KEYS[2], id) == 'suppressed') then
    redis.call('HSET', KEYS[2], id, value)
  end
end
local entry = cjson.decode(ARGV[2])
entry['contacts'] = removed
redis.call('LPUSH', KEYS[3], cjson.encode(entry))
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
return removed
"#;

/// KEYS: the ranking, then the records. ARGV: the values read, then the ids. Removes each
/// record still as read (one with an interaction since is kept); returns the ids removed.
const PRUNE_LUA: &str = r#"
local n = #KEYS - 1
local removed = {}
for i = 1, n do
  if redis.call('GET', KEYS[1 + i]) == ARGV[i] then
    redis.call('DEL', KEYS[1 + i])
    redis.call('ZREM', KEYS[1], ARGV[n + i])
    table.insert(removed, ARGV[n + i])
  end
end
return removed
"#;

/// The ids a forget of `target` concerns for `user`.
async fn forget_ids(
    conn: &mut redis::aio::MultiplexedConnection,
    user: &str,
    target: &Target,
) -> Result<Vec<String>, EraseError> {
    match target {
        Target::Address(text) => {
            // As counting stores it: normalised for any provider, or for Google's.
            let mut ids = BTreeSet::new();
            for provider in [None, Some(Provider::Google)] {
                let address = normalise(text, provider)
                    .ok_or_else(|| EraseError::NotAnAddress(text.clone()))?;
                ids.insert(keys::contact_id(&address));
            }
            Ok(ids.into_iter().collect())
        }
        Target::All => {
            let (ranked, forgotten): (Vec<String>, Vec<String>) = redis::pipe()
                .zrange(keys::contacts_ranked(user), 0, -1)
                .hkeys(keys::contacts_forgotten(user))
                .query_async(conn)
                .await
                .map_err(redis_err("ZRANGE, HKEYS (contacts to forget)"))?;
            let ids: BTreeSet<String> = ranked.into_iter().chain(forgotten).collect();
            Ok(ids.into_iter().collect())
        }
    }
}

/// Forgets `target` for `user`: Redis first (so the consumer stops counting and pushing it),
/// then Vespa.
pub async fn forget<T: Transport>(
    store: &ContactStore,
    vespa: &VespaRemoval<T>,
    user: &str,
    target: &Target,
    rediscovery: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<ForgetOutcome, EraseError> {
    let mut conn = store.connection();
    let ids = forget_ids(&mut conn, user, target).await?;
    let scope = match target {
        Target::Address(_) => "address",
        Target::All => "all",
    };
    let audit = serde_json::json!({
        "at": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "actor": actor.0,
        "action": "forget",
        "user": user,
        "scope": scope,
        "rediscovery": rediscovery,
        "contacts": 0,
    });
    let script = redis::Script::new(&format!("{LUA_NOW_MS}\n{FORGET_LUA}"));
    let mut invocation = script.prepare_invoke();
    invocation
        .key(keys::contacts_ranked(user))
        .key(keys::contacts_forgotten(user))
        .key(keys::contacts_audit())
        .arg(if rediscovery {
            "rediscoverable"
        } else {
            "suppressed"
        })
        .arg(audit.to_string())
        .arg(AUDIT_KEEP)
        // `--all --allow-rediscovery` does not lift an earlier erasure's suppression; naming the
        // address does.
        .arg(if *target == Target::All { "1" } else { "0" });
    for id in &ids {
        invocation.key(keys::contact(user, id));
    }
    for id in &ids {
        invocation.arg(id);
    }
    let records_removed: u64 = invocation
        .invoke_async(&mut conn)
        .await
        .map_err(redis_err("forget contacts (script)"))?;
    let removal = vespa.remove(user, &ids, now).await?;
    Ok(ForgetOutcome {
        user: user.to_string(),
        scope,
        records_removed,
        ids,
        rediscovery,
        vespa: removal,
    })
}

/// The users that have contacts, found with `SCAN`.
pub async fn users_with_contacts(store: &ContactStore) -> Result<Vec<String>, EraseError> {
    let mut conn = store.connection();
    let mut users = BTreeSet::new();
    let mut keys_found = conn
        .scan_match::<_, String>(keys::contacts_ranked_pattern())
        .await
        .map_err(redis_err("SCAN (contact rankings)"))?;
    use futures::StreamExt;
    while let Some(key) = keys_found.next().await {
        let key = key.map_err(redis_err("SCAN (contact rankings)"))?;
        match keys::user_of_contacts_ranked(&key) {
            Some(user) => {
                users.insert(user);
            }
            None => tracing::warn!(key, "a contact ranking whose user cannot be read: skipped"),
        }
    }
    Ok(users.into_iter().collect())
}

/// Prunes `user`'s contacts without interaction since `cutoff` (only counts them when
/// `vespa` is `None`: a dry run).
pub async fn prune<T: Transport>(
    store: &ContactStore,
    vespa: Option<&VespaRemoval<T>>,
    user: &str,
    cutoff: DateTime<Utc>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<PruneOutcome, EraseError> {
    let mut conn = store.connection();
    let ids: Vec<String> = conn
        .zrange(keys::contacts_ranked(user), 0, -1)
        .await
        .map_err(redis_err("ZRANGE (contacts to prune)"))?;
    let mut outcome = PruneOutcome {
        user: user.to_string(),
        contacts: ids.len() as u64,
        stale: 0,
        removed: 0,
        vespa: RemovalOutcome::default(),
    };
    let mut stale: Vec<(String, String, String)> = Vec::new();
    for chunk in ids.chunks(PRUNE_CHUNK) {
        let record_keys: Vec<String> = chunk.iter().map(|id| keys::contact(user, id)).collect();
        let texts: Vec<Option<String>> = redis::cmd("MGET")
            .arg(&record_keys)
            .query_async(&mut conn)
            .await
            .map_err(redis_err("MGET (contact records)"))?;
        for ((id, key), text) in chunk.iter().zip(record_keys).zip(texts) {
            let Some(text) = text else { continue };
            if super::store::parse_record(&key, &text)?.last_seen < cutoff {
                stale.push((id.clone(), key, text));
            }
        }
    }
    outcome.stale = stale.len() as u64;
    let Some(vespa) = vespa else {
        return Ok(outcome);
    };
    // Vespa first: should it fail, the records are still there for the next prune to find.
    let stale_ids: Vec<String> = stale.iter().map(|(id, _, _)| id.clone()).collect();
    outcome.vespa = vespa.remove(user, &stale_ids, now).await?;
    let mut removed_ids = Vec::new();
    for chunk in stale.chunks(PRUNE_CHUNK) {
        let script = redis::Script::new(PRUNE_LUA);
        let mut invocation = script.prepare_invoke();
        invocation.key(keys::contacts_ranked(user));
        for (_, key, text) in chunk {
            invocation.key(key.as_str()).arg(text.as_str());
        }
        for (id, _, _) in chunk {
            invocation.arg(id.as_str());
        }
        let removed: Vec<String> = invocation
            .invoke_async(&mut conn)
            .await
            .map_err(redis_err("prune contacts (script)"))?;
        removed_ids.extend(removed);
    }
    // A contact with an interaction since it was read stays, but its document is gone: its next
    // change pushes it as new.
    for id in stale_ids.iter().filter(|id| !removed_ids.contains(id)) {
        store.clear_pushed(user, id).await?;
    }

    outcome.removed = removed_ids.len() as u64;
    if !removed_ids.is_empty() {
        let audit = serde_json::json!({
            "at": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "actor": actor.0,
            "action": "prune",
            "user": user,
            "cutoff": cutoff.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "contacts": outcome.removed,
        });
        redis::pipe()
            .lpush(keys::contacts_audit(), audit.to_string())
            .ltrim(keys::contacts_audit(), 0, AUDIT_KEEP as isize - 1)
            .query_async::<()>(&mut conn)
            .await
            .map_err(redis_err("LPUSH (audit)"))?;
    }
    Ok(outcome)
}

/// `contacts prune`'s report.
#[derive(Debug, Clone, Serialize)]
pub struct PruneReport {
    pub cutoff: DateTime<Utc>,
    pub dry_run: bool,
    pub users: Vec<PruneOutcome>,
}

impl crate::report::Report for ForgetOutcome {
    fn tables(&self) -> Vec<crate::report::Table> {
        let mut table = crate::report::Table::new(["what", "value"])
            .titled(format!("forgot contacts of user `{}`", self.user));
        for (what, value) in [
            ("scope", self.scope.to_string()),
            ("contact ids", self.ids.len().to_string()),
            ("records removed (Redis)", self.records_removed.to_string()),
            ("removes sent (Vespa)", self.vespa.removes_sent.to_string()),
            (
                "removal events published",
                self.vespa.events_published.to_string(),
            ),
            (
                "rediscovery",
                if self.rediscovery {
                    "allowed".to_string()
                } else {
                    "suppressed".to_string()
                },
            ),
        ] {
            table.push([what.to_string(), value]);
        }
        vec![table]
    }
}

impl crate::report::Report for PruneReport {
    fn tables(&self) -> Vec<crate::report::Table> {
        let title = format!(
            "contacts without interaction since {}{}",
            self.cutoff
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            if self.dry_run { " (dry run)" } else { "" }
        );
        let mut table =
            crate::report::Table::new(["user", "contacts", "stale", "removed"]).titled(title);
        for u in &self.users {
            table.push([
                u.user.clone(),
                u.contacts.to_string(),
                u.stale.to_string(),
                u.removed.to_string(),
            ]);
        }
        vec![table]
    }
}
