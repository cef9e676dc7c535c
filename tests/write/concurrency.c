/* Concurrency: glibc and utx writing one wtmp and one utmp at full speed
 * while utx readers read both forward and backward.
 *
 *   concurrency DIR RECORDS
 *
 * Processes: a glibc appender (updwtmpx) and a utx appender
 * (ut_writer_put), each RECORDS records tagged with a unique user; a
 * glibc and a utx slot writer (pututxline / UT_WRITE_SLOTS) updating the
 * same 50 ids RECORDS times each; two readers looping over both files,
 * one forward, one newest first.  Checks: the readers never decode a
 * torn record (every entry whole: a known type and user pattern; a
 * record still being written shows only as a flagged trailing partial
 * record); the wtmp ends with 2 x RECORDS records, each tag exactly once
 * (none lost or duplicated); the utmp ends with exactly one slot per id;
 * no put waited as long as the lock's bound. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utmpx.h>

#include "utx.h"

#define IDS 50

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fill(struct utmpx *u, ut_entry *e, char side, long i, int slot, char *id, char *user) {
    memset(u, 0, sizeof *u);
    snprintf(user, 32, "%c%07ld", side, i);
    snprintf(id, 8, "%04d", slot);
    u->ut_type = USER_PROCESS;
    u->ut_pid = 100 + slot;
    snprintf(u->ut_line, sizeof u->ut_line, "pts/%d", slot);
    memcpy(u->ut_id, id, 4);
    strcpy(u->ut_user, user);
    u->ut_tv.tv_sec = (int32_t)(1700000000 + i);
    memset(e, 0, sizeof *e);
    e->size = sizeof *e;
    e->entry_type = UT_TYPE_USER_PROCESS;
    e->raw_type = -1;
    e->pid = u->ut_pid;
    e->line = u->ut_line;
    e->id = id;
    e->user = user;
    e->session = 0;
    e->sec = u->ut_tv.tv_sec;
}

/* A writer process: KIND 0 glibc append, 1 utx append, 2 glibc slots,
 * 3 utx slots.  Exits 1 on a failure or a put slower than 9 s. */
static void writer(int kind, const char *wtmp, const char *utmp, long n) {
    ut_writer *w = NULL;
    char err[256], id[8], user[32];
    double worst = 0;
    long i;
    if (kind == 1 || kind == 3) {
        if (ut_writer_open(kind == 1 ? wtmp : utmp, UT_FORMAT_LINUX_384_LE,
                           kind == 3 ? UT_WRITE_SLOTS : 0, &w, err, sizeof err) != UT_OK) {
            fprintf(stderr, "concurrency: %s\n", err);
            _exit(1);
        }
    }
    if (kind == 2 && utmpxname(utmp) != 0) _exit(1);
    for (i = 0; i < n; i++) {
        struct utmpx u;
        ut_entry e;
        double t = now();
        fill(&u, &e, kind % 2 ? 'u' : 'g', i, (int)(i * 7 % IDS), id, user);
        if (kind == 0) {
            if (updwtmpx(wtmp, &u), 0) _exit(1);
        } else if (kind == 2) {
            setutxent();
            if (pututxline(&u) == NULL) { perror("pututxline"); _exit(1); }
        } else if (ut_writer_put(w, &e, NULL) != UT_OK) {
            const char *msg = "";
            ut_writer_error(w, &msg, NULL);
            fprintf(stderr, "concurrency: put: %s\n", msg);
            _exit(1);
        }
        t = now() - t;
        if (t > worst) worst = t;
    }
    ut_writer_close(w);
    if (worst > 9.0) {
        fprintf(stderr, "concurrency: writer %d waited %.1f s\n", kind, worst);
        _exit(1);
    }
    _exit(0);
}

/* Is E a whole record of this test? */
static int whole(const ut_entry *e) {
    if (e->flags & UT_ENTRY_PARTIAL_RECORD) return 1;
    return e->entry_type == UT_TYPE_USER_PROCESS && (e->user[0] == 'g' || e->user[0] == 'u') &&
           strlen(e->user) == 8 && strncmp(e->line, "pts/", 4) == 0 && strlen(e->id) == 4;
}

