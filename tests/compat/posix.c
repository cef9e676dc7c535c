/*
 * posix.c - a program over the POSIX utmpx API only (<utx/utmpx.h>, which is
 * the system's <utmpx.h> plus the same prototypes).  ci/test.sh's `compat`
 * step builds it twice, against glibc and against libutx-compat, runs both
 * on the same glibc-written files and compares their output and the files
 * they write.
 *
 *   posix read FILE [FILE2]  every getutxent record, then getutxid and
 *                            getutxline lookups of each, cursor mixes, and
 *                            a utmpxname switch to FILE2
 *   posix write UTMP WTMP    a pututxline script on UTMP (slot reuse, by id,
 *                            by line, by type, cursor positions), updwtmpx
 *                            on WTMP, getutmp/getutmpx
 *   posix libutil LINE       login, logout, logwtmp (they write the fixed
 *                            paths /var/run/utmp and /var/log/wtmp)
 *   posix threads FILE N     N threads walk FILE each with its own cursor;
 *                            exit 1 unless each sees every record
 *                            (libutx-compat only: glibc's cursor is shared)
 */
#include <utx/utmpx.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utmp.h>

#define MAX_RECORDS 4096

static void put_str(const char *name, const char *s, size_t n)
{
    size_t i;
    printf(" %s=\"", name);
    for (i = 0; i < n && s[i] != '\0'; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void show(const char *what, const struct utmpx *u)
{
    printf("%s:", what);
    if (u == NULL) {
        printf(" NULL errno=%s\n", errno == 0 ? "unchanged" : errno == ESRCH ? "ESRCH"
                                    : errno == EINVAL ? "EINVAL" : "other");
        return;
    }
    printf(" type=%d pid=%ld", (int)u->ut_type, (long)u->ut_pid);
    put_str("line", u->ut_line, sizeof u->ut_line);
    put_str("id", u->ut_id, sizeof u->ut_id);
    put_str("user", u->ut_user, sizeof u->ut_user);
    put_str("host", u->ut_host, sizeof u->ut_host);
    printf(" exit=%d/%d session=%ld tv=%ld.%06ld addr=%lx:%lx:%lx:%lx\n",
           (int)u->ut_exit.e_termination, (int)u->ut_exit.e_exit,
           (long)u->ut_session, (long)u->ut_tv.tv_sec, (long)u->ut_tv.tv_usec,
           (unsigned long)(unsigned)u->ut_addr_v6[0],
           (unsigned long)(unsigned)u->ut_addr_v6[1],
           (unsigned long)(unsigned)u->ut_addr_v6[2],
           (unsigned long)(unsigned)u->ut_addr_v6[3]);
}

static struct utmpx records[MAX_RECORDS];

static int read_all(void)
{
    struct utmpx *u;
    int n = 0;
    setutxent();
    while ((u = getutxent()) != NULL) {
        show("ent", u);
        if (n < MAX_RECORDS)
            records[n++] = *u;
    }
    return n;
}

static int do_read(const char *file, const char *file2)
{
    int n, i;
    struct utmpx probe;
    char what[64];

    if (utmpxname(file) != 0) {
        printf("utmpxname failed\n");
        return 1;
    }
    errno = 0;
    n = read_all();
    printf("records: %d errno=%s\n", n, errno == 0 ? "unchanged" : "set");
    errno = 0;
    show("after-end", getutxent());
    show("after-end-again", getutxent());
    for (i = 0; i < n; i++) {
        sprintf(what, "id[%d]", i);
        setutxent();
        errno = 0;
        show(what, getutxid(&records[i]));
        sprintf(what, "id[%d]-next", i);
        errno = 0;
        show(what, getutxid(&records[i]));
        sprintf(what, "line[%d]", i);
        setutxent();
        errno = 0;
        show(what, getutxline(&records[i]));
        sprintf(what, "line[%d]-next", i);
        errno = 0;
        show(what, getutxline(&records[i]));
    }
    /* Lookups by type alone, from a fresh cursor. */
    for (i = 0; i <= 9; i++) {
        memset(&probe, 0, sizeof probe);
        probe.ut_type = (short)i;
        setutxent();
        errno = 0;
        sprintf(what, "type[%d]", i);
        show(what, getutxid(&probe));
    }
    /* The cursor: a lookup continues after the records already read; a
     * lookup of something behind it fails; endutxent rewinds. */
    if (n >= 3) {
        setutxent();
        show("cursor-1", getutxent());
        show("cursor-2", getutxent());
        errno = 0;
        show("cursor-line-of-1", getutxline(&records[0]));
        errno = 0;
        show("cursor-id-of-1", getutxid(&records[0]));
        endutxent();
        show("after-endutxent", getutxent());
        show("after-endutxent-2", getutxent());
        setutxent();
    }
    if (file2 != NULL) {
        setutxent();
        show("before-switch", getutxent());
        if (utmpxname(file2) != 0) {
            printf("utmpxname 2 failed\n");
            return 1;
        }
        show("switched-1", getutxent());
        show("switched-2", getutxent());
        printf("file2-records: %d\n", read_all());
    }
    endutxent();
    return 0;
}

static struct utmpx rec(short type, const char *line, const char *id,
                        const char *user, long sec)
{
    struct utmpx u;
    memset(&u, 0, sizeof u);
    u.ut_type = type;
    u.ut_pid = (pid_t)(4194305 + sec % 1000);
    strncpy(u.ut_line, line, sizeof u.ut_line);
    strncpy(u.ut_id, id, sizeof u.ut_id);
    strncpy(u.ut_user, user, sizeof u.ut_user);
    if (*user)
        strncpy(u.ut_host, "host.example", sizeof u.ut_host);
    u.ut_tv.tv_sec = (int)(1700000000 + sec);
    u.ut_tv.tv_usec = (int)(sec * 7 % 1000000);
    u.ut_session = (int)sec;
    u.ut_addr_v6[0] = (int)(0x0a000000 + sec);
    return u;
}

static void put(const char *what, struct utmpx u)
{
    struct utmpx *r = pututxline(&u);
    if (r == NULL)
        printf("%s: pututxline NULL\n", what);
    else
        show(what, r);
}

static int do_write(const char *utmp, const char *wtmp)
{
    struct utmpx u, back;
    struct utmp plain;
    struct utmpx *p;

    if (utmpxname(utmp) != 0)
        return 1;
    setutxent();
    put("boot", rec(BOOT_TIME, "~", "~~", "reboot", 1));
    put("runlvl", rec(RUN_LVL, "~", "~~", "runlevel", 2));
    put("runlvl-again", rec(RUN_LVL, "~", "~~", "runlevel", 3));
    put("init-tty1", rec(INIT_PROCESS, "tty1", "1", "", 4));
    put("login-tty1", rec(LOGIN_PROCESS, "tty1", "1", "LOGIN", 5));
    put("init-tty2", rec(INIT_PROCESS, "tty2", "2", "", 6));
    /* No setutxent: glibc's slot search starts at its cursor. */
    put("user-tty1", rec(USER_PROCESS, "tty1", "1", "alice", 7));
    setutxent();
    put("user-tty1-reset", rec(USER_PROCESS, "tty1", "1", "alice", 8));
    put("user-pts0", rec(USER_PROCESS, "pts/0", "ts/0", "bob", 9));
    put("dead-pts0", rec(DEAD_PROCESS, "pts/0", "ts/0", "", 10));
    setutxent();
    put("user-pts0-reuse", rec(USER_PROCESS, "pts/0", "ts/0", "carol", 11));
    put("noid-tty3", rec(USER_PROCESS, "tty3", "", "dave", 12));
    setutxent();
    put("noid-tty3-dead", rec(DEAD_PROCESS, "tty3", "", "", 13));
    put("newtime", rec(NEW_TIME, "", "", "", 14));
    put("oldtime", rec(OLD_TIME, "", "", "", 15));
    setutxent();
    put("newtime-again", rec(NEW_TIME, "", "", "", 16));
    put("accounting", rec(ACCOUNTING, "acct", "ac", "x", 17));
    /* Read a record, change it, put it back (the usual logout path). */
    setutxent();
    memset(&u, 0, sizeof u);
    strncpy(u.ut_line, "pts/0", sizeof u.ut_line);
    p = getutxline(&u);
    show("found-pts0", p);
    if (p != NULL) {
        p->ut_type = DEAD_PROCESS;
        memset(p->ut_user, 0, sizeof p->ut_user);
        p->ut_tv.tv_sec += 60;
        put("pts0-logout", *p);
    }
    put("after-logout-append", rec(USER_PROCESS, "pts/1", "ts/1", "erin", 18));
    /* The file as a reader sees it afterwards. */
    printf("records: %d\n", read_all());
    endutxent();

    u = rec(USER_PROCESS, "pts/5", "ts/5", "frank", 20);
    updwtmpx(wtmp, &u);
    u = rec(DEAD_PROCESS, "pts/5", "ts/5", "", 21);
    updwtmpx(wtmp, &u);
    u = rec(BOOT_TIME, "~", "~~", "reboot", 22);
    updwtmpx(wtmp, &u);

    /* getutmp copies some fields; getutmpx zeroes, then copies them. */
    u = rec(USER_PROCESS, "pts/9", "ts/9", "grace", 23);
    memset(&plain, 0x5a, sizeof plain);
    getutmp(&u, &plain);
    memset(&back, 0x33, sizeof back);
    getutmpx(&plain, &back);
    show("getutmpx", &back);
    printf("getutmp-session=%ld exit=%d\n", (long)plain.ut_session, (int)plain.ut_exit.e_exit);
    return 0;
}

static int do_libutil(const char *line)
{
    struct utmp u;
    memset(&u, 0, sizeof u);
    strncpy(u.ut_line, line, sizeof u.ut_line);
    strncpy(u.ut_id, "ib", sizeof u.ut_id);
    strncpy(u.ut_user, "henry", sizeof u.ut_user);
    strncpy(u.ut_host, "libutil.example", sizeof u.ut_host);
    u.ut_type = LOGIN_PROCESS;
    u.ut_tv.tv_sec = 1700000100;
    login(&u);
    logwtmp(line, "henry", "libutil.example");
    printf("logout=%d\n", logout(line));
    printf("logout-again=%d\n", logout(line));
    printf("logout-none=%d\n", logout("nosuchline"));
    logwtmp(line, "", "");
    return 0;
}

struct walk {
    int count;
    unsigned long sum;
};

static void *walk(void *arg)
{
    struct walk *w = arg;
    struct utmpx *u;
    int round;
    for (round = 0; round < 5; round++) {
        int count = 0;
        unsigned long sum = 0;
        setutxent();
        while ((u = getutxent()) != NULL) {
            count++;
            sum = sum * 31 + (unsigned long)u->ut_tv.tv_sec + (unsigned char)u->ut_line[0];
        }
        endutxent();
        if (round > 0 && (count != w->count || sum != w->sum)) {
            w->count = -1;
            return NULL;
        }
        w->count = count;
        w->sum = sum;
    }
    return NULL;
}

static int do_threads(const char *file, int n)
{
    pthread_t t[64];
    struct walk w[64], main_walk;
    int i, bad = 0;
    if (n < 1 || n > 64 || utmpxname(file) != 0)
        return 2;
    memset(w, 0, sizeof w);
    memset(&main_walk, 0, sizeof main_walk);
    walk(&main_walk);
    for (i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, walk, &w[i]) != 0)
            return 2;
    for (i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < n; i++) {
        if (w[i].count != main_walk.count || w[i].sum != main_walk.sum) {
            printf("thread %d: %d records, want %d\n", i, w[i].count, main_walk.count);
            bad = 1;
        }
    }
    printf("%d threads x 5 walks: %d records each%s\n", n, main_walk.count, bad ? " (MISMATCH)" : "");
    return bad || main_walk.count == 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "read") == 0)
        return do_read(argv[2], argc > 3 ? argv[3] : NULL);
    if (argc == 4 && strcmp(argv[1], "write") == 0)
        return do_write(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "libutil") == 0)
        return do_libutil(argv[2]);
    if (argc == 4 && strcmp(argv[1], "threads") == 0)
        return do_threads(argv[2], atoi(argv[3]));
    fprintf(stderr, "usage: posix read FILE [FILE2] | write UTMP WTMP | libutil LINE | threads FILE N\n");
    return 2;
}
