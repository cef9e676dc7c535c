#!/usr/bin/env python3
"""docs/clickhouse.sql against a real ClickHouse engine (chdb, in-process).

Usage: run.py UTX UTMPGEN_DIR [CONFIGS.json]   (run by tests/clickhouse/run.sh
in its venv; CONFIGS.json: what tests/clickhouse/configs.py wrote)

Creates the tables of docs/clickhouse.sql, then ingests, unchanged with
`INSERT ... FORMAT JSONEachRow`:
  - `utx dump --json` lines of every corpus file (samples/ and the shared
    corpus, found as bindings/compare-dump.py finds it: $UTX_CORPUS, else
    ../shared/corpus) under the host names web-1, web-2, db-1 and none
    (no --host-name: host_name ""), btmp files into utx_failed_logins;
  - `utx last --json -x` lines of the same (wtmp-like) files into utx_sessions;
  - the glibc-written files of tests/gen/utmpgen.c under glibc-a and glibc-b,
    and glibc-a's sessions a second time (a re-run export: FINAL keeps one).
Then it runs every `-- name:` query of docs/clickhouse.sql and compares its
answer, row by row, with the same answer computed here in Python from the
utx lines.  Also: every line carries the host_name asked for, and each
table holds exactly the lines sent to it.  Last, the output of every command
of docs/fleet/*.{toml,yaml} goes in with the INSERT of its sink.
"""
import datetime
import decimal
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, check, failures, load_sql  # noqa: E402

UTX = os.path.abspath(sys.argv[1])
GEN = sys.argv[2]
CONFIGS = sys.argv[3] if len(sys.argv) > 3 else None

MIN_US, MAX_US = -2208988800 * 10**6, 10413791999 * 10**6 + 999999  # DateTime64's range
EPOCH = datetime.datetime(1970, 1, 1)


