/*
 * utx/utmpx.h - the POSIX utmpx API of libutx-compat (pkg-config utx-compat).
 *
 * struct utmpx and its constants are the system's own <utmpx.h>, so object
 * code built against the system header works unchanged.  This header
 * declares the library's thirteen functions with the system's prototypes
 * (glibc's where POSIX has none), whatever feature macros are set.
 *
 * The cursor of setutxent/getutxent/getutxid/getutxline/endutxent and the
 * static buffer they return are per thread; utmpxname's file is per
 * process.
 */
#ifndef UTX_UTMPX_H
#define UTX_UTMPX_H

#include <utmpx.h>

#ifdef __cplusplus
extern "C" {
#endif

struct utmp;

void setutxent(void);
struct utmpx *getutxent(void);
struct utmpx *getutxid(const struct utmpx *id);
struct utmpx *getutxline(const struct utmpx *line);
struct utmpx *pututxline(const struct utmpx *ut);
void endutxent(void);
int utmpxname(const char *file);
void updwtmpx(const char *file, const struct utmpx *ut);
void getutmp(const struct utmpx *ux, struct utmp *u);
void getutmpx(const struct utmp *u, struct utmpx *ux);
/* glibc libutil (<utmp.h>); struct utmp has the layout of struct utmpx. */
void login(const struct utmp *ut);
int logout(const char *line);
void logwtmp(const char *line, const char *name, const char *host);

#ifdef __cplusplus
}
#endif

#endif /* UTX_UTMPX_H */
