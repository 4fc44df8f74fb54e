//! Counting one event into its user's contact records exactly once.
//!
//! Counting is optimistic: read the records the event touches, fold its interactions in, then
//! commit in one Lua script that writes every record, the ranking and the event's marker only if
//! the marker is absent and no record changed since it was read. Another process counting an
//! event of the same user at the same time makes the script refuse, and the event is counted
//! again from fresh reads. So a redelivered or replayed event counts once, and a crash between
//! reading and committing counts nothing.

use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};

use super::{
    ContactStore, ContactStoreError, MAX_ATTEMPTS, SEEN_TTL, backoff, parse_record, parse_reply,
    rank_score, record_text, redis_err,
};
use crate::contacts::interaction::{Extracted, Identity, Interaction, extract};
use crate::contacts::marker::{Forgotten, LUA_NOW_MS, Marker, Outbox};
use crate::contacts::record::{ContactRecord, Pushed};
use crate::contacts::significance::{Hold, Push, decide};
use crate::keys;
use crate::model::Event;

/// What counting one event did.
#[derive(Debug, Clone, PartialEq)]
pub enum Counted {
    /// Already counted before (a redelivery, a dual-published copy, a replay); it may still owe
    /// pushes, when the process that counted it died or failed to publish them.
    Before(Outbox),
    /// Counted now: the contacts it changed, and the pushes it owes.
    Now {
        changes: Vec<Change>,
        outbox: Outbox,
    },
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
    /// A push is reserved in the record (`record.pushed`, committed with the change, so that
    /// concurrent changes of one contact do not push it twice) and listed in the outbox.
    pub decision: Result<Push, Hold>,
}
/// KEYS: the event's marker, the user's own-address set, the ranking, the forgotten hash, the
/// record key of each newly learned own address, then the records.
/// ARGV: the marker read (empty when absent), the new marker's outbox (JSON; the script
/// prefixes Redis's time), its TTL (ms), the number of
/// learned addresses, (address, id) of each, then per record: the value read (empty when
/// absent), the new value, its rank score, its id, its address.
/// Returns 'conflict' when the marker or a record changed since it was read, or a record's
/// address has become the user's own or suppressed; else 'ok'. A newly learned own address
/// stops being a contact: its record and ranking entry go.
const COMMIT_LUA: &str = r#"
local marker = redis.call('GET', KEYS[1]) or ''
if marker ~= ARGV[1] then return 'conflict' end
local learned = tonumber(ARGV[4])
local base = 4 + 2 * learned
local first = 4 + learned
local records = #KEYS - first
for i = 1, records do
  local at = base + 5 * (i - 1)
  local current = redis.call('GET', KEYS[first + i]) or ''
  if current ~= ARGV[at + 1] then return 'conflict' end
  if redis.call('SISMEMBER', KEYS[2], ARGV[at + 5]) == 1 then return 'conflict' end
  if redis.call('HGET', KEYS[4], ARGV[at + 4]) == 'suppressed' then return 'conflict' end
end
for i = 1, records do
  local at = base + 5 * (i - 1)
  redis.call('SET', KEYS[first + i], ARGV[at + 2])
  redis.call('ZADD', KEYS[3], ARGV[at + 3], ARGV[at + 4])
end
for i = 1, learned do
  redis.call('SADD', KEYS[2], ARGV[3 + 2 * i])
  redis.call('DEL', KEYS[4 + i])
  redis.call('ZREM', KEYS[3], ARGV[4 + 2 * i])
end
redis.call('SET', KEYS[1], string.format('%d', now_ms) .. '|' .. ARGV[2], 'PX', ARGV[3])
return 'ok'
"#;

