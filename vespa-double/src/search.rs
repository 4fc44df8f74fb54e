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
// lexing and parsing

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Num(f64),
    Punct(&'static str),
}

fn lex(input: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '"' || c == '\'' {
            let mut s = String::new();
            i += 1;
            loop {
                let Some(&ch) = chars.get(i) else {
                    return Err("unterminated string".to_string());
                };
                i += 1;
                match ch {
                    '\\' => {
                        if let Some(&e) = chars.get(i) {
                            s.push(e);
                            i += 1;
                        }
                    }
                    ch if ch == c => break,
                    ch => s.push(ch),
                }
            }
            out.push(Tok::Str(s));
            continue;
        }
        if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(Tok::Num(
                text.parse().map_err(|_| format!("bad number '{text}'"))?,
            ));
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.')) {
                i += 1;
            }
            out.push(Tok::Word(chars[start..i].iter().collect()));
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let p = match two.as_str() {
            "<=" => "<=",
            ">=" => ">=",
            "!=" => "!=",
            _ => match c {
                '(' => "(",
                ')' => ")",
                ',' => ",",
                '*' => "*",
                ';' => ";",
                '{' => "{",
                '}' => "}",
                '!' => "!",
                '=' => "=",
                '<' => "<",
                '>' => ">",
                ':' => ":",
                '[' => "[",
                ']' => "]",
                other => return Err(format!("unexpected character '{other}'")),
            },
        };
        i += p.len();
        out.push(Tok::Punct(p));
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(x)) if *x == p)
    }

    fn expect_word(&mut self, w: &str) -> Result<(), String> {
        if self.is_word(w) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected '{w}', got {}", self.describe()))
        }
    }

    fn expect_punct(&mut self, p: &str) -> Result<(), String> {
        if self.is_punct(p) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected '{p}', got {}", self.describe()))
        }
    }

    fn describe(&self) -> String {
        match self.peek() {
            None => "end of query".to_string(),
            Some(Tok::Word(w)) => format!("'{w}'"),
            Some(Tok::Str(s)) => format!("\"{s}\""),
            Some(Tok::Num(n)) => format!("{n}"),
            Some(Tok::Punct(p)) => format!("'{p}'"),
        }
    }

    fn word(&mut self) -> Result<String, String> {
        match self.peek().cloned() {
            Some(Tok::Word(w)) => {
                self.pos += 1;
                Ok(w)
            }
            _ => Err(format!("expected a name, got {}", self.describe())),
        }
    }

    fn names(&mut self) -> Result<Vec<String>, String> {
        let mut v = vec![self.word()?];
        while self.is_punct(",") {
            self.pos += 1;
            v.push(self.word()?);
        }
        Ok(v)
    }

    fn query(&mut self) -> Result<Query, String> {
        self.expect_word("select")?;
        let fields = if self.is_punct("*") {
            self.pos += 1;
            None
        } else {
            Some(self.names()?)
        };
        self.expect_word("from")?;
        let sources = if self.is_word("sources") {
            self.pos += 1;
            if self.is_punct("*") {
                self.pos += 1;
                None
            } else {
                Some(self.names()?)
            }
        } else {
            Some(self.names()?)
        };
        let cond = if self.is_word("where") {
            self.pos += 1;
            self.or()?
        } else {
            Cond::True
        };
        let mut q = Query {
            fields,
            sources,
            cond,
            order: Vec::new(),
            limit: None,
            offset: None,
        };
        loop {
            if self.is_word("order") {
                self.pos += 1;
                self.expect_word("by")?;
                loop {
                    let f = self.word()?;
                    let asc = if self.is_word("desc") {
                        self.pos += 1;
                        false
                    } else {
                        if self.is_word("asc") {
                            self.pos += 1;
                        }
                        true
                    };
                    q.order.push((f, asc));
                    if !self.is_punct(",") {
                        break;
                    }
                    self.pos += 1;
                }
            } else if self.is_word("limit") || self.is_word("offset") || self.is_word("timeout") {
                let which = self.word()?.to_ascii_lowercase();
                let Some(Tok::Num(n)) = self.peek().cloned() else {
                    return Err(format!("expected a number after '{which}'"));
                };
                self.pos += 1;
                match which.as_str() {
                    "limit" => q.limit = Some(n as usize),
                    "offset" => q.offset = Some(n as usize),
                    _ => {}
                }
            } else {
                break;
            }
        }
        if self.is_punct(";") {
            self.pos += 1;
        }
        if self.pos != self.toks.len() {
            return Err(format!("unexpected {}", self.describe()));
        }
        Ok(q)
    }

    fn or(&mut self) -> Result<Cond, String> {
        let mut v = vec![self.and()?];
        while self.is_word("or") {
            self.pos += 1;
            v.push(self.and()?);
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Cond::Or(v)
        })
    }

    fn and(&mut self) -> Result<Cond, String> {
        let mut v = vec![self.unary()?];
        while self.is_word("and") {
            self.pos += 1;
            v.push(self.unary()?);
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Cond::And(v)
        })
    }

    fn unary(&mut self) -> Result<Cond, String> {
        if self.is_punct("!") {
            self.pos += 1;
            return Ok(Cond::Not(Box::new(self.unary()?)));
        }
        if self.is_punct("(") {
            self.pos += 1;
            let c = self.or()?;
            self.expect_punct(")")?;
            return Ok(c);
        }
        if self.is_word("true") {
            self.pos += 1;
            return Ok(Cond::True);
        }
        if self.is_word("false") {
            self.pos += 1;
            return Ok(Cond::False);
        }
        if self.is_word("userQuery") {
            self.pos += 1;
            self.expect_punct("(")?;
            self.expect_punct(")")?;
            return Ok(Cond::UserQuery);
        }
        if self.is_word("range") {
            self.pos += 1;
            self.expect_punct("(")?;
            let f = self.word()?;
            self.expect_punct(",")?;
            let lo = self.number()?;
            self.expect_punct(",")?;
            let hi = self.number()?;
            self.expect_punct(")")?;
            return Ok(Cond::Range(f, lo, hi));
        }
        let field = self.word()?;
        if self.is_word("contains") {
            self.pos += 1;
            return self.contains_rhs(field);
        }
        if self.is_word("matches") {
            self.pos += 1;
            let Some(Tok::Str(s)) = self.peek().cloned() else {
                return Err("expected a string after 'matches'".to_string());
            };
            self.pos += 1;
            return Ok(Cond::Matches(field, s));
        }
        let op = match self.peek() {
            Some(Tok::Punct(p)) if matches!(*p, "=" | "<" | ">" | "<=" | ">=" | "!=") => *p,
            _ => {
                return Err(format!(
                    "expected 'contains', 'matches' or a comparison after '{field}', got {}",
                    self.describe()
                ));
            }
        };
        self.pos += 1;
        let lit = match self.peek().cloned() {
            Some(Tok::Str(s)) => Lit::Str(s),
            Some(Tok::Num(n)) => Lit::Num(n),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("true") => Lit::Bool(true),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("false") => Lit::Bool(false),
            _ => {
                return Err(format!(
                    "expected a value after '{op}', got {}",
                    self.describe()
                ));
            }
        };
        self.pos += 1;
        Ok(Cond::Cmp(field, op, lit))
    }

    fn number(&mut self) -> Result<f64, String> {
        match self.peek().cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            _ => Err(format!("expected a number, got {}", self.describe())),
        }
    }

    fn skip_annotation(&mut self) -> Result<(), String> {
        if !self.is_punct("{") {
            return Ok(());
        }
        let mut depth = 0;
        while let Some(t) = self.peek() {
            match t {
                Tok::Punct("{") => depth += 1,
                Tok::Punct("}") => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return Ok(());
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        Err("unterminated annotation".to_string())
    }

    fn contains_rhs(&mut self, field: String) -> Result<Cond, String> {
        let mut parens = 0;
        while self.is_punct("(") {
            self.pos += 1;
            parens += 1;
        }
        self.skip_annotation()?;
        let terms = if self.is_word("phrase") {
            self.pos += 1;
            self.expect_punct("(")?;
            let mut words = Vec::new();
            loop {
                match self.peek().cloned() {
                    Some(Tok::Str(s)) => {
                        self.pos += 1;
                        words.extend(tokenize(&s));
                    }
                    _ => return Err("expected strings in phrase()".to_string()),
                }
                if self.is_punct(",") {
                    self.pos += 1;
                } else {
                    break;
                }
            }
            self.expect_punct(")")?;
            words
        } else {
            match self.peek().cloned() {
                Some(Tok::Str(s)) => {
                    self.pos += 1;
                    tokenize(&s)
                }
                _ => {
                    return Err(format!(
                        "expected a string after 'contains', got {}",
                        self.describe()
                    ));
                }
            }
        };
        for _ in 0..parens {
            self.expect_punct(")")?;
        }
        Ok(Cond::Contains(field, terms))
    }
}

/// Parses a YQL query; the error is the message of a 400.
pub fn parse(yql: &str) -> Result<Query, String> {
    let toks = lex(yql).map_err(|e| format!("Could not create query from YQL: {e}"))?;
    let mut p = Parser { toks, pos: 0 };
    p.query()
        .map_err(|e| format!("Could not create query from YQL: {e}"))
}

/// Lower-cased words (letters and digits).
pub fn tokenize(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
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
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
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
            Obj::new()
                .val("id", &doc.id)
                .val("relevance", score)
                .val("source", &cluster(&doc.doctype))
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

/// Rank features of one hit.
struct HitFeatures<'a> {
    doc: &'a Doc,
    ctx: &'a Ctx<'a>,
    terms: &'a [(String, Vec<String>)],
}

impl HitFeatures<'_> {
    fn default_fields(&self) -> Vec<String> {
        match self
            .ctx
            .schema
            .types
            .as_ref()
            .and_then(|t| t.get(&self.doc.doctype))
        {
            Some(t) if !t.default_fieldset.is_empty() => t.default_fieldset.clone(),
            Some(t) => t
                .fields
                .iter()
                .filter(|(_, f)| f.indexed)
                .map(|(n, _)| n.clone())
                .collect(),
            None => Vec::new(),
        }
    }
}

