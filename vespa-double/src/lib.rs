//! `vespa-double`: a local stand-in for Vespa's HTTP APIs, for officectl's tests.
//!
//! One port serves `/document/v1` (put, update, remove, get, visit, update/delete-where),
//! `/search/`, `GET /` and `/state/v1/health`, over HTTP/1.1 and h2c with prior knowledge; a
//! second port plays the config server (`/application/v2/.../reindex`, `/reindexing`). Both serve
//! the test-only admin API under `/_double/`. The behaviour copied from Vespa is specified in
//! `shared/docs/vespa-api.md`; what the double does and where it differs is in
//! `docs/vespa-double.md`.

pub mod config;
pub mod docid;
pub mod faults;
pub mod http;
pub mod reindex;
pub mod schema;
pub mod search;
pub mod selection;
pub mod store;
pub mod update;

pub use config::Config;
pub use http::{App, Running, start};
