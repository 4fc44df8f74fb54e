//! Reading Vespa's JSON feed format (vespa-api.md §4): a JSON array of operations or JSONL.
//!
//! Like `vespa feed`, the first non-blank byte decides: `[` is an array, anything else a stream of
//! objects. Only `put`, `id` (an alias of `put`), `update`, `remove`, `condition`, `create` and
//! `fields` are accepted; anything else is an error naming the operation's position, as the CLI
//! rejects it. In JSONL that error rejects the line and reading goes on (unless `--strict`); in
//! an array it ends the read. Operations are handed out one at a time, so a file of any size
//! streams.

use super::feed::{InvalidInput, OpKind, Operation};
use crate::ndjson;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;
use std::io::{BufRead, Read};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOp {
    put: Option<String>,
    id: Option<String>,
    update: Option<String>,
    remove: Option<String>,
    condition: Option<String>,
    create: Option<bool>,
    fields: Option<Box<RawValue>>,
}

impl RawOp {
    fn into_operation(self) -> Result<Operation, String> {
        let ids = [
            (OpKind::Put, self.put),
            (OpKind::Put, self.id),
            (OpKind::Update, self.update),
            (OpKind::Remove, self.remove),
        ];
        let mut given = ids.into_iter().filter_map(|(k, id)| id.map(|id| (k, id)));
        let Some((kind, id)) = given.next() else {
            return Err("no id specified (expected `put`, `id`, `update` or `remove`)".into());
        };
        if given.next().is_some() {
            return Err("more than one of `put`, `id`, `update`, `remove`".into());
        }
        if kind == OpKind::Remove && self.fields.is_some() {
            return Err(format!("remove of `{id}` has `fields`"));
        }
        Ok(Operation {
            kind,
            id,
            condition: self.condition.filter(|c| !c.is_empty()),
            create: self.create.unwrap_or(false),
            fields: self.fields,
        })
    }
}

/// Reads every operation of `reader` and hands each to `sink`, in order.
///
/// `sink` returns false to stop early (e.g. the feed was cancelled).
///
/// In a stream of objects (JSONL), an object that cannot be parsed or is not an operation is
/// handed to `sink` as an [`InvalidInput`] naming its line, and reading goes on at the next line
/// (issue 17); with `strict`, the first one ends the read with an error naming `label` and the
/// line instead, e.g. ``docs.jsonl` line 12: no id specified``. A JSON array is one document:
/// any error in it ends the read, naming the operation's number (and line and column for syntax
/// errors), as there is no line to go on from.
pub fn read(
    mut reader: impl BufRead,
    label: &str,
    strict: bool,
    sink: &mut dyn FnMut(Result<Operation, InvalidInput>) -> bool,
) -> Result<(), String> {
    let first = loop {
        let buf = reader
            .fill_buf()
            .map_err(|err| format!("cannot read `{label}`: {err}"))?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => {
                let byte = buf[at];
                reader.consume(at);
                break byte;
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    let syntax = |err: serde_json::Error| format!("`{label}`: {err}");
    if first == b'[' {
        let mut index = 0usize;
        let mut content_error = None;
        let mut stopped = false;
        let mut each = |raw: RawOp| -> bool {
            index += 1;
            match raw.into_operation() {
                Ok(op) => {
                    stopped = !sink(Ok(op));
                    !stopped
                }
                Err(message) => {
                    content_error = Some(format!("`{label}`: operation {index}: {message}"));
                    false
                }
            }
        };
        let mut de = serde_json::Deserializer::from_reader(reader);
        let result = de::Deserializer::deserialize_seq(&mut de, Each(&mut each));
        if let Some(err) = content_error {
            return Err(err);
        }
        if stopped {
            return Ok(());
        }
        result.map_err(syntax)?;
        de.end().map_err(syntax)
    } else {
        let mut failed = None;
        read_stream(reader, label, BLOCK, &mut |item| match item {
            Err(invalid) if strict => {
                failed = Some(format!(
                    "`{label}` line {}: {}",
                    invalid.line, invalid.message
                ));
                false
            }
            item => sink(item),
        })?;
        match failed {
            Some(message) => Err(message),
            None => Ok(()),
        }
    }
}

/// Bytes read from the input at a time for a stream of objects.
const BLOCK: usize = 1 << 20;

/// Line and column of offsets in a block, counted on from the last offset asked for (offsets are
/// asked for in increasing order, so a block is scanned once).
struct Positions {
    offset: usize,
    /// Lines before `offset`.
    lines: usize,
    /// 0-based column of `offset` on its line.
    column: usize,
}

impl Positions {
    /// 1-based line and 0-based column of `buf[offset]`.
    fn at(&mut self, buf: &[u8], offset: usize) -> (usize, usize) {
        let passed = &buf[self.offset..offset];
        match passed.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.lines += passed.iter().filter(|&&b| b == b'\n').count();
                self.column = passed.len() - last - 1;
            }
            None => self.column += passed.len(),
        }
        self.offset = offset;
        (self.lines + 1, self.column)
    }
}

