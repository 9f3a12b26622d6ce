// Package classify is the errclass pipeline: extract evidence from a raw
// payload, match it against one immutable rule snapshot, decide by the
// TAXONOMY.md tie-breaks, and enrich the answer with retry guidance,
// escalation and a fingerprint. It knows nothing of gRPC or HTTP, so the
// server, the CLI and the benchmarks all use it directly.
package classify

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/errclass/errclass/internal/extract"
	"github.com/errclass/errclass/internal/retry"
	"github.com/errclass/errclass/internal/rules"
	"github.com/errclass/errclass/internal/taxonomy"
)

// Input is one raw error as the caller received it.
type Input struct {
	Payload    string
	HTTPStatus int
	Headers    map[string]string
	// GRPCCode is nil when no gRPC status came with the payload.
	GRPCCode  *int
	Provider  string
	Operation string
	Attempt   int
}

// ErrInvalidInput marks inputs that cannot be classified; the error text
// names the field.
var ErrInvalidInput = errors.New("invalid input")

// Validate checks the ranges of the numeric fields.
func (in Input) Validate() error {
	if in.HTTPStatus != 0 && (in.HTTPStatus < 100 || in.HTTPStatus > 599) {
		return fmt.Errorf("%w: http_status %d is not an HTTP status (100-599, or 0 for none)", ErrInvalidInput, in.HTTPStatus)
	}
	if in.GRPCCode != nil && (*in.GRPCCode < 0 || *in.GRPCCode > 16) {
		return fmt.Errorf("%w: grpc_code %d is not a gRPC status code (0-16)", ErrInvalidInput, *in.GRPCCode)
	}
	if in.Attempt < 0 {
		return fmt.Errorf("%w: attempt %d must not be negative", ErrInvalidInput, in.Attempt)
	}
	return nil
}

// Result is the normalized error.
type Result struct {
	Category    taxonomy.Category
	Reason      string
	Retryable   bool
	Retry       retry.Guidance
	Fault       taxonomy.Fault
	Severity    taxonomy.Severity
	Actions     []taxonomy.Action
	UserMessage string
	Escalation  Escalation

	Provider   string
	Code       string
	Message    string
	HTTPStatus int
	GRPCCode   int // -1 when none
	RequestID  string

	Fingerprint string
	Confidence  float64
	Match       MatchInfo
	DocsURL     string
	Shape       string
}

// Escalation says who to involve when the error persists.
type Escalation struct {
	Target    EscalationTarget
	Immediate bool
	Guidance  string
}

// EscalationTarget is who to tell.
type EscalationTarget string

// The escalation targets.
const (
	EscalateNone       EscalationTarget = "NONE"
	EscalateDeveloper  EscalationTarget = "DEVELOPER"
	EscalateOperations EscalationTarget = "OPERATIONS"
	EscalateProvider   EscalationTarget = "PROVIDER"
	EscalateSecurity   EscalationTarget = "SECURITY"
)

// MatchKind is the kind of evidence that decided.
type MatchKind string

// The match kinds.
const (
	MatchCode        MatchKind = "CODE"
	MatchCodePattern MatchKind = "CODE_PATTERN"
	MatchText        MatchKind = "TEXT"
	MatchStatus      MatchKind = "STATUS"
	MatchNone        MatchKind = "NONE"
)

// MatchInfo names the deciding rule and its evidence.
type MatchInfo struct {
	RuleID   string
	Kind     MatchKind
	Evidence []string
	Source   string
}

// Classifier classifies inputs against the current rule snapshot. Swapping
// the snapshot (on reload) never disturbs a classification in flight: each
// call pins the snapshot it started with.
type Classifier struct {
	set atomic.Pointer[rules.Set]
	now func() time.Time
}

// New returns a classifier serving the given rules.
func New(set *rules.Set) *Classifier {
	c := &Classifier{now: time.Now}
	c.set.Store(set)
	return c
}

// WithClock replaces the clock used for retry dates and clock skew; tests
// use it to be deterministic.
func (c *Classifier) WithClock(now func() time.Time) *Classifier {
	c.now = now
	return c
}

// Rules returns the current snapshot.
func (c *Classifier) Rules() *rules.Set { return c.set.Load() }

// Swap installs a new snapshot, as a reload does.
func (c *Classifier) Swap(set *rules.Set) { c.set.Store(set) }

// Classify classifies one input. Invalid input gives an error wrapping
// ErrInvalidInput; anything else gives an answer, UNKNOWN when nothing in the
// payload supports a category.
func (c *Classifier) Classify(in Input) (Result, error) {
	if err := in.Validate(); err != nil {
		return Result{}, err
	}
	grpcCode := -1
	if in.GRPCCode != nil && *in.GRPCCode != 0 {
		grpcCode = *in.GRPCCode
	}
	ev := extract.Extract(extract.Request{
		Payload:    in.Payload,
		HTTPStatus: in.HTTPStatus,
		Headers:    in.Headers,
		GRPCCode:   grpcCode,
		Provider:   in.Provider,
	})
	d := decide(c.set.Load(), ev)
	return enrich(d, ev, in, c.now()), nil
}
