//! Interactions: who the user dealt with, how, when and in how large a group, read from the
//! e-mail, calendar and document events that flow past. Noise (the user's own addresses,
//! automated senders, bulk mail, very large groups) is dropped here, so that everything after
//! this point only counts people.

use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

use super::address::{normalise, squashed_local_part};
use super::config::{ContactsConfig, Weights};
use crate::model::Event;
use crate::model::families::calendar::{AttendeeResponse, CalendarEntry, EntryStatus};
use crate::model::families::document::Document;
use crate::model::families::email::Email;
use crate::model::fields::{Mailbox, Operation, Provider};

/// Where an interaction was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    Email,
    Calendar,
    Document,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Calendar => "calendar",
            Channel::Document => "document",
        }
    }
}

/// Who reached out to whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// The user to them: mail they received from the user, an entry the user organizes, a
    /// document the user shared.
    Outbound,
    /// They to the user: mail from them, an entry they organize, a document they own or changed.
    Inbound,
    /// Both in the same group, neither leading: cc'd together, fellow attendees, fellow readers.
    Together,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Outbound => "outbound",
            Direction::Inbound => "inbound",
            Direction::Together => "together",
        }
    }
}

/// One interaction with one person.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// Normalised address (see [`normalise`]).
    pub address: String,
    /// The display name this event gives them, if any.
    pub name: Option<String>,
    pub channel: Channel,
    pub direction: Direction,
    /// How many people the user dealt with at once (at least 1).
    pub group_size: usize,
    /// Attendance factor (calendar responses); 1 elsewhere.
    pub factor: f64,
    pub at: DateTime<Utc>,
}

impl Interaction {
    /// `w(type, direction) · factor · g(group size)` with `g(n) = 1/√n`: what this interaction
    /// adds to the score at its own time.
    pub fn weight(&self, weights: &Weights) -> f64 {
        let w = match (self.channel, self.direction) {
            (Channel::Email, Direction::Outbound) => weights.email_outbound,
            (Channel::Email, Direction::Inbound) => weights.email_inbound,
            (Channel::Email, Direction::Together) => weights.email_cc,
            (Channel::Calendar, Direction::Outbound) => weights.calendar_organized,
            (Channel::Calendar, Direction::Inbound) => weights.calendar_invited,
            (Channel::Calendar, Direction::Together) => weights.calendar_together,
            (Channel::Document, Direction::Outbound) => weights.document_shared,
            (Channel::Document, Direction::Inbound) => weights.document_received,
            (Channel::Document, Direction::Together) => weights.document_together,
        };
        w * self.factor / (self.group_size.max(1) as f64).sqrt()
    }
}

/// Why an event, or one person in it, yields no interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skipped {
    /// Bulk or mailing-list mail (a configured label).
    Bulk,
    /// More people at once than `max_group_size`.
    LargeGroup,
    /// A no-reply, notification or mailer-daemon style address.
    Automated,
    /// A deletion, a cancelled entry, or a type that has no people.
    NoPeople,
}

/// What one event yields.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Extracted {
    pub interactions: Vec<Interaction>,
    /// Addresses the user sent from: theirs from now on.
    pub learned_own: BTreeSet<String>,
    /// What was dropped, and why (one entry per dropped event or address).
    pub skipped: Vec<Skipped>,
}

/// The user's own addresses: the configured ones and those learned from sent mail.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    pub addresses: BTreeSet<String>,
}

impl Identity {
    /// The configured addresses of `user_id`, normalised, plus `learned`.
    pub fn of(
        config: &ContactsConfig,
        user_id: &str,
        provider: Option<Provider>,
        learned: impl IntoIterator<Item = String>,
    ) -> Identity {
        let mut addresses: BTreeSet<String> = config
            .own_addresses
            .get(user_id)
            .into_iter()
            .flatten()
            .filter_map(|a| normalise(a, provider))
            .collect();
        addresses.extend(learned);
        Identity { addresses }
    }

    fn is_own(&self, address: &str) -> bool {
        self.addresses.contains(address)
    }
}

/// The interactions of one event for its user. Types without people (todos, chats, shipments
/// and the rest) yield none.
pub fn extract(event: &Event, identity: &Identity, config: &ContactsConfig) -> Extracted {
    let header = event.header();
    let mut out = Extracted::default();
    if header.operation == Operation::Delete {
        out.skipped.push(Skipped::NoPeople);
        return out;
    }
    let mut people = People {
        identity,
        config,
        provider: header.provider,
        automated_patterns: config
            .automated_local_parts
            .iter()
            .map(|p| p.replace(['-', '_', '.'], "").to_lowercase())
            .filter(|p| !p.is_empty())
            .collect(),
        out: &mut out,
    };
    match event {
        Event::Email(e) => {
            for email in &e.emails {
                people.email(email, header.occurred_at);
            }
        }
        Event::Calendar(e) => people.calendar(&e.entry, header.occurred_at),
        Event::Document(e) => people.document(&e.document, header.occurred_at),
        _ => people.out.skipped.push(Skipped::NoPeople),
    }
    out
}

