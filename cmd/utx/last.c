/*
 * last.c - `utx last` and `utx lastb`: login history the way
 * util-linux 2.38 last(1) prints it, built on the sessions API
 * (ut_sessions_open / ut_sessions_next).
 *
 * With LANG=C and the same TZ, the output is byte for byte what
 * util-linux `last -f FILE` prints for the options below; `--json`
 * prints one JSON object per session instead.
 *
 *   utx last [options] [user|tty ...]
 *     -f, --file FILE      read FILE (several allowed; default /var/log/wtmp,
 *                          or /var/log/btmp for lastb)
 *     -n, --limit N, -N    at most N lines
 *     -x, --system         also shutdowns, run-level and clock changes
 *     -w, --fullnames      full user and host names
 *     -F, --fulltimes      full login and logout times
 *     -i, --ip             host as a numeric address
 *     -d, --dns            host as a resolved name
 *     -a, --hostlast       host in the last column
 *     -R, --nohostname     no host column
 *     -s, --since TIME     -t, --until TIME     -p, --present TIME
 *     --time-format notime|short|full|iso
 *     --json               JSON lines
 *     --merge              the -f files as one history, oldest first
 *                          (wtmp.2.gz wtmp.1 wtmp); .gz files are read as is
 *
 * Uses only utx.h (through common.h) and standard C / POSIX headers.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE 1 /* CLOCK_BOOTTIME, NI_* on glibc */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

/* Widths util-linux uses: 8-char names and 16-char hosts unless -w, which
 * widens them to the on-disk field sizes of a Linux utmp record. */
#define LAST_LOGIN_LEN 8
#define LAST_DOMAIN_LEN 16
#define UT_USER_FIELD 32
#define UT_LINE_FIELD 32
#define UT_HOST_FIELD 256
#define FINAL_LEN 512

enum time_fmt { TF_NONE = 0, TF_SHORT, TF_CTIME, TF_ISO, TF_HHMM };

/* Column widths and formats per --time-format (util-linux timefmts[]). */
static const struct {
    const char *name;
    int in_len, in_fmt, out_len, out_fmt;
} timefmts[] = {
    {"notime", 0, TF_NONE, 0, TF_NONE},
    {"short", 16, TF_CTIME, 7, TF_HHMM},
    {"full", 24, TF_CTIME, 26, TF_CTIME},
    {"iso", 25, TF_ISO, 27, TF_ISO},
};

/* Keys of the long options without a short one. */
#define LAST_OPT_FOLLOW 0x101
#define LAST_OPT_SINCE_OFFSET 0x102
#define LAST_OPT_CHECKPOINT 0x103
#define LAST_OPT_HOST_NAME 0x104

/* How a line ends (util-linux R_*). */
enum what { R_CRASH = 1, R_DOWN, R_NORMAL, R_NOW, R_REBOOT, R_PHANTOM, R_TIMECHANGE };

struct last_ctl {
    const char *prog;
    int lastb, extended, showhost, altlist, usedns, useip, json, merge;
    int verbose, host_db; /* --verbose; no -f: this host's wtmp/btmp or successor */
    const char *source;   /* ut_reader_source() of the open reader, for --json */
    const char *host_name_opt; /* --host-name, or NULL */
    const char *host_name;     /* host_name of --json lines */
    char host_buf[256];        /* this host's name */
    int name_len, domain_len;
    long maxrecs;
    char **show; /* user and tty arguments, NULL-terminated */
    int64_t since, until, present; /* 0 = not set, as in util-linux */
    int time_fmt;
    int64_t currentdate; /* when reading the file started */
    long recsdone;       /* lines printed, over all files */
    struct utx_follow fl; /* --follow, --since-offset, --checkpoint */
    uint64_t listed_to;   /* --follow: the end of what the listing read */
};

/* util-linux built against glibc before 2.40 reads the 32-bit tv_sec of
 * 384/382-byte records as signed (2106-era times show as 1901-1969);
 * utx reads them unsigned. To print what the host's `last` prints, fold
 * them back the same way on such hosts. */
#if defined(__GLIBC__) && (__GLIBC__ < 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ < 40))
#define LAST_SIGNED_TIME32 1
#else
#define LAST_SIGNED_TIME32 0
#endif

static int64_t host_time(ut_format format, int64_t sec)
{
    if (LAST_SIGNED_TIME32 && sec > INT32_MAX && sec <= (int64_t)UINT32_MAX &&
        (format == UT_FORMAT_LINUX_384_LE || format == UT_FORMAT_LINUX_384_BE ||
         format == UT_FORMAT_LINUX_382_BE))
        return sec - ((int64_t)1 << 32);
    return sec;
}

/* ------------------------------------------------------------------ */
/* time formatting                                                     */

static const char *const wday_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const mon_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* localtime_r() with a small cache of UTC quarter-hours: every UTC
 * offset in use is a multiple of 15 minutes and zones change offset only
 * at such instants, so within [q, q + 900) only the seconds move. wtmp
 * times come in runs, and localtime_r() is most of the cost of a line. */
static int local_tm(int64_t when, struct tm *tm)
{
    /* A few quarter-hours, by their number: a login and its logout often
     * fall in different ones, and one slot missed on every other call. */
    static struct {
        int64_t q;
        struct tm tm;
        int have;
    } slot[4];
    int64_t q = when - ((when % 900) + 900) % 900;
    int d = (int)(when - q);
    int k = (int)((uint64_t)(q / 900) & 3);
    if (!slot[k].have || q != slot[k].q) {
        time_t t = (time_t)q;
        if (!localtime_r(&t, &slot[k].tm)) {
            slot[k].have = 0;
            t = (time_t)when;
            return localtime_r(&t, tm) != NULL;
        }
        slot[k].q = q;
        slot[k].have = 1;
    }
    *tm = slot[k].tm;
    tm->tm_sec += d % 60;
    tm->tm_min += d / 60;
    if (tm->tm_sec > 59 || tm->tm_min > 59) { /* a zone not on the quarter-hour grid */
        time_t t = (time_t)when;
        return localtime_r(&t, tm) != NULL;
    }
    return 1;
}

/* strlcpy: copy at most n - 1 bytes of src and a NUL (strnlen and
 * memcpy: a byte loop was a tenth of `last`'s listing time). */
static void copy_str(char *dst, size_t n, const char *src)
{
    size_t i = strnlen(src, n - 1);
    memcpy(dst, src, i);
    dst[i] = '\0';
}

/* "00" to "99", two bytes each. */
static const char two_digits[] = "0001020304050607080910111213141516171819"
                                 "2021222324252627282930313233343536373839"
                                 "4041424344454647484950515253545556575859"
                                 "6061626364656667686970717273747576777879"
                                 "8081828384858687888990919293949596979899";

/* put_num() but for two digits. */
static char *put_num_wide(char *p, long long v, int width)
{
    char tmp[24];
    if (width <= 4 && v >= 1000 && v < 10000) { /* years */
        p[0] = (char)('0' + v / 1000);
        p[1] = (char)('0' + v / 100 % 10);
        p[2] = (char)('0' + v / 10 % 10);
        p[3] = (char)('0' + v % 10);
        return p + 4;
    }
    int n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) { /* printf's %0Nd: the sign counts in the width */
        *p++ = '-';
        width--;
    }
    while (width-- > n)
        *p++ = '0';
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* Decimal digits of v, zero-padded to `width`; returns the end. */
static inline char *put_num(char *p, long long v, int width)
{
    if (width == 2 && v >= 0 && v < 100) { /* hours, minutes, seconds */
        memcpy(p, two_digits + 2 * v, 2);
        return p + 2;
    }
    return put_num_wide(p, v, width);
}

