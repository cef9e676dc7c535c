/* Every file of the shared corpus, read every way: detected and under
 * every forced format, forward and reverse, from the file and from
 * memory (in batches of 7 and UT_BATCH_MAX + 1).  Whatever the content, nothing crashes (ASan, UBSan and
 * valgrind run this too), every failure has a message, and the four ways
 * of reading agree: reverse is forward backwards, memory equals file.
 *
 * Each file is read in a child process with a watchdog, so a reader that
 * hangs on one file is named and the other files are still checked.
 *
 * The corpus is ../shared/corpus relative to the repository root, or
 * $UTX_CORPUS; without it the test says SKIP. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "utx.h"

static int failures, files, opened, hung;

#include "check.h"

/* A digest of one entry: enough to tell two entries apart. */
struct digest {
    uint64_t offset;
    int64_t sec;
    int32_t type, usec;
    uint32_t flags;
    uint32_t h; /* hash of the strings */
};

static uint32_t fnv(uint32_t h, const char *s) {
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return (h ^ 0xff) * 16777619u;
}

struct seq {
    struct digest *d;
    size_t n, cap;
    ut_status end; /* UT_END, or the error that stopped the walk */
};

static void seq_free(struct seq *s) {
    free(s->d);
    memset(s, 0, sizeof *s);
}

/* Read `r` to the end into `s`; at most `limit` entries.  `batch` 0
 * reads with ut_reader_next, else with ut_reader_next_batch, `batch`
 * entries per call (at most UT_BATCH_MAX + 1). */
static void walk(ut_reader *r, struct seq *s, size_t limit, size_t batch, const char *what) {
    const ut_entry *e, *got[UT_BATCH_MAX + 1];
    size_t k = 0, n = 0;
    ut_status st;
    memset(s, 0, sizeof *s);
    for (;;) {
        struct digest *d;
        if (batch == 0) {
            st = ut_reader_next(r, &e);
        } else if (k < n) {
            st = UT_OK;
        } else {
            k = n = 0;
            st = ut_reader_next_batch(r, got, batch, &n);
            CHECK(st != UT_OK || (n >= 1 && n <= batch && n <= UT_BATCH_MAX),
                  "%s: next_batch(cap %lu) gave %lu entries", what, (unsigned long)batch, (unsigned long)n);
            CHECK(st != UT_END || n == 0, "%s: UT_END with %lu entries", what, (unsigned long)n);
            if (n == 0 && st == UT_OK) st = UT_ERR_INTERNAL;
        }
        if (st != UT_OK) break;
        if (batch != 0) e = got[k++];
        if (s->n == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 64;
            s->d = realloc(s->d, s->cap * sizeof *s->d);
            if (s->d == NULL) abort();
        }
        d = &s->d[s->n++];
        d->offset = e->offset;
        d->sec = e->sec;
        d->type = e->entry_type;
        d->usec = e->usec;
        /* RECOVERED marks the entry read just after skipped bytes, which
         * depends on the direction; every other flag must agree. */
        d->flags = e->flags & ~(uint32_t)UT_ENTRY_RECOVERED;
        d->h = fnv(fnv(fnv(fnv(fnv(fnv(2166136261u, e->user), e->line), e->id), e->host), e->service), e->addr_text);
        if (s->n > limit) {
            CHECK(0, "%s: more than %lu entries: the walk does not end", what, (unsigned long)limit);
            break;
        }
    }
    s->end = st;
    if (st != UT_END && st != UT_OK) {
        const char *msg = NULL;
        CHECK(st < 0, "%s: next() gave status %d", what, (int)st);
        CHECK(ut_reader_error(r, &msg, NULL) == UT_OK && msg && msg[0], "%s: next() failed (%s) with no message",
              what, ut_status_str(st));
    }
}

static int same_digest(const struct digest *a, const struct digest *b) {
    return a->offset == b->offset && a->sec == b->sec && a->type == b->type && a->usec == b->usec &&
           a->flags == b->flags && a->h == b->h;
}

