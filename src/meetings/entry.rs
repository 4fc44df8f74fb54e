//! What the `meetings` consumer keeps of one calendar entry: its time, whether it blocks the
//! owner's time, and its version, so an older change arriving late never replaces a newer one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::families::calendar::{AttendeeResponse, CalendarEntry, EntryStatus};

/// How long a deleted or cancelled entry is remembered, so a late older change of it does not
/// bring it back (a week: the longest a subscription keeps a message, plus its retries).
pub const TOMBSTONE_MS: i64 = 8 * 86_400_000;

/// How long an entry is remembered after it ended.
pub const AFTER_END_MS: i64 = 86_400_000;

/// One calendar entry as the consumer knows it (times in ms since the epoch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryState {
    /// The entry's `updated_at`: its version.
    pub v: i64,
    pub start: i64,
    pub end: i64,
    /// Blocks its owner's time: not cancelled, not deleted, not all-day.
    pub busy: bool,
    /// Cancelled or deleted.
    pub gone: bool,
    /// Attendees (lower-cased addresses) who declined it: it does not block their time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declined: Vec<String>,
}

impl EntryState {
    /// The state of an entry as a create or update carries it.
    pub fn of(entry: &CalendarEntry) -> EntryState {
        let gone = entry.status == EntryStatus::Cancelled;
        EntryState {
            v: entry.updated_at.timestamp_millis(),
            start: entry.start.timestamp_millis(),
            end: entry.end.timestamp_millis(),
            busy: !gone && !entry.all_day,
            gone,
            declined: entry
                .attendees
                .iter()
                .filter(|a| a.response == AttendeeResponse::Declined)
                .map(|a| a.email.to_ascii_lowercase())
                .collect(),
        }
    }

    /// The state of a deleted entry, as of `version`.
    pub fn deleted(version: DateTime<Utc>) -> EntryState {
        EntryState {
            v: version.timestamp_millis(),
            start: 0,
            end: 0,
            busy: false,
            gone: true,
            declined: Vec::new(),
        }
    }

    /// Whether it blocks `address`'s time anywhere in `[start, end)` (ms).
    pub fn blocks(&self, address: &str, start: i64, end: i64) -> bool {
        self.busy
            && self.start < end
            && start < self.end
            && !self
                .declined
                .iter()
                .any(|d| d.eq_ignore_ascii_case(address))
    }

    /// Until when (ms) it must be remembered, at `now_ms`.
    pub fn keep_until(&self, now_ms: i64) -> i64 {
        if self.gone {
            now_ms + TOMBSTONE_MS
        } else {
            self.end + AFTER_END_MS
        }
    }
}
