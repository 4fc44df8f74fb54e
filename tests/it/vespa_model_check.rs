//! `vespa check` and `vespa schema --check` against Vespa's own config model, and the double held
//! to the same rules (issue 18).
//!
//! These need Java 17 and the config model that Maven fetches into `target/vespa-model-check`;
//! `scripts/test` installs what is missing and warms that cache before the suite runs, so the
//! tests here only run the JVM. Like the tests that need services, they fail (never skip) when
//! Java is missing. The tests of the missing-tool paths need nothing.

use crate::support::{officectl, transcript};
use officectl::model::vespa::names;
use officectl::vespa::model_check::{ModelChecker, Tools};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The cache `scripts/test` warms: `<target dir>/vespa-model-check`.
fn model_check_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .join("vespa-model-check")
}

/// `officectl` with the shared model-check cache.
fn officectl_checking() -> assert_cmd::Command {
    let mut cmd = officectl();
    cmd.env("OFFICECTL_VESPA_MODEL_CHECK_DIR", model_check_dir());
    cmd
}

fn committed_package() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vespa/app")
}

/// A copy of the committed package in `dir/name`, changed by `edit`.
fn package(dir: &Path, name: &str, edit: &dyn Fn(&Path)) -> PathBuf {
    let app = dir.join(name);
    std::fs::create_dir_all(app.join("schemas")).unwrap();
    let from = committed_package();
    std::fs::copy(from.join("services.xml"), app.join("services.xml")).unwrap();
    for entry in std::fs::read_dir(from.join("schemas")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, app.join("schemas").join(path.file_name().unwrap())).unwrap();
    }
    edit(&app);
    app
}

