//! How officectl connects to Vespa, for both of its endpoints: the container (`/document/v1`,
//! `/search/`, through [`super::HttpTransport`]) and the config server (reindexing, through
//! [`crate::vespa::reindex::HttpConfigServer`]).
//!
//! One place parses an endpoint URL and builds the TLS client configuration from the settings
//! `vespa.ca_cert` (`--vespa-ca-cert`), `vespa.cert` and `vespa.key`: server certificates are
//! checked against the system roots **plus** the CA file (a private or self-signed CA), and the
//! client certificate is presented for mTLS. Both endpoints get the same trust and the same
//! certificate; they differ only in the protocol ALPN offers (HTTP/2 for the container, as the
//! official feed clients use; HTTP/1.1 for the config server, as its REST API is used).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// User agent on every request.
pub const USER_AGENT: &str = concat!("officectl/", env!("CARGO_PKG_VERSION"));

/// The TLS files of the settings: CA certificate(s) trusted besides the system roots, and a
/// client certificate with its key (PEM). They apply to an `https://` endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsFiles {
    /// CA certificate(s) (PEM) trusted besides the system roots.
    pub ca_cert: Option<PathBuf>,
    /// Client certificate and key (PEM) for mTLS.
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
}

impl TlsFiles {
    /// Whether any file is set.
    pub fn is_empty(&self) -> bool {
        self == &TlsFiles::default()
    }
}

/// Why a connection to Vespa could not be set up.
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

/// An endpoint, `http://host[:port]` or `https://host[:port]` (a path after it is ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// As given, without a trailing `/`.
    pub url: String,
    /// `http` or `https`.
    pub scheme: String,
    /// `host:port` as given (the port may be implied).
    pub authority: String,
    /// The host, without brackets for IPv6.
    pub host: String,
    pub port: u16,
}

impl Endpoint {
    pub fn parse(url: &str) -> Result<Endpoint, HttpSetupError> {
        let url = url.trim_end_matches('/');
        let bad = || HttpSetupError::Url(url.into());
        let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
        let authority = rest.split('/').next().unwrap_or_default().to_string();
        if authority.is_empty() || !(scheme == "http" || scheme == "https") {
            return Err(bad());
        }
        let default_port = if scheme == "https" { 443 } else { 80 };
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || authority.starts_with('[') => {
                (host.to_string(), port.parse::<u16>().map_err(|_| bad())?)
            }
            _ => (authority.clone(), default_port),
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        Ok(Endpoint {
            url: url.to_string(),
            scheme: scheme.to_string(),
            authority,
            host,
            port,
        })
    }

    pub fn is_https(&self) -> bool {
        self.scheme == "https"
    }
}

/// The protocol to offer by ALPN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alpn {
    /// `h2` only: the document API's HTTP/2 transport.
    H2,
    /// `http/1.1` only: the config server's HTTP/1.1 client.
    Http11,
}

/// The TLS client configuration for `files`: the system roots plus `files.ca_cert`, the client
/// certificate if given, and `alpn`.
pub fn client_config(files: &TlsFiles, alpn: Alpn) -> Result<rustls::ClientConfig, HttpSetupError> {
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
    if let Some(path) = &files.ca_cert {
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
    let mut config = match (&files.client_cert, &files.client_key) {
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
    config.alpn_protocols = vec![match alpn {
        Alpn::H2 => b"h2".to_vec(),
        Alpn::Http11 => b"http/1.1".to_vec(),
    }];
    Ok(config)
}

/// The container endpoint's TLS: a connector for `https://`, none for `http://`. TLS files with
/// an `http://` container endpoint are a mistake worth stopping for: they are meant for it.
pub fn h2_connector(
    endpoint: &Endpoint,
    files: &TlsFiles,
) -> Result<Option<tokio_rustls::TlsConnector>, HttpSetupError> {
    if endpoint.is_https() {
        let config = client_config(files, Alpn::H2)?;
        return Ok(Some(tokio_rustls::TlsConnector::from(Arc::new(config))));
    }
    let what = if files.client_cert.is_some() || files.client_key.is_some() {
        "a client certificate"
    } else if files.ca_cert.is_some() {
        "a CA certificate"
    } else {
        return Ok(None);
    };
    Err(HttpSetupError::Tls(format!(
        "{what} needs an https:// endpoint, not `{}`",
        endpoint.url
    )))
}

/// The config server's HTTP/1.1 client. For an `https://` endpoint it trusts and presents what
/// the container endpoint does ([`client_config`]); for `http://` the TLS files are not used
/// (they may well be meant for an `https://` container endpoint next to a plain config
/// server). The endpoint is not checked here: a malformed one fails on the first call, naming
/// the endpoint.
pub fn http1_client(
    endpoint: &str,
    files: &TlsFiles,
    timeout: Duration,
) -> Result<reqwest::Client, HttpSetupError> {
    let mut builder = reqwest::Client::builder().timeout(timeout);
    if endpoint.starts_with("https://") {
        builder = builder.tls_backend_preconfigured(client_config(files, Alpn::Http11)?);
    }
    builder
        .build()
        .map_err(|err| HttpSetupError::Tls(err.to_string()))
}
