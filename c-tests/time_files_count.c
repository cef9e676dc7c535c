/* Time queries, several files as one history, and counting users through
 * the C ABI, on util-linux's wtmp-a (19 records; not in time order: its
 * last three are from 1991, 1970 and 2038) and wtmp-ipv6 (2 records).
 * Expected values are those of txt-a / txt-ipv6 in the corpus.
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

/* 2013-08-28 hh:00:00 UTC */
#define AUG28(h) (1377648000LL + (h) * 3600LL)

static ut_reader *open1(const char *path, uint32_t flags) {
    ut_reader *r = NULL;
    char err[256];
    int st = ut_reader_open(path, UT_FORMAT_AUTO, flags, &r, err, sizeof err);
    CHECK(st == UT_OK, "open %s: %s", path, err);
    return r;
}

/* The user and offset of the next entry ("" / -1 at the end). */
static void next_of(ut_reader *r, char *user, size_t n, int64_t *offset) {
    const ut_entry *e;
    if (ut_reader_next(r, &e) == UT_OK) {
        snprintf(user, n, "%s", e->user);
        *offset = (int64_t)e->offset;
    } else {
        user[0] = '\0';
        *offset = -1;
    }
}

static void check_seek(const char *a) {
    static const struct {
        int reverse;
        int64_t t;
        const char *user;
        int64_t index;
    } cases[] = {
        /* forward: the first entry (file order) at or after t */
        {0, AUG28(10), "sysboot", 7},
        {0, AUG28(3), "accounting", 0},
        {0, AUG28(18) + 1, "rick", 18},       /* the 2038 logout */
        {0, 0, "accounting", 0},
        {0, 2147483647LL + 1, "", -1},        /* nothing after 2038 */
        /* reverse: the newest (last in file order) at or before t */
        {1, AUG28(10), "rick", 17},           /* the 1970 login */
        {1, AUG28(18), "rick", 17},
        {1, 2147483647LL, "rick", 18},
        {1, -1, "", -1},                      /* nothing before 1970 */
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ut_reader *r = open1(a, cases[i].reverse ? UT_OPEN_REVERSE : 0);
        char user[64];
        int64_t off;
        if (!r) continue;
        CHECK(ut_reader_seek_time(r, cases[i].t) == UT_OK, "seek %zu", i);
        next_of(r, user, sizeof user, &off);
        CHECK(!strcmp(user, cases[i].user) && off == (cases[i].index < 0 ? -1 : cases[i].index * 384),
              "case %zu: got '%s' at %lld, want '%s' at record %lld", i, user, (long long)off,
              cases[i].user, (long long)cases[i].index);
        ut_reader_close(r);
    }
}

static void check_range(const char *a) {
    ut_reader *r = open1(a, 0);
    const ut_entry *e;
    uint64_t chunks = 0;
    int n = 0;
    if (!r) return;
    CHECK(ut_reader_set_time_range(r, AUG28(5), AUG28(8)) == UT_OK, "range");
    while (ut_reader_next(r, &e) == UT_OK) {
        CHECK(e->sec >= AUG28(5) && e->sec <= AUG28(8), "entry at %lld outside", (long long)e->sec);
        n++;
    }
    CHECK(n == 4, "%d entries in 05:00-08:00, want 4", n);
    CHECK(ut_reader_set_time_range(r, 5, 4) == UT_ERR_INVALID, "since > until");
    CHECK(ut_reader_set_time_range(NULL, 0, 0) == UT_ERR_NULL, "NULL reader");
    CHECK(ut_reader_chunks_read(r, &chunks) == UT_OK && chunks >= 1, "chunks %llu",
          (unsigned long long)chunks);
    CHECK(ut_reader_chunks_read(r, NULL) == UT_ERR_NULL, "NULL count");
    CHECK(ut_reader_seek_time(NULL, 0) == UT_ERR_NULL, "seek NULL");
    ut_reader_close(r);
}

