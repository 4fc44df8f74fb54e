//! Which contact changes are worth a `ContactEvent`: a new contact once it matters, a known one
//! when its score moved enough or it entered the user's top N, and at most one push per contact
//! per debounce interval.

use chrono::{DateTime, Utc};

use super::config::ContactsConfig;
use super::record::ContactRecord;

/// Why a change is pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Push {
    /// Never pushed, and now has enough interactions.
    New,
    /// Its score moved by the configured amount since the last push.
    Moved,
    /// It entered the user's top N.
    EnteredTop,
}

impl Push {
    /// The reason's metric label.
    pub fn label(self) -> &'static str {
        match self {
            Push::New => "new",
            Push::Moved => "moved",
            Push::EnteredTop => "entered_top",
        }
    }
}

/// Why a change is held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// Not pushed yet, and too few interactions to matter.
    TooFewInteractions,
    /// Pushed less than the debounce interval ago.
    Debounced,
    /// The score moved too little, and its rank did not enter the top N.
    SmallChange,
}

impl Hold {
    /// The reason's metric label.
    pub fn label(self) -> &'static str {
        match self {
            Hold::TooFewInteractions => "too_few_interactions",
            Hold::Debounced => "debounced",
            Hold::SmallChange => "small_change",
        }
    }
}

/// Decides for `record` after a change, at `now`. `rank` is its 1-based place among the user's
/// contacts now and `rank_before` before the change (`None` when it had none).
pub fn decide(
    record: &ContactRecord,
    rank: usize,
    rank_before: Option<usize>,
    now: DateTime<Utc>,
    config: &ContactsConfig,
) -> Result<Push, Hold> {
    let rule = &config.push;
    let Some(pushed) = record.pushed else {
        return if record.outbound() >= rule.min_outbound || record.inbound() >= rule.min_inbound {
            Ok(Push::New)
        } else {
            Err(Hold::TooFewInteractions)
        };
    };
    let since = (now - pushed.at).to_std().unwrap_or_default();
    if since < rule.debounce {
        return Err(Hold::Debounced);
    }
    let current = record.score.at(now, config.half_life);
    let moved = (current - pushed.score).abs();
    if moved >= rule.absolute_change || moved >= rule.relative_change * pushed.score.abs() {
        return Ok(Push::Moved);
    }
    if rank <= rule.top_n && rank_before.is_none_or(|r| r > rule.top_n) {
        return Ok(Push::EnteredTop);
    }
    Err(Hold::SmallChange)
}
