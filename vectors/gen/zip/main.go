// Command zip writes vectors/zip/*.json: the verdicts of golang.org/x/mod/zip on module file
// lists (CheckFiles), the zips Create writes from them (their h1 and entry names), and the zips
// CreateFromDir writes from real directory trees with symbolic links, fifos, nested modules,
// vendor directories and VCS directories (CheckDir's omitted list and the h1).
//
// Build and run in GOPATH mode from the repository root, after `npm run vectors` has linked
// .gopath/src/gosumdb.dev/gen to vectors/gen (for the shared package internal/vecfile):
//
//	GO111MODULE=off GOPATH=$PWD/.gopath:/usr/share/gocode go run ./vectors/gen/zip [outdir]
package main

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"io"
	"io/fs"
	"io/ioutil"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
	"gosumdb.dev/gen/internal/vecfile"
)

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// file is one vector file: kind is file, dir, symlink or irregular (fifo in a directory tree);
// size is what Lstat reports (for lists it may differ from the content, to reach size limits
// without writing them); target is a symlink's target.
type file struct {
	Path       string `json:"path"`
	Kind       string `json:"kind"`
	Size       int64  `json:"size"`
	ContentB64 string `json:"contentB64,omitempty"`
	Target     string `json:"target,omitempty"`
}

func f(p, content string) file {
	return file{Path: p, Kind: "file", Size: int64(len(content)), ContentB64: base64.StdEncoding.EncodeToString([]byte(content))}
}

func sized(p string, size int64) file { return file{Path: p, Kind: "file", Size: size} }

// listFile implements modzip.File over a vector file.
type listFile struct{ v file }

func (l listFile) Path() string                 { return l.v.Path }
func (l listFile) Lstat() (os.FileInfo, error)  { return info{l.v}, nil }
func (l listFile) Open() (io.ReadCloser, error) { return ioutil.NopCloser(bytes.NewReader(content(l.v))), nil }

func content(v file) []byte {
	b, err := base64.StdEncoding.DecodeString(v.ContentB64)
	must(err)
	return b
}

type info struct{ v file }

func (i info) Name() string       { return path.Base(i.v.Path) }
func (i info) Size() int64        { return i.v.Size }
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return i.v.Kind == "dir" }
func (i info) Sys() interface{}   { return nil }
func (i info) Mode() fs.FileMode {
	switch i.v.Kind {
	case "dir":
		return fs.ModeDir | 0o755
	case "symlink":
		return fs.ModeSymlink | 0o777
	case "irregular":
		return fs.ModeNamedPipe | 0o644
	}
	return 0o644
}

type fileErr struct {
	Path string `json:"path"`
	Err  string `json:"err"`
}

type checked struct {
	Valid     []string  `json:"valid"`
	Omitted   []fileErr `json:"omitted"`
	Invalid   []fileErr `json:"invalid"`
	SizeError string    `json:"sizeError,omitempty"`
}

func toChecked(cf modzip.CheckedFiles, rel func(string) string) checked {
	out := checked{Valid: []string{}, Omitted: []fileErr{}, Invalid: []fileErr{}}
	for _, v := range cf.Valid {
		out.Valid = append(out.Valid, rel(v))
	}
	for _, e := range cf.Omitted {
		out.Omitted = append(out.Omitted, fileErr{rel(e.Path), e.Err.Error()})
	}
	for _, e := range cf.Invalid {
		out.Invalid = append(out.Invalid, fileErr{rel(e.Path), e.Err.Error()})
	}
	if cf.SizeError != nil {
		out.SizeError = cf.SizeError.Error()
	}
	return out
}

type listCase struct {
	name  string
	files []file
}

const mib = 1 << 20

