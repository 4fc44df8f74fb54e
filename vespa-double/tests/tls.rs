//! The double's TLS mode in-process, over real sockets: ALPN picks HTTP/2 or HTTP/1.1, a
//! client certificate is required with `--client-ca`, `--require-token` answers 401/403 as
//! Vespa Cloud's token filter does, and `/_double/stats` shows what clients negotiated.
//! Certificates come from `scripts/test-certs` (the openssl CLI).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Version};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use vespa_double::{Config, Running};

/// A CA, a server certificate for localhost and a client certificate, in a temporary directory.
fn certs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/test-certs");
    let out = std::process::Command::new("bash")
        .arg(&script)
        .arg(dir.path())
        .output()
        .expect("run scripts/test-certs (needs bash and openssl)");
    assert!(
        out.status.success(),
        "scripts/test-certs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

async fn start(certs: &Path, client_ca: bool, tokens: &[&str]) -> Running {
    let config = Config {
        app: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../vespa/app")),
        tls_cert: Some(certs.join("server.pem")),
        tls_key: Some(certs.join("server.key")),
        client_ca: client_ca.then(|| certs.join("ca.pem")),
        require_tokens: tokens.iter().map(|t| t.to_string()).collect(),
        ..Config::default()
    };
    vespa_double::start(config).await.expect("double starts")
}

/// A TLS client trusting the test CA, offering `alpn`, with the client certificate if asked.
fn connector(
    certs: &Path,
    alpn: &[&[u8]],
    client_cert: Option<&str>,
) -> tokio_rustls::TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(certs.join("ca.pem")).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    let mut config = match client_cert {
        None => builder.with_no_client_auth(),
        Some(name) => {
            let chain = CertificateDer::pem_file_iter(certs.join(format!("{name}.pem")))
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            let key = PrivateKeyDer::from_pem_file(certs.join(format!("{name}.key"))).unwrap();
            builder.with_client_auth_cert(chain, key).unwrap()
        }
    };
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// One request on a new TLS connection, HTTP/2 if ALPN settled on `h2`: the version and status
/// of the answer and its JSON body, or the error (as text) if the connection failed.
async fn request(
    addr: SocketAddr,
    connector: &tokio_rustls::TlsConnector,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Result<(Version, u16, Value), String> {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    let tls = connector
        .connect(name, tcp)
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
    let mut req = Request::builder()
        .method(method)
        .uri(format!("https://localhost:{}{path}", addr.port()))
        .header("content-type", "application/json; charset=utf-8");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let req = req.body(Full::new(Bytes::from(body))).unwrap();
    let io = TokioIo::new(tls);
    let resp = if h2 {
        let (mut send, conn) = hyper::client::conn::http2::handshake(TokioExecutor::new(), io)
            .await
            .map_err(|e| format!("{e:?}"))?;
        tokio::spawn(conn);
        send.send_request(req).await
    } else {
        let (mut send, conn) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(|e| format!("{e:?}"))?;
        tokio::spawn(conn);
        send.send_request(req).await
    }
    .map_err(|e| format!("{e:?}"))?;
    let version = resp.version();
    let status = resp.status().as_u16();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Ok((
        version,
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

/// `GET /_double/stats` over plain HTTP/1.1 on the config-server port (which has no TLS).
async fn stats(config_addr: SocketAddr) -> Value {
    let tcp = tokio::net::TcpStream::connect(config_addr).await.unwrap();
    let (mut send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
        .await
        .unwrap();
    tokio::spawn(conn);
    let req = Request::builder()
        .uri("/_double/stats")
        .header("host", "127.0.0.1")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let resp = send.send_request(req).await.unwrap();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alpn_picks_http2_or_http1_and_the_stats_show_it() {
    let certs = certs();
    let d = start(certs.path(), false, &[]).await;
    let doc = "/document/v1/office/todo/group/tls/t1";
    let (version, status, body) = request(
        d.addr,
        &connector(certs.path(), &[b"h2", b"http/1.1"], None),
        "POST",
        doc,
        &[],
        Some(json!({"fields": {"title": "over h2"}})),
    )
    .await
    .unwrap();
    assert_eq!((version, status), (Version::HTTP_2, 200), "{body}");
    for alpn in [&[&b"http/1.1"[..]][..], &[]] {
        let (version, status, body) = request(
            d.addr,
            &connector(certs.path(), alpn, None),
            "GET",
            doc,
            &[],
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            (version, status),
            (Version::HTTP_11, 200),
            "{alpn:?}: {body}"
        );
        assert_eq!(body["fields"]["title"], "over h2");
    }
    // Plain HTTP on the TLS port gets no HTTP answer.
    let plain = tokio::net::TcpStream::connect(d.addr).await.unwrap();
    let (mut send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(plain))
        .await
        .unwrap();
    tokio::spawn(conn);
    let req = Request::builder()
        .uri("/state/v1/health")
        .header("host", "127.0.0.1")
        .body(Full::new(Bytes::new()))
        .unwrap();
    assert!(send.send_request(req).await.is_err());

    let s = stats(d.config_addr).await;
    assert_eq!(
        s["requests_by_version"],
        json!({"HTTP/1": 2, "HTTP/2": 1}),
        "{s}"
    );
    let tls = &s["tls"];
    assert_eq!(tls["handshakes"], 3, "{s}");
    assert_eq!(
        tls["alpn"],
        json!({"h2": 1, "http/1.1": 1, "none": 1}),
        "{s}"
    );
    assert_eq!(tls["client_certificate_required"], false, "{s}");
    assert_eq!(tls["client_certificates"], 0, "{s}");
    // The server may count the failed handshake just after the client has given up.
    let mut failures = Value::Null;
    for _ in 0..100 {
        failures = stats(d.config_addr).await["tls"]["handshake_failures"].clone();
        if failures == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(failures, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_ca_requires_a_client_certificate_it_signed() {
    let certs = certs();
    let d = start(certs.path(), true, &[]).await;
    let health = |cert: Option<&'static str>| {
        let connector = connector(certs.path(), &[b"h2"], cert);
        async move { request(d.addr, &connector, "GET", "/state/v1/health", &[], None).await }
    };
    let (version, status, body) = health(Some("client")).await.unwrap();
    assert_eq!((version, status), (Version::HTTP_2, 200));
    assert_eq!(body, json!({"status": {"code": "up"}}));
    // TLS 1.3: the client's side of the handshake completes, and the server's alert is what
    // the client reads next. (Through hyper the alert may surface only as "connection was not
    // ready", so read the TLS stream itself.)
    for (cert, alert) in [
        (None, "CertificateRequired"),
        (Some("other-client"), "UnknownCA"),
    ] {
        let connector = connector(certs.path(), &[b"h2"], cert);
        let tcp = tokio::net::TcpStream::connect(d.addr).await.unwrap();
        let name = ServerName::try_from("localhost").unwrap();
        let read = match connector.connect(name, tcp).await {
            Ok(mut tls) => tls.read(&mut [0; 64]).await,
            Err(err) => Err(err),
        };
        let err = read.expect_err("the server ends the connection");
        assert!(err.to_string().contains(alert), "{cert:?}: {err}");
        assert!(health(cert).await.is_err(), "{cert:?}");
    }

    let mut s = Value::Null;
    for _ in 0..100 {
        s = stats(d.config_addr).await;
        if s["tls"]["handshake_failures"] == 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let tls = &s["tls"];
    assert_eq!(tls["handshake_failures"], 4, "{s}");
    assert_eq!(tls["handshakes"], 1, "{s}");
    assert_eq!(tls["client_certificates"], 1, "{s}");
    assert_eq!(tls["client_certificate_required"], true, "{s}");
    assert_eq!(s["requests_by_version"]["HTTP/2"], 1, "{s}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn required_tokens_get_401_without_and_403_with_another() {
    let certs = certs();
    let d = start(certs.path(), false, &["t0k3n", "second"]).await;
    let c = connector(certs.path(), &[b"h2"], None);
    let doc = "/document/v1/office/todo/group/tok/t1";
    let put = |auth: Option<&'static str>| {
        let c = c.clone();
        async move {
            let headers: Vec<(&str, &str)> =
                auth.map(|a| ("authorization", a)).into_iter().collect();
            request(
                d.addr,
                &c,
                "POST",
                doc,
                &headers,
                Some(json!({"fields": {"title": "x"}})),
            )
            .await
            .unwrap()
        }
    };
    let (_, status, body) = put(None).await;
    assert_eq!(
        (status, body),
        (401, json!({"code": 401, "message": "Unauthorized"}))
    );
    let (_, status, _) = put(Some("Bearer ")).await;
    assert_eq!(status, 401);
    let (_, status, body) = put(Some("Bearer nope")).await;
    assert_eq!(
        (status, body),
        (403, json!({"code": 403, "message": "Forbidden"}))
    );
    let (_, status, _) = put(Some("Basic dDBrM246")).await;
    assert_eq!(status, 401);
    for token in ["Bearer t0k3n", "Bearer second"] {
        let (_, status, body) = put(Some(token)).await;
        assert_eq!(status, 200, "{token}: {body}");
    }
    // Health and the admin API stay open, on both ports.
    for path in ["/state/v1/health", "/_double/stats"] {
        let (_, status, _) = request(d.addr, &c, "GET", path, &[], None).await.unwrap();
        assert_eq!(status, 200, "{path}");
    }
    let s = stats(d.config_addr).await;
    assert_eq!(s["responses"]["401"], 3, "{s}");
    assert_eq!(s["responses"]["403"], 1, "{s}");
}

#[tokio::test]
async fn tls_files_that_cannot_be_used_are_named() {
    let certs = certs();
    let dir = certs.path();
    let config = |cert: &str, key: &str, ca: Option<&str>| Config {
        tls_cert: Some(dir.join(cert)),
        tls_key: Some(dir.join(key)),
        client_ca: ca.map(|c| dir.join(c)),
        ..Config::default()
    };
    for (config, named) in [
        (config("missing.pem", "server.key", None), "missing.pem"),
        (config("server.key", "server.key", None), "server.key"),
        (config("server.pem", "server.pem", None), "server.pem"),
        (config("server.pem", "server.key", Some("ca.key")), "ca.key"),
    ] {
        let err = vespa_double::start(config).await.err().expect("refused");
        assert!(err.contains(named), "{named}: {err}");
    }
}
