// Package extract recognizes the shape of a raw error payload (AWS JSON or
// XML, SP-API errors[], Stripe, Google, GraphQL, HTML pages, SDK exception
// strings, log lines ...) and pulls out what the classifier needs: codes,
// message, statuses, request id, retry hints and the text that wording rules
// read. It parses each payload once and knows nothing of rules.
package extract

import (
	"strings"

	"github.com/errclass/errclass/internal/rules"
)

// Request is the raw error as the caller received it.
type Request struct {
	Payload    string
	HTTPStatus int
	// Headers are the response headers; Extract lower-cases their names.
	Headers map[string]string
	// GRPCCode is the gRPC status that came with it; -1 when none.
	GRPCCode int
	// Provider is the caller's hint, "" when absent.
	Provider string
}

// Evidence is everything extracted from one request.
type Evidence struct {
	// Shape names the detected payload shape ("aws-json", "html", "text" ...).
	Shape string
	// Providers are the hinted and detected providers, hint first.
	Providers []string
	// Codes are the provider codes found, most specific first.
	Codes []rules.Code
	// Message is the main human-readable error message.
	Message string
	// Text is the lower-cased text that wording rules read.
	Text string
	// HTTPStatus is the request's status or, failing that, one the payload
	// states; 0 when none.
	HTTPStatus int
	// GRPCCode is the request's gRPC code or one printed in the payload; -1
	// when none.
	GRPCCode int
	// RequestID is the provider's request id, for support tickets.
	RequestID string
	// Headers are the request headers with lower-cased names.
	Headers map[string]string
	// RetryDelay is a retry delay stated inside the payload (Google
	// RetryInfo "1.5s"), "" when none.
	RetryDelay string
	// AdviceCode is a card-network or Stripe advice code, "" when none.
	AdviceCode string
	// ClockSkewSeconds is the request/server time difference a payload states
	// (S3 RequestTime/ServerTime), 0 when none.
	ClockSkewSeconds float64
}

// anyProvider marks codes that mean the same whoever sent them (libc and
// Node.js error codes), so that the payload's provider is not pinned on them.
const anyProvider = "*"

// builder collects evidence while the shape parsers run.
type builder struct {
	ev        Evidence
	text      strings.Builder
	seenCodes map[string]bool
	provider  string // provider detected from the payload's shape
	xml       string // the XML shape, when the payload is XML
	message   string
	msgPrio   int
}

func (b *builder) addText(s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if b.text.Len() > 0 {
		b.text.WriteByte('\n')
	}
	b.text.WriteString(s)
}

// addCode records a code from the payload; provider "" means the payload's
// detected provider, decided at the end.
func (b *builder) addCode(code, provider string) {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 100 {
		return
	}
	// The same code seen twice (an SDK string names it in two places) counts
	// once, with the provider of its first sighting.
	key := code
	if b.seenCodes[key] {
		return
	}
	if b.seenCodes == nil {
		b.seenCodes = map[string]bool{}
	}
	b.seenCodes[key] = true
	b.ev.Codes = append(b.ev.Codes, rules.Code{Value: code, Provider: provider})
	// Wording rules may key on a code's shape too (FBA_INB_0182).
	b.addText(code)
}

// addClass records an exception class name read from a stack trace.
func (b *builder) addClass(name string) {
	n := len(b.ev.Codes)
	b.addCode(name, "")
	if len(b.ev.Codes) > n {
		b.ev.Codes[n].Class = true
	}
}

// addMessage offers a message; prio orders the fields that carry one (0 is
// "message" itself), and the first message of the best field wins.
func (b *builder) addMessage(m string, prio int) {
	if m = strings.TrimSpace(m); m != "" && (b.message == "" || prio < b.msgPrio) {
		b.message, b.msgPrio = m, prio
	}
}

func (b *builder) setProvider(p string) {
	if b.provider == "" {
		b.provider = p
	}
}

func (b *builder) setStatus(s int) {
	if b.ev.HTTPStatus == 0 && s >= 100 && s <= 599 {
		b.ev.HTTPStatus = s
	}
}

func (b *builder) setRequestID(id string) {
	id = strings.Trim(strings.TrimSpace(id), `"',;`)
	if b.ev.RequestID == "" && id != "" {
		b.ev.RequestID = id
	}
}

// Extract parses one request.
func Extract(req Request) *Evidence {
	b := &builder{}
	b.ev.HTTPStatus = req.HTTPStatus
	b.ev.GRPCCode = req.GRPCCode
	b.ev.Headers = lowerKeys(req.Headers)

	// Azure's headers name it more surely than its S3-like XML bodies do.
	if b.ev.Headers["x-ms-request-id"] != "" || b.ev.Headers["x-ms-error-code"] != "" {
		b.setProvider("azure")
	}
	payload := strings.TrimSpace(req.Payload)
	b.ev.Shape = parsePayload(b, payload)
	readHeaders(b, b.ev.Headers)

	hint := strings.ToLower(strings.TrimSpace(req.Provider))
	if hint != "" {
		b.ev.Providers = append(b.ev.Providers, hint)
	}
	if b.provider != "" && b.provider != hint {
		b.ev.Providers = append(b.ev.Providers, b.provider)
	}
	for i := range b.ev.Codes {
		switch b.ev.Codes[i].Provider {
		case "":
			b.ev.Codes[i].Provider = b.provider
			if b.provider == "" {
				b.ev.Codes[i].Provider = hint
			}
		case anyProvider:
			b.ev.Codes[i].Provider = ""
		}
	}
	b.ev.Message = b.message
	if b.ev.Message == "" && b.ev.Shape == "text" {
		b.ev.Message = firstLine(payload)
	}
	b.ev.Text = foldSpaces(strings.ToLower(b.text.String()))
	return &b.ev
}

// parsePayload dispatches on the payload's shape and returns its name.
func parsePayload(b *builder, payload string) string {
	switch {
	case payload == "":
		return "empty"
	case payload[0] == '{' || payload[0] == '[':
		if shape, ok := parseJSON(b, payload); ok {
			return shape
		}
	case payload[0] == '<':
		if isHTML(payload) {
			parseHTML(b, payload)
			return "html"
		}
		if parseXML(b, payload) {
			return b.xmlShape()
		}
	}
	parseText(b, payload)
	return "text"
}

func lowerKeys(h map[string]string) map[string]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	return out
}

// foldSpaces turns runs of spaces and tabs into one space, so that phrases
// match however the text was padded; line breaks stay for (?m) expressions.
func foldSpaces(s string) string {
	if !strings.Contains(s, "  ") && !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' {
			if !prevSpace {
				b.WriteByte(' ')
			}
			prevSpace = true
			continue
		}
		prevSpace = false
		b.WriteByte(c)
	}
	return b.String()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 500 {
		s = s[:500]
	}
	return strings.TrimSpace(s)
}
