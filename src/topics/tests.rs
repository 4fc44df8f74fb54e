//! Unit tests: layout loading and validation, planning, and applying against the in-memory fake
//! (including injected failures, resume, ALREADY_EXISTS and bounded parallelism).

use super::*;
use crate::pubsub::fake::FakePubSub;
use crate::pubsub::{Admin, ErrorKind, PubSubError, SubscriptionConfig, TopicConfig, names};
use async_trait::async_trait;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

const P: &str = "proj";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn parse(text: &str) -> Result<Layout, LayoutError> {
    Layout::parse(text, Path::new("layout.yaml"), None)
}

fn small() -> Layout {
    Layout::load(&repo("tests/fixtures/layouts/valid-small.yaml"), None).unwrap()
}

fn options() -> ApplyOptions {
    ApplyOptions {
        retry_backoff: Duration::from_millis(1),
        ..ApplyOptions::default()
    }
}

async fn plan_for(admin: &dyn Admin, layout: &Layout, prune: bool) -> Plan {
    let live = LiveState::read(admin, P).await.unwrap();
    plan(layout, &live, P, prune)
}

async fn apply_layout(admin: &dyn Admin, layout: &Layout) -> ApplyReport {
    let plan = plan_for(admin, layout, false).await;
    apply(admin, &plan, &options(), &NoProgress).await.unwrap()
}

fn actions(plan: &Plan) -> Vec<(String, Action)> {
    plan.steps
        .iter()
        .map(|s| (s.name.clone(), s.action))
        .collect()
}

// --- layout ----------------------------------------------------------------------------------

#[test]
fn the_committed_layout_declares_the_platform() {
    let layout = Layout::load(&repo(layout::DEFAULT_PATH), None).unwrap();
    for data_type in crate::model::DataType::all() {
        let topic = data_type.topic();
        assert!(layout.topics.contains_key(topic), "topic `{topic}` missing");
        let loader = format!("vespa-loader-{topic}");
        assert!(
            layout.subscriptions.contains_key(&loader),
            "`{loader}` missing"
        );
    }
    for id in [
        "meetings-calendars",
        "shipments-emails",
        "contact-discovery-emails",
        "contact-discovery-calendars",
        "contact-discovery-documents",
        "fe-sse-emails",
    ] {
        assert!(layout.subscriptions.contains_key(id), "`{id}` missing");
    }
    for legacy in ["email-backfill", "calendar-updates", "contact-updates"] {
        assert!(layout.topics[legacy].legacy, "`{legacy}` not legacy");
        let subs: Vec<_> = layout
            .subscriptions
            .values()
            .filter(|s| s.topic == legacy)
            .collect();
        assert!(!subs.is_empty() && subs.iter().all(|s| s.legacy));
    }
    // Every consumer with a dead-letter policy has its own dead-letter topic, read by a keeper.
    for dl in layout.dead_letter_topics() {
        assert!(
            layout.subscriptions.contains_key(&format!("dlq-{dl}")),
            "no keeper for `{dl}`"
        );
    }
    let sub = &layout.subscriptions["vespa-loader-emails"];
    assert_eq!(sub.ack_deadline, Some(120));
    assert_eq!(sub.expiration, Some(layout::ExpirationSpec::Never));
    assert_eq!(sub.labels["system"], "office");
    assert_eq!(sub.labels["consumer"], "vespa-loader");
    // Every subscription retention fits pstest's 7-day cap so the layout applies locally too.
    for (id, sub) in &layout.subscriptions {
        assert!(
            sub.retention.unwrap_or_default() <= Duration::from_secs(7 * 86_400),
            "{id}"
        );
    }
}

#[test]
fn the_committed_overlays_load() {
    for env in ["staging", "prod"] {
        let layout = Layout::load(&repo(layout::DEFAULT_PATH), Some(env)).unwrap();
        assert_eq!(layout.env.as_deref(), Some(env));
        assert_eq!(layout.topics["emails"].labels["env"], env);
        assert_eq!(layout.subscriptions["fe-sse-emails"].labels["env"], env);
    }
}

