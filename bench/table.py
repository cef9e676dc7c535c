#!/usr/bin/env python3
"""The table of `make bench` and build/bench.json (bench/all.sh runs it).

  table.py make ROWS.tsv META.json OUT.json   print the table of the rows
                                              the bench scripts appended
                                              (bench/lib.sh), write OUT.json
  table.py show RUN.json                      print a saved run's table
  table.py compare OLD.json NEW.json          row by row: the ratio and the
                                              utx median of two runs
  table.py check RUN.json [ID...]            exit 1 unless RUN.json parses,
                                              has rows (the IDs among them)
                                              and every row has a verdict
                                              (never a timing)
"""
import json
import math
import sys

FIELDS = ("id label unit runs utx_median utx_min utx_max peer peer_median peer_min peer_max "
          "ratio kind goal verdict note points").split()
VERDICTS = ("PASS", "MISS", "INFO", "SKIP")


def num(s):
    try:
        v = float(s)
    except ValueError:
        return None
    return None if math.isnan(v) or math.isinf(v) else v


def parse_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            v = line.split("\t")
            v += [""] * (len(FIELDS) - len(v))
            r = dict(zip(FIELDS, v))
            goal = None
            if r["goal"]:
                op, value = r["goal"].split()
                goal = {"op": op, "value": float(value), "on": "utx" if r["kind"] == "value" else "ratio"}
            points = None
            if r["points"]:
                points = {k: num(x) for k, x in (p.split("=", 1) for p in r["points"].split(";"))}
            rows.append({
                "id": r["id"],
                "label": r["label"],
                "unit": r["unit"],
                "runs": int(r["runs"] or 0),
                "utx": {"median": num(r["utx_median"]), "min": num(r["utx_min"]), "max": num(r["utx_max"])},
                "peer": None if not r["peer"] else {
                    "name": r["peer"], "median": num(r["peer_median"]),
                    "min": num(r["peer_min"]), "max": num(r["peer_max"])},
                "ratio": num(r["ratio"]),
                "ratio_kind": None if r["kind"] == "value" else r["kind"],
                "goal": goal,
                "verdict": r["verdict"],
                "note": r["note"],
                "points": points,
            })
    return rows


def g(v):
    """A number in 3 significant digits (no exponent for usual sizes)."""
    if v is None:
        return "-"
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1000:
        return "%.0f" % v
    digits = max(0, 2 - int(math.floor(math.log10(a))))
    return "%.*f" % (digits, v)


def spread(m):
    return "%s (%s..%s)" % (g(m["median"]), g(m["min"]), g(m["max"]))


def ratio_text(r):
    if r["ratio"] is None:
        return "-"
    if r["ratio_kind"] == "peer/utx":
        return "%sx faster" % g(r["ratio"])
    return "%sx" % g(r["ratio"])


def goal_text(r):
    gl = r["goal"]
    if gl is None:
        return "-"
    if gl["on"] == "utx":
        return "%s %g %s" % (gl["op"], gl["value"], r["unit"])
    if r["ratio_kind"] == "peer/utx":
        return "%s %gx faster" % (gl["op"], gl["value"])
    return "%s %gx" % (gl["op"], gl["value"])


def table(run, out=sys.stdout):
    m = run.get("meta", {})
    out.write("make bench  %s  %s, %s CPUs, load %s .. %s\n" % (
        m.get("date", "?"), m.get("uname", "?"), m.get("cpus", "?"), m.get("load_start", "?"),
        m.get("load_end", "?")))
    out.write("  git %s%s; %s records (%s), %s runs%s; medians (min..max) of interleaved runs\n" % (
        m.get("commit", "?")[:12], " (modified)" if m.get("dirty") else "", m.get("records", "?"),
        m.get("size", "?"), m.get("runs", "?"), ", QUICK (tiny sizes: not figures to quote)"
        if m.get("quick") else ""))
    head = ("work", "unit", "utx", "peer", "ratio", "goal", "verdict")
    lines = []
    for r in run["rows"]:
        peer = "-"
        if r["peer"] is not None:
            peer = "%s %s" % (r["peer"]["name"], spread(r["peer"]) if r["peer"]["median"] is not None else "-")
        lines.append((r["label"], r["unit"], spread(r["utx"]), peer, ratio_text(r), goal_text(r), r["verdict"]))
    w = [max(len(x[i]) for x in lines + [head]) for i in range(len(head))]
    fmt = "  ".join("%%-%ds" % n for n in w[:-1]) + "  %s\n"
    out.write(fmt % head)
    out.write(fmt % tuple("-" * n for n in w))
    for x in lines:
        out.write(fmt % x)
    notes = []
    for r in run["rows"]:
        note = r["note"]
        if r["points"]:
            note = ", ".join("%s %s" % (k, g(v)) for k, v in r["points"].items()) + " " + r["unit"] + \
                ("; " + note if note else "")
        if note:
            notes.append((r["label"], note))
    if notes:
        out.write("notes:\n")
        for label, note in notes:
            out.write("  %s: %s\n" % (label, note))
    counts = {v: sum(r["verdict"] == v for r in run["rows"]) for v in VERDICTS}
    out.write("goals: %d PASS, %d MISS; %d rows for reading (INFO), %d skipped (SKIP)\n" % (
        counts["PASS"], counts["MISS"], counts["INFO"], counts["SKIP"]))
    for s in m.get("scripts", []):
        if s.get("status") != 0:
            out.write("FAILED: bench/%s exited %s (log: %s)\n" % (s["name"], s["status"], s["log"]))


