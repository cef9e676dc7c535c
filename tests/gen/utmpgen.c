/*
 * utmpgen - write utmp/wtmp/btmp test files through glibc's own writers.
 *
 * The files are ground truth for parity tests of `utx` against util-linux
 * utmpdump/last and coreutils who.  Records are written ONLY by glibc:
 *
 *   utmpxname() + setutxent() + pututxline() + endutxent()  utmp tables
 *   updwtmpx()                                              wtmp/btmp logs
 *   logwtmp()                                               "logwtmp" scenario
 *
 * The single exception is the "big" scenario, which fills glibc's own
 * struct utmpx and write()s it in bulk, because one updwtmpx() call per
 * record (open+lock+write+close) is too slow for millions of records.
 *
 * All timestamps are fixed, so every scenario except "logwtmp" (glibc stamps
 * the current time and pid there) is byte-for-byte reproducible.
 *
 * Build: gcc -std=c99 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Werror \
 *            -O2 -o utmpgen utmpgen.c
 *        (glibc < 2.34 also needs -lutil for logwtmp)
 *
 * Usage: utmpgen list | recsize
 *        utmpgen SCENARIO OUTFILE
 *        utmpgen big OUTFILE [N]
 *        utmpgen all OUTDIR
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <paths.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utmp.h>
#include <utmpx.h>

/* glibc guarantees struct utmp and struct utmpx share one layout. */
typedef char utmpgen_assert_same_layout
    [(sizeof(struct utmpx) == sizeof(struct utmp)) ? 1 : -1];

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Largest pid Linux can ever hand out is PID_MAX_LIMIT = 4194304 (2^22), so
 * pids above it are guaranteed dead for any liveness check. */
#define DEAD_PID_BASE 4194305

#define BIG_DEFAULT_N 20000UL

/* ------------------------------------------------------------------ */
/* errors                                                              */

