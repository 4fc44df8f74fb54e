//! How the commands reach Vespa: the document API's flags and transport, and the config
//! server's client. Both endpoints take their TLS files from the same settings (`vespa.ca_cert`,
//! `vespa.cert`, `vespa.key`), through the core's one setup (`vespa::http::setup`).

use crate::cli::error;
use anyhow::Context as _;
use officectl::settings::Settings;
use officectl::vespa::feed::FeedConfig;
use officectl::vespa::http::{HttpOptions, HttpTransport, TlsFiles};
use officectl::vespa::reindex::HttpConfigServer;
use std::time::Duration;

/// How to reach Vespa's document API; shared by the commands that feed.
#[derive(Debug, clap::Args)]
pub struct ConnectionArgs {
    /// HTTP/2 connections to the endpoint
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=128))]
    pub connections: u16,

    /// Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]
    #[arg(long, value_name = "N")]
    pub max_inflight: Option<usize>,

    /// Extra header on every request, as `Name: Value` (repeatable)
    #[arg(long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
}

impl ConnectionArgs {
    /// The transport to the configured endpoint.
    pub fn transport(&self, settings: &Settings) -> anyhow::Result<HttpTransport> {
        let mut headers = Vec::new();
        for header in &self.headers {
            let Some((name, value)) = header.split_once(':') else {
                return Err(error::with_hint(
                    anyhow::anyhow!("header `{header}` is not `Name: Value`"),
                    "pass headers as --header 'X-Name: value'",
                ));
            };
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
        let vespa = &settings.vespa;
        let options = HttpOptions {
            endpoint: vespa.endpoint.value.clone(),
            connections: usize::from(self.connections),
            headers,
            bearer_token: vespa.token.as_ref().map(|t| t.value.clone()),
            tls: tls_files(settings),
            request_timeout: Duration::ZERO,
        };
        HttpTransport::new(&options).with_context(|| {
            format!(
                "cannot set up the connection to Vespa at `{}`",
                vespa.endpoint.value
            )
        })
    }

    /// Feed settings for these connections.
    pub fn feed_config(&self) -> FeedConfig {
        let mut config = FeedConfig::for_connections(usize::from(self.connections));
        if let Some(max) = self.max_inflight {
            config.max_inflight = max.max(1);
            config.min_inflight = config.min_inflight.min(config.max_inflight);
        }
        config
    }
}

/// The TLS files of the settings, for either endpoint.
pub fn tls_files(settings: &Settings) -> TlsFiles {
    let vespa = &settings.vespa;
    TlsFiles {
        ca_cert: vespa.ca_cert.as_ref().map(|c| c.value.clone()),
        client_cert: vespa.cert.as_ref().map(|c| c.value.clone()),
        client_key: vespa.key.as_ref().map(|k| k.value.clone()),
    }
}

/// The client of the configured config server, with the TLS files for an `https://` one.
pub fn config_server(settings: &Settings) -> anyhow::Result<HttpConfigServer> {
    Ok(HttpConfigServer::new(
        &settings.vespa.config_endpoint.value,
        &tls_files(settings),
    )?)
}
