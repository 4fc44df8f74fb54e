//! What one calendar change, booking or meeting poll changes in a user's meetings state, and
//! what it owes to publish. Pure: the store reads the state, these functions decide, the store
//! writes the decision atomically.
//!
//! Rules:
//! - A calendar change applies only if newer than the entry known (`updated_at`).
//! - The booking linked to the entry (`calendar_event_id`) follows it, if the change is newer
//!   than the booking: cancelled or deleted → `cancelled`; moved → `rescheduled` at the entry's
//!   new time. A booking already cancelled stays so. The booking tool stays the source of truth
//!   for what it changes itself: a booking newer than the entry is left alone.
//! - Every open poll of the user is checked against the user's busy entries: an option
//!   overlapping an entry that blocks the organizer's time is flagged `organizer_busy`. A poll
//!   whose flags change is published again one second newer than the last version published
//!   (Vespa keeps `updated_at` in seconds, and the loader's "newer wins" must take it).
//! - An edit from the poll tool is compared with the tool's own last version (kept apart from
//!   the versions this consumer published), so it is never mistaken for an old one; when this
//!   consumer has already published a version at least as new, the edit is published again
//!   above it, flags set, so Vespa does not drop it.
//! - A booking arriving after its entry moved or went is moved at once (the entry is known).
//! - Deleted bookings and polls leave a tombstone, so a late older copy does not bring them
//!   back; this consumer's own published events are not applied again (see the consumer).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::entry::EntryState;
use crate::model::families::booking::{Booking, BookingStatus};
use crate::model::families::meeting_poll::{MeetingPoll, PollStatus};

/// Something a change owes to publish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owed {
    Booking(Booking),
    Poll(MeetingPoll),
}

/// How long a deleted booking or poll is remembered.
pub const TOMBSTONE: Duration = Duration::days(8);

/// A poll as this consumer knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // one value per decision, never held in bulk
pub enum PollState {
    /// `poll`: as last published (by the tool or by this consumer); `source`: the poll tool's
    /// last version.
    Live {
        poll: MeetingPoll,
        source: DateTime<Utc>,
    },
    Deleted {
        at: DateTime<Utc>,
    },
}

/// A booking as this consumer knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // one value per decision, never held in bulk
pub enum BookingState {
    Live { booking: Booking },
    Deleted { at: DateTime<Utc> },
}

/// The part of a user's state a change is decided on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserState {
    /// Known calendar entries by id.
    pub entries: BTreeMap<String, EntryState>,
    /// Known polls by id (open and closed, until they are over; deleted ones for a while).
    pub polls: BTreeMap<String, PollState>,
}

/// What a change writes and owes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// A calendar entry's new state.
    pub entry: Option<(String, EntryState)>,
    /// A booking's new state (stored, and linked to its calendar entry).
    pub booking: Option<Booking>,
    /// A booking deleted (id, as of): its tombstone.
    pub booking_removed: Option<(String, DateTime<Utc>)>,
    /// Polls' new states, by id.
    pub polls: Vec<(String, PollState)>,
    /// Polls to forget (over, or tombstones past their time).
    pub polls_removed: Vec<String>,
    /// What to publish, in order.
    pub owed: Vec<Owed>,
}

impl Change {
    /// Nothing to write and nothing owed (a stale or repeated change).
    pub fn is_empty(&self) -> bool {
        self.entry.is_none()
            && self.booking.is_none()
            && self.booking_removed.is_none()
            && self.polls.is_empty()
            && self.polls_removed.is_empty()
    }
}

/// A calendar entry `id` changed to `new`; `linked` is the booking its link names, if any.
pub fn calendar_changed(
    state: &UserState,
    id: &str,
    new: EntryState,
    linked: Option<&Booking>,
    now: DateTime<Utc>,
) -> Change {
    if state.entries.get(id).is_some_and(|known| known.v >= new.v) {
        return Change::default();
    }
    let mut change = Change::default();
    if let Some(booking) = linked.and_then(|b| booking_after(b, id, &new)) {
        change.owed.push(Owed::Booking(booking.clone()));
        change.booking = Some(booking);
    }
    let mut entries = state.entries.clone();
    entries.insert(id.to_string(), new.clone());
    change.entry = Some((id.to_string(), new));
    for (id, known) in &state.polls {
        match known {
            PollState::Deleted { at } => {
                if *at + TOMBSTONE < now {
                    change.polls_removed.push(id.clone());
                }
            }
            PollState::Live { poll, .. } if poll_over(poll, now) => {
                change.polls_removed.push(id.clone());
            }
            PollState::Live { poll, source } => {
                let (mut next, changed) = with_flags(poll, &entries);
                if changed {
                    next.updated_at = poll.updated_at + Duration::seconds(1);
                    change.owed.push(Owed::Poll(next.clone()));
                    change.polls.push((
                        id.clone(),
                        PollState::Live {
                            poll: next,
                            source: *source,
                        },
                    ));
                }
            }
        }
    }
    change
}