static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("utmpgen: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void die_errno(const char *what, const char *path)
{
    die("%s %s: %s", what, path ? path : "", strerror(errno));
}

/* ------------------------------------------------------------------ */
/* deterministic PRNG (xorshift32)                                     */

static uint32_t rng_state = 1;

static void rng_seed(uint32_t s) { rng_state = s ? s : 0x9e3779b9u; }

static uint32_t rnd(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

static uint32_t rndn(uint32_t n) { return rnd() % n; }

/* ------------------------------------------------------------------ */
/* record building                                                     */

/* Copy LEN bytes of SRC into the fixed-size field DST, zero-filling the
 * rest.  If LEN >= SIZE the field is filled completely and has no NUL. */
static void setfield(char *dst, size_t size, const char *src, size_t len)
{
    memset(dst, 0, size);
    if (len > size)
        len = size;
    memcpy(dst, src, len);
}

#define SETSTR(field, s) setfield((field), sizeof(field), (s), strlen(s))
#define SETMEM(field, s, n) setfield((field), sizeof(field), (s), (n))

/* Store SEC as the on-disk bit pattern.  On layout A (x86-64, glibc 2.36)
 * tv_sec is int32_t, so values >= 2^31 become negative for int32 readers;
 * glibc >= 2.40 declares it uint32_t.  Either way the bytes are SEC. */
static void set_time(struct utmpx *u, uint32_t sec, int32_t usec)
{
    if (sizeof(u->ut_tv.tv_sec) == sizeof(uint32_t))
        memcpy(&u->ut_tv.tv_sec, &sec, sizeof(uint32_t));
    else
        u->ut_tv.tv_sec = sec;
    u->ut_tv.tv_usec = usec;
}

/* Raw network-order bytes of an address into ut_addr_v6.  IPv4 goes into
 * word 0 (ut_addr), IPv6 fills all 16 bytes. */
static void set_addr(struct utmpx *u, const char *addr)
{
    memset(u->ut_addr_v6, 0, sizeof(u->ut_addr_v6));
    if (addr == NULL || *addr == '\0')
        return;
    if (strchr(addr, ':')) {
        struct in6_addr a6;
        if (inet_pton(AF_INET6, addr, &a6) != 1)
            die("bad IPv6 address literal %s", addr);
        memcpy(u->ut_addr_v6, &a6, sizeof(a6));
    } else {
        struct in_addr a4;
        if (inet_pton(AF_INET, addr, &a4) != 1)
            die("bad IPv4 address literal %s", addr);
        memcpy(&u->ut_addr_v6[0], &a4, sizeof(a4));
    }
}

/* Conventional ut_id for a line: "ttyN" -> "N" (sysvinit inittab / agetty /
 * login), anything else -> its last 4 bytes (sshd line_abbrevname:
 * "pts/0" -> "ts/0", "pts/12" -> "s/12", ":0" -> ":0"). */
static void default_id(char *id, size_t size, const char *line)
{
    size_t len = strlen(line);
    if (strncmp(line, "tty", 3) == 0 && line[3] >= '0' && line[3] <= '9') {
        setfield(id, size, line + 3, len - 3);
        return;
    }
    if (len > size)
        line += len - size, len = size;
    setfield(id, size, line, len);
}

#define ID_AUTO ((const char *)0)

/* Fill *U.  id == ID_AUTO derives the id from the line; NULL strings for
 * user/host/addr mean empty. */
static void mk(struct utmpx *u, short type, pid_t pid, const char *line,
               const char *id, const char *user, const char *host,
               const char *addr, uint32_t sec, int32_t usec)
{
    memset(u, 0, sizeof(*u));
    u->ut_type = type;
    u->ut_pid = pid;
    SETSTR(u->ut_line, line ? line : "");
    if (id == ID_AUTO)
        default_id(u->ut_id, sizeof(u->ut_id), line ? line : "");
    else
        SETSTR(u->ut_id, id);
    SETSTR(u->ut_user, user ? user : "");
    SETSTR(u->ut_host, host ? host : "");
    set_addr(u, addr);
    set_time(u, sec, usec);
}

/* ------------------------------------------------------------------ */
/* output: append-only logs (updwtmpx) and tables (pututxline)         */

static void create_empty(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        die_errno("cannot create", path);
    if (close(fd) != 0)
        die_errno("close", path);
}

static off_t file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        die_errno("stat", path);
    return st.st_size;
}

struct log {
    const char *path;
    unsigned long n;
};

static void log_open(struct log *l, const char *path)
{
    create_empty(path); /* updwtmpx opens O_WRONLY without O_CREAT */
    l->path = path;
    l->n = 0;
}

static void log_put(struct log *l, const struct utmpx *u)
{
    updwtmpx(l->path, u); /* returns void; checked by size in log_close */
    l->n++;
}

/* Build and append one record. */
static void W(struct log *l, short type, pid_t pid, const char *line,
              const char *id, const char *user, const char *host,
              const char *addr, uint32_t sec, int32_t usec)
{
    struct utmpx u;
    mk(&u, type, pid, line, id, user, host, addr, sec, usec);
    log_put(l, &u);
}

static unsigned long log_close(struct log *l)
{
    off_t sz = file_size(l->path);
    if (sz != (off_t)(l->n * sizeof(struct utmpx)))
        die("%s: size %lld, expected %lu records of %zu bytes "
            "(updwtmpx failed silently?)",
            l->path, (long long)sz, l->n, sizeof(struct utmpx));
    return l->n;
}

static void tab_open(const char *path)
{
    create_empty(path); /* pututxline does not create the file */
    if (utmpxname(path) != 0)
        die_errno("utmpxname", path);
    setutxent();
}

/* pututxline() searches for a matching slot only FORWARD from the current
 * file position, and after a write that position is just past the record
 * written.  Without setutxent() before each call every record would be
 * appended.  login, agetty, sshd and systemd all rewind first, so do we. */
static void tab_put(const struct utmpx *u)
{
    setutxent();
    errno = 0;
    if (pututxline(u) == NULL)
        die_errno("pututxline failed for", "utmp table");
}

static void T(short type, pid_t pid, const char *line, const char *id,
              const char *user, const char *host, const char *addr,
              uint32_t sec, int32_t usec)
{
    struct utmpx u;
    mk(&u, type, pid, line, id, user, host, addr, sec, usec);
    tab_put(&u);
}

static unsigned long tab_close(const char *path)
{
    off_t sz;
    endutxent();
    sz = file_size(path);
    if (sz % (off_t)sizeof(struct utmpx) != 0)
        die("%s: size %lld is not a multiple of %zu", path, (long long)sz,
            sizeof(struct utmpx));
    return (unsigned long)(sz / (off_t)sizeof(struct utmpx));
}

/* runlevel record pid: new | (previous << 8) (systemd/sysvinit) */
static pid_t runlvl(int now, int prev) { return (now & 0xff) | ((prev & 0xff) << 8); }

/* ------------------------------------------------------------------ */
/* scenario: many-users                                                */

struct hostaddr {
    const char *host;
    const char *addr;
};

static const char *const mu_users[] = {
    "a", "bo", "joe", "root", "alice", "bob", "carol", "dave", "eve",
    "mallory", "trent", "peggy", "victor", "walter", "admin", "deploy",
    "backup", "www-data", "postgres", "jenkins", "svc.monitor",
    "first.last", "UPPERCASE", "Mixed.Case-1", "n0mb3r5", "user@realm",
    "o'brien", "nine_char", "exactly8", "ten_chars_", "averyveryverylongusername",
    "user_name_with_31_characters_xx",
};

static const struct hostaddr mu_hosts[] = {
    {"192.0.2.10", "192.0.2.10"},
    {"198.51.100.23", "198.51.100.23"},
    {"203.0.113.254", "203.0.113.254"},
    {"10.1.2.3", "10.1.2.3"},
    {"172.16.0.1", "172.16.0.1"},
    {"255.255.255.255", "255.255.255.255"},
    {"1.2.3.4", "1.2.3.4"},
    {"ws01.example.com", "192.0.2.44"},
    {"laptop", "192.168.1.20"},
    {"vpn-gw.corp.example.net", "198.51.100.7"},
    {"a-rather-long-hostname.build-farm.eu-west-1.example.org", "203.0.113.9"},
    {"h", "10.0.0.1"},
    {"localhost", "127.0.0.1"},
    {"tmux(4242).%0", NULL},
    {"", NULL},
};

#define MU_LINES 30 /* pts/0..pts/23, tty1..tty6 */
#define MU_LOGINS 120

static void mu_line_name(char *buf, size_t size, int i)
{
    if (i < 24)
        snprintf(buf, size, "pts/%d", i);
    else
        snprintf(buf, size, "tty%d", i - 23);
}

static unsigned long sc_many_users(const char *path, unsigned long unused)
{
    struct log l;
    struct {
        int active;
        int kind; /* 0 normal logout, 1 line reused w/o logout, 2 never closed */
        pid_t pid;
    } s[MU_LINES];
    uint32_t t = 1425168000u; /* 2015-03-01T00:00:00Z */
    pid_t pid = 1200;
    int logins = 0, i;
    char line[16];

    (void)unused;
    rng_seed(20150301u);
    memset(s, 0, sizeof(s));
    log_open(&l, path);
    for (;;) {
        int nfree = 0, nclosable = 0, pick;
        int32_t usec;
        for (i = 0; i < MU_LINES; i++) {
            if (!s[i].active)
                nfree++;
            else if (s[i].kind != 2)
                nclosable++;
        }
        if (logins >= MU_LOGINS && nclosable == 0)
            break;
        t += 1 + rndn(1800);
        usec = (int32_t)rndn(1000000);
        if (logins < MU_LOGINS && nfree > 0 &&
            (nclosable == 0 || rndn(100) < 55)) {
            const char *user = mu_users[rndn(NELEM(mu_users))];
            const struct hostaddr *h = &mu_hosts[rndn(NELEM(mu_hosts))];
            pick = (int)rndn((uint32_t)nfree);
            for (i = 0; i < MU_LINES; i++)
                if (!s[i].active && pick-- == 0)
                    break;
            mu_line_name(line, sizeof(line), i);
            pid += 1 + (pid_t)rndn(700);
            s[i].active = 1;
            s[i].pid = pid;
            s[i].kind = (logins % 12 == 11) ? 2 : (logins % 12 == 7) ? 1 : 0;
            if (i >= 24)
                W(&l, USER_PROCESS, pid, line, ID_AUTO, user, "", NULL, t, usec);
            else
                W(&l, USER_PROCESS, pid, line, ID_AUTO, user, h->host, h->addr,
                  t, usec);
            logins++;
        } else {
            pick = (int)rndn((uint32_t)nclosable);
            for (i = 0; i < MU_LINES; i++)
                if (s[i].active && s[i].kind != 2 && pick-- == 0)
                    break;
            mu_line_name(line, sizeof(line), i);
            s[i].active = 0;
            if (s[i].kind == 0) /* systemd-style logout: empty user/host */
                W(&l, DEAD_PROCESS, s[i].pid, line, ID_AUTO, "", "", NULL, t,
                  usec);
            /* kind 1: the line is simply reused later without a logout */
        }
    }
    return log_close(&l);
}

/* ------------------------------------------------------------------ */
/* scenario: ipv6                                                      */

static unsigned long sc_ipv6(const char *path, unsigned long unused)
{
    static const struct {
        const char *user, *line, *host, *addr;
    } v[] = {
        {"alice", "pts/0", "2001:db8::1", "2001:db8::1"},
        {"bob", "pts/1", "2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3::8a2e:370:7334"},
        {"carol", "pts/2", "fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a"},
        {"dave", "pts/3", "::1", "::1"},
        /* all 16 bytes non-zero */
        {"eve", "pts/4", "2a01:4f8:c17:1b2c:1111:2222:3333:4444",
         "2a01:4f8:c17:1b2c:1111:2222:3333:4444"},
        {"frank", "pts/5", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
         "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
        /* IPv4-mapped: word 2 is 0x0000ffff, so it is shown as IPv6 */
        {"grace", "pts/6", "::ffff:192.0.2.33", "::ffff:192.0.2.33"},
        /* only word 0 non-zero: util-linux prints it as IPv4 32.1.13.184 */
        {"heidi", "pts/7", "gw6.example.net", "2001:db8::"},
        /* IPv4-compatible (deprecated), only word 3 non-zero */
        {"ivan", "pts/8", "ipv4-compat.example", "::192.0.2.1"},
        /* all zero */
        {"judy", "pts/9", "unknown6", "::"},
        /* only word 1 non-zero */
        {"ken", "pts/10", "word1.example", "0:0:1::"},
        /* bracketed literal in host (utmpdump shows the brackets as ?) */
        {"leo", "pts/11", "[2001:db8::5]", "2001:db8::5"},
        {"mia", "pts/12", "fe80::1%eth0", "fe80::1"},
        {"nina", "pts/13", "2001:db8:1234:5678:9abc:def0:1234:5678",
         "2001:db8:1234:5678:9abc:def0:1234:5678"},
    };
    struct log l;
    uint32_t t = 1546300800u; /* 2019-01-01T00:00:00Z */
    size_t i;

    (void)unused;
    log_open(&l, path);
    for (i = 0; i < NELEM(v); i++) {
        t += 37;
        W(&l, USER_PROCESS, (pid_t)(31000 + i * 7), v[i].line, ID_AUTO,
          v[i].user, v[i].host, v[i].addr, t, (int32_t)(i * 70001 % 1000000));
    }
    /* logouts in a different order; leave pts/12 and pts/13 open */
    for (i = 0; i + 2 < NELEM(v); i++) {
        size_t k = (i * 5) % (NELEM(v) - 2); /* 5 is coprime with 12 */
        t += 611;
        W(&l, DEAD_PROCESS, (pid_t)(31000 + k * 7), v[k].line, ID_AUTO, "", "",
          NULL, t, (int32_t)(k * 13 % 1000000));
    }
    return log_close(&l);
}

/* ------------------------------------------------------------------ */
/* scenario: fullwidth                                                 */

static unsigned long sc_fullwidth(const char *path, unsigned long unused)
{
    static const char user32[] = "abcdefghijklmnopqrstuvwxyz012345";
    static const char line32[] = "pts/1234567890123456789012345678";
    static const char line32b[] = "pts/1234567890123456789012345679";
    static const char user31[] = "abcdefghijklmnopqrstuvwxyz01234";
    static const char line31[] = "pts/123456789012345678901234567";
    char host256[257], host255[256];
    struct log l;
    struct utmpx u;
    uint32_t t = 1577836800u; /* 2020-01-01T00:00:00Z */
    size_t i, n;

    (void)unused;
    /* "s000.s001.s002...." filled to exactly 256 bytes, ending in "END" */
    for (n = 0, i = 0; n < sizeof(host256) - 1; i++) {
        char seg[8];
        int k = snprintf(seg, sizeof(seg), "s%03u.", (unsigned)i);
        size_t m = (size_t)k;
        if (m > sizeof(host256) - 1 - n)
            m = sizeof(host256) - 1 - n;
        memcpy(host256 + n, seg, m);
        n += m;
    }
    memcpy(host256 + 253, "END", 3);
    host256[256] = '\0';
    memcpy(host255, host256, 255);
    memcpy(host255 + 252, "END", 3);
    host255[255] = '\0';

    log_open(&l, path);

    /* 1. every string field full, no NUL anywhere */
    mk(&u, USER_PROCESS, 40001, "", "", "", "", "192.0.2.200", t += 10, 111111);
    SETMEM(u.ut_user, user32, 32);
    SETMEM(u.ut_line, line32, 32);
    SETMEM(u.ut_id, "abcd", 4);
    SETMEM(u.ut_host, host256, 256);
    u.ut_session = 40001;
    log_put(&l, &u);

    /* 2. a second session whose 32-byte line differs only in the last byte */
    mk(&u, USER_PROCESS, 40002, "", "", "", "", "192.0.2.201", t += 10, 222222);
    SETMEM(u.ut_user, user32, 32);
    SETMEM(u.ut_line, line32b, 32);
    SETMEM(u.ut_id, "abce", 4);
    SETMEM(u.ut_host, host256, 256);
    log_put(&l, &u);

    /* 3. one byte short of full: 31/31/255/3 + NUL */
    W(&l, USER_PROCESS, 40003, line31, "xyz", user31, host255, "192.0.2.202",
      t += 10, 333333);

    /* 4. garbage after the terminating NUL in every string field */
    mk(&u, USER_PROCESS, 40004, "", "", "", "", "192.0.2.203", t += 10, 444444);
    SETMEM(u.ut_user, "bob\0garbage!", 12);
    SETMEM(u.ut_line, "pts/3\0junkjunk", 14);
    SETMEM(u.ut_id, "3\0xy", 4);
    SETMEM(u.ut_host, "h.example\0TRAILINGJUNK", 22);
    log_put(&l, &u);

    /* logouts: same 32-byte line and 4-byte id, empty user */
    mk(&u, DEAD_PROCESS, 40001, "", "", "", "", NULL, t += 100, 0);
    SETMEM(u.ut_line, line32, 32);
    SETMEM(u.ut_id, "abcd", 4);
    log_put(&l, &u);
    W(&l, DEAD_PROCESS, 40003, line31, "xyz", "", "", NULL, t += 100, 999999);
    /* logout for record 4 with clean fields (line "pts/3", id "3") */
    W(&l, DEAD_PROCESS, 40004, "pts/3", "3", "", "", NULL, t += 100, 1);
    /* record 2 (line32b) stays open */
    return log_close(&l);
}

/* ------------------------------------------------------------------ */
/* scenario: nonutf8                                                   */

static unsigned long sc_nonutf8(const char *path, unsigned long unused)
{
    static const struct {
        const char *user, *line, *id, *host, *addr;
    } v[] = {
        {"caf\xe9", "pts/0", "ts/0", "h\xf6st.example", "192.0.2.1"},
        {"\xc3\xa9l\xc3\xa8ve", "pts/1", "ts/1", "\xe2\x82\xac-server", "192.0.2.2"},
        {"\x80\x81\xfe\xff", "pts/2", "ts/2", "\x01\x02\x7f", "192.0.2.3"},
        {"tab\tuser", "pts/3", "ts/3", "cr\rlf\nhost", "192.0.2.4"},
        {"[root]", "pts/4", "ts/4", "[2001:db8::7]", "2001:db8::7"},
        {"a]b[c", "pts/5", "ts/5", "esc\x1b[0m", "192.0.2.6"},
        {"\x1b[31mred", "pts/6", "ts/6", "bell\x07", "192.0.2.7"},
        {"emoji\xf0\x9f\x98\x80", "pts/7", "ts/7", "\xff\xfe\xfd", "192.0.2.8"},
        {"sp ace", "tty[1]", "[1]", "under_score.example", NULL},
        {"ctl\x01\x1f", "pts/\x7f", "\x01\x02", "del\x7f" "end", "192.0.2.10"},
        {"latin1\xa0nbsp", "pts/9", "ts/9", "\xa9\xae\xb0", "192.0.2.11"},
    };
    struct log l;
    uint32_t t = 1609459200u; /* 2021-01-01T00:00:00Z */
    size_t i;

    (void)unused;
    log_open(&l, path);
    for (i = 0; i < NELEM(v); i++)
        W(&l, USER_PROCESS, (pid_t)(5000 + i), v[i].line, v[i].id, v[i].user,
          v[i].host, v[i].addr, t += 60, (int32_t)(i * 100));
    for (i = 0; i < NELEM(v); i += 2) /* close every other session */
        W(&l, DEAD_PROCESS, (pid_t)(5000 + i), v[i].line, v[i].id, "", "",
          NULL, t += 60, 0);
    return log_close(&l);
}

/* ------------------------------------------------------------------ */
/* scenario: reboots                                                   */

static unsigned long sc_reboots(const char *path, unsigned long unused)
{
    static const char k1[] = "5.10.0-20-amd64";
    static const char k2[] = "5.10.0-21-amd64";
    static const char k3[] = "6.1.0-9-amd64";
    struct log l;
    uint32_t t0 = 1612137600u; /* 2021-02-01T00:00:00Z */
    uint32_t t1, t2, t3, t4;

    (void)unused;
    log_open(&l, path);

    /* boot 1, clean systemd shutdown with sessions still open ("down") */
    W(&l, BOOT_TIME, 0, "~", "~~", "reboot", k1, NULL, t0, 123456);
    W(&l, RUN_LVL, runlvl('5', 0), "~", "~~", "runlevel", k1, NULL, t0 + 5, 2);
    W(&l, USER_PROCESS, 801, "tty1", ID_AUTO, "alice", "", NULL, t0 + 60, 3);
    W(&l, USER_PROCESS, 1502, "pts/0", ID_AUTO, "bob", "192.0.2.5", "192.0.2.5",
      t0 + 120, 4);
    W(&l, DEAD_PROCESS, 1502, "pts/0", ID_AUTO, "", "", NULL, t0 + 600, 5);
    W(&l, RUN_LVL, runlvl('3', '5'), "~", "~~", "runlevel", k1, NULL, t0 + 900, 6);
    W(&l, USER_PROCESS, 1650, "pts/1", ID_AUTO, "carol", "ws01.example.com",
      "192.0.2.44", t0 + 1000, 7);
    W(&l, RUN_LVL, 0, "~", "~~", "shutdown", k1, NULL, t0 + 2000, 8);

    /* boot 2, then a crash (boot without shutdown) with dave logged in */
    t1 = t0 + 2100;
    W(&l, BOOT_TIME, 0, "~", "~~", "reboot", k2, NULL, t1, 9);
    W(&l, RUN_LVL, runlvl('5', 0), "~", "~~", "runlevel", k2, NULL, t1 + 3, 10);
    W(&l, USER_PROCESS, 2001, "pts/0", ID_AUTO, "dave", "198.51.100.1",
      "198.51.100.1", t1 + 100, 11);
    W(&l, USER_PROCESS, 2002, "pts/1", ID_AUTO, "alice", "198.51.100.2",
      "198.51.100.2", t1 + 200, 12);
    W(&l, DEAD_PROCESS, 2002, "pts/1", ID_AUTO, "", "", NULL, t1 + 300, 13);

    /* boot 3 (crash of boot 2); sysvinit-style reboot via runlevel '6' */
    t2 = t1 + 5000;
    W(&l, BOOT_TIME, 0, "~", "~~", "reboot", k2, NULL, t2, 14);
    W(&l, RUN_LVL, runlvl('5', 0), "~", "~~", "runlevel", k2, NULL, t2 + 3, 15);
    W(&l, USER_PROCESS, 3001, "pts/0", ID_AUTO, "erin", "203.0.113.7",
      "203.0.113.7", t2 + 50, 16);
    W(&l, DEAD_PROCESS, 3001, "pts/0", ID_AUTO, "", "", NULL, t2 + 100, 17);
    W(&l, USER_PROCESS, 3002, "tty2", ID_AUTO, "frank", "", NULL, t2 + 200, 18);
    W(&l, USER_PROCESS, 3003, "pts/2", ID_AUTO, "grace", "203.0.113.8",
      "203.0.113.8", t2 + 250, 19);
    W(&l, RUN_LVL, runlvl('6', '5'), "~", "~~", "runlevel", k2, NULL, t2 + 400, 20);

    /* boot 4; a stale logout for grace arrives after the boot */
    t3 = t2 + 500;
    W(&l, BOOT_TIME, 0, "~", "~~", "reboot", k3, NULL, t3, 21);
    W(&l, RUN_LVL, runlvl('5', 0), "~", "~~", "runlevel", k3, NULL, t3 + 2, 22);
    W(&l, DEAD_PROCESS, 3003, "pts/2", ID_AUTO, "", "", NULL, t3 + 10, 23);
    W(&l, USER_PROCESS, 4001, "pts/0", ID_AUTO, "heidi", "192.0.2.9",
      "192.0.2.9", t3 + 60, 24);
    W(&l, USER_PROCESS, 4002, "tty1", ID_AUTO, "ivan", "", NULL, t3 + 70, 25);
    W(&l, RUN_LVL, runlvl('3', '5'), "~", "~~", "runlevel", k3, NULL, t3 + 80, 26);
    W(&l, RUN_LVL, runlvl('5', '3'), "~", "~~", "runlevel", k3, NULL, t3 + 90, 27);
    W(&l, DEAD_PROCESS, 4002, "tty1", ID_AUTO, "", "", NULL, t3 + 500, 28);
    /* sysvinit-style halt via runlevel '0', then boot 5 */
    W(&l, RUN_LVL, runlvl('0', '5'), "~", "~~", "runlevel", k3, NULL, t3 + 1000, 29);
    t4 = t3 + 86400;
    W(&l, BOOT_TIME, 0, "~", "~~", "reboot", k3, NULL, t4, 30);
    W(&l, RUN_LVL, runlvl('5', 0), "~", "~~", "runlevel", k3, NULL, t4 + 2, 31);
    W(&l, USER_PROCESS, 5001, "pts/0", ID_AUTO, "judy", "192.0.2.10",
      "192.0.2.10", t4 + 30, 32); /* never logs out */
    return log_close(&l);
}

/* ------------------------------------------------------------------ */
/* scenario: clock                                                     */

static unsigned long sc_clock(const char *path, unsigned long unused)
{
    struct log l;

    (void)unused;
    log_open(&l, path);
    /* the epoch itself */
    W(&l, USER_PROCESS, 101, "pts/0", ID_AUTO, "epoch", "192.0.2.1",
      "192.0.2.1", 0, 0);
    W(&l, DEAD_PROCESS, 101, "pts/0", ID_AUTO, "", "", NULL, 1, 1);
    /* a session spanning a forward clock step (OLD_TIME then NEW_TIME) */
    W(&l, USER_PROCESS, 102, "pts/1", ID_AUTO, "stepper", "192.0.2.2",
      "192.0.2.2", 999999000u, 500000);
    W(&l, OLD_TIME, 0, "|", "", "date", "", NULL, 1000000000u, 0);
    W(&l, NEW_TIME, 0, "{", "", "date", "", NULL, 1000003600u, 0);
    W(&l, DEAD_PROCESS, 102, "pts/1", ID_AUTO, "", "", NULL, 1000007200u, 999999);
    /* a backward clock step */
    W(&l, OLD_TIME, 0, "|", "", "date", "", NULL, 1500000000u, 250000);
    W(&l, NEW_TIME, 0, "{", "", "date", "", NULL, 1499990000u, 250001);
    /* out-of-range tv_usec (utmpdump prints it as 0) */
    W(&l, USER_PROCESS, 103, "pts/4", ID_AUTO, "badusec", "192.0.2.4",
      "192.0.2.4", 1600000000u, 1000000);
    W(&l, DEAD_PROCESS, 103, "pts/4", ID_AUTO, "", "", NULL, 1600000060u, 999999);
    /* the last second representable as int32, and the step across it */
    W(&l, USER_PROCESS, 104, "pts/1", ID_AUTO, "y2038", "192.0.2.3",
      "192.0.2.3", 2147483647u, 999999);
    W(&l, OLD_TIME, 0, "|", "", "date", "", NULL, 2147483000u, 0);
    W(&l, NEW_TIME, 0, "{", "", "date", "", NULL, 2147484000u, 0);
    W(&l, DEAD_PROCESS, 104, "pts/1", ID_AUTO, "", "", NULL, 2147483648u, 0);
    /* beyond 2038 (negative for int32 readers, fine for u32 readers) */
    W(&l, USER_PROCESS, 105, "pts/3", ID_AUTO, "y2065", "192.0.2.5",
      "192.0.2.5", 3000000000u, 123);
    W(&l, DEAD_PROCESS, 105, "pts/3", ID_AUTO, "", "", NULL, 3000003600u, 456);
    W(&l, USER_PROCESS, 106, "pts/2", ID_AUTO, "y2106", "192.0.2.6",
      "192.0.2.6", 4294967295u, 999999);
    W(&l, BOOT_TIME, 0, "~", "~~", "reboot", "9.9.9-future", NULL, 4294967295u, 0);
    return log_close(&l);
}

/* ------------------------------------------------------------------ */
/* scenario: types (one record of each ut_type 0..9)                   */

static unsigned long sc_types(const char *path, unsigned long unused)
{
    struct log l;
    struct utmpx u;
    uint32_t t = 1700000000u; /* 2023-11-14T22:13:20Z */

    (void)unused;
    log_open(&l, path);
    /* 0 EMPTY: an all-zero record, as found in unused utmp slots */
    memset(&u, 0, sizeof(u));
    log_put(&l, &u);
    W(&l, RUN_LVL, runlvl('3', 'N'), "~", "~~", "runlevel", "6.1.0-13-amd64",
      NULL, t += 60, 1);
    W(&l, BOOT_TIME, 0, "~", "~~", "reboot", "6.1.0-13-amd64", NULL, t += 60, 2);
    W(&l, NEW_TIME, 0, "{", "", "date", "", NULL, t += 60, 3);
    W(&l, OLD_TIME, 0, "|", "", "date", "", NULL, t += 60, 4);
    W(&l, INIT_PROCESS, 1234, "", "x1", "", "", NULL, t += 60, 5);
    W(&l, LOGIN_PROCESS, 2001, "tty2", ID_AUTO, "LOGIN", "", NULL, t += 60, 6);
    W(&l, USER_PROCESS, 2001, "tty2", ID_AUTO, "typist", "", NULL, t += 60, 7);
    mk(&u, DEAD_PROCESS, 2001, "tty2", ID_AUTO, "", "", NULL, t += 60, 8);
    u.ut_exit.e_termination = 0;
    u.ut_exit.e_exit = 1;
    log_put(&l, &u);
    W(&l, ACCOUNTING, 4321, "", "", "acct", "", NULL, t += 60, 9);
    return log_close(&l);
}

/* scenario: odd-types (values outside 0..9) */
static unsigned long sc_odd_types(const char *path, unsigned long unused)
{
    static const short types[] = {10, 254, 255, -1, 32767, -32768};
    struct log l;
    uint32_t t = 1700100000u;
    size_t i;
    char line[16], user[16];

    (void)unused;
    log_open(&l, path);
    for (i = 0; i < NELEM(types); i++) {
        snprintf(line, sizeof(line), "pts/%u", (unsigned)(20 + i));
        snprintf(user, sizeof(user), "odd%d", types[i]);
        W(&l, types[i], (pid_t)(6000 + i), line, ID_AUTO, user, "192.0.2.99",
          "192.0.2.99", t += 60, 0);
    }
    return log_close(&l);
}

/* ------------------------------------------------------------------ */
/* scenario: utmp-table (pututxline, slot reuse)                       */

static unsigned long sc_utmp_table(const char *path, unsigned long unused)
{
    static const char kern[] = "6.1.0-18-amd64";
    static const struct {
        const char *user, *host, *addr;
    } pts[10] = {
        {"alice", "192.0.2.10", "192.0.2.10"},
        {"bob", "ws01.example.com", "192.0.2.44"},
        {"carol", "2001:db8::c", "2001:db8::c"},
        {"dave", "198.51.100.4", "198.51.100.4"},
        {"eve", "", NULL},
        {"root", "10.0.0.5", "10.0.0.5"},
        {"www-data", "203.0.113.6", "203.0.113.6"},
        {"postgres", "localhost", "127.0.0.1"},
        {"averyveryverylongusername", "a-rather-long-hostname.example.org",
         "203.0.113.9"},
        {"trent", "::ffff:192.0.2.88", "::ffff:192.0.2.88"},
    };
    uint32_t t = 1704067200u; /* 2024-01-01T00:00:00Z */
    pid_t p = DEAD_PID_BASE;
    pid_t getty[7];
    char line[16];
    int i;

    (void)unused;
    tab_open(path);
    T(BOOT_TIME, 0, "~", "~~", "reboot", kern, NULL, t, 100001);
    T(RUN_LVL, runlvl('5', 0), "~", "~~", "runlevel", kern, NULL, t + 4, 100002);
    for (i = 1; i <= 6; i++) { /* agetty on tty1..tty6 */
        snprintf(line, sizeof(line), "tty%d", i);
        getty[i] = p++;
        T(LOGIN_PROCESS, getty[i], line, ID_AUTO, "LOGIN", "", NULL,
          t + 10 + (uint32_t)i, 200000 + i);
    }
    /* login(1) execs in the getty's process and takes over its slot */
    T(USER_PROCESS, getty[1], "tty1", ID_AUTO, "root", "", NULL, t + 100, 300001);
    T(USER_PROCESS, getty[2], "tty2", ID_AUTO, "alice", "", NULL, t + 110, 300002);
    for (i = 0; i < 10; i++) { /* sshd sessions on pts/0..pts/9 */
        snprintf(line, sizeof(line), "pts/%d", i);
        T(USER_PROCESS, p++, line, ID_AUTO, pts[i].user, pts[i].host,
          pts[i].addr, t + 200 + (uint32_t)i * 30, 400000 + i);
    }
    /* logouts overwrite the session's slot with DEAD_PROCESS */
    T(DEAD_PROCESS, DEAD_PID_BASE + 6 + 3, "pts/3", ID_AUTO, "", "", NULL,
      t + 1000, 500003);
    T(DEAD_PROCESS, DEAD_PID_BASE + 6 + 7, "pts/7", ID_AUTO, "", "", NULL,
      t + 1010, 500007);
    /* a new login reuses the dead pts/3 slot */
    T(USER_PROCESS, p++, "pts/3", ID_AUTO, "mallory", "198.51.100.66",
      "198.51.100.66", t + 1100, 600003);
    /* root logs out on tty1; getty respawns into the same slot */
    T(DEAD_PROCESS, getty[1], "tty1", ID_AUTO, "", "", NULL, t + 1200, 700001);
    T(LOGIN_PROCESS, p++, "tty1", ID_AUTO, "LOGIN", "", NULL, t + 1201, 700002);
    /* runlevel change: RUN_LVL slots are matched by type alone */
    T(RUN_LVL, runlvl('3', '5'), "~", "~~", "runlevel", kern, NULL, t + 1300,
      800001);
    /* X display session */
    T(USER_PROCESS, p++, ":0", ID_AUTO, "alice", ":0", NULL, t + 1400, 900001);
    /* empty ut_id: glibc matches the slot by ut_line instead */
    T(USER_PROCESS, p, "pts/20", "", "noid", "192.0.2.20", "192.0.2.20",
      t + 1500, 900002);
    T(DEAD_PROCESS, p, "pts/20", "", "", "", NULL, t + 1600, 900003);
    T(USER_PROCESS, p + 1, "pts/20", "", "noid2", "192.0.2.21", "192.0.2.21",
      t + 1700, 900004);
    return tab_close(path);
}

/* ------------------------------------------------------------------ */
/* scenario: btmp (failed logins)                                      */

static unsigned long sc_btmp(const char *path, unsigned long unused)
{
    static const struct {
        const char *user, *host, *addr;
    } v[] = {
        {"root", "203.0.113.5", "203.0.113.5"},
        {"root", "203.0.113.5", "203.0.113.5"},
        {"admin", "198.51.100.200", "198.51.100.200"},
        {"test", "198.51.100.200", "198.51.100.200"},
        {"oracle", "192.0.2.77", "192.0.2.77"},
        {"ubuntu", "2001:db8::bad", "2001:db8::bad"},
        {"pi", "2001:db8:ffff::1", "2001:db8:ffff::1"},
        {"support", "scanner.example.net", "192.0.2.78"},
        {"a-32-char-attempted-user-name-xx", "203.0.113.250", "203.0.113.250"},
        {"ftpuser", "::ffff:203.0.113.251", "::ffff:203.0.113.251"},
        {"guest", "192.0.2.1", "192.0.2.1"},
        {"root", "2001:db8::bad", "2001:db8::bad"},
    };
    struct log l;
    struct utmpx u;
    uint32_t t = 1656633600u; /* 2022-07-01T00:00:00Z */
    size_t i;

    (void)unused;
    log_open(&l, path);
    for (i = 0; i < NELEM(v); i++) {
        /* sshd record_failed_login: no ut_id, time() so tv_usec = 0 */
        mk(&u, LOGIN_PROCESS, (pid_t)(22000 + i * 3), "ssh:notty", "", "", v[i].host,
           v[i].addr, t += 17 + (uint32_t)i, 0);
        SETSTR(u.ut_user, v[i].user); /* 32-char name fills the field */
        log_put(&l, &u);
    }
    /* util-linux login(1) log_btmp: tty line and id, gettimeofday() */
    W(&l, LOGIN_PROCESS, 812, "tty1", ID_AUTO, "(unknown)", "", NULL, t += 90,
      654321);
    W(&l, LOGIN_PROCESS, 812, "tty1", ID_AUTO, "root", "", NULL, t += 5, 0);
    return log_close(&l);
}

/* ------------------------------------------------------------------ */
/* scenario: logwtmp (glibc logwtmp(), current time and pid)           */

static int write_text(const char *file, const char *text)
{
    int fd = open(file, O_WRONLY);
    ssize_t len = (ssize_t)strlen(text);
    if (fd < 0)
        return -1;
    if (write(fd, text, (size_t)len) != len) {
        close(fd);
        return -1;
    }
    return close(fd);
}

/* logwtmp() always writes _PATH_WTMP (/var/log/wtmp, or /var/log/wtmpx if
 * that exists).  To point it at OUTFILE without touching the real log, a
 * child process enters a private mount namespace (a user namespace too if
 * not privileged), mounts an empty tmpfs over /var/log, and bind-mounts
 * OUTFILE onto /var/log/wtmp.  Nothing is written unless the bind mount is
 * verified to be OUTFILE. */
static int logwtmp_child(const char *out)
{
    char dir[sizeof(_PATH_WTMP)], src[64], *slash;
    struct stat want, got;
    uid_t uid = getuid();
    gid_t gid = getgid();
    int fd, tfd;

    fd = open(out, O_RDWR);
    if (fd < 0 || fstat(fd, &want) != 0) {
        perror("utmpgen: logwtmp: open output");
        return 1;
    }
    if (unshare(CLONE_NEWNS) != 0) {
        char map[64];
        if (errno != EPERM || unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
            perror("utmpgen: logwtmp: unshare");
            return 1;
        }
        if (write_text("/proc/self/setgroups", "deny") != 0 && errno != ENOENT) {
            perror("utmpgen: logwtmp: setgroups");
            return 1;
        }
        snprintf(map, sizeof(map), "0 %lu 1\n", (unsigned long)uid);
        if (write_text("/proc/self/uid_map", map) != 0) {
            perror("utmpgen: logwtmp: uid_map");
            return 1;
        }
        snprintf(map, sizeof(map), "0 %lu 1\n", (unsigned long)gid);
        if (write_text("/proc/self/gid_map", map) != 0) {
            perror("utmpgen: logwtmp: gid_map");
            return 1;
        }
    }
    if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0) {
        perror("utmpgen: logwtmp: make / private");
        return 1;
    }
    /* reopen inside the new namespace: a bind mount source must belong to
     * this namespace's mounts (the old fd gives EINVAL) */
    close(fd);
    fd = open(out, O_RDWR);
    if (fd < 0 || fstat(fd, &got) != 0 || got.st_dev != want.st_dev ||
        got.st_ino != want.st_ino) {
        fprintf(stderr, "utmpgen: logwtmp: cannot reopen %s\n", out);
        return 1;
    }
    memcpy(dir, _PATH_WTMP, sizeof(dir));
    slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir) {
        fprintf(stderr, "utmpgen: logwtmp: odd _PATH_WTMP %s\n", _PATH_WTMP);
        return 1;
    }
    *slash = '\0';
    if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) {
        perror("utmpgen: logwtmp: mount tmpfs");
        return 1;
    }
    tfd = open(_PATH_WTMP, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (tfd < 0 || close(tfd) != 0) {
        perror("utmpgen: logwtmp: create mount point");
        return 1;
    }
    snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
    if (mount(src, _PATH_WTMP, "none", MS_BIND, NULL) != 0) {
        perror("utmpgen: logwtmp: bind mount");
        return 1;
    }
    if (stat(_PATH_WTMP, &got) != 0 || got.st_dev != want.st_dev ||
        got.st_ino != want.st_ino || access(_PATH_WTMP "x", F_OK) == 0) {
        fprintf(stderr, "utmpgen: logwtmp: redirection not verified\n");
        return 1;
    }

    logwtmp("pts/7", "alice", "192.0.2.7");
    logwtmp("tty3", "bob", "");
    logwtmp("pts/7", "", "");
    logwtmp("pts/8", "a-user-name-that-is-much-longer-than-32-bytes",
            "host.example");
    logwtmp("~", "shutdown", "6.1.0-logwtmp");
    logwtmp("~", "reboot", "6.1.0-logwtmp");
    logwtmp("tty3", "", "");
    close(fd);
    return 0;
}

