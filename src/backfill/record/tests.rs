//! The record parsers against the model's validator: the fast path accepts only what it accepts.
use super::*;

pub(crate) fn record_json(user: &str, id: &str) -> String {
    serde_json::json!({
        "user_id": user, "provider": "google",
        "provider_message_id": id, "thread_id": "t1", "subject": "Grüße 👋",
        "from": {"email": "a@example.com"}, "to": [{"email": "b@example.com"}],
        "body": {"mime_type": "text/plain", "content": "hello"},
        "received_at": "2024-03-01T10:00:00Z"
    })
    .to_string()
}

#[test]
fn a_record_parses_with_updated_at_defaulted() {
    let records = parse(record_json("u1", "m1").as_bytes()).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].user_id, "u1");
    assert_eq!(records[0].email.updated_at, records[0].email.received_at);
    assert_eq!(records[0].email.subject, "Grüße 👋");
}

#[test]
fn record_problems_have_record_paths() {
    let bad = r#"{"provider":"yahoo","provider_message_id":"m","thread_id":"t","subject":"","from":{"email":"x"},"to":[],"received_at":"yesterday","colour":1}"#;
    let problems = parse(bad.as_bytes()).unwrap_err();
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"$.user_id"), "{problems:?}");
    assert!(paths.contains(&"$.received_at"), "{problems:?}");
    assert!(paths.contains(&"$.colour"), "{problems:?}");
    assert!(paths.iter().all(|p| !p.contains("emails")), "{problems:?}");
}

#[test]
fn a_legacy_event_yields_one_record_per_email() {
    let legacy = serde_json::json!({
        "user_id": "u2", "provider": "gmail",
        "emails": [
            {"message_id": "a", "thread_id": "t", "from": "A <a@example.com>", "to": ["b@example.com"], "received_at": "2024-01-01T00:00:00Z"},
            {"message_id": "b", "thread_id": "t", "from": "a@example.com", "to": ["b@example.com"], "received_at": "2024-01-02T00:00:00Z", "updated_at": "2024-01-03T00:00:00Z"}
        ]
    });
    let records = parse(legacy.to_string().as_bytes()).unwrap();
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(|r| r.user_id == "u2"));
    assert_eq!(records[0].provider, Provider::Google);
    assert!(records[1].email.updated_at > records[1].email.received_at);
}

/// The fast path accepts only what the full validator accepts, and reads it the same way.
#[test]
fn the_fast_path_agrees_with_the_validator() {
    let base: Value = serde_json::from_str(&record_json("u1", "m1")).unwrap();
    let variants: Vec<(&str, Value)> = vec![
        ("user_id", Value::String(String::new())),
        ("user_id", Value::String("u".repeat(257))),
        ("provider", Value::String("yahoo".into())),
        ("provider_message_id", Value::String(String::new())),
        ("thread_id", Value::String("t".repeat(513))),
        ("subject", Value::Null),
        ("from", serde_json::json!({"email": "no-at-sign"})),
        ("from", serde_json::json!({"email": "@x"})),
        ("from", serde_json::json!({"email": "a@b", "extra": 1})),
        ("to", serde_json::json!([])),
        ("cc", serde_json::json!([{"email": "a@"}])),
        ("body", Value::Null),
        (
            "body",
            serde_json::json!({"mime_type": "text/rtf", "content": "x"}),
        ),
        (
            "payload_ref",
            serde_json::json!({"key": "k", "size_bytes": 1, "sha256": "0".repeat(64)}),
        ),
        (
            "attachments",
            serde_json::json!([{"attachment_id": "", "filename": "f", "mime_type": "m", "size_bytes": 1}]),
        ),
        (
            "attachments",
            serde_json::json!([{"attachment_id": "a", "filename": "f", "mime_type": "m", "size_bytes": -1}]),
        ),
        ("received_at", Value::String("2024-03-01 10:00:00Z".into())),
        (
            "received_at",
            Value::String("2024-03-01T10:00:00+02:00".into()),
        ),
        ("updated_at", Value::String("2024-03-02T10:00:00Z".into())),
        ("updated_at", Value::Null),
        ("labels", serde_json::json!(["INBOX", 3])),
        ("is_read", Value::String("yes".into())),
        ("snippet", Value::Null),
        ("internet_message_id", Value::String("<x@y>".into())),
        (
            "subject",
            Value::String("quote \" slash \\ tab \t é \u{1F44B}".into()),
        ),
        (
            "from",
            serde_json::json!({"email": "a@example.com", "name": "O\"Brien, \u{e9}"}),
        ),
        (
            "to",
            serde_json::json!([{"email": "b@example.com"}, {"email": "c@example.com", "name": "C"}]),
        ),
        ("reply_to", serde_json::json!([{"email": "r@example.com"}])),
        ("labels", serde_json::json!(["INBOX", "with \"quote\""])),
        ("snippet", Value::String("snip\npet".into())),
        ("is_starred", Value::Bool(true)),
        (
            "received_at",
            Value::String("2024-03-01T10:00:00.123456+00:00".into()),
        ),
        ("received_at", Value::String("2024-03-01t10:00:00z".into())),
        ("received_at", Value::String("2016-12-31T23:59:60Z".into())),
        (
            "received_at",
            Value::String("2024-03-01T10:00:00.5Z".into()),
        ),
        (
            "updated_at",
            Value::String("2024-03-02T10:00:00-01:30".into()),
        ),
        (
            "attachments",
            serde_json::json!([{"attachment_id": "a", "filename": "f\"", "mime_type": "m", "size_bytes": 1}]),
        ),
        ("unknown", Value::Bool(true)),
    ];
    let mut cases = vec![base.clone()];
    for (field, value) in variants {
        let mut v = base.clone();
        v[field] = value;
        cases.push(v);
        let mut removed = base.clone();
        removed.as_object_mut().unwrap().remove(field);
        cases.push(removed);
    }
    let mut accepted = 0;
    for case in cases {
        let bytes = case.to_string();
        let fast = fast_record(bytes.as_bytes());
        let full = match case {
            Value::Object(object) => parse_record(object),
            _ => unreachable!(),
        };
        match (fast, full) {
            (Some(fast), Ok(full)) => {
                assert!(fast.to_record() == full, "{bytes}");
                let encoded = fast.encoded().unwrap();
                assert_eq!(
                    encoded.json,
                    serde_json::to_string(&full.email).unwrap(),
                    "{bytes}"
                );
                accepted += 1;
            }
            (Some(_), Err(problems)) => {
                panic!("fast path accepted what the validator refuses: {bytes}: {problems:?}")
            }
            (None, _) => {}
        }
    }
    assert!(
        accepted >= 10,
        "the fast path must actually be taken ({accepted})"
    );
}

#[test]
fn other_event_types_are_refused() {
    let todo = std::fs::read_to_string(format!(
        "{}/tests/fixtures/events/valid/todo.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut value: Value = serde_json::from_str(&todo).unwrap();
    value["emails"] = Value::Array(vec![]);
    assert!(parse(value.to_string().as_bytes()).is_err());
    assert!(parse(b"[1]").is_err());
    assert!(parse(b"{not json").is_err());
}
