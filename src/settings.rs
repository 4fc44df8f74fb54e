//! Settings, resolved once before a command runs: flags > `OFFICECTL_*` env > config file >
//! defaults.
//!
//! The binary collects flag values into [`Overrides`] and hands them to [`resolve`] together with
//! a way to read the environment; every command then works from the resolved [`Settings`] and
//! never reads env vars itself. Each value remembers its [`Source`] so `config show --sources`
//! can explain where it came from.

use crate::model::claim_check::ClaimCheckConfig;
use crate::{redact, yaml};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Names of every environment variable officectl reads.
pub mod env {
    /// Path of the config file.
    pub const CONFIG: &str = "OFFICECTL_CONFIG";
    /// Google Cloud project id.
    pub const PROJECT: &str = "OFFICECTL_PROJECT";
    /// Fallback project id, as the Google Cloud tools set it.
    pub const GOOGLE_CLOUD_PROJECT: &str = "GOOGLE_CLOUD_PROJECT";
    /// `host:port` of a Pub/Sub emulator; means plain HTTP and anonymous credentials.
    pub const PUBSUB_EMULATOR_HOST: &str = "PUBSUB_EMULATOR_HOST";
    /// Redis URL.
    pub const REDIS_URL: &str = "OFFICECTL_REDIS_URL";
    /// Output format (`table`, `json`, `yaml`).
    pub const OUTPUT: &str = "OFFICECTL_OUTPUT";
    /// Any non-empty value turns colour off (<https://no-color.org>).
    pub const NO_COLOR: &str = "NO_COLOR";
    /// Base directory for the default config file.
    pub const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";
    /// Fallback base for the default config file.
    pub const HOME: &str = "HOME";
    /// Who runs officectl, recorded in journals and locks.
    pub const USER: &str = "USER";
    /// Vespa container endpoint (`/document/v1`, `/search/`).
    pub const VESPA_ENDPOINT: &str = "OFFICECTL_VESPA_ENDPOINT";
    /// Vespa config server endpoint (reindexing).
    pub const VESPA_CONFIG_ENDPOINT: &str = "OFFICECTL_VESPA_CONFIG_ENDPOINT";
    /// Bearer token for Vespa's data plane (hosted Vespa); never shown.
    pub const VESPA_TOKEN: &str = "OFFICECTL_VESPA_TOKEN";
    /// Client certificate (PEM) for mTLS to Vespa's data plane.
    pub const VESPA_CERT: &str = "OFFICECTL_VESPA_CERT";
    /// Client key (PEM) for mTLS to Vespa's data plane.
    pub const VESPA_KEY: &str = "OFFICECTL_VESPA_KEY";
    /// CA certificate(s) (PEM) trusted for an https:// Vespa endpoint, besides the system roots.
    pub const VESPA_CA_CERT: &str = "OFFICECTL_VESPA_CA_CERT";
    /// Where `vespa check` keeps Vespa's config model and the compiled checker.
    pub const VESPA_MODEL_CHECK_DIR: &str = "OFFICECTL_VESPA_MODEL_CHECK_DIR";
    /// Base directory for the default model-check cache.
    pub const XDG_CACHE_HOME: &str = "XDG_CACHE_HOME";
    /// Where `vespa check` looks for `java`, `javac` and `mvn`.
    pub const PATH: &str = "PATH";
    /// A JDK to prefer over the one on `PATH` (`$JAVA_HOME/bin/java`), as Maven does.
    pub const JAVA_HOME: &str = "JAVA_HOME";
    /// Test-only failure injection (`crate::run::failpoint`): `SITE:N` for the pipelines,
    /// `<step>:before|after` for `migrate`.
    pub const FAILPOINT: &str = "OFFICECTL_FAILPOINT";
    /// Bearer token for a backfill's HTTP export source.
    pub const SOURCE_TOKEN: &str = "OFFICECTL_SOURCE_TOKEN";
}

/// Production Pub/Sub endpoint.
pub const GOOGLE_PUBSUB_ENDPOINT: &str = "https://pubsub.googleapis.com";
/// Vespa container endpoint used when nothing else is set (a local Vespa).
pub const DEFAULT_VESPA_ENDPOINT: &str = "http://127.0.0.1:8080";
/// Vespa config server endpoint used when nothing else is set.
pub const DEFAULT_VESPA_CONFIG_ENDPOINT: &str = "http://127.0.0.1:19071";
/// Redis URL used when nothing else is set.
pub const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379";

/// How reports are written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Table,
    Json,
    Yaml,
}

/// Whether to colour terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

