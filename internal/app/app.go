// Package app wires errclassd together: config -> logger -> knowledge base
// -> gRPC server and REST gateway -> graceful shutdown.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	errclassv1 "github.com/errclass/errclass/gen/errclass/v1"
	"github.com/errclass/errclass/internal/classify"
	"github.com/errclass/errclass/internal/config"
	"github.com/errclass/errclass/internal/gateway"
	"github.com/errclass/errclass/internal/kb"
	"github.com/errclass/errclass/internal/rules"
	"github.com/errclass/errclass/internal/server"
	"github.com/errclass/errclass/internal/telemetry"
)

// Run listens on the configured addresses and serves until ctx ends.
func Run(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	grpcLis, err := net.Listen("tcp", cfg.GRPCAddr)
	if err != nil {
		return fmt.Errorf("listen for gRPC: %w", err)
	}
	httpLis, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		grpcLis.Close()
		return fmt.Errorf("listen for HTTP: %w", err)
	}
	return Serve(ctx, cfg, logger, grpcLis, httpLis)
}

// Serve serves gRPC on grpcLis and the REST gateway on httpLis until ctx
// ends, then stops gracefully: health turns NOT_SERVING, the gateway finishes
// its requests, then the gRPC server finishes its own, each within
// cfg.ShutdownTimeout.
func Serve(ctx context.Context, cfg config.Config, logger *slog.Logger, grpcLis, httpLis net.Listener) error {
	metrics := telemetry.NewMetrics()
	var extra []rules.Source
	if cfg.RulesDir != "" {
		extra = append(extra, rules.DirSource(cfg.RulesDir))
	}
	set, err := kb.Load(extra...)
	if err != nil {
		return fmt.Errorf("load rules: %w", err)
	}
	metrics.RulesLoaded(true, set.Len(), float64(time.Now().Unix()))
	classifier := classify.New(set)
	logger.Info("rules loaded", "rules", set.Len(), "rules_dir", cfg.RulesDir)

	grpcServer := grpc.NewServer(append(metrics.ServerOptions(logger),
		grpc.MaxRecvMsgSize(cfg.MaxRequestBytes))...)
	errclassv1.RegisterClassifierServiceServer(grpcServer, server.New(classifier, metrics.Observe))
	healthServer := health.NewServer()
	healthpb.RegisterHealthServer(grpcServer, healthServer)
	reflection.Register(grpcServer)
	metrics.InitServer(grpcServer)
	healthServer.SetServingStatus(errclassv1.ClassifierService_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_SERVING)

	// The gateway dials the gRPC server like any client, so REST callers go
	// through the same interceptors and limits.
	conn, err := grpc.NewClient(grpcLis.Addr().String(),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(2*cfg.MaxRequestBytes)))
	if err != nil {
		return fmt.Errorf("dial gRPC for the gateway: %w", err)
	}
	defer conn.Close()
	handler, err := gateway.New(ctx, conn, gateway.Options{MaxRequestBytes: cfg.MaxRequestBytes, Metrics: metrics.Registry})
	if err != nil {
		return err
	}
	httpServer := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		logger.Info("gRPC listening", "addr", grpcLis.Addr().String())
		return grpcServer.Serve(grpcLis)
	})
	g.Go(func() error {
		logger.Info("HTTP gateway listening", "addr", httpLis.Addr().String())
		if err := httpServer.Serve(httpLis); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	if cfg.RulesDir != "" {
		g.Go(func() error {
			return watchRules(gctx, cfg.RulesDir, logger, func() error {
				set, err := kb.Load(rules.DirSource(cfg.RulesDir))
				if err != nil {
					metrics.RulesLoaded(false, 0, 0)
					return err
				}
				classifier.Swap(set)
				metrics.RulesLoaded(true, set.Len(), float64(time.Now().Unix()))
				logger.Info("rules reloaded", "rules", set.Len())
				return nil
			})
		})
	}
	g.Go(func() error {
		<-gctx.Done()
		logger.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
		healthServer.Shutdown()
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := httpServer.Shutdown(sctx); err != nil {
			logger.Warn("HTTP shutdown timed out; closing connections", "err", err)
			httpServer.Close()
		}
		stopped := make(chan struct{})
		go func() {
			grpcServer.GracefulStop()
			close(stopped)
		}()
		select {
		case <-stopped:
		case <-sctx.Done():
			logger.Warn("gRPC graceful stop timed out; stopping")
			grpcServer.Stop()
		}
		return nil
	})
	err = g.Wait()
	logger.Info("stopped")
	return err
}
