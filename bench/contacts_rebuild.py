#!/usr/bin/env python3
"""The Python peer of bench/contacts-rebuild: contact discovery's e-mail scoring (docs/contacts.md,
src/contacts/) written the straightforward way, on the same NDJSON input as
`officectl contacts rebuild --source FILE --no-push`.

    bench/contacts_rebuild.py FILE REDIS_URL

Reads FILE one event per line (json.loads), folds every e-mail's interactions into per-user
records in memory, then writes them with redis-py pipelines (no transactions, 1,000 commands per
round trip): per contact one SET of its JSON record at `office:{user}:contact:{id}` and one ZADD
member of `office:{user}:contacts:ranked`; per user the learned own addresses (SADD
`office:{user}:contacts:self`); per event its marker `office:{user}:contacts:seen:{key}` with a
31-day PX TTL. Before counting a user it reads that user's learned and forgotten sets (one
pipelined round trip per user), as the consumer does per event.

What it implements, as the Rust code does (config defaults, no config file):
- addresses: trim, lower case, `googlemail.com` -> `gmail.com`, Gmail dots dropped, `+tag` dropped
  at gmail.com and at any domain when the provider is google; not an address -> ignored;
- noise: the user's addresses (learned from the senders of SENT mail; a learned address stops
  being a contact, its record is dropped), automated local parts (start or end, after removing
  `-`, `_`, `.` and the `+tag`), bulk labels (the whole mail), groups over 100 (the whole mail);
- directions: SENT (or from the user) -> every distinct to/cc/bcc is outbound, n = their number;
  received -> the sender inbound and the other to/cc together, n = all to+cc+bcc (the user
  included, not deduplicated); an e-mail counts at min(received_at, the event's occurred_at);
- a = w · 1/sqrt(n) with w 3 / 1 / 0.5; the lazy score (S(t_ref), t_ref), half-life 90 days,
  decay 2^(-Δ/H) over whole milliseconds; counts per `email.direction`; names with counts (the
  name dropped when empty or equal to the address as written); first/last seen; last per
  channel; the five top contributions ranked by ln a + (t/H)·ln 2; the ranking score
  ln S(t_ref) + (t_ref/H)·ln 2 (whole seconds, as chrono's timestamp()).
- the event marker's key: the event's message idempotency key (`batch:{batch_id}:{correlation_id}`
  for batch_sync, as the consumer uses the `idempotency_key` attribute), escaped as a key part; an
  event whose key was already counted in this run is counted once.
Only `EmailEvent`s are scored; other types count as events and add nothing.

Prints `{"events", "emails", "contacts", "secs", ...}` on stdout (secs: from start to the last
write, in-process; the driver times the whole process with GNU time).
"""

import hashlib
import json
import math
import sys
import time
from datetime import datetime, timezone

import redis

# Config defaults (src/contacts/config.rs).
AUTOMATED_LOCAL_PARTS = [
    "noreply", "donotreply", "notification", "notifications", "notify", "mailerdaemon",
    "postmaster", "bounce", "bounces", "alerts", "newsletter",
]
BULK_LABELS = {"CATEGORY_PROMOTIONS", "CATEGORY_SOCIAL", "CATEGORY_UPDATES", "CATEGORY_FORUMS", "SPAM"}
MAX_GROUP_SIZE = 100
WEIGHTS = {"outbound": 3.0, "inbound": 1.0, "together": 0.5}
HALF_LIFE_S = 90 * 86_400
TOP_CONTRIBUTIONS = 5
SEEN_TTL_MS = 31 * 86_400 * 1000
PIPELINE_COMMANDS = 1000

LN2 = math.log(2.0)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
AUTOMATED = [p.replace("-", "").replace("_", "").replace(".", "").lower() for p in AUTOMATED_LOCAL_PARTS]
AUTOMATED = [p for p in AUTOMATED if p]


# --- keys (src/keys.rs) ---------------------------------------------------------------------

def digest_hex(text):
    return hashlib.sha256(text.encode()).digest()[:16].hex()


def bounded(part):
    return part if len(part.encode()) <= 128 else "h:" + digest_hex(part)


def escape(part):
    if ":" in part or "%" in part:
        return part.replace("%", "%25").replace(":", "%3A")
    return part


def join_escaped(*parts):
    return "office:" + ":".join(bounded(escape(p)) for p in parts)


def idempotency(*parts):
    return ":".join(bounded(escape(p)) for p in parts)


