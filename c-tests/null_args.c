/* Every exported function with a NULL in each pointer argument and with
 * unknown enum and flag values: the exact status, out-parameters left
 * untouched on failure, and caller error buffers never overrun.
 * (ABI rules 1-3 in DESIGN.md.) */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "utx.h"

static int failures;

#include "check.h"

/* A recognisable non-NULL value for out-parameters that must not change. */
static int sentinel_obj;
#define SENTINEL_READER ((ut_reader *)(void *)&sentinel_obj)
#define SENTINEL_ENTRY ((const ut_entry *)(const void *)&sentinel_obj)
#define SENTINEL_STR ((const char *)(const void *)&sentinel_obj)
#define SENTINEL_FORMAT ((ut_format)0xA5A5A5A5u)

/* One 384-byte little-endian glibc USER_PROCESS record. */
static unsigned char rec[384];

static void make_record(void) {
    memset(rec, 0, sizeof rec);
    rec[0] = 7;                   /* ut_type */
    rec[4] = 42;                  /* ut_pid */
    memcpy(rec + 8, "pts/0", 5);  /* ut_line */
    memcpy(rec + 40, "ts/0", 4);  /* ut_id */
    memcpy(rec + 44, "alice", 5); /* ut_user */
    rec[340] = 0x10;              /* ut_tv.tv_sec */
    rec[343] = 0x5f;
}

/* A reader over `rec`, or NULL (a failure is recorded). */
static ut_reader *open_rec(void) {
    ut_reader *r = NULL;
    char err[128];
    ut_status st = ut_reader_open_memory(rec, sizeof rec, UT_FORMAT_LINUX_384_LE, 0, &r, err, sizeof err);
    CHECK_STATUS(st, UT_OK);
    CHECK(r != NULL, "open_memory gave UT_OK but no reader");
    return st == UT_OK ? r : NULL;
}

/* A file holding `rec`, for ut_reader_open. */
static const char *write_rec_file(void) {
    static char path[64];
    FILE *f;
    snprintf(path, sizeof path, "/tmp/utx-null-args-%ld.wtmp", (long)getpid());
    f = fopen(path, "wb");
    if (f == NULL || fwrite(rec, 1, sizeof rec, f) != sizeof rec) {
        fprintf(stderr, "null_args: cannot write %s\n", path);
        failures++;
    }
    if (f != NULL) fclose(f);
    return path;
}

/* The number of normalized types: the bits of UT_TYPE_MASK_ALL. */
static int type_count(void) {
    int n = 0;
    uint32_t m = (uint32_t)UT_TYPE_MASK_ALL;
    while (m & 1u) {
        n++;
        m >>= 1;
    }
    return n;
}

