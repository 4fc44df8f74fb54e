//! officectl over TLS, against a vespa-double of the test's own serving TLS: HTTP/2 by ALPN with
//! a client certificate (mTLS) and a private CA (`--vespa-ca-cert`), what happens when either is
//! missing, and the bearer token as Vespa Cloud's token endpoint checks it. With `--config-tls`
//! the double's config server speaks the same TLS, and `reindex` reaches it with the same
//! settings.
//!
//! Certificates come from `scripts/test-certs` (the openssl CLI) in a temporary directory. Each
//! test starts its own double (the binary `scripts/services up` built, on free ports), so the
//! double's counters (`/_double/stats`, read over the plain config-server port) are the test's.

use crate::support;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "t0k3n-for-tls-tests";

/// A vespa-double serving TLS on its document/search port, stopped on drop.
struct TlsDouble {
    child: Child,
    port: u16,
    config_port: u16,
    /// Certificates (`ca.pem`, `client.pem`, …) and the double's log.
    dir: tempfile::TempDir,
}

impl TlsDouble {
    /// Starts the double with the test PKI's server certificate and `extra` flags
    /// (`{ca}` in them is replaced by the CA file).
    fn start(extra: &[&str]) -> TlsDouble {
        let dir = tempfile::tempdir().expect("tempdir");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/test-certs");
        let out = Command::new("bash")
            .arg(&script)
            .arg(dir.path())
            .output()
            .expect("run scripts/test-certs (needs bash and openssl)");
        assert!(
            out.status.success(),
            "scripts/test-certs failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let file = |name: &str| dir.path().join(name);
        let log = std::fs::File::create(file("double.log")).expect("log file");
        let ca = file("ca.pem").display().to_string();
        let child = Command::new(support::vespa_double_bin())
            .args(["--host", "127.0.0.1", "--port", "0", "--config-port", "0"])
            .arg("--port-file")
            .arg(file("port"))
            .arg("--config-port-file")
            .arg(file("config-port"))
            .arg("--app")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("vespa/app"))
            .arg("--tls-cert")
            .arg(file("server.pem"))
            .arg("--tls-key")
            .arg(file("server.key"))
            .args(extra.iter().map(|a| a.replace("{ca}", &ca)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start vespa-double");
        let mut double = TlsDouble {
            child,
            port: 0,
            config_port: 0,
            dir,
        };
        // The port files are written once both ports listen.
        let started = Instant::now();
        while double.port == 0 {
            let read = |name: &str| {
                std::fs::read_to_string(double.dir.path().join(name))
                    .ok()
                    .and_then(|s| s.trim().parse::<u16>().ok())
            };
            if let (Some(port), Some(config_port)) = (read("port"), read("config-port")) {
                (double.port, double.config_port) = (port, config_port);
                break;
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
        double
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The TLS endpoint, by host name (the server certificate is for `localhost`).
    fn endpoint(&self) -> String {
        format!("https://localhost:{}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.path("double.log")).unwrap_or_default()
    }

    /// `/_double/stats`, over the config-server port (plain HTTP; not with `--config-tls`).
    fn stats(&self) -> Value {
        let (status, body) = support::http(
            &format!("http://127.0.0.1:{}", self.config_port),
            "GET",
            "/_double/stats",
            None,
        );
        assert_eq!(status, 200, "{body}");
        body
    }

    /// officectl pointed at this double, with the CA and the client certificate as asked.
    fn officectl(&self, ca_flag: bool, client_cert: bool) -> assert_cmd::Command {
        let mut cmd = support::officectl();
        cmd.args(["--vespa-endpoint", &self.endpoint()])
            .timeout(Duration::from_secs(60));
        if ca_flag {
            cmd.arg("--vespa-ca-cert").arg(self.path("ca.pem"));
        }
        if client_cert {
            cmd.env("OFFICECTL_VESPA_CERT", self.path("client.pem"))
                .env("OFFICECTL_VESPA_KEY", self.path("client.key"));
        }
        cmd
    }
}

impl Drop for TlsDouble {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `n` email puts for `group`, each title containing `word`.
fn feed_file(dir: &Path, group: &str, word: &str, n: usize) -> PathBuf {
    let text: String = (0..n)
        .map(|i| {
            let put = json!({"put": format!("id:office:email:g={group}:m{i}"),
                             "fields": {"user_id": group, "title": format!("{word} mail {i}"), "received_at": i}});
            format!("{put}\n")
        })
        .collect();
    let path = dir.join(format!("{group}.jsonl"));
    std::fs::write(&path, text).expect("write feed");
    path
}

fn report(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}", support::transcript(out)))
}

#[test]
fn feed_over_mtls_uses_http2_and_the_documents_can_be_searched() {
    let d = TlsDouble::start(&["--client-ca", "{ca}"]);
    let group = support::unique("tls-feed");
    let word = format!("tlsword{}", std::process::id());
    let n = 200;
    let file = feed_file(d.dir.path(), &group, &word, n);
    let out = d
        .officectl(true, true)
        .args(["vespa", "feed", "-o", "json", "--connections", "2"])
        .arg(&file)
        .output()
        .expect("run officectl");
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let r = report(&out);
    assert_eq!(r["ok"], n, "{r}");
    assert_eq!(r["failed"], 0, "{r}");

    // Every request went over HTTP/2 on TLS connections that negotiated `h2` and presented the
    // client certificate.
    let s = d.stats();
    assert_eq!(s["documents"], n, "{s}");
    assert_eq!(
        s["requests_by_version"],
        json!({"HTTP/1": 0, "HTTP/2": r["requests"]}),
        "{s}"
    );
    let tls = &s["tls"];
    let handshakes = tls["handshakes"].as_u64().expect("handshakes");
    assert!((1..=2).contains(&handshakes), "{s}");
    assert_eq!(
        tls["alpn"],
        json!({"h2": handshakes, "http/1.1": 0, "none": 0}),
        "{s}"
    );
    assert_eq!(tls["client_certificates"], handshakes, "{s}");
    assert_eq!(tls["handshake_failures"], 0, "{s}");

    // `search` builds its transport the same way: the documents are found over the same TLS.
    let out = d
        .officectl(true, true)
        .args([
            "search", &word, "--user", &group, "--hits", "3", "-o", "json",
        ])
        .output()
        .expect("run officectl");
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let result = report(&out);
    assert_eq!(result["total_count"], n, "{result}");
    let hits = result["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 3, "{result}");
    for hit in hits {
        let id = hit["id"].as_str().unwrap_or_default();
        assert!(
            id.starts_with(&format!("id:office:email:g={group}:m")),
            "{hit}"
        );
    }
    assert_eq!(
        d.stats()["requests_by_version"]["HTTP/2"],
        r["requests"].as_u64().unwrap() + 1
    );
}

#[test]
fn without_the_client_certificate_the_feed_stops_naming_the_handshake() {
    let d = TlsDouble::start(&["--client-ca", "{ca}"]);
    let group = support::unique("tls-nocert");
    let file = feed_file(d.dir.path(), &group, "x", 50);
    let out = d
        .officectl(true, false)
        .args(["vespa", "feed", "-o", "json", "--connections", "2"])
        .arg(&file)
        .output()
        .expect("run officectl");
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    let r = report(&out);
    assert_eq!(r["ok"], 0, "{r}");
    assert!(r["transport_errors"].as_u64().unwrap() >= 1, "{r}");
    // Stopped by the TLS failure itself, not by the deadline (60 s) after retrying everything.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "stopped: TLS handshake with `localhost:{}` failed: received fatal alert: \
             CertificateRequired (the server requires a client certificate)",
            d.port
        )),
        "{transcript}"
    );
    assert!(
        stderr.contains("`vespa.cert` and `vespa.key`"),
        "{transcript}"
    );
    let s = d.stats();
    assert!(s["tls"]["handshake_failures"].as_u64().unwrap() >= 1, "{s}");
    assert_eq!(s["tls"]["handshakes"], 0, "{s}");
    assert_eq!(s["documents"], 0, "{s}");
}

#[test]
fn without_the_ca_the_server_certificate_is_not_trusted() {
    let d = TlsDouble::start(&["--client-ca", "{ca}"]);
    let group = support::unique("tls-noca");
    let file = feed_file(d.dir.path(), &group, "x", 50);
    let expected = format!(
        "TLS handshake with `localhost:{}` failed: invalid peer certificate: UnknownIssuer \
         (the server's certificate is not signed by a trusted CA)",
        d.port
    );
    // Only the system roots: the test CA is not among them.
    let out = d
        .officectl(false, true)
        .args(["vespa", "feed", "-o", "json"])
        .arg(&file)
        .output()
        .expect("run officectl");
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    assert_eq!(report(&out)["ok"], 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("stopped: {expected}")),
        "{transcript}"
    );
    assert!(
        stderr.contains(&format!(
            "hint: check that Vespa answers at `{}`, and the TLS settings `vespa.ca_cert` (`--vespa-ca-cert`)",
            d.endpoint()
        )),
        "{transcript}"
    );

    let out = d
        .officectl(false, true)
        .args(["search", "x", "--user", &group])
        .output()
        .expect("run officectl");
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    assert!(
        transcript.contains(&format!("error: cannot search at `{}`", d.endpoint())),
        "{transcript}"
    );
    assert!(transcript.contains(&expected), "{transcript}");

    let s = d.stats();
    assert_eq!(s["tls"]["handshakes"], 0, "{s}");
    assert!(s["tls"]["handshake_failures"].as_u64().unwrap() >= 2, "{s}");
}

#[test]
fn the_bearer_token_is_sent_and_checked_as_on_vespa_cloud() {
    // A token endpoint: TLS without client certificates, `Authorization: Bearer` required.
    let d = TlsDouble::start(&["--require-token", TOKEN]);
    let group = support::unique("tls-token");
    let file = feed_file(d.dir.path(), &group, "x", 5);
    let feed = |token: Option<&str>| {
        let mut cmd = d.officectl(false, false);
        // The CA from the environment this time.
        cmd.env("OFFICECTL_VESPA_CA_CERT", d.path("ca.pem"));
        if let Some(token) = token {
            cmd.env("OFFICECTL_VESPA_TOKEN", token);
        }
        cmd.args(["vespa", "feed", "-o", "json"])
            .arg(&file)
            .output()
            .expect("run officectl")
    };
    let out = feed(None);
    assert_eq!(out.status.code(), Some(1), "{}", support::transcript(&out));
    assert_eq!(report(&out)["failed_by_status"], json!({"401": 5}));
    let out = feed(Some("not-the-token"));
    assert_eq!(out.status.code(), Some(1), "{}", support::transcript(&out));
    assert_eq!(report(&out)["failed_by_status"], json!({"403": 5}));
    assert!(support::transcript(&out).contains("status 403: Forbidden"));

    let out = feed(Some(TOKEN));
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(0), "{transcript}");
    assert_eq!(report(&out)["ok"], 5);
    assert!(!transcript.contains(TOKEN), "{transcript}");
    let s = d.stats();
    assert_eq!(s["documents"], 5, "{s}");
    assert_eq!(s["responses"]["200"], 5, "{s}");
    assert_eq!(s["tls"]["alpn"]["h2"], s["tls"]["handshakes"], "{s}");
}

/// A self-hosted Vespa with mTLS on every port: the config server wants the same CA and client
/// certificate as the container, and officectl sends the same settings to both.
#[test]
fn reindex_reaches_a_tls_config_server_with_the_ca_and_the_client_certificate() {
    let d = TlsDouble::start(&["--client-ca", "{ca}", "--config-tls"]);
    let config = format!("https://localhost:{}", d.config_port);
    let reindex = |ca: bool, cert: bool, args: &[&str]| {
        d.officectl(ca, cert)
            .args(["--vespa-config-endpoint", &config, "reindex"])
            .args(args)
            .output()
            .expect("run officectl")
    };
    let out = reindex(true, true, &["status", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let types = report(&out)["types"].clone();
    assert!(
        types
            .as_array()
            .expect("types")
            .iter()
            .any(|t| t["cluster"] == "office" && t["document_type"] == "email"),
        "{types}"
    );

    // `--native` posts over the same TLS.
    let out = reindex(
        true,
        true,
        &[
            "--native", "--type", "email", "--cause", "tls test", "-o", "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", support::transcript(&out));
    let marked = report(&out)["types"].clone();
    assert_eq!(marked[0]["document_type"], "email", "{marked}");
    assert_eq!(marked[0]["cause"], "tls test", "{marked}");

    // Without the CA (system roots only) the server's certificate is not trusted.
    let out = reindex(false, true, &["status"]);
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    assert!(
        transcript.contains(&format!(
            "error: cannot read the reindexing status from `{config}`"
        )),
        "{transcript}"
    );
    assert!(
        transcript.contains(&format!(
            "TLS handshake with `localhost:{}` failed: invalid peer certificate: UnknownIssuer \
             (the server's certificate is not signed by a trusted CA)",
            d.config_port
        )),
        "{transcript}"
    );

    // Without the client certificate the server refuses the connection.
    let out = reindex(true, false, &["status"]);
    let transcript = support::transcript(&out);
    assert_eq!(out.status.code(), Some(1), "{transcript}");
    assert!(
        transcript.contains(&format!(
            "TLS handshake with `localhost:{}` failed: received fatal alert: CertificateRequired \
             (the server requires a client certificate)",
            d.config_port
        )),
        "{transcript}"
    );
}

#[test]
fn a_ca_file_that_cannot_be_used_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let not_a_cert = dir.path().join("not-a-cert.pem");
    std::fs::write(&not_a_cert, "just text\n").expect("write");
    let docs = dir.path().join("docs.jsonl");
    std::fs::write(&docs, "").expect("write");
    for (ca, expected) in [
        (
            dir.path().join("missing.pem"),
            format!("cannot read `{}`", dir.path().join("missing.pem").display()),
        ),
        (
            not_a_cert.clone(),
            format!("`{}` has no PEM certificate", not_a_cert.display()),
        ),
    ] {
        let out = support::officectl()
            .args(["--vespa-endpoint", "https://localhost:1", "--vespa-ca-cert"])
            .arg(&ca)
            .args(["vespa", "feed"])
            .arg(&docs)
            .output()
            .expect("run officectl");
        let transcript = support::transcript(&out);
        assert_eq!(out.status.code(), Some(1), "{transcript}");
        assert!(
            transcript
                .contains("error: cannot set up the connection to Vespa at `https://localhost:1`"),
            "{transcript}"
        );
        assert!(transcript.contains(&expected), "{transcript}");
    }
}