macro_rules! keyword_enum {
    ($ty:ident, $what:literal, { $($word:literal => $variant:ident),+ $(,)? }) => {
        impl $ty {
            /// Every accepted spelling, for help texts and errors.
            pub const NAMES: &'static [&'static str] = &[$($word),+];

            /// The spelling used on the command line and in files.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $word),+ }
            }
        }

        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s.to_ascii_lowercase().as_str() {
                    $($word => Ok($ty::$variant),)+
                    _ => Err(format!(
                        concat!("unknown ", $what, " `{}` (expected one of: {})"),
                        s,
                        Self::NAMES.join(", ")
                    )),
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(OutputFormat, "output format", { "table" => Table, "json" => Json, "yaml" => Yaml });
keyword_enum!(ColorChoice, "color choice", { "auto" => Auto, "always" => Always, "never" => Never });

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "name")]
pub enum Source {
    /// A command-line flag.
    Flag,
    /// The named environment variable.
    Env(String),
    /// The config file at this path.
    ConfigFile(PathBuf),
    /// Built-in default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag => f.write_str("flag"),
            Source::Env(name) => write!(f, "env {name}"),
            Source::ConfigFile(path) => write!(f, "config {}", path.display()),
            Source::Default => f.write_str("default"),
        }
    }
}

/// A value with the place it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

/// Which credentials the Google clients use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credentials {
    /// No credentials: emulators and plain-HTTP test servers.
    Anonymous,
    /// Application Default Credentials, as every Google client finds them.
    ApplicationDefault,
}

/// Where Pub/Sub is and how to authenticate to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PubSubEndpoint {
    /// Base URL, e.g. `https://pubsub.googleapis.com` or `http://127.0.0.1:8085`.
    pub url: String,
    pub credentials: Credentials,
}

impl PubSubEndpoint {
    /// Builds the endpoint for a URL: plain `http://` means a local emulator and anonymous
    /// credentials (tokens are never sent in clear text); `https://` uses ADC.
    pub fn from_url(url: &str) -> Result<Self, String> {
        let url = url.trim_end_matches('/');
        let credentials = if url.starts_with("http://") {
            Credentials::Anonymous
        } else if url.starts_with("https://") {
            Credentials::ApplicationDefault
        } else {
            return Err(format!("`{url}` is not an http:// or https:// URL"));
        };
        if url
            .split_once("://")
            .is_none_or(|(_, host)| host.is_empty())
        {
            return Err(format!("`{url}` has no host"));
        }
        Ok(Self {
            url: url.to_string(),
            credentials,
        })
    }

    /// Builds the endpoint for `PUBSUB_EMULATOR_HOST` (`host:port`, as every Google client reads it).
    pub fn from_emulator_host(host: &str) -> Result<Self, String> {
        if host.contains("://") {
            return Self::from_url(host);
        }
        Self::from_url(&format!("http://{host}"))
    }

    /// Whether this is a local emulator rather than Google's service.
    pub fn is_emulator(&self) -> bool {
        self.credentials == Credentials::Anonymous
    }
}

/// The config file's shape. Unknown keys are errors that name file, line and column.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Google Cloud project id.
    pub project: Option<String>,
    #[serde(default)]
    pub pubsub: PubSubSection,
    #[serde(default)]
    pub redis: RedisSection,
    #[serde(default)]
    pub vespa: VespaSection,
    pub output: Option<OutputFormat>,
    pub color: Option<ColorChoice>,
    /// When payloads are parked in Redis instead of travelling in the message.
    #[serde(default)]
    pub claim_check: ClaimCheckConfig,
}

/// `pubsub:` section of the config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PubSubSection {
    /// Endpoint URL; `http://` means an emulator with anonymous credentials.
    pub endpoint: Option<String>,
}

/// `redis:` section of the config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisSection {
    pub url: Option<String>,
}

/// `vespa:` section of the config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VespaSection {
    /// Container endpoint (`/document/v1`, `/search/`).
    pub endpoint: Option<String>,
    /// Config server endpoint (reindexing).
    pub config_endpoint: Option<String>,
    /// Bearer token for the data plane.
    pub token: Option<String>,
    /// Client certificate and key (PEM files) for mTLS.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    /// CA certificate(s) (PEM file) trusted for https://, besides the system roots.
    pub ca_cert: Option<PathBuf>,
    /// Where `vespa check` keeps Vespa's config model (Maven's downloads) and the checker.
    pub model_check_dir: Option<PathBuf>,
}

/// Where Vespa is and how to authenticate to it.
#[derive(Debug, Clone, Serialize)]
pub struct VespaSettings {
    pub endpoint: Sourced<String>,
    pub config_endpoint: Sourced<String>,
    /// Never serialized: it is a secret.
    #[serde(skip)]
    pub token: Option<Sourced<String>>,
    pub cert: Option<Sourced<PathBuf>>,
    pub key: Option<Sourced<PathBuf>>,
    /// Extra trusted CA certificate(s) for https:// endpoints (a private or self-signed CA).
    pub ca_cert: Option<Sourced<PathBuf>>,
    /// Cache of `vespa check` (`None` without `HOME` or `XDG_CACHE_HOME`).
    pub model_check_dir: Option<Sourced<PathBuf>>,
}

