#!/usr/bin/env python3
"""Generates a synthetic mailbox for `officectl backfill` as NDJSON (no real personal data).

Every line is an e-mail record (the `Email` of `EmailEvent` plus `user_id` and `provider`, see
docs/backfill.md) or, with --legacy-every, a legacy `EmailBackfillEvent` of a few e-mails. The
output is deterministic for the same arguments (seeded), and deliberately awkward:

- unicode subjects and names, and empty subjects;
- bodies over the claim-check threshold (--big-every, --big-body-bytes);
- duplicate message ids (--duplicate-every repeats an earlier record of the same user);
- records received outside 2024 (--out-of-range-every), for `--since 2024-01-01 --until 2025-01-01`;
- records with a newer `updated_at` (published as `update`);
- invalid records (--invalid-every), which a backfill rejects.

    samples/generate-mailbox.py --count 60 --users 3 > samples/mailbox.ndjson
    samples/generate-mailbox.py --count 200000 --users 20 --body-bytes 700 --output big.ndjson
"""

import argparse
import json
import random
import sys

SUBJECTS = [
    "Quarterly numbers", "Grüße aus Köln", "会议记录 — 周一", "Re: déjà vu ✔", "Lunch? 🍜",
    "Заметки по проекту", "", "Fwd: invoice #{n}", "שלום וברכה", "Café ☕ tomorrow",
]
NAMES = ["Ada Example", "Björn Beispiel", "Chloé Exemple", "Dmitri Primer", "Émilie Test", "李 示例"]
WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
         "incididunt ut labore et dolore magna aliqua ünïcödé 文字 текст").split()


def body_text(rng, size):
    out, length = [], 0
    while length < size:
        word = rng.choice(WORDS)
        out.append(word)
        length += len(word.encode()) + 1
    return " ".join(out)[:size]


def record(rng, user, n, args, when_year):
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    received = f"{when_year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
    name = rng.choice(NAMES)
    size = args.big_body_bytes if args.big_every and n % args.big_every == args.big_every - 1 else args.body_bytes
    rec = {
        "user_id": user,
        "provider": "google",
        "provider_message_id": f"{user}-msg-{n:07d}",
        "thread_id": f"{user}-thread-{n // 4:06d}",
        "subject": rng.choice(SUBJECTS).replace("{n}", str(n)),
        "from": {"email": f"sender{n % 17}@example.com", "name": name},
        "to": [{"email": f"{user}@example.org"}],
        "labels": ["INBOX"] if n % 5 else ["INBOX", "IMPORTANT"],
        "snippet": body_text(rng, 60),
        "body": {"mime_type": "text/plain", "content": body_text(rng, size)},
        "is_read": n % 3 == 0,
        "received_at": received,
    }
    if n % 11 == 0:
        rec["updated_at"] = f"{when_year}-{month:02d}-{day:02d}T23:59:59Z"
    return rec


def legacy(rng, user, n, args):
    emails = []
    for k in range(3):
        r = record(rng, user, n * 1000 + k, args, 2024)
        emails.append({
            "message_id": r["provider_message_id"] + "-legacy",
            "thread_id": r["thread_id"],
            "subject": r["subject"],
            "from": f'{r["from"]["name"]} <{r["from"]["email"]}>',
            "to": [r["to"][0]["email"]],
            "body": r["body"]["content"],
            "received_at": r["received_at"],
        })
    return {"event_type": "EmailBackfillEvent", "user_id": user, "provider": "gmail", "emails": emails}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=60, help="records to write")
    p.add_argument("--users", type=int, default=3, help="users (user-1 ... user-N)")
    p.add_argument("--seed", type=int, default=6)
    p.add_argument("--body-bytes", type=int, default=400)
    p.add_argument("--big-every", type=int, default=0, help="every Nth record of a user gets a big body")
    p.add_argument("--big-body-bytes", type=int, default=300_000)
    p.add_argument("--duplicate-every", type=int, default=0)
    p.add_argument("--out-of-range-every", type=int, default=0)
    p.add_argument("--invalid-every", type=int, default=0)
    p.add_argument("--legacy-every", type=int, default=0)
    p.add_argument("--output", default="-")
    args = p.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    previous = {}
    for i in range(args.count):
        user = f"user-{i % args.users + 1}"
        n = i // args.users
        if args.invalid_every and i % args.invalid_every == args.invalid_every - 1:
            line = {"user_id": user, "provider": "google", "provider_message_id": f"{user}-bad-{n}",
                    "subject": "missing thread, sender and date"}
        elif args.legacy_every and i % args.legacy_every == args.legacy_every - 1:
            line = legacy(rng, user, n, args)
        elif args.duplicate_every and i % args.duplicate_every == args.duplicate_every - 1 and user in previous:
            line = previous[user]
        else:
            year = 2024
            if args.out_of_range_every and i % args.out_of_range_every == args.out_of_range_every - 1:
                year = 2019 if n % 2 else 2026
            line = record(rng, user, n, args, year)
            previous[user] = line
        out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
