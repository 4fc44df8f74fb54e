//! The drill's seeded randomness (SplitMix64): the same `--seed` makes the same chaos
//! decisions, so a failing drill can be run again as it was.

use std::time::Duration;

/// A seeded source of decisions.
#[derive(Debug, Clone)]
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// A duration drawn evenly from `low..=high`, to the millisecond.
    pub fn between(&mut self, low: Duration, high: Duration) -> Duration {
        let (low, high) = (
            low.as_millis() as u64,
            high.as_millis().max(low.as_millis()) as u64,
        );
        Duration::from_millis(low + self.next_u64() % (high - low + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_decisions() {
        let draw = |seed| {
            let mut dice = Dice::new(seed);
            (0..20)
                .map(|_| dice.between(Duration::from_millis(10), Duration::from_millis(20)))
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
        assert!(draw(3).iter().all(|d| (10..=20).contains(&d.as_millis())));
        let mut dice = Dice::new(9);
        let hits = (0..1000).filter(|_| dice.chance(0.5)).count();
        assert!((400..600).contains(&hits), "{hits}");
    }
}
