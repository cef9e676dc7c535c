/* A static consumer that brings its own SQLite: built by ci/test.sh's
 * symbols step with `cc -static` against build/libutx.a.  It defines the
 * SQLite functions below itself; libutx.a must export none of its bundled
 * SQLite, so the link has no duplicate symbol, this program's functions are
 * the ones it calls, and the library still reads a wtmpdb database (argv[1])
 * through its own, hidden copy without ever calling these. */
#include <stdio.h>
#include <string.h>
#include "utx.h"

#define MARKER "own-sqlite-of-the-consumer"

static int calls;

const char *sqlite3_libversion(void);
int sqlite3_open(const char *filename, void **db);
int sqlite3_open_v2(const char *filename, void **db, int flags, const char *vfs);

const char *sqlite3_libversion(void) {
    return MARKER;
}

int sqlite3_open(const char *filename, void **db) {
    (void)filename;
    (void)db;
    calls++;
    return 1; /* SQLITE_ERROR */
}

int sqlite3_open_v2(const char *filename, void **db, int flags, const char *vfs) {
    (void)filename;
    (void)db;
    (void)flags;
    (void)vfs;
    calls++;
    return 1; /* SQLITE_ERROR */
}

int main(int argc, char **argv) {
    ut_reader *r = NULL;
    const ut_entry *e = NULL;
    char err[256] = "";
    const char *source = "";
    ut_status st;
    int users = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: own_sqlite WTMPDB\n");
        return 2;
    }
    if (strcmp(sqlite3_libversion(), MARKER) != 0) {
        fprintf(stderr, "own_sqlite: sqlite3_libversion() is '%s', not this program's\n",
                sqlite3_libversion());
        return 1;
    }
    st = ut_reader_open(argv[1], UT_FORMAT_AUTO, 0, &r, err, sizeof err);
    if (st != UT_OK) {
        fprintf(stderr, "own_sqlite: ut_reader_open: %s (%s)\n", ut_status_str(st), err);
        return 1;
    }
    if (ut_reader_source(r, &source) != UT_OK || strncmp(source, "wtmpdb:", 7) != 0) {
        fprintf(stderr, "own_sqlite: source is '%s', not wtmpdb\n", source);
        ut_reader_close(r);
        return 1;
    }
    while ((st = ut_reader_next(r, &e)) == UT_OK)
        if (e->entry_type == UT_TYPE_USER_PROCESS && strcmp(e->user, "alice") == 0)
            users++;
    ut_reader_close(r);
    if (st != UT_END || users != 1) {
        fprintf(stderr, "own_sqlite: read ended with %s and %d login(s) of alice, want 1\n",
                ut_status_str(st), users);
        return 1;
    }
    if (calls != 0) {
        fprintf(stderr, "own_sqlite: the library called this program's sqlite3_open %d time(s)\n",
                calls);
        return 1;
    }
    printf("own_sqlite: ok (program's SQLite: %s; the library read wtmpdb through its own)\n",
           sqlite3_libversion());
    return 0;
}
