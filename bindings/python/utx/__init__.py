"""Read every Unix system's login-accounting files (utmp, wtmp, btmp,
lastlog and their successors) through libutx.

    import utx
    with utx.open("/var/log/wtmp") as r:
        for e in r:
            if e.type == utx.EntryType.USER_PROCESS:
                print(e.user, e.line, e.time)

Every value is copied out of the library, so an Entry stays valid after
the reader moves on or closes.  A reader must not be used by two threads
at once (a lock per reader enforces it: a second thread waits); different
readers are independent.

Iteration takes entries from the library in batches (up to UT_BATCH_MAX
per call), so the library may stand ahead of the entries returned so far:
count_users(), sessions(), set_types() and set_time_range() raise
ValueError until the batch is used up (or after rewind() or seek_time()).
"""
import ctypes
import dataclasses
import datetime
import errno as _errno
import ipaddress
import os
import threading
from typing import Optional, Union

from . import _ffi
from ._constants import (  # noqa: F401 (re-exported)
    Category, Database, EntryFlag, EntryType, Family, Format, OpenFlag,
    SessionEnd, SessionKind, TimeChange, TypeMask,
)
from ._constants import (
    UT_ADDR_IPV4, UT_ADDR_IPV6, UT_COUNT_DISTINCT, UT_COUNT_INCLUDE_DEAD, UT_END,
    UT_ERR_FORMAT, UT_ERR_INTERNAL, UT_ERR_INVALID, UT_ERR_IO, UT_ERR_NOMEM,
    UT_ERR_NOT_FOUND, UT_ERR_NULL, UT_ERR_PERMISSION, UT_ERR_UNSUPPORTED,
    UT_BATCH_MAX, UT_OK, UT_SESSION_HAS_LOGOUT, UT_SESSIONS_NO_LIVENESS,
)

__all__ = [
    "open", "from_bytes", "utmp", "wtmp", "btmp", "lastlog", "Reader", "Entry",
    "Session", "Sessions", "Monitor", "Category", "seats", "logind_sessions",
    "uids", "machines", "count_users", "version", "format_name", "Error",
    "NotFound", "PermissionDenied", "FormatError", "InvalidArgument",
    "NullArgument", "IoError", "Unsupported", "NoMemory", "InternalError",
    "EntryType", "EntryFlag", "Format", "Family", "Database", "SessionKind",
    "SessionEnd", "TimeChange", "TypeMask",
]


# ---- errors -----------------------------------------------------------------

_ERRNO = {UT_ERR_NOT_FOUND: _errno.ENOENT, UT_ERR_PERMISSION: _errno.EACCES}


class Error(Exception):
    """A libutx failure: .status (UT_ERR_*), .message, .errno (0 if none)."""

    def __init__(self, status, message="", errno=0):
        text = message or _ffi.ut_status_str(status).decode()
        super().__init__(text)
        self.status = status
        self.message = text
        self.errno = errno or _ERRNO.get(status)
        self.strerror = text


class NotFound(Error, FileNotFoundError):
    pass


class PermissionDenied(Error, PermissionError):
    pass


class FormatError(Error, ValueError):
    pass


class InvalidArgument(Error, ValueError):
    pass


class NullArgument(InvalidArgument):
    pass


class IoError(Error, OSError):
    pass


class Unsupported(Error, NotImplementedError):
    pass


class NoMemory(Error, MemoryError):
    pass


class InternalError(Error):
    pass


_ERRORS = {
    UT_ERR_NOT_FOUND: NotFound, UT_ERR_PERMISSION: PermissionDenied,
    UT_ERR_FORMAT: FormatError, UT_ERR_INVALID: InvalidArgument,
    UT_ERR_NULL: NullArgument, UT_ERR_IO: IoError, UT_ERR_UNSUPPORTED: Unsupported,
    UT_ERR_NOMEM: NoMemory, UT_ERR_INTERNAL: InternalError,
}


def _error(status, message=b"", errno=0):
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return _ERRORS.get(status, Error)(status, message, errno)


def _handle_error(getter, handle, status):
    msg, err = ctypes.c_char_p(), ctypes.c_int32()
    getter(handle, ctypes.byref(msg), ctypes.byref(err))
    return _error(status, msg.value or b"", err.value)


# ---- values -----------------------------------------------------------------

_UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
_names = {}


