package classify_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/errclass/errclass/internal/classify"
	"github.com/errclass/errclass/internal/kb"
)

// corpusGlob points at the shared labeled corpora, which live beside the
// repository (../shared/corpus) on developer machines and in CI;
// ERRCLASS_CORPUS overrides it.
func corpusGlob() string {
	if g := os.Getenv("ERRCLASS_CORPUS"); g != "" {
		return g
	}
	return "../../../shared/corpus/*.jsonl"
}

// minAccuracy is the bar the engine must clear on the shared corpora, for
// category and for retryable alike.
const minAccuracy = 0.97

type corpusLine struct {
	ID      string `json:"id"`
	Request struct {
		Payload    string            `json:"payload"`
		HTTPStatus int               `json:"httpStatus"`
		Headers    map[string]string `json:"headers"`
		GRPCCode   *int              `json:"grpcCode"`
		Provider   string            `json:"provider"`
	} `json:"request"`
	Expect struct {
		Category  string `json:"category"`
		Retryable bool   `json:"retryable"`
	} `json:"expect"`
}

func loadCorpus(t testing.TB) []corpusLine {
	t.Helper()
	files, err := filepath.Glob(corpusGlob())
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files at %s (the shared corpora live in ../shared/corpus beside the repository): %v", corpusGlob(), err)
	}
	var out []corpusLine
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			var l corpusLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			out = append(out, l)
		}
		fh.Close()
	}
	return out
}

func (l corpusLine) input() classify.Input {
	r := l.Request
	return classify.Input{Payload: r.Payload, HTTPStatus: r.HTTPStatus, Headers: r.Headers, GRPCCode: r.GRPCCode, Provider: r.Provider}
}

// TestCorpus scores the whole engine on the shared corpora and fails below
// minAccuracy, printing per-category figures and every miss.
func TestCorpus(t *testing.T) {
	set, err := kb.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := classify.New(set)
	lines := loadCorpus(t)
	type tally struct{ right, total int }
	per := map[string]*tally{}
	var catOK, retryOK int
	var misses []string
	for _, l := range lines {
		res, err := c.Classify(l.input())
		if err != nil {
			t.Errorf("%s: %v", l.ID, err)
			continue
		}
		got := string(res.Category)
		tl := per[l.Expect.Category]
		if tl == nil {
			tl = &tally{}
			per[l.Expect.Category] = tl
		}
		tl.total++
		if got == l.Expect.Category {
			catOK++
			tl.right++
		}
		if res.Retryable == l.Expect.Retryable {
			retryOK++
		}
		if got != l.Expect.Category || res.Retryable != l.Expect.Retryable {
			misses = append(misses, l.ID+": got "+got+"/"+boolStr(res.Retryable)+" want "+l.Expect.Category+"/"+boolStr(l.Expect.Retryable)+" rule="+res.Match.RuleID)
		}
	}
	cats := make([]string, 0, len(per))
	for c := range per {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		t.Logf("  %-15s %3d/%-3d", c, per[c].right, per[c].total)
	}
	for _, m := range misses {
		t.Logf("miss %s", m)
	}
	n := float64(len(lines))
	catAcc, retryAcc := float64(catOK)/n, float64(retryOK)/n
	t.Logf("category_acc=%.3f retryable_acc=%.3f n=%d", catAcc, retryAcc, len(lines))
	if catAcc < minAccuracy || retryAcc < minAccuracy {
		t.Errorf("category accuracy %.3f, retryable accuracy %.3f; want both >= %.2f", catAcc, retryAcc, minAccuracy)
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
