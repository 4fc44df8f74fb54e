//! Flags every command accepts.

use clap::{ArgAction, Args, ValueEnum};
use officectl::settings::{ColorChoice, OutputFormat, Overrides};
use std::path::PathBuf;

/// Global options, flattened into the top-level command and accepted after any subcommand.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]
    #[arg(long, global = true, value_name = "ID")]
    pub project: Option<String>,

    /// Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]
    #[arg(long, global = true, value_name = "URL")]
    pub pubsub_endpoint: Option<String>,

    /// Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]
    #[arg(long, global = true, value_name = "URL")]
    pub redis_url: Option<String>,

    /// Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]
    #[arg(long, global = true, value_name = "URL")]
    pub vespa_endpoint: Option<String>,

    /// Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]
    #[arg(long, global = true, value_name = "URL")]
    pub vespa_config_endpoint: Option<String>,

    /// CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]
    #[arg(long, global = true, value_name = "FILE")]
    pub vespa_ca_cert: Option<PathBuf>,

    /// Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]
    #[arg(short = 'o', long, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputArg>,

    /// More detail on stderr (repeat for more)
    #[arg(short, long, global = true, action = ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Only data and errors: no status lines, no progress
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Never draw progress bars
    #[arg(long, global = true)]
    pub no_progress: bool,

    /// When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorArg>,
}

/// `-o` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutputArg {
    Table,
    Json,
    Yaml,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

impl GlobalArgs {
    /// The flag layer of the settings.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            project: self.project.clone(),
            pubsub_endpoint: self.pubsub_endpoint.clone(),
            redis_url: self.redis_url.clone(),
            vespa_endpoint: self.vespa_endpoint.clone(),
            vespa_config_endpoint: self.vespa_config_endpoint.clone(),
            vespa_ca_cert: self.vespa_ca_cert.clone(),
            output: self.output.map(|o| match o {
                OutputArg::Table => OutputFormat::Table,
                OutputArg::Json => OutputFormat::Json,
                OutputArg::Yaml => OutputFormat::Yaml,
            }),
            color: self.color.map(|c| match c {
                ColorArg::Auto => ColorChoice::Auto,
                ColorArg::Always => ColorChoice::Always,
                ColorArg::Never => ColorChoice::Never,
            }),
        }
    }
}
