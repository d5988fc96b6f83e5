package sqlite

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"examhall"
)

// The finals table holds each submitted attempt's final answers in one
// row, written in the transaction that submits the attempt, so that it is
// exactly as durable as the submission. Results and statistics of an exam
// with 50,000 attempts of 50 questions then read 50,000 rows instead of
// 2.5 million answer rows. The answers table keeps every answer as before.
const finalInsert = `INSERT INTO finals (attempt, exam, answers) VALUES (?, ?, ?)
	ON CONFLICT (attempt) DO UPDATE SET answers = excluded.answers`

// finalVersion is the first byte of an encoded final answer set.
const finalVersion = 1

// encodeFinal packs answers as: the version byte, then per answer (sorted
// by question) uvarint length + question id, varint seq, uvarint length +
// response JSON.
func encodeFinal(answers map[string]examhall.Answer) []byte {
	qs := make([]string, 0, len(answers))
	size := 1
	for q, a := range answers {
		qs = append(qs, q)
		size += len(q) + len(a.Response) + 3*binary.MaxVarintLen64
	}
	sort.Strings(qs)
	b := make([]byte, 1, size)
	b[0] = finalVersion
	for _, q := range qs {
		a := answers[q]
		b = binary.AppendUvarint(b, uint64(len(q)))
		b = append(b, q...)
		b = binary.AppendVarint(b, a.Seq)
		b = binary.AppendUvarint(b, uint64(len(a.Response)))
		b = append(b, a.Response...)
	}
	return b
}

var errBadFinal = errors.New("malformed final answer set")

// decodeFinal is the inverse of encodeFinal. Responses share b's memory.
func decodeFinal(b []byte) (map[string]examhall.Answer, error) {
	out := make(map[string]examhall.Answer, 64)
	return out, decodeFinalInto(out, b, nil)
}

// decodeFinalInto decodes b into out, which it clears first. ids, if not
// nil, interns question ids, so that 50,000 attempts share one copy.
func decodeFinalInto(out map[string]examhall.Answer, b []byte, ids map[string]string) error {
	clear(out)
	if len(b) == 0 || b[0] != finalVersion {
		return errBadFinal
	}
	b = b[1:]
	for len(b) > 0 {
		q, rest, ok := chunk(b)
		if !ok {
			return errBadFinal
		}
		seq, n := binary.Varint(rest)
		if n <= 0 {
			return errBadFinal
		}
		resp, rest, ok := chunk(rest[n:])
		if !ok {
			return errBadFinal
		}
		id, ok := ids[string(q)]
		if !ok {
			id = string(q)
			if ids != nil && len(ids) < 100000 {
				ids[id] = id
			}
		}
		out[id] = examhall.Answer{Question: id, Response: json.RawMessage(resp), Seq: seq}
		b = rest
	}
	return nil
}

// chunk splits a uvarint-length-prefixed piece off b.
func chunk(b []byte) (piece, rest []byte, ok bool) {
	l, n := binary.Uvarint(b)
	if n <= 0 || uint64(len(b)-n) < l {
		return nil, nil, false
	}
	return b[n : n+int(l)], b[n+int(l):], true
}

// examFinals calls fn with the final answers of every submitted attempt of
// exam that has a final row.
func (db *DB) examFinals(ctx context.Context, exam string, fn func(string, map[string]examhall.Answer) error) error {
	rows, err := db.rd.QueryContext(ctx, `SELECT attempt, answers FROM finals WHERE exam = ?`, exam)
	if err != nil {
		return err
	}
	defer rows.Close()
	answers := make(map[string]examhall.Answer, 64)
	ids := make(map[string]string)
	for rows.Next() {
		var id string
		var blob []byte
		if err := rows.Scan(&id, &blob); err != nil {
			return err
		}
		if err := decodeFinalInto(answers, blob, ids); err != nil {
			return fmt.Errorf("final answers of %s: %w", id, err)
		}
		if err := fn(id, answers); err != nil {
			return err
		}
	}
	return rows.Err()
}
