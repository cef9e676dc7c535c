/* The hostile-input suite (issue 10): every input that once hung, exhausted
 * memory, aborted or leaked, and the odd files that never did.  Each case
 * runs in a child process with a time bound (alarm: SIGALRM kills it) and a
 * memory bound (RLIMIT_AS), and must end with a status and a message: a
 * signal, a timeout, an unexpected status or an empty message fails it.
 *
 *   hostile DIR            run every case; DIR holds the inputs run.sh made
 *   hostile DIR NAME...    run the named cases
 *   hostile --iterate PATH open PATH (newest first), read it to the end and
 *                          print the open time, read time, entries and peak
 *                          RSS (the wtmpdb measurement of run.sh)
 *
 * Cases marked `pending` belong to work on another branch (detection): they
 * run and print their result but do not fail the suite. */
#define _GNU_SOURCE
#define SWAP_OPENS 2000
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "utx.h"

static const char *dir;           /* the inputs */
static char path_buf[4096];

static const char *in(const char *name) {
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
    return path_buf;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What a case reports from its child. */
struct result {
    int status;
    char message[480];
};

/* Read `r` to its end; the status of the last call (UT_END → UT_OK). */
static int drain(ut_reader *r, struct result *res, uint64_t *count) {
    const ut_entry *e;
    int st;
    *count = 0;
    while ((st = ut_reader_next(r, &e)) == UT_OK) (*count)++;
    if (st == UT_END) {
        snprintf(res->message, sizeof res->message, "%llu entries", (unsigned long long)*count);
        return UT_OK;
    }
    {
        const char *msg = "";
        int32_t err = 0;
        ut_reader_error(r, &msg, &err);
        snprintf(res->message, sizeof res->message, "%s", msg ? msg : "");
    }
    return st;
}

/* Open `path` as `format`, read it all. */
static void read_path(const char *path, ut_format format, ut_open_flags flags, struct result *res) {
    ut_reader *r = NULL;
    uint64_t n;
    res->status = ut_reader_open(path, format, flags, &r, res->message, sizeof res->message);
    if (res->status != UT_OK) return;
    res->status = drain(r, res, &n);
    ut_reader_close(r);
}

static void read_db_at(const char *root, ut_database db, struct result *res) {
    ut_reader *r = NULL;
    uint64_t n;
    res->status = ut_reader_open_db_at(root, db, 0, &r, res->message, sizeof res->message);
    if (res->status != UT_OK) return;
    res->status = drain(r, res, &n);
    ut_reader_close(r);
}

/* ---- the cases ---------------------------------------------------------- */

static void c_fifo(struct result *r) { read_path(in("fifo"), UT_FORMAT_AUTO, 0, r); }
static void c_dev_null(struct result *r) { read_path("/dev/null", UT_FORMAT_AUTO, 0, r); }
static void c_dev_zero(struct result *r) { read_path("/dev/zero", UT_FORMAT_LINUX_384_LE, 0, r); }
static void c_socket(struct result *r) { read_path(in("socket"), UT_FORMAT_AUTO, 0, r); }
static void c_symlink_loop(struct result *r) { read_path(in("loop-a"), UT_FORMAT_AUTO, 0, r); }
static void c_directory(struct result *r) { read_path(in("."), UT_FORMAT_LINUX_384_LE, 0, r); }
static void c_sparse_1tb(struct result *r) { read_path(in("sparse-1tb"), UT_FORMAT_AUTO, 0, r); }
static void c_zeros(struct result *r) { read_path(in("zeros-256m"), UT_FORMAT_AUTO, 0, r); }
static void c_procfs(struct result *r) { read_path("/proc/self/maps", UT_FORMAT_AUTO, 0, r); }

static void c_gz_corrupt(struct result *r) { read_path(in("corrupt.gz"), UT_FORMAT_AUTO, 0, r); }
static void c_gz_bomb(struct result *r) { read_path(in("bomb.gz"), UT_FORMAT_AUTO, 0, r); }

/* A missing scratch directory is an I/O error about it, never "not found"
 * for the .gz that exists. */
static void c_gz_no_tmpdir(struct result *r) {
    setenv("UTX_TMPDIR", "/nonexistent-utx-tmpdir", 1);
    setenv("TMPDIR", "/nonexistent-utx-tmpdir", 1);
    read_path(in("wtmp.gz"), UT_FORMAT_AUTO, 0, r);
}

/* Decompressing leaves no name in the scratch directory at any moment:
 * inotify sees no file created there (a named temp file, even unlinked at
 * once, shows as IN_CREATE). */
static void c_gz_unnamed(struct result *r) {
    char scratch[4096];
    int fd, wd;
    ssize_t got;
    char ev[4096];
    snprintf(scratch, sizeof scratch, "%s/scratch", dir);
    setenv("UTX_TMPDIR", scratch, 1);
    setenv("TMPDIR", scratch, 1);
    fd = inotify_init1(IN_NONBLOCK);
    wd = inotify_add_watch(fd, scratch, IN_CREATE | IN_MOVED_TO);
    if (fd < 0 || wd < 0) {
        r->status = -100;
        snprintf(r->message, sizeof r->message, "inotify: %s", strerror(errno));
        return;
    }
    read_path(in("wtmp.gz"), UT_FORMAT_AUTO, 0, r);
    got = read(fd, ev, sizeof ev);
    if (got > 0) {
        const struct inotify_event *e = (const void *)ev;
        r->status = -100;
        snprintf(r->message, sizeof r->message, "a file was created in the scratch directory: %.64s",
                 e->len ? e->name : "?");
    }
}

/* Descriptors of this process open on files in `scratch` (O_TMPFILE files
 * read "/dir/#123 (deleted)"), or on the named temporary files of older
 * versions ("utx-gz-PID-N"). */
static int fds_in(const char *scratch) {
    char fdpath[64], target[4096];
    int fd, n = 0;
    size_t len = strlen(scratch);
    for (fd = 0; fd < 64; fd++) {
        ssize_t got;
        snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
        got = readlink(fdpath, target, sizeof target - 1);
        if (got <= 0) continue;
        target[got] = '\0';
        if ((strncmp(target, scratch, len) == 0 && target[len] == '/') || strstr(target, "/utx-gz-")) n++;
    }
    return n;
}

/* ut_reader_open_files over five .gz holds one decompressed copy at a time
 * (two while opening), whichever direction. */
static void c_gz_one_at_a_time(struct result *r) {
    char scratch[4096], names[5][4096];
    const char *paths[5];
    int i, dir_i, most = 0;
    snprintf(scratch, sizeof scratch, "%s/scratch", dir);
    setenv("UTX_TMPDIR", scratch, 1);
    for (i = 0; i < 5; i++) {
        snprintf(names[i], sizeof names[i], "%s/wtmp.gz", dir);
        paths[i] = names[i];
    }
    for (dir_i = 0; dir_i < 2; dir_i++) {
        ut_reader *rd = NULL;
        const ut_entry *e;
        int st, held;
        r->status = ut_reader_open_files(paths, 5, UT_FORMAT_AUTO, dir_i ? UT_OPEN_REVERSE : 0, &rd, r->message,
                                         sizeof r->message);
        if (r->status != UT_OK) return;
        while ((st = ut_reader_next(rd, &e)) == UT_OK) {
            held = fds_in(scratch);
            if (held > most) most = held;
        }
        ut_reader_close(rd);
        if (st != UT_END) {
            r->status = st;
            return;
        }
    }
    r->status = most == 1 ? UT_OK : -104;
    snprintf(r->message, sizeof r->message, "5 .gz read both ways: at most %d decompressed cop%s held", most,
             most == 1 ? "y" : "ies");
}

static void c_logind_fifo_session(struct result *r) { read_path(in("logind-fifo"), UT_FORMAT_AUTO, 0, r); }
static void c_logind_fifo_db_at(struct result *r) { read_db_at(in("root-fifo"), UT_DB_UTMP, r); }
static void c_logind_fifo_user(struct result *r) { read_path(in("logind-fifo-user"), UT_FORMAT_LOGIND, 0, r); }
static void c_logind_dev_zero(struct result *r) { read_path(in("logind-zero"), UT_FORMAT_LOGIND, 0, r); }
static void c_logind_huge(struct result *r) { read_path(in("logind-huge"), UT_FORMAT_LOGIND, 0, r); }

static void c_wtmpdb_view_auto(struct result *r) { read_path(in("view.db"), UT_FORMAT_AUTO, 0, r); }
static void c_wtmpdb_view_forced(struct result *r) { read_path(in("view.db"), UT_FORMAT_WTMPDB, 0, r); }
static void c_wtmpdb_view_db_at(struct result *r) { read_db_at(in("root-view"), UT_DB_WTMP, r); }
static void c_lastlog2_view(struct result *r) { read_path(in("view2.db"), UT_FORMAT_LASTLOG2, 0, r); }
static void c_sqlite_corrupt(struct result *r) { read_path(in("corrupt.db"), UT_FORMAT_AUTO, 0, r); }
static void c_sqlite_locked(struct result *r) { read_path(in("locked.db"), UT_FORMAT_AUTO, 0, r); }
static void c_wtmpdb_huge_field(struct result *r) { read_path(in("bigfield.db"), UT_FORMAT_AUTO, 0, r); }
static void c_lastlogx_cycle(struct result *r) { read_path(in("lastlogx-cycle"), UT_FORMAT_AUTO, 0, r); }

/* ---- files changing while read ----------------------------------------- */

static volatile int stop_flag;

static void *truncate_loop(void *arg) {
    const char *path = arg;
    while (!stop_flag) {
        if (truncate(path, 0) != 0) break;
        if (truncate(path, 384 * 1000) != 0) break;
    }
    return NULL;
}

static void *rename_loop(void *arg) {
    char other[4200];
    const char *path = arg;
    snprintf(other, sizeof other, "%s.moved", path);
    while (!stop_flag) {
        if (rename(path, other) != 0) break;
        if (rename(other, path) != 0) break;
    }
    return NULL;
}

/* Read `path` 50 times, both directions, while `loop` changes it. */
static void while_changed(const char *name, void *(*loop)(void *), struct result *r) {
    char path[4096];
    pthread_t t;
    int i, errors = 0, last = UT_OK;
    snprintf(path, sizeof path, "%s", in(name));
    stop_flag = 0;
    pthread_create(&t, NULL, loop, path);
    for (i = 0; i < 50; i++) {
        struct result one;
        memset(&one, 0, sizeof one);
        read_path(path, UT_FORMAT_LINUX_384_LE, (i & 1) ? UT_OPEN_REVERSE : 0, &one);
        if (one.status != UT_OK) {
            errors++;
            last = one.status;
            if (one.message[0] == '\0') { r->status = -101; strcpy(r->message, "error without a message"); }
        }
    }
    stop_flag = 1;
    pthread_join(t, NULL);
    if (r->status == -101) return;
    r->status = UT_OK;
    snprintf(r->message, sizeof r->message, "50 reads, %d ended in an error (last %s)", errors, ut_status_str(last));
}

static void c_truncated_while_read(struct result *r) { while_changed("changing-wtmp", truncate_loop, r); }
static void c_renamed_while_read(struct result *r) { while_changed("moving-wtmp", rename_loop, r); }

/* A FIFO swapped with the database (renameat2 RENAME_EXCHANGE) by another
 * process in a loop while it is opened: no open may block (issue 10 #9). */
static void c_sqlite_fifo_swap(struct result *r) {
    int i, slow = 0, ok = 0;
    double worst = 0, t_end;
    char path[4096], fifo[4096];
    pid_t swapper;
    snprintf(path, sizeof path, "%s", in("swap.db"));
    snprintf(fifo, sizeof fifo, "%s", in("swap-fifo"));
    swapper = fork();
    if (swapper == 0) {
        alarm(60);
        for (;;) renameat2(AT_FDCWD, path, AT_FDCWD, fifo, RENAME_EXCHANGE);
    }
    t_end = now() + 4.0;
    for (i = 0; i < SWAP_OPENS && now() < t_end; i++) {
        struct result one;
        double t0 = now(), dt;
        memset(&one, 0, sizeof one);
        read_path(path, (i & 1) ? UT_FORMAT_WTMPDB : UT_FORMAT_AUTO, 0, &one);
        dt = now() - t0;
        if (dt > worst) worst = dt;
        if (dt > 2.0) slow++;
        if (one.status == UT_OK) ok++;
        else if (one.message[0] == '\0') slow += 1000;
    }
    kill(swapper, SIGKILL);
    waitpid(swapper, NULL, 0);
    r->status = slow ? -102 : UT_OK;
    snprintf(r->message, sizeof r->message, "%d opens: %d read, %d took over 2 s (worst %.3f s)", i, ok, slow,
             worst);
}

/* 5,000 files in one history with 256 descriptors allowed. */
static void c_many_files(struct result *r) {
    static char names[5000][64];
    const char *paths[5000];
    struct rlimit nofile = {256, 256};
    ut_reader *rd = NULL;
    uint64_t n;
    int i;
    for (i = 0; i < 5000; i++) {
        snprintf(names[i], sizeof names[i], "%s/many/w%04d", dir, i);
        paths[i] = names[i];
    }
    setrlimit(RLIMIT_NOFILE, &nofile);
    r->status = ut_reader_open_files(paths, 5000, UT_FORMAT_AUTO, 0, &rd, r->message, sizeof r->message);
    if (r->status != UT_OK) return;
    r->status = drain(rd, r, &n);
    ut_reader_close(rd);
}

/* A root-only file read as nobody. */
static void c_permission_denied(struct result *r) {
    struct passwd *pw = getpwnam("nobody");
    if (!pw || setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
        r->status = -103;
        snprintf(r->message, sizeof r->message, "cannot become nobody: %s", strerror(errno));
        return;
    }
    read_path(in("private-wtmp"), UT_FORMAT_AUTO, 0, r);
}

static void c_permission_denied_db(struct result *r) {
    struct passwd *pw = getpwnam("nobody");
    if (!pw || setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
        r->status = -103;
        snprintf(r->message, sizeof r->message, "cannot become nobody: %s", strerror(errno));
        return;
    }
    read_path(in("private.db"), UT_FORMAT_AUTO, 0, r);
}

/* ---- the table ---------------------------------------------------------- */


struct hcase {
    const char *name;
    const char *what; /* the defect or the odd input */
    void (*run)(struct result *);
    int expect[3];    /* statuses allowed; 0 ends the list unless first */
    int nexpect;
    unsigned seconds; /* time bound */
    unsigned mem_mb;  /* RLIMIT_AS in MiB */
    int pending;      /* another branch's defect: reported, not failed */
};

static const struct hcase cases[] = {
    {"fifo", "a FIFO as the file", c_fifo, {UT_ERR_INVALID}, 1, 5, 512, 0},
    {"dev-null", "a character device", c_dev_null, {UT_ERR_INVALID}, 1, 5, 512, 0},
    {"dev-zero", "/dev/zero, format forced", c_dev_zero, {UT_ERR_INVALID}, 1, 5, 512, 0},
    {"socket", "a Unix socket", c_socket, {UT_ERR_INVALID, UT_ERR_IO}, 2, 5, 512, 0},
    {"symlink-loop", "a symlink loop", c_symlink_loop, {UT_ERR_IO}, 1, 5, 512, 0},
    {"directory", "a directory, format forced", c_directory, {UT_ERR_INVALID}, 1, 5, 512, 0},
    {"sparse-1tb", "a 1 TB sparse file", c_sparse_1tb, {UT_OK, UT_ERR_FORMAT}, 2, 10, 512, 0},
    {"zeros-256m", "#2 256 MiB of zeros", c_zeros, {UT_OK, UT_ERR_FORMAT}, 2, 10, 512, 1},
    {"procfs", "#10 /proc/self/maps", c_procfs, {UT_ERR_FORMAT}, 1, 5, 512, 1},
    {"gz-corrupt", "corrupt gzip", c_gz_corrupt, {UT_ERR_FORMAT}, 1, 5, 512, 0},
    {"gz-bomb", "#2 a gzip bomb", c_gz_bomb, {UT_ERR_UNSUPPORTED}, 1, 10, 512, 0},
    {"gz-no-tmpdir", "#11 missing scratch directory", c_gz_no_tmpdir, {UT_ERR_IO}, 1, 5, 512, 0},
    {"gz-unnamed", "#1 decompressed copy has no name", c_gz_unnamed, {UT_OK}, 1, 10, 512, 0},
    {"gz-one-at-a-time", "#11 open_files holds one .gz copy", c_gz_one_at_a_time, {UT_OK}, 1, 20, 512, 0},
    {"logind-fifo-dir", "#3 FIFO session file, logind dir", c_logind_fifo_session, {UT_ERR_INVALID}, 1, 5, 512, 0},
    {"logind-fifo-db-at", "#3 FIFO session file, open_db_at", c_logind_fifo_db_at, {UT_ERR_INVALID}, 1, 5, 512, 0},
    {"logind-fifo-user", "#3 FIFO users/<uid> file", c_logind_fifo_user, {UT_OK}, 1, 5, 512, 0},
    {"logind-dev-zero", "#4 session file -> /dev/zero", c_logind_dev_zero, {UT_ERR_INVALID}, 1, 5, 256, 0},
    {"logind-huge", "#4 a 1 GiB session file", c_logind_huge, {UT_ERR_FORMAT}, 1, 5, 256, 0},
    {"wtmpdb-view-auto", "#5 recursive view, detected", c_wtmpdb_view_auto, {UT_ERR_FORMAT}, 1, 5, 512, 0},
    {"wtmpdb-view-forced", "#5 recursive view, forced", c_wtmpdb_view_forced, {UT_ERR_FORMAT}, 1, 5, 512, 0},
    {"wtmpdb-view-db-at", "#5 recursive view, open_db_at", c_wtmpdb_view_db_at, {UT_ERR_FORMAT}, 1, 5, 512, 0},
    {"lastlog2-view", "#5 lastlog2 view, forced", c_lastlog2_view, {UT_ERR_FORMAT}, 1, 5, 512, 0},
    {"sqlite-corrupt", "#11 corrupt SQLite file", c_sqlite_corrupt, {UT_ERR_FORMAT}, 1, 5, 512, 0},
    {"sqlite-locked", "a locked database", c_sqlite_locked, {UT_ERR_IO}, 1, 8, 512, 0},
    {"wtmpdb-200mb-field", "#7 a 200 MB field, 160 MiB of address space", c_wtmpdb_huge_field, {UT_ERR_NOMEM}, 1, 20, 160, 0},
    {"wtmpdb-200mb-field-cut", "#7 a 200 MB field, 320 MiB of address space", c_wtmpdb_huge_field, {UT_OK}, 1, 20, 320, 0},
    {"lastlogx-cycle", "#6 overflow pages in a cycle", c_lastlogx_cycle, {UT_ERR_FORMAT}, 1, 5, 256, 0},
    {"truncated-while-read", "a file truncated while read", c_truncated_while_read, {UT_OK}, 1, 30, 512, 0},
    {"renamed-while-read", "a file renamed while read", c_renamed_while_read, {UT_OK}, 1, 30, 512, 0},
    {"sqlite-fifo-swap", "#9 FIFO swapped in (RENAME_EXCHANGE)", c_sqlite_fifo_swap, {UT_OK}, 1, 40, 512, 0},
    {"many-files", "5,000 files, 256 descriptors", c_many_files, {UT_OK, UT_ERR_IO}, 2, 30, 1024, 0},
    {"permission", "root-only file as nobody", c_permission_denied, {UT_ERR_PERMISSION}, 1, 5, 512, 0},
    {"permission-db", "root-only database as nobody", c_permission_denied_db, {UT_ERR_PERMISSION}, 1, 5, 512, 0},
};

/* Run one case in a child; 1 when it failed. */
static int run_case(const struct hcase *c) {
    int fds[2], i, ok, wst;
    pid_t pid;
    struct result res;
    struct rusage ru;
    double t0 = now(), dt;
    ssize_t got;
    char why[160] = "";
    if (pipe(fds) != 0) return 1;
    pid = fork();
    if (pid == 0) {
        struct rlimit as;
        close(fds[0]);
        as.rlim_cur = as.rlim_max = (rlim_t)c->mem_mb << 20;
        setrlimit(RLIMIT_AS, &as);
        alarm(c->seconds);
        memset(&res, 0, sizeof res);
        c->run(&res);
        if (write(fds[1], &res, sizeof res) != (ssize_t)sizeof res) _exit(3);
        _exit(0);
    }
    close(fds[1]);
    memset(&res, 0, sizeof res);
    got = read(fds[0], &res, sizeof res);
    close(fds[0]);
    wait4(pid, &wst, 0, &ru);
    dt = now() - t0;
    res.message[sizeof res.message - 1] = '\0';
    ok = 0;
    if (WIFSIGNALED(wst)) {
        snprintf(why, sizeof why, "killed by signal %d%s", WTERMSIG(wst),
                 WTERMSIG(wst) == SIGALRM ? " (over its time bound)" : "");
    } else if (got != (ssize_t)sizeof res) {
        snprintf(why, sizeof why, "no result (exit %d)", WEXITSTATUS(wst));
    } else if (res.message[0] == '\0') {
        snprintf(why, sizeof why, "no message");
    } else {
        for (i = 0; i < c->nexpect; i++)
            if (res.status == c->expect[i]) ok = 1;
        if (!ok) snprintf(why, sizeof why, "unexpected status %d (%s)", res.status, ut_status_str(res.status));
    }
    printf("%-8s %-22s %6.2f s %5ld MB  %-18s %s: %s%s%s\n",
           ok ? "PASS" : (c->pending ? "PENDING" : "FAIL"), c->name, dt, ru.ru_maxrss / 1024,
           ok ? ut_status_str(res.status) : "-", c->what, res.message, why[0] ? "  <- " : "", why);
    fflush(stdout);
    return !ok && !c->pending;
}

/* --iterate PATH: the measurement mode. */
static int iterate(const char *path) {
    ut_reader *r = NULL;
    struct result res;
    struct rusage ru;
    uint64_t n = 0;
    double t0 = now(), t1;
    memset(&res, 0, sizeof res);
    res.status = ut_reader_open(path, UT_FORMAT_AUTO, UT_OPEN_REVERSE, &r, res.message, sizeof res.message);
    t1 = now();
    if (res.status == UT_OK) {
        res.status = drain(r, &res, &n);
        ut_reader_close(r);
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("open %.2f s, read %.2f s, %llu entries, peak RSS %ld MB: %s %s\n", t1 - t0, now() - t1,
           (unsigned long long)n, ru.ru_maxrss / 1024, ut_status_str(res.status), res.message);
    return res.status != UT_OK;
}

int main(int argc, char **argv) {
    size_t i, ncases = sizeof cases / sizeof cases[0];
    int failed = 0, ran = 0, a;
    if (argc == 3 && strcmp(argv[1], "--iterate") == 0) return iterate(argv[2]);
    if (argc < 2) {
        fprintf(stderr, "usage: hostile DIR [CASE...] | hostile --iterate PATH\n");
        return 2;
    }
    dir = argv[1];
    for (i = 0; i < ncases; i++) {
        int want = argc == 2;
        for (a = 2; a < argc; a++)
            if (strcmp(argv[a], cases[i].name) == 0) want = 1;
        if (!want) continue;
        ran++;
        failed += run_case(&cases[i]);
    }
    printf("%d cases, %d failed\n", ran, failed);
    return failed != 0 || ran == 0;
}
