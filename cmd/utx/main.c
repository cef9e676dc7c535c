/*
 * utx - read login-accounting files of any Unix through libutx.
 *
 *   utx dump [--json] [--format NAME] [--db DB] [--newest-first] [-o FILE] [FILE]
 *   utx dump -r [--format NAME] [-o FILE] [TEXTFILE]
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
#include <netdb.h>
#include <locale.h>
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

/* ------------------------------------------------------------------ */
/* dump                                                                */

/* utmpdump's column widths and precisions ("[%-8.32s]" etc.). */
struct column {
    int width, prec;
};
static const struct column COL_ID = {4, 4}, COL_USER = {8, 32},
                           COL_LINE = {12, 32}, COL_HOST = {20, 256};

/* One string column "[...] " of a format other than Linux records,
 * cleansed like utmpdump but not cut at the Linux field sizes ("[%-Ws] ";
 * Linux records: dump_cut_column). */
static inline void dump_column(struct utx_obuf *b, const char *s, struct column c)
{
    size_t n = strlen(s);
    char *p, *start;
    if (n + (size_t)c.width + 3 + UTX_SPACES_SLACK > UTX_OBUF_SIZE) { /* no real field */
        utx_ob_write(b, "[", 1);
        while (n > 0) {
            size_t k = n < 4096 ? n : 4096;
            utx_ob_commit(b, utx_put_cleansed(utx_ob_room(b, k), s, k));
            s += k;
            n -= k;
        }
        utx_ob_write(b, "] ", 2);
        return;
    }
    p = utx_ob_room(b, n + (size_t)c.width + 3 + UTX_SPACES_SLACK);
    *p++ = '[';
    start = p;
    p = utx_put_cleansed(p, s, n);
    p = utx_put_spaces(p, c.width - (int)(p - start));
    *p++ = ']';
    *p++ = ' ';
    utx_ob_commit(b, p);
}

/* dump's text goes through this buffer; flushed at the end of the dump and
 * after each entry when following. */
static struct utx_obuf dump_ob;
static struct utx_daycache dump_day;

/* What the entries' format means for their text, kept while it is the
 * same from entry to entry. */
static struct {
    uint32_t format;
    int known, linux_rec, time32;
} dump_fmt;

/* Room for the longest line of a Linux record: the cut columns (4 + 32 +
 * 32 + 256), numbers, address and time, and UTX_SPACES_SLACK. */
#define DUMP_LINE_ROOM 640

/* "[S] " of a Linux record's column, as utmpdump's "[%-W.Ps] ": cut at
 * PREC bytes, padded to WIDTH < 32, with the next column's "[": the end.
 * Up to 32 bytes past P are written whatever S. */
static inline char *dump_cut_column(char *p, const char *s, size_t prec, int width)
{
    char *end;
    p = utx_put_spaces(p, width); /* writes UTX_SPACES_SLACK spaces */
    end = utx_put_cleansed(p - width, s, prec);
    if (end < p)
        end = p;
    memcpy(end, "] [", 3);
    return end + 3;
}

/* A Linux record's line: one room check, columns cut at the field sizes. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void dump_linux_line(struct utx_obuf *b, const ut_entry *e)
{
    const int64_t two31 = INT64_C(1) << 31;
    const char *d = utx_digit_pairs;
    char *p = utx_ob_room(b, DUMP_LINE_ROOM), *a;
    int64_t sec = e->sec;

    *p++ = '[';
    if ((uint32_t)e->raw_type < 10)
        *p++ = (char)('0' + e->raw_type);
    else
        p = utx_put_i64(p, e->raw_type);
    memcpy(p, "] [", 3);
    p += 3;
    if ((uint64_t)e->pid < 10000000) { /* "%05d": pids have 5 to 7 digits */
        uint32_t v = (uint32_t)e->pid, top = v / 10000, mid;
        v -= top * 10000;
        if (top >= 100) {
            uint32_t h = top / 100;
            *p++ = (char)('0' + h);
            memcpy(p, d + 2 * (top - h * 100), 2);
            p += 2;
        } else if (top >= 10) {
            memcpy(p, d + 2 * top, 2);
            p += 2;
        } else {
            *p++ = (char)('0' + top);
        }
        mid = v / 100;
        v -= mid * 100;
        memcpy(p, d + 2 * mid, 2);
        memcpy(p + 2, d + 2 * v, 2);
        p += 4;
    } else {
        p = utx_put_i64_zero(p, e->pid, 5);
    }
    memcpy(p, "] [", 3);
    p = dump_cut_column(p + 3, e->id, COL_ID.prec, COL_ID.width);
    p = dump_cut_column(p, e->user, COL_USER.prec, COL_USER.width);
    p = dump_cut_column(p, e->line, COL_LINE.prec, COL_LINE.width);
    p = dump_cut_column(p, e->host, COL_HOST.prec, COL_HOST.width);
    a = p;
    p = utx_put_compat_addr(p, e);
    p = utx_put_spaces(p, 15 - (int)(p - a));
    memcpy(p, "] [", 3);
    /* utx_peer_sec: a 32-bit tv_sec read as int32_t */
    if (dump_fmt.time32 && (uint64_t)(sec - two31) < (uint64_t)two31)
        sec -= 2 * two31;
    p = utx_put_utmpdump_time(p + 3, &dump_day, sec, e->usec);
    memcpy(p, "]\n", 2);
    utx_ob_commit(b, p + 2);
}

