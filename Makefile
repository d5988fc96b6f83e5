# examhall — the two commands of the README are `make run` and `make test`.

GO ?= go
PKGS := ./...
# Packages with concurrency that the race detector checks (see README).
RACE_PKGS := ./hall/... ./sqlite/... ./http/... ./client/... ./cmd/... ./loadtest/... ./scale/... ./redis/... ./grader/...

.PHONY: run test vet fmt race bench build

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

bench:
	$(GO) test -run '^$$' -bench . -benchtime 100000x ./http/
