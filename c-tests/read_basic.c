/* Reading util-linux's own test file wtmp-a (19 records made from txt-a,
 * little- and big-endian) forward, in reverse, from memory, filtered and
 * rewound.  Expected values are those of txt-a in the corpus.
 *
 * The corpus is ../shared/corpus relative to the repository root (the
 * test runs from there), or $UTX_CORPUS. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "utx.h"

static int failures;

#include "check.h"

#define MAXN 64

/* What we compare between two reads of the same records. */
struct snap {
    int32_t type, raw_type;
    int64_t pid, sec;
    int32_t usec;
    uint64_t offset;
    uint32_t addr_family;
    char user[64], line[64], id[16], host[300], addr_text[64];
};

static void copy_str(char *dst, size_t n, const char *src) {
    if (src == NULL) {
        strcpy(dst, "<NULL>");
        return;
    }
    strncpy(dst, src, n - 1);
    dst[n - 1] = '\0';
}

static void take(struct snap *s, const ut_entry *e) {
    s->type = e->entry_type;
    s->raw_type = e->raw_type;
    s->pid = e->pid;
    s->sec = e->sec;
    s->usec = e->usec;
    s->offset = e->offset;
    s->addr_family = e->addr_family;
    copy_str(s->user, sizeof s->user, e->user);
    copy_str(s->line, sizeof s->line, e->line);
    copy_str(s->id, sizeof s->id, e->id);
    copy_str(s->host, sizeof s->host, e->host);
    copy_str(s->addr_text, sizeof s->addr_text, e->addr_text);
}

static int same(const struct snap *a, const struct snap *b, int with_offset) {
    return a->type == b->type && a->raw_type == b->raw_type && a->pid == b->pid && a->sec == b->sec &&
           a->usec == b->usec && (!with_offset || a->offset == b->offset) && a->addr_family == b->addr_family &&
           strcmp(a->user, b->user) == 0 && strcmp(a->line, b->line) == 0 && strcmp(a->id, b->id) == 0 &&
           strcmp(a->host, b->host) == 0 && strcmp(a->addr_text, b->addr_text) == 0;
}

/* Read every entry of `r` into `out`; returns the count, or -1. */
static int read_all(ut_reader *r, struct snap *out, const char *what) {
    const ut_entry *e;
    ut_status st;
    int n = 0;
    while ((st = ut_reader_next(r, &e)) == UT_OK) {
        CHECK(e != NULL, "%s: UT_OK with a NULL entry", what);
        if (e == NULL) return -1;
        CHECK(e->size == sizeof(ut_entry), "%s: entry size %u, want %u", what, (unsigned)e->size,
              (unsigned)sizeof(ut_entry));
        CHECK(e->user && e->line && e->id && e->host && e->service && e->addr_text,
              "%s: a string field is NULL", what);
        if (n < MAXN) take(&out[n], e);
        n++;
    }
    if (st != UT_END) {
        const char *msg = "";
        ut_reader_error(r, &msg, NULL);
        CHECK(0, "%s: next() gave %s: %s", what, ut_status_str(st), msg);
        return -1;
    }
    return n;
}

static ut_reader *open_file(const char *path, ut_open_flags flags) {
    ut_reader *r = NULL;
    char err[512];
    ut_status st = ut_reader_open(path, UT_FORMAT_AUTO, flags, &r, err, sizeof err);
    CHECK(st == UT_OK, "open %s: %s (%s)", path, ut_status_str(st), err);
    return st == UT_OK ? r : NULL;
}

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long n;
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static struct snap fwd[MAXN], rev[MAXN], tmp[MAXN], be[MAXN];