/* dump_ob, bound to OUT (what it held for another stream flushed). */
static struct utx_obuf *dump_buffer(FILE *out)
{
    struct utx_obuf *b = &dump_ob;
    if (b->out != out) {
        if (b->out != NULL)
            utx_ob_flush(b);
        utx_ob_init(b, out);
    }
    return b;
}

/* One entry in utmpdump's layout:
 * [type] [pid] [id] [user] [line] [host] [addr] [time] */
static void dump_text(FILE *out, const ut_entry *e)
{
    struct utx_obuf *b = dump_buffer(out);
    int64_t pid;
    char *p, *a;

    if (!dump_fmt.known || dump_fmt.format != e->format) {
        dump_fmt.format = e->format;
        dump_fmt.linux_rec = utx_format_is_linux_utmp(e->format);
        dump_fmt.time32 = utx_format_has_time32(e->format);
        dump_fmt.known = 1;
    }
    if (dump_fmt.linux_rec) {
        dump_linux_line(b, e);
        return;
    }
    /* Other formats: the normalized type, no negative pid, and columns
     * not cut at the Linux field sizes. */
    pid = e->pid < 0 ? 0 : e->pid;
    p = utx_ob_room(b, 64);
    *p++ = '[';
    p = utx_put_i64(p, e->entry_type);
    memcpy(p, "] [", 3);
    p = utx_put_i64_zero(p + 3, pid, 5);
    memcpy(p, "] ", 2);
    utx_ob_commit(b, p + 2);
    dump_column(b, e->id, COL_ID);
    dump_column(b, e->user, COL_USER);
    dump_column(b, e->line, COL_LINE);
    dump_column(b, e->host, COL_HOST);
    p = utx_ob_room(b, 176);
    *p++ = '[';
    a = p;
    p = utx_put_compat_addr(p, e);
    p = utx_put_spaces(p, 15 - (int)(p - a));
    memcpy(p, "] [", 3);
    p = utx_put_utmpdump_time(p + 3, &dump_day, utx_peer_sec(e), e->usec);
    memcpy(p, "]\n", 2);
    utx_ob_commit(b, p + 2);
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

/* The text of S at P: the end (for names known to be short). */
static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/* KEY then V in decimal at P: the end. */
static char *put_key_i64(char *p, const char *key, int64_t v)
{
    return utx_put_i64(put_str(p, key), v);
}

/* "flags":[...] of an entry into B. */
static void json_flags(struct utx_obuf *b, uint32_t flags)
{
    size_t i;
    const char *sep = "";
    char *p = utx_ob_room(b, 256);
    p = put_str(p, "\"flags\":[");
    for (i = 0; i < sizeof(ENTRY_FLAGS) / sizeof(ENTRY_FLAGS[0]); i++) {
        if (flags & ENTRY_FLAGS[i].bit) {
            p = put_str(p, sep);
            *p++ = '"';
            p = put_str(p, ENTRY_FLAGS[i].name);
            *p++ = '"';
            sep = ",";
        }
        flags &= ~ENTRY_FLAGS[i].bit;
    }
    if (flags) { /* bits newer than this program */
        p = put_str(p, sep);
        p += sprintf(p, "\"0x%x\"", (unsigned)flags);
    }
    *p++ = ']';
    utx_ob_commit(b, p);
}

/* "name":"value" plus "name_hex":"…" when the bytes are not UTF-8. */
static void json_field(struct utx_obuf *b, const char *name, const char *value)
{
    char *p = utx_ob_room(b, 64);
    *p++ = ',';
    *p++ = '"';
    p = put_str(p, name);
    memcpy(p, "\":", 2);
    utx_ob_commit(b, p + 2);
    if (!utx_ob_json_str(b, value)) {
        p = utx_ob_room(b, 64);
        memcpy(p, ",\"", 2);
        p = put_str(p + 2, name);
        memcpy(p, "_hex\":", 6);
        utx_ob_commit(b, p + 6);
        utx_ob_json_hex(b, value);
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

/* host_name of every --json line (--host-name, this host's, or ""). */
static const char *dump_host_name = "";

/* dump --json's times (a cache of their day and minute). */
static struct utx_daycache json_day;

/* One entry as one JSON object on one line; every field of ut_entry. */
static void dump_json(FILE *out, const ut_entry *e)
{
    struct utx_obuf *b = dump_buffer(out);
    const char *type = ut_type_name(e->entry_type);
    char *p = utx_ob_room(b, 256);

    p = put_str(p, "{\"format\":\"");
    p = put_str(p, utx_format_name(e->format));
    p = put_str(p, "\",\"offset\":");
    p = utx_put_u64(p, e->offset);
    p = put_str(p, ",\"type\":\"");
    p = put_str(p, type ? type : "UNKNOWN");
    p = put_key_i64(p, "\",\"type_num\":", e->entry_type);
    p = put_key_i64(p, ",\"raw_type\":", e->raw_type);
    utx_ob_commit(b, p);
    json_field(b, "user", e->user);
    json_field(b, "line", e->line);
    json_field(b, "id", e->id);
    json_field(b, "host", e->host);
    json_field(b, "service", e->service);
    p = utx_ob_room(b, 512);
    p = put_key_i64(p, ",\"pid\":", e->pid);
    p = put_key_i64(p, ",\"session\":", e->session);
    p = put_key_i64(p, ",\"uid\":", e->uid);
    p = put_key_i64(p, ",\"exit_termination\":", e->exit_termination);
    p = put_key_i64(p, ",\"exit_status\":", e->exit_status);
    p = put_key_i64(p, ",\"sec\":", e->sec);
    p = put_key_i64(p, ",\"usec\":", e->usec);
    p = put_str(p, ",\"time\":\"");
    p = utx_put_rfc3339(p, &json_day, e->sec, e->usec);
    p = put_str(p, "\",\"addr_family\":\"");
    p = put_str(p, addr_family_name(e->addr_family));
    *p++ = '"';
    utx_ob_commit(b, p);
    json_field(b, "addr", e->addr_text);
    utx_ob_write(b, ",\"host_name\":", 13);
    utx_ob_json_str(b, dump_host_name);
    utx_ob_write(b, ",", 1);
    json_flags(b, e->flags);
    utx_ob_write(b, "}\n", 2);
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

/* Read every entry of IN and print it with SHOW to OUT.  Returns an exit
 * code. */
static int for_each_entry(const struct utx_input *in, FILE *out,
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
    if (show == dump_text) {
        /* The plain dump's loop: a Linux record's line written here when
         * the format is the last one's. */
        while ((st = utx_next(r, label, &e)) == UT_OK) {
            if (dump_fmt.linux_rec && e->format == dump_fmt.format && dump_ob.out == out)
                dump_linux_line(&dump_ob, e);
            else
                dump_text(out, e);
        }
    } else {
        while ((st = utx_next(r, label, &e)) == UT_OK)
            show(out, e);
    }
    if (dump_ob.out != NULL)
        utx_ob_flush(&dump_ob);
    ut_reader_close(r);
    return st == UT_END ? UTX_EXIT_OK : UTX_EXIT_FAIL;
}

/* All of FP (a file or a pipe) in a malloc'd buffer; NULL on failure. */
static char *slurp(FILE *fp, size_t *len)
{
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap), *grown;

    while (buf != NULL && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            grown = realloc(buf, cap *= 2);
            if (grown == NULL)
                free(buf);
            buf = grown;
        }
    }
    if (buf != NULL && ferror(fp)) {
        free(buf);
        buf = NULL;
    }
    *len = n;
    return buf;
}

/* utmpdump -r: utmpdump text (TEXTFILE, or stdin) back to binary records
 * of FORMAT (UT_FORMAT_AUTO: this host's layout), written to OUT. */
static int undump(const char *path, ut_format format, FILE *out)
{
    FILE *in = path ? fopen(path, "r") : stdin;
    const char *label = path ? path : "/dev/stdin";
    char err[256];
    unsigned char rec[1024];
    size_t len = 0, n;
    char *text;
    ut_reader *r = NULL;
    const ut_entry *e;
    ut_status st;
    uint32_t cut;

    if (in == NULL) {
        utx_err("%s: %s", path, strerror(errno));
        return UTX_EXIT_FAIL;
    }
    text = slurp(in, &len);
    if (path)
        fclose(in);
    if (text == NULL) {
        utx_err("%s: cannot read", label);
        return UTX_EXIT_FAIL;
    }
    if (len == 0) {
        free(text);
        return UTX_EXIT_OK;
    }
    fprintf(stderr, "Utmp undump of %s\n", label);
    st = ut_reader_open_memory((const uint8_t *)text, len, UT_FORMAT_UTMPDUMP_TEXT, 0, &r, err, sizeof err);
    if (st != UT_OK) {
        utx_err("%s: %s", label, err);
        free(text);
        return UTX_EXIT_FAIL;
    }
    while ((st = utx_next(r, label, &e)) == UT_OK) {
        /* The text has no session or exit status: utmpdump writes 0. */
        ut_entry copy = *e;
        if (copy.session < 0)
            copy.session = 0;
        if (copy.exit_termination < 0)
            copy.exit_termination = 0;
        if (copy.exit_status < 0)
            copy.exit_status = 0;
        st = ut_entry_encode(&copy, format, rec, sizeof rec, &n, &cut);
        if (st != UT_OK) {
            utx_err("%s: cannot write %s records: %s", label, ut_format_name(format),
                    ut_status_str(st));
            break;
        }
        if (fwrite(rec, 1, n, out) != n) {
            utx_err("write error: %s", strerror(errno));
            st = UT_ERR_IO;
            break;
        }
    }
    ut_reader_close(r);
    free(text);
    return st == UT_END ? UTX_EXIT_OK : UTX_EXIT_FAIL;
}

static const char DUMP_USAGE[] =
    "usage: utx dump [--json[=ecs]] [--format NAME] [--newest-first] [-f|--follow]\n"
    "                [--since-offset N] [--checkpoint FILE] [--host-name NAME]\n"
    "                [-o FILE] [--db DB | FILE]\n"
    "       utx dump -r|--reverse [--format NAME] [-o FILE] [TEXTFILE]\n"
    "       utx dump -h|--help | -V|--version\n"
    "  Print every entry like util-linux utmpdump (or as JSON lines).\n"
    "  Without FILE: this host's DB (utmp, wtmp, btmp, lastlog; default utmp).\n"
    "  --newest-first: newest entry first.\n"
    "  -r, --reverse: as utmpdump -r, write utmpdump text (TEXTFILE or stdin)\n"
    "  back as binary records (this host's layout, or --format NAME).\n"
    "  -o, --output FILE: write to FILE instead of stdout.\n"
    "  --json: one object per entry with every field; a string that is not\n"
    "  UTF-8 has each bad byte as \\u00XX and its exact bytes in NAME_hex\n"
    "  (schema: docs/utx-dump.schema.json).  --json=ecs: Elastic Common\n"
    "  Schema names (@timestamp, user.name, source.ip, event.outcome...).\n"
    "  Text times are read as this host's utmpdump reads them (32-bit\n"
    "  tv_sec signed); --json gives the library's value.\n"
    "  --host-name NAME: the host_name of --json lines (host.name of\n"
    "  --json=ecs); default: this host's name when reading its own DB or\n"
    "  following a file, else empty.\n"
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
    else {
        if (c->json)
            dump_json(stdout, e);
        else
            dump_text(stdout, e);
        utx_ob_flush(&dump_ob); /* the follow loop flushes stdout */
    }
    return 0;
}

static int cmd_dump(int argc, char **argv)
{
    struct utx_input in = {NULL, UT_DB_UTMP, UT_FORMAT_AUTO, 0};
    struct utx_follow fl = {0, 0, 0, NULL, 0};
    struct dump_ctx ctx;
    char host[256];
    const char *host_name = NULL;
    int json = 0, back = 0, i, rc;
    const char *output = NULL;
    FILE *out = stdout;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int k = utx_parse_format_opt(argc, argv, &i, &in);
        if (k == 0)
            k = utx_parse_follow_opt(argc, argv, &i, &fl, 1);
        if (k == 0)
            k = utx_parse_json_opt(a, &json);
        if (k == 0)
            k = utx_parse_host_name_opt(argc, argv, &i, &host_name);
        if (k < 0)
            return UTX_EXIT_USAGE;
        if (k > 0)
            continue;
        if (strcmp(a, "--newest-first") == 0) {
            in.flags |= UT_OPEN_REVERSE;
        } else if (strcmp(a, "-r") == 0 || strcmp(a, "--reverse") == 0) {
            back = 1;
        } else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && i + 1 < argc) {
            output = argv[++i];
        } else if (strncmp(a, "--output=", 9) == 0) {
            output = a + 9;
        } else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
            if (parse_db(argv[++i], &in.db) != 0)
                return UTX_EXIT_USAGE;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(DUMP_USAGE, stdout);
            return UTX_EXIT_OK;
        } else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
            printf("dump from utx %s\n", ut_version()); /* utmpdump's shape */
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
    if (back && (json || in.flags != 0 || fl.follow || fl.have_offset || fl.checkpoint)) {
        utx_err("dump: -r takes neither --json, --newest-first nor the follow options");
        return UTX_EXIT_USAGE;
    }
    if (host_name != NULL && !json) {
        utx_err("dump: --host-name names the host of --json lines");
        return UTX_EXIT_USAGE;
    }
    dump_host_name = utx_host_name(host_name, in.path == NULL || fl.follow, host, sizeof(host));
    if (fl.follow && (in.flags & UT_OPEN_REVERSE)) {
        utx_err("dump: --follow reads forward; it cannot be used with --newest-first");
        return UTX_EXIT_USAGE;
    }
    if (!back && (fl.follow || fl.have_offset || fl.checkpoint || json == UTX_JSON_ECS)) {
        if (output != NULL) {
            utx_err("dump: -o writes a plain dump or -r's records; follow and --json=ecs write to stdout");
            return UTX_EXIT_USAGE;
        }
        ctx.json = json;
        utx_ecs_init(&ctx.ecs, &in, fl.follow, host_name, host, sizeof(host));
        return utx_follow_run(&in, &fl, dump_show, &ctx, json ? NULL : "Utmp dump of ");
    }
    if (output != NULL && (out = fopen(output, "w")) == NULL) {
        utx_err("%s: %s", output, strerror(errno));
        return UTX_EXIT_FAIL;
    }
    /* Everything of a dump reaches OUT through dump_ob, 64 KiB at a time:
     * stdio's own buffer would split each of them into two writes and
     * copy a remainder. */
    if (!back)
        setvbuf(out, NULL, _IONBF, 0);
    if (back)
        rc = undump(in.path && strcmp(in.path, "-") != 0 ? in.path : NULL, in.format, out);
    else
        rc = for_each_entry(&in, out, json ? dump_json : dump_text, !json);
    if (out != stdout && fclose(out) != 0 && rc == UTX_EXIT_OK) {
        utx_err("%s: %s", output, strerror(errno));
        rc = UTX_EXIT_FAIL;
    }
    return rc;
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