/* Seconds east of UTC at `when` (like tm_gmtoff, portably). */
static long utc_offset(int64_t when, const struct tm *local)
{
    struct tm g;
    time_t t = (time_t)when;
    long days;
    if (!gmtime_r(&t, &g))
        return 0;
    days = (long)(local->tm_year - g.tm_year) * 366 + (local->tm_yday - g.tm_yday);
    if (local->tm_year != g.tm_year)
        days = local->tm_year > g.tm_year ? 1 : -1;
    return ((days * 24 + (local->tm_hour - g.tm_hour)) * 60 + (local->tm_min - g.tm_min)) * 60 +
           (local->tm_sec - g.tm_sec);
}

/* format_time's text of one local time TM (of WHEN) in FMT at DST; the
 * offset of its seconds' two digits in *SEC_AT (-1: none shown). Returns
 * its length. */
static size_t format_tm(int fmt, char *dst, int64_t when, const struct tm *t, int *sec_at)
{
    struct tm tm = *t;
    char *p = dst;
    *sec_at = -1;
    switch (fmt) {
    case TF_HHMM:
        p = put_num(p, tm.tm_hour, 2);
        *p++ = ':';
        p = put_num(p, tm.tm_min, 2);
        break;
    case TF_CTIME: /* "%.3s %.3s%3d %.2d:%.2d:%.2d %d" */
        memcpy(p, wday_names[tm.tm_wday % 7], 3);
        p[3] = ' ';
        memcpy(p + 4, mon_names[tm.tm_mon % 12], 3);
        p += 7;
        *p++ = tm.tm_mday < 100 ? ' ' : (char)('0' + tm.tm_mday / 100 % 10);
        *p++ = tm.tm_mday < 10 ? ' ' : (char)('0' + tm.tm_mday / 10 % 10);
        *p++ = (char)('0' + tm.tm_mday % 10);
        *p++ = ' ';
        p = put_num(p, tm.tm_hour, 2);
        *p++ = ':';
        p = put_num(p, tm.tm_min, 2);
        *p++ = ':';
        *sec_at = (int)(p - dst);
        p = put_num(p, tm.tm_sec, 2);
        *p++ = ' ';
        p = put_num(p, 1900LL + tm.tm_year, 0);
        break;
    case TF_ISO: {
        long off = utc_offset(when, &tm);
        char sign = off < 0 ? '-' : '+';
        if (off < 0)
            off = -off;
        off %= 100 * 3600; /* keeps the output bounded */
        p = put_num(p, 1900LL + tm.tm_year, 4);
        *p++ = '-';
        p = put_num(p, tm.tm_mon + 1, 2);
        *p++ = '-';
        p = put_num(p, tm.tm_mday, 2);
        *p++ = 'T';
        p = put_num(p, tm.tm_hour, 2);
        *p++ = ':';
        p = put_num(p, tm.tm_min, 2);
        *p++ = ':';
        *sec_at = (int)(p - dst);
        p = put_num(p, tm.tm_sec, 2);
        *p++ = sign;
        p = put_num(p, off / 3600, 2);
        *p++ = ':';
        p = put_num(p, off % 3600 / 60, 2);
        break;
    }
    }
    *p = '\0';
    return (size_t)(p - dst);
}

/* The text of one UTC minute in one format (format_time's cache). */
struct minute_text {
    int64_t minute; /* its first second */
    int have, sec_at;
    int min_at, tm_min; /* where the local minute's digits are, and its value */
    size_t len;
    char text[64];
};

/* Per format (login and logout times have their own), 8 minutes. */
static struct minute_text minute_texts[TF_HHMM + 1][8];

/* format_time() of a minute not kept (the Qth, from second M): formats it
 * and keeps it in C. */
static size_t format_minute(int fmt, char *dst, size_t len, int64_t when, int64_t q,
                            int64_t m, struct minute_text *c)
{
    struct tm tm;
    int k;
    /* The minute before or after, when kept and in the same UTC quarter-
     * hour (local_tm's rule: the offset is the same all through it), is
     * the same text but for the minute's two digits, unless the local
     * hour changes in between. */
    for (k = -1; m >= 0 && m < INT64_MAX / 2 && k <= 1; k += 2) {
        const struct minute_text *o = &minute_texts[fmt][(uint64_t)(q + k) & 7];
        int lm = o->tm_min - k;
        if (o->have && o->minute == m + 60 * k && m / 900 == (m + 60 * k) / 900 && lm >= 0 &&
            lm <= 59) {
            *c = *o;
            c->minute = m;
            c->tm_min = lm;
            memcpy(c->text + c->min_at, two_digits + 2 * lm, 2);
            memcpy(dst, c->text, sizeof c->text);
            if (c->sec_at >= 0)
                memcpy(dst + c->sec_at, two_digits + 2 * (when - m), 2);
            return c->len;
        }
    }
    if (!local_tm(when, &tm)) {
        int n = snprintf(dst, len, "%lld", (long long)when);
        return n > 0 ? (size_t)n : 0;
    }
    c->len = format_tm(fmt, dst, when, &tm, &c->sec_at);
    /* HH:MM, or "...:MM:SS..." */
    c->min_at = fmt == TF_HHMM ? 3 : c->sec_at - 3;
    c->tm_min = tm.tm_min;
    /* Kept when the local minute is the UTC one. */
    c->have = tm.tm_sec == (int)(when - m) && c->min_at >= 0;
    c->minute = m;
    memcpy(c->text, dst, sizeof c->text);
    return c->len;
}

/* util-linux time_formatter(): "" (none), "HH:MM", ctime() without the
 * newline, or ISO 8601 with the UTC offset, at DST (which holds at least
 * 64 bytes); returns the length of the text.
 * The text of a few UTC minutes is kept: within one, only the seconds
 * change (in zones whose offset is whole minutes: checked). */
static inline size_t format_time(int fmt, char *dst, size_t len, int64_t when)
{
    struct minute_text *c;
    int64_t q, m; /* the minute's number (floor(when / 60)) and first second */
    int d;
    dst[0] = '\0';
    if (fmt <= TF_NONE || fmt > TF_HHMM || len < 64)
        return 0;
    if (when >= 0) {
        q = (int64_t)((uint64_t)when / 60);
        m = q * 60;
    } else if (when >= INT64_MIN + 60) {
        m = when - ((when % 60) + 60) % 60;
        q = m / 60;
    } else { /* no minute of its own: localtime_r fails there anyway */
        int n = snprintf(dst, len, "%lld", (long long)when);
        return n > 0 ? (size_t)n : 0;
    }
    d = (int)(when - m);
    c = &minute_texts[fmt][(uint64_t)q & 7];
    if (!c->have || c->minute != m)
        return format_minute(fmt, dst, len, when, q, m, c);
    memcpy(dst, c->text, sizeof c->text);
    if (c->sec_at >= 0)
        memcpy(dst + c->sec_at, two_digits + 2 * d, 2);
    return c->len;
}

/* ------------------------------------------------------------------ */
/* time parsing (-s, -t, -p): absolute local times                     */

