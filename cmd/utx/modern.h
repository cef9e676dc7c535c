/*
 * utx-modern.h - what the `utx` command needs from the modern sources:
 * naming the source a reader opened (--verbose, JSON), opening a host
 * database under another root (--root DIR), and `who --watch`.
 * Implemented in utx-modern.c; uses only utx.h and C/POSIX headers.
 */
#ifndef UTX_MODERN_H
#define UTX_MODERN_H

#include <stdio.h>

#include "utx.h"

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

#endif /* UTX_MODERN_H */
