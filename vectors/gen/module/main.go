// Command module writes vectors/module/*.json: the verdicts of golang.org/x/mod/module and
// golang.org/x/mod/semver on module paths, file paths, versions, escaping and prefix patterns.
//
// Build and run in GOPATH mode from the repository root, after `npm run vectors` has linked
// .gopath/src/gosumdb.dev/gen to vectors/gen (for the shared package internal/vecfile):
//
//	GO111MODULE=off GOPATH=$PWD/.gopath:/usr/share/gocode go run ./vectors/gen/module [outdir]
package main

import (
	"fmt"
	"math/rand"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"gosumdb.dev/gen/internal/vecfile"
)

// nullWant marks a case whose wanted output is JSON null (the operation succeeded with no value).
type nullWant struct{}

func (nullWant) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

func result(name string, input interface{}, want interface{}, err error, code string) vecfile.Case {
	if err != nil {
		return vecfile.Case{Name: name, Input: input, Error: &vecfile.ErrWant{Code: code, Go: err.Error()}}
	}
	if want == nil {
		want = nullWant{}
	}
	return vecfile.Case{Name: name, Input: input, Want: want}
}

func uniq(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Paths from x/mod's own tests (without the invalid-UTF-8 one, which JSON cannot carry) and more.
var goTestPaths = []string{
	"x.y/z", "x.y", "", "/x.y/z", "x./z", ".x/z", "-x/z", "x..y/z", "x.y/z/../../w", "x.y//z",
	"x.y/z//w", "x.y/z/", "x.y/z/v0", "x.y/z/v1", "x.y/z/v2", "x.y/z/v2.0", "X.y/z", "!x.y/z", "_x.y/z",
	"x.y./zt", "x.y/z++", "x.y/z.t", "x.y/z/t", "x.y/x.foo", "x.y/aux.foo", "x.y/prn", "x.y/prn2",
	"x.y/com", "x.y/com1", "x.y/com1.txt", "x.y/calm1", "x.y/z~", "x.y/z~0", "x.y/z~09", "x.y/z09",
	"x.y/z09~", "x.y/z09~09z", "x.y/z09~09z~09", "github.com/!123/logrus",
	"github.com/user/unicode/испытание", "../x", "./y", "x:y", `\temp\foo`, ".gitignore",
	".github/ISSUE_TEMPLATE", "x☺y",
}

func morePaths() []string {
	var p []string
	for c := 0x20; c < 0x7f; c++ {
		s := string(rune(c))
		p = append(p, "x.y"+s+"/z", "x.y/z"+s, "x.y/a"+s+"b", s+"x.y/z", "x"+s+"y.z/w")
	}
	p = append(p,
		"x.y/é", "é.com/x", "x.y/a\u00a0b", "x.y/日本", "x.y/ÄÖ", "x.y/a\u0301", "x.y/\u00bd", "x.y/\U0001F600",
		"X.Y/z", "github.com/Azure/azure-sdk-for-go", "x.y/Z", "github.com/GoogleCloudPlatform/omega",
		"ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789",
		"x.y/z~1", "x.y/a~b1", "x.y/~", "x.y/~1", "x.y/z~1.txt", "x.y/z~a", "x.y/~~1", "x~1.y/z",
		"x.y/.", "x.y/..", "x.y/...", "x.y/.z", "x.y/z.", "x.y/a..b", ".", "..", "x.y/a/./b", "x.y/a/../b",
		"x.y/z/v02", "x.y/z/v2.1", "x.y/v2", "x.y/z/V2", "x.y/z/v2/w", "x.y/z/v10", "x.y/z/v1.0", "x.y/zv2",
		"gopkg.in/yaml.v2", "gopkg.in/yaml.v0", "gopkg.in/yaml.v1", "gopkg.in/yaml.v1-unstable",
		"gopkg.in/yaml.v02", "gopkg.in/yaml", "gopkg.in/yaml.v2/sub", "gopkg.in/user/pkg.v3", "gopkg.in/v2",
		"gopkg.in/yaml.v", "gopkg.in/yaml.v2-unstable", "gopkg.in/yaml-unstable", "v2", "x.y/v",
		"-x.y/z", "x.y/-z", "x-y.z/w", "x.y/z-", "x.y/-", "a b/c", "a/b c", " a", "a ", "x.y/z ",
		"$", "@v", "x/y!z", "x/Y", "x.y/CON", "x.y/con", "x.y/Con.txt", "x.y/conx", "x.y/con~1", "x.y/lpt9",
		"x.y/LPT9.a.b", "x.y/lpt0", "x.y/com0", "x.y/nul.", "x.y/.con", "a/b\tc", "é/ü", "a\\b", "x.y/a%20b",
		"example.com", "example.com/", "example.com/a/b/c/d/e/f/g/h", "localhost/x", "x.y/z.", "123.45/x",
		"x.y/_", "x.y/+", "x.y/++", "rsc.io/quote/v3", "golang.org/x/mod", "k8s.io/api",
		"x.y/"+strings.Repeat("a", 300),
	)
	for _, n := range []string{"CON", "PRN", "AUX", "NUL", "COM1", "COM5", "COM9", "LPT1", "LPT5", "LPT9"} {
		p = append(p, "x.y/"+n, "x.y/"+strings.ToLower(n), "x.y/"+n+".txt", "x.y/"+n+"x", "x.y/a/"+n+"/b", n+".y/z")
	}
	return p
}

var versions = []string{
	"bad", "v1-alpha.beta.gamma", "v1-pre", "v1+meta", "v1-pre+meta", "v1.2-pre", "v1.2+meta",
	"v1.2-pre+meta", "v1.0.0-alpha", "v1.0.0-alpha.1", "v1.0.0-alpha.beta", "v1.0.0-beta", "v1.0.0-beta.2",
	"v1.0.0-beta.11", "v1.0.0-rc.1", "v1", "v1.0", "v1.0.0", "v1.2", "v1.2.0", "v1.2.3-456", "v1.2.3-456.789",
	"v1.2.3-456-789", "v1.2.3-456a", "v1.2.3-pre", "v1.2.3-pre+meta", "v1.2.3-pre.1", "v1.2.3-zzz",
	"v1.2.3", "v1.2.3+meta", "v1.2.3+meta-pre", "v1.2.3+meta-pre.sha.256a", "v01.2.3", "v1.02.3",
	"v1.2.03", "1.2.3", "v1.2.3-", "v1.2.3+", "v1.2.3-01", "v1.2.3-0a", "v1.2.3-a..b", "v1.2.3+01",
	"v", "", "v1.2.3.4", "V1.2.3", "v1.2.3-é", "v1.0.0+incompatible", "v2.0.0+incompatible",
	"v0.0.0-20191109021931-daa7c04131f5", "v1.2.3-pre+", "v99999999999999999999.0.0", "v0", "v0.0.0",
	"v1.0.0-Beta", "v1.0.0-RC.1", "v1.2.3-0", "v1.2.3-0.0", "v1.2.3-00", "v1.10.0", "v1.9.0", "v1.2.3+a.b",
	"v1.2.3+a..b", "v1.2.3-a+b+c", "v2", "v2.0.0", "v10.0.0", "v1.2.3-a.b.c.d", "v1.2.3-1.2.3",
}

// Deterministic random inputs over the characters the rules care about, to find disagreements
// that the hand-picked lists miss.
var rng = rand.New(rand.NewSource(20261130))

func randomString(alphabet []string, max int) string {
	n := 1 + rng.Intn(max)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(alphabet[rng.Intn(len(alphabet))])
	}
	return b.String()
}

