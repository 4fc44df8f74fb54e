//! The drill's running record, shared by the steps, the traffic and the chaos: the phases
//! entered so far, the one now, and what happened in each.

use officectl::migrate::drill::outcome::Incident;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub(super) struct PhaseLog {
    names: Arc<Mutex<Vec<String>>>,
    current: Arc<AtomicUsize>,
    incidents: Arc<Mutex<Vec<Incident>>>,
}

impl PhaseLog {
    /// Starts phase `name`: what is published and recorded from now on belongs to it.
    pub fn enter(&self, name: String) {
        let mut names = self.names.lock().unwrap_or_else(|p| p.into_inner());
        names.push(name);
        self.current.store(names.len() - 1, Ordering::SeqCst);
    }

    /// The index of the phase now, as the producer tags its events.
    pub fn current(&self) -> Arc<AtomicUsize> {
        self.current.clone()
    }

    /// Records what happened in the phase now.
    pub fn record(&self, what: String) {
        let phase = self
            .names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(self.current.load(Ordering::SeqCst))
            .cloned()
            .unwrap_or_default();
        self.incidents
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Incident { phase, what });
    }

    /// Every phase entered, in order.
    pub fn names(&self) -> Vec<String> {
        self.names.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Everything recorded, in order.
    pub fn incidents(&self) -> Vec<Incident> {
        self.incidents
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