/// Values given as command-line flags (all optional).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub project: Option<String>,
    pub pubsub_endpoint: Option<String>,
    pub redis_url: Option<String>,
    pub vespa_endpoint: Option<String>,
    pub vespa_config_endpoint: Option<String>,
    pub vespa_ca_cert: Option<PathBuf>,
    pub output: Option<OutputFormat>,
    pub color: Option<ColorChoice>,
}

/// Settings could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read config file `{path}`")]
    ReadConfig {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Not a `#[source]`: the YAML error is the message, shown once.
    #[error("invalid config file {0}")]
    ParseConfig(yaml::YamlError),
    #[error("invalid {setting} from {origin}: {message}")]
    Invalid {
        setting: &'static str,
        origin: Source,
        message: String,
    },
    #[error("no Google Cloud project is set")]
    NoProject,
}

/// The resolved settings every command works from.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
    pub project: Option<Sourced<String>>,
    pub pubsub: Sourced<PubSubEndpoint>,
    pub redis_url: Sourced<String>,
    pub vespa: VespaSettings,
    pub output: Sourced<OutputFormat>,
    pub color: Sourced<ColorChoice>,
    /// From the config file's `claim_check:` section, else defaults.
    pub claim_check: ClaimCheckConfig,
}

impl Settings {
    /// The project id, or [`SettingsError::NoProject`] when none is set anywhere.
    pub fn project(&self) -> Result<&str, SettingsError> {
        self.project
            .as_ref()
            .map(|p| p.value.as_str())
            .ok_or(SettingsError::NoProject)
    }

    /// One row per setting: name, value as shown to people (secrets redacted), and source.
    pub fn rows(&self) -> Vec<SettingRow> {
        let mut rows = vec![SettingRow {
            key: "config",
            value: self
                .config_file
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "(none)".into()),
            source: if self.config_file.is_some() {
                "found".into()
            } else {
                "-".into()
            },
        }];
        let project = match &self.project {
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
            redact::url(&self.pubsub.value.url),
            &self.pubsub.source,
        ));
        let credentials = match self.pubsub.value.credentials {
            Credentials::Anonymous => "anonymous",
            Credentials::ApplicationDefault => "application-default",
        };
        rows.push(row(
            "pubsub.credentials",
            credentials.into(),
            &self.pubsub.source,
        ));
        rows.push(row(
            "redis.url",
            redact::url(&self.redis_url.value),
            &self.redis_url.source,
        ));
        rows.push(row(
            "vespa.endpoint",
            redact::url(&self.vespa.endpoint.value),
            &self.vespa.endpoint.source,
        ));
        rows.push(row(
            "vespa.config_endpoint",
            redact::url(&self.vespa.config_endpoint.value),
            &self.vespa.config_endpoint.source,
        ));
        let token = match &self.vespa.token {
            Some(t) => ("***".to_string(), t.source.to_string()),
            None => ("(unset)".into(), "-".into()),
        };
        rows.push(SettingRow {
            key: "vespa.token",
            value: token.0,
            source: token.1,
        });
        for (key, path) in [
            ("vespa.cert", &self.vespa.cert),
            ("vespa.key", &self.vespa.key),
            ("vespa.ca_cert", &self.vespa.ca_cert),
            ("vespa.model_check_dir", &self.vespa.model_check_dir),
        ] {
            let (value, source) = match path {
                Some(p) => (p.value.display().to_string(), p.source.to_string()),
                None => ("(unset)".into(), "-".into()),
            };
            rows.push(SettingRow { key, value, source });
        }
        rows.push(row(
            "output",
            self.output.value.to_string(),
            &self.output.source,
        ));
        rows.push(row(
            "color",
            self.color.value.to_string(),
            &self.color.source,
        ));
        let claim_source = match &self.config_file {
            Some(path) if self.claim_check != ClaimCheckConfig::default() => {
                Source::ConfigFile(path.clone())
            }
            _ => Source::Default,
        };
        rows.push(row(
            "claim_check.threshold_bytes",
            self.claim_check.threshold_bytes.to_string(),
            &claim_source,
        ));
        rows.push(row(
            "claim_check.max_message_bytes",
            self.claim_check.max_message_bytes.to_string(),
            &claim_source,
        ));
        rows
    }
}

