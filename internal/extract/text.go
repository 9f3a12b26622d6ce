package extract

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/errclass/errclass/internal/taxonomy"
)

// The SDK and log-line formats errclass reads. Each expression is compiled
// once; each names what it yields.
var (
	// botocore: An error occurred (ThrottlingException) when calling the GetParameter operation
	botocoreRe = regexp.MustCompile(`An error occurred \(([\w.:-]+)\) when calling the \w+ operation(?: \([^)]*\))?:\s*(.*)`)
	// botocore exception classes: botocore.exceptions.NoCredentialsError, botocore.errorfactory.ConflictException
	botocoreClassRe = regexp.MustCompile(`botocore\.(?:exceptions|errorfactory)\.(\w+)`)
	// aws-sdk-go-v2: operation error S3: PutObject, https response error StatusCode: 403, RequestID: X, HostID: Y, api error AccessDenied: msg
	goV2Re = regexp.MustCompile(`operation error [^:]+: \w+, (?:.*?)https response error StatusCode: (\d+), RequestID: ([^,]*),(?: HostID: [^,]*,)? (?:api error )?([\w.]+): ?(.*)`)
	// AWS Java SDK: (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: X ...)
	javaV1Re = regexp.MustCompile(`\(Service: [^;]+; Status Code: (\d+); Error Code: ([^;]+); Request ID: ([^;)]+)`)
	// AWS Java SDK v2: (Service: DynamoDb, Status Code: 400, Request ID: X)
	javaV2Re = regexp.MustCompile(`\(Service: [^,]+, Status Code: (\d+), Request ID: ([^,)]+)`)
	// Java model exceptions: software.amazon.awssdk.services.dynamodb.model.TransactionConflictException
	javaModelRe = regexp.MustCompile(`(?:software\.amazon\.awssdk\.services|com\.amazonaws\.services)\.(\w+)\.model\.(\w+)`)
	// aws-sdk-go v1: "NoSuchKey: The specified key does not exist.\n\tstatus code: 404, request id: X"
	goV1Re = regexp.MustCompile(`(?m)^\s*([A-Za-z][\w.]+): (.*)\n\s*status code: (\d+), request id: ([\w-]*)`)
	// .NET: Amazon.DynamoDBv2.Model.ResourceNotFoundException
	dotnetAWSRe = regexp.MustCompile(`Amazon\.(\w+)\.Model\.(\w+)`)
	// Rust: ErrorMetadata { code: Some("ResourceNotFoundException"), message: Some("...") }
	rustCodeRe = regexp.MustCompile(`code: Some\("([\w.:-]+)"\)(?:, message: Some\("([^"]*)"\))?`)
	// JS v3 and Go v1 put the code first: "NoSuchKey: The specified key does not exist."
	leadingCodeRe = regexp.MustCompile(`^([A-Z][A-Za-z0-9]+(?:\.[A-Za-z0-9]+)?): `)
	// Ruby: Aws::SQS::Errors::ServiceUnavailable
	rubyAWSRe = regexp.MustCompile(`Aws::\w+::Errors::(\w+)`)
	// An exception class leading a line: "ThrottlingException: Rate exceeded", "java.net.SocketTimeoutException: Read timed out"
	exceptionRe = regexp.MustCompile(`(?m)(?:^|\s)(?:[a-z_][\w]*\.|[A-Z]\w*::)*([A-Z]\w*(?:Exception|Error))(?::|\s*$| \()`)
	// gRPC status strings: Go "rpc error: code = Unavailable desc = ...",
	// Java "io.grpc.StatusRuntimeException: UNAVAILABLE: io exception",
	// Python "status = StatusCode.UNAVAILABLE", Node "Error: 14 UNAVAILABLE: ...".
	grpcRe       = regexp.MustCompile(`code = (\w+) desc = (.*)`)
	grpcJavaRe   = regexp.MustCompile(`Status(?:Runtime)?Exception: ([A-Z_]+)(?:: (.*))?`)
	grpcPythonRe = regexp.MustCompile(`StatusCode\.([A-Z_]+)\s*(?:details = "([^"]*)")?`)
	grpcNodeRe   = regexp.MustCompile(`Error: (\d{1,2}) ([A-Z_]+): (.*)`)
	// .NET "Status(StatusCode=\"DeadlineExceeded\", Detail=\"...\")", Rust tonic
	// "status: Unavailable, message: \"...\"".
	grpcDotnetRe = regexp.MustCompile(`Status\(StatusCode="(\w+)", Detail="([^"]*)"`)
	grpcRustRe   = regexp.MustCompile(`status: (\w+), message: "([^"]*)"`)
	// kubectl: "Error from server (Timeout): ...", "Error from server (NotFound): ..."
	kubectlRe = regexp.MustCompile(`Error from server \((\w+)\): (.*)`)
	// Azure SDKs print "ErrorCode: ContainerNotFound" on a line of its own.
	azureErrorCodeRe = regexp.MustCompile(`ErrorCode: ?(\w+)`)
	// Stripe SDK dumps: decline_code: 'lost_card', decline_code=stolen_card, code: 'card_declined'
	stripeFieldRe = regexp.MustCompile(`\b(decline_code|code|type)[=:]\s*'?"?([a-z][a-z0-9_]+)`)
	// Node.js and libc error codes: code: 'ECONNREFUSED', connect ECONNREFUSED
	nodeCodeRe = regexp.MustCompile(`\bcode: '([A-Z][A-Z0-9_]{2,})'|\b(E(?:CONNREFUSED|CONNRESET|TIMEDOUT|NOTFOUND|AI_AGAIN|PIPE|HOSTUNREACH|NETUNREACH|SOCKETTIMEDOUT|CONNABORTED|ADDRINUSE|PROTO))\b`)
	// SQLSTATE in pgx, psql, PDO and JDBC messages: (SQLSTATE 23505), SQLSTATE[23505], SQL state: 23505
	sqlstateRe = regexp.MustCompile(`(?i)SQL ?STATE(?:\[| |: ?)\s*([0-9A-Z]{5})\b`)
	// MySQL: ERROR 1205 (HY000): Lock wait timeout exceeded
	mysqlRe = regexp.MustCompile(`\bERROR (\d{4}) \(([0-9A-Z]{5})\)`)
	// Consumer apps: Error Code: 7031, errorCode=2021
	consumerCodeRe = regexp.MustCompile(`(?i)\berror ?code[:=]?\s*"?(\d{3,5})\b`)
	// An HTTP status stated in a log line.
	statusRe = regexp.MustCompile(`(?i)\b(?:HTTP[ /](?:1\.[01] |2 )?|HTTP Error |status code:? |StatusCode: |\(Status |status=|status code does not indicate success: |HTTPError: |httpStatusCode: |returned error: |responded with status |HTTP status (?:client|server) error \(|resulted in a ` + "`" + `|(?:client|server) error '|Response code |Status: |Unexpected response code: )(\d{3})\b|Exception\$\w+: (\d{3}) `)
	// Request ids in log lines.
	requestIDRe = regexp.MustCompile(`(?i)\b(?:request ?id|requestid)[:=]?\s*([\w-]{6,})|\b(req_[A-Za-z0-9]{8,})`)
	// key=value and Python-dict fields in log lines: code=card_declined,
	// issue=PAYER_CANNOT_PAY, {'ok': False, 'error': 'account_inactive'}.
	logFieldRe = regexp.MustCompile(`\b(?:error_?code|errorCode|ErrorCode|code|Code|issue|reason_?code|reasonCode|decline_code|error|errorType)(?:=|: ?'|': ')"?([A-Za-z][\w.:-]{2,80})`)
	// Vault: "Code: 503. Errors:"
	vaultCodeRe = regexp.MustCompile(`\bCode: (\d{3})\. Errors:`)
	// PayPal's classic NVP API: L_ERRORCODE0=10417&L_SHORTMESSAGE0=...
	nvpErrorRe = regexp.MustCompile(`L_ERRORCODE\d+=(\d+)`)
	// Go googleapi: "googleapi: Error 403: <message>, accessNotConfigured"
	googleapiRe = regexp.MustCompile(`googleapi: Error (\d{3}): (.*), (\w+)\s*$`)
	// Go azcore: "RESPONSE 404: 404 Not Found\nERROR CODE: ResourceGroupNotFound"
	azcoreRe = regexp.MustCompile(`RESPONSE (\d{3}): [^\n]*\n(?:[^\n]*\n)??ERROR CODE: (\w+)`)
	// A code in parentheses after an exception class, as Azure's Python SDK
	// prints it: ResourceNotFoundError: (ResourceNotFound) The Resource ...
	parenCodeRe = regexp.MustCompile(`(?:Error|Exception): \((\w{3,80})\) `)
	// OAuth errors in a redirect: ?error=access_denied&error_description=...
	oauthQueryRe = regexp.MustCompile(`[?&#]error=([a-z_]+)(?:&error_description=([^&\s]*))?`)
)

