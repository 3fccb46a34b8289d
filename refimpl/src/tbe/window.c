/* SPDX-License-Identifier: Apache-2.0 */
/* Window selection by encoders (spec 4.5): histogram of the logical elements' exponent fields,
 * then the window start w0 in 1..249 covering the most elements, lowest w0 on ties. This replaces
 * the original's presence-based selector (defect D2) and never starts the window at exponent 0
 * (defect D1). */
#include <string.h>
#include "tbe/tbe_internal.h"

void tca_tbe_exponent_histogram(const uint16_t *w, uint64_t rows, uint64_t cols, uint64_t hist[256])
{
    /* Four interleaved sub-histograms break the store-to-load dependency on repeated bins
     * (weights concentrate on a few exponents). Counters are uint64_t: no overflow. */
    uint64_t sub[4][256];
    memset(sub, 0, sizeof sub);
    uint64_t n = rows * cols; /* caller passes a valid shape */
    uint64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        sub[0][(w[i] >> 7) & 0xFFu]++;
        sub[1][(w[i + 1] >> 7) & 0xFFu]++;
        sub[2][(w[i + 2] >> 7) & 0xFFu]++;
        sub[3][(w[i + 3] >> 7) & 0xFFu]++;
    }
    for (; i < n; i++) sub[0][(w[i] >> 7) & 0xFFu]++;
    for (unsigned e = 0; e < 256; e++) hist[e] = sub[0][e] + sub[1][e] + sub[2][e] + sub[3][e];
}

unsigned tca_tbe_select_window(const uint64_t hist[256], uint64_t *covered)
{
    /* spec 4.5: coverage(w0) = sum of hist[w0 .. w0+6]; w0 in 1..249 (base = w0 - 1 in 0..248) */
    uint64_t cov = 0;
    for (unsigned e = 1; e <= 7; e++) cov += hist[e];
    unsigned best_w0 = 1;
    uint64_t best = cov;
    for (unsigned w0 = 2; w0 <= 249; w0++) {
        cov = cov - hist[w0 - 1] + hist[w0 + 6]; /* slide: drop w0-1, add w0+6 (<= 255) */
        if (cov > best) { /* strict: the lowest w0 wins ties */
            best = cov;
            best_w0 = w0;
        }
    }
    if (covered) *covered = best;
    return best_w0;
}
