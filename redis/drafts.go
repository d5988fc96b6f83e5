package redis

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"examhall"

	"github.com/redis/rueidis"
)

// A draft is stored as "<seq>:<response>" in the attempt's drafts hash.

// keepLua is the seq rule, the one copy in Lua (examhall.Newer in Go):
// keep(first) applies the answers in ARGV from first on (question, seq,
// response) to the drafts hash KEYS[2], keeping a stored answer unless the
// new one has a greater seq, and returns the seq stored afterwards for
// each.
const keepLua = `
local function keep(first)
  local out = {}
  for i = first, #ARGV, 3 do
    local q, seq = ARGV[i], tonumber(ARGV[i+1])
    local cur = redis.call('HGET', KEYS[2], q)
    local curseq = nil
    if cur then curseq = tonumber(string.sub(cur, 1, string.find(cur, ':', 1, true) - 1)) end
    if not curseq or seq > curseq then
      redis.call('HSET', KEYS[2], q, ARGV[i+1] .. ':' .. ARGV[i+2])
      curseq = seq
    end
    out[#out+1] = string.format('%.0f', curseq)
  end
  return out
end
`

// applyLua applies answers (ARGV from 3: question, seq, response) with the
// seq rule and returns the stored seq after each. ARGV[1] = 1 requires the
// attempt to be in progress (a save); ARGV[2] = 1 allows a missing attempt
// hash (rebuilding drafts). It returns {'gone'} or {'closed'} instead when
// the attempt is missing or submitted, and {'closing'} while a
// submission of it is under way (see CloseAttempt).
const applyLua = keepLua + `
local st = redis.call('HGET', KEYS[1], 'status')
if not st and ARGV[2] ~= '1' then return {'gone'} end
if ARGV[1] == '1' and st == 'closing' then return {'closing'} end
if ARGV[1] == '1' and st ~= 'in_progress' then return {'closed'} end
if st then
  -- drafts lost (evicted) while the attempt stayed: reads must complete
  -- them from the database from now on.
  if redis.call('EXISTS', KEYS[2]) == 0 and redis.call('HGET', KEYS[1], 'drafted') == '1' then
    redis.call('HSET', KEYS[1], 'rebuilt', '1')
  end
  redis.call('HSET', KEYS[1], 'drafted', '1')
end
return keep(3)`

var applyScript = newScript(applyLua)

// sealScript is applyLua for a submission: it applies the final answers
// and marks the attempt submitted (ARGV[1..4] = submitted_at, auto,
// receipt, id), unless it was submitted already.
var sealScript = newScript(keepLua + `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'gone'} end
if st ~= 'in_progress' and st ~= 'closing' then return {'closed'} end
keep(5)
redis.call('HSET', KEYS[1], 'status', 'submitted', 'sub', ARGV[1], 'auto', ARGV[2], 'rcpt', ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[4])
return {'ok'}`)

func answerArgs(head []string, answers []examhall.Answer) []string {
	args := append(make([]string, 0, len(head)+3*len(answers)), head...)
	for _, a := range answers {
		args = append(args, a.Question, strconv.FormatInt(a.Seq, 10), string(a.Response))
	}
	return args
}

// gone is the error of an attempt that Redis does not hold (flushed or
// evicted): the caller rebuilds it from the database.
func gone(id string) error {
	return examhall.Errorf(examhall.ENotFound, "No attempt has the id %q.", id)
}

func closed() error {
	return examhall.Errorf(examhall.EAttemptClosed, "This attempt was submitted; it cannot change.")
}

// Apply stores answers of an attempt in progress with the seq rule,
// atomically, and returns for each question in the order first named the
// seq stored afterwards. EAttemptClosed if the attempt was submitted;
// ENotFound if Redis does not hold the attempt (a new login rebuilds it).
func (s *Store) Apply(ctx context.Context, id string, answers []examhall.Answer) ([]examhall.Saved, error) {
	return s.apply(ctx, id, answers, true)
}

