// Package retry turns a verdict and the hints a response carries into retry
// guidance: how to retry, after how long, and how many attempts to spend.
package retry

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Strategy says how to retry.
type Strategy string

// The strategies.
const (
	DoNotRetry         Strategy = "DO_NOT_RETRY"
	ExponentialBackoff Strategy = "EXPONENTIAL_BACKOFF"
	AfterDelay         Strategy = "AFTER_DELAY"
	ResignAndRetry     Strategy = "RESIGN_AND_RETRY"
)

// Kind is the kind of failure, which sets the backoff defaults.
type Kind int

// The kinds.
const (
	Transient Kind = iota // server and network failures, transient conflicts
	Throttle              // rate limits: back off longer
)

// Backoff is a capped exponential backoff with full jitter, as the AWS SDKs
// use: attempt n waits a random time in [0, min(Max, Base*2^n)).
type Backoff struct {
	Base        time.Duration
	Max         time.Duration
	MaxAttempts int
}

// DefaultBackoff gives the defaults per kind: transient failures start at
// 50 ms, throttling at 1 s, both capped at 20 s (the AWS SDKs' standard
// mode); throttles get a larger attempt budget because they clear with time.
func DefaultBackoff(k Kind) Backoff {
	if k == Throttle {
		return Backoff{Base: time.Second, Max: 20 * time.Second, MaxAttempts: 5}
	}
	return Backoff{Base: 50 * time.Millisecond, Max: 20 * time.Second, MaxAttempts: 3}
}

// Ceiling is the upper bound of the wait before retry number n (0-based).
func (b Backoff) Ceiling(n int) time.Duration {
	if n > 30 {
		return b.Max
	}
	d := time.Duration(float64(b.Base) * math.Pow(2, float64(n)))
	if d > b.Max || d <= 0 {
		return b.Max
	}
	return d
}

// Guidance is the advice an answer carries.
type Guidance struct {
	Strategy    Strategy
	Delay       time.Duration
	BaseDelay   time.Duration
	MaxDelay    time.Duration
	MaxAttempts int
	DelaySource string
}

// Plan builds guidance. attempt is the 1-based number of the attempt that
// failed (0 when unknown); hint is a server-given delay (zero when none).
func Plan(retryable bool, k Kind, hint Hint, attempt int) Guidance {
	if !retryable {
		return Guidance{Strategy: DoNotRetry, DelaySource: "not retryable"}
	}
	b := DefaultBackoff(k)
	g := Guidance{
		Strategy:    ExponentialBackoff,
		BaseDelay:   b.Base,
		MaxDelay:    b.Max,
		MaxAttempts: b.MaxAttempts,
		Delay:       b.Ceiling(max(attempt-1, 0)),
		DelaySource: "default",
	}
	if hint.Found {
		g.Strategy, g.Delay, g.DelaySource = AfterDelay, hint.Delay, hint.Source
	}
	if attempt >= b.MaxAttempts {
		g.Strategy, g.Delay, g.DelaySource = DoNotRetry, 0, "attempt budget of "+strconv.Itoa(b.MaxAttempts)+" spent"
	}
	return g
}

// Hint is a retry delay the response asked for.
type Hint struct {
	Found  bool
	Delay  time.Duration
	Source string
	// ShouldRetry is a provider's explicit verdict (Stripe-Should-Retry);
	// nil when the response gives none.
	ShouldRetry *bool
}

// Hints reads every retry hint of a response, most authoritative first:
// headers lower-cased, payloadDelay a delay from the body (Google RetryInfo
// "1.5s"), now the caller's clock. The longest stated delay wins, so that no
// hint is violated.
func Hints(h map[string]string, payloadDelay string, now time.Time) Hint {
	var out Hint
	take := func(d time.Duration, src string) {
		if d < 0 {
			return
		}
		if !out.Found || d > out.Delay {
			out.Found, out.Delay, out.Source = true, d, src
		}
	}
	if v := h["retry-after"]; v != "" {
		if d, ok := parseRetryAfter(v, h["date"], now); ok {
			take(d, "Retry-After")
		}
	}
	if v := h["x-amz-retry-after"]; v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil {
			take(time.Duration(ms*float64(time.Millisecond)), "x-amz-retry-after")
		}
	}
	if v := h["grpc-retry-pushback-ms"]; v != "" {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
			take(time.Duration(ms)*time.Millisecond, "grpc-retry-pushback-ms")
		}
	}
	if payloadDelay != "" {
		if d, err := time.ParseDuration(payloadDelay); err == nil {
			take(d, "RetryInfo")
		}
	}
	if h["x-ratelimit-remaining"] == "0" {
		if reset, err := strconv.ParseInt(h["x-ratelimit-reset"], 10, 64); err == nil {
			take(time.Unix(reset, 0).Sub(now).Round(time.Second), "x-ratelimit-reset")
		}
	}
	if v := h["x-amzn-ratelimit-limit"]; v != "" && !out.Found {
		// SP-API states the sustained rate (requests per second) of the
		// operation; one request's worth of time is the least wait.
		if rate, err := strconv.ParseFloat(v, 64); err == nil && rate > 0 {
			take(time.Duration(float64(time.Second)/rate), "x-amzn-RateLimit-Limit")
		}
	}
	if v := strings.ToLower(h["stripe-should-retry"]); v == "true" || v == "false" {
		b := v == "true"
		out.ShouldRetry = &b
	}
	return out
}

// parseRetryAfter reads delta-seconds or an HTTP-date (RFC 9110 10.2.3); a
// date is measured against the response's Date header when there is one.
func parseRetryAfter(v, date string, now time.Time) (time.Duration, bool) {
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	at, err := time.Parse(time.RFC1123, v)
	if err != nil {
		return 0, false
	}
	ref := now
	if d, err := time.Parse(time.RFC1123, date); err == nil {
		ref = d
	}
	d := at.Sub(ref)
	if d < 0 {
		d = 0
	}
	return d, true
}
