#!/usr/bin/env bash
# `make run`: the `utx` command on this host's login databases, or on the
# bundled samples (samples/) where this host has none.  Says which it used.
set -u
cd "$(dirname "$0")/.."
UTX=${1:-build/utx}
[ -x "$UTX" ] || { echo "make run: $UTX not built (cmd/utx/ missing?)" >&2; exit 1; }

# First non-empty host file of a database, or nothing.
host_file() {
    local f
    for f in "$@"; do
        if [ -f "$f" ] && [ -s "$f" ]; then echo "$f"; return; fi
    done
}

status=0
# run TITLE HOST-ARGS SAMPLE-ARGS-BEFORE-FILE SAMPLE HOST-PATH...
#   HOST-ARGS: the subcommand reading this host's database;
#   SAMPLE-ARGS: the subcommand to which the sample file's path is added.
run() {
    local title=$1 host_args=$2 sample_args=$3 sample=$4 file
    shift 4
    file=$(host_file "$@")
    echo
    if [ -n "$file" ]; then
        echo "=== $title: host database $file"
        echo "\$ $UTX $host_args"
        "$UTX" $host_args || status=1
        return
    fi
    if [ -f "samples/$sample" ]; then
        echo "=== $title: this host has no (or an empty) $*; using bundled sample samples/$sample"
        echo "\$ $UTX $sample_args samples/$sample"
        "$UTX" $sample_args "samples/$sample" || status=1
    else
        echo "=== $title: this host has no $* and samples/$sample is missing"
        status=1
    fi
}

run "who is logged in (utmp)" "who" "who" utmp /run/utmp /var/run/utmp
run "login history (wtmp, utmpdump format)" "dump --db wtmp" "dump" wtmp /var/log/wtmp
run "last login per user (lastlog)" "lastlog" "lastlog -f" lastlog /var/log/lastlog
exit $status
