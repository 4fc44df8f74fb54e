//! In-process fan-out: one Redis pub/sub connection per process listens on
//! [`crate::keys::sse_signal_channel`], where every append (by any replica) publishes its user id,
//! and wakes that user's open connections through a `watch` channel. Each connection then reads
//! the entries after the last one it sent from the user's stream (one `XRANGE` on the shared
//! multiplexed connection), so it never misses or repeats one, and many signals while it is busy
//! collapse into one read. 10,000 idle connections are 10,000 `watch` receivers, not 10,000
//! Redis connections.
//!
//! A signal can be lost while the pub/sub connection is down; when it is back, every open
//! connection is woken to read what it missed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::watch;

use crate::run::CancellationToken;

/// The users with open connections in this process, each with the channel that wakes them.
#[derive(Default)]
pub struct Hub {
    users: Mutex<HashMap<String, watch::Sender<u64>>>,
    /// True while the pub/sub connection is subscribed (`/readyz`).
    pub listening: Arc<AtomicBool>,
}

/// One connection's wake-ups for its user; leaving the hub when dropped.
pub struct Watcher {
    hub: Arc<Hub>,
    user: String,
    rx: Option<watch::Receiver<u64>>,
}

impl Watcher {
    /// Waits until the user's stream may have something new.
    pub async fn changed(&mut self) {
        match self.rx.as_mut() {
            Some(rx) => {
                if rx.changed().await.is_err() {
                    // The hub dropped the sender: cannot happen while this receiver holds the
                    // user's entry, but never spin if it did.
                    std::future::pending::<()>().await;
                }
            }
            None => std::future::pending::<()>().await,
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        drop(self.rx.take());
        if let Ok(mut users) = self.hub.users.lock()
            && users
                .get(&self.user)
                .is_some_and(|tx| tx.receiver_count() == 0)
        {
            users.remove(&self.user);
        }
    }
}

impl Hub {
    pub fn new() -> Arc<Hub> {
        Arc::new(Hub::default())
    }

    /// Wake-ups for `user`'s stream, from now on.
    pub fn watch(self: &Arc<Hub>, user: &str) -> Watcher {
        let rx = match self.users.lock() {
            Ok(mut users) => Some(
                users
                    .entry(user.to_string())
                    .or_insert_with(|| watch::channel(0).0)
                    .subscribe(),
            ),
            Err(_) => None,
        };
        Watcher {
            hub: self.clone(),
            user: user.to_string(),
            rx,
        }
    }

    /// `user`'s stream has something new: wake its connections here.
    pub fn signal(&self, user: &str) {
        if let Ok(users) = self.users.lock()
            && let Some(tx) = users.get(user)
        {
            tx.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// Wake every connection (after signals may have been lost).
    pub fn signal_all(&self) {
        if let Ok(users) = self.users.lock() {
            for tx in users.values() {
                tx.send_modify(|n| *n = n.wrapping_add(1));
            }
        }
    }

    /// Users with open connections here.
    pub fn users(&self) -> usize {
        self.users.lock().map(|u| u.len()).unwrap_or(0)
    }

    /// Listens on the signal channel of the Redis at `redis_url` until `stop`, reconnecting
    /// after a second when the connection fails.
    pub async fn listen(self: Arc<Hub>, redis_url: String, stop: CancellationToken) {
        let channel = crate::keys::sse_signal_channel();
        loop {
            let subscribed = async {
                let client = redis::Client::open(redis_url.as_str())?;
                let mut pubsub = client.get_async_pubsub().await?;
                pubsub.subscribe(&channel).await?;
                Ok::<_, redis::RedisError>(pubsub)
            };
            let pubsub = tokio::select! {
                () = stop.cancelled() => return,
                subscribed = subscribed => subscribed,
            };
            match pubsub {
                Ok(pubsub) => {
                    self.listening.store(true, Ordering::Relaxed);
                    // What was appended while no one listened.
                    self.signal_all();
                    let mut messages = pubsub.into_on_message();
                    loop {
                        let message = tokio::select! {
                            () = stop.cancelled() => return,
                            message = messages.next() => message,
                        };
                        let Some(message) = message else { break };
                        if let Ok(user) = message.get_payload::<String>() {
                            self.signal(&user);
                        }
                    }
                    self.listening.store(false, Ordering::Relaxed);
                    tracing::warn!(channel, "the signal channel closed; listening again");
                }
                Err(err) => {
                    self.listening.store(false, Ordering::Relaxed);
                    tracing::warn!(channel, error = %err, "cannot listen to the signal channel; retrying in 1s");
                }
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_signal_wakes_the_users_watchers_only_and_the_last_one_leaves() {
        let hub = Hub::new();
        let mut a1 = hub.watch("a");
        let mut a2 = hub.watch("a");
        let mut b = hub.watch("b");
        assert_eq!(hub.users(), 2);
        hub.signal("a");
        hub.signal("nobody-here");
        let soon = Duration::from_millis(100);
        assert!(tokio::time::timeout(soon, a1.changed()).await.is_ok());
        assert!(tokio::time::timeout(soon, a2.changed()).await.is_ok());
        assert!(tokio::time::timeout(soon, b.changed()).await.is_err());
        drop(a1);
        assert_eq!(hub.users(), 2);
        drop(a2);
        assert_eq!(hub.users(), 1);
        hub.signal_all();
        assert!(tokio::time::timeout(soon, b.changed()).await.is_ok());
        drop(b);
        assert_eq!(hub.users(), 0);
    }
}
