//! `officectl doctor`: one row per service with status, endpoint and latency.

use super::Context;
use crate::cli::vespa::connection::{self, ConnectionArgs};
use officectl::doctor::{
    self, CheckError, HealthCheck, PubSubCheck, RedisCheck, VespaCheck, VespaConfigCheck,
};
use officectl::pubsub::{Admin, google::GoogleAdmin};
use officectl::vespa::reindex::Application;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Give up on a service after this long (e.g. 500ms, 5s)
    #[arg(long, default_value = "5s", value_parser = officectl::duration::parse)]
    timeout: Duration,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let settings = &context.settings;
    let endpoint = &settings.pubsub.value;
    let admin = GoogleAdmin::connect(endpoint)
        .await
        .map(|a| Arc::new(a) as Arc<dyn Admin>);
    let connection = ConnectionArgs {
        connections: 1,
        max_inflight: None,
        headers: Vec::new(),
    };
    let transport = connection
        .transport(settings)
        .map(Arc::new)
        .map_err(|e| CheckError::VespaClient(format!("{e:#}")));
    let config_endpoint = settings.vespa.config_endpoint.value.clone();
    let config_server = connection::config_server(settings)?;
    let checks: Vec<Box<dyn HealthCheck>> = vec![
        Box::new(PubSubCheck {
            admin,
            project: settings.project.as_ref().map(|p| p.value.clone()),
            endpoint: endpoint.url.clone(),
            emulator: endpoint.is_emulator(),
        }),
        Box::new(RedisCheck {
            url: settings.redis_url.value.clone(),
            token: scratch_token(),
            connect_timeout: args.timeout,
        }),
        Box::new(VespaCheck {
            transport,
            endpoint: settings.vespa.endpoint.value.clone(),
        }),
        Box::new(VespaConfigCheck {
            server: Arc::new(config_server),
            application: Application::default(),
            endpoint: config_endpoint,
        }),
    ];
    let report = doctor::run(&checks, args.timeout).await;
    context.printer.report(&report)?;

    match report.unhealthy() {
        None => Ok(()),
        Some(unhealthy) => Err(unhealthy.into()),
    }
}

/// Unique per run so concurrent doctors never read each other's scratch key.
fn scratch_token() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}-{nanos}", std::process::id())
}
