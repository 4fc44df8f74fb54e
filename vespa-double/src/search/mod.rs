//! `/search/` with the YQL subset officectl uses (vespa-api.md §6, §7).
//!
//! `select <*|f1, f2> from <sources *|sources a, b|a> [where <cond>] [order by f [asc|desc], ...]
//! [limit n] [offset n]`, where `<cond>` combines with `and`, `or`, `!` and parentheses:
//! `f contains "x"` (optionally `contains phrase("a", "b")` or `contains ({...}"x")`),
//! `f = <string|number|bool>`, `f < > <= >= != <number>`, `f matches "re"`, `range(f, a, b)`,
//! `true`, `false`, and `userQuery()` (the `query` parameter: all terms over `default`).
//!
//! Matching follows streaming mode: `index` fields are tokenized (lower-cased words, a
//! multi-word term is a phrase), attribute fields match the whole value case-insensitively. An
//! array matches when an element does. Without a rank profile, relevance is term frequency:
//! `tf / (tf + 1)` summed over the matched `contains` terms, so more occurrences rank higher;
//! ties go by document id. With `ranking=NAME` (or `ranking.profile`), each hit's relevance is
//! the profile's first-phase expression for its type (see [`crate::rank`]); a searched type
//! without that profile is an error, as in Vespa.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::Obj;

use crate::rank::{Features, RankProfiles, Ranking};
use crate::schema::Schema;
use crate::selection;
use crate::store::{Doc, SHARDS, Store};

mod eval;
mod yql;

use eval::*;
pub use yql::{parse, tokenize};

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// `None` for `*`.
    pub fields: Option<Vec<String>>,
    /// `None` for `sources *`.
    pub sources: Option<Vec<String>>,
    pub cond: Cond,
    pub order: Vec<(String, bool)>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Str(String),
    Num(f64),
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    True,
    False,
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    /// Field and the phrase's lower-cased tokens.
    Contains(String, Vec<String>),
    Cmp(String, &'static str, Lit),
    Matches(String, String),
    Range(String, f64, f64),
    UserQuery,
}

// ---------------------------------------------------------------------------------------------
// evaluation

/// The request, after parameters were read.
pub struct Request<'a> {
    pub query: &'a Query,
    pub user_terms: Vec<String>,
    pub hits: usize,
    pub offset: usize,
    pub restrict: Option<Vec<String>>,
    pub group: Option<String>,
    pub user: Option<u64>,
    pub selection: Option<selection::Expr>,
    /// The rank profile named by the query.
    pub ranking: Option<String>,
}

struct Ctx<'a> {
    schema: &'a Schema,
    user_terms: &'a [String],
}

/// Runs a search; `Err` is the message of a 400 (code 4).
pub fn run(
    store: &Store,
    schema: &Schema,
    rank: &RankProfiles,
    req: &Request<'_>,
) -> Result<String, String> {
    let types = searched_types(schema, req)?;
    check_fields(schema, &req.query.cond, types.as_deref())?;
    if let (Some(profile), Some(all)) = (&req.ranking, &schema.types) {
        // Vespa refuses a query whose rank profile a searched schema does not define.
        let mut searched: Vec<&String> = match &types {
            Some(types) => types.iter().collect(),
            None => all
                .keys()
                .filter(|t| schema.cluster_of(t).is_some())
                .collect(),
        };
        searched.sort();
        if let Some(missing) = searched
            .into_iter()
            .find(|t| rank.ranking(t, profile).is_none())
        {
            return Err(format!(
                "Requested rank profile '{profile}' is undefined for document type '{missing}'"
            ));
        }
    }
    let terms = query_terms(&req.query.cond, &req.user_terms);
    let ctx = Ctx {
        schema,
        user_terms: &req.user_terms,
    };
    let shards: Vec<usize> = match (&req.group, req.user) {
        (Some(g), _) => vec![Store::shard_of(crate::store::location(
            &crate::docid::Modifier::Group(g.clone()),
            "",
        ))],
        (None, Some(n)) => vec![Store::shard_of(crate::store::location(
            &crate::docid::Modifier::Number(n),
            "",
        ))],
        _ => (0..SHARDS).collect(),
    };
    let mut hits: Vec<(f64, Arc<Doc>)> = Vec::new();
    let mut searched = 0usize;
    for s in shards {
        store.scan_shard(s, None, |doc| {
            if let Some(types) = &types
                && !types.iter().any(|t| t == &doc.doctype)
            {
                return true;
            }
            match (&req.group, &doc.modifier) {
                (Some(g), crate::docid::Modifier::Group(dg)) if g == dg => {}
                (Some(_), _) => return true,
                _ => {}
            }
            if let Some(u) = req.user
                && doc.modifier != crate::docid::Modifier::Number(u)
            {
                return true;
            }
            if let Some(sel) = &req.selection
                && selection::eval(sel, doc, schema) != selection::Tri::True
            {
                return true;
            }
            searched += 1;
            if let Some(score) = eval(&req.query.cond, doc, &ctx) {
                let score = match req
                    .ranking
                    .as_deref()
                    .and_then(|p| rank.ranking(&doc.doctype, p))
                {
                    Some(Ranking::Expression(expr)) => expr.eval(&HitFeatures {
                        doc,
                        ctx: &ctx,
                        terms: &terms,
                    }),
                    Some(Ranking::Default) => HitFeatures {
                        doc,
                        ctx: &ctx,
                        terms: &terms,
                    }
                    .native_rank(&[]),
                    None => score,
                };
                hits.push((score, Arc::clone(doc)));
            }
            true
        });
    }
    let total = hits.len();
    if req.query.order.is_empty() {
        // A NaN relevance (an expression over an unset attribute) sorts last.
        let key = |r: f64| if r.is_nan() { f64::NEG_INFINITY } else { r };
        hits.sort_by(|a, b| {
            key(b.0)
                .total_cmp(&key(a.0))
                .then_with(|| a.1.id.cmp(&b.1.id))
        });
    } else {
        hits.sort_by(|a, b| {
            for (f, asc) in &req.query.order {
                let o = order_value(&a.1, f).cmp_json(&order_value(&b.1, f));
                let o = if *asc { o } else { o.reverse() };
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            a.1.id.cmp(&b.1.id)
        });
    }
    let cluster = |t: &str| {
        schema
            .cluster_of(t)
            .map_or_else(|| "content".to_string(), |c| c.name.clone())
    };
    let children: Vec<String> = hits
        .iter()
        .skip(req.offset)
        .take(req.hits)
        .map(|(score, doc)| {
            let mut fields = Obj::new()
                .val("sddocname", &doc.doctype)
                .val("documentid", &doc.id);
            for (k, v) in &doc.fields {
                if req.query.fields.as_ref().is_none_or(|f| f.contains(k)) {
                    fields = fields.val(k, v);
                }
            }
            let hit = Obj::new().val("id", &doc.id);
            // Vespa renders a NaN relevance as the string "NaN".
            let hit = if score.is_nan() {
                hit.val("relevance", "NaN")
            } else {
                hit.val("relevance", score)
            };
            hit.val("source", &cluster(&doc.doctype))
                .raw("fields", &fields.end())
                .end()
        })
        .collect();
    let mut root = Obj::new()
        .val("id", "toplevel")
        .val("relevance", &1.0)
        .raw("fields", &Obj::new().val("totalCount", &total).end())
        .raw(
            "coverage",
            &json!({"coverage": 100, "documents": searched, "full": true, "nodes": 1, "results": 1, "resultsFull": 1})
                .to_string(),
        );
    if !children.is_empty() {
        root = root.raw("children", &format!("[{}]", children.join(",")));
    }
    Ok(Obj::new().raw("root", &root.end()).end())
}

trait CmpJson {
    fn cmp_json(&self, other: &Self) -> std::cmp::Ordering;
}

impl CmpJson for Option<&Value> {
    fn cmp_json(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        match (self, other) {
            (None, None) => Equal,
            (None, _) => Greater,
            (_, None) => Less,
            (Some(Value::Number(a)), Some(Value::Number(b))) => a
                .as_f64()
                .unwrap_or(0.0)
                .total_cmp(&b.as_f64().unwrap_or(0.0)),
            (Some(a), Some(b)) => a.to_string().cmp(&b.to_string()),
        }
    }
}

fn order_value<'a>(doc: &'a Doc, field: &str) -> Option<&'a Value> {
    doc.fields.get(field)
}