/// Replaces the first `from` in the package file `file` (relative), which must contain it.
fn replace(app: &Path, file: &str, from: &str, to: &str) {
    let path = app.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "`{from}` is not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

const BOOKING: &str = "schemas/booking.sd";
const BOOKING_DOC: &str = "    document booking inherits office_base {";

/// Renames document type `booking` to `name` everywhere, file included.
fn rename_booking(app: &Path, name: &str) {
    let sd = std::fs::read_to_string(app.join(BOOKING)).unwrap();
    std::fs::remove_file(app.join(BOOKING)).unwrap();
    std::fs::write(
        app.join(format!("schemas/{name}.sd")),
        sd.replace("booking", name),
    )
    .unwrap();
    replace(
        app,
        "services.xml",
        "type=\"booking\"",
        &format!("type=\"{name}\""),
    );
}

/// A mistake: the edit, and what the config model and the double each say about it.
struct Mistake {
    name: &'static str,
    edit: fn(&Path),
    model_says: &'static str,
    double_says: &'static str,
}

/// Mistakes real Vespa refuses, one per rule the double now copies (docs/vespa-double.md).
fn mistakes() -> Vec<Mistake> {
    vec![
        Mistake {
            name: "reserved-host",
            edit: |a| replace(a, BOOKING, "field host_address type", "field host type"),
            model_says: "Reserved name 'host' cannot be used as a field name.",
            double_says: "Reserved name 'host' cannot be used as a field name.",
        },
        Mistake {
            name: "reserved-any-case",
            edit: |a| replace(a, BOOKING, "field guest type", "field SDDocName type"),
            model_says: "Reserved name 'SDDocName' cannot be used as a field name.",
            double_says: "Reserved name 'SDDocName' cannot be used as a field name.",
        },
        Mistake {
            name: "reserved-outside-document",
            edit: |a| {
                replace(
                    a,
                    BOOKING,
                    "    fieldset default {",
                    "    field relevancy type string {\n        indexing: input title | attribute\n    }\n    fieldset default {",
                )
            },
            model_says: "Reserved name 'relevancy' cannot be used as a field name.",
            double_says: "Reserved name 'relevancy' cannot be used as a field name.",
        },
        Mistake {
            name: "reserved-in-struct",
            edit: |a| {
                replace(
                    a,
                    BOOKING,
                    BOOKING_DOC,
                    "    document booking inherits office_base {\n        struct slot {\n            field index type string {}\n        }",
                )
            },
            model_says: "Reserved name 'index' cannot be used as a field name.",
            double_says: "Reserved name 'index' cannot be used as a field name.",
        },
        Mistake {
            name: "illegal-name",
            edit: |a| replace(a, BOOKING, "field guest type", "field _guest type"),
            model_says: "field '_guest':  Not a legal field name.",
            double_says: "field '_guest':  Not a legal field name.",
        },
        Mistake {
            name: "duplicate-ignoring-case",
            edit: |a| replace(a, BOOKING, "field guest type", "field Location type"),
            model_says: "Duplicate (case insensitively) field 'location' in document type 'booking'",
            double_says: "Duplicate (case insensitively) field 'location' in document type 'booking'",
        },
        Mistake {
            name: "duplicate-in-struct",
            edit: |a| {
                replace(
                    a,
                    BOOKING,
                    BOOKING_DOC,
                    "    document booking inherits office_base {\n        struct slot {\n            field label type string {}\n            field Label type string {}\n        }",
                )
            },
            model_says: "Duplicate (case insensitively) field 'Label' in document type 'slot'",
            double_says: "Duplicate (case insensitively) field 'Label' in document type 'slot'",
        },
        Mistake {
            name: "inherited-field-retyped",
            edit: |a| {
                replace(
                    a,
                    BOOKING,
                    "field guest type string",
                    "field title type long",
                )
            },
            model_says: "Inheritance type mismatch: field \"title\" in datatype \"booking\"",
            double_says: "Inheritance type mismatch: field \"title\" in datatype \"booking\"",
        },
        Mistake {
            name: "unknown-type",
            edit: |a| {
                replace(
                    a,
                    BOOKING,
                    "field guest type string",
                    "field guest type strng",
                )
            },
            model_says: "unknown type named 'strng' in context document 'booking'",
            double_says: "unknown type named 'strng' in context document 'booking'",
        },
        Mistake {
            name: "unknown-element-type",
            edit: |a| replace(a, BOOKING, "type array<string>", "type array<String>"),
            model_says: "unknown type named 'String' in context document 'booking'",
            double_says: "unknown type named 'String' in context document 'booking'",
        },
        Mistake {
            name: "fieldset-unknown-field",
            edit: |a| replace(a, BOOKING, "fields: title, text", "fields: title, Text"),
            model_says: "Field 'Text' in fieldset 'default' does not exist.",
            double_says: "Field 'Text' in fieldset 'default' does not exist.",
        },
        Mistake {
            name: "schema-in-another-file",
            edit: |a| {
                replace(
                    a,
                    BOOKING,
                    "schema booking inherits",
                    "schema bookings inherits",
                )
            },
            model_says: "The file containing schema 'bookings' must be named 'bookings.sd', but is 'booking.sd'",
            double_says: "The file containing schema 'bookings' must be named 'bookings.sd', but is 'booking.sd'",
        },
        Mistake {
            name: "document-of-another-name",
            edit: |a| {
                replace(
                    a,
                    BOOKING,
                    BOOKING_DOC,
                    "    document bookings inherits office_base {",
                )
            },
            model_says: "Document type 'booking' not found in application package",
            double_says: "A search specification must have an equally named document inside of it.",
        },
        Mistake {
            name: "schema-without-document",
            edit: |a| std::fs::write(a.join("schemas/lonely.sd"), "schema lonely {\n}\n").unwrap(),
            model_says: "For schema 'lonely': A search specification must have an equally named document inside of it.",
            double_says: "For schema 'lonely': A search specification must have an equally named document inside of it.",
        },
        Mistake {
            name: "schema-twice",
            edit: |a| {
                std::fs::copy(a.join(BOOKING), a.join("schemas/booking2.sd")).unwrap();
            },
            model_says: "Duplicate schemas named booking",
            // The double checks the file name first.
            double_says: "The file containing schema 'booking' must be named 'booking.sd', but is 'booking2.sd'",
        },
        Mistake {
            name: "reserved-document-name",
            edit: |a| rename_booking(a, "position"),
            model_says: "For schema 'position': Document name 'position' is reserved.",
            double_says: "For schema 'position': Document name 'position' is reserved.",
        },
        Mistake {
            name: "inherits-undefined",
            edit: |a| {
                replace(
                    a,
                    BOOKING,
                    "document booking inherits office_base",
                    "document booking inherits office_bas",
                )
            },
            model_says: "document booking inherits from unavailable document office_bas",
            double_says: "document booking inherits from unavailable document office_bas",
        },
        Mistake {
            name: "inheritance-cycle",
            edit: |a| {
                replace(
                    a,
                    "schemas/office_base.sd",
                    "    document office_base {",
                    "    document office_base inherits booking {",
                )
            },
            model_says: "cycle",
            double_says: "cycle",
        },
        Mistake {
            name: "rank-profile-inherits-undefined",
            edit: |a| {
                replace(
                    a,
                    BOOKING,
                    "rank-profile office inherits office_base_rank",
                    "rank-profile office inherits nosuch_rank",
                )
            },
            model_says: "rank-profile 'office' inherits 'nosuch_rank', but this is not found in schema 'booking'",
            double_says: "rank-profile 'office' inherits 'nosuch_rank', but this is not found in schema 'booking'",
        },
        Mistake {
            name: "services-mode",
            edit: |a| {
                replace(
                    a,
                    "services.xml",
                    "type=\"booking\" mode=\"streaming\"",
                    "type=\"booking\" mode=\"stream\"",
                )
            },
            model_says: "value of attribute \"mode\" is invalid; must be equal to \"index\", \"store-only\" or \"streaming\"",
            double_says: "value of attribute \"mode\" is invalid; must be equal to \"index\", \"store-only\" or \"streaming\"",
        },
        Mistake {
            name: "services-global",
            edit: |a| {
                replace(
                    a,
                    "services.xml",
                    "type=\"booking\" mode=\"streaming\"",
                    "type=\"booking\" mode=\"streaming\" global=\"yes\"",
                )
            },
            model_says: "value of attribute \"global\" is invalid; must be a boolean",
            double_says: "value of attribute \"global\" is invalid; must be a boolean",
        },
        Mistake {
            name: "services-unknown-type",
            edit: |a| replace(a, "services.xml", "type=\"booking\"", "type=\"bookings\""),
            model_says: "Document type 'bookings' not found in application package",
            double_says: "names document type 'bookings', which no schema defines",
        },
    ]
}

/// What both accept although it looks close to a mistake: every kind of field type the double
/// knows, a struct inherited from the base document, a field redeclared with its inherited type,
/// a field differing from an inherited one only in case (another document), the built-in
/// `unranked` profile and a profile inheriting two (only one of them may have a first phase), a
/// fieldset with a field declared outside the
/// document, `global="false"`, and a name starting with `_` (legal for a document, not a field).
fn valid_variants(app: &Path) {
    replace(
        app,
        "schemas/office_base.sd",
        "    document office_base {",
        "    document office_base {\n        struct slot {\n            field label type string {}\n        }",
    );
    replace(
        app,
        BOOKING,
        BOOKING_DOC,
        "    document booking inherits office_base {\n        struct stop {\n            field n type int {}\n        }\n        \
         field t1 type map<string, array<int>> { indexing: summary }\n        \
         field t2 type weightedset<long> { indexing: attribute }\n        \
         field t3 type tensor<float>(x{}, y[2]) { indexing: attribute }\n        \
         field t4 type array<slot> { indexing: summary }\n        \
         field t5 type map<string, stop> { indexing: summary }\n        \
         field t6 type tag { indexing: summary }\n        \
         field t7 type float16 { indexing: attribute }\n        \
         field t8 type position { indexing: attribute }\n        \
         field t9 type bool { indexing: summary }\n        \
         field t10 type byte { indexing: summary }\n        \
         field t11 type double { indexing: summary }\n        \
         field t12 type uri { indexing: summary }\n        \
         field t13 type raw { indexing: summary }\n        \
         field t14 type tensor(x[2]) { indexing: attribute }\n        \
         field title type string {\n            indexing: summary | index\n        }",
    );
    replace(
        app,
        BOOKING,
        "    rank-profile office inherits office_base_rank {",
        "    field synthetic type string {\n        indexing: input title | index\n    }\n    \
         fieldset extra {\n        fields: synthetic, guest\n    }\n    \
         rank-profile bare inherits unranked {\n    }\n    \
         rank-profile quiet {\n    }\n    \
         rank-profile office inherits office_base_rank, quiet {",
    );
    replace(
        app,
        "schemas/calendar.sd",
        "field organizer type",
        "field Title type string {\n            indexing: summary | index\n        }\n        field organizer type",
    );
    replace(
        app,
        "services.xml",
        "type=\"todo\" mode=\"streaming\"",
        "type=\"todo\" mode=\"streaming\" global=\"false\"",
    );
    rename_booking(app, "_booking");
}

/// Runs `vespa check -o json` on `apps` and returns the exit code and each package's result.
fn model_check(apps: &[PathBuf]) -> (Option<i32>, Vec<Value>) {
    let output = officectl_checking()
        .args(["vespa", "check", "-o", "json"])
        .args(apps)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("no JSON report: {}", transcript(&output)));
    assert_eq!(report["format_version"], 1);
    assert_eq!(report["vespa_version"], "8.700.24");
    let packages = report["packages"].as_array().unwrap().clone();
    assert_eq!(packages.len(), apps.len(), "{}", transcript(&output));
    (output.status.code(), packages)
}