def format_name(fmt: int) -> str:
    """The name of a format number ("linux-384-le")."""
    name = _names.get(fmt)
    if name is None:
        raw = _ffi.ut_format_name(fmt)
        if raw is None:
            raise InvalidArgument(UT_ERR_INVALID, "unknown format %d" % fmt)
        name = _names[fmt] = raw.decode()
    return name


def _format_number(fmt) -> int:
    if fmt is None:
        return 0
    if isinstance(fmt, int):
        return int(fmt)
    out = ctypes.c_uint32()
    st = _ffi.ut_format_from_name(fmt.encode(), ctypes.byref(out))
    if st != UT_OK:
        raise _error(st, "unknown format name %r" % fmt)
    return out.value


def _time(sec, usec):
    """An aware UTC datetime, or None when it cannot be one."""
    if not 0 <= usec <= 999999:
        return None
    try:
        return _EPOCH + datetime.timedelta(0, sec, usec)  # positional: 3x faster than keywords
    except OverflowError:
        return None


def _addr(family, raw):
    if family == UT_ADDR_IPV4:
        return ipaddress.IPv4Address(bytes(raw[:4]))
    if family == UT_ADDR_IPV6:
        return ipaddress.IPv6Address(bytes(raw))
    return None


def _str(b):
    return b.decode("utf-8", "surrogateescape")


def _opt(n):
    return None if n == -1 else n


@dataclasses.dataclass(frozen=True)
class Entry:
    """One normalized record, copied out of the library.

    Strings are str; bytes that are not UTF-8 come through surrogateescape
    (``e.user.encode("utf-8", "surrogateescape")`` gives them back).  pid,
    session, uid and the exit fields are None when unknown.  ``time`` is an
    aware UTC datetime, or None when sec/usec cannot be one (``sec`` and
    ``usec`` always hold the raw values; EntryFlag.TIME_IMPLAUSIBLE says
    the library found them implausible).
    """
    type: EntryType
    raw_type: Optional[int]
    user: str
    line: str
    id: str
    host: str
    service: str
    pid: Optional[int]
    session: Optional[int]
    uid: Optional[int]
    exit_termination: Optional[int]
    exit_status: Optional[int]
    sec: int
    usec: int
    time: Optional[datetime.datetime]
    addr: Optional[Union[ipaddress.IPv4Address, ipaddress.IPv6Address]]
    format: str
    offset: int
    flags: EntryFlag


_ENTRY_FIELDS = [f.name for f in dataclasses.fields(Entry)]
_TYPES = {int(t): t for t in EntryType}


_FLAGS = {}
_IMPLAUSIBLE = int(EntryFlag.TIME_IMPLAUSIBLE)


def _entry(c, _dec=bytes.decode, _se="surrogateescape", _new=object.__new__, _set=object.__setattr__):
    # The hot path: about 30 ctypes field reads per entry, kept inline.
    pid, session, uid = c.pid, c.session, c.uid
    term, status, raw = c.exit_termination, c.exit_status, c.raw_type
    sec, usec, fmt, flags = c.sec, c.usec, c.format, c.flags
    fl = _FLAGS.get(flags)
    if fl is None:
        fl = _FLAGS[flags] = EntryFlag(flags)
    d = {
        "type": _TYPES.get(c.entry_type, c.entry_type), "raw_type": None if raw == -1 else raw,
        "user": _dec(c.user, "utf-8", _se), "line": _dec(c.line, "utf-8", _se),
        "id": _dec(c.id, "utf-8", _se), "host": _dec(c.host, "utf-8", _se),
        "service": _dec(c.service, "utf-8", _se), "pid": None if pid == -1 else pid,
        "session": None if session == -1 else session, "uid": None if uid == -1 else uid,
        "exit_termination": None if term == -1 else term,
        "exit_status": None if status == -1 else status,
        "sec": sec, "usec": usec, "time": None if flags & _IMPLAUSIBLE else _time(sec, usec),
        "addr": _addr(c.addr_family, c.addr) if c.addr_family else None,
        "format": _names.get(fmt) or format_name(fmt), "offset": c.offset, "flags": fl,
    }
    e = _new(Entry)
    _set(e, "__dict__", d)  # a frozen dataclass, built without 19 setattr calls
    return e


# ---- readers ------------------------------------------------------------------

