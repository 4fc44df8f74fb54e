//! Meetings (`officectl consume meetings`) on the runtime: calendar changes (from an
//! exactly-once subscription) move the bookings and meeting polls linked to them
//! ([`crate::meetings`]); bookings and polls are read to learn those links and options.
//!
//! Per item of a message: the change is decided on the user's state and written with the
//! item's marker in one script, the marker holding what it owes to publish (`BookingEvent`s on
//! `bookings`, `MeetingPollEvent`s on `meeting-polls`, through the publish modes); then it is
//! published, the marker's outbox emptied, and the message acked. On the exactly-once
//! subscription the ack is confirmed by the service; an unconfirmed ack is counted, and the
//! redelivery it may bring finds the marker and publishes nothing. A Redis or publish failure
//! nacks, and the redelivery publishes what the marker still owes. Poison is nacked toward the
//! dead-letter topic; another event type is acked.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use async_trait::async_trait;
use chrono::DateTime;
use serde::Serialize;
use std::time::SystemTime;

use super::handling::{InHand, Tally, TallyFigures, own_event, report_table};
use super::metrics::{ConsumerMetrics, Outcome};
use super::reading::Reading;
use super::runtime::{Handler, RuntimeHandles};
use crate::meetings::entry::EntryState;
use crate::meetings::reconcile::Owed;
use crate::meetings::store::{Applied, Incoming, MeetingStore};
use crate::migrate::routed::RoutedPublisher;
use crate::model::Event;
use crate::model::catalog::DataType;
use crate::model::families::booking::Booking;
use crate::model::families::meeting_poll::MeetingPoll;
use crate::model::fields::Item;
use crate::model::idempotency;
use crate::pubsub::Delivery;
use crate::report::{Report, Table};
use crate::vespa::refeed::bump;

/// The consumer's name: its subscriptions' label.
pub const MEETINGS: &str = "meetings";

/// What the meetings consumer counts.
#[derive(Debug, Default)]
pub struct MeetingCounters {
    /// Read, duplicates, unknown types, poison, retried.
    pub tally: Tally,
    /// Calendar entries created, changed or deleted, read.
    pub calendar_changes: AtomicU64,
    pub bookings_read: AtomicU64,
    pub polls_read: AtomicU64,
    /// `BookingEvent`s published (a linked entry was cancelled, deleted or moved).
    pub bookings_published: AtomicU64,
    /// `MeetingPollEvent`s published (options' conflicts changed).
    pub polls_published: AtomicU64,
    /// Acks on the exactly-once subscription the service confirmed.
    pub confirmed_acks: AtomicU64,
    /// Acks on the exactly-once subscription the service did not confirm.
    pub unconfirmed_acks: AtomicU64,
}

/// The meetings consumer's report at exit.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingReport {
    pub consumer: String,
    #[serde(flatten)]
    pub tally: TallyFigures,
    pub calendar_changes: u64,
    pub bookings_read: u64,
    pub polls_read: u64,
    pub bookings_published: u64,
    pub polls_published: u64,
    pub confirmed_acks: u64,
    pub unconfirmed_acks: u64,
    pub switches: u64,
    pub subscriptions: Vec<String>,
}

impl MeetingCounters {
    pub fn report(&self, consumer: &str, runtime: &RuntimeHandles) -> MeetingReport {
        let get = |c: &AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
        MeetingReport {
            consumer: consumer.to_string(),
            tally: self.tally.figures(),
            calendar_changes: get(&self.calendar_changes),
            bookings_read: get(&self.bookings_read),
            polls_read: get(&self.polls_read),
            bookings_published: get(&self.bookings_published),
            polls_published: get(&self.polls_published),
            confirmed_acks: get(&self.confirmed_acks),
            unconfirmed_acks: get(&self.unconfirmed_acks),
            switches: get(&runtime.switches),
            subscriptions: runtime.last_open(),
        }
    }
}

