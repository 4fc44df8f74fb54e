//! What every `topics` command shares: the layout flags, the admin client, the live state.

use crate::cli::{Context, error::with_hint};
use anyhow::Context as _;
use officectl::pubsub::{Admin, google::GoogleAdmin};
use officectl::topology::{Layout, LiveState, layout};
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
    pub fn load(&self) -> anyhow::Result<Layout> {
        Layout::load(&self.layout, self.env.as_deref())
            .map_err(|err| with_hint(err, "fix the layout; docs/topology.md describes the format"))
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

/// The project id and an admin client for the configured endpoint.
pub async fn connect(context: &Context) -> anyhow::Result<(String, GoogleAdmin)> {
    let project = context.settings.project()?.to_string();
    let admin = GoogleAdmin::connect(&context.settings.pubsub.value).await?;
    Ok((project, admin))
}

/// Every live topic and subscription of `project` (paged list calls).
pub async fn read_live(admin: &dyn Admin, project: &str) -> anyhow::Result<LiveState> {
    LiveState::read(admin, project)
        .await
        .with_context(|| format!("cannot read the topics and subscriptions of project `{project}`"))
}