impl Features for HitFeatures<'_> {
    fn native_rank(&self, fields: &[String]) -> f64 {
        let fields = if fields.is_empty() {
            self.default_fields()
        } else {
            fields.to_vec()
        };
        if fields.is_empty() {
            return 0.0;
        }
        let defaults = self.default_fields();
        let mut total = 0.0;
        for field in &fields {
            // The terms asked of this field, directly or through the `default` fieldset.
            let asked: Vec<&Vec<String>> = self
                .terms
                .iter()
                .filter(|(f, _)| f == field || (f == "default" && defaults.contains(field)))
                .map(|(_, t)| t)
                .collect();
            if asked.is_empty() {
                continue;
            }
            let per_term: f64 = asked
                .iter()
                .map(|phrase| contains(self.doc, field, phrase, self.ctx).unwrap_or(0.0))
                .sum();
            total += per_term / asked.len() as f64;
        }
        total / fields.len() as f64
    }

    fn attribute(&self, field: &str) -> f64 {
        self.doc
            .fields
            .get(field)
            .and_then(Value::as_f64)
            .unwrap_or(0.0)
    }
}

/// The relevance contribution if the document matches.
fn eval(cond: &Cond, doc: &Doc, ctx: &Ctx<'_>) -> Option<f64> {
    match cond {
        Cond::True => Some(0.0),
        Cond::False => None,
        Cond::And(v) => {
            let mut s = 0.0;
            for c in v {
                s += eval(c, doc, ctx)?;
            }
            Some(s)
        }
        Cond::Or(v) => {
            let mut any = None;
            for c in v {
                if let Some(x) = eval(c, doc, ctx) {
                    any = Some(any.unwrap_or(0.0) + x);
                }
            }
            any
        }
        Cond::Not(c) => match eval(c, doc, ctx) {
            Some(_) => None,
            None => Some(0.0),
        },
        Cond::Contains(field, terms) => contains(doc, field, terms, ctx),
        Cond::UserQuery => {
            let mut s = 0.0;
            for t in ctx.user_terms {
                s += contains(doc, "default", std::slice::from_ref(t), ctx)?;
            }
            Some(s)
        }
        Cond::Cmp(field, op, lit) => {
            let v = doc.fields.get(field)?;
            any_value(v, |x| compare(x, op, lit)).then_some(0.0)
        }
        Cond::Matches(field, re) => {
            let v = doc.fields.get(field)?;
            any_value(v, |x| x.as_str().is_some_and(|s| selection::regex(re, s))).then_some(0.0)
        }
        Cond::Range(field, lo, hi) => {
            let v = doc.fields.get(field)?;
            any_value(v, |x| x.as_f64().is_some_and(|n| n >= *lo && n <= *hi)).then_some(0.0)
        }
    }
}

