//! `contacts show`: a user's ranked contacts with their score now, counts per channel and
//! direction, first and last seen, and why (the interactions that weigh most today).

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

use super::address::normalise;
use super::record::ContactRecord;
use super::score::decay;
use super::store::{ContactStore, ContactStoreError};
use crate::report::{Report, Table};

/// A user's contacts as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ContactsShow {
    pub user_id: String,
    /// The time the scores are read at.
    pub at: DateTime<Utc>,
    pub contacts: Vec<ShownContact>,
}

/// One contact as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ShownContact {
    pub rank: usize,
    pub address: String,
    pub name: Option<String>,
    /// The score at [`ContactsShow::at`].
    pub score: f64,
    /// Interactions per `channel.direction`.
    pub counts: BTreeMap<String, u64>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// The interactions that weigh most at [`ContactsShow::at`], heaviest first.
    pub why: Vec<Reason>,
    /// The score Vespa holds, if pushed.
    pub pushed_score: Option<f64>,
}

/// One interaction's share of a score now.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub kind: String,
    pub at: DateTime<Utc>,
    pub group_size: usize,
    /// Its weight at [`ContactsShow::at`].
    pub weighs: f64,
}

/// No contact at the address asked for.
#[derive(Debug, thiserror::Error)]
pub enum ShowError {
    #[error("`{0}` is not an e-mail address")]
    NotAnAddress(String),
    #[error("user `{user}` has no contact `{address}`")]
    Unknown { user: String, address: String },
    #[error(transparent)]
    Store(#[from] ContactStoreError),
}

/// The user's `top` contacts, or the one at `address`, read at `now`.
pub async fn show(
    store: &ContactStore,
    user: &str,
    top: usize,
    address: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ContactsShow, ShowError> {
    let half_life = store.config().half_life;
    let ranked: Vec<(usize, ContactRecord)> = match address {
        Some(text) => {
            let unknown = || ShowError::Unknown {
                user: user.to_string(),
                address: text.to_string(),
            };
            // As stored: normalised for any provider, or for Google's (plus tags dropped).
            let mut found = None;
            for provider in [None, Some(crate::model::fields::Provider::Google)] {
                let normalised = normalise(text, provider)
                    .ok_or_else(|| ShowError::NotAnAddress(text.to_string()))?;
                if let Some(record) = store.get(user, &normalised).await? {
                    found = Some((normalised, record));
                    break;
                }
            }
            let (normalised, record) = found.ok_or_else(unknown)?;
            let id = crate::keys::contact_id(&normalised);
            let rank = store.rank(user, &id).await?.ok_or_else(unknown)?;
            vec![(rank, record)]
        }
        None => store
            .top(user, top)
            .await?
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i + 1, r))
            .collect(),
    };
    let contacts = ranked
        .into_iter()
        .map(|(rank, record)| {
            let why = record
                .top
                .iter()
                .map(|c| Reason {
                    kind: c.kind.clone(),
                    at: c.at,
                    group_size: c.group_size,
                    weighs: if now > c.at {
                        c.weight * decay(now - c.at, half_life)
                    } else {
                        c.weight
                    },
                })
                .collect();
            ShownContact {
                rank,
                name: record.display_name().map(str::to_string),
                score: record.score.at(now, half_life),
                address: record.address,
                counts: record.counts,
                first_seen: record.first_seen,
                last_seen: record.last_seen,
                why,
                pushed_score: record.pushed.map(|p| p.score),
            }
        })
        .collect();
    Ok(ContactsShow {
        user_id: user.to_string(),
        at: now,
        contacts,
    })
}

impl Report for ContactsShow {
    fn tables(&self) -> Vec<Table> {
        let mut table = Table::new([
            "rank",
            "contact",
            "name",
            "score",
            "interactions",
            "last seen",
            "why (weighs most now)",
        ])
        .titled(format!(
            "contacts of {} (scores at {})",
            self.user_id,
            self.at.format("%Y-%m-%d %H:%M UTC")
        ));
        for c in &self.contacts {
            let interactions: Vec<String> =
                c.counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let why = c.why.first().map_or(String::new(), |r| {
                format!(
                    "{} {} (n={}, {:.2})",
                    r.kind,
                    r.at.format("%Y-%m-%d"),
                    r.group_size,
                    r.weighs
                )
            });
            table.push([
                c.rank.to_string(),
                c.address.clone(),
                c.name.clone().unwrap_or_default(),
                format!("{:.3}", c.score),
                interactions.join(", "),
                c.last_seen.format("%Y-%m-%d").to_string(),
                why,
            ]);
        }
        vec![table]
    }
}