/* coreutils who's columns (print_line): what the options add. */
struct who_cols {
    int mesg, idle, pid, exit; /* -T; -u/-l/-r/-d; not -s; -d */
};

/* who's text goes through this buffer, flushed after each table. */
static struct utx_obuf who_ob;

/* S at P as printf's "%-W.Ps" (RIGHT: "%W.Ps"; PREC -1: no precision):
 * the end. */
static char *who_pad(char *p, const char *s, int prec, int width, int right)
{
    size_t n = prec < 0 ? strlen(s) : strnlen(s, (size_t)prec);
    size_t pad = width > 0 && (size_t)width > n ? (size_t)width - n : 0;
    if (right) {
        memset(p, ' ', pad);
        p += pad;
    }
    memcpy(p, s, n);
    p += n;
    if (!right) {
        memset(p, ' ', pad);
        p += pad;
    }
    return p;
}

/* One line as coreutils who's print_line() builds it: USER (at most
 * USERLEN bytes, -1: all), [STATE], LINE, TIME, [IDLE], [PID], COMMENT,
 * [EXIT]; trailing blanks removed.  Into B, or a buffer of its own when
 * the line could be longer than B. */
static void who_print(struct utx_obuf *b, const struct who_cols *k, int width, int userlen,
                      const char *user, char state, int linelen, const char *line,
                      const char *when, const char *idle, const char *pid,
                      const char *comment, const char *exitstr)
{
    size_t n = strlen(user) + strlen(line) + strlen(when) + strlen(comment) +
               strlen(exitstr) + strlen(idle) + strlen(pid) + 128;
    char *own = n > UTX_OBUF_SIZE ? malloc(n) : NULL, *start, *p;

    if (n > UTX_OBUF_SIZE && own == NULL)
        return;
    start = p = own ? own : utx_ob_room(b, n);
    p = who_pad(p, user, userlen, 8, 0);
    if (k->mesg) {
        *p++ = ' ';
        *p++ = state;
    }
    *p++ = ' ';
    p = who_pad(p, line, linelen, 12, 0);
    *p++ = ' ';
    p = who_pad(p, when, -1, width, 0);
    if (k->idle && strlen(idle) < 7) {
        *p++ = ' ';
        p = who_pad(p, idle, -1, 6, 0);
    }
    if (k->pid && strlen(pid) < 12) {
        *p++ = ' ';
        p = who_pad(p, pid, -1, 10, 1);
    }
    *p++ = ' ';
    p = who_pad(p, comment, -1, 8, 0);
    if (k->exit) {
        *p++ = ' ';
        p = who_pad(p, exitstr, -1, 12, 0);
    }
    while (p > start && p[-1] == ' ')
        p--;
    *p++ = '\n';
    if (own != NULL) {
        utx_ob_write(b, own, (size_t)(p - own));
        free(own);
    } else {
        utx_ob_commit(b, p);
    }
}

