package extract_test

import (
	"os"
	"strings"
	"testing"

	"github.com/errclass/errclass/internal/extract"
	"github.com/errclass/errclass/internal/rules"
)

func TestExtract(t *testing.T) {
	tests := []struct {
		file      string
		status    int
		headers   map[string]string
		shape     string
		providers string // comma-joined
		codes     string // comma-joined values, most specific first
		message   string // a prefix of the message
		requestID string
		wantHTTP  int
		wantGRPC  int
		text      string // a substring of the text wording rules read
	}{
		{file: "aws-json.json", status: 400, shape: "aws-json", providers: "aws", codes: "ProvisionedThroughputExceededException", message: "The level of configured", wantHTTP: 400, wantGRPC: -1},
		{file: "s3-error.xml", status: 403, shape: "aws-xml", providers: "aws", codes: "RequestTimeTooSkewed", message: "The difference", requestID: "4E1F0B2A9C7D3E11", wantHTTP: 403, wantGRPC: -1},
		{file: "query-error.xml", status: 409, shape: "aws-xml", providers: "aws", codes: "LimitExceeded", message: "Cannot exceed quota", requestID: "6a8f0c3e-1b2d-4e5f-9a7b-8c6d5e4f3a2b", wantHTTP: 409, wantGRPC: -1},
		{file: "ec2-error.xml", shape: "aws-xml", providers: "aws", codes: "InvalidInstanceID.NotFound", requestID: "24686add-4ec5-435f-9902-0f2b3e7b6a11", wantGRPC: -1},
		{file: "sp-api.json", status: 429, headers: map[string]string{"x-amzn-RequestId": "abc-123", "x-amzn-RateLimit-Limit": "0.0167"}, shape: "amazon-sp-api", providers: "amazon-sp-api", codes: "QuotaExceeded", message: "You exceeded your quota", requestID: "abc-123", wantHTTP: 429, wantGRPC: -1},
		{file: "amazon-pay.json", status: 422, headers: map[string]string{"x-amz-pay-request-id": "pay-1"}, shape: "amazon-pay", providers: "amazon-pay", codes: "SoftDeclined", requestID: "pay-1", wantHTTP: 422, wantGRPC: -1},
		{file: "stripe.json", status: 402, shape: "stripe", providers: "stripe", codes: "lost_card,card_declined,card_error", message: "Your card was declined.", wantHTTP: 402, wantGRPC: -1},
		{file: "google.json", shape: "google", providers: "google", codes: "RATE_LIMIT_EXCEEDED,RESOURCE_EXHAUSTED", message: "Quota exceeded", wantHTTP: 429, wantGRPC: -1},
		{file: "problem.json", shape: "problem-json", providers: "", codes: "", message: "Webhook endpoint", wantHTTP: 410, wantGRPC: -1},
		{file: "graphql.json", shape: "graphql", providers: "graphql", codes: "ACCESS_DENIED", message: "Access denied for orders", wantGRPC: -1},
		{file: "oauth.json", status: 400, shape: "oauth", providers: "oauth", codes: "invalid_grant", message: "Token has been expired", wantHTTP: 400, wantGRPC: -1},
		{file: "nginx.html", status: 502, shape: "html", message: "502 Bad Gateway", wantHTTP: 502, wantGRPC: -1, text: "502 bad gateway nginx/1.25.3"},
		{file: "botocore.txt", shape: "text", providers: "aws", codes: "ThrottlingException", message: "Rate exceeded", wantGRPC: -1},
		{file: "go-v2.txt", shape: "text", providers: "aws", codes: "AccessDeniedException", requestID: "63248a86-d7a7-4e30-9e8a-1aa337bd383a", wantHTTP: 403, wantGRPC: -1},
		{file: "java-v1.txt", shape: "text", providers: "aws", codes: "AccessDenied,AmazonS3Exception", requestID: "6DEDDA9EF7F42BBA", wantHTTP: 403, wantGRPC: -1},
		{file: "grpc.txt", shape: "text", message: "context deadline exceeded", wantGRPC: 4},
		{file: "grpc-java.txt", shape: "text", message: "caller does not have permission", wantGRPC: 7},
		{file: "grpc-python.txt", shape: "text", message: "Quota exceeded for quota metric", wantGRPC: 8},
		{file: "python-httperror.txt", shape: "text", message: "requests.exceptions.HTTPError", wantHTTP: 429, wantGRPC: -1},
		{file: "go-v1.txt", shape: "text", providers: "aws", codes: "NoSuchKey", message: "The specified key", requestID: "4442587FB7D0A2F9", wantHTTP: 404, wantGRPC: -1},
		{file: "js-v3.txt", shape: "text", providers: "aws", codes: "NoSuchKey", wantHTTP: 404, wantGRPC: -1},
		{file: "dotnet.txt", shape: "text", providers: "aws", codes: "ResourceNotFoundException", wantGRPC: -1},
		{file: "rust.txt", shape: "text", providers: "aws", codes: "ResourceNotFoundException", message: "Requested resource not found", wantGRPC: -1},
		{file: "grpc-dotnet.txt", shape: "text", message: "Deadline Exceeded", wantGRPC: 4},
		{file: "kubectl.txt", shape: "text", providers: "kubernetes", codes: "NotFound", message: "deployments.apps", wantGRPC: -1},
		{file: "worldpay.xml", shape: "xml", codes: "5", wantGRPC: -1, text: "order has already been paid"},
		{file: "sqlstate.txt", shape: "text", codes: "23505", wantGRPC: -1, text: "duplicate key value"},
		{file: "node.txt", shape: "text", codes: "ENOTFOUND", wantGRPC: -1},
		{file: "log-embedded-json.txt", shape: "text", providers: "amazon-sp-api", codes: "Unauthorized", message: "The security token included", wantHTTP: 403, wantGRPC: -1, text: "getorders failed"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			payload, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			ev := extract.Extract(extract.Request{Payload: string(payload), HTTPStatus: tc.status, Headers: tc.headers, GRPCCode: -1})
			if ev.Shape != tc.shape {
				t.Errorf("shape %q; want %q", ev.Shape, tc.shape)
			}
			if got := strings.Join(ev.Providers, ","); got != tc.providers {
				t.Errorf("providers %q; want %q", got, tc.providers)
			}
			if got := codeValues(ev.Codes); got != tc.codes {
				t.Errorf("codes %q; want %q", got, tc.codes)
			}
			if !strings.HasPrefix(ev.Message, tc.message) {
				t.Errorf("message %q; want prefix %q", ev.Message, tc.message)
			}
			if ev.RequestID != tc.requestID {
				t.Errorf("request id %q; want %q", ev.RequestID, tc.requestID)
			}
			if ev.HTTPStatus != tc.wantHTTP || ev.GRPCCode != tc.wantGRPC {
				t.Errorf("statuses http %d grpc %d; want %d %d", ev.HTTPStatus, ev.GRPCCode, tc.wantHTTP, tc.wantGRPC)
			}
			if !strings.Contains(ev.Text, tc.text) {
				t.Errorf("text %q lacks %q", ev.Text, tc.text)
			}
		})
	}
}

