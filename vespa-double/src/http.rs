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
// helpers

fn respond(status: u16, body: String) -> Response<Body> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    r
}

fn respond_json(status: u16, v: &Value) -> Response<Body> {
    respond(status, v.to_string())
}

/// A JSON string literal.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// `{"pathId":..,"id":..}` with an optional message.
fn doc_response(
    status: u16,
    path: &str,
    id: Option<&str>,
    message: Option<&str>,
) -> Response<Body> {
    let mut s = String::with_capacity(64 + path.len() * 2);
    s.push_str("{\"pathId\":");
    s.push_str(&q(path));
    if let Some(id) = id {
        s.push_str(",\"id\":");
        s.push_str(&q(id));
    }
    if let Some(m) = message {
        s.push_str(",\"message\":");
        s.push_str(&q(m));
    }
    s.push('}');
    respond(status, s)
}

fn bad(path: &str, message: &str) -> Response<Body> {
    doc_response(400, path, None, Some(message))
}

/// Query parameters in order, decoded as a form (`+` is a space).
fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    let Some(query) = query else {
        return Vec::new();
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (docid::decode_query(k), docid::decode_query(v)),
            None => (docid::decode_query(p), String::new()),
        })
        .collect()
}

struct Params(Vec<(String, String)>);

impl Params {
    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// The last value, as Vespa's `getProperty`: present but empty is a 400.
    fn get(&self, name: &str) -> Result<Option<&str>, String> {
        match self.0.iter().rev().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, v)) if v.is_empty() => Err(format!(
                "Expected non-empty value for request property '{name}'"
            )),
            Some((_, v)) => Ok(Some(v.as_str())),
        }
    }

    fn parse<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        match self.get(name)? {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| format!("Failed parsing '{v}': For input string: \"{v}\"")),
        }
    }

    fn boolean(&self, name: &str) -> Result<Option<bool>, String> {
        Ok(self.get(name)?.map(|v| v.eq_ignore_ascii_case("true")))
    }

    fn disallow(&self, path: &str, names: &[&str]) -> Result<(), String> {
        for n in names {
            if self.has(n) {
                return Err(format!("May not specify '{n}' at '{path}'"));
            }
        }
        Ok(())
    }

    fn require(&self, path: &str, name: &str) -> Result<&str, String> {
        self.get(name)?
            .ok_or_else(|| format!("Must specify '{name}' at '{path}'"))
    }
}

enum BodyError {
    TooLarge,
    Broken(String),
}

