//! Contacts to Vespa as `ContactEvent`s: the upsert of a discovered contact (source `discovery`,
//! with its relevance) and the removal of one. They are published with
//! [`RoutedPublisher`](crate::migrate::routed::RoutedPublisher), so the `contact` type's
//! migration publish mode applies to them as to every other publisher. The Vespa loader indexes
//! them; per-user ordering keeps a removal behind the pushes before it.

use chrono::{DateTime, Utc};

use super::record::ContactRecord;
use crate::model::Event;
use crate::model::fields::Provider;
use crate::model::validate::validate_value;

/// Whose contact, from which provider, under which correlation id a push goes out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub user: String,
    pub provider: Provider,
    pub correlation_id: String,
}

impl Origin {
    /// The origin of pushes caused by `event`: its user, provider and correlation id.
    pub fn of(event: &Event) -> Origin {
        let header = event.header();
        Origin {
            user: header.user_id.to_string(),
            provider: header.provider.unwrap_or(Provider::Google),
            correlation_id: header.correlation_id.to_string(),
        }
    }
}

/// The Vespa document id's local part of a discovered contact: `discovered:<contact id>` (a
/// hash of the address), so every push updates the same document.
pub fn provider_contact_id(id: &str) -> String {
    format!("discovered:{id}")
}

/// The `ContactEvent` upserting a discovered contact with `relevance` as of `at`.
pub fn upsert_event(
    origin: &Origin,
    id: &str,
    record: &ContactRecord,
    relevance: f64,
    at: DateTime<Utc>,
) -> Result<Event, String> {
    discovered(
        origin,
        id,
        "update",
        at,
        serde_json::json!({
            "display_name": record.display_name().unwrap_or(&record.address),
            "emails": [{"value": record.address}],
            "relevance": relevance,
        }),
    )
}

/// The `ContactEvent` removing a discovered contact's Vespa document.
pub fn removal_event(origin: &Origin, id: &str, at: DateTime<Utc>) -> Result<Event, String> {
    discovered(
        origin,
        id,
        "delete",
        at,
        serde_json::json!({ "display_name": provider_contact_id(id) }),
    )
}

fn discovered(
    origin: &Origin,
    id: &str,
    operation: &str,
    at: DateTime<Utc>,
    mut contact: serde_json::Value,
) -> Result<Event, String> {
    let at_text = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    contact["provider_contact_id"] = provider_contact_id(id).into();
    contact["source"] = "discovery".into();
    contact["updated_at"] = at_text.clone().into();
    let value = serde_json::json!({
        "event_type": "ContactEvent",
        "event_id": format!("discovery-{id}-{}", at.timestamp_millis()),
        "schema_version": 1,
        "user_id": origin.user,
        "provider": origin.provider.as_str(),
        "sync_type": "real_time",
        "operation": operation,
        "correlation_id": origin.correlation_id,
        "occurred_at": at_text,
        "contact": contact,
    });
    validate_value(value).map(|v| v.event).map_err(|problems| {
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::config::ContactsConfig;
    use crate::contacts::interaction::{Channel, Direction, Interaction};

    fn origin() -> Origin {
        Origin {
            user: "user-1".into(),
            provider: Provider::Microsoft,
            correlation_id: "corr-1".into(),
        }
    }

    fn record(name: Option<&str>) -> ContactRecord {
        let at: DateTime<Utc> = "2026-06-01T10:00:00Z".parse().unwrap();
        ContactRecord::new(
            &Interaction {
                address: "dana@corp.com".into(),
                name: name.map(String::from),
                channel: Channel::Email,
                direction: Direction::Inbound,
                group_size: 1,
                factor: 1.0,
                at,
            },
            &ContactsConfig::default(),
        )
    }

    #[test]
    fn an_upsert_is_a_valid_discovered_contact_event() {
        let at: DateTime<Utc> = "2026-06-02T00:00:00Z".parse().unwrap();
        let id = crate::keys::contact_id("dana@corp.com");
        let event = upsert_event(&origin(), &id, &record(Some("Dana S")), 0.75, at).unwrap();
        let Event::Contact(e) = &event else {
            panic!("not a contact event: {event:?}");
        };
        let c = &e.contact;
        assert_eq!(c.provider_contact_id, format!("discovered:{id}"));
        assert_eq!(c.display_name, "Dana S");
        assert_eq!(c.emails[0].value, "dana@corp.com");
        assert_eq!(c.relevance, Some(0.75));
        assert_eq!(
            c.source,
            crate::model::families::contact::ContactSource::Discovery
        );
        let header = event.header();
        assert_eq!(header.user_id, "user-1");
        assert_eq!(header.provider, Some(Provider::Microsoft));
        assert_eq!(header.correlation_id, "corr-1");
        // Without a display name seen, the address stands in.
        let unnamed = upsert_event(&origin(), &id, &record(None), 0.75, at).unwrap();
        let Event::Contact(e) = &unnamed else {
            panic!("not a contact event");
        };
        assert_eq!(e.contact.display_name, "dana@corp.com");
    }

    #[test]
    fn a_removal_deletes_the_discovered_contacts_document() {
        let at: DateTime<Utc> = "2026-06-02T00:00:00Z".parse().unwrap();
        let id = crate::keys::contact_id("me@corp.com");
        let event = removal_event(&origin(), &id, at).unwrap();
        let ops = crate::model::vespa::factory::from_event(&event);
        let [crate::model::vespa::factory::FeedOperation::Remove { id: doc, .. }] = &ops[..] else {
            panic!("one remove expected: {ops:?}");
        };
        assert_eq!(
            doc.to_string(),
            format!("id:office:contact:g=user-1:discovered%3A{id}")
        );
    }
}
