//! Reading NDJSON of events: every non-blank line validated (new or legacy shape, detected per
//! line), numbered for reports.

use crate::model::validate::{self, Problem, Validated};
use crate::ndjson;
use std::io::BufRead;

/// One non-blank input line and what validation made of it.
#[derive(Debug)]
pub struct InputLine {
    /// 1-based line number in the input.
    pub line: usize,
    pub outcome: Result<Validated, Vec<Problem>>,
}

/// Iterates over the non-blank lines of NDJSON input, validating each.
///
/// Lines are read as bytes ([`ndjson::LineReader`]): a line that is not UTF-8 is an invalid
/// line like any other (`$`: not valid UTF-8 at byte N), not an error that ends the input.
pub struct NdjsonEvents<R> {
    lines: ndjson::LineReader<R>,
    buffer: Vec<u8>,
}

impl<R: BufRead> NdjsonEvents<R> {
    pub fn new(reader: R) -> Self {
        Self {
            lines: ndjson::LineReader::new(reader),
            buffer: Vec::new(),
        }
    }
}

impl<R: BufRead> Iterator for NdjsonEvents<R> {
    type Item = std::io::Result<InputLine>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buffer.clear();
            match self.lines.read_into(&mut self.buffer) {
                Ok(None) => return None,
                Ok(Some(at)) => {
                    let text = ndjson::trim(&self.buffer);
                    if text.is_empty() {
                        continue;
                    }
                    let outcome = match ndjson::utf8(&self.buffer) {
                        Ok(_) => validate::validate_bytes(text),
                        Err(not_utf8) => Err(vec![Problem {
                            path: "$".into(),
                            message: not_utf8.to_string(),
                        }]),
                    };
                    return Some(Ok(InputLine {
                        line: at.number as usize,
                        outcome,
                    }));
                }
                Err(err) => return Some(Err(err)),
            }
        }
    }
}
