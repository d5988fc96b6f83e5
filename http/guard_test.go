package http_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
	"examhall/hall"
	ehttp "examhall/http"
)

// from returns headers that make a request come from addr through the
// test's trusted proxy (the loopback).
func from(addr string) http.Header {
	return http.Header{"X-Forwarded-For": {addr}, "User-Agent": {"guard-test"}}
}

func loopbackProxy() ehttp.Config {
	return ehttp.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}
}

func loginBody(exam, candidate, code string) map[string]string {
	return map[string]string{"exam": exam, "candidate": candidate, "code": code}
}

// TestGuessingCannotLockOutTheHolder: an attacker guessing a candidate's
// code is refused after a few failures, per address and then per network,
// while the candidate, from elsewhere, signs in as often as they like; and
// however many logins succeed from one address, none is refused.
func TestGuessingCannotLockOutTheHolder(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{HTTP: loopbackProxy(), Guard: hall.Guard{AddrFailures: 5}})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("guess", 600))
	codes := examhalltest.MustIssue(t, staff, exam, 3)
	victim := codes[0]

	// One address: five failures, then 429 with a wait, before the code is
	// even looked at (the right code from there is refused too).
	for i := 1; i <= 40; i++ {
		r := srv.DoWith(t, from("203.0.113.7"), "POST", "/api/v1/login", "", loginBody(exam, victim.Candidate, fmt.Sprintf("GUES-SING-%04d", i)))
		want := 401
		if i > 5 {
			want = 429
		}
		if r.Status != want {
			t.Fatalf("guess %d from one address: %d %s, want %d", i, r.Status, r.Body, want)
		}
		if want == 429 && (r.Code() != examhall.ERateLimited || r.Header.Get("Retry-After") == "") {
			t.Fatalf("guess %d: %s, Retry-After %q; want rate_limited with a wait", i, r.Body, r.Header.Get("Retry-After"))
		}
	}
	// Its neighbours in the /24 share a network limit (four times five).
	limited := 0
	for i := 1; i <= 30; i++ {
		r := srv.DoWith(t, from(fmt.Sprintf("203.0.113.%d", 100+i)), "POST", "/api/v1/login", "", loginBody(exam, victim.Candidate, "WRON-GCOD-E000"))
		if r.Status == 429 {
			limited++
		} else if r.Status != 401 {
			t.Fatalf("guess from a neighbour: %d %s", r.Status, r.Body)
		}
	}
	if limited != 15 {
		t.Errorf("%d of 30 guesses from the rest of the /24 refused, want 15 (the network allows 20 failures, 5 were spent)", limited)
	}
	// The holder, from another network, is never refused; neither are
	// many successful logins from one address.
	for i := 0; i < 30; i++ {
		c := codes[i%len(codes)]
		r := srv.DoWith(t, from("198.51.100.9"), "POST", "/api/v1/login", "", loginBody(exam, c.Candidate, c.Code))
		if r.Status != 200 {
			t.Fatalf("login %d of a holder after the guessing: %d %s", i, r.Status, r.Body)
		}
	}
	// The holder's own typos count against their address only, and the
	// right code still works until the limit.
	r := srv.DoWith(t, from("198.51.100.9"), "POST", "/api/v1/login", "", loginBody(exam, victim.Candidate, "TYPO-TYPO-TYPO"))
	if r.Status != 401 {
		t.Fatalf("a typo: %d %s", r.Status, r.Body)
	}
	if r := srv.DoWith(t, from("198.51.100.9"), "POST", "/api/v1/login", "", loginBody(exam, victim.Candidate, victim.Code)); r.Status != 200 {
		t.Fatalf("the right code after a typo: %d %s", r.Status, r.Body)
	}
}

// TestForwardedForNeedsATrustedProxy: without --trusted-proxies a client
// cannot escape the limit by sending X-Forwarded-For.
func TestForwardedForNeedsATrustedProxy(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{Guard: hall.Guard{AddrFailures: 5}})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("xff", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	var last *examhalltest.Response
	for i := 0; i < 6; i++ {
		last = srv.DoWith(t, from(fmt.Sprintf("192.0.2.%d", i+1)), "POST", "/api/v1/login", "", loginBody(exam, code.Candidate, "GUES-SING-0000"))
	}
	if last.Status != 429 {
		t.Fatalf("sixth guess with a forged X-Forwarded-For: %d %s, want 429", last.Status, last.Body)
	}
}

// TestCandidateIDsAreNotSequential: ids given by count tell nothing about
// the other candidates' ids.
func TestCandidateIDsAreNotSequential(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("ids", 600))
	codes := examhalltest.MustIssue(t, staff, exam, 50)
	codes = append(codes, examhalltest.MustIssue(t, staff, exam, 50)...)
	ids := map[string]bool{}
	for _, c := range codes {
		ids[c.Candidate] = true
	}
	if len(ids) != 100 {
		t.Fatalf("%d distinct ids of 100", len(ids))
	}
	num := regexp.MustCompile(`^(.*?)(\d+)$`)
	for id := range ids {
		m := num.FindStringSubmatch(id)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		for _, d := range []int{-1, 1} {
			next := fmt.Sprintf("%s%0*d", m[1], len(m[2]), n+d)
			if ids[next] {
				t.Fatalf("ids %s and %s are neighbours: one tells the other", id, next)
			}
		}
	}
}

