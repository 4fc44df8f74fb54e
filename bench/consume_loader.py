#!/usr/bin/env python3
"""Helpers of bench/consume-loader: generate the e-mail events, create the peer's subscription,
run the Python loader peer, dump the double's documents as a feed file, read metrics.

The peer is what a team would write without officectl: Google's `google-cloud-pubsub` streaming
subscriber (flow control 1,000 messages, 64 callback threads, as officectl's --concurrency 64),
per message: decode the JSON, claim its idempotency key in Redis (SET NX with a TTL, then a done
key), build the e-mail documents with the fields officectl's factory writes, POST each through
the callback thread's own HTTP/2 client (httpx) to /document/v1, then ack; on a failure it
releases the claim and nacks. It exits when it has
fed every document.
"""
import json
import sys
import threading
import time
import urllib.parse
import urllib.request

WORDS = ("budget review meeting quarterly numbers project plan launch notes draft travel "
         "invoice schedule contract design hiring roadmap").split()


def generate(path, batches, batch_size, singles, users=20):
    """`batches` backfill events of `batch_size` e-mails and `singles` real-time events of one."""
    import random
    rnd = random.Random(7)
    n = 0

    def email(i, user):
        body = " ".join(rnd.choice(WORDS) for _ in range(150))[:900]
        return {
            "provider_message_id": f"bench-{i}",
            "thread_id": f"thread-{i // 5}",
            "subject": f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} {i}",
            "from": {"email": f"sender{i % 97}@example.com", "name": "Sender"},
            "to": [{"email": f"{user}@example.org"}],
            "labels": ["INBOX"],
            "body": {"mime_type": "text/plain", "content": body},
            "received_at": "2024-05-01T10:00:00Z",
            "updated_at": "2024-05-01T10:00:00Z",
        }

    with open(path, "w") as f:
        for b in range(batches):
            user = f"bench-user-{b % users}"
            emails = []
            for _ in range(batch_size):
                emails.append(email(n, user))
                n += 1
            f.write(json.dumps({
                "event_type": "EmailEvent", "event_id": f"evt-batch-{b}", "schema_version": 2,
                "user_id": user, "provider": "google", "sync_type": "batch_sync",
                "operation": "create", "batch_id": f"batch-{b}", "correlation_id": "bench-corr",
                "occurred_at": "2024-05-01T10:00:00Z", "emails": emails}) + "\n")
        for s in range(singles):
            user = f"bench-user-{s % users}"
            f.write(json.dumps({
                "event_type": "EmailEvent", "event_id": f"evt-rt-{s}", "schema_version": 2,
                "user_id": user, "provider": "google", "sync_type": "real_time",
                "operation": "create", "correlation_id": f"rt-{s}",
                "occurred_at": "2024-05-01T10:00:00Z", "emails": [email(n, user)]}) + "\n")
            n += 1
    print(n)


def create_subscription(project, topic, name, like):
    """Creates `name` on `topic` with the ack deadline and ordering of the existing subscription
    `like` (the loader's), so that both contenders read under the same delivery rules."""
    from google.cloud import pubsub_v1
    sub = pubsub_v1.SubscriberClient()
    model = sub.get_subscription(request={"subscription": sub.subscription_path(project, like)})
    sub.create_subscription(request={
        "name": sub.subscription_path(project, name),
        "topic": f"projects/{project}/topics/{topic}",
        "ack_deadline_seconds": model.ack_deadline_seconds,
        "enable_message_ordering": model.enable_message_ordering,
    })
    print(f"{name}: ack deadline {model.ack_deadline_seconds} s, ordering {model.enable_message_ordering}")


def keep_only(project, topic, keep):
    """Deletes every subscription of `topic` but `keep`: nobody reads them in the run, and pstest
    walks every subscription's backlog every 10 ms under its one lock."""
    from google.cloud import pubsub_v1
    publisher = pubsub_v1.PublisherClient()
    subscriber = pubsub_v1.SubscriberClient()
    for path in publisher.list_topic_subscriptions(request={"topic": publisher.topic_path(project, topic)}):
        if path.rsplit("/", 1)[1] != keep:
            subscriber.delete_subscription(request={"subscription": path})


def email_fields(event, m):
    participants = [m["from"]["email"]] + [a["email"] for a in m.get("to", []) + m.get("cc", []) + m.get("bcc", [])]
    text = (m.get("body") or {}).get("content") or m.get("snippet") or ""
    fields = {
        "doc_id": m["provider_message_id"], "user_id": event["user_id"], "doc_type": "email",
        "source_event_id": event["event_id"], "title": m["subject"], "text": text,
        "created_at": to_epoch(m["received_at"]), "updated_at": to_epoch(m["updated_at"]),
        "provider": event["provider"], "thread_id": m["thread_id"],
        "from_address": m["from"]["email"],
        "to_addresses": [a["email"] for a in m.get("to", [])],
        "cc_addresses": [a["email"] for a in m.get("cc", [])],
        "participants": participants, "labels": m.get("labels", []),
        "received_at": to_epoch(m["received_at"]), "is_read": m.get("is_read", False),
        "has_attachments": bool(m.get("attachments")),
        "attachment_names": [a["filename"] for a in m.get("attachments", [])],
    }
    if m["from"].get("name"):
        fields["from_name"] = m["from"]["name"]
    return fields