var pathAlphabet = []string{"a", "b", "Z", "0", "9", ".", ".", "/", "/", "-", "_", "~", "~1", "+", "!", " ", "@", "v2", "/v2", "é", "ß", "☺", "con", "CON", "com1", "gopkg.in/", ".v1", "-unstable", ".com", "x.y/", "\\", ":", "*", "[", "]"}
var globAlphabet = []string{"a", "b", ".", "/", "*", "*", "?", "[", "]", "^", "-", "\\", ",", "é", "x.y", "a/b"}
var versionAlphabet = []string{"v", "v1", "0", "1", "9", "10", ".", ".", "-", "+", "a", "Z", "pre", "rc", "00", "01", "incompatible", "é"}

func randomPaths(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, randomString(pathAlphabet, 8))
	}
	return out
}

func randomVersions(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, "v"+randomString(versionAlphabet, 7))
	}
	return out
}

func semverCases() []vecfile.Case {
	var cs []vecfile.Case
	for _, v := range uniq(append(append([]string{}, versions...), randomVersions(150)...)) {
		in := func(op string) map[string]string { return map[string]string{"op": op, "v": v} }
		cs = append(cs,
			result("isValid "+v, in("isValid"), semver.IsValid(v), nil, ""),
			result("canonical "+v, in("canonical"), semver.Canonical(v), nil, ""),
			result("major "+v, in("major"), semver.Major(v), nil, ""),
			result("majorMinor "+v, in("majorMinor"), semver.MajorMinor(v), nil, ""),
			result("prerelease "+v, in("prerelease"), semver.Prerelease(v), nil, ""),
			result("build "+v, in("build"), semver.Build(v), nil, ""),
			result("canonicalVersion "+v, in("canonicalVersion"), module.CanonicalVersion(v), nil, ""),
		)
	}
	cmp := uniq(versions)
	// Every ordered pair of a 40-version sample keeps the file small and still covers each rule.
	sample := cmp[len(cmp)-40:]
	for _, v := range sample {
		for _, w := range sample {
			in := map[string]string{"op": "compare", "v": v, "w": w}
			cs = append(cs, result("compare "+v+" "+w, in, semver.Compare(v, w), nil, ""))
		}
	}
	for i, v := range cmp {
		w := cmp[(i*7+3)%len(cmp)]
		in := map[string]string{"op": "max", "v": v, "w": w}
		cs = append(cs, result("max "+v+" "+w, in, semver.Max(v, w), nil, ""))
	}
	return cs
}

