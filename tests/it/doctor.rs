//! `officectl doctor` against the real local services.

use crate::support::{closed_port, officectl_with_services, services, transcript};

#[test]
fn doctor_is_green_against_local_services() {
    let output = officectl_with_services()
        .args(["doctor", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["format_version"], 1);
    assert_eq!(report["healthy"], true);
    let checks = report["checks"].as_array().unwrap();
    let services: Vec<&str> = checks
        .iter()
        .map(|c| c["service"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["pubsub", "redis", "vespa", "vespa-config"]);
    for check in checks {
        assert_eq!(check["status"], "ok", "{check}");
    }
    assert!(
        checks[1]["detail"]
            .as_str()
            .unwrap()
            .contains("write/read/delete ok")
    );
}

#[test]
fn doctor_table_has_a_row_per_service() {
    let output = officectl_with_services().arg("doctor").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("SERVICE"), "{text}");
    assert!(
        lines[1].starts_with("pubsub") && lines[1].contains(" ok "),
        "{text}"
    );
    assert!(
        lines[2].starts_with("redis") && lines[2].contains(" ok "),
        "{text}"
    );
    assert!(lines[1].contains(&services().emulator_host), "{text}");
    assert!(
        lines[3].starts_with("vespa ") && lines[3].contains(" ok "),
        "{text}"
    );
    assert!(
        lines[4].starts_with("vespa-config") && lines[4].contains(" ok "),
        "{text}"
    );
}

#[test]
fn doctor_names_redis_and_its_url_when_redis_is_down() {
    let url = format!("redis://127.0.0.1:{}", closed_port());
    let output = officectl_with_services()
        .args(["doctor", "--redis-url", &url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: 1 of 4 checks failed: `redis`"),
        "{stderr}"
    );
    assert!(stderr.contains(&url), "{stderr}");
    assert!(stderr.contains("hint: is Redis running at"), "{stderr}");
    // The healthy service still reports ok on stdout.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("pubsub") && l.contains(" ok ")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("redis") && l.contains("FAIL")),
        "{stdout}"
    );
}

#[test]
fn doctor_names_pubsub_when_it_is_unreachable() {
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let output = officectl_with_services()
        .args(["doctor", "--timeout", "3s", "--pubsub-endpoint", &endpoint])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`pubsub`") && stderr.contains(&endpoint),
        "{stderr}"
    );
}

#[test]
fn doctor_fails_on_a_vespa_without_the_document_types_or_not_answering() {
    // An application package with only the `todo` schema: the container is up, but a read of an
    // `email` document is refused, which is what every e-mail command would meet.
    let app = tempfile::tempdir().unwrap();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vespa/app");
    std::fs::create_dir(app.path().join("schemas")).unwrap();
    for file in ["schemas/todo.sd", "schemas/office_base.sd"] {
        std::fs::copy(source.join(file), app.path().join(file)).unwrap();
    }
    let services_xml = std::fs::read_to_string(source.join("services.xml")).unwrap();
    let kept: String = services_xml
        .lines()
        .filter(|l| !l.contains("<document type=") || l.contains("\"todo\""))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(app.path().join("services.xml"), kept).unwrap();
    let double = crate::support::OwnDouble::start(app.path(), &[]);
    let output = officectl_with_services()
        .args(["doctor", "-o", "json"])
        .args(["--vespa-endpoint", &double.endpoint()])
        .args([
            "--vespa-config-endpoint",
            &format!("http://127.0.0.1:{}", closed_port()),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let check = |name: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["service"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(check("vespa")["status"], "fail", "{}", double.log());
    assert!(
        check("vespa")["detail"].as_str().unwrap().contains("email"),
        "{report}"
    );
    assert_eq!(check("vespa-config")["status"], "fail");
    assert!(String::from_utf8_lossy(&output.stderr).contains("vespa-config"));
}
