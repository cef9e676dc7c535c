// Package utx reads every Unix system's login-accounting files (utmp,
// wtmp, btmp, lastlog and their successors wtmpdb, lastlog2 and
// systemd-logind) through libutx.
//
//	r, err := utx.Open("/var/log/wtmp", utx.Types(utx.TypeUserProcess))
//	if err != nil { ... }
//	defer r.Close()
//	for r.Next() {
//		e := r.Entry()
//		fmt.Println(e.User, e.Line, e.Time)
//	}
//	if err := r.Err(); err != nil { ... }
//
// Every Entry is a copy: it stays valid after the reader moves on or
// closes. A Reader has a mutex, so using one from several goroutines is
// safe but serialised; different readers are independent.
//
// NextBatch is the fast way to read: it fills a slice of entries the
// caller reuses, taking the mutex once per call and asking the library
// for up to 256 entries at a time (Next and Entry take the mutex for
// each entry and copy each Entry once more).
//
// Next takes entries from the library in batches (ut_reader_next_batch,
// up to 256 per call), so the library's position may be ahead of the
// entries Next has returned: Sessions and CountUsers, which start where
// the library stands, return ErrReadAhead until Next has returned the
// whole batch (or after Rewind or SeekTime). NextBatch leaves nothing
// read ahead.
//
// Strings are converted without a cgo call: a reader keeps the strings
// it made last (per field, by content), so entries that repeat a user,
// line, id or host share one Go string, and short new strings are cut
// from 1 KiB blocks, so a string kept after its reader moved on may keep
// its block (at most 1 KiB) alive.
package utx