static void test_open(const char *path) {
    ut_reader *r;
    char err[128];
    ut_status st;
    const ut_format bad_formats[] = {100000u, 0x7FFFFFFFu, 0xFFFFFFFFu};
    const ut_open_flags bad_flags[] = {0x80u, 0x1000u, 0x80000000u, 0xFFFFFFFFu};
    size_t i;

    r = SENTINEL_READER;
    err[0] = 'X';
    st = ut_reader_open(NULL, UT_FORMAT_AUTO, 0, &r, err, sizeof err);
    CHECK_STATUS(st, UT_ERR_NULL);
    CHECK(r == SENTINEL_READER, "open(NULL path) wrote *out");
    CHECK(err[0] != 'X' && err[0] != '\0' && memchr(err, 0, sizeof err) != NULL,
          "open(NULL path) gave no NUL-terminated message");

    st = ut_reader_open(path, UT_FORMAT_AUTO, 0, NULL, err, sizeof err);
    CHECK_STATUS(st, UT_ERR_NULL);
    st = ut_reader_open(NULL, UT_FORMAT_AUTO, 0, NULL, NULL, 0);
    CHECK_STATUS(st, UT_ERR_NULL);

    /* errbuf may be NULL, with any errlen, on failure and on success. */
    st = ut_reader_open(NULL, UT_FORMAT_AUTO, 0, &r, NULL, 100);
    CHECK_STATUS(st, UT_ERR_NULL);
    r = NULL;
    st = ut_reader_open(path, UT_FORMAT_AUTO, 0, &r, NULL, 100);
    CHECK_STATUS(st, UT_OK);
    CHECK(r != NULL, "open(path) gave UT_OK but no reader");
    ut_reader_close(r);

    for (i = 0; i < sizeof bad_formats / sizeof bad_formats[0]; i++) {
        r = SENTINEL_READER;
        err[0] = '\0';
        st = ut_reader_open(path, bad_formats[i], 0, &r, err, sizeof err);
        CHECK_STATUS(st, UT_ERR_INVALID);
        CHECK(r == SENTINEL_READER, "open(format %u) wrote *out", (unsigned)bad_formats[i]);
        CHECK(err[0] != '\0', "open(format %u) gave no message", (unsigned)bad_formats[i]);
    }
    for (i = 0; i < sizeof bad_flags / sizeof bad_flags[0]; i++) {
        r = SENTINEL_READER;
        err[0] = '\0';
        st = ut_reader_open(path, UT_FORMAT_AUTO, bad_flags[i], &r, err, sizeof err);
        CHECK_STATUS(st, UT_ERR_INVALID);
        CHECK(r == SENTINEL_READER, "open(flags 0x%x) wrote *out", (unsigned)bad_flags[i]);
        CHECK(err[0] != '\0', "open(flags 0x%x) gave no message", (unsigned)bad_flags[i]);
        /* Known bits mixed with unknown ones are still refused. */
        st = ut_reader_open(path, UT_FORMAT_AUTO, bad_flags[i] | UT_OPEN_REVERSE, &r, NULL, 0);
        CHECK_STATUS(st, UT_ERR_INVALID);
    }
}

static void test_open_memory(void) {
    ut_reader *r;
    const ut_entry *e;
    char err[128];
    ut_status st;

    r = SENTINEL_READER;
    st = ut_reader_open_memory(NULL, 384, UT_FORMAT_AUTO, 0, &r, err, sizeof err);
    CHECK_STATUS(st, UT_ERR_NULL);
    CHECK(r == SENTINEL_READER, "open_memory(NULL bytes) wrote *out");
    st = ut_reader_open_memory(rec, sizeof rec, UT_FORMAT_AUTO, 0, NULL, err, sizeof err);
    CHECK_STATUS(st, UT_ERR_NULL);

    /* NULL with length 0 is an empty buffer: UT_OK, then UT_END. */
    r = NULL;
    st = ut_reader_open_memory(NULL, 0, UT_FORMAT_LINUX_384_LE, 0, &r, err, sizeof err);
    CHECK_STATUS(st, UT_OK);
    if (st == UT_OK && r != NULL) {
        e = SENTINEL_ENTRY;
        st = ut_reader_next(r, &e);
        CHECK_STATUS(st, UT_END);
        CHECK(e == SENTINEL_ENTRY, "next() at end wrote *entry");
        ut_reader_close(r);
    }

    r = SENTINEL_READER;
    st = ut_reader_open_memory(rec, sizeof rec, 0xFFFFFFFFu, 0, &r, err, sizeof err);
    CHECK_STATUS(st, UT_ERR_INVALID);
    CHECK(r == SENTINEL_READER, "open_memory(bad format) wrote *out");
    st = ut_reader_open_memory(rec, sizeof rec, UT_FORMAT_AUTO, 0x10u, &r, err, sizeof err);
    CHECK_STATUS(st, UT_ERR_INVALID);
    CHECK(r == SENTINEL_READER, "open_memory(bad flags) wrote *out");
    /* Memory cannot be followed. */
    st = ut_reader_open_memory(rec, sizeof rec, UT_FORMAT_AUTO, UT_OPEN_FOLLOW, &r, err, sizeof err);
    CHECK_STATUS(st, UT_ERR_UNSUPPORTED);
    CHECK(r == SENTINEL_READER, "open_memory(UT_OPEN_FOLLOW) wrote *out");
}

