/* Bad input never crashes, hangs or goes unexplained: random bytes under
 * every format, truncated and tiny files, a directory, a FIFO, devices, a
 * missing file, an unreadable file, a symlink loop.  Every failure must
 * come with a status and a message.  Runs under ASan/UBSan and valgrind
 * too (ci/test.sh), which catch out-of-bounds reads. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "utx.h"

static int failures;

#include "check.h"

static char dir[64];
static char path[256];

static const char *in_dir(const char *name) {
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void write_file(const char *p, const void *data, size_t len) {
    FILE *f = fopen(p, "wb");
    if (f == NULL || (len > 0 && fwrite(data, 1, len, f) != len)) {
        fprintf(stderr, "bad_input: cannot write %s: %s\n", p, strerror(errno));
        exit(1);
    }
    fclose(f);
}

/* xorshift64*: a fixed seed makes every run read the same bytes. */
static uint64_t rng_state;
static uint64_t rng(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

/* Read `r` to the end.  An error must carry a message; the walk must end
 * (at most one entry per byte, plus one).  Returns entries, or -1 on an
 * error status. */
static volatile size_t sink;

static long drain(ut_reader *r, size_t len, const char *what) {
    const ut_entry *e = NULL;
    ut_status st;
    long n = 0;
    while ((st = ut_reader_next(r, &e)) == UT_OK) {
        if (e == NULL || e->size != sizeof(ut_entry) || e->user == NULL || e->line == NULL || e->id == NULL ||
            e->host == NULL || e->service == NULL || e->addr_text == NULL) {
            CHECK(0, "%s: malformed entry %ld", what, n);
            return -1;
        }
        /* Touch every string so ASan/valgrind see any bad pointer. */
        sink += strlen(e->user) + strlen(e->line) + strlen(e->id) + strlen(e->host) + strlen(e->service) +
                strlen(e->addr_text);
        n++;
        if ((size_t)n > len + 1) {
            CHECK(0, "%s: %ld entries from %lu bytes: the walk does not end", what, n, (unsigned long)len);
            return -1;
        }
    }
    if (st != UT_END) {
        const char *msg = NULL;
        int32_t os_errno = -1;
        CHECK(st < 0, "%s: next() gave unknown status %d", what, (int)st);
        CHECK(ut_reader_error(r, &msg, &os_errno) == UT_OK && msg != NULL && msg[0] != '\0',
              "%s: next() failed (%s) with no message", what, ut_status_str(st));
        /* After an error the reader stays usable: close must work, and
         * calls must not crash. */
        (void)ut_reader_next(r, &e);
        return -1;
    }
    return n;
}

/* Open `len` bytes from memory under `format`; fail only on a crash or a
 * missing message.  Returns the open status. */
static ut_status try_memory(const unsigned char *buf, size_t len, ut_format format, ut_open_flags flags,
                            const char *what) {
    ut_reader *r = NULL;
    char err[256];
    ut_status st;
    err[0] = '\0';
    st = ut_reader_open_memory(buf, len, format, flags, &r, err, sizeof err);
    if (st == UT_OK) {
        CHECK(r != NULL, "%s: UT_OK but no reader", what);
        if (r != NULL) {
            drain(r, len, what);
            /* Rewind and read again: must not crash either. */
            if (ut_reader_rewind(r) == UT_OK) drain(r, len, what);
            ut_reader_close(r);
        }
    } else {
        CHECK(st < 0, "%s: open gave status %d", what, (int)st);
        CHECK(r == NULL, "%s: failed open wrote *out", what);
        CHECK(err[0] != '\0', "%s: open failed (%s) with no message", what, ut_status_str(st));
    }
    return st;
}

/* The same for a file: returns the open status, message in `err`. */
static ut_status try_file(const char *p, ut_format format, ut_open_flags flags, char *err, size_t errlen,
                          long *entries) {
    ut_reader *r = NULL;
    ut_status st;
    struct stat sb;
    size_t len = stat(p, &sb) == 0 && S_ISREG(sb.st_mode) ? (size_t)sb.st_size : 0;
    err[0] = '\0';
    *entries = -2;
    st = ut_reader_open(p, format, flags, &r, err, errlen);
    if (st == UT_OK) {
        *entries = drain(r, len, p);
        ut_reader_close(r);
    } else {
        CHECK(st < 0, "%s: open gave status %d", p, (int)st);
        CHECK(err[0] != '\0', "%s: open failed (%s) with no message", p, ut_status_str(st));
    }
    return st;
}

/* One 384-byte little-endian glibc record. */
static void make_record(unsigned char *rec, int type, const char *user, uint32_t sec) {
    memset(rec, 0, 384);
    rec[0] = (unsigned char)type;
    rec[4] = 7;
    memcpy(rec + 8, "pts/1", 5);
    memcpy(rec + 40, "ts/1", 4);
    memcpy(rec + 44, user, strlen(user));
    rec[340] = (unsigned char)(sec & 0xff);
    rec[341] = (unsigned char)((sec >> 8) & 0xff);
    rec[342] = (unsigned char)((sec >> 16) & 0xff);
    rec[343] = (unsigned char)((sec >> 24) & 0xff);
}

static void test_random(void) {
    static unsigned char buf[4096];
    char what[96];
    int iter, k;
    ut_format f, nformats = 0;
    const char *seed_env = getenv("UTX_SEED");
    uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : 0x5eed5eedull;

    rng_state = seed ? seed : 1;
    while (ut_format_name(nformats) != NULL) nformats++;
    printf("bad_input: random bytes, seed 0x%llx, formats 0..%u\n", (unsigned long long)seed, (unsigned)nformats - 1);
    for (iter = 0; iter < 60; iter++) {
        size_t len = (size_t)(rng() % sizeof buf);
        for (k = 0; k < (int)len; k++) buf[k] = (unsigned char)rng();
        /* Some buffers look almost right: a valid type in each record. */
        if (iter % 3 == 0)
            for (k = 0; k + 384 <= (int)len; k += 384) buf[k] = (unsigned char)(rng() % 10), buf[k + 1] = 0;
        for (f = 0; f < nformats; f++) {
            snprintf(what, sizeof what, "random #%d (%lu bytes) as format %u", iter, (unsigned long)len, (unsigned)f);
            try_memory(buf, len, f, 0, what);
            try_memory(buf, len, f, UT_OPEN_REVERSE, what);
        }
    }
    /* And one random file through the file path. */
    {
        char err[256];
        long n;
        write_file(in_dir("random.bin"), buf, sizeof buf);
        for (f = 0; f < nformats; f++) {
            try_file(path, f, 0, err, sizeof err, &n);
            try_file(path, f, UT_OPEN_REVERSE, err, sizeof err, &n);
        }
    }
}

static void test_small_files(void) {
    unsigned char recs[3 * 384];
    unsigned char ff[384];
    char err[256];
    long n;
    ut_status st;
    ut_reader *r = NULL;
    const ut_entry *e;
    int full = 0, partial = 0;

    /* Empty: a valid, empty source. */
    write_file(in_dir("empty"), "", 0);
    st = try_file(path, UT_FORMAT_AUTO, 0, err, sizeof err, &n);
    CHECK(st == UT_OK && n == 0, "empty file: %s (%s), %ld entries; want UT_OK then UT_END", ut_status_str(st), err, n);
    st = try_file(path, UT_FORMAT_AUTO, UT_OPEN_REVERSE, err, sizeof err, &n);
    CHECK(st == UT_OK && n == 0, "empty file, reverse: %s (%s), %ld entries", ut_status_str(st), err, n);
    st = try_memory((const unsigned char *)"", 0, UT_FORMAT_AUTO, 0, "empty buffer");
    CHECK(st == UT_OK, "empty buffer: %s", ut_status_str(st));

    /* One byte, 384 0xFF bytes: a status and a message, no crash. */
    write_file(in_dir("one-byte"), "\x07", 1);
    st = try_file(path, UT_FORMAT_AUTO, 0, err, sizeof err, &n);
    printf("bad_input: 1-byte file: %s%s%s, %ld entries\n", ut_status_str(st), err[0] ? ": " : "", err, n);
    memset(ff, 0xFF, sizeof ff);
    write_file(in_dir("all-ff"), ff, sizeof ff);
    st = try_file(path, UT_FORMAT_AUTO, 0, err, sizeof err, &n);
    printf("bad_input: 384 0xFF bytes: %s%s%s, %ld entries\n", ut_status_str(st), err[0] ? ": " : "", err, n);
    st = try_file(path, UT_FORMAT_LINUX_384_LE, 0, err, sizeof err, &n);
    printf("bad_input: 384 0xFF bytes as linux-384-le: %s%s%s, %ld entries\n", ut_status_str(st), err[0] ? ": " : "",
           err, n);
    {
        /* Forced on garbage: no entry, but the skipped record is counted. */
        ut_reader *r = NULL;
        const ut_entry *e;
        uint64_t skipped = 99;
        st = ut_reader_open(path, UT_FORMAT_LINUX_384_LE, 0, &r, err, sizeof err);
        CHECK(st == UT_OK, "0xFF as linux-384-le: %s", ut_status_str(st));
        if (st == UT_OK) {
            CHECK(ut_reader_next(r, &e) == UT_END, "0xFF record decoded as an entry");
            CHECK(ut_reader_skipped(r, &skipped) == UT_OK && skipped == 1, "skipped %lu, want 1",
                  (unsigned long)skipped);
            CHECK(ut_reader_rewind(r) == UT_OK && ut_reader_skipped(r, &skipped) == UT_OK && skipped == 0,
                  "rewind did not reset the skipped count");
            ut_reader_close(r);
        }
    }

    /* Truncated: two whole records and 100 bytes of a third.  The two
     * decode; the tail is at most one entry flagged PARTIAL_RECORD. */
    make_record(recs, 7, "alice", 1600000000u);
    make_record(recs + 384, 8, "alice", 1600003600u);
    make_record(recs + 768, 7, "bob", 1600007200u);
    write_file(in_dir("truncated"), recs, 2 * 384 + 100);
    st = ut_reader_open(path, UT_FORMAT_AUTO, 0, &r, err, sizeof err);
    CHECK(st == UT_OK, "truncated file: %s (%s)", ut_status_str(st), err);
    if (st == UT_OK) {
        while ((st = ut_reader_next(r, &e)) == UT_OK) {
            if (e->flags & UT_ENTRY_PARTIAL_RECORD) {
                partial++;
                CHECK(e->offset == 768, "partial record at offset %llu, want 768", (unsigned long long)e->offset);
            } else {
                full++;
            }
        }
        CHECK(st == UT_END, "truncated file: next() gave %s", ut_status_str(st));
        CHECK(full == 2 && partial <= 1, "truncated file: %d whole and %d partial entries, want 2 and 0-1", full,
              partial);
        ut_reader_close(r);
    }
    /* The same newest first: the partial tail does not hide the records. */
    r = NULL;
    full = partial = 0;
    st = ut_reader_open(path, UT_FORMAT_LINUX_384_LE, UT_OPEN_REVERSE, &r, err, sizeof err);
    CHECK(st == UT_OK, "truncated file, reverse: %s (%s)", ut_status_str(st), err);
    if (st == UT_OK) {
        int first_full_is_dead = -1;
        while ((st = ut_reader_next(r, &e)) == UT_OK) {
            if (e->flags & UT_ENTRY_PARTIAL_RECORD) {
                partial++;
            } else {
                if (full == 0) first_full_is_dead = e->entry_type == UT_TYPE_DEAD_PROCESS;
                full++;
            }
        }
        CHECK(st == UT_END && full == 2 && partial <= 1, "truncated reverse: %s, %d whole, %d partial",
              ut_status_str(st), full, partial);
        CHECK(first_full_is_dead == 1, "truncated reverse: newest whole record is not the DEAD_PROCESS one");
        ut_reader_close(r);
    }
    /* Truncated in memory as well. */
    try_memory(recs, 2 * 384 + 100, UT_FORMAT_AUTO, 0, "truncated buffer");
    try_memory(recs, 2 * 384 + 100, UT_FORMAT_AUTO, UT_OPEN_REVERSE, "truncated buffer, reverse");
}

/* utmpdump text with a line far longer than any record: the line is
 * skipped, the records around it are read, and nothing hangs. */
static void test_long_text_line(void) {
    static const char rec[] = "[7] [00013] [ts/1] [torvalds] [linux       ] [hobby               ] "
                              "[128.214.205.14 ] [1991-08-26T00:57:08,000000+00:00]\n";
    static char text[3 * sizeof rec + 70002 + 3 * sizeof rec];
    size_t n = 0, i;
    ut_reader *r = NULL;
    const ut_entry *e;
    char err[256];
    ut_status st;
    int flags;
    int fwd = 0, rev = 0;

    for (i = 0; i < 3; i++, n += sizeof rec - 1) memcpy(text + n, rec, sizeof rec - 1);
    memset(text + n, 'x', 70000);
    n += 70000;
    text[n++] = '\n';
    for (i = 0; i < 3; i++, n += sizeof rec - 1) memcpy(text + n, rec, sizeof rec - 1);
    write_file(in_dir("long-line.txt"), text, n);
    for (flags = 0; flags <= (int)UT_OPEN_REVERSE; flags++) {
        int *count = flags ? &rev : &fwd;
        r = NULL;
        alarm(10);
        st = ut_reader_open(path, UT_FORMAT_AUTO, (ut_open_flags)flags, &r, err, sizeof err);
        CHECK(st == UT_OK, "long text line: open gave %s (%s)", ut_status_str(st), err);
        if (st == UT_OK) {
            ut_format f = UT_FORMAT_AUTO;
            CHECK(ut_reader_format(r, &f) == UT_OK && f == UT_FORMAT_UTMPDUMP_TEXT, "long text line: format %s",
                  ut_format_name(f) ? ut_format_name(f) : "?");
            while ((st = ut_reader_next(r, &e)) == UT_OK)
                if (strcmp(e->user, "torvalds") == 0 && e->sec == 683168228) (*count)++;
            CHECK(st == UT_END, "long text line: next() gave %s", ut_status_str(st));
            ut_reader_close(r);
        }
        alarm(0);
    }
    CHECK(fwd == 6 && rev == 6, "long text line: %d records forward, %d reverse; want the 6 around it", fwd, rev);
    /* The same bytes from memory. */
    alarm(10);
    try_memory((const unsigned char *)text, n, UT_FORMAT_UTMPDUMP_TEXT, 0, "long text line in memory");
    try_memory((const unsigned char *)text, n, UT_FORMAT_UTMPDUMP_TEXT, UT_OPEN_REVERSE, "long text line in memory");
    alarm(0);
    unlink(path);
}

static void on_alarm(int sig) {
    static const char msg[] = "bad_input: FAIL: a reader hung (watchdog fired)\n";
    (void)sig;
    if (write(2, msg, sizeof msg - 1) < 0) _exit(3);
    _exit(2);
}

static void test_special_files(void) {
    char err[512];
    long n;
    ut_status st;
    ut_reader *r = NULL;
    const char *devs[] = {"/dev/null", "/dev/zero", "/dev/urandom"};
    size_t i;

    /* A directory. */
    st = try_file(dir, UT_FORMAT_AUTO, 0, err, sizeof err, &n);
    CHECK(st < 0, "directory: %s, want an error", ut_status_str(st));
    CHECK(strstr(err, dir) != NULL, "directory: message \"%s\" does not name the path", err);
    printf("bad_input: directory: %s: %s\n", ut_status_str(st), err);

    /* A FIFO with no writer: a blocking open would hang forever. */
    signal(SIGALRM, on_alarm);
    if (mkfifo(in_dir("fifo"), 0600) != 0) {
        CHECK(0, "mkfifo %s: %s", path, strerror(errno));
    } else {
        alarm(5);
        st = try_file(path, UT_FORMAT_AUTO, 0, err, sizeof err, &n);
        alarm(0);
        CHECK(st < 0, "FIFO: %s, want an error", ut_status_str(st));
        printf("bad_input: FIFO: %s: %s\n", ut_status_str(st), err);
        unlink(path);
    }
    /* Devices: refused, and /dev/zero is not read forever. */
    for (i = 0; i < sizeof devs / sizeof devs[0]; i++) {
        alarm(5);
        st = try_file(devs[i], UT_FORMAT_AUTO, 0, err, sizeof err, &n);
        alarm(0);
        CHECK(st < 0, "%s: %s, want an error", devs[i], ut_status_str(st));
    }

    /* A path that does not exist. */
    r = NULL;
    in_dir("no/such/wtmp");
    st = ut_reader_open(path, UT_FORMAT_AUTO, 0, &r, err, sizeof err);
    CHECK(st == UT_ERR_NOT_FOUND, "missing file: %s, want UT_ERR_NOT_FOUND", ut_status_str(st));
    CHECK(r == NULL, "missing file: *out written");
    CHECK(strstr(err, path) != NULL, "missing file: message \"%s\" does not name %s", err, path);

    /* An unreadable file (root reads anything: then the check means nothing). */
    write_file(in_dir("mode000"), "x", 1);
    chmod(path, 0);
    if (geteuid() == 0) {
        printf("bad_input: SKIP mode-000 check: running as root, which may read any file\n");
    } else {
        st = try_file(path, UT_FORMAT_AUTO, 0, err, sizeof err, &n);
        CHECK(st == UT_ERR_PERMISSION, "mode 000 file: %s (%s), want UT_ERR_PERMISSION", ut_status_str(st), err);
        CHECK(strstr(err, path) != NULL, "mode 000 file: message \"%s\" does not name the path", err);
    }
    chmod(path, 0600);
    unlink(path);

    /* A symlink loop. */
    if (symlink("loop", in_dir("loop")) == 0) {
        st = try_file(path, UT_FORMAT_AUTO, 0, err, sizeof err, &n);
        CHECK(st < 0, "symlink loop: %s, want an error", ut_status_str(st));
        printf("bad_input: symlink loop: %s: %s\n", ut_status_str(st), err);
        unlink(path);
    }

    /* This host's utmp, when the host really has none. */
    if (access("/run/utmp", F_OK) != 0 && access("/var/run/utmp", F_OK) != 0) {
        r = NULL;
        err[0] = '\0';
        st = ut_reader_open_db(UT_DB_UTMP, 0, &r, err, sizeof err);
        CHECK(st == UT_ERR_NOT_FOUND, "open_db(UTMP) with no utmp file: %s (%s), want UT_ERR_NOT_FOUND",
              ut_status_str(st), err);
        CHECK(err[0] != '\0', "open_db(UTMP) gave no message");
        CHECK(r == NULL, "open_db(UTMP) failed but wrote *out");
        printf("bad_input: open_db(UTMP): %s: %s\n", ut_status_str(st), err);
    } else {
        printf("bad_input: SKIP open_db(UTMP) NOT_FOUND check: this host has a utmp file\n");
    }
}

int main(void) {
    const char *names[] = {"random.bin", "empty", "one-byte", "all-ff", "truncated"};
    size_t i;

    strcpy(dir, "/tmp/utx-bad-input-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    signal(SIGALRM, on_alarm);
    test_small_files();
    test_special_files();
    test_long_text_line();
    test_random();

    for (i = 0; i < sizeof names / sizeof names[0]; i++) unlink(in_dir(names[i]));
    rmdir(dir);
    if (failures) {
        fprintf(stderr, "bad_input: %d check(s) failed\n", failures);
        return 1;
    }
    printf("bad_input: ok\n");
    return 0;
}
