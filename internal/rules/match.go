package rules

import (
	"strings"

	"github.com/errclass/errclass/internal/taxonomy"
)

// Facts is what the matcher knows of one request, prepared once by the caller.
type Facts struct {
	// Providers are the request's providers, lower-case: the caller's hint and
	// the detected ones.
	Providers []string
	// HTTPStatus is the response status; 0 when no response came with it.
	HTTPStatus int
	// GRPCCode is the gRPC status code; -1 when there is none.
	GRPCCode int
	// Text is the lower-cased message text that text rules read.
	Text string
}

// Code is one provider code found in a payload.
type Code struct {
	Value string
	// Provider is the provider whose shape the code came from ("" = unknown).
	Provider string
	// Class marks an exception class name read from a stack trace
	// (MongoServerError), which code rules may know but whose shape says
	// little: code patterns skip it.
	Class bool
}

// Match is a rule that matched and, for code rules, the code it matched.
type Match struct {
	Rule *Rule
	// Code is the code that matched, for code rules.
	Code string
}

// provider fit, best last: a rule of another provider (only for codes that
// mean the same everywhere), a provider-independent rule, a rule of one of
// the request's providers.
const (
	fitNone = iota - 1
	fitOther
	fitGeneric
	fitOwn
)

func (f *Facts) fit(r *Rule, codeProvider string) int {
	if r.Provider == "" {
		return fitGeneric
	}
	if r.Provider == codeProvider {
		return fitOwn
	}
	for _, p := range f.Providers {
		if p == r.Provider {
			return fitOwn
		}
	}
	return fitOther
}

// holds checks the conditions of a rule other than its codes and provider.
// Text conditions are checked here too, except for text rules, whose
// phrases were already found by the Aho-Corasick pass.
func (f *Facts) holds(r *Rule, checkText bool) bool {
	if r.NoResponse && f.HTTPStatus != 0 {
		return false
	}
	if len(r.HTTPStatus) > 0 && !containsInt(r.HTTPStatus, f.HTTPStatus) {
		return false
	}
	if len(r.GRPCCode) > 0 && !containsInt(r.GRPCCode, f.GRPCCode) {
		return false
	}
	if checkText && (len(r.Text) > 0 || len(r.Regex) > 0) && !f.textMatches(r) {
		return false
	}
	return true
}

func (f *Facts) textMatches(r *Rule) bool {
	for _, p := range r.Text {
		if strings.Contains(f.Text, p) {
			return true
		}
	}
	for _, re := range r.Regex {
		if re.MatchString(f.Text) {
			return true
		}
	}
	return false
}

// better orders two candidates: provider fit, then specificity, then
// priority, then load order.
func better(r *Rule, fit int, best *Rule, bestFit int) bool {
	if best == nil {
		return true
	}
	if fit != bestFit {
		return fit > bestFit
	}
	if r.specificity != best.specificity {
		return r.specificity > best.specificity
	}
	if r.Priority != best.Priority {
		return r.Priority > best.Priority
	}
	return r.order < best.order
}

// MatchCodes returns the rule for the first code that some code rule
// decides; codes come most specific first.
func (s *Set) MatchCodes(codes []Code, f *Facts) (Match, bool) {
	for _, c := range codes {
		if r := s.matchCode(c, f); r != nil {
			return Match{Rule: r, Code: c.Value}, true
		}
	}
	return Match{}, false
}

func (s *Set) matchCode(c Code, f *Facts) *Rule {
	candidates := s.byCode[strings.ToLower(c.Value)]
	if len(candidates) == 0 {
		return nil
	}
	isOpaque := opaque(c.Value)
	var (
		best     *Rule
		bestFit  = fitNone
		otherCat taxonomy.Category
		disagree bool // other providers' rules give different categories
	)
	for _, r := range candidates {
		fit := f.fit(r, c.Provider)
		if fit == fitOther && isOpaque {
			continue // numbers mean nothing outside their provider
		}
		if !f.holds(r, true) {
			continue
		}
		if fit == fitOther {
			if otherCat != "" && otherCat != r.Category {
				disagree = true
			}
			otherCat = r.Category
		}
		if better(r, fit, best, bestFit) {
			best, bestFit = r, fit
		}
	}
	// Borrowing another provider's meaning of a code is only safe when the
	// rules of other providers that apply here agree on what it means.
	if bestFit == fitOther && disagree {
		return nil
	}
	return best
}