/* A reader process: loops until killed, exits 1 at a torn record. */
static void reader(const char *wtmp, const char *utmp, int newest_first) {
    for (;;) {
        const char *files[2] = {wtmp, utmp};
        int f;
        for (f = 0; f < 2; f++) {
            ut_reader *r;
            const ut_entry *e;
            ut_status st;
            if (ut_reader_open(files[f], UT_FORMAT_LINUX_384_LE, newest_first ? UT_OPEN_REVERSE : 0,
                               &r, NULL, 0) != UT_OK)
                continue;
            while ((st = ut_reader_next(r, &e)) == UT_OK) {
                if (!whole(e)) {
                    fprintf(stderr, "concurrency: torn record at %llu of %s (user '%s')\n",
                            (unsigned long long)e->offset, files[f], e->user);
                    _exit(1);
                }
            }
            ut_reader_close(r);
        }
    }
}

int main(int argc, char **argv) {
    char wtmp[512], utmp[512];
    long n, i, count[2] = {0, 0};
    pid_t writers[4], readers[2];
    int k, bad = 0, status;
    static unsigned char seen[2][10000000 / 8];
    int slots[IDS] = {0};
    ut_reader *r;
    const ut_entry *e;
    if (argc != 3) return 2;
    snprintf(wtmp, sizeof wtmp, "%s/wtmp", argv[1]);
    snprintf(utmp, sizeof utmp, "%s/utmp", argv[1]);
    n = atol(argv[2]);
    fclose(fopen(wtmp, "w"));
    fclose(fopen(utmp, "w"));
    for (k = 0; k < 2; k++)
        if ((readers[k] = fork()) == 0) reader(wtmp, utmp, k);
    for (k = 0; k < 4; k++)
        if ((writers[k] = fork()) == 0) writer(k, wtmp, utmp, n);
    for (k = 0; k < 4; k++) {
        waitpid(writers[k], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "concurrency: writer %d failed\n", k);
            bad = 1;
        }
    }
    for (k = 0; k < 2; k++) {
        if (waitpid(readers[k], &status, WNOHANG) != 0) {
            fprintf(stderr, "concurrency: reader %d stopped (torn record)\n", k);
            bad = 1;
        }
        kill(readers[k], SIGKILL);
        waitpid(readers[k], NULL, 0);
    }
    /* The wtmp: every tag once. */
    if (ut_reader_open(wtmp, UT_FORMAT_LINUX_384_LE, 0, &r, NULL, 0) != UT_OK) return 1;
    while (ut_reader_next(r, &e) == UT_OK) {
        int side = e->user[0] == 'u';
        long v = atol(e->user + 1);
        if (!whole(e) || (e->flags & UT_ENTRY_PARTIAL_RECORD) || v < 0 || v >= n) {
            fprintf(stderr, "concurrency: bad wtmp record '%s'\n", e->user);
            bad = 1;
            continue;
        }
        if (seen[side][v / 8] & (1 << (v % 8))) {
            fprintf(stderr, "concurrency: duplicate %s\n", e->user);
            bad = 1;
        }
        seen[side][v / 8] |= (unsigned char)(1 << (v % 8));
        count[side]++;
    }
    ut_reader_close(r);
    if (count[0] != n || count[1] != n) {
        fprintf(stderr, "concurrency: wtmp has %ld glibc and %ld utx records, want %ld each\n",
                count[0], count[1], n);
        bad = 1;
    }
    /* The utmp: one slot per id. */
    if (ut_reader_open(utmp, UT_FORMAT_LINUX_384_LE, 0, &r, NULL, 0) != UT_OK) return 1;
    i = 0;
    while (ut_reader_next(r, &e) == UT_OK) {
        int id = atoi(e->id);
        i++;
        if (id < 0 || id >= IDS || slots[id]++) {
            fprintf(stderr, "concurrency: utmp slot for id '%s' twice\n", e->id);
            bad = 1;
        }
    }
    ut_reader_close(r);
    if (i != IDS) {
        fprintf(stderr, "concurrency: utmp has %ld slots, want %d\n", i, IDS);
        bad = 1;
    }
    if (bad) return 1;
    printf("concurrency: %ld glibc + %ld utx appends, %ld + %ld slot updates on %d ids, "
           "2 readers: nothing lost, torn or duplicated\n", n, n, n, n, IDS);
    return 0;
}
