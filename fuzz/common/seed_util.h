/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the seed-corpus generators (fuzz/common/seed_gen*.c): writing one corpus file and
 * filling a matrix with one of the edge distributions the seeds cover. */
#ifndef TCA_FUZZ_SEED_UTIL_H
#define TCA_FUZZ_SEED_UTIL_H
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "tca/tca.h"

/** Write DIR/TARGET/NAME (creating DIR/TARGET); exits with status 2 naming PROG on failure. */
static inline void seed_write_file(const char *prog, const char *dir, const char *target, const char *name,
                                   const void *p, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, target);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/%s/%s", dir, target, name);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0) {
        fprintf(stderr, "%s: cannot write %s\n", prog, path);
        exit(2);
    }
}

/** Seed distributions: 0 Gaussian weights (sigma 0.02), 1 any bit patterns, 2 signed zeros,
 *  3 exponents 1..7 (window pressed against exponent 1), 4 exponents 249..255 (Inf/NaN in the
 *  window). */
static inline void seed_fill_matrix(uint16_t *w, uint64_t n, int kind, tca_prng *r)
{
    for (uint64_t i = 0; i < n; i++) {
        switch (kind) {
        case 0: w[i] = tca_bf16_from_double_rne(0.02 * tca_prng_normal(r)); break;
        case 1: w[i] = (uint16_t)tca_prng_u32(r); break;
        case 2: w[i] = (uint16_t)(i % 3 ? 0x0000 : 0x8000); break;
        case 3: w[i] = (uint16_t)((tca_prng_below(r, 2) << 15) | ((1 + i % 7) << 7) | (i & 0x7F)); break;
        default: w[i] = (uint16_t)(((249 + i % 7) << 7) | (i & 0x7F)); break;
        }
    }
}
#endif
