//! Fault injection: a fraction of 429/500/502/503/504/507 answers, added latency and a
//! per-rule in-flight limit, for `/document/v1` requests.
//!
//! Rules come from `--faults JSON` (repeatable) or `POST /_double/faults`. A rule may be scoped
//! to a document type, a group and/or a request header (`"header": "X-Test-Scope: t1"`, which
//! `vespa feed --header` can send), so tests running in parallel against one double do not
//! disturb each other. The most recently added rule whose scope matches a request applies.
//! Draws are deterministic: a rule's n-th matching request gets the n-th number of a SplitMix64
//! sequence from the rule's `seed`.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use serde_json::{Map, Value, json};

use crate::store::mix;

/// Status codes a rule may inject.
pub const CODES: [u16; 6] = [429, 500, 502, 503, 504, 507];

/// Where a rule applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub doctype: Option<String>,
    pub group: Option<String>,
    /// Header name (lower case) and value.
    pub header: Option<(String, String)>,
}

/// One fault rule.
#[derive(Debug)]
pub struct Rule {
    pub scope: Scope,
    /// (code, fraction) in [`CODES`] order, fractions summing to at most 1.
    pub rates: Vec<(u16, f64)>,
    pub latency_ms: u64,
    /// Matching requests in flight beyond this get 429.
    pub max_inflight: Option<usize>,
    /// Inject at most this many faults, then pass everything.
    pub limit: Option<u64>,
    pub seed: u64,
    draws: AtomicU64,
    pub injected: AtomicU64,
    pub inflight: AtomicUsize,
}

/// What a request subject to faults looks like.
pub struct Target<'a> {
    pub doctype: Option<&'a str>,
    pub group: Option<&'a str>,
    pub headers: &'a hyper::HeaderMap,
}

impl Rule {
    /// Parses a rule from its JSON form; the error names the offending key.
    pub fn from_json(v: &Value) -> Result<Rule, String> {
        let Value::Object(m) = v else {
            return Err("a fault rule is a JSON object".to_string());
        };
        let mut scope = Scope::default();
        let mut rates = Vec::new();
        let mut latency_ms = 0;
        let mut max_inflight = None;
        let mut limit = None;
        let mut seed = 0x5eed;
        for (k, v) in m {
            let num = || {
                v.as_f64()
                    .ok_or_else(|| format!("fault rule: '{k}' must be a number"))
            };
            let text = || {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("fault rule: '{k}' must be a string"))
            };
            match k.as_str() {
                "doctype" => scope.doctype = Some(text()?),
                "group" => scope.group = Some(text()?),
                "header" => {
                    let h = text()?;
                    let (name, value) = h
                        .split_once(':')
                        .ok_or("fault rule: 'header' is 'Name: value'")?;
                    scope.header =
                        Some((name.trim().to_ascii_lowercase(), value.trim().to_string()));
                }
                "latency_ms" => latency_ms = num()? as u64,
                "max_inflight" => max_inflight = Some(num()? as usize),
                "limit" => limit = Some(num()? as u64),
                "seed" => seed = num()? as u64,
                code => {
                    let code: u16 = code
                        .parse()
                        .ok()
                        .filter(|c| CODES.contains(c))
                        .ok_or_else(|| {
                            format!(
                                "fault rule: unknown key '{k}' (expected doctype, group, header, \
                                 latency_ms, max_inflight, limit, seed or one of 429, 500, 502, 503, 504, 507)"
                            )
                        })?;
                    let rate = num()?;
                    if !(0.0..=1.0).contains(&rate) {
                        return Err(format!("fault rule: '{k}' must be a fraction in [0, 1]"));
                    }
                    if rate > 0.0 {
                        rates.push((code, rate));
                    }
                }
            }
        }
        rates.sort_by_key(|(c, _)| *c);
        if rates.iter().map(|(_, r)| r).sum::<f64>() > 1.0 + 1e-9 {
            return Err("fault rule: the fractions add up to more than 1".to_string());
        }
        Ok(Rule {
            scope,
            rates,
            latency_ms,
            max_inflight,
            limit,
            seed,
            draws: AtomicU64::new(0),
            injected: AtomicU64::new(0),
            inflight: AtomicUsize::new(0),
        })
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        if let Some(d) = &self.scope.doctype {
            m.insert("doctype".into(), json!(d));
        }
        if let Some(g) = &self.scope.group {
            m.insert("group".into(), json!(g));
        }
        if let Some((n, v)) = &self.scope.header {
            m.insert("header".into(), json!(format!("{n}: {v}")));
        }
        for (code, rate) in &self.rates {
            m.insert(code.to_string(), json!(rate));
        }
        m.insert("latency_ms".into(), json!(self.latency_ms));
        if let Some(x) = self.max_inflight {
            m.insert("max_inflight".into(), json!(x));
        }
        if let Some(x) = self.limit {
            m.insert("limit".into(), json!(x));
        }
        m.insert("seed".into(), json!(self.seed));
        m.insert(
            "injected".into(),
            json!(self.injected.load(Ordering::Relaxed)),
        );
        Value::Object(m)
    }

    /// Whether this rule does nothing (posting it removes the rule of that scope).
    pub fn is_noop(&self) -> bool {
        self.rates.is_empty() && self.latency_ms == 0 && self.max_inflight.is_none()
    }

    fn matches(&self, t: &Target<'_>) -> bool {
        if let Some(d) = &self.scope.doctype
            && t.doctype != Some(d.as_str())
        {
            return false;
        }
        if let Some(g) = &self.scope.group
            && t.group != Some(g.as_str())
        {
            return false;
        }
        if let Some((name, value)) = &self.scope.header {
            let got = t.headers.get(name.as_str()).and_then(|v| v.to_str().ok());
            if got.map(str::trim) != Some(value.as_str()) {
                return false;
            }
        }
        true
    }

    /// The status to inject for the next matching request, if any.
    pub fn draw(&self) -> Option<u16> {
        if self.rates.is_empty() {
            return None;
        }
        if let Some(limit) = self.limit
            && self.injected.load(Ordering::Relaxed) >= limit
        {
            return None;
        }
        let n = self.draws.fetch_add(1, Ordering::Relaxed);
        let r = (mix(self.seed ^ mix(n)) >> 11) as f64 / (1u64 << 53) as f64;
        let mut acc = 0.0;
        for (code, rate) in &self.rates {
            acc += rate;
            if r < acc {
                if let Some(limit) = self.limit
                    && self.injected.fetch_add(1, Ordering::Relaxed) >= limit
                {
                    return None;
                }
                if self.limit.is_none() {
                    self.injected.fetch_add(1, Ordering::Relaxed);
                }
                return Some(*code);
            }
        }
        None
    }
}

