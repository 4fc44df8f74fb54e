//! A minimal reader of a Vespa application package: document types, their fields and
//! inheritance from `schemas/*.sd`, and the content clusters from `services.xml`.
//!
//! Only what the double needs is read: enough to answer Vespa's 400s for unknown document types
//! and fields, to know which fields are tokenized (`indexing: ... index`) for `/search/`, the
//! `default` fieldset, and which types a cluster holds (visiting, reindexing). Without an
//! application package the double is *open*: every type and field is accepted, in one cluster.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// One document field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The type as written, without spaces: `string`, `array<string>`, `map<string,int>`.
    pub ty: String,
    /// `indexing: ... index`: tokenized text matching in `/search/`.
    pub indexed: bool,
}

impl Field {
    /// Integer types (`int`, `long`, `byte`): arithmetic keeps integers.
    pub fn is_integer(&self) -> bool {
        matches!(self.ty.as_str(), "int" | "long" | "byte")
    }

    pub fn is_float(&self) -> bool {
        matches!(self.ty.as_str(), "double" | "float")
    }
}

/// A document type with its inherited fields resolved.
#[derive(Debug, Clone, Default)]
pub struct DocType {
    pub name: String,
    /// Direct parents.
    pub inherits: Vec<String>,
    /// Own and inherited fields.
    pub fields: HashMap<String, Field>,
    /// `fieldset default { fields: ... }`, if the schema has one.
    pub default_fieldset: Vec<String>,
    /// This type and all its ancestors (for `isA` in document selections).
    pub ancestors: HashSet<String>,
}

/// A content cluster and its document types.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub name: String,
    /// Type name → mode (`index`, `streaming`, `store-only`).
    pub types: BTreeMap<String, String>,
    /// Types in the global bucket space.
    pub global: HashSet<String>,
}

/// The loaded application package, or an open one.
#[derive(Debug, Clone)]
pub struct Schema {
    /// `None` when the double runs without an application package: anything goes.
    pub types: Option<HashMap<String, DocType>>,
    pub clusters: Vec<Cluster>,
}

impl Schema {
    /// No application package: one cluster named `cluster`, every type and field accepted.
    pub fn open(cluster: &str) -> Schema {
        Schema {
            types: None,
            clusters: vec![Cluster {
                name: cluster.to_string(),
                types: BTreeMap::new(),
                global: HashSet::new(),
            }],
        }
    }

    /// Reads `services.xml` and `schemas/*.sd` (or `searchdefinitions/*.sd`) under `dir`.
    pub fn load(dir: &Path) -> Result<Schema, String> {
        let mut sources = Vec::new();
        for sub in ["schemas", "searchdefinitions"] {
            let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "sd") {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("reading {}: {e}", path.display()))?;
                    sources.push(text);
                }
            }
        }
        if sources.is_empty() {
            return Err(format!("no schemas/*.sd under {}", dir.display()));
        }
        let services = dir.join("services.xml");
        let services = std::fs::read_to_string(&services)
            .map_err(|e| format!("reading {}: {e}", services.display()))?;
        let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
        Schema::from_sources(&refs, &services)
    }

    /// Builds the schema from `.sd` texts and a `services.xml` text.
    pub fn from_sources(sd: &[&str], services_xml: &str) -> Result<Schema, String> {
        let mut raw: HashMap<String, RawType> = HashMap::new();
        for text in sd {
            for t in parse_sd(text)? {
                raw.insert(t.name.clone(), t);
            }
        }
        let mut types = HashMap::new();
        for name in raw.keys() {
            let mut fields = HashMap::new();
            let mut ancestors = HashSet::new();
            collect(name, &raw, &mut fields, &mut ancestors, 0)?;
            let t = &raw[name];
            types.insert(
                name.clone(),
                DocType {
                    name: name.clone(),
                    inherits: t.inherits.clone(),
                    fields,
                    default_fieldset: t.default_fieldset.clone(),
                    ancestors,
                },
            );
        }
        let clusters = parse_services(services_xml);
        for c in &clusters {
            for t in c.types.keys() {
                if !types.contains_key(t) {
                    return Err(format!(
                        "services.xml: content cluster '{}' names document type '{t}', which no schema defines",
                        c.name
                    ));
                }
            }
        }
        Ok(Schema {
            types: Some(types),
            clusters,
        })
    }

    pub fn is_open(&self) -> bool {
        self.types.is_none()
    }

    /// The type, if the package defines it; `Ok(None)` in open mode.
    pub fn doctype(&self, name: &str) -> Result<Option<&DocType>, String> {
        match &self.types {
            None => Ok(None),
            Some(types) => match types.get(name) {
                Some(t) if self.cluster_of(name).is_some() => Ok(Some(t)),
                _ => Err(format!("Document type {name} does not exist")),
            },
        }
    }

    /// The cluster holding `doctype` (in open mode: the only cluster).
    pub fn cluster_of(&self, doctype: &str) -> Option<&Cluster> {
        if self.is_open() {
            return self.clusters.first();
        }
        self.clusters.iter().find(|c| c.types.contains_key(doctype))
    }

    pub fn cluster(&self, name: &str) -> Option<&Cluster> {
        self.clusters.iter().find(|c| c.name == name)
    }

    /// `'a', 'b'` as in Vespa's cluster messages.
    pub fn cluster_names(&self) -> String {
        self.clusters
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join("', '")
    }

    /// Whether a document of type `actual` is a `wanted` (same type or inherits it).
    pub fn is_a(&self, actual: &str, wanted: &str) -> bool {
        if actual == wanted {
            return true;
        }
        match &self.types {
            Some(types) => types
                .get(actual)
                .is_some_and(|t| t.ancestors.contains(wanted)),
            None => false,
        }
    }

    /// Whether any type of the package is called `name` (selections: a bare name is a type).
    pub fn has_type(&self, name: &str) -> bool {
        match &self.types {
            Some(types) => types.contains_key(name),
            None => true,
        }
    }

    /// The field of a type, `None` if unknown or in open mode.
    pub fn field(&self, doctype: &str, field: &str) -> Option<&Field> {
        self.types.as_ref()?.get(doctype)?.fields.get(field)
    }
}

