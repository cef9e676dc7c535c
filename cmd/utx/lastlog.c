/*
 * lastlog.c - `utx lastlog`: the last login of every account, the way
 * shadow 4.13 lastlog(8) prints it: every passwd account in passwd order,
 * "**Never logged in**" for those without a login, options -b, -t, -u
 * (a login, a uid or a uid range), -R/--root.
 *
 * Uses only utx.h (through common.h) and standard C / POSIX headers.
 */
#define _XOPEN_SOURCE 700

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "common.h"

/* shadow 4.13: ll_host is padded to the longest link-local IPv6 address
 * with an interface name (25 + 1 + IFNAMSIZ). */
#define LASTLOG_FROM_WIDTH 42

/* One last-login record, copied out of the reader. */
struct ll_rec {
    char *user, *line, *host, *service;
    int64_t uid, sec, peer_sec;
};

/* One passwd account. */
struct ll_account {
    char *name;
    uint64_t uid;
};

struct ll_ctl {
    struct utx_input in;
    const char *root, *user_arg;
    int verbose, json, before, recent, clear, set;
    int64_t before_sec, recent_sec, now;
    /* -u: a login or uid range (shadow's getrange) */
    int has_min, has_max;
    uint64_t umin, umax;
    struct ll_rec *recs;
    size_t nrecs;
    struct ll_account *accts;
    size_t naccts;
    int header_done;
};

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

/* ------------------------------------------------------------------ */
/* accounts: this host's (getpwent) or ROOT/etc/passwd                 */

static int add_account(struct ll_ctl *c, const char *name, uint64_t uid, size_t *cap)
{
    if (c->naccts == *cap) {
        size_t n = *cap ? *cap * 2 : 64;
        struct ll_account *a = realloc(c->accts, n * sizeof(*a));
        if (a == NULL)
            return -1;
        c->accts = a;
        *cap = n;
    }
    c->accts[c->naccts].name = dup_str(name);
    if (c->accts[c->naccts].name == NULL)
        return -1;
    c->accts[c->naccts++].uid = uid;
    return 0;
}

/* Read the accounts.  Returns 1 when there are accounts to list, 0 when
 * there is no passwd (a --root tree without etc/passwd), -1 on error. */
static int load_accounts(struct ll_ctl *c)
{
    size_t cap = 0;
    if (c->root == NULL) {
        struct passwd *pw;
        setpwent();
        while ((pw = getpwent()) != NULL)
            if (add_account(c, pw->pw_name, (uint64_t)pw->pw_uid, &cap) != 0) {
                endpwent();
                return -1;
            }
        endpwent();
        return 1;
    } else {
        /* passwd(5): name:password:uid:gid:gecos:dir:shell */
        size_t n = strlen(c->root) + sizeof("/etc/passwd");
        char *path = malloc(n), line[4096];
        FILE *f;
        if (path == NULL)
            return -1;
        snprintf(path, n, "%s/etc/passwd", c->root);
        f = fopen(path, "r");
        free(path);
        if (f == NULL)
            return 0;
        while (fgets(line, sizeof(line), f) != NULL) {
            char *name = line, *p = strchr(line, ':'), *end;
            unsigned long long uid;
            if (p == NULL || p == line)
                continue;
            *p++ = '\0';
            p = strchr(p, ':');
            if (p == NULL || !isdigit((unsigned char)p[1]))
                continue;
            errno = 0;
            uid = strtoull(p + 1, &end, 10);
            if (errno != 0 || *end != ':' || uid > UINT32_MAX)
                continue;
            if (add_account(c, name, uid, &cap) != 0) {
                fclose(f);
                return -1;
            }
        }
        fclose(f);
        return 1;
    }
}

static const struct ll_account *account_by_name(const struct ll_ctl *c, const char *name)
{
    size_t i;
    for (i = 0; i < c->naccts; i++)
        if (strcmp(c->accts[i].name, name) == 0)
            return &c->accts[i];
    return NULL;
}

