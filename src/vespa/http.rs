//! The real [`Transport`]: HTTP/2 over a few connections.
//!
//! `http://` endpoints get h2c with prior knowledge (no Upgrade, as Jetty and `vespa feed` do);
//! `https://` endpoints get TLS with ALPN `h2`, optionally with a client certificate (mTLS, as
//! Vespa Cloud's data plane wants); server certificates are checked against the system roots
//! plus an optional CA file (a private or self-signed CA). A bearer token becomes
//! `Authorization: Bearer …`. A certificate rejected on either side three times in a row (one
//! could be a single bad backend behind a load balancer) is a *permanent* transport error:
//! retrying cannot fix it, so the feed stops instead of retrying each operation. Each request
//! goes to the connection with the fewest requests in flight; a connection that closed (GOAWAY,
//! reset) is dialled again on next use. Built on the hyper/h2/rustls stack the crate already
//! compiles for the Google clients.

use super::feed::{Request, Response, Transport, TransportError};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http2::SendRequest;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

/// User agent on every request.
pub const USER_AGENT: &str = concat!("officectl/", env!("CARGO_PKG_VERSION"));

/// Where and how to connect.
#[derive(Debug, Clone, Default)]
pub struct HttpOptions {
    /// Base URL, `http://host:port` or `https://host:port`.
    pub endpoint: String,
    pub connections: usize,
    /// Extra headers, `(name, value)`.
    pub headers: Vec<(String, String)>,
    /// Sent as `Authorization: Bearer <token>`.
    pub bearer_token: Option<String>,
    /// Client certificate and key (PEM) for mTLS; `https://` only.
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// CA certificate(s) (PEM) trusted besides the system roots; `https://` only.
    pub ca_cert: Option<PathBuf>,
    /// Client-side limit per request (connect included).
    pub request_timeout: Duration,
}

/// Why a transport could not be built.
#[derive(Debug, thiserror::Error)]
pub enum HttpSetupError {
    #[error("`{0}` is not an http:// or https:// URL with a host")]
    Url(String),
    #[error("invalid header `{0}`")]
    Header(String),
    #[error("cannot read `{path}`: {message}")]
    Pem { path: PathBuf, message: String },
    #[error("`{0}` has no PEM certificate (`-----BEGIN CERTIFICATE-----`)")]
    NoCertificate(PathBuf),
    #[error("`{path}` is not a usable CA certificate: {message}")]
    BadCa { path: PathBuf, message: String },
    #[error("`{path}` and its key cannot be used as a client certificate: {message}")]
    ClientCert { path: PathBuf, message: String },
    #[error("a client certificate needs both a certificate and a key file")]
    HalfCert,
    #[error("TLS setup: {0}")]
    Tls(String),
}

struct Conn {
    link: std::sync::Mutex<Option<Link>>,
    dialing: tokio::sync::Mutex<()>,
    inflight: AtomicUsize,
}

/// One HTTP/2 connection: where to send requests, and the TLS error that ended it, if any.
#[derive(Clone)]
struct Link {
    sender: SendRequest<Full<Bytes>>,
    /// hyper and h2 pass a failed read up as text only, so the TLS stream's own error (say the
    /// server's alert that it wants a client certificate) is caught here, typed.
    tls_failure: Arc<OnceLock<rustls::Error>>,
}

/// HTTP/2 to one Vespa endpoint.
pub struct HttpTransport {
    scheme: String,
    authority: String,
    host: String,
    port: u16,
    headers: http::HeaderMap,
    tls: Option<tokio_rustls::TlsConnector>,
    conns: Vec<Conn>,
    next: AtomicUsize,
    timeout: Duration,
    /// Rejected-certificate TLS failures since the last response: one can come from a single
    /// bad backend behind a load balancer, [`REJECTED_AFTER`] in a row stop the feed.
    tls_rejections: AtomicUsize,
}

/// TLS rejections in a row (see [`is_permanent`]) after which they are taken as permanent.
const REJECTED_AFTER: usize = 3;

