/* read_wtmp.c - the logins of a wtmp file, newest first (the README's example).
 *
 *   cc read_wtmp.c $(pkg-config --cflags --libs utx)
 *   ./a.out /var/log/wtmp
 */
#include <stdio.h>
#include <utx.h>

int main(int argc, char **argv)
{
    char err[256];
    ut_reader *r;
    const ut_entry *e;
    ut_status st;

    st = ut_reader_open(argc > 1 ? argv[1] : "/var/log/wtmp", UT_FORMAT_AUTO,
                        UT_OPEN_REVERSE, &r, err, sizeof err);
    if (st != UT_OK) {
        fprintf(stderr, "%s: %s\n", ut_status_str(st), err);
        return 1;
    }
    ut_reader_set_types(r, UT_TYPE_BIT(UT_TYPE_USER_PROCESS));
    while ((st = ut_reader_next(r, &e)) == UT_OK)
        printf("%-12s %-8s %-16s %lld\n", e->user, e->line, e->host, (long long)e->sec);
    if (st != UT_END) {
        const char *msg;
        ut_reader_error(r, &msg, NULL);
        fprintf(stderr, "%s: %s\n", ut_status_str(st), msg);
    }
    ut_reader_close(r);
    return st == UT_END ? 0 : 1;
}
