package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var logs bytes.Buffer
	err := run(ctx, []string{"--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0"}, func(string) string { return "" }, &logs)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, logs.String())
	}
	for _, want := range []string{`"msg":"rules loaded"`, `"msg":"gRPC listening"`, `"msg":"stopped"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %s:\n%s", want, logs.String())
		}
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--http-addr", "nowhere"}, func(string) string { return "" }, &out); err == nil {
		t.Error("bad address accepted")
	}
	if err := run(context.Background(), nil, func(k string) string {
		if k == "ERRCLASS_LOG_LEVEL" {
			return "chatty"
		}
		return ""
	}, &out); err == nil || !strings.Contains(err.Error(), "chatty") {
		t.Errorf("bad log level: %v", err)
	}
	if err := run(context.Background(), []string{"--help"}, func(string) string { return "" }, &out); err != nil {
		t.Errorf("--help: %v", err)
	}
}
