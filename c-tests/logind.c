/*
 * logind state, default sources and change notification through the C API
 * only (utx.h): a logind tree under a temporary root, ut_logind_list,
 * ut_reader_open_db_at + ut_reader_source, "not running" vs "no sessions",
 * UT_OPEN_ALL_SESSIONS, and a monitor whose fd becomes readable when a
 * session file and the utmp file change (poll with a bound, not a timing
 * assertion).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utx.h"

static int failures;

#include "check.h"

static char root[256];

static void path_of(char *out, size_t n, const char *rel)
{
    snprintf(out, n, "%s/%s", root, rel);
}

static void mkdir_rel(const char *rel)
{
    char p[512];
    path_of(p, sizeof p, rel);
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
        perror(p);
        exit(2);
    }
}

static void write_rel(const char *rel, const char *text)
{
    char p[512];
    FILE *f;
    path_of(p, sizeof p, rel);
    f = fopen(p, "w");
    if (f == NULL) {
        perror(p);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static void remove_rel(const char *rel)
{
    char p[512];
    path_of(p, sizeof p, rel);
    (void)remove(p);
}

static int readable(int fd, int timeout_ms)
{
    struct pollfd p;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

static void test_not_running_then_empty(void)
{
    ut_reader *r = NULL;
    ut_strlist *l = NULL;
    char err[256] = "";
    ut_status st;
    const ut_entry *e;

    st = ut_reader_open_db_at(root, UT_DB_UTMP, 0, &r, err, sizeof err);
    CHECK_COND(st == UT_ERR_NOT_FOUND);
    CHECK_COND(r == NULL);
    CHECK_COND(strstr(err, "logind is not running") != NULL);

    st = ut_logind_list(root, UT_LOGIND_SESSIONS, &l, err, sizeof err);
    CHECK_COND(st == UT_ERR_NOT_FOUND);
    CHECK_COND(strstr(err, "logind is not running") != NULL);

    /* logind runs, nobody is logged in: an empty reader, not an error. */
    mkdir_rel("run");
    mkdir_rel("run/systemd");
    mkdir_rel("run/systemd/seats");
    mkdir_rel("run/systemd/sessions");
    st = ut_reader_open_db_at(root, UT_DB_UTMP, 0, &r, err, sizeof err);
    CHECK_COND(st == UT_OK);
    if (st == UT_OK) {
        CHECK_COND(ut_reader_next(r, &e) == UT_END);
        ut_reader_close(r);
    }
}

