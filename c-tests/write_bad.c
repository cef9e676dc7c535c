/* The writer on bad input: a directory, a FIFO, a file of another
 * format, a full disk (RLIMIT_FSIZE), an entry whose time or type does
 * not fit, an oversized string with UT_WRITE_STRICT, a lastlog entry
 * without a uid, a symlink where a new file is to be created, a lock
 * held past the bound: each a clear status, and the file unchanged. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utx.h"

static int failures;

#include "check.h"

static char dir[64];

static char *at(const char *name) {
    static char buf[8][128];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static ut_entry entry(void) {
    ut_entry e;
    memset(&e, 0, sizeof e);
    e.size = sizeof e;
    e.entry_type = UT_TYPE_USER_PROCESS;
    e.raw_type = -1;
    e.user = "alice";
    e.line = "pts/3";
    e.id = "ts/3";
    e.host = "example.org";
    e.pid = 4242;
    e.session = 0;
    e.uid = 1000;
    e.sec = 1700000000;
    e.usec = 5;
    return e;
}

/* The bytes of PATH (at most 64 KiB) and their count. */
static size_t slurp(const char *path, unsigned char *buf) {
    FILE *f = fopen(path, "rb");
    size_t n;
    if (!f) return 0;
    n = fread(buf, 1, 65536, f);
    fclose(f);
    return n;
}

static unsigned char before[65536], after[65536];

/* Open PATH, put E: the status of whichever failed, and the file must
 * then be unchanged. */
static ut_status put_unchanged(const char *path, ut_format format, uint32_t flags, const ut_entry *e) {
    ut_writer *w = NULL;
    char err[256] = "";
    size_t n0 = slurp(path, before), n1;
    ut_status st = ut_writer_open(path, format, flags, &w, err, sizeof err);
    if (st == UT_OK) {
        st = ut_writer_put(w, e, NULL);
        ut_writer_close(w);
    } else {
        CHECK(strlen(err) > 0, "open failed with an empty message");
    }
    n1 = slurp(path, after);
    CHECK(n0 == n1 && memcmp(before, after, n0) == 0, "%s changed", path);
    return st;
}

static void write_file(const char *path, const void *bytes, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, n, f) != n) { perror(path); exit(1); }
    fclose(f);
}