var lists = []listCase{
	{"plain", []file{f("go.mod", "module example.com/m\n"), f("a.go", "package m\n"), f("sub/b.go", "package sub\n")}},
	{"empty", []file{}},
	{"not-clean", []file{f("a/../b.go", "x"), f("./c.go", "x"), f("d//e.go", "x"), f("f/", "x")}},
	{"absolute", []file{f("/abs.go", "x")}},
	{"vendor", []file{
		f("vendor/modules.txt", "# m\n"), f("vendor/a/a.go", "a"), f("vendor/a/b/b.go", "b"),
		f("x/vendor/y.go", "y"), f("x/vendor/y/z.go", "z"), f("xvendor/q/r.go", "r"), f("a/vendor", "file"),
	}},
	{"nested-modules", []file{
		f("go.mod", "module m\n"), f("sub/go.mod", "module m/sub\n"), f("sub/a.go", "a"), f("sub/deeper/b.go", "b"),
		f("other/GO.MOD", "module m/other\n"), f("other/c.go", "c"), f("subx/d.go", "d"),
		{Path: "linkmod/go.mod", Kind: "symlink", Size: 7}, f("linkmod/e.go", "e"),
	}},
	{"hg-archival", []file{f(".hg_archival.txt", "repo: x\n"), f("sub/.hg_archival.txt", "kept\n")}},
	{"file-path-rules", []file{
		f("a b.go", "space"), f("données/é.go", "non-ascii"), f("x:y.go", "colon"), f("a\\b.go", "backslash"),
		f("com1.go", "reserved"), f("COM1/x.go", "reserved dir"), f("trailing.", "dot"), f(".hidden", "hidden"),
		f("-dash.go", "dash"), f("tab\t.go", "tab"), f("a~1.go", "tilde"), f("x/~y/z.go", "tilde ok"),
		f("", "empty"),
	}},
	{"go-mod-case", []file{f("GO.MOD", "module m\n"), f("Go.Mod", "module m\n"), f("sub/Go.mod", "x")}},
	{"case-collisions", []file{
		f("a.go", "1"), f("A.go", "2"), f("dir/x.go", "3"), f("DIR/y.go", "4"), f("K.go", "kelvin"), f("\u212a.go", "kelvin sign"),
		f("ß.go", "sharp"), f("ẞ.go", "capital sharp"), f("same.go", "1"), f("same.go", "2"),
	}},
	{"file-and-dir", []file{f("x", "file"), f("x/y.go", "under"), {Path: "d", Kind: "dir"}, f("d/z.go", "z")}},
	{"links-and-irregular", []file{
		f("go.mod", "module m\n"), {Path: "link.go", Kind: "symlink", Size: 4}, {Path: "pipe", Kind: "irregular"},
		{Path: "dir", Kind: "dir"},
	}},
	{"size-go-mod", []file{sized("go.mod", 16*mib+1), sized("sub/go.mod", 16*mib+1)}},
	{"size-license", []file{sized("LICENSE", 16*mib+1), sized("sub/LICENSE", 16*mib+1), sized("LICENSE.md", 16*mib+1)}},
	{"size-at-limits", []file{sized("go.mod", 16*mib), sized("LICENSE", 16*mib), sized("big", 500*mib-32*mib)}},
	{"size-total", []file{sized("a", 300*mib), sized("b", 200*mib), sized("c", 1), sized("d", 2)}},
	{"size-negative", []file{sized("neg", -1)}},
	{"duplicate-errors", []file{f("a/../x", "1"), f("a/../x", "2")}},
}

type version struct{ path, version string }

