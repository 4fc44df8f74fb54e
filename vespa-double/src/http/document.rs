//! `/document/v1` for single documents: get, put, update (with conditions) and remove.

use super::*;

pub(super) async fn document_api(
    app: &Arc<App>,
    req: Request<Incoming>,
    raw_path: String,
) -> Response<Body> {
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

pub(super) fn bad_status(status: u16, path: &str, message: &str) -> Response<Body> {
    doc_response(status, path, None, Some(message))
}

/// The answer to an injected fault, as Vespa (or the proxy in front of it) would give it.
pub(super) fn injected(code: u16, path: &str, id: Option<&str>) -> Response<Body> {
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

pub(super) enum Failure {
    Bad(String),
    Condition(String),
}

impl From<String> for Failure {
    fn from(m: String) -> Self {
        Failure::Bad(m)
    }
}

pub(super) const CONDITION_FAILED: &str = "[UNKNOWN(251013) @ tcp/vespa-container:19112/default]: \
ReturnCode(TEST_AND_SET_CONDITION_FAILED, Condition did not match document nodeIndex=0 bucket=20000000000000c4 ) ";
pub(super) const CONDITION_MISSING: &str = "[UNKNOWN(251013) @ tcp/vespa-container:19112/default]: \
ReturnCode(TEST_AND_SET_CONDITION_FAILED, Document does not exist) ";

/// The JSON body of a put or update: `fields`, and optionally `condition` and `create`.
pub(super) struct OpBody {
    pub(super) fields: Map<String, Value>,
    pub(super) condition: Option<String>,
    pub(super) create: Option<bool>,
}

pub(super) fn parse_op_body(body: &[u8]) -> Result<OpBody, String> {
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

pub(super) fn condition(params: &Params, body: Option<&str>) -> Result<Option<Expr>, String> {
    match params.get("condition")?.or(body) {
        None => Ok(None),
        Some(c) => selection::parse(c).map(Some),
    }
}

pub(super) fn new_doc(
    app: &App,
    path: &DocPath,
    id: &str,
    fields: Map<String, Value>,
    location: u64,
) -> Doc {
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

pub(super) fn note_type(app: &App, doctype: &str) {
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

pub(super) fn put_document(
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

pub(super) fn update_document(
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

pub(super) fn remove_document(
    app: &App,
    path: &DocPath,
    id: &str,
    params: &Params,
) -> Result<(), Failure> {
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
pub(super) enum FieldSet {
    All,
    None,
    Some(Vec<String>),
}

pub(super) fn field_set(spec: Option<&str>) -> FieldSet {
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

pub(super) fn write_fields(out: &mut Vec<u8>, doc: &Doc, set: &FieldSet) {
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

pub(super) fn get_document(
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