impl Report for MeetingReport {
    fn tables(&self) -> Vec<Table> {
        vec![report_table(
            &self.consumer,
            &[
                ("messages read", self.tally.read),
                ("calendar changes read", self.calendar_changes),
                ("bookings read", self.bookings_read),
                ("meeting polls read", self.polls_read),
                ("BookingEvents published", self.bookings_published),
                ("MeetingPollEvents published", self.polls_published),
                ("duplicates (acked)", self.tally.duplicates),
                ("unknown event types (acked)", self.tally.unknown_type),
                ("poison (nacked for dead letter)", self.tally.poison),
                ("retried (nacked)", self.tally.retried),
                ("acks confirmed (exactly-once)", self.confirmed_acks),
                ("acks not confirmed", self.unconfirmed_acks),
                ("subscription switches", self.switches),
            ],
            &self.subscriptions,
        )]
    }
}

/// The meetings consumer as the runtime's handler.
pub struct Meetings {
    pub store: MeetingStore,
    /// `None` in a dry run: nothing applied, published or acked.
    pub publisher: Option<RoutedPublisher>,
    pub metrics: Arc<ConsumerMetrics>,
    pub counters: Arc<MeetingCounters>,
}

#[async_trait]
impl Handler for Meetings {
    async fn handle(&self, reading: Arc<Reading>, delivery: Delivery) -> bool {
        let in_hand = InHand {
            consumer: MEETINGS,
            subscription: reading.subscription.as_str(),
            metrics: &self.metrics,
            received: Instant::now(),
            acks: self.publisher.is_some(),
        };
        let subscription = in_hand.subscription;
        bump(&self.counters.tally.read);
        let Some((event, delivery)) = in_hand.decode(delivery, &self.counters.tally) else {
            return true;
        };
        let message_id = delivery.message.id.clone();
        let Some(publisher) = &self.publisher else {
            in_hand.settle(delivery, false, Outcome::Fed);
            return true;
        };
        let outcome = match self.process(&event, publisher).await {
            Ok(true) => Outcome::Fed,
            Ok(false) => {
                bump(&self.counters.tally.duplicates);
                Outcome::Duplicate
            }
            Err(why) => {
                bump(&self.counters.tally.retried);
                tracing::warn!(
                    consumer = MEETINGS,
                    subscription,
                    message_id,
                    why,
                    "nacked for later"
                );
                in_hand.settle(delivery, false, Outcome::Retried);
                return true;
            }
        };
        match in_hand.settle_confirmed(delivery, outcome).await {
            Ok(true) => bump(&self.counters.confirmed_acks),
            Ok(false) => {}
            Err(why) => {
                bump(&self.counters.unconfirmed_acks);
                tracing::warn!(
                    consumer = MEETINGS,
                    subscription,
                    message_id,
                    why,
                    "ack not confirmed: a redelivery finds the marker and publishes nothing"
                );
            }
        }
        true
    }

    fn problem(&self, what: &str, why: String) {
        tracing::warn!(consumer = MEETINGS, what, why, "carrying on");
    }
}

