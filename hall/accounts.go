package hall

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"examhall"
)

// Staff accounts: an admin manages them through the API; a staff token
// names its account and the password it was issued under (a short hash of
// the stored password hash), and every staff request checks both against
// the live account, whose role is the one that counts. Deleting an account
// or setting its password ends its sessions at once.

// passwordVersion identifies a stored password hash (which has its own
// salt) without revealing it.
func (h *Hall) passwordVersion(hash string) string {
	sum := sha256.Sum256(append(append([]byte(nil), h.keys.token...), hash...))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

// liveStaff checks a staff token's claims against the account and returns
// the identity with the account's current role.
func (h *Hall) liveStaff(ctx context.Context, c *claims) (*examhall.Identity, error) {
	s, err := h.b.Staff.Staff(ctx, c.Subject)
	if isCode(err, examhall.ENotFound) {
		return nil, examhall.Errorf(examhall.EUnauthorized, "The staff account of this token no longer exists.")
	} else if err != nil {
		return nil, err
	}
	if c.PasswordVersion == "" || c.PasswordVersion != h.passwordVersion(s.PasswordHash) {
		return nil, examhall.Errorf(examhall.EUnauthorized, "The password of this account has changed since this sign-in; sign in again.")
	}
	return &examhall.Identity{Staff: s.Username, Role: s.Role}, nil
}

// StaffAccounts implements examhall.StaffService.
func (h *Hall) StaffAccounts(ctx context.Context) (*examhall.StaffList, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleAdmin); err != nil {
		return nil, err
	}
	list, err := h.b.Staff.StaffList(ctx)
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []*examhall.Staff{}
	}
	return &examhall.StaffList{Staff: list}, nil
}

func checkPassword(p string) error {
	if len(p) < 8 || len(p) > maxPassword {
		return examhall.Errorf(examhall.EBadRequest, "password: at least 8 and at most %d bytes.", maxPassword)
	}
	return nil
}

func checkRole(r string) error {
	if !examhall.ValidRole(r) {
		return examhall.Errorf(examhall.EBadRequest, "role: %q is not a role; use one of %s.", r, strings.Join(examhall.Roles, ", "))
	}
	return nil
}

// CreateStaff implements examhall.StaffService.
func (h *Hall) CreateStaff(ctx context.Context, req *examhall.StaffRequest) (*examhall.Staff, error) {
	who, err := examhall.StaffFrom(ctx, examhall.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if !examhall.ValidID(req.Username) {
		return nil, examhall.Errorf(examhall.EBadRequest, "username: %q is not valid (1-64 letters, digits, '.', '_', ':' or '-').", req.Username)
	}
	if err := checkPassword(req.Password); err != nil {
		return nil, err
	}
	if err := checkRole(req.Role); err != nil {
		return nil, err
	}
	if _, err := h.b.Staff.Staff(ctx, req.Username); err == nil {
		return nil, examhall.Errorf(examhall.EConflict, "A staff account named %q exists; change it with PUT.", req.Username)
	} else if !isCode(err, examhall.ENotFound) {
		return nil, err
	}
	s := &examhall.Staff{Username: req.Username, PasswordHash: HashPassword(req.Password), Role: req.Role, CreatedAt: h.Now()}
	if err := h.b.Staff.PutStaff(ctx, s); err != nil {
		return nil, err
	}
	h.audit(ctx, &examhall.Event{Kind: "staff_created", Actor: who.Staff, Detail: s.Username + " (" + s.Role + ")"})
	return s, nil
}

// UpdateStaff implements examhall.StaffService.
func (h *Hall) UpdateStaff(ctx context.Context, username string, req *examhall.StaffRequest) (*examhall.Staff, error) {
	who, err := examhall.StaffFrom(ctx, examhall.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if req.Username != "" && req.Username != username {
		return nil, examhall.Errorf(examhall.EBadRequest, "username: a username cannot be changed; create another account.")
	}
	if req.Password == "" && req.Role == "" {
		return nil, examhall.Errorf(examhall.EBadRequest, "Give a password, a role or both.")
	}
	if req.Password != "" {
		if err := checkPassword(req.Password); err != nil {
			return nil, err
		}
	}
	if req.Role != "" {
		if err := checkRole(req.Role); err != nil {
			return nil, err
		}
	}
	s, err := h.b.Staff.Staff(ctx, username)
	if err != nil {
		return nil, err
	}
	if username == who.Staff && req.Role != "" && req.Role != examhall.RoleAdmin {
		return nil, examhall.Errorf(examhall.EConflict, "You cannot take away your own admin role; another admin can.")
	}
	var changed []string
	if req.Password != "" {
		s.PasswordHash = HashPassword(req.Password)
		changed = append(changed, "password")
	}
	if req.Role != "" && req.Role != s.Role {
		s.Role = req.Role
		changed = append(changed, "role "+s.Role)
	}
	if err := h.b.Staff.PutStaff(ctx, s); err != nil {
		return nil, err
	}
	h.audit(ctx, &examhall.Event{Kind: "staff_changed", Actor: who.Staff, Detail: s.Username + ": " + strings.Join(changed, ", ")})
	return s, nil
}

// DeleteStaff implements examhall.StaffService.
func (h *Hall) DeleteStaff(ctx context.Context, username string) error {
	who, err := examhall.StaffFrom(ctx, examhall.RoleAdmin)
	if err != nil {
		return err
	}
	if username == who.Staff {
		return examhall.Errorf(examhall.EConflict, "You cannot delete your own account; another admin can.")
	}
	if err := h.b.Staff.DeleteStaff(ctx, username); err != nil {
		return err
	}
	h.audit(ctx, &examhall.Event{Kind: "staff_deleted", Actor: who.Staff, Detail: username})
	return nil
}