def compare(old, new):
    o = {r["id"]: r for r in old["rows"]}
    print("old: %s %s   new: %s %s" % (old["meta"].get("date"), old["meta"].get("commit", "")[:12],
                                       new["meta"].get("date"), new["meta"].get("commit", "")[:12]))
    for k in ("records", "runs", "quick"):
        if old["meta"].get(k) != new["meta"].get(k):
            print("NOTE: the runs differ in %s (%s, %s): their times do not compare" % (
                k, old["meta"].get(k), new["meta"].get(k)))
    head = ("work", "old ratio", "new ratio", "utx old", "utx new", "new/old", "verdict")
    lines = []
    for r in new["rows"]:
        p = o.pop(r["id"], None)
        if p is None:
            lines.append((r["label"], "-", ratio_text(r), "-", g(r["utx"]["median"]), "-", "new: " + r["verdict"]))
            continue
        a, b = p["utx"]["median"], r["utx"]["median"]
        change = g(b / a) + "x" if a and b is not None else "-"
        v = r["verdict"] if p["verdict"] == r["verdict"] else "%s -> %s" % (p["verdict"], r["verdict"])
        lines.append((r["label"], ratio_text(p), ratio_text(r), "%s %s" % (g(a), p["unit"]),
                      "%s %s" % (g(b), r["unit"]), change, v))
    for r in o.values():
        lines.append((r["label"], ratio_text(r), "-", g(r["utx"]["median"]), "-", "-", "gone"))
    w = [max(len(x[i]) for x in lines + [head]) for i in range(len(head))]
    fmt = "  ".join("%%-%ds" % n for n in w[:-1]) + "  %s"
    print(fmt % head)
    for x in lines:
        print(fmt % x)


def check(run, want=()):
    rows = run.get("rows")
    if not rows:
        sys.exit("bench.json: no rows")
    for r in rows:
        if r.get("verdict") not in VERDICTS:
            sys.exit("bench.json: row %s has no verdict" % r.get("id"))
        if r.get("goal") is not None and r["verdict"] not in ("PASS", "MISS", "SKIP"):
            sys.exit("bench.json: row %s has a goal but verdict %s" % (r["id"], r["verdict"]))
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        sys.exit("bench.json: a row id appears twice")
    missing = [i for i in want if i not in ids]
    if missing:
        sys.exit("bench.json: no row " + ", ".join(missing))
    return ids


def main(argv):
    if len(argv) == 5 and argv[1] == "make":
        with open(argv[3], encoding="utf-8") as f:
            meta = json.load(f)
        run = {"schema": 1, "meta": meta, "rows": parse_rows(argv[2])}
        with open(argv[4] + ".part", "w", encoding="utf-8") as f:
            json.dump(run, f, indent=1)
            f.write("\n")
        import os
        os.replace(argv[4] + ".part", argv[4])
        table(run)
    elif len(argv) == 3 and argv[1] == "show":
        with open(argv[2], encoding="utf-8") as f:
            table(json.load(f))
    elif len(argv) >= 3 and argv[1] == "check":
        with open(argv[2], encoding="utf-8") as f:
            run = json.load(f)
        print("bench.json: %d rows, each with a verdict: %s" % (len(run.get("rows") or []),
                                                               " ".join(check(run, argv[3:]))))
    elif len(argv) == 4 and argv[1] == "compare":
        with open(argv[2], encoding="utf-8") as f:
            old = json.load(f)
        with open(argv[3], encoding="utf-8") as f:
            new = json.load(f)
        compare(old, new)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
