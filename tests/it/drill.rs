//! `officectl migrate drill` against the local services: every plan of `plans/migrations/` is
//! drilled without a rollback, and with a rollback midway plus chaos (the loader and
//! `migrate apply` killed at seeded points), and must lose and duplicate nothing; a plan that
//! moves the readers before the publishers must fail with the lost ids; a project the plan does
//! not name is refused. Each drill runs in its own namespace, so they run at once, beside the
//! other tests, in the shared project.

use crate::support::{officectl_with_services, spawnable_officectl_with_services, transcript};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn plans() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/migrations");
    let mut plans: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    plans.sort();
    assert!(plans.len() >= 3, "{plans:?}");
    plans
}

/// Starts a drill of `plan` with `extra` flags; returns its output when it ends.
fn drill(plan: &Path, extra: &[&str]) -> std::thread::JoinHandle<Output> {
    let mut command = spawnable_officectl_with_services();
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["migrate", "drill", "-o", "json", "--rate", "40"])
        .arg(plan)
        .args(extra);
    if !extra.contains(&"--step-traffic") {
        command.args(["--step-traffic", "500ms"]);
    }
    std::thread::spawn(move || command.output().expect("officectl runs"))
}

fn report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", transcript(out)))
}

/// The drill passed: something was published and indexed, nothing lost or duplicated, every
/// phase accounted for, and the throwaway resources removed.
fn assert_clean(out: &Output) -> Value {
    assert!(out.status.success(), "{}", transcript(out));
    let report = report(out);
    assert_eq!(report["passed"], true, "{report:#}");
    assert_eq!(report["lost"], Value::Array(vec![]), "{report:#}");
    assert_eq!(report["duplicated"], Value::Array(vec![]), "{report:#}");
    assert_eq!(report["failures"], Value::Array(vec![]), "{report:#}");
    let published = report["published"].as_u64().unwrap();
    assert!(published > 50, "{report:#}");
    assert!(
        report["documents"].as_u64().unwrap() >= published,
        "{report:#}"
    );
    let phases = report["phases"].as_array().unwrap();
    let per_phase: u64 = phases
        .iter()
        .map(|p| p["published"].as_u64().unwrap())
        .sum();
    assert_eq!(per_phase, published, "{report:#}");
    assert!(report["lag_p99_ms"].as_u64().is_some(), "{report:#}");
    assert_eq!(report["cleaned_up"], true, "{report:#}");
    assert_namespace_empty(report["namespace"].as_str().unwrap());
    report
}

/// Nothing of the namespace is left in Pub/Sub, Redis or Vespa.
fn assert_namespace_empty(namespace: &str) {
    assert_eq!(
        namespace_documents(namespace),
        0,
        "documents of `{namespace}` left"
    );
    let out = officectl_with_services()
        .env("OFFICECTL_NAMESPACE", namespace)
        .args(["topics", "list", "-o", "json"])
        .output()
        .unwrap();
    let listed = report(&out);
    assert_eq!(listed["topics"], Value::Array(vec![]), "{listed:#}");
    assert_eq!(listed["subscriptions"], Value::Array(vec![]), "{listed:#}");
    let client = redis::Client::open(crate::support::services().redis_url).unwrap();
    let mut conn = client.get_connection().unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{namespace}:*"))
        .query(&mut conn)
        .unwrap();
    assert!(keys.is_empty(), "{keys:?}");
}

/// How many documents of `namespace` Vespa holds (one visit of the root; the drills' few
/// hundred fit one page).
fn namespace_documents(namespace: &str) -> usize {
    let selection = format!("id.namespace%3D%3D%22{namespace}%22");
    let (status, body) = crate::support::http(
        &crate::support::vespa_endpoint(),
        "GET",
        &format!("/document/v1/?cluster=office&wantedDocumentCount=10000&selection={selection}"),
        None,
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.get("continuation").is_none(), "{body}");
    body["documents"].as_array().map_or(0, Vec::len)
}

