/* SPDX-License-Identifier: Apache-2.0 */
/* The GEMM contract (spec tca-mma-semantics 6) with every arithmetic operation done by the
 * oracle: the independent reference for tca_gemm_ref / tca_gemm_dense_ref and the GEMM vectors. */
#include <stdint.h>
#include "tca_oracle.h"

/* Written out here rather than borrowed from the GEMM module, so that a wrong split range there
 * cannot hide. spec 6.3: split s covers K tiles [floor(s*T/S), floor((s+1)*T/S)). */
static uint64_t split_start(uint64_t T, uint32_t S, uint64_t s) { return s * T / S; }

/* Element k of a row of length len, +0 beyond it (spec 6.5: K padded with +0). */
static uint16_t elem(const uint16_t *row, uint64_t len, uint64_t kk) { return kk < len ? row[kk] : 0x0000; }

tca_status tca_oracle_gemm(const uint16_t *w, uint64_t m, uint64_t k, const uint16_t *x, uint64_t n,
                           const tca_mma_profile *p, uint32_t split_k, uint16_t *y, uint32_t *y_f32)
{
    if (!w || !x || !p) return TCA_ERROR_PARAM_NULL;
    if (m == 0 || k == 0 || n == 0) return TCA_ERROR_PARAM_SHAPE;
    /* sizes: m*k, n*k and n*m must be addressable; k <= 2^40 keeps s*T below 2^64 */
    if (k > (1ull << 40) || m > UINT64_MAX / k || n > UINT64_MAX / k || n > UINT64_MAX / m)
        return TCA_ERROR_PARAM_SHAPE;
    if (p->frac_bits < 0 || p->frac_bits > 40 || p->block_products < 1 || p->block_products > 16)
        return TCA_ERROR_PARAM_PROFILE;
    uint64_t T = (k + 63) / 64;
    if (split_k < 1 || split_k > T) return TCA_ERROR_PARAM_SPLIT_K;
    for (uint64_t in = 0; in < n; in++)
        for (uint64_t im = 0; im < m; im++) {
            const uint16_t *wrow = w + im * k, *xrow = x + in * k;
            uint32_t r = 0;
            for (uint64_t s = 0; s < split_k; s++) {
                uint32_t acc = 0x00000000u; /* spec 6.2: from +0 */
                for (uint64_t kt = split_start(T, split_k, s); kt < split_start(T, split_k, s + 1); kt++)
                    for (uint64_t q = 0; q < 4; q++) {
                        uint16_t a[16], b[16];
                        uint64_t k0 = 64 * kt + 16 * q;
                        for (int i = 0; i < 16; i++) a[i] = elem(wrow, k, k0 + (uint64_t)i);
                        for (int i = 0; i < 16; i++) b[i] = elem(xrow, k, k0 + (uint64_t)i);
                        acc = tca_oracle_dot_f32(p, TCA_MMA_IN_BF16, a, b, 16, acc);
                    }
                r = s == 0 ? acc : tca_oracle_f32_add_rne(r, acc); /* spec 6.3: increasing s */
            }
            if (y_f32) y_f32[in * m + im] = r;
            if (y) y[in * m + im] = tca_oracle_bf16_from_f32_rne(r); /* spec 6.4 */
        }
    return TCA_OK;
}
