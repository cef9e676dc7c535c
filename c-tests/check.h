/* The check every C test uses: on failure print where, a message
 * (printf-style) and the condition, count it in the test's own
 * `failures`, and go on.  Needs <stdio.h> and `static int failures`. */
#ifndef UTX_C_TESTS_CHECK_H
#define UTX_C_TESTS_CHECK_H

#define CHECK(cond, ...)                                      \
    do {                                                      \
        if (!(cond)) {                                        \
            fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                     \
            fprintf(stderr, "  [%s]\n", #cond);               \
            failures++;                                       \
        }                                                     \
    } while (0)

#endif
