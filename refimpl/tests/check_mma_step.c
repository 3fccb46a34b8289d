/* SPDX-License-Identifier: Apache-2.0 */
/* The fused step (spec mma-semantics 3.1-3.3) and profiles (spec 4). Every expected value is
 * derived by hand from the clauses (the derivation is in the comment beside it) or quoted from
 * the numerics reference; property checks compare against exact integer arithmetic. The MPFR
 * differential test lives with the oracle. */
#include <math.h>
#include <string.h>
#include "mma/step_internal.h"
#include "tca/bf16.h"
#include "tca/mma.h"
#include "tca/prng.h"
#include "test_util.h"

/* bf16 patterns: 2^e is (127 + e) << 7 */
#define BF_POW2(e) ((uint16_t)((127 + (e)) << 7))
#define BF_ONE 0x3F80u
#define BF_NEG 0x8000u
/* binary32 2^e is (127 + e) << 23 */
#define F32_POW2(e) ((uint32_t)(127 + (e)) << 23)
/* binary16 2^e is (15 + e) << 10 */
#define H_POW2(e) ((uint16_t)((15 + (e)) << 10))
#define H_ONE 0x3C00u

static const tca_mma_profile *prof(const char *name)
{
    const tca_mma_profile *p = tca_mma_profile_by_name(name);
    ck_assert_ptr_nonnull(p);
    return p;
}

static uint32_t step1(const char *pn, uint16_t a, uint16_t b, uint32_t c)
{
    return tca_mma_step_f32(prof(pn), TCA_MMA_IN_BF16, &a, &b, 1, c);
}

START_TEST(test_mma_profiles_table)
{
    /* spec 4: the parameter table */
    static const struct {
        const char *name;
        int F, block, f32, f16;
    } want[] = {{"sm80", 24, 8, -132, -20},  {"sm86", 24, 8, -132, -20},  {"sm89", 24, 8, -132, -20},
                {"sm90", 25, 16, -133, -21}, {"sm100", 25, 16, -133, -21}, {"sm120", 25, 16, -133, -21}};
    ck_assert_int_eq(tca_mma_profile_count(), 6);
    for (int i = 0; i < 6; i++) {
        const tca_mma_profile *p = tca_mma_profile_at(i);
        ck_assert_ptr_nonnull(p);
        ck_assert_str_eq(p->name, want[i].name);
        ck_assert_ptr_eq(tca_mma_profile_by_name(want[i].name), p);
        ck_assert_int_eq(p->frac_bits, want[i].F);
        ck_assert_int_eq(p->block_products, want[i].block);
        ck_assert_int_eq(p->floor_f32, want[i].f32);
        ck_assert_int_eq(p->floor_f16, want[i].f16);
        tca_ck_assert_status(tca_mma_profile_validate(p), TCA_OK);
    }
    ck_assert_ptr_null(tca_mma_profile_at(6));
    ck_assert_ptr_null(tca_mma_profile_at(-1));
    ck_assert_ptr_null(tca_mma_profile_by_name("sm91"));
    ck_assert_ptr_null(tca_mma_profile_by_name(NULL));
    /* spec 4: verified marks. sm90: everything but the f16 FLOOR (only bounded <= -19). */
    ck_assert_uint_eq(prof("sm90")->verified, TCA_MMA_VERIFIED_F | TCA_MMA_VERIFIED_SPLIT |
                                                  TCA_MMA_VERIFIED_FLOOR_F32 | TCA_MMA_VERIFIED_ZERO_RULES |
                                                  TCA_MMA_VERIFIED_PLUS_ZERO | TCA_MMA_VERIFIED_NAN);
    ck_assert_uint_eq(prof("sm80")->verified, TCA_MMA_VERIFIED_F);
    ck_assert_uint_eq(prof("sm86")->verified, TCA_MMA_VERIFIED_F);
    ck_assert_uint_eq(prof("sm89")->verified, TCA_MMA_VERIFIED_F);
    ck_assert_uint_eq(prof("sm100")->verified, 0);
    ck_assert_uint_eq(prof("sm120")->verified, 0);
    /* validation of modified copies */
    tca_mma_profile bad = *prof("sm90");
    bad.frac_bits = 41;
    tca_ck_assert_status(tca_mma_profile_validate(&bad), TCA_ERROR_PARAM_PROFILE);
    bad = *prof("sm90");
    bad.block_products = 0;
    tca_ck_assert_status(tca_mma_profile_validate(&bad), TCA_ERROR_PARAM_PROFILE);
    bad.block_products = 17;
    tca_ck_assert_status(tca_mma_profile_validate(&bad), TCA_ERROR_PARAM_PROFILE);
    tca_ck_assert_status(tca_mma_profile_validate(NULL), TCA_ERROR_PARAM_NULL);
    /* invalid calls give the canonical NaN rather than reading anything */
    uint16_t one = BF_ONE;
    tca_ck_assert_bits32(tca_mma_step_f32(NULL, TCA_MMA_IN_BF16, &one, &one, 1, 0), 0x7FFFFFFFu);
    tca_ck_assert_bits32(tca_mma_step_f32(prof("sm90"), TCA_MMA_IN_BF16, &one, &one, 17, 0), 0x7FFFFFFFu);
    tca_ck_assert_bits32(tca_mma_step_f32(prof("sm90"), TCA_MMA_IN_BF16, NULL, &one, 1, 0), 0x7FFFFFFFu);
    tca_ck_assert_bits32(tca_mma_step_f32(prof("sm90"), (tca_mma_input)7, &one, &one, 1, 0), 0x7FFFFFFFu);
    tca_ck_assert_bits16(tca_mma_step_f16(prof("sm90"), &one, &one, -1, 0), 0x7FFFu);
    tca_ck_assert_bits32(tca_mma_dot_f32(&bad, TCA_MMA_IN_BF16, &one, &one, 1, 0), 0x7FFFFFFFu);
}
END_TEST

