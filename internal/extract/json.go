package extract

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// code ranks: lower is more specific. A Stripe decline_code says more than
// its code, which says more than its type; a Google ErrorInfo reason says more
// than the canonical status.
const (
	rankDecline = iota
	rankCode
	rankGeneral
	ranks
)

// jsonWalk gathers codes by rank while walking a decoded JSON document.
type jsonWalk struct {
	b     *builder
	codes [ranks][]string
	keys  map[string]bool // keys seen anywhere, for provider detection
	// googleStatus and friends remember facts of the shape for detection.
	errorString string
	hasDocsURL  string
}

// parseJSON decodes a JSON payload and walks it. It returns false when the
// payload is not JSON after all.
func parseJSON(b *builder, payload string) (string, bool) {
	var doc any
	if err := json.Unmarshal([]byte(payload), &doc); err != nil {
		return "", false
	}
	return walkJSON(b, doc), true
}

// walkJSON extracts from a decoded document and names its shape.
func walkJSON(b *builder, doc any) string {
	w := &jsonWalk{b: b, keys: map[string]bool{}}
	w.walk(doc, "", "", 0)
	shape := w.detect(doc)
	for _, rank := range w.codes {
		for _, c := range rank {
			b.addCode(c, "")
		}
	}
	return shape
}

func (w *jsonWalk) walk(v any, key, parent string, depth int) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		// Google error details: the @type says what the sibling fields mean.
		detailType, _ := t["@type"].(string)
		for _, k := range keys {
			w.keys[k] = true
			w.field(k, t[k], key, depth, detailType)
		}
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				// Lists of reasons: ["FBA_INB_0051", "Item is restricted"].
				if !isURL(s) && !isIdentifier(key) {
					w.b.addText(s)
				}
				if lk := strings.ToLower(key); (strings.Contains(lk, "code") || strings.Contains(lk, "reason")) && looksLikeCode(s) {
					w.codes[rankCode] = append(w.codes[rankCode], s)
				}
				continue
			}
			w.walk(e, key, parent, depth+1)
		}
	}
}

// field handles one key/value of an object whose own key is parent.
func (w *jsonWalk) field(k string, v any, parent string, depth int, detailType string) {
	b := w.b
	switch t := v.(type) {
	case string:
		w.stringField(k, t, parent, depth, detailType)
	case float64:
		n := int(t)
		switch k {
		case "status", "statusCode", "status_code", "httpStatus":
			if n >= 1000 && t == float64(n) {
				// Not an HTTP status: a provider's numbered status
				// (App Store verifyReceipt 21005).
				w.codes[rankCode] = append(w.codes[rankCode], strconv.Itoa(n))
				break
			}
			b.setStatus(n)
		case "code", "error_code", "errorCode", "errorId", "error_id":
			// A number in 100-599 beside an error is its HTTP status; other
			// numbers are provider codes (Twilio 20003, Graph API 190).
			if n >= 100 && n <= 599 && (parent == "error" || depth == 0) && k == "code" {
				b.setStatus(n)
			} else if t == float64(n) {
				w.codes[rankCode] = append(w.codes[rankCode], strconv.Itoa(n))
			}
		}
	case map[string]any, []any:
		w.walk(t, k, parent, depth+1)
	}
}

