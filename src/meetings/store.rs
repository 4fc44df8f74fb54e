//! A user's meetings state in Redis, each event item applied to it once.
//!
//! Keys (see [`crate::keys`]), per user:
//! - `meetings:calendar` (hash: entry id → [`EntryState`]) and `meetings:calendar:until` (sorted
//!   set: when each entry may be forgotten: a day after it ended, a tombstone 8 days after it
//!   went); entries past that are pruned on every change; both expire 90 days after the last one;
//! - `meetings:booking:{id}` (the booking as last known) and `meetings:booking_of:{entry}` (the
//!   booking id of a calendar entry), kept until 30 days after the booking's end;
//! - `meetings:polls` (hash: poll id → poll), a poll dropped a day after its last option and its
//!   deadline; 90 days after the last change;
//! - `meetings:version`, bumped by every change: a change decided on a state that moved since it
//!   was read is retried, so replicas working on the same user never lose each other's writes;
//! - `meetings:seen:{idempotency key}` (31 days), written by the same script as the change, holds
//!   what the item owes to publish (the outbox) until [`MeetingStore::settle`] empties it: a
//!   crash or a failed publish leaves it for the redelivery, which publishes it and nothing else.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use redis::AsyncCommands;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::entry::EntryState;
use super::reconcile::{self, BookingState, Change, Owed, UserState};
use crate::keys;
use crate::model::families::booking::Booking;
use crate::model::families::meeting_poll::MeetingPoll;

/// How long an item's marker keeps a redelivery from applying it again.
pub const SEEN_TTL: Duration = Duration::from_secs(31 * 86_400);

/// How long a user's calendar, polls and version outlive their last change.
pub const STATE_TTL: Duration = Duration::from_secs(90 * 86_400);

/// How long a booking is kept after its end.
const BOOKING_AFTER_END_MS: i64 = 30 * 86_400_000;

const MAX_ATTEMPTS: u32 = 32;

/// A meetings state failure, naming the Redis operation or key.
#[derive(Debug, thiserror::Error)]
pub enum MeetingStoreError {
    #[error("Redis {operation} for user `{user}`: {source}")]
    Redis {
        operation: &'static str,
        user: String,
        #[source]
        source: redis::RedisError,
    },
    #[error("`{key}` is not readable: {source}")]
    Corrupt {
        key: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("user `{user}`'s meetings state kept changing while `{item}` was applied")]
    Contended { user: String, item: String },
}

fn redis_err(
    operation: &'static str,
    user: &str,
) -> impl Fn(redis::RedisError) -> MeetingStoreError {
    let user = user.to_string();
    move |source| MeetingStoreError::Redis {
        operation,
        user: user.clone(),
        source,
    }
}

/// One item of an event, as the consumer applies it.
#[derive(Debug, Clone)]
pub enum Incoming<'a> {
    /// A calendar entry created, changed or deleted (its state says which).
    Entry {
        id: &'a str,
        state: EntryState,
    },
    Booking(&'a Booking),
    BookingDeleted {
        id: &'a str,
        version: DateTime<Utc>,
    },
    Poll(&'a MeetingPoll),
    PollDeleted {
        id: &'a str,
        version: DateTime<Utc>,
    },
}

impl Incoming<'_> {
    fn id(&self) -> &str {
        match self {
            Incoming::Entry { id, .. }
            | Incoming::BookingDeleted { id, .. }
            | Incoming::PollDeleted { id, .. } => id,
            Incoming::Booking(b) => &b.booking_id,
            Incoming::Poll(p) => &p.poll_id,
        }
    }
}

/// What applying one item did.
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    /// Applied before; this is still owed.
    Before(Vec<Owed>),
    /// Applied now: this is owed.
    Now(Vec<Owed>),
}

