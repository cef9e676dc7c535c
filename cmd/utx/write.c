/*
 * utx convert, utx login, utx logout: writing through libutx's writer.
 *
 *   utx convert [--from NAME] [--to NAME] IN OUT
 *   utx login --line LINE --user USER [--host HOST] [--id ID] [--pid PID]
 *             [-f UTMP] [-w WTMP]
 *   utx logout --line LINE [-f UTMP] [-w WTMP]
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "common.h"

static const char CONVERT_USAGE[] =
    "usage: utx convert [--from NAME] [--to NAME] IN OUT\n"
    "  Write every entry of IN (any readable format, detected unless --from)\n"
    "  to the new file OUT in the fixed-size format --to (default: this\n"
    "  host's utmp layout; the names of utx(1) FORMATS).  Fields that do not fit\n"
    "  are cut as that system's libc cuts them; entries whose type or time\n"
    "  OUT's format cannot hold are skipped.  A summary goes to stderr.\n";

/* Open PATH for writing FORMAT (FLAGS), printing the failure. */
static ut_writer *open_writer(const char *path, ut_format format, uint32_t flags)
{
    ut_writer *w = NULL;
    char err[512];
    if (ut_writer_open(path, format, flags, &w, err, sizeof err) != UT_OK) {
        utx_err("%s", err);
        return NULL;
    }
    return w;
}

int utx_convert_main(int argc, char **argv)
{
    struct utx_input in = {NULL, UT_DB_UTMP, UT_FORMAT_AUTO, 0};
    struct utx_input to = {NULL, UT_DB_UTMP, UT_FORMAT_AUTO, 0};
    const char *out = NULL;
    const ut_entry *e;
    ut_reader *r = NULL;
    ut_writer *w;
    ut_status st;
    struct stat sb;
    unsigned long written = 0, cut = 0, skipped = 0;
    int i, rc;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--from") == 0 || strncmp(a, "--from=", 7) == 0 ||
            strcmp(a, "--to") == 0 || strncmp(a, "--to=", 5) == 0) {
            int from = a[2] == 'f';
            size_t skip = from ? 6 : 4;
            char opt[64];
            char *sub[2];
            int j = 0;
            /* Reuse --format's parsing (its error lists the names). */
            snprintf(opt, sizeof opt, "--format%s", a + skip);
            sub[0] = opt;
            sub[1] = i + 1 < argc ? argv[i + 1] : NULL;
            if (utx_parse_format_opt(sub[1] ? 2 : 1, sub, &j, from ? &in : &to) <= 0)
                return UTX_EXIT_USAGE;
            i += j;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(CONVERT_USAGE, stdout);
            return UTX_EXIT_OK;
        } else if (a[0] == '-' && a[1] != '\0') {
            utx_err("convert: unknown option '%s'", a);
            fputs(CONVERT_USAGE, stderr);
            return UTX_EXIT_USAGE;
        } else if (in.path == NULL) {
            in.path = a;
        } else if (out == NULL) {
            out = a;
        } else {
            utx_err("convert: IN and OUT only");
            return UTX_EXIT_USAGE;
        }
    }
    if (out == NULL) {
        utx_err("convert: IN and OUT are needed");
        fputs(CONVERT_USAGE, stderr);
        return UTX_EXIT_USAGE;
    }
    if (to.format == UT_FORMAT_AUTO)
        ut_native_format(&to.format);
    if (stat(out, &sb) == 0 && sb.st_size > 0) {
        utx_err("%s: exists and is not empty; convert writes a new file", out);
        return UTX_EXIT_FAIL;
    }
    rc = utx_open(&in, &r);
    if (rc != UTX_EXIT_OK)
        return rc;
    w = open_writer(out, to.format, UT_WRITE_CREATE);
    if (w == NULL) {
        ut_reader_close(r);
        return UTX_EXIT_FAIL;
    }
    while ((st = utx_next(r, in.path, &e)) == UT_OK) {
        uint32_t bits = 0;
        ut_status ws = ut_writer_put(w, e, &bits);
        if (ws == UT_OK) {
            written++;
            cut += bits != 0;
        } else if (ws == UT_ERR_INVALID) {
            skipped++;
        } else {
            const char *msg = "";
            ut_writer_error(w, &msg, NULL);
            utx_err("%s", msg);
            st = ws;
            break;
        }
    }
    ut_writer_close(w);
    ut_reader_close(r);
    fprintf(stderr, "utx convert: %lu records written to %s (%s), %lu with fields cut, "
            "%lu skipped\n", written, out, utx_format_name(to.format), cut, skipped);
    return st == UT_END ? UTX_EXIT_OK : UTX_EXIT_FAIL;
}

