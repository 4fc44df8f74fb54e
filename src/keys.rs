//! Every Redis key officectl reads or writes is built here, and only here.
//!
//! Keys share the `office:` prefix of the platform. Parts that come from input are checked for
//! length: an over-long part is replaced by a hash so keys stay bounded.

/// Prefix shared by every key of the platform.
pub const PREFIX: &str = crate::namespace::PLATFORM;

/// Longest part kept verbatim; longer parts are replaced by a hash of themselves.
pub const MAX_PART_LEN: usize = 128;

/// Returns `part` unchanged when short enough, else a stable hash of it (`h:<32 hex digits>`).
pub fn bounded_part(part: &str) -> std::borrow::Cow<'_, str> {
    if part.len() <= MAX_PART_LEN {
        std::borrow::Cow::Borrowed(part)
    } else {
        std::borrow::Cow::Owned(format!("h:{}", digest_hex(part.as_bytes())))
    }
}

/// Joins parts with `:` under the platform prefix (inside a [`crate::namespace`], under its
/// prefix), bounding each part.
pub fn join(parts: &[&str]) -> String {
    let mut key = crate::namespace::key_prefix().into_owned();
    for part in parts {
        key.push(':');
        key.push_str(&bounded_part(part));
    }
    key
}

/// Scratch key that `doctor` writes, reads back and deletes to prove Redis accepts writes.
pub fn doctor_scratch(token: &str) -> String {
    join(&["officectl", "doctor", token])
}

/// Key a consumer's `/readyz` reads (never written) to prove Redis answers.
pub fn readiness_probe() -> String {
    join(&["readyz"])
}

/// Escapes `%` and `:` in a part taken from input, so a `user_id` such as `a:email:x` cannot make
/// its key collide with another user's key (parts are joined with `:`).
pub fn escape_part(part: &str) -> std::borrow::Cow<'_, str> {
    if part.contains([':', '%']) {
        std::borrow::Cow::Owned(part.replace('%', "%25").replace(':', "%3A"))
    } else {
        std::borrow::Cow::Borrowed(part)
    }
}

/// Joins input parts with `:` under the platform prefix, escaping then bounding each part.
fn join_escaped(parts: &[&str]) -> String {
    let escaped: Vec<std::borrow::Cow<'_, str>> = parts.iter().map(|p| escape_part(p)).collect();
    let refs: Vec<&str> = escaped.iter().map(|p| p.as_ref()).collect();
    join(&refs)
}

/// Claim-check key of one item's parked payload: `office:{user_id}:{doc_type}:{doc_id}`.
pub fn claim_check(user_id: &str, doc_type: &str, doc_id: &str) -> String {
    join_escaped(&[user_id, doc_type, doc_id])
}

/// Idempotency key of immutable data: `imm:{user_id}:{provider_message_id}` (parts escaped and
/// bounded like key parts). Carried in the `idempotency_key` attribute.
pub fn idempotency_immutable(user_id: &str, provider_message_id: &str) -> String {
    idempotency(&["imm", user_id, provider_message_id])
}

/// Idempotency key of mutable data: `mut:{user_id}:{provider_message_id}:{updated_at}`.
pub fn idempotency_mutable(user_id: &str, provider_message_id: &str, updated_at: &str) -> String {
    idempotency(&["mut", user_id, provider_message_id, updated_at])
}

/// Idempotency key of a batch: `batch:{batch_id}:{correlation_id}`.
pub fn idempotency_batch(batch_id: &str, correlation_id: &str) -> String {
    idempotency(&["batch", batch_id, correlation_id])
}

fn idempotency(parts: &[&str]) -> String {
    let mut key = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            key.push(':');
        }
        key.push_str(&bounded_part(&escape_part(part)));
    }
    key
}

