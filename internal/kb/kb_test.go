package kb_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errclass/errclass/internal/classify"
	"github.com/errclass/errclass/internal/kb"
	"github.com/errclass/errclass/internal/rulecases"
)

// TestCases runs every rule file's cases through the real engine with the
// embedded knowledge base.
func TestCases(t *testing.T) {
	set, err := kb.Load()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := rulecases.RunDir(classify.New(set), "testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures {
		t.Error(f)
	}
	t.Logf("%d cases in %d files hit %d of %d rules", rep.Cases, rep.Files, len(rep.RulesHit), set.Len())
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
