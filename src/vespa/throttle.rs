//! How many operations may be in flight: additive increase, multiplicative decrease (AIMD).
//!
//! The official clients search for the in-flight count that maximises throughput (a bucketed
//! random walk, vespa-feed-clients.md §1). We start simpler: every success adds
//! [`INCREASE_TENTHS`] tenth to the target (Java's `targetX10 += 1`, i.e. +0.1 per success), every 429 cuts
//! it to half of what was in flight when the overload was seen (never below `min`). Cutting to
//! `inflight / 2` rather than `target / 2` means a burst of 429s from one overload moment halves
//! once instead of collapsing to the minimum.

/// Target growth per successful operation, in tenths.
pub const INCREASE_TENTHS: usize = 1;

/// The in-flight target.
#[derive(Debug, Clone)]
pub struct Throttle {
    /// The target in tenths of an operation, so growth is exact.
    tenths: usize,
    min: usize,
    max: usize,
}

impl Throttle {
    /// Starts at `start`, bounded by `[min, max]`.
    pub fn new(min: usize, max: usize, start: usize) -> Self {
        let min = min.max(1);
        let max = max.max(min);
        Self {
            tenths: start.clamp(min, max) * 10,
            min,
            max,
        }
    }

    /// The number of operations that may be in flight now.
    pub fn target(&self) -> usize {
        (self.tenths / 10).clamp(self.min, self.max)
    }

    /// An operation succeeded.
    pub fn success(&mut self) {
        self.tenths = (self.tenths + INCREASE_TENTHS).min(self.max * 10);
    }

    /// The server answered 429 while `inflight` operations were outstanding.
    pub fn overloaded(&mut self, inflight: usize) {
        let cut = (inflight * 5).max(self.min * 10);
        self.tenths = self.tenths.min(cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_additively_up_to_max() {
        let mut t = Throttle::new(4, 10, 4);
        assert_eq!(t.target(), 4);
        for _ in 0..10 {
            t.success();
        }
        assert_eq!(t.target(), 5);
        for _ in 0..1000 {
            t.success();
        }
        assert_eq!(t.target(), 10);
    }

    #[test]
    fn overload_halves_what_was_in_flight_but_not_below_min() {
        let mut t = Throttle::new(4, 1000, 100);
        t.overloaded(100);
        assert_eq!(t.target(), 50);
        // More 429s from the same moment (still ~100 in flight) do not cut again.
        t.overloaded(99);
        assert_eq!(t.target(), 49);
        t.overloaded(3);
        assert_eq!(t.target(), 4);
    }

    #[test]
    fn start_is_clamped() {
        assert_eq!(Throttle::new(8, 16, 1).target(), 8);
        assert_eq!(Throttle::new(8, 16, 100).target(), 16);
        assert_eq!(Throttle::new(0, 0, 0).target(), 1);
    }
}