/* The values txt-a gives for wtmp-a. */
static void check_expected(const struct snap *s, int n, const char *what) {
    int i, torvalds = -1;
    CHECK(n == 19, "%s: %d entries, want 19", what, n);
    if (n < 19) return;
    CHECK(s[0].type == UT_TYPE_ACCOUNTING && s[0].raw_type == 9, "%s: first entry type %d raw %d", what,
          (int)s[0].type, (int)s[0].raw_type);
    CHECK(strcmp(s[0].user, "accounting") == 0, "%s: first user \"%s\"", what, s[0].user);
    CHECK(strcmp(s[0].line, "foo") == 0 && strcmp(s[0].id, "ts/9") == 0 && strcmp(s[0].host, "nine") == 0,
          "%s: first entry line \"%s\" id \"%s\" host \"%s\"", what, s[0].line, s[0].id, s[0].host);
    CHECK(s[0].pid == 9 && s[0].sec == 1377658800 && s[0].offset == 0, "%s: first pid %lld sec %lld", what,
          (long long)s[0].pid, (long long)s[0].sec);
    for (i = 0; i < n; i++) {
        CHECK(s[i].offset == (uint64_t)i * 384, "%s: entry %d offset %llu", what, i, (unsigned long long)s[i].offset);
        if (strcmp(s[i].user, "torvalds") == 0) torvalds = i;
    }
    CHECK(torvalds == 16, "%s: torvalds at %d, want 16", what, torvalds);
    if (torvalds >= 0) {
        const struct snap *t = &s[torvalds];
        CHECK(t->type == UT_TYPE_USER_PROCESS && t->pid == 13, "%s: torvalds type %d pid %lld", what, (int)t->type,
              (long long)t->pid);
        CHECK(strcmp(t->host, "hobby") == 0, "%s: torvalds host \"%s\"", what, t->host);
        CHECK(strcmp(t->line, "linux") == 0 && strcmp(t->id, "ts/1") == 0, "%s: torvalds line \"%s\" id \"%s\"", what,
              t->line, t->id);
        CHECK(t->addr_family == UT_ADDR_IPV4 && strcmp(t->addr_text, "128.214.205.14") == 0,
              "%s: torvalds address family %u \"%s\"", what, (unsigned)t->addr_family, t->addr_text);
        CHECK(t->sec == 683168228 && t->usec == 0, "%s: torvalds time %lld.%06d", what, (long long)t->sec,
              (int)t->usec);
    }
    /* rick: logged in at the epoch, out at 2^31-1. */
    CHECK(strcmp(s[17].user, "rick") == 0 && s[17].sec == 0 && s[17].type == UT_TYPE_USER_PROCESS,
          "%s: entry 17 \"%s\" sec %lld", what, s[17].user, (long long)s[17].sec);
    CHECK(strcmp(s[18].user, "rick") == 0 && s[18].sec == 2147483647 && s[18].type == UT_TYPE_DEAD_PROCESS,
          "%s: entry 18 \"%s\" sec %lld", what, s[18].user, (long long)s[18].sec);
}

static void check_format(ut_reader *r, ut_format want, const char *what) {
    ut_format f = UT_FORMAT_AUTO;
    CHECK(ut_reader_format(r, &f) == UT_OK && f == want, "%s: format %u (%s), want %s", what, (unsigned)f,
          ut_format_name(f) ? ut_format_name(f) : "?", ut_format_name(want));
}

