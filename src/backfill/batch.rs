//! Turning a stream of records into per-user batches with deterministic ids.
//!
//! The batcher is the one sequential, deterministic step of a backfill: for the same input (in
//! the same order), the same selection and the same correlation id it emits the same batches in
//! the same order with the same ids, which is what makes `--resume` and consumer dedupe work.
//!
//! - Records of users that were not selected, outside `--since/--until` (on `received_at`), or
//!   repeating a `provider_message_id` already seen for the user in this run are skipped and
//!   counted (the first occurrence wins).
//! - An `EmailEvent` has one `operation` and one `provider`, so each user has at most one open
//!   batch per (provider, operation); `operation` is `update` when the record's `updated_at` is
//!   newer than its `received_at`, else `create`.
//! - A batch is emitted when it reaches the batch size, and every open batch at the end (users
//!   in id order, then provider, then operation). Batch indexes count per user from 0.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::prepared::{PrehashedKey, PreparedEmail, PreparedRecord};
use super::source::{AckGroup, Position};
use crate::model::fields::{Operation, Provider};
use crate::model::legacy::hex;

/// What the batcher selects.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The users to backfill.
    pub users: BTreeSet<String>,
    /// Inclusive lower bound on `received_at`.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive upper bound on `received_at`.
    pub until: Option<DateTime<Utc>>,
    /// Most e-mails per batch (1..=1000, an `EmailEvent`'s limit).
    pub batch_size: usize,
}

/// A batch of one user's e-mails, one `EmailEvent` when published.
#[derive(Debug)]
pub struct Batch {
    pub user_id: String,
    pub provider: Provider,
    pub operation: Operation,
    /// Per-user index, from 0 (plus the resume base for non-replayable sources).
    pub index: u64,
    pub emails: Vec<PreparedEmail>,
    /// Where the batch's last record came from.
    pub last_position: Position,
    /// One entry per record that came from a Pub/Sub message, released when published.
    pub acks: Vec<Arc<AckGroup>>,
}

/// Why a record was not batched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    OtherUser,
    OutOfRange,
    Duplicate,
}

#[derive(Default)]
struct UserState {
    /// 64-bit hashes of the message ids seen: 8 bytes per e-mail keeps memory flat for large
    /// mailboxes; a collision (≈ n²/2⁶⁵) would only skip one e-mail as a duplicate.
    seen: HashSet<u64, BuildHasherDefault<PrehashedKey>>,
    open: BTreeMap<(u8, u8), Open>,
    next_index: u64,
}

struct Open {
    provider: Provider,
    operation: Operation,
    emails: Vec<PreparedEmail>,
    last_position: Position,
    acks: Vec<Arc<AckGroup>>,
}

/// Groups records into batches.
pub struct Batcher {
    selection: Selection,
    users: BTreeMap<String, UserState>,
}

impl Batcher {
    /// A batcher for `selection`; `index_base` gives the first index per user (0 when absent).
    pub fn new(selection: Selection, index_base: &BTreeMap<String, u64>) -> Batcher {
        let users = selection
            .users
            .iter()
            .map(|u| {
                let state = UserState {
                    next_index: index_base.get(u).copied().unwrap_or(0),
                    ..UserState::default()
                };
                (u.clone(), state)
            })
            .collect();
        Batcher { selection, users }
    }

    /// Adds a record; a full batch is pushed to `out`. Returns why it was skipped, if it was.
    pub fn push(
        &mut self,
        record: PreparedRecord,
        position: Position,
        ack: Option<Arc<AckGroup>>,
        out: &mut Vec<Batch>,
    ) -> Option<Skip> {
        let Some(state) = self.users.get_mut(&record.user_id) else {
            return Some(Skip::OtherUser);
        };
        let received = record.email.received_at;
        if self.selection.since.is_some_and(|s| received < s)
            || self.selection.until.is_some_and(|u| received >= u)
        {
            return Some(Skip::OutOfRange);
        }
        if !state.seen.insert(record.email.dedupe_key) {
            return Some(Skip::Duplicate);
        }
        let operation = if record.email.updated_at > record.email.received_at {
            Operation::Update
        } else {
            Operation::Create
        };
        let key = (provider_rank(record.provider), operation_rank(operation));
        let open = state.open.entry(key).or_insert_with(|| Open {
            provider: record.provider,
            operation,
            emails: Vec::with_capacity(self.selection.batch_size),
            last_position: position.clone(),
            acks: Vec::new(),
        });
        open.emails.push(record.email);
        open.last_position = position;
        if let Some(ack) = ack {
            open.acks.push(ack);
        }
        if open.emails.len() >= self.selection.batch_size
            && let Some(full) = state.open.remove(&key)
        {
            out.push(close(&record.user_id, state, full));
        }
        None
    }

    /// Emits every open batch, in a fixed order.
    pub fn finish(&mut self, out: &mut Vec<Batch>) {
        for (user_id, state) in &mut self.users {
            let open = std::mem::take(&mut state.open);
            for (_, batch) in open {
                out.push(close(user_id, state, batch));
            }
        }
    }
}

fn close(user_id: &str, state: &mut UserState, open: Open) -> Batch {
    let index = state.next_index;
    state.next_index += 1;
    Batch {
        user_id: user_id.to_string(),
        provider: open.provider,
        operation: open.operation,
        index,
        emails: open.emails,
        last_position: open.last_position,
        acks: open.acks,
    }
}

fn provider_rank(p: Provider) -> u8 {
    match p {
        Provider::Google => 0,
        Provider::Microsoft => 1,
    }
}

