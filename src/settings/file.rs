//! The config file: its shape, where it is by default, and reading it strictly.

use super::{ColorChoice, OutputFormat, SettingsError, env};
use crate::contacts::config::ContactsConfig;
use crate::model::claim_check::ClaimCheckConfig;
use crate::yaml;
use serde::Deserialize;
use std::path::{Path, PathBuf};

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
    /// Contact discovery: noise filters, the relevance formula, pushes, retention.
    #[serde(default)]
    pub contacts: ContactsConfig,
    /// fe-sse: the browser notifier's token secret and allowed origins.
    #[serde(default)]
    pub fe_sse: FeSseSection,
}

/// `fe_sse:` section of the config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeSseSection {
    /// The HS256 secret of the browsers' bearer tokens (at least 32 bytes).
    pub jwt_secret: Option<String>,
    /// Origins allowed to open event streams from a browser (CORS).
    #[serde(default)]
    pub allow_origins: Vec<String>,
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

pub(super) fn default_config_path(env_var: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env_var(env::XDG_CONFIG_HOME)
        .map(PathBuf::from)
        .or_else(|| env_var(env::HOME).map(|home| Path::new(&home).join(".config")))?;
    Some(base.join("officectl").join("config.yaml"))
}

/// `$XDG_CACHE_HOME/officectl/vespa-model-check`, else under `$HOME/.cache` (the XDG base
/// directory default).
pub(super) fn default_model_check_dir(env_var: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env_var(env::XDG_CACHE_HOME)
        .map(PathBuf::from)
        .or_else(|| env_var(env::HOME).map(|home| Path::new(&home).join(".cache")))?;
    Some(base.join("officectl").join("vespa-model-check"))
}

pub(super) fn read_config(path: &Path) -> Result<ConfigFile, SettingsError> {
    let text = std::fs::read_to_string(path).map_err(|source| SettingsError::ReadConfig {
        path: path.to_path_buf(),
        source,
    })?;
    if text.trim().is_empty() {
        return Ok(ConfigFile::default());
    }
    yaml::parse(&text, path).map_err(SettingsError::ParseConfig)
}