/// Parses a stream of JSON objects block by block: each block is parsed in memory (much
/// faster than through `io::Read`), and an object cut by the block's end is carried into the
/// next one.
///
/// An object that does not parse, or is not an operation, is handed on as an [`InvalidInput`]
/// at the line where it starts: a line that is not UTF-8 says so and where
/// ([`ndjson::NotUtf8`]); a syntax error gives its position in the whole input. Parsing then
/// starts again at the next line, as each line of JSONL is an operation of its own.
fn read_stream(
    mut reader: impl BufRead,
    label: &str,
    block: usize,
    each: &mut dyn FnMut(Result<Operation, InvalidInput>) -> bool,
) -> Result<(), String> {
    let mut buf: Vec<u8> = Vec::with_capacity(block);
    // Lines before `buf[0]`, and the column where `buf[0]` sits on its line (0-based).
    let (mut base_lines, mut base_column) = (0usize, 0usize);
    let mut at_end = false;
    loop {
        if !at_end {
            let before = buf.len();
            (&mut reader)
                .take(block as u64)
                .read_to_end(&mut buf)
                .map_err(|err| format!("cannot read `{label}`: {err}"))?;
            at_end = buf.len() == before;
        }
        // Parse up to the last newline only: no JSON token spans a newline, so nothing is cut
        // in the middle of a token (a number cut after `-` or `.` is a syntax error, not an
        // end-of-input one). Without a newline yet, read more first.
        let limit = if at_end {
            buf.len()
        } else {
            match buf.iter().rposition(|&b| b == b'\n') {
                Some(last) => last + 1,
                None => continue,
            }
        };
        let mut positions = Positions {
            offset: 0,
            lines: base_lines,
            column: base_column,
        };
        // Where the current parse started, and where the objects it read so far end.
        let mut start = 0;
        let mut consumed = 0;
        let mut carry = false;
        'parse: while start < limit {
            let (start_line, start_column) = positions.at(&buf, start);
            let mut stream =
                serde_json::Deserializer::from_slice(&buf[start..limit]).into_iter::<RawOp>();
            loop {
                let before = start + stream.byte_offset();
                let err = match stream.next() {
                    None => break 'parse,
                    Some(Ok(raw)) => {
                        let item = raw.into_operation().map_err(|message| {
                            let (line, _) = positions.at(&buf, first_byte(&buf, before, limit));
                            InvalidInput {
                                line: line as u64,
                                message,
                            }
                        });
                        if !each(item) {
                            return Ok(());
                        }
                        consumed = start + stream.byte_offset();
                        continue;
                    }
                    // An object that goes on past the last newline: parse it again with more
                    // input.
                    Some(Err(err)) if err.is_eof() && !at_end => {
                        carry = true;
                        break 'parse;
                    }
                    Some(Err(err)) => err,
                };
                // A syntax error: the object is rejected at the line where it starts.
                let object = first_byte(&buf, before, limit);
                let (line, column) = positions.at(&buf, object);
                let line_end = buf[object..limit]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(limit, |at| object + at);
                let (err_line, err_column) = if err.line() == 1 {
                    (start_line, start_column + err.column())
                } else {
                    (start_line + err.line() - 1, err.column())
                };
                // What precedes the object on its line was parsed, so it is UTF-8.
                let message = match ndjson::utf8(&buf[object..line_end]) {
                    Err(not_utf8) => ndjson::NotUtf8 {
                        byte: column + not_utf8.byte,
                    }
                    .to_string(),
                    Ok(_) => {
                        let text = err.to_string();
                        let text = text.rsplit_once(" at line ").map_or(text.as_str(), |t| t.0);
                        if err_line == line {
                            format!("{text} at column {err_column}")
                        } else {
                            format!("{text} at line {err_line} column {err_column}")
                        }
                    }
                };
                if !each(Err(InvalidInput {
                    line: line as u64,
                    message,
                })) {
                    return Ok(());
                }
                // Parsing goes on after the line of the error; but when the error is the first
                // thing on a later line, that line starts a new object (the one before was left
                // open), so it goes on there.
                let mut resume = next_line(&buf, object, limit);
                if err_line > line {
                    for _ in line + 1..err_line {
                        resume = next_line(&buf, resume, limit);
                    }
                    let err_line_start = resume;
                    let after = next_line(&buf, err_line_start, limit);
                    let err_at = (err_line_start + err_column.saturating_sub(1)).min(after);
                    let opens_line = err_at < after
                        && buf[err_line_start..err_at]
                            .iter()
                            .all(u8::is_ascii_whitespace);
                    resume = if opens_line { err_line_start } else { after };
                }
                start = resume;
                consumed = start;
                continue 'parse;
            }
        }
        if !carry {
            if at_end {
                return Ok(());
            }
            consumed = limit;
        }
        // Move the line/column origin past what was consumed, then keep the rest.
        (base_lines, base_column) = {
            let (line, column) = positions.at(&buf, consumed);
            (line - 1, column)
        };
        buf.drain(..consumed);
    }
}

