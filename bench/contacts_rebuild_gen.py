#!/usr/bin/env python3
"""Input of bench/contacts-rebuild: generated mailboxes as `EmailEvent` NDJSON (schema_version 2).

    bench/contacts_rebuild_gen.py OUT [EMAILS=200000] [USERS=20] [PER_EVENT=100]

One event per line, each holding PER_EVENT e-mails of one user (`bench-user-NN`, whose own
address is `bench-user-NN@corp.example`): provider google, sync_type batch_sync, operation
create, and a unique event_id, batch_id and correlation_id (the batch idempotency key, so every
event is counted once). A user's e-mails are in time order, split into events; the events of the
users are interleaved as a multi-mailbox backfill sends them.

Deterministic: the same arguments give the same bytes (fixed seed, and a fixed end of the two
years of mail, 2026-12-01, which CONTACTS_GEN_END=YYYY-MM-DD moves; CONTACTS_GEN_SEED changes
the seed).

The mix, per e-mail:
- ~60 % inbound: from a correspondent to the user, sometimes with other correspondents in `to`
  and `cc`;
- ~30 % outbound: from the user, label SENT, to 1-3 correspondents, sometimes `cc` and `bcc`;
- ~10 % noise: automated senders (no-reply, notifications, mailer-daemon, ...), bulk mail
  (CATEGORY_PROMOTIONS mostly, from senders that are not automated) and lists of more than 100
  recipients (from a real correspondent, so only the group size drops it).

Correspondents: each user has a pool of 400 (300 of their own, 100 colleagues at corp.example
drawn from 1,000 shared by all users), ranked by a Zipf-like law (weight 1/rank), so with the
defaults about 6,800 distinct people appear across the 20 users. About one in six writes from
gmail.com, under varying forms (dots, `+tags`, case, googlemail.com); other addresses sometimes
come with a `+tag` (dropped for provider google) or in capitals; display names vary (full,
"Last, First", first name only, lower case, none, or the address itself). Bodies are 200-500
bytes of text (one in five as HTML).

Prints a one-line summary to stderr: events, e-mails, distinct correspondents (normalised
addresses of pool people in the file), user-correspondent pairs, the noise count, the size.
"""

import datetime as dt
import json
import os
import random
import sys

PRIVATE_PER_USER = 300
SHARED_PER_USER = 100
SHARED_POOL = 1000
ZIPF_S = 1.0

