/* SPDX-License-Identifier: Apache-2.0 */
/* The fused step of a tensor-core instruction (spec mma-semantics 3.1, 3.3) and the per-profile
 * chaining of steps inside one instruction (spec mma-semantics 3.2), in exact int64 arithmetic.
 *
 * Integer widths (spec mma-semantics 3.1, note on widths): a bf16 product is below 2^16 and is
 * shifted left by at most F - 14; an f16 product is below 2^22 and shifted left by at most
 * F - 20; c is below 2^24 and shifted left by at most F - 23. With F <= 40 (checked by
 * tca_mma_profile_validate) each term is below 2^43, and any number of terms up to 2^19 sums
 * without overflow in int64. */
#include <stddef.h>
#include "mma/mma_round.h"
#include "mma/step_internal.h"
#include "tca/bf16.h"
#include "tca/mma.h"

#define F16_CANONICAL_NAN 0x7FFFu /* spec mma-semantics 3.3: NaN result with an f16 accumulator */

enum { CLS_FINITE = 0, CLS_INF = 1, CLS_NAN = 2 };

/* A decoded operand: value = (-1)^neg * m * 2^(e - fb), m including the hidden bit of a normal
 * number; a subnormal has e = emin and no hidden bit (spec mma-semantics 3.1, notation). */
typedef struct operand {
    uint32_t m;
    int e;
    int neg;
    int cls;
} operand;

/* Split an IEEE pattern with `mbits` mantissa bits, `ebits` exponent bits and bias `bias` into
 * class, sign, integer significand m (hidden bit included for normals) and exponent e, so that a
 * finite value is (-1)^neg * m * 2^(e - mbits); subnormals use e = 1 - bias (spec 3.1). */
static operand decode_ieee(uint32_t x, unsigned mbits, unsigned ebits, int bias)
{
    operand o;
    const uint32_t emax = (1u << ebits) - 1u, ef = (x >> mbits) & emax, f = x & ((1u << mbits) - 1u);
    o.neg = (int)(x >> (mbits + ebits));
    if (ef == emax) {
        o.cls = f ? CLS_NAN : CLS_INF;
        o.m = 0;
        o.e = 0;
    } else {
        o.cls = CLS_FINITE;
        o.m = ef ? f | (1u << mbits) : f;
        o.e = ef ? (int)ef - bias : 1 - bias;
    }
    return o;
}

static operand decode_bf16(uint16_t x) { return decode_ieee(x, 7, 8, 127); }
static operand decode_f16(uint16_t x) { return decode_ieee(x, 10, 5, 15); }
static operand decode_f32(uint32_t x) { return decode_ieee(x, 23, 8, 127); }

/* Outcome of clauses 1-5 of a step: a special result, or the exact value sum * 2^scale. */
enum { OUT_FINITE = 0, OUT_NAN, OUT_POS_INF, OUT_NEG_INF };
typedef struct step_exact {
    int kind;
    int64_t sum;
    int scale;
} step_exact;

#define MAX_STEP_PRODUCTS 16

/* Clauses 1-5 of spec mma-semantics 3.1, written clause by clause (the general path: any
 * profile, special values). fb: fraction bits of the inputs (7 bf16, 10 f16); c: the decoded
 * accumulator, cfb its fraction bits (23 f32, 10 f16). n <= 16. */
