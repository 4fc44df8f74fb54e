package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/pubsub/v2/pstest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

const alt = "?$alt=json;enum-encoding=int"

// startHost serves a fresh host on a loopback port and returns its address.
func startHost(t testing.TB, reactors ...pstest.ServerReactorOption) string {
	t.Helper()
	h, err := newHost(hostConfig{reactors: reactors, minAckDeadline: 10 * time.Second})
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
	return ln.Addr().String()
}

type restResult struct {
	code int
	body map[string]any
	raw  string
}

func doREST(t testing.TB, method, url, body string) restResult {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	res := restResult{code: resp.StatusCode, raw: string(raw)}
	if err := json.Unmarshal(raw, &res.body); err != nil {
		t.Fatalf("%s %s: response is not a JSON object: %v: %s", method, url, err, raw)
	}
	return res
}

func wantOK(t testing.TB, r restResult) {
	t.Helper()
	if r.code != http.StatusOK {
		t.Fatalf("want 200, got %d: %s", r.code, r.raw)
	}
}

func wantError(t testing.TB, r restResult, httpCode int, statusName string) {
	t.Helper()
	if r.code != httpCode {
		t.Fatalf("want HTTP %d, got %d: %s", httpCode, r.code, r.raw)
	}
	e, ok := r.body["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object: %s", r.raw)
	}
	if e["status"] != statusName || e["code"] != float64(httpCode) {
		t.Fatalf("want status %s code %d, got %s", statusName, httpCode, r.raw)
	}
	if _, ok := e["message"].(string); !ok {
		t.Fatalf("error without message: %s", r.raw)
	}
	if d, ok := e["details"].([]any); !ok || d == nil {
		t.Fatalf("error without details list: %s", r.raw)
	}
}

