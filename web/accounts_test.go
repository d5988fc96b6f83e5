package web_test

import (
	"strings"
	"testing"

	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// TestStaffAccounts manages staff accounts from the console: an admin
// reaches the screen from the header, sees each field's error, adds an
// account, changes its role, sets its password (the old one stops working)
// and deletes it after a confirmation; deleting one's own account is
// refused with the server's answer; the screen has no English left in
// Bangla and axe finds nothing; a viewer sees no link and, at the screen's
// address, only that admins manage accounts.
func TestStaffAccounts(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	admin := srv.Staff(t)
	roleOf := func(user string) string {
		t.Helper()
		var list struct {
			Staff []struct{ Username, Role string } `json:"staff"`
		}
		r := srv.Do(t, "GET", "/api/v1/admin/staff", admin.Token, nil)
		if r.Status != 200 {
			t.Fatalf("listing staff: %d %s", r.Status, r.Body)
		}
		r.Decode(t, &list)
		for _, s := range list.Staff {
			if s.Username == user {
				return s.Role
			}
		}
		return ""
	}
	login := func(user, password string) int {
		t.Helper()
		return srv.Do(t, "POST", "/api/v1/admin/login", "", map[string]string{"username": user, "password": password}).Status
	}
	signIn := func(user, password string) {
		t.Helper()
		b.do("the sign-in form", chromedp.WaitVisible(chromedp.ID("login-form")))
		eval[bool](b, `document.getElementById("login-user").value = "", true`)
		b.do("sign in as "+user,
			chromedp.SendKeys(chromedp.ID("login-user"), user),
			chromedp.SendKeys(chromedp.ID("login-password"), password),
			chromedp.Click(chromedp.ID("login-submit")),
			chromedp.WaitVisible(chromedp.ID("exams-view")))
	}

	b.do("open the console", chromedp.Navigate(srv.URL+"/staff"))
	signIn(examhalltest.AdminUser, examhalltest.AdminPassword)
	b.waitJS("the header links to the accounts", `!document.getElementById("accounts-link")?.hidden`)
	b.do("open the accounts", chromedp.Click(chromedp.ID("accounts-link")), chromedp.WaitVisible(chromedp.ID("acct-form")))
	b.waitText(`#acct-rows tr[data-user="admin"]`, "Admin")
	b.waitText(`#acct-rows tr[data-user="admin"]`, "(you)")
	if got := eval[string](b, `location.hash + " " + document.title`); got != "#/accounts Staff accounts — examhall staff" {
		t.Errorf("address and title %q", got)
	}
	b.axe("staff accounts")

	// Errors by field, before anything is sent.
	b.do("add nothing", chromedp.Click(chromedp.ID("acct-submit")))
	b.waitText("#acct-user-error", "Enter a username.")
	b.waitText("#acct-password-error", "Enter a password.")
	if got := eval[string](b, `document.activeElement.id + " " + document.getElementById("acct-user").getAttribute("aria-invalid")`); got != "acct-user true" {
		t.Errorf("focus and invalid mark after an empty form: %q", got)
	}
	b.do("a bad username, a short password",
		chromedp.SendKeys(chromedp.ID("acct-user"), "jo marker"),
		chromedp.SendKeys(chromedp.ID("acct-password"), "short"),
		chromedp.Click(chromedp.ID("acct-submit")))
	b.waitText("#acct-user-error", "letters, digits")
	b.waitText("#acct-password-error", "at least 8 bytes")
	b.axe("staff accounts, errors")
	b.do("two passwords that differ",
		chromedp.SetValue(chromedp.ID("acct-user"), "jo.marker"),
		chromedp.SetValue(chromedp.ID("acct-role"), "marker"),
		chromedp.SetValue(chromedp.ID("acct-password"), "first-secret"),
		chromedp.SendKeys(chromedp.ID("acct-password2"), "other-secret"),
		chromedp.Click(chromedp.ID("acct-submit")))
	b.waitText("#acct-password2-error", "The two passwords differ.")
	if got := eval[string](b, `document.getElementById("acct-user-error").textContent + "|" + document.activeElement.id`); got != "|acct-password2" {
		t.Errorf("after a mismatch: username error and focus %q", got)
	}
	if role := roleOf("jo.marker"); role != "" {
		t.Fatalf("an account was added from a form with errors (role %q)", role)
	}

	// Add it.
	b.do("add the account",
		chromedp.SetValue(chromedp.ID("acct-password2"), "first-secret"),
		chromedp.Click(chromedp.ID("acct-submit")))
	b.waitText("#acct-ok", "Account jo.marker added (Marker")
	b.waitText(`#acct-rows tr[data-user="jo.marker"]`, "Marker")
	if role := roleOf("jo.marker"); role != "marker" {
		t.Fatalf("jo.marker's role %q, want marker", role)
	}
	if s := login("jo.marker", "first-secret"); s != 200 {
		t.Fatalf("jo.marker signs in: %d", s)
	}
	if got := eval[string](b, `document.getElementById("acct-user").value + document.getElementById("acct-password").value`); got != "" {
		t.Errorf("the form keeps %q after adding", got)
	}
	// The server's answer for a name already taken.
	b.do("add it again",
		chromedp.SendKeys(chromedp.ID("acct-user"), "jo.marker"),
		chromedp.SendKeys(chromedp.ID("acct-password"), "first-secret"),
		chromedp.SendKeys(chromedp.ID("acct-password2"), "first-secret"),
		chromedp.Click(chromedp.ID("acct-submit")))
	b.waitText("#acct-form-error", `"jo.marker" exists`)
	eval[bool](b, `document.getElementById("acct-form").reset(), true`)
	if got := eval[string](b, `document.getElementById("acct-role").value`); got != "viewer" {
		t.Errorf("a cleared form offers the role %q, want viewer", got)
	}

	// Change its role.
	b.do("change jo.marker", chromedp.Click(chromedp.CSS(`#acct-rows tr[data-user="jo.marker"] button`)), chromedp.WaitVisible(chromedp.ID("acct-edit")))
	b.waitText("#acct-edit-title", "Account jo.marker")
	if got := eval[string](b, `document.activeElement.id + " " + document.getElementById("acct-edit-role").value`); got != "acct-edit-title marker" {
		t.Errorf("focus and role on opening the account: %q", got)
	}
	b.axe("staff account changes")
	b.do("make it a proctor", chromedp.SetValue(chromedp.ID("acct-edit-role"), "proctor"), chromedp.Click(chromedp.CSS(`#acct-role-form button[type=submit]`)))
	b.waitText("#acct-ok", "jo.marker is now Proctor")
	b.waitText(`#acct-rows tr[data-user="jo.marker"]`, "Proctor")
	if role := roleOf("jo.marker"); role != "proctor" {
		t.Fatalf("jo.marker's role %q, want proctor", role)
	}

	// Set its password: checked first, then the old one stops working.
	b.do("a short new password",
		chromedp.SendKeys(chromedp.ID("acct-edit-password"), "tiny"),
		chromedp.Click(chromedp.CSS(`#acct-password-form button[type=submit]`)))
	b.waitText("#acct-edit-password-error", "Too short")
	b.do("set a new password",
		chromedp.SetValue(chromedp.ID("acct-edit-password"), "second-secret"),
		chromedp.SendKeys(chromedp.ID("acct-edit-password2"), "second-secret"),
		chromedp.Click(chromedp.CSS(`#acct-password-form button[type=submit]`)))
	b.waitText("#acct-ok", "jo.marker has a new password")
	if old, now := login("jo.marker", "first-secret"), login("jo.marker", "second-secret"); old != 401 || now != 200 {
		t.Fatalf("after the new password: the old one answers %d (want 401), the new one %d (want 200)", old, now)
	}
	if got := eval[string](b, `document.getElementById("acct-edit-password-error").textContent + document.getElementById("acct-edit-password").value`); got != "" {
		t.Errorf("the password form keeps %q", got)
	}

	// One's own account: the server refuses, and the screen says so.
	b.do("try to delete oneself",
		chromedp.Click(chromedp.CSS(`#acct-rows tr[data-user="admin"] button`)),
		chromedp.WaitVisible(chromedp.ID("acct-delete")),
		chromedp.Click(chromedp.ID("acct-delete")),
		chromedp.WaitVisible(chromedp.ID("acct-confirm")))
	b.do("confirm", chromedp.Click(chromedp.ID("acct-confirm-yes")))
	b.waitText("#acct-delete-error", "You cannot delete your own account")
	if role := roleOf("admin"); role != "admin" {
		t.Fatalf("admin's role %q after deleting oneself was refused", role)
	}

	// Delete jo.marker: a confirmation first, which Escape (or Cancel) takes back.
	b.do("open jo.marker", chromedp.Click(chromedp.CSS(`#acct-rows tr[data-user="jo.marker"] button`)))
	b.waitText("#acct-edit-title", "jo.marker")
	b.do("ask to delete", chromedp.Click(chromedp.ID("acct-delete")), chromedp.WaitVisible(chromedp.ID("acct-confirm")))
	b.waitText("#acct-confirm-text", "Delete the account jo.marker?")
	if got := eval[string](b, `document.activeElement.id`); got != "acct-confirm-no" {
		t.Errorf("focus in the confirmation on %q, want the Cancel button", got)
	}
	b.axe("staff account deletion")
	b.do("take it back", chromedp.KeyEvent("\x1b"))
	b.waitJS("the confirmation closes", `document.getElementById("acct-confirm").hidden && document.activeElement.id === "acct-delete"`)
	if role := roleOf("jo.marker"); role != "proctor" {
		t.Fatalf("jo.marker's role %q after taking the deletion back", role)
	}
	b.do("delete it", chromedp.Click(chromedp.ID("acct-delete")), chromedp.WaitVisible(chromedp.ID("acct-confirm")), chromedp.Click(chromedp.ID("acct-confirm-yes")))
	b.waitJS("deleted or refused", `document.getElementById("acct-ok").textContent.includes("deleted") || document.getElementById("acct-delete-error").textContent !== ""`)
	if e := eval[string](b, `document.getElementById("acct-delete-error").textContent`); e != "" {
		t.Fatalf("deleting jo.marker: %s", e)
	}
	b.waitText("#acct-ok", "Account jo.marker deleted.")
	b.waitJS("the row is gone", `!document.querySelector('#acct-rows tr[data-user="jo.marker"]') && document.getElementById("acct-edit").hidden`)
	if role := roleOf("jo.marker"); role != "" {
		t.Fatalf("jo.marker still has the role %q", role)
	}
	if s := login("jo.marker", "second-secret"); s != 401 {
		t.Fatalf("a deleted account signs in: %d", s)
	}

	// In Bangla: nothing of the screen left in English.
	b.language("bn")
	b.waitText("#acct-rows", "অ্যাডমিন")
	b.do("open oneself", chromedp.Click(chromedp.CSS(`#acct-rows tr[data-user="admin"] button`)), chromedp.WaitVisible(chromedp.ID("acct-edit")))
	b.do("add nothing", chromedp.Click(chromedp.ID("acct-submit")))
	b.waitText("#acct-password-error", "পাসওয়ার্ড লিখুন")
	if left := eval[[]string](b, consoleEnglish); len(left) > 0 {
		t.Errorf("accounts in Bangla: English left in the console's own text: %q", left)
	}
	b.axe("staff accounts in Bangla")
	b.shotTall("staff-accounts")
	b.language("en")

	// A viewer sees no link, and at the address only that admins manage accounts.
	if r := srv.Do(t, "POST", "/api/v1/admin/staff", admin.Token, map[string]string{"username": "vi.viewer", "password": "viewer-secret", "role": "viewer"}); r.Status != 201 {
		t.Fatalf("adding a viewer: %d %s", r.Status, r.Body)
	}
	b.do("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("login-view")))
	if eval[bool](b, `!document.getElementById("accounts-link").hidden`) {
		t.Error("the accounts link shows on the sign-in page")
	}
	signIn("vi.viewer", "viewer-secret")
	b.waitText("#who", "vi.viewer")
	b.waitJS("the exams list is drawn", `document.getElementById("no-exams").hidden === false`)
	if eval[bool](b, `!document.getElementById("accounts-link").hidden`) {
		t.Error("a viewer sees the link to the accounts")
	}
	eval[bool](b, `location.hash = "#/accounts", true`)
	b.do("the accounts' address", chromedp.WaitVisible(chromedp.ID("acct-denied")))
	b.waitText("#acct-denied", "Only an admin manages staff accounts.")
	if got := eval[string](b, `String(document.getElementById("acct-body").hidden) + " " + document.querySelectorAll("#acct-rows tr").length`); !strings.HasPrefix(got, "true") {
		t.Errorf("a viewer at #/accounts: body hidden and rows %q", got)
	}
	b.axe("staff accounts, a viewer")
}