START_TEST(test_mma_step_truncation_not_rz)
{
    /* numerics reference 2: "1 - tiny gives 1, not 1 - ulp". 1 x 1 + c, c = -2^-30:
     * E_max = 0, T_p = 2^14 << 11 = 2^25, T_c = trunc(2^23 * 2^(25-30-23)) = trunc(2^-7) = 0,
     * S = 2^25, value 1. RZ of the exact sum would be 0x3F7FFFFF. */
    tca_ck_assert_bits32(step1("sm90", BF_ONE, BF_ONE, 0x80000000u | F32_POW2(-30)), 0x3F800000u);
    tca_ck_assert_bits32(step1("sm90", BF_ONE, BF_ONE, F32_POW2(-30)), 0x3F800000u);
    /* c = -2^-25 with F = 25: T_c = trunc(2^23 * 2^(25-25-23)) = 1, S = 2^25 - 1, value
     * 1 - 2^-25, RZ -> 1 - 2^-24 = 0x3F7FFFFF. With F = 24 (sm80): T_c = trunc(1/2) = 0 -> 1.0.
     * This input tells F = 24 from F = 25. */
    tca_ck_assert_bits32(step1("sm90", BF_ONE, BF_ONE, 0x80000000u | F32_POW2(-25)), 0x3F7FFFFFu);
    tca_ck_assert_bits32(step1("sm80", BF_ONE, BF_ONE, 0x80000000u | F32_POW2(-25)), 0x3F800000u);
    tca_mma_profile f24 = *prof("sm90");
    f24.frac_bits = 24;
    uint16_t one = BF_ONE;
    tca_ck_assert_bits32(tca_mma_step_f32(&f24, TCA_MMA_IN_BF16, &one, &one, 1, 0x80000000u | F32_POW2(-25)),
                         0x3F800000u);
    /* c = -2^-24 with F = 24: T_c = 1, S = 2^24 - 1 -> 1 - 2^-24 = 0x3F7FFFFF on sm80 too */
    tca_ck_assert_bits32(step1("sm80", BF_ONE, BF_ONE, 0x80000000u | F32_POW2(-24)), 0x3F7FFFFFu);
}
END_TEST

START_TEST(test_mma_step_unnormalised_product_exponent)
{
    /* 1.5 x 1.5 = 2.25: P = 192 * 192 = 36864, E = 0 + 0 = 0 (NOT renormalised to 1).
     * c = -2^-25: T_c = 1 against E_max = 0, S = 36864 * 2^11 - 1, value 2.25 - 2^-25,
     * RZ -> 2.25 - 2^-22 = 0x400FFFFF. A model using the normalised exponent 1 would drop c
     * (T_c = trunc(1/2) = 0) and give 0x40100000. */
    tca_ck_assert_bits32(step1("sm90", 0x3FC0u, 0x3FC0u, 0x80000000u | F32_POW2(-25)), 0x400FFFFFu);
    /* a subnormal input has e = -126 and no hidden bit: 0x0001 x 1.0 has P = 128, E = -126,
     * value 2^-133 exactly -> f32 2^-133 = 2^16 * 2^-149 = 0x00010000 */
    tca_ck_assert_bits32(step1("sm90", 0x0001u, BF_ONE, 0), 0x00010000u);
    /* and E_max uses that -126: 0x0001 x 2^8 (P = 128, E = -118, value 2^-125) plus
     * c = -2^-146 (f32 subnormal 0x80000008, m = 8, e = -126): E_max = -118,
     * T_c = trunc(8 * 2^(25 - 126 + 118 - 23)) = trunc(8 / 64) = 0, so the result is 2^-125
     * exactly = 0x01000000. A renormalised model (E = -125) would keep T_c = 16 units of 2^-150
     * and give 2^-125 - 2^-146 = 0x00FFFFF8. */
    tca_ck_assert_bits32(step1("sm90", 0x0001u, BF_POW2(8), 0x80000008u), 0x01000000u);
}
END_TEST

