/* Mutation fuzzing from real files: every corpus file and sample, with
 * random bytes flipped, random cuts, and random splices, read under
 * detection and under every format, forward and reverse.  Nothing may
 * crash or hang (a watchdog fails the test), and every failure carries a
 * message.  ASan/UBSan and valgrind run this too.
 *
 * Deterministic: the seed is fixed unless $UTX_SEED is set;
 * $UTX_MUTATIONS sets the mutations per file (default 6).  Inputs:
 * samples/ and the util-linux and utmp-rs parts of the corpus
 * ($UTX_CORPUS or ../shared/corpus) when present. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utx.h"

static int failures, inputs, reads;
static char current[600];

#define CHECK_CONTEXT current
#include "check.h"

static uint64_t rng_state;
static uint64_t rng(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static void on_alarm(int sig) {
    static const char head[] = "mutate: FAIL: reader hung (watchdog) on ";
    (void)sig;
    if (write(2, head, sizeof head - 1) < 0 || write(2, current, strlen(current)) < 0 || write(2, "\n", 1) < 0)
        _exit(3);
    _exit(2);
}

static void drain(ut_reader *r, size_t len) {
    const ut_entry *e;
    ut_status st;
    size_t n = 0;
    while ((st = ut_reader_next(r, &e)) == UT_OK) {
        if (e->user == NULL || e->line == NULL || e->host == NULL || e->id == NULL || e->service == NULL ||
            e->addr_text == NULL) {
            CHECK(0, "entry with a NULL string");
            return;
        }
        if (++n > len + 16) {
            CHECK(0, "more entries than bytes: the walk does not end");
            return;
        }
    }
    if (st != UT_END) {
        const char *msg = NULL;
        CHECK(st < 0, "next() gave status %d", (int)st);
        CHECK(ut_reader_error(r, &msg, NULL) == UT_OK && msg != NULL && msg[0] != '\0', "next() failed with no message");
    }
}

static void read_all_ways(const unsigned char *buf, size_t len, const char *label) {
    ut_format f;
    ut_open_flags fl;
    for (f = 0; ut_format_name(f) != NULL; f++) {
        for (fl = 0; fl <= UT_OPEN_REVERSE; fl++) {
            ut_reader *r = NULL;
            char err[256];
            ut_status st;
            err[0] = '\0';
            snprintf(current, sizeof current, "%.500s as %s%s", label, ut_format_name(f), fl ? ", reverse" : "");
            alarm(20);
            st = ut_reader_open_memory(buf, len, f, fl, &r, err, sizeof err);
            if (st == UT_OK) {
                drain(r, len);
                if (ut_reader_rewind(r) == UT_OK) drain(r, len);
                ut_reader_close(r);
            } else {
                CHECK(st < 0 && err[0] != '\0', "open failed (%d) with no message", (int)st);
            }
            alarm(0);
            reads++;
        }
    }
}

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long n;
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (n <= 0 || n > (1 << 20)) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int mutations = 6;

static void fuzz_file(const char *path) {
    size_t len, i, k;
    unsigned char *orig = slurp(path, &len), *buf;
    char label[512];
    int m;
    if (orig == NULL) return;
    inputs++;
    buf = malloc(len);
    if (buf == NULL) abort();
    for (m = 0; m < mutations; m++) {
        size_t n = len;
        memcpy(buf, orig, len);
        switch (m % 3) {
        case 0: /* flip a few bytes */
            for (k = 0; k < 1 + rng() % 16; k++) buf[rng() % len] ^= (unsigned char)(1u << (rng() % 8));
            break;
        case 1: /* cut anywhere */
            n = (size_t)(rng() % len);
            break;
        case 2: /* overwrite a run with one byte value (0x00, 0xff or random) */
        {
            size_t at = (size_t)(rng() % len), run = 1 + (size_t)(rng() % 64);
            unsigned char v = (unsigned char)(rng() % 3 == 0 ? 0 : rng() % 3 == 1 ? 0xff : rng());
            for (i = at; i < len && i < at + run; i++) buf[i] = v;
        } break;
        }
        snprintf(label, sizeof label, "%.400s mutation %d (%lu bytes)", path, m, (unsigned long)n);
        read_all_ways(buf, n, label);
    }
    free(buf);
    free(orig);
}

static void fuzz_dir(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *de;
    char p[1024];
    struct stat st;
    if (d == NULL) return;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strstr(de->d_name, ".md") || strstr(de->d_name, ".txt")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) fuzz_file(p);
    }
    closedir(d);
}

int main(void) {
    const char *corpus = getenv("UTX_CORPUS");
    const char *seed_env = getenv("UTX_SEED");
    const char *m_env = getenv("UTX_MUTATIONS");
    uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : 0xc0ffee;
    char p[1024];

    if (m_env != NULL) mutations = atoi(m_env);
    rng_state = seed ? seed : 1;
    signal(SIGALRM, on_alarm);
    if (corpus == NULL || corpus[0] == '\0') corpus = "../shared/corpus";
    printf("mutate: seed 0x%llx, %d mutations per file\n", (unsigned long long)seed, mutations);

    fuzz_dir("samples");
    snprintf(p, sizeof p, "%s/util-linux/ts/utmp", corpus);
    fuzz_dir(p);
    snprintf(p, sizeof p, "%s/utmp-rs", corpus);
    fuzz_dir(p);
    snprintf(p, sizeof p, "%s/plaso/utmp", corpus);
    fuzz_dir(p);
    CHECK(inputs > 0, "no input files (run from the repository root)");
    if (failures) {
        fprintf(stderr, "mutate: %d check(s) failed\n", failures);
        return 1;
    }
    printf("mutate: ok (%d files, %d reads)\n", inputs, reads);
    return 0;
}
