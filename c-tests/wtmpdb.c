/*
 * wtmpdb and lastlog2 through the C API only (utx.h): databases written by
 * the sqlite3 command-line tool (an independent writer, Debian package
 * "sqlite3") with the upstream schemas, read with ut_reader_open (format
 * detected from the tables) and through the fallback of
 * ut_reader_open_db_at (wtmp -> wtmpdb, lastlog -> lastlog2).
 * Skips (exit 0, "SKIP" on stdout) when sqlite3 is not installed or the
 * library was built without its sqlite feature.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utx.h"

static int failures;

#include "check.h"

static char root[256];

static const char WTMPDB_SQL[] =
    "CREATE TABLE IF NOT EXISTS wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, "
    "User TEXT NOT NULL, Login INTEGER, Logout INTEGER, TTY TEXT, "
    "RemoteHost TEXT, Service TEXT) STRICT;"
    "INSERT INTO wtmp (Type, User, Login, TTY, RemoteHost) "
    "VALUES (1, 'reboot', 1700000000000000, '~', '6.12.0-amd64');"
    "INSERT INTO wtmp (Type, User, Login, TTY, RemoteHost, Service) "
    "VALUES (3, 'alice', 1700000010500000, 'pts/0', '192.0.2.7', 'sshd');"
    "UPDATE wtmp SET Logout = 1700000070000000 WHERE ID = 2;";

static const char LASTLOG2_SQL[] =
    "CREATE TABLE IF NOT EXISTS Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, "
    "TTY TEXT, RemoteHost TEXT, Service TEXT);"
    "REPLACE INTO Lastlog2 VALUES('bob', 1700000500, 'tty1', '', 'login');";

static int have_sqlite3(void)
{
    return access("/usr/bin/sqlite3", X_OK) == 0 || access("/bin/sqlite3", X_OK) == 0;
}

static int run_sqlite3(const char *db, const char *sql)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"%s\"", db, sql);
    return system(cmd);
}

static void mkdirs(const char *rel)
{
    char p[512], *s;
    snprintf(p, sizeof p, "%s/%s", root, rel);
    for (s = p + strlen(root) + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            (void)mkdir(p, 0755);
            *s = '/';
        }
    }
    (void)mkdir(p, 0755);
}

/* An error after some entries of a batch: lastlog2 is read in pages of
 * 512 rows, so with 600 rows and the table dropped after 456 entries, the
 * rows 457..512 still come (UT_OK), and the failing page read is the
 * error of the next call, by ut_reader_next_batch or ut_reader_next, even
 * when a new read would now succeed. */
static void batch_error_after_entries(void)
{
    char db[600], err[512] = "", name[32];
    const ut_entry *got[UT_BATCH_MAX], *e;
    const char *msg = NULL;
    ut_reader *r = NULL;
    size_t n = 0;
    int pass;

    for (pass = 0; pass < 2; pass++) {
        snprintf(db, sizeof db, "%s/var/lib/lastlog/big.db", root);
        (void)unlink(db);
        if (run_sqlite3(db, "CREATE TABLE Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, TTY TEXT, "
                            "RemoteHost TEXT, Service TEXT);"
                            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 600) "
                            "INSERT INTO Lastlog2 SELECT printf('user%04d', x), 1700000000 + x, 'tty1', '', "
                            "'login' FROM c;") != 0) {
            CHECK(0, "sqlite3 could not write %s", db);
            return;
        }
        CHECK_COND(ut_reader_open(db, UT_FORMAT_LASTLOG2, 0, &r, err, sizeof err) == UT_OK);
        if (r == NULL) return;
        CHECK_COND(ut_reader_next_batch(r, got, UT_BATCH_MAX, &n) == UT_OK && n == UT_BATCH_MAX);
        CHECK_COND(ut_reader_next_batch(r, got, 200, &n) == UT_OK && n == 200);
        CHECK_COND(strcmp(got[199]->user, "user0456") == 0);
        CHECK_COND(run_sqlite3(db, "DROP TABLE Lastlog2;") == 0);
        n = 0;
        CHECK_COND(ut_reader_next_batch(r, got, UT_BATCH_MAX, &n) == UT_OK);
        CHECK(n == 56, "the rows of the page in memory: %lu, want 56", (unsigned long)n);
        snprintf(name, sizeof name, "user%04d", (int)(456 + n));
        CHECK(n > 0 && strcmp(got[0]->user, "user0457") == 0 && strcmp(got[n - 1]->user, name) == 0,
              "not rows 457..%d", (int)(456 + n));
        /* The table back, empty: the kept error still comes, not UT_END. */
        CHECK_COND(run_sqlite3(db, "CREATE TABLE Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, TTY TEXT, "
                                   "RemoteHost TEXT, Service TEXT);") == 0);
        n = 77;
        {
            ut_status st = pass == 0 ? ut_reader_next_batch(r, got, UT_BATCH_MAX, &n) : ut_reader_next(r, &e);
            CHECK(st < 0, "the kept error: status %d (%s)", (int)st, ut_status_str(st));
            CHECK(n == 77, "a failed batch wrote its count");
            CHECK(ut_reader_error(r, &msg, NULL) == UT_OK && msg != NULL && msg[0] != '\0',
                  "the kept error has no message");
        }
        ut_reader_close(r);
        r = NULL;
        (void)unlink(db);
    }
}

