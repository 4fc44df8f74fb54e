//! The HTTP side: listeners, routing and the handlers.
//!
//! Each accepted connection is served by hyper-util's `auto` builder, which reads the first
//! bytes to choose HTTP/1.1 or HTTP/2 with prior knowledge (h2c), as Jetty does on Vespa's port
//! 8080. HTTP/2 advertises 512 concurrent streams (`http2.maxConcurrentStreams`). With TLS
//! (`--tls-cert`, see [`crate::tls`]) the document/search port speaks TLS only and ALPN picks
//! the version instead. Handlers do their store work synchronously (no lock across an
//! `.await`); scans (visits, searches, mass updates) run on the blocking pool so they do not
//! stall the feed.

use std::convert::Infallible;
use std::io::Read;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::docid::{self, DocPath, Modifier, PathError, Route};
use crate::faults::{Faults, Rule, Target};
use crate::reindex::{self, Reindexing, Settings};
use crate::schema::Schema;
use crate::selection::{self, Expr, Tri};
use crate::store::{self, Doc, SHARDS, Store};
use crate::tls::{Alpn, Tls};
use crate::{search, update};

mod admin;
mod config_server;
mod document;
mod response;
mod search_api;
mod visit;

use admin::*;
use config_server::*;
use document::*;
use response::*;
use search_api::*;
use visit::*;
type Body = Full<Bytes>;

/// Shared state of a running double.
pub struct App {
    pub config: Config,
    pub schema: Schema,
    /// The package's rank profiles (none in open mode).
    pub rank: crate::rank::RankProfiles,
    pub store: Store,
    pub faults: Faults,
    pub reindexing: Mutex<Reindexing>,
    /// Document types seen, in open mode (no application package).
    seen_types: RwLock<std::collections::BTreeSet<String>>,
    inflight: AtomicUsize,
    responses: Vec<AtomicU64>,
    /// Requests on the document/search port by HTTP version: 1.x, 2.
    versions: [AtomicU64; 2],
    /// TLS on the document/search port, if configured.
    pub tls: Option<Tls>,
}

/// Addresses of a started double.
pub struct Running {
    pub app: Arc<App>,
    pub addr: SocketAddr,
    pub config_addr: SocketAddr,
}

impl App {
    pub fn new(config: Config) -> Result<App, String> {
        let schema = match &config.app {
            Some(dir) => Schema::load(dir)?,
            None => Schema::open(&config.cluster),
        };
        let rank = match &config.app {
            Some(dir) => crate::rank::RankProfiles::load(dir)?,
            None => crate::rank::RankProfiles::default(),
        };
        let faults = Faults::default();
        for rule in &config.faults {
            faults.set(Rule::from_json(rule)?);
        }
        let tls = match (&config.tls_cert, &config.tls_key) {
            (Some(cert), Some(key)) => Some(Tls::load(cert, key, config.client_ca.as_deref())?),
            _ => None,
        };
        let reindexing = Reindexing::new(Settings {
            rate_per_s: config.reindex_rate,
            start_delay_ms: config.reindex_start_delay_ms,
            requires_deploy: config.reindex_requires_deploy,
        });
        Ok(App {
            config,
            schema,
            rank,
            store: Store::new(),
            faults,
            reindexing: Mutex::new(reindexing),
            seen_types: RwLock::new(Default::default()),
            inflight: AtomicUsize::new(0),
            responses: (0..600).map(|_| AtomicU64::new(0)).collect(),
            versions: Default::default(),
            tls,
        })
    }

