//! `--layout FILE` and `--env ENV`: which layout a `topics` or `migrate` command reads.

use officectl::topics::{Layout, LayoutError, layout};
use std::path::PathBuf;

/// Which layout to read.
#[derive(Debug, clap::Args)]
pub struct LayoutArgs {
    /// Layout file declaring the topics and subscriptions
    #[arg(long, value_name = "FILE", default_value = layout::DEFAULT_PATH)]
    pub layout: PathBuf,

    /// Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
}

impl LayoutArgs {
    /// Loads and checks the layout (and its overlay).
    pub fn load(&self) -> Result<Layout, LayoutError> {
        Layout::load(&self.layout, self.env.as_deref())
    }

    /// `--layout FILE` and `--env ENV` as arguments, to run another command on the same layout.
    pub fn flags(&self) -> Vec<String> {
        let mut flags = vec!["--layout".to_string(), self.layout.display().to_string()];
        if let Some(env) = &self.env {
            flags.push("--env".to_string());
            flags.push(env.clone());
        }
        flags
    }

    /// These flags as they would be typed again, for hints.
    pub fn as_flags(&self) -> String {
        let mut flags = String::new();
        if self.layout.as_path() != std::path::Path::new(layout::DEFAULT_PATH) {
            flags.push_str(&format!(" --layout {}", self.layout.display()));
        }
        if let Some(env) = &self.env {
            flags.push_str(&format!(" --env {env}"));
        }
        flags
    }
}