def to_epoch(text):
    import datetime
    return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def peer(project, subscription, vespa, redis_url, expected):
    import faulthandler
    import signal
    import httpx
    faulthandler.register(signal.SIGUSR1)  # kill -USR1 shows every thread's stack
    import redis
    from concurrent.futures import ThreadPoolExecutor
    from google.cloud import pubsub_v1
    from google.cloud.pubsub_v1.subscriber.scheduler import ThreadScheduler

    store = redis.Redis.from_url(redis_url)
    # One HTTP/2 client per callback thread: httpx clients are not meant to be shared by threads
    # (a shared one gave read errors under 64 threads).
    local = threading.local()

    def client():
        if not hasattr(local, "client"):
            local.client = httpx.Client(http2=True, base_url=vespa, timeout=60)
        return local.client

    lock = threading.Lock()
    fed = [0]
    done = threading.Event()

    def callback(message):
        try:
            handle(message)
        except Exception:
            import traceback
            traceback.print_exc()
            message.nack()

    received = [0]
    failures = []

    def handle(message):
        with lock:
            received[0] += 1
        event = json.loads(message.data)
        key = message.attributes.get("idempotency_key") or event["event_id"]
        if store.exists(f"peer:done:{key}"):
            message.ack()
            return
        if not store.set(f"peer:claim:{key}", 1, nx=True, ex=60):
            message.nack()
            return
        try:
            n = feed(event)
        except Exception:
            store.delete(f"peer:claim:{key}")
            raise
        if n is None:
            store.delete(f"peer:claim:{key}")
            message.nack()
            return
        store.set(f"peer:done:{key}", 1, ex=86400)
        store.delete(f"peer:claim:{key}")
        message.ack()
        with lock:
            fed[0] += n
            if fed[0] >= expected:
                done.set()

    def feed(event):
        """PUTs every e-mail of the event; the count, or None after a refused one."""
        n = 0
        for m in event["emails"]:
            path = "/document/v1/office/email/group/{}/{}".format(
                urllib.parse.quote(event["user_id"], safe=""),
                urllib.parse.quote(m["provider_message_id"], safe=""))
            response = client().post(path, json={"fields": email_fields(event, m)})
            if response.status_code != 200:
                if not failures:
                    print(f"peer: {path}: {response.status_code} {response.text[:300]}", file=sys.stderr)
                failures.append(response.status_code)
                return None
            n += 1
        return n

    subscriber = pubsub_v1.SubscriberClient()
    future = subscriber.subscribe(
        subscriber.subscription_path(project, subscription), callback,
        flow_control=pubsub_v1.types.FlowControl(max_messages=1000),
        scheduler=ThreadScheduler(ThreadPoolExecutor(max_workers=64)))
    while not done.wait(5):
        print(f"peer: {received[0]} messages received, {fed[0]} documents fed", file=sys.stderr)
    future.cancel()
    try:
        future.result(timeout=30)
    except Exception:
        pass
    print(fed[0])


def dump(vespa, path, conditional_path):
    """Every document in the double as a JSONL feed of puts, and the same puts as the loader sends
    them (conditional on the stored version, creating when absent) into `conditional_path`."""
    count = 0
    with open(path, "w") as f, open(conditional_path, "w") as g:
        continuation = None
        while True:
            url = f"{vespa}/document/v1/office/email/docid?cluster=office&wantedDocumentCount=1000"
            if continuation:
                url += "&continuation=" + urllib.parse.quote(continuation, safe="")
            with urllib.request.urlopen(url) as r:
                page = json.load(r)
            for d in page.get("documents", []):
                f.write(json.dumps({"put": d["id"], "fields": d["fields"]}) + "\n")
                version = d["fields"]["updated_at"]
                g.write(json.dumps({
                    "put": d["id"], "fields": d["fields"], "create": True,
                    "condition": f"email.updated_at == null or email.updated_at <= {version}",
                }) + "\n")
                count += 1
            continuation = page.get("continuation")
            if not continuation:
                break
    print(count)


def fed_total(metrics_url):
    """officectl_vespa_feed_operations_total{outcome="ok"} summed, from a loader's /metrics."""
    try:
        with urllib.request.urlopen(metrics_url, timeout=2) as r:
            text = r.read().decode()
    except Exception:
        print(0)
        return
    total = 0.0
    for line in text.splitlines():
        if line.startswith("officectl_vespa_feed_operations_total{") and 'outcome="ok"' in line:
            total += float(line.rsplit(" ", 1)[1])
    print(int(total))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "generate":
        generate(args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4]))
    elif command == "create-subscription":
        create_subscription(*args)
    elif command == "keep-only":
        keep_only(*args)
    elif command == "peer":
        peer(args[0], args[1], args[2], args[3], int(args[4]))
    elif command == "dump":
        dump(*args)
    elif command == "fed":
        fed_total(args[0])