#define LOGWTMP_RECORDS 7

static unsigned long sc_logwtmp(const char *path, unsigned long unused)
{
    pid_t pid;
    int status;
    off_t sz;

    (void)unused;
    create_empty(path);
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        die_errno("fork", NULL);
    if (pid == 0)
        _exit(logwtmp_child(path));
    if (waitpid(pid, &status, 0) != pid)
        die_errno("waitpid", NULL);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return (unsigned long)-1;
    sz = file_size(path);
    if (sz != (off_t)(LOGWTMP_RECORDS * sizeof(struct utmpx)))
        die("%s: size %lld, expected %d records", path, (long long)sz,
            LOGWTMP_RECORDS);
    return LOGWTMP_RECORDS;
}

/* ------------------------------------------------------------------ */
/* scenario: big (bulk write() of struct utmpx)                        */

#define BIG_LINES 64 /* pts/0..pts/59, tty1..tty4 */
#define BIG_BUF 4096 /* records per write() */

static const char *const big_users[] = {
    "root", "alice", "bob", "carol", "dave", "eve", "frank", "grace",
    "heidi", "ivan", "judy", "mallory", "oscar", "peggy", "trent",
    "victor", "walter", "admin", "deploy", "backup", "jenkins", "ansible",
    "postgres", "www-data", "svc.monitor", "first.last", "a", "bo",
    "averyveryverylongusername", "user_name_with_31_characters_xx",
};