fn collect(
    name: &str,
    raw: &HashMap<String, RawType>,
    fields: &mut HashMap<String, Field>,
    ancestors: &mut HashSet<String>,
    depth: usize,
) -> Result<(), String> {
    if depth > 32 {
        return Err(format!("document type inheritance cycle at '{name}'"));
    }
    if name == "document" {
        // Vespa's root document type has no fields.
        return Ok(());
    }
    let t = raw
        .get(name)
        .ok_or_else(|| format!("document type '{name}' is inherited but not defined"))?;
    ancestors.insert(name.to_string());
    for parent in &t.inherits {
        collect(parent, raw, fields, ancestors, depth + 1)?;
    }
    for (f, field) in &t.fields {
        fields.insert(f.clone(), field.clone());
    }
    Ok(())
}

#[derive(Debug, Default)]
struct RawType {
    name: String,
    inherits: Vec<String>,
    fields: Vec<(String, Field)>,
    default_fieldset: Vec<String>,
}

/// Splits `.sd` text into words and the punctuation `{ } : ,`; `#` starts a comment. Inside
/// parentheses (tensor types such as `tensor<float>(x{})`) punctuation is part of the word.
fn tokenize(text: &str) -> Vec<String> {
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

fn flush(word: &mut String, tokens: &mut Vec<String>) {
    if !word.is_empty() {
        tokens.push(std::mem::take(word));
    }
}

#[derive(Debug, PartialEq)]
enum Block {
    Schema,
    Document,
    Other,
}

fn parse_sd(text: &str) -> Result<Vec<RawType>, String> {
    let tokens = tokenize(text);
    let mut out: Vec<RawType> = Vec::new();
    let mut stack: Vec<Block> = Vec::new();
    // Index in `out` of the document being read, and fieldsets seen at schema level.
    let mut current: Option<usize> = None;
    let mut schema_default_fieldset: Vec<String> = Vec::new();
    let mut schema_docs: Vec<usize> = Vec::new();
    let mut i = 0;
    let at = |i: usize| tokens.get(i).map(String::as_str);
    while i < tokens.len() {
        let tok = tokens[i].as_str();
        let top = stack.last();
        match tok {
            "}" => {
                if stack.pop() == Some(Block::Schema) {
                    for &d in &schema_docs {
                        if out[d].default_fieldset.is_empty() {
                            out[d].default_fieldset = schema_default_fieldset.clone();
                        }
                    }
                    schema_docs.clear();
                    schema_default_fieldset.clear();
                }
                i += 1;
            }
            "schema" | "search" if stack.is_empty() => {
                i = skip_to_open(&tokens, i)?;
                stack.push(Block::Schema);
            }
            "document" if matches!(top, None | Some(Block::Schema)) => {
                let name = at(i + 1).ok_or("document without a name")?.to_string();
                let mut inherits = Vec::new();
                let mut j = i + 2;
                if at(j) == Some("inherits") {
                    j += 1;
                    while let Some(t) = at(j) {
                        match t {
                            "{" => break,
                            "," => {}
                            t => inherits.push(t.to_string()),
                        }
                        j += 1;
                    }
                }
                i = skip_to_open(&tokens, j)?;
                out.push(RawType {
                    name,
                    inherits,
                    ..RawType::default()
                });
                current = Some(out.len() - 1);
                if top == Some(&Block::Schema) {
                    schema_docs.push(out.len() - 1);
                }
                stack.push(Block::Document);
            }
            "field" if top == Some(&Block::Document) => {
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
                if let Some(c) = current {
                    out[c].fields.push((name, field));
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
                if name == "default" {
                    match (top, current) {
                        (Some(Block::Document), Some(c)) => out[c].default_fieldset = fields,
                        _ => schema_default_fieldset = fields,
                    }
                }
                i = j + 1;
            }
            "{" => {
                stack.push(Block::Other);
                i += 1;
            }
            // `rank-profile x {`, `struct s {`, `field x type y {` outside documents, ...: the
            // words are skipped and the "{" arm above keeps the nesting.
            _ => i += 1,
        }
    }
    if !stack.is_empty() {
        return Err("unbalanced braces in schema".to_string());
    }
    Ok(out)
}

fn skip_to_open(tokens: &[String], mut i: usize) -> Result<usize, String> {
    while i < tokens.len() {
        if tokens[i] == "{" {
            return Ok(i + 1);
        }
        i += 1;
    }
    Err("expected '{'".to_string())
}

/// `<content id="..">` blocks and their `<document type=".." mode=".." global="..">` children.
fn parse_services(xml: &str) -> Vec<Cluster> {
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
                if attr(tag, "global").as_deref() == Some("true") {
                    global.insert(t.clone());
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
    clusters
}

fn attr(tag: &str, name: &str) -> Option<String> {
    for quote in ['"', '\''] {
        let needle = format!(" {name}={quote}");
        if let Some(p) = tag.find(&needle) {
            let v = &tag[p + needle.len()..];
            return v.find(quote).map(|e| v[..e].to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "# comment\nschema items {\n document items {\n  field title type string { indexing: summary | index }\n  field tenant type string { indexing: summary | attribute\n attribute: fast-search }\n  field n type long { indexing: summary | attribute }\n }\n rank-profile items_base { first-phase { expression: nativeRank(title) } }\n}\n";
    const ARTICLE: &str = "schema article inherits items {\n document article inherits items {\n  field body type string { indexing: summary | index }\n  field tags type array<string> { indexing: summary | attribute }\n  field emb type tensor<float>(x{}) { indexing: attribute }\n  struct s { field inner type string {} }\n }\n field synthetic type string { indexing: input title | attribute }\n fieldset default { fields: title, body }\n}\n";
    const SERVICES: &str = r#"<services><container id="c"/><content id="db" version="1.0"><documents>
        <document type="article" mode="streaming"/><document type='items' mode="index" global="true"/></documents></content></services>"#;

    #[test]
    fn reads_types_fields_inheritance_and_clusters() {
        let s = Schema::from_sources(&[BASE, ARTICLE], SERVICES).unwrap();
        let a = s.doctype("article").unwrap().unwrap();
        assert_eq!(a.inherits, vec!["items"]);
        assert!(a.fields["title"].indexed);
        assert!(!a.fields["tenant"].indexed);
        assert_eq!(a.fields["tags"].ty, "array<string>");
        assert_eq!(a.fields["emb"].ty, "tensor<float>(x{})");
        assert!(!a.fields.contains_key("inner"));
        assert!(!a.fields.contains_key("synthetic"));
        assert_eq!(a.default_fieldset, vec!["title", "body"]);
        assert!(s.is_a("article", "items"));
        assert!(!s.is_a("items", "article"));
        assert_eq!(s.clusters.len(), 1);
        assert_eq!(s.clusters[0].name, "db");
        assert_eq!(s.clusters[0].types["article"], "streaming");
        assert!(s.clusters[0].global.contains("items"));
        assert_eq!(
            s.doctype("house").unwrap_err(),
            "Document type house does not exist"
        );
    }

    #[test]
    fn the_committed_application_package_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vespa/app");
        let s = Schema::load(&dir).unwrap();
        let email = s.doctype("email").unwrap().unwrap();
        assert!(email.fields.contains_key("user_id"));
        assert!(email.fields.contains_key("from_address"));
        assert_eq!(email.default_fieldset, vec!["title", "text"]);
        assert_eq!(s.clusters[0].name, "office");
        assert_eq!(s.clusters[0].types.len(), 9);
        // office_base is a document type, but no cluster stores it.
        assert!(s.doctype("office_base").is_err());
    }

    #[test]
    fn unbalanced_schema_is_an_error() {
        assert!(Schema::from_sources(&["schema x { document x {"], SERVICES).is_err());
    }
}
