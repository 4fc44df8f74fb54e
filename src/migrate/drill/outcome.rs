//! What a drill found, per phase: events published, documents in Vespa, the lost (published,
//! not indexed), the duplicated (fed more than once, or indexed under an id no event names)
//! and the indexing lag from publish to the first recorded feed.

use super::ledger::Fed;
use super::producer::{Produced, Published};
use crate::report::{Report, Table};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How many ids a table shows per list (JSON has them all).
const SHOWN: usize = 10;

/// One phase of a drill (the traffic before the first step, each step applied or rolled back,
/// the drain).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PhaseOutcome {
    pub phase: String,
    pub published: usize,
    pub indexed: usize,
    pub lost: Vec<String>,
    pub duplicated: Vec<String>,
    /// Milliseconds from publish to the first feed; `None` with nothing fed.
    pub lag_p50_ms: Option<u64>,
    pub lag_p99_ms: Option<u64>,
}

/// Something the drill did to itself (`--chaos`, `--rollback-at`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    pub phase: String,
    pub what: String,
}

/// The whole drill.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DrillReport {
    pub plan: String,
    pub namespace: String,
    pub data_type: String,
    pub rate: f64,
    pub seed: u64,
    pub phases: Vec<PhaseOutcome>,
    pub published: usize,
    /// Documents of the drill found in Vespa.
    pub documents: usize,
    pub lost: Vec<String>,
    /// Keys fed more than once, keys fed that no event had, documents no event names.
    pub duplicated: Vec<String>,
    /// Keys whose document is indexed but whose feed the ledger never recorded (a ledger
    /// write failed): whether they were fed twice is unknown, so the drill fails.
    #[serde(default)]
    pub unrecorded: Vec<String>,
    pub lag_p50_ms: Option<u64>,
    pub lag_p99_ms: Option<u64>,
    /// Events Pub/Sub refused on at least one topic (never counted as lost).
    pub publish_failures: usize,
    pub incidents: Vec<Incident>,
    /// Whether the drill's resources were deleted (`false` with `--keep`, or when a part could
    /// not be removed).
    pub cleaned_up: bool,
    /// Why the drill failed besides lost and duplicated ids: a step that failed, traffic that
    /// stopped early or never reached Pub/Sub, an interruption.
    pub failures: Vec<String>,
    pub passed: bool,
}

impl DrillReport {
    /// Records a reason the drill failed.
    pub fn fail(&mut self, why: impl Into<String>) {
        self.failures.push(why.into());
        self.passed = false;
    }
}

/// The `q` quantile (0..=1) of sorted values, nearest rank.
fn quantile(sorted: &[u64], q: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

/// Lost, duplicated and lag of `published` against what the ledger and Vespa hold.
fn judge(
    published: &[&Published],
    ledger: &BTreeMap<String, Fed>,
    documents: &BTreeSet<String>,
) -> (usize, Vec<String>, Vec<String>, Vec<u64>) {
    let (mut indexed, mut lost, mut duplicated, mut lags) = (0, Vec::new(), Vec::new(), Vec::new());
    for event in published {
        if documents.contains(&event.document) {
            indexed += 1;
        } else {
            lost.push(event.document.clone());
        }
        if let Some(fed) = ledger.get(&event.key) {
            if fed.feeds > 1 {
                duplicated.push(format!("{} (fed {} times)", event.key, fed.feeds));
            }
            if let Some(first) = fed.first_at_ms {
                lags.push(first.saturating_sub(event.at_ms));
            }
        }
    }
    lags.sort_unstable();
    (indexed, lost, duplicated, lags)
}

/// Builds the report's figures from what was published (and refused: its keys and documents
/// are known, neither lost nor unexpected), the feed ledger and the drill's documents in Vespa.
/// Traffic that stopped early or never reached Pub/Sub fails the drill: with nothing
/// published, nothing can be lost, and a pass would prove nothing.
pub fn evaluate(
    phases: &[String],
    produced: &Produced,
    ledger: &BTreeMap<String, Fed>,
    documents: &BTreeSet<String>,
) -> (Vec<PhaseOutcome>, DrillReport) {
    let (published, refused) = (&produced.published, &produced.refused);
    let outcomes = phases
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let in_phase: Vec<&Published> = published.iter().filter(|p| p.phase == index).collect();
            let (indexed, lost, duplicated, lags) = judge(&in_phase, ledger, documents);
            PhaseOutcome {
                phase: name.clone(),
                published: in_phase.len(),
                indexed,
                lost,
                duplicated,
                lag_p50_ms: quantile(&lags, 0.5),
                lag_p99_ms: quantile(&lags, 0.99),
            }
        })
        .collect();
    let all: Vec<&Published> = published.iter().collect();
    let (_, lost, mut duplicated, lags) = judge(&all, ledger, documents);
    let unrecorded: Vec<String> = published
        .iter()
        .filter(|p| documents.contains(&p.document) && !ledger.contains_key(&p.key))
        .map(|p| p.key.clone())
        .collect();
    let known = || published.iter().chain(refused);
    let keys: BTreeSet<&str> = known().map(|p| p.key.as_str()).collect();
    let expected: BTreeSet<&str> = known().map(|p| p.document.as_str()).collect();
    duplicated.extend(
        ledger
            .keys()
            .filter(|k| !keys.contains(k.as_str()))
            .map(|k| format!("{k} (fed, but no event has this key)")),
    );
    duplicated.extend(
        documents
            .iter()
            .filter(|d| !expected.contains(d.as_str()))
            .map(|d| format!("{d} (indexed, but no event names this document)")),
    );
    let mut report = DrillReport {
        published: published.len(),
        documents: documents.len(),
        passed: lost.is_empty() && duplicated.is_empty(),
        lost,
        duplicated,
        lag_p50_ms: quantile(&lags, 0.5),
        lag_p99_ms: quantile(&lags, 0.99),
        publish_failures: refused.len(),
        ..DrillReport::default()
    };
    if !unrecorded.is_empty() {
        report.fail(format!(
            "{} indexed events have no feed in the ledger (a ledger write failed, or a redelivery did not come before the drain ended): duplicates among them cannot be ruled out",
            unrecorded.len()
        ));
    }
    report.unrecorded = unrecorded;
    if let Some(why) = &produced.stopped_early {
        report.fail(format!("the traffic stopped early: {why}"));
    }
    if published.is_empty() {
        report.fail(match &produced.last_error {
            Some(err) => format!(
                "no event was published: Pub/Sub refused all {}; the last error: {err}",
                refused.len()
            ),
            None => "no event was published".to_string(),
        });
    }
    (outcomes, report)
}

