//! The consumer's HTTP endpoint (`--listen ADDR`): `/healthz` (the process is alive),
//! `/readyz` (subscriptions open, Redis and Vespa reachable) and `/metrics` (Prometheus), and
//! the routes a consumer adds (fe-sse's event streams), on one axum server.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;

use super::metrics::ConsumerMetrics;
use crate::model::store::KeyValueStore;
use crate::run::CancellationToken;
use crate::vespa::http::HttpTransport;

/// What `/readyz` asks: every problem that makes the consumer not ready now (none: ready).
#[async_trait]
pub trait ReadyCheck: Send + Sync {
    async fn problems(&self) -> Vec<String>;
}

/// A consumer is ready when its subscriptions are open and Redis and Vespa answer.
pub struct ConsumerReadiness {
    /// Set by the consumer while its subscriptions are open.
    pub subscriptions_open: Arc<AtomicBool>,
    pub store: Arc<dyn KeyValueStore>,
    /// `None` for a consumer that does not feed Vespa.
    pub vespa: Option<Arc<HttpTransport>>,
    /// fe-sse: true while its signal channel is subscribed (`None` for the other consumers).
    pub signals: Option<Arc<AtomicBool>>,
}

/// How long one dependency may take to answer a readiness probe.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

#[async_trait]
impl ReadyCheck for ConsumerReadiness {
    async fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !self.subscriptions_open.load(Ordering::Relaxed) {
            problems.push("subscriptions: not open".to_string());
        }
        match tokio::time::timeout(
            PROBE_TIMEOUT,
            self.store.get(&crate::keys::readiness_probe()),
        )
        .await
        {
            Ok(Ok(_)) => {}
            Ok(Err(err)) => problems.push(format!("redis: {err}")),
            Err(_) => problems.push("redis: no answer within 2s".to_string()),
        }
        if let Some(signals) = &self.signals
            && !signals.load(Ordering::Relaxed)
        {
            problems.push("redis: the signal channel is not subscribed".to_string());
        }
        if let Some(vespa) = &self.vespa {
            match tokio::time::timeout(PROBE_TIMEOUT, vespa.get("/state/v1/health")).await {
                Ok(Ok(response)) if response.status == 200 => {}
                Ok(Ok(response)) => problems.push(format!(
                    "vespa: /state/v1/health answered {}",
                    response.status
                )),
                Ok(Err(err)) => problems.push(format!("vespa: {err}")),
                Err(_) => problems.push("vespa: no answer within 2s".to_string()),
            }
        }
        problems
    }
}

/// What the endpoint serves.
#[derive(Clone)]
pub struct Endpoint {
    pub metrics: Arc<ConsumerMetrics>,
    pub ready: Arc<dyn ReadyCheck>,
}

/// Serves `endpoint` on `listener` until `stop` is cancelled.
pub async fn serve(listener: TcpListener, endpoint: Endpoint, stop: CancellationToken) {
    serve_with(listener, endpoint, Router::new(), stop).await;
}

/// Serves `endpoint` and the consumer's own `routes` (fe-sse's event streams) on `listener`, one
/// server on one port, until `stop` is cancelled.
pub async fn serve_with(
    listener: TcpListener,
    endpoint: Endpoint,
    routes: Router,
    stop: CancellationToken,
) {
    let app = Router::new()
        .route(
            "/healthz",
            get(|| async { text(StatusCode::OK, "ok\n".into()) }),
        )
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(endpoint)
        .merge(routes)
        .fallback(|| async {
            text(
                StatusCode::NOT_FOUND,
                "not found (try /healthz, /readyz, /metrics)\n".into(),
            )
        })
        .method_not_allowed_fallback(|| async {
            text(StatusCode::METHOD_NOT_ALLOWED, "only GET\n".into())
        });
    // The connections still open when `stop` fires (event streams) are not waited for: the
    // process is about to exit, and streams end on their own stop signal.
    let _ = axum::serve(listener, app)
        .with_graceful_shutdown(stop.cancelled_owned())
        .await;
}

async fn readyz(State(endpoint): State<Endpoint>) -> Response {
    let problems = endpoint.ready.problems().await;
    if problems.is_empty() {
        text(StatusCode::OK, "ready\n".into())
    } else {
        text(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready:\n{}\n", problems.join("\n")),
        )
    }
}

async fn metrics(State(endpoint): State<Endpoint>) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        endpoint.metrics.encode(),
    )
        .into_response()
}

fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}
