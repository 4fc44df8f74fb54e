//! The fake against the rules the planners and runs depend on.

use super::*;
use crate::pubsub::receive;
use std::time::Duration;

const TOPIC: &str = "projects/p/topics/emails";
const SUB: &str = "projects/p/subscriptions/vespa-loader-emails";

async fn with_topic_and_subscription() -> FakePubSub {
    let fake = FakePubSub::new();
    fake.create_topic(&TopicConfig::named(TOPIC)).await.unwrap();
    fake.create_subscription(&SubscriptionConfig::new(SUB, TOPIC))
        .await
        .unwrap();
    fake
}

#[tokio::test]
async fn enforces_existence_rules() {
    let fake = with_topic_and_subscription().await;
    let err = fake
        .create_topic(&TopicConfig::named(TOPIC))
        .await
        .unwrap_err();
    assert!(err.is_already_exists());
    let err = fake
        .create_subscription(&SubscriptionConfig::new(
            "projects/p/subscriptions/x-y",
            "projects/p/topics/nope",
        ))
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let mut bad = SubscriptionConfig::new("projects/p/subscriptions/bad", TOPIC);
    bad.ack_deadline_seconds = 5;
    assert_eq!(
        fake.create_subscription(&bad).await.unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        fake.list_topic_subscriptions(TOPIC).await.unwrap(),
        vec![SUB.to_string()]
    );
    assert_eq!(fake.list_topics("other").await.unwrap().len(), 0);
}

#[tokio::test]
async fn fans_out_and_redelivers_unacked() {
    let fake = with_topic_and_subscription().await;
    for i in 0..3 {
        fake.publish(TOPIC, OutgoingMessage::new(format!("m{i}")))
            .await
            .unwrap();
    }
    let mut stream = fake.subscribe(SUB);
    let got = receive(stream.as_mut(), 10, Duration::from_millis(20))
        .await
        .unwrap();
    assert_eq!(got.len(), 3);
    let mut got = got.into_iter();
    got.next().unwrap().ack();
    got.next().unwrap().nack();
    drop(got); // the third is dropped unsettled
    let again = receive(stream.as_mut(), 10, Duration::from_millis(20))
        .await
        .unwrap();
    let bodies: Vec<_> = again.iter().map(|d| d.message.data.clone()).collect();
    assert_eq!(bodies, vec!["m1", "m2"]);
    for d in again {
        d.ack();
    }
    assert_eq!(fake.backlog(SUB), 0);
}

#[tokio::test]
async fn injected_failures_fire_the_given_number_of_times() {
    let fake = FakePubSub::new();
    fake.fail_next("create topic", ErrorKind::Unavailable, 1);
    let err = fake
        .create_topic(&TopicConfig::named(TOPIC))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unavailable);
    assert!(
        err.to_string()
            .contains("create topic `projects/p/topics/emails` failed: UNAVAILABLE")
    );
    fake.create_topic(&TopicConfig::named(TOPIC)).await.unwrap();
}

#[tokio::test]
async fn update_mask_changes_only_named_fields() {
    let fake = with_topic_and_subscription().await;
    let mut wanted = SubscriptionConfig::new(SUB, TOPIC);
    wanted.ack_deadline_seconds = 60;
    wanted.retain_acked_messages = true;
    let live = fake
        .update_subscription(&wanted, &["ack_deadline_seconds"])
        .await
        .unwrap();
    assert_eq!(live.ack_deadline_seconds, 60);
    assert!(!live.retain_acked_messages);
    let err = fake
        .update_subscription(&wanted, &["filter"])
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidArgument);
}
