package classify_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/errclass/errclass/internal/classify"
	"github.com/errclass/errclass/internal/kb"
	"github.com/errclass/errclass/internal/retry"
	"github.com/errclass/errclass/internal/taxonomy"
)

var testNow = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func newClassifier(t testing.TB) *classify.Classifier {
	t.Helper()
	set, err := kb.Load()
	if err != nil {
		t.Fatal(err)
	}
	return classify.New(set).WithClock(func() time.Time { return testNow })
}

func TestEnrichment(t *testing.T) {
	c := newClassifier(t)
	tests := []struct {
		name  string
		in    classify.Input
		check func(t *testing.T, r classify.Result)
	}{
		{
			name: "signature mismatch with a skewed Date header is clock skew",
			in: classify.Input{
				Payload:    `<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>`,
				HTTPStatus: 403,
				Headers:    map[string]string{"Date": testNow.Add(-9 * time.Minute).Format(time.RFC1123)},
			},
			check: func(t *testing.T, r classify.Result) {
				if r.Category != taxonomy.Authentication || !r.Retryable || r.Reason != "CLOCK_SKEW" || r.Retry.Strategy != retry.ResignAndRetry {
					t.Errorf("got %s %v %s %s; want AUTHENTICATION retryable CLOCK_SKEW RESIGN_AND_RETRY", r.Category, r.Retryable, r.Reason, r.Retry.Strategy)
				}
			},
		},
		{
			name: "signature mismatch with a right clock is not retryable",
			in: classify.Input{
				Payload:    `<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>`,
				HTTPStatus: 403,
				Headers:    map[string]string{"Date": testNow.Add(-30 * time.Second).Format(time.RFC1123)},
			},
			check: func(t *testing.T, r classify.Result) {
				if r.Category != taxonomy.Authentication || r.Retryable || r.Retry.Strategy != retry.DoNotRetry {
					t.Errorf("got %s %v %s", r.Category, r.Retryable, r.Retry.Strategy)
				}
			},
		},
		{
			name: "fraud decline hides its reason from the end user",
			in:   classify.Input{Payload: `{"error":{"code":"card_declined","decline_code":"stolen_card","message":"Your card was declined.","type":"card_error"}}`, HTTPStatus: 402},
			check: func(t *testing.T, r classify.Result) {
				if r.Category != taxonomy.Payment || r.Retryable {
					t.Errorf("got %s %v", r.Category, r.Retryable)
				}
				for _, a := range r.Actions {
					if a.Audience == taxonomy.EndUser && strings.Contains(strings.ToLower(a.Text), "stolen") {
						t.Errorf("end-user action reveals the reason: %q", a.Text)
					}
				}
				if strings.Contains(strings.ToLower(r.UserMessage), "stolen") {
					t.Errorf("user message reveals the reason: %q", r.UserMessage)
				}
				if r.Escalation.Target != classify.EscalateSecurity {
					t.Errorf("escalation %s; want SECURITY", r.Escalation.Target)
				}
			},
		},
		{
			name: "advice code try_again_later makes a decline retryable",
			in:   classify.Input{Payload: `{"error":{"code":"card_declined","decline_code":"generic_decline","advice_code":"try_again_later","type":"card_error"}}`, HTTPStatus: 402},
			check: func(t *testing.T, r classify.Result) {
				if r.Category != taxonomy.Payment || !r.Retryable {
					t.Errorf("got %s %v; want PAYMENT retryable", r.Category, r.Retryable)
				}
			},
		},
		{
			name: "Stripe-Should-Retry false overrides a 500",
			in: classify.Input{Payload: `{"error":{"message":"An unexpected error occurred.","type":"api_error"}}`, HTTPStatus: 500,
				Headers: map[string]string{"Stripe-Should-Retry": "false", "Request-Id": "req_abc123def456"}},
			check: func(t *testing.T, r classify.Result) {
				if r.Category != taxonomy.Server || r.Retryable || r.RequestID != "req_abc123def456" {
					t.Errorf("got %s %v %q", r.Category, r.Retryable, r.RequestID)
				}
			},
		},
		{
			name: "SDK retry quota is the caller's own",
			in:   classify.Input{Payload: `operation error DynamoDB: PutItem, failed to get rate limit token, retry quota exceeded, 4 available, 5 requested`},
			check: func(t *testing.T, r classify.Result) {
				if r.Category != taxonomy.RateLimit || r.Fault != taxonomy.FaultClient {
					t.Errorf("got %s fault %s; want RATE_LIMIT fault CLIENT", r.Category, r.Fault)
				}
			},
		},
		{
			name: "spent attempt budget stops retries",
			in:   classify.Input{Payload: "", HTTPStatus: 503, Attempt: 3},
			check: func(t *testing.T, r classify.Result) {
				if !r.Retryable || r.Retry.Strategy != retry.DoNotRetry {
					t.Errorf("got retryable %v strategy %s", r.Retryable, r.Retry.Strategy)
				}
			},
		},
		{
			name: "nothing known is UNKNOWN with low confidence",
			in:   classify.Input{Payload: `{"status":"error"}`},
			check: func(t *testing.T, r classify.Result) {
				if r.Category != taxonomy.Unknown || r.Retryable || r.Confidence > 0.2 || r.Match.Kind != classify.MatchNone {
					t.Errorf("got %s %v %.2f %s", r.Category, r.Retryable, r.Confidence, r.Match.Kind)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Classify(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, r)
		})
	}
}

func TestInvalidInput(t *testing.T) {
	c := newClassifier(t)
	bad := 17
	for _, in := range []classify.Input{{HTTPStatus: 42}, {HTTPStatus: 600}, {GRPCCode: &bad}, {Attempt: -1}} {
		if _, err := c.Classify(in); !errors.Is(err, classify.ErrInvalidInput) {
			t.Errorf("%+v: err %v; want ErrInvalidInput", in, err)
		}
	}
}

func Example() {
	set, err := kb.Load()
	if err != nil {
		panic(err)
	}
	res, err := classify.New(set).Classify(classify.Input{
		Payload:    `{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"Rate of requests exceeds the allowed throughput."}`,
		HTTPStatus: 400,
	})
	if err != nil {
		panic(err)
	}
	out, _ := json.Marshal(map[string]any{"category": res.Category, "retryable": res.Retryable, "code": res.Code, "provider": res.Provider})
	fmt.Println(string(out))
	// Output: {"category":"RATE_LIMIT","code":"ProvisionedThroughputExceededException","provider":"aws","retryable":true}
}

// FuzzClassify checks that no payload, status or header makes the whole
// pipeline panic, and that every answer is complete.
func FuzzClassify(f *testing.F) {
	set, err := kb.Load()
	if err != nil {
		f.Fatal(err)
	}
	c := classify.New(set)
	for _, l := range loadCorpus(f) {
		f.Add(l.Request.Payload, l.Request.HTTPStatus, "Retry-After", "5")
	}
	f.Fuzz(func(t *testing.T, payload string, status int, header, value string) {
		if status < 100 || status > 599 {
			status = 0
		}
		r, err := c.Classify(classify.Input{Payload: payload, HTTPStatus: status, Headers: map[string]string{header: value}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Category == "" || r.Reason == "" || r.UserMessage == "" || r.Fingerprint == "" {
			t.Fatalf("incomplete answer %+v", r)
		}
	})
}
