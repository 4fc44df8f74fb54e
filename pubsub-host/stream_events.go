package main

import (
	"context"

	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The unary RPCs below go to pstest as before; they also keep the host's
// StreamingPull state in step. The official clients (Python, Rust) send acks
// and lease extensions as unary Acknowledge / ModifyAckDeadline calls, not on
// the stream, so these calls must free the flow control of the stream that
// delivered a message. Publishing and changes to a subscription wake the
// streams waiting on it.

// Publish publishes through pstest and wakes the streams of the topic's
// subscriptions.
func (s *service) Publish(ctx context.Context, req *pubsubpb.PublishRequest) (*pubsubpb.PublishResponse, error) {
	res, err := s.GServer.Publish(ctx, req)
	if err == nil {
		s.wake.notify(req.GetTopic())
	}
	return res, err
}

// Acknowledge acks through pstest and ends the host's leases.
func (s *service) Acknowledge(ctx context.Context, req *pubsubpb.AcknowledgeRequest) (*emptypb.Empty, error) {
	if err := s.acknowledge(ctx, req.GetSubscription(), req.GetAckIds()); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// ModifyAckDeadline changes deadlines through pstest and in the host's
// leases.
func (s *service) ModifyAckDeadline(ctx context.Context, req *pubsubpb.ModifyAckDeadlineRequest) (*emptypb.Empty, error) {
	if secs := req.GetAckDeadlineSeconds(); secs < 0 || secs > maxAckDeadlineSeconds {
		// The protocol's range (ModifyAckDeadlineRequest.ack_deadline_seconds);
		// pstest would take a negative deadline as an immediate expiry.
		return nil, status.Errorf(codes.InvalidArgument,
			"ModifyAckDeadline on %s: ack_deadline_seconds %d is out of range (0–%d)",
			req.GetSubscription(), secs, maxAckDeadlineSeconds)
	}
	if err := s.modifyAckDeadline(ctx, req.GetSubscription(), req.GetAckIds(), req.GetAckDeadlineSeconds()); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// DeleteSubscription deletes through pstest and wakes the subscription's
// streams, which then end with NOT_FOUND.
func (s *service) DeleteSubscription(ctx context.Context, req *pubsubpb.DeleteSubscriptionRequest) (*emptypb.Empty, error) {
	res, err := s.GServer.DeleteSubscription(ctx, req)
	if err == nil {
		s.wake.notify(req.GetSubscription())
	}
	return res, err
}
