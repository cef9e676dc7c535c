/*
 * utx - read login-accounting files of any Unix through libutx.
 *
 *   utx dump [--json] [--format NAME] [--db DB] [--reverse] [FILE]
 *   utx who [--format NAME] [--verbose] [--json] [--watch[=N]] [--root DIR]
 *           [--all-sessions] [FILE]
 *   utx lastlog [--format NAME] [--verbose] [--json] [--root DIR] [-f FILE]
 *               [-u LOGIN|UID]
 *   utx last ... / utx lastb ...          (last.c)
 *   utx help | --help | --version
 *
 * A C consumer of the public API only: it includes utx.h and standard
 * C/POSIX headers, never <utmp.h> or <utmpx.h>.  Text output follows the
 * peers byte for byte on Linux files: `dump` is util-linux 2.38 utmpdump,
 * `who` is coreutils who, `lastlog` is shadow 4.13 lastlog.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <locale.h>
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "common.h"

/* ------------------------------------------------------------------ */
/* dump                                                                */

/* utmpdump's column widths and precisions ("[%-8.32s]" etc.). */
struct column {
    int width, prec;
};
static const struct column COL_ID = {4, 4}, COL_USER = {8, 32},
                           COL_LINE = {12, 32}, COL_HOST = {20, 256};

/* One string column "[...] ", cleansed like utmpdump.  Formats other than
 * Linux records are not cut at the Linux field sizes. */
static void dump_column(FILE *out, const char *s, struct column c, int cut)
{
    size_t n = strlen(s) + 1;
    char *clean = malloc(n);
    if (clean == NULL) {
        fputs("[?] ", out);
        return;
    }
    utx_cleanse(clean, n, s);
    if (cut)
        fprintf(out, "[%-*.*s] ", c.width, c.prec, clean);
    else
        fprintf(out, "[%-*s] ", c.width, clean);
    free(clean);
}

/* One entry in utmpdump's layout:
 * [type] [pid] [id] [user] [line] [host] [addr] [time] */
static void dump_text(FILE *out, const ut_entry *e)
{
    int linux_rec = utx_format_is_linux_utmp(e->format);
    int type = linux_rec ? e->raw_type : e->entry_type;
    int64_t pid = (e->pid < 0 && !linux_rec) ? 0 : e->pid;
    char addr[64], when[64];

    utx_fmt_compat_addr(addr, sizeof(addr), e);
    utx_fmt_utmpdump_time(when, sizeof(when), utx_peer_sec(e), e->usec);
    fprintf(out, "[%d] [%05" PRId64 "] ", type, pid);
    dump_column(out, e->id, COL_ID, linux_rec);
    dump_column(out, e->user, COL_USER, linux_rec);
    dump_column(out, e->line, COL_LINE, linux_rec);
    dump_column(out, e->host, COL_HOST, linux_rec);
    fprintf(out, "[%-15s] [%s]\n", addr, when);
}

static const struct {
    uint32_t bit;
    const char *name;
} ENTRY_FLAGS[] = {
    {UT_ENTRY_NOT_UTF8, "NOT_UTF8"},
    {UT_ENTRY_FULL_WIDTH, "FULL_WIDTH"},
    {UT_ENTRY_PARTIAL_RECORD, "PARTIAL_RECORD"},
    {UT_ENTRY_TIME_IMPLAUSIBLE, "TIME_IMPLAUSIBLE"},
    {UT_ENTRY_RECOVERED, "RECOVERED"},
    {UT_ENTRY_ROTATED, "ROTATED"},
    {UT_ENTRY_TRUNCATED, "TRUNCATED"},
};

static void json_flags(FILE *out, uint32_t flags)
{
    size_t i;
    const char *sep = "";
    fputs("\"flags\":[", out);
    for (i = 0; i < sizeof(ENTRY_FLAGS) / sizeof(ENTRY_FLAGS[0]); i++) {
        if (flags & ENTRY_FLAGS[i].bit) {
            fprintf(out, "%s\"%s\"", sep, ENTRY_FLAGS[i].name);
            sep = ",";
        }
        flags &= ~ENTRY_FLAGS[i].bit;
    }
    if (flags) /* bits newer than this program */
        fprintf(out, "%s\"0x%x\"", sep, (unsigned)flags);
    putc(']', out);
}

