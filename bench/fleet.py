#!/usr/bin/env python3
"""Fleet simulation: many hosts' wtmp and btmp, exported with
`utx dump --json --host-name` and `utx last --json`, ingested into ClickHouse
(chdb, in process) in the tables of docs/clickhouse.sql.

Usage (bench/fleet.sh runs it in build/chdb-venv):
    fleet.py UTX DIR HOSTS EVENTS_PER_HOST JOBS

Each host gets a wtmp (boots, clean shutdowns and crashes, ssh and console
logins and logouts of ~25 users from the fleet's admin networks) and a btmp
(failed ssh logins for common names, from a fleet-wide pool of attacking
addresses), about 70/30 of EVENTS_PER_HOST, over 30 days, from a seed of its
own.  Measured: utx's export rate (JOBS processes at a time, one per host, as
agents run), the insert rate into the engine, the size on disk per million
events after merging, and each named query's latency (median of 3).
"""
import json
import os
import random
import resource
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests/clickhouse"))
from common import load_sql  # noqa: E402

UTX, DIR = os.path.abspath(sys.argv[1]), sys.argv[2]
HOSTS, EVENTS, JOBS = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
REC = 384
START = 1_790_000_000  # 2026-09-21
SPAN = 30 * 86400
USERS = [b"root", b"admin", b"deploy", b"ansible", b"backup", b"nagios"] + [b"user%02d" % i for i in range(20)]
BAD_USERS = [b"root", b"admin", b"test", b"ubuntu", b"oracle", b"postgres", b"git", b"user", b"ftp", b"pi"]


def record(ty, pid, line, ident, user, host, sec, usec, addr=b""):
    r = bytearray(REC)
    r[0:2] = struct.pack("<h", ty)
    r[4:8] = struct.pack("<i", pid)
    r[8:8 + len(line)] = line
    r[40:40 + len(ident)] = ident
    r[44:44 + len(user)] = user
    r[76:76 + len(host)] = host
    r[340:348] = struct.pack("<ii", sec, usec)
    r[348:348 + len(addr)] = addr
    return r