/* who's time column: strftime FMT of the local time, or the number. */
static void who_when(char *when, size_t n, const ut_entry *e, const char *fmt)
{
    int64_t sec = utx_peer_sec(e);
    struct tm tm;
    if (!utx_localtime(sec, &tm) || strftime(when, n, fmt, &tm) == 0)
        snprintf(when, n, "%" PRId64, sec);
}

/* coreutils idle_string(): "  .  " under a minute, "HH:MM" under a day
 * (since the last boot), " old " else. */
static void who_idle(char *buf, size_t n, time_t when, int64_t boottime)
{
    static time_t now;
    if (now == 0)
        now = time(NULL);
    if (boottime < (int64_t)when && now - 24 * 60 * 60 < when && when <= now) {
        long idle = (long)(now - when);
        if (idle < 60)
            snprintf(buf, n, "  .  ");
        else
            snprintf(buf, n, "%02d:%02d", (int)(idle / 3600 % 24), (int)(idle % 3600 / 60));
    } else {
        snprintf(buf, n, " old ");
    }
}

/* The tty's state (+ writable by its group tty, - not, ? no such file)
 * and idle time, from LINE under /dev (or LINE itself when absolute). */
static char who_tty(const ut_entry *e, int64_t boottime, char *idle, size_t n)
{
    char path[64];
    struct stat sb;
    char state;

    snprintf(path, sizeof(path), "%s%.32s", e->line[0] == '/' ? "" : "/dev/", e->line);
    if (stat(path, &sb) != 0) {
        snprintf(idle, n, "  ?");
        return '?';
    }
    /* coreutils as Debian builds it (no TTY_GROUP_NAME): the group write bit */
    state = (sb.st_mode & S_IWGRP) ? '+' : '-';
    if (sb.st_atime == 0)
        snprintf(idle, n, "  ?");
    else
        who_idle(idle, n, sb.st_atime, boottime);
    return state;
}

