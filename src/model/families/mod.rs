//! The event families, one module each.

pub mod booking;
pub mod calendar;
pub mod contact;
pub mod deletion;
pub mod document;
pub mod email;
pub mod llm_chat;
pub mod meeting_poll;
pub mod shipment;
pub mod todo;

pub use booking::BookingEvent;
pub use calendar::CalendarEvent;
pub use contact::ContactEvent;
pub use deletion::{DeletedItem, DeletionEvent};
pub use document::DocumentEvent;
pub use email::EmailEvent;
pub use llm_chat::LlmChatEvent;
pub use meeting_poll::MeetingPollEvent;
pub use shipment::ShipmentEvent;
pub use todo::TodoEvent;