/// Backfill checkpoint of one user for one destination topic (full name):
/// `office:backfill:checkpoint:{topic}:{user_id}` (parts escaped and bounded).
pub fn backfill_checkpoint(topic: &str, user_id: &str) -> String {
    let topic = escape_part(topic);
    let user_id = escape_part(user_id);
    join(&["backfill", "checkpoint", &topic, &user_id])
}

/// Checkpoint of one `reindex` re-feed run: `office:reindex:checkpoint:{mode}:{digest}`, where
/// `digest` is a hash of the run's identity (mode, source and filters, as text), so the same
/// command finds the same checkpoint and any other selection gets its own.
pub fn reindex_checkpoint(mode: &str, identity: &str) -> String {
    join(&[
        "reindex",
        "checkpoint",
        &escape_part(mode),
        &digest_hex(identity.as_bytes()),
    ])
}

/// Dedupe key marking an idempotency key as done for one consumer:
/// `office:dedupe:{consumer}:{doc_type}:done:{idempotency_key}`.
pub fn dedupe_done(consumer: &str, doc_type: &str, idempotency_key: &str) -> String {
    dedupe(consumer, doc_type, "done", idempotency_key)
}

/// Dedupe key marking an idempotency key as being processed by one consumer (short TTL):
/// `office:dedupe:{consumer}:{doc_type}:wip:{idempotency_key}`.
pub fn dedupe_in_progress(consumer: &str, doc_type: &str, idempotency_key: &str) -> String {
    dedupe(consumer, doc_type, "wip", idempotency_key)
}

fn dedupe(consumer: &str, doc_type: &str, state: &str, idempotency_key: &str) -> String {
    // The idempotency key is already escaped part by part; escaping it again keeps its `:`
    // separators from being read as key structure.
    join(&[
        "dedupe",
        &escape_part(consumer),
        &escape_part(doc_type),
        state,
        &escape_part(idempotency_key),
    ])
}

/// First 128 bits of SHA-256, in hex: short enough for a key, and (unlike a 64-bit hash) no
/// realistic chance that two long dedupe keys collide and mark a new event as a duplicate.
fn digest_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// A contact's id: a hash of its normalised address, so that keys, and the suppression marker
/// an erasure leaves, never hold the address in clear.
pub fn contact_id(normalised_address: &str) -> String {
    digest_hex(normalised_address.as_bytes())
}

/// One `EmailContact` record: `office:{user_id}:contact:{contact_id}`.
pub fn contact(user_id: &str, contact_id: &str) -> String {
    join_escaped(&[user_id, "contact", contact_id])
}

/// A user's contacts ranked by score: `office:{user_id}:contacts:ranked` (sorted set of ids).
pub fn contacts_ranked(user_id: &str) -> String {
    join_escaped(&[user_id, "contacts", "ranked"])
}

/// The addresses a user sends from, learned from sent mail: `office:{user_id}:contacts:self`.
pub fn contacts_self(user_id: &str) -> String {
    join_escaped(&[user_id, "contacts", "self"])
}

/// Marks an event as counted for a user's contacts:
/// `office:{user_id}:contacts:seen:{idempotency_key}`.
pub fn contacts_seen(user_id: &str, idempotency_key: &str) -> String {
    join_escaped(&[user_id, "contacts", "seen", idempotency_key])
}

/// Contact ids a user asked to forget, not to be rediscovered:
/// `office:{user_id}:contacts:forgotten` (set of ids).
pub fn contacts_forgotten(user_id: &str) -> String {
    join_escaped(&[user_id, "contacts", "forgotten"])
}

/// The user whose ranking `key` is, when `key` is a [`contacts_ranked`] key (for `contacts
/// prune`, which finds every user's contacts with `SCAN`). `None` for another key, or one whose
/// user id was too long to keep (hashed).
pub fn user_of_contacts_ranked(key: &str) -> Option<String> {
    let escaped = key
        .strip_prefix(crate::namespace::key_prefix().as_ref())?
        .strip_prefix(':')?
        .strip_suffix(":contacts:ranked")?;
    // An escaped part has no `:`; a hashed one is `h:<digest>`.
    if escaped.contains(':') {
        return None;
    }
    Some(escaped.replace("%3A", ":").replace("%25", "%"))
}

