/* Following a live file through the C ABI (UT_OPEN_FOLLOW,
 * ut_reader_follow_fd, ut_reader_tell, ut_reader_seek_offset): a writer
 * thread appends records in torn pieces, truncates the file and rotates
 * it while the main thread follows, waiting on the descriptor.  Every
 * record must come back exactly once, in order, whole, and the first
 * record after a truncation or a rotation must carry its flag.  A second
 * reader resumes from a tell()ed offset. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "utx.h"

static int failures;

#include "check.h"

#define REC 384
#define TOTAL 300

static char path[128], rotated[140];

/* Shared between the writer and the reader. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int consumed;   /* records the reader has seen */
static uint32_t expect_flag[TOTAL]; /* UT_ENTRY_* the record must carry */

static void make_record(unsigned char *r, int seq) {
    memset(r, 0, REC);
    r[0] = 7; /* USER_PROCESS */
    memcpy(r + 4, &seq, 4);
    snprintf((char *)r + 8, 32, "pts/%d", seq % 64);
    memcpy(r + 40, "ts", 2);
    snprintf((char *)r + 44, 32, "u%d", seq);
    r[340] = (unsigned char)(seq & 0xff);
    r[341] = 0x10;
    r[343] = 0x65;
}

static void sleep_us(long us) {
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* Append record SEQ to FD in two pieces, so the reader may see it torn. */
static void append(int fd, int seq) {
    unsigned char r[REC];
    size_t cut = (size_t)(1 + (seq * 37) % (REC - 1));
    make_record(r, seq);
    if (write(fd, r, cut) != (ssize_t)cut) exit(3);
    if (seq % 7 == 0) sleep_us(300);
    if (write(fd, r + cut, REC - cut) != (ssize_t)(REC - cut)) exit(3);
}

/* Wait until the reader has seen the first N records. */
static void wait_consumed(int n) {
    pthread_mutex_lock(&mu);
    while (consumed < n) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}

static void *writer(void *arg) {
    int fd = open(path, O_WRONLY | O_APPEND), seq = 0, i;
    (void)arg;
    if (fd < 0) exit(3);
    for (i = 0; i < 100; i++, seq++) {
        append(fd, seq);
        if (i % 10 == 0) sleep_us(1000);
    }
    /* Truncation: once the reader is past the end, cut the file to 0 and
     * write fewer records than it had. */
    wait_consumed(seq);
    if (ftruncate(fd, 0) != 0) exit(3);
    expect_flag[seq] = UT_ENTRY_TRUNCATED;
    for (i = 0; i < 50; i++, seq++) append(fd, seq);
    /* Rotation: rename, write one more to the old file (a writer that
     * still had it open), then create the new file. */
    wait_consumed(seq);
    if (rename(path, rotated) != 0) exit(3);
    append(fd, seq++);
    close(fd);
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL, 0644);
    if (fd < 0) exit(3);
    expect_flag[seq] = UT_ENTRY_ROTATED;
    for (i = 0; seq < TOTAL; i++, seq++) {
        append(fd, seq);
        if (i % 25 == 0) sleep_us(1000);
    }
    close(fd);
    return NULL;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_follow(void) {
    ut_reader *r = NULL;
    const ut_entry *e;
    char err[256];
    pthread_t th;
    int fd = -1, next = 0, wakeups = 0;
    double deadline = now() + 20;
    ut_status st;
    FILE *f = fopen(path, "wb");

    if (f == NULL) { CHECK(0, "cannot create %s", path); return; }
    fclose(f);
    st = ut_reader_open(path, UT_FORMAT_LINUX_384_LE, UT_OPEN_FOLLOW, &r, err, sizeof err);
    CHECK(st == UT_OK, "open with UT_OPEN_FOLLOW: %s", err);
    if (st != UT_OK) return;
    CHECK_STATUS(ut_reader_follow_fd(r, &fd), UT_OK);
    CHECK(fd >= 0, "follow fd %d", fd);
    if (pthread_create(&th, NULL, writer, NULL) != 0) { CHECK(0, "pthread_create"); return; }

    while (next < TOTAL && now() < deadline) {
        st = ut_reader_next(r, &e);
        if (st == UT_OK) {
            int seq;
            char user[16];
            CHECK(!(e->flags & UT_ENTRY_PARTIAL_RECORD), "a partial record was returned");
            seq = (int)e->pid;
            snprintf(user, sizeof user, "u%d", seq);
            CHECK(seq == next, "record %d came where %d was due", seq, next);
            CHECK(strcmp(e->user, user) == 0, "record %d torn: user '%s'", seq, e->user);
            if (seq >= 0 && seq < TOTAL)
                CHECK((e->flags & (UT_ENTRY_ROTATED | UT_ENTRY_TRUNCATED)) == expect_flag[seq],
                      "record %d flags 0x%x, want 0x%x", seq, (unsigned)e->flags,
                      (unsigned)expect_flag[seq]);
            if (seq != next) break;
            next++;
            pthread_mutex_lock(&mu);
            consumed = next;
            pthread_cond_broadcast(&cv);
            pthread_mutex_unlock(&mu);
        } else if (st == UT_END) {
            struct pollfd p;
            p.fd = fd;
            p.events = POLLIN;
            p.revents = 0;
            if (poll(&p, 1, 200) > 0) wakeups++;
        } else {
            CHECK_STATUS(st, UT_OK);
            break;
        }
    }
    CHECK(next == TOTAL, "read %d of %d records before the deadline", next, TOTAL);
    CHECK(wakeups > 0, "the descriptor never woke the reader");
    /* On a failure the writer may wait for records never read: free it. */
    pthread_mutex_lock(&mu);
    consumed = TOTAL;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(th, NULL);
    /* Nothing more, and the end is reported again. */
    CHECK_STATUS(ut_reader_next(r, &e), UT_END);
    ut_reader_close(r);
}

/* A reader stopped after some records, and a new one resuming at its
 * tell(): together they see every record once. */
static void test_resume(void) {
    ut_reader *r = NULL;
    const ut_entry *e;
    char err[256];
    uint64_t off = 1;
    int seen = 0, first = -1;
    ut_status st;

    st = ut_reader_open(path, UT_FORMAT_LINUX_384_LE, UT_OPEN_FOLLOW, &r, err, sizeof err);
    CHECK(st == UT_OK, "open: %s", err);
    if (st != UT_OK) return;
    while (seen < 7 && ut_reader_next(r, &e) == UT_OK) {
        if (first < 0) first = (int)e->pid;
        seen++;
    }
    CHECK_STATUS(ut_reader_tell(r, &off), UT_OK);
    CHECK(off == 7 * REC, "tell %lu after 7 records, want %d", (unsigned long)off, 7 * REC);
    ut_reader_close(r);

    st = ut_reader_open(path, UT_FORMAT_LINUX_384_LE, 0, &r, err, sizeof err);
    CHECK(st == UT_OK, "open: %s", err);
    if (st != UT_OK) return;
    CHECK_STATUS(ut_reader_seek_offset(r, off + 1), UT_ERR_INVALID);
    CHECK_STATUS(ut_reader_seek_offset(r, off), UT_OK);
    st = ut_reader_next(r, &e);
    CHECK_STATUS(st, UT_OK);
    if (st == UT_OK) CHECK((int)e->pid == first + 7, "resumed at %d, want %d", (int)e->pid, first + 7);
    CHECK_STATUS(ut_reader_seek_offset(r, UINT64_MAX), UT_OK);
    CHECK_STATUS(ut_reader_next(r, &e), UT_END);
    ut_reader_close(r);

    /* Following backward is refused. */
    r = NULL;
    st = ut_reader_open(path, UT_FORMAT_LINUX_384_LE, UT_OPEN_FOLLOW | UT_OPEN_REVERSE, &r, err,
                        sizeof err);
    CHECK_STATUS(st, UT_ERR_INVALID);
    CHECK(r == NULL, "a refused open wrote *out");
}

int main(void) {
    snprintf(path, sizeof path, "/tmp/utx-follow-%ld.wtmp", (long)getpid());
    snprintf(rotated, sizeof rotated, "%s.1", path);
    test_follow();
    test_resume();
    unlink(path);
    unlink(rotated);
    if (failures) {
        fprintf(stderr, "follow: %d failure(s)\n", failures);
        return 1;
    }
    printf("follow: ok\n");
    return 0;
}
