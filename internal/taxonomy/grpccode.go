package taxonomy

import "strings"

// grpcCodeNames are the canonical gRPC status code names, indexed by number.
var grpcCodeNames = [...]string{
	"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
	"NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
	"FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
	"INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
}

// GRPCCodeName returns the canonical name of a gRPC code ("UNAVAILABLE").
func GRPCCodeName(code int) string {
	if code < 0 || code >= len(grpcCodeNames) {
		return ""
	}
	return grpcCodeNames[code]
}

// GRPCCodeByName accepts the canonical name ("DEADLINE_EXCEEDED") and the
// spellings clients print ("DeadlineExceeded", "Canceled").
func GRPCCodeByName(name string) (int, bool) {
	key := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(name), "_", ""))
	if key == "CANCELED" {
		key = "CANCELLED"
	}
	for i, n := range grpcCodeNames {
		if strings.ReplaceAll(n, "_", "") == key {
			return i, true
		}
	}
	return 0, false
}
