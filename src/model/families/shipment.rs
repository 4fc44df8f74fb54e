//! `ShipmentEvent`: a parcel tracked by the shipments tool (often found in order e-mails).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::fields::{Item, define_event};

define_event! {
    /// A tracked shipment and its latest status.
    ShipmentEvent, tag ShipmentEventTag = "ShipmentEvent", version 1, provider no,
    {
        pub shipment: Shipment,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shipment {
    #[schemars(length(min = 1, max = 512))]
    pub shipment_id: String,
    #[schemars(length(min = 1))]
    pub carrier: String,
    #[schemars(length(min = 1))]
    pub tracking_number: String,
    pub status: ShipmentStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_delivery: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<DateTime<Utc>>,
    /// The e-mail the shipment was found in, when it came from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_email_id: Option<String>,
    /// Carrier scan events, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checkpoints: Vec<Checkpoint>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub at: DateTime<Utc>,
    pub status: ShipmentStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentStatus {
    LabelCreated,
    InTransit,
    OutForDelivery,
    Delivered,
    Exception,
    Returned,
}

impl Item for Shipment {
    fn doc_id(&self) -> &str {
        &self.shipment_id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}
