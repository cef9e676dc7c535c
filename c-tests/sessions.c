/* Sessions through the C ABI on util-linux's own test file wtmp-a.
 *
 * Builds a `last`-style listing (short times, UTC) from ut_sessions_next
 * and checks it line by line against the "basic output" and "include
 * system" blocks of util-linux's expected output (last-nodns, v2.38.1),
 * read from the corpus; checks the big-endian copy pairs the same; that
 * the record offsets point at the records the sessions were built from;
 * and the argument checks of ut_sessions_open.
 *
 * The corpus is ../shared/corpus relative to the repository root (the
 * test runs from there), or $UTX_CORPUS. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "utx.h"

static int failures;

#include "check.h"

#define MAXL 64

static void hhmm(char *out, size_t n, int64_t t, int with_date) {
    static const char *wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (with_date)
        snprintf(out, n, "%s %s %2d %02d:%02d", wd[tm.tm_wday], mo[tm.tm_mon], tm.tm_mday,
                 tm.tm_hour, tm.tm_min);
    else
        snprintf(out, n, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

/* One line in util-linux's short format, from a session; "" when the
 * session is not listed (system events without -x). */
static void render(const ut_session *s, int extended, char *out, size_t n) {
    char login[32], logout[32], length[32];
    const char *line = s->line;
    int64_t end = s->logout_sec, secs;
    out[0] = '\0';
    switch (s->kind) {
    case UT_KIND_REBOOT: line = "system boot"; break;
    case UT_KIND_SHUTDOWN: if (!extended) return; line = "system down"; break;
    case UT_KIND_USER: break;
    default: if (!extended) return; break;
    }
    hhmm(login, sizeof login, s->login_sec, 1);
    secs = end - s->login_sec;
    if (secs >= 86400)
        snprintf(length, sizeof length, "(%d+%02d:%02d)", (int)(secs / 86400),
                 (int)(secs / 3600 % 24), (int)(secs / 60 % 60));
    else
        snprintf(length, sizeof length, " (%02d:%02d)", (int)(secs / 3600 % 24), (int)(secs / 60 % 60));
    logout[0] = '-';
    logout[1] = ' ';
    hhmm(logout + 2, sizeof logout - 2, end, 0);
    switch (s->end) {
    case UT_ENDED_STILL_RUNNING: strcpy(logout, "  still"); strcpy(length, "running"); break;
    case UT_ENDED_STILL_LOGGED_IN: strcpy(logout, "  still"); strcpy(length, "logged in"); break;
    case UT_ENDED_GONE: strcpy(logout, "   gone"); strcpy(length, "- no logout"); break;
    case UT_ENDED_DOWN: strcpy(logout, "- down "); break;
    case UT_ENDED_CRASH: strcpy(logout, "- crash"); break;
    default: break;
    }
    snprintf(out, n, "%-8.8s %-12.12s %-16.16s %-16.16s %-7.7s %s", s->user, line, s->host, login,
             logout, length);
}

/* The lines of block `name` in the expected file (without "begins"). */
static int expected_block(const char *path, const char *name, char lines[][200], int max) {
    FILE *f = fopen(path, "r");
    char buf[512], head[128];
    int in = 0, n = 0;
    if (!f) return -1;
    snprintf(head, sizeof head, "~~~ %s ~~~\n", name);
    while (fgets(buf, sizeof buf, f)) {
        if (!strncmp(buf, "~~~", 3)) {
            if (in) break;
            in = strcmp(buf, head) == 0;
            continue;
        }
        if (!in || buf[0] == '\n' || strstr(buf, " begins ")) continue;
        buf[strcspn(buf, "\n")] = '\0';
        if (n < max) {
            size_t len = strlen(buf) < 199 ? strlen(buf) : 199;
            memcpy(lines[n], buf, len);
            lines[n++][len] = '\0';
        }
    }
    fclose(f);
    return n;
}

static ut_reader *open_reverse(const char *path) {
    ut_reader *r = NULL;
    char err[256];
    int st = ut_reader_open(path, UT_FORMAT_AUTO, UT_OPEN_REVERSE, &r, err, sizeof err);
    CHECK(st == UT_OK, "open %s: %s", path, err);
    return st == UT_OK ? r : NULL;
}

