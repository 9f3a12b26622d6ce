// Command errclass is the offline twin of errclassd: it classifies a payload
// from a file or stdin with the embedded knowledge base, and checks rule
// files the way the server loads them.
//
//	errclass classify [--status N] [--provider P] [--header K=V]... [FILE|-]
//	errclass check-rules [--cases DIR] [DIR...]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/errclass/errclass/internal/classify"
	"github.com/errclass/errclass/internal/kb"
	"github.com/errclass/errclass/internal/rulecases"
	"github.com/errclass/errclass/internal/rules"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "errclass:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  errclass classify [--status N] [--grpc-code N] [--provider P] [--header K=V]... [FILE|-]
  errclass check-rules [--cases DIR] [DIR...]
                                  check the embedded rules plus extra rule directories,
                                  and run the *.cases.yaml files of --cases against them`

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "classify":
		return classifyCmd(args[1:], stdin, stdout)
	case "check-rules":
		return checkRules(args[1:], stdout)
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

func checkRules(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check-rules", flag.ContinueOnError)
	casesDir := fs.String("cases", "", "directory of *.cases.yaml files to run against the rules")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var extra []rules.Source
	for _, d := range fs.Args() {
		extra = append(extra, rules.DirSource(d))
	}
	set, err := kb.Load(extra...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %d rules\n", set.Len())
	if *casesDir == "" {
		return nil
	}
	rep, err := rulecases.RunDir(classify.New(set), *casesDir)
	if err != nil {
		return err
	}
	for _, f := range rep.Failures {
		fmt.Fprintln(stdout, "FAIL", f)
	}
	fmt.Fprintf(stdout, "cases: %d passed, %d failed (%d files, %d of %d rules hit)\n",
		rep.Cases-len(rep.Failures), len(rep.Failures), rep.Files, len(rep.RulesHit), set.Len())
	if len(rep.Failures) > 0 {
		return fmt.Errorf("%d cases failed", len(rep.Failures))
	}
	return nil
}

// headerFlags collects repeated --header K=V flags.
type headerFlags map[string]string

func (h headerFlags) String() string { return fmt.Sprint(map[string]string(h)) }

func (h headerFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("header %q: want NAME=VALUE", v)
	}
	h[k] = val
	return nil
}

func classifyCmd(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	status := fs.Int("status", 0, "HTTP status that came with the payload")
	grpcCode := fs.Int("grpc-code", -1, "gRPC status code that came with the payload (0-16)")
	provider := fs.String("provider", "", "provider hint (aws, stripe, google ...)")
	rulesDir := fs.String("rules-dir", "", "extra rule files that add to or override the embedded ones")
	headers := headerFlags{}
	fs.Var(headers, "header", "response header NAME=VALUE (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	in := stdin
	if name := fs.Arg(0); name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	payload, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	var extra []rules.Source
	if *rulesDir != "" {
		extra = append(extra, rules.DirSource(*rulesDir))
	}
	set, err := kb.Load(extra...)
	if err != nil {
		return err
	}
	input := classify.Input{Payload: string(payload), HTTPStatus: *status, Headers: headers, Provider: *provider}
	if *grpcCode >= 0 {
		input.GRPCCode = grpcCode
	}
	res, err := classify.New(set).Classify(input)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
