package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// ServeOptions tune how a server serves and stops.
type ServeOptions struct {
	// DrainDelay is how long /readyz fails, once ctx ends, before new
	// connections are refused: time for load balancers to notice.
	DrainDelay time.Duration
	// ShutdownWait is how long in-flight requests may take to finish
	// after that (default 20s); then their connections are closed.
	ShutdownWait time.Duration
	// IdleTimeout closes keep-alive connections idle this long (120s).
	IdleTimeout time.Duration
}

// Serve serves the API on ln and submits overdue attempts until ctx ends,
// then shuts down gracefully: /readyz fails, in-flight requests finish,
// and the sweeper stops.
func (s *Server) Serve(ctx context.Context, ln net.Listener, opt ServeOptions) error {
	if opt.ShutdownWait == 0 {
		opt.ShutdownWait = 20 * time.Second
	}
	if opt.IdleTimeout == 0 {
		opt.IdleTimeout = 120 * time.Second
	}
	hs := &http.Server{
		Handler:           s.API,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       opt.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	sweepCtx, stopSweep := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.Hall.RunSweeper(sweepCtx)
	}()
	defer func() {
		stopSweep()
		wg.Wait()
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: draining")
	s.API.Drain()
	time.Sleep(opt.DrainDelay)
	sctx, cancel := context.WithTimeout(context.Background(), opt.ShutdownWait)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		hs.Close()
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}
