//! Migration switches: flags in Redis that publishers and consumers read on every decision, so a
//! change takes effect without a restart.
//!
//! - `office:flags:publish_mode:{data_type}`: `legacy` | `dual` | `new` (missing means `legacy`).
//! - `office:flags:read_source:{consumer}:{data_type}`: `legacy` | `both` | `new` (missing means
//!   `legacy`); `both` reads the legacy and the new subscription and dedupes the dual-published
//!   pairs by their shared idempotency key.

use crate::keys;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a data type's producers publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PublishMode {
    /// Only the legacy event, to the legacy topic.
    Legacy,
    /// Both, with the same idempotency key, so consumers can dedupe.
    Dual,
    /// Only the new event, to the new topic.
    New,
}

/// Where a consumer reads a data type from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReadSource {
    Legacy,
    /// Both subscriptions, deduped by idempotency key (while dual publishing).
    Both,
    New,
}

impl ReadSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ReadSource::Legacy => "legacy",
            ReadSource::Both => "both",
            ReadSource::New => "new",
        }
    }

    /// Whether the legacy subscription is read.
    pub fn reads_legacy(self) -> bool {
        matches!(self, ReadSource::Legacy | ReadSource::Both)
    }

    /// Whether the new subscription is read.
    pub fn reads_new(self) -> bool {
        matches!(self, ReadSource::New | ReadSource::Both)
    }
}

impl FromStr for ReadSource {
    type Err = FlagError;
    fn from_str(s: &str) -> Result<Self, FlagError> {
        match s {
            "legacy" => Ok(ReadSource::Legacy),
            "both" => Ok(ReadSource::Both),
            "new" => Ok(ReadSource::New),
            other => Err(FlagError::UnknownReadSource(other.into())),
        }
    }
}

impl fmt::Display for ReadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PublishMode {
    pub fn as_str(self) -> &'static str {
        match self {
            PublishMode::Legacy => "legacy",
            PublishMode::Dual => "dual",
            PublishMode::New => "new",
        }
    }

    /// Whether the legacy topic receives events in this mode.
    pub fn publishes_legacy(self) -> bool {
        matches!(self, PublishMode::Legacy | PublishMode::Dual)
    }

    /// Whether the new topic receives events in this mode.
    pub fn publishes_new(self) -> bool {
        matches!(self, PublishMode::New | PublishMode::Dual)
    }
}

/// A flag value or a `set_flag` step that does not make sense.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlagError {
    #[error("unknown publish mode `{0}` (legacy, dual or new)")]
    UnknownPublishMode(String),
    #[error("unknown read source `{0}` (legacy, both or new)")]
    UnknownReadSource(String),
    #[error("`consumer` applies only to `read_source`")]
    ConsumerWithoutReadSource,
    #[error("`read_source` needs `consumer`")]
    ReadSourceWithoutConsumer,
}

impl FromStr for PublishMode {
    type Err = FlagError;
    fn from_str(s: &str) -> Result<Self, FlagError> {
        match s {
            "legacy" => Ok(PublishMode::Legacy),
            "dual" => Ok(PublishMode::Dual),
            "new" => Ok(PublishMode::New),
            other => Err(FlagError::UnknownPublishMode(other.into())),
        }
    }
}

impl fmt::Display for PublishMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A flag a plan step can set: which key, and which values are allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Flag {
    /// `publish_mode` of a data type (its doc type, e.g. `email`).
    PublishMode { data_type: String },
    /// `read_source` of a consumer for a data type.
    ReadSource { consumer: String, data_type: String },
}

impl Flag {
    /// The Redis key of this flag.
    pub fn key(&self) -> String {
        match self {
            Flag::PublishMode { data_type } => keys::flag_publish_mode(data_type),
            Flag::ReadSource {
                consumer,
                data_type,
            } => keys::flag_read_source(consumer, data_type),
        }
    }

    /// Checks a value for this flag.
    pub fn check_value(&self, value: &str) -> Result<(), FlagError> {
        match self {
            Flag::PublishMode { .. } => value.parse::<PublishMode>().map(|_| ()),
            Flag::ReadSource { .. } => value.parse::<ReadSource>().map(|_| ()),
        }
    }

    /// The value a missing key means.
    pub fn default_value(&self) -> &'static str {
        "legacy"
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Flag::PublishMode { data_type } => write!(f, "publish_mode[{data_type}]"),
            Flag::ReadSource {
                consumer,
                data_type,
            } => write!(f, "read_source[{consumer}/{data_type}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_keys_and_values() {
        let flag = Flag::PublishMode {
            data_type: "email".into(),
        };
        assert_eq!(flag.key(), "office:flags:publish_mode:email");
        assert!(flag.check_value("dual").is_ok());
        assert!(
            flag.check_value("both")
                .unwrap_err()
                .to_string()
                .contains("`both`")
        );
        let read = Flag::ReadSource {
            consumer: "vespa-loader".into(),
            data_type: "email".into(),
        };
        assert_eq!(read.key(), "office:flags:read_source:vespa-loader:email");
        assert!(read.check_value("dual").is_err());
        assert!(PublishMode::Dual.publishes_legacy() && PublishMode::Dual.publishes_new());
        assert!(!PublishMode::New.publishes_legacy());
    }
}
