//! The command-line contract: help texts, exit codes, settings precedence, and the committed
//! completions and man pages.

use crate::support::{officectl, transcript};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Subcommand names listed under `Commands:` in a help text (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_help_matches_its_snapshot() {
    // Walk the whole command tree from the top-level help, so a new command cannot go unreviewed.
    let mut pending = vec![Vec::<String>::new()];
    let mut seen = 0;
    while let Some(path) = pending.pop() {
        let output = officectl().args(&path).arg("--help").output().unwrap();
        assert!(output.status.success(), "{path:?} --help failed");
        let help = String::from_utf8(output.stdout).unwrap();
        for sub in subcommands(&help) {
            let mut child = path.clone();
            child.push(sub);
            pending.push(child);
        }
        let name = if path.is_empty() {
            "help".to_string()
        } else {
            format!("help-{}", path.join("-"))
        };
        insta::assert_snapshot!(name, help);
        seen += 1;
    }
    assert!(seen >= 6, "only {seen} commands found");
}

#[test]
fn usage_errors_exit_2() {
    let output = officectl().arg("no-such-command").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = officectl()
        .args(["doctor", "--timeout", "soon"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("soon"));
    // A lease extension outside Pub/Sub's bounds names the flag and the bounds.
    let output = officectl()
        .args(["consume", "vespa-loader", "--lease-extension", "5s"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--lease-extension") && stderr.contains("outside 10s to 600s"),
        "{stderr}"
    );
}

#[test]
fn a_typo_in_the_config_file_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("officectl.yaml");
    std::fs::write(&path, "project: p\nredis:\n  uri: redis://x\n").unwrap();
    let output = officectl()
        .arg("--config")
        .arg(&path)
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let location = format!(
        "error: invalid config file `{}`:3:3: redis: unknown field `uri`",
        path.display()
    );
    assert!(stderr.contains(&location), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn settings_precedence_is_flag_env_file_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("officectl.yaml");
    std::fs::write(
        &path,
        "project: from-file\nredis:\n  url: redis://:hunter2@file-host:6379\noutput: yaml\n",
    )
    .unwrap();
    let output = officectl()
        .env("OFFICECTL_CONFIG", &path)
        .env("OFFICECTL_PROJECT", "from-env")
        .env("PUBSUB_EMULATOR_HOST", "127.0.0.1:8681")
        .args(["config", "show", "--sources", "-o", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", transcript(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["format_version"], 1);
    let rows: BTreeMap<String, (String, String)> = report["settings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap().to_string();
            (text("key"), (text("value"), text("source")))
        })
        .collect();
    assert_eq!(
        rows["project"],
        ("from-env".into(), "env OFFICECTL_PROJECT".into())
    );
    assert_eq!(rows["output"], ("json".into(), "flag".into()));
    assert_eq!(
        rows["pubsub.endpoint"],
        (
            "http://127.0.0.1:8681".into(),
            "env PUBSUB_EMULATOR_HOST".into()
        )
    );
    assert_eq!(rows["pubsub.credentials"].0, "anonymous");
    let file_source = format!("config {}", path.display());
    assert_eq!(
        rows["redis.url"],
        ("redis://:***@file-host:6379".into(), file_source)
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("hunter2"));
}

/// The README's exit-code table, parsed: code → meaning.
fn readme_exit_codes() -> BTreeMap<u8, String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    readme
        .lines()
        .skip_while(|l| !l.starts_with("## Exit codes"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let code = cells.get(1)?.trim_matches('`').parse().ok()?;
            Some((code, cells.get(2)?.to_string()))
        })
        .collect()
}

#[test]
fn the_readme_documents_every_exit_code() {
    use officectl::exit;
    let documented = readme_exit_codes();
    let codes = [
        exit::OK,
        exit::ERROR,
        exit::USAGE_OR_DRIFT,
        exit::LOCK_HELD,
        exit::PARTIAL,
        exit::INTERRUPTED,
    ];
    assert_eq!(
        documented.keys().copied().collect::<Vec<_>>(),
        codes.to_vec(),
        "{documented:?}"
    );
    assert!(documented[&exit::LOCK_HELD].contains("lock"));
    assert!(documented[&exit::PARTIAL].contains("partial"));
    assert!(documented[&exit::INTERRUPTED].contains("nterrupt"));
}

fn committed(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)
}

/// Every file in `fresh` equals the one in `committed`, and neither has extra files.
fn assert_same_files(fresh: &Path, committed: &Path) {
    let names = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let hint = "regenerate them with `scripts/regen` and commit the result";
    assert_eq!(
        names(fresh),
        names(committed),
        "`{}` is stale: {hint}",
        committed.display()
    );
    for name in names(fresh) {
        let want = std::fs::read(fresh.join(&name)).unwrap();
        let have = std::fs::read(committed.join(&name)).unwrap();
        assert!(
            want == have,
            "`{}/{name}` is stale: {hint}",
            committed.display()
        );
    }
}

#[test]
fn committed_completions_are_fresh() {
    let dir = tempfile::tempdir().unwrap();
    officectl()
        .args(["completions", "--out-dir"])
        .arg(dir.path())
        .assert()
        .success();
    assert_same_files(dir.path(), &committed("completions"));
}

#[test]
fn committed_man_pages_are_fresh() {
    let dir = tempfile::tempdir().unwrap();
    officectl()
        .args(["man", "--out-dir"])
        .arg(dir.path())
        .assert()
        .success();
    assert_same_files(dir.path(), &committed("man"));
}

#[test]
fn completion_for_one_shell_goes_to_stdout() {
    let output = officectl().args(["completions", "bash"]).output().unwrap();
    assert!(output.status.success());
    let script = String::from_utf8(output.stdout).unwrap();
    assert!(
        script.contains("_officectl()"),
        "not a bash completion script"
    );
    assert!(script.contains("doctor"));
}

/// Bad files named on the command line are usage errors (exit 2), as the README's exit-code
/// table says, and each cause is said once.
#[test]
fn bad_input_files_are_usage_errors_with_each_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("layout.yaml");
    std::fs::write(&layout, "topics:\n  emails: {bogus: 1}\n").unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(&plan, "name: p\nsteps:\n  - nonsense: {}\n").unwrap();
    let missing = dir.path().join("missing.ndjson");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "topics".into(),
                "plan".into(),
                "--layout".into(),
                layout.display().to_string(),
            ],
            "layout.yaml",
        ),
        (
            vec!["migrate".into(), "plan".into(), plan.display().to_string()],
            "plan.yaml",
        ),
        (
            vec![
                "events".into(),
                "validate".into(),
                missing.display().to_string(),
            ],
            "missing.ndjson",
        ),
        (
            vec!["vespa".into(), "feed".into(), missing.display().to_string()],
            "missing.ndjson",
        ),
    ];
    for (args, file) in cases {
        let output = crate::support::officectl_with_services()
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(file), "{args:?}: {stderr}");
        // No cause line repeats what the line above it already said.
        let lines: Vec<&str> = stderr.lines().collect();
        for pair in lines.windows(2) {
            let cause = pair[1].trim_start().trim_start_matches("caused by: ");
            assert!(
                !(pair[1].contains("caused by") && pair[0].contains(cause)),
                "{args:?} repeats itself:\n{stderr}"
            );
        }
    }
}

