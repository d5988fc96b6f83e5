package examhall

import (
	"slices"
	"time"
)

// Staff is a member of staff who authors exams, issues codes, marks and
// releases results.
type Staff struct {
	Username string `json:"username"`
	// PasswordHash is an argon2id hash in PHC string form.
	PasswordHash string    `json:"-"`
	Role         string    `json:"role"`
	CreatedAt    time.Time `json:"created_at"`
}

// Staff roles (docs/api.md, "Roles"). An admin may do everything; each
// other role a part of the staff API.
const (
	// RoleAdmin may do everything staff can do, and manage staff accounts.
	RoleAdmin = "admin"
	// RoleAuthor writes exams, imports and exports content, issues codes.
	RoleAuthor = "author"
	// RoleProctor watches exams, changes their times and extra time,
	// reopens them, and re-issues codes to existing candidates.
	RoleProctor = "proctor"
	// RoleMarker reads attempts and results and marks responses.
	RoleMarker = "marker"
	// RoleViewer reads results, statistics and the monitor.
	RoleViewer = "viewer"
)

// Roles lists every staff role.
var Roles = []string{RoleAdmin, RoleAuthor, RoleProctor, RoleMarker, RoleViewer}

// ValidRole reports whether r is one of Roles.
func ValidRole(r string) bool { return slices.Contains(Roles, r) }
