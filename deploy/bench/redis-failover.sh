#!/usr/bin/env bash
# A Redis master killed mid-exam, as processes: a 6-node Redis Cluster
# (three masters, three replicas; .ci/redis-cluster on ports 7201-7206),
# examhall-devbroker, a grader and two `examhall serve` pods sharing one
# port (--reuseport), and `examhall loadtest` as the candidates. At
# KILL_AFTER seconds into the run the master that serves the most attempt
# shards is killed with SIGKILL; its replica takes over; the killed node is
# started again (empty, as a replica) RESTART_AFTER seconds later.
#
# The loadtest's verdict (PASS: every acknowledged answer in the results,
# nothing lost) and its error counts are the result; the report is written
# to $OUT/report.json, the pods' logs to $OUT.
#
#   deploy/bench/redis-failover.sh                       # 3,000 candidates
#   CANDIDATES=10000 RAMP=20s DURATION=60s deploy/bench/redis-failover.sh
#
# Needs redis-server, redis-cli, PostgreSQL (EXAMHALL_POSTGRES, default the
# local test database) and Go. It measures the machine it runs on: run it
# alone.
set -euo pipefail
cd "$(dirname "$0")/../.."

CANDIDATES=${CANDIDATES:-3000}
RAMP=${RAMP:-10s}
DURATION=${DURATION:-60s}
SAVE_EVERY=${SAVE_EVERY:-5s}
KILL_AFTER=${KILL_AFTER:-25}
RESTART_AFTER=${RESTART_AFTER:-10}
PORT=${PORT:-18080}
BROKER=${BROKER:-127.0.0.1:19092}
OUT=${OUT:-$(mktemp -d -t examhall-failover-XXXXXX)}
export REDIS_CLUSTER_PORT=${REDIS_CLUSTER_PORT:-7201}
CLUSTER_DIR=${TMPDIR:-/tmp}/examhall-redis-cluster-$REDIS_CLUSTER_PORT

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  .ci/redis-cluster stop || true
}
trap cleanup EXIT

go build -o "$OUT/examhall" ./cmd/examhall
go build -o "$OUT/examhall-devbroker" ./cmd/examhall-devbroker

EXAMHALL_REDIS=$(.ci/redis-cluster)
export EXAMHALL_REDIS
export EXAMHALL_SECRET=${EXAMHALL_SECRET:-$(openssl rand -hex 32)}
export EXAMHALL_KAFKA=$BROKER
export EXAMHALL_POSTGRES=${EXAMHALL_POSTGRES:-postgres://root@127.0.0.1:5432/test?sslmode=disable}
export EXAMHALL_POSTGRES_SCHEMA=${EXAMHALL_POSTGRES_SCHEMA:-failover_$(date +%s)}
export EXAMHALL_REDIS_PREFIX=${EXAMHALL_REDIS_PREFIX:-failover:}
export EXAMHALL_LOG_LEVEL=${EXAMHALL_LOG_LEVEL:-warn}

"$OUT/examhall-devbroker" -addr "$BROKER" >"$OUT/broker.log" 2>&1 & pids+=($!)
sleep 1
"$OUT/examhall" grader --addr 127.0.0.1:19091 >"$OUT/grader.log" 2>&1 & pids+=($!)
"$OUT/examhall" serve --addr 127.0.0.1:$PORT --reuseport --admin-user admin --admin-password bench-password >"$OUT/pod1.log" 2>&1 & pids+=($!)
"$OUT/examhall" serve --addr 127.0.0.1:$PORT --reuseport >"$OUT/pod2.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  sleep 0.2
done

# The master serving the most of the 64 attempt shards ({0} ... {63}).
victim=$(for i in $(seq 0 63); do
  slot=$(redis-cli -p "$REDIS_CLUSTER_PORT" cluster keyslot "{$i}")
  redis-cli -p "$REDIS_CLUSTER_PORT" cluster nodes | awk -v s="$slot" '
    $3 ~ /master/ { for (i = 9; i <= NF; i++) { split($i, r, "-"); if (r[2] == "") r[2] = r[1]; if (s >= r[1] && s <= r[2]) { split($2, a, "[:@]"); print a[2] } } }'
done | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
echo "victim: the master on port $victim" | tee "$OUT/failover.log"

(
  sleep "$KILL_AFTER"
  echo "$(date -u +%T) SIGKILL the master on $victim" >>"$OUT/failover.log"
  kill -9 "$(cat "$CLUSTER_DIR/$victim/redis.pid")"
  for _ in $(seq 1 100); do
    redis-cli -p "$REDIS_CLUSTER_PORT" cluster info | grep -q '^cluster_state:ok' && break
    sleep 0.1
  done
  echo "$(date -u +%T) cluster state ok again" >>"$OUT/failover.log"
  sleep "$RESTART_AFTER"
  (cd "$CLUSTER_DIR/$victim" && redis-server --port "$victim" --bind 127.0.0.1 --daemonize yes --dir . \
    --logfile redis.log --pidfile redis.pid --save "" --appendonly no --cluster-enabled yes \
    --cluster-config-file nodes.conf --cluster-node-timeout 1000 --cluster-replica-validity-factor 0 \
    --repl-diskless-sync-delay 0 --maxmemory-policy noeviction)
  echo "$(date -u +%T) $victim started again" >>"$OUT/failover.log"
) & pids+=($!)

echo "$(date -u +%T) loadtest starts" >>"$OUT/failover.log"
"$OUT/examhall" loadtest --url "http://127.0.0.1:$PORT" --admin-user admin --admin-password bench-password \
  --candidates "$CANDIDATES" --ramp "$RAMP" --duration "$DURATION" --save-every "$SAVE_EVERY" \
  --close-margin 5s --json "$OUT/report.json" | tee "$OUT/loadtest.txt"
cat "$OUT/failover.log"
echo "report: $OUT/report.json; logs: $OUT"
