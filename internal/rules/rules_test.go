package rules_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/errclass/errclass/internal/rules"
	"github.com/errclass/errclass/internal/taxonomy"
)

// source serves testdata files under the names given.
func source(t *testing.T, name string, files ...string) rules.Source {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, f := range files {
		data, err := os.ReadFile("testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		fsys[f] = &fstest.MapFile{Data: data}
	}
	return rules.Source{Name: name, FS: fsys}
}

func TestLoadBadFiles(t *testing.T) {
	tests := []struct {
		file string
		want []string // every one must appear in the error
	}{
		{"unknown-field.bad.yaml", []string{"t/unknown-field.bad.yaml", "line 5", "field code not found"}},
		{"bad-values.bad.yaml", []string{
			"t/bad-values.bad.yaml:14: rule Acme Bad: id \"Acme Bad\" must match",
			"description is required",
			"match.regex \"(unclosed\"",
			"match.http_status 42 is not an HTTP status",
			"match.grpc_code \"NOT_A_CODE\"",
			`unknown category "RATE_LIMITED"`,
			"retryable is required",
			`reason "lower case" must be UPPER_SNAKE_CASE`,
			`unknown fault "SOMEONE"`,
			`unknown severity "LOUD"`,
			"user_message is required",
			"actions.developer is required",
			"t/bad-values.bad.yaml:26: rule acme.nomatch: match needs at least one of",
		}},
		{"duplicate-id.bad.yaml", []string{"t/duplicate-id.bad.yaml:12: rule acme.twice: duplicate id (first defined at t/duplicate-id.bad.yaml:2)"}},
		{"ambiguous.bad.yaml", []string{"rule acme.second", `code "clash" is already decided by rule acme.first`}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, err := rules.Load(source(t, "t", tc.file))
			if err == nil {
				t.Fatal("loaded without error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoadMissingDir(t *testing.T) {
	if _, err := rules.Load(rules.DirSource(t.TempDir() + "/nope")); err == nil {
		t.Error("a missing rules directory loaded without error")
	}
}

func TestMatching(t *testing.T) {
	set, err := rules.Load(source(t, "t", "valid.good.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		codes    []rules.Code
		facts    rules.Facts
		wantCode string // rule id of the code match, "" for none
		wantText string
		wantStat string
	}{
		{name: "code", codes: []rules.Code{{Value: "TooManyCalls", Provider: "acme"}}, wantCode: "acme.throttled"},
		{name: "code is case-insensitive", codes: []rules.Code{{Value: "throttled", Provider: "acme"}}, wantCode: "acme.throttled"},
		{name: "refinement is more specific", codes: []rules.Code{{Value: "Throttled", Provider: "acme"}},
			facts: rules.Facts{Text: "you reached the limit of 5 widgets"}, wantCode: "acme.quota.fixed", wantText: ""},
		{name: "first code that matches decides", codes: []rules.Code{{Value: "Nope", Provider: "acme"}, {Value: "Forbidden", Provider: "acme"}}, wantCode: "acme.forbidden"},
		{name: "wording", facts: rules.Facts{Text: "the token has expired"}, wantText: "acme.token.wording"},
		{name: "status", facts: rules.Facts{HTTPStatus: 503}, wantStat: "acme.status.503"},
		{name: "status of another provider does not apply", facts: rules.Facts{HTTPStatus: 503, Providers: []string{"other"}}},
		{name: "code of another provider still applies", codes: []rules.Code{{Value: "Forbidden", Provider: "other"}}, wantCode: "acme.forbidden"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.facts
			if f.GRPCCode == 0 {
				f.GRPCCode = -1
			}
			if f.Providers == nil {
				f.Providers = []string{"acme"}
			}
			m, _ := set.MatchCodes(tc.codes, &f)
			if got := ruleID(m); got != tc.wantCode {
				t.Errorf("code match %q; want %q", got, tc.wantCode)
			}
			m, _ = set.MatchText(&f)
			if got := ruleID(m); got != tc.wantText {
				t.Errorf("text match %q; want %q", got, tc.wantText)
			}
			m, _ = set.MatchStatus(&f)
			if got := ruleID(m); got != tc.wantStat {
				t.Errorf("status match %q; want %q", got, tc.wantStat)
			}
		})
	}
	token, _ := set.Rule("acme.token.wording")
	forbidden, _ := set.Rule("acme.forbidden")
	throttled, _ := set.Rule("acme.throttled")
	if !rules.Overrides(token, forbidden) || rules.Overrides(token, throttled) {
		t.Error("overrides: token wording must beat PERMISSION and only PERMISSION")
	}
}

func TestOverrideByID(t *testing.T) {
	set, err := rules.Load(source(t, "kb", "valid.good.yaml"), source(t, "local", "override.good.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := set.Rule("acme.throttled")
	if !ok || r.Category != taxonomy.Server || r.Source != "local/override.good.yaml" {
		t.Fatalf("override not applied: %+v", r)
	}
	if set.Len() != 5 {
		t.Errorf("%d rules; an override must replace, not add", set.Len())
	}
	if got, _ := set.Lookup("acme", "TooManyCalls"); got != nil {
		t.Errorf("the overridden rule's other codes still match: %s", got.ID)
	}
}

func ruleID(m rules.Match) string {
	if m.Rule == nil {
		return ""
	}
	return m.Rule.ID
}

func TestLookupFallsBackToCodeShape(t *testing.T) {
	set, err := rules.Load(rules.Source{Name: "t", FS: fstest.MapFS{"shapes.yaml": &fstest.MapFile{Data: []byte(`rules:
  - id: acme.not_found
    description: Acme's own not-found shape.
    provider: acme
    match: {code_pattern: ['NotFound$']}
    category: NOT_FOUND
    reason: ACME
    retryable: false
    fault: CLIENT
    severity: WARNING
    user_message: x
    actions: {developer: x}
  - id: generic.not_found
    description: Generic not-found shape, higher priority.
    priority: 50
    match: {code_pattern: ['NotFound$']}
    category: NOT_FOUND
    reason: GENERIC
    retryable: false
    fault: CLIENT
    severity: WARNING
    user_message: x
    actions: {developer: x}
`)}}})
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := set.Lookup("acme", "WidgetNotFound"); !ok || r.ID != "acme.not_found" {
		t.Errorf("acme lookup: %v; want the provider's own shape rule", r)
	}
	if r, ok := set.Lookup("", "WidgetNotFound"); !ok || r.ID != "generic.not_found" {
		t.Errorf("generic lookup: %v", r)
	}
	if _, ok := set.Lookup("acme", "Widget"); ok {
		t.Error("a code of no known shape was found")
	}
}
