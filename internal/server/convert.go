package server

import (
	"strings"

	"google.golang.org/protobuf/types/known/durationpb"

	errclassv1 "github.com/errclass/errclass/gen/errclass/v1"
	"github.com/errclass/errclass/internal/classify"
	"github.com/errclass/errclass/internal/retry"
	"github.com/errclass/errclass/internal/rules"
	"github.com/errclass/errclass/internal/taxonomy"
)

// The domain packages name their enums in plain strings; the API's enum
// values are the same names with a prefix, so conversion is a map lookup.

func toCategory(c taxonomy.Category) errclassv1.Category {
	return errclassv1.Category(errclassv1.Category_value["CATEGORY_"+string(c)])
}

func fromCategory(c errclassv1.Category) taxonomy.Category {
	return taxonomy.Category(strings.TrimPrefix(c.String(), "CATEGORY_"))
}

func toFault(f taxonomy.Fault) errclassv1.Fault {
	return errclassv1.Fault(errclassv1.Fault_value["FAULT_"+string(f)])
}

func toSeverity(s taxonomy.Severity) errclassv1.Severity {
	return errclassv1.Severity(errclassv1.Severity_value["SEVERITY_"+string(s)])
}

func toActions(actions []taxonomy.Action) []*errclassv1.Action {
	out := make([]*errclassv1.Action, 0, len(actions))
	for _, a := range actions {
		out = append(out, &errclassv1.Action{
			Audience: errclassv1.Audience(errclassv1.Audience_value["AUDIENCE_"+string(a.Audience)]),
			Text:     a.Text,
		})
	}
	return out
}

func toRetry(g retry.Guidance) *errclassv1.RetryGuidance {
	out := &errclassv1.RetryGuidance{
		Strategy:    errclassv1.RetryStrategy(errclassv1.RetryStrategy_value["RETRY_STRATEGY_"+string(g.Strategy)]),
		MaxAttempts: int32(g.MaxAttempts),
		DelaySource: g.DelaySource,
	}
	if g.Strategy != retry.DoNotRetry {
		out.Delay = durationpb.New(g.Delay)
	}
	if g.BaseDelay > 0 {
		out.BaseDelay = durationpb.New(g.BaseDelay)
		out.MaxDelay = durationpb.New(g.MaxDelay)
	}
	return out
}

// toInput turns an API request into classifier input.
func toInput(req *errclassv1.ClassifyRequest) classify.Input {
	in := classify.Input{
		Payload:    req.GetPayload(),
		HTTPStatus: int(req.GetHttpStatus()),
		Headers:    req.GetHeaders(),
		Provider:   req.GetProvider(),
		Operation:  req.GetOperation(),
		Attempt:    int(req.GetAttempt()),
	}
	if req.GrpcCode != nil {
		code := int(req.GetGrpcCode())
		in.GRPCCode = &code
	}
	return in
}

// toNormalized turns a classifier result into the API's answer.
func toNormalized(r classify.Result) *errclassv1.NormalizedError {
	out := &errclassv1.NormalizedError{
		Category:    toCategory(r.Category),
		Reason:      r.Reason,
		Retryable:   r.Retryable,
		Retry:       toRetry(r.Retry),
		Fault:       toFault(r.Fault),
		Severity:    toSeverity(r.Severity),
		Actions:     toActions(r.Actions),
		UserMessage: r.UserMessage,
		Escalation: &errclassv1.Escalation{
			Target:    errclassv1.EscalationTarget(errclassv1.EscalationTarget_value["ESCALATION_TARGET_"+string(r.Escalation.Target)]),
			Immediate: r.Escalation.Immediate,
			Guidance:  r.Escalation.Guidance,
		},
		Provider:    r.Provider,
		Code:        r.Code,
		Message:     r.Message,
		HttpStatus:  int32(r.HTTPStatus),
		RequestId:   r.RequestID,
		Fingerprint: r.Fingerprint,
		Confidence:  r.Confidence,
		MatchedRule: &errclassv1.MatchedRule{
			Id:       r.Match.RuleID,
			Kind:     errclassv1.MatchKind(errclassv1.MatchKind_value["MATCH_KIND_"+string(r.Match.Kind)]),
			Evidence: r.Match.Evidence,
			Source:   r.Match.Source,
		},
		DocsUrl: r.DocsURL,
		Shape:   r.Shape,
	}
	if r.GRPCCode >= 0 {
		code := int32(r.GRPCCode)
		out.GrpcCode = &code
	}
	return out
}

// toRule describes a knowledge-base rule.
func toRule(r *rules.Rule) *errclassv1.Rule {
	out := &errclassv1.Rule{
		Id:          r.ID,
		Description: r.Description,
		Provider:    r.Provider,
		Priority:    int32(r.Priority),
		Codes:       r.Codes,
		Text:        r.Text,
		Category:    toCategory(r.Category),
		Reason:      r.Reason,
		Retryable:   r.Retryable,
		Fault:       toFault(r.Fault),
		Severity:    toSeverity(r.Severity),
		UserMessage: r.UserMessage,
		Actions:     toActions(r.Actions),
		DocsUrl:     r.Docs,
		Source:      r.Source,
		NoResponse:  r.NoResponse,
	}
	for _, re := range r.Regex {
		out.Regex = append(out.Regex, strings.TrimPrefix(re.String(), "(?i)"))
	}
	for _, re := range r.CodePattern {
		out.CodePatterns = append(out.CodePatterns, re.String())
	}
	for _, s := range r.HTTPStatus {
		out.HttpStatuses = append(out.HttpStatuses, int32(s))
	}
	for _, g := range r.GRPCCode {
		out.GrpcCodes = append(out.GrpcCodes, taxonomy.GRPCCodeName(g))
	}
	return out
}
