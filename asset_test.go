package examhall_test

import (
	"strings"
	"testing"

	"examhall"
)

func TestAssetName(t *testing.T) {
	long := strings.Repeat("x", 200) + "_.png"
	tests := []struct{ name, path, want string }{
		{"valid name unchanged", "diagram-1.png", "diagram-1.png"},
		{"folders joined", "media/img/cell.png", "media-img-cell.png"},
		{"cleaned first", "./media//a/../cell.png", "media-cell.png"},
		{"other characters replaced", "Zellé (1).png", "Zell___1_.png"},
		{"leading marks dropped", "._hidden.png", "hidden.png"},
		{"the end kept", long, long[len(long)-128:]},
		{"cut to a letter or digit", strings.Repeat("y", 200) + strings.Repeat("_", 130) + "a.png", "a.png"},
		{"nothing left", "...", "asset"},
		{"empty", "", "asset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := examhall.AssetName(tt.path)
			if got != tt.want {
				t.Errorf("AssetName(%q) = %q, want %q", tt.path, got, tt.want)
			}
			if !examhall.ValidAssetName(got) {
				t.Errorf("AssetName(%q) = %q, which is not a valid name", tt.path, got)
			}
		})
	}
}
