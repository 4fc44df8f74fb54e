//! The live side of the `topics` commands: the project's admin client and its topics and
//! subscriptions as they are now.

use crate::cli::Context;
use anyhow::Context as _;
use officectl::pubsub::{Admin, google::GoogleAdmin};
use officectl::topics::LiveState;

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