/* "(host)" or "(host:display)", the host canonicalised with --lookup
 * (getaddrinfo's canonical name, as gnulib canon_host). */
static void who_host(char *buf, size_t n, const char *field, int lookup)
{
    char host[260];
    char *display;
    struct addrinfo hints, *res = NULL;
    const char *name;

    buf[0] = '\0';
    if (field[0] == '\0')
        return;
    snprintf(host, sizeof(host), "%s", field);
    display = strchr(host, ':');
    if (display != NULL)
        *display++ = '\0';
    name = host;
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_CANONNAME;
    if (lookup && host[0] != '\0' && getaddrinfo(host, NULL, &hints, &res) == 0 &&
        res->ai_canonname != NULL)
        name = res->ai_canonname;
    if (display != NULL)
        snprintf(buf, n, "(%s:%s)", name, display);
    else
        snprintf(buf, n, "(%s)", name);
    if (res != NULL)
        freeaddrinfo(res);
}

static const char WHO_USAGE[] =
    "usage: utx who [OPTION]... [ FILE | ARG1 ARG2 ]\n"
    "  Users logged in (USER_PROCESS entries), like coreutils who.  Without\n"
    "  FILE, this host's utmp, or logind's sessions where there is no utmp;\n"
    "  sessions whose process is gone are left out.\n"
    "  -a, --all         same as -b -d --login -p -r -t -T -u\n"
    "  -b, --boot        time of last system boot\n"
    "  -d, --dead        print dead processes\n"
    "  -H, --heading     print line of column headings\n"
    "  -l, --login       print system login processes\n"
    "      --lookup      attempt to canonicalize hostnames via DNS\n"
    "  -m                only hostname and user associated with stdin\n"
    "  -p, --process     print active processes spawned by init\n"
    "  -q, --count       all login names and number of users logged on\n"
    "  -r, --runlevel    print current runlevel\n"
    "  -s, --short       print only name, line, and time (default)\n"
    "  -t, --time        print last system clock change\n"
    "  -T, -w, --mesg    add user's message status as +, - or ?\n"
    "  -u, --users       list users logged in\n"
    "      --message     same as -T\n"
    "      --writable    same as -T\n"
    "      --format NAME read FILE as this format instead of detecting it\n"
    "      --verbose     name the source on stderr (\"utx: source: logind:/run/systemd\")\n"
    "      --json        one object per table: {\"source\":…,\"users\":[…]}\n"
    "      --watch[=N]   print the table again on each change (N: stop after N)\n"
    "      --root DIR    the databases of the system copied under DIR\n"
    "      --all-sessions  keep logind's manager, background and closing sessions\n"
    "  -h, --help        display this help and exit\n"
    "  -V, --version     output version information and exit\n"
    "  'am i' (any two arguments) means -m.\n";

