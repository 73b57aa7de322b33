// Package vecfile writes the vector files of the generators in vectors/gen/<area>: one
// vectors/<area>/<topic>.json file each, in the schema of vectors/README.md.
//
// The generators import it as gosumdb.dev/gen/internal/vecfile in GOPATH mode;
// scripts/gen-vectors.sh links .gopath/src/gosumdb.dev/gen to vectors/gen.
package vecfile

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
)

// Xmod is the golang.org/x/mod version the generators run against (Debian's).
const Xmod = "v0.7.0"

// ErrWant is a wanted error: this project's code and Go's message.
type ErrWant struct {
	Code string `json:"code"`
	Go   string `json:"go"`
}

// Case is one vector case: an input and either the wanted output or the wanted error.
type Case struct {
	Name  string      `json:"name"`
	Input interface{} `json:"input"`
	Want  interface{} `json:"want,omitempty"`
	Error *ErrWant    `json:"error,omitempty"`
}

// Layout is how a file's JSON is laid out. Each area keeps the layout its committed files have,
// so that regenerating them changes no byte.
type Layout struct {
	Indent    string // per nesting level
	SortKeys  bool   // top-level keys in alphabetical order rather than generator, xmod, area, topic, cases
	CaseLines bool   // each case compact on its own line
}

// Dir returns the output directory, the first argument or vectors/<area>, and creates it.
func Dir(area string) string {
	dir := "vectors/" + area
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	must(os.MkdirAll(dir, 0o755))
	return dir
}

type header struct {
	Generator string      `json:"generator"`
	Xmod      string      `json:"xmod"`
	Area      string      `json:"area"`
	Topic     string      `json:"topic"`
	Cases     interface{} `json:"cases"`
}

// Write writes dir/<topic>.json: cases (a slice) with the header naming area's generator.
func Write(dir, area, topic string, cases interface{}, l Layout) {
	h := header{Generator: "vectors/gen/" + area + " (" + runtime.Version() + ")", Xmod: Xmod, Area: area, Topic: topic, Cases: cases}
	var out []byte
	switch {
	case l.CaseLines:
		out = caseLines(h, l.Indent)
	case l.SortKeys:
		out = encode(map[string]interface{}{"generator": h.Generator, "xmod": h.Xmod, "area": h.Area, "topic": h.Topic, "cases": h.Cases}, l.Indent)
	default:
		out = encode(h, l.Indent)
	}
	must(os.WriteFile(filepath.Join(dir, topic+".json"), out, 0o644))
}

// encode is json.MarshalIndent with a final newline and without HTML escaping.
func encode(v interface{}, indent string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	must(enc.Encode(v))
	return buf.Bytes()
}

// caseLines lays out the header indented and each case compact on its own line.
func caseLines(h header, indent string) []byte {
	compact := func(v interface{}) []byte { return bytes.TrimSuffix(encode(v, ""), []byte("\n")) }
	var out bytes.Buffer
	out.WriteString("{\n")
	for _, kv := range []struct{ k, v string }{{"generator", h.Generator}, {"xmod", h.Xmod}, {"area", h.Area}, {"topic", h.Topic}} {
		out.WriteString(indent + `"` + kv.k + `": `)
		out.Write(compact(kv.v))
		out.WriteString(",\n")
	}
	out.WriteString(indent + "\"cases\": [\n")
	cases := reflect.ValueOf(h.Cases)
	for i := 0; i < cases.Len(); i++ {
		out.WriteString(indent + indent)
		out.Write(compact(cases.Index(i).Interface()))
		if i < cases.Len()-1 {
			out.WriteString(",")
		}
		out.WriteString("\n")
	}
	out.WriteString(indent + "]\n}\n")
	return out.Bytes()
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
