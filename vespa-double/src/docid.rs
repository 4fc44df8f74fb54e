//! `/document/v1` paths and document ids (vespa-api.md §1).
//!
//! The server builds the id from the path: `id:<ns>:<type>:<n=|g=>:` and the remaining segments
//! joined with `/`. Each segment is percent-decoded on its own (a `+` stays a `+`: it is a path,
//! not a form), so `%2F` inside a segment and an unescaped `/` between segments give the same id.

/// The modifier part of an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modifier {
    None,
    Number(u64),
    Group(String),
}

/// A parsed `/document/v1/{ns}/{type}/...` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocPath {
    pub namespace: String,
    pub doctype: String,
    pub modifier: Modifier,
    /// The user-specified part; `None` for a visit path (`.../docid/`, `.../group/g/`).
    pub specific: Option<String>,
}

impl DocPath {
    /// The full document id; only for document paths.
    pub fn id(&self) -> String {
        let specific = self.specific.as_deref().unwrap_or("");
        match &self.modifier {
            Modifier::None => format!("id:{}:{}::{}", self.namespace, self.doctype, specific),
            Modifier::Number(n) => format!(
                "id:{}:{}:n={}:{}",
                self.namespace, self.doctype, n, specific
            ),
            Modifier::Group(g) => format!(
                "id:{}:{}:g={}:{}",
                self.namespace, self.doctype, g, specific
            ),
        }
    }
}

/// What a `/document/v1` path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/document/v1/` (visiting a whole cluster).
    Root,
    /// `.../docid/`, `.../group/{g}/`, `.../number/{n}/`.
    Visit(DocPath),
    /// A single document.
    Document(DocPath),
}

/// Why a path is not served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// 404 `Nothing at ...`.
    NotFound,
    /// 400 with a message (e.g. a number that does not parse).
    Bad(String),
}

/// The handler list of the 404 message, as the real handler prints it.
pub const AVAILABLE_PATHS: &str = "/document/v1/\n\
/document/v1/{namespace}/{documentType}/docid/\n\
/document/v1/{namespace}/{documentType}/group/{group}/\n\
/document/v1/{namespace}/{documentType}/number/{number}/\n\
/document/v1/{namespace}/{documentType}/docid/{*}\n\
/document/v1/{namespace}/{documentType}/group/{group}/{*}\n\
/document/v1/{namespace}/{documentType}/number/{number}/{*}";

/// Parses the raw (still percent-encoded) path of a `/document/v1` request.
pub fn parse_path(raw: &str) -> Result<Route, PathError> {
    let rest = raw
        .strip_prefix("/document/v1")
        .ok_or(PathError::NotFound)?;
    if rest.is_empty() || rest == "/" {
        return Ok(Route::Root);
    }
    let rest = rest.strip_prefix('/').ok_or(PathError::NotFound)?;
    let segments: Vec<&str> = rest.split('/').collect();
    if segments.len() < 3 {
        return Err(PathError::NotFound);
    }
    let namespace = decode(segments[0]);
    let doctype = decode(segments[1]);
    if namespace.is_empty() || doctype.is_empty() {
        return Err(PathError::NotFound);
    }
    let (modifier, tail) = match segments[2] {
        "docid" => (Modifier::None, &segments[3..]),
        "group" | "number" => {
            let Some(value) = segments.get(3) else {
                return Err(PathError::NotFound);
            };
            let value = decode(value);
            if value.is_empty() {
                return Err(PathError::NotFound);
            }
            let modifier = if segments[2] == "group" {
                Modifier::Group(value)
            } else {
                match value.parse::<u64>() {
                    Ok(n) => Modifier::Number(n),
                    Err(_) => {
                        return Err(PathError::Bad(format!(
                            "Failed parsing '{value}': For input string: \"{value}\""
                        )));
                    }
                }
            };
            (modifier, &segments[4..])
        }
        _ => return Err(PathError::NotFound),
    };
    let path = |specific| DocPath {
        namespace: namespace.clone(),
        doctype: doctype.clone(),
        modifier: modifier.clone(),
        specific,
    };
    // A trailing slash is optional on visit paths.
    if tail.is_empty() || tail == [""] {
        return Ok(Route::Visit(path(None)));
    }
    let specific: Vec<String> = tail.iter().map(|s| decode(s)).collect();
    Ok(Route::Document(path(Some(specific.join("/")))))
}