// MatchCodePatterns returns the rule for the shape of the first code that a
// code-pattern rule recognizes (ChildNotFoundException, WAFLimitsExceeded...):
// the engine consults it when no code rule knows any of the codes. Patterns
// only apply to codes of their own provider or, for generic rules, any.
func (s *Set) MatchCodePatterns(codes []Code, f *Facts) (Match, bool) {
	for _, c := range codes {
		if c.Class || opaque(c.Value) {
			continue
		}
		var (
			best    *Rule
			bestFit = fitNone
		)
		for _, r := range s.codePatterns {
			fit := f.fit(r, c.Provider)
			if fit == fitOther || !r.matchesCode(c.Value) || !f.holds(r, true) {
				continue
			}
			if better(r, fit, best, bestFit) {
				best, bestFit = r, fit
			}
		}
		if best != nil {
			return Match{Rule: best, Code: c.Value}, true
		}
	}
	return Match{}, false
}

// MatchText returns the best text rule whose phrases or expressions occur in
// the text and whose other conditions hold.
func (s *Set) MatchText(f *Facts) (Match, bool) {
	if f.Text == "" || len(s.textRules) == 0 {
		return Match{}, false
	}
	var (
		best    *Rule
		bestFit = fitNone
	)
	consider := func(r *Rule) {
		fit := f.fit(r, "")
		if fit == fitOther || !f.holds(r, false) {
			return
		}
		if better(r, fit, best, bestFit) {
			best, bestFit = r, fit
		}
	}
	// tryRegex runs a rule's expressions on text: the whole text for rules
	// without a literal to wait for, else the window around the literal's
	// occurrence.
	tryRegex := func(r *Rule, text string) {
		if best == r || best != nil && !better(r, f.fit(r, ""), best, bestFit) {
			return // already chosen, or cannot win: skip the expressions
		}
		for _, re := range r.Regex {
			if re.MatchString(text) {
				consider(r)
				return
			}
		}
	}
	// Expressions run once per rule, on the span that covers every
	// occurrence of their literals.
	type span struct{ rule, lo, hi int }
	var spans []span
	it := s.phrases.IterOverlapping(f.Text)
	for m := it.Next(); m != nil; m = it.Next() {
		for _, o := range s.phraseOwner[m.Pattern()] {
			if !o.trigger {
				consider(s.textRules[o.rule])
				continue
			}
			found := false
			for i := range spans {
				if spans[i].rule == o.rule {
					spans[i].lo, spans[i].hi = min(spans[i].lo, m.Start()), max(spans[i].hi, m.End())
					found = true
					break
				}
			}
			if !found {
				spans = append(spans, span{o.rule, m.Start(), m.End()})
			}
		}
	}
	for _, sp := range spans {
		tryRegex(s.textRules[sp.rule], window(f.Text, sp.lo, sp.hi))
	}
	for _, ti := range s.regexRules {
		tryRegex(s.textRules[ti], f.Text)
	}
	return Match{Rule: best}, best != nil
}

// regexWindow is how far around an occurrence of its required literal an
// expression is run. Wording rules describe a phrase, not a page, so a match
// never spans more; bounding the run keeps long payloads cheap.
const regexWindow = 256

// window returns the text around [start, end), widened to word boundaries so
// that \b in an expression means what it says.
func window(text string, start, end int) string {
	lo, hi := max(0, start-regexWindow), min(len(text), end+regexWindow)
	for lo > 0 && isWordByte(text[lo-1]) {
		lo--
	}
	for hi < len(text) && isWordByte(text[hi]) {
		hi++
	}
	return text[lo:hi]
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// MatchStatus returns the best status rule for the HTTP status or gRPC code.
func (s *Set) MatchStatus(f *Facts) (Match, bool) {
	var (
		best    *Rule
		bestFit = fitNone
	)
	for _, group := range [][]*Rule{s.byHTTP[f.HTTPStatus], s.byGRPC[f.GRPCCode]} {
		for _, r := range group {
			fit := f.fit(r, "")
			if fit == fitOther || !f.holds(r, true) {
				continue
			}
			if better(r, fit, best, bestFit) {
				best, bestFit = r, fit
			}
		}
	}
	return Match{Rule: best}, best != nil
}

// Overrides reports whether text rule t beats code rule c (TAXONOMY.md
// tie-breaks 2 and 4).
func Overrides(t, c *Rule) bool {
	return t != nil && c != nil && t.overrides(c.Category)
}

// CategoryCounts counts the rules answering with each category.
func (s *Set) CategoryCounts() map[taxonomy.Category]int {
	out := map[taxonomy.Category]int{}
	for _, r := range s.rules {
		out[r.Category]++
	}
	return out
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
