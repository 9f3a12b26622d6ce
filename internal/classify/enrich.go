package classify

import (
	"math"
	"strings"
	"time"

	"github.com/errclass/errclass/internal/extract"
	"github.com/errclass/errclass/internal/fingerprint"
	"github.com/errclass/errclass/internal/retry"
	"github.com/errclass/errclass/internal/taxonomy"
)

// clockSkewThreshold is how far the server's clock may be from ours before a
// signature or expiry error is taken for clock skew (the AWS SDKs use 4 min).
const clockSkewThreshold = 4 * time.Minute

// unknownActions are the next steps when nothing matched.
var unknownActions = []taxonomy.Action{
	{Audience: taxonomy.EndUser, Text: "Try again later; if it keeps happening, contact support."},
	{Audience: taxonomy.Developer, Text: "errclass found no known code, status or wording in this payload. Log the raw payload and add a rule for it (see ListRules and --rules-dir)."},
}

// enrich turns a decision into the full answer.
func enrich(d decision, ev *extract.Evidence, in Input, now time.Time) Result {
	r := Result{
		Category:   taxonomy.Unknown,
		Reason:     "UNRECOGNIZED",
		Fault:      taxonomy.FaultUnknown,
		Severity:   taxonomy.SeverityWarning,
		Actions:    unknownActions,
		Message:    ev.Message,
		HTTPStatus: ev.HTTPStatus,
		GRPCCode:   ev.GRPCCode,
		RequestID:  ev.RequestID,
		Confidence: d.confidence,
		Shape:      ev.Shape,
		Code:       d.code,
		Match:      MatchInfo{Kind: d.kind, Evidence: d.evidence},
		UserMessage: "Something went wrong. Please try again later, " +
			"and contact support if it keeps happening.",
	}
	if len(ev.Providers) > 0 {
		r.Provider = ev.Providers[0]
	}
	if r.Code == "" && len(ev.Codes) > 0 {
		r.Code = ev.Codes[0].Value
	}
	if rule := d.rule; rule != nil {
		r.Category, r.Reason, r.Retryable = rule.Category, rule.Reason, rule.Retryable
		r.Fault, r.Severity, r.Actions = rule.Fault, rule.Severity, rule.Actions
		r.UserMessage, r.DocsURL = rule.UserMessage, rule.Docs
		r.Match.RuleID, r.Match.Source = rule.ID, rule.Source
		if rule.Provider != "" && r.Provider == "" {
			r.Provider = rule.Provider
		}
	}

	hint := retry.Hints(ev.Headers, ev.RetryDelay, now)
	resign := r.Reason == "CLOCK_SKEW"
	if r.Category == taxonomy.Authentication && !resign && skewed(ev, now) && signatureRelated(r) {
		r.Reason, r.Retryable, resign = "CLOCK_SKEW", true, true
		r.Match.Evidence = append(r.Match.Evidence, "request time more than 4 minutes off the server's clock")
	}
	if hint.ShouldRetry != nil && r.Category != taxonomy.Unknown {
		r.Retryable = *hint.ShouldRetry
		r.Match.Evidence = append(r.Match.Evidence, "Stripe-Should-Retry header")
	}
	if r.Category == taxonomy.Payment && ev.AdviceCode != "" {
		if retryable, ok := adviceRetryable(ev.AdviceCode); ok {
			r.Retryable = retryable
			r.Match.Evidence = append(r.Match.Evidence, "advice code "+ev.AdviceCode)
		}
	}

	kind := retry.Transient
	if r.Category == taxonomy.RateLimit {
		kind = retry.Throttle
	}
	r.Retry = retry.Plan(r.Retryable, kind, hint, in.Attempt)
	if resign && r.Retryable {
		r.Retry.Strategy, r.Retry.Delay, r.Retry.DelaySource = retry.ResignAndRetry, 0, "clock skew: re-sign with a corrected clock"
	}
	r.Escalation = escalation(r)
	r.Fingerprint = fingerprint.Of(r.Provider, r.Code, in.Operation, r.Message)
	return r
}

// skewed reports whether the payload or the Date header shows the caller's
// clock more than clockSkewThreshold off.
func skewed(ev *extract.Evidence, now time.Time) bool {
	if ev.ClockSkewSeconds > clockSkewThreshold.Seconds() {
		return true
	}
	date, err := time.Parse(time.RFC1123, ev.Headers["date"])
	if err != nil {
		return false
	}
	return math.Abs(now.Sub(date).Seconds()) > clockSkewThreshold.Seconds()
}

// signatureRelated reports errors that a skewed clock causes: signature
// mismatches and expired or not-yet-valid signed requests.
func signatureRelated(r Result) bool {
	s := strings.ToLower(r.Reason + " " + r.Code)
	for _, w := range []string{"signature", "expired", "skew", "authfailure", "request_time"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// adviceRetryable reads advice codes that settle whether a declined payment
// may be retried: Stripe's advice_code and the card networks' merchant advice
// codes.
func adviceRetryable(code string) (bool, bool) {
	switch strings.ToLower(code) {
	case "try_again_later", "02", "24", "25", "26", "27", "28", "29", "30":
		return true, true
	case "do_not_try_again", "confirm_card_data", "01", "03", "21":
		return false, true
	}
	return false, false
}

// escalation decides who to tell when the error persists.
func escalation(r Result) Escalation {
	reason := r.Reason
	switch {
	case strings.Contains(reason, "FRAUD") || strings.Contains(reason, "STOLEN") ||
		strings.Contains(reason, "LOST_CARD") || strings.Contains(reason, "PICKUP") ||
		strings.Contains(reason, "BLACKLIST") || strings.Contains(reason, "SECURITY_VIOLATION"):
		return Escalation{Target: EscalateSecurity, Immediate: true,
			Guidance: "Route to fraud review; do not retry and do not tell the customer the decline reason."}
	case r.Severity == taxonomy.SeverityCritical:
		return Escalation{Target: EscalateOperations, Immediate: true,
			Guidance: "Page the on-call operators now" + withRequestID(r) + "."}
	case r.Fault == taxonomy.FaultServer || r.Fault == taxonomy.FaultUpstream:
		target := EscalateProvider
		if r.Provider == "" {
			target = EscalateOperations
		}
		return Escalation{Target: target,
			Guidance: "If it persists after the retries, open a ticket with the provider" + withRequestID(r) + " and the time of the failure."}
	case r.Category == taxonomy.Network && !r.Retryable:
		return Escalation{Target: EscalateOperations,
			Guidance: "Fix the endpoint's DNS name or certificate trust; retries will not help."}
	case r.Category == taxonomy.RateLimit && !r.Retryable:
		return Escalation{Target: EscalateOperations,
			Guidance: "Request a quota or limit increase, or reduce usage; retries will not help."}
	case r.Category == taxonomy.Unknown:
		return Escalation{Target: EscalateDeveloper,
			Guidance: "Unrecognized error: capture the payload so a rule can be added."}
	case r.Retryable:
		return Escalation{Target: EscalateNone, Guidance: "Handled by retrying; escalate to operations only if the attempt budget keeps running out."}
	case r.Fault == taxonomy.FaultClient && (r.Category == taxonomy.Payment || r.Category == taxonomy.Inventory):
		return Escalation{Target: EscalateNone, Guidance: "The end user resolves this; support helps when asked."}
	}
	return Escalation{Target: EscalateDeveloper, Guidance: "The calling code or its configuration must change before the request can succeed."}
}

func withRequestID(r Result) string {
	if r.RequestID == "" {
		return ""
	}
	return ", quoting request id " + r.RequestID
}
