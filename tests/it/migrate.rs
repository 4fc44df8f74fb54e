//! `officectl migrate` against the local Pub/Sub and Redis: the emails plan end to end with
//! dual-published traffic, parity catching a legacy-only message, the lock, and a crash at every
//! step boundary.
//!
//! Flags and journals live in Redis; each test uses its own Redis database (`/N` in the URL) and
//! its own Pub/Sub project so tests running in parallel never see each other's state.

use crate::support::{officectl_with_services, services, transcript, unique};
use officectl::pubsub::google::GoogleAdmin;
use officectl::pubsub::{Admin, SubscriptionConfig, TopicConfig, names};
use std::path::{Path, PathBuf};
use std::process::Output;

/// A test's private world: project, Redis database, and a copy of one migration plan.
struct World {
    project: String,
    redis_url: String,
    plan: PathBuf,
    migration: Migration,
    _dir: tempfile::TempDir,
}

/// One plan of `plans/migrations/` and its data type's legacy side.
#[derive(Clone, Copy)]
struct Migration {
    /// The plan file's stem and `name`.
    plan: &'static str,
    legacy_topic: &'static str,
    legacy_subscription: &'static str,
    /// The doc type whose flags the plan sets.
    data_type: &'static str,
    /// A valid event of the type, under `tests/fixtures/events/valid/`.
    fixture: &'static str,
}

const EMAILS: Migration = Migration {
    plan: "emails",
    legacy_topic: "email-backfill",
    legacy_subscription: "vespa-loader-email-backfill",
    data_type: "email",
    fixture: "email.json",
};
const CALENDARS: Migration = Migration {
    plan: "calendars",
    legacy_topic: "calendar-updates",
    legacy_subscription: "vespa-loader-calendar-updates",
    data_type: "calendar",
    fixture: "calendar.json",
};
const CONTACTS: Migration = Migration {
    plan: "contacts",
    legacy_topic: "contact-updates",
    legacy_subscription: "vespa-loader-contact-updates",
    data_type: "contact",
    fixture: "contact.json",
};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

impl World {
    /// Legacy topic and subscription in a fresh project; the emails plan under a unique name.
    fn new(db: u8, edit: impl Fn(String) -> String) -> World {
        World::of(EMAILS, db, edit)
    }

