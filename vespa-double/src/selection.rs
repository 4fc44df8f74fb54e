//! Document selections: the subset of Vespa's selection language that conditions
//! (`condition=music.year < 2000`) and visits (`selection=...`) use.
//!
//! Supported: `and`, `or`, `not`, parentheses; `true`, `false`, `null`; a bare document type name
//! (matches that type and the types inheriting it); `type.field` (a struct member as
//! `type.field.member`); `id`, `id.namespace`, `id.type`, `id.scheme`, `id.group`, `id.user`,
//! `id.specific`; string (`"…"`, `'…'`) and number literals; `==`, `!=`, `<`, `<=`, `>`, `>=`,
//! `=` (glob with `*` and `?`) and `=~` (a small regex subset: literals, `.`, `*`, `+`, `?`, `^`,
//! `$`). An array field compares true when any element does. Like Vespa, evaluation is
//! three-valued: a field of another document type is *invalid*, and only *true* selects.

use serde_json::Value;

use crate::docid::Modifier;
use crate::schema::Schema;
use crate::store::Doc;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Cmp(Operand, Op, Operand),
    Value(Operand),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Glob,
    Regex,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// A bare identifier: a document type.
    DocType(String),
    /// `type.field[.member...]`.
    Field {
        doctype: String,
        path: Vec<String>,
    },
    /// `id` or `id.<part>`.
    Id(IdPart),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IdPart {
    Whole,
    Namespace,
    Type,
    Scheme,
    Group,
    User,
    Specific,
}

/// Three-valued result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Invalid,
}

impl Tri {
    fn from(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }
}

// ---------------------------------------------------------------------------------------------
// lexing and parsing

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Int(i64),
    Float(f64),
    Op(Op),
    LParen,
    RParen,
}

fn lex(input: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            '"' | '\'' => {
                let quote = c;
                let mut s = String::new();
                i += 1;
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err(format!("unterminated string at column {}", i + 1));
                    };
                    i += 1;
                    match c {
                        '\\' => {
                            let Some(&e) = chars.get(i) else {
                                return Err("dangling escape".to_string());
                            };
                            i += 1;
                            s.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                other => other,
                            });
                        }
                        c if c == quote => break,
                        c => s.push(c),
                    }
                }
                out.push(Tok::Str(s));
            }
            '=' | '!' | '<' | '>' => {
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('=', Some('=')) => (Op::Eq, 2),
                    ('=', Some('~')) => (Op::Regex, 2),
                    ('=', _) => (Op::Glob, 1),
                    ('!', Some('=')) => (Op::Ne, 2),
                    ('<', Some('=')) => (Op::Le, 2),
                    ('<', _) => (Op::Lt, 1),
                    ('>', Some('=')) => (Op::Ge, 2),
                    ('>', _) => (Op::Gt, 1),
                    _ => return Err(format!("unexpected '{c}' at column {}", i + 1)),
                };
                out.push(Tok::Op(op));
                i += len;
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) =>
            {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                if text.contains('.') {
                    out.push(Tok::Float(
                        text.parse().map_err(|_| format!("bad number '{text}'"))?,
                    ));
                } else {
                    out.push(Tok::Int(
                        text.parse().map_err(|_| format!("bad number '{text}'"))?,
                    ));
                }
            }
            c if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.' | '-'))
                {
                    i += 1;
                }
                out.push(Tok::Ident(chars[start..i].iter().collect()));
            }
            c => return Err(format!("unexpected '{c}' at column {}", i + 1)),
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

/// Parses a selection; the error is the message of a 400.
pub fn parse(input: &str) -> Result<Expr, String> {
    let fail = |e: String| format!("Failed to parse document selection '{input}': {e}");
    let toks = lex(input).map_err(fail)?;
    if toks.is_empty() {
        return Err(fail("empty selection".to_string()));
    }
    let mut p = Parser { toks, pos: 0 };
    let expr = p.or().map_err(fail)?;
    if p.pos != p.toks.len() {
        return Err(fail(format!("unexpected {:?}", p.toks[p.pos])));
    }
    Ok(expr)
}

