/* SPDX-License-Identifier: Apache-2.0 */
/* The MPFR oracle against hand-derived cases (independent of the emulator). Every expected bit
 * pattern below is derived by hand from the step algorithm of the numerics reference section 3
 * (spec tca-mma-semantics 3.1): the derivation is in the comment next to it. The profile values
 * are those of the numerics reference section 2, written out here rather than taken from the
 * emulator's profile table. */
#include <mpfr.h>
#include "tca/tca.h"
#include "tca_oracle.h"
#include "test_util.h"

/* numerics reference 2: sm_90 F = 25, 16 products, FLOOR -133 (f32) / -21 (f16);
 * sm_80 F = 24, 8 products, FLOOR -132 / -20. */
static const tca_mma_profile HOPPER = {"hand-sm90", 25, 16, -133, -21, 0};
static const tca_mma_profile AMPERE = {"hand-sm80", 24, 8, -132, -20, 0};

#define ONE_BF16 0x3F80u
#define ONE_F32 0x3F800000u
#define FLT_MAX_BITS 0x7F7FFFFFu

START_TEST(test_oracle_hand_exact_and_truncation)
{
    uint16_t a[16], b[16];
    a[0] = ONE_BF16, b[0] = ONE_BF16;
    /* 1 * 1 + 0 = 1 */
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 1, 0), ONE_F32);
    /* 1 - 2^-30: E_max = 0, the term -2^-30 * 2^25 = -2^-5 truncates to 0, so the result is 1,
     * not RZ(1 - 2^-30) = 0x3F7FFFFF (numerics reference 2, "Monotonicity"). 2^-30 = 0x3080. */
    a[1] = 0x3080, b[1] = 0xBF80;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 2, 0), ONE_F32);
    /* 1 + 15 * (1.5 * 2^-25) (1.5 * 2^-25 = 0x3340).
     * sm90, one step, grid 2^-25: each small term 1.5 -> 1, sum 1 + 15 * 2^-25; RZ to 24 bits
     * (ulp 2^-23): 15/4 = 3.75 -> 3, so 1 + 3 * 2^-23 = 0x3F800003.
     * sm80, two steps of 8 at F = 24, grid 2^-24: 0.75 -> 0 in both steps, so exactly 1. */
    for (int i = 1; i < 16; i++) a[i] = 0x3340, b[i] = ONE_BF16;
    tca_ck_assert_bits32(tca_oracle_dot_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 16, 0), 0x3F800003u);
    tca_ck_assert_bits32(tca_oracle_dot_f32(&AMPERE, TCA_MMA_IN_BF16, a, b, 16, 0), ONE_F32);
    /* f16 inputs, f32 accumulator: (1 + 2^-10)^2 = 1 + 2^-9 + 2^-20, exact in binary32:
     * bit 14 (2^-9) and bit 3 (2^-20) -> 0x3F804008. With c = 2^10 (0x44800000), E_max = 10 and
     * the grid is 2^-15: the product truncates to 1 + 2^-9; 1025 + 2^-9 = 2^10 (1 + 2^-10 +
     * 2^-19) -> mantissa bits 13 and 4 -> 0x44802010. */
    uint16_t h1 = 0x3C01;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_F16, &h1, &h1, 1, 0), 0x3F804008u);
    tca_ck_assert_bits32(tca_oracle_step_f32(&AMPERE, TCA_MMA_IN_F16, &h1, &h1, 1, 0), 0x3F804008u);
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_F16, &h1, &h1, 1, 0x44800000u), 0x44802010u);
}
END_TEST

START_TEST(test_oracle_hand_zero_products_do_not_set_emax)
{
    /* A zero times 2^127 (0x7F00) next to (1 + 2^-7)^2 = 1 + 2^-6 + 2^-14 (E = 0, exact on the
     * 2^-25 grid): the zero product is dropped, so the result keeps every bit:
     * 2^-6 -> bit 17, 2^-14 -> bit 9: 0x3F820200. Same with -0. c = 2^-30 (0x30800000) is
     * truncated away on the 2^-25 grid. */
    uint16_t a[2] = {0x0000, 0x3F81}, b[2] = {0x7F00, 0x3F81};
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 2, 0x30800000u), 0x3F820200u);
    a[0] = 0x8000;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 2, 0x30800000u), 0x3F820200u);
}
END_TEST