int main(void) {
    const char *corpus = getenv("UTX_CORPUS");
    char le[1024], bepath[1024];
    struct stat st;
    ut_reader *r;
    int n, m, i;
    unsigned char *buf;
    size_t len;
    const char *users[] = {"user_process", "IPv4", "torvalds", "rick"};

    if (corpus == NULL || corpus[0] == '\0') corpus = "../shared/corpus";
    snprintf(le, sizeof le, "%s/util-linux/ts/utmp/wtmp-a.LE", corpus);
    snprintf(bepath, sizeof bepath, "%s/util-linux/ts/utmp/wtmp-a.BE", corpus);
    if (stat(le, &st) != 0) {
        printf("SKIP: ../shared/corpus not found (%s absent); read_basic checked nothing\n", le);
        return 0;
    }

    /* Forward. */
    r = open_file(le, 0);
    if (r == NULL) return 1;
    check_format(r, UT_FORMAT_LINUX_384_LE, "LE forward");
    n = read_all(r, fwd, "LE forward");
    check_expected(fwd, n, "LE forward");

    /* Rewind: the same sequence again. */
    CHECK(ut_reader_rewind(r) == UT_OK, "rewind failed");
    m = read_all(r, tmp, "LE after rewind");
    CHECK(m == n, "after rewind %d entries, want %d", m, n);
    for (i = 0; i < n && i < m && i < MAXN; i++) CHECK(same(&fwd[i], &tmp[i], 1), "after rewind entry %d differs", i);

    /* Type filter: USER_PROCESS only. */
    CHECK(ut_reader_set_types(r, UT_TYPE_BIT(UT_TYPE_USER_PROCESS)) == UT_OK, "set_types failed");
    CHECK(ut_reader_rewind(r) == UT_OK, "rewind failed");
    m = read_all(r, tmp, "LE USER_PROCESS");
    CHECK(m == 4, "USER_PROCESS filter: %d entries, want 4", m);
    for (i = 0; i < 4 && i < m; i++) {
        CHECK(tmp[i].type == UT_TYPE_USER_PROCESS, "filtered entry %d has type %d", i, (int)tmp[i].type);
        CHECK(strcmp(tmp[i].user, users[i]) == 0, "filtered entry %d user \"%s\", want \"%s\"", i, tmp[i].user,
              users[i]);
    }
    /* Two types at once. */
    CHECK(ut_reader_set_types(r, UT_TYPE_BIT(UT_TYPE_USER_PROCESS) | UT_TYPE_BIT(UT_TYPE_DEAD_PROCESS)) == UT_OK,
          "set_types failed");
    CHECK(ut_reader_rewind(r) == UT_OK, "rewind failed");
    m = read_all(r, tmp, "LE USER|DEAD");
    CHECK(m == 7, "USER|DEAD filter: %d entries, want 7", m);
    ut_reader_close(r);

    /* Reverse: the forward sequence backwards, offsets included. */
    r = open_file(le, UT_OPEN_REVERSE);
    if (r == NULL) return 1;
    m = read_all(r, rev, "LE reverse");
    CHECK(m == n, "reverse: %d entries, want %d", m, n);
    for (i = 0; i < n && i < m && i < MAXN; i++)
        CHECK(same(&fwd[i], &rev[n - 1 - i], 1), "reverse entry %d differs from forward entry %d", n - 1 - i, i);
    CHECK(ut_reader_set_types(r, UT_TYPE_BIT(UT_TYPE_USER_PROCESS)) == UT_OK, "set_types failed");
    CHECK(ut_reader_rewind(r) == UT_OK, "rewind failed");
    m = read_all(r, tmp, "LE reverse USER_PROCESS");
    CHECK(m == 4, "reverse USER_PROCESS: %d entries, want 4", m);
    for (i = 0; i < 4 && i < m; i++)
        CHECK(strcmp(tmp[i].user, users[3 - i]) == 0, "reverse filtered entry %d user \"%s\", want \"%s\"", i,
              tmp[i].user, users[3 - i]);
    ut_reader_close(r);

    /* From memory, forward and reverse. */
    buf = slurp(le, &len);
    CHECK(buf != NULL && len == 19 * 384, "cannot read %s", le);
    if (buf != NULL) {
        char err[256];
        r = NULL;
        CHECK(ut_reader_open_memory(buf, len, UT_FORMAT_AUTO, 0, &r, err, sizeof err) == UT_OK, "open_memory: %s",
              err);
        /* The buffer is copied: scribbling on it must not matter. */
        memset(buf, 0xAB, len);
        free(buf);
        if (r != NULL) {
            check_format(r, UT_FORMAT_LINUX_384_LE, "memory");
            m = read_all(r, tmp, "memory forward");
            CHECK(m == n, "memory: %d entries, want %d", m, n);
            for (i = 0; i < n && i < m && i < MAXN; i++) CHECK(same(&fwd[i], &tmp[i], 1), "memory entry %d differs", i);
            ut_reader_close(r);
        }
        buf = slurp(le, &len);
        r = NULL;
        if (buf != NULL &&
            ut_reader_open_memory(buf, len, UT_FORMAT_LINUX_384_LE, UT_OPEN_REVERSE, &r, err, sizeof err) == UT_OK) {
            m = read_all(r, tmp, "memory reverse");
            CHECK(m == n, "memory reverse: %d entries, want %d", m, n);
            for (i = 0; i < n && i < m && i < MAXN; i++)
                CHECK(same(&fwd[i], &tmp[n - 1 - i], 1), "memory reverse entry %d differs", i);
            ut_reader_close(r);
        } else {
            CHECK(0, "open_memory(reverse, forced format) failed: %s", err);
        }
        free(buf);
    }

    /* Big-endian file: the same entries, the BE format. */
    r = open_file(bepath, 0);
    if (r != NULL) {
        check_format(r, UT_FORMAT_LINUX_384_BE, "BE");
        m = read_all(r, be, "BE forward");
        check_expected(be, m, "BE forward");
        for (i = 0; i < n && i < m && i < MAXN; i++) CHECK(same(&fwd[i], &be[i], 1), "BE entry %d differs from LE", i);
        ut_reader_close(r);
    }
    r = open_file(bepath, UT_OPEN_REVERSE);
    if (r != NULL) {
        m = read_all(r, tmp, "BE reverse");
        for (i = 0; i < n && i < m && i < MAXN; i++)
            CHECK(same(&fwd[i], &tmp[n - 1 - i], 1), "BE reverse entry %d differs", i);
        ut_reader_close(r);
    }

    if (failures) {
        fprintf(stderr, "read_basic: %d check(s) failed\n", failures);
        return 1;
    }
    printf("read_basic: ok (19 entries, LE/BE, forward/reverse, file/memory, filters, rewind)\n");
    return 0;
}