async fn read_body(body: Incoming, headers: &HeaderMap, limit: usize) -> Result<Bytes, BodyError> {
    let bytes = match Limited::new(body, limit).collect().await {
        Ok(c) => c.to_bytes(),
        Err(e) => {
            return Err(if e.is::<http_body_util::LengthLimitError>() {
                BodyError::TooLarge
            } else {
                BodyError::Broken(e.to_string())
            });
        }
    };
    let gzip = headers
        .get(hyper::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"));
    if !gzip || bytes.is_empty() {
        return Ok(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len() * 4);
    flate2::read::GzDecoder::new(&bytes[..])
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| BodyError::Broken(format!("invalid gzip body: {e}")))?;
    if out.len() > limit {
        return Err(BodyError::TooLarge);
    }
    Ok(Bytes::from(out))
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

async fn document_api(app: &Arc<App>, req: Request<Incoming>, raw_path: String) -> Response<Body> {
    let route = match docid::parse_path(&raw_path) {
        Ok(r) => r,
        Err(PathError::NotFound) => {
            return doc_response(
                404,
                &raw_path,
                None,
                Some(&format!(
                    "Nothing at '{raw_path}'. Available paths are:\n{}",
                    docid::AVAILABLE_PATHS
                )),
            );
        }
        Err(PathError::Bad(m)) => return bad(&raw_path, &m),
    };
    let allowed: &[Method] = match route {
        Route::Root => &[Method::GET, Method::POST, Method::DELETE],
        _ => &[Method::GET, Method::POST, Method::PUT, Method::DELETE],
    };
    let method = req.method().clone();
    if !allowed.contains(&method) {
        let names: Vec<&str> = allowed.iter().map(Method::as_str).collect();
        if method == Method::OPTIONS {
            let mut r = Response::new(Full::new(Bytes::new()));
            *r.status_mut() = StatusCode::NO_CONTENT;
            if let Ok(v) = HeaderValue::from_str(&names.join(",")) {
                r.headers_mut().insert(hyper::header::ALLOW, v);
            }
            return r;
        }
        return doc_response(
            405,
            &raw_path,
            None,
            Some(&format!(
                "'{method}' not allowed at '{raw_path}'. Allowed methods are: {}",
                names.join(", ")
            )),
        );
    }
    let params = Params(parse_query(req.uri().query()));
    let id = match &route {
        Route::Document(p) => Some(p.id()),
        _ => None,
    };

    // `dryRun=true` answers at once, before any queueing or parsing (the Java client's
    // handshake relies on it); visits may not have it at all.
    if params.has("dryRun") {
        if id.is_none() || method == Method::GET {
            return bad(
                &raw_path,
                &format!("May not specify 'dryRun' at '{raw_path}'"),
            );
        }
        match params.boolean("dryRun") {
            Ok(Some(true)) => return doc_response(200, &raw_path, id.as_deref(), None),
            Ok(_) => {}
            Err(m) => return bad(&raw_path, &m),
        }
    }

    let _slot = match take_slot(&app.inflight, app.config.queue_size) {
        Ok(s) => s,
        Err(max) => {
            return bad_status(
                429,
                &raw_path,
                &format!("Rejecting execution due to overload: {max} requests already enqueued"),
            );
        }
    };

    let (doctype, group) = match &route {
        Route::Root => (None, None),
        Route::Visit(p) | Route::Document(p) => (
            Some(p.doctype.as_str()),
            match &p.modifier {
                Modifier::Group(g) => Some(g.as_str()),
                _ => None,
            },
        ),
    };
    let rule = app.faults.find(&Target {
        doctype,
        group,
        headers: req.headers(),
    });
    let _rule_slot;
    if let Some(rule) = &rule {
        if let Some(max) = rule.max_inflight {
            match take_slot(&rule.inflight, max) {
                Ok(s) => _rule_slot = s,
                Err(max) => {
                    return bad_status(
                        429,
                        &raw_path,
                        &format!(
                            "Rejecting execution due to overload: {max} requests already enqueued"
                        ),
                    );
                }
            }
        }
        if rule.latency_ms > 0 {
            tokio::time::sleep(Duration::from_millis(rule.latency_ms)).await;
        }
        if let Some(code) = rule.draw() {
            return injected(code, &raw_path, id.as_deref());
        }
    }

    let (parts, body) = req.into_parts();
    match route {
        Route::Document(path) => {
            let id = id.unwrap_or_default();
            if method == Method::GET {
                return get_document(app, &path, &raw_path, &id, &params);
            }
            if let Err(m) = app.schema.doctype(&path.doctype) {
                return bad(&raw_path, &m);
            }
            let body = if method == Method::DELETE {
                Bytes::new()
            } else {
                match read_body(body, &parts.headers, app.config.max_body_bytes).await {
                    Ok(b) => b,
                    Err(BodyError::TooLarge) => {
                        return doc_response(
                            413,
                            &raw_path,
                            Some(&id),
                            Some("Request body too large"),
                        );
                    }
                    Err(BodyError::Broken(m)) => return bad(&raw_path, &m),
                }
            };
            let result = match method {
                Method::POST => put_document(app, &path, &id, &params, &body),
                Method::PUT => update_document(app, &path, &id, &params, &body),
                _ => remove_document(app, &path, &id, &params),
            };
            match result {
                Ok(()) => doc_response(200, &raw_path, Some(&id), None),
                Err(Failure::Bad(m)) => bad(&raw_path, &m),
                Err(Failure::Condition(m)) => doc_response(412, &raw_path, Some(&id), Some(&m)),
            }
        }
        route => {
            let path = match route {
                Route::Visit(p) => Some(p),
                _ => None,
            };
            let body = if method == Method::PUT {
                match read_body(body, &parts.headers, app.config.max_body_bytes).await {
                    Ok(b) => b,
                    Err(BodyError::TooLarge) => {
                        return doc_response(413, &raw_path, None, Some("Request body too large"));
                    }
                    Err(BodyError::Broken(m)) => return bad(&raw_path, &m),
                }
            } else {
                Bytes::new()
            };
            let app = Arc::clone(app);
            let accept = parts
                .headers
                .get(hyper::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let task = tokio::task::spawn_blocking(move || match method {
                Method::GET => visit(&app, path.as_ref(), &raw_path, &params, &accept),
                Method::PUT | Method::DELETE => {
                    mass_operation(&app, path.as_ref(), &raw_path, &params, &method, &body)
                }
                _ => copy(&app, path.as_ref(), &raw_path, &params),
            });
            match task.await {
                Ok(r) => r,
                Err(e) => respond_json(500, &json!({"message": e.to_string()})),
            }
        }
    }
}

fn bad_status(status: u16, path: &str, message: &str) -> Response<Body> {
    doc_response(status, path, None, Some(message))
}

/// The answer to an injected fault, as Vespa (or the proxy in front of it) would give it.
fn injected(code: u16, path: &str, id: Option<&str>) -> Response<Body> {
    match code {
        429 => bad_status(
            429,
            path,
            "Rejecting execution due to overload: 256 requests already enqueued",
        ),
        503 => {
            let mut r = Response::new(Full::new(Bytes::from_static(
                b"<html><body><h2>HTTP ERROR 503 Service Unavailable</h2></body></html>",
            )));
            *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            r.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                HeaderValue::from_static("text/html;charset=iso-8859-1"),
            );
            r
        }
        502 => {
            let mut r = Response::new(Full::new(Bytes::from_static(b"Bad Gateway")));
            *r.status_mut() = StatusCode::BAD_GATEWAY;
            r
        }
        504 => doc_response(504, path, id, Some("timeout")),
        507 => doc_response(
            507,
            path,
            id,
            Some(
                "[UNKNOWN(251009) @ tcp/vespa-container:19112/default]: ReturnCode(NO_SPACE, \
                 External feed is blocked due to resource exhaustion: disk on node 0 (0.781 > 0.750)) ",
            ),
        ),
        _ => doc_response(500, path, id, Some("error")),
    }
}

enum Failure {
    Bad(String),
    Condition(String),
}

impl From<String> for Failure {
    fn from(m: String) -> Self {
        Failure::Bad(m)
    }
}

const CONDITION_FAILED: &str = "[UNKNOWN(251013) @ tcp/vespa-container:19112/default]: \
ReturnCode(TEST_AND_SET_CONDITION_FAILED, Condition did not match document nodeIndex=0 bucket=20000000000000c4 ) ";
const CONDITION_MISSING: &str = "[UNKNOWN(251013) @ tcp/vespa-container:19112/default]: \
ReturnCode(TEST_AND_SET_CONDITION_FAILED, Document does not exist) ";

/// The JSON body of a put or update: `fields`, and optionally `condition` and `create`.
struct OpBody {
    fields: Map<String, Value>,
    condition: Option<String>,
    create: Option<bool>,
}

fn parse_op_body(body: &[u8]) -> Result<OpBody, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("expected start of root object, got null".to_string());
    }
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("failed parsing document: {e}"))?;
    let Value::Object(mut m) = v else {
        return Err("failed parsing document: expected start of root object".to_string());
    };
    let fields = match m.remove("fields") {
        None => Map::new(),
        Some(Value::Object(f)) => f,
        Some(_) => return Err("failed parsing document: 'fields' must be an object".to_string()),
    };
    let condition = match m.remove("condition") {
        None => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => return Err("failed parsing document: 'condition' must be a string".to_string()),
    };
    let create = match m.remove("create") {
        None => None,
        Some(Value::Bool(b)) => Some(b),
        Some(_) => return Err("failed parsing document: 'create' must be a boolean".to_string()),
    };
    Ok(OpBody {
        fields,
        condition,
        create,
    })
}

fn condition(params: &Params, body: Option<&str>) -> Result<Option<Expr>, String> {
    match params.get("condition")?.or(body) {
        None => Ok(None),
        Some(c) => selection::parse(c).map(Some),
    }
}

