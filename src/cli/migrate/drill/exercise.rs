//! One drill in progress: traffic, the plan's steps (each a `migrate apply` child, with the
//! chaos beside them), the drain, and the report.

use super::Args;
use super::chaos::loader_chaos;
use super::children::{LoaderSlot, Officectl, terminate};
use super::phases::PhaseLog;
use crate::cli::Context;
use crate::cli::migrate::services::Services;
use officectl::migrate::drill::Subject;
use officectl::migrate::drill::dice::Dice;
use officectl::migrate::drill::ledger::FeedLedger;
use officectl::migrate::drill::outcome::{self, DrillReport};
use officectl::migrate::drill::producer::{self, Produced};
use officectl::migrate::drill::world;
use officectl::migrate::plan::MigrationPlan;
use officectl::migrate::routed::RoutedPublisher;
use officectl::migrate::steps::Step;
use officectl::model::store::{KeyValueStore, RedisKvStore};
use officectl::namespace;
use officectl::run::CancellationToken;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Lease of the plan's lock in the drill's `migrate apply` runs: short, so a run killed by
/// `--chaos` frees it soon.
const LOCK_TTL: &str = "3s";
/// How long a killed run's lock may keep the next run waiting.
const LOCK_WAIT: Duration = Duration::from_secs(15);
/// How long the loader has to stop after SIGTERM.
const LOADER_GRACE: Duration = Duration::from_secs(15);

/// One drill in progress.
pub(super) struct Drill<'a> {
    pub args: &'a Args,
    /// `--layout` (and `--env`) for the children.
    pub layout_flags: Vec<String>,
    pub plan: &'a MigrationPlan,
    pub subject: &'a Subject,
    pub children: Officectl,
    pub log: PhaseLog,
    pub dice: Arc<Mutex<Dice>>,
    pub seed: u64,
    pub cancel: CancellationToken,
    pub context: &'a Context,
}

impl Drill<'_> {
    fn enter_phase(&self, name: String) {
        self.context.printer.status(format!("phase: {name}"));
        self.log.enter(name);
    }

    fn incident(&self, what: String) {
        self.log.record(what);
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
            // A SIGKILLed loader's messages come back after one extension: the shortest.
            "--lease-extension",
            "10s",
        ]
        .map(String::from)
        .to_vec();
        for header in &self.args.connection.headers {
            args.push("--header".to_string());
            args.push(header.clone());
        }
        args.extend(self.layout_flags.iter().cloned());
        args
    }

    /// `migrate VERB FILE EXTRA… --yes --lock-ttl 3s` and the layout's flags.
    fn plan_command(&self, verb: &str, extra: &[&str]) -> Vec<String> {
        let mut args = vec![
            "migrate".to_string(),
            verb.to_string(),
            self.args.plan.file.display().to_string(),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        args.extend(["--yes", "--lock-ttl", LOCK_TTL].map(String::from));
        args.extend(self.layout_flags.iter().cloned());
        args
    }

    /// Traffic, steps, drain, verdict. Stops early (and still drains) when a step fails.
    pub async fn exercise(
        &self,
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
            self.log.current(),
            stop_traffic.clone(),
        ));
        // The chaos runs beside the steps in this task, not a task of its own: whatever ends
        // the drill (a second Ctrl-C included) drops it with the loader it holds, and the
        // loader is killed on drop.
        // Ctrl-C stops the chaos too: no loader is killed or started after it.
        let stop_chaos = self.cancel.child_token();
        let chaos = async {
            if self.args.chaos {
                loader_chaos(
                    loader.clone(),
                    self.children.clone(),
                    self.loader_args(),
                    self.dice.clone(),
                    self.log.clone(),
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
        let phases = self.log.names();
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
        report.incidents = self.log.incidents();
        if let Some(crash) = producer_crash {
            // What it published died with it: no ids can be judged lost or unexpected.
            report.lost.clear();
            report.duplicated.clear();
            report.unrecorded.clear();
            report.failures.clear();
            report.fail(format!(
                "the traffic's producer crashed ({crash}): what it published is unknown, so nothing was judged"
            ));
        }
        if self.cancel.is_cancelled() {
            report.fail("interrupted");
        } else if let Err(step) = applied {
            report.fail(step);
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
        let args = self.plan_command("rollback", &[]);
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
        let args = if matches!(step, Step::Gate(_)) {
            self.plan_command("apply", &["--to", name, "--approve", name])
        } else {
            self.plan_command("apply", &["--to", name])
        };
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
            let kill = kill_after.take();
            let chaos = async {
                match kill {
                    Some(after) => tokio::time::sleep(after).await,
                    None => std::future::pending().await,
                }
            };
            let status = tokio::select! {
                status = child.wait() => status,
                () = chaos => {
                    let _ = child.kill().await;
                    let after = kill.unwrap_or_default().as_millis();
                    self.incident(format!("chaos: killed `{what}` after {after} ms; running it again"));
                    continue;
                }
                _ = self.cancel.cancelled() => {
                    terminate(&mut child, Duration::from_secs(10)).await;
                    return Err("interrupted".to_string());
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
