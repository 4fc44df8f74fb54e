//! [`Event`]: any new-format event, with accessors that do not care which family it is.

use serde::{Serialize, Serializer};

use crate::model::catalog::DataType;
use crate::model::families::{
    BookingEvent, CalendarEvent, ContactEvent, DeletionEvent, DocumentEvent, EmailEvent,
    LlmChatEvent, MeetingPollEvent, ShipmentEvent, TodoEvent,
};
use crate::model::fields::{Header, Item};

/// Any new-format event. Serializes exactly like the wrapped struct (its `event_type` is the tag).
///
/// A `delete` of any type is a [`DeletionEvent`]: it carries only the items' ids, so it is not
/// one of the per-type structs, whose items have every field.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Email(EmailEvent),
    Calendar(CalendarEvent),
    Contact(ContactEvent),
    Document(DocumentEvent),
    Todo(TodoEvent),
    LlmChat(LlmChatEvent),
    Shipment(ShipmentEvent),
    MeetingPoll(MeetingPollEvent),
    Booking(BookingEvent),
    Deletion(DeletionEvent),
}

/// Runs `$body` with `$e` bound to the wrapped struct, whatever the variant.
macro_rules! with_event {
    ($event:expr, $e:ident => $body:expr) => {
        match $event {
            Event::Email($e) => $body,
            Event::Calendar($e) => $body,
            Event::Contact($e) => $body,
            Event::Document($e) => $body,
            Event::Todo($e) => $body,
            Event::LlmChat($e) => $body,
            Event::Shipment($e) => $body,
            Event::MeetingPoll($e) => $body,
            Event::Booking($e) => $body,
            Event::Deletion($e) => $body,
        }
    };
}

impl Event {
    pub fn data_type(&self) -> DataType {
        match self {
            Event::Email(_) => DataType::Email,
            Event::Calendar(_) => DataType::Calendar,
            Event::Contact(_) => DataType::Contact,
            Event::Document(_) => DataType::Document,
            Event::Todo(_) => DataType::Todo,
            Event::LlmChat(_) => DataType::LlmChat,
            Event::Shipment(_) => DataType::Shipment,
            Event::MeetingPoll(_) => DataType::MeetingPoll,
            Event::Booking(_) => DataType::Booking,
            Event::Deletion(e) => e.data_type,
        }
    }

    /// The shared header fields.
    pub fn header(&self) -> Header<'_> {
        with_event!(self, e => e.header())
    }

    /// The items of the event (one per search document): every e-mail of a batch, else one.
    pub fn items(&self) -> Vec<&dyn Item> {
        match self {
            Event::Email(e) => e.emails.iter().map(|m| m as &dyn Item).collect(),
            Event::Calendar(e) => vec![&e.entry],
            Event::Contact(e) => vec![&e.contact],
            Event::Document(e) => vec![&e.document],
            Event::Todo(e) => vec![&e.todo],
            Event::LlmChat(e) => vec![&e.conversation],
            Event::Shipment(e) => vec![&e.shipment],
            Event::MeetingPoll(e) => vec![&e.poll],
            Event::Booking(e) => vec![&e.booking],
            Event::Deletion(e) => e.items.iter().map(|i| i as &dyn Item).collect(),
        }
    }

    /// Deserializes the struct of `data_type` from an already-parsed JSON value (a
    /// [`DeletionEvent`] when `operation` is `delete`).
    pub(crate) fn from_value(
        data_type: DataType,
        value: serde_json::Value,
    ) -> Result<Event, serde_json::Error> {
        use serde_json::from_value as fv;
        if value.get("operation").and_then(serde_json::Value::as_str) == Some("delete") {
            return DeletionEvent::from_value(data_type, value)
                .map(Event::Deletion)
                .map_err(serde::de::Error::custom);
        }
        Ok(match data_type {
            DataType::Email => Event::Email(fv(value)?),
            DataType::Calendar => Event::Calendar(fv(value)?),
            DataType::Contact => Event::Contact(fv(value)?),
            DataType::Document => Event::Document(fv(value)?),
            DataType::Todo => Event::Todo(fv(value)?),
            DataType::LlmChat => Event::LlmChat(fv(value)?),
            DataType::Shipment => Event::Shipment(fv(value)?),
            DataType::MeetingPoll => Event::MeetingPoll(fv(value)?),
            DataType::Booking => Event::Booking(fv(value)?),
        })
    }

    /// The event as compact JSON.
    pub fn to_json_vec(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        with_event!(self, e => e.serialize(serializer))
    }
}

macro_rules! impl_from {
    ($($variant:ident($ty:ty)),*) => {
        $(impl From<$ty> for Event {
            fn from(e: $ty) -> Event {
                Event::$variant(e)
            }
        })*
    };
}
impl_from!(
    Email(EmailEvent),
    Calendar(CalendarEvent),
    Contact(ContactEvent),
    Document(DocumentEvent),
    Todo(TodoEvent),
    LlmChat(LlmChatEvent),
    Shipment(ShipmentEvent),
    MeetingPoll(MeetingPollEvent),
    Booking(BookingEvent),
    Deletion(DeletionEvent)
);