/// KEYS: the user's version, the item's marker, then the keys the writes name. ARGV: the
/// version read (empty when none), the marker value, its TTL (ms), the state TTL (ms), the
/// writes (JSON: `[op, key index, ...]`, key indexes into KEYS). Returns `{'dup', marker}`,
/// `{'conflict', ''}` or `{'ok', marker}`.
const COMMIT_LUA: &str = r#"
local marker = redis.call('GET', KEYS[2])
if marker then return {'dup', marker} end
local version = redis.call('GET', KEYS[1]) or ''
if version ~= ARGV[1] then return {'conflict', ''} end
for _, w in ipairs(cjson.decode(ARGV[5])) do
  local op, key = w[1], KEYS[w[2]]
  if op == 'hset' then redis.call('HSET', key, w[3], w[4])
  elseif op == 'hdel' then redis.call('HDEL', key, w[3])
  elseif op == 'zadd' then redis.call('ZADD', key, w[3], w[4])
  elseif op == 'zrem' then redis.call('ZREM', key, w[3])
  elseif op == 'set' then redis.call('SET', key, w[3], 'PX', w[4])
  elseif op == 'del' then redis.call('DEL', key)
  elseif op == 'pexpire' then redis.call('PEXPIRE', key, w[3])
  elseif op == 'prune' then
    local zkey = KEYS[w[3]]
    local old = redis.call('ZRANGEBYSCORE', zkey, '-inf', w[4])
    for _, id in ipairs(old) do redis.call('HDEL', key, id) end
    redis.call('ZREMRANGEBYSCORE', zkey, '-inf', w[4])
  end
end
if #cjson.decode(ARGV[5]) > 0 then
  redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return {'ok', ARGV[2]}
"#;

/// The writes of one change, with the keys they name.
#[derive(Default)]
struct Writes {
    keys: Vec<String>,
    ops: Vec<serde_json::Value>,
}

impl Writes {
    /// The KEYS index (1-based, after the version and the marker) of `key`.
    fn key(&mut self, key: String) -> usize {
        let at = self.keys.iter().position(|k| *k == key).unwrap_or_else(|| {
            self.keys.push(key);
            self.keys.len() - 1
        });
        at + 3
    }

    fn op(&mut self, op: &str, key: String, args: &[serde_json::Value]) {
        let index = self.key(key);
        let mut w = vec![serde_json::json!(op), serde_json::json!(index)];
        w.extend(args.iter().cloned());
        self.ops.push(serde_json::Value::Array(w));
    }
}

/// Every user's meetings state, in Redis.
#[derive(Clone)]
pub struct MeetingStore {
    conn: redis::aio::MultiplexedConnection,
}

impl MeetingStore {
    pub fn new(conn: redis::aio::MultiplexedConnection) -> MeetingStore {
        MeetingStore { conn }
    }

