//! What Vespa's config model refuses in a package, checked as the double loads it: unknown
//! types, field names, duplicates, fieldsets and rank profiles; and inheritance resolved.

use super::*;

pub(super) fn collect(
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
pub(super) const BUILTIN_TYPES: &[&str] = &[
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
pub(super) fn unknown_type<'a>(ty: &'a str, structs: &HashSet<&str>) -> Option<&'a str> {
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
pub(super) fn check_types(
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
pub(super) fn check_field_name(name: &str, schema: &str) -> Result<(), String> {
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
pub(super) fn check_duplicates(
    fields: &[(String, Field)],
    owner: &str,
    document: bool,
) -> Result<(), String> {
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
pub(super) fn check_schema(
    schema: &RawSchema,
    raw: &HashMap<String, RawType>,
) -> Result<(), String> {
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
pub(super) fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Every field a fieldset names exists: in the schema's document (inherited ones included) or
/// among the fields the schema (or one it inherits) declares outside the document.
pub(super) fn check_fieldsets(
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
pub(super) fn check_rank_profiles(schema: &RawSchema, schemas: &[RawSchema]) -> Result<(), String> {
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
pub(super) fn schema_lineage<'a>(
    schema: &'a RawSchema,
    schemas: &'a [RawSchema],
) -> Vec<&'a RawSchema> {
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
