package content

import (
	"os"
	"path/filepath"
)

// CorporaDir returns the folder of real-world content that tests read:
// $EXAMHALL_CORPORA, or ../shared/corpora beside the module root. It
// returns "" when the folder does not exist.
func CorporaDir() string {
	dir := os.Getenv("EXAMHALL_CORPORA")
	if dir == "" {
		root, err := os.Getwd()
		if err != nil {
			return ""
		}
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				return ""
			}
			root = parent
		}
		dir = filepath.Join(root, "..", "shared", "corpora")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return ""
	}
	return dir
}
