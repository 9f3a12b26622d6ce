// Package fingerprint computes a stable grouping key for errors: the same
// fault seen from a thousand requests, differing only in ids, numbers and
// timestamps, gets one fingerprint.
package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
)

// placeholders replace the variable parts of a message, most specific first
// (a URL contains numbers; a UUID contains hex).
var placeholders = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`[a-z][a-z0-9+.-]*://[^\s"'<>]+`), "<url>"},
	{regexp.MustCompile(`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`), "<email>"},
	{regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:z|[+-]\d{2}:?\d{2})?`), "<time>"},
	{regexp.MustCompile(`\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`), "<uuid>"},
	{regexp.MustCompile(`\barn:[\w-]+:[^\s"']+`), "<arn>"},
	{regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b`), "<ip>"},
	{regexp.MustCompile(`\b[a-z]{2,5}_[a-z0-9]{8,}\b`), "<id>"}, // Stripe-style ids: cus_..., req_...
	{regexp.MustCompile(`\d+`), "<n>"},
}

var hexRe = regexp.MustCompile(`\b(?:0x)?[0-9a-f]{6,}\b`)

// Normalize lower-cases a message and replaces its variable parts.
func Normalize(message string) string {
	s := strings.ToLower(strings.TrimSpace(message))
	for i, p := range placeholders {
		if i == len(placeholders)-1 {
			// Hex ids (request ids, hashes) mix digits and letters; plain words
			// and plain numbers are left to the other placeholders.
			s = hexRe.ReplaceAllStringFunc(s, func(w string) string {
				if strings.ContainsAny(w, "0123456789") && strings.ContainsAny(w, "abcdef") {
					return "<hex>"
				}
				return w
			})
		}
		s = p.re.ReplaceAllString(s, p.with)
	}
	return strings.Join(strings.Fields(s), " ")
}

// Of returns the fingerprint of an error: 16 hex digits of a SHA-256 over
// provider, code, operation and the normalized message.
func Of(provider, code, operation, message string) string {
	h := sha256.New()
	for _, part := range []string{provider, code, operation, Normalize(message)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