/// Every fixture under `tests/fixtures/layouts/invalid` fails with each of its `# expect:` texts.
#[test]
fn every_invalid_fixture_gives_its_error() {
    let dir = repo("tests/fixtures/layouts/invalid");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .collect();
        assert!(
            !expected.is_empty(),
            "{} has no `# expect:`",
            path.display()
        );
        let err = Layout::load(&path, None)
            .map(|_| ())
            .expect_err(&path.display().to_string())
            .to_string();
        for want in expected {
            assert!(
                err.contains(want),
                "{}:\n  {err}\n  lacks: {want}",
                path.display()
            );
        }
        seen += 1;
    }
    assert!(seen >= 19, "{seen}");
}

#[test]
fn defaults_apply_and_resources_override_them() {
    let layout = small();
    let loader = &layout.subscriptions["loader-emails"];
    assert_eq!(loader.ack_deadline, Some(60));
    let sse = &layout.subscriptions["sse-emails"];
    assert_eq!(sse.ack_deadline, Some(30));
    assert_eq!(sse.expiration, Some(layout::ExpirationSpec::Never));
    assert_eq!(sse.labels["system"], "office");
    // Not declared anywhere: not managed.
    assert_eq!(sse.retention, None);
    assert_eq!(sse.ordering, None);
}

#[test]
fn an_overlay_overrides_labels_ack_deadlines_and_retention() {
    let base = repo("tests/fixtures/layouts/valid-small.yaml");
    let layout = Layout::load(&base, Some("staging")).unwrap();
    assert_eq!(
        layout.topics["emails"].retention,
        Some(Duration::from_secs(86_400))
    );
    assert_eq!(layout.topics["emails"].labels["env"], "staging");
    assert_eq!(layout.topics["emails"].labels["kind"], "data-type");
    assert_eq!(layout.subscriptions["loader-emails"].ack_deadline, Some(90));
    assert_eq!(layout.subscriptions["sse-emails"].ack_deadline, Some(30));
    assert_eq!(
        layout.subscriptions["dlq-loader-dead-letter"].labels["env"],
        "staging"
    );

    let err = Layout::load(&base, Some("nowhere"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("valid-small.nowhere.yaml"), "{err}");
    let err = Layout::load(&base, Some("../x")).unwrap_err().to_string();
    assert!(err.contains("invalid environment name"), "{err}");
}

#[test]
fn an_overlay_is_strict_too() {
    let base = "topics:\n  emails: {}\n";
    let path = Path::new("t.yaml");
    let overlay = |text: &str| {
        Layout::parse(base, path, Some(("dev", Path::new("t.dev.yaml"), text)))
            .unwrap_err()
            .to_string()
    };
    let err = overlay("topics:\n  emails: {filter: x}\n");
    assert!(
        err.contains("`t.dev.yaml`:2:12: topics.emails: unknown field `filter`"),
        "{err}"
    );
    let err = overlay("topics:\n  calendars: {retention: 1d}\n");
    assert!(
        err.contains("topic `calendars` is not declared in `t.yaml`"),
        "{err}"
    );
    let err = overlay("subscriptions:\n  s-emails: {ack_deadline: 5s}\n");
    assert!(err.contains("ack_deadline 5s"), "{err}");
}

#[test]
fn several_problems_are_reported_together() {
    let err = parse(
        "topics:\n  emails: {}\nsubscriptions:\n  a-calendars: {topic: calendars}\n  \
         b-todos: {topic: todos}\n",
    )
    .unwrap_err();
    let LayoutError::Invalid { problems, .. } = err else {
        panic!("{err}")
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
}

// --- plan --------------------------------------------------------------------------------------

#[tokio::test]
async fn an_empty_project_plans_every_create_topics_first() {
    let fake = FakePubSub::new();
    let plan = plan_for(&fake, &small(), false).await;
    assert_eq!(
        actions(&plan),
        vec![
            ("emails".to_string(), Action::Create),
            ("loader-dead-letter".into(), Action::Create),
            ("dlq-loader-dead-letter".into(), Action::Create),
            ("loader-emails".into(), Action::Create),
            ("sse-emails".into(), Action::Create),
        ]
    );
    assert!(plan.has_changes());
    assert_eq!(plan.summary.create, 5);
}

#[tokio::test]
async fn server_defaults_for_undeclared_fields_are_not_drift() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    // A server filling in retention and an expiration policy the layout does not declare.
    let name = names::subscription(P, "sse-emails");
    let mut live = fake.get_subscription(&name).await.unwrap();
    live.message_retention = Some(Duration::from_secs(7 * 86_400));
    fake.update_subscription(&live, &["message_retention_duration"])
        .await
        .unwrap();
    let plan = plan_for(&fake, &layout, false).await;
    assert!(!plan.has_changes(), "{:?}", plan.drifts());
}

#[tokio::test]
async fn field_changes_are_updates_and_immutable_fields_need_a_replace() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    let name = names::subscription(P, "loader-emails");
    let mut live = fake.get_subscription(&name).await.unwrap();
    live.ack_deadline_seconds = 20;
    live.labels.insert("extra".into(), "x".into());
    fake.update_subscription(&live, &["ack_deadline_seconds", "labels"])
        .await
        .unwrap();
    let plan = plan_for(&fake, &layout, false).await;
    let step = plan
        .steps
        .iter()
        .find(|s| s.name == "loader-emails")
        .unwrap();
    assert_eq!(step.action, Action::Update);
    let fields: Vec<_> = step.changes.iter().map(|c| c.field).collect();
    assert_eq!(fields, ["ack_deadline", "labels"]);
    assert_eq!(step.changes[0].declared, "60s");
    assert_eq!(step.changes[0].live, "20s");

    // The filter differs: only a replace can fix that.
    let mut changed = layout.clone();
    changed.subscriptions.get_mut("sse-emails").unwrap().filter =
        "attributes.sync_type = \"batch_sync\"".into();
    let plan = plan_for(&fake, &changed, false).await;
    let step = plan.steps.iter().find(|s| s.name == "sse-emails").unwrap();
    assert_eq!(step.action, Action::Replace);
    assert!(step.changes[0].replace_required);
    assert_eq!(step.changes[0].field, "filter");
}

