//! Rank profiles: the `first-phase` expressions of the application package, evaluated per hit
//! when a query names a profile (`ranking=NAME` or `ranking.profile=NAME`).
//!
//! The expression language is the part officectl's schemas use: numbers, `+ - * /`, unary
//! minus, parentheses, `attribute(field)` (a numeric attribute; NaN when the document has none, as Vespa's undefined double) and
//! `nativeRank` / `nativeRank(field, ...)`. `nativeRank` is approximated the way the double
//! already scores matches: for each query term that applies to the field, `tf / (tf + 1)`,
//! averaged over those terms (so it stays in [0, 1] as Vespa's does), and averaged over the
//! fields named (no fields: the `default` fieldset). Anything else in an expression is refused
//! when the package is loaded, so a profile the double cannot evaluate is never ranked wrongly
//! in silence.
//!
//! A profile is looked up in the document type's schema, then in the schemas it inherits; its
//! `first-phase` is its own or, failing that, its parent profiles' (`inherits`). Vespa answers a
//! query naming a profile that a searched type lacks with an error, and so does the double.

use std::collections::HashMap;
use std::path::Path;

/// A parsed first-phase expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Neg(Box<Expr>),
    Bin(Box<Expr>, char, Box<Expr>),
    /// `nativeRank(fields)`; empty = the default fieldset.
    NativeRank(Vec<String>),
    /// `attribute(field)`.
    Attribute(String),
}

/// What an expression needs from a hit.
pub trait Features {
    /// `nativeRank` over these fields (empty: the default fieldset), in [0, 1].
    fn native_rank(&self, fields: &[String]) -> f64;
    /// A numeric attribute's value; NaN when the document has none.
    fn attribute(&self, field: &str) -> f64;
}

impl Expr {
    /// The expression's value for one hit.
    pub fn eval(&self, features: &dyn Features) -> f64 {
        match self {
            Expr::Num(n) => *n,
            Expr::Neg(e) => -e.eval(features),
            Expr::Bin(a, op, b) => {
                let (a, b) = (a.eval(features), b.eval(features));
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    _ if b == 0.0 => 0.0,
                    _ => a / b,
                }
            }
            Expr::NativeRank(fields) => features.native_rank(fields),
            Expr::Attribute(field) => features.attribute(field),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Profile {
    inherits: Vec<String>,
    first_phase: Option<Expr>,
}

#[derive(Debug, Clone, Default)]
struct SchemaProfiles {
    inherits: Vec<String>,
    profiles: HashMap<String, Profile>,
}

/// Every rank profile of the application package, by schema.
#[derive(Debug, Clone, Default)]
pub struct RankProfiles {
    schemas: HashMap<String, SchemaProfiles>,
}

/// How a type ranks under a profile.
#[derive(Debug, Clone, PartialEq)]
pub enum Ranking<'a> {
    /// The profile's first phase.
    Expression(&'a Expr),
    /// The profile exists but has no first phase anywhere up its chain: Vespa's default,
    /// `nativeRank`.
    Default,
}

impl RankProfiles {
    /// Reads the profiles of `schemas/*.sd` (or `searchdefinitions/*.sd`) under `dir`.
    pub fn load(dir: &Path) -> Result<RankProfiles, String> {
        let mut sources = Vec::new();
        for sub in ["schemas", "searchdefinitions"] {
            let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "sd") {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("reading {}: {e}", path.display()))?;
                    sources.push((path.display().to_string(), text));
                }
            }
        }
        let mut profiles = RankProfiles::default();
        for (name, text) in &sources {
            profiles
                .add_source(text)
                .map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(profiles)
    }

    /// Adds the profiles of one `.sd` text.
    pub fn add_source(&mut self, text: &str) -> Result<(), String> {
        let tokens = tokens(text);
        let mut i = 0;
        let mut schema: Option<String> = None;
        while i < tokens.len() {
            match tokens[i].as_str() {
                "schema" | "search" if schema.is_none() => {
                    let name = tokens.get(i + 1).cloned().unwrap_or_default();
                    let mut entry = SchemaProfiles::default();
                    let mut j = i + 2;
                    if tokens.get(j).map(String::as_str) == Some("inherits") {
                        j += 1;
                        while let Some(t) = tokens.get(j).filter(|t| *t != "{") {
                            if t != "," {
                                entry.inherits.push(t.clone());
                            }
                            j += 1;
                        }
                    }
                    self.schemas.insert(name.clone(), entry);
                    schema = Some(name);
                    i = j;
                }
                "rank-profile" => {
                    let name = tokens.get(i + 1).cloned().unwrap_or_default();
                    let (profile, next) = parse_profile(&tokens, i + 2)
                        .map_err(|e| format!("rank-profile `{name}`: {e}"))?;
                    let Some(schema) = &schema else {
                        return Err(format!("rank-profile `{name}` outside a schema"));
                    };
                    if let Some(entry) = self.schemas.get_mut(schema) {
                        entry.profiles.insert(name, profile);
                    }
                    i = next;
                }
                _ => i += 1,
            }
        }
        Ok(())
    }

