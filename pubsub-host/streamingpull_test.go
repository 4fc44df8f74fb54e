package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/pubsub/v2/pstest"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The host's StreamingPull driven with raw gRPC, so each protocol rule can
// be checked exactly. tests/it/pubsub.rs and pyclient/ drive it with the
// official Rust and Python clients.

// The tests do not run in parallel: pstest's minimum ack deadline is one
// global (pstest.SetMinAckDeadline), and hosts with 1 s and 10 s minimums
// would race on it.

// quiet is how long a test waits to conclude that nothing more arrives.
const quiet = 400 * time.Millisecond

// fixture is a host with one topic and the clients to use it.
type fixture struct {
	t     testing.TB
	ctx   context.Context
	pub   pubsubpb.PublisherClient
	sub   pubsubpb.SubscriberClient
	topic string
}

func newFixture(t testing.TB, minAck time.Duration, reactors ...pstest.ServerReactorOption) *fixture {
	t.Helper()
	h, err := newHost(hostConfig{reactors: reactors, minAckDeadline: minAck})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	conn := dialGRPC(t, ln.Addr().String())
	tctx, tcancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(tcancel)
	f := &fixture{t: t, ctx: tctx, pub: pubsubpb.NewPublisherClient(conn), sub: pubsubpb.NewSubscriberClient(conn), topic: "projects/p/topics/t"}
	f.createTopic(f.topic)
	return f
}