func TestRESTTopicsAndSubscriptions(t *testing.T) {
	addr := startHost(t)
	base := "http://" + addr + "/v1/projects/p"

	// Create (the Rust client leaves the name out of the body).
	r := doREST(t, "PUT", base+"/topics/t1"+alt, `{"labels":{"team":"a"}}`)
	wantOK(t, r)
	if r.body["name"] != "projects/p/topics/t1" {
		t.Fatalf("bad create response: %s", r.raw)
	}
	wantError(t, doREST(t, "PUT", base+"/topics/t1"+alt, `{}`), 409, "ALREADY_EXISTS")

	wantOK(t, doREST(t, "GET", base+"/topics/t1"+alt, ""))
	for _, id := range []string{"t2", "t3"} {
		wantOK(t, doREST(t, "PUT", base+"/topics/"+id+alt, ""))
	}
	// A topic in a project whose name has "p" as a prefix must not be listed.
	wantOK(t, doREST(t, "PUT", "http://"+addr+"/v1/projects/p2/topics/other"+alt, ""))

	// Paging.
	var names []string
	token := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		r := doREST(t, "GET", base+"/topics?pageSize=2&pageToken="+token+"&%24alt=json%3Benum-encoding%3Dint", "")
		wantOK(t, r)
		topics, _ := r.body["topics"].([]any)
		if len(topics) > 2 {
			t.Fatalf("page larger than pageSize: %s", r.raw)
		}
		for _, tp := range topics {
			names = append(names, tp.(map[string]any)["name"].(string))
		}
		next, _ := r.body["nextPageToken"].(string)
		if next == "" {
			break
		}
		token = next
	}
	if got := strings.Join(names, ","); got != "projects/p/topics/t1,projects/p/topics/t2,projects/p/topics/t3" {
		t.Fatalf("listed %s", got)
	}

	// Update with an update mask, as UpdateTopicRequest JSON.
	r = doREST(t, "PATCH", base+"/topics/t1"+alt, `{"topic":{"labels":{"team":"b"}},"updateMask":"labels"}`)
	wantOK(t, r)
	if labels, _ := r.body["labels"].(map[string]any); labels["team"] != "b" {
		t.Fatalf("labels not updated: %s", r.raw)
	}
	wantError(t, doREST(t, "PATCH", base+"/topics/t1"+alt, `{"topic":{},"updateMask":"kmsKeyName"}`), 400, "INVALID_ARGUMENT")
	wantError(t, doREST(t, "PATCH", base+"/topics/t1"+alt, `{"topic":{}}`), 400, "INVALID_ARGUMENT")

	// Subscriptions: an omitted ack deadline means the default 10 s; 5 s is
	// below the minimum. pstest reports that as UNKNOWN (HTTP 500).
	r = doREST(t, "PUT", base+"/subscriptions/s1"+alt, `{"topic":"projects/p/topics/t1"}`)
	wantOK(t, r)
	if r.body["ackDeadlineSeconds"] != float64(10) || r.body["state"] != float64(1) {
		t.Fatalf("bad subscription: %s", r.raw)
	}
	wantError(t, doREST(t, "PUT", base+"/subscriptions/s5"+alt, `{"topic":"projects/p/topics/t1","ackDeadlineSeconds":5}`), 500, "UNKNOWN")
	wantError(t, doREST(t, "PUT", base+"/subscriptions/s6"+alt, `{"topic":"projects/p/topics/t1","messageRetentionDuration":"60s"}`), 400, "INVALID_ARGUMENT")
	wantError(t, doREST(t, "PUT", base+"/subscriptions/s7"+alt, `{"topic":"projects/p/topics/nope"}`), 404, "NOT_FOUND")
	// Enums as names unless asked for numbers.
	r = doREST(t, "GET", base+"/subscriptions/s1", "")
	wantOK(t, r)
	if r.body["state"] != "ACTIVE" {
		t.Fatalf("want enum name without enum-encoding=int: %s", r.raw)
	}
	r = doREST(t, "PATCH", base+"/subscriptions/s1"+alt, `{"subscription":{"ackDeadlineSeconds":30},"updateMask":"ackDeadlineSeconds"}`)
	wantOK(t, r)
	if r.body["ackDeadlineSeconds"] != float64(30) {
		t.Fatalf("ack deadline not updated: %s", r.raw)
	}

	r = doREST(t, "GET", base+"/topics/t1/subscriptions"+alt, "")
	wantOK(t, r)
	if subs, _ := r.body["subscriptions"].([]any); len(subs) != 1 || subs[0] != "projects/p/subscriptions/s1" {
		t.Fatalf("topic subscriptions: %s", r.raw)
	}
	r = doREST(t, "GET", base+"/subscriptions?pageSize=10", "")
	wantOK(t, r)
	if subs, _ := r.body["subscriptions"].([]any); len(subs) != 1 {
		t.Fatalf("subscriptions: %s", r.raw)
	}
	wantError(t, doREST(t, "GET", base+"/topics/t1/snapshots"+alt, ""), 501, "UNIMPLEMENTED")

	// REST publish and pull.
	r = doREST(t, "POST", base+"/topics/t1:publish"+alt, `{"messages":[{"data":"aGk=","attributes":{"k":"v"}}]}`)
	wantOK(t, r)
	r = doREST(t, "POST", base+"/subscriptions/s1:pull"+alt, `{"maxMessages":5}`)
	wantOK(t, r)
	msgs, _ := r.body["receivedMessages"].([]any)
	if len(msgs) != 1 {
		t.Fatalf("pull: %s", r.raw)
	}
	ackID := msgs[0].(map[string]any)["ackId"].(string)
	wantOK(t, doREST(t, "POST", base+"/subscriptions/s1:acknowledge"+alt, fmt.Sprintf(`{"ackIds":[%q]}`, ackID)))
	// A seek into the past would make pstest lose message bodies: refused.
	wantError(t, doREST(t, "POST", base+"/subscriptions/s1:seek"+alt, `{"time":"2000-01-01T00:00:00Z"}`), 501, "UNIMPLEMENTED")

	// Delete.
	wantOK(t, doREST(t, "DELETE", base+"/subscriptions/s1"+alt, ""))
	wantError(t, doREST(t, "GET", base+"/subscriptions/s1"+alt, ""), 404, "NOT_FOUND")
	wantOK(t, doREST(t, "DELETE", base+"/topics/t2"+alt, ""))
	wantError(t, doREST(t, "GET", base+"/topics/t2"+alt, ""), 404, "NOT_FOUND")
	wantError(t, doREST(t, "DELETE", base+"/topics/t2"+alt, ""), 404, "NOT_FOUND")

	// Bad input.
	wantError(t, doREST(t, "PUT", base+"/topics/t9"+alt, `{"labels":`), 400, "INVALID_ARGUMENT")
	wantError(t, doREST(t, "GET", base+"/topics?pageSize=x", ""), 400, "INVALID_ARGUMENT")
	r = doREST(t, "GET", "http://"+addr+"/v2/whatever", "")
	wantError(t, r, 404, "NOT_FOUND")
	if !strings.Contains(r.raw, "GET /v2/whatever") {
		t.Fatalf("404 should name method and path: %s", r.raw)
	}
	wantError(t, doREST(t, "POST", base+"/topics/t1"+alt, "{}"), 404, "NOT_FOUND")
}

func TestRESTErrorInjection(t *testing.T) {
	addr := startHost(t, pstest.WithErrorInjection("CreateTopic", codes.Unavailable, "try later"))
	r := doREST(t, "PUT", "http://"+addr+"/v1/projects/p/topics/t"+alt, "")
	wantError(t, r, 503, "UNAVAILABLE")
	if !strings.Contains(r.raw, "try later") {
		t.Fatalf("injected message missing: %s", r.raw)
	}
}

