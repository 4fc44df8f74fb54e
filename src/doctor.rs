//! `doctor`: proves each configured service answers, for real.
//!
//! Pub/Sub is checked by listing the project's topics (the call every command depends on);
//! Redis by PING and a write, read-back and delete of a scratch key (a read-only replica or a
//! full disk fails here rather than in the middle of a migration). Vespa twice: the container
//! (`/state/v1/health`, then a document API read of a document that does not exist, which a
//! deployed application answers 404 and an application without the `email` type 400), and the
//! config server (the application's reindexing status, which `reindex` needs).

use crate::pubsub::{Admin, PubSubError};
use crate::redis_connection::ConnectError;
use crate::report::{Report, Table};
use crate::vespa::feed::TransportError;
use crate::vespa::reindex::ReindexError;
use crate::{keys, redact, redis_connection};
use async_trait::async_trait;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Why a service check failed; the report shows the text as the check's detail.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("no project is set")]
    NoProject,
    #[error("no answer within {}", crate::duration::format(*.0))]
    Timeout(Duration),
    #[error(transparent)]
    PubSub(#[from] PubSubError),
    #[error("{}", .0.message)]
    RedisConnect(#[from] ConnectError),
    /// A Redis command failed: `PING`, ``SET `key` ``, …
    #[error("{command}: {source}")]
    Redis {
        command: String,
        source: redis::RedisError,
    },
    #[error("scratch key `{0}` did not read back what was written")]
    ScratchKey(String),
    /// The Vespa client could not be built (bad certificate, key or URL).
    #[error("{0}")]
    VespaClient(String),
    #[error(transparent)]
    VespaTransport(#[from] TransportError),
    #[error("`/state/v1/health` answered {status}: {body}")]
    VespaHealth { status: u16, body: String },
    #[error("document API answered {status} for `{path}`: {body}")]
    DocumentApi {
        status: u16,
        path: String,
        body: String,
    },
    #[error(transparent)]
    Reindex(#[from] ReindexError),
}

/// One service check.
#[async_trait]
pub trait HealthCheck: Send + Sync {
    /// Service name shown in the report, e.g. `pubsub`.
    fn service(&self) -> &'static str;
    /// Where the service is (secrets redacted).
    fn endpoint(&self) -> String;
    /// What to try when the check fails.
    fn hint(&self) -> String;
    /// Runs the check; `Ok` carries a short detail.
    async fn run(&self) -> Result<String, CheckError>;
}

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Fail,
}

/// One row of the report.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub service: String,
    pub endpoint: String,
    pub status: Status,
    pub latency_ms: u64,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// Every check's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct DoctorReport {
    pub healthy: bool,
    pub checks: Vec<CheckResult>,
}

impl DoctorReport {
    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks.iter().filter(|c| c.status == Status::Fail)
    }
}

/// Some checks failed (exit 1): each failed service with its endpoint and reason, and what to
/// try for the first one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} of {checks} checks failed: {}", failed.len(), failed.join("; "))]
pub struct Unhealthy {
    pub checks: usize,
    /// `` `service` at `endpoint` (detail) `` per failed check.
    pub failed: Vec<String>,
    /// The first failed check's hint.
    pub hint: Option<String>,
}

impl DoctorReport {
    /// Why the platform is not healthy, if it is not.
    pub fn unhealthy(&self) -> Option<Unhealthy> {
        let failures: Vec<&CheckResult> = self.failures().collect();
        let first = failures.first()?;
        Some(Unhealthy {
            checks: self.checks.len(),
            failed: failures
                .iter()
                .map(|f| format!("`{}` at `{}` ({})", f.service, f.endpoint, f.detail))
                .collect(),
            hint: first.hint.clone(),
        })
    }
}

impl Report for DoctorReport {
    fn tables(&self) -> Vec<Table> {
        let mut table = Table::new(["service", "status", "endpoint", "latency", "detail"]);
        for check in &self.checks {
            let status = match check.status {
                Status::Ok => "ok",
                Status::Fail => "FAIL",
            };
            table.push([
                check.service.clone(),
                status.to_string(),
                check.endpoint.clone(),
                format!("{} ms", check.latency_ms),
                check.detail.clone(),
            ]);
        }
        vec![table]
    }
}

/// Runs every check concurrently, each bounded by `timeout`.
pub async fn run(checks: &[Box<dyn HealthCheck>], timeout: Duration) -> DoctorReport {
    let results = futures::future::join_all(checks.iter().map(|check| async move {
        let started = Instant::now();
        let outcome = match tokio::time::timeout(timeout, check.run()).await {
            Ok(outcome) => outcome,
            Err(_) => Err(CheckError::Timeout(timeout)),
        };
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (status, detail, hint) = match outcome {
            Ok(detail) => (Status::Ok, detail, None),
            Err(reason) => (Status::Fail, reason.to_string(), Some(check.hint())),
        };
        CheckResult {
            service: check.service().to_string(),
            endpoint: check.endpoint(),
            status,
            latency_ms,
            detail,
            hint,
        }
    }))
    .await;
    DoctorReport {
        healthy: results.iter().all(|r| r.status == Status::Ok),
        checks: results,
    }
}

