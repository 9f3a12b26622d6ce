package rules

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
)

// Set is an immutable, indexed knowledge base. Codes and statuses are map
// look-ups and all phrases are found in one Aho-Corasick pass, so the cost of
// a match stays flat as rules are added. A Set is safe for concurrent use.
type Set struct {
	rules  []*Rule
	byID   map[string]*Rule
	byCode map[string][]*Rule // lower-cased code -> code rules
	byHTTP map[int][]*Rule    // status rules by HTTP status
	byGRPC map[int][]*Rule    // status rules by gRPC code

	codePatterns []*Rule // rules for the shape of codes no code rule knows

	textRules   []*Rule
	phrases     ahocorasick.AhoCorasick
	phraseOwner [][]owner // phrase index -> the text rules it concerns
	regexRules  []int     // text rules with an expression that has no literal to wait for
}

// owner ties a phrase of the automaton to a text rule: either the phrase is
// one of the rule's own (a hit is a match) or it is a literal that the rule's
// expressions require (a hit means the expressions are worth running).
type owner struct {
	rule    int
	trigger bool
}

func newSet(all []*Rule) (*Set, []string) {
	s := &Set{
		rules:  all,
		byID:   make(map[string]*Rule, len(all)),
		byCode: map[string][]*Rule{},
		byHTTP: map[int][]*Rule{},
		byGRPC: map[int][]*Rule{},
	}
	var (
		phraseIndex = map[string]int{}
		dictionary  []string
	)
	for i, r := range all {
		r.order = i
		s.byID[r.ID] = r
		switch r.Kind() {
		case KindCode:
			for _, c := range r.Codes {
				k := strings.ToLower(c)
				s.byCode[k] = append(s.byCode[k], r)
			}
		case KindCodePattern:
			s.codePatterns = append(s.codePatterns, r)
		case KindText:
			ti := len(s.textRules)
			s.textRules = append(s.textRules, r)
			addPhrase := func(p string, o owner) {
				pi, ok := phraseIndex[p]
				if !ok {
					pi = len(dictionary)
					phraseIndex[p] = pi
					dictionary = append(dictionary, p)
					s.phraseOwner = append(s.phraseOwner, nil)
				}
				s.phraseOwner[pi] = append(s.phraseOwner[pi], o)
			}
			for _, p := range r.Text {
				addPhrase(p, owner{rule: ti})
			}
			always := false
			for _, re := range r.Regex {
				lits := requiredLiterals(re)
				for _, lit := range lits {
					addPhrase(lit, owner{rule: ti, trigger: true})
				}
				always = always || lits == nil
			}
			if always {
				s.regexRules = append(s.regexRules, ti)
			}
		case KindStatus:
			for _, h := range r.HTTPStatus {
				s.byHTTP[h] = append(s.byHTTP[h], r)
			}
			for _, g := range r.GRPCCode {
				s.byGRPC[g] = append(s.byGRPC[g], r)
			}
		}
	}
	// A sparse NFA: a dense DFA over a few thousand phrases costs hundreds of
	// megabytes for a few hundred nanoseconds a request.
	builder := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{MatchKind: ahocorasick.StandardMatch})
	s.phrases = builder.Build(dictionary)
	return s, s.ambiguities()
}

// ambiguities reports pairs of rules that no tie-break can order: the same
// provider, the same code or status, no further condition, equal priority.
func (s *Set) ambiguities() []string {
	var errs []string
	report := func(key string, rs []*Rule) {
		first := map[string]*Rule{}
		for _, r := range rs {
			if r.specificity != 1 {
				continue
			}
			k := fmt.Sprintf("%s|%s|%d", r.Provider, key, r.Priority)
			if prev, ok := first[k]; ok && prev != r {
				errs = append(errs, fmt.Sprintf("%s:%d: rule %s: %s is already decided by rule %s (%s:%d) for provider %q at the same priority; merge them, set a priority, or override by id",
					r.Source, r.Line, r.ID, key, prev.ID, prev.Source, prev.Line, r.Provider))
				continue
			}
			first[k] = r
		}
	}
	for _, code := range sortedKeys(s.byCode) {
		report(fmt.Sprintf("code %q", code), s.byCode[code])
	}
	for status, rs := range s.byHTTP {
		report(fmt.Sprintf("http_status %d", status), rs)
	}
	for code, rs := range s.byGRPC {
		report(fmt.Sprintf("grpc_code %d", code), rs)
	}
	sort.Strings(errs)
	return errs
}

// Len is the number of rules.
func (s *Set) Len() int { return len(s.rules) }

// Rules returns every rule in load order. The slice must not be modified.
func (s *Set) Rules() []*Rule { return s.rules }

// Rule returns the rule with this id.
func (s *Set) Rule(id string) (*Rule, bool) {
	r, ok := s.byID[id]
	return r, ok
}

// Lookup returns the rule that decides a provider code on its own, with no
// further evidence: provider "" looks among provider-independent rules. A
// code no rule names is answered by the rule for its shape, if any.
func (s *Set) Lookup(provider, code string) (*Rule, bool) {
	provider = strings.ToLower(provider)
	var best *Rule
	for _, r := range s.byCode[strings.ToLower(code)] {
		if r.Provider != provider {
			continue
		}
		if best == nil || r.specificity < best.specificity ||
			(r.specificity == best.specificity && r.Priority > best.Priority) {
			best = r
		}
	}
	if best == nil {
		// No rule names the code: say what its shape means, ranked as the
		// classifier ranks shapes, with no status or wording to go on.
		f := Facts{GRPCCode: -1}
		if m, ok := s.MatchCodePatterns([]Code{{Value: code, Provider: provider}}, &f); ok {
			best = m.Rule
		}
	}
	return best, best != nil
}

// matchesCode reports whether one of the rule's code patterns matches.
func (r *Rule) matchesCode(code string) bool {
	for _, re := range r.CodePattern {
		if re.MatchString(code) {
			return true
		}
	}
	return false
}

// opaque reports whether a code means nothing outside its provider: numbers
// such as "2063" and short codes with digits such as SQLSTATE "40P01".
func opaque(code string) bool {
	if len(code) > 6 {
		return false
	}
	for _, r := range code {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
