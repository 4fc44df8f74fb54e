//! The feed loop as a state machine: what is on the wire, what waits behind a busy document id,
//! what waits out a backoff, and the counters; one method for each thing that can happen.
//!
//! Each turn of [`Engine::run`] checks the deadline, fills the wire up to the throttle's target
//! (due retries first, then new operations), and waits for one event: an answer, a retry coming
//! due, an input item, or a tick (to see cancellation and the rate limit). Time is tokio's, so
//! tests can run the loop on a paused clock.

use super::outcome::{FeedOutcome, MAX_INVALID_LISTED, Progress};
use super::protocol::{Class, Operation, Request, Response, Transport, TransportError};
use super::protocol::{classify, message_of};
use super::{FeedConfig, FeedHooks, InputError, InputItem, OnDone};
use crate::retry::Backoff;
use crate::run::CancellationToken;
use crate::vespa::rate::TokenBucket;
use crate::vespa::throttle::Throttle;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TryRecvError;
use tokio::time::Instant;

/// 503s or transport errors in a row after which new operations wait (see [`Engine::fill`]): at
/// 5% random 503s, ten in a row happens about once in 10¹³ responses.
const FAILING_AFTER: usize = 10;

/// The longest a wait lasts before the loop looks at cancellation and the rate limit again.
const TICK: Duration = Duration::from_millis(100);

/// An operation on its way: sent, or waiting to be sent again.
struct Slot {
    op: Operation,
    request: Arc<Request>,
    /// Requests sent so far for this operation.
    attempts: u32,
    /// 429s seen so far (they do not count toward `max_attempts`).
    overloads: u32,
    /// Why the last attempt did not succeed (for a retry that is then not sent).
    last_error: Option<(Option<u16>, String)>,
}

impl Slot {
    /// Attempts that count toward `max_attempts`: 429s do not.
    fn counted_attempts(&self) -> u32 {
        self.attempts - self.overloads
    }
}

type Answered = (Slot, Result<Response, TransportError>);
type Pending = Pin<Box<dyn Future<Output = Answered> + Send>>;
/// A retry waiting out its backoff.
type Waiting = Pin<Box<dyn Future<Output = Slot> + Send>>;

/// What a wait ended with.
enum Event {
    Answered(Answered),
    /// A retry's backoff is over.
    Due(Slot),
    /// An input item, or `None` when the input is closed.
    Read(Option<InputItem>),
    /// Time to look around (cancellation, the rate limit).
    Tick,
}

/// Operations by document id: the one on its way (sent, or backing off), and the ones read
/// after it, which wait in input order.
#[derive(Default)]
struct DocumentQueues {
    /// Ids with an operation on its way, and what waits behind it.
    busy: HashMap<String, VecDeque<Operation>>,
    /// Operations free to go (their id was just released).
    ready: VecDeque<Operation>,
}

impl DocumentQueues {
    /// `op` was read: it goes now if its id is free, else it waits behind the one on its way.
    fn admit(&mut self, op: Operation) -> Option<Operation> {
        if let Some(queue) = self.busy.get_mut(&op.id) {
            queue.push_back(op);
            None
        } else {
            self.busy.insert(op.id.clone(), VecDeque::new());
            Some(op)
        }
    }

    /// The operation on `id` finished: the next one for that id, if any, becomes ready.
    fn release(&mut self, id: &str) {
        match self.busy.get_mut(id).and_then(VecDeque::pop_front) {
            Some(op) => self.ready.push_back(op),
            None => {
                self.busy.remove(id);
            }
        }
    }

    /// Operations read but not sent: queued behind a busy id, or ready.
    fn waiting(&self) -> u64 {
        self.busy.values().map(|q| q.len() as u64).sum::<u64>() + self.ready.len() as u64
    }
}

/// One feed: its settings, what is on its way, and what happened so far.
pub(super) struct Engine<'a, T: Transport> {
    transport: Arc<T>,
    input: mpsc::Receiver<InputItem>,
    input_open: bool,
    config: &'a FeedConfig,
    /// Retries of 503s and transport errors.
    transient: Backoff,
    /// Pauses between retries of 429s.
    overload: Backoff,
    progress: &'a Progress,
    cancel: &'a CancellationToken,
    rate: Option<TokenBucket>,
    on_done: Option<OnDone>,
    throttle: Throttle,
    inflight: FuturesUnordered<Pending>,
    documents: DocumentQueues,
    /// Retries waiting out their backoff. They are not on the wire, so they do not hold a place
    /// in flight (else a few 503s would stall the feed at a low target).
    backing_off: FuturesUnordered<Waiting>,
    /// Retries due now; they go before new operations.
    retry_ready: VecDeque<Slot>,
    started: Instant,
    last_success: Instant,
    /// 503s and transport errors in a row, since the last success. From [`FAILING_AFTER`] on,
    /// the server is taken to be failing everything: new operations are held back (one at a
    /// time goes as a probe when nothing is outstanding), so an outage delays the feed instead
    /// of failing every operation read while it lasts.
    failing_streak: usize,
    out: FeedOutcome,
}