func (w *jsonWalk) stringField(k, s, parent string, depth int, detailType string) {
	b := w.b
	switch k {
	case "__type":
		// The exception type; codes beside or inside it (Lambda's Reason,
		// PA-API's Errors[].Code) say more.
		w.codes[rankGeneral] = append(w.codes[rankGeneral], awsType(s))
		return
	case "refusalReasonCode", "processorResponseCode", "processor_response_code", "gatewayRejectionReason", "gateway_rejection_reason":
		// Adyen and Braintree name the decline in these fields.
		if looksLikeCode(s) {
			w.codes[rankDecline] = append(w.codes[rankDecline], s)
		}
		return
	case "refusalReason":
		// Adyen's refusal reasons are short fixed phrases ("Not enough balance").
		w.codes[rankCode] = append(w.codes[rankCode], s)
		b.addMessage(s, 1)
	case "decline_code", "issue":
		if looksLikeCode(s) {
			w.codes[rankDecline] = append(w.codes[rankDecline], s)
		}
		return
	case "advice_code", "network_advice_code", "merchant_advice_code":
		if b.ev.AdviceCode == "" {
			b.ev.AdviceCode = s
		}
		return
	case "reason":
		if strings.HasSuffix(detailType, "ErrorInfo") {
			w.codes[rankDecline] = append(w.codes[rankDecline], s)
		} else if looksLikeCode(s) {
			w.codes[rankCode] = append(w.codes[rankCode], s)
		} else {
			b.addText(s)
		}
		return
	case "code", "Code", "reasonCode", "ReasonCode", "Reason", "error_code", "errorCode", "ErrorCode", "errorType",
		"failure_code", "response_code", "responseCode", "return_code", "returnCode":
		if n, err := strconv.Atoi(s); err == nil && n >= 100 && n <= 599 && (parent == "status" || k == "code" && depth == 0) {
			b.setStatus(n)
		}
		if looksLikeCode(s) {
			w.codes[rankCode] = append(w.codes[rankCode], s)
			return
		}
	case "type":
		// Stripe error.type, Alexa ErrorResponse payload.type, OCAPI fault.type.
		if (parent == "error" || parent == "payload" || parent == "fault") && looksLikeCode(s) {
			w.codes[rankGeneral] = append(w.codes[rankGeneral], s)
			return
		}
	case "status":
		// Google's canonical status name beside the numeric code.
		if parent == "error" && isUpperSnake(s) {
			w.codes[rankGeneral] = append(w.codes[rankGeneral], s)
			return
		}
		if n, err := strconv.Atoi(s); err == nil {
			b.setStatus(n)
			return
		}
	case "name":
		// PayPal names its errors at the top level: INVALID_REQUEST.
		if depth == 0 && isUpperSnake(s) {
			w.codes[rankGeneral] = append(w.codes[rankGeneral], s)
			return
		}
	case "error":
		// OAuth 2.0: {"error": "invalid_grant", "error_description": "..."}.
		if depth == 0 && looksLikeCode(s) {
			w.errorString = s
			w.codes[rankCode] = append(w.codes[rankCode], s)
			b.addText(s)
			return
		}
	case "retryDelay":
		if strings.HasSuffix(detailType, "RetryInfo") {
			b.ev.RetryDelay = s
			return
		}
	case "message", "Message", "errorMessage", "ErrorMessage", "msg":
		b.addMessage(s, 0)
	case "error_description", "detail", "description", "details", "title":
		b.addMessage(s, 1)
	case "requestId", "request_id", "RequestId", "RequestID", "debug_id", "x-amzn-RequestId":
		b.setRequestID(s)
		return
	case "documentation_url", "doc_url", "more_info", "help_url", "link":
		if isURL(s) {
			w.hasDocsURL = s
			return
		}
	}
	if isURL(s) || isIdentifier(k) {
		return
	}
	b.addText(s)
}