struct got {
    uint32_t kind, end;
    int64_t login, logout;
    uint64_t login_offset;
    int64_t logout_offset;
    char user[40], line[40];
};

/* Pair `path` and check it against the expected blocks. */
static int check_listing(const char *path, const char *expected, struct got *got, int max) {
    char want[MAXL][200], want_x[MAXL][200], line[256];
    int nw = expected_block(expected, "basic output", want, MAXL);
    int nx = expected_block(expected, "include system", want_x, MAXL);
    int n = 0, iw = 0, ix = 0;
    ut_reader *r = open_reverse(path);
    ut_sessions *ss = NULL;
    const ut_session *s;
    char err[256];
    int st;

    CHECK(nw == 14 && nx == 16, "expected blocks: %d and %d lines", nw, nx);
    if (!r) return 0;
    st = ut_sessions_open(r, UT_SESSIONS_NO_LIVENESS, &ss, err, sizeof err);
    CHECK(st == UT_OK, "ut_sessions_open: %s", err);
    if (st != UT_OK) {
        ut_reader_close(r);
        return 0;
    }
    while ((st = ut_sessions_next(ss, &s)) == UT_OK) {
        CHECK(s->size == sizeof(ut_session), "size %u", (unsigned)s->size);
        CHECK(s->user && s->line && s->host && s->id && s->addr_text, "a NULL string");
        if (n < max) {
            got[n].kind = s->kind;
            got[n].end = s->end;
            got[n].login = s->login_sec;
            got[n].logout = (s->flags & UT_SESSION_HAS_LOGOUT) ? s->logout_sec : -1;
            got[n].login_offset = s->login_offset;
            got[n].logout_offset = s->logout_offset;
            snprintf(got[n].user, sizeof got[n].user, "%s", s->user);
            snprintf(got[n].line, sizeof got[n].line, "%s", s->line);
        }
        n++;
        /* torvalds' 1991 session has no logout: "gone" for last on a live
         * host; without liveness checks it is "still logged in". */
        if (!strcmp(s->user, "torvalds")) {
            CHECK(s->end == UT_ENDED_STILL_LOGGED_IN, "torvalds end %u", (unsigned)s->end);
            CHECK(!(s->flags & UT_SESSION_HAS_LOGOUT) && s->logout_offset == -1, "torvalds logout");
            iw++;
            ix++;
            continue;
        }
        render(s, 0, line, sizeof line);
        if (line[0]) {
            CHECK(iw < nw && !strcmp(line, want[iw]), "basic line %d:\n  got  '%s'\n  want '%s'", iw,
                  line, iw < nw ? want[iw] : "(none)");
            iw++;
        }
        render(s, 1, line, sizeof line);
        if (s->kind == UT_KIND_USER || s->kind == UT_KIND_REBOOT || s->kind == UT_KIND_SHUTDOWN) {
            CHECK(ix < nx && !strcmp(line, want_x[ix]), "-x line %d:\n  got  '%s'\n  want '%s'", ix,
                  line, ix < nx ? want_x[ix] : "(none)");
            ix++;
        }
    }
    CHECK(st == UT_END, "ut_sessions_next ended with %d", st);
    CHECK(iw == nw && ix == nx, "listed %d/%d and %d/%d lines", iw, nw, ix, nx);
    CHECK(ut_sessions_next(ss, &s) == UT_END, "UT_END again after the end");
    ut_sessions_close(ss);
    ut_reader_close(r);
    return n;
}

/* Each session's record offsets point at records with its user, line and
 * time (read forward through the plain reader). */
