/* SPDX-License-Identifier: Apache-2.0 */
/* One fused tensor-core step computed with GNU MPFR, following the recipe of the numerics
 * reference section 8 (and the algorithm of its section 3 / spec tca-mma-semantics 3.1):
 *   products exact with mpfr_mul at precision 64; E_i = e_a + e_b from the encodings (never
 *   mpfr_get_exp, which renormalises); zero products and c = 0 dropped; E_max = max(.., FLOOR);
 *   each term scaled by 2^(F - E_max), mpfr_trunc, scaled back; an exact mpfr_sum; one final
 *   rounding to the accumulator format with MPFR's exponent range narrowed to it and
 *   mpfr_subnormalize; then the documented patches (RZ overflow -> Inf, zero -> +0, canonical
 *   NaN). MPFR's exponent range is saved and restored around every call. mpfr_dot is not used. */
/* stdint.h before mpfr.h: MPFR declares its intmax_t functions only then. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <gmp.h>
#include <mpfr.h>
#include "oracle_operand.h"
#include "tca_oracle.h"

#define ORACLE_PREC 64 /* >= the 2*11 bits of an f16 product and the < 48-bit truncated sum */
#define ORACLE_MAX_TERMS 17

/* The accumulator format and its final rounding (numerics reference section 8, steps 5 and 6). */
typedef struct acc_format {
    oracle_format fmt;  /* binary32 or binary16 */
    mpfr_prec_t prec;   /* 24 / 11 */
    mpfr_exp_t emin;    /* -148 / -23 (MPFR convention: significand in [0.5, 1)) */
    mpfr_exp_t emax;    /* 128 / 16 */
    mpfr_rnd_t rnd;     /* RNDZ for f32, RNDN for f16 */
    uint32_t nan;       /* 0x7FFFFFFF / 0x7FFF */
} acc_format;

static const acc_format ACC_F32 = {{23, 8}, 24, -148, 128, MPFR_RNDZ, 0x7FFFFFFFu};
static const acc_format ACC_F16 = {{10, 5}, 11, -23, 16, MPFR_RNDN, 0x7FFFu};

static _Noreturn void oracle_fail(const char *what)
{
    /* An internal inconsistency of the oracle itself (a step that must be exact was not): a
     * wrong answer would be worse than stopping. */
    fprintf(stderr, "tca_oracle: internal error: %s\n", what);
    abort();
}

static uint32_t inf_bits(const acc_format *af, int sign)
{
    int fb = af->fmt.frac_bits, eb = af->fmt.exp_bits;
    return ((uint32_t)sign << (fb + eb)) | (((1u << eb) - 1u) << fb);
}

/* Bits of d, a finite nonzero number exactly representable in the accumulator format. */
static uint32_t finite_bits(const acc_format *af, mpfr_t d)
{
    int fb = af->fmt.frac_bits, eb = af->fmt.exp_bits;
    int bias = (1 << (eb - 1)) - 1;
    int sign = mpfr_signbit(d) ? 1 : 0;
    long unb = (long)mpfr_get_exp(d) - 1; /* |d| in [2^unb, 2^(unb+1)) */
    MPFR_DECL_INIT(t, ORACLE_PREC);
    mpfr_abs(t, d, MPFR_RNDN);
    uint32_t out;
    if (unb >= 1 - bias) { /* normal: |d| = (2^fb + frac) * 2^(unb - fb) */
        mpfr_mul_2si(t, t, fb - unb, MPFR_RNDN);
        if (!mpfr_integer_p(t)) oracle_fail("normal result off the format grid");
        uint32_t sig = (uint32_t)mpfr_get_ui(t, MPFR_RNDN);
        out = ((uint32_t)(unb + bias) << fb) | (sig - (1u << fb));
    } else { /* subnormal: |d| = frac * 2^(1 - bias - fb) */
        mpfr_mul_2si(t, t, fb + bias - 1, MPFR_RNDN);
        if (!mpfr_integer_p(t)) oracle_fail("subnormal result off the format grid");
        out = (uint32_t)mpfr_get_ui(t, MPFR_RNDN);
    }
    return ((uint32_t)sign << (fb + eb)) | out;
}

