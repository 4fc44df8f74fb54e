//! Tests across the model: golden fixtures (`tests/fixtures/events`), legacy upcasts, envelope and
//! claim-check round trips, property tests over generated events, and a fuzz loop over arbitrary
//! bytes. Goldens are rewritten with `OFFICECTL_UPDATE_SNAPSHOTS=1`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::model::catalog::DataType;
use crate::model::claim_check::{self, ClaimCheckConfig, ClaimCheckError};
use crate::model::envelope::{self, attr};
use crate::model::event::Event;
use crate::model::idempotency::{self, Begin, Claim, DedupeConfig, DedupeStore, Strategy};
use crate::model::snapshot::UPDATE_SNAPSHOTS_ENV;
use crate::model::store::{KeyValueStore, MemoryStore};
use crate::model::validate::{SourceFormat, validate_bytes};
use crate::model::vespa::schema::{FieldType, field_spec};
use crate::model::vespa::{FeedOperation, Outcome, Skipped, from_event, from_message};

fn fixtures(dir: &str) -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events")
        .join(dir);
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().ends_with(".upcast.json")
        })
        .map(|p| {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            (name, p)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {}", root.display());
    out
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn valid(name: &str) -> Event {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events/valid")
        .join(format!("{name}.json"));
    match validate_bytes(&read(&path)) {
        Ok(v) => v.event,
        Err(p) => panic!("{name}: {p:?}"),
    }
}

/// Compares `actual` with the golden file, or rewrites it under `OFFICECTL_UPDATE_SNAPSHOTS=1`.
fn golden(path: &Path, actual: &str) {
    if std::env::var(UPDATE_SNAPSHOTS_ENV).is_ok_and(|v| v == "1") {
        std::fs::write(path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(expected, actual, "golden {} differs", path.display());
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(|rt| rt.block_on(f))
        .unwrap_or_else(|e| panic!("runtime: {e}"))
}

// --- golden fixtures ------------------------------------------------------------------------

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

// --- envelope and claim check -----------------------------------------------------------------

#[test]
fn attributes_carry_the_routing_facts() {
    let event = valid("email");
    let plan = envelope::plan_message(event, &ClaimCheckConfig::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let a = &plan.message.attributes;
    assert_eq!(
        a.get(attr::EVENT_TYPE).map(String::as_str),
        Some("EmailEvent")
    );
    assert_eq!(a.get(attr::SCHEMA_VERSION).map(String::as_str), Some("2"));
    assert_eq!(a.get(attr::USER_ID).map(String::as_str), Some("user-42"));
    assert_eq!(
        a.get(attr::SYNC_TYPE).map(String::as_str),
        Some("batch_sync")
    );
    assert_eq!(a.get(attr::OPERATION).map(String::as_str), Some("create"));
    assert_eq!(
        a.get(attr::BATCH_ID).map(String::as_str),
        Some("backfill-2024-05")
    );
    assert_eq!(
        a.get(attr::CORRELATION_ID).map(String::as_str),
        Some("corr-7")
    );
    assert_eq!(
        a.get(attr::IDEMPOTENCY_KEY).map(String::as_str),
        Some("batch:backfill-2024-05:corr-7")
    );
    assert!(!a.contains_key(attr::CLAIM_CHECK));
    assert_eq!(plan.topic, "emails");
    assert_eq!(plan.message.ordering_key.as_deref(), Some("user-42"));
    assert!(plan.parked.is_empty());

    let chat = envelope::plan_message(valid("llm_chat"), &ClaimCheckConfig::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!chat.message.attributes.contains_key(attr::PROVIDER));
    assert!(!chat.message.attributes.contains_key(attr::BATCH_ID));
}

#[test]
fn over_long_attribute_values_are_hashed() {
    let long = "x".repeat(2000);
    let bounded = envelope::bounded_attribute(&long);
    assert!(
        bounded.starts_with("sha256:") && bounded.len() == 71,
        "{bounded}"
    );
    assert_eq!(envelope::bounded_attribute("short"), "short");
}

#[test]
fn idempotency_strategies_follow_the_issue() {
    // Batch: batch_id + correlation_id.
    assert_eq!(idempotency::message_key(&valid("email")).0, Strategy::Batch);
    // Immutable: e-mail create outside a batch.
    let mut email = valid("email");
    if let Event::Email(e) = &mut email {
        e.sync_type = crate::model::fields::SyncType::RealTime;
        e.emails.truncate(1);
    }
    assert_eq!(
        idempotency::message_key(&email),
        (
            Strategy::Immutable,
            "imm:user-42:18f2a1b2c3d4e5f6".to_string()
        )
    );
    // Mutable: includes updated_at.
    let (strategy, key) = idempotency::message_key(&valid("calendar"));
    assert_eq!(strategy, Strategy::Mutable);
    assert_eq!(key, "mut:user-42:evt_9k2:2024-05-01T09%3A59%3A00Z");
}

#[test]
fn small_events_stay_inline_and_decode_back() {
    for name in [
        "email",
        "calendar",
        "contact",
        "document",
        "todo",
        "llm_chat",
        "shipment",
        "meeting_poll",
        "booking",
    ] {
        let event = valid(name);
        let plan = envelope::plan_message(event.clone(), &ClaimCheckConfig::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(plan.parked.is_empty(), "{name}");
        let decoded = envelope::decode_message(&plan.message.data, &plan.message.attributes)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(decoded.event, event, "{name}");
        assert!(!decoded.has_payload_refs);
    }
}

#[test]
fn big_bodies_are_parked_and_resolved() {
    let store = MemoryStore::new();
    let config = ClaimCheckConfig {
        threshold_bytes: 1024,
        ..ClaimCheckConfig::default()
    };
    let mut event = valid("email");
    if let Event::Email(e) = &mut event
        && let Some(body) = &mut e.emails[0].body
    {
        body.content = "ä/".repeat(5000);
    }
    let message = block(envelope::encode_message(event.clone(), &config, &store))
        .unwrap_or_else(|e| panic!("{e}"))
        .message;
    assert!(message.data.len() < 4096, "{}", message.data.len());
    assert_eq!(
        message
            .attributes
            .get(attr::CLAIM_CHECK)
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(store.len(), 1);
    assert_eq!(
        block(store.ttl("office:user-42:email:18f2a1b2c3d4e5f6")).ok(),
        Some(crate::model::store::KeyTtl::Expires(Duration::from_secs(
            7 * 86_400
        )))
    );

    let decoded = envelope::decode_message(&message.data, &message.attributes)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(decoded.has_payload_refs);
    let mut resolved = decoded.event;
    assert_ne!(resolved, event);
    let n = block(claim_check::resolve_payloads(
        &mut resolved,
        &store,
        &config,
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(n, 1);
    assert_eq!(resolved, event);

    // Expired: a typed error naming the key.
    let mut again = envelope::decode_message(&message.data, &message.attributes)
        .map(|d| d.event)
        .unwrap_or_else(|e| panic!("{e}"));
    store.advance(Duration::from_secs(7 * 86_400));
    match block(claim_check::resolve_payloads(&mut again, &store, &config)) {
        Err(ClaimCheckError::Missing { key, .. }) => {
            assert_eq!(key, "office:user-42:email:18f2a1b2c3d4e5f6")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn replaced_payloads_are_detected() {
    let store = MemoryStore::new();
    let config = ClaimCheckConfig {
        threshold_bytes: 64,
        ..ClaimCheckConfig::default()
    };
    let mut event = valid("document");
    if let Event::Document(d) = &mut event {
        d.document.content = Some("v1 ".repeat(100));
    }
    let message = block(envelope::encode_message(event.clone(), &config, &store))
        .unwrap_or_else(|e| panic!("{e}"))
        .message;
    block(store.set_ex(
        "office:user-42:document:1AbCdEf/Gh ij",
        b"\"v2\"",
        Duration::from_secs(60),
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let mut decoded = envelope::decode_message(&message.data, &message.attributes)
        .map(|d| d.event)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        block(claim_check::resolve_payloads(&mut decoded, &store, &config)),
        Err(ClaimCheckError::Mismatch { .. })
    ));
}

#[test]
fn many_medium_bodies_are_parked_until_the_message_fits() {
    let config = ClaimCheckConfig {
        threshold_bytes: 100_000,
        max_message_bytes: 50_000,
        ..ClaimCheckConfig::default()
    };
    let mut event = valid("email");
    if let Event::Email(e) = &mut event {
        let template = e.emails[0].clone();
        e.emails = (0..10)
            .map(|i| {
                let mut m = template.clone();
                m.provider_message_id = format!("m-{i}");
                m.body = Some(crate::model::fields::Body {
                    mime_type: crate::model::fields::BodyMime::Plain,
                    content: "b".repeat(9_000 + i),
                });
                m
            })
            .collect();
    }
    let plan = envelope::plan_message(event, &config).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        plan.message.size_bytes() <= 50_000,
        "{}",
        plan.message.size_bytes()
    );
    assert!(
        !plan.parked.is_empty() && plan.parked.len() < 10,
        "{}",
        plan.parked.len()
    );
    // Largest first.
    assert!(
        plan.parked[0].key.ends_with(":m-9"),
        "{}",
        plan.parked[0].key
    );
}

/// `plan_encoded_emails` builds exactly what `plan_message` builds: on its fast path (small
/// batch), when parking is needed (large bodies), and for events keyed by their e-mails.
#[test]
fn pre_encoded_emails_plan_the_same_message() {
    use crate::model::fields::{Body, BodyMime, Operation, SyncType};
    let Event::Email(template) = valid("email") else {
        panic!("email fixture is not an e-mail event")
    };
    let with = |sync: SyncType, bodies: usize| {
        let mut e = template.clone();
        e.sync_type = sync;
        e.operation = Operation::Create;
        e.batch_id = (sync == SyncType::BatchSync).then(|| "bf-0123".to_string());
        e.correlation_id = "corr \"quoted\" ✓".into();
        e.emails = (0..5)
            .map(|i| {
                let mut m = template.emails[0].clone();
                m.provider_message_id = format!("m-{i}");
                m.subject = format!("Grüße \u{1F44B} \"{i}\"\n\t<b>");
                m.body = Some(Body {
                    mime_type: BodyMime::Plain,
                    content: "ü".repeat(bodies + i),
                });
                m
            })
            .collect();
        e
    };
    let config = ClaimCheckConfig {
        threshold_bytes: 4_000,
        ..ClaimCheckConfig::default()
    };
    for (sync, bodies) in [
        (SyncType::BatchSync, 10),
        (SyncType::BatchSync, 3_000),
        (SyncType::RealTime, 10),
    ] {
        let event = with(sync, bodies);
        let expected = envelope::plan_message(Event::Email(event.clone()), &config)
            .unwrap_or_else(|e| panic!("{e}"));
        let json: Vec<String> = event
            .emails
            .iter()
            .map(|m| serde_json::to_string(m).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        let refs: Vec<&str> = json.iter().map(String::as_str).collect();
        let mut header = event;
        header.emails.clear();
        let actual =
            envelope::plan_encoded_emails(header, &refs, &config).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(actual, expected, "{sync:?} with bodies of {bodies}");
        assert_eq!(actual.parked.is_empty(), bodies < 1_000, "{sync:?}");
    }
}

#[test]
fn events_without_parkable_fields_that_are_too_big_fail_typed() {
    let config = ClaimCheckConfig {
        threshold_bytes: 1_000,
        max_message_bytes: 2_000,
        ..ClaimCheckConfig::default()
    };
    let mut event = valid("calendar");
    if let Event::Calendar(c) = &mut event {
        c.entry.description = Some("d".repeat(5_000));
    }
    assert!(matches!(
        envelope::plan_message(event, &config),
        Err(ClaimCheckError::TooLarge { .. })
    ));
}

#[test]
fn claim_check_config_is_strict_and_bounded() {
    let parsed: Result<ClaimCheckConfig, _> =
        serde_yaml::from_str("threshold_bytes: 1000\nttl:\n  email: 2d\n");
    let parsed = parsed.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.ttl.email, Duration::from_secs(2 * 86_400));
    assert_eq!(parsed.ttl.contact, Duration::from_secs(7 * 86_400));
    assert!(parsed.validate().is_ok());
    assert!(serde_yaml::from_str::<ClaimCheckConfig>("ttl:\n  emails: 2d\n").is_err());
    assert!(serde_yaml::from_str::<ClaimCheckConfig>("treshold_bytes: 1\n").is_err());
    let too_big = ClaimCheckConfig {
        max_message_bytes: 10_000_000,
        ..ClaimCheckConfig::default()
    };
    assert!(too_big.validate().is_err());
    assert!(ClaimCheckConfig::default().validate().is_ok());
}

// --- dedupe -------------------------------------------------------------------------------------

#[test]
fn dedupe_claims_new_and_duplicates_in_one_round_trip() {
    block(async {
        let store = MemoryStore::new();
        let dedupe = DedupeStore::new(store.clone(), "vespa-loader", DedupeConfig::default());
        let keys = vec!["imm:u:1".to_string(), "imm:u:2".to_string()];
        let first = dedupe.claim(DataType::Email, &keys).await.ok();
        assert_eq!(first, Some(vec![Claim::New, Claim::New]));
        let calls = store.calls();
        let more = vec!["imm:u:2".to_string(), "imm:u:3".to_string()];
        let second = dedupe.claim(DataType::Email, &more).await.ok();
        assert_eq!(second, Some(vec![Claim::Duplicate, Claim::New]));
        assert_eq!(store.calls(), calls + 1);
        // Another consumer dedupes on its own.
        let other = DedupeStore::new(store.clone(), "shipments", DedupeConfig::default());
        assert_eq!(
            other.claim(DataType::Email, &keys).await.ok(),
            Some(vec![Claim::New, Claim::New])
        );
        // Keys expire with the data type's TTL.
        store.advance(Duration::from_secs(7 * 86_400));
        assert_eq!(
            dedupe.claim(DataType::Email, &keys).await.ok(),
            Some(vec![Claim::New, Claim::New])
        );
    });
}

#[test]
fn two_step_dedupe_survives_a_crash_between_claim_and_side_effect() {
    block(async {
        let store = MemoryStore::new();
        let config = DedupeConfig {
            in_progress_ttl: Duration::from_secs(30),
            ..DedupeConfig::default()
        };
        let dedupe = DedupeStore::new(store.clone(), "vespa-loader", config);
        let keys = vec!["mut:u:1:t".to_string()];
        assert_eq!(
            dedupe.begin(DataType::Calendar, &keys).await.ok(),
            Some(vec![Begin::Claimed])
        );
        // A redelivery while the first is working waits.
        assert_eq!(
            dedupe.begin(DataType::Calendar, &keys).await.ok(),
            Some(vec![Begin::InProgress])
        );
        // The first consumer crashes: no `complete`. After the short TTL the event is claimable.
        store.advance(Duration::from_secs(30));
        assert_eq!(
            dedupe.begin(DataType::Calendar, &keys).await.ok(),
            Some(vec![Begin::Claimed])
        );
        assert!(dedupe.complete(DataType::Calendar, &keys).await.is_ok());
        assert_eq!(
            dedupe.begin(DataType::Calendar, &keys).await.ok(),
            Some(vec![Begin::AlreadyDone])
        );
        // A failed side effect releases at once.
        let other = vec!["mut:u:2:t".to_string()];
        assert_eq!(
            dedupe.begin(DataType::Calendar, &other).await.ok(),
            Some(vec![Begin::Claimed])
        );
        assert!(dedupe.release(DataType::Calendar, &other).await.is_ok());
        assert_eq!(
            dedupe.begin(DataType::Calendar, &other).await.ok(),
            Some(vec![Begin::Claimed])
        );
    });
}

// --- Vespa factory ------------------------------------------------------------------------------

fn check_types(doc: &crate::model::vespa::VespaDocument) {
    for (name, value) in &doc.fields {
        let spec = field_spec(doc.data_type, name)
            .unwrap_or_else(|| panic!("{}: `{name}` not in schema", doc.data_type));
        let ok = match spec.ty {
            FieldType::Str => value.is_string(),
            FieldType::Long => value.is_i64() || value.is_u64(),
            FieldType::Bool => value.is_boolean(),
            FieldType::ArrayStr => value
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string)),
        };
        assert!(
            ok,
            "{}: `{name}` = {value} is not {:?}",
            doc.data_type, spec.ty
        );
    }
}

#[test]
fn factory_makes_one_document_per_item_with_schema_fields_only() {
    for (name, path) in fixtures("valid") {
        let event = validate_bytes(&read(&path))
            .map(|v| v.event)
            .unwrap_or_else(|p| panic!("{p:?}"));
        let ops = from_event(&event);
        assert_eq!(ops.len(), event.items().len(), "{name}");
        for op in &ops {
            match op {
                FeedOperation::Put(doc) => {
                    check_types(doc);
                    assert_eq!(doc.fields.get("user_id"), Some(&Value::from("user-42")));
                    assert!(
                        doc.id.starts_with(&format!(
                            "id:office:{}:g=user-42:",
                            event.data_type().vespa_type()
                        )),
                        "{}",
                        doc.id
                    );
                }
                FeedOperation::Remove { id, .. } => assert_eq!(name, "email_delete", "{id}"),
            }
        }
    }
    let ops = from_event(&valid("email"));
    let FeedOperation::Put(reply) = &ops[1] else {
        panic!("{ops:?}")
    };
    assert_eq!(
        reply.fields.get("text"),
        Some(&Value::from("Looks good & done."))
    );
    let contact = from_event(&valid("contact"));
    let FeedOperation::Put(doc) = &contact[0] else {
        panic!("{contact:?}")
    };
    assert!(!doc.fields.contains_key("from_address"));
    let document = from_event(&valid("document"));
    let FeedOperation::Put(doc) = &document[0] else {
        panic!("{document:?}")
    };
    assert_eq!(
        doc.id,
        "id:office:office_document:g=user-42:1AbCdEf%2FGh%20ij"
    );
    assert_eq!(
        document[0].to_feed_json()["put"],
        Value::from("id:office:office_document:g=user-42:1AbCdEf%2FGh%20ij")
    );
}

#[test]
fn factory_skips_unknown_and_invalid_messages_with_a_typed_outcome() {
    let attrs: BTreeMap<String, String> =
        [("event_type".to_string(), "InvoiceEvent".to_string())].into();
    assert_eq!(
        from_message(b"{}", &attrs),
        Outcome::Skipped(Skipped::UnknownEventType {
            event_type: "InvoiceEvent".into()
        })
    );
    let body = br#"{"event_type":"InvoiceEvent","schema_version":1}"#;
    assert_eq!(
        from_message(body, &BTreeMap::new()),
        Outcome::Skipped(Skipped::UnknownEventType {
            event_type: "InvoiceEvent".into()
        })
    );
    assert!(matches!(
        from_message(b"\xff\x00", &BTreeMap::new()),
        Outcome::Skipped(Skipped::Invalid { .. })
    ));
    let plan = envelope::plan_message(valid("todo"), &ClaimCheckConfig::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut attrs = plan.message.attributes.clone();
    attrs.insert(attr::USER_ID.into(), "someone-else".into());
    assert!(matches!(
        from_message(&plan.message.data, &attrs),
        Outcome::Skipped(Skipped::AttributeMismatch { .. })
    ));
    assert!(
        matches!(from_message(&plan.message.data, &plan.message.attributes), Outcome::Feed(ops) if ops.len() == 1)
    );
}

// --- property tests and fuzzing ---------------------------------------------------------------

/// xorshift64*: a tiny deterministic PRNG, so failures reproduce from the printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn string(&mut self, max: usize) -> String {
        const ALPHABET: &[&str] = &[
            "a", "Z", "0", " ", "/", ":", "%", "\"", "\\", "é", "💡", "\n", "<", "&", "-",
        ];
        let len = 1 + self.below(max);
        (0..len)
            .map(|_| ALPHABET[self.below(ALPHABET.len())])
            .collect()
    }
}

/// Replaces every free-text string in a valid event with random text (ids and free text only;
/// enums, dates and e-mail addresses keep their shape).
fn scramble(value: &mut Value, rng: &mut Rng, key: &str) {
    match value {
        Value::String(s) => {
            let keep = matches!(
                key,
                "event_type"
                    | "sync_type"
                    | "operation"
                    | "provider"
                    | "mime_type"
                    | "status"
                    | "response"
                    | "role"
                    | "priority"
                    | "answer"
                    | "email"
                    | "participant_email"
                    | "country"
                    | "birthday"
                    | "option_id"
                    | "chosen_option_id"
                    | "sha256"
                    | "key"
            ) || key.ends_with("_at")
                || matches!(
                    key,
                    "start" | "end" | "at" | "deadline" | "estimated_delivery"
                );
            if !keep {
                *s = rng.string(40);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| scramble(v, rng, key)),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                scramble(v, rng, k);
            }
        }
        _ => {}
    }
}

#[test]
fn property_generated_events_round_trip_through_json_message_and_claim_check() {
    let names = [
        "email",
        "calendar",
        "contact",
        "document",
        "todo",
        "llm_chat",
        "shipment",
        "meeting_poll",
        "booking",
    ];
    let bases: Vec<Value> = names
        .iter()
        .map(|n| serde_json::to_value(valid(n)).unwrap_or_default())
        .collect();
    let seed = 0x5eed_0001_u64;
    let mut rng = Rng(seed);
    let store = MemoryStore::new();
    let config = ClaimCheckConfig {
        threshold_bytes: 200,
        ..ClaimCheckConfig::default()
    };
    for round in 0..300 {
        let mut value = bases[round % bases.len()].clone();
        scramble(&mut value, &mut rng, "");
        let event = match validate_bytes(value.to_string().as_bytes()) {
            Ok(v) => v.event,
            Err(p) => panic!("seed {seed} round {round}: generated event invalid: {p:?}"),
        };
        // JSON round trip.
        let json = event.to_json_vec().unwrap_or_default();
        assert_eq!(
            validate_bytes(&json).map(|v| v.event).ok().as_ref(),
            Some(&event),
            "round {round}"
        );
        // Message round trip, with whatever got parked resolved again.
        let message = block(envelope::encode_message(event.clone(), &config, &store))
            .unwrap_or_else(|e| panic!("round {round}: {e}"))
            .message;
        for (k, v) in &message.attributes {
            assert!(v.len() <= envelope::MAX_ATTRIBUTE_VALUE_BYTES, "{k}");
        }
        let decoded = envelope::decode_message(&message.data, &message.attributes)
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        let mut resolved = decoded.event;
        block(claim_check::resolve_payloads(
            &mut resolved,
            &store,
            &config,
        ))
        .unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(resolved, event, "round {round}");
        // Documents have stable ids.
        assert_eq!(from_event(&event), from_event(&resolved));
    }
}

#[test]
fn fuzz_parsers_never_panic_on_arbitrary_or_mutated_input() {
    let mut corpus: Vec<Vec<u8>> = Vec::new();
    for dir in ["valid", "invalid", "legacy"] {
        corpus.extend(fixtures(dir).into_iter().map(|(_, p)| read(&p)));
    }
    let mut rng = Rng(0xf022_5eed_1234_5678);
    let attrs_new: BTreeMap<String, String> =
        [("event_type".to_string(), "EmailEvent".to_string())].into();
    let attrs_legacy: BTreeMap<String, String> =
        [("event_type".to_string(), "EmailBackfillEvent".to_string())].into();
    let mut accepted = 0;
    for round in 0..6000 {
        let mut input = corpus[round % corpus.len()].clone();
        match round % 3 {
            // Arbitrary bytes.
            0 => {
                let len = rng.below(300);
                input = (0..len).map(|_| rng.next() as u8).collect();
            }
            // Byte flips in a valid document.
            1 => {
                for _ in 0..=rng.below(4) {
                    let i = rng.below(input.len());
                    input[i] = rng.next() as u8;
                }
            }
            // Truncation / splicing.
            _ => {
                let cut = rng.below(input.len());
                input.truncate(cut);
                let other = &corpus[rng.below(corpus.len())];
                let from = rng.below(other.len());
                input.extend_from_slice(&other[from..]);
            }
        }
        if validate_bytes(&input).is_ok() {
            accepted += 1;
        }
        let _ = envelope::decode_message(&input, &attrs_new);
        let _ = envelope::decode_message(&input, &attrs_legacy);
        let _ = from_message(&input, &BTreeMap::new());
        let _ = crate::model::validate::validate_ndjson_line(&String::from_utf8_lossy(&input));
    }
    // Mutations sometimes leave a document valid; the loop must have exercised both paths.
    assert!(accepted < 6000, "{accepted}");
}

/// A delete of `data_type` that carries nothing but the item's id.
fn bare_delete(data_type: DataType, updated_at: Option<&str>) -> Value {
    let info = data_type.info();
    let mut item = serde_json::json!({ info.id_field: format!("gone-{}", info.doc_type) });
    if let Some(t) = updated_at {
        item["updated_at"] = Value::from(t);
    }
    let mut event = serde_json::json!({
        "event_type": info.event_type,
        "event_id": "evt-delete-1",
        "schema_version": info.schema_version,
        "user_id": "user-42",
        "sync_type": "real_time",
        "operation": "delete",
        "correlation_id": "corr-del",
        "occurred_at": "2024-05-01T10:00:00Z",
    });
    if info.origin == crate::model::catalog::Origin::Provider {
        event["provider"] = Value::from("google");
    }
    event[info.items_field] = if data_type.batched() {
        Value::Array(vec![item])
    } else {
        item
    };
    event
}

#[test]
fn a_delete_of_every_type_needs_only_the_item_id() {
    for data_type in DataType::all() {
        let value = bare_delete(data_type, None);
        let event = match crate::model::validate::validate_value(value.clone()) {
            Ok(v) => v.event,
            Err(p) => panic!("{data_type}: {p:?}"),
        };
        assert_eq!(event.data_type(), data_type);
        assert_eq!(
            serde_json::to_value(&event).unwrap(),
            value,
            "{data_type} round-trips"
        );
        // The factory removes the document by id.
        let ops = from_event(&event);
        assert_eq!(ops.len(), 1, "{data_type}");
        assert!(
            matches!(&ops[0], FeedOperation::Remove { id, .. } if id.to_string().ends_with(&format!("gone-{}", data_type.doc_type()))),
            "{data_type}: {ops:?}"
        );
        // Without `updated_at`, the event's `occurred_at` versions the mutable key.
        let key = idempotency::item_keys(&event).remove(0);
        assert!(
            key.contains("2024-05-01T10%3A00%3A00Z"),
            "{data_type}: {key}"
        );
        let with = crate::model::validate::validate_value(bare_delete(
            data_type,
            Some("2024-04-30T08:00:00Z"),
        ))
        .unwrap()
        .event;
        let key = idempotency::item_keys(&with).remove(0);
        assert!(
            key.contains("2024-04-30T08%3A00%3A00Z"),
            "{data_type}: {key}"
        );
        // The envelope decodes it back.
        let plan = envelope::plan_message(event.clone(), &ClaimCheckConfig::default()).unwrap();
        let decoded =
            envelope::decode_message(&plan.message.data, &plan.message.attributes).unwrap();
        assert_eq!(decoded.event, event);
        assert_eq!(plan.message.attributes[attr::OPERATION], "delete");
    }
}

#[test]
fn a_delete_without_the_item_id_names_the_missing_field() {
    let mut value = bare_delete(DataType::Email, None);
    value["emails"][0] = serde_json::json!({ "thread_id": "t" });
    let problems = crate::model::validate::validate_value(value).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.path == "$.emails[0].provider_message_id"),
        "{problems:?}"
    );
    // A create still needs every field.
    let mut value = bare_delete(DataType::Calendar, None);
    value["operation"] = Value::from("create");
    let problems = crate::model::validate::validate_value(value).unwrap_err();
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"$.entry.title"), "{paths:?}");
    // An unknown field in a deleted item is still refused.
    let mut value = bare_delete(DataType::Todo, None);
    value["todo"]["colour"] = Value::from("red");
    assert!(crate::model::validate::validate_value(value).is_err());
}