/* "name":"value" plus "name_hex":"…" when the bytes are not UTF-8. */
static void json_field(FILE *out, const char *name, const char *value)
{
    fprintf(out, ",\"%s\":", name);
    utx_json_str(out, value);
    if (!utx_utf8_valid(value)) {
        fprintf(out, ",\"%s_hex\":", name);
        utx_json_hex(out, value);
    }
}

static const char *addr_family_name(uint32_t family)
{
    switch (family) {
    case UT_ADDR_IPV4:
        return "ipv4";
    case UT_ADDR_IPV6:
        return "ipv6";
    default:
        return "none";
    }
}

/* One entry as one JSON object on one line; every field of ut_entry. */
static void dump_json(FILE *out, const ut_entry *e)
{
    const char *type = ut_type_name(e->entry_type);
    char when[64];

    utx_fmt_rfc3339(when, sizeof(when), e->sec, e->usec);
    fprintf(out, "{\"format\":\"%s\",\"offset\":%" PRIu64, utx_format_name(e->format),
            e->offset);
    fprintf(out, ",\"type\":\"%s\",\"type_num\":%d,\"raw_type\":%d",
            type ? type : "UNKNOWN", e->entry_type, e->raw_type);
    json_field(out, "user", e->user);
    json_field(out, "line", e->line);
    json_field(out, "id", e->id);
    json_field(out, "host", e->host);
    json_field(out, "service", e->service);
    fprintf(out, ",\"pid\":%" PRId64 ",\"session\":%" PRId64 ",\"uid\":%" PRId64,
            e->pid, e->session, e->uid);
    fprintf(out, ",\"exit_termination\":%d,\"exit_status\":%d", e->exit_termination,
            e->exit_status);
    fprintf(out, ",\"sec\":%" PRId64 ",\"usec\":%d,\"time\":\"%s\"", e->sec, e->usec,
            when);
    fprintf(out, ",\"addr_family\":\"%s\"", addr_family_name(e->addr_family));
    json_field(out, "addr", e->addr_text);
    putc(',', out);
    json_flags(out, e->flags);
    fputs("}\n", out);
}

static const struct {
    const char *name;
    ut_database db;
} DATABASES[] = {
    {"utmp", UT_DB_UTMP},
    {"wtmp", UT_DB_WTMP},
    {"btmp", UT_DB_BTMP},
    {"lastlog", UT_DB_LASTLOG},
};

static int parse_db(const char *name, ut_database *db)
{
    size_t i;
    for (i = 0; i < sizeof(DATABASES) / sizeof(DATABASES[0]); i++) {
        if (strcmp(name, DATABASES[i].name) == 0) {
            *db = DATABASES[i].db;
            return 0;
        }
    }
    utx_err("unknown database '%s'; valid: utmp, wtmp, btmp, lastlog", name);
    return -1;
}

/* Read every entry of IN and print it with SHOW.  Returns an exit code. */
static int for_each_entry(const struct utx_input *in,
                          void (*show)(FILE *, const ut_entry *), int banner)
{
    const char *label = utx_input_label(in);
    ut_reader *r = NULL;
    const ut_entry *e;
    ut_status st;
    int rc = utx_open(in, &r);

    if (rc != UTX_EXIT_OK)
        return rc;
    if (banner) /* as utmpdump does */
        fprintf(stderr, "Utmp dump of %s\n", label);
    while ((st = utx_next(r, label, &e)) == UT_OK)
        show(stdout, e);
    ut_reader_close(r);
    return st == UT_END ? UTX_EXIT_OK : UTX_EXIT_FAIL;
}

