"""Tests of the Python binding (python3 -m unittest discover -s bindings/python/tests).

Truth comes from the C command (`utx dump --json`, `utx last --json`) built
from the same library, and from records written here byte by byte."""
import ctypes
import dataclasses
import datetime
import errno
import gc
import io
import ipaddress
import json
import os
import re
import select
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from contextlib import redirect_stdout

import utx

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SAMPLES = os.path.join(ROOT, "samples")
WTMP = os.path.join(SAMPLES, "wtmp")
UTX = os.path.join(ROOT, "build", "utx")
REFERENCE = os.path.join(os.path.dirname(ROOT), "shared", "reference")
if not os.path.isdir(REFERENCE):
    REFERENCE = os.path.join(os.path.dirname(os.path.dirname(ROOT)), "shared", "reference")


def c_dump(path, *args):
    out = subprocess.run([UTX, "dump", "--json", *args, path], check=True, capture_output=True).stdout
    return [json.loads(line) for line in out.decode().splitlines()]


def linux_record(typ=7, pid=42, line=b"pts/3", ut_id=b"ts/3", user=b"alice", host=b"example.org",
                 sec=1700000000, usec=250000, addr=b"\xc0\x00\x02\x01"):
    """One glibc x86-64 utmp record (384 bytes), as <utmp.h> lays it out."""
    rec = struct.pack("<hxxi32s4s32s256shhiii16s20x", typ, pid, line, ut_id, user, host, 0, 0, 0,
                      sec, usec, addr.ljust(16, b"\0"))
    assert len(rec) == 384
    return rec


class ReadTest(unittest.TestCase):
    def test_entries_match_utx_dump(self):
        want = c_dump(WTMP)
        with utx.open(WTMP) as r:
            got = list(r)
        self.assertEqual(len(got), len(want))
        for e, w in zip(got, want):
            self.assertEqual(e.type.name, w["type"])
            self.assertEqual((e.user, e.line, e.id, e.host), (w["user"], w["line"], w["id"], w["host"]))
            self.assertEqual((e.sec, e.usec, e.offset, e.format), (w["sec"], w["usec"], w["offset"], w["format"]))
            self.assertEqual(e.pid, None if w["pid"] == -1 else w["pid"])
            self.assertEqual(str(e.addr) if e.addr else "", w["addr"])
            self.assertEqual(e.time.isoformat().replace("+00:00", "Z"), w["time"])

    def test_reverse_types_and_range(self):
        with utx.open(WTMP) as r:
            forward = list(r)
        with utx.open(WTMP, reverse=True) as r:
            self.assertEqual(list(r), forward[::-1])
        users = [e for e in forward if e.type == utx.EntryType.USER_PROCESS]
        with utx.open(WTMP, types=[utx.EntryType.USER_PROCESS]) as r:
            self.assertEqual(list(r), users)
        mid = forward[len(forward) // 2].time
        with utx.open(WTMP, since=mid) as r:
            self.assertEqual(list(r), [e for e in forward if e.sec >= int(mid.timestamp())])

    def test_struct_layouts_match_the_library(self):
        # ut_entry and ut_session start with the library's sizeof: the
        # ctypes copies of the layouts must agree.
        from utx import _ffi
        r = utx.open(WTMP, reverse=True)
        out = ctypes.POINTER(_ffi.CEntry)()
        self.assertEqual(_ffi.ut_reader_next(r._h, ctypes.byref(out)), 0)
        self.assertEqual(out.contents.size, ctypes.sizeof(_ffi.CEntry))
        r.rewind()
        s = r.sessions()
        self.assertEqual(_ffi.ut_sessions_next(s._h, ctypes.byref(s._out)), 0)
        self.assertEqual(s._out.contents.size, ctypes.sizeof(_ffi.CSession))
        s.close()
        r.close()

    def test_entry_values(self):
        rec = linux_record()
        with utx.from_bytes(rec, format="linux-384-le") as r:
            (e,) = list(r)
            self.assertEqual(r.source, "memory")
            self.assertEqual(r.format, "linux-384-le")
        self.assertIs(e.type, utx.EntryType.USER_PROCESS)
        self.assertEqual((e.user, e.line, e.id, e.host, e.pid), ("alice", "pts/3", "ts/3", "example.org", 42))
        self.assertEqual(e.time, datetime.datetime(2023, 11, 14, 22, 13, 20, 250000, tzinfo=datetime.timezone.utc))
        self.assertEqual(e.addr, ipaddress.ip_address("192.0.2.1"))
        self.assertIsNone(e.uid)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            e.user = "mallory"

    def test_not_utf8_and_implausible_time(self):
        rec = linux_record(user=b"b\xffd", sec=5, usec=2000000)
        (e,) = list(utx.from_bytes(rec, format=utx.Format.LINUX_384_LE))
        self.assertIn(utx.EntryFlag.NOT_UTF8, e.flags)
        self.assertEqual(e.user.encode("utf-8", "surrogateescape"), b"b\xffd")
        self.assertIn(utx.EntryFlag.TIME_IMPLAUSIBLE, e.flags)
        self.assertEqual((e.sec, e.usec, e.time), (5, 2000000, None))

    def test_files_as_one_history(self):
        with utx.open([WTMP, WTMP]) as r:
            self.assertEqual(len(list(r)), 2 * len(c_dump(WTMP)))

    def test_close_twice_and_use_after_close(self):
        r = utx.open(WTMP)
        r.close()
        r.close()
        with self.assertRaises(ValueError):
            next(r)

    def test_count_users(self):
        path = os.path.join(SAMPLES, "utmp")
        users = [e["user"] for e in c_dump(path) if e["type"] == "USER_PROCESS" and e["user"]]
        with utx.open(path) as r:
            self.assertEqual(r.count_users(include_dead=True), len(users))
        with utx.open(path) as r:
            self.assertEqual(r.count_users(distinct=True, include_dead=True), len(set(users)))

    def test_rewind(self):
        with utx.open(WTMP) as r:
            first = list(r)
            r.rewind()
            self.assertEqual(list(r), first)

    def test_dropped_readers_are_freed(self):
        for _ in range(2000):
            r = utx.open(WTMP)
            next(r)
        del r
        gc.collect()  # each reader's __del__ closed it; nothing leaks an fd
        self.assertLess(len(os.listdir("/proc/self/fd")), 64)

    def test_host_databases_fall_back_under_a_root(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "var/log"))
            with open(os.path.join(root, "var/log/wtmp"), "wb") as f:
                f.write(linux_record())
            with utx.wtmp(root=root) as r:
                self.assertTrue(r.source.endswith("/var/log/wtmp"))
                self.assertEqual([e.user for e in r], ["alice"])
            with self.assertRaises(utx.NotFound):
                utx.lastlog(root=root)


