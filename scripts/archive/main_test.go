package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// tree makes DIR/pkg with a file, an executable and a folder, written in
// an order that is not the sorted one, with today's times.
func tree(t *testing.T, perm os.FileMode) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pkg")
	for _, f := range []struct {
		name string
		mode os.FileMode
	}{{"z/readme", perm}, {"talkmod", 0o700}, {"a.txt", perm}} {
		p := filepath.Join(dir, f.name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("content of "+f.name), f.mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, f.mode) // past the umask
	}
	return dir
}

func TestArchivesAreReproducible(t *testing.T) {
	mtime := time.Unix(1796142179, 0).UTC()
	for _, ext := range []string{".tar.gz", ".zip"} {
		// Two trees with other modes and times give the same bytes.
		a, b := tree(t, 0o600), tree(t, 0o664)
		os.Chtimes(filepath.Join(b, "a.txt"), time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
		outA, outB := filepath.Join(t.TempDir(), "x"+ext), filepath.Join(t.TempDir(), "x"+ext)
		if err := run(outA, mtime, a); err != nil {
			t.Fatal(err)
		}
		if err := run(outB, mtime, b); err != nil {
			t.Fatal(err)
		}
		ba, _ := os.ReadFile(outA)
		bb, _ := os.ReadFile(outB)
		if !bytes.Equal(ba, bb) {
			t.Errorf("%s: two archives of the same files differ", ext)
		}
	}
}

type got struct {
	name  string
	mode  os.FileMode
	mtime time.Time
	body  string
}

func TestArchiveEntries(t *testing.T) {
	mtime := time.Unix(1796142179, 0).UTC()
	dir := tree(t, 0o600)
	want := []got{
		{"pkg/", 0o755, mtime, ""},
		{"pkg/a.txt", 0o644, mtime, "content of a.txt"},
		{"pkg/talkmod", 0o755, mtime, "content of talkmod"},
		{"pkg/z/", 0o755, mtime, ""},
		{"pkg/z/readme", 0o644, mtime, "content of z/readme"},
	}

	out := filepath.Join(t.TempDir(), "x.tar.gz")
	if err := run(out, mtime, dir); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(out)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if !gz.ModTime.Equal(mtime) || gz.Name != "" {
		t.Errorf("gzip header: time %v, name %q", gz.ModTime, gz.Name)
	}
	tr := tar.NewReader(gz)
	var tarGot []got
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: owner %d:%d %q:%q", h.Name, h.Uid, h.Gid, h.Uname, h.Gname)
		}
		body, _ := io.ReadAll(tr)
		tarGot = append(tarGot, got{h.Name, os.FileMode(h.Mode), h.ModTime.UTC(), string(body)})
	}
	compare(t, "tar", tarGot, want)

	out = filepath.Join(t.TempDir(), "x.zip")
	if err := run(out, mtime, dir); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var zipGot []got
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		zipGot = append(zipGot, got{zf.Name, zf.Mode().Perm(), zf.Modified.UTC(), string(body)})
	}
	compare(t, "zip", zipGot, want)
}

func compare(t *testing.T, what string, g, w []got) {
	t.Helper()
	if len(g) != len(w) {
		t.Fatalf("%s: %d entries, want %d: %v", what, len(g), len(w), g)
	}
	for i := range w {
		if g[i].name != w[i].name || g[i].mode != w[i].mode || !g[i].mtime.Equal(w[i].mtime) || g[i].body != w[i].body {
			t.Errorf("%s entry %d: got %+v, want %+v", what, i, g[i], w[i])
		}
	}
}

func TestArchiveRefusesOtherNames(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.tar")
	if err := run(out, time.Unix(0, 0), tree(t, 0o644)); err == nil {
		t.Fatal("x.tar was written")
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused archive was left behind")
	}
}