static const char DUMP_USAGE[] =
    "usage: utx dump [--json[=ecs]] [--format NAME] [--reverse] [-f|--follow]\n"
    "                [--since-offset N] [--checkpoint FILE] [--db DB | FILE]\n"
    "  Print every entry like util-linux utmpdump (or as JSON lines).\n"
    "  Without FILE: this host's DB (utmp, wtmp, btmp, lastlog; default utmp).\n"
    "  --json: one object per entry with every field; a string that is not\n"
    "  UTF-8 has each bad byte as \\u00XX and its exact bytes in NAME_hex\n"
    "  (schema: docs/utx-dump.schema.json).  --json=ecs: Elastic Common\n"
    "  Schema names (@timestamp, user.name, source.ip, event.outcome...).\n"
    "  Text times are read as this host's utmpdump reads them (32-bit\n"
    "  tv_sec signed); --json gives the library's value.\n"
    "  -f, --follow: then print records appended as the file grows (through\n"
    "  truncation and rotation), until SIGINT/SIGTERM.\n"
    "  --since-offset N: start at byte offset N (a record boundary).\n"
    "  --checkpoint FILE: start at the offset FILE holds (if it exists) and\n"
    "  write there, atomically, the offset after the last record printed.\n";

struct dump_ctx {
    int json;
    struct utx_ecs ecs;
};

static int dump_show(void *ctx, const ut_entry *e)
{
    const struct dump_ctx *c = ctx;
    if (c->json == UTX_JSON_ECS)
        utx_ecs_entry(stdout, e, &c->ecs);
    else if (c->json)
        dump_json(stdout, e);
    else
        dump_text(stdout, e);
    return 0;
}

static int cmd_dump(int argc, char **argv)
{
    struct utx_input in = {NULL, UT_DB_UTMP, UT_FORMAT_AUTO, 0};
    struct utx_follow fl = {0, 0, 0, NULL, 0};
    struct dump_ctx ctx;
    char host[256];
    int json = 0, i;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int k = utx_parse_format_opt(argc, argv, &i, &in);
        if (k == 0)
            k = utx_parse_follow_opt(argc, argv, &i, &fl, 1);
        if (k == 0)
            k = utx_parse_json_opt(a, &json);
        if (k < 0)
            return UTX_EXIT_USAGE;
        if (k > 0)
            continue;
        if (strcmp(a, "--reverse") == 0) {
            in.flags |= UT_OPEN_REVERSE;
        } else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
            if (parse_db(argv[++i], &in.db) != 0)
                return UTX_EXIT_USAGE;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(DUMP_USAGE, stdout);
            return UTX_EXIT_OK;
        } else if (a[0] == '-' && a[1] != '\0') {
            utx_err("dump: unknown option '%s'", a);
            fputs(DUMP_USAGE, stderr);
            return UTX_EXIT_USAGE;
        } else if (in.path == NULL) {
            in.path = a;
        } else {
            utx_err("dump: only one FILE");
            return UTX_EXIT_USAGE;
        }
    }
    if (!fl.follow && !fl.have_offset && !fl.checkpoint && json != UTX_JSON_ECS)
        return for_each_entry(&in, json ? dump_json : dump_text, !json);
    if (fl.follow && (in.flags & UT_OPEN_REVERSE)) {
        utx_err("dump: --follow reads forward; it cannot be used with --reverse");
        return UTX_EXIT_USAGE;
    }
    ctx.json = json;
    utx_ecs_init(&ctx.ecs, &in, fl.follow, host, sizeof(host));
    return utx_follow_run(&in, &fl, dump_show, &ctx, json ? NULL : "Utmp dump of ");
}

/* ------------------------------------------------------------------ */
/* who                                                                 */

/* coreutils who: "%b %e %H:%M" in the C/POSIX locale, ISO otherwise. */
static const char *who_time_format(int *width)
{
    const char *lc = setlocale(LC_TIME, NULL);
    if (lc == NULL || strcmp(lc, "C") == 0 || strcmp(lc, "POSIX") == 0) {
        *width = 12;
        return "%b %e %H:%M";
    }
    *width = 16;
    return "%Y-%m-%d %H:%M";
}

