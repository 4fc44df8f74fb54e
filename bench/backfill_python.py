#!/usr/bin/env python3
"""Publishes pre-encoded backfill messages with Google's `google-cloud-pubsub` (the Python
reference for bench/backfill). Reads `{"data": ..., "attributes": {...}}` lines into memory, then
times publishing them to TOPIC on the emulator named by PUBSUB_EMULATOR_HOST and prints
`{"messages", "emails", "secs"}`."""

import json
import os
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
    # The same batching thresholds as the Rust client (google-cloud-pubsub 1.7 `BatchingOptions`
    # defaults): 100 messages / 1 MB / 10 ms, which are also this library's defaults. Larger
    # batches (`PUBSUB_PY_MAX_MESSAGES` etc.) can be tried to see the peer's best case.
    publisher = pubsub_v1.PublisherClient(
        batch_settings=pubsub_v1.types.BatchSettings(
            max_messages=int(os.environ.get("PUBSUB_PY_MAX_MESSAGES", 100)),
            max_bytes=int(os.environ.get("PUBSUB_PY_MAX_BYTES", 1_000_000)),
            max_latency=float(os.environ.get("PUBSUB_PY_MAX_LATENCY", 0.01)),
        )
    )
    started = time.monotonic()
    futures = [publisher.publish(topic, data, **attrs) for data, attrs in messages]
    for fut in futures:
        fut.result()
    secs = time.monotonic() - started
    print(json.dumps({"messages": len(messages), "emails": emails, "secs": secs}))


if __name__ == "__main__":
    main()
