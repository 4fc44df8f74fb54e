//! Counting and reporting: live counters for progress, and the final summary.
//!
//! Counts are of **items**: one e-mail record (a line, page item or message holding an event of
//! N e-mails is N items), or one input unit rejected whole (a line, page item or message that is
//! not valid: how many e-mails it meant to hold is unknown). Every item read ends up counted once
//! more, so that `read = published + rejected + duplicates_skipped + out_of_range +
//! other_users_skipped + already_published + not_published` (issue 17; `read` used to count
//! valid records only while `rejected` counted lines).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::report::{Report, Table};

/// Live counters, shared between the engine's tasks and the progress ticker.
#[derive(Debug, Default)]
pub struct Counters {
    /// Items read: e-mail records, and input units rejected whole.
    pub read: AtomicU64,
    pub published: AtomicU64,
    pub batches: AtomicU64,
    /// Message bytes published.
    pub bytes: AtomicU64,
    pub claim_checked: AtomicU64,
    pub rejected: AtomicU64,
    pub duplicates: AtomicU64,
    pub out_of_range: AtomicU64,
    pub other_users: AtomicU64,
    /// E-mails in batches a resume skipped because they were already acknowledged.
    pub already_published: AtomicU64,
}

impl Counters {
    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}

/// A moment of progress, for a reporter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub read: u64,
    pub published: u64,
    pub batches: u64,
    pub bytes: u64,
    pub rejected: u64,
    /// Input bytes read, and the total when known (files): enough for a bar and an ETA.
    pub input_read: u64,
    pub input_total: Option<u64>,
    pub elapsed_secs: f64,
}

/// How the run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Complete,
    Interrupted,
    Failed,
}

/// Per-user figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UserSummary {
    pub published: u64,
    pub batches: u64,
    /// Batches acknowledged in total (with earlier runs, for a resume).
    pub acked_batches: u64,
    /// Batches skipped because an earlier run had them acknowledged.
    pub resumed_past: u64,
}

/// The summary of a backfill (`--dry-run`: what it would publish).
#[derive(Debug, Clone, Serialize)]
pub struct BackfillReport {
    pub correlation_id: String,
    pub source: String,
    pub topic: String,
    pub dry_run: bool,
    pub resumed: bool,
    pub outcome: Outcome,
    /// Items read: e-mail records, and input units rejected whole (see the module comment).
    pub read: u64,
    /// E-mails published (dry run: that would be).
    pub published: u64,
    pub batches: u64,
    pub bytes: u64,
    pub claim_checked: u64,
    pub rejected: u64,
    pub duplicates_skipped: u64,
    pub out_of_range: u64,
    pub other_users_skipped: u64,
    /// E-mails in batches skipped because an earlier run had them acknowledged (`--resume`).
    pub already_published: u64,
    /// Items read but neither published nor skipped because the run stopped first (0 when it is
    /// complete).
    pub not_published: u64,
    pub elapsed_secs: f64,
    pub events_per_sec: f64,
    /// The e-mail publish modes the run published under, in the order first used (several
    /// when the flag changed during the run); empty with `--topic`.
    pub publish_modes: Vec<String>,
    /// Messages acknowledged (dry run: planned) per topic: one per batch, two under `dual`.
    pub messages_by_topic: BTreeMap<String, u64>,
    pub users: BTreeMap<String, UserSummary>,
    /// The error that ended the run, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl BackfillReport {
    pub(crate) fn fill(&mut self, counters: &Counters, elapsed_secs: f64) {
        self.read = Counters::get(&counters.read);
        self.published = Counters::get(&counters.published);
        self.batches = Counters::get(&counters.batches);
        self.bytes = Counters::get(&counters.bytes);
        self.claim_checked = Counters::get(&counters.claim_checked);
        self.rejected = Counters::get(&counters.rejected);
        self.duplicates_skipped = Counters::get(&counters.duplicates);
        self.out_of_range = Counters::get(&counters.out_of_range);
        self.other_users_skipped = Counters::get(&counters.other_users);
        self.already_published = Counters::get(&counters.already_published);
        self.not_published = self.read.saturating_sub(self.settled());
        self.elapsed_secs = (elapsed_secs * 1000.0).round() / 1000.0;
        self.events_per_sec = if elapsed_secs > 0.0 {
            (self.published as f64 / elapsed_secs).round()
        } else {
            0.0
        };
    }
}

