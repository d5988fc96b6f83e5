// Package redis is the hot state of examhall's scale mode, shared by every
// API pod: attempts with their one live session, draft answers (applied
// with the seq rule inside Redis, atomically), the deadline index that
// drives automatic submission, submission locks and login rate limits.
//
// Redis is a cache of the event log, not the record: every key can be
// rebuilt from PostgreSQL, so a flush or an eviction costs candidates at
// worst a new login.
//
// It works on one Redis and on a Redis Cluster alike. Every key of one
// attempt carries the attempt's shard (one of Shards, a hash of its id) as
// its hash tag, and the deadline index is one sorted set per shard, so that
// each script touches keys of one slot: an attempt's hash, its drafts and
// its shard's index are changed together, atomically.
package redis

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"net/url"
	"strconv"
	"strings"
	"time"

	"examhall"
	"examhall/telemetry"

	"github.com/redis/rueidis"
	"go.opentelemetry.io/otel/trace"
)

// Store is a connection to Redis under one key prefix.
type Store struct {
	c        rueidis.Client
	prefix   string
	obs      Observer
	replicas int64
	waitFor  time.Duration
}

// Observer is told of every call to Redis, for metrics. Its method must be
// cheap and safe for concurrent use.
type Observer interface {
	// Call records one call: its operation, how long it took and its
	// failure (a missing key is none).
	Call(op string, took time.Duration, err error)
}

type nopObserver struct{}

func (nopObserver) Call(string, time.Duration, error) {}

// Options tune a Store.
type Options struct {
	// Prefix starts every key, so that deployments (or tests) can share a
	// Redis. It must not contain braces.
	Prefix string
	// Observer, if set, is told of every call.
	Observer Observer
	// TracerProvider, if set, makes a span of every command.
	TracerProvider trace.TracerProvider
}

// ParseURL reads the address of a Redis or of a Redis Cluster:
// redis://host:port/db, or several comma-separated addresses
// (redis://host1:port1,host2:port2, or each a whole URL), every one an
// address to discover the cluster from. The query parameter replicas=N
// (default 1 on a cluster, 0 on one Redis) is how many replicas must have a
// save or a submission before it is acknowledged; it is not a rueidis
// option and is returned apart.
func ParseURL(raw string) (opt rueidis.ClientOption, replicas int64, err error) {
	replicas = -1
	parts := strings.Split(raw, ",")
	first := parts[0]
	var more []string
	for _, p := range parts[1:] {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if i := strings.Index(p, "://"); i >= 0 {
			u, err := url.Parse(p)
			if err != nil || u.Host == "" {
				return opt, 0, fmt.Errorf("redis address %q: not host:port or a redis:// URL", p)
			}
			p = u.Host
		} else if q := strings.IndexAny(p, "/?"); q >= 0 {
			// redis://a:1,b:2/0?x=y: the path and query belong to the whole URL.
			first += p[q:]
			p = p[:q]
		}
		if _, _, err := netSplit(p); err != nil {
			return opt, 0, fmt.Errorf("redis address %q: %w", p, err)
		}
		more = append(more, p)
	}
	u, err := url.Parse(first)
	if err != nil {
		return opt, 0, err
	}
	q := u.Query()
	if r := q.Get("replicas"); r != "" {
		n, err := strconv.ParseInt(r, 10, 64)
		if err != nil || n < 0 {
			return opt, 0, fmt.Errorf("replicas=%q: want a count, 0 or more", r)
		}
		replicas = n
		q.Del("replicas")
		u.RawQuery = q.Encode()
	}
	if opt, err = rueidis.ParseURL(u.String()); err != nil {
		return opt, 0, err
	}
	opt.InitAddress = append(opt.InitAddress, more...)
	return opt, replicas, nil
}

func netSplit(hostport string) (string, string, error) {
	i := strings.LastIndexByte(hostport, ':')
	if i <= 0 || i == len(hostport)-1 {
		return "", "", fmt.Errorf("want host:port")
	}
	if _, err := strconv.Atoi(hostport[i+1:]); err != nil {
		return "", "", fmt.Errorf("port %q is not a number", hostport[i+1:])
	}
	return hostport[:i], hostport[i+1:], nil
}

// Open connects to the Redis, or the Redis Cluster, at url (see ParseURL).
// A cluster is recognised by asking the first node that answers.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	if strings.ContainsAny(opt.Prefix, "{}") {
		return nil, fmt.Errorf("redis key prefix %q: no braces", opt.Prefix)
	}
	o, replicas, err := ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis URL: %w", err)
	}
	o.DisableCache = true
	o.ConnWriteTimeout = 5 * time.Second
	c, err := rueidis.NewClient(o)
	if err != nil {
		return nil, fmt.Errorf("connecting to redis: %w", err)
	}
	if replicas < 0 {
		replicas = 0
		if c.Mode() == rueidis.ClientModeCluster {
			replicas = 1
		}
	}
	if opt.TracerProvider != nil {
		c = tracedClient{Client: c, t: telemetry.NewTracer(opt.TracerProvider, "examhall/redis")}
	}
	if opt.Observer == nil {
		opt.Observer = nopObserver{}
	}
	return &Store{c: c, prefix: opt.Prefix, obs: opt.Observer, replicas: replicas, waitFor: 100 * time.Millisecond}, nil
}

// Cluster reports whether the Store is on a Redis Cluster.
func (s *Store) Cluster() bool { return s.c.Mode() == rueidis.ClientModeCluster }