class ErrorTest(unittest.TestCase):
    def test_not_found(self):
        with self.assertRaises(FileNotFoundError) as cm:
            utx.open("/nonexistent/wtmp")
        e = cm.exception
        self.assertIsInstance(e, utx.NotFound)
        self.assertIsInstance(e, utx.Error)
        self.assertEqual(e.errno, errno.ENOENT)
        self.assertIn("/nonexistent/wtmp", e.message)

    @unittest.skipIf(os.geteuid() == 0, "root reads a mode-000 file")
    def test_permission(self):
        with tempfile.NamedTemporaryFile() as f:
            os.chmod(f.name, 0)
            with self.assertRaises(PermissionError) as cm:
                utx.open(f.name)
            self.assertIsInstance(cm.exception, utx.PermissionDenied)

    def test_format_errors(self):
        with self.assertRaises(utx.InvalidArgument):
            utx.open(WTMP, format="no-such-format")
        with self.assertRaises(utx.FormatError):
            list(utx.from_bytes(b"\x01" * 10))


class SessionsTest(unittest.TestCase):
    def test_sessions_match_utx_last(self):
        out = subprocess.run([UTX, "last", "--json", "-x", "-f", WTMP], check=True, capture_output=True).stdout
        want = [json.loads(line) for line in out.decode().splitlines()]
        with utx.open(WTMP, reverse=True) as r:
            got = list(r.sessions())
        self.assertEqual(len(got), len(want))
        for s, w in zip(got, want):
            self.assertEqual((s.user, s.line, s.login_offset, s.logout_offset),
                             (w["user"], w["line"], w["login_offset"], w["logout_offset"]))
            self.assertEqual(s.end.name.lower().replace("_", "-"), w["end"])


