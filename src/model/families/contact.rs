//! `ContactEvent`: one address-book contact created, changed or deleted.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::fields::{Item, define_event};

define_event! {
    /// An address-book contact of one user.
    ContactEvent, tag ContactEventTag = "ContactEvent", version 1, provider yes,
    {
        pub contact: Contact,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[schemars(length(min = 1, max = 512))]
    pub provider_contact_id: String,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<LabeledValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<LabeledValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<PostalAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Contact groups / labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    /// Where the contact comes from: the user's address book (the default), or contact
    /// discovery, which learned it from mail, calendars and documents.
    #[serde(default, skip_serializing_if = "ContactSource::is_address_book")]
    pub source: ContactSource,
    /// How relevant the person is to the user now (contact discovery's decayed interaction
    /// score; see `docs/contacts.md`). Vespa ranks contacts by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub relevance: Option<f64>,
    pub updated_at: DateTime<Utc>,
}

/// Where a contact comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactSource {
    /// The user's address book at the provider.
    #[default]
    AddressBook,
    /// Contact discovery (`officectl consume contact-discovery`).
    Discovery,
}

impl ContactSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactSource::AddressBook => "address_book",
            ContactSource::Discovery => "discovery",
        }
    }

    fn is_address_book(&self) -> bool {
        *self == ContactSource::AddressBook
    }
}

/// An e-mail address or phone number with its label (`work`, `home`, `mobile`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabeledValue {
    #[schemars(length(min = 1))]
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default)]
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PostalAddress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 2, max = 2))]
    pub country: Option<String>,
}

impl Item for Contact {
    fn doc_id(&self) -> &str {
        &self.provider_contact_id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}
