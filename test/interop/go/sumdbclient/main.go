// Command sumdbclient looks up module versions with Go's reference client (x/mod's
// sumdb.NewClient) against a checksum database URL, for gosumdb's interop tests and benchmark.
//
// Usage: sumdbclient -url URL -vkey VKEY [-config DIR] [-parallel P] < list
//
// Each stdin line is "path version". The latest signed tree is kept in DIR/<name>/latest when
// -config is given, with verified lookups and tiles cached under DIR/cache as the go command does
// (so a second run continues the first run's timeline); without -config nothing outlives the run. Output is JSON on stdout:
// {"results": [{"path", "version", "lines", "error"}...], "security": [messages], "requests": N, "seconds": S}
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/mod/sumdb"
)

type ops struct {
	url      string
	vkey     string
	config   string
	mu       sync.Mutex
	mem      map[string][]byte
	security []string
	requests atomic.Int64
	http     *http.Client
}

func (o *ops) ReadRemote(path string) ([]byte, error) {
	o.requests.Add(1)
	resp, err := o.http.Get(o.url + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return data, nil
}

func (o *ops) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.vkey), nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.config != "" {
		data, err := os.ReadFile(filepath.Join(o.config, file))
		if os.IsNotExist(err) {
			return nil, nil
		}
		return data, err
	}
	return o.mem[file], nil
}

func (o *ops) WriteConfig(file string, old, new []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.config != "" {
		p := filepath.Join(o.config, file)
		cur, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		if !bytes.Equal(cur, old) {
			return sumdb.ErrWriteConflict
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			return err
		}
		return os.WriteFile(p, new, 0o666)
	}
	if !bytes.Equal(o.mem[file], old) {
		return sumdb.ErrWriteConflict
	}
	o.mem[file] = new
	return nil
}

func (o *ops) ReadCache(file string) ([]byte, error) {
	if o.config == "" {
		return nil, os.ErrNotExist
	}
	return os.ReadFile(filepath.Join(o.config, "cache", file))
}

func (o *ops) WriteCache(file string, data []byte) {
	if o.config == "" {
		return
	}
	p := filepath.Join(o.config, "cache", file)
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err == nil {
		os.WriteFile(p, data, 0o666)
	}
}

func (o *ops) Log(msg string) { log.Print(msg) }

func (o *ops) SecurityError(msg string) {
	o.mu.Lock()
	o.security = append(o.security, msg)
	o.mu.Unlock()
}

type result struct {
	Path    string   `json:"path"`
	Version string   `json:"version"`
	Lines   []string `json:"lines"`
	Error   string   `json:"error,omitempty"`
}

func main() {
	url := flag.String("url", "", "checksum database base URL")
	vkey := flag.String("vkey", "", "verifier key")
	config := flag.String("config", "", "directory keeping the latest signed tree between runs")
	parallel := flag.Int("parallel", 1, "concurrent lookups")
	flag.Parse()
	if *url == "" || *vkey == "" || *parallel < 1 {
		flag.Usage()
		os.Exit(2)
	}

	var list []result
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 {
			list = append(list, result{Path: f[0], Version: f[1]})
		}
	}

	o := &ops{url: strings.TrimSuffix(*url, "/"), vkey: *vkey, config: *config, mem: map[string][]byte{},
		http: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *parallel}}}
	client := sumdb.NewClient(o)

	start := time.Now()
	sem := make(chan struct{}, *parallel)
	var wg sync.WaitGroup
	for i := range list {
		wg.Add(1)
		sem <- struct{}{}
		go func(r *result) {
			defer wg.Done()
			defer func() { <-sem }()
			lines, err := client.Lookup(r.Path, r.Version)
			r.Lines = lines
			if err != nil {
				r.Error = err.Error()
			}
		}(&list[i])
	}
	wg.Wait()
	elapsed := time.Since(start)

	out, _ := json.Marshal(map[string]any{
		"results": list, "security": o.security, "requests": o.requests.Load(), "seconds": elapsed.Seconds(),
	})
	fmt.Println(string(out))
}
