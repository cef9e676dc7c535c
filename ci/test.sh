#!/usr/bin/env bash
# Every check of the project, one PASS/FAIL line per step; the exit status
# is non-zero when any step failed.  Run from the repository root after
# `make` (the Makefile's `test` target does both).
#
#   bash ci/test.sh                 all steps
#   bash ci/test.sh c-static c-asan only the named steps
#
# Each step's full output goes to build/test-logs/<step>.log; a failing
# step prints its log's tail.
set -u
cd "$(dirname "$0")/.."

B=build
LOGS=$B/test-logs
CT=$B/c-tests
mkdir -p "$LOGS" "$CT"
MAKE=${MAKE:-make}
CC=${CC:-cc}
C_STRICT="-std=c99 -Wall -Wextra -Wpedantic -Werror"
CFLAGS_T="-O1 -g -pthread -Iinclude"
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
# A test that runs longer than this has hung (a bad input must never hang).
CTEST_TIMEOUT=${CTEST_TIMEOUT:-300}
VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
LIBS_PRIVATE=$(cat $B/native-static-libs 2>/dev/null)
C_TESTS=$(ls c-tests/*.c 2>/dev/null | sort)

# The shared corpus sits beside the clone (../shared); from a worktree
# nested one level deeper it is ../../shared.  C tests read $UTX_CORPUS.
if [ -z "${UTX_CORPUS:-}" ]; then
    for d in ../shared/corpus ../../shared/corpus; do
        if [ -d "$d" ]; then export UTX_CORPUS=$d; break; fi
    done
fi

failed=()

# run_step NAME FUNCTION: run FUNCTION with output to the step's log.
run_step() {
    local name=$1 fn=$2 log=$LOGS/$1.log start end
    start=$(date +%s)
    if "$fn" > "$log" 2>&1; then
        end=$(date +%s)
        printf 'PASS  %-14s (%ss)\n' "$name" $((end - start))
    else
        end=$(date +%s)
        printf 'FAIL  %-14s (%ss)  log: %s\n' "$name" $((end - start)) "$log"
        tail -n 25 "$log" | sed 's/^/      | /'
        failed+=("$name")
    fi
}

# ---- Rust ----------------------------------------------------------------

step_cargo_test() { cargo test --all-targets && cargo test --doc; }
step_fmt() { cargo fmt --check; }
step_clippy() { cargo clippy --all-targets -- -D warnings; }
# Without the default `sqlite` feature (no bundled SQLite) the library and
# its tests still build and pass; wtmpdb/lastlog2 report "unsupported".
step_no_sqlite() {
    cargo clippy --all-targets --no-default-features -- -D warnings &&
        cargo test --no-default-features --all-targets
}

# ---- library artefacts ---------------------------------------------------

step_header() { $MAKE --no-print-directory check-header; }

# Functions declared in include/utx.h, one per line, sorted.
header_functions() {
    grep -oE '^[A-Za-z_][A-Za-z0-9_ *]*[ *]ut_[a-z0-9_]+\(' include/utx.h |
        grep -oE 'ut_[a-z0-9_]+\($' | tr -d '(' | sort -u
}

step_symbols() {
    local so=$B/libutx.so.1 bad exported declared
    nm -D --defined-only "$so"
    # Allowed: text (T) symbols named ut_*.  Anything else is a leak.
    bad=$(nm -D --defined-only "$so" | awk '!($2 == "T" && $3 ~ /^ut_/)')
    if [ -n "$bad" ]; then
        echo "error: $so exports symbols other than ut_* functions:"
        echo "$bad"
        return 1
    fi
    exported=$(nm -D --defined-only "$so" | awk '{print $3}' | sort -u)
    declared=$(header_functions)
    if [ -z "$declared" ]; then echo "error: no functions found in include/utx.h"; return 1; fi
    if [ "$exported" != "$declared" ]; then
        echo "error: exported symbols and include/utx.h functions differ (< exported, > header):"
        diff <(echo "$exported") <(echo "$declared")
        return 1
    fi
    echo "OK: $(echo "$exported" | wc -l) ut_* functions, all declared in include/utx.h"
    # The static library must define the same public functions.
    local in_a
    # readelf, not nm: the archive also holds LLVM bitcode sections that
    # binutils' LTO plugin cannot read.
    in_a=$(readelf -sW $B/libutx.a 2>/dev/null |
        awk '$4 == "FUNC" && $5 == "GLOBAL" && $7 != "UND" && $8 ~ /^ut_/ {print $8}' | sort -u)
    if [ "$in_a" != "$declared" ]; then
        echo "error: libutx.a's ut_* functions differ from the header:"
        diff <(echo "$in_a") <(echo "$declared")
        return 1
    fi
}

step_soname() {
    local soname
    soname=$(objdump -p $B/libutx.so.1 | awk '$1 == "SONAME" {print $2}')
    echo "SONAME: '$soname'"
    [ "$soname" = libutx.so.1 ] || { echo "error: SONAME is '$soname', want libutx.so.1"; return 1; }
    [ "$(readlink $B/libutx.so)" = libutx.so.1 ] || { echo "error: $B/libutx.so is not a symlink to libutx.so.1"; return 1; }
}

# ---- C tests -------------------------------------------------------------

# build_and_run MODE: compile every c-tests/*.c in MODE and run it.
#   static   libutx.a + Libs.private
#   dynamic  -Lbuild -lutx, run with LD_LIBRARY_PATH
#   asan     dynamic, with ASan + UBSan
#   valgrind the dynamic binaries under valgrind
c_tests() {
    local mode=$1 src name bin rc bad=0
    if [ -z "$C_TESTS" ]; then echo "error: no c-tests/*.c"; return 1; fi
    for src in $C_TESTS; do
        name=$(basename "$src" .c)
        bin=$CT/$name-$mode
        case $mode in
            static)
                $CC $C_STRICT $CFLAGS_T -o "$bin" "$src" $B/libutx.a $LIBS_PRIVATE ;;
            dynamic)
                $CC $C_STRICT $CFLAGS_T -o "$bin" "$src" -L$B -lutx ;;
            asan)
                $CC $C_STRICT $CFLAGS_T $SAN -o "$bin" "$src" -L$B -lutx ;;
            valgrind)
                bin=$CT/$name-dynamic
                [ -x "$bin" ] || $CC $C_STRICT $CFLAGS_T -o "$bin" "$src" -L$B -lutx ;;
        esac || { echo "FAIL(compile) $name [$mode]"; bad=1; continue; }
        echo "--- $name [$mode]"
        case $mode in
            static) timeout -k 5 "$CTEST_TIMEOUT" "$bin" ;;
            dynamic) LD_LIBRARY_PATH=$B timeout -k 5 "$CTEST_TIMEOUT" "$bin" ;;
            asan) LD_LIBRARY_PATH=$B ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
                  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 timeout -k 5 "$CTEST_TIMEOUT" "$bin" ;;
            valgrind) LD_LIBRARY_PATH=$B timeout -k 5 "$CTEST_TIMEOUT" $VALGRIND "$bin" ;;
        esac
        rc=$?
        if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
            echo "FAIL $name [$mode]: still running after ${CTEST_TIMEOUT}s: hung (CTEST_TIMEOUT)"; bad=1
        elif [ $rc -ne 0 ]; then echo "FAIL $name [$mode]: exit $rc"; bad=1
        else echo "ok $name [$mode]"; fi
    done
    return $bad
}
step_c_static() { c_tests static; }
step_c_dynamic() { c_tests dynamic; }
step_c_asan() { c_tests asan; }
step_c_valgrind() {
    command -v valgrind >/dev/null || { echo "error: valgrind not installed"; return 1; }
    c_tests valgrind
}

# Root reads any file, so bad_input skips its mode-000 check as root; run
# it once more as nobody to cover that check too.
step_c_nonroot() {
    local tmp rc
    if [ "$(id -u)" != 0 ]; then echo "not root: bad_input already ran its permission check"; return 0; fi
    command -v setpriv >/dev/null || { echo "error: setpriv (util-linux) not installed"; return 1; }
    [ -x $CT/bad_input-static ] || $CC $C_STRICT $CFLAGS_T -o $CT/bad_input-static c-tests/bad_input.c \
        $B/libutx.a $LIBS_PRIVATE || return 1
    tmp=$(mktemp -d /tmp/utx-nonroot.XXXXXX)
    cp $CT/bad_input-static "$tmp/bad_input"
    chmod 755 "$tmp" "$tmp/bad_input"
    (cd "$tmp" && timeout -k 5 "$CTEST_TIMEOUT" setpriv --reuid=65534 --regid=65534 --clear-groups ./bad_input)
    rc=$?
    rm -rf "$tmp"
    return $rc
}

# The `utx` command itself (C, examples/) built with ASan + UBSan and run
# over the samples and the corpus's files with every subcommand.  utx may
# legitimately exit 1 on a file it cannot read; only a sanitizer report
# (written under $logs) fails the step.
step_utx_asan() {
    local src bin logs f n=0 sub
    src=$(ls examples/utx*.c 2>/dev/null)
    [ -n "$src" ] || { echo "no examples/utx*.c"; return 0; }
    bin=$CT/utx-asan
    logs=$(mktemp -d /tmp/utx-asan.XXXXXX)
    # shellcheck disable=SC2086
    $CC $C_STRICT $CFLAGS_T $SAN -Iexamples -o "$bin" $src -L$B -lutx || return 1
    for f in samples/* ${UTX_CORPUS:+$(find "$UTX_CORPUS/util-linux/ts/utmp" "$UTX_CORPUS/utmp-rs" \
            "$UTX_CORPUS/plaso" "$UTX_CORPUS/s4/logs" -type f -size -2M 2>/dev/null | grep -v '\.txt$' | sort)}; do
        [ -f "$f" ] || continue
        case $f in *.md | */LICENSES/*) continue ;; esac
        n=$((n + 1))
        for sub in "dump" "dump --json" "dump --reverse" "who" "last -f" "last -x -f" "lastb -f" "lastlog -f"; do
            # shellcheck disable=SC2086
            LD_LIBRARY_PATH=$B ASAN_OPTIONS=detect_leaks=1:log_path=$logs/asan \
                UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan \
                LANG=C TZ=UTC timeout -k 5 60 "$bin" $sub "$f" >/dev/null 2>&1
            if [ $? -eq 124 ]; then echo "FAIL: utx $sub $f: hung (60s)"; echo hung > "$logs/hung.$n"; fi
        done
    done
    echo "ran utx with 8 subcommands over $n files"
    if [ -n "$(ls -A "$logs")" ]; then
        for f in "$logs"/*; do echo "== $f"; head -n 40 "$f"; done
        rm -rf "$logs"
        return 1
    fi
    rm -rf "$logs"
}

# ---- install + pkg-config --------------------------------------------------

step_install() {
    local tmp rc
    tmp=$(mktemp -d /tmp/utx-install.XXXXXX)
    install_checks "$tmp"
    rc=$?
    rm -rf "$tmp"
    # Put build/utx.pc back to the default prefix.
    $MAKE --no-print-directory -s $B/utx.pc >/dev/null
    return $rc
}

install_checks() {
    local tmp=$1 prog out
    prog=tests/c/install_smoke.c
    $MAKE --no-print-directory install PREFIX="$tmp/usr" || return 1
    for f in lib/libutx.so.1 lib/libutx.so lib/libutx.a include/utx.h lib/pkgconfig/utx.pc; do
        [ -e "$tmp/usr/$f" ] || { echo "error: $f not installed"; return 1; }
    done
    if [ -f $B/utx ]; then [ -x "$tmp/usr/bin/utx" ] || { echo "error: bin/utx not installed"; return 1; }; fi
    cat "$tmp/usr/lib/pkgconfig/utx.pc"
    export PKG_CONFIG_PATH=$tmp/usr/lib/pkgconfig
    pkg-config --exists --print-errors utx || return 1
    [ "$(pkg-config --modversion utx)" = "$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n1)" ] ||
        { echo "error: pkg-config version differs from Cargo.toml"; return 1; }
    out=$(pkg-config --libs utx | sed 's/ *$//')
    [ "$out" = "-L$tmp/usr/lib -lutx" ] || { echo "error: pkg-config --libs gave '$out'"; return 1; }

    # Dynamic: the plain pkg-config line; the binary must need libutx.so.1.
    # shellcheck disable=SC2046
    $CC $C_STRICT -o "$tmp/smoke-dyn" $prog $(pkg-config --cflags --libs utx) || return 1
    readelf -d "$tmp/smoke-dyn" | grep -q 'NEEDED.*\[libutx.so.1\]' ||
        { echo "error: dynamic smoke test does not need libutx.so.1"; return 1; }
    LD_LIBRARY_PATH=$tmp/usr/lib "$tmp/smoke-dyn" || return 1

    # The README's C example builds the way the README says and runs.
    sed -n '/^```c$/,/^```$/p' README.md | sed '1d;$d' > "$tmp/readme-example.c"
    [ -s "$tmp/readme-example.c" ] || { echo "error: no C example in README.md"; return 1; }
    # shellcheck disable=SC2046
    $CC $C_STRICT -o "$tmp/readme-example" "$tmp/readme-example.c" $(pkg-config --cflags --libs utx) || return 1
    LD_LIBRARY_PATH=$tmp/usr/lib "$tmp/readme-example" samples/wtmp > "$tmp/readme-example.out" || return 1
    grep -q 'root' "$tmp/readme-example.out" || { echo "error: README example printed no login"; return 1; }

    # Static: --static adds Libs.private; -l:libutx.a picks the archive
    # over the .so that sits beside it.
    # shellcheck disable=SC2046
    $CC $C_STRICT -o "$tmp/smoke-static" $prog \
        $(pkg-config --static --cflags --libs utx | sed 's/-lutx\b/-l:libutx.a/') || return 1
    if readelf -d "$tmp/smoke-static" | grep -q 'libutx'; then
        echo "error: static smoke test still needs libutx.so"; return 1
    fi
    "$tmp/smoke-static" || return 1

    # DESTDIR stages under DESTDIR while the .pc keeps the real prefix.
    $MAKE --no-print-directory install PREFIX=/opt/utx DESTDIR="$tmp/stage" || return 1
    [ -f "$tmp/stage/opt/utx/lib/libutx.a" ] || { echo "error: DESTDIR install missing files"; return 1; }
    grep -qx 'prefix=/opt/utx' "$tmp/stage/opt/utx/lib/pkgconfig/utx.pc" ||
        { echo "error: DESTDIR leaked into utx.pc"; return 1; }
}

step_parity() { bash tests/parity/run.sh $B/utx; }

# ---- ABI stability ---------------------------------------------------------

# The C ABI against abi/libutx.so.1.abi and abi/constants.txt (see
# abi/check.sh for what counts as incompatible), then proof that the check
# fails on incompatible edits of a copy of the header.
step_abi() { bash abi/check.sh && bash abi/check.sh --selftest; }

# ---- fuzzing ---------------------------------------------------------------

# Every input under fuzz/regressions/<target>/ through the fuzz target's
# code, built by the stable toolchain (no cargo-fuzz needed); the fuzz
# crate is its own workspace, so fmt and clippy are run on it here.
step_fuzz_replay() {
    cargo fmt --manifest-path fuzz/Cargo.toml --check &&
        cargo clippy --manifest-path fuzz/Cargo.toml --no-default-features --all-targets -- -D warnings &&
        cargo run --quiet --manifest-path fuzz/Cargo.toml --no-default-features --bin replay
}

# Each cargo-fuzz target for FUZZ_SMOKE_SECONDS (about a minute in all),
# seeded from samples/ and the shared corpus. Needs nightly + cargo-fuzz.
FUZZ_SMOKE_SECONDS=${FUZZ_SMOKE_SECONDS:-7}
fuzz_tools() { cargo +nightly --version >/dev/null 2>&1 && cargo fuzz --version >/dev/null 2>&1; }
step_fuzz_smoke() { bash fuzz/run.sh "$FUZZ_SMOKE_SECONDS"; }

# ---- driver ----------------------------------------------------------------

ALL_STEPS="cargo-test fmt clippy no-sqlite header symbols soname abi c-static c-dynamic c-asan c-valgrind c-nonroot utx-asan install parity fuzz-replay fuzz-smoke"
steps=${*:-$ALL_STEPS}
for s in $steps; do
    case $s in
        parity)
            if [ ! -f tests/parity/run.sh ]; then echo "SKIP  parity         (tests/parity/run.sh absent)"; continue; fi
            if [ ! -x $B/utx ]; then echo "FAIL  parity         ($B/utx not built)"; failed+=(parity); continue; fi ;;
        fuzz-smoke)
            if ! fuzz_tools; then
                echo "SKIP  fuzz-smoke     (needs a nightly toolchain and cargo-fuzz: rustup toolchain install nightly; cargo install --locked cargo-fuzz)"
                continue
            fi ;;
    esac
    fn=step_${s//-/_}
    declare -F "$fn" >/dev/null || { echo "unknown step: $s" >&2; exit 2; }
    run_step "$s" "$fn"
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "make test: FAILED: ${failed[*]}"
    exit 1
fi
echo "make test: all steps passed"
