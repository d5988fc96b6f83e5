# examhall — the two commands of the README are `make run` and `make test`.

GO ?= go
PKGS := ./...
# Packages with concurrency that the race detector checks (see README).
RACE_PKGS := ./hall/... ./sqlite/... ./http/... ./client/... ./cmd/... ./loadtest/... ./scale/... ./redis/... ./grader/...

.PHONY: run test test-cluster vet fmt race bench build

run:
	$(GO) run ./cmd/examhall serve --demo --addr 127.0.0.1:8080

build:
	$(GO) build -o bin/examhall ./cmd/examhall

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

race:
	$(GO) test -race -count=1 $(RACE_PKGS)

test: fmt vet
	$(GO) test -count=1 $(PKGS)
	$(GO) test -race -count=1 $(RACE_PKGS)
	# The API's end-to-end tests again, on a scale-mode server (they skip
	# without EXAMHALL_TEST_POSTGRES and EXAMHALL_TEST_REDIS).
	EXAMHALL_TEST_MODE=scale $(GO) test -count=1 ./http/
	# The scale-mode suites (Redis adapter, store contract and fault tests,
	# API end-to-end, the processes) once more on a Redis Cluster, when
	# EXAMHALL_TEST_REDIS_CLUSTER names one (.ci/redis-cluster starts it).
	if [ -n "$$EXAMHALL_TEST_REDIS_CLUSTER" ]; then $(MAKE) --no-print-directory test-cluster; fi

# The scale-mode suites on the Redis Cluster at EXAMHALL_TEST_REDIS_CLUSTER,
# the two test runs side by side.
test-cluster:
	@[ -n "$$EXAMHALL_TEST_REDIS_CLUSTER" ] || { echo "EXAMHALL_TEST_REDIS_CLUSTER is not set (run .ci/redis-cluster)"; exit 1; }
	EXAMHALL_TEST_REDIS="$$EXAMHALL_TEST_REDIS_CLUSTER" $(GO) test -count=1 ./redis/ ./scale/ ./examhalltest/... ./cmd/... & a=$$!; \
	EXAMHALL_TEST_REDIS="$$EXAMHALL_TEST_REDIS_CLUSTER" EXAMHALL_TEST_MODE=scale $(GO) test -count=1 ./http/ & b=$$!; \
	wait $$a; ra=$$?; wait $$b; rb=$$?; [ $$ra = 0 ] && [ $$rb = 0 ]

bench:
	$(GO) test -run '^$$' -bench . -benchtime 100000x ./http/