static void test_open_db(void) {
    ut_reader *r;
    char err[128];
    ut_status st;
    const ut_database bad_dbs[] = {0u, 5u, 1000u, 0xFFFFFFFFu};
    size_t i;

    st = ut_reader_open_db(UT_DB_WTMP, 0, NULL, err, sizeof err);
    CHECK_STATUS(st, UT_ERR_NULL);
    for (i = 0; i < sizeof bad_dbs / sizeof bad_dbs[0]; i++) {
        r = SENTINEL_READER;
        err[0] = '\0';
        st = ut_reader_open_db(bad_dbs[i], 0, &r, err, sizeof err);
        CHECK_STATUS(st, UT_ERR_INVALID);
        CHECK(r == SENTINEL_READER, "open_db(%u) wrote *out", (unsigned)bad_dbs[i]);
        CHECK(err[0] != '\0', "open_db(%u) gave no message", (unsigned)bad_dbs[i]);
    }
    /* Bad flags are refused whether or not the database exists here. */
    r = SENTINEL_READER;
    st = ut_reader_open_db(UT_DB_UTMP, 0x40000000u, &r, err, sizeof err);
    CHECK_STATUS(st, UT_ERR_INVALID);
    CHECK(r == SENTINEL_READER, "open_db(bad flags) wrote *out");
    st = ut_reader_open_db(UT_DB_WTMP, UT_OPEN_FOLLOW, &r, err, sizeof err);
    CHECK_STATUS(st, UT_ERR_UNSUPPORTED);
    CHECK(r == SENTINEL_READER, "open_db(UT_OPEN_FOLLOW) wrote *out");
}