/* Reverse must be forward backwards; memory must equal file. */
static void compare(const struct seq *a, const struct seq *b, int reversed, const char *what) {
    size_t i;
    if (a->end != UT_END || b->end != UT_END) {
        CHECK(a->end == b->end, "%s: one way ended with %s, the other with %s", what, ut_status_str(a->end),
              ut_status_str(b->end));
        return;
    }
    CHECK(a->n == b->n, "%s: %lu entries one way, %lu the other", what, (unsigned long)a->n, (unsigned long)b->n);
    for (i = 0; i < a->n && i < b->n; i++) {
        const struct digest *y = reversed ? &b->d[b->n - 1 - i] : &b->d[i];
        if (!same_digest(&a->d[i], y)) {
            const struct digest *x = &a->d[i];
            CHECK(0,
                  "%s: entry %lu differs: offset %llu/%llu type %d/%d sec %lld/%lld usec %d/%d flags 0x%x/0x%x "
                  "strings %s",
                  what, (unsigned long)i, (unsigned long long)x->offset, (unsigned long long)y->offset, (int)x->type,
                  (int)y->type, (long long)x->sec, (long long)y->sec, (int)x->usec, (int)y->usec, (unsigned)x->flags,
                  (unsigned)y->flags, x->h == y->h ? "same" : "differ");
            break;
        }
    }
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
    if (buf != NULL && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n > 0 ? (size_t)n : 0;
    return buf;
}

static ut_format nformats;

static void read_every_way(const char *path, const unsigned char *buf, size_t len, ut_format format) {
    struct seq fwd, rev, mem, memrev;
    ut_reader *r;
    char err[512], what[700];
    ut_status st;
    ut_format mem_format = format;
    size_t limit = len + 16;
    int f_ok = 0;

    snprintf(what, sizeof what, "%s as %s", path, ut_format_name(format));
    memset(&fwd, 0, sizeof fwd);
    memset(&rev, 0, sizeof rev);
    memset(&mem, 0, sizeof mem);
    memset(&memrev, 0, sizeof memrev);

    r = NULL;
    err[0] = '\0';
    st = ut_reader_open(path, format, 0, &r, err, sizeof err);
    if (st == UT_OK) {
        opened++;
        f_ok = 1;
        /* A file name can say what detection cannot (utx.lastlogin):
           memory is read as the format the file was read as. */
        if (format == UT_FORMAT_AUTO)
            CHECK(ut_reader_format(r, &mem_format) == UT_OK, "%s: ut_reader_format", what);
        walk(r, &fwd, limit, 0, what);
        ut_reader_close(r);
        r = NULL;
        st = ut_reader_open(path, format, UT_OPEN_REVERSE, &r, err, sizeof err);
        CHECK(st == UT_OK, "%s: forward opened, reverse gave %s (%s)", what, ut_status_str(st), err);
        if (st == UT_OK) {
            walk(r, &rev, limit, 0, what);
            ut_reader_close(r);
            compare(&fwd, &rev, 1, what);
        }
    } else {
        CHECK(st < 0 && err[0] != '\0', "%s: open failed (%d) with no message", what, (int)st);
    }

    /* Memory must decide the same as the file (and is read in batches,
     * which must give what ut_reader_next gives). */
    r = NULL;
    st = ut_reader_open_memory(buf, len, mem_format, 0, &r, err, sizeof err);
    CHECK((st == UT_OK) == f_ok, "%s: file open %s but memory open %s (%s)", what, f_ok ? "succeeded" : "failed",
          ut_status_str(st), err);
    if (st == UT_OK) {
        walk(r, &mem, limit, 7, what);
        ut_reader_close(r);
        if (f_ok) compare(&fwd, &mem, 0, what);
        r = NULL;
        if (ut_reader_open_memory(buf, len, mem_format, UT_OPEN_REVERSE, &r, err, sizeof err) == UT_OK) {
            walk(r, &memrev, limit, UT_BATCH_MAX + 1, what);
            ut_reader_close(r);
            compare(&mem, &memrev, 1, what);
        }
    }
    seq_free(&fwd);
    seq_free(&rev);
    seq_free(&mem);
    seq_free(&memrev);
}

/* What the child is reading, for the watchdog's message. */
static char current[800];
#define WATCHDOG_SECONDS 20

static void on_alarm(int sig) {
    static const char head[] = "corpus_all: FAIL: reader hung (watchdog) on ";
    (void)sig;
    if (write(2, head, sizeof head - 1) < 0 || write(2, current, strlen(current)) < 0 || write(2, "\n", 1) < 0)
        _exit(3);
    _exit(2);
}

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
    unsigned char *buf;
    size_t len;
    ut_format f;
    pid_t pid;
    int status = 0;
    (void)ftw;
    if (type != FTW_F || !S_ISREG(sb->st_mode)) return 0;
    if (strstr(path, ".md") != NULL) return 0;
    files++;
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        failures = 0; /* the parent's count is not this file's */
        buf = slurp(path, &len);
        if (buf == NULL) {
            fprintf(stderr, "corpus_all: FAIL: cannot read %s\n", path);
            _exit(1);
        }
        signal(SIGALRM, on_alarm);
        for (f = 0; f < nformats; f++) {
            snprintf(current, sizeof current, "%s as %s", path, ut_format_name(f));
            alarm(WATCHDOG_SECONDS);
            read_every_way(path, buf, len, f);
            alarm(0);
        }
        free(buf);
        fflush(NULL);
        _exit(failures ? 1 : 0);
    }
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status))
            fprintf(stderr, "corpus_all: FAIL: %s: reader killed by signal %d\n", path, WTERMSIG(status));
        failures++;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 2) hung++;
    }
    return 0;
}

int main(void) {
    const char *corpus = getenv("UTX_CORPUS");
    struct stat st;
    if (corpus == NULL || corpus[0] == '\0') corpus = "../shared/corpus";
    if (stat(corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("SKIP: ../shared/corpus not found (%s); corpus_all checked nothing\n", corpus);
        return 0;
    }
    while (ut_format_name(nformats) != NULL) nformats++;
    if (nftw(corpus, visit, 16, FTW_PHYS) != 0) {
        perror("nftw");
        return 1;
    }
    CHECK(files > 10, "only %d corpus files found", files);
    if (failures) {
        fprintf(stderr, "corpus_all: %d of %d files failed (%d hung)\n", failures, files, hung);
        return 1;
    }
    printf("corpus_all: ok (%d files x %u formats x forward/reverse/file/memory)\n", files, (unsigned)nformats);
    return 0;
}
