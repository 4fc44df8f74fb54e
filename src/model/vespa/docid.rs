//! Vespa document ids: `id:office:<doc_type>:g=<user_id>:<doc_id>`, and their `/document/v1` path.
//!
//! The `g=<user_id>` group puts a user's documents of every type in the same bucket group, so
//! per-user visiting, deletion (offboarding) and streaming search (`streaming.groupname`) touch
//! only that user's buckets (vespa-api.md §1, §3).
//!
//! Both the group and the local id are escaped: every byte outside `[A-Za-z0-9-._~]` becomes
//! `%XX` (upper-case hex of the UTF-8 bytes), so ids never contain `/`, `:`, spaces or non-ASCII
//! characters, and the same input always gives the same id. The path escapes each segment once
//! more (a `%` becomes `%25`), exactly as the Go `vespa` CLI's `url.PathEscape` would, so the id
//! the server rebuilds from the path is the id we built.

use std::fmt;

use crate::model::catalog::DataType;

/// The document namespace of the platform.
pub const NAMESPACE: &str = crate::namespace::PLATFORM;

/// A document id in the group form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId {
    doc_type: &'static str,
    group: String,
    local: String,
}

impl DocumentId {
    /// Builds the id of `doc_id` of `user_id`, escaping both.
    pub fn new(doc_type: &'static str, user_id: &str, doc_id: &str) -> DocumentId {
        DocumentId {
            doc_type,
            group: escape(user_id),
            local: escape(doc_id),
        }
    }

    pub fn doc_type(&self) -> &'static str {
        self.doc_type
    }

    /// The escaped group (user id).
    pub fn group(&self) -> &str {
        &self.group
    }

    /// The escaped user-specified part (item id).
    pub fn local(&self) -> &str {
        &self.local
    }

    /// `/document/v1/office/<doc_type>/group/<group>/<local>`, each segment path-escaped.
    pub fn path(&self) -> String {
        format!(
            "/document/v1/{}/{}/group/{}/{}",
            crate::namespace::document_namespace(),
            self.doc_type,
            escape(&self.group),
            escape(&self.local)
        )
    }
}

/// The parts of any Vespa document id, `id:<namespace>:<type>:<modifiers>:<user-specified>`
/// (the last part may itself contain `:`), or `None` if it does not have five parts.
pub fn split(id: &str) -> Option<IdParts<'_>> {
    let mut parts = id.splitn(5, ':');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("id"), Some(namespace), Some(doc_type), Some(modifiers), Some(local)) => {
            Some(IdParts {
                namespace,
                doc_type,
                modifiers,
                local,
            })
        }
        _ => None,
    }
}

/// See [`split`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdParts<'a> {
    pub namespace: &'a str,
    pub doc_type: &'a str,
    pub modifiers: &'a str,
    pub local: &'a str,
}

/// Why a string is not a document id officectl builds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{id}` is not an officectl document id (`id:{}:<type>:g=<user>:<id>`): {reason}",
    crate::namespace::document_namespace()
)]
pub struct ParseIdError {
    pub id: String,
    pub reason: String,
}

impl DocumentId {
    /// Parses an id in the group form, as [`DocumentId::new`] builds it (e.g. a visited
    /// document's id). The type must be one of the catalog's Vespa types, and the group and local
    /// parts must be escaped exactly as officectl escapes them.
    pub fn parse(text: &str) -> Result<DocumentId, ParseIdError> {
        let fail = |reason: String| ParseIdError {
            id: text.to_string(),
            reason,
        };
        let Some(IdParts {
            namespace: ns,
            doc_type,
            modifiers,
            local,
        }) = split(text)
        else {
            return Err(fail("expected five `:`-separated parts".into()));
        };
        let expected = crate::namespace::document_namespace();
        if ns != expected {
            return Err(fail(format!("namespace `{ns}` is not `{expected}`")));
        }
        let data_type = DataType::from_vespa_type(doc_type)
            .ok_or_else(|| fail(format!("`{doc_type}` is not a document type of the model")))?;
        let group = modifiers
            .strip_prefix("g=")
            .filter(|g| !g.is_empty())
            .ok_or_else(|| fail("no `g=<user>` group".into()))?;
        if local.is_empty() {
            return Err(fail("empty local part".into()));
        }
        for (what, part) in [("group", group), ("local part", local)] {
            match unescape(part) {
                Some(raw) if escape(&raw) == part => {}
                _ => {
                    return Err(fail(format!(
                        "the {what} `{part}` is not escaped as officectl escapes ids"
                    )));
                }
            }
        }
        Ok(DocumentId {
            doc_type: data_type.vespa_type(),
            group: group.to_string(),
            local: local.to_string(),
        })
    }

