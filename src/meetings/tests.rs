//! The reconciliation rules, without Redis.

use chrono::{DateTime, Duration, Utc};

use super::entry::EntryState;
use super::reconcile::{self, BookingState, Owed, PollState, UserState};
use crate::model::families::booking::{Booking, BookingStatus};
use crate::model::families::meeting_poll::{MeetingPoll, PollOption, PollStatus};
use crate::model::fields::Mailbox;

fn at(hour: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-10T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + Duration::hours(hour)
}

fn now() -> DateTime<Utc> {
    at(-48)
}

fn mailbox(email: &str) -> Mailbox {
    serde_json::from_value(serde_json::json!({ "email": email })).unwrap()
}

fn busy(v: i64, start: i64, end: i64) -> EntryState {
    EntryState {
        v: at(v).timestamp_millis(),
        start: at(start).timestamp_millis(),
        end: at(end).timestamp_millis(),
        busy: true,
        gone: false,
        declined: Vec::new(),
    }
}

fn booking(updated: i64) -> Booking {
    Booking {
        booking_id: "bk-1".into(),
        service_name: "Intro call".into(),
        host: mailbox("host@example.com"),
        guest: mailbox("guest@example.org"),
        start: at(10),
        end: at(11),
        time_zone: None,
        location: None,
        status: BookingStatus::Confirmed,
        notes: None,
        booking_page_url: None,
        calendar_event_id: Some("cal-1".into()),
        created_at: at(-72),
        updated_at: at(updated),
    }
}

fn live(poll: MeetingPoll) -> PollState {
    PollState::Live {
        source: poll.updated_at,
        poll,
    }
}

fn poll(updated: i64) -> MeetingPoll {
    let option = |id: &str, start: i64| PollOption {
        option_id: id.into(),
        start: at(start),
        end: at(start + 1),
        organizer_busy: false,
    };
    MeetingPoll {
        poll_id: "poll-1".into(),
        title: "Planning".into(),
        description: None,
        location: None,
        organizer: mailbox("Organizer@Example.com"),
        participants: vec![],
        options: vec![option("a", 9), option("b", 14)],
        votes: vec![],
        status: PollStatus::Open,
        deadline: None,
        chosen_option_id: None,
        created_at: at(-72),
        updated_at: at(updated),
    }
}

#[test]
fn a_moved_entry_reschedules_its_booking_at_the_new_time() {
    let change = reconcile::calendar_changed(
        &UserState::default(),
        "cal-1",
        busy(-40, 12, 13),
        Some(&booking(-45)),
        now(),
    );
    let Some(Owed::Booking(b)) = change.owed.first() else {
        panic!("{change:?}")
    };
    assert_eq!(b.status, BookingStatus::Rescheduled);
    assert_eq!((b.start, b.end), (at(12), at(13)));
    assert_eq!(b.updated_at, at(-40));
    assert_eq!(change.booking.as_ref(), Some(b));
}

#[test]
fn a_cancelled_or_deleted_entry_cancels_its_booking_once() {
    let mut cancelled = busy(-40, 10, 11);
    cancelled.gone = true;
    cancelled.busy = false;
    let deleted = EntryState::deleted(at(-40));
    for entry in [cancelled, deleted] {
        let change = reconcile::calendar_changed(
            &UserState::default(),
            "cal-1",
            entry,
            Some(&booking(-45)),
            now(),
        );
        let Some(Owed::Booking(b)) = change.owed.first() else {
            panic!("{change:?}")
        };
        assert_eq!(b.status, BookingStatus::Cancelled);
        // Already cancelled: nothing more.
        assert_eq!(
            reconcile::booking_after(b, "cal-1", &EntryState::deleted(at(-30))),
            None
        );
    }
}

