// Command dirhash writes vectors/dirhash/*.json: the h1 hashes of golang.org/x/mod/sumdb/dirhash
// (Hash1, HashDir, HashZip and the go.mod hash) and the verdicts of golang.org/x/mod/zip.CheckZip,
// on ordinary inputs and on hand-built hostile zips.
//
// Build and run in GOPATH mode from the repository root, after `npm run vectors` has linked
// .gopath/src/gosumdb.dev/gen to vectors/gen (for the shared package internal/vecfile):
//
//	GO111MODULE=off GOPATH=$PWD/.gopath:/usr/share/gocode go run ./vectors/gen/dirhash [outdir]
package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/ioutil"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
	"gosumdb.dev/gen/internal/vecfile"
)

type file struct {
	Name       string `json:"name"`
	ContentB64 string `json:"contentB64"`
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// zipErrCode maps a Go error from reading a zip to this project's error code.
func zipErrCode(err error) string {
	switch {
	case errors.Is(err, zip.ErrChecksum):
		return "ERR_ZIP_CRC"
	case errors.Is(err, zip.ErrAlgorithm):
		return "ERR_ZIP_UNSUPPORTED"
	case strings.Contains(err.Error(), "filenames with newlines"):
		return "ERR_DIRHASH_NEWLINE"
	}
	return "ERR_ZIP_MALFORMED"
}

// ---- hand-built zips ----

// entry describes one zip entry and the ways it may deviate from a well-formed one.
type entry struct {
	name     string
	data     []byte
	method   uint16 // 0 store, 8 deflate, anything else as given
	flags    uint16
	dd       int // 0: no data descriptor; 1: with signature; 2: without signature
	crc      *uint32
	ddCRC    *uint32
	usize    *uint64
	csize    *uint64
	zip64    bool
	localSig *uint32
	rawComp  []byte // compressed bytes to write instead of compressing data
	localExt []byte // extra field in the local header only
	sameAs   int    // 1 + index of an earlier entry whose local header and data this one reuses
	usize64  bool   // zip64 extra holding only the uncompressed size
}

type zipOpts struct {
	prefix     []byte // bytes before the zip (a self-extractor stub)
	comment    []byte
	trailing   []byte // bytes after the end record
	records    *uint64
	zip64End   bool // write a zip64 end record and locator
	extraCentr []byte
}

func u32p(v uint32) *uint32 { return &v }
func u64p(v uint64) *uint64 { return &v }

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, 6)
	must(err)
	_, err = w.Write(b)
	must(err)
	must(w.Close())
	return buf.Bytes()
}

func build(entries []entry, o zipOpts) []byte {
	var out bytes.Buffer
	le := func(v interface{}) { must(binary.Write(&out, binary.LittleEndian, v)) }
	out.Write(o.prefix)
	base := out.Len()
	var central bytes.Buffer
	cle := func(v interface{}) { must(binary.Write(&central, binary.LittleEndian, v)) }
	var offsets []uint64
	for _, e := range entries {
		comp := e.rawComp
		if comp == nil {
			if e.method == 8 {
				comp = deflate(e.data)
			} else {
				comp = e.data
			}
		}
		crc := crc32.ChecksumIEEE(e.data)
		if e.crc != nil {
			crc = *e.crc
		}
		usize := uint64(len(e.data))
		if e.usize != nil {
			usize = *e.usize
		}
		csize := uint64(len(comp))
		if e.csize != nil {
			csize = *e.csize
		}
		flags := e.flags | 0x800
		if e.dd != 0 {
			flags |= 0x8
		}
		offset := uint64(out.Len() - base)
		if e.sameAs > 0 {
			offset = offsets[e.sameAs-1]
		}
		offsets = append(offsets, offset)
		sig := uint32(0x04034b50)
		if e.localSig != nil {
			sig = *e.localSig
		}
		if e.sameAs == 0 {
			le(sig)
			le(uint16(20))
			le(flags)
			le(e.method)
			le(uint16(0))
			le(uint16(0x21))
			if e.dd != 0 {
				le(uint32(0))
				le(uint32(0))
				le(uint32(0))
			} else {
				le(crc)
				le(uint32(csize))
				le(uint32(usize))
			}
			le(uint16(len(e.name)))
			le(uint16(len(e.localExt)))
			out.WriteString(e.name)
			out.Write(e.localExt)
			out.Write(comp)
		}
		if e.dd != 0 && e.sameAs == 0 {
			if e.dd == 1 {
				le(uint32(0x08074b50))
			}
			ddc := crc
			if e.ddCRC != nil {
				ddc = *e.ddCRC
			}
			le(ddc)
			le(uint32(csize))
			le(uint32(usize))
		}
		var extra []byte
		c32, u32, o32 := uint32(csize), uint32(usize), uint32(offset)
		if e.zip64 {
			var x bytes.Buffer
			must(binary.Write(&x, binary.LittleEndian, uint16(1)))
			must(binary.Write(&x, binary.LittleEndian, uint16(24)))
			must(binary.Write(&x, binary.LittleEndian, usize))
			must(binary.Write(&x, binary.LittleEndian, csize))
			must(binary.Write(&x, binary.LittleEndian, offset))
			extra = x.Bytes()
			c32, u32, o32 = 0xffffffff, 0xffffffff, 0xffffffff
		}
		if e.usize64 {
			var x bytes.Buffer
			must(binary.Write(&x, binary.LittleEndian, uint16(1)))
			must(binary.Write(&x, binary.LittleEndian, uint16(8)))
			must(binary.Write(&x, binary.LittleEndian, usize))
			extra = x.Bytes()
			u32 = 0xffffffff
		}
		extra = append(extra, o.extraCentr...)
		cle(uint32(0x02014b50))
		cle(uint16(0x314))
		cle(uint16(20))
		cle(flags)
		cle(e.method)
		cle(uint16(0))
		cle(uint16(0x21))
		cle(crc)
		cle(c32)
		cle(u32)
		cle(uint16(len(e.name)))
		cle(uint16(len(extra)))
		cle(uint16(0))
		cle(uint16(0))
		cle(uint16(0))
		cle(uint32(0x81a4 << 16))
		cle(o32)
		central.WriteString(e.name)
		central.Write(extra)
	}
	dirOffset := uint64(out.Len() - base)
	dirSize := uint64(central.Len())
	out.Write(central.Bytes())
	records := uint64(len(entries))
	if o.records != nil {
		records = *o.records
	}
	r16, s32, off32 := uint16(records), uint32(dirSize), uint32(dirOffset)
	if o.zip64End {
		end64 := uint64(out.Len())
		le(uint32(0x06064b50))
		le(uint64(44))
		le(uint16(45))
		le(uint16(45))
		le(uint32(0))
		le(uint32(0))
		le(records)
		le(records)
		le(dirSize)
		le(dirOffset)
		le(uint32(0x07064b50))
		le(uint32(0))
		le(end64)
		le(uint32(1))
		r16, s32, off32 = 0xffff, 0xffffffff, 0xffffffff
	}
	le(uint32(0x06054b50))
	le(uint16(0))
	le(uint16(0))
	le(r16)
	le(r16)
	le(s32)
	le(off32)
	le(uint16(len(o.comment)))
	out.Write(o.comment)
	out.Write(o.trailing)
	return out.Bytes()
}

