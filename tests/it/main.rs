//! officectl's integration tests: one binary (to keep link time down) with a module per area.
//!
//! Tests that talk to services read their addresses from the environment that
//! `scripts/services up` writes (`target/services.env`); `scripts/test` starts the services,
//! runs this suite and stops them. A test that needs a service fails (never skips) when the
//! service is not configured.

mod backfill;
mod cli;
mod consume;
mod contacts;
mod deploy;
mod doctor;
mod drill;
mod events;
mod fe_sse;
mod lock_metric;
mod meetings;
mod migrate;
mod model_redis;
mod pubsub;
mod reindex;
mod reindex_refeed;
mod search;
mod selective;
mod support;
mod tail;
mod topics;
mod trace;
mod transcripts;
mod vespa_double;
mod vespa_feed;
mod vespa_model_check;
mod vespa_tls;
