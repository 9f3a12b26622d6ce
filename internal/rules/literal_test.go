package rules

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		expr string
		want []string // nil: nothing to wait for
	}{
		{`rate exceeded`, []string{"rate exceeded"}},
		{`limit of \d+`, []string{"limit of "}},
		{`(?i)Limit Of \d+`, []string{"limit of "}},
		{`(check|verify) your (wi-?fi|network)`, []string{"check your wifi", "check your wi-fi", "check your network", "verify your wifi", "verify your wi-fi", "verify your network"}},
		{`\d+\t(error|warning)\t`, []string{"\terror\t", "\twarning\t"}},
		{`(a|b) \d+`, nil},
		{`.*`, nil},
		{`(not|isn.t) available`, []string{" available"}},
	}
	for _, tc := range tests {
		got := requiredLiterals(regexp.MustCompile(tc.expr))
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("requiredLiterals(%q) = %q; want %q", tc.expr, got, want)
		}
		// Every match must contain one of the literals.
		re := regexp.MustCompile(tc.expr)
		for _, sample := range []string{"rate exceeded", "limit of 5", "please check your wi-fi now", "1\twarning\t", "not available"} {
			if re.MatchString(sample) && got != nil && !slices.ContainsFunc(got, func(l string) bool { return strings.Contains(sample, l) }) {
				t.Errorf("%q matches %q but holds none of %q", tc.expr, sample, got)
			}
		}
	}
}