/// The booking after its entry `id` changed to `entry`, or `None` when it does not change.
pub fn booking_after(booking: &Booking, id: &str, entry: &EntryState) -> Option<Booking> {
    if booking.calendar_event_id.as_deref() != Some(id)
        || booking.updated_at.timestamp_millis() >= entry.v
        || matches!(
            booking.status,
            BookingStatus::Cancelled | BookingStatus::NoShow
        )
    {
        return None;
    }
    let at = DateTime::<Utc>::from_timestamp_millis(entry.v)?;
    let mut next = booking.clone();
    if entry.gone {
        next.status = BookingStatus::Cancelled;
    } else {
        let start = DateTime::<Utc>::from_timestamp_millis(entry.start)?;
        let end = DateTime::<Utc>::from_timestamp_millis(entry.end)?;
        if start == booking.start && end == booking.end {
            return None;
        }
        next.start = start;
        next.end = end;
        next.status = BookingStatus::Rescheduled;
    }
    next.updated_at = at;
    Some(next)
}

/// A booking arrived from the booking tool; `known` is the one stored. If its calendar entry
/// is known to have moved or gone since, the booking follows at once.
pub fn booking_seen(state: &UserState, known: Option<&BookingState>, incoming: &Booking) -> Change {
    let stale = match known {
        Some(BookingState::Live { booking }) => booking.updated_at >= incoming.updated_at,
        Some(BookingState::Deleted { at }) => *at >= incoming.updated_at,
        None => false,
    };
    if stale {
        return Change::default();
    }
    let moved = incoming.calendar_event_id.as_deref().and_then(|entry| {
        state
            .entries
            .get(entry)
            .and_then(|e| booking_after(incoming, entry, e))
    });
    match moved {
        Some(next) => Change {
            owed: vec![Owed::Booking(next.clone())],
            booking: Some(next),
            ..Change::default()
        },
        None => Change {
            booking: Some(incoming.clone()),
            ..Change::default()
        },
    }
}

/// A booking was deleted as of `version`; `known` is the one stored. Leaves a tombstone, even
/// for a booking not seen yet (its create may come late).
pub fn booking_deleted(known: Option<&BookingState>, id: &str, version: DateTime<Utc>) -> Change {
    let newer = match known {
        Some(BookingState::Live { booking }) => booking.updated_at > version,
        Some(BookingState::Deleted { at }) => *at >= version,
        None => false,
    };
    if newer {
        return Change::default();
    }
    Change {
        booking_removed: Some((id.to_string(), version)),
        ..Change::default()
    }
}

/// A poll arrived from the poll tool: kept if newer than the tool's last version, flagged
/// against the user's calendar, and published again when its flags change or when this
/// consumer already published a version at least as new (Vespa would drop the edit).
pub fn poll_seen(state: &UserState, incoming: &MeetingPoll, now: DateTime<Utc>) -> Change {
    let known = state.polls.get(&incoming.poll_id);
    let (stale, last_published) = match known {
        Some(PollState::Live { poll, source }) => {
            (*source >= incoming.updated_at, Some(poll.updated_at))
        }
        Some(PollState::Deleted { at }) => (*at >= incoming.updated_at, None),
        None => (false, None),
    };
    if stale {
        return Change::default();
    }
    let mut change = Change::default();
    if poll_over(incoming, now) {
        change.polls_removed.push(incoming.poll_id.clone());
        return change;
    }
    let (mut next, flags_changed) = with_flags(incoming, &state.entries);
    let shadowed = last_published.is_some_and(|at| at >= incoming.updated_at);
    if flags_changed || shadowed {
        let base = last_published.map_or(incoming.updated_at, |at| at.max(incoming.updated_at));
        next.updated_at = base + Duration::seconds(1);
        change.owed.push(Owed::Poll(next.clone()));
    }
    change.polls.push((
        incoming.poll_id.clone(),
        PollState::Live {
            poll: next,
            source: incoming.updated_at,
        },
    ));
    change
}

/// A poll was deleted as of `version`: its tombstone, unless the tool has a newer version.
pub fn poll_deleted(state: &UserState, id: &str, version: DateTime<Utc>) -> Change {
    let newer = match state.polls.get(id) {
        Some(PollState::Live { source, .. }) => *source > version,
        Some(PollState::Deleted { at }) => *at >= version,
        None => false,
    };
    if newer {
        return Change::default();
    }
    Change {
        polls: vec![(id.to_string(), PollState::Deleted { at: version })],
        ..Change::default()
    }
}

/// The poll with its options' `organizer_busy` set from `entries` (an open poll only), and
/// whether any flag changed. The version is left as it is.
pub fn with_flags(
    poll: &MeetingPoll,
    entries: &BTreeMap<String, EntryState>,
) -> (MeetingPoll, bool) {
    let mut next = poll.clone();
    if poll.status != PollStatus::Open {
        return (next, false);
    }
    let organizer = poll.organizer.email.as_str();
    let mut changed = false;
    for option in &mut next.options {
        let (start, end) = (
            option.start.timestamp_millis(),
            option.end.timestamp_millis(),
        );
        let busy = entries.values().any(|e| e.blocks(organizer, start, end));
        if busy != option.organizer_busy {
            option.organizer_busy = busy;
            changed = true;
        }
    }
    (next, changed)
}

/// A poll nobody can still answer or schedule: its deadline and every option are a day past.
pub fn poll_over(poll: &MeetingPoll, now: DateTime<Utc>) -> bool {
    let last = poll
        .options
        .iter()
        .map(|o| o.end)
        .chain(poll.deadline)
        .max();
    last.is_some_and(|last| last + Duration::days(1) < now)
}