/// The checkpoint of a `contacts rebuild` of one input for one selection of users (`run` is a
/// digest of both): `office:contacts:rebuild:{run}`.
pub fn contacts_rebuild_checkpoint(source: &str, users: &[String]) -> String {
    let mut text = String::from(source);
    for user in users {
        text.push('\n');
        text.push_str(user);
    }
    join(&["contacts", "rebuild", &digest_hex(text.as_bytes())])
}

/// A drill's feed ledger: how many times the loader fed each idempotency key
/// (`office:drill:feeds`, a hash; inside the drill's namespace like every key).
pub fn drill_feeds() -> String {
    join(&["drill", "feeds"])
}

/// When the loader first fed each idempotency key, in Unix milliseconds
/// (`office:drill:fed_at`, a hash).
pub fn drill_fed_at() -> String {
    join(&["drill", "fed_at"])
}

/// The pattern [`contacts_ranked`] keys match, for `SCAN`.
pub fn contacts_ranked_pattern() -> String {
    format!("{}:*:contacts:ranked", crate::namespace::key_prefix())
}

/// Erasures of contacts (who, when, how many; no address): `office:audit:contacts` (a list,
/// newest first).
pub fn contacts_audit() -> String {
    join(&["audit", "contacts"])
}

/// One shipment found in a user's mail: `office:{user_id}:shipment:{carrier}:{tracking_number}`.
pub fn shipment(user_id: &str, carrier: &str, tracking_number: &str) -> String {
    join_escaped(&[user_id, "shipment", carrier, tracking_number])
}

/// The calendar entries the `meetings` consumer knows of one user (hash: entry id → state):
/// `office:{user_id}:meetings:calendar`.
pub fn meetings_calendar(user_id: &str) -> String {
    join_escaped(&[user_id, "meetings", "calendar"])
}

/// When each known calendar entry may be forgotten (sorted set: entry id by ms):
/// `office:{user_id}:meetings:calendar:until`.
pub fn meetings_calendar_until(user_id: &str) -> String {
    join_escaped(&[user_id, "meetings", "calendar", "until"])
}

/// A booking as the `meetings` consumer last knew it: `office:{user_id}:meetings:booking:{booking_id}`.
pub fn meetings_booking(user_id: &str, booking_id: &str) -> String {
    join_escaped(&[user_id, "meetings", "booking", booking_id])
}

/// The booking a calendar entry belongs to (its id):
/// `office:{user_id}:meetings:booking_of:{calendar_event_id}`.
pub fn meetings_booking_of(user_id: &str, calendar_event_id: &str) -> String {
    join_escaped(&[user_id, "meetings", "booking_of", calendar_event_id])
}

/// A user's open meeting polls (hash: poll id → poll): `office:{user_id}:meetings:polls`.
pub fn meetings_polls(user_id: &str) -> String {
    join_escaped(&[user_id, "meetings", "polls"])
}

/// Bumped by every change to a user's meetings state, so concurrent changes retry:
/// `office:{user_id}:meetings:version`.
pub fn meetings_version(user_id: &str) -> String {
    join_escaped(&[user_id, "meetings", "version"])
}

/// Marks one item of an event as applied by the `meetings` consumer (its value: what it still
/// owes to publish): `office:{user_id}:meetings:seen:{idempotency_key}`.
pub fn meetings_seen(user_id: &str, idempotency_key: &str) -> String {
    join_escaped(&[user_id, "meetings", "seen", idempotency_key])
}

/// What one correlation id's work did at one stage (`published`, `consumed`), for `officectl
/// trace`: `office:trace:{correlation_id}:{stage}` (hash: `{by}|{event_id}` → entry).
pub fn trace_stage(correlation_id: &str, stage: &str) -> String {
    join_escaped(&["trace", correlation_id, stage])
}

