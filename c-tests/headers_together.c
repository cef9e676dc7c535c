/* utx.h next to the system's <utmp.h> and <utmpx.h> (ABI rule 9): no
 * identifier may clash with their macros (ut_name, ut_time, ut_addr, ...)
 * or fields.  Compiled with the same strict flags as every C test.  It
 * also checks that a record laid out by glibc's own struct utmp / utmpx
 * reads back through utx with the same values. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <utmp.h>
#include <utmpx.h>

#include "utx.h"

static int failures;

#include "check.h"

/* The normalized numbering is the Linux one (DESIGN.md).  C99 has no
 * _Static_assert: a negative array size stops the build instead. */
#define STATIC_ASSERT(cond, name) typedef char static_assert_##name[(cond) ? 1 : -1]
STATIC_ASSERT(UT_TYPE_EMPTY == EMPTY, EMPTY);
STATIC_ASSERT(UT_TYPE_RUN_LVL == RUN_LVL, RUN_LVL);
STATIC_ASSERT(UT_TYPE_BOOT_TIME == BOOT_TIME, BOOT_TIME);
STATIC_ASSERT(UT_TYPE_NEW_TIME == NEW_TIME, NEW_TIME);
STATIC_ASSERT(UT_TYPE_OLD_TIME == OLD_TIME, OLD_TIME);
STATIC_ASSERT(UT_TYPE_INIT_PROCESS == INIT_PROCESS, INIT_PROCESS);
STATIC_ASSERT(UT_TYPE_LOGIN_PROCESS == LOGIN_PROCESS, LOGIN_PROCESS);
STATIC_ASSERT(UT_TYPE_USER_PROCESS == USER_PROCESS, USER_PROCESS);
STATIC_ASSERT(UT_TYPE_DEAD_PROCESS == DEAD_PROCESS, DEAD_PROCESS);
STATIC_ASSERT(UT_TYPE_ACCOUNTING == ACCOUNTING, ACCOUNTING);
/* ut_entry starts with its size (ABI rule 6). */
STATIC_ASSERT(offsetof(ut_entry, size) == 0, size_first);

/* The glibc format of this host. */
static ut_format host_format(void) {
    int big = 0;
    union {
        unsigned short s;
        unsigned char c[2];
    } probe;
    probe.s = 1;
    big = probe.c[0] == 0;
    if (sizeof(struct utmp) == 384) return big ? UT_FORMAT_LINUX_384_BE : UT_FORMAT_LINUX_384_LE;
    if (sizeof(struct utmp) == 400) return big ? UT_FORMAT_LINUX_400_BE : UT_FORMAT_LINUX_400_LE;
    return UT_FORMAT_AUTO;
}

int main(void) {
    struct utmp u;
    struct utmpx ux;
    ut_reader *r = NULL;
    const ut_entry *e = NULL;
    char err[256];
    ut_status st;
    ut_format fmt = host_format();

    /* Fill one record through glibc's struct, using the legacy macro
     * names (ut_name, ut_time, ut_addr) that utx.h must not disturb. */
    memset(&u, 0, sizeof u);
    u.ut_type = USER_PROCESS;
    u.ut_pid = 4242;
    strncpy(u.ut_line, "pts/7", UT_LINESIZE);
    strncpy(u.ut_id, "ts/7", sizeof u.ut_id);
    strncpy(u.ut_name, "carol", UT_NAMESIZE);
    strncpy(u.ut_host, "example.org", UT_HOSTSIZE);
    u.ut_time = 1700000000;
    u.ut_tv.tv_usec = 123456;
    u.ut_addr = 0x0100007f; /* 127.0.0.1 in network order on a little-endian host */
    u.ut_exit.e_termination = 3;
    u.ut_exit.e_exit = 4;
    u.ut_session = 99;

    /* struct utmpx has the same layout on glibc. */
    memset(&ux, 0, sizeof ux);
    CHECK(sizeof ux == sizeof u, "sizeof(struct utmpx) %u != sizeof(struct utmp) %u", (unsigned)sizeof ux,
          (unsigned)sizeof u);
    memcpy(&ux, &u, sizeof ux);
    CHECK(ux.ut_type == USER_PROCESS && memcmp(ux.ut_user, "carol", 6) == 0, "utmpx view of the record");

    if (fmt == UT_FORMAT_AUTO) {
        printf("headers_together: SKIP reading (struct utmp is %u bytes here)\n", (unsigned)sizeof u);
        return failures ? 1 : 0;
    }
    st = ut_reader_open_memory((const uint8_t *)&u, sizeof u, UT_FORMAT_AUTO, 0, &r, err, sizeof err);
    CHECK(st == UT_OK, "open_memory: %s (%s)", ut_status_str(st), err);
    if (st != UT_OK) return 1;
    CHECK(ut_reader_format(r, &fmt) == UT_OK && fmt == host_format(), "detected format %s, want %s",
          ut_format_name(fmt), ut_format_name(host_format()));
    st = ut_reader_next(r, &e);
    CHECK(st == UT_OK, "next: %s", ut_status_str(st));
    if (st == UT_OK) {
        CHECK(e->entry_type == USER_PROCESS, "type %d", (int)e->entry_type);
        CHECK(e->raw_type == USER_PROCESS, "raw type %d", (int)e->raw_type);
        CHECK(e->pid == u.ut_pid, "pid %lld", (long long)e->pid);
        CHECK(strcmp(e->line, "pts/7") == 0, "line \"%s\"", e->line);
        CHECK(strcmp(e->id, "ts/7") == 0, "id \"%s\"", e->id);
        CHECK(strcmp(e->user, "carol") == 0, "user \"%s\"", e->user);
        CHECK(strcmp(e->host, "example.org") == 0, "host \"%s\"", e->host);
        CHECK(e->sec == u.ut_tv.tv_sec && e->usec == u.ut_tv.tv_usec, "time %lld.%06d", (long long)e->sec,
              (int)e->usec);
        CHECK(e->exit_termination == 3 && e->exit_status == 4, "exit %d/%d", (int)e->exit_termination,
              (int)e->exit_status);
        CHECK(e->session == 99, "session %lld", (long long)e->session);
        CHECK(e->addr_family == UT_ADDR_IPV4 && memcmp(e->addr, &u.ut_addr_v6[0], 4) == 0,
              "address family %u", (unsigned)e->addr_family);
        CHECK(fmt != UT_FORMAT_LINUX_384_LE || strcmp(e->addr_text, "127.0.0.1") == 0, "addr_text \"%s\"",
              e->addr_text);
        CHECK(e->offset == 0, "offset %llu", (unsigned long long)e->offset);
    }
    CHECK(ut_reader_next(r, &e) == UT_END, "more than one entry");
    ut_reader_close(r);

    if (failures) {
        fprintf(stderr, "headers_together: %d check(s) failed\n", failures);
        return 1;
    }
    printf("headers_together: ok\n");
    return 0;
}
