package main

// C2SP tlog-cosignature v1 (https://c2sp.org/tlog-cosignature): x/mod v0.7.0 has no cosignature
// support, so this file implements the spec's Ed25519 cosigner as a note.Verifier / note.Signer
// and lets golang.org/x/mod/sumdb/note.Open and note.Sign do the rest. Policy beyond the spec:
// timestamps above 2^53-1 (far in the future) are rejected, which the spec allows.

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"gosumdb.dev/gen/internal/vecfile"
)

const algCosignatureV1 = 4

type cosigner struct {
	name string
	hash uint32
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
	time uint64
}

func (c *cosigner) Name() string    { return c.name }
func (c *cosigner) KeyHash() uint32 { return c.hash }

func cosignedMessage(t uint64, msg []byte) []byte {
	return append([]byte("cosignature/v1\ntime "+strconv.FormatUint(t, 10)+"\n"), msg...)
}

func (c *cosigner) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	if t > 1<<53-1 {
		return false
	}
	return ed25519.Verify(c.pub, cosignedMessage(t, msg), sig[8:])
}

func (c *cosigner) Sign(msg []byte) ([]byte, error) {
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], c.time)
	return append(ts[:], ed25519.Sign(c.priv, cosignedMessage(c.time, msg))...), nil
}

func newCosigner(name, label string, t uint64) *cosigner {
	priv := ed25519.NewKeyFromSeed(seed(label))
	pub := priv.Public().(ed25519.PublicKey)
	return &cosigner{name: name, hash: keyHash(name, append([]byte{algCosignatureV1}, pub...)), pub: pub, priv: priv, time: t}
}

func (c *cosigner) vkey() string { return rawVKey(c.name, algCosignatureV1, c.pub) }

func (c *cosigner) skey() string {
	return fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", c.name, c.hash, b64(append([]byte{algCosignatureV1}, c.priv.Seed()...)))
}

// parseCosignerVKey is the spec's vkey form for cosigners: name+hash+base64(0x04 || key).
func parseCosignerVKey(vkey string) (*cosigner, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 || len(parts[1]) != 8 {
		return nil, fmt.Errorf("malformed verifier id")
	}
	raw, err := decodeStd(parts[2])
	if err != nil || len(raw) != 33 || raw[0] != algCosignatureV1 {
		return nil, fmt.Errorf("malformed verifier id")
	}
	h, err := strconv.ParseUint(parts[1], 16, 32)
	if err != nil || uint32(h) != keyHash(parts[0], raw) {
		return nil, fmt.Errorf("invalid verifier hash")
	}
	return &cosigner{name: parts[0], hash: uint32(h), pub: raw[1:]}, nil
}

type cosigWant struct {
	noteWant
	// Timestamps has one entry per verified signature: the cosignature time, or null.
	Timestamps []*uint64 `json:"timestamps"`
}