func (f *fixture) createTopic(name string) {
	f.t.Helper()
	if _, err := f.pub.CreateTopic(f.ctx, &pubsubpb.Topic{Name: name}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) createSub(s *pubsubpb.Subscription) string {
	f.t.Helper()
	if s.Topic == "" {
		s.Topic = f.topic
	}
	if _, err := f.sub.CreateSubscription(f.ctx, s); err != nil {
		f.t.Fatal(err)
	}
	return s.Name
}

// publish publishes n messages with attribute seq=0..n-1 and the given
// ordering key function (nil: none), in requests of 1,000.
func (f *fixture) publish(topic string, n, size int, key func(i int) string) {
	f.t.Helper()
	body := strings.Repeat("x", size)
	for start := 0; start < n; start += 1000 {
		var msgs []*pubsubpb.PubsubMessage
		for i := start; i < min(n, start+1000); i++ {
			m := &pubsubpb.PubsubMessage{Data: []byte(body), Attributes: map[string]string{"seq": fmt.Sprint(i)}}
			if key != nil {
				m.OrderingKey = key(i)
			}
			msgs = append(msgs, m)
		}
		if _, err := f.pub.Publish(f.ctx, &pubsubpb.PublishRequest{Topic: topic, Messages: msgs}); err != nil {
			f.t.Fatal(err)
		}
	}
}

// stream is an open StreamingPull with its responses read in the
// background, so a test can wait for "nothing more arrives".
type stream struct {
	t    testing.TB
	c    pubsubpb.Subscriber_StreamingPullClient
	resc chan *pubsubpb.StreamingPullResponse
	errc chan error
}

func (f *fixture) open(first *pubsubpb.StreamingPullRequest) *stream {
	f.t.Helper()
	c, err := f.sub.StreamingPull(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := c.Send(first); err != nil {
		f.t.Fatal(err)
	}
	s := &stream{t: f.t, c: c, resc: make(chan *pubsubpb.StreamingPullResponse, 10000), errc: make(chan error, 1)}
	go func() {
		for {
			res, err := c.Recv()
			if err != nil {
				s.errc <- err
				return
			}
			s.resc <- res
		}
	}()
	return s
}

// next returns the next response, or nil if none comes within wait.
func (s *stream) next(wait time.Duration) *pubsubpb.StreamingPullResponse {
	s.t.Helper()
	select {
	case res := <-s.resc:
		return res
	case err := <-s.errc:
		s.t.Fatalf("stream ended: %v", err)
	case <-time.After(wait):
	}
	return nil
}

// messages collects delivered messages until none arrives for wait or max
// have arrived.
func (s *stream) messages(max int, wait time.Duration) []*pubsubpb.ReceivedMessage {
	s.t.Helper()
	var got []*pubsubpb.ReceivedMessage
	for len(got) < max {
		res := s.next(wait)
		if res == nil {
			break
		}
		got = append(got, res.GetReceivedMessages()...)
	}
	return got
}

// exactly collects n messages (failing if they do not come), then checks
// that no more arrive within wait.
func (s *stream) exactly(n int, wait time.Duration) []*pubsubpb.ReceivedMessage {
	s.t.Helper()
	var got []*pubsubpb.ReceivedMessage
	for len(got) < n {
		res := s.next(5 * time.Second)
		if res == nil {
			s.t.Fatalf("got %d messages, want %d", len(got), n)
		}
		got = append(got, res.GetReceivedMessages()...)
	}
	if extra := s.messages(1, wait); len(got)+len(extra) > n {
		s.t.Fatalf("got %d messages, want %d", len(got)+len(extra), n)
	}
	return got
}

// end waits for the stream to end and returns its error (nil for OK).
func (s *stream) end() error {
	s.t.Helper()
	for {
		select {
		case <-s.resc:
		case err := <-s.errc:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		case <-time.After(10 * time.Second):
			s.t.Fatal("stream did not end")
		}
	}
}

func (s *stream) send(req *pubsubpb.StreamingPullRequest) {
	s.t.Helper()
	if err := s.c.Send(req); err != nil {
		s.t.Fatal(err)
	}
}

func ackIDs(msgs []*pubsubpb.ReceivedMessage) []string {
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.GetAckId()
	}
	return ids
}

func TestStreamingPullDrainsUnderMessageFlowControl(t *testing.T) {
	const total, limit = 3000, 100
	f := newFixture(t, 10*time.Second)
	sub := f.createSub(&pubsubpb.Subscription{Name: "projects/p/subscriptions/s"})
	f.publish(f.topic, total, 200, nil)
	s := f.open(&pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 60, MaxOutstandingMessages: limit})

	seen := map[string]int{}
	for round := 0; len(seen) < total; round++ {
		// Take everything the server is willing to send without an ack: it
		// must stop at exactly the limit. (A long look now and then, a short
		// one otherwise: an extra message would follow its batch at once.)
		wait := 30 * time.Millisecond
		if round%10 == 0 {
			wait = quiet
		}
		got := s.exactly(min(limit, total-len(seen)), wait)
		for _, m := range got {
			seen[m.GetMessage().GetMessageId()]++
		}
		s.send(&pubsubpb.StreamingPullRequest{AckIds: ackIDs(got)})
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("message %s delivered %d times", id, n)
		}
	}
	if extra := s.messages(1, quiet); len(extra) != 0 {
		t.Fatalf("delivered again after every ack: %v", extra)
	}
	if err := s.c.CloseSend(); err != nil {
		t.Fatal(err)
	}
	if err := s.end(); err != nil {
		t.Fatalf("half-close should end the stream with OK, got %v", err)
	}
}

func TestStreamingPullByteFlowControl(t *testing.T) {
	const limit = 3500
	f := newFixture(t, 10*time.Second)
	sub := f.createSub(&pubsubpb.Subscription{Name: "projects/p/subscriptions/s"})
	f.publish(f.topic, 20, 1000, nil)
	s := f.open(&pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 60, MaxOutstandingBytes: limit})
	got := s.messages(20, quiet)
	// The server sends while the outstanding bytes are below the limit
	// (StreamingPullRequest.max_outstanding_bytes), so the last message may
	// cross it, but nothing comes once it is reached.
	var before int
	for _, m := range got[:len(got)-1] {
		before += len(m.GetMessage().GetData())
	}
	if len(got) == 0 || before >= limit || before+len(got[len(got)-1].GetMessage().GetData()) < limit {
		t.Fatalf("got %d messages (%d bytes before the last) under a %d-byte limit", len(got), before, limit)
	}
	// Unary acks (as the official clients send them) free the stream.
	if _, err := f.sub.Acknowledge(f.ctx, &pubsubpb.AcknowledgeRequest{Subscription: sub, AckIds: ackIDs(got)}); err != nil {
		t.Fatal(err)
	}
	if more := s.messages(20, quiet); len(more) != len(got) {
		t.Fatalf("after acking %d messages, %d more arrived", len(got), len(more))
	}
}

