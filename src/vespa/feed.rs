//! The feed engine: one HTTP request per operation, a bounded and adaptive number in flight,
//! operations on the same document strictly in order, and retries by status.
//!
//! Retry rules follow the official clients (vespa-feed-clients.md §2–3, vespa-api.md §2):
//! - 2xx, 404 and 412 finish an operation (404/412 are counted apart, not as failures);
//! - 429 is retried without limit and cuts the throttle; after the first retry of an
//!   operation we wait a little (5 ms doubling, at most 1 s) so a persistent overload is not a
//!   retry storm (vespa#31798);
//! - 503 and transport errors are retried up to `max_attempts` with exponential backoff;
//! - everything else (400, 405, 413, 500, 502, 504, 507) fails at once and is reported.
//!
//! Ordering: an operation whose document id has one in flight (including its retries) waits in
//! that id's queue and is sent when the previous one finishes, as the official clients do.

use super::rate::TokenBucket;
use super::throttle::Throttle;
use crate::model::vespa::docid::{self, IdParts};
use crate::run::CancellationToken;
use bytes::Bytes;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

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

/// Sends one request; the real one is [`super::http::HttpTransport`].
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

/// How to feed.
#[derive(Debug, Clone)]
pub struct FeedConfig {
    pub min_inflight: usize,
    pub max_inflight: usize,
    /// Attempts for 503 and transport errors, the first included.
    pub max_attempts: u32,
    /// First backoff after a 503 or transport error; doubles per attempt.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// Pause before the second and later retries of an overloaded (429) operation; doubles.
    pub overload_backoff: Duration,
    pub max_overload_backoff: Duration,
    pub route: Option<String>,
    /// Server-side timeout per operation (`?timeout=`).
    pub timeout: Option<Duration>,
    /// Give up when nothing has succeeded for this long (a circuit breaker, like `vespa feed
    /// --deadline`): stop reading, stop retrying, report what was not sent.
    pub deadline: Duration,
}

impl FeedConfig {
    /// Defaults for `connections` connections: 2 × connections to 256 × that in flight, as the
    /// official clients bound it (512 streams per connection on the server).
    pub fn for_connections(connections: usize) -> Self {
        let min = 2 * connections.max(1);
        Self {
            min_inflight: min,
            max_inflight: 256 * min,
            max_attempts: 10,
            backoff: Duration::from_millis(50),
            max_backoff: Duration::from_secs(2),
            overload_backoff: Duration::from_millis(5),
            max_overload_backoff: Duration::from_secs(1),
            route: None,
            timeout: None,
            deadline: Duration::from_secs(60),
        }
    }
}

/// An item of the input stream: an operation, or what is wrong with the input.
pub type InputItem = Result<Operation, InputError>;

/// What is wrong with the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// A part of the input (a line) is not an operation: it is reported, and the feed goes on.
    Invalid(InvalidInput),
    /// The input cannot be read further: the feed sends what it read, then stops.
    Fatal(String),
}

/// Invalid input lines listed in a [`FeedOutcome`]; the rest are only counted, so a file of
/// garbage does not fill memory with messages.
pub const MAX_INVALID_LISTED: usize = 1000;

/// Input that is not an operation, by line; never sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidInput {
    /// 1-based line of the input where the problem is.
    pub line: u64,
    pub message: String,
}

/// An operation that did not succeed.
#[derive(Debug, Clone, Serialize)]
pub struct OpFailure {
    pub id: String,
    pub operation: OpKind,
    /// The last HTTP status, none for transport or id errors.
    pub status: Option<u16>,
    pub message: String,
    pub attempts: u32,
    #[serde(skip)]
    pub op: Operation,
}

/// Counters the caller may poll while feeding (for progress).
#[derive(Debug, Default)]
pub struct Progress {
    pub read: AtomicU64,
    pub done: AtomicU64,
    pub inflight: AtomicU64,
    pub target: AtomicU64,
}

