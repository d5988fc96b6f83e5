package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"strings"

	"examhall"
)

// Limits of an input.
const (
	MaxFiles     = 10000
	MaxTotalSize = 256 << 20
)

// IsZip reports whether data is a zip archive.
func IsZip(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// ReadZip returns the files of a zip archive, refusing archives with too
// many or too large files (zip bombs) and unsafe paths.
func ReadZip(data []byte) ([]File, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, examhall.Errorf(examhall.EBadRequest, "The zip archive cannot be read: %v.", err)
	}
	if len(zr.File) > MaxFiles {
		return nil, examhall.Errorf(examhall.EBadRequest, "The zip archive has %d files; at most %d are read.", len(zr.File), MaxFiles)
	}
	var out []File
	var total int64
	for _, zf := range zr.File {
		name := path.Clean(strings.ReplaceAll(zf.Name, `\`, "/"))
		if zf.FileInfo().IsDir() || hidden(name) || strings.HasPrefix(name, "__MACOSX/") {
			continue
		}
		if strings.HasPrefix(name, "../") || strings.HasPrefix(name, "/") {
			return nil, examhall.Errorf(examhall.EBadRequest, "The zip archive names a file outside itself: %q.", zf.Name)
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, examhall.Errorf(examhall.EBadRequest, "%s in the zip archive cannot be read: %v.", zf.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, MaxTotalSize-total+1))
		rc.Close()
		if err != nil {
			return nil, examhall.Errorf(examhall.EBadRequest, "%s in the zip archive cannot be read: %v.", zf.Name, err)
		}
		total += int64(len(b))
		if total > MaxTotalSize {
			return nil, examhall.Errorf(examhall.ETooLarge, "The zip archive unpacks to more than %d bytes.", MaxTotalSize)
		}
		out = append(out, File{Name: name, Data: b})
	}
	return out, nil
}

// Read returns the files of one input: the files of a zip, or the input
// itself.
func Read(name string, data []byte) ([]File, error) {
	if IsZip(data) {
		return ReadZip(data)
	}
	return []File{{Name: name, Data: data}}, nil
}

// ReadPath reads a file, a zip or a directory (recursively, skipping
// hidden files).
func ReadPath(p string) ([]File, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		return Read(filepath.Base(p), data)
	}
	var out []File
	var total int64
	err = filepath.WalkDir(p, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && fp != p {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if len(out) >= MaxFiles {
			return fmt.Errorf("%s has more than %d files", p, MaxFiles)
		}
		data, err := os.ReadFile(fp)
		if err != nil {
			return err
		}
		if total += int64(len(data)); total > MaxTotalSize {
			return fmt.Errorf("%s holds more than %d bytes", p, MaxTotalSize)
		}
		rel, _ := filepath.Rel(p, fp)
		out = append(out, File{Name: filepath.ToSlash(rel), Data: data})
		return nil
	})
	return out, err
}

// packageFile returns the name of the manifest of a content package among
// files, "" if there is none.
func packageFile(files []File) string {
	for _, f := range files {
		if path.Base(f.Name) == "imsmanifest.xml" {
			return f.Name
		}
	}
	return ""
}

var assetTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".svg": "image/svg+xml", ".webp": "image/webp",
}

// isAsset reports whether a file is an image that questions may show.
func isAsset(name string) bool {
	_, ok := assetTypes[strings.ToLower(path.Ext(name))]
	return ok
}

func mediaType(name string) string {
	if t, ok := assetTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// hidden reports whether a path has a part starting with a dot.
func hidden(p string) bool {
	for _, part := range strings.Split(p, "/") {
		if strings.HasPrefix(part, ".") && part != "." && part != ".." {
			return true
		}
	}
	return false
}