/// Where the line after the one at `from` starts, or `limit`.
fn next_line(buf: &[u8], from: usize, limit: usize) -> usize {
    buf[from..limit]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(limit, |at| from + at + 1)
}

/// The first non-blank byte of `buf[from..limit]`, or `limit`.
fn first_byte(buf: &[u8], from: usize, limit: usize) -> usize {
    buf[from..limit]
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(limit, |at| from + at)
}

/// Visits a JSON array, handing each element to the closure without collecting them.
struct Each<'a, F>(&'a mut F);

impl<'de, F: FnMut(RawOp) -> bool> Visitor<'de> for Each<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of feed operations")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element_seed(PhantomRaw)? {
            if !(self.0)(raw) {
                // Stopped: drain nothing more; the caller reports why.
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

struct PhantomRaw;

impl<'de> DeserializeSeed<'de> for PhantomRaw {
    type Value = RawOp;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RawOp, D::Error> {
        RawOp::deserialize(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation, or the first problem (`--strict`).
    fn all(text: &str) -> Result<Vec<Operation>, String> {
        let mut ops = Vec::new();
        read(text.as_bytes(), "t.json", true, &mut |op| {
            ops.push(op.expect("strict: problems end the read"));
            true
        })?;
        Ok(ops)
    }

    /// Each operation's id, or the line and problem of what is not an operation, in `block`s.
    fn lenient(text: &[u8], block: usize) -> Vec<Result<String, (u64, String)>> {
        let mut items = Vec::new();
        read_stream(text, "t", block, &mut |item| {
            items.push(item.map(|op| op.id).map_err(|i| (i.line, i.message)));
            true
        })
        .unwrap();
        items
    }

    #[test]
    fn jsonl_and_array_give_the_same_operations() {
        let lines = r#"{"put": "id:n:t::1", "fields": {"a": 1}}
{"id": "id:n:t::2", "fields": {}}
{"update": "id:n:t::1", "create": true, "condition": "t.a==1", "fields": {"a": {"assign": 2}}}
{"remove": "id:n:t::2"}
"#;
        let array = format!("  [{}]", lines.trim().replace('\n', ",\n"));
        for text in [lines.to_string(), array] {
            let ops = all(&text).unwrap();
            let kinds: Vec<_> = ops.iter().map(|o| (o.kind, o.id.as_str())).collect();
            assert_eq!(
                kinds,
                [
                    (OpKind::Put, "id:n:t::1"),
                    (OpKind::Put, "id:n:t::2"),
                    (OpKind::Update, "id:n:t::1"),
                    (OpKind::Remove, "id:n:t::2"),
                ]
            );
            assert!(ops[2].create);
            assert_eq!(ops[2].condition.as_deref(), Some("t.a==1"));
            assert_eq!(ops[0].fields.as_ref().unwrap().get(), r#"{"a": 1}"#);
        }
    }

    #[test]
    fn empty_input_is_no_operations() {
        assert!(all("  \n").unwrap().is_empty());
        assert!(all("[]").unwrap().is_empty());
    }

    #[test]
    fn strict_errors_name_the_file_and_line_or_operation() {
        let err = all("{\"put\":\"id:n:t::1\"}\n{\"fields\":{}}\n").unwrap_err();
        assert_eq!(
            err,
            "`t.json` line 2: no id specified (expected `put`, `id`, `update` or `remove`)"
        );
        let err = all("{\"put\":\"id:n:t::1\",\"timestamp\":1}").unwrap_err();
        assert!(
            err.starts_with("`t.json` line 1: unknown field `timestamp`"),
            "{err}"
        );
        assert!(err.ends_with("at column 30"), "{err}");
        let err = all("[{\"put\":\"id:n:t::1\"},\n{\"put\":\"x\",\"remove\":\"y\"}]").unwrap_err();
        assert!(err.contains("operation 2: more than one"), "{err}");
        let err = all("{\"put\":\"id:n:t::1\"}\n{oops}").unwrap_err();
        assert_eq!(err, "`t.json` line 2: key must be a string at column 2");
    }

    /// Issue 17: one bad line of JSONL is one rejected line, with its number; the lines after it
    /// are read, whatever the block size.
    #[test]
    fn a_bad_line_is_rejected_by_number_and_the_next_lines_are_read() {
        let mut text = Vec::new();
        text.extend(b"{\"put\":\"id:n:t::1\"}\n");
        // 2: not UTF-8 (Latin-1 "\xe9" inside a string, at byte 20).
        text.extend(b"{\"put\":\"id:n:t::caf\xe9\"}\n");
        // 3: a syntax error; 4: blank; 5: not an operation, then an operation on the same line.
        text.extend(b"{oops}\n\n{\"fields\":{}} {\"remove\":\"id:n:t::5\"}\n");
        // 6: an object left open (the error shows on line 7, which is read as it is).
        text.extend(b"{\"put\":\"id:n:t::6\",\n{\"put\":\"id:n:t::7\"}\n");
        // 8: an unknown field; 9: garbage bytes outside any string.
        text.extend(b"{\"put\":\"id:n:t::8\",\"timestamp\":1}\n\xff\xfe{}\n");
        // 10-11: an object over two lines with an error in the second (rejected as one).
        text.extend(
            b"{\"put\":\"id:n:t::10\",\n \"fields\": {\"a\": tru}}\n{\"put\":\"id:n:t::12\"}",
        );
        let expected: Vec<Result<String, (u64, String)>> = vec![
            Ok("id:n:t::1".into()),
            Err((2, "not valid UTF-8 at byte 20".into())),
            Err((3, "key must be a string at column 2".into())),
            Err((
                5,
                "no id specified (expected `put`, `id`, `update` or `remove`)".into(),
            )),
            Ok("id:n:t::5".into()),
            Err((6, "key must be a string at line 7 column 1".into())),
            Ok("id:n:t::7".into()),
            Err((
                8,
                "unknown field `timestamp`, expected one of `put`, `id`, `update`, `remove`, `condition`, `create`, `fields` at column 30".into(),
            )),
            Err((9, "not valid UTF-8 at byte 1".into())),
            Err((10, "expected ident at line 11 column 21".into())),
            Ok("id:n:t::12".into()),
        ];
        for block in [1, 2, 7, 64, BLOCK] {
            assert_eq!(lenient(&text, block), expected, "block {block}");
            // The last line, without a newline after it.
            assert_eq!(
                lenient(b"{\"put\":\"id:n:t::1\"}\n \xff", block),
                [
                    Ok("id:n:t::1".into()),
                    Err((2, "not valid UTF-8 at byte 2".into()))
                ],
                "block {block}"
            );
        }
        // `--strict`: the first bad line ends the read, after the operations before it.
        let mut ids = Vec::new();
        let err = read(&text[..], "t.jsonl", true, &mut |op| {
            ids.push(op.unwrap().id);
            true
        })
        .unwrap_err();
        assert_eq!(err, "`t.jsonl` line 2: not valid UTF-8 at byte 20");
        assert_eq!(ids, ["id:n:t::1"]);
    }

    /// Objects cut by block boundaries are parsed whole, and error positions are those of the
    /// whole input, whatever the block size.
    #[test]
    fn blocks_carry_cut_objects_and_keep_positions() {
        let good = "{\"put\":\"id:n:t::1\",\"fields\":{\"a\":\"x y\",\"n\":-1.5e-3,\"m\":[10.25,-7,true,null]}}\n\n  {\"remove\":\"id:n:t::2\"} {\"put\":\"id:n:t::3\",\n \"fields\":{\"e\":2E+10}}\n";
        let bad_later_line =
            format!("{good}{{\"put\":\"id:n:t::4\",\n \"fields\": {{\"a\": tru}}}}");
        let bad_same_line = format!("{} {{oops}}", good.trim_end());
        let ids = ["id:n:t::1", "id:n:t::2", "id:n:t::3"];
        for (block, bad) in [1, 2, 7, 64, BLOCK]
            .into_iter()
            .flat_map(|b| [(b, bad_later_line.clone()), (b, bad_same_line.clone())])
        {
            let good_ids: Vec<_> = lenient(good.as_bytes(), block)
                .into_iter()
                .map(Result::unwrap)
                .collect();
            assert_eq!(good_ids, ids, "block {block}");
            let items = lenient(bad.as_bytes(), block);
            assert_eq!(items.len(), 4, "block {block}: {items:?}");
            let (line, message) = items[3].clone().unwrap_err();
            // The same position serde_json reports reading the input in one piece, and the line
            // where the failed object starts.
            let whole = serde_json::Deserializer::from_str(&bad)
                .into_iter::<RawOp>()
                .find_map(Result::err)
                .unwrap();
            let text = whole.to_string();
            let text = text.rsplit_once(" at line ").unwrap().0;
            let object_line = bad[..bad
                .rfind("{\"put\":\"id:n:t::4\"")
                .or(bad.rfind("{oops}"))
                .unwrap()]
                .matches('\n')
                .count()
                + 1;
            assert_eq!(line, object_line as u64, "block {block}");
            let expected = if whole.line() == object_line {
                format!("{text} at column {}", whole.column())
            } else {
                format!("{text} at line {} column {}", whole.line(), whole.column())
            };
            assert_eq!(message, expected, "block {block}");
        }
    }

    #[test]
    fn stopping_early_is_not_an_error() {
        for text in [
            "[{\"put\":\"id:n:t::1\"},{\"put\":\"id:n:t::2\"}]",
            "{\"put\":\"id:n:t::1\"}\n{\"put\":\"id:n:t::2\"}\n",
        ] {
            let mut n = 0;
            read(text.as_bytes(), "t", false, &mut |_| {
                n += 1;
                false
            })
            .unwrap();
            assert_eq!(n, 1);
        }
    }
}
