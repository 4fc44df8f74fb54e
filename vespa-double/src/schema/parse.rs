//! Reading `schemas/*.sd` (a tokenizer and a block parser for the parts the double needs) and
//! the content clusters of `services.xml`.

use super::*;

/// A `document` block as read, before inheritance is resolved.
#[derive(Debug, Default)]
pub(super) struct RawType {
    pub(super) name: String,
    pub(super) inherits: Vec<String>,
    pub(super) fields: Vec<(String, Field)>,
    pub(super) structs: Vec<RawStruct>,
    /// The document's own `fieldset default`, if any.
    pub(super) default_fieldset: Vec<String>,
}

/// A `struct` block of a document.
#[derive(Debug, Default)]
pub(super) struct RawStruct {
    pub(super) name: String,
    pub(super) fields: Vec<(String, Field)>,
}

/// A `schema` block as read.
#[derive(Debug, Default)]
pub(super) struct RawSchema {
    pub(super) name: String,
    /// The file it was read from, without `.sd`.
    pub(super) file: Option<String>,
    pub(super) inherits: Vec<String>,
    /// Names of the documents declared in it.
    pub(super) documents: Vec<String>,
    /// Fields declared outside the document (`field x type … { indexing: input y | … }`).
    pub(super) extra_fields: Vec<(String, Field)>,
    /// Fieldsets of the schema and of its document: name, fields, declared in the document.
    pub(super) fieldsets: Vec<(String, Vec<String>, bool)>,
    /// Rank profiles and the profiles they inherit.
    pub(super) rank_profiles: Vec<(String, Vec<String>)>,
}

/// What one `.sd` file declares.
#[derive(Debug, Default)]
pub(super) struct Parsed {
    pub(super) schemas: Vec<RawSchema>,
    pub(super) types: Vec<RawType>,
}

/// Splits `.sd` text into words and the punctuation `{ } : ,`; `#` starts a comment. Inside
/// parentheses (tensor types such as `tensor<float>(x{})`) punctuation is part of the word.
pub(super) fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut parens = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if parens > 0 {
            word.push(c);
            match c {
                '(' => parens += 1,
                ')' => parens -= 1,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                flush(&mut word, &mut tokens);
            }
            '"' => {
                flush(&mut word, &mut tokens);
                let mut s = String::from("\"");
                for c in chars.by_ref() {
                    s.push(c);
                    if c == '"' {
                        break;
                    }
                }
                tokens.push(s);
            }
            '{' | '}' | ':' | ',' => {
                flush(&mut word, &mut tokens);
                tokens.push(c.to_string());
            }
            '(' => {
                parens += 1;
                word.push(c);
            }
            c if c.is_whitespace() => flush(&mut word, &mut tokens),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut tokens);
    tokens
}

pub(super) fn flush(word: &mut String, tokens: &mut Vec<String>) {
    if !word.is_empty() {
        tokens.push(std::mem::take(word));
    }
}

#[derive(Debug, PartialEq)]
pub(super) enum Block {
    Schema,
    Document,
    Struct,
    Other,
}

/// `name [inherits a, b] {`: the names after `inherits` up to the `{` at or after `j`, and the
/// index of that `{`.
pub(super) fn inherits_list(tokens: &[String], mut j: usize) -> (Vec<String>, usize) {
    let mut inherits = Vec::new();
    if tokens.get(j).map(String::as_str) == Some("inherits") {
        j += 1;
        while let Some(t) = tokens.get(j) {
            match t.as_str() {
                "{" => break,
                "," => {}
                t => inherits.push(t.to_string()),
            }
            j += 1;
        }
    }
    (inherits, j)
}

