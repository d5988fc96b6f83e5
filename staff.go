package examhall

import "time"

// Staff is a member of staff who authors exams, issues codes, marks and
// releases results.
type Staff struct {
	Username string `json:"username"`
	// PasswordHash is an argon2id hash in PHC string form.
	PasswordHash string    `json:"-"`
	Role         string    `json:"role"`
	CreatedAt    time.Time `json:"created_at"`
}

// RoleAdmin may do everything staff can do.
const RoleAdmin = "admin"
