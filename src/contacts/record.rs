//! The `EmailContact` record: what the platform knows about one person a user deals with —
//! display names seen, counts per channel and direction, first and last seen, the last
//! interaction per channel, the decayed score, the interactions that contributed most, and the
//! score last pushed to Vespa. Folding interactions into it does not depend on their order.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::config::ContactsConfig;
use super::interaction::{Direction, Interaction};
use super::score::Score;

/// How many top contributions a record keeps to explain its score.
pub const TOP_CONTRIBUTIONS: usize = 5;

/// One person, for one user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactRecord {
    /// Normalised address.
    pub address: String,
    /// Display names seen, with how often.
    pub names: BTreeMap<String, u64>,
    /// Interactions per `channel.direction` (e.g. `email.outbound`).
    pub counts: BTreeMap<String, u64>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// The latest interaction per channel.
    pub last_by_channel: BTreeMap<String, DateTime<Utc>>,
    pub score: Score,
    /// The interactions that weigh most today, heaviest first (at most [`TOP_CONTRIBUTIONS`]).
    pub top: Vec<Contribution>,
    /// What Vespa holds: the score pushed last and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed: Option<Pushed>,
}

/// One interaction's share of the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// `channel.direction`.
    pub kind: String,
    pub group_size: usize,
    /// The weight it added at its time, before decay.
    pub weight: f64,
    pub at: DateTime<Utc>,
}

/// The last push of a contact to Vespa.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pushed {
    pub score: f64,
    pub at: DateTime<Utc>,
}

impl ContactRecord {
    /// A record with its first interaction.
    pub fn new(interaction: &Interaction, config: &ContactsConfig) -> ContactRecord {
        let mut record = ContactRecord {
            address: interaction.address.clone(),
            names: BTreeMap::new(),
            counts: BTreeMap::new(),
            first_seen: interaction.at,
            last_seen: interaction.at,
            last_by_channel: BTreeMap::new(),
            score: Score::zero(interaction.at),
            top: Vec::new(),
            pushed: None,
        };
        record.apply(interaction, config);
        record
    }

    /// Folds one interaction in.
    pub fn apply(&mut self, interaction: &Interaction, config: &ContactsConfig) {
        let kind = format!(
            "{}.{}",
            interaction.channel.as_str(),
            interaction.direction.as_str()
        );
        *self.counts.entry(kind.clone()).or_default() += 1;
        if let Some(name) = &interaction.name {
            *self.names.entry(name.clone()).or_default() += 1;
        }
        self.first_seen = self.first_seen.min(interaction.at);
        self.last_seen = self.last_seen.max(interaction.at);
        let last = self
            .last_by_channel
            .entry(interaction.channel.as_str().to_string())
            .or_insert(interaction.at);
        *last = (*last).max(interaction.at);
        let weight = interaction.weight(&config.weights);
        self.score.add(weight, interaction.at, config.half_life);
        self.top.push(Contribution {
            kind,
            group_size: interaction.group_size,
            weight,
            at: interaction.at,
        });
        // Decayed to any common time, a contribution weighs w · 2^(t/H): rank by its log,
        // which needs no reference time and so does not depend on arrival order. Ties go to
        // the later, then the heavier, then the kind's name.
        let h = config.half_life.as_secs_f64().max(1.0);
        let key = |c: &Contribution| c.weight.ln() + (c.at.timestamp() as f64 / h) * 2f64.ln();
        self.top.sort_by(|a, b| {
            key(b)
                .total_cmp(&key(a))
                .then(b.at.cmp(&a.at))
                .then(b.weight.total_cmp(&a.weight))
                .then(a.kind.cmp(&b.kind))
        });
        self.top.truncate(TOP_CONTRIBUTIONS);
    }

    /// The most frequent display name; ties go to the alphabetically first.
    pub fn display_name(&self) -> Option<&str> {
        self.names
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(n, _)| n.as_str())
    }

    /// Outbound interactions, every channel.
    pub fn outbound(&self) -> u64 {
        self.count_where(|d| d == Direction::Outbound.as_str())
    }

    /// Inbound and together interactions, every channel.
    pub fn inbound(&self) -> u64 {
        self.count_where(|d| d != Direction::Outbound.as_str())
    }

    fn count_where(&self, keep: impl Fn(&str) -> bool) -> u64 {
        self.counts
            .iter()
            .filter(|(k, _)| k.rsplit_once('.').is_some_and(|(_, d)| keep(d)))
            .map(|(_, n)| n)
            .sum()
    }
}
