package extract

import (
	"regexp"
	"strings"

	"github.com/errclass/errclass/internal/taxonomy"
)

// wwwAuthErrorRe reads the OAuth error of a WWW-Authenticate challenge:
// Bearer error="invalid_token", error_description="The access token expired".
var wwwAuthErrorRe = regexp.MustCompile(`error="([a-z_]+)"(?:.*error_description="([^"]*)")?`)

// RateLimitExhausted is the code headers yield when a rate-limit window is
// used up (x-ratelimit-remaining: 0); rules key on it like any code.
const RateLimitExhausted = "x-ratelimit-remaining=0"

// requestIDHeaders are the headers providers put their request ids in, in
// order of preference.
var requestIDHeaders = []string{
	"x-amzn-requestid", "x-amz-request-id", "x-amz-pay-request-id", "x-amz-rid",
	"request-id", "x-request-id", "x-github-request-id", "paypal-debug-id",
	"x-goog-request-id", "x-ms-request-id", "cf-ray", "x-envoy-request-id", "x-correlation-id",
}

// readHeaders takes codes, statuses, request ids and providers from the
// response headers. Header names are already lower-case.
func readHeaders(b *builder, h map[string]string) {
	if len(h) == 0 {
		return
	}
	if v := h["x-amzn-errortype"]; v != "" {
		b.setProvider("aws")
		b.addCode(awsType(v), "")
	}
	if v := h["x-amz-function-error"]; v != "" {
		// Lambda Invoke answers 200 and flags the function's failure here. It
		// joins the text, not the codes: the body's own error type and wording
		// (a timeout, an out-of-memory) say more than the flag.
		b.setProvider("aws")
		b.addText("x-amz-function-error: " + v)
	}
	if v := h["x-ms-error-code"]; v != "" {
		// Azure Storage and other Azure services name the error in a header.
		b.setProvider("azure")
		b.addCode(v, "")
	}
	if v, ok := h["grpc-status"]; ok && b.ev.GRPCCode < 0 {
		if n, ok := grpcStatusNumber(v); ok {
			b.ev.GRPCCode = n
		}
		b.addMessage(h["grpc-message"], 1)
	}
	if v := h["www-authenticate"]; v != "" {
		if m := wwwAuthErrorRe.FindStringSubmatch(v); m != nil {
			b.addCode(m[1], "oauth")
			b.addMessage(m[2], 1)
			b.addText(m[2])
		}
	}
	// An exhausted rate-limit window says RATE_LIMIT whatever the body says
	// (GitHub answers 403 with it; the IETF draft names it RateLimit-Remaining).
	for _, name := range []string{"x-ratelimit-remaining", "x-rate-limit-remaining", "ratelimit-remaining"} {
		if h[name] == "0" {
			b.addCode(RateLimitExhausted, anyProvider)
			break
		}
	}
	for _, name := range requestIDHeaders {
		if v := h[name]; v != "" {
			b.setRequestID(v)
			break
		}
	}
	if m := h["x-amzn-errormessage"]; m != "" {
		b.addMessage(m, 1)
		b.addText(m)
	}
	switch {
	case h["x-amz-pay-request-id"] != "":
		b.setProvider("amazon-pay")
	case h["x-amzn-ratelimit-limit"] != "":
		b.setProvider("amazon-sp-api")
	case h["x-amzn-requestid"] != "" || h["x-amz-request-id"] != "" || h["x-amz-apigw-id"] != "" || strings.HasPrefix(h["server"], "Amazon"):
		b.setProvider("aws")
	case strings.HasPrefix(h["request-id"], "req_") || h["stripe-should-retry"] != "":
		b.setProvider("stripe")
	case h["x-github-request-id"] != "" || h["x-ratelimit-resource"] != "":
		b.setProvider("github")
	case h["paypal-debug-id"] != "":
		b.setProvider("paypal")
	case h["cf-ray"] != "" || strings.EqualFold(h["server"], "cloudflare"):
		b.setProvider("cloudflare")
	case h["x-ms-request-id"] != "" || h["x-ms-correlation-request-id"] != "":
		b.setProvider("azure")
	case h["x-shopify-shop-api-call-limit"] != "":
		b.setProvider("shopify")
	case strings.Contains(h["server"], "envoy") || h["x-envoy-upstream-service-time"] != "":
		b.setProvider("envoy")
	}
}

// grpcStatusNumber reads a grpc-status header: a number, or a name.
func grpcStatusNumber(v string) (int, bool) {
	n := 0
	for _, r := range v {
		if r < '0' || r > '9' {
			return taxonomy.GRPCCodeByName(v)
		}
		n = n*10 + int(r-'0')
	}
	return n, v != "" && n <= 16
}
