package utx

// NextBatch and the string conversion behind every Entry.

import (
	"errors"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// records is n glibc records written here: USER_PROCESS and DEAD_PROCESS
// in turn, user "u<i>", line "pts/<i%50>", host "h<i%7>.example.org"
// for logins, pid i+1.
func records(n int) []byte {
	var b []byte
	for i := 0; i < n; i++ {
		typ, user, host := int16(7), "u"+strconv.Itoa(i), "h"+strconv.Itoa(i%7)+".example.org"
		if i%2 == 1 {
			typ, user, host = 8, "", ""
		}
		b = append(b, linuxRecord(typ, int32(i+1), "pts/"+strconv.Itoa(i%50), "s/"+strconv.Itoa(i%50), user, host,
			int32(1700000000+i), int32(i), [16]byte{10, 0, byte(i >> 8), byte(i)})...)
	}
	return b
}

// batchAll reads r to its end with NextBatch into a dst of size k.
func batchAll(t *testing.T, r *Reader, k int) []Entry {
	t.Helper()
	var out []Entry
	dst := make([]Entry, k)
	for {
		n, err := r.NextBatch(dst)
		if n < 0 || n > k || (n > 0) == (err != nil) {
			t.Fatalf("NextBatch of %d: %d, %v", k, n, err)
		}
		out = append(out, dst[:n]...)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Files of 255, 256 and 257 records (one batch of the library, and one
// either side), and 600, read with NextBatch into slices of every kind of
// size, give what Next gives, in order; so do files ending in a partial
// record, whose last entry says so.
func TestNextBatchSizes(t *testing.T) {
	for _, n := range []int{0, 1, 255, 256, 257, 600} {
		for _, partial := range []int{0, 100} {
			data := append(records(n), make([]byte, partial)...)
			for i := len(data) - partial; i < len(data); i++ {
				data[i] = 0x55
			}
			open := func(opts ...Option) *Reader {
				r, err := OpenBytes(data, append(opts, WithFormat("linux-384-le"))...)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { r.Close() })
				return r
			}
			want := readAll(t, open())
			if len(want) != n+min(partial, 1) {
				t.Fatalf("%d records + %d bytes: Next gave %d entries", n, partial, len(want))
			}
			if partial > 0 && (want[n].Flags&FlagPartialRecord == 0 || want[n].Offset != uint64(n*384)) {
				t.Fatalf("%d records + %d bytes: last entry %+v", n, partial, want[n])
			}
			for i, e := range want[:n] {
				if e.PID != int64(i+1) || e.Line != "pts/"+strconv.Itoa(i%50) || e.ID != "s/"+strconv.Itoa(i%50) ||
					(i%2 == 0) != (e.User == "u"+strconv.Itoa(i) && e.Host == "h"+strconv.Itoa(i%7)+".example.org") {
					t.Fatalf("%d records: entry %d %+v", n, i, e)
				}
			}
			for _, k := range []int{1, 7, 255, 256, 257, 1000} {
				if got := batchAll(t, open(), k); !reflect.DeepEqual(got, want) {
					t.Fatalf("%d records + %d bytes, NextBatch of %d: %d entries differ from Next's %d",
						n, partial, k, len(got), len(want))
				}
			}
			rev := batchAll(t, open(Reverse()), 100)
			if len(rev) != len(want) || (len(rev) > 0 && !reflect.DeepEqual(rev[len(rev)-1], want[0])) {
				t.Fatalf("%d records + %d bytes, reverse: %d entries", n, partial, len(rev))
			}
		}
	}
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// NextBatch after Next takes the entries Next read ahead first; Entry is
// then the zero Entry; Next after NextBatch goes on; an empty dst reads
// nothing; the end stays io.EOF until Rewind; CountUsers may follow it;
// a closed reader says so.
func TestNextBatchMixedWithNext(t *testing.T) {
	r, err := OpenBytes(records(600), WithFormat("linux-384-le"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []Entry
	for i := 0; i < 3 && r.Next(); i++ {
		got = append(got, r.Entry())
	}
	dst := make([]Entry, 300)
	if n, err := r.NextBatch(dst[:0]); n != 0 || err != nil {
		t.Fatalf("NextBatch of nothing: %d %v", n, err)
	}
	n, err := r.NextBatch(dst)
	if n != 300 || err != nil {
		t.Fatalf("NextBatch after 3 of Next: %d %v", n, err)
	}
	got = append(got, dst[:n]...)
	if (r.Entry() != Entry{}) {
		t.Fatalf("Entry after NextBatch: %+v", r.Entry())
	}
	for r.Next() {
		got = append(got, r.Entry())
	}
	if r.Err() != nil || len(got) != 600 {
		t.Fatalf("%d entries, %v", len(got), r.Err())
	}
	for i, e := range got {
		if e.PID != int64(i+1) {
			t.Fatalf("entry %d has pid %d", i, e.PID)
		}
	}
	for i := 0; i < 2; i++ {
		if n, err := r.NextBatch(dst); n != 0 || err != io.EOF {
			t.Fatalf("NextBatch at the end: %d %v", n, err)
		}
	}
	if err := r.Rewind(); err != nil {
		t.Fatal(err)
	}
	if n, err := r.NextBatch(dst); n != 300 || err != nil || dst[0].PID != 1 {
		t.Fatalf("NextBatch after Rewind: %d %v", n, err)
	}
	// NextBatch leaves nothing read ahead: the 150 logins of records
	// 300..599 are left to count.
	if c, err := r.CountUsers(false, true); c != 150 || err != nil {
		t.Fatalf("CountUsers after NextBatch: %d %v", c, err)
	}
	r.Close()
	if n, err := r.NextBatch(dst); n != 0 || !errors.Is(err, ErrClosed) {
		t.Fatalf("NextBatch after Close: %d %v", n, err)
	}
	if r.Next() || !errors.Is(r.Err(), ErrClosed) {
		t.Fatalf("Next after Close: %v", r.Err())
	}
}

// An error met in the middle of a batch (lastlog2 is read in pages of 512
// rows; the table is dropped after 456 entries): NextBatch returns the
// rows still in memory with a nil error, then the error, which Err and
// Next keep; Next returns every entry before it too.
func TestNextBatchErrorAfterEntries(t *testing.T) {
	sqlite, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("no sqlite3 command")
	}
	db := filepath.Join(t.TempDir(), "lastlog2.db")
	run := func(sql string) {
		t.Helper()
		if out, err := exec.Command(sqlite, db, sql).CombinedOutput(); err != nil {
			t.Fatalf("sqlite3: %v %s", err, out)
		}
	}
	for _, useNext := range []bool{false, true} {
		os.Remove(db)
		run("CREATE TABLE Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT);" +
			"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 600) " +
			"INSERT INTO Lastlog2 SELECT printf('user%04d', x), 1700000000 + x, 'tty1', '', 'login' FROM c;")
		r, err := Open(db)
		if err != nil {
			t.Fatal(err)
		}
		var got []Entry
		if useNext {
			for len(got) < 456 && r.Next() {
				got = append(got, r.Entry())
			}
			run("DROP TABLE Lastlog2;")
			for r.Next() {
				got = append(got, r.Entry())
			}
			if len(got) != 512 || r.Err() == nil || errors.Is(r.Err(), ErrClosed) {
				t.Fatalf("Next: %d entries, then %v; want 512 and an error", len(got), r.Err())
			}
		} else {
			dst := make([]Entry, 456)
			if n, err := r.NextBatch(dst); n != 456 || err != nil {
				t.Fatalf("first 456: %d %v", n, err)
			}
			got = append(got, dst...)
			run("DROP TABLE Lastlog2;")
			dst = make([]Entry, 1000)
			n, err := r.NextBatch(dst)
			if n != 56 || err != nil {
				t.Fatalf("the rest of the page: %d %v, want 56 and no error", n, err)
			}
			got = append(got, dst[:n]...)
			n, err = r.NextBatch(dst)
			var ue *Error
			if n != 0 || !errors.As(err, &ue) || ue.Message == "" || r.Err() != err {
				t.Fatalf("after the page: %d %v (Err %v), want the error", n, err, r.Err())
			}
			if n, err2 := r.NextBatch(dst); n != 0 || err2 != err || r.Next() {
				t.Fatalf("again: %d %v", n, err2)
			}
		}
		for i, e := range got {
			if want := "user" + strconv.Itoa(10000 + i + 1)[1:]; e.User != want || e.Line != "tty1" || e.Service != "login" {
				t.Fatalf("entry %d: %+v, want user %s", i, e, want)
			}
		}
		r.Close()
	}
}

// getAll reads strings that end at the last byte before an unmapped page
// (so no read may go past their NUL's page), strings followed by other
// bytes after their NUL, every length around the 16 bytes of the fast
// path and past the 64 of the cache, and many different ones (hash
// collisions): each comes back with its bytes, and repeats come back
// equal.
func TestStringsAtPageEndsAndCollisions(t *testing.T) {
	page := os.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(mem)
	if err := syscall.Mprotect(mem[page:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	var c stringCache
	check := func(s string, at int) {
		t.Helper()
		copy(mem[at:], s)
		mem[at+len(s)] = 0
		var ps [5]unsafe.Pointer
		var out [5]string
		for f := range ps {
			ps[f] = unsafe.Pointer(&mem[at])
		}
		var first [5]string
		for round := 0; round < 2; round++ { // a miss, then a hit
			c.getAll(&ps, &out)
			for f, got := range out {
				if got != s {
					t.Fatalf("field %d, round %d: %q at %d, want %q", f, round, got, at, s)
				}
				if round == 1 && len(s) <= longMax && stringData(got) != stringData(first[f]) {
					t.Fatalf("field %d: %q again is a new string", f, s)
				}
			}
			first = out
		}
	}
	rng := rand.New(rand.NewSource(1))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(1 + rng.Intn(255))
		}
		return string(b)
	}
	for n := 0; n <= 80; n++ {
		s := word(n)
		check(s, page-n-1) // the NUL is the page's last byte
		for k := 0; k <= 24; k++ {
			at := rng.Intn(page - n - 24)
			for i := at; i < at+n+24; i++ {
				mem[i] = 0xa5 // bytes after the NUL that are not 0
			}
			check(s, at)
		}
	}
	var ps [5]unsafe.Pointer
	var out [5]string
	c.getAll(&ps, &out) // NULL pointers
	if out != [5]string{} {
		t.Fatalf("NULL: %q", out)
	}
	// New short strings are cut from one block.
	a, b := c.newString(unsafe.Pointer(&mem[0]), 3), c.newString(unsafe.Pointer(&mem[0]), 5)
	if stringData(b) != stringData(a)+3 {
		t.Fatalf("two new strings: %x then %x", stringData(a), stringData(b))
	}
	for i := 0; i < 20000; i++ {
		s := "x" + strconv.Itoa(i%3000) + strings.Repeat("y", i%20)
		check(s, rng.Intn(page-len(s)-1))
	}
}

func stringData(s string) uintptr { return (*reflect.StringHeader)(unsafe.Pointer(&s)).Data }