def message_key(event):
    """The event's `idempotency_key` attribute (src/model/idempotency.rs `message_key`)."""
    if event.get("sync_type") == "batch_sync" and event.get("batch_id"):
        return idempotency("batch", event["batch_id"], event["correlation_id"])
    user = event["user_id"]
    immutable = event.get("operation") == "create" and event.get("event_type") == "EmailEvent"
    keys = []
    for item in event.get("emails") or []:
        if immutable:
            keys.append(idempotency("imm", user, item["provider_message_id"]))
        else:
            at = rfc3339(parse_time(item["updated_at"]))
            keys.append(idempotency("mut", user, item["provider_message_id"], at))
    if len(keys) == 1:
        return keys[0]
    h = hashlib.sha256()
    for k in keys:
        h.update(k.encode())
        h.update(b"\n")
    return "multi:" + h.hexdigest()[:32]


# --- time: integer microseconds since the epoch ----------------------------------------------

def parse_time(text):
    d = datetime.fromisoformat(text)
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    delta = d - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def rfc3339(us):
    """chrono's RFC 3339 with `SecondsFormat::AutoSi` and `Z`, as serde writes a DateTime<Utc>."""
    secs, frac = divmod(us, 1_000_000)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs))
    if frac == 0:
        return text + "Z"
    if frac % 1000 == 0:
        return f"{text}.{frac // 1000:03d}Z"
    return f"{text}.{frac:06d}Z"


