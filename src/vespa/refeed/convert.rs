//! Events → feed operations for a re-feed: decode (new or legacy shapes, as the consumers do),
//! select by user and type, fetch parked payloads, then the model's factory
//! ([`crate::model::vespa::from_event`]): a put per item, a remove per item of a `delete`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::value::RawValue;

use super::Filter;
use crate::model::claim_check::{self, ClaimCheckConfig};
use crate::model::envelope;
use crate::model::event::Event;
use crate::model::store::KeyValueStore;
use crate::model::vespa::docid;
use crate::model::vespa::factory::{FeedOperation, Skipped, VespaDocument, from_event, skipped_of};
use crate::vespa::feed::{OpKind, Operation};

/// What became of one event.
#[derive(Debug)]
pub enum Converted {
    /// Operations to feed (possibly none, e.g. an e-mail batch without e-mails).
    Ops(Vec<Operation>),
    /// Not selected by `--user`/`--type`.
    Filtered,
    /// An event type this build does not know (a newer producer): nothing to feed.
    UnknownType(String),
    /// Not a valid event; never feedable.
    Invalid(String),
    /// A valid event that cannot be fed now (a parked payload is missing or cannot be read).
    Failed(String),
}

/// Turns events into operations.
pub struct EventConverter {
    pub filter: Filter,
    /// Where parked payloads are. Without a store, a claim-checked item's document indexes
    /// only its snippet (as `officectl events` does offline).
    pub payloads: Option<(Arc<dyn KeyValueStore>, ClaimCheckConfig)>,
    /// Makes every operation conditional on its item's version ([`newer_wins`]): what a
    /// consumer that may see versions out of order needs.
    pub newer_wins: bool,
}

impl EventConverter {
    /// Converts one message body (with its Pub/Sub attributes; none for a file line).
    pub async fn convert(&self, data: &[u8], attributes: &BTreeMap<String, String>) -> Converted {
        match self.decode(data, attributes) {
            Ok(event) => self.operations(event).await,
            Err(not_fed) => not_fed,
        }
    }

