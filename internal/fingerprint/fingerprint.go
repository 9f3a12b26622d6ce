// Package fingerprint computes a stable grouping key for errors: the same
// fault seen from a thousand requests, differing only in ids, numbers and
// timestamps, gets one fingerprint.
package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Normalize lower-cases a message and replaces its variable parts (URLs,
// ARNs, emails, UUIDs, IPs, timestamps, provider ids such as cus_..., hex
// ids and numbers) with placeholders. It works token by token in one pass:
// the hot path of every classification runs through it.
func Normalize(message string) string {
	s := strings.ToLower(strings.TrimSpace(message))
	var out strings.Builder
	out.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if isSpace(c) {
			space = true
			i++
			continue
		}
		if space && out.Len() > 0 {
			out.WriteByte(' ')
		}
		space = false
		if isDelimiter(c) {
			out.WriteByte(c)
			i++
			continue
		}
		j := i
		for j < len(s) && !isSpace(s[j]) && !isDelimiter(s[j]) {
			j++
		}
		tok := s[i:j]
		// Trailing sentence punctuation is not part of an id.
		trail := len(tok)
		for trail > 0 && strings.IndexByte(".:,;!?", tok[trail-1]) >= 0 {
			trail--
		}
		out.WriteString(placeholder(tok[:trail]))
		out.WriteString(tok[trail:])
		i = j
	}
	return out.String()
}

// placeholder returns the token or what stands for it.
func placeholder(tok string) string {
	switch {
	case tok == "":
		return tok
	case strings.Contains(tok, "://"):
		return "<url>"
	case strings.HasPrefix(tok, "arn:"):
		return "<arn>"
	case isEmail(tok):
		return "<email>"
	case isUUID(tok):
		return "<uuid>"
	case isIP(tok):
		return "<ip>"
	case isTimestamp(tok):
		return "<time>"
	case isProviderID(tok):
		return "<id>"
	case isHexID(tok):
		return "<hex>"
	}
	return replaceNumbers(tok)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isDelimiter(c byte) bool { return strings.IndexByte("'\"`()[]{}<>,;=", c) >= 0 }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' }

func isEmail(t string) bool {
	at := strings.IndexByte(t, '@')
	return at > 0 && strings.IndexByte(t[at:], '.') > 1
}

func isUUID(t string) bool {
	if len(t) != 36 {
		return false
	}
	for i := 0; i < len(t); i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if t[i] != '-' {
				return false
			}
		} else if !isHex(t[i]) {
			return false
		}
	}
	return true
}

// isIP accepts a dotted IPv4 address, optionally with a port.
func isIP(t string) bool {
	if host, port, ok := strings.Cut(t, ":"); ok {
		if port == "" || strings.Trim(port, "0123456789") != "" {
			return false
		}
		t = host
	}
	parts, digits := 1, 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c == '.':
			if digits == 0 {
				return false
			}
			parts, digits = parts+1, 0
		case isDigit(c) && digits < 3:
			digits++
		default:
			return false
		}
	}
	return parts == 4 && digits > 0
}

// isTimestamp accepts tokens that start with an ISO date: 2026-03-01T10:00:00Z.
func isTimestamp(t string) bool {
	return len(t) >= 10 && isDigit(t[0]) && isDigit(t[3]) && t[4] == '-' && isDigit(t[5]) && t[7] == '-' && isDigit(t[9])
}

// isProviderID accepts prefixed ids such as Stripe's cus_Q1w2E3r4T5y6U7.
func isProviderID(t string) bool {
	us := strings.IndexByte(t, '_')
	if us < 2 || us > 5 || len(t)-us-1 < 8 {
		return false
	}
	for i := 0; i < us; i++ {
		if t[i] < 'a' || t[i] > 'z' {
			return false
		}
	}
	hasDigit := false
	for i := us + 1; i < len(t); i++ {
		c := t[i]
		if !(isDigit(c) || c >= 'a' && c <= 'z') {
			return false
		}
		hasDigit = hasDigit || isDigit(c)
	}
	return hasDigit
}

// isHexID accepts hex runs of 6 or more that mix digits and letters: request
// ids and hashes, not words like "deadbeef" or plain numbers.
func isHexID(t string) bool {
	t = strings.TrimPrefix(t, "0x")
	if len(t) < 6 {
		return false
	}
	digits, letters := false, false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case isDigit(c):
			digits = true
		case c >= 'a' && c <= 'f':
			letters = true
		default:
			return false
		}
	}
	return digits && letters
}

func replaceNumbers(t string) string {
	if strings.IndexAny(t, "0123456789") < 0 {
		return t
	}
	var b strings.Builder
	for i := 0; i < len(t); {
		if isDigit(t[i]) {
			for i < len(t) && isDigit(t[i]) {
				i++
			}
			b.WriteString("<n>")
			continue
		}
		b.WriteByte(t[i])
		i++
	}
	return b.String()
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
