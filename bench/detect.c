/* Detection micro-benchmark (bench/detect.sh; not part of make test).
 *
 *   detect memory FILE   open + read FILE from memory, UT_FORMAT_AUTO and
 *                        with the format given (the one AUTO found),
 *                        25 interleaved batches of 500 each
 *   detect open FILE     ut_reader_open(FILE, UT_FORMAT_AUTO) alone
 *
 * Prints key=value lines: microseconds per operation (best batch of
 * several; CPU time of the thread for `memory`, wall time for `open`),
 * every batch's, the ratio, the status. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utx.h>

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long n;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        return NULL;
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
        return NULL;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Open `bytes` with `format`, read every entry; the entry count. */
static long read_all(const unsigned char *bytes, size_t len, ut_format format, ut_format *found)
{
    ut_reader *r;
    const ut_entry *e;
    long n = 0;
    if (ut_reader_open_memory(bytes, len, format, 0, &r, NULL, 0) != UT_OK)
        return -1;
    if (found != NULL)
        ut_reader_format(r, found);
    while (ut_reader_next(r, &e) == UT_OK)
        n++;
    ut_reader_close(r);
    return n;
}

/* CPU microseconds of this thread: a batch preempted by a neighbour on
 * the shared machine is not charged for the time it waited. */
static double cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* CPU microseconds per call of `reps` calls (nothing here waits: the
 * bytes are in memory). */
static double batch_us(const unsigned char *bytes, size_t len, ut_format format, int reps)
{
    double t0 = cpu_us();
    int i;
    for (i = 0; i < reps; i++)
        read_all(bytes, len, format, NULL);
    return (cpu_us() - t0) / reps;
}

#define BATCHES 25

/* The best batch of each, AUTO and `given`, the two interleaved so that
 * a slow spell of the shared machine hits both alike; every batch's time
 * in `as` and `gs`. */
static void best_pair(const unsigned char *bytes, size_t len, ut_format given, double *autod,
                      double *givend, double *as, double *gs)
{
    int b;
    *autod = *givend = 1e300;
    for (b = 0; b < BATCHES; b++) {
        double a = batch_us(bytes, len, UT_FORMAT_AUTO, 500);
        double g = batch_us(bytes, len, given, 500);
        as[b] = a;
        gs[b] = g;
        if (a < *autod)
            *autod = a;
        if (g < *givend)
            *givend = g;
    }
}

static void print_samples(const char *key, const double *v)
{
    int b;
    printf("%s=", key);
    for (b = 0; b < BATCHES; b++)
        printf("%s%.3f", b ? "," : "", v[b]);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "memory") == 0) {
        size_t len;
        unsigned char *bytes = slurp(argv[2], &len);
        ut_format found = UT_FORMAT_AUTO;
        long n;
        double autod, given, as[BATCHES], gs[BATCHES];
        if (bytes == NULL) {
            perror(argv[2]);
            return 1;
        }
        n = read_all(bytes, len, UT_FORMAT_AUTO, &found);
        if (n < 0) {
            fprintf(stderr, "detect: %s: not recognised\n", argv[2]);
            return 1;
        }
        best_pair(bytes, len, found, &autod, &given, as, gs);
        print_samples("auto_samples_us", as);
        print_samples("given_samples_us", gs);
        printf("bytes=%zu\nentries=%ld\nformat=%s\nauto_us=%.2f\ngiven_us=%.2f\nratio=%.2f\n", len, n,
               ut_format_name(found), autod, given, autod / given);
        free(bytes);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "open") == 0) {
        double best = 1e300;
        ut_status st = UT_OK;
        int i;
        printf("open_samples_ms=");
        for (i = 0; i < 5; i++) {
            ut_reader *r = NULL;
            double t0 = now_us(), dt;
            st = ut_reader_open(argv[2], UT_FORMAT_AUTO, 0, &r, NULL, 0);
            dt = now_us() - t0;
            if (r != NULL)
                ut_reader_close(r);
            if (dt < best)
                best = dt;
            printf("%s%.3f", i ? "," : "", dt / 1000.0);
        }
        printf("\n");
        printf("open_ms=%.3f\nstatus=%s\n", best / 1000.0, ut_status_str(st));
        return 0;
    }
    fprintf(stderr, "usage: detect memory FILE | detect open FILE\n");
    return 2;
}
