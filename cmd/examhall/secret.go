package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"examhall/telemetry"
)

// Passwords are never flag values, which any user of the machine can read
// in ps: each is read from an EXAMHALL_* variable or from a file named by a
// --...-password-file flag ("-" reads standard input).

// password returns the password from file (when set) or the variable env.
func (m *Main) password(file, env string) (string, error) {
	if file == "" {
		return m.Getenv(env), nil
	}
	var b []byte
	var err error
	if file == "-" {
		b, err = io.ReadAll(io.LimitReader(m.Stdin, 4096))
	} else {
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	p := strings.TrimRight(string(b), "\r\n")
	if p == "" {
		return "", errors.New("the password file is empty")
	}
	return p, nil
}

// passwordFlagError explains a password given as a flag, which no command
// takes any more.
func passwordFlagError(err error) error {
	msg := err.Error()
	for _, f := range []string{"admin-password", "new-password", "password"} {
		if strings.Contains(msg, "flag provided but not defined: -"+f) {
			env := map[string]string{"admin-password": "EXAMHALL_ADMIN_PASSWORD", "new-password": "EXAMHALL_NEW_PASSWORD", "password": "EXAMHALL_PASSWORD"}[f]
			return usageError{fmt.Sprintf("--%s: passwords are not taken as flags (anyone can read them in ps); set %s or use --%s-file FILE (- for standard input)", f, env, f)}
		}
	}
	return nil
}

// redactURL returns u without the password of its user part, to be shown
// in a message or a log.
func redactURL(u string) string { return telemetry.RedactCredentials(u) }
