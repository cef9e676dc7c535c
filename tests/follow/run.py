#!/usr/bin/env python3
"""Following a live file with the `utx` command, as log shippers run it.

    run.py UTX

A writer appends records (in torn pieces), truncates and rotates the file
while `utx dump -f --json` runs; every record must appear exactly once,
in order, whole, with ROTATED/TRUNCATED on the right ones.  A shipper
that is stopped and restarted with --checkpoint loses and duplicates
nothing.  The command is run the ways docs/pipelines.md configures the
shippers: writing to a file that a file source tails (Fluent Bit `tail`,
OpenTelemetry `filelog`), streaming into an exec source (Vector `exec`
streaming, Logstash `pipe`), and run on a schedule by an exec source
(Fluent Bit `exec`, Vector `exec` scheduled).  Every line is validated
against docs/utx-dump.schema.json, docs/utx-ecs.schema.json or
docs/utx-last.schema.json.  Each wait is bounded; the whole takes a few
seconds.
"""

import json
import os
import shutil
import socket
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import validate  # noqa: E402

UTX = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build/utx")
REC = 384
WAIT = 8.0  # seconds any one wait may take before the test fails
failures = []


def schema(name):
    with open(os.path.join(ROOT, "docs", name), encoding="utf-8") as f:
        return json.load(f)


DUMP, ECS, LAST = schema("utx-dump.schema.json"), schema("utx-ecs.schema.json"), schema("utx-last.schema.json")


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)
    return cond