def gen_host(i, d):
    """wtmp and btmp of host i; returns (wtmp events, btmp events)."""
    rnd = random.Random(i)
    n_w = EVENTS * 7 // 10
    n_b = EVENTS - n_w
    t = START + rnd.randrange(3600)
    step = max(1, SPAN // max(n_w, 1))
    out, active, pid, n = [], {}, 1000, 0
    kernel = b"6.1.0-%d-amd64" % rnd.randrange(20, 30)
    out.append(record(2, 0, b"~", b"~~", b"reboot", kernel, t, 0))
    n += 1
    while n < n_w:
        t += rnd.randrange(1, 2 * step + 1)
        x = rnd.random()
        if x < 0.002:  # reboot: clean (shutdown record) or a crash (none)
            if rnd.random() < 0.8:
                out.append(record(1, 0, b"~~", b"~~", b"shutdown", kernel, t, 0))
                n += 1
                t += 30
            active.clear()
            out.append(record(2, 0, b"~", b"~~", b"reboot", kernel, t, rnd.randrange(10**6)))
            n += 1
        elif (x < 0.55 and len(active) < 48) or not active:
            k = next(j for j in range(64) if j not in active)
            pid += rnd.randrange(1, 400)
            user = rnd.choice(USERS[:8]) if rnd.random() < 0.5 else rnd.choice(USERS)
            if rnd.random() < 0.9:
                a = bytes([10, rnd.randrange(4), rnd.randrange(256), rnd.randrange(1, 255)])
                host, addr, line = b"%d.%d.%d.%d" % tuple(a), a, b"pts/%d" % k
            else:
                host, addr, line = b"", b"", b"tty%d" % (k % 6 + 1)
            active[k] = (pid, line)
            out.append(record(7, pid, line, b"%d" % k, user, host, t, rnd.randrange(10**6), addr))
            n += 1
        else:
            k = rnd.choice(list(active))
            p, line = active.pop(k)
            out.append(record(8, p, line, b"%d" % k, b"", b"", t, rnd.randrange(10**6)))
            n += 1
    with open(os.path.join(d, "wtmp"), "wb") as f:
        f.write(b"".join(out))
    n_w = len(out)  # a reboot may add two records at the end
    out, t = [], START
    step = max(1, SPAN // max(n_b, 1))
    for _ in range(n_b):
        t += rnd.randrange(1, 2 * step + 1)
        a = int(rnd.paretovariate(1.2)) % 5000  # a few addresses try most
        addr = bytes([203, 0, a // 250, a % 250 + 1])
        user = rnd.choice(BAD_USERS) if rnd.random() < 0.7 else b"u%d" % rnd.randrange(10**4)
        out.append(record(6, rnd.randrange(10**5), b"ssh:notty", b"", user,
                          b"%d.%d.%d.%d" % tuple(addr), t, rnd.randrange(10**6), addr))
    with open(os.path.join(d, "btmp"), "wb") as f:
        f.write(b"".join(out))
    return n_w, n_b


def export(i):
    """One host's agent: its three exports, as JSON lines files."""
    d = os.path.join(DIR, "h%05d" % i)
    name = "host-%05d" % i
    for kind, args in (("events", ["dump", "--json", "--host-name", name, d + "/wtmp"]),
                       ("failed", ["dump", "--json", "--host-name", name, d + "/btmp"]),
                       ("sessions", ["last", "--json", "-x", "--host-name", name, "-f", d + "/wtmp"])):
        with open(os.path.join(d, kind + ".jsonl"), "wb") as o:
            subprocess.run([UTX] + args, stdout=o, check=True)
    for f in ("wtmp", "btmp"):  # disk: only the JSON is needed from here
        os.remove(os.path.join(d, f))


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    from chdb import session
    say = print
    os.makedirs(DIR, exist_ok=True)
    t0 = time.monotonic()
    n_w = n_b = 0
    for i in range(HOSTS):
        d = os.path.join(DIR, "h%05d" % i)
        os.makedirs(d, exist_ok=True)
        w, b = gen_host(i, d)
        n_w += w
        n_b += b
    total = n_w + n_b
    say(f"generated {HOSTS} hosts: {n_w} wtmp + {n_b} btmp = {total} events "
        f"({total * REC / 1e6:.0f} MB of records) in {time.monotonic() - t0:.1f} s")

    cpu0, t0 = children_cpu(), time.monotonic()
    with ThreadPoolExecutor(JOBS) as ex:
        list(ex.map(export, range(HOSTS)))
    wall, cpu = time.monotonic() - t0, children_cpu() - cpu0
    sizes = {k: sum(os.path.getsize(os.path.join(DIR, "h%05d" % i, k + ".jsonl")) for i in range(HOSTS))
             for k in ("events", "failed", "sessions")}
    n_sess = sum(sum(1 for _ in open(os.path.join(DIR, "h%05d" % i, "sessions.jsonl"), "rb"))
                 for i in range(HOSTS))
    say(f"utx export ({JOBS} at a time, dump wtmp + dump btmp + last per host): {wall:.1f} s wall, "
        f"{cpu:.1f} s CPU; {total / wall / 1e3:.0f} k events/s wall, {total / cpu / 1e3:.0f} k events/s "
        f"per CPU second; JSON {sum(sizes.values()) / 1e6:.0f} MB ({sizes['events'] / max(n_w, 1):.0f} B/event line)")

    db = os.path.join(DIR, "chdb")
    s = session.Session(db)
    creates, queries = load_sql(os.path.join(ROOT, "docs/clickhouse.sql"))
    for sql in ["DROP TABLE IF EXISTS utx_events", "DROP TABLE IF EXISTS utx_failed_logins",
                "DROP TABLE IF EXISTS utx_sessions"] + creates:
        s.query(sql)
    # A sample the way the HTTP interface receives lines (INSERT ... FORMAT
    # JSONEachRow with the data inline), then everything through file():
    # the same JSONEachRow parser, reading all hosts' files in parallel.
    with open(os.path.join(DIR, "h00000", "events.jsonl"), "rb") as f:
        data = f.read().decode()
    t0 = time.monotonic()
    s.query("INSERT INTO utx_events FORMAT JSONEachRow\n" + data)
    wall = time.monotonic() - t0
    n0 = data.count("\n")
    say(f"ingest, inline INSERT ... FORMAT JSONEachRow of one host ({n0} lines): {wall:.2f} s, "
        f"{n0 / wall / 1e3:.0f} k rows/s")
    s.query("TRUNCATE TABLE utx_events")
    t0 = time.monotonic()
    for kind, table in (("events", "utx_events"), ("failed", "utx_failed_logins"), ("sessions", "utx_sessions")):
        cols = json.loads(str(s.query(
            f"SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = '{table}' "
            "AND default_kind != 'MATERIALIZED' ORDER BY position", "JSONCompact")))["data"]
        names = ", ".join(c[0] for c in cols)
        structure = ", ".join(f"{c[0]} {c[1]}" for c in cols)
        s.query(f"INSERT INTO {table} ({names}) SELECT {names} FROM file('{DIR}/h*/{kind}.jsonl', "
                f"JSONEachRow, '{structure}')")
    wall = time.monotonic() - t0
    say(f"ingest, INSERT ... SELECT FROM file(JSONEachRow) of all hosts: {total + n_sess} rows in {wall:.1f} s, "
        f"{(total + n_sess) / wall / 1e3:.0f} k rows/s")
    t0 = time.monotonic()
    for table in ("utx_events", "utx_failed_logins", "utx_sessions"):
        s.query(f"OPTIMIZE TABLE {table} FINAL")
    say(f"OPTIMIZE ... FINAL (merge to one part): {time.monotonic() - t0:.1f} s")
    r = json.loads(str(s.query(
        "SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS disk, sum(data_uncompressed_bytes) AS raw "
        "FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table ORDER BY table",
        "JSONCompact")))["data"]
    for table, rows, disk, raw in r:
        rows, disk, raw = int(rows), int(disk), int(raw)
        say(f"  {table}: {rows} rows, {disk / 1e6:.1f} MB on disk ({raw / max(disk, 1):.1f}x compressed), "
            f"{disk / max(rows, 1) * 1e6 / 1e6:.1f} MB per million rows")
    for name, sql in sorted(queries.items()):
        ms = []
        for _ in range(3):
            t = time.monotonic()
            out = json.loads(str(s.query(sql, "JSONCompact")))
            ms.append((time.monotonic() - t) * 1000)
        say(f"  query {name}: {sorted(ms)[1]:.0f} ms (median of 3), {len(out['data'])} rows")
    s.close()


if __name__ == "__main__":
    main()