impl HttpTransport {
    /// Checks the options and builds the transport; connections are dialled on first use.
    pub fn new(options: &HttpOptions) -> Result<Self, HttpSetupError> {
        let endpoint = options.endpoint.trim_end_matches('/');
        let (scheme, rest) = endpoint
            .split_once("://")
            .ok_or_else(|| HttpSetupError::Url(endpoint.into()))?;
        let authority = rest.split('/').next().unwrap_or_default().to_string();
        if authority.is_empty() || !(scheme == "http" || scheme == "https") {
            return Err(HttpSetupError::Url(endpoint.into()));
        }
        let default_port = if scheme == "https" { 443 } else { 80 };
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || authority.starts_with('[') => {
                match port.parse::<u16>() {
                    Ok(port) => (host.to_string(), port),
                    Err(_) => return Err(HttpSetupError::Url(endpoint.into())),
                }
            }
            _ => (authority.clone(), default_port),
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();

        let mut headers = http::HeaderMap::new();
        let mut add = |name: &str, value: &str| -> Result<(), HttpSetupError> {
            let name = http::HeaderName::from_bytes(name.trim().as_bytes())
                .map_err(|_| HttpSetupError::Header(name.into()))?;
            let value = http::HeaderValue::from_str(value.trim())
                .map_err(|_| HttpSetupError::Header(name.to_string()))?;
            headers.append(name, value);
            Ok(())
        };
        add("content-type", "application/json; charset=utf-8")?;
        add("user-agent", USER_AGENT)?;
        for (name, value) in &options.headers {
            add(name, value)?;
        }
        if let Some(token) = &options.bearer_token {
            add("authorization", &format!("Bearer {token}"))?;
        }

        let tls = if scheme == "https" {
            Some(tls_connector(options)?)
        } else if options.client_cert.is_some() || options.client_key.is_some() {
            return Err(HttpSetupError::Tls(format!(
                "a client certificate needs an https:// endpoint, not `{endpoint}`"
            )));
        } else if options.ca_cert.is_some() {
            return Err(HttpSetupError::Tls(format!(
                "a CA certificate needs an https:// endpoint, not `{endpoint}`"
            )));
        } else {
            None
        };
        let conns = (0..options.connections.max(1))
            .map(|_| Conn {
                link: std::sync::Mutex::new(None),
                dialing: tokio::sync::Mutex::new(()),
                inflight: AtomicUsize::new(0),
            })
            .collect();
        Ok(Self {
            scheme: scheme.to_string(),
            authority,
            host,
            port,
            headers,
            tls,
            conns,
            next: AtomicUsize::new(0),
            tls_rejections: AtomicUsize::new(0),
            timeout: if options.request_timeout.is_zero() {
                Duration::from_secs(190)
            } else {
                options.request_timeout
            },
        })
    }

    /// The least busy connection, scanning from a rotating start.
    fn pick(&self) -> &Conn {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.conns.len();
        let mut best = &self.conns[start % n];
        for i in 1..n {
            let conn = &self.conns[(start + i) % n];
            if conn.inflight.load(Ordering::Relaxed) < best.inflight.load(Ordering::Relaxed) {
                best = conn;
            }
        }
        best
    }

    fn live(conn: &Conn) -> Option<Link> {
        let guard = conn.link.lock().ok()?;
        guard.as_ref().filter(|l| !l.sender.is_closed()).cloned()
    }

    async fn link(&self, conn: &Conn) -> Result<Link, TransportError> {
        if let Some(link) = Self::live(conn) {
            return Ok(link);
        }
        let _dialing = conn.dialing.lock().await;
        if let Some(link) = Self::live(conn) {
            return Ok(link);
        }
        let link = self.dial().await?;
        if let Ok(mut guard) = conn.link.lock() {
            *guard = Some(link.clone());
        }
        Ok(link)
    }

