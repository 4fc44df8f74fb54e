//! The one table of data types: event-type name, Vespa/claim-check doc type, topic, schema version.
//!
//! Every other module asks this table instead of spelling names itself, so adding a data type is
//! one new row here plus its payload module.

use serde::{Deserialize, Serialize};

/// A data type of the platform; one event type, one document type and one topic each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataType {
    Email,
    Calendar,
    Contact,
    Document,
    Todo,
    LlmChat,
    Shipment,
    MeetingPoll,
    Booking,
}

/// Whether a data type is synced from a mail/calendar provider or produced by an internal tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Synced from Google or Microsoft; events carry `provider`.
    Provider,
    /// Produced by an internal tool; events carry no `provider`.
    InternalTool,
}

/// One row of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeInfo {
    pub data_type: DataType,
    /// Value of the `event_type` field and Pub/Sub attribute, e.g. `EmailEvent`.
    pub event_type: &'static str,
    /// Short name used in claim-check keys, dedupe keys and as the Vespa document type.
    pub doc_type: &'static str,
    /// The Vespa document type: the doc type, except `office_document` for documents, because
    /// `document` is the name of Vespa's root document type that every type inherits.
    pub vespa_type: &'static str,
    /// The data-type topic events of this type are published to.
    pub topic: &'static str,
    /// The legacy topic, for types that had one before the migration.
    pub legacy_topic: Option<&'static str>,
    /// The `schema_version` this build writes and accepts for new-format events.
    pub schema_version: u32,
    pub origin: Origin,
    /// Whether an item never changes once created (its idempotency key then leaves out
    /// `updated_at`). E-mail messages are immutable; label or read-state changes arrive as
    /// `update` operations, which use the mutable key.
    pub immutable: bool,
    /// The event field that holds the items (`emails` is a list; the others hold one object).
    pub items_field: &'static str,
    /// The item field that identifies it: the document id of keys and Vespa ids, and all a
    /// `delete` must carry.
    pub id_field: &'static str,
}

/// The catalog, in a stable order (used for generated files).
pub const CATALOG: [TypeInfo; 9] = [
    TypeInfo {
        data_type: DataType::Email,
        event_type: "EmailEvent",
        doc_type: "email",
        vespa_type: "email",
        topic: "emails",
        legacy_topic: Some("email-backfill"),
        // Version 1 of the email family is the legacy `EmailBackfillEvent`.
        schema_version: 2,
        origin: Origin::Provider,
        immutable: true,
        items_field: "emails",
        id_field: "provider_message_id",
    },
    TypeInfo {
        data_type: DataType::Calendar,
        event_type: "CalendarEvent",
        doc_type: "calendar",
        vespa_type: "calendar",
        topic: "calendars",
        legacy_topic: Some("calendar-updates"),
        schema_version: 1,
        origin: Origin::Provider,
        immutable: false,
        items_field: "entry",
        id_field: "provider_event_id",
    },
    TypeInfo {
        data_type: DataType::Contact,
        event_type: "ContactEvent",
        doc_type: "contact",
        vespa_type: "contact",
        topic: "contacts",
        legacy_topic: Some("contact-updates"),
        schema_version: 1,
        origin: Origin::Provider,
        immutable: false,
        items_field: "contact",
        id_field: "provider_contact_id",
    },
    TypeInfo {
        data_type: DataType::Document,
        event_type: "DocumentEvent",
        doc_type: "document",
        vespa_type: "office_document",
        topic: "documents",
        legacy_topic: None,
        schema_version: 1,
        origin: Origin::Provider,
        immutable: false,
        items_field: "document",
        id_field: "provider_document_id",
    },
    TypeInfo {
        data_type: DataType::Todo,
        event_type: "TodoEvent",
        doc_type: "todo",
        vespa_type: "todo",
        topic: "todos",
        legacy_topic: None,
        schema_version: 1,
        origin: Origin::Provider,
        immutable: false,
        items_field: "todo",
        id_field: "provider_task_id",
    },
    TypeInfo {
        data_type: DataType::LlmChat,
        event_type: "LLMChatEvent",
        doc_type: "llm_chat",
        vespa_type: "llm_chat",
        topic: "llm-chats",
        legacy_topic: None,
        schema_version: 1,
        origin: Origin::InternalTool,
        immutable: false,
        items_field: "conversation",
        id_field: "conversation_id",
    },
    TypeInfo {
        data_type: DataType::Shipment,
        event_type: "ShipmentEvent",
        doc_type: "shipment",
        vespa_type: "shipment",
        topic: "shipments",
        legacy_topic: None,
        schema_version: 1,
        origin: Origin::InternalTool,
        immutable: false,
        items_field: "shipment",
        id_field: "shipment_id",
    },
    TypeInfo {
        data_type: DataType::MeetingPoll,
        event_type: "MeetingPollEvent",
        doc_type: "meeting_poll",
        vespa_type: "meeting_poll",
        topic: "meeting-polls",
        legacy_topic: None,
        schema_version: 1,
        origin: Origin::InternalTool,
        immutable: false,
        items_field: "poll",
        id_field: "poll_id",
    },
    TypeInfo {
        data_type: DataType::Booking,
        event_type: "BookingEvent",
        doc_type: "booking",
        vespa_type: "booking",
        topic: "bookings",
        legacy_topic: None,
        schema_version: 1,
        origin: Origin::InternalTool,
        immutable: false,
        items_field: "booking",
        id_field: "booking_id",
    },
];