static int parse_num(const char **p, int digits, int *out)
{
    int v = 0, i;
    for (i = 0; i < digits; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return 0;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += digits;
    *out = v;
    return 1;
}

/* "YYYY-MM-DD[ hh:mm[:ss]]", "hh:mm[:ss]" (today), "@SECONDS", "now",
 * "today", "yesterday", "tomorrow". */
static int parse_time(const char *s, int64_t *out)
{
    time_t now = time(NULL);
    struct tm tm;
    const char *p = s;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, have_date = 0;
    time_t t;

    if (s[0] == '@') {
        char *end;
        long long v;
        errno = 0;
        v = strtoll(s + 1, &end, 10);
        if (errno || end == s + 1 || *end)
            return -1;
        *out = v;
        return 0;
    }
    if (!strcmp(s, "now")) {
        *out = (int64_t)now;
        return 0;
    }
    if (!localtime_r(&now, &tm))
        return -1;
    tm.tm_isdst = -1;
    if (!strcmp(s, "today") || !strcmp(s, "yesterday") || !strcmp(s, "tomorrow")) {
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        tm.tm_mday += !strcmp(s, "yesterday") ? -1 : !strcmp(s, "tomorrow") ? 1 : 0;
        *out = (int64_t)mktime(&tm);
        return 0;
    }
    if (parse_num(&p, 4, &y) && *p == '-') {
        p++;
        if (!parse_num(&p, 2, &mo) || *p++ != '-' || !parse_num(&p, 2, &d))
            return -1;
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        have_date = 1;
        if (*p == ' ' || *p == 'T')
            p++;
        else if (*p)
            return -1;
    } else {
        p = s;
    }
    if (*p) {
        if (!parse_num(&p, 2, &h) || *p++ != ':' || !parse_num(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (!parse_num(&p, 2, &sec))
                return -1;
        }
        if (*p)
            return -1;
    } else if (!have_date) {
        return -1;
    }
    if (h > 23 || mi > 59 || sec > 60 || (have_date && (mo < 1 || mo > 12 || d < 1 || d > 31)))
        return -1;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    t = mktime(&tm);
    if (t == (time_t)-1)
        return -1;
    *out = (int64_t)t;
    return 0;
}

/* ------------------------------------------------------------------ */
/* output of one line (util-linux list())                              */

/* isprint() (and what fputc_careful() passes as it is) and isspace() of
 * every byte in the current locale, computed once: the listing asks for
 * bytes of every line. */
#define BYTE_PRINTS 1
#define BYTE_SPACE 2
static const unsigned char *byte_class(void)
{
    static unsigned char table[256];
    static int ready;
    int c;
    if (!ready) {
        for (c = 0; c < 256; c++)
            table[c] = (unsigned char)((isprint(c) || c == '\a' || c == '\t' || c == '\r' ||
                                                c == '\n'
                                            ? BYTE_PRINTS
                                            : 0) |
                                       (isspace(c) ? BYTE_SPACE : 0));
        ready = 1;
    }
    return table;
}

/* The listing's lines go through this buffer to stdout, 64 KiB per
 * write; last_flush() hands them over before anything else is written to
 * stdout (JSON, "begins", messages on stderr) and at the end. */
static struct utx_obuf last_ob;
static int last_ob_eager; /* stdout is a terminal: each line as it is made */

static void last_flush(void)
{
    if (last_ob.out)
        utx_ob_flush(&last_ob);
}

/* Room one line may take in last_ob: the fields at their widest (a 255-byte
 * host twice at most, times, spaces) before the cut at FINAL_LEN - 1 bytes,
 * and those bytes at 4 each after put_careful. */
#define LINE_ROOM 4096

/* Whether the N bytes at S print as they are (put_careful would leave
 * them). Printable ASCII (0x20-0x7e, printable in every locale) is
 * checked 8 bytes at a time: per byte, no high bit, >= 0x20 (b + 0x60
 * sets the high bit) and not 0x7f (b + 1 does not). The words may run
 * up to 7 bytes past N (S must have that many more readable bytes): when
 * any byte is not printable ASCII, the locale's table decides the N bytes
 * themselves. */
static inline int prints_as_is(const char *s, size_t n)
{
    const uint64_t hi = 0x8080808080808080ULL;
    const unsigned char *cls;
    uint64_t odd = 0;
    size_t i;
    for (i = 0; i < n; i += 8) {
        uint64_t w, t;
        memcpy(&w, s + i, 8);
        t = w & ~hi;
        odd |= ~(~w & (t + 0x6060606060606060ULL) & ~(t + 0x0101010101010101ULL)) & hi;
    }
    if (!odd)
        return 1;
    cls = byte_class();
    for (i = 0; i < n; i++)
        if (!(cls[(unsigned char)s[i]] & BYTE_PRINTS))
            return 0;
    return 1;
}

/* The N bytes at S as util-linux prints them, through fputc_careful(c,
 * stdout, '*'): control characters as '*' and the character ^ 0x40,
 * other non-ASCII bytes as a backslash and 3 octal digits. S is where
 * the line was written in last_ob; returns where its careful text ends. */
static char *put_careful(char *s, size_t n)
{
    const unsigned char *cls = byte_class();
    char raw[FINAL_LEN + 1], *p = s;
    size_t i;
    memcpy(raw, s, n); /* n <= FINAL_LEN: the cut line and its newline */
    for (i = 0; i < n; i++) {
        unsigned char u = (unsigned char)raw[i];
        if (cls[u] & BYTE_PRINTS) {
            *p++ = (char)u;
        } else if (u >= 0x80) {
            *p++ = '\\';
            *p++ = (char)('0' + (u >> 6));
            *p++ = (char)('0' + ((u >> 3) & 7));
            *p++ = (char)('0' + (u & 7));
        } else {
            *p++ = '*';
            *p++ = (char)(u ^ 0x40);
        }
    }
    return p;
}

/* printf's "%-W.Ps" of S whose length, already cut to P, is N: the end.
 * Writes up to UTX_SPACES_SLACK bytes past it. */
static inline char *put_col(char *p, const char *s, size_t n, int width)
{
    memcpy(p, s, n);
    return utx_put_spaces(p + n, width - (int)n);
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* util-linux trim_trailing_spaces() on the n bytes at s: cut trailing
 * white space, end with "\n" (and a NUL); returns the new length. */
static size_t trim_trailing_spaces(char *s, size_t n)
{
    const unsigned char *cls = byte_class();
    char *p = s + n;
    while (p > s && (cls[(unsigned char)*--p] & BYTE_SPACE))
        continue;
    if (p > s)
        ++p;
    *p++ = '\n';
    *p = '\0';
    return (size_t)(p - s);
}

/* The host column with -i/-d: the address through getnameinfo, treating
 * the 16 bytes as util-linux does (IPv4 when words 1-3 are zero or for a
 * v4-mapped address). Returns 0 on success. */
static int dns_lookup(char *out, size_t len, int numeric, const uint8_t addr[16])
{
    static const uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    int mapped = memcmp(addr, mapped_prefix, 12) == 0;
    int v4 = mapped;
    size_t i;
    if (!v4) {
        v4 = 1;
        for (i = 4; i < 16; i++)
            if (addr[i])
                v4 = 0;
    }
    if (v4) {
        struct sockaddr_in sin;
        memset(&sin, 0, sizeof sin);
        sin.sin_family = AF_INET;
        memcpy(&sin.sin_addr, mapped ? addr + 12 : addr, 4);
        return getnameinfo((struct sockaddr *)&sin, sizeof sin, out, (socklen_t)len, NULL, 0,
                           numeric ? NI_NUMERICHOST : 0);
    } else {
        struct sockaddr_in6 sin6;
        memset(&sin6, 0, sizeof sin6);
        sin6.sin6_family = AF_INET6;
        memcpy(&sin6.sin6_addr, addr, 16);
        return getnameinfo((struct sockaddr *)&sin6, sizeof sin6, out, (socklen_t)len, NULL, 0,
                           numeric ? NI_NUMERICHOST : 0);
    }
}

/* What one printed line is made of. */
struct line_in {
    const char *user, *line, *host;
    const uint8_t *addr;
    int64_t login, logout;
    int what;
};

/* Print one line unless filtered. Returns 1 when the -n limit is reached.
 * The line is util-linux list()'s, built straight into last_ob. */
static int list(struct last_ctl *ctl, const struct line_in *in)
{
    char domain[UT_HOST_FIELD], length[32];
    const char *host = in->host, *lo_text = NULL, *len_text = NULL;
    size_t ln, n, hlen = 0, lenlen, total;
    int fmt = ctl->time_fmt, plain;
    int il = timefmts[fmt].in_len, ol = timefmts[fmt].out_len;
    char *start, *p, *host_at = NULL;
    size_t data_len;

    /* The line, at most 32 bytes, with ftpNNN and uucpNNN cut. */
    ln = strnlen(in->line, UT_LINE_FIELD);
    if (ln > 3 && memcmp(in->line, "ftp", 3) == 0 && isdigit((unsigned char)in->line[3]))
        ln = 3;
    else if (ln > 4 && memcmp(in->line, "uucp", 4) == 0 && isdigit((unsigned char)in->line[4]))
        ln = 4;

    if (ctl->show) {
        char utline[UT_LINE_FIELD + 1], **walk;
        memcpy(utline, in->line, ln);
        utline[ln] = '\0';
        for (walk = ctl->show; *walk; walk++) {
            if (strncmp(in->user, *walk, UT_USER_FIELD) == 0 || strcmp(utline, *walk) == 0 ||
                (strncmp(utline, "tty", 3) == 0 && strcmp(utline + 3, *walk) == 0))
                break;
        }
        if (*walk == NULL)
            return 0;
    }
    if (ctl->present) {
        if (ctl->present < in->login)
            return 0;
        if (0 < in->logout && in->logout < ctl->present)
            return 0;
    }

    /* The logout column and the length when they are words, not a time
     * and a duration (util-linux overwrites them in this order). */
    if (in->logout == ctl->currentdate) {
        lo_text = fmt > TF_SHORT ? "  still running" : "  still";
        len_text = fmt > TF_SHORT ? "" : "running";
    }
    switch (in->what) {
    case R_CRASH:
        lo_text = "- crash";
        break;
    case R_DOWN:
        lo_text = "- down ";
        break;
    case R_NOW:
        lo_text = fmt > TF_SHORT ? "  still logged in" : "  still";
        len_text = fmt > TF_SHORT ? "" : "logged in";
        break;
    case R_PHANTOM:
        if (fmt > TF_SHORT) {
            lo_text = "  gone - no logout";
            len_text = "";
        } else if (fmt == TF_SHORT) {
            lo_text = "   gone";
            len_text = "- no logout";
        } else {
            lo_text = "";
            len_text = "no logout";
        }
        break;
    case R_TIMECHANGE:
        lo_text = "";
        len_text = "";
        break;
    default:
        break;
    }
    if (len_text) {
        lenlen = strlen(len_text);
    } else {
        /* "(%d+%02d:%02d)", " (%02d:%02d)" or " (-00:%02d)"; hours and
         * minutes print without a sign even when secs < 0, as there. */
        int64_t secs = in->logout - in->login;
        int mins, hours, days;
        if (secs >= 0 && secs < 86400) { /* the usual case, without signed divisions */
            unsigned u = (unsigned)secs;
            mins = (int)(u / 60 % 60);
            hours = (int)(u / 3600);
            days = 0;
        } else {
            mins = (int)((secs / 60) % 60);
            hours = (int)((secs / 3600) % 24);
            days = (int)(secs / 86400);
        }
        p = length;
        if (days) {
            *p++ = '(';
            p = put_num(p, days, 0);
            *p++ = '+';
            p = put_num(p, abs(hours), 2);
        } else {
            *p++ = ' ';
            *p++ = '(';
            if (hours || secs >= 0)
                p = put_num(p, hours, 2);
            else {
                memcpy(p, "-00", 3);
                p += 3;
            }
        }
        *p++ = ':';
        p = put_num(p, (days || hours || secs < 0) ? abs(mins) : mins, 2);
        *p++ = ')';
        len_text = length;
        lenlen = (size_t)(p - length);
    }

    if (ctl->showhost) {
        /* At most 255 bytes of the host (util-linux's copy into a
         * 256-byte buffer), or its address through getnameinfo. */
        if ((ctl->usedns || ctl->useip) &&
            dns_lookup(domain, sizeof domain, ctl->useip, in->addr) == 0)
            host = domain;
        hlen = strnlen(host, ctl->altlist ? UT_HOST_FIELD - 1
                                          : min_size(UT_HOST_FIELD - 1, (size_t)ctl->domain_len));
    }

    /* The snprintf of util-linux list(), field by field: "%-8.*s
     * %-12.12s %-16.*s %-*.*s %-*.*s %s\n" (or the -a / -R shapes),
     * cut at FINAL_LEN - 1 bytes like its snprintf into final[512]. */
    start = p = utx_ob_room(&last_ob, LINE_ROOM);
    p = put_col(p, in->user, strnlen(in->user, (size_t)ctl->name_len), 8);
    *p++ = ' ';
    p = put_col(p, in->line, min_size(ln, 12), 12);
    *p++ = ' ';
    if (ctl->showhost && !ctl->altlist) {
        p = put_col(p, host, hlen, 16);
        *p++ = ' ';
    }
    /* The file's strings end here (but for the host of -a): the rest is
     * text of our own, which prints as it is. */
    data_len = (size_t)(p - start);
    /* The times are formatted in place (format_time needs 64 bytes). */
    n = format_time(timefmts[fmt].in_fmt, p, 96, in->login);
    p = utx_put_spaces(p + min_size(n, (size_t)il), il - (int)min_size(n, (size_t)il));
    *p++ = ' ';
    if (lo_text) {
        p = put_col(p, lo_text, min_size(strlen(lo_text), (size_t)ol), ol);
    } else {
        p[0] = '-';
        p[1] = ' ';
        n = 2 + format_time(timefmts[fmt].out_fmt, p + 2, 96, in->logout);
        p = utx_put_spaces(p + min_size(n, (size_t)ol), ol - (int)min_size(n, (size_t)ol));
    }
    *p++ = ' ';
    if (ctl->showhost && ctl->altlist) {
        p = put_col(p, len_text, min_size(lenlen, 12), 12);
        *p++ = ' ';
        memcpy(p, host, hlen);
        host_at = p;
        p += hlen;
    } else {
        memcpy(p, len_text, lenlen);
        p += lenlen;
    }
    *p++ = '\n';
    /* Checked now that the line is written: the words may read into the
     * text after the strings (and past the line, into last_ob's room). */
    plain = prints_as_is(start, data_len) && (!host_at || prints_as_is(host_at, hlen));
    /* util-linux's snprintf into final[512] keeps 511 bytes; its result
     * (the full length) decides the extra newline. */
    total = (size_t)(p - start);
    n = trim_trailing_spaces(start, min_size(total, FINAL_LEN - 1));
    p = plain ? start + n : put_careful(start, n);
    if (total >= FINAL_LEN)
        *p++ = '\n';
    utx_ob_commit(&last_ob, p);
    if (last_ob_eager)
        last_flush();

    ctl->recsdone++;
    return ctl->maxrecs && ctl->maxrecs <= ctl->recsdone;
}

/* ------------------------------------------------------------------ */
/* JSON output                                                         */

static const char *const kind_names[] = {"user", "reboot", "shutdown", "runlevel", "clock"};
static const char *const end_names[] = {"logged-out", "still-logged-in", "gone", "crash",
                                        "down", "still-running", "instant"};

/* ,"source":"…" (what the reader opened: a path, "wtmpdb:PATH", …). */
static void json_source(const struct last_ctl *ctl)
{
    fputs(",\"source\":", stdout);
    utx_json_str(stdout, ctl->source ? ctl->source : "");
    fputs(",\"host_name\":", stdout);
    utx_json_str(stdout, ctl->host_name ? ctl->host_name : "");
}

static void json_session(const struct last_ctl *ctl, const ut_session *s)
{
    last_flush();
    printf("{\"kind\":\"%s\",\"user\":", s->kind < 5 ? kind_names[s->kind] : "unknown");
    utx_json_str(stdout, s->user);
    fputs(",\"line\":", stdout);
    utx_json_str(stdout, s->line);
    fputs(",\"id\":", stdout);
    utx_json_str(stdout, s->id);
    fputs(",\"host\":", stdout);
    utx_json_str(stdout, s->host);
    fputs(",\"addr\":", stdout);
    utx_json_str(stdout, s->addr_text);
    printf(",\"pid\":%lld,\"login\":%lld.%06d,\"logout\":", (long long)s->pid,
           (long long)s->login_sec, (int)s->login_usec);
    if (s->flags & UT_SESSION_HAS_LOGOUT)
        printf("%lld.%06d", (long long)s->logout_sec, (int)s->logout_usec);
    else
        fputs("null", stdout);
    printf(",\"end\":\"%s\",\"login_offset\":%llu,\"logout_offset\":",
           s->end < 7 ? end_names[s->end] : "unknown", (unsigned long long)s->login_offset);
    if (s->logout_offset >= 0)
        printf("%lld", (long long)s->logout_offset);
    else
        fputs("null", stdout);
    if (s->kind == UT_KIND_RUN_LEVEL)
        printf(",\"runlevel\":\"%c\"", isprint(s->runlevel & 0xff) ? s->runlevel & 0xff : '?');
    if (s->kind == UT_KIND_CLOCK_CHANGE)
        printf(",\"clock\":\"%s\"", s->time_change == UT_TIME_CHANGE_NEW ? "new" : "old");
    json_source(ctl);
    fputs("}\n", stdout);
}

static void json_entry(const struct last_ctl *ctl, const ut_entry *e)
{
    last_flush();
    fputs("{\"user\":", stdout);
    utx_json_str(stdout, e->user);
    fputs(",\"line\":", stdout);
    utx_json_str(stdout, e->line);
    fputs(",\"host\":", stdout);
    utx_json_str(stdout, e->host);
    fputs(",\"addr\":", stdout);
    utx_json_str(stdout, e->addr_text);
    printf(",\"pid\":%lld,\"time\":%lld.%06d,\"type\":\"%s\",\"offset\":%llu",
           (long long)e->pid, (long long)e->sec, (int)e->usec,
           ut_type_name(e->entry_type) ? ut_type_name(e->entry_type) : "?",
           (unsigned long long)e->offset);
    json_source(ctl);
    fputs("}\n", stdout);
}

/* ------------------------------------------------------------------ */
/* one file                                                            */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* When the file begins: its first record's time, else its ctime. */
static int64_t begin_time(const char *path, ut_format format)
{
    struct ut_reader *r = NULL;
    const ut_entry *e;
    struct stat st;
    if (ut_reader_open(path, format, 0, &r, NULL, 0) == UT_OK) {
        int st_ok = ut_reader_next(r, &e);
        if (st_ok == UT_OK && !(e->flags & UT_ENTRY_PARTIAL_RECORD)) {
            int64_t t = host_time(e->format, e->sec);
            ut_reader_close(r);
            return t;
        }
        ut_reader_close(r);
    }
    if (stat(path, &st) == 0)
        return (int64_t)st.st_ctime;
    return 0;
}

static int file_size_is_zero(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0;
}

/* The line for one session, as util-linux builds it; 0 when not listed. */
static int session_line(const struct last_ctl *ctl, const ut_session *s, char *line,
                        size_t linelen, struct line_in *in)
{
    int has = (s->flags & UT_SESSION_HAS_LOGOUT) != 0;
    int64_t logout = host_time(s->format, s->logout_sec);
    in->user = s->user;
    in->host = s->host;
    in->addr = s->addr;
    in->login = host_time(s->format, s->login_sec);
    in->line = s->line; /* list() reads at most UT_LINE_FIELD bytes of it */
    switch (s->kind) {
    case UT_KIND_USER:
        in->logout = has ? logout : 0;
        switch (s->end) {
        case UT_ENDED_CRASH:
            in->what = R_CRASH;
            break;
        case UT_ENDED_DOWN:
            in->what = R_DOWN;
            break;
        case UT_ENDED_GONE: /* the library's last rule (is_phantom) */
            in->what = R_PHANTOM;
            break;
        case UT_ENDED_STILL_LOGGED_IN:
            in->what = R_NOW;
            break;
        default:
            in->what = R_NORMAL;
        }
        return 1;
    case UT_KIND_REBOOT:
        /* Typed boot records of other systems (FreeBSD) carry no user. */
        if (!s->user[0])
            in->user = "reboot";
        copy_str(line, linelen, "system boot");
        in->line = line;
        in->logout = has ? logout : ctl->currentdate;
        in->what = R_REBOOT;
        return 1;
    case UT_KIND_SHUTDOWN:
        if (!s->user[0])
            in->user = "shutdown";
        copy_str(line, linelen, "system down");
        in->line = line;
        in->logout = has ? logout : 0;
        in->what = R_NORMAL;
        return ctl->extended;
    case UT_KIND_RUN_LEVEL:
        snprintf(line, linelen, "(to lvl %c)", (char)(s->runlevel & 0xff));
        in->line = line;
        in->logout = has ? logout : ctl->currentdate;
        in->what = R_NORMAL;
        return ctl->extended;
    case UT_KIND_CLOCK_CHANGE:
        snprintf(line, linelen, "%s",
                 s->time_change == UT_TIME_CHANGE_NEW ? "new time" : "old time");
        in->line = line;
        in->logout = has ? logout : ctl->currentdate;
        in->what = R_TIMECHANGE;
        return ctl->extended;
    default:
        return 0;
    }
}

static int reader_failed(const struct last_ctl *ctl, struct ut_reader *r, int st,
                         const char *path)
{
    const char *msg = NULL;
    int32_t os_errno = 0;
    char buf[256];
    ut_reader_error(r, &msg, &os_errno);
    last_flush();
    fflush(stdout);
    fprintf(stderr, "%s: %s: %s\n", ctl->prog, path,
            os_errno > 0 ? strerror((int)os_errno) : utx_os_message(NULL, st, msg, buf, sizeof buf));
    return 1;
}

/* Open `path`, or with --merge all `files` as one history. */
static int open_input(const struct last_ctl *ctl, const char *path, char **files, size_t nfiles,
                      struct ut_reader **r, char *err, size_t errlen)
{
    if (ctl->host_db) /* wtmp, else wtmpdb (modern.c) */
        return ut_reader_open_db(ctl->lastb ? UT_DB_BTMP : UT_DB_WTMP, UT_OPEN_REVERSE, r, err,
                                 errlen);
    if (ctl->merge && nfiles > 1)
        return ut_reader_open_files((const char *const *)files, nfiles, UT_FORMAT_AUTO,
                                    UT_OPEN_REVERSE, r, err, errlen);
    return ut_reader_open(path, UT_FORMAT_AUTO, UT_OPEN_REVERSE, r, err, errlen);
}

static int process_file(struct last_ctl *ctl, const char *path, char **files, size_t nfiles)
{
    struct ut_reader *r = NULL;
    struct ut_sessions *ss = NULL;
    char err[256], srcfile[4096];
    int st, rc = 0, quit = 0;
    int64_t begintime;

    ctl->currentdate = (int64_t)time(NULL);

    st = open_input(ctl, path, files, nfiles, &r, err, sizeof err);
    if (st == UT_OK && ctl->host_db && utx_source_file(r, srcfile, sizeof srcfile))
        path = srcfile; /* e.g. the wtmpdb database that replaced wtmp */
    if (st == UT_OK && ctl->verbose)
        utx_print_source(stderr, r);
    /* --follow goes on exactly where this (reverse) reader starts. */
    if (st == UT_OK && ctl->fl.follow && ut_reader_tell(r, &ctl->listed_to) != UT_OK)
        ctl->listed_to = UINT64_MAX; /* the end */
    ctl->source = NULL;
    if (st == UT_OK && ut_reader_source(r, &ctl->source) != UT_OK)
        ctl->source = NULL;
    /* The first record's time, read now (as util-linux does before its
     * loop), with the format already detected. */
    {
        ut_format format = UT_FORMAT_AUTO;
        if (st == UT_OK && !(ctl->merge && nfiles > 1))
            ut_reader_format(r, &format);
        begintime = begin_time(path, format);
    }
    if (st != UT_OK) {
        /* util-linux lists an empty file as just "begins <ctime>"; a
         * directory opens but cannot be read: a warning, then the same. */
        struct stat sb;
        char buf[256];
        if (!ctl->host_db && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            last_flush();
            fflush(stdout);
            fprintf(stderr, "%s: cannot read %s: %s\n", ctl->prog, path, strerror(EISDIR));
        } else if (!file_size_is_zero(path)) {
            last_flush();
            fflush(stdout);
            fprintf(stderr, "%s: cannot open %s: %s\n", ctl->prog, path,
                    utx_os_message(ctl->host_db ? NULL : path, st, err, buf, sizeof buf));
            return 1;
        }
        quit = 1;
    }
    if (!quit && (ctl->since || ctl->until))
        ut_reader_set_time_range(r, ctl->since ? ctl->since : INT64_MIN,
                                 ctl->until ? ctl->until : INT64_MAX);
    /* -t: everything newer than `until` is skipped anyway, so start at the
     * newest entry at or before it instead of reading the tail. */
    if (!quit && ctl->until && (st = ut_reader_seek_time(r, ctl->until)) != UT_OK) {
        rc = reader_failed(ctl, r, st, path);
        quit = 1;
    }

    if (!quit && ctl->lastb) {
        const ut_entry *e;
        while (!quit && (st = ut_reader_next(r, &e)) == UT_OK) {
            struct line_in in;
            if (ctl->json) {
                json_entry(ctl, e);
                ctl->recsdone++;
                quit = ctl->maxrecs && ctl->maxrecs <= ctl->recsdone;
                continue;
            }
            in.user = e->user;
            in.line = e->line;
            in.host = e->host;
            in.addr = e->addr;
            in.login = in.logout = host_time(e->format, e->sec);
            in.what = R_NORMAL;
            quit = list(ctl, &in);
        }
        if (st < 0)
            rc = reader_failed(ctl, r, st, path);
    } else if (!quit) {
        const ut_session *s;
        st = ut_sessions_open(r, 0, &ss, err, sizeof err);
        if (st != UT_OK) {
            char buf[256];
            fprintf(stderr, "%s: %s: %s\n", ctl->prog, path,
                    utx_os_message(NULL, st, err, buf, sizeof buf));
            ut_reader_close(r);
            return 1;
        }
        while (!quit && (st = ut_sessions_next(ss, &s)) == UT_OK) {
            char line[UT_LINE_FIELD + 1];
            struct line_in in;
            if (!session_line(ctl, s, line, sizeof line, &in))
                continue;
            if (ctl->json) {
                json_session(ctl, s);
                ctl->recsdone++;
                quit = ctl->maxrecs && ctl->maxrecs <= ctl->recsdone;
                continue;
            }
            quit = list(ctl, &in);
        }
        if (st < 0)
            rc = reader_failed(ctl, r, st, path);
        ut_sessions_close(ss);
    }
    if (r && getenv("UTX_LAST_CHUNKS")) {
        uint64_t chunks = 0;
        ut_reader_chunks_read(r, &chunks);
        fprintf(stderr, "%s: %s: %llu chunks read\n", ctl->prog, path, (unsigned long long)chunks);
    }
    ut_reader_close(r);
    ctl->source = NULL; /* it belonged to the reader */

    if (!ctl->json && ctl->time_fmt != TF_NONE) {
        char timestr[96];
        format_time(timefmts[ctl->time_fmt].in_fmt, timestr, sizeof timestr, begintime);
        last_flush();
        printf("\n%s begins %s\n", base_name(path), timestr);
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* --follow                                                            */

/* A login seen while following, kept until its logout. */
struct open_login {
    char user[UT_USER_FIELD + 1], line[UT_LINE_FIELD + 1], id[8], host[UT_HOST_FIELD + 1];
    char addr_text[64];
    uint8_t addr[16];
    uint32_t addr_family;
    int64_t pid, sec;
    int32_t usec;
    uint64_t offset;
    ut_format format;
    int used;
};

#define OPEN_LOGINS 256

struct follow_ctx {
    struct last_ctl *ctl;
    struct open_login open[OPEN_LOGINS];
    unsigned next_victim; /* the slot reused when all are taken */
};

/* A session of kind KIND beginning with the record O. */
static void session_from(ut_session *s, const struct open_login *o, uint32_t kind, uint32_t end)
{
    memset(s, 0, sizeof *s);
    s->size = sizeof *s;
    s->kind = kind;
    s->end = end;
    s->user = o->user;
    s->line = o->line;
    s->id = o->id;
    s->host = o->host;
    s->addr_family = o->addr_family;
    memcpy(s->addr, o->addr, sizeof s->addr);
    s->addr_text = o->addr_text;
    s->pid = o->pid;
    s->login_sec = o->sec;
    s->login_usec = o->usec;
    s->login_offset = o->offset;
    s->logout_offset = -1;
    s->runlevel = -1;
    s->format = o->format;
}

static void keep(struct open_login *o, const ut_entry *e)
{
    copy_str(o->user, sizeof o->user, e->user);
    copy_str(o->line, sizeof o->line, e->line);
    copy_str(o->id, sizeof o->id, e->id);
    copy_str(o->host, sizeof o->host, e->host);
    copy_str(o->addr_text, sizeof o->addr_text, e->addr_text);
    memcpy(o->addr, e->addr, sizeof o->addr);
    o->addr_family = e->addr_family;
    o->pid = e->pid;
    o->sec = e->sec;
    o->usec = e->usec;
    o->offset = e->offset;
    o->format = e->format;
    o->used = 1;
}

static void show_session(struct last_ctl *ctl, const ut_session *s)
{
    char line[UT_LINE_FIELD + 1];
    struct line_in in;
    if (!session_line(ctl, s, line, sizeof line, &in))
        return;
    if (ctl->json)
        json_session(ctl, s);
    else
        (void)list(ctl, &in); /* -n limits the listing, not the following */
    last_flush();
}

/* The slot of the login on LINE, or NULL. */
static struct open_login *open_on(struct follow_ctx *c, const char *line)
{
    size_t i;
    for (i = 0; i < OPEN_LOGINS; i++)
        if (c->open[i].used && strcmp(c->open[i].line, line) == 0)
            return &c->open[i];
    return NULL;
}

/* One record appended to the file: lastb prints it; last prints a login
 * as it happens (still logged in), the session again when its logout
 * (same line) comes, and boots (still running). */
static int follow_show(void *ctx, const ut_entry *e)
{
    struct follow_ctx *c = ctx;
    struct last_ctl *ctl = c->ctl;
    struct open_login *o, boot;
    ut_session s;
    size_t i;

    ctl->currentdate = (int64_t)time(NULL);
    if (ctl->lastb) {
        struct line_in in;
        if (ctl->json) {
            json_entry(ctl, e);
            return 0;
        }
        in.user = e->user;
        in.line = e->line;
        in.host = e->host;
        in.addr = e->addr;
        in.login = in.logout = host_time(e->format, e->sec);
        in.what = R_NORMAL;
        (void)list(ctl, &in);
        last_flush();
        return 0;
    }
    switch (e->entry_type) {
    case UT_TYPE_USER_PROCESS:
        if (!e->user[0] || !e->line[0])
            return 0;
        o = open_on(c, e->line);
        for (i = 0; o == NULL && i < OPEN_LOGINS; i++)
            if (!c->open[i].used)
                o = &c->open[i];
        if (o == NULL)
            o = &c->open[c->next_victim++ % OPEN_LOGINS];
        keep(o, e);
        session_from(&s, o, UT_KIND_USER, UT_ENDED_STILL_LOGGED_IN);
        show_session(ctl, &s);
        return 0;
    case UT_TYPE_DEAD_PROCESS:
        o = e->line[0] ? open_on(c, e->line) : NULL;
        if (o == NULL)
            return 0; /* logged in before the following began */
        session_from(&s, o, UT_KIND_USER, UT_ENDED_LOGGED_OUT);
        s.flags = UT_SESSION_HAS_LOGOUT;
        s.logout_sec = e->sec;
        s.logout_usec = e->usec;
        s.logout_offset = (int64_t)e->offset;
        show_session(ctl, &s);
        o->used = 0;
        return 0;
    case UT_TYPE_BOOT_TIME:
        memset(&boot, 0, sizeof boot);
        keep(&boot, e);
        session_from(&s, &boot, UT_KIND_REBOOT, UT_ENDED_STILL_RUNNING);
        show_session(ctl, &s);
        return 0;
    default:
        return 0;
    }
}

/* After the listing of PATH: follow it from where the listing's reader
 * began (or from --since-offset / --checkpoint, with no listing). */
static int last_follow(struct last_ctl *ctl, const char *path)
{
    struct utx_input in = {NULL, UT_DB_WTMP, UT_FORMAT_AUTO, 0};
    struct follow_ctx *c = calloc(1, sizeof *c);
    int rc;

    if (c == NULL) {
        fprintf(stderr, "%s: out of memory\n", ctl->prog);
        return 1;
    }
    c->ctl = ctl;
    in.db = ctl->lastb ? UT_DB_BTMP : UT_DB_WTMP;
    if (!ctl->host_db)
        in.path = path;
    if (!ctl->fl.checkpoint && !ctl->fl.have_offset) {
        ctl->fl.have_offset = 1;
        ctl->fl.offset = ctl->listed_to;
    }
    ctl->source = path;
    rc = utx_follow_run(&in, &ctl->fl, follow_show, c, NULL);
    ctl->source = NULL;
    free(c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* command line                                                        */

static void usage(const struct last_ctl *ctl, FILE *out)
{
    fprintf(out,
            "Usage:\n utx %s [options] [<username>...] [<tty>...]\n\n"
            "%s\n\n"
            "Options:\n"
            " -<number>            how many lines to show\n"
            " -a, --hostlast       display hostnames in the last column\n"
            " -d, --dns            translate the IP number back into a hostname\n"
            " -f, --file <file>    use a specific file instead of %s (repeatable)\n"
            " -F, --fulltimes      print full login and logout times and dates\n"
            " -i, --ip             display IP numbers in numbers-and-dots notation\n"
            " -n, --limit <number> how many lines to show\n"
            " -R, --nohostname     don't display the hostname field\n"
            " -s, --since <time>   display the lines since the specified time\n"
            " -t, --until <time>   display the lines until the specified time\n"
            " -p, --present <time> display who were present at the specified time\n"
            " -w, --fullnames      display full user and domain names\n"
            " -x, --system         display system shutdown entries and run level changes\n"
            "     --time-format <format>  show timestamps in the specified <format>:\n"
            "                               notime|short|full|iso\n"
            "     --json           print sessions as JSON lines\n"
            "     --merge          read all -f files as one history, oldest first\n"
            "                      (rotated logs: -f wtmp.2.gz -f wtmp.1 -f wtmp)\n"
            "     --follow         then print sessions as records are appended\n"
            "     --since-offset <offset>  with --follow: no listing; start at a byte offset\n"
            "     --checkpoint <file>  with --follow: resume at the offset kept in <file>\n"
            "     --host-name <name>  the host_name of --json lines (default: this host's\n"
            "                      name without -f or with --follow, else empty)\n"
            "     --verbose        name the source read on stderr (without -f: wtmp,\n"
            "                      or wtmpdb where this system has no wtmp)\n"
            " -h, --help           display this help\n"
            " -V, --version        display version\n",
            ctl->prog,
            ctl->lastb ? "Show a listing of failed login attempts (bad logins, from btmp)."
                       : "Show a listing of last logged in users.",
            ctl->lastb ? "/var/log/btmp" : "/var/log/wtmp");
}

static const struct {
    const char *name;
    int has_arg;
    int key;
} long_opts[] = {
    {"limit", 1, 'n'},     {"help", 0, 'h'},     {"file", 1, 'f'},      {"nohostname", 0, 'R'},
    {"hostlast", 0, 'a'},  {"since", 1, 's'},    {"until", 1, 't'},     {"present", 1, 'p'},
    {"system", 0, 'x'},    {"dns", 0, 'd'},      {"ip", 0, 'i'},        {"fulltimes", 0, 'F'},
    {"fullnames", 0, 'w'}, {"time-format", 1, 'T'}, {"json", 0, 'J'},
    {"merge", 0, 'M'},     {"verbose", 0, 'v'},    {"version", 0, 'V'},
    {"follow", 0, LAST_OPT_FOLLOW}, {"since-offset", 1, LAST_OPT_SINCE_OFFSET},
    {"checkpoint", 1, LAST_OPT_CHECKPOINT}, {"host-name", 1, LAST_OPT_HOST_NAME},
};

/* --follow, --since-offset N, --checkpoint FILE (follow.c parses them). */
static int apply_follow(struct last_ctl *ctl, int key, const char *arg)
{
    char opt[64];
    char *argv[3];
    int i = 0;
    snprintf(opt, sizeof opt, "--%s", key == LAST_OPT_FOLLOW ? "follow"
                                      : key == LAST_OPT_CHECKPOINT ? "checkpoint"
                                                                   : "since-offset");
    argv[0] = opt;
    argv[1] = (char *)(arg ? arg : "");
    argv[2] = NULL;
    return utx_parse_follow_opt(arg ? 2 : 1, argv, &i, &ctl->fl, 0) == 1 ? 0 : -1;
}

static int parse_long_number(const struct last_ctl *ctl, const char *s, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < INT32_MIN || v > INT32_MAX) {
        fprintf(stderr, "%s: failed to parse number: '%s'\n", ctl->prog, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Apply one option; returns 0, or -1 after an error message. */
static int apply(struct last_ctl *ctl, int key, const char *arg, char ***files, size_t *nfiles)
{
    int64_t t;
    size_t i;
    if (key == LAST_OPT_HOST_NAME) {
        ctl->host_name_opt = arg;
        return 0;
    }
    if (key >= LAST_OPT_FOLLOW)
        return apply_follow(ctl, key, arg);
    switch (key) {
    case 'R': ctl->showhost = 0; break;
    case 'x': ctl->extended = 1; break;
    case 'd': ctl->usedns = 1; break;
    case 'i': ctl->useip = 1; break;
    case 'a': ctl->altlist = 1; break;
    case 'F': ctl->time_fmt = TF_CTIME; break;
    case 'J': ctl->json = 1; break;
    case 'M': ctl->merge = 1; break;
    case 'v': ctl->verbose = 1; break;
    case 'w':
        if (ctl->name_len < UT_USER_FIELD)
            ctl->name_len = UT_USER_FIELD;
        if (ctl->domain_len < UT_HOST_FIELD)
            ctl->domain_len = UT_HOST_FIELD;
        break;
    case 'n':
        return parse_long_number(ctl, arg, &ctl->maxrecs);
    case 'f':
        (*files)[(*nfiles)++] = (char *)arg;
        break;
    case 's': case 't': case 'p':
        if (parse_time(arg, &t) < 0) {
            fprintf(stderr, "%s: invalid time value \"%s\"\n", ctl->prog, arg);
            return -1;
        }
        if (key == 's')
            ctl->since = t;
        else if (key == 't')
            ctl->until = t;
        else
            ctl->present = t;
        break;
    case 'T':
        for (i = 0; i < sizeof timefmts / sizeof timefmts[0]; i++)
            if (!strcmp(timefmts[i].name, arg))
                break;
        if (i == sizeof timefmts / sizeof timefmts[0]) {
            fprintf(stderr, "%s: unknown time format: %s\n", ctl->prog, arg);
            return -1;
        }
        ctl->time_fmt = (int)i;
        break;
    default:
        if (key >= '0' && key <= '9') {
            ctl->maxrecs = 10 * ctl->maxrecs + (key - '0');
            break;
        }
        return -1;
    }
    return 0;
}

int utx_last_main(int argc, char **argv)
{
    struct last_ctl ctl;
    char **files, **rest;
    size_t nfiles = 0, nrest = 0, i;
    int a, rc = 0, only_args = 0, saw_F = 0, saw_tf = 0;

    memset(&ctl, 0, sizeof ctl);
    last_ob_eager = isatty(STDOUT_FILENO);
    if (!last_ob_eager)
        setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    utx_ob_init(&last_ob, stdout);
    ctl.prog = argc > 0 && strcmp(base_name(argv[0]), "lastb") == 0 ? "lastb" : "last";
    ctl.lastb = ctl.prog[4] == 'b';
    ctl.showhost = 1;
    ctl.name_len = LAST_LOGIN_LEN;
    ctl.domain_len = LAST_DOMAIN_LEN;
    ctl.time_fmt = TF_SHORT;

    files = calloc((size_t)argc + 1, sizeof *files);
    rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!files || !rest) {
        free(files);
        free(rest);
        fprintf(stderr, "%s: out of memory\n", ctl.prog);
        return 1;
    }

    /* getopt_long-style: options and arguments in any order, "--" ends. */
    for (a = 1; a < argc; a++) {
        const char *arg = argv[a];
        if (only_args || arg[0] != '-' || arg[1] == '\0') {
            rest[nrest++] = argv[a];
            continue;
        }
        if (!strcmp(arg, "--")) {
            only_args = 1;
            continue;
        }
        if (arg[1] == '-') {
            const char *name = arg + 2, *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name), k, match = SIZE_MAX, nmatch = 0;
            const char *val = NULL;
            for (k = 0; k < sizeof long_opts / sizeof long_opts[0]; k++) {
                if (strncmp(long_opts[k].name, name, n) == 0) {
                    if (strlen(long_opts[k].name) == n) {
                        match = k;
                        nmatch = 1;
                        break;
                    }
                    match = k;
                    nmatch++;
                }
            }
            if (nmatch != 1) {
                fprintf(stderr, "%s: %s option '%s'\n", ctl.prog,
                        nmatch ? "ambiguous" : "unrecognized", arg);
                rc = 2;
                goto out;
            }
            if (long_opts[match].key == 'h') {
                usage(&ctl, stdout);
                goto out;
            }
            if (long_opts[match].key == 'V') {
                printf("%s from utx %s\n", ctl.prog, ut_version());
                goto out;
            }
            if (long_opts[match].has_arg) {
                if (eq)
                    val = eq + 1;
                else if (a + 1 < argc)
                    val = argv[++a];
                else {
                    fprintf(stderr, "%s: option '--%s' requires an argument\n", ctl.prog,
                            long_opts[match].name);
                    rc = 2;
                    goto out;
                }
            } else if (eq) {
                fprintf(stderr, "%s: option '--%s' doesn't allow an argument\n", ctl.prog,
                        long_opts[match].name);
                rc = 2;
                goto out;
            }
            saw_F |= long_opts[match].key == 'F';
            saw_tf |= long_opts[match].key == 'T';
            if (apply(&ctl, long_opts[match].key, val, &files, &nfiles) < 0) {
                rc = 1;
                goto out;
            }
            continue;
        }
        for (i = 1; arg[i]; i++) {
            int c = (unsigned char)arg[i];
            const char *val = NULL;
            if (c == 'h') {
                usage(&ctl, stdout);
                goto out;
            }
            if (c == 'V') {
                printf("%s from utx %s\n", ctl.prog, ut_version());
                goto out;
            }
            if (!strchr("fnRxadFitps0123456789w", c)) {
                fprintf(stderr, "%s: invalid option -- '%c'\n", ctl.prog, c);
                rc = 2;
                goto out;
            }
            if (strchr("fntps", c)) {
                if (arg[i + 1])
                    val = arg + i + 1;
                else if (a + 1 < argc)
                    val = argv[++a];
                else {
                    fprintf(stderr, "%s: option requires an argument -- '%c'\n", ctl.prog, c);
                    rc = 2;
                    goto out;
                }
            }
            saw_F |= c == 'F';
            if (apply(&ctl, c, val, &files, &nfiles) < 0) {
                rc = 1;
                goto out;
            }
            if (val)
                break;
        }
    }
    if (saw_F && saw_tf) {
        fprintf(stderr, "%s: options --fulltimes and --time-format are mutually exclusive\n",
                ctl.prog);
        rc = 1;
        goto out;
    }
    if (nrest)
        ctl.show = rest;
    if (!nfiles) {
        files[nfiles++] = ctl.lastb ? "/var/log/btmp" : "/var/log/wtmp";
        ctl.host_db = 1;
    }
    ctl.host_name = utx_host_name(ctl.host_name_opt, ctl.host_db || ctl.fl.follow,
                                  ctl.host_buf, sizeof ctl.host_buf);

    if (ctl.fl.follow && (ctl.fl.checkpoint || ctl.fl.have_offset))
        ; /* resuming: no listing, only what follows the offset */
    else if (ctl.merge)
        rc = process_file(&ctl, files[0], files, nfiles);
    else
        for (i = 0; i < nfiles; i++)
            if (process_file(&ctl, files[i], files, 1))
                rc = 1;
    if (ctl.fl.follow && rc == 0)
        rc = last_follow(&ctl, files[nfiles - 1]);
    last_flush();
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: write error\n", ctl.prog);
        rc = 1;
    }
out:
    free(files);
    free(rest);
    return rc;
}
