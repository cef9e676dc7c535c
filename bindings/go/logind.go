package utx

/*
#include <stdlib.h>
#include <utx.h>
*/
import "C"

import (
	"context"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// Category selects logind lists and what a Monitor watches (bitwise or).
type Category uint32

// Categories.
const (
	CatSeats    Category = cUtCategorySeats
	CatSessions Category = cUtCategorySessions
	CatUsers    Category = cUtCategoryUsers
	CatMachines Category = cUtCategoryMachines
	CatUtmp     Category = cUtCategoryUtmp
	CatAll      Category = cUtCategoryAll
)

func cRoot(root string) *C.char {
	if root == "" {
		return nil
	}
	return C.CString(root)
}

// LogindList lists one category of the system at root ("" for this one), sorted.
func LogindList(root string, c Category) ([]string, error) {
	if errABI != nil {
		return nil, errABI
	}
	r := cRoot(root)
	defer C.free(unsafe.Pointer(r))
	var l *C.ut_strlist
	var eb errBuf
	if st := C.ut_logind_list(r, C.ut_category(c), &l, eb.ptr(), errLen); st != C.UT_OK {
		return nil, eb.err(st)
	}
	defer C.ut_strlist_close(l)
	var n C.size_t
	C.ut_strlist_count(l, &n)
	out := make([]string, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		var s *C.char
		C.ut_strlist_get(l, i, &s)
		out = append(out, C.GoString(s))
	}
	return out, nil
}

// Seats gives logind's seats.
func Seats() ([]string, error) { return LogindList("", CatSeats) }

// LogindSessions gives logind's session ids.
func LogindSessions() ([]string, error) { return LogindList("", CatSessions) }

// Machines gives the virtual machines and containers machined knows.
func Machines() ([]string, error) { return LogindList("", CatMachines) }

// UIDs gives the uids of users with logind state, ascending.
func UIDs() ([]int, error) { return uidsAt("") }

func uidsAt(root string) ([]int, error) {
	l, err := LogindList(root, CatUsers)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(l))
	for i, s := range l {
		if out[i], err = strconv.Atoi(s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Monitor watches logind state and utmp; its Fd becomes readable on a change.
type Monitor struct {
	mu sync.Mutex
	h  *C.ut_monitor
}

// NewMonitor watches cats on this system.
func NewMonitor(cats Category) (*Monitor, error) { return NewMonitorAt("", cats) }

// NewMonitorAt watches cats of the system whose root directory is root.
func NewMonitorAt(root string, cats Category) (*Monitor, error) {
	if errABI != nil {
		return nil, errABI
	}
	r := cRoot(root)
	defer C.free(unsafe.Pointer(r))
	m := &Monitor{}
	var eb errBuf
	if st := C.ut_monitor_open_at(r, C.ut_category(cats), &m.h, eb.ptr(), errLen); st != C.UT_OK {
		return nil, eb.err(st)
	}
	runtime.SetFinalizer(m, (*Monitor).Close)
	return m, nil
}

func (m *Monitor) call(f func() C.ut_status) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h == nil {
		return ErrClosed
	}
	if st := f(); st != C.UT_OK {
		var msg *C.char
		var errno C.int32_t
		C.ut_monitor_error(m.h, &msg, &errno)
		return newError(st, C.GoString(msg), int(errno))
	}
	return nil
}

// Fd is the descriptor to poll (owned by the monitor), -1 once closed.
func (m *Monitor) Fd() int {
	fd := C.int32_t(-1)
	_ = m.call(func() C.ut_status { return C.ut_monitor_fd(m.h, &fd) })
	return int(fd)
}

// Flush resets the wake-up state after a change; read the state again then.
func (m *Monitor) Flush() error {
	return m.call(func() C.ut_status { return C.ut_monitor_flush(m.h) })
}

// Watched is what is watched now (the asked categories whose paths exist).
func (m *Monitor) Watched() Category {
	var c C.ut_category
	_ = m.call(func() C.ut_status { return C.ut_monitor_watched(m.h, &c) })
	return Category(c)
}

// Describe says what is watched and what is missing.
func (m *Monitor) Describe() string {
	var s *C.char
	if m.call(func() C.ut_status { return C.ut_monitor_describe(m.h, &s) }) != nil {
		return ""
	}
	return C.GoString(s)
}

// Wait delivers nil on the channel when the fd becomes readable (call
// Flush then), or ctx's error when ctx ends first.
func (m *Monitor) Wait(ctx context.Context) <-chan error {
	ch := make(chan error, 1)
	fd := m.Fd()
	if fd < 0 {
		ch <- ErrClosed
		return ch
	}
	go func() {
		for {
			if err := ctx.Err(); err != nil {
				ch <- err
				return
			}
			var set syscall.FdSet
			set.Bits[fd/64] |= 1 << (uint(fd) % 64)
			tv := syscall.NsecToTimeval(int64(50 * time.Millisecond))
			n, err := syscall.Select(fd+1, &set, nil, nil, &tv)
			if err != nil && err != syscall.EINTR {
				ch <- err
				return
			}
			if n > 0 {
				ch <- nil
				return
			}
		}
	}()
	return ch
}

// Close frees the monitor and closes its fd; closing again is harmless.
func (m *Monitor) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h != nil {
		C.ut_monitor_close(m.h)
		m.h = nil
		runtime.SetFinalizer(m, nil)
	}
	return nil
}
