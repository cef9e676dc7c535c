/* ut_reader_next_batch against records whose content the test wrote
 * itself (1000 glibc 384-byte records): every capacity gives every record
 * once, in order, with all the entries of one call valid together; the
 * count never exceeds the capacity nor UT_BATCH_MAX; UT_END comes only
 * with a count of 0; it mixes with ut_reader_next, rewind, seek, reverse
 * and type filters.  Also the version macros against ut_version() and
 * ut_abi_version(), and the type masks and category aliases as C sees
 * them. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utx.h"

static int failures;

#include "check.h"

#define N 1000
#define RECSIZE 384
#define BASE_SEC 1700000000
static unsigned char file[N * RECSIZE];

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* Record i: USER_PROCESS when i is even, DEAD_PROCESS when odd; pid i+1,
 * line "pts/<i % 50>", user "u<i>", time BASE_SEC + i seconds, i usec. */
static void make_file(void) {
    int i;
    memset(file, 0, sizeof file);
    for (i = 0; i < N; i++) {
        unsigned char *r = file + (size_t)i * RECSIZE;
        char s[32];
        put32(r, i % 2 ? 8 : 7);
        put32(r + 4, (uint32_t)i + 1);
        snprintf(s, sizeof s, "pts/%d", i % 50);
        memcpy(r + 8, s, strlen(s));
        snprintf(s, sizeof s, "u%d", i);
        memcpy(r + 44, s, strlen(s));
        put32(r + 340, (uint32_t)(BASE_SEC + i));
        put32(r + 344, (uint32_t)i);
    }
}

/* Does `e` hold record i? */
static int is_record(const ut_entry *e, int i) {
    char user[32], line[32];
    snprintf(user, sizeof user, "u%d", i);
    snprintf(line, sizeof line, "pts/%d", i % 50);
    return e->size == sizeof(ut_entry) && e->entry_type == (i % 2 ? UT_TYPE_DEAD_PROCESS : UT_TYPE_USER_PROCESS) &&
           e->pid == i + 1 && e->sec == BASE_SEC + i && e->usec == i && e->offset == (uint64_t)i * RECSIZE &&
           strcmp(e->user, user) == 0 && strcmp(e->line, line) == 0 && e->format == UT_FORMAT_LINUX_384_LE;
}

static ut_reader *open_file(ut_open_flags flags) {
    ut_reader *r = NULL;
    char err[256] = "";
    ut_status st = ut_reader_open_memory(file, sizeof file, UT_FORMAT_LINUX_384_LE, flags, &r, err, sizeof err);
    CHECK(st == UT_OK, "open_memory: %s (%s)", ut_status_str(st), err);
    return st == UT_OK ? r : NULL;
}

/* The `n`-th record a reader should give: forward, reverse, or only the
 * even (USER_PROCESS) ones. */
enum order { FORWARD, REVERSE, EVEN };
static int nth(enum order o, int n) { return o == FORWARD ? n : o == REVERSE ? N - 1 - n : 2 * n; }
static int total(enum order o) { return o == EVEN ? N / 2 : N; }

/* Read `r` to its end in batches of `cap`, from record number `from`
 * on; returns how many entries came. */
static int read_batches(ut_reader *r, size_t cap, enum order o, int from, const char *what) {
    static const ut_entry *got[2 * UT_BATCH_MAX];
    size_t i, n, calls = 0;
    int k = from;
    ut_status st;
    for (;;) {
        n = 12345;
        st = ut_reader_next_batch(r, got, cap, &n);
        if (st != UT_OK) break;
        calls++;
        CHECK(n >= 1 && n <= cap && n <= UT_BATCH_MAX, "%s cap %lu: count %lu", what, (unsigned long)cap,
              (unsigned long)n);
        /* A full batch unless the end is near: the call fills what it can. */
        CHECK(n == (cap < UT_BATCH_MAX ? cap : UT_BATCH_MAX) || k + (int)n == total(o),
              "%s cap %lu: a short batch (%lu) before the end", what, (unsigned long)cap, (unsigned long)n);
        /* Every entry of the batch at once, after the call. */
        for (i = 0; i < n; i++) {
            CHECK(k < total(o) && is_record(got[i], nth(o, k)), "%s cap %lu: entry %d is not record %d", what,
                  (unsigned long)cap, k, k < total(o) ? nth(o, k) : -1);
            if (i > 0) CHECK(got[i] != got[i - 1], "%s: two slots point to one entry", what);
            k++;
        }
    }
    CHECK_STATUS(st, UT_END);
    CHECK(n == 0, "%s cap %lu: UT_END with count %lu", what, (unsigned long)cap, (unsigned long)n);
    /* UT_END is sticky and leaves the array alone. */
    got[0] = NULL;
    CHECK_STATUS(ut_reader_next_batch(r, got, cap, &n), UT_END);
    CHECK(got[0] == NULL && n == 0, "%s: UT_END wrote the array or a count", what);
    CHECK(calls > 0 || from == total(o), "%s: no batch at all", what);
    return k - from;
}

