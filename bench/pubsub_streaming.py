"""Receive rates from the local Pub/Sub (pubsub-host): unary Pull beside StreamingPull.

Run by bench/pubsub-streaming, which starts the services and builds the Rust example. For each
run and each way of receiving, a fresh topic and subscription get MESSAGES messages of SIZE bytes
(published untimed, 1,000 per request), then the clock runs from the first receive call to the
last message acked:

  unary-pull       Python GAPIC client: Pull (max_messages 1,000) then Acknowledge of the batch,
                   in a loop. One request in flight; no per-message work.
  streaming-raw    Python GAPIC client: one StreamingPull, max_outstanding_messages 1,000, each
                   response's ack ids sent back on the stream. What the server delivers to a client
                   that does no per-message work.
  python-subscribe Google's Python subscriber (SubscriberClient.subscribe, FlowControl
                   max_messages 1,000): a callback per message on its thread pool, acks as unary
                   Acknowledge calls batched by the client, lease management.
  rust-subscriber  officectl's subscriber (GoogleSubscriber, Google's Rust client;
                   examples/drain_subscription.rs, release build), max outstanding 1,000: every
                   message handed to the application and acked, acks sent as unary calls.

Prints one line per run and a median per way, in messages per second.
"""

import argparse
import json
import os
import queue
import statistics
import subprocess
import threading
import time
import uuid

from google.cloud import pubsub_v1
from google.cloud.pubsub_v1.types import FlowControl
from google.pubsub_v1.types import StreamingPullRequest


def fresh(publisher, subscriber, project, count, size):
    """A new topic and subscription holding `count` messages; returns their names."""
    run = uuid.uuid4().hex[:8]
    topic = publisher.topic_path(project, f"bench-stream-{run}")
    sub = subscriber.subscription_path(project, f"bench-stream-{run}")
    publisher.create_topic(name=topic)
    subscriber.create_subscription(request={"name": sub, "topic": topic, "ack_deadline_seconds": 60})
    body = b"x" * size
    for start in range(0, count, 1000):
        n = min(1000, count - start)
        publisher.api.publish(request={"topic": topic, "messages": [{"data": body}] * n})
    return topic, sub


def unary_pull(subscriber, sub, count):
    got = 0
    start = time.monotonic()
    while got < count:
        res = subscriber.pull(request={"subscription": sub, "max_messages": 1000}, timeout=30)
        ids = [m.ack_id for m in res.received_messages]
        if ids:
            subscriber.acknowledge(request={"subscription": sub, "ack_ids": ids})
        got += len(ids)
    return time.monotonic() - start


def streaming_raw(subscriber, sub, count):
    requests = queue.Queue()
    requests.put(
        StreamingPullRequest(
            subscription=sub, stream_ack_deadline_seconds=60, max_outstanding_messages=1000
        )
    )

    def outgoing():
        while (req := requests.get()) is not None:
            yield req

    got = 0
    start = time.monotonic()
    responses = subscriber.api.streaming_pull(requests=outgoing())
    for res in responses:
        ids = [m.ack_id for m in res._pb.received_messages]
        got += len(ids)
        requests.put(StreamingPullRequest(ack_ids=ids))
        if got >= count:
            break
    took = time.monotonic() - start
    requests.put(None)
    responses.cancel()
    return took


def python_subscribe(subscriber, sub, count):
    lock = threading.Lock()
    done = threading.Event()
    seen = set()

    def callback(message):
        message.ack()
        with lock:
            seen.add(message.message_id)
            if len(seen) >= count:
                done.set()

    start = time.monotonic()
    future = subscriber.subscribe(sub, callback, flow_control=FlowControl(max_messages=1000))
    if not done.wait(300):
        raise RuntimeError(f"python-subscribe: received {len(seen)} of {count} in 300 s")
    took = time.monotonic() - start
    future.cancel()
    future.result(timeout=30)
    return took


def rust_subscriber(binary, sub, count):
    out = subprocess.run(
        [binary, sub, "--count", str(count), "--max-outstanding", "1000"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    report = json.loads(out)
    if report["duplicates"]:
        raise RuntimeError(f"rust-subscriber: {report['duplicates']} duplicates")
    return report["secs"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rust", help="path of the drain_subscription example binary")
    args = parser.parse_args()
    project = os.environ["OFFICECTL_PROJECT"]
    publisher = pubsub_v1.PublisherClient()
    subscriber = pubsub_v1.SubscriberClient()

    ways = {
        "unary-pull": lambda sub: unary_pull(subscriber, sub, args.messages),
        "streaming-raw": lambda sub: streaming_raw(subscriber, sub, args.messages),
        "python-subscribe": lambda sub: python_subscribe(subscriber, sub, args.messages),
    }
    if args.rust:
        ways["rust-subscriber"] = lambda sub: rust_subscriber(args.rust, sub, args.messages)

    rates = {name: [] for name in ways}
    print(f"{args.messages} messages of {args.size} bytes, {args.runs} runs, endpoint "
          f"{os.environ['PUBSUB_EMULATOR_HOST']}")
    for run in range(1, args.runs + 1):
        for name, way in ways.items():
            topic, sub = fresh(publisher, subscriber, project, args.messages, args.size)
            secs = way(sub)
            rate = args.messages / secs
            rates[name].append(rate)
            print(f"run {run}  {name:<17} {secs:6.2f} s  {rate:>9,.0f} msg/s", flush=True)
            subscriber.delete_subscription(subscription=sub)
            publisher.delete_topic(topic=topic)
    print("median:")
    for name, values in rates.items():
        print(f"  {name:<17} {statistics.median(values):>9,.0f} msg/s")
    subscriber.close()
    publisher.stop()


if __name__ == "__main__":
    main()
