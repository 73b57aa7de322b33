// Command tlog writes vectors/tlog/*.json: the answers of golang.org/x/mod/sumdb/tlog on RFC 6962
// hashes, the stored-hash layout, tree hashes, record and tree proofs (true and tampered), the
// tree and record formats, tile paths, NewTiles, TileForIndex and HashFromTile.
//
// Build and run in GOPATH mode from the repository root, after `npm run vectors` has linked
// .gopath/src/gosumdb.dev/gen to vectors/gen (for the shared package internal/vecfile):
//
//	GO111MODULE=off GOPATH=$PWD/.gopath:/usr/share/gocode go run ./vectors/gen/tlog [outdir]
//
// Log records follow one recipe so that no vector embeds a log: record i is "record <i>\n".
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/rand"
	"strconv"

	"golang.org/x/mod/sumdb/tlog"
	"gosumdb.dev/gen/internal/vecfile"
)

const (
	recipe    = "record %d\n"
	maxSafe   = 1<<53 - 1
	largestN  = 100000
	proofCap  = 1000
	tileCapH8 = 300
)

type okWant struct {
	OK bool `json:"ok"`
}

type tileJSON struct {
	H int   `json:"h"`
	L int   `json:"l"`
	N int64 `json:"n"`
	W int   `json:"w"`
}

func tj(t tlog.Tile) tileJSON { return tileJSON{t.H, t.L, t.N, t.W} }

func minInt64(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func record(i int64) []byte { return []byte(fmt.Sprintf(recipe, i)) }

// storage is a log built from the recipe, as Go's own tests build theirs.
type storage []tlog.Hash

func (s storage) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		out[i] = s[x]
	}
	return out, nil
}

