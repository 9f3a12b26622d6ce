package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClassifyFromStdin(t *testing.T) {
	var out bytes.Buffer
	in := strings.NewReader(`{"__type":"com.amazon.coral.service#ThrottlingException","message":"Rate exceeded"}`)
	if err := run([]string{"classify", "--status", "400", "--header", "x-amzn-RequestId=abc-123"}, in, &out); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Category  string
		Retryable bool
		RequestID string
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if res.Category != "RATE_LIMIT" || !res.Retryable || res.RequestID != "abc-123" {
		t.Errorf("got %+v", res)
	}
}

func TestCheckRules(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"check-rules", "--cases", "../../internal/kb/testdata"}, nil, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), " 0 failed") {
		t.Errorf("output: %s", out.String())
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("rules:\n  - id: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run([]string{"check-rules", dir}, nil, &out)
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:2: rule x") {
		t.Errorf("bad rules dir: %v", err)
	}
	if err := run([]string{"nope"}, nil, &out); err == nil {
		t.Error("unknown command accepted")
	}
}
