"""pyutmpx's API over libutx: the utmp, wtmp, btmp and lastlog views,
utmp_entry, lastlog_entry, exit_status, and pyutmpx's own type numbers.

A safe replacement for the pyutmpx C extension (0.4.1 aborts CPython 3.11
with a reference-count error after iterating a wtmp).  Each view takes an
optional path; without one it reads this host's database.
"""
import utx

__all__ = ["EMPTY", "BOOT_TIME", "OLD_TIME", "NEW_TIME", "USER_PROCESS", "INIT_PROCESS",
           "LOGIN_PROCESS", "DEAD_PROCESS", "RUN_LEVEL", "ACCOUNTING", "exit_status",
           "utmp_entry", "lastlog_entry", "utmp", "wtmp", "btmp", "lastlog"]

EMPTY = 0
BOOT_TIME = 1
OLD_TIME = 2
NEW_TIME = 3
USER_PROCESS = 4
INIT_PROCESS = 5
LOGIN_PROCESS = 6
DEAD_PROCESS = 7
RUN_LEVEL = 8
ACCOUNTING = 9

_T = utx.EntryType
# pyutmpx has no number for SIGNATURE or SHUTDOWN_TIME: "other accounting event".
_TYPE = {_T.EMPTY: EMPTY, _T.BOOT_TIME: BOOT_TIME, _T.OLD_TIME: OLD_TIME, _T.NEW_TIME: NEW_TIME,
         _T.USER_PROCESS: USER_PROCESS, _T.INIT_PROCESS: INIT_PROCESS,
         _T.LOGIN_PROCESS: LOGIN_PROCESS, _T.DEAD_PROCESS: DEAD_PROCESS, _T.RUN_LVL: RUN_LEVEL,
         _T.ACCOUNTING: ACCOUNTING, _T.SIGNATURE: ACCOUNTING, _T.SHUTDOWN_TIME: ACCOUNTING}


class exit_status:  # noqa: N801 (pyutmpx's name)
    __slots__ = ("termination", "exit")

    def __init__(self, termination, exit):
        self.termination = termination
        self.exit = exit

    def __repr__(self):
        return "pyutmpx.exit_status(termination=%d, exit=%d)" % (self.termination, self.exit)


class utmp_entry:  # noqa: N801
    __slots__ = ("id", "type", "user", "host", "line", "time", "pid", "sid", "exit", "addr")

    def __init__(self, e):
        self.id = e.id
        self.type = _TYPE.get(e.type, ACCOUNTING)
        self.user = e.user
        self.host = e.host
        self.line = e.line
        self.time = e.time
        self.pid = e.pid if e.pid is not None else 0
        self.sid = e.session if e.session is not None else 0
        self.exit = exit_status(e.exit_termination or 0, e.exit_status or 0)
        self.addr = str(e.addr) if e.addr is not None else ""

    def __repr__(self):
        return "pyutmpx.utmp_entry(%s)" % ", ".join("%s=%r" % (k, getattr(self, k)) for k in self.__slots__)


class lastlog_entry:  # noqa: N801
    __slots__ = ("uid", "host", "line", "time")

    def __init__(self, e):
        self.uid = e.uid
        self.host = e.host
        self.line = e.line
        self.time = e.time

    def __repr__(self):
        return "pyutmpx.lastlog_entry(%s)" % ", ".join("%s=%r" % (k, getattr(self, k)) for k in self.__slots__)


class _View:
    _open = None
    _entry = utmp_entry

    def __init__(self, path=None):
        self.path = path

    def __iter__(self):
        with (utx.open(self.path) if self.path is not None else type(self)._open()) as r:
            for e in r:
                yield self._entry(e)


class utmp(_View):  # noqa: N801
    """Who is logged in now."""
    _open = staticmethod(utx.utmp)


class wtmp(_View):  # noqa: N801
    """The login history."""
    _open = staticmethod(utx.wtmp)


class btmp(_View):  # noqa: N801
    """Failed logins."""
    _open = staticmethod(utx.btmp)


class lastlog(_View):  # noqa: N801
    """The last login of each user (users who never logged in are left out)."""
    _open = staticmethod(utx.lastlog)
    _entry = lastlog_entry
