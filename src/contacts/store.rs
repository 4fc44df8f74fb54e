//! The `EmailContact` records in Redis, and counting one event into them exactly once.
//!
//! Keys (see [`crate::keys`]): one JSON record per contact (`office:{user}:contact:{id}`, the id
//! a hash of the address), a sorted set ranking the user's contacts, the addresses the user sends
//! from, a marker per counted event, and the ids the user asked to forget.
//!
//! Counting an event is optimistic: read the records it touches, fold its interactions in, then
//! commit in one Lua script that writes every record, the ranking and the event's marker only if
//! the marker is absent and no record changed since it was read. Another process counting an
//! event of the same user at the same time makes the script refuse, and the event is counted
//! again from fresh reads. So a redelivered or replayed event counts once, and a crash between
//! reading and committing counts nothing.

use chrono::{DateTime, Utc};
use redis::AsyncCommands;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::config::ContactsConfig;
use super::interaction::{Extracted, Identity, Interaction, extract};
use super::record::{ContactRecord, Pushed};
use super::significance::{Hold, Push, decide};
use crate::keys;
use crate::model::Event;

/// How long an event's marker keeps a redelivery from counting it again (Pub/Sub retains
/// messages at most 31 days).
pub const SEEN_TTL: Duration = Duration::from_secs(31 * 86_400);

/// How often counting one event is retried when other processes keep changing its records.
const MAX_ATTEMPTS: u32 = 64;

/// The pause before attempt `attempt` (from 1): growing, capped at 50 ms, with a jitter taken from
/// the event's key so that contenders spread out.
fn backoff(attempt: u32, key: &str) -> Duration {
    let jitter = key.bytes().fold(u64::from(attempt), |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(b))
    }) % 4;
    Duration::from_millis((u64::from(attempt) * 2 + jitter).min(50))
}

/// A contact store failure, naming the Redis operation or key.
#[derive(Debug, thiserror::Error)]
pub enum ContactStoreError {
    #[error("Redis {operation}: {source}")]
    Redis {
        operation: &'static str,
        #[source]
        source: redis::RedisError,
    },
    #[error("the contact record `{key}` is not readable: {source}")]
    Corrupt {
        key: String,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "counting event `{key}` for user `{user}`: its contacts kept changing under {MAX_ATTEMPTS} attempts"
    )]
    Contended { user: String, key: String },
}

fn redis_err(operation: &'static str) -> impl Fn(redis::RedisError) -> ContactStoreError {
    move |source| ContactStoreError::Redis { operation, source }
}

/// The record stored under `key`.
fn parse_record(key: &str, text: &str) -> Result<ContactRecord, ContactStoreError> {
    serde_json::from_str(text).map_err(|source| ContactStoreError::Corrupt {
        key: key.to_string(),
        source,
    })
}

/// The text a record is stored as under `key`.
fn record_text(key: &str, record: &ContactRecord) -> Result<String, ContactStoreError> {
    serde_json::to_string(record).map_err(|source| ContactStoreError::Corrupt {
        key: key.to_string(),
        source,
    })
}

/// What counting one event did.
#[derive(Debug, Clone, PartialEq)]
pub enum Counted {
    /// Already counted before (a redelivery, a dual-published copy, a replay).
    Before,
    /// Counted now: the contacts it changed.
    Now(Vec<Change>),
}

/// One contact an event changed, and whether the change is worth a push.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub id: String,
    pub record: ContactRecord,
    /// 1-based rank among the user's contacts after the change.
    pub rank: usize,
    /// Its rank before, if it had one.
    pub rank_before: Option<usize>,
    pub decision: Result<Push, Hold>,
    /// For a push: what the record held as pushed before this change reserved the push (the
    /// record now holds the new push, committed with the change, so that concurrent changes
    /// of the same contact do not push it twice). Give it to [`ContactStore::restore_pushed`]
    /// when the push fails.
    pub previous_push: Option<Pushed>,
}

/// The records of every user, in Redis.
#[derive(Clone)]
pub struct ContactStore {
    conn: redis::aio::MultiplexedConnection,
    config: ContactsConfig,
}

