/* SPDX-License-Identifier: Apache-2.0 */
/* BF16 / binary32 bit-pattern helpers. Values are always handled as raw bit patterns
 * (uint16_t for BF16 and binary16, uint32_t for binary32); tests compare bits, never C floats. */
#ifndef TCA_BF16_H
#define TCA_BF16_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TCA_BF16_SIGN(x) ((unsigned)((x) >> 15) & 1u)
#define TCA_BF16_EXP(x) ((unsigned)((x) >> 7) & 0xFFu)
#define TCA_BF16_MANT(x) ((unsigned)(x)&0x7Fu)

#define TCA_BF16_CANONICAL_NAN 0x7FFFu /* what cvt.rn.bf16.f32 gives for any NaN */
#define TCA_F32_CANONICAL_NAN 0x7FFFFFFFu /* what mma/fadd give on NVIDIA GPUs */

/** Round a binary32 pattern to BF16, nearest-even (cvt.rn.bf16.f32): subnormals kept,
 *  overflow to +-Inf, any NaN -> 0x7FFF. */
uint16_t tca_bf16_from_f32_rne(uint32_t f32_bits);
/** Exact widening of a BF16 pattern to binary32. */
static inline uint32_t tca_f32_from_bf16(uint16_t b) { return (uint32_t)b << 16; }
/** Round an IEEE double to BF16, nearest-even, in one rounding (no double rounding through
 *  float). NaN -> 0x7FFF. Used by generators; deterministic on any IEEE-754 host. */
uint16_t tca_bf16_from_double_rne(double d);
/** Bits of a double rounded to binary32 nearest-even in one step (subnormals, overflow to Inf,
 *  NaN -> 0x7FFFFFFF). */
uint32_t tca_f32_from_double_rne(double d);
/** Exact value of a binary32 / BF16 pattern as a double (NaN gives a quiet NaN). */
double tca_double_from_f32(uint32_t f32_bits);
double tca_double_from_bf16(uint16_t b);

static inline int tca_bf16_is_nan(uint16_t x) { return (x & 0x7F80u) == 0x7F80u && (x & 0x7Fu); }
static inline int tca_f32_is_nan(uint32_t x)
{
    return (x & 0x7F800000u) == 0x7F800000u && (x & 0x7FFFFFu);
}

#ifdef __cplusplus
}
#endif
#endif
