//! `/_double/*` on both ports: faults, reset, stats, clock, deploy.

use super::*;

pub(super) async fn admin_api(
    app: &Arc<App>,
    req: Request<Incoming>,
    path: &str,
) -> Response<Body> {
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