/* One USER_PROCESS line as coreutils who prints it by default:
 * "%-8s %-12s %-*s %-8s" (user, line, time, "(host)"), trailing blanks
 * removed.  Strings are printed raw, like who. */
static void who_line(FILE *out, const ut_entry *e, const char *fmt, int width)
{
    int64_t sec = utx_peer_sec(e);
    char when[64];
    struct tm tm;
    size_t n = strlen(e->user) + strlen(e->line) + strlen(e->host) + 128;
    char *buf = malloc(n), *end;

    if (buf == NULL)
        return;
    if (!utx_localtime(sec, &tm) || strftime(when, sizeof(when), fmt, &tm) == 0)
        snprintf(when, sizeof(when), "%" PRId64, sec);
    snprintf(buf, n, "%-8s %-12s %-*s %s%s%s", e->user, e->line, width, when,
             e->host[0] ? "(" : "", e->host, e->host[0] ? ")" : "");
    /* who pads the comment to 8 columns, then strips trailing blanks */
    end = buf + strlen(buf);
    while (end > buf && end[-1] == ' ')
        end--;
    *end = '\0';
    fprintf(out, "%s\n", buf);
    free(buf);
}

static const char WHO_USAGE[] =
    "usage: utx who [--format NAME] [--verbose] [--json] [--watch[=N]]\n"
    "               [--root DIR] [--all-sessions] [FILE]\n"
    "  Users logged in (USER_PROCESS entries), like coreutils who.  Without\n"
    "  FILE, this host's utmp, or logind's sessions where there is no utmp;\n"
    "  sessions whose process is gone are left out.\n"
    "  --verbose: name the source on stderr (\"utx: source: logind:/run/systemd\")\n"
    "  --json: one object per table: {\"source\":…,\"users\":[…]}\n"
    "  --watch: print the table again on each change (N: stop after N tables)\n"
    "  --root DIR: the databases of the system copied under DIR\n"
    "  --all-sessions: keep logind's manager, background and closing sessions\n";

/* What `who` was asked for; also the context of one --watch render. */
struct who_ctl {
    struct utx_input in;
    const char *root, *fmt;
    int width, verbose, json, watch, renders;
    unsigned watch_max;
};

/* One user as a JSON object (the fields of a who line, and more). */
static void who_json_user(FILE *out, const ut_entry *e, int first)
{
    char when[64];
    utx_fmt_rfc3339(when, sizeof(when), e->sec, e->usec);
    fputs(first ? "{\"user\":" : ",{\"user\":", out);
    utx_json_str(out, e->user);
    fputs(",\"line\":", out);
    utx_json_str(out, e->line);
    fputs(",\"host\":", out);
    utx_json_str(out, e->host);
    fputs(",\"id\":", out);
    utx_json_str(out, e->id);
    fputs(",\"service\":", out);
    utx_json_str(out, e->service);
    fprintf(out, ",\"pid\":%" PRId64 ",\"session\":%" PRId64 ",\"uid\":%" PRId64
                 ",\"sec\":%" PRId64 ",\"usec\":%d,\"time\":\"%s\"}",
            e->pid, e->session, e->uid, e->sec, e->usec, when);
}

/* Open the input and print the table once.  Returns an exit code. */
static int who_render(void *ctx)
{
    struct who_ctl *c = ctx;
    const ut_entry *e;
    ut_reader *r = NULL;
    ut_status st;
    int rc, n = 0;

    if (c->watch && c->renders++ > 0 && !c->json)
        putchar('\n');
    rc = (c->in.path == NULL && c->root != NULL)
             ? utx_open_db_root(c->root, UT_DB_UTMP, c->in.flags, &r)
             : utx_open(&c->in, &r);
    if (rc != UTX_EXIT_OK)
        return rc;
    if (c->verbose)
        utx_print_source(stderr, r);
    if (c->json) {
        fputs("{\"source\":", stdout);
        utx_json_source(stdout, r);
        fputs(",\"users\":[", stdout);
    }
    ut_reader_set_types(r, UT_TYPE_BIT(UT_TYPE_USER_PROCESS));
    while ((st = utx_next(r, utx_input_label(&c->in), &e)) == UT_OK) {
        if (e->entry_type != UT_TYPE_USER_PROCESS || e->user[0] == '\0')
            continue;
        if (c->json)
            who_json_user(stdout, e, n == 0);
        else
            who_line(stdout, e, c->fmt, c->width);
        n++;
    }
    if (c->json)
        fputs("]}\n", stdout);
    ut_reader_close(r);
    return st == UT_END ? UTX_EXIT_OK : UTX_EXIT_FAIL;
}