var createCases = []struct {
	name string
	m    version
	list string // name of a list above
}{
	{"plain", version{"example.com/m", "v1.0.0"}, "plain"},
	{"empty", version{"example.com/m", "v1.0.0"}, "empty"},
	{"vendor", version{"example.com/m", "v1.2.3"}, "vendor"},
	{"nested-modules", version{"example.com/m", "v1.0.0"}, "nested-modules"},
	{"hg-archival", version{"example.com/m", "v1.0.0"}, "hg-archival"},
	{"links-and-irregular", version{"example.com/m", "v0.1.0"}, "links-and-irregular"},
	{"v2", version{"example.com/m/v2", "v2.0.0"}, "plain"},
	{"incompatible", version{"example.com/m", "v3.0.0+incompatible"}, "plain"},
	{"pseudo", version{"example.com/m", "v0.0.0-20200102030405-abcdefabcdef"}, "plain"},
	{"gopkg.in", version{"gopkg.in/yaml.v2", "v2.4.0"}, "plain"},
	{"file-path-rules", version{"example.com/m", "v1.0.0"}, "file-path-rules"},
	{"case-collisions", version{"example.com/m", "v1.0.0"}, "case-collisions"},
	{"size-go-mod", version{"example.com/m", "v1.0.0"}, "size-go-mod"},
	{"size-total", version{"example.com/m", "v1.0.0"}, "size-total"},
	{"non-canonical", version{"example.com/m", "v1.0"}, "plain"},
	{"major-mismatch", version{"example.com/m/v2", "v1.0.0"}, "plain"},
	{"bad-path", version{"Example..com/m", "v1.0.0"}, "plain"},
	{"missing-major", version{"example.com/m", "v2.0.0"}, "plain"},
}

func findList(name string) []file {
	for _, l := range lists {
		if l.name == name {
			return l.files
		}
	}
	panic("no list " + name)
}

func asFiles(vs []file) []modzip.File {
	out := make([]modzip.File, len(vs))
	for i, v := range vs {
		out[i] = listFile{v}
	}
	return out
}

func identity(s string) string { return s }

func checkFilesCases() []vecfile.Case {
	var cs []vecfile.Case
	for _, l := range lists {
		cf, _ := modzip.CheckFiles(asFiles(l.files))
		cs = append(cs, vecfile.Case{Name: l.name, Input: map[string]interface{}{"files": l.files}, Want: toChecked(cf, identity)})
	}
	return cs
}

// created is what a zip holds: its h1 (dirhash.HashZip) and its entry names in order.
type created struct {
	Hash  string   `json:"hash"`
	Names []string `json:"names"`
}

func describeZip(b []byte) created {
	tmp, err := ioutil.TempFile("", "zipvec-*.zip")
	must(err)
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(b)
	must(err)
	must(tmp.Close())
	h, err := dirhash.HashZip(tmp.Name(), dirhash.Hash1)
	must(err)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	must(err)
	names := []string{}
	for _, zf := range zr.File {
		names = append(names, zf.Name)
	}
	return created{Hash: h, Names: names}
}

// createErrCode maps a Create error to this project's code.
func createErrCode(m version, err error) string {
	if module.CanonicalVersion(m.version) != m.version {
		return "ERR_MODULE_VERSION_INVALID"
	}
	if e := module.Check(m.path, m.version); e != nil {
		if module.CheckPath(m.path) != nil {
			return "ERR_MODULE_PATH_INVALID"
		}
		return "ERR_MODULE_VERSION_INVALID"
	}
	if strings.Contains(err.Error(), "too large (max size") && strings.Contains(err.Error(), "module source tree") {
		return "ERR_ZIP_TOO_LARGE"
	}
	return "ERR_MODULE_ZIP_INVALID"
}

func createCasesOut() []vecfile.Case {
	var cs []vecfile.Case
	for _, c := range createCases {
		input := map[string]interface{}{"path": c.m.path, "version": c.m.version, "files": findList(c.list)}
		var buf bytes.Buffer
		err := modzip.Create(&buf, module.Version{Path: c.m.path, Version: c.m.version}, asFiles(findList(c.list)))
		if err != nil {
			cs = append(cs, vecfile.Case{Name: c.name, Input: input, Error: &vecfile.ErrWant{Code: createErrCode(c.m, err), Go: err.Error()}})
			continue
		}
		cs = append(cs, vecfile.Case{Name: c.name, Input: input, Want: describeZip(buf.Bytes())})
	}
	return cs
}