/// KEYS: seen marker, the user's own-address set, the ranking, the record key of each newly
/// learned own address, then the records.
/// ARGV: seen TTL (ms), the number of learned addresses, (address, id) of each, then per record:
/// the value read (empty when absent), the new value, its rank score, its id, its address.
/// Returns 'dup' when the event was counted; 'conflict' when a record changed since it was read
/// or its address has become the user's own; else 'ok'. A newly learned own address stops being
/// a contact: its record and ranking entry go.
const COMMIT_LUA: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 1 then return 'dup' end
local learned = tonumber(ARGV[2])
local base = 2 + 2 * learned
local records = #KEYS - 3 - learned
for i = 1, records do
  local at = base + 5 * (i - 1)
  local current = redis.call('GET', KEYS[3 + learned + i]) or ''
  if current ~= ARGV[at + 1] then return 'conflict' end
  if redis.call('SISMEMBER', KEYS[2], ARGV[at + 5]) == 1 then return 'conflict' end
end
for i = 1, records do
  local at = base + 5 * (i - 1)
  redis.call('SET', KEYS[3 + learned + i], ARGV[at + 2])
  redis.call('ZADD', KEYS[3], ARGV[at + 3], ARGV[at + 4])
end
for i = 1, learned do
  redis.call('SADD', KEYS[2], ARGV[1 + 2 * i])
  redis.call('DEL', KEYS[3 + i])
  redis.call('ZREM', KEYS[3], ARGV[2 + 2 * i])
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return 'ok'
"#;

/// KEYS: one record. ARGV: the value read, the new value. Compare and set.
const SWAP_LUA: &str = r#"
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
"#;

/// The ranking score: `ln S(t_ref) + (t_ref / H) · ln 2` orders contacts as their scores at any
/// common time do, without decaying every member as time passes.
pub fn rank_score(record: &ContactRecord, half_life: Duration) -> f64 {
    let h = half_life.as_secs_f64().max(1.0);
    record.score.value.max(f64::MIN_POSITIVE).ln()
        + (record.score.at.timestamp() as f64 / h) * std::f64::consts::LN_2
}

impl ContactStore {
    pub fn new(conn: redis::aio::MultiplexedConnection, config: ContactsConfig) -> ContactStore {
        ContactStore { conn, config }
    }

    pub fn config(&self) -> &ContactsConfig {
        &self.config
    }

