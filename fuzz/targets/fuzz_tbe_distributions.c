/* SPDX-License-Identifier: Apache-2.0 */
/* Exponent distributions: a structured generator driven by the input's tail (distribution, scale,
 * shape, zero fraction, special-value injection, outlier rows and columns, windows pressed
 * against exponent 1 and 255). Checks the round trip and that the chosen window has maximal
 * coverage with the lowest w0 on ties (spec 4.5), by brute force over w0 = 1..249. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_util.h"
#include "tca/tca.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { GAUSS, LAPLACE, STUDENT_T, BIMODAL, ONE_EXPONENT, ALL_FALLBACK, PRESSED_LOW, PRESSED_HIGH, N_DIST };

static uint16_t with_exponent(tca_prng *r, unsigned e)
{
    return (uint16_t)((tca_prng_below(r, 2) << 15) | (e << 7) | tca_prng_below(r, 128));
}

static uint16_t draw(tca_prng *r, int dist, double scale, int df, unsigned e0)
{
    switch (dist) {
    case GAUSS: return tca_bf16_from_double_rne(scale * tca_prng_normal(r));
    case LAPLACE: {
        double u = tca_prng_unit(r);
        double mag = -scale * log(1.0 - u);
        return tca_bf16_from_double_rne(tca_prng_below(r, 2) ? mag : -mag);
    }
    case STUDENT_T: {
        double chi = 0;
        for (int i = 0; i < df; i++) {
            double z = tca_prng_normal(r);
            chi += z * z;
        }
        return tca_bf16_from_double_rne(scale * tca_prng_normal(r) / sqrt(chi / df + 1e-300));
    }
    case BIMODAL: return tca_bf16_from_double_rne((tca_prng_below(r, 2) ? scale : scale * 0x1p-20) * tca_prng_normal(r));
    case ONE_EXPONENT: return with_exponent(r, e0);
    case ALL_FALLBACK: return with_exponent(r, tca_prng_below(r, 2) ? 0 : 255);
    case PRESSED_LOW: return with_exponent(r, (unsigned)tca_prng_below(r, 9));          /* 0..8 */
    default: return with_exponent(r, 247 + (unsigned)tca_prng_below(r, 9));            /* 247..255 */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_producer p;
    fuzz_producer_init(&p, data, size);
    uint64_t rows = fuzz_take_range(&p, 1, 130);
    uint64_t cols = fuzz_take_range(&p, 1, 130);
    int dist = (int)fuzz_take_range(&p, 0, N_DIST - 1);
    double scale = ldexp(1.0, (int)fuzz_take_range(&p, 0, 60) - 40);
    int df = (int)fuzz_take_range(&p, 1, 5);
    unsigned e0 = fuzz_take_range(&p, 0, 255);
    unsigned zero_pct = fuzz_take_range(&p, 0, 50);
    unsigned special_pct = fuzz_take_range(&p, 0, 10);
    unsigned outlier_rows = fuzz_take_range(&p, 0, 3), outlier_cols = fuzz_take_range(&p, 0, 3);
    size_t plen;
    const uint8_t *payload = fuzz_payload(&p, &plen);
    tca_prng r;
    tca_prng_seed(&r, tca_crc32c(payload, plen));

    uint64_t n = rows * cols;
    uint16_t *w = malloc(n * sizeof *w), *back = malloc(n * sizeof *back);
    FUZZ_ASSERT(w && back);
    static const uint16_t specials[] = {0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0xFFC1, 0x7F81, 0x0001, 0x807F};
    for (uint64_t i = 0; i < n; i++) {
        uint16_t x = draw(&r, dist, scale, df, e0);
        uint64_t row = i / cols, col = i % cols;
        if (row < outlier_rows || col < outlier_cols) /* outliers: 2^16 times larger */
            x = tca_bf16_from_double_rne(tca_double_from_bf16(x) * 65536.0);
        if (tca_prng_below(&r, 100) < zero_pct) x = tca_prng_below(&r, 2) ? 0x8000 : 0x0000;
        if (tca_prng_below(&r, 100) < special_pct) x = specials[tca_prng_below(&r, sizeof specials / sizeof specials[0])];
        w[i] = x;
    }

    /* brute-force window (spec 4.5), computed here independently of the library */
    uint64_t hist[256] = {0};
    for (uint64_t i = 0; i < n; i++) hist[(w[i] >> 7) & 0xFF]++;
    unsigned best_w0 = 1;
    uint64_t best = 0;
    for (unsigned w0 = 1; w0 <= 249; w0++) {
        uint64_t c = 0;
        for (unsigned e = w0; e <= w0 + 6; e++) c += hist[e];
        if (c > best) { best = c; best_w0 = w0; }
    }

    tca_tbe_matrix *m = NULL;
    FUZZ_ASSERT(tca_tbe_encode(w, rows, cols, NULL, NULL, &m) == TCA_OK);
    FUZZ_ASSERT_MSG(m->view.hdr.base + 1u == best_w0, "w0 %u, brute force %u", m->view.hdr.base + 1u, best_w0);
    FUZZ_ASSERT(tca_tbe_decode(&m->view, back, n) == TCA_OK);
    FUZZ_ASSERT(memcmp(w, back, n * sizeof *w) == 0);
    tca_tbe_matrix_free(m);
    free(w);
    free(back);
    return 0;
}
