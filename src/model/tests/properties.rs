//! Property tests over generated events and a fuzz loop over arbitrary bytes.

use super::*;

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
