"""Google's Python subscriber (google-cloud-pubsub) against pubsub-host's StreamingPull.

Issue 19: the host serves StreamingPull itself on top of pstest's unary Pull, so a stream delivers as
fast as the client acks, while pstest's rules (ack deadlines, dead lettering, ordering keys,
exactly-once) still apply. These tests drive it with the official client, as the consumers will.

Run by scripts/test against the running local services (PUBSUB_EMULATOR_HOST and OFFICECTL_PROJECT
from target/services.env); the client reads PUBSUB_EMULATOR_HOST itself. Each test makes its own
topics and subscriptions and deletes them.
"""

import collections
import os
import threading
import time
import uuid

import pytest
from google.cloud import pubsub_v1
from google.cloud.pubsub_v1.subscriber.exceptions import AcknowledgeStatus
from google.cloud.pubsub_v1.types import FlowControl

PROJECT = os.environ.get("OFFICECTL_PROJECT", "")
if not os.environ.get("PUBSUB_EMULATOR_HOST") or not PROJECT:
    raise RuntimeError(
        "PUBSUB_EMULATOR_HOST and OFFICECTL_PROJECT are not set: run scripts/test, or "
        "`. target/services.env` after `scripts/services up`"
    )


@pytest.fixture(scope="module")
def publisher():
    client = pubsub_v1.PublisherClient()
    yield client
    client.stop()


@pytest.fixture(scope="module")
def subscriber():
    client = pubsub_v1.SubscriberClient()
    yield client
    client.close()


@pytest.fixture
def make(publisher, subscriber):
    """Creates topics and subscriptions with unique names; deletes them afterwards."""
    made = []
    run = uuid.uuid4().hex[:8]

    class Make:
        def topic(self, name):
            path = publisher.topic_path(PROJECT, f"py-{name}-{run}")
            publisher.create_topic(name=path)
            made.append(("topic", path))
            return path

        def subscription(self, name, topic, **fields):
            path = subscriber.subscription_path(PROJECT, f"py-{name}-{run}")
            subscriber.create_subscription(request={"name": path, "topic": topic, **fields})
            made.append(("subscription", path))
            return path

    yield Make()
    for kind, path in reversed(made):
        if kind == "subscription":
            subscriber.delete_subscription(subscription=path)
        else:
            publisher.delete_topic(topic=path)


def publish(publisher, topic, count, size=200, key=None):
    """Publishes `count` messages with attribute seq=0..count-1, 1,000 per request."""
    body = b"x" * size
    for start in range(0, count, 1000):
        messages = [
            {"data": body, "attributes": {"seq": str(i)}, "ordering_key": key(i) if key else ""}
            for i in range(start, min(count, start + 1000))
        ]
        publisher.api.publish(request={"topic": topic, "messages": messages})


class Received:
    """What a subscriber callback saw, with a way to wait for a count."""

    def __init__(self):
        self.lock = threading.Condition()
        self.by_id = collections.Counter()
        self.items = []

    def add(self, message, item=None):
        with self.lock:
            self.by_id[message.message_id] += 1
            self.items.append(item)
            self.lock.notify_all()

    def wait_for(self, distinct, timeout):
        with self.lock:
            return self.lock.wait_for(lambda: len(self.by_id) >= distinct, timeout)


def stop(future):
    future.cancel()
    future.result(timeout=30)


def test_drains_20000_messages_once(publisher, subscriber, make):
    total = 20_000
    topic = make.topic("drain")
    sub = make.subscription("drain", topic)
    publish(publisher, topic, total)
    got = Received()

    def callback(message):
        got.add(message)
        message.ack()

    start = time.monotonic()
    future = subscriber.subscribe(sub, callback, flow_control=FlowControl(max_messages=1000))
    try:
        assert got.wait_for(total, timeout=120), f"received {len(got.by_id)} of {total}"
        took = time.monotonic() - start
        # A message delivered twice would show up here (the acks went out as unary calls).
        time.sleep(1.0)
    finally:
        stop(future)
    print(f"\nPython subscriber drained {total} messages in {took:.2f} s ({total / took:,.0f} msg/s)")
    assert len(got.by_id) == total
    twice = [m for m, n in got.by_id.items() if n > 1]
    assert not twice, f"{len(twice)} messages delivered more than once, e.g. {twice[:5]}"