/* What `who` was asked for; also the context of one --watch render. */
struct who_ctl {
    struct utx_input in;
    const char *root, *fmt;
    int width, verbose, json, watch, renders;
    unsigned watch_max;
    /* coreutils who's switches */
    int boot, dead, login, init, runlevel, clock, users, count, heading, mine, lookup;
    struct who_cols cols;
};

/* who --json's times (a cache of their day and minute). */
static struct utx_daycache who_day;

/* One user as a JSON object (the fields of a who line, and more). */
static void who_json_user(struct utx_obuf *b, const ut_entry *e, int first)
{
    char *p;
    if (first)
        utx_ob_write(b, "{\"user\":", 8);
    else
        utx_ob_write(b, ",{\"user\":", 9);
    utx_ob_json_str(b, e->user);
    utx_ob_write(b, ",\"line\":", 8);
    utx_ob_json_str(b, e->line);
    utx_ob_write(b, ",\"host\":", 8);
    utx_ob_json_str(b, e->host);
    utx_ob_write(b, ",\"id\":", 6);
    utx_ob_json_str(b, e->id);
    utx_ob_write(b, ",\"service\":", 11);
    utx_ob_json_str(b, e->service);
    p = utx_ob_room(b, 256);
    p = put_key_i64(p, ",\"pid\":", e->pid);
    p = put_key_i64(p, ",\"session\":", e->session);
    p = put_key_i64(p, ",\"uid\":", e->uid);
    p = put_key_i64(p, ",\"sec\":", e->sec);
    p = put_key_i64(p, ",\"usec\":", e->usec);
    p = put_str(p, ",\"time\":\"");
    p = utx_put_rfc3339(p, &who_day, e->sec, e->usec);
    memcpy(p, "\"}", 2);
    utx_ob_commit(b, p + 2);
}

/* One entry as coreutils who's scan_entries() prints it (if at all). */
static void who_text(const struct who_ctl *c, const ut_entry *e, int64_t boottime)
{
    const struct who_cols *k = &c->cols;
    char when[64], idle[16] = "", pid[24], comment[300], exitstr[64] = "";
    int t = e->entry_type;

    who_when(when, sizeof(when), e, c->fmt);
    snprintf(pid, sizeof(pid), "%ld", (long)(int32_t)e->pid);
    snprintf(comment, sizeof(comment), "id=%.4s", e->id);
    if (c->users && t == UT_TYPE_USER_PROCESS && e->user[0] != '\0') {
        char state = who_tty(e, boottime, idle, sizeof(idle));
        who_host(comment, sizeof(comment), e->host, c->lookup);
        who_print(&who_ob, k, c->width, 32, e->user, state, 32, e->line, when, idle, pid,
                  comment, "");
    } else if (c->runlevel && t == UT_TYPE_RUN_LVL) {
        unsigned char last = (unsigned char)((int32_t)e->pid / 256);
        unsigned char curr = (unsigned char)((int32_t)e->pid % 256);
        char level[32];
        snprintf(level, sizeof(level), "run-level %c", curr);
        snprintf(comment, sizeof(comment), "last=%c", last == 'N' ? 'S' : last);
        who_print(&who_ob, k, c->width, -1, "", ' ', -1, level, when, "", "",
                  (last >= 0x20 && last < 0x7f) ? comment : "", "");
    } else if (c->boot && t == UT_TYPE_BOOT_TIME) {
        who_print(&who_ob, k, c->width, -1, "", ' ', -1, "system boot", when, "", "", "",
                  "");
    } else if (c->clock && t == UT_TYPE_NEW_TIME) {
        who_print(&who_ob, k, c->width, -1, "", ' ', -1, "clock change", when, "", "", "",
                  "");
    } else if (c->init && t == UT_TYPE_INIT_PROCESS) {
        who_print(&who_ob, k, c->width, -1, "", ' ', 32, e->line, when, "", pid, comment, "");
    } else if (c->login && t == UT_TYPE_LOGIN_PROCESS) {
        who_print(&who_ob, k, c->width, -1, "LOGIN", ' ', 32, e->line, when, "", pid,
                  comment, "");
    } else if (c->dead && t == UT_TYPE_DEAD_PROCESS) {
        snprintf(exitstr, sizeof(exitstr), "term=%d exit=%d", e->exit_termination,
                 e->exit_status);
        who_print(&who_ob, k, c->width, -1, "", ' ', 32, e->line, when, "", pid, comment,
                  exitstr);
    }
}

