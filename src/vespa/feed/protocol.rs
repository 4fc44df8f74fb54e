//! The `/document/v1` protocol as the feed speaks it (vespa-api.md §1–2): operations and the
//! requests they become, responses, transport errors, and what each status means for a retry.
//!
//! Retry classes follow the official clients (vespa-feed-clients.md §2–3): 2xx, 404 and 412
//! finish an operation; 429 is an overload (retried without limit, the throttle is cut); 503 and
//! transport errors are transient (retried a bounded number of times); anything else is final.

use crate::model::vespa::docid::{self, IdParts};
use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::value::RawValue;

use super::FeedConfig;

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    Put,
    Update,
    Remove,
}

impl OpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::Put => "put",
            OpKind::Update => "update",
            OpKind::Remove => "remove",
        }
    }
}

/// One document operation, as read from a feed file.
#[derive(Debug, Clone)]
pub struct Operation {
    pub kind: OpKind,
    /// The full document id, `id:<ns>:<type>:<modifiers>:<local>`.
    pub id: String,
    pub condition: Option<String>,
    pub create: bool,
    /// The `fields` object exactly as given (sent as is, as the Go CLI does).
    pub fields: Option<Box<RawValue>>,
}

impl Operation {
    /// The operation in Vespa's feed format, e.g. for a rejects file to be fed again.
    pub fn to_feed_json(&self) -> String {
        let mut out = String::from("{");
        out.push_str(&format!(
            "\"{}\":{}",
            self.kind.as_str(),
            serde_json::Value::String(self.id.clone())
        ));
        if let Some(condition) = &self.condition {
            out.push_str(&format!(
                ",\"condition\":{}",
                serde_json::Value::String(condition.clone())
            ));
        }
        if self.create {
            out.push_str(",\"create\":true");
        }
        if let Some(fields) = &self.fields {
            out.push_str(&format!(",\"fields\":{}", fields.get()));
        }
        out.push('}');
        out
    }

    /// The HTTP request for this operation, or why the id cannot be one.
    pub fn request(&self, config: &FeedConfig) -> Result<Request, String> {
        let mut path = document_path(&self.id)?;
        let mut query: Vec<String> = Vec::new();
        if let Some(condition) = &self.condition {
            query.push(format!(
                "condition={}",
                utf8_percent_encode(condition, QUERY)
            ));
        }
        if self.create {
            query.push("create=true".into());
        }
        if let Some(route) = &config.route {
            query.push(format!("route={}", utf8_percent_encode(route, QUERY)));
        }
        if let Some(timeout) = config.timeout {
            query.push(format!("timeout={}ms", timeout.as_millis()));
        }
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query.join("&"));
        }
        let (method, body) = match self.kind {
            OpKind::Put => ("POST", Some(self.body())),
            OpKind::Update => ("PUT", Some(self.body())),
            OpKind::Remove => ("DELETE", None),
        };
        Ok(Request { method, path, body })
    }

    fn body(&self) -> Bytes {
        let fields = self.fields.as_ref().map_or("{}", |f| f.get());
        Bytes::from(format!("{{\"fields\":{fields}}}"))
    }
}

/// Everything except unreserved characters is escaped in path segments and query values.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
const QUERY: &AsciiSet = SEGMENT;

/// `/document/v1/...` for any document id (vespa-api.md §1).
pub fn document_path(id: &str) -> Result<String, String> {
    let Some(IdParts {
        namespace: ns,
        doc_type,
        modifiers,
        local,
    }) = docid::split(id)
    else {
        return Err(format!(
            "`{id}` is not a document id (`id:<namespace>:<type>:<modifiers>:<id>`)"
        ));
    };
    if ns.is_empty() || doc_type.is_empty() || local.is_empty() {
        return Err(format!(
            "`{id}` has an empty namespace, type or user-specified part"
        ));
    }
    let seg = |s: &str| utf8_percent_encode(s, SEGMENT).to_string();
    let location = if modifiers.is_empty() {
        "docid".to_string()
    } else if let Some(n) = modifiers.strip_prefix("n=") {
        format!("number/{}", seg(n))
    } else if let Some(g) = modifiers.strip_prefix("g=") {
        format!("group/{}", seg(g))
    } else {
        return Err(format!(
            "`{id}` has modifiers `{modifiers}`; expected none, `n=<number>` or `g=<group>`"
        ));
    };
    Ok(format!(
        "/document/v1/{}/{}/{location}/{}",
        seg(ns),
        seg(doc_type),
        seg(local)
    ))
}

/// An HTTP request against the document API.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: &'static str,
    /// Path and query, e.g. `/document/v1/ns/t/docid/x?create=true`.
    pub path: String,
    pub body: Option<Bytes>,
}

/// An HTTP response: status and body.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: Bytes,
}

/// The request never got a response (connect, reset, GOAWAY, timeout, TLS).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    pub message: String,
    /// Retrying cannot help: a TLS certificate was rejected on either side. The feed stops at
    /// once instead of retrying every operation against a server it can never talk to.
    pub permanent: bool,
}

impl TransportError {
    /// A failure worth retrying (refused, reset, timeout).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: false,
        }
    }

    /// A failure that retrying cannot fix.
    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: true,
        }
    }
}

/// Sends one request; the real one is [`crate::vespa::http::HttpTransport`].
#[async_trait::async_trait]
pub trait Transport: Send + Sync + 'static {
    async fn send(&self, request: &Request) -> Result<Response, TransportError>;
}

/// What to do after a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Finished: 2xx, 404 (missing document) or 412 (condition not met).
    Done,
    /// 429: retry without limit and cut the throttle.
    Overloaded,
    /// 503 or a transport error: retry a bounded number of times.
    Transient,
    /// Anything else: report, do not retry.
    Fatal,
}

/// Classifies a status code.
pub fn classify(status: u16) -> Class {
    match status {
        200..=299 | 404 | 412 => Class::Done,
        429 => Class::Overloaded,
        503 => Class::Transient,
        _ => Class::Fatal,
    }
}

/// The `message` of a Vespa error body, or the body itself (shortened).
pub fn message_of(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Body {
        message: Option<String>,
    }
    if let Ok(Body {
        message: Some(message),
    }) = serde_json::from_slice::<Body>(body)
    {
        return message;
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(200).collect::<String>())
    } else {
        text.to_string()
    }
}