/// The correlation id of an event (`kind` `event`) or a batch (`kind` `batch`), for tracing
/// from either: `office:trace:by_{kind}:{id}`.
pub fn trace_index(kind: &str, id: &str) -> String {
    join_escaped(&["trace", &format!("by_{kind}"), id])
}

/// Marks one e-mail as applied to its user's shipments (its value: what it still owes to
/// publish): `office:{user_id}:shipments:seen:{provider_message_id}`.
pub fn shipments_seen(user_id: &str, provider_message_id: &str) -> String {
    join_escaped(&[user_id, "shipments", "seen", provider_message_id])
}

/// A user's live notifications for the browser (fe-sse), a capped Redis Stream:
/// `office:{user_id}:sse:stream`.
pub fn sse_stream(user_id: &str) -> String {
    join_escaped(&[user_id, "sse", "stream"])
}

/// Marks an event as appended to its user's notification stream (a redelivery appends nothing):
/// `office:{user_id}:sse:seen:{event_id}`.
pub fn sse_seen(user_id: &str, event_id: &str) -> String {
    join_escaped(&[user_id, "sse", "seen", event_id])
}

/// The Redis pub/sub channel every fe-sse replica listens on; each append publishes the user id
/// on it: `office:sse:signal`.
pub fn sse_signal_channel() -> String {
    join(&["sse", "signal"])
}

/// Publish-mode flag of a data type: `office:flags:publish_mode:{data_type}`.
pub fn flag_publish_mode(data_type: &str) -> String {
    join(&["flags", "publish_mode", &escape_part(data_type)])
}

/// Read-source flag of a consumer: `office:flags:read_source:{consumer}:{data_type}`.
pub fn flag_read_source(consumer: &str, data_type: &str) -> String {
    join(&[
        "flags",
        "read_source",
        &escape_part(consumer),
        &escape_part(data_type),
    ])
}

/// A consumer process's heartbeat: `office:consumers:{consumer}:{instance}`.
pub fn consumer_heartbeat(consumer: &str, instance: &str) -> String {
    join(&["consumers", &escape_part(consumer), &escape_part(instance)])
}

/// The prefix of every consumer heartbeat: `office:consumers:`.
pub fn consumer_heartbeats() -> String {
    format!("{}:", join(&["consumers"]))
}

/// A migration plan's journal: `office:migrate:{plan}:journal`.
pub fn migration_journal(plan: &str) -> String {
    join(&["migrate", &escape_part(plan), "journal"])
}

/// A migration plan's lock (a lease): `office:migrate:{plan}:lock`.
pub fn migration_lock(plan: &str) -> String {
    join(&["migrate", &escape_part(plan), "lock"])
}

/// A migration plan's fencing-token counter: `office:migrate:{plan}:fence`.
pub fn migration_fence(plan: &str) -> String {
    join(&["migrate", &escape_part(plan), "fence"])
}

