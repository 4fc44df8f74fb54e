//! Golden fixtures (`tests/fixtures/events`): valid, invalid and legacy events, and their upcasts.

use super::*;

#[test]
fn every_valid_fixture_validates_and_round_trips() {
    let mut types = std::collections::BTreeSet::new();
    for (name, path) in fixtures("valid") {
        let validated = validate_bytes(&read(&path)).unwrap_or_else(|p| panic!("{name}: {p:#?}"));
        assert_eq!(validated.source, SourceFormat::Current, "{name}");
        types.insert(validated.event.data_type());
        let json = validated.event.to_json_vec().unwrap_or_default();
        let again = validate_bytes(&json).unwrap_or_else(|p| panic!("{name} re-read: {p:#?}"));
        assert_eq!(again.event, validated.event, "{name}");
    }
    let all: std::collections::BTreeSet<_> = DataType::all().collect();
    assert_eq!(types, all, "a data type has no valid fixture");
}

#[test]
fn invalid_fixtures_report_every_problem_with_its_path() {
    for (name, path) in fixtures("invalid") {
        let problems = match validate_bytes(&read(&path)) {
            Ok(v) => panic!("{name} validated: {:?}", v.event),
            Err(p) => p,
        };
        assert!(!problems.is_empty(), "{name}");
        let text: String = problems.iter().map(|p| format!("{p}\n")).collect();
        golden(&path.with_extension("problems.txt"), &text);
    }
    // One invalid document carries many mistakes; all of them must be reported.
    let many = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events/invalid/email_many_problems.json");
    let problems = validate_bytes(&read(&many)).err().unwrap_or_default();
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    for expected in [
        "$.priority",
        "$.emails[0].from.email",
        "$.emails[1].thread_id",
        "$.emails[1].received_at",
        "$.batch_id",
        "$.emails[1].body.mime_type",
    ] {
        assert!(paths.contains(&expected), "{expected} not in {paths:?}");
    }
}

#[test]
fn legacy_fixtures_upcast_to_golden_email_events() {
    for (name, path) in fixtures("legacy") {
        let validated = validate_bytes(&read(&path)).unwrap_or_else(|p| panic!("{name}: {p:#?}"));
        assert_eq!(
            validated.source,
            SourceFormat::LegacyEmailBackfill,
            "{name}"
        );
        let Event::Email(email) = &validated.event else {
            panic!("{name}: not an EmailEvent");
        };
        assert_eq!(email.sync_type, crate::model::fields::SyncType::BatchSync);
        assert_eq!(email.operation, crate::model::fields::Operation::Create);
        assert!(email.batch_id.is_some());
        let pretty = serde_json::to_string_pretty(&validated.event).unwrap_or_default() + "\n";
        golden(&path.with_extension("upcast.json"), &pretty);
        // Upcasting the same input twice gives the same ids.
        let again = validate_bytes(&read(&path)).map(|v| v.event).ok();
        assert_eq!(again.as_ref(), Some(&validated.event), "{name}");
    }
}

#[test]
fn legacy_batch_id_is_derived_from_content_and_correlation_id_kept() {
    let base = serde_json::json!({"user_id": "u1", "provider": "google", "correlation_id": "c-1",
        "emails": [{"message_id": "m1", "thread_id": "t1", "from": "a@b.c", "to": ["d@e.f"],
                    "body": "x", "received_at": "2024-01-01T00:00:00Z"}]});
    let upcast = |v: &Value| match validate_bytes(v.to_string().as_bytes()) {
        Ok(validated) => match validated.event {
            Event::Email(e) => e,
            other => panic!("{other:?}"),
        },
        Err(p) => panic!("{p:?}"),
    };
    let a = upcast(&base);
    assert_eq!(a.correlation_id, "c-1");
    let batch = a.batch_id.clone().unwrap_or_default();
    assert!(batch.starts_with("legacy-") && batch.len() == 39, "{batch}");

    // Unknown fields and key order do not change the id; content does.
    let mut noisy = base.clone();
    noisy["producer"] = Value::from("old-sync 1.2");
    noisy["emails"][0]["x_header"] = Value::from(1);
    assert_eq!(upcast(&noisy).batch_id, a.batch_id);
    let mut changed = base.clone();
    changed["emails"][0]["body"] = Value::from("y");
    assert_ne!(upcast(&changed).batch_id, a.batch_id);
    // A batch id the producer gave is kept.
    let mut named = base.clone();
    named["backfill_id"] = Value::from("bf-1");
    assert_eq!(upcast(&named).batch_id.as_deref(), Some("bf-1"));
}

#[test]
fn unknown_fields_are_rejected_in_new_events_only() {
    let mut value: Value =
        serde_json::from_slice(&valid("email").to_json_vec().unwrap_or_default())
            .unwrap_or_default();
    value["emails"][0]["x_extra"] = Value::from(true);
    let problems = validate_bytes(value.to_string().as_bytes())
        .err()
        .unwrap_or_default();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "$.emails[0].x_extra");
    assert!(problems[0].message.contains("unknown field `x_extra`"));
}
