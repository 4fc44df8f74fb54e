//! Operations behind the `events` verbs: reading NDJSON of events (new or legacy, detected per
//! line), validating, converting, and publishing them with the envelope and claim check.
//!
//! Publishing is two-phase so bad input never half-publishes: every line is validated and every
//! message planned (sizes, parked payloads) before the first publish.
//!
//! - `input`: NDJSON lines, each validated; `validation`: the `events validate` report;
//! - `publish`: plan, route (publish modes), check topics, park payloads and publish.

mod input;
mod publish;
mod validation;

pub use input::{InputLine, NdjsonEvents};
pub use publish::{
    NumberedEvent, NumberedPlan, PlanError, PublishAllError, PublishFailure, PublishReport,
    RouteFailure, missing_topics, plan_all, publish_all, route, summarize,
};
pub use validation::{InvalidLine, ValidationReport};

#[cfg(test)]
mod tests;