fn new_doc(app: &App, path: &DocPath, id: &str, fields: Map<String, Value>, location: u64) -> Doc {
    Doc {
        id: id.to_string(),
        namespace: path.namespace.clone(),
        doctype: path.doctype.clone(),
        modifier: path.modifier.clone(),
        specific: path.specific.clone().unwrap_or_default(),
        location,
        fields,
        timestamp: app.store.next_timestamp(),
    }
}

fn note_type(app: &App, doctype: &str) {
    if !app.schema.is_open() {
        return;
    }
    if app
        .seen_types
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .contains(doctype)
    {
        return;
    }
    app.seen_types
        .write()
        .unwrap_or_else(|p| p.into_inner())
        .insert(doctype.to_string());
}

fn put_document(
    app: &App,
    path: &DocPath,
    id: &str,
    params: &Params,
    body: &[u8],
) -> Result<(), Failure> {
    params.get("route")?;
    params.get("timeout")?;
    let op = parse_op_body(body)?;
    let doctype = app.schema.doctype(&path.doctype)?;
    let mut fields = Map::with_capacity(op.fields.len());
    for (k, v) in op.fields {
        if let Some(t) = doctype
            && !t.fields.contains_key(&k)
        {
            return Err(Failure::Bad(format!(
                "No field '{k}' in the structure of type '{}'",
                path.doctype
            )));
        }
        if !update::is_unset(&v) {
            fields.insert(k, v);
        }
    }
    let cond = condition(params, op.condition.as_deref())?;
    let create = params.boolean("create")?.or(op.create).unwrap_or(false);
    note_type(app, &path.doctype);
    let location = store::location(&path.modifier, id);
    let doc = Arc::new(new_doc(app, path, id, fields, location));
    let mut shard = app.store.write(Store::shard_of(location));
    if let Some(cond) = &cond {
        match shard.get(id) {
            None if !create => return Err(Failure::Condition(CONDITION_MISSING.to_string())),
            Some(existing) if selection::eval(cond, existing, &app.schema) != Tri::True => {
                return Err(Failure::Condition(CONDITION_FAILED.to_string()));
            }
            _ => {}
        }
    }
    shard.insert(id.to_string(), doc);
    Ok(())
}

fn update_document(
    app: &App,
    path: &DocPath,
    id: &str,
    params: &Params,
    body: &[u8],
) -> Result<(), Failure> {
    params.get("route")?;
    params.get("timeout")?;
    let op = parse_op_body(body)?;
    let doctype = app.schema.doctype(&path.doctype)?;
    // Unknown fields are a 400 whether or not the document exists (Vespa parses first).
    if let Some(t) = doctype {
        for name in op.fields.keys() {
            let field = name.split(['{', '[']).next().unwrap_or(name);
            if !t.fields.contains_key(field) {
                return Err(Failure::Bad(format!(
                    "No field named '{field}' in {}",
                    path.doctype
                )));
            }
        }
    }
    let cond = condition(params, op.condition.as_deref())?;
    let create = params.boolean("create")?.or(op.create).unwrap_or(false);
    let location = store::location(&path.modifier, id);
    let mut shard = app.store.write(Store::shard_of(location));
    let mut doc = match shard.get(id) {
        None => {
            if !create {
                // An update of a missing document is a successful no-op, unless a condition
                // was given (vespa-api.md §2).
                return match cond {
                    Some(_) => Err(Failure::Condition(CONDITION_MISSING.to_string())),
                    None => Ok(()),
                };
            }
            new_doc(app, path, id, Map::new(), location)
        }
        Some(existing) => {
            if let Some(cond) = &cond
                && selection::eval(cond, existing, &app.schema) != Tri::True
            {
                return Err(Failure::Condition(CONDITION_FAILED.to_string()));
            }
            let mut d = Doc::clone(existing);
            d.timestamp = app.store.next_timestamp();
            d
        }
    };
    update::apply(&mut doc.fields, &op.fields, doctype, &path.doctype)?;
    note_type(app, &path.doctype);
    shard.insert(id.to_string(), Arc::new(doc));
    Ok(())
}

fn remove_document(app: &App, path: &DocPath, id: &str, params: &Params) -> Result<(), Failure> {
    params.get("route")?;
    params.get("timeout")?;
    let cond = condition(params, None)?;
    let location = store::location(&path.modifier, id);
    let mut shard = app.store.write(Store::shard_of(location));
    if let Some(cond) = &cond {
        match shard.get(id) {
            None => return Err(Failure::Condition(CONDITION_MISSING.to_string())),
            Some(existing) => {
                if selection::eval(cond, existing, &app.schema) != Tri::True {
                    return Err(Failure::Condition(CONDITION_FAILED.to_string()));
                }
            }
        }
    }
    shard.remove(id);
    Ok(())
}

/// Which fields a `fieldSet` keeps: `None` = all.
enum FieldSet {
    All,
    None,
    Some(Vec<String>),
}

fn field_set(spec: Option<&str>) -> FieldSet {
    match spec {
        None | Some("[all]") | Some("[document]") => FieldSet::All,
        Some("[id]") | Some("[none]") => FieldSet::None,
        Some(s) => match s.split_once(':') {
            Some((_, "[document]")) | Some((_, "[all]")) => FieldSet::All,
            Some((_, list)) => {
                FieldSet::Some(list.split(',').map(|f| f.trim().to_string()).collect())
            }
            None => FieldSet::All,
        },
    }
}