    /// Applies one item of an event of `user` (its idempotency key `item_key`) once.
    pub async fn apply(
        &self,
        user: &str,
        item_key: &str,
        incoming: &Incoming<'_>,
        now: DateTime<Utc>,
    ) -> Result<Applied, MeetingStoreError> {
        let marker = keys::meetings_seen(user, item_key);
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(u64::from(attempt) * 2)).await;
            }
            let (version, seen, change) = self.decide(user, &marker, incoming, now).await?;
            if let Some(seen) = seen {
                return parse_outbox(&marker, &seen).map(Applied::Before);
            }
            let owed = serde_json::to_string(&change.owed).expect("owed events serialize");
            let writes = writes(user, &change, now);
            let script = redis::Script::new(COMMIT_LUA);
            let mut invocation = script.prepare_invoke();
            invocation.key(keys::meetings_version(user)).key(&marker);
            for key in &writes.keys {
                invocation.key(key);
            }
            invocation
                .arg(version.unwrap_or_default())
                .arg(&owed)
                .arg(SEEN_TTL.as_millis() as u64)
                .arg(STATE_TTL.as_millis() as u64)
                .arg(serde_json::Value::Array(writes.ops).to_string());
            let mut conn = self.conn.clone();
            let (outcome, value): (String, String) = invocation
                .invoke_async(&mut conn)
                .await
                .map_err(redis_err("EVALSHA (meetings commit)", user))?;
            match outcome.as_str() {
                "ok" => return Ok(Applied::Now(change.owed)),
                "dup" => return parse_outbox(&marker, &value).map(Applied::Before),
                _ => continue,
            }
        }
        Err(MeetingStoreError::Contended {
            user: user.to_string(),
            item: incoming.id().to_string(),
        })
    }

    /// Reads what `incoming` is decided on, and decides: the version read, the marker if the
    /// item was applied before, and the change.
    async fn decide(
        &self,
        user: &str,
        marker: &str,
        incoming: &Incoming<'_>,
        now: DateTime<Utc>,
    ) -> Result<(Option<String>, Option<String>, Change), MeetingStoreError> {
        let mut conn = self.conn.clone();
        let calendar_key = keys::meetings_calendar(user);
        let polls_key = keys::meetings_polls(user);
        let mut pipe = redis::pipe();
        pipe.atomic()
            .get(keys::meetings_version(user))
            .get(marker)
            .hgetall(&calendar_key)
            .hgetall(&polls_key);
        let booking_key = match incoming {
            Incoming::Entry { id, .. } => keys::meetings_booking_of(user, id),
            Incoming::Booking(b) => keys::meetings_booking(user, &b.booking_id),
            Incoming::BookingDeleted { id, .. } => keys::meetings_booking(user, id),
            Incoming::Poll(_) | Incoming::PollDeleted { .. } => keys::meetings_version(user),
        };
        pipe.get(&booking_key);
        type Read = (
            Option<String>,
            Option<String>,
            BTreeMap<String, String>,
            BTreeMap<String, String>,
            Option<String>,
        );
        let (version, seen, calendar, polls, booking): Read = pipe
            .query_async(&mut conn)
            .await
            .map_err(redis_err("MULTI (meetings state)", user))?;
        if seen.is_some() {
            return Ok((version, seen, Change::default()));
        }
        let state = UserState {
            entries: parse_map(&calendar_key, calendar)?,
            polls: parse_map(&polls_key, polls)?,
        };
        let change = match incoming {
            Incoming::Entry { id, state: new } => {
                let linked = match booking {
                    Some(booking_id) => {
                        let key = keys::meetings_booking(user, &booking_id);
                        let value: Option<String> = conn
                            .get(&key)
                            .await
                            .map_err(redis_err("GET (booking)", user))?;
                        match value.map(|v| parse::<BookingState>(&key, &v)).transpose()? {
                            Some(BookingState::Live { booking }) => Some(booking),
                            _ => None,
                        }
                    }
                    None => None,
                };
                reconcile::calendar_changed(&state, id, new.clone(), linked.as_ref(), now)
            }
            Incoming::Booking(b) => {
                let known = booking
                    .map(|v| parse::<BookingState>(&booking_key, &v))
                    .transpose()?;
                reconcile::booking_seen(&state, known.as_ref(), b)
            }
            Incoming::BookingDeleted { id, version } => {
                let known = booking
                    .map(|v| parse::<BookingState>(&booking_key, &v))
                    .transpose()?;
                reconcile::booking_deleted(known.as_ref(), id, *version)
            }
            Incoming::Poll(p) => reconcile::poll_seen(&state, p, now),
            Incoming::PollDeleted { id, version } => reconcile::poll_deleted(&state, id, *version),
        };
        Ok((version, None, change))
    }

    /// Marks the item's owed events published (its outbox emptied, the marker kept).
    pub async fn settle(&self, user: &str, item_key: &str) -> Result<(), MeetingStoreError> {
        let mut conn = self.conn.clone();
        redis::cmd("SET")
            .arg(keys::meetings_seen(user, item_key))
            .arg("[]")
            .arg("XX")
            .arg("KEEPTTL")
            .query_async::<()>(&mut conn)
            .await
            .map_err(redis_err("SET (meetings marker)", user))
    }

    /// The booking stored for `booking_id`, if any (for tests and operators).
    pub async fn booking(
        &self,
        user: &str,
        booking_id: &str,
    ) -> Result<Option<Booking>, MeetingStoreError> {
        let key = keys::meetings_booking(user, booking_id);
        let mut conn = self.conn.clone();
        let value: Option<String> = conn
            .get(&key)
            .await
            .map_err(redis_err("GET (booking)", user))?;
        Ok(
            match value.map(|v| parse::<BookingState>(&key, &v)).transpose()? {
                Some(BookingState::Live { booking }) => Some(booking),
                _ => None,
            },
        )
    }
}

