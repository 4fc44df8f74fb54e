//! A minimal reader of a Vespa application package: document types, their fields and
//! inheritance from `schemas/*.sd`, and the content clusters from `services.xml`.
//!
//! Only what the double needs is read: enough to answer Vespa's 400s for unknown document types
//! and fields, to know which fields are tokenized (`indexing: ... index`) for `/search/`, the
//! `default` fieldset, and which types a cluster holds (visiting, reindexing). Without an
//! application package the double is *open*: every type and field is accepted, in one cluster.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

mod checks;
mod parse;

use checks::*;
use parse::*;

/// The names Vespa refuses, shared with officectl: the same file as its
/// `model::vespa::names`, so the generator and the double cannot disagree.
#[path = "../../../src/model/vespa/names.rs"]
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

#[cfg(test)]
mod tests;