    async fn dial(&self) -> Result<Link, TransportError> {
        let tcp = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|err| {
                TransportError::new(format!("cannot connect to {}: {err}", self.authority))
            })?;
        let _ = tcp.set_nodelay(true);
        let tls_failure = Arc::new(OnceLock::new());
        let sender = match &self.tls {
            None => handshake(tcp).await?,
            Some(connector) => {
                let name =
                    rustls_pki_types::ServerName::try_from(self.host.clone()).map_err(|err| {
                        TransportError::permanent(format!("bad TLS server name: {err}"))
                    })?;
                let tls = connector.connect(name, tcp).await.map_err(|err| {
                    let what = format!("TLS handshake with `{}`", self.authority);
                    self.failed(&what, &err, None)
                })?;
                handshake(Watched {
                    inner: tls,
                    tls_failure: Arc::clone(&tls_failure),
                })
                .await?
            }
        };
        Ok(Link {
            sender,
            tls_failure,
        })
    }

    /// `what` failed: a TLS failure (from the connection, or in `err`'s chain) names the endpoint
    /// and what was not accepted, and is permanent when retrying cannot help; anything else is
    /// transient, with its causes.
    fn failed(
        &self,
        what: &str,
        err: &(dyn std::error::Error + 'static),
        link: Option<&Link>,
    ) -> TransportError {
        let tls = link
            .and_then(|l| l.tls_failure.get())
            .or_else(|| rustls_cause(err));
        let Some(tls) = tls else {
            return TransportError::new(format!("{what}: {}", causes(err)));
        };
        let message = format!(
            "TLS handshake with `{}` failed: {tls}{}",
            self.authority,
            explain(tls)
        );
        if is_permanent(tls)
            && self.tls_rejections.fetch_add(1, Ordering::Relaxed) + 1 >= REJECTED_AFTER
        {
            TransportError::permanent(message)
        } else {
            TransportError::new(message)
        }
    }

    async fn exchange(&self, request: &Request) -> Result<Response, TransportError> {
        let conn = self.pick();
        conn.inflight.fetch_add(1, Ordering::Relaxed);
        let result = async {
            let link = self.link(conn).await?;
            let mut sender = link.sender.clone();
            let uri = format!("{}://{}{}", self.scheme, self.authority, request.path);
            let mut builder = http::Request::builder().method(request.method).uri(uri);
            if let Some(headers) = builder.headers_mut() {
                headers.extend(self.headers.clone());
            }
            let body = Full::new(request.body.clone().unwrap_or_default());
            let req = builder
                .body(body)
                .map_err(|err| TransportError::new(format!("cannot build request: {err}")))?;
            // With TLS 1.3 the server checks the client certificate after the client thinks the
            // handshake is done, so its rejection (an alert) arrives here, on the first request.
            sender
                .ready()
                .await
                .map_err(|err| self.failed("connection closed", &err, Some(&link)))?;
            let response = sender
                .send_request(req)
                .await
                .map_err(|err| self.failed("request failed", &err, Some(&link)))?;
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|err| self.failed("reading the response", &err, Some(&link)))?
                .to_bytes();
            self.tls_rejections.store(0, Ordering::Relaxed);
            Ok(Response { status, body })
        };
        let result = match tokio::time::timeout(self.timeout, result).await {
            Ok(result) => result,
            Err(_) => Err(TransportError::new(format!(
                "no response within {} s",
                self.timeout.as_secs()
            ))),
        };
        conn.inflight.fetch_sub(1, Ordering::Relaxed);
        result
    }
}

async fn handshake<T>(io: T) -> Result<SendRequest<Full<Bytes>>, TransportError>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) = hyper::client::conn::http2::Builder::new(TokioExecutor::new())
        // Big windows: let TCP, not HTTP/2 flow control, pace the feed (as the Java client does).
        .initial_stream_window_size(8 << 20)
        .initial_connection_window_size(64 << 20)
        .handshake(TokioIo::new(io))
        .await
        .map_err(|err| TransportError::new(format!("HTTP/2 handshake: {}", causes(&err))))?;
    tokio::spawn(async move {
        // Errors surface on the requests; a closed connection is redialled on next use.
        let _ = connection.await;
    });
    Ok(sender)
}