/// The document types searched: `restrict` wins over `sources`; `None` = all.
fn searched_types(schema: &Schema, req: &Request<'_>) -> Result<Option<Vec<String>>, String> {
    let resolve = |names: &[String]| -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        for n in names {
            if let Some(c) = schema.cluster(n) {
                if schema.is_open() {
                    return Ok(Vec::new());
                }
                out.extend(c.types.keys().cloned());
            } else if schema.is_open() || schema.cluster_of(n).is_some() {
                out.push(n.clone());
            } else {
                return Err(format!("Could not resolve source ref '{n}'"));
            }
        }
        Ok(out)
    };
    if let Some(r) = &req.restrict {
        return resolve(r).map(|v| if v.is_empty() { None } else { Some(v) });
    }
    match &req.query.sources {
        None => Ok(None),
        Some(s) => resolve(s).map(|v| if v.is_empty() { None } else { Some(v) }),
    }
}

/// With an application package, every field in the query must exist in a searched type.
fn check_fields(schema: &Schema, cond: &Cond, types: Option<&[String]>) -> Result<(), String> {
    let Some(all) = &schema.types else {
        return Ok(());
    };
    let known = |f: &str| {
        f == "default"
            || f == "documentid"
            || f == "sddocname"
            || all.values().any(|t| {
                types.is_none_or(|ts| ts.contains(&t.name))
                    && schema.cluster_of(&t.name).is_some()
                    && t.fields.contains_key(f)
            })
    };
    let field = match cond {
        Cond::And(v) | Cond::Or(v) => {
            for c in v {
                check_fields(schema, c, types)?;
            }
            return Ok(());
        }
        Cond::Not(c) => return check_fields(schema, c, types),
        Cond::Contains(f, _) | Cond::Cmp(f, _, _) | Cond::Matches(f, _) | Cond::Range(f, _, _) => f,
        Cond::True | Cond::False | Cond::UserQuery => return Ok(()),
    };
    if known(field) {
        Ok(())
    } else {
        Err(format!(
            "Could not create query from YQL: field '{field}' is not in any searched document type"
        ))
    }
}

/// The query's terms (a phrase is one term) with the field they were asked of (`default` for
/// `userQuery()`).
fn query_terms(cond: &Cond, user_terms: &[String]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut walk = vec![cond];
    while let Some(c) = walk.pop() {
        match c {
            Cond::And(v) | Cond::Or(v) => walk.extend(v.iter()),
            // Terms under a negation do not rank.
            Cond::Not(_) => {}
            Cond::Contains(field, phrase) => out.push((field.clone(), phrase.clone())),
            Cond::UserQuery => {
                out.extend(
                    user_terms
                        .iter()
                        .map(|t| ("default".to_string(), vec![t.clone()])),
                );
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;