func checkPathCases(paths []string) []vecfile.Case {
	var cs []vecfile.Case
	for _, p := range paths {
		cs = append(cs,
			result("module "+p, map[string]string{"kind": "module", "path": p}, nil, module.CheckPath(p), "ERR_MODULE_PATH_INVALID"),
			result("import "+p, map[string]string{"kind": "import", "path": p}, nil, module.CheckImportPath(p), "ERR_MODULE_PATH_INVALID"),
			result("file "+p, map[string]string{"kind": "file", "path": p}, nil, module.CheckFilePath(p), "ERR_MODULE_FILE_PATH_INVALID"),
		)
	}
	return cs
}

func splitCases(paths []string) []vecfile.Case {
	var cs []vecfile.Case
	for _, p := range paths {
		prefix, major, ok := module.SplitPathVersion(p)
		want := map[string]interface{}{"prefix": prefix, "pathMajor": major, "ok": ok}
		cs = append(cs, result(p, map[string]string{"path": p}, want, nil, ""))
	}
	return cs
}

var checkPairs = [][2]string{
	{"rsc.io/quote", "0.1.0"}, {"rsc io/quote", "v1.0.0"}, {"github.com/go-yaml/yaml", "v0.8.0"},
	{"github.com/go-yaml/yaml", "v1.0.0"}, {"github.com/go-yaml/yaml", "v2.0.0"}, {"github.com/go-yaml/yaml", "v2.1.5"},
	{"github.com/go-yaml/yaml", "v3.0.0"}, {"github.com/go-yaml/yaml/v2", "v1.0.0"}, {"github.com/go-yaml/yaml/v2", "v2.0.0"},
	{"github.com/go-yaml/yaml/v2", "v2.1.5"}, {"github.com/go-yaml/yaml/v2", "v3.0.0"}, {"gopkg.in/yaml.v0", "v0.8.0"},
	{"gopkg.in/yaml.v0", "v1.0.0"}, {"gopkg.in/yaml.v0", "v2.0.0"}, {"gopkg.in/yaml.v1", "v0.8.0"},
	{"gopkg.in/yaml.v1", "v1.0.0"}, {"gopkg.in/yaml.v1", "v2.0.0"}, {"gopkg.in/check.v1", "v0.0.0"},
	{"gopkg.in/check.v1", "v0.0.0-20160102150405-abcdef123456"}, {"gopkg.in/yaml.v2", "v1.0.0"},
	{"gopkg.in/yaml.v2", "v2.0.0"}, {"gopkg.in/yaml.v2", "v2.1.5"}, {"gopkg.in/yaml.v2", "v3.0.0"},
	{"rsc.io/quote", "v17.0.0"}, {"rsc.io/quote", "v17.0.0+incompatible"}, {"x.y/z", "v1.0.0-Beta"},
	{"gopkg.in/yaml.v1-unstable", "v1.0.0"}, {"gopkg.in/yaml.v2-unstable", "v1.0.0"}, {"x.y/z/v2", "v2.0.0+incompatible"},
	{"x.y/z", "v2.0.0+incompatible"}, {"x.y/z", "v1.0.0+incompatible"}, {"x.y/z", "v1.0"}, {"x.y/z", "v1"},
	{"x.y/z", "v1.0.0+meta"}, {"bad path", "v1.0.0"}, {"x.y/z/v02", "v2.0.0"}, {"x.y/z/v1", "v1.0.0"},
	{"x.y/z", ""}, {"x.y/z", "v0.0.0-20191109021931-daa7c04131f5"}, {"x.y/z/v3", "v3.1.0-pre"},
	{"X.y/z", "v1.0.0"}, {"x.y/Z", "v1.0.0"}, {"x.y/z", "v1.0.0/go.mod"}, {"x.y/z/v10", "v10.2.3"},
	{"gopkg.in/yaml.v2", "v2.0.0+incompatible"}, {"gopkg.in/check.v1", "v1.0.0-20160102150405-abcdef123456"},
}