#[test]
fn every_plan_drills_clean_with_and_without_a_rollback_and_with_chaos() {
    let plans = plans();
    // Each drill waits out the plans' 90 s relay of legacy leftovers, and the chaos drills the
    // leases of killed loaders: all six at once.
    let plain: Vec<_> = plans
        .iter()
        .map(|plan| (plan.clone(), drill(plan, &[])))
        .collect();
    let chaotic: Vec<_> = plans
        .iter()
        .enumerate()
        .map(|(i, plan)| {
            let seed = (11 + i).to_string();
            let extra = ["--rollback-at", "read-new", "--chaos", "--seed", &seed];
            (plan.clone(), drill(plan, &extra))
        })
        .collect();
    for (plan, drill) in plain {
        let report = assert_clean(&drill.join().unwrap());
        let phases = phase_names(&report);
        assert_eq!(
            phases.first().map(String::as_str),
            Some("traffic before the plan")
        );
        assert!(
            phases.iter().any(|p| p == "apply verify-parity"),
            "{}: {phases:?}",
            plan.display()
        );
        assert!(
            phases.iter().any(|p| p == "apply relay-legacy-leftovers"),
            "{phases:?}"
        );
        assert_eq!(phases.last().map(String::as_str), Some("drain"));
        assert!(!phases.iter().any(|p| p == "rollback"), "{phases:?}");
    }
    for (plan, drill) in chaotic {
        let report = assert_clean(&drill.join().unwrap());
        let phases = phase_names(&report);
        let rollback = phases.iter().position(|p| p == "rollback");
        assert!(rollback.is_some(), "{}: {phases:?}", plan.display());
        assert!(
            phases[rollback.unwrap()..]
                .iter()
                .any(|p| p == "re-apply delete-legacy-subscription"),
            "{phases:?}"
        );
        let kills = report["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["what"].as_str().unwrap().starts_with("chaos: killed"))
            .count();
        assert!(kills >= 1, "{}: {report:#}", plan.display());
    }
}

fn phase_names(report: &Value) -> Vec<String> {
    report["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["phase"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_plan_that_moves_readers_before_publishers_fails_with_the_lost_ids() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("readers-first.yaml");
    std::fs::write(
        &plan,
        "name: readers-first\n\
         drill: {projects: [local-project]}\n\
         steps:\n\
         - ensure_layout: {name: ensure-new-layout, topics: [emails], subscriptions: [vespa-loader-emails]}\n\
         - set_flag: {name: read-new, flag: read_source, consumer: vespa-loader, data_type: email, value: new}\n\
         - set_flag: {name: publish-dual, flag: publish_mode, data_type: email, value: dual}\n",
    )
    .unwrap();
    let out = drill(
        &plan,
        &["--drain-timeout", "8s", "--step-traffic", "7s", "--keep"],
    )
    .join()
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    let report = report(&out);
    assert_eq!(report["passed"], false);
    let lost = report["lost"].as_array().unwrap();
    assert!(!lost.is_empty(), "{report:#}");
    assert!(
        lost[0].as_str().unwrap().starts_with("id:drill-"),
        "{report:#}"
    );
    // The loss is where the readers moved and the publishers did not.
    let read_new = report["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["phase"] == "apply read-new")
        .unwrap();
    assert!(
        !read_new["lost"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lost"), "{stderr}");

    // `--keep` left it all for a look; `--clean-up` removes it.
    let namespace = report["namespace"].as_str().unwrap();
    assert_eq!(report["cleaned_up"], false);
    assert!(namespace_documents(namespace) > 0, "{report:#}");
    let cleaned = officectl_with_services()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["migrate", "drill", "--clean-up", namespace])
        .arg(&plan)
        .output()
        .unwrap();
    assert!(cleaned.status.success(), "{}", transcript(&cleaned));
    let said = String::from_utf8_lossy(&cleaned.stderr);
    assert!(
        said.contains(&format!("removed namespace `{namespace}`"))
            && !said.contains(" 0 topics")
            && !said.contains(" 0 documents"),
        "{said}"
    );
    assert_namespace_empty(namespace);
    let bad = officectl_with_services()
        .args(["migrate", "drill", "--clean-up", "office"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "{}", transcript(&bad));
}

#[test]
fn refuses_projects_the_plan_does_not_name_and_bad_rollback_points() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/migrations/emails.yaml");
    let run = |args: &[&str]| {
        officectl_with_services()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["migrate", "drill"])
            .arg(&plan)
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["--project", "office-prod"]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("emails.yaml")
            && stderr.contains("`office-prod`")
            && stderr.contains("--allow-project office-prod"),
        "{stderr}"
    );

    let out = run(&["--rollback-at", "delete-legacy-subscription"]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("irreversible"),
        "{}",
        transcript(&out)
    );

    // Already inside a drill's namespace: no drill within a drill.
    let nested = |namespace: &str| {
        officectl_with_services()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("OFFICECTL_NAMESPACE", namespace)
            .args(["migrate", "drill"])
            .arg(&plan)
            .output()
            .unwrap()
    };
    let out = nested("drill-0000abcd");
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`drill-0000abcd`") && stderr.contains("its own namespace"),
        "{}",
        transcript(&out)
    );
    // A namespace that could collide with real names is refused before anything is named.
    let out = nested("office");
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("OFFICECTL_NAMESPACE") && stderr.contains("drill-"),
        "{}",
        transcript(&out)
    );
}

#[test]
fn ctrl_c_stops_the_drill_and_still_cleans_up() {
    use std::io::{BufRead, BufReader};
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/migrations/contacts.yaml");
    let mut child = spawnable_officectl_with_services()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["migrate", "drill", "-o", "json", "--step-traffic", "1s"])
        .arg(&plan)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let namespace = first
        .split('`')
        .find(|part| part.starts_with("drill-"))
        .unwrap_or_else(|| panic!("no namespace in {first:?}"))
        .to_string();
    // Into the plan: a few steps applied, the loader running.
    let mut seen = first.clone();
    let mut line = String::new();
    while !line.contains("apply publish-dual") {
        line.clear();
        let read = stderr.read_line(&mut line).unwrap();
        assert!(
            read > 0,
            "the drill ended before `apply publish-dual`: {seen}"
        );
        seen.push_str(&line);
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{rest}");
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {rest}"));
    assert_eq!(report["passed"], false, "{report:#}");
    assert_eq!(report["cleaned_up"], true, "{report:#}");
    assert_namespace_empty(&namespace);
}
