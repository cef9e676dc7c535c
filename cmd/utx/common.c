/*
 * common.c - helpers shared by the parts of the `utx` command: opening
 * the input, error reporting, time formatting, utmpdump-style cleansing,
 * JSON strings.  See common.h.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define ERRBUF_SIZE 512

/* ------------------------------------------------------------------ */
/* messages                                                            */

/* The output buffer last bound (utx_ob_init): what it holds goes out
 * before any message. */
static struct utx_obuf *ob_bound;

void utx_err(const char *fmt, ...)
{
    va_list ap;
    /* keep stdout and stderr in order on a terminal or in one file */
    if (ob_bound != NULL)
        utx_ob_flush(ob_bound);
    fflush(stdout);
    fputs("utx: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ------------------------------------------------------------------ */
/* input                                                               */

static const char *db_name(ut_database db)
{
    switch (db) {
    case UT_DB_UTMP:
        return "utmp";
    case UT_DB_WTMP:
        return "wtmp";
    case UT_DB_BTMP:
        return "btmp";
    case UT_DB_LASTLOG:
        return "lastlog";
    default:
        return "database";
    }
}

const char *utx_input_label(const struct utx_input *in)
{
    return in->path ? in->path : db_name(in->db);
}

void utx_list_format_names(FILE *out, const char *sep)
{
    ut_format f;
    const char *before = "";
    for (f = 0; f < 256; f++) {
        const char *name = ut_format_name(f);
        if (name != NULL) {
            fprintf(out, "%s%s", before, name);
            before = sep;
        }
    }
}

int utx_parse_format_opt(int argc, char **argv, int *i, struct utx_input *in)
{
    const char *arg = argv[*i];
    const char *name;
    ut_format f;

    if (strncmp(arg, "--format=", 9) == 0) {
        name = arg + 9;
    } else if (strcmp(arg, "--format") == 0) {
        if (*i + 1 >= argc) {
            utx_err("--format needs a format name");
            return -1;
        }
        name = argv[++*i];
    } else {
        return 0;
    }
    if (ut_format_from_name(name, &f) != UT_OK) {
        fflush(stdout);
        fprintf(stderr, "utx: unknown format '%s'; valid names: ", name);
        utx_list_format_names(stderr, ", ");
        fputc('\n', stderr);
        return -1;
    }
    in->format = f;
    return 1;
}

/* Skip PREFIX and ": " at the start of S, if S starts so. */
static const char *skip_prefix(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n) == 0 && s[n] == ':' && s[n + 1] == ' ')
        return s + n + 2;
    return s;
}

const char *utx_os_message(const char *path, ut_status st, const char *msg, char *buf,
                           size_t n)
{
    const char *status = ut_status_str(st);
    char *cut;

    if (path != NULL &&
        (st == UT_ERR_NOT_FOUND || st == UT_ERR_PERMISSION || st == UT_ERR_IO ||
         st == UT_ERR_INVALID)) {
        /* The library keeps no errno for a failed open: ask the OS the
         * same question (open, then what the file is). */
        struct stat sb;
        int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
        int err = fd < 0 ? errno : 0;
        if (fd >= 0) {
            if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode))
                err = EISDIR;
            close(fd);
        }
        if (err != 0)
            return strerror(err);
    }
    if (msg == NULL || *msg == '\0')
        return status;
    if (path != NULL)
        msg = skip_prefix(msg, path);
    msg = skip_prefix(msg, status);
    snprintf(buf, n, "%s", msg);
    /* no Rust wording: " (os error N)" */
    cut = strstr(buf, " (os error ");
    if (cut != NULL)
        *cut = '\0';
    return buf;
}

/* "utx: LABEL: MESSAGE" (PATH: the file whose errno to look up). */
static void report(const char *label, const char *path, ut_status st, const char *msg)
{
    char buf[ERRBUF_SIZE];
    utx_err("%s: %s", label, utx_os_message(path, st, msg, buf, sizeof(buf)));
}

