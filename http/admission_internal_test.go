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
	a := newAdmission(Admission{MaxLogins: 200, MinLogins: 10})
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
		a.refused = refused
		now = now.Add(time.Second)
		a.adjust(now)
		return a.limit.Load()
	}
	if got := a.limit.Load(); got != 128 {
		t.Fatalf("initial limit %d, want 128", got)
	}
	steps := []struct {
		name            string
		loginMS, workMS int
		refused         bool
		want            int64
	}{
		{"fast, nobody refused: unchanged", 20, 5, false, 128},
		{"fast, logins refused: grows by an eighth", 20, 5, true, 144},
		{"slow saves: shrinks by a quarter", 20, 500, false, 108},
		{"slow logins: shrinks again", 900, 5, false, 81},
		{"fast again, refused: grows", 20, 5, true, 91},
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
	if got := a.limit.Load(); got != 200 {
		t.Errorf("after a long calm the limit is %d, want the ceiling 200", got)
	}
}

// TestAdmissionRefusesPastTheCap checks the caps of each class and that a
// refusal is counted and frees nothing it did not take.
func TestAdmissionRefusesPastTheCap(t *testing.T) {
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