// detect names the shape and sets the payload's provider from its markers.
func (w *jsonWalk) detect(doc any) string {
	b := w.b
	top, _ := doc.(map[string]any)
	errObj, _ := top["error"].(map[string]any)
	docsProvider := providerFromURL(w.hasDocsURL)
	switch {
	case w.keys["pspReference"] || w.keys["refusalReason"]:
		b.setProvider("adyen")
		return "adyen"
	case w.keys["processorResponseCode"] || w.keys["processor_response_code"] || w.keys["gatewayRejectionReason"] || w.keys["gateway_rejection_reason"]:
		b.setProvider("braintree")
		return "braintree"
	case w.keys["__type"]:
		b.setProvider("aws")
		return "aws-json"
	case w.keys["reasonCode"] && w.keys["message"]:
		b.setProvider("amazon-pay")
		return "amazon-pay"
	case errObj != nil && (w.keys["decline_code"] || strings.Contains(w.hasDocsURL, "stripe.com") || isStripeType(errObj["type"])):
		b.setProvider("stripe")
		return "stripe"
	case errObj != nil && (errObj["status"] != nil || w.keys["@type"] || w.keys["domain"]):
		b.setProvider("google")
		return "google"
	case top["name"] != nil && (w.keys["debug_id"] || w.keys["issue"] || w.keys["links"]):
		b.setProvider("paypal")
		return "paypal"
	case strings.Contains(w.hasDocsURL, "github.com"):
		b.setProvider("github")
		return "github"
	case top["success"] == false && top["errors"] != nil && top["messages"] != nil:
		// Cloudflare's API envelope.
		b.setProvider("cloudflare")
		return "cloudflare"
	case top["kind"] == "Status" && top["apiVersion"] != nil:
		b.setProvider("kubernetes")
		return "kubernetes"
	case top["ok"] == false && w.errorString != "":
		b.setProvider("slack")
		return "slack"
	case errObj != nil && (w.keys["innerError"] || w.keys["innererror"]):
		b.setProvider("azure")
		return "azure"
	case docsProvider != "":
		b.setProvider(docsProvider)
		return "json"
	case w.errorString != "":
		b.setProvider("oauth")
		return "oauth"
	case hasAlexaError(top):
		b.setProvider("amazon")
		return "alexa"
	case w.keys["extensions"] || w.keys["locations"]:
		b.setProvider("graphql")
		return "graphql"
	case top["errors"] != nil && w.keys["details"] && w.keys["code"]:
		b.setProvider("amazon-sp-api")
		return "amazon-sp-api"
	case top["issues"] != nil || w.keys["asin"] || top["restrictions"] != nil:
		b.setProvider("amazon-sp-api")
		return "amazon-sp-api-listing"
	case top["type"] != nil && top["title"] != nil:
		return "problem-json"
	}
	return "json"
}

// docsDomains name providers by the domain of the documentation link their
// error bodies carry.
var docsDomains = []struct{ domain, provider string }{
	{"stripe.com", "stripe"}, {"github.com", "github"}, {"twilio.com", "twilio"},
	{"paypal.com", "paypal"}, {"shopify", "shopify"}, {"adyen.com", "adyen"},
	{"braintree", "braintree"}, {"googleapis.com", "google"}, {"google.com", "google"},
	{"microsoft.com", "azure"}, {"slack.com", "slack"}, {"commercetools", "commercetools"},
	{"amazon.com", "amazon"}, {"amazonaws.com", "aws"},
}

func providerFromURL(u string) string {
	for _, d := range docsDomains {
		if strings.Contains(u, d.domain) {
			return d.provider
		}
	}
	return ""
}

func hasAlexaError(top map[string]any) bool {
	ev, _ := top["event"].(map[string]any)
	h, _ := ev["header"].(map[string]any)
	ns, _ := h["namespace"].(string)
	return strings.HasPrefix(ns, "Alexa")
}

func isStripeType(v any) bool {
	s, _ := v.(string)
	switch s {
	case "api_error", "card_error", "idempotency_error", "invalid_request_error", "authentication_error", "rate_limit_error", "api_connection_error":
		return true
	}
	return false
}

// awsType strips the namespace and trailing detail of an AWS __type:
// "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" and
// "ResourceNotFoundException:http://internal.amazon.com/..." both give
// "ResourceNotFoundException".
func awsType(s string) string {
	if i := strings.LastIndexByte(s, '#'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// looksLikeCode accepts identifier-like values ("card_declined", "18742",
// "InvalidInstanceID.NotFound") and rejects prose.
func looksLikeCode(s string) bool {
	if s == "" || len(s) > 80 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-', r == ':':
		default:
			return false
		}
	}
	return true
}

func isUpperSnake(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r == '_' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// isIdentifier reports keys whose values are ids, not wording.
func isIdentifier(k string) bool {
	switch k {
	case "id", "charge", "payment_intent", "request_log_url", "messageId", "correlationToken",
		"timestamp", "instance", "path", "sku", "asin", "marketplaceId", "param", "locale", "@type":
		return true
	}
	return false
}