/// The set of rules.
#[derive(Default)]
pub struct Faults {
    rules: RwLock<Vec<Arc<Rule>>>,
    any: AtomicBool,
}

impl Faults {
    /// The rule for a request, if any (cheap when there are no rules).
    pub fn find(&self, t: &Target<'_>) -> Option<Arc<Rule>> {
        if !self.any.load(Ordering::Acquire) {
            return None;
        }
        let rules = self.rules.read().unwrap_or_else(|p| p.into_inner());
        rules.iter().rev().find(|r| r.matches(t)).cloned()
    }

    /// Adds `rule`, replacing any rule with the same scope; a no-op rule just removes it.
    pub fn set(&self, rule: Rule) {
        let mut rules = self.rules.write().unwrap_or_else(|p| p.into_inner());
        rules.retain(|r| r.scope != rule.scope);
        if !rule.is_noop() {
            rules.push(Arc::new(rule));
        }
        self.any.store(!rules.is_empty(), Ordering::Release);
    }

    /// Removes the rules whose scope matches the given filters (all rules when none is given).
    pub fn clear(&self, doctype: Option<&str>, group: Option<&str>, header: Option<&str>) {
        let mut rules = self.rules.write().unwrap_or_else(|p| p.into_inner());
        let header = header.and_then(|h| {
            h.split_once(':')
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        });
        rules.retain(|r| {
            let hit = doctype.is_none_or(|d| r.scope.doctype.as_deref() == Some(d))
                && group.is_none_or(|g| r.scope.group.as_deref() == Some(g))
                && header
                    .as_ref()
                    .is_none_or(|h| r.scope.header.as_ref() == Some(h));
            !hit
        });
        self.any.store(!rules.is_empty(), Ordering::Release);
    }

    pub fn to_json(&self) -> Value {
        let rules = self.rules.read().unwrap_or_else(|p| p.into_inner());
        json!({"rules": rules.iter().map(|r| r.to_json()).collect::<Vec<_>>()})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(v: Value) -> Rule {
        Rule::from_json(&v).unwrap()
    }

    #[test]
    fn fractions_are_honoured_deterministically() {
        let r = rule(json!({"429": 0.2, "503": 0.05}));
        let mut counts = [0usize; 3];
        for _ in 0..20_000 {
            match r.draw() {
                Some(429) => counts[0] += 1,
                Some(503) => counts[1] += 1,
                None => counts[2] += 1,
                other => panic!("{other:?}"),
            }
        }
        assert!((3600..4400).contains(&counts[0]), "{counts:?}");
        assert!((800..1200).contains(&counts[1]), "{counts:?}");
        let again = rule(json!({"429": 0.2, "503": 0.05}));
        let r2 = rule(json!({"429": 0.2, "503": 0.05}));
        let a: Vec<_> = (0..100).map(|_| again.draw()).collect();
        let b: Vec<_> = (0..100).map(|_| r2.draw()).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn limits_scopes_and_errors() {
        let r = rule(json!({"503": 1.0, "limit": 3}));
        let got: Vec<_> = (0..5).map(|_| r.draw()).collect();
        assert_eq!(got, vec![Some(503), Some(503), Some(503), None, None]);

        let faults = Faults::default();
        let headers = hyper::HeaderMap::new();
        let t = |d: &'static str| Target {
            doctype: Some(d),
            group: None,
            headers: &headers,
        };
        assert!(faults.find(&t("a")).is_none());
        faults.set(rule(json!({"doctype": "a", "429": 1.0})));
        assert!(faults.find(&t("a")).is_some());
        assert!(faults.find(&t("b")).is_none());
        let mut with = hyper::HeaderMap::new();
        with.insert("x-test-scope", "t1".parse().unwrap());
        faults.set(rule(json!({"header": "X-Test-Scope: t1", "latency_ms": 5})));
        let hit = faults
            .find(&Target {
                doctype: Some("b"),
                group: None,
                headers: &with,
            })
            .unwrap();
        assert_eq!(hit.latency_ms, 5);
        faults.set(rule(json!({"doctype": "a"})));
        assert!(faults.find(&t("a")).is_none());
        faults.clear(None, None, None);
        assert_eq!(faults.to_json(), json!({"rules": []}));

        assert!(Rule::from_json(&json!({"418": 0.5})).is_err());
        assert!(Rule::from_json(&json!({"429": 0.7, "503": 0.7})).is_err());
        assert!(Rule::from_json(&json!({"429": "x"})).is_err());
    }
}
