package http_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"examhall"
	"examhall/examhalltest"
)

// staffLogin signs a member of staff in and returns the token.
func staffLogin(t *testing.T, srv *examhalltest.Server, user, password string) string {
	t.Helper()
	r := srv.Do(t, "POST", "/api/v1/admin/login", "", map[string]string{"username": user, "password": password})
	if r.Status != 200 {
		t.Fatalf("staff login %s: %d %s", user, r.Status, r.Body)
	}
	var out examhall.StaffLoginResult
	json.Unmarshal(r.Body, &out)
	return out.Token
}

// TestRolesAreChecked: every staff endpoint lets only its roles in (and
// admins); the others get 403 forbidden.
func TestRolesAreChecked(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{Quiet: true})
	admin := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, admin, examhalltest.AllTypesExam("roles", 600))
	code := examhalltest.MustIssue(t, admin, exam, 1)[0]

	if r := srv.Do(t, "POST", "/api/v1/admin/staff", admin.Token, map[string]string{"username": "boss", "password": "password-1234", "role": "superuser"}); r.Status != 400 || r.Code() != examhall.EBadRequest {
		t.Errorf("an unknown role: %d %s, want 400", r.Status, r.Body)
	}
	tokens := map[string]string{"admin": admin.Token}
	for _, role := range examhall.Roles[1:] {
		r := srv.Do(t, "POST", "/api/v1/admin/staff", admin.Token, map[string]string{"username": role + "-1", "password": "password-" + role, "role": role})
		if r.Status != 201 {
			t.Fatalf("creating a %s: %d %s", role, r.Status, r.Body)
		}
		tokens[role] = staffLogin(t, srv, role+"-1", "password-"+role)
	}
	doc, _ := json.Marshal(examhalltest.AllTypesExam(examhalltest.UniqueName("new"), 600))
	e := "/api/v1/admin/exams/" + exam
	tests := []struct {
		method, path string
		body         any
		roles        []string // besides admin
	}{
		{"GET", "/api/v1/admin/exams", nil, []string{"author", "proctor", "marker", "viewer"}},
		{"POST", "/api/v1/admin/exams", json.RawMessage(doc), []string{"author"}},
		{"GET", e, nil, []string{"author", "proctor", "marker"}},
		{"PUT", e + "/window", map[string]any{"opens_at": nil, "closes_at": nil}, []string{"author", "proctor"}},
		{"POST", e + "/candidates", map[string]any{"count": 1}, []string{"author"}},
		{"POST", e + "/candidates", map[string]any{"candidates": []string{code.Candidate}}, []string{"author", "proctor"}},
		{"GET", e + "/candidates", nil, []string{"author", "proctor", "viewer"}},
		{"PUT", e + "/candidates/" + code.Candidate, map[string]any{"extra_time_seconds": 60}, []string{"proctor"}},
		{"PUT", e + "/candidates/" + code.Candidate, map[string]any{"closes_at": nil}, []string{"proctor"}},
		{"PUT", e + "/candidates/" + code.Candidate, map[string]any{"name": "Ann Example"}, []string{"author", "proctor"}},
		{"POST", e + "/candidates", map[string]any{"candidates": []map[string]string{{"id": code.Candidate, "name": "Ann Example"}}}, []string{"author"}},
		{"GET", e + "/attempts", nil, []string{"proctor", "marker", "viewer"}},
		{"POST", e + "/attempts/no-such-attempt/reopen", map[string]any{"extra_seconds": 60}, []string{"proctor"}},
		{"POST", e + "/regrade", map[string]any{"question": "no-such-question", "answer": "a"}, []string{"marker"}},
		{"GET", e + "/results", nil, []string{"marker", "viewer"}},
		{"GET", e + "/stats", nil, []string{"author", "marker", "viewer"}},
		{"GET", e + "/monitor", nil, []string{"proctor", "viewer"}},
		{"GET", e + "/events", nil, []string{"proctor", "viewer"}},
		{"POST", e + "/release", map[string]any{"released": false}, nil},
		{"GET", e + "/export", nil, []string{"author"}},
		{"GET", "/api/v1/admin/staff", nil, nil},
		{"POST", "/api/v1/admin/staff", map[string]string{"username": "x-new", "password": "password-x", "role": "viewer"}, nil},
		{"DELETE", "/api/v1/admin/staff/nobody", nil, nil},
	}
	for _, tc := range tests {
		for _, role := range examhall.Roles {
			r := srv.Do(t, tc.method, tc.path, tokens[role], tc.body)
			allowed := role == "admin" || slices.Contains(tc.roles, role)
			if allowed && (r.Status == 401 || r.Status == 403) {
				t.Errorf("%s %s as %s: %d %s, want it allowed", tc.method, tc.path, role, r.Status, r.Body)
			}
			if !allowed && (r.Status != 403 || r.Code() != examhall.EForbidden) {
				t.Errorf("%s %s as %s: %d %s, want 403 forbidden", tc.method, tc.path, role, r.Status, r.Body)
			}
		}
	}
}

