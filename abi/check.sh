#!/usr/bin/env bash
# The C ABI of libutx.so.1 against the baseline checked in beside this
# script.  Run from the repository root after `make`.
#
#   bash abi/check.sh             check (exit 0 ok, 1 incompatible change,
#                                 2 compatible growth not yet in the baseline,
#                                 3 a tool is missing or failed)
#   bash abi/check.sh --update    rewrite the baseline (make abi-baseline)
#   bash abi/check.sh --selftest  prove the check fails on incompatible
#                                 changes (edited copies of the header)
#
# What is compared, and why this way:
#
# * Types and functions: abidw (libabigail) reads them from DWARF.
#   build/libutx.so.1 has none (the release profile sets debug = false),
#   and the Rust DWARF of a debug build describes the handles' private
#   Rust fields, the types of the crates behind them and Rust module paths
#   (utx::ffi::types::ut_entry): every internal change or module move
#   would read as an ABI change.  So the ABI is taken from what C sees:
#   include/utx.h compiled with -g into a shared library of stubs (one
#   definition per declared function).  The `header` step proves utx.h is
#   what cbindgen makes of the library's source, and this script checks
#   that build/libutx.so.1 exports exactly the baseline's functions, so the
#   description is the library's.
# * abidiff's exit status is a bit set: 1 error, 2 usage error, 4 ABI
#   change, 8 incompatible change.  Bit 8 covers only removed symbols; a
#   changed parameter or a struct field moved or retyped is bit 4, and so
#   is an added function.  So abidiff runs twice: once ignoring what is
#   allowed (added functions: --no-added-syms; fields appended at the end
#   of the size-prefixed ut_entry and ut_session: abi/allowed.ini); any
#   status other than 0 there is an incompatible change.  libabigail's
#   "inserted at end" suppression also hides a retyped member (it holds
#   vacuously when nothing was inserted), so those two structs are checked
#   here too: every baseline member keeps its name, offset and type (the
#   type ids are content hashes), in order.  Then abidiff plainly: a
#   difference left is compatible growth, and the baseline must be
#   updated in the same commit (exit 2).
# * Constants: abidiff cannot see #define values.  abi/constants.txt lists
#   every `#define UT_*`/`UTX_*` of utx.h; each must keep its value
#   (masks named *_ALL may only gain bits), new ones are growth.
set -u
cd "$(dirname "$0")/.."

ABI=abi
BASELINE=$ABI/libutx.so.1.abi
CONSTANTS=$ABI/constants.txt
ALLOWED=$ABI/allowed.ini
LIB=${UTX_LIB:-build/libutx.so.1}
CC=${CC:-cc}

die() { echo "abi: $*" >&2; exit 3; }

for t in abidw abidiff "$CC" nm; do
    command -v "$t" >/dev/null || die "$t not found (Debian: apt-get install abigail-tools binutils gcc)"
done

# stub_lib HEADER OUT: OUT, a shared library with debug info defining
# every function HEADER declares (cbindgen writes one per line).
stub_lib() {
    local header=$1 out=$2 dir
    dir=$(dirname "$out")
    {
        echo '#include <stdlib.h>'
        echo "#include \"$(basename "$header")\""
        sed -n 's/^\([A-Za-z_].*[ *]ut_[a-z0-9_]*(.*)\);$/\1 { abort(); }/p' "$header"
    } > "$dir/stub.c"
    grep -q 'abort' "$dir/stub.c" || die "no function declarations found in $header"
    [ "$header" -ef "$dir/$(basename "$header")" ] || cp "$header" "$dir/"
    # Compiled where it lies, with that directory mapped to ".", so the
    # description names no temporary path.
    (cd "$dir" && $CC -std=c99 -g -O0 -fPIC -shared -Wl,-soname,libutx.so.1 -I. \
        -fdebug-prefix-map="$PWD"=. -o "$(basename "$out")" stub.c) ||
        die "$header does not compile into a stub library"
}