// writerZip builds a zip with archive/zip's Writer (data descriptors, as most tools write).
func writerZip(files []file, method uint16) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range files {
		c, _ := base64.StdEncoding.DecodeString(f.ContentB64)
		fw, err := w.CreateHeader(&zip.FileHeader{Name: f.Name, Method: method})
		must(err)
		_, err = fw.Write(c)
		must(err)
	}
	must(w.Close())
	return buf.Bytes()
}

var tempName = regexp.MustCompile(`\S*dirhash-[0-9]+\.zip`)

func hashZipBytes(z []byte) (string, error) {
	f, err := ioutil.TempFile("", "dirhash-*.zip")
	must(err)
	defer os.Remove(f.Name())
	_, err = f.Write(z)
	must(err)
	must(f.Close())
	return dirhash.HashZip(f.Name(), dirhash.Hash1)
}

func zipCase(name string, z []byte) vecfile.Case {
	h, err := hashZipBytes(z)
	in := map[string]string{"zipB64": b64(z)}
	if err != nil {
		// The temporary file's name is not part of the verdict; keep the vectors reproducible.
		msg := tempName.ReplaceAllString(err.Error(), "<zip>")
		return vecfile.Case{Name: name, Input: in, Error: &vecfile.ErrWant{Code: zipErrCode(err), Go: msg}}
	}
	return vecfile.Case{Name: name, Input: in, Want: h}
}

func pattern(n int, seed uint32) []byte {
	b := make([]byte, n)
	x := seed
	for i := range b {
		x = x*1103515245 + 12345
		b[i] = byte(x >> 16)
	}
	return b
}

func repeat(block []byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = block[i%len(block)]
	}
	return b
}

func fs(pairs ...string) []file {
	var out []file
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, file{Name: pairs[i], ContentB64: b64([]byte(pairs[i+1]))})
	}
	return out
}

func hash1Files(files []file) (string, error) {
	var names []string
	content := map[string][]byte{}
	for _, f := range files {
		names = append(names, f.Name)
		c, _ := base64.StdEncoding.DecodeString(f.ContentB64)
		content[f.Name] = c
	}
	return dirhash.Hash1(names, func(name string) (io.ReadCloser, error) {
		return ioutil.NopCloser(bytes.NewReader(content[name])), nil
	})
}

// Sort-order traps: UTF-16 order differs from UTF-8 byte order for U+E000..U+FFFF vs U+10000+.
var trapNames = []string{"a\uE000", "a\U00010000", "a\uFFFD", "a\U0001F600", "A", "a", "a b", "a/b", "a.b", "a-b", "a_b", "ab", "Z", "z", "é", "e\u0301", "~", "a/b/c", "a/bc", "a0"}

func hash1Cases() []vecfile.Case {
	var cs []vecfile.Case
	add := func(name string, files []file) {
		h, err := hash1Files(files)
		in := map[string]interface{}{"files": files}
		if err != nil {
			cs = append(cs, vecfile.Case{Name: name, Input: in, Error: &vecfile.ErrWant{Code: "ERR_DIRHASH_NEWLINE", Go: err.Error()}})
			return
		}
		cs = append(cs, vecfile.Case{Name: name, Input: in, Want: h})
	}
	add("empty list", nil)
	add("one empty file", fs("a", ""))
	add("one file", fs("m@v1.0.0/go.mod", "module m\n"))
	var trap []file
	for i, n := range trapNames {
		trap = append(trap, file{Name: n, ContentB64: b64([]byte(fmt.Sprint(i)))})
	}
	add("sort order traps (UTF-8 byte order, not UTF-16)", trap)
	add("reverse order input", fs("c", "3", "b", "2", "a", "1"))
	add("spaces, unicode and deep paths", fs("m@v1/dir with space/file name.txt", "x", "m@v1/日本語/ファイル.go", "package p\n", "m@v1/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/deep.txt", "deep", "m@v1/emoji/😀.txt", "smile"))
	add("duplicate names", fs("a", "same", "a", "same"))
	add("binary content", []file{{Name: "bin", ContentB64: b64(pattern(4096, 7))}})
	add("newline in name", fs("a\nb", "x"))
	add("carriage return in name is allowed", fs("a\rb", "x"))
	add("empty name", fs("", "x"))
	return cs
}

