# errclass — the Makefile is the contract: `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules

# Tools are pinned and built into ./bin, so a fresh clone needs only Go.
BIN := $(CURDIR)/bin
BUF_VERSION := v1.75.0
PROTOC_GEN_GO_VERSION := v1.36.12
PROTOC_GEN_GO_GRPC_VERSION := v1.6.2
GRPC_GATEWAY_VERSION := v2.33.0
GRPCURL_VERSION := v1.9.4

BUF := $(BIN)/buf
PLUGINS := $(BIN)/protoc-gen-go $(BIN)/protoc-gen-go-grpc $(BIN)/protoc-gen-grpc-gateway $(BIN)/protoc-gen-openapiv2

# The shared labeled corpora live beside the repository; Go tests read
# ERRCLASS_CORPUS (a glob) and default to the same place.
CORPUS ?= $(CURDIR)/../shared/corpus/*.jsonl
export ERRCLASS_CORPUS := $(CORPUS)

.PHONY: help
help: ## Show the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "} {printf "  %-14s %s\n", $$1, $$2}'

.PHONY: run
run: ## Run errclassd on its embedded defaults (gRPC :9090, REST :8080)
	go build -o $(BIN)/errclassd ./cmd/errclassd
	exec $(BIN)/errclassd --log-format=text

.PHONY: build
build: ## Build errclassd and the errclass CLI into ./bin
	go build -o $(BIN)/errclassd ./cmd/errclassd
	go build -o $(BIN)/errclass ./cmd/errclass

.PHONY: test
test: lint checkgenerate ## Run every check: buf lint, generated code current, go vet, rule check, tests with -race
	go vet ./...
	go run ./cmd/errclass check-rules --cases internal/kb/testdata
	go test -race -count=1 ./...

.PHONY: lint
lint: $(BUF) ## Lint the protobuf API (buf STANDARD) and check gofmt
	$(BUF) lint
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^gen/')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

.PHONY: generate
generate: $(BUF) $(PLUGINS) ## Regenerate gen/ from proto/ with the pinned local plugins
	PATH="$(BIN):$$PATH" $(BUF) generate

.PHONY: checkgenerate
checkgenerate: generate ## Fail when gen/ is not what `make generate` produces
	@if ! git diff --quiet -- gen || [ -n "$$(git ls-files --others --exclude-standard -- gen)" ]; then \
		echo "gen/ is stale: run 'make generate' and commit the result"; git status --short -- gen; exit 1; fi

.PHONY: breaking
breaking: $(BUF) ## Check the API for breaking changes against main
	$(BUF) breaking --against '.git#branch=main'

.PHONY: bench
bench: ## Benchmark the classifier alone per payload shape, then whole gRPC and REST round trips
	go test -run '^$$' -bench . -benchmem ./internal/classify/ ./internal/app/

.PHONY: score
score: ## Score a running server on the shared corpora (make run first)
	../shared/tools/score-corpus $(CORPUS)

.PHONY: tools
tools: $(BUF) $(PLUGINS) $(BIN)/grpcurl ## Install the pinned tools into ./bin

$(BIN)/buf:
	GOBIN=$(BIN) go install github.com/bufbuild/buf/cmd/buf@$(BUF_VERSION)
$(BIN)/protoc-gen-go:
	GOBIN=$(BIN) go install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
$(BIN)/protoc-gen-go-grpc:
	GOBIN=$(BIN) go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GO_GRPC_VERSION)
$(BIN)/protoc-gen-grpc-gateway:
	GOBIN=$(BIN) go install github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway@$(GRPC_GATEWAY_VERSION)
$(BIN)/protoc-gen-openapiv2:
	GOBIN=$(BIN) go install github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2@$(GRPC_GATEWAY_VERSION)
$(BIN)/grpcurl:
	GOBIN=$(BIN) go install github.com/fullstorydev/grpcurl/cmd/grpcurl@$(GRPCURL_VERSION)
