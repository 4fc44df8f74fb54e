//! The one retry helper: exponential backoff with optional jitter, a bound on attempts and on
//! total time, a server's `Retry-After`, and cancellation.
//!
//! Every remote call that retries goes through [`Backoff`]: [`retry`] runs the loop for calls
//! made one at a time (a page of an HTTP export, a Pub/Sub admin call, a publish), and
//! [`Backoff::delay`] gives the wait for code that schedules its own retries (the Vespa feed
//! keeps many operations in flight and retries each on its own clock).

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// How long to wait between attempts, and when to give up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The wait after the first failure.
    pub initial: Duration,
    /// No wait is longer than this.
    pub max: Duration,
    /// Each wait is the previous one times this.
    pub multiplier: f64,
    /// Spread each wait by ±25% so many clients do not retry in step.
    pub jitter: bool,
    /// Give up after this many attempts in all (`None`: no limit).
    pub max_attempts: Option<u32>,
    /// Give up once this much time has passed since the first failure, counting the wait that
    /// would come next (`None`: no limit).
    pub total: Option<Duration>,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            initial: Duration::from_millis(250),
            max: Duration::from_secs(10),
            multiplier: 2.0,
            jitter: false,
            max_attempts: None,
            total: None,
        }
    }
}

/// What a failed attempt means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Worth another attempt; `after` is the server's own advice (`Retry-After`).
    Retry { after: Option<Duration> },
    /// It will not get better.
    Fail,
}

impl Verdict {
    /// A transient failure without advice.
    pub const RETRY: Verdict = Verdict::Retry { after: None };
}

/// Why [`retry`] stopped without a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped<E> {
    /// The last error, after `attempts` attempts (one when it was not retryable).
    Failed { error: E, attempts: u32 },
    /// Cancelled while waiting to retry; the last error is kept for the report.
    Cancelled { error: E, attempts: u32 },
}

impl<E> Stopped<E> {
    /// The last error, however the loop stopped.
    pub fn into_error(self) -> E {
        match self {
            Stopped::Failed { error, .. } | Stopped::Cancelled { error, .. } => error,
        }
    }

    /// Attempts made.
    pub fn attempts(&self) -> u32 {
        match self {
            Stopped::Failed { attempts, .. } | Stopped::Cancelled { attempts, .. } => *attempts,
        }
    }
}

impl Backoff {
    /// The wait before attempt `n + 1`, after `n` failures (`n` ≥ 1): `initial × multiplier^(n−1)`,
    /// at most `max`, jittered if asked.
    pub fn delay(&self, failures: u32) -> Duration {
        let exponent = i32::try_from(failures.saturating_sub(1).min(32)).unwrap_or(32);
        let grown = self
            .initial
            .mul_f64(self.multiplier.max(1.0).powi(exponent));
        let capped = grown.min(self.max);
        if self.jitter {
            capped.mul_f64(jitter_factor())
        } else {
            capped
        }
    }
}

/// 0.75..1.25, from a tiny xorshift over a shared counter: jitter needs spread, not quality.
fn jitter_factor() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    0.75 + (x % 1000) as f64 / 2000.0
}

