//! Ctrl-C and SIGTERM for the commands that stop gracefully: the first signal cancels the run's
//! token (it finishes what is in flight, writes its checkpoint and exits 130); a second one
//! tells `main` to exit at once with 130.
//!
//! Signals are watched only once a command asks ([`Interrupts::token`]): until then they keep
//! their default effect, so a short command is not left running by a Ctrl-C it never checks.

use std::sync::{Arc, OnceLock};

use officectl::run::CancellationToken;
use tokio::sync::Notify;

/// The process's signal handling, shared by `main` and the command.
#[derive(Default)]
pub struct Interrupts {
    token: CancellationToken,
    watching: OnceLock<()>,
    forced: Arc<Notify>,
}

impl Interrupts {
    /// The token a run stops on; the first call starts watching for SIGINT and SIGTERM.
    pub fn token(&self) -> CancellationToken {
        self.watching.get_or_init(|| {
            let (token, forced) = (self.token.clone(), self.forced.clone());
            tokio::spawn(async move {
                wait_for_signal().await;
                token.cancel();
                wait_for_signal().await;
                forced.notify_one();
            });
        });
        self.token.clone()
    }

    /// Resolves when a second signal asks to exit without waiting for the run.
    pub async fn forced(&self) {
        self.forced.notified().await;
    }
}

async fn wait_for_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