START_TEST(test_mma_step_zero_rules)
{
    const tca_mma_profile *p = prof("sm90");
    /* exact cancellation -> +0, also with c = -0 (numerics reference 4) */
    uint16_t a[2] = {0x3FC0u, 0x3FC0u}, b[2] = {0x4040u, 0xC040u}; /* 1.5*3 + 1.5*(-3) */
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, a, b, 2, 0x80000000u), 0u);
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, a, b, 2, 0u), 0u);
    /* all products zero (-0 products) and c = -0 -> +0, not -0 */
    uint16_t za[2] = {0x8000u, 0x0000u}, zb[2] = {BF_ONE, 0x8000u};
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, za, zb, 2, 0x80000000u), 0u);
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, za, zb, 0, 0x80000000u), 0u); /* n = 0 */
    /* c cancels the product: 1 x 1 + (-1) -> +0 */
    tca_ck_assert_bits32(step1("sm90", BF_ONE, BF_ONE, 0xBF800000u), 0u);
    /* zero multiplicand beside a 2^127 partner leaves E_max alone: +0 x 2^127 + 2^-30 x 1.5*2^-30.
     * E_max = -60 (the only nonzero product), value 1.5 * 2^-60 exactly = 0x21C00000. A model
     * giving the zero exponent -126 (MMA-Sim) would have E_max = 1 and truncate the product to 0.
     * Same on sm80 (one 8-product step, exact). */
    uint16_t xa[2] = {0x0000u, BF_POW2(-30)}, xb[2] = {BF_POW2(127), (uint16_t)(BF_POW2(-30) | 0x40u)};
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, xa, xb, 2, 0u), 0x21C00000u);
    tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm80"), TCA_MMA_IN_BF16, xa, xb, 2, 0u), 0x21C00000u);
    /* -0 multiplicand with a huge partner: same */
    xa[0] = 0x8000u;
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, xa, xb, 2, 0u), 0x21C00000u);
    /* c = +-0 does not take part in E_max (MMA-Sim gives it exponent -126). Eight products
     * (228 * 2^-77) x (146 * 2^-78) = 33288 * 2^-155 = 4161 * 2^-152 (a = 0x1CE4, b = 0x1C12,
     * E = -70 + -71 = -141), c = -0. KM rule: E_max = max(-141, FLOOR -133) = -133,
     * T = 33288 * 2^(25 - 141 + 133 - 14) = 33288 * 8 exactly; the sum 8 * 4161 * 2^-152 =
     * 4161 * 2^-149 -> 0x00001041. With c at -126: the unit is 2^-151, each T = trunc(2080.5) =
     * 2080, sum 16640 * 2^-151 = 4160 * 2^-149 -> 0x00001040. */
    {
        uint16_t ta[8], tb[8];
        for (int i = 0; i < 8; i++) {
            ta[i] = 0x1CE4u;
            tb[i] = 0x1C12u;
        }
        tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, ta, tb, 8, 0x80000000u), 0x00001041u);
        tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, ta, tb, 8, 0u), 0x00001041u);
        /* sm80: one 8-product step, unit 2^(-132 - 24) = 2^-156, T = 33288 * 2 exact: same */
        tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm80"), TCA_MMA_IN_BF16, ta, tb, 8, 0x80000000u), 0x00001041u);
    }
    /* negative value truncated to zero -> +0: -(2^-75 x 2^-76) = -2^-151 is below the 2^-149 grid */
    tca_ck_assert_bits32(step1("sm90", (uint16_t)(BF_NEG | BF_POW2(-75)), BF_POW2(-76), 0u), 0u);
    tca_ck_assert_bits32(step1("sm80", (uint16_t)(BF_NEG | BF_POW2(-75)), BF_POW2(-76), 0x80000000u), 0u);
}
END_TEST

START_TEST(test_mma_step_floor)
{
    const tca_mma_profile *p = prof("sm90");
    /* Products 2^-75 x 2^-74 = 2^-149 (P = 2^14, E = -149) and -2^-85 x 2^-85 = -2^-170, c = +0.
     * FLOOR -133: E_max = -133, T1 = 2^14 * 2^(25 - 149 + 133 - 14) = 2^9, T2 = 2^14 * 2^-26 -> 0;
     * S = 2^9, value 2^-149 -> 0x00000001. Without a floor (E_max = -149): T1 = 2^25, T2 = 2^4,
     * S = 2^25 - 16, value just below 2^-149 -> RZ -> +0. */
    uint16_t a[2] = {BF_POW2(-75), (uint16_t)(BF_NEG | BF_POW2(-85))}, b[2] = {BF_POW2(-74), BF_POW2(-85)};
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, a, b, 2, 0u), 0x00000001u);
    tca_mma_profile nofloor = *p;
    nofloor.floor_f32 = -400;
    tca_ck_assert_bits32(tca_mma_step_f32(&nofloor, TCA_MMA_IN_BF16, a, b, 2, 0u), 0u);
    /* FLOOR -133 vs -132: second product -2^-79 x 2^-79 = -2^-158. At -133 the unit is 2^-158:
     * T1 = 2^9, T2 = 1, S = 511 -> below 2^-149 -> +0. At -132 the unit is 2^-157: T1 = 2^8,
     * T2 = trunc(1/2) = 0, S = 2^8 -> 2^-149 = 0x00000001. */
    a[1] = (uint16_t)(BF_NEG | BF_POW2(-79));
    b[1] = BF_POW2(-79);
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, a, b, 2, 0u), 0u);
    tca_mma_profile f132 = *p;
    f132.floor_f32 = -132;
    tca_ck_assert_bits32(tca_mma_step_f32(&f132, TCA_MMA_IN_BF16, a, b, 2, 0u), 0x00000001u);
    /* c = -0 leaves the floor in charge; c = a tiny nonzero subnormal takes part (e_c = -126 is
     * above the floor): c = 2^-149 (0x00000001), E_max = -126, T1 = 2^14 * 2^(25 - 149 + 126 - 14)
     * = 2^2, T2 = 2^14 * 2^(25 - 158 + 126 - 14) -> 0, T_c = 1 * 2^(25 - 126 + 126 - 23) = 4;
     * S = 8, value 8 * 2^-151 = 2^-148 = 0x00000002. */
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, a, b, 2, 0x80000000u), 0u);
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, a, b, 2, 0x00000001u), 0x00000002u);
}
END_TEST

