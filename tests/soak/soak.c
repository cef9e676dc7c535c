/* Writer/reader soak (issue 10): two writers append login records while
 * eight readers read the growing files again and again, forward and
 * backward, through the C ABI.
 *
 *   - writer "glibc": updwtmpx(3), one record per call (glibc writes it
 *     with one write(2) under its lock);
 *   - writer "split": each record in two write(2) calls (200 + 184 bytes)
 *     with a pause between, so a reader often finds half a record;
 *   - readers: four on each file, two forward and two newest first.
 *
 * Record n carries n everywhere: user "u%07d", line "l%07d", host "h%07d",
 * pid n, time BASE + n.  A reader checks every entry: a complete entry must
 * be record n with every field agreeing (else it is torn) and follow its
 * neighbour without a gap; an entry flagged UT_ENTRY_PARTIAL_RECORD must be
 * the file's tail (its offset is 384 times the records before it).  The
 * soak fails on any torn record, gap, misplaced partial or error, or when
 * no partial tail was seen at all.
 *
 *   soak DIR [RECORDS]    RECORDS per writer (default 10000) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utmpx.h>

#include "utx.h"

#define BASE 1700000000L
#define REC 384
#define READERS_PER_FILE 4

static long records = 10000;
static volatile int writers_done;
static char glibc_path[4096], split_path[4096];

static void fill(struct utmpx *u, long n) {
    memset(u, 0, sizeof *u);
    u->ut_type = USER_PROCESS;
    u->ut_pid = (pid_t)n;
    snprintf(u->ut_user, sizeof u->ut_user, "u%07ld", n);
    snprintf(u->ut_line, sizeof u->ut_line, "l%07ld", n);
    snprintf(u->ut_host, sizeof u->ut_host, "h%07ld", n);
    memcpy(u->ut_id, "soak", 4);
    u->ut_tv.tv_sec = (int32_t)(BASE + n);
}

static void *glibc_writer(void *arg) {
    long n;
    struct utmpx u;
    (void)arg;
    for (n = 0; n < records; n++) {
        fill(&u, n);
        updwtmpx(glibc_path, &u);
    }
    return NULL;
}

static void *split_writer(void *arg) {
    long n;
    struct utmpx u;
    int fd = open(split_path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    (void)arg;
    if (fd < 0) return (void *)1;
    for (n = 0; n < records; n++) {
        const char *p = (const char *)&u;
        fill(&u, n);
        if (write(fd, p, 200) != 200 || (sched_yield(), write(fd, p + 200, REC - 200)) != REC - 200) {
            close(fd);
            return (void *)1;
        }
    }
    close(fd);
    return NULL;
}

struct reader_stats {
    const char *path;
    int reverse;
    long passes, entries, partials, torn, gaps, misplaced, errors;
    char first_problem[300];
};

static void problem(struct reader_stats *s, const char *fmt, long a, long b) {
    if (s->first_problem[0] == '\0')
        snprintf(s->first_problem, sizeof s->first_problem, fmt, a, b);
}

/* Record number of a complete entry, or -1 when its fields disagree. */
static long record_of(const ut_entry *e) {
    long n;
    char want[16];
    if (e->entry_type != UT_TYPE_USER_PROCESS || sscanf(e->user, "u%7ld", &n) != 1) return -1;
    snprintf(want, sizeof want, "l%07ld", n);
    if (strcmp(e->line, want) != 0) return -1;
    snprintf(want, sizeof want, "h%07ld", n);
    if (strcmp(e->host, want) != 0) return -1;
    if (e->pid != n || e->sec != BASE + n) return -1;
    return n;
}

