// Command pubsub-host serves Google's in-memory Pub/Sub fake (pstest) on one
// TCP port, as gRPC and as Pub/Sub's REST/JSON API, so that
// PUBSUB_EMULATOR_HOST=host:port names it for clients of either kind.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"cloud.google.com/go/pubsub/v2/pstest"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "pubsub-host: %v\n", err)
		os.Exit(1)
	}
}

// parseInjection parses METHOD=CODE[:message], e.g. Publish=UNAVAILABLE.
func parseInjection(s string) (pstest.ServerReactorOption, error) {
	method, rest, ok := strings.Cut(s, "=")
	if !ok || method == "" || rest == "" {
		return pstest.ServerReactorOption{}, fmt.Errorf("--inject-error %q: want METHOD=CODE[:message]", s)
	}
	codeName, msg, _ := strings.Cut(rest, ":")
	code, ok := codeFromName(codeName)
	if !ok {
		return pstest.ServerReactorOption{}, fmt.Errorf("--inject-error %q: unknown status code %q", s, codeName)
	}
	if msg == "" {
		msg = fmt.Sprintf("injected error for %s", method)
	}
	return pstest.WithErrorInjection(method, code, msg), nil
}

// writePortFile writes the port to path atomically (temp file + rename).
func writePortFile(path string, port int) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".port-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(strconv.Itoa(port) + "\n"); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return nil
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pubsub-host", flag.ContinueOnError)
	fs.SetOutput(stderr)
	hostFlag := fs.String("host", "127.0.0.1", "address to bind")
	port := fs.Int("port", 0, "TCP port to listen on (0 picks a free port)")
	portFile := fs.String("port-file", "", "once listening, write the bound port to this file (atomically)")
	logRequests := fs.Bool("log-requests", false, "log each REST request to stderr")
	minAck := fs.Duration("min-ack-deadline", 10*time.Second, "smallest ack deadline a subscription may have (real Pub/Sub: 10s)")
	var reactors []pstest.ServerReactorOption
	fs.Func("inject-error", "make every call of a pstest method fail: METHOD=CODE[:message], e.g. Publish=UNAVAILABLE (repeatable)", func(s string) error {
		opt, err := parseInjection(s)
		if err != nil {
			return err
		}
		reactors = append(reactors, opt)
		return nil
	})
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: pubsub-host [flags]\n\nServes Google's Pub/Sub fake (pstest) as gRPC and REST on one port.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if *port < 0 || *port > 65535 {
		return fmt.Errorf("--port %d out of range", *port)
	}

	log.SetOutput(stderr)
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	cfg := hostConfig{reactors: reactors, minAckDeadline: *minAck}
	if *logRequests {
		cfg.requestLog = log.New(stderr, "rest: ", log.LstdFlags|log.Lmicroseconds)
	}
	h, err := newHost(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*hostFlag, strconv.Itoa(*port)))
	if err != nil {
		h.close()
		return err
	}
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		_ = ln.Close()
		h.close()
		return fmt.Errorf("unexpected listener address %v", ln.Addr())
	}
	if *portFile != "" {
		if err := writePortFile(*portFile, addr.Port); err != nil {
			_ = ln.Close()
			h.close()
			return fmt.Errorf("writing port file: %w", err)
		}
	}
	fmt.Fprintf(stdout, "listening on %s\n", ln.Addr())
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync()
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	err = h.serve(ctx, ln)
	if err == nil {
		log.Printf("stopped")
	}
	return err
}