fn write_fields(out: &mut Vec<u8>, doc: &Doc, set: &FieldSet) {
    out.extend_from_slice(b"{");
    let mut first = true;
    for (k, v) in &doc.fields {
        let keep = match set {
            FieldSet::All => true,
            FieldSet::None => false,
            FieldSet::Some(list) => list.iter().any(|f| f == k),
        };
        if !keep {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        let _ = serde_json::to_writer(&mut *out, k);
        out.push(b':');
        let _ = serde_json::to_writer(&mut *out, v);
    }
    out.push(b'}');
}

fn get_document(
    app: &App,
    path: &DocPath,
    raw_path: &str,
    id: &str,
    params: &Params,
) -> Response<Body> {
    let run = || -> Result<Response<Body>, String> {
        if let Some(c) = params.get("cluster")?
            && app.schema.cluster(c).is_none()
        {
            return Err(format!(
                "Your Vespa deployment has no content cluster '{c}', only '{}'",
                app.schema.cluster_names()
            ));
        }
        params.get("timeout")?;
        app.schema.doctype(&path.doctype)?;
        let set = field_set(params.get("fieldSet")?);
        let location = store::location(&path.modifier, id);
        let Some(doc) = app.store.get(location, id) else {
            return Ok(doc_response(404, raw_path, Some(id), None));
        };
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(b"{\"pathId\":");
        out.extend_from_slice(q(raw_path).as_bytes());
        out.extend_from_slice(b",\"id\":");
        out.extend_from_slice(q(id).as_bytes());
        out.extend_from_slice(b",\"fields\":");
        write_fields(&mut out, &doc, &set);
        out.push(b'}');
        let mut r = respond(200, String::new());
        *r.body_mut() = Full::new(Bytes::from(out));
        Ok(r)
    };
    run().unwrap_or_else(|m| bad(raw_path, &m))
}

// ---------------------------------------------------------------------------------------------
// visiting

/// What a visit (or a mass operation) selects.
struct Scan {
    /// Shards to scan, in order.
    shards: Vec<usize>,
    doctype: Option<String>,
    /// Types allowed by the bucket space (root visits), `None` = any.
    space_types: Option<Vec<String>>,
    namespace: Option<String>,
    modifier: Modifier,
    selection: Option<Expr>,
    slices: Option<(u64, u64)>,
    from_ts: Option<u64>,
    to_ts: Option<u64>,
    /// Nothing can match (e.g. the global bucket space of a cluster without global types).
    empty: bool,
}

impl Scan {
    fn matches(&self, doc: &Doc, schema: &Schema) -> bool {
        if let Some(t) = &self.doctype
            && !schema.is_a(&doc.doctype, t)
        {
            return false;
        }
        if let Some(types) = &self.space_types
            && !types.contains(&doc.doctype)
        {
            return false;
        }
        if let Some(ns) = &self.namespace
            && &doc.namespace != ns
        {
            return false;
        }
        match &self.modifier {
            Modifier::None => {}
            m => {
                if &doc.modifier != m {
                    return false;
                }
            }
        }
        if let Some((n, i)) = self.slices
            && doc.location % n != i
        {
            return false;
        }
        if self.from_ts.is_some_and(|f| doc.timestamp < f)
            || self.to_ts.is_some_and(|t| doc.timestamp > t)
        {
            return false;
        }
        match &self.selection {
            None => true,
            Some(s) => selection::eval(s, doc, schema) == Tri::True,
        }
    }
}

fn resolve_cluster<'a>(
    app: &'a App,
    wanted: Option<&str>,
) -> Result<&'a crate::schema::Cluster, String> {
    let clusters = &app.schema.clusters;
    match wanted {
        Some(c) => app.schema.cluster(c).ok_or_else(|| {
            format!(
                "Your Vespa deployment has no content cluster '{c}', only '{}'",
                app.schema.cluster_names()
            )
        }),
        None if clusters.len() == 1 => Ok(&clusters[0]),
        None => Err(format!(
            "Please specify one of the content clusters in your Vespa deployment: '{}'",
            app.schema.cluster_names()
        )),
    }
}