/// `event_type` of the legacy email backfill event.
pub const LEGACY_EMAIL_EVENT_TYPE: &str = "EmailBackfillEvent";

/// `schema_version` attribute given to legacy events (they carry none in their body).
pub const LEGACY_SCHEMA_VERSION: u32 = 1;

impl DataType {
    /// Every data type, in catalog order.
    pub fn all() -> impl Iterator<Item = DataType> {
        CATALOG.iter().map(|info| info.data_type)
    }

    /// This type's catalog row.
    pub fn info(self) -> &'static TypeInfo {
        // The catalog is ordered like the enum; the fallback search keeps this total even if
        // someone reorders one of them.
        let idx = self as usize;
        match CATALOG.get(idx) {
            Some(info) if info.data_type == self => info,
            _ => CATALOG
                .iter()
                .find(|info| info.data_type == self)
                .unwrap_or(&CATALOG[0]),
        }
    }

    pub fn event_type(self) -> &'static str {
        self.info().event_type
    }

    pub fn doc_type(self) -> &'static str {
        self.info().doc_type
    }

    pub fn vespa_type(self) -> &'static str {
        self.info().vespa_type
    }

    pub fn topic(self) -> &'static str {
        self.info().topic
    }

    /// Whether the event holds a list of items (`emails`) rather than one.
    pub fn batched(self) -> bool {
        self == DataType::Email
    }

    pub fn schema_version(self) -> u32 {
        self.info().schema_version
    }

    /// Looks a type up by its `event_type` name (`EmailEvent`, ...). Legacy names are not here.
    pub fn from_event_type(name: &str) -> Option<DataType> {
        CATALOG
            .iter()
            .find(|info| info.event_type == name)
            .map(|info| info.data_type)
    }

    /// Looks a type up by its doc type (`email`, `llm_chat`, ...).
    pub fn from_doc_type(name: &str) -> Option<DataType> {
        CATALOG
            .iter()
            .find(|info| info.doc_type == name)
            .map(|info| info.data_type)
    }

    /// Looks a type up by its Vespa document type (`email`, `office_document`, ...).
    pub fn from_vespa_type(name: &str) -> Option<DataType> {
        CATALOG
            .iter()
            .find(|info| info.vespa_type == name)
            .map(|info| info.data_type)
    }
}

impl std::fmt::Display for DataType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.doc_type())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalog_is_in_enum_order_and_names_are_unique() {
        for (idx, info) in CATALOG.iter().enumerate() {
            assert_eq!(info.data_type as usize, idx, "{:?}", info.data_type);
        }
        let names: HashSet<_> = CATALOG.iter().map(|i| i.event_type).collect();
        let docs: HashSet<_> = CATALOG.iter().map(|i| i.doc_type).collect();
        let topics: HashSet<_> = CATALOG.iter().map(|i| i.topic).collect();
        assert_eq!(names.len(), CATALOG.len());
        assert_eq!(docs.len(), CATALOG.len());
        assert_eq!(topics.len(), CATALOG.len());
        let vespa: HashSet<_> = CATALOG.iter().map(|i| i.vespa_type).collect();
        assert_eq!(vespa.len(), CATALOG.len());
        // Vespa's root document type; a schema of that name cannot be deployed.
        assert!(!vespa.contains("document"));
    }

    #[test]
    fn lookups_round_trip() {
        for ty in DataType::all() {
            assert_eq!(DataType::from_event_type(ty.event_type()), Some(ty));
            assert_eq!(DataType::from_doc_type(ty.doc_type()), Some(ty));
            assert_eq!(DataType::from_vespa_type(ty.vespa_type()), Some(ty));
            let json = serde_json::to_string(&ty).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", ty.doc_type()));
        }
        assert_eq!(DataType::from_event_type(LEGACY_EMAIL_EVENT_TYPE), None);
        assert_eq!(DataType::LlmChat.event_type(), "LLMChatEvent");
        assert_eq!(
            DataType::from_vespa_type("office_document"),
            Some(DataType::Document)
        );
        assert_eq!(DataType::from_vespa_type("document"), None);
    }
}
