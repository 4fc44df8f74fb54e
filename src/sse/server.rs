//! `GET /v1/users/{user}/events`: a user's notifications as Server-Sent Events
//! (<https://html.spec.whatwg.org/multipage/server-sent-events.html>).
//!
//! - Auth: an HS256 bearer token ([`super::token`]) in `Authorization: Bearer`, or in the
//!   `access_token` query parameter for `EventSource`, which cannot send headers. No token or a
//!   bad one: 401; an expired one: 401 (and an open stream ends at `exp` with an `expired`
//!   event); a token of another user: 403.
//! - The stream starts with `retry:` advice. Each notification is one event with `id:` (its
//!   stream entry id) and its JSON in `data:`. A client that comes back with `Last-Event-ID`
//!   (the header, as `EventSource` sends it on a reconnect, or the `last_event_id` query
//!   parameter on a first connect) first gets what it missed; when the cap or the TTL may have
//!   taken some of that, a `missed` event comes first. Without one it gets what is new from now.
//! - A comment (`: heartbeat`) after every `heartbeat` of silence keeps proxies from closing it.
//! - CORS for the configured origins only.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::hub::{Hub, Watcher};
use super::metrics::SseMetrics;
use super::stream::{NotificationStreams, StreamId};
use super::token::TokenVerifier;
use crate::run::CancellationToken;

/// How the endpoint behaves.
#[derive(Debug, Clone)]
pub struct SseOptions {
    /// Silence after which a heartbeat comment is sent.
    pub heartbeat: Duration,
    /// The reconnection delay advised to clients (`retry:`).
    pub retry: Duration,
    /// Origins allowed to read the stream from a browser (`https://app.example.com`); none: no
    /// CORS headers at all.
    pub allow_origins: Vec<String>,
}

/// Entries read from a stream at once (a longer replay is read in several).
const BATCH: usize = 500;

/// What every connection shares.
pub struct SseState {
    pub tokens: TokenVerifier,
    pub streams: NotificationStreams,
    pub hub: Arc<Hub>,
    pub metrics: SseMetrics,
    pub options: SseOptions,
    /// Ends every stream (SIGTERM: clients reconnect to another replica with `Last-Event-ID`).
    pub stop: CancellationToken,
}

/// An allowed origin that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an origin (expected `http://host[:port]` or `https://host[:port]`, no path)")]
pub struct BadOrigin(pub String);

/// Checks an origin as browsers send it: scheme, host and port, no path.
pub fn parse_origin(text: &str) -> Result<HeaderValue, BadOrigin> {
    let bad = || BadOrigin(text.to_string());
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(bad)?;
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ', '*']) {
        return Err(bad());
    }
    HeaderValue::from_str(text).map_err(|_| bad())
}

/// The SSE routes over `state`.
pub fn router(state: Arc<SseState>) -> Result<Router, BadOrigin> {
    let origins = state
        .options
        .allow_origins
        .iter()
        .map(|o| parse_origin(o))
        .collect::<Result<Vec<_>, _>>()?;
    let routes = Router::new()
        // The preflight of a page that sends `Authorization` or `Last-Event-ID` is answered by
        // the CORS layer; it needs a route for OPTIONS to reach it.
        .route(
            "/v1/users/{user}/events",
            get(events).options(|| async { StatusCode::NO_CONTENT }),
        )
        .with_state(state);
    if origins.is_empty() {
        return Ok(routes);
    }
    Ok(routes.layer(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET])
            .allow_headers([
                header::AUTHORIZATION,
                HeaderName::from_static("last-event-id"),
            ])
            .max_age(Duration::from_secs(600)),
    ))
}

#[derive(Debug, Deserialize)]
struct EventsQuery {
    access_token: Option<String>,
    last_event_id: Option<String>,
}

fn refuse(status: StatusCode, message: String) -> Response {
    let mut response = (status, format!("{message}\n")).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Bearer realm="fe-sse""#),
        );
    }
    response
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

