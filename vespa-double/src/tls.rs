//! Optional TLS on the document/search port, as on a hosted Vespa's data plane.
//!
//! With `--tls-cert`/`--tls-key` the port speaks TLS only (rustls). ALPN offers `h2` and
//! `http/1.1`, and the negotiated protocol decides the HTTP version, as Jetty does behind TLS:
//! `h2` is HTTP/2, anything else HTTP/1.1 (no h2c inside TLS). With `--client-ca` a client
//! certificate signed by that CA is required (Vespa Cloud's mTLS data plane): the handshake
//! fails without one. Counters for `/_double/stats` show what clients negotiated, so tests can
//! prove a client used HTTP/2 over TLS.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rustls::server::WebPkiClientVerifier;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::{Value, json};
use tokio_rustls::TlsAcceptor;

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
