//! One shipment per (user, carrier, tracking number) in Redis, whose status only moves forward,
//! and each e-mail applied once.
//!
//! Keys (see [`crate::keys`]): a hash per shipment (`rank`, `at`, `doc`: the shipment as last
//! published) with a 180-day TTL renewed on change, and a marker per e-mail applied (31 days)
//! holding the shipments it changed until they are published (the outbox, as in contact
//! discovery: a crash or a failed publish leaves them for the redelivery).
//!
//! Forward means a higher rank (label created 1, in transit 2, out for delivery and exception 3,
//! delivered and returned 4), or the same rank from a later mail (an exception after an
//! out-for-delivery, and back). A late "shipped" mail never overwrites "delivered".

use chrono::{DateTime, Utc};
use redis::AsyncCommands;
use std::time::Duration;

use super::carrier::Carrier;
use super::detect::Found;
use crate::keys;
use crate::model::families::shipment::{Checkpoint, Shipment, ShipmentStatus};

/// How long a shipment is kept after its last change.
pub const SHIPMENT_TTL: Duration = Duration::from_secs(180 * 86_400);

/// How long an e-mail's marker keeps a redelivery from applying it again.
pub const SEEN_TTL: Duration = Duration::from_secs(31 * 86_400);

const MAX_ATTEMPTS: u32 = 32;

/// How far along a status is.
pub fn rank(status: ShipmentStatus) -> u8 {
    match status {
        ShipmentStatus::LabelCreated => 1,
        ShipmentStatus::InTransit => 2,
        ShipmentStatus::OutForDelivery | ShipmentStatus::Exception => 3,
        ShipmentStatus::Delivered | ShipmentStatus::Returned => 4,
    }
}

/// A shipment state failure, naming the Redis operation or key.
#[derive(Debug, thiserror::Error)]
pub enum ShipmentStoreError {
    #[error("Redis {operation}: {source}")]
    Redis {
        operation: &'static str,
        #[source]
        source: redis::RedisError,
    },
    #[error("the shipment `{key}` is not readable: {source}")]
    Corrupt {
        key: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("applying e-mail `{email}` of user `{user}`: its shipments kept changing")]
    Contended { user: String, email: String },
}

fn redis_err(operation: &'static str) -> impl Fn(redis::RedisError) -> ShipmentStoreError {
    move |source| ShipmentStoreError::Redis { operation, source }
}

/// What applying one e-mail did.
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    /// Applied before; these shipments are still to publish (their keys).
    Before(Vec<String>),
    /// Applied now: the shipments it moved forward (to publish), by key.
    Now(Vec<(String, Shipment)>),
}

/// The e-mail a shipment was found in.
pub struct SourceMail<'a> {
    pub user: &'a str,
    pub provider_message_id: &'a str,
    pub received_at: DateTime<Utc>,
}

/// KEYS: the e-mail's marker, then the shipments. ARGV: marker TTL (ms), shipment TTL (ms),
/// then per shipment: the `at` read (empty when absent), new rank, new at, new doc. Returns
/// `dup` with the marker, `conflict`, or `ok` with the marker written (the keys changed).
const APPLY_LUA: &str = r#"
local marker = redis.call('GET', KEYS[1])
if marker then return {'dup', marker} end
local n = #KEYS - 1
for i = 1, n do
  local at = redis.call('HGET', KEYS[1 + i], 'at') or ''
  if at ~= ARGV[3 + 4 * (i - 1)] then return {'conflict', ''} end
end
for i = 1, n do
  local a = 3 + 4 * (i - 1)
  redis.call('HSET', KEYS[1 + i], 'rank', ARGV[a + 1], 'at', ARGV[a + 2], 'doc', ARGV[a + 3])
  redis.call('PEXPIRE', KEYS[1 + i], ARGV[2])
end
local changed = {}
for i = 1, n do table.insert(changed, KEYS[1 + i]) end
local value = cjson.encode(changed)
if n == 0 then value = '[]' end
redis.call('SET', KEYS[1], value, 'PX', ARGV[1])
return {'ok', value}
"#;

/// The shipments of every user, in Redis.
#[derive(Clone)]
pub struct ShipmentStore {
    conn: redis::aio::MultiplexedConnection,
}

impl ShipmentStore {
    pub fn new(conn: redis::aio::MultiplexedConnection) -> ShipmentStore {
        ShipmentStore { conn }
    }