impl<'a, T: Transport> Engine<'a, T> {
    pub(super) fn new(
        transport: Arc<T>,
        input: mpsc::Receiver<InputItem>,
        config: &'a FeedConfig,
        progress: &'a Progress,
        cancel: &'a CancellationToken,
        hooks: FeedHooks,
    ) -> Self {
        let now = Instant::now();
        Engine {
            transport,
            input,
            input_open: true,
            config,
            transient: config.transient_backoff(),
            overload: config.overload_backoff(),
            progress,
            cancel,
            rate: hooks.rate,
            on_done: hooks.on_done,
            throttle: Throttle::new(
                config.min_inflight,
                config.max_inflight,
                config.min_inflight,
            ),
            inflight: FuturesUnordered::new(),
            documents: DocumentQueues::default(),
            backing_off: FuturesUnordered::new(),
            retry_ready: VecDeque::new(),
            started: now,
            last_success: now,
            failing_streak: 0,
            out: FeedOutcome::default(),
        }
    }

    /// Feeds until the input is done (or cancelled, or given up) and nothing is on its way.
    pub(super) async fn run(mut self) -> FeedOutcome {
        loop {
            self.check_deadline();
            let stopping = self.cancel.is_cancelled() || self.out.gave_up.is_some();
            let rate_wait = self.fill(stopping);
            self.show_progress();
            let can_read = self.input_open && !stopping && self.documents.ready.is_empty();
            if self.inflight.is_empty() {
                if !self.idle(stopping, can_read, rate_wait).await {
                    break;
                }
                continue;
            }
            let event = self.next_event(can_read, rate_wait).await;
            self.handle(event);
        }
        self.finish()
    }

    /// Gives up when nothing has succeeded for the deadline.
    fn check_deadline(&mut self) {
        if self.out.gave_up.is_none() && self.last_success.elapsed() > self.config.deadline {
            self.out.gave_up = Some(format!(
                "no operation succeeded for {} s; giving up",
                self.config.deadline.as_secs()
            ));
        }
    }

    /// Sends up to the throttle's target: due retries first, then new operations. New
    /// operations: none once stopping; at most twice `max_inflight` on the wire and waiting to
    /// be retried together (a bound on memory); only a probe while the server fails everything.
    /// Returns how long the rate limit holds new operations back, when it does.
    fn fill(&mut self, stopping: bool) -> Option<Duration> {
        let failing = self.failing_streak >= FAILING_AFTER;
        while self.inflight.len() < self.throttle.target() {
            if let Some(slot) = self.retry_ready.pop_front() {
                self.resend(slot);
                continue;
            }
            let outstanding = self.inflight.len() + self.backing_off.len();
            if stopping
                || outstanding >= 2 * self.config.max_inflight
                || (failing && outstanding > 0)
            {
                return None;
            }
            if let Some(bucket) = self.rate.as_mut() {
                let wait = bucket.wait(Instant::now().into_std());
                if !wait.is_zero() {
                    return Some(wait);
                }
            }
            let op = if let Some(op) = self.documents.ready.pop_front() {
                op
            } else if self.input_open {
                match self.input.try_recv() {
                    Ok(item) => match self.accept(item) {
                        Some(op) => op,
                        None => continue,
                    },
                    Err(TryRecvError::Empty) => return None,
                    Err(TryRecvError::Disconnected) => {
                        self.input_open = false;
                        return None;
                    }
                }
            } else {
                return None;
            };
            if let Some(bucket) = self.rate.as_mut() {
                let _ = bucket.try_take(Instant::now().into_std());
            }
            self.start(op);
        }
        None
    }

    /// Sends a new operation, or fails it when its id cannot be a request.
    fn start(&mut self, op: Operation) {
        match op.request(self.config) {
            Ok(request) => {
                self.out.requests += 1;
                self.send(Slot {
                    op,
                    request: Arc::new(request),
                    attempts: 1,
                    overloads: 0,
                    last_error: None,
                });
            }
            Err(message) => self.fail(op, None, message, 0),
        }
    }

