//! Following a correlation id, a batch or an event through the stages: published (by whom),
//! consumed (by whom), indexed (documents in Vespa carrying the event as `source_event_id`),
//! with what is missing at each stage.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::keys;
use crate::model::catalog::DataType;
use crate::model::vespa::schema::CONTENT_CLUSTER;
use crate::report::{Report, Table};
use crate::run::CancellationToken;
use crate::trail::{CONSUMED, Entry, PUBLISHED};
use crate::vespa::feed::Transport;
use crate::vespa::visit::{self, VisitOptions, VisitTarget};

/// Event ids per Vespa selection, so a selection stays short.
const IDS_PER_VISIT: usize = 40;

/// Most missing ids listed per stage (the count is always whole).
const MISSING_SHOWN: usize = 20;

/// What to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Correlation(String),
    Batch(String),
    Event(String),
}

/// A trace failure, naming what was being read.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    #[error("Redis {operation} `{key}`: {source}")]
    Redis {
        operation: &'static str,
        key: String,
        #[source]
        source: redis::RedisError,
    },
    #[error("no trace of {what} `{id}`: nothing recorded it in the last 7 days")]
    Unknown { what: &'static str, id: String },
    #[error(transparent)]
    Visit(#[from] visit::VisitError),
}

/// The correlation id `query` belongs to.
pub async fn correlation_of(
    conn: &mut redis::aio::MultiplexedConnection,
    query: &Query,
) -> Result<String, TraceError> {
    let (kind, what, id) = match query {
        Query::Correlation(id) => return Ok(id.clone()),
        Query::Batch(id) => ("batch", "batch", id),
        Query::Event(id) => ("event", "event", id),
    };
    let key = keys::trace_index(kind, id);
    let found: Option<String> = redis::cmd("GET")
        .arg(&key)
        .query_async(conn)
        .await
        .map_err(|source| TraceError::Redis {
            operation: "GET",
            key: key.clone(),
            source,
        })?;
    found.ok_or_else(|| TraceError::Unknown {
        what,
        id: id.clone(),
    })
}

/// Every entry recorded at `stage` under `correlation_id`, by whoever recorded it.
pub async fn entries(
    conn: &mut redis::aio::MultiplexedConnection,
    correlation_id: &str,
    stage: &str,
) -> Result<Vec<Entry>, TraceError> {
    let key = keys::trace_stage(correlation_id, stage);
    let fields: Vec<(String, Vec<u8>)> = redis::cmd("HGETALL")
        .arg(&key)
        .query_async(conn)
        .await
        .map_err(|source| TraceError::Redis {
            operation: "HGETALL",
            key: key.clone(),
            source,
        })?;
    let mut out = Vec::with_capacity(fields.len());
    for (field, value) in fields {
        match serde_json::from_slice::<Entry>(&value) {
            Ok(entry) => out.push(entry),
            Err(err) => tracing::warn!(key, field, why = %err, "unreadable trace entry skipped"),
        }
    }
    Ok(out)
}

/// Which entries the trace is about: all of the correlation id, or one batch or event, and
/// one user's.
pub fn select(entries: Vec<Entry>, query: &Query, user: Option<&str>) -> Vec<Entry> {
    entries
        .into_iter()
        .filter(|e| user.is_none_or(|u| e.user == u))
        .filter(|e| match query {
            Query::Correlation(_) => true,
            Query::Batch(id) => e.batch_id.as_deref() == Some(id.as_str()) || &e.event_id == id,
            Query::Event(id) => &e.event_id == id,
        })
        .collect()
}

/// Documents in Vespa per source event id, for the events of `entries` (one visit per user,
/// document type and 40 ids, with a selection on `source_event_id`).
pub async fn indexed<T: Transport + ?Sized>(
    transport: &T,
    entries: &[Entry],
    cancel: &CancellationToken,
) -> Result<BTreeMap<String, u64>, TraceError> {
    let mut groups: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for e in entries {
        groups
            .entry((e.user.clone(), e.doc_type.clone()))
            .or_default()
            .insert(e.event_id.clone());
    }
    let options = VisitOptions::default();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for ((user, doc_type), ids) in groups {
        let Some(data_type) = DataType::from_vespa_type(&doc_type) else {
            continue;
        };
        let Some(base) = visit::plan(&[user], &[data_type], CONTENT_CLUSTER).pop() else {
            continue;
        };
        let ids: Vec<String> = ids.into_iter().collect();
        for chunk in ids.chunks(IDS_PER_VISIT) {
            let selection = chunk
                .iter()
                .map(|id| format!("{doc_type}.source_event_id==\"{}\"", quote(id)))
                .collect::<Vec<_>>()
                .join(" or ");
            let target = VisitTarget {
                selection: Some(selection),
                ..base.clone()
            };
            visit::each_document(transport, &target, &options, cancel, |doc| {
                if let Some(id) = doc.fields["source_event_id"].as_str() {
                    *counts.entry(id.to_string()).or_default() += 1;
                }
            })
            .await?;
        }
    }
    Ok(counts)
}

fn quote(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The events that must have documents in Vespa: every one published or consumed, deletes
/// left out (they leave none), once each.
pub fn to_index(published: &[Entry], consumed: &[Entry]) -> Vec<Entry> {
    let mut seen = BTreeSet::new();
    published
        .iter()
        .chain(consumed)
        .filter(|e| !e.delete && seen.insert(e.event_id.clone()))
        .cloned()
        .collect()
}

/// One stage of a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    /// `published`, `consumed` or `indexed`.
    pub stage: String,
    /// Who: a publisher, a consumer, or `vespa`.
    pub by: String,
    /// Events at this stage.
    pub events: u64,
    /// Items in them (e-mails, contacts; documents for `indexed`).
    pub items: u64,
    /// Events the stage before has and this one lacks (all counted, the first 20 listed).
    pub missing: u64,
    pub missing_ids: Vec<String>,
}

/// `officectl trace`'s report.
#[derive(Debug, Clone, Serialize)]
pub struct TraceReport {
    pub correlation_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    pub stages: Vec<Stage>,
    /// True when every published event was consumed by the loader and indexed.
    pub complete: bool,
}

/// The report of what was `published` and `consumed` (selected entries) and `indexed`
/// (documents per event id; `None` when Vespa was not asked).
pub fn report(
    correlation_id: &str,
    user: Option<&str>,
    published: &[Entry],
    consumed: &[Entry],
    indexed: Option<&BTreeMap<String, u64>>,
) -> TraceReport {
    let by = |entries: &[Entry]| {
        let mut out: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for e in entries {
            out.entry(e.by.clone()).or_default().push(e.clone());
        }
        out
    };
    // The loader records batch events only: those are what it must have consumed.
    let published_ids: BTreeSet<&str> = published
        .iter()
        .filter(|e| e.batch_id.is_some())
        .map(|e| e.event_id.as_str())
        .collect();
    let mut stages = Vec::new();
    let stage = |name: &str, who: &str, entries: &[Entry], before: &BTreeSet<&str>| {
        let have: BTreeSet<&str> = entries.iter().map(|e| e.event_id.as_str()).collect();
        let missing: Vec<String> = before.difference(&have).map(|s| s.to_string()).collect();
        Stage {
            stage: name.to_string(),
            by: who.to_string(),
            events: have.len() as u64,
            items: entries.iter().map(|e| e.items).sum(),
            missing: missing.len() as u64,
            missing_ids: missing.into_iter().take(MISSING_SHOWN).collect(),
        }
    };
    let none = BTreeSet::new();
    for (who, entries) in by(published) {
        stages.push(stage(PUBLISHED, &who, &entries, &none));
    }
    let mut complete = !published.is_empty();
    let consumers = by(consumed);
    for (who, entries) in &consumers {
        let s = stage(CONSUMED, who, entries, &published_ids);
        complete &= s.missing == 0;
        stages.push(s);
    }
    if consumers.is_empty() {
        complete = false;
        stages.push(stage(CONSUMED, "vespa-loader", &[], &published_ids));
    }
    if let Some(indexed) = indexed {
        let have: Vec<String> = indexed.keys().cloned().collect();
        let expected = to_index(published, consumed);
        let missing: Vec<String> = expected
            .iter()
            .map(|e| e.event_id.as_str())
            .filter(|id| !indexed.contains_key(*id))
            .map(|s| s.to_string())
            .collect();
        complete &= missing.is_empty();
        stages.push(Stage {
            stage: "indexed".to_string(),
            by: "vespa".to_string(),
            events: have.len() as u64,
            items: indexed.values().sum(),
            missing: missing.len() as u64,
            missing_ids: missing.into_iter().take(MISSING_SHOWN).collect(),
        });
    }
    TraceReport {
        correlation_id: correlation_id.to_string(),
        user: user.map(str::to_string),
        stages,
        complete,
    }
}

impl Report for TraceReport {
    fn tables(&self) -> Vec<Table> {
        let mut table = Table::new(["stage", "by", "events", "items", "missing"])
            .titled(format!("correlation id {}", self.correlation_id));
        for s in &self.stages {
            let missing = if s.missing == 0 {
                "0".to_string()
            } else {
                let more = if s.missing as usize > s.missing_ids.len() {
                    ", …"
                } else {
                    ""
                };
                format!("{}: {}{more}", s.missing, s.missing_ids.join(", "))
            };
            table.push([
                s.stage.clone(),
                s.by.clone(),
                s.events.to_string(),
                s.items.to_string(),
                missing,
            ]);
        }
        vec![table]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(by: &str, id: &str, items: u64) -> Entry {
        Entry {
            by: by.into(),
            event_id: id.into(),
            event_type: "EmailEvent".into(),
            user: "u".into(),
            doc_type: "email".into(),
            batch_id: Some(id.into()),
            delete: false,
            items,
        }
    }

    #[test]
    fn each_stage_names_what_the_one_before_has_and_it_lacks() {
        let published = [entry("backfill", "b1", 100), entry("backfill", "b2", 40)];
        let consumed = [entry("vespa-loader", "b1", 100)];
        let indexed = BTreeMap::from([("b1".to_string(), 99)]);
        let r = report("c", None, &published, &consumed, Some(&indexed));
        let rows: Vec<(&str, &str, u64, u64, u64)> = r
            .stages
            .iter()
            .map(|s| {
                (
                    s.stage.as_str(),
                    s.by.as_str(),
                    s.events,
                    s.items,
                    s.missing,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("published", "backfill", 2, 140, 0),
                ("consumed", "vespa-loader", 1, 100, 1),
                ("indexed", "vespa", 1, 99, 1),
            ]
        );
        assert_eq!(r.stages[1].missing_ids, ["b2"]);
        assert!(!r.complete);
        let loaded = published.clone().map(|mut e| {
            e.by = "vespa-loader".into();
            e
        });
        let all = report(
            "c",
            None,
            &published,
            &loaded,
            Some(&BTreeMap::from([("b1".into(), 100), ("b2".into(), 40)])),
        );
        assert!(all.complete, "{all:?}");
    }

    #[test]
    fn a_batch_or_an_event_or_a_user_narrows_the_entries() {
        let mut other = entry("backfill", "b2", 1);
        other.user = "v".into();
        let all = vec![entry("backfill", "b1", 1), other];
        assert_eq!(
            select(all.clone(), &Query::Batch("b1".into()), None).len(),
            1
        );
        assert_eq!(
            select(all.clone(), &Query::Event("b2".into()), None).len(),
            1
        );
        assert_eq!(
            select(all, &Query::Correlation("c".into()), Some("v")).len(),
            1
        );
    }
}
