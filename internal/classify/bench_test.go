package classify_test

import (
	"sort"
	"testing"

	"github.com/errclass/errclass/internal/classify"
	"github.com/errclass/errclass/internal/extract"
)

// BenchmarkClassify measures the classifier alone (no gRPC) over the corpus
// payloads, one sub-benchmark per payload shape; each op classifies one
// payload, cycling through the shape's payloads.
func BenchmarkClassify(b *testing.B) {
	c := newClassifier(b)
	byShape := map[string][]classify.Input{}
	var all []classify.Input
	for _, l := range loadCorpus(b) {
		in := l.input()
		code := -1
		if in.GRPCCode != nil {
			code = *in.GRPCCode
		}
		shape := extract.Extract(extract.Request{Payload: in.Payload, HTTPStatus: in.HTTPStatus, Headers: in.Headers, GRPCCode: code, Provider: in.Provider}).Shape
		byShape[shape] = append(byShape[shape], in)
		all = append(all, in)
	}
	shapes := make([]string, 0, len(byShape))
	for s := range byShape {
		shapes = append(shapes, s)
	}
	sort.Strings(shapes)
	run := func(name string, inputs []classify.Input) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := c.Classify(inputs[i%len(inputs)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("all", all)
	for _, s := range shapes {
		run(s, byShape[s])
	}
}