func goModCases() []vecfile.Case {
	var cs []vecfile.Case
	add := func(name string, content []byte) {
		h, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
			return ioutil.NopCloser(bytes.NewReader(content)), nil
		})
		must(err)
		cs = append(cs, vecfile.Case{Name: name, Input: map[string]string{"contentB64": b64(content)}, Want: h})
	}
	add("typical", []byte("module example.com/m\n\ngo 1.19\n\nrequire golang.org/x/mod v0.7.0\n"))
	add("CRLF line endings", []byte("module example.com/m\r\n\r\ngo 1.19\r\n"))
	add("byte order mark", []byte("\xef\xbb\xbfmodule example.com/m\n"))
	add("no final newline", []byte("module example.com/m"))
	add("empty", nil)
	add("only a newline", []byte("\n"))
	add("invalid UTF-8 is hashed as bytes", []byte("module m // \xff\xfe\n"))
	return cs
}

func hashDirCases() []vecfile.Case {
	var cs []vecfile.Case
	add := func(name, prefix string, files []file) {
		dir, err := ioutil.TempDir("", "dirhash-dir-")
		must(err)
		defer os.RemoveAll(dir)
		for _, f := range files {
			c, _ := base64.StdEncoding.DecodeString(f.ContentB64)
			p := filepath.Join(dir, filepath.FromSlash(f.Name))
			must(os.MkdirAll(filepath.Dir(p), 0o777))
			must(ioutil.WriteFile(p, c, 0o644))
		}
		h, err := dirhash.HashDir(dir, prefix, dirhash.Hash1)
		must(err)
		list, err := dirhash.DirFiles(dir, prefix)
		must(err)
		list = nonNil(list)
		cs = append(cs, vecfile.Case{Name: name, Input: map[string]interface{}{"prefix": prefix, "files": files}, Want: map[string]interface{}{"hash": h, "files": list}})
	}
	add("module tree", "example.com/m@v1.0.0", fs("go.mod", "module example.com/m\n", "m.go", "package m\n", "sub/sub.go", "package sub\n", "sub/deeper/x.txt", "x"))
	add("empty prefix", "", fs("a", "1", "b/c", "2"))
	add("prefix with trailing slash is cleaned", "example.com/m@v1.0.0/", fs("a", "1"))
	add("walk order is per directory, not of whole paths", "p", fs("a-b", "1", "a/b", "2", "a.b", "3", "a0", "4"))
	add("empty files and spaces", "p", fs("empty", "", "with space.txt", "s", "日本/語", "u"))
	add("empty directory tree", "p", nil)
	return cs
}

