//! A minimal reader of a Vespa application package: document types, their fields and
//! inheritance from `schemas/*.sd`, and the content clusters from `services.xml`.
//!
//! Only what the double needs is read: enough to answer Vespa's 400s for unknown document types
//! and fields, to know which fields are tokenized (`indexing: ... index`) for `/search/`, the
//! `default` fieldset, and which types a cluster holds (visiting, reindexing). Without an
//! application package the double is *open*: every type and field is accepted, in one cluster.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// The names Vespa refuses, shared with officectl: the same file as its
/// `model::vespa::names`, so the generator and the double cannot disagree.
#[path = "../../src/model/vespa/names.rs"]
pub mod names;

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

    /// Reads `services.xml` and `schemas/*.sd` (or `searchdefinitions/*.sd`) under `dir`, and
    /// refuses a package Vespa's config model refuses (see [`Schema::from_named_sources`]).
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
                    let stem = path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    sources.push((stem, text));
                }
            }
        }
        if sources.is_empty() {
            return Err(format!("no schemas/*.sd under {}", dir.display()));
        }
        // A stable order, so the first problem reported does not depend on the directory.
        sources.sort();
        let services = dir.join("services.xml");
        let services = std::fs::read_to_string(&services)
            .map_err(|e| format!("reading {}: {e}", services.display()))?;
        let refs: Vec<(Option<&str>, &str)> = sources
            .iter()
            .map(|(stem, text)| (Some(stem.as_str()), text.as_str()))
            .collect();
        Schema::from_named_sources(&refs, &services)
            .map_err(|e| format!("application package {}: {e}", dir.display()))
    }

    /// Builds the schema from `.sd` texts and a `services.xml` text (no file names to check).
    pub fn from_sources(sd: &[&str], services_xml: &str) -> Result<Schema, String> {
        let named: Vec<(Option<&str>, &str)> = sd.iter().map(|text| (None, *text)).collect();
        Schema::from_named_sources(&named, services_xml)
    }

    /// Builds the schema from `.sd` texts, each with the name of its file without `.sd` when it
    /// came from one, and a `services.xml` text.
    ///
    /// The package is refused, with the config model's message, for the mistakes Vespa's
    /// config model (8.700.24) refuses that matter to what the double reads: a reserved or
    /// illegal field name ([`names`]), a field twice in a document or struct (ignoring case), an
    /// inherited field redeclared with another type, an unknown field type, a fieldset naming a
    /// field that does not exist, a schema in a file of another name or without the document of
    /// its name, a schema twice, a reserved document name, a document or rank profile inheriting
    /// one that does not exist, and in `services.xml` a document `mode` or `global` value its
    /// XML schema does not allow. `tests/it/vespa_model_check.rs` checks each against the
    /// config model itself.
    pub fn from_named_sources(
        sd: &[(Option<&str>, &str)],
        services_xml: &str,
    ) -> Result<Schema, String> {
        let mut schemas: Vec<RawSchema> = Vec::new();
        let mut raw: HashMap<String, RawType> = HashMap::new();
        for (file, text) in sd {
            let parsed = parse_sd(text).map_err(|e| match file {
                Some(f) => format!("Failed parsing schema from '{f}.sd': {e}"),
                None => e,
            })?;
            for mut schema in parsed.schemas {
                if let Some(file) = file {
                    if *file != schema.name {
                        return Err(format!(
                            "The file containing schema '{0}' must be named '{0}.sd', but is '{file}.sd'",
                            schema.name
                        ));
                    }
                    schema.file = Some(file.to_string());
                }
                if schemas.iter().any(|s| s.name == schema.name) {
                    return Err(format!("Duplicate schemas named {}", schema.name));
                }
                schemas.push(schema);
            }
            for t in parsed.types {
                if raw.contains_key(&t.name) {
                    return Err(format!("Duplicate document types named {}", t.name));
                }
                raw.insert(t.name.clone(), t);
            }
        }
        for schema in &schemas {
            check_schema(schema, &raw)?;
        }
        let mut types = HashMap::new();
        for name in raw.keys() {
            let mut fields = HashMap::new();
            let mut ancestors = HashSet::new();
            collect(name, &raw, &mut fields, &mut ancestors, 0)?;
            check_types(name, &raw, &ancestors)?;
            let t = &raw[name];
            let schema = schemas.iter().find(|s| s.documents.contains(name));
            let default_fieldset = if t.default_fieldset.is_empty() {
                schema
                    .and_then(|s| s.fieldsets.iter().find(|(n, _, _)| n == "default"))
                    .map(|(_, fields, _)| fields.clone())
                    .unwrap_or_default()
            } else {
                t.default_fieldset.clone()
            };
            types.insert(
                name.clone(),
                DocType {
                    name: name.clone(),
                    inherits: t.inherits.clone(),
                    fields,
                    default_fieldset,
                    ancestors,
                },
            );
        }
        for schema in &schemas {
            check_fieldsets(schema, &schemas, &types)?;
            check_rank_profiles(schema, &schemas)?;
        }
        let clusters = parse_services(services_xml)?;
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
    let t = &raw[name];
    ancestors.insert(name.to_string());
    for parent in &t.inherits {
        if parent != "document" && !raw.contains_key(parent) {
            return Err(format!(
                "document {name} inherits from unavailable document {parent}"
            ));
        }
        collect(parent, raw, fields, ancestors, depth + 1)?;
    }
    for (f, field) in &t.fields {
        // Vespa lets a type redeclare an inherited field only with the same type.
        if let Some(inherited) = fields.get(f)
            && inherited.ty != field.ty
        {
            let parent = t
                .inherits
                .iter()
                .find(|p| {
                    raw.get(*p)
                        .is_some_and(|p| p.fields.iter().any(|(n, _)| n == f))
                })
                .map_or("?", String::as_str);
            return Err(format!(
                "Inheritance type mismatch: field \"{f}\" in datatype \"{name}\" must have same datatype as in parent document type \"{parent}\""
            ));
        }
        fields.insert(f.clone(), field.clone());
    }
    Ok(())
}

