package app_test

import (
	"context"
	"testing"
)

// BenchmarkGRPCClassify measures a whole round trip through the real server
// over loopback, with parallel callers.
func BenchmarkGRPCClassify(b *testing.B) {
	s := start(b, nil)
	req := requests["s3-slowdown"]
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.client.Classify(ctx, req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkRESTClassify measures the same through the REST gateway.
func BenchmarkRESTClassify(b *testing.B) {
	s := start(b, nil)
	body := `{"payload":"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>","httpStatus":503}`
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if code, _ := s.post(b, "/v1/classify", body); code != 200 {
				b.Errorf("status %d", code)
				return
			}
		}
	})
}