static const char LOGIN_USAGE[] =
    "usage: utx login --line LINE --user USER [--host HOST] [--id ID] [--pid PID]\n"
    "                 [-f UTMP] [-w WTMP]\n"
    "  A USER_PROCESS entry (now, pid PID or the parent's, id ID or the last\n"
    "  4 bytes of LINE) into its utmp slot, as pututxline does, and appended\n"
    "  to wtmp.  UTMP and WTMP default to /var/run/utmp and /var/log/wtmp.\n";

static const char LOGOUT_USAGE[] =
    "usage: utx logout --line LINE [-f UTMP] [-w WTMP]\n"
    "  The utmp slot of LINE becomes DEAD_PROCESS (glibc logout) and a logout\n"
    "  record is appended to wtmp (logwtmp).  UTMP and WTMP default to\n"
    "  /var/run/utmp and /var/log/wtmp.\n";

int utx_login_main(int argc, char **argv)
{
    int logout = strcmp(argv[0], "logout") == 0, i;
    const char *line = NULL, *user = NULL, *host = "", *id = NULL;
    const char *utmp = "/var/run/utmp", *wtmp = "/var/log/wtmp";
    long pid = (long)getppid();
    struct timeval tv;
    ut_entry e;
    ut_writer *w;
    ut_status st;
    ut_format native;

    ut_native_format(&native);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(logout ? LOGOUT_USAGE : LOGIN_USAGE, stdout);
            return UTX_EXIT_OK;
        }
        if (v == NULL) {
            utx_err("%s: option '%s' needs a value", argv[0], a);
            return UTX_EXIT_USAGE;
        }
        if (strcmp(a, "--line") == 0)
            line = v;
        else if (strcmp(a, "--user") == 0 && !logout)
            user = v;
        else if (strcmp(a, "--host") == 0 && !logout)
            host = v;
        else if (strcmp(a, "--id") == 0 && !logout)
            id = v;
        else if (strcmp(a, "--pid") == 0 && !logout)
            pid = strtol(v, NULL, 10);
        else if (strcmp(a, "-f") == 0)
            utmp = v;
        else if (strcmp(a, "-w") == 0)
            wtmp = v;
        else {
            utx_err("%s: unknown option '%s'", argv[0], a);
            fputs(logout ? LOGOUT_USAGE : LOGIN_USAGE, stderr);
            return UTX_EXIT_USAGE;
        }
        i++;
    }
    if (line == NULL || (!logout && user == NULL)) {
        utx_err("%s: --line%s is needed", argv[0], logout ? "" : " and --user");
        return UTX_EXIT_USAGE;
    }
    gettimeofday(&tv, NULL);
    if (logout) {
        st = ut_logout_at(utmp, line, (int64_t)tv.tv_sec, (int32_t)tv.tv_usec);
        if (st < 0) {
            utx_err("%s: %s", utmp, ut_status_str(st));
            return UTX_EXIT_FAIL;
        }
        st = ut_logwtmp_at(wtmp, line, "", "", (int64_t)tv.tv_sec, (int32_t)tv.tv_usec);
        if (st != UT_OK) {
            utx_err("%s: %s", wtmp, ut_status_str(st));
            return UTX_EXIT_FAIL;
        }
        return UTX_EXIT_OK;
    }
    memset(&e, 0, sizeof e);
    e.size = sizeof e;
    e.entry_type = UT_TYPE_USER_PROCESS;
    e.raw_type = -1;
    e.user = user;
    e.line = line;
    e.id = id ? id : line + (strlen(line) > 4 ? strlen(line) - 4 : 0);
    e.host = host;
    e.pid = pid;
    e.session = 0;
    e.uid = -1;
    e.sec = (int64_t)tv.tv_sec;
    e.usec = (int32_t)tv.tv_usec;
    if ((w = open_writer(utmp, native, UT_WRITE_SLOTS)) == NULL)
        return UTX_EXIT_FAIL;
    st = ut_writer_put(w, &e, NULL);
    ut_writer_close(w);
    if (st == UT_OK && (w = open_writer(wtmp, native, 0)) != NULL) {
        st = ut_writer_put(w, &e, NULL);
        ut_writer_close(w);
    } else if (st == UT_OK) {
        return UTX_EXIT_FAIL;
    }
    if (st != UT_OK) {
        utx_err("%s", ut_status_str(st));
        return UTX_EXIT_FAIL;
    }
    return UTX_EXIT_OK;
}