def corpus_files():
    spec = importlib.util.spec_from_file_location("compare_dump", os.path.join(ROOT, "bindings/compare-dump.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return [os.path.join(ROOT, f) for f in mod.corpus_files()]


def utx(args):
    r = subprocess.run([UTX] + args, capture_output=True, timeout=60)
    if r.returncode != 0:
        return None
    return r.stdout.decode("utf-8")  # utx's JSON is UTF-8 (bad bytes escaped)


def clamp_us(us):
    return min(max(us, MIN_US), MAX_US)


def fmt_us(us):
    return (EPOCH + datetime.timedelta(microseconds=us)).strftime("%Y-%m-%d %H:%M:%S.%f")


def fmt_day(us):
    return (EPOCH + datetime.timedelta(microseconds=us)).strftime("%Y-%m-%d")


def dec_us(d):
    """toInt128(Decimal * 1000000): truncation toward zero."""
    return int(d * 1000000)


class Fleet:
    def __init__(self):
        self.events, self.failed, self.sessions = [], [], []
        self.sent = {"utx_events": [], "utx_failed_logins": [], "utx_sessions": []}

    def export(self, path, host):
        """One host's file, as its agent would ship it."""
        opt = ["--host-name", host] if host else []
        want = host or ""
        btmp = os.path.basename(path).startswith("btmp")
        out = utx(["dump", "--json"] + opt + [path])
        n = 0
        if out:
            table = "utx_failed_logins" if btmp else "utx_events"
            for line in out.splitlines():
                e = json.loads(line)
                check(e["host_name"] == want, f"{path}: host_name {e['host_name']!r}, want {want!r}")
                e["_us"] = clamp_us(e["sec"] * 10**6 + e["usec"])
                (self.failed if btmp else self.events).append(e)
                n += 1
            self.sent[table].append(out)
        if not btmp:
            out = utx(["last", "--json", "-x"] + opt + ["-f", path])
            if out:
                self.add_sessions(out, want, path)
        return n

    def add_sessions(self, out, want, path):
        for line in out.splitlines():
            s = json.loads(line, parse_float=decimal.Decimal)
            check(s["host_name"] == want, f"{path}: last host_name {s['host_name']!r}, want {want!r}")
            self.sessions.append(s)
        self.sent["utx_sessions"].append(out)

    def sessions_final(self):
        """ReplacingMergeTree(has_logout) FINAL: one row per key, the
        greatest version, the last inserted among equals."""
        keep = {}
        for s in self.sessions:
            login = decimal.Decimal(s["login"])
            key = (s["host_name"], clamp_us(dec_us(login)), s["source"], s["login_offset"], s["kind"])
            ver = s["logout"] is not None
            if key not in keep or ver >= (keep[key]["logout"] is not None):
                keep[key] = s
        return list(keep.values())


def group(rows, key):
    out = {}
    for r in rows:
        out.setdefault(key(r), []).append(r)
    return out


def src(e):
    return e["addr"] if e["addr"] != "" else e["host"]


def expected(f):
    """Every named query's answer, from the utx lines alone."""
    logins = [e for e in f.events if e["type"] == "USER_PROCESS"]
    exp = {}
    rows = [[u, len(g), len({e["host_name"] for e in g})] for u, g in group(logins, lambda e: e["user"]).items()]
    exp["logins_per_user"] = sorted(rows, key=lambda r: (-r[1], r[0]))
    rows = []
    for (u, h), g in group(logins, lambda e: (e["user"], e["host_name"])).items():
        rows.append([u, h, len(g), sorted({e["addr"] for e in g if e["addr"]}),
                     sorted({e["host"] for e in g if e["host"]})])
    exp["user_hosts"] = sorted(rows, key=lambda r: (r[0], r[1]))
    rows = []
    for (s, d), g in group(f.failed, lambda e: (src(e), fmt_day(e["_us"]))).items():
        rows.append([s, d, len(g), len({e["host_name"] for e in g}), len({e["user"] for e in g})])
    exp["failed_logins_per_source"] = sorted(rows, key=lambda r: (r[1], -r[2], r[0]))
    rows = []
    for (u, d), g in group(f.failed, lambda e: (e["user"], fmt_day(e["_us"]))).items():
        rows.append([u, d, len(g), len({e["host_name"] for e in g}), len({src(e) for e in g})])
    exp["failed_logins_per_user"] = sorted(rows, key=lambda r: (r[1], -r[2], r[0]))
    final = f.sessions_final()
    still = [s for s in final if s["kind"] == "user" and s["end"] == "still-logged-in"]
    rows = [[h, len(g), sorted({s["user"] for s in g})] for h, g in group(still, lambda s: s["host_name"]).items()]
    exp["open_sessions_per_host"] = sorted(rows)
    rows = []
    for h, g in group(final, lambda s: s["host_name"]).items():
        reboots = sum(s["kind"] == "reboot" for s in g)
        crashed = [s for s in g if s["end"] == "crash"]
        crashes = len({s["logout"] for s in crashed if s["logout"] is not None})
        if reboots > 0 or crashes > 0:
            rows.append([h, reboots, crashes, len(crashed)])
    exp["reboots_and_crashes_per_host"] = sorted(rows)
    rows = []
    for u, g in group(logins, lambda e: e["user"]).items():
        us = [e["_us"] for e in g]
        rows.append([u, fmt_us(min(us)), fmt_us(max(us)), len({e["host_name"] for e in g})])
    exp["first_last_seen_per_user"] = sorted(rows)
    return {k: [[norm(c) for c in r] for r in v] for k, v in exp.items()}


def norm(v):
    """A cell as text (ClickHouse's JSON quotes 64-bit integers)."""
    return [norm(x) for x in v] if isinstance(v, list) else str(v)


def count(s, table):
    return int(str(s.query(f"SELECT count() FROM {table}", "CSV")).strip())


def configs(s):
    """Each pipeline configuration's output through its sink's INSERT."""
    with open(CONFIGS) as f:
        pairs = json.load(f)
    for p in pairs:
        table = p["table"] + (" FINAL" if p["table"] == "utx_sessions" else "")
        before = count(s, table)
        s.query(f"{p['insert']}\n{p['data']}")
        added = count(s, table) - before
        if p["table"] == "utx_sessions":  # a session sent twice is one row
            ok = 0 < added <= p["lines"]
        else:
            ok = added == p["lines"]
        if check(ok, f"{p['config']}: {p['insert']}: {added} rows from {p['lines']} lines"):
            print(f"ok: {p['config']}: {' '.join(p['argv'][1:3])}... -> {p['table']}: {added} rows")
    check(len(pairs) >= 6, f"{len(pairs)} pipeline commands")


def main():
    try:
        from chdb import session
    except ImportError as e:
        print(f"SKIP: chdb is not importable ({e})")
        return 0
    start = time.monotonic()
    creates, queries = load_sql(os.path.join(ROOT, "docs/clickhouse.sql"))
    check(len(queries) >= 7, f"named queries: {sorted(queries)}")
    f = Fleet()
    hosts = ["web-1", "web-2", "db-1", None]
    files = corpus_files()
    n_corpus = sum(f.export(p, hosts[i % len(hosts)]) for i, p in enumerate(files))
    gen = sorted(os.path.join(GEN, n) for n in os.listdir(GEN))
    n_gen = 0
    for h in ("glibc-a", "glibc-b"):
        n_gen += sum(f.export(p, h) for p in gen)
    for p in gen:  # glibc-a's sessions exported again
        if not os.path.basename(p).startswith("btmp"):
            out = utx(["last", "--json", "-x", "--host-name", "glibc-a", "-f", p])
            if out:
                f.add_sessions(out, "glibc-a", p)
    print(f"{len(files)} corpus files ({n_corpus} events), {len(gen)} glibc files x 2 hosts ({n_gen} events), "
          f"{len(f.sessions)} session lines, {len(f.failed)} failed logins")
    check(f.failed and f.events and f.sessions, "every table gets lines")

    db = tempfile.mkdtemp(prefix="utx-chdb-", dir=os.path.join(ROOT, "build"))
    try:
        s = session.Session(db)
        for sql in creates:
            s.query(sql)
        for table, chunks in f.sent.items():
            for data in chunks:
                s.query(f"INSERT INTO {table} FORMAT JSONEachRow\n{data}")
        final = f.sessions_final()
        check(len(final) < len(f.sessions), "sessions exported twice")
        for table, rows in (("utx_events", f.events), ("utx_failed_logins", f.failed),
                            ("utx_sessions FINAL", final)):
            n = int(str(s.query(f"SELECT count() FROM {table}", "CSV")).strip())
            check(n == len(rows), f"{table}: {n} rows, {len(rows)} expected")
        # The exact values survive: a sample of every event's numbers and strings.
        got = json.loads(str(s.query("SELECT host_name, offset, user, sec, usec, toString(time) AS t FROM utx_events "
                                     "ORDER BY host_name, offset, sec, user", "JSONCompact")))["data"]
        want = sorted(([e["host_name"], str(e["offset"]), e["user"], str(e["sec"]), e["usec"], fmt_us(e["_us"])]
                       for e in f.events), key=lambda r: (r[0], int(r[1]), int(r[3]), r[2]))
        check([[str(c) for c in r] for r in got] == [[str(c) for c in r] for r in want], "utx_events round trip")
        exp = expected(f)
        for name, sql in sorted(queries.items()):
            t0 = time.monotonic()
            got = json.loads(str(s.query(sql, "JSONCompact")))["data"]
            got = [[norm(c) for c in r] for r in got]
            ms = (time.monotonic() - t0) * 1000
            if name not in exp:
                check(False, f"{name}: no Python answer for this query")
                continue
            if check(got == exp[name], f"{name}: ClickHouse and Python disagree"):
                print(f"ok: {name}: {len(got)} rows agree ({ms:.0f} ms)")
            else:
                for i, (a, b) in enumerate(zip(got, exp[name])):
                    if a != b:
                        print(f"  first difference at row {i}: chdb {a} python {b}")
                        break
                print(f"  rows: chdb {len(got)} python {len(exp[name])}")
            check(len(got) > 0, f"{name}: no rows (the test data must exercise it)")
        if CONFIGS:
            configs(s)
        s.close()
    finally:
        shutil.rmtree(db, ignore_errors=True)
    print(f"{len(queries)} queries, {len(failures)} failure(s), {time.monotonic() - start:.1f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