func buildLog(n int64) storage {
	var s storage
	for i := int64(0); i < n; i++ {
		hs, err := tlog.StoredHashes(i, record(i), s)
		if err != nil {
			panic(err)
		}
		s = append(s, hs...)
	}
	return s
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// write writes <dir>/<topic>.json in the layout of the committed vectors/tlog files.
func write(dir, topic string, cases []vecfile.Case) {
	vecfile.Write(dir, "tlog", topic, cases, vecfile.Layout{Indent: " ", SortKeys: true})
}

func hashStrings(p []tlog.Hash) []string {
	out := make([]string, len(p))
	for i, h := range p {
		out[i] = h.String()
	}
	return out
}

// mutations returns count distinct mutants of the seeds: atoms inserted, bytes deleted.
func mutations(rng *rand.Rand, seeds, atoms []string, count int) []string {
	seen := map[string]bool{}
	var out []string
	for len(out) < count {
		s := seeds[rng.Intn(len(seeds))]
		for m := 1 + rng.Intn(2); m > 0; m-- {
			at := rng.Intn(len(s) + 1)
			end := at + rng.Intn(3)
			if end > len(s) {
				end = len(s)
			}
			ins := ""
			if rng.Intn(10) < 7 {
				ins = atoms[rng.Intn(len(atoms))]
			}
			s = s[:at] + ins + s[end:]
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// ---- hashes ----

func hashes() []vecfile.Case {
	var cs []vecfile.Case
	datas := [][]byte{nil, []byte("hello world"), []byte("record 0\n"), {0x00}, {0x01}, bytes.Repeat([]byte{0xff}, 1000)}
	for i, d := range datas {
		cs = append(cs, vecfile.Case{Name: fmt.Sprintf("record hash %d", i), Input: map[string]interface{}{"fn": "recordHash", "data": b64(d)}, Want: tlog.RecordHash(d).String()})
	}
	a, b := tlog.RecordHash([]byte("a")), tlog.RecordHash([]byte("b"))
	var zero tlog.Hash
	pairs := [][2]tlog.Hash{{a, b}, {b, a}, {zero, zero}, {a, a}}
	for i, p := range pairs {
		cs = append(cs, vecfile.Case{Name: fmt.Sprintf("node hash %d", i), Input: map[string]interface{}{"fn": "nodeHash", "left": p[0].String(), "right": p[1].String()}, Want: tlog.NodeHash(p[0], p[1]).String()})
	}
	good := a.String()
	parses := []string{
		good, "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=", good[:43], good + "=", good[:20] + "\n" + good[20:], good + "\r",
		good[:42] + "B=", "", "AAAA", good[:40] + "!!!!", "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=",
		b64(make([]byte, 33)), b64(make([]byte, 31)), good[:43] + "A", " " + good,
	}
	for i, s := range parses {
		h, err := tlog.ParseHash(s)
		in := map[string]interface{}{"fn": "parseHash", "s": s}
		name := fmt.Sprintf("parse hash %d", i)
		if err != nil {
			cs = append(cs, vecfile.Case{Name: name, Input: in, Error: &vecfile.ErrWant{Code: "ERR_HASH_MALFORMED", Go: err.Error()}})
		} else {
			cs = append(cs, vecfile.Case{Name: name, Input: in, Want: h.String()})
		}
	}
	return cs
}

// ---- tree hashes ----

func treeHashes(log storage, rng *rand.Rand) []vecfile.Case {
	sizes := []int64{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 100, 255, 256, 257, 1000, 65535, 65536, 65537, largestN}
	for i := 0; i < 20; i++ {
		sizes = append(sizes, 1+rng.Int63n(largestN))
	}
	var cs []vecfile.Case
	for _, n := range sizes {
		h, err := tlog.TreeHash(n, log)
		must(err)
		cs = append(cs, vecfile.Case{Name: fmt.Sprintf("tree hash of %d records", n), Input: map[string]interface{}{"n": n, "recipe": recipe}, Want: h.String()})
	}
	// Hand-written: x/mod since v0.19.0 defines the empty tree's hash as SHA-256("") (RFC 6962 §2.1);
	// the generator's v0.7.0 returns 32 zero bytes.
	empty := sha256.Sum256(nil)
	cs = append(cs, vecfile.Case{Name: "newer-xmod: tree hash of 0 records is SHA-256 of the empty string", Input: map[string]interface{}{"n": 0, "recipe": recipe}, Want: b64(empty[:])})
	return cs
}

// ---- stored-hash layout ----

func storedHash(rng *rand.Rand) []vecfile.Case {
	var cs []vecfile.Case
	type ln struct {
		l int
		n int64
	}
	var pts []ln
	for l := 0; l < 6; l++ {
		for n := int64(0); n < 12; n++ {
			pts = append(pts, ln{l, n})
		}
	}
	pts = append(pts, ln{0, 1 << 31}, ln{0, 1<<31 - 1}, ln{1, 1 << 31}, ln{0, 1 << 32}, ln{0, 1<<40 - 1}, ln{0, 1 << 40}, ln{3, 1<<40 + 12345},
		ln{20, 1 << 30}, ln{40, 1000}, ln{0, 1<<51 - 1}, ln{1, 1<<50 - 1}, ln{45, 3})
	// Random points whose index stays below 2^53 (gosumdb's numbers are exact only up to there).
	for i := 0; i < 20; i++ {
		l := rng.Intn(30)
		pts = append(pts, ln{l, rng.Int63n(1 << uint(51-l))})
	}
	for _, p := range pts {
		x := tlog.StoredHashIndex(p.l, p.n)
		cs = append(cs, vecfile.Case{Name: fmt.Sprintf("index of level %d n %d", p.l, p.n), Input: map[string]interface{}{"fn": "storedHashIndex", "level": p.l, "n": p.n}, Want: x})
		l, n := tlog.SplitStoredHashIndex(x)
		cs = append(cs, vecfile.Case{Name: fmt.Sprintf("split %d", x), Input: map[string]interface{}{"fn": "splitStoredHashIndex", "index": x}, Want: map[string]interface{}{"level": l, "n": n}})
	}
	for _, x := range []int64{0, 1, 2, 3, 4, 5, 6, 7, 1 << 31, 1<<31 + 1, 1 << 41, 1<<52 - 3} {
		l, n := tlog.SplitStoredHashIndex(x)
		cs = append(cs, vecfile.Case{Name: fmt.Sprintf("split %d", x), Input: map[string]interface{}{"fn": "splitStoredHashIndex", "index": x}, Want: map[string]interface{}{"level": l, "n": n}})
	}
	counts := []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 100, 255, 256, 257, 65536, 1 << 31, 1<<32 + 1, 1<<40 - 1, 1 << 40, 1<<51 - 1}
	for _, n := range counts {
		cs = append(cs, vecfile.Case{Name: fmt.Sprintf("count for %d records", n), Input: map[string]interface{}{"fn": "storedHashCount", "n": n}, Want: tlog.StoredHashCount(n)})
	}
	return cs
}

// ---- proofs ----

func verdict(err error) (interface{}, *vecfile.ErrWant) {
	if err != nil {
		return nil, &vecfile.ErrWant{Code: "ERR_PROOF_INVALID", Go: err.Error()}
	}
	return okWant{true}, nil
}

type tampered struct {
	what  string
	proof []tlog.Hash
}

func tamper(rng *rand.Rand, p []tlog.Hash) []tampered {
	var out []tampered
	if len(p) > 0 {
		q := append([]tlog.Hash(nil), p...)
		j := rng.Intn(len(q))
		q[j][rng.Intn(tlog.HashSize)] ^= byte(1 << uint(rng.Intn(8)))
		out = append(out, tampered{"flipped byte", q})
		out = append(out, tampered{"truncated", append([]tlog.Hash(nil), p[:len(p)-1]...)})
		out = append(out, tampered{"dropped first", append([]tlog.Hash(nil), p[1:]...)})
		if len(p) > 1 {
			r := append([]tlog.Hash(nil), p...)
			r[0], r[1] = r[1], r[0]
			out = append(out, tampered{"swapped", r})
		}
	}
	out = append(out, tampered{"extra element", append(append([]tlog.Hash(nil), p...), tlog.RecordHash([]byte("extra")))})
	return out
}

func proofs(log storage, rng *rand.Rand) []vecfile.Case {
	var cs []vecfile.Case
	sizes := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 100, 255, 256, 257, proofCap, 65537, largestN}
	for i := 0; i < 3; i++ {
		sizes = append(sizes, 1+rng.Int63n(largestN))
	}
	treeHash := func(n int64) tlog.Hash {
		h, err := tlog.TreeHash(n, log)
		must(err)
		return h
	}
	for _, t := range sizes {
		th := treeHash(t)
		ns := []int64{0, t - 1, t / 2, rng.Int63n(t)}
		for _, n := range ns {
			p, err := tlog.ProveRecord(t, n, log)
			must(err)
			h := tlog.RecordHash(record(n))
			cs = append(cs, vecfile.Case{Name: fmt.Sprintf("prove record %d in %d", n, t), Input: map[string]interface{}{"fn": "proveRecord", "t": t, "n": n, "recipe": recipe}, Want: hashStrings(p)})
			check := func(name string, p []tlog.Hash, t int64, th tlog.Hash, n int64, h tlog.Hash) {
				w, e := verdict(tlog.CheckRecord(p, t, th, n, h))
				cs = append(cs, vecfile.Case{Name: name, Input: map[string]interface{}{"fn": "checkRecord", "proof": hashStrings(p), "t": t, "th": th.String(), "n": n, "h": h.String()}, Want: w, Error: e})
			}
			base := fmt.Sprintf("record %d in %d", n, t)
			check("check "+base, p, t, th, n, h)
			for _, q := range tamper(rng, p) {
				check("check "+base+": "+q.what, q.proof, t, th, n, h)
			}
			check("check "+base+": wrong index", p, t, th, (n+1)%t, h)
			check("check "+base+": wrong size +1", p, t+1, th, n, h)
			if t > 1 {
				check("check "+base+": wrong size -1", p, t-1, th, n, h)
			}
			check("check "+base+": wrong record", p, t, th, n, tlog.RecordHash([]byte("other\n")))
			check("check "+base+": wrong tree hash", p, t, h, n, h)
		}
		for _, n := range []int64{1, t, (t + 1) / 2, 1 + rng.Int63n(t)} {
			p, err := tlog.ProveTree(t, n, log)
			must(err)
			oh := treeHash(n)
			cs = append(cs, vecfile.Case{Name: fmt.Sprintf("prove tree %d in %d", n, t), Input: map[string]interface{}{"fn": "proveTree", "t": t, "n": n, "recipe": recipe}, Want: hashStrings(p)})
			check := func(name string, p []tlog.Hash, t int64, th tlog.Hash, n int64, h tlog.Hash) {
				w, e := verdict(tlog.CheckTree(p, t, th, n, h))
				cs = append(cs, vecfile.Case{Name: name, Input: map[string]interface{}{"fn": "checkTree", "proof": hashStrings(p), "t": t, "th": th.String(), "n": n, "h": h.String()}, Want: w, Error: e})
			}
			base := fmt.Sprintf("tree %d in %d", n, t)
			check("check "+base, p, t, th, n, oh)
			for _, q := range tamper(rng, p) {
				check("check "+base+": "+q.what, q.proof, t, th, n, oh)
			}
			check("check "+base+": wrong size +1", p, t+1, th, n, oh)
			if n > 1 {
				check("check "+base+": wrong old size -1", p, t, th, n-1, oh)
			}
			if n < t {
				check("check "+base+": wrong old size +1", p, t, th, n+1, oh)
			}
			check("check "+base+": wrong old hash", p, t, th, n, th)
		}
	}
	return cs
}

// ---- tree and record formats ----

func formats() []vecfile.Case {
	var cs []vecfile.Case
	h := tlog.RecordHash([]byte("hello world"))
	hs := h.String()
	for _, n := range []int64{0, 1, 123456789012, maxSafe} {
		cs = append(cs, vecfile.Case{Name: fmt.Sprintf("format tree %d", n), Input: map[string]interface{}{"fn": "formatTree", "n": n, "hash": hs}, Want: b64(tlog.FormatTree(tlog.Tree{N: n, Hash: h}))})
	}
	in := "go.sum database tree\n123456789012\n" + hs + "\n"
	trees := []string{
		in, in + "JOE", in + "JOE\n", in + "extension line\n\n", "go.sum database tree\n0\n" + hs + "\n", "go.sum database tree\n" + strconv.FormatInt(maxSafe, 10) + "\n" + hs + "\n",
		"go.sum database tree\n5\n" + hs + "\r\n", "go.sum database tree\n5\n" + hs[:42] + "1=\n",
		"not-" + in, "go.sum database tree\n0xabcdef\n" + hs + "\n", "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n",
		"go.sum database tree\n123456789012\n" + hs, "go.sum database tree\n123\n", "go.sum database tree\n", "", "go.sum database tree\r\n1\n" + hs + "\n",
		"go.sum database tree\n-1\n" + hs + "\n", "go.sum database tree\n+1\n" + hs + "\n", "go.sum database tree\n01\n" + hs + "\n", "go.sum database tree\n-0\n" + hs + "\n",
		"go.sum database tree\n \n" + hs + "\n", "go.sum database tree\n1 \n" + hs + "\n", "go.sum database tree\n\n" + hs + "\n", "go.sum database tree\n9223372036854775808\n" + hs + "\n",
		"go.sum database tree\n1\n" + hs[:43] + "\n", "go.sum database tree\n1\n " + hs + "\n", "go.sum database tree\n1\n" + b64(make([]byte, 33)) + "\n",
		"Go.sum database tree\n1\n" + hs + "\n", "go.sum database tree\n１\n" + hs + "\n",
	}
	trees = append(trees, mutations(rand.New(rand.NewSource(41)), []string{in, "go.sum database tree\n0\n" + hs + "\nx\n"},
		[]string{"\n", "1", "0", "-", "+", "12", hs, "=", "\r", " ", "A", "00", "go.sum database tree\n"}, 300)...)
	for i, s := range trees {
		in := map[string]interface{}{"fn": "parseTree", "text": b64([]byte(s))}
		name := fmt.Sprintf("parse tree %d %q", i, s)
		tree, err := tlog.ParseTree([]byte(s))
		switch {
		case err == nil && tree.N > maxSafe:
			continue
		case err != nil:
			cs = append(cs, vecfile.Case{Name: name, Input: in, Error: &vecfile.ErrWant{Code: "ERR_TREE_MALFORMED", Go: err.Error()}})
		default:
			cs = append(cs, vecfile.Case{Name: name, Input: in, Want: map[string]interface{}{"n": tree.N, "hash": tree.Hash.String()}})
		}
	}
	// Sizes Go accepts but a JavaScript number cannot hold: gosumdb's documented difference.
	for _, n := range []string{"9007199254740992", "9223372036854775807"} {
		s := "go.sum database tree\n" + n + "\n" + hs + "\n"
		tree, err := tlog.ParseTree([]byte(s))
		must(err)
		cs = append(cs, vecfile.Case{Name: "parse tree with size above 2^53-1: " + n, Input: map[string]interface{}{"fn": "parseTree", "text": b64([]byte(s))},
			Error: &vecfile.ErrWant{Code: "ERR_TREE_SIZE_UNSAFE", Go: fmt.Sprintf("(Go accepts: N=%d)", tree.N)}})
	}

	texts := []string{"hello, world\n", "a\nb\n", "\n", "x\x7f\n", "héllo ☺\n", "\u0085\n", "\ufffd\n", "",
		"hello\nworld", "hello\n\nworld\n", "hello\x01world\n", "a\tb\n", "a\rb\n", "\xff\n", "\xed\xa0\x80\n", "\xc0\xaf\n", "x\n\n"}
	for i, s := range texts {
		in := map[string]interface{}{"fn": "formatRecord", "id": 123456789012, "text": b64([]byte(s))}
		name := fmt.Sprintf("format record %d %q", i, s)
		msg, err := tlog.FormatRecord(123456789012, []byte(s))
		if err != nil {
			cs = append(cs, vecfile.Case{Name: name, Input: in, Error: &vecfile.ErrWant{Code: "ERR_RECORD_MALFORMED", Go: err.Error()}})
		} else {
			cs = append(cs, vecfile.Case{Name: name, Input: in, Want: b64(msg)})
		}
	}
	rin := "123456789012\nhello, world\n\n"
	records := []string{
		rin, rin + "junk on end\x01\xff", "0\na\nb\n\n", "+7\na\n\n", "007\na\n\n", "-0\na\n\n", "5\n\n\n", "5\n\n\nrest", "9007199254740991\na\n\n",
		"not-" + rin, "123\nhello\x01world\n\n", "123\nhello\xffworld\n\n", "123\nhello world\n", "0x123\nhello world\n\n", "", "123", "\na\n\n", " 1\na\n\n",
		"1 \na\n\n", "1\n", "1\na\n", "9223372036854775808\na\n\n", "1_0\na\n\n", "1\na\r\n\n", "1\n\xed\xa0\x80\n\n",
	}
	records = append(records, mutations(rand.New(rand.NewSource(42)), []string{rin + "rest", "7\nexample.com/m v1.0.0 h1:abc=\n\n"},
		[]string{"1", "0", "\n", "\n\n", "a", "+", "-", "\x01", "\x7f", "é", "\xff", " ", "00"}, 300)...)
	for i, s := range records {
		in := map[string]interface{}{"fn": "parseRecord", "msg": b64([]byte(s))}
		name := fmt.Sprintf("parse record %d %q", i, s)
		id, text, rest, err := tlog.ParseRecord([]byte(s))
		if err == nil && (id < 0 || id > maxSafe) {
			continue
		}
		if err != nil {
			cs = append(cs, vecfile.Case{Name: name, Input: in, Error: &vecfile.ErrWant{Code: "ERR_RECORD_MALFORMED", Go: err.Error()}})
		} else {
			cs = append(cs, vecfile.Case{Name: name, Input: in, Want: map[string]interface{}{"id": id, "text": b64(text), "rest": b64(rest)}})
		}
	}
	// Ids Go's ParseRecord accepts that gosumdb rejects (documented differences).
	for _, s := range []string{"-5\na\n\n", "9007199254740992\na\n\n"} {
		id, _, _, err := tlog.ParseRecord([]byte(s))
		must(err)
		code := "ERR_RECORD_MALFORMED"
		if id > 0 {
			code = "ERR_RECORD_ID_UNSAFE"
		}
		cs = append(cs, vecfile.Case{Name: fmt.Sprintf("parse record with id %d", id), Input: map[string]interface{}{"fn": "parseRecord", "msg": b64([]byte(s))},
			Error: &vecfile.ErrWant{Code: code, Go: fmt.Sprintf("(Go accepts: id=%d)", id)}})
	}
	return cs
}

// ---- tile paths ----

func tilePaths() []vecfile.Case {
	var cs []vecfile.Case
	tiles := []tlog.Tile{
		{H: 4, L: 0, N: 1, W: 16}, {H: 4, L: 0, N: 1, W: 5}, {H: 3, L: 5, N: 123456078, W: 8}, {H: 3, L: 5, N: 123456078, W: 2},
		{H: 1, L: 0, N: 3057500, W: 2}, {H: 1, L: -1, N: 3057500, W: 2}, {H: 3, L: 4, N: 1234067, W: 1}, {H: 8, L: 0, N: 0, W: 256},
		{H: 8, L: 2, N: 999, W: 255}, {H: 8, L: 0, N: 1000, W: 1}, {H: 8, L: -1, N: 1000000, W: 256}, {H: 30, L: 63, N: 1<<53 - 1, W: 1<<30 - 1},
		{H: 2, L: 1, N: 1000000000, W: 4}, {H: 1, L: 0, N: 0, W: 1},
	}
	for _, t := range tiles {
		cs = append(cs, vecfile.Case{Name: "format " + t.Path(), Input: map[string]interface{}{"fn": "tilePath", "tile": tj(t)}, Want: t.Path()})
	}
	paths := []string{
		"tile/3/5/123/456/078", "tile/3/-1/123/456/078", "tile/4/0/001.p/16", "tile/4/0/001.p/0", "tile/4/0/001.p/", "tile/4/0/001.p/05",
		"tile/4/0/01", "tile/4/0/0001", "tile/4/0/x000/001", "tile/4/0/x001/001", "tile/04/0/001", "tile/+4/0/001", "tile/4/+0/001",
		"tile/4/00/001", "tile/0/0/001", "tile/31/0/001", "tile/30/0/001", "tile/4/0", "tile/4", "tile", "", "tile/4/0/001/", "/tile/4/0/001",
		"tile/4/0/x001", "tile/4/data/001.p/3", "tile/4/Data/001", "tile/4/0/001.P/3", "tile/4/0/001.p/3/4", "tile/4/0/001.p.p/3",
		"tile/4/0/x001.p/002", "tile/4/0/1234", "tile/4/0/x1234/000", "tile/4/0/x-01/000", "Tile/4/0/001", "tile/4/64/001", "tile/8/0/x001/x002/x003/x004/x005/006",
		"tile/4/0.p/5", "tile/4/0/001.p/+5", "tile/4/0/00a", "tile/4/0/x999/999", "tile/8/0/x009/x007/x199/x254/x740/991", "tile/8/0/x009/x007/x199/x254/x740/992",
		"tile/4/0/abc/001", "tile/4/0/x001/x002/003.p/15", "tile/1/0/000.p/1", "tile/1/0/000.p/2",
	}
	for _, t := range tiles {
		paths = append(paths, t.Path())
	}
	paths = append(paths, mutations(rand.New(rand.NewSource(43)), []string{"tile/8/0/x001/x234/567.p/9", "tile/2/data/000", "tile/30/63/999", "tile/1/0/x003/x057/500"},
		[]string{"/", "0", "1", "8", "30", "31", "x", "x001", "x000", "001", "999", ".p", "/5", "data", "-", "+", "00", "256", "1000"}, 400)...)
	seen := map[string]bool{}
	for _, p := range paths {
		if seen[p] {
			continue
		}
		seen[p] = true
		in := map[string]interface{}{"fn": "parseTilePath", "path": p}
		t, err := tlog.ParseTilePath(p)
		switch {
		case err != nil:
			cs = append(cs, vecfile.Case{Name: fmt.Sprintf("parse %q", p), Input: in, Error: &vecfile.ErrWant{Code: "ERR_TILE_PATH_MALFORMED", Go: err.Error()}})
		case t.N > maxSafe:
			cs = append(cs, vecfile.Case{Name: fmt.Sprintf("parse %q (tile number above 2^53-1)", p), Input: in, Error: &vecfile.ErrWant{Code: "ERR_TILE_PATH_MALFORMED", Go: fmt.Sprintf("(Go accepts: N=%d)", t.N)}})
		default:
			cs = append(cs, vecfile.Case{Name: fmt.Sprintf("parse %q", p), Input: in, Want: tj(t)})
		}
	}
	return cs
}

// ---- NewTiles ----

func newTiles(rng *rand.Rand) []vecfile.Case {
	var cs []vecfile.Case
	type pair struct{ old, new int64 }
	var pairs []pair
	for _, h := range []int{2, 8} {
		pairs = pairs[:0]
		for n := int64(0); n <= 20; n++ {
			for o := int64(0); o <= n; o++ {
				pairs = append(pairs, pair{o, n})
			}
		}
		if h == 2 {
			pairs = append(pairs, pair{255, 256}, pair{256, 257}, pair{60, 300}, pair{65535, 65537}, pair{99999, 100000})
			for i := 0; i < 20; i++ {
				n := 1 + rng.Int63n(largestN)
				pairs = append(pairs, pair{n - rng.Int63n(minInt64(n, 40)+1), n})
			}
		} else {
			pairs = append(pairs, pair{0, 256}, pair{255, 256}, pair{256, 257}, pair{0, 65536}, pair{65535, 65537}, pair{65536, 65536 + 300}, pair{1000, 100000}, pair{99999, 100000})
			for i := 0; i < 20; i++ {
				n := 1 + rng.Int63n(1<<20)
				pairs = append(pairs, pair{n - rng.Int63n(minInt64(n, 3000)+1), n})
			}
		}
		for _, p := range pairs {
			if h == 8 && p.new <= 20 && p.old != 0 && p.old != p.new-1 {
				continue
			}
			ts := []tileJSON{}
			for _, t := range tlog.NewTiles(h, p.old, p.new) {
				ts = append(ts, tj(t))
			}
			cs = append(cs, vecfile.Case{Name: fmt.Sprintf("h=%d %d→%d", h, p.old, p.new), Input: map[string]interface{}{"h": h, "old": p.old, "new": p.new, "xmod": vecfile.Xmod}, Want: ts})
		}
	}
	// Hand-written: since x/mod v0.17.0 NewTiles lists only the tiles strictly needed: per level
	// whose hash count changed, the newly completed full tiles and the final partial tile.
	hand := []struct {
		h        int
		old, new int64
		want     []tileJSON
	}{
		{2, 5, 6, []tileJSON{{2, 0, 1, 2}}},
		{2, 4, 5, []tileJSON{{2, 0, 1, 1}}},
		{2, 3, 9, []tileJSON{{2, 0, 0, 4}, {2, 0, 1, 4}, {2, 0, 2, 1}, {2, 1, 0, 2}}},
		{2, 0, 16, []tileJSON{{2, 0, 0, 4}, {2, 0, 1, 4}, {2, 0, 2, 4}, {2, 0, 3, 4}, {2, 1, 0, 4}, {2, 2, 0, 1}}},
		{2, 7, 7, []tileJSON{}},
		{8, 255, 257, []tileJSON{{8, 0, 0, 256}, {8, 0, 1, 1}, {8, 1, 0, 1}}},
		{8, 300, 301, []tileJSON{{8, 0, 1, 45}}},
	}
	for _, c := range hand {
		cs = append(cs, vecfile.Case{Name: fmt.Sprintf("newer-xmod: h=%d %d→%d", c.h, c.old, c.new), Input: map[string]interface{}{"h": c.h, "old": c.old, "new": c.new, "xmod": "newer"}, Want: c.want})
	}
	return cs
}

// ---- TileForIndex, HashFromTile, ReadTileData ----

func tiles(log storage, rng *rand.Rand) []vecfile.Case {
	var cs []vecfile.Case
	for _, h := range []int{1, 2, 3, 8, 30} {
		xs := []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 100, 1000, 1 << 31, 1 << 40, 1<<52 - 1}
		for i := 0; i < 8; i++ {
			xs = append(xs, rng.Int63n(1<<45))
		}
		for _, x := range xs {
			cs = append(cs, vecfile.Case{Name: fmt.Sprintf("tile for index %d at height %d", x, h), Input: map[string]interface{}{"fn": "tileForIndex", "h": h, "index": x}, Want: tj(tlog.TileForIndex(h, x))})
		}
	}
	// ReadTileData over the recipe log of tileCapH8 records, then HashFromTile on that data.
	sizes := map[int]int64{2: 40, 3: 100, 8: tileCapH8}
	for _, h := range []int{2, 3, 8} {
		n := sizes[h]
		for _, t := range tlog.NewTiles(h, 0, n) {
			data, err := tlog.ReadTileData(t, log)
			must(err)
			cs = append(cs, vecfile.Case{Name: "read tile data " + t.Path(), Input: map[string]interface{}{"fn": "readTileData", "tile": tj(t), "recipe": recipe}, Want: b64(data)})
			if h == 8 && t.W > 8 {
				continue
			}
			// Every stored-hash index the tile can serve, plus ones it cannot.
			for x := int64(0); x < tlog.StoredHashCount(n); x++ {
				t1 := tlog.TileForIndex(h, x)
				inTile := t1.L == t.L && t1.N == t.N
				if !inTile && rng.Intn(100) != 0 || inTile && rng.Intn(3) != 0 {
					continue
				}
				hh, err := tlog.HashFromTile(t, data, x)
				in := map[string]interface{}{"fn": "hashFromTile", "tile": tj(t), "data": b64(data), "index": x}
				name := fmt.Sprintf("hash %d from %s", x, t.Path())
				if err != nil {
					cs = append(cs, vecfile.Case{Name: name, Input: in, Error: &vecfile.ErrWant{Code: "ERR_TILE_INVALID", Go: err.Error()}})
				} else {
					cs = append(cs, vecfile.Case{Name: name, Input: in, Want: hh.String()})
				}
			}
		}
	}
	data, err := tlog.ReadTileData(tlog.Tile{H: 2, L: 0, N: 0, W: 4}, log)
	must(err)
	bad := []struct {
		name string
		t    tlog.Tile
		data []byte
		x    int64
	}{
		{"short data", tlog.Tile{H: 2, L: 0, N: 0, W: 4}, data[:96], 0},
		{"height 0", tlog.Tile{H: 0, L: 0, N: 0, W: 1}, data, 0},
		{"height 31", tlog.Tile{H: 31, L: 0, N: 0, W: 1}, data, 0},
		{"width 0", tlog.Tile{H: 2, L: 0, N: 0, W: 0}, data, 0},
		{"width 5", tlog.Tile{H: 2, L: 0, N: 0, W: 5}, data, 0},
		{"data tile", tlog.Tile{H: 2, L: -1, N: 0, W: 4}, data, 0},
		{"level 64", tlog.Tile{H: 2, L: 64, N: 0, W: 4}, data, 0},
		{"narrower than needed", tlog.Tile{H: 2, L: 0, N: 0, W: 2}, data, tlog.StoredHashIndex(0, 3)},
		{"other tile", tlog.Tile{H: 2, L: 0, N: 1, W: 4}, data, 0},
		{"level above", tlog.Tile{H: 2, L: 0, N: 0, W: 4}, data, tlog.StoredHashIndex(2, 0)},
	}
	for _, b := range bad {
		_, err := tlog.HashFromTile(b.t, b.data, b.x)
		if err == nil {
			panic(b.name)
		}
		cs = append(cs, vecfile.Case{Name: "hash from tile: " + b.name, Input: map[string]interface{}{"fn": "hashFromTile", "tile": tj(b.t), "data": b64(b.data), "index": b.x}, Error: &vecfile.ErrWant{Code: "ERR_TILE_INVALID", Go: err.Error()}})
	}
	return cs
}

// ---- TileHashReader: the tiles it reads for a request, and the hashes it returns ----

type recordingTiles struct {
	h     int
	log   storage
	reads []string
}

func (r *recordingTiles) Height() int { return r.h }

func (r *recordingTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		r.reads = append(r.reads, t.Path())
		d, err := tlog.ReadTileData(t, r.log)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

func (r *recordingTiles) SaveTiles([]tlog.Tile, [][]byte) {}

func tileReads(log storage, rng *rand.Rand) []vecfile.Case {
	var cs []vecfile.Case
	for _, h := range []int{2, 8} {
		for _, n := range []int64{1, 2, 3, 7, 100, 255, 256, 257, 65537, largestN} {
			th, err := tlog.TreeHash(n, log)
			must(err)
			requests := [][]int64{{0}, {tlog.StoredHashIndex(0, n-1)}, {tlog.StoredHashIndex(0, rng.Int63n(n))}}
			if n > 2 {
				p := []int64{tlog.StoredHashIndex(0, 0), tlog.StoredHashIndex(0, n/2), tlog.StoredHashIndex(0, n-2)}
				requests = append(requests, p)
			}
			for _, ix := range requests {
				tr := &recordingTiles{h: h, log: log}
				hs, err := tlog.TileHashReader(tlog.Tree{N: n, Hash: th}, tr).ReadHashes(ix)
				must(err)
				cs = append(cs, vecfile.Case{Name: fmt.Sprintf("h=%d tree %d read %v", h, n, ix), Input: map[string]interface{}{"h": h, "n": n, "indexes": ix, "recipe": recipe},
					Want: map[string]interface{}{"reads": tr.reads, "hashes": hashStrings(hs)}})
			}
		}
	}
	return cs
}

func main() {
	dir := vecfile.Dir("tlog")
	rng := rand.New(rand.NewSource(4))
	log := buildLog(largestN)
	write(dir, "hashes", hashes())
	write(dir, "treehash", treeHashes(log, rng))
	write(dir, "storedhash", storedHash(rng))
	write(dir, "proofs", proofs(log, rng))
	write(dir, "formats", formats())
	write(dir, "tilepaths", tilePaths())
	write(dir, "newtiles", newTiles(rng))
	write(dir, "tiles", tiles(log, rng))
	write(dir, "tilereads", tileReads(log, rng))
}
