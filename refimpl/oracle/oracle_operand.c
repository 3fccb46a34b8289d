/* SPDX-License-Identifier: Apache-2.0 */
/* Pattern decoding for the oracle (numerics reference section 3, "Notation"). */
#include "oracle_operand.h"

oracle_operand oracle_decode(uint32_t bits, oracle_format f)
{
    uint32_t frac_mask = (1u << f.frac_bits) - 1u;
    uint32_t exp_max = (1u << f.exp_bits) - 1u;
    int bias = (int)(exp_max >> 1);
    uint32_t frac = bits & frac_mask;
    uint32_t expf = (bits >> f.frac_bits) & exp_max;
    oracle_operand o;
    o.sign = (int)((bits >> (f.frac_bits + f.exp_bits)) & 1u);
    o.m = 0;
    o.e = 0;
    if (expf == exp_max) {
        o.cls = frac ? ORACLE_NAN : ORACLE_INF;
    } else if (expf == 0) {
        /* zero, or a subnormal: no hidden bit, exponent emin = 1 - bias */
        o.cls = frac ? ORACLE_FINITE : ORACLE_ZERO;
        o.m = frac;
        o.e = 1 - bias;
    } else {
        o.cls = ORACLE_FINITE;
        o.m = frac | (1u << f.frac_bits);
        o.e = (int)expf - bias;
    }
    return o;
}
