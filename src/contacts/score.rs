//! The decayed relevance score: every interaction adds its weight, and weights halve every
//! half-life. The score is kept as its value at a reference time (the latest interaction's) and
//! decayed lazily, so adding is O(1) and the result does not depend on the order interactions
//! arrive in:
//!
//! `S(t) = Σ wᵢ · 2^(−(t − tᵢ) / H)`, stored as `(S(t_ref), t_ref)` with `t_ref = max tᵢ`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A score and the time its value holds at.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub value: f64,
    pub at: DateTime<Utc>,
}

/// `2^(−Δ / H)` for a time difference `Δ` (any sign) and half-life `H`.
pub fn decay(delta: chrono::TimeDelta, half_life: Duration) -> f64 {
    let h = half_life.as_secs_f64().max(1.0);
    let d = delta.num_milliseconds() as f64 / 1000.0;
    (-d / h).exp2()
}

impl Score {
    /// Nothing yet.
    pub fn zero(at: DateTime<Utc>) -> Score {
        Score { value: 0.0, at }
    }

    /// Adds `weight` at time `t`.
    pub fn add(&mut self, weight: f64, t: DateTime<Utc>, half_life: Duration) {
        if self.value == 0.0 {
            *self = Score {
                value: weight,
                at: t,
            };
        } else if t >= self.at {
            self.value = self.value * decay(t - self.at, half_life) + weight;
            self.at = t;
        } else {
            self.value += weight * decay(self.at - t, half_life);
        }
    }

    /// The value at `now`; a `now` before the reference time reads the reference value (no
    /// growth from clock skew).
    pub fn at(&self, now: DateTime<Utc>, half_life: Duration) -> f64 {
        if now <= self.at {
            self.value
        } else {
            self.value * decay(now - self.at, half_life)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(n: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + chrono::TimeDelta::days(n)
    }

    const H90: Duration = Duration::from_secs(90 * 86_400);

    /// Interactions as (weight, day), the day read, the expected score.
    type Case = (&'static [(f64, i64)], i64, f64);

    #[test]
    fn hand_computed_values() {
        // With a 90-day half-life.
        let cases: &[Case] = &[
            (&[(3.0, 0)], 0, 3.0),
            (&[(3.0, 0)], 90, 1.5),
            (&[(3.0, 0)], 180, 0.75),
            (&[(1.0, 0), (1.0, 90)], 90, 1.5),
            (&[(1.0, 90), (1.0, 0)], 90, 1.5),
            // 2 · 2^(−1/3) + 1 at day 30 = 2.587401...
            (
                &[(2.0, 0), (1.0, 30)],
                30,
                2.0 * 0.793_700_525_984_099_7 + 1.0,
            ),
            // Read before the reference: the reference value.
            (&[(4.0, 10)], 0, 4.0),
            // 1/√40 = 0.1581… for one of 40 recipients, read a half-life later.
            (
                &[(0.158_113_883_008_418_98, 0)],
                90,
                0.079_056_941_504_209_48,
            ),
        ];
        for (adds, read, expected) in cases {
            let mut s = Score::zero(day(0));
            for (w, d) in *adds {
                s.add(*w, day(*d), H90);
            }
            let got = s.at(day(*read), H90);
            assert!(
                (got - expected).abs() < 1e-12,
                "{adds:?} read {read}: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn order_does_not_matter() {
        // Every order of a set of interactions gives the same score (to rounding).
        let adds: Vec<(f64, i64)> = (0..7).map(|i| (0.5 + i as f64, (i * 37) % 200)).collect();
        let mut reference = Score::zero(day(0));
        for (w, d) in &adds {
            reference.add(*w, day(*d), H90);
        }
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..200 {
            let mut order = adds.clone();
            for i in (1..order.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                order.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let mut s = Score::zero(day(0));
            for (w, d) in &order {
                s.add(*w, day(*d), H90);
            }
            assert_eq!(s.at, reference.at);
            assert!((s.value - reference.value).abs() <= 1e-12 * reference.value);
        }
    }
}