START_TEST(test_mma_step_overflow_and_subnormal_outputs)
{
    /* 2^127 x 2 = 2^128 -> +Inf (not FLT_MAX); negative -> -Inf */
    tca_ck_assert_bits32(step1("sm90", BF_POW2(127), BF_POW2(1), 0u), 0x7F800000u);
    tca_ck_assert_bits32(step1("sm90", BF_POW2(127), (uint16_t)(BF_NEG | BF_POW2(1)), 0u), 0xFF800000u);
    /* FLT_MAX + 2^104: E_max = 127, T_c = (2^24 - 1) * 4, T_p = 2^14 * 2^(25 + 104 - 127 - 14) = 4,
     * S = 2^26, value 2^128 -> +Inf. FLT_MAX + 2^103: T_p = 2, S = 2^26 - 2 -> RZ -> FLT_MAX. */
    tca_ck_assert_bits32(step1("sm90", BF_POW2(52), BF_POW2(52), 0x7F7FFFFFu), 0x7F800000u);
    tca_ck_assert_bits32(step1("sm90", BF_POW2(52), BF_POW2(51), 0x7F7FFFFFu), 0x7F7FFFFFu);
    tca_ck_assert_bits32(step1("sm90", (uint16_t)(BF_NEG | BF_POW2(52)), BF_POW2(52), 0xFF7FFFFFu), 0xFF800000u);
    /* the largest bf16 squared (255 * 255 * 2^(127+127-14)) is far beyond: Inf */
    tca_ck_assert_bits32(step1("sm90", 0x7F7Fu, 0x7F7Fu, 0u), 0x7F800000u);
    /* subnormal outputs: 2^-70 x 1.5*2^-70 = 768 * 2^-149 -> 0x00000300 exactly */
    tca_ck_assert_bits32(step1("sm90", BF_POW2(-70), (uint16_t)(BF_POW2(-70) | 0x40u), 0u), 0x00000300u);
    /* (1+2^-7)^2 * 2^-140 = 16641 * 2^-154 -> floor(16641/32) = 520 = 0x208 (RZ), sign kept */
    tca_ck_assert_bits32(step1("sm90", 0x1C81u, 0x9C81u, 0u), 0x80000208u);
    /* the boundary: 2^-63 x 2^-63 = 2^-126 is the smallest normal 0x00800000; plus c = -2^-149:
     * E_max = -126, T_c = 1 * 2^(25 - 126 + 126 - 23) = 4, T_p = 2^14 << 11 = 2^25,
     * S = 2^25 - 4 -> (2^25 - 4) * 2^-151 = 2^-126 - 2^-149 = 0x007FFFFF */
    tca_ck_assert_bits32(step1("sm90", BF_POW2(-63), BF_POW2(-63), 0x80000001u), 0x007FFFFFu);
}
END_TEST

START_TEST(test_mma_step_specials)
{
    const tca_mma_profile *p = prof("sm90");
    /* any NaN input -> 0x7FFFFFFF, also beside a zero partner or in c, also signalling/negative */
    tca_ck_assert_bits32(step1("sm90", 0x7FC0u, 0x0000u, 0u), 0x7FFFFFFFu);
    tca_ck_assert_bits32(step1("sm90", BF_ONE, 0xFF81u, 0u), 0x7FFFFFFFu);
    tca_ck_assert_bits32(step1("sm90", BF_ONE, BF_ONE, 0xFFC00001u), 0x7FFFFFFFu);
    tca_ck_assert_bits32(step1("sm90", 0x7F80u, BF_ONE, 0x7F800001u), 0x7FFFFFFFu);
    /* Inf x 0 -> NaN (both signs of zero); Inf x subnormal -> Inf */
    tca_ck_assert_bits32(step1("sm90", 0x7F80u, 0x0000u, 0u), 0x7FFFFFFFu);
    tca_ck_assert_bits32(step1("sm90", 0x8000u, 0xFF80u, 0u), 0x7FFFFFFFu);
    tca_ck_assert_bits32(step1("sm90", 0x7F80u, 0x8001u, 0u), 0xFF800000u);
    /* +Inf and -Inf among products and c -> NaN */
    tca_ck_assert_bits32(step1("sm90", 0x7F80u, BF_ONE, 0xFF800000u), 0x7FFFFFFFu);
    uint16_t a[3] = {0x7F80u, 0x7F80u, BF_ONE}, b[3] = {BF_ONE, 0xBF80u, BF_ONE};
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, a, b, 3, 0u), 0x7FFFFFFFu);
    /* same-signed infinities -> that Inf, whatever the finite terms */
    b[1] = BF_ONE;
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, a, b, 3, 0xFF7FFFFFu), 0x7F800000u);
    tca_ck_assert_bits32(step1("sm90", BF_ONE, BF_ONE, 0xFF800000u), 0xFF800000u);
    tca_ck_assert_bits32(step1("sm80", 0xFF80u, 0xFF80u, 0u), 0x7F800000u);
    /* f16 inputs: NaN 0x7E00, Inf 0x7C00 x 0 */
    uint16_t h[2] = {0x7C00u, 0x3C00u}, z[2] = {0x0000u, 0x3C00u};
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_F16, h, z, 2, 0u), 0x7FFFFFFFu);
    h[0] = 0x7E00u;
    z[0] = 0x3C00u;
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_F16, h, z, 2, 0u), 0x7FFFFFFFu);
    h[0] = 0xFC00u;
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_F16, h, z, 2, 0u), 0xFF800000u);
}
END_TEST

