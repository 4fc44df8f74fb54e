//! Finding shipments in one e-mail: tracking numbers that pass their carrier's check digit, in
//! the carrier's context, with the status the mail announces.
//!
//! A number counts when it passes a carrier's rule ([`Carrier::accepts`]) and either the mail
//! comes from that carrier's domain and speaks of tracking, or the mail names the carrier and a
//! tracking word comes shortly before the number. Replies and forwards (`Re:`, `Fwd:`, …) and
//! quoted lines (`>`) are not read: a reply quoting a tracking mail is not a new shipment. The
//! status is the strongest phrase found (delivered, out for delivery, exception, label created,
//! shipped/in transit); a number in a shipping context without one reads as in transit.

use crate::model::families::email::Email;
use crate::model::families::shipment::ShipmentStatus;

use super::carrier::Carrier;

/// Characters before a number within which a tracking word must stand (merchant mail).
const CONTEXT_WINDOW: usize = 120;

/// Words that say a number is for tracking.
const TRACKING_WORDS: [&str; 5] = ["tracking", "track your", "track package", "track:", "awb"];

/// Status phrases, strongest first.
const STATUS_PHRASES: [(ShipmentStatus, &[&str]); 5] = [
    (
        ShipmentStatus::Delivered,
        &[
            "has been delivered",
            "was delivered",
            "is delivered",
            "delivered today",
            "delivered:",
            "package delivered",
            "shipment delivered",
        ],
    ),
    (ShipmentStatus::OutForDelivery, &["out for delivery"]),
    (
        ShipmentStatus::Exception,
        &[
            "delivery exception",
            "unable to deliver",
            "delivery attempt",
            "could not be delivered",
            "shipment exception",
            "delayed",
        ],
    ),
    (
        ShipmentStatus::LabelCreated,
        &[
            "label created",
            "label has been created",
            "label was created",
            "shipment information received",
        ],
    ),
    (
        ShipmentStatus::InTransit,
        &[
            "has shipped",
            "on its way",
            "in transit",
            "on the way",
            "shipped",
        ],
    ),
];

/// Subject prefixes of replies and forwards.
const REPLY_PREFIXES: [&str; 6] = ["re:", "fw:", "fwd:", "aw:", "sv:", "wg:"];

/// A shipment one mail announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub carrier: Carrier,
    pub tracking_number: String,
    pub status: ShipmentStatus,
    /// The sender's name, when the sender is a merchant rather than the carrier.
    pub merchant: Option<String>,
    pub order_id: Option<String>,
}

/// The shipments `email` announces; its body as text (`body`, tags stripped by the caller or
/// here) when it has one.
pub fn detect(email: &Email, body: &str) -> Vec<Found> {
    let subject = email.subject.trim().to_lowercase();
    if REPLY_PREFIXES.iter().any(|p| subject.starts_with(p)) {
        return Vec::new();
    }
    let unquoted: String = strip_tags(body)
        .lines()
        .filter(|l| !l.trim_start().starts_with('>'))
        .collect::<Vec<_>>()
        .join("\n");
    let text = format!("{}\n{}", email.subject, unquoted);
    let lower = text.to_lowercase();
    let sender_domain = email
        .from
        .email
        .rsplit_once('@')
        .map(|(_, d)| d.to_lowercase())
        .unwrap_or_default();
    let sender_carrier = Carrier::ALL.into_iter().find(|c| {
        c.sender_domains()
            .iter()
            .any(|d| sender_domain == *d || sender_domain.ends_with(&format!(".{d}")))
    });
    let speaks_of_tracking = TRACKING_WORDS.iter().any(|w| lower.contains(w));
    let status = status_of(&lower);
    let merchant = match sender_carrier {
        Some(_) => None,
        None => email.from.name.clone().filter(|n| !n.trim().is_empty()),
    };
    let order_id = order_id(&text);
    let mut found: Vec<Found> = Vec::new();
    for (start, token) in tokens(&text) {
        let number = token.to_uppercase();
        for carrier in Carrier::ALL {
            if !carrier.accepts(&number) {
                continue;
            }
            let from_carrier = sender_carrier == Some(carrier) && speaks_of_tracking;
            let named = carrier.names().iter().any(|n| contains_word(&lower, n));
            let mut from = start.saturating_sub(CONTEXT_WINDOW);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let before = text[from..start].to_lowercase();
            let near_tracking = TRACKING_WORDS.iter().any(|w| before.contains(w));
            if (from_carrier || (named && near_tracking))
                && !found
                    .iter()
                    .any(|f| f.carrier == carrier && f.tracking_number == number)
            {
                found.push(Found {
                    carrier,
                    tracking_number: number.clone(),
                    status: status.unwrap_or(ShipmentStatus::InTransit),
                    merchant: merchant.clone(),
                    order_id: order_id.clone(),
                });
            }
        }
    }
    found
}

/// The strongest status phrase in `lower`, if any.
pub fn status_of(lower: &str) -> Option<ShipmentStatus> {
    STATUS_PHRASES
        .iter()
        .find(|(_, phrases)| {
            phrases.iter().any(|p| {
                lower.match_indices(p).any(|(i, _)| {
                    // "will be delivered", "to be delivered": a promise, not a fact.
                    !(lower[..i].ends_with("will be ") || lower[..i].ends_with("to be "))
                })
            })
        })
        .map(|(s, _)| *s)
}

/// Alphanumeric runs of 10 to 34 characters with at least 8 digits, with their byte offsets.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        if c.is_ascii_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            let token = &text[s..i];
            let digits = token.bytes().filter(u8::is_ascii_digit).count();
            if (10..=34).contains(&token.len()) && digits >= 8 {
                out.push((s, token));
            }
        }
    }
    out
}

/// An order number: `order` then optionally `#`, `number`, `no.`, `id` and `:`, then a run of
/// letters, digits and `-` with a digit in it.
fn order_id(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    for (i, _) in lower.match_indices("order") {
        let mut rest = &text[i + "order".len()..];
        for filler in [" ", "#", "number", "no.", "no", "id", ":", " ", "#"] {
            let trimmed = rest.trim_start();
            if trimmed.to_lowercase().starts_with(filler) {
                rest = &trimmed[filler.len()..];
            }
        }
        let rest = rest.trim_start();
        let id: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if id.len() >= 4 && id.chars().any(|c| c.is_ascii_digit()) {
            return Some(id.trim_end_matches('-').to_string());
        }
    }
    None
}

fn contains_word(lower: &str, word: &str) -> bool {
    lower.match_indices(word).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The text of an HTML body: tags become spaces (`<br>`, `</p>` and `</div>` new lines).
fn strip_tags(body: &str) -> String {
    if !body.contains('<') {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len());
    let mut tag = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let t = tag.to_lowercase();
                out.push(
                    if t.starts_with("br") || t == "/p" || t == "/div" || t == "/tr" {
                        '\n'
                    } else {
                        ' '
                    },
                );
            }
            (true, c) => tag.push(c),
            (false, c) => out.push(c),
        }
    }
    out
}
