package telemetry

import (
	"context"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// TracingEnabled reports whether the standard OTEL_* variables ask for
// traces: an OTLP endpoint is set or OTEL_TRACES_EXPORTER is "otlp", and
// neither OTEL_SDK_DISABLED=true nor OTEL_TRACES_EXPORTER=none turns them
// off.
func TracingEnabled(getenv func(string) string) bool {
	if strings.EqualFold(getenv("OTEL_SDK_DISABLED"), "true") {
		return false
	}
	switch strings.ToLower(getenv("OTEL_TRACES_EXPORTER")) {
	case "none":
		return false
	case "otlp":
		return true
	}
	return getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// SetupTracing returns a tracer provider exporting spans over OTLP/HTTP as
// the OTEL_* variables say (endpoint, headers, timeout, sampler, resource
// attributes, service name), or nil when tracing is not configured. The
// returned function flushes and stops the exporter; call it at exit.
func SetupTracing(ctx context.Context, getenv func(string) string, service, version string) (*sdktrace.TracerProvider, func(context.Context) error, error) {
	if !TracingEnabled(getenv) {
		return nil, func(context.Context) error { return nil }, nil
	}
	proto := getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if proto == "" {
		proto = getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	if proto != "" && proto != "http/protobuf" {
		return nil, nil, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL %q: examhall exports traces over http/protobuf only", proto)
	}
	// The endpoint is read here, the other OTLP settings (headers, timeout,
	// certificates) by the exporter from the process environment.
	var opts []otlptracehttp.Option
	if u := getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); u != "" {
		opts = append(opts, otlptracehttp.WithEndpointURL(u))
	} else if u := getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); u != "" {
		opts = append(opts, otlptracehttp.WithEndpointURL(strings.TrimRight(u, "/")+"/v1/traces"))
	}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	if name := getenv("OTEL_SERVICE_NAME"); name != "" {
		service = name
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", service), attribute.String("service.version", version)),
		resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil {
		return nil, nil, fmt.Errorf("OTEL_RESOURCE_ATTRIBUTES: %w", err)
	}
	// The sampler comes from OTEL_TRACES_SAMPLER(_ARG), parent-based
	// always-on by default.
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	return tp, tp.Shutdown, nil
}

// Propagator is the W3C trace context and baggage propagation examhall
// uses on incoming requests.
func Propagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

// Tracer starts spans for calls to a dependency. The zero Tracer, or one
// on a nil provider, starts none and costs nothing.
type Tracer struct{ t trace.Tracer }

// NewTracer returns a Tracer for the instrumentation scope name (the
// adapter's package path) on tp, which may be nil.
func NewTracer(tp trace.TracerProvider, name string) Tracer {
	if tp == nil {
		return Tracer{}
	}
	return Tracer{t: tp.Tracer(name)}
}

// Start starts a span "system op" under ctx's span (for example "redis
// EVALSHA", "kafka produce", "postgresql COPY attempts"; a client span, a
// producer span for kafka), and returns the context carrying it and a
// function that ends it, marking it failed when err is not nil:
//
//	ctx, end := t.Start(ctx, "redis", "EVALSHA")
//	err := ...
//	end(err)
func (t Tracer) Start(ctx context.Context, system, op string, attrs ...attribute.KeyValue) (context.Context, func(error)) {
	if t.t == nil {
		return ctx, func(error) {}
	}
	if system == "kafka" {
		attrs = append(attrs, attribute.String("messaging.system", system), attribute.String("messaging.operation.name", op))
	} else {
		attrs = append(attrs, attribute.String("db.system.name", system), attribute.String("db.operation.name", op))
	}
	kind := trace.SpanKindClient
	if system == "kafka" {
		kind = trace.SpanKindProducer
	}
	ctx, span := t.t.Start(ctx, system+" "+op, trace.WithSpanKind(kind), trace.WithAttributes(attrs...))
	return ctx, func(err error) {
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}
}