static const struct ll_account *account_by_uid(const struct ll_ctl *c, uint64_t uid)
{
    size_t i;
    for (i = 0; i < c->naccts; i++)
        if (c->accts[i].uid == uid)
            return &c->accts[i];
    return NULL;
}

/* shadow's getrange(): "N", "N-", "-N", "N-M".  0 when R is none. */
static int parse_range(const char *r, struct ll_ctl *c)
{
    char *end;
    unsigned long n;
    errno = 0;
    if (r[0] == '-') {
        if (!isdigit((unsigned char)r[1]))
            return 0;
        n = strtoul(r + 1, &end, 10);
        if (*end != '\0' || errno == ERANGE)
            return 0;
        c->has_min = 0;
        c->has_max = 1;
        c->umax = n;
        return 1;
    }
    n = strtoul(r, &end, 10);
    if (errno == ERANGE)
        return 0;
    if (*end == '\0') {
        c->has_min = c->has_max = 1;
        c->umin = c->umax = n;
        return 1;
    }
    if (*end != '-')
        return 0;
    c->has_min = 1;
    c->umin = n;
    if (end[1] == '\0') {
        c->has_max = 0;
        return 1;
    }
    if (!isdigit((unsigned char)end[1]))
        return 0;
    n = strtoul(end + 1, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return 0;
    c->has_max = 1;
    c->umax = n;
    return 1;
}

/* -u: a login (of the accounts listed) or a uid range. */
static int resolve_user(struct ll_ctl *c)
{
    const struct ll_account *a = account_by_name(c, c->user_arg);
    struct passwd *pw = (a == NULL && c->root == NULL) ? getpwnam(c->user_arg) : NULL;
    if (a != NULL || pw != NULL) {
        c->has_min = c->has_max = 1;
        c->umin = c->umax = a != NULL ? a->uid : (uint64_t)pw->pw_uid;
        return 0;
    }
    if (parse_range(c->user_arg, c))
        return 0;
    fflush(stdout);
    fprintf(stderr, "utx lastlog: Unknown user or range: %s\n", c->user_arg);
    return -1;
}

static int uid_selected(const struct ll_ctl *c, uint64_t uid)
{
    if (c->user_arg == NULL)
        return 1;
    return !((c->has_min && uid < c->umin) || (c->has_max && uid > c->umax));
}

/* ------------------------------------------------------------------ */
/* records                                                             */

static int load_records(struct ll_ctl *c, ut_reader *r)
{
    const ut_entry *e;
    ut_status st;
    size_t cap = 0;

    ut_reader_set_types(r, UT_TYPE_BIT(UT_TYPE_LAST_LOGIN));
    while ((st = utx_next(r, utx_input_label(&c->in), &e)) == UT_OK) {
        struct ll_rec *x;
        if (e->entry_type != UT_TYPE_LAST_LOGIN)
            continue;
        if (c->nrecs == cap) {
            size_t n = cap ? cap * 2 : 64;
            struct ll_rec *a = realloc(c->recs, n * sizeof(*a));
            if (a == NULL)
                return -1;
            c->recs = a;
            cap = n;
        }
        x = &c->recs[c->nrecs];
        x->user = dup_str(e->user);
        x->line = dup_str(e->line);
        x->host = dup_str(e->host);
        x->service = dup_str(e->service);
        x->uid = e->uid;
        x->sec = e->sec;
        x->peer_sec = utx_peer_sec(e);
        c->nrecs++;
        if (!x->user || !x->line || !x->host || !x->service)
            return -1;
    }
    return st == UT_END ? 0 : -1;
}

/* The record of an account: by name (lastlog2), else by uid (lastlog). */
static const struct ll_rec *record_of(const struct ll_ctl *c, const char *name, uint64_t uid)
{
    size_t i;
    for (i = 0; i < c->nrecs; i++) {
        const struct ll_rec *x = &c->recs[i];
        if (x->user[0] != '\0' ? strcmp(x->user, name) == 0
                               : (x->uid >= 0 && (uint64_t)x->uid == uid))
            return x;
    }
    return NULL;
}

/* -t / -b as shadow applies them to the record's time T (0: none). */
static int time_selected(const struct ll_ctl *c, int64_t t)
{
    if (c->recent && c->now - t > c->recent_sec)
        return 0;
    if (c->before && c->now - t < c->before_sec)
        return 0;
    return 1;
}

static void print_line(struct ll_ctl *c, const char *name, const struct ll_rec *x)
{
    int64_t t = x != NULL ? x->peer_sec : 0;
    char when[80];
    struct tm tm;

    if (!time_selected(c, t))
        return;
    if (!c->header_done) {
        printf("Username         Port     From%*sLatest\n", LASTLOG_FROM_WIDTH - 3, " ");
        c->header_done = 1;
    }
    if (t == 0)
        snprintf(when, sizeof(when), "**Never logged in**");
    else if (!utx_localtime(t, &tm) ||
             strftime(when, sizeof(when), "%a %b %e %H:%M:%S %z %Y", &tm) == 0)
        snprintf(when, sizeof(when), "(unknown)");
    printf("%-16s %-8.8s %-*s%s\n", name, x != NULL ? x->line : "", LASTLOG_FROM_WIDTH,
           x != NULL ? x->host : "", when);
}

/* LASTLOG_UID_MAX of login.defs (ROOT's or this host's); shadow lists
 * no account above it unless -u asks. */
static uint64_t lastlog_uid_max(const struct ll_ctl *c)
{
    char path[4096], line[512];
    uint64_t max = UINT32_MAX;
    FILE *f;
    snprintf(path, sizeof(path), "%s/etc/login.defs", c->root != NULL ? c->root : "");
    f = fopen(path, "r");
    if (f == NULL)
        return max;
    while (fgets(line, sizeof(line), f) != NULL) {
        char *p = line, *end;
        unsigned long v;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncmp(p, "LASTLOG_UID_MAX", 15) != 0 || (p[15] != ' ' && p[15] != '\t'))
            continue;
        p += 15;
        while (*p == ' ' || *p == '\t')
            p++;
        errno = 0;
        v = strtoul(p, &end, 0);
        if (end != p && errno == 0 && (*end == '\0' || isspace((unsigned char)*end)))
            max = v;
    }
    fclose(f);
    return max;
}