#[test]
fn a_booking_newer_than_the_change_or_of_another_entry_is_left_alone() {
    let newer = reconcile::calendar_changed(
        &UserState::default(),
        "cal-1",
        busy(-40, 12, 13),
        Some(&booking(-39)),
        now(),
    );
    assert!(
        newer.owed.is_empty() && newer.booking.is_none(),
        "{newer:?}"
    );
    let mut elsewhere = booking(-45);
    elsewhere.calendar_event_id = Some("cal-2".into());
    let other = reconcile::calendar_changed(
        &UserState::default(),
        "cal-1",
        busy(-40, 12, 13),
        Some(&elsewhere),
        now(),
    );
    assert!(other.owed.is_empty(), "{other:?}");
    // Same time: an edit of the title does not touch the booking.
    let same = reconcile::calendar_changed(
        &UserState::default(),
        "cal-1",
        busy(-40, 10, 11),
        Some(&booking(-45)),
        now(),
    );
    assert!(same.owed.is_empty() && same.entry.is_some(), "{same:?}");
}

#[test]
fn an_older_change_of_a_known_entry_changes_nothing() {
    let mut state = UserState::default();
    state.entries.insert("cal-1".into(), busy(-30, 12, 13));
    let change = reconcile::calendar_changed(
        &state,
        "cal-1",
        busy(-40, 15, 16),
        Some(&booking(-45)),
        now(),
    );
    assert!(change.is_empty() && change.owed.is_empty(), "{change:?}");
}

#[test]
fn poll_options_overlapping_the_organizers_busy_time_are_flagged_and_unflagged() {
    let mut state = UserState::default();
    state.polls.insert("poll-1".into(), live(poll(-50)));
    let change = reconcile::calendar_changed(&state, "cal-9", busy(-40, 9, 10), None, now());
    let [Owed::Poll(flagged)] = change.owed.as_slice() else {
        panic!("{change:?}")
    };
    assert_eq!(
        flagged
            .options
            .iter()
            .map(|o| o.organizer_busy)
            .collect::<Vec<_>>(),
        [true, false]
    );
    assert_eq!(flagged.updated_at, at(-50) + Duration::seconds(1));
    // The same change again on the flagged poll: nothing owed.
    state.polls.insert(
        "poll-1".into(),
        PollState::Live {
            poll: flagged.clone(),
            source: at(-50),
        },
    );
    state.entries.insert("cal-9".into(), busy(-40, 9, 10));
    let again = reconcile::calendar_changed(&state, "cal-9", busy(-39, 9, 10), None, now());
    assert!(again.owed.is_empty(), "{again:?}");
    // Moved away: unflagged.
    let moved = reconcile::calendar_changed(&state, "cal-9", busy(-38, 20, 21), None, now());
    let [Owed::Poll(unflagged)] = moved.owed.as_slice() else {
        panic!("{moved:?}")
    };
    assert!(unflagged.options.iter().all(|o| !o.organizer_busy));
}

#[test]
fn declined_all_day_and_closed_do_not_flag() {
    let mut declined = busy(-40, 9, 10);
    declined.declined = vec!["organizer@example.com".into()];
    let mut all_day = busy(-40, 0, 24);
    all_day.busy = false;
    for entry in [declined, all_day] {
        let mut state = UserState::default();
        state.polls.insert("poll-1".into(), live(poll(-50)));
        let change = reconcile::calendar_changed(&state, "cal-9", entry, None, now());
        assert!(change.owed.is_empty(), "{change:?}");
    }
    let mut closed = poll(-50);
    closed.status = PollStatus::Closed;
    let mut state = UserState::default();
    state.entries.insert("cal-9".into(), busy(-40, 9, 10));
    let change = reconcile::poll_seen(&state, &closed, now());
    assert!(
        change.owed.is_empty() && change.polls == vec![("poll-1".to_string(), live(closed))],
        "{change:?}"
    );
}

#[test]
fn a_poll_arriving_is_flagged_against_the_calendar_known() {
    let mut state = UserState::default();
    state.entries.insert("cal-9".into(), busy(-40, 14, 15));
    let change = reconcile::poll_seen(&state, &poll(-30), now());
    let [Owed::Poll(flagged)] = change.owed.as_slice() else {
        panic!("{change:?}")
    };
    assert_eq!(
        flagged
            .options
            .iter()
            .map(|o| o.organizer_busy)
            .collect::<Vec<_>>(),
        [false, true]
    );
    assert_eq!(flagged.updated_at, at(-30) + Duration::seconds(1));
    // The same version of the tool again: nothing.
    state
        .polls
        .insert("poll-1".into(), change.polls[0].1.clone());
    assert!(reconcile::poll_seen(&state, &poll(-30), now()).is_empty());
}

