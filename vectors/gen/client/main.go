// Command client writes vectors/client/lookup.json: scenarios run through golang.org/x/mod/sumdb's
// Client with in-memory ClientOps, recording what Go answers for each lookup, the latest tree it
// stores, the files it caches and the security report it prints.
//
// Build and run in GOPATH mode from the repository root, after `npm run vectors` has linked
// .gopath/src/gosumdb.dev/gen to vectors/gen (for the shared package internal/vecfile):
//
//	GO111MODULE=off GOPATH=$PWD/.gopath:/usr/share/gocode go run ./vectors/gen/client [outdir]
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
	"gosumdb.dev/gen/internal/vecfile"
)

// The key of x/mod's own sumdb client tests.
const (
	testName        = "localhost.localdev/sumdb"
	testVerifierKey = "localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6"
	testSignerKey   = "PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk"
	// A second key with the same name, for notes the client must not trust.
	otherSignerKey = "PRIVATE+KEY+localhost.localdev/sumdb+4af77ba6+AdSD/frFWSokaLPJeMVX1pY81NJ1+NS/rw4kMh5qOo78"
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func check(err error) {
	if err != nil {
		panic(err)
	}
}

// world is a log and the files its server publishes.
type world struct {
	height int
	signer note.Signer
	hashes []tlog.Hash
	size   int64
	remote map[string][]byte
}

func newWorld(height int, skey string) *world {
	s, err := note.NewSigner(skey)
	check(err)
	return &world{height: height, signer: s, remote: map[string][]byte{}}
}

func (w *world) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		out[i] = w.hashes[x]
	}
	return out, nil
}

func (w *world) add(key, text string) {
	id := w.size
	w.size++
	rec, err := tlog.FormatRecord(id, []byte(text))
	check(err)
	hashes, err := tlog.StoredHashesForRecordHash(id, tlog.RecordHash([]byte(text)), w)
	check(err)
	w.hashes = append(w.hashes, hashes...)
	w.remote["/lookup/"+key] = append(rec, w.signTree(w.size)...)
	for _, t := range tlog.NewTiles(w.height, id, w.size) {
		data, err := tlog.ReadTileData(t, w)
		check(err)
		w.remote["/"+t.Path()] = data
	}
}

func (w *world) signTree(n int64) []byte {
	h, err := tlog.TreeHash(n, w)
	check(err)
	return w.signHash(n, h, w.signer)
}

func (w *world) signHash(n int64, h tlog.Hash, s note.Signer) []byte {
	msg, err := note.Sign(&note.Note{Text: string(tlog.FormatTree(tlog.Tree{N: n, Hash: h}))}, s)
	check(err)
	return msg
}

func (w *world) fork() *world {
	w2 := *w
	w2.hashes = append([]tlog.Hash{}, w.hashes...)
	w2.remote = map[string][]byte{}
	for k, v := range w.remote {
		w2.remote[k] = v
	}
	return &w2
}

func goWorld() (*world, []byte) {
	w := newWorld(2, testSignerKey)
	w.add("rsc.io/quote@v1.5.2", "rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\nrsc.io/quote v1.5.2/go.mod h1:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr0=\nrsc.io/quote v1.5.2 h2:xyzzy\n")
	w.add("golang.org/x/text@v0.0.0-20170915032832-14c0d48ead0c", "golang.org/x/text v0.0.0-20170915032832-14c0d48ead0c h1:qgOY6WgZOaTkIIMiVjBQcw93ERBE4m30iBm00nkL0i8=\ngolang.org/x/text v0.0.0-20170915032832-14c0d48ead0c/go.mod h1:NqM8EUOU14njkJ3fqMW+pc6Ldnwhi/IjpwHt7yyuwOQ=\n")
	w.add("rsc.io/sampler@v1.3.0", "rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=\nrsc.io/sampler v1.3.0/go.mod h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=\n")
	latest := w.signTree(1)
	w.add("rsc.io/!quote@v1.5.2", "rsc.io/Quote v1.5.2 h1:uppercase!=\n")
	return w, latest
}

func module(i int) (path, version, text string) {
	path = fmt.Sprintf("example.com/m%d", i)
	version = fmt.Sprintf("v1.%d.0", i%4)
	h := sha256.Sum256([]byte(path))
	text = fmt.Sprintf("%s %s h1:%s\n%s %s/go.mod h1:%s\n", path, version, b64(h[:]), path, version, b64(h[:16]))
	return
}

func bigWorld(height, n int) *world {
	w := newWorld(height, testSignerKey)
	for i := 0; i < n; i++ {
		p, v, text := module(i)
		w.add(p+"@"+v, text)
	}
	return w
}

