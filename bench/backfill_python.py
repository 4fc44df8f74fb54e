#!/usr/bin/env python3
"""Publishes pre-encoded backfill messages with Google's `google-cloud-pubsub` (the Python
reference for bench/backfill). Reads `{"data": ..., "attributes": {...}}` lines into memory, then
times publishing them to TOPIC on the emulator named by PUBSUB_EMULATOR_HOST and prints
`{"messages", "emails", "secs"}`."""

import json
import sys
import time

from google.cloud import pubsub_v1


def main():
    path, topic = sys.argv[1], sys.argv[2]
    messages, emails = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            data = m["data"].encode()
            emails += data.count(b'"provider_message_id"')
            messages.append((data, m["attributes"]))
    # Batching like the Rust client's defaults are generous: up to 1000 messages / 10 MB / 10 ms.
    publisher = pubsub_v1.PublisherClient(
        batch_settings=pubsub_v1.types.BatchSettings(max_messages=1000, max_bytes=9_000_000, max_latency=0.01)
    )
    started = time.monotonic()
    futures = [publisher.publish(topic, data, **attrs) for data, attrs in messages]
    for fut in futures:
        fut.result()
    secs = time.monotonic() - started
    print(json.dumps({"messages": len(messages), "emails": emails, "secs": secs}))


if __name__ == "__main__":
    main()
