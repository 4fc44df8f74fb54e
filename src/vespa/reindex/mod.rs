//! Native reindexing through the config server (vespa-api.md §5).
//!
//! `POST …/reindex` marks (cluster, type) pairs ready with a `speed` in (0, 10] and a `cause`;
//! `PUT …/reindex?speed=S` changes the speed of what is already marked (0 halts); `GET
//! …/reindexing` reports each type's `state` (`pending`, `running`, `successful`, `failed`) and
//! `progress`. On a real self-hosted config server a trigger takes effect with the next
//! deployment; the double can simulate either.

use crate::vespa::http::HttpSetupError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod config_server;

pub use config_server::HttpConfigServer;

/// The application whose content clusters are reindexed.
#[derive(Debug, Clone)]
pub struct Application {
    pub tenant: String,
    pub application: String,
    pub instance: String,
}

impl Default for Application {
    fn default() -> Self {
        Self {
            tenant: "default".into(),
            application: "default".into(),
            instance: "default".into(),
        }
    }
}

impl Application {
    /// The application's path on the config server; environment and region are ignored there.
    pub fn path(&self) -> String {
        format!(
            "/application/v2/tenant/{}/application/{}/environment/default/region/default/instance/{}",
            enc(&self.tenant),
            enc(&self.application),
            enc(&self.instance)
        )
    }
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A config-server call failed.
#[derive(Debug, thiserror::Error)]
pub enum ReindexError {
    #[error("config server at `{endpoint}` did not answer: {message}")]
    Transport { endpoint: String, message: String },
    #[error("cannot set up the connection to the config server at `{endpoint}`")]
    Setup {
        endpoint: String,
        #[source]
        source: HttpSetupError,
    },
    #[error("config server answered {status}: {message}")]
    Status { status: u16, message: String },
    #[error("unexpected reindexing status from the config server: {0}")]
    Parse(String),
    #[error("speed must be in [0, 10], got {0}")]
    Speed(f64),
}

/// One HTTP call to the config server: `(status, body)`.
#[async_trait::async_trait]
pub trait ConfigServer: Send + Sync {
    async fn call(&self, method: &str, path: &str) -> Result<(u16, String), ReindexError>;
}

/// What to reindex.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Content clusters; empty means all.
    pub clusters: Vec<String>,
    /// Document types; empty means all.
    pub types: Vec<String>,
}

impl Selection {
    fn query(&self) -> String {
        let mut q = Vec::new();
        if !self.clusters.is_empty() {
            q.push(format!("clusterId={}", enc(&self.clusters.join(","))));
        }
        if !self.types.is_empty() {
            q.push(format!("documentType={}", enc(&self.types.join(","))));
        }
        q.join("&")
    }

    /// Whether `(cluster, type)` is selected.
    pub fn matches(&self, cluster: &str, doc_type: &str) -> bool {
        (self.clusters.is_empty() || self.clusters.iter().any(|c| c == cluster))
            && (self.types.is_empty() || self.types.iter().any(|t| t == doc_type))
    }
}

fn message_of(body: &str) -> String {
    #[derive(Deserialize)]
    struct Msg {
        message: Option<String>,
    }
    serde_json::from_str::<Msg>(body)
        .ok()
        .and_then(|m| m.message)
        .unwrap_or_else(|| body.trim().to_string())
}

async fn checked(
    server: &dyn ConfigServer,
    method: &str,
    path: &str,
) -> Result<String, ReindexError> {
    let (status, body) = server.call(method, path).await?;
    if status == 200 {
        Ok(body)
    } else {
        Err(ReindexError::Status {
            status,
            message: message_of(&body),
        })
    }
}

/// Marks the selection for reindexing at `speed` (0 < speed ≤ 10), or halts it when `speed`
/// is 0 (a speed change, `PUT`). Returns the config server's message.
pub async fn trigger(
    server: &dyn ConfigServer,
    app: &Application,
    selection: &Selection,
    speed: f64,
    cause: Option<&str>,
) -> Result<String, ReindexError> {
    if !(0.0..=10.0).contains(&speed) {
        return Err(ReindexError::Speed(speed));
    }
    let mut query = selection.query();
    let push = |q: &mut String, part: String| {
        if !q.is_empty() {
            q.push('&');
        }
        q.push_str(&part);
    };
    push(&mut query, format!("speed={speed}"));
    let method = if speed == 0.0 {
        "PUT"
    } else {
        if let Some(cause) = cause {
            push(&mut query, format!("cause={}", enc(cause)));
        }
        "POST"
    };
    let body = checked(server, method, &format!("{}/reindex?{query}", app.path())).await?;
    Ok(message_of(&body))
}

