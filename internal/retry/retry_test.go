package retry_test

import (
	"testing"
	"time"

	"github.com/errclass/errclass/internal/retry"
)

func TestHints(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		headers map[string]string
		payload string
		want    time.Duration
		source  string
	}{
		{"retry-after seconds", map[string]string{"retry-after": "7"}, "", 7 * time.Second, "Retry-After"},
		{"retry-after date against Date", map[string]string{"retry-after": "Sun, 01 Mar 2026 10:00:30 GMT", "date": "Sun, 01 Mar 2026 10:00:10 GMT"}, "", 20 * time.Second, "Retry-After"},
		{"retry-after date against now", map[string]string{"retry-after": "Sun, 01 Mar 2026 10:01:00 GMT"}, "", time.Minute, "Retry-After"},
		{"x-amz-retry-after ms", map[string]string{"x-amz-retry-after": "1500"}, "", 1500 * time.Millisecond, "x-amz-retry-after"},
		{"grpc pushback", map[string]string{"grpc-retry-pushback-ms": "250"}, "", 250 * time.Millisecond, "grpc-retry-pushback-ms"},
		{"google RetryInfo", nil, "30s", 30 * time.Second, "RetryInfo"},
		{"github reset", map[string]string{"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1772359290"}, "", 90 * time.Second, "x-ratelimit-reset"},
		{"sp-api rate", map[string]string{"x-amzn-ratelimit-limit": "0.5"}, "", 2 * time.Second, "x-amzn-RateLimit-Limit"},
		{"longest hint wins", map[string]string{"retry-after": "2", "x-amz-retry-after": "5000"}, "", 5 * time.Second, "x-amz-retry-after"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := retry.Hints(tc.headers, tc.payload, now)
			if !h.Found || h.Delay != tc.want || h.Source != tc.source {
				t.Errorf("got %v %v %q; want %v %q", h.Found, h.Delay, h.Source, tc.want, tc.source)
			}
		})
	}
	if h := retry.Hints(map[string]string{"retry-after": "soon"}, "", now); h.Found {
		t.Errorf("a bad Retry-After was taken: %v", h.Delay)
	}
	if h := retry.Hints(map[string]string{"stripe-should-retry": "false"}, "", now); h.ShouldRetry == nil || *h.ShouldRetry {
		t.Error("Stripe-Should-Retry: false not read")
	}
}

func TestPlan(t *testing.T) {
	g := retry.Plan(false, retry.Transient, retry.Hint{}, 1)
	if g.Strategy != retry.DoNotRetry {
		t.Errorf("not retryable: %v", g.Strategy)
	}
	g = retry.Plan(true, retry.Throttle, retry.Hint{}, 3)
	if g.Strategy != retry.ExponentialBackoff || g.BaseDelay != time.Second || g.MaxDelay != 20*time.Second || g.Delay != 4*time.Second {
		t.Errorf("throttle after attempt 3: %+v; want backoff with ceiling 4s", g)
	}
	g = retry.Plan(true, retry.Transient, retry.Hint{}, 1)
	if g.Delay != 50*time.Millisecond || g.MaxAttempts != 3 {
		t.Errorf("transient after attempt 1: %+v", g)
	}
	g = retry.Plan(true, retry.Transient, retry.Hint{Found: true, Delay: 3 * time.Second, Source: "Retry-After"}, 0)
	if g.Strategy != retry.AfterDelay || g.Delay != 3*time.Second {
		t.Errorf("hinted: %+v", g)
	}
	g = retry.Plan(true, retry.Transient, retry.Hint{}, 3)
	if g.Strategy != retry.DoNotRetry {
		t.Errorf("budget spent: %+v", g)
	}
	if c := retry.DefaultBackoff(retry.Throttle).Ceiling(10); c != 20*time.Second {
		t.Errorf("cap: %v", c)
	}
}