async fn events(
    State(state): State<Arc<SseState>>,
    Path(user): Path<String>,
    Query(query): Query<EventsQuery>,
    headers: HeaderMap,
) -> Response {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").map(str::to_string));
    let Some(token) = from_header.or(query.access_token).filter(|t| !t.is_empty()) else {
        state.metrics.auth_failure("missing");
        return refuse(
            StatusCode::UNAUTHORIZED,
            "no bearer token: send `Authorization: Bearer TOKEN` or `?access_token=TOKEN`".into(),
        );
    };
    let claims = match state.tokens.verify(&token) {
        Ok(claims) => claims,
        Err(err) => {
            state.metrics.auth_failure(err.reason());
            return refuse(StatusCode::UNAUTHORIZED, err.to_string());
        }
    };
    if !claims.may_read(&user) {
        state.metrics.auth_failure("forbidden");
        return refuse(
            StatusCode::FORBIDDEN,
            "the token is for another user".into(),
        );
    }
    let now = now_ms();
    let Some(left) = claims
        .exp
        .saturating_mul(1000)
        .checked_sub(now)
        .filter(|l| *l > 0)
    else {
        state.metrics.auth_failure("expired");
        return refuse(StatusCode::UNAUTHORIZED, "the token has expired".into());
    };
    // The header wins: a browser reconnecting sends it, with the first URL's query unchanged.
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or(query.last_event_id)
        .filter(|id| !id.trim().is_empty());
    let last = match last_event_id.as_deref().map(str::parse::<StreamId>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(err)) => {
            return refuse(StatusCode::BAD_REQUEST, format!("Last-Event-ID: {err}"));
        }
    };

    // Watch before reading, so nothing appended in between goes unseen.
    let watcher = state.hub.watch(&user);
    let mut pending = VecDeque::new();
    pending.push_back(Event::default().retry(state.options.retry));
    let mut connection = Connection {
        state: state.clone(),
        user,
        watcher,
        last: StreamId::default(),
        pending,
        more: false,
        expiry: Box::pin(tokio::time::sleep(Duration::from_millis(left))),
        done: false,
        _open: Open::new(&state.metrics),
    };
    let started = match last {
        Some(last) => {
            connection.last = last;
            match state
                .streams
                .replay(&connection.user, last, BATCH, now)
                .await
            {
                Ok(replay) => {
                    if replay.missed {
                        connection.pending.push_back(
                            Event::default().event("missed").data(
                                r#"{"reason":"notifications after Last-Event-ID were trimmed or expired; reload"}"#,
                            ),
                        );
                    }
                    connection.more = replay.entries.len() == BATCH;
                    connection.queue(replay.entries);
                    Ok(())
                }
                Err(err) => Err(err),
            }
        }
        None => state
            .streams
            .latest(&connection.user)
            .await
            .map(|latest| connection.last = latest),
    };
    if let Err(err) = started {
        // Not a 503: `EventSource` gives up for good on any status but 200 ("fail the
        // connection"), while a stream that ends is retried after `retry:`.
        tracing::warn!(error = %err, "fe-sse: cannot read a stream; ending it for a retry");
        let retry = Event::default().retry(state.options.retry);
        return Sse::new(futures::stream::iter([Ok::<_, Infallible>(retry)])).into_response();
    }
    let stream = futures::stream::unfold(connection, |mut c| async move {
        c.next().await.map(|event| (Ok::<_, Infallible>(event), c))
    });
    let mut response = Sse::new(stream)
        .keep_alive(
            KeepAlive::new()
                .interval(state.options.heartbeat)
                .text("heartbeat"),
        )
        .into_response();
    // Proxies such as nginx must not buffer the stream.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// Counts a connection as open until dropped.
struct Open(SseMetrics);

impl Open {
    fn new(metrics: &SseMetrics) -> Open {
        metrics.connections(1);
        Open(metrics.clone())
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.connections(-1);
    }
}

/// One client's stream.
struct Connection {
    state: Arc<SseState>,
    user: String,
    watcher: Watcher,
    /// The id of the last notification queued for it.
    last: StreamId,
    pending: VecDeque<Event>,
    /// The last read was a full batch: read again before waiting.
    more: bool,
    expiry: Pin<Box<tokio::time::Sleep>>,
    done: bool,
    _open: Open,
}

enum Woken {
    Stop,
    Expired,
    Changed,
}

impl Connection {
    fn queue(&mut self, entries: Vec<super::stream::Entry>) {
        self.state.metrics.sent(entries.len() as u64);
        for entry in entries {
            self.last = entry.id;
            self.pending
                .push_back(Event::default().id(entry.id.to_string()).data(entry.data));
        }
    }

    /// Reads what came after the last notification queued; false when Redis failed (the
    /// stream ends and the client comes back with its `Last-Event-ID`).
    async fn read(&mut self) -> bool {
        match self.state.streams.after(&self.user, self.last, BATCH).await {
            Ok(entries) => {
                self.more = entries.len() == BATCH;
                self.queue(entries);
                true
            }
            Err(err) => {
                tracing::warn!(error = %err, "fe-sse: cannot read a stream; closing the connection");
                false
            }
        }
    }

    /// The next event to send; `None` ends the stream.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            if self.done {
                return None;
            }
            if self.more {
                if !self.read().await {
                    return None;
                }
                continue;
            }
            let woken = tokio::select! {
                () = self.state.stop.cancelled() => Woken::Stop,
                () = &mut self.expiry => Woken::Expired,
                () = self.watcher.changed() => Woken::Changed,
            };
            match woken {
                Woken::Stop => return None,
                Woken::Expired => {
                    self.done = true;
                    self.pending.push_back(
                        Event::default().event("expired").data(
                            r#"{"reason":"the token expired; connect again with a new one"}"#,
                        ),
                    );
                }
                Woken::Changed => {
                    if !self.read().await {
                        return None;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert!(parse_origin("https://app.example.com").is_ok());
        assert!(parse_origin("http://127.0.0.1:8080").is_ok());
        for bad in [
            "app.example.com",
            "https://",
            "https://a/b",
            "*",
            "ftp://x",
            "https://a b",
        ] {
            assert_eq!(parse_origin(bad), Err(BadOrigin(bad.to_string())), "{bad}");
        }
    }
}
