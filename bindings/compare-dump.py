#!/usr/bin/env python3
"""Check that a binding reads the same entries as `utx dump --json`.

    python3 bindings/compare-dump.py build/utx CMD [ARG...]

The files are samples/* and every corpus file (../shared/corpus, or
$UTX_CORPUS) under 2 MB that `utx dump --json` reads (exit 0).  CMD is run
once with all of them appended and must print, per file, a line
`FILE <path>` followed by one JSON object per entry:

    {"format": NAME, "offset": N, "type": NAME, "raw_type": N,
     "user_hex": HEX, "line_hex": .., "id_hex": .., "host_hex": ..,
     "service_hex": .., "pid": N, "session": N, "uid": N,
     "exit_termination": N, "exit_status": N, "sec": N, "usec": N,
     "addr": TEXT, "flags": N}

(numbers -1 when unknown, strings as the hex of their exact bytes, addr ""
when none).  Entries flagged PARTIAL_RECORD are left out, as utx dump
leaves them out (it names them on stderr).  Exit status 1 on any difference, with the first ones shown.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLAGS = {"NOT_UTF8": 1, "FULL_WIDTH": 2, "PARTIAL_RECORD": 4, "TIME_IMPLAUSIBLE": 8, "RECOVERED": 16}
STRINGS = ("user", "line", "id", "host", "service")
NUMBERS = ("offset", "raw_type", "pid", "session", "uid", "exit_termination", "exit_status", "sec", "usec")


def corpus_files():
    files = [os.path.join("samples", f) for f in sorted(os.listdir(os.path.join(ROOT, "samples")))]
    corpus = os.environ.get("UTX_CORPUS")
    if not corpus:
        for d in ("../shared/corpus", "../../shared/corpus"):
            if os.path.isdir(os.path.join(ROOT, d)):
                corpus = os.path.join(ROOT, d)
                break
    if corpus:
        for dirpath, dirs, names in os.walk(corpus):
            dirs[:] = sorted(d for d in dirs if d != "LICENSES")
            files += [os.path.join(dirpath, n) for n in sorted(names)]
    out = []
    for f in files:
        p = os.path.join(ROOT, f)
        if not os.path.isfile(p) or f.endswith((".md", ".txt")) or os.path.getsize(p) > 2 << 20:
            continue
        out.append(f)
    return out


def from_c(obj):
    d = {"format": obj["format"], "type": obj["type"], "addr": obj["addr"]}
    for k in NUMBERS:
        d[k] = obj[k]
    for k in STRINGS:
        d[k] = obj[k + "_hex"] if k + "_hex" in obj else obj[k].encode("utf-8").hex()
    d["flags"] = sum(FLAGS.get(f, int(f, 16) if f.startswith("0x") else 0) for f in obj["flags"])
    return d


def from_binding(obj):
    d = {k: obj[k] for k in ("format", "type", "addr", "flags") + NUMBERS}
    for k in STRINGS:
        d[k] = obj[k + "_hex"]
    return d


def main():
    utx, cmd = sys.argv[1], sys.argv[2:]
    expected, files = {}, []
    for f in corpus_files():
        r = subprocess.run([utx, "dump", "--json", f], cwd=ROOT, capture_output=True)
        if r.returncode != 0:
            continue
        files.append(f)
        expected[f] = [from_c(json.loads(line)) for line in r.stdout.decode().splitlines() if line]
    if not files:
        sys.exit("compare-dump: no readable files")
    r = subprocess.run(cmd + files, cwd=ROOT, capture_output=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode(errors="replace"))
        sys.exit("compare-dump: %s exited %d" % (" ".join(cmd), r.returncode))
    got, cur = {}, None
    for line in r.stdout.decode().splitlines():
        if line.startswith("FILE "):
            cur = line[5:]
            got[cur] = []
        elif line:
            e = from_binding(json.loads(line))
            if not e["flags"] & FLAGS["PARTIAL_RECORD"]:  # utx dump reports these on stderr
                got[cur].append(e)
    bad = 0
    for f in files:
        want, have = expected[f], got.get(f)
        if have is None:
            print("MISSING %s: the binding printed nothing for it" % f)
            bad += 1
        elif have != want:
            bad += 1
            if len(have) != len(want):
                print("DIFF %s: %d entries, utx dump has %d" % (f, len(have), len(want)))
            for i, (a, b) in enumerate(zip(have, want)):
                if a != b:
                    keys = [k for k in b if a.get(k) != b[k]]
                    print("DIFF %s entry %d: %s" % (f, i, ", ".join(
                        "%s: binding %r, utx %r" % (k, a.get(k), b[k]) for k in keys)))
                    break
    n = sum(len(v) for v in expected.values())
    if bad:
        sys.exit("compare-dump: %d of %d files differ" % (bad, len(files)))
    print("compare-dump: %d files, %d entries identical to utx dump --json" % (len(files), n))


if __name__ == "__main__":
    main()
