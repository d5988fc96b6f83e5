package http_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"examhall"
	"examhall/examhalltest"
)

// TestLTIRoster: the learners of the course an instructor launched the
// exam from become its candidates, through every page of the roster, and
// a learner's later launch finds their candidate.
func TestLTIRoster(t *testing.T) {
	t.Parallel()
	srv, p, exam := ltiSetup(t, examhalltest.Options{})
	p.trust(srv.URL)
	admin := adminToken(t, srv)
	roster := "/api/v1/admin/exams/" + exam + "/lti/roster"
	if r := srv.Do(t, "POST", roster, admin, nil); r.Code() != examhall.EConflict {
		t.Errorf("roster before any launch: %d %s, want conflict", r.Status, r.Body)
	}

	c := browser(t)
	auth := ltiLogin(t, c, srv, p)
	claims := p.claims(srv.Clock.Now(), auth.Get("nonce"), "teacher-1", exam, instructor)
	claims["https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"] = map[string]any{
		"context_memberships_url": p.srv.URL + "/memberships", "service_versions": []string{"2.0"},
	}
	if status, _, body := ltiLaunch(t, c, srv, p.sign(claims), auth.Get("state")); status != http.StatusSeeOther {
		t.Fatalf("instructor launch: %d %s", status, body)
	}

	r := srv.Do(t, "POST", roster, admin, nil)
	var res examhall.LTIRosterResult
	r.Decode(t, &res)
	if r.Status != 200 || res.Members != 4 || res.Learners != 2 || len(res.Added) != 2 {
		t.Fatalf("roster: %d %s, want 4 members, 2 active learners added", r.Status, r.Body)
	}
	cands := candidates(t, srv, exam)
	if len(cands) != 2 || !slices.Equal(cands, slices.Sorted(slices.Values(res.Added))) {
		t.Errorf("candidates %v, want the added %v", cands, res.Added)
	}
	r = srv.Do(t, "POST", roster, admin, nil)
	r.Decode(t, &res)
	if len(res.Added) != 0 {
		t.Errorf("the roster again added %v, want none", res.Added)
	}

	// sub-a's launch signs in as the candidate the roster made.
	auth = ltiLogin(t, c, srv, p)
	_, loc, _ := ltiLaunch(t, c, srv, p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "sub-a", exam, learner)), auth.Get("state"))
	r = srv.Do(t, "POST", "/api/v1/login/lti", "", map[string]string{"code": strings.TrimPrefix(loc, srv.URL+"/#lti=")})
	var login examhall.LoginResult
	r.Decode(t, &login)
	if !slices.Contains(cands, login.Candidate) {
		t.Errorf("sub-a signed in as %q, not one of the roster's %v", login.Candidate, cands)
	}
	if len(candidates(t, srv, exam)) != 2 {
		t.Errorf("the launch made another candidate")
	}
	if r := srv.Do(t, "POST", "/api/v1/admin/exams/nope/lti/roster", admin, nil); r.Code() != examhall.ENotFound {
		t.Errorf("roster of an unknown exam: %d %s", r.Status, r.Body)
	}
}
