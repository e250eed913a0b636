// Command archive packs a directory into a reproducible .tar.gz or .zip
// for scripts/release.sh: entries sorted by name, every time set to
// -mtime (SOURCE_DATE_EPOCH), owner root (0:0), modes 0755 for directories
// and executables and 0644 for everything else, no other metadata. The
// same tree and -mtime give the same bytes on any machine with the same Go.
//
//	go run ./scripts/archive -mtime 1700000000 -o out.tar.gz DIR
//
// The archive holds DIR's base name as its top folder.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/flate"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

type entry struct {
	name string // slash path inside the archive, with the top folder
	src  string // file on disk ("" for a directory)
	exec bool
}

func main() {
	out := flag.String("o", "", "archive to write: NAME.tar.gz or NAME.zip")
	mtime := flag.Int64("mtime", -1, "time of every entry, seconds since 1970 (SOURCE_DATE_EPOCH)")
	flag.Parse()
	if *out == "" || *mtime < 0 || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: archive -mtime SECONDS -o OUT.tar.gz|OUT.zip DIR")
		os.Exit(2)
	}
	if err := run(*out, time.Unix(*mtime, 0).UTC(), flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "archive:", err)
		os.Exit(1)
	}
}

func run(out string, mtime time.Time, dir string) error {
	entries, err := collect(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	switch {
	case strings.HasSuffix(out, ".tar.gz"):
		err = writeTarGz(f, entries, mtime)
	case strings.HasSuffix(out, ".zip"):
		err = writeZip(f, entries, mtime)
	default:
		err = fmt.Errorf("%s: the name must end in .tar.gz or .zip", out)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
	}
	return err
}

func collect(dir string) ([]entry, error) {
	dir = filepath.Clean(dir)
	top := filepath.Base(dir)
	var entries []entry
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		name := path.Join(top, filepath.ToSlash(rel))
		switch {
		case d.IsDir():
			entries = append(entries, entry{name: name + "/"})
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			entries = append(entries, entry{name: name, src: p, exec: info.Mode()&0o111 != 0})
		default:
			return fmt.Errorf("%s: only files and folders can be archived", p)
		}
		return nil
	})
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	return entries, err
}

func mode(e entry) int64 {
	if e.src == "" || e.exec {
		return 0o755
	}
	return 0o644
}

func writeTarGz(w io.Writer, entries []entry, mtime time.Time) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	gz.ModTime = mtime // the gzip header has no name and this time
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: mode(e), ModTime: mtime, Format: tar.FormatUSTAR}
		if e.src == "" {
			h.Typeflag = tar.TypeDir
		} else {
			h.Typeflag = tar.TypeReg
			info, err := os.Stat(e.src)
			if err != nil {
				return err
			}
			h.Size = info.Size()
		}
		if err := tw.WriteHeader(h); err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		if e.src != "" {
			if err := copyFile(tw, e.src); err != nil {
				return err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeZip(w io.Writer, entries []entry, mtime time.Time) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Modified: mtime, Method: zip.Deflate}
		h.SetMode(fs.FileMode(mode(e)))
		if e.src == "" {
			h.SetMode(fs.ModeDir | 0o755)
			h.Method = zip.Store
		}
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		if e.src != "" {
			if err := copyFile(fw, e.src); err != nil {
				return err
			}
		}
	}
	return zw.Close()
}

func copyFile(w io.Writer, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
