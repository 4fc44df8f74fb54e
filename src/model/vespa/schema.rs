//! The Vespa schema set: shared base fields, per-type fields, and the application package writer.
//!
//! The field tables here are the single source for both the `.sd` files and the documents the
//! [factory](super::factory) builds (a test checks every factory document against them).
//!
//! Layout: `schemas/office_base.sd` holds the shared fields and the base rank profile; each data
//! type's schema inherits it (`schema email inherits office_base`, `document email inherits
//! office_base`) and defines the rank profile [`RANK_PROFILE`] with the same name everywhere, so
//! `ranking=office` ranks a query over all types (vespa-api.md §7). Documents are in streaming
//! mode with `g=<user_id>` ids: every query is for one user (`streaming.groupname`), which is
//! what Vespa's streaming mode is for, and one user's data can be visited or deleted cheaply.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::model::catalog::DataType;
use crate::model::vespa::names;

/// Name of the base schema and document type.
pub const BASE_SCHEMA: &str = "office_base";
/// The rank profile every schema defines.
pub const RANK_PROFILE: &str = "office";
/// The base rank profile the per-type ones inherit.
const BASE_RANK_PROFILE: &str = "office_base_rank";
/// The content cluster id in `services.xml`.
pub const CONTENT_CLUSTER: &str = "office";

/// Vespa field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Str,
    /// Epoch seconds, or a count.
    Long,
    Bool,
    ArrayStr,
    Double,
}

impl FieldType {
    fn sd(self) -> &'static str {
        match self {
            FieldType::Str => "string",
            FieldType::Long => "long",
            FieldType::Bool => "bool",
            FieldType::ArrayStr => "array<string>",
            FieldType::Double => "double",
        }
    }
}

/// How a field is indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Full-text matched: `summary | index`.
    Text,
    /// Filtered, sorted or grouped on: `summary | attribute`.
    Attribute,
}

/// One field of a document type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub ty: FieldType,
    pub role: Role,
}

const fn text(name: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        ty: FieldType::Str,
        role: Role::Text,
    }
}
const fn attr(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        role: Role::Attribute,
    }
}
const fn text_list(name: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        ty: FieldType::ArrayStr,
        role: Role::Text,
    }
}

use FieldType::{ArrayStr, Bool, Double, Long, Str};

/// Fields every document type has (inherited from [`BASE_SCHEMA`]).
pub const BASE_FIELDS: &[FieldSpec] = &[
    attr("doc_id", Str),
    attr("user_id", Str),
    attr("doc_type", Str),
    text("title"),
    text("text"),
    attr("created_at", Long),
    attr("updated_at", Long),
    attr("source_event_id", Str),
];

const EMAIL: &[FieldSpec] = &[
    attr("provider", Str),
    attr("thread_id", Str),
    text("from_address"),
    text("from_name"),
    text_list("to_addresses"),
    text_list("cc_addresses"),
    text_list("participants"),
    attr("labels", ArrayStr),
    attr("received_at", Long),
    attr("is_read", Bool),
    attr("has_attachments", Bool),
    text_list("attachment_names"),
];
const CALENDAR: &[FieldSpec] = &[
    attr("provider", Str),
    attr("calendar_id", Str),
    text("location"),
    attr("start_at", Long),
    attr("end_at", Long),
    attr("all_day", Bool),
    text("organizer"),
    text_list("participants"),
    attr("status", Str),
    attr("is_recurring", Bool),
];
const CONTACT: &[FieldSpec] = &[
    attr("provider", Str),
    attr("source", Str),
    attr("relevance", Double),
    text_list("emails"),
    text_list("phones"),
    text("organization"),
    text("job_title"),
    attr("groups", ArrayStr),
];
const DOCUMENT: &[FieldSpec] = &[
    attr("provider", Str),
    attr("mime_type", Str),
    attr("web_url", Str),
    text("folder_path"),
    text("owner"),
    text_list("participants"),
    attr("size_bytes", Long),
];
const TODO: &[FieldSpec] = &[
    attr("provider", Str),
    attr("list_id", Str),
    text("list_name"),
    attr("status", Str),
    attr("priority", Str),
    attr("due_at", Long),
    attr("completed_at", Long),
    attr("tags", ArrayStr),
];
const LLM_CHAT: &[FieldSpec] = &[attr("model", Str), attr("message_count", Long)];
const SHIPMENT: &[FieldSpec] = &[
    attr("carrier", Str),
    attr("tracking_number", Str),
    attr("status", Str),
    text("merchant"),
    attr("order_id", Str),
    attr("estimated_delivery_at", Long),
    attr("delivered_at", Long),
];
const MEETING_POLL: &[FieldSpec] = &[
    text("organizer"),
    text_list("participants"),
    attr("status", Str),
    attr("deadline_at", Long),
    attr("option_count", Long),
    attr("busy_option_count", Long),
];
/// `host_address`, not `host`: Vespa reserves `host` ([`names`]) and refuses a field of that name; the
/// event keeps its `booking.host` (events are a public contract), only the document field differs.
const BOOKING: &[FieldSpec] = &[
    text("host_address"),
    text("guest"),
    text_list("participants"),
    attr("start_at", Long),
    attr("end_at", Long),
    attr("status", Str),
    text("location"),
];

