/* SPDX-License-Identifier: Apache-2.0 */
/* IEEE 754 binary32 addition, round to nearest ties to even, in integer arithmetic (spec
 * mma-semantics 5.2): the split-K reduction of the GEMM contract (spec mma-semantics 6.3).
 * No host floating point is used, so the result does not depend on the host's FPU modes
 * (flush-to-zero, x87 precision). */
#include "mma/mma_round.h"
#include "tca/bf16.h"
#include "tca/mma.h"

uint32_t tca_f32_add_rne(uint32_t x, uint32_t y)
{
    const uint32_t ex = (x >> 23) & 0xFFu, ey = (y >> 23) & 0xFFu;
    const uint32_t fx = x & 0x7FFFFFu, fy = y & 0x7FFFFFu;
    const uint32_t sx = x >> 31, sy = y >> 31;

    /* spec 5.2 clause 1: any NaN operand gives the canonical NaN */
    if ((ex == 0xFFu && fx) || (ey == 0xFFu && fy)) return TCA_F32_CANONICAL_NAN;
    /* clause 2: infinities; (+Inf) + (-Inf) is invalid */
    if (ex == 0xFFu || ey == 0xFFu) {
        if (ex == 0xFFu && ey == 0xFFu && sx != sy) return TCA_F32_CANONICAL_NAN;
        return ex == 0xFFu ? x : y;
    }
    /* clause 3: zeros. Both zero: -0 only for (-0) + (-0); one zero: the other operand exactly */
    const int xz = (x & 0x7FFFFFFFu) == 0, yz = (y & 0x7FFFFFFFu) == 0;
    if (xz && yz) return (sx && sy) ? 0x80000000u : 0u;
    if (xz) return y;
    if (yz) return x;

    /* clause 4: exact sum of the two values m * 2^e, rounded once */
    uint64_t mx = ex ? (fx | 0x800000u) : fx, my = ey ? (fy | 0x800000u) : fy;
    int64_t qx = ex ? (int64_t)ex - 150 : -149, qy = ey ? (int64_t)ey - 150 : -149;
    uint32_t sbig = sx, ssmall = sy;
    if (qy > qx) { /* order so that x has the larger ulp exponent */
        uint64_t tm = mx;
        mx = my;
        my = tm;
        int64_t tq = qx;
        qx = qy;
        qy = tq;
        sbig = sy;
        ssmall = sx;
    }
    const int64_t diff = qx - qy;
    int64_t exp2;
    /* Align: up to 38 bits the larger operand is shifted left (exact: 2^24 * 2^38 < 2^63).
     * Beyond that the smaller one is shifted right with a sticky bit: the result then has at
     * least 61 significant bits, so its rounding position lies far above bit 0 and the sticky
     * bit decides only "exactly on / off a rounding boundary", which it does correctly. */
    if (diff <= 38) {
        mx <<= diff;
        exp2 = qy;
    } else {
        const int64_t rs = diff - 38;
        const uint64_t lost = rs >= 64 ? my : (my & ((UINT64_C(1) << rs) - 1u));
        my = rs >= 64 ? 0 : my >> rs;
        if (lost) my |= 1u;
        mx <<= 38;
        exp2 = qy + rs;
    }
    const int64_t s = (sbig ? -(int64_t)mx : (int64_t)mx) + (ssmall ? -(int64_t)my : (int64_t)my);
    /* an exact zero sum of nonzero operands is +0 under round-to-nearest */
    if (s == 0) return 0u;
    const int neg = s < 0;
    const uint64_t mag = neg ? (uint64_t)(-s) : (uint64_t)s;
    const uint64_t bits = tca__round_magnitude(mag, exp2, 23, -126, 1, 0x7F800000u);
    return (uint32_t)bits | (neg ? 0x80000000u : 0u);
}
