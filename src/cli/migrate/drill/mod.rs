//! `officectl migrate drill FILE`: a game day for a migration plan. In a throwaway namespace
//! it lays out the platform as it stands before the plan, starts synthetic traffic through the
//! shared publisher and the real Vespa loader (a child process), applies the plan step by step
//! with `migrate apply` (a child process per step, gates approved), optionally rolls back at
//! a step and applies again, optionally kills the loader and the apply at random (seeded)
//! points and resumes each; then stops the traffic, lets the loader drain, and reports per
//! phase what was published, indexed, lost and duplicated. Exit 0 only when nothing was lost or
//! duplicated; the resources are deleted afterwards (also after Ctrl-C) unless `--keep`.

mod children;

use super::plan_args::PlanArgs;
use super::services::Services;
use crate::cli::Context;
use crate::cli::vespa::connection::ConnectionArgs;
use children::{Officectl, terminate};
use officectl::exit::Failure;
use officectl::migrate::drill::dice::Dice;
use officectl::migrate::drill::ledger::FeedLedger;
use officectl::migrate::drill::outcome::{self, DrillReport, Incident};
use officectl::migrate::drill::producer::{self, Produced};
use officectl::migrate::drill::{self, Subject, world};
use officectl::migrate::plan::MigrationPlan;
use officectl::migrate::routed::RoutedPublisher;
use officectl::migrate::steps::Step;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::run::CancellationToken;
use officectl::{namespace, redis_connection};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::process::Child;

/// Lease of the plan's lock in the drill's `migrate apply` runs: short, so a run killed by
/// `--chaos` frees it soon.
const LOCK_TTL: &str = "3s";
/// How long a killed run's lock may keep the next run waiting.
const LOCK_WAIT: Duration = Duration::from_secs(15);
/// How long the loader has to stop after SIGTERM.
const LOADER_GRACE: Duration = Duration::from_secs(15);

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,

    /// Synthetic events per second, published through the shared publisher
    #[arg(long, default_value_t = 50.0, value_name = "N")]
    rate: f64,

    /// Traffic before the first step and after each step
    #[arg(long, default_value = "2s", value_parser = officectl::duration::parse, value_name = "DURATION")]
    step_traffic: Duration,

    /// After applying this step, roll the plan back completely, then apply it again
    #[arg(long, value_name = "STEP")]
    rollback_at: Option<String>,

    /// Kill the loader and `migrate apply` at random points (from `--seed`) and resume each
    #[arg(long)]
    chaos: bool,

    /// Seed of the chaos decisions [default: from the clock; the report shows it]
    #[arg(long, value_name = "N")]
    seed: Option<u64>,

    /// Leave the drill's topics, subscriptions, Redis keys and documents in place
    #[arg(long)]
    keep: bool,

    /// Run no drill: remove what drill NAMESPACE left (after `--keep`, or a clean-up that
    /// failed), then exit
    #[arg(long, value_name = "NAMESPACE", conflicts_with_all = ["keep", "chaos", "rollback_at", "seed"])]
    clean_up: Option<String>,

    /// A project the drill may run in besides the plan's `drill.projects` (repeatable)
    #[arg(long, value_name = "PROJECT")]
    allow_project: Vec<String>,

    /// Longest wait for the loader to index what was published, after the traffic stops (a
    /// killed loader's messages come back only when their lease expires, about a minute)
    #[arg(long, default_value = "120s", value_parser = officectl::duration::parse, value_name = "DURATION")]
    drain_timeout: Duration,

    /// Synthetic users the traffic is spread over
    #[arg(long, default_value_t = 20, value_name = "N")]
    users: u64,

    #[command(flatten)]
    connection: ConnectionArgs,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    if let Some(ns) = &settings.namespace {
        return Err(Failure::Usage(format!(
            "a drill makes its own namespace, but this process is already in `{}` ({}); unset it",
            ns.value, ns.source
        ))
        .into());
    }
    let (layout, plan) = args.plan.load()?;
    let project = settings.project()?.to_string();
    let usage = |e: drill::DrillError| Failure::Usage(format!("{}: {e}", args.plan.file.display()));
    drill::check_project(&plan, &project, &args.allow_project).map_err(usage)?;
    if let Some(ns) = &args.clean_up {
        return clean_up_only(&args, ns, &plan, &project, context).await;
    }
    let subject = Subject::of(&plan).map_err(usage)?;
    let rollback_at = match &args.rollback_at {
        Some(step) => Some(drill::check_rollback_at(&plan, step).map_err(usage)?),
        None => None,
    };
    if !(args.rate > 0.0 && args.rate <= 10_000.0) {
        return Err(Failure::Usage(format!(
            "`--rate {}`: expected more than 0 and at most 10000 events per second",
            args.rate
        ))
        .into());
    }
    let clock = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let seed = args.seed.unwrap_or(clock);
    // Two drills with one seed still get their own namespaces.
    let ns = drill::namespace_for(clock ^ u64::from(std::process::id()).rotate_left(32));
    namespace::enter(&ns)?;
    let logs = std::env::temp_dir().join(format!("officectl-{ns}"));
    let children = Officectl::new(settings, &ns, &logs)?;
    let layout_flags = args.plan.layout.flags();
    context.printer.status(format!(
        "drill of plan `{}` in namespace `{ns}` (project `{project}`, seed {seed}); child logs in {}",
        plan.name,
        logs.display()
    ));

    let services = Services::connect(context).await?;
    let conn = redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
    let transport = args.connection.transport(settings)?;
    let cancel = context.interrupts.token();

    let created = world::lay_out(
        &services.admin,
        &world::before_plan(&layout, &plan),
        &project,
        &cancel,
    )
    .await;
    let mut drill = Drill {
        args: &args,
        layout_flags,
        plan: &plan,
        subject: &subject,
        children,
        phases: Arc::default(),
        phase: Arc::default(),
        incidents: Arc::default(),
        dice: Arc::new(Mutex::new(Dice::new(seed))),
        seed,
        cancel: cancel.clone(),
        context,
    };
    let outcome = match created {
        Ok(count) => {
            context.printer.status(format!(
                "laid out {count} resources as they stand before the plan"
            ));
            drill
                .exercise(&services, &conn, &project, &transport, rollback_at)
                .await
        }
        Err(err) => Err(anyhow::Error::new(err)),
    };

    let cleaned_up = !args.keep
        && remove_everything(
            &args, &ns, &services, &conn, &transport, &project, &plan, context,
        )
        .await;
    let mut report = outcome?;
    report.cleaned_up = cleaned_up;
    context.printer.report(&report)?;
    if cancel.is_cancelled() {
        return Err(Failure::Interrupted.into());
    }
    if report.passed {
        Ok(())
    } else {
        Err(Failure::Unhealthy(format!(
            "drill of plan `{}` failed: {} lost, {} duplicated{}",
            plan.name,
            report.lost.len(),
            report.duplicated.len(),
            report
                .failures
                .iter()
                .map(|why| format!("; {why}"))
                .collect::<String>()
        ))
        .into())
    }
}

