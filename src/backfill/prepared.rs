//! E-mails prepared for batching: encoded once, where they are parsed.
//!
//! Sources parse records on several threads while one producer batches and publishes them in
//! order. To keep that producer light, each e-mail is turned into a [`PreparedEmail`] next to
//! its parser: its compact JSON (exactly what the event will carry), its times, the 64-bit key
//! the batcher dedupes on and the bytes its batch id hashes. The producer then only joins JSON
//! fragments; the [`Email`] itself is decoded again only in the rare batch the claim check must
//! rewrite.

use std::hash::{BuildHasher, Hasher};

use chrono::{DateTime, SecondsFormat, Utc};

use super::record::{self, EmailRecord, EncodedRecord, Parsed};
use crate::model::families::email::Email;
use crate::model::fields::Provider;
use crate::model::validate::Problem;

/// One e-mail, encoded and keyed.
#[derive(Debug)]
pub struct PreparedEmail {
    /// Compact JSON of the [`Email`], as `serde_json` serializes it.
    json: Box<str>,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// What duplicates are found by: a 64-bit hash of `provider_message_id`.
    pub dedupe_key: u64,
    /// `provider_message_id`, NUL, `updated_at` in RFC 3339, newline: the e-mail's part of its
    /// batch id.
    batch_id_part: Box<[u8]>,
}

impl PreparedEmail {
    /// Encodes `email`.
    pub fn new(email: &Email) -> Result<PreparedEmail, serde_json::Error> {
        Ok(PreparedEmail::from_json(
            serde_json::to_string(email)?,
            &email.provider_message_id,
            email.received_at,
            email.updated_at,
        ))
    }

    /// An e-mail already encoded as `json` (which must be its [`Email`]'s compact JSON), with
    /// the fields the batcher reads.
    pub fn from_json(
        json: String,
        provider_message_id: &str,
        received_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    ) -> PreparedEmail {
        let updated = updated_at.to_rfc3339_opts(SecondsFormat::AutoSi, false);
        let mut part = Vec::with_capacity(provider_message_id.len() + updated.len() + 2);
        part.extend_from_slice(provider_message_id.as_bytes());
        part.push(0);
        part.extend_from_slice(updated.as_bytes());
        part.push(b'\n');
        PreparedEmail {
            json: json.into_boxed_str(),
            received_at,
            updated_at,
            dedupe_key: dedupe_key(provider_message_id),
            batch_id_part: part.into_boxed_slice(),
        }
    }

    /// The e-mail's compact JSON.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The e-mail's part of its batch id (see [`super::batch::batch_id`]).
    pub fn batch_id_part(&self) -> &[u8] {
        &self.batch_id_part
    }

    /// The e-mail itself, decoded from its JSON.
    pub fn decode(&self) -> Result<Email, serde_json::Error> {
        serde_json::from_str(&self.json)
    }
}

/// A record whose e-mail is prepared.
#[derive(Debug)]
pub struct PreparedRecord {
    pub user_id: String,
    pub provider: Provider,
    pub email: PreparedEmail,
}

impl PreparedRecord {
    /// Prepares `record`'s e-mail.
    pub fn new(record: EmailRecord) -> Result<PreparedRecord, serde_json::Error> {
        Ok(PreparedRecord {
            email: PreparedEmail::new(&record.email)?,
            user_id: record.user_id,
            provider: record.provider,
        })
    }
}

impl From<EncodedRecord> for PreparedRecord {
    fn from(r: EncodedRecord) -> PreparedRecord {
        PreparedRecord {
            email: PreparedEmail::from_json(
                r.json,
                &r.provider_message_id,
                r.received_at,
                r.updated_at,
            ),
            user_id: r.user_id,
            provider: r.provider,
        }
    }
}

/// Parses one input unit (see [`record::parse`]) with each e-mail prepared for batching; a
/// plain record goes from its bytes to its prepared JSON without an owned [`Email`] between.
pub fn parse_prepared(bytes: &[u8]) -> Result<Vec<PreparedRecord>, Vec<Problem>> {
    match record::parse_encoded(bytes)? {
        Parsed::Encoded(record) => Ok(vec![record.into()]),
        Parsed::Records(records) => prepare(records),
    }
}

/// Prepares parsed records for batching.
pub fn prepare(records: Vec<EmailRecord>) -> Result<Vec<PreparedRecord>, Vec<Problem>> {
    records
        .into_iter()
        .map(|record| PreparedRecord::new(record).map_err(record::encode_problem))
        .collect()
}

/// The 64-bit dedupe key of a `provider_message_id`: SipHash with fixed keys, so the same id
/// always gets the same key, within a run and across runs.
pub fn dedupe_key(provider_message_id: &str) -> u64 {
    let mut hasher =
        std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
            .build_hasher();
    hasher.write(provider_message_id.as_bytes());
    hasher.finish()
}

/// A hasher for keys that are hashes already: the batcher's set of [`PreparedEmail::dedupe_key`]s
/// need not hash them a second time.
#[derive(Default, Clone, Copy)]
pub struct PrehashedKey(u64);

impl Hasher for PrehashedKey {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is expected; fold anything else in so it stays a valid hasher.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backfill::record;

    #[test]
    fn the_prepared_json_is_the_email_as_serde_writes_it_and_decodes_back() {
        let line = record::tests::record_json("u1", "m-\"1\"");
        let parsed = record::parse(line.as_bytes()).unwrap().remove(0);
        let prepared = PreparedRecord::new(parsed.clone()).unwrap();
        assert_eq!(
            prepared.email.json(),
            serde_json::to_string(&parsed.email).unwrap()
        );
        assert_eq!(prepared.email.decode().unwrap(), parsed.email);
        assert_eq!(prepared.user_id, "u1");
        assert_eq!(
            prepared.email.dedupe_key,
            dedupe_key(&parsed.email.provider_message_id)
        );
        assert_ne!(dedupe_key("m1"), dedupe_key("m2"));
    }

    #[test]
    fn the_batch_id_part_is_the_id_and_the_rfc3339_update_time() {
        let line = record::tests::record_json("u1", "m1");
        let parsed = record::parse(line.as_bytes()).unwrap().remove(0);
        let prepared = PreparedEmail::new(&parsed.email).unwrap();
        let expected = format!("m1\0{}\n", parsed.email.updated_at.to_rfc3339());
        assert_eq!(prepared.batch_id_part(), expected.as_bytes());
    }
}
