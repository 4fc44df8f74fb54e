//! Transcripts of whole command runs: for the main paths of every command, a success and its most
//! important failure, each snapshot holding the command line, the exit code, stdout and stderr.
//!
//! Issue 12 restructures the crate while behaviour, flags, exit codes and output stay as they
//! are; these snapshots, written against the behaviour before it, hold it to that. A snapshot
//! that shows a bug shows it on purpose: the report of the change that added it lists them, and
//! a fix updates the snapshot deliberately.
//!
//! What varies between runs is replaced by a name in brackets before the comparison (insta
//! filters, see [`SCRUB`] and [`World::literal`]): the local services' ports, resource and user
//! names from [`World::name`], temporary directories, UUIDs (correlation ids), lock ids, pids, the
//! host name, clock times, durations, rates and latencies. The names are `support::unique`'s with
//! the pid zero-padded, so a name is as wide in every run and table columns keep their width;
//! tables whose column widths follow a scrubbed value anyway (the pid in `migrate status`, the
//! latency in `doctor`) are compared with runs of spaces collapsed ([`World::snap_loose`]). The
//! runs set `USER` (the lock holder's name) so it is the same on every machine.
//!
//! Redis databases of this module, each flushed by the one test that uses it (the other modules
//! use 3–10, 20–21 and 30): 40 `events publish` (no publish-mode flag: legacy routing),
//! 41 `migrate` (journals, locks, flags), 42 `backfill` (checkpoints), 43 `reindex` re-feed
//! checkpoints, 44 `migrate relay`'s legacy publish.
//!
//! Inputs stay small and there is no sleep: each test is a sequence of short runs, and the tests
//! run in parallel.

use crate::support::{self, transcript};
use std::path::{Path, PathBuf};
use std::process::Output;

/// Filters for what varies between runs, applied after a world's literals (regex, replacement).
const SCRUB: &[(&str, &str)] = &[
    // Loopback ports from the kernel's ephemeral range (32768-60999) not of the shared
    // services: closed ports, doubles of a test's own. Fixed ports (defaults) stay.
    (
        r"127\.0\.0\.1:(3[2-9]\d{3}|[4-6]\d{4})\b",
        "127.0.0.1:[PORT]",
    ),
    (
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[UUID]",
    ),
    // Migration lock ids: `<pid>-<16 hex digits>`.
    (r"\b\d+-[0-9a-f]{16}\b", "[LOCK_ID]"),
    (r"\(pid \d+\)", "(pid [PID])"),
    // Clock times. The fixtures and samples date from 2024 and before, so only times of the
    // run itself are replaced. The fraction and the zone stay in their shape (`[TIME]Z`,
    // `[TIME].[FRACTION]+00:00`), so a change of format shows.
    (r"\b20(2[5-9]|[3-9]\d)-\d\d-\d\dT\d\d:\d\d:\d\d", "[TIME]"),
    (r"\[TIME\]\.\d+", "[TIME].[FRACTION]"),
    (
        r#""(readyMillis|startedMillis|endedMillis)": \d+"#,
        r#""${1}": [MILLIS]"#,
    ),
    // Measured figures in JSON reports.
    (
        r#""(seconds|elapsed_seconds|elapsed_secs|ops_per_second|events_per_sec|latency_ms|millis|peak_inflight)": [0-9.e+-]+"#,
        r#""${1}": [VAR]"#,
    ),
    // Measured figures in `FIGURE VALUE` tables.
    (
        r"(?m)^(seconds|elapsed|ops/s|events/s|peak in flight)( +)\S+$",
        "${1}${2}[VAR]",
    ),
    (r"\b\d+\.\d+ ?s\b", "[DURATION]"),
    (r"\b\d+ ms\b", "[LATENCY]"),
    (r"redis \d+\.\d+\.\d+", "redis [VERSION]"),
    // Re-feed checkpoints are keyed by a hash of the source (a file's canonical path, the
    // visited users).
    (
        r"checkpoint:(file|visit):[0-9a-f]{32}",
        "checkpoint:${1}:[HASH]",
    ),
];