/// `field NAME type TYPE [{ … }]` at `i`: the name, the field, and the index after it.
pub(super) fn read_field(tokens: &[String], i: usize) -> Result<(String, Field, usize), String> {
    let at = |i: usize| tokens.get(i).map(String::as_str);
    let name = at(i + 1).ok_or("field without a name")?.to_string();
    if at(i + 2) != Some("type") {
        return Err(format!("field '{name}': expected 'type'"));
    }
    let mut ty = String::new();
    let mut j = i + 3;
    while let Some(t) = at(j) {
        if t == "{" || t == "}" || t == "field" {
            break;
        }
        ty.push_str(t);
        j += 1;
    }
    let mut field = Field { ty, indexed: false };
    if at(j) == Some("{") {
        // Read the field body for `index`.
        let mut depth = 0;
        while let Some(t) = at(j) {
            match t {
                "{" => depth += 1,
                "}" => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                "index" => field.indexed = true,
                _ => {}
            }
            j += 1;
        }
        j += 1;
    }
    Ok((name, field, j))
}

pub(super) fn parse_sd(text: &str) -> Result<Parsed, String> {
    let tokens = tokenize(text);
    let mut out = Parsed::default();
    let mut stack: Vec<Block> = Vec::new();
    // The schema, document and struct being read (indexes into `out`).
    let mut schema: Option<usize> = None;
    let mut current: Option<usize> = None;
    let mut strukt: Option<usize> = None;
    let mut i = 0;
    let at = |i: usize| tokens.get(i).map(String::as_str);
    while i < tokens.len() {
        let tok = tokens[i].as_str();
        let top = stack.last();
        let schema_name = schema
            .map_or("", |s| out.schemas[s].name.as_str())
            .to_string();
        match tok {
            "}" => {
                match stack.pop() {
                    Some(Block::Schema) => schema = None,
                    Some(Block::Document) => current = None,
                    Some(Block::Struct) => strukt = None,
                    _ => {}
                }
                i += 1;
            }
            "schema" | "search" if stack.is_empty() => {
                let name = at(i + 1).ok_or("schema without a name")?.to_string();
                let (inherits, j) = inherits_list(&tokens, i + 2);
                i = skip_to_open(&tokens, j)?;
                out.schemas.push(RawSchema {
                    name,
                    inherits,
                    ..RawSchema::default()
                });
                schema = Some(out.schemas.len() - 1);
                stack.push(Block::Schema);
            }
            "document" if matches!(top, None | Some(Block::Schema)) => {
                let name = at(i + 1).ok_or("document without a name")?.to_string();
                let (inherits, j) = inherits_list(&tokens, i + 2);
                i = skip_to_open(&tokens, j)?;
                if let Some(s) = schema {
                    out.schemas[s].documents.push(name.clone());
                }
                out.types.push(RawType {
                    name,
                    inherits,
                    ..RawType::default()
                });
                current = Some(out.types.len() - 1);
                stack.push(Block::Document);
            }
            "struct" if top == Some(&Block::Document) => {
                let name = at(i + 1).ok_or("struct without a name")?.to_string();
                i = skip_to_open(&tokens, i + 2)?;
                if let Some(c) = current {
                    out.types[c].structs.push(RawStruct {
                        name,
                        fields: Vec::new(),
                    });
                    strukt = Some(out.types[c].structs.len() - 1);
                }
                stack.push(Block::Struct);
            }
            "field" if matches!(top, Some(Block::Document | Block::Struct | Block::Schema)) => {
                let (name, field, j) = read_field(&tokens, i)?;
                check_field_name(&name, &schema_name)?;
                match (top, current, strukt, schema) {
                    (Some(Block::Document), Some(c), _, _) => {
                        out.types[c].fields.push((name, field))
                    }
                    (Some(Block::Struct), Some(c), Some(st), _) => {
                        out.types[c].structs[st].fields.push((name, field));
                    }
                    (Some(Block::Schema), _, _, Some(s)) => {
                        out.schemas[s].extra_fields.push((name, field));
                    }
                    _ => {}
                }
                i = j;
            }
            "fieldset" if matches!(top, Some(Block::Schema | Block::Document)) => {
                let name = at(i + 1).unwrap_or_default().to_string();
                let mut j = skip_to_open(&tokens, i)?;
                let mut fields = Vec::new();
                let mut in_fields = false;
                while let Some(t) = at(j) {
                    match t {
                        "}" => break,
                        "fields" => in_fields = true,
                        ":" | "," => {}
                        t if in_fields && !t.contains(':') => fields.push(t.to_string()),
                        _ => {}
                    }
                    j += 1;
                }
                let in_document = top == Some(&Block::Document);
                if name == "default"
                    && in_document
                    && let Some(c) = current
                {
                    out.types[c].default_fieldset = fields.clone();
                }
                if let Some(s) = schema {
                    out.schemas[s].fieldsets.push((name, fields, in_document));
                }
                i = j + 1;
            }
            "rank-profile" if top == Some(&Block::Schema) => {
                let name = at(i + 1).ok_or("rank-profile without a name")?.to_string();
                let (inherits, j) = inherits_list(&tokens, i + 2);
                i = skip_to_open(&tokens, j)?;
                if let Some(s) = schema {
                    out.schemas[s].rank_profiles.push((name, inherits));
                }
                stack.push(Block::Other);
            }
            "{" => {
                stack.push(Block::Other);
                i += 1;
            }
            // `document-summary x {`, `onnx-model m {`, …: the words are skipped and the "{" arm
            // above keeps the nesting.
            _ => i += 1,
        }
    }
    if !stack.is_empty() {
        return Err("unbalanced braces in schema".to_string());
    }
    Ok(out)
}