fn messages(package: &Value) -> Vec<String> {
    let errors = package["errors"].as_array().unwrap().iter();
    let fatal = package["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["fatal"] == true)
        .map(|w| &w["message"]);
    errors
        .chain(fatal)
        .map(|m| m.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_config_model_and_the_double_refuse_the_same_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let mistakes = mistakes();
    let mut apps: Vec<PathBuf> = mistakes
        .iter()
        .map(|m| package(dir.path(), m.name, &m.edit))
        .collect();
    let valid = package(dir.path(), "valid-variants", &valid_variants);
    // Vespa deploys with this warning; the check does not (see ALLOWED in ModelCheck.java).
    let warned = package(dir.path(), "fieldset-mixing-matching", &|a| {
        replace(
            a,
            BOOKING,
            "fields: title, text",
            "fields: title, text, status",
        )
    });
    apps.push(valid.clone());
    apps.push(warned.clone());

    let (code, packages) = model_check(&apps);
    assert_eq!(code, Some(1), "some packages fail");
    for (mistake, (app, result)) in mistakes.iter().zip(apps.iter().zip(&packages)) {
        assert_eq!(result["app"], app.to_str().unwrap());
        assert_eq!(
            result["passed"], false,
            "{}: the config model took it: {result}",
            mistake.name
        );
        let said = messages(result).join("\n");
        assert!(
            said.contains(mistake.model_says),
            "{}: the config model said {said:?}, expected {:?}",
            mistake.name,
            mistake.model_says
        );
        match vespa_double::schema::Schema::load(app) {
            Ok(_) => panic!(
                "{}: the double took what Vespa refuses with: {said}",
                mistake.name
            ),
            Err(err) => assert!(
                err.contains(mistake.double_says),
                "{}: the double said {err:?}, expected {:?}",
                mistake.name,
                mistake.double_says
            ),
        }
    }

    let result = &packages[mistakes.len()];
    assert_eq!(result["passed"], true, "valid variants: {result}");
    if let Err(err) = vespa_double::schema::Schema::load(&valid) {
        panic!("the double refused what Vespa takes: {err}");
    }

    let result = &packages[mistakes.len() + 1];
    assert_eq!(result["passed"], false, "{result}");
    assert!(result["errors"].as_array().unwrap().is_empty(), "{result}");
    assert!(
        messages(result)
            .iter()
            .any(|m| m.contains("The matching settings in fieldset 'default' are inconsistent")),
        "{result}"
    );
    assert!(vespa_double::schema::Schema::load(&warned).is_ok());
}

#[test]
fn vespa_schema_check_writes_and_passes_the_generated_package() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("app");
    let output = officectl_checking()
        .args(["vespa", "schema", "--check", "-o", "json", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The written paths, then the report.
    let json_start = stdout.find('{').expect("a JSON report");
    assert!(stdout[..json_start].contains("booking.sd"), "{stdout}");
    let report: Value = serde_json::from_str(&stdout[json_start..]).unwrap();
    assert_eq!(report["passed"], true, "{report}");
    let package = &report["packages"][0];
    assert!(package["errors"].as_array().unwrap().is_empty());
    // The only warning is the one about this checker's environment, kept with its reason.
    for warning in package["warnings"].as_array().unwrap() {
        assert_eq!(warning["fatal"], false, "{warning}");
        assert!(
            warning["allowed_because"]
                .as_str()
                .is_some_and(|r| r.contains("vespa-verify-ranksetup-bin")),
            "{warning}"
        );
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("passed Vespa's config model 8.700.24"),
        "{stderr}"
    );
    assert!(out.join("schemas/booking.sd").is_file());
}

#[test]
fn the_reserved_names_are_the_config_models() {
    let path = std::env::var_os("PATH");
    let tools = Tools::find(path.as_deref(), std::env::var_os("JAVA_HOME").as_deref());
    let checker = ModelChecker::new(&model_check_dir(), tools)
        .expect("Java 17 is needed: scripts/test installs it");
    checker
        .prepare(&mut |_| {})
        .expect("the config model and checker are prepared");
    let from_vespa = checker.reserved_names().unwrap();
    assert_eq!(from_vespa.vespa_version, names::TAKEN_FROM_VERSION);
    let sorted = |list: &[&str]| {
        let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(
        from_vespa.field_names,
        sorted(names::RESERVED_FIELD_NAMES),
        "src/model/vespa/names.rs is out of date for Vespa {}",
        from_vespa.vespa_version
    );
    assert_eq!(
        from_vespa.document_names,
        sorted(names::RESERVED_DOCUMENT_NAMES)
    );
}

/// A directory holding links to the named programs only, for a PATH without the others.
fn path_with(programs: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var_os("PATH");
    let found = Tools::find(path.as_deref(), None);
    for name in programs {
        let target = match *name {
            "java" => found.java.clone(),
            "javac" => found.javac.clone(),
            "mvn" => found.mvn.clone(),
            _ => None,
        }
        .unwrap_or_else(|| panic!("`{name}` is needed on PATH for this test"));
        #[cfg(unix)]
        std::os::unix::fs::symlink(target, dir.path().join(name)).unwrap();
    }
    dir
}

#[test]
fn without_java_the_check_says_what_is_missing_and_still_writes() {
    let empty = path_with(&[]);
    let cache = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = officectl()
        .env("PATH", empty.path())
        .env_remove("JAVA_HOME")
        .env("OFFICECTL_VESPA_MODEL_CHECK_DIR", cache.path())
        .args(["vespa", "schema", "--check", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert!(
        stderr.contains("error: `java` was not found")
            && stderr.contains("Java 17")
            && stderr.contains("hint: install a JDK 17 or newer"),
        "{stderr}"
    );
    assert!(
        out.path().join("schemas/booking.sd").is_file(),
        "written first"
    );

    let output = officectl()
        .env("PATH", empty.path())
        .env_remove("JAVA_HOME")
        .env("OFFICECTL_VESPA_MODEL_CHECK_DIR", cache.path())
        .args(["vespa", "check"])
        .arg(committed_package())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("`java` was not found"),
        "{}",
        transcript(&output)
    );
}

#[test]
fn without_maven_an_empty_cache_says_what_is_missing() {
    let java_only = path_with(&["java", "javac"]);
    let cache = tempfile::tempdir().unwrap();
    let output = officectl()
        .env("PATH", java_only.path())
        .env_remove("JAVA_HOME")
        .env("OFFICECTL_VESPA_MODEL_CHECK_DIR", cache.path())
        .args(["vespa", "check"])
        .arg(committed_package())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert!(
        stderr.contains("Vespa's config model 8.700.24 is not in")
            && stderr.contains(&cache.path().display().to_string())
            && stderr.contains("`mvn` (Maven)")
            && stderr.contains("hint: install Maven"),
        "{stderr}"
    );
    // Nothing was fetched or compiled.
    assert!(!cache.path().join("m2").exists());
}
