//! The consumers a layout declares: each subscription's `consumer` label names who reads it
//! (`plans/topology.yaml` is the one source of truth), and its topic says which data type it
//! carries. A subscription on a data type's legacy topic is what the consumer reads that type
//! from until the migration moves it.

use crate::model::catalog::DataType;
use crate::report::{Report, Table};
use crate::topics::Layout;
use serde::Serialize;
use std::collections::BTreeMap;

/// The label that names a subscription's consumer.
pub const CONSUMER_LABEL: &str = "consumer";

/// One subscription a consumer reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsumerSubscription {
    /// Short id, e.g. `vespa-loader-emails`.
    pub subscription: String,
    /// Short topic id.
    pub topic: String,
    /// The data type the topic carries; `None` for topics of no data type (dead letters).
    pub data_type: Option<DataType>,
    /// On the data type's legacy topic (read until the migration moves the reader).
    pub legacy: bool,
    /// Where messages go after too many failed deliveries, and after how many.
    pub dead_letter: Option<(String, i32)>,
}

/// A consumer and everything it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consumer {
    pub name: String,
    pub subscriptions: Vec<ConsumerSubscription>,
}

impl Consumer {
    /// Its subscription on the data type's new topic, if it reads that type.
    pub fn new_subscription(&self, data_type: DataType) -> Option<&ConsumerSubscription> {
        self.subscriptions
            .iter()
            .find(|s| s.topic == data_type.topic())
    }

    /// The data types it reads, in catalog order.
    pub fn data_types(&self) -> Vec<DataType> {
        DataType::all()
            .filter(|t| self.new_subscription(*t).is_some())
            .collect()
    }

    /// The subscription it reads a data type from before the migration moves it: the one the
    /// layout declares on the type's legacy topic; `None` for types without one.
    pub fn legacy_subscription(&self, data_type: DataType) -> Option<String> {
        let topic = data_type.info().legacy_topic?;
        self.subscriptions
            .iter()
            .find(|s| s.topic == topic)
            .map(|s| s.subscription.clone())
    }
}

/// Every consumer the layout declares, by name.
pub fn consumers(layout: &Layout) -> Vec<Consumer> {
    let mut by_name: BTreeMap<String, Vec<ConsumerSubscription>> = BTreeMap::new();
    for (id, spec) in &layout.subscriptions {
        let Some(name) = spec.labels.get(CONSUMER_LABEL) else {
            continue;
        };
        by_name
            .entry(name.clone())
            .or_default()
            .push(ConsumerSubscription {
                subscription: id.clone(),
                topic: spec.topic.clone(),
                data_type: DataType::all().find(|t| {
                    t.topic() == spec.topic || t.info().legacy_topic == Some(spec.topic.as_str())
                }),
                legacy: DataType::all().any(|t| t.info().legacy_topic == Some(spec.topic.as_str())),
                dead_letter: spec
                    .dead_letter
                    .as_ref()
                    .map(|d| (d.topic.clone(), d.max_attempts)),
            });
    }
    by_name
        .into_iter()
        .map(|(name, subscriptions)| Consumer {
            name,
            subscriptions,
        })
        .collect()
}

/// The consumer called `name`, or the names there are.
pub fn find(layout: &Layout, name: &str) -> Result<Consumer, UnknownConsumer> {
    let all = consumers(layout);
    let known = all.iter().map(|c| c.name.clone()).collect();
    all.into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| UnknownConsumer {
            name: name.to_string(),
            layout: layout.path.display().to_string(),
            known,
        })
}

/// A consumer name the layout does not declare.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{layout}` declares no consumer `{name}` (no subscription has the label `consumer: {name}`); it declares: {}", known.join(", "))]
pub struct UnknownConsumer {
    pub name: String,
    pub layout: String,
    pub known: Vec<String>,
}

/// What `consume --list` shows.
#[derive(Debug, Clone, Serialize)]
pub struct ConsumerList {
    pub layout: String,
    pub consumers: Vec<Consumer>,
}

impl Report for ConsumerList {
    fn tables(&self) -> Vec<Table> {
        let mut table = Table::new([
            "consumer",
            "subscription",
            "topic",
            "data type",
            "legacy",
            "dead letter",
        ])
        .titled(format!(
            "{} consumers in `{}`",
            self.consumers.len(),
            self.layout
        ));
        for consumer in &self.consumers {
            for s in &consumer.subscriptions {
                table.push([
                    consumer.name.clone(),
                    s.subscription.clone(),
                    s.topic.clone(),
                    s.data_type
                        .map_or_else(|| "-".to_string(), |t| t.doc_type().to_string()),
                    if s.legacy { "yes" } else { "" }.to_string(),
                    s.dead_letter
                        .as_ref()
                        .map_or_else(|| "-".into(), |(t, n)| format!("{t} after {n}")),
                ]);
            }
        }
        vec![table]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn layout() -> Layout {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/topology.yaml");
        Layout::load(&path, None).unwrap()
    }

    #[test]
    fn the_loader_reads_every_data_type_and_dead_letters_to_its_topic() {
        let loader = find(&layout(), "vespa-loader").unwrap();
        assert_eq!(loader.data_types().len(), DataType::all().count());
        let emails = loader.new_subscription(DataType::Email).unwrap();
        assert_eq!(emails.subscription, "vespa-loader-emails");
        assert_eq!(
            emails.dead_letter,
            Some(("vespa-loader-dead-letter".to_string(), 10))
        );
        assert_eq!(
            loader.legacy_subscription(DataType::Email).as_deref(),
            Some("vespa-loader-email-backfill")
        );
        assert_eq!(loader.legacy_subscription(DataType::Todo), None);
    }

    #[test]
    fn an_unknown_consumer_names_the_known_ones() {
        let err = find(&layout(), "vespa-loadr").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("no consumer `vespa-loadr`"), "{text}");
        assert!(text.contains("vespa-loader"), "{text}");
        assert!(text.contains("contact-discovery"), "{text}");
    }
}
