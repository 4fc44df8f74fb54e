//! From events to Vespa feed operations: one document per item (every e-mail of a batch), a
//! remove per item on `delete`, and a typed [`Skipped`] outcome for messages that cannot be
//! turned into documents, which callers count.

use std::collections::BTreeMap;
use std::collections::BTreeMap as Map;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::model::catalog::DataType;
use crate::model::envelope::{self, DecodeError};
use crate::model::event::Event;
use crate::model::fields::{BodyMime, Header, Mailbox, Operation};
use crate::model::validate::Problem;
use crate::model::vespa::docid::DocumentId;
use crate::model::vespa::schema::field_spec;

/// A document to put.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VespaDocument {
    #[serde(skip)]
    pub data_type: DataType,
    pub id: String,
    pub fields: BTreeMap<&'static str, Value>,
}

/// One operation of a Vespa feed.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedOperation {
    Put(VespaDocument),
    /// A removal, with the version of the item it removes (its `updated_at`, or the deletion's
    /// `occurred_at` when the producer did not know it).
    Remove {
        data_type: DataType,
        id: DocumentId,
        updated_at: DateTime<Utc>,
    },
}

impl FeedOperation {
    /// The operation as a line of the Vespa JSON feed format (vespa-api.md §4).
    pub fn to_feed_json(&self) -> Value {
        match self {
            FeedOperation::Put(doc) => serde_json::json!({"put": doc.id, "fields": doc.fields}),
            FeedOperation::Remove { id, .. } => serde_json::json!({"remove": id.to_string()}),
        }
    }

    /// The version of the item the operation writes or removes (its `updated_at`, in epoch
    /// seconds as documents store it): what "the newer wins" compares.
    pub fn version(&self) -> Option<i64> {
        match self {
            FeedOperation::Put(doc) => doc.fields.get("updated_at").and_then(Value::as_i64),
            FeedOperation::Remove { updated_at, .. } => Some(updated_at.timestamp()),
        }
    }
}

/// Why a message produced no documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Skipped {
    /// The `event_type` is not one this build knows (e.g. a newer producer).
    UnknownEventType { event_type: String },
    /// The message is not a valid event.
    Invalid { problems: Vec<Problem> },
    /// Attributes contradict the body.
    AttributeMismatch { message: String },
}

/// What the factory made of one message.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Feed(Vec<FeedOperation>),
    Skipped(Skipped),
}

/// Decodes a message and maps it to feed operations; never panics on any input.
///
/// Parked payloads are not fetched here: resolve them first (see
/// [`crate::model::claim_check::resolve_payloads`]) or documents index only the snippet.
pub fn from_message(data: &[u8], attributes: &BTreeMap<String, String>) -> Outcome {
    match envelope::decode_message(data, attributes) {
        Ok(decoded) => Outcome::Feed(from_event(&decoded.event)),
        Err(err) => Outcome::Skipped(skipped_of(data, err)),
    }
}

/// Why the message `data` that did not decode is skipped.
pub fn skipped_of(data: &[u8], err: DecodeError) -> Skipped {
    match err {
        DecodeError::UnknownEventType(event_type) => Skipped::UnknownEventType { event_type },
        DecodeError::Invalid { problems, .. } => {
            // A body whose `event_type` is unknown is a skip of its own kind, so callers can
            // count newer producers apart from broken ones.
            match problems.as_slice() {
                [p] if p.path == "$.event_type" && p.message.starts_with("unknown event type") => {
                    let event_type = serde_json::from_slice::<Value>(data)
                        .ok()
                        .and_then(|v| v.get("event_type")?.as_str().map(str::to_string))
                        .unwrap_or_default();
                    Skipped::UnknownEventType { event_type }
                }
                _ => Skipped::Invalid { problems },
            }
        }
        err @ DecodeError::AttributeMismatch { .. } => Skipped::AttributeMismatch {
            message: err.to_string(),
        },
    }
}