START_TEST(test_mma_step_f16_inputs_f32_acc)
{
    const tca_mma_profile *p = prof("sm90");
    /* f16 1.0 x 1.0 + c = -2^-25: P = 2^20, E = 0, T_p = 2^20 << (25 - 20) = 2^25, T_c = 1
     * -> 1 - 2^-25 -> RZ 0x3F7FFFFF (F = 25); sm80 (F = 24) drops c -> 0x3F800000 */
    uint16_t one = H_ONE;
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_F16, &one, &one, 1, 0x80000000u | F32_POW2(-25)),
                         0x3F7FFFFFu);
    tca_ck_assert_bits32(
        tca_mma_step_f32(prof("sm80"), TCA_MMA_IN_F16, &one, &one, 1, 0x80000000u | F32_POW2(-25)), 0x3F800000u);
    /* f16 subnormal 0x0001 (2^-24: m = 1, e = -14) x 1.0: value 2^-24 = 0x33800000 */
    uint16_t sub = 0x0001u;
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_F16, &sub, &one, 1, 0u), 0x33800000u);
    /* zero f16 multiplicand with a 2^15 partner leaves E_max alone (no exponent -14 for zeros):
     * +0 x 2^15 + (1+2^-10)*2^-10 x (1+2^-10)*2^-10 (0x1401): P = 1025^2 = 1050625, E = -20,
     * value 1050625 * 2^-40 exactly = (1 + 2^-9 + 2^-20) * 2^-20 = 0x35804008. With the zero at
     * exponent -14 + 15 = 1 the product would be truncated to 16 * 2^-24 = 2^-20 = 0x35800000. */
    uint16_t a[2] = {0x0000u, 0x1401u}, b[2] = {H_POW2(15), 0x1401u};
    tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_F16, a, b, 2, 0u), 0x35804008u);
}
END_TEST

START_TEST(test_mma_step_f16_accumulator)
{
    const tca_mma_profile *p = prof("sm90");
    uint16_t a1[1], b1[1];
    /* RNE on the truncated sum. c = 1.0, product 2^-11 x 1 (P = 2^20, E = -11):
     * T_p = 2^20 >> 6 = 2^14, T_c = 1024 << 15 = 2^25, value 1 + 2^-11: a tie -> even 1.0 */
    a1[0] = H_POW2(-11);
    b1[0] = H_ONE;
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, H_ONE), 0x3C00u);
    /* c = 1 + 2^-10 (0x3C01): 1 + 3 * 2^-11, a tie -> even 1 + 2^-9 = 0x3C02 */
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0x3C01u), 0x3C02u);
    /* c = 1.0, product 1.5 * 2^-11: 1 + 0.75 * 2^-10 -> up to 0x3C01 */
    b1[0] = 0x3E00u;
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, H_ONE), 0x3C01u);
    /* negative tie: -(1 + 2^-11) -> even -1.0 */
    b1[0] = 0xBC00u;
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0xBC00u), 0xBC00u);
    /* RNE after truncation: 1 + 2^-11 + 2^-30. The 2^-30 product is 2^-15 x 2^-15 (f16 subnormals,
     * P = 512 * 512 = 2^18, E = -28), T = 2^18 >> 23 = 0; the truncated sum is the exact tie
     * -> 1.0 (RNE of the exact sum would give 0x3C01). */
    uint16_t a[2] = {H_POW2(-11), 0x0200u}, b[2] = {H_ONE, 0x0200u};
    tca_ck_assert_bits16(tca_mma_step_f16(p, a, b, 2, H_ONE), 0x3C00u);
    /* overflow: 65504 + 16 = 65520, a tie between 0x7BFF (odd) and 2^16 -> Inf 0x7C00;
     * 65504 + 8 -> 0x7BFF */
    a1[0] = H_POW2(4);
    b1[0] = H_ONE;
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0x7BFFu), 0x7C00u);
    a1[0] = H_POW2(3);
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0x7BFFu), 0x7BFFu);
    a1[0] = (uint16_t)(0x8000u | H_POW2(4));
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0xFBFFu), 0xFC00u);
    /* f16 subnormal c (e_c = -14, 10 fraction bits): 2^-24 + 2^-14 = 0x0401; c alone stays */
    a1[0] = H_POW2(-14);
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0x0001u), 0x0401u);
    a1[0] = 0;
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0x0001u), 0x0001u);
    /* negative value rounding to zero -> +0: -2^-13 x 2^-13 = -2^-26, E_max = FLOOR -21,
     * T = 2^20, value 2^-26 = 0.25 units of 2^-24 -> RNE 0 -> +0 (not 0x8000) */
    a1[0] = (uint16_t)(0x8000u | H_POW2(-13));
    b1[0] = H_POW2(-13);
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0x8000u), 0x0000u);
    /* but -3 * 2^-26 (0.75 units) rounds to -2^-24 = 0x8001 */
    b1[0] = (uint16_t)(H_POW2(-13) | 0x200u); /* 1.5 * 2^-13 */
    a1[0] = (uint16_t)(0x8000u | H_POW2(-12));
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0x0000u), 0x8001u);
    /* exact cancellation and c = -0 -> +0 */
    uint16_t ca[2] = {0x3E00u, 0x3E00u}, cb[2] = {0x4200u, 0xC200u};
    tca_ck_assert_bits16(tca_mma_step_f16(p, ca, cb, 2, 0x8000u), 0x0000u);
    /* NaN -> 0x7FFF; Inf x 0 -> 0x7FFF; +Inf with -Inf c -> 0x7FFF; Inf -> Inf */
    a1[0] = 0xFE01u;
    b1[0] = H_ONE;
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0), 0x7FFFu);
    a1[0] = 0x7C00u;
    b1[0] = 0x8000u;
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0), 0x7FFFu);
    b1[0] = H_ONE;
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0xFC00u), 0x7FFFu);
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0x3C00u), 0x7C00u);
    tca_ck_assert_bits16(tca_mma_step_f16(p, a1, b1, 1, 0x7E00u), 0x7FFFu);
}
END_TEST

