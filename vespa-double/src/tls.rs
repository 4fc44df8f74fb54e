//! Optional TLS on the document/search port, as on a hosted Vespa's data plane, and with
//! `--config-tls` on the config-server port too ([`ConfigFront`]).
//!
//! With `--tls-cert`/`--tls-key` the port speaks TLS only (rustls). ALPN offers `h2` and
//! `http/1.1`, and the negotiated protocol decides the HTTP version, as Jetty does behind TLS:
//! `h2` is HTTP/2, anything else HTTP/1.1 (no h2c inside TLS). With `--client-ca` a client
//! certificate signed by that CA is required (Vespa Cloud's mTLS data plane): the handshake
//! fails without one. Counters for `/_double/stats` show what clients negotiated, so tests can
//! prove a client used HTTP/2 over TLS.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rustls::server::WebPkiClientVerifier;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use crate::config::Config;

/// The server side of TLS: the acceptor and what it has seen.
pub struct Tls {
    pub acceptor: TlsAcceptor,
    /// Whether a client certificate is required.
    pub mtls: bool,
    stats: TlsStats,
}

#[derive(Default)]
struct TlsStats {
    handshakes: AtomicU64,
    failures: AtomicU64,
    alpn_h2: AtomicU64,
    alpn_http11: AtomicU64,
    alpn_none: AtomicU64,
    client_certificates: AtomicU64,
}

/// The protocol a handshake settled on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alpn {
    H2,
    Http11,
    None,
}

impl Tls {
    /// Loads the server certificate chain and key, and the client CA if given.
    pub fn load(cert: &Path, key: &Path, client_ca: Option<&Path>) -> Result<Tls, String> {
        let chain = certificates(cert)?;
        let key = PrivateKeyDer::from_pem_file(key)
            .map_err(|e| format!("reading the TLS key {}: {e}", key.display()))?;
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS setup: {e}"))?;
        let builder = match client_ca {
            None => builder.with_no_client_auth(),
            Some(ca) => {
                let mut roots = rustls::RootCertStore::empty();
                for c in certificates(ca)? {
                    roots
                        .add(c)
                        .map_err(|e| format!("client CA {}: {e}", ca.display()))?;
                }
                // No `allow_unauthenticated`: a client without a certificate fails the handshake.
                let verifier =
                    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                        .build()
                        .map_err(|e| format!("client CA {}: {e}", ca.display()))?;
                builder.with_client_cert_verifier(verifier)
            }
        };
        let mut config = builder
            .with_single_cert(chain, key)
            .map_err(|e| format!("TLS certificate {}: {e}", cert.display()))?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Tls {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            mtls: client_ca.is_some(),
            stats: TlsStats::default(),
        })
    }

    /// Counts a finished handshake.
    pub fn handshake_done(&self, alpn: Alpn, client_certificate: bool) {
        let s = &self.stats;
        s.handshakes.fetch_add(1, Ordering::Relaxed);
        match alpn {
            Alpn::H2 => &s.alpn_h2,
            Alpn::Http11 => &s.alpn_http11,
            Alpn::None => &s.alpn_none,
        }
        .fetch_add(1, Ordering::Relaxed);
        if client_certificate {
            s.client_certificates.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts a handshake that failed (or timed out).
    pub fn handshake_failed(&self) {
        self.stats.failures.fetch_add(1, Ordering::Relaxed);
    }

    /// `tls` in `/_double/stats`.
    pub fn to_json(&self) -> Value {
        let s = &self.stats;
        let n = |c: &AtomicU64| c.load(Ordering::Relaxed);
        json!({
            "client_certificate_required": self.mtls,
            "handshakes": n(&s.handshakes),
            "handshake_failures": n(&s.failures),
            "alpn": {"h2": n(&s.alpn_h2), "http/1.1": n(&s.alpn_http11), "none": n(&s.alpn_none)},
            "client_certificates": n(&s.client_certificates),
        })
    }
}

impl Alpn {
    pub fn of(protocol: Option<&[u8]>) -> Alpn {
        match protocol {
            Some(b"h2") => Alpn::H2,
            Some(b"http/1.1") => Alpn::Http11,
            _ => Alpn::None,
        }
    }
}

/// Every certificate in a PEM file; at least one.
fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("reading certificates from {}: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!("{} has no PEM certificate", path.display()));
    }
    Ok(certs)
}

