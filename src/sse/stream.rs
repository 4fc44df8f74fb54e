//! Each user's notifications as a capped Redis Stream (`office:{user_id}:sse:stream`, built in
//! [`crate::keys`]): appended by whichever replica consumed the event, read by whichever replica
//! holds the user's browser connection, so no replica owns a user.
//!
//! - Append ([`NotificationStreams::append`]): one script `XADD`s the event's notifications with
//!   `MAXLEN ~ max_len`, renews the stream's TTL (`PEXPIRE`), marks the event as appended (so a
//!   redelivery appends nothing) and `PUBLISH`es the user id on [`crate::keys::sse_signal_channel`]
//!   so every replica's fan-out reads what is new. The marker is written last: a script that
//!   fails half-way leaves no marker and the redelivery appends again.
//! - Read: the entries after an id (`XRANGE` with an exclusive start), and a replay after a
//!   client's `Last-Event-ID` that says whether the client may have missed entries the cap or the
//!   TTL removed ([`Replay::missed`]): each entry records the id of the one before it, so the
//!   first entry after the client's id tells whether anything between was trimmed (Redis'
//!   `max-deleted-entry-id` does not count trimming).
//!
//! `MAXLEN ~` trims whole radix-tree nodes (Redis' `stream-node-max-entries`, 100 by default),
//! so a stream holds at least `max_len` entries and up to about 100 more.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use redis::aio::MultiplexedConnection;

use super::notification::Notification;

/// How long and how large each user's stream may grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamConfig {
    /// Entries kept at least (`XADD MAXLEN ~`).
    pub max_len: u64,
    /// The stream expires this long after its last append.
    pub ttl: Duration,
}

impl Default for StreamConfig {
    fn default() -> StreamConfig {
        StreamConfig {
            max_len: 1000,
            ttl: Duration::from_secs(24 * 3600),
        }
    }
}

/// A Redis Stream entry id (`<milliseconds>-<sequence>`), the SSE `id:` of a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

/// Why a text is not a stream id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a stream id (expected `<milliseconds>-<sequence>`, e.g. `1733300000000-0`)")]
pub struct BadStreamId(pub String);

impl FromStr for StreamId {
    type Err = BadStreamId;
    fn from_str(text: &str) -> Result<StreamId, BadStreamId> {
        let bad = || BadStreamId(text.chars().take(64).collect());
        let (ms, seq) = text.trim().split_once('-').ok_or_else(bad)?;
        let digits = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u64>().ok())
                .flatten()
        };
        Ok(StreamId {
            ms: digits(ms).ok_or_else(bad)?,
            seq: digits(seq).ok_or_else(bad)?,
        })
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// One notification as stored: its stream id and its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: StreamId,
    pub data: String,
    /// The id of the entry appended just before it (`0-0` for a stream's first), to tell a
    /// trimmed gap from none.
    pub prev: Option<StreamId>,
}

/// What a client that comes back with a `Last-Event-ID` is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    /// The entries after its id that the stream still holds, oldest first.
    pub entries: Vec<Entry>,
    /// True when entries after its id may have been trimmed (the cap) or expired (the TTL)
    /// before it came back: it should reload rather than trust the replay to be complete.
    pub missed: bool,
}

/// The field of an entry that holds the notification's JSON.
const FIELD: &str = "n";
/// The field of an entry that holds the id of the entry before it.
const PREV: &str = "p";

