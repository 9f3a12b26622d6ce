package extract

import (
	"html"
	"strings"
)

// isHTML tells an HTML page from an XML document.
func isHTML(payload string) bool {
	head := strings.ToLower(payload[:min(len(payload), 512)])
	for _, marker := range []string{"<!doctype html", "<html", "<head>", "<body", "<div", "<span", "<p>", "<h1", "<title>", "<center>"} {
		if strings.Contains(head, marker) {
			return true
		}
	}
	return false
}

// parseHTML reads an error page: its title is the message and its visible
// text is what wording rules read. Proxies name themselves in the page
// (nginx, Cloudflare, Envoy), which sets the provider.
func parseHTML(b *builder, payload string) {
	lower := strings.ToLower(payload)
	if i := strings.Index(lower, "<title>"); i >= 0 {
		if j := strings.Index(lower[i:], "</title>"); j >= 0 {
			b.addMessage(html.UnescapeString(strings.TrimSpace(payload[i+len("<title>"):i+j])), 0)
		}
	}
	if b.message == "" {
		if i := strings.Index(lower, "<h1"); i >= 0 {
			b.addMessage(visibleText(payload[i:min(len(payload), i+300)]), 1)
		}
	}
	switch {
	case strings.Contains(lower, "cloudflare"):
		b.setProvider("cloudflare")
	case strings.Contains(lower, "images-amazon.com") || strings.Contains(lower, "amazon.com"):
		b.setProvider("amazon")
	}
	b.addText(visibleText(payload))
}

// visibleText drops tags, scripts and styles, decodes entities and folds
// white space.
func visibleText(s string) string {
	var out strings.Builder
	lower := strings.ToLower(s)
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			out.WriteString(s[i : i+j])
			i += j
			continue
		}
		for _, skip := range []string{"script", "style"} {
			if strings.HasPrefix(lower[i+1:], skip) {
				if end := strings.Index(lower[i:], "</"+skip+">"); end >= 0 {
					i += end
				}
			}
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			break
		}
		out.WriteByte(' ')
		i += end + 1
	}
	return strings.Join(strings.Fields(html.UnescapeString(out.String())), " ")
}
