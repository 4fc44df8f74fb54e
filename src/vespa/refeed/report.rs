//! What a re-feed did: what was read, fed, skipped and failed, and where the run stands.

use std::time::Duration;

use serde::Serialize;

use super::{Counters, Problem};
use crate::report::{Report, Table};
use crate::vespa::feed::FeedOutcome;

/// Facts about the run that are not counts.
pub(super) struct RunFacts {
    pub dry_run: bool,
    pub interrupted: bool,
    pub complete: bool,
    pub checkpoint: Option<String>,
    pub source_error: Option<String>,
    pub checkpoint_error: Option<String>,
    pub elapsed: Duration,
}

/// The summary of a re-feed. The feed's own counts (`operations`, `ok`, `failed`,
/// `responses`, …) are at the top level, as `vespa feed` reports them.
#[derive(Debug, Clone, Serialize)]
pub struct RefeedReport {
    /// `visit`, `file`, `stdin` or `pubsub` (set by the caller).
    pub mode: String,
    /// What was re-fed: the file, the subscription, or the visited cluster.
    pub source: String,
    pub dry_run: bool,
    /// This run continued a checkpointed one.
    pub resumed: bool,
    /// The Redis key of the checkpoint, when this run wrote (or resumed) one.
    pub checkpoint: Option<String>,
    /// Everything selected was read and fed (the checkpoint is marked complete).
    pub complete: bool,
    pub interrupted: bool,
    /// Events, messages, or documents visited by this run.
    pub read: u64,
    pub pages: u64,
    /// Operations fed successfully (2xx, 404, 412).
    pub fed: u64,
    /// Events of unknown types plus events or messages not selected by `--user`/`--type`.
    pub skipped: u64,
    pub skipped_unknown_type: u64,
    pub filtered: u64,
    /// Invalid events, or visited documents that cannot be brought to the current shape.
    pub invalid: u64,
    /// Visited documents whose shape changed.
    pub upgraded: u64,
    pub dropped_fields: u64,
    pub acked: u64,
    pub left_for_redelivery: u64,
    /// Events, messages or pages with at least one operation (or document) not fed.
    pub units_failed: u64,
    /// Wall-clock time of the whole run.
    pub elapsed_seconds: f64,
    pub source_error: Option<String>,
    pub checkpoint_error: Option<String>,
    /// The first problems, with where they came from.
    pub problems: Vec<Problem>,
    #[serde(flatten)]
    pub feed: FeedOutcome,
}

impl RefeedReport {
    pub(super) fn build(counters: &Counters, feed: FeedOutcome, facts: RunFacts) -> Self {
        let get = Counters::get;
        let skipped_unknown_type = get(&counters.skipped_unknown);
        let filtered = get(&counters.filtered);
        RefeedReport {
            mode: String::new(),
            source: String::new(),
            dry_run: facts.dry_run,
            resumed: false,
            checkpoint: facts.checkpoint,
            complete: facts.complete,
            interrupted: facts.interrupted,
            read: get(&counters.read),
            pages: get(&counters.pages),
            fed: feed.ok + feed.not_found + feed.condition_not_met,
            skipped: skipped_unknown_type + filtered,
            skipped_unknown_type,
            filtered,
            invalid: get(&counters.invalid),
            upgraded: get(&counters.upgraded),
            dropped_fields: get(&counters.dropped_fields),
            acked: get(&counters.acked),
            left_for_redelivery: get(&counters.left),
            units_failed: get(&counters.units_failed),
            elapsed_seconds: facts.elapsed.as_secs_f64(),
            source_error: facts.source_error,
            checkpoint_error: facts.checkpoint_error,
            problems: counters.problems(),
            feed,
        }
    }

