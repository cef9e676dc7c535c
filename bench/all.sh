#!/usr/bin/env bash
# `make bench`: runs the bench scripts one after the other (each also runs
# alone), collects the rows they emit (bench/lib.sh) and prints ONE table
# of ratios against the peers, all measured in this run, with PASS/MISS per
# goal; writes it as build/bench.json (bench/table.py: `show` prints a
# saved run, `compare OLD NEW` two runs).  Each script's own output goes to
# build/bench-logs/SCRIPT.log.  Timings on a shared machine are for
# reading: nothing here fails on a timing, only on a script that fails (a
# peer printing different output, a reader seeing different records).
#
# Environment:
#   UTX_BENCH_QUICK=1     tiny sizes and 1 run (20,000 records, 8 MiB of
#                         zeros, no utmp-rs build unless UTX_BENCH_RUST=1):
#                         checks that the bench works, about 20 s; its
#                         figures are not to be quoted
#   UTX_BENCH_RECORDS     records of the wtmp (default 2796202 = 1 GiB)
#   UTX_BENCH_RUNS        runs per row (default: each script's own)
#   UTX_BENCH_SCRIPTS     scripts to run (default "run output sessions
#                         detect scaling write bindings fleet"; quick:
#                         the first five)
#   UTX_BENCH_JSON        where the JSON goes (default build/bench.json)
#   UTX, UTX_LIB          the command and static library (default build/)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [ "${UTX_BENCH_QUICK:-0}" = 1 ]; then
    export UTX_BENCH_RECORDS=${UTX_BENCH_RECORDS:-20000}
    export UTX_BENCH_RUNS=${UTX_BENCH_RUNS:-1}
    export UTX_BENCH_ZERO_MIB=${UTX_BENCH_ZERO_MIB:-8}
    export UTX_BENCH_RUST=${UTX_BENCH_RUST:-0}
    export UTX_BENCH_GLIBC_BUDGET=${UTX_BENCH_GLIBC_BUDGET:-5}
    scripts=${UTX_BENCH_SCRIPTS:-run output sessions detect scaling}
else
    scripts=${UTX_BENCH_SCRIPTS:-run output sessions detect scaling write bindings fleet}
fi
json=${UTX_BENCH_JSON:-$root/build/bench.json}
logs=${json%.json}-logs
export UTX=${UTX:-$root/build/utx}
export UTX_LIB=${UTX_LIB:-$root/build/libutx.a}
if [ ! -x "$UTX" ] || [ ! -f "$UTX_LIB" ]; then make -s -C "$root" all >/dev/null || exit 1; fi
mkdir -p "$logs" "$(dirname "$json")"
rows=$logs/rows.tsv
: >"$rows"
export UTX_BENCH_ROWS=$rows

load() { cut -d' ' -f1-3 /proc/loadavg; }
load_start=$(load)
date=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
t_all=$(date +%s)
status=0
: >"$logs/scripts.tsv"
for s in $scripts; do
    [ -f "bench/$s.sh" ] || { echo "bench/all.sh: no bench/$s.sh" >&2; exit 2; }
    printf 'bench/%-12s ' "$s.sh"
    t0=$(date +%s%N)
    bash "bench/$s.sh" >"$logs/$s.log" 2>&1
    rc=$?
    t1=$(date +%s%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
    printf '%6s s  %s\n' "$secs" "$([ $rc = 0 ] && echo "ok" || echo "FAILED (exit $rc)") (log: ${logs#"$root"/}/$s.log)"
    printf '%s\t%s\t%s\t%s\n' "$s.sh" "$rc" "$secs" "${logs#"$root"/}/$s.log" >>"$logs/scripts.tsv"
    [ $rc = 0 ] || status=1
done
echo

commit=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
dirty=false
[ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ] && dirty=true
records=${UTX_BENCH_RECORDS:-2796202}
DATE=$date LOAD_START=$load_start LOAD_END=$(load) COMMIT=$commit DIRTY=$dirty RECORDS=$records \
    SECONDS_ALL=$(($(date +%s) - t_all)) SCRIPTS_TSV=$logs/scripts.tsv python3 - >"$logs/meta.json" <<'EOF'
import json, os, platform, subprocess
def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout
        return out.splitlines()[0] if out else None
    except (OSError, subprocess.SubprocessError):
        return None
e = os.environ
records = int(e["RECORDS"])
scripts = []
with open(e["SCRIPTS_TSV"]) as f:
    for line in f:
        name, rc, secs, log = line.rstrip("\n").split("\t")
        scripts.append({"name": name, "status": int(rc), "seconds": float(secs), "log": log})
print(json.dumps({
    "date": e["DATE"], "uname": " ".join(platform.uname()[i] for i in (0, 2, 4)),
    "cpus": os.cpu_count(), "load_start": e["LOAD_START"], "load_end": e["LOAD_END"],
    "commit": e["COMMIT"], "dirty": e["DIRTY"] == "true",
    "records": records, "size": ("%.3g GiB" % (records * 384 / 2**30)) if records * 384 >= 1000 * 2**20
        else "%.3g MiB" % (records * 384 / 2**20),
    "runs": int(e["UTX_BENCH_RUNS"]) if e.get("UTX_BENCH_RUNS") else "script defaults",
    "quick": e.get("UTX_BENCH_QUICK") == "1", "seconds": int(e["SECONDS_ALL"]),
    "scripts": scripts,
    "peers": {
        "glibc": first_line(["ldd", "--version"]),
        "util-linux": first_line(["last", "--version"]),
        "coreutils": first_line(["who", "--version"]),
        "cc": first_line([os.environ.get("CC", "cc"), "--version"]),
    },
}, indent=1))
EOF
python3 bench/table.py make "$rows" "$logs/meta.json" "$json" || exit 1
echo "written: ${json#"$root"/} (compare two runs: python3 bench/table.py compare OLD.json NEW.json)"
exit $status
