//! Where Pub/Sub is and which credentials reach it: the one fact the clients need from the
//! settings, defined here so the adapter does not depend on the settings module.

use serde::Serialize;

/// Which credentials the Google clients use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credentials {
    /// No credentials: emulators and plain-HTTP test servers.
    Anonymous,
    /// Application Default Credentials, as every Google client finds them.
    ApplicationDefault,
}

/// Where Pub/Sub is and how to authenticate to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PubSubEndpoint {
    /// Base URL, e.g. `https://pubsub.googleapis.com` or `http://127.0.0.1:8085`.
    pub url: String,
    pub credentials: Credentials,
}

impl PubSubEndpoint {
    /// Builds the endpoint for a URL: plain `http://` means a local emulator and anonymous
    /// credentials (tokens are never sent in clear text); `https://` uses ADC.
    pub fn from_url(url: &str) -> Result<Self, EndpointError> {
        let url = url.trim_end_matches('/');
        let credentials = if url.starts_with("http://") {
            Credentials::Anonymous
        } else if url.starts_with("https://") {
            Credentials::ApplicationDefault
        } else {
            return Err(EndpointError::NotHttp(url.into()));
        };
        if url
            .split_once("://")
            .is_none_or(|(_, host)| host.is_empty())
        {
            return Err(EndpointError::NoHost(url.into()));
        }
        Ok(Self {
            url: url.to_string(),
            credentials,
        })
    }

    /// Builds the endpoint for `PUBSUB_EMULATOR_HOST` (`host:port`, as every Google client reads it).
    pub fn from_emulator_host(host: &str) -> Result<Self, EndpointError> {
        if host.contains("://") {
            return Self::from_url(host);
        }
        Self::from_url(&format!("http://{host}"))
    }

    /// Whether this is a local emulator rather than Google's service.
    pub fn is_emulator(&self) -> bool {
        self.credentials == Credentials::Anonymous
    }
}

/// A Pub/Sub endpoint URL that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("`{0}` is not an http:// or https:// URL")]
    NotHttp(String),
    #[error("`{0}` has no host")]
    NoHost(String),
}
