/* Differential test of utx's writer against glibc, byte for byte.
 *
 *   glibc_diff DIR SEED SEQUENCES
 *
 * Must run in a private mount namespace with empty tmpfs mounts on
 * /var/run (or /run) and /var/log (tests/write/run.sh does that):
 * glibc's login(), logout() and logwtmp() write only _PATH_UTMP and
 * _PATH_WTMP.  Each sequence applies the same random operations
 * (pututxline of every type with reused ids and lines, updwtmpx,
 * login, logout, logwtmp) once through glibc on _PATH_UTMP/_PATH_WTMP
 * and once through utx on DIR/utmp and DIR/wtmp; after each sequence
 * the files must be identical.  Times and pids are the generator's,
 * except that logout and logwtmp take the clock: utx gets the time
 * glibc wrote.  Then the mixed case: one file written alternately by
 * glibc and utx must equal the same operations through glibc alone. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmp.h>
#include <utmpx.h>
#include <pty.h>

#include "utx.h"

static uint64_t rng;
static uint32_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}
static uint32_t below(uint32_t n) { return next() % n; }

static void die(const char *what) {
    fprintf(stderr, "glibc_diff: %s (seed state %llu)\n", what, (unsigned long long)rng);
    exit(1);
}

static void empty(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0664);
    if (fd < 0) die(path);
    close(fd);
}

static size_t slurp(const char *path, unsigned char *buf, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

#define CAP (1 << 20)
static unsigned char a[CAP], b[CAP];
static unsigned long long compared;

static void same(const char *ga, const char *ub, long seq, const char *what) {
    size_t na = slurp(ga, a, CAP), nb = slurp(ub, b, CAP);
    compared += na;
    if (na != nb || memcmp(a, b, na) != 0) {
        size_t i = 0;
        while (i < na && i < nb && a[i] == b[i]) i++;
        fprintf(stderr, "glibc_diff: sequence %ld: %s differ (%zu vs %zu bytes, first at %zu)\n",
                seq, what, na, nb, i);
        exit(1);
    }
}

/* A random string for a field of WIDTH bytes: empty, short, exactly the
 * width, or longer (cut). */
static void rand_str(char *out, size_t width, const char *const *pool, size_t npool) {
    uint32_t k = below(6);
    if (k == 0) { out[0] = 0; return; }
    if (k <= 3 && pool) { strcpy(out, pool[below((uint32_t)npool)]); return; }
    size_t n = k == 4 ? width : width + 1 + below(8);
    if (k == 5 && below(2)) n = 1 + below((uint32_t)width);
    for (size_t i = 0; i < n; i++) out[i] = (char)('a' + below(26));
    out[n] = 0;
}

static const char *const LINES[] = {"pts/0", "pts/1", "tty1", "tty2", "~", "console"};
static const char *const IDS[] = {"ts/0", "ts/1", "1", "2", "~~", ""};
static const char *const USERS[] = {"root", "alice", "bob", "reboot", "LOGIN", "runlevel"};

struct op {
    char user[64], line[64], id[16], host[300];
    int type;
    long pid, session;
    short term, exitst;
    long sec, usec;
    int family;
    uint32_t addr[4];
};

static void rand_op(struct op *o, const char *tty) {
    memset(o, 0, sizeof *o);
    o->type = (int)below(10);
    rand_str(o->user, 32, USERS, 6);
    rand_str(o->line, 32, LINES, 6);
    if (tty && below(3) == 0) strcpy(o->line, tty);
    rand_str(o->id, 4, IDS, 6);
    rand_str(o->host, 256, NULL, 0);
    o->pid = below(100000);
    o->session = below(1000);
    o->term = (short)below(3);
    o->exitst = (short)below(3);
    o->sec = 1000000000 + below(700000000);
    o->usec = below(1000000);
    o->family = (int)below(3);
    for (int i = 0; i < 4; i++) o->addr[i] = next();
    if (o->family == 1) o->addr[1] = o->addr[2] = o->addr[3] = 0;
    if (o->family == 0) memset(o->addr, 0, sizeof o->addr);
}

