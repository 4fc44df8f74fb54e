//! Ctrl-C and SIGTERM become a flag that long commands check between steps, so they finish the
//! current step and its checkpoint before exiting 130.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Starts watching for SIGINT/SIGTERM; the returned flag turns true on the first one.
pub fn watch() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    tokio::spawn(async move {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => futures::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = terminate => {}
        }
        set.store(true, Ordering::SeqCst);
    });
    flag
}
