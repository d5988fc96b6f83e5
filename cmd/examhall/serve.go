package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"runtime/debug"
	"syscall"
	"time"

	"examhall/hall"
	ehttp "examhall/http"
	"examhall/server"
	"examhall/telemetry"

	"go.opentelemetry.io/otel/trace"
	"golang.org/x/sys/unix"
)

// serveConfig is the configuration of `examhall serve`.
type serveConfig struct {
	Addr          string
	Data          string
	Demo          bool
	Postgres      string
	Redis         string
	Kafka         string
	AdminUser     string
	AdminPassword string
	// AdminPasswordFile, when set, holds the password (else
	// EXAMHALL_ADMIN_PASSWORD).
	AdminPasswordFile string
	LogFormat         string
	LogLevel          string
	MetricsToken      string
	PublicURL         string
	MaxBody           int64
	ReusePort         bool
	DrainDelay        time.Duration
	ShutdownWait      time.Duration
	IdleTimeout       time.Duration
	GCPercent         int
	AccessLog         bool
	DebugAddr         string
	// TrustedProxies, LoginExempt: comma-separated networks.
	TrustedProxies string
	LoginExempt    string
	LoginFailures  int

	Scale scaleConfig
}

func (m *Main) serveFlags(c *serveConfig) *flag.FlagSet {
	fs := m.newFlagSet("serve", "serve [flags]")
	fs.StringVar(&c.Addr, "addr", ":8080", "address to listen on")
	fs.StringVar(&c.Data, "data", "./examhall-data", "embedded mode: directory of the database")
	fs.BoolVar(&c.Demo, "demo", false, "load a demo exam, open now for two hours, and print how to log in")
	fs.StringVar(&c.Postgres, "postgres", "", "scale mode: PostgreSQL URL")
	fs.StringVar(&c.Redis, "redis", "", "scale mode: Redis URL")
	fs.StringVar(&c.Kafka, "kafka", "", "scale mode: comma-separated Kafka brokers")
	scaleFlags(fs, &c.Scale, false)
	fs.StringVar(&c.Scale.Clock, "clock", "redis", "scale mode: the clock deadlines, saves and the sweeper are decided by: redis (Redis's, the same for every pod; each pod measures its offset every 10 s) or local (the pod's own)")
	fs.StringVar(&c.AdminUser, "admin-user", "", "create this admin account at start if it does not exist")
	fs.StringVar(&c.AdminPasswordFile, "admin-password-file", "", "file holding the password of --admin-user (- reads standard input; default: the EXAMHALL_ADMIN_PASSWORD variable)")
	fs.StringVar(&c.LogFormat, "log-format", "auto", "log format: text, json, or auto (text on a terminal, json otherwise)")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.BoolVar(&c.AccessLog, "access-log", false, "log every request (method, route, status, duration; never bodies)")
	fs.StringVar(&c.MetricsToken, "metrics-token", "", "require this bearer token on /metrics")
	fs.StringVar(&c.PublicURL, "public-url", "", "the server's URL as browsers reach it (https://exams.example.edu), for LTI and Safe Exam Browser behind a proxy")
	fs.Int64Var(&c.MaxBody, "max-body", 1<<20, "largest candidate request body, in bytes")
	fs.BoolVar(&c.ReusePort, "reuseport", false, "listen with SO_REUSEPORT so several processes can share the port")
	fs.DurationVar(&c.DrainDelay, "drain-delay", 0, "on SIGTERM, fail /readyz this long before refusing new connections")
	fs.DurationVar(&c.ShutdownWait, "shutdown-timeout", 20*time.Second, "on SIGTERM, how long in-flight requests may take to finish")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", 120*time.Second, "close keep-alive connections idle this long")
	fs.IntVar(&c.GCPercent, "gc-percent", DefaultGCPercent, "Go garbage collector target (GOGC); the GOGC variable, when set, wins")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", "", "comma-separated networks (CIDR) of the load balancers in front: requests from them are from the address their X-Forwarded-For names")
	fs.IntVar(&c.LoginFailures, "login-failures", hall.DefaultAddrFailures, "failed logins allowed per client address per minute (ten times that per hour, four times that per /24 or /64 network); successful logins are never limited")
	fs.StringVar(&c.LoginExempt, "login-exempt", "", "comma-separated networks (CIDR) whose failed logins are not limited (an exam hall behind one NAT address)")
	fs.StringVar(&c.DebugAddr, "debug-addr", "", "serve Go profiles (pprof, with block and mutex profiling) on this private address")
	return fs
}

