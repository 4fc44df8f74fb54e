//! The consumer's HTTP endpoint (`--listen ADDR`): `/healthz` (the process is alive),
//! `/readyz` (subscriptions open, Redis and Vespa reachable) and `/metrics` (Prometheus).

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
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
        match tokio::time::timeout(PROBE_TIMEOUT, self.store.get("office:readyz")).await {
            Ok(Ok(_)) => {}
            Ok(Err(err)) => problems.push(format!("redis: {err}")),
            Err(_) => problems.push("redis: no answer within 2s".to_string()),
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
    loop {
        let accepted = tokio::select! {
            () = stop.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else {
            // A refused or reset connection; the listener itself goes on.
            continue;
        };
        let endpoint = endpoint.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let endpoint = endpoint.clone();
                async move { Ok::<_, Infallible>(answer(&endpoint, &request).await) }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                () = stop.cancelled() => {}
            }
        });
    }
}

async fn answer<B>(endpoint: &Endpoint, request: &Request<B>) -> Response<Full<Bytes>> {
    if request.method() != hyper::Method::GET && request.method() != hyper::Method::HEAD {
        return text(StatusCode::METHOD_NOT_ALLOWED, "only GET\n".into());
    }
    match request.uri().path() {
        "/healthz" => text(StatusCode::OK, "ok\n".into()),
        "/readyz" => {
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
        "/metrics" => {
            let mut response = text(StatusCode::OK, endpoint.metrics.encode());
            response.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            );
            response
        }
        _ => text(
            StatusCode::NOT_FOUND,
            "not found (try /healthz, /readyz, /metrics)\n".into(),
        ),
    }
}

fn text(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