int utx_open(const struct utx_input *in, ut_reader **out)
{
    char errbuf[ERRBUF_SIZE] = "";
    ut_status st;

    if (in->path != NULL) {
        st = ut_reader_open(in->path, in->format, in->flags, out, errbuf,
                            sizeof(errbuf));
    } else if (in->format != UT_FORMAT_AUTO) {
        utx_err("--format applies to a FILE, not to this host's %s",
                db_name(in->db));
        return UTX_EXIT_USAGE;
    } else {
        st = ut_reader_open_db(in->db, in->flags, out, errbuf, sizeof(errbuf));
    }
    if (st == UT_OK)
        return UTX_EXIT_OK;
    if (in->path == NULL && (st == UT_ERR_NOT_FOUND || st == UT_ERR_UNSUPPORTED)) {
        /* The message names the paths looked at. */
        char buf[ERRBUF_SIZE];
        utx_err("%s", utx_os_message(NULL, st, errbuf, buf, sizeof(buf)));
        return UTX_EXIT_NO_DB;
    }
    report(utx_input_label(in), in->path, st, errbuf);
    return UTX_EXIT_FAIL;
}

ut_status utx_next_slow(ut_reader *r, const char *label, const ut_entry **e, ut_status st)
{
    for (;; st = ut_reader_next(r, e)) {
        if (st == UT_OK && ((*e)->flags & UT_ENTRY_PARTIAL_RECORD)) {
            utx_err("%s: trailing partial record at offset %" PRIu64 " ignored",
                    label, (*e)->offset);
            continue;
        }
        if (st < 0) {
            const char *msg = NULL;
            int32_t os_errno = 0;
            ut_reader_error(r, &msg, &os_errno);
            if (os_errno > 0)
                utx_err("%s: %s", label, strerror((int)os_errno));
            else
                report(label, NULL, st, msg);
        }
        if (st == UT_END) {
            uint64_t skipped = 0;
            if (ut_reader_skipped(r, &skipped) == UT_OK && skipped > 0)
                utx_err("%s: %" PRIu64 " corrupt record%s skipped", label, skipped, skipped == 1 ? "" : "s");
        }
        return st;
    }
}

/* ------------------------------------------------------------------ */
/* formats                                                             */

const char *utx_format_name(ut_format f)
{
    const char *name = ut_format_name(f);
    return name ? name : "unknown";
}

int utx_format_has_time32(ut_format f)
{
    switch (f) {
    case UT_FORMAT_LINUX_384_LE:
    case UT_FORMAT_LINUX_384_BE:
    case UT_FORMAT_LINUX_382_BE:
    case UT_FORMAT_LASTLOG_292_LE:
    case UT_FORMAT_LASTLOG_292_BE:
        return 1;
    default:
        return 0;
    }
}

int utx_format_is_linux_utmp(ut_format f)
{
    return (f >= UT_FORMAT_LINUX_384_LE && f <= UT_FORMAT_UTMPS_400_BE) ||
           f == UT_FORMAT_UTMPDUMP_TEXT;
}

/* ------------------------------------------------------------------ */
/* time                                                                */

int64_t utx_peer_sec(const ut_entry *e)
{
    const int64_t two31 = INT64_C(1) << 31;
    if (utx_format_has_time32(e->format) && e->sec >= two31 &&
        e->sec < 2 * two31)
        return e->sec - 2 * two31;
    return e->sec;
}

/* Floor division, for negative times. */
static int64_t div_floor(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Seconds since 1970-01-01 to a civil date (H. Hinnant's days_from_civil
 * inverse), for the whole int64 range. */
void utx_civil_utc(int64_t sec, struct utx_civil *c)
{
    int64_t days = sec / 86400, rem = sec % 86400; /* no overflow at INT64_MIN */
    int64_t z, era, doe, yoe, doy, mp;

    if (rem < 0) {
        rem += 86400;
        days--;
    }
    z = days + 719468;
    era = div_floor(z, 146097);
    doe = z - era * 146097;                                   /* 0..146096 */
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);            /* 0..365 */
    mp = (5 * doy + 2) / 153;                                 /* 0..11 */
    c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->year = yoe + era * 400 + (c->month <= 2);
    c->hour = (int)(rem / 3600);
    c->min = (int)(rem / 60 % 60);
    c->sec = (int)(rem % 60);
}

