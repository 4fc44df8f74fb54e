//! Where records come from: the [`Source`] trait and the NDJSON file/stdin source.
//!
//! Sources hand over records in chunks (one chunk per read batch of lines, per HTTP page, per
//! Pub/Sub message) so the engine pays channel and wake-up costs per chunk, not per e-mail.

use std::io::BufRead;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use futures::StreamExt;
use futures::stream::FuturesOrdered;
use serde::{Deserialize, Serialize};

use super::prepared;
use super::prepared::PreparedRecord;
use crate::model::validate::Problem;
use crate::ndjson;
use crate::pubsub::Delivery;

/// Where a record came from: what `--rejects` and checkpoints name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// 1-based line of an NDJSON input.
    Line(u64),
    /// Item `item` (0-based) of the page fetched with `page_token` (empty for the first page).
    Page {
        page: u64,
        page_token: String,
        item: usize,
    },
    /// A Pub/Sub message, by server id.
    Message(String),
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Position::Line(n) => write!(f, "line {n}"),
            Position::Page { page, item, .. } => write!(f, "page {page} item {item}"),
            Position::Message(id) => write!(f, "message {id}"),
        }
    }
}

/// The records of one received Pub/Sub message: acknowledged when every one of them has been
/// published (or skipped), left unacknowledged (redelivered) otherwise.
pub struct AckGroup {
    delivery: Mutex<Option<Delivery>>,
    pending: AtomicUsize,
    /// Set when a record must not be acknowledged (its user was not selected).
    keep: AtomicBool,
}

impl AckGroup {
    /// A group of `records` records for `delivery`.
    pub fn new(delivery: Delivery, records: usize) -> Arc<AckGroup> {
        Arc::new(AckGroup {
            delivery: Mutex::new(Some(delivery)),
            pending: AtomicUsize::new(records),
            keep: AtomicBool::new(false),
        })
    }

    /// Marks the message as one to leave for redelivery.
    pub fn keep(&self) {
        self.keep.store(true, Ordering::SeqCst);
    }

    /// One record is done (published, skipped or rejected); the last one settles the message.
    pub fn release(&self) {
        if self.pending.fetch_sub(1, Ordering::SeqCst) == 1 {
            let delivery = self
                .delivery
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take();
            if let Some(delivery) = delivery {
                if self.keep.load(Ordering::SeqCst) {
                    delivery.nack();
                } else {
                    delivery.ack();
                }
            }
        }
    }
}

impl std::fmt::Debug for AckGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AckGroup")
            .field("pending", &self.pending.load(Ordering::SeqCst))
            .finish_non_exhaustive()
    }
}

/// An input unit that is not a valid record.
#[derive(Debug)]
pub struct Reject {
    pub position: Position,
    pub problems: Vec<Problem>,
    /// The input as read, so it can be fixed and fed again.
    pub raw: String,
    pub ack: Option<Arc<AckGroup>>,
}

/// One thing a source read.
// Records are the common case and rejects the rare one: boxing records to even out the
// variants would cost an allocation per e-mail for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum SourceItem {
    Record {
        record: PreparedRecord,
        position: Position,
        ack: Option<Arc<AckGroup>>,
    },
    Reject(Reject),
}

/// A page of an HTTP export could not be fetched (see [`super::http`]).
#[derive(Debug, thiserror::Error)]
#[error(
    "export endpoint `{url}` failed for user `{user}` (page {page}) after {attempts} attempts: {message}"
)]
pub struct HttpError {
    pub url: String,
    pub user: String,
    pub page: u64,
    pub attempts: u32,
    /// HTTP status, when the server answered.
    pub status: Option<u16>,
    pub message: String,
}