func TestStreamingPullExactlyOnceConfirmations(t *testing.T) {
	f := newFixture(t, time.Second)
	sub := f.createSub(&pubsubpb.Subscription{Name: "projects/p/subscriptions/eo", EnableExactlyOnceDelivery: true})
	f.publish(f.topic, 3, 10, nil)
	s := f.open(&pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 1})
	res := s.next(5 * time.Second)
	if res == nil || !res.GetSubscriptionProperties().GetExactlyOnceDeliveryEnabled() {
		t.Fatalf("want messages with exactly_once_delivery_enabled, got %v", res)
	}
	got := append(res.GetReceivedMessages(), s.messages(3-len(res.GetReceivedMessages()), quiet)...)
	if len(got) != 3 {
		t.Fatalf("got %d messages, want 3", len(got))
	}
	a, b, c := got[0].GetAckId(), got[1].GetAckId(), got[2].GetAckId()

	// Extend b's lease, ack a, and ack an id never delivered.
	s.send(&pubsubpb.StreamingPullRequest{ModifyDeadlineAckIds: []string{b, "m999:1"}, ModifyDeadlineSeconds: []int32{30, 30}})
	conf := s.next(5 * time.Second).GetModifyAckDeadlineConfirmation()
	if fmt.Sprint(conf.GetAckIds()) != fmt.Sprint([]string{b}) || fmt.Sprint(conf.GetInvalidAckIds()) != fmt.Sprint([]string{"m999:1"}) {
		t.Fatalf("modify confirmation %v", conf)
	}
	s.send(&pubsubpb.StreamingPullRequest{AckIds: []string{a, "m999:1"}})
	ack := s.next(5 * time.Second).GetAcknowledgeConfirmation()
	if fmt.Sprint(ack.GetAckIds()) != fmt.Sprint([]string{a}) || fmt.Sprint(ack.GetInvalidAckIds()) != fmt.Sprint([]string{"m999:1"}) {
		t.Fatalf("ack confirmation %v", ack)
	}
	// Acking a again: already settled.
	s.send(&pubsubpb.StreamingPullRequest{AckIds: []string{a}})
	if again := s.next(5 * time.Second).GetAcknowledgeConfirmation(); len(again.GetInvalidAckIds()) != 1 || len(again.GetAckIds()) != 0 {
		t.Fatalf("second ack of %s: %v", a, again)
	}

	// c's 1 s deadline passes: its ack id is invalid and the message comes
	// back under a new one; b, extended, does not come back.
	redelivered := s.messages(1, 3*time.Second)
	if len(redelivered) != 1 || redelivered[0].GetMessage().GetMessageId() != got[2].GetMessage().GetMessageId() || redelivered[0].GetAckId() == c {
		t.Fatalf("want %s redelivered under a new ack id, got %v", c, redelivered)
	}
	s.send(&pubsubpb.StreamingPullRequest{AckIds: []string{c, b, redelivered[0].GetAckId()}})
	ack = s.next(5 * time.Second).GetAcknowledgeConfirmation()
	if fmt.Sprint(ack.GetInvalidAckIds()) != fmt.Sprint([]string{c}) || len(ack.GetAckIds()) != 2 {
		t.Fatalf("confirmation after expiry: %v", ack)
	}
	if extra := s.messages(1, 1500*time.Millisecond); len(extra) != 0 {
		t.Fatalf("acked messages came back: %v", extra)
	}
}