def test_replicas_share_a_subscription(publisher, subscriber, make):
    total = 2_000
    topic = make.topic("replicas")
    sub = make.subscription("replicas", topic)
    got = Received()
    per_replica = collections.Counter()

    def callback_for(replica):
        def callback(message):
            per_replica[replica] += 1
            got.add(message)
            time.sleep(0.001)  # a consumer that does a little work
            message.ack()

        return callback

    futures = [
        subscriber.subscribe(sub, callback_for(r), flow_control=FlowControl(max_messages=50))
        for r in ("a", "b")
    ]
    try:
        time.sleep(0.5)  # both streams open and waiting before anything is published
        publish(publisher, topic, total, size=100)
        assert got.wait_for(total, timeout=60), f"received {len(got.by_id)} of {total}"
        time.sleep(0.5)
    finally:
        for f in futures:
            stop(f)
    assert len(got.by_id) == total and max(got.by_id.values()) == 1
    assert per_replica["a"] > 0 and per_replica["b"] > 0, per_replica


def test_nacked_message_reaches_the_dead_letter_topic(publisher, subscriber, make):
    topic = make.topic("dl-source")
    dead_topic = make.topic("dl-dead")
    dead = make.subscription("dl-dead", dead_topic)
    sub = make.subscription(
        "dl-source",
        topic,
        dead_letter_policy={"dead_letter_topic": dead_topic, "max_delivery_attempts": 5},
    )
    publish(publisher, topic, 1, size=10)
    attempts = []

    def callback(message):
        attempts.append(message.delivery_attempt)
        message.nack()

    future = subscriber.subscribe(sub, callback)
    try:
        deadline = time.monotonic() + 30
        dead_letters = []
        while not dead_letters and time.monotonic() < deadline:
            dead_letters = subscriber.pull(
                request={"subscription": dead, "max_messages": 10}, timeout=5
            ).received_messages
    finally:
        stop(future)
    assert [m.message.attributes["seq"] for m in dead_letters] == ["0"]
    assert attempts == [1, 2, 3, 4, 5], attempts


def test_ordering_keys_stay_in_order(publisher, subscriber, make):
    keys, per_key = 3, 30
    topic = make.topic("ordered")
    sub = make.subscription("ordered", topic, enable_message_ordering=True)
    publish(publisher, topic, keys * per_key, size=10, key=lambda i: f"k{i % keys}")
    got = Received()

    def callback(message):
        got.add(message, (message.ordering_key, int(message.attributes["seq"])))
        message.ack()

    future = subscriber.subscribe(sub, callback)
    try:
        assert got.wait_for(keys * per_key, timeout=60), f"received {len(got.by_id)}"
    finally:
        stop(future)
    for key in (f"k{k}" for k in range(keys)):
        seqs = [seq for k, seq in got.items if k == key]
        assert seqs == sorted(seqs) and len(seqs) == per_key, (key, seqs)


def test_exactly_once_acks_are_confirmed(publisher, subscriber, make):
    total = 50
    topic = make.topic("eod")
    sub = make.subscription("eod", topic, enable_exactly_once_delivery=True)
    publish(publisher, topic, total, size=10)
    got = Received()

    def callback(message):
        # The client learns exactly-once mode from the stream's subscription_properties; only
        # then does ack_with_response wait for the server's answer.
        status = message.ack_with_response().result(timeout=30)
        got.add(message, (message.exactly_once_enabled, status))

    future = subscriber.subscribe(sub, callback)
    try:
        assert got.wait_for(total, timeout=60), f"received {len(got.by_id)}"
        time.sleep(1.0)
    finally:
        stop(future)
    assert set(got.items) == {(True, AcknowledgeStatus.SUCCESS)}, collections.Counter(got.items)
    assert len(got.by_id) == total and max(got.by_id.values()) == 1