impl BackfillReport {
    /// Items that were published, rejected or skipped: all of `read` once the run is complete.
    pub fn settled(&self) -> u64 {
        self.published
            + self.rejected
            + self.duplicates_skipped
            + self.out_of_range
            + self.other_users_skipped
            + self.already_published
    }

    /// `read = published + rejected + skipped of each kind`, in words, with the figures.
    pub fn identity(&self) -> String {
        let verb = if self.dry_run {
            "would publish"
        } else {
            "published"
        };
        let mut text = format!(
            "{} items read = {} {verb} + {} rejected + {} duplicates skipped + {} out of range + {} other users skipped + {} already published",
            self.read,
            self.published,
            self.rejected,
            self.duplicates_skipped,
            self.out_of_range,
            self.other_users_skipped,
            self.already_published
        );
        if self.not_published > 0 {
            text.push_str(&format!(
                " + {} not published (run stopped)",
                self.not_published
            ));
        }
        text
    }
}

pub(crate) fn snapshot(
    counters: &Counters,
    input: Option<&super::source::InputProgress>,
    elapsed_secs: f64,
) -> Snapshot {
    Snapshot {
        read: Counters::get(&counters.read),
        published: Counters::get(&counters.published),
        batches: Counters::get(&counters.batches),
        bytes: Counters::get(&counters.bytes),
        rejected: Counters::get(&counters.rejected),
        input_read: input.map_or(0, |i| i.read.load(Ordering::Relaxed)),
        input_total: input.and_then(|i| i.total),
        elapsed_secs,
    }
}

impl Report for BackfillReport {
    fn tables(&self) -> Vec<Table> {
        let verb = if self.dry_run {
            "would publish"
        } else {
            "published"
        };
        let outcome = match self.outcome {
            Outcome::Complete => "complete",
            Outcome::Interrupted => "interrupted",
            Outcome::Failed => "failed",
        };
        let destination = if self.messages_by_topic.len() > 1 {
            let topics: Vec<String> = self
                .messages_by_topic
                .keys()
                .map(|t| format!("`{t}`"))
                .collect();
            topics.join(" and ")
        } else {
            let topic = self.messages_by_topic.keys().next().unwrap_or(&self.topic);
            format!("`{topic}`")
        };
        let mode = match self.publish_modes.as_slice() {
            [] => String::new(),
            modes => format!(", publish mode {}", modes.join(" then ")),
        };
        let mut summary = Table::new(["figure", "value"]).titled(format!(
            "Backfill {outcome}: {verb} {} e-mails in {} batches to {destination}{mode} (correlation id `{}`)\n{}",
            self.published,
            self.batches,
            self.correlation_id,
            self.identity()
        ));
        let rows: [(&str, String); 13] = [
            ("source", self.source.clone()),
            ("items read", self.read.to_string()),
            (verb, self.published.to_string()),
            ("batches", self.batches.to_string()),
            ("bytes", self.bytes.to_string()),
            ("claim-checked", self.claim_checked.to_string()),
            ("rejected", self.rejected.to_string()),
            ("duplicates skipped", self.duplicates_skipped.to_string()),
            ("out of range", self.out_of_range.to_string()),
            ("other users skipped", self.other_users_skipped.to_string()),
            (
                "already published (resume)",
                self.already_published.to_string(),
            ),
            ("elapsed", format!("{:.3}s", self.elapsed_secs)),
            ("events/s", format!("{:.0}", self.events_per_sec)),
        ];
        for (name, value) in rows {
            summary.push([name.to_string(), value]);
        }
        if self.not_published > 0 {
            summary.push([
                "not published (run stopped)".to_string(),
                self.not_published.to_string(),
            ]);
        }
        if !self.publish_modes.is_empty() {
            summary.push([
                "publish mode".to_string(),
                self.publish_modes.join(" then "),
            ]);
        }
        for (topic, messages) in &self.messages_by_topic {
            summary.push([format!("messages to `{topic}`"), messages.to_string()]);
        }
        let mut users = Table::new(["user", "published", "batches", "acked batches"]);
        for (user, s) in &self.users {
            users.push([
                user.clone(),
                s.published.to_string(),
                s.batches.to_string(),
                s.acked_batches.to_string(),
            ]);
        }
        vec![summary, users]
    }
}
