//! Names of every environment variable officectl reads.

/// Path of the config file.
pub const CONFIG: &str = "OFFICECTL_CONFIG";
/// The namespace every name is built in (`crate::namespace`); set by `migrate drill` for the
/// commands it runs.
pub const NAMESPACE: &str = "OFFICECTL_NAMESPACE";
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
/// fe-sse's HS256 token secret; never shown.
pub const FE_SSE_JWT_SECRET: &str = "OFFICECTL_FE_SSE_JWT_SECRET";
