//! Flag values shared by several commands: their parsers, and how a list of them reads in a
//! message.

use officectl::duration::DurationError;
use std::time::Duration;

/// The smallest rate accepted: one per 1,000 seconds (smaller ones would overflow the waits).
pub const MIN_RATE: f64 = 0.001;

/// Most Pub/Sub calls `topics apply` keeps in flight.
pub const MAX_CONCURRENCY: usize = 64;

/// A flag value that does not parse (clap shows it after the flag's name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlagValueError {
    #[error("`{0}` is below the smallest rate, {MIN_RATE} per second")]
    RateTooSmall(String),
    #[error("`{0}` is not a positive number")]
    NotPositive(String),
    #[error("`{0}` is not a number from 1 to {MAX_CONCURRENCY}")]
    Concurrency(String),
    #[error(transparent)]
    Duration(#[from] DurationError),
}

/// A rate limit per second: a finite number, at least [`MIN_RATE`].
pub fn parse_rate(text: &str) -> Result<f64, FlagValueError> {
    match text.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate >= MIN_RATE => Ok(rate),
        Ok(rate) if rate.is_finite() && rate > 0.0 => {
            Err(FlagValueError::RateTooSmall(text.into()))
        }
        _ => Err(FlagValueError::NotPositive(text.into())),
    }
}

/// A duration such as `5s` or `2m` (see `officectl::duration`).
pub fn parse_duration(text: &str) -> Result<Duration, FlagValueError> {
    Ok(officectl::duration::parse(text)?)
}

/// Calls in flight at once: 1 to [`MAX_CONCURRENCY`].
pub fn parse_concurrency(text: &str) -> Result<usize, FlagValueError> {
    match text.parse::<usize>() {
        Ok(n @ 1..=MAX_CONCURRENCY) => Ok(n),
        _ => Err(FlagValueError::Concurrency(text.into())),
    }
}

/// The items in backticks, comma-separated, or `all` when there are none (e.g. `(all)`).
pub fn quoted_list<S: AsRef<str>>(items: &[S], all: &str) -> String {
    if items.is_empty() {
        return all.to_string();
    }
    items
        .iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_positive_and_lists_are_quoted() {
        assert_eq!(parse_rate("2.5"), Ok(2.5));
        for bad in ["0", "-1", "inf", "NaN", "fast", "1e-20"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(
            parse_rate("0.0001").unwrap_err().to_string(),
            "`0.0001` is below the smallest rate, 0.001 per second"
        );
        assert_eq!(parse_concurrency("64"), Ok(64));
        for bad in ["0", "65", "many"] {
            assert_eq!(
                parse_concurrency(bad).unwrap_err().to_string(),
                format!("`{bad}` is not a number from 1 to 64")
            );
        }
        assert_eq!(quoted_list(&["a", "b"], "(all)"), "`a`, `b`");
        assert_eq!(quoted_list::<String>(&[], "(all)"), "(all)");
    }
}