static void check_files(const char *a, const char *v6) {
    const char *paths[2];
    ut_reader *r = NULL;
    const ut_entry *e;
    char err[256];
    int n = 0, st;
    paths[0] = a;
    paths[1] = v6;
    st = ut_reader_open_files(paths, 2, UT_FORMAT_AUTO, 0, &r, err, sizeof err);
    CHECK(st == UT_OK, "open_files: %s", err);
    if (st == UT_OK) {
        while (ut_reader_next(r, &e) == UT_OK) {
            CHECK(e->offset == (uint64_t)n * 384, "entry %d offset %llu", n, (unsigned long long)e->offset);
            if (n == 19) CHECK(!strcmp(e->line, "root") && e->addr_family == UT_ADDR_IPV6, "ipv6 first");
            n++;
        }
        CHECK(n == 21, "%d entries over both files, want 21", n);
        ut_reader_close(r);
    }
    r = NULL;
    st = ut_reader_open_files(paths, 2, UT_FORMAT_AUTO, UT_OPEN_REVERSE, &r, err, sizeof err);
    CHECK(st == UT_OK && ut_reader_next(r, &e) == UT_OK && e->offset == 20 * 384,
          "reverse over files starts with the last file's last record");
    ut_reader_close(r);
    CHECK(ut_reader_open_files(NULL, 1, 0, 0, &r, err, sizeof err) == UT_ERR_NULL, "NULL paths");
    paths[1] = NULL;
    CHECK(ut_reader_open_files(paths, 2, 0, 0, &r, err, sizeof err) == UT_ERR_NULL, "NULL path");
    paths[1] = "/nonexistent/wtmp";
    CHECK(ut_reader_open_files(paths, 2, 0, 0, &r, err, sizeof err) == UT_ERR_NOT_FOUND, "missing file");
    CHECK(ut_reader_open_files(paths, 0, 0, 0, &r, err, sizeof err) == UT_ERR_INVALID, "no files");
}

static void check_count(const char *a) {
    ut_reader *r = open1(a, 0);
    uint64_t n = 99, live = 99;
    char err[128];
    if (!r) return;
    /* USER_PROCESS with a name: user_process, IPv4, torvalds, rick. */
    CHECK(ut_count_users(r, 0, UT_COUNT_INCLUDE_DEAD, &n, err, sizeof err) == UT_OK && n == 4,
          "count %llu: %s", (unsigned long long)n, err);
    ut_reader_rewind(r);
    CHECK(ut_count_users(r, 0, UT_COUNT_INCLUDE_DEAD | UT_COUNT_DISTINCT, &n, NULL, 0) == UT_OK && n == 4,
          "distinct %llu", (unsigned long long)n);
    ut_reader_rewind(r);
    CHECK(ut_count_users(r, 0, 0, &live, NULL, 0) == UT_OK && live <= 4, "live %llu", (unsigned long long)live);
    CHECK(ut_count_users(r, 0, 0x100, &n, err, sizeof err) == UT_ERR_INVALID, "unknown flag");
    CHECK(ut_count_users(r, UT_DB_UTMP, 0, &n, err, sizeof err) == UT_ERR_INVALID, "reader and db");
    CHECK(ut_count_users(r, 0, 0, NULL, NULL, 0) == UT_ERR_NULL, "NULL count");
    CHECK(ut_count_users(NULL, 77, 0, &n, NULL, 0) == UT_ERR_INVALID, "unknown db");
    ut_reader_close(r);
    /* This host's utmp: any answer, or "not found" where there is none. */
    {
        int st = ut_count_users(NULL, UT_DB_UTMP, 0, &n, err, sizeof err);
        CHECK(st == UT_OK || st == UT_ERR_NOT_FOUND || st == UT_ERR_PERMISSION, "host utmp: %d %s", st, err);
    }
}

int main(void) {
    const char *corpus = getenv("UTX_CORPUS");
    char a[1024], v6[1024];
    struct stat st;
    if (corpus == NULL || corpus[0] == '\0') corpus = "../shared/corpus";
    snprintf(a, sizeof a, "%s/util-linux/ts/utmp/wtmp-a.LE", corpus);
    snprintf(v6, sizeof v6, "%s/util-linux/ts/utmp/wtmp-ipv6.LE", corpus);
    if (stat(a, &st) != 0 || stat(v6, &st) != 0) {
        printf("SKIP: ../shared/corpus not found (%s absent); time_files_count checked nothing\n", a);
        return 0;
    }
    check_seek(a);
    check_range(a);
    check_files(a, v6);
    check_count(a);
    if (failures) {
        fprintf(stderr, "time_files_count: %d failure(s)\n", failures);
        return 1;
    }
    printf("time_files_count: ok (seek both ways on a disordered file, range, files, count)\n");
    return 0;
}