static void test_reader_calls(void) {
    ut_reader *r = open_rec();
    const ut_entry *e;
    const char *msg;
    int32_t os_errno;
    ut_format fmt;
    ut_status st;
    int ntypes = type_count();

    if (r == NULL) return;

    e = SENTINEL_ENTRY;
    CHECK_STATUS(ut_reader_next(NULL, &e), UT_ERR_NULL);
    CHECK(e == SENTINEL_ENTRY, "next(NULL reader) wrote *entry");
    CHECK_STATUS(ut_reader_next(r, NULL), UT_ERR_NULL);
    CHECK_STATUS(ut_reader_rewind(NULL), UT_ERR_NULL);
    CHECK_STATUS(ut_reader_set_types(NULL, UT_TYPE_MASK_ALL), UT_ERR_NULL);

    fmt = SENTINEL_FORMAT;
    CHECK_STATUS(ut_reader_format(NULL, &fmt), UT_ERR_NULL);
    CHECK(fmt == SENTINEL_FORMAT, "format(NULL reader) wrote *format");
    CHECK_STATUS(ut_reader_format(r, NULL), UT_ERR_NULL);
    CHECK_STATUS(ut_reader_format(r, &fmt), UT_OK);
    CHECK(fmt == UT_FORMAT_LINUX_384_LE, "format %u, want %u", (unsigned)fmt, (unsigned)UT_FORMAT_LINUX_384_LE);

    {
        uint64_t skipped = 77;
        CHECK_STATUS(ut_reader_skipped(NULL, &skipped), UT_ERR_NULL);
        CHECK(skipped == 77, "skipped(NULL reader) wrote *count");
        CHECK_STATUS(ut_reader_skipped(r, NULL), UT_ERR_NULL);
        CHECK_STATUS(ut_reader_skipped(r, &skipped), UT_OK);
        CHECK(skipped == 0, "skipped %lu on a fresh reader, want 0", (unsigned long)skipped);
    }

    msg = SENTINEL_STR;
    os_errno = 12345;
    CHECK_STATUS(ut_reader_error(NULL, &msg, &os_errno), UT_ERR_NULL);
    CHECK(msg == SENTINEL_STR && os_errno == 12345, "error(NULL reader) wrote its outputs");
    CHECK_STATUS(ut_reader_error(r, NULL, NULL), UT_OK);
    CHECK_STATUS(ut_reader_error(r, &msg, NULL), UT_OK);
    CHECK(msg != NULL && msg != SENTINEL_STR && msg[0] == '\0', "error() on a fresh reader: want \"\"");
    CHECK_STATUS(ut_reader_error(r, NULL, &os_errno), UT_OK);
    CHECK(os_errno == 0, "error() on a fresh reader: errno %d, want 0", (int)os_errno);

    {
        uint64_t off = 77;
        int fd = 77;
        CHECK_STATUS(ut_reader_tell(NULL, &off), UT_ERR_NULL);
        CHECK(off == 77, "tell(NULL reader) wrote *offset");
        CHECK_STATUS(ut_reader_tell(r, NULL), UT_ERR_NULL);
        CHECK_STATUS(ut_reader_tell(r, &off), UT_OK);
        CHECK(off == 0, "tell %lu on a fresh reader, want 0", (unsigned long)off);
        CHECK_STATUS(ut_reader_seek_offset(NULL, 0), UT_ERR_NULL);
        /* Misaligned and past the end: refused, the position unchanged. */
        CHECK_STATUS(ut_reader_seek_offset(r, 1), UT_ERR_INVALID);
        CHECK_STATUS(ut_reader_seek_offset(r, 768), UT_ERR_INVALID);
        CHECK_STATUS(ut_reader_tell(r, &off), UT_OK);
        CHECK(off == 0, "a refused seek_offset moved the reader to %lu", (unsigned long)off);
        msg = NULL;
        CHECK_STATUS(ut_reader_error(r, &msg, NULL), UT_OK);
        CHECK(msg != NULL && strstr(msg, "past the last whole record") != NULL, "refused seek: message '%s'",
              msg ? msg : "(null)");
        CHECK_STATUS(ut_reader_follow_fd(NULL, &fd), UT_ERR_NULL);
        CHECK(fd == 77, "follow_fd(NULL reader) wrote *fd");
        CHECK_STATUS(ut_reader_follow_fd(r, NULL), UT_ERR_NULL);
        /* A reader that does not follow has no descriptor. */
        CHECK_STATUS(ut_reader_follow_fd(r, &fd), UT_ERR_INVALID);
        CHECK(fd == 77, "a failed follow_fd wrote *fd");
    }

    /* Unknown type bits are refused and leave the filter as it was. */
    if (ntypes < 32) {
        CHECK_STATUS(ut_reader_set_types(r, 1u << ntypes), UT_ERR_INVALID);
        CHECK_STATUS(ut_reader_set_types(r, (uint32_t)UT_TYPE_MASK_ALL | (1u << ntypes)), UT_ERR_INVALID);
    }
    CHECK_STATUS(ut_reader_set_types(r, 0x80000000u), UT_ERR_INVALID);
    CHECK_STATUS(ut_reader_set_types(r, 0xFFFFFFFFu), UT_ERR_INVALID);
    st = ut_reader_next(r, &e);
    CHECK_STATUS(st, UT_OK);
    if (st == UT_OK) {
        CHECK(e->size == sizeof(ut_entry), "entry size %u, want %u", (unsigned)e->size, (unsigned)sizeof(ut_entry));
        CHECK(e->entry_type == UT_TYPE_USER_PROCESS && strcmp(e->user, "alice") == 0,
              "a refused set_types() changed the filter or the entry is wrong");
    }
    CHECK_STATUS(ut_reader_next(r, &e), UT_END);
    /* UT_END is sticky. */
    e = SENTINEL_ENTRY;
    CHECK_STATUS(ut_reader_next(r, &e), UT_END);
    CHECK(e == SENTINEL_ENTRY, "next() at end wrote *entry");

    /* A valid mask that excludes the record: nothing comes back. */
    CHECK_STATUS(ut_reader_set_types(r, UT_TYPE_BIT(UT_TYPE_DEAD_PROCESS)), UT_OK);
    CHECK_STATUS(ut_reader_rewind(r), UT_OK);
    CHECK_STATUS(ut_reader_next(r, &e), UT_END);
    CHECK_STATUS(ut_reader_set_types(r, UT_TYPE_BIT(UT_TYPE_USER_PROCESS)), UT_OK);
    CHECK_STATUS(ut_reader_rewind(r), UT_OK);
    CHECK_STATUS(ut_reader_next(r, &e), UT_OK);

    ut_reader_close(r);
    ut_reader_close(NULL); /* a no-op */
}

