// Command bench is the Go baseline for `npm run bench`: it builds module zips with
// golang.org/x/mod/zip and times golang.org/x/mod/sumdb/dirhash.HashZip on them.
//
// Build in GOPATH mode (bench/dirhash.ts does this into bench/.cache/bin):
//
//	GO111MODULE=off GOPATH=$PWD/.gopath:/usr/share/gocode go build -o bench/.cache/bin/gobench-dirhash ./bench/go/dirhash
//
// Usage:
//
//	gobench-dirhash create <out.zip> <copies> <dir>...  module zip of the trees (each copied <copies> times)
//	gobench-dirhash synth <out.zip> <MiB> [KiB]         module zip of pseudo-random (incompressible) files of KiB each (default 4096)
//	gobench-dirhash hash <zip> <runs>                   time HashZip; prints JSON {"hash","ms":[...],"maxRSSKiB"}
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/ioutil"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
	"gosumdb.dev/bench/peakrss"
)

var version = module.Version{Path: "example.com/bench", Version: "v1.0.0"}

type diskFile struct {
	path, file string
	info       os.FileInfo
}

func (f diskFile) Path() string                 { return f.path }
func (f diskFile) Lstat() (os.FileInfo, error)  { return f.info, nil }
func (f diskFile) Open() (io.ReadCloser, error) { return os.Open(f.file) }

type synthFile struct {
	path string
	size int64
	seed int64
}

type synthInfo struct{ f synthFile }

func (i synthInfo) Name() string       { return filepath.Base(i.f.path) }
func (i synthInfo) Size() int64        { return i.f.size }
func (i synthInfo) Mode() os.FileMode  { return 0o644 }
func (i synthInfo) ModTime() time.Time { return time.Time{} }
func (i synthInfo) IsDir() bool        { return false }
func (i synthInfo) Sys() interface{}   { return nil }

func (f synthFile) Path() string                { return f.path }
func (f synthFile) Lstat() (os.FileInfo, error) { return synthInfo{f}, nil }
func (f synthFile) Open() (io.ReadCloser, error) {
	return ioutil.NopCloser(io.LimitReader(rand.New(rand.NewSource(f.seed)), f.size)), nil
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gobench:", err)
		os.Exit(1)
	}
}

func create(out string, copies int, dirs []string) {
	var files []modzip.File
	files = append(files, synthFile{path: "go.mod", size: 0, seed: 1})
	for c := 0; c < copies; c++ {
		for _, dir := range dirs {
			must(filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
				if err != nil || !info.Mode().IsRegular() {
					return err
				}
				rel, _ := filepath.Rel(dir, p)
				name := fmt.Sprintf("c%d/%s/%s", c, filepath.Base(dir), filepath.ToSlash(rel))
				// Keep what a module zip may hold: no nested modules, vendor trees or bad names.
				if filepath.Base(p) == "go.mod" || strings.Contains("/"+name, "/vendor/") || module.CheckFilePath(name) != nil {
					return nil
				}
				files = append(files, diskFile{path: name, file: p, info: info})
				return nil
			}))
		}
	}
	w, err := os.Create(out)
	must(err)
	must(modzip.Create(w, version, files))
	must(w.Close())
}

func synth(out string, mib, kib int) {
	var files []modzip.File
	files = append(files, synthFile{path: "go.mod", size: 0, seed: 1})
	total := int64(mib) << 20
	for i := 0; total > 0; i++ {
		size := int64(kib) << 10
		if size > total {
			size = total
		}
		files = append(files, synthFile{path: fmt.Sprintf("data/%05d.bin", i), size: size, seed: int64(i + 2)})
		total -= size
	}
	w, err := os.Create(out)
	must(err)
	must(modzip.Create(w, version, files))
	must(w.Close())
}

func hash(zip string, runs int) {
	var ms []float64
	var h string
	for i := 0; i < runs; i++ {
		t := time.Now()
		var err error
		h, err = dirhash.HashZip(zip, dirhash.Hash1)
		must(err)
		ms = append(ms, float64(time.Since(t).Microseconds())/1000)
	}
	must(json.NewEncoder(os.Stdout).Encode(map[string]interface{}{"hash": h, "ms": ms, "maxRSSKiB": peakrss.KiB()}))
}

func main() {
	if len(os.Args) < 3 {
		must(fmt.Errorf("usage: gobench create|synth|hash ..."))
	}
	switch os.Args[1] {
	case "create":
		copies, err := strconv.Atoi(os.Args[3])
		must(err)
		create(os.Args[2], copies, os.Args[4:])
	case "synth":
		mib, err := strconv.Atoi(os.Args[3])
		must(err)
		kib := 4096
		if len(os.Args) > 4 {
			kib, err = strconv.Atoi(os.Args[4])
			must(err)
		}
		synth(os.Args[2], mib, kib)
	case "hash":
		runs, err := strconv.Atoi(os.Args[3])
		must(err)
		hash(os.Args[2], runs)
	default:
		must(fmt.Errorf("unknown mode %q", os.Args[1]))
	}
}