    /// How documents of `doctype` rank under `profile`; `None` when the profile is undefined
    /// for that type.
    pub fn ranking(&self, doctype: &str, profile: &str) -> Option<Ranking<'_>> {
        let found = self.find(doctype, profile, 0)?;
        Some(match self.first_phase(doctype, found, 0) {
            Some(expr) => Ranking::Expression(expr),
            None => Ranking::Default,
        })
    }

    /// The profile named `profile` as seen from schema `schema` (its own, or an inherited
    /// schema's).
    fn find(&self, schema: &str, profile: &str, depth: usize) -> Option<&Profile> {
        let entry = self.schemas.get(schema)?;
        if let Some(p) = entry.profiles.get(profile) {
            return Some(p);
        }
        if depth > 16 {
            return None;
        }
        entry
            .inherits
            .iter()
            .find_map(|parent| self.find(parent, profile, depth + 1))
    }

    fn first_phase<'a>(
        &'a self,
        schema: &str,
        profile: &'a Profile,
        depth: usize,
    ) -> Option<&'a Expr> {
        if let Some(expr) = &profile.first_phase {
            return Some(expr);
        }
        if depth > 16 {
            return None;
        }
        profile.inherits.iter().find_map(|parent| {
            let parent = self.find(schema, parent, 0)?;
            self.first_phase(schema, parent, depth + 1)
        })
    }
}

/// Reads `[inherits a, b] { ... first-phase { expression: E } ... }` from `i`; returns the
/// profile and the index after its closing brace.
fn parse_profile(tokens: &[String], mut i: usize) -> Result<(Profile, usize), String> {
    let mut profile = Profile::default();
    if tokens.get(i).map(String::as_str) == Some("inherits") {
        i += 1;
        while let Some(t) = tokens.get(i).filter(|t| *t != "{") {
            if t != "," {
                profile.inherits.push(t.clone());
            }
            i += 1;
        }
    }
    if tokens.get(i).map(String::as_str) != Some("{") {
        return Err("expected `{`".into());
    }
    let mut depth = 0;
    while i < tokens.len() {
        match tokens[i].as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return Ok((profile, i + 1));
                }
            }
            "first-phase" => {
                // `first-phase { expression: <text up to the line's end> }`
                let body = tokens
                    .iter()
                    .skip(i + 1)
                    .position(|t| t.starts_with("expression:"))
                    .map(|p| i + 1 + p)
                    .ok_or("first-phase without `expression:`")?;
                let text = tokens[body].trim_start_matches("expression:").trim();
                profile.first_phase = Some(parse_expression(text)?);
                i = body;
            }
            _ => {}
        }
        i += 1;
    }
    Err("unbalanced braces".into())
}

/// Splits `.sd` text into words and braces; `expression: ...` stays one token up to the end of
/// its line (or the `}` that closes it on the same line). `#` comments are dropped.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let mut rest = line;
        while !rest.trim().is_empty() {
            let trimmed = rest.trim_start();
            if let Some(after) = trimmed.strip_prefix("expression:") {
                let end = after.find('}').unwrap_or(after.len());
                out.push(format!("expression:{}", &after[..end]));
                rest = &after[end..];
                continue;
            }
            let c = trimmed.chars().next().unwrap_or(' ');
            if c == '{' || c == '}' || c == ',' {
                out.push(c.to_string());
                rest = &trimmed[1..];
                continue;
            }
            let end = trimmed
                .find(|ch: char| ch.is_whitespace() || ch == '{' || ch == '}' || ch == ',')
                .unwrap_or(trimmed.len());
            out.push(trimmed[..end].to_string());
            rest = &trimmed[end..];
        }
    }
    out
}