impl Meetings {
    /// Applies every item of `event` and publishes what they owe; false when every item was
    /// applied and published before.
    async fn process(&self, event: &Event, publisher: &RoutedPublisher) -> Result<bool, String> {
        let header = event.header();
        let user = header.user_id.to_string();
        let correlation_id = header.correlation_id.to_string();
        let mut anything_new = false;
        for (item_key, incoming) in incoming(event) {
            match incoming {
                Incoming::Entry { .. } => bump(&self.counters.calendar_changes),
                Incoming::Booking(_) | Incoming::BookingDeleted { .. } => {
                    bump(&self.counters.bookings_read)
                }
                Incoming::Poll(_) | Incoming::PollDeleted { .. } => bump(&self.counters.polls_read),
            }
            let applied = self
                .store
                .apply(
                    &user,
                    &item_key,
                    &incoming,
                    DateTime::from(SystemTime::now()),
                )
                .await
                .map_err(|e| e.to_string())?;
            let owed = match applied {
                Applied::Now(owed) => {
                    anything_new = true;
                    owed
                }
                Applied::Before(owed) if owed.is_empty() => continue,
                Applied::Before(owed) => {
                    anything_new = true;
                    owed
                }
            };
            for item in owed {
                let (counter, event) = match item {
                    Owed::Booking(b) => (
                        &self.counters.bookings_published,
                        booking_event(&user, &correlation_id, &b)?,
                    ),
                    Owed::Poll(p) => (
                        &self.counters.polls_published,
                        poll_event(&user, &correlation_id, &p)?,
                    ),
                };
                publisher.publish(event).await?;
                bump(counter);
            }
            self.store
                .settle(&user, &item_key)
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok(anything_new)
    }
}

/// Event ids of what this consumer publishes: its own events coming back on its booking and
/// poll subscriptions are not applied again (their state was written when they were decided).
const OWN_BOOKING: &str = "meetings-booking-";
const OWN_POLL: &str = "meetings-poll-";

/// The items of `event` the consumer applies, each with the key of its marker: its data type,
/// operation and idempotency key (a delete and an update of the same version stay apart).
fn incoming(event: &Event) -> Vec<(String, Incoming<'_>)> {
    let header = event.header();
    let kind = format!(
        "{}:{}",
        event.data_type().doc_type(),
        header.operation.as_str()
    );
    let key = |item: &dyn crate::model::fields::Item| {
        format!("{kind}:{}", idempotency::item_key(event, item))
    };
    let event_id = event.header().event_id;
    if event_id.starts_with(OWN_BOOKING) || event_id.starts_with(OWN_POLL) {
        return Vec::new();
    }
    match event {
        Event::Calendar(e) => vec![(
            key(&e.entry),
            Incoming::Entry {
                id: &e.entry.provider_event_id,
                state: EntryState::of(&e.entry),
            },
        )],
        Event::Booking(e) => vec![(key(&e.booking), Incoming::Booking(&e.booking))],
        Event::MeetingPoll(e) => vec![(key(&e.poll), Incoming::Poll(&e.poll))],
        Event::Deletion(d) => d
            .items
            .iter()
            .filter_map(|item| {
                let version = item.updated_at();
                let incoming = match d.data_type {
                    DataType::Calendar => Incoming::Entry {
                        id: &item.id,
                        state: EntryState::deleted(version),
                    },
                    DataType::Booking => Incoming::BookingDeleted {
                        id: &item.id,
                        version,
                    },
                    DataType::MeetingPoll => Incoming::PollDeleted {
                        id: &item.id,
                        version,
                    },
                    _ => return None,
                };
                Some((key(item), incoming))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The `BookingEvent` of a booking as it now stands.
pub fn booking_event(user: &str, correlation_id: &str, booking: &Booking) -> Result<Event, String> {
    own_event(
        "BookingEvent",
        format!(
            "{OWN_BOOKING}{}-{}",
            booking.booking_id,
            booking.updated_at.timestamp_millis()
        ),
        user,
        correlation_id,
        booking.updated_at,
        "booking",
        serde_json::to_value(booking).map_err(|e| e.to_string())?,
    )
}

/// The `MeetingPollEvent` of a poll with its conflicts flagged.
pub fn poll_event(user: &str, correlation_id: &str, poll: &MeetingPoll) -> Result<Event, String> {
    own_event(
        "MeetingPollEvent",
        format!(
            "{OWN_POLL}{}-{}",
            poll.poll_id,
            poll.updated_at.timestamp_millis()
        ),
        user,
        correlation_id,
        poll.updated_at,
        "poll",
        serde_json::to_value(poll).map_err(|e| e.to_string())?,
    )
}
