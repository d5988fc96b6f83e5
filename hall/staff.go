package hall

import (
	"context"
	"time"

	"examhall"
)

// staffTokenTTL is how long a staff login lasts.
const staffTokenTTL = 12 * time.Hour

var _ examhall.StaffService = (*Hall)(nil)

// StaffLogin implements examhall.StaffService.
func (h *Hall) StaffLogin(ctx context.Context, req *examhall.StaffLoginRequest) (*examhall.StaffLoginResult, error) {
	username, password := req.Username, req.Password
	if username == "" || password == "" {
		return nil, examhall.Errorf(examhall.EBadRequest, "username and password are both required.")
	}
	if len(username) > maxUsername || len(password) > maxPassword {
		return nil, examhall.Errorf(examhall.EBadRequest, "The username may have at most %d bytes and the password %d.", maxUsername, maxPassword)
	}
	keys := h.failureKeys(ctx, "staff")
	if err := h.checkFailures(ctx, keys); err != nil {
		return nil, err
	}
	wrong := func() error {
		h.countFailure(ctx, keys)
		h.audit(ctx, &examhall.Event{Kind: "staff_login_failed", Actor: username})
		return examhall.Errorf(examhall.EInvalidCredentials, "The username or password is not right.")
	}
	s, err := h.b.Staff.Staff(ctx, username)
	if err != nil && !isCode(err, examhall.ENotFound) {
		return nil, err
	}
	// Every check, of a real account or not, costs one argon2id run, at
	// most MaxHashing at once.
	if !h.hashing.acquire() {
		return nil, busyHashing()
	}
	ok := false
	if s == nil {
		HashPassword(password) // spend the same time as a real check
	} else {
		ok = CheckPassword(s.PasswordHash, password)
	}
	h.hashing.release()
	if !ok {
		return nil, wrong()
	}
	now := h.Now()
	c := &claims{Kind: kindStaff, Role: s.Role, PasswordVersion: h.passwordVersion(s.PasswordHash)}
	c.Subject = s.Username
	tok, err := h.sign(c, now, staffTokenTTL)
	if err != nil {
		return nil, err
	}
	h.audit(ctx, &examhall.Event{Kind: "staff_login", Actor: s.Username})
	return &examhall.StaffLoginResult{Token: tok, Username: s.Username, Role: s.Role, Expires: now.Add(staffTokenTTL)}, nil
}

// EnsureAdmin creates an admin account with the password unless one with
// that username exists. It reports whether it created one. It is for the
// operator's configuration (examhall serve --admin-user), not the API.
func (h *Hall) EnsureAdmin(ctx context.Context, username, password string) (bool, error) {
	if !examhall.ValidID(username) {
		return false, examhall.Errorf(examhall.EBadRequest, "The admin username %q is not valid (letters, digits, '.', '_', ':' or '-').", username)
	}
	if len(password) < 8 {
		return false, examhall.Errorf(examhall.EBadRequest, "The admin password must be at least 8 characters.")
	}
	_, err := h.b.Staff.Staff(ctx, username)
	if err == nil {
		return false, nil
	}
	if !isCode(err, examhall.ENotFound) {
		return false, err
	}
	return true, h.PutStaff(ctx, username, password, examhall.RoleAdmin)
}

// PutStaff creates or replaces a staff account; like EnsureAdmin, it is
// for the operator's commands, not the API.
func (h *Hall) PutStaff(ctx context.Context, username, password, role string) error {
	if err := checkRole(role); err != nil {
		return err
	}
	if err := checkPassword(password); err != nil {
		return err
	}
	return h.b.Staff.PutStaff(ctx, &examhall.Staff{
		Username: username, PasswordHash: HashPassword(password), Role: role, CreatedAt: h.Now(),
	})
}