fn ms(value: Option<u64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v} ms"))
}

fn shown(ids: &[String]) -> String {
    let mut text: Vec<&str> = ids.iter().take(SHOWN).map(String::as_str).collect();
    let more = ids.len().saturating_sub(SHOWN);
    let more_text = format!("… {more} more (-o json lists all)");
    if more > 0 {
        text.push(&more_text);
    }
    text.join(", ")
}

impl Report for DrillReport {
    fn tables(&self) -> Vec<Table> {
        let mut phases = Table::new([
            "PHASE",
            "PUBLISHED",
            "INDEXED",
            "LOST",
            "DUPLICATED",
            "LAG P50",
            "LAG P99",
        ])
        .titled(format!(
            "drill of plan `{}` in namespace `{}`: {} events at {}/s (seed {})",
            self.plan, self.namespace, self.data_type, self.rate, self.seed
        ));
        for phase in &self.phases {
            phases.push([
                phase.phase.clone(),
                phase.published.to_string(),
                phase.indexed.to_string(),
                phase.lost.len().to_string(),
                phase.duplicated.len().to_string(),
                ms(phase.lag_p50_ms),
                ms(phase.lag_p99_ms),
            ]);
        }
        phases.push([
            "total".to_string(),
            self.published.to_string(),
            format!("{} documents", self.documents),
            self.lost.len().to_string(),
            self.duplicated.len().to_string(),
            ms(self.lag_p50_ms),
            ms(self.lag_p99_ms),
        ]);
        let mut tables = vec![phases];
        if !self.incidents.is_empty() {
            let mut incidents = Table::new(["PHASE", "INCIDENT"]).titled("what the drill did");
            for incident in &self.incidents {
                incidents.push([incident.phase.clone(), incident.what.clone()]);
            }
            tables.push(incidents);
        }
        let mut verdict = Table::new(["CHECK", "RESULT"]).titled("verdict");
        verdict.push([
            "lost".to_string(),
            if self.lost.is_empty() {
                "none".to_string()
            } else {
                shown(&self.lost)
            },
        ]);
        verdict.push([
            "duplicated".to_string(),
            if self.duplicated.is_empty() {
                "none".to_string()
            } else {
                shown(&self.duplicated)
            },
        ]);
        if !self.failures.is_empty() {
            verdict.push(["failed".to_string(), self.failures.join("; ")]);
        }
        verdict.push([
            "refused by Pub/Sub".to_string(),
            self.publish_failures.to_string(),
        ]);
        verdict.push([
            "resources".to_string(),
            if self.cleaned_up {
                "deleted".to_string()
            } else {
                format!(
                    "left in place (`OFFICECTL_NAMESPACE={ns} officectl topics list` shows them; `--clean-up {ns}` removes them)",
                    ns = self.namespace
                )
            },
        ]);
        tables.push(verdict);
        tables
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published(key: &str, phase: usize, at_ms: u64) -> Published {
        Published {
            key: key.into(),
            document: format!("doc-{key}"),
            at_ms,
            phase,
        }
    }

    /// A ledger entry: `feeds` feeds, the first at `at` ms.
    fn fed(feeds: u64, at: u64) -> Fed {
        Fed {
            feeds,
            first_at_ms: Some(at),
        }
    }

    fn ledger(entries: &[(&str, Fed)]) -> BTreeMap<String, Fed> {
        entries.iter().map(|(k, f)| (k.to_string(), *f)).collect()
    }

    fn documents(ids: &[&str]) -> BTreeSet<String> {
        ids.iter().map(|id| id.to_string()).collect()
    }

    fn published_only(events: Vec<Published>) -> Produced {
        Produced {
            published: events,
            ..Produced::default()
        }
    }

    #[test]
    fn finds_lost_duplicated_and_lag_per_phase() {
        let phases = vec!["before".to_string(), "apply read-new".to_string()];
        let produced = Produced {
            published: vec![
                published("a", 0, 1000),
                published("b", 0, 1000),
                published("c", 1, 2000),
                published("d", 1, 2000),
            ],
            refused: vec![published("r", 1, 2000)],
            ..Produced::default()
        };
        let ledger = ledger(&[
            ("a", fed(1, 1010)),
            ("b", fed(2, 1100)),
            ("c", fed(1, 2500)),
            ("zz", fed(1, 2600)),
            ("r", fed(1, 2100)),
        ]);
        let documents = documents(&["doc-a", "doc-b", "doc-c", "doc-x", "doc-r"]);
        let (outcomes, report) = evaluate(&phases, &produced, &ledger, &documents);
        assert_eq!(outcomes[0].published, 2);
        assert_eq!(outcomes[0].indexed, 2);
        assert_eq!(outcomes[0].duplicated, ["b (fed 2 times)"]);
        assert_eq!(outcomes[0].lag_p50_ms, Some(10));
        assert_eq!(outcomes[0].lag_p99_ms, Some(100));
        assert_eq!(outcomes[1].lost, ["doc-d"]);
        assert_eq!(report.lost, ["doc-d"]);
        assert_eq!(report.duplicated.len(), 3, "{:?}", report.duplicated);
        assert!(report.duplicated[1].starts_with("zz (fed, but no event"));
        assert!(report.duplicated[2].starts_with("doc-x (indexed, but no event"));
        assert!(!report.passed);
        assert_eq!(report.documents, 5);
    }

    #[test]
    fn nothing_missing_passes() {
        let produced = published_only(vec![published("a", 0, 5)]);
        let (_, report) = evaluate(
            &["p".into()],
            &produced,
            &ledger(&[("a", fed(1, 7))]),
            &documents(&["doc-a"]),
        );
        assert!(report.passed);
        assert_eq!(report.lag_p99_ms, Some(2));
    }

    #[test]
    fn an_indexed_event_the_ledger_missed_fails() {
        let produced = published_only(vec![published("a", 0, 5), published("b", 0, 6)]);
        let (_, report) = evaluate(
            &["p".into()],
            &produced,
            &ledger(&[("a", fed(1, 7))]),
            &documents(&["doc-a", "doc-b"]),
        );
        assert!(report.lost.is_empty() && report.duplicated.is_empty());
        assert_eq!(report.unrecorded, ["b"]);
        assert!(!report.passed);
        assert!(report.failures[0].starts_with("1 indexed events have no feed"));
    }

    #[test]
    fn traffic_that_never_arrived_fails() {
        let (nothing, no_documents) = (ledger(&[]), documents(&[]));
        let (_, report) = evaluate(&["p".into()], &Produced::default(), &nothing, &no_documents);
        assert!(!report.passed);
        assert_eq!(report.failures, ["no event was published"]);

        let all_refused = Produced {
            refused: vec![published("a", 0, 5), published("b", 0, 6)],
            last_error: Some("topic not found".into()),
            ..Produced::default()
        };
        let (_, report) = evaluate(&["p".into()], &all_refused, &nothing, &no_documents);
        assert!(!report.passed);
        assert_eq!(report.publish_failures, 2);
        assert_eq!(
            report.failures,
            ["no event was published: Pub/Sub refused all 2; the last error: topic not found"]
        );

        let stopped = Produced {
            stopped_early: Some("cannot build event 1".into()),
            ..published_only(vec![published("a", 0, 5)])
        };
        let (_, report) = evaluate(
            &["p".into()],
            &stopped,
            &ledger(&[("a", fed(1, 7))]),
            &documents(&["doc-a"]),
        );
        assert!(!report.passed);
        assert_eq!(
            report.failures,
            ["the traffic stopped early: cannot build event 1"]
        );
    }

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let values: Vec<u64> = (1..=100).collect();
        assert_eq!(quantile(&values, 0.5), Some(50));
        assert_eq!(quantile(&values, 0.99), Some(99));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