#[tokio::test]
async fn ordering_needs_a_replace_but_exactly_once_changes_in_place() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    let mut changed = layout.clone();
    let sub = changed.subscriptions.get_mut("loader-emails").unwrap();
    sub.exactly_once = Some(true);
    let plan = plan_for(&fake, &changed, false).await;
    let step = plan
        .steps
        .iter()
        .find(|s| s.name == "loader-emails")
        .unwrap();
    assert_eq!(step.action, Action::Update);
    let report = apply(&fake, &plan, &options(), &NoProgress).await.unwrap();
    assert_eq!(report.summary.done, 1, "{report:?}");

    changed
        .subscriptions
        .get_mut("loader-emails")
        .unwrap()
        .ordering = Some(false);
    let plan = plan_for(&fake, &changed, false).await;
    let step = plan
        .steps
        .iter()
        .find(|s| s.name == "loader-emails")
        .unwrap();
    assert_eq!(step.action, Action::Replace);
}

#[tokio::test]
async fn undeclared_resources_are_kept_unless_pruning() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    let stray = SubscriptionConfig::new(
        names::subscription(P, "stray-emails"),
        names::topic(P, "emails"),
    );
    fake.create_subscription(&stray).await.unwrap();
    fake.create_topic(&TopicConfig::named(names::topic(P, "stray")))
        .await
        .unwrap();

    let plan = plan_for(&fake, &layout, false).await;
    assert_eq!(plan.summary.undeclared, 2);
    assert!(!plan.has_changes());
    let report = apply(&fake, &plan, &options(), &NoProgress).await.unwrap();
    assert!(report.steps.is_empty());
    assert!(fake.get_subscription(&stray.name).await.is_ok());

    let plan = plan_for(&fake, &layout, true).await;
    assert_eq!(plan.summary.delete, 2);
    let report = apply(&fake, &plan, &options(), &NoProgress).await.unwrap();
    assert_eq!(report.summary.done, 2);
    assert!(
        fake.get_subscription(&stray.name)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert_eq!(LiveState::read(&fake, P).await.unwrap().topics.len(), 2);
}