func TestExtractHints(t *testing.T) {
	payload, _ := os.ReadFile("testdata/google.json")
	if ev := extract.Extract(extract.Request{Payload: string(payload), GRPCCode: -1}); ev.RetryDelay != "30s" {
		t.Errorf("RetryInfo delay %q; want 30s", ev.RetryDelay)
	}
	payload, _ = os.ReadFile("testdata/stripe.json")
	if ev := extract.Extract(extract.Request{Payload: string(payload), GRPCCode: -1}); ev.AdviceCode != "do_not_try_again" {
		t.Errorf("advice code %q", ev.AdviceCode)
	}
	payload, _ = os.ReadFile("testdata/s3-error.xml")
	if ev := extract.Extract(extract.Request{Payload: string(payload), GRPCCode: -1}); ev.ClockSkewSeconds < 1200 {
		t.Errorf("clock skew %v s; want about 1233", ev.ClockSkewSeconds)
	}
	ev := extract.Extract(extract.Request{Payload: "{}", GRPCCode: -1, Headers: map[string]string{
		"X-Amzn-ErrorType": "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/",
		"grpc-status":      "14",
		"WWW-Authenticate": `Bearer error="invalid_token", error_description="The access token expired"`,
	}})
	if got := codeValues(ev.Codes); got != "AccessDeniedException,invalid_token" {
		t.Errorf("header codes %q", got)
	}
	if ev.GRPCCode != 14 {
		t.Errorf("grpc-status header gave %d", ev.GRPCCode)
	}
}

// FuzzExtract checks that no payload makes extraction panic or hang.
func FuzzExtract(f *testing.F) {
	entries, _ := os.ReadDir("testdata")
	for _, e := range entries {
		data, _ := os.ReadFile("testdata/" + e.Name())
		f.Add(string(data))
	}
	f.Add(`{"error":`)
	f.Add(`<Error><Code>`)
	f.Fuzz(func(t *testing.T, payload string) {
		extract.Extract(extract.Request{Payload: payload, GRPCCode: -1})
	})
}

func codeValues(codes []rules.Code) string {
	var out []string
	for _, c := range codes {
		out = append(out, c.Value)
	}
	return strings.Join(out, ",")
}
