/* SPDX-License-Identifier: Apache-2.0 */
/* MMA input families: deterministic generators of one m16n8k16 / m16n8k8 tile (A, B, C) that
 * exercise specific rules of the tensor-core arithmetic (numerics reference section 9).
 * The draw order of every family is normative: spec/tca-mma-families.md. A third party that
 * implements SplitMix64 (spec/tca-test-vectors.md section 2) and that document regenerates
 * identical bits. Used by the hardware capture program, the vector generator, the oracle's
 * differential tests and the fuzzers. */
#ifndef TCA_FAMILIES_H
#define TCA_FAMILIES_H
#include <stdint.h>
#include "tca/mma.h"
#include "tca/prng.h"
#include "tca/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The families, in their normative order (the numbers are pinned: vector files may store them). */
typedef enum tca_family {
    TCA_FAMILY_UNKNOWN = -1,
    TCA_FAMILY_NORMAL = 0,      /* "normal": N(0,1) inputs and C; F, alignment, truncation */
    TCA_FAMILY_WIDERANGE = 1,   /* "widerange": large exponent spread */
    TCA_FAMILY_RANDBITS = 2,    /* "randbits": uniform bit patterns; specials, NaN canonicalisation */
    TCA_FAMILY_TINY = 3,        /* "tiny": tiny products; c = 0 dropped, FLOOR, subnormal outputs */
    TCA_FAMILY_ZEROS = 4,       /* "zeros": zero A columns meet huge B rows; zero products ignored */
    TCA_FAMILY_SIGNEDZERO = 5,  /* "signedzero": ~2/3 of inputs +-0; the +0 rule */
    TCA_FAMILY_CANCEL = 6,      /* "cancel": x*y + x*(-y), every other product 0; exact cancellation */
    TCA_FAMILY_OVERFLOW = 7,    /* "overflow": results beyond the accumulator range; +-Inf */
    TCA_FAMILY_FLOORSWEEP = 8,  /* "floorsweep": C = +-0, products far below 2^-126; FLOOR */
    TCA_FAMILY_WEIGHTLIKE = 9,  /* "weightlike": Gaussian sigma 0.02 weights with zeros/specials */
    TCA_FAMILY_AMPERESPLIT = 10 /* "amperesplit": step(8) o step(8) differs from step(16) */
} tca_family;

#define TCA_FAMILY_COUNT 11

/** Lower-case name ("normal", ...), or "unknown" for a value outside 0..TCA_FAMILY_COUNT-1. */
const char *tca_family_name(tca_family f);
/** The family with that exact name; TCA_FAMILY_UNKNOWN for NULL or an unknown name. */
tca_family tca_family_by_name(const char *name);

/** Fill one tile of the given op from the generator r, advancing it by the family's draws.
 *  A: 16 x K row-major input patterns (K = 16 for m16n8k16, 8 for m16n8k8), B: K x 8 row-major
 *  (B[k][n]), C: 16 x 8 row-major accumulators (binary32 patterns; for f16 accumulators the
 *  binary16 pattern in the low 16 bits, upper bits 0), the same layout as tca_mma_tile.
 *  Supported ops: both shapes, bf16 or f16 inputs, f32 accumulators, and f16 accumulators with
 *  f16 inputs.
 *  @return TCA_ERROR_PARAM_NULL for a NULL pointer, TCA_ERROR_PARAM_INVALID for an unknown family
 *  or unsupported op (nothing is written and r is not advanced), else TCA_OK. */
tca_status tca_family_fill(tca_family f, tca_mma_op op, tca_prng *r, uint16_t *A, uint16_t *B, uint32_t *C);

/** K of an op's shape: 16 (m16n8k16), 8 (m16n8k8), 0 for an unknown shape. */
int tca_family_op_k(tca_mma_op op);

/** Round an IEEE double to binary16, nearest-even, in one rounding: subnormals kept, overflow to
 *  +-Inf, NaN -> 0x7FFF. Deterministic on any IEEE-754 host (used by the f16 family variants). */
uint16_t tca_f16_from_double_rne(double d);

#ifdef __cplusplus
}
#endif
#endif
