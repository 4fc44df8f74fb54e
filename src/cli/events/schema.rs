//! `officectl events schema [TYPE]`

use crate::cli::{Context, error::with_hint};
use officectl::model::catalog::{DataType, LEGACY_EMAIL_EVENT_TYPE};
use officectl::model::schema;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Event type (`EmailEvent`, or its short name `email`), or `EmailBackfillEvent` for the legacy shape
    #[arg(value_name = "TYPE")]
    event_type: Option<String>,
}

pub fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let value = match args.event_type.as_deref() {
        None => {
            let mut all = serde_json::Map::new();
            for data_type in DataType::all() {
                all.insert(
                    data_type.event_type().into(),
                    schema::json_schema(data_type).clone(),
                );
            }
            all.insert(
                LEGACY_EMAIL_EVENT_TYPE.into(),
                schema::legacy_json_schema().clone(),
            );
            serde_json::Value::Object(all)
        }
        Some(name) if name == LEGACY_EMAIL_EVENT_TYPE => schema::legacy_json_schema().clone(),
        Some(name) => {
            let data_type =
                DataType::from_event_type(name).or_else(|| DataType::from_doc_type(name));
            let Some(data_type) = data_type else {
                let known: Vec<&str> = DataType::all().map(|t| t.event_type()).collect();
                return Err(with_hint(
                    anyhow::anyhow!("unknown event type `{name}`"),
                    format!(
                        "known types: {}, {LEGACY_EMAIL_EVENT_TYPE}",
                        known.join(", ")
                    ),
                ));
            };
            schema::json_schema(data_type).clone()
        }
    };
    context
        .printer
        .data(&(serde_json::to_string_pretty(&value)? + "\n"))
}
