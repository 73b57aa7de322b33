// Command note writes vectors/note/*.json: the verdicts of golang.org/x/mod/sumdb/note (key
// parsing, Open, Sign, GenerateKey) and of Go's crypto/ed25519 on hand-made edge cases in the
// spirit of "Taming the many EdDSAs" (small-order and mixed-order points, non-canonical
// encodings, S >= L).
//
// Build and run in GOPATH mode from the repository root, after `npm run vectors` has linked
// .gopath/src/gosumdb.dev/gen to vectors/gen (for the shared package internal/vecfile):
//
//	GO111MODULE=off GOPATH=$PWD/.gopath:/usr/share/gocode go run ./vectors/gen/note [outdir]
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"gosumdb.dev/gen/internal/vecfile"
)

type boolWant bool

func (b boolWant) MarshalJSON() ([]byte, error) { return json.Marshal(bool(b)) }

var (
	b64       = base64.StdEncoding.EncodeToString
	decodeStd = base64.StdEncoding.DecodeString
)

func hexBytes(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// seed returns a deterministic 32-byte seed for test keys.
func seed(label string) []byte {
	h := sha256.Sum256([]byte("gosumdb note vectors " + label))
	return h[:]
}

func keyHash(name string, key []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte("\n"))
	h.Write(key)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// rawVKey encodes a verifier key with any algorithm byte and key bytes (valid hash).
func rawVKey(name string, alg byte, key []byte) string {
	k := append([]byte{alg}, key...)
	return fmt.Sprintf("%s+%08x+%s", name, keyHash(name, k), b64(k))
}

func rawSKey(name string, alg byte, seedBytes []byte) string {
	pub := ed25519.NewKeyFromSeed(seedBytes).Public().(ed25519.PublicKey)
	h := keyHash(name, append([]byte{1}, pub...))
	return fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, h, b64(append([]byte{alg}, seedBytes...)))
}

func keyErrCode(err error) string { return "ERR_KEY_MALFORMED" }

func openErrCode(err error) string {
	var u *note.UnverifiedNoteError
	var inv *note.InvalidSignatureError
	var unk *note.UnknownVerifierError
	switch {
	case errors.As(err, &u):
		return "ERR_NOTE_UNVERIFIED"
	case errors.As(err, &inv):
		return "ERR_NOTE_INVALID_SIGNATURE"
	case errors.As(err, &unk):
		return "ERR_NOTE_UNKNOWN_VERIFIER"
	case strings.HasPrefix(err.Error(), "ambiguous key "):
		return "ERR_NOTE_AMBIGUOUS_VERIFIER"
	case err.Error() == "malformed note":
		return "ERR_NOTE_MALFORMED"
	case err.Error() == "invalid signer":
		return "ERR_NOTE_INVALID_SIGNER"
	}
	panic("unexpected error " + err.Error())
}

// write writes <dir>/<topic>.json in the layout of the committed vectors/note files.
func write(dir, topic string, cases []vecfile.Case) {
	vecfile.Write(dir, "note", topic, cases, vecfile.Layout{Indent: "  ", SortKeys: true})
}

func main() {
	dir := vecfile.Dir("note")
	write(dir, "verifier-keys", verifierKeys())
	write(dir, "signer-keys", signerKeys())
	write(dir, "generate-key", generateKeys())
	write(dir, "ed25519-verifier-key", ed25519VerifierKeys())
	write(dir, "open", openCases())
	write(dir, "open-mutations", openMutationCases())
	write(dir, "sign", signCases())
	write(dir, "ed25519", ed25519Cases())
	write(dir, "ed25519-small-order", ed25519SmallOrderGrid())
	write(dir, "ed25519-sign", ed25519SignCases())
	write(dir, "cosignature", cosignatureCases())
	write(dir, "cosignature-sign", cosignatureSignCases())
}

// ---- keys ----

const (
	peterSKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
	peterVKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
	sumVKey   = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
)

type keyWant struct {
	Name    string `json:"name"`
	KeyHash uint32 `json:"keyHash"`
	// SigB64 is the signer's signature of signedMessage (signer keys only).
	SigB64 string `json:"sigB64,omitempty"`
}

const signedMessage = "hello, world\n"

