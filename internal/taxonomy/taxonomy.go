// Package taxonomy holds the fixed vocabulary of an errclass answer: the
// categories of TAXONOMY.md, faults, severities and audiences. It is plain Go,
// free of protobuf, so that the classifier, the rule loader and the CLI share
// it without depending on the API.
package taxonomy

import "fmt"

// Category is the failure domain of an error.
type Category string

// The categories, as named in TAXONOMY.md.
const (
	Authentication Category = "AUTHENTICATION"
	Permission     Category = "PERMISSION"
	RateLimit      Category = "RATE_LIMIT"
	Validation     Category = "VALIDATION"
	NotFound       Category = "NOT_FOUND"
	Conflict       Category = "CONFLICT"
	Payment        Category = "PAYMENT"
	Inventory      Category = "INVENTORY"
	Catalog        Category = "CATALOG"
	Network        Category = "NETWORK"
	Server         Category = "SERVER"
	Unknown        Category = "UNKNOWN"
)

// CategoryInfo describes one category for the knowledge-base API.
type CategoryInfo struct {
	Category    Category
	Description string
}

// Categories lists every category in API order with its meaning.
func Categories() []CategoryInfo {
	return []CategoryInfo{
		{Authentication, "Identity or account access could not be established: wrong password, invalid, expired or revoked credentials or tokens, bad request signature, expired session, MFA, locked account, clock skew on signed requests."},
		{Permission, "The identity is known but not allowed to do this: missing IAM permission, insufficient OAuth scope, resource owned by another account, seller not authorized for a marketplace."},
		{RateLimit, "Too many requests, throttling, or a usage quota or limit exceeded."},
		{Validation, "The request itself is malformed or invalid: bad or missing parameter, schema error, unsupported operation, wrong endpoint or region, payload too large, bad content type."},
		{NotFound, "The addressed resource or route does not exist or is gone."},
		{Conflict, "The request conflicts with the resource's current state: concurrent modification, failed precondition, duplicate, resource in use, idempotency-key reuse."},
		{Payment, "Checkout and payment: declined card, insufficient funds, invalid card data, unverified payment method, processor or issuer unavailable, fraud rejection."},
		{Inventory, "Inventory and order status: out of stock, quantity limit, price changed at checkout, order cannot be cancelled or modified, shipment problem."},
		{Catalog, "Content and catalog: restricted or prohibited item, policy violation, suppressed listing, brand gating, regional availability, age restriction, content removed."},
		{Network, "No usable response reached the caller: connection refused or reset, DNS failure, TLS failure, client-side timeout, deadline exceeded, cancelled request."},
		{Server, "The service answered but failed on its side: internal error, unavailable, overloaded, bad gateway, gateway timeout, maintenance, data loss."},
		{Unknown, "Nothing in the payload supports any other category."},
	}
}

// ParseCategory accepts a bare category name ("RATE_LIMIT").
func ParseCategory(s string) (Category, error) {
	for _, c := range Categories() {
		if string(c.Category) == s {
			return c.Category, nil
		}
	}
	return "", fmt.Errorf("unknown category %q", s)
}

// Fault says who caused an error.
type Fault string

// The faults.
const (
	FaultClient   Fault = "CLIENT"
	FaultServer   Fault = "SERVER"
	FaultUpstream Fault = "UPSTREAM"
	FaultNetwork  Fault = "NETWORK"
	FaultUnknown  Fault = "UNKNOWN"
)

// ParseFault accepts a fault name ("CLIENT").
func ParseFault(s string) (Fault, error) {
	switch f := Fault(s); f {
	case FaultClient, FaultServer, FaultUpstream, FaultNetwork, FaultUnknown:
		return f, nil
	}
	return "", fmt.Errorf("unknown fault %q (want CLIENT, SERVER, UPSTREAM, NETWORK or UNKNOWN)", s)
}

// Severity says how urgent an error is.
type Severity string

// The severities.
const (
	SeverityInfo     Severity = "INFO"
	SeverityWarning  Severity = "WARNING"
	SeverityError    Severity = "ERROR"
	SeverityCritical Severity = "CRITICAL"
)

// ParseSeverity accepts a severity name ("WARNING").
func ParseSeverity(s string) (Severity, error) {
	switch v := Severity(s); v {
	case SeverityInfo, SeverityWarning, SeverityError, SeverityCritical:
		return v, nil
	}
	return "", fmt.Errorf("unknown severity %q (want INFO, WARNING, ERROR or CRITICAL)", s)
}

// Audience is who a recommended action is for.
type Audience string

// The audiences, in the order answers list them.
const (
	EndUser    Audience = "END_USER"
	Developer  Audience = "DEVELOPER"
	Support    Audience = "SUPPORT"
	Operations Audience = "OPERATIONS"
)

// Action is one recommended next step.
type Action struct {
	Audience Audience
	Text     string
}
