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
		// Any child's set will do; take the one whose shortest literal is
		// longest, as it triggers least often.
		var best []string
		for _, sub := range r.Sub {
			if l := literalsOf(sub); l != nil && (best == nil || shortest(l) > shortest(best)) {
				best = l
			}
		}
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

func shortest(lits []string) int {
	n := -1
	for _, l := range lits {
		if n < 0 || len(l) < n {
			n = len(l)
		}
	}
	return n
}
