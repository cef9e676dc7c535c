/*
 * bench - one measurement per process, so peak RSS belongs to one task.
 *
 *   bench utx    FILE          full forward read through the utx C API
 *   bench batch  FILE          the same with ut_reader_next_batch
 *   bench glibc  FILE BUDGET   utmpxname + setutxent + getutxent loop;
 *                              stops after BUDGET seconds (then partial=1)
 *   bench read   FILE          read() loop, 1 MiB buffer, cast to utmpx
 *   bench decode FILE          the same, decoding each record into a
 *                              normalized struct (NUL-terminated strings,
 *                              64-bit numbers, the address): the plain C
 *                              reader the C API is compared with
 *   bench newest FILE REPS     open(UT_OPEN_REVERSE) + 10 nexts + close,
 *                              REPS times; prints each time in ms
 *   bench spawn  CMD ARG...    run CMD with its output to /dev/null; print
 *                              its CPU time (user + system) and peak RSS
 *                              from wait4 (the peak includes this small
 *                              process before the exec, as /usr/bin/time's)
 *   bench seek   FILE REPS     ut_reader_seek_time to the middle record's
 *                              time + 1 next, on a fresh reader, REPS
 *                              times; prints each time in us (the open
 *                              not included) and the chunks read
 *
 * Every mode touches the same fields of every record (type, first byte of
 * the user name, seconds) and prints their sum as `checksum`, so run.sh can
 * check that all readers saw the same data.  Output is key=value lines.
 *
 * Build: cc -std=c99 -D_GNU_SOURCE -O2 -Iinclude bench/bench.c libutx.a ...
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utmpx.h>

#include "utx.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "bench: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    exit(1);
}

/* Peak resident set size of this process in KiB: ru_maxrss and VmHWM. */
static void print_peak(void)
{
    struct rusage ru;
    char line[256];
    long hwm = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (f != NULL) {
        while (fgets(line, sizeof(line), f) != NULL)
            if (strncmp(line, "VmHWM:", 6) == 0)
                hwm = strtol(line + 6, NULL, 10);
        fclose(f);
    }
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        die("getrusage", strerror(errno));
    printf("maxrss_kib=%ld\nhwm_kib=%ld\nuser_s=%.6f\nsys_s=%.6f\n",
           ru.ru_maxrss, hwm,
           (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
}

static ut_reader *open_or_die(const char *path, ut_open_flags flags)
{
    ut_reader *r = NULL;
    char err[256];
    ut_status st = ut_reader_open(path, UT_FORMAT_AUTO, flags, &r, err,
                                  sizeof(err));
    if (st != UT_OK)
        die("ut_reader_open", err);
    return r;
}

/* BATCH: read with ut_reader_next_batch, UT_BATCH_MAX entries a call. */
static int mode_utx(const char *path, int batch)
{
    double t0 = now();
    ut_reader *r = open_or_die(path, 0);
    const ut_entry *got[UT_BATCH_MAX];
    uint64_t n = 0, sum = 0;
    size_t i, k = 1;
    ut_status st;
    while ((st = batch ? ut_reader_next_batch(r, got, UT_BATCH_MAX, &k)
                       : ut_reader_next(r, &got[0])) == UT_OK) {
        for (i = 0; i < k; i++)
            sum += (uint64_t)got[i]->entry_type +
                   (unsigned char)got[i]->user[0] + (uint64_t)got[i]->sec;
        n += k;
    }
    if (st != UT_END)
        die("ut_reader_next", ut_status_str(st));
    ut_reader_close(r);
    printf("seconds=%.6f\nrecords=%llu\nchecksum=%llu\n", now() - t0,
           (unsigned long long)n, (unsigned long long)sum);
    print_peak();
    return 0;
}

/* glibc's reader locks the file with fcntl around each record; that is
 * the cost being measured.  Stops early when BUDGET seconds are spent. */
static int mode_glibc(const char *path, double budget)
{
    double t0 = now(), t;
    struct utmpx *u;
    uint64_t n = 0, sum = 0;
    int partial = 0;
    if (utmpxname(path) != 0)
        die("utmpxname", path);
    setutxent();
    while ((u = getutxent()) != NULL) {
        /* ut_tv.tv_sec is int32_t in glibc's x86-64 struct; bytes as u32 */
        sum += (uint64_t)u->ut_type + (unsigned char)u->ut_user[0] +
               (uint64_t)(uint32_t)u->ut_tv.tv_sec;
        n++;
        if ((n & 0xffff) == 0 && now() - t0 > budget) {
            partial = 1;
            break;
        }
    }
    endutxent();
    t = now() - t0;
    printf("seconds=%.6f\nrecords=%llu\nchecksum=%llu\npartial=%d\n", t,
           (unsigned long long)n, (unsigned long long)sum, partial);
    print_peak();
    return 0;
}

#define READ_BUF (1024 * 1024)

/* What a plain C reader fills per record: the fields of ut_entry. */
struct plain_entry {
    int type;
    int64_t pid, session, sec;
    int32_t usec, exit_termination, exit_status;
    uint8_t addr[16];
    char user[sizeof(((struct utmpx *)0)->ut_user) + 1];
    char line[sizeof(((struct utmpx *)0)->ut_line) + 1];
    char id[sizeof(((struct utmpx *)0)->ut_id) + 1];
    char host[sizeof(((struct utmpx *)0)->ut_host) + 1];
};

static void copy_field(char *dst, const char *src, size_t n)
{
    size_t k = strnlen(src, n);
    memcpy(dst, src, k);
    dst[k] = '\0';
}

static void plain_decode(const struct utmpx *u, struct plain_entry *e)
{
    e->type = u->ut_type;
    e->pid = u->ut_pid;
    e->session = u->ut_session;
    e->sec = (uint32_t)u->ut_tv.tv_sec;
    e->usec = (int32_t)u->ut_tv.tv_usec;
    e->exit_termination = u->ut_exit.e_termination;
    e->exit_status = u->ut_exit.e_exit;
    memcpy(e->addr, u->ut_addr_v6, sizeof(e->addr));
    copy_field(e->user, u->ut_user, sizeof(u->ut_user));
    copy_field(e->line, u->ut_line, sizeof(u->ut_line));
    copy_field(e->id, u->ut_id, sizeof(u->ut_id));
    copy_field(e->host, u->ut_host, sizeof(u->ut_host));
}

/* DECODE: each record decoded into a plain_entry first. */
static int mode_read(const char *path, int decode)
{
    double t0 = now();
    char *buf = malloc(READ_BUF);
    size_t have = 0;
    uint64_t n = 0, sum = 0;
    int fd = open(path, O_RDONLY);
    if (buf == NULL)
        die("out of memory", NULL);
    if (fd < 0)
        die(path, strerror(errno));
    for (;;) {
        ssize_t got = read(fd, buf + have, READ_BUF - have);
        size_t i;
        if (got < 0) {
            if (errno == EINTR)
                continue;
            die("read", strerror(errno));
        }
        if (got == 0)
            break;
        have += (size_t)got;
        for (i = 0; i + sizeof(struct utmpx) <= have;
             i += sizeof(struct utmpx)) {
            const struct utmpx *u = (const struct utmpx *)(void *)(buf + i);
            if (decode) {
                static struct plain_entry e;
                plain_decode(u, &e);
                sum += (uint64_t)e.type + (unsigned char)e.user[0] + (uint64_t)e.sec;
            } else {
                sum += (uint64_t)u->ut_type + (unsigned char)u->ut_user[0] +
                       (uint64_t)(uint32_t)u->ut_tv.tv_sec;
            }
            n++;
        }
        /* keep a record split across reads for the next round */
        memmove(buf, buf + i, have - i);
        have -= i;
    }
    close(fd);
    free(buf);
    printf("seconds=%.6f\nrecords=%llu\nchecksum=%llu\n", now() - t0,
           (unsigned long long)n, (unsigned long long)sum);
    print_peak();
    return 0;
}

static int mode_newest(const char *path, int reps)
{
    int i, k;
    uint64_t sum = 0;
    for (i = 0; i < reps; i++) {
        double t0 = now();
        ut_reader *r = open_or_die(path, UT_OPEN_REVERSE);
        const ut_entry *e;
        for (k = 0; k < 10; k++) {
            ut_status st = ut_reader_next(r, &e);
            if (st != UT_OK)
                die("ut_reader_next", ut_status_str(st));
            sum += (uint64_t)e->entry_type + (unsigned char)e->user[0] +
                   (uint64_t)e->sec;
        }
        ut_reader_close(r);
        printf("ms=%.6f\n", (now() - t0) * 1e3);
    }
    printf("checksum=%llu\n", (unsigned long long)sum);
    print_peak();
    return 0;
}

static int mode_spawn(char **argv)
{
    struct rusage ru;
    int status;
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        die("fork", strerror(errno));
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd < 0 || dup2(fd, 1) < 0)
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0)
        die("wait4", strerror(errno));
    printf("seconds=%.6f\ncpu_s=%.6f\nmaxrss_kib=%ld\nstatus=%d\n", now() - t0,
           (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
           ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : 128);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

static int mode_seek(const char *path, int reps)
{
    int i;
    uint64_t size = 0, mid, c0 = 0, c1 = 0;
    int64_t target;
    const ut_entry *e;
    ut_reader *r = open_or_die(path, 0);
    FILE *f = fopen(path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0)
        die(path, strerror(errno));
    size = (uint64_t)ftell(f);
    fclose(f);
    /* The bench files are glibc wtmps: the middle record's offset. */
    mid = size / sizeof(struct utmpx) / 2 * sizeof(struct utmpx);
    if (ut_reader_seek_offset(r, mid) != UT_OK || ut_reader_next(r, &e) != UT_OK)
        die("ut_reader_seek_offset", path);
    target = e->sec;
    ut_reader_close(r);
    for (i = 0; i < reps; i++) {
        double t0;
        r = open_or_die(path, 0);
        ut_reader_chunks_read(r, &c0);
        t0 = now();
        if (ut_reader_seek_time(r, target) != UT_OK || ut_reader_next(r, &e) != UT_OK)
            die("ut_reader_seek_time", path);
        printf("us=%.3f\n", (now() - t0) * 1e6);
        ut_reader_chunks_read(r, &c1);
        if (e->sec < target)
            die("ut_reader_seek_time", "landed before the time");
        ut_reader_close(r);
    }
    printf("target_time=%lld\nchunks=%llu\n", (long long)target,
           (unsigned long long)(c1 - c0));
    print_peak();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "utx") == 0)
        return mode_utx(argv[2], 0);
    if (argc >= 3 && strcmp(argv[1], "batch") == 0)
        return mode_utx(argv[2], 1);
    if (argc >= 4 && strcmp(argv[1], "glibc") == 0)
        return mode_glibc(argv[2], atof(argv[3]));
    if (argc >= 3 && strcmp(argv[1], "read") == 0)
        return mode_read(argv[2], 0);
    if (argc >= 3 && strcmp(argv[1], "decode") == 0)
        return mode_read(argv[2], 1);
    if (argc >= 4 && strcmp(argv[1], "newest") == 0)
        return mode_newest(argv[2], atoi(argv[3]));
    if (argc >= 3 && strcmp(argv[1], "spawn") == 0)
        return mode_spawn(argv + 2);
    if (argc >= 4 && strcmp(argv[1], "seek") == 0)
        return mode_seek(argv[2], atoi(argv[3]));
    fprintf(stderr, "usage: bench utx|batch|read|decode FILE | glibc FILE BUDGET_S | "
                    "newest|seek FILE REPS | spawn CMD ARG...\n");
    return 2;
}