// grpcShapes are the ways gRPC clients print a status: code name first,
// message second, each with the literals that must be present.
var grpcShapes = []struct {
	re       *regexp.Regexp
	literals []string
}{
	{grpcRe, []string{"code = "}},
	{grpcJavaRe, []string{"StatusRuntimeException", "StatusException"}},
	{grpcPythonRe, []string{"StatusCode."}},
	{grpcDotnetRe, []string{"Status(StatusCode="}},
	{grpcRustRe, []string{"status: "}},
}

// genericClasses are exception classes that say nothing about the error:
// the wrapper a client library throws for every server answer.
var genericClasses = map[string]bool{
	"ClientError": true, "Error": true, "Exception": true, "RuntimeError": true, "StandardError": true,
	"ServiceError": true, "StatusRuntimeException": true, "StatusException": true, "HTTPError": true,
	"RpcError": true, "_InactiveRpcError": true, "HttpRequestException": true, "AxiosError": true,
}

// awsTextMarkers say a text payload came from an AWS SDK or service.
var awsTextMarkers = []string{"botocore", "boto3", "operation error ", "Aws::", "com.amazonaws", "software.amazon.awssdk", "amazonaws.com", "@aws-sdk", "@smithy"}

// amazonTextMarkers say a text payload came from an Amazon consumer app.
var amazonTextMarkers = []string{"Prime Video", "amazon.com", "Amazon Music", "Kindle", "Fire TV", "Alexa", "AIV", "Audible"}