// TestStaffLoginFlood: logins with made-up usernames cannot run more
// password hashes at once than the server allows (the rest get 503 with
// Retry-After), are limited per address, cannot send huge usernames or
// passwords; a candidate signs in meanwhile.
func TestStaffLoginFlood(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{HTTP: loopbackProxy(), Guard: hall.Guard{AddrFailures: 1000, MaxHashing: 1}})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("flood", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]

	for _, body := range []map[string]string{
		{"username": strings.Repeat("u", 10000), "password": "whatever-password"},
		{"username": "admin", "password": strings.Repeat("p", 2000)},
	} {
		if r := srv.Do(t, "POST", "/api/v1/admin/login", "", body); r.Status != 400 || r.Code() != examhall.EBadRequest {
			t.Errorf("login with a %d-byte username and %d-byte password: %d %s, want 400 bad_request", len(body["username"]), len(body["password"]), r.Status, r.Body)
		}
	}

	const n = 24
	var wg sync.WaitGroup
	start := make(chan struct{})
	statuses := make([]*examhalltest.Response, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = srv.DoWith(t, from(fmt.Sprintf("2001:db8:%x::1", i)), "POST", "/api/v1/admin/login", "", map[string]string{"username": fmt.Sprintf("nobody-%d", i), "password": "guess-guess-guess"})
		}()
	}
	close(start)
	cand := srv.DoWith(t, from("198.51.100.20"), "POST", "/api/v1/login", "", loginBody(exam, code.Candidate, code.Code))
	wg.Wait()
	if cand.Status != 200 {
		t.Errorf("candidate login during the flood: %d %s", cand.Status, cand.Body)
	}
	busy := 0
	for i, r := range statuses {
		switch {
		case r.Status == 503 && r.Code() == examhall.EUnavailable && r.Header.Get("Retry-After") != "":
			busy++
		case r.Status == 401:
		default:
			t.Errorf("flood login %d: %d %s (Retry-After %q), want 401 or 503 with Retry-After", i, r.Status, r.Body, r.Header.Get("Retry-After"))
		}
	}
	if busy == 0 {
		t.Errorf("%d concurrent staff logins with one hashing slot: none refused", n)
	}

	// One address: the failures are limited like candidates'.
	srv2 := examhalltest.New(t, examhalltest.Options{HTTP: loopbackProxy(), Guard: hall.Guard{AddrFailures: 3}})
	for i := 1; i <= 5; i++ {
		r := srv2.DoWith(t, from("203.0.113.50"), "POST", "/api/v1/admin/login", "", map[string]string{"username": fmt.Sprintf("nobody-%d", i), "password": "guess-guess-guess"})
		if want := map[bool]int{true: 429, false: 401}[i > 3]; r.Status != want {
			t.Fatalf("staff guess %d from one address: %d %s, want %d", i, r.Status, r.Body, want)
		}
	}
	if r := srv2.DoWith(t, from("198.51.100.1"), "POST", "/api/v1/admin/login", "", map[string]string{"username": examhalltest.AdminUser, "password": examhalltest.AdminPassword}); r.Status != 200 {
		t.Fatalf("the admin from another network after the guessing: %d %s", r.Status, r.Body)
	}
}

// TestAuditRecordsWhereFrom: logins and staff actions in the audit log say
// which address and user agent they came from.
func TestAuditRecordsWhereFrom(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{HTTP: loopbackProxy(), Quiet: true})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("audit-from", 600))
	hdr := from("203.0.113.9")
	hdr.Set("User-Agent", "HallPC-17")
	r := srv.DoWith(t, hdr, "POST", "/api/v1/admin/exams/"+exam+"/candidates", staff.Token, map[string]any{"count": 1})
	if r.Status != 200 {
		t.Fatalf("issuing: %d %s", r.Status, r.Body)
	}
	var issued examhall.IssuedCodes
	r.Decode(t, &issued)
	c := issued.Candidates[0]
	hdr = from("198.51.100.44")
	hdr.Set("User-Agent", "Firefox/140")
	if r := srv.DoWith(t, hdr, "POST", "/api/v1/login", "", loginBody(exam, c.Candidate, c.Code)); r.Status != 200 {
		t.Fatalf("login: %d %s", r.Status, r.Body)
	}
	var evs examhall.EventList
	examhalltest.Eventually(t, 10*time.Second, func() error {
		srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/events", staff.Token, nil).Decode(t, &evs)
		got := map[string]string{}
		for _, ev := range evs.Events {
			got[ev.Kind] = ev.Detail
		}
		if !strings.Contains(got["codes_issued"], "from 203.0.113.9 (HallPC-17)") || !strings.Contains(got["login"], "from 198.51.100.44 (Firefox/140)") {
			return fmt.Errorf("audit details %v, want codes_issued from 203.0.113.9 (HallPC-17) and login from 198.51.100.44 (Firefox/140)", got)
		}
		return nil
	})
}
