//! Contact records in a real local Redis: an event counts once however often it is delivered,
//! arrival order does not change the records, concurrent counting loses no update, the user's
//! learned address and noise stay out, and the ranking puts the frequent, recent Dana first.

use chrono::{DateTime, Utc};
use serde_json::json;
use std::time::Duration;

use officectl::contacts::config::ContactsConfig;
use officectl::contacts::marker::Outbox;
use officectl::contacts::significance::{Hold, Push};
use officectl::contacts::store::{ContactStore, Counted};
use officectl::model::Event;
use officectl::model::validate::validate_value;

/// The store, with `me@corp.com` configured as `user`'s own address.
async fn store_for(user: &str) -> ContactStore {
    let mut config = ContactsConfig::default();
    config
        .own_addresses
        .insert(user.to_string(), vec!["Me@Corp.com".to_string()]);
    ContactStore::new(connection().await, config)
}

async fn store() -> ContactStore {
    ContactStore::new(connection().await, ContactsConfig::default())
}

async fn connection() -> redis::aio::MultiplexedConnection {
    let url = match std::env::var("OFFICECTL_REDIS_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("OFFICECTL_REDIS_URL is not set: run `scripts/services up` first"),
    };
    officectl::redis_connection::connect(&url, Duration::from_secs(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A user id no other test run shares.
fn unique(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("it-contacts-{name}-{}-{nanos}", std::process::id())
}

/// One e-mail from `from` to `to`, received on `day` of June 2026.
fn mail(user: &str, n: usize, from: &str, to: &[&str], labels: &[&str], day: u32) -> Event {
    let to: Vec<_> = to.iter().map(|a| json!({"email": a})).collect();
    let (address, name) = from.split_once(" <").map_or((from, None), |(name, rest)| {
        (rest.trim_end_matches('>'), Some(name))
    });
    let mut sender = json!({"email": address});
    if let Some(name) = name {
        sender["name"] = json!(name);
    }
    let at = format!("2026-06-{day:02}T10:00:00Z");
    validate_value(json!({
        "event_type": "EmailEvent", "event_id": format!("evt-{n}"), "schema_version": 2,
        "user_id": user, "provider": "google", "sync_type": "real_time", "operation": "create",
        "correlation_id": format!("c-{n}"), "occurred_at": at,
        "emails": [{"provider_message_id": format!("m-{n}"), "thread_id": "t", "subject": "hi",
            "from": sender, "to": to, "labels": labels,
            "body": {"mime_type": "text/plain", "content": "hello"},
            "received_at": at, "updated_at": at}],
    }))
    .unwrap_or_else(|p| panic!("{p:?}"))
    .event
}

fn now() -> DateTime<Utc> {
    "2026-07-01T00:00:00Z".parse().unwrap()
}

#[tokio::test]
async fn an_event_counts_once_however_often_it_arrives() {
    let user = unique("once");
    let store = store_for(&user).await;
    let event = mail(
        &user,
        1,
        "Dana <dana@corp.com>",
        &["me@corp.com"],
        &["INBOX"],
        1,
    );
    let Counted::Now { changes, .. } = store.count(&event, "key-1", now()).await.unwrap() else {
        panic!("the first delivery counts");
    };
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].rank, 1);
    assert_eq!(changes[0].decision, Err(Hold::TooFewInteractions));
    for _ in 0..3 {
        assert_eq!(
            store.count(&event, "key-1", now()).await.unwrap(),
            Counted::Before(Outbox::default())
        );
    }
    let dana = store.get(&user, "dana@corp.com").await.unwrap().unwrap();
    assert_eq!(dana.counts.get("email.inbound"), Some(&1));
    assert_eq!(dana.display_name(), Some("Dana"));

    // A second mail is a second interaction: now enough for a first push.
    let second = mail(&user, 2, "dana@corp.com", &["me@corp.com"], &["INBOX"], 2);
    let Counted::Now { changes, outbox } = store.count(&second, "key-2", now()).await.unwrap()
    else {
        panic!("a new event counts");
    };
    assert_eq!(changes[0].decision, Ok(Push::New));
    assert_eq!(changes[0].rank_before, Some(1));
    // The push is owed in the event's marker until settled: a redelivery before that (the
    // process died, or publishing failed) gets it back to publish.
    assert_eq!(outbox.upsert, vec![changes[0].id.clone()]);
    assert_eq!(
        store.count(&second, "key-2", now()).await.unwrap(),
        Counted::Before(outbox.clone())
    );
    store.settle(&user, "key-2", &outbox).await.unwrap();
    assert_eq!(
        store.count(&second, "key-2", now()).await.unwrap(),
        Counted::Before(Outbox::default())
    );
}

#[tokio::test]
async fn ranks_account_for_every_contact_one_event_changes() {
    let user = unique("ranks");
    let store = store_for(&user).await;
    // Ann wrote twice, Bo once: Ann first, Bo second.
    for (n, from) in [(1, "ann@corp.com"), (2, "ann@corp.com"), (3, "bo@corp.com")] {
        let event = mail(&user, n, from, &["me@corp.com"], &["INBOX"], 1);
        store.count(&event, &format!("k-{n}"), now()).await.unwrap();
    }
    // One mail to both: each gains the same, so Ann stays first and Bo second, although Bo's
    // new score is above Ann's old one.
    let both = mail(
        &user,
        4,
        "me@corp.com",
        &["ann@corp.com", "bo@corp.com"],
        &["SENT"],
        1,
    );
    let Counted::Now { changes, .. } = store.count(&both, "k-4", now()).await.unwrap() else {
        panic!("a new event counts");
    };
    let rank_of = |address: &str| {
        let c = changes
            .iter()
            .find(|c| c.record.address == address)
            .unwrap();
        (c.rank_before, c.rank)
    };
    assert_eq!(rank_of("ann@corp.com"), (Some(1), 1));
    assert_eq!(rank_of("bo@corp.com"), (Some(2), 2));
    for (address, rank) in [("ann@corp.com", 1), ("bo@corp.com", 2)] {
        let id = officectl::keys::contact_id(address);
        assert_eq!(store.rank(&user, &id).await.unwrap(), Some(rank));
    }
}

#[tokio::test]
async fn arrival_order_does_not_change_the_records() {
    let store = store().await;
    let (first, second) = (unique("order-a"), unique("order-b"));
    let events = |user: &str| -> Vec<Event> {
        (0..8)
            .map(|i| {
                let sent = i % 3 == 0;
                let (from, to, labels) = if sent {
                    (
                        "me@corp.com",
                        vec!["dana@corp.com", "lee@corp.com"],
                        vec!["SENT"],
                    )
                } else {
                    (
                        "Dana S <dana@corp.com>",
                        vec!["me@corp.com", "lee@corp.com"],
                        vec!["INBOX"],
                    )
                };
                mail(user, i, from, &to, &labels, 1 + (i as u32 * 7) % 28)
            })
            .collect()
    };
    for (i, e) in events(&first).iter().enumerate() {
        store.count(e, &format!("k-{i}"), now()).await.unwrap();
    }
    for (i, e) in events(&second).iter().enumerate().rev() {
        store.count(e, &format!("k-{i}"), now()).await.unwrap();
    }
    for address in ["dana@corp.com", "lee@corp.com"] {
        let a = store.get(&first, address).await.unwrap().unwrap();
        let b = store.get(&second, address).await.unwrap().unwrap();
        assert_eq!(a.counts, b.counts, "{address}");
        assert_eq!(a.names, b.names, "{address}");
        assert_eq!((a.first_seen, a.last_seen), (b.first_seen, b.last_seen));
        assert_eq!(a.top, b.top, "{address}");
        assert_eq!(a.score.at, b.score.at);
        assert!((a.score.value - b.score.value).abs() <= 1e-12 * a.score.value);
    }
    // The user's own address, learned from the sent mail, is never a contact: not even where
    // mail to it was counted before the first sent mail taught it (the reversed order).
    assert_eq!(store.get(&first, "me@corp.com").await.unwrap(), None);
    assert_eq!(store.get(&second, "me@corp.com").await.unwrap(), None);
    let ranked: Vec<String> = store
        .top(&second, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.address)
        .collect();
    assert_eq!(ranked.len(), 2, "{ranked:?}");
}

#[tokio::test]
async fn concurrent_counting_loses_no_update() {
    let user = unique("race");
    let store = store_for(&user).await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let store = store.clone();
        let event = mail(
            &user,
            i,
            "dana@corp.com",
            &["me@corp.com"],
            &["INBOX"],
            1 + i as u32,
        );
        tasks.push(tokio::spawn(async move {
            store.count(&event, &format!("k-{i}"), now()).await
        }));
    }
    for task in tasks {
        assert!(matches!(task.await.unwrap().unwrap(), Counted::Now { .. }));
    }
    let dana = store.get(&user, "dana@corp.com").await.unwrap().unwrap();
    assert_eq!(dana.counts.get("email.inbound"), Some(&24));
}