func zipCases() []vecfile.Case {
	var cs []vecfile.Case
	add := func(name string, z []byte) { cs = append(cs, zipCase(name, z)) }

	add("empty zip", build(nil, zipOpts{}))
	add("empty zip with comment", build(nil, zipOpts{comment: []byte("a comment")}))
	add("one stored file", build([]entry{{name: "a.txt", data: []byte("hello\n")}}, zipOpts{}))
	add("one deflate file", build([]entry{{name: "a.txt", data: []byte("hello hello hello\n"), method: 8}}, zipOpts{}))
	add("stored vs deflate give the same hash (stored)", build([]entry{{name: "x/y", data: pattern(3000, 1)}}, zipOpts{}))
	add("stored vs deflate give the same hash (deflate)", build([]entry{{name: "x/y", data: pattern(3000, 1), method: 8}}, zipOpts{}))
	var trap []entry
	for i, n := range trapNames {
		trap = append(trap, entry{name: n, data: []byte(fmt.Sprint(i)), method: uint16(8 * (i % 2))})
	}
	add("sort order traps", build(trap, zipOpts{}))
	add("unsorted entries", build([]entry{{name: "c", data: []byte("3")}, {name: "a", data: []byte("1")}, {name: "b", data: []byte("2")}}, zipOpts{}))
	add("spaces, unicode and deep paths", writerZip(fs("m@v1/dir with space/file name.txt", "x", "m@v1/日本語/ファイル.go", "package p\n", "m@v1/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/deep.txt", "deep"), zip.Deflate))
	add("empty files (stored and deflate)", build([]entry{{name: "e1", data: nil}, {name: "e2", data: nil, method: 8}}, zipOpts{}))
	add("multi-MB deflate file (5 MiB, 1 KiB period)", build([]entry{{name: "big.bin", data: repeat(pattern(1024, 3), 5<<20), method: 8}}, zipOpts{}))
	add("large deflate file (20 MiB, short period: streamed)", build([]entry{{name: "huge.txt", data: repeat([]byte("gosumdb!"), 20<<20), method: 8}}, zipOpts{}))
	add("stored file of 300 KB", build([]entry{{name: "s.bin", data: pattern(300000, 5)}}, zipOpts{}))
	add("archive/zip writer: data descriptors, deflate", writerZip(fs("a", "alpha", "b/c", "charlie", "d", ""), zip.Deflate))
	add("archive/zip writer: data descriptors, stored", writerZip(fs("a", "alpha", "b/c", "charlie"), zip.Store))
	add("data descriptor with signature", build([]entry{{name: "a", data: []byte("data"), dd: 1}}, zipOpts{}))
	add("data descriptor without signature", build([]entry{{name: "a", data: []byte("data"), dd: 2, method: 8}}, zipOpts{}))
	add("data descriptor CRC differs from central directory", build([]entry{{name: "a", data: []byte("data"), dd: 1, ddCRC: u32p(1)}}, zipOpts{}))
	add("data descriptor and central CRC both wrong", build([]entry{{name: "a", data: []byte("data"), dd: 1, crc: u32p(7), ddCRC: u32p(7)}}, zipOpts{}))
	add("data descriptor with CRC 0 is still checked", build([]entry{{name: "a", data: []byte("data"), dd: 2, crc: u32p(0), ddCRC: u32p(0)}}, zipOpts{}))
	add("explicit directory entries", build([]entry{{name: "d/", data: nil}, {name: "d/f", data: []byte("f")}, {name: "d/e/", data: nil}}, zipOpts{}))
	add("directory entry only", build([]entry{{name: "only/", data: nil}}, zipOpts{}))
	add("duplicate names: last entry's content, hashed twice", build([]entry{{name: "a", data: []byte("first")}, {name: "a", data: []byte("second")}}, zipOpts{}))
	add("duplicate names: corrupt first copy is never read", build([]entry{{name: "a", data: []byte("first"), crc: u32p(1)}, {name: "a", data: []byte("second")}}, zipOpts{}))
	add("duplicate names: corrupt last copy", build([]entry{{name: "a", data: []byte("first")}, {name: "a", data: []byte("second"), crc: u32p(1)}}, zipOpts{}))
	add("newline in a name", build([]entry{{name: "a\nb", data: []byte("x")}}, zipOpts{}))
	add("corrupt CRC", build([]entry{{name: "a", data: []byte("data"), crc: u32p(0xdeadbeef)}}, zipOpts{}))
	add("corrupt CRC (deflate)", build([]entry{{name: "a", data: []byte("data data data"), method: 8, crc: u32p(0xdeadbeef)}}, zipOpts{}))
	add("CRC 0 without data descriptor is not checked", build([]entry{{name: "a", data: []byte("data"), crc: u32p(0)}}, zipOpts{}))
	add("unknown compression method", build([]entry{{name: "a", data: []byte("data"), method: 12}}, zipOpts{}))
	add("uncompressed size larger than content", build([]entry{{name: "a", data: []byte("data"), usize: u64p(10)}}, zipOpts{}))
	add("uncompressed size smaller than content (stored)", build([]entry{{name: "a", data: []byte("data"), usize: u64p(2)}}, zipOpts{}))
	add("zip bomb: deflate output beyond declared size", build([]entry{{name: "bomb", data: make([]byte, 10<<20), method: 8, usize: u64p(1000)}}, zipOpts{}))
	add("compressed size too small: truncated deflate", build([]entry{{name: "a", data: pattern(5000, 2), method: 8, csize: u64p(100)}}, zipOpts{}))
	add("corrupt deflate data", build([]entry{{name: "a", data: []byte("0123456789"), method: 8, rawComp: []byte{0xff, 0xff, 0xff, 0xff, 0xff}}}, zipOpts{}))
	add("empty deflate data", build([]entry{{name: "a", data: nil, method: 8, rawComp: []byte{}}}, zipOpts{}))
	add("deflate data followed by junk before the next header", build([]entry{{name: "a", data: []byte("abc"), method: 8, rawComp: append(deflate([]byte("abc")), 1, 2, 3)}}, zipOpts{}))
	add("bad local header signature", build([]entry{{name: "a", data: []byte("x"), localSig: u32p(0x01020304)}}, zipOpts{}))
	// Go ignores the encryption flag and fails on the (here wrong) CRC; gosumdb refuses the entry.
	enc := zipCase("encrypted flag", build([]entry{{name: "a", data: []byte("data"), flags: 1, crc: u32p(5)}}, zipOpts{}))
	enc.Error.Code = "ERR_ZIP_UNSUPPORTED"
	cs = append(cs, enc)
	add("prefix stub before the zip", build([]entry{{name: "a", data: []byte("1")}, {name: "b", data: []byte("2"), method: 8}}, zipOpts{prefix: []byte("#!/bin/sh\necho self-extracting\nexit 0\n")}))
	add("trailing junk after the end record", build([]entry{{name: "a", data: []byte("1")}}, zipOpts{trailing: []byte("junk")}))
	add("zip64 records and end record", build([]entry{{name: "a", data: []byte("zip64 entry"), zip64: true}, {name: "b", data: pattern(2000, 9), method: 8, zip64: true}}, zipOpts{zip64End: true}))
	add("zip64 extra holding only the uncompressed size", build([]entry{{name: "a", data: []byte("only usize"), usize64: true}}, zipOpts{}))
	add("local header with its own extra field", build([]entry{{name: "a", data: []byte("after extra"), localExt: []byte{0x55, 0x54, 5, 0, 1, 2, 3, 4, 5}}, {name: "b", data: []byte("b"), method: 8, localExt: []byte{0xca, 0xfe, 0, 0}}}, zipOpts{}))
	add("two names sharing one local header and its data", build([]entry{{name: "a", data: []byte("shared")}, {name: "z", data: []byte("shared"), sameAs: 1}}, zipOpts{}))
	add("end record comment containing a fake end record", build([]entry{{name: "a", data: []byte("1")}}, zipOpts{comment: append([]byte("PK\x05\x06"), make([]byte, 18)...)}))
	add("zip64 end record without zip64 extras", build([]entry{{name: "a", data: []byte("x")}}, zipOpts{zip64End: true}))
	add("entry count mismatch", build([]entry{{name: "a", data: []byte("1")}, {name: "b", data: []byte("2")}}, zipOpts{records: u64p(3)}))
	add("more central records than the end record counts", build([]entry{{name: "a", data: []byte("1")}, {name: "b", data: []byte("2")}}, zipOpts{records: u64p(1)}))
	add("a bad last record is dropped when the count allows it", func() []byte {
		z := build([]entry{{name: "a", data: []byte("1")}, {name: "b", data: []byte("2")}}, zipOpts{records: u64p(1)})
		// Corrupt the second central record's signature: Go stops listing there.
		i := bytes.LastIndex(z, []byte("PK\x01\x02"))
		z[i+3] = 9
		return z
	}())
	add("entry count modulo 65536", build([]entry{{name: "a", data: []byte("1")}}, zipOpts{records: u64p(65537), zip64End: true}))
	add("zip64 extra too short", build([]entry{{name: "a", data: []byte("1")}}, zipOpts{extraCentr: []byte{1, 0, 4, 0, 0, 0, 0, 0}}))
	add("unknown extra fields are ignored", build([]entry{{name: "a", data: []byte("1")}}, zipOpts{extraCentr: []byte{0x55, 0x54, 5, 0, 1, 0, 0, 0, 0, 0x99, 0x99, 2, 0, 7, 7}}))
	add("not a zip", []byte("this is not a zip file at all, just some text that is long enough"))
	add("zero bytes", []byte{})
	good := build([]entry{{name: "a", data: pattern(2000, 4), method: 8}, {name: "b", data: []byte("bee")}}, zipOpts{})
	add("truncated to half", good[:len(good)/2])
	add("truncated before the end record", good[:len(good)-10])
	add("central directory offset out of range", func() []byte {
		z := append([]byte(nil), good...)
		binary.LittleEndian.PutUint32(z[len(z)-6:], 0x7fffffff)
		return z
	}())
	add("end record comment length beyond the file", func() []byte {
		z := append([]byte(nil), good...)
		binary.LittleEndian.PutUint16(z[len(z)-2:], 50)
		return z
	}())
	add("local header offset beyond the file", func() []byte {
		z := build([]entry{{name: "a", data: []byte("1")}}, zipOpts{})
		binary.LittleEndian.PutUint32(z[len(z)-22-1-4:], 0x10000000)
		return z
	}())

	// zips made by golang.org/x/mod/zip.Create, as the go command makes them.
	for _, m := range []struct {
		name  string
		files []file
	}{
		{"module", fs("go.mod", "module example.com/m\n\ngo 1.19\n", "m.go", "package m\n", "internal/x/x.go", "package x\n", "LICENSE", "BSD\n", "README.md", "# m\n")},
		{"module with vendor and submodule omitted", fs("go.mod", "module example.com/m\n", "a.go", "package a\n", "sub/go.mod", "module example.com/m/sub\n", "sub/s.go", "package s\n", "vendor/modules.txt", "# x\n", "vendor/example.com/v/v.go", "package v\n")},
	} {
		dir, err := ioutil.TempDir("", "dirhash-create-")
		must(err)
		for _, f := range m.files {
			c, _ := base64.StdEncoding.DecodeString(f.ContentB64)
			p := filepath.Join(dir, filepath.FromSlash(f.Name))
			must(os.MkdirAll(filepath.Dir(p), 0o777))
			must(ioutil.WriteFile(p, c, 0o644))
		}
		var buf bytes.Buffer
		must(modzip.CreateFromDir(&buf, module.Version{Path: "example.com/m", Version: "v1.2.3"}, dir))
		os.RemoveAll(dir)
		add("x/mod zip.CreateFromDir: "+m.name, buf.Bytes())
	}
	return cs
}

