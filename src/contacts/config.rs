//! The `contacts:` section of the config file: noise filters, the relevance formula's weights
//! and half-life, when a change is worth pushing, and retention. Every field is optional; the
//! defaults are documented in `docs/contacts.md`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// Contact discovery's settings (`deny_unknown_fields`: a typo names its line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContactsConfig {
    /// Each user's own addresses and aliases, by user id; never contacts. Addresses the user
    /// sends from are learned as well.
    pub own_addresses: BTreeMap<String, Vec<String>>,
    /// Local parts (before `@`) that mark automated senders, matched after removing `-`, `_`
    /// and `.`: `no-reply`, `no_reply` and `noreply` are one pattern. A local part that starts
    /// with one of them, or a `+`-free local part equal to one, is noise.
    pub automated_local_parts: Vec<String>,
    /// Mail labels that mark bulk or mailing-list mail (Gmail's categories, Outlook's folders).
    pub bulk_labels: Vec<String>,
    /// Interactions with more people than this at once are not counted at all.
    pub max_group_size: usize,
    /// Weights of the interaction kinds.
    pub weights: Weights,
    /// How long it takes an interaction's weight to halve.
    #[serde(with = "crate::duration")]
    pub half_life: Duration,
    /// When a contact's change is pushed to Vespa as a `ContactEvent`.
    pub push: PushRule,
    /// Contacts without an interaction for this long are removed by `contacts prune`.
    #[serde(with = "crate::duration")]
    pub retention: Duration,
}

impl Default for ContactsConfig {
    fn default() -> ContactsConfig {
        ContactsConfig {
            own_addresses: BTreeMap::new(),
            automated_local_parts: [
                "noreply",
                "donotreply",
                "notification",
                "notifications",
                "notify",
                "mailerdaemon",
                "postmaster",
                "bounce",
                "bounces",
                "alerts",
                "newsletter",
            ]
            .map(String::from)
            .to_vec(),
            bulk_labels: [
                "CATEGORY_PROMOTIONS",
                "CATEGORY_SOCIAL",
                "CATEGORY_UPDATES",
                "CATEGORY_FORUMS",
                "SPAM",
            ]
            .map(String::from)
            .to_vec(),
            max_group_size: 100,
            weights: Weights::default(),
            half_life: Duration::from_secs(90 * 86_400),
            push: PushRule::default(),
            retention: Duration::from_secs(730 * 86_400),
        }
    }
}

/// A `contacts:` setting that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactsConfigError {
    #[error("contacts.{field} is {value}; it must be a finite number of 0 or more")]
    Negative { field: &'static str, value: String },
    #[error("contacts.{field} must be more than zero")]
    Zero { field: &'static str },
    #[error("contacts.own_addresses.{user}: `{address}` is not an e-mail address")]
    NotAnAddress { user: String, address: String },
}

impl ContactsConfig {
    /// Checks what serde cannot: weights and thresholds are finite and not negative, the
    /// half-life, group size and debounce are not zero, own addresses are addresses.
    pub fn validate(&self) -> Result<(), ContactsConfigError> {
        let w = &self.weights;
        let p = &self.push;
        let numbers = [
            ("weights.email_outbound", w.email_outbound),
            ("weights.email_inbound", w.email_inbound),
            ("weights.email_cc", w.email_cc),
            ("weights.calendar_organized", w.calendar_organized),
            ("weights.calendar_invited", w.calendar_invited),
            ("weights.calendar_together", w.calendar_together),
            ("weights.document_shared", w.document_shared),
            ("weights.document_received", w.document_received),
            ("weights.document_together", w.document_together),
            ("weights.declined_factor", w.declined_factor),
            ("weights.tentative_factor", w.tentative_factor),
            ("weights.unanswered_factor", w.unanswered_factor),
            ("push.relative_change", p.relative_change),
            ("push.absolute_change", p.absolute_change),
        ];
        for (field, value) in numbers {
            if !value.is_finite() || value < 0.0 {
                return Err(ContactsConfigError::Negative {
                    field,
                    value: value.to_string(),
                });
            }
        }
        if self.half_life.is_zero() {
            return Err(ContactsConfigError::Zero { field: "half_life" });
        }
        if self.max_group_size == 0 {
            return Err(ContactsConfigError::Zero {
                field: "max_group_size",
            });
        }
        if self.retention.is_zero() {
            return Err(ContactsConfigError::Zero { field: "retention" });
        }
        for (user, addresses) in &self.own_addresses {
            if let Some(address) = addresses
                .iter()
                .find(|a| super::address::normalise(a, None).is_none())
            {
                return Err(ContactsConfigError::NotAnAddress {
                    user: user.clone(),
                    address: address.clone(),
                });
            }
        }
        Ok(())
    }
}

/// `w(type, direction)`: what one interaction adds before group size and decay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// The user wrote to them (to, cc or bcc).
    pub email_outbound: f64,
    /// They wrote to the user.
    pub email_inbound: f64,
    /// They were a fellow recipient of mail the user received.
    pub email_cc: f64,
    /// The user organizes an entry they attend.
    pub calendar_organized: f64,
    /// They organize an entry the user attends.
    pub calendar_invited: f64,
    /// They attend an entry the user attends, neither organizing.
    pub calendar_together: f64,
    /// The user owns a document shared with them.
    pub document_shared: f64,
    /// They own or last changed a document the user can see.
    pub document_received: f64,
    /// They can see a document the user can see, neither owning it.
    pub document_together: f64,
    /// Factor on a calendar interaction whose attendee declined.
    pub declined_factor: f64,
    /// Factor on one whose attendee answered tentatively.
    pub tentative_factor: f64,
    /// Factor on one whose attendee has not answered.
    pub unanswered_factor: f64,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            email_outbound: 3.0,
            email_inbound: 1.0,
            email_cc: 0.5,
            calendar_organized: 2.0,
            calendar_invited: 1.5,
            calendar_together: 1.0,
            document_shared: 1.5,
            document_received: 1.0,
            document_together: 0.5,
            declined_factor: 0.25,
            tentative_factor: 0.75,
            unanswered_factor: 0.5,
        }
    }
}

/// When a contact's change is worth a `ContactEvent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PushRule {
    /// A new contact is pushed once it has this many outbound interactions...
    pub min_outbound: u64,
    /// ...or this many inbound ones (cc'd-with and together count as inbound).
    pub min_inbound: u64,
    /// A known contact is pushed again when its score moved by this fraction of the pushed one...
    pub relative_change: f64,
    /// ...or by this much,
    pub absolute_change: f64,
    /// or when it enters the user's top this many.
    pub top_n: usize,
    /// At most one push per contact per this long.
    #[serde(with = "crate::duration")]
    pub debounce: Duration,
}

impl Default for PushRule {
    fn default() -> PushRule {
        PushRule {
            min_outbound: 1,
            min_inbound: 2,
            relative_change: 0.2,
            absolute_change: 1.0,
            top_n: 20,
            debounce: Duration::from_secs(600),
        }
    }
}
