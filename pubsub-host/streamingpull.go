package main

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// The host serves StreamingPull itself, on top of pstest's unary Pull,
// Acknowledge and ModifyAckDeadline.
//
// pstest's own StreamingPull hands messages to a stream from a loop that
// wakes every 10 ms and offers one message at a time through an unbuffered
// channel with a non-blocking send, stopping at the first refusal: a stream
// gets about one message per tick, ~100 msg/s, whatever flow control the
// client asks for (issue 19). Unary Pull on the same server returns up to
// 1,000 messages per call. Building the stream on Pull keeps every rule
// pstest enforces there (ack deadlines and redelivery, dead lettering after
// max_delivery_attempts, filters, one outstanding message per ordering key)
// and delivers as fast as the client acks.
//
// Protocol: google.pubsub.v1.Subscriber.StreamingPull, StreamingPullRequest
// and StreamingPullResponse in google/pubsub/v1/pubsub.proto.

const (
	// maxPullBatch is the most messages one Pull asks pstest for (pstest's
	// own default when max_messages is 0).
	maxPullBatch = 1000
	// pollInterval bounds how long an idle stream sleeps between Pulls.
	// Publishes, acks and nacks wake it at once (see wakeups); this catches
	// what pstest does on its own: ack deadlines passing and messages moved
	// to a dead-letter topic.
	pollInterval = 100 * time.Millisecond
	// maxAckDeadlineSeconds is the protocol's upper bound for
	// stream_ack_deadline_seconds and modify_deadline_seconds.
	maxAckDeadlineSeconds = 600
	// maxResponseBytes splits large batches over several responses: gRPC
	// clients refuse messages over 4 MiB unless configured otherwise.
	maxResponseBytes = 4 << 20
)

// pullStream is one open StreamingPull call.
type pullStream struct {
	svc          *service
	gs           pubsubpb.Subscriber_StreamingPullServer
	ctx          context.Context
	subscription string
	topic        string
	clientID     string
	// Flow control from the first request; <= 0 means no limit.
	maxMessages int64
	maxBytes    int64
	// props is sent with every response that carries messages or
	// confirmations, as real Pub/Sub does; clients read exactly-once mode
	// from it (e.g. the Python client's _on_response).
	props           *pubsubpb.StreamingPullResponse_SubscriptionProperties
	protocolVersion int64
	// ackDeadline is stream_ack_deadline_seconds, changeable by any request.
	ackDeadline atomic.Int32
	leases      *streamLeases
	// largest is the largest message (bytes) delivered so far, to size
	// Pulls under a byte limit. Used by the delivery goroutine only.
	largest int64

	sendMu sync.Mutex
	closed bool
}

// StreamingPull serves one stream until the client half-closes (OK), the
// client goes away, the subscription is deleted (NOT_FOUND, as pstest's
// Pull reports it) or a request breaks the protocol (INVALID_ARGUMENT).
func (s *service) StreamingPull(gs pubsubpb.Subscriber_StreamingPullServer) error {
	first, err := gs.Recv()
	if errors.Is(err, io.EOF) {
		return status.Error(codes.InvalidArgument, "StreamingPull: the client closed the stream before sending its first request")
	}
	if err != nil {
		return err
	}
	if err := s.reactStreamingPull(first); err != nil {
		return err
	}
	st, err := s.openPullStream(gs, first)
	if err != nil {
		return err
	}
	// Send the response headers now: some clients (tonic, used by the Rust
	// client) do not hand the stream to the application before them, and
	// an idle subscription would otherwise hold them back.
	if err := gs.SendHeader(metadata.MD{}); err != nil {
		return err
	}
	s.leases.adopt(st.leases, st.subscription, st.clientID, time.Now())
	defer s.leases.park(st.leases, st.subscription, st.clientID)
	defer st.close()

	if err := st.handle(first); err != nil {
		return err
	}
	received := make(chan error, 1)
	go func() { received <- st.receive() }()
	return st.deliver(received)
}

// reactStreamingPull applies --inject-error StreamingPull=CODE: pstest runs
// no reactor for StreamingPull, the host does.
func (s *service) reactStreamingPull(req *pubsubpb.StreamingPullRequest) error {
	for _, r := range s.reactors {
		if r.FuncName != "StreamingPull" || r.Reactor == nil {
			continue
		}
		if _, _, err := r.Reactor.React(req); err != nil {
			return err
		}
	}
	return nil
}

