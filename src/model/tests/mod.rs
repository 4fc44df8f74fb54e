//! Tests across the model: golden fixtures (`tests/fixtures/events`), legacy upcasts, envelope and
//! claim-check round trips, property tests over generated events, and a fuzz loop over arbitrary
//! bytes. Goldens are rewritten with `OFFICECTL_UPDATE_SNAPSHOTS=1`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::model::catalog::DataType;
use crate::model::claim_check::{self, ClaimCheckConfig, ClaimCheckError};
use crate::model::envelope::{self, attr};
use crate::model::event::Event;
use crate::model::idempotency::{self, Begin, Claim, DedupeConfig, DedupeStore, Strategy};
use crate::model::snapshot::UPDATE_SNAPSHOTS_ENV;
use crate::model::store::{KeyValueStore, MemoryStore};
use crate::model::validate::{SourceFormat, validate_bytes};
use crate::model::vespa::schema::{FieldType, field_spec};
use crate::model::vespa::{FeedOperation, Outcome, Skipped, from_event, from_message};

fn fixtures(dir: &str) -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events")
        .join(dir);
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().ends_with(".upcast.json")
        })
        .map(|p| {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            (name, p)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {}", root.display());
    out
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn valid(name: &str) -> Event {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events/valid")
        .join(format!("{name}.json"));
    match validate_bytes(&read(&path)) {
        Ok(v) => v.event,
        Err(p) => panic!("{name}: {p:?}"),
    }
}

/// Compares `actual` with the golden file, or rewrites it under `OFFICECTL_UPDATE_SNAPSHOTS=1`.
fn golden(path: &Path, actual: &str) {
    if std::env::var(UPDATE_SNAPSHOTS_ENV).is_ok_and(|v| v == "1") {
        std::fs::write(path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(expected, actual, "golden {} differs", path.display());
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(|rt| rt.block_on(f))
        .unwrap_or_else(|e| panic!("runtime: {e}"))
}

mod dedupe;
mod golden;
mod messages;
mod properties;
mod vespa_factory;
