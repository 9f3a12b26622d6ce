package extract

import (
	"html"
	"regexp"
	"strings"
	"time"
)

// parseXML reads the XML error bodies of AWS (S3 <Error>, query-protocol
// <ErrorResponse>, EC2 <Response><Errors>), the MWS payment APIs and the
// SP-API feed processing reports. It looks for the few elements those shapes
// share instead of binding each schema.
func parseXML(b *builder, payload string) bool {
	if !strings.Contains(payload, "</") {
		return false
	}
	root := rootElement(payload)
	switch {
	case strings.Contains(payload, "OffAmazonPayments") || strings.Contains(payload, "<ReasonCode>"):
		b.setProvider("amazon-pay")
		b.xml = "amazon-pay-xml"
	case root == "AmazonEnvelope" || strings.Contains(payload, "<ProcessingReport>"):
		b.setProvider("amazon-sp-api")
		b.xml = "amazon-feed-xml"
	case root == "Error" && strings.Contains(payload, "RequestId:") && strings.Contains(payload, "Time:"):
		// Azure Storage errors share S3's shape but stamp the message with
		// "RequestId:... Time:...".
		b.setProvider("azure")
		b.xml = "azure-xml"
	case root == "Error" || root == "ErrorResponse" || root == "Response":
		b.setProvider("aws")
		b.xml = "aws-xml"
	default:
		b.xml = "xml"
	}
	for _, tag := range []string{"ReasonCode", "ResultMessageCode", "Code", "ErrorCode", "code", "errorCode"} {
		for _, v := range tagValues(payload, tag) {
			b.addCode(v, "")
		}
	}
	// Codes in attributes: Worldpay <error code="5">, <ISO8583ReturnCode code="51" description="...">.
	for _, m := range xmlAttrCodeRe.FindAllStringSubmatch(payload, 4) {
		b.addCode(m[1], "")
	}
	for _, m := range xmlAttrTextRe.FindAllStringSubmatch(payload, 4) {
		b.addText(m[1])
	}
	b.addMessage(firstTag(payload, "Message"), 0)
	b.addMessage(firstTag(payload, "ResultDescription"), 0)
	b.addMessage(firstTag(payload, "ReasonDescription"), 1)
	for _, tag := range []string{"RequestId", "RequestID"} {
		b.setRequestID(firstTag(payload, tag))
	}
	// S3 states both clocks on RequestTimeTooSkewed.
	if rt, st := firstTag(payload, "RequestTime"), firstTag(payload, "ServerTime"); rt != "" && st != "" {
		if d, ok := timeDiff(rt, st); ok {
			b.ev.ClockSkewSeconds = d
		}
	}
	b.addText(visibleText(stripCDATA(payload)))
	return true
}

func (b *builder) xmlShape() string { return b.xml }

var (
	xmlAttrCodeRe = regexp.MustCompile(`\s(?:code|errorCode|reasonCode)="([^"]{1,80})"`)
	xmlAttrTextRe = regexp.MustCompile(`\s(?:description|message|reason)="([^"]{1,300})"`)
)

// rootElement is the name of the first element after any prolog.
func rootElement(s string) string {
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 || i+1 >= len(s) {
			return ""
		}
		s = s[i+1:]
		if s[0] == '?' || s[0] == '!' {
			continue
		}
		end := strings.IndexAny(s, " >/\t\r\n")
		if end < 0 {
			return ""
		}
		return s[:end]
	}
}

// tagValues returns the text of every <tag>...</tag> element.
func tagValues(s, tag string) []string {
	var out []string
	open, closeTag := "<"+tag+">", "</"+tag+">"
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return out
		}
		s = s[i+len(open):]
		j := strings.Index(s, closeTag)
		if j < 0 {
			return out
		}
		out = append(out, html.UnescapeString(stripCDATA(strings.TrimSpace(s[:j]))))
		s = s[j+len(closeTag):]
	}
}

func firstTag(s, tag string) string {
	open := "<" + tag + ">"
	i := strings.Index(s, open)
	if i < 0 {
		return ""
	}
	s = s[i+len(open):]
	j := strings.Index(s, "</"+tag+">")
	if j < 0 {
		return ""
	}
	return html.UnescapeString(stripCDATA(strings.TrimSpace(s[:j])))
}

// stripCDATA unwraps <![CDATA[...]]> sections, which Worldpay and others use
// for every message.
func stripCDATA(s string) string {
	if !strings.Contains(s, "<![CDATA[") {
		return s
	}
	s = strings.ReplaceAll(s, "<![CDATA[", "")
	return strings.ReplaceAll(s, "]]>", "")
}

// timeDiff returns |a - b| in seconds for the timestamp layouts AWS uses.
func timeDiff(a, b string) (float64, bool) {
	layouts := []string{"20060102T150405Z", time.RFC3339, time.RFC1123, time.RFC1123Z}
	parse := func(s string) (time.Time, bool) {
		for _, l := range layouts {
			if t, err := time.Parse(l, s); err == nil {
				return t, true
			}
		}
		return time.Time{}, false
	}
	ta, ok1 := parse(a)
	tb, ok2 := parse(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	d := ta.Sub(tb).Seconds()
	if d < 0 {
		d = -d
	}
	return d, true
}