/*
#include <stdlib.h>
#include <utx.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"runtime"
	"strconv"
	"sync"
	"time"
	"unsafe"
)

const errLen = 512

// batchSize is how many entries Next asks the library for at once.
const batchSize = cUtBatchMax

// errABI is set when the loaded libutx has another ABI version than the
// utx.h this package was generated from; every constructor returns it.
var errABI = func() error {
	if v := C.ut_abi_version(); v != cUtxAbiVersion {
		return fmt.Errorf("utx: the loaded libutx has ABI version %d, this package needs %d (libutx.so.%d)",
			v, cUtxAbiVersion, cUtxAbiVersion)
	}
	return nil
}()

// EntryType is a normalized entry type (UT_TYPE_*).
type EntryType int

// String gives the C name ("USER_PROCESS").
func (t EntryType) String() string {
	if n, ok := entryTypeNames[t]; ok {
		return n
	}
	return "EntryType(" + strconv.Itoa(int(t)) + ")"
}

// Database is one of this host's databases, for OpenDB.
type Database uint32

// The databases of a host; OpenDB falls back to each one's successor.
const (
	UTMP    Database = cUtDbUtmp    // who is logged in now (else logind)
	WTMP    Database = cUtDbWtmp    // login history (else wtmpdb)
	BTMP    Database = cUtDbBtmp    // failed logins
	LASTLOG Database = cUtDbLastlog // last login per user (else lastlog2)
)

// String gives the C name ("UTMP").
func (d Database) String() string {
	if n, ok := databaseNames[d]; ok {
		return n
	}
	return "Database(" + strconv.Itoa(int(d)) + ")"
}

// Flags are an entry's UT_ENTRY_* bits.
type Flags uint32

// Entry flags.
const (
	FlagNotUTF8         Flags = cUtEntryNotUtf8         // a string holds bytes that are not UTF-8
	FlagFullWidth       Flags = cUtEntryFullWidth       // a fixed-width string filled its width
	FlagPartialRecord   Flags = cUtEntryPartialRecord   // a trailing partial record; nothing decoded
	FlagTimeImplausible Flags = cUtEntryTimeImplausible // 0, negative, after 2100, or bad microseconds
	FlagRecovered       Flags = cUtEntryRecovered       // corrupt records before this one were skipped
)

// Entry is one normalized record, copied out of the library.
type Entry struct {
	Type            EntryType
	RawType         int // the type number on disk, -1 when the format has none
	User            string
	Line            string // without /dev/ ("~" for system records)
	ID              string
	Host            string
	Service         string // PAM service (wtmpdb, lastlog2)
	PID             int64  // -1 when unknown
	Session         int64  // -1 when unknown
	UID             int64  // -1 when unknown
	ExitTermination int    // -1 when unknown
	ExitStatus      int    // -1 when unknown
	Sec             int64  // seconds since 1970 UTC, as stored
	Usec            int32  // microseconds, as stored
	Time            time.Time
	Addr            netip.Addr // the zero Addr when none
	Format          string     // "linux-384-le"
	Offset          uint64     // byte offset of the record
	Flags           Flags
}

// Error is a libutx failure.
type Error struct {
	Status  int    // UT_ERR_* (negative)
	Message string // the library's message
	Errno   int    // the OS errno, 0 when none
}

// Sentinels for errors.Is; an *Error matches the one with its Status.
var (
	ErrNull        = &Error{Status: cUtErrNull}
	ErrInvalid     = &Error{Status: cUtErrInvalid}
	ErrNotFound    = &Error{Status: cUtErrNotFound}
	ErrPermission  = &Error{Status: cUtErrPermission}
	ErrIO          = &Error{Status: cUtErrIo}
	ErrFormat      = &Error{Status: cUtErrFormat}
	ErrUnsupported = &Error{Status: cUtErrUnsupported}
	ErrNoMemory    = &Error{Status: cUtErrNomem}
	ErrInternal    = &Error{Status: cUtErrInternal}
	// ErrClosed is returned by calls on a closed Reader, Sessions or Monitor.
	ErrClosed = errors.New("utx: use of a closed handle")
	// ErrReadAhead is returned by Sessions and CountUsers while entries
	// that Next took from the library in a batch have not been returned.
	ErrReadAhead = errors.New("utx: Next has read ahead of the entries it returned; " +
		"finish the loop, Rewind or SeekTime first")
)

func (e *Error) Error() string {
	s := C.GoString(C.ut_status_str(C.ut_status(e.Status)))
	if e.Message != "" {
		return "utx: " + s + ": " + e.Message
	}
	return "utx: " + s
}

// Is matches the sentinel of the same status (errors.Is(err, utx.ErrNotFound)),
// and fs.ErrNotExist / fs.ErrPermission for a missing or forbidden file.
func (e *Error) Is(target error) bool {
	switch target {
	case fs.ErrNotExist:
		return e.Status == cUtErrNotFound
	case fs.ErrPermission:
		return e.Status == cUtErrPermission
	}
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Errno == 0 && t.Status == e.Status
}

func newError(st C.ut_status, msg string, errno int) error {
	return &Error{Status: int(st), Message: msg, Errno: errno}
}

type errBuf [errLen]C.char

func (b *errBuf) ptr() *C.char { return &b[0] }
func (b *errBuf) err(st C.ut_status) error {
	return newError(st, C.GoString(&b[0]), 0)
}

type config struct {
	format string
	flags  C.ut_open_flags
	types  []EntryType
	from   *time.Time
	to     *time.Time
	root   string
}

// Option configures Open, OpenFiles, OpenBytes and OpenDB.
type Option func(*config)

// WithFormat forces a format by name ("linux-384-le"); the default detects it.
func WithFormat(name string) Option { return func(c *config) { c.format = name } }

// Reverse reads newest entries first.
func Reverse() Option { return func(c *config) { c.flags |= cUtOpenReverse } }

// Live keeps only logins whose process is alive (OpenDB(UTMP)).
func Live() Option { return func(c *config) { c.flags |= cUtOpenLive } }

// AllSessions keeps logind's manager, background and closing sessions.
func AllSessions() Option { return func(c *config) { c.flags |= cUtOpenAllSessions } }

// Types keeps only entries of these types.
func Types(types ...EntryType) Option {
	return func(c *config) { c.types = append(c.types, types...) }
}

// TimeRange keeps entries with from <= time <= to (whole seconds); a zero
// time leaves that end open.
func TimeRange(from, to time.Time) Option {
	return func(c *config) {
		if !from.IsZero() {
			c.from = &from
		}
		if !to.IsZero() {
			c.to = &to
		}
	}
}

// Root makes OpenDB look up every path under dir (a system copied there).
func Root(dir string) Option { return func(c *config) { c.root = dir } }

// Reader reads entries in the bufio.Scanner style: for r.Next() { r.Entry() }.
type Reader struct {
	mu   sync.Mutex
	h    *C.ut_reader
	err  error
	done bool
	pend error // an error met after entries, for the next fill
	// The entries of the last batch, copied; Next has returned buf[:next].
	buf  []Entry
	next int
	// batch is C memory (no cgo pointer check per call): the library's
	// pointers to a batch of entries.
	batch **C.ut_entry
	strs  stringCache
}

func newConfig(opts []Option) (*config, C.ut_format, error) {
	if errABI != nil {
		return nil, 0, errABI
	}
	c := &config{}
	for _, o := range opts {
		o(c)
	}
	var f C.ut_format
	if c.format != "" {
		name := C.CString(c.format)
		defer C.free(unsafe.Pointer(name))
		if st := C.ut_format_from_name(name, &f); st != C.UT_OK {
			return nil, 0, newError(st, "unknown format name "+c.format, 0)
		}
	}
	return c, f, nil
}

func newReader(h *C.ut_reader, c *config) (*Reader, error) {
	r := &Reader{h: h}
	runtime.SetFinalizer(r, (*Reader).Close)
	r.batch = (**C.ut_entry)(C.malloc(C.size_t(batchSize) * C.size_t(unsafe.Sizeof((*C.ut_entry)(nil)))))
	if r.batch == nil {
		r.Close()
		return nil, newError(C.UT_ERR_NOMEM, "no memory for a batch", 0)
	}
	if len(c.types) > 0 {
		var mask C.uint32_t
		for _, t := range c.types {
			if t < 0 || t > 31 {
				r.Close()
				return nil, newError(C.UT_ERR_INVALID, "type out of range", 0)
			}
			mask |= 1 << uint(t)
		}
		if st := C.ut_reader_set_types(h, mask); st != C.UT_OK {
			defer r.Close()
			return nil, r.lastError(st)
		}
	}
	if c.from != nil || c.to != nil {
		lo, hi := int64(-1<<63), int64(1<<63-1)
		if c.from != nil {
			lo = c.from.Unix()
		}
		if c.to != nil {
			hi = c.to.Unix()
		}
		if st := C.ut_reader_set_time_range(h, C.int64_t(lo), C.int64_t(hi)); st != C.UT_OK {
			defer r.Close()
			return nil, r.lastError(st)
		}
	}
	return r, nil
}

// Open opens a file (gzip is decompressed transparently).
func Open(path string, opts ...Option) (*Reader, error) {
	c, f, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	p := C.CString(path)
	defer C.free(unsafe.Pointer(p))
	var h *C.ut_reader
	var eb errBuf
	if st := C.ut_reader_open(p, f, c.flags, &h, eb.ptr(), errLen); st != C.UT_OK {
		return nil, eb.err(st)
	}
	return newReader(h, c)
}

// OpenFiles reads files as one history, given oldest first.
func OpenFiles(paths []string, opts ...Option) (*Reader, error) {
	c, f, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	cpaths := C.malloc(C.size_t(len(paths)+1) * C.size_t(unsafe.Sizeof((*C.char)(nil))))
	defer C.free(cpaths)
	arr := unsafe.Slice((**C.char)(cpaths), len(paths)+1)
	for i, p := range paths {
		arr[i] = C.CString(p)
		defer C.free(unsafe.Pointer(arr[i]))
	}
	var h *C.ut_reader
	var eb errBuf
	if st := C.ut_reader_open_files(&arr[0], C.size_t(len(paths)), f, c.flags, &h, eb.ptr(), errLen); st != C.UT_OK {
		return nil, eb.err(st)
	}
	return newReader(h, c)
}

// OpenBytes reads records from memory (copied by the library).
func OpenBytes(b []byte, opts ...Option) (*Reader, error) {
	c, f, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	var p *C.uint8_t
	if len(b) > 0 {
		p = (*C.uint8_t)(unsafe.Pointer(&b[0]))
	}
	var h *C.ut_reader
	var eb errBuf
	if st := C.ut_reader_open_memory(p, C.size_t(len(b)), f, c.flags, &h, eb.ptr(), errLen); st != C.UT_OK {
		return nil, eb.err(st)
	}
	return newReader(h, c)
}

// OpenDB opens this host's database, else its successor (utmp: logind;
// wtmp: wtmpdb; lastlog: lastlog2). Source says which was opened.
func OpenDB(db Database, opts ...Option) (*Reader, error) {
	c, _, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	var root *C.char
	if c.root != "" {
		root = C.CString(c.root)
		defer C.free(unsafe.Pointer(root))
	}
	var h *C.ut_reader
	var eb errBuf
	if st := C.ut_reader_open_db_at(root, C.ut_database(db), c.flags, &h, eb.ptr(), errLen); st != C.UT_OK {
		return nil, eb.err(st)
	}
	return newReader(h, c)
}

// lastError is the reader's recorded failure; call with r.mu held or
// before r is shared.
func (r *Reader) lastError(st C.ut_status) error {
	var msg *C.char
	var errno C.int32_t
	C.ut_reader_error(r.h, &msg, &errno)
	return newError(st, C.GoString(msg), int(errno))
}

// Next reads the next entry; false at the end or on an error (see Err).
func (r *Reader) Next() bool {
	r.mu.Lock()
	if r.next < len(r.buf) {
		r.next++
		r.mu.Unlock()
		return true
	}
	r.dropBatch()
	if r.buf == nil {
		r.buf = make([]Entry, batchSize)
	}
	n := r.fill(r.buf[:batchSize])
	r.buf = r.buf[:n]
	if n > 0 {
		r.next = 1
	}
	r.mu.Unlock()
	return n > 0
}

// NextBatch reads up to len(dst) entries into dst[:n], overwriting what
// dst held, with one library call per UT_BATCH_MAX (256) entries and one
// lock of the reader per call: the fast way to read many entries. It
// returns n > 0 and a nil error while entries come (an error met after
// some entries is returned by the next call, with n = 0), 0 and io.EOF
// at the end, 0 and the error that stopped the reader otherwise (also
// kept for Err). Next and NextBatch can be mixed: NextBatch starts with
// the entries Next had read ahead, and Entry is the zero Entry after it.
func (r *Reader) NextBatch(dst []Entry) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(dst) == 0 {
		return 0, nil
	}
	n := copy(dst, r.buf[r.next:])
	r.dropBatch()
	n += r.fill(dst[n:])
	switch {
	case n > 0:
		return n, nil
	case r.err != nil:
		return 0, r.err
	}
	return 0, io.EOF
}

// fill reads up to len(dst) entries from the library into dst and says
// how many; it sets r.done at the end or on an error (then r.err). An
// error met after some entries waits in r.pend for the next fill, as the
// library keeps one for the next call. r.mu held.
func (r *Reader) fill(dst []Entry) int {
	if r.pend != nil {
		r.err, r.done, r.pend = r.pend, true, nil
		return 0
	}
	n := 0
	for n < len(dst) && !r.done {
		if r.h == nil {
			r.err, r.done = ErrClosed, true
			break
		}
		want := len(dst) - n
		if want > batchSize {
			want = batchSize
		}
		var got C.size_t
		st := C.ut_reader_next_batch(r.h, r.batch, C.size_t(want), &got)
		switch {
		case st == C.UT_OK && got > 0 && int(got) <= want:
			for i, e := range unsafe.Slice(r.batch, int(got)) {
				r.copyEntry(&dst[n+i], e)
			}
			n += int(got)
		case st == C.UT_OK:
			r.err, r.done = newError(C.UT_ERR_INTERNAL, "ut_reader_next_batch gave "+
				strconv.FormatUint(uint64(got), 10)+" entries for "+strconv.Itoa(want), 0), true
		case st == C.UT_END:
			r.done = true
		case n > 0:
			r.pend = r.lastError(st)
			return n
		default:
			r.err, r.done = r.lastError(st), true
		}
	}
	return n
}

// Entry is the entry Next read (a copy); the zero Entry before Next.
func (r *Reader) Entry() (e Entry) {
	r.mu.Lock()
	if r.next > 0 {
		e = r.buf[r.next-1]
	}
	r.mu.Unlock()
	return e
}

// dropBatch forgets the entries read ahead (the reader moved); r.mu held.
func (r *Reader) dropBatch() {
	r.buf, r.next = r.buf[:0], 0
}

// Err is the error that stopped Next, nil at a normal end.
func (r *Reader) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Close frees the reader; closing again is harmless.
func (r *Reader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.h != nil {
		C.ut_reader_close(r.h)
		C.free(unsafe.Pointer(r.batch))
		r.h, r.batch, r.pend = nil, nil, nil
		r.dropBatch()
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

// Rewind starts again from the first entry (newest for a reverse reader).
func (r *Reader) Rewind() error {
	return r.call(func() C.ut_status {
		r.done, r.err, r.pend = false, nil, nil
		r.dropBatch()
		return C.ut_reader_rewind(r.h)
	})
}

// SeekTime positions the reader at the first entry at or after t (the
// newest at or before t for a reverse reader).
func (r *Reader) SeekTime(t time.Time) error {
	return r.call(func() C.ut_status {
		r.done, r.pend = false, nil
		r.dropBatch()
		return C.ut_reader_seek_time(r.h, C.int64_t(t.Unix()))
	})
}

func (r *Reader) call(f func() C.ut_status) error { return r.locked(false, f) }

// callFromHere is call for what starts where the library stands: refused
// with ErrReadAhead while Next has entries of a batch left.
func (r *Reader) callFromHere(f func() C.ut_status) error { return r.locked(true, f) }

func (r *Reader) locked(fromHere bool, f func() C.ut_status) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.h == nil {
		return ErrClosed
	}
	if fromHere && r.next < len(r.buf) {
		return ErrReadAhead
	}
	if st := f(); st < 0 {
		return r.lastError(st)
	}
	return nil
}

// Format is the name of the format being read.
func (r *Reader) Format() (string, error) {
	var f C.ut_format
	if err := r.call(func() C.ut_status { return C.ut_reader_format(r.h, &f) }); err != nil {
		return "", err
	}
	return FormatName(int(f)), nil
}

// Source names what was opened: a path, "logind:/run/systemd", "memory"...
func (r *Reader) Source() string {
	var s *C.char
	if r.call(func() C.ut_status { return C.ut_reader_source(r.h, &s) }) != nil {
		return ""
	}
	return C.GoString(s)
}

// Skipped counts the records skipped as corrupt so far.
func (r *Reader) Skipped() uint64 {
	var n C.uint64_t
	_ = r.call(func() C.ut_status { return C.ut_reader_skipped(r.h, &n) })
	return uint64(n)
}

// CountUsers counts the logged-in users among the remaining entries (as
// who -q); includeDead skips the process check (files of other machines).
func (r *Reader) CountUsers(distinct, includeDead bool) (int, error) {
	var n C.uint64_t
	var eb errBuf
	err := r.callFromHere(func() C.ut_status {
		return C.ut_count_users(r.h, 0, countFlags(distinct, includeDead), &n, eb.ptr(), errLen)
	})
	return int(n), err
}

// CountUsers counts the users logged in on this host now.
func CountUsers(distinct bool) (int, error) {
	if errABI != nil {
		return 0, errABI
	}
	var n C.uint64_t
	var eb errBuf
	if st := C.ut_count_users(nil, C.UT_DB_UTMP, countFlags(distinct, false), &n, eb.ptr(), errLen); st != C.UT_OK {
		return 0, eb.err(st)
	}
	return int(n), nil
}

func countFlags(distinct, includeDead bool) C.uint32_t {
	var f C.uint32_t
	if distinct {
		f |= cUtCountDistinct
	}
	if includeDead {
		f |= cUtCountIncludeDead
	}
	return f
}

// formatNames holds every format's name, by number, read once.
var formatNames = func() []string {
	var names []string
	for f := 0; ; f++ {
		p := C.ut_format_name(C.ut_format(f))
		if p == nil {
			return names
		}
		names = append(names, C.GoString(p))
	}
}()

// FormatName is the name of a format number ("linux-384-le"), "" if unknown.
func FormatName(f int) string {
	if f >= 0 && f < len(formatNames) {
		return formatNames[f]
	}
	return ""
}

// Version is the library's version, "MAJOR.MINOR.PATCH".
func Version() string { return C.GoString(C.ut_version()) }

// ABIVersion is the loaded library's ABI version (the 1 of libutx.so.1);
// the package refuses to open anything when it is not the one it was
// generated for.
func ABIVersion() int { return int(C.ut_abi_version()) }

func addrOf(family C.uint32_t, b *[16]C.uint8_t) netip.Addr {
	switch family {
	case cUtAddrIpv4:
		return netip.AddrFrom4([4]byte{byte(b[0]), byte(b[1]), byte(b[2]), byte(b[3])})
	case cUtAddrIpv6:
		return netip.AddrFrom16(*(*[16]byte)(unsafe.Pointer(b)))
	}
	return netip.Addr{}
}

func goString(p *C.char) string {
	if p == nil || *p == 0 {
		return ""
	}
	return C.GoString(p)
}

// copyEntry converts the library's entry into d, in Go: no cgo call.
func (r *Reader) copyEntry(d *Entry, e *C.ut_entry) {
	d.Type = EntryType(e.entry_type)
	d.RawType = int(e.raw_type)
	// user .. service, and User .. Service, are 5 fields in a row (the
	// declarations after copyEntry check it when compiling).
	r.strs.getAll((*[5]unsafe.Pointer)(unsafe.Pointer(&e.user)), (*[5]string)(unsafe.Pointer(&d.User)))
	d.PID = int64(e.pid)
	d.Session = int64(e.session)
	d.UID = int64(e.uid)
	d.ExitTermination = int(e.exit_termination)
	d.ExitStatus = int(e.exit_status)
	d.Sec = int64(e.sec)
	d.Usec = int32(e.usec)
	d.Time = time.Unix(d.Sec, int64(d.Usec)*1000).UTC()
	d.Addr = addrOf(e.addr_family, &e.addr)
	d.Format = FormatName(int(e.format))
	d.Offset = uint64(e.offset)
	d.Flags = Flags(e.flags)
}

// Compiled only when ut_entry's user .. service and Entry's User ..
// Service are each 5 fields in a row, as copyEntry reads and writes them.
var (
	_ = [1]int{}[unsafe.Offsetof(C.ut_entry{}.service)-unsafe.Offsetof(C.ut_entry{}.user)-4*unsafe.Sizeof(unsafe.Pointer(nil))]
	_ = [1]int{}[unsafe.Offsetof(C.ut_entry{}.line)-unsafe.Offsetof(C.ut_entry{}.user)-unsafe.Sizeof(unsafe.Pointer(nil))]
	_ = [1]int{}[unsafe.Offsetof(C.ut_entry{}.id)-unsafe.Offsetof(C.ut_entry{}.line)-unsafe.Sizeof(unsafe.Pointer(nil))]
	_ = [1]int{}[unsafe.Offsetof(C.ut_entry{}.host)-unsafe.Offsetof(C.ut_entry{}.id)-unsafe.Sizeof(unsafe.Pointer(nil))]
	_ = [1]int{}[unsafe.Offsetof(Entry{}.Service)-unsafe.Offsetof(Entry{}.User)-4*unsafe.Sizeof("")]
	_ = [1]int{}[unsafe.Offsetof(Entry{}.Line)-unsafe.Offsetof(Entry{}.User)-unsafe.Sizeof("")]
	_ = [1]int{}[unsafe.Offsetof(Entry{}.ID)-unsafe.Offsetof(Entry{}.Line)-unsafe.Sizeof("")]
	_ = [1]int{}[unsafe.Offsetof(Entry{}.Host)-unsafe.Offsetof(Entry{}.ID)-unsafe.Sizeof("")]
)