/// A field stored under another name by an earlier officectl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenamedField {
    pub data_type: DataType,
    /// The name documents written before the rename have.
    pub old: &'static str,
    /// The current name, a field of [`type_fields`].
    pub new: &'static str,
}

/// Renamed fields, so that [`super::upgrade`] moves a stored value to its current name instead
/// of dropping it (`reindex --from-vespa`).
pub const RENAMED_FIELDS: &[RenamedField] = &[
    // Real Vespa never accepted `host` (a reserved name), but the test double and any Vespa fed
    // through it did; issue 18.
    RenamedField {
        data_type: DataType::Booking,
        old: "host",
        new: "host_address",
    },
];

/// The current name of `data_type`'s field once called `old`, if it was renamed.
pub fn renamed_field(data_type: DataType, old: &str) -> Option<&'static FieldSpec> {
    RENAMED_FIELDS
        .iter()
        .find(|r| r.data_type == data_type && r.old == old)
        .and_then(|r| field_spec(data_type, r.new))
}

/// The fields of `data_type` beyond the base ones.
pub fn type_fields(data_type: DataType) -> &'static [FieldSpec] {
    match data_type {
        DataType::Email => EMAIL,
        DataType::Calendar => CALENDAR,
        DataType::Contact => CONTACT,
        DataType::Document => DOCUMENT,
        DataType::Todo => TODO,
        DataType::LlmChat => LLM_CHAT,
        DataType::Shipment => SHIPMENT,
        DataType::MeetingPoll => MEETING_POLL,
        DataType::Booking => BOOKING,
    }
}

/// The spec of field `name` of `data_type` (base or own).
pub fn field_spec(data_type: DataType, name: &str) -> Option<&'static FieldSpec> {
    BASE_FIELDS
        .iter()
        .chain(type_fields(data_type))
        .find(|f| f.name == name)
}

/// Why the schema tables cannot become a package Vespa deploys: each is an error Vespa's config
/// model raises for the same mistake, caught before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error(
        "schema `{schema}`: field `{field}`: Vespa reserves this name, in any case (reserved in Vespa {version}: {list})",
        version = names::TAKEN_FROM_VERSION,
        list = names::RESERVED_FIELD_NAMES.join(", ")
    )]
    ReservedFieldName { schema: String, field: String },
    #[error(
        "schema `{schema}`: field `{field}` is not a legal Vespa field name (a letter, then letters, digits or `_`)"
    )]
    IllegalFieldName { schema: String, field: String },
    #[error(
        "schema `{schema}`: field `{field}` is declared twice (Vespa compares field names ignoring case: `{other}`)"
    )]
    DuplicateField {
        schema: String,
        field: String,
        other: String,
    },
    #[error(
        "schema `{schema}`: field `{field}` is already inherited from `{base}` (as `{inherited}`); a type's table lists only its own fields"
    )]
    ShadowsInherited {
        schema: String,
        field: String,
        base: &'static str,
        inherited: String,
    },
    #[error(
        "schema `{schema}`: Vespa reserves this document type name (reserved in Vespa {version}: {list})",
        version = names::TAKEN_FROM_VERSION,
        list = names::RESERVED_DOCUMENT_NAMES.join(", ")
    )]
    ReservedDocumentName { schema: String },
}

/// Checks one schema's own fields (and the ones it inherits from [`BASE_SCHEMA`]) against the
/// rules of Vespa's schema parser: no reserved or illegal names ([`names`]), no field twice.
pub fn validate_schema(
    schema: &str,
    own: &[FieldSpec],
    inherited: &[FieldSpec],
) -> Result<(), SchemaError> {
    if names::is_reserved_document_name(schema) {
        return Err(SchemaError::ReservedDocumentName {
            schema: schema.to_string(),
        });
    }
    for (i, field) in own.iter().enumerate() {
        let name = field.name;
        let err_field = || (schema.to_string(), name.to_string());
        if names::is_reserved_field_name(name) {
            let (schema, field) = err_field();
            return Err(SchemaError::ReservedFieldName { schema, field });
        }
        if !names::is_legal_field_name(name) {
            let (schema, field) = err_field();
            return Err(SchemaError::IllegalFieldName { schema, field });
        }
        if let Some(other) = own[..i].iter().find(|f| f.name.eq_ignore_ascii_case(name)) {
            let (schema, field) = err_field();
            return Err(SchemaError::DuplicateField {
                schema,
                field,
                other: other.name.to_string(),
            });
        }
        if let Some(base) = inherited.iter().find(|f| f.name.eq_ignore_ascii_case(name)) {
            let (schema, field) = err_field();
            return Err(SchemaError::ShadowsInherited {
                schema,
                field,
                base: BASE_SCHEMA,
                inherited: base.name.to_string(),
            });
        }
    }
    Ok(())
}