// parseText reads SDK exception strings, stack traces and log lines.
func parseText(b *builder, payload string) {
	b.addText(payload)
	if m := find(botocoreRe, payload, "An error occurred ("); m != nil {
		b.setProvider("aws")
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 100 && n <= 599 {
			b.setStatus(n) // botocore prints bare statuses for HEAD requests: "(404)"
		} else {
			b.addCode(m[1], "aws")
		}
		b.addMessage(m[2], 0)
	}
	if m := find(goV2Re, payload, "https response error"); m != nil {
		b.setProvider("aws")
		if n, _ := strconv.Atoi(m[1]); n > 0 {
			b.setStatus(n)
		}
		b.setRequestID(m[2])
		if m[3] != "" && m[3] != "canceled" {
			b.addCode(m[3], "aws")
		}
		b.addMessage(m[4], 1)
	}
	if m := find(javaV1Re, payload, "(Service: "); m != nil {
		b.setProvider("aws")
		n, _ := strconv.Atoi(m[1])
		b.setStatus(n)
		b.addCode(strings.TrimSpace(m[2]), "aws")
		b.setRequestID(m[3])
	}
	if m := find(javaV2Re, payload, "(Service: "); m != nil {
		b.setProvider("aws")
		n, _ := strconv.Atoi(m[1])
		b.setStatus(n)
		b.setRequestID(m[2])
	}
	if m := find(javaModelRe, payload, ".model."); m != nil {
		// The service's base exception (DynamoDbException, AmazonS3Exception)
		// names no error; its subclasses do.
		if svc := strings.ToLower(m[1]); !strings.EqualFold(m[2], svc+"Exception") && !strings.HasPrefix(m[2], "Amazon") {
			b.addCode(m[2], "aws")
		}
	}
	if m := find(goV1Re, payload, "status code: "); m != nil {
		b.setProvider("aws")
		b.addCode(m[1], "aws")
		b.addMessage(m[2], 0)
		n, _ := strconv.Atoi(m[3])
		b.setStatus(n)
		b.setRequestID(m[4])
	}
	if m := find(dotnetAWSRe, payload, "Amazon."); m != nil && m[2] != "Amazon"+m[1]+"Exception" {
		b.setProvider("aws")
		b.addCode(m[2], "aws")
	}
	if m := find(rustCodeRe, payload, "code: Some("); m != nil {
		b.addCode(m[1], "")
		b.addMessage(m[2], 0)
	}
	if m := find(rubyAWSRe, payload, "Aws::"); m != nil {
		b.setProvider("aws")
		b.addCode(m[1], "aws")
	}
	for _, m := range findAll(botocoreClassRe, payload, 2, "botocore.") {
		if m[1] != "ClientError" {
			b.addCode(m[1], "aws")
		}
	}
	for _, g := range grpcShapes {
		if m := find(g.re, payload, g.literals...); m != nil {
			b.setGRPC(m[1])
			b.addMessage(m[2], 0)
		}
	}
	if m := find(kubectlRe, payload, "Error from server ("); m != nil {
		b.setProvider("kubernetes")
		b.addCode(m[1], "kubernetes")
		b.addMessage(m[2], 0)
	}
	if m := find(azureErrorCodeRe, payload, "ErrorCode:"); m != nil {
		b.addCode(m[1], "")
	}
	if m := find(grpcNodeRe, payload, "Error: "); m != nil {
		if n, _ := strconv.Atoi(m[1]); taxonomy.GRPCCodeName(n) == m[2] {
			b.setGRPC(m[2])
			b.addMessage(m[3], 0)
		}
	}
	for _, m := range findAll(stripeFieldRe, payload, 4, "decline_code") {
		if m[1] == "decline_code" {
			b.addCode(m[2], "stripe")
		}
	}
	for _, m := range findAll(stripeFieldRe, payload, 4, "Stripe") {
		if m[1] != "decline_code" {
			b.addCode(m[2], "stripe")
		}
	}
	for _, m := range findAll(nodeCodeRe, payload, 3, "code: '", " E", ":E", "(E") {
		b.addCode(m[1]+m[2], anyProvider)
	}
	if m := find(sqlstateRe, payload, "SQL", "sql"); m != nil {
		b.addCode(m[1], "sql")
	}
	if m := find(mysqlRe, payload, "ERROR "); m != nil {
		b.addCode(m[1], "mysql")
		b.addCode(m[2], "sql")
	}
	if m := find(googleapiRe, firstLine(payload), "googleapi: Error "); m != nil {
		b.setProvider("google")
		n, _ := strconv.Atoi(m[1])
		b.setStatus(n)
		b.addMessage(m[2], 0)
		b.addCode(m[3], "google")
	}
	if m := find(azcoreRe, payload, "ERROR CODE: "); m != nil {
		b.setProvider("azure")
		n, _ := strconv.Atoi(m[1])
		b.setStatus(n)
		b.addCode(m[2], "azure")
	}
	if m := find(vaultCodeRe, payload, ". Errors:"); m != nil {
		n, _ := strconv.Atoi(m[1])
		b.setStatus(n)
	}
	for _, m := range findAll(nvpErrorRe, payload, 3, "L_ERRORCODE") {
		b.setProvider("paypal")
		b.addCode(m[1], "paypal")
	}
	if m := find(parenCodeRe, payload, ": ("); m != nil {
		b.addCode(m[1], "")
	}
	for _, m := range findAll(logFieldRe, payload, 4, "=", "': '") {
		b.addCode(m[1], "")
	}
	for _, m := range findAll(exceptionRe, payload, 3, "Exception", "Error") {
		if !genericClasses[m[1]] {
			b.addClass(m[1])
		}
	}
	if m := find(consumerCodeRe, payload, "rror", "RROR"); m != nil {
		b.addCode(m[1], "amazon")
	}
	if m := find(oauthQueryRe, payload, "error="); m != nil {
		b.setProvider("oauth")
		b.addCode(m[1], "oauth")
		if desc, err := url.QueryUnescape(m[2]); err == nil {
			b.addMessage(desc, 0)
			b.addText(desc)
		}
	}
	if m := find(statusRe, payload, "HTTP", "tatus", "STATUS", "error", "code ", "code: ", "resulted in", "Exception$"); m != nil {
		n, _ := strconv.Atoi(m[1] + m[2])
		b.setStatus(n)
	}
	if m := find(requestIDRe, payload, "equest", "EQUEST", "req_"); m != nil {
		b.setRequestID(m[1] + m[2])
	}
	parseEmbeddedJSON(b, payload)
	switch {
	case strings.Contains(payload, "aws_sdk_") || strings.Contains(payload, "Amazon.Runtime"):
		b.setProvider("aws")
	case containsAny(payload, awsTextMarkers):
		b.setProvider("aws")
	case strings.Contains(payload, "Stripe") || strings.Contains(payload, "stripe."):
		b.setProvider("stripe")
	case containsAny(payload, amazonTextMarkers):
		b.setProvider("amazon")
	case strings.Contains(payload, "sp_api") || strings.Contains(payload, "sellingpartnerapi"):
		b.setProvider("amazon-sp-api")
	case strings.Contains(payload, "azure.") || strings.Contains(payload, "Azure.") || strings.Contains(payload, "Microsoft.Azure"):
		b.setProvider("azure")
	case strings.Contains(payload, "slack_sdk") || strings.Contains(payload, "slack.com/api"):
		b.setProvider("slack")
	}
	leadingCode(b, payload)
}

