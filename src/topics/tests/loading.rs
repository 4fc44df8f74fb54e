//! Loading layouts and overlays: the committed files, every invalid fixture, defaults.

use super::*;
use std::time::Duration;

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