fn build_scan(
    app: &App,
    path: Option<&DocPath>,
    params: &Params,
    cluster: Option<&str>,
) -> Result<Scan, String> {
    let cluster = resolve_cluster(app, cluster)?;
    let mut space_types = None;
    let mut empty = false;
    match path {
        Some(p) => {
            if !app.schema.is_open() && !cluster.types.contains_key(&p.doctype) {
                return Err(format!(
                    "There is no document type '{}' in cluster '{}', only '{}'",
                    p.doctype,
                    cluster.name,
                    cluster
                        .types
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("', '")
                ));
            }
        }
        None => {
            let space = params.get("bucketSpace")?.unwrap_or("default");
            let global = match space {
                "default" => false,
                "global" => true,
                other => {
                    return Err(format!(
                        "Bucket space '{other}' is not a known bucket space; expected one of default, global"
                    ));
                }
            };
            if app.schema.is_open() {
                empty = global;
            } else {
                let types: Vec<String> = cluster
                    .types
                    .keys()
                    .filter(|t| cluster.global.contains(*t) == global)
                    .cloned()
                    .collect();
                empty = types.is_empty();
                space_types = Some(types);
            }
        }
    }
    let selection = match params.get("selection")? {
        Some(s) => Some(selection::parse(s)?),
        None => None,
    };
    let from_ts = params.parse::<u64>("fromTimestamp")?;
    let to_ts = params.parse::<u64>("toTimestamp")?;
    if let (Some(f), Some(t)) = (from_ts, to_ts)
        && f > t
    {
        return Err("toTimestamp must be greater than, or equal to, fromTimestamp".to_string());
    }
    let slices = match (
        params.parse::<u64>("slices")?,
        params.parse::<u64>("sliceId")?,
    ) {
        (None, None) => None,
        (Some(n), Some(i)) => {
            if n == 0 || i >= n {
                return Err(format!(
                    "sliceId must be in [0, slices), but was {i} with {n} slices"
                ));
            }
            Some((n, i))
        }
        _ => return Err("None or both of 'slices' and 'sliceId' must be set".to_string()),
    };
    let modifier = path.map_or(Modifier::None, |p| p.modifier.clone());
    let shards = match &modifier {
        Modifier::None => (0..SHARDS).collect(),
        m => vec![Store::shard_of(store::location(m, ""))],
    };
    Ok(Scan {
        shards,
        doctype: path.map(|p| p.doctype.clone()),
        space_types,
        namespace: path.map(|p| p.namespace.clone()),
        modifier,
        selection,
        slices,
        from_ts,
        to_ts,
        empty,
    })
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// URL-safe base64 with `=` padding, like Vespa's tokens: the Go CLI appends it unescaped.
fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        if c == b'=' {
            break;
        }
        let v = match c {
            b'+' => 62,
            b'/' => 63,
            _ => B64.iter().position(|&x| x == c)? as u32,
        };
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

/// Token: `<shard>\n<last id>`.
fn encode_token(shard: usize, after: Option<&str>) -> String {
    b64_encode(format!("{shard}\n{}", after.unwrap_or("")).as_bytes())
}

fn decode_token(token: &str) -> Result<(usize, Option<String>), String> {
    let fail = || format!("Failed parsing '{token}': not a continuation token of this visit");
    let bytes = b64_decode(token).ok_or_else(fail)?;
    let text = String::from_utf8(bytes).map_err(|_| fail())?;
    let (shard, after) = text.split_once('\n').ok_or_else(fail)?;
    let shard: usize = shard.parse().map_err(|_| fail())?;
    if shard >= SHARDS {
        return Err(fail());
    }
    Ok((shard, (!after.is_empty()).then(|| after.to_string())))
}

/// One page of matching documents, and the continuation if the visit is not done.
fn page(
    app: &App,
    scan: &Scan,
    token: Option<&str>,
    wanted: usize,
) -> Result<(Vec<Arc<Doc>>, Option<String>), String> {
    let (mut start, mut after) = match token {
        Some(t) => decode_token(t)?,
        None => (scan.shards[0], None),
    };
    let mut docs = Vec::with_capacity(wanted.min(1024));
    if scan.empty {
        return Ok((docs, None));
    }
    let mut index = scan
        .shards
        .iter()
        .position(|&s| s == start)
        .unwrap_or(scan.shards.len());
    while index < scan.shards.len() {
        start = scan.shards[index];
        let stopped = app.store.scan_shard(start, after.as_deref(), |doc| {
            if scan.matches(doc, &app.schema) {
                docs.push(Arc::clone(doc));
            }
            docs.len() < wanted
        });
        match stopped {
            Some(key) => return Ok((docs, Some(encode_token(start, Some(&key))))),
            None => {
                index += 1;
                after = None;
            }
        }
    }
    Ok((docs, None))
}

fn visit(
    app: &App,
    path: Option<&DocPath>,
    raw_path: &str,
    params: &Params,
    accept: &str,
) -> Response<Body> {
    let run = || -> Result<Response<Body>, String> {
        let stream = params.boolean("stream")?.unwrap_or(false);
        let wanted = params
            .parse::<i64>("wantedDocumentCount")?
            .unwrap_or(if stream { i64::from(i32::MAX) } else { 1 });
        if wanted <= 0 {
            return Err("wantedDocumentCount must be positive".to_string());
        }
        if let Some(c) = params.parse::<i64>("concurrency")?
            && c <= 0
        {
            return Err("concurrency must be positive".to_string());
        }
        let cluster = params.get("cluster")?;
        if cluster.is_none() && path.is_none() {
            return Err("Must set 'cluster' parameter to a valid content cluster id when visiting at a root /document/v1/ level".to_string());
        }
        params.get("timeout")?;
        let set = match params.get("fieldSet")? {
            Some(s) => field_set(Some(s)),
            None => FieldSet::All,
        };
        let scan = build_scan(app, path, params, cluster)?;
        let (docs, continuation) = page(app, &scan, params.get("continuation")?, wanted as usize)?;
        let mut out = Vec::with_capacity(64 + docs.len() * 512);
        if stream && prefers_jsonl(accept) {
            for d in &docs {
                out.extend_from_slice(b"{\"put\":");
                out.extend_from_slice(q(&d.id).as_bytes());
                out.extend_from_slice(b",\"fields\":");
                write_fields(&mut out, d, &set);
                out.extend_from_slice(b"}\n");
            }
            out.extend_from_slice(
                format!(
                    "{{\"sessionStats\":{{\"documentCount\":{}}}}}\n",
                    docs.len()
                )
                .as_bytes(),
            );
            match &continuation {
                Some(t) => out.extend_from_slice(
                    format!(
                        "{{\"continuation\":{{\"token\":{},\"percentFinished\":{:.1}}}}}\n",
                        q(t),
                        50.0
                    )
                    .as_bytes(),
                ),
                None => out.extend_from_slice(b"{\"continuation\":{\"percentFinished\":100.0}}\n"),
            }
            let mut r = respond(200, String::new());
            *r.body_mut() = Full::new(Bytes::from(out));
            r.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                HeaderValue::from_static("application/jsonl"),
            );
            return Ok(r);
        }
        out.extend_from_slice(b"{\"pathId\":");
        out.extend_from_slice(q(raw_path).as_bytes());
        out.extend_from_slice(b",\"documents\":[");
        for (i, d) in docs.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"id\":");
            out.extend_from_slice(q(&d.id).as_bytes());
            out.extend_from_slice(b",\"fields\":");
            write_fields(&mut out, d, &set);
            out.push(b'}');
        }
        out.extend_from_slice(format!("],\"documentCount\":{}", docs.len()).as_bytes());
        if let Some(t) = continuation {
            out.extend_from_slice(b",\"continuation\":");
            out.extend_from_slice(q(&t).as_bytes());
        }
        out.push(b'}');
        let mut r = respond(200, String::new());
        *r.body_mut() = Full::new(Bytes::from(out));
        Ok(r)
    };
    run().unwrap_or_else(|m| bad(raw_path, &m))
}

/// Whether `application/jsonl` comes before (or ranks above) `application/json`.
fn prefers_jsonl(accept: &str) -> bool {
    let mut best: Option<(f64, bool)> = None;
    for part in accept.split(',') {
        let mut it = part.split(';');
        let ty = it.next().unwrap_or("").trim();
        let qv = it
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|v| v.parse::<f64>().ok())
            })
            .unwrap_or(1.0);
        let jsonl = match ty {
            "application/jsonl" => true,
            "application/json" => false,
            _ => continue,
        };
        if best.is_none_or(|(b, _)| qv > b) {
            best = Some((qv, jsonl));
        }
    }
    best.is_some_and(|(_, jsonl)| jsonl)
}