impl ContactStore {
    /// Counts `event` (whose idempotency key is `key`) into its user's contacts, once.
    ///
    /// An event counted before counts again only for the contacts forgotten since with
    /// rediscovery allowed (`contacts forget --allow-rediscovery`), and never for a suppressed one.
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
            let (marker_text, learned, forgotten): (
                Option<String>,
                BTreeSet<String>,
                BTreeMap<String, String>,
            ) = redis::pipe()
                .get(&seen)
                .smembers(keys::contacts_self(&user))
                .hgetall(keys::contacts_forgotten(&user))
                .query_async(&mut conn)
                .await
                .map_err(redis_err("GET, SMEMBERS, HGETALL (marker, own, forgotten)"))?;
            let marker = marker_text.as_deref().map(Marker::parse);
            let mut suppressed = BTreeSet::new();
            let mut rediscovered = BTreeSet::new();
            for (id, value) in forgotten {
                match Forgotten::parse(&value) {
                    Forgotten::Suppressed => {
                        suppressed.insert(id);
                    }
                    Forgotten::Rediscoverable(ms) => {
                        if marker.as_ref().is_some_and(|m| ms > m.at) {
                            rediscovered.insert(id);
                        }
                    }
                }
            }
            if let Some(m) = &marker
                && rediscovered.is_empty()
            {
                return Ok(Counted::Before(m.outbox.clone()));
            }
            let identity = Identity::of(
                &self.config,
                &user,
                event.header().provider,
                learned.clone(),
            );
            let extracted = extract(event, &identity, &self.config);
            let counts = |id: &String| {
                !suppressed.contains(id) && (marker.is_none() || rediscovered.contains(id))
            };
            let plan = self.fold(&user, &extracted, counts).await?;
            if let Some(m) = &marker
                && plan.is_empty()
            {
                return Ok(Counted::Before(m.outbox.clone()));
            }
            let new_own: Vec<(String, String)> = extracted
                .learned_own
                .difference(&learned)
                .map(|a| (a.clone(), keys::contact_id(a)))
                .collect();
            let (plan, changes) = self.decide(&user, plan, &new_own, now).await?;
            let mut outbox = Outbox {
                upsert: (changes.iter())
                    .filter(|c| c.decision.is_ok())
                    .map(|c| c.id.clone())
                    .collect(),
                remove: new_own.iter().map(|(_, id)| id.clone()).collect(),
            };
            if let Some(m) = &marker {
                outbox.merge(&m.outbox);
            }
            let committed = self
                .commit(
                    &user,
                    &seen,
                    (marker_text.as_deref().unwrap_or(""), &outbox),
                    &new_own,
                    &plan,
                )
                .await?;
            if committed {
                return Ok(Counted::Now { changes, outbox });
            }
        }
        Err(ContactStoreError::Contended {
            user,
            key: key.to_string(),
        })
    }

    /// Reads the records `extracted` touches (of the ids `counts` lets through) and folds its
    /// interactions into them.
    async fn fold(
        &self,
        user: &str,
        extracted: &Extracted,
        counts: impl Fn(&String) -> bool,
    ) -> Result<Vec<Planned>, ContactStoreError> {
        let mut by_id: BTreeMap<String, Vec<&Interaction>> = BTreeMap::new();
        for interaction in &extracted.interactions {
            let id = keys::contact_id(&interaction.address);
            if counts(&id) {
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
            let rank_before = before
                .is_some()
                .then(|| rank_score(&record, self.config.half_life));
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
                rank_before,
                record,
            });
        }
        Ok(plan)
    }

    /// Commits the plan if nothing it read changed: `marker` is the marker read (empty when
    /// absent) and the outbox to write into it. False when something changed.
    async fn commit(
        &self,
        user: &str,
        seen: &str,
        marker: (&str, &Outbox),
        new_own: &[(String, String)],
        plan: &[Planned],
    ) -> Result<bool, ContactStoreError> {
        let script = redis::Script::new(&format!("{LUA_NOW_MS}\n{COMMIT_LUA}"));
        let mut invocation = script.prepare_invoke();
        invocation
            .key(seen)
            .key(keys::contacts_self(user))
            .key(keys::contacts_ranked(user))
            .key(keys::contacts_forgotten(user))
            .arg(marker.0)
            .arg(Marker::outbox_text(marker.1))
            .arg(SEEN_TTL.as_millis() as u64)
            .arg(new_own.len());
        for (address, id) in new_own {
            invocation
                .key(keys::contact(user, id))
                .arg(address.as_str())
                .arg(id.as_str());
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
        Ok(answer == "ok")
    }

    /// The ranks before and after the change and the push decisions, read before the commit.
    /// Before: the contacts ranked above the record's old score. After: those ranked above its
    /// new score, corrected for the other records of the same event (their old scores leave,
    /// their new ones arrive) and for the own addresses the commit removes. (A change only
    /// raises a record's rank score, so its own old entry is never above its new score.) A push
    /// is reserved in the record itself (committed with the change).
    async fn decide(
        &self,
        user: &str,
        mut plan: Vec<Planned>,
        removed: &[(String, String)],
        now: DateTime<Utc>,
    ) -> Result<(Vec<Planned>, Vec<Change>), ContactStoreError> {
        if plan.is_empty() {
            return Ok((plan, Vec::new()));
        }
        let ranked = keys::contacts_ranked(user);
        let half_life = self.config.half_life;
        let olds: Vec<Option<f64>> = plan.iter().map(|p| p.rank_before).collect();
        let news: Vec<f64> = plan
            .iter()
            .map(|p| rank_score(&p.record, half_life))
            .collect();
        let mut pipe = redis::pipe();
        for score in news.iter().chain(olds.iter().flatten()) {
            pipe.zcount(&ranked, format!("({score}"), "+inf");
        }
        if !removed.is_empty() {
            pipe.cmd("ZMSCORE")
                .arg(&ranked)
                .arg(removed.iter().map(|(_, id)| id).collect::<Vec<_>>());
        }
        let mut conn = self.conn.clone();
        let answers: Vec<redis::Value> = pipe
            .query_async(&mut conn)
            .await
            .map_err(redis_err("ZCOUNT, ZMSCORE (contact ranks)"))?;
        let number = |v: &redis::Value| -> Result<usize, ContactStoreError> {
            parse_reply(v, "ZCOUNT (contact rank)")
        };
        let removed_scores: Vec<f64> = match answers.get(news.len() + olds.iter().flatten().count())
        {
            Some(v) => parse_reply::<Vec<Option<f64>>>(v, "ZMSCORE (own addresses' ranks)")?
                .into_iter()
                .flatten()
                .collect(),
            None => Vec::new(),
        };
        let mut old_answers = answers[news.len()..].iter();
        let mut changes = Vec::with_capacity(plan.len());
        for (i, p) in plan.iter_mut().enumerate() {
            let new = news[i];
            let others = |scores: &mut dyn Iterator<Item = (usize, f64)>| {
                scores.filter(|(j, s)| *j != i && *s > new).count()
            };
            let arriving = others(&mut news.iter().copied().enumerate());
            let leaving = others(
                &mut olds
                    .iter()
                    .enumerate()
                    .filter_map(|(j, s)| s.map(|s| (j, s))),
            );
            let gone = removed_scores.iter().filter(|s| **s > new).count();
            let rank = (number(&answers[i])? + arriving + 1).saturating_sub(leaving + gone);
            let rank_before = match olds[i] {
                Some(_) => Some(number(old_answers.next().expect("one answer per old score"))? + 1),
                None => None,
            };
            let decision = decide(&p.record, rank.max(1), rank_before, now, &self.config);
            if decision.is_ok() {
                p.record.pushed = Some(Pushed {
                    score: p.record.score.at(now, half_life),
                    at: now,
                });
            }
            changes.push(Change {
                id: p.id.clone(),
                record: p.record.clone(),
                rank: rank.max(1),
                rank_before,
                decision,
            });
        }
        Ok((plan, changes))
    }
}

/// A record as read and as it will be written.
struct Planned {
    id: String,
    key: String,
    before: Option<String>,
    /// The rank score of the record as read, if there was one.
    rank_before: Option<f64>,
    record: ContactRecord,
}
