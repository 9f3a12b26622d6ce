package kb_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/errclass/errclass/internal/classify"
	"github.com/errclass/errclass/internal/kb"
)

// casesFile is the shape of testdata/<family>.cases.yaml.
type casesFile struct {
	Cases []struct {
		Name    string `yaml:"name"`
		Request struct {
			Payload    string            `yaml:"payload"`
			HTTPStatus int               `yaml:"httpStatus"`
			Headers    map[string]string `yaml:"headers"`
			GRPCCode   *int              `yaml:"grpcCode"`
			Provider   string            `yaml:"provider"`
		} `yaml:"request"`
		Want struct {
			Category  string `yaml:"category"`
			Retryable *bool  `yaml:"retryable"`
			Rule      string `yaml:"rule"`
		} `yaml:"want"`
	} `yaml:"cases"`
}

// TestCases runs every rule file's cases through the real engine with the
// embedded knowledge base.
func TestCases(t *testing.T) {
	set, err := kb.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := classify.New(set)
	files, err := filepath.Glob("testdata/*.cases.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases files: %v", err)
	}
	hit := map[string]bool{}
	total := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cf casesFile
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&cf); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, tc := range cf.Cases {
			total++
			r := tc.Request
			res, err := c.Classify(classify.Input{Payload: r.Payload, HTTPStatus: r.HTTPStatus, Headers: r.Headers, GRPCCode: r.GRPCCode, Provider: r.Provider})
			if err != nil {
				t.Errorf("%s: %s: %v", file, tc.Name, err)
				continue
			}
			hit[res.Match.RuleID] = true
			if string(res.Category) != tc.Want.Category {
				t.Errorf("%s: %s: category %s (rule %s); want %s", file, tc.Name, res.Category, res.Match.RuleID, tc.Want.Category)
			}
			if tc.Want.Retryable != nil && res.Retryable != *tc.Want.Retryable {
				t.Errorf("%s: %s: retryable %v (rule %s); want %v", file, tc.Name, res.Retryable, res.Match.RuleID, *tc.Want.Retryable)
			}
			if tc.Want.Rule != "" && res.Match.RuleID != tc.Want.Rule {
				t.Errorf("%s: %s: rule %s; want %s", file, tc.Name, res.Match.RuleID, tc.Want.Rule)
			}
		}
	}
	t.Logf("%d cases in %d files hit %d of %d rules", total, len(files), len(hit), set.Len())
}

// TestEveryRuleFileHasCases keeps the habit of a cases file beside every
// rule file.
func TestEveryRuleFileHasCases(t *testing.T) {
	rulesFiles, err := filepath.Glob("rules/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rulesFiles {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		if _, err := os.Stat(filepath.Join("testdata", name+".cases.yaml")); err != nil {
			t.Errorf("%s has no testdata/%s.cases.yaml", f, name)
		}
	}
}