/// Update-where (`PUT`) and delete-where (`DELETE`): all matching documents in one go.
fn mass_operation(
    app: &App,
    path: Option<&DocPath>,
    raw_path: &str,
    params: &Params,
    method: &Method,
    body: &[u8],
) -> Response<Body> {
    let run = || -> Result<Response<Body>, String> {
        params.disallow(
            raw_path,
            &["concurrency", "fieldSet", "route", "wantedDocumentCount"],
        )?;
        let selection_text = params.require(raw_path, "selection")?;
        let cluster = params.require(raw_path, "cluster")?;
        params.get("timeChunk")?;
        params.get("timeout")?;
        let update = if *method == Method::PUT {
            let Some(p) = path else {
                return Err("Document type must be specified for mass updates".to_string());
            };
            let op = parse_op_body(body)?;
            let doctype = app.schema.doctype(&p.doctype)?;
            if let Some(t) = doctype {
                for name in op.fields.keys() {
                    let field = name.split(['{', '[']).next().unwrap_or(name);
                    if !t.fields.contains_key(field) {
                        return Err(format!("No field named '{field}' in {}", p.doctype));
                    }
                }
            }
            Some((op.fields, doctype))
        } else {
            None
        };
        selection::parse(selection_text)?;
        let scan = build_scan(app, path, params, Some(cluster))?;
        let mut count = 0u64;
        if !scan.empty {
            for &s in &scan.shards {
                let mut shard = app.store.write(s);
                let ids: Vec<String> = shard
                    .iter()
                    .filter(|(_, d)| scan.matches(d, &app.schema))
                    .map(|(k, _)| k.clone())
                    .collect();
                for id in ids {
                    match &update {
                        None => {
                            shard.remove(&id);
                        }
                        Some((fields, doctype)) => {
                            let Some(existing) = shard.get(&id) else {
                                continue;
                            };
                            let mut d = Doc::clone(existing);
                            let type_name = d.doctype.clone();
                            update::apply(&mut d.fields, fields, *doctype, &type_name)?;
                            d.timestamp = app.store.next_timestamp();
                            shard.insert(id, Arc::new(d));
                        }
                    }
                    count += 1;
                }
            }
        }
        Ok(respond(
            200,
            format!("{{\"pathId\":{},\"documentCount\":{count}}}", q(raw_path)),
        ))
    };
    run().unwrap_or_else(|m| bad(raw_path, &m))
}

/// Copy (`POST` with `destinationCluster`): validated and counted; the double has one store,
/// so copying into a cluster changes nothing.
fn copy(app: &App, path: Option<&DocPath>, raw_path: &str, params: &Params) -> Response<Body> {
    let run = || -> Result<Response<Body>, String> {
        let destination = params.require(raw_path, "destinationCluster")?;
        resolve_cluster(app, Some(destination))?;
        params.disallow(
            raw_path,
            &["concurrency", "fieldSet", "route", "wantedDocumentCount"],
        )?;
        params.require(raw_path, "selection")?;
        let cluster = params.require(raw_path, "cluster")?;
        let scan = build_scan(app, path, params, Some(cluster))?;
        let (docs, _) = page(app, &scan, None, usize::MAX)?;
        Ok(respond(
            200,
            format!(
                "{{\"pathId\":{},\"documentCount\":{}}}",
                q(raw_path),
                docs.len()
            ),
        ))
    };
    run().unwrap_or_else(|m| bad(raw_path, &m))
}

// ---------------------------------------------------------------------------------------------
// search

fn search_error(status: u16, code: u32, message: &str) -> Response<Body> {
    let summary = match code {
        3 => "Illegal query",
        4 => "Invalid query parameter",
        _ => "Error",
    };
    respond_json(
        status,
        &json!({"root": {"id": "toplevel", "relevance": 1.0, "fields": {"totalCount": 0},
                          "errors": [{"code": code, "summary": summary, "message": message}]}}),
    )
}

fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Null => {}
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

async fn search_api(app: &Arc<App>, req: Request<Incoming>) -> Response<Body> {
    let mut params = parse_query(req.uri().query());
    if req.method() == Method::POST {
        let (parts, body) = req.into_parts();
        let body = match read_body(body, &parts.headers, app.config.max_body_bytes).await {
            Ok(b) => b,
            Err(_) => return search_error(400, 4, "Could not read the request body"),
        };
        if !body.is_empty() {
            match serde_json::from_slice::<Value>(&body) {
                Ok(v @ Value::Object(_)) => flatten("", &v, &mut params),
                _ => return search_error(400, 4, "The request body is not a JSON object"),
            }
        }
    } else if req.method() != Method::GET {
        return search_error(405, 4, "Use GET or POST");
    }
    let app = Arc::clone(app);
    let task = tokio::task::spawn_blocking(move || run_search(&app, &params));
    match task.await {
        Ok(r) => r,
        Err(e) => search_error(500, 1, &e.to_string()),
    }
}

fn run_search(app: &App, params: &[(String, String)]) -> Response<Body> {
    let get = |names: &[&str]| {
        names.iter().find_map(|n| {
            params
                .iter()
                .rev()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        })
    };
    let user_query = get(&["query", "model.queryString"]);
    let yql = match (get(&["yql"]), user_query) {
        (Some(y), _) => y.to_string(),
        (None, Some(_)) => "select * from sources * where userQuery()".to_string(),
        (None, None) => return search_error(400, 3, "No query"),
    };
    let query = match search::parse(&yql) {
        Ok(q) => q,
        Err(m) => return search_error(400, 4, &m),
    };
    let number = |names: &[&str]| -> Result<Option<usize>, String> {
        match get(names) {
            None => Ok(None),
            Some(v) => v
                .parse::<usize>()
                .map(Some)
                .map_err(|_| format!("Could not set '{}' to '{v}': Not a valid integer", names[0])),
        }
    };
    let (hits, offset) = match (number(&["hits", "count"]), number(&["offset"])) {
        (Ok(h), Ok(o)) => (h, o),
        (Err(m), _) | (_, Err(m)) => return search_error(400, 4, &m),
    };
    let offset = offset.or(query.offset).unwrap_or(0);
    let hits = hits
        .or(query.limit.map(|l| l.saturating_sub(offset)))
        .unwrap_or(10);
    let list = |v: Option<&str>| {
        v.map(|s| {
            s.split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
        })
    };
    let selection = match get(&["streaming.selection"]) {
        Some(s) => match selection::parse(s) {
            Ok(e) => Some(e),
            Err(m) => return search_error(400, 4, &m),
        },
        None => None,
    };
    let user = match get(&["streaming.userid"]).map(str::parse::<u64>) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => return search_error(400, 4, "streaming.userid must be a number"),
    };
    let req = search::Request {
        query: &query,
        user_terms: user_query.map(search::tokenize).unwrap_or_default(),
        hits,
        offset,
        restrict: list(get(&["restrict", "model.restrict"])),
        group: get(&["streaming.groupname"]).map(str::to_string),
        user,
        selection,
        ranking: get(&["ranking", "ranking.profile"]).map(str::to_string),
    };
    match search::run(&app.store, &app.schema, &app.rank, &req) {
        Ok(v) => respond(200, v),
        Err(m) => search_error(400, 4, &m),
    }
}