/* The whole step on decoded operands. Returns the accumulator pattern. */
static uint32_t step_core(int F, int floor_exp, oracle_format in, const uint16_t *a, const uint16_t *b, int n,
                          uint32_t c_bits, const acc_format *af)
{
    oracle_operand oa[16], ob[16];
    oracle_operand oc = oracle_decode(c_bits, af->fmt);

    /* 1. Specials, before any MPFR arithmetic (numerics reference 3, step 1). */
    int any_nan = oc.cls == ORACLE_NAN;
    for (int i = 0; i < n; i++) {
        oa[i] = oracle_decode(a[i], in);
        ob[i] = oracle_decode(b[i], in);
        if (oa[i].cls == ORACLE_NAN || ob[i].cls == ORACLE_NAN) any_nan = 1;
    }
    if (any_nan) return af->nan;
    int pos_inf = 0, neg_inf = 0;
    for (int i = 0; i < n; i++) {
        if (oa[i].cls != ORACLE_INF && ob[i].cls != ORACLE_INF) continue;
        if (oa[i].cls == ORACLE_ZERO || ob[i].cls == ORACLE_ZERO) return af->nan; /* Inf x 0 */
        if (oa[i].sign ^ ob[i].sign)
            neg_inf = 1;
        else
            pos_inf = 1;
    }
    if (oc.cls == ORACLE_INF) {
        if (oc.sign)
            neg_inf = 1;
        else
            pos_inf = 1;
    }
    if (pos_inf && neg_inf) return af->nan;
    if (pos_inf) return inf_bits(af, 0);
    if (neg_inf) return inf_bits(af, 1);

    /* Everything is finite from here on. Compute in a wide exponent range; restore the caller's
     * range on every path. */
    mpfr_exp_t saved_emin = mpfr_get_emin(), saved_emax = mpfr_get_emax();
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());

    mpfr_t term[ORACLE_MAX_TERMS];
    long term_exp[ORACLE_MAX_TERMS];
    int nterms = 0;
    MPFR_DECL_INIT(va, ORACLE_PREC);
    MPFR_DECL_INIT(vb, ORACLE_PREC);
    /* 2. Products: exact, with E_i = e_a + e_b taken from the encodings (recipe step 2). */
    for (int i = 0; i < n; i++) {
        if (oa[i].cls == ORACLE_ZERO || ob[i].cls == ORACLE_ZERO) continue; /* zero product: dropped */
        mpfr_init2(term[nterms], ORACLE_PREC);
        mpfr_set_ui_2exp(va, oa[i].m, oa[i].e - in.frac_bits, MPFR_RNDN);
        mpfr_set_ui_2exp(vb, ob[i].m, ob[i].e - in.frac_bits, MPFR_RNDN);
        if (oa[i].sign) mpfr_neg(va, va, MPFR_RNDN);
        if (ob[i].sign) mpfr_neg(vb, vb, MPFR_RNDN);
        if (mpfr_mul(term[nterms], va, vb, MPFR_RNDN) != 0) oracle_fail("inexact product");
        term_exp[nterms] = (long)oa[i].e + ob[i].e;
        nterms++;
    }
    /* c = +-0 does not take part (numerics reference 3, step 3). */
    if (oc.cls == ORACLE_FINITE) {
        mpfr_init2(term[nterms], ORACLE_PREC);
        mpfr_set_ui_2exp(term[nterms], oc.m, oc.e - af->fmt.frac_bits, MPFR_RNDN);
        if (oc.sign) mpfr_neg(term[nterms], term[nterms], MPFR_RNDN);
        term_exp[nterms] = oc.e;
        nterms++;
    }
    uint32_t result;
    if (nterms == 0) {
        result = 0; /* no nonzero term: +0 */
    } else {
        /* 3. E_max = max(max(Terms), FLOOR). */
        long emax_terms = term_exp[0];
        for (int t = 1; t < nterms; t++)
            if (term_exp[t] > emax_terms) emax_terms = term_exp[t];
        long E_max = emax_terms > floor_exp ? emax_terms : floor_exp;
        /* 4. Truncate every term on the grid 2^(E_max - F), toward zero. */
        mpfr_ptr ptrs[ORACLE_MAX_TERMS];
        for (int t = 0; t < nterms; t++) {
            mpfr_mul_2si(term[t], term[t], F - E_max, MPFR_RNDN);
            mpfr_trunc(term[t], term[t]);
            mpfr_mul_2si(term[t], term[t], E_max - F, MPFR_RNDN);
            ptrs[t] = term[t];
        }
        /* 5. Exact sum. */
        MPFR_DECL_INIT(s, ORACLE_PREC);
        if (mpfr_sum(s, ptrs, (unsigned long)nterms, MPFR_RNDN) != 0) oracle_fail("inexact sum");
        if (mpfr_zero_p(s)) {
            result = 0; /* exact cancellation: +0 */
        } else {
            /* 6. Final rounding. S = s * 2^(F - E_max) is an integer; rounding S * 2^(E_max - F)
             * with mpfr_set_sj_2exp inside the narrowed range is a single correct rounding (s
             * itself may lie outside the narrow range, which MPFR inputs must not). */
            MPFR_DECL_INIT(S, ORACLE_PREC);
            mpfr_mul_2si(S, s, F - E_max, MPFR_RNDN);
            if (!mpfr_integer_p(S) || !mpfr_fits_intmax_p(S, MPFR_RNDN)) oracle_fail("sum off the grid");
            intmax_t S_int = mpfr_get_sj(S, MPFR_RNDN);
            int negative = mpfr_signbit(s) ? 1 : 0;
            /* RZ overflow: MPFR returns the largest finite number, the hardware +-Inf once the
             * unrounded |value| >= 2^emax (numerics reference 8, pitfalls). */
            MPFR_DECL_INIT(absval, ORACLE_PREC);
            mpfr_abs(absval, s, MPFR_RNDN);
            if (af->rnd == MPFR_RNDZ && mpfr_cmp_ui_2exp(absval, 1, af->emax) >= 0) {
                result = inf_bits(af, negative);
            } else {
                mpfr_t d;
                mpfr_init2(d, af->prec);
                mpfr_set_emin(af->emin);
                mpfr_set_emax(af->emax);
                int inex = mpfr_set_sj_2exp(d, S_int, E_max - F, af->rnd);
                inex = mpfr_subnormalize(d, inex, af->rnd);
                (void)inex;
                mpfr_set_emin(mpfr_get_emin_min());
                mpfr_set_emax(mpfr_get_emax_max());
                if (mpfr_zero_p(d))
                    result = 0; /* +0 for every zero result, including negative underflow */
                else if (mpfr_inf_p(d))
                    result = inf_bits(af, negative);
                else
                    result = finite_bits(af, d);
                mpfr_clear(d);
            }
        }
    }
    for (int t = 0; t < nterms; t++) mpfr_clear(term[t]);
    mpfr_set_emin(saved_emin);
    mpfr_set_emax(saved_emax);
    return result;
}

