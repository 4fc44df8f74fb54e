//! Which subscriptions a consumer reads right now: for each of its data types, the migration's
//! read flag (`office:flags:read_source:<consumer>:<type>`: `legacy` | `both` | `new`, missing
//! means `legacy`) picks the legacy subscription, the new one, or both. Types without a legacy
//! topic are always read from the new subscription. The flags are re-read while a consumer runs,
//! so `migrate apply` moves it without a restart.

use crate::migrate::flags::{Flag, ReadSource};
use crate::model::catalog::DataType;
use crate::model::store::{KeyValueStore, StoreError};
use std::collections::BTreeMap;

use super::layout::Consumer;

/// The read-source flag of a consumer for a data type.
pub fn read_flag(consumer: &str, data_type: DataType) -> Flag {
    Flag::ReadSource {
        consumer: consumer.to_string(),
        data_type: data_type.doc_type().to_string(),
    }
}

/// A flag that could not be read, or holds a value no reader understands: the consumer does
/// not guess where to read.
#[derive(Debug, thiserror::Error)]
pub enum ReadFlagError {
    #[error("cannot read the read-source flag `{key}`")]
    Store {
        key: String,
        #[source]
        source: StoreError,
    },
    #[error("the read-source flag `{key}` holds `{value}` (expected legacy, both or new)")]
    Value { key: String, value: String },
}

/// The read source of each of `types` for `consumer`, as the flags say now.
pub async fn read_sources(
    store: &dyn KeyValueStore,
    consumer: &str,
    types: &[DataType],
) -> Result<BTreeMap<DataType, ReadSource>, ReadFlagError> {
    let mut sources = BTreeMap::new();
    for &data_type in types {
        let key = read_flag(consumer, data_type).key();
        let value = store
            .get(&key)
            .await
            .map_err(|source| ReadFlagError::Store {
                key: key.clone(),
                source,
            })?;
        let source = match value {
            None => ReadSource::Legacy,
            Some(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                text.parse().map_err(|_| ReadFlagError::Value {
                    key: key.clone(),
                    value: text,
                })?
            }
        };
        sources.insert(data_type, source);
    }
    Ok(sources)
}

/// One subscription to read, with the data type it carries and whether it is the legacy one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reading {
    /// Short id.
    pub subscription: String,
    pub data_type: DataType,
    pub legacy: bool,
}

/// The subscriptions `consumer` reads under `sources` (a type missing from `sources` is not
/// read).
pub fn readings(consumer: &Consumer, sources: &BTreeMap<DataType, ReadSource>) -> Vec<Reading> {
    let mut out = Vec::new();
    for (&data_type, &source) in sources {
        let Some(new) = consumer.new_subscription(data_type) else {
            continue;
        };
        let legacy = consumer.legacy_subscription(data_type);
        if let (Some(legacy), true) = (&legacy, source.reads_legacy()) {
            out.push(Reading {
                subscription: legacy.clone(),
                data_type,
                legacy: true,
            });
        }
        if legacy.is_none() || source.reads_new() {
            out.push(Reading {
                subscription: new.subscription.clone(),
                data_type,
                legacy: false,
            });
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consume::layout;
    use crate::model::store::MemoryStore;
    use crate::topics::Layout;

    fn loader() -> Consumer {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/topology.yaml");
        layout::find(&Layout::load(&path, None).unwrap(), "vespa-loader").unwrap()
    }

    #[tokio::test]
    async fn the_flag_moves_email_between_its_subscriptions_and_todos_stay_new() {
        let store = MemoryStore::new();
        let loader = loader();
        let types = [DataType::Email, DataType::Todo];
        let names = |sources| {
            readings(&loader, &sources)
                .into_iter()
                .map(|r| r.subscription)
                .collect::<Vec<_>>()
        };
        let sources = read_sources(&store, "vespa-loader", &types).await.unwrap();
        assert_eq!(
            names(sources),
            ["vespa-loader-email-backfill", "vespa-loader-todos"]
        );
        let key = read_flag("vespa-loader", DataType::Email).key();
        store
            .set_ex(&key, b"both", std::time::Duration::from_secs(60))
            .await
            .unwrap();
        let sources = read_sources(&store, "vespa-loader", &types).await.unwrap();
        assert_eq!(
            names(sources),
            [
                "vespa-loader-email-backfill",
                "vespa-loader-emails",
                "vespa-loader-todos"
            ]
        );
        store
            .set_ex(&key, b"new", std::time::Duration::from_secs(60))
            .await
            .unwrap();
        let sources = read_sources(&store, "vespa-loader", &types).await.unwrap();
        assert_eq!(
            names(sources),
            ["vespa-loader-emails", "vespa-loader-todos"]
        );
        store
            .set_ex(&key, b"neww", std::time::Duration::from_secs(60))
            .await
            .unwrap();
        let err = read_sources(&store, "vespa-loader", &types)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("holds `neww`"), "{err}");
    }
}