/// Checks every schema of the package ([`validate_schema`]).
pub fn validate_tables() -> Result<(), SchemaError> {
    validate_schema(BASE_SCHEMA, BASE_FIELDS, &[])?;
    for data_type in DataType::all() {
        validate_schema(data_type.vespa_type(), type_fields(data_type), BASE_FIELDS)?;
    }
    Ok(())
}

const HEADER: &str =
    "# Generated by `officectl vespa schema`; do not edit. Source: src/model/vespa/schema.rs\n";

fn write_field(out: &mut String, field: &FieldSpec) {
    let indexing = match field.role {
        Role::Text => "summary | index",
        Role::Attribute => "summary | attribute",
    };
    let _ = writeln!(
        out,
        "        field {} type {} {{\n            indexing: {indexing}\n        }}",
        field.name,
        field.ty.sd()
    );
}

fn base_sd() -> String {
    let mut out = String::from(HEADER);
    let _ = writeln!(
        out,
        "schema {BASE_SCHEMA} {{\n    document {BASE_SCHEMA} {{"
    );
    for field in BASE_FIELDS {
        write_field(&mut out, field);
    }
    let _ = writeln!(
        out,
        "    }}\n    rank-profile {BASE_RANK_PROFILE} {{\n        first-phase {{\n            expression: 2 * nativeRank(title) + nativeRank(text)\n        }}\n    }}\n}}"
    );
    out
}

fn type_sd(data_type: DataType) -> String {
    let name = data_type.vespa_type();
    let mut out = String::from(HEADER);
    let _ = writeln!(
        out,
        "schema {name} inherits {BASE_SCHEMA} {{\n    document {name} inherits {BASE_SCHEMA} {{"
    );
    for field in type_fields(data_type) {
        write_field(&mut out, field);
    }
    let profile = match data_type {
        // Discovered contacts carry their relevance (contact discovery's decayed score): the
        // same text match ranks a frequent, recent contact higher, by a factor in [1, 2), so
        // that contacts stay comparable with the other types in one query.
        DataType::Contact => format!(
            "\n        first-phase {{\n            expression: {CONTACT_RANK_EXPRESSION}\n        }}\n    "
        ),
        _ => "\n    ".to_string(),
    };
    let _ = writeln!(
        out,
        "    }}\n    fieldset default {{\n        fields: title, text\n    }}\n    rank-profile {RANK_PROFILE} inherits {BASE_RANK_PROFILE} {{{profile}}}\n}}"
    );
    out
}

/// The contact schema's first-phase expression: the base text rank times
/// `1 + r / (1 + r)` for relevance `r`.
pub const CONTACT_RANK_EXPRESSION: &str = "(2 * nativeRank(title) + nativeRank(text)) * (1 + attribute(relevance) / (1 + attribute(relevance)))";

fn services_xml() -> String {
    let mut docs = String::new();
    for data_type in DataType::all() {
        let _ = writeln!(
            docs,
            "            <document type=\"{}\" mode=\"streaming\"/>",
            data_type.vespa_type()
        );
    }
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by `officectl vespa schema`; do not edit. Source: src/model/vespa/schema.rs -->
<services version="1.0">
    <container id="default" version="1.0">
        <document-api/>
        <search/>
        <nodes>
            <node hostalias="node1"/>
        </nodes>
    </container>
    <content id="{CONTENT_CLUSTER}" version="1.0">
        <min-redundancy>1</min-redundancy>
        <documents>
{docs}        </documents>
        <nodes>
            <node hostalias="node1" distribution-key="0"/>
        </nodes>
    </content>
</services>
"#
    )
}