#[tokio::test]
async fn verify_lists_each_drift_with_declared_and_live_values() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    let name = names::subscription(P, "loader-emails");
    let mut live = fake.get_subscription(&name).await.unwrap();
    live.ack_deadline_seconds = 15;
    fake.update_subscription(&live, &["ack_deadline_seconds"])
        .await
        .unwrap();
    fake.delete_subscription(&names::subscription(P, "sse-emails"))
        .await
        .unwrap();

    let report = VerifyReport::from_plan(&plan_for(&fake, &layout, false).await, false);
    assert!(!report.in_sync);
    let drifts: Vec<(&str, &str, &str, &str)> = report
        .drifts
        .iter()
        .map(|d| {
            (
                d.resource.as_str(),
                d.field.as_str(),
                d.declared.as_str(),
                d.live.as_str(),
            )
        })
        .collect();
    assert_eq!(
        drifts,
        vec![
            ("loader-emails", "ack_deadline", "60s", "15s"),
            ("sse-emails", "exists", "true", "false"),
        ]
    );
}

// --- apply -------------------------------------------------------------------------------------

#[tokio::test]
async fn apply_from_empty_creates_everything_and_a_second_apply_changes_nothing() {
    let fake = FakePubSub::new();
    let layout = small();
    let report = apply_layout(&fake, &layout).await;
    assert_eq!(report.summary.done, 5, "{report:?}");
    assert_eq!(report.failures().count(), 0);
    let created = fake
        .get_subscription(&names::subscription(P, "loader-emails"))
        .await
        .unwrap();
    assert_eq!(
        created,
        layout.subscriptions["loader-emails"].to_config(P, "loader-emails")
    );
    assert_eq!(
        created.dead_letter_policy.unwrap().topic,
        "projects/proj/topics/loader-dead-letter"
    );

    let plan = plan_for(&fake, &layout, false).await;
    assert!(!plan.has_changes());
    assert_eq!(plan.summary.unchanged, 5);
    let again = apply(&fake, &plan, &options(), &NoProgress).await.unwrap();
    assert!(again.steps.is_empty());
    assert_eq!(again.summary.unchanged, 5);
}

#[tokio::test]
async fn a_partial_apply_reports_every_failure_and_a_second_run_resumes() {
    let fake = FakePubSub::new();
    let layout = small();
    fake.fail_next("create subscription", ErrorKind::PermissionDenied, 2);
    let report = apply_layout(&fake, &layout).await;
    assert_eq!(report.summary.failed, 2, "{report:?}");
    assert_eq!(report.summary.done, 3);
    for failure in report.failures() {
        let error = failure.error.as_deref().unwrap();
        assert!(error.contains("PERMISSION_DENIED"), "{error}");
        assert!(error.contains(&failure.name), "{error}");
    }

    let report = apply_layout(&fake, &layout).await;
    assert_eq!(report.summary.done, 2, "{report:?}");
    assert_eq!(report.summary.unchanged, 3);
    assert_eq!(report.failures().count(), 0);
    assert!(!plan_for(&fake, &layout, false).await.has_changes());
}

