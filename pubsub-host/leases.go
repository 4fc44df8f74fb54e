package main

import (
	"sync"
	"time"
)

// leases records every message the host's StreamingPull has delivered and
// that is not yet acked, nacked or past its ack deadline, by ack id.
//
// pstest keeps the same facts privately; the host needs its own copy for
// two things pstest cannot answer:
//   - flow control: a stream may not have more than max_outstanding_messages
//     / max_outstanding_bytes unacked messages (google.pubsub.v1
//     StreamingPullRequest). The official clients ack through the unary
//     Acknowledge and ModifyAckDeadline RPCs, not on the stream, so those
//     RPCs must find the stream a message was delivered on.
//   - exactly-once confirmations: a StreamingPullResponse must list which
//     acked ack ids were valid and which had expired (AcknowledgeConfirmation
//     / ModifyAckDeadlineConfirmation); pstest silently ignores stale ones.
//
// A lease's deadline is never later than pstest's own deadline for the
// message (it is computed from a time taken before the call that sets
// pstest's), so an ack id the host calls valid is one pstest will honour.
type leases struct {
	mu sync.Mutex
	// byAck is keyed by subscription and ack id: pstest's ack ids are
	// "<message id>:<delivery count>", so a message published to a topic
	// with two subscriptions has the same ack id in both.
	byAck  map[ackKey]*lease
	parked map[parkKey]map[string]*lease
	// lastSweep is when parked leases were last checked for expiry.
	lastSweep time.Time
}

type ackKey struct {
	subscription string
	ackID        string
}

// lease is one delivered, unsettled message.
type lease struct {
	// owner is the stream it counts against; nil while parked.
	owner *streamLeases
	// parkedAs is where it waits while owner is nil.
	parkedAs     parkKey
	subscription string
	bytes        int64
	deadline     time.Time
}

// parkKey names the leases a closed stream left behind. Real Pub/Sub hands
// them to the next stream that opens with the same client_id on the same
// subscription ("state associated with the old stream can be transferred to
// the new stream", StreamingPullRequest.client_id).
type parkKey struct {
	subscription string
	clientID     string
}

// streamLeases is one stream's share of the registry. Its fields are
// guarded by leases.mu.
type streamLeases struct {
	held  map[string]*lease
	bytes int64
	// released receives a value (without blocking) whenever a lease of this
	// stream ends, so a stream held back by flow control can go on.
	released chan struct{}
}

func newLeases() *leases {
	return &leases{byAck: map[ackKey]*lease{}, parked: map[parkKey]map[string]*lease{}}
}

func newStreamLeases() *streamLeases {
	return &streamLeases{held: map[string]*lease{}, released: make(chan struct{}, 1)}
}

// add records messages delivered on st, each with its size in bytes.
func (l *leases) add(st *streamLeases, subscription string, ackIDs []string, sizes []int64, deadline time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, id := range ackIDs {
		ls := &lease{owner: st, subscription: subscription, bytes: sizes[i], deadline: deadline}
		l.byAck[ackKey{subscription, id}] = ls
		st.held[id] = ls
		st.bytes += ls.bytes
	}
}

// outstanding is how many messages and bytes st holds.
func (l *leases) outstanding(st *streamLeases) (int64, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return int64(len(st.held)), st.bytes
}

// classify splits ackIDs of subscription into those with a live lease and
// the rest (unknown, expired, already settled, or of another subscription).
func (l *leases) classify(subscription string, ackIDs []string, now time.Time) (valid, invalid []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ackIDs {
		if ls, ok := l.byAck[ackKey{subscription, id}]; ok && !now.After(ls.deadline) {
			valid = append(valid, id)
		} else {
			invalid = append(invalid, id)
		}
	}
	return valid, invalid
}

// release ends the leases of ackIDs (acked or nacked) and frees their
// streams' flow control. Unknown ids are ignored.
func (l *leases) release(subscription string, ackIDs []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ackIDs {
		if ls, ok := l.byAck[ackKey{subscription, id}]; ok {
			l.dropLocked(id, ls)
		}
	}
}

// extend moves the deadline of the leases of ackIDs (a ModifyAckDeadline
// with a positive deadline) to deadline. A lease already past its deadline
// is dropped instead: pstest ignores a modack of an expired ack id (the
// message is deliverable again, under a new ack id).
func (l *leases) extend(subscription string, ackIDs []string, now, deadline time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ackIDs {
		ls, ok := l.byAck[ackKey{subscription, id}]
		switch {
		case !ok:
		case now.After(ls.deadline):
			l.dropLocked(id, ls)
		default:
			ls.deadline = deadline
		}
	}
}

// expire ends st's leases whose deadline has passed: pstest will deliver
// those messages again, so they no longer count against st.
func (l *leases) expire(st *streamLeases, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, ls := range st.held {
		if now.After(ls.deadline) {
			l.dropLocked(id, ls)
		}
	}
	l.sweepParkedLocked(now)
}

// park ends st: with a client id its live leases wait for a stream that
// reconnects with the same id, without one they are forgotten (pstest
// redelivers the messages once their deadline passes).
func (l *leases) park(st *streamLeases, subscription, clientID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if clientID == "" || len(st.held) == 0 {
		for id, ls := range st.held {
			l.dropLocked(id, ls)
		}
		return
	}
	key := parkKey{subscription, clientID}
	if l.parked[key] == nil {
		l.parked[key] = map[string]*lease{}
	}
	for id, ls := range st.held {
		ls.owner = nil
		ls.parkedAs = key
		l.parked[key][id] = ls
		delete(st.held, id)
	}
	st.bytes = 0
}

// adopt gives st the unexpired leases parked under (subscription, clientID).
func (l *leases) adopt(st *streamLeases, subscription, clientID string, now time.Time) {
	if clientID == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	key := parkKey{subscription, clientID}
	for id, ls := range l.parked[key] {
		if now.After(ls.deadline) {
			delete(l.byAck, ackKey{subscription, id})
			continue
		}
		ls.owner = st
		st.held[id] = ls
		st.bytes += ls.bytes
	}
	delete(l.parked, key)
}

// dropLocked forgets one lease and wakes its stream.
func (l *leases) dropLocked(id string, ls *lease) {
	delete(l.byAck, ackKey{ls.subscription, id})
	if st := ls.owner; st != nil {
		delete(st.held, id)
		st.bytes -= ls.bytes
		select {
		case st.released <- struct{}{}:
		default:
		}
		return
	}
	if group := l.parked[ls.parkedAs]; group != nil {
		delete(group, id)
		if len(group) == 0 {
			delete(l.parked, ls.parkedAs)
		}
	}
}

// sweepParkedLocked forgets parked leases that expired, at most once a
// second, so leases of clients that never reconnect do not pile up.
func (l *leases) sweepParkedLocked(now time.Time) {
	if now.Sub(l.lastSweep) < time.Second {
		return
	}
	l.lastSweep = now
	for key, group := range l.parked {
		for id, ls := range group {
			if now.After(ls.deadline) {
				delete(group, id)
				delete(l.byAck, ackKey{key.subscription, id})
			}
		}
		if len(group) == 0 {
			delete(l.parked, key)
		}
	}
}
