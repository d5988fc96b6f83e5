package http

import (
	"testing"
	"time"
)

// TestAdmissionLimitFollowsLatency drives the login limit's controller
// window by window: it shrinks when logins or saves are slow, grows back
// while both are fast and logins are being refused, and stays inside its
// bounds.
func TestAdmissionLimitFollowsLatency(t *testing.T) {
	t.Parallel()
	a := newAdmission(Admission{MaxLogins: 400, MinLogins: 10})
	now := time.Unix(1e9, 0)
	window := func(loginMS, workMS int, refused bool) int64 {
		for i := 0; i < 100; i++ {
			a.done[classLogin]++
			if time.Duration(loginMS)*time.Millisecond > a.cfg.LoginTarget {
				a.slow[classLogin]++
			}
			a.done[classWork]++
			if time.Duration(workMS)*time.Millisecond > a.cfg.WorkTarget {
				a.slow[classWork]++
			}
		}
		a.tried, a.refused = 100, 0
		if refused {
			a.refused = 50
		}
		now = now.Add(time.Second)
		a.adjust(now)
		return a.limit.Load()
	}
	if got := a.limit.Load(); got != 256 {
		t.Fatalf("initial limit %d, want 256", got)
	}
	steps := []struct {
		name            string
		loginMS, workMS int
		refused         bool
		want            int64
	}{
		{"fast, nobody refused: unchanged", 20, 5, false, 256},
		{"fast, logins refused: grows by an eighth", 20, 5, true, 288},
		{"one slow window: unchanged", 20, 500, false, 288},
		{"two slow windows: unchanged", 20, 500, false, 288},
		{"three slow windows: shrinks by a tenth", 20, 500, false, 259},
		{"slow logins too: shrinks again", 1500, 5, false, 233},
		{"fast again, refused: grows", 20, 5, true, 262},
		{"one slow window after a fast one: unchanged", 1500, 500, false, 262},
	}
	for _, s := range steps {
		if got := window(s.loginMS, s.workMS, s.refused); got != s.want {
			t.Fatalf("%s: limit %d, want %d", s.name, got, s.want)
		}
	}
	for i := 0; i < 50; i++ {
		window(900, 900, true)
	}
	if got := a.limit.Load(); got != 10 {
		t.Errorf("after a long overload the limit is %d, want the floor 10", got)
	}
	for i := 0; i < 100; i++ {
		window(1, 1, true)
	}
	if got := a.limit.Load(); got != 400 {
		t.Errorf("after a long calm the limit is %d, want the ceiling 400", got)
	}
}

// TestAdmissionRetryAfterStretches checks that refused logins are told to
// come back after one to three seconds, and later while most are refused.
func TestAdmissionRetryAfterStretches(t *testing.T) {
	a := newAdmission(Admission{})
	for i := 0; i < 100; i++ {
		if d := a.retryAfter(classLogin); d < time.Second || d > 3*time.Second {
			t.Fatalf("retry after %v with nothing refused, want 1-3 s", d)
		}
	}
	now := time.Unix(1e9, 0)
	for i := 0; i < 20; i++ {
		a.tried, a.refused = 100, 95
		now = now.Add(time.Second)
		a.adjust(now)
	}
	var longest time.Duration
	for i := 0; i < 100; i++ {
		d := a.retryAfter(classLogin)
		if d < time.Second || d > 21*time.Second {
			t.Fatalf("retry after %v under pressure, want 1-21 s", d)
		}
		longest = max(longest, d)
	}
	if longest < 5*time.Second {
		t.Errorf("longest retry after %v while 95%% of logins are refused, want the wait stretched", longest)
	}
}

// TestAdmissionRefusesPastTheCap checks the caps of each class and that a
// refusal is counted and frees nothing it did not take.
func TestAdmissionRefusesPastTheCap(t *testing.T) {
	t.Parallel()
	a := newAdmission(Admission{MaxLogins: 2, MinLogins: 2, MaxWork: 3, MaxStaff: 1})
	for c, n := range map[int]int{classLogin: 2, classWork: 3, classStaff: 1} {
		for i := 0; i < n; i++ {
			if !a.enter(c) {
				t.Fatalf("class %s: request %d refused below the cap %d", ClassNames[c], i+1, n)
			}
		}
		if a.enter(c) {
			t.Fatalf("class %s: request past the cap %d admitted", ClassNames[c], n)
		}
		if got := a.Inflight(c); got != int64(n) {
			t.Fatalf("class %s: %d in flight, want %d", ClassNames[c], got, n)
		}
		a.leave(c, time.Millisecond)
		if !a.enter(c) {
			t.Fatalf("class %s: refused after one left", ClassNames[c])
		}
		if got := a.Shed(c); got != 1 {
			t.Errorf("class %s: shed %d, want 1", ClassNames[c], got)
		}
	}
	off := newAdmission(Admission{Off: true, MaxLogins: 1, MinLogins: 1})
	for i := 0; i < 10; i++ {
		if !off.enter(classLogin) {
			t.Fatal("admission off refused a login")
		}
	}
}
