//! The config server's reindexing state (vespa-api.md §5), driven by time.
//!
//! `POST /reindex` marks (cluster, type) pairs ready: state `pending`. After `start_delay_ms`
//! (and, with `requires_deploy`, only once a deployment happened: a speed change or
//! `POST /_double/deploy`) the oldest ready type of a cluster starts (`running`); clusters run in
//! parallel, types within a cluster one at a time, as Vespa does. Progress grows by
//! `rate_per_s × speed` per second of (virtual) time; speed 0 halts it; at 1 the state is
//! `successful`. Time is wall time plus an offset that `POST /_double/clock` advances, so tests
//! can move the machine deterministically.

use std::collections::BTreeMap;

use crate::Obj;

/// One (cluster, type) entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub ready_ms: f64,
    pub speed: f64,
    pub cause: String,
    pub started_ms: Option<f64>,
    pub ended_ms: Option<f64>,
    pub progress: f64,
    pub state: State,
    /// A deployment happened since it was marked ready.
    pub deployed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Pending,
    Running,
    Successful,
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Running => "running",
            State::Successful => "successful",
        }
    }
}

/// Settings of the state machine.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Progress per second at speed 1.
    pub rate_per_s: f64,
    pub start_delay_ms: f64,
    pub requires_deploy: bool,
}

/// All reindexing state.
#[derive(Debug)]
pub struct Reindexing {
    pub settings: Settings,
    pub enabled: bool,
    /// cluster → type → entry.
    pub entries: BTreeMap<String, BTreeMap<String, Entry>>,
    /// cluster → type → config generation (types waiting for a deployment to converge).
    pub pending: BTreeMap<String, BTreeMap<String, u64>>,
    last_ms: f64,
    offset_ms: f64,
}

/// Wall-clock milliseconds.
pub fn wall_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

impl Reindexing {
    pub fn new(settings: Settings) -> Reindexing {
        Reindexing {
            settings,
            enabled: true,
            entries: BTreeMap::new(),
            pending: BTreeMap::new(),
            last_ms: wall_ms(),
            offset_ms: 0.0,
        }
    }

    /// Virtual now.
    pub fn now(&self) -> f64 {
        wall_ms() + self.offset_ms
    }

    /// Moves virtual time forward by `ms` and advances the machine.
    pub fn advance_clock(&mut self, ms: f64) {
        self.sync();
        self.offset_ms += ms.max(0.0);
        self.sync();
    }

    /// Advances every cluster to now.
    pub fn sync(&mut self) {
        let now = self.now();
        if now <= self.last_ms {
            return;
        }
        let from = self.last_ms;
        for types in self.entries.values_mut() {
            advance_cluster(types, from, now, &self.settings, self.enabled);
        }
        self.last_ms = now;
    }

    /// Marks `types` of `cluster` ready.
    pub fn trigger(&mut self, cluster: &str, types: &[String], speed: f64, cause: &str) {
        self.sync();
        let now = self.now();
        let entries = self.entries.entry(cluster.to_string()).or_default();
        for t in types {
            entries.insert(
                t.clone(),
                Entry {
                    ready_ms: now,
                    speed,
                    cause: cause.to_string(),
                    started_ms: None,
                    ended_ms: None,
                    progress: 0.0,
                    state: State::Pending,
                    deployed: false,
                },
            );
        }
    }

    /// Sets the speed of the triggered `types` of `cluster`; returns the types changed. Counts
    /// as a deployment (the real config server redeploys).
    pub fn set_speed(&mut self, cluster: &str, types: &[String], speed: f64) -> Vec<String> {
        self.sync();
        let mut changed = Vec::new();
        if let Some(entries) = self.entries.get_mut(cluster) {
            for t in types {
                if let Some(e) = entries.get_mut(t) {
                    e.speed = speed;
                    changed.push(t.clone());
                }
            }
        }
        self.deploy();
        changed
    }

    /// A deployment: ready types may start.
    pub fn deploy(&mut self) {
        self.sync();
        for entries in self.entries.values_mut() {
            for e in entries.values_mut() {
                e.deployed = true;
            }
        }
        self.pending.clear();
    }

    /// The `GET /reindexing` body; `clusters` gives every cluster and its types.
    pub fn status(&mut self, clusters: &[(String, Vec<String>)]) -> String {
        self.sync();
        let mut out = Obj::new();
        for (cluster, types) in clusters {
            let entries = self.entries.get(cluster);
            let mut ready = Obj::new();
            let mut all: Vec<&String> = types.iter().collect();
            if let Some(e) = entries {
                all.extend(e.keys().filter(|k| !types.contains(k)));
            }
            for t in all {
                let v = match entries.and_then(|e| e.get(t)) {
                    None => "{}".to_string(),
                    Some(e) => entry_json(e),
                };
                ready = ready.raw(t, &v);
            }
            let mut pending = Obj::new();
            for (t, generation) in self.pending.get(cluster).into_iter().flatten() {
                pending = pending.val(t, generation);
            }
            out = out.raw(
                cluster,
                &Obj::new()
                    .raw("pending", &pending.end())
                    .raw("ready", &ready.end())
                    .end(),
            );
        }
        Obj::new()
            .val("enabled", &self.enabled)
            .raw("clusters", &out.end())
            .end()
    }
}

