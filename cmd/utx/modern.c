/*
 * modern.c - source naming, --root and --watch for the `utx` command
 * (see common.h).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

#define MODERN_ERRBUF 1024

void utx_print_source(FILE *out, const ut_reader *r)
{
    const char *src = NULL;
    if (ut_reader_source(r, &src) == UT_OK && src != NULL)
        fprintf(out, "utx: source: %s\n", src);
}

const char *utx_source_file(const ut_reader *r, char *buf, size_t n)
{
    static const char *const kinds[] = {"wtmpdb:", "lastlog2:"};
    const char *src = NULL;
    size_t i;

    if (ut_reader_source(r, &src) != UT_OK || src == NULL || src[0] == '\0')
        return NULL;
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strncmp(src, kinds[i], strlen(kinds[i])) == 0)
            src += strlen(kinds[i]);
    if (src[0] != '/' || strlen(src) >= n)
        return NULL; /* "logind:…", "memory" */
    memcpy(buf, src, strlen(src) + 1);
    return buf;
}

void utx_json_source(FILE *out, const ut_reader *r)
{
    const char *src = NULL;
    if (ut_reader_source(r, &src) != UT_OK || src == NULL)
        fputs("null", out);
    else
        utx_json_str(out, src);
}

int utx_parse_root_opt(int argc, char **argv, int *i, const char **root)
{
    const char *a = argv[*i];
    if (strncmp(a, "--root=", 7) == 0) {
        *root = a + 7;
        return 1;
    }
    if (strcmp(a, "--root") != 0)
        return 0;
    if (*i + 1 >= argc) {
        fputs("utx: --root needs a directory\n", stderr);
        return -1;
    }
    *root = argv[++*i];
    return 1;
}

int utx_open_db_root(const char *root, ut_database db, ut_open_flags flags,
                     ut_reader **out)
{
    char err[MODERN_ERRBUF] = "";
    ut_status st = ut_reader_open_db_at(root, db, flags, out, err, sizeof err);
    if (st == UT_OK)
        return 0;
    {
        char buf[MODERN_ERRBUF];
        fprintf(stderr, "utx: %s\n", utx_os_message(NULL, st, err, buf, sizeof buf));
    }
    return (st == UT_ERR_NOT_FOUND || st == UT_ERR_UNSUPPORTED) ? UTX_EXIT_NO_DB
                                                                : UTX_EXIT_FAIL;
}

/* Drain the monitor until it stays quiet for 100 ms (bounded). */
static int settle(ut_monitor *m, struct pollfd *p)
{
    int round;
    for (round = 0; round < 20; round++) {
        if (ut_monitor_flush(m) != UT_OK) {
            const char *msg = NULL;
            ut_monitor_error(m, &msg, NULL);
            fprintf(stderr, "utx: --watch: %s\n", msg ? msg : "flush failed");
            return -1;
        }
        p->revents = 0;
        if (poll(p, 1, 100) <= 0)
            break;
    }
    return 0;
}

int utx_watch(const char *root, int (*render)(void *ctx), void *ctx,
              unsigned max_renders, FILE *flush_out)
{
    ut_monitor *m = NULL;
    char err[MODERN_ERRBUF] = "";
    const char *what = NULL;
    int fd = -1, events = 0, rc = 0;
    unsigned renders = 0;
    ut_status st;
    ut_category cats = UT_LOGIND_SESSIONS | UT_LOGIND_USERS | UT_LOGIND_SEATS | UT_MONITOR_UTMP;

    st = ut_monitor_open_at(root, cats, &m, err, sizeof err);
    if (st != UT_OK) {
        char buf[MODERN_ERRBUF];
        fprintf(stderr, "utx: --watch: %s\n", utx_os_message(NULL, st, err, buf, sizeof buf));
        return (st == UT_ERR_NOT_FOUND || st == UT_ERR_UNSUPPORTED) ? UTX_EXIT_NO_DB
                                                                    : UTX_EXIT_FAIL;
    }
    if (ut_monitor_fd(m, &fd) != UT_OK || ut_monitor_events(m, &events) != UT_OK) {
        ut_monitor_close(m);
        return UTX_EXIT_FAIL;
    }
    if (ut_monitor_describe(m, &what) == UT_OK && what != NULL)
        fprintf(stderr, "utx: --watch: %s\n", what);
    for (;;) {
        struct pollfd p;
        rc = render(ctx);
        renders++;
        if (flush_out != NULL)
            fflush(flush_out);
        if (rc != 0 || (max_renders != 0 && renders >= max_renders))
            break;
        p.fd = fd;
        p.events = (short)events;
        p.revents = 0;
        if (poll(&p, 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("utx: --watch: poll");
            rc = UTX_EXIT_FAIL;
            break;
        }
        /* One login changes several files: wait until 100 ms pass
         * without a change (at most 20 rounds), then render once. */
        if (settle(m, &p) != 0) {
            rc = UTX_EXIT_FAIL;
            break;
        }
    }
    ut_monitor_close(m);
    return rc;
}
