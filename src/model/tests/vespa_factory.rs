//! The Vespa factory: feed operations built from events and messages.

use super::*;

fn check_types(doc: &crate::model::vespa::VespaDocument) {
    for (name, value) in &doc.fields {
        let spec = field_spec(doc.data_type, name)
            .unwrap_or_else(|| panic!("{}: `{name}` not in schema", doc.data_type));
        let ok = match spec.ty {
            FieldType::Str => value.is_string(),
            FieldType::Long => value.is_i64() || value.is_u64(),
            FieldType::Bool => value.is_boolean(),
            FieldType::Double => value.as_f64().is_some_and(f64::is_finite),
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
