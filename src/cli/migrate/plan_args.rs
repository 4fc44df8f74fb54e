//! `FILE` and the layout flags of `migrate plan|apply|rollback`: the plan, checked against the
//! layout it refers to.

use crate::cli::topics::layout_args::LayoutArgs;
use officectl::migrate::plan::{self, KnownResources, MigrationPlan};
use officectl::topics::Layout;
use std::path::PathBuf;

/// The plan file and the layout it refers to.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// Migration plan (YAML), e.g. plans/migrations/emails.yaml
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub layout: LayoutArgs,
}

impl PlanArgs {
    /// Loads the layout, then the plan checked against it.
    pub fn load(&self) -> anyhow::Result<(Layout, MigrationPlan)> {
        let layout = self.layout.load()?;
        let plan = plan::load(&self.file, &KnownResources::of(&layout))?;
        Ok((layout, plan))
    }

    /// The plan file and layout flags as typed, for hints.
    pub fn as_args(&self) -> String {
        format!("{}{}", self.file.display(), self.layout.as_flags())
    }
}