/// Why the application package was not written.
#[derive(Debug, thiserror::Error)]
pub enum AppPackageError {
    #[error("the schema tables in src/model/vespa/schema.rs would not deploy on Vespa")]
    Invalid(#[source] SchemaError),
    #[error("cannot write `{path}`")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Every file of the application package as `(relative path, content)`, once the tables pass
/// [`validate_tables`].
pub fn app_package_files() -> Result<Vec<(String, String)>, SchemaError> {
    validate_tables()?;
    let mut files = vec![
        ("services.xml".to_string(), services_xml()),
        (format!("schemas/{BASE_SCHEMA}.sd"), base_sd()),
    ];
    for data_type in DataType::all() {
        files.push((
            format!("schemas/{}.sd", data_type.vespa_type()),
            type_sd(data_type),
        ));
    }
    Ok(files)
}

/// Writes the application package into `dir` (`services.xml`, `schemas/*.sd`); nothing is
/// written when the tables fail [`validate_tables`].
pub fn write_vespa_app_package(dir: &Path) -> Result<Vec<PathBuf>, AppPackageError> {
    let files = app_package_files().map_err(AppPackageError::Invalid)?;
    crate::model::snapshot::write_files(dir, &files).map_err(|source| AppPackageError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn committed_app_package_is_fresh() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vespa/app");
        crate::model::snapshot::assert_fresh(&dir, &app_package_files().unwrap());
    }

    #[test]
    fn field_names_are_unique_per_type_and_never_shadow_base() {
        for t in DataType::all() {
            let mut seen = HashSet::new();
            for f in BASE_FIELDS.iter().chain(type_fields(t)) {
                assert!(seen.insert(f.name), "{t}: field `{}` twice", f.name);
            }
        }
    }

    #[test]
    fn the_tables_pass_validation() {
        assert_eq!(validate_tables(), Ok(()));
    }

    #[test]
    fn validation_refuses_what_vespa_refuses() {
        let f = |name: &'static str| text(name);
        let ok = [f("guest"), f("host_address")];
        assert_eq!(validate_schema("booking", &ok, BASE_FIELDS), Ok(()));

        // The issue's case, and the same name in another case (Vespa lower-cases first).
        for name in ["host", "Host", "SDDOCNAME", "relevancy"] {
            let err = validate_schema("booking", &[f("guest"), f(name)], BASE_FIELDS).unwrap_err();
            assert_eq!(
                err,
                SchemaError::ReservedFieldName {
                    schema: "booking".into(),
                    field: name.into()
                }
            );
            let shown = err.to_string();
            assert!(
                shown.contains(&format!("schema `booking`: field `{name}`"))
                    && shown.contains("Vespa reserves this name")
                    && shown.contains(names::TAKEN_FROM_VERSION),
                "{shown}"
            );
        }
        for name in ["1st", "_guest", "guest-name", "gäst", ""] {
            assert!(
                matches!(
                    validate_schema("booking", &[f(name)], BASE_FIELDS),
                    Err(SchemaError::IllegalFieldName { .. })
                ),
                "{name:?}"
            );
        }
        assert_eq!(
            validate_schema("booking", &[f("location"), f("Location")], BASE_FIELDS),
            Err(SchemaError::DuplicateField {
                schema: "booking".into(),
                field: "Location".into(),
                other: "location".into()
            })
        );
        assert!(matches!(
            validate_schema("booking", &[f("title")], BASE_FIELDS),
            Err(SchemaError::ShadowsInherited { .. })
        ));
        assert!(matches!(
            validate_schema("position", &ok, BASE_FIELDS),
            Err(SchemaError::ReservedDocumentName { .. })
        ));
    }

    #[test]
    fn renamed_fields_point_at_current_fields_and_the_old_name_is_gone() {
        for r in RENAMED_FIELDS {
            assert!(
                field_spec(r.data_type, r.new).is_some(),
                "{}: `{}` is not a field",
                r.data_type,
                r.new
            );
            assert!(
                field_spec(r.data_type, r.old).is_none(),
                "{}: `{}` is still a field",
                r.data_type,
                r.old
            );
        }
        assert_eq!(
            renamed_field(DataType::Booking, "host").map(|f| f.name),
            Some("host_address")
        );
        assert!(renamed_field(DataType::Calendar, "host").is_none());
    }

    #[test]
    fn types_only_have_their_own_fields() {
        assert!(field_spec(DataType::Email, "from_address").is_some());
        assert!(field_spec(DataType::Contact, "from_address").is_none());
        assert!(field_spec(DataType::LlmChat, "provider").is_none());
        assert!(field_spec(DataType::Contact, "title").is_some());
    }

    #[test]
    fn every_schema_has_the_shared_rank_profile() {
        for (path, content) in app_package_files().unwrap() {
            if path.ends_with(".sd") && !path.contains(BASE_SCHEMA) {
                assert!(
                    content.contains(&format!("rank-profile {RANK_PROFILE} inherits")),
                    "{path}"
                );
                assert!(
                    content.contains(&format!("inherits {BASE_SCHEMA} {{")),
                    "{path}"
                );
            }
        }
        let services = services_xml();
        for t in DataType::all() {
            assert!(
                services.contains(&format!("type=\"{}\"", t.vespa_type())),
                "{t}"
            );
        }
    }
}
