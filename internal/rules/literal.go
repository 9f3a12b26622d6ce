package rules

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// minLiteral is the shortest literal worth waiting for: shorter ones occur in
// almost every text.
const minLiteral = 3

// requiredLiterals returns lower-cased literals one of which every match of
// re must contain, or nil when there is no such set. Text rules' expressions
// wait for one of their literals in the one Aho-Corasick pass instead of
// running on every request, which keeps the cost flat as expressions are
// added.
func requiredLiterals(re *regexp.Regexp) []string {
	parsed, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	lits := literalsOf(parsed.Simplify())
	for i, l := range lits {
		lits[i] = strings.ToLower(l)
	}
	return lits
}

// literalsOf returns a set of literals one of which every match contains.
func literalsOf(r *syntax.Regexp) []string {
	switch r.Op {
	case syntax.OpLiteral:
		if len(string(r.Rune)) >= minLiteral {
			return []string{string(r.Rune)}
		}
	case syntax.OpCapture, syntax.OpPlus:
		return literalsOf(r.Sub[0])
	case syntax.OpRepeat:
		if r.Min >= 1 {
			return literalsOf(r.Sub[0])
		}
	case syntax.OpConcat:
		// Any candidate set will do; take the one whose shortest literal is
		// longest, as it triggers least often. Runs of children that match
		// only fixed strings join into longer literals: "check your
		// (wifi|network)" waits for "check your wifi" or "check your network".
		var best []string
		consider := func(l []string) {
			if l != nil && shortest(l) >= minLiteral && (best == nil || shortest(l) > shortest(best)) {
				best = l
			}
		}
		var run []string // cross product of the current run of fixed children
		for _, sub := range r.Sub {
			if fixed, ok := fixedStrings(sub); ok {
				if run == nil {
					run = fixed
				} else if next := product(run, fixed); next != nil {
					run = next
				} else {
					consider(run)
					run = fixed
				}
				continue
			}
			consider(run)
			run = nil
			consider(literalsOf(sub))
		}
		consider(run)
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range r.Sub {
			l := literalsOf(sub)
			if l == nil {
				return nil // one branch can match without a literal
			}
			all = append(all, l...)
		}
		return all
	}
	return nil
}

// maxFixed bounds the strings one fixed run may stand for, so that a run of
// alternations does not blow up the automaton.
const maxFixed = 64

// fixedStrings returns every string r can match when that is a small finite
// set: literals, alternations and optional parts of them.
func fixedStrings(r *syntax.Regexp) ([]string, bool) {
	switch r.Op {
	case syntax.OpLiteral:
		return []string{string(r.Rune)}, true
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpCapture:
		return fixedStrings(r.Sub[0])
	case syntax.OpQuest:
		sub, ok := fixedStrings(r.Sub[0])
		if !ok || len(sub)+1 > maxFixed {
			return nil, false
		}
		return append([]string{""}, sub...), true
	case syntax.OpCharClass:
		// Small classes such as [ -] or [sz].
		var out []string
		for i := 0; i+1 < len(r.Rune); i += 2 {
			for c := r.Rune[i]; c <= r.Rune[i+1]; c++ {
				if out = append(out, string(c)); len(out) > 4 {
					return nil, false
				}
			}
		}
		return out, len(out) > 0
	case syntax.OpAlternate:
		var out []string
		for _, sub := range r.Sub {
			l, ok := fixedStrings(sub)
			if !ok || len(out)+len(l) > maxFixed {
				return nil, false
			}
			out = append(out, l...)
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range r.Sub {
			l, ok := fixedStrings(sub)
			if !ok {
				return nil, false
			}
			if out = product(out, l); out == nil {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// product joins every string of a with every string of b, or returns nil
// when there would be more than maxFixed.
func product(a, b []string) []string {
	if len(a)*len(b) > maxFixed {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

func shortest(lits []string) int {
	n := -1
	for _, l := range lits {
		if n < 0 || len(l) < n {
			n = len(l)
		}
	}
	return n
}
