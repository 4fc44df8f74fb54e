package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// maxBodyBytes bounds a REST request body. A publish request may carry 10 MB
// of message data, which is about 13.4 MB once base64-encoded in JSON.
const maxBodyBytes = 32 << 20

// restAPI translates Pub/Sub's REST (HTTP/JSON) surface into calls on the
// in-process gRPC service implementation.
type restAPI struct {
	svc              *service
	logger           *log.Logger // nil: no request log
	collectionRoutes map[routeKey]restHandler
	resourceRoutes   map[routeKey]restHandler
}

// restCall is one parsed REST request.
type restCall struct {
	method   string
	project  string // "projects/P"
	resource string // the full resource name of the path, without the verb
	verb     string // the part after ':' in the last path segment, if any
	query    map[string][]string
	body     []byte
}

func (c *restCall) decode(m proto.Message) error {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return nil
	}
	opts := protojson.UnmarshalOptions{DiscardUnknown: true}
	if err := opts.Unmarshal(c.body, m); err != nil {
		return status.Errorf(codes.InvalidArgument, "Invalid JSON payload received: %v", err)
	}
	return nil
}

func (c *restCall) first(key string) string {
	if v := c.query[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (c *restCall) int32Param(key string) (int32, error) {
	s := c.first(key)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, status.Errorf(codes.InvalidArgument, "invalid value for %s: %q", key, s)
	}
	return int32(n), nil
}

func (c *restCall) pageParams() (int32, string, error) {
	size, err := c.int32Param("pageSize")
	if err != nil {
		return 0, "", err
	}
	if size < 0 {
		return 0, "", status.Errorf(codes.InvalidArgument, "pageSize must not be negative: %d", size)
	}
	token := c.first("pageToken")
	if token != "" {
		if n, err := strconv.Atoi(token); err != nil || n < 0 {
			return 0, "", status.Errorf(codes.InvalidArgument, "invalid pageToken %q", token)
		}
	}
	return size, token, nil
}

func (c *restCall) schemaView() (pubsubpb.SchemaView, error) {
	s := c.first("view")
	if s == "" {
		return pubsubpb.SchemaView_SCHEMA_VIEW_UNSPECIFIED, nil
	}
	if n, err := strconv.ParseInt(s, 10, 32); err == nil {
		return pubsubpb.SchemaView(n), nil
	}
	if v, ok := pubsubpb.SchemaView_value[s]; ok {
		return pubsubpb.SchemaView(v), nil
	}
	return 0, status.Errorf(codes.InvalidArgument, "invalid value for view: %q", s)
}

// enumsAsNumbers reports whether the client asked for enums as numbers, as
// Google's clients do with "$alt=json;enum-encoding=int".
func (c *restCall) enumsAsNumbers() bool {
	for _, key := range []string{"$alt", "alt"} {
		for _, v := range c.query[key] {
			if strings.Contains(v, "enum-encoding=int") {
				return true
			}
		}
	}
	for _, v := range c.query["enum-encoding"] {
		if v == "int" {
			return true
		}
	}
	return false
}

// parseRawQuery splits a query string on '&' only. url.ParseQuery rejects
// the ';' inside Google's "$alt=json;enum-encoding=int".
func parseRawQuery(raw string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("bad query parameter name %q: %v", k, err)
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("bad value for query parameter %q: %v", key, err)
		}
		out[key] = append(out[key], val)
	}
	return out, nil
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

func (a *restAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
	defer func() {
		if p := recover(); p != nil {
			log.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, p, debug.Stack())
			writeStatus(rec, codes.Internal, fmt.Sprintf("internal error: %v", p))
		}
		if a.logger != nil {
			a.logger.Printf("%s %s -> %d (%s)", r.Method, r.URL.RequestURI(), rec.code, time.Since(start).Round(time.Microsecond))
		}
	}()
	a.serve(rec, r)
}

