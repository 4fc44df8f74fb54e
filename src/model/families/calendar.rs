//! `CalendarEvent`: one calendar entry created, changed or deleted.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::fields::{Item, Mailbox, define_event};

define_event! {
    /// A calendar entry (meeting, appointment) of one user.
    CalendarEvent, tag CalendarEventTag = "CalendarEvent", version 1, provider yes,
    {
        pub entry: CalendarEntry,
    }
}

/// One calendar entry (an occurrence or a series master).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarEntry {
    #[schemars(length(min = 1, max = 512))]
    pub provider_event_id: String,
    #[schemars(length(min = 1, max = 512))]
    pub calendar_id: String,
    /// iCalendar UID shared by every copy of the meeting across calendars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ical_uid: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    #[serde(default)]
    pub all_day: bool,
    /// IANA time zone the entry was created in, e.g. `Europe/Berlin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizer: Option<Mailbox>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendees: Vec<Attendee>,
    /// RRULE/EXRULE/RDATE/EXDATE lines of a series master.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recurrence: Vec<String>,
    /// Set on an occurrence of a series: the series master's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_event_id: Option<String>,
    pub status: EntryStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conference_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    #[schemars(length(min = 1, max = 320))]
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub response: AttendeeResponse,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttendeeResponse {
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    Confirmed,
    Tentative,
    Cancelled,
}

impl Item for CalendarEntry {
    fn doc_id(&self) -> &str {
        &self.provider_event_id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}
