//! Flag values shared by several commands: their parsers, and how a list of them reads in a
//! message.

use std::time::Duration;

/// The smallest rate accepted: one per 1,000 seconds (smaller ones would overflow the waits).
pub const MIN_RATE: f64 = 0.001;

/// A rate limit per second: a finite number, at least [`MIN_RATE`].
pub fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate >= MIN_RATE => Ok(rate),
        Ok(rate) if rate.is_finite() && rate > 0.0 => Err(format!(
            "`{text}` is below the smallest rate, {MIN_RATE} per second"
        )),
        _ => Err(format!("`{text}` is not a positive number")),
    }
}

/// A duration such as `5s` or `2m` (see `officectl::duration`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    officectl::duration::parse(text)
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
        assert_eq!(quoted_list(&["a", "b"], "(all)"), "`a`, `b`");
        assert_eq!(quoted_list::<String>(&[], "(all)"), "(all)");
    }
}
