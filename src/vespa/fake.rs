//! The one Vespa of the unit tests: an in-process document API ([`Transport`]) and config
//! server ([`ConfigServer`]), which can also be served over a real socket (h2c) for the HTTP
//! client's own tests.
//!
//! It stores what is put (documents keyed by full id, from the `/document/v1` path), visits a
//! group in pages (the continuation is an offset; slices by a hash of the id), and answers what
//! a test scripts: a status or a transport error for the n-th request on a path, for every
//! request on a path, or for the puts of a document. It records every request (method, path,
//! query, body, and over a socket the HTTP version and headers), how many times each path was
//! asked, the peak concurrency, and whether two requests on one path overlapped. Each request
//! takes [`FakeVespa::with_delay`] (1 ms by default) on tokio's clock, so tests on a paused
//! clock (`#[tokio::test(start_paused = true)]`) run it without real waiting.

use crate::vespa::feed::{Request, Response, Transport, TransportError};
use crate::vespa::reindex::{ConfigServer, ReindexError};
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A scripted answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// This status, with `{"message":"status N"}`.
    Status(u16),
    /// No response: a transport error worth retrying (`connection reset`).
    Reset,
    /// A transport error that retrying cannot fix (a rejected certificate).
    Permanent,
}

impl From<u16> for Answer {
    fn from(status: u16) -> Answer {
        Answer::Status(status)
    }
}

/// A request the fake received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// The path without the query.
    pub path: String,
    pub body: Option<String>,
    /// Only over a socket ([`FakeVespa::serve_h2c`]).
    pub version: Option<http::Version>,
    pub headers: http::HeaderMap,
}

/// The fake Vespa; share it in an `Arc`.
pub struct FakeVespa {
    delay: Duration,
    docs: Mutex<BTreeMap<String, Value>>,
    /// `(path, attempt) → answer`; attempts count from 1.
    script: Mutex<HashMap<(String, u32), Answer>>,
    /// `path → answer` for every request on it (after the per-attempt script).
    always: Mutex<HashMap<String, Answer>>,
    /// Document id → the status its puts get.
    fail_puts: Mutex<HashMap<String, u16>>,
    attempts: Mutex<HashMap<String, u32>>,
    seen: Mutex<Vec<Seen>>,
    inflight: AtomicUsize,
    peak: AtomicUsize,
    /// Paths being served right now (to catch overlapping requests on one document).
    active: Mutex<HashMap<String, usize>>,
    overlapped: AtomicBool,
    puts: AtomicUsize,
    /// The config server's answer to every call, and the calls, `(method, path)`.
    config_answer: Mutex<(u16, String)>,
    config_calls: Mutex<Vec<(String, String)>>,
}

impl Default for FakeVespa {
    fn default() -> FakeVespa {
        FakeVespa::with_delay(Duration::from_millis(1))
    }
}

impl FakeVespa {
    /// A fake whose every request takes `delay` (on tokio's clock).
    pub fn with_delay(delay: Duration) -> FakeVespa {
        FakeVespa {
            delay,
            docs: Mutex::default(),
            script: Mutex::default(),
            always: Mutex::default(),
            fail_puts: Mutex::default(),
            attempts: Mutex::default(),
            seen: Mutex::default(),
            inflight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            active: Mutex::default(),
            overlapped: AtomicBool::new(false),
            puts: AtomicUsize::new(0),
            config_answer: Mutex::new((200, "{}".to_string())),
            config_calls: Mutex::default(),
        }
    }

    /// The `attempt`-th request on `path` (without query) gets `answer`.
    pub fn answer(&self, path: &str, attempt: u32, answer: impl Into<Answer>) {
        lock(&self.script).insert((path.to_string(), attempt), answer.into());
    }

    /// Every request on `path` gets `answer` (unless the per-attempt script says otherwise).
    pub fn always(&self, path: &str, answer: impl Into<Answer>) {
        lock(&self.always).insert(path.to_string(), answer.into());
    }

    /// Puts of document `id` get `status`.
    pub fn fail_puts(&self, id: &str, status: u16) {
        lock(&self.fail_puts).insert(id.to_string(), status);
    }

    /// Puts succeed again.
    pub fn clear_failed_puts(&self) {
        lock(&self.fail_puts).clear();
    }

    /// Stores a document.
    pub fn seed(&self, id: &str, fields: Value) {
        lock(&self.docs).insert(id.to_string(), fields);
    }

    /// The fields of a stored document (panics when there is none).
    pub fn fields(&self, id: &str) -> Value {
        lock(&self.docs)[id].clone()
    }

    /// Documents stored.
    pub fn documents(&self) -> usize {
        lock(&self.docs).len()
    }

