package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Source is one place rule files come from: the embedded knowledge base or an
// operator's rules directory. Files are read in name order.
type Source struct {
	// Name prefixes file names in errors and in Rule.Source ("embedded", a path).
	Name string
	FS   fs.FS
}

// DirSource reads every *.yaml file of a directory on disk.
func DirSource(dir string) Source {
	return Source{Name: dir, FS: os.DirFS(dir)}
}

// LoadError lists every problem found while loading rule files, each with
// file, line and rule id.
type LoadError struct {
	Problems []string
}

func (e *LoadError) Error() string {
	if len(e.Problems) == 1 {
		return "invalid rules: " + e.Problems[0]
	}
	return fmt.Sprintf("invalid rules (%d problems):\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// Load reads, validates and compiles the rule files of every source, in
// order. A rule whose id was defined by an earlier source replaces it (that
// is how operators override the embedded knowledge base); within one source
// ids must be unique. Either every file is valid and a new Set is returned, or
// a *LoadError lists every problem.
func Load(sources ...Source) (*Set, error) {
	var (
		problems []string
		all      []*Rule
		byID     = map[string]int{}
	)
	for _, src := range sources {
		if _, err := fs.Stat(src.FS, "."); err != nil {
			return nil, fmt.Errorf("rules source %s: %w", src.Name, err)
		}
		names, err := fs.Glob(src.FS, "*.yaml")
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", src.Name, err)
		}
		sort.Strings(names)
		seen := map[string]string{}
		for _, name := range names {
			file := path.Join(src.Name, name)
			rules, errs := loadFile(src.FS, name, file)
			problems = append(problems, errs...)
			for _, r := range rules {
				if prev, dup := seen[r.ID]; dup {
					problems = append(problems, fmt.Sprintf("%s:%d: rule %s: duplicate id (first defined at %s)", r.Source, r.Line, r.ID, prev))
					continue
				}
				seen[r.ID] = fmt.Sprintf("%s:%d", r.Source, r.Line)
				if i, ok := byID[r.ID]; ok {
					all[i] = r // an override keeps the position of the rule it replaces
					continue
				}
				byID[r.ID] = len(all)
				all = append(all, r)
			}
		}
	}
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	set, errs := newSet(all)
	if len(errs) > 0 {
		return nil, &LoadError{Problems: errs}
	}
	return set, nil
}

// loadFile decodes one file strictly and compiles its rules.
func loadFile(fsys fs.FS, name, file string) ([]*Rule, []string) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, []string{fmt.Sprintf("%s: %v", file, err)}
	}
	var doc fileYAML
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, []string{fmt.Sprintf("%s: file is empty", file)}
		}
		return nil, []string{fmt.Sprintf("%s: %s", file, strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	lines := ruleLines(data)
	var (
		out  []*Rule
		errs []string
	)
	if len(doc.Rules) == 0 {
		errs = append(errs, fmt.Sprintf("%s: no rules", file))
	}
	for i, y := range doc.Rules {
		line := 0
		if i < len(lines) {
			line = lines[i]
		}
		r, problems := compile(y, doc.Provider, doc.Docs)
		for _, p := range problems {
			errs = append(errs, fmt.Sprintf("%s:%d: rule %s: %s", file, line, orUnnamed(y.ID), p))
		}
		if len(problems) == 0 {
			r.Source, r.Line = file, line
			out = append(out, r)
		}
	}
	return out, errs
}

// ruleLines returns the line of each entry of the top-level rules list.
func ruleLines(data []byte) []int {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "rules" {
			var lines []int
			for _, n := range m.Content[i+1].Content {
				lines = append(lines, n.Line)
			}
			return lines
		}
	}
	return nil
}

func orUnnamed(id string) string {
	if id == "" {
		return "(no id)"
	}
	return id
}
