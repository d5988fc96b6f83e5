package examhall

import (
	"context"
	"regexp"
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

var assetName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// ValidAssetName reports whether s may name an asset: 1 to 128 letters,
// digits, '.', '_' and '-', starting with a letter or digit.
func ValidAssetName(s string) bool { return assetName.MatchString(s) }

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