func checkCases() []vecfile.Case {
	var cs []vecfile.Case
	for _, pv := range checkPairs {
		err := module.Check(pv[0], pv[1])
		code := "ERR_MODULE_VERSION_INVALID"
		if module.CheckPath(pv[0]) != nil {
			code = "ERR_MODULE_PATH_INVALID"
		}
		cs = append(cs, result(pv[0]+"@"+pv[1], map[string]string{"path": pv[0], "version": pv[1]}, nil, err, code))
	}
	return cs
}

func pathMajorCases() []vecfile.Case {
	pairs := [][2]string{
		{"v0.0.0", ""}, {"v0.0.0", "/v2"}, {"v0.0.0", ".v0"}, {"v0.0.0-20190510104115-cbcb75029529", ".v1"},
		{"v1.0.0", "/v2"}, {"v1.0.0", ".v1"}, {"v1.0.0", ".v1-unstable"}, {"v2.0.0+incompatible", ""},
		{"v2.0.0", ""}, {"v2.0.0", "/v2"}, {"v2.0.0", ".v2"}, {"v2.0.0", ".v2-unstable"}, {"bad", ""},
		{"bad", "/v2"}, {"v3.0.0", "/v2"}, {"v1.0.0", ""}, {"v0.1.0", ""}, {"v2.1.0-pre", "/v2"},
		{"v0.0.0-20190510104115-cbcb75029529", "/v2"}, {"v1.0.0+incompatible", ""}, {"v2.0.0+incompatible", "/v2"},
	}
	var cs []vecfile.Case
	for _, p := range pairs {
		cs = append(cs, result(p[0]+" "+p[1], map[string]string{"version": p[0], "pathMajor": p[1]}, nil,
			module.CheckPathMajor(p[0], p[1]), "ERR_MODULE_VERSION_INVALID"))
	}
	return cs
}

func escapeCases(paths []string) (esc, unesc []vecfile.Case) {
	unescInputs := []string{
		"github.com/GoogleCloudPlatform/omega", "github.com/!google!cloud!platform!/omega",
		"github.com/!0google!cloud!platform/omega", "github.com/!_google!cloud!platform/omega",
		"github.com/!!google!cloud!platform/omega", "", "github.com/!google!cloud!platform/omega",
		"x.y/!z", "x.y/z!", "!x.y/z", "x.y/é", "x.y/!con", "x.y/z/v2",
	}
	for _, p := range paths {
		e, err := module.EscapePath(p)
		esc = append(esc, result(p, map[string]string{"path": p}, e, err, "ERR_MODULE_PATH_INVALID"))
		if err == nil {
			unescInputs = append(unescInputs, e)
		}
		unescInputs = append(unescInputs, p)
	}
	for _, e := range uniq(unescInputs) {
		p, err := module.UnescapePath(e)
		unesc = append(unesc, result(e, map[string]string{"escaped": e}, p, err, "ERR_MODULE_PATH_INVALID"))
	}
	return esc, unesc
}

func escapeVersionCases() (esc, unesc []vecfile.Case) {
	vs := append([]string{}, versions...)
	vs = append(vs, "v1.0.0!x", "v1.0.0/x", "v1.0.0 x", "V1", "v1.é", "CON", "con.1", "v1.0.0~1", ".", "..", "v1.")
	unescInputs := []string{
		"v1.0.0-!beta", "v1.0.0-Beta", "v1.0.0-!", "v1.0.0-!!b", "v1.0.0-!0", "", "v1.0.0/x", "!c!o!n",
		"v1.0.0-!r!c.1", "v1.0.0-é", "v1.0.0 x",
	}
	for _, v := range uniq(vs) {
		e, err := module.EscapeVersion(v)
		esc = append(esc, result(v, map[string]string{"version": v}, e, err, "ERR_MODULE_VERSION_INVALID"))
		if err == nil {
			unescInputs = append(unescInputs, e)
		}
		unescInputs = append(unescInputs, v)
	}
	for _, e := range uniq(unescInputs) {
		v, err := module.UnescapeVersion(e)
		unesc = append(unesc, result(e, map[string]string{"escaped": e}, v, err, "ERR_MODULE_VERSION_INVALID"))
	}
	return esc, unesc
}