/// Removes what the drill in namespace `ns` made and says what it removed; a part that could
/// not be removed is named, with the command that tries again. `true` when all is gone.
#[allow(clippy::too_many_arguments)]
async fn remove_everything(
    args: &Args,
    ns: &str,
    services: &Services,
    conn: &redis::aio::MultiplexedConnection,
    transport: &officectl::vespa::http::HttpTransport,
    project: &str,
    plan: &MigrationPlan,
    context: &Context,
) -> bool {
    let removed = world::remove_all(&services.admin, conn, transport, project, plan).await;
    context.printer.status(format!(
        "removed namespace `{ns}`: {} subscriptions, {} topics, {} snapshots, {} Redis keys, {} documents",
        removed.subscriptions, removed.topics, removed.snapshots, removed.keys, removed.documents
    ));
    if removed.problems.is_empty() {
        return true;
    }
    for problem in &removed.problems {
        context.printer.warn(format!("not removed: {problem}"));
    }
    context.printer.warn(format!(
        "namespace `{ns}` is not empty; once the services answer, `officectl migrate drill {} --clean-up {ns}` removes the rest",
        args.plan.file.display()
    ));
    false
}

/// `--clean-up NAMESPACE`: removes what a drill left, runs no drill.
async fn clean_up_only(
    args: &Args,
    ns: &str,
    plan: &MigrationPlan,
    project: &str,
    context: &Context,
) -> anyhow::Result<()> {
    namespace::enter(ns).map_err(|e| Failure::Usage(format!("`--clean-up {ns}`: {e}")))?;
    let settings = &context.settings;
    let services = Services::connect(context).await?;
    let conn = redis_connection::connect(&settings.redis_url.value, Duration::from_secs(5)).await?;
    let transport = args.connection.transport(settings)?;
    if remove_everything(
        args, ns, &services, &conn, &transport, project, plan, context,
    )
    .await
    {
        Ok(())
    } else {
        Err(Failure::Unhealthy(format!("namespace `{ns}` was not removed completely")).into())
    }
}

