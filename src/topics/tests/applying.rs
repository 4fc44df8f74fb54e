//! Applying against the fake: resume, failures, ALREADY_EXISTS, retries, replace, prune,
//! cancellation and bounded parallelism (on paused tokio time).

use super::*;
use crate::pubsub::fake::FakePubSub;
use crate::pubsub::{ErrorKind, PubSubError, SubscriptionConfig, TopicConfig, names};
use async_trait::async_trait;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

#[tokio::test(start_paused = true)]
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
    let again = apply(&fake, &plan, &ApplyOptions::default(), &NoProgress)
        .await
        .unwrap();
    assert!(again.steps.is_empty());
    assert_eq!(again.summary.unchanged, 5);
}

#[tokio::test(start_paused = true)]
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

#[tokio::test(start_paused = true)]
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
            ..ApplyOptions::default()
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

#[tokio::test(start_paused = true)]
async fn transient_errors_are_retried() {
    let fake = FakePubSub::new();
    fake.fail_next("create topic", ErrorKind::Unavailable, 2);
    let report = apply_layout(&fake, &small()).await;
    assert_eq!(report.summary.done, 5, "{report:?}");
}

#[tokio::test(start_paused = true)]
async fn a_transient_error_is_retried_twice_with_backoff_then_fails() {
    let fake = FakePubSub::new();
    let one_at_a_time = ApplyOptions {
        concurrency: 1,
        ..ApplyOptions::default()
    };
    // Topics are created in name order: `emails` first.
    fake.fail_next("create topic", ErrorKind::Unavailable, 2);
    let plan = plan_for(&fake, &small(), false).await;
    let started = tokio::time::Instant::now();
    let report = apply(&fake, &plan, &one_at_a_time, &NoProgress)
        .await
        .unwrap();
    assert_eq!(report.summary.done, 5, "{report:?}");
    assert_eq!(started.elapsed(), Duration::from_millis(200 + 400));

    let fake = FakePubSub::new();
    fake.fail_next("create topic", ErrorKind::Unavailable, 3);
    let report = apply(&fake, &plan, &one_at_a_time, &NoProgress)
        .await
        .unwrap();
    let failed: Vec<_> = report.failures().collect();
    assert_eq!(failed[0].name, "emails", "{report:?}");
    assert!(
        failed[0].error.as_deref().unwrap().contains("UNAVAILABLE"),
        "{report:?}"
    );
    assert!(
        report
            .incomplete()
            .unwrap()
            .to_string()
            .contains("create topic `emails`")
    );
}

#[tokio::test(start_paused = true)]
async fn a_cancel_stops_a_step_waiting_to_retry() {
    let fake = FakePubSub::new();
    fake.fail_next("create topic", ErrorKind::Unavailable, 1);
    let cancel = CancellationToken::new();
    let options = ApplyOptions {
        concurrency: 1,
        cancel: cancel.clone(),
        ..ApplyOptions::default()
    };
    let plan = plan_for(&fake, &small(), false).await;
    let stopper = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        cancel.cancel();
    });
    let report = apply(&fake, &plan, &options, &NoProgress).await.unwrap();
    stopper.await.unwrap();
    assert!(report.interrupted);
    assert_eq!(report.summary.failed, 1, "{report:?}");
    assert_eq!(report.summary.skipped, 4, "{report:?}");
    assert_eq!(report.incomplete(), Some(Incomplete::Interrupted));
}

#[tokio::test(start_paused = true)]
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
    let report = apply(&fake, &plan, &ApplyOptions::default(), &NoProgress)
        .await
        .unwrap();
    assert_eq!(report.summary.already_done, 3, "{report:?}");
    assert_eq!(report.summary.done, 2);
    assert_eq!(report.failures().count(), 0);
}

#[tokio::test(start_paused = true)]
async fn already_exists_with_another_spec_is_reported() {
    let fake = FakePubSub::new();
    let layout = small();
    let plan = plan_for(&fake, &layout, false).await;
    let mut other = layout.topics["emails"].to_config(P, "emails");
    other.labels.clear();
    fake.create_topic(&other).await.unwrap();
    let report = apply(&fake, &plan, &ApplyOptions::default(), &NoProgress)
        .await
        .unwrap();
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

#[tokio::test(start_paused = true)]
async fn apply_refuses_a_replace_unless_allowed() {
    let fake = FakePubSub::new();
    let layout = small();
    apply_layout(&fake, &layout).await;
    let mut changed = layout.clone();
    changed.subscriptions.get_mut("sse-emails").unwrap().filter =
        "attributes.sync_type = \"batch_sync\"".into();
    let plan = plan_for(&fake, &changed, false).await;
    let err = apply(&fake, &plan, &ApplyOptions::default(), &NoProgress)
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
        ..ApplyOptions::default()
    };
    let report = apply(&fake, &plan, &allowed, &NoProgress).await.unwrap();
    assert_eq!(report.summary.done, 1, "{report:?}");
    let live = fake
        .get_subscription(&names::subscription(P, "sse-emails"))
        .await
        .unwrap();
    assert_eq!(live.filter, "attributes.sync_type = \"batch_sync\"");
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_apply_starts_no_more_steps() {
    let fake = FakePubSub::new();
    let cancel = CancellationToken::new();
    cancel.cancel();
    let plan = plan_for(&fake, &small(), false).await;
    let report = apply(
        &fake,
        &plan,
        &ApplyOptions {
            cancel,
            ..ApplyOptions::default()
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
    async fn seek_to_time(&self, s: &str, t: chrono::DateTime<chrono::Utc>) -> R<()> {
        self.inner.seek_to_time(s, t).await
    }
}

#[tokio::test(start_paused = true)]
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
                ..ApplyOptions::default()
            },
            &NoProgress,
        )
        .await
        .unwrap();
        assert_eq!(report.summary.done, 40);
        assert_eq!(counting.max.load(Ordering::SeqCst), concurrency);
    }
}