// ops is a sumdb.ClientOps over maps, like the testClient of x/mod's client_test.go.
type ops struct {
	mu       sync.Mutex
	remote   map[string][]byte
	config   map[string][]byte
	cache    map[string][]byte
	security bytes.Buffer
}

type notFound struct{ path string }

func (e *notFound) Error() string { return "no remote path " + e.path }

func (o *ops) ReadRemote(path string) ([]byte, error) {
	data, ok := o.remote[path]
	if !ok {
		return nil, &notFound{path}
	}
	return data, nil
}

func (o *ops) ReadConfig(file string) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.config[file], nil
}

func (o *ops) WriteConfig(file string, old, new []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !bytes.Equal(old, o.config[file]) {
		return sumdb.ErrWriteConflict
	}
	o.config[file] = new
	return nil
}

func (o *ops) ReadCache(file string) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	data, ok := o.cache[file]
	if !ok {
		return nil, fmt.Errorf("no cache %s", file)
	}
	return data, nil
}

func (o *ops) WriteCache(file string, data []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.cache[file] = data
}

func (o *ops) Log(string) {}

func (o *ops) SecurityError(msg string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.security.WriteString(msg)
}

type step struct {
	Path      string `json:"path,omitempty"`
	Version   string `json:"version,omitempty"`
	NewClient bool   `json:"newClient,omitempty"`
}

type input struct {
	Key        string            `json:"key"`
	TileHeight int               `json:"tileHeight"`
	NoSumDB    string            `json:"noSumDB"`
	Config     map[string]string `json:"config"`
	Remote     map[string]string `json:"remote"`
	Steps      []step            `json:"steps"`
}

type result struct {
	Lines *[]string `json:"lines,omitempty"`
	Error string    `json:"error,omitempty"`
	Go    string    `json:"go,omitempty"`
}

type want struct {
	Results  []result `json:"results"`
	Latest   string   `json:"latest"`
	Cached   []string `json:"cached"`
	Security string   `json:"security"`
}

type vcase struct {
	Name  string `json:"name"`
	Input input  `json:"input"`
	Want  want   `json:"want"`
}

// code maps Go's error to the gosumdb error code for the same failure.
func code(err error) string {
	s := err.Error()
	var nf *notFound
	switch {
	case errors.Is(err, sumdb.ErrSecurity) || strings.Contains(s, sumdb.ErrSecurity.Error()):
		return "ERR_SECURITY"
	case err == sumdb.ErrGONOSUMDB:
		return "ERR_SKIPPED"
	case errors.As(err, &nf) || strings.Contains(s, ": no remote path "):
		return "ERR_NOT_FOUND"
	case strings.Contains(s, "downloaded inconsistent tile"):
		return "ERR_TILE_INCONSISTENT"
	case strings.Contains(s, "cannot authenticate record data"):
		return "ERR_RECORD_MISMATCH"
	case strings.Contains(s, "cannot validate record"):
		return "ERR_RECORD_NOT_IN_TREE"
	case strings.Contains(s, "malformed record data"):
		return "ERR_RECORD_MALFORMED"
	case strings.Contains(s, "reading tree note: note has no verifiable signatures"):
		return "ERR_NOTE_UNVERIFIED"
	case strings.Contains(s, "reading tree note: malformed note"):
		return "ERR_NOTE_MALFORMED"
	case strings.Contains(s, "reading tree note: invalid signature"):
		return "ERR_NOTE_INVALID_SIGNATURE"
	case strings.Contains(s, "reading tree: "):
		return "ERR_TREE_MALFORMED"
	case strings.Contains(s, "malformed module path"):
		return "ERR_MODULE_PATH_INVALID"
	case strings.Contains(s, "invalid version") || strings.Contains(s, "invalid char"):
		return "ERR_MODULE_VERSION_INVALID"
	}
	panic("unmapped error: " + s)
}

func run(name string, height int, nosumdb string, config, remote map[string][]byte, steps []step) vcase {
	in := input{Key: testVerifierKey, TileHeight: height, NoSumDB: nosumdb, Config: map[string]string{}, Remote: map[string]string{}, Steps: steps}
	o := &ops{remote: remote, config: map[string][]byte{"key": []byte(testVerifierKey)}, cache: map[string][]byte{}}
	for k, v := range config {
		in.Config[k] = b64(v)
		o.config[k] = v
	}
	for k, v := range remote {
		in.Remote[k] = b64(v)
	}
	newClient := func() *sumdb.Client {
		c := sumdb.NewClient(o)
		c.SetTileHeight(height)
		if nosumdb != "" {
			c.SetGONOSUMDB(nosumdb)
		}
		return c
	}
	c := newClient()
	var w want
	for _, s := range steps {
		if s.NewClient {
			c = newClient()
			continue
		}
		lines, err := c.Lookup(s.Path, s.Version)
		if err != nil {
			w.Results = append(w.Results, result{Error: code(err), Go: err.Error()})
			continue
		}
		if lines == nil {
			lines = []string{}
		}
		w.Results = append(w.Results, result{Lines: &lines})
	}
	w.Latest = b64(o.config[testName+"/latest"])
	w.Cached = []string{}
	for k := range o.cache {
		w.Cached = append(w.Cached, k)
	}
	sort.Strings(w.Cached)
	w.Security = o.security.String()
	return vcase{Name: name, Input: in, Want: w}
}