fn row(key: &'static str, value: String, source: &Source) -> SettingRow {
    SettingRow {
        key,
        value,
        source: source.to_string(),
    }
}

/// A setting as `config show` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingRow {
    pub key: &'static str,
    pub value: String,
    pub source: String,
}

/// Reads the environment; injected so resolution is testable.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Resolves settings from flags, the environment, the config file and defaults, in that order.
pub fn resolve(flags: &Overrides, env_lookup: EnvLookup<'_>) -> Result<Settings, SettingsError> {
    // Empty env vars count as unset, as most tools treat them.
    let env_var = |name: &str| env_lookup(name).filter(|v| !v.is_empty());

    let config_path = match (&flags.config, env_var(env::CONFIG)) {
        (Some(path), _) => Some(path.clone()),
        (None, Some(path)) => Some(PathBuf::from(path)),
        (None, None) => default_config_path(&env_var).filter(|p| p.is_file()),
    };
    let file = match &config_path {
        Some(path) => read_config(path)?,
        None => ConfigFile::default(),
    };
    let from_file = |value: Option<&String>| -> Option<Sourced<String>> {
        let path = config_path.clone()?;
        value.map(|v| Sourced {
            value: v.clone(),
            source: Source::ConfigFile(path),
        })
    };
    let from_flag = |value: &Option<String>| {
        value.clone().map(|v| Sourced {
            value: v,
            source: Source::Flag,
        })
    };
    let from_env = |name: &str| {
        env_var(name).map(|v| Sourced {
            value: v,
            source: Source::Env(name.to_string()),
        })
    };

    let project = from_flag(&flags.project)
        .or_else(|| from_env(env::PROJECT))
        .or_else(|| from_env(env::GOOGLE_CLOUD_PROJECT))
        .or_else(|| from_file(file.project.as_ref()));

    let pubsub = resolve_pubsub(
        from_flag(&flags.pubsub_endpoint),
        from_env(env::PUBSUB_EMULATOR_HOST),
        from_file(file.pubsub.endpoint.as_ref()),
    )?;

    let redis_url = from_flag(&flags.redis_url)
        .or_else(|| from_env(env::REDIS_URL))
        .or_else(|| from_file(file.redis.url.as_ref()))
        .unwrap_or_else(|| Sourced {
            value: DEFAULT_REDIS_URL.into(),
            source: Source::Default,
        });
    check_redis_url(&redis_url)?;

    let mut vespa = resolve_vespa(flags, &from_flag, &from_env, &from_file, &file.vespa)?;
    if vespa.model_check_dir.is_none() {
        vespa.model_check_dir = default_model_check_dir(&env_var).map(|value| Sourced {
            value,
            source: Source::Default,
        });
    }

    let output = match (flags.output, env_var(env::OUTPUT), file.output) {
        (Some(value), _, _) => Sourced {
            value,
            source: Source::Flag,
        },
        (None, Some(raw), _) => {
            let source = Source::Env(env::OUTPUT.into());
            let value = raw.parse().map_err(|message| SettingsError::Invalid {
                setting: "output",
                origin: source.clone(),
                message,
            })?;
            Sourced { value, source }
        }
        (None, None, Some(value)) => Sourced {
            value,
            source: file_source(&config_path),
        },
        (None, None, None) => Sourced {
            value: OutputFormat::Table,
            source: Source::Default,
        },
    };

    let color = match (flags.color, env_var(env::NO_COLOR), file.color) {
        (Some(value), _, _) => Sourced {
            value,
            source: Source::Flag,
        },
        (None, Some(_), _) => Sourced {
            value: ColorChoice::Never,
            source: Source::Env(env::NO_COLOR.into()),
        },
        (None, None, Some(value)) => Sourced {
            value,
            source: file_source(&config_path),
        },
        (None, None, None) => Sourced {
            value: ColorChoice::Auto,
            source: Source::Default,
        },
    };

    file.claim_check
        .validate()
        .map_err(|err| SettingsError::Invalid {
            setting: "claim_check",
            origin: file_source(&config_path),
            message: err.to_string(),
        })?;

    Ok(Settings {
        config_file: config_path,
        project,
        pubsub,
        redis_url,
        vespa,
        output,
        color,
        claim_check: file.claim_check,
    })
}

type Lookup<'a> = &'a dyn Fn(&str) -> Option<Sourced<String>>;

