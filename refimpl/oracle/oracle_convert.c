/* SPDX-License-Identifier: Apache-2.0 */
/* IEEE conversions and binary32 addition computed with MPFR (precision and exponent range of the
 * target format, then mpfr_subnormalize), as a second implementation for differential tests of
 * the common library's rounding helpers and the split-K addition (tca-mma-semantics 5). The
 * exponent range is saved and restored around every call. */
#include <stdint.h>
#include <string.h>
#include <gmp.h>
#include <mpfr.h>
#include "oracle_operand.h"
#include "tca_oracle.h"

/* A binary format for rounding: MPFR precision and exponent range (significand in [0.5, 1)). */
typedef struct target {
    oracle_format fmt;
    mpfr_prec_t prec;
    mpfr_exp_t emin, emax;
} target;

static const target T_BF16 = {{7, 8}, 8, -132, 128};  /* smallest subnormal 2^-133 */
static const target T_F16 = {{10, 5}, 11, -23, 16};   /* 2^-24 */
static const target T_F32 = {{23, 8}, 24, -148, 128}; /* 2^-149 */

/* Bits of x (finite or infinite, any sign, zero with its sign), which is representable. */
static uint32_t bits_of(const target *t, mpfr_t x)
{
    int fb = t->fmt.frac_bits, eb = t->fmt.exp_bits, bias = (1 << (eb - 1)) - 1;
    uint32_t sign = (uint32_t)(mpfr_signbit(x) ? 1 : 0) << (fb + eb);
    if (mpfr_zero_p(x)) return sign;
    if (mpfr_inf_p(x)) return sign | (((1u << eb) - 1u) << fb);
    long unb = (long)mpfr_get_exp(x) - 1;
    MPFR_DECL_INIT(m, 64);
    mpfr_abs(m, x, MPFR_RNDN);
    if (unb >= 1 - bias) {
        mpfr_mul_2si(m, m, fb - unb, MPFR_RNDN);
        return sign | ((uint32_t)(unb + bias) << fb) | ((uint32_t)mpfr_get_ui(m, MPFR_RNDN) - (1u << fb));
    }
    mpfr_mul_2si(m, m, fb + bias - 1, MPFR_RNDN);
    return sign | (uint32_t)mpfr_get_ui(m, MPFR_RNDN);
}

/* Round the exact value v (any exponent) to the target, nearest even. */
static uint32_t round_to(const target *t, mpfr_t v)
{
    mpfr_exp_t saved_emin = mpfr_get_emin(), saved_emax = mpfr_get_emax();
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
    mpfr_t d;
    mpfr_init2(d, t->prec);
    int inex = mpfr_set(d, v, MPFR_RNDN); /* first rounding, unbounded exponent */
    mpfr_set_emin(t->emin);
    mpfr_set_emax(t->emax);
    inex = mpfr_check_range(d, inex, MPFR_RNDN); /* overflow -> Inf, underflow with the tie rule */
    inex = mpfr_subnormalize(d, inex, MPFR_RNDN); /* subnormal grid, no double rounding */
    (void)inex;
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
    uint32_t out = bits_of(t, d);
    mpfr_clear(d);
    mpfr_set_emin(saved_emin);
    mpfr_set_emax(saved_emax);
    return out;
}

/* Set v exactly to a finite decoded operand (v's precision >= 24). */
static void set_operand(mpfr_t v, oracle_operand o, int frac_bits)
{
    mpfr_set_ui_2exp(v, o.m, o.e - frac_bits, MPFR_RNDN);
    if (o.sign) mpfr_neg(v, v, MPFR_RNDN);
}

uint32_t tca_oracle_f32_add_rne(uint32_t x, uint32_t y)
{
    oracle_operand ox = oracle_decode(x, ORACLE_F32), oy = oracle_decode(y, ORACLE_F32);
    if (ox.cls == ORACLE_NAN || oy.cls == ORACLE_NAN) return 0x7FFFFFFFu;
    if (ox.cls == ORACLE_INF && oy.cls == ORACLE_INF && ox.sign != oy.sign) return 0x7FFFFFFFu;
    if (ox.cls == ORACLE_INF) return x;
    if (oy.cls == ORACLE_INF) return y;
    mpfr_exp_t saved_emin = mpfr_get_emin(), saved_emax = mpfr_get_emax();
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
    /* The exact sum: binary32 values span 2^-149 .. 2^128, so 300 bits hold any sum. */
    MPFR_DECL_INIT(vx, 300);
    MPFR_DECL_INIT(vy, 300);
    MPFR_DECL_INIT(s, 300);
    if (ox.cls == ORACLE_ZERO)
        mpfr_set_zero(vx, ox.sign ? -1 : 1);
    else
        set_operand(vx, ox, 23);
    if (oy.cls == ORACLE_ZERO)
        mpfr_set_zero(vy, oy.sign ? -1 : 1);
    else
        set_operand(vy, oy, 23);
    mpfr_add(s, vx, vy, MPFR_RNDN); /* exact; IEEE signed-zero rules for exact zeros */
    uint32_t out = round_to(&T_F32, s);
    mpfr_set_emin(saved_emin);
    mpfr_set_emax(saved_emax);
    return out;
}

uint16_t tca_oracle_bf16_from_f32_rne(uint32_t x)
{
    oracle_operand o = oracle_decode(x, ORACLE_F32);
    if (o.cls == ORACLE_NAN) return 0x7FFF;
    if (o.cls == ORACLE_INF) return (uint16_t)(x >> 16);
    if (o.cls == ORACLE_ZERO) return (uint16_t)(x >> 16);
    mpfr_exp_t saved_emin = mpfr_get_emin(), saved_emax = mpfr_get_emax();
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
    MPFR_DECL_INIT(v, 64);
    set_operand(v, o, 23);
    uint16_t out = (uint16_t)round_to(&T_BF16, v);
    mpfr_set_emin(saved_emin);
    mpfr_set_emax(saved_emax);
    return out;
}

static uint32_t from_double(const target *t, double d, uint32_t nan)
{
    if (d != d) return nan;
    mpfr_exp_t saved_emin = mpfr_get_emin(), saved_emax = mpfr_get_emax();
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
    MPFR_DECL_INIT(v, 64);
    mpfr_set_d(v, d, MPFR_RNDN); /* exact: 53 <= 64 bits; keeps the sign of zero and Inf */
    uint32_t out = round_to(t, v);
    mpfr_set_emin(saved_emin);
    mpfr_set_emax(saved_emax);
    return out;
}

uint16_t tca_oracle_bf16_from_double_rne(double d) { return (uint16_t)from_double(&T_BF16, d, 0x7FFF); }
uint32_t tca_oracle_f32_from_double_rne(double d) { return from_double(&T_F32, d, 0x7FFFFFFFu); }
uint16_t tca_oracle_f16_from_double_rne(double d) { return (uint16_t)from_double(&T_F16, d, 0x7FFF); }
