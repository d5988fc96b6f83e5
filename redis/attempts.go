package redis

import (
	"context"
	"math"
	"strconv"
	"time"

	"examhall"

	"github.com/redis/rueidis"
)

// Attempt returns the cached state of an attempt with its live session,
// and whether it was rebuilt from the database (so its drafts may lag the
// log). ENotFound if Redis does not hold it.
func (s *Store) Attempt(ctx context.Context, id string) (a *examhall.Attempt, rebuilt bool, err error) {
	start := time.Now()
	m, err := s.c.Do(ctx, s.c.B().Hgetall().Key(s.attemptKey(id)).Build()).AsStrMap()
	if err := s.observe("attempt", start, err); err != nil {
		return nil, false, err
	}
	if len(m) == 0 || m["status"] == "" {
		return nil, false, examhall.Errorf(examhall.ENotFound, "No attempt has the id %q.", id)
	}
	st := examhall.AttemptStatus(m["status"])
	if st == closing {
		st = examhall.InProgress // being submitted: still in progress until sealed
	}
	a = &examhall.Attempt{
		ID: id, Exam: m["exam"], Candidate: m["cand"], Status: st,
		StartedAt: fromMS(m["start"]), Deadline: fromMS(m["dl"]), Due: fromMS(m["due"]),
		SubmittedAt: fromMS(m["sub"]), Auto: m["auto"] == "1", Receipt: m["rcpt"], Session: m["sid"],
	}
	a.Reopens, _ = strconv.Atoi(m["gen"])
	return a, m["rebuilt"] == "1", nil
}