/// The feed operations of an event: a put (or, on `delete`, a remove) per item.
pub fn from_event(event: &Event) -> Vec<FeedOperation> {
    let header = event.header();
    let data_type = event.data_type();
    if header.operation == Operation::Delete {
        return event
            .items()
            .into_iter()
            .map(|item| FeedOperation::Remove {
                data_type,
                id: DocumentId::new(data_type.vespa_type(), header.user_id, item.doc_id()),
                updated_at: item.updated_at(),
            })
            .collect();
    }
    let docs: Vec<Builder> = match event {
        // A deletion's operation is always `delete`: handled above.
        Event::Deletion(_) => Vec::new(),
        Event::Email(e) => e
            .emails
            .iter()
            .map(|m| {
                let text = match &m.body {
                    Some(body) if body.mime_type == BodyMime::Html => strip_html(&body.content),
                    Some(body) => body.content.clone(),
                    None => m.snippet.clone().unwrap_or_default(),
                };
                let mut participants = vec![m.from.email.clone()];
                participants.extend(
                    m.to.iter()
                        .chain(&m.cc)
                        .chain(&m.bcc)
                        .map(|a| a.email.clone()),
                );
                Builder::new(data_type, &header, &m.provider_message_id)
                    .set("title", m.subject.as_str())
                    .set("text", text)
                    .time("created_at", m.received_at)
                    .time("updated_at", m.updated_at)
                    .set("provider", e.provider.as_str())
                    .set("thread_id", m.thread_id.as_str())
                    .set("from_address", m.from.email.as_str())
                    .opt("from_name", m.from.name.as_deref())
                    .set("to_addresses", emails(&m.to))
                    .set("cc_addresses", emails(&m.cc))
                    .set("participants", participants)
                    .set("labels", m.labels.clone())
                    .time("received_at", m.received_at)
                    .set("is_read", m.is_read)
                    .set("has_attachments", !m.attachments.is_empty())
                    .set(
                        "attachment_names",
                        m.attachments
                            .iter()
                            .map(|a| a.filename.clone())
                            .collect::<Vec<_>>(),
                    )
            })
            .collect(),
        Event::Calendar(e) => {
            let c = &e.entry;
            let attendees: Vec<String> = c.attendees.iter().map(|a| a.email.clone()).collect();
            let mut participants = attendees.clone();
            if let Some(org) = &c.organizer {
                participants.insert(0, org.email.clone());
            }
            vec![
                Builder::new(data_type, &header, &c.provider_event_id)
                    .set("title", c.title.as_str())
                    .set("text", c.description.clone().unwrap_or_default())
                    .time("created_at", c.created_at)
                    .time("updated_at", c.updated_at)
                    .set("provider", e.provider.as_str())
                    .set("calendar_id", c.calendar_id.as_str())
                    .opt("location", c.location.as_deref())
                    .time("start_at", c.start)
                    .time("end_at", c.end)
                    .set("all_day", c.all_day)
                    .opt("organizer", c.organizer.as_ref().map(|o| o.email.as_str()))
                    .set("participants", participants)
                    .set("status", enum_str(&c.status))
                    .set(
                        "is_recurring",
                        !c.recurrence.is_empty() || c.recurring_event_id.is_some(),
                    ),
            ]
        }
        Event::Contact(e) => {
            let c = &e.contact;
            let text = [c.notes.as_deref(), c.nickname.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n");
            vec![
                Builder::new(data_type, &header, &c.provider_contact_id)
                    .set("title", c.display_name.as_str())
                    .set("text", text)
                    .time("created_at", c.updated_at)
                    .time("updated_at", c.updated_at)
                    .set("provider", e.provider.as_str())
                    .set(
                        "emails",
                        c.emails.iter().map(|v| v.value.clone()).collect::<Vec<_>>(),
                    )
                    .set(
                        "phones",
                        c.phones.iter().map(|v| v.value.clone()).collect::<Vec<_>>(),
                    )
                    .opt("organization", c.organization.as_deref())
                    .opt("job_title", c.job_title.as_deref())
                    .set("groups", c.groups.clone())
                    .set("source", c.source.as_str())
                    // Always written: an unset double attribute is NaN in Vespa, and NaN in the
                    // rank expression would rank the contact anywhere.
                    .set("relevance", c.relevance.unwrap_or(0.0)),
            ]
        }
        Event::Document(e) => {
            let d = &e.document;
            let mut participants = vec![d.owner.email.clone()];
            participants.extend(emails(&d.shared_with));
            vec![
                Builder::new(data_type, &header, &d.provider_document_id)
                    .set("title", d.title.as_str())
                    .set("text", d.content.clone().unwrap_or_default())
                    .time("created_at", d.created_at)
                    .time("updated_at", d.updated_at)
                    .set("provider", e.provider.as_str())
                    .set("mime_type", d.mime_type.as_str())
                    .opt("web_url", d.web_url.as_deref())
                    .opt("folder_path", d.folder_path.as_deref())
                    .set("owner", d.owner.email.as_str())
                    .set("participants", participants)
                    .opt("size_bytes", d.size_bytes),
            ]
        }
        Event::Todo(e) => {
            let t = &e.todo;
            vec![
                Builder::new(data_type, &header, &t.provider_task_id)
                    .set("title", t.title.as_str())
                    .set("text", t.notes.clone().unwrap_or_default())
                    .time("created_at", t.created_at)
                    .time("updated_at", t.updated_at)
                    .set("provider", e.provider.as_str())
                    .set("list_id", t.list_id.as_str())
                    .opt("list_name", t.list_name.as_deref())
                    .set("status", enum_str(&t.status))
                    .set("priority", enum_str(&t.priority))
                    .opt_time("due_at", t.due_at)
                    .opt_time("completed_at", t.completed_at)
                    .set("tags", t.tags.clone()),
            ]
        }
        Event::LlmChat(e) => {
            let c = &e.conversation;
            let text = c
                .messages
                .iter()
                .map(|m| m.content.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            vec![
                Builder::new(data_type, &header, &c.conversation_id)
                    .set("title", c.title.clone().unwrap_or_default())
                    .set("text", text)
                    .time("created_at", c.started_at)
                    .time("updated_at", c.updated_at)
                    .set("model", c.model.as_str())
                    .set("message_count", c.messages.len() as u64),
            ]
        }
        Event::Shipment(e) => {
            let s = &e.shipment;
            let title = match &s.description {
                Some(d) => d.clone(),
                None => format!("{} {}", s.carrier, s.tracking_number),
            };
            let text = s
                .checkpoints
                .iter()
                .filter_map(|c| c.message.as_deref())
                .collect::<Vec<_>>()
                .join("\n");
            vec![
                Builder::new(data_type, &header, &s.shipment_id)
                    .set("title", title)
                    .set("text", text)
                    .time(
                        "created_at",
                        s.checkpoints.first().map_or(s.updated_at, |c| c.at),
                    )
                    .time("updated_at", s.updated_at)
                    .set("carrier", s.carrier.as_str())
                    .set("tracking_number", s.tracking_number.as_str())
                    .set("status", enum_str(&s.status))
                    .opt("merchant", s.merchant.as_deref())
                    .opt("order_id", s.order_id.as_deref())
                    .opt_time("estimated_delivery_at", s.estimated_delivery)
                    .opt_time("delivered_at", s.delivered_at),
            ]
        }
        Event::MeetingPoll(e) => {
            let p = &e.poll;
            let mut participants = vec![p.organizer.email.clone()];
            participants.extend(emails(&p.participants));
            vec![
                Builder::new(data_type, &header, &p.poll_id)
                    .set("title", p.title.as_str())
                    .set("text", p.description.clone().unwrap_or_default())
                    .time("created_at", p.created_at)
                    .time("updated_at", p.updated_at)
                    .set("organizer", p.organizer.email.as_str())
                    .set("participants", participants)
                    .set("status", enum_str(&p.status))
                    .opt_time("deadline_at", p.deadline)
                    .set("option_count", p.options.len() as u64)
                    .set(
                        "busy_option_count",
                        p.options.iter().filter(|o| o.organizer_busy).count() as u64,
                    ),
            ]
        }
        Event::Booking(e) => {
            let b = &e.booking;
            vec![
                Builder::new(data_type, &header, &b.booking_id)
                    .set("title", b.service_name.as_str())
                    .set("text", b.notes.clone().unwrap_or_default())
                    .time("created_at", b.created_at)
                    .time("updated_at", b.updated_at)
                    .set("host_address", b.host.email.as_str())
                    .set("guest", b.guest.email.as_str())
                    .set(
                        "participants",
                        vec![b.host.email.clone(), b.guest.email.clone()],
                    )
                    .time("start_at", b.start)
                    .time("end_at", b.end)
                    .set("status", enum_str(&b.status))
                    .opt("location", b.location.as_deref()),
            ]
        }
    };
    docs.into_iter()
        .map(|b| FeedOperation::Put(b.build()))
        .collect()
}

/// Builds a document's fields; only fields of the type's schema are kept (a test asserts none
/// is ever dropped, so a typo fails the build's tests rather than a feed).
struct Builder {
    data_type: DataType,
    id: DocumentId,
    fields: Map<&'static str, Value>,
    #[cfg(test)]
    dropped: Vec<String>,
}

impl Builder {
    fn new(data_type: DataType, header: &Header<'_>, doc_id: &str) -> Builder {
        let id = DocumentId::new(data_type.vespa_type(), header.user_id, doc_id);
        let builder = Builder {
            data_type,
            id,
            fields: Map::new(),
            #[cfg(test)]
            dropped: Vec::new(),
        };
        builder
            .set("doc_id", doc_id)
            .set("user_id", header.user_id)
            .set("doc_type", data_type.doc_type())
            .set("source_event_id", header.event_id)
    }

    fn set(mut self, name: &'static str, value: impl Into<Value>) -> Builder {
        if let Some(spec) = field_spec(self.data_type, name) {
            self.fields.insert(spec.name, value.into());
        } else {
            #[cfg(test)]
            self.dropped.push(name.to_string());
        }
        self
    }

    fn opt(self, name: &'static str, value: Option<impl Into<Value>>) -> Builder {
        match value {
            Some(v) => self.set(name, v),
            None => self,
        }
    }

    fn time(self, name: &'static str, at: DateTime<Utc>) -> Builder {
        self.set(name, at.timestamp())
    }

    fn opt_time(self, name: &'static str, at: Option<DateTime<Utc>>) -> Builder {
        self.opt(name, at.map(|t| t.timestamp()))
    }

    fn build(self) -> VespaDocument {
        #[cfg(test)]
        assert!(
            self.dropped.is_empty(),
            "factory set fields not in the `{}` schema: {:?}",
            self.data_type,
            self.dropped
        );
        VespaDocument {
            data_type: self.data_type,
            id: self.id.to_string(),
            fields: self.fields,
        }
    }
}

fn emails(list: &[Mailbox]) -> Vec<String> {
    list.iter().map(|m| m.email.clone()).collect()
}

/// The serde name of a unit enum value (`in_progress`, ...).
fn enum_str<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Crude HTML-to-text for indexing: drops tags, `<script>`/`<style>` content and decodes the
/// common entities. Good enough for matching; not a renderer.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        if rest.starts_with('<') {
            let lower_rest = &lower[i..];
            let skip_to = if lower_rest.starts_with("<script") {
                lower_rest.find("</script>").map(|p| p + "</script>".len())
            } else if lower_rest.starts_with("<style") {
                lower_rest.find("</style>").map(|p| p + "</style>".len())
            } else {
                rest.find('>').map(|p| p + 1)
            };
            match skip_to {
                Some(n) => {
                    i += n;
                    out.push(' ');
                }
                None => break,
            }
        } else {
            let next = rest.find('<').unwrap_or(rest.len());
            out.push_str(&rest[..next]);
            i += next;
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}