static void one_pass(struct reader_stats *s) {
    ut_reader *r = NULL;
    const ut_entry *e;
    char err[256];
    int st;
    /* Forward: the next record number; newest first: the last one seen. */
    long next = 0, last = -1, partial_at = -1, seen = 0;
    if (ut_reader_open(s->path, UT_FORMAT_LINUX_384_LE, s->reverse ? UT_OPEN_REVERSE : 0, &r, err,
                       sizeof err) != UT_OK) {
        s->errors++;
        problem(s, "open failed (%ld, %ld)", 0, 0);
        return;
    }
    while ((st = ut_reader_next(r, &e)) == UT_OK) {
        long n;
        if (e->flags & UT_ENTRY_PARTIAL_RECORD) {
            s->partials++;
            partial_at = (long)e->offset;
            /* The tail: last going forward (at the end of the records
             * read), first going newest first. */
            if (s->reverse ? seen != 0 : partial_at != next * REC) {
                s->misplaced++;
                problem(s, "partial at offset %ld after %ld entries", partial_at, seen);
            }
            seen++;
            continue;
        }
        n = record_of(e);
        s->entries++;
        if (n < 0 || (long)e->offset != n * REC) {
            s->torn++;
            problem(s, "torn record at offset %ld (number %ld)", (long)e->offset, n);
        } else if (!s->reverse) {
            if (partial_at >= 0) {
                s->misplaced++;
                problem(s, "record %ld after the partial at %ld", n, partial_at);
            }
            if (n != next) {
                s->gaps++;
                problem(s, "record %ld, want %ld", n, next);
            }
            next = n + 1;
        } else {
            if (last < 0 && partial_at >= 0 && partial_at != (n + 1) * REC) {
                s->misplaced++;
                problem(s, "partial at offset %ld, newest record %ld", partial_at, n);
            }
            if (last >= 0 && n != last - 1) {
                s->gaps++;
                problem(s, "record %ld after %ld (newest first)", n, last);
            }
            last = n;
        }
        seen++;
    }
    if (st != UT_END) {
        s->errors++;
        problem(s, "reader error %ld after %ld entries", (long)st, seen);
    }
    if (s->reverse && last > 0) {
        s->gaps++;
        problem(s, "newest first stopped at record %ld (%ld)", last, 0);
    }
    if (s->reverse && last < 0 && partial_at > 0) {
        s->misplaced++;
        problem(s, "only a partial, at offset %ld (%ld)", partial_at, 0);
    }
    ut_reader_close(r);
    s->passes++;
}

static void *reader(void *arg) {
    struct reader_stats *s = arg;
    int last = 0;
    const struct timespec pause = {0, 5000000};
    while (!last) {
        last = writers_done;
        one_pass(s);
        /* Leave the writers room on a small machine. */
        nanosleep(&pause, NULL);
    }
    return NULL;
}

int main(int argc, char **argv) {
    pthread_t w1, w2, rd[2 * READERS_PER_FILE];
    struct reader_stats st[2 * READERS_PER_FILE];
    void *w1r, *w2r;
    int i, fail = 0;
    long tot[7] = {0};
    struct timespec t0, t1;
    if (argc < 2) {
        fprintf(stderr, "usage: soak DIR [RECORDS]\n");
        return 2;
    }
    if (argc > 2) records = atol(argv[2]);
    snprintf(glibc_path, sizeof glibc_path, "%s/wtmp-glibc", argv[1]);
    snprintf(split_path, sizeof split_path, "%s/wtmp-split", argv[1]);
    unlink(glibc_path);
    unlink(split_path);
    close(open(glibc_path, O_WRONLY | O_CREAT, 0644));
    close(open(split_path, O_WRONLY | O_CREAT, 0644));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(st, 0, sizeof st);
    for (i = 0; i < 2 * READERS_PER_FILE; i++) {
        st[i].path = i < READERS_PER_FILE ? glibc_path : split_path;
        st[i].reverse = i & 1;
        pthread_create(&rd[i], NULL, reader, &st[i]);
    }
    pthread_create(&w1, NULL, glibc_writer, NULL);
    pthread_create(&w2, NULL, split_writer, NULL);
    pthread_join(w1, &w1r);
    pthread_join(w2, &w2r);
    writers_done = 1;
    for (i = 0; i < 2 * READERS_PER_FILE; i++) pthread_join(rd[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (w1r || w2r) {
        printf("FAIL: a writer failed\n");
        fail = 1;
    }
    for (i = 0; i < 2 * READERS_PER_FILE; i++) {
        struct reader_stats *s = &st[i];
        printf("reader %d (%s, %s): %ld passes, %ld entries, %ld partial tails flagged, %ld torn, %ld gaps, "
               "%ld misplaced partials, %ld errors%s%s\n",
               i, i < READERS_PER_FILE ? "glibc" : "split", s->reverse ? "newest first" : "forward", s->passes,
               s->entries, s->partials, s->torn, s->gaps, s->misplaced, s->errors,
               s->first_problem[0] ? ": " : "", s->first_problem);
        tot[0] += s->passes;
        tot[1] += s->entries;
        tot[2] += s->partials;
        tot[3] += s->torn;
        tot[4] += s->gaps;
        tot[5] += s->misplaced;
        tot[6] += s->errors;
    }
    printf("soak: 2 writers x %ld records, 8 readers, %.1f s: %ld passes, %ld entries checked, "
           "%ld partial tails flagged, %ld torn, %ld gaps, %ld misplaced partials, %ld errors\n",
           records, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, tot[0], tot[1],
           tot[2], tot[3], tot[4], tot[5], tot[6]);
    if (tot[3] || tot[4] || tot[5] || tot[6]) fail = 1;
    if (tot[2] == 0) {
        printf("FAIL: no partial tail was seen: the soak did not exercise them\n");
        fail = 1;
    }
    return fail;
}