static void test_capacities(void) {
    const size_t caps[] = {1, 2, 7, UT_BATCH_MAX - 1, UT_BATCH_MAX, UT_BATCH_MAX + 1, 2 * UT_BATCH_MAX};
    size_t c;
    for (c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        ut_reader *r = open_file(0);
        if (r == NULL) return;
        CHECK(read_batches(r, caps[c], FORWARD, 0, "forward") == N, "forward cap %lu: not every record",
              (unsigned long)caps[c]);
        ut_reader_close(r);
        r = open_file(UT_OPEN_REVERSE);
        if (r == NULL) return;
        CHECK(read_batches(r, caps[c], REVERSE, 0, "reverse") == N, "reverse cap %lu: not every record",
              (unsigned long)caps[c]);
        ut_reader_close(r);
    }
}

/* A capacity larger than any array: the library stops at UT_BATCH_MAX. */
static void test_huge_capacity(void) {
    static const ut_entry *got[UT_BATCH_MAX];
    ut_reader *r = open_file(0);
    size_t n = 0;
    if (r == NULL) return;
    CHECK_STATUS(ut_reader_next_batch(r, got, SIZE_MAX, &n), UT_OK);
    CHECK(n == UT_BATCH_MAX && is_record(got[0], 0) && is_record(got[n - 1], (int)n - 1),
          "cap SIZE_MAX: %lu entries", (unsigned long)n);
    ut_reader_close(r);
}

/* Batches, single entries, rewind, seek and a type filter on one reader. */
static void test_mixed(void) {
    const ut_entry *got[8], *e;
    ut_reader *r = open_file(0);
    size_t n = 0;
    if (r == NULL) return;
    CHECK_STATUS(ut_reader_next(r, &e), UT_OK);
    CHECK(is_record(e, 0), "next: not record 0");
    CHECK_STATUS(ut_reader_next_batch(r, got, 3, &n), UT_OK);
    CHECK(n == 3 && is_record(got[0], 1) && is_record(got[2], 3), "batch after next: records 1..3");
    CHECK_STATUS(ut_reader_next(r, &e), UT_OK);
    CHECK(is_record(e, 4), "next after batch: not record 4");
    CHECK(read_batches(r, 8, FORWARD, 5, "rest") == N - 5, "the rest after next/batch/next");

    CHECK_STATUS(ut_reader_rewind(r), UT_OK);
    CHECK_STATUS(ut_reader_next_batch(r, got, 8, &n), UT_OK);
    CHECK(n == 8 && is_record(got[0], 0), "batch after rewind: not from record 0");

    CHECK_STATUS(ut_reader_seek_time(r, BASE_SEC + 990), UT_OK);
    CHECK(read_batches(r, 4, FORWARD, 990, "after seek") == 10, "batches after seek_time: want 10");

    CHECK_STATUS(ut_reader_set_types(r, UT_TYPE_MASK_USER_PROCESS), UT_OK);
    CHECK_STATUS(ut_reader_rewind(r), UT_OK);
    CHECK(read_batches(r, 100, EVEN, 0, "USER_PROCESS only") == N / 2, "type filter: want %d", N / 2);
    ut_reader_close(r);
}