/// With `--config-tls`: TLS in front of the config-server port, with the same certificate, key
/// and client CA as the document/search port.
///
/// The front takes over the config-server port (and its port file); the double's own config
/// server listens on another free port of the same host, and each connection is forwarded to it
/// once its handshake is done. The plain listener behind it sniffs HTTP/1.1 or HTTP/2 as
/// before, so ALPN's choice (`h2` or `http/1.1`) needs nothing more. The front's handshakes are
/// not in `/_double/stats`, which counts the document/search port's.
pub struct ConfigFront {
    listener: TcpListener,
    tls: Arc<Tls>,
    port_file: Option<PathBuf>,
    log: bool,
}

impl ConfigFront {
    /// Binds the config-server port with TLS when `config` asks for it, and points `config`'s
    /// own config server at a free port with no port file.
    pub async fn bind(config: &mut Config) -> Result<Option<ConfigFront>, String> {
        if !config.config_tls {
            return Ok(None);
        }
        let (Some(cert), Some(key)) = (&config.tls_cert, &config.tls_key) else {
            return Err("--config-tls needs --tls-cert and --tls-key".to_string());
        };
        let tls = Tls::load(cert, key, config.client_ca.as_deref())?;
        let listener = TcpListener::bind((config.host.as_str(), config.config_port))
            .await
            .map_err(|e| format!("binding {}:{}: {e}", config.host, config.config_port))?;
        config.config_port = 0;
        Ok(Some(ConfigFront {
            listener,
            tls: Arc::new(tls),
            port_file: config.config_port_file.take(),
            log: config.log_requests,
        }))
    }

    /// Serves in the background, forwarding to the double's config server at `inner`, and
    /// writes the port file (last, so whoever waits on it can connect at once). Returns the
    /// front's address.
    pub fn serve(self, inner: SocketAddr) -> Result<SocketAddr, String> {
        let addr = self.listener.local_addr().map_err(|e| e.to_string())?;
        let mut inner = inner;
        if inner.ip().is_unspecified() {
            inner.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        tokio::spawn(forward(self.listener, self.tls, inner, self.log));
        if let Some(file) = &self.port_file {
            let tmp = file.with_extension("tmp");
            std::fs::write(&tmp, format!("{}\n", addr.port()))
                .and_then(|()| std::fs::rename(&tmp, file))
                .map_err(|e| format!("writing {}: {e}", file.display()))?;
        }
        Ok(addr)
    }
}

async fn forward(listener: TcpListener, tls: Arc<Tls>, inner: SocketAddr, log: bool) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let tls = Arc::clone(&tls);
        tokio::spawn(async move {
            // A client that never finishes its handshake must not hold a task forever.
            let mut stream =
                match tokio::time::timeout(Duration::from_secs(10), tls.acceptor.accept(stream))
                    .await
                {
                    Ok(Ok(stream)) => stream,
                    outcome => {
                        tls.handshake_failed();
                        if log {
                            let why = match outcome {
                                Ok(Err(e)) => e.to_string(),
                                _ => "timed out".to_string(),
                            };
                            eprintln!("TLS handshake from {peer} (config server) failed: {why}");
                        }
                        return;
                    }
                };
            let session = stream.get_ref().1;
            tls.handshake_done(
                Alpn::of(session.alpn_protocol()),
                session.peer_certificates().is_some(),
            );
            let Ok(mut plain) = TcpStream::connect(inner).await else {
                return;
            };
            let _ = plain.set_nodelay(true);
            let _ = tokio::io::copy_bidirectional(&mut stream, &mut plain).await;
        });
    }
}