/// One document type's reindexing status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeStatus {
    pub ready_millis: Option<u64>,
    pub speed: Option<f64>,
    pub cause: Option<String>,
    pub started_millis: Option<u64>,
    pub ended_millis: Option<u64>,
    pub progress: Option<f64>,
    /// Vespa's own state; the row's `state` is officectl's reading of it.
    #[serde(rename(serialize = "vespa_state"))]
    pub state: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawStatus {
    #[serde(default)]
    enabled: Option<bool>,
    #[serde(default)]
    clusters: BTreeMap<String, RawCluster>,
}

#[derive(Debug, Deserialize)]
struct RawCluster {
    #[serde(default)]
    pending: BTreeMap<String, u64>,
    #[serde(default)]
    ready: BTreeMap<String, TypeStatus>,
}

/// A row of `reindex status`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusRow {
    pub cluster: String,
    pub document_type: String,
    /// `pending`, `running`, `successful`, `failed`, `halted` (running at speed 0), or
    /// `never` (never triggered).
    pub state: String,
    #[serde(flatten)]
    pub status: TypeStatus,
}

/// `GET …/reindexing`, flattened into rows.
#[derive(Debug, Clone, Serialize)]
pub struct ReindexStatus {
    pub enabled: Option<bool>,
    pub types: Vec<StatusRow>,
}

impl ReindexStatus {
    /// The row for `(cluster, type)`.
    pub fn get(&self, cluster: &str, doc_type: &str) -> Option<&StatusRow> {
        self.types
            .iter()
            .find(|r| r.cluster == cluster && r.document_type == doc_type)
    }
}

/// Reads the reindexing status.
pub async fn status(
    server: &dyn ConfigServer,
    app: &Application,
) -> Result<ReindexStatus, ReindexError> {
    let body = checked(server, "GET", &format!("{}/reindexing", app.path())).await?;
    parse_status(&body)
}

/// Parses a `GET …/reindexing` body.
pub fn parse_status(body: &str) -> Result<ReindexStatus, ReindexError> {
    let raw: RawStatus =
        serde_json::from_str(body).map_err(|err| ReindexError::Parse(err.to_string()))?;
    let mut types = Vec::new();
    for (cluster, c) in raw.clusters {
        for (doc_type, status) in c.ready {
            let state = match (&status.state, status.speed, status.ready_millis) {
                (Some(s), Some(speed), _) if s == "running" && speed == 0.0 => "halted".into(),
                (Some(s), _, _) => s.clone(),
                (None, _, Some(_)) => "pending".into(),
                (None, _, None) => "never".into(),
            };
            types.push(StatusRow {
                cluster: cluster.clone(),
                document_type: doc_type,
                state,
                status,
            });
        }
        for doc_type in c.pending.keys() {
            if !types
                .iter()
                .any(|r| r.cluster == cluster && &r.document_type == doc_type)
            {
                types.push(StatusRow {
                    cluster: cluster.clone(),
                    document_type: doc_type.clone(),
                    state: "pending".into(),
                    status: TypeStatus::default(),
                });
            }
        }
    }
    Ok(ReindexStatus {
        enabled: raw.enabled,
        types,
    })
}

impl crate::report::Report for ReindexStatus {
    fn tables(&self) -> Vec<crate::report::Table> {
        let mut t = crate::report::Table::new([
            "cluster", "type", "state", "progress", "speed", "cause", "message",
        ]);
        for r in &self.types {
            t.push([
                r.cluster.clone(),
                r.document_type.clone(),
                r.state.clone(),
                r.status
                    .progress
                    .map_or("-".into(), |p| format!("{:.1}%", p * 100.0)),
                r.status.speed.map_or("-".into(), |s| s.to_string()),
                r.status.cause.clone().unwrap_or_default(),
                r.status.message.clone().unwrap_or_default(),
            ]);
        }
        vec![t]
    }
}

/// What one trigger marked, as the status shows it later: the selected types whose
/// `readyMillis` changed (or appeared) since `before`, their overall progress in [0, 1]
/// (`successful` counts as done), and whether they all succeeded or one failed.
#[derive(Debug, Clone)]
pub struct Marked {
    pub types: Vec<StatusRow>,
    pub progress: f64,
    pub succeeded: bool,
    pub failed: bool,
}