    /// Decodes and selects one message body: the event, or why it is not fed (invalid, of an
    /// unknown type, or not selected).
    pub fn decode(
        &self,
        data: &[u8],
        attributes: &BTreeMap<String, String>,
    ) -> Result<Event, Converted> {
        let event = match envelope::decode_message(data, attributes) {
            Ok(decoded) => decoded.event,
            Err(err) => {
                return Err(match skipped_of(data, err) {
                    Skipped::UnknownEventType { event_type } => Converted::UnknownType(event_type),
                    Skipped::Invalid { problems } => Converted::Invalid(
                        problems
                            .iter()
                            .map(|p| format!("{}: {}", p.path, p.message))
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    Skipped::AttributeMismatch { message } => Converted::Invalid(message),
                });
            }
        };
        if !self
            .filter
            .matches(event.header().user_id, event.data_type())
        {
            return Err(Converted::Filtered);
        }
        Ok(event)
    }

    /// The operations of a decoded event: its parked payloads fetched, then the factory.
    pub async fn operations(&self, mut event: Event) -> Converted {
        if let Some((store, config)) = &self.payloads
            && claim_check::has_payload_refs(&event)
            && let Err(err) =
                claim_check::resolve_payloads(&mut event, store.as_ref(), config).await
        {
            return Converted::Failed(format!("claim check: {err}"));
        }
        let mut ops = Vec::new();
        for op in from_event(&event) {
            let version = if self.newer_wins { op.version() } else { None };
            match operation_of(op) {
                Ok(mut op) => {
                    if let Some(version) = version {
                        newer_wins(&mut op, version);
                    }
                    ops.push(op);
                }
                Err(message) => return Converted::Failed(message),
            }
        }
        Converted::Ops(ops)
    }
}

/// The feed operation of a model document.
pub fn put_of(doc: &VespaDocument) -> Result<Operation, String> {
    let fields =
        serde_json::to_string(&doc.fields).map_err(|e| format!("document `{}`: {e}", doc.id))?;
    Ok(Operation {
        kind: OpKind::Put,
        id: doc.id.clone(),
        condition: None,
        create: false,
        fields: Some(
            RawValue::from_string(fields).map_err(|e| format!("document `{}`: {e}", doc.id))?,
        ),
    })
}

/// The feed operation of a factory operation.
pub fn operation_of(op: FeedOperation) -> Result<Operation, String> {
    match op {
        FeedOperation::Put(doc) => put_of(&doc),
        FeedOperation::Remove { id, .. } => Ok(Operation {
            kind: OpKind::Remove,
            id: id.to_string(),
            condition: None,
            create: false,
            fields: None,
        }),
    }
}

/// Makes an operation conditional on its item's `version` being at least as new as the stored
/// document's `updated_at`, so a redelivered or late older event never overwrites a newer
/// document and a deletion of an older version never removes a newer one: the operation gets
/// 412, which the feed counts as settled. A put creates the document when there is none; a
/// document stored without `updated_at` loses to any version.
pub fn newer_wins(op: &mut Operation, version: i64) {
    let Some(parts) = docid::split(&op.id) else {
        return;
    };
    let field = format!("{}.updated_at", parts.doc_type);
    op.condition = Some(format!("{field} == null or {field} <= {version}"));
    op.create = op.kind == OpKind::Put;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::DataType;
    use crate::model::store::MemoryStore;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/fixtures/events/valid/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    fn converter(filter: Filter) -> EventConverter {
        EventConverter {
            filter,
            payloads: None,
            newer_wins: false,
        }
    }

    #[tokio::test]
    async fn events_become_puts_and_deletes_removes() {
        let c = converter(Filter::default());
        let Converted::Ops(ops) = c.convert(&fixture("email"), &BTreeMap::new()).await else {
            panic!("ops expected")
        };
        assert_eq!(ops.len(), 2);
        assert!(ops.iter().all(|o| o.kind == OpKind::Put));
        assert_eq!(ops[0].id, "id:office:email:g=user-42:18f2a1b2c3d4e5f6");
        let Converted::Ops(ops) = c.convert(&fixture("email_delete"), &BTreeMap::new()).await
        else {
            panic!("ops expected")
        };
        assert!(
            ops.iter()
                .all(|o| o.kind == OpKind::Remove && o.fields.is_none())
        );
    }

    #[tokio::test]
    async fn users_and_types_not_selected_are_filtered() {
        let mut filter = Filter::default();
        filter.users.insert("someone-else".into());
        let c = converter(filter);
        assert!(matches!(
            c.convert(&fixture("email"), &BTreeMap::new()).await,
            Converted::Filtered
        ));
        let mut filter = Filter::default();
        filter.types.insert(DataType::Calendar);
        let c = converter(filter);
        assert!(matches!(
            c.convert(&fixture("email"), &BTreeMap::new()).await,
            Converted::Filtered
        ));
        assert!(matches!(
            c.convert(&fixture("calendar"), &BTreeMap::new()).await,
            Converted::Ops(_)
        ));
    }

    #[tokio::test]
    async fn unknown_and_invalid_events_are_told_apart() {
        let c = converter(Filter::default());
        let unknown = br#"{"event_type":"HologramEvent","user_id":"u"}"#;
        assert!(matches!(
            c.convert(unknown, &BTreeMap::new()).await,
            Converted::UnknownType(t) if t == "HologramEvent"
        ));
        let Converted::Invalid(why) = c
            .convert(br#"{"event_type":"EmailEvent"}"#, &BTreeMap::new())
            .await
        else {
            panic!("invalid expected")
        };
        assert!(why.contains("$"), "{why}");
        assert!(matches!(
            c.convert(b"not json", &BTreeMap::new()).await,
            Converted::Invalid(_)
        ));
    }

    #[tokio::test]
    async fn a_missing_parked_payload_fails_the_event_naming_the_key() {
        let mut event: serde_json::Value = serde_json::from_slice(&fixture("email")).unwrap();
        let email = event["emails"][0].as_object_mut().unwrap();
        email.remove("body");
        email.insert(
            "payload_ref".into(),
            serde_json::json!({
                "key": "office:user-42:email:18f2a1b2c3d4e5f6",
                "sha256": "0".repeat(64),
                "size_bytes": 10
            }),
        );
        let data = serde_json::to_vec(&event).unwrap();
        let store: Arc<dyn KeyValueStore> = Arc::new(MemoryStore::new());
        let c = EventConverter {
            filter: Filter::default(),
            payloads: Some((store, ClaimCheckConfig::default())),
            newer_wins: false,
        };
        match c.convert(&data, &BTreeMap::new()).await {
            Converted::Failed(why) => {
                assert!(
                    why.contains("office:user-42:email:18f2a1b2c3d4e5f6"),
                    "{why}"
                )
            }
            Converted::Invalid(why) => panic!("the fixture's ref shape is wrong: {why}"),
            other => panic!("failed expected: {other:?}"),
        }
    }

    #[tokio::test]
    async fn with_newer_wins_puts_and_removes_are_conditional_on_the_item_version() {
        let c = EventConverter {
            newer_wins: true,
            ..converter(Filter::default())
        };
        let Converted::Ops(ops) = c.convert(&fixture("calendar"), &BTreeMap::new()).await else {
            panic!("ops expected")
        };
        let put = &ops[0];
        assert!(put.create, "{put:?}");
        let condition = put.condition.as_deref().unwrap();
        assert!(
            condition.starts_with("calendar.updated_at == null or calendar.updated_at <= "),
            "{condition}"
        );
        let Converted::Ops(ops) = c.convert(&fixture("email_delete"), &BTreeMap::new()).await
        else {
            panic!("ops expected")
        };
        // The deletion carries no `updated_at`: its `occurred_at` (2024-05-01T10:00:00Z) is the
        // version, and a remove never creates.
        assert_eq!(
            ops[0].condition.as_deref(),
            Some("email.updated_at == null or email.updated_at <= 1714557600")
        );
        assert!(!ops[0].create);
        let plain = converter(Filter::default());
        let Converted::Ops(ops) = plain
            .convert(&fixture("email_delete"), &BTreeMap::new())
            .await
        else {
            panic!("ops expected")
        };
        assert_eq!(ops[0].condition, None);
    }
}
