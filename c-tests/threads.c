/* Different readers in different threads at once (ABI rule 10): each
 * thread opens its own reader over the same file (forward or reverse, from
 * the file or from memory), reads it several times with rewinds, and
 * checks every entry against the record it wrote.  No global state means
 * no interference.  Linked with -pthread. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utx.h"

#define NRECORDS 3000
#define NTHREADS 8
#define PASSES 3

static char path[64];
static unsigned char *image;
static size_t image_len;

/* Record i: USER_PROCESS or DEAD_PROCESS, user "u<i>", time 1600000000 + i. */
static void make_record(unsigned char *rec, unsigned i) {
    uint32_t sec = 1600000000u + i;
    memset(rec, 0, 384);
    rec[0] = (unsigned char)(i % 2 ? 8 : 7);
    rec[4] = (unsigned char)(i & 0xff);
    rec[5] = (unsigned char)(i >> 8);
    memcpy(rec + 8, "pts/3", 5);
    snprintf((char *)rec + 44, 32, "u%u", i);
    rec[340] = (unsigned char)(sec & 0xff);
    rec[341] = (unsigned char)((sec >> 8) & 0xff);
    rec[342] = (unsigned char)((sec >> 16) & 0xff);
    rec[343] = (unsigned char)((sec >> 24) & 0xff);
}

struct job {
    int id;
    int reverse;
    int from_memory;
    int errors;
    char first_error[200];
};

static void fail(struct job *j, const char *fmt, unsigned a, unsigned b) {
    if (j->errors++ == 0) snprintf(j->first_error, sizeof j->first_error, fmt, a, b);
}

static void *worker(void *arg) {
    struct job *j = arg;
    ut_reader *r = NULL;
    const ut_entry *e;
    char err[256], want_user[16];
    ut_status st;
    int pass;

    if (j->from_memory)
        st = ut_reader_open_memory(image, image_len, UT_FORMAT_AUTO, j->reverse ? UT_OPEN_REVERSE : 0, &r, err,
                                   sizeof err);
    else
        st = ut_reader_open(path, UT_FORMAT_AUTO, j->reverse ? UT_OPEN_REVERSE : 0, &r, err, sizeof err);
    if (st != UT_OK) {
        fail(j, "open failed with status %u%u", (unsigned)-st, 0);
        return NULL;
    }
    for (pass = 0; pass < PASSES; pass++) {
        unsigned n = 0;
        /* The last pass keeps only USER_PROCESS: half the records. */
        int filtered = pass == PASSES - 1;
        if (filtered && ut_reader_set_types(r, UT_TYPE_BIT(UT_TYPE_USER_PROCESS)) != UT_OK)
            fail(j, "set_types failed%u%u", 0, 0);
        while ((st = ut_reader_next(r, &e)) == UT_OK) {
            unsigned i;
            if (filtered)
                i = j->reverse ? NRECORDS - 2 - 2 * n : 2 * n;
            else
                i = j->reverse ? NRECORDS - 1 - n : n;
            snprintf(want_user, sizeof want_user, "u%u", i);
            if (e->sec != 1600000000 + (int64_t)i || strcmp(e->user, want_user) != 0 || e->pid != (int64_t)i ||
                e->offset != (uint64_t)i * 384)
                fail(j, "entry %u: wrong record (want record %u)", n, i);
            n++;
        }
        if (st != UT_END) fail(j, "pass %u ended with status -%u", (unsigned)pass, (unsigned)-st);
        if (n != (filtered ? NRECORDS / 2 : NRECORDS)) fail(j, "pass %u: %u entries", (unsigned)pass, n);
        if (ut_reader_rewind(r) != UT_OK) fail(j, "rewind failed%u%u", 0, 0);
    }
    ut_reader_close(r);
    return NULL;
}

int main(void) {
    pthread_t tid[NTHREADS];
    struct job jobs[NTHREADS];
    FILE *f;
    unsigned i;
    int failures = 0;

    image_len = (size_t)NRECORDS * 384;
    image = malloc(image_len);
    if (image == NULL) return 1;
    for (i = 0; i < NRECORDS; i++) make_record(image + (size_t)i * 384, i);
    snprintf(path, sizeof path, "/tmp/utx-threads-%ld.wtmp", (long)getpid());
    f = fopen(path, "wb");
    if (f == NULL || fwrite(image, 1, image_len, f) != image_len) {
        fprintf(stderr, "threads: cannot write %s\n", path);
        return 1;
    }
    fclose(f);

    for (i = 0; i < NTHREADS; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].id = (int)i;
        jobs[i].reverse = i % 2;
        jobs[i].from_memory = (i / 2) % 2;
        if (pthread_create(&tid[i], NULL, worker, &jobs[i]) != 0) {
            fprintf(stderr, "threads: pthread_create failed\n");
            return 1;
        }
    }
    for (i = 0; i < NTHREADS; i++) pthread_join(tid[i], NULL);
    for (i = 0; i < NTHREADS; i++) {
        if (jobs[i].errors) {
            fprintf(stderr, "threads: FAIL: thread %u (%s, %s): %d error(s), first: %s\n", i,
                    jobs[i].reverse ? "reverse" : "forward", jobs[i].from_memory ? "memory" : "file", jobs[i].errors,
                    jobs[i].first_error);
            failures++;
        }
    }
    remove(path);
    free(image);
    if (failures) return 1;
    printf("threads: ok (%d threads x %d passes x %d records)\n", NTHREADS, PASSES, NRECORDS);
    return 0;
}
