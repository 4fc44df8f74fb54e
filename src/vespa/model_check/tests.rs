//! The checker's setup: the pinned version, the work directory, finding the tools, and what
//! is missing before anything runs.

use super::*;

#[test]
fn the_version_is_the_poms_and_the_reserved_names_were_read_from_it() {
    assert_eq!(vespa_version(), "8.700.24");
    // Moving the version means reading the reserved names again (docs/vespa.md).
    assert_eq!(
        vespa_version(),
        crate::model::vespa::names::TAKEN_FROM_VERSION
    );
}

#[test]
fn the_work_dir_changes_with_the_sources() {
    let name = work_dir_name();
    assert!(name.starts_with("8.700.24-") && name.len() == "8.700.24-".len() + 12);
    assert_eq!(name, work_dir_name());
}

fn executable(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, "#!/bin/sh\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

#[test]
fn tools_are_found_under_java_home_first_then_on_path() {
    let dir = tempfile::tempdir().unwrap();
    let (home, bin, other) = (
        dir.path().join("jdk"),
        dir.path().join("jdk/bin"),
        dir.path().join("bin"),
    );
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&other).unwrap();
    let java_home = executable(&bin, "java");
    let java_path = executable(&other, "java");
    let javac = executable(&other, "javac");
    let mvn = executable(&other, "mvn");
    // Not executable: skipped, as a shell would.
    std::fs::write(bin.join("javac"), "").unwrap();
    let path = std::env::join_paths([&other]).unwrap();

    let tools = Tools::find(Some(&path), Some(home.as_os_str()));
    assert_eq!(tools.java, Some(java_home));
    assert_eq!(tools.javac, Some(javac));
    assert_eq!(tools.mvn, Some(mvn));
    let tools = Tools::find(Some(&path), None);
    assert_eq!(tools.java, Some(java_path));
    assert_eq!(Tools::find(None, None), Tools::default());
}

#[test]
fn missing_tools_are_named_before_anything_runs() {
    let cache = tempfile::tempdir().unwrap();
    let err = ModelChecker::new(cache.path(), Tools::default()).unwrap_err();
    assert!(matches!(err, ModelCheckError::JavaMissing { .. }));
    assert!(err.to_string().contains("Java 17"), "{err}");

    let bin = tempfile::tempdir().unwrap();
    let java = executable(bin.path(), "java");
    let tools = Tools {
        java: Some(java.clone()),
        ..Tools::default()
    };
    let checker = ModelChecker::new(cache.path(), tools).unwrap();
    let mut steps = Vec::new();
    let err = checker.prepare(&mut |s| steps.push(s)).unwrap_err();
    let shown = err.to_string();
    assert!(
        matches!(err, ModelCheckError::MavenMissing { .. })
            && shown.contains("`mvn`")
            && shown.contains(&cache.path().display().to_string()),
        "{shown}"
    );
    assert!(steps.is_empty());

    // With the classpath cached Maven is not needed, but compiling needs javac.
    let jar = cache.path().join("a.jar");
    std::fs::write(&jar, "").unwrap();
    std::fs::create_dir_all(&checker.work).unwrap();
    std::fs::write(checker.classpath_file(), jar.as_os_str().as_encoded_bytes()).unwrap();
    let err = checker.prepare(&mut |s| steps.push(s)).unwrap_err();
    assert!(
        matches!(&err, ModelCheckError::JavacMissing { java: j } if *j == java),
        "{err}"
    );
    // Compiled too: nothing left to do, and nothing is run.
    std::fs::create_dir_all(checker.classes()).unwrap();
    std::fs::write(checker.classes().join("ModelCheck.class"), "").unwrap();
    checker.prepare(&mut |s| steps.push(s)).unwrap();
    assert!(steps.is_empty());

    // A jar that disappeared (a cleaned Maven repository) means resolving again.
    std::fs::remove_file(&jar).unwrap();
    assert!(checker.cached_classpath().is_none());
}

#[test]
fn a_directory_without_services_xml_is_refused_before_java_runs() {
    let cache = tempfile::tempdir().unwrap();
    let tools = Tools {
        java: Some(PathBuf::from("/nonexistent/java")),
        ..Tools::default()
    };
    let checker = ModelChecker::new(cache.path(), tools).unwrap();
    let err = checker.check(&[cache.path().to_path_buf()]).unwrap_err();
    assert!(matches!(err, ModelCheckError::NotAPackage(_)), "{err}");
    assert!(err.to_string().contains("no services.xml"), "{err}");
}

#[test]
fn a_result_line_parses() {
    let line = r#"{"app":"vespa/app","vespa_version":"8.700.24","passed":false,"errors":["Reserved name 'host' cannot be used as a field name."],"warnings":[{"level":"WARNING","message":"m","fatal":false,"allowed_because":"why"}],"millis":12}"#;
    let check: PackageCheck = serde_json::from_str(line).unwrap();
    assert!(!check.passed);
    assert_eq!(check.errors.len(), 1);
    assert_eq!(check.warnings[0].allowed_because.as_deref(), Some("why"));
}