// ---------------------------------------------------------------------------------------------
// the config-server port

async fn config_api(app: &Arc<App>, req: Request<Incoming>) -> Response<Body> {
    let path = req.uri().path().to_string();
    let Some(rest) = path.strip_prefix("/application/v2/tenant/") else {
        return common_api(app, req, &path).await;
    };
    let segs: Vec<&str> = rest.split('/').collect();
    // t/application/a/environment/e/region/r/instance/i/<op>, or t/application/a/<op>.
    let (tenant, application, instance, op) = match segs.as_slice() {
        [
            t,
            "application",
            a,
            "environment",
            _,
            "region",
            _,
            "instance",
            i,
            op,
        ] => (*t, *a, *i, *op),
        [t, "application", a, op] => (*t, *a, "default", *op),
        _ => {
            return respond_json(
                404,
                &json!({"error-code": "NOT_FOUND", "message": format!("Nothing at '{path}'")}),
            );
        }
    };
    let app_id = format!("{tenant}.{application}.{instance}");
    if app_id != app.config.application {
        return respond_json(
            404,
            &json!({"error-code": "NOT_FOUND", "message": format!("Application '{app_id}' not found")}),
        );
    }
    let params = Params(parse_query(req.uri().query()));
    let method = req.method().clone();
    let result = match (op, &method) {
        ("reindexing", &Method::GET) => {
            let clusters = app.cluster_types();
            let status = app.reindexing().status(&clusters);
            return respond(200, status);
        }
        ("reindexing", &Method::POST) => {
            app.reindexing().enabled = true;
            Ok(json!({"message": "Reindexing enabled"}))
        }
        ("reindexing", &Method::DELETE) => {
            let mut r = app.reindexing();
            r.sync();
            r.enabled = false;
            Ok(json!({"message": "Reindexing disabled"}))
        }
        ("reindex", &Method::POST) => trigger_reindex(app, &params, &app_id),
        ("reindex", &Method::PUT) => reindex_speed(app, &params, &app_id),
        ("reindex" | "reindexing", _) => {
            return respond_json(
                405,
                &json!({"error-code": "METHOD_NOT_ALLOWED", "message": format!("Method '{method}' is not supported")}),
            );
        }
        _ => {
            return respond_json(
                404,
                &json!({"error-code": "NOT_FOUND", "message": format!("Nothing at '{path}'")}),
            );
        }
    };
    match result {
        Ok(v) => respond_json(200, &v),
        Err(m) => respond_json(400, &json!({"error-code": "BAD_REQUEST", "message": m})),
    }
}