// Restore applies answers kept in the database to the drafts of an
// attempt with the seq rule, whatever its state, so that newer answers in
// Redis stay.
func (s *Store) Restore(ctx context.Context, id string, answers map[string]examhall.Answer) error {
	if len(answers) == 0 {
		return nil
	}
	list := make([]examhall.Answer, 0, len(answers))
	for _, a := range answers {
		list = append(list, a)
	}
	_, err := s.apply(ctx, id, list, false)
	return err
}

func (s *Store) apply(ctx context.Context, id string, answers []examhall.Answer, save bool) ([]examhall.Saved, error) {
	start := time.Now()
	head := []string{"0", "1"}
	if save {
		head = []string{"1", "0"}
	}
	res, err := s.execDurable(ctx, applyScript, []string{s.attemptKey(id), s.draftsKey(id)}, answerArgs(head, answers)).AsStrSlice()
	if err := s.observe("apply", start, err); err != nil {
		return nil, err
	}
	if len(res) == 1 && (res[0] == "gone" || res[0] == "closed" || res[0] == "closing") {
		switch res[0] {
		case "gone":
			return nil, gone(id)
		case "closing":
			return nil, &examhall.RetryError{Err: examhall.Errorf(examhall.EUnavailable, "This attempt is being submitted; nothing of this save was kept. Retry shortly."), After: time.Second}
		}
		return nil, closed()
	}
	out := make([]examhall.Saved, 0, len(answers))
	pos := make(map[string]int, len(answers))
	for i, a := range answers {
		seq, _ := strconv.ParseInt(res[i], 10, 64)
		if j, ok := pos[a.Question]; ok {
			out[j].Seq = seq
			continue
		}
		pos[a.Question] = len(out)
		out = append(out, examhall.Saved{Question: a.Question, Seq: seq})
	}
	return out, nil
}

// Seal merges final answers into the drafts and marks the attempt
// submitted with the given time and receipt, atomically. EAttemptClosed if
// it was submitted before; ENotFound if Redis does not hold it.
func (s *Store) Seal(ctx context.Context, sub *examhall.Submission, final []examhall.Answer) error {
	start := time.Now()
	auto := "0"
	if sub.Auto {
		auto = "1"
	}
	head := []string{ms(sub.SubmittedAt), auto, sub.Receipt, sub.Attempt}
	res, err := s.execDurable(ctx, sealScript, []string{s.attemptKey(sub.Attempt), s.draftsKey(sub.Attempt), s.dueKey(shard(sub.Attempt))}, answerArgs(head, final)).AsStrSlice()
	if err := s.observe("seal", start, err); err != nil {
		return err
	}
	switch res[0] {
	case "gone":
		return gone(sub.Attempt)
	case "closed":
		return closed()
	}
	return nil
}

// Drafts returns the answers Redis holds for an attempt, by question, and
// whether they are all of its drafts, in one round trip. They are not when
// Redis does not hold the attempt, when the attempt was rebuilt from the
// database (the grader's copy may hold more), or when it had drafts and
// holds none now (evicted). An attempt that never had a draft holds all of
// its (none): a fresh attempt's paper needs no read of the database.
func (s *Store) Drafts(ctx context.Context, id string) (map[string]examhall.Answer, bool, error) {
	return s.drafts(ctx, id, nil)
}

// Pick is Drafts for the entries under keys only: what a save in an exam
// with sections reads, however many answers the attempt has.
func (s *Store) Pick(ctx context.Context, id string, keys []string) (map[string]examhall.Answer, bool, error) {
	if len(keys) == 0 {
		return map[string]examhall.Answer{}, false, nil
	}
	return s.drafts(ctx, id, keys)
}