    /// Counts `event` (whose idempotency key is `key`) into its user's contacts, once.
    pub async fn count(
        &self,
        event: &Event,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Counted, ContactStoreError> {
        let user = event.header().user_id.to_string();
        let seen = keys::contacts_seen(&user, key);
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(backoff(attempt, key)).await;
            }
            let mut conn = self.conn.clone();
            if conn
                .exists::<_, bool>(&seen)
                .await
                .map_err(redis_err("EXISTS (event marker)"))?
            {
                return Ok(Counted::Before);
            }
            let learned: BTreeSet<String> = conn
                .smembers(keys::contacts_self(&user))
                .await
                .map_err(redis_err("SMEMBERS (own addresses)"))?;
            let forgotten: BTreeSet<String> = conn
                .smembers(keys::contacts_forgotten(&user))
                .await
                .map_err(redis_err("SMEMBERS (forgotten contacts)"))?;
            let identity = Identity::of(
                &self.config,
                &user,
                event.header().provider,
                learned.clone(),
            );
            let extracted = extract(event, &identity, &self.config);
            let plan = self.fold(&user, &extracted, &forgotten).await?;
            let (plan, changes) = self.decide(&user, plan, now).await?;
            match self
                .commit(&user, &seen, &extracted, &learned, &plan)
                .await?
            {
                Commit::Duplicate => return Ok(Counted::Before),
                Commit::Conflict => continue,
                Commit::Done => return Ok(Counted::Now(changes)),
            }
        }
        Err(ContactStoreError::Contended {
            user,
            key: key.to_string(),
        })
    }

    /// Reads the records `extracted` touches and folds its interactions into them.
    async fn fold(
        &self,
        user: &str,
        extracted: &Extracted,
        forgotten: &BTreeSet<String>,
    ) -> Result<Vec<Planned>, ContactStoreError> {
        let mut by_id: BTreeMap<String, Vec<&Interaction>> = BTreeMap::new();
        for interaction in &extracted.interactions {
            let id = keys::contact_id(&interaction.address);
            if !forgotten.contains(&id) {
                by_id.entry(id).or_default().push(interaction);
            }
        }
        if by_id.is_empty() {
            return Ok(Vec::new());
        }
        let record_keys: Vec<String> = by_id.keys().map(|id| keys::contact(user, id)).collect();
        let mut conn = self.conn.clone();
        let read: Vec<Option<String>> = redis::cmd("MGET")
            .arg(&record_keys)
            .query_async(&mut conn)
            .await
            .map_err(redis_err("MGET (contact records)"))?;
        let mut plan = Vec::with_capacity(by_id.len());
        for ((id, interactions), (key, before)) in
            by_id.into_iter().zip(record_keys.into_iter().zip(read))
        {
            let mut record = match &before {
                Some(text) => parse_record(&key, text)?,
                None => ContactRecord::new(interactions[0], &self.config),
            };
            let rest = if before.is_some() {
                &interactions[..]
            } else {
                &interactions[1..]
            };
            for interaction in rest {
                record.apply(interaction, &self.config);
            }
            plan.push(Planned {
                id,
                key,
                before,
                record,
            });
        }
        Ok(plan)
    }

    async fn commit(
        &self,
        user: &str,
        seen: &str,
        extracted: &Extracted,
        learned: &BTreeSet<String>,
        plan: &[Planned],
    ) -> Result<Commit, ContactStoreError> {
        let new_own: Vec<&String> = extracted.learned_own.difference(learned).collect();
        let script = redis::Script::new(COMMIT_LUA);
        let mut invocation = script.prepare_invoke();
        invocation
            .key(seen)
            .key(keys::contacts_self(user))
            .key(keys::contacts_ranked(user))
            .arg(SEEN_TTL.as_millis() as u64)
            .arg(new_own.len());
        for address in &new_own {
            let id = keys::contact_id(address);
            invocation
                .key(keys::contact(user, &id))
                .arg(address.as_str())
                .arg(id);
        }
        for p in plan {
            let text = record_text(&p.key, &p.record)?;
            invocation
                .key(&p.key)
                .arg(p.before.as_deref().unwrap_or(""))
                .arg(text)
                .arg(rank_score(&p.record, self.config.half_life))
                .arg(&p.id)
                .arg(&p.record.address);
        }
        let mut conn = self.conn.clone();
        let answer: String = invocation
            .invoke_async(&mut conn)
            .await
            .map_err(redis_err("count event (script)"))?;
        Ok(match answer.as_str() {
            "dup" => Commit::Duplicate,
            "conflict" => Commit::Conflict,
            _ => Commit::Done,
        })
    }

    /// The ranks before and after the change and the push decisions, read before the commit:
    /// a record's rank score only grows with a change, so the contacts above its new score are
    /// the others above it after the commit, and those above its old score were above it
    /// before. A push is reserved in the record itself (committed with the change).
    async fn decide(
        &self,
        user: &str,
        mut plan: Vec<Planned>,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Planned>, Vec<Change>), ContactStoreError> {
        let ranked = keys::contacts_ranked(user);
        let half_life = self.config.half_life;
        let mut conn = self.conn.clone();
        // The 1-based place of a record among those ranked above it now.
        let mut place = async |record: &ContactRecord| -> Result<usize, ContactStoreError> {
            let above: usize = conn
                .zcount(
                    &ranked,
                    format!("({}", rank_score(record, half_life)),
                    "+inf",
                )
                .await
                .map_err(redis_err("ZCOUNT (contact rank)"))?;
            Ok(above + 1)
        };
        let mut changes = Vec::with_capacity(plan.len());
        for p in &mut plan {
            let rank = place(&p.record).await?;
            let rank_before = match &p.before {
                None => None,
                Some(text) => Some(place(&parse_record(&p.key, text)?).await?),
            };
            let decision = decide(&p.record, rank, rank_before, now, &self.config);
            let previous_push = p.record.pushed;
            if decision.is_ok() {
                p.record.pushed = Some(Pushed {
                    score: p.record.score.at(now, half_life),
                    at: now,
                });
            }
            changes.push(Change {
                id: p.id.clone(),
                record: p.record.clone(),
                rank,
                rank_before,
                decision,
                previous_push,
            });
        }
        Ok((plan, changes))
    }

    /// One contact of a user, by address (normalised by the caller).
    pub async fn get(
        &self,
        user: &str,
        address: &str,
    ) -> Result<Option<ContactRecord>, ContactStoreError> {
        let key = keys::contact(user, &keys::contact_id(address));
        let mut conn = self.conn.clone();
        let text: Option<String> = conn.get(&key).await.map_err(redis_err("GET (contact)"))?;
        text.map(|t| parse_record(&key, &t)).transpose()
    }

    /// A contact's 1-based rank among its user's contacts, if it has one.
    pub async fn rank(&self, user: &str, id: &str) -> Result<Option<usize>, ContactStoreError> {
        let mut conn = self.conn.clone();
        let rank: Option<usize> = conn
            .zrevrank(keys::contacts_ranked(user), id)
            .await
            .map_err(redis_err("ZREVRANK (contact rank)"))?;
        Ok(rank.map(|r| r + 1))
    }

    /// A user's `n` most relevant contacts, best first.
    pub async fn top(&self, user: &str, n: usize) -> Result<Vec<ContactRecord>, ContactStoreError> {
        if n == 0 {
            return Ok(Vec::new());
        }
        let mut conn = self.conn.clone();
        let ids: Vec<String> = conn
            .zrevrange(keys::contacts_ranked(user), 0, n as isize - 1)
            .await
            .map_err(redis_err("ZREVRANGE (ranked contacts)"))?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let record_keys: Vec<String> = ids.iter().map(|id| keys::contact(user, id)).collect();
        let texts: Vec<Option<String>> = redis::cmd("MGET")
            .arg(&record_keys)
            .query_async(&mut conn)
            .await
            .map_err(redis_err("MGET (contact records)"))?;
        let mut out = Vec::with_capacity(texts.len());
        for (key, text) in record_keys.into_iter().zip(texts) {
            if let Some(text) = text {
                out.push(parse_record(&key, &text)?);
            }
        }
        Ok(out)
    }

    /// Undoes the push a change reserved (`reserved`, now in the record) when publishing it
    /// failed: the record gets `previous` back, so that its next change is pushed. A record
    /// whose push moved on meanwhile is left alone.
    pub async fn restore_pushed(
        &self,
        user: &str,
        id: &str,
        reserved: Pushed,
        previous: Option<Pushed>,
    ) -> Result<(), ContactStoreError> {
        let key = keys::contact(user, id);
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(backoff(attempt, &key)).await;
            }
            let mut conn = self.conn.clone();
            let Some(text): Option<String> =
                conn.get(&key).await.map_err(redis_err("GET (contact)"))?
            else {
                return Ok(());
            };
            let mut record = parse_record(&key, &text)?;
            if record.pushed != Some(reserved) {
                return Ok(());
            }
            record.pushed = previous;
            let new = record_text(&key, &record)?;
            let swapped: i64 = redis::Script::new(SWAP_LUA)
                .key(&key)
                .arg(&text)
                .arg(new)
                .invoke_async(&mut conn)
                .await
                .map_err(redis_err("restore push (script)"))?;
            if swapped == 1 {
                return Ok(());
            }
        }
        Err(ContactStoreError::Contended {
            user: user.to_string(),
            key: key.clone(),
        })
    }
}

/// A record as read and as it will be written.
struct Planned {
    id: String,
    key: String,
    before: Option<String>,
    record: ContactRecord,
}

enum Commit {
    Done,
    Duplicate,
    Conflict,
}