/// KEYS: stream, seen marker. ARGV: max_len, ttl ms, channel, user, notifications...
/// Returns the new ids, or nil when the event was appended before.
const APPEND: &str = r"
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
local ids = {}
local prev = '0-0'
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if newest[1] then prev = newest[1][1] end
for i = 5, #ARGV do
  prev = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'n', ARGV[i], 'p', prev)
  ids[#ids + 1] = prev
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return ids
";

/// The users' notification streams in one Redis.
#[derive(Clone)]
pub struct NotificationStreams {
    conn: MultiplexedConnection,
    config: StreamConfig,
    append: redis::Script,
}

impl NotificationStreams {
    pub fn new(conn: MultiplexedConnection, config: StreamConfig) -> NotificationStreams {
        NotificationStreams {
            conn,
            config,
            append: redis::Script::new(APPEND),
        }
    }

    pub fn config(&self) -> StreamConfig {
        self.config
    }

    /// Appends the notifications of event `event_id` to `user`'s stream and signals the
    /// replicas; `None` when that event was appended before (a redelivery or a copy).
    pub async fn append(
        &self,
        user: &str,
        event_id: &str,
        notifications: &[Notification],
    ) -> Result<Option<Vec<StreamId>>, redis::RedisError> {
        let mut invocation = self.append.prepare_invoke();
        invocation
            .key(crate::keys::sse_stream(user))
            .key(crate::keys::sse_seen(user, event_id))
            .arg(self.config.max_len)
            .arg(ttl_ms(self.config.ttl))
            .arg(crate::keys::sse_signal_channel())
            .arg(user);
        for notification in notifications {
            let json = serde_json::to_string(notification).map_err(|e| {
                redis::RedisError::from((
                    redis::ErrorKind::Client,
                    "notification as JSON",
                    e.to_string(),
                ))
            })?;
            invocation.arg(json);
        }
        let mut conn = self.conn.clone();
        let ids: Option<Vec<String>> = invocation.invoke_async(&mut conn).await?;
        ids.map(|ids| ids.iter().map(|id| parse_id(id)).collect())
            .transpose()
    }

    /// Up to `limit` entries of `user`'s stream after `after` (exclusive), oldest first.
    pub async fn after(
        &self,
        user: &str,
        after: StreamId,
        limit: usize,
    ) -> Result<Vec<Entry>, redis::RedisError> {
        let mut conn = self.conn.clone();
        let raw: Vec<(String, Vec<String>)> = redis::cmd("XRANGE")
            .arg(crate::keys::sse_stream(user))
            .arg(format!("({after}"))
            .arg("+")
            .arg("COUNT")
            .arg(limit)
            .query_async(&mut conn)
            .await?;
        raw.into_iter()
            .map(|(id, fields)| {
                let field = |name: &str| {
                    fields
                        .chunks(2)
                        .find(|pair| pair[0] == name)
                        .and_then(|pair| pair.get(1))
                };
                Ok(Entry {
                    id: parse_id(&id)?,
                    data: field(FIELD).cloned().unwrap_or_default(),
                    prev: field(PREV).map(|p| parse_id(p)).transpose()?,
                })
            })
            .collect()
    }

    /// The id of the newest entry of `user`'s stream (`0-0` when there is none): where a client
    /// that connects without a `Last-Event-ID` starts.
    pub async fn latest(&self, user: &str) -> Result<StreamId, redis::RedisError> {
        let mut conn = self.conn.clone();
        let raw: Vec<(String, Vec<String>)> = redis::cmd("XREVRANGE")
            .arg(crate::keys::sse_stream(user))
            .arg("+")
            .arg("-")
            .arg("COUNT")
            .arg(1)
            .query_async(&mut conn)
            .await?;
        match raw.first() {
            Some((id, _)) => parse_id(id),
            None => Ok(StreamId::default()),
        }
    }

    /// What a client whose last notification was `last` missed, up to `limit` entries, and
    /// whether the cap or the TTL may have taken some of it (see [`Replay::missed`]).
    pub async fn replay(
        &self,
        user: &str,
        last: StreamId,
        limit: usize,
        now_ms: u64,
    ) -> Result<Replay, redis::RedisError> {
        let entries = self.after(user, last, limit).await?;
        let exists = if entries.is_empty() {
            let mut conn = self.conn.clone();
            redis::cmd("EXISTS")
                .arg(crate::keys::sse_stream(user))
                .query_async::<i64>(&mut conn)
                .await?
                == 1
        } else {
            true
        };
        let missed = may_have_missed(entries.first(), exists, last, self.config.ttl, now_ms);
        Ok(Replay { entries, missed })
    }
}

/// Whether entries after `last` may be gone, given the first entry still after it and whether
/// the stream exists:
/// - the first entry after `last` says which entry came before it (`prev`): if that is after
///   `last`, the cap trimmed what came between;
/// - a stream created anew (`prev` is `0-0`) a TTL or more after `last`, or a stream that is
///   gone when `last` is a TTL old, may have expired with entries after `last` in it.
fn may_have_missed(
    first: Option<&Entry>,
    exists: bool,
    last: StreamId,
    ttl: Duration,
    now_ms: u64,
) -> bool {
    let expired_since = |ms: u64| last.ms.saturating_add(ttl_ms(ttl)) <= ms;
    match first {
        Some(first) => match first.prev {
            Some(prev) if prev == StreamId::default() => {
                last != StreamId::default() && expired_since(first.id.ms)
            }
            Some(prev) => prev > last,
            // Written without a `prev`: cannot tell.
            None => false,
        },
        None => !exists && expired_since(now_ms),
    }
}

fn ttl_ms(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

fn parse_id(text: &str) -> Result<StreamId, redis::RedisError> {
    text.parse().map_err(|e: BadStreamId| {
        redis::RedisError::from((
            redis::ErrorKind::Parse,
            "stream id from Redis",
            e.to_string(),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    #[test]
    fn stream_ids_parse_order_and_print() {
        assert_eq!("1733300000000-7".parse(), Ok(id(1_733_300_000_000, 7)));
        assert!(id(5, 0) > id(4, 99));
        assert!(id(5, 1) > id(5, 0));
        assert_eq!(id(12, 3).to_string(), "12-3");
        for bad in [
            "",
            "12",
            "12-",
            "-3",
            "a-1",
            "1-1-1",
            "+1-2",
            "99999999999999999999-0",
        ] {
            assert!(bad.parse::<StreamId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_gap_is_reported_only_when_entries_after_the_client_may_be_gone() {
        let day = Duration::from_secs(86_400);
        let day_ms = 86_400_000;
        let last = id(1_000, 0);
        let entry = |at: StreamId, prev: StreamId| Entry {
            id: at,
            data: String::new(),
            prev: Some(prev),
        };
        // The next entry follows the client's last: nothing between is gone, even if the
        // client's own entry was trimmed.
        let next = entry(id(1_500, 0), last);
        assert!(!may_have_missed(Some(&next), true, last, day, 2_000));
        // The entry before the first one left is after the client's last: trimmed.
        let trimmed = entry(id(1_500, 0), id(1_200, 0));
        assert!(may_have_missed(Some(&trimmed), true, last, day, 2_000));
        // Nothing after it, the stream still there: nothing missed.
        assert!(!may_have_missed(None, true, last, day, 2_000 + day_ms));
        // The stream is gone: missed only if it could have held something after `last`.
        assert!(!may_have_missed(None, false, last, day, 5_000));
        assert!(may_have_missed(None, false, last, day, 1_000 + day_ms));
        // Created anew: a TTL or more after `last`, something may have expired in between.
        let anew = entry(id(1_000 + day_ms + 5, 0), StreamId::default());
        assert!(may_have_missed(
            Some(&anew),
            true,
            last,
            day,
            1_000 + day_ms + 10
        ));
        let soon = entry(id(1_500, 0), StreamId::default());
        assert!(!may_have_missed(Some(&soon), true, last, day, 2_000));
    }
}
