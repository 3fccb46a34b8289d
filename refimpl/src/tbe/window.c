/* SPDX-License-Identifier: Apache-2.0 */
/* Window selection by encoders (spec 4.5): histogram of the logical elements' exponent fields,
 * then the window start w0 in 1..249 covering the most elements, lowest w0 on ties. This replaces
 * the original's presence-based selector (defect D2) and never starts the window at exponent 0
 * (defect D1). */
#include <string.h>
#include "tbe/tbe_internal.h"

/* The portable counting kernel (tca__tbe_count_exponents_fn). Eight interleaved sub-histograms
 * break the store-to-load dependency on repeated bins (weights concentrate on a few exponents);
 * elements are read four at a time. */
static void count_exponents_portable(const uint16_t *w, uint64_t n, uint32_t sub[8][256])
{
    uint64_t i = 0;
    for (; i + 8 <= n; i += 8) {
#if TCA__TBE_HOST_LE
        uint64_t a, b;
        memcpy(&a, w + i, 8);
        memcpy(&b, w + i + 4, 8);
        sub[0][(a >> 7) & 0xFFu]++;
        sub[1][(a >> 23) & 0xFFu]++;
        sub[2][(a >> 39) & 0xFFu]++;
        sub[3][(a >> 55) & 0xFFu]++;
        sub[4][(b >> 7) & 0xFFu]++;
        sub[5][(b >> 23) & 0xFFu]++;
        sub[6][(b >> 39) & 0xFFu]++;
        sub[7][(b >> 55) & 0xFFu]++;
#else
        for (unsigned k = 0; k < 8; k++) sub[k][(w[i + k] >> 7) & 0xFFu]++;
#endif
    }
    for (; i < n; i++) sub[0][(w[i] >> 7) & 0xFFu]++;
}

void tca_tbe_exponent_histogram(const uint16_t *w, uint64_t rows, uint64_t cols, uint64_t hist[256])
{
    /* The 32-bit counters are flushed into the 64-bit result every 2^31 elements, so none can
     * overflow. */
    uint32_t sub[8][256];
    uint64_t n = rows * cols; /* caller passes a valid shape */
    tca__tbe_count_exponents_fn count = tca__tbe_count_exponents_simd();
    if (!count) count = count_exponents_portable;
    memset(hist, 0, 256 * sizeof hist[0]);
    for (uint64_t start = 0; start < n; start += 1ull << 31) {
        uint64_t len = n - start > (1ull << 31) ? 1ull << 31 : n - start;
        memset(sub, 0, sizeof sub);
        count(w + start, len, sub);
        for (unsigned e = 0; e < 256; e++)
            for (unsigned k = 0; k < 8; k++) hist[e] += sub[k][e];
    }
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