static step_exact step_exact_generic(int in_f16, const uint16_t *a, const uint16_t *b, int n, operand c, int cfb,
                                 int F, int floor_exp)
{
    step_exact r = {OUT_FINITE, 0, 0};
    const int fb = in_f16 ? 10 : 7;
    uint32_t prod[MAX_STEP_PRODUCTS];
    int pexp[MAX_STEP_PRODUCTS];
    int pneg[MAX_STEP_PRODUCTS];
    int any_nan = c.cls == CLS_NAN, inf_times_zero = 0;
    int pos_inf = c.cls == CLS_INF && !c.neg, neg_inf = c.cls == CLS_INF && c.neg;
    int have_term = 0;
    int emax = 0;

    for (int i = 0; i < n; i++) {
        const operand x = in_f16 ? decode_f16(a[i]) : decode_bf16(a[i]);
        const operand y = in_f16 ? decode_f16(b[i]) : decode_bf16(b[i]);
        const int neg = x.neg ^ y.neg;
        prod[i] = 0;
        pneg[i] = neg;
        pexp[i] = 0;
        if (x.cls == CLS_NAN || y.cls == CLS_NAN) {
            any_nan = 1;
        } else if (x.cls == CLS_INF || y.cls == CLS_INF) {
            /* Inf x 0 is NaN; Inf x finite nonzero (or x Inf) is an infinite product */
            if ((x.cls == CLS_FINITE && x.m == 0) || (y.cls == CLS_FINITE && y.m == 0))
                inf_times_zero = 1;
            else if (neg)
                neg_inf = 1;
            else
                pos_inf = 1;
        } else if (x.m != 0 && y.m != 0) {
            /* clause 2: exact product, UNNORMALISED exponent e_a + e_b */
            prod[i] = x.m * y.m;
            pexp[i] = x.e + y.e;
            /* clause 3: zero products do not take part in E_max */
            if (!have_term || pexp[i] > emax) emax = pexp[i];
            have_term = 1;
        }
    }
    /* clause 1: specials, in this order */
    if (any_nan || inf_times_zero || (pos_inf && neg_inf)) {
        r.kind = OUT_NAN;
        return r;
    }
    if (pos_inf || neg_inf) {
        r.kind = pos_inf ? OUT_POS_INF : OUT_NEG_INF;
        return r;
    }
    /* clause 3: c = +-0 does not take part in E_max either */
    if (c.m != 0) {
        if (!have_term || c.e > emax) emax = c.e;
        have_term = 1;
    }
    if (!have_term) return r; /* sum 0: the result is +0 */
    if (emax < floor_exp) emax = floor_exp;

    /* clauses 4-5: align each term to 2^(emax - F), truncating toward zero in sign-magnitude,
     * then add exactly */
    int64_t sum = 0;
    for (int i = 0; i < n; i++) {
        if (prod[i] == 0) continue;
        const int sh = F + pexp[i] - emax - 2 * fb;
        int64_t t;
        if (sh >= 0)
            t = (int64_t)prod[i] << sh;
        else
            t = -sh >= 32 ? 0 : (int64_t)(prod[i] >> -sh);
        sum += pneg[i] ? -t : t;
    }
    if (c.m != 0) {
        const int sh = F + c.e - emax - cfb;
        int64_t t;
        if (sh >= 0)
            t = (int64_t)c.m << sh;
        else
            t = -sh >= 32 ? 0 : (int64_t)(c.m >> -sh);
        sum += c.neg ? -t : t;
    }
    r.sum = sum;
    r.scale = emax - F;
    return r;
}


/* Decode tables for the fast path, indexed by an input's sign and exponent bits (x >> 7 for
 * bf16, x >> 10 for f16); computed by the compiler from the macros below. An entry holds the
 * hidden bit (bits 15:0: 0x80 / 0x400 for a normal number, 0 for a zero or subnormal), the
 * exponent field with a subnormal's 0 replaced by 1 (bits 24:16: field + unbiased = emin rule of
 * spec 3.1), and DECODE_SPECIAL for an Inf or NaN. Adding two entries adds the exponents in bits
 * 24:16 without carries from below (hidden bits sum to at most 0x800). */
#define DECODE_SPECIAL 0x40000000u
#define DECODE_ENTRY(field, all_ones, hidden)                                                                  \
    (((field) == (all_ones) ? DECODE_SPECIAL : 0u) | ((uint32_t)((field) == 0 ? 1 : (field)) << 16) |        \
     ((field) != 0 ? (hidden) : 0u))
#define BF16_ENTRY(i) DECODE_ENTRY((i)&0xFF, 0xFF, 0x80u),
#define F16_ENTRY(i) DECODE_ENTRY((i)&0x1F, 0x1F, 0x400u),
#define REP2(f, i) f(i) f((i) + 1)
#define REP4(f, i) REP2(f, i) REP2(f, (i) + 2)
#define REP8(f, i) REP4(f, i) REP4(f, (i) + 4)
#define REP16(f, i) REP8(f, i) REP8(f, (i) + 8)
#define REP32(f, i) REP16(f, i) REP16(f, (i) + 16)
#define REP64(f, i) REP32(f, i) REP32(f, (i) + 32)
#define REP128(f, i) REP64(f, i) REP64(f, (i) + 64)
#define REP256(f, i) REP128(f, i) REP128(f, (i) + 128)
#define REP512(f, i) REP256(f, i) REP256(f, (i) + 256)
static const uint32_t decode_table_bf16[512] = {REP512(BF16_ENTRY, 0)};
static const uint32_t decode_table_f16[64] = {REP64(F16_ENTRY, 0)};