pub(super) fn skip_to_open(tokens: &[String], mut i: usize) -> Result<usize, String> {
    while i < tokens.len() {
        if tokens[i] == "{" {
            return Ok(i + 1);
        }
        i += 1;
    }
    Err("expected '{'".to_string())
}

/// `<content id="..">` blocks and their `<document type=".." mode=".." global="..">` children;
/// a `mode` or `global` value that Vespa's XML schema for services.xml does not allow is refused
/// with the start of its message.
pub(super) fn parse_services(xml: &str) -> Result<Vec<Cluster>, String> {
    let mut clusters = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<content") {
        let after = &rest[start..];
        let end = after.find("</content>").unwrap_or(after.len());
        let block = &after[..end];
        let tag_end = block.find('>').unwrap_or(block.len());
        let name = attr(&block[..tag_end], "id").unwrap_or_else(|| "content".to_string());
        let mut types = BTreeMap::new();
        let mut global = HashSet::new();
        let mut docs = block;
        while let Some(d) = docs.find("<document ") {
            let tag = &docs[d..];
            let close = tag.find('>').unwrap_or(tag.len());
            let tag = &tag[..close];
            if let Some(t) = attr(tag, "type") {
                let mode = attr(tag, "mode").unwrap_or_else(|| "index".to_string());
                if !["index", "store-only", "streaming"].contains(&mode.as_str()) {
                    return Err(format!(
                        "Invalid XML according to XML schema, error in services.xml: value of attribute \"mode\" is invalid; must be equal to \"index\", \"store-only\" or \"streaming\" (document type '{t}' has \"{mode}\")"
                    ));
                }
                match attr(tag, "global").as_deref() {
                    Some("true") => {
                        global.insert(t.clone());
                    }
                    None | Some("false") => {}
                    Some(other) => {
                        return Err(format!(
                            "Invalid XML according to XML schema, error in services.xml: value of attribute \"global\" is invalid; must be a boolean (document type '{t}' has \"{other}\")"
                        ));
                    }
                }
                types.insert(t, mode);
            }
            docs = &docs[d + 10..];
        }
        clusters.push(Cluster {
            name,
            types,
            global,
        });
        rest = &after[end.min(after.len())..];
        if end == after.len() {
            break;
        }
    }
    Ok(clusters)
}

pub(super) fn attr(tag: &str, name: &str) -> Option<String> {
    for quote in ['"', '\''] {
        let needle = format!(" {name}={quote}");
        if let Some(p) = tag.find(&needle) {
            let v = &tag[p + needle.len()..];
            return v.find(quote).map(|e| v[..e].to_string());
        }
    }
    None
}