START_TEST(test_oracle_hand_floor_and_split)
{
    /* 16 products (2 - 2^-7) 2^-70 (0x1CFF) x 2^-80 (0x1780) = 2^-149 - 2^-157, E_i = -150, c = +0.
     * sm90: E_max = max(-150, -133) = -133, grid 2^-158: each term is exactly 510 units; 16 * 510
     *   = 8160 units = 15.9375 * 2^-149 -> RZ -> 15 * 2^-149 = 0x0000000F.
     * sm80: step 1, grid 2^-156: each term 127.5 -> 127; 8 * 127 = 1016 units = 7.9375 * 2^-149
     *   -> 7 * 2^-149. Step 2: c = 7 * 2^-149 is a nonzero subnormal, e_c = -126, so E_max =
     *   -126, grid 2^-150: each product 2 - 2^-7 -> 1 unit; 8 + 14 = 22 units = 11 * 2^-149:
     *   0x0000000B.
     * FLOOR -126 (F = 25, one step): grid 2^-151: each term 4 - 2^-6 -> 3 units; 48 units =
     *   12 * 2^-149 = 0x0000000C.
     * no effective floor (-400): E_max = -150, exact; 15.9375 * 2^-149 -> 15 = 0x0000000F. */
    uint16_t a[16], b[16];
    for (int i = 0; i < 16; i++) a[i] = 0x1CFF, b[i] = 0x1780;
    tca_ck_assert_bits32(tca_oracle_dot_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 16, 0), 0x0000000Fu);
    tca_ck_assert_bits32(tca_oracle_dot_f32(&AMPERE, TCA_MMA_IN_BF16, a, b, 16, 0), 0x0000000Bu);
    tca_mma_profile floor126 = HOPPER;
    floor126.floor_f32 = -126;
    tca_ck_assert_bits32(tca_oracle_dot_f32(&floor126, TCA_MMA_IN_BF16, a, b, 16, 0), 0x0000000Cu);
    tca_mma_profile nofloor = HOPPER;
    nofloor.floor_f32 = -400;
    tca_ck_assert_bits32(tca_oracle_dot_f32(&nofloor, TCA_MMA_IN_BF16, a, b, 16, 0), 0x0000000Fu);
    /* c = -0 gives the same: c = 0 never takes part. */
    tca_ck_assert_bits32(tca_oracle_dot_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 16, 0x80000000u), 0x0000000Fu);
}
END_TEST

START_TEST(test_oracle_hand_overflow)
{
    uint16_t a, b;
    /* 2^64 * 2^64 = 2^128 -> +Inf (not FLT_MAX); negated -> -Inf. 2^64 = 0x5F80. */
    a = 0x5F80, b = 0x5F80;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, &a, &b, 1, 0), 0x7F800000u);
    a = 0xDF80;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, &a, &b, 1, 0), 0xFF800000u);
    /* (2 - 2^-7) 2^63 (0x5F7F) * 2^64 + FLT_MAX: both exact on the 2^102 grid, sum >= 2^128: +Inf. */
    a = 0x5F7F, b = 0x5F80;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, &a, &b, 1, FLT_MAX_BITS), 0x7F800000u);
    /* 2^52 * 2^52 + FLT_MAX = 2^104 + 2^128 - 2^104 = 2^128 exactly: +Inf. 2^52 = 0x5980. */
    a = 0x5980, b = 0x5980;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, &a, &b, 1, FLT_MAX_BITS), 0x7F800000u);
    /* 2^52 * 2^51 + FLT_MAX = 2^128 - 2^103: RZ gives FLT_MAX (both profiles; exact on the grid). */
    b = 0x5900;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, &a, &b, 1, FLT_MAX_BITS), FLT_MAX_BITS);
    tca_ck_assert_bits32(tca_oracle_step_f32(&AMPERE, TCA_MMA_IN_BF16, &a, &b, 1, FLT_MAX_BITS), FLT_MAX_BITS);
    /* -FLT_MAX + 2^104 = -(2^128 - 2^105): 0xFF7FFFFE. */
    b = 0x5980;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, &a, &b, 1, 0xFF7FFFFFu), 0xFF7FFFFEu);
}
END_TEST

