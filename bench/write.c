/* Writer benchmark: glibc against utx on the same work, in one process
 * each (bench/write.sh runs it).
 *   write append-glibc FILE N     N x updwtmpx(FILE)
 *   write append-utx FILE N       N x ut_writer_put on one writer
 *   write append-batch FILE N     ut_writer_put_many, 1,000 a call
 *   write slots-glibc FILE N S    N x setutxent + pututxline, ids of S slots
 *   write slots-utx FILE N S      N x ut_writer_put (UT_WRITE_SLOTS)
 * Prints the seconds taken. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utmpx.h>

#include "utx.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fill(struct utmpx *u, ut_entry *e, long i, long slots, char *id) {
    snprintf(id, 8, "%04ld", slots ? i % slots : i % 10000);
    memset(u, 0, sizeof *u);
    u->ut_type = USER_PROCESS;
    u->ut_pid = (pid_t)(1000 + i % 30000);
    snprintf(u->ut_line, sizeof u->ut_line, "pts/%s", id);
    memcpy(u->ut_id, id, 4);
    strcpy(u->ut_user, "benchuser");
    strcpy(u->ut_host, "203.0.113.9");
    u->ut_tv.tv_sec = (int32_t)(1700000000 + i);
    memset(e, 0, sizeof *e);
    e->size = sizeof *e;
    e->entry_type = UT_TYPE_USER_PROCESS;
    e->raw_type = -1;
    e->pid = u->ut_pid;
    e->line = u->ut_line;
    e->id = id;
    e->user = u->ut_user;
    e->host = u->ut_host;
    e->session = 0;
    e->sec = u->ut_tv.tv_sec;
}

int main(int argc, char **argv) {
    const char *mode, *file;
    long n, slots, i;
    struct utmpx u;
    static ut_entry batch[1000];
    static char ids[1000][8];
    char id[8], err[256];
    ut_writer *w = NULL;
    double t0;
    if (argc < 4) return 2;
    mode = argv[1];
    file = argv[2];
    n = atol(argv[3]);
    slots = argc > 4 ? atol(argv[4]) : 0;
    if (strstr(mode, "-glibc") == NULL &&
        ut_writer_open(file, UT_FORMAT_LINUX_384_LE,
                       strncmp(mode, "slots", 5) == 0 ? UT_WRITE_SLOTS : 0, &w, err,
                       sizeof err) != UT_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (strcmp(mode, "slots-glibc") == 0 && utmpxname(file) != 0) return 1;
    t0 = now();
    if (strcmp(mode, "append-batch") == 0) {
        struct utmpx scratch[1000];
        for (i = 0; i < n; i += 1000) {
            long k, m = n - i < 1000 ? n - i : 1000;
            for (k = 0; k < m; k++) fill(&scratch[k], &batch[k], i + k, 0, ids[k]);
            if (ut_writer_put_many(w, batch, (size_t)m, NULL) != UT_OK) return 1;
        }
    } else {
        for (i = 0; i < n; i++) {
            ut_entry e;
            fill(&u, &e, i, slots, id);
            if (strcmp(mode, "append-glibc") == 0) {
                updwtmpx(file, &u);
            } else if (strcmp(mode, "slots-glibc") == 0) {
                setutxent();
                if (pututxline(&u) == NULL) return 1;
            } else if (ut_writer_put(w, &e, NULL) != UT_OK) {
                return 1;
            }
        }
    }
    if (strcmp(mode, "slots-glibc") == 0) endutxent();
    printf("%.3f\n", now() - t0);
    ut_writer_close(w);
    return 0;
}