#[tokio::test]
async fn the_frequent_recent_dana_ranks_first() {
    let user = unique("rank");
    let store = store_for(&user).await;
    // One-off Dana, long ago; the other Dana, often and lately; Lee in a crowd.
    let mut n = 0;
    let mut count = async |event: Event| {
        n += 1;
        store.count(&event, &format!("k-{n}"), now()).await.unwrap();
    };
    count(mail(
        &user,
        100,
        "Dana Old <dana.old@corp.com>",
        &["me@corp.com"],
        &["INBOX"],
        1,
    ))
    .await;
    for i in 0..5 {
        count(mail(
            &user,
            i,
            "me@corp.com",
            &["dana.new@corp.com"],
            &["SENT"],
            20 + i as u32,
        ))
        .await;
    }
    let crowd: Vec<String> = (0..30).map(|i| format!("p{i}@corp.com")).collect();
    let mut to: Vec<&str> = crowd.iter().map(String::as_str).collect();
    to.push("me@corp.com");
    count(mail(&user, 200, "lee@corp.com", &to, &["INBOX"], 25)).await;
    // Newsletters and bulk mail never rank.
    count(mail(
        &user,
        300,
        "no-reply@corp.com",
        &["me@corp.com"],
        &["INBOX"],
        26,
    ))
    .await;
    count(mail(
        &user,
        301,
        "shop@corp.com",
        &["me@corp.com"],
        &["CATEGORY_PROMOTIONS"],
        26,
    ))
    .await;

    let top = store.top(&user, 3).await.unwrap();
    let addresses: Vec<&str> = top.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addresses,
        ["dana.new@corp.com", "dana.old@corp.com", "lee@corp.com"]
    );
    assert!(
        store
            .get(&user, "no-reply@corp.com")
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.get(&user, "shop@corp.com").await.unwrap().is_none());
}