/// Lists the project's topics.
pub struct PubSubCheck {
    /// The admin client, or why it could not be built.
    pub admin: Result<Arc<dyn Admin>, PubSubError>,
    /// Project id, if one is configured.
    pub project: Option<String>,
    pub endpoint: String,
    /// Whether the endpoint is a local emulator (changes the hint).
    pub emulator: bool,
}

#[async_trait]
impl HealthCheck for PubSubCheck {
    fn service(&self) -> &'static str {
        "pubsub"
    }

    fn endpoint(&self) -> String {
        redact::url(&self.endpoint)
    }

    fn hint(&self) -> String {
        match (&self.project, self.emulator) {
            (None, _) => "set a project with `--project` or `OFFICECTL_PROJECT`".into(),
            (Some(_), true) => {
                "start the local services with `scripts/services up`, then `. target/services.env`"
                    .into()
            }
            (Some(project), false) => format!(
                "check credentials (`gcloud auth application-default login`) and that project `{project}` exists"
            ),
        }
    }

    async fn run(&self) -> Result<String, CheckError> {
        let project = self.project.as_deref().ok_or(CheckError::NoProject)?;
        let admin = self.admin.as_ref().map_err(|e| e.clone())?;
        let topics = admin.list_topics(project).await?;
        Ok(format!("{} topics in project `{project}`", topics.len()))
    }
}

/// PING, then write, read back and delete a scratch key.
pub struct RedisCheck {
    pub url: String,
    /// Makes the scratch key unique to this run.
    pub token: String,
    pub connect_timeout: Duration,
}

#[async_trait]
impl HealthCheck for RedisCheck {
    fn service(&self) -> &'static str {
        "redis"
    }

    fn endpoint(&self) -> String {
        redact::url(&self.url)
    }

    fn hint(&self) -> String {
        format!(
            "is Redis running at `{}`? Set `--redis-url` or `OFFICECTL_REDIS_URL`; for local services run `scripts/services up`",
            redact::url(&self.url)
        )
    }

    async fn run(&self) -> Result<String, CheckError> {
        let mut conn = redis_connection::connect(&self.url, self.connect_timeout).await?;
        let failed = |command: String| move |source| CheckError::Redis { command, source };
        let pong: String = redis::cmd("PING")
            .query_async(&mut conn)
            .await
            .map_err(failed("PING".into()))?;
        let key = keys::doctor_scratch(&self.token);
        let () = redis::cmd("SET")
            .arg(&key)
            .arg(&self.token)
            .arg("PX")
            .arg(60_000)
            .query_async(&mut conn)
            .await
            .map_err(failed(format!("SET `{key}`")))?;
        let read: Option<String> = redis::cmd("GET")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .map_err(failed(format!("GET `{key}`")))?;
        let deleted: i64 = redis::cmd("DEL")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .map_err(failed(format!("DEL `{key}`")))?;
        if read.as_deref() != Some(self.token.as_str()) || deleted != 1 {
            return Err(CheckError::ScratchKey(key));
        }
        let version = server_version(&mut conn).await.unwrap_or_default();
        Ok(format!("{pong}; write/read/delete ok{version}"))
    }
}

/// The Vespa container: health, and the document API for the platform's document types.
pub struct VespaCheck {
    /// The client, or why it could not be built.
    pub transport: Result<Arc<crate::vespa::http::HttpTransport>, CheckError>,
    pub endpoint: String,
}

#[async_trait]
impl HealthCheck for VespaCheck {
    fn service(&self) -> &'static str {
        "vespa"
    }

    fn endpoint(&self) -> String {
        redact::url(&self.endpoint)
    }

    fn hint(&self) -> String {
        format!(
            "is Vespa's container running at `{}` with officectl's application package (`officectl vespa schema`)? Set `--vespa-endpoint` or `OFFICECTL_VESPA_ENDPOINT`; for local services run `scripts/services up`",
            redact::url(&self.endpoint)
        )
    }

    async fn run(&self) -> Result<String, CheckError> {
        let transport = match &self.transport {
            Ok(transport) => transport,
            Err(err) => return Err(CheckError::VespaClient(err.to_string())),
        };
        let health = transport.get("/state/v1/health").await?;
        let body = String::from_utf8_lossy(&health.body);
        if health.status != 200 || !body.contains("\"up\"") {
            return Err(CheckError::VespaHealth {
                status: health.status,
                body: body.trim().to_string(),
            });
        }
        let probe = crate::model::vespa::DocumentId::new(
            crate::model::catalog::DataType::Email.vespa_type(),
            "officectl-doctor",
            "probe",
        );
        let read = transport.get(&probe.path()).await?;
        match read.status {
            200 | 404 => Ok("up; document API serves `email` documents".into()),
            status => Err(CheckError::DocumentApi {
                status,
                path: probe.path(),
                body: String::from_utf8_lossy(&read.body).trim().to_string(),
            }),
        }
    }
}

