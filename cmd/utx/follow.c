/*
 * follow.c - reading a file as it grows (`utx dump -f`, `utx last
 * --follow`), resuming at a byte offset or from a checkpoint file so a log
 * shipper restarts exactly where it stopped, and the Elastic Common Schema
 * view of an entry (`--json=ecs`).
 *
 * The library does the following (UT_OPEN_FOLLOW: appends, a record still
 * being written, truncation, rotation) and gives the descriptor to wait
 * on; this file only loops, prints, and keeps the checkpoint.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

/* ------------------------------------------------------------------ */
/* options                                                             */

/* "--NAME VALUE" or "--NAME=VALUE" at argv[*i]: the value, or NULL when
 * argv[*i] is not that option.  *missing is set when the value is. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, int *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

int utx_parse_host_name_opt(int argc, char **argv, int *i, const char **name)
{
    int missing = 0;
    const char *v = opt_value(argc, argv, i, "--host-name", &missing);
    if (missing) {
        utx_err("option '%s' requires an argument", argv[*i]);
        return -1;
    }
    if (v == NULL)
        return 0;
    *name = v;
    return 1;
}

const char *utx_host_name(const char *name, int this_host, char *buf, size_t n)
{
    if (name != NULL)
        return name;
    if (this_host && n > 0 && gethostname(buf, n) == 0) {
        buf[n - 1] = '\0';
        return buf;
    }
    return "";
}

/* A decimal offset, all digits, no sign. */
static int parse_offset(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int utx_parse_follow_opt(int argc, char **argv, int *i, struct utx_follow *f, int short_f)
{
    const char *a = argv[*i], *v;
    int missing = 0;

    if (strcmp(a, "--follow") == 0 || (short_f && strcmp(a, "-f") == 0)) {
        f->follow = 1;
        return 1;
    }
    if ((v = opt_value(argc, argv, i, "--since-offset", &missing)) != NULL) {
        if (parse_offset(v, &f->offset) != 0) {
            utx_err("--since-offset: '%s' is not a byte offset", v);
            return -1;
        }
        f->have_offset = 1;
        return 1;
    }
    if (missing) {
        utx_err("option '%s' requires an argument", a);
        return -1;
    }
    if ((v = opt_value(argc, argv, i, "--checkpoint", &missing)) != NULL) {
        if (v[0] == '\0') {
            utx_err("--checkpoint: empty file name");
            return -1;
        }
        f->checkpoint = v;
        return 1;
    }
    if (missing) {
        utx_err("option '%s' requires an argument", a);
        return -1;
    }
    return 0;
}

int utx_parse_json_opt(const char *a, int *json)
{
    if (strcmp(a, "--json") == 0)
        *json = UTX_JSON_PLAIN;
    else if (strcmp(a, "--json=ecs") == 0)
        *json = UTX_JSON_ECS;
    else if (strncmp(a, "--json=", 7) == 0) {
        utx_err("--json: unknown mapping '%s' (valid: ecs)", a + 7);
        return -1;
    } else
        return 0;
    return 1;
}

/* ------------------------------------------------------------------ */
/* checkpoint file                                                     */

/* 1 and *off when FILE holds an offset, 0 when it does not exist, -1
 * after a message when it cannot be read or holds something else. */
static int checkpoint_read(const char *file, uint64_t *off)
{
    char buf[64];
    size_t n;
    FILE *fp = fopen(file, "r");
    if (fp == NULL) {
        if (errno == ENOENT)
            return 0;
        utx_err("%s: %s", file, strerror(errno));
        return -1;
    }
    n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    if (parse_offset(buf, off) != 0) {
        utx_err("%s: not a checkpoint (want a byte offset)", file);
        return -1;
    }
    return 1;
}

/* Write OFF to FILE atomically: a temporary file beside it, synced, then
 * renamed over it.  0, or -1 after a message. */
static int checkpoint_write(const char *file, uint64_t off)
{
    char tmp[4096], text[32];
    int fd, len, ok;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", file, (long)getpid()) >= (int)sizeof(tmp)) {
        utx_err("%s: name too long", file);
        return -1;
    }
    len = snprintf(text, sizeof(text), "%" PRIu64 "\n", off);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        utx_err("%s: %s", tmp, strerror(errno));
        return -1;
    }
    ok = write(fd, text, (size_t)len) == len && fsync(fd) == 0;
    if (close(fd) != 0)
        ok = 0;
    if (!ok || rename(tmp, file) != 0) {
        utx_err("%s: %s", file, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* the loop                                                            */

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

/* Stop cleanly (flush, write the checkpoint) on SIGINT, SIGTERM, SIGHUP.
 * SA_RESTART keeps a write to stdout going; poll is never restarted
 * (signal(7)), so a wait returns at once. */
static void catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* The reader's last message, without the label when it starts with it. */
static void reader_error(ut_reader *r, const char *label, ut_status st)
{
    const char *msg = NULL;
    size_t n = strlen(label);
    ut_reader_error(r, &msg, NULL);
    if (msg == NULL || *msg == '\0')
        msg = ut_status_str(st);
    else if (strncmp(msg, label, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        msg += n + 2;
    utx_err("%s: %s", label, msg);
}

/* Open IN to follow: a FILE, or the file behind this host's database. */
static int open_follow(const struct utx_input *in, ut_reader **r, char *path, size_t n)
{
    char err[512] = "";
    ut_status st;
    if (in->path == NULL) {
        struct utx_input host = *in;
        int rc;
        host.flags &= ~(ut_open_flags)UT_OPEN_FOLLOW;
        rc = utx_open(&host, r);
        if (rc != UTX_EXIT_OK)
            return rc;
        if (utx_source_file(*r, path, n) == NULL) {
            const char *src = NULL;
            ut_reader_source(*r, &src);
            utx_err("%s: cannot be followed (not a file)", src ? src : utx_input_label(in));
            ut_reader_close(*r);
            *r = NULL;
            return UTX_EXIT_FAIL;
        }
        ut_reader_close(*r);
        *r = NULL;
    } else {
        snprintf(path, n, "%s", in->path);
    }
    st = ut_reader_open(path, in->format, in->flags | UT_OPEN_FOLLOW, r, err, sizeof(err));
    if (st != UT_OK) {
        size_t k = strlen(path);
        const char *msg = err;
        if (strncmp(msg, path, k) == 0 && msg[k] == ':' && msg[k + 1] == ' ')
            msg += k + 2;
        utx_err("%s: %s", path, msg[0] ? msg : ut_status_str(st));
        return st == UT_ERR_NOT_FOUND && in->path == NULL ? UTX_EXIT_NO_DB : UTX_EXIT_FAIL;
    }
    return UTX_EXIT_OK;
}

/* Where to start: the checkpoint, else --since-offset, else the end
 * (from_end), else the start.  0, or an exit code after a message. */
static int position(ut_reader *r, const char *label, const struct utx_follow *f)
{
    uint64_t off = 0;
    int have = 0;
    ut_status st;

    if (f->checkpoint != NULL) {
        have = checkpoint_read(f->checkpoint, &off);
        if (have < 0)
            return UTX_EXIT_FAIL;
    }
    if (have) {
        st = ut_reader_seek_offset(r, off);
        if (st == UT_ERR_INVALID) {
            /* The file is shorter than when the checkpoint was written:
             * cut or replaced while we were away.  Read it all. */
            utx_err("%s: checkpoint offset %" PRIu64 " is past the end (truncated or "
                    "rotated?); reading from the start",
                    label, off);
            st = ut_reader_seek_offset(r, 0);
        }
    } else if (f->have_offset) {
        st = ut_reader_seek_offset(r, f->offset);
    } else if (f->from_end) {
        st = ut_reader_seek_offset(r, UINT64_MAX);
    } else {
        return 0;
    }
    if (st != UT_OK) {
        reader_error(r, label, st);
        return UTX_EXIT_FAIL;
    }
    return 0;
}

/* Flush stdout, then record where the next run starts. */
static int sync_out(ut_reader *r, const char *label, const struct utx_follow *f)
{
    uint64_t off;
    ut_status st;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        utx_err("write error");
        return UTX_EXIT_FAIL;
    }
    if (f->checkpoint == NULL)
        return 0;
    st = ut_reader_tell(r, &off);
    if (st != UT_OK) {
        reader_error(r, label, st);
        return UTX_EXIT_FAIL;
    }
    return checkpoint_write(f->checkpoint, off) == 0 ? 0 : UTX_EXIT_FAIL;
}

/* Records between checkpoints while catching up on a long file. */
#define CHECKPOINT_EVERY 1024

int utx_follow_run(const struct utx_input *in, const struct utx_follow *f, utx_show_fn show,
                   void *ctx, const char *banner)
{
    char path[4096];
    ut_reader *r = NULL;
    const ut_entry *e;
    const char *label;
    unsigned long since_sync = 0;
    int rc, fd = -1;
    ut_status st;

    catch_stop_signals(); /* before the open, which may pause */
    if (f->follow) {
        rc = open_follow(in, &r, path, sizeof(path));
        label = path;
    } else {
        rc = utx_open(in, &r);
        label = utx_input_label(in);
    }
    if (rc != UTX_EXIT_OK)
        return rc;
    if (banner != NULL) /* as utmpdump does */
        fprintf(stderr, "%s%s\n", banner, label);
    rc = position(r, label, f);
    if (rc == 0 && f->follow && (st = ut_reader_follow_fd(r, &fd)) != UT_OK)
        fd = -1; /* no inotify here: poll the file every second */
    while (rc == 0 && !stop_signal) {
        st = ut_reader_next(r, &e);
        if (st == UT_OK) {
            if (e->flags & UT_ENTRY_PARTIAL_RECORD) {
                utx_err("%s: trailing partial record at offset %" PRIu64 " ignored", label,
                        e->offset);
                continue;
            }
            if (show(ctx, e) != 0)
                break;
            if (++since_sync >= CHECKPOINT_EVERY) {
                rc = sync_out(r, label, f);
                since_sync = 0;
            }
        } else if (st == UT_END) {
            rc = sync_out(r, label, f);
            since_sync = 0;
            if (!f->follow || rc != 0)
                break;
            if (fd >= 0) {
                struct pollfd p;
                p.fd = fd;
                p.events = POLLIN;
                p.revents = 0;
                if (poll(&p, 1, -1) < 0 && errno != EINTR) {
                    utx_err("%s: poll: %s", label, strerror(errno));
                    rc = UTX_EXIT_FAIL;
                }
            } else {
                sleep(1);
            }
        } else {
            reader_error(r, label, st);
            rc = UTX_EXIT_FAIL;
        }
    }
    if (rc == 0 || since_sync > 0) {
        int rc2 = sync_out(r, label, f);
        if (rc == 0)
            rc = rc2;
    }
    ut_reader_close(r);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Elastic Common Schema                                               */

void utx_ecs_init(struct utx_ecs *c, const struct utx_input *in, int follow,
                  const char *name_opt, char *host, size_t n)
{
    static char dataset[64];
    const char *base = in->path ? strrchr(in->path, '/') : NULL;
    const char *name = in->path ? (base ? base + 1 : in->path) : utx_input_label(in);
    size_t k = strcspn(name, ".");

    /* "utx.wtmp" for wtmp, wtmp.1, wtmp-20240101; "utx.btmp" for btmp. */
    snprintf(dataset, sizeof(dataset), "utx.%.*s", (int)(k < 32 ? k : 32), name);
    c->dataset = dataset;
    c->path = in->path;
    c->failed_logins = in->path ? strncmp(name, "btmp", 4) == 0 : in->db == UT_DB_BTMP;
    /* This host's own database, or a file followed live, is this host's. */
    c->host_name = utx_host_name(name_opt, in->path == NULL || follow, host, n);
    if (c->host_name[0] == '\0')
        c->host_name = NULL;
}

/* "user-process" for USER_PROCESS: ECS event.action is lower-case. */
static void ecs_action(FILE *out, const ut_entry *e)
{
    const char *name = ut_type_name(e->entry_type), *p;
    putc('"', out);
    for (p = name ? name : "unknown"; *p; p++)
        putc(*p == '_' ? '-' : (*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p), out);
    putc('"', out);
}

/* A user's login or logout: the records that name a person. */
static int is_user_record(const ut_entry *e)
{
    switch (e->entry_type) {
    case UT_TYPE_USER_PROCESS:
    case UT_TYPE_LOGIN_PROCESS:
    case UT_TYPE_DEAD_PROCESS:
    case UT_TYPE_LAST_LOGIN:
        return 1;
    default:
        return 0;
    }
}

/* "start", "end" or "info" (ECS event.type). */
static const char *ecs_type(const ut_entry *e)
{
    switch (e->entry_type) {
    case UT_TYPE_USER_PROCESS:
    case UT_TYPE_BOOT_TIME:
    case UT_TYPE_LOGIN_PROCESS:
        return "start";
    case UT_TYPE_DEAD_PROCESS:
    case UT_TYPE_SHUTDOWN_TIME:
        return "end";
    default:
        return "info";
    }
}

void utx_ecs_entry(FILE *out, const ut_entry *e, const struct utx_ecs *c)
{
    char when[64];
    int user_rec = is_user_record(e);
    int failure = c->failed_logins;

    utx_fmt_rfc3339(when, sizeof(when), e->sec, e->usec);
    fprintf(out, "{\"@timestamp\":\"%s\",\"event\":{\"kind\":\"event\",\"module\":\"utx\"", when);
    fputs(",\"dataset\":", out);
    utx_json_str(out, c->dataset);
    fputs(",\"action\":", out);
    ecs_action(out, e);
    fprintf(out, ",\"category\":[\"%s\"],\"type\":[\"%s\"],\"outcome\":\"%s\"}",
            failure || user_rec ? "authentication" : "host",
            failure ? "info" : ecs_type(e), failure ? "failure" : "success");
    if (user_rec && e->user[0]) {
        fputs(",\"user\":{\"name\":", out);
        utx_json_str(out, e->user);
        if (e->uid >= 0)
            fprintf(out, ",\"id\":\"%" PRId64 "\"", e->uid);
        putc('}', out);
    }
    if (user_rec && (e->addr_text[0] || e->host[0])) {
        const char *sep = "";
        fputs(",\"source\":{", out);
        if (e->addr_text[0] && e->addr_family != UT_ADDR_NONE) {
            fputs("\"ip\":", out);
            utx_json_str(out, e->addr_text);
            sep = ",";
        }
        if (e->host[0]) {
            fprintf(out, "%s\"address\":", sep);
            utx_json_str(out, e->host);
        }
        putc('}', out);
    }
    if (c->host_name != NULL || e->entry_type == UT_TYPE_BOOT_TIME) {
        const char *sep = "";
        fputs(",\"host\":{", out);
        if (c->host_name != NULL) {
            fputs("\"name\":", out);
            utx_json_str(out, c->host_name);
            sep = ",";
        }
        if (e->entry_type == UT_TYPE_BOOT_TIME && e->host[0]) {
            fprintf(out, "%s\"os\":{\"kernel\":", sep); /* Linux boot records */
            utx_json_str(out, e->host);
            putc('}', out);
        }
        putc('}', out);
    }
    if (e->pid > 0)
        fprintf(out, ",\"process\":{\"pid\":%" PRId64 "}", e->pid);
    if (e->service[0]) { /* the PAM service (wtmpdb) */
        fputs(",\"service\":{\"name\":", out);
        utx_json_str(out, e->service);
        putc('}', out);
    }
    fputs(",\"log\":{", out);
    if (c->path != NULL) {
        fputs("\"file\":{\"path\":", out);
        utx_json_str(out, c->path);
        fputs("},", out);
    }
    fprintf(out, "\"offset\":%" PRIu64 "}", e->offset);
    fputs(",\"utx\":{\"type\":", out);
    utx_json_str(out, ut_type_name(e->entry_type) ? ut_type_name(e->entry_type) : "UNKNOWN");
    fprintf(out, ",\"raw_type\":%d,\"format\":\"%s\",\"line\":", e->raw_type,
            utx_format_name(e->format));
    utx_json_str(out, e->line);
    fputs(",\"id\":", out);
    utx_json_str(out, e->id);
    fprintf(out, ",\"session\":%" PRId64 ",\"flags\":%" PRIu32 "}}\n", e->session, e->flags);
}
