//! `vespa-double`: a local stand-in for Vespa's HTTP APIs, for officectl's tests.
//!
//! One port serves `/document/v1` (put, update, remove, get, visit, update/delete-where),
//! `/search/`, `GET /` and `/state/v1/health`, over HTTP/1.1 and h2c with prior knowledge; a
//! second port plays the config server (`/application/v2/.../reindex`, `/reindexing`). Both serve
//! the test-only admin API under `/_double/`. Optionally the first port speaks TLS (with ALPN
//! and client certificates) and requires a bearer token, as a hosted Vespa does. The behaviour copied from Vespa is specified in
//! `shared/docs/vespa-api.md`; what the double does and where it differs is in
//! `docs/vespa-double.md`.

pub mod config;
pub mod docid;
pub mod faults;
pub mod http;
pub mod rank;
pub mod reindex;
pub mod schema;
pub mod search;
pub mod selection;
pub mod store;
pub mod tls;
pub mod update;

pub use config::Config;
pub use http::{App, Running, start};

/// A JSON object written in insertion order (serde_json's map sorts keys, Vespa's output does
/// not, and turning on `preserve_order` would change officectl's own output in the workspace).
#[derive(Debug, Default)]
pub struct Obj(String);

impl Obj {
    pub fn new() -> Obj {
        Obj(String::from("{"))
    }

    /// Adds `key` with an already rendered JSON value.
    pub fn raw(mut self, key: &str, json: &str) -> Obj {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0
            .push_str(&serde_json::to_string(key).unwrap_or_default());
        self.0.push(':');
        self.0.push_str(json);
        self
    }

    /// Adds `key` with a serializable value.
    pub fn val<T: serde::Serialize + ?Sized>(self, key: &str, v: &T) -> Obj {
        let json = serde_json::to_string(v).unwrap_or_else(|_| "null".to_string());
        self.raw(key, &json)
    }

    pub fn end(mut self) -> String {
        self.0.push('}');
        self.0
    }
}