// openPullStream checks the first request and looks the subscription up.
func (s *service) openPullStream(gs pubsubpb.Subscriber_StreamingPullServer, first *pubsubpb.StreamingPullRequest) (*pullStream, error) {
	name := first.GetSubscription()
	if name == "" {
		// pstest's wording for a request without a subscription.
		return nil, status.Error(codes.InvalidArgument, "missing subscription")
	}
	if err := s.checkStreamAckDeadline(name, first.GetStreamAckDeadlineSeconds()); err != nil {
		return nil, err
	}
	sub, err := s.GServer.GetSubscription(gs.Context(), &pubsubpb.GetSubscriptionRequest{Subscription: name})
	if err != nil {
		return nil, err
	}
	st := &pullStream{
		svc:          s,
		gs:           gs,
		ctx:          gs.Context(),
		subscription: name,
		topic:        sub.GetTopic(),
		clientID:     first.GetClientId(),
		maxMessages:  first.GetMaxOutstandingMessages(),
		maxBytes:     first.GetMaxOutstandingBytes(),
		props: &pubsubpb.StreamingPullResponse_SubscriptionProperties{
			ExactlyOnceDeliveryEnabled: sub.GetEnableExactlyOnceDelivery(),
			MessageOrderingEnabled:     sub.GetEnableMessageOrdering(),
		},
		protocolVersion: first.GetProtocolVersion(),
		leases:          newStreamLeases(),
	}
	st.ackDeadline.Store(first.GetStreamAckDeadlineSeconds())
	return st, nil
}

// checkStreamAckDeadline enforces the protocol's 10–600 s range for
// stream_ack_deadline_seconds ("Required"), with pubsub-host's
// --min-ack-deadline as the lower bound.
func (s *service) checkStreamAckDeadline(subscription string, secs int32) error {
	if secs < s.minAckDeadlineSeconds || secs > maxAckDeadlineSeconds {
		return status.Errorf(codes.InvalidArgument,
			"StreamingPull on %s: stream_ack_deadline_seconds %d is out of range (%d–%d)",
			subscription, secs, s.minAckDeadlineSeconds, maxAckDeadlineSeconds)
	}
	return nil
}

// close stops sends from the receiving goroutine once the call is over.
func (st *pullStream) close() {
	st.sendMu.Lock()
	st.closed = true
	st.sendMu.Unlock()
}

// send writes one response; gRPC allows one sender at a time.
func (st *pullStream) send(res *pubsubpb.StreamingPullResponse) error {
	st.sendMu.Lock()
	defer st.sendMu.Unlock()
	if st.closed {
		return status.Error(codes.Canceled, "stream closed")
	}
	return st.gs.Send(res)
}