int main(void) {
    ut_entry e = entry();
    ut_writer *w = NULL;
    char err[256];
    snprintf(dir, sizeof dir, "/tmp/utx-write-bad-%ld", (long)getpid());
    if (mkdir(dir, 0700) != 0) { perror(dir); return 1; }

    /* A directory and a FIFO (never blocks). */
    CHECK_STATUS(ut_writer_open(dir, UT_FORMAT_LINUX_384_LE, 0, &w, err, sizeof err), UT_ERR_INVALID);
    CHECK(strstr(err, "directory") != NULL, "message: %s", err);
    if (mkfifo(at("fifo"), 0600) == 0)
        CHECK_STATUS(ut_writer_open(at("fifo"), UT_FORMAT_LINUX_384_LE, 0, &w, err, sizeof err), UT_ERR_INVALID);
    /* Missing without UT_WRITE_CREATE; an AUTO format for a new file. */
    CHECK_STATUS(ut_writer_open(at("none"), UT_FORMAT_LINUX_384_LE, 0, &w, err, sizeof err), UT_ERR_NOT_FOUND);
    CHECK_STATUS(ut_writer_open(at("none"), UT_FORMAT_AUTO, UT_WRITE_CREATE, &w, err, sizeof err), UT_ERR_INVALID);
    /* Not a fixed-size record format. */
    CHECK_STATUS(ut_writer_open(at("db"), UT_FORMAT_WTMPDB, UT_WRITE_CREATE, &w, err, sizeof err), UT_ERR_UNSUPPORTED);
    /* Creating through a symlink is refused. */
    if (symlink(at("target"), at("link")) == 0) {
        CHECK(ut_writer_open(at("link"), UT_FORMAT_LINUX_384_LE, UT_WRITE_CREATE, &w, err, sizeof err) < 0,
              "created through a symlink");
        CHECK(access(at("target"), F_OK) != 0, "the symlink's target was created");
    }
    /* Created: mode 0664 before the umask. */
    umask(0);
    CHECK_STATUS(ut_writer_open(at("new"), UT_FORMAT_LINUX_384_LE, UT_WRITE_CREATE, &w, err, sizeof err), UT_OK);
    ut_writer_close(w);
    {
        struct stat st;
        CHECK(stat(at("new"), &st) == 0 && (st.st_mode & 0777) == 0664, "mode %o", (unsigned)st.st_mode & 0777);
    }
    umask(022);
    /* A file of another format: utmpdump text, a SQLite header. */
    {
        const char *line = "[7] [04242] [ts/3] [alice   ] [pts/3       ] [example.org         ] "
                           "[0.0.0.0        ] [2023-11-14T22:13:20,000005+00:00]\n";
        write_file(at("text"), line, strlen(line));
    }
    CHECK_STATUS(put_unchanged(at("text"), UT_FORMAT_LINUX_384_LE, 0, &e), UT_ERR_FORMAT);
    /* Detected as text: a format utx does not write. */
    CHECK_STATUS(put_unchanged(at("text"), UT_FORMAT_AUTO, 0, &e), UT_ERR_UNSUPPORTED);
    {
        unsigned char junk[384];
        memset(junk, 0x7f, sizeof junk);
        write_file(at("junk"), junk, sizeof junk);
        CHECK_STATUS(put_unchanged(at("junk"), UT_FORMAT_LINUX_384_LE, 0, &e), UT_ERR_FORMAT);
    }
    /* A wtmp with one record, for the entry checks. */
    {
        unsigned char rec[384];
        size_t n;
        CHECK_STATUS(ut_entry_encode(&e, UT_FORMAT_LINUX_384_LE, rec, sizeof rec, &n, NULL), UT_OK);
        write_file(at("wtmp"), rec, n);
    }
    {
        ut_entry bad = e;
        uint32_t cut = 0;
        size_t n;
        unsigned char rec[400];
        /* A negative time in a u32 time field; an unknown type. */
        bad.sec = -1;
        CHECK_STATUS(put_unchanged(at("wtmp"), UT_FORMAT_AUTO, 0, &bad), UT_ERR_INVALID);
        bad = e;
        bad.entry_type = 99;
        CHECK_STATUS(put_unchanged(at("wtmp"), UT_FORMAT_AUTO, 0, &bad), UT_ERR_INVALID);
        /* An oversized string: cut and reported, or refused when strict. */
        bad = e;
        bad.host = "an-oversized-host-name-"
                   "0123456789012345678901234567890123456789012345678901234567890123456789"
                   "0123456789012345678901234567890123456789012345678901234567890123456789"
                   "0123456789012345678901234567890123456789012345678901234567890123456789"
                   "0123456789012345678901234567890123456789012345678901234567890123456789";
        CHECK_STATUS(put_unchanged(at("wtmp"), UT_FORMAT_AUTO, UT_WRITE_STRICT, &bad), UT_ERR_INVALID);
        CHECK_STATUS(ut_entry_encode(&bad, UT_FORMAT_LINUX_384_LE, rec, sizeof rec, &n, &cut), UT_OK);
        CHECK(cut == UT_CUT_HOST, "cut 0x%x", (unsigned)cut);
        CHECK(memcmp(rec + 76, bad.host, 256) == 0, "host not cut as strncpy cuts");
        /* An entry too small for the fields a writer reads. */
        bad = e;
        bad.size = 8;
        CHECK_STATUS(put_unchanged(at("wtmp"), UT_FORMAT_AUTO, 0, &bad), UT_ERR_INVALID);
        /* A short buffer. */
        CHECK_STATUS(ut_entry_encode(&e, UT_FORMAT_LINUX_384_LE, rec, 100, &n, NULL), UT_ERR_INVALID);
    }
    /* A lastlog entry without a uid. */
    CHECK_STATUS(ut_writer_open(at("lastlog"), UT_FORMAT_LASTLOG_292_LE, UT_WRITE_CREATE, &w, err, sizeof err), UT_OK);
    if (w) {
        ut_entry bad = e;
        const char *msg = NULL;
        bad.uid = -1;
        CHECK_STATUS(ut_writer_put(w, &bad, NULL), UT_ERR_INVALID);
        CHECK_STATUS(ut_writer_error(w, &msg, NULL), UT_OK);
        CHECK(msg && strstr(msg, "uid"), "message: %s", msg ? msg : "(null)");
        /* uid 1000 at 1000 x 292, the rest a hole. */
        CHECK_STATUS(ut_writer_put(w, &e, NULL), UT_OK);
        ut_writer_close(w);
        {
            struct stat st;
            CHECK(stat(at("lastlog"), &st) == 0 && st.st_size == 1001 * 292, "size %ld", (long)st.st_size);
        }
    }
    /* A full disk: RLIMIT_FSIZE at the file's size, in a child. */
    {
        pid_t pid = fork();
        if (pid == 0) {
            struct rlimit rl = {384, 384};
            signal(SIGXFSZ, SIG_IGN);
            setrlimit(RLIMIT_FSIZE, &rl);
            ut_status st = put_unchanged(at("wtmp"), UT_FORMAT_AUTO, 0, &e);
            CHECK_STATUS(st, UT_ERR_IO);
            _exit(failures ? 1 : 0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "full-disk child failed");
    }
    /* Another process holds glibc's lock: UT_ERR_BUSY after the bound
     * (10 s), the file unchanged. */
    {
        int fd = open(at("wtmp"), O_RDWR);
        int ready[2];
        if (fd >= 0 && pipe(ready) == 0) {
            pid_t pid = fork();
            if (pid == 0) {
                struct flock fl;
                char c = 'x';
                memset(&fl, 0, sizeof fl);
                fl.l_type = F_WRLCK;
                fl.l_whence = SEEK_SET;
                fcntl(fd, F_SETLKW, &fl);
                if (write(ready[1], &c, 1) != 1) _exit(1);
                sleep(12);
                _exit(0);
            }
            char c;
            if (read(ready[0], &c, 1) == 1) {
                CHECK_STATUS(put_unchanged(at("wtmp"), UT_FORMAT_AUTO, 0, &e), UT_ERR_BUSY);
            }
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            close(fd);
        }
    }
    {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0) failures++;
    }
    if (failures) {
        fprintf(stderr, "write_bad: %d check(s) failed\n", failures);
        return 1;
    }
    printf("write_bad: ok\n");
    return 0;
}
