//! What a feed did: the counters a caller may poll while it runs, and the outcome at the end,
//! with the failed operations (for a rejects file) and the input lines that were not operations.

use super::protocol::{OpKind, Operation};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;

/// Invalid input lines listed in a [`FeedOutcome`]; the rest are only counted, so a file of
/// garbage does not fill memory with messages.
pub const MAX_INVALID_LISTED: usize = 1000;

/// Input that is not an operation, by line; never sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidInput {
    /// 1-based line of the input where the problem is.
    pub line: u64,
    pub message: String,
}

/// An operation that did not succeed.
#[derive(Debug, Clone, Serialize)]
pub struct OpFailure {
    pub id: String,
    pub operation: OpKind,
    /// The last HTTP status, none for transport or id errors.
    pub status: Option<u16>,
    pub message: String,
    pub attempts: u32,
    #[serde(skip)]
    pub op: Operation,
}

/// Counters the caller may poll while feeding (for progress).
#[derive(Debug, Default)]
pub struct Progress {
    pub read: AtomicU64,
    pub done: AtomicU64,
    pub inflight: AtomicU64,
    pub target: AtomicU64,
}

/// What a feed did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FeedOutcome {
    /// Operations read, not counting retries.
    pub operations: u64,
    /// Operations answered 2xx.
    pub ok: u64,
    /// Operations answered 404 (e.g. a get of a missing document).
    pub not_found: u64,
    /// Operations answered 412 (condition not met).
    pub condition_not_met: u64,
    /// Operations that failed (reported, not retried further).
    pub failed: u64,
    /// Requests that were retries.
    pub retries: u64,
    pub requests: u64,
    pub transport_errors: u64,
    /// Responses by status code, retries included.
    pub responses: BTreeMap<u16, u64>,
    /// Failed operations by their last status (`transport`/`invalid` when there was none).
    pub failed_by_status: BTreeMap<String, u64>,
    /// Operations read but not sent because the feed was cancelled.
    pub not_sent: u64,
    pub seconds: f64,
    /// Finished operations per second.
    pub ops_per_second: f64,
    pub peak_inflight: usize,
    pub failures: Vec<OpFailure>,
    /// Input lines that are not operations (not counted in `operations`, never sent).
    pub invalid_lines: u64,
    /// The first [`MAX_INVALID_LISTED`] of them, with their problem.
    pub invalid_input: Vec<InvalidInput>,
    /// Why reading the input stopped early, if it did.
    pub input_error: Option<String>,
    pub cancelled: bool,
    /// Set when the feed gave up: nothing succeeded within the deadline.
    pub gave_up: Option<String>,
}

impl FeedOutcome {
    /// Finished operations per second.
    pub fn ops_per_second(&self) -> f64 {
        let done = self.ok + self.not_found + self.condition_not_met + self.failed;
        if self.seconds > 0.0 {
            done as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// Counts `op` as failed and keeps it, for the report and a rejects file.
    pub(super) fn fail(
        &mut self,
        op: Operation,
        status: Option<u16>,
        message: String,
        attempts: u32,
    ) {
        self.failed += 1;
        let key = match status {
            Some(s) => s.to_string(),
            None if attempts == 0 => "invalid".into(),
            None => "transport".into(),
        };
        *self.failed_by_status.entry(key).or_default() += 1;
        self.failures.push(OpFailure {
            id: op.id.clone(),
            operation: op.kind,
            status,
            message,
            attempts,
            op,
        });
    }
}

impl crate::report::Report for FeedOutcome {
    fn tables(&self) -> Vec<crate::report::Table> {
        use crate::report::Table;
        let mut summary = Table::new(["metric", "value"]).titled("feed");
        let mut add = |k: &str, v: String| summary.push([k.to_string(), v]);
        add("operations", self.operations.to_string());
        if self.invalid_lines > 0 {
            add("invalid input lines", self.invalid_lines.to_string());
        }
        add("ok", self.ok.to_string());
        add("not found (404)", self.not_found.to_string());
        add(
            "condition not met (412)",
            self.condition_not_met.to_string(),
        );
        add("failed", self.failed.to_string());
        add("retries", self.retries.to_string());
        add("requests", self.requests.to_string());
        add("transport errors", self.transport_errors.to_string());
        if self.not_sent > 0 {
            add("not sent", self.not_sent.to_string());
        }
        add("seconds", format!("{:.3}", self.seconds));
        add("ops/s", format!("{:.1}", self.ops_per_second));
        add("peak in flight", self.peak_inflight.to_string());
        let mut tables = vec![summary];
        let mut responses = Table::new(["status", "responses"]).titled("responses");
        for (status, n) in &self.responses {
            responses.push([status.to_string(), n.to_string()]);
        }
        tables.push(responses);
        if !self.failures.is_empty() {
            let mut failed = Table::new(["id", "operation", "status", "message"]).titled("failed");
            for f in &self.failures {
                failed.push([
                    f.id.clone(),
                    f.operation.as_str().to_string(),
                    f.status.map_or("-".to_string(), |s| s.to_string()),
                    f.message.clone(),
                ]);
            }
            tables.push(failed);
        }
        if !self.invalid_input.is_empty() {
            let mut invalid =
                Table::new(["line", "problem"]).titled("invalid input lines (not sent)");
            for i in &self.invalid_input {
                invalid.push([i.line.to_string(), i.message.clone()]);
            }
            tables.push(invalid);
        }
        tables
    }
}