    /// Requests on `path` (without query) so far.
    pub fn attempts(&self, path: &str) -> u32 {
        lock(&self.attempts).get(path).copied().unwrap_or(0)
    }

    /// Every request so far, in the order they arrived.
    pub fn requests(&self) -> Vec<Seen> {
        lock(&self.seen).clone()
    }

    /// The most requests in progress at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Whether two requests on one path were ever in progress at once.
    pub fn overlapped(&self) -> bool {
        self.overlapped.load(Ordering::SeqCst)
    }

    /// Puts received (failed ones included).
    pub fn puts(&self) -> usize {
        self.puts.load(Ordering::SeqCst)
    }

    /// The config server answers every call with `status` and `body`.
    pub fn answer_config(&self, status: u16, body: &str) {
        *lock(&self.config_answer) = (status, body.to_string());
    }

    /// The config server's calls so far, `(method, path)`.
    pub fn config_calls(&self) -> Vec<(String, String)> {
        lock(&self.config_calls).clone()
    }

    /// Serves the document API over h2c (HTTP/2 with prior knowledge, as Vespa's port 8080
    /// does) on a free loopback port, until the test's runtime ends; returns the port.
    pub async fn serve_h2c(self: &Arc<Self>) -> u16 {
        use http_body_util::{BodyExt, Full};
        use hyper::service::service_fn;
        use hyper_util::rt::{TokioExecutor, TokioIo};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let fake = Arc::clone(self);
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let fake = Arc::clone(&fake);
                tokio::spawn(async move {
                    let service = service_fn(move |req: http::Request<hyper::body::Incoming>| {
                        let fake = Arc::clone(&fake);
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = body.collect().await?.to_bytes();
                            let request = Request {
                                method: static_method(&parts.method),
                                path: parts
                                    .uri
                                    .path_and_query()
                                    .map(ToString::to_string)
                                    .unwrap_or_default(),
                                body: (!body.is_empty()).then_some(body),
                            };
                            let answer = fake
                                .handle(&request, Some(parts.version), parts.headers)
                                .await;
                            let response = match answer {
                                Ok(r) => http::Response::builder()
                                    .status(r.status)
                                    .body(Full::new(r.body)),
                                // A transport error: the stream is reset.
                                Err(_) => http::Response::builder()
                                    .status(502)
                                    .body(Full::new(Bytes::new())),
                            };
                            Ok::<_, hyper::Error>(response.unwrap())
                        }
                    });
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tcp), service)
                        .await;
                });
            }
        });
        port
    }

    async fn handle(
        &self,
        request: &Request,
        version: Option<http::Version>,
        headers: http::HeaderMap,
    ) -> Result<Response, TransportError> {
        let (path, query) = request.path.split_once('?').unwrap_or((&request.path, ""));
        let body = request.body.as_deref().unwrap_or_default();
        let attempt = {
            let mut attempts = lock(&self.attempts);
            let n = attempts.entry(path.to_string()).or_default();
            *n += 1;
            *n
        };
        lock(&self.seen).push(Seen {
            method: request.method.to_string(),
            target: request.path.clone(),
            path: path.to_string(),
            body: request
                .body
                .as_ref()
                .map(|b| String::from_utf8_lossy(b).to_string()),
            version,
            headers,
        });
        {
            let mut active = lock(&self.active);
            let n = active.entry(path.to_string()).or_default();
            *n += 1;
            if *n > 1 {
                self.overlapped.store(true, Ordering::SeqCst);
            }
        }
        let now = self.inflight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        self.inflight.fetch_sub(1, Ordering::SeqCst);
        if let Some(n) = lock(&self.active).get_mut(path) {
            *n -= 1;
        }

        let scripted = lock(&self.script)
            .get(&(path.to_string(), attempt))
            .copied()
            .or_else(|| lock(&self.always).get(path).copied());
        match scripted {
            Some(Answer::Status(status)) => Ok(json_response(
                status,
                json!({"message": format!("status {status}")}),
            )),
            Some(Answer::Reset) => Err(TransportError::new("connection reset")),
            Some(Answer::Permanent) => Err(TransportError::permanent(
                "TLS handshake with `h:1` failed: received fatal alert: CertificateRequired",
            )),
            None => Ok(match request.method {
                "GET" => self.get(path, query),
                "POST" => self.put(path, body),
                "PUT" | "DELETE" => self.write(request.method, path),
                other => json_response(405, json!({"message": format!("fake: no {other}")})),
            }),
        }
    }

    fn put(&self, path: &str, body: &[u8]) -> Response {
        self.puts.fetch_add(1, Ordering::SeqCst);
        let Some(id) = document_id(path) else {
            return json_response(
                400,
                json!({"message": format!("fake: no document at {path}")}),
            );
        };
        if let Some(status) = lock(&self.fail_puts).get(&id) {
            return json_response(*status, json!({"message": format!("injected {status}")}));
        }
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return json_response(400, json!({"message": "fake: the body is not JSON"}));
        };
        self.seed(&id, body["fields"].clone());
        json_response(200, json!({"id": id}))
    }

    /// Updates are accepted (their fields are not applied); removes remove.
    fn write(&self, method: &str, path: &str) -> Response {
        let Some(id) = document_id(path) else {
            return json_response(
                400,
                json!({"message": format!("fake: no document at {path}")}),
            );
        };
        if method == "DELETE" {
            lock(&self.docs).remove(&id);
        }
        json_response(200, json!({"id": id}))
    }

    /// A document, or a page of a group's visit.
    fn get(&self, path: &str, query: &str) -> Response {
        if let Some(id) = document_id(path) {
            return match lock(&self.docs).get(&id) {
                Some(fields) => json_response(200, json!({"id": id, "fields": fields})),
                None => json_response(404, json!({"id": id})),
            };
        }
        self.visit(path, query)
    }

    fn visit(&self, path: &str, query: &str) -> Response {
        let params: HashMap<String, String> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), decode(v)))
            .collect();
        let parts: Vec<&str> = path
            .trim_start_matches("/document/v1/")
            .split('/')
            .collect();
        let [ns, doc_type, "group", group] = parts.as_slice() else {
            return json_response(
                400,
                json!({"message": format!("fake visits groups only: {path}")}),
            );
        };
        let prefix = format!("id:{ns}:{doc_type}:g={}:", decode(group));
        let number = |key: &str, default: u64| {
            params
                .get(key)
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        let (slices, slice) = (number("slices", 1), number("sliceId", 0));
        let wanted = number("wantedDocumentCount", 1000) as usize;
        let from = number("continuation", 0) as usize;
        let matching: Vec<(String, Value)> = lock(&self.docs)
            .iter()
            .filter(|(id, _)| id.starts_with(&prefix))
            .filter(|(id, _)| id.bytes().map(u64::from).sum::<u64>() % slices == slice)
            .map(|(id, f)| (id.clone(), f.clone()))
            .collect();
        let page: Vec<Value> = matching
            .iter()
            .skip(from)
            .take(wanted)
            .map(|(id, fields)| json!({"id": id, "fields": fields}))
            .collect();
        let next = from + page.len();
        let mut body = json!({"documents": page, "documentCount": page.len()});
        if next < matching.len() {
            body["continuation"] = json!(next.to_string());
        }
        json_response(200, body)
    }
}