START_TEST(test_oracle_hand_specials)
{
    uint16_t a[2], b[2];
    a[0] = 0x7FC1, b[0] = ONE_BF16; /* NaN input with a payload -> canonical NaN */
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 1, 0), 0x7FFFFFFFu);
    a[0] = ONE_BF16; /* NaN c */
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 1, 0xFFC00001u), 0x7FFFFFFFu);
    a[0] = 0x7F80, b[0] = 0x0000; /* Inf x 0 */
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 1, 0), 0x7FFFFFFFu);
    a[0] = 0x7F80, b[0] = ONE_BF16, a[1] = 0x7F80, b[1] = 0xBF80; /* +Inf and -Inf products */
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 2, 0), 0x7FFFFFFFu);
    /* +Inf product against a -Inf c */
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 1, 0xFF800000u), 0x7FFFFFFFu);
    /* Inf * -2 + 1 = -Inf */
    b[0] = 0xC000;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 1, ONE_F32), 0xFF800000u);
    /* finite products, c = -Inf -> -Inf */
    a[0] = ONE_BF16, b[0] = ONE_BF16;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 1, 0xFF800000u), 0xFF800000u);
    /* f16 accumulator NaN and Inf */
    uint16_t h[2] = {0x7E00, 0x3C00}, one = 0x3C00;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, h, &one, 1, 0), 0x7FFF);
    h[0] = 0x7C00;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, h, &one, 1, 0), 0x7C00);
}
END_TEST

START_TEST(test_oracle_hand_plus_zero)
{
    uint16_t a[2] = {ONE_BF16, ONE_BF16}, b[2] = {ONE_BF16, 0xBF80};
    /* 1 - 1 + (-0): exact cancellation -> +0 */
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 2, 0x80000000u), 0u);
    tca_ck_assert_bits32(tca_oracle_dot_f32(&AMPERE, TCA_MMA_IN_BF16, a, b, 2, 0x80000000u), 0u);
    /* (-0) * 1 + (-0): no term at all -> +0 */
    a[0] = 0x8000;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 1, 0x80000000u), 0u);
    /* n = 0: c alone; -0 -> +0, 1 -> 1, the smallest subnormal stays */
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 0, 0x80000000u), 0u);
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 0, ONE_F32), ONE_F32);
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 0, 0x80000001u), 0x80000001u);
    /* 2^-100 * -2^-100 = -2^-200: E_max = -133, grid 2^-158: truncates to 0 -> +0 */
    a[0] = 0x0D80, b[0] = 0x8D80;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 1, 0), 0u);
    /* -2^-75 * 2^-75 = -2^-150: exact on the grid, below the 2^-149 subnormal grid: RZ -> +0 */
    a[0] = 0x9A00, b[0] = 0x1A00;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 1, 0), 0u);
    /* 2^-70 * -2^-70 = -2^-140 = -(2^9) 2^-149: a negative subnormal 0x80000200 */
    a[0] = 0x1C80, b[0] = 0x9C80;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, a, b, 1, 0), 0x80000200u);
}
END_TEST

START_TEST(test_oracle_hand_f16_accumulator)
{
    /* binary16: 1 = 0x3C00, 2^-11 = 0x1000, 1.5 * 2^-10 = 0x1600, 16 = 0x4C00, 15 = 0x4B80,
     * 256 = 0x5C00, 65504 = 0x7BFF, 2^-13 = 0x0800, 2^-12 = 0x0C00, 1.5 * 2^-13 = 0x0A00,
     * 0.25 = 0x3400. */
    uint16_t a[2] = {0x3C00, 0x1000}, b[2] = {0x3C00, 0x3C00}, x, y;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, a, b, 1, 0x3C00), 0x4000); /* 1 + 1 = 2 */
    /* 1 + 2^-11: a tie between 1 (even) and 1 + 2^-10 -> 1 */
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, a, b, 2, 0), 0x3C00);
    /* 1 + 1.5 * 2^-10: a tie between 0x3C01 and 0x3C02 (even) -> 0x3C02 */
    a[1] = 0x1600;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, a, b, 2, 0), 0x3C02);
    tca_ck_assert_bits16(tca_oracle_dot_f16(&AMPERE, a, b, 2, 0), 0x3C02);
    /* 256 * 256 = 65536 -> +Inf */
    x = 0x5C00, y = 0x5C00;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, &x, &y, 1, 0), 0x7C00);
    /* 65504 + 16 = 65520: the tie between 65504 (odd mantissa) and 2^16 rounds up -> +Inf */
    x = 0x4C00, y = 0x3C00;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, &x, &y, 1, 0x7BFF), 0x7C00);
    /* 65504 + 15 = 65519 -> 65504 */
    x = 0x4B80;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, &x, &y, 1, 0x7BFF), 0x7BFF);
    /* -2^-13 * 2^-13 = -2^-26 = -0.25 units of 2^-24: RNE to -0 -> +0 */
    x = 0x8800, y = 0x0800;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, &x, &y, 1, 0), 0x0000);
    /* 2^-13 * 0.25 = 2^-15: subnormal 0x0200 */
    x = 0x0800, y = 0x3400;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, &x, &y, 1, 0), 0x0200);
    /* 1.5 * 2^-13 * 2^-12 = 0.75 * 2^-24: rounds up to the smallest subnormal 0x0001 */
    x = 0x0A00, y = 0x0C00;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, &x, &y, 1, 0), 0x0001);
    /* ties on the subnormal grid 2^-24 go to even: 2^-13 * 2^-12 = 0.5 units -> 0 (+0);
     * 1.5 * 2^-12 (0x0E00) * 2^-12 = 1.5 units -> 2; 1.25 * 2^-11 (0x1100) * 2^-12 = 2.5 units -> 2 */
    x = 0x0800, y = 0x0C00;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, &x, &y, 1, 0), 0x0000);
    x = 0x0E00;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, &x, &y, 1, 0), 0x0002);
    x = 0x1100;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, &x, &y, 1, 0), 0x0002);
    /* negative: -2.5 units -> -2 units = 0x8002 */
    x = 0x9100;
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, &x, &y, 1, 0), 0x8002);
}
END_TEST