    /// The data type of the document.
    pub fn data_type(&self) -> DataType {
        // `doc_type` always comes from the catalog (`new` takes a catalog type, `parse` checks).
        DataType::from_vespa_type(self.doc_type).unwrap_or(DataType::Email)
    }

    /// The user id, unescaped from the group.
    pub fn user_id(&self) -> String {
        unescape(&self.group).unwrap_or_else(|| self.group.clone())
    }

    /// The item's id, unescaped from the local part.
    pub fn doc_id(&self) -> String {
        unescape(&self.local).unwrap_or_else(|| self.local.clone())
    }
}

/// The group (escaped user id) of `user_id` as it appears in ids, for visit paths and
/// selections (`id.group`).
pub fn group_of(user_id: &str) -> String {
    escape(user_id)
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "id:{}:{}:g={}:{}",
            crate::namespace::document_namespace(),
            self.doc_type,
            self.group,
            self.local
        )
    }
}

fn escape(raw: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(raw.len());
    for &b in raw.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// Reverses the escaping of a group or local part; `None` when it is not valid escaped UTF-8.
pub fn unescape(escaped: &str) -> Option<String> {
    let bytes = escaped.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = escaped.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_readable() {
        let id = DocumentId::new("email", "user-1", "18c2f.a_b~");
        assert_eq!(id.to_string(), "id:office:email:g=user-1:18c2f.a_b~");
        assert_eq!(
            id.path(),
            "/document/v1/office/email/group/user-1/18c2f.a_b~"
        );
    }

    #[test]
    fn slashes_spaces_colons_and_unicode_are_escaped() {
        let id = DocumentId::new("document", "a:b", "Projects/Q1 plan – Müller.docx");
        let text = id.to_string();
        assert_eq!(
            text,
            "id:office:document:g=a%3Ab:Projects%2FQ1%20plan%20%E2%80%93%20M%C3%BCller.docx"
        );
        assert!(text.is_ascii());
        assert_eq!(text.matches(':').count(), 4, "{text}");
        let path = id.path();
        assert!(!path["/document/v1/".len()..].contains("//"), "{path}");
        assert_eq!(path.matches('/').count(), 7, "{path}");
        assert!(
            path.ends_with(
                "/Projects%252FQ1%2520plan%2520%25E2%2580%2593%2520M%25C3%25BCller.docx"
            )
        );
    }

    #[test]
    fn escaping_round_trips_and_is_injective() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            let len = (next(&mut state) % 12) as usize;
            let s: String = (0..len)
                .map(|_| {
                    let pick = next(&mut state) % 6;
                    ['a', '/', ' ', '%', 'é', ':'][pick as usize]
                })
                .collect();
            let id = DocumentId::new("email", "u", &s);
            assert_eq!(unescape(id.local()).as_deref(), Some(s.as_str()));
        }
        assert_ne!(
            DocumentId::new("email", "u", "a%2F"),
            DocumentId::new("email", "u", "a/")
        );
    }

    #[test]
    fn ids_parse_back() {
        let id = DocumentId::new("office_document", "a:b", "Projects/Q1 – x.docx");
        let parsed = DocumentId::parse(&id.to_string()).unwrap();
        assert_eq!(parsed, id);
        assert_eq!(parsed.data_type(), DataType::Document);
        assert_eq!(parsed.user_id(), "a:b");
        assert_eq!(parsed.doc_id(), "Projects/Q1 – x.docx");
        for (bad, why) in [
            ("id:office:email::x", "group"),
            ("id:other:email:g=u:x", "namespace"),
            ("id:office:music:g=u:x", "`music`"),
            ("id:office:email:g=u:", "empty local"),
            ("id:office:email:g=u:a/b", "escaped"),
            ("id:office:email:g=u%zz:a", "escaped"),
            ("email:g=u:x", "five"),
        ] {
            let err = DocumentId::parse(bad).unwrap_err().to_string();
            assert!(err.contains(why) && err.contains(bad), "{bad}: {err}");
        }
    }

    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }
}