// leadingCode reads the code an AWS SDK puts first on its first line
// ("NoSuchKey: The specified key does not exist."); only AWS payloads, where
// that form is known, are read this way.
func leadingCode(b *builder, payload string) {
	if b.provider != "aws" {
		return
	}
	if m := leadingCodeRe.FindStringSubmatch(payload); m != nil && !genericClasses[m[1]] {
		b.addCode(m[1], "aws")
	}
}

// setGRPC records a gRPC code named in the payload unless the request gave one.
func (b *builder) setGRPC(name string) {
	if n, ok := taxonomy.GRPCCodeByName(name); ok && n != 0 && b.ev.GRPCCode < 0 {
		b.ev.GRPCCode = n
	}
}

// parseEmbeddedJSON reads a JSON object inside a log line:
// `getOrders failed: HTTP 403 {"errors":[...]}`.
func parseEmbeddedJSON(b *builder, payload string) {
	i := strings.IndexByte(payload, '{')
	if i < 0 {
		return
	}
	dec := json.NewDecoder(strings.NewReader(payload[i:]))
	var doc map[string]any
	if dec.Decode(&doc) != nil {
		return
	}
	text := b.text.String()
	b.text.Reset()
	walkJSON(b, doc)
	// Keep the whole line as the text: the JSON's strings are in it already.
	b.text.Reset()
	b.text.WriteString(text)
}

// find runs re only when the payload holds one of the literals every match
// needs: most payloads hold none, and a literal search is far cheaper than
// running the expression.
func find(re *regexp.Regexp, payload string, literals ...string) []string {
	if !containsAny(payload, literals) {
		return nil
	}
	return re.FindStringSubmatch(payload)
}

func findAll(re *regexp.Regexp, payload string, n int, literals ...string) [][]string {
	if !containsAny(payload, literals) {
		return nil
	}
	return re.FindAllStringSubmatch(payload, n)
}

func containsAny(s string, markers []string) bool {
	for _, m := range markers {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}