// ---- hand-built DEFLATE streams (RFC 1951), to pin compress/flate's verdicts ----

type bitWriter struct {
	out   []byte
	acc   uint64
	nbits uint
}

// bits writes n bits of v, least significant first (header fields, extra bits).
func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.nbits
	w.nbits += n
	for w.nbits >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nbits -= 8
	}
}

// code writes a Huffman code of n bits, most significant bit first.
func (w *bitWriter) code(c uint64, n uint) {
	var r uint64
	for i := uint(0); i < n; i++ {
		r = r<<1 | (c>>i)&1
	}
	w.bits(r, n)
}

func (w *bitWriter) bytes() []byte {
	if w.nbits > 0 {
		return append(append([]byte(nil), w.out...), byte(w.acc))
	}
	return append([]byte(nil), w.out...)
}

// canonical assigns RFC 1951 §3.2.2 codes to code lengths.
func canonical(lengths []int) []uint64 {
	var count [16]int
	for _, l := range lengths {
		if l > 0 {
			count[l]++
		}
	}
	var next [16]uint64
	code := uint64(0)
	for l := 1; l < 16; l++ {
		code = (code + uint64(count[l-1])) << 1
		next[l] = code
	}
	codes := make([]uint64, len(lengths))
	for i, l := range lengths {
		if l > 0 {
			codes[i] = next[l]
			next[l]++
		}
	}
	return codes
}

// fixedLit writes a literal/length symbol with the fixed Huffman code.
func fixedLit(w *bitWriter, sym int) {
	switch {
	case sym < 144:
		w.code(uint64(0x30+sym), 8)
	case sym < 256:
		w.code(uint64(0x190+sym-144), 9)
	case sym < 280:
		w.code(uint64(sym-256), 7)
	default:
		w.code(uint64(0xc0+sym-280), 8)
	}
}