/* The same clauses without branches on the data, for the common case: no Inf or NaN among the
 * inputs and c, and F >= 2 fb and F >= cfb (every profile in the table). Each term is aligned as
 * (P << (F - 2 fb)) >> (E_max - E): the left shift is exact (below 2^43) and the arithmetic right
 * shift of a nonnegative value truncates toward zero, so the result equals clause 4 exactly.
 * Returns 0 when it does not apply (the caller then takes the general path). One instance per
 * input format, so that the field widths are constants. */
#if defined(__GNUC__) && !defined(__clang__)
#define TCA_UNROLL4 _Pragma("GCC unroll 4")
#else
#define TCA_UNROLL4
#endif
#define DEFINE_STEP_EXACT_FAST(NAME, FB, ESHIFT, TABLE, FMASK, BIAS2, NPROD, UNROLL)                                            \
    static int NAME(const uint16_t *a, const uint16_t *b, int n, operand c, int cfb, int F, int floor_exp,        \
                    step_exact *out)                                                                             \
    {                                                                                                            \
        if (F < 2 * (FB) || F < cfb || c.cls != CLS_FINITE) return 0;                                            \
        uint32_t prod[MAX_STEP_PRODUCTS];                                                                        \
        int pexp[MAX_STEP_PRODUCTS];                                                                             \
        uint32_t pneg[MAX_STEP_PRODUCTS];                                                                        \
        unsigned special = 0;                                                                                    \
        const int none = -100000; /* below every exponent: "no term" */                                          \
        int emax = none;                                                                                         \
        UNROLL                                                                                                   \
        for (int i = 0; i < (NPROD); i++) {                                                                      \
            const unsigned x = a[i], y = b[i];                                                                   \
            /* one table look-up per input on its sign and exponent bits (see decode_table_*) */        \
            const uint32_t tx = (TABLE)[x >> (ESHIFT)], ty = (TABLE)[y >> (ESHIFT)];                             \
            special |= tx | ty;                                                                                  \
            const uint32_t mx = (x & (FMASK)) | (tx & 0xFFFFu);                                                  \
            const uint32_t my = (y & (FMASK)) | (ty & 0xFFFFu);                                                  \
            const int e = (int)(((tx + ty) >> 16) & 0x1FFu) - (BIAS2);                                           \
            prod[i] = mx * my;                                                                                   \
            pexp[i] = e;                                                                                         \
            pneg[i] = ((x ^ y) >> 15) & 1u;                                                                      \
            const int te = prod[i] ? e : none; /* clause 3: zero products take no part */                        \
            emax = te > emax ? te : emax;                                                                        \
        }                                                                                                        \
        if (special & DECODE_SPECIAL) return 0; /* an Inf or NaN among the inputs */                            \
        const int cterm = c.m ? c.e : none; /* clause 3: c = +-0 takes no part */                                \
        emax = cterm > emax ? cterm : emax;                                                                      \
        out->kind = OUT_FINITE;                                                                                  \
        if (emax == none) { /* no nonzero term: +0 */                                                            \
            out->sum = 0;                                                                                        \
            out->scale = 0;                                                                                      \
            return 1;                                                                                            \
        }                                                                                                        \
        emax = emax < floor_exp ? floor_exp : emax;                                                              \
        const unsigned lshift = (unsigned)(F - 2 * (FB));                                                        \
        int64_t sum = 0;                                                                                         \
        UNROLL                                                                                                   \
        for (int i = 0; i < (NPROD); i++) {                                                                      \
            unsigned d = (unsigned)(emax - pexp[i]); /* >= 0 for nonzero products; zero ones add 0 */            \
            d = d > 63u ? 63u : d;                                                                               \
            const int64_t t = ((int64_t)prod[i] << lshift) >> d;                                                 \
            const int64_t sg = -(int64_t)pneg[i];                                                                \
            sum += (t ^ sg) - sg;                                                                                \
        }                                                                                                        \
        if (c.m) {                                                                                               \
            unsigned d = (unsigned)(emax - c.e);                                                                 \
            d = d > 63u ? 63u : d;                                                                               \
            const int64_t t = ((int64_t)c.m << (unsigned)(F - cfb)) >> d;                                        \
            sum += c.neg ? -t : t;                                                                               \
        }                                                                                                        \
        out->sum = sum;                                                                                          \
        out->scale = emax - F;                                                                                   \
        return 1;                                                                                                \
    }

