//! `MeetingPollEvent`: a poll to find a meeting time (internal scheduling tool).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::fields::{Item, Mailbox, define_event};

define_event! {
    /// A meeting poll with its options and votes.
    MeetingPollEvent, tag MeetingPollEventTag = "MeetingPollEvent", version 1, provider no,
    {
        pub poll: MeetingPoll,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingPoll {
    #[schemars(length(min = 1, max = 512))]
    pub poll_id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub organizer: Mailbox,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Mailbox>,
    /// Proposed time slots.
    #[schemars(length(min = 1))]
    pub options: Vec<PollOption>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub votes: Vec<Vote>,
    pub status: PollStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DateTime<Utc>>,
    /// The option picked when `status` is `scheduled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen_option_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PollOption {
    #[schemars(length(min = 1))]
    pub option_id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Set by the `meetings` consumer: the organizer's calendar has a busy entry overlapping
    /// this option. Absent means no known conflict.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub organizer_busy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vote {
    #[schemars(length(min = 1, max = 320))]
    pub participant_email: String,
    pub option_id: String,
    pub answer: VoteAnswer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoteAnswer {
    Yes,
    No,
    IfNeedBe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PollStatus {
    Open,
    Closed,
    Scheduled,
}

impl Item for MeetingPoll {
    fn doc_id(&self) -> &str {
        &self.poll_id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}
