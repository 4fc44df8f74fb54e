//! The YQL subset: a lexer and a recursive-descent parser into [`super::Query`].

use super::*;

// lexing and parsing

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Word(String),
    Str(String),
    Num(f64),
    Punct(&'static str),
}

pub(super) fn lex(input: &str) -> Result<Vec<Tok>, String> {
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

pub(super) struct Parser {
    pub(super) toks: Vec<Tok>,
    pub(super) pos: usize,
}

impl Parser {
    pub(super) fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    pub(super) fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }

    pub(super) fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(x)) if *x == p)
    }

    pub(super) fn expect_word(&mut self, w: &str) -> Result<(), String> {
        if self.is_word(w) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected '{w}', got {}", self.describe()))
        }
    }

    pub(super) fn expect_punct(&mut self, p: &str) -> Result<(), String> {
        if self.is_punct(p) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected '{p}', got {}", self.describe()))
        }
    }

    pub(super) fn describe(&self) -> String {
        match self.peek() {
            None => "end of query".to_string(),
            Some(Tok::Word(w)) => format!("'{w}'"),
            Some(Tok::Str(s)) => format!("\"{s}\""),
            Some(Tok::Num(n)) => format!("{n}"),
            Some(Tok::Punct(p)) => format!("'{p}'"),
        }
    }

    pub(super) fn word(&mut self) -> Result<String, String> {
        match self.peek().cloned() {
            Some(Tok::Word(w)) => {
                self.pos += 1;
                Ok(w)
            }
            _ => Err(format!("expected a name, got {}", self.describe())),
        }
    }

    pub(super) fn names(&mut self) -> Result<Vec<String>, String> {
        let mut v = vec![self.word()?];
        while self.is_punct(",") {
            self.pos += 1;
            v.push(self.word()?);
        }
        Ok(v)
    }

    pub(super) fn query(&mut self) -> Result<Query, String> {
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

    pub(super) fn or(&mut self) -> Result<Cond, String> {
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

    pub(super) fn and(&mut self) -> Result<Cond, String> {
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

    pub(super) fn unary(&mut self) -> Result<Cond, String> {
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

    pub(super) fn number(&mut self) -> Result<f64, String> {
        match self.peek().cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            _ => Err(format!("expected a number, got {}", self.describe())),
        }
    }

    pub(super) fn skip_annotation(&mut self) -> Result<(), String> {
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

    pub(super) fn contains_rhs(&mut self, field: String) -> Result<Cond, String> {
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