# abi_xml HEADER OUT: the ABI description abidw gives of HEADER's stubs.
abi_xml() {
    local tmp
    tmp=$(mktemp -d)
    stub_lib "$1" "$tmp/libutx.so.1"
    abidw --no-corpus-path --no-show-locs --type-id-style hash "$tmp/libutx.so.1" > "$2" ||
        { rm -rf "$tmp"; die "abidw failed"; }
    rm -rf "$tmp"
}

# constants HEADER: "NAME VALUE" for each #define UT_*/UTX_* but the guard.
constants() {
    sed -n 's/^#define \(UTX\?_[A-Za-z0-9_]*\(([^)]*)\)\?\)[ \t]\+\(.*[^ \t]\)[ \t]*$/\1 \3/p' "$1" |
        grep -v '^UTX_H ' | LC_ALL=C sort
}

# check_constants OLD NEW: 0 same, 1 a value changed or a name went, 2 names added.
check_constants() {
    local old=$1 new=$2 name value now rc=0
    while read -r name value; do
        now=$(awk -v n="$name" '$1 == n { $1 = ""; sub(/^ /, ""); print; exit }' "$new")
        if [ -z "$now" ]; then
            echo "INCOMPATIBLE: constant $name ($value) was removed"; rc=1
        elif [ "$now" != "$value" ]; then
            if [[ $name == *_ALL ]] && [[ $value =~ ^[-0-9()\ \<\|+]+$ ]] && [[ $now =~ ^[-0-9()\ \<\|+]+$ ]] &&
                (( ($((value)) & $((now))) == $((value)) )); then
                echo "growth: mask $name gained bits ($value -> $now)"; [ $rc = 1 ] || rc=2
            else
                echo "INCOMPATIBLE: constant $name changed value ($value -> $now)"; rc=1
            fi
        fi
    done < "$old"
    local added
    added=$(comm -13 <(awk '{print $1}' "$old" | LC_ALL=C sort) <(awk '{print $1}' "$new" | LC_ALL=C sort))
    if [ -n "$added" ]; then
        echo "growth: constants added: $(echo $added)"; [ $rc = 1 ] || rc=2
    fi
    return $rc
}

# members XML STRUCT: "offset name type-id" for each data member of STRUCT.
members() {
    awk -v s="$2" '
        $0 ~ "<class-decl name=\x27" s "\x27" { on = 1; next }
        on && /<\/class-decl>/ { exit }
        on && /layout-offset-in-bits=/ { match($0, /layout-offset-in-bits=\x27[0-9]+\x27/); off = substr($0, RSTART + 23, RLENGTH - 24) }
        on && /<var-decl / {
            match($0, /name=\x27[^\x27]*\x27/); n = substr($0, RSTART + 6, RLENGTH - 7)
            match($0, /type-id=\x27[^\x27]*\x27/); t = substr($0, RSTART + 9, RLENGTH - 10)
            print off, n, t
        }' "$1"
}

# check_prefix OLD NEW: the size-prefixed structs (allowed.ini lets their
# changes through abidiff) keep every member of OLD at its offset with
# its type; only members after them may be new.
check_prefix() {
    local s rc=0 old new
    for s in ut_entry ut_session; do
        old=$(members "$1" $s)
        new=$(members "$2" $s | head -n "$(printf '%s\n' "$old" | grep -c .)")
        [ -n "$old" ] || { echo "INCOMPATIBLE: struct $s not in the baseline's description"; rc=1; continue; }
        if [ "$old" != "$new" ]; then
            echo "INCOMPATIBLE: struct $s: a member was removed, moved or retyped (only appending is allowed):"
            diff <(echo "$old") <(echo "$new") | sed 's/^/    /'
            rc=1
        elif [ "$(members "$2" $s | wc -l)" -gt "$(echo "$old" | wc -l)" ]; then
            echo "growth: struct $s: members appended"
        fi
    done
    return $rc
}