    fn count(&self, status: u16) {
        if let Some(c) = self.responses.get(usize::from(status)) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn reindexing(&self) -> std::sync::MutexGuard<'_, Reindexing> {
        self.reindexing.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Clusters and their types, for reindexing.
    fn cluster_types(&self) -> Vec<(String, Vec<String>)> {
        if self.schema.is_open() {
            let seen = self.seen_types.read().unwrap_or_else(|p| p.into_inner());
            return vec![(self.config.cluster.clone(), seen.iter().cloned().collect())];
        }
        self.schema
            .clusters
            .iter()
            .map(|c| (c.name.clone(), c.types.keys().cloned().collect()))
            .collect()
    }
}

/// Binds both ports, writes the port files and serves in the background of the current runtime.
pub async fn start(config: Config) -> Result<Running, String> {
    let main = TcpListener::bind((config.host.as_str(), config.port))
        .await
        .map_err(|e| format!("binding {}:{}: {e}", config.host, config.port))?;
    let cfg = TcpListener::bind((config.host.as_str(), config.config_port))
        .await
        .map_err(|e| format!("binding {}:{}: {e}", config.host, config.config_port))?;
    let addr = main.local_addr().map_err(|e| e.to_string())?;
    let config_addr = cfg.local_addr().map_err(|e| e.to_string())?;
    let app = Arc::new(App::new(config)?);
    tokio::spawn(accept(main, Arc::clone(&app), false));
    tokio::spawn(accept(cfg, Arc::clone(&app), true));
    // Port files last: whoever waits on them can connect at once.
    for (file, port) in [
        (&app.config.config_port_file, config_addr.port()),
        (&app.config.port_file, addr.port()),
    ] {
        if let Some(file) = file {
            let tmp = file.with_extension("tmp");
            std::fs::write(&tmp, format!("{port}\n"))
                .and_then(|()| std::fs::rename(&tmp, file))
                .map_err(|e| format!("writing {}: {e}", file.display()))?;
        }
    }
    Ok(Running {
        app,
        addr,
        config_addr,
    })
}

async fn accept(listener: TcpListener, app: Arc<App>, config_server: bool) {
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).keep_alive(true);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(512)
        .initial_stream_window_size(1 << 20)
        .initial_connection_window_size(16 << 20)
        .max_send_buf_size(1 << 20);
    // Behind TLS, ALPN has decided the version: no sniffing of the first bytes.
    let h1_only = Arc::new(builder.clone().http1_only());
    let h2_only = Arc::new(builder.clone().http2_only());
    let builder = Arc::new(builder);
    let use_tls = !config_server && app.tls.is_some();
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = Arc::clone(&app);
        let builder = Arc::clone(&builder);
        let (h1_only, h2_only) = (Arc::clone(&h1_only), Arc::clone(&h2_only));
        tokio::spawn(async move {
            let service_app = Arc::clone(&app);
            let service = service_fn(move |req: Request<Incoming>| {
                let app = Arc::clone(&service_app);
                async move {
                    if !config_server {
                        let v = usize::from(req.version() == hyper::Version::HTTP_2);
                        app.versions[v].fetch_add(1, Ordering::Relaxed);
                    }
                    let log = app
                        .config
                        .log_requests
                        .then(|| format!("{} {} {:?}", req.method(), req.uri(), req.version()));
                    let resp = if config_server {
                        config_api(&app, req).await
                    } else {
                        main_api(&app, req).await
                    };
                    app.count(resp.status().as_u16());
                    if let Some(line) = log {
                        eprintln!("{line} -> {}", resp.status().as_u16());
                    }
                    Ok::<_, Infallible>(resp)
                }
            });
            let Some(tls) = app.tls.as_ref().filter(|_| use_tls) else {
                let _ = builder
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                return;
            };
            // A client that never finishes its handshake must not hold a task forever.
            let stream =
                match tokio::time::timeout(Duration::from_secs(10), tls.acceptor.accept(stream))
                    .await
                {
                    Ok(Ok(stream)) => stream,
                    outcome => {
                        tls.handshake_failed();
                        if app.config.log_requests {
                            let why = match outcome {
                                Ok(Err(e)) => e.to_string(),
                                _ => "timed out".to_string(),
                            };
                            eprintln!("TLS handshake from {peer} failed: {why}");
                        }
                        return;
                    }
                };
            let session = stream.get_ref().1;
            let alpn = Alpn::of(session.alpn_protocol());
            tls.handshake_done(alpn, session.peer_certificates().is_some());
            let io = TokioIo::new(stream);
            let _ = if alpn == Alpn::H2 {
                h2_only.serve_connection(io, service).await
            } else {
                h1_only.serve_connection(io, service).await
            };
        });
    }
}

/// With `--require-token`: the answer of Vespa Cloud's token filter (`CloudTokenDataPlaneFilter`)
/// when the request may not pass, 401 without a bearer token and 403 with an unknown one.
fn token_denial(app: &App, headers: &HeaderMap) -> Option<Response<Body>> {
    if app.config.require_tokens.is_empty() {
        return None;
    }
    let token = headers
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match token {
        None => Some(respond_json(
            401,
            &json!({"code": 401, "message": "Unauthorized"}),
        )),
        Some(t) if app.config.require_tokens.iter().any(|k| k == t) => None,
        Some(_) => Some(respond_json(
            403,
            &json!({"code": 403, "message": "Forbidden"}),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// the document/search port

async fn main_api(app: &Arc<App>, req: Request<Incoming>) -> Response<Body> {
    let path = req.uri().path().to_string();
    // Health and the admin API stay open, so scripts and tests can check and reset the double.
    if path != "/state/v1/health"
        && !path.starts_with("/_double/")
        && let Some(denied) = token_denial(app, req.headers())
    {
        return denied;
    }
    if path.starts_with("/document/v1") {
        return document_api(app, req, path).await;
    }
    match (req.method(), path.as_str()) {
        (&Method::GET, "/") => respond_json(
            200,
            &json!({"handlers": [
                {"id": "com.yahoo.document.restapi.resource.DocumentV1ApiHandler",
                 "class": "com.yahoo.document.restapi.resource.DocumentV1ApiHandler",
                 "bundle": "vespaclient-container-plugin:8.0.0",
                 "serverBindings": ["http://*/document/v1/*"]},
                {"id": "com.yahoo.search.handler.SearchHandler",
                 "class": "com.yahoo.search.handler.SearchHandler",
                 "bundle": "container-search-and-docproc:8.0.0",
                 "serverBindings": ["http://*/search/*"]}
            ]}),
        ),
        (_, "/search/" | "/search") => search_api(app, req).await,
        _ => common_api(app, req, &path).await,
    }
}

/// Paths both ports serve: health and the admin API.
async fn common_api(app: &Arc<App>, req: Request<Incoming>, path: &str) -> Response<Body> {
    match path {
        "/state/v1/health" => respond(200, r#"{"status":{"code":"up"}}"#.to_string()),
        p if p.starts_with("/_double/") => admin_api(app, req, path).await,
        _ => respond_json(
            404,
            &json!({"error-code": "NOT_FOUND", "message": format!("Nothing at '{path}'")}),
        ),
    }
}

/// Holds one slot of a counter while a request is in progress.
struct Slot<'a>(&'a AtomicUsize);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn take_slot(counter: &AtomicUsize, max: usize) -> Result<Slot<'_>, usize> {
    let n = counter.fetch_add(1, Ordering::AcqRel) + 1;
    let slot = Slot(counter);
    if n > max { Err(max) } else { Ok(slot) }
}

#[cfg(test)]
mod tests;
