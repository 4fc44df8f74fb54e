//! The subscriptions a consumer has open, read as one stream of deliveries.
//!
//! Each open subscription has a reader task that pulls from its stream (Google's subscriber:
//! StreamingPull with flow control and lease extension) and hands deliveries on through one
//! small channel, so a consumer that falls behind stops pulling everywhere. [`Subscriptions::
//! follow`] opens what the read flags now ask for and closes what they no longer do; closing
//! stops a reader and waits, in the background, until the acknowledgements of what it delivered
//! are sent.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::reading::Reading;
use crate::pubsub::{Delivery, MessageSource, PubSubError, names};

/// A delivery and the subscription it came from.
pub type Received = (Arc<Reading>, Result<Delivery, PubSubError>);

struct Reader {
    stop: CancellationToken,
    task: JoinHandle<()>,
}

/// The open subscriptions.
pub struct Subscriptions {
    source: Arc<dyn MessageSource>,
    project: String,
    open: BTreeMap<Reading, Reader>,
    closing: Vec<JoinHandle<()>>,
    tx: mpsc::Sender<Received>,
    rx: mpsc::Receiver<Received>,
}

/// What [`Subscriptions::follow`] changed (short ids).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub opened: Vec<String>,
    pub closed: Vec<String>,
}

impl Subscriptions {
    /// None open yet; subscriptions are short ids in `project`.
    pub fn new(source: Arc<dyn MessageSource>, project: &str) -> Subscriptions {
        let (tx, rx) = mpsc::channel(64);
        Subscriptions {
            source,
            project: project.to_string(),
            open: BTreeMap::new(),
            closing: Vec::new(),
            tx,
            rx,
        }
    }

    /// The short ids of the subscriptions open now.
    pub fn open_ids(&self) -> Vec<String> {
        self.open.keys().map(|r| r.subscription.clone()).collect()
    }

    /// Opens every reading not open yet and closes the open ones not in `readings`.
    pub fn follow(&mut self, readings: &[Reading]) -> Changes {
        let mut changes = Changes::default();
        let gone: Vec<Reading> = self
            .open
            .keys()
            .filter(|r| !readings.contains(r))
            .cloned()
            .collect();
        for reading in gone {
            if let Some(reader) = self.open.remove(&reading) {
                reader.stop.cancel();
                self.closing.push(reader.task);
                changes.closed.push(reading.subscription);
            }
        }
        for reading in readings {
            if self.open.contains_key(reading) {
                continue;
            }
            let stop = CancellationToken::new();
            let task = tokio::spawn(read(
                self.source.clone(),
                names::subscription(&self.project, &reading.subscription),
                Arc::new(reading.clone()),
                self.tx.clone(),
                stop.clone(),
            ));
            self.open.insert(reading.clone(), Reader { stop, task });
            changes.opened.push(reading.subscription.clone());
        }
        changes
    }

    /// The next delivery from any open subscription.
    pub async fn next(&mut self) -> Option<Received> {
        self.rx.recv().await
    }

    /// Stops every reader, drops what was pulled but not handed out (it is redelivered), and
    /// waits until the readers' streams are shut down (their acknowledgements sent).
    pub async fn close(mut self) {
        for reader in self.open.values() {
            reader.stop.cancel();
        }
        self.rx.close();
        while let Ok((_, delivery)) = self.rx.try_recv() {
            if let Ok(delivery) = delivery {
                delivery.nack();
            }
        }
        drop(self.rx);
        for (_, reader) in std::mem::take(&mut self.open) {
            let _ = reader.task.await;
        }
        for task in self.closing.drain(..) {
            let _ = task.await;
        }
    }
}

/// One subscription's reader: pulls until stopped or the consumer is gone.
async fn read(
    source: Arc<dyn MessageSource>,
    subscription: String,
    reading: Arc<Reading>,
    tx: mpsc::Sender<Received>,
    stop: CancellationToken,
) {
    let mut stream = source.subscribe(&subscription);
    loop {
        let next = tokio::select! {
            biased;
            () = stop.cancelled() => break,
            next = stream.next() => next,
        };
        let Some(delivery) = next else { break };
        let failed = delivery.is_err();
        let sent = tokio::select! {
            biased;
            () = stop.cancelled() => Err(None),
            sent = tx.send((reading.clone(), delivery)) => sent.map_err(|e| Some(e.0)),
        };
        match sent {
            Ok(()) if !failed => {}
            Ok(()) => break,
            Err(unsent) => {
                if let Some((_, Ok(delivery))) = unsent {
                    delivery.nack();
                }
                break;
            }
        }
    }
    stream.shutdown().await;
}
