//! Extraction per event type, the noise filters, folding into records (order independence and
//! the worked example of `docs/contacts.md`), and the push rule.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use super::config::ContactsConfig;
use super::interaction::{Channel, Direction, Identity, Skipped, extract};
use super::record::{ContactRecord, Pushed};
use super::significance::{Hold, Push, decide};
use crate::model::Event;
use crate::model::validate::validate_value;

fn event(value: Value) -> Event {
    validate_value(value).expect("a valid event").event
}

fn header(event_type: &str, version: u32, operation: &str) -> Value {
    json!({
        "event_type": event_type, "event_id": "evt-1", "schema_version": version,
        "user_id": "user-1", "provider": "google", "sync_type": "incremental_sync",
        "operation": operation, "correlation_id": "c-1", "occurred_at": "2026-06-01T12:00:00Z",
    })
}

fn with(mut base: Value, key: &str, item: Value) -> Value {
    base[key] = item;
    base
}

fn email(from: &str, to: &[&str], cc: &[&str], labels: &[&str]) -> Value {
    let mailboxes = |list: &[&str]| -> Vec<Value> {
        list.iter()
            .map(|a| match a.split_once(" <") {
                Some((name, rest)) => json!({"email": rest.trim_end_matches('>'), "name": name}),
                None => json!({"email": a}),
            })
            .collect()
    };
    let from = mailboxes(&[from]).remove(0);
    json!({
        "provider_message_id": "m-1", "thread_id": "t-1", "subject": "hello",
        "from": from, "to": mailboxes(to), "cc": mailboxes(cc), "labels": labels,
        "body": {"mime_type": "text/plain", "content": "hello"},
        "received_at": "2026-06-01T11:00:00Z", "updated_at": "2026-06-01T11:00:00Z",
    })
}

fn email_event(emails: Vec<Value>) -> Event {
    event(with(
        header("EmailEvent", 2, "create"),
        "emails",
        json!(emails),
    ))
}

fn me() -> Identity {
    Identity::of(
        &ContactsConfig::default(),
        "user-1",
        None,
        ["me@corp.com".to_string()],
    )
}

