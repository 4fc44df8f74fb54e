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
//!   whose flags change is published again, one second newer than the version it came from
//!   (Vespa keeps `updated_at` in seconds), so the loader's "newer wins" takes it and the next
//!   edit from the poll tool still wins over it.
//! - Bookings and polls are kept as they arrive, newer wins; a poll is re-checked on arrival.

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

/// The part of a user's state a change is decided on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserState {
    /// Known calendar entries by id.
    pub entries: BTreeMap<String, EntryState>,
    /// Known polls by id (open and closed, until they are over).
    pub polls: BTreeMap<String, MeetingPoll>,
}

/// What a change writes and owes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// A calendar entry's new state.
    pub entry: Option<(String, EntryState)>,
    /// A booking's new state (stored, and linked to its calendar entry).
    pub booking: Option<Booking>,
    /// A booking to forget (deleted).
    pub booking_removed: Option<String>,
    /// Polls' new states.
    pub polls: Vec<MeetingPoll>,
    /// Polls to forget (deleted or over).
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
    for poll in state.polls.values() {
        if poll_over(poll, now) {
            change.polls_removed.push(poll.poll_id.clone());
        } else if let Some(flagged) = flagged(poll, &entries) {
            change.owed.push(Owed::Poll(flagged.clone()));
            change.polls.push(flagged);
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

/// A booking arrived; `known` is the one stored.
pub fn booking_seen(known: Option<&Booking>, incoming: &Booking) -> Change {
    if known.is_some_and(|k| k.updated_at >= incoming.updated_at) {
        return Change::default();
    }
    Change {
        booking: Some(incoming.clone()),
        ..Change::default()
    }
}

/// A booking was deleted as of `version`; `known` is the one stored.
pub fn booking_deleted(known: Option<&Booking>, id: &str, version: DateTime<Utc>) -> Change {
    match known {
        Some(k) if k.updated_at <= version => Change {
            booking_removed: Some(id.to_string()),
            ..Change::default()
        },
        _ => Change::default(),
    }
}

/// A poll arrived: stored if newer, and flagged against the user's calendar.
pub fn poll_seen(state: &UserState, incoming: &MeetingPoll, now: DateTime<Utc>) -> Change {
    if state
        .polls
        .get(&incoming.poll_id)
        .is_some_and(|k| k.updated_at >= incoming.updated_at)
    {
        return Change::default();
    }
    let mut change = Change::default();
    if poll_over(incoming, now) {
        change.polls_removed.push(incoming.poll_id.clone());
    } else if let Some(flagged) = flagged(incoming, &state.entries) {
        change.owed.push(Owed::Poll(flagged.clone()));
        change.polls.push(flagged);
    } else {
        change.polls.push(incoming.clone());
    }
    change
}

/// A poll was deleted as of `version`.
pub fn poll_deleted(state: &UserState, id: &str, version: DateTime<Utc>) -> Change {
    match state.polls.get(id) {
        Some(k) if k.updated_at <= version => Change {
            polls_removed: vec![id.to_string()],
            ..Change::default()
        },
        _ => Change::default(),
    }
}

/// The poll with its options' `organizer_busy` set from `entries`, one second newer; `None`
/// when it is not open or its flags are already right.
pub fn flagged(poll: &MeetingPoll, entries: &BTreeMap<String, EntryState>) -> Option<MeetingPoll> {
    if poll.status != PollStatus::Open {
        return None;
    }
    let organizer = poll.organizer.email.as_str();
    let mut next = poll.clone();
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
    changed.then(|| {
        next.updated_at = poll.updated_at + Duration::seconds(1);
        next
    })
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