static void to_utmpx(const struct op *o, struct utmpx *u) {
    memset(u, 0, sizeof *u);
    u->ut_type = (short)o->type;
    u->ut_pid = (pid_t)o->pid;
    strncpy(u->ut_line, o->line, sizeof u->ut_line);
    strncpy(u->ut_id, o->id, sizeof u->ut_id);
    strncpy(u->ut_user, o->user, sizeof u->ut_user);
    strncpy(u->ut_host, o->host, sizeof u->ut_host);
    u->ut_exit.e_termination = o->term;
    u->ut_exit.e_exit = o->exitst;
    u->ut_session = (int32_t)o->session;
    u->ut_tv.tv_sec = (int32_t)o->sec;
    u->ut_tv.tv_usec = (int32_t)o->usec;
    memcpy(u->ut_addr_v6, o->addr, sizeof u->ut_addr_v6);
}

static void to_entry(const struct op *o, ut_entry *e) {
    memset(e, 0, sizeof *e);
    e->size = sizeof *e;
    e->entry_type = o->type;
    e->raw_type = -1;
    e->user = o->user;
    e->line = o->line;
    e->id = o->id;
    e->host = o->host;
    e->pid = o->pid;
    e->session = o->session;
    e->uid = -1;
    e->exit_termination = o->term;
    e->exit_status = o->exitst;
    e->sec = o->sec;
    e->usec = (int32_t)o->usec;
    e->addr_family = o->family == 0 ? UT_ADDR_NONE : o->family == 1 ? UT_ADDR_IPV4 : UT_ADDR_IPV6;
    memcpy(e->addr, o->addr, 16);
}

static void utx_put(const char *path, uint32_t flags, const ut_entry *e) {
    ut_writer *w;
    char err[256];
    if (ut_writer_open(path, UT_FORMAT_LINUX_384_LE, flags, &w, err, sizeof err) != UT_OK) {
        fprintf(stderr, "%s\n", err);
        die("ut_writer_open");
    }
    if (ut_writer_put(w, e, NULL) != UT_OK) die("ut_writer_put");
    ut_writer_close(w);
}

/* The time of the record at OFFSET of PATH. */
static void time_at(const char *path, size_t offset, long *sec, long *usec) {
    struct utmp u;
    int fd = open(path, O_RDONLY);
    if (fd < 0 || pread(fd, &u, sizeof u, (off_t)offset) != (ssize_t)sizeof u) die("time_at");
    close(fd);
    *sec = u.ut_tv.tv_sec;
    *usec = u.ut_tv.tv_usec;
}

static off_t size_of(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) die(path);
    return st.st_size;
}