/* -m: the line of standard input, without /dev/; NULL when not a tty. */
static const char *who_my_line(void)
{
    const char *tty = ttyname(STDIN_FILENO);
    if (tty != NULL && strncmp(tty, "/dev/", 5) == 0)
        tty += 5;
    return tty;
}

/* The reader's source as a JSON string ("null" when unknown), into B. */
static void who_json_source(struct utx_obuf *b, const ut_reader *r)
{
    const char *src = NULL;
    if (ut_reader_source(r, &src) != UT_OK || src == NULL)
        utx_ob_write(b, "null", 4);
    else
        utx_ob_json_str(b, src);
}

/* Open the input and print the table once (through who_ob, flushed at
 * the end).  Returns an exit code. */
static int who_table(struct who_ctl *c, struct utx_obuf *b)
{
    const ut_entry *e;
    ut_reader *r = NULL;
    ut_status st;
    int rc, n = 0;
    int64_t boottime = INT64_MIN;
    const char *sep = "", *mine = NULL;

    if (c->watch && c->renders++ > 0 && !c->json)
        utx_ob_write(b, "\n", 1);
    rc = (c->in.path == NULL && c->root != NULL)
             ? utx_open_db_root(c->root, UT_DB_UTMP, c->in.flags, &r)
             : utx_open(&c->in, &r);
    if (rc != UTX_EXIT_OK)
        return rc;
    if (c->verbose)
        utx_print_source(stderr, r);
    if (c->json) {
        utx_ob_write(b, "{\"source\":", 10);
        who_json_source(b, r);
        utx_ob_write(b, ",\"users\":[", 10);
        ut_reader_set_types(r, UT_TYPE_BIT(UT_TYPE_USER_PROCESS));
    } else if (!c->count) {
        if (c->heading)
            who_print(b, &c->cols, c->width, -1, "NAME", ' ', -1, "LINE", "TIME",
                      "IDLE", "PID", "COMMENT", "EXIT");
        if (c->mine && (mine = who_my_line()) == NULL) {
            ut_reader_close(r);
            return UTX_EXIT_OK;
        }
    }
    while ((st = utx_next(r, utx_input_label(&c->in), &e)) == UT_OK) {
        int user = e->entry_type == UT_TYPE_USER_PROCESS && e->user[0] != '\0';
        if (c->json) {
            if (user)
                who_json_user(b, e, n++ == 0);
        } else if (c->count) {
            if (user) {
                char name[40];
                char *end = name + snprintf(name, sizeof(name), "%.32s", e->user);
                while (end > name && end[-1] == ' ')
                    *--end = '\0';
                utx_ob_write(b, sep, strlen(sep));
                utx_ob_write(b, name, (size_t)(end - name));
                sep = " ";
                n++;
            }
        } else if (mine == NULL || strncmp(mine, e->line, 32) == 0) {
            who_text(c, e, boottime);
        }
        if (e->entry_type == UT_TYPE_BOOT_TIME)
            boottime = utx_peer_sec(e);
    }
    if (c->json) {
        utx_ob_write(b, "]}\n", 3);
    } else if (c->count) {
        char tail[40];
        utx_ob_write(b, tail, (size_t)snprintf(tail, sizeof(tail), "\n# users=%d\n", n));
    }
    ut_reader_close(r);
    return st == UT_END ? UTX_EXIT_OK : UTX_EXIT_FAIL;
}

/* One --watch render (or the only one): the table, then its text handed
 * to stdout. */
static int who_render(void *ctx)
{
    int rc;
    utx_ob_init(&who_ob, stdout);
    rc = who_table(ctx, &who_ob);
    utx_ob_flush(&who_ob);
    return rc;
}

/* utx's own options of who: 1 consumed, 0 not one, -1 bad. */
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

/* coreutils who's long options (any unambiguous prefix, as getopt_long)
 * and the short letter each stands for. */
static const struct {
    const char *name;
    char key;
} WHO_LONG[] = {
    {"all", 'a'},     {"boot", 'b'},    {"count", 'q'},    {"dead", 'd'},
    {"heading", 'H'}, {"login", 'l'},   {"lookup", 'L'},   {"message", 'T'},
    {"mesg", 'T'},    {"process", 'p'}, {"runlevel", 'r'}, {"short", 's'},
    {"time", 't'},    {"users", 'u'},   {"writable", 'T'}, {"help", 'h'},
    {"version", 'V'},
};

/* The key of the long option ARG ("--NAME"), 0 after printing getopt's
 * message (unknown, ambiguous, or given an argument). */
