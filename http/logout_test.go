package http_test

import (
	"testing"

	"examhall/examhalltest"
)

// TestLogoutRevokesTheToken: after POST /api/v1/logout the token is
// refused everywhere, the answers stay, and signing in again works.
func TestLogoutRevokesTheToken(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{Quiet: true})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("logout", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	_, login := srv.MustLogin(t, exam, code)
	path := "/api/v1/attempts/" + login.Attempt
	if r := srv.Do(t, "PUT", path+"/answers", login.Token, `{"answers":[{"question":"q5","response":"Paris","seq":1}]}`); r.Status != 200 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	if r := srv.Do(t, "POST", "/api/v1/logout", staff.Token, nil); r.Status != 403 {
		t.Errorf("logout with a staff token: %d %s, want 403", r.Status, r.Body)
	}
	if r := srv.Do(t, "POST", "/api/v1/logout", login.Token, nil); r.Status != 200 {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	for _, req := range [][2]string{{"GET", path}, {"PUT", path + "/answers"}, {"POST", path + "/submit"}, {"POST", "/api/v1/logout"}} {
		var body any
		if req[0] != "GET" {
			body = `{"answers":[{"question":"q5","response":"Rome","seq":2}]}`
			if req[1] == "/api/v1/logout" {
				body = nil
			}
		}
		if r := srv.Do(t, req[0], req[1], login.Token, body); r.Status != 401 || r.Code() != "unauthorized" {
			t.Errorf("%s %s with the signed-out token: %d %s, want 401", req[0], req[1], r.Status, r.Body)
		}
	}
	c, again := srv.MustLogin(t, exam, code)
	v, err := c.Paper(t.Context(), again.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	if string(v.Answers["q5"].Response) != `"Paris"` {
		t.Errorf("after signing in again q5 = %s, want \"Paris\"", v.Answers["q5"].Response)
	}
}