/* who's own options (beyond --format and FILE): 1 consumed, 0 not one,
 * -1 bad. */
static int who_parse_opt(int argc, char **argv, int *i, struct who_ctl *c)
{
    const char *a = argv[*i];
    char *end;
    int k = utx_parse_root_opt(argc, argv, i, &c->root);
    if (k != 0)
        return k;
    if (strcmp(a, "--verbose") == 0)
        c->verbose = 1;
    else if (strcmp(a, "--json") == 0)
        c->json = 1;
    else if (strcmp(a, "--all-sessions") == 0)
        c->in.flags |= UT_OPEN_ALL_SESSIONS;
    else if (strcmp(a, "--watch") == 0)
        c->watch = 1;
    else if (strncmp(a, "--watch=", 8) == 0) {
        unsigned long n = strtoul(a + 8, &end, 10);
        if (a[8] == '\0' || *end != '\0' || n == 0 || n > 1000000) {
            utx_err("who: --watch=N needs a count from 1 to 1000000");
            return -1;
        }
        c->watch = 1;
        c->watch_max = (unsigned)n;
    } else
        return 0;
    return 1;
}

static int cmd_who(int argc, char **argv)
{
    struct who_ctl c;
    int i;

    memset(&c, 0, sizeof(c));
    c.in.db = UT_DB_UTMP;
    c.in.format = UT_FORMAT_AUTO;
    c.fmt = who_time_format(&c.width);
    for (i = 1; i < argc; i++) {
        int k = utx_parse_format_opt(argc, argv, &i, &c.in);
        if (k == 0)
            k = who_parse_opt(argc, argv, &i, &c);
        if (k < 0)
            return UTX_EXIT_USAGE;
        if (k > 0)
            continue;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(WHO_USAGE, stdout);
            return UTX_EXIT_OK;
        }
        if ((argv[i][0] == '-' && argv[i][1] != '\0') || c.in.path != NULL) {
            utx_err("who: unexpected argument '%s'", argv[i]);
            fputs(WHO_USAGE, stderr);
            return UTX_EXIT_USAGE;
        }
        c.in.path = argv[i];
    }
    if (c.watch && c.in.path != NULL) {
        utx_err("who: --watch follows this host's (or --root's) sessions, not a FILE");
        return UTX_EXIT_USAGE;
    }
    /* Without a FILE, sessions whose process is gone are left out (the
     * library's who rule); pids of a system under --root mean nothing. */
    if (c.in.path == NULL && c.root == NULL)
        c.in.flags |= UT_OPEN_LIVE;
    if (c.watch)
        return utx_watch(c.root, who_render, &c, c.watch_max, stdout);
    return who_render(&c);
}

/* ------------------------------------------------------------------ */
/* lastlog                                                             */

/* shadow 4.13: ll_host is padded to the longest link-local IPv6 address
 * with an interface name (25 + 1 + IFNAMSIZ). */
#define LASTLOG_FROM_WIDTH 42

/* The record's own user name, else the uid's name here, else the uid. */
static const char *lastlog_name(const ut_entry *e, char *buf, size_t n)
{
    struct passwd *pw;
    if (e->user[0] != '\0')
        return e->user;
    if (e->uid < 0)
        return "?";
    pw = getpwuid((uid_t)e->uid);
    if (pw != NULL && pw->pw_name != NULL)
        return pw->pw_name;
    snprintf(buf, n, "%" PRId64, e->uid);
    return buf;
}

