//! Reading NDJSON input line by line, as bytes.
//!
//! Every command that reads NDJSON (`events validate|convert|publish`, `backfill`,
//! `reindex --source`) reads its lines with [`LineReader`], as bytes with their numbers, and
//! leaves UTF-8 to the parser. So one line that is not UTF-8 is one rejected line, reported by
//! number with [`NotUtf8`] (the byte where its text stops being UTF-8), and the lines after it
//! are read as usual; `BufRead::read_line` into a `String` used to fail the whole read instead
//! (issue 17). `vespa feed` parses blocks rather than lines and reports a bad line the same way.
//!
//! The check runs where a line has already failed to parse: every JSON parser officectl uses
//! rejects invalid UTF-8 anyway, so the fast path pays nothing for it.

use std::io::BufRead;

/// A line whose bytes are not UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not valid UTF-8 at byte {byte}")]
pub struct NotUtf8 {
    /// 1-based position in the line, as read, of the first byte that does not start or continue
    /// a UTF-8 character (what `cut -b` counts).
    pub byte: usize,
}

/// The line as text, or where it stops being UTF-8.
pub fn utf8(line: &[u8]) -> Result<&str, NotUtf8> {
    simdutf8::compat::from_utf8(line).map_err(|err| NotUtf8 {
        byte: err.valid_up_to() + 1,
    })
}

/// A line without surrounding whitespace: ASCII whitespace cheaply, and Unicode whitespace
/// (e.g. a no-break space) as `str::trim` does when the line starts or ends with a non-ASCII
/// byte and is valid UTF-8.
pub fn trim(line: &[u8]) -> &[u8] {
    let line = line.trim_ascii();
    match (line.first(), line.last()) {
        (Some(&first), Some(&last)) if first >= 0x80 || last >= 0x80 => {
            simdutf8::basic::from_utf8(line).map_or(line, |text| text.trim().as_bytes())
        }
        _ => line,
    }
}

/// Where a line was in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAt {
    /// 1-based line number.
    pub number: u64,
    /// Bytes read for the line, its newline included.
    pub len: usize,
    /// Input offset just after the line.
    pub end: u64,
}

/// Numbered lines of a reader, as bytes.
pub struct LineReader<R> {
    reader: R,
    number: u64,
    offset: u64,
}

impl<R: BufRead> LineReader<R> {
    /// Reads `reader` from its start.
    pub fn new(reader: R) -> Self {
        Self::resuming(reader, 0, 0)
    }

    /// Reads `reader`, already positioned after `line` lines and `offset` bytes of the input.
    pub fn resuming(reader: R, line: u64, offset: u64) -> Self {
        LineReader {
            reader,
            number: line,
            offset,
        }
    }

    /// Lines read so far (with the ones before a resume).
    pub fn line(&self) -> u64 {
        self.number
    }

    /// Appends the next line, newline included, to `buf`; `None` at the end of the input.
    pub fn read_into(&mut self, buf: &mut Vec<u8>) -> std::io::Result<Option<LineAt>> {
        match self.reader.read_until(b'\n', buf)? {
            0 => Ok(None),
            len => {
                self.number += 1;
                self.offset += len as u64;
                Ok(Some(LineAt {
                    number: self.number,
                    len,
                    end: self.offset,
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_names_the_first_bad_byte_of_the_line() {
        assert_eq!(utf8(b"{\"a\":1}"), Ok("{\"a\":1}"));
        assert_eq!(utf8(b"\xff{}"), Err(NotUtf8 { byte: 1 }));
        // "é" in Latin-1 inside a string: byte 10.
        assert_eq!(utf8(b"{\"s\":\"caf\xe9\"}"), Err(NotUtf8 { byte: 10 }));
        // A character cut short by the end of the line.
        assert_eq!(
            utf8("ab€".as_bytes().split_at(4).0),
            Err(NotUtf8 { byte: 3 })
        );
        assert_eq!(NotUtf8 { byte: 7 }.to_string(), "not valid UTF-8 at byte 7");
    }

    #[test]
    fn lines_are_trimmed_of_ascii_and_unicode_whitespace() {
        assert_eq!(trim(b"  {} \r\n"), b"{}");
        assert_eq!(trim("\u{a0}{}\u{3000}\n".as_bytes()), b"{}");
        assert!(trim("\u{a0} \u{85}\n".as_bytes()).is_empty());
        assert_eq!(trim(b"\xff{}"), b"\xff{}");
    }

    #[test]
    fn lines_are_numbered_with_their_ends_whatever_their_bytes() {
        let input: &[u8] = b"a\r\n\xff\xfe\n\nlast";
        let mut reader = LineReader::new(input);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while let Some(at) = reader.read_into(&mut buf).unwrap() {
            got.push((at, buf.clone()));
            buf.clear();
        }
        let at = |number, len, end| LineAt { number, len, end };
        assert_eq!(
            got,
            [
                (at(1, 3, 3), b"a\r\n".to_vec()),
                (at(2, 3, 6), b"\xff\xfe\n".to_vec()),
                (at(3, 1, 7), b"\n".to_vec()),
                (at(4, 4, 11), b"last".to_vec()),
            ]
        );
        let mut resumed = LineReader::resuming(&b"x\n"[..], 9, 100);
        assert_eq!(resumed.read_into(&mut buf).unwrap(), Some(at(10, 2, 102)));
    }
}
