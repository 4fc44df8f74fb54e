//! Selective consumption, proven on the running system: all five consumers run at once against the
//! local services, a mix of every data type is published (new events, and with dual publishing
//! on for e-mail their legacy copies), and each consumer's `/metrics` must show that it received
//! exactly the event types its subscriptions declare, each message once per subscription, and
//! nothing else. `topics verify` proves the declared filters exist; this proves they hold.

use crate::consume::{Loader, get_text, lay_out, publish_events_in, set_in, write_events};
use crate::support::unique;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const SELECTIVE_DB: u8 = 57;

/// The consumers run, with the data types each reads.
const CONSUMERS: &[(&str, &str)] = &[
    (
        "vespa-loader",
        "email,calendar,contact,document,todo,llm_chat,shipment,meeting_poll,booking",
    ),
    ("contact-discovery", "email,calendar,document"),
    ("shipments", "email"),
    ("meetings", "calendar,booking,meeting_poll"),
    ("fe-sse", "email,calendar,todo,llm_chat"),
];

/// Each subscription the consumers read: its consumer, its topic, and which published events
/// it must receive (its filter), as the layout declares them.
struct Declared {
    consumer: &'static str,
    subscription: &'static str,
    topic: &'static str,
    passes: fn(&Published) -> bool,
}

/// One message on a topic: its topic, event type, sync type and operation.
#[derive(Debug, Clone)]
struct Published {
    topic: &'static str,
    event_type: String,
    sync_type: String,
    operation: String,
}

fn all(_: &Published) -> bool {
    true
}

fn real_time(p: &Published) -> bool {
    p.sync_type == "real_time"
}

fn not_a_delete(p: &Published) -> bool {
    p.operation != "delete"
}

const DECLARED: &[Declared] = &[
    Declared {
        consumer: "vespa-loader",
        subscription: "vespa-loader-emails",
        topic: "emails",
        passes: all,
    },
    Declared {
        consumer: "vespa-loader",
        subscription: "vespa-loader-email-backfill",
        topic: "email-backfill",
        passes: all,
    },
    Declared {
        consumer: "vespa-loader",
        subscription: "vespa-loader-calendars",
        topic: "calendars",
        passes: all,
    },
    Declared {
        consumer: "vespa-loader",
        subscription: "vespa-loader-contacts",
        topic: "contacts",
        passes: all,
    },
    Declared {
        consumer: "vespa-loader",
        subscription: "vespa-loader-documents",
        topic: "documents",
        passes: all,
    },
    Declared {
        consumer: "vespa-loader",
        subscription: "vespa-loader-todos",
        topic: "todos",
        passes: all,
    },
    Declared {
        consumer: "vespa-loader",
        subscription: "vespa-loader-llm-chats",
        topic: "llm-chats",
        passes: all,
    },
    Declared {
        consumer: "vespa-loader",
        subscription: "vespa-loader-shipments",
        topic: "shipments",
        passes: all,
    },
    Declared {
        consumer: "vespa-loader",
        subscription: "vespa-loader-meeting-polls",
        topic: "meeting-polls",
        passes: all,
    },
    Declared {
        consumer: "vespa-loader",
        subscription: "vespa-loader-bookings",
        topic: "bookings",
        passes: all,
    },
    Declared {
        consumer: "contact-discovery",
        subscription: "contact-discovery-emails",
        topic: "emails",
        passes: all,
    },
    Declared {
        consumer: "contact-discovery",
        subscription: "contact-discovery-calendars",
        topic: "calendars",
        passes: all,
    },
    Declared {
        consumer: "contact-discovery",
        subscription: "contact-discovery-documents",
        topic: "documents",
        passes: all,
    },
    Declared {
        consumer: "shipments",
        subscription: "shipments-emails",
        topic: "emails",
        passes: not_a_delete,
    },
    Declared {
        consumer: "meetings",
        subscription: "meetings-calendars",
        topic: "calendars",
        passes: all,
    },
    Declared {
        consumer: "meetings",
        subscription: "meetings-bookings",
        topic: "bookings",
        passes: all,
    },
    Declared {
        consumer: "meetings",
        subscription: "meetings-meeting-polls",
        topic: "meeting-polls",
        passes: all,
    },
    Declared {
        consumer: "fe-sse",
        subscription: "fe-sse-emails",
        topic: "emails",
        passes: real_time,
    },
    Declared {
        consumer: "fe-sse",
        subscription: "fe-sse-calendars",
        topic: "calendars",
        passes: real_time,
    },
    Declared {
        consumer: "fe-sse",
        subscription: "fe-sse-todos",
        topic: "todos",
        passes: real_time,
    },
    Declared {
        consumer: "fe-sse",
        subscription: "fe-sse-llm-chats",
        topic: "llm-chats",
        passes: all,
    },
];

