"""python-systemd's systemd.login API over libutx (no libsystemd needed).

seats(), sessions(), uids(), machine_names() and Monitor([category]) with
fileno(), get_events(), get_timeout(), get_timeout_ms(), flush(), close().
ROOT, when set, is the root directory of the system to look at (for a
system copied elsewhere, and for tests); None means this one.
"""
import time

import utx

__all__ = ["seats", "sessions", "uids", "machine_names", "Monitor"]

ROOT = None

_CATEGORIES = {"seat": utx.Category.SEATS, "session": utx.Category.SESSIONS,
               "uid": utx.Category.USERS, "machine": utx.Category.MACHINES}


def seats():
    return utx.seats(ROOT)


def sessions():
    return utx.logind_sessions(ROOT)


def uids():
    return utx.uids(ROOT)


def machine_names():
    return utx.machines(ROOT)


class Monitor:
    """Wakes up (fileno() readable) when logind's seats, sessions, users or
    machines change; category is one of "seat", "session", "uid",
    "machine", or None for all four."""

    def __init__(self, category=None):
        if category is None:
            cats = utx.Category.SEATS | utx.Category.SESSIONS | utx.Category.USERS | utx.Category.MACHINES
        elif category in _CATEGORIES:
            cats = _CATEGORIES[category]
        else:
            raise ValueError("unknown category %r" % (category,))
        self._m = utx.Monitor(cats, ROOT)

    def fileno(self):
        return self._m.fileno()

    def get_events(self):
        return self._m.events

    def get_timeout(self):
        return self._m.timeout()

    def get_timeout_ms(self):
        t = self._m.timeout()
        if t is None:
            return -1
        return max(0, (t - time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000 + 999) // 1000)

    def flush(self):
        self._m.flush()

    def close(self):
        self._m.close()
