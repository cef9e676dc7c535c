# Helpers for tests/parity/run.sh (sourced, not run).
#
# Every check prints one "PASS name", "FAIL name" (with the diff or the
# reason indented below) or "SKIP name (reason)" line and is counted.
# Needs: UTX (the binary under test), TMP (a scratch directory).

N_PASS=0
N_FAIL=0
N_SKIP=0
FAILED=()

pass() {
    N_PASS=$((N_PASS + 1))
    printf 'PASS %s\n' "$1"
}

# fail NAME [DETAIL...]: DETAIL lines are shown indented.
fail() {
    local name=$1
    shift
    N_FAIL=$((N_FAIL + 1))
    FAILED+=("$name")
    printf 'FAIL %s\n' "$name"
    local line
    for line in "$@"; do
        printf '    %s\n' "$line"
    done
}

skip() {
    N_SKIP=$((N_SKIP + 1))
    printf 'SKIP %s (%s)\n' "$1" "$2"
}

# Show the first lines of a unified diff, indented.
show_diff() {
    diff -u --label "$3" --label "$4" "$1" "$2" | head -n 40 | sed 's/^/    /'
}

# same NAME EXPECTED ACTUAL [EXPECTED_LABEL ACTUAL_LABEL]: pass when the two
# files are byte-identical, else fail with the diff.
same() {
    if cmp -s "$2" "$3"; then
        pass "$1"
    else
        fail "$1"
        show_diff "$2" "$3" "${4:-expected}" "${5:-utx}"
    fi
}

# run_to PREFIX CMD...: run CMD with stdout in PREFIX.out, stderr in
# PREFIX.err; the exit status in RC.
run_to() {
    local prefix=$1
    shift
    "$@" >"$prefix.out" 2>"$prefix.err"
    RC=$?
}

# dump_parity NAME DIR FILE [stdout]: `utx dump FILE` must print exactly what
# `utmpdump FILE` prints, run in DIR so the "Utmp dump of FILE" header on
# stderr names the same path; with "stdout" only stdout is compared.
DUMPED=() # every file given to dump_parity, for the JSON check
dump_parity() {
    local name=$1 dir=$2 file=$3 mode=${4:-both}
    local e=$TMP/exp u=$TMP/utx
    DUMPED+=("$dir/$file")
    (cd "$dir" && run_to "$e" utmpdump "$file")
    (cd "$dir" && run_to "$u" "$UTX" dump "$file" && echo "$RC" >"$u.rc")
    local rc
    rc=$(cat "$u.rc")
    if [ "$rc" != 0 ]; then
        fail "$name" "utx dump exited $rc" "$(head -n 3 "$u.err")"
    elif ! cmp -s "$e.out" "$u.out"; then
        fail "$name" "stdout differs from utmpdump:"
        show_diff "$e.out" "$u.out" "utmpdump $file" "utx dump $file"
    elif [ "$mode" = both ] && ! cmp -s "$e.err" "$u.err"; then
        fail "$name" "stderr differs from utmpdump:"
        show_diff "$e.err" "$u.err" "utmpdump $file (stderr)" "utx dump $file (stderr)"
    else
        pass "$name"
    fi
}

# who_parity NAME DIR FILE: `utx who FILE` against coreutils `who FILE`.
who_parity() {
    local name=$1 dir=$2 file=$3
    local e=$TMP/who-exp u=$TMP/who-utx
    (cd "$dir" && run_to "$e" who "$file")
    (cd "$dir" && run_to "$u" "$UTX" who "$file" && echo "$RC" >"$u.rc")
    local rc
    rc=$(cat "$u.rc")
    if [ "$rc" != 0 ]; then
        fail "$name" "utx who exited $rc" "$(head -n 3 "$u.err")"
    else
        same "$name" "$e.out" "$u.out" "who $file" "utx who $file"
    fi
}

# json_entry FILE OFFSET: the JSON line of the entry at byte OFFSET.
json_entry() {
    "$UTX" dump --json "$1" 2>/dev/null | grep -F "\"offset\":$2,"
}

# fields NAME FILE OFFSET 'key:value'...: the entry at OFFSET must contain
# each "key":value pair (values are JSON: numbers bare, strings quoted;
# a value ending in '*' matches as a prefix, e.g. '"time":"2026-07-03T14:57:58*').
fields() {
    local name=$1 file=$2 off=$3
    shift 3
    local line want missing=()
    line=$(json_entry "$file" "$off")
    if [ -z "$line" ]; then
        fail "$name" "no entry at offset $off"
        return
    fi
    for want in "$@"; do
        case $want in
        *'*') [[ $line == *"${want%\*}"* ]] || missing+=("$want") ;;
        *) [[ $line == *"$want,"* || $line == *"$want}"* ]] || missing+=("$want") ;;
        esac
    done
    if [ ${#missing[@]} -eq 0 ]; then
        pass "$name"
    else
        fail "$name" "entry at offset $off lacks: ${missing[*]}" "got: $line"
    fi
}

summary() {
    printf '\n%d passed, %d failed, %d skipped\n' "$N_PASS" "$N_FAIL" "$N_SKIP"
    if [ "$N_FAIL" -ne 0 ]; then
        printf 'failed:\n'
        printf '  %s\n' "${FAILED[@]}"
        return 1
    fi
    return 0
}
