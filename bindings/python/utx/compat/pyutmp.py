"""pyutmp's API (UtmpFile, Utmp) over libutx.

    from utx.compat.pyutmp import UtmpFile
    for utmp in UtmpFile():
        if utmp.ut_user_process:
            print(utmp.ut_user, utmp.ut_line)

UtmpFile() reads this host's utmp (or DEFAULT_PATH when set); UtmpFile(path)
reads a file.  ut_line is always a /dev path, as pyutmp documents.
"""
import utx

__all__ = ["UtmpFile", "Utmp"]

# The file UtmpFile() reads; None: this host's utmp (logind where there is none).
DEFAULT_PATH = None


class Utmp:
    """One entry, with pyutmp's attributes (and the System V ones)."""

    __slots__ = ("ut_user", "ut_line", "ut_host", "ut_time", "ut_user_process", "ut_type",
                 "ut_pid", "ut_id", "ut_exit_code", "ut_session", "ut_addr")

    def __init__(self, e):
        self.ut_user = e.user
        self.ut_line = "/dev/" + e.line if e.line else ""
        self.ut_host = e.host
        self.ut_time = e.sec + e.usec / 1e6
        self.ut_user_process = e.type == utx.EntryType.USER_PROCESS
        self.ut_type = e.type.name if isinstance(e.type, utx.EntryType) else str(e.type)
        self.ut_pid = e.pid if e.pid is not None else 0
        self.ut_id = e.id
        self.ut_exit_code = e.exit_status if e.exit_status is not None else 0
        self.ut_session = e.session if e.session is not None else 0
        self.ut_addr = list(e.addr.packed) if e.addr is not None else [0, 0, 0, 0]

    def __repr__(self):
        return "Utmp(%s)" % ", ".join("%s=%r" % (k, getattr(self, k)) for k in self.__slots__)


class UtmpFile:
    """An open utmp file; iterating yields Utmp objects from where it stands."""

    def __init__(self, path=None):
        path = path if path is not None else DEFAULT_PATH
        self._reader = utx.utmp() if path is None else utx.open(path)

    def __iter__(self):
        for e in self._reader:
            yield Utmp(e)

    def rewind(self):
        """Go back to the first entry."""
        self._reader.rewind()

    def close(self):
        self._reader.close()