#[test]
fn a_tool_edit_older_than_what_this_consumer_published_is_published_above_it() {
    // Flagged and unflagged twice: published versions stack up to -50 + 4 s.
    let mut published = poll(-50);
    published.updated_at = at(-50) + Duration::seconds(4);
    let mut state = UserState::default();
    state.polls.insert(
        "poll-1".into(),
        PollState::Live {
            poll: published,
            source: at(-50),
        },
    );
    // The tool edits the title two seconds after its last version.
    let mut edit = poll(-50);
    edit.updated_at = at(-50) + Duration::seconds(2);
    edit.title = "Planning, edited".into();
    let change = reconcile::poll_seen(&state, &edit, now());
    let [Owed::Poll(out)] = change.owed.as_slice() else {
        panic!("the edit must reach Vespa: {change:?}")
    };
    assert_eq!(out.title, "Planning, edited");
    assert_eq!(out.updated_at, at(-50) + Duration::seconds(5));
    let [(_, PollState::Live { source, .. })] = change.polls.as_slice() else {
        panic!("{change:?}")
    };
    assert_eq!(*source, edit.updated_at, "the tool's version is kept apart");
}

#[test]
fn deleted_bookings_and_polls_do_not_come_back() {
    // A deletion before the create: a tombstone all the same.
    let gone = reconcile::booking_deleted(None, "bk-1", at(-30));
    assert_eq!(gone.booking_removed, Some(("bk-1".to_string(), at(-30))));
    let tombstone = BookingState::Deleted { at: at(-30) };
    let state = UserState::default();
    assert!(reconcile::booking_seen(&state, Some(&tombstone), &booking(-40)).is_empty());
    assert!(
        reconcile::booking_seen(&state, Some(&tombstone), &booking(-20))
            .booking
            .is_some()
    );

    let mut state = UserState::default();
    let deleted = reconcile::poll_deleted(&state, "poll-1", at(-30));
    assert_eq!(
        deleted.polls,
        vec![("poll-1".to_string(), PollState::Deleted { at: at(-30) })]
    );
    state
        .polls
        .insert("poll-1".into(), PollState::Deleted { at: at(-30) });
    state.entries.insert("cal-9".into(), busy(-40, 14, 15));
    let late = reconcile::poll_seen(&state, &poll(-40), now());
    assert!(late.is_empty() && late.owed.is_empty(), "{late:?}");
    // Tombstones go after their time.
    let later = at(-30) + reconcile::TOMBSTONE + Duration::hours(1);
    let change = reconcile::calendar_changed(&state, "cal-8", busy(-20, 1, 2), None, later);
    assert_eq!(change.polls_removed, vec!["poll-1".to_string()]);
}

#[test]
fn a_booking_arriving_after_its_entry_moved_follows_it() {
    let mut state = UserState::default();
    state.entries.insert("cal-1".into(), busy(-40, 12, 13));
    let change = reconcile::booking_seen(&state, None, &booking(-45));
    let Some(Owed::Booking(b)) = change.owed.first() else {
        panic!("{change:?}")
    };
    assert_eq!((b.status, b.start), (BookingStatus::Rescheduled, at(12)));
    // Newer than the entry's change: the tool wins, nothing owed.
    assert!(
        reconcile::booking_seen(&state, None, &booking(-39))
            .owed
            .is_empty()
    );
}

#[test]
fn bookings_and_polls_keep_the_newest_and_drop_what_is_over() {
    let state = UserState::default();
    let known = BookingState::Live {
        booking: booking(-30),
    };
    assert!(reconcile::booking_seen(&state, Some(&known), &booking(-40)).is_empty());
    let older = BookingState::Live {
        booking: booking(-40),
    };
    assert!(
        reconcile::booking_seen(&state, Some(&older), &booking(-30))
            .booking
            .is_some()
    );
    let mut state = UserState::default();
    state.polls.insert("poll-1".into(), live(poll(-50)));
    let later = at(40);
    let change = reconcile::calendar_changed(&state, "cal-9", busy(-40, 9, 10), None, later);
    assert_eq!(change.polls_removed, vec!["poll-1".to_string()]);
    assert!(change.owed.is_empty());
}
