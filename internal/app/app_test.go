package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	errclassv1 "github.com/errclass/errclass/gen/errclass/v1"
	"github.com/errclass/errclass/internal/app"
	"github.com/errclass/errclass/internal/config"
)

// testServer is a real errclassd on loopback ports.
type testServer struct {
	baseURL string
	conn    *grpc.ClientConn
	client  errclassv1.ClassifierServiceClient
	cancel  context.CancelFunc
	done    chan error
}

// start runs app.Serve on 127.0.0.1 ports and waits until /healthz answers.
func start(t testing.TB, mutate func(*config.Config)) *testServer {
	t.Helper()
	cfg := config.Default()
	cfg.ShutdownTimeout = 5 * time.Second
	if mutate != nil {
		mutate(&cfg)
	}
	grpcLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	httpLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &testServer{baseURL: "http://" + httpLis.Addr().String(), cancel: cancel, done: make(chan error, 1)}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	go func() { s.done <- app.Serve(ctx, cfg, logger, grpcLis, httpLis) }()

	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(s.baseURL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("server stopped before serving: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not become healthy: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.conn, err = grpc.NewClient(grpcLis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	s.client = errclassv1.NewClassifierServiceClient(s.conn)
	t.Cleanup(func() { s.stop(t) })
	return s
}

func (s *testServer) stop(t testing.TB) {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	s.conn.Close()
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("Serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("server did not stop")
	}
}

// post sends a JSON body to the gateway and returns status and body.
func (s *testServer) post(t testing.TB, path, body string) (int, []byte) {
	t.Helper()
	resp, err := http.Post(s.baseURL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

func (s *testServer) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(s.baseURL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

var requests = map[string]*errclassv1.ClassifyRequest{
	"s3-slowdown": {
		Payload:    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>C80A05D88E61B30E</RequestId></Error>`,
		HttpStatus: 503,
		Headers:    map[string]string{"Retry-After": "3", "Server": "AmazonS3"},
	},
	"stripe-insufficient-funds": {
		Payload:    `{"error":{"code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds.","type":"card_error"}}`,
		HttpStatus: 402,
	},
	"grpc-unavailable-transport": {
		Payload:  `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 10.0.0.7:50051: connect: connection refused"`,
		GrpcCode: proto.Int32(14),
	},
	"empty": {},
}

var wantCategory = map[string]errclassv1.Category{
	"s3-slowdown":                errclassv1.Category_CATEGORY_RATE_LIMIT,
	"stripe-insufficient-funds":  errclassv1.Category_CATEGORY_PAYMENT,
	"grpc-unavailable-transport": errclassv1.Category_CATEGORY_NETWORK,
	"empty":                      errclassv1.Category_CATEGORY_UNKNOWN,
}

// TestClassifyGRPCAndRESTAgree sends the same requests over both faces of the
// server: the answers must be identical and right.
func TestClassifyGRPCAndRESTAgree(t *testing.T) {
	s := start(t, nil)
	ctx := context.Background()
	for name, req := range requests {
		t.Run(name, func(t *testing.T) {
			viaGRPC, err := s.client.Classify(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := protojson.Marshal(req)
			code, raw := s.post(t, "/v1/classify", string(body))
			if code != http.StatusOK {
				t.Fatalf("REST status %d: %s", code, raw)
			}
			viaREST := &errclassv1.ClassifyResponse{}
			if err := protojson.Unmarshal(raw, viaREST); err != nil {
				t.Fatalf("decode REST answer: %v\n%s", err, raw)
			}
			if !proto.Equal(viaGRPC, viaREST) {
				t.Errorf("gRPC and REST disagree:\ngRPC %v\nREST %v", viaGRPC, viaREST)
			}
			if got := viaGRPC.GetNormalized().GetCategory(); got != wantCategory[name] {
				t.Errorf("category = %v; want %v", got, wantCategory[name])
			}
			if !strings.Contains(string(raw), `"category":"CATEGORY_`) {
				t.Errorf("REST answer lacks the category as an enum name: %s", raw)
			}
		})
	}
}

func TestClassifyAnswerIsComplete(t *testing.T) {
	s := start(t, nil)
	resp, err := s.client.Classify(context.Background(), requests["s3-slowdown"])
	if err != nil {
		t.Fatal(err)
	}
	n := resp.GetNormalized()
	if !n.GetRetryable() || n.GetRetry().GetStrategy() != errclassv1.RetryStrategy_RETRY_STRATEGY_AFTER_DELAY ||
		n.GetRetry().GetDelay().AsDuration() != 3*time.Second || n.GetRetry().GetDelaySource() != "Retry-After" {
		t.Errorf("retry = %v (retryable %v); want AFTER_DELAY 3s from Retry-After", n.GetRetry(), n.GetRetryable())
	}
	if n.GetCode() != "SlowDown" || n.GetRequestId() != "C80A05D88E61B30E" || n.GetHttpStatus() != 503 || n.GetProvider() != "aws" {
		t.Errorf("extracted code=%q request_id=%q status=%d provider=%q", n.GetCode(), n.GetRequestId(), n.GetHttpStatus(), n.GetProvider())
	}
	if n.GetReason() == "" || n.GetUserMessage() == "" || len(n.GetActions()) == 0 || n.GetFingerprint() == "" ||
		n.GetMatchedRule().GetId() == "" || n.GetMatchedRule().GetKind() != errclassv1.MatchKind_MATCH_KIND_CODE ||
		n.GetConfidence() < 0.9 || n.GetEscalation() == nil || n.GetFault() == errclassv1.Fault_FAULT_UNSPECIFIED ||
		n.GetSeverity() == errclassv1.Severity_SEVERITY_UNSPECIFIED {
		t.Errorf("incomplete answer: %v", n)
	}
}

func TestBatchKeepsOrder(t *testing.T) {
	s := start(t, nil)
	names := []string{"empty", "s3-slowdown", "stripe-insufficient-funds", "grpc-unavailable-transport"}
	batch := &errclassv1.ClassifyBatchRequest{}
	for _, n := range names {
		batch.Requests = append(batch.Requests, requests[n])
	}
	viaGRPC, err := s.client.ClassifyBatch(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := protojson.Marshal(batch)
	code, raw := s.post(t, "/v1/classify:batch", string(body))
	if code != http.StatusOK {
		t.Fatalf("REST status %d: %s", code, raw)
	}
	viaREST := &errclassv1.ClassifyBatchResponse{}
	if err := protojson.Unmarshal(raw, viaREST); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(viaGRPC, viaREST) {
		t.Errorf("gRPC and REST batch answers disagree")
	}
	if len(viaGRPC.GetResponses()) != len(names) {
		t.Fatalf("%d answers; want %d", len(viaGRPC.GetResponses()), len(names))
	}
	for i, n := range names {
		if got := viaGRPC.GetResponses()[i].GetNormalized().GetCategory(); got != wantCategory[n] {
			t.Errorf("answer %d (%s) = %v; want %v", i, n, got, wantCategory[n])
		}
	}
	// One bad item fails the batch, naming its index.
	batch.Requests = append(batch.Requests, &errclassv1.ClassifyRequest{HttpStatus: 42})
	_, err = s.client.ClassifyBatch(context.Background(), batch)
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "requests[4]") {
		t.Errorf("bad batch item: err = %v; want INVALID_ARGUMENT naming requests[4]", err)
	}
}

func TestStreamAnswersEachItemAndSurvivesBadOnes(t *testing.T) {
	s := start(t, nil)
	stream, err := s.client.ClassifyStream(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	items := []*errclassv1.ClassifyStreamRequest{
		{Id: "a", Request: requests["s3-slowdown"]},
		{Id: "bad", Request: &errclassv1.ClassifyRequest{GrpcCode: proto.Int32(99)}},
		{Id: "c", Request: requests["stripe-insufficient-funds"]},
	}
	for _, it := range items {
		if err := stream.Send(it); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatal(err)
	}
	var got []*errclassv1.ClassifyStreamResponse
	for {
		r, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if len(got) != 3 {
		t.Fatalf("%d answers; want 3", len(got))
	}
	if got[0].GetId() != "a" || got[0].GetResponse().GetNormalized().GetCategory() != errclassv1.Category_CATEGORY_RATE_LIMIT {
		t.Errorf("first answer %v", got[0])
	}
	if got[1].GetId() != "bad" || got[1].GetError().GetCode() != "INVALID_ARGUMENT" || !strings.Contains(got[1].GetError().GetMessage(), "grpc_code 99") {
		t.Errorf("bad item answer %v; want INVALID_ARGUMENT naming grpc_code", got[1])
	}
	if got[2].GetId() != "c" || got[2].GetResponse().GetNormalized().GetCategory() != errclassv1.Category_CATEGORY_PAYMENT {
		t.Errorf("third answer %v", got[2])
	}
}

func TestHealthAndReflection(t *testing.T) {
	s := start(t, nil)
	ctx := context.Background()
	h, err := healthpb.NewHealthClient(s.conn).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil || h.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health = %v, %v; want SERVING", h, err)
	}
	if code, body := s.get(t, "/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz = %d %s", code, body)
	}
	rc, err := reflectionpb.NewServerReflectionClient(s.conn).ServerReflectionInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}}); err != nil {
		t.Fatal(err)
	}
	resp, err := rc.Recv()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, svc := range resp.GetListServicesResponse().GetService() {
		names = append(names, svc.GetName())
	}
	if !strings.Contains(strings.Join(names, ","), "errclass.v1.ClassifierService") {
		t.Errorf("reflection lists %v; want errclass.v1.ClassifierService", names)
	}
	if code, body := s.get(t, "/openapi.json"); code != http.StatusOK || !bytes.Contains(body, []byte("/v1/classify")) {
		t.Errorf("GET /openapi.json = %d", code)
	}
	if code, body := s.get(t, "/metrics"); code != http.StatusOK || !bytes.Contains(body, []byte("errclass_rules_last_reload_successful 1")) {
		t.Errorf("GET /metrics = %d, lacks the reload gauge", code)
	}
}

func TestBadInput(t *testing.T) {
	s := start(t, func(c *config.Config) { c.MaxRequestBytes = 64 << 10 })
	cases := []struct {
		name       string
		body       string
		wantStatus int
		wantText   string
	}{
		{"malformed JSON", `{"payload": "x"`, http.StatusBadRequest, ""},
		{"wrong type", `{"payload": 42}`, http.StatusBadRequest, "payload"},
		{"unknown field", `{"paylod": "x"}`, http.StatusBadRequest, "paylod"},
		{"bad http status", `{"payload": "x", "httpStatus": 42}`, http.StatusBadRequest, "http_status 42"},
		{"bad grpc code", `{"payload": "x", "grpcCode": 17}`, http.StatusBadRequest, "grpc_code 17"},
		{"too large", `{"payload": "` + strings.Repeat("a", 70<<10) + `"}`, http.StatusRequestEntityTooLarge, "limit of 65536 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body := s.post(t, "/v1/classify", tc.body)
			if code != tc.wantStatus {
				t.Fatalf("status %d; want %d (%s)", code, tc.wantStatus, body)
			}
			var e struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Message == "" {
				t.Fatalf("error body %q is not {code, message}", body)
			}
			if !strings.Contains(e.Message, tc.wantText) {
				t.Errorf("message %q does not say %q", e.Message, tc.wantText)
			}
		})
	}
	_, err := s.client.Classify(context.Background(), &errclassv1.ClassifyRequest{Payload: strings.Repeat("a", 70<<10)})
	if status.Code(err) != codes.ResourceExhausted {
		t.Errorf("oversized gRPC request: %v; want RESOURCE_EXHAUSTED", err)
	}
	// The server keeps serving after all of that.
	if _, err := s.client.Classify(context.Background(), requests["s3-slowdown"]); err != nil {
		t.Errorf("after bad input: %v", err)
	}
}

func TestKnowledgeBaseReads(t *testing.T) {
	s := start(t, nil)
	ctx := context.Background()
	cats, err := s.client.ListCategories(ctx, &errclassv1.ListCategoriesRequest{})
	if err != nil || len(cats.GetCategories()) != 12 {
		t.Fatalf("ListCategories = %d categories, %v; want 12", len(cats.GetCategories()), err)
	}
	list, err := s.client.ListRules(ctx, &errclassv1.ListRulesRequest{Provider: "aws", Category: errclassv1.Category_CATEGORY_RATE_LIMIT, PageSize: 5})
	if err != nil || len(list.GetRules()) == 0 {
		t.Fatalf("ListRules = %v, %v", list, err)
	}
	for _, r := range list.GetRules() {
		if r.GetProvider() != "aws" || r.GetCategory() != errclassv1.Category_CATEGORY_RATE_LIMIT {
			t.Errorf("filter let through %s (%s, %v)", r.GetId(), r.GetProvider(), r.GetCategory())
		}
	}
	if list.GetTotalSize() > 5 && list.GetNextPageToken() == "" {
		t.Errorf("no next page token with %d rules and page size 5", list.GetTotalSize())
	}
	got, err := s.client.GetRule(ctx, &errclassv1.GetRuleRequest{Id: list.GetRules()[0].GetId()})
	if err != nil || got.GetRule().GetId() != list.GetRules()[0].GetId() {
		t.Errorf("GetRule = %v, %v", got, err)
	}
	if _, err := s.client.GetRule(ctx, &errclassv1.GetRuleRequest{Id: "no.such.rule"}); status.Code(err) != codes.NotFound {
		t.Errorf("GetRule of a missing id: %v; want NOT_FOUND", err)
	}
	code, body := s.get(t, "/v1/providers/aws/codes/ThrottlingException")
	if code != http.StatusOK || !strings.Contains(string(body), "CATEGORY_RATE_LIMIT") {
		t.Errorf("GET code lookup = %d %s", code, body)
	}
	if code, _ := s.get(t, "/v1/rules?provider=stripe&category=CATEGORY_PAYMENT"); code != http.StatusOK {
		t.Errorf("GET /v1/rules = %d", code)
	}
}

// TestGracefulShutdownFinishesInFlight opens a stream, starts the shutdown,
// and checks that the stream is still answered before the server stops.
func TestGracefulShutdownFinishesInFlight(t *testing.T) {
	s := start(t, nil)
	stream, err := s.client.ClassifyStream(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&errclassv1.ClassifyStreamRequest{Id: "1", Request: requests["s3-slowdown"]}); err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); err != nil {
		t.Fatal(err)
	}
	s.cancel() // shutdown begins while the stream is open
	time.Sleep(100 * time.Millisecond)
	if err := stream.Send(&errclassv1.ClassifyStreamRequest{Id: "2", Request: requests["empty"]}); err != nil {
		t.Fatalf("send during shutdown: %v", err)
	}
	r, err := stream.Recv()
	if err != nil || r.GetId() != "2" {
		t.Fatalf("in-flight stream not served during shutdown: %v, %v", r, err)
	}
	stream.CloseSend()
	if _, err := stream.Recv(); err != io.EOF {
		t.Errorf("stream end: %v; want EOF", err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("Serve returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("server did not stop after the stream ended")
	}
	s.cancel = nil
	s.conn.Close()
}

const overrideRule = `rules:
  - id: aws.s3.slowdown-override
    description: Test override that turns S3 SlowDown into a server error.
    provider: aws
    priority: 100
    match:
      codes: [SlowDown]
      http_status: [503]
    category: SERVER
    reason: OVERRIDDEN
    retryable: true
    fault: SERVER
    severity: ERROR
    user_message: Try again later.
    actions:
      developer: Test override.
`

func TestRulesDirOverrideAndReload(t *testing.T) {
	dir := t.TempDir()
	s := start(t, func(c *config.Config) { c.RulesDir = dir })
	ctx := context.Background()
	classifyReason := func() string {
		resp, err := s.client.Classify(ctx, requests["s3-slowdown"])
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetNormalized().GetReason()
	}
	before := classifyReason()
	if before == "OVERRIDDEN" {
		t.Fatal("override active before the file exists")
	}
	if err := os.WriteFile(filepath.Join(dir, "local.yaml"), []byte(overrideRule), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return classifyReason() == "OVERRIDDEN" }, "override to take effect")

	// A bad file on reload is reported and the previous rules keep serving.
	if err := os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("rules:\n  - id: Bad Id\n    category: NOPE\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		_, body := s.get(t, "/metrics")
		return bytes.Contains(body, []byte("errclass_rules_last_reload_successful 0"))
	}, "failed reload to be recorded")
	if got := classifyReason(); got != "OVERRIDDEN" {
		t.Errorf("after a bad reload reason = %q; want the previous rules (OVERRIDDEN)", got)
	}
}

func TestBadRulesDirStopsStart(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("rules:\n  - id: local.bad\n    description: x\n    match: {codes: [X]}\n    category: NOPE\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.RulesDir = dir
	lis1, _ := net.Listen("tcp", "127.0.0.1:0")
	lis2, _ := net.Listen("tcp", "127.0.0.1:0")
	err := app.Serve(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), lis1, lis2)
	if err == nil {
		t.Fatal("server started with a bad rule file")
	}
	for _, want := range []string{"broken.yaml:2", "local.bad", `unknown category "NOPE"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
