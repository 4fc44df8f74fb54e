//! `officectl search` against the Vespa double: one query finds a user's emails and calendar
//! events, and nothing of another user's.

use crate::support;
use serde_json::{Value, json};

fn feed(dir: &tempfile::TempDir, lines: &[Value]) {
    let path = dir.path().join("docs.jsonl");
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, text).expect("write feed");
    let out = support::officectl_with_services()
        .args(["vespa", "feed", "-q"])
        .arg(&path)
        .output()
        .expect("run officectl");
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
}

/// Writes `events` to `path` as NDJSON and re-feeds them (`reindex --source`): the factory
/// builds the documents.
fn refeed(path: &std::path::Path, events: &[Value]) {
    let text: String = events.iter().map(|e| format!("{e}\n")).collect();
    std::fs::write(path, text).expect("write events");
    let out = support::officectl_with_services()
        .args(["reindex", "-q", "--source"])
        .arg(path)
        .output()
        .expect("run officectl");
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
}

#[test]
fn search_finds_one_users_emails_and_events_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let alice = support::unique("search-alice");
    let bob = support::unique("search-bob");
    let word = format!("zebra{}", std::process::id());
    let doc = |t: &str, user: &str, id: &str, title: &str| {
        json!({"put": format!("id:office:{t}:g={user}:{id}"),
               "fields": {"user_id": user, "doc_type": t, "title": title, "text": "notes"}})
    };
    feed(
        &dir,
        &[
            doc("email", &alice, "m1", &format!("{word} budget review")),
            doc(
                "calendar",
                &alice,
                "c1",
                &format!("{word} planning meeting"),
            ),
            doc("email", &alice, "m2", "unrelated lunch"),
            doc("email", &bob, "m1", &format!("{word} bob's mail")),
            doc("calendar", &bob, "c1", &format!("{word} bob's meeting")),
        ],
    );

    let out = support::officectl_with_services()
        .args(["search", &word, "--user", &alice, "-o", "json"])
        .output()
        .expect("run officectl");
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let result: Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut found: Vec<(String, String)> = result["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["doc_type"].as_str().unwrap().to_string(),
                h["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                "calendar".to_string(),
                format!("id:office:calendar:g={alice}:c1")
            ),
            ("email".to_string(), format!("id:office:email:g={alice}:m1")),
        ],
        "{result}"
    );
    assert_eq!(result["total_count"], 2);
    for hit in result["hits"].as_array().unwrap() {
        assert!(hit["relevance"].as_f64().unwrap() > 0.0, "{hit}");
        assert!(hit["title"].as_str().unwrap().contains(&word), "{hit}");
    }

    // --type narrows to one type; the table shows type, title and relevance.
    let out = support::officectl_with_services()
        .args(["search", &word, "--user", &alice, "--type", "calendar"])
        .output()
        .expect("run officectl");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    assert!(
        text.contains("TYPE") && text.contains("RELEVANCE"),
        "{text}"
    );
    assert!(text.contains("planning meeting"), "{text}");
    assert!(!text.contains("budget review"), "{text}");
    assert!(!text.contains("bob"), "{text}");
}

#[test]
fn search_errors_name_the_problem() {
    let out = support::officectl_with_services()
        .args(["search", "x", "--user", "nobody", "--type", "no_such_type"])
        .output()
        .expect("run officectl");
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    assert!(
        transcript.contains("search for `x` of user `nobody`")
            && transcript.contains("search failed with status 400")
            && transcript.contains("no_such_type"),
        "{transcript}"
    );
}

/// Unified search over documents the factory built: one event of each of the nine types for
/// one user (the shipped samples, re-keyed), plus another user's documents with the same words.
#[test]
fn one_query_finds_every_type_the_factory_built_for_one_user_and_nothing_of_another() {
    let dir = tempfile::tempdir().expect("tempdir");
    let alice = support::unique("unified-alice");
    let bob = support::unique("unified-bob");
    let word = format!("walrus{}", std::process::id());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut events: Vec<Value> = Vec::new();
    for sample in [
        "samples/office-events.ndjson",
        "samples/email-events.ndjson",
    ] {
        let text = std::fs::read_to_string(root.join(sample)).expect("samples");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let replaced = line.replace("quarterly", &word).replace("Quarterly", &word);
            let mut event: Value = serde_json::from_str(&replaced).expect("sample JSON");
            let owner = if event["user_id"] == "user-42" {
                &alice
            } else {
                &bob
            };
            event["user_id"] = Value::from(owner.as_str());
            events.push(event);
        }
    }
    // Bob gets a copy of every one of Alice's events, so each type has a rival hit.
    let rivals: Vec<Value> = events
        .iter()
        .filter(|e| e["user_id"] == alice.as_str())
        .map(|e| {
            let mut e = e.clone();
            e["user_id"] = Value::from(bob.as_str());
            e
        })
        .collect();
    events.extend(rivals);
    refeed(&dir.path().join("events.ndjson"), &events);

    let out = support::officectl_with_services()
        .args([
            "search", &word, "--user", &alice, "--hits", "50", "-o", "json",
        ])
        .output()
        .expect("run officectl");
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let result: Value = serde_json::from_slice(&out.stdout).expect("json");
    let hits = result["hits"].as_array().expect("hits");
    let types: std::collections::BTreeSet<&str> = hits
        .iter()
        .map(|h| h["doc_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types.into_iter().collect::<Vec<_>>(),
        [
            "booking",
            "calendar",
            "contact",
            "email",
            "llm_chat",
            "meeting_poll",
            "office_document",
            "shipment",
            "todo"
        ],
        "{result}"
    );
    assert!(
        hits.iter()
            .all(|h| h["id"].as_str().unwrap().contains(&format!("g={alice}:"))),
        "another user's document was found: {result}"
    );
}

