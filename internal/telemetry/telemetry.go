// Package telemetry sets up what operators see of errclassd: structured logs
// with log/slog, Prometheus metrics, and the gRPC interceptors that log,
// measure and recover from panics.
package telemetry

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"

	grpcprom "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/recovery"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/errclass/errclass/internal/classify"
)

// NewLogger returns a JSON or text logger at the given level
// ("debug", "info", "warn", "error").
func NewLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want json or text", format)
}

// Metrics holds errclassd's Prometheus collectors, on a registry of its own.
type Metrics struct {
	Registry        *prometheus.Registry
	grpc            *grpcprom.ServerMetrics
	classifications *prometheus.CounterVec
	rules           prometheus.Gauge
	reloadSuccess   prometheus.Gauge
	reloadTime      prometheus.Gauge
}

// NewMetrics registers the collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		grpc: grpcprom.NewServerMetrics(grpcprom.WithServerHandlingTimeHistogram(
			grpcprom.WithHistogramBuckets([]float64{.0001, .0005, .001, .005, .01, .05, .1, .5, 1}))),
		classifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "errclass_classifications_total",
			Help: "Classified payloads by category and by the kind of evidence that decided.",
		}, []string{"category", "match"}),
		rules: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "errclass_rules",
			Help: "Rules in the knowledge base being served.",
		}),
		reloadSuccess: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "errclass_rules_last_reload_successful",
			Help: "Whether the last load of the rules succeeded (1) or failed and the previous rules kept serving (0).",
		}),
		reloadTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "errclass_rules_last_reload_success_timestamp_seconds",
			Help: "When the rules were last loaded successfully.",
		}),
	}
	m.Registry.MustRegister(m.grpc, m.classifications, m.rules, m.reloadSuccess, m.reloadTime,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Observe counts one answer.
func (m *Metrics) Observe(r classify.Result) {
	m.classifications.WithLabelValues(string(r.Category), string(r.Match.Kind)).Inc()
}

// RulesLoaded records a load of the rules: ok with the new rule count, or
// failed with the old rules still serving.
func (m *Metrics) RulesLoaded(ok bool, count int, unixSeconds float64) {
	if !ok {
		m.reloadSuccess.Set(0)
		return
	}
	m.reloadSuccess.Set(1)
	m.rules.Set(float64(count))
	m.reloadTime.Set(unixSeconds)
}

// ServerOptions returns the interceptors every RPC goes through, outermost
// first: metrics, logging, then panic recovery, so that a panic is logged and
// counted as the INTERNAL error it becomes.
func (m *Metrics) ServerOptions(logger *slog.Logger) []grpc.ServerOption {
	logOpts := []logging.Option{logging.WithLogOnEvents(logging.FinishCall)}
	recoverOpts := []recovery.Option{recovery.WithRecoveryHandlerContext(func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in handler", "panic", p, "stack", string(debug.Stack()))
		return status.Errorf(codes.Internal, "internal error: %v", p)
	})}
	return []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(
			m.grpc.UnaryServerInterceptor(),
			logging.UnaryServerInterceptor(slogAdapter(logger), logOpts...),
			recovery.UnaryServerInterceptor(recoverOpts...),
		),
		grpc.ChainStreamInterceptor(
			m.grpc.StreamServerInterceptor(),
			logging.StreamServerInterceptor(slogAdapter(logger), logOpts...),
			recovery.StreamServerInterceptor(recoverOpts...),
		),
	}
}

// InitServer sets the per-method metrics of a server to zero, so that
// dashboards see every method before its first call.
func (m *Metrics) InitServer(s *grpc.Server) { m.grpc.InitializeMetrics(s) }

// slogAdapter lets go-grpc-middleware's logging interceptor write to slog.
func slogAdapter(l *slog.Logger) logging.Logger {
	return logging.LoggerFunc(func(ctx context.Context, lvl logging.Level, msg string, fields ...any) {
		l.Log(ctx, slog.Level(lvl), msg, fields...)
	})
}