    /// Sends a due retry, unless the feed has given up: then it is reported, not sent again.
    fn resend(&mut self, mut slot: Slot) {
        match &self.out.gave_up {
            Some(reason) => {
                let (status, last) = slot.last_error.take().unwrap_or_default();
                let message = format!("{reason}; not retried after: {last}");
                self.fail(slot.op, status, message, slot.attempts - 1);
            }
            None => self.send(slot),
        }
    }

    fn send(&mut self, slot: Slot) {
        let transport = Arc::clone(&self.transport);
        self.inflight.push(Box::pin(async move {
            let result = transport.send(&slot.request).await;
            (slot, result)
        }));
    }

    /// Sends `slot` again after `delay`; meanwhile it is not on the wire.
    fn retry_after(&mut self, slot: Slot, delay: Duration) {
        if delay.is_zero() {
            self.retry_ready.push_back(slot);
        } else {
            self.backing_off.push(Box::pin(async move {
                tokio::time::sleep(delay).await;
                slot
            }));
        }
    }

    fn show_progress(&mut self) {
        self.out.peak_inflight = self.out.peak_inflight.max(self.inflight.len());
        let progress = self.progress;
        progress
            .inflight
            .store(self.inflight.len() as u64, Ordering::Relaxed);
        progress
            .target
            .store(self.throttle.target() as u64, Ordering::Relaxed);
    }

    /// Nothing on the wire: waits for a retry to come due, for input, or for the rate limit.
    /// `false` when there is nothing left to wait for.
    ///
    /// Unless retries are backing off or the server was failing, the deadline measures the
    /// server, not a slow input (a subscription going quiet, visit pages without documents) or
    /// the rate limit: such waits do not count toward it.
    async fn idle(&mut self, stopping: bool, can_read: bool, rate_wait: Option<Duration>) -> bool {
        let outstanding = !self.backing_off.is_empty() || !self.retry_ready.is_empty();
        let quiet = !outstanding && self.failing_streak == 0;
        // Operations the fill held back: for the rate (wait, in steps so Ctrl-C is seen), or
        // while retries are backing off from a failing server (wait for those below).
        let held_back = !stopping && !self.documents.ready.is_empty();
        if held_back && (rate_wait.is_some() || !outstanding) {
            if let Some(wait) = rate_wait {
                tokio::time::sleep(wait.min(TICK)).await;
            }
        } else if !can_read && !outstanding {
            return false;
        } else {
            let event = tokio::select! {
                slot = self.backing_off.next(), if outstanding => slot.map_or(Event::Tick, Event::Due),
                item = self.input.recv(), if can_read => Event::Read(item),
                () = tokio::time::sleep(TICK) => Event::Tick,
            };
            self.handle(event);
        }
        if quiet {
            self.last_success = Instant::now();
        }
        true
    }