static void test_sessions_and_lists(void)
{
    ut_reader *r = NULL;
    ut_strlist *l = NULL;
    char err[256] = "", want[512];
    const char *src = NULL, *item = NULL;
    const ut_entry *e;
    size_t n = 0;
    int count = 0;

    write_rel("run/systemd/seats/seat0",
              "# This is private data. Do not parse.\nIS_SEAT0=1\n");
    mkdir_rel("run/systemd/users");
    write_rel("run/systemd/users/1000", "NAME=alice\nSTATE=active\n");
    write_rel("run/systemd/sessions/4",
              "# This is private data. Do not parse.\nUID=1000\nUSER=alice\n"
              "ACTIVE=1\nSTATE=active\nREMOTE=1\nCLASS=user\n"
              "TTY=/dev/pts/4\nREMOTE_HOST=\"198.51.100.2\"\nSERVICE=sshd\n"
              "LEADER=777\nREALTIME=1700000000500000\n");
    write_rel("run/systemd/sessions/c2",
              "UID=1000\nUSER=alice\nSTATE=online\nCLASS=manager\n");

    CHECK_COND(ut_logind_list(root, UT_LOGIND_SEATS, &l, err, sizeof err) == UT_OK);
    CHECK_COND(ut_strlist_count(l, &n) == UT_OK && n == 1);
    CHECK_COND(ut_strlist_get(l, 0, &item) == UT_OK && strcmp(item, "seat0") == 0);
    CHECK_COND(ut_strlist_get(l, 1, &item) == UT_ERR_INVALID);
    ut_strlist_close(l);
    CHECK_COND(ut_logind_list(root, UT_LOGIND_USERS, &l, err, sizeof err) == UT_OK);
    CHECK_COND(ut_strlist_count(l, &n) == UT_OK && n == 1);
    CHECK_COND(ut_strlist_get(l, 0, &item) == UT_OK && strcmp(item, "1000") == 0);
    ut_strlist_close(l);
    CHECK_COND(ut_logind_list(root, UT_LOGIND_SESSIONS, &l, err, sizeof err) == UT_OK);
    CHECK_COND(ut_strlist_count(l, &n) == UT_OK && n == 2);
    ut_strlist_close(l);
    CHECK_COND(ut_logind_list(root, UT_LOGIND_MACHINES, &l, err, sizeof err) == UT_OK);
    CHECK_COND(ut_strlist_count(l, &n) == UT_OK && n == 0);
    ut_strlist_close(l);
    CHECK_COND(ut_logind_list(root, UT_LOGIND_SEATS | UT_LOGIND_USERS, &l, err,
                         sizeof err) == UT_ERR_INVALID);
    CHECK_COND(ut_logind_list(root, UT_LOGIND_SEATS, NULL, err, sizeof err) == UT_ERR_NULL);
    ut_strlist_close(NULL);

    CHECK_COND(ut_reader_open_db_at(root, UT_DB_UTMP, 0, &r, err, sizeof err) == UT_OK);
    CHECK_COND(ut_reader_source(r, &src) == UT_OK);
    snprintf(want, sizeof want, "logind:%s/run/systemd", root);
    CHECK_COND(strcmp(src, want) == 0);
    while (ut_reader_next(r, &e) == UT_OK) {
        count++;
        CHECK_COND(e->entry_type == UT_TYPE_USER_PROCESS);
        CHECK_COND(strcmp(e->user, "alice") == 0);
        CHECK_COND(strcmp(e->line, "pts/4") == 0);
        CHECK_COND(strcmp(e->host, "198.51.100.2") == 0);
        CHECK_COND(strcmp(e->service, "sshd") == 0);
        CHECK_COND(strcmp(e->id, "4") == 0);
        CHECK_COND(e->session == 4 && e->pid == 777 && e->uid == 1000);
        CHECK_COND(e->sec == 1700000000 && e->usec == 500000);
        CHECK_COND(e->format == UT_FORMAT_LOGIND);
    }
    CHECK_COND(count == 1); /* the manager session c2 is not a login */
    ut_reader_close(r);

    count = 0;
    CHECK_COND(ut_reader_open_db_at(root, UT_DB_UTMP, UT_OPEN_ALL_SESSIONS, &r, err,
                               sizeof err) == UT_OK);
    while (ut_reader_next(r, &e) == UT_OK)
        count++;
    CHECK_COND(count == 2);
    ut_reader_close(r);

    CHECK_COND(ut_reader_open_db_at(root, UT_DB_UTMP, 0x80, &r, err, sizeof err) == UT_ERR_INVALID);
    CHECK_COND(ut_reader_open_db_at(root, UT_DB_BTMP, 0, &r, err, sizeof err) == UT_ERR_UNSUPPORTED);
    CHECK_COND(strstr(err, "btmp does not exist and has no successor") != NULL);
    CHECK_COND(ut_reader_source(NULL, &src) == UT_ERR_NULL);
}