class ThreadTest(unittest.TestCase):
    def test_many_threads_each_its_reader(self):
        want = list(utx.open(WTMP))
        results, errors = [], []

        def work():
            try:
                for _ in range(20):
                    with utx.open(WTMP) as r:
                        results.append(list(r) == want)
            except Exception as e:  # noqa: BLE001 (reported below)
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(results, [True] * 320)

    def test_one_reader_shared_is_serialised(self):
        want = {e.offset for e in utx.open(WTMP)}
        seen, lock = [], threading.Lock()
        with utx.open(WTMP) as r:
            def work():
                for e in r:
                    with lock:
                        seen.append(e.offset)
            threads = [threading.Thread(target=work) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        self.assertEqual(sorted(seen), sorted(want))


def logind_tree(root):
    for d, name in (("seats", "seat0"), ("sessions", "3"), ("users", "1000"), ("machines", "vm1")):
        os.makedirs(os.path.join(root, "run/systemd", d))
        with open(os.path.join(root, "run/systemd", d, name), "w") as f:
            f.write("")


class LogindTest(unittest.TestCase):
    def test_lists_and_monitor(self):
        with tempfile.TemporaryDirectory() as root:
            logind_tree(root)
            self.assertEqual(utx.seats(root), ["seat0"])
            self.assertEqual(utx.logind_sessions(root), ["3"])
            self.assertEqual(utx.uids(root), [1000])
            self.assertEqual(utx.machines(root), ["vm1"])
            with utx.Monitor(utx.Category.MACHINES, root=root) as m:
                self.assertEqual(m.watched, utx.Category.MACHINES)
                self.assertEqual(select.select([m], [], [], 0)[0], [])
                open(os.path.join(root, "run/systemd/machines/vm2"), "w").close()
                self.assertEqual(select.select([m], [], [], 5)[0], [m])
                m.flush()
                self.assertEqual(utx.machines(root), ["vm1", "vm2"])
                self.assertIsNone(m.timeout())


class CompatTest(unittest.TestCase):
    def test_pyutmp_readme_example(self):
        from utx.compat import pyutmp
        with open(os.path.join(REFERENCE, "pyutmp-readme.md")) as f:
            doc = f.read()
        code = re.search(r"\n    from pyutmp import UtmpFile\n(?:    .*\n|\n)*", doc).group(0)
        code = "\n".join(line[4:] for line in code.splitlines())
        code = code.replace("from pyutmp import", "from utx.compat.pyutmp import")
        code = re.sub(r"print (.*)$", r"print(\1)", code, flags=re.M)  # the one Python 2 statement
        pyutmp.DEFAULT_PATH = os.path.join(SAMPLES, "utmp")
        out = io.StringIO()
        with redirect_stdout(out):
            exec(compile(code, "pyutmp-readme.md", "exec"), {})
        users = [e for e in c_dump(pyutmp.DEFAULT_PATH) if e["type"] == "USER_PROCESS"]
        self.assertEqual(len(out.getvalue().splitlines()), len(users))
        self.assertIn("on tty /dev/" + users[0]["line"], out.getvalue())
        f = pyutmp.UtmpFile()
        first = [u.ut_line for u in f]
        f.rewind()
        self.assertEqual([u.ut_line for u in f], first)
        u = next(iter(pyutmp.UtmpFile(WTMP)))
        for attr in ("ut_user", "ut_line", "ut_host", "ut_time", "ut_user_process", "ut_type",
                     "ut_pid", "ut_id", "ut_exit_code", "ut_session", "ut_addr"):
            self.assertTrue(hasattr(u, attr), attr)
        self.assertEqual(u.ut_type, "BOOT_TIME")

    def test_pyutmpx_api(self):
        from utx.compat import pyutmpx
        self.assertEqual((pyutmpx.EMPTY, pyutmpx.BOOT_TIME, pyutmpx.OLD_TIME, pyutmpx.NEW_TIME,
                          pyutmpx.USER_PROCESS, pyutmpx.INIT_PROCESS, pyutmpx.LOGIN_PROCESS,
                          pyutmpx.DEAD_PROCESS, pyutmpx.RUN_LEVEL, pyutmpx.ACCOUNTING), tuple(range(10)))
        want = c_dump(WTMP)
        got = list(pyutmpx.wtmp(WTMP))
        self.assertEqual(len(got), len(want))
        self.assertEqual(got[0].type, pyutmpx.BOOT_TIME)
        self.assertEqual(got[1].type, pyutmpx.RUN_LEVEL)
        self.assertEqual([e.user for e in got], [w["user"] for w in want])
        self.assertIsInstance(got[0].exit, pyutmpx.exit_status)
        self.assertEqual(got[0].time.tzinfo, datetime.timezone.utc)
        ll = list(pyutmpx.lastlog(os.path.join(SAMPLES, "lastlog")))
        self.assertTrue(ll and all(isinstance(e, pyutmpx.lastlog_entry) for e in ll))
        self.assertEqual([e.uid for e in ll], [w["uid"] for w in c_dump(os.path.join(SAMPLES, "lastlog"))])
        self.assertTrue(all(isinstance(e, pyutmpx.utmp_entry) for e in pyutmpx.btmp(os.path.join(SAMPLES, "btmp"))))

    def test_systemd_login_example(self):
        from utx.compat import login
        with open(os.path.join(REFERENCE, "python-systemd-login.txt")) as f:
            doc = f.read()
        lines = [m.group(1).split("  ")[0].strip() for m in re.finditer(r"^>>> (.*)$", doc, re.M)]
        self.assertIn('m = login.Monitor("machine")', lines)
        code = "\n".join(lines).replace("from systemd import login", "from utx.compat import login")
        with tempfile.TemporaryDirectory() as root:
            logind_tree(root)
            login.ROOT = root
            # p.poll() in the example waits for a change: make one.
            timer = threading.Timer(0.3, lambda: open(os.path.join(root, "run/systemd/machines/vm2"), "w").close())
            timer.start()
            env = {}
            exec(compile(code, "python-systemd-login.txt", "exec"), env)
            timer.join()
            self.assertEqual(env["p"].poll(0), [(env["m"].fileno(), select.POLLIN)])
            env["m"].flush()
            self.assertEqual(login.machine_names(), ["vm1", "vm2"])
            self.assertEqual((login.seats(), login.sessions(), login.uids()), (["seat0"], ["3"], [1000]))
            self.assertEqual(env["m"].get_timeout_ms(), -1)
            self.assertIsNone(env["m"].get_timeout())
            env["m"].close()
            login.ROOT = None


class BatchTest(unittest.TestCase):
    """More entries than one batch of the library (UT_BATCH_MAX), each
    written here: all come, in order, in both directions; what starts
    where the library stands refuses to start in the middle of a batch."""

    N = 2 * utx._constants.UT_BATCH_MAX + 88

    def data(self):
        return b"".join(linux_record(typ=7 + i % 2, pid=i + 1, user=b"u%d" % i, sec=1700000000 + i, usec=i)
                        for i in range(self.N))

    def check(self, entries, order):
        self.assertEqual(len(entries), self.N)
        for e, i in zip(entries, order):
            self.assertEqual((e.user, e.pid, e.usec, e.offset, int(e.type)), ("u%d" % i, i + 1, i, 384 * i, 7 + i % 2))

    def test_batches_and_read_ahead(self):
        data = self.data()
        with utx.from_bytes(data, format="linux-384-le") as r:
            self.check(list(r), range(self.N))
        with utx.from_bytes(data, format="linux-384-le", reverse=True) as r:
            self.assertEqual(next(r).pid, self.N)
            for call in (r.sessions, r.count_users, lambda: r.set_types(utx.EntryType.USER_PROCESS),
                         lambda: r.set_time_range(0, None)):
                self.assertRaises(ValueError, call)
            r.rewind()
            self.check(list(r), range(self.N - 1, -1, -1))
            self.assertEqual(r.count_users(include_dead=True), 0)
            r.rewind()
            with r.sessions(no_liveness=True) as s:
                self.assertEqual(len(list(s)), self.N // 2)
            r.seek_time(1700000000 + 10)
            self.assertEqual(next(r).pid, 11)
        r = utx.from_bytes(data, format="linux-384-le")
        next(r)
        r.close()
        self.assertRaises(ValueError, next, r)

    def test_abi_version(self):
        from utx import _ffi
        self.assertEqual(_ffi.ut_abi_version(), utx._constants.UTX_ABI_VERSION)
        major = int(utx.version().split(".")[0])
        self.assertEqual(major, utx._constants.UTX_VERSION_MAJOR)

        class Other:  # a library of another ABI version
            _name = "libutx.so.2"

            @staticmethod
            def ut_abi_version():
                return utx._constants.UTX_ABI_VERSION + 1
        with self.assertRaisesRegex(ImportError, "libutx.so.2 has ABI version"):
            _ffi._check_abi(Other)
        # A library without ut_abi_version: importing says so.
        env = dict(os.environ, UTX_LIBRARY="libc.so.6")
        p = subprocess.run([sys.executable, "-c", "import utx"], env=env, capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("libc.so.6 is older than this binding (no ut_abi_version)", p.stderr)


class SpeedTest(unittest.TestCase):
    def test_per_entry_cost(self):
        with open(WTMP, "rb") as f:
            data = f.read() * 200
        t = time.perf_counter()
        n = sum(1 for _ in utx.from_bytes(data))
        per = (time.perf_counter() - t) / n * 1e6
        print("\npython: %.2f us per entry (%d entries)" % (per, n))
        self.assertLess(per, 50)  # a gross regression only; make bench measures


if __name__ == "__main__":
    unittest.main()
