//! Durations as people write them in YAML and read them in reports: `10s`, `1.5s`, `10m`, `2h`,
//! `7d` (a bare number means seconds).
//!
//! Used with `#[serde(with = "crate::duration")]` (or `crate::duration::option`) so layouts and
//! reports never show `{secs, nanos}` pairs.

use serde::{Deserialize, Deserializer, Serializer};
use std::time::Duration;

/// A text that is not a duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("`{0}` is not a duration (e.g. 30s, 10m, 7d)")]
    NotANumber(String),
    #[error("unknown unit `{unit}` in `{text}` (use ms, s, m, h or d)")]
    UnknownUnit { unit: String, text: String },
    #[error("`{text}`: {reason}")]
    OutOfRange {
        text: String,
        reason: std::time::TryFromFloatSecsError,
    },
}

/// Parses `10s`, `1.5s`, `250ms`, `10m`, `2h`, `7d` or a bare number of seconds.
pub fn parse(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| DurationError::NotANumber(text.into()))?;
    let scale = match unit.trim() {
        "" | "s" => 1.0,
        "ms" => 0.001,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        other => {
            return Err(DurationError::UnknownUnit {
                unit: other.into(),
                text: text.into(),
            });
        }
    };
    Duration::try_from_secs_f64(value * scale).map_err(|reason| DurationError::OutOfRange {
        text: text.into(),
        reason,
    })
}

/// Formats with the largest unit that divides the value exactly: `600s` → `10m`.
pub fn format(duration: Duration) -> String {
    if duration.subsec_nanos() != 0 {
        let millis = duration.as_secs_f64() * 1000.0;
        if millis.fract() == 0.0 {
            return format!("{millis}ms");
        }
        return format!("{}s", duration.as_secs_f64());
    }
    let secs = duration.as_secs();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] {
        if secs != 0 && secs.is_multiple_of(size) {
            return format!("{}{unit}", secs / size);
        }
    }
    format!("{secs}s")
}

/// serde: serialize as text, accept text or a number of seconds.
pub fn serialize<S: Serializer>(value: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(*value))
}

/// serde: accept `"10m"` or `600`.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Seconds(u64),
        Text(String),
    }
    match Raw::deserialize(deserializer)? {
        Raw::Seconds(secs) => Ok(Duration::from_secs(secs)),
        Raw::Text(text) => parse(&text).map_err(serde::de::Error::custom),
    }
}

/// The same for `Option<Duration>`.
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<Duration>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => super::serialize(d, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Duration>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(deserialize_with = "super::deserialize")] Duration);
        Ok(Option::<Wrap>::deserialize(deserializer)?.map(|Wrap(d)| d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(parse("10s").unwrap(), Duration::from_secs(10));
        assert_eq!(parse("10").unwrap(), Duration::from_secs(10));
        assert_eq!(parse("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse("10m").unwrap(), Duration::from_secs(600));
        assert_eq!(parse("7d").unwrap(), Duration::from_secs(7 * 86_400));
        assert!(parse("ten").is_err());
        assert!(
            parse("5y")
                .unwrap_err()
                .to_string()
                .contains("unknown unit `y`")
        );
    }

    #[test]
    fn formats_with_the_largest_exact_unit() {
        assert_eq!(format(Duration::from_secs(600)), "10m");
        assert_eq!(format(Duration::from_secs(90)), "90s");
        assert_eq!(format(Duration::from_secs(7 * 86_400)), "7d");
        assert_eq!(format(Duration::from_millis(1500)), "1500ms");
        assert_eq!(format(Duration::ZERO), "0s");
        for text in ["10m", "90s", "7d", "1500ms", "0s"] {
            assert_eq!(format(parse(text).unwrap()), text);
        }
    }
}