static void lastlog_header(FILE *out, int *header_done)
{
    if (!*header_done) {
        fprintf(out, "Username         Port     From%*sLatest\n",
                LASTLOG_FROM_WIDTH - 3, " ");
        *header_done = 1;
    }
}

static void lastlog_line(FILE *out, const ut_entry *e, int *header_done)
{
    char name[32], when[80];
    struct tm tm;

    lastlog_header(out, header_done);
    if (!utx_localtime(utx_peer_sec(e), &tm) ||
        strftime(when, sizeof(when), "%a %b %e %H:%M:%S %z %Y", &tm) == 0)
        snprintf(when, sizeof(when), "(unknown)");
    fprintf(out, "%-16s %-8.8s %-*s%s\n", lastlog_name(e, name, sizeof(name)),
            e->line, LASTLOG_FROM_WIDTH, e->host, when);
}

/* -u LOGIN: one user, by name or uid (shadow's ranges are not supported). */
struct lastlog_user {
    char name[64];
    int64_t uid;
};

static int lastlog_resolve(const char *login, struct lastlog_user *u)
{
    struct passwd *pw = getpwnam(login);
    char *end;
    long long n;

    if (pw != NULL) {
        snprintf(u->name, sizeof(u->name), "%s", pw->pw_name);
        u->uid = (int64_t)pw->pw_uid;
        return 0;
    }
    n = strtoll(login, &end, 10);
    if (*login == '\0' || *end != '\0' || n < 0) {
        utx_err("lastlog: unknown user '%s'", login);
        return -1;
    }
    u->uid = n;
    pw = getpwuid((uid_t)n);
    snprintf(u->name, sizeof(u->name), "%s", pw ? pw->pw_name : login);
    return 0;
}

static int lastlog_matches(const ut_entry *e, const struct lastlog_user *u)
{
    return e->user[0] != '\0' ? strcmp(e->user, u->name) == 0 : e->uid == u->uid;
}

static const char LASTLOG_USAGE[] =
    "usage: utx lastlog [--format NAME] [--verbose] [--json] [--root DIR]\n"
    "                   [-f FILE] [-u LOGIN|UID]\n"
    "  The last login of every user that has one, like shadow lastlog.\n"
    "  Without FILE: this host's lastlog, or lastlog2 where lastlog has none.\n"
    "  --verbose: name the source on stderr; --json: one object\n"
    "  {\"source\":…,\"logins\":[…]}; --root DIR: a system copied under DIR.\n";

/* One last login as a JSON object. */
static void lastlog_json(FILE *out, const ut_entry *e, int first)
{
    char name[32], when[64];
    utx_fmt_rfc3339(when, sizeof(when), e->sec, e->usec);
    fputs(first ? "{\"user\":" : ",{\"user\":", out);
    utx_json_str(out, lastlog_name(e, name, sizeof(name)));
    fputs(",\"line\":", out);
    utx_json_str(out, e->line);
    fputs(",\"host\":", out);
    utx_json_str(out, e->host);
    fputs(",\"service\":", out);
    utx_json_str(out, e->service);
    fprintf(out, ",\"uid\":%" PRId64 ",\"sec\":%" PRId64 ",\"time\":\"%s\"}", e->uid,
            e->sec, when);
}

