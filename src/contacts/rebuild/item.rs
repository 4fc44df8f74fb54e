//! One input of a rebuild: an event decoded (with its idempotency key) or why it is not one,
//! where it came from, and for a subscription the delivery to settle.

use crate::model::Event;
use crate::model::validate::Problem;
use crate::pubsub::Delivery;

pub(super) struct Item {
    /// `line N` or `message ID`, for reports and errors.
    pub(super) position: String,
    /// The line number (NDJSON) or the message's ordinal.
    pub(super) line: u64,
    pub(super) decoded: Result<(Event, String), Vec<Problem>>,
    pub(super) delivery: Option<Delivery>,
}
