package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/pubsub/v2/pstest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// maxGRPCMessageBytes lets a publish request carry Pub/Sub's 10 MB limit
// (gRPC's own default is 4 MB).
const maxGRPCMessageBytes = 20 << 20

type hostConfig struct {
	// reactors are pstest options, e.g. from pstest.WithErrorInjection.
	reactors []pstest.ServerReactorOption
	// requestLog, if set, receives one line per REST request.
	requestLog *log.Logger
	// minAckDeadline is the smallest ack deadline a subscription may have.
	minAckDeadline time.Duration
}

// host is a pstest fake served as gRPC and REST on one handler.
type host struct {
	fake    *pstest.Server
	grpc    *grpc.Server
	handler http.Handler
}

func newHost(cfg hostConfig) (h *host, err error) {
	if cfg.minAckDeadline < time.Second {
		return nil, fmt.Errorf("minimum ack deadline must be at least 1s, got %s", cfg.minAckDeadline)
	}
	// pstest panics if it cannot open its own (unused) listener.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("starting pstest: %v", p)
		}
	}()
	pstest.SetMinAckDeadline(cfg.minAckDeadline)
	fake := pstest.NewServerWithAddress("127.0.0.1:0", cfg.reactors...)
	svc := newService(fake, cfg)

	g := grpc.NewServer(
		grpc.MaxRecvMsgSize(maxGRPCMessageBytes),
		grpc.MaxSendMsgSize(maxGRPCMessageBytes),
		grpc.ChainUnaryInterceptor(recoverUnary),
		grpc.ChainStreamInterceptor(recoverStream),
	)
	pubsubpb.RegisterPublisherServer(g, svc)
	pubsubpb.RegisterSubscriberServer(g, svc)
	pubsubpb.RegisterSchemaServiceServer(g, svc)

	rest := newRestAPI(svc, cfg.requestLog)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor == 2 && strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
			g.ServeHTTP(w, r)
			return
		}
		rest.ServeHTTP(w, r)
	})
	return &host{fake: fake, grpc: g, handler: handler}, nil
}

// newHTTPServer returns a server for h that speaks HTTP/1.1 and HTTP/2
// without TLS (prior knowledge, as gRPC clients use it).
func (h *host) newHTTPServer() *http.Server {
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	return &http.Server{
		Handler:           h.handler,
		Protocols:         protocols,
		ReadHeaderTimeout: 30 * time.Second,
		HTTP2: &http.HTTP2Config{
			MaxConcurrentStreams:          1000,
			MaxReceiveBufferPerConnection: 32 << 20,
			MaxReceiveBufferPerStream:     16 << 20,
		},
	}
}

// serve runs h on ln until ctx is done, then shuts down.
func (h *host) serve(ctx context.Context, ln net.Listener) error {
	srv := h.newHTTPServer()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		h.close()
		return err
	case <-ctx.Done():
	}
	// Cancel streaming RPCs first: an open StreamingPull would otherwise
	// keep its connection busy until the shutdown timeout.
	h.grpc.Stop()
	sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	h.close()
	return nil
}

func (h *host) close() {
	h.grpc.Stop()
	if err := h.fake.Close(); err != nil {
		log.Printf("closing pstest: %v", err)
	}
}

func recoverUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Printf("panic in %s: %v\n%s", info.FullMethod, p, debug.Stack())
			err = status.Errorf(codes.Internal, "internal error in %s: %v", info.FullMethod, p)
		}
	}()
	return handler(ctx, req)
}

func recoverStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Printf("panic in %s: %v\n%s", info.FullMethod, p, debug.Stack())
			err = status.Errorf(codes.Internal, "internal error in %s: %v", info.FullMethod, p)
		}
	}()
	return handler(srv, ss)
}