START_TEST(test_mma_dot_split_and_f)
{
    /* Ampere/Ada split (spec 3.2): k 0..7 = eight products 1.5*2^-26 x 1, k 8 = 1 x 1.
     * sm90 (one 16-product step, E_max = 0): each small T = trunc(1.5 * 2^-26 * 2^25) = 0
     * -> 1.0 = 0x3F800000.
     * sm80: D1 = step(k 0..7, +0) = 12 * 2^-26 exactly; D = step(k 8..15, D1):
     * T_c = trunc(12 * 2^-26 * 2^24) = 3, value 1 + 3 * 2^-24 -> RZ 1 + 2^-23 = 0x3F800001.
     * An sm90 copy with 8-product blocks gives 1 + 6 * 2^-25 -> also 0x3F800001; an sm80 copy
     * with 16-product blocks gives 1.0: the split, not F, makes the difference. */
    uint16_t a[16], b[16];
    for (int i = 0; i < 16; i++) {
        a[i] = i < 8 ? 0x32C0u : (i == 8 ? BF_ONE : 0u);
        b[i] = i <= 8 ? BF_ONE : 0u;
    }
    tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm90"), TCA_MMA_IN_BF16, a, b, 16, 0u), 0x3F800000u);
    tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm80"), TCA_MMA_IN_BF16, a, b, 16, 0u), 0x3F800001u);
    tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm86"), TCA_MMA_IN_BF16, a, b, 16, 0u), 0x3F800001u);
    tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm89"), TCA_MMA_IN_BF16, a, b, 16, 0u), 0x3F800001u);
    tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm100"), TCA_MMA_IN_BF16, a, b, 16, 0u), 0x3F800000u);
    tca_mma_profile h8 = *prof("sm90"), a16 = *prof("sm80");
    h8.block_products = 8;
    a16.block_products = 16;
    tca_ck_assert_bits32(tca_mma_dot_f32(&h8, TCA_MMA_IN_BF16, a, b, 16, 0u), 0x3F800001u);
    tca_ck_assert_bits32(tca_mma_dot_f32(&a16, TCA_MMA_IN_BF16, a, b, 16, 0u), 0x3F800000u);
    /* the order of the halves: k 0..7 first. Swapping the halves (1 x 1 at k 0, the small ones at
     * k 8..15) on sm80: D1 = 1.0, D = step(small, 1.0) with E_max = 0, each T = trunc(0.375) = 0
     * -> 1.0. */
    uint16_t sa[16], sb[16];
    for (int i = 0; i < 16; i++) {
        sa[i] = a[(i + 8) % 16];
        sb[i] = b[(i + 8) % 16];
    }
    tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm80"), TCA_MMA_IN_BF16, sa, sb, 16, 0u), 0x3F800000u);
    /* on sm90 any permutation inside the k16 chunk is the same single exact step */
    tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm90"), TCA_MMA_IN_BF16, sa, sb, 16, 0u), 0x3F800000u);
    /* k = 8 (m16n8k8) is a single step on every profile */
    tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm80"), TCA_MMA_IN_BF16, sa, sb, 8, 0u), 0x3F800000u);
    /* a k that is not a multiple of the block: chunks of 8 then 4 on sm80 (spec 3.2 dot) */
    {
        const tca_mma_profile *p80 = prof("sm80");
        const uint32_t d1 = tca_mma_step_f32(p80, TCA_MMA_IN_BF16, a, b, 8, 0u);
        tca_ck_assert_bits32(tca_mma_dot_f32(p80, TCA_MMA_IN_BF16, a, b, 12, 0u),
                             tca_mma_step_f32(p80, TCA_MMA_IN_BF16, a + 8, b + 8, 4, d1));
        /* D1 = 12 * 2^-26 exactly; step 2 (1 x 1 and three zero products): T_c = 3 -> 0x3F800001.
         * sm90 does one step of 12: each small T = floor(0.75) = 0 -> 1.0 */
        tca_ck_assert_bits32(tca_mma_dot_f32(p80, TCA_MMA_IN_BF16, a, b, 12, 0u), 0x3F800001u);
        tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm90"), TCA_MMA_IN_BF16, a, b, 12, 0u), 0x3F800000u);
        /* with c = 0.5 the small products truncate already in step 1 (unit 2^-25: floor(0.75) = 0),
         * D1 = 0.5, D = 1.5 = 0x3FC00000 */
        tca_ck_assert_bits32(tca_mma_dot_f32(p80, TCA_MMA_IN_BF16, a, b, 12, 0x3F000000u), 0x3FC00000u);
    }
    /* k = 0 returns c unchanged */
    tca_ck_assert_bits32(tca_mma_dot_f32(prof("sm80"), TCA_MMA_IN_BF16, sa, sb, 0, 0x80000000u), 0x80000000u);
    /* f16 accumulator chain on sm80 vs sm90 with the same construction in f16:
     * small = 1.5 * 2^-13 (f16 0x0A00); eight of them = 12 * 2^-13 = 1.5 * 2^-10.
     * sm90 one step: E_max = 0, each T = trunc(1.5 * 2^-13 * 2^25) = 1.5 * 2^12 exactly
     * (F = 25 keeps them); value 1 + 1.5 * 2^-10 -> RNE to f16 (ulp 2^-10): 1.5 ulp, a tie -> even
     * 1 + 2^-9 = 0x3C02. sm80: D1 = 1.5 * 2^-10 exactly in f16 (0x1600), then 1 + 1.5 * 2^-10 ->
     * 0x3C02 as well: the same here, as expected from exact small terms. */
    uint16_t ha[16], hb[16];
    for (int i = 0; i < 16; i++) {
        ha[i] = i < 8 ? 0x0A00u : (i == 8 ? H_ONE : 0u);
        hb[i] = i <= 8 ? H_ONE : 0u;
    }
    tca_ck_assert_bits16(tca_mma_dot_f16(prof("sm90"), ha, hb, 16, 0u), 0x3C02u);
    tca_ck_assert_bits16(tca_mma_dot_f16(prof("sm80"), ha, hb, 16, 0u), 0x3C02u);
}
END_TEST

