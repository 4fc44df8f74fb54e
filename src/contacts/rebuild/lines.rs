//! NDJSON lines decoded on every core for `contacts rebuild`: one thread reads chunks of lines
//! (about 1 MiB), blocking tasks validate them as the consumers do, and the chunks come back in
//! input order, so the fold sees the events as the file has them.

use std::collections::VecDeque;
use std::io::BufRead;

use futures::StreamExt;
use futures::stream::FuturesOrdered;
use tokio::task::JoinHandle;

use super::item::Item;
use crate::model::idempotency;
use crate::model::validate::validate_bytes;

/// Numbered lines, or why reading stopped.
type Chunk = Result<Vec<(u64, Vec<u8>)>, String>;

/// NDJSON lines decoded on every core: a thread reads chunks of lines, blocking tasks decode
/// them, and the chunks come back in input order.
pub struct ParallelLines {
    chunks: tokio::sync::mpsc::Receiver<Chunk>,
    decoding: FuturesOrdered<JoinHandle<Vec<Item>>>,
    ready: VecDeque<Item>,
    workers: usize,
    read_error: Option<String>,
    ended: bool,
}

/// A chunk of lines read at once: about this many bytes.
const CHUNK_BYTES: usize = 1 << 20;

impl ParallelLines {
    pub fn start(mut reader: Box<dyn BufRead + Send>, skip: u64) -> ParallelLines {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
        let (tx, rx) = tokio::sync::mpsc::channel(workers * 2);
        std::thread::spawn(move || {
            let mut number = 0u64;
            loop {
                let mut chunk = Vec::new();
                let mut bytes = 0;
                while bytes < CHUNK_BYTES {
                    let mut line = Vec::new();
                    match reader.read_until(b'\n', &mut line) {
                        Ok(0) => break,
                        Ok(n) => {
                            number += 1;
                            bytes += n;
                            if number > skip {
                                chunk.push((number, line));
                            }
                        }
                        Err(e) => {
                            let _ = tx.blocking_send(Err(format!("line {}: {e}", number + 1)));
                            return;
                        }
                    }
                }
                let last = bytes == 0;
                if !chunk.is_empty() && tx.blocking_send(Ok(chunk)).is_err() {
                    return;
                }
                if last {
                    return;
                }
            }
        });
        ParallelLines {
            chunks: rx,
            decoding: FuturesOrdered::new(),
            ready: VecDeque::new(),
            workers,
            read_error: None,
            ended: false,
        }
    }

    pub async fn next(&mut self) -> Result<Option<Item>, String> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Ok(Some(item));
            }
            while !self.ended && self.decoding.len() < self.workers {
                match self.chunks.recv().await {
                    Some(Ok(chunk)) => self
                        .decoding
                        .push_back(tokio::task::spawn_blocking(move || decode_lines(chunk))),
                    Some(Err(e)) => {
                        self.read_error = Some(e);
                        self.ended = true;
                    }
                    None => self.ended = true,
                }
            }
            match self.decoding.next().await {
                Some(decoded) => {
                    self.ready = decoded
                        .map_err(|e| format!("decoding a chunk of lines failed: {e}"))?
                        .into();
                }
                None => return self.read_error.take().map_or(Ok(None), Err),
            }
        }
    }
}

fn decode_lines(chunk: Vec<(u64, Vec<u8>)>) -> Vec<Item> {
    chunk
        .into_iter()
        .filter_map(|(number, line)| {
            let line = crate::ndjson::trim(&line);
            if line.is_empty() {
                return None;
            }
            let decoded = validate_bytes(line).map(|v| {
                let key = idempotency::message_key(&v.event).1;
                (v.event, key)
            });
            Some(Item {
                position: format!("line {number}"),
                line: number,
                decoded,
                delivery: None,
            })
        })
        .collect()
}
