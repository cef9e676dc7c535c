/* Smallest consumer of an installed libutx: built by ci/test.sh's install
 * step through `pkg-config --libs utx` and `pkg-config --static --libs utx`. */
#include <stdio.h>
#include <string.h>
#include "utx.h"

int main(void) {
    /* One 384-byte little-endian glibc USER_PROCESS record. */
    unsigned char rec[384];
    ut_reader *r = NULL;
    const ut_entry *e = NULL;
    char err[128];
    ut_status st;

    memset(rec, 0, sizeof rec);
    rec[0] = 7;                     /* ut_type = USER_PROCESS */
    rec[4] = 42;                    /* ut_pid */
    memcpy(rec + 8, "pts/0", 5);    /* ut_line */
    memcpy(rec + 40, "ts/0", 4);    /* ut_id */
    memcpy(rec + 44, "alice", 5);   /* ut_user */
    rec[340] = 0x10;                /* ut_tv.tv_sec = 0x5f000010 */
    rec[343] = 0x5f;

    if (ut_version() == NULL || strlen(ut_version()) < 5) {
        fprintf(stderr, "install_smoke: ut_version() is not a version\n");
        return 1;
    }
    st = ut_reader_open_memory(rec, sizeof rec, UT_FORMAT_LINUX_384_LE, 0, &r, err, sizeof err);
    if (st != UT_OK) {
        fprintf(stderr, "install_smoke: open_memory: %s (%s)\n", ut_status_str(st), err);
        return 1;
    }
    st = ut_reader_next(r, &e);
    if (st != UT_OK || e->entry_type != UT_TYPE_USER_PROCESS || strcmp(e->user, "alice") != 0 ||
        strcmp(e->line, "pts/0") != 0 || e->pid != 42 || e->sec != 0x5f000010) {
        fprintf(stderr, "install_smoke: wrong entry (status %d)\n", (int)st);
        ut_reader_close(r);
        return 1;
    }
    st = ut_reader_next(r, &e);
    ut_reader_close(r);
    if (st != UT_END) {
        fprintf(stderr, "install_smoke: expected UT_END, got %d\n", (int)st);
        return 1;
    }
    printf("install_smoke: ok (libutx %s)\n", ut_version());
    return 0;
}