def _open_call(fn, *args):
    out, err = ctypes.c_void_p(), _ffi.errbuf()
    st = fn(*args, ctypes.byref(out), err, _ffi.ERRLEN)
    if st != UT_OK:
        raise _error(st, err.value)
    return out.value


def _flags(reverse, live=False, all_sessions=False):
    return ((OpenFlag.REVERSE if reverse else 0) | (OpenFlag.LIVE if live else 0)
            | (OpenFlag.ALL_SESSIONS if all_sessions else 0))


def _timestamp(t):
    if isinstance(t, datetime.datetime):
        if t.tzinfo is None:
            raise ValueError("a naive datetime has no definite time; give tzinfo")
        return int(t.timestamp() // 1)
    return int(t)


class Reader:
    """An open file, buffer or database: an iterator of Entry and a
    context manager (closing it twice is harmless)."""

    def __init__(self, handle, types=None, since=None, until=None):
        self._h = handle
        self._lock = threading.Lock()
        # The last batch: pointers the library fills, and the entries not
        # yet returned, last first.
        self._ptrs = None
        self._count = ctypes.c_size_t()
        self._ahead = []
        if types is not None:
            self.set_types(*types)
        if since is not None or until is not None:
            self.set_time_range(since, until)

    def _handle(self):
        if not self._h:
            raise ValueError("I/O operation on a closed utx.Reader")
        return self._h

    def _check(self, st):
        if st < 0:
            raise _handle_error(_ffi.ut_reader_error, self._h, st)
        return st

    def __iter__(self):
        return self

    def __next__(self) -> Entry:
        with self._lock:
            ahead = self._ahead
            if ahead:
                return ahead.pop()
            h = self._handle()
            if self._ptrs is None:
                self._ptrs = (ctypes.POINTER(_ffi.CEntry) * UT_BATCH_MAX)()
            st = _ffi.ut_reader_next_batch(h, self._ptrs, UT_BATCH_MAX, ctypes.byref(self._count))
            if st == UT_OK:
                ptrs = self._ptrs
                ahead[:] = [_entry(ptrs[i].contents) for i in range(self._count.value - 1, -1, -1)]
                return ahead.pop()
            if st == UT_END:
                raise StopIteration
            raise _handle_error(_ffi.ut_reader_error, self._h, st)

    def _here(self):
        """The handle, for what starts where the library stands (lock held)."""
        if self._ahead:
            raise ValueError("utx.Reader: iteration has read %d entries ahead; finish it, "
                             "rewind() or seek_time() first" % len(self._ahead))
        return self._handle()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def close(self):
        with self._lock:
            h, self._h = getattr(self, "_h", None), None
            self._ahead = []
            if h:
                _ffi.ut_reader_close(h)

    def rewind(self):
        with self._lock:
            self._ahead.clear()
            self._check(_ffi.ut_reader_rewind(self._handle()))

    def set_types(self, *types):
        """Only return entries of these EntryTypes."""
        mask = 0
        for t in types:
            mask |= 1 << int(t)
        with self._lock:
            self._check(_ffi.ut_reader_set_types(self._here(), mask))

    def set_time_range(self, since=None, until=None):
        """Only entries with since <= sec <= until (datetimes or seconds)."""
        lo = -(1 << 63) if since is None else _timestamp(since)
        hi = (1 << 63) - 1 if until is None else _timestamp(until)
        with self._lock:
            self._check(_ffi.ut_reader_set_time_range(self._here(), lo, hi))

    def seek_time(self, t):
        with self._lock:
            self._ahead.clear()
            self._check(_ffi.ut_reader_seek_time(self._handle(), _timestamp(t)))

    def _get(self, fn, ctype):
        """The value of a ut_reader_* getter (copied while locked)."""
        out = ctype()
        with self._lock:
            self._check(fn(self._handle(), ctypes.byref(out)))
            return out.value

    @property
    def format(self) -> str:
        return format_name(self._get(_ffi.ut_reader_format, ctypes.c_uint32))

    @property
    def source(self) -> str:
        """What was opened: a path, "logind:/run/systemd", "memory", ..."""
        return _str(self._get(_ffi.ut_reader_source, ctypes.c_char_p))

    @property
    def skipped(self) -> int:
        """Records skipped as corrupt so far."""
        return self._get(_ffi.ut_reader_skipped, ctypes.c_uint64)

    def count_users(self, distinct=False, include_dead=False) -> int:
        """Count the remaining entries' logged-in users (as who -q)."""
        with self._lock:
            return _count(self._here(), 0, distinct, include_dead, self._check)

    def sessions(self, no_liveness=False) -> "Sessions":
        """Pair this reader's entries into sessions (open it with reverse=True)."""
        return Sessions(self, no_liveness)


def _open_handle(path, fmt, flags):
    if isinstance(path, (list, tuple)):
        paths = [os.fsencode(p) for p in path]
        arr = (ctypes.c_char_p * len(paths))(*paths)
        return _open_call(_ffi.ut_reader_open_files, arr, len(paths), fmt, flags)
    return _open_call(_ffi.ut_reader_open, os.fsencode(path), fmt, flags)


def open(path, format=None, reverse=False, types=None, since=None, until=None) -> Reader:  # noqa: A001
    """Open a file (or, given a list, files read as one history, oldest
    first).  format: a name ("linux-384-le"), a Format, or None to detect."""
    return Reader(_open_handle(path, _format_number(format), _flags(reverse)), types, since, until)


def from_bytes(data: bytes, format=None, reverse=False) -> Reader:
    """Read records from memory (the bytes are copied)."""
    data = bytes(data)
    return Reader(_open_call(_ffi.ut_reader_open_memory, data, len(data),
                             _format_number(format), _flags(reverse)))


def _db(database, root, reverse, live=False, all_sessions=False, **kw):
    root = os.fsencode(root) if root is not None else None
    return Reader(_open_call(_ffi.ut_reader_open_db_at, root, database,
                             _flags(reverse, live, all_sessions)), **kw)


def utmp(live=False, all_sessions=False, reverse=False, root=None, **kw) -> Reader:
    """Who is logged in now: this host's utmp, else logind's sessions."""
    return _db(Database.UTMP, root, reverse, live, all_sessions, **kw)


def wtmp(reverse=False, root=None, **kw) -> Reader:
    """Login history: wtmp, else wtmpdb."""
    return _db(Database.WTMP, root, reverse, **kw)


def btmp(reverse=False, root=None, **kw) -> Reader:
    """Failed logins."""
    return _db(Database.BTMP, root, reverse, **kw)


def lastlog(root=None, **kw) -> Reader:
    """Last login per user: lastlog, else lastlog2."""
    return _db(Database.LASTLOG, root, False, **kw)


def count_users(distinct=False, include_dead=False) -> int:
    """How many users are logged in on this host (as who -q counts them)."""
    return _count(None, Database.UTMP, distinct, include_dead, None)


def _count(handle, database, distinct, include_dead, check):
    out, err = ctypes.c_uint64(), _ffi.errbuf()
    flags = (UT_COUNT_DISTINCT if distinct else 0) | (UT_COUNT_INCLUDE_DEAD if include_dead else 0)
    st = _ffi.ut_count_users(handle, database, flags, ctypes.byref(out), err, _ffi.ERRLEN)
    if st != UT_OK:
        if check is not None:
            check(st)
        raise _error(st, err.value)
    return out.value


def version() -> str:
    return _ffi.ut_version().decode()


# ---- sessions -----------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Session:
    """A login paired with what ended it (as `last` shows it)."""
    kind: SessionKind
    end: SessionEnd
    user: str
    line: str
    id: str
    host: str
    addr: Optional[Union[ipaddress.IPv4Address, ipaddress.IPv6Address]]
    pid: Optional[int]
    login_sec: int
    login_usec: int
    login: Optional[datetime.datetime]
    logout_sec: Optional[int]
    logout_usec: Optional[int]
    logout: Optional[datetime.datetime]
    login_offset: int
    logout_offset: Optional[int]
    runlevel: Optional[str]
    time_change: TimeChange
    format: str


def _session(c):
    has_out = bool(c.flags & UT_SESSION_HAS_LOGOUT)
    return Session(
        kind=SessionKind(c.kind), end=SessionEnd(c.end), user=_str(c.user), line=_str(c.line),
        id=_str(c.id), host=_str(c.host), addr=_addr(c.addr_family, c.addr), pid=_opt(c.pid),
        login_sec=c.login_sec, login_usec=c.login_usec, login=_time(c.login_sec, c.login_usec),
        logout_sec=c.logout_sec if has_out else None, logout_usec=c.logout_usec if has_out else None,
        logout=_time(c.logout_sec, c.logout_usec) if has_out else None,
        login_offset=c.login_offset, logout_offset=_opt(c.logout_offset),
        runlevel=chr(c.runlevel) if c.runlevel >= 0 else None,
        time_change=TimeChange(c.time_change), format=format_name(c.format))


class Sessions:
    """An iterator of Session over a reverse reader, which it uses (and
    locks) until closed."""

    def __init__(self, reader: Reader, no_liveness=False):
        self._reader = reader
        with reader._lock:
            self._h = _open_call(_ffi.ut_sessions_open, reader._here(),
                                 UT_SESSIONS_NO_LIVENESS if no_liveness else 0)
        self._out = ctypes.POINTER(_ffi.CSession)()

    def __iter__(self):
        return self

    def __next__(self) -> Session:
        if not self._h:
            raise ValueError("utx.Sessions is closed")
        with self._reader._lock:
            st = _ffi.ut_sessions_next(self._h, ctypes.byref(self._out))
            if st == UT_OK:
                return _session(self._out.contents)
            if st == UT_END:
                raise StopIteration
            raise _handle_error(_ffi.ut_reader_error, self._reader._h, st)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def close(self):
        h, self._h = getattr(self, "_h", None), None
        if h:
            _ffi.ut_sessions_close(h)


# ---- logind and the monitor ----------------------------------------------------

def _list(category, root):
    root = os.fsencode(root) if root is not None else None
    h = _open_call(_ffi.ut_logind_list, root, category)
    try:
        n = ctypes.c_size_t()
        _ffi.ut_strlist_count(h, ctypes.byref(n))
        out, item = [], ctypes.c_char_p()
        for i in range(n.value):
            _ffi.ut_strlist_get(h, i, ctypes.byref(item))
            out.append(_str(item.value))
        return out
    finally:
        _ffi.ut_strlist_close(h)


def seats(root=None) -> list:
    """logind's seats ("seat0", ...), sorted."""
    return _list(Category.SEATS, root)


def logind_sessions(root=None) -> list:
    """logind's session ids, sorted."""
    return _list(Category.SESSIONS, root)


def uids(root=None) -> list:
    """uids of users with logind state, ascending."""
    return [int(u) for u in _list(Category.USERS, root)]


def machines(root=None) -> list:
    """Virtual machines and containers machined knows, sorted."""
    return _list(Category.MACHINES, root)


class Monitor:
    """Watches logind state and utmp for changes.  fileno() becomes
    readable on a change (use it with select, selectors or asyncio's
    add_reader); call flush() then read the state again."""

    def __init__(self, categories=Category.ALL, root=None):
        root = os.fsencode(root) if root is not None else None
        self._h = _open_call(_ffi.ut_monitor_open_at, root, int(categories))

    def _get(self, fn, ctype):
        if not self._h:
            raise ValueError("utx.Monitor is closed")
        out = ctype()
        st = fn(self._h, ctypes.byref(out))
        if st != UT_OK:
            raise _handle_error(_ffi.ut_monitor_error, self._h, st)
        return out.value

    def fileno(self) -> int:
        return self._get(_ffi.ut_monitor_fd, ctypes.c_int32)

    @property
    def events(self) -> int:
        return self._get(_ffi.ut_monitor_events, ctypes.c_int32)

    @property
    def watched(self) -> Category:
        return Category(self._get(_ffi.ut_monitor_watched, ctypes.c_uint32))

    def describe(self) -> str:
        return _str(self._get(_ffi.ut_monitor_describe, ctypes.c_char_p))

    def timeout(self) -> Optional[int]:
        """Absolute CLOCK_MONOTONIC µs to wake up at, or None (never needed)."""
        t = self._get(_ffi.ut_monitor_timeout, ctypes.c_uint64)
        return None if t == (1 << 64) - 1 else t

    def flush(self):
        if not self._h:
            raise ValueError("utx.Monitor is closed")
        st = _ffi.ut_monitor_flush(self._h)
        if st != UT_OK:
            raise _handle_error(_ffi.ut_monitor_error, self._h, st)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def close(self):
        h, self._h = getattr(self, "_h", None), None
        if h:
            _ffi.ut_monitor_close(h)
