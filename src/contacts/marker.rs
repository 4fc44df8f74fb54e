//! What an event's marker and an erasure leave in Redis for counting to read: the marker of a
//! counted event (when Redis counted it, and the pushes it still owes) and the mark an erasure
//! leaves per contact id (suppressed, or rediscoverable from a time). Both times are Redis's, so
//! the two compare whatever the processes' clocks say.

use serde::{Deserialize, Serialize};

/// The pushes a count owes Vespa: upserts of the contacts whose change the push rule let through,
/// and removals of addresses that turned out to be the user's own. Written into the event's
/// marker in the same commit as the change, and cleared once published ([`ContactStore::settle`](super::store::ContactStore::settle)),
/// so a crash or a failed publish between the two leaves them for the redelivery to publish.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    /// Contact ids to publish as they are now.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upsert: Vec<String>,
    /// Contact ids to remove from Vespa.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
}

impl Outbox {
    pub fn is_empty(&self) -> bool {
        self.upsert.is_empty() && self.remove.is_empty()
    }

    pub(crate) fn merge(&mut self, other: &Outbox) {
        for (mine, theirs) in [
            (&mut self.upsert, &other.upsert),
            (&mut self.remove, &other.remove),
        ] {
            for id in theirs {
                if !mine.contains(id) {
                    mine.push(id.clone());
                }
            }
        }
    }

    pub(crate) fn without(&self, done: &Outbox) -> Outbox {
        Outbox {
            upsert: (self.upsert.iter())
                .filter(|id| !done.upsert.contains(id))
                .cloned()
                .collect(),
            remove: (self.remove.iter())
                .filter(|id| !done.remove.contains(id))
                .cloned()
                .collect(),
        }
    }
}

/// An event's marker: when it was counted (epoch ms by Redis's clock, which erasures use too)
/// and what it still owes. Stored as `<ms>|<outbox JSON>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Marker {
    pub(crate) at: i64,
    pub(crate) outbox: Outbox,
}

impl Marker {
    /// A marker's text; one that is not `<ms>|<JSON>` (written before markers carried anything)
    /// was counted long ago and owes nothing.
    pub(crate) fn parse(text: &str) -> Marker {
        let Some((at, outbox)) = text.split_once('|') else {
            return Marker::default();
        };
        Marker {
            at: at.parse().unwrap_or(0),
            outbox: serde_json::from_str(outbox).unwrap_or_default(),
        }
    }

    pub(crate) fn outbox_text(outbox: &Outbox) -> String {
        serde_json::to_string(outbox).expect("an outbox serialises")
    }

    pub(crate) fn text(&self) -> String {
        format!("{}|{}", self.at, Marker::outbox_text(&self.outbox))
    }
}

/// Redis's clock in epoch ms, in Lua.
pub(crate) const LUA_NOW_MS: &str = "local now_ms = (function() local t = redis.call('TIME'); return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end)()";

/// What an erasure left for one contact id in `office:{user}:contacts:forgotten`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgotten {
    /// Never to be counted again.
    Suppressed,
    /// Forgotten at this time (epoch ms) with rediscovery allowed: events counted before then
    /// count it again when they come back.
    Rediscoverable(i64),
}

impl Forgotten {
    /// `suppressed` (checked by the commit script, written by `contacts forget`), or
    /// `rediscoverable:<ms>`.
    pub fn parse(text: &str) -> Forgotten {
        match text.strip_prefix("rediscoverable:").map(str::parse) {
            Some(Ok(ms)) => Forgotten::Rediscoverable(ms),
            _ => Forgotten::Suppressed,
        }
    }
}