func fromMS(s string) time.Time {
	n, _ := strconv.ParseInt(s, 10, 64)
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

// putScript stores an attempt unless Redis holds it already, then sets the
// session if one is given (a login), and indexes the due time of an
// attempt in progress. It returns 1 if it stored the attempt.
var putScript = newScript(`
local created = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'exam', ARGV[1], 'cand', ARGV[2], 'status', ARGV[3], 'start', ARGV[4],
    'dl', ARGV[5], 'due', ARGV[6], 'sub', ARGV[7], 'auto', ARGV[8], 'rcpt', ARGV[9], 'sid', '', 'rebuilt', ARGV[11], 'gen', ARGV[13])
  if ARGV[3] == 'in_progress' then
    redis.call('ZADD', KEYS[2], ARGV[6], ARGV[12])
  end
  created = 1
end
if ARGV[10] ~= '' then
  redis.call('HSET', KEYS[1], 'sid', ARGV[10])
end
return created`)

// PutAttempt stores an attempt read from the database (or just created
// there) unless Redis holds it, and makes sid its live session when sid is
// not empty. rebuilt marks an attempt whose drafts must be completed from
// the database. It returns the attempt as Redis holds it afterwards.
func (s *Store) PutAttempt(ctx context.Context, a *examhall.Attempt, sid string, rebuilt bool) (*examhall.Attempt, bool, error) {
	start := time.Now()
	auto, rb := "0", "0"
	if a.Auto {
		auto = "1"
	}
	if rebuilt {
		rb = "1"
	}
	err := s.exec(ctx, putScript, []string{s.attemptKey(a.ID), s.dueKey(shard(a.ID))}, []string{
		a.Exam, a.Candidate, string(a.Status), ms(a.StartedAt), ms(a.Deadline), ms(a.Due),
		ms(a.SubmittedAt), auto, a.Receipt, sid, rb, a.ID, strconv.Itoa(a.Reopens),
	}).Error()
	if err := s.observe("put_attempt", start, err); err != nil {
		return nil, false, err
	}
	return s.Attempt(ctx, a.ID)
}

// extendScript moves the deadline of an attempt in progress.
var extendScript = newScript(`
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return 0 end
if st ~= 'in_progress' and st ~= 'closing' then return -1 end
redis.call('HSET', KEYS[1], 'dl', ARGV[1], 'due', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1`)

// Extend moves the deadline and due time of an attempt Redis holds in
// progress. ENotFound if Redis does not hold it; EAttemptClosed if it was
// submitted.
func (s *Store) Extend(ctx context.Context, id string, deadline, due time.Time) error {
	start := time.Now()
	n, err := s.execDurable(ctx, extendScript, []string{s.attemptKey(id), s.dueKey(shard(id))}, []string{ms(deadline), ms(due), id}).AsInt64()
	if err := s.observe("extend", start, err); err != nil {
		return err
	}
	switch n {
	case 0:
		return examhall.Errorf(examhall.ENotFound, "No attempt has the id %q.", id)
	case -1:
		return examhall.Errorf(examhall.EAttemptClosed, "This attempt was submitted; its deadline cannot change.")
	}
	return nil
}

// reopenSubmittedScript makes a submitted attempt whose reopens count is
// ARGV[4] in progress again until ARGV[1] (due ARGV[2]) and indexes its
// due time; its drafts, the final answers, stay. It returns 1, 0 if
// Redis does not hold the attempt, -1 if it is not submitted and -2 if it
// was reopened since (another count).
var reopenSubmittedScript = newScript(`
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return 0 end
if st ~= 'submitted' then return -1 end
if (redis.call('HGET', KEYS[1], 'gen') or '0') ~= ARGV[4] then return -2 end
redis.call('HSET', KEYS[1], 'status', 'in_progress', 'dl', ARGV[1], 'due', ARGV[2], 'sub', '', 'auto', '0', 'rcpt', '',
  'gen', tostring(tonumber(ARGV[4]) + 1))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1`)

// ReopenSubmitted makes a submitted attempt that was reopened reopens
// times before in progress again, with a new deadline and due time, its
// drafts kept. ENotFound if Redis does not hold it; EAttemptNotSubmitted
// if it is not submitted, or was reopened by someone else meanwhile.
func (s *Store) ReopenSubmitted(ctx context.Context, id string, deadline, due time.Time, reopens int) error {
	start := time.Now()
	n, err := s.execDurable(ctx, reopenSubmittedScript, []string{s.attemptKey(id), s.dueKey(shard(id))},
		[]string{ms(deadline), ms(due), id, strconv.Itoa(reopens)}).AsInt64()
	if err := s.observe("reopen_submitted", start, err); err != nil {
		return err
	}
	switch n {
	case 0:
		return examhall.Errorf(examhall.ENotFound, "No attempt has the id %q.", id)
	case -1, -2:
		return examhall.Errorf(examhall.EAttemptNotSubmitted, "Attempt %q is not submitted; only a submitted attempt can be reopened.", id)
	}
	return nil
}

// claimScript takes up to ARGV[2] ids due at or before ARGV[1] and pushes
// their score to ARGV[3], the end of the claim: another pod will not see
// them until then, and will if they are still in the index (not submitted).
var claimScript = newScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], id)
end
return ids`)

// ClaimDue takes up to limit attempts due at or before now for lease: no
// other caller gets them until the lease ends. It probes every shard's
// index in one pipeline and claims from those with attempts due, starting
// from a shard that changes with the time, so that pods share the work.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]string, error) {
	start := time.Now()
	probe := make(rueidis.Commands, Shards)
	for i := range probe {
		probe[i] = s.c.B().Zrangebyscore().Key(s.dueKey(i)).Min("-inf").Max(ms(now)).Limit(0, 1).Build()
	}
	var due []int
	for i, r := range s.c.DoMulti(ctx, probe...) {
		ids, err := r.AsStrSlice()
		if err := s.observe("claim_due", start, err); err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			due = append(due, i)
		}
	}
	var out []string
	first := int(now.UnixNano() / int64(time.Millisecond))
	for k := range due {
		if len(out) >= limit {
			break
		}
		i := due[(k+first)%len(due)]
		start := time.Now()
		ids, err := s.exec(ctx, claimScript, []string{s.dueKey(i)}, []string{ms(now), strconv.Itoa(limit - len(out)), ms(now.Add(lease))}).AsStrSlice()
		if err := s.observe("claim_due", start, err); err != nil {
			return out, err
		}
		out = append(out, ids...)
	}
	return out, nil
}

// builtMember marks a shard's deadline index as built. It lives inside the
// index (at +inf, so no claim returns it): if Redis loses the index, by a
// flush, an eviction or a failover that lost writes, it loses the mark
// with it.
const builtMember = "~built"

// ClaimRebuild reports whether the deadline index needs building (a fresh,
// flushed or evicted Redis, or one shard of it) and, if so, marks it built,
// so that one caller of many rebuilds it.
func (s *Store) ClaimRebuild(ctx context.Context) (bool, error) {
	start := time.Now()
	cmds := make(rueidis.Commands, Shards)
	for i := range cmds {
		cmds[i] = s.c.B().Zadd().Key(s.dueKey(i)).Nx().ScoreMember().ScoreMember(math.Inf(1), builtMember).Build()
	}
	claimed := false
	for _, r := range s.c.DoMulti(ctx, cmds...) {
		n, err := r.AsInt64()
		if err := s.observe("claim_rebuild", start, err); err != nil {
			return false, err
		}
		claimed = claimed || n == 1
	}
	return claimed, nil
}

// IndexDue adds attempts to the deadline index, keeping an existing
// score (a running claim) in place.
func (s *Store) IndexDue(ctx context.Context, due map[string]time.Time) error {
	if len(due) == 0 {
		return nil
	}
	start := time.Now()
	var byShard [Shards][]string
	for id := range due {
		i := shard(id)
		byShard[i] = append(byShard[i], id)
	}
	var list rueidis.Commands
	for i, ids := range byShard {
		if len(ids) == 0 {
			continue
		}
		c := s.c.B().Zadd().Key(s.dueKey(i)).Nx().ScoreMember()
		for _, id := range ids {
			c = c.ScoreMember(float64(due[id].UnixMilli()), id)
		}
		list = append(list, c.Build())
	}
	for _, r := range s.c.DoMulti(ctx, list...) {
		if err := s.observe("index_due", start, r.Error()); err != nil {
			return err
		}
	}
	return nil
}

// Lock takes the submission lock of an attempt for ttl and returns the
// function that releases it; ok is false if another holder has it.
func (s *Store) Lock(ctx context.Context, id, token string, ttl time.Duration) (ok bool, err error) {
	start := time.Now()
	err = s.c.Do(ctx, s.c.B().Set().Key(s.lockKey(id)).Value(token).Nx().Px(ttl).Build()).Error()
	if rueidis.IsRedisNil(err) {
		return false, s.observe("lock", start, nil)
	}
	if err := s.observe("lock", start, err); err != nil {
		return false, err
	}
	return true, nil
}

var unlockScript = newScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// Unlock releases the submission lock if token still holds it.
func (s *Store) Unlock(ctx context.Context, id, token string) error {
	start := time.Now()
	return s.observe("unlock", start, s.exec(ctx, unlockScript, []string{s.lockKey(id)}, []string{token}).Error())
}
