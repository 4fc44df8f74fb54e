//! One query across every document type of one user (vespa-api.md §6–7).
//!
//! Our document types are in streaming mode with the user as the group (`g=<user>` in every id),
//! so a user's search is `select * from sources * where userQuery()` with
//! `streaming.groupname=<user>`: Vespa scans only that user's bucket group, and every type comes
//! back in one result, told apart by `sddocname`. `--type` narrows it with `model.restrict`.
//! Hits rank by the `office` rank profile that every generated schema defines
//! ([`crate::model::vespa::schema`]): `ranking=office` is sent with every query, so types rank
//! by the same first-phase expression (and a type can add its own, e.g. a contact's relevance).

use crate::model::vespa::DocumentId;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub user: String,
    pub types: Vec<String>,
    pub hits: u32,
    /// The rank profile (`office` unless the operator asks for another).
    pub ranking: String,
}

pub use crate::model::vespa::schema::RANK_PROFILE;

impl SearchRequest {
    /// `/search/?…` for this request.
    pub fn path(&self) -> String {
        // The group is the user id escaped exactly as document ids escape it.
        let group = DocumentId::new("email", &self.user, "-")
            .group()
            .to_string();
        let enc = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
        let mut path = format!(
            "/search/?yql={}&query={}&streaming.groupname={}&hits={}&ranking={}",
            enc("select * from sources * where userQuery()"),
            enc(&self.query),
            enc(&group),
            self.hits,
            enc(&self.ranking)
        );
        if !self.types.is_empty() {
            path.push_str(&format!("&model.restrict={}", enc(&self.types.join(","))));
        }
        path
    }
}

/// One hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    /// The document type (`sddocname`).
    pub doc_type: String,
    pub title: Option<String>,
    pub relevance: f64,
}

/// What a search found.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    pub user: String,
    pub query: String,
    pub total_count: u64,
    pub hits: Vec<Hit>,
}

/// Vespa answered with errors, or not with a result.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search failed with status {status}: {message}")]
    Vespa { status: u16, message: String },
    #[error("unexpected search response: {0}")]
    Parse(String),
}

#[derive(Deserialize)]
struct Raw {
    root: RawRoot,
}

#[derive(Deserialize)]
struct RawRoot {
    #[serde(default)]
    fields: Option<RawRootFields>,
    #[serde(default)]
    children: Vec<RawHit>,
    #[serde(default)]
    errors: Vec<RawError>,
}

#[derive(Deserialize)]
struct RawRootFields {
    #[serde(rename = "totalCount", default)]
    total_count: u64,
}

#[derive(Deserialize)]
struct RawError {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
struct RawHit {
    id: String,
    /// A number, or the string `-Infinity`.
    #[serde(default)]
    relevance: serde_json::Value,
    #[serde(default)]
    fields: serde_json::Map<String, serde_json::Value>,
}

/// Reads a `/search/` response.
pub fn parse(
    status: u16,
    body: &[u8],
    request: &SearchRequest,
) -> Result<SearchResult, SearchError> {
    let raw: Raw = serde_json::from_slice(body).map_err(|err| {
        if status == 200 {
            SearchError::Parse(err.to_string())
        } else {
            SearchError::Vespa {
                status,
                message: String::from_utf8_lossy(body)
                    .trim()
                    .chars()
                    .take(300)
                    .collect(),
            }
        }
    })?;
    if !raw.root.errors.is_empty() && raw.root.children.is_empty() {
        let message = raw
            .root
            .errors
            .iter()
            .map(|e| {
                format!(
                    "{}{}",
                    e.code.map_or(String::new(), |c| format!("[{c}] ")),
                    e.message
                        .clone()
                        .or_else(|| e.summary.clone())
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        return Err(SearchError::Vespa { status, message });
    }
    if status != 200 {
        return Err(SearchError::Vespa {
            status,
            message: "no hits and no error message".into(),
        });
    }
    let hits = raw
        .root
        .children
        .into_iter()
        .map(|h| Hit {
            doc_type: h
                .fields
                .get("sddocname")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string(),
            title: h
                .fields
                .get("title")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            relevance: h.relevance.as_f64().unwrap_or(f64::NEG_INFINITY),
            id: h
                .fields
                .get("documentid")
                .and_then(|v| v.as_str())
                .map_or(h.id, str::to_string),
        })
        .collect();
    Ok(SearchResult {
        user: request.user.clone(),
        query: request.query.clone(),
        total_count: raw.root.fields.map_or(0, |f| f.total_count),
        hits,
    })
}

impl crate::report::Report for SearchResult {
    fn tables(&self) -> Vec<crate::report::Table> {
        let mut t = crate::report::Table::new(["type", "title", "relevance", "id"]);
        for h in &self.hits {
            t.push([
                h.doc_type.clone(),
                h.title.clone().unwrap_or_default(),
                format!("{:.4}", h.relevance),
                h.id.clone(),
            ]);
        }
        vec![t.titled(format!(
            "{} of {} hits for `{}` (user `{}`)",
            self.hits.len(),
            self.total_count,
            self.query,
            self.user
        ))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> SearchRequest {
        SearchRequest {
            query: "budget review".into(),
            user: "user@example.com".into(),
            types: vec!["email".into(), "calendar".into()],
            hits: 5,
            ranking: RANK_PROFILE.into(),
        }
    }

    #[test]
    fn path_restricts_to_the_users_group_and_types() {
        assert_eq!(
            request().path(),
            "/search/?yql=select%20%2A%20from%20sources%20%2A%20where%20userQuery%28%29\
             &query=budget%20review&streaming.groupname=user%2540example%2Ecom&hits=5\
             &ranking=office&model.restrict=email%2Ccalendar"
        );
    }

    #[test]
    fn hits_carry_type_title_and_relevance() {
        let body = br#"{"root":{"id":"toplevel","relevance":1.0,"fields":{"totalCount":2},
          "children":[
            {"id":"id:office:email:g=u:1","relevance":0.5,"source":"office",
             "fields":{"sddocname":"email","documentid":"id:office:email:g=u:1","title":"Budget"}},
            {"id":"index:office/0/abc","relevance":"-Infinity","source":"office",
             "fields":{"sddocname":"calendar"}}]}}"#;
        let r = parse(200, body, &request()).unwrap();
        assert_eq!(r.total_count, 2);
        assert_eq!(r.hits[0].doc_type, "email");
        assert_eq!(r.hits[0].title.as_deref(), Some("Budget"));
        assert_eq!(r.hits[0].relevance, 0.5);
        assert_eq!(r.hits[1].id, "index:office/0/abc");
        assert_eq!(r.hits[1].relevance, f64::NEG_INFINITY);
    }

    #[test]
    fn errors_and_empty_results() {
        let body = br#"{"root":{"id":"toplevel","relevance":1.0,"fields":{"totalCount":0},
          "errors":[{"code":4,"summary":"Invalid query parameter","message":"Could not parse"}]}}"#;
        let err = parse(400, body, &request()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "search failed with status 400: [4] Could not parse"
        );
        let empty = br#"{"root":{"id":"toplevel","relevance":1.0,"fields":{"totalCount":0}}}"#;
        assert!(parse(200, empty, &request()).unwrap().hits.is_empty());
        assert!(matches!(
            parse(503, b"<html>busy</html>", &request()),
            Err(SearchError::Vespa { status: 503, .. })
        ));
    }
}
