// Package rulecases runs the test cases that sit beside rule files: each case
// is a request and the answer it must get. `go test` and `errclass
// check-rules --cases` run them the same way.
package rulecases

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/errclass/errclass/internal/classify"
)

// File is the shape of a <family>.cases.yaml file.
type File struct {
	Cases []Case `yaml:"cases"`
}

// Case is one request and what its answer must be.
type Case struct {
	Name    string  `yaml:"name"`
	Request Request `yaml:"request"`
	Want    Want    `yaml:"want"`
}

// Request is a ClassifyRequest in its proto3 JSON names.
type Request struct {
	Payload    string            `yaml:"payload"`
	HTTPStatus int               `yaml:"httpStatus"`
	Headers    map[string]string `yaml:"headers"`
	GRPCCode   *int              `yaml:"grpcCode"`
	Provider   string            `yaml:"provider"`
}

// Want is the expected answer; empty fields are not checked.
type Want struct {
	Category  string `yaml:"category"`
	Retryable *bool  `yaml:"retryable"`
	Rule      string `yaml:"rule"`
}

// Report sums up a run.
type Report struct {
	Files, Cases int
	Failures     []string
	// RulesHit are the ids of the rules that decided some case.
	RulesHit map[string]bool
}

// RunDir runs every *.cases.yaml file of dir against the classifier.
func RunDir(c *classify.Classifier, dir string) (Report, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.cases.yaml"))
	if err != nil {
		return Report{}, err
	}
	if len(files) == 0 {
		return Report{}, fmt.Errorf("no *.cases.yaml files in %s", dir)
	}
	rep := Report{RulesHit: map[string]bool{}}
	for _, f := range files {
		if err := runFile(c, f, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func runFile(c *classify.Classifier, file string, rep *Report) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var cf File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cf); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	rep.Files++
	for _, tc := range cf.Cases {
		rep.Cases++
		r := tc.Request
		res, err := c.Classify(classify.Input{Payload: r.Payload, HTTPStatus: r.HTTPStatus, Headers: r.Headers, GRPCCode: r.GRPCCode, Provider: r.Provider})
		if err != nil {
			rep.Failures = append(rep.Failures, fmt.Sprintf("%s: %s: %v", file, tc.Name, err))
			continue
		}
		rep.RulesHit[res.Match.RuleID] = true
		fail := func(format string, args ...any) {
			rep.Failures = append(rep.Failures, fmt.Sprintf("%s: %s: ", file, tc.Name)+fmt.Sprintf(format, args...))
		}
		if tc.Want.Category != "" && string(res.Category) != tc.Want.Category {
			fail("category %s (rule %s); want %s", res.Category, res.Match.RuleID, tc.Want.Category)
		}
		if tc.Want.Retryable != nil && res.Retryable != *tc.Want.Retryable {
			fail("retryable %v (rule %s); want %v", res.Retryable, res.Match.RuleID, *tc.Want.Retryable)
		}
		if tc.Want.Rule != "" && res.Match.RuleID != tc.Want.Rule {
			fail("rule %s; want %s", res.Match.RuleID, tc.Want.Rule)
		}
	}
	return nil
}