func cosignatureCases() []vecfile.Case {
	log := mustSigner(rawSKey("example.com/log", 1, seed("log")))
	logVKey := rawVKey("example.com/log", 1, ed25519.NewKeyFromSeed(seed("log")).Public().(ed25519.PublicKey))
	w1 := newCosigner("witness.example.com/w1", "w1", 1679315147)
	w2 := newCosigner("witness.example.com/w2", "w2", 1700000000)
	w3 := newCosigner("witness.example.com/w3", "w3", 0)
	wMax := newCosigner("witness.example.com/max", "wmax", 1<<53-1)
	wTooBig := newCosigner("witness.example.com/big", "wbig", 1<<53)
	wHuge := newCosigner("witness.example.com/huge", "whuge", 1<<63)
	cp := "example.com/log\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	cpExt := cp + "extension line\n"
	sign := func(text string, s ...note.Signer) string { return mustSign(text, s...) }
	// Same witness key, but listed as a plain Ed25519 key: a different key hash, so unknown.
	w1AsEd := rawVKey(w1.name, 1, w1.pub)
	tampered := func(msg string, w *cosigner) string {
		i := strings.Index(msg, "— "+w.name+" ")
		lineEnd := i + strings.Index(msg[i:], "\n")
		b64part := msg[i+len("— "+w.name+" ") : lineEnd]
		raw, _ := decodeStd(b64part)
		raw[11] ^= 1 // last timestamp byte
		return msg[:i] + "— " + w.name + " " + b64(raw) + msg[lineEnd:]
	}
	type in struct {
		name    string
		msg     string
		vkeys   []string
		cosigns []*cosigner
	}
	all := sign(cp, log, w1, w2, w3)
	cases := []in{
		{"log-and-one-witness", sign(cp, log, w1), []string{logVKey}, []*cosigner{w1}},
		{"log-and-three-witnesses", all, []string{logVKey}, []*cosigner{w1, w2, w3}},
		{"log-known-witnesses-unknown", all, []string{logVKey}, nil},
		{"witnesses-only-known", all, nil, []*cosigner{w1, w2}},
		{"witness-key-as-ed25519-key-is-unknown", all, []string{logVKey, w1AsEd}, nil},
		{"witness-timestamp-zero", sign(cp, log, w3), []string{logVKey}, []*cosigner{w3}},
		{"witness-timestamp-max-safe", sign(cp, log, wMax), []string{logVKey}, []*cosigner{wMax}},
		{"witness-timestamp-above-max-safe", sign(cp, log, wTooBig), []string{logVKey}, []*cosigner{wTooBig}},
		{"witness-timestamp-above-2^63", sign(cp, log, wHuge), []string{logVKey}, []*cosigner{wHuge}},
		{"tampered-timestamp", tampered(sign(cp, log, w1), w1), []string{logVKey}, []*cosigner{w1}},
		{"tampered-timestamp-unknown-witness", tampered(sign(cp, log, w1), w1), []string{logVKey}, []*cosigner{w2}},
		{"checkpoint-with-extension-line", sign(cpExt, log, w1), []string{logVKey}, []*cosigner{w1}},
		{"cosignature-over-other-checkpoint", strings.Replace(sign(cp, log, w1), "20852163", "20852164", 1), nil, []*cosigner{w1}},
		{"short-cosignature", cp + "\n" + sigLine(cp, log) + rawLine(w1.name, w1.hash, make([]byte, 71)), []string{logVKey}, []*cosigner{w1}},
		{"plain-ed25519-signature-under-cosigner-key", cp + "\n" + sigLine(cp, log) + rawLine(w1.name, w1.hash, ed25519.Sign(w1.priv, []byte(cp))), []string{logVKey}, []*cosigner{w1}},
		{"unknown-key-type-signature-ignored", cp + "\n" + sigLine(cp, log) + rawLine("ct.example.com/rfc6962", keyHash("ct.example.com/rfc6962", []byte{5, 1, 2, 3}), make([]byte, 80)), []string{logVKey}, []*cosigner{w1}},
	}
	var out []vecfile.Case
	for _, c := range cases {
		var list []note.Verifier
		cvkeys := []string{}
		for _, k := range c.vkeys {
			v, err := note.NewVerifier(k)
			if err != nil {
				panic(err)
			}
			list = append(list, v)
		}
		for _, w := range c.cosigns {
			v, err := parseCosignerVKey(w.vkey())
			if err != nil {
				panic(err)
			}
			list = append(list, v)
			cvkeys = append(cvkeys, w.vkey())
		}
		vkeys := c.vkeys
		if vkeys == nil {
			vkeys = []string{}
		}
		input := map[string]interface{}{"msgB64": b64([]byte(c.msg)), "vkeys": vkeys, "cosignerVKeys": cvkeys}
		n, err := note.Open([]byte(c.msg), note.VerifierList(list...))
		if err != nil {
			out = append(out, vecfile.Case{Name: c.name, Input: input, Error: &vecfile.ErrWant{Code: openErrCode(err), Go: err.Error()}})
			continue
		}
		w := cosigWant{noteWant: noteWant{n.Text, sigsJSON(n.Sigs), sigsJSON(n.UnverifiedSigs)}}
		for _, s := range n.Sigs {
			var ts *uint64
			for _, cs := range c.cosigns {
				if cs.name == s.Name && cs.hash == s.Hash {
					raw, _ := decodeStd(s.Base64)
					t := binary.BigEndian.Uint64(raw[4:])
					ts = &t
				}
			}
			w.Timestamps = append(w.Timestamps, ts)
		}
		out = append(out, vecfile.Case{Name: c.name, Input: input, Want: w})
	}
	return out
}

func cosignatureSignCases() []vecfile.Case {
	var out []vecfile.Case
	cp := "example.com/log\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	for i, t := range []uint64{0, 1679315147, 1<<53 - 1} {
		w := newCosigner(fmt.Sprintf("witness.example.com/s%d", i), fmt.Sprintf("s%d", i), t)
		msg := mustSign(cp, w)
		out = append(out, vecfile.Case{
			Name:  fmt.Sprintf("timestamp-%d", t),
			Input: map[string]interface{}{"skey": w.skey(), "timestamp": t, "text": cp},
			Want:  map[string]string{"vkey": w.vkey(), "msgB64": b64([]byte(msg))},
		})
	}
	return out
}