void utx_fmt_utmpdump_time(char *buf, size_t n, int64_t sec, int32_t usec)
{
    struct utx_civil c;
    utx_civil_utc(sec, &c);
    snprintf(buf, n, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d,%06ld+00:00",
             c.year, c.month, c.day, c.hour, c.min, c.sec, (long)usec);
}

void utx_fmt_rfc3339(char *buf, size_t n, int64_t sec, int32_t usec)
{
    struct utx_civil c;
    utx_civil_utc(sec, &c);
    if (usec >= 0 && usec < 1000000)
        snprintf(buf, n, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d.%06ldZ", c.year,
                 c.month, c.day, c.hour, c.min, c.sec, (long)usec);
    else
        snprintf(buf, n, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02dZ", c.year,
                 c.month, c.day, c.hour, c.min, c.sec);
}

int utx_localtime(int64_t sec, struct tm *tm)
{
    time_t t = (time_t)sec;
    if ((int64_t)t != sec)
        return 0;
    return localtime_r(&t, tm) != NULL;
}

/* ------------------------------------------------------------------ */
/* text                                                                */

void utx_cleanse(char *dst, size_t n, const char *src)
{
    size_t i;
    if (n == 0)
        return;
    for (i = 0; src[i] != '\0' && i + 1 < n; i++) {
        unsigned char b = (unsigned char)src[i];
        dst[i] = (b < 0x20 || b >= 0x7f || b == '[' || b == ']') ? '?' : (char)b;
    }
    dst[i] = '\0';
}

void utx_fmt_compat_addr(char *buf, size_t n, const ut_entry *e)
{
    int v6 = 0;
    size_t i;
    for (i = 4; i < sizeof(e->addr); i++)
        if (e->addr[i] != 0)
            v6 = 1;
    if (inet_ntop(v6 ? AF_INET6 : AF_INET, e->addr, buf, (socklen_t)n) == NULL)
        snprintf(buf, n, "?");
}

/* ------------------------------------------------------------------ */
/* buffered text output                                                */

void utx_ob_init(struct utx_obuf *b, FILE *out)
{
    b->out = out;
    b->len = 0;
    ob_bound = b;
}

void utx_ob_flush(struct utx_obuf *b)
{
    if (b->len > 0)
        fwrite(b->buf, 1, b->len, b->out);
    b->len = 0;
}

void utx_ob_write(struct utx_obuf *b, const char *s, size_t n)
{
    while (n > 0) {
        size_t k = UTX_OBUF_SIZE - b->len;
        if (k == 0) {
            utx_ob_flush(b);
            continue;
        }
        if (k > n)
            k = n;
        memcpy(b->buf + b->len, s, k);
        b->len += k;
        s += k;
        n -= k;
    }
}

const char utx_digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

/* The digits of V, at the end of a 20-byte TMP: the first one. */
static char *u64_digits(char *end, uint64_t v)
{
    const char *pairs = utx_digit_pairs;
    char *p = end;
    while (v >= 100) {
        unsigned k = (unsigned)(v % 100) * 2;
        v /= 100;
        *--p = pairs[k + 1];
        *--p = pairs[k];
    }
    if (v >= 10) {
        *--p = pairs[v * 2 + 1];
        *--p = pairs[v * 2];
    } else {
        *--p = (char)('0' + v);
    }
    return p;
}

char *utx_put_i64_zero(char *p, int64_t v, int width)
{
    char tmp[20], *d;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n;

    if (v < 0) {
        *p++ = '-';
        width--;
    }
    if (u < 10 && width <= 1) {
        *p = (char)('0' + u);
        return p + 1;
    }
    d = u64_digits(tmp + sizeof(tmp), u);
    n = (int)(tmp + sizeof(tmp) - d);
    while (width-- > n)
        *p++ = '0';
    memcpy(p, d, (size_t)n);
    return p + n;
}

char *utx_put_i64(char *p, int64_t v)
{
    return utx_put_i64_zero(p, v, 0);
}