/* instances with a constant product count (16: sm90 k16; 8: sm80/86/89 halves, k8) unroll fully */
DEFINE_STEP_EXACT_FAST(step_exact_fast_bf16_16, 7, 7u, decode_table_bf16, 0x7Fu, 254, 16, TCA_UNROLL4)
DEFINE_STEP_EXACT_FAST(step_exact_fast_bf16_8, 7, 7u, decode_table_bf16, 0x7Fu, 254, 8, TCA_UNROLL4)
DEFINE_STEP_EXACT_FAST(step_exact_fast_bf16_n, 7, 7u, decode_table_bf16, 0x7Fu, 254, n, /* no unrolling */)
DEFINE_STEP_EXACT_FAST(step_exact_fast_f16_16, 10, 10u, decode_table_f16, 0x3FFu, 30, 16, TCA_UNROLL4)
DEFINE_STEP_EXACT_FAST(step_exact_fast_f16_8, 10, 10u, decode_table_f16, 0x3FFu, 30, 8, TCA_UNROLL4)
DEFINE_STEP_EXACT_FAST(step_exact_fast_f16_n, 10, 10u, decode_table_f16, 0x3FFu, 30, n, /* no unrolling */)

static int step_exact_fast(int in_f16, const uint16_t *a, const uint16_t *b, int n, operand c, int cfb, int F,
                           int floor_exp, step_exact *out)
{
    if (in_f16) {
        if (n == 16) return step_exact_fast_f16_16(a, b, n, c, cfb, F, floor_exp, out);
        if (n == 8) return step_exact_fast_f16_8(a, b, n, c, cfb, F, floor_exp, out);
        return step_exact_fast_f16_n(a, b, n, c, cfb, F, floor_exp, out);
    }
    if (n == 16) return step_exact_fast_bf16_16(a, b, n, c, cfb, F, floor_exp, out);
    if (n == 8) return step_exact_fast_bf16_8(a, b, n, c, cfb, F, floor_exp, out);
    return step_exact_fast_bf16_n(a, b, n, c, cfb, F, floor_exp, out);
}

static step_exact step_exact_sum(int in_f16, const uint16_t *a, const uint16_t *b, int n, operand c, int cfb, int F,
                                 int floor_exp, int allow_fast)
{
    step_exact r;
    if (allow_fast && step_exact_fast(in_f16, a, b, n, c, cfb, F, floor_exp, &r)) return r;
    return step_exact_generic(in_f16, a, b, n, c, cfb, F, floor_exp);
}

/* the checks of tca_mma_profile_validate, inline: this runs once per step */
static int profile_usable(const tca_mma_profile *p)
{
    return p != NULL && p->frac_bits >= 0 && p->frac_bits <= 40 && p->block_products >= 1 &&
           p->block_products <= MAX_STEP_PRODUCTS && p->floor_f32 >= -400 && p->floor_f32 <= 400 &&
           p->floor_f16 >= -400 && p->floor_f16 <= 400;
}

/* A step whose arguments are already checked (the public functions check them). */
static uint32_t step_f32_checked(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b,
                                 int n, uint32_t c, int allow_fast)
{
    const step_exact s = step_exact_sum(in == TCA_MMA_IN_F16, a, b, n, decode_f32(c), 23, p->frac_bits,
                                        p->floor_f32, allow_fast);
    switch (s.kind) {
    case OUT_NAN:
        return TCA_F32_CANONICAL_NAN; /* clause 1: 0x7FFFFFFF */
    case OUT_POS_INF:
        return 0x7F800000u;
    case OUT_NEG_INF:
        return 0xFF800000u;
    default:
        break;
    }
    /* clause 6: round toward zero to binary32; zero results are +0 whatever the signs */
    const int neg = s.sum < 0;
    const uint64_t mag = neg ? (uint64_t)0 - (uint64_t)s.sum : (uint64_t)s.sum;
    const uint64_t bits = tca__round_magnitude(mag, s.scale, 23, -126, 0, 0x7F800000u);
    if (bits == 0) return 0u;
    return (uint32_t)bits | (neg ? 0x80000000u : 0u);
}