func TestStreamingPullRedeliveryNackAndDeadLetter(t *testing.T) {
	f := newFixture(t, time.Second)
	f.createTopic("projects/p/topics/dead")
	dead := f.createSub(&pubsubpb.Subscription{Name: "projects/p/subscriptions/dead", Topic: "projects/p/topics/dead"})
	sub := f.createSub(&pubsubpb.Subscription{
		Name:             "projects/p/subscriptions/s",
		DeadLetterPolicy: &pubsubpb.DeadLetterPolicy{DeadLetterTopic: "projects/p/topics/dead", MaxDeliveryAttempts: 5},
	})
	f.publish(f.topic, 1, 10, nil)
	s := f.open(&pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 1})

	// Attempt 1 is left to expire; attempts 2-5 are nacked on the stream.
	first := s.messages(1, 5*time.Second)
	if len(first) != 1 || first[0].GetDeliveryAttempt() != 1 {
		t.Fatalf("first delivery: %v", first)
	}
	start := time.Now()
	for attempt := int32(2); attempt <= 5; attempt++ {
		got := s.messages(1, 5*time.Second)
		if len(got) != 1 || got[0].GetDeliveryAttempt() != attempt {
			t.Fatalf("delivery attempt %d: %v", attempt, got)
		}
		if attempt == 2 && time.Since(start) < 500*time.Millisecond {
			t.Fatalf("redelivered %v after the first delivery, before its 1 s deadline", time.Since(start))
		}
		s.send(&pubsubpb.StreamingPullRequest{ModifyDeadlineAckIds: []string{got[0].GetAckId()}, ModifyDeadlineSeconds: []int32{0}})
	}
	// After max_delivery_attempts the message goes to the dead-letter topic.
	if more := s.messages(1, quiet); len(more) != 0 {
		t.Fatalf("delivered after max_delivery_attempts: %v", more)
	}
	d := f.open(&pubsubpb.StreamingPullRequest{Subscription: dead, StreamAckDeadlineSeconds: 10})
	if got := d.messages(1, 5*time.Second); len(got) != 1 || got[0].GetMessage().GetAttributes()["seq"] != "0" {
		t.Fatalf("dead-letter subscription got %v", got)
	}
}

func TestStreamingPullOrderingKeys(t *testing.T) {
	const keys, perKey = 3, 10
	f := newFixture(t, 10*time.Second)
	sub := f.createSub(&pubsubpb.Subscription{Name: "projects/p/subscriptions/o", EnableMessageOrdering: true})
	f.publish(f.topic, keys*perKey, 10, func(i int) string { return fmt.Sprintf("k%d", i%keys) })
	s := f.open(&pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 60, MaxOutstandingMessages: 1000})
	if res := s.next(5 * time.Second); res == nil || !res.GetSubscriptionProperties().GetMessageOrderingEnabled() {
		t.Fatalf("want message_ordering_enabled, got %v", res)
	} else {
		s.resc <- res // put it back for the loop below
	}
	last := map[string]int{}
	for received := 0; received < keys*perKey; {
		// One outstanding message per ordering key: without acks, exactly
		// one per key arrives.
		got := s.exactly(keys, 100*time.Millisecond)
		keysSeen := map[string]bool{}
		for _, m := range got {
			keysSeen[m.GetMessage().GetOrderingKey()] = true
		}
		if len(keysSeen) != keys {
			t.Fatalf("after %d messages, got %d messages of %d keys, want one per key", received, len(got), len(keysSeen))
		}
		for _, m := range got {
			var seq int
			fmt.Sscan(m.GetMessage().GetAttributes()["seq"], &seq)
			key := m.GetMessage().GetOrderingKey()
			if prev, ok := last[key]; ok && seq <= prev {
				t.Fatalf("key %s: %d after %d", key, seq, prev)
			}
			last[key] = seq
		}
		received += len(got)
		s.send(&pubsubpb.StreamingPullRequest{AckIds: ackIDs(got)})
	}
}

