"""ctypes declarations of include/utx.h (ABI version 1).

The library is found as $UTX_LIBRARY, then a libutx.so.1 bundled in this
package (wheels built by `make wheel`), then libutx.so.1 (the SONAME, so a
runtime-only install works), then whatever ctypes.util finds as "utx".
Importing fails (ImportError) when its ut_abi_version() is not the
UTX_ABI_VERSION of the header the constants were generated from.
"""
import ctypes
import ctypes.util
import os

from ._constants import UT_OK, UTX_ABI_VERSION

c_status = ctypes.c_int32


class CEntry(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("entry_type", ctypes.c_int32),
        ("raw_type", ctypes.c_int32),
        ("flags", ctypes.c_uint32),
        ("user", ctypes.c_char_p),
        ("line", ctypes.c_char_p),
        ("id", ctypes.c_char_p),
        ("host", ctypes.c_char_p),
        ("service", ctypes.c_char_p),
        ("pid", ctypes.c_int64),
        ("session", ctypes.c_int64),
        ("uid", ctypes.c_int64),
        ("exit_termination", ctypes.c_int32),
        ("exit_status", ctypes.c_int32),
        ("sec", ctypes.c_int64),
        ("usec", ctypes.c_int32),
        ("addr_family", ctypes.c_uint32),
        ("addr", ctypes.c_uint8 * 16),
        ("addr_text", ctypes.c_char_p),
        ("format", ctypes.c_uint32),
        ("offset", ctypes.c_uint64),
    ]


class CSession(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("kind", ctypes.c_uint32),
        ("end", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
        ("user", ctypes.c_char_p),
        ("line", ctypes.c_char_p),
        ("id", ctypes.c_char_p),
        ("host", ctypes.c_char_p),
        ("addr_family", ctypes.c_uint32),
        ("addr", ctypes.c_uint8 * 16),
        ("addr_text", ctypes.c_char_p),
        ("pid", ctypes.c_int64),
        ("login_sec", ctypes.c_int64),
        ("login_usec", ctypes.c_int32),
        ("logout_usec", ctypes.c_int32),
        ("logout_sec", ctypes.c_int64),
        ("login_offset", ctypes.c_uint64),
        ("logout_offset", ctypes.c_int64),
        ("runlevel", ctypes.c_int32),
        ("time_change", ctypes.c_uint32),
        ("format", ctypes.c_uint32),
    ]


def _load():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libutx.so.1")
    names = [os.environ.get("UTX_LIBRARY"), here if os.path.exists(here) else None,
             "libutx.so.1", ctypes.util.find_library("utx")]
    errors = []
    for name in names:
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError as e:
            errors.append(str(e))
    raise ImportError("utx: cannot load libutx.so.1 (set UTX_LIBRARY): " + "; ".join(errors))


lib = _load()


def _check_abi(lib):
    try:
        f = lib.ut_abi_version
    except AttributeError:
        raise ImportError("utx: %s is older than this binding (no ut_abi_version); it needs "
                          "libutx ABI version %d" % (lib._name, UTX_ABI_VERSION)) from None
    f.restype, f.argtypes = ctypes.c_uint32, []
    if f() != UTX_ABI_VERSION:
        raise ImportError("utx: %s has ABI version %d, this binding needs %d"
                          % (lib._name, f(), UTX_ABI_VERSION))


_check_abi(lib)

P = ctypes.POINTER
vp = ctypes.c_void_p
cp = ctypes.c_char_p
sz = ctypes.c_size_t
u32 = ctypes.c_uint32
_PROTOS = {
    # name: (restype, argtypes)
    "ut_reader_open": (c_status, [cp, u32, u32, P(vp), cp, sz]),
    "ut_reader_open_memory": (c_status, [cp, sz, u32, u32, P(vp), cp, sz]),
    "ut_reader_open_files": (c_status, [P(cp), sz, u32, u32, P(vp), cp, sz]),
    "ut_reader_open_db": (c_status, [u32, u32, P(vp), cp, sz]),
    "ut_reader_open_db_at": (c_status, [cp, u32, u32, P(vp), cp, sz]),
    "ut_reader_next": (c_status, [vp, P(P(CEntry))]),
    "ut_reader_next_batch": (c_status, [vp, P(P(CEntry)), sz, P(sz)]),
    "ut_reader_rewind": (c_status, [vp]),
    "ut_reader_set_types": (c_status, [vp, u32]),
    "ut_reader_set_time_range": (c_status, [vp, ctypes.c_int64, ctypes.c_int64]),
    "ut_reader_seek_time": (c_status, [vp, ctypes.c_int64]),
    "ut_reader_close": (None, [vp]),
    "ut_reader_format": (c_status, [vp, P(u32)]),
    "ut_reader_skipped": (c_status, [vp, P(ctypes.c_uint64)]),
    "ut_reader_error": (c_status, [vp, P(cp), P(ctypes.c_int32)]),
    "ut_reader_source": (c_status, [vp, P(cp)]),
    "ut_status_str": (cp, [c_status]),
    "ut_format_name": (cp, [u32]),
    "ut_format_from_name": (c_status, [cp, P(u32)]),
    "ut_format_family": (c_status, [u32, P(u32)]),
    "ut_type_name": (cp, [ctypes.c_int32]),
    "ut_version": (cp, []),
    "ut_abi_version": (u32, []),
    "ut_count_users": (c_status, [vp, u32, u32, P(ctypes.c_uint64), cp, sz]),
    "ut_logind_list": (c_status, [cp, u32, P(vp), cp, sz]),
    "ut_strlist_count": (c_status, [vp, P(sz)]),
    "ut_strlist_get": (c_status, [vp, sz, P(cp)]),
    "ut_strlist_close": (None, [vp]),
    "ut_monitor_open_at": (c_status, [cp, u32, P(vp), cp, sz]),
    "ut_monitor_fd": (c_status, [vp, P(ctypes.c_int32)]),
    "ut_monitor_events": (c_status, [vp, P(ctypes.c_int32)]),
    "ut_monitor_timeout": (c_status, [vp, P(ctypes.c_uint64)]),
    "ut_monitor_flush": (c_status, [vp]),
    "ut_monitor_watched": (c_status, [vp, P(u32)]),
    "ut_monitor_describe": (c_status, [vp, P(cp)]),
    "ut_monitor_error": (c_status, [vp, P(cp), P(ctypes.c_int32)]),
    "ut_monitor_close": (None, [vp]),
    "ut_sessions_open": (c_status, [vp, u32, P(vp), cp, sz]),
    "ut_sessions_next": (c_status, [vp, P(P(CSession))]),
    "ut_sessions_close": (None, [vp]),
}
for _name, (_res, _args) in _PROTOS.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args
    globals()[_name] = _f

ERRLEN = 512


def errbuf():
    return ctypes.create_string_buffer(ERRLEN)


def ok(status):
    return status == UT_OK
