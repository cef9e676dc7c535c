#!/usr/bin/env bash
# `make run`: the `utx` command on this host's login databases, or on the
# bundled samples (samples/) where this host has none.  Says which it used.
set -u
cd "$(dirname "$0")/.."
UTX=${1:-build/utx}
[ -x "$UTX" ] || { echo "make run: $UTX not built (examples/utx.c missing?)" >&2; exit 1; }

# First non-empty host file of a database, or nothing.
host_file() {
    local f
    for f in "$@"; do
        if [ -f "$f" ] && [ -s "$f" ]; then echo "$f"; return; fi
    done
}

# First bundled sample whose name matches, or nothing.
sample_file() {
    local f
    for f in samples/$1; do
        if [ -f "$f" ]; then echo "$f"; return; fi
    done
}

status=0
# run TITLE SUBCOMMAND SAMPLE-GLOB HOST-PATH...
run() {
    local title=$1 sub=$2 glob=$3 file
    shift 3
    file=$(host_file "$@")
    echo
    if [ -n "$file" ]; then
        echo "=== $title: host database $file"
        echo "\$ $UTX $sub"
        "$UTX" $sub || status=1
        return
    fi
    file=$(sample_file "$glob")
    if [ -n "$file" ]; then
        echo "=== $title: this host has no (or an empty) $*; using bundled sample $file"
        echo "\$ $UTX $sub $file"
        "$UTX" $sub "$file" || status=1
    else
        echo "=== $title: this host has no $* and samples/ has no $glob; skipped"
    fi
}

run "who is logged in" who '*utmp*' /run/utmp /var/run/utmp
run "login history (dump)" dump '*wtmp*' /var/log/wtmp
run "last login per user" lastlog '*lastlog*' /var/log/lastlog
exit $status