func (a *restAPI) serve(w http.ResponseWriter, r *http.Request) {
	query, err := parseRawQuery(r.URL.RawQuery)
	if err != nil {
		writeStatus(w, codes.InvalidArgument, err.Error())
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		writeStatus(w, codes.InvalidArgument, fmt.Sprintf("reading request body: %v", err))
		return
	}
	if len(body) > maxBodyBytes {
		writeStatus(w, codes.InvalidArgument, fmt.Sprintf("request body larger than %d bytes", maxBodyBytes))
		return
	}
	call := &restCall{method: r.Method, query: query, body: body}
	handler := a.route(r.URL.Path, call)
	if handler == nil {
		writeStatus(w, codes.NotFound, fmt.Sprintf("no such REST method: %s %s", r.Method, r.URL.Path))
		return
	}
	resp, err := handler(r.Context(), call)
	if err != nil {
		writeError(w, err)
		return
	}
	opts := protojson.MarshalOptions{UseEnumNumbers: call.enumsAsNumbers()}
	out, err := opts.Marshal(resp)
	if err != nil {
		writeStatus(w, codes.Internal, fmt.Sprintf("encoding response: %v", err))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
}

type restHandler func(ctx context.Context, c *restCall) (proto.Message, error)

// route parses the path into project, resource and verb and returns the
// handler for it, or nil when no REST method matches.
func (a *restAPI) route(path string, c *restCall) restHandler {
	rest, ok := strings.CutPrefix(path, "/v1/")
	if !ok || rest == "" {
		return nil
	}
	segs := strings.Split(rest, "/")
	last := segs[len(segs)-1]
	if i := strings.LastIndexByte(last, ':'); i >= 0 {
		c.verb = last[i+1:]
		segs[len(segs)-1] = last[:i]
	}
	for _, s := range segs {
		if s == "" {
			return nil
		}
	}
	if len(segs) < 3 || segs[0] != "projects" {
		return nil
	}
	c.project = "projects/" + segs[1]
	c.resource = strings.Join(segs, "/")
	switch c.verb {
	case "getIamPolicy", "setIamPolicy", "testIamPermissions":
		if len(segs) == 4 {
			return a.unimplemented("IAM policies are not supported by pstest")
		}
		return nil
	}
	switch len(segs) {
	case 3:
		return a.routeCollection(segs[2], c)
	case 4:
		return a.routeResource(segs[2], c)
	case 5:
		if segs[2] == "topics" && c.verb == "" && c.method == http.MethodGet {
			switch segs[4] {
			case "subscriptions":
				c.resource = strings.Join(segs[:4], "/")
				return a.listTopicSubscriptions
			case "snapshots":
				c.resource = strings.Join(segs[:4], "/")
				return a.listTopicSnapshots
			}
		}
	}
	return nil
}

func (a *restAPI) unimplemented(msg string) restHandler {
	return func(context.Context, *restCall) (proto.Message, error) {
		return nil, status.Error(codes.Unimplemented, msg)
	}
}

type routeKey struct{ coll, verb, method string }

// routeCollection handles projects/P/{collection}[:verb].
func (a *restAPI) routeCollection(coll string, c *restCall) restHandler {
	return a.collectionRoutes[routeKey{coll, c.verb, c.method}]
}

// routeResource handles projects/P/{collection}/{id}[:verb].
func (a *restAPI) routeResource(coll string, c *restCall) restHandler {
	return a.resourceRoutes[routeKey{coll, c.verb, c.method}]
}

func newRestAPI(svc *service, logger *log.Logger) *restAPI {
	a := &restAPI{svc: svc, logger: logger}
	a.collectionRoutes = map[routeKey]restHandler{
		{"topics", "", http.MethodGet}:                  a.listTopics,
		{"subscriptions", "", http.MethodGet}:           a.listSubscriptions,
		{"snapshots", "", http.MethodGet}:               a.listSnapshots,
		{"schemas", "", http.MethodGet}:                 a.listSchemas,
		{"schemas", "", http.MethodPost}:                a.createSchema,
		{"schemas", "validate", http.MethodPost}:        a.validateSchema,
		{"schemas", "validateMessage", http.MethodPost}: a.validateMessage,
	}
	a.resourceRoutes = map[routeKey]restHandler{
		{"topics", "", http.MethodPut}:                          a.createTopic,
		{"topics", "", http.MethodGet}:                          a.getTopic,
		{"topics", "", http.MethodPatch}:                        a.updateTopic,
		{"topics", "", http.MethodDelete}:                       a.deleteTopic,
		{"topics", "publish", http.MethodPost}:                  a.publish,
		{"subscriptions", "", http.MethodPut}:                   a.createSubscription,
		{"subscriptions", "", http.MethodGet}:                   a.getSubscription,
		{"subscriptions", "", http.MethodPatch}:                 a.updateSubscription,
		{"subscriptions", "", http.MethodDelete}:                a.deleteSubscription,
		{"subscriptions", "detach", http.MethodPost}:            a.detachSubscription,
		{"subscriptions", "modifyPushConfig", http.MethodPost}:  a.modifyPushConfig,
		{"subscriptions", "seek", http.MethodPost}:              a.seek,
		{"subscriptions", "pull", http.MethodPost}:              a.pull,
		{"subscriptions", "acknowledge", http.MethodPost}:       a.acknowledge,
		{"subscriptions", "modifyAckDeadline", http.MethodPost}: a.modifyAckDeadline,
		{"snapshots", "", http.MethodPut}:                       a.createSnapshot,
		{"snapshots", "", http.MethodGet}:                       a.getSnapshot,
		{"snapshots", "", http.MethodPatch}:                     a.updateSnapshot,
		{"snapshots", "", http.MethodDelete}:                    a.deleteSnapshot,
		{"schemas", "", http.MethodGet}:                         a.getSchema,
		{"schemas", "", http.MethodDelete}:                      a.deleteSchema,
		{"schemas", "commit", http.MethodPost}:                  a.commitSchema,
		{"schemas", "rollback", http.MethodPost}:                a.rollbackSchema,
		{"schemas", "listRevisions", http.MethodGet}:            a.listSchemaRevisions,
		{"schemas", "deleteRevision", http.MethodDelete}:        a.deleteSchemaRevision,
	}
	return a
}

// --- topics ---

func (a *restAPI) listTopics(ctx context.Context, c *restCall) (proto.Message, error) {
	size, token, err := c.pageParams()
	if err != nil {
		return nil, err
	}
	return a.svc.ListTopics(ctx, &pubsubpb.ListTopicsRequest{Project: c.project, PageSize: size, PageToken: token})
}

func (a *restAPI) createTopic(ctx context.Context, c *restCall) (proto.Message, error) {
	t := &pubsubpb.Topic{}
	if err := c.decode(t); err != nil {
		return nil, err
	}
	t.Name = c.resource
	return a.svc.CreateTopic(ctx, t)
}

func (a *restAPI) getTopic(ctx context.Context, c *restCall) (proto.Message, error) {
	return a.svc.GetTopic(ctx, &pubsubpb.GetTopicRequest{Topic: c.resource})
}

func (a *restAPI) updateTopic(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.UpdateTopicRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	if req.Topic == nil {
		req.Topic = &pubsubpb.Topic{}
	}
	req.Topic.Name = c.resource
	return a.svc.UpdateTopic(ctx, req)
}

func (a *restAPI) deleteTopic(ctx context.Context, c *restCall) (proto.Message, error) {
	return a.svc.DeleteTopic(ctx, &pubsubpb.DeleteTopicRequest{Topic: c.resource})
}

func (a *restAPI) publish(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.PublishRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	req.Topic = c.resource
	return a.svc.Publish(ctx, req)
}

func (a *restAPI) listTopicSubscriptions(ctx context.Context, c *restCall) (proto.Message, error) {
	size, token, err := c.pageParams()
	if err != nil {
		return nil, err
	}
	return a.svc.ListTopicSubscriptions(ctx, &pubsubpb.ListTopicSubscriptionsRequest{Topic: c.resource, PageSize: size, PageToken: token})
}

func (a *restAPI) listTopicSnapshots(ctx context.Context, c *restCall) (proto.Message, error) {
	size, token, err := c.pageParams()
	if err != nil {
		return nil, err
	}
	return a.svc.ListTopicSnapshots(ctx, &pubsubpb.ListTopicSnapshotsRequest{Topic: c.resource, PageSize: size, PageToken: token})
}

// --- subscriptions ---

func (a *restAPI) listSubscriptions(ctx context.Context, c *restCall) (proto.Message, error) {
	size, token, err := c.pageParams()
	if err != nil {
		return nil, err
	}
	return a.svc.ListSubscriptions(ctx, &pubsubpb.ListSubscriptionsRequest{Project: c.project, PageSize: size, PageToken: token})
}

func (a *restAPI) createSubscription(ctx context.Context, c *restCall) (proto.Message, error) {
	s := &pubsubpb.Subscription{}
	if err := c.decode(s); err != nil {
		return nil, err
	}
	s.Name = c.resource
	return a.svc.CreateSubscription(ctx, s)
}

func (a *restAPI) getSubscription(ctx context.Context, c *restCall) (proto.Message, error) {
	return a.svc.GetSubscription(ctx, &pubsubpb.GetSubscriptionRequest{Subscription: c.resource})
}

func (a *restAPI) updateSubscription(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.UpdateSubscriptionRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	if req.Subscription == nil {
		req.Subscription = &pubsubpb.Subscription{}
	}
	req.Subscription.Name = c.resource
	return a.svc.UpdateSubscription(ctx, req)
}

func (a *restAPI) deleteSubscription(ctx context.Context, c *restCall) (proto.Message, error) {
	return a.svc.DeleteSubscription(ctx, &pubsubpb.DeleteSubscriptionRequest{Subscription: c.resource})
}

func (a *restAPI) detachSubscription(ctx context.Context, c *restCall) (proto.Message, error) {
	return a.svc.DetachSubscription(ctx, &pubsubpb.DetachSubscriptionRequest{Subscription: c.resource})
}

func (a *restAPI) modifyPushConfig(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.ModifyPushConfigRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	req.Subscription = c.resource
	return a.svc.ModifyPushConfig(ctx, req)
}

func (a *restAPI) seek(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.SeekRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	req.Subscription = c.resource
	return a.svc.Seek(ctx, req)
}

func (a *restAPI) pull(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.PullRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	req.Subscription = c.resource
	return a.svc.Pull(ctx, req)
}

func (a *restAPI) acknowledge(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.AcknowledgeRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	req.Subscription = c.resource
	return a.svc.Acknowledge(ctx, req)
}

func (a *restAPI) modifyAckDeadline(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.ModifyAckDeadlineRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	req.Subscription = c.resource
	return a.svc.ModifyAckDeadline(ctx, req)
}

// --- snapshots (pstest has none: these answer UNIMPLEMENTED) ---

func (a *restAPI) listSnapshots(ctx context.Context, c *restCall) (proto.Message, error) {
	size, token, err := c.pageParams()
	if err != nil {
		return nil, err
	}
	return a.svc.ListSnapshots(ctx, &pubsubpb.ListSnapshotsRequest{Project: c.project, PageSize: size, PageToken: token})
}

func (a *restAPI) createSnapshot(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.CreateSnapshotRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	req.Name = c.resource
	return a.svc.CreateSnapshot(ctx, req)
}

func (a *restAPI) getSnapshot(ctx context.Context, c *restCall) (proto.Message, error) {
	return a.svc.GetSnapshot(ctx, &pubsubpb.GetSnapshotRequest{Snapshot: c.resource})
}

func (a *restAPI) updateSnapshot(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.UpdateSnapshotRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	if req.Snapshot == nil {
		req.Snapshot = &pubsubpb.Snapshot{}
	}
	req.Snapshot.Name = c.resource
	return a.svc.UpdateSnapshot(ctx, req)
}

func (a *restAPI) deleteSnapshot(ctx context.Context, c *restCall) (proto.Message, error) {
	return a.svc.DeleteSnapshot(ctx, &pubsubpb.DeleteSnapshotRequest{Snapshot: c.resource})
}

// --- schemas ---

func (a *restAPI) createSchema(ctx context.Context, c *restCall) (proto.Message, error) {
	s := &pubsubpb.Schema{}
	if err := c.decode(s); err != nil {
		return nil, err
	}
	return a.svc.CreateSchema(ctx, &pubsubpb.CreateSchemaRequest{Parent: c.project, Schema: s, SchemaId: c.first("schemaId")})
}

func (a *restAPI) listSchemas(ctx context.Context, c *restCall) (proto.Message, error) {
	size, token, err := c.pageParams()
	if err != nil {
		return nil, err
	}
	view, err := c.schemaView()
	if err != nil {
		return nil, err
	}
	return a.svc.ListSchemas(ctx, &pubsubpb.ListSchemasRequest{Parent: c.project, View: view, PageSize: size, PageToken: token})
}

func (a *restAPI) getSchema(ctx context.Context, c *restCall) (proto.Message, error) {
	view, err := c.schemaView()
	if err != nil {
		return nil, err
	}
	return a.svc.GetSchema(ctx, &pubsubpb.GetSchemaRequest{Name: c.resource, View: view})
}

func (a *restAPI) deleteSchema(ctx context.Context, c *restCall) (proto.Message, error) {
	return a.svc.DeleteSchema(ctx, &pubsubpb.DeleteSchemaRequest{Name: c.resource})
}

func (a *restAPI) commitSchema(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.CommitSchemaRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	req.Name = c.resource
	return a.svc.CommitSchema(ctx, req)
}

func (a *restAPI) rollbackSchema(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.RollbackSchemaRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	req.Name = c.resource
	return a.svc.RollbackSchema(ctx, req)
}

func (a *restAPI) listSchemaRevisions(ctx context.Context, c *restCall) (proto.Message, error) {
	size, token, err := c.pageParams()
	if err != nil {
		return nil, err
	}
	view, err := c.schemaView()
	if err != nil {
		return nil, err
	}
	return a.svc.ListSchemaRevisions(ctx, &pubsubpb.ListSchemaRevisionsRequest{Name: c.resource, View: view, PageSize: size, PageToken: token})
}

func (a *restAPI) deleteSchemaRevision(ctx context.Context, c *restCall) (proto.Message, error) {
	return a.svc.DeleteSchemaRevision(ctx, &pubsubpb.DeleteSchemaRevisionRequest{Name: c.resource, RevisionId: c.first("revisionId")})
}

func (a *restAPI) validateSchema(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.ValidateSchemaRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	req.Parent = c.project
	return a.svc.ValidateSchema(ctx, req)
}

func (a *restAPI) validateMessage(ctx context.Context, c *restCall) (proto.Message, error) {
	req := &pubsubpb.ValidateMessageRequest{}
	if err := c.decode(req); err != nil {
		return nil, err
	}
	req.Parent = c.project
	return a.svc.ValidateMessage(ctx, req)
}
