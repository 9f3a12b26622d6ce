// Package gateway serves the REST face of errclass: the grpc-gateway mux,
// which calls the gRPC server over a real connection so that interceptors,
// limits and streaming behave the same for REST callers, plus /healthz,
// /metrics and /openapi.json.
package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/errclass/errclass"
	errclassv1 "github.com/errclass/errclass/gen/errclass/v1"
)

// Options configure the gateway.
type Options struct {
	// MaxRequestBytes is the largest body accepted; larger ones get 413.
	MaxRequestBytes int
	// Metrics is the registry /metrics serves; nil serves none.
	Metrics *prometheus.Registry
}

// New returns the gateway's handler, calling the gRPC server over conn.
func New(ctx context.Context, conn *grpc.ClientConn, opts Options) (http.Handler, error) {
	mux := runtime.NewServeMux(
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.JSONPb{
			MarshalOptions: protojson.MarshalOptions{EmitUnpopulated: true},
			// Unknown fields are errors: a misspelt "payload" must not become a
			// silent UNKNOWN answer.
			UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
		}),
		runtime.WithHealthzEndpoint(healthpb.NewHealthClient(conn)),
	)
	if err := errclassv1.RegisterClassifierServiceHandler(ctx, mux, conn); err != nil {
		return nil, fmt.Errorf("register gateway: %w", err)
	}
	root := http.NewServeMux()
	root.Handle("/", limitBody(mux, opts.MaxRequestBytes))
	root.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(errclass.OpenAPI)
	})
	if opts.Metrics != nil {
		root.Handle("GET /metrics", promhttp.HandlerFor(opts.Metrics, promhttp.HandlerOpts{}))
	}
	return root, nil
}

// limitBody answers 413 with the gateway's error shape when a body is larger
// than max, instead of letting a truncated body reach the JSON decoder.
func limitBody(next http.Handler, max int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, int64(max)+1))
		if err != nil {
			writeError(w, http.StatusBadRequest, codes.InvalidArgument, "reading request body: "+err.Error())
			return
		}
		if len(body) > max {
			writeError(w, http.StatusRequestEntityTooLarge, codes.ResourceExhausted,
				fmt.Sprintf("request body is larger than the limit of %d bytes (set --max-request-bytes to change it)", max))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// writeError writes the JSON error shape grpc-gateway uses for its own errors.
func writeError(w http.ResponseWriter, httpStatus int, code codes.Code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatus)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": int(code), "message": msg, "details": []any{}})
}
