//! Responses as Vespa shapes them, query parameters, and reading request bodies.

use super::*;

pub(super) fn respond(status: u16, body: String) -> Response<Body> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    r
}

pub(super) fn respond_json(status: u16, v: &Value) -> Response<Body> {
    respond(status, v.to_string())
}

/// A JSON string literal.
pub(super) fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// `{"pathId":..,"id":..}` with an optional message.
pub(super) fn doc_response(
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

pub(super) fn bad(path: &str, message: &str) -> Response<Body> {
    doc_response(400, path, None, Some(message))
}

/// Query parameters in order, decoded as a form (`+` is a space).
pub(super) fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    query
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

pub(super) struct Params(pub(super) Vec<(String, String)>);

impl Params {
    pub(super) fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// The last value, as Vespa's `getProperty`: present but empty is a 400.
    pub(super) fn get(&self, name: &str) -> Result<Option<&str>, String> {
        match self.0.iter().rev().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, v)) if v.is_empty() => Err(format!(
                "Expected non-empty value for request property '{name}'"
            )),
            Some((_, v)) => Ok(Some(v.as_str())),
        }
    }

    pub(super) fn parse<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        match self.get(name)? {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| format!("Failed parsing '{v}': For input string: \"{v}\"")),
        }
    }

    pub(super) fn boolean(&self, name: &str) -> Result<Option<bool>, String> {
        Ok(self.get(name)?.map(|v| v.eq_ignore_ascii_case("true")))
    }

    pub(super) fn disallow(&self, path: &str, names: &[&str]) -> Result<(), String> {
        for n in names {
            if self.has(n) {
                return Err(format!("May not specify '{n}' at '{path}'"));
            }
        }
        Ok(())
    }

    pub(super) fn require(&self, path: &str, name: &str) -> Result<&str, String> {
        self.get(name)?
            .ok_or_else(|| format!("Must specify '{name}' at '{path}'"))
    }
}

pub(super) enum BodyError {
    TooLarge,
    Broken(String),
}

pub(super) async fn read_body(
    body: Incoming,
    headers: &HeaderMap,
    limit: usize,
) -> Result<Bytes, BodyError> {
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