static int cmd_lastlog(int argc, char **argv)
{
    struct utx_input in = {NULL, UT_DB_LASTLOG, UT_FORMAT_AUTO, 0};
    struct lastlog_user user;
    const char *login = NULL, *root = NULL;
    const ut_entry *e;
    ut_reader *r = NULL;
    ut_status st;
    int i, rc, header_done = 0, found = 0, verbose = 0, json = 0;

    for (i = 1; i < argc; i++) {
        int k = utx_parse_format_opt(argc, argv, &i, &in);
        if (k == 0)
            k = utx_parse_root_opt(argc, argv, &i, &root);
        if (k == 0 && (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "--json") == 0)) {
            *(argv[i][2] == 'v' ? &verbose : &json) = 1;
            k = 1;
        }
        if (k < 0)
            return UTX_EXIT_USAGE;
        if (k > 0)
            continue;
        if (strcmp(argv[i], "-f") == 0 && i + 1 < argc && in.path == NULL) {
            in.path = argv[++i];
        } else if (strcmp(argv[i], "-u") == 0 && i + 1 < argc && login == NULL) {
            login = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(LASTLOG_USAGE, stdout);
            return UTX_EXIT_OK;
        } else {
            utx_err("lastlog: unexpected argument '%s'", argv[i]);
            fputs(LASTLOG_USAGE, stderr);
            return UTX_EXIT_USAGE;
        }
    }
    if (login != NULL && lastlog_resolve(login, &user) != 0)
        return UTX_EXIT_FAIL;
    rc = (in.path == NULL && root != NULL) ? utx_open_db_root(root, UT_DB_LASTLOG, 0, &r)
                                           : utx_open(&in, &r);
    if (rc != UTX_EXIT_OK)
        return rc;
    if (verbose)
        utx_print_source(stderr, r);
    if (json) {
        fputs("{\"source\":", stdout);
        utx_json_source(stdout, r);
        fputs(",\"logins\":[", stdout);
    }
    ut_reader_set_types(r, UT_TYPE_BIT(UT_TYPE_LAST_LOGIN));
    while ((st = utx_next(r, utx_input_label(&in), &e)) == UT_OK) {
        if (e->entry_type != UT_TYPE_LAST_LOGIN || utx_peer_sec(e) == 0)
            continue;
        if (login != NULL && !lastlog_matches(e, &user))
            continue;
        if (json)
            lastlog_json(stdout, e, !found);
        else
            lastlog_line(stdout, e, &header_done);
        found = 1;
    }
    ut_reader_close(r);
    if (json)
        fputs("]}\n", stdout);
    if (st != UT_END)
        return UTX_EXIT_FAIL;
    if (login != NULL && !found && !json) { /* as shadow prints a user without one */
        lastlog_header(stdout, &header_done);
        printf("%-16s %-8.8s %-*s**Never logged in**\n", user.name, "",
               LASTLOG_FROM_WIDTH, "");
    }
    return UTX_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* dispatch                                                            */

static int cmd_help(int argc, char **argv);

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} COMMANDS[] = {
    {"dump", cmd_dump, "every entry, like utmpdump (--json: JSON lines)"},
    {"who", cmd_who, "who is logged in, like who"},
    {"last", utx_last_main, "login history, like last"},
    {"lastb", utx_last_main, "failed logins, like lastb"},
    {"lastlog", cmd_lastlog, "last login per user, like lastlog"},
    {"help", cmd_help, "this text"},
};

#define NCOMMANDS (sizeof(COMMANDS) / sizeof(COMMANDS[0]))

static void usage(FILE *out)
{
    size_t i;
    fputs("usage: utx COMMAND [OPTIONS] [FILE]\n"
          "Reads utmp, wtmp, btmp and lastlog files of any Unix (format\n"
          "detected from the content), or this host's databases without FILE.\n\n"
          "commands:\n",
          out);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fputs("\n  utx COMMAND --help   options of a command\n"
          "  utx --version        version\n"
          "  utx --list-formats   the names --format accepts, one per line\n"
          "\nexit status: 0 ok, 1 error, 2 usage, 3 no such database here\n",
          out);
}

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    usage(stdout);
    return UTX_EXIT_OK;
}

int main(int argc, char **argv)
{
    size_t i;

    setlocale(LC_ALL, ""); /* time formats of who/lastlog follow LC_TIME */
    if (argc < 2) {
        usage(stderr);
        return UTX_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("utx %s\n", ut_version());
        return UTX_EXIT_OK;
    }
    if (strcmp(argv[1], "--list-formats") == 0) {
        utx_list_format_names(stdout, "\n");
        putchar('\n');
        return UTX_EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(argc - 1, argv + 1);
    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[1], COMMANDS[i].name) == 0)
            return COMMANDS[i].run(argc - 1, argv + 1);
    utx_err("unknown command '%s'", argv[1]);
    usage(stderr);
    return UTX_EXIT_USAGE;
}