static char who_long_key(const char *arg)
{
    const char *eq = strchr(arg, '=');
    size_t i, n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2), found = 0, exact = SIZE_MAX;
    char key = 0;
    for (i = 0; i < sizeof(WHO_LONG) / sizeof(WHO_LONG[0]); i++) {
        if (strncmp(WHO_LONG[i].name, arg + 2, n) != 0)
            continue;
        if (strlen(WHO_LONG[i].name) == n) {
            exact = i;
            break;
        }
        if (found == 0 || key != WHO_LONG[i].key)
            found++;
        if (found == 1)
            exact = i;
        key = WHO_LONG[i].key;
    }
    fflush(stdout);
    if (exact == SIZE_MAX || (found > 1 && strlen(WHO_LONG[exact].name) != n)) {
        if (found > 1) {
            fprintf(stderr, "utx who: option '%s' is ambiguous; possibilities:", arg);
            for (i = 0; i < sizeof(WHO_LONG) / sizeof(WHO_LONG[0]); i++)
                if (strncmp(WHO_LONG[i].name, arg + 2, n) == 0)
                    fprintf(stderr, " '--%s'", WHO_LONG[i].name);
            fputc('\n', stderr);
        } else {
            fprintf(stderr, "utx who: unrecognized option '%s'\n", arg);
        }
        return 0;
    }
    if (eq != NULL) {
        fprintf(stderr, "utx who: option '--%s' doesn't allow an argument\n",
                WHO_LONG[exact].name);
        return 0;
    }
    return WHO_LONG[exact].key;
}

/* Apply who's option letter KEY; -1 when it is not one. */
static int who_apply(struct who_ctl *c, char key)
{
    switch (key) {
    case 'a':
        c->boot = c->dead = c->login = c->init = c->runlevel = c->clock = c->users = 1;
        c->cols.mesg = c->cols.idle = c->cols.exit = 1;
        break;
    case 'b': c->boot = 1; break;
    case 'd': c->dead = c->cols.idle = c->cols.exit = 1; break;
    case 'H': c->heading = 1; return 0;
    case 'l': c->login = c->cols.idle = 1; break;
    case 'L': c->lookup = 1; return 0;
    case 'm': c->mine = 1; return 0;
    case 'p': c->init = 1; break;
    case 'q': c->count = 1; return 0;
    case 'r': c->runlevel = c->cols.idle = 1; break;
    case 's': c->cols.pid |= 1; return 0; /* short output asked for */
    case 't': c->clock = 1; break;
    case 'T': case 'w': c->cols.mesg = 1; return 0;
    case 'u': c->users = c->cols.idle = 1; break;
    default: return -1;
    }
    c->cols.pid |= 2; /* a selection was made */
    return 0;
}

static int who_usage_error(void)
{
    fputs("Try 'utx who --help' for more information.\n", stderr);
    return UTX_EXIT_USAGE;
}

static int cmd_who(int argc, char **argv)
{
    struct who_ctl c;
    const char *args[3];
    int i, nargs = 0, only_args = 0, is_short, selected;

    memset(&c, 0, sizeof(c));
    c.in.db = UT_DB_UTMP;
    c.in.format = UT_FORMAT_AUTO;
    c.fmt = who_time_format(&c.width);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int k = 0;
        size_t j;
        if (!only_args)
            k = utx_parse_format_opt(argc, argv, &i, &c.in);
        if (k == 0 && !only_args)
            k = who_parse_opt(argc, argv, &i, &c);
        if (k < 0)
            return UTX_EXIT_USAGE;
        if (k > 0)
            continue;
        if (only_args || a[0] != '-' || a[1] == '\0') {
            if (nargs == 3)
                continue;
            args[nargs++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_args = 1;
            continue;
        }
        for (j = 1; a[j] != '\0'; j++) {
            char key = a[1] == '-' ? who_long_key(a) : a[j];
            if (key == 0)
                return who_usage_error();
            if (key == 'h') {
                fputs(WHO_USAGE, stdout);
                return UTX_EXIT_OK;
            }
            if (key == 'V') {
                printf("who (utx) %s\n", ut_version());
                return UTX_EXIT_OK;
            }
            if ((a[1] != '-' && strchr("abdlmpqrstuwHT", key) == NULL) ||
                who_apply(&c, key) < 0) {
                fflush(stdout);
                fprintf(stderr, "utx who: invalid option -- '%c'\n", key);
                return who_usage_error();
            }
            if (a[1] == '-')
                break;
        }
    }
    if (nargs > 2) {
        fflush(stdout);
        fprintf(stderr, "utx who: extra operand '%s'\n", args[2]);
        return who_usage_error();
    }
    if (nargs == 2)
        c.mine = 1; /* who am i */
    else if (nargs == 1)
        c.in.path = args[0];
    is_short = c.cols.pid & 1; /* -s */
    selected = c.cols.pid & 2;
    if (!selected) { /* coreutils' assumptions: users, short */
        c.users = 1;
        is_short = 1;
    }
    if (c.cols.exit)
        is_short = 0;
    c.cols.pid = !is_short;
    if (is_short)
        c.cols.idle = 0;
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
    {"lastlog", utx_lastlog_main, "last login per user, like lastlog"},
    {"convert", utx_convert_main, "copy entries into another format"},
    {"login", utx_login_main, "record a login in utmp and wtmp"},
    {"logout", utx_login_main, "record a logout in utmp and wtmp"},
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