FIRST = (
    "Dana Ann Chris Alex Sam Jordan Taylor Morgan Casey Riley Jamie Avery Quinn Robin Drew Kim "
    "Lee Noah Emma Olivia Liam Mia Lucas Sofia Mateo Chloe Hugo Ines Jonas Lea Felix Nora Omar "
    "Yara Ravi Priya Wei Mei Kenji Yuki Lars Ingrid Pablo Lucia Marco Giulia Tomas Eva Ivan Olga "
    "Ahmed Fatima Kofi Amara Diego Valentina Sean Aoife Piotr Zofia"
).split()
LAST = (
    "Smith Johnson Brown Garcia Miller Davis Martinez Lopez Wilson Anderson Thomas Moore Martin "
    "Jackson White Harris Clark Lewis Walker Hall Young King Wright Scott Green Baker Adams Nelson "
    "Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins Edwards "
    "Stewart Morris Murphy Cook Rogers Morgan Peterson Cooper Reed Bailey Bell Gomez Kelly Howard "
    "Ward Cox Diaz Richardson Wood Watson Brooks Bennett Gray James Reyes Cruz Hughes Price Myers "
    "Long Foster Sanders Ross Morales Powell Sullivan Russell Ortiz Jenkins Gutierrez Perry"
).split()
DOMAINS = (
    "acme.example partner.example globex.example initech.example umbrella.example hooli.example "
    "vandelay.example stark.example wayne.example tyrell.example cyberdyne.example soylent.example "
    "wonka.example oceanic.example nakatomi.example gekko.example dunder.example prestige.example "
    "massive.example monarch.example aperture.example blackmesa.example lumon.example pied.example "
    "sterling.example wernham.example bluth.example krusty.example duff.example rekall.example "
    "uni-bonn.example lab.example consult.example agency.example law.example bank.example "
    "clinic.example school.example city.example"
).split()
WORDS = (
    "the numbers for next quarter look fine please review attached draft before friday call "
    "tomorrow agenda budget meeting notes project launch timeline update customer feedback "
    "contract signed invoice pending approval thanks again for your help let me know if you have "
    "questions about proposal schedule slides deck roadmap hiring plan offsite travel booking "
    "design review release candidate bug fix deployment weekend support rotation lunch coffee "
    "catch up status report metrics dashboard revenue growth churn pipeline forecast legal "
    "compliance audit security incident postmortem follow up action items owner deadline"
).split()
TOPICS = (
    "Quarterly numbers|Budget 2026|Project Atlas|Offsite plans|Contract review|Hiring update|"
    "Launch timeline|Customer feedback|Invoice 4711|Design review|Release notes|Weekly sync|"
    "Lunch?|Travel booking|Security review|Roadmap draft|Board deck|Support rotation"
).split("|")
AUTOMATED = [
    ("no-reply@accounts.example", "Accounts"),
    ("noreply@service.example", None),
    ("notifications@github.example", "GitHub"),
    ("MAILER-DAEMON@mx.corp.example", "Mail Delivery Subsystem"),
    ("calendar-notification@google.com", "Google Calendar"),
    ("newsletter@news.example", "The Weekly"),
    ("alerts@monitoring.example", "Monitoring"),
    ("do_not_reply@bank.example", "Your Bank"),
    ("noreply+1234@shop.example", None),
    ("postmaster@partner.example", None),
    ("bounces@mailer.example", None),
    ("team-notify@saas.example", "SaaS"),
]
BULK_SENDERS = [
    ("deals@shop.example", "Shop"),
    ("hello@events.example", "Events"),
    ("team@saas.example", "SaaS Team"),
    ("offers@travel.example", "Travel"),
    ("community@forum.example", "Forum"),
]
BULK_LABELS = ["CATEGORY_PROMOTIONS"] * 6 + ["CATEGORY_SOCIAL", "CATEGORY_FORUMS", "CATEGORY_UPDATES", "SPAM"]


class Person:
    """A correspondent: a canonical (already normalised) address and ways of writing it."""

    __slots__ = ("first", "last", "local", "domain", "gmail", "address")

    def __init__(self, first, last, local, domain, gmail):
        self.first, self.last, self.local, self.domain, self.gmail = first, last, local, domain, gmail
        self.address = f"{local}@{domain}"

    def render(self, rnd):
        """The address as one e-mail writes it (normalises back to `self.address`)."""
        if self.gmail:
            r = rnd.random()
            f, l = self.first.lower(), self.local[len(self.first):]
            if r < 0.45:
                local = self.local
            elif r < 0.75:
                local = f"{f}.{l}"
            elif r < 0.85:
                local = f"{f.capitalize()}.{l.capitalize()}"
            elif r < 0.93:
                local = f"{self.local}+{rnd.choice(['news', 'shop', 'work', 'x'])}"
            else:
                local = ".".join(self.local[i:i + 3] for i in range(0, len(self.local), 3))
            domain = "googlemail.com" if rnd.random() < 0.15 else "gmail.com"
            return f"{local}@{domain}"
        r = rnd.random()
        if r < 0.85:
            return self.address
        if r < 0.95:
            return f"{self.local.title()}@{self.domain.capitalize()}"
        return f"{self.local}+{rnd.choice(['team', 'cal', 'x'])}@{self.domain}"

    def name(self, rnd, rendered):
        r = rnd.random()
        if r < 0.60:
            return f"{self.first} {self.last}"
        if r < 0.70:
            return f"{self.last}, {self.first}"
        if r < 0.80:
            return self.first
        if r < 0.85:
            return f"{self.first} {self.last}".lower()
        if r < 0.95:
            return None
        return rendered  # a name that is the address itself: dropped by the extraction


