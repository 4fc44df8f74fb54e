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
//!
//! [`setup`] parses the endpoint and builds the TLS configuration, for this transport and for
//! the config server's client alike; [`tls_failure`] tells TLS failures apart and explains them.

pub mod setup;
pub mod tls_failure;

pub use setup::{HttpSetupError, TlsFiles, USER_AGENT};

use self::setup::Endpoint;
use self::tls_failure::{Watched, causes, is_permanent, rustls_cause};
use super::feed::{Request, Response, Transport, TransportError};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http2::SendRequest;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

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
    /// CA certificate(s) and client certificate; `https://` only.
    pub tls: TlsFiles,
    /// Client-side limit per request (connect included).
    pub request_timeout: Duration,
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
    endpoint: Endpoint,
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
        let endpoint = Endpoint::parse(&options.endpoint)?;
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

        let tls = setup::h2_connector(&endpoint, &options.tls)?;
        let conns = (0..options.connections.max(1))
            .map(|_| Conn {
                link: std::sync::Mutex::new(None),
                dialing: tokio::sync::Mutex::new(()),
                inflight: AtomicUsize::new(0),
            })
            .collect();
        Ok(Self {
            endpoint,
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
        let tcp = tokio::net::TcpStream::connect((self.endpoint.host.as_str(), self.endpoint.port))
            .await
            .map_err(|err| {
                TransportError::new(format!(
                    "cannot connect to {}: {err}",
                    self.endpoint.authority
                ))
            })?;
        let _ = tcp.set_nodelay(true);
        let tls_failure = Arc::new(OnceLock::new());
        let sender = match &self.tls {
            None => handshake(tcp).await?,
            Some(connector) => {
                let name = rustls_pki_types::ServerName::try_from(self.endpoint.host.clone())
                    .map_err(|err| {
                        TransportError::permanent(format!("bad TLS server name: {err}"))
                    })?;
                let tls = connector.connect(name, tcp).await.map_err(|err| {
                    let what = format!("TLS handshake with `{}`", self.endpoint.authority);
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
        let message = tls_failure::message(&self.endpoint.authority, tls);
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
            let uri = format!(
                "{}://{}{}",
                self.endpoint.scheme, self.endpoint.authority, request.path
            );
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
mod tests;
