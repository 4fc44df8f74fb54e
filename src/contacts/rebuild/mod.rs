//! `contacts rebuild`: a user's contacts recomputed from history, in memory, then written in
//! one go.
//!
//! Events are folded exactly as the live consumer folds them ([`crate::contacts::store`]): the
//! same extraction, the same records, each idempotency key counted once, an address the user
//! turns out to send from dropped when it is learned, suppressed (forgotten) contacts skipped.
//! The result does not depend on the order of the events, except for the moment an own address
//! is learned, which only ever removes that address.
//!
//! Writing replaces the user's contacts: the records, the ranking, the own addresses learned,
//! and a marker per event counted (so the live consumer does not count them again), in
//! pipelined batches. The contacts the push rule would have pushed are marked pushed and
//! returned, with the old contacts that no longer exist, for the caller to publish.
//!
//! The state is serialisable: a checkpoint holds it with the source position, and a resumed run
//! continues from there.

mod item;
mod lines;
pub mod run;

use chrono::{DateTime, Utc};
use redis::AsyncCommands;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::config::ContactsConfig;
use super::interaction::{Identity, extract};
use super::marker::Forgotten;
use super::record::{ContactRecord, Pushed};
use super::significance::{Push, decide};
use super::store::{ContactStore, ContactStoreError, SEEN_TTL, rank_score};
use crate::keys;
use crate::model::Event;

/// Commands per pipelined round trip when writing.
const WRITE_BATCH: usize = 2_000;

/// One user's contacts as recomputed so far.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UserState {
    /// Records by contact id.
    pub records: HashMap<String, ContactRecord>,
    /// The user's own addresses: learned (stored and from sent mail).
    pub learned: BTreeSet<String>,
    /// Own addresses learned from this history (written with the records).
    pub learned_here: BTreeSet<String>,
    /// Idempotency keys counted.
    pub seen: HashSet<String>,
    /// Ids never to count (`contacts forget` without rediscovery).
    pub suppressed: HashSet<String>,
}

/// What adding one event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Counted: this many interactions.
    Counted { interactions: usize },
    /// Its idempotency key was counted before in this rebuild.
    Duplicate,
    /// Its user is not one being rebuilt.
    NotSelected,
}

/// A rebuild in progress.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Rebuild {
    /// The users rebuilt; `None`: every user in the source.
    pub users: Option<BTreeSet<String>>,
    pub state: BTreeMap<String, UserState>,
    pub counts: RebuildCounts,
}

/// Counts of a rebuild.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RebuildCounts {
    /// Events counted.
    pub events: u64,
    /// E-mails in the events counted.
    pub emails: u64,
    pub interactions: u64,
    /// Events whose idempotency key came again.
    pub duplicates: u64,
    /// Events of users not rebuilt.
    pub not_selected: u64,
}

/// A user's contacts as written.
#[derive(Debug, Clone)]
pub struct Written {
    pub user: String,
    /// Contacts written, and the ones the push rule lets through (marked pushed), by id.
    pub contacts: usize,
    pub to_push: Vec<(String, ContactRecord)>,
    /// Ids of contacts the user had before and no longer has.
    pub gone: Vec<String>,
}

impl Rebuild {
    pub fn new(users: Option<BTreeSet<String>>) -> Rebuild {
        Rebuild {
            users,
            ..Rebuild::default()
        }
    }

    /// Whether `user`'s state is loaded (its stored own addresses and suppressions read).
    pub fn knows(&self, user: &str) -> bool {
        self.state.contains_key(user)
    }

    /// Whether events of `user` are rebuilt.
    pub fn selects(&self, user: &str) -> bool {
        self.users.as_ref().is_none_or(|u| u.contains(user))
    }

    /// Reads what the store knows of `user` that counting needs: the own addresses learned and
    /// the suppressed ids. Call before adding the user's first event.
    pub async fn load_user(
        &mut self,
        store: &ContactStore,
        user: &str,
    ) -> Result<(), ContactStoreError> {
        let mut conn = store.connection();
        let (learned, forgotten): (BTreeSet<String>, BTreeMap<String, String>) = redis::pipe()
            .smembers(keys::contacts_self(user))
            .hgetall(keys::contacts_forgotten(user))
            .query_async(&mut conn)
            .await
            .map_err(|source| ContactStoreError::Redis {
                operation: "SMEMBERS, HGETALL (own addresses, forgotten)",
                source,
            })?;
        let suppressed = forgotten
            .into_iter()
            .filter(|(_, v)| Forgotten::parse(v) == Forgotten::Suppressed)
            .map(|(id, _)| id)
            .collect();
        self.state.insert(
            user.to_string(),
            UserState {
                learned,
                suppressed,
                ..UserState::default()
            },
        );
        Ok(())
    }