/// What a feed did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FeedOutcome {
    /// Operations read, not counting retries.
    pub operations: u64,
    /// Operations answered 2xx.
    pub ok: u64,
    /// Operations answered 404 (e.g. a get of a missing document).
    pub not_found: u64,
    /// Operations answered 412 (condition not met).
    pub condition_not_met: u64,
    /// Operations that failed (reported, not retried further).
    pub failed: u64,
    /// Requests that were retries.
    pub retries: u64,
    pub requests: u64,
    pub transport_errors: u64,
    /// Responses by status code, retries included.
    pub responses: BTreeMap<u16, u64>,
    /// Failed operations by their last status (`transport`/`invalid` when there was none).
    pub failed_by_status: BTreeMap<String, u64>,
    /// Operations read but not sent because the feed was cancelled.
    pub not_sent: u64,
    pub seconds: f64,
    /// Finished operations per second.
    pub ops_per_second: f64,
    pub peak_inflight: usize,
    pub failures: Vec<OpFailure>,
    /// Input lines that are not operations (not counted in `operations`, never sent).
    pub invalid_lines: u64,
    /// The first [`MAX_INVALID_LISTED`] of them, with their problem.
    pub invalid_input: Vec<InvalidInput>,
    /// Why reading the input stopped early, if it did.
    pub input_error: Option<String>,
    pub cancelled: bool,
    /// Set when the feed gave up: nothing succeeded within the deadline.
    pub gave_up: Option<String>,
}

impl FeedOutcome {
    /// Finished operations per second.
    pub fn ops_per_second(&self) -> f64 {
        let done = self.ok + self.not_found + self.condition_not_met + self.failed;
        if self.seconds > 0.0 {
            done as f64 / self.seconds
        } else {
            0.0
        }
    }

    fn fail(&mut self, op: Operation, status: Option<u16>, message: String, attempts: u32) {
        self.failed += 1;
        let key = match status {
            Some(s) => s.to_string(),
            None if attempts == 0 => "invalid".into(),
            None => "transport".into(),
        };
        *self.failed_by_status.entry(key).or_default() += 1;
        self.failures.push(OpFailure {
            id: op.id.clone(),
            operation: op.kind,
            status,
            message,
            attempts,
            op,
        });
    }
}

struct Slot {
    op: Operation,
    request: Arc<Request>,
    /// Requests sent so far for this operation.
    attempts: u32,
    /// 429s seen so far (they do not count toward `max_attempts`).
    overloads: u32,
    /// Why the last attempt did not succeed (for a retry that is then not sent).
    last_error: Option<(Option<u16>, String)>,
}

type Done = (Slot, Result<Response, TransportError>);
type Pending = std::pin::Pin<Box<dyn std::future::Future<Output = Done> + Send>>;
/// A retry waiting out its backoff.
type Waiting = std::pin::Pin<Box<dyn std::future::Future<Output = Slot> + Send>>;

/// Feeds every operation from `input` through `transport` and reports what happened.
///
/// Stops reading new operations when `cancel` fires or the input reports an error, and
/// always waits for what is in flight, so nothing is left half-sent.
pub async fn feed<T: Transport>(
    transport: Arc<T>,
    input: mpsc::Receiver<InputItem>,
    config: &FeedConfig,
    progress: &Progress,
    cancel: &CancellationToken,
) -> FeedOutcome {
    feed_with(
        transport,
        input,
        config,
        progress,
        cancel,
        FeedHooks::default(),
    )
    .await
}

/// Called when an operation is finished: `true` if it succeeded (2xx, 404, 412).
pub type OnDone = Box<dyn FnMut(&Operation, bool) + Send>;

/// Extras for [`feed_with`]: a rate limit, and a report of each operation as it finishes.
#[derive(Default)]
pub struct FeedHooks {
    /// Send new operations at most at this rate (`--rate`); retries take no token.
    pub rate: Option<TokenBucket>,
    /// Called once per operation read from the input when it is finished. Operations on one
    /// document id finish in input order (they are sent one after another), so a caller can
    /// match them to what it sent. Operations never sent (cancelled, gave up) are not reported.
    pub on_done: Option<OnDone>,
}