/// The Redis writes of `change` for `user`.
fn writes(user: &str, change: &Change, now: DateTime<Utc>) -> Writes {
    let now_ms = now.timestamp_millis();
    let ttl = json(STATE_TTL.as_millis() as u64);
    let mut w = Writes::default();
    if let Some((id, state)) = &change.entry {
        let calendar = keys::meetings_calendar(user);
        let until = keys::meetings_calendar_until(user);
        w.op("hset", calendar.clone(), &[json(id), json(to_json(state))]);
        w.op(
            "zadd",
            until.clone(),
            &[json(state.keep_until(now_ms)), json(id)],
        );
        let until_index = w.key(until.clone());
        w.op(
            "prune",
            calendar.clone(),
            &[json(until_index), json(now_ms)],
        );
        w.op("pexpire", calendar, std::slice::from_ref(&ttl));
        w.op("pexpire", until, std::slice::from_ref(&ttl));
    }
    if let Some(booking) = &change.booking {
        let keep = (booking.end.timestamp_millis() + BOOKING_AFTER_END_MS - now_ms).max(86_400_000);
        let state = BookingState::Live {
            booking: booking.clone(),
        };
        w.op(
            "set",
            keys::meetings_booking(user, &booking.booking_id),
            &[json(to_json(&state)), json(keep)],
        );
        if let Some(entry) = &booking.calendar_event_id {
            w.op(
                "set",
                keys::meetings_booking_of(user, entry),
                &[json(&booking.booking_id), json(keep)],
            );
        }
    }
    if let Some((id, at)) = &change.booking_removed {
        let tombstone = BookingState::Deleted { at: *at };
        w.op(
            "set",
            keys::meetings_booking(user, id),
            &[
                json(to_json(&tombstone)),
                json(reconcile::TOMBSTONE.num_milliseconds()),
            ],
        );
    }
    let polls = keys::meetings_polls(user);
    for (id, poll) in &change.polls {
        w.op("hset", polls.clone(), &[json(id), json(to_json(poll))]);
    }
    for id in &change.polls_removed {
        w.op("hdel", polls.clone(), &[json(id)]);
    }
    if !change.polls.is_empty() {
        w.op("pexpire", polls, &[ttl]);
    }
    w
}

fn json(value: impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).expect("a plain value serializes")
}

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("state serializes")
}

fn parse<T: DeserializeOwned>(key: &str, value: &str) -> Result<T, MeetingStoreError> {
    serde_json::from_str(value).map_err(|source| MeetingStoreError::Corrupt {
        key: key.to_string(),
        source,
    })
}

fn parse_map<T: DeserializeOwned>(
    key: &str,
    fields: BTreeMap<String, String>,
) -> Result<BTreeMap<String, T>, MeetingStoreError> {
    fields
        .into_iter()
        .map(|(field, value)| Ok((field.clone(), parse(&format!("{key} {field}"), &value)?)))
        .collect()
}

fn parse_outbox(key: &str, value: &str) -> Result<Vec<Owed>, MeetingStoreError> {
    parse(key, value)
}
