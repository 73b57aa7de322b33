// Command sumdbserver serves Go's reference checksum database (x/mod's sumdb.NewServer over
// sumdb.NewTestServer) on 127.0.0.1 for gosumdb's interop tests and benchmark.
//
// It prepopulates a log of -n synthetic modules (see modLines) so that proofs span several tile
// levels, and serves two histories signed by the same key:
//
//	/honest/...  the log of modules 0..n-1
//	/fork/...    the same log with the last record's go.sum lines changed, plus one more record
//
// A client that has seen /honest and then reads /fork must detect the fork.
// -latency adds a delay to every response. The first line written to stdout is JSON:
// {"url": "http://127.0.0.1:PORT", "vkey": "...", "skey": "...", "n": N}; the key is a fixed test
// key (seeded), so another server can sign the same trees byte for byte. Every request is counted on stderr at exit.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
)

// modPath and modVersion name synthetic module i; every fifth path has upper-case letters so
// that lookups exercise the '!' escaping. The TypeScript tests compute the same names.
func modPath(i int) string {
	if i%5 == 0 {
		return fmt.Sprintf("github.com/Upper%d/Pkg", i)
	}
	return fmt.Sprintf("example.com/m%d", i)
}

func modVersion(i int) string {
	return fmt.Sprintf("v1.%d.%d", i%3, i)
}

// modLines returns the go.sum lines of a synthetic module: h1: hashes are the SHA-256 of
// "zip <path>@<version>" and "mod <path>@<version>".
func modLines(path, version, salt string) []byte {
	zip := sha256.Sum256([]byte(salt + "zip " + path + "@" + version))
	mod := sha256.Sum256([]byte(salt + "mod " + path + "@" + version))
	return []byte(fmt.Sprintf("%s %s h1:%s\n%s %s/go.mod h1:%s\n",
		path, version, base64.StdEncoding.EncodeToString(zip[:]),
		path, version, base64.StdEncoding.EncodeToString(mod[:])))
}

type history struct {
	ts     *sumdb.TestServer
	frozen atomic.Bool
}

// build fills a TestServer with modules 0..n-1; the record of module `alter` gets other hashes.
func build(skey string, n, alter int) *history {
	h := &history{}
	altered := modPath(alter) + "@" + modVersion(alter)
	h.ts = sumdb.NewTestServer(skey, func(path, version string) ([]byte, error) {
		if h.frozen.Load() {
			return nil, os.ErrNotExist
		}
		if path+"@"+version == altered {
			return modLines(path, version, "fork "), nil
		}
		return modLines(path, version, ""), nil
	})
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if _, err := h.ts.Lookup(ctx, module.Version{Path: modPath(i), Version: modVersion(i)}); err != nil {
			log.Fatal(err)
		}
	}
	return h
}

func main() {
	port := flag.Int("port", 0, "TCP port on 127.0.0.1 (0 picks a free one)")
	n := flag.Int("n", 70000, "number of records in the honest log")
	latency := flag.Duration("latency", 0, "delay added to every response")
	flag.Parse()

	skey, vkey, err := note.GenerateKey(rand.New(rand.NewSource(1)), "interop.gosumdb.test")
	if err != nil {
		log.Fatal(err)
	}
	honest := build(skey, *n, -1)
	honest.frozen.Store(true)
	fork := build(skey, *n, *n-1)
	if _, err := fork.ts.Lookup(context.Background(), module.Version{Path: "example.com/forked", Version: "v1.0.0"}); err != nil {
		log.Fatal(err)
	}
	fork.frozen.Store(true)

	var requests atomic.Int64
	mux := http.NewServeMux()
	mount := func(prefix string, h *history) {
		srv := sumdb.NewServer(h.ts)
		mux.Handle(prefix+"/", http.StripPrefix(prefix, srv))
	}
	mount("/honest", honest)
	mount("/fork", fork)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if *latency > 0 {
			time.Sleep(*latency)
		}
		mux.ServeHTTP(w, r)
	})

	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		log.Fatal(err)
	}
	ready, _ := json.Marshal(map[string]any{"url": "http://" + ln.Addr().String(), "vkey": vkey, "skey": skey, "n": *n})
	fmt.Println(string(ready))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-stop
		fmt.Fprintf(os.Stderr, "requests %d\n", requests.Load())
		os.Exit(0)
	}()
	log.Fatal(http.Serve(ln, handler))
}