/// One drill in progress.
struct Drill<'a> {
    args: &'a Args,
    /// `--layout` (and `--env`) for the children.
    layout_flags: Vec<String>,
    plan: &'a MigrationPlan,
    subject: &'a Subject,
    children: Officectl,
    phases: Arc<Mutex<Vec<String>>>,
    phase: Arc<AtomicUsize>,
    incidents: Arc<Mutex<Vec<Incident>>>,
    dice: Arc<Mutex<Dice>>,
    seed: u64,
    cancel: CancellationToken,
    context: &'a Context,
}

/// The loader child, shared with the chaos that restarts it.
type LoaderSlot = Arc<tokio::sync::Mutex<Child>>;

impl Drill<'_> {
    fn enter_phase(&self, name: String) {
        let mut phases = self.phases.lock().unwrap_or_else(|p| p.into_inner());
        phases.push(name.clone());
        self.phase.store(phases.len() - 1, Ordering::SeqCst);
        self.context.printer.status(format!("phase: {name}"));
    }

    fn incident(&self, what: String) {
        record(&self.phases, &self.phase, &self.incidents, what);
    }

    fn loader_args(&self) -> Vec<String> {
        let mut args: Vec<String> = [
            "consume",
            "vespa-loader",
            "--types",
            self.subject.data_type.doc_type(),
            "--record-feeds",
            "--claim-timeout",
            "3s",
            "--shutdown-timeout",
            "10s",
        ]
        .map(String::from)
        .to_vec();
        for header in &self.args.connection.headers {
            args.push("--header".to_string());
            args.push(header.clone());
        }
        args.extend(self.layout_flags());
        args
    }

    fn layout_flags(&self) -> Vec<String> {
        self.layout_flags.clone()
    }

    /// Traffic, steps, drain, verdict. Stops early (and still drains) when a step fails.
    async fn exercise(
        &mut self,
        services: &Services,
        conn: &redis::aio::MultiplexedConnection,
        project: &str,
        transport: &officectl::vespa::http::HttpTransport,
        rollback_at: Option<usize>,
    ) -> anyhow::Result<DrillReport> {
        let loader: LoaderSlot = Arc::new(tokio::sync::Mutex::new(
            self.children.spawn(&self.loader_args(), "loader")?,
        ));
        let flags: Arc<dyn KeyValueStore> = Arc::new(RedisKvStore::new(conn.clone()));
        let publisher = Arc::new(RoutedPublisher {
            publisher: services.publisher.clone(),
            project: project.to_string(),
            claim_check: self.context.settings.claim_check.clone(),
            flags,
            trace: None,
        });
        self.enter_phase("traffic before the plan".to_string());
        let stop_traffic = CancellationToken::new();
        let traffic = tokio::spawn(producer::produce(
            publisher,
            self.subject.data_type,
            namespace::current().unwrap_or("drill").to_string(),
            self.args.rate,
            self.args.users,
            self.phase.clone(),
            stop_traffic.clone(),
        ));
        // The chaos runs beside the steps in this task, not a task of its own: whatever ends
        // the drill (a second Ctrl-C included) drops it with the loader it holds, and the
        // loader is killed on drop.
        let stop_chaos = CancellationToken::new();
        let chaos = async {
            if self.args.chaos {
                loader_chaos(
                    loader.clone(),
                    self.children.clone(),
                    self.loader_args(),
                    self.dice.clone(),
                    (
                        self.phases.clone(),
                        self.phase.clone(),
                        self.incidents.clone(),
                    ),
                    stop_chaos.clone(),
                )
                .await;
            }
        };
        let started = Instant::now();
        let steps = async {
            self.traffic_pause().await;
            let applied = self.steps(rollback_at).await;
            stop_chaos.cancel();
            applied
        };
        let (applied, ()) = tokio::join!(steps, chaos);
        self.enter_phase("drain".to_string());
        stop_traffic.cancel();
        let (produced, producer_crash) = match traffic.await {
            Ok(produced) => (produced, None),
            Err(err) => (Produced::default(), Some(err)),
        };
        let ledger = FeedLedger::new(conn.clone());
        let fed = self.drain(transport, &ledger, &produced, &loader).await;
        {
            let mut child = loader.lock().await;
            terminate(&mut child, LOADER_GRACE).await;
        }
        let documents =
            world::documents(transport, self.subject.data_type, &CancellationToken::new()).await?;
        let recorded = ledger.read().await?;
        let phases = self
            .phases
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let (outcomes, mut report) = outcome::evaluate(&phases, &produced, &recorded, &documents);
        if let Some(err) = &produced.last_error {
            self.incident(format!(
                "Pub/Sub refused {} of {} events; the last error: {err}",
                produced.refused.len(),
                produced.refused.len() + produced.published.len()
            ));
        }
        if !fed {
            self.incident(format!(
                "not every event was indexed and recorded {:?} after the traffic stopped",
                self.args.drain_timeout
            ));
        }
        self.context.printer.status(format!(
            "drill ran {:.1}s: {} events published",
            started.elapsed().as_secs_f64(),
            produced.published.len()
        ));
        report.plan = self.plan.name.clone();
        report.namespace = namespace::current().unwrap_or_default().to_string();
        report.data_type = self.subject.data_type.doc_type().to_string();
        report.rate = self.args.rate;
        report.seed = self.seed;
        report.phases = outcomes;
        report.incidents = self
            .incidents
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(crash) = producer_crash {
            report.fail(format!("the traffic's producer crashed: {crash}"));
        }
        if let Err(step) = applied {
            report.fail(step);
        }
        if self.cancel.is_cancelled() {
            report.fail("interrupted");
        }
        Ok(report)
    }

    /// Applies the plan step by step; with `rollback_at`, rolls back after that step and
    /// applies everything again.
    async fn steps(&self, rollback_at: Option<usize>) -> Result<(), String> {
        let last = self.plan.steps.len();
        let first_pass = rollback_at.map_or(last, |at| at + 1);
        for step in &self.plan.steps[..first_pass] {
            self.apply(step, "apply").await?;
        }
        if rollback_at.is_none() {
            return Ok(());
        }
        self.enter_phase("rollback".to_string());
        let mut args = vec![
            "migrate".to_string(),
            "rollback".to_string(),
            self.args.plan.file.display().to_string(),
            "--yes".to_string(),
            "--lock-ttl".to_string(),
            LOCK_TTL.to_string(),
        ];
        args.extend(self.layout_flags());
        self.run_plan_command(&args, "rollback", "migrate rollback")
            .await?;
        self.traffic_pause().await;
        for step in &self.plan.steps {
            self.apply(step, "re-apply").await?;
        }
        Ok(())
    }

    async fn apply(&self, step: &Step, verb: &str) -> Result<(), String> {
        if self.cancel.is_cancelled() {
            return Err("interrupted".to_string());
        }
        let name = step.name();
        self.enter_phase(format!("{verb} {name}"));
        let mut args = vec![
            "migrate".to_string(),
            "apply".to_string(),
            self.args.plan.file.display().to_string(),
            "--to".to_string(),
            name.to_string(),
            "--yes".to_string(),
            "--lock-ttl".to_string(),
            LOCK_TTL.to_string(),
        ];
        if matches!(step, Step::Gate(_)) {
            args.push("--approve".to_string());
            args.push(name.to_string());
        }
        args.extend(self.layout_flags());
        self.run_plan_command(&args, "apply", &format!("migrate apply --to {name}"))
            .await?;
        self.traffic_pause().await;
        Ok(())
    }

    /// Runs a `migrate` command to the end; with `--chaos` it may be killed once at a random
    /// point and then run again, which resumes from the journal. A lock left by a killed run
    /// is waited out.
    async fn run_plan_command(&self, args: &[String], log: &str, what: &str) -> Result<(), String> {
        let mut kill_after = if self.args.chaos && self.roll(0.5) {
            Some(self.draw(Duration::from_millis(50), Duration::from_millis(1500)))
        } else {
            None
        };
        let waiting_since = Instant::now();
        loop {
            if self.cancel.is_cancelled() {
                return Err("interrupted".to_string());
            }
            let mut child = self
                .children
                .spawn(args, log)
                .map_err(|e| format!("cannot start `{what}`: {e}"))?;
            let status = match kill_after.take() {
                Some(after) => {
                    tokio::select! {
                        status = child.wait() => status,
                        _ = tokio::time::sleep(after) => {
                            let _ = child.kill().await;
                            self.incident(format!("chaos: killed `{what}` after {} ms; running it again", after.as_millis()));
                            continue;
                        }
                        _ = self.cancel.cancelled() => {
                            terminate(&mut child, Duration::from_secs(10)).await;
                            return Err("interrupted".to_string());
                        }
                    }
                }
                None => {
                    tokio::select! {
                        status = child.wait() => status,
                        _ = self.cancel.cancelled() => {
                            terminate(&mut child, Duration::from_secs(10)).await;
                            return Err("interrupted".to_string());
                        }
                    }
                }
            };
            let code = status
                .map_err(|e| format!("`{what}`: {e}"))?
                .code()
                .unwrap_or(-1);
            match code {
                0 => return Ok(()),
                3 if waiting_since.elapsed() < LOCK_WAIT => {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                _ => {
                    return Err(format!(
                        "`{what}` exited {code}: {}",
                        self.children.tail(log, 3).replace('\n', " | ")
                    ));
                }
            }
        }
    }

    /// Waits until every published event's document is in Vespa and its feed in the ledger
    /// (or `--drain-timeout`): a document can be visible before its feed is recorded, when a
    /// loader was killed between the two and the event comes back to another. Restarts a
    /// loader that exited on its own.
    async fn drain(
        &self,
        transport: &officectl::vespa::http::HttpTransport,
        ledger: &FeedLedger,
        produced: &Produced,
        loader: &LoaderSlot,
    ) -> bool {
        let deadline = Instant::now() + self.args.drain_timeout;
        while Instant::now() < deadline && !self.cancel.is_cancelled() {
            if let Ok(found) =
                world::documents(transport, self.subject.data_type, &self.cancel).await
                && produced
                    .published
                    .iter()
                    .all(|p| found.contains(&p.document))
                && let Ok(recorded) = ledger.read().await
                && produced
                    .published
                    .iter()
                    .all(|p| recorded.contains_key(&p.key))
            {
                return true;
            }
            {
                let mut child = loader.lock().await;
                if let Ok(Some(status)) = child.try_wait() {
                    self.incident(format!("the loader exited by itself ({status}); restarted"));
                    if let Ok(fresh) = self.children.spawn(&self.loader_args(), "loader") {
                        *child = fresh;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        false
    }

    async fn traffic_pause(&self) {
        tokio::select! {
            _ = tokio::time::sleep(self.args.step_traffic) => {}
            _ = self.cancel.cancelled() => {}
        }
    }

    fn roll(&self, p: f64) -> bool {
        self.dice
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .chance(p)
    }

    fn draw(&self, low: Duration, high: Duration) -> Duration {
        self.dice
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .between(low, high)
    }
}

type PhaseLog = (
    Arc<Mutex<Vec<String>>>,
    Arc<AtomicUsize>,
    Arc<Mutex<Vec<Incident>>>,
);

fn record(
    phases: &Mutex<Vec<String>>,
    phase: &AtomicUsize,
    incidents: &Mutex<Vec<Incident>>,
    what: String,
) {
    let name = phases
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(phase.load(Ordering::SeqCst))
        .cloned()
        .unwrap_or_default();
    incidents
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(Incident { phase: name, what });
}

/// Kills the loader (SIGKILL) every 4 to 10 s, at seeded points, and starts a new one.
async fn loader_chaos(
    loader: LoaderSlot,
    children: Officectl,
    args: Vec<String>,
    dice: Arc<Mutex<Dice>>,
    log: PhaseLog,
    stop: CancellationToken,
) {
    loop {
        let wait = dice
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .between(Duration::from_secs(4), Duration::from_secs(10));
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        let mut child = loader.lock().await;
        let _ = child.kill().await;
        let what = match children.spawn(&args, "loader") {
            Ok(fresh) => {
                *child = fresh;
                "chaos: killed the loader (SIGKILL) and started a new one".to_string()
            }
            Err(err) => format!("chaos: killed the loader; a new one did not start: {err}"),
        };
        record(&log.0, &log.1, &log.2, what);
    }
}
