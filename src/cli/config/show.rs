//! `officectl config show`: the resolved settings, secrets redacted.

use crate::cli::Context;
use officectl::model::claim_check::ClaimCheckConfig;
use officectl::redact;
use officectl::report::{Report, Table};
use officectl::settings::{Credentials, Settings, Source};
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Also show where each value came from (flag, env, config file, default)
    #[arg(long)]
    sources: bool,
}

#[derive(Serialize)]
struct ConfigReport {
    settings: Vec<SettingRow>,
    #[serde(skip)]
    with_sources: bool,
}

impl Report for ConfigReport {
    fn tables(&self) -> Vec<Table> {
        let headers: &[&str] = if self.with_sources {
            &["setting", "value", "source"]
        } else {
            &["setting", "value"]
        };
        let mut table = Table::new(headers.iter().copied());
        for row in &self.settings {
            let mut cells = vec![row.key.to_string(), row.value.clone()];
            if self.with_sources {
                cells.push(row.source.clone());
            }
            table.push(cells);
        }
        vec![table]
    }
}

pub fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let report = ConfigReport {
        settings: rows(&context.settings),
        with_sources: args.sources,
    };
    context.printer.report(&report)
}

/// A setting as `config show` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct SettingRow {
    key: &'static str,
    value: String,
    source: String,
}

/// One row per setting: name, value as shown to people (secrets redacted), and source.
fn rows(settings: &Settings) -> Vec<SettingRow> {
    let mut rows = vec![SettingRow {
        key: "config",
        value: settings
            .config_file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(none)".into()),
        source: if settings.config_file.is_some() {
            "found".into()
        } else {
            "-".into()
        },
    }];
    let project = match &settings.project {
        Some(p) => (p.value.clone(), p.source.to_string()),
        None => ("(unset)".into(), "-".into()),
    };
    rows.push(SettingRow {
        key: "project",
        value: project.0,
        source: project.1,
    });
    rows.push(row(
        "pubsub.endpoint",
        redact::url(&settings.pubsub.value.url),
        &settings.pubsub.source,
    ));
    let credentials = match settings.pubsub.value.credentials {
        Credentials::Anonymous => "anonymous",
        Credentials::ApplicationDefault => "application-default",
    };
    rows.push(row(
        "pubsub.credentials",
        credentials.into(),
        &settings.pubsub.source,
    ));
    rows.push(row(
        "redis.url",
        redact::url(&settings.redis_url.value),
        &settings.redis_url.source,
    ));
    rows.push(row(
        "vespa.endpoint",
        redact::url(&settings.vespa.endpoint.value),
        &settings.vespa.endpoint.source,
    ));
    rows.push(row(
        "vespa.config_endpoint",
        redact::url(&settings.vespa.config_endpoint.value),
        &settings.vespa.config_endpoint.source,
    ));
    let token = match &settings.vespa.token {
        Some(t) => ("***".to_string(), t.source.to_string()),
        None => ("(unset)".into(), "-".into()),
    };
    rows.push(SettingRow {
        key: "vespa.token",
        value: token.0,
        source: token.1,
    });
    for (key, path) in [
        ("vespa.cert", &settings.vespa.cert),
        ("vespa.key", &settings.vespa.key),
        ("vespa.ca_cert", &settings.vespa.ca_cert),
        ("vespa.model_check_dir", &settings.vespa.model_check_dir),
    ] {
        let (value, source) = match path {
            Some(p) => (p.value.display().to_string(), p.source.to_string()),
            None => ("(unset)".into(), "-".into()),
        };
        rows.push(SettingRow { key, value, source });
    }
    rows.push(row(
        "output",
        settings.output.value.to_string(),
        &settings.output.source,
    ));
    rows.push(row(
        "color",
        settings.color.value.to_string(),
        &settings.color.source,
    ));
    let claim_source = match &settings.config_file {
        Some(path) if settings.claim_check != ClaimCheckConfig::default() => {
            Source::ConfigFile(path.clone())
        }
        _ => Source::Default,
    };
    rows.push(row(
        "claim_check.threshold_bytes",
        settings.claim_check.threshold_bytes.to_string(),
        &claim_source,
    ));
    rows.push(row(
        "claim_check.max_message_bytes",
        settings.claim_check.max_message_bytes.to_string(),
        &claim_source,
    ));
    let secret = match &settings.fe_sse.jwt_secret {
        Some(s) => ("***".to_string(), s.source.to_string()),
        None => ("(unset)".into(), "-".into()),
    };
    rows.push(SettingRow {
        key: "fe_sse.jwt_secret",
        value: secret.0,
        source: secret.1,
    });
    let origins = match (
        &settings.config_file,
        settings.fe_sse.allow_origins.is_empty(),
    ) {
        (Some(path), false) => Source::ConfigFile(path.clone()),
        _ => Source::Default,
    };
    rows.push(row(
        "fe_sse.allow_origins",
        if settings.fe_sse.allow_origins.is_empty() {
            "(none)".into()
        } else {
            settings.fe_sse.allow_origins.join(", ")
        },
        &origins,
    ));
    rows
}

fn row(key: &'static str, value: String, source: &Source) -> SettingRow {
    SettingRow {
        key,
        value,
        source: source.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use officectl::settings::{Overrides, resolve};
    use std::collections::HashMap;

    fn rows_with(flags: &Overrides, vars: &[(&str, &str)]) -> Vec<SettingRow> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        rows(&resolve(flags, &move |name| vars.get(name).cloned()).unwrap())
    }

    fn find<'a>(rows: &'a [SettingRow], key: &str) -> (&'a str, &'a str) {
        let row = rows.iter().find(|r| r.key == key).unwrap();
        (row.value.as_str(), row.source.as_str())
    }

    #[test]
    fn the_fe_sse_secret_is_never_shown() {
        let rows = rows_with(
            &Overrides::default(),
            &[(
                "OFFICECTL_FE_SSE_JWT_SECRET",
                "fe-sse-secret-0123456789abcdef0123",
            )],
        );
        assert_eq!(
            find(&rows, "fe_sse.jwt_secret"),
            ("***", "env OFFICECTL_FE_SSE_JWT_SECRET")
        );
        assert_eq!(find(&rows, "fe_sse.allow_origins"), ("(none)", "default"));
    }

    #[test]
    fn rows_redact_secrets() {
        let rows = rows_with(
            &Overrides::default(),
            &[("OFFICECTL_REDIS_URL", "redis://:pw@h:1")],
        );
        assert_eq!(
            find(&rows, "redis.url"),
            ("redis://:***@h:1", "env OFFICECTL_REDIS_URL")
        );
    }

    #[test]
    fn rows_name_each_source() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        std::fs::write(&path, "claim_check:\n  threshold_bytes: 1000\n").unwrap();
        let flags = Overrides {
            config: Some(path.clone()),
            vespa_endpoint: Some("http://flag:1".into()),
            vespa_ca_cert: Some("/ca-flag.pem".into()),
            ..Default::default()
        };
        let rows = rows_with(&flags, &[("OFFICECTL_VESPA_TOKEN", "secret")]);
        let from_file = format!("config {}", path.display());
        assert_eq!(
            find(&rows, "claim_check.threshold_bytes"),
            ("1000", from_file.as_str())
        );
        assert_eq!(
            find(&rows, "vespa.token"),
            ("***", "env OFFICECTL_VESPA_TOKEN")
        );
        assert_eq!(find(&rows, "vespa.ca_cert"), ("/ca-flag.pem", "flag"));
        assert_eq!(find(&rows, "vespa.endpoint"), ("http://flag:1", "flag"));
    }
}