/* shadow's listing: every selected account, in passwd order. */
static void list_accounts(struct ll_ctl *c)
{
    uint64_t uid_max = lastlog_uid_max(c);
    size_t i;
    if (c->user_arg != NULL && c->has_min && c->has_max && c->umin == c->umax) {
        const struct ll_account *a = account_by_uid(c, c->umin);
        if (a != NULL)
            print_line(c, a->name, record_of(c, a->name, a->uid));
        return;
    }
    for (i = 0; i < c->naccts; i++)
        if (c->user_arg != NULL ? uid_selected(c, c->accts[i].uid) : c->accts[i].uid <= uid_max)
            print_line(c, c->accts[i].name, record_of(c, c->accts[i].name, c->accts[i].uid));
}

/* The record's own user name, else the uid's account, else the uid. */
static const char *record_name(const struct ll_ctl *c, const struct ll_rec *x, char *buf,
                               size_t n)
{
    const struct ll_account *a;
    struct passwd *pw;
    if (x->user[0] != '\0')
        return x->user;
    if (x->uid < 0)
        return "?";
    a = account_by_uid(c, (uint64_t)x->uid);
    if (a != NULL)
        return a->name;
    pw = c->root == NULL ? getpwuid((uid_t)x->uid) : NULL;
    if (pw != NULL && pw->pw_name != NULL)
        return pw->pw_name;
    snprintf(buf, n, "%" PRId64, x->uid);
    return buf;
}

static int record_selected(const struct ll_ctl *c, const struct ll_rec *x)
{
    if (x->peer_sec == 0 || !time_selected(c, x->peer_sec))
        return 0;
    if (c->user_arg == NULL)
        return 1;
    if (x->user[0] != '\0') {
        const struct ll_account *a = account_by_name(c, x->user);
        struct passwd *pw = (a == NULL && c->root == NULL) ? getpwnam(x->user) : NULL;
        if (a == NULL && pw == NULL)
            return 0;
        return uid_selected(c, a != NULL ? a->uid : (uint64_t)pw->pw_uid);
    }
    return x->uid >= 0 && uid_selected(c, (uint64_t)x->uid);
}