// deliver pulls from pstest and sends while flow control allows, and sleeps
// when there is nothing to send or no room, until the stream ends.
func (st *pullStream) deliver(received <-chan error) error {
	s := st.svc
	lastExpiry := time.Now()
	for {
		select {
		case err := <-received:
			return err
		default:
		}
		// Watch before pulling, so that an event between the Pull and the
		// wait below is not lost.
		topicEvents := s.wake.watch(st.topic)
		subEvents := s.wake.watch(st.subscription)
		if now := time.Now(); now.Sub(lastExpiry) >= pollInterval {
			s.leases.expire(st.leases, now)
			lastExpiry = now
		}
		if room := st.room(); room > 0 {
			sent, err := st.pullAndSend(room)
			if err != nil {
				return err
			}
			if sent > 0 {
				continue
			}
		}
		timer := time.NewTimer(pollInterval)
		select {
		case err := <-received:
			timer.Stop()
			return err
		case <-st.ctx.Done():
			timer.Stop()
			return status.FromContextError(st.ctx.Err()).Err()
		case <-st.leases.released:
		case <-topicEvents:
		case <-subEvents:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// room is how many messages the next Pull may ask for: at most
// maxPullBatch, at most what max_outstanding_messages leaves, and, under a
// byte limit, what the remaining bytes hold at the largest size seen so far
// (one message while no size is known). The protocol lets the server send
// while the outstanding bytes are below the limit, so a batch of messages
// larger than any seen before can end above it.
func (st *pullStream) room() int64 {
	msgs, bytes := st.svc.leases.outstanding(st.leases)
	n := int64(maxPullBatch)
	if st.maxMessages > 0 {
		n = min(n, st.maxMessages-msgs)
	}
	if st.maxBytes > 0 {
		if bytes >= st.maxBytes {
			return 0
		}
		if st.largest == 0 {
			n = min(n, 1)
		} else {
			n = min(n, max(1, (st.maxBytes-bytes)/st.largest))
		}
	}
	return n
}

// pullAndSend pulls up to n messages, gives them the stream's ack deadline,
// records their leases and sends them. It returns how many it sent.
func (st *pullStream) pullAndSend(n int64) (int, error) {
	s := st.svc
	res, err := s.GServer.Pull(st.ctx, &pubsubpb.PullRequest{
		Subscription:      st.subscription,
		MaxMessages:       int32(n),
		ReturnImmediately: true,
	})
	if err != nil {
		return 0, err
	}
	got := res.GetReceivedMessages()
	if len(got) == 0 {
		return 0, nil
	}
	ids := make([]string, len(got))
	sizes := make([]int64, len(got))
	msgs := make([]*pubsubpb.ReceivedMessage, len(got))
	for i, m := range got {
		// A copy: pstest changes its own ReceivedMessage when it delivers
		// the message again.
		msgs[i] = &pubsubpb.ReceivedMessage{AckId: m.GetAckId(), Message: m.GetMessage(), DeliveryAttempt: m.GetDeliveryAttempt()}
		ids[i] = m.GetAckId()
		sizes[i] = int64(proto.Size(m.GetMessage()))
		st.largest = max(st.largest, sizes[i])
	}
	// Pull gave each message the subscription's ack deadline; a stream's
	// messages get the stream's (stream_ack_deadline_seconds). The lease's
	// deadline is computed from a time taken before pstest computes its own,
	// so it never outlives pstest's.
	secs := st.ackDeadline.Load()
	start := time.Now()
	if _, err := s.GServer.ModifyAckDeadline(st.ctx, &pubsubpb.ModifyAckDeadlineRequest{
		Subscription:       st.subscription,
		AckIds:             ids,
		AckDeadlineSeconds: secs,
	}); err != nil {
		return 0, err
	}
	// Record the leases before sending, so an ack that comes back at once
	// finds them.
	s.leases.add(st.leases, st.subscription, ids, sizes, start.Add(time.Duration(secs)*time.Second))
	for begin := 0; begin < len(msgs); {
		end, size := begin, 0
		for end < len(msgs) && (end == begin || size+int(sizes[end]) <= maxResponseBytes) {
			size += int(sizes[end])
			end++
		}
		if err := st.send(&pubsubpb.StreamingPullResponse{
			ReceivedMessages:       msgs[begin:end],
			SubscriptionProperties: st.props,
		}); err != nil {
			return 0, err
		}
		begin = end
	}
	return len(msgs), nil
}

// receive applies the client's requests until it half-closes (nil) or the
// stream fails.
func (st *pullStream) receive() error {
	for {
		req, err := st.gs.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := st.checkLaterRequest(req); err != nil {
			return err
		}
		if err := st.handle(req); err != nil {
			return err
		}
		if len(req.GetAckIds()) == 0 && len(req.GetModifyDeadlineAckIds()) == 0 && st.protocolVersion >= 1 {
			// A keepalive. Clients that announce protocol_version 1 accept
			// empty responses as heartbeats; pstest answers each with one.
			if err := st.send(&pubsubpb.StreamingPullResponse{}); err != nil {
				return err
			}
		}
	}
}

// checkLaterRequest enforces what the protocol says of requests after the
// first: flow control "can only be set on the initial StreamingPullRequest.
// If it is set on a subsequent request, the stream will be aborted with
// status INVALID_ARGUMENT"; the subscription "must not be set in subsequent
// requests" (tolerated when it repeats the stream's own).
func (st *pullStream) checkLaterRequest(req *pubsubpb.StreamingPullRequest) error {
	if req.GetMaxOutstandingMessages() != 0 || req.GetMaxOutstandingBytes() != 0 {
		return status.Errorf(codes.InvalidArgument,
			"StreamingPull on %s: max_outstanding_messages and max_outstanding_bytes can only be set on the initial request",
			st.subscription)
	}
	if sub := req.GetSubscription(); sub != "" && sub != st.subscription {
		return status.Errorf(codes.InvalidArgument,
			"StreamingPull on %s: a later request names subscription %s", st.subscription, sub)
	}
	return nil
}

// handle applies one request's deadline change, acks and deadline
// modifications. With exactly-once delivery it answers them with an
// AcknowledgeConfirmation / ModifyAckDeadlineConfirmation, listing as
// invalid the ack ids whose lease has expired or is unknown.
func (st *pullStream) handle(req *pubsubpb.StreamingPullRequest) error {
	modIDs, modSecs := req.GetModifyDeadlineAckIds(), req.GetModifyDeadlineSeconds()
	if len(modIDs) != len(modSecs) {
		return status.Errorf(codes.InvalidArgument,
			"StreamingPull on %s: modify_deadline_ack_ids has %d entries but modify_deadline_seconds has %d",
			st.subscription, len(modIDs), len(modSecs))
	}
	for _, secs := range modSecs {
		if secs < 0 || secs > maxAckDeadlineSeconds {
			return status.Errorf(codes.InvalidArgument,
				"StreamingPull on %s: modify_deadline_seconds %d is out of range (0–%d)",
				st.subscription, secs, maxAckDeadlineSeconds)
		}
	}
	if secs := req.GetStreamAckDeadlineSeconds(); secs != 0 {
		if err := st.svc.checkStreamAckDeadline(st.subscription, secs); err != nil {
			return err
		}
		st.ackDeadline.Store(secs)
	}

	exactlyOnce := st.props.GetExactlyOnceDeliveryEnabled()
	res := &pubsubpb.StreamingPullResponse{SubscriptionProperties: st.props}
	if ids := req.GetAckIds(); len(ids) > 0 {
		apply := ids
		if exactlyOnce {
			valid, invalid := st.svc.leases.classify(st.subscription, ids, time.Now())
			apply = valid
			res.AcknowledgeConfirmation = &pubsubpb.StreamingPullResponse_AcknowledgeConfirmation{
				AckIds:        valid,
				InvalidAckIds: invalid,
			}
		}
		if len(apply) > 0 {
			if err := st.svc.acknowledge(st.ctx, st.subscription, apply); err != nil {
				return err
			}
		}
	}
	if len(modIDs) > 0 {
		conf := &pubsubpb.StreamingPullResponse_ModifyAckDeadlineConfirmation{}
		for secs, ids := range groupBySeconds(modIDs, modSecs) {
			apply := ids
			if exactlyOnce {
				valid, invalid := st.svc.leases.classify(st.subscription, ids, time.Now())
				apply = valid
				conf.AckIds = append(conf.AckIds, valid...)
				conf.InvalidAckIds = append(conf.InvalidAckIds, invalid...)
			}
			if len(apply) > 0 {
				if err := st.svc.modifyAckDeadline(st.ctx, st.subscription, apply, secs); err != nil {
					return err
				}
			}
		}
		if exactlyOnce {
			res.ModifyAckDeadlineConfirmation = conf
		}
	}
	if res.AcknowledgeConfirmation != nil || res.ModifyAckDeadlineConfirmation != nil {
		return st.send(res)
	}
	return nil
}

// groupBySeconds turns parallel lists of ack ids and deadlines into one
// ModifyAckDeadline call's worth per deadline.
func groupBySeconds(ids []string, secs []int32) map[int32][]string {
	groups := map[int32][]string{}
	for i, id := range ids {
		groups[secs[i]] = append(groups[secs[i]], id)
	}
	return groups
}

// acknowledge acks through pstest, then ends the host's leases (freeing the
// flow control of the streams that delivered the messages) and wakes the
// subscription's streams: an ack can make an ordering key's next message
// deliverable.
func (s *service) acknowledge(ctx context.Context, subscription string, ackIDs []string) error {
	if _, err := s.GServer.Acknowledge(ctx, &pubsubpb.AcknowledgeRequest{Subscription: subscription, AckIds: ackIDs}); err != nil {
		return err
	}
	s.leases.release(subscription, ackIDs)
	s.wake.notify(subscription)
	return nil
}

// modifyAckDeadline changes deadlines through pstest and mirrors the change
// in the host's leases. A deadline of 0 is a nack: the message is
// deliverable again at once, so the subscription's streams are woken.
func (s *service) modifyAckDeadline(ctx context.Context, subscription string, ackIDs []string, secs int32) error {
	start := time.Now()
	if _, err := s.GServer.ModifyAckDeadline(ctx, &pubsubpb.ModifyAckDeadlineRequest{
		Subscription:       subscription,
		AckIds:             ackIDs,
		AckDeadlineSeconds: secs,
	}); err != nil {
		return err
	}
	if secs == 0 {
		s.leases.release(subscription, ackIDs)
		s.wake.notify(subscription)
		return nil
	}
	s.leases.extend(subscription, ackIDs, start, start.Add(time.Duration(secs)*time.Second))
	return nil
}