func TestStreamingPullReplicasShareMessages(t *testing.T) {
	const total = 2000
	f := newFixture(t, 10*time.Second)
	sub := f.createSub(&pubsubpb.Subscription{Name: "projects/p/subscriptions/s"})
	streams := []*stream{
		f.open(&pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 60, MaxOutstandingMessages: 50}),
		f.open(&pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 60, MaxOutstandingMessages: 50}),
	}
	// Open both before publishing, so both are waiting when messages come.
	time.Sleep(100 * time.Millisecond)
	f.publish(f.topic, total, 100, nil)
	var mu sync.Mutex
	seen := map[string]int{}
	counts := make([]int, len(streams))
	var wg sync.WaitGroup
	for i, s := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				res := s.next(quiet)
				if res == nil {
					return
				}
				mu.Lock()
				for _, m := range res.GetReceivedMessages() {
					seen[m.GetMessage().GetMessageId()]++
				}
				counts[i] += len(res.GetReceivedMessages())
				mu.Unlock()
				time.Sleep(time.Millisecond) // a consumer that works a little
				s.send(&pubsubpb.StreamingPullRequest{AckIds: ackIDs(res.GetReceivedMessages())})
			}
		}()
	}
	wg.Wait()
	if len(seen) != total {
		t.Fatalf("received %d distinct messages, want %d", len(seen), total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("message %s delivered %d times", id, n)
		}
	}
	if counts[0] == 0 || counts[1] == 0 {
		t.Fatalf("one replica got nothing: %v", counts)
	}
}

func TestStreamingPullClientIDTakesOverLeases(t *testing.T) {
	f := newFixture(t, 10*time.Second)
	sub := f.createSub(&pubsubpb.Subscription{Name: "projects/p/subscriptions/s"})
	f.publish(f.topic, 10, 10, nil)
	first := &pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 60, MaxOutstandingMessages: 2, ClientId: "c1"}
	a := f.open(first)
	held := a.messages(3, quiet)
	if len(held) != 2 {
		t.Fatalf("got %d, want 2", len(held))
	}
	if err := a.c.CloseSend(); err != nil {
		t.Fatal(err)
	}
	if err := a.end(); err != nil {
		t.Fatal(err)
	}
	// The reconnecting client (same client_id) still holds two messages.
	b := f.open(first)
	if got := b.messages(1, quiet); len(got) != 0 {
		t.Fatalf("client c1 reconnected holding 2 of 2 messages, yet got %v", got)
	}
	// Another client is not held back by c1's leases.
	other := f.open(&pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 60, MaxOutstandingMessages: 2, ClientId: "c2"})
	if got := other.messages(3, quiet); len(got) != 2 {
		t.Fatalf("client c2 got %d, want 2", len(got))
	}
	if _, err := f.sub.Acknowledge(f.ctx, &pubsubpb.AcknowledgeRequest{Subscription: sub, AckIds: ackIDs(held)}); err != nil {
		t.Fatal(err)
	}
	if got := b.messages(3, quiet); len(got) != 2 {
		t.Fatalf("after acking its old messages, client c1 got %d, want 2", len(got))
	}
}