/// The `office` profile ranks a title match above more matches in the text
/// (`2 * nativeRank(title) + nativeRank(text)`); plain term counting would do the opposite. A
/// profile a type does not define is refused, as Vespa refuses it.
#[test]
fn hits_rank_by_the_office_profile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let user = support::unique("rank-user");
    let word = format!("okapi{}", std::process::id());
    let doc = |id: &str, title: &str, text: &str| {
        json!({"put": format!("id:office:email:g={user}:{id}"),
               "fields": {"user_id": user, "doc_type": "email", "title": title, "text": text}})
    };
    feed(
        &dir,
        &[
            doc("in-title", &format!("{word} plan"), "notes"),
            doc("in-text", "notes", &format!("{word} {word} {word} again")),
        ],
    );
    let search = |extra: &[&str]| {
        support::officectl_with_services()
            .args(["search", &word, "--user", &user, "-o", "json"])
            .args(extra)
            .output()
            .expect("run officectl")
    };
    let out = search(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let result: Value = serde_json::from_slice(&out.stdout).expect("json");
    let order: Vec<&str> = result["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().unwrap().rsplit(':').next().unwrap())
        .collect();
    assert_eq!(order, ["in-title", "in-text"], "{result}");
    let relevance = |i: usize| result["hits"][i]["relevance"].as_f64().unwrap();
    // 2 * 1/2 for the title; the text's three occurrences give 3/4.
    assert!((relevance(0) - 1.0).abs() < 1e-9, "{result}");
    assert!((relevance(1) - 0.75).abs() < 1e-9, "{result}");

    let out = search(&["--ranking", "no-such-profile"]);
    assert_eq!(out.status.code(), Some(1), "{}", support::transcript(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no-such-profile"),
        "{}",
        support::transcript(&out)
    );
}

/// Discovered contacts carry contact discovery's relevance, and the contact schema's `office`
/// profile ranks by it: of two contacts named Dana matching alike, the frequent, recent one comes
/// first, whatever the feed order. Built from `ContactEvent`s by the factory (`reindex --source`).
#[test]
fn discovered_contacts_rank_by_relevance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let user = support::unique("contacts-rank");
    let contact = |id: &str, address: &str, relevance: Option<f64>, source: Option<&str>| {
        let mut c = json!({
            "provider_contact_id": id, "display_name": "Dana",
            "emails": [{"value": address}], "updated_at": "2026-06-01T10:00:00Z",
        });
        if let Some(r) = relevance {
            c["relevance"] = json!(r);
        }
        if let Some(s) = source {
            c["source"] = json!(s);
        }
        json!({
            "event_type": "ContactEvent", "event_id": format!("evt-{id}"), "schema_version": 1,
            "user_id": user, "provider": "google", "sync_type": "real_time",
            "operation": "update", "correlation_id": "c", "occurred_at": "2026-06-01T10:00:00Z",
            "contact": c,
        })
    };
    let events = [
        contact(
            "discovered:old",
            "dana.old@corp.com",
            Some(0.2),
            Some("discovery"),
        ),
        contact(
            "discovered:new",
            "dana.new@corp.com",
            Some(14.5),
            Some("discovery"),
        ),
        contact("book-1", "dana.book@corp.com", None, None),
    ];
    refeed(&dir.path().join("contacts.ndjson"), &events);

    let out = support::officectl_with_services()
        .args([
            "search", "Dana", "--user", &user, "--type", "contact", "-o", "json",
        ])
        .output()
        .expect("run officectl");
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let result: Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<&str> = result["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let order: Vec<&str> = ids
        .iter()
        .map(|id| id.rsplit(':').next().unwrap())
        .collect();
    assert_eq!(
        order,
        ["discovered%3Anew", "discovered%3Aold", "book-1"],
        "{result}"
    );
}