int main(void)
{
    char wtmpdb[512], lastlog2[512], want[600], err[512] = "";
    const char *src = NULL;
    const ut_entry *e;
    ut_reader *r = NULL;
    ut_format fmt = 0;
    ut_status st;
    int n = 0;

    if (!have_sqlite3()) {
        printf("SKIP: sqlite3 command-line tool not installed (Debian package sqlite3)\n");
        return 0;
    }
    snprintf(root, sizeof root, "/tmp/utx-wtmpdb-XXXXXX");
    if (mkdtemp(root) == NULL) {
        perror("mkdtemp");
        return 2;
    }
    mkdirs("var/lib/wtmpdb");
    mkdirs("var/lib/lastlog");
    snprintf(wtmpdb, sizeof wtmpdb, "%s/var/lib/wtmpdb/wtmp.db", root);
    snprintf(lastlog2, sizeof lastlog2, "%s/var/lib/lastlog/lastlog2.db", root);
    if (run_sqlite3(wtmpdb, WTMPDB_SQL) != 0 || run_sqlite3(lastlog2, LASTLOG2_SQL) != 0) {
        fprintf(stderr, "sqlite3 failed\n");
        return 2;
    }

    st = ut_reader_open(wtmpdb, UT_FORMAT_AUTO, 0, &r, err, sizeof err);
    if (st == UT_ERR_UNSUPPORTED) {
        printf("SKIP: libutx built without SQLite: %s\n", err);
        return 0;
    }
    CHECK_COND(st == UT_OK);
    if (st == UT_OK) {
        CHECK_COND(ut_reader_format(r, &fmt) == UT_OK && fmt == UT_FORMAT_WTMPDB);
        CHECK_COND(ut_reader_source(r, &src) == UT_OK);
        snprintf(want, sizeof want, "wtmpdb:%s", wtmpdb);
        CHECK_COND(strcmp(src, want) == 0);
        while (ut_reader_next(r, &e) == UT_OK) {
            switch (n++) {
            case 0:
                CHECK_COND(e->entry_type == UT_TYPE_BOOT_TIME && e->raw_type == 1);
                CHECK_COND(strcmp(e->host, "6.12.0-amd64") == 0 && e->offset == 1);
                break;
            case 1:
                CHECK_COND(e->entry_type == UT_TYPE_USER_PROCESS);
                CHECK_COND(strcmp(e->user, "alice") == 0 && strcmp(e->line, "pts/0") == 0);
                CHECK_COND(strcmp(e->service, "sshd") == 0);
                CHECK_COND(e->sec == 1700000010 && e->usec == 500000);
                CHECK_COND(e->addr_family == UT_ADDR_IPV4 && strcmp(e->addr_text, "192.0.2.7") == 0);
                CHECK_COND(e->format == UT_FORMAT_WTMPDB && e->offset == 2 && e->pid == -1);
                break;
            case 2:
                CHECK_COND(e->entry_type == UT_TYPE_DEAD_PROCESS && e->sec == 1700000070);
                CHECK_COND(strcmp(e->line, "pts/0") == 0 && e->offset == 2);
                break;
            default:
                break;
            }
        }
        CHECK_COND(n == 3);
        ut_reader_close(r);
    }

    /* Newest first. */
    n = 0;
    CHECK_COND(ut_reader_open(wtmpdb, UT_FORMAT_WTMPDB, UT_OPEN_REVERSE, &r, err, sizeof err) == UT_OK);
    if (r != NULL) {
        CHECK_COND(ut_reader_next(r, &e) == UT_OK && e->entry_type == UT_TYPE_DEAD_PROCESS);
        ut_reader_close(r);
        r = NULL;
    }

    /* Fallbacks: no wtmp, no lastlog in this tree. */
    CHECK_COND(ut_reader_open_db_at(root, UT_DB_WTMP, 0, &r, err, sizeof err) == UT_OK);
    if (r != NULL) {
        CHECK_COND(ut_reader_source(r, &src) == UT_OK && strcmp(src, want) == 0);
        ut_reader_close(r);
        r = NULL;
    }
    CHECK_COND(ut_reader_open_db_at(root, UT_DB_LASTLOG, 0, &r, err, sizeof err) == UT_OK);
    if (r != NULL) {
        snprintf(want, sizeof want, "lastlog2:%s", lastlog2);
        CHECK_COND(ut_reader_source(r, &src) == UT_OK && strcmp(src, want) == 0);
        CHECK_COND(ut_reader_next(r, &e) == UT_OK);
        CHECK_COND(e->entry_type == UT_TYPE_LAST_LOGIN && strcmp(e->user, "bob") == 0);
        CHECK_COND(e->sec == 1700000500 && strcmp(e->service, "login") == 0);
        CHECK_COND(ut_reader_next(r, &e) == UT_END);
        ut_reader_close(r);
        r = NULL;
    }

    /* A lastlog2 database forced as wtmpdb: a schema error, not garbage. */
    st = ut_reader_open(lastlog2, UT_FORMAT_WTMPDB, 0, &r, err, sizeof err);
    CHECK_COND(st == UT_ERR_FORMAT);
    CHECK_COND(strstr(err, "wtmp") != NULL);

    batch_error_after_entries();

    (void)unlink(wtmpdb);
    (void)unlink(lastlog2);
    snprintf(want, sizeof want, "%s/var/lib/wtmpdb", root);
    (void)rmdir(want);
    snprintf(want, sizeof want, "%s/var/lib/lastlog", root);
    (void)rmdir(want);
    snprintf(want, sizeof want, "%s/var/lib", root);
    (void)rmdir(want);
    snprintf(want, sizeof want, "%s/var", root);
    (void)rmdir(want);
    (void)rmdir(root);

    if (failures) {
        printf("wtmpdb: %d check(s) failed\n", failures);
        return 1;
    }
    printf("wtmpdb: all checks passed\n");
    return 0;
}