/// Field types Vespa's schema parser knows by name (`com.yahoo.schema.parser.ParsedType`);
/// besides these: `tensor…`, `array<T>`, `weightedset<T>`, `map<K,V>`, `reference<doc>`,
/// `annotationreference<a>` and the structs a document (or one it inherits) declares.
const BUILTIN_TYPES: &[&str] = &[
    "bool",
    "byte",
    "int",
    "long",
    "string",
    "float",
    "double",
    "uri",
    "predicate",
    "raw",
    "tag",
    "position",
    "float16",
];

/// The first type name in `ty` (as written, without spaces) that is neither built in nor one of
/// `structs`.
fn unknown_type<'a>(ty: &'a str, structs: &HashSet<&str>) -> Option<&'a str> {
    let inner = |prefix: &str| {
        ty.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix('>'))
    };
    if ty.starts_with("tensor")
        || inner("reference<").is_some()
        || inner("annotationreference<").is_some()
    {
        return None;
    }
    if let Some(element) = inner("array<").or_else(|| inner("weightedset<")) {
        return unknown_type(element, structs);
    }
    if let Some(pair) = inner("map<") {
        // Split at the comma outside any nested `<…>`.
        let mut depth = 0usize;
        for (i, c) in pair.char_indices() {
            match c {
                '<' => depth += 1,
                '>' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    return unknown_type(&pair[..i], structs)
                        .or_else(|| unknown_type(&pair[i + 1..], structs));
                }
                _ => {}
            }
        }
        return Some(ty);
    }
    (!BUILTIN_TYPES.contains(&ty) && !structs.contains(ty)).then_some(ty)
}

/// Every field of `name` and of its structs has a type Vespa knows.
fn check_types(
    name: &str,
    raw: &HashMap<String, RawType>,
    ancestors: &HashSet<String>,
) -> Result<(), String> {
    let structs: HashSet<&str> = ancestors
        .iter()
        .filter_map(|a| raw.get(a))
        .flat_map(|t| t.structs.iter().map(|s| s.name.as_str()))
        .collect();
    let t = &raw[name];
    let own = t.fields.iter();
    let in_structs = t.structs.iter().flat_map(|s| s.fields.iter());
    for (_, field) in own.chain(in_structs) {
        if let Some(unknown) = unknown_type(&field.ty, &structs) {
            return Err(format!(
                "unknown type named '{unknown}' in context document '{name}'"
            ));
        }
    }
    Ok(())
}

/// A field's name: not reserved ([`names`]), legal, as the config model checks them.
fn check_field_name(name: &str, schema: &str) -> Result<(), String> {
    if names::is_reserved_field_name(name) {
        return Err(format!(
            "Reserved name '{name}' cannot be used as a field name."
        ));
    }
    if !names::is_legal_field_name(name) {
        return Err(format!(
            "For schema '{schema}', field '{name}':  Not a legal field name. Legal expression: [a-zA-Z]\\w*"
        ));
    }
    Ok(())
}

