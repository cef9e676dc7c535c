/* Append a login and its logout to a wtmp file, creating it (this host's
 * layout), as a login program does; then print what was cut.
 *   cc -o write_wtmp write_wtmp.c $(pkg-config --cflags --libs utx)
 *   ./write_wtmp /tmp/wtmp && utmpdump /tmp/wtmp */
#include <stdio.h>
#include <string.h>
#include <utx.h>

int main(int argc, char **argv) {
    ut_writer *w;
    ut_entry e;
    ut_format native;
    uint32_t cut = 0;
    char err[256];
    if (argc != 2) {
        fprintf(stderr, "usage: %s WTMP\n", argv[0]);
        return 2;
    }
    ut_native_format(&native);
    if (ut_writer_open(argv[1], native, UT_WRITE_CREATE, &w, err, sizeof err) != UT_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    memset(&e, 0, sizeof e);
    e.size = sizeof e;              /* the caller fills the fields it knows */
    e.entry_type = UT_TYPE_USER_PROCESS;
    e.user = "firstname.lastname@corp.example.org"; /* 35 bytes: cut to 32 */
    e.line = "pts/3";
    e.id = "ts/3";
    e.host = "192.0.2.7";
    e.pid = 4242;
    e.sec = 1700000000;
    if (ut_writer_put(w, &e, &cut) == UT_OK && cut != 0)
        printf("cut: 0x%x\n", (unsigned)cut);
    e.entry_type = UT_TYPE_DEAD_PROCESS; /* the logout: same line and id */
    e.user = NULL;                       /* NULL strings are "" */
    e.host = NULL;
    e.sec += 3600;
    if (ut_writer_put(w, &e, NULL) != UT_OK) {
        const char *msg = "";
        ut_writer_error(w, &msg, NULL);
        fprintf(stderr, "%s\n", msg);
    }
    ut_writer_close(w);
    return 0;
}