impl Parser {
    fn keyword(&self, word: &str) -> bool {
        matches!(self.toks.get(self.pos), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.not()?;
        while self.keyword("and") {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.keyword("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        if self.toks.get(self.pos) == Some(&Tok::LParen) {
            self.pos += 1;
            let e = self.or()?;
            if self.toks.get(self.pos) != Some(&Tok::RParen) {
                return Err("expected ')'".to_string());
            }
            self.pos += 1;
            return Ok(e);
        }
        let left = self.operand()?;
        if let Some(Tok::Op(op)) = self.toks.get(self.pos) {
            let op = *op;
            self.pos += 1;
            let right = self.operand()?;
            return Ok(Expr::Cmp(left, op, right));
        }
        Ok(Expr::Value(left))
    }

    fn operand(&mut self) -> Result<Operand, String> {
        let tok = self
            .toks
            .get(self.pos)
            .cloned()
            .ok_or("unexpected end of selection")?;
        self.pos += 1;
        Ok(match tok {
            Tok::Str(s) => Operand::Str(s),
            Tok::Int(i) => Operand::Int(i),
            Tok::Float(f) => Operand::Float(f),
            Tok::Ident(word) => {
                let lower = word.to_ascii_lowercase();
                match lower.as_str() {
                    "true" => Operand::Bool(true),
                    "false" => Operand::Bool(false),
                    "null" => Operand::Null,
                    "id" => Operand::Id(IdPart::Whole),
                    _ if lower.starts_with("id.") => Operand::Id(match &lower[3..] {
                        "namespace" => IdPart::Namespace,
                        "type" => IdPart::Type,
                        "scheme" => IdPart::Scheme,
                        "group" => IdPart::Group,
                        "user" => IdPart::User,
                        "specific" => IdPart::Specific,
                        other => return Err(format!("unknown id part 'id.{other}'")),
                    }),
                    _ => {
                        let mut parts = word.split('.').map(str::to_string);
                        let doctype = parts.next().unwrap_or_default();
                        let path: Vec<String> = parts.collect();
                        if path.is_empty() {
                            Operand::DocType(doctype)
                        } else {
                            Operand::Field { doctype, path }
                        }
                    }
                }
            }
            other => return Err(format!("unexpected {other:?}")),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// evaluation

/// A value an operand resolves to for one document.
#[derive(Debug, Clone)]
enum Resolved<'a> {
    Json(&'a Value),
    Owned(Value),
    Invalid,
}

/// Evaluates `expr` against `doc`.
pub fn eval(expr: &Expr, doc: &Doc, schema: &Schema) -> Tri {
    match expr {
        Expr::Or(a, b) => match (eval(a, doc, schema), eval(b, doc, schema)) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::Invalid, _) | (_, Tri::Invalid) => Tri::Invalid,
            _ => Tri::False,
        },
        Expr::And(a, b) => match eval(a, doc, schema) {
            Tri::False => Tri::False,
            left => match (left, eval(b, doc, schema)) {
                (_, Tri::False) => Tri::False,
                (Tri::Invalid, _) | (_, Tri::Invalid) => Tri::Invalid,
                _ => Tri::True,
            },
        },
        Expr::Not(e) => match eval(e, doc, schema) {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Invalid => Tri::Invalid,
        },
        Expr::Value(op) => match op {
            Operand::DocType(t) => Tri::from(schema.is_a(&doc.doctype, t)),
            Operand::Bool(b) => Tri::from(*b),
            Operand::Null => Tri::False,
            other => match resolve(other, doc, schema) {
                Resolved::Invalid => Tri::Invalid,
                Resolved::Json(Value::Null) => Tri::False,
                Resolved::Owned(Value::Null) => Tri::False,
                _ => Tri::True,
            },
        },
        Expr::Cmp(l, op, r) => {
            let (l, r) = (resolve(l, doc, schema), resolve(r, doc, schema));
            let (l, r) = match (&l, &r) {
                (Resolved::Invalid, _) | (_, Resolved::Invalid) => return Tri::Invalid,
                _ => (value(&l), value(&r)),
            };
            compare(l, *op, r)
        }
    }
}

fn value<'a>(r: &'a Resolved<'a>) -> &'a Value {
    match r {
        Resolved::Json(v) => v,
        Resolved::Owned(v) => v,
        Resolved::Invalid => &Value::Null,
    }
}

fn resolve<'a>(op: &Operand, doc: &'a Doc, schema: &Schema) -> Resolved<'a> {
    match op {
        Operand::Str(s) => Resolved::Owned(Value::String(s.clone())),
        Operand::Int(i) => Resolved::Owned(Value::from(*i)),
        Operand::Float(f) => Resolved::Owned(Value::from(*f)),
        Operand::Bool(b) => Resolved::Owned(Value::Bool(*b)),
        Operand::Null => Resolved::Owned(Value::Null),
        Operand::DocType(t) => Resolved::Owned(Value::Bool(schema.is_a(&doc.doctype, t))),
        Operand::Field { doctype, path } => {
            if !schema.is_a(&doc.doctype, doctype) {
                return Resolved::Invalid;
            }
            let mut v = match doc.fields.get(&path[0]) {
                Some(v) => v,
                None => return Resolved::Owned(Value::Null),
            };
            for member in &path[1..] {
                match v.get(member) {
                    Some(next) => v = next,
                    None => return Resolved::Owned(Value::Null),
                }
            }
            Resolved::Json(v)
        }
        Operand::Id(part) => Resolved::Owned(match part {
            IdPart::Whole => Value::String(doc.id.clone()),
            IdPart::Namespace => Value::String(doc.namespace.clone()),
            IdPart::Type => Value::String(doc.doctype.clone()),
            IdPart::Scheme => Value::String("id".to_string()),
            IdPart::Specific => Value::String(doc.specific.clone()),
            IdPart::Group => match &doc.modifier {
                Modifier::Group(g) => Value::String(g.clone()),
                _ => return Resolved::Invalid,
            },
            IdPart::User => match &doc.modifier {
                Modifier::Number(n) => Value::from(*n),
                _ => return Resolved::Invalid,
            },
        }),
    }
}

fn compare(l: &Value, op: Op, r: &Value) -> Tri {
    // An array (or weighted set, as an object) matches when any element does.
    if let Value::Array(items) = l {
        if matches!(r, Value::Null) {
            return Tri::from(matches!(op, Op::Ne));
        }
        return Tri::from(items.iter().any(|i| compare(i, op, r) == Tri::True));
    }
    match (l, r) {
        (Value::Null, _) | (_, Value::Null) => match op {
            Op::Eq => Tri::from(l.is_null() && r.is_null()),
            Op::Ne => Tri::from(l.is_null() != r.is_null()),
            _ => Tri::Invalid,
        },
        (Value::Number(a), Value::Number(b)) => {
            let ord = match (a.as_i64(), b.as_i64()) {
                (Some(x), Some(y)) => x.partial_cmp(&y),
                _ => a
                    .as_f64()
                    .unwrap_or(0.0)
                    .partial_cmp(&b.as_f64().unwrap_or(0.0)),
            };
            ordered(ord, op)
        }
        (Value::String(a), Value::String(b)) => match op {
            Op::Glob => Tri::from(glob(a, b)),
            Op::Regex => Tri::from(regex(b, a)),
            _ => ordered(a.partial_cmp(b), op),
        },
        (Value::Bool(a), Value::Bool(b)) => match op {
            Op::Eq => Tri::from(a == b),
            Op::Ne => Tri::from(a != b),
            _ => Tri::Invalid,
        },
        (Value::Bool(a), Value::Number(n)) | (Value::Number(n), Value::Bool(a)) => {
            let b = n.as_i64() == Some(1);
            match op {
                Op::Eq => Tri::from(*a == b),
                Op::Ne => Tri::from(*a != b),
                _ => Tri::Invalid,
            }
        }
        _ => match op {
            Op::Eq => Tri::False,
            Op::Ne => Tri::True,
            _ => Tri::Invalid,
        },
    }
}

fn ordered(ord: Option<std::cmp::Ordering>, op: Op) -> Tri {
    use std::cmp::Ordering::*;
    let Some(ord) = ord else {
        return Tri::Invalid;
    };
    Tri::from(match op {
        Op::Eq | Op::Glob => ord == Equal,
        Op::Ne => ord != Equal,
        Op::Lt => ord == Less,
        Op::Le => ord != Greater,
        Op::Gt => ord == Greater,
        Op::Ge => ord != Less,
        Op::Regex => return Tri::Invalid,
    })
}

/// `*` any run, `?` one character.
pub fn glob(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    let (mut ti, mut pi) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            ti += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// A small unanchored regex: literals, `.`, `*`, `+`, `?`, `^`, `$`, `\` escapes.
pub fn regex(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    if p.first() == Some(&'^') {
        return match_here(&p[1..], &t);
    }
    (0..=t.len()).any(|i| match_here(&p, &t[i..]))
}

fn atom(p: &[char]) -> (Option<char>, usize) {
    // (None = any character, consumed pattern length)
    match p[0] {
        '.' => (None, 1),
        '\\' if p.len() > 1 => (Some(p[1]), 2),
        c => (Some(c), 1),
    }
}

fn match_here(p: &[char], t: &[char]) -> bool {
    if p.is_empty() {
        return true;
    }
    if p == ['$'] {
        return t.is_empty();
    }
    let (a, len) = atom(p);
    let matches = |c: &char| a.is_none_or(|a| a == *c);
    match p.get(len) {
        Some('*') | Some('+') | Some('?') => {
            let q = p[len];
            let rest = &p[len + 1..];
            let min = usize::from(q == '+');
            let max = if q == '?' { 1 } else { usize::MAX };
            let mut n = 0;
            while n < t.len() && n < max && matches(&t[n]) {
                n += 1;
            }
            (min..=n).rev().any(|k| match_here(rest, &t[k..]))
        }
        _ => !t.is_empty() && matches(&t[0]) && match_here(&p[len..], &t[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(doctype: &str, modifier: Modifier, fields: Value) -> Doc {
        Doc {
            id: format!("id:ns:{doctype}:g=u1:x"),
            namespace: "ns".into(),
            doctype: doctype.into(),
            modifier,
            specific: "x".into(),
            location: 0,
            fields: fields.as_object().unwrap().clone(),
            timestamp: 0,
        }
    }

    fn check(sel: &str, d: &Doc) -> Tri {
        eval(&parse(sel).unwrap(), d, &Schema::open("content"))
    }

    #[test]
    fn comparisons_and_logic() {
        let d = doc(
            "music",
            Modifier::Group("u1".into()),
            json!({"year": 1999, "artist": "Tom Waits", "score": 1.5, "tags": ["a", "b"], "ok": true}),
        );
        assert_eq!(check("music.year < 2000", &d), Tri::True);
        assert_eq!(check("music.year >= 2000", &d), Tri::False);
        assert_eq!(check("music.artist == \"Tom Waits\"", &d), Tri::True);
        assert_eq!(
            check("music.artist=='Tom Waits' and music.year==1999", &d),
            Tri::True
        );
        assert_eq!(check("music.artist = \"Tom*\"", &d), Tri::True);
        assert_eq!(check("music.artist =~ \"^T.m W\"", &d), Tri::True);
        assert_eq!(check("music.artist =~ \"x+\"", &d), Tri::False);
        assert_eq!(check("music.score > 1", &d), Tri::True);
        assert_eq!(check("music.tags == \"b\"", &d), Tri::True);
        assert_eq!(check("music.ok == true", &d), Tri::True);
        assert_eq!(check("music.missing == null", &d), Tri::True);
        assert_eq!(check("music.missing != null", &d), Tri::False);
        assert_eq!(check("not music.year == 1999 or music", &d), Tri::True);
        assert_eq!(
            check("(music) and (id.namespace=='ns') and (id.group=='u1')", &d),
            Tri::True
        );
        assert_eq!(check("id.group == \"u2\"", &d), Tri::False);
        assert_eq!(check("id.user == 3", &d), Tri::Invalid);
        assert_eq!(check("true", &d), Tri::True);
        assert_eq!(check("books", &d), Tri::False);
        // A field of another type is invalid, and `not` keeps it invalid.
        assert_eq!(check("books.year < 2000", &d), Tri::Invalid);
        assert_eq!(check("not books.year < 2000", &d), Tri::Invalid);
        assert_eq!(check("books.year < 2000 or music", &d), Tri::True);
        assert_eq!(check("books.year < 2000 and books", &d), Tri::False);
    }

    #[test]
    fn numbers_ids_and_errors() {
        let d = doc("music", Modifier::Number(23), json!({"n": -5}));
        assert_eq!(check("id.user == 23", &d), Tri::True);
        assert_eq!(check("music.n == -5", &d), Tri::True);
        assert_eq!(
            check("id.type == 'music' and id.specific == 'x'", &d),
            Tri::True
        );
        assert!(parse("music.year <").is_err());
        assert!(parse("music.year == 'x").is_err());
        assert!(parse("").is_err());
        assert!(parse("(a").is_err());
        assert!(
            parse("a b")
                .unwrap_err()
                .starts_with("Failed to parse document selection")
        );
    }

    #[test]
    fn inheritance_counts_for_types() {
        let schema = Schema::from_sources(
            &[
                "schema base { document base { field t type string { indexing: summary } } }",
                "schema mail { document mail inherits base { field f type string { indexing: summary } } }",
            ],
            r#"<content id="c"><document type="mail" mode="streaming"/></content>"#,
        )
        .unwrap();
        let d = doc("mail", Modifier::None, json!({"t": "x"}));
        assert_eq!(eval(&parse("base").unwrap(), &d, &schema), Tri::True);
        assert_eq!(
            eval(&parse("base.t == 'x'").unwrap(), &d, &schema),
            Tri::True
        );
    }

    #[test]
    fn glob_and_regex() {
        assert!(glob("abc", "a*"));
        assert!(glob("abc", "?b?"));
        assert!(!glob("abc", "b*"));
        assert!(regex("b.d$", "abcd"));
        assert!(!regex("^b", "abc"));
        assert!(regex("a\\.b", "a.b"));
    }
}