def make_people(rnd, users):
    taken = set()

    def person(domain=None, gmail=False):
        while True:
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            if gmail:
                local = f"{first}{last}{rnd.randrange(10, 100)}".lower()
                p = Person(first, last, local, "gmail.com", True)
            else:
                d = domain or rnd.choice(DOMAINS)
                p = Person(first, last, f"{first}.{last}".lower(), d, False)
            if p.address not in taken:
                taken.add(p.address)
                return p

    shared = [person("corp.example") for _ in range(SHARED_POOL)]
    pools = []
    for _ in range(users):
        own = [person(gmail=rnd.random() < 0.2) for _ in range(PRIVATE_PER_USER)]
        pool = own + rnd.sample(shared, min(SHARED_PER_USER, len(shared)))
        rnd.shuffle(pool)
        acc, cum = 0.0, []
        for rank in range(len(pool)):
            acc += 1.0 / (rank + 1) ** ZIPF_S
            cum.append(acc)
        pools.append((pool, cum))
    return pools


def iso(seconds):
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        sys.exit("usage: contacts_rebuild_gen.py OUT [EMAILS=200000] [USERS=20] [PER_EVENT=100]")
    out = sys.argv[1]
    emails = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    users = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    per_event = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    if emails < 1 or users < 1 or not 1 <= per_event <= 1000:
        sys.exit("contacts_rebuild_gen.py: EMAILS and USERS must be >= 1, PER_EVENT 1..1000")
    end = dt.datetime.strptime(os.environ.get("CONTACTS_GEN_END", "2026-12-01"), "%Y-%m-%d")
    end = int(end.replace(tzinfo=dt.timezone.utc).timestamp())
    start = end - 730 * 86_400
    rnd = random.Random(int(os.environ.get("CONTACTS_GEN_SEED", "20261201")))

    pools = make_people(rnd, users)
    corpus = " ".join(rnd.choice(WORDS) for _ in range(20_000))

    def body():
        n = rnd.randrange(200, 501)
        at = rnd.randrange(0, len(corpus) - n)
        text = corpus[at:at + n]
        if rnd.random() < 0.2:
            return {"mime_type": "text/html", "content": f"<p>{text[:n - 7]}</p>"}
        return {"mime_type": "text/plain", "content": text}

    def mailbox(p):
        email = p.render(rnd)
        name = p.name(rnd, email)
        return {"email": email, "name": name} if name else {"email": email}

    distinct, pairs, noise = set(), set(), 0
    per_user_events = []
    serial = 0
    for u in range(users):
        user = f"bench-user-{u + 1:02d}"
        me = f"{user}@corp.example"
        me_box = {"email": me, "name": f"Bench User {u + 1:02d}"}
        pool, cum = pools[u]
        count = emails // users + (1 if u < emails % users else 0)
        times = sorted(rnd.randrange(start, end) for _ in range(count))

        def draw(k=1):
            return rnd.choices(pool, cum_weights=cum, k=k)

        def seen(people):
            for p in people:
                distinct.add(p.address)
                pairs.add((u, p.address))

        mails = []
        for t in times:
            serial += 1
            r = rnd.random()
            labels = ["INBOX"]
            cc, bcc = [], []
            if r < 0.60:  # inbound
                (sender,) = draw()
                others = [p for p in draw(rnd.choice([1, 2])) if p is not sender] if rnd.random() < 0.2 else []
                ccs = [p for p in draw(rnd.randrange(1, 4)) if p is not sender] if rnd.random() < 0.25 else []
                seen([sender, *others, *ccs])
                from_ = mailbox(sender)
                to = [dict(me_box) if rnd.random() < 0.9 else {"email": me.capitalize()}]
                to += [mailbox(p) for p in others]
                cc = [mailbox(p) for p in ccs]
                if rnd.random() < 0.2:
                    labels.append("IMPORTANT")
                if rnd.random() < 0.3:
                    labels.append("CATEGORY_PERSONAL")
                subject = rnd.choice(TOPICS)
            elif r < 0.90:  # outbound
                recipients = list({id(p): p for p in draw(rnd.choices([1, 2, 3], [70, 20, 10])[0])}.values())
                ccs = draw(rnd.randrange(1, 3)) if rnd.random() < 0.2 else []
                bccs = draw(1) if rnd.random() < 0.05 else []
                seen([*recipients, *ccs, *bccs])
                from_ = dict(me_box)
                to = [mailbox(p) for p in recipients]
                cc = [mailbox(p) for p in ccs]
                bcc = [mailbox(p) for p in bccs]
                labels = ["SENT"]
                subject = "Re: " + rnd.choice(TOPICS)
            else:  # noise
                noise += 1
                to = [dict(me_box)]
                kind = rnd.random()
                if kind < 0.40:
                    email, name = rnd.choice(AUTOMATED)
                    from_ = {"email": email, "name": name} if name else {"email": email}
                    if rnd.random() < 0.3:
                        labels.append("IMPORTANT")
                    subject = "Your notification"
                elif kind < 0.75:
                    email, name = rnd.choice(BULK_SENDERS)
                    from_ = {"email": email, "name": name}
                    labels.append(rnd.choice(BULK_LABELS))
                    subject = "This week only: 30% off"
                else:
                    (sender,) = draw()
                    from_ = mailbox(sender)
                    members = rnd.randrange(101, 141)
                    base = rnd.randrange(0, 10_000)
                    to += [{"email": f"member{base + i}@lists.corp.example"} for i in range(members)]
                    subject = "[all-hands] " + rnd.choice(TOPICS)
            mail = {
                "provider_message_id": f"{u + 1:02d}{serial:014x}",
                "thread_id": f"t{u + 1:02d}{rnd.randrange(1 << 40):010x}",
                "subject": subject,
                "from": from_,
                "to": to,
            }
            if cc:
                mail["cc"] = cc
            if bcc:
                mail["bcc"] = bcc
            mail["labels"] = labels
            mail["body"] = body()
            mail["is_read"] = rnd.random() < 0.7
            mail["received_at"] = mail["updated_at"] = iso(t)
            mails.append((t, mail))
        events = []
        for i in range(0, len(mails), per_event):
            chunk = mails[i:i + per_event]
            n = len(events) + 1
            events.append({
                "event_type": "EmailEvent",
                "event_id": f"bench-contacts-{user}-{n:05d}",
                "schema_version": 2,
                "user_id": user,
                "provider": "google",
                "sync_type": "batch_sync",
                "operation": "create",
                "batch_id": f"bench-contacts-rebuild-{user}-{n:05d}",
                "correlation_id": f"bench-contacts-corr-{user}-{n:05d}",
                "occurred_at": iso(chunk[-1][0]),
                "emails": [m for _, m in chunk],
            })
        per_user_events.append(events)

    written = 0
    with open(out, "w", encoding="utf-8") as f:
        for i in range(max(map(len, per_user_events))):
            for events in per_user_events:
                if i < len(events):
                    f.write(json.dumps(events[i], ensure_ascii=False, separators=(",", ":")))
                    f.write("\n")
                    written += 1
    size = os.path.getsize(out)
    print(f"contacts_rebuild_gen: {written:,} events, {emails:,} e-mails of {users} users "
          f"({per_event} per event); {len(distinct):,} distinct correspondents, "
          f"{len(pairs):,} user-correspondent pairs; {noise:,} noise e-mails; "
          f"{size / 1e6:.1f} MB -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