/// Parses an expression (see the module docs for what is understood).
pub fn parse_expression(text: &str) -> Result<Expr, String> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
    };
    let expr = parser.sum()?;
    parser.space();
    if parser.at < parser.chars.len() {
        return Err(format!(
            "the double cannot evaluate `{text}` (stopped at `{}`)",
            parser.chars[parser.at..].iter().collect::<String>()
        ));
    }
    Ok(expr)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn space(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.space();
        self.chars.get(self.at).copied()
    }

    fn sum(&mut self) -> Result<Expr, String> {
        let mut left = self.product()?;
        while let Some(op @ ('+' | '-')) = self.peek() {
            self.at += 1;
            let right = self.product()?;
            left = Expr::Bin(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while let Some(op @ ('*' | '/')) = self.peek() {
            self.at += 1;
            let right = self.unary()?;
            left = Expr::Bin(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some('-') => {
                self.at += 1;
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Some('(') => {
                self.at += 1;
                let inner = self.sum()?;
                if self.peek() != Some(')') {
                    return Err("expected `)`".into());
                }
                self.at += 1;
                Ok(inner)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let start = self.at;
                while self
                    .chars
                    .get(self.at)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                {
                    self.at += 1;
                }
                let text: String = self.chars[start..self.at].iter().collect();
                text.parse()
                    .map(Expr::Num)
                    .map_err(|_| format!("`{text}` is not a number"))
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let start = self.at;
                while self
                    .chars
                    .get(self.at)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
                {
                    self.at += 1;
                }
                let name: String = self.chars[start..self.at].iter().collect();
                let args = if self.peek() == Some('(') {
                    self.at += 1;
                    let close = self.chars[self.at..]
                        .iter()
                        .position(|c| *c == ')')
                        .ok_or("expected `)`")?;
                    let inside: String = self.chars[self.at..self.at + close].iter().collect();
                    self.at += close + 1;
                    inside
                        .split(',')
                        .map(|a| a.trim().to_string())
                        .filter(|a| !a.is_empty())
                        .collect()
                } else {
                    Vec::new()
                };
                match (name.as_str(), args.as_slice()) {
                    ("nativeRank", _) => Ok(Expr::NativeRank(args)),
                    ("attribute", [field]) => Ok(Expr::Attribute(field.clone())),
                    _ => Err(format!(
                        "the double cannot evaluate the rank feature `{name}({})`",
                        args.join(", ")
                    )),
                }
            }
            other => Err(format!("unexpected {other:?} in a rank expression")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl Features for Fixed {
        fn native_rank(&self, fields: &[String]) -> f64 {
            match fields {
                [f] if f == "title" => 0.5,
                [f] if f == "text" => 0.25,
                _ => 0.1,
            }
        }
        fn attribute(&self, field: &str) -> f64 {
            if field == "relevance" { 8.0 } else { 0.0 }
        }
    }

    #[test]
    fn expressions_evaluate_with_precedence() {
        let e = parse_expression("2 * nativeRank(title) + nativeRank(text)").unwrap();
        assert_eq!(e.eval(&Fixed), 1.25);
        let e = parse_expression("attribute(relevance) / (1 + 3) - -1").unwrap();
        assert_eq!(e.eval(&Fixed), 3.0);
        assert_eq!(parse_expression("nativeRank").unwrap().eval(&Fixed), 0.1);
        assert!(parse_expression("freshness(created_at)").is_err());
        assert!(parse_expression("1 +").is_err());
    }

    #[test]
    fn profiles_resolve_through_schema_and_profile_inheritance() {
        let mut profiles = RankProfiles::default();
        profiles
            .add_source(
                "schema base {\n document base {\n }\n rank-profile base_rank {\n first-phase {\n expression: 2 * nativeRank(title) + nativeRank(text)\n }\n }\n}\n",
            )
            .unwrap();
        profiles
            .add_source(
                "schema item inherits base {\n document item inherits base {\n }\n rank-profile office inherits base_rank {\n }\n rank-profile boosted inherits base_rank { first-phase { expression: attribute(relevance) } }\n}\n",
            )
            .unwrap();
        let Some(Ranking::Expression(e)) = profiles.ranking("item", "office") else {
            panic!("office resolves to the inherited first phase")
        };
        assert_eq!(e.eval(&Fixed), 1.25);
        let Some(Ranking::Expression(e)) = profiles.ranking("item", "boosted") else {
            panic!("boosted has its own")
        };
        assert_eq!(e.eval(&Fixed), 8.0);
        assert_eq!(profiles.ranking("item", "nope"), None);
        assert_eq!(profiles.ranking("other", "office"), None);
    }

    #[test]
    fn an_expression_the_double_cannot_evaluate_fails_the_load() {
        let mut profiles = RankProfiles::default();
        let err = profiles
            .add_source("schema x {\n rank-profile p {\n first-phase {\n expression: bm25(title)\n }\n }\n}\n")
            .unwrap_err();
        assert!(err.contains("bm25"), "{err}");
    }
}