func matchCases() []vecfile.Case {
	pairs := [][2]string{
		{"", "rsc.io/quote"}, {"/", "rsc.io/quote"}, {"*/quote", "rsc.io/quote"}, {"*/quo", "rsc.io/quote"},
		{"*/quo??", "rsc.io/quote"}, {"*/quo*", "rsc.io/quote"}, {"*quo*", "rsc.io/quote"}, {"rsc.io", "rsc.io/quote"},
		{"*.io", "rsc.io/quote"}, {"rsc.io/", "rsc.io/quote"}, {"rsc", "rsc.io/quote"}, {"rsc*", "rsc.io/quote"},
		{"rsc.io", "rsc.io/quote/v3"}, {"*/quote", "rsc.io/quote/v3"}, {"*/quote/", "rsc.io/quote/v3"},
		{"*/quote/*", "rsc.io/quote/v3"}, {"*/quote/*/", "rsc.io/quote/v3"}, {"*/v3", "rsc.io/quote/v3"},
		{"*/*/v3", "rsc.io/quote/v3"}, {"*/*/*", "rsc.io/quote/v3"}, {"*/*/*/", "rsc.io/quote/v3"},
		{"*/*/*", "rsc.io/quote"}, {"*/*/*/", "rsc.io/quote"}, {"*/*/*,,", "rsc.io/quote"},
		{"*/*/*,,*/quote", "rsc.io/quote"}, {",,*/quote", "rsc.io/quote"},
		{"[a-z]sc.io", "rsc.io/quote"}, {"[^r]sc.io", "rsc.io/quote"}, {"[!r]sc.io", "rsc.io/quote"},
		{`rsc\.io`, "rsc.io/quote"}, {`rsc\`, "rsc.io/quote"}, {"[", "rsc.io/quote"}, {"rsc.io,[", "rsc.io/quote"},
		{"[,rsc.io", "rsc.io/quote"}, {"[]a]", "]"}, {"[-]", "-"}, {"a[b-", "ab"}, {"[a-", "a"}, {"[\\]]", "]"},
		{"[\\-]", "-"}, {"[x-\\]]", "y"}, {"*", "rsc.io/quote"}, {"**", "rsc.io/quote"}, {"*,", "x"},
		{"*.example.com", "git.example.com/x"}, {"*.example.com", "example.com/x"}, {"example.com", "EXAMPLE.com/x"},
		{"RSC.io", "rsc.io/quote"}, {"?sc.io", "rsc.io/x"}, {"rsc.io/?", "rsc.io/x"}, {"rsc.io/?", "rsc.io/xy"},
		{"é.com", "é.com/x"}, {"?.com", "é.com/x"}, {"??.com", "é.com/x"}, {"[é].com", "é.com/x"},
		{"[^a].com", "é.com/x"}, {"[a-z].com", "é.com/x"}, {"*/", "rsc.io"}, {"rsc.io//", "rsc.io/quote"},
		{"rsc.io/quote//", "rsc.io/quote"}, {"rsc.io/quote/v3/extra", "rsc.io/quote/v3"}, {" rsc.io", "rsc.io/quote"},
		{"rsc.io ", "rsc.io/quote"}, {"private.io,rsc.io", "rsc.io/quote"}, {"rsc.io/*,other", "rsc.io/quote"},
		{"a*b*c", "axxbyyc"}, {"a*b*c", "axxbyy/c"}, {"a*", "a/b"}, {"*a", "ba"}, {"[a-c]*", "b/x"},
		{"rsc.io", "rsc.io"}, {"rsc.io", ""}, {"", ""}, {"*", ""}, {"x", "x/"}, {"x/", "x/"},
		{"github.com/org", "github.com/org/repo"}, {"github.com/org/", "github.com/org/repo"},
		{"github.com/org/*", "github.com/org/repo/sub"}, {"github.com/o*", "github.com/org/repo"},
		{"a?[/-0]", "a/0/x"}, {"a*[/-0]", "a/0/x"}, {"a[^x][/-0]", "a/0/x"}, {"a[/-0]*", "a/0/x"},
		{"[]", "x"}, {"[^]x]", "a"}, {"\\*", "*"}, {"a[", "a"}, {"a[", "b"}, {"*[", "ab"}, {"*x[", "ab"},
	}
	for i := 0; i < 400; i++ {
		target := randomString([]string{"a", "b", ".", "/", "x.y", "é", "-", "[", "*"}, 10)
		pairs = append(pairs, [2]string{randomString(globAlphabet, 8), target})
	}
	var cs []vecfile.Case
	for _, p := range pairs {
		cs = append(cs, result(fmt.Sprintf("%q %q", p[0], p[1]), map[string]string{"globs": p[0], "target": p[1]},
			module.MatchPrefixPatterns(p[0], p[1]), nil, ""))
	}
	return cs
}

func pseudoCases() []vecfile.Case {
	vs := []string{
		"v0.0.0-20060102150405-hash", "v1.0.0-20060102150405-hash", "v1.2.4-0.20060102150405-hash",
		"v1.2.3-pre.0.20060102150405-hash", "v1.2.3-pre.0.20060102150405-hash+incompatible",
		"v0.0.0-20060102150405-hash+incompatible", "v1.2.4-0.20060102150405-hash+meta",
		"v1.0.0-0.20060102150405-hash", "v1.1.0-0.20060102150405-hash", "v2.0.0-0.20060102150405-hash",
		"v1.2.10-0.20060102150405-hash", "v1.2.100-0.20060102150405-hash", "v0.0.1-0.20060102150405-hash",
		"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-00000000000000-000000000000", "v2.0.0-00000000000000-000000000000",
		"v0.0.0-20061302150405-hash", "v0.0.0-20060230150405-hash", "v0.0.0-20040229150405-hash",
		"v0.0.0-19000229150405-hash", "v0.0.0-20000229150405-hash", "v0.0.0-20060102240405-hash",
		"v0.0.0-20060102156005-hash", "v0.0.0-20060102150460-hash", "v0.0.0-20060100150405-hash",
		"v0.0.0-2006010215040-hash", "v0.0.0-200601021504050-hash", "v1.2.3", "v1.2.3-pre", "v1.2.3-0",
		"v1.2.3-0.20060102150405", "v1.2.3-pre.1.20060102150405-hash", "bad", "v0.0.0-20060102150405-",
		"v1.0.0-rc1.0.20060102150405-abc", "v1.2.3-20060102150405-hash", "v0.0.0-20060102150405-hash-extra",
		"v1.2.0-0.20060102150405-hash", "v0.0.0-20060102150405-ha_sh",
	}
	var cs []vecfile.Case
	for _, v := range vs {
		cs = append(cs, result("isPseudoVersion "+v, map[string]string{"op": "isPseudoVersion", "v": v}, module.IsPseudoVersion(v), nil, ""))
		rev, err := module.PseudoVersionRev(v)
		cs = append(cs, result("rev "+v, map[string]string{"op": "rev", "v": v}, rev, err, "ERR_MODULE_VERSION_INVALID"))
		t, err := module.PseudoVersionTime(v)
		cs = append(cs, result("time "+v, map[string]string{"op": "time", "v": v}, t.Format(time.RFC3339), err, "ERR_MODULE_VERSION_INVALID"))
		base, err := module.PseudoVersionBase(v)
		cs = append(cs, result("base "+v, map[string]string{"op": "base", "v": v}, base, err, "ERR_MODULE_VERSION_INVALID"))
	}
	return cs
}

// write writes <dir>/<topic>.json in the layout of the committed vectors/module files: one case
// per line, so that diffs stay readable.
func write(dir, topic string, cases []vecfile.Case) {
	vecfile.Write(dir, "module", topic, cases, vecfile.Layout{Indent: " ", CaseLines: true})
}

func main() {
	dir := vecfile.Dir("module")
	paths := uniq(append(append(append([]string{}, goTestPaths...), morePaths()...), randomPaths(400)...))
	write(dir, "check-path", checkPathCases(paths))
	write(dir, "split-path-version", splitCases(paths))
	write(dir, "check", checkCases())
	write(dir, "check-path-major", pathMajorCases())
	esc, unesc := escapeCases(paths)
	write(dir, "escape-path", esc)
	write(dir, "unescape-path", unesc)
	escV, unescV := escapeVersionCases()
	write(dir, "escape-version", escV)
	write(dir, "unescape-version", unescV)
	write(dir, "match-prefix-patterns", matchCases())
	write(dir, "semver", semverCases())
	write(dir, "pseudo", pseudoCases())
}