static const char *const big_kernels[] = {
    "3.16.0-4-amd64", "4.9.0-8-amd64", "4.19.0-16-amd64", "5.10.0-21-amd64",
    "6.1.0-18-amd64",
};

struct bigw {
    int fd;
    const char *path;
    struct utmpx *buf;
    size_t n;
};

static void big_flush(struct bigw *b)
{
    const char *p = (const char *)b->buf;
    size_t left = b->n * sizeof(struct utmpx);
    while (left > 0) {
        ssize_t w = write(b->fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            die_errno("write", b->path);
        }
        p += w;
        left -= (size_t)w;
    }
    b->n = 0;
}

static struct utmpx *big_slot(struct bigw *b)
{
    if (b->n == BIG_BUF)
        big_flush(b);
    return &b->buf[b->n++];
}

static void big_line(char *buf, size_t size, int i)
{
    if (i < 60)
        snprintf(buf, size, "pts/%d", i);
    else
        snprintf(buf, size, "tty%d", i - 59);
}

static unsigned long sc_big(const char *path, unsigned long n)
{
    struct bigw b;
    struct {
        int active;
        pid_t pid;
    } s[BIG_LINES];
    uint32_t t = 1420070400u; /* 2015-01-01T00:00:00Z */
    uint32_t since_boot = 0;
    pid_t pid = 1000;
    int nactive = 0, kern = 0, pending_boot = 0;
    unsigned long i;
    char line[16], host[16], addr[16];

    rng_seed(0x0b16b00bu);
    memset(s, 0, sizeof(s));
    b.path = path;
    b.n = 0;
    b.buf = calloc(BIG_BUF, sizeof(struct utmpx));
    if (b.buf == NULL)
        die("out of memory");
    b.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (b.fd < 0)
        die_errno("cannot create", path);

    for (i = 0; i < n; i++) {
        struct utmpx *u = big_slot(&b);
        int32_t usec;
        int k;

        t += 1 + rndn(5);
        usec = (int32_t)rndn(1000000);
        since_boot++;
        if (i == 0 || pending_boot) {
            mk(u, BOOT_TIME, 0, "~", "~~", "reboot", big_kernels[kern], NULL, t,
               usec);
            pending_boot = 0;
            since_boot = 0;
        } else if (since_boot > 2000 && rndn(2000) == 0) {
            /* clean shutdown; open sessions end "down" (no DEAD records) */
            mk(u, RUN_LVL, 0, "~", "~~", "shutdown", big_kernels[kern], NULL, t,
               usec);
            if (rndn(4) == 0 && kern + 1 < (int)NELEM(big_kernels))
                kern++;
            memset(s, 0, sizeof(s));
            nactive = 0;
            pending_boot = 1;
        } else if (nactive == 0 ||
                   (nactive < BIG_LINES * 3 / 4 && rndn(2) == 0)) {
            int pick = (int)rndn((uint32_t)(BIG_LINES - nactive));
            for (k = 0; k < BIG_LINES; k++)
                if (!s[k].active && pick-- == 0)
                    break;
            pid += 1 + (pid_t)rndn(300);
            if (pid > 4000000)
                pid = 1000 + (pid_t)rndn(1000);
            s[k].active = 1;
            s[k].pid = pid;
            nactive++;
            big_line(line, sizeof(line), k);
            if (k >= 60) {
                mk(u, USER_PROCESS, pid, line, ID_AUTO,
                   big_users[rndn(NELEM(big_users))], "", NULL, t, usec);
            } else {
                uint32_t a = rnd();
                snprintf(addr, sizeof(addr), "10.%u.%u.%u", (a >> 16) & 0xff,
                         (a >> 8) & 0xff, 1 + (a & 0x7f));
                memcpy(host, addr, sizeof(host));
                mk(u, USER_PROCESS, pid, line, ID_AUTO,
                   big_users[rndn(NELEM(big_users))], host, addr, t, usec);
            }
        } else {
            int pick = (int)rndn((uint32_t)nactive);
            for (k = 0; k < BIG_LINES; k++)
                if (s[k].active && pick-- == 0)
                    break;
            s[k].active = 0;
            nactive--;
            big_line(line, sizeof(line), k);
            mk(u, DEAD_PROCESS, s[k].pid, line, ID_AUTO, "", "", NULL, t, usec);
        }
    }
    big_flush(&b);
    if (close(b.fd) != 0)
        die_errno("close", path);
    free(b.buf);
    if (file_size(path) != (off_t)(n * sizeof(struct utmpx)))
        die("%s: unexpected size", path);
    return n;
}