func dialGRPC(t testing.TB, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func TestGRPCPublishPullOnSamePort(t *testing.T) {
	addr := startHost(t)
	base := "http://" + addr + "/v1/projects/p"
	// Admin over REST, data over gRPC: both see the same state.
	wantOK(t, doREST(t, "PUT", base+"/topics/t"+alt, ""))
	wantOK(t, doREST(t, "PUT", base+"/subscriptions/pull"+alt, `{"topic":"projects/p/topics/t"}`))
	wantOK(t, doREST(t, "PUT", base+"/subscriptions/stream"+alt, `{"topic":"projects/p/topics/t"}`))

	conn := dialGRPC(t, addr)
	pub := pubsubpb.NewPublisherClient(conn)
	sub := pubsubpb.NewSubscriberClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	res, err := pub.Publish(ctx, &pubsubpb.PublishRequest{
		Topic:    "projects/p/topics/t",
		Messages: []*pubsubpb.PubsubMessage{{Data: []byte("hello"), Attributes: map[string]string{"k": "v"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.MessageIds) != 1 {
		t.Fatalf("publish: %v", res)
	}

	pulled, err := sub.Pull(ctx, &pubsubpb.PullRequest{Subscription: "projects/p/subscriptions/pull", MaxMessages: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(pulled.ReceivedMessages) != 1 || string(pulled.ReceivedMessages[0].Message.Data) != "hello" {
		t.Fatalf("pull: %v", pulled)
	}
	if _, err := sub.Acknowledge(ctx, &pubsubpb.AcknowledgeRequest{
		Subscription: "projects/p/subscriptions/pull",
		AckIds:       []string{pulled.ReceivedMessages[0].AckId},
	}); err != nil {
		t.Fatal(err)
	}

	// StreamingPull (bidirectional) through the same port.
	stream, err := sub.StreamingPull(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&pubsubpb.StreamingPullRequest{
		Subscription:             "projects/p/subscriptions/stream",
		StreamAckDeadlineSeconds: 10,
	}); err != nil {
		t.Fatal(err)
	}
	got, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ReceivedMessages) != 1 || string(got.ReceivedMessages[0].Message.Data) != "hello" {
		t.Fatalf("streaming pull: %v", got)
	}
	if err := stream.Send(&pubsubpb.StreamingPullRequest{AckIds: []string{got.ReceivedMessages[0].AckId}}); err != nil {
		t.Fatal(err)
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatal(err)
	}

	// gRPC errors keep their codes.
	_, err = pub.Publish(ctx, &pubsubpb.PublishRequest{Topic: "projects/p/topics/missing", Messages: []*pubsubpb.PubsubMessage{{Data: []byte("x")}}})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("want NotFound, got %v", err)
	}
	// A request pstest would crash on is an error, not a crash.
	_, err = pub.UpdateTopic(ctx, &pubsubpb.UpdateTopicRequest{Topic: &pubsubpb.Topic{Name: "projects/p/topics/t"}})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("want InvalidArgument, got %v", err)
	}
}

func TestParseInjectionAndQuery(t *testing.T) {
	for _, s := range []string{"Publish=UNAVAILABLE", "Publish=unavailable:down", "CreateTopic=14", "Pull=DeadlineExceeded"} {
		if _, err := parseInjection(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"Publish", "=UNAVAILABLE", "Publish=NOPE", "Publish=99"} {
		if _, err := parseInjection(s); err == nil {
			t.Errorf("%s: want error", s)
		}
	}
	q, err := parseRawQuery("pageSize=2&$alt=json;enum-encoding=int&pageToken=")
	if err != nil {
		t.Fatal(err)
	}
	if q["pageSize"][0] != "2" || q["$alt"][0] != "json;enum-encoding=int" || q["pageToken"][0] != "" {
		t.Fatalf("parsed %v", q)
	}
}

// BenchmarkGRPCPublish measures publishing through the shared port:
// go test -run x -bench Publish
func BenchmarkGRPCPublish(b *testing.B) {
	for _, batch := range []int{1, 100} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) { benchPublish(b, batch) })
	}
}

func benchPublish(b *testing.B, batch int) {
	addr := startHost(b)
	wantOK(b, doREST(b, "PUT", "http://"+addr+"/v1/projects/p/topics/t"+alt, ""))
	conn := dialGRPC(b, addr)
	pub := pubsubpb.NewPublisherClient(conn)
	ctx := context.Background()
	msgs := make([]*pubsubpb.PubsubMessage, batch)
	for i := range msgs {
		msgs[i] = &pubsubpb.PubsubMessage{Data: []byte("payload-0123456789")}
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	workers := 8
	per := b.N/workers + 1
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				if _, err := pub.Publish(ctx, &pubsubpb.PublishRequest{Topic: "projects/p/topics/t", Messages: msgs}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(per*workers*batch)/time.Since(start).Seconds(), "msgs/s")
}