func (s *Store) drafts(ctx context.Context, id string, keys []string) (map[string]examhall.Answer, bool, error) {
	start := time.Now()
	key := s.draftsKey(id)
	cmds := rueidis.Commands{
		s.c.B().Hgetall().Key(key).Build(),
		s.c.B().Hmget().Key(s.attemptKey(id)).Field("status", "rebuilt", "drafted").Build(),
	}
	if keys != nil {
		cmds[0] = s.c.B().Hmget().Key(key).Field(keys...).Build()
		cmds = append(cmds, s.c.B().Exists().Key(key).Build())
	}
	res := s.c.DoMulti(ctx, cmds...)
	var m map[string]string
	var err error
	if keys == nil {
		m, err = res[0].AsStrMap()
	} else if vals, e := res[0].ToArray(); e != nil {
		err = e
	} else {
		m = make(map[string]string, len(keys))
		for i, v := range vals {
			if str, e := v.ToString(); e == nil && i < len(keys) {
				m[keys[i]] = str // a missing field is nil, left out
			}
		}
	}
	for _, r := range res[1:] {
		if err == nil {
			err = r.Error()
		}
	}
	if err := s.observe("drafts", start, err); err != nil {
		return nil, false, err
	}
	flags, _ := res[1].ToArray()
	flag := func(i int) string {
		if i >= len(flags) {
			return ""
		}
		v, _ := flags[i].ToString() // nil for a missing field
		return v
	}
	exists := len(m) > 0
	if keys != nil {
		n, _ := res[2].AsInt64()
		exists = n > 0
	}
	complete := flag(0) != "" && flag(1) != "1" && (exists || flag(2) != "1")
	out := make(map[string]examhall.Answer, len(m))
	for q, v := range m {
		i := strings.IndexByte(v, ':')
		if i < 0 {
			continue
		}
		seq, _ := strconv.ParseInt(v[:i], 10, 64)
		out[q] = examhall.Answer{Question: q, Seq: seq, Response: json.RawMessage(v[i+1:])}
	}
	return out, complete, nil
}

// closing is the status of an attempt whose submission has read its
// drafts and not yet sealed them: saves are refused (EUnavailable, so the
// client retries and learns the outcome), so that every save acknowledged
// before is in the submission and none after.
const closing = "closing"

// closeScript starts a submission: an attempt in progress (or left closing
// by a submission that failed) becomes closing and its drafts are
// returned, in one step.
var closeScript = newScript(`
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {'gone'} end
if st ~= 'in_progress' and st ~= 'closing' then return {'closed'} end
redis.call('HSET', KEYS[1], 'status', 'closing')
local out = {'ok'}
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all do out[#out+1] = all[i] end
return out`)

// CloseAttempt marks an attempt in progress closing and returns its drafts, by
// question, atomically: the answer set a submission seals. ENotFound if
// Redis does not hold it; EAttemptClosed if it was submitted.
func (s *Store) CloseAttempt(ctx context.Context, id string) (map[string]examhall.Answer, error) {
	start := time.Now()
	res, err := s.execDurable(ctx, closeScript, []string{s.attemptKey(id), s.draftsKey(id)}, nil).AsStrSlice()
	if err := s.observe("close", start, err); err != nil {
		return nil, err
	}
	switch res[0] {
	case "gone":
		return nil, gone(id)
	case "closed":
		return nil, closed()
	}
	out := make(map[string]examhall.Answer, (len(res)-1)/2)
	for i := 1; i+1 < len(res); i += 2 {
		q, v := res[i], res[i+1]
		j := strings.IndexByte(v, ':')
		if j < 0 {
			continue
		}
		seq, _ := strconv.ParseInt(v[:j], 10, 64)
		out[q] = examhall.Answer{Question: q, Seq: seq, Response: json.RawMessage(v[j+1:])}
	}
	return out, nil
}

var reopenScript = newScript(`
if redis.call('HGET', KEYS[1], 'status') == 'closing' then
  redis.call('HSET', KEYS[1], 'status', 'in_progress')
end
return 1`)

// Reopen undoes CloseAttempt after a submission failed before sealing.
func (s *Store) Reopen(ctx context.Context, id string) error {
	start := time.Now()
	err := s.exec(ctx, reopenScript, []string{s.attemptKey(id)}, nil).Error()
	return s.observe("reopen", start, err)
}