static void test_names(void) {
    const ut_status known[] = {UT_OK, UT_END, UT_ERR_NULL, UT_ERR_INVALID, UT_ERR_NOT_FOUND,
                               UT_ERR_PERMISSION, UT_ERR_IO, UT_ERR_FORMAT, UT_ERR_UNSUPPORTED,
                               UT_ERR_NOMEM, UT_ERR_INTERNAL};
    const ut_status unknown[] = {2, 3, 100, -10, -1000, INT32_MIN, INT32_MAX};
    const char *unknown_text = ut_status_str(INT32_MIN);
    const char *s;
    size_t i, j;
    int ntypes = type_count(), named = 0;
    uint32_t f;
    ut_format got;

    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        s = ut_status_str(unknown[i]);
        CHECK(s != NULL && s[0] != '\0', "ut_status_str(%d) is NULL or empty", (int)unknown[i]);
    }
    for (i = 0; i < sizeof known / sizeof known[0]; i++) {
        s = ut_status_str(known[i]);
        CHECK(s != NULL && s[0] != '\0', "ut_status_str(%d) is NULL or empty", (int)known[i]);
        if (s == NULL) continue;
        CHECK(unknown_text == NULL || strcmp(s, unknown_text) != 0,
              "ut_status_str(%d) says \"%s\" like an unknown status", (int)known[i], s);
        for (j = 0; j < i; j++) {
            const char *t = ut_status_str(known[j]);
            CHECK(t == NULL || strcmp(s, t) != 0, "statuses %d and %d share the text \"%s\"",
                  (int)known[i], (int)known[j], s);
        }
    }

    /* Every named format round-trips through ut_format_from_name. */
    for (f = 0; f < 256; f++) {
        s = ut_format_name(f);
        if (s == NULL) continue;
        named++;
        got = SENTINEL_FORMAT;
        CHECK_STATUS(ut_format_from_name(s, &got), UT_OK);
        CHECK(got == f, "ut_format_from_name(\"%s\") = %u, want %u", s, (unsigned)got, (unsigned)f);
    }
    for (f = UT_FORMAT_AUTO; f <= UT_FORMAT_LOGIND; f++)
        CHECK(ut_format_name(f) != NULL, "ut_format_name(%u) is NULL", (unsigned)f);
    CHECK(named >= (int)UT_FORMAT_LOGIND + 1, "only %d named formats", named);
    CHECK(ut_format_name(100000u) == NULL, "ut_format_name(100000) is not NULL");
    CHECK(ut_format_name(0x7FFFFFFFu) == NULL, "ut_format_name(0x7FFFFFFF) is not NULL");
    CHECK(ut_format_name(0xFFFFFFFFu) == NULL, "ut_format_name(0xFFFFFFFF) is not NULL");

    got = SENTINEL_FORMAT;
    CHECK_STATUS(ut_format_from_name(NULL, &got), UT_ERR_NULL);
    CHECK(got == SENTINEL_FORMAT, "format_from_name(NULL) wrote *format");
    CHECK_STATUS(ut_format_from_name("linux-384-le", NULL), UT_ERR_NULL);
    CHECK_STATUS(ut_format_from_name("no-such-format", &got), UT_ERR_INVALID);
    CHECK_STATUS(ut_format_from_name("", &got), UT_ERR_INVALID);
    CHECK_STATUS(ut_format_from_name("\xff\xfe", &got), UT_ERR_INVALID);
    CHECK(got == SENTINEL_FORMAT, "a failed format_from_name wrote *format");

    /* Format families: every named format has one; unknown formats and a
     * NULL out-pointer are refused without writing. */
    {
        ut_family fam;
        for (f = 0; f < 256; f++) {
            if (ut_format_name(f) == NULL) continue;
            fam = 0xA5A5A5A5u;
            CHECK_STATUS(ut_format_family(f, &fam), UT_OK);
            CHECK(fam <= UT_FAMILY_HPUX, "ut_format_family(%u) = %u, not a UT_FAMILY_*", (unsigned)f, (unsigned)fam);
        }
        fam = 0xA5A5A5A5u;
        CHECK_STATUS(ut_format_family(UT_FORMAT_LINUX_384_LE, NULL), UT_ERR_NULL);
        CHECK_STATUS(ut_format_family(100000u, &fam), UT_ERR_INVALID);
        CHECK_STATUS(ut_format_family(0xFFFFFFFFu, &fam), UT_ERR_INVALID);
        CHECK(fam == 0xA5A5A5A5u, "a failed ut_format_family wrote *family");
        CHECK_STATUS(ut_format_family(UT_FORMAT_LINUX_384_LE, &fam), UT_OK);
        CHECK(fam == UT_FAMILY_LINUX, "linux-384-le family %u", (unsigned)fam);
    }

    /* Type names: every type below the mask's width, and nothing else. */
    CHECK(ntypes >= UT_TYPE_LAST_LOGIN + 1, "UT_TYPE_MASK_ALL covers only %d types", ntypes);
    for (i = 0; i < (size_t)ntypes; i++)
        CHECK(ut_type_name((ut_type)i) != NULL, "ut_type_name(%d) is NULL", (int)i);
    CHECK(strcmp(ut_type_name(UT_TYPE_USER_PROCESS), "USER_PROCESS") == 0, "ut_type_name(USER_PROCESS)");
    CHECK(ut_type_name(ntypes) == NULL, "ut_type_name(%d) is not NULL", ntypes);
    CHECK(ut_type_name(-1) == NULL, "ut_type_name(-1) is not NULL");
    CHECK(ut_type_name(INT32_MIN) == NULL, "ut_type_name(INT32_MIN) is not NULL");
    CHECK(ut_type_name(INT32_MAX) == NULL, "ut_type_name(INT32_MAX) is not NULL");

    s = ut_version();
    CHECK(s != NULL, "ut_version() is NULL");
    if (s != NULL) {
        unsigned a, b, c;
        char tail;
        CHECK(sscanf(s, "%u.%u.%u%c", &a, &b, &c, &tail) == 3, "ut_version() \"%s\" is not MAJOR.MINOR.PATCH", s);
    }
}

