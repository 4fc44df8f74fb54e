//! Rules the JSON Schema cannot express (`batch_id` required for `batch_sync`, end after start,
//! a body or a payload reference, ...), read from the raw JSON value.

use super::{Problem, problem};
use crate::model::catalog::DataType;
use chrono::DateTime;
use serde_json::Value;
use std::collections::HashSet;

/// Rules the JSON Schema cannot express. They read the raw JSON value, so they also run on a
/// document that failed the schema (a field of the wrong shape is simply not compared).
pub fn semantic_problems(data_type: DataType, value: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let str_at = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    if str_at(value, "sync_type").as_deref() == Some("batch_sync")
        && value.get("batch_id").is_none_or(Value::is_null)
    {
        out.push(problem(
            "$.batch_id",
            "required when `sync_type` is `batch_sync`",
        ));
    }
    let deleting = str_at(value, "operation").as_deref() == Some("delete");
    let present = |v: &Value, key: &str| v.get(key).is_some_and(|x| !x.is_null());
    let non_empty_list = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    let end_before_start = |v: &Value, at: &str, out: &mut Vec<Problem>| {
        let time = |key: &str| {
            v.get(key)
                .and_then(Value::as_str)
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        };
        if let (Some(start), Some(end)) = (time("start"), time("end"))
            && end < start
        {
            out.push(problem(format!("{at}.end"), "is before `start`"));
        }
    };
    let items = |key: &str| -> Vec<&Value> {
        match value.get(key) {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v @ Value::Object(_)) => vec![v],
            _ => Vec::new(),
        }
    };
    match data_type {
        DataType::Email => {
            let mut seen = HashSet::new();
            for (i, email) in items("emails").into_iter().enumerate() {
                let at = format!("$.emails[{i}]");
                if let Some(id) = str_at(email, "provider_message_id")
                    && !seen.insert(id.clone())
                {
                    out.push(problem(
                        format!("{at}.provider_message_id"),
                        format!("duplicate `{id}` in the same event"),
                    ));
                }
                let (body, reference) = (present(email, "body"), present(email, "payload_ref"));
                if body && reference {
                    out.push(problem(&at, "has both `body` and `payload_ref`; keep one"));
                }
                if !deleting {
                    if !body && !reference {
                        out.push(problem(&at, "needs `body` or `payload_ref`"));
                    }
                    if !["to", "cc", "bcc"].iter().any(|k| non_empty_list(email, k)) {
                        out.push(problem(
                            format!("{at}.to"),
                            "needs at least one recipient in `to`, `cc` or `bcc`",
                        ));
                    }
                }
            }
        }
        DataType::Calendar => {
            for entry in items("entry") {
                end_before_start(entry, "$.entry", &mut out);
            }
        }
        DataType::Document => {
            for doc in items("document") {
                if present(doc, "content") && present(doc, "payload_ref") {
                    out.push(problem(
                        "$.document",
                        "has both `content` and `payload_ref`; keep one",
                    ));
                }
            }
        }
        DataType::LlmChat => {
            for chat in items("conversation") {
                let (messages, reference) = (
                    non_empty_list(chat, "messages"),
                    present(chat, "payload_ref"),
                );
                if messages && reference {
                    out.push(problem(
                        "$.conversation",
                        "has both `messages` and `payload_ref`; keep one",
                    ));
                }
                if !deleting && !messages && !reference {
                    out.push(problem(
                        "$.conversation.messages",
                        "needs at least one message, or `payload_ref`",
                    ));
                }
            }
        }
        DataType::MeetingPoll => {
            for poll in items("poll") {
                let options: Vec<&Value> = poll
                    .get("options")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().collect())
                    .unwrap_or_default();
                let mut ids = HashSet::new();
                for (i, option) in options.iter().enumerate() {
                    end_before_start(option, &format!("$.poll.options[{i}]"), &mut out);
                    if let Some(id) = str_at(option, "option_id")
                        && !ids.insert(id.clone())
                    {
                        out.push(problem(
                            format!("$.poll.options[{i}].option_id"),
                            format!("duplicate option `{id}`"),
                        ));
                    }
                }
                let votes = poll.get("votes").and_then(Value::as_array);
                for (i, vote) in votes.into_iter().flatten().enumerate() {
                    if let Some(id) = str_at(vote, "option_id")
                        && !ids.contains(&id)
                    {
                        out.push(problem(
                            format!("$.poll.votes[{i}].option_id"),
                            format!("no option `{id}` in `options`"),
                        ));
                    }
                }
                match str_at(poll, "chosen_option_id") {
                    Some(chosen) if !ids.contains(&chosen) => out.push(problem(
                        "$.poll.chosen_option_id",
                        format!("no option `{chosen}` in `options`"),
                    )),
                    None if str_at(poll, "status").as_deref() == Some("scheduled") => {
                        out.push(problem(
                            "$.poll.chosen_option_id",
                            "required when `status` is `scheduled`",
                        ))
                    }
                    _ => {}
                }
            }
        }
        DataType::Booking => {
            for booking in items("booking") {
                end_before_start(booking, "$.booking", &mut out);
            }
        }
        DataType::Contact | DataType::Todo | DataType::Shipment => {}
    }
    out
}
