package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	errclassv1 "github.com/errclass/errclass/gen/errclass/v1"
	"github.com/errclass/errclass/internal/server"
	"github.com/errclass/errclass/internal/telemetry"
)

// TestPanicBecomesInternal serves a ClassifierService whose handlers panic
// (it has no classifier) behind the production interceptors: every call must
// end as INTERNAL, and the server must go on serving.
func TestPanicBecomesInternal(t *testing.T) {
	lis := bufconn.Listen(1 << 20)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := grpc.NewServer(telemetry.NewMetrics().ServerOptions(logger)...)
	errclassv1.RegisterClassifierServiceServer(s, server.New(nil, nil))
	healthpb.RegisterHealthServer(s, health.NewServer())
	go s.Serve(lis)
	t.Cleanup(s.Stop)

	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	client := errclassv1.NewClassifierServiceClient(conn)
	ctx := context.Background()

	for i := 0; i < 3; i++ {
		_, err := client.Classify(ctx, &errclassv1.ClassifyRequest{Payload: "boom"})
		if status.Code(err) != codes.Internal {
			t.Fatalf("call %d: %v; want INTERNAL", i, err)
		}
	}
	stream, err := client.ClassifyStream(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&errclassv1.ClassifyStreamRequest{Request: &errclassv1.ClassifyRequest{Payload: "boom"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); status.Code(err) != codes.Internal {
		t.Fatalf("stream: %v; want INTERNAL", err)
	}
	if h, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{}); err != nil || h.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("after the panics health = %v, %v; want SERVING", h, err)
	}
}