# check_header HEADER: compare HEADER's ABI with the baseline.
check_header() {
    local header=$1 tmp rc=0 st
    tmp=$(mktemp -d)
    abi_xml "$header" "$tmp/new.abi"
    abidiff --no-added-syms --suppressions "$ALLOWED" "$BASELINE" "$tmp/new.abi" > "$tmp/incompatible.txt" 2>&1
    st=$?
    if [ $st -ne 0 ]; then
        if (( st & 3 )); then cat "$tmp/incompatible.txt"; rm -rf "$tmp"; die "abidiff failed (status $st)"; fi
        echo "INCOMPATIBLE: abidiff (status $st: $( ((st & 8)) && echo 'symbols removed' || echo 'types or signatures changed')):"
        cat "$tmp/incompatible.txt"
        rc=1
    elif ! check_prefix "$BASELINE" "$tmp/new.abi"; then
        rc=1
    else
        abidiff "$BASELINE" "$tmp/new.abi" > "$tmp/all.txt" 2>&1
        st=$?
        if (( st & 3 )); then cat "$tmp/all.txt"; rm -rf "$tmp"; die "abidiff failed (status $st)"; fi
        if [ $st -ne 0 ]; then
            echo "growth: compatible ABI additions not in $BASELINE:"
            cat "$tmp/all.txt"
            rc=2
        fi
    fi
    constants "$header" > "$tmp/constants.txt"
    check_constants "$CONSTANTS" "$tmp/constants.txt"
    st=$?
    if [ $st = 1 ] || [ $rc = 1 ]; then rc=1; elif [ $st = 2 ]; then rc=2; fi
    rm -rf "$tmp"
    return $rc
}

# The functions the built library exports and the baseline's.
lib_functions() { nm -D --defined-only "$LIB" | awk '$2 == "T" {print $3}' | LC_ALL=C sort; }
baseline_functions() {
    sed -n "/<elf-function-symbols>/,/<\/elf-function-symbols>/s/.*<elf-symbol name='\([^']*\)'.*/\1/p" "$BASELINE" |
        LC_ALL=C sort
}

check() {
    local rc=0 st missing extra
    LIB=${UTX_LIB:-$LIB}
    [ -f "$BASELINE" ] && [ -f "$CONSTANTS" ] || die "no baseline in $ABI/: run 'make abi-baseline'"
    check_header include/utx.h
    rc=$?
    if [ -f "$LIB" ]; then
        missing=$(comm -23 <(baseline_functions) <(lib_functions))
        extra=$(comm -13 <(baseline_functions) <(lib_functions))
        if [ -n "$missing" ]; then echo "INCOMPATIBLE: $LIB no longer exports: $(echo $missing)"; rc=1; fi
        if [ -n "$extra" ]; then echo "growth: $LIB exports functions not in the baseline: $(echo $extra)"; [ $rc = 1 ] || rc=2; fi
        echo "$LIB exports $(lib_functions | wc -l) functions; baseline has $(baseline_functions | wc -l)"
    else
        die "$LIB not built: run 'make'"
    fi
    case $rc in
        0) echo "abi: OK: libutx.so.1 matches $BASELINE and $CONSTANTS" ;;
        1) echo "abi: FAIL: incompatible change to the C ABI of libutx.so.1 (a new SONAME would be needed)" ;;
        2) echo "abi: FAIL: the ABI grew compatibly; run 'make abi-baseline' and commit $ABI/ with the change" ;;
    esac
    return $rc
}

update() {
    abi_xml include/utx.h "$BASELINE.new" && mv "$BASELINE.new" "$BASELINE"
    constants include/utx.h > "$CONSTANTS"
    echo "abi: wrote $BASELINE ($(baseline_functions | wc -l) functions) and $CONSTANTS ($(wc -l < "$CONSTANTS") constants)"
}

