//! Layout values that check themselves while they are read.
//!
//! Each newtype validates inside `Deserialize`, so a bad value fails with the file, line and column
//! of the value itself (see [`crate::yaml`]) rather than with a later, location-less error.

use crate::pubsub::names;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

/// Smallest and largest ack deadline Pub/Sub accepts, in seconds.
pub const ACK_DEADLINE_SECONDS: (i32, i32) = (10, 600);
/// Message retention bounds for topics and subscriptions (10 minutes to 31 days).
///
/// pstest caps subscription retention at 7 days; see `pubsub-host/README.md`.
pub const RETENTION: (Duration, Duration) = (
    Duration::from_secs(10 * 60),
    Duration::from_secs(31 * 86_400),
);
/// Dead-letter max delivery attempts.
pub const MAX_DELIVERY_ATTEMPTS: (i32, i32) = (5, 100);
/// Longest subscription filter, in bytes.
pub const MAX_FILTER_BYTES: usize = 256;
/// Retry backoff bounds (0 to 600 s).
pub const MAX_BACKOFF: Duration = Duration::from_secs(600);
/// Shortest expiration TTL Pub/Sub accepts.
pub const MIN_EXPIRATION_TTL: Duration = Duration::from_secs(86_400);

/// A topic or subscription id that follows Pub/Sub's rules.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(pub String);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.starts_with("projects/") {
            return Err(de::Error::custom(format!(
                "`{text}` is a full resource name; write the short id (the project comes from \
                 the settings)"
            )));
        }
        names::validate_id(&text).map_err(|m| de::Error::custom(format!("invalid name: {m}")))?;
        if crate::namespace::is_namespaced(&text) {
            return Err(de::Error::custom(format!(
                "`{text}` starts like a drill's resources (`drill-<8 hex>-`), which every listing \
                 outside that drill skips; choose another name"
            )));
        }
        Ok(Id(text))
    }
}

/// Reads a duration (`60s`, `10m`, `7d` or a number of seconds).
fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    crate::duration::deserialize(deserializer)
}

fn show(d: Duration) -> String {
    crate::duration::format(d)
}

/// An ack deadline in whole seconds, 10–600.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AckDeadline(pub i32);

impl<'de> Deserialize<'de> for AckDeadline {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = duration(deserializer)?;
        let (min, max) = ACK_DEADLINE_SECONDS;
        let secs = value.as_secs();
        if value.subsec_nanos() != 0 || secs < min as u64 || secs > max as u64 {
            return Err(de::Error::custom(format!(
                "ack_deadline {} is outside {min}s–{max}s (whole seconds)",
                show(value)
            )));
        }
        Ok(AckDeadline(secs as i32))
    }
}

/// Message retention, 10 minutes to 31 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention(pub Duration);

impl<'de> Deserialize<'de> for Retention {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = duration(deserializer)?;
        let (min, max) = RETENTION;
        if value < min || value > max {
            return Err(de::Error::custom(format!(
                "retention {} is outside {}–{}",
                show(value),
                show(min),
                show(max)
            )));
        }
        Ok(Retention(value))
    }
}

/// Dead-letter max delivery attempts, 5–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaxAttempts(pub i32);

impl<'de> Deserialize<'de> for MaxAttempts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = i64::deserialize(deserializer)?;
        let (min, max) = MAX_DELIVERY_ATTEMPTS;
        if value < i64::from(min) || value > i64::from(max) {
            return Err(de::Error::custom(format!(
                "max_attempts {value} is outside {min}–{max}"
            )));
        }
        Ok(MaxAttempts(value as i32))
    }
}

/// A subscription filter of at most 256 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter(pub String);

impl<'de> Deserialize<'de> for Filter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.len() > MAX_FILTER_BYTES {
            return Err(de::Error::custom(format!(
                "filter is {} bytes; Pub/Sub allows at most {MAX_FILTER_BYTES}",
                text.len()
            )));
        }
        Ok(Filter(text))
    }
}

/// A retry backoff, 0–600 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff(pub Duration);

impl<'de> Deserialize<'de> for Backoff {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = duration(deserializer)?;
        if value > MAX_BACKOFF {
            return Err(de::Error::custom(format!(
                "backoff {} is over {}",
                show(value),
                show(MAX_BACKOFF)
            )));
        }
        Ok(Backoff(value))
    }
}

/// When an idle subscription expires: `never` or a TTL of at least one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiration {
    Never,
    After(Duration),
}

impl<'de> Deserialize<'de> for Expiration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Seconds(u64),
            Text(String),
        }
        let ttl = match Raw::deserialize(deserializer)? {
            Raw::Text(text) if text == "never" => return Ok(Expiration::Never),
            Raw::Text(text) => crate::duration::parse(&text).map_err(|e| {
                de::Error::custom(format!("expiration must be `never` or a duration: {e}"))
            })?,
            Raw::Seconds(secs) => Duration::from_secs(secs),
        };
        if ttl < MIN_EXPIRATION_TTL {
            return Err(de::Error::custom(format!(
                "expiration {} is under the minimum of {}",
                show(ttl),
                show(MIN_EXPIRATION_TTL)
            )));
        }
        Ok(Expiration::After(ttl))
    }
}

/// Resource labels, checked against Pub/Sub's label rules: keys start with a lowercase letter,
/// keys and values are at most 63 characters of lowercase letters, digits, `-` and `_`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels(pub BTreeMap<String, String>);

impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = UniqueMap::<String, String>::deserialize(deserializer)?.0;
        let allowed =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
        for (key, value) in &map {
            if key.is_empty()
                || key.len() > 63
                || !key.starts_with(|c: char| c.is_ascii_lowercase())
                || !key.chars().all(allowed)
            {
                return Err(de::Error::custom(format!(
                    "label key `{key}` must be 1–63 lowercase letters, digits, `-` or `_`, \
                     starting with a letter"
                )));
            }
            if value.len() > 63 || !value.chars().all(allowed) {
                return Err(de::Error::custom(format!(
                    "label `{key}`: value `{value}` must be at most 63 lowercase letters, \
                     digits, `-` or `_`"
                )));
            }
        }
        Ok(Labels(map))
    }
}

/// A YAML mapping that refuses duplicate keys (serde's own maps keep the last one silently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueMap<K, V>(pub BTreeMap<K, V>);

impl<K, V> Default for UniqueMap<K, V> {
    fn default() -> Self {
        Self(BTreeMap::new())
    }
}

impl<'de, K, V> Deserialize<'de> for UniqueMap<K, V>
where
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);

        impl<'de, K, V> Visitor<'de> for MapVisitor<K, V>
        where
            K: Deserialize<'de> + Ord + fmt::Display,
            V: Deserialize<'de>,
        {
            type Value = UniqueMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(UniqueMap::default())
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = BTreeMap::new();
                while let Some(key) = access.next_key::<K>()? {
                    if map.contains_key(&key) {
                        return Err(de::Error::custom(format!(
                            "duplicate name `{key}`: each name may be declared once"
                        )));
                    }
                    let value = access.next_value()?;
                    map.insert(key, value);
                }
                Ok(UniqueMap(map))
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}
