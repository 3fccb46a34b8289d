/* SPDX-License-Identifier: Apache-2.0 */
/* The GNU MPFR oracle: the tensor-core step arithmetic of spec/tca-mma-semantics.md computed a
 * second, independent way (numerics reference section 8), for differential testing of the
 * emulator (tca/mma.h). Library tca_oracle; never linked into libtca.
 *
 * Every function takes the same tca_mma_profile as the emulator (frac_bits F, block_products,
 * floor_f32, floor_f16) and mirrors the emulator's signature. Values are raw bit patterns.
 * Each call saves MPFR's exponent range, sets its own, and restores it before returning, so the
 * oracle leaves no MPFR state behind. Calls from several threads are safe exactly when MPFR's
 * exponent range is per thread (a thread-safe MPFR build, the Debian default). */
#ifndef TCA_ORACLE_H
#define TCA_ORACLE_H
#include <stdint.h>
#include "tca/mma.h"
#include "tca/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One fused step with a binary32 accumulator: n products (0..16) of `in` patterns a[i]*b[i]
 *  plus c. An invalid call (NULL profile, n outside 0..16, NULL arrays with n > 0, frac_bits
 *  outside 0..40, unknown `in`) returns 0x7FFFFFFF. */
uint32_t tca_oracle_step_f32(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b, int n,
                             uint32_t c);
/** One fused step with a binary16 accumulator (binary16 inputs). Invalid calls return 0x7FFF. */
uint16_t tca_oracle_step_f16(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int n, uint16_t c);

/** A k-chunk (k >= 0) as a chain of steps over consecutive chunks of p->block_products in
 *  increasing k, the last one shorter, each step's result the next one's c (k = 0: c unchanged).
 *  Invalid calls return the accumulator format's canonical NaN. */
uint32_t tca_oracle_dot_f32(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b, int k,
                            uint32_t c);
uint16_t tca_oracle_dot_f16(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int k, uint16_t c);

/** Tile level, the same layout as tca_mma_tile: A 16 x K row-major, B K x 8 row-major, C and D
 *  16 x 8 row-major (binary32, or binary16 in the low 16 bits with upper bits 0).
 *  @return TCA_ERROR_PARAM_NULL, TCA_ERROR_PARAM_PROFILE (profile outside the oracle's bounds),
 *  TCA_ERROR_PARAM_INVALID (unsupported op), else TCA_OK. */
tca_status tca_oracle_tile(const tca_mma_profile *p, tca_mma_op op, const uint16_t *A, const uint16_t *B,
                           const uint32_t *C, uint32_t *D);

/* ----------------------------------------------------------------- GEMM contract (MPFR) */

/** Y = X * W^T under the GEMM contract of spec tca-mma-semantics 6 (k16 chunks of the profile's
 *  step chain from +0 per split, splits [floor(sT/S), floor((s+1)T/S)) of the T = ceil(K/64)
 *  K tiles, partials added in increasing split order with binary32 RNE addition, BF16 RNE
 *  epilogue), every operation by the oracle. w: M x K row-major BF16, x: N x K row-major BF16,
 *  y: N x M BF16 (may be NULL), y_f32: N x M binary32 before the epilogue (may be NULL).
 *  @return TCA_ERROR_PARAM_NULL, TCA_ERROR_PARAM_SHAPE (a zero or overflowing size),
 *  TCA_ERROR_PARAM_PROFILE, TCA_ERROR_PARAM_SPLIT_K (S outside 1..T), else TCA_OK. */
tca_status tca_oracle_gemm(const uint16_t *w, uint64_t m, uint64_t k, const uint16_t *x, uint64_t n,
                           const tca_mma_profile *p, uint32_t split_k, uint16_t *y, uint32_t *y_f32);

/* ------------------------------------------------ IEEE conversions and addition (MPFR) */
/* The same operations as the common library and the emulator's split-K addition, computed by
 * MPFR in the target precision and exponent range with mpfr_subnormalize, for differential
 * tests of tca_f32_add_rne (tca/mma.h), tca_bf16_from_f32_rne, tca_bf16_from_double_rne,
 * tca_f32_from_double_rne (tca/bf16.h) and tca_f16_from_double_rne (tca/families.h). */

/** IEEE binary32 x + y, round to nearest even, subnormals kept; a NaN result is 0x7FFFFFFF. */
uint32_t tca_oracle_f32_add_rne(uint32_t x, uint32_t y);
/** binary32 -> bf16, nearest even, subnormals kept, overflow to Inf; NaN -> 0x7FFF. */
uint16_t tca_oracle_bf16_from_f32_rne(uint32_t x);
/** double -> bf16 / binary32 / binary16 in one rounding, nearest even, subnormals kept, overflow
 *  to Inf; NaN -> 0x7FFF / 0x7FFFFFFF / 0x7FFF. */
uint16_t tca_oracle_bf16_from_double_rne(double d);
uint32_t tca_oracle_f32_from_double_rne(double d);
uint16_t tca_oracle_f16_from_double_rne(double d);

#ifdef __cplusplus
}
#endif
#endif