fn any_value(v: &Value, f: impl Fn(&Value) -> bool) -> bool {
    match v {
        Value::Array(items) => items.iter().any(f),
        Value::Object(m) => m.keys().any(|k| f(&Value::String(k.clone()))),
        v => f(v),
    }
}

fn compare(v: &Value, op: &str, lit: &Lit) -> bool {
    use std::cmp::Ordering::*;
    let ord = match (v, lit) {
        (Value::Number(n), Lit::Num(x)) => n.as_f64().and_then(|n| n.partial_cmp(x)),
        (Value::String(s), Lit::Str(x)) => Some(s.as_str().cmp(x.as_str())),
        (Value::Bool(b), Lit::Bool(x)) => Some(b.cmp(x)),
        _ => None,
    };
    let Some(ord) = ord else {
        return op == "!=";
    };
    match op {
        "=" => ord == Equal,
        "!=" => ord != Equal,
        "<" => ord == Less,
        "<=" => ord != Greater,
        ">" => ord == Greater,
        _ => ord != Less,
    }
}

fn contains(doc: &Doc, field: &str, terms: &[String], ctx: &Ctx<'_>) -> Option<f64> {
    if terms.is_empty() {
        return None;
    }
    let fields: Vec<String> = if field == "default" {
        match ctx.schema.types.as_ref().and_then(|t| t.get(&doc.doctype)) {
            Some(t) if !t.default_fieldset.is_empty() => t.default_fieldset.clone(),
            Some(t) => t
                .fields
                .iter()
                .filter(|(_, f)| f.indexed)
                .map(|(n, _)| n.clone())
                .collect(),
            None => doc.fields.keys().cloned().collect(),
        }
    } else {
        vec![field.to_string()]
    };
    let mut tf = 0usize;
    for f in &fields {
        let Some(v) = doc.fields.get(f) else {
            continue;
        };
        let indexed = match ctx.schema.field(&doc.doctype, f) {
            Some(def) => def.indexed,
            None => true,
        };
        let mut count = |s: &str| {
            if indexed {
                tf += phrase_count(&tokenize(s), terms);
            } else if s.to_lowercase() == terms.join(" ") || tokenize(s) == terms {
                tf += 1;
            }
        };
        match v {
            Value::String(s) => count(s),
            Value::Array(items) => items.iter().filter_map(Value::as_str).for_each(&mut count),
            Value::Object(m) => m.keys().for_each(|k| count(k)),
            _ => {}
        }
    }
    if tf == 0 {
        None
    } else {
        Some(tf as f64 / (tf as f64 + 1.0))
    }
}

