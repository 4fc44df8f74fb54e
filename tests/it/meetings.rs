//! `officectl consume meetings` end to end against pstest, Redis and the Vespa double: calendar
//! changes move the bookings linked to them (moved → rescheduled, cancelled or deleted →
//! cancelled) and flag, then unflag, a poll's options that the organizer's calendar now blocks;
//! its own published events come back on its booking and poll subscriptions and change nothing;
//! the same changes again publish nothing; the loader indexes what it published.

use crate::consume::{
    Loader, doc_count, get_text, lay_out, metric_sum, publish_events_in, run_loader_types, set_in,
    write_events,
};
use crate::support::{self, http, redis_db, unique};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const MEETINGS_DB: u8 = 56;

/// The poll's `updated_at` (Vespa keeps seconds) after it was flagged, then unflagged: each
/// one second newer.
const UNFLAGGED_AT: i64 = 1_796_112_002;

fn booking(user: &str, id: &str, entry: &str, start: &str, end: &str) -> String {
    json!({
        "event_type": "BookingEvent", "event_id": format!("evt-{id}"), "schema_version": 1,
        "user_id": user, "sync_type": "real_time", "operation": "create",
        "correlation_id": format!("corr-{id}"), "occurred_at": "2026-12-01T08:00:00Z",
        "booking": {"booking_id": id, "service_name": "Intro call",
            "host": {"email": "host@corp.com"}, "guest": {"email": "guest@example.org"},
            "start": start, "end": end, "status": "confirmed", "calendar_event_id": entry,
            "created_at": "2026-12-01T08:00:00Z", "updated_at": "2026-12-01T08:00:00Z"},
    })
    .to_string()
}

fn poll(user: &str) -> String {
    json!({
        "event_type": "MeetingPollEvent", "event_id": "evt-poll-1", "schema_version": 1,
        "user_id": user, "sync_type": "real_time", "operation": "create",
        "correlation_id": "corr-poll-1", "occurred_at": "2026-12-01T08:00:00Z",
        "poll": {"poll_id": "poll-1", "title": "Planning", "organizer": {"email": "host@corp.com"},
            "options": [
                {"option_id": "a", "start": "2030-01-10T14:00:00Z", "end": "2030-01-10T15:00:00Z"},
                {"option_id": "b", "start": "2030-01-10T16:00:00Z", "end": "2030-01-10T17:00:00Z"}],
            "status": "open",
            "created_at": "2026-12-01T08:00:00Z", "updated_at": "2026-12-01T08:00:00Z"},
    })
    .to_string()
}

fn entry(user: &str, id: &str, start: &str, end: &str, status: &str, updated: &str) -> String {
    json!({
        "event_type": "CalendarEvent", "event_id": format!("evt-{id}-{updated}"),
        "schema_version": 1, "user_id": user, "provider": "google",
        "sync_type": "real_time", "operation": "update",
        "correlation_id": format!("corr-{id}"), "occurred_at": updated,
        "entry": {"provider_event_id": id, "calendar_id": "primary", "title": "Meeting",
            "start": start, "end": end, "organizer": {"email": "host@corp.com"},
            "status": status, "created_at": "2026-12-01T08:00:00Z", "updated_at": updated},
    })
    .to_string()
}

fn deleted(user: &str, id: &str, updated: &str) -> String {
    json!({
        "event_type": "CalendarEvent", "event_id": format!("evt-del-{id}"), "schema_version": 1,
        "user_id": user, "provider": "google", "sync_type": "real_time", "operation": "delete",
        "correlation_id": format!("corr-{id}"), "occurred_at": updated,
        "entry": {"provider_event_id": id, "updated_at": updated},
    })
    .to_string()
}

/// The Vespa document `id` of `vespa_type` for `user`, its fields.
fn doc(vespa_type: &str, user: &str, id: &str) -> Value {
    let (status, body) = http(
        &support::vespa_endpoint(),
        "GET",
        &format!("/document/v1/office/{vespa_type}/group/{user}/{id}?cluster=office"),
        None,
    );
    if status == 404 {
        return Value::Null;
    }
    assert_eq!(status, 200, "{body}");
    body["fields"].clone()
}