/* What utx_cleanse writes for each byte; 0 for NUL. */
const char utx_cleanse_map[256] = {
    0, '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?',
    '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?',
    ' ', '!', '"', '#', '$', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
    '@', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', '?', '\\', '?', '^', '_',
    '`', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '{', '|', '}', '~', '?',
    '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?',
    '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?',
    '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?',
    '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?',
    '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?',
    '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?',
    '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?',
    '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?', '?',
};

const char utx_octet_dot[256][6] = {
    "0.\0\0\2", "1.\0\0\2", "2.\0\0\2", "3.\0\0\2", "4.\0\0\2", "5.\0\0\2", "6.\0\0\2", "7.\0\0\2",
    "8.\0\0\2", "9.\0\0\2", "10.\0\3", "11.\0\3", "12.\0\3", "13.\0\3", "14.\0\3", "15.\0\3",
    "16.\0\3", "17.\0\3", "18.\0\3", "19.\0\3", "20.\0\3", "21.\0\3", "22.\0\3", "23.\0\3",
    "24.\0\3", "25.\0\3", "26.\0\3", "27.\0\3", "28.\0\3", "29.\0\3", "30.\0\3", "31.\0\3",
    "32.\0\3", "33.\0\3", "34.\0\3", "35.\0\3", "36.\0\3", "37.\0\3", "38.\0\3", "39.\0\3",
    "40.\0\3", "41.\0\3", "42.\0\3", "43.\0\3", "44.\0\3", "45.\0\3", "46.\0\3", "47.\0\3",
    "48.\0\3", "49.\0\3", "50.\0\3", "51.\0\3", "52.\0\3", "53.\0\3", "54.\0\3", "55.\0\3",
    "56.\0\3", "57.\0\3", "58.\0\3", "59.\0\3", "60.\0\3", "61.\0\3", "62.\0\3", "63.\0\3",
    "64.\0\3", "65.\0\3", "66.\0\3", "67.\0\3", "68.\0\3", "69.\0\3", "70.\0\3", "71.\0\3",
    "72.\0\3", "73.\0\3", "74.\0\3", "75.\0\3", "76.\0\3", "77.\0\3", "78.\0\3", "79.\0\3",
    "80.\0\3", "81.\0\3", "82.\0\3", "83.\0\3", "84.\0\3", "85.\0\3", "86.\0\3", "87.\0\3",
    "88.\0\3", "89.\0\3", "90.\0\3", "91.\0\3", "92.\0\3", "93.\0\3", "94.\0\3", "95.\0\3",
    "96.\0\3", "97.\0\3", "98.\0\3", "99.\0\3", "100.\4", "101.\4", "102.\4", "103.\4",
    "104.\4", "105.\4", "106.\4", "107.\4", "108.\4", "109.\4", "110.\4", "111.\4",
    "112.\4", "113.\4", "114.\4", "115.\4", "116.\4", "117.\4", "118.\4", "119.\4",
    "120.\4", "121.\4", "122.\4", "123.\4", "124.\4", "125.\4", "126.\4", "127.\4",
    "128.\4", "129.\4", "130.\4", "131.\4", "132.\4", "133.\4", "134.\4", "135.\4",
    "136.\4", "137.\4", "138.\4", "139.\4", "140.\4", "141.\4", "142.\4", "143.\4",
    "144.\4", "145.\4", "146.\4", "147.\4", "148.\4", "149.\4", "150.\4", "151.\4",
    "152.\4", "153.\4", "154.\4", "155.\4", "156.\4", "157.\4", "158.\4", "159.\4",
    "160.\4", "161.\4", "162.\4", "163.\4", "164.\4", "165.\4", "166.\4", "167.\4",
    "168.\4", "169.\4", "170.\4", "171.\4", "172.\4", "173.\4", "174.\4", "175.\4",
    "176.\4", "177.\4", "178.\4", "179.\4", "180.\4", "181.\4", "182.\4", "183.\4",
    "184.\4", "185.\4", "186.\4", "187.\4", "188.\4", "189.\4", "190.\4", "191.\4",
    "192.\4", "193.\4", "194.\4", "195.\4", "196.\4", "197.\4", "198.\4", "199.\4",
    "200.\4", "201.\4", "202.\4", "203.\4", "204.\4", "205.\4", "206.\4", "207.\4",
    "208.\4", "209.\4", "210.\4", "211.\4", "212.\4", "213.\4", "214.\4", "215.\4",
    "216.\4", "217.\4", "218.\4", "219.\4", "220.\4", "221.\4", "222.\4", "223.\4",
    "224.\4", "225.\4", "226.\4", "227.\4", "228.\4", "229.\4", "230.\4", "231.\4",
    "232.\4", "233.\4", "234.\4", "235.\4", "236.\4", "237.\4", "238.\4", "239.\4",
    "240.\4", "241.\4", "242.\4", "243.\4", "244.\4", "245.\4", "246.\4", "247.\4",
    "248.\4", "249.\4", "250.\4", "251.\4", "252.\4", "253.\4", "254.\4", "255.\4",
};