fn operation_rank(o: Operation) -> u8 {
    match o {
        Operation::Create => 0,
        Operation::Update => 1,
        Operation::Delete => 2,
    }
}

/// The batch id: `bf-` and 32 hex digits of SHA-256 over the correlation id, user, batch index,
/// operation, provider and each e-mail's `provider_message_id` and `updated_at`.
///
/// The same input replayed with the same correlation id gives the same ids, so consumers that
/// dedupe on `batch_id + correlation_id` drop a batch published twice (e.g. the batch that was
/// in flight when a run crashed).
pub fn batch_id(correlation_id: &str, batch: &Batch) -> String {
    let mut hasher = Sha256::new();
    for part in [
        "officectl-backfill-batch",
        correlation_id,
        &batch.user_id,
        &batch.index.to_string(),
        batch.operation.as_str(),
        batch.provider.as_str(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    for email in &batch.emails {
        // `provider_message_id`, NUL, `updated_at` (RFC 3339), newline.
        hasher.update(email.batch_id_part());
    }
    format!("bf-{}", &hex(&hasher.finalize())[..32])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backfill::record::EmailRecord;
    use crate::model::families::email::Email;
    use crate::model::fields::Mailbox;

    fn record(user: &str, id: &str, day: u32, updated_day: u32) -> PreparedRecord {
        let at = |d: u32| {
            DateTime::parse_from_rfc3339(&format!("2024-01-{d:02}T00:00:00Z"))
                .unwrap()
                .with_timezone(&Utc)
        };
        let record = EmailRecord {
            user_id: user.into(),
            provider: Provider::Google,
            email: Email {
                provider_message_id: id.into(),
                thread_id: "t".into(),
                internet_message_id: None,
                subject: String::new(),
                from: Mailbox {
                    email: "a@example.com".into(),
                    name: None,
                },
                to: vec![],
                cc: vec![],
                bcc: vec![],
                reply_to: vec![],
                labels: vec![],
                snippet: None,
                body: None,
                payload_ref: None,
                attachments: vec![],
                is_read: false,
                is_starred: false,
                received_at: at(day),
                updated_at: at(updated_day),
            },
        };
        PreparedRecord::new(record).unwrap()
    }

    fn selection(batch_size: usize) -> Selection {
        Selection {
            users: ["u1".to_string(), "u2".to_string()].into(),
            since: Some(record("x", "x", 2, 2).email.received_at),
            until: Some(record("x", "x", 20, 20).email.received_at),
            batch_size,
        }
    }

    fn run(records: Vec<PreparedRecord>, batch_size: usize) -> (Vec<Batch>, Vec<Option<Skip>>) {
        let mut batcher = Batcher::new(selection(batch_size), &BTreeMap::new());
        let mut out = Vec::new();
        let mut skips = Vec::new();
        for (i, r) in records.into_iter().enumerate() {
            skips.push(batcher.push(r, Position::Line(i as u64 + 1), None, &mut out));
        }
        batcher.finish(&mut out);
        (out, skips)
    }

    #[test]
    fn batches_per_user_and_operation_with_skips_counted() {
        let records = vec![
            record("u1", "a", 3, 3),
            record("u2", "b", 3, 3),
            record("u1", "c", 4, 9),   // update
            record("u1", "a", 3, 3),   // duplicate
            record("u3", "d", 3, 3),   // other user
            record("u1", "e", 1, 1),   // before --since
            record("u1", "f", 20, 20), // at --until (exclusive)
            record("u1", "g", 5, 5),
            record("u1", "h", 6, 6),
        ];
        let (batches, skips) = run(records, 2);
        assert_eq!(skips[3], Some(Skip::Duplicate));
        assert_eq!(skips[4], Some(Skip::OtherUser));
        assert_eq!(skips[5], Some(Skip::OutOfRange));
        assert_eq!(skips[6], Some(Skip::OutOfRange));
        let shape: Vec<(&str, u64, &str, usize)> = batches
            .iter()
            .map(|b| {
                (
                    b.user_id.as_str(),
                    b.index,
                    b.operation.as_str(),
                    b.emails.len(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("u1", 0, "create", 2),
                ("u1", 1, "create", 1),
                ("u1", 2, "update", 1),
                ("u2", 0, "create", 1),
            ]
        );
        assert_eq!(batches[0].last_position, Position::Line(8));
    }

    #[test]
    fn batch_ids_are_deterministic_and_depend_on_content_and_correlation() {
        let input = || {
            (0..7)
                .map(|i| record("u1", &format!("m{i}"), 5, 5))
                .collect()
        };
        let (a, _) = run(input(), 3);
        let (b, _) = run(input(), 3);
        let ids = |v: &[Batch], c: &str| v.iter().map(|x| batch_id(c, x)).collect::<Vec<_>>();
        assert_eq!(ids(&a, "c1"), ids(&b, "c1"));
        assert_ne!(ids(&a, "c1"), ids(&a, "c2"));
        let unique: HashSet<String> = ids(&a, "c1").into_iter().collect();
        assert_eq!(unique.len(), 3);
        assert!(ids(&a, "c1")[0].starts_with("bf-") && ids(&a, "c1")[0].len() == 35);
    }

    #[test]
    fn the_index_base_continues_numbering() {
        let base = BTreeMap::from([("u1".to_string(), 7)]);
        let mut batcher = Batcher::new(selection(10), &base);
        let mut out = Vec::new();
        batcher.push(record("u1", "a", 5, 5), Position::Line(1), None, &mut out);
        batcher.finish(&mut out);
        assert_eq!(out[0].index, 7);
    }
}
