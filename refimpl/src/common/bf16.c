/* SPDX-License-Identifier: Apache-2.0 */
/* BF16 / binary32 conversions on raw bit patterns (spec tca-mma-semantics 5: epilogue rounding). */
#include "tca/bf16.h"
#include <string.h>

uint16_t tca_bf16_from_f32_rne(uint32_t x)
{
    if (tca_f32_is_nan(x)) return TCA_BF16_CANONICAL_NAN;
    /* Adding 0x7FFF plus the lowest kept bit rounds to nearest, ties to even; a carry out of the
     * mantissa moves into the exponent, which gives Inf on overflow. */
    return (uint16_t)((x + 0x7FFFu + ((x >> 16) & 1u)) >> 16);
}

/* Round the double's magnitude to a binary format with `mant_bits` stored mantissa bits and
 * exponent bias `bias`; returns the unsigned pattern (exponent and mantissa), or the Inf pattern
 * on overflow. */
static uint64_t round_double_magnitude(uint64_t dbits, int mant_bits, int bias, int exp_bits)
{
    int dexp = (int)((dbits >> 52) & 0x7FF);
    uint64_t sig = dbits & 0xFFFFFFFFFFFFFull;
    uint64_t inf = ((uint64_t)((1u << exp_bits) - 1)) << mant_bits;
    if (dexp == 0) return 0; /* double subnormals are far below every target's range */
    sig |= 1ull << 52;
    int e = dexp - 1023;               /* value = sig * 2^(e - 52) */
    int emin = 1 - bias;               /* smallest normal exponent of the target */
    int shift = 52 - mant_bits;        /* bits dropped for a normal result */
    if (e < emin) shift += emin - e;   /* subnormal result: coarser grid */
    uint64_t q;
    if (shift >= 64) {
        q = 0;
    } else {
        q = sig >> shift;
        uint64_t rem = sig & ((1ull << shift) - 1);
        uint64_t half = 1ull << (shift - 1);
        if (rem > half || (rem == half && (q & 1))) q++;
    }
    uint64_t out;
    if (e < emin) {
        out = q; /* q == 2^mant_bits is exactly the smallest normal pattern */
    } else {
        /* q is in [2^m, 2^(m+1)]; adding the biased exponent lets a carry renormalise. */
        out = ((uint64_t)(e + bias) << mant_bits) + q - (1ull << mant_bits);
    }
    return out >= inf ? inf : out;
}

uint16_t tca_bf16_from_double_rne(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    uint16_t sign = (uint16_t)((b >> 63) << 15);
    if (((b >> 52) & 0x7FF) == 0x7FF) return (b & 0xFFFFFFFFFFFFFull) ? 0x7FFF : (uint16_t)(sign | 0x7F80);
    return (uint16_t)(sign | round_double_magnitude(b & ~(1ull << 63), 7, 127, 8));
}

uint32_t tca_f32_from_double_rne(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    uint32_t sign = (uint32_t)(b >> 63) << 31;
    if (((b >> 52) & 0x7FF) == 0x7FF)
        return (b & 0xFFFFFFFFFFFFFull) ? TCA_F32_CANONICAL_NAN : (sign | 0x7F800000u);
    return sign | (uint32_t)round_double_magnitude(b & ~(1ull << 63), 23, 127, 8);
}

double tca_double_from_f32(uint32_t x)
{
    float f;
    memcpy(&f, &x, sizeof f);
    return (double)f; /* float -> double is exact */
}

double tca_double_from_bf16(uint16_t b) { return tca_double_from_f32(tca_f32_from_bf16(b)); }
