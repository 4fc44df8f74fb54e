//! Visits (`GET /document/v1/...` without a document id), their continuation tokens, mass
//! updates and removes by selection, and copy.

use super::*;

/// What a visit (or a mass operation) selects.
pub(super) struct Scan {
    /// Shards to scan, in order.
    pub(super) shards: Vec<usize>,
    pub(super) doctype: Option<String>,
    /// Types allowed by the bucket space (root visits), `None` = any.
    pub(super) space_types: Option<Vec<String>>,
    pub(super) namespace: Option<String>,
    pub(super) modifier: Modifier,
    pub(super) selection: Option<Expr>,
    pub(super) slices: Option<(u64, u64)>,
    pub(super) from_ts: Option<u64>,
    pub(super) to_ts: Option<u64>,
    /// Nothing can match (e.g. the global bucket space of a cluster without global types).
    pub(super) empty: bool,
}

impl Scan {
    pub(super) fn matches(&self, doc: &Doc, schema: &Schema) -> bool {
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

pub(super) fn resolve_cluster<'a>(
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

pub(super) fn build_scan(
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

/// Continuation tokens are URL-safe base64 with `=` padding, like Vespa's: the Go CLI appends
/// them unescaped. Decoding also takes the standard alphabet and missing padding.
const TOKEN_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

pub(super) fn b64_encode(data: &[u8]) -> String {
    base64::Engine::encode(&TOKEN_BASE64, data)
}

pub(super) fn b64_decode(text: &str) -> Option<Vec<u8>> {
    let url_safe = text.replace('+', "-").replace('/', "_");
    base64::Engine::decode(&TOKEN_BASE64, url_safe).ok()
}

/// Token: `<shard>\n<last id>`.
pub(super) fn encode_token(shard: usize, after: Option<&str>) -> String {
    b64_encode(format!("{shard}\n{}", after.unwrap_or("")).as_bytes())
}

pub(super) fn decode_token(token: &str) -> Result<(usize, Option<String>), String> {
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
pub(super) fn page(
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

pub(super) fn visit(
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
pub(super) fn prefers_jsonl(accept: &str) -> bool {
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
pub(super) fn mass_operation(
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
pub(super) fn copy(
    app: &App,
    path: Option<&DocPath>,
    raw_path: &str,
    params: &Params,
) -> Response<Body> {
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