char *utx_put_compat_addr_v6(char *p, const ut_entry *e)
{
    utx_fmt_compat_addr(p, 46, e);
    return p + strlen(p);
}

static char *put2(char *p, int v)
{
    memcpy(p, utx_digit_pairs + 2 * v, 2);
    return p + 2;
}

int utx_daycache_set(struct utx_daycache *c, int64_t sec)
{
    int r;

    if (!c->valid || sec < c->day_start || (uint64_t)sec - (uint64_t)c->day_start >= 86400) {
        struct utx_civil civ;
        utx_civil_utc(sec, &civ);
        if (civ.year < 0 || civ.year > 9999)
            return 0;
        snprintf(c->prefix, sizeof(c->prefix), "%04" PRId64 "-%02d-%02dT", civ.year, civ.month, civ.day);
        c->day_start = sec - ((int64_t)civ.hour * 3600 + civ.min * 60 + civ.sec);
        c->valid = 1;
    }
    /* The minute's text from the day's ("YYYY-MM-DDT": years 0..9999). */
    r = (int)(sec - c->day_start);
    memcpy(c->minute, c->prefix, 11);
    put2(c->minute + 11, r / 3600);
    c->minute[13] = ':';
    put2(c->minute + 14, r / 60 % 60);
    c->minute[16] = ':';
    c->min_start = sec - r % 60;
    c->min_valid = 1;
    return 1;
}

char *utx_put_utmpdump_time_slow(char *p, struct utx_daycache *c, int64_t sec, int32_t usec)
{
    if (usec < 0 || usec > 999999 || !utx_daycache_set(c, sec)) {
        /* Rare: as printf writes it, uncached. */
        utx_fmt_utmpdump_time(p, 64, sec, usec);
        return p + strlen(p);
    }
    return utx_put_utmpdump_time(p, c, sec, usec);
}

