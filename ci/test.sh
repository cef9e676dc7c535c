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

step_cargo_test() { cargo test --workspace --all-targets && cargo test --workspace --doc; }
step_fmt() { cargo fmt --all --check; }
step_clippy() { cargo clippy --workspace --all-targets -- -D warnings; }
# Without the default `sqlite` feature (no bundled SQLite) the library and
# its tests still build and pass; wtmpdb/lastlog2 report "unsupported".
step_no_sqlite() {
    cargo clippy --workspace --all-targets --no-default-features -- -D warnings &&
        cargo test --workspace --no-default-features --all-targets
}

# ---- library artefacts ---------------------------------------------------

# include/utx.h is what the pinned cbindgen (a dev-dependency of utx-c)
# generates, and declares only ut_/UT_/UTX_ names.
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
    static_hides_internals
}

# libutx.a defines no global or weak symbol but ut_* (its SQLite, Rust's
# std and the compiler builtins are local), so a static consumer with its
# own SQLite links without a duplicate symbol, calls its own, and the
# library still reads a wtmpdb database through its hidden copy.
static_hides_internals() {
    local bad tmp rc
    bad=$(readelf -sW $B/libutx.a | awk 'NF >= 8 && $7 != "UND" && $7 != "Ndx" &&
        ($5 == "GLOBAL" || $5 == "WEAK" || $5 == "UNIQUE") && $8 !~ /^ut_/ {print $5, $8}')
    if [ -n "$bad" ]; then
        echo "error: $B/libutx.a defines $(echo "$bad" | wc -l) non-ut_* global symbols, e.g.:"
        echo "$bad" | head -n 20
        return 1
    fi
    echo "OK: $B/libutx.a defines no global symbol but ut_* ($(wc -c < $B/libutx.a) bytes)"
    command -v sqlite3 >/dev/null || { echo "error: sqlite3 (Debian package sqlite3) not installed"; return 1; }
    tmp=$(mktemp -d /tmp/utx-own-sqlite.XXXXXX)
    sqlite3 "$tmp/wtmp.db" "CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL,
        Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;
        INSERT INTO wtmp (Type, User, Login, TTY) VALUES (3, 'alice', 1700000010500000, 'pts/0');" &&
    $CC $C_STRICT -Iinclude -static -o "$tmp/own_sqlite" tests/c/own_sqlite.c $B/libutx.a $LIBS_PRIVATE &&
    "$tmp/own_sqlite" "$tmp/wtmp.db"
    rc=$?
    rm -rf "$tmp"
    return $rc
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

# The `utx` command itself (C, cmd/utx/) built with ASan + UBSan and run
# over the samples and the corpus's files with every subcommand.  utx may
# legitimately exit 1 on a file it cannot read; only a sanitizer report
# (written under $logs) fails the step.
step_utx_asan() {
    local src bin logs f n=0 sub
    src=$(ls cmd/utx/*.c 2>/dev/null)
    [ -n "$src" ] || { echo "error: no cmd/utx/*.c"; return 1; }
    bin=$CT/utx-asan
    logs=$(mktemp -d /tmp/utx-asan.XXXXXX)
    # shellcheck disable=SC2086
    $CC $C_STRICT $CFLAGS_T $SAN -Icmd/utx -o "$bin" $src -L$B -lutx || return 1
    for f in samples/* ${UTX_CORPUS:+$(find "$UTX_CORPUS/util-linux/ts/utmp" "$UTX_CORPUS/utmp-rs" \
            "$UTX_CORPUS/plaso" "$UTX_CORPUS/s4/logs" -type f -size -2M 2>/dev/null | grep -v '\.txt$' | sort)}; do
        [ -f "$f" ] || continue
        case $f in *.md | */LICENSES/*) continue ;; esac
        n=$((n + 1))
        for sub in "dump" "dump --json" "dump --newest-first" "dump -r -o /dev/null" "who" "who -a" "who -Hqm" "who -uT --lookup" \
            "last -f" "last -x -f" "lastb -f" "lastlog -f" "lastlog -u 0-1000 -t 99999 -f"; do
            # shellcheck disable=SC2086
            LD_LIBRARY_PATH=$B ASAN_OPTIONS=detect_leaks=1:log_path=$logs/asan \
                UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan \
                LANG=C TZ=UTC timeout -k 5 60 "$bin" $sub "$f" >/dev/null 2>&1
            if [ $? -eq 124 ]; then echo "FAIL: utx $sub $f: hung (60s)"; echo hung > "$logs/hung.$n"; fi
        done
    done
    # lastlog's passwd listing: a tree with its own etc/passwd
    mkdir -p "$logs.root/etc" "$logs.root/var/log"
    cp /etc/passwd "$logs.root/etc/" && cp samples/lastlog "$logs.root/var/log/lastlog"
    for args in "" "-u root" "-u 1-" "-u -5" "-b 1" "-t 99999" "-C -u root" "--json"; do
        # shellcheck disable=SC2086
        LD_LIBRARY_PATH=$B ASAN_OPTIONS=detect_leaks=1:log_path=$logs/asan \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan \
            LANG=C TZ=UTC timeout -k 5 60 "$bin" lastlog --root "$logs.root" $args >/dev/null 2>&1
    done
    rm -rf "$logs.root"
    echo "ran utx with 12 subcommand forms over $n files, lastlog --root with 8 option sets"
    if [ -n "$(ls -A "$logs")" ]; then
        for f in "$logs"/*; do echo "== $f"; head -n 40 "$f"; done
        rm -rf "$logs"
        return 1
    fi
    rm -rf "$logs"
}

# ---- POSIX drop-in -------------------------------------------------------

# libutx-compat against glibc: the same program linked against each on
# glibc-written files, unmodified coreutils who/users over LD_PRELOAD, a
# logind tree without utmp, threads, valgrind (tests/compat/run.sh).
step_compat() { bash tests/compat/run.sh; }

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
    local tmp=$1 prog out left
    prog=tests/c/install_smoke.c
    $MAKE --no-print-directory install PREFIX="$tmp/usr" || return 1
    for f in lib/libutx.so.1 lib/libutx.so lib/libutx.a include/utx.h lib/pkgconfig/utx.pc \
        lib/libutx-compat.so.1 lib/libutx-compat.so lib/libutx-compat.a include/utx/utmpx.h \
        lib/pkgconfig/utx-compat.pc; do
        [ -e "$tmp/usr/$f" ] || { echo "error: $f not installed"; return 1; }
    done
    if [ -f $B/utx ]; then
        [ -x "$tmp/usr/bin/utx" ] || { echo "error: bin/utx not installed"; return 1; }
        # The command links libutx.a: it runs without libutx.so.1.
        if readelf -d "$tmp/usr/bin/utx" | grep -q 'NEEDED.*libutx'; then
            echo "error: bin/utx needs libutx.so"; return 1
        fi
        for f in share/man/man1/utx.1 share/bash-completion/completions/utx; do
            [ -f "$tmp/usr/$f" ] || { echo "error: $f not installed"; return 1; }
        done
        MANPATH=$tmp/usr/share/man man -w utx | grep -qx "$tmp/usr/share/man/man1/utx.1" ||
            { echo "error: man does not find the installed utx(1)"; return 1; }
    fi
    [ -f "$tmp/usr/share/man/man3/libutx.3" ] || { echo "error: share/man/man3/libutx.3 not installed"; return 1; }
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

    # The README's C example (examples/read_wtmp.c; the examples step checks
    # they are the same) builds dynamically and statically and runs.
    cp examples/read_wtmp.c "$tmp/readme-example.c"
    # shellcheck disable=SC2046
    $CC $C_STRICT -o "$tmp/readme-example" "$tmp/readme-example.c" $(pkg-config --cflags --libs utx) || return 1
    LD_LIBRARY_PATH=$tmp/usr/lib "$tmp/readme-example" samples/wtmp > "$tmp/readme-example.out" || return 1
    grep -q 'root' "$tmp/readme-example.out" || { echo "error: README example printed no login"; return 1; }

    # Static, the README's way: `cc -static` with `pkg-config --static`
    # (Libs.private) gives a binary that needs no libutx.so.1, nor anything.
    # shellcheck disable=SC2046
    $CC $C_STRICT -static -o "$tmp/smoke-static" $prog $(pkg-config --static --cflags --libs utx) || return 1
    if readelf -d "$tmp/smoke-static" | grep -q 'NEEDED'; then
        echo "error: the -static smoke test needs shared libraries:"; readelf -d "$tmp/smoke-static"; return 1
    fi
    "$tmp/smoke-static" || return 1
    # shellcheck disable=SC2046
    $CC $C_STRICT -static -o "$tmp/readme-example-static" "$tmp/readme-example.c" \
        $(pkg-config --static --cflags --libs utx) || return 1
    "$tmp/readme-example-static" samples/wtmp | cmp - "$tmp/readme-example.out" ||
        { echo "error: the static README example prints something else"; return 1; }

    # libutx.a alone static, the C library shared: -l:libutx.a picks the
    # archive over the .so that sits beside it.
    # shellcheck disable=SC2046
    $CC $C_STRICT -o "$tmp/smoke-static-utx" $prog \
        $(pkg-config --static --cflags --libs utx | sed 's/-lutx\b/-l:libutx.a/') || return 1
    if readelf -d "$tmp/smoke-static-utx" | grep -q 'libutx'; then
        echo "error: the -l:libutx.a smoke test still needs libutx.so"; return 1
    fi
    "$tmp/smoke-static-utx" || return 1

    # The POSIX drop-in through its pkg-config file, shared and static.
    out=$(pkg-config --libs utx-compat | sed 's/ *$//')
    [ "$out" = "-L$tmp/usr/lib -lutx-compat" ] || { echo "error: pkg-config --libs utx-compat gave '$out'"; return 1; }
    # shellcheck disable=SC2046
    $CC $C_STRICT -D_GNU_SOURCE -pthread -o "$tmp/compat-dyn" tests/compat/posix.c \
        $(pkg-config --cflags --libs utx-compat) || return 1
    # shellcheck disable=SC2046
    $CC $C_STRICT -D_GNU_SOURCE -pthread -o "$tmp/compat-static" tests/compat/posix.c \
        $(pkg-config --static --cflags --libs utx-compat | sed 's/-lutx-compat\b/-l:libutx-compat.a/') || return 1
    if readelf -d "$tmp/compat-static" | grep -q 'libutx'; then
        echo "error: -l:libutx-compat.a still needs libutx-compat.so"; return 1
    fi
    LD_LIBRARY_PATH=$tmp/usr/lib "$tmp/compat-dyn" read samples/wtmp > "$tmp/compat-dyn.out" || return 1
    "$tmp/compat-static" read samples/wtmp | cmp - "$tmp/compat-dyn.out" || return 1
    grep -q '^ent: type=7' "$tmp/compat-dyn.out" || { echo "error: the installed libutx-compat read no login"; return 1; }

    # uninstall removes every file install put there.
    $MAKE --no-print-directory uninstall PREFIX="$tmp/usr" || return 1
    left=$(find "$tmp/usr" ! -type d)
    [ -z "$left" ] || { echo "error: files left after make uninstall:"; echo "$left"; return 1; }

    # DESTDIR stages under DESTDIR while the .pc keeps the real prefix.
    $MAKE --no-print-directory install PREFIX=/opt/utx DESTDIR="$tmp/stage" || return 1
    [ -f "$tmp/stage/opt/utx/lib/libutx.a" ] || { echo "error: DESTDIR install missing files"; return 1; }
    grep -qx 'prefix=/opt/utx' "$tmp/stage/opt/utx/lib/pkgconfig/utx.pc" ||
        { echo "error: DESTDIR leaked into utx.pc"; return 1; }
    $MAKE --no-print-directory uninstall PREFIX=/opt/utx DESTDIR="$tmp/stage" || return 1
    left=$(find "$tmp/stage" ! -type d)
    [ -z "$left" ] || { echo "error: files left after make uninstall DESTDIR=...:"; echo "$left"; return 1; }

    # make clean removes build/ and cargo's target directory (both pointed
    # at scratch directories here).
    mkdir -p "$tmp/clean/target/release" "$tmp/clean/build"
    touch "$tmp/clean/target/release/libutx.a" "$tmp/clean/build/libutx.a"
    CARGO_TARGET_DIR=$tmp/clean/target $MAKE --no-print-directory clean B="$tmp/clean/build" || return 1
    left=$(find "$tmp/clean" -mindepth 1)
    [ -z "$left" ] || { echo "error: make clean left:"; echo "$left"; return 1; }
}

# make run on a host without utmp, wtmp and lastlog: this host's are hidden
# under empty tmpfs mounts in a private mount namespace (a user namespace
# too when not root).  Each view falls back to its bundled sample, says so
# and prints the sample's records; then, with a wtmp in place, that view
# reads the host's file.
step_run() {
    local ns=(unshare -m) out
    [ "$(id -u)" = 0 ] || ns=(unshare -rm)
    "${ns[@]}" true || { echo "error: '${ns[*]}' (util-linux) cannot make a mount namespace here"; return 1; }
    out=$("${ns[@]}" bash -c 'mount -t tmpfs none /var/log && mount -t tmpfs none /run &&
        { [ -L /var/run ] || mount -t tmpfs none /var/run; } && bash ci/run-main.sh "$1" &&
        echo "--- with /var/log/wtmp" && cp samples/wtmp /var/log/wtmp && bash ci/run-main.sh "$1"' run $B/utx) ||
        { echo "$out"; echo "error: make run failed"; return 1; }
    echo "$out"
    [ "$(echo "$out" | sed '/^--- with/q' | grep -c '^=== .*; using bundled sample samples/')" = 3 ] ||
        { echo "error: make run did not fall back to the three samples"; return 1; }
    echo "$out" | grep -q '^root ' || { echo "error: make run printed no record of the samples"; return 1; }
    echo "$out" | sed '1,/^--- with/d' | grep -qx '=== login history (wtmp, utmpdump format): host database /var/log/wtmp' ||
        { echo "error: make run did not read the host's /var/log/wtmp"; return 1; }
}

# The C examples (examples/*.c, the README's among them) built through
# pkg-config with the strict flags and run against samples/.
step_examples() {
    local rc
    bash tests/examples/run.sh
    rc=$?
    $MAKE --no-print-directory -s $B/utx.pc >/dev/null # back to the default prefix
    return $rc
}

# man/utx.1 and man/libutx.3 render without warnings and document every
# option the usages print and every function of the header.
step_man() { bash tests/man/run.sh $B/utx; }

# completions/utx.bash offers the subcommands, options and format names.
step_completion() { bash tests/completion/run.sh $B/utx; }

step_parity() { bash tests/parity/run.sh $B/utx; }

# ---- hostile input and concurrent writers ---------------------------------

# tests/hostile: every input that once hung, exhausted memory, aborted or
# leaked (issue 10), and the odd files that never did, each in a child
# with a time bound and an address-space bound, each ending in a status
# and a message.
step_hostile() { bash tests/hostile/run.sh; }

# tests/soak: a glibc updwtmpx writer and a writer that splits each record
# into two write(2) calls, 8 readers forward and newest first over the
# growing files: no torn record, no gap, every partial tail flagged.
step_soak() {
    local tmp rc
    $CC $C_STRICT $CFLAGS_T -o $B/soak tests/soak/soak.c $B/libutx.a $LIBS_PRIVATE || return 1
    tmp=$(mktemp -d)
    timeout -k 5 "$CTEST_TIMEOUT" $B/soak "$tmp"
    rc=$?
    rm -rf "$tmp"
    return $rc
}

# The writer against glibc, byte for byte: >= 1,000 random sequences of
# pututxline, updwtmpx, login, logout and logwtmp through both, and glibc
# and utx alternating on one file; then glibc and utx writers on one wtmp
# and one utmp under concurrent readers (tests/write/run.sh).
step_write() { bash tests/write/run.sh; }

# make bench at tiny sizes, one run (bench/all.sh, UTX_BENCH_QUICK=1, into
# build/bench-smoke.json): every script runs its correctness checks (the
# peers print the same output, the readers see the same records), the
# table prints, and the JSON parses with every row present and a verdict
# on each.  No timing is checked.
BENCH_ROWS="read.decode read.plain read.glibc read.utmprs read.newest10 read.rss dump last lastb who
    sessions.pair detect.auto detect.zeros detect.sparse scale.read scale.read.rss scale.last
    scale.last.rss scale.newest10 scale.seek"
step_bench_smoke() {
    UTX=$PWD/$B/utx UTX_LIB=$PWD/$B/libutx.a UTX_BENCH_QUICK=1 UTX_BENCH_JSON=$PWD/$B/bench-smoke.json \
        timeout -k 5 300 bash bench/all.sh >$B/bench-smoke.txt
    local rc=$?
    cat $B/bench-smoke.txt
    [ $rc = 0 ] || return 1
    grep -q '^goals: [0-9]* PASS, [0-9]* MISS' $B/bench-smoke.txt || { echo "no table printed"; return 1; }
    # shellcheck disable=SC2086 # a list of row ids
    python3 bench/table.py check $B/bench-smoke.json $BENCH_ROWS
}

# ---- bindings (bindings/go, bindings/ruby, bindings/python) ------------------

# readme_block LANG FILE: the README's ```LANG example, written to FILE.
readme_block() {
    sed -n "/^\`\`\`$1\$/,/^\`\`\`\$/p" README.md | sed '1d;$d' > "$2"
    [ -s "$2" ] || { echo "error: no $1 example in README.md"; return 1; }
}

# readme_check OUT: the README examples print logins of samples/wtmp.
readme_check() {
    grep -q '^root ' "$1" || { echo "error: README example printed no login of root:"; head "$1"; return 1; }
}

step_python() {
    local tmp rc
    python3 bindings/gen-constants.py --check python || return 1
    PYTHONPATH=bindings/python UTX_LIBRARY=$PWD/$B/libutx.so.1 \
        python3 -m unittest discover -v -s bindings/python/tests || return 1
    PYTHONPATH=bindings/python UTX_LIBRARY=$PWD/$B/libutx.so.1 \
        python3 bindings/compare-dump.py $B/utx python3 bindings/python/tests/dump_json.py || return 1
    tmp=$(mktemp -d /tmp/utx-python.XXXXXX)
    python_install_checks "$tmp"
    rc=$?
    rm -rf "$tmp"
    return $rc
}

python_install_checks() {
    local tmp=$1
    readme_block python "$tmp/example.py" || return 1
    # pip install ./bindings/python, offline, against an installed libutx.so.1.
    $MAKE --no-print-directory -s install PREFIX="$tmp/usr" >/dev/null || return 1
    python3 -m venv "$tmp/venv" || return 1
    "$tmp/venv/bin/pip" install -q --no-index ./bindings/python || return 1
    (cd "$tmp" && env -u UTX_LIBRARY -u PYTHONPATH LD_LIBRARY_PATH="$tmp/usr/lib" \
        "$tmp/venv/bin/python" example.py "$OLDPWD/samples/wtmp") > "$tmp/out-pip" || return 1
    readme_check "$tmp/out-pip" || return 1
    echo "ok: pip install ./bindings/python runs the README example"
    # make wheel: the wheel alone, in a fresh venv, with no libutx anywhere.
    $MAKE --no-print-directory -s wheel || return 1
    python3 -m venv "$tmp/venv2" || return 1
    "$tmp/venv2/bin/pip" install -q --no-index $B/wheel/utx-*.whl || return 1
    (cd "$tmp" && env -u UTX_LIBRARY -u PYTHONPATH -u LD_LIBRARY_PATH \
        "$tmp/venv2/bin/python" example.py "$OLDPWD/samples/wtmp") > "$tmp/out-wheel" || return 1
    readme_check "$tmp/out-wheel" || return 1
    echo "ok: $(basename $B/wheel/utx-*.whl) runs the README example in a fresh venv"
    $MAKE --no-print-directory -s $B/utx.pc >/dev/null
}

step_go() {
    local tmp rc
    python3 bindings/gen-constants.py --check go || return 1
    [ -z "$(cd bindings/go && gofmt -l .)" ] || { echo "error: gofmt -l:"; (cd bindings/go && gofmt -l .); return 1; }
    tmp=$(mktemp -d /tmp/utx-go.XXXXXX)
    (go_checks "$tmp")  # a subshell: its exports stay in this step
    rc=$?
    rm -rf "$tmp"
    $MAKE --no-print-directory -s $B/utx.pc >/dev/null
    return $rc
}

go_checks() {
    local tmp=$1 top=$PWD usr=$PWD/$B/go-usr
    # Dynamic linking goes through pkg-config, as for an installed library.
    # The prefix stays put: go's build cache keeps the -L path it found.
    $MAKE --no-print-directory -s install PREFIX="$usr" >/dev/null || return 1
    export PKG_CONFIG_PATH=$usr/lib/pkgconfig LD_LIBRARY_PATH=$usr/lib GOPROXY=off GOFLAGS=-mod=mod
    (cd bindings/go && go vet ./... && go test -race -count=1 -v ./...) || return 1
    (cd bindings/go && go build -o "$tmp/dumpjson" ./cmd/dumpjson) || return 1
    python3 bindings/compare-dump.py $B/utx "$tmp/dumpjson" || return 1
    # The README example, in a module of its own, dynamic then static.
    mkdir -p "$tmp/example" && readme_block go "$tmp/example/main.go" || return 1
    printf 'module example\n\ngo 1.19\n\nrequire utx v0.0.0\n\nreplace utx => %s/bindings/go\n' "$top" > "$tmp/example/go.mod"
    (cd "$tmp/example" && go build -o "$tmp/example-dyn" .) || return 1
    readelf -d "$tmp/example-dyn" | grep -q 'NEEDED.*\[libutx.so.1\]' || { echo "error: example does not need libutx.so.1"; return 1; }
    "$tmp/example-dyn" samples/wtmp > "$tmp/out-dyn" && readme_check "$tmp/out-dyn" || return 1
    (cd "$tmp/example" && env -u PKG_CONFIG_PATH go build -tags utx_static -o "$tmp/example-static" .) || return 1
    if readelf -d "$tmp/example-static" | grep -q libutx; then echo "error: -tags utx_static still needs libutx"; return 1; fi
    env -u LD_LIBRARY_PATH "$tmp/example-static" samples/wtmp > "$tmp/out-static" && readme_check "$tmp/out-static" || return 1
    echo "ok: the README example runs linked dynamically (pkg-config) and with -tags utx_static"
    (cd bindings/go && env -u PKG_CONFIG_PATH -u LD_LIBRARY_PATH go test -tags utx_static -count=1 ./...) || return 1
}

step_ruby() {
    local tmp rc
    python3 bindings/gen-constants.py --check ruby || return 1
    (cd bindings/ruby && UTX_LIBRARY=$PWD/../../$B/libutx.so.1 ruby -w -Ilib test/test_utx.rb -v) || return 1
    UTX_LIBRARY=$PWD/$B/libutx.so.1 RUBYLIB=bindings/ruby/lib \
        python3 bindings/compare-dump.py $B/utx ruby bindings/ruby/test/dump_json.rb || return 1
    tmp=$(mktemp -d /tmp/utx-ruby.XXXXXX)
    (ruby_install_checks "$tmp")
    rc=$?
    rm -rf "$tmp"
    $MAKE --no-print-directory -s $B/utx.pc >/dev/null
    return $rc
}

# The gem builds, installs offline (ffi from the system), and runs the
# README example finding libutx.so.1 of an installed prefix by its SONAME.
ruby_install_checks() {
    local tmp=$1
    readme_block ruby "$tmp/example.rb" || return 1
    $MAKE --no-print-directory -s install PREFIX="$tmp/usr" >/dev/null || return 1
    (cd bindings/ruby && gem build -q utx.gemspec -o "$tmp/utx.gem") || return 1
    GEM_HOME=$tmp/gems gem install --local --no-document "$tmp/utx.gem" || return 1
    env -u UTX_LIBRARY -u RUBYLIB GEM_HOME="$tmp/gems" LD_LIBRARY_PATH="$tmp/usr/lib" \
        ruby "$tmp/example.rb" samples/wtmp > "$tmp/out" || return 1
    readme_check "$tmp/out" || return 1
    echo "ok: the installed gem runs the README example"
}

# Following a growing file (dump -f, last --follow, --checkpoint) as log
# shippers run it, every JSON line checked against docs/*.schema.json.
# Again with the ASan/UBSan build of the command when the utx-asan step
# made one.
step_follow() {
    local logs rc
    [ -x $B/utx ] || { echo "error: $B/utx not built"; return 1; }
    timeout -k 5 60 python3 tests/follow/run.py $B/utx || return 1
    [ -x $CT/utx-asan ] || { echo "($CT/utx-asan not built: no sanitizer run)"; return 0; }
    logs=$(mktemp -d /tmp/utx-follow-asan.XXXXXX)
    LD_LIBRARY_PATH=$B ASAN_OPTIONS=detect_leaks=1:log_path=$logs/asan \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan \
        timeout -k 5 120 python3 tests/follow/run.py $CT/utx-asan
    rc=$?
    if [ -n "$(ls -A "$logs")" ]; then
        for f in "$logs"/*; do echo "== $f"; head -n 40 "$f"; done
        rc=1
    fi
    rm -rf "$logs"
    return $rc
}

# ---- fleets ----------------------------------------------------------------

# docs/clickhouse.sql in a real ClickHouse engine (chdb, pinned, in
# build/chdb-venv): the tables take utx's --json lines of the corpus and of
# glibc-written files under several host names unchanged, and every named
# query's answer equals the one computed in Python from the same lines.
step_clickhouse() { bash tests/clickhouse/run.sh $B/utx; }

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

ALL_STEPS="cargo-test fmt clippy no-sqlite header symbols soname abi c-static c-dynamic c-asan c-valgrind c-nonroot utx-asan compat install examples man completion follow run hostile soak parity write bench-smoke python go ruby clickhouse fuzz-replay fuzz-smoke"
steps=${*:-$ALL_STEPS}
for s in $steps; do
    case $s in
        parity)
            if [ ! -f tests/parity/run.sh ]; then echo "SKIP  parity         (tests/parity/run.sh absent)"; continue; fi
            if [ ! -x $B/utx ]; then echo "FAIL  parity         ($B/utx not built)"; failed+=(parity); continue; fi ;;
        # A binding whose toolchain is missing is skipped, naming it
        # (.ci/run installs them all, so CI never skips).
        python)
            if ! command -v python3 >/dev/null; then echo "SKIP  python         (python3 not installed)"; continue; fi ;;
        go)
            if ! command -v go >/dev/null; then echo "SKIP  go             (go not installed: apt-get install golang-go)"; continue; fi ;;
        ruby)
            if ! ruby -e 'require "ffi"' >/dev/null 2>&1; then
                echo "SKIP  ruby           (ruby or its ffi gem not installed: apt-get install ruby ruby-ffi)"; continue; fi ;;
        clickhouse)
            # Installs chdb from PyPI into build/chdb-venv when missing.
            if ! why=$(bash tests/clickhouse/run.sh --install 2>&1); then
                echo "SKIP  clickhouse     (chdb not installed: $(echo "$why" | tail -n 1))"; continue; fi ;;
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
