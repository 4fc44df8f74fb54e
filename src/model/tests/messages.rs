//! Envelope and claim check: events as messages and back, parked payloads, size limits.

use super::*;

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