fn resolve_vespa(
    flags: &Overrides,
    from_flag: &dyn Fn(&Option<String>) -> Option<Sourced<String>>,
    from_env: Lookup<'_>,
    from_file: &dyn Fn(Option<&String>) -> Option<Sourced<String>>,
    file: &VespaSection,
) -> Result<VespaSettings, SettingsError> {
    let url = |setting: &'static str,
               flag: &Option<String>,
               env_name: &str,
               in_file: Option<&String>,
               default: &str|
     -> Result<Sourced<String>, SettingsError> {
        let value = from_flag(flag)
            .or_else(|| from_env(env_name))
            .or_else(|| from_file(in_file))
            .unwrap_or_else(|| Sourced {
                value: default.into(),
                source: Source::Default,
            });
        let trimmed = value.value.trim_end_matches('/');
        let ok = ["http://", "https://"].iter().any(|scheme| {
            trimmed
                .strip_prefix(scheme)
                .is_some_and(|host| !host.is_empty())
        });
        if !ok {
            return Err(SettingsError::Invalid {
                setting,
                origin: value.source,
                message: format!(
                    "`{}` is not an http:// or https:// URL with a host",
                    redact::url(&value.value)
                ),
            });
        }
        Ok(Sourced {
            value: trimmed.to_string(),
            source: value.source,
        })
    };
    let endpoint = url(
        "vespa endpoint",
        &flags.vespa_endpoint,
        env::VESPA_ENDPOINT,
        file.endpoint.as_ref(),
        DEFAULT_VESPA_ENDPOINT,
    )?;
    let config_endpoint = url(
        "vespa config endpoint",
        &flags.vespa_config_endpoint,
        env::VESPA_CONFIG_ENDPOINT,
        file.config_endpoint.as_ref(),
        DEFAULT_VESPA_CONFIG_ENDPOINT,
    )?;
    let token = from_env(env::VESPA_TOKEN).or_else(|| from_file(file.token.as_ref()));
    let path = |env_name: &str, in_file: &Option<PathBuf>| {
        from_env(env_name)
            .map(|s| Sourced {
                value: PathBuf::from(s.value),
                source: s.source,
            })
            .or_else(|| {
                let text = in_file.as_ref().map(|p| p.display().to_string());
                from_file(text.as_ref()).map(|s| Sourced {
                    value: PathBuf::from(s.value),
                    source: s.source,
                })
            })
    };
    // Not a secret, so unlike the token and the client key it also has a flag.
    let ca_cert = flags
        .vespa_ca_cert
        .clone()
        .map(|value| Sourced {
            value,
            source: Source::Flag,
        })
        .or_else(|| path(env::VESPA_CA_CERT, &file.ca_cert));
    Ok(VespaSettings {
        endpoint,
        config_endpoint,
        token,
        cert: path(env::VESPA_CERT, &file.cert),
        key: path(env::VESPA_KEY, &file.key),
        ca_cert,
        model_check_dir: path(env::VESPA_MODEL_CHECK_DIR, &file.model_check_dir),
    })
}

fn file_source(path: &Option<PathBuf>) -> Source {
    path.clone()
        .map(Source::ConfigFile)
        .unwrap_or(Source::Default)
}

fn resolve_pubsub(
    flag: Option<Sourced<String>>,
    emulator_host: Option<Sourced<String>>,
    file: Option<Sourced<String>>,
) -> Result<Sourced<PubSubEndpoint>, SettingsError> {
    let (parsed, source) = if let Some(s) = flag {
        (PubSubEndpoint::from_url(&s.value), s.source)
    } else if let Some(s) = emulator_host {
        (PubSubEndpoint::from_emulator_host(&s.value), s.source)
    } else if let Some(s) = file {
        (PubSubEndpoint::from_url(&s.value), s.source)
    } else {
        (
            PubSubEndpoint::from_url(GOOGLE_PUBSUB_ENDPOINT),
            Source::Default,
        )
    };
    match parsed {
        Ok(value) => Ok(Sourced { value, source }),
        Err(message) => Err(SettingsError::Invalid {
            setting: "pubsub endpoint",
            origin: source,
            message,
        }),
    }
}

fn check_redis_url(url: &Sourced<String>) -> Result<(), SettingsError> {
    let ok = ["redis://", "rediss://", "unix://", "redis+unix://"]
        .iter()
        .any(|scheme| url.value.starts_with(scheme));
    if ok {
        Ok(())
    } else {
        Err(SettingsError::Invalid {
            setting: "redis url",
            origin: url.source.clone(),
            message: format!(
                "`{}` must start with redis://, rediss:// or unix://",
                redact::url(&url.value)
            ),
        })
    }
}

fn default_config_path(env_var: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env_var(env::XDG_CONFIG_HOME)
        .map(PathBuf::from)
        .or_else(|| env_var(env::HOME).map(|home| Path::new(&home).join(".config")))?;
    Some(base.join("officectl").join("config.yaml"))
}

