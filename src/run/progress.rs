//! Progress of a long run, without printing: the run keeps counters, a [`Ticker`] samples them
//! a few times a second and hands each [`Reporter`] a snapshot, and the CLI's reporter draws a
//! bar or writes a line. One ticker serves every command (backfill, re-feed, feed), so they all
//! report alike and none samples its counters on its own clock.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

/// Receives snapshots of a run (of type `S`). Called from the ticker a few times a second and
/// once at the end, never per item.
pub trait Reporter<S>: Send + Sync {
    fn update(&self, snapshot: &S);
    fn finish(&self, snapshot: &S);
    /// The run was asked to stop (Ctrl-C): it finishes what is in flight first.
    fn stopping(&self) {}
}

/// A reporter that shows nothing.
pub struct Silent;

impl<S> Reporter<S> for Silent {
    fn update(&self, _: &S) {}
    fn finish(&self, _: &S) {}
}

/// Samples a run every `interval` while it goes on.
pub struct Ticker<S> {
    task: tokio::task::JoinHandle<()>,
    sample: Arc<dyn Fn(Duration) -> S + Send + Sync>,
    reporter: Arc<dyn Reporter<S>>,
    started: Instant,
}

impl<S: Send + 'static> Ticker<S> {
    /// Starts sampling: `sample` turns the time since the start into a snapshot; `cancel` is the
    /// run's token, so the reporter can say once that the run is stopping.
    pub fn start(
        interval: Duration,
        sample: impl Fn(Duration) -> S + Send + Sync + 'static,
        reporter: Arc<dyn Reporter<S>>,
        cancel: CancellationToken,
    ) -> Ticker<S> {
        let started = Instant::now();
        let sample: Arc<dyn Fn(Duration) -> S + Send + Sync> = Arc::new(sample);
        let task = {
            let (sample, reporter) = (sample.clone(), reporter.clone());
            tokio::spawn(async move {
                let mut told = false;
                loop {
                    tokio::select! {
                        () = tokio::time::sleep(interval) => {}
                        () = cancel.cancelled(), if !told => {
                            told = true;
                            reporter.stopping();
                            continue;
                        }
                    }
                    reporter.update(&sample(started.elapsed()));
                }
            })
        };
        Ticker {
            task,
            sample,
            reporter,
            started,
        }
    }

    /// Stops sampling and gives the reporter the final snapshot, which it also returns.
    pub fn finish(self) -> S {
        self.task.abort();
        let last = (self.sample)(self.started.elapsed());
        self.reporter.finish(&last);
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[derive(Default)]
    struct Seen {
        updates: Mutex<Vec<u64>>,
        finished: Mutex<Option<u64>>,
        stopping: AtomicU64,
    }

    impl Reporter<u64> for Seen {
        fn update(&self, s: &u64) {
            self.updates.lock().unwrap().push(*s);
        }
        fn finish(&self, s: &u64) {
            *self.finished.lock().unwrap() = Some(*s);
        }
        fn stopping(&self) {
            self.stopping.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn samples_on_its_interval_says_stopping_once_and_finishes() {
        let counter = Arc::new(AtomicU64::new(0));
        let seen = Arc::new(Seen::default());
        let cancel = CancellationToken::new();
        let ticker = Ticker::start(
            Duration::from_millis(100),
            {
                let counter = counter.clone();
                move |_| counter.load(Ordering::SeqCst)
            },
            seen.clone(),
            cancel.clone(),
        );
        for n in 1..=3 {
            counter.store(n, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        cancel.cancel();
        tokio::time::sleep(Duration::from_millis(250)).await;
        counter.store(9, Ordering::SeqCst);
        assert_eq!(ticker.finish(), 9);
        assert!(seen.updates.lock().unwrap().len() >= 4);
        assert_eq!(*seen.finished.lock().unwrap(), Some(9));
        assert_eq!(seen.stopping.load(Ordering::SeqCst), 1);
    }
}