#[test]
fn calendar_changes_move_linked_bookings_and_flag_polls_once() {
    let project = unique("meetings");
    let user = unique("meetings-user");
    lay_out(&project, MEETINGS_DB);
    for data_type in ["calendar", "booking", "meeting_poll"] {
        set_in(
            MEETINGS_DB,
            &format!("office:flags:publish_mode:{data_type}"),
            "new",
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, lines: Vec<String>| {
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).unwrap();
        write_events(&sub, lines.into_iter())
    };
    let links = file(
        "links",
        vec![
            booking(
                &user,
                "bk-move",
                "cal-move",
                "2030-01-10T09:00:00Z",
                "2030-01-10T09:30:00Z",
            ),
            booking(
                &user,
                "bk-cancel",
                "cal-cancel",
                "2030-01-11T09:00:00Z",
                "2030-01-11T09:30:00Z",
            ),
            booking(
                &user,
                "bk-delete",
                "cal-delete",
                "2030-01-12T09:00:00Z",
                "2030-01-12T09:30:00Z",
            ),
            poll(&user),
        ],
    );
    let changes = file(
        "changes",
        vec![
            entry(
                &user,
                "cal-move",
                "2030-01-10T11:00:00Z",
                "2030-01-10T11:30:00Z",
                "confirmed",
                "2026-12-02T10:00:00Z",
            ),
            entry(
                &user,
                "cal-cancel",
                "2030-01-11T09:00:00Z",
                "2030-01-11T09:30:00Z",
                "cancelled",
                "2026-12-02T10:00:00Z",
            ),
            deleted(&user, "cal-delete", "2026-12-02T10:00:00Z"),
            // Not linked to a booking; blocks the poll's option `a`.
            entry(
                &user,
                "cal-busy",
                "2030-01-10T14:30:00Z",
                "2030-01-10T15:30:00Z",
                "confirmed",
                "2026-12-02T10:00:00Z",
            ),
        ],
    );
    // The busy entry moves away: option `a` is free again.
    let moved_away = file(
        "moved-away",
        vec![entry(
            &user,
            "cal-busy",
            "2030-01-10T18:00:00Z",
            "2030-01-10T19:00:00Z",
            "confirmed",
            "2026-12-02T11:00:00Z",
        )],
    );

    // Each step: publish a file (if any), then wait until a subscription has settled so many.
    let run = |steps: &[(Option<&std::path::Path>, &str, f64)]| {
        let mut meetings = Loader::start_consumer(
            MEETINGS_DB,
            &project,
            "meetings",
            "calendar,booking,meeting_poll",
            &["--log-format", "json", "--listen", "127.0.0.1:0"],
        );
        let addr = meetings.listen_address();
        for (path, subscription, settled) in steps {
            if let Some(path) = path {
                publish_events_in(MEETINGS_DB, &project, path);
            }
            let started = Instant::now();
            loop {
                let (_, text) = get_text(&addr, "/metrics");
                let label = format!("subscription=\"{subscription}\"");
                let done = metric_sum(&text, "officectl_consumer_messages_total", &[&label]);
                if done >= *settled {
                    break;
                }
                assert!(
                    started.elapsed() < Duration::from_secs(60),
                    "{subscription}: {done} of {settled} settled\n{text}"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        meetings.stop()
    };
    // Its own 3 BookingEvents and 2 MeetingPollEvents come back on its subscriptions: waited
    // for, and applied as nothing (duplicates).
    let (code, report, stderr) = run(&[
        (Some(&links), "meetings-bookings", 3.0),
        (None, "meetings-meeting-polls", 1.0),
        (Some(&changes), "meetings-calendars", 4.0),
        (Some(&moved_away), "meetings-calendars", 5.0),
        (None, "meetings-bookings", 6.0),
        (None, "meetings-meeting-polls", 3.0),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["calendar_changes"], 5, "{report}\n{stderr}");
    assert_eq!(report["bookings_published"], 3, "{report}\n{stderr}");
    assert_eq!(
        report["polls_published"], 2,
        "flagged, then unflagged: {report}\n{stderr}"
    );
    assert_eq!(report["poison"], 0, "{report}");
    assert_eq!(report["retried"], 0, "{report}\n{stderr}");
    assert_eq!(
        report["duplicates"], 5,
        "its own events, back: {report}\n{stderr}"
    );
    assert_eq!(report["unconfirmed_acks"], 0, "{report}\n{stderr}");
    assert_eq!(
        report["confirmed_acks"], 5,
        "every calendar message acked with the exactly-once confirmation, the others not: {report}"
    );

    // The same changes again (new message ids, as a producer's retry makes): applied before,
    // nothing published.
    let (code, report, stderr) = run(&[
        (Some(&changes), "meetings-calendars", 4.0),
        (Some(&moved_away), "meetings-calendars", 5.0),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["duplicates"], 5, "{report}\n{stderr}");
    assert_eq!(report["bookings_published"], 0, "{report}");
    assert_eq!(report["polls_published"], 0, "{report}");

    // The loader indexes the bookings and the poll as they now stand.
    let (code, report, stderr) =
        run_loader_types(MEETINGS_DB, &project, "booking,meeting_poll", |_| {
            doc_count("booking", &user) >= 3
                && doc("booking", &user, "bk-delete")["status"] == "cancelled"
                && doc("meeting_poll", &user, "poll-1")["updated_at"] == UNFLAGGED_AT
        });
    assert_eq!(code, Some(0), "{report}\n{stderr}");
    let moved = doc("booking", &user, "bk-move");
    assert_eq!(moved["status"], "rescheduled", "{moved}");
    assert_eq!(moved["start_at"], 1_894_273_200_i64, "11:00: {moved}");
    assert_eq!(doc("booking", &user, "bk-cancel")["status"], "cancelled");
    assert_eq!(doc("booking", &user, "bk-delete")["status"], "cancelled");
    let poll = doc("meeting_poll", &user, "poll-1");
    assert_eq!(poll["busy_option_count"], 0, "unflagged at the end: {poll}");
    assert_eq!(poll["option_count"], 2, "{poll}");
}

/// Replicas racing on one user: 12 calendar changes applied at once through separate
/// connections all land (a change decided on a state another one moved is decided again), an
/// open poll ends flagged for exactly the entries over its option, and an entry that ended long
/// ago is pruned by the commit that writes it.
#[test]
fn concurrent_changes_of_one_user_all_land_and_old_entries_are_pruned() {
    use chrono::{DateTime, Duration as Span, Utc};
    use officectl::meetings::entry::EntryState;
    use officectl::meetings::reconcile::Owed;
    use officectl::meetings::store::{Applied, Incoming, MeetingStore};
    use officectl::model::families::meeting_poll::MeetingPoll;

    let user = unique("meetings-race");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let connect = || async {
            let client = redis::Client::open(redis_db(MEETINGS_DB)).unwrap();
            client.get_multiplexed_async_connection().await.unwrap()
        };
        let now: DateTime<Utc> = DateTime::from(std::time::SystemTime::now());
        let at = move |hours: i64| now + Span::hours(hours);
        let poll: MeetingPoll = serde_json::from_value(json!({
            "poll_id": "race-poll", "title": "Race", "organizer": {"email": "host@corp.com"},
            "options": [{"option_id": "a", "start": at(48), "end": at(49)}],
            "status": "open", "created_at": at(-1), "updated_at": at(-1),
        }))
        .unwrap();
        let store = MeetingStore::new(connect().await);
        store
            .apply(&user, "poll", &Incoming::Poll(&poll), now)
            .await
            .unwrap();
        let entry = move |k: i64| EntryState {
            v: at(-1).timestamp_millis() + k,
            // Every third entry overlaps the poll's option; the rest are a week later.
            start: if k % 3 == 0 { at(48) } else { at(200) }.timestamp_millis(),
            end: if k % 3 == 0 { at(49) } else { at(201) }.timestamp_millis(),
            busy: true,
            gone: false,
            declined: Vec::new(),
        };
        let mut tasks = Vec::new();
        for k in 0..12 {
            let store = MeetingStore::new(connect().await);
            let user = user.clone();
            tasks.push(tokio::spawn(async move {
                let id = format!("race-{k}");
                let incoming = Incoming::Entry {
                    id: &id,
                    state: entry(k),
                };
                store
                    .apply(&user, &format!("race-{k}"), &incoming, now)
                    .await
                    .unwrap()
            }));
        }
        let mut published_polls = 0;
        for task in tasks {
            match task.await.unwrap() {
                Applied::Now(owed) => {
                    published_polls += owed.iter().filter(|o| matches!(o, Owed::Poll(_))).count()
                }
                Applied::Before(_) => panic!("applied twice"),
            }
        }
        // The first overlapping entry flags the poll; nothing after changes its flags.
        assert_eq!(published_polls, 1);
        // An entry that ended two days ago is written and pruned at once.
        let old = EntryState {
            v: at(-1).timestamp_millis() + 100,
            start: at(-50).timestamp_millis(),
            end: at(-49).timestamp_millis(),
            busy: true,
            gone: false,
            declined: Vec::new(),
        };
        store
            .apply(
                &user,
                "old",
                &Incoming::Entry {
                    id: "race-old",
                    state: old,
                },
                now,
            )
            .await
            .unwrap();
        let mut conn = connect().await;
        let known: Vec<String> = redis::cmd("HKEYS")
            .arg(officectl::keys::meetings_calendar(&user))
            .query_async(&mut conn)
            .await
            .unwrap();
        assert_eq!(
            known.len(),
            12,
            "every racing entry landed, the old one pruned: {known:?}"
        );
        assert!(!known.contains(&"race-old".to_string()));
    });
}
