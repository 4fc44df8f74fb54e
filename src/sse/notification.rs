//! What a browser tab is told when a user's data changes: one small [`Notification`] per item
//! of an event (every e-mail of a batch, each deleted item of a deletion), saying which document
//! changed and how, never what it says: no subject, body or address ever goes to the stream, so
//! the stream holds nothing the page could not already fetch with the user's own rights.

use serde::{Deserialize, Serialize};

use crate::model::Event;

/// One changed document, as the page receives it in an SSE `data:` line (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    /// The data type (`email`, `calendar`, `todo`, `llm_chat`, ...).
    pub doc_type: String,
    /// The item's id at its provider or tool (the `doc_id` of keys and Vespa ids).
    pub doc_id: String,
    /// `create`, `update` or `delete`.
    pub operation: String,
    /// When the item last changed at its source (RFC 3339, milliseconds, UTC); for a deletion
    /// without `updated_at`, the event's `occurred_at`.
    pub updated_at: String,
}

/// The notifications of `event`: one per item, in the event's order.
pub fn notifications(event: &Event) -> Vec<Notification> {
    let doc_type = event.data_type().doc_type();
    let operation = event.header().operation.as_str();
    event
        .items()
        .into_iter()
        .map(|item| Notification {
            doc_type: doc_type.to_string(),
            doc_id: item.doc_id().to_string(),
            operation: operation.to_string(),
            updated_at: item
                .updated_at()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate::validate_value;

    fn event(fixture: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Event {
        let path = format!(
            "{}/tests/fixtures/events/valid/{fixture}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        edit(&mut value);
        match validate_value(value) {
            Ok(validated) => validated.event,
            Err(problems) => panic!("{problems:?}"),
        }
    }

    #[test]
    fn every_email_of_a_batch_is_one_notification_without_its_content() {
        let e = event("email", |v| {
            let mut second = v["emails"][0].clone();
            second["provider_message_id"] = "second-mail".into();
            v["emails"].as_array_mut().unwrap().push(second);
        });
        let n = notifications(&e);
        let Event::Email(mails) = &e else {
            unreachable!()
        };
        assert!(mails.emails.len() >= 2);
        assert_eq!(n.len(), mails.emails.len(), "{n:?}");
        assert!(n.iter().all(|n| n.doc_type == "email"));
        assert_eq!(n.last().unwrap().doc_id, "second-mail");
        let first = match &e {
            Event::Email(mail) => &mail.emails[0],
            _ => unreachable!(),
        };
        assert_eq!(n[0].doc_id, first.provider_message_id);
        assert_eq!(n[0].operation, e.header().operation.as_str());
        let json = serde_json::to_string(&n).unwrap();
        // Nothing of the mail but its id travels: no subject, body or address.
        assert!(!json.contains(&first.subject), "{json}");
        if let Some(body) = &first.body {
            assert!(!json.contains(&body.content), "{json}");
        }
        assert!(!json.contains('@'), "{json}");
        let keys: Vec<String> = serde_json::from_str::<Vec<serde_json::Map<_, _>>>(&json).unwrap()
            [0]
        .keys()
        .cloned()
        .collect();
        assert_eq!(keys, ["doc_id", "doc_type", "operation", "updated_at"]);
    }

    #[test]
    fn a_deletion_notifies_each_deleted_item_at_the_event_time() {
        let e = event("email_delete", |_| {});
        assert_eq!(
            notifications(&e),
            [Notification {
                doc_type: "email".into(),
                doc_id: "gone-1".into(),
                operation: "delete".into(),
                updated_at: "2024-05-01T10:00:00.000Z".into(),
            }]
        );
    }

    #[test]
    fn a_todo_update_carries_its_updated_at() {
        let e = event("todo", |_| {});
        assert_eq!(
            notifications(&e),
            [Notification {
                doc_type: "todo".into(),
                doc_id: "task-77".into(),
                operation: "update".into(),
                updated_at: "2024-05-01T09:30:00.000Z".into(),
            }]
        );
    }
}