START_TEST(test_oracle_hand_restores_mpfr_range)
{
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    ck_assert(mpfr_set_emin(-1000) == 0);
    ck_assert(mpfr_set_emax(1000) == 0);
    uint16_t a = 0x1C80, b = 0x9C80, h = 0x0800;
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, &a, &b, 1, 0), 0x80000200u);
    tca_ck_assert_bits16(tca_oracle_step_f16(&HOPPER, &h, &h, 1, 0), 0x0000); /* 2^-26 -> 0 */
    ck_assert_int_eq((long)mpfr_get_emin(), -1000);
    ck_assert_int_eq((long)mpfr_get_emax(), 1000);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
}
END_TEST

START_TEST(test_oracle_hand_tile_layout_and_errors)
{
    /* A[i][k] = 1 where k == i % 16 (K = 16), B[k][j] = small integers: D[i][j] = B[i][j] + C[i][j]
     * exactly; checks the row-major layouts of A, B, C and D. */
    uint16_t A[16 * 16] = {0}, B[16 * 8];
    uint32_t C[128], D[128];
    for (int i = 0; i < 16; i++) A[i * 16 + i] = ONE_BF16;
    for (int k = 0; k < 16; k++)
        for (int j = 0; j < 8; j++) B[k * 8 + j] = tca_bf16_from_double_rne((double)(k * 8 + j));
    for (int i = 0; i < 128; i++) C[i] = tca_f32_from_double_rne(1000.0 * i);
    tca_mma_op op = {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32};
    tca_ck_assert_status(tca_oracle_tile(&HOPPER, op, A, B, C, D), TCA_OK);
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 8; j++)
            tca_ck_assert_bits32(D[i * 8 + j], tca_f32_from_double_rne(1000.0 * (i * 8 + j) + (i * 8 + j)));
    tca_mma_op bad = {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F16};
    tca_ck_assert_status(tca_oracle_tile(&HOPPER, bad, A, B, C, D), TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_oracle_tile(NULL, op, A, B, C, D), TCA_ERROR_PARAM_NULL);
    tca_mma_profile wild = HOPPER;
    wild.frac_bits = 99;
    tca_ck_assert_status(tca_oracle_tile(&wild, op, A, B, C, D), TCA_ERROR_PARAM_PROFILE);
    tca_ck_assert_bits32(tca_oracle_step_f32(&HOPPER, TCA_MMA_IN_BF16, A, B, 17, 0), 0x7FFFFFFFu);
}
END_TEST

Suite *tca_oracle_hand_suite(void);
Suite *tca_oracle_hand_suite(void)
{
    Suite *s = suite_create("oracle_hand");
    TCase *tc = tcase_create("hand");
    tcase_add_test(tc, test_oracle_hand_exact_and_truncation);
    tcase_add_test(tc, test_oracle_hand_zero_products_do_not_set_emax);
    tcase_add_test(tc, test_oracle_hand_floor_and_split);
    tcase_add_test(tc, test_oracle_hand_overflow);
    tcase_add_test(tc, test_oracle_hand_specials);
    tcase_add_test(tc, test_oracle_hand_plus_zero);
    tcase_add_test(tc, test_oracle_hand_f16_accumulator);
    tcase_add_test(tc, test_oracle_hand_restores_mpfr_range);
    tcase_add_test(tc, test_oracle_hand_tile_layout_and_errors);
    suite_add_tcase(s, tc);
    return s;
}