    /// Something on the wire: waits for an answer, a retry coming due, the rate limit, or (when
    /// there is room in flight) input.
    async fn next_event(&mut self, can_read: bool, rate_wait: Option<Duration>) -> Event {
        let room = self.inflight.len() < self.throttle.target();
        let backing_off = !self.backing_off.is_empty();
        let token = async {
            match rate_wait {
                Some(wait) => tokio::time::sleep(wait.min(TICK)).await,
                None => futures::future::pending::<()>().await,
            }
        };
        tokio::select! {
            answered = self.inflight.next() => answered.map_or(Event::Tick, Event::Answered),
            slot = self.backing_off.next(), if backing_off => slot.map_or(Event::Tick, Event::Due),
            () = token, if rate_wait.is_some() => Event::Tick,
            item = self.input.recv(), if can_read && room => Event::Read(item),
        }
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Answered(answered) => self.settle(answered),
            Event::Due(slot) => self.retry_ready.push_back(slot),
            Event::Read(Some(item)) => {
                if let Some(op) = self.accept(item) {
                    self.documents.ready.push_back(op);
                }
            }
            Event::Read(None) => self.input_open = false,
            Event::Tick => {}
        }
    }

    /// Takes an input item: counts it, and returns the operation if its id is free to go now.
    fn accept(&mut self, item: InputItem) -> Option<Operation> {
        match item {
            Ok(op) => {
                self.out.operations += 1;
                self.progress.read.fetch_add(1, Ordering::Relaxed);
                self.documents.admit(op)
            }
            Err(InputError::Invalid(invalid)) => {
                self.out.invalid_lines += 1;
                if self.out.invalid_input.len() < MAX_INVALID_LISTED {
                    self.out.invalid_input.push(invalid);
                }
                None
            }
            Err(InputError::Fatal(message)) => {
                self.out.input_error = Some(message);
                self.input_open = false;
                None
            }
        }
    }

    /// What an answer means: its class, status and (for anything but success) message. Counts
    /// responses and transport errors; a permanent transport error gives the feed up, as the
    /// deadline does, since every other operation would fail the same way.
    fn read_answer(
        &mut self,
        result: &Result<Response, TransportError>,
    ) -> (Class, Option<u16>, String) {
        match result {
            Ok(response) => {
                *self.out.responses.entry(response.status).or_default() += 1;
                let class = classify(response.status);
                // Only a failure or a retry is described: a success's body is not parsed.
                let message = if class == Class::Done {
                    String::new()
                } else {
                    message_of(&response.body)
                };
                (class, Some(response.status), message)
            }
            Err(err) if err.permanent => {
                self.out.transport_errors += 1;
                if self.out.gave_up.is_none() {
                    self.out.gave_up = Some(err.message.clone());
                }
                (Class::Fatal, None, err.message.clone())
            }
            Err(err) => {
                self.out.transport_errors += 1;
                (Class::Transient, None, err.message.clone())
            }
        }
    }

    /// An answer came: the operation is done, retried, or failed.
    fn settle(&mut self, (mut slot, result): Answered) {
        let (class, status, message) = self.read_answer(&result);
        if class == Class::Transient {
            self.failing_streak += 1;
        }
        let given_up = self.out.gave_up.is_some();
        match class {
            Class::Done => {
                self.last_success = Instant::now();
                self.failing_streak = 0;
                self.throttle.success();
                match status {
                    Some(404) => self.out.not_found += 1,
                    Some(412) => self.out.condition_not_met += 1,
                    _ => self.out.ok += 1,
                }
                self.finished(&slot.op, true);
            }
            Class::Overloaded if !given_up => {
                self.throttle.overloaded(self.inflight.len() + 1);
                slot.overloads += 1;
                // The first retry of an overload goes at once; later ones pause.
                let delay = if slot.overloads <= 1 {
                    Duration::ZERO
                } else {
                    self.overload.delay(slot.overloads - 1)
                };
                self.retry(slot, status, message, delay);
            }
            Class::Transient
                if !given_up
                    && self
                        .transient
                        .max_attempts
                        .is_none_or(|max| slot.counted_attempts() < max) =>
            {
                let delay = self.transient.delay(slot.counted_attempts());
                self.retry(slot, status, message, delay);
            }
            Class::Overloaded | Class::Transient | Class::Fatal => {
                let message = match &self.out.gave_up {
                    Some(reason) if class != Class::Fatal => format!("{reason}: {message}"),
                    _ if class == Class::Transient => format!(
                        "giving up after {} attempts: {message}",
                        slot.counted_attempts()
                    ),
                    _ => message,
                };
                let attempts = slot.attempts;
                self.fail(slot.op, status, message, attempts);
            }
        }
    }

    /// Counts a retry of `slot` and sends it again after `delay`.
    fn retry(&mut self, mut slot: Slot, status: Option<u16>, message: String, delay: Duration) {
        slot.attempts += 1;
        self.out.retries += 1;
        self.out.requests += 1;
        slot.last_error = Some((status, message));
        self.retry_after(slot, delay);
    }

    /// `op` is finished: counted, reported to the caller, and its id released for the next.
    fn finished(&mut self, op: &Operation, ok: bool) {
        self.progress.done.fetch_add(1, Ordering::Relaxed);
        if let Some(on_done) = self.on_done.as_mut() {
            on_done(op, ok);
        }
        self.documents.release(&op.id);
    }

    fn fail(&mut self, op: Operation, status: Option<u16>, message: String, attempts: u32) {
        self.finished(&op, false);
        self.out.fail(op, status, message, attempts);
    }

    /// The outcome: operations still queued behind a busy id, or ready, were not sent.
    fn finish(mut self) -> FeedOutcome {
        self.out.not_sent = self.documents.waiting();
        self.out.cancelled = self.cancel.is_cancelled();
        self.out.seconds = self.started.elapsed().as_secs_f64();
        self.out.ops_per_second = self.out.ops_per_second();
        self.progress.inflight.store(0, Ordering::Relaxed);
        self.out
    }
}