type dynSym struct {
	lit   int // literal/length symbol, or -1
	dist  int // distance symbol after a length, or -1
	extra uint64
	nx    uint
}

// dynamic writes one dynamic block: header, code-length code lengths (in RFC order), the code
// lengths as given in clSeq (symbol, extra value, extra bits), then the data symbols.
func dynamic(w *bitWriter, final bool, nlit, ndist int, clLens [19]int, clSeq [][3]int, lit, dist []int, syms []dynSym) {
	f := uint64(0)
	if final {
		f = 1
	}
	w.bits(f, 1)
	w.bits(2, 2)
	w.bits(uint64(nlit-257), 5)
	w.bits(uint64(ndist-1), 5)
	order := []int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
	w.bits(uint64(19-4), 4)
	for _, i := range order {
		w.bits(uint64(clLens[i]), 3)
	}
	clCodes := canonical(clLens[:])
	for _, c := range clSeq {
		w.code(clCodes[c[0]], uint(clLens[c[0]]))
		if c[0] >= 16 {
			nb := map[int]uint{16: 2, 17: 3, 18: 7}[c[0]]
			w.bits(uint64(c[1]), nb)
		}
	}
	lc := canonical(lit)
	dc := canonical(dist)
	for _, s := range syms {
		if s.lit >= 0 {
			w.code(lc[s.lit], uint(lit[s.lit]))
		}
		if s.dist >= 0 {
			w.code(dc[s.dist], uint(dist[s.dist]))
		}
		if s.nx > 0 {
			w.bits(s.extra, s.nx)
		}
	}
}

// plainLengths lists code lengths one symbol each (no run-length codes).
func plainLengths(ls ...[]int) [][3]int {
	var out [][3]int
	for _, l := range ls {
		for _, x := range l {
			out = append(out, [3]int{x, 0, 0})
		}
	}
	return out
}

// litLengths returns nlit lengths: 8 for 0..255 except those given, and the given overrides.
func litLengths(nlit int, set map[int]int) []int {
	l := make([]int, nlit)
	for i := range l {
		if v, ok := set[i]; ok {
			l[i] = v
		}
	}
	return l
}