    /// Counts `event` (idempotency key `key`); its user's state must be loaded.
    pub fn add(&mut self, event: &Event, key: &str, config: &ContactsConfig) -> Added {
        let header = event.header();
        let user = header.user_id;
        if !self.selects(user) {
            self.counts.not_selected += 1;
            return Added::NotSelected;
        }
        let state = self
            .state
            .get_mut(user)
            .expect("load_user before the user's first event");
        if !state.seen.insert(key.to_string()) {
            self.counts.duplicates += 1;
            return Added::Duplicate;
        }
        let identity = Identity::of(config, user, header.provider, state.learned.clone());
        let extracted = extract(event, &identity, config);
        for interaction in &extracted.interactions {
            let id = keys::contact_id(&interaction.address);
            if state.suppressed.contains(&id) {
                continue;
            }
            match state.records.get_mut(&id) {
                Some(record) => record.apply(interaction, config),
                None => {
                    state
                        .records
                        .insert(id, ContactRecord::new(interaction, config));
                }
            }
        }
        // As the live commit does: an address learned as the user's own goes after the event's
        // interactions are folded (an earlier mail of the same event may have counted it).
        for address in &extracted.learned_own {
            if state.learned.insert(address.clone()) {
                state.learned_here.insert(address.clone());
                state.records.remove(&keys::contact_id(address));
            }
        }
        self.counts.events += 1;
        if let Event::Email(e) = event {
            self.counts.emails += e.emails.len() as u64;
        }
        self.counts.interactions += extracted.interactions.len() as u64;
        Added::Counted {
            interactions: extracted.interactions.len(),
        }
    }

    /// Replaces each rebuilt user's contacts in the store with the recomputed ones, and marks
    /// pushed those the push rule lets through at `now` (unless `push` is false).
    pub async fn write(
        &mut self,
        store: &ContactStore,
        now: DateTime<Utc>,
        push: bool,
    ) -> Result<Vec<Written>, ContactStoreError> {
        let config = store.config().clone();
        let mut conn = store.connection();
        let redis_err =
            |operation: &'static str| move |source| ContactStoreError::Redis { operation, source };
        let (secs, micros): (i64, i64) = redis::cmd("TIME")
            .query_async(&mut conn)
            .await
            .map_err(redis_err("TIME"))?;
        let marker = format!("{}|{{}}", secs * 1000 + micros / 1000);
        let mut written = Vec::with_capacity(self.state.len());
        for (user, state) in &mut self.state {
            // Forgotten since the user's first event (or since a resumed checkpoint): never
            // written back.
            let forgotten: BTreeMap<String, String> = conn
                .hgetall(keys::contacts_forgotten(user))
                .await
                .map_err(redis_err("HGETALL (forgotten contacts)"))?;
            for (id, value) in forgotten {
                if Forgotten::parse(&value) == Forgotten::Suppressed {
                    state.records.remove(&id);
                }
            }
            let ranked = keys::contacts_ranked(user);
            let before: Vec<String> = conn
                .zrange(&ranked, 0, -1)
                .await
                .map_err(redis_err("ZRANGE (contacts before the rebuild)"))?;
            let gone: Vec<String> = before
                .into_iter()
                .filter(|id| !state.records.contains_key(id))
                .collect();
            let mut to_push = Vec::new();
            if push {
                for (id, record) in &mut state.records {
                    if decide(record, usize::MAX, None, now, &config) == Ok(Push::New) {
                        record.pushed = Some(Pushed {
                            score: record.score.at(now, config.half_life),
                            at: now,
                        });
                        to_push.push((id.clone(), record.clone()));
                    }
                }
                to_push.sort_by(|a, b| a.0.cmp(&b.0));
            }
            let mut pipe = redis::pipe();
            let mut queued = 0;
            let flush = async |pipe: &mut redis::Pipeline,
                               conn: &mut redis::aio::MultiplexedConnection|
                   -> Result<(), ContactStoreError> {
                pipe.query_async::<()>(conn)
                    .await
                    .map_err(redis_err("write rebuilt contacts (pipeline)"))?;
                pipe.clear();
                Ok(())
            };
            pipe.del(&ranked).ignore();
            for id in &gone {
                pipe.del(keys::contact(user, id)).ignore();
            }
            if !state.learned_here.is_empty() {
                pipe.sadd(keys::contacts_self(user), &state.learned_here)
                    .ignore();
            }
            for (id, record) in &state.records {
                let key = keys::contact(user, id);
                let text =
                    serde_json::to_string(record).map_err(|source| ContactStoreError::Corrupt {
                        key: key.clone(),
                        source,
                    })?;
                pipe.set(&key, text)
                    .ignore()
                    .zadd(&ranked, id, rank_score(record, config.half_life))
                    .ignore();
                queued += 2;
                if queued >= WRITE_BATCH {
                    flush(&mut pipe, &mut conn).await?;
                    queued = 0;
                }
            }
            let ttl = SEEN_TTL.as_millis() as u64;
            for key in &state.seen {
                // NX: a live consumer's marker (which may still owe pushes) stays.
                pipe.cmd("SET")
                    .arg(keys::contacts_seen(user, key))
                    .arg(&marker)
                    .arg("NX")
                    .arg("PX")
                    .arg(ttl)
                    .ignore();
                queued += 1;
                if queued >= WRITE_BATCH {
                    flush(&mut pipe, &mut conn).await?;
                    queued = 0;
                }
            }
            flush(&mut pipe, &mut conn).await?;
            written.push(Written {
                user: user.clone(),
                contacts: state.records.len(),
                to_push,
                gone,
            });
        }
        Ok(written)
    }
}
