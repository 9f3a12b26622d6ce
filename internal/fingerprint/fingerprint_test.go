package fingerprint_test

import (
	"testing"

	"github.com/errclass/errclass/internal/fingerprint"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"No such customer: 'cus_Q1w2E3r4T5y6U7'", "no such customer: '<id>'"},
		{"User: arn:aws:iam::257500511525:user/ci is not authorized", "user: <arn> is not authorized"},
		{"dial tcp 10.1.2.3:443: connect: connection refused", "dial tcp <ip>: connect: connection refused"},
		{"Order 114-3941689-8772232 was not found", "order <n>-<n>-<n> was not found"},
		{"Key (email)=(jane.doe@example.com) already exists.", "key (email)=(<email>) already exists."},
		{"request 0b6f3c2e-9d1a-4e7b-8c55-2f4a1d9e7c30 at 2026-03-01T10:00:00Z", "request <uuid> at <time>"},
		{"see https://docs.example.com/errors/42 for help", "see <url> for help"},
		{"RequestId 48CF3066DDB12673", "requestid <hex>"},
		{"the deadbeef was decaf", "the deadbeef was decaf"},
	}
	for _, tc := range tests {
		if got := fingerprint.Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestOfGroupsVariants(t *testing.T) {
	a := fingerprint.Of("stripe", "resource_missing", "", "No such customer: 'cus_Q1w2E3r4T5y6U7'")
	b := fingerprint.Of("stripe", "resource_missing", "", "No such customer: 'cus_Zz9Yy8Xx7Ww6Vv5'")
	c := fingerprint.Of("stripe", "resource_missing", "", "No such price: 'price_1Nv0FGQ9RKHgCVdK'")
	d := fingerprint.Of("stripe", "resource_missing", "charges.create", "No such customer: 'cus_Q1w2E3r4T5y6U7'")
	if a != b {
		t.Error("the same error with other ids got two fingerprints")
	}
	if a == c || a == d {
		t.Error("different errors or operations share a fingerprint")
	}
	if len(a) != 16 {
		t.Errorf("fingerprint %q is not 16 hex digits", a)
	}
}
