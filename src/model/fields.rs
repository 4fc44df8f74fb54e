//! Types shared by every event family, and the macro that gives each event its common header.
//!
//! Serde cannot combine `#[serde(flatten)]` with `deny_unknown_fields`, so instead of flattening a
//! shared header struct, [`define_event!`] writes the header fields into every event struct. The
//! JSON stays flat (`{"event_type": .., "event_id": .., "emails": [..]}`) and unknown fields are
//! still rejected.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How the producer obtained the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SyncType {
    /// Part of a backfill or full resync; `batch_id` is required.
    BatchSync,
    /// A delta found by polling the provider.
    IncrementalSync,
    /// Pushed by a provider notification or an internal tool as it happened.
    RealTime,
}

impl SyncType {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncType::BatchSync => "batch_sync",
            SyncType::IncrementalSync => "incremental_sync",
            SyncType::RealTime => "real_time",
        }
    }
}

/// What happened to the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    Create,
    Update,
    Delete,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }
}

/// The account provider data was synced from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Google,
    Microsoft,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Google => "google",
            Provider::Microsoft => "microsoft",
        }
    }
}

/// A person by e-mail address, with an optional display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mailbox {
    #[schemars(email, length(min = 3, max = 320))]
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// MIME type of a text body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum BodyMime {
    #[serde(rename = "text/plain")]
    Plain,
    #[serde(rename = "text/html")]
    Html,
}

/// A text body carried inline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub mime_type: BodyMime,
    pub content: String,
}

/// Reference to a payload parked in Redis by the claim check (see `claim_check`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayloadRef {
    /// Redis key, `office:{user_id}:{doc_type}:{doc_id}`.
    #[schemars(length(min = 1, max = 1024))]
    pub key: String,
    /// Size of the stored bytes.
    pub size_bytes: u64,
    /// Lower-case hex SHA-256 of the stored bytes; checked when the payload is resolved.
    #[schemars(length(min = 64, max = 64))]
    pub sha256: String,
}

/// One item of an event: something that becomes one search document.
pub trait Item {
    /// The provider's (or tool's) id of the item; the `doc_id` of keys and Vespa ids.
    fn doc_id(&self) -> &str;
    /// When the item last changed at its source.
    fn updated_at(&self) -> DateTime<Utc>;
}

/// Borrowed view of the header fields every event has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    pub event_id: &'a str,
    pub schema_version: u32,
    pub user_id: &'a str,
    pub provider: Option<Provider>,
    pub sync_type: SyncType,
    pub operation: Operation,
    pub batch_id: Option<&'a str>,
    pub correlation_id: &'a str,
    pub occurred_at: DateTime<Utc>,
}

/// Defines an event struct: its single-value `event_type` tag, the shared header fields and the
/// payload fields given. `provider` says whether the header has a required `provider` field.
macro_rules! define_event {
    (
        $(#[$meta:meta])*
        $name:ident, tag $tag:ident = $tag_str:literal, version $ver:literal, provider yes,
        { $($body:tt)* }
    ) => {
        $crate::model::fields::define_event!(@impl $(#[$meta])* $name, $tag, $tag_str, $ver,
            [
                /// The account provider the data was synced from.
                pub provider: $crate::model::fields::Provider,
            ]
            { $($body)* });
        impl $name {
            /// The provider, for types synced from one.
            pub fn provider_opt(&self) -> Option<$crate::model::fields::Provider> {
                Some(self.provider)
            }
        }
    };
    (
        $(#[$meta:meta])*
        $name:ident, tag $tag:ident = $tag_str:literal, version $ver:literal, provider no,
        { $($body:tt)* }
    ) => {
        $crate::model::fields::define_event!(@impl $(#[$meta])* $name, $tag, $tag_str, $ver, []
            { $($body)* });
        impl $name {
            /// Always `None`: internal-tool events have no provider.
            pub fn provider_opt(&self) -> Option<$crate::model::fields::Provider> {
                None
            }
        }
    };
    (@impl
        $(#[$meta:meta])*
        $name:ident, $tag:ident, $tag_str:literal, $ver:literal, [ $($provider:tt)* ]
        { $($body:tt)* }
    ) => {
        #[doc = concat!("The `event_type` tag of [`", stringify!($name), "`]; always `\"", $tag_str, "\"`.")]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        pub enum $tag {
            #[default]
            #[serde(rename = $tag_str)]
            Tag,
        }

        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Always the name of this event type.
            pub event_type: $tag,
            /// Unique id of this event (a UUID is recommended); the same for a redelivery.
            #[schemars(length(min = 1, max = 128))]
            pub event_id: String,
            /// Version of this event's schema.
            #[schemars(range(min = $ver, max = $ver))]
            pub schema_version: u32,
            /// The platform user the data belongs to.
            #[schemars(length(min = 1, max = 256))]
            pub user_id: String,
            $($provider)*
            pub sync_type: $crate::model::fields::SyncType,
            pub operation: $crate::model::fields::Operation,
            /// Required when `sync_type` is `batch_sync`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(length(min = 1, max = 256))]
            pub batch_id: Option<String>,
            /// Ties the events of one request, sync run or backfill together.
            #[schemars(length(min = 1, max = 256))]
            pub correlation_id: String,
            /// When the change happened (RFC 3339).
            pub occurred_at: chrono::DateTime<chrono::Utc>,
            $($body)*
        }

        impl $name {
            /// The `event_type` name.
            pub const EVENT_TYPE: &'static str = $tag_str;
            /// The `schema_version` this build writes and accepts.
            pub const SCHEMA_VERSION: u32 = $ver;

            /// The shared header fields.
            pub fn header(&self) -> $crate::model::fields::Header<'_> {
                $crate::model::fields::Header {
                    event_id: &self.event_id,
                    schema_version: self.schema_version,
                    user_id: &self.user_id,
                    provider: self.provider_opt(),
                    sync_type: self.sync_type,
                    operation: self.operation,
                    batch_id: self.batch_id.as_deref(),
                    correlation_id: &self.correlation_id,
                    occurred_at: self.occurred_at,
                }
            }
        }
    };
}
pub(crate) use define_event;