func deflateCases() []vecfile.Case {
	var cs []vecfile.Case
	add := func(name string, raw []byte, intended ...string) {
		// The entry declares the size and CRC of what Go's flate produces; for a stream Go
		// rejects, those of the output a lenient decoder would make (so that only the DEFLATE
		// verdict can fail the case), or of nothing plausible.
		out, err := ioutil.ReadAll(flate.NewReader(bytes.NewReader(raw)))
		e := entry{name: "f", data: out, method: 8, rawComp: raw}
		if err != nil {
			e.data = []byte(strings.Join(intended, ""))
			if len(intended) == 0 {
				e.usize = u64p(100)
				e.crc = u32p(1)
			}
		}
		cs = append(cs, zipCase("deflate: "+name, build([]entry{e}, zipOpts{})))
	}
	stored := func(final bool, n, nn int, data []byte) []byte {
		f := byte(0)
		if final {
			f = 1
		}
		return append([]byte{f, byte(n), byte(n >> 8), byte(nn), byte(nn >> 8)}, data...)
	}
	add("stored block", stored(true, 3, 0xfffc, []byte("abc")))
	add("stored block with a wrong length complement", stored(true, 3, 0xfffd, []byte("abc")), "abc")
	add("stored block longer than the data", stored(true, 10, 0xfff5, []byte("abc")))
	add("empty final stored block", stored(true, 0, 0xffff, nil))
	add("stored then fixed blocks", func() []byte {
		b := stored(false, 2, 0xfffd, []byte("xy"))
		w := &bitWriter{out: b}
		w.bits(1, 1)
		w.bits(1, 2)
		fixedLit(w, 'z')
		fixedLit(w, 256)
		return w.bytes()
	}())
	add("block type 3", []byte{0x07, 0, 0, 0})
	fixed := func(final bool, f func(w *bitWriter)) []byte {
		w := &bitWriter{}
		if final {
			w.bits(1, 1)
		} else {
			w.bits(0, 1)
		}
		w.bits(1, 2)
		f(w)
		return w.bytes()
	}
	add("fixed block", fixed(true, func(w *bitWriter) { fixedLit(w, 'a'); fixedLit(w, 256) }))
	add("fixed block with a back-reference", fixed(true, func(w *bitWriter) {
		fixedLit(w, 'a')
		fixedLit(w, 264) // length 10
		w.code(0, 5)     // distance 1
		fixedLit(w, 256)
	}))
	add("fixed block: literal/length symbol 286", fixed(true, func(w *bitWriter) { fixedLit(w, 'a'); fixedLit(w, 286); fixedLit(w, 256) }), "a")
	add("fixed block: distance symbol 30", fixed(true, func(w *bitWriter) { fixedLit(w, 'a'); fixedLit(w, 257); w.code(30, 5); fixedLit(w, 256) }), "a")
	add("fixed block: distance before any output", fixed(true, func(w *bitWriter) { fixedLit(w, 257); w.code(0, 5); fixedLit(w, 256) }), "\x00\x00\x00")
	add("fixed block: distance too far back", fixed(true, func(w *bitWriter) { fixedLit(w, 'a'); fixedLit(w, 257); w.code(1, 5); fixedLit(w, 256) }), "a\x00a\x00")
	add("non-final block, then the end of the data", fixed(false, func(w *bitWriter) { fixedLit(w, 'a'); fixedLit(w, 256) }), "a")
	add("fixed block cut before its end-of-block code", fixed(true, func(w *bitWriter) { fixedLit(w, 'a'); fixedLit(w, 'b') })[:1])

	// A complete code-length code: symbols 0..15 and 16, 17, 18 need 19 codes; use lengths
	// 4 for 0..12 (13 codes) and 5 for the rest (6 codes) -> 13/16 + 6/32 = 1.
	var cl [19]int
	for i := 0; i < 19; i++ {
		if i <= 12 {
			cl[i] = 4
		} else {
			cl[i] = 5
		}
	}
	// A complete literal/length code over 257 symbols + 1: 254 of length 8 and 4 of length 9... use
	// 0..253 length 8 (254/256), 254, 255, 256, 257 length 9 (4/512) -> 254/256 + 4/512 = 1.
	litSet := map[int]int{}
	for i := 0; i < 254; i++ {
		litSet[i] = 8
	}
	for i := 254; i < 258; i++ {
		litSet[i] = 9
	}
	lit := litLengths(258, litSet)
	dist1 := []int{1}
	dyn := func(final bool, nlit, ndist int, clLens [19]int, seq [][3]int, lit, dist []int, syms []dynSym) []byte {
		w := &bitWriter{}
		dynamic(w, final, nlit, ndist, clLens, seq, lit, dist, syms)
		return w.bytes()
	}
	ab := []dynSym{{lit: 'a', dist: -1}, {lit: 'b', dist: -1}, {lit: 256, dist: -1}}
	add("dynamic block", dyn(true, 258, 1, cl, plainLengths(lit, dist1), lit, dist1, ab))
	add("dynamic block with a back-reference (degenerate one-code distance tree)", dyn(true, 258, 1, cl, plainLengths(lit, dist1), lit, dist1,
		[]dynSym{{lit: 'a', dist: -1}, {lit: 257, dist: 0}, {lit: 256, dist: -1}}))
	add("dynamic block: empty distance tree, literals only", dyn(true, 258, 1, cl, plainLengths(lit, []int{0}), lit, []int{0}, ab))
	add("dynamic block: empty distance tree used", dyn(true, 258, 1, cl, plainLengths(lit, []int{0}), lit, []int{0},
		[]dynSym{{lit: 'a', dist: -1}, {lit: 257, dist: -1}, {lit: 256, dist: -1}}), "a")
	add("dynamic block: HLIT 30 (287 codes)", func() []byte {
		lit287 := append(append([]int(nil), lit...), make([]int, 287-258)...)
		return dyn(true, 287, 1, cl, plainLengths(lit287, dist1), lit287, dist1, ab)
	}(), "ab")
	add("dynamic block: HDIST 30 (31 codes)", func() []byte {
		d31 := make([]int, 31)
		d31[0] = 1
		return dyn(true, 258, 31, cl, plainLengths(lit, d31), lit, d31, ab)
	}(), "ab")
	add("dynamic block: incomplete code-length code", func() []byte {
		bad := cl
		bad[18] = 0
		return dyn(true, 258, 1, bad, plainLengths(lit, dist1), lit, dist1, ab)
	}(), "ab")
	add("dynamic block: over-subscribed code-length code", func() []byte {
		bad := cl
		bad[18] = 4
		return dyn(true, 258, 1, bad, plainLengths(lit, dist1), lit, dist1, ab)
	}(), "ab")
	add("dynamic block: repeat code 16 first", dyn(true, 258, 1, cl, append([][3]int{{16, 0, 0}}, plainLengths(lit[3:], dist1)...), lit, dist1, ab), "ab")
	add("dynamic block: zero run past the end of the lengths", dyn(true, 258, 1, cl, append(plainLengths(lit[:250]), [3]int{18, 127, 0}), lit, dist1, ab), "ab")
	add("dynamic block: incomplete literal/length code", func() []byte {
		bad := append([]int(nil), lit...)
		bad[257] = 0
		return dyn(true, 258, 1, cl, plainLengths(bad, dist1), bad, dist1, ab)
	}(), "ab")
	add("dynamic block: over-subscribed literal/length code", func() []byte {
		bad := append([]int(nil), lit...)
		bad[254] = 8
		return dyn(true, 258, 1, cl, plainLengths(bad, dist1), bad, dist1, ab)
	}(), "ab")
	add("dynamic block: incomplete distance code", dyn(true, 258, 2, cl, plainLengths(lit, []int{1, 2}), lit, []int{1, 2},
		[]dynSym{{lit: 'a', dist: -1}, {lit: 257, dist: 0}, {lit: 256, dist: -1}}), "aaaa")
	add("dynamic block: no end-of-block code", func() []byte {
		bad := append([]int(nil), lit...)
		bad[256] = 0
		bad[254] = 8
		bad[255] = 8
		bad[257] = 0
		return dyn(true, 258, 1, cl, plainLengths(bad, dist1), bad, dist1, []dynSym{{lit: 'a', dist: -1}})
	}(), "a")
	return cs
}

// ---- CheckZip ----

type fileErr struct {
	Path string `json:"path"`
	Err  string `json:"err"`
}

