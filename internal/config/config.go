// Package config holds errclassd's settings: defaults, then environment
// variables, then flags, each overriding the one before, and a Validate that
// reports every bad value at once.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// Config is errclassd's configuration.
type Config struct {
	GRPCAddr        string
	HTTPAddr        string
	MaxRequestBytes int
	RulesDir        string
	LogFormat       string
	LogLevel        string
	ShutdownTimeout time.Duration
}

// Default returns the CONTRACT.md defaults.
func Default() Config {
	return Config{
		GRPCAddr:        "127.0.0.1:9090",
		HTTPAddr:        "127.0.0.1:8080",
		MaxRequestBytes: 1 << 20,
		LogFormat:       "json",
		LogLevel:        "info",
		ShutdownTimeout: 15 * time.Second,
	}
}

// envPrefix prefixes every environment variable: ERRCLASS_GRPC_ADDR ...
const envPrefix = "ERRCLASS_"

// Parse builds a Config from args and environment (getenv). Usage and flag
// errors go to out.
func Parse(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	c := Default()
	fs := flag.NewFlagSet("errclassd", flag.ContinueOnError)
	fs.SetOutput(out)
	var maxBytes string
	fs.StringVar(&c.GRPCAddr, "grpc-addr", c.GRPCAddr, "gRPC listen address (env ERRCLASS_GRPC_ADDR)")
	fs.StringVar(&c.HTTPAddr, "http-addr", c.HTTPAddr, "REST gateway listen address (env ERRCLASS_HTTP_ADDR)")
	fs.StringVar(&maxBytes, "max-request-bytes", strconv.Itoa(c.MaxRequestBytes), "largest request accepted, in bytes; KiB and MiB suffixes allowed (env ERRCLASS_MAX_REQUEST_BYTES)")
	fs.StringVar(&c.RulesDir, "rules-dir", c.RulesDir, "directory of extra rule files, reloaded when they change (env ERRCLASS_RULES_DIR)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: json or text (env ERRCLASS_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error (env ERRCLASS_LOG_LEVEL)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "how long shutdown waits for requests in flight (env ERRCLASS_SHUTDOWN_TIMEOUT)")

	// Environment first, so that flags given on the command line win.
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name := envPrefix + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(name); v != "" {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", name, v, err))
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return c, err
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	n, err := parseBytes(maxBytes)
	if err != nil {
		return c, fmt.Errorf("max-request-bytes: %w", err)
	}
	c.MaxRequestBytes = n
	return c, c.Validate()
}

// Validate reports every invalid setting.
func (c Config) Validate() error {
	var errs []error
	for name, addr := range map[string]string{"grpc-addr": c.GRPCAddr, "http-addr": c.HTTPAddr} {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			errs = append(errs, fmt.Errorf("%s %q: %w", name, addr, err))
		}
	}
	if c.MaxRequestBytes < 1024 {
		errs = append(errs, fmt.Errorf("max-request-bytes %d: must be at least 1024", c.MaxRequestBytes))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("shutdown-timeout %s: must be positive", c.ShutdownTimeout))
	}
	return errors.Join(errs...)
}

// parseBytes reads "1048576", "512KiB" or "4MiB".
func parseBytes(s string) (int, error) {
	s = strings.TrimSpace(s)
	mult := 1
	for suffix, m := range map[string]int{"KiB": 1 << 10, "MiB": 1 << 20} {
		if strings.HasSuffix(s, suffix) {
			s, mult = strings.TrimSuffix(s, suffix), m
		}
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive size", s)
	}
	return n * mult, nil
}
