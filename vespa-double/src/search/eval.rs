//! Matching and ranking one document: conditions, comparisons, `contains` with term
//! frequencies, and the features a rank profile reads.

use super::*;

/// Rank features of one hit.
pub(super) struct HitFeatures<'a> {
    pub(super) doc: &'a Doc,
    pub(super) ctx: &'a Ctx<'a>,
    pub(super) terms: &'a [(String, Vec<String>)],
}

impl HitFeatures<'_> {
    pub(super) fn default_fields(&self) -> Vec<String> {
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
            .unwrap_or(f64::NAN)
    }
}

/// The relevance contribution if the document matches.
pub(super) fn eval(cond: &Cond, doc: &Doc, ctx: &Ctx<'_>) -> Option<f64> {
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

pub(super) fn any_value(v: &Value, f: impl Fn(&Value) -> bool) -> bool {
    match v {
        Value::Array(items) => items.iter().any(f),
        Value::Object(m) => m.keys().any(|k| f(&Value::String(k.clone()))),
        v => f(v),
    }
}

pub(super) fn compare(v: &Value, op: &str, lit: &Lit) -> bool {
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

pub(super) fn contains(doc: &Doc, field: &str, terms: &[String], ctx: &Ctx<'_>) -> Option<f64> {
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

pub(super) fn phrase_count(words: &[String], phrase: &[String]) -> usize {
    if phrase.len() > words.len() {
        return 0;
    }
    words.windows(phrase.len()).filter(|w| *w == phrase).count()
}
