package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/errclass/errclass/internal/taxonomy"
)

// Rule is one validated, compiled knowledge-base entry.
type Rule struct {
	ID          string
	Description string
	// Provider is the provider the rule applies to; "" applies to all.
	Provider string
	Priority int

	Codes       []string
	CodePattern []*regexp.Regexp
	Text        []string // lower-cased phrases
	Regex       []*regexp.Regexp
	HTTPStatus  []int
	GRPCCode    []int
	NoResponse  bool
	Category    taxonomy.Category
	Reason      string
	Retryable   bool
	Fault       taxonomy.Fault
	Severity    taxonomy.Severity
	UserMessage string
	Actions     []taxonomy.Action
	Overrides   []taxonomy.Category
	Docs        string

	// Source and Line say where the rule was defined.
	Source string
	Line   int

	specificity int // number of condition kinds the rule sets
	order       int // position in load order, the last tie-break
}

// Kind is how a rule is matched, derived from its conditions.
type Kind int

// The rule kinds, in the order the engine consults them.
const (
	KindCode        Kind = iota + 1 // has codes
	KindCodePattern                 // has code_pattern: the shape of a code no code rule knows
	KindText                        // has text or regex, no codes
	KindStatus                      // only HTTP status or gRPC code
)

// Kind tells how the rule is matched.
func (r *Rule) Kind() Kind {
	switch {
	case len(r.Codes) > 0:
		return KindCode
	case len(r.CodePattern) > 0:
		return KindCodePattern
	case len(r.Text) > 0 || len(r.Regex) > 0:
		return KindText
	default:
		return KindStatus
	}
}

// overrides reports whether this text rule beats a code rule of category c.
func (r *Rule) overrides(c taxonomy.Category) bool {
	for _, o := range r.Overrides {
		if o == c {
			return true
		}
	}
	return false
}

// compileCaseless compiles an expression that matches regardless of case.
// Rules only ever run on lower-cased text, so an expression without upper-case
// letters is already case-insensitive there, and skipping the (?i) flag lets
// the regexp engine compare bytes instead of folding every rune.
func compileCaseless(expr string) (*regexp.Regexp, error) {
	if strings.ToLower(expr) == expr {
		return regexp.Compile(expr)
	}
	return regexp.Compile("(?i)" + expr)
}

var (
	idPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	reasonPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

// compile validates one decoded rule and turns it into a Rule. It returns
// every problem it finds, not only the first.
func compile(y ruleYAML, fileProvider, fileDocs string) (*Rule, []string) {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	r := &Rule{
		ID:          y.ID,
		Description: strings.TrimSpace(y.Description),
		Provider:    strings.ToLower(fileProvider),
		Priority:    y.Priority,
		Reason:      y.Reason,
		NoResponse:  y.Match.NoResponse,
		UserMessage: strings.TrimSpace(y.UserMessage),
		Docs:        y.Docs,
	}
	if y.Provider != nil {
		r.Provider = strings.ToLower(*y.Provider)
	}
	if r.Docs == "" {
		r.Docs = fileDocs
	}
	if !idPattern.MatchString(y.ID) {
		bad("id %q must match %s", y.ID, idPattern)
	}
	if r.Description == "" {
		bad("description is required")
	}
	for _, c := range y.Match.Codes {
		if strings.TrimSpace(c) == "" {
			bad("match.codes has an empty code")
			continue
		}
		r.Codes = append(r.Codes, strings.TrimSpace(c))
	}
	for _, expr := range y.Match.CodePattern {
		// Codes keep their case: NotFound and notfound are spelt apart by
		// conventions, so patterns say (?i) themselves when they mean it.
		re, err := regexp.Compile(expr)
		if err != nil {
			bad("match.code_pattern %q: %v", expr, err)
			continue
		}
		r.CodePattern = append(r.CodePattern, re)
	}
	if len(r.Codes) > 0 && len(r.CodePattern) > 0 {
		bad("match.codes and match.code_pattern exclude each other: put known codes and code shapes in two rules")
	}
	for _, t := range y.Match.Text {
		if len(strings.TrimSpace(t)) < 3 {
			bad("match.text phrase %q is too short to be telling", t)
			continue
		}
		r.Text = append(r.Text, strings.ToLower(t))
	}
	for _, expr := range y.Match.Regex {
		re, err := compileCaseless(expr)
		if err != nil {
			bad("match.regex %q: %v", expr, err)
			continue
		}
		r.Regex = append(r.Regex, re)
	}
	for _, s := range y.Match.HTTPStatus {
		if s < 100 || s > 599 {
			bad("match.http_status %d is not an HTTP status (100-599)", s)
			continue
		}
		r.HTTPStatus = append(r.HTTPStatus, s)
	}
	for _, name := range y.Match.GRPCCode {
		n, ok := taxonomy.GRPCCodeByName(name)
		if !ok || n == 0 {
			bad("match.grpc_code %q is not a gRPC error code name", name)
			continue
		}
		r.GRPCCode = append(r.GRPCCode, n)
	}
	for _, set := range []bool{len(r.Codes)+len(r.CodePattern) > 0, len(r.Text)+len(r.Regex) > 0, len(r.HTTPStatus) > 0, len(r.GRPCCode) > 0} {
		if set {
			r.specificity++
		}
	}
	if r.specificity == 0 && len(errs) == 0 {
		bad("match needs at least one of codes, code_pattern, text, regex, http_status, grpc_code")
	}

	var err error
	if r.Category, err = taxonomy.ParseCategory(y.Category); err != nil {
		bad("category: %v", err)
	}
	if y.Retryable == nil {
		bad("retryable is required (true or false)")
	} else {
		r.Retryable = *y.Retryable
	}
	if !reasonPattern.MatchString(y.Reason) {
		bad("reason %q must be UPPER_SNAKE_CASE", y.Reason)
	}
	if r.Fault, err = taxonomy.ParseFault(y.Fault); err != nil {
		bad("fault: %v", err)
	}
	if r.Severity, err = taxonomy.ParseSeverity(y.Severity); err != nil {
		bad("severity: %v", err)
	}
	if r.UserMessage == "" {
		bad("user_message is required")
	}
	for _, a := range []taxonomy.Action{
		{Audience: taxonomy.EndUser, Text: y.Actions.EndUser},
		{Audience: taxonomy.Developer, Text: y.Actions.Developer},
		{Audience: taxonomy.Support, Text: y.Actions.Support},
		{Audience: taxonomy.Operations, Text: y.Actions.Operations},
	} {
		if a.Text = strings.TrimSpace(a.Text); a.Text != "" {
			r.Actions = append(r.Actions, a)
		}
	}
	if y.Actions.Developer == "" {
		bad("actions.developer is required")
	}
	for _, o := range y.Overrides {
		c, err := taxonomy.ParseCategory(o)
		if err != nil {
			bad("overrides: %v", err)
			continue
		}
		r.Overrides = append(r.Overrides, c)
	}
	if len(r.Overrides) > 0 && r.Kind() != KindText {
		bad("overrides is only meaningful on text rules (rules without codes)")
	}
	return r, errs
}