def decay(delta_us):
    """2^(-Δ/H) for Δ >= 0, in whole milliseconds as chrono's num_milliseconds()."""
    return 2.0 ** (-((delta_us // 1000) / 1000.0) / HALF_LIFE_S)


# --- addresses (src/contacts/address.rs) -----------------------------------------------------

def normalise(address, google):
    address = address.strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or len(address.split()) != 1:
        return None
    if domain == "googlemail.com":
        domain = "gmail.com"
    gmail = domain == "gmail.com"
    if gmail or google:
        base, plus, _tag = local.partition("+")
        if plus and base:
            local = base
    if gmail:
        local = local.replace(".", "")
        if not local:
            return None
    return f"{local}@{domain}"


def automated(normalised):
    local = normalised.rpartition("@")[0] or normalised
    local = local.partition("+")[0]
    local = local.replace("-", "").replace("_", "").replace(".", "")
    return any(local.startswith(p) or local.endswith(p) for p in AUTOMATED)


def ascii_lower(text):
    return text.encode().lower()


def person(mailbox, google):
    """(normalised address, display name or None), or None when it is not an address."""
    email = mailbox.get("email") or ""
    address = normalise(email, google)
    if address is None:
        return None
    name = mailbox.get("name")
    if name is not None:
        name = name.strip()
        if not name or ascii_lower(name) == ascii_lower(email.strip()):
            name = None
    return address, name


# --- records (src/contacts/record.rs, score.rs) ----------------------------------------------

class Record:
    __slots__ = ("address", "names", "counts", "first", "last", "last_email", "value", "at", "top")

    def __init__(self, address, at):
        self.address = address
        self.names = {}
        self.counts = {}
        self.first = self.last = self.last_email = at
        self.value, self.at = 0.0, at
        self.top = []

    def apply(self, kind, name, n, at):
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if name is not None:
            self.names[name] = self.names.get(name, 0) + 1
        self.first = min(self.first, at)
        self.last = max(self.last, at)
        self.last_email = max(self.last_email, at)
        weight = WEIGHTS[kind[6:]] / math.sqrt(n)
        if self.value == 0.0:
            self.value, self.at = weight, at
        elif at >= self.at:
            self.value = self.value * decay(at - self.at) + weight
            self.at = at
        else:
            self.value += weight * decay(self.at - at)
        self.top.append((kind, n, weight, at))
        # Heaviest today first: ln a + (t/H)·ln 2 (whole seconds), then later, heavier, kind.
        self.top.sort(key=lambda c: (-(math.log(c[2]) if c[2] > 0 else -math.inf)
                                     - (c[3] // 1_000_000) / HALF_LIFE_S * LN2,
                                     -c[3], -c[2], c[0]))
        del self.top[TOP_CONTRIBUTIONS:]

    def rank_score(self):
        return math.log(max(self.value, sys.float_info.min)) + (self.at // 1_000_000) / HALF_LIFE_S * LN2

    def to_json(self):
        return json.dumps({
            "address": self.address,
            "names": dict(sorted(self.names.items())),
            "counts": dict(sorted(self.counts.items())),
            "first_seen": rfc3339(self.first),
            "last_seen": rfc3339(self.last),
            "last_by_channel": {"email": rfc3339(self.last_email)},
            "score": {"value": self.value, "at": rfc3339(self.at)},
            "top": [{"kind": k, "group_size": n, "weight": w, "at": rfc3339(t)} for k, n, w, t in self.top],
        }, ensure_ascii=False, separators=(",", ":"))


class User:
    def __init__(self, own, forgotten):
        self.records = {}
        self.own = own            # learned before (Redis) and from this input
        self.learned = set()      # learned from this input
        self.forgotten = forgotten
        self.seen = []            # marker keys of the events counted

    def add(self, address, name, kind, n, at):
        if address in self.own:
            return
        record = self.records.get(address)
        if record is None:
            if digest_hex(address) in self.forgotten:
                return
            record = self.records[address] = Record(address, at)
        record.apply(kind, name, n, at)

    def learn(self, address):
        if address not in self.own:
            self.own.add(address)
            self.learned.add(address)
            self.records.pop(address, None)


def others(user, people, skipped):
    """Distinct people not the user's, automated ones dropped (counted in skipped)."""
    seen, out = set(), []
    for p in people:
        if p[0] in user.own or p[0] in seen:
            continue
        seen.add(p[0])
        if automated(p[0]):
            skipped["automated"] += 1
            continue
        out.append(p)
    return out


def count_email(user, email, google, occurred_at, skipped):
    labels = [l.upper() for l in email.get("labels") or []]
    if any(l in BULK_LABELS for l in labels):
        skipped["bulk"] += 1
        return
    to, cc, bcc = email.get("to") or [], email.get("cc") or [], email.get("bcc") or []
    recipients = [p for p in (person(m, google) for m in to + cc + bcc) if p is not None]
    sender = person(email["from"], google)
    if sender is None:
        return
    # A mail dated in the future (a wrong client clock) counts when it was seen.
    at = min(parse_time(email["received_at"]), occurred_at)
    if sender[0] in user.own or "SENT" in labels:
        user.learn(sender[0])
        people = others(user, recipients, skipped)
        if len(people) > MAX_GROUP_SIZE:
            skipped["large_group"] += 1
            return
        n = len(people)
        for address, name in people:
            user.add(address, name, "email.outbound", n, at)
        return
    n = max(len(recipients), 1)
    if n > MAX_GROUP_SIZE:
        skipped["large_group"] += 1
        return
    for address, name in others(user, [sender], skipped):
        user.add(address, name, "email.inbound", n, at)
    fellows = [p for p in (person(m, google) for m in to + cc) if p is not None and p[0] != sender[0]]
    for address, name in others(user, fellows, skipped):
        user.add(address, name, "email.together", n, at)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: contacts_rebuild.py FILE REDIS_URL")
    path, url = sys.argv[1], sys.argv[2]
    started = time.monotonic()
    r = redis.Redis.from_url(url)
    users = {}
    counted = set()
    events = emails = duplicates = 0
    skipped = {"bulk": 0, "large_group": 0, "automated": 0, "no_people": 0}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            event = json.loads(line)
            events += 1
            user_id = event["user_id"]
            user = users.get(user_id)
            if user is None:
                pipe = r.pipeline(transaction=False)
                pipe.smembers(join_escaped(user_id, "contacts", "self"))
                pipe.smembers(join_escaped(user_id, "contacts", "forgotten"))
                own, forgotten = pipe.execute()
                user = users[user_id] = User({a.decode() for a in own}, {i.decode() for i in forgotten})
            key = message_key(event)
            if (user_id, key) in counted:
                duplicates += 1
                continue
            counted.add((user_id, key))
            user.seen.append(join_escaped(user_id, "contacts", "seen", key))
            if event.get("event_type") != "EmailEvent" or event.get("operation") == "delete":
                skipped["no_people"] += 1
                continue
            google = event.get("provider") == "google"
            occurred_at = parse_time(event["occurred_at"])
            for email in event["emails"]:
                emails += 1
                count_email(user, email, google, occurred_at, skipped)

    contacts = 0
    per_user = {}
    pipe = r.pipeline(transaction=False)
    queued = 0

    def flush(force=False):
        nonlocal pipe, queued
        if queued >= PIPELINE_COMMANDS or (force and queued):
            pipe.execute()
            pipe = r.pipeline(transaction=False)
            queued = 0

    for user_id, user in users.items():
        ranked = join_escaped(user_id, "contacts", "ranked")
        if user.learned:
            pipe.sadd(join_escaped(user_id, "contacts", "self"), *sorted(user.learned))
            queued += 1
        for address, record in user.records.items():
            cid = digest_hex(address)
            pipe.set(join_escaped(user_id, "contact", cid), record.to_json())
            pipe.zadd(ranked, {cid: record.rank_score()})
            queued += 2
            flush()
        for seen in user.seen:
            pipe.set(seen, "1", px=SEEN_TTL_MS)
            queued += 1
            flush()
        per_user[user_id] = len(user.records)
        contacts += len(user.records)
    flush(force=True)
    secs = time.monotonic() - started
    print(json.dumps({
        "events": events, "emails": emails, "contacts": contacts, "secs": round(secs, 3),
        "duplicates": duplicates, "skipped": skipped, "per_user": per_user,
    }))


if __name__ == "__main__":
    main()
