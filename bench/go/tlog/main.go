// Command tlog is the Go baseline for bench/tlog.ts: it hashes the same synthetic log with
// golang.org/x/mod/sumdb/tlog (StoredHashes for every record, then TreeHash), as a monitor
// built on x/mod would, and prints JSON {"records","seconds","root"}.
//
// Build in GOPATH mode (bench/tlog.ts does this into bench/.cache/bin):
//
//	GO111MODULE=off GOPATH=$PWD/.gopath:/usr/share/gocode go build -o bench/.cache/bin/gobench-tlog ./bench/go/tlog
//
// Usage: gobench-tlog <records>
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

type storage []tlog.Hash

func (s storage) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		out[i] = s[x]
	}
	return out, nil
}

// recordText must match bench/tlog.ts.
func recordText(i int64) []byte {
	a, b := strings.Repeat("A", 43), strings.Repeat("B", 43)
	return []byte(fmt.Sprintf("example.com/mod%d v1.%d.%d h1:%s=\nexample.com/mod%d v1.%d.%d/go.mod h1:%s=\n", i, i%7, i, a, i, i%7, i, b))
}

func main() {
	n, err := strconv.ParseInt(os.Args[1], 10, 64)
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "usage: gobench-tlog <records>")
		os.Exit(2)
	}
	texts := make([][]byte, n)
	for i := range texts {
		texts[i] = recordText(int64(i))
	}
	start := time.Now()
	s := make(storage, 0, 2*n)
	for i, t := range texts {
		hs, err := tlog.StoredHashes(int64(i), t, s)
		if err != nil {
			panic(err)
		}
		s = append(s, hs...)
	}
	root, err := tlog.TreeHash(n, s)
	if err != nil {
		panic(err)
	}
	out, _ := json.Marshal(map[string]interface{}{"records": n, "seconds": time.Since(start).Seconds(), "root": root.String()})
	fmt.Println(string(out))
}
