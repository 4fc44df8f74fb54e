//! Shipments found in e-mail (`officectl consume shipments`): carriers and their tracking
//! numbers ([`carrier`]), detection in one mail ([`detect`]), and the per-shipment state in
//! Redis that only moves forward ([`state`]).

pub mod carrier;
pub mod detect;
pub mod state;

#[cfg(test)]
mod tests;