/// The README's command table: noun → the verbs its first cell names (`events
/// validate\|convert` → `events: {validate, convert}`; a cell may name several commands in code
/// spans, e.g. `reindex …` / `reindex status`).
fn readme_commands() -> BTreeMap<String, std::collections::BTreeSet<String>> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table = readme
        .split("## Commands")
        .nth(1)
        .expect("a `## Commands` section")
        .split("\n## ")
        .next()
        .unwrap_or_default();
    let mut commands: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for row in table.lines().filter(|l| l.starts_with("| `officectl ")) {
        let cell = row
            .trim_start_matches('|')
            .split(" | ")
            .next()
            .unwrap_or_default();
        let mut noun = None;
        for (i, span) in cell.split('`').enumerate() {
            if i % 2 == 0 {
                continue;
            }
            let words: Vec<&str> = span.trim_start_matches("officectl ").split(' ').collect();
            let this = words[0].to_string();
            let verbs = commands.entry(this.clone()).or_default();
            if let Some(second) = words.get(1)
                && !second.starts_with('-')
                && second
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_lowercase())
            {
                for verb in second.split("\\|") {
                    verbs.insert(verb.to_string());
                }
            }
            noun.get_or_insert(this);
        }
        assert!(noun.is_some(), "a command row without a command: {row}");
    }
    commands
}

#[test]
fn the_readme_command_table_matches_the_binary() {
    let help = |args: &[&str]| {
        let output = officectl().args(args).arg("--help").output().unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let mut binary: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for noun in subcommands(&help(&[])) {
        let verbs = subcommands(&help(&[&noun])).into_iter().collect();
        binary.insert(noun, verbs);
    }
    let readme = readme_commands();
    assert_eq!(
        readme.keys().collect::<Vec<_>>(),
        binary.keys().collect::<Vec<_>>(),
        "the README's command table and `officectl --help` list different commands"
    );
    for (noun, verbs) in &binary {
        assert_eq!(
            &readme[noun], verbs,
            "README's row for `{noun}` names other verbs than `officectl {noun} --help`"
        );
    }
}