static void check_offsets(const char *path, const struct got *got, int n) {
    ut_reader *r = NULL;
    const ut_entry *e;
    int i, found;
    CHECK(ut_reader_open(path, UT_FORMAT_AUTO, 0, &r, NULL, 0) == UT_OK, "open forward");
    if (!r) return;
    for (i = 0; i < n; i++) {
        found = 0;
        ut_reader_rewind(r);
        while (ut_reader_next(r, &e) == UT_OK) {
            if (e->offset == got[i].login_offset) {
                found = 1;
                CHECK(e->sec == got[i].login && !strcmp(e->user, got[i].user),
                      "session %d login record at %llu: %s %lld", i,
                      (unsigned long long)e->offset, e->user, (long long)e->sec);
            }
            if (got[i].logout_offset >= 0 && e->offset == (uint64_t)got[i].logout_offset) {
                CHECK(e->sec == got[i].logout, "session %d logout record time %lld vs %lld", i,
                      (long long)e->sec, (long long)got[i].logout);
                if (got[i].kind == UT_KIND_USER && got[i].end == UT_ENDED_LOGGED_OUT)
                    CHECK(!strcmp(e->line, got[i].line), "session %d logout line '%s' vs '%s'", i,
                          e->line, got[i].line);
            }
        }
        CHECK(found, "session %d: no record at offset %llu", i,
              (unsigned long long)got[i].login_offset);
    }
    ut_reader_close(r);
}

static void check_arguments(const char *path) {
    ut_reader *fwd = NULL, *rev = open_reverse(path);
    ut_sessions *ss = (ut_sessions *)&fwd; /* must stay untouched on failure */
    ut_sessions *before = ss;
    const ut_session *s;
    char err[128];

    CHECK(ut_sessions_open(NULL, 0, &ss, err, sizeof err) == UT_ERR_NULL, "NULL reader");
    CHECK(ut_sessions_open(rev, 0, NULL, err, sizeof err) == UT_ERR_NULL, "NULL out");
    CHECK(ut_sessions_open(rev, 0x80, &ss, err, sizeof err) == UT_ERR_INVALID && ss == before,
          "unknown flag");
    CHECK(ut_sessions_next(NULL, &s) == UT_ERR_NULL, "next(NULL)");
    ut_sessions_close(NULL);
    CHECK(ut_reader_open(path, UT_FORMAT_AUTO, 0, &fwd, NULL, 0) == UT_OK, "open forward");
    CHECK(ut_sessions_open(fwd, 0, &ss, err, sizeof err) == UT_ERR_INVALID && ss == before,
          "a forward reader is refused");
    CHECK(strstr(err, "UT_OPEN_REVERSE") != NULL, "message names the flag: %s", err);
    CHECK(ut_sessions_open(rev, 0, &ss, NULL, 0) == UT_OK, "open with liveness checks");
    if (ss != before) {
        CHECK(ut_sessions_next(ss, NULL) == UT_ERR_NULL, "next(ss, NULL)");
        ut_sessions_close(ss);
    }
    ut_reader_close(fwd);
    ut_reader_close(rev);
}

int main(void) {
    const char *corpus = getenv("UTX_CORPUS");
    char le[1024], be[1024], expected[1024];
    struct got a[MAXL], b[MAXL];
    struct stat st;
    int na, nb, i;

    if (corpus == NULL || corpus[0] == '\0') corpus = "../shared/corpus";
    snprintf(le, sizeof le, "%s/util-linux/ts/utmp/wtmp-a.LE", corpus);
    snprintf(be, sizeof be, "%s/util-linux/ts/utmp/wtmp-a.BE", corpus);
    snprintf(expected, sizeof expected, "%s/util-linux/expected-v2.38.1/utmp/last-nodns", corpus);
    if (stat(le, &st) != 0 || stat(expected, &st) != 0) {
        printf("SKIP: ../shared/corpus not found (%s absent); sessions checked nothing\n", le);
        return 0;
    }
    na = check_listing(le, expected, a, MAXL);
    nb = check_listing(be, expected, b, MAXL);
    CHECK(na == 16 && na == nb, "%d and %d sessions", na, nb);
    for (i = 0; i < na && i < nb && i < MAXL; i++)
        CHECK(a[i].kind == b[i].kind && a[i].end == b[i].end && a[i].login == b[i].login &&
                  a[i].logout == b[i].logout && a[i].login_offset == b[i].login_offset &&
                  !strcmp(a[i].user, b[i].user),
              "LE and BE session %d differ", i);
    check_offsets(le, a, na < MAXL ? na : MAXL);
    check_arguments(le);
    if (failures) {
        fprintf(stderr, "sessions: %d failure(s)\n", failures);
        return 1;
    }
    printf("sessions: ok (%d sessions, LE/BE, listing matches util-linux, offsets, arguments)\n", na);
    return 0;
}