/// No two fields of one document or struct whose names differ only in case.
fn check_duplicates(fields: &[(String, Field)], owner: &str, document: bool) -> Result<(), String> {
    for (i, (name, _)) in fields.iter().enumerate() {
        if fields[..i]
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            let prefix = if document {
                format!("document '{owner}' error: ")
            } else {
                String::new()
            };
            return Err(format!(
                "{prefix}Duplicate (case insensitively) field '{name}' in document type '{owner}'"
            ));
        }
    }
    Ok(())
}

/// A schema's own rules: a legal, unreserved name with the document of that name in it, and no
/// field twice in its document or structs.
fn check_schema(schema: &RawSchema, raw: &HashMap<String, RawType>) -> Result<(), String> {
    for name in std::iter::once(&schema.name).chain(&schema.documents) {
        if !is_identifier(name) {
            return Err(format!("'{name}' is not a legal schema or document name"));
        }
    }
    if names::is_reserved_document_name(&schema.name) {
        return Err(format!(
            "For schema '{0}': Document name '{0}' is reserved.",
            schema.name
        ));
    }
    if !schema.documents.contains(&schema.name) {
        return Err(format!(
            "For schema '{}': A search specification must have an equally named document inside of it.",
            schema.name
        ));
    }
    for doc in &schema.documents {
        if let Some(t) = raw.get(doc) {
            check_duplicates(&t.fields, doc, true)?;
            for s in &t.structs {
                check_duplicates(&s.fields, &s.name, false)?;
            }
        }
    }
    Ok(())
}

/// `[a-zA-Z_][a-zA-Z_0-9]*`: what the schema parser takes as a schema or document name.
fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Every field a fieldset names exists: in the schema's document (inherited ones included) or
/// among the fields the schema (or one it inherits) declares outside the document.
fn check_fieldsets(
    schema: &RawSchema,
    schemas: &[RawSchema],
    types: &HashMap<String, DocType>,
) -> Result<(), String> {
    let document = types.get(&schema.name);
    let lineage = schema_lineage(schema, schemas);
    for (fieldset, fields, _) in &schema.fieldsets {
        for field in fields {
            let known = document.is_some_and(|d| d.fields.contains_key(field))
                || lineage
                    .iter()
                    .any(|s| s.extra_fields.iter().any(|(n, _)| n == field));
            if !known {
                return Err(format!(
                    "For schema '{}': Field '{field}' in fieldset '{fieldset}' does not exist.",
                    schema.name
                ));
            }
        }
    }
    Ok(())
}

/// A rank profile inherits only profiles of its schema, of the schemas it inherits, or the
/// built-in `default` and `unranked`.
fn check_rank_profiles(schema: &RawSchema, schemas: &[RawSchema]) -> Result<(), String> {
    let lineage = schema_lineage(schema, schemas);
    for (profile, parents) in &schema.rank_profiles {
        for parent in parents {
            let known = parent == "default"
                || parent == "unranked"
                || lineage
                    .iter()
                    .any(|s| s.rank_profiles.iter().any(|(n, _)| n == parent));
            if !known {
                return Err(format!(
                    "rank-profile '{profile}' inherits '{parent}', but this is not found in schema '{}'",
                    schema.name
                ));
            }
        }
    }
    Ok(())
}

/// The schema and every schema it inherits, transitively (cycles stop).
fn schema_lineage<'a>(schema: &'a RawSchema, schemas: &'a [RawSchema]) -> Vec<&'a RawSchema> {
    let mut out = vec![schema];
    let mut i = 0;
    while i < out.len() {
        for parent in &out[i].inherits {
            if let Some(p) = schemas.iter().find(|s| &s.name == parent)
                && !out.iter().any(|s| s.name == p.name)
            {
                out.push(p);
            }
        }
        i += 1;
    }
    out
}

/// A `document` block as read, before inheritance is resolved.
#[derive(Debug, Default)]
struct RawType {
    name: String,
    inherits: Vec<String>,
    fields: Vec<(String, Field)>,
    structs: Vec<RawStruct>,
    /// The document's own `fieldset default`, if any.
    default_fieldset: Vec<String>,
}

