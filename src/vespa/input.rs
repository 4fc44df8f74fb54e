//! Reading Vespa's JSON feed format (vespa-api.md §4): a JSON array of operations or JSONL.
//!
//! Like `vespa feed`, the first non-blank byte decides: `[` is an array, anything else a stream of
//! objects. Only `put`, `id` (an alias of `put`), `update`, `remove`, `condition`, `create` and
//! `fields` are accepted; anything else is an error naming the operation's position, as the CLI
//! rejects it. Operations are handed out one at a time, so a file of any size streams.

use super::feed::{OpKind, Operation};
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
/// `sink` returns false to stop early (e.g. the feed was cancelled). Errors name `label` and the
/// line and column (syntax) or the operation's number (content), e.g.
/// ``docs.jsonl: operation 12: no id specified``.
pub fn read(
    mut reader: impl BufRead,
    label: &str,
    sink: &mut dyn FnMut(Operation) -> bool,
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
    let mut index = 0usize;
    let mut content_error = None;
    let mut stopped = false;
    let mut each = |raw: RawOp| -> bool {
        index += 1;
        match raw.into_operation() {
            Ok(op) => {
                stopped = !sink(op);
                !stopped
            }
            Err(message) => {
                content_error = Some(format!("`{label}`: operation {index}: {message}"));
                false
            }
        }
    };
    let syntax = |err: serde_json::Error| format!("`{label}`: {err}");
    if first == b'[' {
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
        read_stream(reader, label, BLOCK, &mut |raw| match raw {
            Ok(raw) => each(raw),
            Err(message) => {
                failed = Some(message);
                false
            }
        })?;
        if let Some(message) = failed {
            return Err(format!("`{label}`: operation {}: {message}", index + 1));
        }
        match content_error {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }
}

/// Bytes read from the input at a time for a stream of objects.
const BLOCK: usize = 1 << 20;

/// Parses a stream of JSON objects block by block: each block is parsed in memory (much
/// faster than through `io::Read`), and an object cut by the block's end is carried into the
/// next one. Syntax errors carry the line and column in the whole input.
fn read_stream(
    mut reader: impl BufRead,
    label: &str,
    block: usize,
    each: &mut dyn FnMut(Result<RawOp, String>) -> bool,
) -> Result<(), String> {
    let mut buf: Vec<u8> = Vec::with_capacity(block);
    // Lines before `buf[0]`, and the column where `buf[0]` sits on its line (0-based).
    let (mut base_line, mut base_column) = (0usize, 0usize);
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
        let mut stream = serde_json::Deserializer::from_slice(&buf[..limit]).into_iter::<RawOp>();
        let mut consumed = 0;
        let mut carry = false;
        while let Some(raw) = stream.next() {
            match raw {
                Ok(raw) => {
                    if !each(Ok(raw)) {
                        return Ok(());
                    }
                }
                // An object that goes on past the last newline: parse it again with more input.
                Err(err) if err.is_eof() && !at_end => {
                    carry = true;
                    break;
                }
                Err(err) => {
                    let (line, column) = if err.line() == 1 {
                        (base_line + 1, base_column + err.column())
                    } else {
                        (base_line + err.line(), err.column())
                    };
                    let text = err.to_string();
                    let message = text.rsplit_once(" at line ").map_or(text.as_str(), |t| t.0);
                    each(Err(format!("{message} at line {line} column {column}")));
                    return Ok(());
                }
            }
            consumed = stream.byte_offset();
        }
        if !carry {
            if at_end {
                return Ok(());
            }
            consumed = limit;
        }
        // Move the line/column origin past what was consumed, then keep the rest.
        let done = &buf[..consumed];
        match done.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                base_line += done.iter().filter(|&&b| b == b'\n').count();
                base_column = consumed - last - 1;
            }
            None => base_column += consumed,
        }
        buf.drain(..consumed);
    }
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

    fn all(text: &str) -> Result<Vec<Operation>, String> {
        let mut ops = Vec::new();
        read(text.as_bytes(), "t.json", &mut |op| {
            ops.push(op);
            true
        })?;
        Ok(ops)
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
    fn errors_name_the_file_and_position() {
        let err = all("{\"put\":\"id:n:t::1\"}\n{\"fields\":{}}\n").unwrap_err();
        assert_eq!(
            err,
            "`t.json`: operation 2: no id specified (expected `put`, `id`, `update` or `remove`)"
        );
        let err = all("{\"put\":\"id:n:t::1\",\"timestamp\":1}").unwrap_err();
        assert!(err.contains("unknown field `timestamp`"), "{err}");
        assert!(err.contains("line 1"), "{err}");
        let err = all("[{\"put\":\"id:n:t::1\"},\n{\"put\":\"x\",\"remove\":\"y\"}]").unwrap_err();
        assert!(err.contains("operation 2: more than one"), "{err}");
        let err = all("{\"put\":\"id:n:t::1\"}\n{oops}").unwrap_err();
        assert!(
            err.contains("operation 2") && err.contains("line 2"),
            "{err}"
        );
    }

    /// Objects cut by block boundaries are parsed whole, and error positions are those of the
    /// whole input, whatever the block size.
    #[test]
    fn blocks_carry_cut_objects_and_keep_positions() {
        let good = "{\"put\":\"id:n:t::1\",\"fields\":{\"a\":\"x y\",\"n\":-1.5e-3,\"m\":[10.25,-7,true,null]}}\n\n  {\"remove\":\"id:n:t::2\"} {\"put\":\"id:n:t::3\",\n \"fields\":{\"e\":2E+10}}\n";
        let bad_later_line =
            format!("{good}{{\"put\":\"id:n:t::4\",\n \"fields\": {{\"a\": tru}}}}");
        let bad_same_line = format!("{} {{oops}}", good.trim_end());
        for (block, bad) in [1, 2, 7, 64, BLOCK]
            .into_iter()
            .flat_map(|b| [(b, bad_later_line.clone()), (b, bad_same_line.clone())])
        {
            let mut ids = Vec::new();
            read_stream(good.as_bytes(), "t", block, &mut |raw| {
                ids.push(raw.unwrap().into_operation().unwrap().id);
                true
            })
            .unwrap();
            assert_eq!(
                ids,
                ["id:n:t::1", "id:n:t::2", "id:n:t::3"],
                "block {block}"
            );
            let mut error = None;
            read_stream(bad.as_bytes(), "t", block, &mut |raw| {
                error = raw.err();
                error.is_none()
            })
            .unwrap();
            // The same position serde_json reports reading the input in one piece.
            let whole = serde_json::Deserializer::from_str(&bad)
                .into_iter::<RawOp>()
                .find_map(Result::err)
                .unwrap();
            assert_eq!(
                error.as_deref(),
                Some(whole.to_string().as_str()),
                "block {block}"
            );
        }
    }

    #[test]
    fn stopping_early_is_not_an_error() {
        let mut n = 0;
        read(
            "[{\"put\":\"id:n:t::1\"},{\"put\":\"id:n:t::2\"}]".as_bytes(),
            "t",
            &mut |_| {
                n += 1;
                false
            },
        )
        .unwrap();
        assert_eq!(n, 1);
    }
}
