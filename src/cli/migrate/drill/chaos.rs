//! `--chaos` for the loader: killed (SIGKILL) at seeded points, and started again at once.

use super::children::{LoaderSlot, Officectl};
use super::phases::PhaseLog;
use officectl::migrate::drill::dice::Dice;
use officectl::run::CancellationToken;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Kills the loader (SIGKILL) every 4 to 10 s, at seeded points, and starts a new one.
pub(super) async fn loader_chaos(
    loader: LoaderSlot,
    children: Officectl,
    args: Vec<String>,
    dice: Arc<Mutex<Dice>>,
    log: PhaseLog,
    stop: CancellationToken,
) {
    loop {
        let wait = dice
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .between(Duration::from_secs(4), Duration::from_secs(10));
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        let mut child = loader.lock().await;
        let _ = child.kill().await;
        let what = match children.spawn(&args, "loader") {
            Ok(fresh) => {
                *child = fresh;
                "chaos: killed the loader (SIGKILL) and started a new one".to_string()
            }
            Err(err) => format!("chaos: killed the loader; a new one did not start: {err}"),
        };
        log.record(what);
    }
}