/* ---------------------------------------------------------------- property checks */

/* a small integer v in [-16, 16] as bf16 (exact) */
static uint16_t bf16_of_int(int v)
{
    if (v == 0) return 0;
    const uint16_t sign = v < 0 ? 0x8000u : 0u;
    unsigned m = (unsigned)(v < 0 ? -v : v);
    int e = 0;
    while ((m >> e) > 1) e++;
    /* m = 1.f * 2^e with at most 4 significant bits: fraction = (m - 2^e) << (7 - e) */
    return (uint16_t)(sign | ((unsigned)(127 + e) << 7) | ((m - (1u << e)) << (7 - e)));
}

static uint32_t f32_of_int(long v)
{
    float f = (float)v; /* exact for |v| < 2^24 */
    uint32_t u;
    memcpy(&u, &f, 4);
    return v == 0 ? 0u : u;
}

START_TEST(test_mma_step_small_integers_are_exact)
{
    /* layout-style property: with small integers every term and sum is exact on every profile,
     * so D = the integer sum (zero as +0) */
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 101));
    const uint64_t n = tca_test_count(20000, 500000);
    for (uint64_t it = 0; it < n; it++) {
        uint16_t a[16], b[16];
        long want = tca_prng_range(&r, -1000, 1000);
        const uint32_t c = f32_of_int(want);
        for (int i = 0; i < 16; i++) {
            const int x = (int)tca_prng_range(&r, -8, 8), y = (int)tca_prng_range(&r, -8, 8);
            a[i] = bf16_of_int(x);
            b[i] = bf16_of_int(y);
            want += (long)x * y;
        }
        const tca_mma_profile *p = tca_mma_profile_at((int)(it % 6));
        tca_ck_assert_bits32(tca_mma_dot_f32(p, TCA_MMA_IN_BF16, a, b, 16, c), f32_of_int(want));
    }
}
END_TEST

static uint16_t random_bf16_moderate(tca_prng *r)
{
    /* normal bf16 with exponent -8..8, random sign and fraction */
    const unsigned e = (unsigned)(127 + tca_prng_range(r, -8, 8));
    return (uint16_t)((tca_prng_u32(r) & 0x8000u) | (e << 7) | (tca_prng_u32(r) & 0x7Fu));
}

START_TEST(test_mma_step_properties)
{
    /* symmetry properties that follow from the clauses (sign-magnitude truncation, RZ):
     * negating every a_i and c negates D; swapping a and b changes nothing; permuting the
     * products of one step changes nothing; scaling every a_i and c by 2 scales D by 2 when no
     * floor, subnormal or overflow is involved; and for nonnegative terms
     * exact - (n + 1) * 2^(E_max - F) - ulp < D <= exact. */
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 102));
    const uint64_t n = tca_test_count(20000, 1000000);
    for (uint64_t it = 0; it < n; it++) {
        const tca_mma_profile *p = tca_mma_profile_at((int)(it % 6));
        const int k = p->block_products;
        uint16_t a[16], b[16], na[16], pa[16], pb[16], sa[16];
        uint32_t c = (uint32_t)(127 + tca_prng_range(&r, -5, 10)) << 23 | (tca_prng_u32(&r) & 0x807FFFFFu);
        for (int i = 0; i < k; i++) {
            a[i] = random_bf16_moderate(&r);
            b[i] = random_bf16_moderate(&r);
            if (tca_prng_below(&r, 8) == 0) a[i] = 0; /* some zero products */
            na[i] = a[i] ^ 0x8000u;
            sa[i] = a[i] ? (uint16_t)(a[i] + 0x80u) : 0; /* x2: exponent + 1 */
        }
        /* random permutation (Fisher-Yates with the PRNG) */
        int perm[16];
        for (int i = 0; i < k; i++) perm[i] = i;
        for (int i = k - 1; i > 0; i--) {
            const int j = (int)tca_prng_below(&r, (uint64_t)i + 1);
            const int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (int i = 0; i < k; i++) {
            pa[i] = a[perm[i]];
            pb[i] = b[perm[i]];
        }
        const uint32_t d = tca_mma_step_f32(p, TCA_MMA_IN_BF16, a, b, k, c);
        const uint32_t dn = tca_mma_step_f32(p, TCA_MMA_IN_BF16, na, b, k, c ^ 0x80000000u);
        tca_ck_assert_bits32(dn, d == 0 ? 0u : d ^ 0x80000000u);
        tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, b, a, k, c), d);
        tca_ck_assert_bits32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, pa, pb, k, c), d);
        const uint32_t ds = tca_mma_step_f32(p, TCA_MMA_IN_BF16, sa, b, k, c + 0x00800000u);
        tca_ck_assert_bits32(ds, d == 0 ? 0u : d + 0x00800000u);

        /* bound for nonnegative terms: make everything positive */
        for (int i = 0; i < k; i++) {
            a[i] &= 0x7FFFu;
            b[i] &= 0x7FFFu;
        }
        c &= 0x7FFFFFFFu;
        /* exact in a double: every bit lies between 2^-30 (c >= 2^-5 has ulp >= 2^-28; a product of
         * exponent >= -16 has ulp >= 2^-30) and 2^22 */
        double exact = tca_double_from_f32(c);
        int emax = (int)((c >> 23) & 0xFF) - 127;
        for (int i = 0; i < k; i++) {
            exact += tca_double_from_bf16(a[i]) * tca_double_from_bf16(b[i]);
            if (a[i] && b[i]) {
                const int e = (int)((a[i] >> 7) & 0xFF) - 127 + (int)((b[i] >> 7) & 0xFF) - 127;
                if (e > emax) emax = e;
            }
        }
        const double got = tca_double_from_f32(tca_mma_step_f32(p, TCA_MMA_IN_BF16, a, b, k, c));
        const double unit = (double)(k + 1) * ldexp(1.0, emax - p->frac_bits);
        const double ulp = ldexp(1.0, emax + 2 - 23); /* the result is below 2^(emax+6); loose ulp */
        ck_assert_msg(got <= exact, "D above the exact sum");
        ck_assert_msg(got > exact - unit - 64 * ulp, "D too far below the exact sum");
    }
}
END_TEST