    /// Applies what one e-mail announces, once.
    pub async fn apply(
        &self,
        mail: &SourceMail<'_>,
        found: &[Found],
    ) -> Result<Applied, ShipmentStoreError> {
        let marker = keys::shipments_seen(mail.user, mail.provider_message_id);
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(u64::from(attempt) * 2)).await;
            }
            let mut conn = self.conn.clone();
            let script = redis::Script::new(APPLY_LUA);
            let mut invocation = script.prepare_invoke();
            invocation
                .key(&marker)
                .arg(SEEN_TTL.as_millis() as u64)
                .arg(SHIPMENT_TTL.as_millis() as u64);
            let mut changed = Vec::new();
            for f in found {
                let key = keys::shipment(mail.user, f.carrier.as_str(), &f.tracking_number);
                let (at, doc): (Option<String>, Option<String>) = redis::cmd("HMGET")
                    .arg(&key)
                    .arg("at")
                    .arg("doc")
                    .query_async(&mut conn)
                    .await
                    .map_err(redis_err("HMGET (shipment)"))?;
                let current = doc
                    .map(|d| {
                        serde_json::from_str::<Shipment>(&d).map_err(|source| {
                            ShipmentStoreError::Corrupt {
                                key: key.clone(),
                                source,
                            }
                        })
                    })
                    .transpose()?;
                let Some(next) = advance(current.as_ref(), f, mail) else {
                    continue;
                };
                let doc =
                    serde_json::to_string(&next).map_err(|source| ShipmentStoreError::Corrupt {
                        key: key.clone(),
                        source,
                    })?;
                invocation
                    .key(&key)
                    .arg(at.unwrap_or_default())
                    .arg(rank(next.status))
                    .arg(mail.received_at.timestamp_millis())
                    .arg(doc);
                changed.push((key, next));
            }
            let (answer, value): (String, String) = invocation
                .invoke_async(&mut conn)
                .await
                .map_err(redis_err("apply e-mail (script)"))?;
            match answer.as_str() {
                "dup" => return Ok(Applied::Before(parse_outbox(&value))),
                "ok" => return Ok(Applied::Now(changed)),
                _ => continue,
            }
        }
        Err(ShipmentStoreError::Contended {
            user: mail.user.to_string(),
            email: mail.provider_message_id.to_string(),
        })
    }

    /// The shipments stored under `keys` (`None` for one that is gone).
    pub async fn shipments(
        &self,
        keys: &[String],
    ) -> Result<Vec<Option<Shipment>>, ShipmentStoreError> {
        let mut out = Vec::with_capacity(keys.len());
        let mut conn = self.conn.clone();
        for key in keys {
            let doc: Option<String> = conn
                .hget(key, "doc")
                .await
                .map_err(redis_err("HGET (shipment)"))?;
            out.push(
                doc.map(|d| {
                    serde_json::from_str(&d).map_err(|source| ShipmentStoreError::Corrupt {
                        key: key.clone(),
                        source,
                    })
                })
                .transpose()?,
            );
        }
        Ok(out)
    }

    /// Marks the e-mail's shipments published (its outbox emptied, the marker kept).
    pub async fn settle(&self, user: &str, email: &str) -> Result<(), ShipmentStoreError> {
        let mut conn = self.conn.clone();
        redis::cmd("SET")
            .arg(keys::shipments_seen(user, email))
            .arg("[]")
            .arg("XX")
            .arg("KEEPTTL")
            .query_async::<()>(&mut conn)
            .await
            .map_err(redis_err("SET (e-mail marker)"))
    }
}

fn parse_outbox(value: &str) -> Vec<String> {
    serde_json::from_str(value).unwrap_or_default()
}

/// The shipment after `found` from `mail`, or `None` when it does not move it forward.
pub fn advance(
    current: Option<&Shipment>,
    found: &Found,
    mail: &SourceMail<'_>,
) -> Option<Shipment> {
    let at = mail.received_at;
    let checkpoint = Checkpoint {
        at,
        status: found.status,
        location: None,
        message: None,
    };
    match current {
        None => Some(Shipment {
            shipment_id: shipment_id(found.carrier, &found.tracking_number),
            carrier: found.carrier.as_str().to_string(),
            tracking_number: found.tracking_number.clone(),
            status: found.status,
            merchant: found.merchant.clone(),
            order_id: found.order_id.clone(),
            description: None,
            tracking_url: Some(found.carrier.tracking_url(&found.tracking_number)),
            origin: None,
            destination: None,
            estimated_delivery: None,
            delivered_at: (found.status == ShipmentStatus::Delivered).then_some(at),
            source_email_id: Some(mail.provider_message_id.to_string()),
            checkpoints: vec![checkpoint],
            updated_at: at,
        }),
        Some(current) => {
            let (new, old) = (rank(found.status), rank(current.status));
            let forward = new > old
                || (new == old && at > current.updated_at && found.status != current.status);
            if !forward {
                return None;
            }
            let mut next = current.clone();
            next.status = found.status;
            next.merchant = next.merchant.or_else(|| found.merchant.clone());
            next.order_id = next.order_id.or_else(|| found.order_id.clone());
            if found.status == ShipmentStatus::Delivered {
                next.delivered_at = Some(at);
            }
            next.source_email_id = Some(mail.provider_message_id.to_string());
            next.checkpoints.push(checkpoint);
            next.updated_at = next.updated_at.max(at);
            Some(next)
        }
    }
}

/// A shipment's id: `<carrier>:<tracking number>`, so every mail about it updates one document.
pub fn shipment_id(carrier: Carrier, tracking_number: &str) -> String {
    format!("{}:{tracking_number}", carrier.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(status: ShipmentStatus) -> Found {
        Found {
            carrier: Carrier::Ups,
            tracking_number: "1Z999AA10123456784".into(),
            status,
            merchant: None,
            order_id: None,
        }
    }

    fn mail(day: u32) -> SourceMail<'static> {
        SourceMail {
            user: "u",
            provider_message_id: "m",
            received_at: format!("2026-11-{day:02}T10:00:00Z").parse().unwrap(),
        }
    }

    #[test]
    fn status_only_moves_forward() {
        use ShipmentStatus::*;
        let s = advance(None, &found(InTransit), &mail(2)).unwrap();
        let s = advance(Some(&s), &found(Delivered), &mail(4)).unwrap();
        assert_eq!(s.delivered_at, Some(mail(4).received_at));
        // A late "shipped" mail, or one from before, changes nothing.
        assert!(advance(Some(&s), &found(InTransit), &mail(5)).is_none());
        assert!(advance(Some(&s), &found(LabelCreated), &mail(1)).is_none());
        // Out for delivery and an exception follow each other at the same rank, later only.
        let o = advance(None, &found(OutForDelivery), &mail(3)).unwrap();
        let e = advance(Some(&o), &found(Exception), &mail(4)).unwrap();
        assert_eq!(e.status, Exception);
        assert!(advance(Some(&e), &found(OutForDelivery), &mail(2)).is_none());
        assert_eq!(e.checkpoints.len(), 2);
    }
}
