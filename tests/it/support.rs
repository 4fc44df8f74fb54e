//! Shared helpers: the binary under test with a clean environment, and the local services.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Addresses of the local services started by `scripts/services up`.
pub struct Services {
    /// `host:port` of the Pub/Sub host.
    pub emulator_host: String,
    pub project: String,
    pub redis_url: String,
}

fn required(name: &str) -> String {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => value,
        _ => panic!(
            "{name} is not set: integration tests need the local services. Run `scripts/test`, \
             or `scripts/services up` and `. target/services.env` before `cargo test`."
        ),
    }
}

/// The local services, or a panic naming what is missing.
pub fn services() -> Services {
    Services {
        emulator_host: required("PUBSUB_EMULATOR_HOST"),
        project: required("OFFICECTL_PROJECT"),
        redis_url: required("OFFICECTL_REDIS_URL"),
    }
}

/// The base URL of the Vespa double's document/search port (`OFFICECTL_VESPA_ENDPOINT`, from
/// `scripts/services up`); panics when it is not set.
pub fn vespa_endpoint() -> String {
    required("OFFICECTL_VESPA_ENDPOINT")
}

/// The base URL of the Vespa double's config-server port (`OFFICECTL_VESPA_CONFIG_ENDPOINT`).
pub fn vespa_config_endpoint() -> String {
    required("OFFICECTL_VESPA_CONFIG_ENDPOINT")
}

/// The vespa-double binary `scripts/services up` built (`VESPA_DOUBLE_BIN`), for tests that start
/// a double of their own.
pub fn vespa_double_bin() -> PathBuf {
    PathBuf::from(required("VESPA_DOUBLE_BIN"))
}

impl Services {
    /// The Pub/Sub endpoint as officectl resolves it from `PUBSUB_EMULATOR_HOST`.
    pub fn pubsub_endpoint(&self) -> officectl::settings::PubSubEndpoint {
        officectl::settings::PubSubEndpoint::from_emulator_host(&self.emulator_host)
            .expect("PUBSUB_EMULATOR_HOST is host:port")
    }
}

/// Every variable officectl reads, removed so the developer's shell cannot leak into a test.
const ISOLATED_VARS: &[&str] = &[
    "OFFICECTL_CONFIG",
    "OFFICECTL_PROJECT",
    "GOOGLE_CLOUD_PROJECT",
    "PUBSUB_EMULATOR_HOST",
    "OFFICECTL_REDIS_URL",
    "OFFICECTL_VESPA_ENDPOINT",
    "OFFICECTL_VESPA_CONFIG_ENDPOINT",
    "OFFICECTL_VESPA_TOKEN",
    "OFFICECTL_VESPA_CERT",
    "OFFICECTL_VESPA_KEY",
    "OFFICECTL_VESPA_CA_CERT",
    "OFFICECTL_VESPA_MODEL_CHECK_DIR",
    "OFFICECTL_OUTPUT",
    "NO_COLOR",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "OFFICECTL_FE_SSE_JWT_SECRET",
];

/// A directory with no config file in it, used as `HOME`.
fn empty_home() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("empty-home");
    std::fs::create_dir_all(&dir).expect("create empty home");
    dir
}

/// `officectl` with none of the developer's settings.
pub fn officectl() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("officectl").expect("officectl binary is built");
    for var in ISOLATED_VARS {
        cmd.env_remove(var);
    }
    cmd.env("HOME", empty_home());
    cmd
}

/// The URL of Redis database `db` on the local server (`scripts/services` starts it with 256).
/// Flags and checkpoints are global keys, so a test that sets flags takes a database of its own;
/// the numbers in use are listed in `tests/it/main.rs`.
pub fn redis_db(db: u8) -> String {
    format!("{}/{db}", services().redis_url.trim_end_matches('/'))
}