char *utx_put_rfc3339(char *p, struct utx_daycache *c, int64_t sec, int32_t usec)
{
    uint64_t s = (uint64_t)sec - (uint64_t)c->min_start;
    if (s >= 60 || !c->min_valid) {
        if (!utx_daycache_set(c, sec)) {
            utx_fmt_rfc3339(p, 64, sec, usec);
            return p + strlen(p);
        }
        s = (uint64_t)sec - (uint64_t)c->min_start;
    }
    memcpy(p, c->minute, 17);
    put2(p + 17, (int)s);
    if (usec < 0 || usec > 999999) {
        p[19] = 'Z';
        return p + 20;
    }
    p[19] = '.';
    put2(p + 20, usec / 10000);
    put2(p + 22, usec / 100 % 100);
    put2(p + 24, usec % 100);
    p[26] = 'Z';
    return p + 27;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

/* Length of the valid UTF-8 sequence at P (1..4), 0 if it is invalid. */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned char b = p[0];
    if (b < 0x80)
        return 1;
    if (b >= 0xc2 && b <= 0xdf)
        return (p[1] & 0xc0) == 0x80 ? 2 : 0;
    if (b >= 0xe0 && b <= 0xef) {
        unsigned char lo = (b == 0xe0) ? 0xa0 : 0x80; /* no overlongs */
        unsigned char hi = (b == 0xed) ? 0x9f : 0xbf; /* no surrogates */
        if (p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80)
            return 0;
        return 3;
    }
    if (b >= 0xf0 && b <= 0xf4) {
        unsigned char lo = (b == 0xf0) ? 0x90 : 0x80; /* no overlongs */
        unsigned char hi = (b == 0xf4) ? 0x8f : 0xbf; /* <= U+10FFFF */
        if (p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80 ||
            (p[3] & 0xc0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

int utx_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t k = utf8_seq(p);
        if (k == 0)
            return 0;
        p += k;
    }
    return 1;
}

/* The stdio forms write through a scratch buffer with the buffer forms
 * below, so there is one JSON encoder.  The scratch buffer is not bound
 * (utx_ob_init is not called): utx_err keeps flushing the caller's. */
static struct utx_obuf json_scratch;

void utx_json_str(FILE *out, const char *s)
{
    json_scratch.out = out;
    json_scratch.len = 0;
    utx_ob_json_str(&json_scratch, s);
    utx_ob_flush(&json_scratch);
}

void utx_json_hex(FILE *out, const char *s)
{
    json_scratch.out = out;
    json_scratch.len = 0;
    utx_ob_json_hex(&json_scratch, s);
    utx_ob_flush(&json_scratch);
}

/* ------------------------------------------------------------------ */
/* JSON into a buffer                                                  */

char *utx_put_u64(char *p, uint64_t v)
{
    char tmp[20], *d = u64_digits(tmp + sizeof(tmp), v);
    size_t n = (size_t)(tmp + sizeof(tmp) - d);
    memcpy(p, d, n);
    return p + n;
}

/* How utx_json_str writes each byte on its own: 0 copied as it is, 1 the
 * start of a UTF-8 sequence or an invalid byte (\u00XX), else the letter
 * of its short escape. */
static const unsigned char json_class[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 'b', 't', 'n', 1, 'f', 'r', 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, '"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Input bytes handled per room check (each becomes at most 6 bytes). */
#define JSON_STEP 1024

int utx_ob_json_str(struct utx_obuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *q = (const unsigned char *)s;
    int valid = 1;
    char *p = utx_ob_room(b, 1);

    *p++ = '"';
    utx_ob_commit(b, p);
    while (*q) {
        char *end;
        p = utx_ob_room(b, 6 * JSON_STEP + 8);
        end = p + 6 * JSON_STEP;
        while (*q && p < end) {
            unsigned char c = json_class[*q];
            size_t k;
            if (c == 0) {
                *p++ = (char)*q++;
                continue;
            }
            if (c != 1) {
                p[0] = '\\';
                p[1] = (char)c;
                p += 2;
                q++;
                continue;
            }
            k = utf8_seq(q);
            if (k > 1) {
                memcpy(p, q, k);
                p += k;
                q += k;
                continue;
            }
            /* controls, DEL, and each byte of an invalid sequence */
            valid &= k != 0;
            memcpy(p, "\\u00", 4);
            p[4] = hex[*q >> 4];
            p[5] = hex[*q & 15];
            p += 6;
            q++;
        }
        utx_ob_commit(b, p);
    }
    p = utx_ob_room(b, 1);
    *p++ = '"';
    utx_ob_commit(b, p);
    return valid;
}

void utx_ob_json_hex(struct utx_obuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *q = (const unsigned char *)s;
    char *p = utx_ob_room(b, 1);

    *p++ = '"';
    utx_ob_commit(b, p);
    while (*q) {
        char *end;
        p = utx_ob_room(b, 2 * JSON_STEP);
        end = p + 2 * JSON_STEP;
        for (; *q && p < end; q++) {
            p[0] = hex[*q >> 4];
            p[1] = hex[*q & 15];
            p += 2;
        }
        utx_ob_commit(b, p);
    }
    p = utx_ob_room(b, 1);
    *p++ = '"';
    utx_ob_commit(b, p);
}