/// A `struct` block of a document.
#[derive(Debug, Default)]
struct RawStruct {
    name: String,
    fields: Vec<(String, Field)>,
}

/// A `schema` block as read.
#[derive(Debug, Default)]
struct RawSchema {
    name: String,
    /// The file it was read from, without `.sd`.
    file: Option<String>,
    inherits: Vec<String>,
    /// Names of the documents declared in it.
    documents: Vec<String>,
    /// Fields declared outside the document (`field x type … { indexing: input y | … }`).
    extra_fields: Vec<(String, Field)>,
    /// Fieldsets of the schema and of its document: name, fields, declared in the document.
    fieldsets: Vec<(String, Vec<String>, bool)>,
    /// Rank profiles and the profiles they inherit.
    rank_profiles: Vec<(String, Vec<String>)>,
}

/// What one `.sd` file declares.
#[derive(Debug, Default)]
struct Parsed {
    schemas: Vec<RawSchema>,
    types: Vec<RawType>,
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
    Struct,
    Other,
}

/// `name [inherits a, b] {`: the names after `inherits` up to the `{` at or after `j`, and the
/// index of that `{`.
fn inherits_list(tokens: &[String], mut j: usize) -> (Vec<String>, usize) {
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
fn read_field(tokens: &[String], i: usize) -> Result<(String, Field, usize), String> {
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

fn parse_sd(text: &str) -> Result<Parsed, String> {
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

fn skip_to_open(tokens: &[String], mut i: usize) -> Result<usize, String> {
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
fn parse_services(xml: &str) -> Result<Vec<Cluster>, String> {
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

    /// The committed package's files, `(file stem, text)`, and its services.xml.
    fn committed() -> (Vec<(String, String)>, String) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vespa/app");
        let mut sd = Vec::new();
        for entry in std::fs::read_dir(dir.join("schemas")).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            sd.push((stem, std::fs::read_to_string(&path).unwrap()));
        }
        sd.sort();
        let services = std::fs::read_to_string(dir.join("services.xml")).unwrap();
        (sd, services)
    }

    /// A change to a file's text.
    type Edit = dyn Fn(&str) -> String;

    /// Loads the committed package with `edit` applied to `file` (`services` for services.xml).
    fn load_edited(file: &str, edit: &Edit) -> Result<Schema, String> {
        let (mut sd, mut services) = committed();
        if file == "services" {
            services = edit(&services);
        } else {
            let (_, text) = sd.iter_mut().find(|(stem, _)| stem == file).unwrap();
            *text = edit(text);
        }
        let named: Vec<(Option<&str>, &str)> = sd
            .iter()
            .map(|(stem, text)| (Some(stem.as_str()), text.as_str()))
            .collect();
        Schema::from_named_sources(&named, &services)
    }

    fn replace(from: &'static str, to: &'static str) -> impl Fn(&str) -> String {
        move |text: &str| {
            assert!(text.contains(from), "`{from}` not in the text");
            text.replacen(from, to, 1)
        }
    }

    #[test]
    fn what_vespas_config_model_refuses_is_refused_with_its_message() {
        // Each message is the one Vespa's config model 8.700.24 gives for the same edit
        // (tests/it/vespa_model_check.rs runs the same kinds of edit through it).
        let cases: &[(&str, &Edit, &str)] = &[
            (
                "booking",
                &replace("field host_address type", "field host type"),
                "Reserved name 'host' cannot be used as a field name.",
            ),
            (
                "booking",
                &replace("field guest type", "field SDDocName type"),
                "Reserved name 'SDDocName' cannot be used as a field name.",
            ),
            (
                "booking",
                &replace(
                    "    fieldset default {",
                    "    field relevancy type string {\n        indexing: input title | attribute\n    }\n    fieldset default {",
                ),
                "Reserved name 'relevancy' cannot be used as a field name.",
            ),
            (
                "booking",
                &replace(
                    "    document booking inherits office_base {",
                    "    document booking inherits office_base {\n        struct slot {\n            field index type string {}\n        }",
                ),
                "Reserved name 'index' cannot be used as a field name.",
            ),
            (
                "booking",
                &replace("field guest type", "field 1guest type"),
                "For schema 'booking', field '1guest':  Not a legal field name.",
            ),
            (
                "booking",
                &replace("field guest type", "field Location type"),
                "Duplicate (case insensitively) field 'location' in document type 'booking'",
            ),
            (
                "booking",
                &replace(
                    "    document booking inherits office_base {",
                    "    document booking inherits office_base {\n        struct slot {\n            field label type string {}\n            field Label type string {}\n        }",
                ),
                "Duplicate (case insensitively) field 'Label' in document type 'slot'",
            ),
            (
                "booking",
                &replace("field guest type string", "field title type long"),
                "Inheritance type mismatch: field \"title\" in datatype \"booking\" must have same datatype as in parent document type \"office_base\"",
            ),
            (
                "booking",
                &replace("field guest type string", "field guest type strng"),
                "unknown type named 'strng' in context document 'booking'",
            ),
            (
                "booking",
                &replace(
                    "field participants type array<string>",
                    "field participants type array<String>",
                ),
                "unknown type named 'String' in context document 'booking'",
            ),
            (
                "booking",
                &replace("fields: title, text", "fields: title, text, nosuch"),
                "For schema 'booking': Field 'nosuch' in fieldset 'default' does not exist.",
            ),
            (
                "booking",
                &replace("schema booking inherits", "schema bookings inherits"),
                "The file containing schema 'bookings' must be named 'bookings.sd', but is 'booking.sd'",
            ),
            (
                "booking",
                &replace("document booking inherits", "document bookings inherits"),
                "For schema 'booking': A search specification must have an equally named document inside of it.",
            ),
            (
                "booking",
                &replace(
                    "document booking inherits office_base",
                    "document booking inherits office_bas",
                ),
                "document booking inherits from unavailable document office_bas",
            ),
            (
                "booking",
                &replace(
                    "rank-profile office inherits office_base_rank",
                    "rank-profile office inherits nosuch_rank",
                ),
                "rank-profile 'office' inherits 'nosuch_rank', but this is not found in schema 'booking'",
            ),
            (
                "services",
                &replace(
                    "type=\"booking\" mode=\"streaming\"",
                    "type=\"booking\" mode=\"stream\"",
                ),
                "value of attribute \"mode\" is invalid; must be equal to \"index\", \"store-only\" or \"streaming\"",
            ),
            (
                "services",
                &replace(
                    "type=\"booking\" mode=\"streaming\"",
                    "type=\"booking\" mode=\"streaming\" global=\"yes\"",
                ),
                "value of attribute \"global\" is invalid; must be a boolean",
            ),
        ];
        assert!(load_edited("booking", &|t| t.to_string()).is_ok());
        for (file, edit, expected) in cases {
            match load_edited(file, *edit) {
                Ok(_) => panic!("accepted, but Vespa refuses it with: {expected}"),
                Err(err) => assert!(err.contains(expected), "{err}\n  expected: {expected}"),
            }
        }
    }

    #[test]
    fn what_vespas_config_model_accepts_is_accepted() {
        let cases: &[(&str, &Edit)] = &[
            // Every kind of type the double knows, a struct among them.
            (
                "booking",
                &replace(
                    "    document booking inherits office_base {",
                    "    document booking inherits office_base {\n        struct slot {\n            field label type string {}\n        }\n        field t1 type map<string, array<int>> {}\n        field t2 type weightedset<long> {}\n        field t3 type tensor<float>(x{}, y[2]) {}\n        field t4 type array<slot> {}\n        field t5 type tag {}\n        field t6 type float16 {}\n        field t7 type reference<office_base> {}",
                ),
            ),
            // The same field redeclared with the same type; another field in another case.
            (
                "booking",
                &replace("field guest type string", "field title type string"),
            ),
            (
                "booking",
                &replace("field guest type string", "field Title type string"),
            ),
            (
                "booking",
                &replace(
                    "rank-profile office inherits office_base_rank",
                    "rank-profile office inherits unranked",
                ),
            ),
            (
                "booking",
                &replace(
                    "    fieldset default {",
                    "    field synthetic type string {\n        indexing: input title | index\n    }\n    fieldset extra {\n        fields: synthetic, guest\n    }\n    fieldset default {",
                ),
            ),
            (
                "services",
                &replace(
                    "type=\"booking\" mode=\"streaming\"",
                    "type=\"booking\" mode=\"streaming\" global=\"false\"",
                ),
            ),
        ];
        for (file, edit) in cases {
            if let Err(err) = load_edited(file, *edit) {
                panic!("refused, but Vespa accepts it: {err}");
            }
        }
    }

    #[test]
    fn unbalanced_schema_is_an_error() {
        assert!(Schema::from_sources(&["schema x { document x {"], SERVICES).is_err());
    }
}
