package utx

// Truth comes from the C command built from the same library (`utx dump
// --json`, `utx last --json`) and from records written here byte by byte.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io/fs"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	repo = filepath.Join("..", "..")
	wtmp = filepath.Join(repo, "samples", "wtmp")
)

func cDump(t *testing.T, path string) []map[string]any {
	t.Helper()
	out, err := exec.Command(filepath.Join(repo, "build", "utx"), "dump", "--json", path).Output()
	if err != nil {
		t.Fatalf("utx dump: %v", err)
	}
	var res []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		m := map[string]any{}
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatal(err)
		}
		res = append(res, m)
	}
	return res
}

func readAll(t *testing.T, r *Reader) []Entry {
	t.Helper()
	var out []Entry
	for r.Next() {
		out = append(out, r.Entry())
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustOpen(t *testing.T, path string, opts ...Option) []Entry {
	t.Helper()
	r, err := Open(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return readAll(t, r)
}

// linuxRecord is one glibc x86-64 utmp record (384 bytes) as <utmp.h> lays it out.
func linuxRecord(typ int16, pid int32, line, id, user, host string, sec, usec int32, addr [16]byte) []byte {
	var rec struct {
		Type    int16
		_       [2]byte
		PID     int32
		Line    [32]byte
		ID      [4]byte
		User    [32]byte
		Host    [256]byte
		Exit    [2]int16
		Session int32
		Sec     int32
		Usec    int32
		Addr    [16]byte
		_       [20]byte
	}
	rec.Type, rec.PID, rec.Sec, rec.Usec, rec.Addr = typ, pid, sec, usec, addr
	copy(rec.Line[:], line)
	copy(rec.ID[:], id)
	copy(rec.User[:], user)
	copy(rec.Host[:], host)
	var b bytes.Buffer
	_ = binary.Write(&b, binary.LittleEndian, &rec)
	return b.Bytes()
}

func TestEntriesMatchUtxDump(t *testing.T) {
	want := cDump(t, wtmp)
	got := mustOpen(t, wtmp)
	if len(got) != len(want) {
		t.Fatalf("%d entries, utx dump has %d", len(got), len(want))
	}
	for i, e := range got {
		w := want[i]
		if e.Type.String() != w["type"] || e.User != w["user"] || e.Line != w["line"] || e.Host != w["host"] ||
			e.Format != w["format"] || float64(e.Offset) != w["offset"] || float64(e.PID) != w["pid"] ||
			e.Time.Format("2006-01-02T15:04:05.000000Z") != w["time"] {
			t.Fatalf("entry %d: %+v, utx dump: %v", i, e, w)
		}
		if a := w["addr"].(string); a != "" && e.Addr != netip.MustParseAddr(a) {
			t.Fatalf("entry %d: addr %v, utx dump %s", i, e.Addr, a)
		}
	}
}

func TestReverseTypesTimeRange(t *testing.T) {
	all := mustOpen(t, wtmp)
	rev := mustOpen(t, wtmp, Reverse())
	for i := range all {
		if all[i] != rev[len(rev)-1-i] {
			t.Fatalf("reverse entry %d differs", i)
		}
	}
	var users []Entry
	for _, e := range all {
		if e.Type == TypeUserProcess {
			users = append(users, e)
		}
	}
	got := mustOpen(t, wtmp, Types(TypeUserProcess))
	if len(got) != len(users) || len(users) == 0 || got[0] != users[0] {
		t.Fatalf("Types: %d entries, want %d", len(got), len(users))
	}
	mid := all[len(all)/2].Time
	n := 0
	for _, e := range all {
		if e.Sec >= mid.Unix() {
			n++
		}
	}
	if got := mustOpen(t, wtmp, TimeRange(mid, time.Time{})); len(got) != n {
		t.Fatalf("TimeRange: %d entries, want %d", len(got), n)
	}
}

func TestOpenBytesValues(t *testing.T) {
	addr := [16]byte{192, 0, 2, 1}
	rec := linuxRecord(7, 42, "pts/3", "ts/3", "b\xffd", "example.org", 1700000000, 250000, addr)
	r, err := OpenBytes(rec, WithFormat("linux-384-le"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	es := readAll(t, r)
	if len(es) != 1 {
		t.Fatalf("%d entries", len(es))
	}
	e := es[0]
	if e.Type != TypeUserProcess || e.Type.String() != "USER_PROCESS" || e.User != "b\xffd" || e.Line != "pts/3" ||
		e.PID != 42 || e.UID != -1 || e.Flags&FlagNotUTF8 == 0 || e.Addr != netip.MustParseAddr("192.0.2.1") ||
		!e.Time.Equal(time.Date(2023, 11, 14, 22, 13, 20, 250000000, time.UTC)) || e.Time.Location() != time.UTC {
		t.Fatalf("entry %+v", e)
	}
	if r.Source() != "memory" {
		t.Fatalf("source %q", r.Source())
	}
	if f, _ := r.Format(); f != "linux-384-le" {
		t.Fatalf("format %q", f)
	}
}

func TestErrors(t *testing.T) {
	_, err := Open("/nonexistent/wtmp")
	var ue *Error
	if !errors.Is(err, ErrNotFound) || !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrPermission) || !errors.As(err, &ue) ||
		!strings.Contains(ue.Message, "/nonexistent/wtmp") {
		t.Fatalf("Open of a missing file: %v", err)
	}
	if _, err := Open(wtmp, WithFormat("no-such-format")); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown format name: %v", err)
	}
	r, err := OpenBytes(bytes.Repeat([]byte{1}, 10))
	if err == nil {
		for r.Next() {
		}
		err = r.Err()
		r.Close()
	}
	if !errors.Is(err, ErrFormat) {
		t.Fatalf("10 bytes of 0x01: %v", err)
	}
	if _, err := OpenDB(BTMP, Root(t.TempDir())); err == nil {
		t.Fatal("btmp under an empty root opened")
	}
}

func TestOpenDBUnderRoot(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "var/log"), 0o755); err != nil {
		t.Fatal(err)
	}
	rec := linuxRecord(7, 42, "pts/3", "ts/3", "alice", "", 1700000000, 0, [16]byte{})
	if err := os.WriteFile(filepath.Join(root, "var/log/wtmp"), rec, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := OpenDB(WTMP, Root(root))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !strings.HasSuffix(r.Source(), "/var/log/wtmp") {
		t.Fatalf("source %q", r.Source())
	}
	if es := readAll(t, r); len(es) != 1 || es[0].User != "alice" {
		t.Fatalf("entries %+v", es)
	}
	if _, err := OpenDB(LASTLOG, Root(root)); !errors.Is(err, ErrNotFound) {
		t.Fatalf("lastlog: %v", err)
	}
}

func TestCloseTwiceAndUseAfterClose(t *testing.T) {
	r, err := Open(wtmp)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	r.Close()
	if r.Next() || !errors.Is(r.Err(), ErrClosed) {
		t.Fatalf("Next after Close: %v", r.Err())
	}
	if err := r.Rewind(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Rewind after Close: %v", err)
	}
}

func TestRewindAndCount(t *testing.T) {
	r, err := Open(filepath.Join(repo, "samples", "utmp"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	first := readAll(t, r)
	users := map[string]int{}
	for _, e := range first {
		if e.Type == TypeUserProcess && e.User != "" {
			users[e.User]++
		}
	}
	if err := r.Rewind(); err != nil {
		t.Fatal(err)
	}
	n, err := r.CountUsers(true, true)
	if err != nil || n != len(users) {
		t.Fatalf("CountUsers distinct: %d %v, want %d", n, err, len(users))
	}
}

func TestSessionsMatchUtxLast(t *testing.T) {
	out, err := exec.Command(filepath.Join(repo, "build", "utx"), "last", "--json", "-x", "-f", wtmp).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	r, err := Open(wtmp, Reverse())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s, err := r.Sessions(true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	i := 0
	for ; s.Next(); i++ {
		var w map[string]any
		if i >= len(lines) || json.Unmarshal(lines[i], &w) != nil {
			t.Fatalf("session %d: utx last has fewer", i)
		}
		got := s.Session()
		if got.User != w["user"] || got.Line != w["line"] || float64(got.LoginOffset) != w["login_offset"] {
			t.Fatalf("session %d: %+v, utx last %v", i, got, w)
		}
	}
	if s.Err() != nil || i != len(lines) {
		t.Fatalf("%d sessions, utx last %d (%v)", i, len(lines), s.Err())
	}
}

func TestManyGoroutinesEachItsReader(t *testing.T) {
	want := mustOpen(t, wtmp)
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				r, err := Open(wtmp)
				if err != nil {
					errs <- err
					return
				}
				n := 0
				for r.Next() {
					if r.Entry() != want[n] {
						errs <- errors.New("entry differs")
					}
					n++
				}
				r.Close()
				if n != len(want) {
					errs <- errors.New("count differs")
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestOneReaderSharedIsSerialised(t *testing.T) {
	want := mustOpen(t, wtmp)
	r, err := Open(wtmp)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var mu sync.Mutex
	var seen []int
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r.Next() {
				_ = r.Entry() // another goroutine may have moved on: only Next's count matters
				mu.Lock()
				seen = append(seen, 1)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != len(want) {
		t.Fatalf("%d entries read by 8 goroutines, want %d", len(seen), len(want))
	}
}

func openFds(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(ents)
}

func TestDroppedReadersAreFinalized(t *testing.T) {
	before := openFds(t)
	for i := 0; i < 2000; i++ {
		r, err := Open(wtmp)
		if err != nil {
			t.Fatal(err)
		}
		r.Next()
	}
	for i := 0; i < 20 && openFds(t) > before+16; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := openFds(t); n > before+16 {
		t.Fatalf("%d fds open after dropping 2000 readers (%d before)", n, before)
	}
}

func logindTree(t *testing.T) string {
	root := t.TempDir()
	for dir, name := range map[string]string{"seats": "seat0", "sessions": "3", "users": "1000", "machines": "vm1"} {
		d := filepath.Join(root, "run/systemd", dir)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestLogindListsAndMonitor(t *testing.T) {
	root := logindTree(t)
	for c, want := range map[Category]string{CatSeats: "seat0", CatSessions: "3", CatUsers: "1000", CatMachines: "vm1"} {
		if l, err := LogindList(root, c); err != nil || len(l) != 1 || l[0] != want {
			t.Fatalf("LogindList(%d): %v %v", c, l, err)
		}
	}
	if u, err := uidsAt(root); err != nil || len(u) != 1 || u[0] != 1000 {
		t.Fatalf("uids %v %v", u, err)
	}
	m, err := NewMonitorAt(root, CatMachines)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Watched() != CatMachines || m.Fd() < 0 {
		t.Fatalf("watched %d fd %d", m.Watched(), m.Fd())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	if err := <-m.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait with no change: %v", err)
	}
	cancel()
	if err := os.WriteFile(filepath.Join(root, "run/systemd/machines/vm2"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := <-m.Wait(ctx); err != nil {
		t.Fatalf("Wait after a change: %v", err)
	}
	if err := m.Flush(); err != nil {
		t.Fatal(err)
	}
	l, _ := LogindList(root, CatMachines)
	sort.Strings(l)
	if strings.Join(l, ",") != "vm1,vm2" {
		t.Fatalf("machines %v", l)
	}
	m.Close()
	m.Close()
}

// The utx_static tag links the libraries rustc named for libutx.a.
func TestStaticLinkFlagsMatchNativeStaticLibs(t *testing.T) {
	want, err := os.ReadFile(filepath.Join(repo, "build", "native-static-libs"))
	if err != nil {
		t.Skip("no build/native-static-libs (run make)")
	}
	src, err := os.ReadFile("link_static.go")
	if err != nil {
		t.Fatal(err)
	}
	line := "// #cgo LDFLAGS: ${SRCDIR}/../../build/libutx.a " + strings.TrimSpace(string(want)) + "\n"
	if !bytes.Contains(src, []byte(line)) {
		t.Fatalf("link_static.go does not have the line\n%s", line)
	}
}

func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(wtmp)
	if err != nil {
		b.Fatal(err)
	}
	data = bytes.Repeat(data, 200)
	b.ResetTimer()
	start := time.Now()
	n := 0
	for i := 0; i < b.N; i++ {
		r, _ := OpenBytes(data)
		for r.Next() {
			_ = r.Entry()
			n++
		}
		r.Close()
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(n), "ns/entry")
}

func TestABIVersion(t *testing.T) {
	if ABIVersion() != cUtxAbiVersion || errABI != nil {
		t.Fatalf("ABIVersion %d, header %d (%v)", ABIVersion(), cUtxAbiVersion, errABI)
	}
	if !strings.HasPrefix(Version(), strconv.Itoa(cUtxVersionMajor)+".") {
		t.Fatalf("Version %s, header major %d", Version(), cUtxVersionMajor)
	}
}

// More entries than one batch of the library (UT_BATCH_MAX), each
// written here: all come, in order, in both directions, and Sessions and
// CountUsers refuse to start in the middle of a batch.
func TestBatchesAndReadAhead(t *testing.T) {
	const n = 2*batchSize + 88
	var b []byte
	for i := 0; i < n; i++ {
		typ := int16(7 + i%2) // USER_PROCESS, DEAD_PROCESS
		b = append(b, linuxRecord(typ, int32(i+1), "pts/"+strconv.Itoa(i%50), "", "u"+strconv.Itoa(i), "",
			int32(1700000000+i), int32(i), [16]byte{})...)
	}
	check := func(es []Entry, at func(k int) int) {
		t.Helper()
		if len(es) != n {
			t.Fatalf("%d entries, want %d", len(es), n)
		}
		for k, e := range es {
			i := at(k)
			if e.User != "u"+strconv.Itoa(i) || e.PID != int64(i+1) || e.Usec != int32(i) ||
				e.Type != EntryType(7+i%2) || e.Offset != uint64(i*384) {
				t.Fatalf("entry %d: %+v, want record %d", k, e, i)
			}
		}
	}
	r, err := OpenBytes(b, WithFormat("linux-384-le"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	check(readAll(t, r), func(k int) int { return k })

	rev, err := OpenBytes(b, WithFormat("linux-384-le"), Reverse())
	if err != nil {
		t.Fatal(err)
	}
	defer rev.Close()
	if !rev.Next() || rev.Entry().PID != n {
		t.Fatalf("first of reverse: %+v", rev.Entry())
	}
	if _, err := rev.Sessions(true); !errors.Is(err, ErrReadAhead) {
		t.Fatalf("Sessions in the middle of a batch: %v", err)
	}
	if _, err := rev.CountUsers(false, true); !errors.Is(err, ErrReadAhead) {
		t.Fatalf("CountUsers in the middle of a batch: %v", err)
	}
	if err := rev.Rewind(); err != nil {
		t.Fatal(err)
	}
	check(readAll(t, rev), func(k int) int { return n - 1 - k })
	if c, err := rev.CountUsers(false, true); err != nil || c != 0 {
		t.Fatalf("CountUsers after the last entry: %d %v", c, err)
	}
	if err := rev.Rewind(); err != nil {
		t.Fatal(err)
	}
	s, err := rev.Sessions(true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	users := 0
	for s.Next() {
		users++
	}
	if s.Err() != nil || users != n/2 {
		t.Fatalf("%d sessions (%v), want %d", users, s.Err(), n/2)
	}
	// Close in the middle of a batch: the rest of it is gone too.
	mid, err := OpenBytes(b, WithFormat("linux-384-le"))
	if err != nil {
		t.Fatal(err)
	}
	if !mid.Next() {
		t.Fatal(mid.Err())
	}
	mid.Close()
	if mid.Next() || !errors.Is(mid.Err(), ErrClosed) {
		t.Fatalf("Next after Close: %v", mid.Err())
	}
}