# expect WHAT STATUS SED-EXPR: check_header on utx.h edited by SED-EXPR
# must return STATUS.
selftest_case() {
    local what=$1 want=$2 expr=$3 tmp got
    tmp=$(mktemp -d)
    sed "$expr" include/utx.h > "$tmp/utx.h"
    if cmp -s include/utx.h "$tmp/utx.h" && [ -n "$expr" ]; then
        echo "selftest: '$what': the edit changed nothing in utx.h"; rm -rf "$tmp"; return 1
    fi
    check_header "$tmp/utx.h" > "$tmp/out.txt" 2>&1
    got=$?
    rm -rf "$tmp"
    if [ "$got" = "$want" ]; then
        printf 'selftest: ok   %-52s status %s\n' "$what" "$got"
    else
        printf 'selftest: FAIL %-52s status %s, want %s\n' "$what" "$got" "$want"
        return 1
    fi
}

selftest() {
    local bad=0 want what expr
    # status|case|sed expression applied to a copy of include/utx.h
    while IFS='|' read -r want what expr; do
        selftest_case "$what" "$want" "$expr" || bad=1
    done <<'CASES'
0|unchanged header|
1|a function removed|/^ut_status ut_reader_rewind(/d
1|a parameter's type changed|s/^\(ut_status ut_reader_seek_time(struct ut_reader \*reader, \)int64_t sec);/\1int32_t sec);/
1|a parameter added|s/^\(ut_status ut_reader_rewind(struct ut_reader \*reader\));/\1, int flags);/
1|ut_entry: a field's type changed|/^typedef struct ut_entry {/,/^} ut_entry;/s/^  ut_type entry_type;/  int64_t entry_type;/
1|ut_entry: a field inserted in the middle|/^typedef struct ut_entry {/,/^} ut_entry;/s/^  ut_type entry_type;/  uint32_t inserted;\n  ut_type entry_type;/
1|ut_entry: a field's signedness changed|/^typedef struct ut_entry {/,/^} ut_entry;/s/^  uint32_t flags;/  int32_t flags;/
1|a typedef widened (ut_status)|s/^typedef int32_t ut_status;$/typedef int64_t ut_status;/
1|ut_session: a field removed|/^typedef struct ut_session {/,/^} ut_session;/{/^  uint32_t kind;/d}
1|a constant renumbered|s/^#define UT_FORMAT_WTMPDB 15$/#define UT_FORMAT_WTMPDB 51/
1|a constant removed|/^#define UT_ERR_NOMEM /d
1|a mask lost a bit|s/^#define UT_MONITOR_ALL 31$/#define UT_MONITOR_ALL 15/
2|a function added|s/^\(void ut_reader_close(struct ut_reader \*reader);\)$/\1\nint32_t ut_reader_added(int32_t x);/
2|ut_entry: a field appended|/^typedef struct ut_entry {/,/^} ut_entry;/s/^} ut_entry;/  uint64_t appended;\n} ut_entry;/
2|a constant added|s/^#define UT_OK 0$/#define UT_OK 0\n#define UT_ADDED 77/
2|a mask gained a bit|s/^#define UT_MONITOR_ALL 31$/#define UT_MONITOR_ALL 63/
CASES
    # The library side: a built library that lost a function fails
    # although the header still declares it.
    local tmp got
    tmp=$(mktemp -d)
    sed '/^ut_status ut_reader_rewind(/d' include/utx.h > "$tmp/utx.h"
    stub_lib "$tmp/utx.h" "$tmp/libutx.so.1"
    (UTX_LIB=$tmp/libutx.so.1 check) > "$tmp/out.txt" 2>&1
    got=$?
    if [ $got = 1 ] && grep -q 'no longer exports: ut_reader_rewind' "$tmp/out.txt"; then
        printf 'selftest: ok   %-52s status %s\n' "the library lost a function" "$got"
    else
        printf 'selftest: FAIL %-52s status %s, want 1\n' "the library lost a function" "$got"; cat "$tmp/out.txt"; bad=1
    fi
    rm -rf "$tmp"
    if [ $bad = 0 ]; then echo "selftest: every case gave the expected status"; fi
    return $bad
}

case ${1:-} in
    "") check ;;
    --update) update ;;
    --selftest) selftest ;;
    *) echo "usage: bash abi/check.sh [--update | --selftest]" >&2; exit 3 ;;
esac