/// The set of plan names that have a journal: `office:migrate:plans`.
pub fn migration_plans() -> String {
    join(&["migrate", "plans"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_parts_are_kept() {
        assert_eq!(doctor_scratch("abc"), "office:officectl:doctor:abc");
    }

    #[test]
    fn long_parts_are_hashed_stably() {
        let long = "x".repeat(MAX_PART_LEN + 1);
        let a = join(&[&long]);
        let b = join(&[&long]);
        assert_eq!(a, b);
        assert!(a.len() < 50, "{a}");
        assert_ne!(
            join(&[&long]),
            join(&["y".repeat(MAX_PART_LEN + 1).as_str()])
        );
    }

    #[test]
    fn claim_check_keys_follow_the_platform_layout() {
        assert_eq!(claim_check("u1", "email", "m-1"), "office:u1:email:m-1");
    }

    #[test]
    fn colons_in_parts_cannot_forge_another_key() {
        let a = claim_check("a:email:x", "email", "y");
        let b = claim_check("a", "email", "x:email:y");
        assert_ne!(a, b);
        assert_eq!(a, "office:a%3Aemail%3Ax:email:y");
        assert_ne!(claim_check("a%3A", "t", "d"), claim_check("a:", "t", "d"));
    }

    #[test]
    fn long_claim_check_parts_are_hashed() {
        let long_id = "m".repeat(500);
        let key = claim_check("u1", "email", &long_id);
        assert!(key.starts_with("office:u1:email:h:"), "{key}");
        assert!(key.len() < 60, "{key}");
    }

    #[test]
    fn idempotency_keys_per_strategy() {
        assert_eq!(idempotency_immutable("u1", "m1"), "imm:u1:m1");
        assert_eq!(
            idempotency_mutable("u1", "m1", "2024-01-01T00:00:00Z"),
            "mut:u1:m1:2024-01-01T00%3A00%3A00Z"
        );
        assert_eq!(idempotency_batch("b1", "c1"), "batch:b1:c1");
        assert_ne!(
            idempotency_mutable("u1", "m1", "2024-01-01T00:00:00Z"),
            idempotency_mutable("u1", "m1", "2024-01-01T00:00:01Z")
        );
        assert!(idempotency_batch(&"b".repeat(2000), "c").len() < 200);
    }

    #[test]
    fn backfill_checkpoints_are_per_topic_and_user() {
        assert_eq!(
            backfill_checkpoint("projects/p/topics/emails", "u1"),
            "office:backfill:checkpoint:projects/p/topics/emails:u1"
        );
        assert_ne!(
            backfill_checkpoint("t", "a:b"),
            backfill_checkpoint("t:a", "b")
        );
    }

    #[test]
    fn reindex_checkpoints_are_per_mode_and_identity() {
        let key = reindex_checkpoint("visit", r#"{"users":["a"]}"#);
        assert!(key.starts_with("office:reindex:checkpoint:visit:"), "{key}");
        assert_eq!(key.len(), "office:reindex:checkpoint:visit:".len() + 32);
        assert_eq!(key, reindex_checkpoint("visit", r#"{"users":["a"]}"#));
        assert_ne!(key, reindex_checkpoint("visit", r#"{"users":["b"]}"#));
        assert_ne!(key, reindex_checkpoint("file", r#"{"users":["a"]}"#));
    }

    #[test]
    fn dedupe_keys_are_per_consumer_and_state() {
        let key = idempotency_immutable("u1", "m1");
        assert_eq!(
            dedupe_done("vespa-loader", "email", &key),
            "office:dedupe:vespa-loader:email:done:imm%3Au1%3Am1"
        );
        assert_ne!(
            dedupe_done("vespa-loader", "email", &key),
            dedupe_done("shipments", "email", &key)
        );
        assert_ne!(
            dedupe_done("c", "email", &key),
            dedupe_in_progress("c", "email", &key)
        );
    }

    #[test]
    fn sse_keys_are_per_user() {
        assert_eq!(sse_stream("u1"), "office:u1:sse:stream");
        assert_eq!(sse_seen("u1", "e:1"), "office:u1:sse:seen:e%3A1");
        assert_ne!(sse_stream("a:sse"), sse_stream("a"));
        assert_eq!(sse_signal_channel(), "office:sse:signal");
    }

    #[test]
    fn the_user_of_a_ranking_key_reads_back() {
        for user in ["user-1", "a:b%c", "%3A"] {
            assert_eq!(
                user_of_contacts_ranked(&contacts_ranked(user)).as_deref(),
                Some(user)
            );
        }
        assert_eq!(
            user_of_contacts_ranked(&contacts_ranked(&"u".repeat(200))),
            None
        );
        assert_eq!(user_of_contacts_ranked(&contacts_self("user-1")), None);
    }
}
