#!/usr/bin/env bash
# Run fuzz targets one after another, each for SECONDS, on one core.
#
#   bash fuzz/run.sh SECONDS [TARGET...]      (default: every target)
#
# Needs a nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install --locked cargo-fuzz
# Without them it prints "SKIP" and exits 0 (1 with FUZZ_REQUIRE=1, as
# `make fuzz` sets).  Seeds come from fuzz/seed.sh; a crash or timeout leaves the input
# in fuzz/artifacts/<target>/ (copy it to fuzz/regressions/<target>/ with
# the fix) and fails the run.  Prints one line per target: executions,
# execs/s, coverage.  Logs: fuzz/logs/<target>.log.
set -u
cd "$(dirname "$0")"
secs=${1:?usage: bash fuzz/run.sh SECONDS [TARGET...]}
shift
TOOLCHAIN=${FUZZ_TOOLCHAIN:-nightly}
# FUZZ_REQUIRE=1 (make fuzz): a missing tool is an error, not a skip.
missing=1
[ "${FUZZ_REQUIRE:-0}" = 1 ] && missing=2
if ! cargo "+$TOOLCHAIN" --version >/dev/null 2>&1; then
    echo "SKIP: no $TOOLCHAIN toolchain (rustup toolchain install $TOOLCHAIN)"; exit $((missing - 1))
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "SKIP: cargo-fuzz not installed (cargo install --locked cargo-fuzz)"; exit $((missing - 1))
fi
targets=${*:-$(basename -s .rs fuzz_targets/*.rs)}
mkdir -p logs
[ -d corpus ] || bash seed.sh >/dev/null
# -a: debug assertions (integer overflow is a finding); -O: optimised.
cargo "+$TOOLCHAIN" fuzz build -a -O >logs/build.log 2>&1 || { tail -n 30 logs/build.log; exit 1; }
bad=0 total=0
# The sqlite and logind targets write a file or a tree per input: on tmpfs
# when there is one (unlinking on a disk file system made logind 15 times
# slower).
fuzz_tmp=${TMPDIR:-/tmp}
[ -d /dev/shm ] && [ -w /dev/shm ] && fuzz_tmp=/dev/shm
for t in $targets; do
    mkdir -p "corpus/$t"
    # -timeout: an input taking 10 s has hung (the slowest seed takes ms);
    # -rss_limit_mb: an input may not need 2 GB; -max_len: the seeds'
    # size (a lastlogx page set, a few thousand records).
    TMPDIR=$fuzz_tmp cargo "+$TOOLCHAIN" fuzz run -a -O "$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 >"logs/$t.log" 2>&1
    rc=$?
    # The sqlite and logind targets' files (one directory per process).
    rm -rf "$fuzz_tmp"/utx-fuzz-sqlite-* "$fuzz_tmp"/utx-fuzz-logind-*
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log" | tail -n1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "logs/$t.log" | tail -n1)
    cov=$(grep -o 'cov: [0-9]*' "logs/$t.log" | tail -n1)
    total=$((total + ${runs:-0}))
    if [ $rc -ne 0 ]; then
        printf 'FAIL  %-14s %10s runs %7s/s  %s  (see fuzz/logs/%s.log, fuzz/artifacts/%s/)\n' "$t" "${runs:-?}" "${speed:-?}" "$cov" "$t" "$t"
        grep -m1 -E 'panicked|ERROR: libFuzzer|SUMMARY' "logs/$t.log" | sed 's/^/      | /'
        bad=1
    else
        printf 'ok    %-14s %10s runs %7s/s  %s\n' "$t" "$runs" "$speed" "$cov"
    fi
done
echo "fuzz: $total executions in total"
exit $bad