// Directory trees: kind file, dir, symlink (target) or irregular (a fifo).
var trees = []listCase{
	{"plain", []file{f("go.mod", "module example.com/m\n"), f("a.go", "package m\n"), f("sub/b.go", "package sub\n"), {Path: "empty", Kind: "dir"}}},
	{"vcs-dirs", []file{
		f("go.mod", "module example.com/m\n"), f(".git/HEAD", "ref\n"), f(".hg/x", "x"), f(".svn/y", "y"), f(".bzr/z", "z"),
		f("sub/.git/config", "c"), f(".gitignore", "kept\n"), f(".github/w.yml", "kept\n"),
	}},
	{"nested-modules", []file{
		f("go.mod", "module example.com/m\n"), f("sub/go.mod", "module example.com/m/sub\n"), f("sub/a.go", "a"),
		f("sub/deeper/b.go", "b"), f("other/c.go", "c"), {Path: "dirmod/go.mod", Kind: "dir"}, f("dirmod/go.mod/x", "x"),
	}},
	{"vendor", []file{f("go.mod", "module example.com/m\n"), f("vendor/modules.txt", "# m\n"), f("vendor/a/a.go", "a"), f("x/vendor/y/z.go", "z"), f("x/vendor/y.go", "y")}},
	{"links-and-fifo", []file{
		f("go.mod", "module example.com/m\n"), f("real.go", "package m\n"), {Path: "link.go", Kind: "symlink", Target: "real.go"},
		{Path: "linkdir", Kind: "symlink", Target: "sub"}, f("sub/s.go", "package sub\n"), {Path: "pipe", Kind: "irregular"},
	}},
	{"spaces-and-unicode", []file{f("go.mod", "module example.com/m\n"), f("a b/c d.go", "package x\n"), f("données/é.go", "package y\n"), f("日本/語.go", "package z\n")}},
	{"invalid-names", []file{f("go.mod", "module example.com/m\n"), f("x:y.go", "x"), f("A.go", "1"), f("a.go", "2")}},
}

func writeTree(dir string, files []file) {
	for _, v := range files {
		p := filepath.Join(dir, filepath.FromSlash(v.Path))
		must(os.MkdirAll(filepath.Dir(p), 0o755))
		switch v.Kind {
		case "file":
			must(ioutil.WriteFile(p, content(v), 0o644))
		case "dir":
			must(os.MkdirAll(p, 0o755))
		case "symlink":
			must(os.Symlink(v.Target, p))
		case "irregular":
			must(syscall.Mkfifo(p, 0o644))
		}
	}
}

func createFromDirCases() []vecfile.Case {
	var cs []vecfile.Case
	m := version{"example.com/m", "v1.0.0"}
	for _, t := range trees {
		dir, err := ioutil.TempDir("", "zipvec-dir-")
		must(err)
		writeTree(dir, t.files)
		rel := func(p string) string {
			r, err := filepath.Rel(dir, p)
			must(err)
			return filepath.ToSlash(r)
		}
		cf, _ := modzip.CheckDir(dir)
		input := map[string]interface{}{"path": m.path, "version": m.version, "files": t.files}
		var buf bytes.Buffer
		err = modzip.CreateFromDir(&buf, module.Version{Path: m.path, Version: m.version}, dir)
		checkedOut := toChecked(cf, rel)
		if err != nil {
			cs = append(cs, vecfile.Case{Name: t.name, Input: input, Error: &vecfile.ErrWant{Code: "ERR_MODULE_ZIP_INVALID", Go: strings.ReplaceAll(err.Error(), dir, "$DIR")}})
		} else {
			z := describeZip(buf.Bytes())
			cs = append(cs, vecfile.Case{Name: t.name, Input: input, Want: map[string]interface{}{"hash": z.Hash, "names": z.Names, "checked": checkedOut}})
		}
		must(os.RemoveAll(dir))
	}
	return cs
}

func main() {
	dir := vecfile.Dir("zip")
	layout := vecfile.Layout{Indent: " ", CaseLines: true}
	vecfile.Write(dir, "zip", "checkfiles", checkFilesCases(), layout)
	vecfile.Write(dir, "zip", "create", createCasesOut(), layout)
	vecfile.Write(dir, "zip", "createfromdir", createFromDirCases(), layout)
}