/// 503s or transport errors in a row after which new operations wait (see `feed_with`): at 5%
/// random 503s, ten in a row happens about once in 10¹³ responses.
const FAILING_AFTER: usize = 10;

/// [`feed`], with a rate limit and a report of each finished operation (for checkpoints).
pub async fn feed_with<T: Transport>(
    transport: Arc<T>,
    mut input: mpsc::Receiver<InputItem>,
    config: &FeedConfig,
    progress: &Progress,
    cancel: &CancellationToken,
    mut hooks: FeedHooks,
) -> FeedOutcome {
    let mut on_done = |op: &Operation, ok: bool| {
        if let Some(f) = hooks.on_done.as_mut() {
            f(op, ok);
        }
    };
    let started = Instant::now();
    let mut out = FeedOutcome::default();
    let mut throttle = Throttle::new(
        config.min_inflight,
        config.max_inflight,
        config.min_inflight,
    );
    let mut inflight: FuturesUnordered<Pending> = FuturesUnordered::new();
    // Ids with an operation in flight, and what waits behind it.
    let mut busy: HashMap<String, VecDeque<Operation>> = HashMap::new();
    // Operations free to go (their id was just released).
    let mut ready: VecDeque<Operation> = VecDeque::new();
    // Retries waiting out their backoff. They are not on the wire, so they do not hold a place
    // in flight (else a few 503s would stall the feed at a low target).
    let mut backing_off: FuturesUnordered<Waiting> = FuturesUnordered::new();
    // Retries due now; they go before new operations.
    let mut retry_ready: VecDeque<Slot> = VecDeque::new();
    let mut input_open = true;
    let mut last_success = Instant::now();
    // 503s and transport errors in a row, since the last success. From `FAILING_AFTER` on, the
    // server is taken to be failing everything: new operations are held back (one at a time
    // goes as a probe when nothing is outstanding), so an outage delays the feed instead of
    // failing every operation read while it lasts.
    let mut failing_streak = 0usize;

    let send = |slot: Slot, inflight: &mut FuturesUnordered<Pending>| {
        let transport = transport.clone();
        inflight.push(Box::pin(async move {
            let result = transport.send(&slot.request).await;
            (slot, result)
        }));
    };
    let retry = |slot: Slot,
                 delay: Duration,
                 retry_ready: &mut VecDeque<Slot>,
                 backing_off: &mut FuturesUnordered<Waiting>| {
        if delay.is_zero() {
            retry_ready.push_back(slot);
        } else {
            backing_off.push(Box::pin(async move {
                tokio::time::sleep(delay).await;
                slot
            }));
        }
    };

    loop {
        if out.gave_up.is_none() && last_success.elapsed() > config.deadline {
            out.gave_up = Some(format!(
                "no operation succeeded for {} s; giving up",
                config.deadline.as_secs()
            ));
        }
        let stopping = cancel.is_cancelled() || out.gave_up.is_some();
        // With `--rate`: how long until the next operation may go.
        let mut rate_wait: Option<Duration> = None;
        let failing = failing_streak >= FAILING_AFTER;
        // Fill up to the target: retries first, then new operations.
        while inflight.len() < throttle.target() {
            if let Some(mut slot) = retry_ready.pop_front() {
                if let Some(reason) = &out.gave_up {
                    // Given up: a due retry is not sent again.
                    let (status, last) = slot.last_error.take().unwrap_or_default();
                    let message = format!("{reason}; not retried after: {last}");
                    progress.done.fetch_add(1, Ordering::Relaxed);
                    on_done(&slot.op, false);
                    release(&slot.op.id, &mut busy, &mut ready);
                    out.fail(slot.op, status, message, slot.attempts - 1);
                } else {
                    send(slot, &mut inflight);
                }
                continue;
            }
            // New operations: none once stopping; at most twice `max_inflight` on the wire and
            // waiting to be retried together (a bound on memory); only a probe while the server
            // fails everything.
            let outstanding = inflight.len() + backing_off.len();
            if stopping || outstanding >= 2 * config.max_inflight || (failing && outstanding > 0) {
                break;
            }
            if let Some(bucket) = hooks.rate.as_mut() {
                let wait = bucket.wait(Instant::now());
                if !wait.is_zero() {
                    rate_wait = Some(wait);
                    break;
                }
            }
            let op = if let Some(op) = ready.pop_front() {
                op
            } else if input_open {
                match input.try_recv() {
                    Ok(item) => {
                        match accept(item, &mut out, &mut busy, &mut input_open, progress) {
                            Some(op) => op,
                            None => continue,
                        }
                    }
                    Err(mpsc::error::TryRecvError::Empty) => break,
                    Err(mpsc::error::TryRecvError::Disconnected) => {
                        input_open = false;
                        break;
                    }
                }
            } else {
                break;
            };
            if let Some(bucket) = hooks.rate.as_mut() {
                let _ = bucket.try_take(Instant::now());
            }
            match op.request(config) {
                Ok(request) => {
                    out.requests += 1;
                    let slot = Slot {
                        op,
                        request: Arc::new(request),
                        attempts: 1,
                        overloads: 0,
                        last_error: None,
                    };
                    send(slot, &mut inflight);
                }
                Err(message) => {
                    on_done(&op, false);
                    release(&op.id, &mut busy, &mut ready);
                    out.fail(op, None, message, 0);
                    progress.done.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        out.peak_inflight = out.peak_inflight.max(inflight.len());
        progress
            .inflight
            .store(inflight.len() as u64, Ordering::Relaxed);
        progress
            .target
            .store(throttle.target() as u64, Ordering::Relaxed);

        let can_read = input_open && !stopping && ready.is_empty();
        if inflight.is_empty() {
            // Nothing on the wire. Unless retries are backing off or the server was failing,
            // the deadline measures the server, not a slow input (a subscription going quiet,
            // visit pages without documents) or the rate limit.
            let outstanding = !backing_off.is_empty() || !retry_ready.is_empty();
            let quiet = !outstanding && failing_streak == 0;
            // Operations the fill held back: for the rate (wait, in steps so Ctrl-C is seen),
            // or while retries are backing off from a failing server (wait for those below).
            let held_back = !stopping && !ready.is_empty();
            if held_back && (rate_wait.is_some() || !outstanding) {
                if let Some(wait) = rate_wait {
                    tokio::time::sleep(wait.min(Duration::from_millis(100))).await;
                }
                if quiet {
                    last_success = Instant::now();
                }
                continue;
            }
            if !can_read && !outstanding {
                break;
            }
            // Wait for a retry to come due, for input, or (every 100 ms) for cancellation.
            tokio::select! {
                slot = backing_off.next(), if outstanding => {
                    retry_ready.extend(slot);
                }
                item = input.recv(), if can_read => match item {
                    Some(item) => {
                        if let Some(op) = accept(item, &mut out, &mut busy, &mut input_open, progress) {
                            ready.push_back(op);
                        }
                    }
                    None => input_open = false,
                },
                () = tokio::time::sleep(Duration::from_millis(100)) => {}
            }
            if quiet {
                last_success = Instant::now();
            }
            continue;
        }

        let room = inflight.len() < throttle.target();
        let token = async {
            match rate_wait {
                Some(wait) => tokio::time::sleep(wait.min(Duration::from_millis(100))).await,
                None => futures::future::pending::<()>().await,
            }
        };
        let done = tokio::select! {
            done = inflight.next() => done,
            slot = backing_off.next(), if !backing_off.is_empty() => {
                retry_ready.extend(slot);
                continue;
            }
            () = token, if rate_wait.is_some() => continue,
            item = input.recv(), if can_read && room => {
                match item {
                    Some(item) => {
                        if let Some(op) = accept(item, &mut out, &mut busy, &mut input_open, progress) {
                            ready.push_back(op);
                        }
                    }
                    None => input_open = false,
                }
                continue;
            }
        };
        let Some((mut slot, result)) = done else {
            continue;
        };
        let (class, status, message) = match &result {
            Ok(response) => {
                *out.responses.entry(response.status).or_default() += 1;
                let class = classify(response.status);
                // Only a failure or a retry is described: a success's body is not parsed.
                let message = if class == Class::Done {
                    String::new()
                } else {
                    message_of(&response.body)
                };
                (class, Some(response.status), message)
            }
            Err(err) if err.permanent => {
                out.transport_errors += 1;
                // Every other operation would fail the same way: stop reading, as the deadline
                // does, and report this as the reason.
                if out.gave_up.is_none() {
                    out.gave_up = Some(err.message.clone());
                }
                (Class::Fatal, None, err.message.clone())
            }
            Err(err) => {
                out.transport_errors += 1;
                (Class::Transient, None, err.message.clone())
            }
        };
        if class == Class::Transient {
            failing_streak += 1;
        }
        match class {
            Class::Done => {
                last_success = Instant::now();
                failing_streak = 0;
                throttle.success();
                match status {
                    Some(404) => out.not_found += 1,
                    Some(412) => out.condition_not_met += 1,
                    _ => out.ok += 1,
                }
                progress.done.fetch_add(1, Ordering::Relaxed);
                on_done(&slot.op, true);
                release(&slot.op.id, &mut busy, &mut ready);
            }
            Class::Overloaded if out.gave_up.is_none() => {
                throttle.overloaded(inflight.len() + 1);
                slot.overloads += 1;
                slot.attempts += 1;
                out.retries += 1;
                out.requests += 1;
                let delay = if slot.overloads <= 1 {
                    Duration::ZERO
                } else {
                    backoff(
                        config.overload_backoff,
                        config.max_overload_backoff,
                        slot.overloads - 1,
                    )
                };
                slot.last_error = Some((status, message));
                retry(slot, delay, &mut retry_ready, &mut backing_off);
            }
            Class::Transient
                if slot.attempts - slot.overloads < config.max_attempts
                    && out.gave_up.is_none() =>
            {
                let delay = backoff(
                    config.backoff,
                    config.max_backoff,
                    slot.attempts - slot.overloads,
                );
                slot.attempts += 1;
                out.retries += 1;
                out.requests += 1;
                slot.last_error = Some((status, message));
                retry(slot, delay, &mut retry_ready, &mut backing_off);
            }
            Class::Overloaded | Class::Transient | Class::Fatal => {
                let message =
                    if let Some(reason) = out.gave_up.as_ref().filter(|_| class != Class::Fatal) {
                        format!("{reason}: {message}")
                    } else if class == Class::Transient {
                        format!(
                            "giving up after {} attempts: {message}",
                            slot.attempts - slot.overloads
                        )
                    } else {
                        message
                    };
                progress.done.fetch_add(1, Ordering::Relaxed);
                on_done(&slot.op, false);
                release(&slot.op.id, &mut busy, &mut ready);
                out.fail(slot.op, status, message, slot.attempts);
            }
        }
    }

    // Operations that were queued behind a busy id or still in the channel are not sent.
    out.not_sent = busy.values().map(|q| q.len() as u64).sum::<u64>() + ready.len() as u64;
    out.cancelled = cancel.is_cancelled();
    out.seconds = started.elapsed().as_secs_f64();
    out.ops_per_second = out.ops_per_second();
    progress.inflight.store(0, Ordering::Relaxed);
    out
}

/// Takes an input item: counts it, and returns the operation if its id is free to go now.
fn accept(
    item: InputItem,
    out: &mut FeedOutcome,
    busy: &mut HashMap<String, VecDeque<Operation>>,
    input_open: &mut bool,
    progress: &Progress,
) -> Option<Operation> {
    match item {
        Ok(op) => {
            out.operations += 1;
            progress.read.fetch_add(1, Ordering::Relaxed);
            if let Some(queue) = busy.get_mut(&op.id) {
                queue.push_back(op);
                None
            } else {
                busy.insert(op.id.clone(), VecDeque::new());
                Some(op)
            }
        }
        Err(InputError::Invalid(invalid)) => {
            out.invalid_lines += 1;
            if out.invalid_input.len() < MAX_INVALID_LISTED {
                out.invalid_input.push(invalid);
            }
            None
        }
        Err(InputError::Fatal(message)) => {
            out.input_error = Some(message);
            *input_open = false;
            None
        }
    }
}

/// The operation on `id` finished: the next one for that id, if any, becomes ready.
fn release(
    id: &str,
    busy: &mut HashMap<String, VecDeque<Operation>>,
    ready: &mut VecDeque<Operation>,
) {
    let next = busy.get_mut(id).and_then(|queue| queue.pop_front());
    match next {
        Some(op) => ready.push_back(op),
        None => {
            busy.remove(id);
        }
    }
}

/// `base × 2^(n−1)`, at most `max`, with ±25% jitter from the clock so retries spread out.
fn backoff(base: Duration, max: Duration, n: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << n.saturating_sub(1).min(16));
    let capped = exp.min(max);
    // A tiny xorshift over a shared counter: jitter needs spread, not quality.
    static STATE: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    let jitter = 0.75 + (x % 1000) as f64 / 2000.0;
    capped.mul_f64(jitter)
}

/// The `message` of a Vespa error body, or the body itself (shortened).
fn message_of(body: &[u8]) -> String {
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

#[cfg(test)]
mod tests;

impl crate::report::Report for FeedOutcome {
    fn tables(&self) -> Vec<crate::report::Table> {
        use crate::report::Table;
        let mut summary = Table::new(["metric", "value"]).titled("feed");
        let mut add = |k: &str, v: String| summary.push([k.to_string(), v]);
        add("operations", self.operations.to_string());
        if self.invalid_lines > 0 {
            add("invalid input lines", self.invalid_lines.to_string());
        }
        add("ok", self.ok.to_string());
        add("not found (404)", self.not_found.to_string());
        add(
            "condition not met (412)",
            self.condition_not_met.to_string(),
        );
        add("failed", self.failed.to_string());
        add("retries", self.retries.to_string());
        add("requests", self.requests.to_string());
        add("transport errors", self.transport_errors.to_string());
        if self.not_sent > 0 {
            add("not sent", self.not_sent.to_string());
        }
        add("seconds", format!("{:.3}", self.seconds));
        add("ops/s", format!("{:.1}", self.ops_per_second));
        add("peak in flight", self.peak_inflight.to_string());
        let mut tables = vec![summary];
        let mut responses = Table::new(["status", "responses"]).titled("responses");
        for (status, n) in &self.responses {
            responses.push([status.to_string(), n.to_string()]);
        }
        tables.push(responses);
        if !self.failures.is_empty() {
            let mut failed = Table::new(["id", "operation", "status", "message"]).titled("failed");
            for f in &self.failures {
                failed.push([
                    f.id.clone(),
                    f.operation.as_str().to_string(),
                    f.status.map_or("-".to_string(), |s| s.to_string()),
                    f.message.clone(),
                ]);
            }
            tables.push(failed);
        }
        if !self.invalid_input.is_empty() {
            let mut invalid =
                Table::new(["line", "problem"]).titled("invalid input lines (not sent)");
            for i in &self.invalid_input {
                invalid.push([i.line.to_string(), i.message.clone()]);
            }
            tables.push(invalid);
        }
        tables
    }
}