fn phrase_count(words: &[String], phrase: &[String]) -> usize {
    if phrase.len() > words.len() {
        return 0;
    }
    words.windows(phrase.len()).filter(|w| *w == phrase).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_officectl_subset() {
        let q = parse(
            r#"select * from sources * where title contains "Quarterly plan" and user_id = "u1""#,
        )
        .unwrap();
        assert_eq!(q.sources, None);
        assert_eq!(
            q.cond,
            Cond::And(vec![
                Cond::Contains("title".into(), vec!["quarterly".into(), "plan".into()]),
                Cond::Cmp("user_id".into(), "=", Lit::Str("u1".into())),
            ])
        );
        let q = parse("select title, text from email, todo where !(is_read = true) or range(received_at, 1, 2) order by received_at desc limit 5 offset 2;").unwrap();
        assert_eq!(q.fields, Some(vec!["title".into(), "text".into()]));
        assert_eq!(q.sources, Some(vec!["email".into(), "todo".into()]));
        assert_eq!(q.order, vec![("received_at".into(), false)]);
        assert_eq!((q.limit, q.offset), (Some(5), Some(2)));
        let q = parse(r#"select * from sources email where text contains ({stem: false}"x") and default contains phrase("a", "b")"#).unwrap();
        assert!(matches!(q.cond, Cond::And(_)));
        assert!(parse("select * from sources * where title contains").is_err());
        assert!(parse("select * where x").is_err());
        assert!(parse("select * from sources * where title = ").is_err());
        assert!(parse("select * from sources * where a contains \"x\" junk").is_err());
    }

    #[test]
    fn term_frequency_and_phrases() {
        let words = tokenize("The plan, the PLAN and the plan-b");
        assert_eq!(phrase_count(&words, &["plan".to_string()]), 3);
        assert_eq!(
            phrase_count(&words, &["the".to_string(), "plan".to_string()]),
            3
        );
        assert_eq!(
            phrase_count(&words, &["plan".to_string(), "the".to_string()]),
            1
        );
    }
}