/* -f FILE (a lastlog from elsewhere) or a tree without etc/passwd: the
 * records that hold a login, named by uid where no account has it. */
static void list_records(struct ll_ctl *c)
{
    size_t i;
    char buf[32];
    int found = 0;
    for (i = 0; i < c->nrecs; i++) {
        if (!record_selected(c, &c->recs[i]))
            continue;
        print_line(c, record_name(c, &c->recs[i], buf, sizeof(buf)), &c->recs[i]);
        found = 1;
    }
    /* one user asked for by name or uid: shadow's line without a login */
    if (!found && c->user_arg != NULL && c->has_min && c->has_max && c->umin == c->umax &&
        time_selected(c, 0)) {
        const struct ll_account *a = account_by_uid(c, c->umin);
        struct passwd *pw = (a == NULL && c->root == NULL) ? getpwuid((uid_t)c->umin) : NULL;
        snprintf(buf, sizeof(buf), "%" PRIu64, c->umin);
        print_line(c, a != NULL ? a->name : pw != NULL ? pw->pw_name : buf, NULL);
    }
}

static void json_list(struct ll_ctl *c, const ut_reader *r)
{
    size_t i;
    int first = 1;
    char buf[32], when[64];
    fputs("{\"source\":", stdout);
    utx_json_source(stdout, r);
    fputs(",\"logins\":[", stdout);
    for (i = 0; i < c->nrecs; i++) {
        const struct ll_rec *x = &c->recs[i];
        if (!record_selected(c, x))
            continue;
        utx_fmt_rfc3339(when, sizeof(when), x->sec, 0);
        fputs(first ? "{\"user\":" : ",{\"user\":", stdout);
        utx_json_str(stdout, record_name(c, x, buf, sizeof(buf)));
        fputs(",\"line\":", stdout);
        utx_json_str(stdout, x->line);
        fputs(",\"host\":", stdout);
        utx_json_str(stdout, x->host);
        fputs(",\"service\":", stdout);
        utx_json_str(stdout, x->service);
        printf(",\"uid\":%" PRId64 ",\"sec\":%" PRId64 ",\"time\":\"%s\"}", x->uid, x->sec,
               when);
        first = 0;
    }
    fputs("]}\n", stdout);
}

/* ------------------------------------------------------------------ */
/* command line                                                        */

static const char LASTLOG_USAGE[] =
    "usage: utx lastlog [options]\n"
    "  The last login of every account, like shadow lastlog: every passwd\n"
    "  account in passwd order, \"**Never logged in**\" for those without one.\n"
    "  Without -f: this host's lastlog, or lastlog2 where lastlog has none.\n"
    "  -b, --before DAYS    print only lastlog records older than DAYS\n"
    "  -C, --clear          clear lastlog record of a user (usable only with -u)\n"
    "  -h, --help           display this help message and exit\n"
    "  -R, --root DIR       read DIR/etc/passwd and DIR's lastlog (no chroot)\n"
    "  -S, --set            set lastlog record to current time (usable only with -u)\n"
    "  -t, --time DAYS      print only lastlog records more recent than DAYS\n"
    "  -u, --user LOGIN     print lastlog record of LOGIN, a UID or a UID range\n"
    "                       (as 5, 5-, -5 or 5-10)\n"
    "  -f FILE              read FILE, a lastlog from elsewhere: its records that\n"
    "                       hold a login, named by uid where no account has it\n"
    "      --format NAME    read FILE as this format instead of detecting it\n"
    "      --verbose        name the source on stderr\n"
    "      --json           one object {\"source\":…,\"logins\":[…]}\n"
    "  -V, --version        output version information and exit\n";

