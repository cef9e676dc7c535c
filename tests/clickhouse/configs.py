#!/usr/bin/env python3
"""The fleet pipeline configurations of docs/fleet/ (no Vector or Fluent Bit
needed): each parses (TOML with tomllib; YAML with PyYAML where installed),
each utx command in them runs and prints lines of its table's schema, and
each sink's table is one of docs/clickhouse.sql.

Usage: configs.py UTX GEN_DIR OUT.json
GEN_DIR holds glibc-written files (tests/gen/utmpgen.c): the commands read
GEN_DIR/many-users.wtmp for wtmp and GEN_DIR/btmp.wtmp for btmp instead of
this host's databases, with their checkpoint in a temporary directory; a
--follow command is stopped with SIGTERM after FOLLOW_SECONDS.  Each
command with --checkpoint runs twice: the second run prints nothing.  OUT.json gets [{"config", "argv", "insert", "table",
"lines", "data"}]: the command as run, the INSERT its sink sends and what
the command printed, for run.py to ingest.
"""
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import tomllib
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, check, failures  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests/follow"))
import validate  # noqa: E402

UTX, GEN, OUT = sys.argv[1], sys.argv[2], sys.argv[3]


def schema(name):
    with open(os.path.join(ROOT, "docs", name), encoding="utf-8") as f:
        return json.load(f)


SCHEMAS = {"dump": schema("utx-dump.schema.json"), "last": schema("utx-last.schema.json")}
with open(os.path.join(ROOT, "docs/clickhouse.sql"), encoding="utf-8") as f:
    TABLES = set(re.findall(r"^CREATE TABLE IF NOT EXISTS (\w+)", f.read(), re.M))
# Which utx output each table takes.
WANT = {"utx_events": ("dump", "wtmp"), "utx_failed_logins": ("dump", "btmp"), "utx_sessions": ("last", "wtmp")}


FOLLOW_SECONDS = 1.0


def adapt(argv, tmp):
    """The command on glibc-written files, its checkpoint in TMP."""
    out, i, db = [UTX], 1, "wtmp"
    while i < len(argv):
        a = argv[i]
        if a == "--checkpoint":
            out += [a, os.path.join(tmp, os.path.basename(argv[i + 1]))]
            i += 1
        elif a == "--db":
            db = argv[i + 1]
            i += 1
        else:
            out.append(a)
        i += 1
    f = os.path.join(GEN, "btmp.wtmp" if db == "btmp" else "many-users.wtmp")
    return out + ([f] if argv[1] == "dump" else ["-f", f]), db


def run(config, argv, table, insert, tmp, pairs):
    check(argv[0] == "utx", f"{config}: {argv}: not a utx command")
    check(table in TABLES, f"{config}: table {table} is not in docs/clickhouse.sql")
    kind, db = WANT.get(table, ("?", "?"))
    cmd, got_db = adapt(argv, tmp)
    check(argv[1] == kind and got_db == db, f"{config}: {table} takes `utx {kind}` of {db}, not {argv}")
    for attempt in (1, 2):  # again: the checkpoint holds the end, no line twice
        r = execute(cmd)
        lines = r.stdout.decode().splitlines()
        if attempt == 2 and "--checkpoint" in cmd:
            check(r.returncode == 0 and not lines, f"{config}: second run printed {len(lines)} lines")
            break
        check(r.returncode == 0 and lines, f"{config}: {cmd}: exit {r.returncode}, {len(lines)} lines, "
                                           f"{r.stderr.decode()[:200]}")
        bad = [e for x in lines for e in validate.errors(SCHEMAS[kind], SCHEMAS[kind], json.loads(x))]
        check(not bad, f"{config}: {argv}: lines off the schema: {bad[:3]}")
        if attempt == 1:
            pairs.append({"config": config, "argv": cmd, "insert": insert, "table": table,
                          "lines": len(lines), "data": r.stdout.decode()})
        if "--checkpoint" not in cmd:
            break
    print(f"ok: {config}: {' '.join(argv)} -> {table}")


def execute(cmd):
    """Run CMD; a --follow command until SIGTERM after FOLLOW_SECONDS."""
    if "--follow" not in cmd:
        return subprocess.run(cmd, capture_output=True, timeout=60)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=FOLLOW_SECONDS)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=10)
    return subprocess.CompletedProcess(cmd, p.returncode, out, err)


def vector(tmp, pairs):
    path = os.path.join(ROOT, "docs/fleet/vector.toml")
    with open(path, "rb") as f:
        cfg = tomllib.load(f)
    print("ok: docs/fleet/vector.toml parses as TOML")
    src, tr = cfg["sources"], cfg.get("transforms", {})
    n = 0
    for name, sink in cfg["sinks"].items():
        check(sink["type"] == "clickhouse" and sink.get("skip_unknown_fields") is True,
              f"vector sink {name}: {sink}")
        for inp in sink["inputs"]:
            t = tr.get(inp)
            check(t and t["type"] == "remap" and "parse_json" in t["source"], f"vector {inp}: no remap of the line")
            for s in t["inputs"]:
                check(src[s]["type"] == "exec", f"vector source {s}")
                insert = f"INSERT INTO {sink['table']} SETTINGS input_format_skip_unknown_fields=1 FORMAT JSONEachRow"
                run("vector.toml", src[s]["command"], sink["table"], insert, tmp, pairs)
                n += 1
    check(n == 3, f"vector.toml: {n} pipelines, want 3")


def fluent_bit(tmp, pairs):
    try:
        import yaml
    except ImportError:
        print("SKIP: docs/fleet/fluent-bit.yaml: no PyYAML (apt-get install python3-yaml) to parse it")
        return
    with open(os.path.join(ROOT, "docs/fleet/fluent-bit.yaml"), encoding="utf-8") as f:
        cfg = yaml.safe_load(f)
    print("ok: docs/fleet/fluent-bit.yaml parses as YAML")
    parsers = {p["name"]: p for p in cfg["parsers"]}
    outs = cfg["pipeline"]["outputs"]
    n = 0
    for i in cfg["pipeline"]["inputs"]:
        check(i["name"] == "exec" and parsers[i["parser"]]["format"] == "json", f"fluent-bit input {i}")
        o = [o for o in outs if o["match"] == i["tag"]]
        check(len(o) == 1, f"fluent-bit: {len(o)} outputs for {i['tag']}")
        o = o[0]
        check(o["name"] == "http" and o["format"] == "json_lines" and o["json_date_key"] is False,
              f"fluent-bit output {o}")
        q = urllib.parse.parse_qs(urllib.parse.urlparse(o["uri"]).query)["query"][0]
        m = re.match(r"INSERT INTO (\w+) ", q)
        check(m, f"fluent-bit: {q}")
        run("fluent-bit.yaml", shlex.split(i["command"]), m.group(1), q, tmp, pairs)
        n += 1
    check(n == 3, f"fluent-bit.yaml: {n} pipelines, want 3")


def main():
    pairs = []
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "vector"))
        os.mkdir(os.path.join(tmp, "fluent-bit"))
        vector(os.path.join(tmp, "vector"), pairs)
        fluent_bit(os.path.join(tmp, "fluent-bit"), pairs)
    with open(OUT, "w") as f:
        json.dump(pairs, f)
    print(f"configs: {len(pairs)} commands, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