func checkZipCase(name, path, version string, z []byte) vecfile.Case {
	f, err := ioutil.TempFile("", "checkzip-*.zip")
	must(err)
	defer os.Remove(f.Name())
	_, err = f.Write(z)
	must(err)
	must(f.Close())
	in := map[string]string{"path": path, "version": version, "zipB64": b64(z)}
	cf, err := modzip.CheckZip(module.Version{Path: path, Version: version}, f.Name())
	if err != nil && cf.Valid == nil && cf.Invalid == nil && cf.SizeError == nil {
		code := zipErrCode(err)
		var ie *module.InvalidVersionError
		var me *module.ModuleError
		var pe *module.InvalidPathError
		switch {
		case errors.As(err, &pe):
			code = "ERR_MODULE_PATH_INVALID"
		case strings.Contains(err.Error(), "not canonical"), errors.As(err, &ie):
			code = "ERR_MODULE_VERSION_INVALID"
		case errors.As(err, &me):
			code = "ERR_MODULE_PATH_INVALID"
			if errors.As(me.Err, &ie) {
				code = "ERR_MODULE_VERSION_INVALID"
			}
		}
		return vecfile.Case{Name: name, Input: in, Error: &vecfile.ErrWant{Code: code, Go: err.Error()}}
	}
	want := map[string]interface{}{"valid": nonNil(cf.Valid), "omitted": errList(cf.Omitted), "invalid": errList(cf.Invalid)}
	if cf.SizeError != nil {
		want["sizeError"] = cf.SizeError.Error()
	}
	return vecfile.Case{Name: name, Input: in, Want: want}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func errList(l []modzip.FileError) []fileErr {
	out := []fileErr{}
	for _, e := range l {
		out = append(out, fileErr{Path: e.Path, Err: e.Err.Error()})
	}
	return out
}

func checkZipCases() []vecfile.Case {
	var cs []vecfile.Case
	const p, v = "example.com/m", "v1.0.0"
	pre := p + "@" + v + "/"
	mk := func(names ...string) []byte {
		var es []entry
		for _, n := range names {
			es = append(es, entry{name: n, data: []byte("content of " + n)})
		}
		return build(es, zipOpts{})
	}
	add := func(name string, z []byte) { cs = append(cs, checkZipCase(name, p, v, z)) }
	add("valid module", mk(pre+"go.mod", pre+"a.go", pre+"sub/b.go", pre+"LICENSE"))
	add("empty zip", mk())
	add("path without the module prefix", mk(pre+"a.go", "other.com/m@v1.0.0/b.go", "a.go"))
	add("prefix directory entry itself is skipped", mk(pre, pre+"a.go"))
	add("directory entries", mk(pre+"d/", pre+"d/a.go", pre+"e/"))
	add("go.mod not in module root", mk(pre+"go.mod", pre+"sub/go.mod"))
	add("go.mod with wrong case", mk(pre+"GO.MOD", pre+"Go.mod"))
	add("path not clean", mk(pre+"a/../b.go", pre+"./c.go", pre+"d//e.go"))
	add("invalid file paths", mk(pre+"a:b.go", pre+"con.txt", pre+"-dash.go", pre+".hidden", pre+"x~1.go", pre+"space name.go", pre+"a\\b.go"))
	add("case-insensitive collision", mk(pre+"README", pre+"readme"))
	add("duplicate file", mk(pre+"a.go", pre+"a.go"))
	add("file and directory with the same name", mk(pre+"x", pre+"x/y.go"))
	add("directory then file with the same name", mk(pre+"x/", pre+"x"))
	add("unicode case folding collision", mk(pre+"K.go", pre+"\u212a.go"))
	add("invalid UTF-8 in a file name", mk(pre+"ok.go", pre+"bad\xff.go", pre+"trunc\xe2\x82.go", pre+"dir\xc0/x.go"))
	add("invalid UTF-8 in an unclean name", mk(pre+"a/../\xff.go"))
	add("go.mod too large (declared size)", build([]entry{{name: pre + "go.mod", data: []byte("module m\n"), usize: u64p(16<<20 + 1)}}, zipOpts{}))
	add("LICENSE too large (declared size)", build([]entry{{name: pre + "LICENSE", data: []byte("L"), usize: u64p(16<<20 + 1)}}, zipOpts{}))
	add("go.mod at the limit", build([]entry{{name: pre + "go.mod", data: []byte("module m\n"), usize: u64p(16 << 20)}}, zipOpts{}))
	add("total uncompressed size too large (declared sizes)", build([]entry{{name: pre + "a", data: []byte("a"), usize: u64p(300 << 20)}, {name: pre + "b", data: []byte("b"), usize: u64p(300 << 20)}}, zipOpts{}))
	add("malformed zip", []byte("not a zip file, not even close to one, really"))
	cs = append(cs, checkZipCase("non-canonical version", p, "v1.0", mk()))
	cs = append(cs, checkZipCase("invalid version", p, "1.0.0", mk()))
	cs = append(cs, checkZipCase("invalid module path", "Example.com/m", v, mk()))
	cs = append(cs, checkZipCase("major version mismatch", p, "v2.0.0", mk(p+"@v2.0.0/a.go")))
	cs = append(cs, checkZipCase("+incompatible version", p, "v2.0.0+incompatible", mk(p+"@v2.0.0+incompatible/a.go")))
	cs = append(cs, checkZipCase("major version suffix", p+"/v2", "v2.1.0", mk(p+"/v2@v2.1.0/go.mod", p+"/v2@v2.1.0/x.go")))
	return cs
}

// write writes <dir>/<topic>.json in the layout of the committed vectors/dirhash files.
func write(dir, topic string, cases []vecfile.Case) {
	vecfile.Write(dir, "dirhash", topic, cases, vecfile.Layout{Indent: "  "})
}

func main() {
	dir := vecfile.Dir("dirhash")
	write(dir, "hash1", hash1Cases())
	write(dir, "gomod", goModCases())
	write(dir, "hashdir", hashDirCases())
	write(dir, "hashzip", append(zipCases(), deflateCases()...))
	write(dir, "checkzip", checkZipCases())
}
