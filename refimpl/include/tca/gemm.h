/* SPDX-License-Identifier: Apache-2.0 */
/* Reference ZipGEMM: the GEMM contract of spec/tca-mma-semantics.md section 6, computed from a
 * TCA-TBE compressed W by decoding tiles into A fragments with the lane mapping kernels use. */
#ifndef TCA_GEMM_H
#define TCA_GEMM_H
#include <stdint.h>
#include "tca/mma.h"
#include "tca/status.h"
#include "tca/tbe.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Y[n][m] = sum_k W[m][k] * X[n][k] under the GEMM contract for profile p and split-K factor S.
 *  w: validated or not (it is validated first); x: N x K row-major BF16; y: N x M row-major BF16
 *  (may be NULL); y_f32: N x M binary32 patterns of the value before the final BF16 rounding
 *  (may be NULL). S must lie in 1..ceil(K/64).
 *  @return TCA_OK, a FORMAT error from validation, or TCA_ERROR_PARAM_*. */
tca_status tca_gemm_ref(const tca_tbe_view *w, const uint16_t *x, uint64_t n, const tca_mma_profile *p,
                        uint32_t split_k, uint16_t *y, uint32_t *y_f32);

/** tca_gemm_ref restricted to the 64-row strips [strip_begin, strip_end) of W, i.e. output
 *  columns m in [64*strip_begin, min(64*strip_end, M)) of every row of Y; the other elements of
 *  y / y_f32 are not touched. Each element gets exactly the bits tca_gemm_ref gives it, so
 *  callers can split one GEMM across threads (disjoint strip ranges, shared y). W is validated
 *  on every call. strip_end <= ceil(M/64), strip_begin <= strip_end (else
 *  TCA_ERROR_PARAM_INVALID); an empty range only validates. */
tca_status tca_gemm_ref_strips(const tca_tbe_view *w, const uint16_t *x, uint64_t n, const tca_mma_profile *p,
                               uint32_t split_k, uint64_t strip_begin, uint64_t strip_end, uint16_t *y,
                               uint32_t *y_f32);

/** The same contract from a dense W (M x K row-major), for checking the compressed path. */
tca_status tca_gemm_dense_ref(const uint16_t *w, uint64_t m, uint64_t k, const uint16_t *x, uint64_t n,
                              const tca_mma_profile *p, uint32_t split_k, uint16_t *y, uint32_t *y_f32);

/** K-tile range [*begin, *end) of split s (spec 6.3): begin = floor(s*T/S), end = floor((s+1)*T/S)
 *  with T = ceil(K/64). */
void tca_gemm_split_range(uint64_t k, uint32_t split_k, uint32_t s, uint64_t *begin, uint64_t *end);

#ifdef __cplusplus
}
#endif
#endif
