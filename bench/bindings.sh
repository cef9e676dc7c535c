#!/usr/bin/env bash
# `make bench`, second part: entries per second reading the benchmark's
# wtmp (built by bench/run.sh) through each binding, against the C API in
# the same run.  Every binding copies each entry into its own value (Go
# Entry, Python Entry dataclass, Ruby Utx::Entry); the C rows only read
# the library's entry, one per call (ut_reader_next, the reference) or
# UT_BATCH_MAX per call (ut_reader_next_batch, as Go and Python read).
# Go has two rows: Next/Entry (a lock and a copy per entry) and NextBatch
# into a reused []Entry of 256 (a lock per call), both against the 2x
# target.
# Timings are for reading, never for assertions.
#
# Environment: UTX_BENCH_DIR, UTX_BENCH_RECORDS as for bench/run.sh;
# UTX_BENCH_RUNS (default 5) runs of C and Go (one of Python and Ruby).
# Rows of make bench's table (bench/lib.sh): each binding against the C
# API's ut_reader_next, medians of the runs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
records=${UTX_BENCH_RECORDS:-2796202}
data=${UTX_BENCH_DIR:-$root/build/bench}/wtmp-big-$records.bin
runs=${UTX_BENCH_RUNS:-5}
[ -f "$data" ] || { echo "bench/bindings.sh: $data missing; run bench/run.sh first" >&2; exit 1; }
make -s lib >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/utx-bench-bindings.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
lib=$root/build/libutx.so.1

# median_cpu N NAME CMD...: median CPU SECONDS (user+sys, as bash's time
# gives them) of CMD run N times, each run's seconds kept in $tmp/NAME.s;
# each run prints records=N, which is checked.  CPU time, not wall time:
# the machine may be shared.
median_cpu() {
    local n=$1 name=$2 i got TIMEFORMAT='%3U %3S'
    shift 2
    : >"$tmp/$name.s"
    for i in $(seq "$n"); do
        { time "$@" > "$tmp/out"; } 2> "$tmp/time"
        got=$(tr ' ' '\n' < "$tmp/out" | sed -n 's/^records=//p')
        [ "$got" = "$records" ] || { echo "bench: $1 read $got records, want $records" >&2; return 1; }
        tail -n1 "$tmp/time" | awk '{ print $1 + $2 }' >>"$tmp/$name.s"
    done
    sort -n "$tmp/$name.s" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
row() { # LABEL SECONDS NOTE
    printf '%-24s %8.3f s CPU %10.0f entries/s %7.2f us/entry  %s\n' "$1" "$2" \
        "$(awk "BEGIN { print $records / $2 }")" "$(awk "BEGIN { print $2 * 1e6 / $records }")" "$3"
}

cc -std=c99 -D_GNU_SOURCE -O2 -Iinclude -o "$tmp/bench" bench/bench.c build/libutx.a $(cat build/native-static-libs)
c_s=$(median_cpu "$runs" c "$tmp/bench" utx "$data")
cb_s=$(median_cpu "$runs" cb "$tmp/bench" batch "$data")
echo "bindings: $records entries of $data; median CPU time (user+sys) of $runs runs (C, Go) or 1 run (Python, Ruby)"
row "C API (ut_reader_next)" "$c_s" ""
row "C API (next_batch)" "$cb_s" "$(awk "BEGIN { printf \"%.2f\", $cb_s / $c_s }") x C"
bench_row bindings.batch "ut_reader_next_batch vs ut_reader_next" s "$tmp/cb.s" ut_reader_next "$tmp/c.s" utx/peer ""
if command -v go >/dev/null; then
    (cd bindings/go && go build -tags utx_static -o "$tmp/readall" ./cmd/readall)
    go_s=$(median_cpu "$runs" go "$tmp/readall" "$data")
    gob_s=$(median_cpu "$runs" gob "$tmp/readall" -batch "$data")
    for r in "Go (Next/Entry):$go_s" "Go (NextBatch):$gob_s"; do
        ratio=$(awk "BEGIN { printf \"%.2f\", ${r##*:} / $c_s }")
        row "${r%:*}" "${r##*:}" "$ratio x C, target <= 2x: $(awk "BEGIN { print ($ratio <= 2) ? \"PASS\" : \"MISS\" }")"
    done
    bench_row bindings.go "Go binding (Next/Entry) vs C API" s "$tmp/go.s" ut_reader_next "$tmp/c.s" utx/peer "<= 2"
    bench_row bindings.gobatch "Go binding (NextBatch) vs C API" s "$tmp/gob.s" ut_reader_next "$tmp/c.s" utx/peer "<= 2"
else
    echo "SKIP Go (go not installed)"
    bench_row bindings.go "Go binding (Next/Entry) vs C API" s "" ut_reader_next "$tmp/c.s" utx/peer "<= 2" "go not installed"
    bench_row bindings.gobatch "Go binding (NextBatch) vs C API" s "" ut_reader_next "$tmp/c.s" utx/peer "<= 2" "go not installed"
fi
if command -v python3 >/dev/null; then
    py_s=$(median_cpu 1 py env PYTHONPATH=bindings/python UTX_LIBRARY="$lib" python3 -c '
import sys, time, utx
t = time.perf_counter(); n = 0
for e in utx.open(sys.argv[1]): n += 1
print("records=%d seconds=%.6f" % (n, time.perf_counter() - t))' "$data")
    row "Python (utx.open)" "$py_s" "$(awk "BEGIN { printf \"%.1f\", $py_s / $c_s }") x C (pure-Python PyPI utmp: about 6 us/entry)"
    bench_row bindings.python "Python binding vs C API" s "$tmp/py.s" ut_reader_next "$tmp/c.s" utx/peer "" "1 run"
fi
if ruby -e 'require "ffi"' 2>/dev/null; then
    rb_s=$(median_cpu 1 rb env UTX_LIBRARY="$lib" ruby -Ibindings/ruby/lib -rutx -e '
t = Process.clock_gettime(Process::CLOCK_MONOTONIC); n = 0
Utx.open(ARGV[0]) { |r| r.each { n += 1 } }
puts "records=#{n} seconds=#{Process.clock_gettime(Process::CLOCK_MONOTONIC) - t}"' "$data")
    row "Ruby (Utx.open.each)" "$rb_s" "$(awk "BEGIN { printf \"%.1f\", $rb_s / $c_s }") x C"
    bench_row bindings.ruby "Ruby binding vs C API" s "$tmp/rb.s" ut_reader_next "$tmp/c.s" utx/peer "" "1 run"
else
    echo "SKIP Ruby (ruby or ffi not installed)"
fi