static uint16_t step_f16_checked(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int n, uint16_t c,
                                 int allow_fast)
{
    const step_exact s = step_exact_sum(1, a, b, n, decode_f16(c), 10, p->frac_bits, p->floor_f16, allow_fast);
    switch (s.kind) {
    case OUT_NAN:
        return F16_CANONICAL_NAN; /* spec 3.3: 0x7FFF */
    case OUT_POS_INF:
        return 0x7C00u;
    case OUT_NEG_INF:
        return 0xFC00u;
    default:
        break;
    }
    /* spec 3.3: round the truncated sum to nearest even binary16; zero results are +0 */
    const int neg = s.sum < 0;
    const uint64_t mag = neg ? (uint64_t)0 - (uint64_t)s.sum : (uint64_t)s.sum;
    const uint64_t bits = tca__round_magnitude(mag, s.scale, 10, -14, 1, 0x7C00u);
    if (bits == 0) return 0u;
    return (uint16_t)((uint16_t)bits | (neg ? 0x8000u : 0u));
}

static uint32_t step_f32(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b, int n,
                         uint32_t c, int allow_fast)
{
    if (!profile_usable(p) || n < 0 || n > MAX_STEP_PRODUCTS || (n > 0 && (a == NULL || b == NULL)) ||
        (in != TCA_MMA_IN_BF16 && in != TCA_MMA_IN_F16))
        return TCA_F32_CANONICAL_NAN;
    return step_f32_checked(p, in, a, b, n, c, allow_fast);
}

static uint16_t step_f16(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int n, uint16_t c,
                         int allow_fast)
{
    if (!profile_usable(p) || n < 0 || n > MAX_STEP_PRODUCTS || (n > 0 && (a == NULL || b == NULL)))
        return F16_CANONICAL_NAN;
    return step_f16_checked(p, a, b, n, c, allow_fast);
}

uint32_t tca_mma_step_f32(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b, int n,
                          uint32_t c)
{
    return step_f32(p, in, a, b, n, c, 1);
}

uint16_t tca_mma_step_f16(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int n, uint16_t c)
{
    return step_f16(p, a, b, n, c, 1);
}

uint32_t tca__mma_step_f32_generic(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b,
                                   int n, uint32_t c)
{
    return step_f32(p, in, a, b, n, c, 0);
}

uint16_t tca__mma_step_f16_generic(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int n, uint16_t c)
{
    return step_f16(p, a, b, n, c, 0);
}

/* spec mma-semantics 3.2: consecutive chunks of block_products in increasing k, each step's
 * rounded output the next step's c. */
uint32_t tca_mma_dot_f32(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b, int k,
                         uint32_t c)
{
    if (!profile_usable(p) || k < 0 || (k > 0 && (a == NULL || b == NULL)) ||
        (in != TCA_MMA_IN_BF16 && in != TCA_MMA_IN_F16))
        return TCA_F32_CANONICAL_NAN;
    uint32_t acc = c;
    for (int k0 = 0; k0 < k; k0 += p->block_products) {
        const int n = k - k0 < p->block_products ? k - k0 : p->block_products;
        acc = step_f32_checked(p, in, a + k0, b + k0, n, acc, 1); /* checked above; n <= block <= 16 */
    }
    return acc;
}

uint16_t tca_mma_dot_f16(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int k, uint16_t c)
{
    if (!profile_usable(p) || k < 0 || (k > 0 && (a == NULL || b == NULL))) return F16_CANONICAL_NAN;
    uint16_t acc = c;
    for (int k0 = 0; k0 < k; k0 += p->block_products) {
        const int n = k - k0 < p->block_products ? k - k0 : p->block_products;
        acc = step_f16_checked(p, a + k0, b + k0, n, acc, 1);
    }
    return acc;
}

tca_status tca_mma_profile_validate(const tca_mma_profile *p)
{
    if (p == NULL) return TCA_ERROR_PARAM_NULL;
    /* bounds that keep every term and sum of the step inside int64 (see the top of this file) */
    if (p->frac_bits < 0 || p->frac_bits > 40) return TCA_ERROR_PARAM_PROFILE;
    if (p->block_products < 1 || p->block_products > MAX_STEP_PRODUCTS) return TCA_ERROR_PARAM_PROFILE;
    if (p->floor_f32 < -400 || p->floor_f32 > 400 || p->floor_f16 < -400 || p->floor_f16 > 400)
        return TCA_ERROR_PARAM_PROFILE;
    return TCA_OK;
}
