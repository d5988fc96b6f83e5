package examhall

import (
	"context"
	"path"
	"regexp"
	"strings"
)

// Asset is a file that an exam's questions show, such as an image from an
// imported content package. Candidates fetch it at
// /api/v1/exams/{exam}/assets/{name}; an HTML prompt refers to it as
// "assets/{name}".
type Asset struct {
	Name string `json:"name"`
	Type string `json:"type"` // media type, such as image/png
	Data []byte `json:"-"`
}

// Limits of assets.
const (
	MaxAssetBytes = 8 << 20
	MaxAssets     = 2000
)

// maxAssetName is the longest name of an asset.
const maxAssetName = 128

var assetName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// ValidAssetName reports whether s may name an asset: 1 to 128 letters,
// digits, '.', '_' and '-', starting with a letter or digit.
func ValidAssetName(s string) bool { return assetName.MatchString(s) }

// AssetName returns the name an imported file at path p is stored under:
// the path with its folders joined by '-' and every other character that
// a name may not hold replaced by '_', cut to its last 128 characters (which
// keep the extension) and to a letter or digit first; "asset" when nothing
// is left. ValidAssetName holds for every name it returns, and it returns
// a valid name unchanged.
func AssetName(p string) string {
	var b strings.Builder
	for _, r := range strings.ReplaceAll(path.Clean(p), "/", "-") {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := b.String()
	if len(s) > maxAssetName {
		s = s[len(s)-maxAssetName:]
	}
	if s = strings.TrimLeft(s, "._-"); s == "" {
		return "asset"
	}
	return s
}

// AssetStore keeps the assets of exams. A mode that has none leaves
// Backend.Assets nil, and then imports with images are refused.
type AssetStore interface {
	// PutAssets stores assets of an exam, replacing any of the same name.
	PutAssets(ctx context.Context, exam string, assets []Asset) error
	// Asset returns one asset. ENotFound if there is none.
	Asset(ctx context.Context, exam, name string) (*Asset, error)
	// Assets returns every asset of an exam, by name.
	Assets(ctx context.Context, exam string) ([]Asset, error)
}