/// Percent-decodes one path segment; invalid escapes are kept as they are.
pub fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// The parts of a full id `id:<ns>:<type>:<modifiers>:<specific>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedId {
    pub namespace: String,
    pub doctype: String,
    pub modifier: Modifier,
    pub specific: String,
}

/// Parses a full document id (used by tests and the admin API).
pub fn parse_id(id: &str) -> Option<ParsedId> {
    let rest = id.strip_prefix("id:")?;
    let mut parts = rest.splitn(4, ':');
    let namespace = parts.next()?.to_string();
    let doctype = parts.next()?.to_string();
    let modifiers = parts.next()?;
    let specific = parts.next()?.to_string();
    let modifier = if modifiers.is_empty() {
        Modifier::None
    } else if let Some(n) = modifiers.strip_prefix("n=") {
        Modifier::Number(n.parse().ok()?)
    } else if let Some(g) = modifiers.strip_prefix("g=") {
        Modifier::Group(g.to_string())
    } else {
        return None;
    };
    Some(ParsedId {
        namespace,
        doctype,
        modifier,
        specific,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(raw: &str) -> DocPath {
        match parse_path(raw) {
            Ok(Route::Document(p)) => p,
            other => panic!("{raw}: {other:?}"),
        }
    }

    #[test]
    fn the_three_id_forms() {
        assert_eq!(
            doc("/document/v1/mynamespace/music/docid/a-head-full-of-dreams").id(),
            "id:mynamespace:music::a-head-full-of-dreams"
        );
        assert_eq!(
            doc("/document/v1/mynamespace/music/number/23/some_key").id(),
            "id:mynamespace:music:n=23:some_key"
        );
        assert_eq!(
            doc("/document/v1/mynamespace/music/group/mygroup/some_key").id(),
            "id:mynamespace:music:g=mygroup:some_key"
        );
    }

    #[test]
    fn segments_are_decoded_and_joined() {
        assert_eq!(
            doc("/document/v1/space/music/docid/one/two/three").id(),
            "id:space:music::one/two/three"
        );
        assert_eq!(
            doc("/document/v1/space/music/docid/one%2Ftwo%20x+y").id(),
            "id:space:music::one/two x+y"
        );
        // officectl escapes ids once and the path once more: the server sees the escaped id.
        assert_eq!(
            doc("/document/v1/office/email/group/a%253Ab/Projects%252FQ1").id(),
            "id:office:email:g=a%3Ab:Projects%2FQ1"
        );
        assert_eq!(decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn visit_paths_and_errors() {
        assert_eq!(parse_path("/document/v1/"), Ok(Route::Root));
        assert_eq!(parse_path("/document/v1"), Ok(Route::Root));
        assert!(matches!(
            parse_path("/document/v1/ns/music/docid"),
            Ok(Route::Visit(DocPath { specific: None, .. }))
        ));
        assert!(matches!(
            parse_path("/document/v1/ns/music/group/g1/"),
            Ok(Route::Visit(DocPath {
                modifier: Modifier::Group(_),
                ..
            }))
        ));
        assert_eq!(
            parse_path("/document/v1/not-found"),
            Err(PathError::NotFound)
        );
        assert_eq!(
            parse_path("/document/v1/ns/music/bogus/x"),
            Err(PathError::NotFound)
        );
        assert!(matches!(
            parse_path("/document/v1/ns/music/number/x/y"),
            Err(PathError::Bad(m)) if m.starts_with("Failed parsing 'x'")
        ));
    }

    #[test]
    fn full_ids_parse() {
        let id = parse_id("id:office:email:g=user-1:a:b").unwrap();
        assert_eq!(id.modifier, Modifier::Group("user-1".into()));
        assert_eq!(id.specific, "a:b");
        assert_eq!(
            parse_id("id:ns:t:n=7:x").unwrap().modifier,
            Modifier::Number(7)
        );
        assert!(parse_id("id:ns:t:q=7:x").is_none());
        assert!(parse_id("nope").is_none());
    }
}