/* Caller buffers: errlen 0 writes nothing, 1 writes only the NUL, a small
 * length cuts the message; nothing past errlen changes. */
static void test_errbuf(void) {
    char buf[64];
    ut_reader *r = SENTINEL_READER;
    size_t lens[] = {0, 1, 2, 5, 16};
    size_t i, k, len;
    ut_status st;

    for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        len = lens[i];
        memset(buf, 'Z', sizeof buf);
        st = ut_reader_open(NULL, UT_FORMAT_AUTO, 0, &r, buf, len);
        CHECK_STATUS(st, UT_ERR_NULL);
        for (k = len; k < sizeof buf; k++) {
            if (buf[k] != 'Z') {
                CHECK(0, "errlen %u: byte %u past the buffer was overwritten", (unsigned)len, (unsigned)k);
                break;
            }
        }
        if (len > 0) {
            CHECK(memchr(buf, 0, len) != NULL, "errlen %u: message not NUL-terminated", (unsigned)len);
            /* The message ("path is NULL" or the like) is longer than 4
             * bytes, so it fills the buffer. */
            CHECK(strlen(buf) == len - 1 || len > 5, "errlen %u: strlen %u, want %u", (unsigned)len,
                  (unsigned)strlen(buf), (unsigned)(len - 1));
        }
        /* The same for an invalid-argument failure from each opener. */
        memset(buf, 'Z', sizeof buf);
        st = ut_reader_open_memory(rec, sizeof rec, 0xFFFFFFFFu, 0, &r, buf, len);
        CHECK_STATUS(st, UT_ERR_INVALID);
        for (k = len; k < sizeof buf; k++) {
            if (buf[k] != 'Z') {
                CHECK(0, "open_memory errlen %u: byte %u past the buffer was overwritten", (unsigned)len,
                      (unsigned)k);
                break;
            }
        }
        if (len > 0) CHECK(memchr(buf, 0, len) != NULL, "open_memory errlen %u: no NUL", (unsigned)len);
        memset(buf, 'Z', sizeof buf);
        st = ut_reader_open_db(0xFFFFFFFFu, 0, &r, buf, len);
        CHECK_STATUS(st, UT_ERR_INVALID);
        for (k = len; k < sizeof buf; k++) {
            if (buf[k] != 'Z') {
                CHECK(0, "open_db errlen %u: byte %u past the buffer was overwritten", (unsigned)len,
                      (unsigned)k);
                break;
            }
        }
        if (len > 0) CHECK(memchr(buf, 0, len) != NULL, "open_db errlen %u: no NUL", (unsigned)len);
    }
    CHECK(r == SENTINEL_READER, "a failed open wrote *out");

    /* A long message (a long path) into a small buffer. */
    {
        char path[300];
        memset(path, 'p', sizeof path - 1);
        path[0] = '/';
        path[sizeof path - 1] = '\0';
        memset(buf, 'Z', sizeof buf);
        st = ut_reader_open(path, UT_FORMAT_AUTO, 0, &r, buf, 32);
        CHECK(st < 0, "open(nonexistent long path) status %d", (int)st);
        CHECK(strlen(buf) == 31, "long message into 32 bytes: strlen %u, want 31", (unsigned)strlen(buf));
        for (k = 32; k < sizeof buf; k++) {
            if (buf[k] != 'Z') {
                CHECK(0, "long message: byte %u past the buffer was overwritten", (unsigned)k);
                break;
            }
        }
    }
}