/* ------------------------------------------------------------------ */
/* driver                                                              */

struct scenario {
    const char *name;
    const char *ext;
    unsigned long (*fn)(const char *path, unsigned long n);
};

static const struct scenario scenarios[] = {
    {"many-users", "wtmp", sc_many_users},
    {"ipv6", "wtmp", sc_ipv6},
    {"fullwidth", "wtmp", sc_fullwidth},
    {"nonutf8", "wtmp", sc_nonutf8},
    {"reboots", "wtmp", sc_reboots},
    {"clock", "wtmp", sc_clock},
    {"types", "wtmp", sc_types},
    {"odd-types", "wtmp", sc_odd_types},
    {"utmp-table", "utmp", sc_utmp_table},
    {"btmp", "wtmp", sc_btmp},
    {"big", "wtmp", sc_big},
    {"logwtmp", "wtmp", sc_logwtmp},
};

static void usage(FILE *f)
{
    size_t i;
    fprintf(f,
            "usage: utmpgen SCENARIO OUTFILE\n"
            "       utmpgen big OUTFILE [N]   (default N=%lu)\n"
            "       utmpgen all OUTDIR        (OUTDIR/<scenario>.wtmp|.utmp)\n"
            "       utmpgen list              (scenario file names)\n"
            "       utmpgen recsize           (sizeof(struct utmpx))\n"
            "scenarios:",
            BIG_DEFAULT_N);
    for (i = 0; i < NELEM(scenarios); i++)
        fprintf(f, " %s", scenarios[i].name);
    fputc('\n', f);
}