/// One event's extraction in progress.
struct People<'a> {
    identity: &'a Identity,
    config: &'a ContactsConfig,
    provider: Option<Provider>,
    /// `automated_local_parts` as local parts are compared: without `-`, `_`, `.`, lower case.
    automated_patterns: Vec<String>,
    out: &'a mut Extracted,
}

/// A person as named in an event, normalised.
#[derive(Clone)]
struct Person {
    address: String,
    name: Option<String>,
}

impl People<'_> {
    /// The user's: configured, learned before, or learned from this event's sent mail.
    fn is_own(&self, address: &str) -> bool {
        self.identity.is_own(address) || self.out.learned_own.contains(address)
    }

    fn person(&self, email: &str, name: Option<&str>) -> Option<Person> {
        let address = normalise(email, self.provider)?;
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(email.trim()))
            .map(str::to_string);
        Some(Person { address, name })
    }

    fn mailbox(&self, m: &Mailbox) -> Option<Person> {
        self.person(&m.email, m.name.as_deref())
    }

    fn automated(&self, address: &str) -> bool {
        let local = squashed_local_part(address);
        self.automated_patterns
            .iter()
            .any(|p| local.starts_with(p.as_str()) || local.ends_with(p.as_str()))
    }

    /// The distinct people of `list` who are not the user nor automated, and how many
    /// automated ones were dropped.
    fn people(&self, list: impl IntoIterator<Item = Person>) -> (Vec<Person>, usize) {
        let mut seen = BTreeSet::new();
        let mut people = Vec::new();
        let mut automated = 0;
        for p in list {
            if self.is_own(&p.address) || !seen.insert(p.address.clone()) {
                continue;
            }
            if self.automated(&p.address) {
                automated += 1;
                continue;
            }
            people.push(p);
        }
        (people, automated)
    }

    /// [`Self::people`], counting the automated ones as skipped.
    fn others(&mut self, list: impl IntoIterator<Item = Person>) -> Vec<Person> {
        let (people, automated) = self.people(list);
        self.out
            .skipped
            .extend(std::iter::repeat_n(Skipped::Automated, automated));
        people
    }

    /// How many people of `list` the user met at once.
    fn group(&self, list: impl IntoIterator<Item = Person>) -> usize {
        self.people(list).0.len()
    }

    fn push(&mut self, people: Vec<Person>, how: Meeting) {
        for p in people {
            self.out.interactions.push(Interaction {
                address: p.address,
                name: p.name,
                channel: how.channel,
                direction: how.direction,
                group_size: how.group_size.max(1),
                factor: how.factor,
                at: how.at,
            });
        }
    }

    fn email(&mut self, email: &Email, occurred_at: DateTime<Utc>) {
        if email.labels.iter().any(|l| {
            self.config
                .bulk_labels
                .iter()
                .any(|b| b.eq_ignore_ascii_case(l))
        }) {
            self.out.skipped.push(Skipped::Bulk);
            return;
        }
        let recipients: Vec<Person> = email
            .to
            .iter()
            .chain(&email.cc)
            .chain(&email.bcc)
            .filter_map(|m| self.mailbox(m))
            .collect();
        let Some(sender) = self.mailbox(&email.from) else {
            return;
        };
        let outbound = self.is_own(&sender.address)
            || email.labels.iter().any(|l| l.eq_ignore_ascii_case("SENT"));
        // A mail dated in the future (a wrong client clock) counts when it was seen.
        let at = email.received_at.min(occurred_at);
        if outbound {
            self.out.learned_own.insert(sender.address.clone());
            let others = self.others(recipients);
            if others.len() > self.config.max_group_size {
                self.out.skipped.push(Skipped::LargeGroup);
                return;
            }
            let group_size = others.len();
            self.push(
                others,
                Meeting::new(Channel::Email, Direction::Outbound, group_size, at),
            );
            return;
        }
        // Inbound: the user is one of the recipients, whom the sender wrote to at once.
        let group_size = recipients.len().max(1);
        if group_size > self.config.max_group_size {
            self.out.skipped.push(Skipped::LargeGroup);
            return;
        }
        let sender_address = sender.address.clone();
        let from = self.others([sender]);
        self.push(
            from,
            Meeting::new(Channel::Email, Direction::Inbound, group_size, at),
        );
        let fellows: Vec<Person> = email
            .to
            .iter()
            .chain(&email.cc)
            .filter_map(|m| self.mailbox(m))
            .filter(|p| p.address != sender_address)
            .collect();
        let fellows = self.others(fellows);
        self.push(
            fellows,
            Meeting::new(Channel::Email, Direction::Together, group_size, at),
        );
    }

    fn calendar(&mut self, entry: &CalendarEntry, occurred_at: DateTime<Utc>) {
        if entry.status == EntryStatus::Cancelled {
            self.out.skipped.push(Skipped::NoPeople);
            return;
        }
        // A future meeting counts when it is seen, not before: a reference time in the future
        // would inflate the score until then.
        let at = entry.start.min(occurred_at);
        let organizer = entry.organizer.as_ref().and_then(|m| self.mailbox(m));
        let attendees: Vec<(Person, f64)> = entry
            .attendees
            .iter()
            .filter_map(|a| {
                let p = self.person(&a.email, a.name.as_deref())?;
                Some((p, response_factor(a.response, &self.config.weights)))
            })
            .collect();
        let organizes = organizer.as_ref().is_some_and(|o| self.is_own(&o.address));
        // The user's own answer scales everything they did not organize; unknown counts fully.
        let own_factor = attendees
            .iter()
            .find(|(p, _)| self.is_own(&p.address))
            .map_or(1.0, |(_, f)| *f);
        let mut everyone: Vec<Person> = attendees.iter().map(|(p, _)| p.clone()).collect();
        if let Some(o) = &organizer {
            everyone.push(o.clone());
        }
        let group_size = self.group(everyone);
        if group_size > self.config.max_group_size {
            self.out.skipped.push(Skipped::LargeGroup);
            return;
        }
        let organizer_address = organizer.as_ref().map(|o| o.address.clone());
        if !organizes && let Some(o) = organizer {
            let from = self.others([o]);
            let how = Meeting::new(Channel::Calendar, Direction::Inbound, group_size, at);
            self.push(from, how.times(own_factor));
        }
        for (p, factor) in attendees {
            if Some(&p.address) == organizer_address.as_ref() {
                continue;
            }
            let one = self.others([p]);
            let how = if organizes {
                Meeting::new(Channel::Calendar, Direction::Outbound, group_size, at).times(factor)
            } else {
                Meeting::new(Channel::Calendar, Direction::Together, group_size, at)
                    .times(factor * own_factor)
            };
            self.push(one, how);
        }
    }

    fn document(&mut self, document: &Document, occurred_at: DateTime<Utc>) {
        let at = document.updated_at.min(occurred_at);
        let Some(owner) = self.mailbox(&document.owner) else {
            return;
        };
        let shared: Vec<Person> = document
            .shared_with
            .iter()
            .filter_map(|m| self.mailbox(m))
            .collect();
        let owns = self.is_own(&owner.address);
        let owner_address = owner.address.clone();
        let mut everyone = shared.clone();
        everyone.push(owner.clone());
        let group_size = self.group(everyone);
        if group_size > self.config.max_group_size {
            self.out.skipped.push(Skipped::LargeGroup);
            return;
        }
        if owns {
            let others = self.others(shared);
            self.push(
                others,
                Meeting::new(Channel::Document, Direction::Outbound, group_size, at),
            );
            return;
        }
        let mut leading = vec![owner];
        if let Some(editor) = document
            .last_modified_by
            .as_ref()
            .and_then(|m| self.mailbox(m))
            && editor.address != owner_address
        {
            leading.push(editor);
        }
        let leading = self.others(leading);
        let leading_addresses: BTreeSet<String> =
            leading.iter().map(|p| p.address.clone()).collect();
        self.push(
            leading,
            Meeting::new(Channel::Document, Direction::Inbound, group_size, at),
        );
        let fellows: Vec<Person> = shared
            .into_iter()
            .filter(|p| !leading_addresses.contains(&p.address))
            .collect();
        let fellows = self.others(fellows);
        self.push(
            fellows,
            Meeting::new(Channel::Document, Direction::Together, group_size, at),
        );
    }
}

/// How a set of people was met.
#[derive(Clone, Copy)]
struct Meeting {
    channel: Channel,
    direction: Direction,
    group_size: usize,
    factor: f64,
    at: DateTime<Utc>,
}

impl Meeting {
    fn new(channel: Channel, direction: Direction, group_size: usize, at: DateTime<Utc>) -> Self {
        Meeting {
            channel,
            direction,
            group_size,
            factor: 1.0,
            at,
        }
    }

    fn times(mut self, factor: f64) -> Self {
        self.factor *= factor;
        self
    }
}

fn response_factor(response: AttendeeResponse, weights: &Weights) -> f64 {
    match response {
        AttendeeResponse::Accepted => 1.0,
        AttendeeResponse::Tentative => weights.tentative_factor,
        AttendeeResponse::NeedsAction => weights.unanswered_factor,
        AttendeeResponse::Declined => weights.declined_factor,
    }
}