/* ut_reader_next_batch: NULL reader, array or count, and capacity 0;
 * nothing written on failure.  ut_abi_version takes no argument. */
static void test_batch_args(void) {
    ut_reader *r = open_rec();
    const ut_entry *got[2] = {SENTINEL_ENTRY, SENTINEL_ENTRY};
    size_t n = 77;

    CHECK(ut_abi_version() == UTX_ABI_VERSION, "ut_abi_version() %u", (unsigned)ut_abi_version());
    if (r == NULL) return;
    CHECK_STATUS(ut_reader_next_batch(NULL, got, 2, &n), UT_ERR_NULL);
    CHECK_STATUS(ut_reader_next_batch(r, NULL, 2, &n), UT_ERR_NULL);
    CHECK_STATUS(ut_reader_next_batch(r, got, 2, NULL), UT_ERR_NULL);
    CHECK_STATUS(ut_reader_next_batch(r, got, 0, &n), UT_ERR_INVALID);
    CHECK(n == 77 && got[0] == SENTINEL_ENTRY, "a failed next_batch wrote its outputs");
    CHECK_STATUS(ut_reader_next_batch(r, got, 2, &n), UT_OK);
    CHECK(n == 1 && got[0] != SENTINEL_ENTRY && strcmp(got[0]->user, "alice") == 0 && got[1] == SENTINEL_ENTRY,
          "next_batch after the refused calls: %lu entries", (unsigned long)n);
    ut_reader_close(r);
}

