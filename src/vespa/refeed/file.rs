//! Events from a file (NDJSON, one event per line), resumable by byte offset, or from stdin.
//!
//! Every line is a unit, blank ones included, so the committed offset moves over them too. A
//! resume seeks to the checkpointed offset and counts lines from the checkpointed number: the
//! lines before are not read again. A file that changed since the checkpoint (size or
//! modification time) is not resumed. An invalid event is listed and not fed, but does not
//! hold the checkpoint back: the file cannot change, so reading it again would not help.

use std::io::{BufRead, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::convert::{Converted, EventConverter};
use super::{Commit, Counters, Source, SourceError, Unit, bump};
use crate::ndjson;
use crate::run::CancellationToken;
use crate::vespa::checkpoint::FilePosition;

/// Where a file stands now: its size and modification time, offset and line 0.
pub fn position_of(path: &Path) -> std::io::Result<FilePosition> {
    let meta = std::fs::metadata(path)?;
    Ok(FilePosition {
        offset: 0,
        line: 0,
        size: meta.len(),
        modified: meta.modified().ok().map(DateTime::<Utc>::from),
    })
}

/// Whether a checkpointed position can be resumed on the file as it is now (`current`).
pub fn check_unchanged(saved: &FilePosition, current: &FilePosition) -> Result<(), String> {
    if saved.size != current.size || saved.modified != current.modified {
        return Err(format!(
            "it changed since the checkpoint (size {} → {} bytes, modified {} → {})",
            saved.size,
            current.size,
            saved.modified.map_or("?".to_string(), |t| t.to_rfc3339()),
            current.modified.map_or("?".to_string(), |t| t.to_rfc3339()),
        ));
    }
    if saved.offset > current.size {
        return Err(format!(
            "the checkpoint's offset {} is past its end ({} bytes)",
            saved.offset, current.size
        ));
    }
    Ok(())
}

/// One line as read.
struct Line {
    /// 1-based.
    number: u64,
    /// Offset after the line.
    end: u64,
    text: Vec<u8>,
}

/// Events from a file or stdin.
pub struct FileSource {
    /// `None` for stdin.
    path: Option<PathBuf>,
    label: String,
    start: FilePosition,
    converter: EventConverter,
    counters: Arc<Counters>,
}

impl FileSource {
    /// Reads `path` from `start` (offset and line; zero for a fresh run).
    pub fn file(
        path: PathBuf,
        label: String,
        start: FilePosition,
        converter: EventConverter,
        counters: Arc<Counters>,
    ) -> Self {
        FileSource {
            path: Some(path),
            label,
            start,
            converter,
            counters,
        }
    }

    /// Reads stdin from the start.
    pub fn stdin(converter: EventConverter, counters: Arc<Counters>) -> Self {
        FileSource {
            path: None,
            label: "<stdin>".into(),
            start: FilePosition {
                offset: 0,
                line: 0,
                size: 0,
                modified: None,
            },
            converter,
            counters,
        }
    }
}

/// Reads lines on a thread of its own (file and stdin reads block).
fn spawn_reader(
    path: Option<PathBuf>,
    label: String,
    start: FilePosition,
) -> mpsc::Receiver<Result<Line, SourceError>> {
    let (tx, rx) = mpsc::channel(1024);
    std::thread::spawn(move || {
        let reader: Box<dyn BufRead> = match &path {
            None => Box::new(std::io::stdin().lock()),
            Some(path) => {
                let opened = std::fs::File::open(path).and_then(|mut file| {
                    file.seek(SeekFrom::Start(start.offset))?;
                    Ok(file)
                });
                match opened {
                    Ok(file) => Box::new(std::io::BufReader::with_capacity(1 << 20, file)),
                    Err(source) => {
                        let _ = tx.blocking_send(Err(SourceError::Open {
                            input: label,
                            source,
                        }));
                        return;
                    }
                }
            }
        };
        let mut lines = ndjson::LineReader::resuming(reader, start.line, start.offset);
        loop {
            let mut text = Vec::new();
            match lines.read_into(&mut text) {
                Ok(None) => return,
                Ok(Some(at)) => {
                    while text.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                        text.pop();
                    }
                    let line = Line {
                        number: at.number,
                        end: at.end,
                        text,
                    };
                    if tx.blocking_send(Ok(line)).is_err() {
                        return;
                    }
                }
                Err(source) => {
                    let _ = tx.blocking_send(Err(SourceError::Read {
                        input: label,
                        line: lines.line(),
                        source,
                    }));
                    return;
                }
            }
        }
    });
    rx
}

