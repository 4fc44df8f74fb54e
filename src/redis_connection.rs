//! The Redis connection officectl's stores share.

use std::time::Duration;

/// A connection failure, naming the (redacted) URL.
#[derive(Debug, thiserror::Error)]
#[error("cannot connect to Redis at `{url}`: {message}")]
pub struct ConnectError {
    pub url: String,
    pub message: String,
}

/// Opens a multiplexed connection to `url`, failing after `timeout`.
pub async fn connect(
    url: &str,
    timeout: Duration,
) -> Result<redis::aio::MultiplexedConnection, ConnectError> {
    let shown = crate::redact::url(url);
    let fail = |message: String| ConnectError {
        url: shown.clone(),
        message,
    };
    let client = redis::Client::open(url).map_err(|e| fail(e.to_string()))?;
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(timeout))
        .set_response_timeout(Some(timeout));
    client
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .map_err(|e| fail(e.to_string()))
}