func (m *Main) runServe(ctx context.Context, args []string) error {
	var c serveConfig
	fs := m.serveFlags(&c)
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	var err error
	if c.AdminPassword, err = m.password(c.AdminPasswordFile, "EXAMHALL_ADMIN_PASSWORD"); err != nil {
		return usageError{"--admin-password-file: " + err.Error()}
	}
	if (c.AdminUser == "") != (c.AdminPassword == "") {
		return usageError{"set both EXAMHALL_ADMIN_USER and EXAMHALL_ADMIN_PASSWORD, or neither"}
	}
	proxies, err := ehttp.ParseCIDRs(c.TrustedProxies)
	if err != nil {
		return usageError{"--trusted-proxies: " + err.Error()}
	}
	exempt, err := ehttp.ParseCIDRs(c.LoginExempt)
	if err != nil {
		return usageError{"--login-exempt: " + err.Error()}
	}
	if c.LoginFailures < 1 {
		return usageError{"--login-failures must be at least 1"}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
			return usageError{fmt.Sprintf("--public-url %q: give the server's scheme and host, such as https://exams.example.edu", c.PublicURL)}
		}
	}
	log, err := newLogger(m, c.LogFormat, c.LogLevel)
	if err != nil {
		return err
	}
	setGCPercent(m, c.GCPercent)
	if c.DebugAddr != "" {
		if err := serveDebug(ctx, c.DebugAddr, log); err != nil {
			return fmt.Errorf("--debug-addr: %w", err)
		}
	}
	tp, stopTracing, err := m.setupTracing(ctx, log)
	if err != nil {
		return err
	}
	defer stopTracing()
	cfg := server.Config{
		Data: c.Data, Logger: log, TracerProvider: tp, Web: true,
		AdminUser: c.AdminUser, AdminPassword: c.AdminPassword,
		HTTP:  ehttp.Config{MaxBody: c.MaxBody, MetricsToken: c.MetricsToken, AccessLog: c.AccessLog, TrustedProxies: proxies, PublicURL: c.PublicURL},
		Guard: hall.Guard{AddrFailures: c.LoginFailures, Exempt: exempt},
	}
	if c.Postgres != "" || c.Redis != "" || c.Kafka != "" {
		if cfg.Scale, err = m.scaleServer(&c); err != nil {
			return err
		}
	}
	srv, err := server.Build(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := listen(ctx, c.Addr, c.ReusePort)
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	if c.Demo {
		if err := m.loadDemo(ctx, srv.Hall, &c, addr); err != nil {
			ln.Close()
			return fmt.Errorf("loading the demo: %w", err)
		}
	}
	log.Info("examhall serving", "addr", addr, "mode", srv.Mode, "version", Version)
	if m.Ready != nil {
		m.Ready <- addr
	}
	err = srv.Serve(ctx, ln, server.ServeOptions{DrainDelay: c.DrainDelay, ShutdownWait: c.ShutdownWait, IdleTimeout: c.IdleTimeout})
	if err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// listen opens the listening socket, with SO_REUSEPORT if asked.
func listen(ctx context.Context, addr string, reusePort bool) (net.Listener, error) {
	lc := net.ListenConfig{}
	if reusePort {
		lc.Control = func(network, address string, conn syscall.RawConn) error {
			var serr error
			err := conn.Control(func(fd uintptr) {
				serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)
			})
			return errors.Join(err, serr)
		}
	}
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return ln, nil
}

// newLogger returns the process's logger.
func newLogger(m *Main, format, level string) (*slog.Logger, error) {
	log, err := telemetry.NewLogger(m.Stderr, format, level)
	if err != nil {
		return nil, usageError{"--log-format/--log-level: " + err.Error()}
	}
	return log, nil
}

// DefaultGCPercent is the collector target of `examhall serve`. The live
// heap of a server is small (tens of MB) and every request allocates, so
// Go's default of 100 collects many times a second; 400 trades some memory
// for about a quarter more saves per second (BENCHMARKS.md).
const DefaultGCPercent = 400

// setGCPercent applies the collector target unless GOGC is set.
func setGCPercent(m *Main, percent int) {
	if m.Getenv("GOGC") == "" && percent > 0 {
		debug.SetGCPercent(percent)
	}
}

// setupTracing returns the tracer provider the OTEL_* variables configure
// (nil when they configure none) and the function that flushes its spans
// at exit.
func (m *Main) setupTracing(ctx context.Context, log *slog.Logger) (trace.TracerProvider, func(), error) {
	tp, shutdown, err := telemetry.SetupTracing(ctx, m.Getenv, "examhall", Version)
	if err != nil {
		return nil, nil, err
	}
	if tp == nil {
		return nil, func() {}, nil
	}
	log.Info("tracing to OTLP", "endpoint", firstNonEmpty(m.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), m.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT"), "localhost:4318"))
	return tp, func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := shutdown(sctx); err != nil {
			log.Warn("flushing traces", "err", err)
		}
	}, nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
