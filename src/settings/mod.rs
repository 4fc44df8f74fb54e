//! Settings, resolved once before a command runs: flags > `OFFICECTL_*` env > config file >
//! defaults.
//!
//! The binary collects flag values into [`Overrides`] and hands them to [`resolve`] together with
//! a way to read the environment; every command then works from the resolved [`Settings`] and
//! never reads env vars itself. Each value remembers its [`Source`] so `config show --sources`
//! can explain where it came from.

mod file;
mod resolve;

#[cfg(test)]
mod tests;

pub mod env;

pub use file::{ConfigFile, FeSseSection, PubSubSection, RedisSection, VespaSection};
pub use resolve::{EnvLookup, resolve};
// Where Pub/Sub is belongs to the adapter; the settings carry it.
pub use crate::pubsub::{Credentials, EndpointError, PubSubEndpoint};

use crate::model::claim_check::ClaimCheckConfig;
use crate::run::failpoint::{FailpointError, Failpoints};
use crate::yaml;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

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
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, ValueError> {
                match s.to_ascii_lowercase().as_str() {
                    $($word => Ok($ty::$variant),)+
                    _ => Err(ValueError::UnknownKeyword {
                        what: $what,
                        given: s.into(),
                        expected: Self::NAMES,
                    }),
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

/// Why a setting's value was refused (URLs are shown with their secrets redacted).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("unknown {what} `{given}` (expected one of: {})", expected.join(", "))]
    UnknownKeyword {
        what: &'static str,
        given: String,
        expected: &'static [&'static str],
    },
    #[error(transparent)]
    PubSubEndpoint(#[from] EndpointError),
    #[error("`{0}` is not an http:// or https:// URL with a host")]
    NotHttpWithHost(String),
    #[error("`{0}` must start with redis://, rediss:// or unix://")]
    NotRedis(String),
    #[error(transparent)]
    ClaimCheck(#[from] crate::model::claim_check::ConfigError),
    #[error(transparent)]
    Contacts(#[from] crate::contacts::config::ContactsConfigError),
    #[error(transparent)]
    Failpoint(#[from] FailpointError),
    #[error(transparent)]
    Namespace(crate::namespace::NamespaceError),
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
    #[error("invalid {setting} from {origin}: {problem}")]
    Invalid {
        setting: &'static str,
        origin: Source,
        problem: ValueError,
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
    /// The [`crate::namespace`] every name is built in (`OFFICECTL_NAMESPACE`; a drill sets it
    /// for the commands and consumers it runs). Entered by the binary before a command runs.
    pub namespace: Option<Sourced<String>>,
    pub pubsub: Sourced<PubSubEndpoint>,
    pub redis_url: Sourced<String>,
    pub vespa: VespaSettings,
    pub output: Sourced<OutputFormat>,
    pub color: Sourced<ColorChoice>,
    /// From the config file's `claim_check:` section, else defaults.
    pub claim_check: ClaimCheckConfig,
    /// From the config file's `contacts:` section, else defaults.
    pub contacts: crate::contacts::config::ContactsConfig,
    /// `$USER`: who runs officectl, as migration journals and locks record it.
    pub user: Option<String>,
    /// Test-only failure injection (`OFFICECTL_FAILPOINT`); none in production.
    #[serde(skip)]
    pub failpoints: Failpoints,
    /// Bearer token of a backfill's HTTP export source (`OFFICECTL_SOURCE_TOKEN`); never shown.
    #[serde(skip)]
    pub source_token: Option<String>,
    /// fe-sse: the token secret and the allowed origins.
    pub fe_sse: FeSseSettings,
}

/// fe-sse's settings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FeSseSettings {
    /// The HS256 secret of the browsers' tokens (`OFFICECTL_FE_SSE_JWT_SECRET`, else
    /// `fe_sse.jwt_secret`); never serialized.
    #[serde(skip)]
    pub jwt_secret: Option<Sourced<String>>,
    /// Origins allowed to read event streams from a browser (`fe_sse.allow_origins`).
    pub allow_origins: Vec<String>,
}

impl Settings {
    /// The project id, or [`SettingsError::NoProject`] when none is set anywhere.
    pub fn project(&self) -> Result<&str, SettingsError> {
        self.project
            .as_ref()
            .map(|p| p.value.as_str())
            .ok_or(SettingsError::NoProject)
    }
}