/* The writer's functions with each pointer NULL. */
static void test_writer(const char *path) {
    ut_writer *w = (ut_writer *)(void *)&sentinel_obj;
    ut_entry e;
    unsigned char buf[400];
    size_t n = 7;
    uint32_t cut = 0;
    int64_t id = 77;
    ut_format f = SENTINEL_FORMAT;
    const char *msg = SENTINEL_STR;
    char err[64];
    memset(&e, 0, sizeof e);
    e.size = sizeof e;
    e.entry_type = UT_TYPE_USER_PROCESS;
    CHECK_STATUS(ut_writer_open(NULL, UT_FORMAT_AUTO, 0, &w, err, sizeof err), UT_ERR_NULL);
    CHECK(w == NULL, "writer_open(NULL path) must set *out to NULL");
    CHECK_STATUS(ut_writer_open(path, UT_FORMAT_AUTO, 0, NULL, err, sizeof err), UT_ERR_NULL);
    CHECK_STATUS(ut_writer_open(path, UT_FORMAT_AUTO, 0x100, &w, err, sizeof err), UT_ERR_INVALID);
    CHECK_STATUS(ut_writer_open(path, 9999, 0, &w, NULL, 0), UT_ERR_INVALID);
    CHECK_STATUS(ut_writer_put(NULL, &e, &cut), UT_ERR_NULL);
    CHECK_STATUS(ut_writer_put_many(NULL, &e, 1, &cut), UT_ERR_NULL);
    CHECK_STATUS(ut_writer_error(NULL, &msg, NULL), UT_ERR_NULL);
    CHECK(msg == SENTINEL_STR, "writer_error(NULL) must leave *message");
    CHECK_STATUS(ut_writer_format(NULL, &f), UT_ERR_NULL);
    CHECK(f == SENTINEL_FORMAT, "writer_format(NULL) must leave *format");
    ut_writer_close(NULL);
    CHECK_STATUS(ut_writer_open(path, UT_FORMAT_AUTO, 0, &w, err, sizeof err), UT_OK);
    if (w != NULL) {
        CHECK_STATUS(ut_writer_put(w, NULL, &cut), UT_ERR_NULL);
        CHECK_STATUS(ut_writer_put_many(w, NULL, 1, &cut), UT_ERR_NULL);
        CHECK_STATUS(ut_writer_format(w, NULL), UT_ERR_NULL);
        CHECK_STATUS(ut_writer_error(w, NULL, NULL), UT_OK);
        ut_writer_close(w);
    }
    CHECK_STATUS(ut_entry_encode(NULL, UT_FORMAT_LINUX_384_LE, buf, sizeof buf, &n, &cut), UT_ERR_NULL);
    CHECK_STATUS(ut_entry_encode(&e, UT_FORMAT_LINUX_384_LE, NULL, sizeof buf, &n, &cut), UT_ERR_NULL);
    CHECK_STATUS(ut_entry_encode(&e, UT_FORMAT_LINUX_384_LE, buf, sizeof buf, NULL, &cut), UT_ERR_NULL);
    CHECK(n == 7, "encode with NULL written must leave n");
    /* NULL strings in the entry are "", and cut may be NULL. */
    CHECK_STATUS(ut_entry_encode(&e, UT_FORMAT_LINUX_384_LE, buf, sizeof buf, &n, NULL), UT_OK);
    CHECK(n == 384, "encode wrote %u bytes", (unsigned)n);
    CHECK_STATUS(ut_login(NULL), UT_ERR_NULL);
    CHECK_STATUS(ut_login_at(NULL, NULL, NULL), UT_ERR_NULL);
    CHECK_STATUS(ut_logout(NULL), UT_ERR_NULL);
    CHECK_STATUS(ut_logout_at(path, NULL, 1, 0), UT_ERR_NULL);
    CHECK_STATUS(ut_native_format(NULL), UT_ERR_NULL);
    CHECK_STATUS(ut_wtmpdb_login(path, NULL, &id), UT_ERR_NULL);
    CHECK_STATUS(ut_wtmpdb_login(path, &e, NULL), UT_ERR_NULL);
    CHECK_STATUS(ut_lastlog2_update(path, NULL), UT_ERR_NULL);
    CHECK(id == 77, "wtmpdb_login with NULL must leave *id");
}

int main(void) {
    const char *path;
    make_record();
    path = write_rec_file();
    test_open(path);
    test_open_memory();
    test_open_db();
    test_reader_calls();
    test_batch_args();
    test_names();
    test_errbuf();
    test_writer(path);
    remove(path);
    if (failures) {
        fprintf(stderr, "null_args: %d check(s) failed\n", failures);
        return 1;
    }
    printf("null_args: ok\n");
    return 0;
}
