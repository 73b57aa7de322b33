// Command monitor is the Go baseline for bench/monitor.ts: a full-log verifier written with
// golang.org/x/mod's note and tlog, run against the same local database server. It verifies
// the signed tree, then for every data tile fetches it, hashes every record (tlog.RecordHash)
// and checks the hashes against the tree through tlog.TileHashReader (which fetches the hash
// tiles and proves them against the signed tree hash). Data tiles are fetched by 8 goroutines
// ahead of the checker, hash tiles in parallel per ReadTiles call, as Go's sumdb client does.
// It prints JSON {"records","seconds","cpuSeconds","maxRssKB"}.
//
// Build in GOPATH mode (bench/monitor.ts does this into bench/.cache/bin):
//
//	GO111MODULE=off GOPATH=$PWD/.gopath:/usr/share/gocode go build -o bench/.cache/bin/gobench-monitor ./bench/go/monitor
//
// Usage: gobench-monitor <database URL> <verifier key>
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
	"gosumdb.dev/bench/peakrss"
)

const height = 8

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

func get(url string) ([]byte, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return body, nil
}

// tileReader fetches hash tiles over HTTP, in parallel, and keeps the verified ones.
type tileReader struct {
	base  string
	mu    sync.Mutex
	saved map[tlog.Tile][]byte
}

func (r *tileReader) Height() int { return height }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	errs := make([]error, len(tiles))
	var wg sync.WaitGroup
	for i, t := range tiles {
		r.mu.Lock()
		data, ok := r.saved[t]
		r.mu.Unlock()
		if ok {
			out[i] = data
			continue
		}
		wg.Add(1)
		go func(i int, t tlog.Tile) {
			defer wg.Done()
			out[i], errs[i] = get(r.base + "/" + t.Path())
		}(i, t)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *tileReader) SaveTiles(tiles []tlog.Tile, data [][]byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, t := range tiles {
		r.saved[t] = data[i]
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gobench-monitor:", err)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gobench-monitor <database URL> <verifier key>")
		os.Exit(2)
	}
	base, vkey := os.Args[1], os.Args[2]
	start := time.Now()
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail(err)
	}
	msg, err := get(base + "/latest")
	if err != nil {
		fail(err)
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail(err)
	}
	tree, err := tlog.ParseTree([]byte(n.Text))
	if err != nil {
		fail(err)
	}
	thr := tlog.TileHashReader(tree, &tileReader{base: base, saved: make(map[tlog.Tile][]byte)})

	// Data tiles, fetched ahead by 8 goroutines, checked in order.
	tiles := (tree.N + (1 << height) - 1) >> height
	type fetched struct {
		data []byte
		err  error
	}
	results := make([]chan fetched, tiles)
	for i := range results {
		results[i] = make(chan fetched, 1)
	}
	next := make(chan int64)
	go func() {
		for i := int64(0); i < tiles; i++ {
			next <- i
		}
		close(next)
	}()
	sem := make(chan struct{}, 8)
	go func() {
		for i := range next {
			sem <- struct{}{}
			go func(i int64) {
				w := tree.N - i<<height
				if w > 1<<height {
					w = 1 << height
				}
				t := tlog.Tile{H: height, L: -1, N: i, W: int(w)}
				data, err := get(base + "/" + t.Path())
				results[i] <- fetched{data, err}
			}(i)
		}
	}()
	var records int64
	for i := int64(0); i < tiles; i++ {
		f := <-results[i]
		<-sem
		if f.err != nil {
			fail(f.err)
		}
		recs := bytes.SplitAfter(f.data, []byte("\n\n"))
		if len(recs) > 0 && len(recs[len(recs)-1]) == 0 {
			recs = recs[:len(recs)-1]
		}
		indexes := make([]int64, len(recs))
		for j := range recs {
			indexes[j] = tlog.StoredHashIndex(0, i<<height+int64(j))
		}
		want, err := thr.ReadHashes(indexes)
		if err != nil {
			fail(err)
		}
		for j, rec := range recs {
			if tlog.RecordHash(rec[:len(rec)-1]) != want[j] {
				fail(fmt.Errorf("record %d does not match the tree", i<<height+int64(j)))
			}
		}
		records += int64(len(recs))
	}
	if records != tree.N {
		fail(fmt.Errorf("read %d records, tree has %d", records, tree.N))
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	json.NewEncoder(os.Stdout).Encode(map[string]any{"records": records, "seconds": time.Since(start).Seconds(), "cpuSeconds": cpu.Seconds(), "maxRssKB": peakrss.KiB()})
}