static uint16_t random_input_mix(tca_prng *r, int f16)
{
    const uint32_t u = tca_prng_u32(r);
    switch (tca_prng_below(r, 5)) {
    case 0: /* any pattern: specials, subnormals, the whole range */
        return (uint16_t)u;
    case 1: /* zero */
        return (uint16_t)(u & 0x8000u);
    case 2: /* subnormal */
        return (uint16_t)(u & (f16 ? 0x83FFu : 0x807Fu));
    case 3: /* tiny normal */
        return f16 ? (uint16_t)((u & 0x83FFu) | (1u << 10)) : (uint16_t)((u & 0x807Fu) | ((u >> 16) & 0x7u) << 7 | 0x80u);
    default: /* moderate */
        return f16 ? (uint16_t)((u & 0x83FFu) | (uint32_t)tca_prng_range(r, 10, 20) << 10)
                   : random_bf16_moderate(r);
    }
}

START_TEST(test_mma_step_fast_path_equals_clauses)
{
    /* the branch-free fast path (every table profile, finite inputs) against the clause-by-clause
     * general path, on inputs that reach every clause; n = 1..16, both input formats, both
     * accumulators, every profile */
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 103));
    const uint64_t iters = tca_test_count(200000, 5000000);
    long bad = 0;
    uint64_t first = 0;
    for (uint64_t it = 0; it < iters; it++) {
        const tca_mma_profile *p = tca_mma_profile_at((int)(it % 6));
        const int f16 = (int)((it / 6) % 2), n = 1 + (int)tca_prng_below(&r, 16);
        uint16_t a[16], b[16];
        for (int i = 0; i < n; i++) {
            a[i] = random_input_mix(&r, f16);
            b[i] = random_input_mix(&r, f16);
        }
        uint32_t c;
        switch (tca_prng_below(&r, 4)) {
        case 0: c = tca_prng_u32(&r); break;
        case 1: c = tca_prng_u32(&r) & 0x80000000u; break;
        case 2: c = tca_prng_u32(&r) & 0x807FFFFFu; break;
        default: c = (tca_prng_u32(&r) & 0x807FFFFFu) | ((uint32_t)tca_prng_range(&r, 90, 140) << 23); break;
        }
        const tca_mma_input in = f16 ? TCA_MMA_IN_F16 : TCA_MMA_IN_BF16;
        if (tca_mma_step_f32(p, in, a, b, n, c) != tca__mma_step_f32_generic(p, in, a, b, n, c) && bad++ == 0)
            first = it;
        if (f16) {
            const uint16_t ch = (uint16_t)c;
            if (tca_mma_step_f16(p, a, b, n, ch) != tca__mma_step_f16_generic(p, a, b, n, ch) && bad++ == 0)
                first = it;
        }
    }
    ck_assert_msg(bad == 0, "%ld mismatches, first at iteration %llu", bad, (unsigned long long)first);
}
END_TEST

Suite *tca_mma_step_suite(void);
Suite *tca_mma_step_suite(void)
{
    Suite *s = suite_create("mma_step");
    TCase *tc = tcase_create("step");
    tcase_add_test(tc, test_mma_profiles_table);
    tcase_add_test(tc, test_mma_step_truncation_not_rz);
    tcase_add_test(tc, test_mma_step_unnormalised_product_exponent);
    tcase_add_test(tc, test_mma_step_zero_rules);
    tcase_add_test(tc, test_mma_step_floor);
    tcase_add_test(tc, test_mma_step_overflow_and_subnormal_outputs);
    tcase_add_test(tc, test_mma_step_specials);
    tcase_add_test(tc, test_mma_step_f16_inputs_f32_acc);
    tcase_add_test(tc, test_mma_step_f16_accumulator);
    tcase_add_test(tc, test_mma_dot_split_and_f);
    tcase_add_test(tc, test_mma_step_small_integers_are_exact);
    tcase_add_test(tc, test_mma_step_properties);
    tcase_add_test(tc, test_mma_step_fast_path_equals_clauses);
    suite_add_tcase(s, tc);
    return s;
}
