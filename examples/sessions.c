/* sessions.c - the sessions of a wtmp file, newest first, paired the way
 * last(1) pairs logins with logouts: one line per login or boot with its
 * start (UTC) and how it ended.
 *
 *   cc sessions.c $(pkg-config --cflags --libs utx)
 *   ./a.out /var/log/wtmp
 */
#include <stdio.h>
#include <utx.h>

static const char *ended(const ut_session *s)
{
    switch (s->end) {
    case UT_ENDED_LOGGED_OUT: return "logged out";
    case UT_ENDED_STILL_LOGGED_IN: return "still logged in";
    case UT_ENDED_GONE: return "gone - no logout";
    case UT_ENDED_CRASH: return "crash";
    case UT_ENDED_DOWN: return "down";
    case UT_ENDED_STILL_RUNNING: return "still running";
    default: return "instant";
    }
}

int main(int argc, char **argv)
{
    char err[256];
    ut_reader *r;
    ut_sessions *ss;
    const ut_session *s;
    ut_status st;

    if (argc != 2) {
        fprintf(stderr, "usage: %s WTMP\n", argv[0]);
        return 2;
    }
    st = ut_reader_open(argv[1], UT_FORMAT_AUTO, UT_OPEN_REVERSE, &r, err, sizeof err);
    if (st != UT_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], err);
        return 1;
    }
    /* The sessions read through r, which stays open until they are closed. */
    st = ut_sessions_open(r, 0, &ss, err, sizeof err);
    if (st != UT_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], err);
        ut_reader_close(r);
        return 1;
    }
    while ((st = ut_sessions_next(ss, &s)) == UT_OK) {
        if (s->kind != UT_KIND_USER && s->kind != UT_KIND_REBOOT)
            continue; /* shutdowns, run levels, clock changes */
        printf("%-8s %-12s %-16s %lld %s", s->user,
               s->kind == UT_KIND_REBOOT ? "system boot" : s->line, s->host,
               (long long)s->login_sec, ended(s));
        if (s->flags & UT_SESSION_HAS_LOGOUT)
            printf(" %lld", (long long)s->logout_sec);
        putchar('\n');
    }
    if (st != UT_END) {
        const char *msg;
        ut_reader_error(r, &msg, NULL);
        fprintf(stderr, "%s: %s\n", argv[1], msg);
    }
    ut_sessions_close(ss);
    ut_reader_close(r);
    return st == UT_END ? 0 : 1;
}