/* A bad capacity is refused with a message; nothing is read. */
static void test_invalid(void) {
    const ut_entry *got[2] = {NULL, NULL};
    ut_reader *r = open_file(0);
    const char *msg = NULL;
    size_t n = 77;
    if (r == NULL) return;
    CHECK_STATUS(ut_reader_next_batch(r, got, 0, &n), UT_ERR_INVALID);
    CHECK(n == 77 && got[0] == NULL, "cap 0 wrote its outputs");
    CHECK(ut_reader_error(r, &msg, NULL) == UT_OK && msg != NULL && msg[0] != '\0', "cap 0: no message");
    CHECK_STATUS(ut_reader_next_batch(r, got, 2, &n), UT_OK);
    CHECK(n == 2 && is_record(got[0], 0), "after a refused call: not from record 0");
    ut_reader_close(r);
}

static void test_versions(void) {
    const char *v = ut_version();
    unsigned a = 0, b = 0, c = 0;
    CHECK(v != NULL && sscanf(v, "%u.%u.%u", &a, &b, &c) == 3, "ut_version() \"%s\"", v ? v : "(null)");
    CHECK(a == UTX_VERSION_MAJOR && b == UTX_VERSION_MINOR && c == UTX_VERSION_PATCH,
          "ut_version() %s, header UTX_VERSION_* %u.%u.%u", v ? v : "(null)", UTX_VERSION_MAJOR, UTX_VERSION_MINOR,
          UTX_VERSION_PATCH);
    CHECK(ut_abi_version() == UTX_ABI_VERSION, "ut_abi_version() %u, header %u", (unsigned)ut_abi_version(),
          UTX_ABI_VERSION);
}

/* The mask and category constants are usable as C constant expressions
 * and mean what their names say. */
static void test_constants(void) {
    static const uint32_t masks[] = {
        UT_TYPE_MASK_EMPTY,        UT_TYPE_MASK_RUN_LVL,      UT_TYPE_MASK_BOOT_TIME,     UT_TYPE_MASK_NEW_TIME,
        UT_TYPE_MASK_OLD_TIME,     UT_TYPE_MASK_INIT_PROCESS, UT_TYPE_MASK_LOGIN_PROCESS, UT_TYPE_MASK_USER_PROCESS,
        UT_TYPE_MASK_DEAD_PROCESS, UT_TYPE_MASK_ACCOUNTING,   UT_TYPE_MASK_SIGNATURE,     UT_TYPE_MASK_SHUTDOWN_TIME,
        UT_TYPE_MASK_LAST_LOGIN,    UT_TYPE_MASK_UNKNOWN};
    static const uint32_t categories[][2] = {
        {UT_CATEGORY_SEATS, UT_LOGIND_SEATS}, {UT_CATEGORY_SESSIONS, UT_LOGIND_SESSIONS},
        {UT_CATEGORY_USERS, UT_LOGIND_USERS}, {UT_CATEGORY_MACHINES, UT_LOGIND_MACHINES},
        {UT_CATEGORY_UTMP, UT_MONITOR_UTMP},  {UT_CATEGORY_ALL, UT_MONITOR_ALL}};
    uint32_t all = 0;
    size_t i;
    for (i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        CHECK(masks[i] == UT_TYPE_BIT(i), "mask %lu is 0x%x", (unsigned long)i, (unsigned)masks[i]);
        CHECK(strcmp(ut_type_name((ut_type)i), "") != 0, "type %lu has no name", (unsigned long)i);
        all |= masks[i];
    }
    CHECK(all == UT_TYPE_MASK_ALL, "the masks make 0x%x, UT_TYPE_MASK_ALL is 0x%x", (unsigned)all,
          (unsigned)UT_TYPE_MASK_ALL);
    for (i = 0; i < sizeof categories / sizeof categories[0]; i++)
        CHECK(categories[i][0] == categories[i][1], "category alias %lu", (unsigned long)i);
}

int main(void) {
    make_file();
    test_capacities();
    test_huge_capacity();
    test_mixed();
    test_invalid();
    test_versions();
    test_constants();
    if (failures) {
        fprintf(stderr, "batch: %d check(s) failed\n", failures);
        return 1;
    }
    printf("batch: ok\n");
    return 0;
}
