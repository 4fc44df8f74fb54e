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
