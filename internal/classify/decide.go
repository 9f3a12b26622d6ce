package classify

import (
	"fmt"

	"github.com/errclass/errclass/internal/extract"
	"github.com/errclass/errclass/internal/rules"
	"github.com/errclass/errclass/internal/taxonomy"
)

// decision is the rule that won and why.
type decision struct {
	rule       *rules.Rule // nil when nothing matched
	kind       MatchKind
	code       string
	evidence   []string
	confidence float64
}

// Confidence by the kind of evidence that decided.
const (
	confidenceCode         = 0.95
	confidenceTextOverCode = 0.9
	confidenceCodePattern  = 0.85
	confidenceTextStatus   = 0.85
	confidenceText         = 0.75
	confidenceStatus       = 0.6
	confidenceNone         = 0.1
)

// decide applies the TAXONOMY.md tie-breaks: a provider code beats wording
// and statuses unless a wording rule is declared to override its category
// (credentials wording over a permission code, card wording over a
// validation code); the shape of a code nobody names comes next, yielding to
// its provider's own wording; wording beats a bare status; a status beats
// nothing.
func decide(set *rules.Set, ev *extract.Evidence) decision {
	facts := rules.Facts{
		Providers:  ev.Providers,
		HTTPStatus: ev.HTTPStatus,
		GRPCCode:   ev.GRPCCode,
		Text:       ev.Text,
	}
	codeMatch, haveCode := set.MatchCodes(ev.Codes, &facts)
	kind, codeConfidence, codeWhat := MatchCode, confidenceCode, "code %q"
	if !haveCode {
		// No rule knows the codes; the shape of a code still says much
		// (FooNotFoundException), more than wording or a bare status.
		codeMatch, haveCode = set.MatchCodePatterns(ev.Codes, &facts)
		kind, codeConfidence, codeWhat = MatchCodePattern, confidenceCodePattern, "shape of code %q"
	}
	textMatch, haveText := set.MatchText(&facts)
	statusMatch, haveStatus := set.MatchStatus(&facts)
	if haveCode && kind == MatchCodePattern && haveText && textMatch.Rule.Provider != "" {
		// A provider's own wording rule is deliberate knowledge; a code's
		// shape is a convention. The wording wins.
		haveCode = false
	}

	statusEvidence := statusEvidence(ev)
	switch {
	case haveCode && haveText && rules.Overrides(textMatch.Rule, codeMatch.Rule):
		return decision{
			rule: textMatch.Rule, kind: MatchText, code: codeMatch.Code, confidence: confidenceTextOverCode,
			evidence: append([]string{fmt.Sprintf("wording of rule %s overrides code %q (%s)", textMatch.Rule.ID, codeMatch.Code, codeMatch.Rule.Category)}, statusEvidence...),
		}
	case haveCode:
		return decision{
			rule: codeMatch.Rule, kind: kind, code: codeMatch.Code, confidence: codeConfidence,
			evidence: append([]string{fmt.Sprintf(codeWhat, codeMatch.Code)}, statusEvidence...),
		}
	case haveText:
		conf := confidenceText
		if haveStatus && statusMatch.Rule.Category == textMatch.Rule.Category {
			conf = confidenceTextStatus
		}
		return decision{
			rule: textMatch.Rule, kind: MatchText, confidence: conf,
			evidence: append([]string{"wording matched rule " + textMatch.Rule.ID}, statusEvidence...),
		}
	case haveStatus:
		return decision{rule: statusMatch.Rule, kind: MatchStatus, confidence: confidenceStatus, evidence: statusEvidence}
	}
	return decision{kind: MatchNone, confidence: confidenceNone}
}

func statusEvidence(ev *extract.Evidence) []string {
	var out []string
	if ev.HTTPStatus != 0 {
		out = append(out, fmt.Sprintf("http_status %d", ev.HTTPStatus))
	}
	if ev.GRPCCode >= 0 {
		out = append(out, "grpc_code "+taxonomy.GRPCCodeName(ev.GRPCCode))
	}
	return out
}