#[tokio::test]
async fn subscriptions_of_a_topic_that_failed_are_skipped() {
    let fake = FakePubSub::new();
    let layout = small();
    // Topics are created in name order, so the first failure hits `emails`.
    fake.fail_next("create topic", ErrorKind::PermissionDenied, 1);
    let plan = plan_for(&fake, &layout, false).await;
    let report = apply(
        &fake,
        &plan,
        &ApplyOptions {
            concurrency: 1,
            ..options()
        },
        &NoProgress,
    )
    .await
    .unwrap();
    let outcome = |name: &str| {
        report
            .steps
            .iter()
            .find(|s| s.name == name)
            .unwrap()
            .outcome
    };
    assert_eq!(outcome("emails"), Outcome::Failed);
    assert_eq!(outcome("loader-emails"), Outcome::Skipped);
    assert_eq!(outcome("sse-emails"), Outcome::Skipped);
    assert_eq!(outcome("dlq-loader-dead-letter"), Outcome::Done);
    let skipped = report
        .steps
        .iter()
        .find(|s| s.name == "sse-emails")
        .unwrap();
    assert!(
        skipped
            .error
            .as_deref()
            .unwrap()
            .contains("topic `emails` could not be created")
    );
}

#[tokio::test]
async fn transient_errors_are_retried() {
    let fake = FakePubSub::new();
    fake.fail_next("create topic", ErrorKind::Unavailable, 2);
    let report = apply_layout(&fake, &small()).await;
    assert_eq!(report.summary.done, 5, "{report:?}");
}

#[tokio::test]
async fn already_exists_with_the_declared_spec_counts_as_done() {
    let fake = FakePubSub::new();
    let layout = small();
    let plan = plan_for(&fake, &layout, false).await;
    // Someone else creates one topic and one subscription between plan and apply.
    fake.create_topic(&layout.topics["emails"].to_config(P, "emails"))
        .await
        .unwrap();
    fake.create_topic(&layout.topics["loader-dead-letter"].to_config(P, "loader-dead-letter"))
        .await
        .unwrap();
    fake.create_subscription(&layout.subscriptions["loader-emails"].to_config(P, "loader-emails"))
        .await
        .unwrap();
    let report = apply(&fake, &plan, &options(), &NoProgress).await.unwrap();
    assert_eq!(report.summary.already_done, 3, "{report:?}");
    assert_eq!(report.summary.done, 2);
    assert_eq!(report.failures().count(), 0);
}

#[tokio::test]
async fn already_exists_with_another_spec_is_reported() {
    let fake = FakePubSub::new();
    let layout = small();
    let plan = plan_for(&fake, &layout, false).await;
    let mut other = layout.topics["emails"].to_config(P, "emails");
    other.labels.clear();
    fake.create_topic(&other).await.unwrap();
    let report = apply(&fake, &plan, &options(), &NoProgress).await.unwrap();
    let failed: Vec<_> = report.failures().collect();
    assert_eq!(failed.len(), 1, "{report:?}");
    let error = failed[0].error.as_deref().unwrap();
    assert!(
        error.contains("topic `emails` already exists with a different spec"),
        "{error}"
    );
    assert!(error.contains("labels: none → kind=data-type"), "{error}");
    // The next run updates it.
    let report = apply_layout(&fake, &layout).await;
    assert_eq!(report.summary.done, 1, "{report:?}");
    assert!(!plan_for(&fake, &layout, false).await.has_changes());
}

#[tokio::test]
async fn apply_refuses_a_replace_unless_allowed() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    let mut changed = layout.clone();
    changed.subscriptions.get_mut("sse-emails").unwrap().filter =
        "attributes.sync_type = \"batch_sync\"".into();
    let plan = plan_for(&fake, &changed, false).await;
    let err = apply(&fake, &plan, &options(), &NoProgress)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("`sse-emails`"), "{err}");
    // Nothing changed.
    let live = fake
        .get_subscription(&names::subscription(P, "sse-emails"))
        .await
        .unwrap();
    assert_eq!(live.filter, layout.subscriptions["sse-emails"].filter);

    let allowed = ApplyOptions {
        allow_replace: true,
        ..options()
    };
    let report = apply(&fake, &plan, &allowed, &NoProgress).await.unwrap();
    assert_eq!(report.summary.done, 1, "{report:?}");
    let live = fake
        .get_subscription(&names::subscription(P, "sse-emails"))
        .await
        .unwrap();
    assert_eq!(live.filter, "attributes.sync_type = \"batch_sync\"");
}