// Close closes the connections.
func (s *Store) Close() { s.c.Close() }

// Client returns the underlying client, for tests and tools.
func (s *Store) Client() rueidis.Client { return s.c }

// Prefix returns the key prefix.
func (s *Store) Prefix() string { return s.prefix }

// Ready reports whether Redis answers.
func (s *Store) Ready(ctx context.Context) error {
	return s.c.Do(ctx, s.c.B().Ping().Build()).Error()
}

// Shards is the number of shards of the attempts: each is one hash tag, so
// one Cluster slot, with its own deadline index. 64 spread the attempts
// evenly enough over a few masters and cost a sweep one pipelined probe.
const Shards = 64

// shard returns the hash tag of an attempt's keys.
func shard(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % Shards)
}

func tag(shard int) string { return "{" + strconv.Itoa(shard) + "}" }

// Keys of one attempt: its shard is the hash tag, so the attempt, its
// drafts and its shard's deadline index are in one slot.
func (s *Store) attemptKey(id string) string { return s.prefix + "att:" + tag(shard(id)) + id }
func (s *Store) draftsKey(id string) string  { return s.prefix + "drafts:" + tag(shard(id)) + id }
func (s *Store) lockKey(id string) string    { return s.prefix + "lock:" + tag(shard(id)) + id }

// dueKey is the deadline index of one shard: a sorted set of attempt ids by
// due time.
func (s *Store) dueKey(shard int) string { return s.prefix + "due:" + tag(shard) }

// script is a Lua script run with EVALSHA (EVAL when the node does not
// know it yet), optionally followed on the same connection by WAIT, so
// that what it wrote is on the replicas before the caller acknowledges it.
type script struct {
	src, sha string
}

func newScript(src string) *script {
	sum := sha1.Sum([]byte(src))
	return &script{src: src, sha: hex.EncodeToString(sum[:])}
}

// exec runs the script on keys (all of one slot) with args.
func (s *Store) exec(ctx context.Context, sc *script, keys, args []string) rueidis.RedisResult {
	r := s.c.Do(ctx, s.c.B().Evalsha().Sha1(sc.sha).Numkeys(int64(len(keys))).Key(keys...).Arg(args...).Build())
	if e, ok := rueidis.IsRedisErr(r.Error()); ok && e.IsNoScript() {
		r = s.c.Do(ctx, s.c.B().Eval().Script(sc.src).Numkeys(int64(len(keys))).Key(keys...).Arg(args...).Build())
	}
	return r
}

// execDurable is exec for a write that is acknowledged to candidates: on a
// Redis with replicas it waits (at most waitFor) until the replicas of the
// keys' master have it, so that a failover to one of them loses nothing
// acknowledged. A replica that does not answer in time (down, or far
// behind) does not fail the write: the master has it, and while the
// replica is away there is no replica to fail over to; it is counted as
// the operation "replica_wait" failing.
func (s *Store) execDurable(ctx context.Context, sc *script, keys, args []string) rueidis.RedisResult {
	if s.replicas == 0 {
		return s.exec(ctx, sc, keys, args)
	}
	wait := s.c.B().Wait().Numreplicas(s.replicas).Timeout(s.waitFor.Milliseconds()).Build().SetSlot(keys[0])
	// WAIT blocks, so rueidis runs both on one dedicated connection, in
	// order: the WAIT covers the script's writes.
	start := time.Now()
	rs := s.c.DoMulti(ctx, s.c.B().Evalsha().Sha1(sc.sha).Numkeys(int64(len(keys))).Key(keys...).Arg(args...).Build(), wait)
	if e, ok := rueidis.IsRedisErr(rs[0].Error()); ok && e.IsNoScript() {
		wait = s.c.B().Wait().Numreplicas(s.replicas).Timeout(s.waitFor.Milliseconds()).Build().SetSlot(keys[0])
		rs = s.c.DoMulti(ctx, s.c.B().Eval().Script(sc.src).Numkeys(int64(len(keys))).Key(keys...).Arg(args...).Build(), wait)
	}
	if rs[0].Error() == nil {
		n, err := rs[1].AsInt64()
		if err == nil && n < s.replicas {
			err = fmt.Errorf("%d of %d replicas acknowledged within %v", n, s.replicas, s.waitFor)
		}
		s.obs.Call("replica_wait", time.Since(start), err)
	}
	return rs[0]
}

// observe records a call and turns a failure into EUnavailable: Redis down
// means nothing was acknowledged and retrying is safe.
func (s *Store) observe(op string, start time.Time, err error) error {
	if rueidis.IsRedisNil(err) {
		err = nil
	}
	s.obs.Call(op, time.Since(start), err)
	if err != nil {
		return examhall.Unavailable(fmt.Errorf("redis %s: %w", op, err))
	}
	return nil
}

func ms(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return fmt.Sprint(t.UnixMilli())
}

// Time returns Redis's clock (TIME): the one clock every pod can compare
// its own with.
func (s *Store) Time(ctx context.Context) (time.Time, error) {
	v, err := s.c.Do(ctx, s.c.B().Time().Build()).AsIntSlice()
	if err != nil {
		return time.Time{}, err
	}
	if len(v) != 2 {
		return time.Time{}, fmt.Errorf("redis TIME answered %v", v)
	}
	return time.Unix(v[0], v[1]*1000), nil
}

// HashTag returns the hash tag of an attempt's keys ("{N}", N its shard):
// a key with it is in the slot of the attempt.
func HashTag(attempt string) string { return tag(shard(attempt)) }
