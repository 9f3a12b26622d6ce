// Package kb is errclass's embedded knowledge base: one YAML rule file per
// provider family under rules/, with test cases beside them under testdata/.
package kb

import (
	"embed"
	"io/fs"

	"github.com/errclass/errclass/internal/rules"
)

//go:embed rules/*.yaml
var files embed.FS

// Source returns the embedded rule files as a rules source.
func Source() rules.Source {
	sub, err := fs.Sub(files, "rules")
	if err != nil {
		panic(err) // the directory is embedded at build time; this cannot fail
	}
	return rules.Source{Name: "kb", FS: sub}
}

// Load compiles the embedded knowledge base followed by any extra sources
// (an operator's rules directory), whose rules override embedded ones by id.
func Load(extra ...rules.Source) (*rules.Set, error) {
	return rules.Load(append([]rules.Source{Source()}, extra...)...)
}
