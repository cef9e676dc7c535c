package utx

import (
	"math/bits"
	"unsafe"
)

// longMax is the longest string a stringCache keeps.
const longMax = 64

// stringCache turns the library's NUL-terminated strings into Go strings,
// keeping the last string seen per field and hash slot: wtmp repeats its
// users, lines and ids (and often hosts), and a repeat costs a compare
// instead of an allocation. Go strings are immutable, so entries share
// them safely. A reader's cache is used with its mutex held; it holds at
// most 5*256 strings of up to 15 bytes (a server's few hundred ttys fit)
// and 5*64 of up to longMax bytes, in 45 KiB.
type stringCache struct {
	short [5][256]shortString // up to 15 bytes, keyed by their bytes
	long  [5][64]string       // 16 to longMax bytes, by a hash
	block []byte              // the rest of the block newString cuts from
}

// blockSize is what newString allocates at once for short strings: an
// entry kept after its reader moved on keeps at most this much alive.
const blockSize = 1024

// newString copies n bytes at p into a new Go string. Strings of up to
// 64 bytes are cut from a shared block, so one allocation serves many.
func (c *stringCache) newString(p unsafe.Pointer, n int) string {
	if n == 0 {
		return ""
	}
	if n > 64 {
		return string(unsafe.Slice((*byte)(p), n))
	}
	if len(c.block) < n {
		c.block = make([]byte, blockSize)
	}
	b := c.block[:n:n]
	c.block = c.block[n:]
	copy(b, unsafe.Slice((*byte)(p), n))
	return *(*string)(unsafe.Pointer(&b)) // b is never written again
}

// shortString is a string of up to 15 bytes and its bytes as two
// little-endian words, zero-padded (a string has no NUL, so the words
// give its length too).
type shortString struct {
	w0, w1 uint64
	s      string
}

const lo8, hi8 = 0x0101010101010101, 0x8080808080808080

// zeroBytes has the high bit set of each zero byte of x (and maybe of
// bytes after the first zero one: only the lowest set bit is exact).
func zeroBytes(x uint64) uint64 { return (x - lo8) &^ x & hi8 }

// getAll sets out[f] to the string at ps[f] (NUL-terminated C memory,
// or nil for ""), for each of the 5 fields, in one loop (no call per
// string on the common path).
func (c *stringCache) getAll(ps *[5]unsafe.Pointer, out *[5]string) {
	for f, p := range ps {
		// Two words from p when they stay in p's page (4 KiB or larger),
		// where the string's first byte is: such loads fault no more
		// than the string's own.
		if !wordLoads || p == nil || uintptr(p)&4095 > 4096-16 {
			out[f] = c.getLong(f, p)
			continue
		}
		w0 := *(*uint64)(p)
		if w0&0xff == 0 {
			out[f] = ""
			continue
		}
		w1 := *(*uint64)(unsafe.Add(p, 8))
		z0, z1 := zeroBytes(w0), zeroBytes(w1)
		if z0|z1 == 0 { // no NUL in 16 bytes
			out[f] = c.getLong(f, p)
			continue
		}
		// The bytes before the NUL, zero-padded, without branches: below
		// the lowest bit of z0 (all of w0 when z0 is 0), and of w1 only
		// when w0 has no NUL.
		w0 &= z0&-z0 - 1
		w1 &= (z1&-z1 - 1) &^ -((z0 | -z0) >> 63)
		e := &c.short[f][((w0^bits.RotateLeft64(w1, 29))*0x9e3779b97f4a7c15)>>56]
		if (e.w0^w0)|(e.w1^w1) != 0 {
			c.miss(e, w0, w1)
		}
		out[f] = e.s
	}
}

// miss puts the string whose bytes are w0, w1 (1 to 15 of them) in slot e.
//
//go:noinline
func (c *stringCache) miss(e *shortString, w0, w1 uint64) {
	n := (64-bits.LeadingZeros64(w0)+7)/8 + (64-bits.LeadingZeros64(w1)+7)/8
	if len(c.block) < 16 {
		c.block = make([]byte, blockSize)
	}
	// Both words go in (this runs only with wordLoads: little-endian,
	// unaligned stores); the next string overwrites the bytes after n.
	*(*uint64)(unsafe.Pointer(&c.block[0])) = w0
	*(*uint64)(unsafe.Pointer(&c.block[8])) = w1
	b := c.block[:n:n]
	c.block = c.block[n:]
	e.w0, e.w1, e.s = w0, w1, *(*string)(unsafe.Pointer(&b)) // b[:n] is never written again
}

// getLong is get for any string, comparing its bytes with the slot's.
func (c *stringCache) getLong(f int, p unsafe.Pointer) string {
	if p == nil {
		return ""
	}
	n := cstrlen(p)
	if n == 0 {
		return ""
	}
	b := unsafe.Slice((*byte)(p), n)
	if n > longMax {
		return c.newString(p, n)
	}
	h := uint(n)*0x9e37 ^ uint(b[0])<<1 ^ uint(b[n-1])<<3 ^ uint(b[n/2])<<5 ^ uint(b[(n-1)/3])<<7
	slot := &c.long[f][(h^h>>6)&63]
	if *slot != string(b) { // compared without a copy
		*slot = c.newString(p, n)
	}
	return *slot
}

// cstrlen is strlen; with wordLoads it reads 8 aligned bytes at a time:
// an aligned word never crosses a page, so it reads no page the string
// does not touch.
func cstrlen(p unsafe.Pointer) int {
	if !wordLoads {
		n := 0
		for *(*byte)(unsafe.Add(p, n)) != 0 {
			n++
		}
		return n
	}
	off := uintptr(p) & 7
	w := unsafe.Add(p, -int(off))
	// The bytes before p, set to 0xff so they hold no NUL.
	x := *(*uint64)(w) | (1<<(8*off) - 1)
	n := -int(off)
	for {
		if z := zeroBytes(x); z != 0 {
			return n + bits.TrailingZeros64(z)/8
		}
		n += 8
		w = unsafe.Add(w, 8)
		x = *(*uint64)(w)
	}
}