/// An error and its sources, `a: b: c`, skipping a source whose text is already shown (hyper
/// and h2 often repeat their cause in their own message).
fn causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let shown = cause.to_string();
        if !text.contains(&shown) {
            text.push_str(": ");
            text.push_str(&shown);
        }
        source = cause.source();
    }
    text
}

/// The rustls error in `err`'s chain, itself or inside an `io::Error` (as tokio-rustls wraps it).
fn rustls_cause<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            && let Some(tls) = rustls_cause(inner)
        {
            return Some(tls);
        }
        next = e.source();
    }
    None
}

/// A TLS stream that keeps the first rustls error it meets, for [`Link::tls_failure`].
struct Watched<T> {
    inner: T,
    tls_failure: Arc<OnceLock<rustls::Error>>,
}

impl<T> Watched<T> {
    fn watch<R>(&self, poll: Poll<std::io::Result<R>>) -> Poll<std::io::Result<R>> {
        if let Poll::Ready(Err(err)) = &poll
            && let Some(tls) = rustls_cause(err)
        {
            let _ = self.tls_failure.set(tls.clone());
        }
        poll
    }
}

impl<T: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        self.watch(poll)
    }
}

impl<T: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.watch(poll)
    }
}

/// Whether retrying cannot fix this TLS failure: a certificate (ours or the server's) was not
/// accepted, or the two sides share no protocol.
fn is_permanent(err: &rustls::Error) -> bool {
    use rustls::AlertDescription as Alert;
    match err {
        rustls::Error::InvalidCertificate(_)
        | rustls::Error::NoCertificatesPresented
        | rustls::Error::UnsupportedNameType
        | rustls::Error::PeerIncompatible(_)
        | rustls::Error::NoApplicationProtocol => true,
        rustls::Error::AlertReceived(alert) => matches!(
            alert,
            Alert::BadCertificate
                | Alert::UnsupportedCertificate
                | Alert::CertificateRevoked
                | Alert::CertificateExpired
                | Alert::CertificateUnknown
                | Alert::CertificateRequired
                | Alert::UnknownCA
                | Alert::AccessDenied
                | Alert::DecryptError
                | Alert::HandshakeFailure
                | Alert::ProtocolVersion
                | Alert::InsufficientSecurity
                | Alert::NoApplicationProtocol
        ),
        _ => false,
    }
}

/// What a TLS failure means for the person running the command, in brackets, or nothing.
fn explain(err: &rustls::Error) -> &'static str {
    use rustls::AlertDescription as Alert;
    use rustls::CertificateError as Cert;
    match err {
        rustls::Error::InvalidCertificate(cert) => match cert {
            Cert::UnknownIssuer => " (the server's certificate is not signed by a trusted CA)",
            Cert::NotValidForName | Cert::NotValidForNameContext { .. } => {
                " (the server's certificate is not valid for this host name)"
            }
            Cert::Expired | Cert::ExpiredContext { .. } => {
                " (the server's certificate has expired)"
            }
            _ => " (the server's certificate was not accepted)",
        },
        rustls::Error::AlertReceived(Alert::CertificateRequired) => {
            " (the server requires a client certificate)"
        }
        rustls::Error::AlertReceived(
            Alert::BadCertificate
            | Alert::UnsupportedCertificate
            | Alert::CertificateRevoked
            | Alert::CertificateExpired
            | Alert::CertificateUnknown
            | Alert::UnknownCA
            | Alert::AccessDenied,
        ) => " (the server did not accept the client certificate)",
        rustls::Error::AlertReceived(Alert::DecryptError) => {
            " (the server could not verify the client certificate's signature)"
        }
        rustls::Error::NoApplicationProtocol
        | rustls::Error::AlertReceived(Alert::NoApplicationProtocol) => {
            " (the server does not offer HTTP/2 over TLS, ALPN `h2`)"
        }
        _ => "",
    }
}

