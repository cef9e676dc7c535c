/*
 * common.h - the one header of the `utx` command: what its parts
 * (main.c, last.c) share.  Implemented in common.c and modern.c.
 *
 * The command is a plain C consumer of the public API: it includes only
 * utx.h and standard C/POSIX headers, never <utmp.h> or <utmpx.h>.
 */
#ifndef UTX_CMD_COMMON_H
#define UTX_CMD_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "utx.h"

/* Exit codes of every subcommand. */
#define UTX_EXIT_OK 0
#define UTX_EXIT_FAIL 1    /* I/O error, unreadable or unrecognised data */
#define UTX_EXIT_USAGE 2   /* bad command line */
#define UTX_EXIT_NO_DB 3   /* this host has no such database at all */

/* ------------------------------------------------------------------ */
/* messages                                                            */

/* "utx: <message>\n" on stderr. */
void utx_err(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* ------------------------------------------------------------------ */
/* input: a file, or this host's database when no file is given        */

struct utx_input {
    const char *path;     /* NULL: use `db` */
    ut_database db;       /* UT_DB_* used when path is NULL */
    ut_format format;     /* UT_FORMAT_AUTO unless --format */
    ut_open_flags flags;  /* UT_OPEN_* */
};

/* What to call the input in messages: the path, or "utmp" etc. */
const char *utx_input_label(const struct utx_input *in);

/* Every name ut_format_name knows (what --format accepts), SEP between
 * them: for "unknown format" messages and `utx --list-formats`. */
void utx_list_format_names(FILE *out, const char *sep);

/* Parse "--format NAME" / "--format=NAME" at argv[*i] into in->format.
 * Returns 1 when consumed (advancing *i past a separate NAME), 0 when
 * argv[*i] is not a --format option, -1 after printing an error
 * (unknown name: the valid names are listed). */
int utx_parse_format_opt(int argc, char **argv, int *i, struct utx_input *in);

/* The message for a failure ST of the library on PATH (NULL: no file):
 * the OS's strerror text when the failure came from the OS (the errno is
 * found by opening PATH again: the library keeps none for a failed open),
 * else the library's MSG without a repeated PATH or status and without
 * Rust's " (os error N)".  BUF (size N) may hold the result. */
const char *utx_os_message(const char *path, ut_status st, const char *msg, char *buf,
                           size_t n);

/* Open the input.  On failure prints "utx: LABEL: MESSAGE" and
 * returns the exit code (UTX_EXIT_NO_DB when the host database does not
 * exist); returns UTX_EXIT_OK and stores the reader otherwise. */
int utx_open(const struct utx_input *in, ut_reader **out);

/* utx_next after ut_reader_next gave ST: the partial records, errors and
 * the end. */
ut_status utx_next_slow(ut_reader *r, const char *label, const ut_entry **e, ut_status st);

/* Next entry that is not a trailing partial record (those are reported on
 * stderr as "utx: LABEL: trailing partial record at offset N ignored").
 * Returns UT_OK, UT_END, or an error status after printing it. */
static inline ut_status utx_next(ut_reader *r, const char *label, const ut_entry **e)
{
    ut_status st = ut_reader_next(r, e);
    if (st == UT_OK && !((*e)->flags & UT_ENTRY_PARTIAL_RECORD))
        return UT_OK;
    return utx_next_slow(r, label, e, st);
}

/* ------------------------------------------------------------------ */
/* formats                                                             */

/* Name of a format, "unknown" for numbers the library does not know. */
const char *utx_format_name(ut_format f);

/* True for formats that store time as a 32-bit tv_sec (384/382-byte
 * glibc records, 292-byte lastlog). */
int utx_format_has_time32(ut_format f);

/* True for the Linux glibc/utmps record formats and utmpdump text, whose
 * fields utmpdump's columns were made for. */
int utx_format_is_linux_utmp(ut_format f);

/* ------------------------------------------------------------------ */
/* time                                                                */

/* The seconds as this host's glibc peers (utmpdump, who, last, lastlog)
 * read them: they declare the 32-bit tv_sec / ll_time as int32_t, so a
 * stored 0x80000000 is 1901, not 2038.  The library decodes such fields
 * unsigned (as glibc >= 2.40 does); text output that must match the peers
 * uses this value, JSON uses the library's. */
int64_t utx_peer_sec(const ut_entry *e);

/* Broken-down UTC time of any 64-bit second count (no time_t limits). */
struct utx_civil {
    int64_t year;
    int month, day, hour, min, sec; /* month 1..12, day 1..31 */
};
void utx_civil_utc(int64_t sec, struct utx_civil *c);

/* utmpdump's time: "YYYY-MM-DDTHH:MM:SS,uuuuuu+00:00" (usec as %06d,
 * so an out-of-range 1000000 prints in full, as utmpdump does). */
void utx_fmt_utmpdump_time(char *buf, size_t n, int64_t sec, int32_t usec);

/* RFC 3339 UTC: "YYYY-MM-DDTHH:MM:SS.uuuuuuZ"; the fraction is left out
 * when usec is outside 0..999999. */
void utx_fmt_rfc3339(char *buf, size_t n, int64_t sec, int32_t usec);

/* localtime_r of a 64-bit second count; 0 when it does not fit time_t or
 * the C library cannot convert it. */
int utx_localtime(int64_t sec, struct tm *tm);

/* ------------------------------------------------------------------ */
/* text                                                                */

/* Copy SRC to DST (size N) replacing what utmpdump replaces with '?':
 * control bytes, DEL, bytes >= 0x80, '[' and ']'. */
void utx_cleanse(char *dst, size_t n, const char *src);

/* Address as utmpdump prints it: IPv4 dotted quad unless bytes 4..15 are
 * non-zero (util-linux's rule), "0.0.0.0" when there is none. */
void utx_fmt_compat_addr(char *buf, size_t n, const ut_entry *e);

/* ------------------------------------------------------------------ */
/* buffered text output                                                */

/* An output buffer in front of a stdio stream: text is formatted straight
 * into it and handed to the stream 64 KiB at a time (one write each), so
 * the hot paths make no per-field formatting call. */
#define UTX_OBUF_SIZE 65536
struct utx_obuf {
    FILE *out;
    size_t len;
    char buf[UTX_OBUF_SIZE];
};

/* Bind B (its buffer empty) to OUT.  Until another buffer is bound,
 * utx_err hands what B holds to OUT before its message. */
void utx_ob_init(struct utx_obuf *b, FILE *out);

/* Hand what B holds to its stream (fwrite; the stream's errors stay the
 * stream's, as with fprintf). */
void utx_ob_flush(struct utx_obuf *b);

/* A pointer to at least N free bytes in B (N <= UTX_OBUF_SIZE), flushing
 * first when fewer are free; write there and call utx_ob_commit. */
static inline char *utx_ob_room(struct utx_obuf *b, size_t n)
{
    if (UTX_OBUF_SIZE - b->len < n)
        utx_ob_flush(b);
    return b->buf + b->len;
}

/* P, from utx_ob_room, is where the text written ends. */
static inline void utx_ob_commit(struct utx_obuf *b, const char *p)
{
    b->len = (size_t)(p - b->buf);
}

/* N bytes of S (any length). */
void utx_ob_write(struct utx_obuf *b, const char *s, size_t n);

/* V in decimal at P (as "%" PRId64): the end.  P needs 20 bytes. */
char *utx_put_i64(char *p, int64_t v);

/* V as printf's "%0*" PRId64 with WIDTH: zero-padded after any sign. */
char *utx_put_i64_zero(char *p, int64_t v, int width);

/* N spaces at P (none when N <= 0): the end.  Up to UTX_SPACES_SLACK
 * bytes past P are written whatever N, so P needs that much room. */
#define UTX_SPACES_SLACK 32
static inline char *utx_put_spaces(char *p, int n)
{
    static const char spaces[UTX_SPACES_SLACK + 1] = "                                ";
    if (n <= 0)
        return p;
    if (n <= UTX_SPACES_SLACK) { /* one fixed-size copy, no memset call */
        memcpy(p, spaces, UTX_SPACES_SLACK);
        return p + n;
    }
    memset(p, ' ', (size_t)n);
    return p + n;
}

/* What utx_cleanse writes for each byte (0 for NUL, '?' for what it
 * replaces), and "00".."99" (the text of N at 2 * N). */
extern const char utx_cleanse_map[256];
extern const char utx_digit_pairs[201];

/* SRC cleansed as utx_cleanse does, at most MAX bytes of it: the end.
 * Unrolled by 4: no count to test between the bytes of a group. */
static inline char *utx_put_cleansed(char *p, const char *src, size_t max)
{
    const unsigned char *s = (const unsigned char *)src;
    const char *map = utx_cleanse_map;
    size_t i = 0;
    char c;
    for (; i + 4 <= max; i += 4) {
        if ((c = map[s[i]]) == 0)
            return p + i;
        p[i] = c;
        if ((c = map[s[i + 1]]) == 0)
            return p + i + 1;
        p[i + 1] = c;
        if ((c = map[s[i + 2]]) == 0)
            return p + i + 2;
        p[i + 2] = c;
        if ((c = map[s[i + 3]]) == 0)
            return p + i + 3;
        p[i + 3] = c;
    }
    for (; i < max && (c = map[s[i]]) != 0; i++)
        p[i] = c;
    return p + i;
}

/* "0." .. "255.": each octet's text and a dot in 4 bytes, for addresses,
 * then the length of the two (2..4). */
extern const char utx_octet_dot[256][6];

/* Address as utx_fmt_compat_addr prints it (NOT IPv4: bytes 4..15 are not
 * all zero): the end.  P needs 46 bytes. */
char *utx_put_compat_addr_v6(char *p, const ut_entry *e);

/* Address as utx_fmt_compat_addr prints it: the end.  P needs 46 bytes. */
static inline char *utx_put_compat_addr(char *p, const ut_entry *e)
{
    const unsigned char *a = e->addr;
    unsigned o0 = a[0], o1 = a[1], o2 = a[2], o3 = a[3]; /* once: P may alias */
    uint32_t mid;
    uint64_t tail;
    memcpy(&mid, a + 4, 4);
    memcpy(&tail, a + 8, 8);
    if ((mid | tail) != 0)
        return utx_put_compat_addr_v6(p, e);
    /* IPv4, as inet_ntop writes it */
    memcpy(p, utx_octet_dot[o0], 4);
    p += utx_octet_dot[o0][4];
    memcpy(p, utx_octet_dot[o1], 4);
    p += utx_octet_dot[o1][4];
    memcpy(p, utx_octet_dot[o2], 4);
    p += utx_octet_dot[o2][4];
    memcpy(p, utx_octet_dot[o3], 4);
    return p + utx_octet_dot[o3][4] - 1;
}

/* The last day and minute formatted by utx_put_utmpdump_time (one per
 * caller; all zero to start). */
struct utx_daycache {
    int64_t day_start; /* first second of the cached day */
    int valid;
    char prefix[40];   /* "YYYY-MM-DDT" */
    int64_t min_start; /* first second of the cached minute */
    int min_valid;
    char minute[24];   /* "YYYY-MM-DDTHH:MM:" */
};

/* Make C hold SEC's day and minute: 0 (C unchanged) when SEC's year is
 * outside 0..9999. */
int utx_daycache_set(struct utx_daycache *c, int64_t sec);

/* utx_fmt_rfc3339's text at P, the date and time up to the minute taken
 * from C: the end.  P needs 64 bytes. */
char *utx_put_rfc3339(char *p, struct utx_daycache *c, int64_t sec, int32_t usec);

/* utx_put_utmpdump_time when the minute is not cached. */
char *utx_put_utmpdump_time_slow(char *p, struct utx_daycache *c, int64_t sec, int32_t usec);

/* utx_fmt_utmpdump_time's text at P, the date and time up to the minute
 * taken from C when SEC is in the minute it holds: the end.  P needs 64
 * bytes. */
static inline char *utx_put_utmpdump_time(char *p, struct utx_daycache *c, int64_t sec,
                                          int32_t usec)
{
    const char *d = utx_digit_pairs;
    uint64_t s = (uint64_t)sec - (uint64_t)c->min_start;
    uint32_t u = (uint32_t)usec, hi, mid;
    if (s >= 60 || !c->min_valid || u > 999999)
        return utx_put_utmpdump_time_slow(p, c, sec, usec);
    memcpy(p, c->minute, 17);
    memcpy(p + 17, d + 2 * s, 2);
    p[19] = ',';
    hi = u / 10000;
    u -= hi * 10000;
    mid = u / 100;
    u -= mid * 100;
    memcpy(p + 20, d + 2 * hi, 2);
    memcpy(p + 22, d + 2 * mid, 2);
    memcpy(p + 24, d + 2 * u, 2);
    memcpy(p + 26, "+00:00", 6);
    return p + 32;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

/* 1 when S is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int utx_utf8_valid(const char *s);

/* S as a JSON string with quotes.  Valid UTF-8 sequences are copied;
 * every byte of an invalid sequence becomes \u00XX (its Latin-1 reading),
 * so nothing is lost or replaced by U+FFFD.  Controls are escaped. */
void utx_json_str(FILE *out, const char *s);

/* S as lower-case hex in quotes (the exact bytes of a non-UTF-8 field). */
void utx_json_hex(FILE *out, const char *s);

/* The same JSON into a buffer: utx_json_str's text of S, returning 1 when
 * S is valid UTF-8 (as utx_utf8_valid says), 0 when it is not. */
int utx_ob_json_str(struct utx_obuf *b, const char *s);

/* utx_json_hex's text of S into a buffer. */
void utx_ob_json_hex(struct utx_obuf *b, const char *s);

/* V in decimal at P (as "%" PRIu64): the end.  P needs 20 bytes. */
char *utx_put_u64(char *p, uint64_t v);

/* ------------------------------------------------------------------ */
/* sources, --root and --watch (modern.c)                              */

/* "utx: source: NAME" on OUT (stderr for --verbose), where NAME is what
 * ut_reader_source() says: "/var/run/utmp", "logind:/run/systemd",
 * "wtmpdb:/var/lib/wtmpdb/wtmp.db", ... */
void utx_print_source(FILE *out, const ut_reader *r);

/* The file behind the source ("/var/lib/wtmpdb/wtmp.db" for
 * "wtmpdb:/var/lib/wtmpdb/wtmp.db"), copied into BUF (size N); NULL when
 * the source is not one file (logind, memory) or does not fit. */
const char *utx_source_file(const ut_reader *r, char *buf, size_t n);

/* The source as a JSON string with quotes ("null" when unknown). */
void utx_json_source(FILE *out, const ut_reader *r);

/* Parse "--root DIR" / "--root=DIR" at argv[*i] into *root.  Returns 1
 * when consumed (advancing *i past a separate DIR), 0 when argv[*i] is
 * not --root, -1 after printing an error (missing DIR). */
int utx_parse_root_opt(int argc, char **argv, int *i, const char **root);

/* Open this host's database DB, or the one of the system under ROOT when
 * ROOT is not NULL (a copied tree).  On failure prints "utx: MESSAGE" and
 * returns UTX_EXIT_NO_DB (3) when the database and its successor are
 * unavailable, or 1; returns 0 and stores the reader otherwise. */
int utx_open_db_root(const char *root, ut_database db, ut_open_flags flags,
                     ut_reader **out);

/* `--watch`: call RENDER(CTX) now and again after every change to who is
 * logged in (the utmp file, logind's sessions/users/seats) under ROOT
 * (NULL: this system), until RENDER returns non-zero (that value is
 * returned) or MAX_RENDERS renders were done (0: no limit; for tests).
 * Between renders, FLUSH_OUT is flushed so a pipe sees each table.
 * Returns 3 when nothing can be watched, 1 on other errors. */
int utx_watch(const char *root, int (*render)(void *ctx), void *ctx,
              unsigned max_renders, FILE *flush_out);

/* ------------------------------------------------------------------ */
/* following a file, checkpoints, ECS (follow.c)                       */

/* What -f/--follow, --since-offset N and --checkpoint FILE asked for. */
struct utx_follow {
    int follow;             /* read on as the file grows */
    int have_offset;        /* --since-offset given */
    uint64_t offset;        /* its value: a record boundary */
    const char *checkpoint; /* NULL, or the file holding the offset */
    int from_end;           /* no checkpoint or offset: start at the end */
};

/* Parse -f (when SHORT_F), --follow, --since-offset N|=N, --checkpoint
 * FILE|=FILE at argv[*i].  1 when consumed, 0 when not one of them, -1
 * after a message. */
int utx_parse_follow_opt(int argc, char **argv, int *i, struct utx_follow *f, int short_f);

/* --json (UTX_JSON_PLAIN) or --json=ecs (UTX_JSON_ECS) into *json: 1 when
 * A is one of them, 0 when not --json, -1 after a message. */
#define UTX_JSON_PLAIN 1
#define UTX_JSON_ECS 2
int utx_parse_json_opt(const char *a, int *json);

/* --host-name NAME or --host-name=NAME at argv[*i] into *name: 1 when
 * consumed, 0 when argv[*i] is not that option, -1 after a message. */
int utx_parse_host_name_opt(int argc, char **argv, int *i, const char **name);

/* The host_name of JSON lines: NAME (--host-name) when not NULL, else this
 * host's name (gethostname, into BUF of size N) when THIS_HOST (its own
 * database: no FILE; or a file followed live), else "". */
const char *utx_host_name(const char *name, int this_host, char *buf, size_t n);

/* Print one entry; non-zero stops the loop. */
typedef int (*utx_show_fn)(void *ctx, const ut_entry *e);

/* Read IN from the checkpoint (if F->checkpoint names an existing file),
 * else from F->offset, else from the end (F->from_end), else from the
 * start, calling SHOW for each entry.  With F->follow, wait for more at
 * the end (the library's follow descriptor) until SIGINT, SIGTERM or
 * SIGHUP.  Standard output is flushed at each end and before every
 * checkpoint, which holds the offset after the last entry shown.  BANNER,
 * when not NULL, goes to stderr followed by the file's name.  Returns an
 * exit code. */
int utx_follow_run(const struct utx_input *in, const struct utx_follow *f, utx_show_fn show,
                   void *ctx, const char *banner);

/* Context of the ECS mapping. */
struct utx_ecs {
    const char *dataset;   /* event.dataset: "utx.wtmp", "utx.btmp", ... */
    const char *path;      /* log.file.path, or NULL */
    const char *host_name; /* host.name when the file is this host's, or NULL */
    int failed_logins;     /* btmp: event.outcome "failure" */
};

/* The ECS context of IN: its dataset, path, whether it holds failed
 * logins (btmp), and host.name: NAME (--host-name) when not NULL, else
 * this host's name (into HOST, size N) when the file is this host's (no
 * FILE given, or FOLLOW). */
void utx_ecs_init(struct utx_ecs *c, const struct utx_input *in, int follow,
                  const char *name, char *host, size_t n);

/* One entry as one line of Elastic Common Schema JSON
 * (docs/utx-ecs.schema.json). */
void utx_ecs_entry(FILE *out, const ut_entry *e, const struct utx_ecs *c);

/* ------------------------------------------------------------------ */
/* subcommands implemented outside main.c                              */

/* last.c: `utx last` and `utx lastb` (argv[0] is the subcommand). */
int utx_last_main(int argc, char **argv);

/* lastlog.c: `utx lastlog`. */
int utx_lastlog_main(int argc, char **argv);

/* write.c: `utx convert`, and `utx login` / `utx logout` (argv[0]). */
int utx_convert_main(int argc, char **argv);
int utx_login_main(int argc, char **argv);

#endif /* UTX_CMD_COMMON_H */