/// `text` as a regex that matches it literally.
fn literally(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `127.0.0.1:PORT` of a service URL or `host:port`, if it has one.
fn loopback_of(url: &str) -> Option<String> {
    let rest = url.split("://").last()?;
    let host_port = rest.split(['/', '?']).next()?;
    host_port
        .starts_with("127.0.0.1:")
        .then(|| host_port.to_string())
}

/// One command run: the command line as the snapshot shows it, and what it did.
struct Run {
    line: String,
    output: Output,
}

/// One test's world: a temporary directory, the names it made, what to scrub, and the global
/// flags every run gets (`--project`, `--redis-url`).
struct World {
    dir: tempfile::TempDir,
    /// (regex, replacement), applied before [`SCRUB`].
    literals: Vec<(String, String)>,
    global: Vec<String>,
    /// Variables every run gets, left out of the command line shown.
    env: Vec<(String, String)>,
    services: bool,
}

impl World {
    /// A world whose runs see the local services (`support::officectl_with_services`).
    fn new() -> World {
        let mut world = World::offline();
        world.services = true;
        let services = support::services();
        let endpoints = [
            (services.emulator_host.clone(), "PUBSUB_PORT"),
            (services.redis_url.clone(), "REDIS_PORT"),
            (support::vespa_endpoint(), "VESPA_PORT"),
            (support::vespa_config_endpoint(), "VESPA_CONFIG_PORT"),
        ];
        for (url, name) in endpoints {
            if let Some(host_port) = loopback_of(&url) {
                let pattern = format!(r"{}\b", literally(&host_port));
                world
                    .literals
                    .push((pattern, format!("127.0.0.1:[{name}]")));
            }
        }
        world
    }

    /// A world whose runs see no service (`support::officectl`).
    fn offline() -> World {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut world = World {
            dir,
            literals: Vec::new(),
            global: Vec::new(),
            env: vec![("USER".into(), "operator".into())],
            services: false,
        };
        let tmp = world.dir.path().display().to_string();
        world.literal(&tmp, "[TMP]");
        // The target directory's temporary directory is inside the repository: first.
        world.literal(env!("CARGO_TARGET_TMPDIR"), "[TARGET_TMP]");
        world.literal(env!("CARGO_MANIFEST_DIR"), "[REPO]");
        if let Ok(host) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
            let host = host.trim();
            if !host.is_empty() {
                world
                    .literals
                    .push((format!(r"@{}\b", literally(host)), "@[HOST]".to_string()));
            }
        }
        world
    }

    /// Replaces `text` with `placeholder` in every snapshot of this world.
    fn literal(&mut self, text: &str, placeholder: &str) {
        self.literals
            .push((literally(text), placeholder.to_string()));
    }

    /// A name unique to this run (`support::unique` with the pid zero-padded to 7 digits and the
    /// counter to 4, so every run's name is as wide), shown as `placeholder`.
    fn name(&mut self, prefix: &str, placeholder: &str) -> String {
        let id = support::unique(prefix);
        let mut parts = id.rsplitn(3, '-');
        let n = parts.next().expect("counter");
        let pid = parts.next().expect("pid");
        let name = format!("{prefix}-{pid:0>7}-{n:0>4}");
        self.literal(&name, placeholder);
        name
    }

    /// A project of this world's own, passed to every run with `--project`.
    fn project(&mut self) -> String {
        let project = self.name("tr", "[PROJECT]");
        self.global.extend(["--project".into(), project.clone()]);
        project
    }

    /// A vespa-double of this test's own (the committed application package, reindexing fast),
    /// set for every run through the environment as the shared one is: other tests' load on the
    /// shared double (429s past its queue) cannot show in this test's figures. Keep it alive
    /// for the test.
    fn own_double(&mut self) -> support::OwnDouble {
        let double = support::OwnDouble::start(
            &repo("vespa/app"),
            &["--reindex-rate", "50", "--reindex-start-delay-ms", "0"],
        );
        // First, before the shared services' ports (one may have been reused).
        let ports = [
            (double.port, "VESPA_PORT"),
            (double.config_port, "VESPA_CONFIG_PORT"),
        ];
        for (port, name) in ports.into_iter().rev() {
            self.literals.insert(
                0,
                (
                    format!(r"127\.0\.0\.1:{port}\b"),
                    format!("127.0.0.1:[{name}]"),
                ),
            );
        }
        self.env
            .push(("OFFICECTL_VESPA_ENDPOINT".into(), double.endpoint()));
        self.env.push((
            "OFFICECTL_VESPA_CONFIG_ENDPOINT".into(),
            format!("http://127.0.0.1:{}", double.config_port),
        ));
        double
    }

    /// Redis database `db`, emptied, passed to every run with `--redis-url`.
    fn redis_db(&mut self, db: u8) -> String {
        let url = support::redis_db(db);
        let mut conn = redis::Client::open(url.as_str())
            .expect("redis url")
            .get_connection()
            .expect("connect to redis");
        let () = redis::cmd("FLUSHDB").query(&mut conn).expect("flushdb");
        self.global.extend(["--redis-url".into(), url.clone()]);
        url
    }

    /// A file in this world's directory.
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `text` to `name` in this world's directory; its path as an argument.
    fn write(&self, name: &str, text: &str) -> String {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dir");
        }
        std::fs::write(&path, text).expect("write file");
        path.display().to_string()
    }

    fn run(&self, args: &[impl AsRef<str>]) -> Run {
        self.run_with(&[], None, args)
    }

    fn run_env(&self, env: &[(&str, &str)], args: &[impl AsRef<str>]) -> Run {
        self.run_with(env, None, args)
    }

    /// Runs `officectl GLOBAL ARGS` with `env` (shown in the command line) and `stdin`.
    fn run_with(&self, env: &[(&str, &str)], stdin: Option<&str>, args: &[impl AsRef<str>]) -> Run {
        let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
        let mut cmd = if self.services {
            support::officectl_with_services()
        } else {
            support::officectl()
        };
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args(&self.global).args(&args);
        cmd.timeout(std::time::Duration::from_secs(120));
        if let Some(input) = stdin {
            cmd.write_stdin(input.to_string());
        }
        let output = cmd.output().expect("run officectl");
        let mut words: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        words.push("officectl".into());
        words.extend(self.global.iter().cloned());
        words.extend(args.iter().map(|a| a.to_string()));
        let mut line = words
            .iter()
            .map(|w| {
                if w.is_empty() || w.contains([' ', '"', '\'', '`', '$', '|']) {
                    format!("'{w}'")
                } else {
                    w.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        if stdin.is_some() {
            line.push_str(" < (stdin)");
        }
        Run { line, output }
    }

    /// Snapshots `run` as `name` after checking its exit code (`None`: killed by a signal).
    fn snap(&self, name: &str, run: &Run, code: Option<i32>) {
        self.compare(name, run, code, false);
    }

    /// [`World::snap`] with runs of spaces after text collapsed to two, for tables whose column
    /// widths follow a scrubbed value.
    fn snap_loose(&self, name: &str, run: &Run, code: Option<i32>) {
        self.compare(name, run, code, true);
    }

    fn compare(&self, name: &str, run: &Run, code: Option<i32>, loose: bool) {
        assert_eq!(
            run.output.status.code(),
            code,
            "{name}: {}\n{}",
            run.line,
            transcript(&run.output)
        );
        let mut rules: Vec<(String, String)> = self.literals.clone();
        rules.extend(SCRUB.iter().map(|(r, s)| (r.to_string(), s.to_string())));
        if loose {
            rules.push((r"(\S) {2,}".into(), "${1}  ".into()));
        }
        let filters: Vec<(&str, &str)> = rules
            .iter()
            .map(|(r, s)| (r.as_str(), s.as_str()))
            .collect();
        let text = format!("$ {}\n{}", run.line, transcript(&run.output));
        insta::with_settings!({filters => filters, omit_expression => true}, {
            insta::assert_snapshot!(name, text);
        });
    }
}

/// The repository's file `relative`.
fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// A fixture event of `tests/fixtures/events/` as one NDJSON line.
fn fixture_line(name: &str) -> String {
    let text = std::fs::read_to_string(repo("tests/fixtures/events").join(name)).expect("fixture");
    let value: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    value.to_string()
}

/// `topics apply` of a small layout, outside the snapshots (setup for other commands).
fn lay_out(world: &World, layout: &str) {
    let path = world.write("setup-layout.yaml", layout);
    let run = world.run(&["topics", "apply", "-q", "--layout", &path]);
    assert_eq!(
        run.output.status.code(),
        Some(0),
        "setup: {}\n{}",
        run.line,
        transcript(&run.output)
    );
}

#[test]
fn config_show() {
    let world = World::offline();
    let config = world.write(
        "officectl.yaml",
        "project: from-file\nredis:\n  url: redis://:hunter2@file-host:6379\noutput: yaml\n",
    );
    let run = world.run_env(
        &[("OFFICECTL_PROJECT", "from-env")],
        &["--config", &config, "config", "show", "--sources"],
    );
    world.snap("config-show-sources-yaml", &run, Some(0));
    let run = world.run(&["--config", &config, "config", "show", "-o", "table"]);
    world.snap("config-show-table", &run, Some(0));
    let run = world.run(&["config", "show", "--sources", "-o", "json"]);
    world.snap("config-show-defaults-json", &run, Some(0));

    let typo = world.write("typo.yaml", "project: p\nredis:\n  uri: redis://x\n");
    let run = world.run(&["--config", &typo, "config", "show"]);
    world.snap("config-show-typo-in-file", &run, Some(2));
    let missing = world.path("missing.yaml").display().to_string();
    let run = world.run(&["--config", &missing, "config", "show"]);
    world.snap("config-show-missing-file", &run, Some(2));
    let run = world.run(&["config", "show", "--colour"]);
    world.snap("config-show-unknown-flag", &run, Some(2));
    let run = world.run(&["no-such-command"]);
    world.snap("usage-unknown-command", &run, Some(2));
}

#[test]
fn doctor() {
    let mut world = World::new();
    world.project();
    let run = world.run(&["doctor"]);
    world.snap_loose("doctor-healthy", &run, Some(0));
    let run = world.run(&["doctor", "-o", "json"]);
    world.snap("doctor-healthy-json", &run, Some(0));
    let closed = format!("redis://127.0.0.1:{}", support::closed_port());
    let run = world.run(&["doctor", "--redis-url", &closed]);
    world.snap_loose("doctor-redis-down", &run, Some(1));
    let run = world.run(&["doctor", "--timeout", "soon"]);
    world.snap("doctor-usage-bad-timeout", &run, Some(2));
}

#[test]
fn events_offline() {
    let world = World::offline();
    let good = world.write(
        "good.ndjson",
        &[
            fixture_line("valid/email.json"),
            fixture_line("valid/todo.json"),
            fixture_line("legacy/minimal.json"),
        ]
        .join("\n"),
    );
    let mixed = world.write("mixed.ndjson", &mixed_events());
    let missing = world.path("missing.ndjson").display().to_string();

    let run = world.run(&["events", "validate", &good]);
    world.snap("events-validate-valid", &run, Some(0));
    let run = world.run(&["events", "validate", &mixed]);
    world.snap("events-validate-invalid-lines", &run, Some(1));
    let run = world.run(&["events", "validate", "-o", "json", &mixed]);
    world.snap("events-validate-invalid-lines-json", &run, Some(1));
    let run = world.run(&["events", "validate", &missing]);
    world.snap("events-validate-missing-file", &run, Some(2));

    let legacy = world.write("legacy.ndjson", &fixture_line("legacy/minimal.json"));
    let run = world.run(&["events", "convert", &legacy]);
    world.snap("events-convert-legacy", &run, Some(0));
    let input = format!(
        "{}\n{{\"event_type\":\"TodoEvent\"}}\n",
        fixture_line("legacy/minimal.json")
    );
    let run = world.run_with(&[], Some(&input), &["events", "convert", "-"]);
    world.snap("events-convert-stdin-invalid-line", &run, Some(1));

    let run = world.run(&["events", "schema", "todo"]);
    world.snap("events-schema-todo", &run, Some(0));
    let run = world.run(&["events", "schema", "Nope"]);
    world.snap("events-schema-unknown-type", &run, Some(1));
}

/// Four lines: a valid e-mail, a to-do with bad enums, a legacy e-mail, and not JSON.
fn mixed_events() -> String {
    [
        fixture_line("valid/email.json"),
        fixture_line("invalid/todo_bad_enums.json"),
        fixture_line("legacy/minimal.json"),
        "{not json".to_string(),
    ]
    .join("\n")
}

#[test]
fn events_publish() {
    let mut world = World::new();
    world.project();
    world.redis_db(40);
    let good = world.write(
        "good.ndjson",
        &[
            fixture_line("valid/email.json"),
            fixture_line("valid/todo.json"),
            fixture_line("legacy/minimal.json"),
        ]
        .join("\n"),
    );
    let mixed = world.write("mixed.ndjson", &mixed_events());

    // No publish-mode flag in the database: e-mail goes to the legacy topic.
    let run = world.run(&["events", "publish", &good]);
    world.snap("events-publish-missing-topics", &run, Some(1));
    lay_out(&world, "topics:\n  todos: {}\n  email-backfill: {}\n");
    let run = world.run(&["events", "publish", "--dry-run", &good]);
    world.snap("events-publish-dry-run", &run, Some(0));
    let run = world.run(&["events", "publish", &good]);
    world.snap("events-publish", &run, Some(0));
    let run = world.run(&["events", "publish", "-o", "json", &good]);
    world.snap("events-publish-json", &run, Some(0));
    let run = world.run(&["events", "publish", &mixed]);
    world.snap("events-publish-invalid-lines", &run, Some(1));
}

#[test]
fn vespa_schema_and_check() {
    let mut world = World::offline();
    // The cache `scripts/test` warms: `<target dir>/vespa-model-check`.
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .join("vespa-model-check");
    world.env.push((
        "OFFICECTL_VESPA_MODEL_CHECK_DIR".into(),
        cache.display().to_string(),
    ));
    let out = world.path("app").display().to_string();
    let run = world.run(&["vespa", "schema", "--out", &out]);
    world.snap("vespa-schema-out", &run, Some(0));
    let run = world.run(&["vespa", "schema"]);
    world.snap("vespa-schema-usage-no-out-or-check", &run, Some(2));

    let run = world.run(&["vespa", "check", "vespa/app"]);
    world.snap("vespa-check-passes", &run, Some(0));
    // A field named as Vespa reserves: the config model refuses the package.
    let bad = world.path("bad");
    std::fs::create_dir_all(bad.join("schemas")).expect("create dir");
    std::fs::copy(repo("vespa/app/services.xml"), bad.join("services.xml")).expect("copy");
    for entry in std::fs::read_dir(repo("vespa/app/schemas")).expect("schemas") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("schema");
        let text = text.replace("field host_address type", "field host type");
        std::fs::write(
            bad.join("schemas").join(path.file_name().expect("name")),
            text,
        )
        .expect("write schema");
    }
    let bad = bad.display().to_string();
    let run = world.run(&["vespa", "check", "vespa/app", &bad]);
    // The APP column is as wide as the temporary directory's path.
    world.snap_loose("vespa-check-refused", &run, Some(1));
    let missing = world.path("missing").display().to_string();
    let run = world.run(&["vespa", "check", &missing]);
    world.snap("vespa-check-not-a-package", &run, Some(1));
}

#[test]
fn vespa_feed() {
    let mut world = World::new();
    let _double = world.own_double();
    let user = world.name("feed", "[USER]");
    let good = world.write(
        "feed.jsonl",
        &format!(
            "{}\n{}\n{}\n",
            serde_json::json!({"put": format!("id:office:email:g={user}:m1"),
                "fields": {"user_id": user, "doc_type": "email", "title": "budget review", "text": "notes"}}),
            serde_json::json!({"put": format!("id:office:calendar:g={user}:c1"),
                "fields": {"user_id": user, "doc_type": "calendar", "title": "planning", "text": "notes"}}),
            serde_json::json!({"update": format!("id:office:email:g={user}:m1"),
                "fields": {"text": {"assign": "new notes"}}}),
        ),
    );
    let run = world.run(&["vespa", "feed", &good]);
    world.snap("vespa-feed", &run, Some(0));
    // A line that is not an operation, a type the application lacks, a field a type lacks.
    let bad = world.write(
        "bad.jsonl",
        &format!(
            "{}\nnot an operation\n{}\n{}\n",
            serde_json::json!({"put": format!("id:office:email:g={user}:m2"),
                "fields": {"user_id": user, "title": "fine"}}),
            serde_json::json!({"put": format!("id:office:hologram:g={user}:h1"),
                "fields": {"title": "x"}}),
            serde_json::json!({"put": format!("id:office:email:g={user}:m3"),
                "fields": {"no_such_field": "x"}}),
        ),
    );
    // One operation at a time: failures are listed in the order they come back.
    let run = world.run(&[
        "vespa",
        "feed",
        "-o",
        "json",
        "--connections",
        "1",
        "--max-inflight",
        "1",
        &bad,
    ]);
    world.snap("vespa-feed-failures-json", &run, Some(1));
    let missing = world.path("missing.jsonl").display().to_string();
    let run = world.run(&["vespa", "feed", &missing]);
    world.snap("vespa-feed-missing-file", &run, Some(2));
}

#[test]
fn topics() {
    let mut world = World::new();
    world.project();
    let layout = "tests/fixtures/layouts/valid-small.yaml";
    let run = world.run(&["topics", "plan", "--layout", layout]);
    world.snap("topics-plan", &run, Some(0));
    let run = world.run(&[
        "topics",
        "plan",
        "--layout",
        layout,
        "--detailed-exitcode",
        "-o",
        "json",
    ]);
    world.snap("topics-plan-detailed-exitcode-json", &run, Some(2));
    let run = world.run(&["topics", "apply", "--layout", layout]);
    world.snap("topics-apply", &run, Some(0));
    let run = world.run(&["topics", "apply", "--layout", layout]);
    world.snap("topics-apply-unchanged", &run, Some(0));
    let run = world.run(&["topics", "verify", "--layout", layout]);
    world.snap("topics-verify-in-sync", &run, Some(0));
    let run = world.run(&["topics", "list"]);
    world.snap("topics-list", &run, Some(0));
    let run = world.run(&["topics", "list", "-o", "json"]);
    world.snap("topics-list-json", &run, Some(0));

    // The same layout without `sse-emails` and with another ack deadline: drift, and a prune
    // that needs confirmation.
    let text = std::fs::read_to_string(repo(layout)).expect("layout");
    let cut = text
        .find("  sse-emails:")
        .expect("sse-emails in the layout");
    let rest = &text[cut..];
    let next = rest
        .find("  dlq-loader-dead-letter:")
        .expect("next subscription");
    let smaller = format!("{}{}", &text[..cut], &rest[next..])
        .replace("ack_deadline: 60s", "ack_deadline: 90s");
    let smaller = world.write("smaller.yaml", &smaller);
    let run = world.run(&["topics", "verify", "--layout", &smaller]);
    world.snap("topics-verify-drift", &run, Some(2));
    let run = world.run(&["topics", "verify", "--layout", &smaller, "-o", "json"]);
    world.snap("topics-verify-drift-json", &run, Some(2));
    let run = world.run(&["topics", "apply", "--layout", &smaller, "--prune"]);
    world.snap("topics-apply-prune-refused-without-yes", &run, Some(1));
    let run = world.run(&[
        "topics",
        "apply",
        "--layout",
        &smaller,
        "--prune",
        "--dry-run",
    ]);
    world.snap("topics-apply-prune-dry-run", &run, Some(0));
    let run = world.run(&["topics", "apply", "--layout", &smaller, "--prune", "--yes"]);
    world.snap("topics-apply-prune-yes", &run, Some(0));

    let invalid = "tests/fixtures/layouts/invalid/ack-deadline-high.yaml";
    let run = world.run(&["topics", "plan", "--layout", invalid]);
    world.snap("topics-plan-invalid-layout", &run, Some(2));
}

/// The emails migration plan under `name`, with a short parity wait.
fn emails_plan(name: &str) -> String {
    std::fs::read_to_string(repo("plans/migrations/emails.yaml"))
        .expect("plan")
        .replacen("name: emails\n", &format!("name: {name}\n"), 1)
        .replace("idle_timeout: 10s", "idle_timeout: 2s")
}

#[test]
fn migrate() {
    let mut world = World::new();
    let project = world.project();
    world.redis_db(41);
    lay_out(
        &world,
        "topics:\n  email-backfill: {}\nsubscriptions:\n  vespa-loader-email-backfill: {topic: email-backfill}\n",
    );
    // The plan is named as the project, so the journal and lock are this test's.
    let plan = world.write("emails.yaml", &emails_plan(&project));

    let run = world.run(&["migrate", "status"]);
    world.snap("migrate-status-no-plans", &run, Some(0));
    let run = world.run(&["migrate", "plan", &plan]);
    world.snap("migrate-plan", &run, Some(0));
    let run = world.run(&[
        "migrate",
        "plan",
        &plan,
        "--detailed-exitcode",
        "-o",
        "json",
    ]);
    world.snap("migrate-plan-detailed-exitcode-json", &run, Some(2));
    // Killed (abort) when the third step starts: its journal says running, the lock stays.
    let run = world.run_env(
        &[("OFFICECTL_FAILPOINT", "publish-dual:before")],
        &["migrate", "apply", &plan, "--to", "publish-dual"],
    );
    world.snap("migrate-apply-crash", &run, None);
    let run = world.run(&["migrate", "apply", &plan, "--to", "publish-dual"]);
    world.snap("migrate-apply-lock-held", &run, Some(3));
    let run = world.run(&["migrate", "status", &plan]);
    world.snap_loose("migrate-status-locked", &run, Some(0));

    let status = world.run(&["migrate", "status", &plan, "-o", "json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&status.output.stdout).expect("status JSON");
    let lock_id = report["plans"][0]["lock"]["lock_id"]
        .as_str()
        .expect("a lock id")
        .to_string();
    let run = world.run(&["migrate", "unlock", &lock_id]);
    world.snap("migrate-unlock", &run, Some(0));
    let run = world.run(&["migrate", "unlock", &lock_id]);
    world.snap("migrate-unlock-unknown-lock", &run, Some(1));

    let run = world.run(&["migrate", "apply", &plan, "--to", "publish-dual"]);
    world.snap("migrate-apply-resumes", &run, Some(0));
    let run = world.run(&["migrate", "apply", &plan, "--dry-run"]);
    world.snap("migrate-apply-dry-run", &run, Some(0));
    // A producer that bypasses dual publishing: the parity step fails, a partial apply.
    let event = world.write("email.ndjson", &fixture_line("valid/email.json"));
    let publish = world.run(&["events", "publish", "--topic", "email-backfill", &event]);
    assert_eq!(
        publish.output.status.code(),
        Some(0),
        "{}",
        transcript(&publish.output)
    );
    let run = world.run(&["migrate", "apply", &plan]);
    world.snap("migrate-apply-parity-fails", &run, Some(4));
    let run = world.run(&["migrate", "status", "-o", "json"]);
    world.snap("migrate-status-json", &run, Some(0));

    let run = world.run(&["migrate", "rollback", &plan]);
    world.snap("migrate-rollback-refused-without-yes", &run, Some(1));
    let run = world.run(&["migrate", "rollback", &plan, "--yes"]);
    world.snap("migrate-rollback", &run, Some(0));

    let bad = world.write("bad.yaml", "name: p\nsteps:\n  - nonsense: {}\n");
    let run = world.run(&["migrate", "plan", &bad]);
    world.snap("migrate-plan-invalid-file", &run, Some(2));
}

#[test]
fn migrate_relay() {
    let mut world = World::new();
    world.project();
    world.redis_db(44);
    lay_out(
        &world,
        "topics:\n  email-backfill: {}\n  emails: {}\nsubscriptions:\n  relay-email-backfill: {topic: email-backfill}\n",
    );
    // No publish-mode flag: the event goes to the legacy topic in the legacy shape.
    let event = world.write("email.ndjson", &fixture_line("valid/email.json"));
    let publish = world.run(&["events", "publish", &event]);
    assert_eq!(
        publish.output.status.code(),
        Some(0),
        "{}",
        transcript(&publish.output)
    );
    let relay = [
        "migrate",
        "relay",
        "--from",
        "relay-email-backfill",
        "--to",
        "emails",
        "--idle-timeout",
        "3s",
    ];
    let run = world.run(&relay);
    world.snap("migrate-relay", &run, Some(0));
    let run = world.run(&[
        "migrate",
        "relay",
        "--from",
        "no-such-subscription",
        "--to",
        "emails",
        "--idle-timeout",
        "1s",
    ]);
    world.snap("migrate-relay-missing-subscription", &run, Some(1));
}

#[test]
fn backfill() {
    let mut world = World::new();
    world.project();
    world.redis_db(42);
    lay_out(&world, "topics:\n  emails: {}\n  email-backfill: {}\n");
    // One batch in flight at a time, so a crash after the second batch is at the same place in
    // every run.
    let args = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut args = vec![
            "backfill",
            "--user",
            "user-1",
            "--user",
            "user-2",
            "--source",
            "samples/mailbox.ndjson",
            "--since",
            "2024-01-01",
            "--until",
            "2025-01-01",
            "--batch-size",
            "10",
            "--max-in-flight",
            "1",
        ];
        args.extend_from_slice(extra);
        args
    };
    let run = world.run(&args(&["--dry-run", "-o", "json"]));
    world.snap("backfill-dry-run-json", &run, Some(0));
    let crash = [("OFFICECTL_FAILPOINT", "backfill-after-batch:2")];
    let run = world.run_env(&crash, &args(&[]));
    world.snap("backfill-crash", &run, None);
    let run = world.run(&args(&[]));
    world.snap("backfill-unfinished-refused", &run, Some(1));
    let run = world.run(&args(&["--resume"]));
    world.snap("backfill-resume", &run, Some(0));
    let run = world.run(&args(&["--resume"]));
    world.snap("backfill-resume-nothing-left", &run, Some(0));
    // A new run crashes where the first did; its users' checkpoints are now of two runs.
    let run = world.run_env(&crash, &args(&[]));
    assert_eq!(
        run.output.status.code(),
        None,
        "{}",
        transcript(&run.output)
    );
    let run = world.run(&args(&["--resume"]));
    world.snap("backfill-resume-checkpoints-of-two-runs", &run, Some(1));
    let run = world.run(&args(&["--restart"]));
    world.snap("backfill-restart", &run, Some(0));

    let missing = world.path("missing.ndjson").display().to_string();
    let run = world.run(&["backfill", "--user", "user-1", "--source", &missing]);
    world.snap("backfill-missing-source-file", &run, Some(2));
    let run = world.run(&["backfill", "--source", "samples/mailbox.ndjson"]);
    world.snap("backfill-usage-no-user", &run, Some(2));
}

/// NDJSON of `n` e-mail events of `user`, one e-mail each (`msg-<i>`).
fn email_events(user: &str, n: usize) -> String {
    let mut event: serde_json::Value =
        serde_json::from_str(&fixture_line("valid/email.json")).expect("fixture");
    let email = event["emails"][0].clone();
    (0..n)
        .map(|i| {
            event["user_id"] = serde_json::json!(user);
            event["event_id"] = serde_json::json!(format!("evt-{i}"));
            let mut one = email.clone();
            one["provider_message_id"] = serde_json::json!(format!("msg-{i}"));
            event["emails"] = serde_json::json!([one]);
            format!("{event}\n")
        })
        .collect()
}

/// Puts `n` e-mail documents of `user` in Vespa in an older shape (as in reindex_refeed.rs).
fn seed_old_documents(endpoint: &str, user: &str, n: usize) {
    for i in 0..n {
        let (status, body) = support::http(
            endpoint,
            "POST",
            &format!("/document/v1/office/email/group/{user}/m-{i:03}"),
            Some(&serde_json::json!({"fields": {
                "title": format!("mail {i}"),
                "from_address": "a@example.com",
                "to_addresses": "b@example.com",
                "received_at": "2024-04-30T08:15:00Z",
            }})),
        );
        assert_eq!(status, 200, "{body}");
    }
}

#[test]
fn reindex_refeed() {
    let mut world = World::new();
    let double = world.own_double();
    world.redis_db(43);
    let user = world.name("rf", "[USER]");
    let events = world.write("events.ndjson", &email_events(&user, 8));
    let one_at_a_time = ["--connections", "1", "--max-inflight", "1"];
    let source = |extra: &[&'static str]| -> Vec<String> {
        let mut args: Vec<String> = vec!["reindex".into(), "--source".into(), events.clone()];
        args.extend(one_at_a_time.iter().map(|s| s.to_string()));
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };

    let run = world.run(&source(&["--dry-run"]));
    world.snap("reindex-source-dry-run", &run, Some(0));
    // Stopped as by Ctrl-C once the third operation's checkpoint is written.
    let run = world.run_env(
        &[("OFFICECTL_FAILPOINT", "reindex-interrupt-after-units:3")],
        &source(&[]),
    );
    world.snap("reindex-source-interrupted", &run, Some(130));
    let run = world.run(&source(&[]));
    world.snap("reindex-source-unfinished-refused", &run, Some(2));
    let run = world.run(&source(&["--resume"]));
    world.snap("reindex-source-resume", &run, Some(0));
    let run = world.run(&source(&["--restart", "-o", "json"]));
    world.snap("reindex-source-restart-json", &run, Some(0));

    let old = world.name("rv", "[USER2]");
    seed_old_documents(&double.endpoint(), &old, 5);
    let run = world.run(&["reindex", "--from-vespa", "--user", &old]);
    world.snap("reindex-from-vespa", &run, Some(0));
    // A document no transformation can bring to the current shape.
    let broken = world.name("rb", "[USER3]");
    seed_old_documents(&double.endpoint(), &broken, 2);
    let (status, body) = support::http(
        &double.endpoint(),
        "POST",
        &format!("/document/v1/office/email/group/{broken}/broken"),
        Some(&serde_json::json!({"fields": {"title": "x", "is_read": "perhaps"}})),
    );
    assert_eq!(status, 200, "{body}");
    let run = world.run(&["reindex", "--from-vespa", "--user", &broken, "-o", "json"]);
    world.snap("reindex-from-vespa-untransformable-json", &run, Some(1));

    let run = world.run(&["reindex", "--user", &user]);
    world.snap("reindex-usage-no-mode", &run, Some(2));
}

#[test]
fn reindex_native() {
    let mut world = World::new();
    // A double of this test's own: its reindexing state is this test's alone, and fast.
    let _double = world.own_double();
    let run = world.run(&["reindex", "status"]);
    world.snap("reindex-status-never", &run, Some(0));
    let run = world.run(&[
        "reindex",
        "--native",
        "--cluster",
        "office",
        "--type",
        "todo",
        "--speed",
        "10",
        "--cause",
        "transcript",
        "--wait",
        "--poll-interval",
        "0.05",
        "--wait-timeout",
        "60",
    ]);
    world.snap("reindex-native-wait", &run, Some(0));
    let run = world.run(&["reindex", "status", "--type", "todo", "-o", "json"]);
    world.snap("reindex-status-json", &run, Some(0));
    let run = world.run(&[
        "reindex",
        "--native",
        "--cluster",
        "nope",
        "--type",
        "email",
    ]);
    world.snap("reindex-native-unknown-cluster", &run, Some(1));
}

#[test]
fn search() {
    let mut world = World::new();
    let _double = world.own_double();
    let user = world.name("search", "[USER]");
    let other = world.name("other", "[OTHER_USER]");
    let doc = |t: &str, user: &str, id: &str, title: &str, text: &str| {
        serde_json::json!({"put": format!("id:office:{t}:g={user}:{id}"),
            "fields": {"user_id": user, "doc_type": t, "title": title, "text": text}})
        .to_string()
    };
    let feed = world.write(
        "docs.jsonl",
        &[
            doc("email", &user, "m1", "walrus budget review", "notes"),
            doc("calendar", &user, "c1", "walrus planning", "walrus walrus"),
            doc("email", &user, "m2", "lunch", "unrelated"),
            doc("email", &other, "m1", "walrus of another user", "walrus"),
        ]
        .join("\n"),
    );
    let fed = world.run(&["vespa", "feed", "-q", &feed]);
    assert_eq!(
        fed.output.status.code(),
        Some(0),
        "{}",
        transcript(&fed.output)
    );

    let run = world.run(&["search", "walrus", "--user", &user]);
    world.snap("search", &run, Some(0));
    let run = world.run(&[
        "search", "walrus", "--user", &user, "--type", "email", "-o", "json",
    ]);
    world.snap("search-one-type-json", &run, Some(0));
    let run = world.run(&[
        "search",
        "walrus",
        "--user",
        &user,
        "--type",
        "no_such_type",
    ]);
    world.snap("search-unknown-type", &run, Some(1));
    let run = world.run(&["search", "walrus"]);
    world.snap("search-usage-no-user", &run, Some(2));
}

#[test]
fn completions_and_man() {
    let world = World::offline();
    let dir = world.path("completions").display().to_string();
    let run = world.run(&["completions", "--out-dir", &dir]);
    world.snap("completions-out-dir", &run, Some(0));
    // The script itself is held by `cli::committed_completions_are_fresh`; here it is checked
    // against the committed file and shown as one line.
    let run = world.run(&["completions", "bash"]);
    let committed = std::fs::read(repo("completions/officectl.bash")).expect("committed script");
    assert!(
        run.output.stdout == committed,
        "`completions bash` differs from completions/officectl.bash"
    );
    let mut elided = Run {
        line: run.line.clone(),
        output: run.output.clone(),
    };
    elided.output.stdout = b"[the script in completions/officectl.bash]\n".to_vec();
    world.snap("completions-bash", &elided, Some(0));
    let run = world.run(&["completions", "nosh"]);
    world.snap("completions-unknown-shell", &run, Some(2));
    let dir = world.path("man").display().to_string();
    let run = world.run(&["man", "--out-dir", &dir]);
    world.snap("man-out-dir", &run, Some(0));
    let run = world.run(&["man"]);
    world.snap("man-usage-no-out-dir", &run, Some(2));
}