fn tls_connector(options: &HttpOptions) -> Result<tokio_rustls::TlsConnector, HttpSetupError> {
    use rustls_pki_types::pem::PemObject;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let pem = |path: &PathBuf, err: rustls_pki_types::pem::Error| HttpSetupError::Pem {
        path: path.clone(),
        message: err.to_string(),
    };
    let certificates = |path: &PathBuf| {
        let certs = rustls_pki_types::CertificateDer::pem_file_iter(path)
            .map_err(|err| pem(path, err))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| pem(path, err))?;
        if certs.is_empty() {
            return Err(HttpSetupError::NoCertificate(path.clone()));
        }
        Ok(certs)
    };
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    // In addition to the system roots, not instead: the same setting works for a hosted
    // endpoint with a public certificate and a private one.
    if let Some(path) = &options.ca_cert {
        for cert in certificates(path)? {
            roots.add(cert).map_err(|err| HttpSetupError::BadCa {
                path: path.clone(),
                message: err.to_string(),
            })?;
        }
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| HttpSetupError::Tls(err.to_string()))?
        .with_root_certificates(roots);
    let mut config = match (&options.client_cert, &options.client_key) {
        (None, None) => builder.with_no_client_auth(),
        (Some(cert), Some(key)) => {
            let certs = certificates(cert)?;
            let key =
                rustls_pki_types::PrivateKeyDer::from_pem_file(key).map_err(|err| pem(key, err))?;
            builder
                .with_client_auth_cert(certs, key)
                .map_err(|err| HttpSetupError::ClientCert {
                    path: cert.clone(),
                    message: err.to_string(),
                })?
        }
        _ => return Err(HttpSetupError::HalfCert),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

#[async_trait::async_trait]
impl Transport for HttpTransport {
    async fn send(&self, request: &Request) -> Result<Response, TransportError> {
        self.exchange(request).await
    }
}

impl HttpTransport {
    /// A GET of `path` (e.g. for checks); same connections and headers as the feed.
    pub async fn get(&self, path: &str) -> Result<Response, TransportError> {
        self.exchange(&Request {
            method: "GET",
            path: path.to_string(),
            body: None,
        })
        .await
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!((t.host.as_str(), t.port), ("127.0.0.1", 8080));
        assert!(t.tls.is_none());
        let t = HttpTransport::new(&options("https://vespa.example")).unwrap();
        assert_eq!((t.host.as_str(), t.port), ("vespa.example", 443));
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
        o.client_cert = Some("c.pem".into());
        assert!(matches!(
            HttpTransport::new(&o),
            Err(HttpSetupError::Tls(_))
        ));
        let mut o = options("https://h");
        o.client_cert = Some("c.pem".into());
        assert!(matches!(
            HttpTransport::new(&o),
            Err(HttpSetupError::HalfCert)
        ));
        o.client_key = Some("/nonexistent/k.pem".into());
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
        o.ca_cert = Some(file("ca.pem", TEST_CA));
        HttpTransport::new(&o).expect("a CA file loads, besides the system roots");
        // Several certificates in one file (a bundle) are all trusted.
        o.ca_cert = Some(file("bundle.pem", &format!("{TEST_CA}{TEST_CA}")));
        HttpTransport::new(&o).expect("a bundle loads");

        o.ca_cert = Some(dir.path().join("missing.pem"));
        let err = HttpTransport::new(&o).err().unwrap().to_string();
        assert!(
            err.starts_with("cannot read `") && err.contains("missing.pem"),
            "{err}"
        );
        o.ca_cert = Some(file(
            "key.pem",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        ));
        let err = HttpTransport::new(&o).err().unwrap().to_string();
        assert!(
            err.contains("key.pem") && err.contains("no PEM certificate"),
            "{err}"
        );
        o.ca_cert = Some(file(
            "junk.pem",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        ));
        let err = HttpTransport::new(&o).err().unwrap().to_string();
        assert!(
            err.contains("junk.pem") && err.contains("not a usable CA"),
            "{err}"
        );

        let mut o = options("http://h:1");
        o.ca_cert = Some(file("ca2.pem", TEST_CA));
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
}