impl Marked {
    /// The types of `now` that a trigger between `before` and `now` marked.
    pub fn between(before: &ReindexStatus, now: &ReindexStatus, selection: &Selection) -> Marked {
        let types: Vec<StatusRow> = now
            .types
            .iter()
            .filter(|r| selection.matches(&r.cluster, &r.document_type))
            .filter(|r| {
                r.status.ready_millis.is_some()
                    && before
                        .get(&r.cluster, &r.document_type)
                        .is_none_or(|b| b.status.ready_millis != r.status.ready_millis)
            })
            .cloned()
            .collect();
        let total = types.len().max(1) as f64;
        let progress = types
            .iter()
            .map(|r| {
                if r.state == "successful" {
                    1.0
                } else {
                    r.status.progress.unwrap_or(0.0)
                }
            })
            .sum::<f64>()
            / total;
        Marked {
            succeeded: types.iter().all(|r| r.state == "successful"),
            failed: types.iter().any(|r| r.state == "failed"),
            types,
            progress,
        }
    }

    /// `cluster/type state` for each marked type.
    pub fn states(&self) -> Vec<String> {
        self.types
            .iter()
            .map(|r| format!("{}/{} {}", r.cluster, r.document_type, r.state))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vespa::fake::FakeVespa;

    /// The shared fake's config server, answering every call with `status` and `body`.
    fn fake(status: u16, body: &str) -> FakeVespa {
        let server = FakeVespa::default();
        server.answer_config(status, body);
        server
    }

    #[tokio::test]
    async fn trigger_posts_and_speed_zero_puts() {
        let server = fake(
            200,
            r#"{"message":"Reindexing document types [email] in 'office'"}"#,
        );
        let sel = Selection {
            clusters: vec!["office".into()],
            types: vec!["email".into(), "todo".into()],
        };
        let app = Application::default();
        let msg = trigger(&server, &app, &sel, 0.5, Some("schema change"))
            .await
            .unwrap();
        assert_eq!(msg, "Reindexing document types [email] in 'office'");
        trigger(&server, &app, &sel, 0.0, Some("ignored"))
            .await
            .unwrap();
        let calls = server.config_calls();
        let base = "/application/v2/tenant/default/application/default/environment/default/region/default/instance/default";
        assert_eq!(
            calls[0],
            (
                "POST".into(),
                format!(
                    "{base}/reindex?clusterId=office&documentType=email%2Ctodo&speed=0.5&cause=schema%20change"
                )
            )
        );
        assert_eq!(
            calls[1],
            (
                "PUT".into(),
                format!("{base}/reindex?clusterId=office&documentType=email%2Ctodo&speed=0")
            )
        );
    }

    #[tokio::test]
    async fn errors_carry_the_server_message() {
        let server = fake(
            400,
            r#"{"error-code":"BAD_REQUEST","message":"No content cluster 'x' in application — only: office"}"#,
        );
        let err = trigger(
            &server,
            &Application::default(),
            &Selection::default(),
            1.0,
            None,
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "config server answered 400: No content cluster 'x' in application — only: office"
        );
        let err = trigger(
            &server,
            &Application::default(),
            &Selection::default(),
            11.0,
            None,
        )
        .await
        .unwrap_err();
        assert!(matches!(err, ReindexError::Speed(_)));
    }

    #[test]
    fn status_rows_name_every_state() {
        let body = r#"{"enabled":true,"clusters":{"db":{"pending":{"run":123},
          "ready":{"a":{"readyMillis":1,"speed":1.0,"cause":"c","startedMillis":2,"state":"running","progress":0.04},
                   "b":{"readyMillis":1,"speed":0.0,"startedMillis":2,"state":"running","progress":0.5},
                   "c":{"readyMillis":1,"speed":1.0,"state":"pending"},
                   "d":{"readyMillis":1,"speed":1.0,"startedMillis":2,"endedMillis":3,"progress":1.0,"state":"successful"},
                   "e":{"readyMillis":1,"speed":1.0,"progress":0.0,"state":"failed","message":"PROCESSING_FAILURE"},
                   "never":{}}}}}"#;
        let s = parse_status(body).unwrap();
        let states: Vec<(&str, &str)> = s
            .types
            .iter()
            .map(|r| (r.document_type.as_str(), r.state.as_str()))
            .collect();
        assert_eq!(
            states,
            [
                ("a", "running"),
                ("b", "halted"),
                ("c", "pending"),
                ("d", "successful"),
                ("e", "failed"),
                ("never", "never"),
                ("run", "pending"),
            ]
        );
        assert_eq!(s.get("db", "a").unwrap().status.progress, Some(0.04));
        assert!(parse_status("not json").is_err());
    }
}
