// Command server writes vectors/server/responses.json: the HTTP answers (status, content type,
// body) of golang.org/x/mod/sumdb's Server over a sumdb.TestServer, for logs of synthetic modules
// and request paths covering /latest, /lookup, hash tiles and malformed or unknown paths.
//
// Build and run in GOPATH mode from the repository root, after `npm run vectors` has linked
// .gopath/src/gosumdb.dev/gen to vectors/gen (for the shared package internal/vecfile):
//
//	GO111MODULE=off GOPATH=$PWD/.gopath:/usr/share/gocode go run ./vectors/gen/server [outdir]
//
// Logs follow one recipe so that no vector embeds a log: a log of n records holds synthetic
// modules 0..n-1 in order (the definition is in test/interop/go/sumdbserver and
// gosumdb/server's syntheticModule), and trees are signed with a fixed, seeded test key.
// Data tiles are left out: x/mod v0.7.0 prefixes each record with its id, newer servers do not.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/rand"
	"net/http/httptest"
	"os"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
	"gosumdb.dev/gen/internal/vecfile"
)

type input struct {
	Skey      string `json:"skey"`
	Vkey      string `json:"vkey"`
	Synthetic int    `json:"synthetic"`
	Path      string `json:"path"`
}

type want struct {
	Status      int    `json:"status"`
	ContentType string `json:"contentType"`
	BodyB64     string `json:"bodyB64,omitempty"`
}

type vcase struct {
	Name  string `json:"name"`
	Input input  `json:"input"`
	Want  want   `json:"want"`
}

func modPath(i int) string {
	if i%5 == 0 {
		return fmt.Sprintf("github.com/Upper%d/Pkg", i)
	}
	return fmt.Sprintf("example.com/m%d", i)
}

func modVersion(i int) string { return fmt.Sprintf("v1.%d.%d", i%3, i) }

func modLines(path, version string) []byte {
	zip := sha256.Sum256([]byte("zip " + path + "@" + version))
	mod := sha256.Sum256([]byte("mod " + path + "@" + version))
	return []byte(fmt.Sprintf("%s %s h1:%s\n%s %s/go.mod h1:%s\n",
		path, version, base64.StdEncoding.EncodeToString(zip[:]),
		path, version, base64.StdEncoding.EncodeToString(mod[:])))
}

func lookupPath(i int) string {
	p, err := module.EscapePath(modPath(i))
	must(err)
	v, err := module.EscapeVersion(modVersion(i))
	must(err)
	return "/lookup/" + p + "@" + v
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// fixedBodies are the error texts of Go's server that do not depend on the ops implementation.
var fixedBodies = map[string]bool{
	"invalid module@version syntax\n": true,
	"invalid tile syntax\n":           true,
	"404 page not found\n":            true,
}

func main() {
	dir := vecfile.Dir("server")
	skey, vkey, err := note.GenerateKey(rand.New(rand.NewSource(1)), "vectors.gosumdb.test")
	must(err)

	var cases []vcase
	plan := []struct {
		n     int
		paths []string
	}{
		{0, []string{"/latest", "/lookup/example.com/m0@v1.0.0"}},
		{1, []string{"/latest", lookupPath(0), "/tile/8/0/000.p/1"}},
		{13, []string{
			"/latest", lookupPath(0), lookupPath(5), lookupPath(12),
			"/tile/2/0/000", "/tile/2/0/003.p/1", "/tile/2/1/000.p/3", "/tile/3/1/000.p/1", "/tile/8/0/000.p/13",
			"/lookup/example.com/m1", "/lookup/example.com/m1@1.0.0", "/lookup/example.com/m1@v1.1",
			"/lookup/example.com/nope@v1.0.0", "/lookup/github.com/Upper5/Pkg@v1.2.5", "/lookup/example.com/m1@v1.1.1+incompatible",
			"/tile/2/0/x", "/tile/", "/tile/2/0/000.p/0", "/tile/2/0/000.p/4", "/tile/31/0/000", "/tile/2/0/001.p/9",
			"/", "/latest/", "/lookup", "/nothing",
		}},
		{300, []string{
			"/latest", lookupPath(1), lookupPath(255), lookupPath(256), lookupPath(299),
			"/tile/8/0/000", "/tile/8/0/001.p/44", "/tile/8/1/000.p/1", "/tile/4/1/001.p/2", "/tile/4/0/018.p/12",
		}},
		{70000, []string{
			"/latest", lookupPath(65536), lookupPath(69999),
			"/tile/8/1/001.p/17", "/tile/8/2/000.p/1", "/tile/8/0/273.p/112", "/tile/4/3/000.p/1", "/tile/4/0/x004/374",
		}},
	}
	for _, p := range plan {
		fill := sumdb.NewTestServer(skey, func(path, version string) ([]byte, error) {
			return modLines(path, version), nil
		})
		for i := 0; i < p.n; i++ {
			_, err := fill.Lookup(context.Background(), module.Version{Path: modPath(i), Version: modVersion(i)})
			must(err)
		}
		srv := sumdb.NewServer(frozen{fill, p.n})
		for _, path := range p.paths {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", "http://sumdb.test"+path, nil))
			body := rec.Body.Bytes()
			w := want{Status: rec.Code, ContentType: rec.Header().Get("Content-Type")}
			if rec.Code == 200 || fixedBodies[string(body)] {
				w.BodyB64 = base64.StdEncoding.EncodeToString(body)
			}
			name := fmt.Sprintf("log of %d: %s", p.n, path)
			if p.n == 0 && path == "/latest" {
				// Hand-written: x/mod since v0.19.0 defines the empty tree's hash as SHA-256("")
				// (RFC 6962 §2.1); the generator's v0.7.0 signs 32 zero bytes.
				name = "newer-xmod: " + name + " signs the SHA-256 of the empty string"
				empty := sha256.Sum256(nil)
				signer, err := note.NewSigner(skey)
				must(err)
				msg, err := note.Sign(&note.Note{Text: "go.sum database tree\n0\n" + base64.StdEncoding.EncodeToString(empty[:]) + "\n"}, signer)
				must(err)
				w.BodyB64 = base64.StdEncoding.EncodeToString(msg)
			}
			cases = append(cases, vcase{
				Name:  name,
				Input: input{Skey: skey, Vkey: vkey, Synthetic: p.n, Path: path},
				Want:  w,
			})
		}
	}
	write(dir, "responses", cases)
}

// frozen serves a filled TestServer but answers lookups of modules it does not hold with
// os.ErrNotExist (a 404). (Its tiles must stay within the log: TestServer panics beyond it.)
type frozen struct {
	*sumdb.TestServer
	n int
}

func (f frozen) Lookup(ctx context.Context, m module.Version) (int64, error) {
	for i := 0; i < f.n; i++ {
		if modPath(i) == m.Path && modVersion(i) == m.Version {
			return f.TestServer.Lookup(ctx, m)
		}
	}
	return 0, os.ErrNotExist
}

// write writes <dir>/<topic>.json in the layout of the committed vectors/server files.
func write(dir, topic string, cases []vcase) {
	vecfile.Write(dir, "server", topic, cases, vecfile.Layout{Indent: " ", SortKeys: true})
}
