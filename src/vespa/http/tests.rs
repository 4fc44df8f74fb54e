//! The HTTP/2 transport and its setup: endpoints, headers, TLS files and failures, and a
//! request over h2c to the shared fake.

use super::tls_failure::explain;
use super::*;
use crate::vespa::fake::{self, FakeVespa};

fn options(endpoint: &str) -> HttpOptions {
    HttpOptions {
        endpoint: endpoint.into(),
        connections: 2,
        ..Default::default()
    }
}

#[tokio::test]
async fn requests_go_over_h2c_with_token_and_headers() {
    let fake = Arc::new(FakeVespa::default());
    let port = fake.serve_h2c().await;
    let mut o = options(&format!("http://127.0.0.1:{port}"));
    o.bearer_token = Some("t0k3n".into());
    o.headers = vec![("X-Test-Scope".into(), "wire".into())];
    let t = HttpTransport::new(&o).unwrap();
    let response = t
        .send(&Request {
            method: "POST",
            path: "/document/v1/n/t/docid/1?create=true".into(),
            body: Some(Bytes::from_static(br#"{"fields":{}}"#)),
        })
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    let seen = fake.requests();
    let request = &seen[0];
    assert_eq!(request.version, Some(http::Version::HTTP_2));
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/document/v1/n/t/docid/1?create=true");
    assert_eq!(request.headers["authorization"], "Bearer t0k3n");
    assert_eq!(request.headers["x-test-scope"], "wire");
    assert_eq!(
        request.headers["content-type"],
        "application/json; charset=utf-8"
    );
    assert_eq!(request.body.as_deref(), Some(r#"{"fields":{}}"#));
    assert_eq!(fake.fields("id:n:t::1"), serde_json::json!({}));
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let port = fake::refused_port();
    let t = HttpTransport::new(&options(&format!("http://127.0.0.1:{port}"))).unwrap();
    let err = t.get("/").await.unwrap_err();
    assert!(err.message.contains("cannot connect"), "{err}");
    assert!(!err.permanent);
}

#[test]
fn endpoints_are_parsed() {
    let t = HttpTransport::new(&options("http://127.0.0.1:8080/")).unwrap();
    assert_eq!(
        (t.endpoint.host.as_str(), t.endpoint.port),
        ("127.0.0.1", 8080)
    );
    assert!(t.tls.is_none());
    let t = HttpTransport::new(&options("https://vespa.example")).unwrap();
    assert_eq!(
        (t.endpoint.host.as_str(), t.endpoint.port),
        ("vespa.example", 443)
    );
    assert!(t.tls.is_some());
    assert!(HttpTransport::new(&options("ftp://x")).is_err());
    assert!(HttpTransport::new(&options("http://")).is_err());
    assert!(HttpTransport::new(&options("http://h:port")).is_err());
}

#[test]
fn token_and_headers_are_sent_and_certs_need_tls() {
    let mut o = options("http://h:1");
    o.bearer_token = Some("abc".into());
    o.headers = vec![("X-Test-Scope".into(), "t1".into())];
    let t = HttpTransport::new(&o).unwrap();
    assert_eq!(t.headers["authorization"], "Bearer abc");
    assert_eq!(t.headers["x-test-scope"], "t1");
    o.tls.client_cert = Some("c.pem".into());
    assert!(matches!(
        HttpTransport::new(&o),
        Err(HttpSetupError::Tls(_))
    ));
    let mut o = options("https://h");
    o.tls.client_cert = Some("c.pem".into());
    assert!(matches!(
        HttpTransport::new(&o),
        Err(HttpSetupError::HalfCert)
    ));
    o.tls.client_key = Some("/nonexistent/k.pem".into());
    let err = HttpTransport::new(&o).err().unwrap().to_string();
    assert!(err.contains("c.pem"), "{err}");
}

/// A self-signed CA certificate (only parsed here, never used to verify).
const TEST_CA: &str = "\
-----BEGIN CERTIFICATE-----
MIIBfDCCASKgAwIBAgIUS9AIkRBeJMHP3o7M2irS18q4iKYwCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRb2ZmaWNlY3RsIHRlc3QgQ0EwHhcNMjYxMTI3MDIwNjQzWhcN
MjYxMTI5MDIwNjQzWjAcMRowGAYDVQQDDBFvZmZpY2VjdGwgdGVzdCBDQTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABFgQ2nryjCVzBJX4WME24iLeSoP9LgHl+/8N
RrzY3/YUpmt4t2FFTbJjSz6oLkzNr07d5FJZbpqbPWqzmKCdFJOjQjBAMA8GA1Ud
EwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQWBBTey8ks3FMaWXCB
3yWb2bTC8OY9STAKBggqhkjOPQQDAgNIADBFAiEAm32S6OuC29WjTRlvJIWmUYYb
mqJUwGcyX1JN+n7qZ38CIGppoHSe0ouJn18sfQxICzFrD/VJAR6HPCfOy5fb1jjH
-----END CERTIFICATE-----
";

#[test]
fn a_ca_file_is_trusted_for_https_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let mut o = options("https://h");
    o.tls.ca_cert = Some(file("ca.pem", TEST_CA));
    HttpTransport::new(&o).expect("a CA file loads, besides the system roots");
    // Several certificates in one file (a bundle) are all trusted.
    o.tls.ca_cert = Some(file("bundle.pem", &format!("{TEST_CA}{TEST_CA}")));
    HttpTransport::new(&o).expect("a bundle loads");

    o.tls.ca_cert = Some(dir.path().join("missing.pem"));
    let err = HttpTransport::new(&o).err().unwrap().to_string();
    assert!(
        err.starts_with("cannot read `") && err.contains("missing.pem"),
        "{err}"
    );
    o.tls.ca_cert = Some(file(
        "key.pem",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    ));
    let err = HttpTransport::new(&o).err().unwrap().to_string();
    assert!(
        err.contains("key.pem") && err.contains("no PEM certificate"),
        "{err}"
    );
    o.tls.ca_cert = Some(file(
        "junk.pem",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ));
    let err = HttpTransport::new(&o).err().unwrap().to_string();
    assert!(
        err.contains("junk.pem") && err.contains("not a usable CA"),
        "{err}"
    );

    let mut o = options("http://h:1");
    o.tls.ca_cert = Some(file("ca2.pem", TEST_CA));
    let err = HttpTransport::new(&o).err().unwrap().to_string();
    assert!(err.contains("needs an https:// endpoint"), "{err}");
}

#[test]
fn rejected_certificates_are_permanent_and_explained() {
    use rustls::AlertDescription as Alert;
    use rustls::CertificateError as Cert;
    let cases = [
        (
            rustls::Error::InvalidCertificate(Cert::UnknownIssuer),
            true,
            "not signed by a trusted CA",
        ),
        (
            rustls::Error::InvalidCertificate(Cert::NotValidForName),
            true,
            "not valid for this host name",
        ),
        (
            rustls::Error::AlertReceived(Alert::CertificateRequired),
            true,
            "requires a client certificate",
        ),
        (
            rustls::Error::AlertReceived(Alert::UnknownCA),
            true,
            "did not accept the client certificate",
        ),
        (rustls::Error::NoApplicationProtocol, true, "ALPN `h2`"),
        (
            rustls::Error::AlertReceived(Alert::InternalError),
            false,
            "",
        ),
        (rustls::Error::DecryptError, false, ""),
    ];
    for (err, permanent, text) in cases {
        assert_eq!(is_permanent(&err), permanent, "{err}");
        assert!(explain(&err).contains(text), "{err}: {}", explain(&err));
        // Found inside an io::Error, as tokio-rustls reports it.
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, err.clone());
        assert_eq!(rustls_cause(&io), Some(&err));
    }
    let plain = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
    assert_eq!(rustls_cause(&plain), None);
}

/// The config server's client is set up from the same files, the same way: a CA file or
/// client certificate that the document API cannot use fails it too, naming the file.
#[test]
fn the_config_server_client_takes_the_same_tls_files() {
    use crate::vespa::reindex::HttpConfigServer;
    use std::error::Error as _;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, TEST_CA).unwrap();
    let files = TlsFiles {
        ca_cert: Some(ca),
        ..TlsFiles::default()
    };
    HttpConfigServer::new("https://config:19071", &files).expect("a CA file loads");
    let h1 = setup::client_config(&files, setup::Alpn::Http11).unwrap();
    assert_eq!(h1.alpn_protocols, [b"http/1.1".to_vec()]);
    let h2 = setup::client_config(&files, setup::Alpn::H2).unwrap();
    assert_eq!(h2.alpn_protocols, [b"h2".to_vec()]);

    let missing = TlsFiles {
        ca_cert: Some(dir.path().join("missing.pem")),
        ..TlsFiles::default()
    };
    let err = HttpConfigServer::new("https://config:19071", &missing)
        .err()
        .unwrap();
    assert_eq!(
        err.to_string(),
        "cannot set up the connection to the config server at `https://config:19071`"
    );
    let cause = err.source().unwrap().to_string();
    assert!(
        cause.starts_with("cannot read `") && cause.contains("missing.pem"),
        "{cause}"
    );
    let half = TlsFiles {
        client_cert: Some(dir.path().join("client.pem")),
        ..TlsFiles::default()
    };
    let err = HttpConfigServer::new("https://config:19071", &half)
        .err()
        .unwrap();
    assert!(
        matches!(
            err.source().unwrap().downcast_ref(),
            Some(HttpSetupError::HalfCert)
        ),
        "{err:?}"
    );
    // A plain config server next to an https:// container endpoint: the files are the
    // container's, not an error here.
    HttpConfigServer::new("http://config:19071", &missing).expect("files unused over http://");
}
