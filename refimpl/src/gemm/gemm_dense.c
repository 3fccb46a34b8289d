/* SPDX-License-Identifier: Apache-2.0 */
/* The GEMM contract (spec mma-semantics 6) from a dense W, written as plainly as the contract
 * reads: per output, per split, a chain of tca_mma_dot_f32 over the k16 chunks of the split's
 * 64-wide K tiles, K padded with zeros; partials added in increasing split order; BF16 rounding
 * last. It shares no data movement with the compressed path (gemm_ref.c), so the two check each
 * other. */
#include <string.h>
#include "gemm/gemm_internal.h"
#include "tca/bf16.h"

/* Copy 16 elements of a length-k row starting at k0, zero past the end (spec mma-semantics 6.5:
 * K is padded with zeros, which form zero products). */
static void load_chunk(const uint16_t *row, uint64_t k, uint64_t k0, uint16_t out[16])
{
    for (unsigned i = 0; i < 16; i++) out[i] = (k0 + i < k) ? row[k0 + i] : 0x0000u;
}

tca_status tca_gemm_dense_ref(const uint16_t *w, uint64_t m, uint64_t k, const uint16_t *x, uint64_t n,
                              const tca_mma_profile *p, uint32_t split_k, uint16_t *y, uint32_t *y_f32)
{
    if (w == NULL) return TCA_ERROR_PARAM_NULL;
    tca_status st = tca__gemm_check_params(m, k, x, n, p, split_k);
    if (st != TCA_OK) return st;

    for (uint64_t in = 0; in < n; in++) {
        const uint16_t *xrow = x + in * k;
        for (uint64_t im = 0; im < m; im++) {
            const uint16_t *wrow = w + im * k;
            uint32_t r = 0;
            for (uint32_t s = 0; s < split_k; s++) {
                uint64_t kt0, kt1;
                tca_gemm_split_range(k, split_k, s, &kt0, &kt1);
                uint32_t acc = 0x00000000u; /* spec 6.3: each split accumulates from +0 */
                for (uint64_t kt = kt0; kt < kt1; kt++) {
                    for (unsigned c = 0; c < 4; c++) { /* spec 6.2: k16 chunks in increasing k */
                        uint16_t a[16], b[16];
                        load_chunk(wrow, k, 64u * kt + 16u * c, a);
                        load_chunk(xrow, k, 64u * kt + 16u * c, b);
                        acc = tca_mma_dot_f32(p, TCA_MMA_IN_BF16, a, b, 16, acc);
                    }
                }
                /* spec 6.3: r = p0; r = r + p1; ... (binary32, nearest even) */
                r = (s == 0) ? acc : tca_f32_add_rne(r, acc);
            }
            /* spec 6.4: y_f32 is r; Y is r rounded to BF16 nearest even */
            if (y_f32) y_f32[in * m + im] = r;
            if (y) y[in * m + im] = tca_bf16_from_f32_rne(r);
        }
    }
    return TCA_OK;
}