#[tokio::test]
async fn a_cancelled_apply_starts_no_more_steps() {
    let fake = FakePubSub::new();
    let cancel = Arc::new(AtomicBool::new(true));
    let plan = plan_for(&fake, &small(), false).await;
    let report = apply(
        &fake,
        &plan,
        &ApplyOptions {
            cancel,
            ..options()
        },
        &NoProgress,
    )
    .await
    .unwrap();
    assert!(report.interrupted);
    assert_eq!(report.summary.skipped, 5);
    assert!(LiveState::read(&fake, P).await.unwrap().topics.is_empty());
}

/// Counts calls in flight around a fake, holding each create for a moment.
struct Counting {
    inner: FakePubSub,
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Counting {
    async fn hold<T>(&self, call: impl std::future::Future<Output = T>) -> T {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(5)).await;
        let out = call.await;
        self.now.fetch_sub(1, Ordering::SeqCst);
        out
    }
}

type R<T> = Result<T, PubSubError>;

#[async_trait]
impl Admin for Counting {
    async fn create_topic(&self, t: &TopicConfig) -> R<TopicConfig> {
        self.hold(self.inner.create_topic(t)).await
    }
    async fn get_topic(&self, n: &str) -> R<TopicConfig> {
        self.inner.get_topic(n).await
    }
    async fn list_topics(&self, p: &str) -> R<Vec<TopicConfig>> {
        self.inner.list_topics(p).await
    }
    async fn update_topic(&self, t: &TopicConfig, m: &[&str]) -> R<TopicConfig> {
        self.inner.update_topic(t, m).await
    }
    async fn delete_topic(&self, n: &str) -> R<()> {
        self.inner.delete_topic(n).await
    }
    async fn list_topic_subscriptions(&self, t: &str) -> R<Vec<String>> {
        self.inner.list_topic_subscriptions(t).await
    }
    async fn create_subscription(&self, s: &SubscriptionConfig) -> R<SubscriptionConfig> {
        self.hold(self.inner.create_subscription(s)).await
    }
    async fn get_subscription(&self, n: &str) -> R<SubscriptionConfig> {
        self.inner.get_subscription(n).await
    }
    async fn list_subscriptions(&self, p: &str) -> R<Vec<SubscriptionConfig>> {
        self.inner.list_subscriptions(p).await
    }
    async fn update_subscription(
        &self,
        s: &SubscriptionConfig,
        m: &[&str],
    ) -> R<SubscriptionConfig> {
        self.inner.update_subscription(s, m).await
    }
    async fn delete_subscription(&self, n: &str) -> R<()> {
        self.inner.delete_subscription(n).await
    }
    async fn create_snapshot(&self, n: &str, s: &str) -> R<()> {
        self.inner.create_snapshot(n, s).await
    }
    async fn delete_snapshot(&self, n: &str) -> R<()> {
        self.inner.delete_snapshot(n).await
    }
}

#[tokio::test]
async fn parallelism_is_bounded() {
    let mut text = String::from("topics:\n");
    for i in 0..40 {
        text.push_str(&format!("  t{i:02}: {{}}\n"));
    }
    let layout = parse(&text).unwrap();
    for concurrency in [1, 4] {
        let counting = Counting {
            inner: FakePubSub::new(),
            now: AtomicUsize::new(0),
            max: AtomicUsize::new(0),
        };
        let plan = plan_for(&counting, &layout, false).await;
        let report = apply(
            &counting,
            &plan,
            &ApplyOptions {
                concurrency,
                ..options()
            },
            &NoProgress,
        )
        .await
        .unwrap();
        assert_eq!(report.summary.done, 40);
        assert_eq!(counting.max.load(Ordering::SeqCst), concurrency);
    }
}