/// The Vespa config server: the deployed application's reindexing status.
pub struct VespaConfigCheck {
    pub server: Arc<dyn crate::vespa::reindex::ConfigServer>,
    pub application: crate::vespa::reindex::Application,
    pub endpoint: String,
}

#[async_trait]
impl HealthCheck for VespaConfigCheck {
    fn service(&self) -> &'static str {
        "vespa-config"
    }

    fn endpoint(&self) -> String {
        redact::url(&self.endpoint)
    }

    fn hint(&self) -> String {
        format!(
            "is Vespa's config server running at `{}` with the application deployed? Set `--vespa-config-endpoint` or `OFFICECTL_VESPA_CONFIG_ENDPOINT`",
            redact::url(&self.endpoint)
        )
    }

    async fn run(&self) -> Result<String, CheckError> {
        let status = crate::vespa::reindex::status(self.server.as_ref(), &self.application).await?;
        let app = &self.application;
        Ok(format!(
            "application `{}.{}.{}` deployed; reindexing knows {} document types",
            app.tenant,
            app.application,
            app.instance,
            status.types.len()
        ))
    }
}

async fn server_version(conn: &mut redis::aio::MultiplexedConnection) -> Option<String> {
    let info: String = redis::cmd("INFO")
        .arg("server")
        .query_async(conn)
        .await
        .ok()?;
    let version = info
        .lines()
        .find_map(|l| l.strip_prefix("redis_version:"))?;
    Some(format!("; redis {}", version.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubsub::fake::FakePubSub;
    use crate::pubsub::{ErrorKind, TopicConfig};

    fn pubsub_check(fake: FakePubSub, project: Option<&str>) -> Box<dyn HealthCheck> {
        Box::new(PubSubCheck {
            admin: Ok(Arc::new(fake)),
            project: project.map(str::to_string),
            endpoint: "http://127.0.0.1:1".into(),
            emulator: true,
        })
    }

    #[tokio::test]
    async fn healthy_when_every_check_passes() {
        let fake = FakePubSub::new();
        fake.create_topic(&TopicConfig::named("projects/p/topics/emails"))
            .await
            .unwrap();
        let report = run(&[pubsub_check(fake, Some("p"))], Duration::from_secs(1)).await;
        assert!(report.healthy);
        assert_eq!(report.checks[0].detail, "1 topics in project `p`");
        assert!(report.checks[0].hint.is_none());
    }

    #[tokio::test]
    async fn a_failing_service_is_named_with_a_hint() {
        let fake = FakePubSub::new();
        fake.fail_next("list topics", ErrorKind::Unavailable, 1);
        let report = run(&[pubsub_check(fake, Some("p"))], Duration::from_secs(1)).await;
        assert!(!report.healthy);
        let unhealthy = report.unhealthy().unwrap();
        assert!(
            unhealthy
                .to_string()
                .starts_with("1 of 1 checks failed: `pubsub` at `http://127.0.0.1:1` (list topics"),
            "{unhealthy}"
        );
        assert!(unhealthy.hint.unwrap().contains("scripts/services up"));
        let failed: Vec<_> = report.failures().collect();
        assert_eq!(failed.len(), 1);
        assert!(
            failed[0].detail.contains("UNAVAILABLE"),
            "{}",
            failed[0].detail
        );
        assert!(
            failed[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("scripts/services up")
        );
    }

    #[tokio::test]
    async fn missing_project_fails_with_a_hint() {
        let report = run(
            &[pubsub_check(FakePubSub::new(), None)],
            Duration::from_secs(1),
        )
        .await;
        assert!(!report.healthy);
        assert!(
            report.checks[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("OFFICECTL_PROJECT")
        );
    }

    struct Hangs;

    #[async_trait]
    impl HealthCheck for Hangs {
        fn service(&self) -> &'static str {
            "slow"
        }
        fn endpoint(&self) -> String {
            "nowhere".into()
        }
        fn hint(&self) -> String {
            "wait".into()
        }
        async fn run(&self) -> Result<String, CheckError> {
            futures::future::pending().await
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_hanging_check_times_out() {
        let report = run(&[Box::new(Hangs)], Duration::from_millis(20)).await;
        assert_eq!(report.checks[0].status, Status::Fail);
        assert_eq!(report.checks[0].detail, "no answer within 20ms");
    }

    #[tokio::test]
    async fn redis_on_a_closed_port_fails() {
        let check = RedisCheck {
            url: "redis://127.0.0.1:1".into(),
            token: "t".into(),
            connect_timeout: Duration::from_secs(1),
        };
        let report = run(&[Box::new(check)], Duration::from_secs(2)).await;
        assert_eq!(report.checks[0].status, Status::Fail);
        assert!(
            report.checks[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("redis://127.0.0.1:1")
        );
    }
}