/* The first record that differs between PATH and the copy OLD (n bytes). */
static long changed_record(const char *path, const unsigned char *old, size_t n) {
    static unsigned char now[CAP];
    size_t m = slurp(path, now, CAP);
    for (size_t off = 0; off + sizeof(struct utmp) <= m; off += sizeof(struct utmp))
        if (off + sizeof(struct utmp) > n || memcmp(now + off, old + off, sizeof(struct utmp)) != 0)
            return (long)off;
    return -1;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: glibc_diff DIR SEED SEQUENCES\n");
        return 2;
    }
    char uu[4096], uw[4096], mixed[4096], solo[4096];
    snprintf(uu, sizeof uu, "%s/utmp", argv[1]);
    snprintf(uw, sizeof uw, "%s/wtmp", argv[1]);
    snprintf(mixed, sizeof mixed, "%s/mixed", argv[1]);
    snprintf(solo, sizeof solo, "%s/solo", argv[1]);
    rng = strtoull(argv[2], NULL, 10) * 2654435761u + 1;
    long sequences = strtol(argv[3], NULL, 10);

    /* A terminal on stdin, so login() writes utmp as it does for users. */
    int master, slave;
    char ttyname_buf[64];
    if (openpty(&master, &slave, ttyname_buf, NULL, NULL) != 0) die("openpty");
    if (dup2(slave, 0) < 0) die("dup2");
    const char *tty = ttyname_buf + 5; /* without /dev/ */

    long ops = 0, counts[5] = {0};
    for (long seq = 0; seq < sequences; seq++) {
        empty(_PATH_UTMP);
        empty(_PATH_WTMP);
        empty(uu);
        empty(uw);
        int n = 1 + (int)below(40);
        for (int i = 0; i < n; i++, ops++) {
            struct op o;
            struct utmpx ux;
            ut_entry e;
            rand_op(&o, tty);
            to_utmpx(&o, &ux);
            to_entry(&o, &e);
            int kind = (int)below(5);
            counts[kind]++;
            if (kind == 0) { /* pututxline */
                if (utmpxname(_PATH_UTMP) != 0) die("utmpxname");
                setutxent();
                if (!pututxline(&ux)) die("pututxline");
                endutxent();
                utx_put(uu, UT_WRITE_SLOTS, &e);
            } else if (kind == 1) { /* updwtmpx */
                updwtmpx(_PATH_WTMP, &ux);
                utx_put(uw, 0, &e);
            } else if (kind == 2) { /* login */
                struct utmp u;
                memcpy(&u, &ux, sizeof u);
                login(&u);
                int ls = ut_login_at(uu, uw, &e);
                if (ls != UT_OK) { fprintf(stderr, "status %d line %s\n", ls, o.line); die("ut_login_at"); }
            } else if (kind == 3) { /* logout */
                size_t before = slurp(_PATH_UTMP, b, CAP);
                int r = logout(o.line);
                long at = changed_record(_PATH_UTMP, b, before);
                long sec = 0, usec = 0;
                if (at >= 0) time_at(_PATH_UTMP, (size_t)at, &sec, &usec);
                int s = ut_logout_at(uu, o.line, sec, (int32_t)usec);
                if ((r == 1) != (s == UT_OK) || (r == 0 && s != UT_END)) die("logout result");
            } else { /* logwtmp */
                logwtmp(o.line, o.user, o.host);
                long sec, usec;
                time_at(_PATH_WTMP, (size_t)size_of(_PATH_WTMP) - sizeof(struct utmp), &sec, &usec);
                if (ut_logwtmp_at(uw, o.line, o.user, o.host, sec, (int32_t)usec) != UT_OK)
                    die("ut_logwtmp_at");
            }
        }
        same(_PATH_UTMP, uu, seq, "utmp");
        same(_PATH_WTMP, uw, seq, "wtmp");
    }

    /* Mixed: glibc and utx alternately on one file, against glibc alone. */
    long mixed_ops = 0;
    for (long seq = 0; seq < sequences / 10 + 1; seq++) {
        empty(mixed);
        empty(solo);
        int n = 1 + (int)below(60);
        for (int i = 0; i < n; i++, mixed_ops++) {
            struct op o;
            struct utmpx ux;
            ut_entry e;
            rand_op(&o, NULL);
            to_utmpx(&o, &ux);
            to_entry(&o, &e);
            int slots = (int)below(2);
            if (utmpxname(solo) != 0) die("utmpxname");
            if (slots) {
                setutxent();
                if (!pututxline(&ux)) die("pututxline");
                endutxent();
            } else {
                updwtmpx(solo, &ux);
            }
            if (i % 2) {
                utx_put(mixed, slots ? UT_WRITE_SLOTS : 0, &e);
            } else if (slots) {
                if (utmpxname(mixed) != 0) die("utmpxname");
                setutxent();
                if (!pututxline(&ux)) die("pututxline");
                endutxent();
            } else {
                updwtmpx(mixed, &ux);
            }
        }
        same(solo, mixed, seq, "mixed file");
    }
    printf("glibc_diff: %ld sequences, %ld operations identical (pututxline %ld, updwtmpx %ld, "
           "login %ld, logout %ld, logwtmp %ld); mixed: %ld operations; %llu bytes compared\n",
           sequences, ops, counts[0], counts[1], counts[2], counts[3], counts[4], mixed_ops, compared);
    return 0;
}