/// `$XDG_CACHE_HOME/officectl/vespa-model-check`, else under `$HOME/.cache` (the XDG base
/// directory default).
fn default_model_check_dir(env_var: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env_var(env::XDG_CACHE_HOME)
        .map(PathBuf::from)
        .or_else(|| env_var(env::HOME).map(|home| Path::new(&home).join(".cache")))?;
    Some(base.join("officectl").join("vespa-model-check"))
}

fn read_config(path: &Path) -> Result<ConfigFile, SettingsError> {
    let text = std::fs::read_to_string(path).map_err(|source| SettingsError::ReadConfig {
        path: path.to_path_buf(),
        source,
    })?;
    if text.trim().is_empty() {
        return Ok(ConfigFile::default());
    }
    yaml::parse(&text, path).map_err(SettingsError::ParseConfig)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve_with(flags: &Overrides, vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        resolve(flags, &move |name| vars.get(name).cloned())
    }

    fn write_config(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let s = resolve_with(&Overrides::default(), &[]).unwrap();
        assert!(s.project.is_none());
        assert_eq!(s.pubsub.value.url, GOOGLE_PUBSUB_ENDPOINT);
        assert_eq!(s.pubsub.value.credentials, Credentials::ApplicationDefault);
        assert_eq!(s.redis_url.value, DEFAULT_REDIS_URL);
        assert_eq!(s.output.value, OutputFormat::Table);
        assert_eq!(s.color.value, ColorChoice::Auto);
        assert!(matches!(s.project(), Err(SettingsError::NoProject)));
    }

    #[test]
    fn flags_beat_env_beat_file() {
        let (_dir, path) = write_config(
            "project: from-file\nredis:\n  url: redis://file:1\noutput: yaml\npubsub:\n  endpoint: http://file:2\n",
        );
        let vars = [
            ("OFFICECTL_PROJECT", "from-env"),
            ("OFFICECTL_REDIS_URL", "redis://env:1"),
        ];
        let flags = Overrides {
            config: Some(path.clone()),
            ..Default::default()
        };
        let s = resolve_with(&flags, &vars).unwrap();
        assert_eq!(s.project.as_ref().unwrap().value, "from-env");
        assert_eq!(
            s.project.as_ref().unwrap().source,
            Source::Env("OFFICECTL_PROJECT".into())
        );
        assert_eq!(s.redis_url.value, "redis://env:1");
        assert_eq!(s.output.value, OutputFormat::Yaml);
        assert_eq!(s.output.source, Source::ConfigFile(path.clone()));
        assert_eq!(s.pubsub.value.url, "http://file:2");

        let flags = Overrides {
            config: Some(path),
            project: Some("from-flag".into()),
            output: Some(OutputFormat::Json),
            ..Default::default()
        };
        let s = resolve_with(&flags, &vars).unwrap();
        assert_eq!(s.project.unwrap().source, Source::Flag);
        assert_eq!(s.output.value, OutputFormat::Json);
    }

    #[test]
    fn google_cloud_project_is_the_fallback() {
        let s = resolve_with(&Overrides::default(), &[("GOOGLE_CLOUD_PROJECT", "g")]).unwrap();
        assert_eq!(s.project.unwrap().value, "g");
        let both = [("GOOGLE_CLOUD_PROJECT", "g"), ("OFFICECTL_PROJECT", "o")];
        let s = resolve_with(&Overrides::default(), &both).unwrap();
        assert_eq!(s.project.unwrap().value, "o");
    }

    #[test]
    fn emulator_host_means_plain_http_and_anonymous() {
        let s = resolve_with(
            &Overrides::default(),
            &[("PUBSUB_EMULATOR_HOST", "127.0.0.1:8085")],
        )
        .unwrap();
        assert_eq!(s.pubsub.value.url, "http://127.0.0.1:8085");
        assert!(s.pubsub.value.is_emulator());
        let flags = Overrides {
            pubsub_endpoint: Some("https://eu-pubsub.example".into()),
            ..Default::default()
        };
        let s = resolve_with(&flags, &[("PUBSUB_EMULATOR_HOST", "127.0.0.1:8085")]).unwrap();
        assert_eq!(s.pubsub.value.credentials, Credentials::ApplicationDefault);
        assert_eq!(s.pubsub.source, Source::Flag);
    }

    #[test]
    fn no_color_turns_colour_off_unless_a_flag_says_otherwise() {
        let s = resolve_with(&Overrides::default(), &[("NO_COLOR", "1")]).unwrap();
        assert_eq!(s.color.value, ColorChoice::Never);
        let flags = Overrides {
            color: Some(ColorChoice::Always),
            ..Default::default()
        };
        let s = resolve_with(&flags, &[("NO_COLOR", "1")]).unwrap();
        assert_eq!(s.color.value, ColorChoice::Always);
    }

    #[test]
    fn empty_env_vars_are_unset() {
        let s = resolve_with(&Overrides::default(), &[("OFFICECTL_PROJECT", "")]).unwrap();
        assert!(s.project.is_none());
    }

    #[test]
    fn bad_values_name_setting_and_source() {
        let err = resolve_with(&Overrides::default(), &[("OFFICECTL_OUTPUT", "xml")]).unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains("output") && shown.contains("OFFICECTL_OUTPUT"),
            "{shown}"
        );
        assert!(shown.contains("`xml`"), "{shown}");

        let err = resolve_with(
            &Overrides::default(),
            &[("OFFICECTL_REDIS_URL", "http://x")],
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("redis url from env OFFICECTL_REDIS_URL"),
            "{err}"
        );
    }

    #[test]
    fn config_typos_fail_with_location() {
        let (_dir, path) = write_config("project: p\nredis:\n  uri: redis://x\n");
        let flags = Overrides {
            config: Some(path),
            ..Default::default()
        };
        let err = resolve_with(&flags, &[]).unwrap_err();
        let SettingsError::ParseConfig(inner) = err else {
            panic!("wrong error: {err}")
        };
        assert_eq!(inner.line, Some(3));
        assert!(
            inner.message.contains("unknown field `uri`"),
            "{}",
            inner.message
        );
    }

    #[test]
    fn claim_check_settings_come_from_the_file_and_are_checked() {
        let (_dir, path) =
            write_config("claim_check:\n  threshold_bytes: 1000\n  ttl:\n    email: 2d\n");
        let flags = Overrides {
            config: Some(path.clone()),
            ..Default::default()
        };
        let s = resolve_with(&flags, &[]).unwrap();
        assert_eq!(s.claim_check.threshold_bytes, 1000);
        let row = s
            .rows()
            .into_iter()
            .find(|r| r.key == "claim_check.threshold_bytes")
            .unwrap();
        assert_eq!(row.source, format!("config {}", path.display()));

        let (_dir, path) = write_config("claim_check:\n  max_message_bytes: 20000000\n");
        let flags = Overrides {
            config: Some(path),
            ..Default::default()
        };
        let err = resolve_with(&flags, &[]).unwrap_err();
        assert!(
            err.to_string().contains("invalid claim_check from config"),
            "{err}"
        );
    }

    #[test]
    fn missing_explicit_config_is_an_error() {
        let flags = Overrides {
            config: Some("/nonexistent/officectl.yaml".into()),
            ..Default::default()
        };
        let err = resolve_with(&flags, &[]).unwrap_err();
        assert!(
            err.to_string().contains("/nonexistent/officectl.yaml"),
            "{err}"
        );
    }

    #[test]
    fn default_config_location_is_used_when_present() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("officectl")).unwrap();
        std::fs::write(dir.path().join("officectl/config.yaml"), "project: xdg\n").unwrap();
        let base = dir.path().to_str().unwrap();
        let s = resolve_with(&Overrides::default(), &[("XDG_CONFIG_HOME", base)]).unwrap();
        assert_eq!(s.project.unwrap().value, "xdg");
    }

    #[test]
    fn the_model_check_dir_resolves_env_file_then_the_cache_default() {
        let s = resolve_with(&Overrides::default(), &[]).unwrap();
        assert!(s.vespa.model_check_dir.is_none(), "no HOME, no default");
        let s = resolve_with(&Overrides::default(), &[("HOME", "/home/sre")]).unwrap();
        let dir = s.vespa.model_check_dir.unwrap();
        assert_eq!(
            dir.value,
            PathBuf::from("/home/sre/.cache/officectl/vespa-model-check")
        );
        assert_eq!(dir.source, Source::Default);
        let vars = [("HOME", "/home/sre"), ("XDG_CACHE_HOME", "/xdg")];
        let s = resolve_with(&Overrides::default(), &vars).unwrap();
        assert_eq!(
            s.vespa.model_check_dir.unwrap().value,
            PathBuf::from("/xdg/officectl/vespa-model-check")
        );

        let (_dir, path) = write_config("vespa:\n  model_check_dir: /from-file\n");
        let flags = Overrides {
            config: Some(path.clone()),
            ..Default::default()
        };
        let s = resolve_with(&flags, &vars).unwrap();
        let dir = s.vespa.model_check_dir.unwrap();
        assert_eq!(dir.value, PathBuf::from("/from-file"));
        assert_eq!(dir.source, Source::ConfigFile(path));
        let vars = [("OFFICECTL_VESPA_MODEL_CHECK_DIR", "/from-env")];
        let s = resolve_with(&flags, &vars).unwrap();
        let dir = s.vespa.model_check_dir.unwrap();
        assert_eq!(dir.value, PathBuf::from("/from-env"));
        assert_eq!(
            dir.source,
            Source::Env("OFFICECTL_VESPA_MODEL_CHECK_DIR".into())
        );
    }

    #[test]
    fn vespa_endpoints_resolve_flags_env_file_defaults() {
        let s = resolve_with(&Overrides::default(), &[]).unwrap();
        assert_eq!(s.vespa.endpoint.value, DEFAULT_VESPA_ENDPOINT);
        assert_eq!(s.vespa.config_endpoint.source, Source::Default);
        assert!(s.vespa.token.is_none());

        let (_dir, path) = write_config(
            "vespa:\n  endpoint: https://file:1/\n  config_endpoint: http://file:2\n  token: t0k\n  cert: /c.pem\n  key: /k.pem\n  ca_cert: /ca-file.pem\n",
        );
        let flags = Overrides {
            config: Some(path.clone()),
            ..Default::default()
        };
        let s = resolve_with(&flags, &[]).unwrap();
        assert_eq!(s.vespa.endpoint.value, "https://file:1");
        assert_eq!(s.vespa.config_endpoint.value, "http://file:2");
        assert_eq!(s.vespa.token.as_ref().unwrap().value, "t0k");
        assert_eq!(
            s.vespa.cert.as_ref().unwrap().value,
            PathBuf::from("/c.pem")
        );
        assert_eq!(
            s.vespa.key.as_ref().unwrap().source,
            Source::ConfigFile(path.clone())
        );
        assert_eq!(
            s.vespa.ca_cert.as_ref().unwrap().value,
            PathBuf::from("/ca-file.pem")
        );

        let vars = [
            ("OFFICECTL_VESPA_ENDPOINT", "http://env:1"),
            ("OFFICECTL_VESPA_CONFIG_ENDPOINT", "http://env:2"),
            ("OFFICECTL_VESPA_TOKEN", "secret"),
            ("OFFICECTL_VESPA_CA_CERT", "/ca-env.pem"),
        ];
        let s = resolve_with(&flags, &vars).unwrap();
        assert_eq!(s.vespa.endpoint.value, "http://env:1");
        assert_eq!(
            s.vespa.ca_cert.as_ref().unwrap().value,
            PathBuf::from("/ca-env.pem")
        );
        assert_eq!(
            s.vespa.ca_cert.as_ref().unwrap().source,
            Source::Env("OFFICECTL_VESPA_CA_CERT".into())
        );
        assert_eq!(
            s.vespa.config_endpoint.source,
            Source::Env("OFFICECTL_VESPA_CONFIG_ENDPOINT".into())
        );
        let flags = Overrides {
            config: Some(path),
            vespa_endpoint: Some("http://flag:1".into()),
            vespa_config_endpoint: Some("http://flag:2".into()),
            vespa_ca_cert: Some("/ca-flag.pem".into()),
            ..Default::default()
        };
        let s = resolve_with(&flags, &vars).unwrap();
        assert_eq!(s.vespa.endpoint.value, "http://flag:1");
        assert_eq!(
            s.vespa.ca_cert.as_ref().unwrap().value,
            PathBuf::from("/ca-flag.pem")
        );
        assert_eq!(s.vespa.config_endpoint.source, Source::Flag);
        let rows = s.rows();
        let token = rows.iter().find(|r| r.key == "vespa.token").unwrap();
        assert_eq!(token.value, "***");
        assert_eq!(token.source, "env OFFICECTL_VESPA_TOKEN");
        let ca = rows.iter().find(|r| r.key == "vespa.ca_cert").unwrap();
        assert_eq!(
            (ca.value.as_str(), ca.source.as_str()),
            ("/ca-flag.pem", "flag")
        );
        let endpoint = rows.iter().find(|r| r.key == "vespa.endpoint").unwrap();
        assert_eq!(
            (endpoint.value.as_str(), endpoint.source.as_str()),
            ("http://flag:1", "flag")
        );
        assert!(!serde_json::to_string(&s).unwrap().contains("secret"));

        let err = resolve_with(
            &Overrides::default(),
            &[("OFFICECTL_VESPA_ENDPOINT", "vespa:8080")],
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("invalid vespa endpoint from env OFFICECTL_VESPA_ENDPOINT"),
            "{err}"
        );
    }

    #[test]
    fn rows_redact_secrets() {
        let s = resolve_with(
            &Overrides::default(),
            &[("OFFICECTL_REDIS_URL", "redis://:pw@h:1")],
        )
        .unwrap();
        let redis = s.rows().into_iter().find(|r| r.key == "redis.url").unwrap();
        assert_eq!(redis.value, "redis://:***@h:1");
        assert_eq!(redis.source, "env OFFICECTL_REDIS_URL");
    }
}
