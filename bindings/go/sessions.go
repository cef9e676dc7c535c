package utx

/*
#include <stdlib.h>
#include <utx.h>
*/
import "C"

import (
	"net/netip"
	"runtime"
	"sync"
	"time"
)

// SessionKind is what a session stands for (UT_KIND_*).
type SessionKind uint32

// Session kinds.
const (
	KindUser        SessionKind = cUtKindUser        // a user's login
	KindReboot      SessionKind = cUtKindReboot      // a boot, until the next shutdown
	KindShutdown    SessionKind = cUtKindShutdown    // a shutdown, until the next boot
	KindRunLevel    SessionKind = cUtKindRunLevel    // a run-level change
	KindClockChange SessionKind = cUtKindClockChange // a clock change (a point in time)
)

// SessionEnd is how a session ended (UT_ENDED_*).
type SessionEnd uint32

// Session ends.
const (
	EndedLoggedOut     SessionEnd = cUtEndedLoggedOut
	EndedStillLoggedIn SessionEnd = cUtEndedStillLoggedIn
	EndedGone          SessionEnd = cUtEndedGone
	EndedCrash         SessionEnd = cUtEndedCrash
	EndedDown          SessionEnd = cUtEndedDown
	EndedStillRunning  SessionEnd = cUtEndedStillRunning
	EndedInstant       SessionEnd = cUtEndedInstant
)

// Session is a login paired with what ended it, as last shows it (a copy).
type Session struct {
	Kind         SessionKind
	End          SessionEnd
	User         string
	Line         string
	ID           string
	Host         string
	Addr         netip.Addr
	PID          int64
	Login        time.Time
	Logout       time.Time // zero when HasLogout is false
	HasLogout    bool
	LoginOffset  uint64
	LogoutOffset int64 // -1 when none
	RunLevel     rune  // the new level for KindRunLevel, else -1
	TimeChange   int   // UT_TIME_CHANGE_*
	Format       string
}

// Sessions pairs a reverse reader's entries into sessions; it uses (and
// locks) the reader until closed.
type Sessions struct {
	mu   sync.Mutex
	r    *Reader
	h    *C.ut_sessions
	cur  Session
	err  error
	done bool
}

// Sessions starts pairing the reader's entries (open it with Reverse())
// from where it stands (ErrReadAhead in the middle of a batch of Next).
// noLiveness never consults this host's processes (files of other machines).
func (r *Reader) Sessions(noLiveness bool) (*Sessions, error) {
	var flags C.uint32_t
	if noLiveness {
		flags = cUtSessionsNoLiveness
	}
	s := &Sessions{r: r}
	var eb errBuf
	err := r.callFromHere(func() C.ut_status { return C.ut_sessions_open(r.h, flags, &s.h, eb.ptr(), errLen) })
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Message = C.GoString(eb.ptr())
		}
		return nil, err
	}
	runtime.SetFinalizer(s, (*Sessions).Close)
	return s, nil
}

// Next reads the next session; false at the end or on an error (see Err).
func (s *Sessions) Next() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return false
	}
	if s.h == nil {
		s.err, s.done = ErrClosed, true
		return false
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	var c *C.ut_session
	st := C.ut_sessions_next(s.h, &c)
	switch {
	case st == C.UT_OK:
		copySession(&s.cur, c)
		return true
	case st == C.UT_END:
		s.done = true
	default:
		s.err, s.done = s.r.lastError(st), true
	}
	return false
}

// Session is the session Next read.
func (s *Sessions) Session() Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// Err is the error that stopped Next, nil at a normal end.
func (s *Sessions) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close frees the handle (not its reader); closing again is harmless.
func (s *Sessions) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.h != nil {
		C.ut_sessions_close(s.h)
		s.h = nil
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

func copySession(d *Session, c *C.ut_session) {
	d.Kind = SessionKind(c.kind)
	d.End = SessionEnd(c.end)
	d.User = goString(c.user)
	d.Line = goString(c.line)
	d.ID = goString(c.id)
	d.Host = goString(c.host)
	d.Addr = addrOf(c.addr_family, &c.addr)
	d.PID = int64(c.pid)
	d.Login = time.Unix(int64(c.login_sec), int64(c.login_usec)*1000).UTC()
	d.HasLogout = c.flags&cUtSessionHasLogout != 0
	d.Logout = time.Time{}
	if d.HasLogout {
		d.Logout = time.Unix(int64(c.logout_sec), int64(c.logout_usec)*1000).UTC()
	}
	d.LoginOffset = uint64(c.login_offset)
	d.LogoutOffset = int64(c.logout_offset)
	d.RunLevel = rune(c.runlevel)
	d.TimeChange = int(c.time_change)
	d.Format = FormatName(int(c.format))
}