// TestStaffTokensFollowTheirAccount: a new password, a new role or a
// deleted account takes effect on the tokens already issued.
func TestStaffTokensFollowTheirAccount(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{Quiet: true})
	admin := srv.Staff(t)
	for _, u := range []string{"ann", "bob", "cy"} {
		if r := srv.Do(t, "POST", "/api/v1/admin/staff", admin.Token, map[string]string{"username": u, "password": "first-password", "role": "author"}); r.Status != 201 {
			t.Fatalf("creating %s: %d %s", u, r.Status, r.Body)
		}
	}
	if r := srv.Do(t, "POST", "/api/v1/admin/staff", admin.Token, map[string]string{"username": "ann", "password": "other-password", "role": "viewer"}); r.Status != 409 {
		t.Errorf("creating ann twice: %d %s, want 409", r.Status, r.Body)
	}
	ann, bob, cy := staffLogin(t, srv, "ann", "first-password"), staffLogin(t, srv, "bob", "first-password"), staffLogin(t, srv, "cy", "first-password")
	for _, tok := range []string{ann, bob, cy} {
		if r := srv.Do(t, "GET", "/api/v1/admin/exams", tok, nil); r.Status != 200 {
			t.Fatalf("a fresh token: %d %s", r.Status, r.Body)
		}
	}
	// ann's password changes: her old token stops, the new password works.
	if r := srv.Do(t, "PUT", "/api/v1/admin/staff/ann", admin.Token, map[string]string{"password": "second-password"}); r.Status != 200 {
		t.Fatalf("changing ann's password: %d %s", r.Status, r.Body)
	}
	if r := srv.Do(t, "GET", "/api/v1/admin/exams", ann, nil); r.Status != 401 || r.Code() != examhall.EUnauthorized {
		t.Errorf("a token from before the password change: %d %s, want 401", r.Status, r.Body)
	}
	ann = staffLogin(t, srv, "ann", "second-password")
	if r := srv.Do(t, "GET", "/api/v1/admin/exams", ann, nil); r.Status != 200 {
		t.Errorf("a token from after the password change: %d %s", r.Status, r.Body)
	}
	// bob becomes a viewer: his token may no longer create exams.
	if r := srv.Do(t, "PUT", "/api/v1/admin/staff/bob", admin.Token, map[string]string{"role": "viewer"}); r.Status != 200 {
		t.Fatalf("changing bob's role: %d %s", r.Status, r.Body)
	}
	doc, _ := json.Marshal(examhalltest.AllTypesExam(examhalltest.UniqueName("bob"), 600))
	if r := srv.Do(t, "POST", "/api/v1/admin/exams", bob, json.RawMessage(doc)); r.Status != 403 {
		t.Errorf("creating an exam with a token of a demoted author: %d %s, want 403", r.Status, r.Body)
	}
	// cy's account goes: her token names no account.
	if r := srv.Do(t, "DELETE", "/api/v1/admin/staff/cy", admin.Token, nil); r.Status != 204 {
		t.Fatalf("deleting cy: %d %s", r.Status, r.Body)
	}
	if r := srv.Do(t, "GET", "/api/v1/admin/exams", cy, nil); r.Status != 401 {
		t.Errorf("the token of a deleted account: %d %s, want 401", r.Status, r.Body)
	}
	if r := srv.Do(t, "DELETE", "/api/v1/admin/staff/cy", admin.Token, nil); r.Status != 404 {
		t.Errorf("deleting cy twice: %d %s, want 404", r.Status, r.Body)
	}
	// An admin cannot lock themselves out.
	if r := srv.Do(t, "DELETE", "/api/v1/admin/staff/"+examhalltest.AdminUser, admin.Token, nil); r.Status != 409 {
		t.Errorf("deleting one's own account: %d %s, want 409", r.Status, r.Body)
	}
	if r := srv.Do(t, "PUT", "/api/v1/admin/staff/"+examhalltest.AdminUser, admin.Token, map[string]string{"role": "viewer"}); r.Status != 409 {
		t.Errorf("dropping one's own admin role: %d %s, want 409", r.Status, r.Body)
	}
	r := srv.Do(t, "GET", "/api/v1/admin/staff", admin.Token, nil)
	var list examhall.StaffList
	json.Unmarshal(r.Body, &list)
	var got []string
	for _, s := range list.Staff {
		got = append(got, fmt.Sprintf("%s:%s", s.Username, s.Role))
	}
	if want := []string{"admin:admin", "ann:author", "bob:viewer"}; !slices.Equal(got, want) {
		t.Errorf("staff list %v, want %v (%s)", got, want, r.Body)
	}
	if strings.Contains(string(r.Body), "argon2") {
		t.Errorf("the staff list shows password hashes: %s", r.Body)
	}
	for _, bad := range []map[string]string{{"password": "short"}, {"role": "root"}, {"username": "renamed", "role": "viewer"}, {}} {
		if r := srv.Do(t, "PUT", "/api/v1/admin/staff/ann", admin.Token, bad); r.Status != 400 {
			t.Errorf("PUT %v: %d %s, want 400", bad, r.Status, r.Body)
		}
	}
}
