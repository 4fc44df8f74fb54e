//! `/search/`: YQL queries over the store, rendered as Vespa's result JSON.

use super::*;

pub(super) fn search_error(status: u16, code: u32, message: &str) -> Response<Body> {
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

pub(super) fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
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

pub(super) async fn search_api(app: &Arc<App>, req: Request<Incoming>) -> Response<Body> {
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

pub(super) fn run_search(app: &App, params: &[(String, String)]) -> Response<Body> {
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