static const struct {
    const char *name;
    int has_arg;
    char key;
} LASTLOG_LONG[] = {
    {"before", 1, 'b'}, {"clear", 0, 'C'}, {"help", 0, 'h'},    {"root", 1, 'R'},
    {"set", 0, 'S'},    {"time", 1, 't'},  {"user", 1, 'u'},    {"version", 0, 'V'},
    {"verbose", 0, 'v'}, {"json", 0, 'j'}, {"file", 1, 'f'},
};

static int usage_error(void)
{
    fputs("Try 'utx lastlog --help' for more information.\n", stderr);
    return UTX_EXIT_USAGE;
}

/* DAYS of -b/-t, as seconds. */
static int parse_days(const char *s, int64_t *out)
{
    char *end;
    unsigned long v;
    errno = 0;
    v = strtoul(s, &end, 0);
    if (*s == '\0' || *end != '\0' || errno == ERANGE) {
        fflush(stdout);
        fprintf(stderr, "utx lastlog: invalid numeric argument '%s'\n", s);
        return -1;
    }
    *out = (int64_t)((uint64_t)v * 86400u);
    return 0;
}

/* Apply option KEY (its argument ARG); 1 to stop with OK (--help),
 * -1 after an error message, 0 otherwise. */
static int apply(struct ll_ctl *c, char key, const char *arg)
{
    switch (key) {
    case 'b':
        c->before = 1;
        return parse_days(arg, &c->before_sec);
    case 't':
        c->recent = 1;
        return parse_days(arg, &c->recent_sec);
    case 'C': c->clear = 1; return 0;
    case 'S': c->set = 1; return 0;
    case 'R': c->root = arg; return 0;
    case 'u': c->user_arg = arg; return 0;
    case 'f': c->in.path = arg; return 0;
    case 'v': c->verbose = 1; return 0;
    case 'j': c->json = 1; return 0;
    case 'h':
        fputs(LASTLOG_USAGE, stdout);
        return 1;
    case 'V':
        printf("lastlog (utx) %s\n", ut_version());
        return 1;
    default:
        return -1;
    }
}

static int parse_args(struct ll_ctl *c, int argc, char **argv)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *arg = NULL;
        char key = 0;
        int k = utx_parse_format_opt(argc, argv, &i, &c->in);
        if (k < 0)
            return UTX_EXIT_USAGE;
        if (k > 0)
            continue;
        if (a[0] != '-' || a[1] == '\0') {
            fflush(stdout);
            fprintf(stderr, "utx lastlog: unexpected argument: %s\n", a);
            return usage_error();
        }
        if (a[1] == '-') {
            const char *eq = strchr(a, '=');
            size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2), j, found = 0, pick = 0;
            for (j = 0; j < sizeof(LASTLOG_LONG) / sizeof(LASTLOG_LONG[0]); j++) {
                if (strncmp(LASTLOG_LONG[j].name, a + 2, n) != 0)
                    continue;
                pick = j;
                if (strlen(LASTLOG_LONG[j].name) == n) {
                    found = 1;
                    break;
                }
                found++;
            }
            fflush(stdout);
            if (found != 1) {
                fprintf(stderr, "utx lastlog: %s option '%s'\n",
                        found ? "ambiguous" : "unrecognized", a);
                return usage_error();
            }
            key = LASTLOG_LONG[pick].key;
            if (LASTLOG_LONG[pick].has_arg) {
                arg = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (arg == NULL) {
                    fprintf(stderr, "utx lastlog: option '--%s' requires an argument\n",
                            LASTLOG_LONG[pick].name);
                    return usage_error();
                }
            } else if (eq != NULL) {
                fprintf(stderr, "utx lastlog: option '--%s' doesn't allow an argument\n",
                        LASTLOG_LONG[pick].name);
                return usage_error();
            }
        } else {
            size_t j;
            for (j = 1; a[j + 1] != '\0' && strchr("bRtuf", a[j]) == NULL; j++) {
                /* grouped flags: -CS etc. */
                k = strchr("ChSV", a[j]) ? apply(c, a[j], NULL) : -2;
                if (k == -2) {
                    fflush(stdout);
                    fprintf(stderr, "utx lastlog: invalid option -- '%c'\n", a[j]);
                    return usage_error();
                }
                if (k != 0)
                    return k > 0 ? -1 : UTX_EXIT_FAIL;
            }
            key = a[j];
            if (strchr("bRtuf", key) != NULL) {
                arg = a[j + 1] != '\0' ? a + j + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (arg == NULL) {
                    fflush(stdout);
                    fprintf(stderr, "utx lastlog: option requires an argument -- '%c'\n", key);
                    return usage_error();
                }
            } else if (strchr("ChSV", key) == NULL) {
                fflush(stdout);
                fprintf(stderr, "utx lastlog: invalid option -- '%c'\n", key);
                return usage_error();
            }
        }
        k = apply(c, key, arg);
        if (k > 0)
            return -1; /* done: --help, --version */
        if (k < 0)
            return UTX_EXIT_FAIL;
    }
    return 0;
}