/// (cluster, types) pairs a reindex request names.
fn reindex_targets(
    app: &App,
    params: &Params,
    indexed_only: bool,
) -> Result<Vec<(String, Vec<String>)>, String> {
    let list = |name: &str| -> Result<Option<Vec<String>>, String> {
        Ok(params.get(name)?.map(|v| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        }))
    };
    let all = app.cluster_types();
    let clusters = list("clusterId")?;
    let types = list("documentType")?;
    let mut out = Vec::new();
    let names: Vec<String> = match &clusters {
        Some(c) => c.clone(),
        None => all.iter().map(|(c, _)| c.clone()).collect(),
    };
    for name in names {
        let Some((_, cluster_types)) = all.iter().find(|(c, _)| *c == name) else {
            return Err(format!(
                "No content cluster '{name}' in application — only: {}",
                all.iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        };
        let mut chosen: Vec<String> = match &types {
            None => cluster_types.clone(),
            Some(ts) => {
                let mut v = Vec::new();
                for t in ts {
                    if cluster_types.contains(t) || app.schema.is_open() {
                        v.push(t.clone());
                    } else if clusters.is_some() {
                        return Err(format!(
                            "No document type '{t}' in cluster '{name}' — only: {}",
                            cluster_types.join(", ")
                        ));
                    }
                }
                v
            }
        };
        if indexed_only && !app.schema.is_open() {
            let cluster = app.schema.cluster(&name);
            chosen
                .retain(|t| cluster.is_some_and(|c| c.types.get(t).is_some_and(|m| m == "index")));
        }
        chosen.sort();
        if !chosen.is_empty() {
            out.push((name, chosen));
        }
    }
    if let Some(ts) = &types
        && clusters.is_none()
        && !app.schema.is_open()
    {
        for t in ts {
            if !all.iter().any(|(_, types)| types.contains(t)) {
                return Err(format!("No document type '{t}' in any content cluster"));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn describe_targets(targets: &[(String, Vec<String>)]) -> String {
    targets
        .iter()
        .map(|(c, ts)| format!("[{}] in '{c}'", ts.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn trigger_reindex(app: &App, params: &Params, app_id: &str) -> Result<Value, String> {
    let speed = params.parse::<f64>("speed")?.unwrap_or(1.0);
    if !(speed > 0.0 && speed <= 10.0) {
        return Err(format!(
            "Reindexing speed must be in (0, 10], but was {}",
            reindex::java_double(speed)
        ));
    }
    let indexed_only = params.boolean("indexedOnly")?.unwrap_or(false);
    let cause = params
        .get("cause")?
        .unwrap_or("reindexing for an unknown reason")
        .to_string();
    let targets = reindex_targets(app, params, indexed_only)?;
    if targets.is_empty() {
        return Ok(
            json!({"message": format!("Not reindexing any document types of application {app_id}")}),
        );
    }
    let mut r = app.reindexing();
    for (cluster, types) in &targets {
        r.trigger(cluster, types, speed, &cause);
    }
    Ok(json!({"message": format!(
        "Reindexing document types {} of application {app_id}",
        describe_targets(&targets)
    )}))
}

fn reindex_speed(app: &App, params: &Params, app_id: &str) -> Result<Value, String> {
    let Some(speed) = params.parse::<f64>("speed")? else {
        return Err("Must specify 'speed'".to_string());
    };
    if !(0.0..=10.0).contains(&speed) {
        return Err(format!(
            "Reindexing speed must be in [0, 10], but was {}",
            reindex::java_double(speed)
        ));
    }
    let indexed_only = params.boolean("indexedOnly")?.unwrap_or(false);
    let targets = reindex_targets(app, params, indexed_only)?;
    let mut r = app.reindexing();
    let mut changed = Vec::new();
    for (cluster, types) in &targets {
        let c = r.set_speed(cluster, types, speed);
        if !c.is_empty() {
            changed.push((cluster.clone(), c));
        }
    }
    r.deploy();
    let short = app_id.strip_suffix(".default").unwrap_or(app_id);
    Ok(json!({"message": format!(
        "Set reindexing speed to '{}' for document types {} of application {short}",
        reindex::java_double(speed),
        describe_targets(&changed)
    )}))
}

// ---------------------------------------------------------------------------------------------
// admin (test-only)

async fn admin_api(app: &Arc<App>, req: Request<Incoming>, path: &str) -> Response<Body> {
    let params = Params(parse_query(req.uri().query()));
    let method = req.method().clone();
    let (parts, body) = req.into_parts();
    let body = match read_body(body, &parts.headers, 1 << 20).await {
        Ok(b) => b,
        Err(_) => return respond_json(400, &json!({"message": "unreadable body"})),
    };
    let opt = |name: &str| params.get(name).ok().flatten().map(str::to_string);
    match (method, path) {
        (Method::GET, "/_double/faults") => respond_json(200, &app.faults.to_json()),
        (Method::POST, "/_double/faults") => {
            let v: Value = match serde_json::from_slice(&body) {
                Ok(v) => v,
                Err(e) => return respond_json(400, &json!({"message": format!("not JSON: {e}")})),
            };
            let rules = match v {
                Value::Array(items) => items,
                other => vec![other],
            };
            let mut parsed = Vec::new();
            for r in &rules {
                match Rule::from_json(r) {
                    Ok(r) => parsed.push(r),
                    Err(m) => return respond_json(400, &json!({"message": m})),
                }
            }
            for r in parsed {
                app.faults.set(r);
            }
            respond_json(200, &app.faults.to_json())
        }
        (Method::DELETE, "/_double/faults") => {
            app.faults.clear(
                opt("doctype").as_deref(),
                opt("group").as_deref(),
                opt("header").as_deref(),
            );
            respond_json(200, &app.faults.to_json())
        }
        (Method::POST, "/_double/reset") => {
            let doctype = opt("doctype");
            let group = opt("group");
            let namespace = opt("namespace");
            let everything = doctype.is_none() && group.is_none() && namespace.is_none();
            let removed = app.store.retain(|d| {
                let hit = doctype.as_ref().is_none_or(|t| &d.doctype == t)
                    && namespace.as_ref().is_none_or(|n| &d.namespace == n)
                    && group
                        .as_ref()
                        .is_none_or(|g| d.modifier == Modifier::Group(g.clone()));
                !hit
            });
            if everything {
                app.faults.clear(None, None, None);
                let mut r = app.reindexing();
                r.entries.clear();
                r.pending.clear();
                r.enabled = true;
            }
            respond_json(200, &json!({"removed": removed}))
        }
        (Method::GET, "/_double/stats") => {
            let mut codes = Map::new();
            for (code, n) in app.responses.iter().enumerate() {
                let n = n.load(Ordering::Relaxed);
                if n > 0 {
                    codes.insert(code.to_string(), json!(n));
                }
            }
            let mut stats = json!({
                "documents": app.store.len(),
                "inflight": app.inflight.load(Ordering::Relaxed),
                "responses": Value::Object(codes),
                "requests_by_version": {
                    "HTTP/1": app.versions[0].load(Ordering::Relaxed),
                    "HTTP/2": app.versions[1].load(Ordering::Relaxed),
                },
            });
            if let Some(tls) = &app.tls {
                stats["tls"] = tls.to_json();
            }
            respond_json(200, &stats)
        }
        (Method::POST, "/_double/clock") => match params.parse::<f64>("advance_ms") {
            Ok(Some(ms)) => {
                app.reindexing().advance_clock(ms);
                respond_json(200, &json!({"advanced_ms": ms}))
            }
            _ => respond_json(400, &json!({"message": "POST /_double/clock?advance_ms=N"})),
        },
        (Method::POST, "/_double/deploy") => {
            app.reindexing().deploy();
            respond_json(200, &json!({"message": "deployed"}))
        }
        _ => respond_json(
            404,
            &json!({"message": format!("Nothing at '{path}'. Admin paths: GET|POST|DELETE /_double/faults, POST /_double/reset, GET /_double/stats, POST /_double/clock?advance_ms=N, POST /_double/deploy")}),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_are_url_safe() {
        for (shard, after) in [
            (0, None),
            (255, Some("id:office:email:g=u%2F1:a+b/c")),
            (7, Some("x")),
        ] {
            let t = encode_token(shard, after);
            assert!(
                t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)),
                "{t}"
            );
            assert_eq!(
                decode_token(&t).unwrap(),
                (shard, after.map(str::to_string))
            );
        }
        assert!(decode_token("!!!").is_err());
        assert!(decode_token(&b64_encode(b"999\nx")).is_err());
        assert_eq!(b64_encode(b"ab"), "YWI=");
    }

    #[test]
    fn accept_preference() {
        assert!(!prefers_jsonl("application/json, application/jsonl"));
        assert!(prefers_jsonl("application/jsonl, application/json"));
        assert!(prefers_jsonl("application/json;q=0.5, application/jsonl"));
        assert!(!prefers_jsonl(""));
    }

    #[test]
    fn query_parameters() {
        let p = Params(parse_query(Some("a=1&b=&c=x+y%21&a=2&flag")));
        assert_eq!(p.get("a").unwrap(), Some("2"));
        assert_eq!(
            p.get("b").unwrap_err(),
            "Expected non-empty value for request property 'b'"
        );
        assert_eq!(p.get("c").unwrap(), Some("x y!"));
        assert!(p.has("flag"));
        assert_eq!(
            p.parse::<u32>("c").unwrap_err(),
            "Failed parsing 'x y!': For input string: \"x y!\""
        );
    }

    #[test]
    fn field_sets() {
        assert!(matches!(field_set(None), FieldSet::All));
        assert!(matches!(field_set(Some("[id]")), FieldSet::None));
        assert!(matches!(field_set(Some("music:[document]")), FieldSet::All));
        assert!(matches!(field_set(Some("music:a,b")), FieldSet::Some(v) if v == ["a", "b"]));
    }
}