/// A source cannot go on.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read `{input}`")]
    Read {
        input: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    PubSub(#[from] crate::pubsub::PubSubError),
}

/// Reading progress of a source whose size is known up front.
#[derive(Debug, Clone)]
pub struct InputProgress {
    /// Total bytes, when known (a regular file).
    pub total: Option<u64>,
    /// Bytes read so far.
    pub read: Arc<AtomicU64>,
}

/// A stream of records in a deterministic order.
#[async_trait]
pub trait Source: Send {
    /// A human name for messages (`mailbox.ndjson`, `pubsub:…`, the URL).
    fn label(&self) -> String;
    /// Whether reading again yields the same records in the same order (files, HTTP exports),
    /// so a resume can replay from the start and skip acknowledged batches. A subscription is
    /// not: what was acknowledged is gone, and what was not is redelivered.
    fn replayable(&self) -> bool;
    /// Bytes read and total, when the source can tell.
    fn input_progress(&self) -> Option<InputProgress> {
        None
    }
    /// The next chunk; `None` at the end.
    async fn next_chunk(&mut self) -> Result<Option<Vec<SourceItem>>, SourceError>;
    /// Called once the run is over and every record is settled: flush what must be flushed.
    async fn close(&mut self) {}
}

/// Lines per parse job: large enough to amortize the hand-off, small enough to spread work.
const LINES_PER_CHUNK: usize = 512;

/// Lines read but not parsed yet: one buffer, and each line's number and range in it. Lines are
/// bytes here; the JSON parser checks UTF-8 where it matters (inside strings).
#[derive(Default)]
struct Lines {
    text: Vec<u8>,
    lines: Vec<(u64, std::ops::Range<usize>)>,
}

type RawChunk = Result<Lines, std::io::Error>;

/// NDJSON from a file or stdin. One thread reads lines; up to `parallelism` chunks are parsed
/// and validated at once on the blocking pool, and handed over in input order.
pub struct NdjsonSource {
    label: String,
    raw: tokio::sync::mpsc::Receiver<RawChunk>,
    parsing: FuturesOrdered<tokio::task::JoinHandle<Vec<SourceItem>>>,
    parallelism: usize,
    done_reading: bool,
    progress: InputProgress,
}

impl NdjsonSource {
    /// Starts reading `reader` on its own thread. `total` is the input size when known.
    pub fn new(
        label: impl Into<String>,
        reader: Box<dyn BufRead + Send>,
        total: Option<u64>,
    ) -> NdjsonSource {
        let parallelism = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(1, 8);
        let read = Arc::new(AtomicU64::new(0));
        let (tx, rx) = tokio::sync::mpsc::channel(parallelism * 2);
        let counter = read.clone();
        std::thread::spawn(move || read_lines(reader, tx, counter));
        NdjsonSource {
            label: label.into(),
            raw: rx,
            parsing: FuturesOrdered::new(),
            parallelism,
            done_reading: false,
            progress: InputProgress { total, read },
        }
    }
}

fn read_lines(
    reader: Box<dyn BufRead + Send>,
    tx: tokio::sync::mpsc::Sender<RawChunk>,
    read: Arc<AtomicU64>,
) {
    let mut lines = ndjson::LineReader::new(reader);
    let mut chunk = Lines::default();
    loop {
        let start = chunk.text.len();
        match lines.read_into(&mut chunk.text) {
            Ok(None) => break,
            Ok(Some(at)) => {
                read.fetch_add(at.len as u64, Ordering::Relaxed);
                if ndjson::trim(&chunk.text[start..]).is_empty() {
                    chunk.text.truncate(start);
                    continue;
                }
                chunk.lines.push((at.number, start..start + at.len));
                if chunk.lines.len() == LINES_PER_CHUNK
                    && tx.blocking_send(Ok(std::mem::take(&mut chunk))).is_err()
                {
                    return;
                }
            }
            Err(err) => {
                let _ = tx.blocking_send(Err(err));
                return;
            }
        }
    }
    if !chunk.lines.is_empty() {
        let _ = tx.blocking_send(Ok(chunk));
    }
}

fn parse_chunk(chunk: Lines) -> Vec<SourceItem> {
    let mut items = Vec::with_capacity(chunk.lines.len());
    for (line, range) in chunk.lines {
        let raw = &chunk.text[range];
        let text = ndjson::trim(raw);
        let position = Position::Line(line);
        match prepared::parse_prepared(text) {
            Ok(records) => items.extend(records.into_iter().map(|record| SourceItem::Record {
                record,
                position: position.clone(),
                ack: None,
            })),
            Err(problems) => items.push(SourceItem::Reject(Reject {
                position,
                // A line that is not UTF-8 never parses; say why in its own terms (checked
                // only here, so valid lines are checked once, by the parser).
                problems: match ndjson::utf8(raw) {
                    Ok(_) => problems,
                    Err(not_utf8) => vec![Problem {
                        path: "$".into(),
                        message: not_utf8.to_string(),
                    }],
                },
                raw: String::from_utf8_lossy(text).into_owned(),
                ack: None,
            })),
        }
    }
    items
}

#[async_trait]
impl Source for NdjsonSource {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn replayable(&self) -> bool {
        true
    }

    fn input_progress(&self) -> Option<InputProgress> {
        Some(self.progress.clone())
    }

    async fn next_chunk(&mut self) -> Result<Option<Vec<SourceItem>>, SourceError> {
        while !self.done_reading && self.parsing.len() < self.parallelism {
            // Wait for input only when nothing is being parsed; otherwise take what is ready.
            let next = if self.parsing.is_empty() {
                self.raw.recv().await
            } else {
                match self.raw.try_recv() {
                    Ok(chunk) => Some(chunk),
                    Err(tokio::sync::mpsc::error::TryRecvError::Empty) => break,
                    Err(tokio::sync::mpsc::error::TryRecvError::Disconnected) => None,
                }
            };
            match next {
                Some(Ok(lines)) => self
                    .parsing
                    .push_back(tokio::task::spawn_blocking(move || parse_chunk(lines))),
                Some(Err(source)) => {
                    return Err(SourceError::Read {
                        input: self.label.clone(),
                        source,
                    });
                }
                None => self.done_reading = true,
            }
        }
        match self.parsing.next().await {
            Some(Ok(items)) => Ok(Some(items)),
            Some(Err(join)) => Err(SourceError::Read {
                input: self.label.clone(),
                source: std::io::Error::other(format!("parser task failed: {join}")),
            }),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_line_that_is_not_utf8_is_rejected_with_the_byte_and_reading_goes_on() {
        let record = |id: &str, subject: &[u8]| {
            let mut line =
                b"{\"user_id\":\"u\",\"provider\":\"google\",\"provider_message_id\":\"".to_vec();
            line.extend(id.as_bytes());
            line.extend(b"\",\"thread_id\":\"t\",\"subject\":\"");
            line.extend(subject);
            line.extend(b"\",\"from\":{\"email\":\"a@example.com\"},\"to\":[{\"email\":\"b@example.com\"}],\"body\":{\"mime_type\":\"text/plain\",\"content\":\"x\"},\"received_at\":\"2024-01-01T00:00:00Z\"}\n");
            line
        };
        let mut input = record("m1", b"ok");
        let bad = record("m2", b"caf\xe9");
        let at = bad.iter().position(|&b| b == 0xe9).unwrap() + 1;
        input.extend(&bad);
        input.extend(record("m3", "caf\u{e9}".as_bytes()));
        let mut source = NdjsonSource::new("t", Box::new(std::io::Cursor::new(input)), None);
        let mut records = Vec::new();
        let mut rejects = Vec::new();
        while let Some(chunk) = source.next_chunk().await.unwrap() {
            for item in chunk {
                match item {
                    SourceItem::Record { position, .. } => records.push(position),
                    SourceItem::Reject(r) => rejects.push((r.position, r.problems)),
                }
            }
        }
        assert_eq!(records, [Position::Line(1), Position::Line(3)]);
        assert_eq!(
            rejects,
            [(
                Position::Line(2),
                vec![Problem {
                    path: "$".into(),
                    message: format!("not valid UTF-8 at byte {at}"),
                }]
            )]
        );
    }

    #[tokio::test]
    async fn ndjson_keeps_order_and_line_numbers_across_chunks() {
        let mut input = String::new();
        for i in 0..1500 {
            if i == 700 {
                input.push_str("{broken\n\n");
            }
            input.push_str(&format!(
                "{{\"user_id\":\"u\",\"provider\":\"google\",\"provider_message_id\":\"m{i}\",\"thread_id\":\"t\",\"subject\":\"\",\"from\":{{\"email\":\"a@example.com\"}},\"to\":[{{\"email\":\"b@example.com\"}}],\"body\":{{\"mime_type\":\"text/plain\",\"content\":\"x\"}},\"received_at\":\"2024-01-01T00:00:00Z\"}}\n"
            ));
        }
        let total = input.len() as u64;
        let mut source = NdjsonSource::new("t", Box::new(std::io::Cursor::new(input)), Some(total));
        let mut ids = Vec::new();
        let mut rejects = Vec::new();
        while let Some(chunk) = source.next_chunk().await.unwrap() {
            for item in chunk {
                match item {
                    SourceItem::Record {
                        record, position, ..
                    } => ids.push((record.email.decode().unwrap().provider_message_id, position)),
                    SourceItem::Reject(r) => rejects.push(r.position),
                }
            }
        }
        assert_eq!(ids.len(), 1500);
        assert!(
            ids.iter()
                .enumerate()
                .all(|(i, (id, _))| *id == format!("m{i}"))
        );
        assert_eq!(ids[700].1, Position::Line(703));
        assert_eq!(rejects, vec![Position::Line(701)]);
        let progress = source.input_progress().unwrap();
        assert_eq!(progress.read.load(Ordering::Relaxed), total);
    }
}