/// Runs `attempt` until it succeeds, `verdict` says its error is final, the policy gives up, or
/// `cancel` fires during a wait. `attempt` receives the attempt number (1-based), so it can do
/// what must precede a retry (e.g. resume a paused ordering key).
pub async fn retry<T, E, F, Fut>(
    policy: &Backoff,
    cancel: &CancellationToken,
    mut attempt: F,
    verdict: impl Fn(&E) -> Verdict,
) -> Result<T, Stopped<E>>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut first_failure: Option<tokio::time::Instant> = None;
    let mut failures = 0u32;
    loop {
        let error = match attempt(failures + 1).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        failures += 1;
        let advice = match verdict(&error) {
            Verdict::Fail => {
                return Err(Stopped::Failed {
                    error,
                    attempts: failures,
                });
            }
            Verdict::Retry { after } => after,
        };
        let wait = advice.unwrap_or_else(|| policy.delay(failures));
        let since = *first_failure.get_or_insert_with(tokio::time::Instant::now);
        let out_of_attempts = policy.max_attempts.is_some_and(|max| failures >= max);
        let out_of_time = policy
            .total
            .is_some_and(|total| since.elapsed() + wait > total);
        if out_of_attempts || out_of_time {
            return Err(Stopped::Failed {
                error,
                attempts: failures,
            });
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = cancel.cancelled() => {
                return Err(Stopped::Cancelled { error, attempts: failures });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    fn policy() -> Backoff {
        Backoff {
            initial: Duration::from_millis(100),
            max: Duration::from_millis(350),
            multiplier: 2.0,
            jitter: false,
            max_attempts: Some(5),
            total: None,
        }
    }

    #[test]
    fn delays_grow_to_the_cap_and_jitter_stays_within_a_quarter() {
        let p = policy();
        let waits: Vec<u128> = (1..=4).map(|n| p.delay(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 350, 350]);
        let jittered = Backoff { jitter: true, ..p };
        for n in 1..50 {
            let d = jittered.delay(1).as_millis();
            assert!((75..=125).contains(&d), "attempt {n}: {d}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn transient_failures_are_retried_until_success() {
        let calls = AtomicU32::new(0);
        let started = tokio::time::Instant::now();
        let result: Result<u32, Stopped<&str>> = retry(
            &policy(),
            &CancellationToken::new(),
            |n| {
                calls.fetch_add(1, Ordering::SeqCst);
                async move { if n < 3 { Err("busy") } else { Ok(n) } }
            },
            |_| Verdict::RETRY,
        )
        .await;
        assert_eq!(result, Ok(3));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        // 100 ms + 200 ms of (paused, auto-advanced) waiting.
        assert_eq!(started.elapsed(), Duration::from_millis(300));
    }

    #[tokio::test(start_paused = true)]
    async fn final_errors_attempt_limits_and_total_time_stop_the_loop() {
        let result: Result<(), _> = retry(
            &policy(),
            &CancellationToken::new(),
            |_| async { Err("denied") },
            |_| Verdict::Fail,
        )
        .await;
        assert_eq!(
            result,
            Err(Stopped::Failed {
                error: "denied",
                attempts: 1
            })
        );
        let result: Result<(), _> = retry(
            &policy(),
            &CancellationToken::new(),
            |_| async { Err("busy") },
            |_| Verdict::RETRY,
        )
        .await;
        assert_eq!(result.unwrap_err().attempts(), 5);
        let timed = Backoff {
            max_attempts: None,
            total: Some(Duration::from_millis(500)),
            ..policy()
        };
        let result: Result<(), _> = retry(
            &timed,
            &CancellationToken::new(),
            |_| async { Err("busy") },
            |_| Verdict::RETRY,
        )
        .await;
        // Waits of 100 and 200 fit in 500 ms; the next (350) would not.
        assert_eq!(result.unwrap_err().attempts(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_advice_and_cancellation_are_honoured() {
        let started = tokio::time::Instant::now();
        let result: Result<u32, Stopped<&str>> = retry(
            &policy(),
            &CancellationToken::new(),
            |n| async move { if n == 1 { Err("slow down") } else { Ok(n) } },
            |_| Verdict::Retry {
                after: Some(Duration::from_secs(3)),
            },
        )
        .await;
        assert_eq!(result, Ok(2));
        assert_eq!(started.elapsed(), Duration::from_secs(3));

        let cancel = CancellationToken::new();
        let stopper = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(150)).await;
            stopper.cancel();
        });
        let result: Result<(), _> = retry(
            &policy(),
            &cancel,
            |_| async { Err("busy") },
            |_| Verdict::RETRY,
        )
        .await;
        assert!(
            matches!(result, Err(Stopped::Cancelled { attempts: 2, .. })),
            "{result:?}"
        );
    }
}
