package hall

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"math"
	"strings"
)

// Keys are the secrets derived from the server's master secret, one per
// purpose, so that no value signed for one purpose is valid for another.
type Keys struct {
	token   []byte // signs bearer tokens
	code    []byte // keys the hash of access codes
	attempt []byte // derives attempt ids
	receipt []byte // signs submission receipts
	upload  []byte // signs references to uploaded files
}

// MinSecretBytes is the shortest master secret accepted.
const MinSecretBytes = 32

// NewKeys derives the keys from a master secret of at least MinSecretBytes
// that is not obviously guessable (see CheckEntropy).
func NewKeys(secret []byte) (*Keys, error) {
	if len(secret) < MinSecretBytes {
		return nil, errors.New("the secret must be at least 32 bytes")
	}
	if err := CheckEntropy(secret); err != nil {
		return nil, err
	}
	derive := func(purpose string) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte("examhall/" + purpose))
		return m.Sum(nil)
	}
	return &Keys{
		token:   derive("token"),
		code:    derive("code"),
		attempt: derive("attempt"),
		receipt: derive("receipt"),
		upload:  derive("upload"),
	}, nil
}

// WithTokenKey returns the keys with another key signing bearer tokens:
// embedded mode keeps that key outside the database (see sqlite.TokenKey),
// so that a backup cannot forge tokens.
func (k *Keys) WithTokenKey(key []byte) (*Keys, error) {
	if len(key) < MinSecretBytes {
		return nil, errors.New("the token key must be at least 32 bytes")
	}
	c := *k
	m := hmac.New(sha256.New, key)
	m.Write([]byte("examhall/token"))
	c.token = m.Sum(nil)
	return &c, nil
}

// CheckEntropy refuses a secret made of few distinct bytes, such as a word
// repeated: fewer than 10 distinct bytes, or fewer than 128 bits by the
// crude bound length × log2(distinct bytes). A hex secret (openssl rand
// -hex 32) has at most 16 distinct bytes and passes; so do random bytes.
func CheckEntropy(secret []byte) error {
	var seen [256]bool
	n := 0
	for _, b := range secret {
		if !seen[b] {
			seen[b] = true
			n++
		}
	}
	if n < 10 || float64(len(secret))*math.Log2(float64(n)) < 128 {
		return fmt.Errorf("the secret has too little entropy (%d distinct bytes in %d); make one with openssl rand -hex 32", n, len(secret))
	}
	return nil
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// CodeHash returns the keyed hash stored for a candidate's access code.
func (k *Keys) CodeHash(exam, candidate, code string) []byte {
	return mac(k.code, exam, candidate, code)
}

// AttemptID returns the id of the one attempt of a candidate at an exam.
// It is derived, not random, so that every server finds the same attempt
// even with no shared cache; without the key it cannot be guessed.
func (k *Keys) AttemptID(exam, candidate string) string {
	sum := mac(k.attempt, exam, candidate)
	return "a" + strings.ToLower(b32.EncodeToString(sum[:15]))
}

func mac(key []byte, parts ...string) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}
