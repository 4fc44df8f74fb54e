//! A token bucket: at most `rate` operations per second, with a small burst.
//!
//! Used by the feed engine for `--rate`: each operation takes one token when it is first sent
//! (retries do not; they are paced by their own backoff). The bucket holds at most
//! [`BURST_SECONDS`] of tokens (at least one) and starts full, so a run of N operations at rate
//! R takes at least `(N − burst) / R` seconds and never sends more than `burst` at once after an
//! idle spell. Time is passed in, so tests need no clock.

use std::time::{Duration, Instant};

/// The burst, in seconds of the rate.
pub const BURST_SECONDS: f64 = 0.05;

/// At most `rate` takes per second.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket for `rate` operations per second (a positive, finite number).
    pub fn new(rate: f64, now: Instant) -> TokenBucket {
        let rate = if rate.is_finite() && rate > 0.0 {
            rate
        } else {
            f64::MAX
        };
        let burst = (rate * BURST_SECONDS).max(1.0);
        TokenBucket {
            rate,
            burst,
            tokens: burst,
            last: now,
        }
    }

    /// The configured rate.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.last = now;
    }

    /// Takes a token if one is there; otherwise says how long until one is.
    pub fn try_take(&mut self, now: Instant) -> Result<(), Duration> {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / self.rate))
        }
    }

    /// How long until a token is there (zero if one is), without taking it.
    pub fn wait(&mut self, now: Instant) -> Duration {
        self.refill(now);
        if self.tokens >= 1.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((1.0 - self.tokens) / self.rate)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes as many tokens as the bucket gives over `secs`, stepping 1 ms at a time.
    fn taken_over(rate: f64, secs: f64) -> u64 {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(rate, start);
        let mut taken = 0;
        let steps = (secs * 1000.0) as u64;
        for ms in 0..=steps {
            let now = start + Duration::from_millis(ms);
            while bucket.try_take(now).is_ok() {
                taken += 1;
            }
        }
        taken
    }

    #[test]
    fn the_rate_holds_over_time_plus_the_burst() {
        // 400/s for 1 s: 400 refilled plus a burst of 20 (less one for float rounding).
        assert!((419..=420).contains(&taken_over(400.0, 1.0)));
        // 10/s: the burst is one token.
        assert!((20..=21).contains(&taken_over(10.0, 2.0)));
    }

    #[test]
    fn an_empty_bucket_says_how_long_to_wait() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(100.0, start);
        for _ in 0..5 {
            bucket.try_take(start).unwrap();
        }
        let wait = bucket.try_take(start).unwrap_err();
        assert_eq!(wait, Duration::from_millis(10));
        assert_eq!(bucket.wait(start), Duration::from_millis(10));
        assert!(bucket.try_take(start + Duration::from_millis(10)).is_ok());
        assert!(bucket.try_take(start + Duration::from_millis(10)).is_err());
    }

    #[test]
    fn idle_time_does_not_accumulate_beyond_the_burst() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(1000.0, start);
        let later = start + Duration::from_secs(60);
        let mut n = 0;
        while bucket.try_take(later).is_ok() {
            n += 1;
        }
        assert_eq!(n, 50);
    }

    #[test]
    fn a_nonsense_rate_does_not_limit() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(0.0, start);
        for _ in 0..1000 {
            bucket.try_take(start).unwrap();
        }
    }
}