/// A valid event of the fixture `name` for `user`, with a fresh id, and `changes` applied.
fn fixture(name: &str, user: &str, n: usize, changes: Value) -> Value {
    let path = format!(
        "{}/tests/fixtures/events/valid/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut event: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    event["user_id"] = json!(user);
    event["event_id"] = json!(format!("evt-selective-{name}-{n}"));
    merge(&mut event, changes);
    event
}

fn merge(into: &mut Value, changes: Value) {
    match (into, changes) {
        (Value::Object(into), Value::Object(changes)) => {
            for (key, value) in changes {
                match (into.get_mut(&key), value) {
                    (Some(slot @ Value::Object(_)), value @ Value::Object(_)) => merge(slot, value),
                    (_, Value::Null) => {
                        into.remove(&key);
                    }
                    (_, value) => {
                        into.insert(key, value);
                    }
                }
            }
        }
        (into, changes) => *into = changes,
    }
}

/// The samples of counter `name` in `metrics`: (value of label `key`, value of label `second`)
/// → count.
fn samples(metrics: &str, name: &str, key: &str, second: &str) -> BTreeMap<(String, String), u64> {
    let mut out = BTreeMap::new();
    for line in metrics.lines() {
        let Some(rest) = line.strip_prefix(&format!("{name}{{")) else {
            continue;
        };
        let (labels, value) = rest.rsplit_once("} ").unwrap();
        let label = |name: &str| {
            let start = labels.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            labels[start..][..labels[start..].find('"').unwrap()].to_string()
        };
        *out.entry((label(key), label(second))).or_default() +=
            value.parse::<f64>().unwrap() as u64;
    }
    out
}

/// What one consumer received: (subscription, event type) → count, redeliveries included.
fn received(metrics: &str) -> BTreeMap<(String, String), u64> {
    samples(
        metrics,
        "officectl_consumer_received_total",
        "subscription",
        "event_type",
    )
}

/// What one consumer settled: (subscription, outcome) → count.
fn settled(metrics: &str) -> BTreeMap<(String, String), u64> {
    samples(
        metrics,
        "officectl_consumer_messages_total",
        "subscription",
        "outcome",
    )
}

/// Whether a consumer's metrics show exactly `want`: per subscription and event type at least
/// what is wanted and nothing else; every message received settled; and what came more than
/// once per subscription is exactly what it nacked for later (a redelivery of the same message,
/// e.g. the loader's copy whose key another delivery held), never poison or another message.
fn check(metrics: &str, want: &BTreeMap<(String, String), u64>) -> Result<(), String> {
    let got = received(metrics);
    let outcomes = settled(metrics);
    if got.keys().any(|k| !want.contains_key(k)) || want.iter().any(|(k, n)| got.get(k) < Some(n)) {
        return Err(format!("received {got:?}, want {want:?}"));
    }
    let subscriptions: std::collections::BTreeSet<&String> = want.keys().map(|(s, _)| s).collect();
    for sub in subscriptions {
        let sum = |m: &BTreeMap<(String, String), u64>| -> u64 {
            m.iter()
                .filter(|((s, _), _)| s == sub)
                .map(|(_, n)| n)
                .sum()
        };
        let outcome = |o: &str| {
            outcomes
                .get(&(sub.clone(), o.to_string()))
                .copied()
                .unwrap_or(0)
        };
        let (got, want, settled) = (sum(&got), sum(want), sum(&outcomes));
        if outcome("poison") + outcome("unknown_type") > 0 {
            return Err(format!("{sub}: {outcomes:?}"));
        }
        if settled != got || got - want != outcome("retried") {
            return Err(format!(
                "{sub}: received {got}, {want} published, settled {settled}, {outcomes:?}"
            ));
        }
    }
    Ok(())
}

#[test]
fn every_consumer_receives_exactly_what_its_subscriptions_declare() {
    let project = unique("selective");
    let user = unique("selective-user");
    lay_out(&project, SELECTIVE_DB);
    set_in(SELECTIVE_DB, "office:flags:publish_mode:email", "dual");
    set_in(
        SELECTIVE_DB,
        "office:flags:read_source:vespa-loader:email",
        "both",
    );
    for data_type in ["calendar", "contact"] {
        set_in(
            SELECTIVE_DB,
            &format!("office:flags:read_source:vespa-loader:{data_type}"),
            "new",
        );
    }
    for data_type in [
        "calendar",
        "contact",
        "document",
        "todo",
        "llm_chat",
        "shipment",
        "meeting_poll",
        "booking",
    ] {
        set_in(
            SELECTIVE_DB,
            &format!("office:flags:publish_mode:{data_type}"),
            "new",
        );
    }
    // Every data type; real-time and not; a delete. The booking links to no calendar entry and
    // the poll's options are long past, so meetings publishes nothing; no mail names a carrier,
    // so shipments publishes nothing. Contact discovery may push contacts: the loader's share
    // of those is read from its metrics.
    let events = vec![
        fixture("email", &user, 1, json!({})),
        {
            let mut live = fixture(
                "email",
                &user,
                2,
                json!({"sync_type": "real_time", "batch_id": null}),
            );
            live["emails"][0]["provider_message_id"] = json!("selective-rt-1");
            live
        },
        fixture("email_delete", &user, 3, json!({})),
        fixture("calendar", &user, 4, json!({})),
        fixture(
            "calendar",
            &user,
            5,
            json!({"sync_type": "real_time", "entry": {"provider_event_id": "selective-cal-2"}}),
        ),
        fixture("contact", &user, 6, json!({})),
        fixture("document", &user, 7, json!({})),
        fixture("todo", &user, 8, json!({})),
        fixture("todo", &user, 9, json!({"sync_type": "real_time"})),
        fixture("llm_chat", &user, 10, json!({})),
        fixture("shipment", &user, 11, json!({})),
        fixture("meeting_poll", &user, 12, json!({})),
        fixture(
            "booking",
            &user,
            13,
            json!({"booking": {"calendar_event_id": null}}),
        ),
    ];
    let mut published: Vec<Published> = Vec::new();
    for event in &events {
        let event_type = event["event_type"].as_str().unwrap().to_string();
        let topic = match event_type.as_str() {
            "EmailEvent" => "emails",
            "CalendarEvent" => "calendars",
            "ContactEvent" => "contacts",
            "DocumentEvent" => "documents",
            "TodoEvent" => "todos",
            "LLMChatEvent" => "llm-chats",
            "ShipmentEvent" => "shipments",
            "MeetingPollEvent" => "meeting-polls",
            "BookingEvent" => "bookings",
            other => panic!("{other}"),
        };
        let one = Published {
            topic,
            event_type: event_type.clone(),
            sync_type: event["sync_type"].as_str().unwrap().to_string(),
            operation: event["operation"].as_str().unwrap().to_string(),
        };
        if topic == "emails" {
            // Dual publishing: the legacy copy (a delete stays an `EmailEvent` delete).
            let mut legacy = one.clone();
            legacy.topic = "email-backfill";
            if legacy.operation != "delete" {
                legacy.event_type = "EmailBackfillEvent".into();
            }
            published.push(legacy);
        }
        published.push(one);
    }

    let mut running: Vec<(&str, Loader, String)> = CONSUMERS
        .iter()
        .map(|(name, types)| {
            let mut process = Loader::start_consumer_with_env(
                SELECTIVE_DB,
                &project,
                name,
                types,
                &["--log-format", "json", "--listen", "127.0.0.1:0"],
                &[(
                    "OFFICECTL_FE_SSE_JWT_SECRET",
                    "selective-consumption-test-secret-0123456789",
                )],
            );
            let addr = process.listen_address();
            (*name, process, addr)
        })
        .collect();
    // Every consumer ready (its subscriptions open) before anything is published.
    for (name, _, addr) in &running {
        let started = Instant::now();
        while get_text(addr, "/readyz").0 != 200 {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{name} never ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write_events(dir.path(), events.iter().map(Value::to_string));
    publish_events_in(SELECTIVE_DB, &project, &path);

    // What each subscription must receive from the test's own events.
    let mut expected: BTreeMap<&str, BTreeMap<(String, String), u64>> = BTreeMap::new();
    for declared in DECLARED {
        if !running
            .iter()
            .any(|(name, _, _)| *name == declared.consumer)
        {
            continue;
        }
        let of_consumer = expected.entry(declared.consumer).or_default();
        for p in published
            .iter()
            .filter(|p| p.topic == declared.topic && (declared.passes)(p))
        {
            *of_consumer
                .entry((declared.subscription.to_string(), p.event_type.clone()))
                .or_default() += 1;
        }
    }
    let metrics_of = |addr: &str| get_text(addr, "/metrics").1;
    let contact_pushes = |addr: &str| -> u64 {
        metrics_of(addr)
            .lines()
            .filter(|l| {
                l.starts_with("officectl_contact_updates_total{")
                    && l.contains("outcome=\"pushed\"")
            })
            .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap() as u64)
            .sum()
    };
    // Wait until every consumer has exactly what it must (and the loader the contacts
    // discovery pushed), then a little longer for anything it must not have.
    let want_of = |name: &str, pushes: u64| {
        let mut want = expected[name].clone();
        if name == "vespa-loader" && pushes > 0 {
            *want
                .entry(("vespa-loader-contacts".into(), "ContactEvent".into()))
                .or_default() += pushes;
        }
        want
    };
    let discovery = running
        .iter()
        .find(|(n, _, _)| *n == "contact-discovery")
        .unwrap()
        .2
        .clone();
    let all_checked = || -> Result<(), String> {
        let pushes = contact_pushes(&discovery);
        for (name, _, addr) in &running {
            check(&metrics_of(addr), &want_of(name, pushes))
                .map_err(|why| format!("{name} (contact pushes: {pushes}): {why}"))?;
        }
        Ok(())
    };
    let started = Instant::now();
    while let Err(why) = all_checked() {
        assert!(started.elapsed() < Duration::from_secs(90), "{why}");
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_secs(3));
    if let Err(why) = all_checked() {
        panic!("{why}");
    }
    for (name, process, _) in running.drain(..) {
        let (code, report, stderr) = process.stop();
        assert_eq!(code, Some(0), "{name}: {report}\n{stderr}");
    }
}