/// `officectl contacts show ARGS...` against the local services.
fn show(args: &[&str]) -> std::process::Output {
    crate::support::officectl_with_services()
        .args(["contacts", "show"])
        .args(args)
        .output()
        .unwrap()
}

#[tokio::test]
async fn contacts_show_ranks_explains_and_names_what_it_cannot_find() {
    let user = unique("show");
    let store = store_for(&user).await;
    let mut n = 0;
    let mut count = async |event: Event| {
        n += 1;
        store.count(&event, &format!("k-{n}"), now()).await.unwrap();
    };
    count(mail(
        &user,
        1,
        "Dana Old <dana.old@corp.com>",
        &["me@corp.com"],
        &["INBOX"],
        1,
    ))
    .await;
    for i in 0..3 {
        count(mail(
            &user,
            10 + i,
            "me@corp.com",
            &["Dana.New@corp.com"],
            &["SENT"],
            20,
        ))
        .await;
    }

    let out = show(&["--user", &user, "--top", "5", "-o", "json"]);
    let report = crate::support::report_of(&out);
    let contacts = report["contacts"].as_array().unwrap();
    let addresses: Vec<&str> = contacts
        .iter()
        .map(|c| c["address"].as_str().unwrap())
        .collect();
    assert_eq!(addresses, ["dana.new@corp.com", "dana.old@corp.com"]);
    assert_eq!(contacts[0]["rank"], 1);
    assert_eq!(contacts[0]["counts"]["email.outbound"], 3);
    assert_eq!(contacts[0]["why"][0]["kind"], "email.outbound");
    assert_eq!(contacts[1]["name"], "Dana Old");
    assert!(contacts[0]["score"].as_f64().unwrap() > contacts[1]["score"].as_f64().unwrap());

    let out = show(&["--user", &user, "--address", "DANA.OLD@corp.com"]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        table.contains("dana.old@corp.com") && table.contains("Dana Old"),
        "{table}"
    );
    assert!(
        table.contains("WHY") && table.contains("email.inbound 2026-06-01"),
        "{table}"
    );
    assert!(!table.contains("dana.new@corp.com"), "{table}");

    let out = show(&["--user", &user, "--address", "nobody@corp.com"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("nobody@corp.com") && stderr.contains(&user),
        "{stderr}"
    );

    let out = show(&["--user", &user, "--address", "not an address"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not an address"), "{stderr}");
}

/// A project of its own with the two topics a removal `ContactEvent` can go to (the legacy
/// `contact-updates` or `contacts`, as the publish mode says).
async fn contact_topics() -> String {
    use officectl::pubsub::{Admin, TopicConfig, names};
    let project = unique("project");
    let admin = officectl::pubsub::google::GoogleAdmin::connect(
        &crate::support::services().pubsub_endpoint(),
    )
    .await
    .unwrap();
    for topic in ["contact-updates", "contacts"] {
        admin
            .create_topic(&TopicConfig::named(names::topic(&project, topic)))
            .await
            .unwrap();
    }
    project
}

/// `officectl contacts forget ARGS...` against the local services, in `project`.
fn forget(project: &str, args: &[&str]) -> std::process::Output {
    crate::support::officectl_with_services()
        .env("OFFICECTL_PROJECT", project)
        .args(["contacts", "forget"])
        .args(args)
        .output()
        .expect("run officectl")
}

#[tokio::test]
async fn forget_erases_everywhere_and_only_rediscovery_brings_a_contact_back() {
    let user = unique("forget");
    let store = store_for(&user).await;
    let project = contact_topics().await;
    let events: Vec<Event> = (1..=2)
        .map(|n| {
            mail(
                &user,
                n,
                "Dana <dana@corp.com>",
                &["me@corp.com"],
                &["INBOX"],
                n as u32,
            )
        })
        .collect();
    for (n, event) in events.iter().enumerate() {
        store.count(event, &format!("k-{n}"), now()).await.unwrap();
    }
    let id = officectl::keys::contact_id("dana@corp.com");
    let vespa = crate::support::vespa_endpoint();
    let doc_path =
        officectl::model::vespa::DocumentId::new("contact", &user, &format!("discovered:{id}"))
            .path();
    let (status, _) = crate::support::http(
        &vespa,
        "POST",
        &doc_path,
        Some(&json!({"fields": {"user_id": user, "doc_type": "contact", "title": "Dana"}})),
    );
    assert_eq!(status, 200);

    // Without --yes and without a terminal: refused, nothing changed.
    let out = forget(&project, &["--user", &user, "--address", "dana@corp.com"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert!(store.get(&user, "dana@corp.com").await.unwrap().is_some());

    let out = forget(
        &project,
        &[
            "--user",
            &user,
            "--address",
            "Dana@Corp.com",
            "--yes",
            "-o",
            "json",
        ],
    );
    let report = crate::support::report_of(&out);
    assert_eq!(report["records_removed"], 1, "{report}");
    assert_eq!(report["rediscovery"], false);
    assert_eq!(report["vespa"]["events_published"], 1);
    assert!(store.get(&user, "dana@corp.com").await.unwrap().is_none());
    assert_eq!(store.rank(&user, &id).await.unwrap(), None);
    let (status, _) = crate::support::http(&vespa, "GET", &doc_path, None);
    assert_eq!(status, 404, "the Vespa document is gone");
    // The audit line: who, what, how many; no address.
    let mut conn = connection().await;
    let audit: Vec<String> = redis::cmd("LRANGE")
        .arg(officectl::keys::contacts_audit())
        .arg(0)
        .arg(50)
        .query_async(&mut conn)
        .await
        .unwrap();
    let line = audit
        .iter()
        .find(|l| l.contains(&user))
        .expect("an audit line");
    let entry: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(entry["action"], "forget");
    assert_eq!(entry["contacts"], 1);
    assert!(entry["actor"].as_str().is_some_and(|a| !a.is_empty()));
    assert!(!line.to_lowercase().contains("dana"), "{line}");

    // Replayed, and a new mail from Dana: Dana stays gone.
    for (n, event) in events.iter().enumerate() {
        store.count(event, &format!("k-{n}"), now()).await.unwrap();
    }
    let third = mail(&user, 3, "dana@corp.com", &["me@corp.com"], &["INBOX"], 3);
    store.count(&third, "k-2", now()).await.unwrap();
    assert!(store.get(&user, "dana@corp.com").await.unwrap().is_none());

    // Forgotten again with rediscovery allowed: the replay counts Dana again, each event once.
    let out = forget(
        &project,
        &[
            "--user",
            &user,
            "--address",
            "dana@corp.com",
            "--allow-rediscovery",
            "--yes",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for _ in 0..2 {
        for (n, event) in events.iter().chain([&third]).enumerate() {
            store.count(event, &format!("k-{n}"), now()).await.unwrap();
        }
    }
    let dana = store
        .get(&user, "dana@corp.com")
        .await
        .unwrap()
        .expect("rediscovered");
    assert_eq!(dana.counts.get("email.inbound"), Some(&3));

    let out = forget(
        &project,
        &["--user", &user, "--address", "not an address", "--yes"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn prune_removes_only_contacts_quiet_for_longer_than_asked() {
    let user = unique("prune");
    let store = store_for(&user).await;
    let project = contact_topics().await;
    let old = mail(&user, 1, "old@corp.com", &["me@corp.com"], &["INBOX"], 1);
    let recent = mail(
        &user,
        2,
        "recent@corp.com",
        &["me@corp.com"],
        &["INBOX"],
        20,
    );
    store.count(&old, "k-1", now()).await.unwrap();
    store.count(&recent, "k-2", now()).await.unwrap();
    // Quiet since before June 10th: the contact of June 1st, not the one of June 20th.
    let june_10: DateTime<Utc> = "2026-06-10T00:00:00Z".parse().unwrap();
    let days = (DateTime::<Utc>::from(std::time::SystemTime::now()) - june_10).num_days();
    let older_than = format!("{days}d");
    let prune = |extra: &[&str]| {
        let out = crate::support::officectl_with_services()
            .env("OFFICECTL_PROJECT", &project)
            .args([
                "contacts",
                "prune",
                "--user",
                &user,
                "--older-than",
                &older_than,
            ])
            .args(extra)
            .args(["-o", "json"])
            .output()
            .expect("run officectl");
        let report = crate::support::report_of(&out);
        report["users"][0].clone()
    };
    let dry = prune(&["--dry-run"]);
    assert_eq!(
        (
            dry["contacts"].as_u64(),
            dry["stale"].as_u64(),
            dry["removed"].as_u64()
        ),
        (Some(2), Some(1), Some(0)),
        "{dry}"
    );
    assert!(store.get(&user, "old@corp.com").await.unwrap().is_some());

    let done = prune(&[]);
    assert_eq!(
        (done["stale"].as_u64(), done["removed"].as_u64()),
        (Some(1), Some(1)),
        "{done}"
    );
    assert_eq!(done["vespa"]["events_published"], 1);
    assert!(store.get(&user, "old@corp.com").await.unwrap().is_none());
    assert!(store.get(&user, "recent@corp.com").await.unwrap().is_some());
    let top = store.top(&user, 10).await.unwrap();
    assert_eq!(top.len(), 1);

    // Without --user, every user with contacts is found (a dry run: other tests' users share
    // this Redis).
    let out = crate::support::officectl_with_services()
        .args(["contacts", "prune", "--dry-run", "-o", "json"])
        .output()
        .expect("run officectl");
    let report = crate::support::report_of(&out);
    let mine = report["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["user"] == user.as_str())
        .expect("the user is found");
    assert_eq!(mine["contacts"], 1);
}

/// A small mailbox history: received, sent, cc'd and noise, with a Gmail variant of an address.
fn history(user: &str) -> Vec<Event> {
    let specs: &[(&str, &[&str], &[&str])] = &[
        ("Dana <dana@corp.com>", &["me@corp.com"], &["INBOX"]),
        (
            "Lee <lee@corp.com>",
            &["me@corp.com", "kim@corp.com"],
            &["INBOX"],
        ),
        ("me@corp.com", &["dana@corp.com"], &["SENT"]),
        ("no-reply@shop.com", &["me@corp.com"], &["INBOX"]),
        ("Dana S <dana@corp.com>", &["me@corp.com"], &["INBOX"]),
        ("ann.b@gmail.com", &["me@corp.com"], &["INBOX"]),
        (
            "me@corp.com",
            &["annb+x@gmail.com", "lee@corp.com"],
            &["SENT"],
        ),
        ("promo@shop.com", &["me@corp.com"], &["CATEGORY_PROMOTIONS"]),
        ("Kim <kim@corp.com>", &["me@corp.com"], &["INBOX"]),
        ("me@corp.com", &["kim@corp.com"], &["SENT"]),
    ];
    specs
        .iter()
        .enumerate()
        .map(|(i, (from, to, labels))| mail(user, i + 1, from, to, labels, 1 + 2 * i as u32))
        .collect()
}

/// Two users' ranked records are the same: addresses in order, names, counts, first and last
/// seen, top contributions, the score's time, and its value to 1e-12.
fn assert_same_records(
    a: &[officectl::contacts::record::ContactRecord],
    b: &[officectl::contacts::record::ContactRecord],
) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert_eq!(
            (
                &x.address,
                &x.names,
                &x.counts,
                x.first_seen,
                x.last_seen,
                &x.top
            ),
            (
                &y.address,
                &y.names,
                &y.counts,
                y.first_seen,
                y.last_seen,
                &y.top
            )
        );
        assert_eq!(x.score.at, y.score.at);
        assert!((x.score.value - y.score.value).abs() <= 1e-12 * x.score.value);
    }
}

fn rebuild(args: &[&str]) -> std::process::Output {
    crate::support::officectl_with_services()
        .args(["contacts", "rebuild", "--no-push"])
        .args(args)
        .output()
        .expect("run officectl")
}

#[tokio::test]
async fn rebuild_gives_the_live_records_and_resumes_after_a_crash() {
    use officectl::model::idempotency::message_key;
    let store = store().await;
    let (live, rebuilt) = (unique("rebuild-live"), unique("rebuild-file"));
    for event in history(&live) {
        store
            .count(&event, &message_key(&event).1, now())
            .await
            .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.ndjson");
    let events = history(&rebuilt);
    let mut lines: Vec<String> = events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    lines.insert(4, lines[1].clone()); // a replayed event counts once
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let source = path.to_str().unwrap();

    // Killed after its second checkpoint (6 lines read).
    let out = crate::support::officectl_with_services()
        .env(
            "OFFICECTL_FAILPOINT",
            "contacts-rebuild-abort-after-checkpoints:2",
        )
        .args(["contacts", "rebuild", "--no-push", "--source", source])
        .args(["--user", &rebuilt, "--checkpoint-every", "3"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        store.top(&rebuilt, 10).await.unwrap().is_empty(),
        "nothing written yet"
    );
    let out = rebuild(&["--source", source, "--user", &rebuilt]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("--resume"),
        "{stderr}"
    );
    // A dry run computes the same, writes nothing, and leaves the checkpoint alone.
    let out = rebuild(&[
        "--source",
        source,
        "--user",
        &rebuilt,
        "--dry-run",
        "-o",
        "json",
    ]);
    let report = crate::support::report_of(&out);
    assert_eq!(
        (report["events"].as_u64(), report["contacts"].as_u64()),
        (Some(10), Some(4))
    );
    assert!(
        store.top(&rebuilt, 10).await.unwrap().is_empty(),
        "a dry run writes nothing"
    );

    let out = rebuild(&[
        "--source", source, "--user", &rebuilt, "--resume", "-o", "json",
    ]);
    let report = crate::support::report_of(&out);
    assert_eq!(report["resumed_from"], 6, "{report}");
    assert_eq!(report["events"], 10, "{report}");
    assert_eq!(report["duplicates"], 1, "{report}");

    // The same records as the live consumer's, in the same order.
    let (a, b) = (
        store.top(&live, 100).await.unwrap(),
        store.top(&rebuilt, 100).await.unwrap(),
    );
    let addresses = |r: &[officectl::contacts::record::ContactRecord]| {
        r.iter().map(|c| c.address.clone()).collect::<Vec<_>>()
    };
    assert_eq!(addresses(&a), addresses(&b));
    assert_eq!(
        addresses(&a),
        [
            "dana@corp.com",
            "kim@corp.com",
            "annb@gmail.com",
            "lee@corp.com"
        ]
    );
    assert_same_records(&a, &b);
    // Its markers keep the live consumer from counting the same events again.
    for event in &events {
        let counted = store
            .count(event, &message_key(event).1, now())
            .await
            .unwrap();
        assert!(matches!(counted, Counted::Before(_)), "{counted:?}");
    }

    // A line that is not an event stops the rebuild before anything is written, naming it.
    std::fs::write(&path, format!("{}\n{{\"event_type\": 1}}\n", lines[0])).unwrap();
    let other = unique("rebuild-bad");
    let out = rebuild(&["--source", source, "--user", &other, "--restart"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("line 2"),
        "{stderr}"
    );
    assert!(
        store.top(&other, 10).await.unwrap().is_empty(),
        "nothing written"
    );
}

#[tokio::test]
async fn rebuild_from_a_subscription_counts_each_event_once_and_acks_them() {
    use officectl::model::claim_check::ClaimCheckConfig;
    use officectl::model::envelope::plan_message;
    use officectl::model::idempotency::message_key;
    use officectl::pubsub::google::{GoogleAdmin, GooglePublisher, GoogleSubscriber};
    use officectl::pubsub::{
        Admin, BoundedPublisher, MessageSource, SubscriptionConfig, TopicConfig, names,
    };
    let store = store().await;
    let (live, rebuilt) = (unique("rebuild-sub-live"), unique("rebuild-sub"));
    for event in history(&live) {
        store
            .count(&event, &message_key(&event).1, now())
            .await
            .unwrap();
    }
    let project = unique("rebuild-project");
    let (topic, subscription) = (
        names::topic(&project, "history"),
        names::subscription(&project, "history-replay"),
    );
    let endpoint = crate::support::services().pubsub_endpoint();
    let admin = GoogleAdmin::connect(&endpoint).await.unwrap();
    admin
        .create_topic(&TopicConfig::named(&topic))
        .await
        .unwrap();
    admin
        .create_subscription(&SubscriptionConfig::new(&subscription, &topic))
        .await
        .unwrap();
    let publisher = BoundedPublisher::new(
        std::sync::Arc::new(GooglePublisher::connect(&endpoint).await.unwrap()),
        10,
    );
    // Every event, and the second one twice (a dual-published copy).
    let mut events = history(&rebuilt);
    events.insert(2, events[1].clone());
    for event in events {
        let planned = plan_message(event, &ClaimCheckConfig::default()).unwrap();
        publisher
            .publish(&topic, planned.message)
            .await
            .await
            .unwrap();
    }
    let out = crate::support::officectl_with_services()
        .env("OFFICECTL_PROJECT", &project)
        .args([
            "contacts",
            "rebuild",
            "--no-push",
            "--source",
            "pubsub:history-replay",
        ])
        .args(["--user", &rebuilt, "--idle-timeout", "2s", "-o", "json"])
        .output()
        .unwrap();
    let report = crate::support::report_of(&out);
    assert_eq!(report["events"], 10, "{report}");
    assert_eq!(report["duplicates"], 1, "{report}");
    let (a, b) = (
        store.top(&live, 100).await.unwrap(),
        store.top(&rebuilt, 100).await.unwrap(),
    );
    assert_same_records(&a, &b);
    // Everything was acknowledged: nothing is left on the subscription.
    let subscriber = GoogleSubscriber::connect(&endpoint, 100).await.unwrap();
    let mut stream = subscriber.subscribe(&subscription);
    let left = officectl::pubsub::receive(stream.as_mut(), 100, std::time::Duration::from_secs(2))
        .await
        .unwrap();
    assert!(left.is_empty(), "{} messages left", left.len());
}