func lookup(path, version string) step { return step{Path: path, Version: version} }

var newClient = step{NewClient: true}

func latestConfig(b []byte) map[string][]byte { return map[string][]byte{testName + "/latest": b} }

func flipTiles(remote map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range remote {
		if strings.Contains(k, "/tile/") {
			f := make([]byte, len(v))
			for i, b := range v {
				f[i] = b ^ 0x80
			}
			v = f
		}
		out[k] = v
	}
	return out
}

func replace(remote map[string][]byte, path string, f func([]byte) []byte) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range remote {
		out[k] = v
	}
	out[path] = f(append([]byte{}, remote[path]...))
	return out
}

func cases() []vcase {
	var out []vcase

	w, latest := goWorld()
	out = append(out, run("go-lookup", 2, "", latestConfig(latest), w.remote, []step{
		lookup("rsc.io/sampler", "v1.3.0"),
		lookup("rsc.io/sampler", "v1.3.0/go.mod"),
		lookup("rsc.io/quote", "v1.5.2"),
		lookup("rsc.io/Quote", "v1.5.2"),
		newClient,
		lookup("rsc.io/quote", "v1.5.2/go.mod"),
		lookup("golang.org/x/text", "v0.0.0-20170915032832-14c0d48ead0c"),
		lookup("rsc.io/sampler", "v1.99.0"),
		lookup("example.com/nope", "v1.0.0"),
	}))
	out = append(out, run("go-lookup-empty-config", 2, "", nil, w.remote, []step{
		lookup("rsc.io/Quote", "v1.5.2"),
		lookup("rsc.io/quote", "v1.5.2"),
	}))
	out = append(out, run("go-gonosumdb", 2, "p,*/q", latestConfig(latest), w.remote, []step{
		lookup("rsc.io/sampler", "v1.3.0"),
		lookup("p", "v1.0.0"), lookup("p/x", "v1.0.0"), lookup("x/q", "v1.0.0"), lookup("x/q/z", "v1.0.0"),
		lookup("abc", "v1.0.0"), lookup("a/p", "v1.0.0"), lookup("pq", "v1.0.0"), lookup("n/o/p/q", "v1.0.0"),
	}))
	out = append(out, run("go-bad-tiles", 2, "", latestConfig(latest), flipTiles(w.remote), []step{
		lookup("rsc.io/sampler", "v1.3.0"),
		lookup("rsc.io/quote", "v1.5.2"),
	}))
	out = append(out, run("go-bad-start-tree", 2, "", latestConfig(w.signHash(1, tlog.Hash{}, w.signer)), w.remote, []step{
		lookup("rsc.io/sampler", "v1.3.0"),
	}))
	out = append(out, run("bad-record", 2, "", latestConfig(latest), replace(w.remote, "/lookup/rsc.io/sampler@v1.3.0", func(b []byte) []byte {
		return bytes.Replace(b, []byte("h1:7uVk"), []byte("h1:8uVk"), 1)
	}), []step{lookup("rsc.io/sampler", "v1.3.0"), lookup("rsc.io/quote", "v1.5.2")}))
	out = append(out, run("record-beyond-tree", 2, "", latestConfig(latest), replace(w.remote, "/lookup/rsc.io/sampler@v1.3.0", func(b []byte) []byte {
		return append([]byte("7"), b[1:]...)
	}), []step{lookup("rsc.io/sampler", "v1.3.0")}))
	other, err := note.NewSigner(otherSignerKey)
	check(err)
	out = append(out, run("foreign-key", 2, "", latestConfig(latest), replace(w.remote, "/lookup/rsc.io/sampler@v1.3.0", func(b []byte) []byte {
		_, _, rest, err := tlog.ParseRecord(b)
		check(err)
		h, err := tlog.TreeHash(3, w)
		check(err)
		return append(b[:len(b)-len(rest)], w.signHash(3, h, other)...)
	}), []step{lookup("rsc.io/sampler", "v1.3.0")}))
	out = append(out, run("truncated-record", 2, "", latestConfig(latest), replace(w.remote, "/lookup/rsc.io/sampler@v1.3.0", func(b []byte) []byte {
		return b[:40]
	}), []step{lookup("rsc.io/sampler", "v1.3.0")}))
	out = append(out, run("truncated-note", 2, "", latestConfig(latest), replace(w.remote, "/lookup/rsc.io/sampler@v1.3.0", func(b []byte) []byte {
		return b[:len(b)-20]
	}), []step{lookup("rsc.io/sampler", "v1.3.0")}))
	out = append(out, run("bad-tree-text", 2, "", latestConfig(latest), replace(w.remote, "/lookup/rsc.io/sampler@v1.3.0", func(b []byte) []byte {
		_, _, rest, err := tlog.ParseRecord(b)
		check(err)
		msg, err := note.Sign(&note.Note{Text: "go.sum database tree\n3\nnot a hash\n"}, w.signer)
		check(err)
		return append(b[:len(b)-len(rest)], msg...)
	}), []step{lookup("rsc.io/sampler", "v1.3.0")}))

	// Go's TestClientFork: two histories from the same state, one lookup answered from the other.
	base, baseLatest := goWorld()
	w1, w2 := base.fork(), base.fork()
	w1.add("rsc.io/pkg1@v1.5.2", "rsc.io/pkg1 v1.5.2 h1:hash!=\n")
	w1.add("rsc.io/pkg1@v1.5.4", "rsc.io/pkg1 v1.5.4 h1:hash!=\n")
	w2.add("rsc.io/pkg1@v1.5.3", "rsc.io/pkg1 v1.5.3 h1:hash!=\n")
	w2.add("rsc.io/pkg1@v1.5.4", "rsc.io/pkg1 v1.5.4 h1:hash!=\n")
	w2.remote["/lookup/rsc.io/pkg1@v1.5.2"] = w1.remote["/lookup/rsc.io/pkg1@v1.5.2"]
	out = append(out, run("go-fork", 2, "", latestConfig(baseLatest), w2.remote, []step{
		lookup("rsc.io/pkg1", "v1.5.4"),
		lookup("rsc.io/pkg1", "v1.5.2"),
	}))
	// The same fork seen from the other side: the newer tree is the forged one.
	w3 := base.fork()
	w3.add("rsc.io/pkg1@v1.5.3", "rsc.io/pkg1 v1.5.3 h1:hash!=\n")
	w3.add("rsc.io/pkg1@v1.5.4", "rsc.io/pkg1 v1.5.4 h1:hash!=\n")
	w3.add("rsc.io/pkg1@v1.5.5", "rsc.io/pkg1 v1.5.5 h1:hash!=\n")
	r1 := map[string][]byte{}
	for k, v := range w1.remote {
		r1[k] = v
	}
	r1["/lookup/rsc.io/pkg1@v1.5.5"] = w3.remote["/lookup/rsc.io/pkg1@v1.5.5"]
	for k, v := range w3.remote {
		if strings.HasPrefix(k, "/tile/") {
			if _, ok := r1[k]; !ok {
				r1[k] = v
			}
		}
	}
	out = append(out, run("fork-newer-forged", 2, "", latestConfig(baseLatest), r1, []step{
		lookup("rsc.io/pkg1", "v1.5.2"),
		lookup("rsc.io/pkg1", "v1.5.5"),
	}))

	big := bigWorld(2, 100)
	var steps []step
	for _, i := range []int{99, 0, 63, 64, 17, 98, 31, 32, 5} {
		p, v, _ := module(i)
		steps = append(steps, lookup(p, v), lookup(p, v+"/go.mod"))
	}
	out = append(out, run("log-100-height-2", 2, "", nil, big.remote, steps))

	h3 := bigWorld(3, 70)
	steps = nil
	for _, i := range []int{10, 69, 8, 64, 0} {
		p, v, _ := module(i)
		steps = append(steps, lookup(p, v))
	}
	out = append(out, run("log-70-height-3", 3, "", nil, h3.remote, steps))

	// A server that completed its tiles and dropped the partial ones: the client reads the full
	// tile and uses its prefix.
	done := bigWorld(2, 16)
	trimmed := map[string][]byte{}
	for k, v := range done.remote {
		if !strings.Contains(k, ".p/") {
			trimmed[k] = v
		}
	}
	steps = nil
	for _, i := range []int{4, 9, 13, 15} {
		p, v, _ := module(i)
		steps = append(steps, lookup(p, v))
	}
	out = append(out, run("partial-tiles-gone", 2, "", nil, trimmed, steps))
	return out
}

func main() {
	dir := vecfile.Dir("client")
	vecfile.Write(dir, "client", "lookup", cases(), vecfile.Layout{Indent: "  "})
}
