/* The checks every C test uses: on failure print where, a message
 * (printf-style) and the condition, count it in the test's own
 * `failures`, and go on.  Needs <stdio.h>, "utx.h" (for CHECK_STATUS) and
 * `static int failures`.  A test that reads many inputs may define
 * CHECK_CONTEXT, a string expression naming the current one, before
 * including this file: it is printed after each failure's message. */
#ifndef UTX_C_TESTS_CHECK_H
#define UTX_C_TESTS_CHECK_H

#ifdef CHECK_CONTEXT
#define CHECK_PRINT_CONTEXT_() fprintf(stderr, " (%s)", CHECK_CONTEXT)
#else
#define CHECK_PRINT_CONTEXT_() ((void)0)
#endif

#define CHECK(cond, ...)                                      \
    do {                                                      \
        if (!(cond)) {                                        \
            fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                     \
            CHECK_PRINT_CONTEXT_();                           \
            fprintf(stderr, "  [%s]\n", #cond);               \
            failures++;                                       \
        }                                                     \
    } while (0)

/* CHECK where the condition says it all. */
#define CHECK_COND(cond) CHECK(cond, "%s", "condition is false")

/* A ut_status must be WANT; the message names both. */
#define CHECK_STATUS(got, want) \
    CHECK((got) == (want), "status %d (%s), want %d", (int)(got), ut_status_str(got), (int)(want))

#endif