def record(i, ty=7):
    """One 384-byte little-endian glibc record numbered i."""
    r = bytearray(REC)
    r[0:2] = struct.pack("<h", ty)
    r[4:8] = struct.pack("<i", 1000 + i)
    line = b"pts/%d" % (i % 50)
    r[8:8 + len(line)] = line
    r[40:43] = b"%03d" % (i % 1000)
    user = b"u%d" % i
    r[44:44 + len(user)] = user
    host = b"10.1.%d.%d" % (i // 250 % 250, i % 250)
    r[76:76 + len(host)] = host
    r[340:344] = struct.pack("<I", 1_700_000_000 + i)
    r[348:352] = bytes([10, 1, i // 250 % 250, i % 250])
    return bytes(r)


def append(path, first, last, torn=True):
    """Append records first..last-1, each in two writes (a reader may see
    the first piece alone)."""
    with open(path, "ab", buffering=0) as f:
        for i in range(first, last):
            r = record(i)
            cut = 1 + (i * 37) % (REC - 1)
            f.write(r[:cut])
            if torn and i % 5 == 0:
                time.sleep(0.002)
            f.write(r[cut:])


def valid(sch, value, where):
    errs = list(validate.errors(sch, sch, value))
    return check(not errs, f"{where}: {'; '.join(errs[:3])}")


class Tail:
    """A file source: reads whole lines of a file as it grows."""

    def __init__(self, path):
        self.path, self.pos, self.buf, self.lines = path, 0, b"", []

    def poll(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                data = f.read()
        except FileNotFoundError:
            return
        self.pos += len(data)
        self.buf += data
        *whole, self.buf = self.buf.split(b"\n")
        self.lines += [json.loads(x) for x in whole]

    def wait_for(self, n):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            self.poll()
            if len(self.lines) >= n:
                return True
            time.sleep(0.01)
        return check(False, f"{self.path}: {len(self.lines)} lines after {WAIT}s, want {n}")


def users(lines):
    return [x["user"] if "user" in x and isinstance(x["user"], str) else x["user"]["name"] for x in lines]


def names(a, b):
    return [f"u{i}" for i in range(a, b)]


def stop(p):
    """SIGTERM, as a service manager stops a shipper; utx exits 0.  The
    rest of its standard output (a pipe, or None) is returned."""
    p.send_signal(signal.SIGTERM)
    try:
        out, err = p.communicate(timeout=WAIT)
        p.err_text = (err or b"").decode(errors="replace")
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        p.err_text = ""
        check(False, "utx did not stop on SIGTERM")
        return b""
    # Killed before it set its handler (still starting): it printed nothing.
    early = p.returncode == -signal.SIGTERM and not out
    check(p.returncode == 0 or early, f"utx exited {p.returncode} on SIGTERM, want 0")
    return out or b""


def test_follow_to_file(tmp):
    """`utx dump -f --json W > out.jsonl`, a file source tailing out.jsonl;
    appends (torn), truncation, rotation (a last record in the old file)."""
    w, out = os.path.join(tmp, "wtmp"), os.path.join(tmp, "out.jsonl")
    open(w, "wb").close()
    with open(out, "wb") as o:
        p = subprocess.Popen([UTX, "dump", "-f", "--json", w], stdout=o, stderr=subprocess.PIPE)
    t = Tail(out)
    append(w, 0, 60)
    t.wait_for(60)
    # Truncation once the reader has read all: 20 records, fewer than before.
    with open(w, "r+b") as f:
        f.truncate(0)
    append(w, 60, 80)
    t.wait_for(80)
    # Rotation: renamed, one more record reaches the old file, a new file.
    os.rename(w, w + ".1")
    append(w + ".1", 80, 81)
    append(w, 81, 111)
    t.wait_for(111)
    stop(p)
    err = p.err_text
    t.poll()
    check(users(t.lines) == names(0, 111), f"follow: users {users(t.lines)[:5]}... ({len(t.lines)}), want u0..u110 once each in order")
    flagged = {x["user"]: x["flags"] for x in t.lines if x["flags"]}
    check(flagged == {"u60": ["TRUNCATED"], "u81": ["ROTATED"]}, f"follow: flags {flagged}")
    offsets = [x["offset"] for x in t.lines]
    check(offsets[:60] == [i * REC for i in range(60)] and offsets[60] == 0 and offsets[81] == 0,
          "follow: offsets are not the records' places in their files")
    for k, x in enumerate(t.lines):
        valid(DUMP, x, f"follow line {k + 1}")
    check("partial" not in err, f"follow: a torn record was reported: {err}")
    return len(t.lines)


def test_restarts_with_checkpoint(tmp):
    """A shipper (an exec source streaming `utx dump -f --json=ecs
    --checkpoint CP W`) stopped and started again 6 times while a writer
    appends: every record once, in order."""
    w, cp = os.path.join(tmp, "wtmp"), os.path.join(tmp, "cp")
    append(w, 0, 10)
    total = 400
    done = threading.Event()

    def writer():
        for i in range(10, total, 13):
            append(w, i, min(i + 13, total))
            time.sleep(0.03)
        done.set()

    th = threading.Thread(target=writer)
    th.start()
    got = []
    runs = 0
    while True:
        runs += 1
        p = subprocess.Popen([UTX, "dump", "-f", "--json=ecs", "--checkpoint", cp, w],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if done.is_set():
            # Last run: read until every record is there.
            deadline = time.monotonic() + WAIT
            lines = []
            while len(got) + len(lines) < total and time.monotonic() < deadline:
                line = p.stdout.readline()
                if not line:
                    break
                lines.append(json.loads(line))
            got += lines + [json.loads(x) for x in stop(p).splitlines()]
            break
        time.sleep(0.05 + 0.03 * runs)
        got += [json.loads(x) for x in stop(p).splitlines()]
        check(runs < 50, "checkpoint: too many runs")
    th.join()
    check(users(got) == names(0, total), f"checkpoint: {len(got)} records over {runs} runs, want u0..u{total - 1} once each in order")
    for k, x in enumerate(got):
        valid(ECS, x, f"checkpoint ECS line {k + 1}")
    with open(cp) as f:
        check(f.read().strip() == str(total * REC), "checkpoint: the file does not hold the end offset")
    return runs


def test_scheduled_exec(tmp):
    """An exec source on a schedule: `utx dump --json --checkpoint CP W`
    every interval, a record torn at one run's time."""
    w, cp = os.path.join(tmp, "wtmp"), os.path.join(tmp, "cp")
    got = []
    n = 0
    for run in range(6):
        if run == 3:  # the torn record is whole now
            with open(w, "ab") as f:
                f.write(record(n)[100:])
            n += 1
        append(w, n, n + 7)
        n += 7
        if run == 2:  # half a record at the tail while utx runs
            with open(w, "ab") as f:
                f.write(record(n)[:100])
        r = subprocess.run([UTX, "dump", "--json", "--checkpoint", cp, w], capture_output=True, timeout=WAIT)
        check(r.returncode == 0, f"scheduled run {run}: exit {r.returncode}: {r.stderr.decode()}")
        got += [json.loads(x) for x in r.stdout.splitlines()]
    want = names(0, n)
    check(users(got) == want, f"scheduled: users {users(got)}")
    for k, x in enumerate(got):
        valid(DUMP, x, f"scheduled line {k + 1}")
    return len(got)


def test_btmp_and_last(tmp):
    """ECS outcome of failed logins; last/lastb --follow lines."""
    b = os.path.join(tmp, "btmp")
    with open(b, "wb") as f:
        f.write(record(1, ty=6) + record(2, ty=6))
    r = subprocess.run([UTX, "dump", "--json=ecs", b], capture_output=True, timeout=WAIT)
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    check(len(lines) == 2 and all(x["event"]["outcome"] == "failure" and x["event"]["dataset"] == "utx.btmp"
                                  and x["source"]["ip"].startswith("10.1.") for x in lines),
          f"btmp ECS: {lines}")
    for x in lines:
        valid(ECS, x, "btmp ECS")
    # lastb --follow: the listing, then attempts as they come.
    out = os.path.join(tmp, "lastb.jsonl")
    with open(out, "wb") as o:
        p = subprocess.Popen([UTX, "lastb", "--follow", "--json", "-f", b], stdout=o, stderr=subprocess.PIPE)
    t = Tail(out)
    t.wait_for(2)
    with open(b, "ab") as f:
        f.write(record(3, ty=6))
    t.wait_for(3)
    stop(p)
    check([x["user"] for x in t.lines] == ["u2", "u1", "u3"], f"lastb --follow: {t.lines}")
    # last --follow: a login, then its logout (same line).
    w = os.path.join(tmp, "wtmp")
    with open(w, "wb") as f:
        f.write(record(1))
    out = os.path.join(tmp, "last.jsonl")
    with open(out, "wb") as o:
        p = subprocess.Popen([UTX, "last", "--follow", "--json", "-f", w], stdout=o, stderr=subprocess.PIPE)
    t = Tail(out)
    t.wait_for(1)
    dead = bytearray(record(2, ty=8))
    dead[44:76] = bytes(32)
    with open(w, "ab") as f:
        f.write(record(2) + bytes(dead))
    t.wait_for(3)
    stop(p)
    ends = [(x["user"], x["end"]) for x in t.lines]
    check(ends[1:] == [("u2", "still-logged-in"), ("u2", "logged-out")], f"last --follow: {ends}")
    for x in t.lines:
        valid(LAST, x, "last --follow")


def test_refusals(tmp):
    w = os.path.join(tmp, "wtmp")
    append(w, 0, 3, torn=False)
    for args, rc, text in [
        (["dump", "--since-offset", "100", w], 1, "not a multiple"),
        (["dump", "--since-offset", str(4 * REC), w], 1, "past the last whole record"),
        (["dump", "-f", "--newest-first", w], 2, "--newest-first"),
        (["dump", "-f", "-r", w], 2, "-r takes neither"),
        (["dump", "--json=xml", w], 2, "unknown mapping"),
    ]:
        r = subprocess.run([UTX] + args, capture_output=True, timeout=WAIT)
        check(r.returncode == rc and text in r.stderr.decode(),
              f"utx {' '.join(args)}: exit {r.returncode}, stderr {r.stderr.decode()!r}")
    # A checkpoint past the end (the file was cut while the shipper was
    # stopped): read from the start, with a warning.
    cp = os.path.join(tmp, "cp")
    with open(cp, "w") as f:
        f.write(f"{10 * REC}\n")
    r = subprocess.run([UTX, "dump", "--json", "--checkpoint", cp, w], capture_output=True, timeout=WAIT)
    check(r.returncode == 0 and len(r.stdout.splitlines()) == 3 and b"past the end" in r.stderr,
          f"stale checkpoint: exit {r.returncode}, {len(r.stdout.splitlines())} lines")


def test_host_name(tmp):
    """host_name: --host-name's value, this host's name for its own
    databases or a file followed, else empty; in dump, last and lastb."""
    w = os.path.join(tmp, "wtmp")
    append(w, 0, 2, torn=False)
    me = socket.gethostname()
    for args, want, sch in [
        (["dump", "--json", w], "", DUMP),
        (["dump", "--json", "--host-name", "web-7", w], "web-7", DUMP),
        (["dump", "--json", "--host-name=db 2", w], "db 2", DUMP),
        (["dump", "--json", "--since-offset", "0", w], "", DUMP),
        (["last", "--json", "-f", w], "", LAST),
        (["last", "--json", "--host-name", "web-7", "-f", w], "web-7", LAST),
        (["lastb", "--json", "--host-name=b1", "-f", w], "b1", LAST),
    ]:
        r = subprocess.run([UTX] + args, capture_output=True, timeout=WAIT)
        lines = [json.loads(x) for x in r.stdout.splitlines()]
        check(r.returncode == 0 and lines and all(x["host_name"] == want for x in lines),
              f"utx {' '.join(args)}: exit {r.returncode}, {lines[:1]}")
        for x in lines:
            valid(sch, x, " ".join(args))
    r = subprocess.run([UTX, "dump", "--json=ecs", "--host-name", "web-7", w], capture_output=True, timeout=WAIT)
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    check(lines and all(x["host"]["name"] == "web-7" for x in lines), f"ECS --host-name: {lines[:1]}")
    # A file followed is this host's.
    out = os.path.join(tmp, "f.jsonl")
    with open(out, "wb") as o:
        p = subprocess.Popen([UTX, "dump", "-f", "--json", w], stdout=o, stderr=subprocess.PIPE)
    t = Tail(out)
    t.wait_for(2)
    stop(p)
    check(all(x["host_name"] == me for x in t.lines), f"dump -f host_name: {t.lines[:1]} (want {me})")
    # This host's own databases (no FILE): its name, where it has them.
    for args in (["dump", "--json", "--db", "wtmp"], ["last", "--json", "-n", "3"]):
        r = subprocess.run([UTX] + args, capture_output=True, timeout=WAIT)
        lines = [json.loads(x) for x in r.stdout.splitlines()]
        check(all(x["host_name"] == me for x in lines), f"utx {' '.join(args)}: {lines[:1]} (want {me})")
    r = subprocess.run([UTX, "dump", "--host-name", "x", w], capture_output=True, timeout=WAIT)
    check(r.returncode == 2 and b"--host-name" in r.stderr, f"dump --host-name without --json: {r.returncode}")
    r = subprocess.run([UTX, "dump", "--json", w, "--host-name"], capture_output=True, timeout=WAIT)
    check(r.returncode == 2 and b"requires an argument" in r.stderr, f"--host-name without NAME: {r.returncode}")


def main():
    start = time.monotonic()
    tests = [test_follow_to_file, test_restarts_with_checkpoint, test_scheduled_exec,
             test_btmp_and_last, test_refusals, test_host_name]
    for t in tests:
        tmp = tempfile.mkdtemp(prefix="utx-follow-")
        try:
            n = t(tmp)
            print(f"{t.__name__}: done" + (f" ({n})" if n is not None else ""))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(tests)} tests, {len(failures)} failure(s), {time.monotonic() - start:.1f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
