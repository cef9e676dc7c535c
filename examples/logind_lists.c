/* logind_lists.c - the seats, sessions, users (uids) and machines
 * systemd-logind knows, as python-systemd's login module lists them, of
 * this system or of one copied under ROOT.
 *
 *   cc logind_lists.c $(pkg-config --cflags --libs utx)
 *   ./a.out [ROOT]
 */
#include <stdio.h>
#include <utx.h>

int main(int argc, char **argv)
{
    static const struct {
        ut_category category;
        const char *name;
    } lists[] = {
        {UT_LOGIND_SEATS, "seats"},
        {UT_LOGIND_SESSIONS, "sessions"},
        {UT_LOGIND_USERS, "users"},
        {UT_LOGIND_MACHINES, "machines"},
    };
    const char *root = argc > 1 ? argv[1] : NULL;
    char err[256];
    size_t i, k, n;

    for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        ut_strlist *l;
        ut_status st = ut_logind_list(root, lists[i].category, &l, err, sizeof err);
        if (st != UT_OK) {
            fprintf(stderr, "%s: %s\n", ut_status_str(st), err);
            return st == UT_ERR_NOT_FOUND ? 3 : 1;
        }
        ut_strlist_count(l, &n);
        printf("%s:", lists[i].name);
        for (k = 0; k < n; k++) {
            const char *item;
            if (ut_strlist_get(l, k, &item) == UT_OK)
                printf(" %s", item);
        }
        putchar('\n');
        ut_strlist_close(l);
    }
    return 0;
}