static const struct scenario *find(const char *name)
{
    size_t i;
    for (i = 0; i < NELEM(scenarios); i++)
        if (strcmp(scenarios[i].name, name) == 0)
            return &scenarios[i];
    return NULL;
}

static int run(const struct scenario *sc, const char *path, unsigned long n)
{
    unsigned long count = sc->fn(path, n);
    if (count == (unsigned long)-1) {
        fprintf(stderr, "utmpgen: %s: FAILED (see above); %s left empty\n",
                sc->name, path);
        return 1;
    }
    printf("%-12s %8lu records  %s\n", sc->name, count, path);
    return 0;
}

int main(int argc, char **argv)
{
    const struct scenario *sc;
    unsigned long n = BIG_DEFAULT_N;

    if (argc == 2 && strcmp(argv[1], "recsize") == 0) {
        printf("%zu\n", sizeof(struct utmpx));
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        size_t i;
        for (i = 0; i < NELEM(scenarios); i++)
            printf("%s.%s\n", scenarios[i].name, scenarios[i].ext);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "all") == 0) {
        size_t i;
        int rc = 0;
        if (mkdir(argv[2], 0755) != 0 && errno != EEXIST)
            die_errno("mkdir", argv[2]);
        for (i = 0; i < NELEM(scenarios); i++) {
            char path[4096];
            int k = snprintf(path, sizeof(path), "%s/%s.%s", argv[2],
                             scenarios[i].name, scenarios[i].ext);
            if (k < 0 || (size_t)k >= sizeof(path))
                die("path too long");
            rc |= run(&scenarios[i], path, n);
            fflush(stdout);
        }
        return rc;
    }
    if ((argc == 3 || argc == 4) && (sc = find(argv[1])) != NULL) {
        if (argc == 4) {
            char *end;
            if (strcmp(sc->name, "big") != 0) {
                usage(stderr);
                return 2;
            }
            errno = 0;
            n = strtoul(argv[3], &end, 10);
            if (errno || *end || end == argv[3])
                die("bad record count %s", argv[3]);
        }
        return run(sc, argv[2], n);
    }
    usage((argc == 2 && (strcmp(argv[1], "-h") == 0 ||
                         strcmp(argv[1], "--help") == 0))
              ? stdout
              : stderr);
    return 2;
}
