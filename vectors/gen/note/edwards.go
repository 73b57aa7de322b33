package main

// Small, slow twisted-Edwards arithmetic on edwards25519 with math/big. It only builds the
// hostile inputs (small-order keys, mixed-order points, non-canonical encodings); every verdict in
// the vectors comes from crypto/ed25519.Verify and golang.org/x/mod/sumdb/note.

import (
	"crypto/sha512"
	"math/big"
)

var (
	fieldP  = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	orderL  = mustInt("7237005577332262213973186563042994240857116359379907606001950938285454250989")
	curveD  = new(big.Int).Mod(new(big.Int).Mul(big.NewInt(-121665), new(big.Int).ModInverse(big.NewInt(121666), fieldP)), fieldP)
	sqrtM1  = new(big.Int).Exp(big.NewInt(2), new(big.Int).Div(new(big.Int).Sub(fieldP, big.NewInt(1)), big.NewInt(4)), fieldP)
	basePt  = mustDecode(hexBytes("5866666666666666666666666666666666666666666666666666666666666666"))
	identPt = point{big.NewInt(0), big.NewInt(1)}
)

type point struct{ x, y *big.Int }

func mustInt(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return n
}

func fmod(a *big.Int) *big.Int { return new(big.Int).Mod(a, fieldP) }

func add(p, q point) point {
	x1y2 := new(big.Int).Mul(p.x, q.y)
	y1x2 := new(big.Int).Mul(p.y, q.x)
	y1y2 := new(big.Int).Mul(p.y, q.y)
	x1x2 := new(big.Int).Mul(p.x, q.x)
	t := fmod(new(big.Int).Mul(curveD, fmod(new(big.Int).Mul(x1x2, y1y2))))
	den1 := fmod(new(big.Int).Add(big.NewInt(1), t))
	den2 := fmod(new(big.Int).Sub(big.NewInt(1), t))
	x := fmod(new(big.Int).Mul(new(big.Int).Add(x1y2, y1x2), new(big.Int).ModInverse(den1, fieldP)))
	y := fmod(new(big.Int).Mul(new(big.Int).Add(y1y2, x1x2), new(big.Int).ModInverse(den2, fieldP)))
	return point{x, y}
}

func neg(p point) point { return point{fmod(new(big.Int).Neg(p.x)), new(big.Int).Set(p.y)} }

func mul(k *big.Int, p point) point {
	r := identPt
	for i := k.BitLen() - 1; i >= 0; i-- {
		r = add(r, r)
		if k.Bit(i) == 1 {
			r = add(r, p)
		}
	}
	return r
}

func equal(p, q point) bool { return p.x.Cmp(q.x) == 0 && p.y.Cmp(q.y) == 0 }

func encode(p point) []byte {
	b := make([]byte, 32)
	yb := p.y.Bytes()
	for i := range yb {
		b[i] = yb[len(yb)-1-i]
	}
	if p.x.Bit(0) == 1 {
		b[31] |= 0x80
	}
	return b
}

func leInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i := range b {
		be[i] = b[len(b)-1-i]
	}
	return new(big.Int).SetBytes(be)
}

func le32(n *big.Int) []byte {
	b := make([]byte, 32)
	nb := n.Bytes()
	for i := range nb {
		b[i] = nb[len(nb)-1-i]
	}
	return b
}

// decode follows RFC 8032 §5.1.3 but, like most implementations, accepts y >= p.
func decode(b []byte) (point, bool) {
	c := append([]byte(nil), b...)
	sign := c[31] >> 7
	c[31] &= 0x7f
	y := fmod(leInt(c))
	yy := fmod(new(big.Int).Mul(y, y))
	u := fmod(new(big.Int).Sub(yy, big.NewInt(1)))
	v := fmod(new(big.Int).Add(new(big.Int).Mul(curveD, yy), big.NewInt(1)))
	xx := fmod(new(big.Int).Mul(u, new(big.Int).ModInverse(v, fieldP)))
	x := new(big.Int).Exp(xx, new(big.Int).Div(new(big.Int).Add(fieldP, big.NewInt(3)), big.NewInt(8)), fieldP)
	if fmod(new(big.Int).Mul(x, x)).Cmp(xx) != 0 {
		x = fmod(new(big.Int).Mul(x, sqrtM1))
	}
	if fmod(new(big.Int).Mul(x, x)).Cmp(xx) != 0 {
		return point{}, false
	}
	if x.Bit(0) != uint(sign) {
		x = fmod(new(big.Int).Neg(x))
	}
	return point{x, y}, true
}

func mustDecode(b []byte) point {
	p, ok := decode(b)
	if !ok {
		panic("not a point")
	}
	return p
}

// order returns the order of a small-order point (1, 2, 4 or 8), or 0 if it is not small.
func order(p point) int {
	q := p
	for i := 1; i <= 8; i++ {
		if equal(q, identPt) {
			return i
		}
		q = add(q, p)
	}
	return 0
}

// challenge is k = SHA-512(R || A || M) mod L, as RFC 8032 §5.1.7.
func challenge(r, a, m []byte) *big.Int {
	h := sha512.New()
	h.Write(r)
	h.Write(a)
	h.Write(m)
	return new(big.Int).Mod(leInt(h.Sum(nil)), orderL)
}

// scalarOf derives the clamped secret scalar of a seed (RFC 8032 §5.1.5), reduced mod L.
func scalarOf(seed []byte) *big.Int {
	h := sha512.Sum512(seed)
	a := h[:32]
	a[0] &= 248
	a[31] &= 127
	a[31] |= 64
	return new(big.Int).Mod(leInt(a), orderL)
}