#[async_trait::async_trait]
impl Transport for FakeVespa {
    async fn send(&self, request: &Request) -> Result<Response, TransportError> {
        self.handle(request, None, http::HeaderMap::new()).await
    }
}

#[async_trait::async_trait]
impl ConfigServer for FakeVespa {
    async fn call(&self, method: &str, path: &str) -> Result<(u16, String), ReindexError> {
        lock(&self.config_calls).push((method.to_string(), path.to_string()));
        Ok(lock(&self.config_answer).clone())
    }
}

/// A loopback port nothing listens on (bound, then closed).
pub fn refused_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The full document id of a `/document/v1/<ns>/<type>/{docid|group/<g>|number/<n>}/<id>`
/// path, or `None` for a visit path.
fn document_id(path: &str) -> Option<String> {
    let parts: Vec<String> = path
        .trim_start_matches("/document/v1/")
        .split('/')
        .map(decode)
        .collect();
    match parts.as_slice() {
        [ns, doc_type, kind, local] if kind == "docid" => {
            Some(format!("id:{ns}:{doc_type}::{local}"))
        }
        [ns, doc_type, kind, group, local] if kind == "group" => {
            Some(format!("id:{ns}:{doc_type}:g={group}:{local}"))
        }
        [ns, doc_type, kind, n, local] if kind == "number" => {
            Some(format!("id:{ns}:{doc_type}:n={n}:{local}"))
        }
        _ => None,
    }
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().to_string()
}

fn json_response(status: u16, body: Value) -> Response {
    Response {
        status,
        body: Bytes::from(body.to_string()),
    }
}

fn static_method(method: &http::Method) -> &'static str {
    match *method {
        http::Method::GET => "GET",
        http::Method::POST => "POST",
        http::Method::PUT => "PUT",
        http::Method::DELETE => "DELETE",
        _ => "OTHER",
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}
