//! `BookingEvent`: an appointment booked through a booking page (internal tool).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::fields::{Item, Mailbox, define_event};

define_event! {
    /// A booking made by a guest on one of the user's booking pages.
    BookingEvent, tag BookingEventTag = "BookingEvent", version 1, provider no,
    {
        pub booking: Booking,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Booking {
    #[schemars(length(min = 1, max = 512))]
    pub booking_id: String,
    /// Name of the booked service, e.g. `30 min intro call`.
    pub service_name: String,
    pub host: Mailbox,
    pub guest: Mailbox,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub status: BookingStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_page_url: Option<String>,
    /// The calendar entry created for the booking, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar_event_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Pending,
    Confirmed,
    Cancelled,
    Rescheduled,
    NoShow,
}

impl Item for Booking {
    fn doc_id(&self) -> &str {
        &self.booking_id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}