static void test_monitor(void)
{
    ut_monitor *m = NULL;
    char err[256] = "";
    const char *text = NULL;
    int fd = -1, events = 0;
    uint64_t timeout = 0;
    ut_category watched = 0;
    char from[512], to[512];

    CHECK_COND(ut_monitor_open_at(root, 0, &m, err, sizeof err) == UT_ERR_INVALID);
    CHECK_COND(ut_monitor_open_at(root, UT_MONITOR_ALL, NULL, err, sizeof err) == UT_ERR_NULL);

    write_rel("run/utmp", "");
    CHECK_COND(ut_monitor_open_at(root, UT_MONITOR_ALL, &m, err, sizeof err) == UT_OK);
    if (m == NULL) {
        fprintf(stderr, "monitor: %s\n", err);
        return;
    }
    CHECK_COND(ut_monitor_fd(m, &fd) == UT_OK && fd >= 0);
    CHECK_COND(ut_monitor_events(m, &events) == UT_OK && events == POLLIN);
    CHECK_COND(ut_monitor_timeout(m, &timeout) == UT_OK && timeout == UINT64_MAX);
    CHECK_COND(ut_monitor_watched(m, &watched) == UT_OK);
    CHECK_COND(watched == (UT_LOGIND_SEATS | UT_LOGIND_SESSIONS | UT_LOGIND_USERS | UT_MONITOR_UTMP));
    CHECK_COND(ut_monitor_describe(m, &text) == UT_OK && strstr(text, "machines") != NULL);
    CHECK_COND(!readable(fd, 0));

    /* A session file replaced by rename, as logind does. */
    write_rel("run/systemd/sessions/.#5tmp", "UID=1000\nUSER=alice\n");
    path_of(from, sizeof from, "run/systemd/sessions/.#5tmp");
    path_of(to, sizeof to, "run/systemd/sessions/5");
    CHECK_COND(rename(from, to) == 0);
    CHECK_COND(readable(fd, 10000));
    CHECK_COND(ut_monitor_flush(m) == UT_OK);
    CHECK_COND(!readable(fd, 0));

    /* utmp written in place. */
    write_rel("run/utmp", "x");
    CHECK_COND(readable(fd, 10000));
    CHECK_COND(ut_monitor_flush(m) == UT_OK);
    ut_monitor_close(m);
    ut_monitor_close(NULL);
}

/* Every new function refuses NULL handles and outputs. */
static void test_null_args(void)
{
    ut_monitor *m = NULL;
    ut_reader *r = NULL;
    ut_strlist *l = NULL;
    const char *text = NULL;
    size_t n = 0;
    int fd = 0, events = 0;
    uint64_t t = 0;
    ut_category cats = 0;

    CHECK_COND(ut_monitor_open(UT_MONITOR_ALL, NULL, NULL, 0) == UT_ERR_NULL);
    CHECK_COND(ut_monitor_open(0x1000, &m, NULL, 0) == UT_ERR_INVALID && m == NULL);
    CHECK_COND(ut_monitor_fd(NULL, &fd) == UT_ERR_NULL);
    CHECK_COND(ut_monitor_events(NULL, &events) == UT_ERR_NULL);
    CHECK_COND(ut_monitor_timeout(NULL, &t) == UT_ERR_NULL);
    CHECK_COND(ut_monitor_flush(NULL) == UT_ERR_NULL);
    CHECK_COND(ut_monitor_watched(NULL, &cats) == UT_ERR_NULL);
    CHECK_COND(ut_monitor_describe(NULL, &text) == UT_ERR_NULL);
    CHECK_COND(ut_monitor_error(NULL, &text, NULL) == UT_ERR_NULL);
    CHECK_COND(ut_strlist_count(NULL, &n) == UT_ERR_NULL);
    CHECK_COND(ut_strlist_get(NULL, 0, &text) == UT_ERR_NULL);
    CHECK_COND(ut_reader_open_db_at(NULL, UT_DB_UTMP, 0, NULL, NULL, 0) == UT_ERR_NULL);
    CHECK_COND(ut_reader_open_db_at(root, 99, 0, &r, NULL, 0) == UT_ERR_INVALID && r == NULL);
    CHECK_COND(ut_logind_list(NULL, UT_LOGIND_SEATS, NULL, NULL, 0) == UT_ERR_NULL);
    CHECK_COND(ut_logind_list(root, 0, &l, NULL, 0) == UT_ERR_INVALID && l == NULL);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/utx-logind-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(root) == NULL) {
        perror("mkdtemp");
        return 2;
    }
    test_null_args();
    test_not_running_then_empty();
    test_sessions_and_lists();
    test_monitor();

    remove_rel("run/systemd/sessions/4");
    remove_rel("run/systemd/sessions/5");
    remove_rel("run/systemd/sessions/c2");
    remove_rel("run/systemd/sessions");
    remove_rel("run/systemd/seats/seat0");
    remove_rel("run/systemd/seats");
    remove_rel("run/systemd/users/1000");
    remove_rel("run/systemd/users");
    remove_rel("run/systemd");
    remove_rel("run/utmp");
    remove_rel("run");
    (void)rmdir(root);

    if (failures) {
        printf("logind: %d check(s) failed\n", failures);
        return 1;
    }
    printf("logind: all checks passed\n");
    return 0;
}