#[async_trait]
impl Source for FileSource {
    async fn run(
        &mut self,
        units: mpsc::Sender<Unit>,
        cancel: &CancellationToken,
    ) -> Result<(), SourceError> {
        let mut lines = spawn_reader(self.path.clone(), self.label.clone(), self.start.clone());
        let attributes = Default::default();
        let mut index = 0u64;
        while let Some(line) = lines.recv().await {
            if cancel.is_cancelled() {
                return Ok(());
            }
            let line = line?;
            let commit = Commit::Line {
                index,
                line: line.number,
                end: line.end,
            };
            index += 1;
            let mut unit = Unit {
                ops: Vec::new(),
                failed: false,
                commit,
            };
            if !line.text.iter().all(u8::is_ascii_whitespace) {
                bump(&self.counters.read);
                let at = || format!("`{}` line {}", self.label, line.number);
                match self.converter.convert(&line.text, &attributes).await {
                    Converted::Ops(ops) => unit.ops = ops,
                    Converted::Filtered => bump(&self.counters.filtered),
                    Converted::UnknownType(_) => bump(&self.counters.skipped_unknown),
                    Converted::Invalid(why) => {
                        bump(&self.counters.invalid);
                        // A line that is not UTF-8 never decodes; say why in its own terms.
                        let why = match ndjson::utf8(&line.text) {
                            Ok(_) => why,
                            Err(not_utf8) => format!("$: {not_utf8}"),
                        };
                        self.counters.problem(at(), why);
                    }
                    Converted::Failed(why) => {
                        self.counters.problem(at(), why);
                        unit.failed = true;
                    }
                }
            }
            if units.send(unit).await.is_err() {
                return Ok(());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(offset: u64, size: u64) -> FilePosition {
        FilePosition {
            offset,
            line: 3,
            size,
            modified: None,
        }
    }

    #[test]
    fn a_changed_file_is_not_resumed() {
        assert!(check_unchanged(&at(10, 100), &at(0, 100)).is_ok());
        let err = check_unchanged(&at(10, 100), &at(0, 120)).unwrap_err();
        assert!(err.contains("100 → 120"), "{err}");
        let err = check_unchanged(&at(200, 100), &at(0, 100)).unwrap_err();
        assert!(err.contains("past its end"), "{err}");
    }

    #[tokio::test]
    async fn a_line_that_is_not_utf8_is_one_invalid_event_and_reading_goes_on() {
        let event = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/events/valid/email.json"
        ))
        .unwrap();
        let event = serde_json::from_str::<serde_json::Value>(&event)
            .unwrap()
            .to_string();
        let cut = event.find("Quarterly").unwrap();
        let mut input = format!("{event}\n{}", &event[..cut]).into_bytes();
        let at = cut + 1;
        input.push(0xe9);
        input.extend(format!("{}\n{event}\n", &event[cut..]).into_bytes());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.ndjson");
        std::fs::write(&path, input).unwrap();
        let counters = Arc::new(Counters::default());
        let mut source = FileSource::file(
            path.clone(),
            "e.ndjson".into(),
            position_of(&path).unwrap(),
            EventConverter {
                filter: Default::default(),
                payloads: None,
                newer_wins: false,
            },
            counters.clone(),
        );
        let (tx, mut rx) = mpsc::channel(16);
        source.run(tx, &CancellationToken::new()).await.unwrap();
        let mut fed = Vec::new();
        while let Some(unit) = rx.recv().await {
            fed.push(!unit.ops.is_empty());
        }
        assert_eq!(
            fed,
            [true, false, true],
            "the line after the bad one is fed"
        );
        assert_eq!(
            counters.invalid.load(std::sync::atomic::Ordering::Relaxed),
            1
        );
        let problems = counters.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].at, "`e.ndjson` line 2");
        assert_eq!(
            problems[0].message,
            format!("$: not valid UTF-8 at byte {at}")
        );
    }

    #[tokio::test]
    async fn lines_are_read_from_the_offset_with_their_numbers_and_ends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.ndjson");
        std::fs::write(&path, "aa\r\nbbb\n\ncc").unwrap();
        let mut rx = spawn_reader(Some(path), "e".into(), at(4, 0));
        let mut got = Vec::new();
        while let Some(line) = rx.recv().await {
            let line = line.unwrap();
            got.push((line.number, line.end, String::from_utf8(line.text).unwrap()));
        }
        assert_eq!(
            got,
            [
                (4, 8, "bbb".to_string()),
                (5, 9, String::new()),
                (6, 11, "cc".to_string())
            ]
        );
    }
}
