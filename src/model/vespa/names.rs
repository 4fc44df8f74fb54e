//! Names Vespa refuses in a schema, as its config model has them.
//!
//! This file is shared with `vespa-double` (its `schema` module includes it with `#[path]`), so
//! the generator and the double refuse the same names: keep it free of `crate::` paths and
//! dependencies.
//!
//! Read from Vespa's config model, version [`TAKEN_FROM_VERSION`] (Maven Central
//! `com.yahoo.vespa:config-model`), where the schema parser (`com.yahoo.schema.parser.SchemaParser`,
//! for document fields, fields outside the document and struct fields) lower-cases a field's
//! name with `Locale.ROOT` and throws `Reserved name '<name>' cannot be used as a field name.`
//! when `com.yahoo.schema.Schema.isReservedName` holds for it. So `Host` is as reserved as
//! `host`. `tests/it/vespa_model_check.rs` reads both lists from the pinned config model (the
//! checker's `--reserved-names`) and fails when they differ from these: after moving the version
//! (docs/vespa.md, "Moving the Vespa version"), update the lists and [`TAKEN_FROM_VERSION`]
//! together.

/// The config-model version the lists below were read from.
pub const TAKEN_FROM_VERSION: &str = "8.700.24";

/// Field names Vespa reserves (`com.yahoo.schema.Schema.RESERVED_NAMES`), compared in lower
/// case. Most are words of the indexing language or names the search container gives hits.
pub const RESERVED_FIELD_NAMES: &[&str] = &[
    "index",
    "index_url",
    "summary",
    "attribute",
    "select_input",
    "host",
    "documentid",
    "position",
    "split_foreach",
    "tokenize",
    "if",
    "else",
    "switch",
    "case",
    "sddocname",
    "relevancy",
];

/// Document type names Vespa reserves (`com.yahoo.schema.processing.ReservedDocumentNames`: the
/// types built into every document, i.e. the `position` struct): `Document name 'position' is
/// reserved.`
pub const RESERVED_DOCUMENT_NAMES: &[&str] = &["position"];

/// Whether Vespa refuses `name` as a field name because it is reserved (in any case).
pub fn is_reserved_field_name(name: &str) -> bool {
    // Legal names are ASCII (`[a-zA-Z]\w*`), where `Locale.ROOT` lower-casing is ASCII's.
    RESERVED_FIELD_NAMES
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(name))
}

/// Whether Vespa refuses `name` as a document type name because it is reserved.
pub fn is_reserved_document_name(name: &str) -> bool {
    RESERVED_DOCUMENT_NAMES.contains(&name)
}

/// Whether `name` is a legal field name: `[a-zA-Z]\w*` with Java's ASCII `\w` (the config
/// model's `IndexFieldNames`: `Not a legal field name. Legal expression: [a-zA-Z]\w*`).
pub fn is_legal_field_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_are_legal_lower_case_names_compared_ignoring_case() {
        for name in RESERVED_FIELD_NAMES.iter().chain(RESERVED_DOCUMENT_NAMES) {
            assert!(is_legal_field_name(name), "{name}");
            assert_eq!(name.to_ascii_lowercase(), *name);
        }
        assert!(is_reserved_field_name("host") && is_reserved_field_name("hOsT"));
        assert!(!is_reserved_field_name("host_address") && !is_reserved_field_name("hosts"));
        assert!(is_reserved_document_name("position"));
        assert!(!is_reserved_document_name("booking"));
        for legal in ["a", "Z9", "host_address", "a_"] {
            assert!(is_legal_field_name(legal), "{legal}");
        }
        for illegal in ["", "_a", "9a", "a-b", "a.b", "é"] {
            assert!(!is_legal_field_name(illegal), "{illegal}");
        }
    }
}
