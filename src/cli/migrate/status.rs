//! `officectl migrate status [FILE]`

use super::services::Services;
use crate::cli::Context;
use crate::cli::topics::layout_args::LayoutArgs;
use anyhow::Context as _;
use officectl::keys;
use officectl::migrate::apply::read_journal;
use officectl::migrate::journal::{Journal, StepState};
use officectl::migrate::lock::{self, Holder};
use officectl::migrate::plan::{self, KnownResources};
use officectl::report::{Report, Table};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One plan's file; without it, every plan with a journal
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,

    #[command(flatten)]
    layout: LayoutArgs,
}

#[derive(Serialize)]
struct PlanStatus {
    plan: String,
    /// Steps in plan order when the file was given, else journal order.
    steps: Vec<StepStatus>,
    lock: Option<Holder>,
}

#[derive(Serialize)]
struct StepStatus {
    name: String,
    state: StepState,
    started_at: Option<String>,
    finished_at: Option<String>,
    by: Option<String>,
    detail: Option<String>,
}

#[derive(Serialize)]
struct StatusReport {
    plans: Vec<PlanStatus>,
}

fn state_name(state: StepState) -> String {
    serde_json::to_value(state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl Report for StatusReport {
    fn tables(&self) -> Vec<Table> {
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
                        state_name(s.state),
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

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let services = Services::connect(context).await?;
    let store = services.store.as_ref();
    let mut plans = Vec::new();
    let targets: Vec<(String, Option<Vec<String>>)> = match &args.file {
        Some(file) => {
            let layout = args.layout.load()?;
            let known = KnownResources {
                topics: layout.topics.keys().cloned().collect(),
                subscriptions: layout.subscriptions.keys().cloned().collect(),
            };
            let plan = plan::load(file, &known)?;
            let order = plan.steps.iter().map(|s| s.name().to_string()).collect();
            vec![(plan.name, Some(order))]
        }
        None => store
            .members(&keys::migration_plans())
            .await
            .context("cannot list migration plans")?
            .into_iter()
            .map(|name| (name, None))
            .collect(),
    };
    for (name, order) in targets {
        let journal = read_journal(store, &name).await?;
        plans.push(PlanStatus {
            steps: steps_of(journal.as_ref(), order),
            lock: lock::holder(store, &name).await?,
            plan: name,
        });
    }
    context.printer.report(&StatusReport { plans })
}