/// `officectl` pointed at the local services through the environment, as an operator would.
pub fn officectl_with_services() -> assert_cmd::Command {
    let services = services();
    let mut cmd = officectl();
    cmd.env("PUBSUB_EMULATOR_HOST", &services.emulator_host)
        .env("OFFICECTL_PROJECT", &services.project)
        .env("OFFICECTL_REDIS_URL", &services.redis_url);
    for var in [
        "OFFICECTL_VESPA_ENDPOINT",
        "OFFICECTL_VESPA_CONFIG_ENDPOINT",
    ] {
        if let Ok(value) = std::env::var(var) {
            cmd.env(var, value);
        }
    }
    cmd
}

/// [`officectl_with_services`] as a plain `std::process::Command`, for tests that spawn the
/// binary and send it a signal.
pub fn spawnable_officectl_with_services() -> std::process::Command {
    let services = services();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_officectl"));
    for var in ISOLATED_VARS {
        cmd.env_remove(var);
    }
    cmd.env("HOME", empty_home())
        .env("PUBSUB_EMULATOR_HOST", &services.emulator_host)
        .env("OFFICECTL_PROJECT", &services.project)
        .env("OFFICECTL_REDIS_URL", &services.redis_url);
    for var in [
        "OFFICECTL_VESPA_ENDPOINT",
        "OFFICECTL_VESPA_CONFIG_ENDPOINT",
    ] {
        if let Ok(value) = std::env::var(var) {
            cmd.env(var, value);
        }
    }
    cmd
}

/// A resource id unique to this test process and call.
pub fn unique(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A loopback port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local addr").port()
}

/// Output as text for snapshots: the exit code, stdout and stderr.
pub fn transcript(output: &std::process::Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

/// The JSON report of a command that must have succeeded; panics with its transcript otherwise.
pub fn report_of(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", transcript(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", transcript(out)))
}

/// One HTTP/1.1 request (`Connection: close`) to the Vespa double: admin endpoints, visits.
pub fn http(
    base: &str,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> (u16, serde_json::Value) {
    let (status, body) = http_text(base, method, path, body);
    (
        status,
        serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
    )
}

/// One HTTP/1.1 request (`Connection: close`): the status and the body as text.
pub fn http_text(
    base: &str,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> (u16, String) {
    let host = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream =
        std::net::TcpStream::connect(host).unwrap_or_else(|e| panic!("connect to {host}: {e}"));
    let body = body.map(serde_json::Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = raw
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

/// A vespa-double of a test's own (plain HTTP), for tests that need another application
/// package or injected faults without disturbing the shared one. Killed when dropped.
pub struct OwnDouble {
    child: std::process::Child,
    pub port: u16,
    pub config_port: u16,
    dir: tempfile::TempDir,
}

impl OwnDouble {
    /// Starts the double serving the application package in `app` with `extra` flags.
    pub fn start(app: &std::path::Path, extra: &[&str]) -> OwnDouble {
        use std::process::{Command, Stdio};
        use std::time::{Duration, Instant};
        let dir = tempfile::tempdir().expect("tempdir");
        let log = std::fs::File::create(dir.path().join("double.log")).expect("log file");
        let child = Command::new(vespa_double_bin())
            .args(["--host", "127.0.0.1", "--port", "0", "--config-port", "0"])
            .arg("--port-file")
            .arg(dir.path().join("port"))
            .arg("--config-port-file")
            .arg(dir.path().join("config-port"))
            .arg("--app")
            .arg(app)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start vespa-double");
        let mut double = OwnDouble {
            child,
            port: 0,
            config_port: 0,
            dir,
        };
        let started = Instant::now();
        loop {
            let read = |name: &str| {
                std::fs::read_to_string(double.dir.path().join(name))
                    .ok()
                    .and_then(|s| s.trim().parse::<u16>().ok())
            };
            if let (Some(port), Some(config_port)) = (read("port"), read("config-port")) {
                (double.port, double.config_port) = (port, config_port);
                return double;
            }
            if let Ok(Some(status)) = double.child.try_wait() {
                panic!("vespa-double exited ({status}): {}", double.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "vespa-double did not start: {}",
                double.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The document/search endpoint.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What the double logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("double.log")).unwrap_or_default()
    }
}

impl Drop for OwnDouble {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