func TestStreamingPullEndsAndRefuses(t *testing.T) {
	f := newFixture(t, 10*time.Second, pstest.WithErrorInjection("StreamingPull", codes.Unavailable, "injected"))
	sub := f.createSub(&pubsubpb.Subscription{Name: "projects/p/subscriptions/s"})
	good := &pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 10}
	// Error injection applies to StreamingPull: a host of its own.
	if err := f.open(good).end(); status.Code(err) != codes.Unavailable {
		t.Fatalf("injected: want Unavailable, got %v", err)
	}

	f = newFixture(t, 10*time.Second)
	sub = f.createSub(&pubsubpb.Subscription{Name: "projects/p/subscriptions/s"})
	good = &pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 10}
	for _, tc := range []struct {
		name  string
		first *pubsubpb.StreamingPullRequest
		later *pubsubpb.StreamingPullRequest
		code  codes.Code
	}{
		{"missing subscription", &pubsubpb.StreamingPullRequest{Subscription: "projects/p/subscriptions/nope", StreamAckDeadlineSeconds: 10}, nil, codes.NotFound},
		{"no subscription", &pubsubpb.StreamingPullRequest{StreamAckDeadlineSeconds: 10}, nil, codes.InvalidArgument},
		{"no ack deadline", &pubsubpb.StreamingPullRequest{Subscription: sub}, nil, codes.InvalidArgument},
		{"ack deadline too long", &pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 601}, nil, codes.InvalidArgument},
		{"flow control changed later", good, &pubsubpb.StreamingPullRequest{MaxOutstandingMessages: 5}, codes.InvalidArgument},
		{"modack lists differ", good, &pubsubpb.StreamingPullRequest{ModifyDeadlineAckIds: []string{"a"}}, codes.InvalidArgument},
		{"modack out of range", good, &pubsubpb.StreamingPullRequest{ModifyDeadlineAckIds: []string{"a"}, ModifyDeadlineSeconds: []int32{601}}, codes.InvalidArgument},
	} {
		s := f.open(tc.first)
		if tc.later != nil {
			s.send(tc.later)
		}
		err := s.end()
		if status.Code(err) != tc.code {
			t.Errorf("%s: want %v, got %v", tc.name, tc.code, err)
		}
		if tc.code != codes.NotFound && !strings.Contains(status.Convert(err).Message(), "subscription") {
			t.Errorf("%s: error should name the subscription: %v", tc.name, err)
		}
	}

	// A keepalive is answered with a heartbeat when the client announces
	// protocol_version 1.
	hb := f.open(&pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 10, ProtocolVersion: 1})
	hb.send(&pubsubpb.StreamingPullRequest{})
	if res := hb.next(5 * time.Second); res == nil || len(res.GetReceivedMessages()) != 0 {
		t.Fatalf("want an empty heartbeat response, got %v", res)
	}

	// Deleting the subscription ends its open streams with NOT_FOUND at once.
	s := f.open(good)
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	if _, err := f.sub.DeleteSubscription(f.ctx, &pubsubpb.DeleteSubscriptionRequest{Subscription: sub}); err != nil {
		t.Fatal(err)
	}
	err := s.end()
	if status.Code(err) != codes.NotFound || !strings.Contains(err.Error(), sub) {
		t.Fatalf("after delete: want NotFound naming %s, got %v", sub, err)
	}
	if took := time.Since(start); took > pollInterval {
		t.Fatalf("stream ended %v after the delete", took)
	}
}

// TestStreamingPullIdleStreamWakesOnPublish checks that a stream waiting on
// an empty subscription is woken by a publish rather than a poll.
func TestStreamingPullIdleStreamWakesOnPublish(t *testing.T) {
	f := newFixture(t, 10*time.Second)
	sub := f.createSub(&pubsubpb.Subscription{Name: "projects/p/subscriptions/s"})
	s := f.open(&pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 10})
	time.Sleep(50 * time.Millisecond)
	var lat []time.Duration
	for i := 0; i < 5; i++ {
		time.Sleep(30 * time.Millisecond)
		start := time.Now()
		f.publish(f.topic, 1, 10, nil)
		got := s.messages(1, 5*time.Second)
		if len(got) != 1 {
			t.Fatalf("got %v", got)
		}
		lat = append(lat, time.Since(start))
		s.send(&pubsubpb.StreamingPullRequest{AckIds: ackIDs(got)})
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if lat[2] >= pollInterval/2 {
		t.Fatalf("median publish-to-delivery %v: the stream waits for its poll instead of the publish", lat[2])
	}
}

// BenchmarkStreamingPull measures one stream draining 20,000 messages of 200
// bytes with max_outstanding_messages 1,000, acking each response on the
// stream as it arrives: go test -run x -bench StreamingPull
func BenchmarkStreamingPull(b *testing.B) {
	const total = 20000
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newFixture(b, 10*time.Second)
		sub := f.createSub(&pubsubpb.Subscription{Name: "projects/p/subscriptions/s"})
		f.publish(f.topic, total, 200, nil)
		b.StartTimer()
		start := time.Now()
		s := f.open(&pubsubpb.StreamingPullRequest{Subscription: sub, StreamAckDeadlineSeconds: 60, MaxOutstandingMessages: 1000})
		for got := 0; got < total; {
			res := s.next(10 * time.Second)
			if res == nil {
				b.Fatalf("stalled after %d messages", got)
			}
			got += len(res.GetReceivedMessages())
			s.send(&pubsubpb.StreamingPullRequest{AckIds: ackIDs(res.GetReceivedMessages())})
		}
		b.ReportMetric(total/time.Since(start).Seconds(), "msgs/s")
	}
}