static void free_all(struct ll_ctl *c)
{
    size_t i;
    for (i = 0; i < c->nrecs; i++) {
        free(c->recs[i].user);
        free(c->recs[i].line);
        free(c->recs[i].host);
        free(c->recs[i].service);
    }
    for (i = 0; i < c->naccts; i++)
        free(c->accts[i].name);
    free(c->recs);
    free(c->accts);
}

int utx_lastlog_main(int argc, char **argv)
{
    struct ll_ctl c;
    ut_reader *r = NULL;
    ut_format fmt;
    int rc, have_accounts = 0;

    memset(&c, 0, sizeof(c));
    c.in.db = UT_DB_LASTLOG;
    c.in.format = UT_FORMAT_AUTO;
    c.now = (int64_t)time(NULL);
    rc = parse_args(&c, argc, argv);
    if (rc != 0)
        return rc < 0 ? UTX_EXIT_OK : rc;
    if (c.clear && c.set) {
        fputs("utx lastlog: Option -C cannot be used together with option -S\n", stderr);
        return usage_error();
    }
    if ((c.clear || c.set) && c.user_arg == NULL) {
        fputs("utx lastlog: Options -C and -S require option -u to specify the user\n",
              stderr);
        return usage_error();
    }
    if (c.clear || c.set) {
        fprintf(stderr, "utx lastlog: -%c: utx only reads login files; it cannot %s a "
                        "lastlog record (use shadow's lastlog)\n",
                c.clear ? 'C' : 'S', c.clear ? "clear" : "set");
        return UTX_EXIT_FAIL;
    }
    if (c.in.path == NULL) {
        have_accounts = load_accounts(&c);
        if (have_accounts < 0) {
            utx_err("lastlog: out of memory");
            free_all(&c);
            return UTX_EXIT_FAIL;
        }
    }
    if (c.user_arg != NULL && resolve_user(&c) != 0) {
        free_all(&c);
        return UTX_EXIT_FAIL;
    }
    rc = (c.in.path == NULL && c.root != NULL) ? utx_open_db_root(c.root, UT_DB_LASTLOG, 0, &r)
                                               : utx_open(&c.in, &r);
    if (rc == UTX_EXIT_OK && c.in.path != NULL && c.in.format == UT_FORMAT_AUTO &&
        ut_reader_format(r, &fmt) == UT_OK && fmt == UT_FORMAT_FREEBSD_UTX) {
        /* A futx file given to lastlog is a utx.lastlogin, whatever its name. */
        ut_reader_close(r);
        c.in.format = UT_FORMAT_FREEBSD_UTX_LASTLOGIN;
        rc = utx_open(&c.in, &r);
    }
    if (rc != UTX_EXIT_OK) {
        free_all(&c);
        return rc;
    }
    if (c.verbose)
        utx_print_source(stderr, r);
    if (load_records(&c, r) != 0) {
        ut_reader_close(r);
        free_all(&c);
        return UTX_EXIT_FAIL;
    }
    if (c.json)
        json_list(&c, r);
    else if (have_accounts > 0)
        list_accounts(&c);
    else
        list_records(&c);
    ut_reader_close(r);
    free_all(&c);
    return UTX_EXIT_OK;
}
