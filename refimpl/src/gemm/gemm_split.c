/* SPDX-License-Identifier: Apache-2.0 */
/* The split-K partition of the GEMM contract (spec mma-semantics 6.3) and the parameter checks
 * shared by the compressed and the dense reference paths. */
#include <stddef.h>
#include "common/le.h"
#include "gemm/gemm_internal.h"

void tca_gemm_split_range(uint64_t k, uint32_t split_k, uint32_t s, uint64_t *begin, uint64_t *end)
{
    const uint64_t t = tca__gemm_k_tiles(k);
    /* spec mma-semantics 6.3: split s covers K tiles [floor(sT/S), floor((s+1)T/S)). T <= 2^26
     * (K <= 2^32) and s < 2^32, so s*T cannot overflow 64 bits. An out-of-range s or S = 0 gives
     * an empty range instead of dividing by zero. */
    uint64_t b = 0, e = 0;
    if (split_k != 0 && s < split_k) {
        b = (uint64_t)s * t / split_k;
        e = ((uint64_t)s + 1u) * t / split_k;
    }
    if (begin) *begin = b;
    if (end) *end = e;
}

tca_status tca__gemm_check_params(uint64_t m, uint64_t k, const uint16_t *x, uint64_t n, const tca_mma_profile *p,
                                  uint32_t split_k)
{
    if (x == NULL || p == NULL) return TCA_ERROR_PARAM_NULL;
    if (m == 0 || k == 0 || n == 0 || m > TCA_TBE_DIM_MAX || k > TCA_TBE_DIM_MAX) return TCA_ERROR_PARAM_SHAPE;
    uint64_t prod;
    /* Every buffer the caller passes (x: n*k, y: n*m BF16, y_f32: n*m words) must be addressable. */
    if (tca__mul_overflow_u64(n, m, &prod) || prod > SIZE_MAX / 4u) return TCA_ERROR_PARAM_SHAPE;
    if (tca__mul_overflow_u64(n, k, &prod) || prod > SIZE_MAX / 2u) return TCA_ERROR_PARAM_SHAPE;
    /* spec mma-semantics 6.3: S in 1..T */
    if (split_k == 0 || split_k > tca__gemm_k_tiles(k)) return TCA_ERROR_PARAM_SPLIT_K;
    return TCA_OK;
}
