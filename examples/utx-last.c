/*
 * utx-last.c - `utx last` and `utx lastb`.
 *
 * Placeholder until the session-pairing implementation lands: it says so
 * and fails, rather than printing an empty (and wrong) history.
 */
#include <stdio.h>

#include "utx-cmd.h"

int utx_last_main(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "utx %s: not implemented yet\n", argv[0]);
    return UTX_EXIT_USAGE;
}
