/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: rounding an exact value M * 2^exp2 (M > 0 an integer) to a binary floating-point
 * format with subnormals, in integer arithmetic. Used by the step arithmetic (RZ to binary32,
 * RNE to binary16; spec mma-semantics 3.1 clause 6, 3.3) and by binary32 addition (RNE; spec
 * mma-semantics 5.2). */
#ifndef TCA_MMA_ROUND_H
#define TCA_MMA_ROUND_H
#include <stdint.h>

/* Number of significant bits of m > 0. */
static inline int tca__bit_length_u64(uint64_t m)
{
#if defined(__GNUC__) || defined(__clang__)
    return 64 - __builtin_clzll(m);
#else
    int n = 0;
    while (m) {
        n++;
        m >>= 1;
    }
    return n;
#endif
}

/* The magnitude bits of M * 2^exp2 rounded to a format with `mant_bits` stored fraction bits and
 * minimum normal exponent `emin`; `inf_bits` is the magnitude pattern of infinity. rne = 1 rounds
 * to nearest, ties to even; rne = 0 rounds toward zero. Returns 0 when the value rounds to zero
 * (the caller then returns +0 whatever the sign), inf_bits on overflow (never the largest finite
 * value: overflow gives Inf under both modes here, as the hardware does). */
static inline uint64_t tca__round_magnitude(uint64_t m, int64_t exp2, int mant_bits, int emin, int rne,
                                            uint64_t inf_bits)
{
    if (m == 0) return 0;
    const int64_t min_quantum = (int64_t)emin - mant_bits; /* exponent of the subnormal ulp */
    const int64_t top = (int64_t)tca__bit_length_u64(m) - 1 + exp2; /* exponent of the leading bit */
    /* exponent of the ulp at the result: subnormal grid below 2^emin */
    const int64_t qe = top < emin ? min_quantum : top - mant_bits;
    const int64_t shift = qe - exp2;
    uint64_t q;
    if (shift <= 0) {
        q = m << (unsigned)(-shift); /* exact: q < 2^(mant_bits + 1) by the choice of qe */
    } else {
        int round_bit;
        int sticky;
        if (shift > 64) {
            q = 0;
            round_bit = 0;
            sticky = 1;
        } else if (shift == 64) {
            q = 0;
            round_bit = (int)(m >> 63);
            sticky = (m & ~(UINT64_C(1) << 63)) != 0;
        } else {
            q = m >> shift;
            round_bit = (int)((m >> (shift - 1)) & 1u);
            sticky = (m & ((UINT64_C(1) << (shift - 1)) - 1u)) != 0;
        }
        if (rne && round_bit && (sticky || (q & 1u))) q++;
    }
    if (q == 0) return 0;
    /* (biased exponent - 1) << mant_bits plus q with its hidden bit: a carry out of the fraction
     * (q = 2^(mant_bits+1) after rounding up) moves into the exponent field by itself, and a
     * subnormal (qe = min_quantum) has biased exponent 0. */
    const int64_t biased_minus_1 = qe - min_quantum;
    if (biased_minus_1 > (int64_t)(inf_bits >> mant_bits)) return inf_bits;
    const uint64_t bits = ((uint64_t)biased_minus_1 << mant_bits) + q;
    return bits >= inf_bits ? inf_bits : bits;
}

#endif
