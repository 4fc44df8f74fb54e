//! The config server over HTTP/1.1: the real [`ConfigServer`].

use super::{ConfigServer, ReindexError};
use crate::retry::{Backoff, Verdict, retry};
use crate::run::CancellationToken;
use crate::vespa::http::setup::{self, TlsFiles};
use crate::vespa::http::tls_failure;

/// The config server over HTTP/1.1 (reqwest, rustls). Over `https://` it trusts the same CA
/// file and presents the same client certificate as the document API: both are set up by
/// [`crate::vespa::http::setup`].
pub struct HttpConfigServer {
    endpoint: String,
    client: reqwest::Client,
}

impl HttpConfigServer {
    /// A client for `endpoint`, with `tls` for an `https://` one.
    pub fn new(endpoint: &str, tls: &TlsFiles) -> Result<Self, ReindexError> {
        let client = setup::http1_client(endpoint, tls, std::time::Duration::from_secs(60))
            .map_err(|source| ReindexError::Setup {
                endpoint: endpoint.into(),
                source,
            })?;
        Ok(Self {
            endpoint: endpoint.trim_end_matches('/').to_string(),
            client,
        })
    }

    /// `host:port` of the endpoint, as TLS failures name it.
    fn authority(&self) -> &str {
        let rest = self
            .endpoint
            .split_once("://")
            .map_or(self.endpoint.as_str(), |(_, rest)| rest);
        rest.split('/').next().unwrap_or(rest)
    }
}

/// A failed call, and whether another attempt may help.
struct Failed {
    error: ReindexError,
    retryable: bool,
}

impl HttpConfigServer {
    /// Reads (`GET`) are tried this often when the connection fails; a read changes nothing,
    /// and a TLS server that rejects the client certificate may reset the connection before
    /// its alert is read, which a second attempt usually reads. Writes are tried once.
    const READ_ATTEMPTS: u32 = 3;

    async fn call_once(
        &self,
        method: reqwest::Method,
        path: &str,
    ) -> Result<(u16, String), Failed> {
        // A TLS failure says what was not accepted, as the document API's do; a rejected
        // certificate is not retried.
        let failed = |err: reqwest::Error| {
            let tls = tls_failure::rustls_cause(&err);
            Failed {
                retryable: tls.is_none_or(|tls| !tls_failure::is_permanent(tls)),
                error: ReindexError::Transport {
                    endpoint: self.endpoint.clone(),
                    message: tls.map_or_else(
                        || err.to_string(),
                        |tls| tls_failure::message(self.authority(), tls),
                    ),
                },
            }
        };
        let response = self
            .client
            .request(method, format!("{}{path}", self.endpoint))
            .send()
            .await
            .map_err(failed)?;
        let status = response.status().as_u16();
        let body = response.text().await.map_err(failed)?;
        Ok((status, body))
    }
}

#[async_trait::async_trait]
impl ConfigServer for HttpConfigServer {
    async fn call(&self, method: &str, path: &str) -> Result<(u16, String), ReindexError> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|err| {
            ReindexError::Transport {
                endpoint: self.endpoint.clone(),
                message: err.to_string(),
            }
        })?;
        let policy = Backoff {
            initial: std::time::Duration::from_millis(100),
            max: std::time::Duration::from_millis(400),
            max_attempts: Some(if method == reqwest::Method::GET {
                Self::READ_ATTEMPTS
            } else {
                1
            }),
            ..Backoff::default()
        };
        retry(
            &policy,
            &CancellationToken::new(),
            |_| self.call_once(method.clone(), path),
            |failed| {
                if failed.retryable {
                    Verdict::RETRY
                } else {
                    Verdict::Fail
                }
            },
        )
        .await
        .map_err(|stopped| stopped.into_error().error)
    }
}
