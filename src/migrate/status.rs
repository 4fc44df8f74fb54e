//! `migrate status`: the journal state of each step and the lock holder, for one plan (in plan
//! order) or for every plan that has a journal (in journal order).

use super::error::MigrateError;
use super::journal::{self, Journal, StepState};
use super::lock::{self, Holder};
use super::plan::MigrationPlan;
use super::readers::Beat;
use super::store::MigrationStore;
use crate::keys;
use crate::report::{Report, Table};
use serde::Serialize;

/// One plan's state.
#[derive(Debug, Clone, Serialize)]
pub struct PlanStatus {
    pub plan: String,
    /// Steps in plan order when the file was given, else journal order.
    pub steps: Vec<StepStatus>,
    pub lock: Option<Holder>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepStatus {
    pub name: String,
    pub state: StepState,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub by: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub plans: Vec<PlanStatus>,
    /// The consumer processes running now (their heartbeats) and what each reads: who follows
    /// the read flags at this moment.
    pub readers: Vec<Beat>,
}

impl Report for StatusReport {
    fn tables(&self) -> Vec<Table> {
        let mut tables = self.plan_tables();
        tables.push(self.readers_table());
        tables
    }
}

impl StatusReport {
    fn readers_table(&self) -> Table {
        if self.readers.is_empty() {
            return Table::new(["consumer"])
                .titled("readers now: no consumer process is running (no heartbeat)");
        }
        let mut table = Table::new([
            "consumer",
            "project",
            "process",
            "reading",
            "subscriptions",
            "beat",
        ])
        .titled("readers now (consumer heartbeats)");
        for beat in &self.readers {
            table.push([
                beat.consumer.clone(),
                beat.project.clone(),
                beat.instance.clone(),
                beat.reading
                    .iter()
                    .map(|(t, s)| format!("{t}={s}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                beat.subscriptions.join(", "),
                beat.beat_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ]);
        }
        table
    }

    fn plan_tables(&self) -> Vec<Table> {
        if self.plans.is_empty() {
            return vec![Table::new(["plan"]).titled("no migration has been applied")];
        }
        self.plans
            .iter()
            .map(|p| {
                let lock = match &p.lock {
                    Some(h) => format!(
                        "locked by {} since {} (lock `{}`)",
                        h.by, h.since, h.lock_id
                    ),
                    None => "not locked".into(),
                };
                let mut table =
                    Table::new(["step", "state", "started", "finished", "by", "detail"])
                        .titled(format!("plan `{}`: {lock}", p.plan));
                for s in &p.steps {
                    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                    table.push([
                        s.name.clone(),
                        s.state.as_str().to_string(),
                        text(&s.started_at),
                        text(&s.finished_at),
                        text(&s.by),
                        text(&s.detail),
                    ]);
                }
                table
            })
            .collect()
    }
}

fn steps_of(journal: Option<&Journal>, order: Option<Vec<String>>) -> Vec<StepStatus> {
    let names = order.unwrap_or_else(|| {
        journal
            .map(|j| j.steps.iter().map(|s| s.name.clone()).collect())
            .unwrap_or_default()
    });
    names
        .into_iter()
        .map(|name| {
            let record = journal.and_then(|j| j.step(&name));
            StepStatus {
                state: record.map_or(StepState::Pending, |r| r.state),
                started_at: record.and_then(|r| r.started_at.clone()),
                finished_at: record.and_then(|r| r.finished_at.clone()),
                by: record.and_then(|r| r.by.clone()),
                detail: record.and_then(|r| r.detail.clone()),
                name,
            }
        })
        .collect()
}

/// The status of `plan`, or of every plan ever applied when `None`.
pub async fn status(
    store: &dyn MigrationStore,
    plan: Option<&MigrationPlan>,
) -> Result<StatusReport, MigrateError> {
    let targets: Vec<(String, Option<Vec<String>>)> = match plan {
        Some(plan) => {
            let order = plan.steps.iter().map(|s| s.name().to_string()).collect();
            vec![(plan.name.clone(), Some(order))]
        }
        None => store
            .members(&keys::migration_plans())
            .await
            .map_err(MigrateError::ListPlans)?
            .into_iter()
            .map(|name| (name, None))
            .collect(),
    };
    let mut plans = Vec::new();
    for (name, order) in targets {
        let journal = journal::read(store, &name).await?;
        plans.push(PlanStatus {
            steps: steps_of(journal.as_ref(), order),
            lock: lock::holder(store, &name).await?,
            plan: name,
        });
    }
    Ok(StatusReport {
        plans,
        readers: Vec::new(),
    })
}
