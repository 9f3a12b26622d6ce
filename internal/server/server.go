// Package server implements the errclass gRPC API: it converts requests to
// classifier input, results and rules to protobuf, and domain errors to gRPC
// statuses. It holds no classification logic.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	errclassv1 "github.com/errclass/errclass/gen/errclass/v1"
	"github.com/errclass/errclass/internal/classify"
	"github.com/errclass/errclass/internal/rules"
	"github.com/errclass/errclass/internal/taxonomy"
)

// MaxBatch is the most requests one ClassifyBatch may carry.
const MaxBatch = 1000

// Observer is told of every answer, for metrics.
type Observer func(classify.Result)

// Server is the ClassifierService implementation.
type Server struct {
	errclassv1.UnimplementedClassifierServiceServer
	classifier *classify.Classifier
	observe    Observer
}

var _ errclassv1.ClassifierServiceServer = (*Server)(nil)

// New returns a server answering with the classifier; observe may be nil.
func New(c *classify.Classifier, observe Observer) *Server {
	if observe == nil {
		observe = func(classify.Result) {}
	}
	return &Server{classifier: c, observe: observe}
}

func (s *Server) classify(req *errclassv1.ClassifyRequest) (*errclassv1.ClassifyResponse, error) {
	if req == nil {
		return nil, fmt.Errorf("%w: request is required", classify.ErrInvalidInput)
	}
	res, err := s.classifier.Classify(toInput(req))
	if err != nil {
		return nil, err
	}
	s.observe(res)
	return &errclassv1.ClassifyResponse{Normalized: toNormalized(res)}, nil
}

// Classify classifies one payload.
func (s *Server) Classify(_ context.Context, req *errclassv1.ClassifyRequest) (*errclassv1.ClassifyResponse, error) {
	resp, err := s.classify(req)
	if err != nil {
		return nil, toStatus(err)
	}
	return resp, nil
}

// ClassifyBatch classifies many payloads, answering in request order. One
// invalid request fails the batch with the index of the culprit.
func (s *Server) ClassifyBatch(ctx context.Context, req *errclassv1.ClassifyBatchRequest) (*errclassv1.ClassifyBatchResponse, error) {
	if n := len(req.GetRequests()); n > MaxBatch {
		return nil, status.Errorf(codes.InvalidArgument, "requests: %d items exceed the batch limit of %d", n, MaxBatch)
	}
	out := &errclassv1.ClassifyBatchResponse{Responses: make([]*errclassv1.ClassifyResponse, 0, len(req.GetRequests()))}
	for i, r := range req.GetRequests() {
		if err := ctx.Err(); err != nil {
			return nil, status.FromContextError(err).Err()
		}
		resp, err := s.classify(r)
		if err != nil {
			return nil, toStatus(fmt.Errorf("requests[%d]: %w", i, err))
		}
		out.Responses = append(out.Responses, resp)
	}
	return out, nil
}

// ClassifyStream answers each item of a stream in order. A bad item gets an
// error answer; the stream goes on.
func (s *Server) ClassifyStream(stream errclassv1.ClassifierService_ClassifyStreamServer) error {
	for {
		item, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		out := &errclassv1.ClassifyStreamResponse{Id: item.GetId()}
		resp, err := s.classify(item.GetRequest())
		if err != nil {
			st := toStatus(err)
			out.Error = &errclassv1.ItemError{Code: grpcCodeName(status.Code(st)), Message: status.Convert(st).Message()}
		} else {
			out.Response = resp
		}
		if err := stream.Send(out); err != nil {
			return err
		}
	}
}

// ListCategories lists the categories with their meaning and rule counts.
func (s *Server) ListCategories(context.Context, *errclassv1.ListCategoriesRequest) (*errclassv1.ListCategoriesResponse, error) {
	counts := s.classifier.Rules().CategoryCounts()
	out := &errclassv1.ListCategoriesResponse{}
	for _, c := range taxonomy.Categories() {
		out.Categories = append(out.Categories, &errclassv1.CategoryInfo{
			Category:    toCategory(c.Category),
			Name:        string(c.Category),
			Description: c.Description,
			RuleCount:   int32(counts[c.Category]),
		})
	}
	return out, nil
}

// ListRules lists rules, filtered by provider and category, a page at a time.
func (s *Server) ListRules(_ context.Context, req *errclassv1.ListRulesRequest) (*errclassv1.ListRulesResponse, error) {
	size := int(req.GetPageSize())
	switch {
	case size < 0:
		return nil, status.Errorf(codes.InvalidArgument, "page_size %d must not be negative", size)
	case size == 0:
		size = 100
	case size > 1000:
		size = 1000
	}
	start := 0
	if tok := req.GetPageToken(); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 {
			return nil, status.Errorf(codes.InvalidArgument, "page_token %q is not a token this server issued", tok)
		}
		start = n
	}
	provider := strings.ToLower(req.GetProvider())
	var matched []*rules.Rule
	for _, r := range s.classifier.Rules().Rules() {
		if provider != "" && r.Provider != provider && !(provider == "generic" && r.Provider == "") {
			continue
		}
		if req.GetCategory() != errclassv1.Category_CATEGORY_UNSPECIFIED && r.Category != fromCategory(req.GetCategory()) {
			continue
		}
		matched = append(matched, r)
	}
	out := &errclassv1.ListRulesResponse{TotalSize: int32(len(matched))}
	end := min(start+size, len(matched))
	for i := start; i < end; i++ {
		out.Rules = append(out.Rules, toRule(matched[i]))
	}
	if end < len(matched) {
		out.NextPageToken = strconv.Itoa(end)
	}
	return out, nil
}

// GetRule returns one rule by id.
func (s *Server) GetRule(_ context.Context, req *errclassv1.GetRuleRequest) (*errclassv1.GetRuleResponse, error) {
	if req.GetId() == "" {
		return nil, status.Error(codes.InvalidArgument, "id is required")
	}
	r, ok := s.classifier.Rules().Rule(req.GetId())
	if !ok {
		return nil, status.Errorf(codes.NotFound, "no rule with id %q", req.GetId())
	}
	return &errclassv1.GetRuleResponse{Rule: toRule(r)}, nil
}

// LookupCode returns the rule that decides one provider code on its own.
func (s *Server) LookupCode(_ context.Context, req *errclassv1.LookupCodeRequest) (*errclassv1.LookupCodeResponse, error) {
	if req.GetCode() == "" {
		return nil, status.Error(codes.InvalidArgument, "code is required")
	}
	provider := req.GetProvider()
	if strings.EqualFold(provider, "generic") {
		provider = ""
	}
	r, ok := s.classifier.Rules().Lookup(provider, req.GetCode())
	if !ok {
		return nil, status.Errorf(codes.NotFound, "no rule for code %q of provider %q", req.GetCode(), req.GetProvider())
	}
	return &errclassv1.LookupCodeResponse{Rule: toRule(r)}, nil
}

// toStatus maps domain errors to gRPC statuses: bad input is
// INVALID_ARGUMENT naming the field, anything else is INTERNAL.
func toStatus(err error) error {
	if errors.Is(err, classify.ErrInvalidInput) {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.Error(codes.Internal, err.Error())
}

// grpcCodeName spells a code as the API documents it: "INVALID_ARGUMENT".
func grpcCodeName(c codes.Code) string {
	return taxonomy.GRPCCodeName(int(c))
}
