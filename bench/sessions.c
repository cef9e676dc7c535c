/* Helper of bench/sessions.sh: one measurement per run, printed as
 * key=value lines.
 *
 *   sessions pair FILE   pair every session through ut_sessions_next
 *   sessions read FILE   plain read() loop over the file (the baseline)
 *   sessions seek FILE   ut_reader_seek_time to the middle record's time,
 *                        forward and reverse: chunks read and time
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "utx.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) used so far: on a shared machine the wall
 * clock measures the neighbours too. */
static double cpu(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static int die(const char *what, const char *msg) {
    fprintf(stderr, "sessions bench: %s: %s\n", what, msg);
    return 1;
}

static int pair(const char *path) {
    ut_reader *r = NULL;
    ut_sessions *ss = NULL;
    const ut_session *s;
    char err[256];
    uint64_t n = 0, users = 0, chunks = 0;
    int st;
    double t0 = now(), c0 = cpu();
    if (ut_reader_open(path, UT_FORMAT_AUTO, UT_OPEN_REVERSE, &r, err, sizeof err) != UT_OK)
        return die(path, err);
    if (ut_sessions_open(r, UT_SESSIONS_NO_LIVENESS, &ss, err, sizeof err) != UT_OK)
        return die(path, err);
    while ((st = ut_sessions_next(ss, &s)) == UT_OK) {
        n++;
        users += s->kind == UT_KIND_USER;
    }
    if (st != UT_END) return die(path, ut_status_str(st));
    ut_reader_chunks_read(r, &chunks);
    printf("seconds=%.6f\ncpu=%.6f\nsessions=%llu\nuser_sessions=%llu\nchunks=%llu\n", now() - t0, cpu() - c0,
           (unsigned long long)n, (unsigned long long)users, (unsigned long long)chunks);
    ut_sessions_close(ss);
    ut_reader_close(r);
    return 0;
}

static int plain_read(const char *path) {
    static unsigned char buf[256 * 1024];
    uint64_t sum = 0, bytes = 0;
    ssize_t got;
    double t0 = now(), c0 = cpu();
    int fd = open(path, O_RDONLY);
    if (fd < 0) return die(path, "open");
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        ssize_t i;
        /* Touch every record's type, as a minimal reader would. */
        for (i = 0; i + 384 <= got; i += 384) sum += buf[i];
        bytes += (uint64_t)got;
    }
    close(fd);
    printf("seconds=%.6f\ncpu=%.6f\nbytes=%llu\nsum=%llu\n", now() - t0, cpu() - c0, (unsigned long long)bytes,
           (unsigned long long)sum);
    return 0;
}

static int seek(const char *path) {
    unsigned char rec[384];
    off_t size, mid;
    int64_t t;
    int fd = open(path, O_RDONLY), dir;
    if (fd < 0) return die(path, "open");
    size = lseek(fd, 0, SEEK_END);
    mid = size / 384 / 2 * 384;
    if (pread(fd, rec, sizeof rec, mid) != (ssize_t)sizeof rec) return die(path, "pread");
    close(fd);
    t = (int64_t)((uint32_t)rec[340] | (uint32_t)rec[341] << 8 | (uint32_t)rec[342] << 16 |
                  (uint32_t)rec[343] << 24);
    for (dir = 0; dir < 2; dir++) {
        ut_reader *r = NULL;
        const ut_entry *e;
        char err[256];
        uint64_t c0 = 0, c1 = 0;
        double t0;
        if (ut_reader_open(path, UT_FORMAT_AUTO, dir ? UT_OPEN_REVERSE : 0, &r, err, sizeof err) != UT_OK)
            return die(path, err);
        ut_reader_chunks_read(r, &c0); /* detection reads */
        t0 = now();
        if (ut_reader_seek_time(r, t) != UT_OK) return die(path, "seek");
        ut_reader_chunks_read(r, &c1);
        printf("%s_seconds=%.6f\n%s_chunks=%llu\n", dir ? "reverse" : "forward", now() - t0,
               dir ? "reverse" : "forward", (unsigned long long)(c1 - c0));
        if (ut_reader_next(r, &e) != UT_OK) return die(path, "no entry after the seek");
        printf("%s_landed_offset=%llu\n", dir ? "reverse" : "forward", (unsigned long long)e->offset);
        ut_reader_close(r);
    }
    printf("target_time=%lld\nmiddle_offset=%lld\n", (long long)t, (long long)mid);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: sessions pair|read|seek FILE\n");
        return 2;
    }
    if (!strcmp(argv[1], "pair")) return pair(argv[2]);
    if (!strcmp(argv[1], "read")) return plain_read(argv[2]);
    if (!strcmp(argv[1], "seek")) return seek(argv[2]);
    fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
}