    /// The same for any plan.
    fn of(migration: Migration, db: u8, edit: impl Fn(String) -> String) -> World {
        let services = services();
        let project = unique("mig");
        let redis_url = format!("{}/{db}", services.redis_url.trim_end_matches('/'));
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("plans/migrations/{}.yaml", migration.plan)),
        )
        .unwrap()
        .replacen(
            &format!("name: {}\n", migration.plan),
            &format!("name: {project}\n"),
            1,
        );
        let plan = dir.path().join(format!("{}.yaml", migration.plan));
        std::fs::write(&plan, edit(text)).unwrap();
        // The database is this test's alone: start from nothing, as a fresh platform would.
        let mut conn = redis::Client::open(redis_url.as_str())
            .unwrap()
            .get_connection()
            .unwrap();
        let () = redis::cmd("FLUSHDB").query(&mut conn).unwrap();
        runtime().block_on(async {
            let admin = GoogleAdmin::connect(&services.pubsub_endpoint())
                .await
                .unwrap();
            let topic = names::topic(&project, migration.legacy_topic);
            admin
                .create_topic(&TopicConfig::named(&topic))
                .await
                .unwrap();
            let sub = names::subscription(&project, migration.legacy_subscription);
            admin
                .create_subscription(&SubscriptionConfig::new(&sub, &topic))
                .await
                .unwrap();
        });
        World {
            project,
            redis_url,
            plan,
            migration,
            _dir: dir,
        }
    }

    fn officectl(&self, args: &[&str]) -> Output {
        officectl_with_services()
            .args(["--project", &self.project, "--redis-url", &self.redis_url])
            .args(args)
            .output()
            .unwrap()
    }

    fn migrate(&self, verb: &str, extra: &[&str]) -> Output {
        let plan = self.plan.to_str().unwrap();
        let mut args = vec!["migrate", verb, plan];
        args.extend_from_slice(extra);
        self.officectl(&args)
    }

    /// Step name → state, from `migrate status -o json`.
    fn states(&self) -> Vec<(String, String)> {
        let output = self.migrate("status", &["-o", "json"]);
        assert!(output.status.success(), "{}", transcript(&output));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["plans"][0]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["name"].as_str().unwrap().to_string(),
                    s["state"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    fn state(&self, step: &str) -> String {
        self.states()
            .into_iter()
            .find(|(name, _)| name == step)
            .map(|(_, s)| s)
            .unwrap()
    }

    fn flag(&self, key: &str) -> Option<String> {
        let mut conn = redis::Client::open(self.redis_url.as_str())
            .unwrap()
            .get_connection()
            .unwrap();
        redis::cmd("GET").arg(key).query(&mut conn).unwrap()
    }

    /// Short ids of the project's topics and subscriptions.
    fn live(&self) -> (Vec<String>, Vec<String>) {
        let services = services();
        runtime().block_on(async {
            let admin = GoogleAdmin::connect(&services.pubsub_endpoint())
                .await
                .unwrap();
            let mut topics: Vec<String> = admin
                .list_topics(&self.project)
                .await
                .unwrap()
                .iter()
                .map(|t| names::short(&t.name).to_string())
                .collect();
            let mut subs: Vec<String> = admin
                .list_subscriptions(&self.project)
                .await
                .unwrap()
                .iter()
                .map(|s| names::short(&s.name).to_string())
                .collect();
            topics.sort();
            subs.sort();
            (topics, subs)
        })
    }

    /// Publishes the valid email fixture through `events publish` (publish-mode routing).
    fn publish_emails(&self, extra: &[&str]) -> Output {
        self.publish_fixture(extra)
    }

    /// Publishes the plan's type's valid fixture through `events publish`.
    fn publish_fixture(&self, extra: &[&str]) -> Output {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/events/valid")
            .join(self.migration.fixture);
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
        let file = self._dir.path().join("events.ndjson");
        std::fs::write(&file, format!("{value}\n")).unwrap();
        let mut args = vec!["events", "publish", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.officectl(&args)
    }
}

fn after_rollback() -> (Vec<String>, Vec<String>) {
    after_rollback_of(EMAILS)
}

/// What a rollback leaves: the initial layout (the legacy topic and subscription) and what the
/// plan's `ensure_layout` created, which rollback keeps; the parity subscriptions are gone.
fn after_rollback_of(migration: Migration) -> (Vec<String>, Vec<String>) {
    use officectl::migrate::plan::{self, KnownResources};
    use officectl::migrate::steps::Step;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let layout = officectl::topics::Layout::load(&root.join("plans/topology.yaml"), None).unwrap();
    let plan = plan::load(
        &root.join(format!("plans/migrations/{}.yaml", migration.plan)),
        &KnownResources::of(&layout),
    )
    .unwrap();
    let mut topics = vec![migration.legacy_topic.to_string()];
    let mut subscriptions = vec![migration.legacy_subscription.to_string()];
    for step in &plan.steps {
        if let Step::EnsureLayout(ensure) = step {
            topics.extend(ensure.topics.iter().cloned());
            subscriptions.extend(ensure.subscriptions.iter().cloned());
        }
    }
    topics.sort();
    topics.dedup();
    subscriptions.sort();
    subscriptions.dedup();
    (topics, subscriptions)
}

fn fast_parity(text: String) -> String {
    text.replace("idle_timeout: 10s", "idle_timeout: 2s")
}

#[test]
fn the_emails_plan_runs_with_dual_published_traffic_and_rolls_back() {
    let w = World::new(3, fast_parity);
    let out = w.migrate("apply", &["--to", "publish-dual"]);
    assert!(out.status.success(), "{}", transcript(&out));
    assert_eq!(
        w.flag("office:flags:publish_mode:email").as_deref(),
        Some("dual")
    );

    let out = w.publish_emails(&[]);
    assert!(out.status.success(), "{}", transcript(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("/topics/email-backfill") && stdout.contains("/topics/emails"),
        "not dual-published: {stdout}"
    );

    let out = w.migrate("apply", &[]);
    assert!(out.status.success(), "{}", transcript(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--approve approve-cutover"),
        "{}",
        transcript(&out)
    );
    assert_eq!(w.state("verify-parity"), "done");
    assert_eq!(w.state("approve-cutover"), "awaiting_approval");

    let out = w.migrate(
        "apply",
        &["--approve", "approve-cutover", "--to", "publish-new-only"],
    );
    assert!(out.status.success(), "{}", transcript(&out));
    assert_eq!(
        w.flag("office:flags:publish_mode:email").as_deref(),
        Some("new")
    );
    assert_eq!(
        w.flag("office:flags:read_source:vespa-loader:email")
            .as_deref(),
        Some("new")
    );

    let out = w.migrate("rollback", &["--yes"]);
    assert!(out.status.success(), "{}", transcript(&out));
    assert_eq!(w.flag("office:flags:publish_mode:email"), None);
    assert_eq!(w.flag("office:flags:read_source:vespa-loader:email"), None);
    assert_eq!(w.live(), after_rollback());
}

/// Every plan of `plans/migrations/` gets what emails gets: apply to the first gate with
/// dual-published traffic of its type, parity, and rollback to the initial layout and flags.
#[test]
fn the_calendars_and_contacts_plans_run_with_dual_published_traffic_and_roll_back() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/migrations");
    let mut plans: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    plans.sort();
    assert_eq!(
        plans,
        ["calendars.yaml", "contacts.yaml", "emails.yaml"],
        "a new plan needs a test here"
    );
    for (migration, db) in [(CALENDARS, 9), (CONTACTS, 10)] {
        let w = World::of(migration, db, fast_parity);
        let publish_flag = format!("office:flags:publish_mode:{}", migration.data_type);
        let read_flag = format!(
            "office:flags:read_source:vespa-loader:{}",
            migration.data_type
        );
        let out = w.migrate("apply", &["--to", "publish-dual"]);
        assert!(
            out.status.success(),
            "{}: {}",
            migration.plan,
            transcript(&out)
        );
        assert_eq!(w.flag(&publish_flag).as_deref(), Some("dual"));

        let out = w.publish_fixture(&[]);
        assert!(
            out.status.success(),
            "{}: {}",
            migration.plan,
            transcript(&out)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains(&format!("/topics/{}", migration.legacy_topic))
                && stdout.contains(&format!("/topics/{}s", migration.data_type)),
            "{}: not dual-published: {stdout}",
            migration.plan
        );

        let out = w.migrate("apply", &[]);
        assert!(
            out.status.success(),
            "{}: {}",
            migration.plan,
            transcript(&out)
        );
        assert_eq!(w.state("verify-parity"), "done", "{}", migration.plan);
        assert_eq!(w.state("approve-cutover"), "awaiting_approval");

        let out = w.migrate(
            "apply",
            &["--approve", "approve-cutover", "--to", "publish-new-only"],
        );
        assert!(
            out.status.success(),
            "{}: {}",
            migration.plan,
            transcript(&out)
        );
        assert_eq!(w.flag(&publish_flag).as_deref(), Some("new"));
        assert_eq!(w.flag(&read_flag).as_deref(), Some("new"));

        let out = w.migrate("rollback", &["--yes"]);
        assert!(
            out.status.success(),
            "{}: {}",
            migration.plan,
            transcript(&out)
        );
        assert_eq!(w.flag(&publish_flag), None, "{}", migration.plan);
        assert_eq!(w.flag(&read_flag), None, "{}", migration.plan);
        assert_eq!(w.live(), after_rollback_of(migration), "{}", migration.plan);
    }
}

#[test]
fn parity_catches_a_message_published_to_the_legacy_topic_only() {
    let w = World::new(4, fast_parity);
    let out = w.migrate("apply", &["--to", "publish-dual"]);
    assert!(out.status.success(), "{}", transcript(&out));
    // A producer that bypasses dual publishing: straight to the legacy topic.
    let out = w.publish_emails(&["--topic", "email-backfill", "-o", "json"]);
    assert!(out.status.success(), "{}", transcript(&out));
    let out = w.migrate("apply", &[]);
    assert_eq!(out.status.code(), Some(4), "{}", transcript(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("step `verify-parity` failed"), "{stderr}");
    assert!(
        stderr.contains("new lacks `batch:"),
        "the missing idempotency key is listed: {stderr}"
    );
    assert!(
        stderr.contains("hint:") && stderr.contains("migrate apply"),
        "{stderr}"
    );
    assert_eq!(w.state("verify-parity"), "failed");
}

#[test]
fn a_second_concurrent_apply_exits_3_naming_the_holder() {
    // A plan whose last step holds the lock for a few seconds (a relay that waits for idle).
    let w = World::new(5, |text| {
        let cut = text.find("  # 3. Producers").unwrap();
        format!(
            "{}  - relay:\n      name: relay-stragglers\n      from: parity-email-backfill\n      to: emails\n      idle_timeout: 4s\n",
            &text[..cut]
        )
    });
    let plan = w.plan.to_str().unwrap().to_string();
    let spawn = || {
        officectl_with_services()
            // As under cron or `env -i`: the holder is still named, by the uid's name.
            .env_remove("USER")
            .args([
                "--project",
                &w.project,
                "--redis-url",
                &w.redis_url,
                "migrate",
                "apply",
                &plan,
            ])
            .output()
    };
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(spawn);
        std::thread::sleep(std::time::Duration::from_millis(300));
        let b = scope.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    let mut codes = [a.status.code(), b.status.code()];
    codes.sort();
    assert_eq!(
        codes,
        [Some(0), Some(3)],
        "a: {}\nb: {}",
        transcript(&a),
        transcript(&b)
    );
    let loser = if a.status.code() == Some(3) { &a } else { &b };
    let stderr = String::from_utf8_lossy(&loser.stderr);
    // One sentence, each fact once (issue 17): `error: plan `P` is locked by user@host (pid N)
    // since T; lock `L``, then the hint naming the lock id.
    let first = stderr.lines().next().unwrap_or_default();
    let user = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let user = String::from_utf8_lossy(&user.stdout).trim().to_string();
    let prefix = format!("error: plan `{}` is locked by {user}@", w.project);
    assert!(
        first.starts_with(&prefix),
        "{first:?} should start with {prefix:?}\n{stderr}"
    );
    let lock_id = first
        .rsplit_once("; lock `")
        .and_then(|(_, rest)| rest.strip_suffix('`'))
        .unwrap_or_else(|| panic!("no lock id at the end: {first:?}"));
    assert_eq!(first.matches(lock_id).count(), 1, "{first}");
    assert!(
        first.contains(" (pid ") && first.contains(" since "),
        "{first}"
    );
    assert!(
        stderr.contains(&format!(
            "hint: wait for that run, or if it crashed: `officectl migrate unlock {lock_id}`"
        )),
        "{stderr}"
    );
}

#[test]
fn a_crash_at_every_step_boundary_resumes_and_rolls_back_exactly() {
    // Parity without traffic is allowed here (min_messages: 0) so every boundary is reachable.
    let steps = [
        "ensure-new-layout",
        "create-parity-subscriptions",
        "publish-dual",
        "verify-parity",
        "approve-cutover",
        "read-new",
        "publish-new-only",
        "snapshot-legacy-subscription",
        "approve-retire-legacy",
    ];
    let approvals = [
        "--approve",
        "approve-cutover",
        "--approve",
        "approve-retire-legacy",
        "--to",
        "approve-retire-legacy",
    ];
    let mut boundaries = 0;
    for (index, step) in steps.iter().enumerate() {
        for when in ["before", "after"] {
            let w = World::new(6, |text| {
                text.replace(
                    "idle_timeout: 10s",
                    "idle_timeout: 300ms\n      min_messages: 0",
                )
            });
            let plan = w.plan.to_str().unwrap();
            let crashed = officectl_with_services()
                .env("OFFICECTL_FAILPOINT", format!("{step}:{when}"))
                .args([
                    "--project",
                    &w.project,
                    "--redis-url",
                    &w.redis_url,
                    "migrate",
                    "apply",
                    plan,
                ])
                .args(approvals)
                .output()
                .unwrap();
            assert!(
                !crashed.status.success(),
                "{step}:{when} did not crash: {}",
                transcript(&crashed)
            );
            assert_eq!(
                crashed.status.code(),
                None,
                "killed by a signal at {step}:{when}"
            );

            // Status is exact: earlier steps done, this one running, later ones pending.
            let states = w.states();
            for (i, (name, state)) in states.iter().enumerate().take(steps.len()) {
                let expected = match i.cmp(&index) {
                    std::cmp::Ordering::Less => "done",
                    std::cmp::Ordering::Equal => "running",
                    std::cmp::Ordering::Greater => "pending",
                };
                assert_eq!(
                    state, expected,
                    "after a crash at {step}:{when}, step `{name}`"
                );
            }

            // The lease of the dead run must run out, or be removed by id; `unlock` is the
            // operator's way, so use it.
            let status: serde_json::Value =
                serde_json::from_slice(&w.migrate("status", &["-o", "json"]).stdout).unwrap();
            let lock_id = status["plans"][0]["lock"]["lock_id"]
                .as_str()
                .unwrap()
                .to_string();
            let out = w.officectl(&["migrate", "unlock", &lock_id]);
            assert!(out.status.success(), "{}", transcript(&out));

            let out = w.migrate("apply", &approvals);
            assert!(
                out.status.success(),
                "resume after {step}:{when}: {}",
                transcript(&out)
            );
            assert!(
                w.states()
                    .iter()
                    .take(steps.len())
                    .all(|(_, s)| s == "done"),
                "{:?}",
                w.states()
            );

            let out = w.migrate("rollback", &["--yes"]);
            assert!(
                out.status.success(),
                "rollback after {step}:{when}: {}",
                transcript(&out)
            );
            assert_eq!(
                w.live(),
                after_rollback(),
                "rolled back to the initial layout and what ensure_layout keeps after {step}:{when}"
            );
            assert_eq!(w.flag("office:flags:publish_mode:email"), None);
            assert_eq!(w.flag("office:flags:read_source:vespa-loader:email"), None);
            boundaries += 1;
        }
    }
    eprintln!("crash test: {boundaries} step boundaries killed, resumed and rolled back");
    assert_eq!(boundaries, 18);
}

#[test]
fn ctrl_c_finishes_the_current_step_and_exits_130() {
    let w = World::new(7, |text| {
        let cut = text.find("  # 3. Producers").unwrap();
        format!(
            "{}  - relay:\n      name: relay-stragglers\n      from: parity-email-backfill\n      to: emails\n      idle_timeout: 3s\n  - gate:\n      name: after-relay\n      message: never reached\n",
            &text[..cut]
        )
    });
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("officectl"))
        .env("PUBSUB_EMULATOR_HOST", &services().emulator_host)
        .args([
            "--project",
            &w.project,
            "--redis-url",
            &w.redis_url,
            "migrate",
            "apply",
        ])
        .arg(&w.plan)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the relay step is running, then interrupt.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while w.state("relay-stragglers") != "running" {
        assert!(std::time::Instant::now() < deadline, "relay never started");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", transcript(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("resume with"),
        "{}",
        transcript(&out)
    );
    // The running step finished and was recorded; the next one never started.
    assert_eq!(w.state("relay-stragglers"), "done");
    assert_eq!(w.state("after-relay"), "pending");
}

#[test]
fn relay_forwards_legacy_events_upcast_and_acks_them() {
    let w = World::new(8, fast_parity);
    let services = services();
    let relay_sub = names::subscription(&w.project, "relay-email-backfill");
    let check_sub = names::subscription(&w.project, "check-emails");
    runtime().block_on(async {
        let admin = GoogleAdmin::connect(&services.pubsub_endpoint())
            .await
            .unwrap();
        let legacy = names::topic(&w.project, "email-backfill");
        admin
            .create_subscription(&SubscriptionConfig::new(&relay_sub, &legacy))
            .await
            .unwrap();
        let emails = names::topic(&w.project, "emails");
        admin
            .create_topic(&TopicConfig::named(&emails))
            .await
            .unwrap();
        admin
            .create_subscription(&SubscriptionConfig::new(&check_sub, &emails))
            .await
            .unwrap();
    });
    // No publish-mode flag is set: producers publish the legacy shape to the legacy topic.
    let out = w.publish_emails(&["-o", "json"]);
    assert!(out.status.success(), "{}", transcript(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("/topics/email-backfill"));

    let out = w.officectl(&[
        "migrate",
        "relay",
        "--from",
        "relay-email-backfill",
        "--to",
        "emails",
        "--idle-timeout",
        "2s",
        "-o",
        "json",
    ]);
    assert!(out.status.success(), "{}", transcript(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["published"], 1, "{report}");
    assert_eq!(report["upcast"], 1, "{report}");

    runtime().block_on(async {
        use officectl::pubsub::MessageSource;
        let subscriber =
            officectl::pubsub::google::GoogleSubscriber::connect(&services.pubsub_endpoint(), 10)
                .await
                .unwrap();
        // The relayed copy is a current-format EmailEvent on the new topic.
        let mut stream = subscriber.subscribe(&check_sub);
        let delivery = tokio::time::timeout(std::time::Duration::from_secs(10), stream.next())
            .await
            .expect("relayed message within 10 s")
            .unwrap()
            .unwrap();
        assert_eq!(delivery.message.attributes["event_type"], "EmailEvent");
        delivery.ack();
        // The legacy message was acked: nothing comes back on the relay subscription, even after
        // its 10 s ack deadline would have sent an unacked message again.
        let mut legacy = subscriber.subscribe(&relay_sub);
        let left = tokio::time::timeout(std::time::Duration::from_secs(12), legacy.next()).await;
        assert!(
            left.is_err(),
            "legacy message still on the relay subscription"
        );
    });
}