/// (address, channel, direction, group size, factor) of each interaction, sorted.
fn summary(event: &Event, identity: &Identity) -> Vec<(String, Channel, Direction, usize, f64)> {
    let mut out: Vec<_> = extract(event, identity, &ContactsConfig::default())
        .interactions
        .into_iter()
        .map(|i| (i.address, i.channel, i.direction, i.group_size, i.factor))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn inbound_mail_counts_the_sender_and_the_fellow_recipients() {
    let e = email_event(vec![email(
        "Dana Smith <Dana@Corp.com>",
        &["me@corp.com", "lee@corp.com"],
        &["noreply@corp.com"],
        &["INBOX"],
    )]);
    let got = summary(&e, &me());
    assert_eq!(
        got,
        vec![
            (
                "dana@corp.com".into(),
                Channel::Email,
                Direction::Inbound,
                3,
                1.0
            ),
            (
                "lee@corp.com".into(),
                Channel::Email,
                Direction::Together,
                3,
                1.0
            ),
        ]
    );
    let extracted = extract(&e, &me(), &ContactsConfig::default());
    assert_eq!(extracted.skipped, vec![Skipped::Automated]);
    assert_eq!(
        extracted.interactions[0].name.as_deref(),
        Some("Dana Smith")
    );
}

#[test]
fn sent_mail_counts_every_recipient_and_teaches_the_users_address() {
    // Label SENT marks it outbound even before the address is known to be the user's.
    let nobody = Identity::default();
    let e = email_event(vec![email(
        "me.two+work@gmail.com",
        &["dana@corp.com"],
        &["lee@corp.com", "Me.Two@googlemail.com"],
        &["SENT"],
    )]);
    let extracted = extract(&e, &nobody, &ContactsConfig::default());
    assert_eq!(
        extracted.learned_own.iter().collect::<Vec<_>>(),
        vec!["metwo@gmail.com"]
    );
    let got = summary(&e, &nobody);
    assert_eq!(
        got,
        vec![
            (
                "dana@corp.com".into(),
                Channel::Email,
                Direction::Outbound,
                2,
                1.0
            ),
            (
                "lee@corp.com".into(),
                Channel::Email,
                Direction::Outbound,
                2,
                1.0
            ),
        ]
    );
}

#[test]
fn bulk_mail_large_groups_and_deletions_yield_nothing() {
    let config = ContactsConfig::default();
    let bulk = email_event(vec![email(
        "shop@corp.com",
        &["me@corp.com"],
        &[],
        &["CATEGORY_PROMOTIONS"],
    )]);
    assert_eq!(extract(&bulk, &me(), &config).skipped, vec![Skipped::Bulk]);

    let many: Vec<String> = (0..101).map(|i| format!("p{i}@corp.com")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let crowd = email_event(vec![email("me@corp.com", &many, &[], &["SENT"])]);
    let extracted = extract(&crowd, &me(), &config);
    assert!(extracted.interactions.is_empty());
    assert_eq!(extracted.skipped, vec![Skipped::LargeGroup]);

    let deletion = event(with(
        header("EmailEvent", 2, "delete"),
        "emails",
        json!([{"provider_message_id": "m-1", "thread_id": "t-1"}]),
    ));
    let extracted = extract(&deletion, &me(), &config);
    assert!(extracted.interactions.is_empty());
    assert_eq!(extracted.skipped, vec![Skipped::NoPeople]);
}

#[test]
fn automated_senders_are_noise_in_every_spelling() {
    for sender in [
        "no-reply@corp.com",
        "No_Reply@corp.com",
        "notifications@github.com",
        "calendar-notification@google.com",
        "MAILER-DAEMON@corp.com",
        "bounces+123@list.corp.com",
    ] {
        let e = email_event(vec![email(sender, &["me@corp.com"], &[], &["INBOX"])]);
        assert!(summary(&e, &me()).is_empty(), "{sender} counted");
    }
    let e = email_event(vec![email(
        "noah@corp.com",
        &["me@corp.com"],
        &[],
        &["INBOX"],
    )]);
    assert_eq!(
        summary(&e, &me()).len(),
        1,
        "a person named Noah is no no-reply"
    );
}

fn calendar(organizer: &str, attendees: &[(&str, &str)], status: &str) -> Event {
    let attendees: Vec<Value> = attendees
        .iter()
        .map(|(a, r)| json!({"email": a, "response": r}))
        .collect();
    event(with(
        header("CalendarEvent", 1, "update"),
        "entry",
        json!({
            "provider_event_id": "e-1", "calendar_id": "primary", "title": "Review",
            "start": "2026-07-01T10:00:00Z", "end": "2026-07-01T11:00:00Z",
            "organizer": {"email": organizer}, "attendees": attendees, "status": status,
            "created_at": "2026-05-01T10:00:00Z", "updated_at": "2026-05-01T10:00:00Z",
        }),
    ))
}

#[test]
fn calendar_entries_weigh_responses() {
    let config = ContactsConfig::default();
    // The user attends (accepted) an entry Lee organizes; Uma declined.
    let e = calendar(
        "lee@corp.com",
        &[("me@corp.com", "accepted"), ("uma@corp.com", "declined")],
        "confirmed",
    );
    assert_eq!(
        summary(&e, &me()),
        vec![
            (
                "lee@corp.com".into(),
                Channel::Calendar,
                Direction::Inbound,
                2,
                1.0
            ),
            (
                "uma@corp.com".into(),
                Channel::Calendar,
                Direction::Together,
                2,
                0.25
            ),
        ]
    );
    // A future entry counts at the time it was seen, not at its start.
    let at = extract(&e, &me(), &config).interactions[0].at;
    assert_eq!(at, "2026-06-01T12:00:00Z".parse::<DateTime<Utc>>().unwrap());

    // The user organizes: every attendee is outbound, scaled by their answer.
    let e = calendar(
        "me@corp.com",
        &[
            ("lee@corp.com", "tentative"),
            ("uma@corp.com", "needs_action"),
        ],
        "confirmed",
    );
    assert_eq!(
        summary(&e, &me()),
        vec![
            (
                "lee@corp.com".into(),
                Channel::Calendar,
                Direction::Outbound,
                2,
                0.75
            ),
            (
                "uma@corp.com".into(),
                Channel::Calendar,
                Direction::Outbound,
                2,
                0.5
            ),
        ]
    );
    // The user declined: the organizer counts a quarter.
    let e = calendar("lee@corp.com", &[("me@corp.com", "declined")], "confirmed");
    assert_eq!(summary(&e, &me())[0].4, 0.25);
    // Cancelled entries meet nobody.
    let e = calendar("lee@corp.com", &[("me@corp.com", "accepted")], "cancelled");
    assert!(summary(&e, &me()).is_empty());
}

fn document(owner: &str, shared: &[&str], editor: Option<&str>) -> Event {
    let shared: Vec<Value> = shared.iter().map(|a| json!({"email": a})).collect();
    let mut doc = json!({
        "provider_document_id": "d-1", "title": "Plan", "mime_type": "text/plain",
        "owner": {"email": owner}, "shared_with": shared,
        "created_at": "2026-05-01T10:00:00Z", "updated_at": "2026-05-20T10:00:00Z",
    });
    if let Some(editor) = editor {
        doc["last_modified_by"] = json!({"email": editor});
    }
    event(with(header("DocumentEvent", 1, "update"), "document", doc))
}

#[test]
fn documents_count_owners_editors_and_fellow_readers() {
    let e = document(
        "dana@corp.com",
        &["me@corp.com", "lee@corp.com", "kim@corp.com"],
        Some("kim@corp.com"),
    );
    assert_eq!(
        summary(&e, &me()),
        vec![
            (
                "dana@corp.com".into(),
                Channel::Document,
                Direction::Inbound,
                3,
                1.0
            ),
            (
                "kim@corp.com".into(),
                Channel::Document,
                Direction::Inbound,
                3,
                1.0
            ),
            (
                "lee@corp.com".into(),
                Channel::Document,
                Direction::Together,
                3,
                1.0
            ),
        ]
    );
    let e = document("me@corp.com", &["lee@corp.com"], None);
    assert_eq!(
        summary(&e, &me()),
        vec![(
            "lee@corp.com".into(),
            Channel::Document,
            Direction::Outbound,
            1,
            1.0
        )]
    );
}

fn day(n: i64) -> DateTime<Utc> {
    "2026-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + TimeDelta::days(n)
}

/// Interactions of one person, as `extract` would give them.
fn interaction(
    direction: Direction,
    group_size: usize,
    at: i64,
    name: Option<&str>,
) -> super::interaction::Interaction {
    super::interaction::Interaction {
        address: "dana@corp.com".into(),
        name: name.map(String::from),
        channel: Channel::Email,
        direction,
        group_size,
        factor: 1.0,
        at: day(at),
    }
}

#[test]
fn the_worked_example_of_the_docs() {
    // docs/contacts.md: Dana wrote to the user alone on day 0, the user answered on day 10,
    // and Dana was one of 4 recipients with the user on day 40. Read on day 100.
    let config = ContactsConfig::default();
    let mut record = ContactRecord::new(
        &interaction(Direction::Inbound, 1, 0, Some("Dana")),
        &config,
    );
    record.apply(&interaction(Direction::Outbound, 1, 10, None), &config);
    record.apply(
        &interaction(Direction::Together, 4, 40, Some("Dana S.")),
        &config,
    );
    // 1·2^(−100/90) + 3·2^(−90/90) + 0.5/√4·2^(−60/90)
    let expected = 0.462_937_356_143_6 + 1.5 + 0.25 * 0.629_960_524_947_436_6;
    let got = record.score.at(day(100), config.half_life);
    assert!((got - expected).abs() < 1e-9, "{got} vs {expected}");
    assert!((got - 2.120_427).abs() < 1e-6);
    assert_eq!(record.first_seen, day(0));
    assert_eq!(record.last_seen, day(40));
    assert_eq!(record.outbound(), 1);
    assert_eq!(record.inbound(), 2);
    assert_eq!(record.top[0].kind, "email.outbound");
    // One "Dana", one "Dana S.": a tie goes to the alphabetically first.
    assert_eq!(record.display_name(), Some("Dana"));
}

#[test]
fn records_do_not_depend_on_arrival_order() {
    let config = ContactsConfig::default();
    let all: Vec<_> = (0..9)
        .map(|i| {
            let direction = [Direction::Inbound, Direction::Outbound, Direction::Together][i % 3];
            let name = ["Dana", "Dana S.", "Dana"][i % 3];
            interaction(direction, 1 + i % 4, (i as i64 * 29) % 150, Some(name))
        })
        .collect();
    let fold = |order: &[super::interaction::Interaction]| {
        let mut record = ContactRecord::new(&order[0], &config);
        for i in &order[1..] {
            record.apply(i, &config);
        }
        record
    };
    let reference = fold(&all);
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..100 {
        let mut order = all.clone();
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let record = fold(&order);
        assert_eq!(record.counts, reference.counts);
        assert_eq!(record.names, reference.names);
        assert_eq!(record.display_name(), Some("Dana"));
        assert_eq!(
            (record.first_seen, record.last_seen),
            (reference.first_seen, reference.last_seen)
        );
        assert_eq!(record.top, reference.top);
        assert_eq!(record.score.at, reference.score.at);
        assert!(
            (record.score.value - reference.score.value).abs() <= 1e-12 * reference.score.value
        );
    }
}

#[test]
fn the_push_rule() {
    let config = ContactsConfig::default();
    let inbound = |at| interaction(Direction::Inbound, 1, at, None);
    // New: one inbound is not enough, two are; one outbound is.
    let mut record = ContactRecord::new(&inbound(0), &config);
    assert_eq!(
        decide(&record, 1, None, day(0), &config),
        Err(Hold::TooFewInteractions)
    );
    record.apply(&inbound(1), &config);
    assert_eq!(decide(&record, 1, None, day(1), &config), Ok(Push::New));
    let outbound = ContactRecord::new(&interaction(Direction::Outbound, 1, 0, None), &config);
    assert_eq!(decide(&outbound, 5, None, day(0), &config), Ok(Push::New));

    // Pushed at score 2.0 on day 1.
    record.pushed = Some(Pushed {
        score: record.score.at(day(1), config.half_life),
        at: day(1),
    });
    let pushed = record.pushed.unwrap().score;
    assert!((pushed - (2f64.powf(-1.0 / 90.0) + 1.0)).abs() < 1e-12);
    // Within the debounce interval (10 minutes): held, whatever changed.
    record.apply(&interaction(Direction::Outbound, 1, 1, None), &config);
    assert_eq!(
        decide(&record, 1, Some(1), day(1) + TimeDelta::minutes(5), &config),
        Err(Hold::Debounced)
    );
    // After it: +3 is more than the absolute threshold.
    assert_eq!(
        decide(
            &record,
            1,
            Some(1),
            day(1) + TimeDelta::minutes(11),
            &config
        ),
        Ok(Push::Moved)
    );

    // A small change outside the top: held; the same change entering the top 20: pushed.
    let mut quiet = ContactRecord::new(&inbound(0), &config);
    quiet.apply(&inbound(0), &config);
    quiet.pushed = Some(Pushed {
        score: 2.0,
        at: day(0),
    });
    quiet.apply(&interaction(Direction::Together, 16, 1, None), &config);
    let later = day(1);
    assert_eq!(
        decide(&quiet, 25, Some(30), later, &config),
        Err(Hold::SmallChange)
    );
    assert_eq!(
        decide(&quiet, 20, Some(21), later, &config),
        Ok(Push::EnteredTop)
    );
    assert_eq!(
        decide(&quiet, 3, Some(4), later, &config),
        Err(Hold::SmallChange)
    );
    // Decay alone moves a score: 90 days later it halved, which is worth a push.
    assert_eq!(
        decide(&quiet, 3, Some(3), day(91), &config),
        Ok(Push::Moved)
    );
}
