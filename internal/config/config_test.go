package config_test

import (
	"io"
	"strings"
	"testing"

	"github.com/errclass/errclass/internal/config"
)

func TestParse(t *testing.T) {
	env := map[string]string{"ERRCLASS_GRPC_ADDR": "127.0.0.1:7000", "ERRCLASS_HTTP_ADDR": "127.0.0.1:7001", "ERRCLASS_MAX_REQUEST_BYTES": "2MiB"}
	getenv := func(k string) string { return env[k] }
	c, err := config.Parse([]string{"--http-addr", "127.0.0.1:7100"}, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.GRPCAddr != "127.0.0.1:7000" || c.HTTPAddr != "127.0.0.1:7100" || c.MaxRequestBytes != 2<<20 {
		t.Errorf("got %+v; want env for gRPC, the flag for HTTP, 2 MiB", c)
	}
	d, err := config.Parse(nil, func(string) string { return "" }, io.Discard)
	if err != nil || d != config.Default() {
		t.Errorf("defaults: %+v, %v", d, err)
	}
}

func TestParseRejects(t *testing.T) {
	none := func(string) string { return "" }
	for _, args := range [][]string{
		{"--grpc-addr", "nonsense"},
		{"--max-request-bytes", "12"},
		{"--max-request-bytes", "lots"},
		{"--shutdown-timeout", "-1s"},
		{"stray"},
	} {
		if _, err := config.Parse(args, none, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	_, err := config.Parse(nil, func(k string) string {
		if k == "ERRCLASS_SHUTDOWN_TIMEOUT" {
			return "soon"
		}
		return ""
	}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "ERRCLASS_SHUTDOWN_TIMEOUT") {
		t.Errorf("bad env value: %v", err)
	}
}