func verifierKeyInputs() []struct{ name, vkey string } {
	pub := ed25519.NewKeyFromSeed(seed("k1")).Public().(ed25519.PublicKey)
	valid := rawVKey("example.com/k1", 1, pub)
	parts := strings.SplitN(valid, "+", 3)
	upperHash := parts[0] + "+" + strings.ToUpper(parts[1]) + "+" + parts[2]
	wrongHash := fmt.Sprintf("%s+%08x+%s", parts[0], keyHash(parts[0], []byte{1})^1, parts[2])
	k64 := parts[2]
	return []struct{ name, vkey string }{
		{"peter-neumann", peterVKey},
		{"sum.golang.org", sumVKey},
		{"valid", valid},
		{"hash-uppercase-hex", upperHash},
		{"name-unicode", rawVKey("héllo/☺", 1, pub)},
		{"name-zero-width-space-is-not-space", rawVKey("a\u200bb", 1, pub)},
		{"name-with-nbsp", rawVKey("a\u00a0b", 1, pub)},
		{"name-with-em-space", rawVKey("a\u2003b", 1, pub)},
		{"name-with-space", rawVKey("a b", 1, pub)},
		{"name-with-tab", rawVKey("a\tb", 1, pub)},
		{"name-empty", rawVKey("", 1, pub)},
		{"name-with-dash-and-slash", rawVKey("x-y/z_1~", 1, pub)},
		{"wrong-hash", wrongHash},
		{"hash-7-digits", parts[0] + "+" + parts[1][:7] + "+" + k64},
		{"hash-9-digits", parts[0] + "+" + parts[1] + "0+" + k64},
		{"hash-with-0x", parts[0] + "+0x" + parts[1][:6] + "+" + k64},
		{"hash-non-hex", parts[0] + "+" + parts[1][:7] + "g+" + k64},
		{"hash-with-sign", parts[0] + "+-" + parts[1][1:] + "+" + k64},
		{"missing-key", parts[0] + "+" + parts[1]},
		{"missing-key-after-plus", parts[0] + "+" + parts[1] + "+"},
		{"missing-hash", parts[0]},
		{"empty", ""},
		{"key-base64-truncated", parts[0] + "+" + parts[1] + "+" + k64[:len(k64)-1]},
		{"key-base64-unpadded", rawVKey("example.com/k1", 1, pub[:31])[:len(rawVKey("example.com/k1", 1, pub[:31]))-1]},
		{"key-base64-padding-in-middle", parts[0] + "+" + parts[1] + "+AQ==" + k64[4:]},
		{"key-url-base64", parts[0] + "+" + parts[1] + "+" + strings.NewReplacer("+", "-", "/", "_").Replace(k64)},
		{"key-base64-with-newline", parts[0] + "+" + parts[1] + "+" + k64[:8] + "\n" + k64[8:]},
		{"key-base64-with-crlf", parts[0] + "+" + parts[1] + "+" + k64[:8] + "\r\n" + k64[8:]},
		{"key-base64-with-space", parts[0] + "+" + parts[1] + "+" + k64[:8] + " " + k64[8:]},
		{"key-base64-trailing-newline", parts[0] + "+" + parts[1] + "+" + k64 + "\n"},
		{"key-base64-extra-plus", valid + "+"},
		{"alg-2-valid-hash", rawVKey("example.com/k1", 2, pub)},
		{"alg-0-valid-hash", rawVKey("example.com/k1", 0, pub)},
		{"alg-4-cosignature-valid-hash", rawVKey("example.com/k1", 4, pub)},
		{"alg-2-wrong-hash", fmt.Sprintf("example.com/k1+%08x+%s", 1, b64(append([]byte{2}, pub...)))},
		{"ed25519-31-bytes", rawVKey("example.com/k1", 1, pub[:31])},
		{"ed25519-33-bytes", rawVKey("example.com/k1", 1, append(append([]byte{}, pub...), 0))},
		{"ed25519-0-bytes", rawVKey("example.com/k1", 1, nil)},
		{"ed25519-31-bytes-wrong-hash", fmt.Sprintf("example.com/k1+%08x+%s", 7, b64(append([]byte{1}, pub[:31]...)))},
		{"key-only-alg-byte-0", rawVKey("n", 0, nil)},
		{"ed25519-identity-key", rawVKey("small", 1, encode(identPt))},
		{"ed25519-not-on-curve-key", rawVKey("bad", 1, notOnCurve())},
		{"ed25519-noncanonical-key", rawVKey("noncanon", 1, hexBytes("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))},
	}
}

func verifierKeys() []vecfile.Case {
	var out []vecfile.Case
	for _, c := range verifierKeyInputs() {
		v, err := note.NewVerifier(c.vkey)
		input := map[string]string{"vkey": c.vkey}
		if err != nil {
			out = append(out, vecfile.Case{Name: c.name, Input: input, Error: &vecfile.ErrWant{Code: keyErrCode(err), Go: err.Error()}})
			continue
		}
		out = append(out, vecfile.Case{Name: c.name, Input: input, Want: keyWant{Name: v.Name(), KeyHash: v.KeyHash()}})
	}
	return out
}

func signerKeys() []vecfile.Case {
	s1 := seed("s1")
	valid := rawSKey("example.com/s1", 1, s1)
	p := strings.SplitN(valid, "+", 5)
	inputs := []struct{ name, skey string }{
		{"peter-neumann", peterSKey},
		{"valid", valid},
		{"hash-uppercase-hex", strings.Join([]string{p[0], p[1], p[2], strings.ToUpper(p[3]), p[4]}, "+")},
		{"lowercase-private", strings.Join([]string{"private", p[1], p[2], p[3], p[4]}, "+")},
		{"missing-private", strings.Join([]string{p[2], p[3], p[4]}, "+")},
		{"key-only-prefix", "PRIVATE+KEY"},
		{"verifier-key-as-signer", peterVKey},
		{"wrong-hash", strings.Join([]string{p[0], p[1], p[2], "00000000", p[4]}, "+")},
		{"hash-7-digits", strings.Join([]string{p[0], p[1], p[2], p[3][:7], p[4]}, "+")},
		{"name-empty", rawSKey("", 1, s1)},
		{"name-with-space", rawSKey("a b", 1, s1)},
		{"name-with-nbsp", rawSKey("a\u00a0b", 1, s1)},
		{"alg-2", rawSKey("example.com/s1", 2, s1)},
		{"alg-2-wrong-hash", strings.Join([]string{p[0], p[1], p[2], "00000000", b64(append([]byte{2}, s1...))}, "+")},
		{"seed-31-bytes", strings.Join([]string{p[0], p[1], p[2], p[3], b64(append([]byte{1}, s1[:31]...))}, "+")},
		{"seed-64-bytes", strings.Join([]string{p[0], p[1], p[2], p[3], b64(append([]byte{1}, ed25519.NewKeyFromSeed(s1)...))}, "+")},
		{"seed-empty", strings.Join([]string{p[0], p[1], p[2], p[3], ""}, "+")},
		{"seed-base64-truncated", strings.Join([]string{p[0], p[1], p[2], p[3], p[4][:len(p[4])-1]}, "+")},
		{"seed-base64-with-newline", strings.Join([]string{p[0], p[1], p[2], p[3], p[4][:4] + "\n" + p[4][4:]}, "+")},
	}
	for i := 0; i < 6; i++ {
		name := fmt.Sprintf("seed-%d", i)
		inputs = append(inputs, struct{ name, skey string }{"random-" + name, rawSKey("example.org/"+name, 1, seed(name))})
	}
	var out []vecfile.Case
	for _, c := range inputs {
		s, err := note.NewSigner(c.skey)
		input := map[string]string{"skey": c.skey}
		if err != nil {
			out = append(out, vecfile.Case{Name: c.name, Input: input, Error: &vecfile.ErrWant{Code: keyErrCode(err), Go: err.Error()}})
			continue
		}
		sig, err := s.Sign([]byte(signedMessage))
		if err != nil {
			panic(err)
		}
		out = append(out, vecfile.Case{Name: c.name, Input: input, Want: keyWant{Name: s.Name(), KeyHash: s.KeyHash(), SigB64: b64(sig)}})
	}
	return out
}

func generateKeys() []vecfile.Case {
	var out []vecfile.Case
	for i, name := range []string{"example.com/gen", "PeterNeumann", "sum.golang.org", "é/☺"} {
		r := seed(fmt.Sprintf("gen-%d", i))
		skey, vkey, err := note.GenerateKey(bytes.NewReader(r), name)
		if err != nil {
			panic(err)
		}
		out = append(out, vecfile.Case{Name: name, Input: map[string]string{"name": name, "randB64": b64(r)},
			Want: map[string]string{"skey": skey, "vkey": vkey}})
	}
	return out
}

func ed25519VerifierKeys() []vecfile.Case {
	var out []vecfile.Case
	for i, name := range []string{"example.com/pub", "sum.golang.org", "x"} {
		pub := ed25519.NewKeyFromSeed(seed(fmt.Sprintf("pub-%d", i))).Public().(ed25519.PublicKey)
		vkey, err := note.NewEd25519VerifierKey(name, pub)
		if err != nil {
			panic(err)
		}
		out = append(out, vecfile.Case{Name: name, Input: map[string]string{"name": name, "publicKeyB64": b64(pub)}, Want: vkey})
	}
	return out
}

// ---- notes ----

type sigJSON struct {
	Name   string `json:"name"`
	Hash   uint32 `json:"hash"`
	Base64 string `json:"base64"`
}

type noteWant struct {
	Text           string    `json:"text"`
	Sigs           []sigJSON `json:"sigs"`
	UnverifiedSigs []sigJSON `json:"unverifiedSigs"`
}

func sigsJSON(list []note.Signature) []sigJSON {
	out := []sigJSON{}
	for _, s := range list {
		out = append(out, sigJSON{s.Name, s.Hash, s.Base64})
	}
	return out
}

func mustSigner(skey string) note.Signer {
	s, err := note.NewSigner(skey)
	if err != nil {
		panic(err)
	}
	return s
}

func mustSign(text string, signers ...note.Signer) string {
	msg, err := note.Sign(&note.Note{Text: text}, signers...)
	if err != nil {
		panic(err)
	}
	return string(msg)
}

// sigLine returns the signature line of a signer over text ("— name base64\n").
func sigLine(text string, s note.Signer) string {
	msg := mustSign(text, s)
	return msg[len(text)+1:]
}

func rawLine(name string, hash uint32, sig []byte) string {
	var h [4]byte
	binary.BigEndian.PutUint32(h[:], hash)
	return "— " + name + " " + b64(append(h[:], sig...)) + "\n"
}

func openCase(name string, msg string, vkeys []string) vecfile.Case {
	var list []note.Verifier
	for _, k := range vkeys {
		v, err := note.NewVerifier(k)
		if err != nil {
			panic(err)
		}
		list = append(list, v)
	}
	if vkeys == nil {
		vkeys = []string{}
	}
	input := map[string]interface{}{"msgB64": b64([]byte(msg)), "vkeys": vkeys}
	n, err := note.Open([]byte(msg), note.VerifierList(list...))
	if err != nil {
		return vecfile.Case{Name: name, Input: input, Error: &vecfile.ErrWant{Code: openErrCode(err), Go: err.Error()}}
	}
	return vecfile.Case{Name: name, Input: input, Want: noteWant{n.Text, sigsJSON(n.Sigs), sigsJSON(n.UnverifiedSigs)}}
}

func openCases() []vecfile.Case {
	a := mustSigner(rawSKey("example.com/a", 1, seed("a")))
	b := mustSigner(rawSKey("example.com/b", 1, seed("b")))
	aVKey := rawVKey("example.com/a", 1, ed25519.NewKeyFromSeed(seed("a")).Public().(ed25519.PublicKey))
	bVKey := rawVKey("example.com/b", 1, ed25519.NewKeyFromSeed(seed("b")).Public().(ed25519.PublicKey))
	// A key named like a but with another public key: same name, different hash.
	a2VKey := rawVKey("example.com/a", 1, ed25519.NewKeyFromSeed(seed("a2")).Public().(ed25519.PublicKey))
	peterMsg := "If you think cryptography is the answer to your problem,\n" +
		"then you don't know what your problem is.\n" +
		"\n" +
		"— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
	t := "go.sum database tree\n1234\nAbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AAAAA=\n"
	la, lb := sigLine(t, a), sigLine(t, b)
	signed := t + "\n" + la
	var cases []vecfile.Case
	add := func(name, msg string, vkeys ...string) { cases = append(cases, openCase(name, msg, vkeys)) }

	add("peter-neumann", peterMsg, peterVKey)
	add("peter-neumann-unknown", peterMsg, aVKey)
	add("peter-neumann-no-verifiers", peterMsg)
	add("signed-a", signed, aVKey)
	add("signed-a-and-b-both-known", t+"\n"+la+lb, aVKey, bVKey)
	add("signed-a-and-b-only-b-known", t+"\n"+la+lb, bVKey)
	add("signed-a-known-name-wrong-hash", signed, a2VKey)
	add("signed-a-and-b-b-known-a-wrong-hash", t+"\n"+la+lb, a2VKey, bVKey)
	add("known-hash-other-name", strings.Replace(signed, "example.com/a ", "example.com/x ", 1), aVKey, bVKey)
	add("tampered-text", strings.Replace(signed, "1234", "1235", 1), aVKey)
	add("tampered-text-unknown-key", strings.Replace(signed, "1234", "1235", 1), bVKey)
	sigStart := len(t) + 1 + len("— example.com/a ")
	tam := []byte(signed)
	tam[sigStart+10] ^= 1
	if tam[sigStart+10] == '+' || tam[sigStart+10] == '/' || tam[sigStart+10] < '0' {
		tam[sigStart+10] = 'A'
	}
	add("tampered-signature", string(tam), aVKey)
	add("invalid-then-valid-by-other-key", t+"\n"+rawLine("example.com/a", a.KeyHash(), make([]byte, 64))+lb, aVKey, bVKey)
	add("valid-then-invalid-by-other-key", t+"\n"+lb+rawLine("example.com/a", a.KeyHash(), make([]byte, 64)), aVKey, bVKey)
	add("signature-5-bytes-known-key", t+"\n"+rawLine("example.com/a", a.KeyHash(), []byte{1}), aVKey)
	add("signature-4-bytes", t+"\n"+rawLine("example.com/a", a.KeyHash(), nil), aVKey)
	add("signature-65-bytes-known-key", t+"\n"+rawLine("example.com/a", a.KeyHash(), make([]byte, 65)), aVKey)
	add("signature-5-bytes-unknown-key", t+"\n"+rawLine("example.com/z", 1, []byte{1})+la, aVKey)
	add("duplicate-identical-known", t+"\n"+la+la, aVKey)
	add("duplicate-known-second-invalid-ignored", t+"\n"+la+rawLine("example.com/a", a.KeyHash(), make([]byte, 64)), aVKey)
	add("duplicate-known-first-invalid", t+"\n"+rawLine("example.com/a", a.KeyHash(), make([]byte, 64))+la, aVKey)
	add("duplicate-identical-unknown-dropped", t+"\n"+lb+lb+la, aVKey)
	add("duplicate-unknown-different-bytes-kept", t+"\n"+lb+rawLine("example.com/b", b.KeyHash(), make([]byte, 64))+la, aVKey)
	add("ambiguous-known-key", signed, aVKey, aVKey)
	add("ambiguous-key-not-used", t+"\n"+lb, aVKey, aVKey, bVKey)
	add("no-final-newline", strings.TrimSuffix(signed, "\n"), aVKey)
	add("no-blank-line", t+la, aVKey)
	add("only-text", t, aVKey)
	add("empty", "", aVKey)
	add("only-blank-line", "\n\n", aVKey)
	add("trailing-blank-line", signed+"\n", aVKey)
	add("signature-then-text-line", signed+"hello\n", aVKey)
	add("blank-line-inside-signatures", t+"\n"+la+"\n"+lb, aVKey, bVKey)
	add("blank-lines-in-text", mustSign("a\n\nb\n\n\nc\n", a), aVKey)
	add("text-just-newline", mustSign("\n", a), aVKey)
	add("text-with-bom", mustSign("\ufeffhello\n", a), aVKey)
	add("text-with-replacement-char", mustSign("x\ufffdy\n", a), aVKey)
	add("text-with-del", mustSign("x\x7fy\n", a), aVKey)
	add("text-with-c1-control", mustSign("x\u0085y\u009fz\n", a), aVKey)
	add("text-with-line-separator", mustSign("x\u2028y\n", a), aVKey)
	add("text-with-emoji", mustSign("☺ \U0001F600\n", a), aVKey)
	for _, c := range []struct {
		name string
		ch   string
	}{{"nul", "\x00"}, {"tab", "\t"}, {"cr", "\r"}, {"escape", "\x1b"}, {"unit-separator", "\x1f"}} {
		add("text-with-"+c.name, mustSign("x"+c.ch+"y\n", a), aVKey)
	}
	add("crlf-line-endings", strings.ReplaceAll(signed, "\n", "\r\n"), aVKey)
	for _, c := range []struct{ name, bad string }{
		{"invalid-utf8-byte", "\xff"},
		{"truncated-utf8", "\xe2\x80"},
		{"overlong-slash", "\xc0\xaf"},
		{"encoded-surrogate", "\xed\xa0\x80"},
		{"above-max-rune", "\xf4\x90\x80\x80"},
		{"lone-continuation", "\x80"},
	} {
		add("text-"+c.name, mustSign("x"+c.bad+"y\n", a), aVKey)
		add("unknown-sig-name-"+c.name, signed+rawLine("z"+c.bad, 1, make([]byte, 64)), aVKey)
	}
	add("sig-prefix-hyphen", t+"\n"+"-"+la[len("—"):], aVKey)
	add("sig-prefix-no-space", t+"\n"+"—"+la[len("— "):], aVKey)
	add("sig-prefix-two-spaces", t+"\n"+"— "+la, aVKey)
	add("sig-prefix-en-dash", t+"\n"+"–"+la[len("—"):], aVKey)
	add("sig-name-missing", t+"\n"+"— "+la[len("— example.com/a "):], aVKey)
	add("sig-base64-missing", t+"\n"+"— example.com/a\n", aVKey)
	add("sig-base64-empty", t+"\n"+"— example.com/a \n", aVKey)
	add("sig-two-spaces-before-base64", t+"\n"+strings.Replace(la, "a ", "a  ", 1), aVKey)
	add("sig-trailing-space", t+"\n"+strings.TrimSuffix(la, "\n")+" \n", aVKey)
	add("sig-trailing-text", t+"\n"+strings.TrimSuffix(la, "\n")+" x\n", aVKey)
	add("sig-unpadded-base64", t+"\n"+strings.TrimRight(strings.TrimSuffix(la, "\n"), "=")+"\n", aVKey)
	add("sig-url-base64", t+"\n"+strings.NewReplacer("+", "-", "/", "_").Replace(la), aVKey)
	add("sig-name-with-plus", t+"\n"+strings.Replace(la, "example.com/a", "example.com+a", 1), aVKey)
	add("sig-name-with-nbsp", signed+rawLine("x\u00a0y", 1, make([]byte, 64)), aVKey)
	add("sig-name-with-ideographic-space", signed+rawLine("x\u3000y", 1, make([]byte, 64)), aVKey)
	add("sig-name-with-zero-width-space", signed+rawLine("x\u200by", 1, make([]byte, 64)), aVKey)
	// Base64 of 68 bytes ends in "==": flipping the last data character's low bits gives a
	// non-canonical encoding that Go's non-strict decoder accepts (same bytes).
	add("sig-base64-nonzero-padding-bits", t+"\n"+nonZeroPadding(la), aVKey)
	// Signature counts: Go accepts at most 100 signature lines.
	var hundred, hundredOne strings.Builder
	hundred.WriteString(t + "\n" + la)
	for i := 1; i < 100; i++ {
		hundred.WriteString(rawLine(fmt.Sprintf("w%d", i), uint32(i), make([]byte, 64)))
	}
	add("100-signatures", hundred.String(), aVKey)
	hundredOne.WriteString(hundred.String())
	hundredOne.WriteString(rawLine("w100", 100, make([]byte, 64)))
	add("101-signatures", hundredOne.String(), aVKey)
	var dup101 strings.Builder
	dup101.WriteString(t + "\n")
	for i := 0; i < 101; i++ {
		dup101.WriteString(la)
	}
	add("101-identical-signatures", dup101.String(), aVKey)
	var badFirst strings.Builder
	badFirst.WriteString(t + "\n" + rawLine("example.com/a", a.KeyHash(), make([]byte, 64)))
	for i := 1; i < 101; i++ {
		badFirst.WriteString(rawLine(fmt.Sprintf("w%d", i), uint32(i), make([]byte, 64)))
	}
	add("101-signatures-first-invalid", badFirst.String(), aVKey)
	var malformedLast strings.Builder
	malformedLast.WriteString(t + "\n" + rawLine("example.com/a", a.KeyHash(), make([]byte, 64)) + "— bad\n")
	add("invalid-signature-before-malformed-line", malformedLast.String(), aVKey)
	add("malformed-line-before-invalid-signature", t+"\n"+"— bad\n"+rawLine("example.com/a", a.KeyHash(), make([]byte, 64)), aVKey)

	// Ed25519 edge cases at the note level.
	idKey := rawVKey("small", 1, encode(identPt))
	nt := "small-order key\n"
	add("identity-key-any-signature-with-R-equal-SB", nt+"\n"+rawLine("small", keyHash("small", append([]byte{1}, encode(identPt)...)), append(encode(identPt), make([]byte, 32)...)), idKey)
	ncKey := hexBytes("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	ncVKey := rawVKey("noncanon", 1, ncKey)
	add("noncanonical-identity-key", nt+"\n"+rawLine("noncanon", keyHash("noncanon", append([]byte{1}, ncKey...)), append(encode(identPt), make([]byte, 32)...)), ncVKey)
	sL := le32(orderL)
	add("identity-key-S-equal-L", nt+"\n"+rawLine("small", keyHash("small", append([]byte{1}, encode(identPt)...)), append(encode(identPt), sL...)), idKey)
	return cases
}

// openMutationCases applies seeded random edits (insert, delete, replace with bytes that matter
// to the format) to a note signed by two known keys and one unknown key, and records Go's verdict.
func openMutationCases() []vecfile.Case {
	a := mustSigner(rawSKey("example.com/a", 1, seed("a")))
	b := mustSigner(rawSKey("example.com/b", 1, seed("b")))
	c := mustSigner(rawSKey("example.com/c", 1, seed("c")))
	aVKey := rawVKey("example.com/a", 1, ed25519.NewKeyFromSeed(seed("a")).Public().(ed25519.PublicKey))
	bVKey := rawVKey("example.com/b", 1, ed25519.NewKeyFromSeed(seed("b")).Public().(ed25519.PublicKey))
	base := []byte(mustSign("go.sum database tree\n77\nAbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AAAAA=\n\nx\n", a, b, c))
	pieces := [][]byte{[]byte("\n"), []byte(" "), []byte("—"), []byte("— "), []byte("+"), []byte("="), []byte("A"), []byte("/"),
		{0}, {0xff}, []byte("\r"), []byte("\t"), {0xe2}, {0x80}, []byte("\u00a0"), []byte("\n\n"), []byte("é")}
	r := uint64(12345)
	next := func(n int) int {
		r = r*6364136223846793005 + 1442695040888963407
		return int((r >> 33) % uint64(n))
	}
	var out []vecfile.Case
	for i := 0; i < 400; i++ {
		m := append([]byte(nil), base...)
		for e := 0; e <= next(3); e++ {
			at := next(len(m) + 1)
			if i%2 == 1 {
				// Gentle edits: one printable byte replaced, which keeps most notes well-formed.
				if at < len(m) && m[at] < 0x80 && m[at] != '\n' && m[at] != ' ' {
					m[at] = "AQw+/=x9"[next(8)]
				}
				continue
			}
			switch next(3) {
			case 0:
				p := pieces[next(len(pieces))]
				m = append(m[:at], append(append([]byte(nil), p...), m[at:]...)...)
			case 1:
				if at < len(m) {
					m = append(m[:at], m[at+1:]...)
				}
			case 2:
				if at < len(m) {
					m[at] = pieces[next(len(pieces))][0]
				}
			}
		}
		out = append(out, openCase(fmt.Sprintf("mutation-%d", i), string(m), []string{aVKey, bVKey}))
	}
	return out
}

// nonZeroPadding rewrites a signature line so the base64 text decodes to the same bytes but has
// non-zero unused bits before the "=" padding.
func nonZeroPadding(line string) string {
	s := strings.TrimSuffix(line, "\n")
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	pad := len(s) - len(strings.TrimRight(s, "="))
	if pad == 0 {
		panic("signature base64 has no padding")
	}
	i := len(s) - pad - 1
	v := strings.IndexByte(alphabet, s[i])
	v |= 1
	return s[:i] + string(alphabet[v]) + s[i+1:] + "\n"
}

func signCases() []vecfile.Case {
	a := rawSKey("example.com/a", 1, seed("a"))
	b := rawSKey("example.com/b", 1, seed("b"))
	sa, sb := mustSigner(a), mustSigner(b)
	t := "go.sum database tree\n5\nAbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AAAAA=\n"
	la := sigLine(t, sa)
	lb := sigLine(t, sb)
	parse := func(line string) sigJSON {
		line = strings.TrimSuffix(strings.TrimPrefix(line, "— "), "\n")
		i := strings.IndexByte(line, ' ')
		raw, _ := base64.StdEncoding.DecodeString(line[i+1:])
		return sigJSON{line[:i], binary.BigEndian.Uint32(raw), line[i+1:]}
	}
	other := sigJSON{"example.com/other", 0x01020304, b64(append([]byte{1, 2, 3, 4}, make([]byte, 64)...))}
	type signInput struct {
		Text           string    `json:"text"`
		Sigs           []sigJSON `json:"sigs"`
		UnverifiedSigs []sigJSON `json:"unverifiedSigs"`
		SKeys          []string  `json:"skeys"`
	}
	cases := []struct {
		name string
		in   signInput
	}{
		{"one-signer", signInput{Text: t, SKeys: []string{a}}},
		{"two-signers", signInput{Text: t, SKeys: []string{a, b}}},
		{"two-signers-reversed", signInput{Text: t, SKeys: []string{b, a}}},
		{"peter-neumann", signInput{Text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n", SKeys: []string{peterSKey}}},
		{"no-signers", signInput{Text: t}},
		{"no-signers-keeps-existing", signInput{Text: t, Sigs: []sigJSON{parse(la)}, UnverifiedSigs: []sigJSON{other}}},
		{"existing-then-new", signInput{Text: t, Sigs: []sigJSON{parse(la)}, SKeys: []string{b}}},
		{"existing-replaced-by-same-key", signInput{Text: t, Sigs: []sigJSON{parse(la), parse(lb)}, SKeys: []string{a}}},
		{"unverified-replaced-by-same-key", signInput{Text: t, UnverifiedSigs: []sigJSON{parse(lb), other}, SKeys: []string{b}}},
		{"duplicate-signer", signInput{Text: t, SKeys: []string{a, a}}},
		{"text-not-ending-in-newline", signInput{Text: "hello", SKeys: []string{a}}},
		{"empty-text", signInput{Text: "", SKeys: []string{a}}},
		{"text-newline-only", signInput{Text: "\n", SKeys: []string{a}}},
		{"text-with-blank-lines", signInput{Text: "a\n\nb\n", SKeys: []string{a}}},
		{"text-unicode", signInput{Text: "é ☺ \U0001F600\n", SKeys: []string{a}}},
		{"existing-sig-hash-mismatch", signInput{Text: t, Sigs: []sigJSON{{other.Name, 0x01020305, other.Base64}}, SKeys: []string{a}}},
		{"existing-sig-bad-base64", signInput{Text: t, Sigs: []sigJSON{{other.Name, other.Hash, "!!!!"}}, SKeys: []string{a}}},
		{"existing-sig-short", signInput{Text: t, Sigs: []sigJSON{{other.Name, 0x010203, b64([]byte{1, 2, 3})}}, SKeys: []string{a}}},
		{"existing-sig-exactly-4-bytes", signInput{Text: t, Sigs: []sigJSON{{other.Name, other.Hash, b64([]byte{1, 2, 3, 4})}}}},
		{"existing-sig-invalid-name", signInput{Text: t, Sigs: []sigJSON{{"a b", other.Hash, other.Base64}}, SKeys: []string{a}}},
		{"existing-sig-empty-name", signInput{Text: t, UnverifiedSigs: []sigJSON{{"", other.Hash, other.Base64}}}},
	}
	var out []vecfile.Case
	for _, c := range cases {
		n := &note.Note{Text: c.in.Text}
		for _, s := range c.in.Sigs {
			n.Sigs = append(n.Sigs, note.Signature{Name: s.Name, Hash: s.Hash, Base64: s.Base64})
		}
		for _, s := range c.in.UnverifiedSigs {
			n.UnverifiedSigs = append(n.UnverifiedSigs, note.Signature{Name: s.Name, Hash: s.Hash, Base64: s.Base64})
		}
		var signers []note.Signer
		for _, k := range c.in.SKeys {
			signers = append(signers, mustSigner(k))
		}
		if c.in.Sigs == nil {
			c.in.Sigs = []sigJSON{}
		}
		if c.in.UnverifiedSigs == nil {
			c.in.UnverifiedSigs = []sigJSON{}
		}
		if c.in.SKeys == nil {
			c.in.SKeys = []string{}
		}
		msg, err := note.Sign(n, signers...)
		if err != nil {
			out = append(out, vecfile.Case{Name: c.name, Input: c.in, Error: &vecfile.ErrWant{Code: openErrCode(err), Go: err.Error()}})
			continue
		}
		out = append(out, vecfile.Case{Name: c.name, Input: c.in, Want: map[string]string{"msgB64": b64(msg)}})
	}
	return out
}

// ---- Ed25519 ----

type edInput struct {
	PublicKeyB64 string `json:"publicKeyB64"`
	MessageB64   string `json:"messageB64"`
	SignatureB64 string `json:"signatureB64"`
}

func notOnCurve() []byte {
	for y := int64(2); ; y++ {
		b := le32(big.NewInt(y))
		if _, ok := decode(b); !ok {
			return b
		}
	}
}

// smallOrderEncodings lists encodings of the eight small-order points plus non-canonical
// encodings (y >= p, or x = 0 with the sign bit set) that decode to small-order points.
func smallOrderEncodings() [][]byte {
	var out [][]byte
	seen := map[string]bool{}
	addEnc := func(b []byte) {
		if p, ok := decode(b); ok && order(p) > 0 && !seen[string(b)] {
			seen[string(b)] = true
			out = append(out, b)
		}
	}
	// The canonical ones: multiples of an order-8 point.
	t8 := mustDecode(hexBytes("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"))
	if order(t8) != 8 {
		panic("not an order-8 point")
	}
	q := identPt
	for i := 0; i < 8; i++ {
		addEnc(encode(q))
		q = add(q, t8)
	}
	// Non-canonical: y + p for y < 19, with and without the sign bit.
	for y := int64(0); y < 19; y++ {
		v := new(big.Int).Add(fieldP, big.NewInt(y))
		b := le32(v)
		addEnc(b)
		c := append([]byte(nil), b...)
		c[31] |= 0x80
		addEnc(c)
	}
	// x = 0 with the sign bit set ("negative zero"): y = 1 and y = -1.
	for _, y := range []*big.Int{big.NewInt(1), new(big.Int).Sub(fieldP, big.NewInt(1))} {
		b := le32(y)
		b[31] |= 0x80
		addEnc(b)
	}
	return out
}

func edCase(name string, pub, msg, sig []byte) vecfile.Case {
	in := edInput{b64(pub), b64(msg), b64(sig)}
	return vecfile.Case{Name: name, Input: in, Want: boolWant(ed25519.Verify(pub, msg, sig))}
}

func ed25519Cases() []vecfile.Case {
	var out []vecfile.Case
	addCase := func(c vecfile.Case) { out = append(out, c) }
	// Honest signatures and their tampered forms.
	msgs := [][]byte{nil, []byte("x"), []byte(signedMessage), bytes.Repeat([]byte{0xab}, 1000)}
	for i := 0; i < 8; i++ {
		sd := seed(fmt.Sprintf("ed-%d", i))
		priv := ed25519.NewKeyFromSeed(sd)
		pub := priv.Public().(ed25519.PublicKey)
		m := msgs[i%len(msgs)]
		sig := ed25519.Sign(priv, m)
		addCase(edCase(fmt.Sprintf("honest-%d", i), pub, m, sig))
		if i >= 4 {
			continue
		}
		bad := append([]byte(nil), sig...)
		bad[0] ^= 1
		addCase(edCase(fmt.Sprintf("honest-%d-R-flipped", i), pub, m, bad))
		bad = append([]byte(nil), sig...)
		bad[40] ^= 1
		addCase(edCase(fmt.Sprintf("honest-%d-S-flipped", i), pub, m, bad))
		addCase(edCase(fmt.Sprintf("honest-%d-message-changed", i), pub, append(append([]byte{}, m...), 0), sig))
		badPub := append([]byte(nil), pub...)
		badPub[3] ^= 4
		addCase(edCase(fmt.Sprintf("honest-%d-key-changed", i), badPub, m, sig))
		addCase(edCase(fmt.Sprintf("honest-%d-short-signature", i), pub, m, sig[:63]))
		addCase(edCase(fmt.Sprintf("honest-%d-long-signature", i), pub, m, append(append([]byte{}, sig...), 0)))
		// Non-canonical S: S + L is congruent but must be rejected.
		S := leInt(sig[32:])
		sPlusL := append(append([]byte{}, sig[:32]...), le32(new(big.Int).Add(S, orderL))...)
		addCase(edCase(fmt.Sprintf("honest-%d-S-plus-L", i), pub, m, sPlusL))
		high := append([]byte(nil), sig...)
		high[63] |= 0x80
		addCase(edCase(fmt.Sprintf("honest-%d-S-high-bit", i), pub, m, high))
		// Mixed-order R: R + T8 with the same S; a cofactored verifier accepts, Go must not.
		t8 := mustDecode(hexBytes("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"))
		R := mustDecode(sig[:32])
		mixedR := encode(add(R, t8))
		a := scalarOf(sd)
		k := challenge(mixedR, pub, m)
		r := new(big.Int).Mod(new(big.Int).Sub(leInt(sig[32:]), new(big.Int).Mul(challenge(sig[:32], pub, m), a)), orderL)
		S2 := new(big.Int).Mod(new(big.Int).Add(r, new(big.Int).Mul(k, a)), orderL)
		addCase(edCase(fmt.Sprintf("honest-%d-mixed-order-R", i), pub, m, append(mixedR, le32(S2)...)))
	}

	// The identity key: [k]A is the identity, so R = [S]B verifies for every S < L.
	id := encode(identPt)
	for _, s := range []*big.Int{big.NewInt(0), big.NewInt(1), new(big.Int).Sub(orderL, big.NewInt(1)), leInt(seed("s"))} {
		s = new(big.Int).Mod(s, orderL)
		addCase(edCase("identity-key-S-"+shortInt(s), id, []byte("m"), append(encode(mul(s, basePt)), le32(s)...)))
	}
	addCase(edCase("identity-key-S-equal-L", id, []byte("m"), append(encode(identPt), le32(orderL)...)))
	addCase(edCase("identity-key-S-L-plus-1", id, []byte("m"), append(encode(basePt), le32(new(big.Int).Add(orderL, big.NewInt(1)))...)))
	// Non-canonical R for the identity: only the canonical encoding of [S]B is accepted.
	for _, r := range smallOrderEncodings() {
		p := mustDecode(r)
		if equal(p, identPt) && !bytes.Equal(r, id) {
			addCase(edCase("identity-key-noncanonical-R-"+hex.EncodeToString(r[:1])+hex.EncodeToString(r[31:]), id, []byte("m"), append(append([]byte{}, r...), make([]byte, 32)...)))
		}
	}

	// Every small-order key, canonical or not: one signature Go accepts (found by searching
	// messages so that k = j mod order(A) for R = [S]B - [j]A), and R = [S]B with k != 0 mod order.
	for n, enc := range smallOrderEncodings() {
		A := mustDecode(enc)
		ord := order(A)
		S := new(big.Int).Mod(leInt(seed(fmt.Sprintf("small-S-%d", n))), orderL)
		SB := mul(S, basePt)
		label := fmt.Sprintf("small-order-key-%d-order-%d-%s", n, ord, hex.EncodeToString(enc[:1])+"-"+hex.EncodeToString(enc[31:]))
		foundTrue, foundFalse := false, false
		for ctr := 0; ctr < 1000 && !(foundTrue && foundFalse); ctr++ {
			m := []byte(fmt.Sprintf("message %d", ctr))
			for j := 0; j < ord; j++ {
				R := encode(add(SB, neg(mul(big.NewInt(int64(j)), A))))
				k := challenge(R, enc, m)
				ok := new(big.Int).Mod(k, big.NewInt(int64(ord))).Int64() == int64(j)
				if ok && !foundTrue {
					foundTrue = true
					addCase(edCase(label+"-accepted", enc, m, append(R, le32(S)...)))
				}
				if !ok && j == 0 && !foundFalse && ord > 1 {
					foundFalse = true
					addCase(edCase(label+"-cofactored-only", enc, m, append(R, le32(S)...)))
				}
			}
		}
	}

	// Mixed-order keys A = [a]B + T (T of order 8): honest-looking signatures with S = r + k a
	// verify with Go only when k = 0 mod 8.
	t8 := mustDecode(hexBytes("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"))
	for n := 0; n < 2; n++ {
		a := new(big.Int).Mod(leInt(seed(fmt.Sprintf("mixed-a-%d", n))), orderL)
		A := encode(add(mul(a, basePt), t8))
		r := new(big.Int).Mod(leInt(seed(fmt.Sprintf("mixed-r-%d", n))), orderL)
		R := encode(mul(r, basePt))
		foundTrue, foundFalse := false, false
		for ctr := 0; ctr < 2000 && !(foundTrue && foundFalse); ctr++ {
			m := []byte(fmt.Sprintf("mixed %d", ctr))
			k := challenge(R, A, m)
			S := new(big.Int).Mod(new(big.Int).Add(r, new(big.Int).Mul(k, a)), orderL)
			zero := new(big.Int).Mod(k, big.NewInt(8)).Sign() == 0
			if zero && !foundTrue {
				foundTrue = true
				addCase(edCase(fmt.Sprintf("mixed-order-key-%d-k-0-mod-8", n), A, m, append(append([]byte{}, R...), le32(S)...)))
			}
			if !zero && !foundFalse {
				foundFalse = true
				addCase(edCase(fmt.Sprintf("mixed-order-key-%d-k-nonzero-mod-8", n), A, m, append(append([]byte{}, R...), le32(S)...)))
			}
		}
	}

	// Keys and R values that are not points.
	bad := notOnCurve()
	sd := seed("ed-0")
	priv := ed25519.NewKeyFromSeed(sd)
	pub := priv.Public().(ed25519.PublicKey)
	sig := ed25519.Sign(priv, []byte("m"))
	addCase(edCase("key-not-on-curve", bad, []byte("m"), sig))
	addCase(edCase("R-not-on-curve", pub, []byte("m"), append(append([]byte{}, bad...), sig[32:]...)))
	addCase(edCase("all-zero-signature", pub, []byte("m"), make([]byte, 64)))
	addCase(edCase("all-ff-key", bytes.Repeat([]byte{0xff}, 32), []byte("m"), sig))
	// Non-canonical keys of large order (y + p for small y that is a point of large order).
	for y := int64(2); y < 19; y++ {
		b := le32(new(big.Int).Add(fieldP, big.NewInt(y)))
		if p, ok := decode(b); ok && order(p) == 0 {
			addCase(edCase(fmt.Sprintf("noncanonical-large-order-key-y-%d", y), b, []byte("m"), sig))
		}
	}
	return out
}

// ed25519SmallOrderGrid pairs every small-order key encoding with every small-order R encoding
// (canonical or not), with S = 0 and a random S, and with mixed-order keys [a]B + T for T of each
// small order: the combinations where cofactored, cofactorless and ZIP-215 verifiers part ways.
func ed25519SmallOrderGrid() []vecfile.Case {
	var out []vecfile.Case
	encs := smallOrderEncodings()
	S := new(big.Int).Mod(leInt(seed("grid-S")), orderL)
	for i, a := range encs {
		for j, r := range encs {
			for _, s := range []*big.Int{big.NewInt(0), S} {
				m := []byte(fmt.Sprintf("grid %d %d", i, j))
				out = append(out, edCase(fmt.Sprintf("A%d-R%d-S%s", i, j, shortInt(s)), a, m, append(append([]byte{}, r...), le32(s)...)))
			}
		}
	}
	// Mixed-order keys A = [a]B + T: an honest-style signature (R = [r]B, S = r + k·a) verifies
	// with Go only when [k mod L]T is the identity; a cofactored verifier always accepts it.
	for j, t := range encs {
		T := mustDecode(t)
		a := new(big.Int).Mod(leInt(seed(fmt.Sprintf("grid-a-%d", j))), orderL)
		A := encode(add(mul(a, basePt), T))
		for n := 0; n < 4; n++ {
			m := []byte(fmt.Sprintf("mixed grid %d %d", j, n))
			r := new(big.Int).Mod(leInt(seed(fmt.Sprintf("grid-r-%d-%d", j, n))), orderL)
			R := encode(mul(r, basePt))
			k := challenge(R, A, m)
			Sv := new(big.Int).Mod(new(big.Int).Add(r, new(big.Int).Mul(k, a)), orderL)
			out = append(out, edCase(fmt.Sprintf("mixed-T%d-%d", j, n), A, m, append(append([]byte{}, R...), le32(Sv)...)))
			// R' = R + [k]T with k taken from R: Go accepts only when the new challenge k' has
			// [k']T = [k]T. Either way the case records Go's verdict.
			R2 := encode(add(mul(r, basePt), mul(k, T)))
			k2 := challenge(R2, A, m)
			S2 := new(big.Int).Mod(new(big.Int).Add(r, new(big.Int).Mul(k2, a)), orderL)
			out = append(out, edCase(fmt.Sprintf("mixed-T%d-%d-R-plus-kT", j, n), A, m, append(append([]byte{}, R2...), le32(S2)...)))
		}
	}
	return out
}

func shortInt(n *big.Int) string {
	s := n.String()
	if len(s) > 12 {
		return s[:6] + "..." + s[len(s)-3:]
	}
	return s
}

func ed25519SignCases() []vecfile.Case {
	var out []vecfile.Case
	msgs := [][]byte{nil, []byte("x"), []byte(signedMessage), bytes.Repeat([]byte{0x5a}, 300)}
	seeds := [][]byte{make([]byte, 32), bytes.Repeat([]byte{0xff}, 32), seed("sign-0"), seed("sign-1")}
	for i, sd := range seeds {
		for j, m := range msgs {
			priv := ed25519.NewKeyFromSeed(sd)
			out = append(out, vecfile.Case{
				Name:  fmt.Sprintf("seed-%d-message-%d", i, j),
				Input: map[string]string{"seedB64": b64(sd), "messageB64": b64(m)},
				Want:  map[string]string{"publicKeyB64": b64(priv.Public().(ed25519.PublicKey)), "signatureB64": b64(ed25519.Sign(priv, m))},
			})
		}
	}
	return out
}
