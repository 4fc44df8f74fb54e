package main

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/pubsub/v2/pstest"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// defaultAckDeadlineSeconds is what real Pub/Sub uses when a subscription is
// created without an ack deadline (the field left at 0).
const defaultAckDeadlineSeconds = 10

// service wraps pstest's GServer. Both the gRPC server and the REST
// translation call through it, so state, validation and injected errors are
// shared. It overrides the few methods where pstest would crash the process
// on a request real Pub/Sub answers with an error, or where pstest's
// defaults differ from the real service in a way tests would trip over.
type service struct {
	*pstest.GServer
	fake *pstest.Server
	// reactors are the pstest options the host was started with; the host
	// runs those for StreamingPull itself (see streamingpull.go).
	reactors []pstest.ServerReactorOption
	// minAckDeadlineSeconds is the smallest stream_ack_deadline_seconds a
	// StreamingPull may ask for (--min-ack-deadline).
	minAckDeadlineSeconds int32
	leases                *leases
	wake                  *wakeups
}

func newService(fake *pstest.Server, cfg hostConfig) *service {
	return &service{
		GServer:               &fake.GServer,
		fake:                  fake,
		reactors:              cfg.reactors,
		minAckDeadlineSeconds: int32((cfg.minAckDeadline + time.Second - 1) / time.Second),
		leases:                newLeases(),
		wake:                  newWakeups(),
	}
}

// CreateSubscription fills in the default ack deadline (real Pub/Sub treats 0
// as "use the default of 10 s"; pstest would reject 0 once the minimum ack
// deadline is enforced).
func (s *service) CreateSubscription(ctx context.Context, sub *pubsubpb.Subscription) (*pubsubpb.Subscription, error) {
	if sub == nil {
		return nil, status.Error(codes.InvalidArgument, "missing subscription")
	}
	if sub.GetAckDeadlineSeconds() == 0 {
		sub = proto.Clone(sub).(*pubsubpb.Subscription)
		sub.AckDeadlineSeconds = defaultAckDeadlineSeconds
	}
	return s.GServer.CreateSubscription(ctx, sub)
}

// UpdateTopic rejects requests pstest would dereference as nil.
func (s *service) UpdateTopic(ctx context.Context, req *pubsubpb.UpdateTopicRequest) (*pubsubpb.Topic, error) {
	if req.GetTopic() == nil {
		return nil, status.Error(codes.InvalidArgument, "missing topic")
	}
	if len(req.GetUpdateMask().GetPaths()) == 0 {
		return nil, status.Error(codes.InvalidArgument, "update_mask is required and must name at least one field")
	}
	return s.GServer.UpdateTopic(ctx, req)
}

// UpdateSubscription rejects requests pstest would dereference as nil.
func (s *service) UpdateSubscription(ctx context.Context, req *pubsubpb.UpdateSubscriptionRequest) (*pubsubpb.Subscription, error) {
	if req.GetSubscription() == nil {
		return nil, status.Error(codes.InvalidArgument, "missing subscription")
	}
	if len(req.GetUpdateMask().GetPaths()) == 0 {
		return nil, status.Error(codes.InvalidArgument, "update_mask is required and must name at least one field")
	}
	res, err := s.GServer.UpdateSubscription(ctx, req)
	if err == nil {
		// A new filter or ack deadline changes what its streams may pull.
		s.wake.notify(req.GetSubscription().GetName())
	}
	return res, err
}

// Seek refuses seeks that pstest cannot do safely. pstest re-queues every
// message published at or after the target time (from every topic, not just
// the subscription's) without its body, and the server crashes when such a
// message is delivered. A seek to a time after every published message only
// drops the backlog, which pstest does correctly, so that one is passed on.
func (s *service) Seek(ctx context.Context, req *pubsubpb.SeekRequest) (*pubsubpb.SeekResponse, error) {
	if ts := req.GetTime(); ts != nil {
		target := ts.AsTime()
		for _, m := range s.fake.Messages() {
			if !m.PublishTime.Before(target) {
				return nil, status.Error(codes.Unimplemented, fmt.Sprintf(
					"pubsub-host: seek to %s would replay message %s published at %s; pstest cannot replay messages (it loses their bodies), only seeks past the newest message (purge) are supported",
					target.Format(time.RFC3339Nano), m.ID, m.PublishTime.Format(time.RFC3339Nano)))
			}
		}
	}
	res, err := s.GServer.Seek(ctx, req)
	if err == nil {
		s.wake.notify(req.GetSubscription())
	}
	return res, err
}

// projectPrefix turns "projects/p" into "projects/p/". pstest selects the
// topics and subscriptions of a project by string prefix, so without the
// slash "projects/p" would also list those of "projects/p2".
func projectPrefix(project string) string {
	if project == "" || project[len(project)-1] == '/' {
		return project
	}
	return project + "/"
}

// ListTopics lists only the named project's topics.
func (s *service) ListTopics(ctx context.Context, req *pubsubpb.ListTopicsRequest) (*pubsubpb.ListTopicsResponse, error) {
	if req.GetProject() == "" {
		return nil, status.Error(codes.InvalidArgument, "missing project")
	}
	r := proto.Clone(req).(*pubsubpb.ListTopicsRequest)
	r.Project = projectPrefix(r.Project)
	return s.GServer.ListTopics(ctx, r)
}

// ListSubscriptions lists only the named project's subscriptions.
func (s *service) ListSubscriptions(ctx context.Context, req *pubsubpb.ListSubscriptionsRequest) (*pubsubpb.ListSubscriptionsResponse, error) {
	if req.GetProject() == "" {
		return nil, status.Error(codes.InvalidArgument, "missing project")
	}
	r := proto.Clone(req).(*pubsubpb.ListSubscriptionsRequest)
	r.Project = projectPrefix(r.Project)
	return s.GServer.ListSubscriptions(ctx, r)
}
