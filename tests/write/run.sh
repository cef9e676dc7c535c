#!/usr/bin/env bash
# The writer against glibc: builds tests/write/glibc_diff.c with libutx.a
# and runs it in a private mount namespace whose /run and /var/log are
# empty tmpfs mounts (glibc's login, logout and logwtmp write only
# /var/run/utmp and /var/log/wtmp). Needs root or unprivileged user
# namespaces (unshare -rm).
set -eu
cd "$(dirname "$0")/../.."
B=build
SEQ=${WRITE_DIFF_SEQUENCES:-1200}
cc -std=c99 -Wall -Wextra -Wpedantic -Werror -O1 -g -Iinclude -o $B/glibc_diff \
    tests/write/glibc_diff.c $B/libutx.a $(cat $B/native-static-libs) -lutil
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if [ "$(id -u)" = 0 ]; then NS="unshare -m"; else NS="unshare -rm"; fi
if $NS sh -c 'mount -t tmpfs none /run' 2>/dev/null; then
    $NS sh -c 'mount -t tmpfs none /run && mount -t tmpfs none /var/log && exec "$@"' sh \
        $B/glibc_diff "$dir" "${WRITE_DIFF_SEED:-1}" "$SEQ"
else
    echo "SKIP glibc_diff: no private mount namespace here ($NS); glibc's login writes only /var/run/utmp"
fi

# Concurrency: glibc and utx writers on one wtmp and one utmp while utx
# readers read forward and backward (tests/write/concurrency.c).
cc -std=c99 -Wall -Wextra -Wpedantic -Werror -O1 -g -Iinclude -o $B/write_concurrency \
    tests/write/concurrency.c $B/libutx.a $(cat $B/native-static-libs)
mkdir "$dir/cc"
$B/write_concurrency "$dir/cc" "${WRITE_CONCURRENCY_RECORDS:-20000}"