/* Bounds within which the oracle's precision argument (ORACLE_PREC) holds. */
static int profile_ok(const tca_mma_profile *p)
{
    return p && p->frac_bits >= 0 && p->frac_bits <= 40 && p->block_products >= 1 && p->block_products <= 16 &&
           p->floor_f32 >= -400 && p->floor_f32 <= 400 && p->floor_f16 >= -400 && p->floor_f16 <= 400;
}

uint32_t tca_oracle_step_f32(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b, int n,
                             uint32_t c)
{
    if (!profile_ok(p) || n < 0 || n > 16 || (n > 0 && (!a || !b))) return ACC_F32.nan;
    if (in != TCA_MMA_IN_BF16 && in != TCA_MMA_IN_F16) return ACC_F32.nan;
    oracle_format f = in == TCA_MMA_IN_BF16 ? ORACLE_BF16 : ORACLE_F16;
    return step_core(p->frac_bits, p->floor_f32, f, a, b, n, c, &ACC_F32);
}

uint16_t tca_oracle_step_f16(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int n, uint16_t c)
{
    if (!profile_ok(p) || n < 0 || n > 16 || (n > 0 && (!a || !b))) return (uint16_t)ACC_F16.nan;
    return (uint16_t)step_core(p->frac_bits, p->floor_f16, ORACLE_F16, a, b, n, c, &ACC_F16);
}

uint32_t tca_oracle_dot_f32(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b, int k,
                            uint32_t c)
{
    if (!profile_ok(p) || k < 0 || (k > 0 && (!a || !b))) return ACC_F32.nan;
    for (int k0 = 0; k0 < k; k0 += p->block_products) {
        int len = k - k0 < p->block_products ? k - k0 : p->block_products;
        c = tca_oracle_step_f32(p, in, a + k0, b + k0, len, c);
    }
    return c;
}

uint16_t tca_oracle_dot_f16(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int k, uint16_t c)
{
    if (!profile_ok(p) || k < 0 || (k > 0 && (!a || !b))) return (uint16_t)ACC_F16.nan;
    for (int k0 = 0; k0 < k; k0 += p->block_products) {
        int len = k - k0 < p->block_products ? k - k0 : p->block_products;
        c = tca_oracle_step_f16(p, a + k0, b + k0, len, c);
    }
    return c;
}

tca_status tca_oracle_tile(const tca_mma_profile *p, tca_mma_op op, const uint16_t *A, const uint16_t *B,
                           const uint32_t *C, uint32_t *D)
{
    if (!p || !A || !B || !C || !D) return TCA_ERROR_PARAM_NULL;
    if (!profile_ok(p)) return TCA_ERROR_PARAM_PROFILE;
    int K = op.shape == TCA_MMA_M16N8K16 ? 16 : op.shape == TCA_MMA_M16N8K8 ? 8 : 0;
    if (K == 0 || (op.in != TCA_MMA_IN_BF16 && op.in != TCA_MMA_IN_F16)) return TCA_ERROR_PARAM_INVALID;
    if (op.acc != TCA_MMA_ACC_F32 && !(op.acc == TCA_MMA_ACC_F16 && op.in == TCA_MMA_IN_F16))
        return TCA_ERROR_PARAM_INVALID;
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 8; j++) {
            uint16_t bcol[16];
            for (int k = 0; k < K; k++) bcol[k] = B[k * 8 + j];
            const uint16_t *arow = A + i * K;
            if (op.acc == TCA_MMA_ACC_F32)
                D[i * 8 + j] = tca_oracle_dot_f32(p, op.in, arow, bcol, K, C[i * 8 + j]);
            else
                D[i * 8 + j] = tca_oracle_dot_f16(p, arow, bcol, K, (uint16_t)C[i * 8 + j]);
        }
    return TCA_OK;
}