    /// The report of a run that had nothing to do: its checkpoint `key` says it is complete.
    pub fn already_complete(key: String) -> Self {
        RefeedReport::build(
            &Counters::default(),
            FeedOutcome::default(),
            RunFacts {
                dry_run: false,
                interrupted: false,
                complete: true,
                checkpoint: Some(key),
                source_error: None,
                checkpoint_error: None,
                elapsed: Duration::ZERO,
            },
        )
    }

    /// Whether anything failed: an operation, an invalid input, the source or the checkpoint.
    pub fn has_failures(&self) -> bool {
        self.feed.failed > 0
            || self.invalid > 0
            || self.units_failed > 0
            || self.source_error.is_some()
            || self.checkpoint_error.is_some()
            || self.feed.gave_up.is_some()
    }
}

impl Report for RefeedReport {
    fn tables(&self) -> Vec<Table> {
        let from = match self.mode.as_str() {
            "visit" => format!("Vespa cluster `{}`", self.source),
            "pubsub" => format!("subscription `{}`", self.source),
            _ => format!("`{}`", self.source),
        };
        let mut summary = Table::new(["metric", "value"]).titled(format!(
            "{}re-feed from {from}",
            if self.dry_run { "dry run: " } else { "" },
        ));
        let mut add = |k: &str, v: String| summary.push([k.to_string(), v]);
        let read = match self.mode.as_str() {
            "visit" => "documents visited",
            "pubsub" => "messages read",
            _ => "events read",
        };
        add(read, self.read.to_string());
        if self.mode == "visit" {
            add("pages", self.pages.to_string());
            add("upgraded (shape changed)", self.upgraded.to_string());
            if self.dropped_fields > 0 {
                add("fields dropped", self.dropped_fields.to_string());
            }
        }
        add(
            "skipped (unknown type)",
            self.skipped_unknown_type.to_string(),
        );
        add("skipped (not selected)", self.filtered.to_string());
        add("invalid (not fed)", self.invalid.to_string());
        add(
            if self.dry_run {
                "operations (would feed)"
            } else {
                "operations"
            },
            self.feed.operations.to_string(),
        );
        if !self.dry_run {
            add("fed", self.fed.to_string());
            add("  ok", self.feed.ok.to_string());
            add("  not found (404)", self.feed.not_found.to_string());
            add(
                "  condition not met (412)",
                self.feed.condition_not_met.to_string(),
            );
            add("failed", self.feed.failed.to_string());
            add("retries", self.feed.retries.to_string());
            if self.feed.not_sent > 0 {
                add("not sent", self.feed.not_sent.to_string());
            }
        }
        if self.mode == "pubsub" {
            add("acked", self.acked.to_string());
            add("left for redelivery", self.left_for_redelivery.to_string());
        }
        add("seconds", format!("{:.3}", self.elapsed_seconds));
        add("ops/s", format!("{:.1}", self.feed.ops_per_second));
        if let Some(key) = &self.checkpoint {
            add("checkpoint", key.clone());
        }
        add(
            "state",
            if self.complete {
                "complete"
            } else if self.interrupted {
                "interrupted"
            } else {
                "incomplete"
            }
            .to_string(),
        );
        let mut tables = vec![summary];
        if !self.feed.responses.is_empty() {
            let mut responses = Table::new(["status", "responses"]).titled("responses");
            for (status, n) in &self.feed.responses {
                responses.push([status.to_string(), n.to_string()]);
            }
            tables.push(responses);
        }
        if !self.problems.is_empty() || !self.feed.failures.is_empty() {
            let mut failed = Table::new(["at", "problem"]).titled("not fed");
            for p in &self.problems {
                failed.push([p.at.clone(), p.message.clone()]);
            }
            for f in self.feed.failures.iter().take(super::MAX_PROBLEMS) {
                let status = f
                    .status
                    .map_or("no response".into(), |s| format!("status {s}"));
                failed.push([
                    format!("{} `{}`", f.operation.as_str(), f.id),
                    format!("{status}: {}", f.message),
                ]);
            }
            tables.push(failed);
        }
        tables
    }
}