fn entry_json(e: &Entry) -> String {
    let mut o = Obj::new()
        .val("readyMillis", &(e.ready_ms as u64))
        .val("speed", &e.speed)
        .val("cause", &e.cause);
    if e.state != State::Pending {
        if let Some(s) = e.started_ms {
            o = o.val("startedMillis", &(s as u64));
        }
        if let Some(s) = e.ended_ms {
            o = o.val("endedMillis", &(s as u64));
        }
        o = o.val("progress", &((e.progress * 1e4).round() / 1e4));
    }
    o.val("state", e.state.name()).end()
}

fn advance_cluster(
    types: &mut BTreeMap<String, Entry>,
    from: f64,
    to: f64,
    s: &Settings,
    enabled: bool,
) {
    if !enabled {
        return;
    }
    let mut t = from;
    loop {
        if let Some(e) = types.values_mut().find(|e| e.state == State::Running) {
            if e.speed <= 0.0 || s.rate_per_s <= 0.0 {
                return;
            }
            let per_ms = e.speed * s.rate_per_s / 1000.0;
            let need = (1.0 - e.progress) / per_ms;
            if t + need <= to {
                t += need;
                e.progress = 1.0;
                e.state = State::Successful;
                e.ended_ms = Some(t);
                continue;
            }
            e.progress += per_ms * (to - t);
            return;
        }
        // The oldest eligible ready type starts next.
        let next = types
            .values_mut()
            .filter(|e| e.state == State::Pending && (e.deployed || !s.requires_deploy))
            .min_by(|a, b| a.ready_ms.total_cmp(&b.ready_ms));
        let Some(e) = next else {
            return;
        };
        let start = t.max(e.ready_ms + s.start_delay_ms);
        if start > to {
            return;
        }
        e.state = State::Running;
        e.started_ms = Some(start);
        e.progress = 0.0;
        t = start;
    }
}

/// Java's `Double.toString` for the speeds in messages: `1.0`, `0.618`.
pub fn java_double(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e7 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn machine(requires_deploy: bool) -> Reindexing {
        Reindexing::new(Settings {
            rate_per_s: 0.1,
            start_delay_ms: 1000.0,
            requires_deploy,
        })
    }

    fn state(r: &mut Reindexing, t: &str) -> Value {
        let s = r.status(&[("c".to_string(), vec!["a".into(), "b".into(), "z".into()])]);
        let s: Value = serde_json::from_str(&s).unwrap();
        s["clusters"]["c"]["ready"][t].clone()
    }

    #[test]
    fn pending_running_successful_one_type_at_a_time() {
        let mut r = machine(false);
        r.trigger("c", &["a".into()], 1.0, "why");
        r.trigger("c", &["b".into()], 1.0, "why");
        assert_eq!(state(&mut r, "a")["state"], "pending");
        assert!(state(&mut r, "a").get("progress").is_none());
        assert_eq!(state(&mut r, "z"), json!({}));
        r.advance_clock(6000.0);
        let a = state(&mut r, "a");
        assert_eq!(a["state"], "running");
        let p = a["progress"].as_f64().unwrap();
        assert!((0.49..0.52).contains(&p), "{p}");
        assert_eq!(state(&mut r, "b")["state"], "pending");
        r.advance_clock(6000.0);
        let a = state(&mut r, "a");
        assert_eq!(a["state"], "successful");
        assert_eq!(a["progress"], 1.0);
        assert!(a["endedMillis"].as_u64() >= a["startedMillis"].as_u64());
        assert_eq!(state(&mut r, "b")["state"], "running");
    }

    #[test]
    fn speed_zero_halts_and_deploy_gates_start() {
        let mut r = machine(true);
        r.trigger("c", &["a".into()], 1.0, "why");
        r.advance_clock(5000.0);
        assert_eq!(state(&mut r, "a")["state"], "pending");
        r.deploy();
        r.advance_clock(3000.0);
        assert_eq!(state(&mut r, "a")["state"], "running");
        assert_eq!(r.set_speed("c", &["a".into()], 0.0), vec!["a".to_string()]);
        let before = state(&mut r, "a")["progress"].as_f64().unwrap();
        r.advance_clock(60_000.0);
        assert_eq!(state(&mut r, "a")["progress"].as_f64().unwrap(), before);
        assert_eq!(state(&mut r, "a")["speed"], 0.0);
        r.set_speed("c", &["a".into()], 10.0);
        r.advance_clock(2000.0);
        assert_eq!(state(&mut r, "a")["state"], "successful");
    }

    #[test]
    fn java_doubles() {
        assert_eq!(java_double(1.0), "1.0");
        assert_eq!(java_double(0.618), "0.618");
        assert_eq!(java_double(10.0), "10.0");
    }
}
