/* SPDX-License-Identifier: Apache-2.0 */
/* tca_f32_add_rne (spec mma-semantics 5.2) against the host's IEEE binary32 addition, an
 * independent implementation (x86-64 SSE: FLT_EVAL_METHOD 0, round to nearest even, no
 * flush-to-zero by default), on millions of pairs; plus hand-derived cases. Non-NaN results are
 * compared bit for bit; a NaN result must be the canonical 0x7FFFFFFF. */
#include <fenv.h>
#include <float.h>
#include <string.h>
#include "tca/bf16.h"
#include "tca/mma.h"
#include "tca/prng.h"
#include "test_util.h"

static uint32_t host_add(uint32_t x, uint32_t y)
{
    volatile float fx, fy; /* volatile: computed at run time by the FPU under test conditions */
    float r;
    memcpy((void *)&fx, &x, 4);
    memcpy((void *)&fy, &y, 4);
    r = fx + fy;
    uint32_t u;
    memcpy(&u, &r, 4);
    return u;
}

/* Check's assertion macros are slow (they record a mark point per call in fork mode), so the
 * bulk loops count mismatches and assert once, printing the first. */
static long mismatches;
static uint32_t first_x, first_y, first_got, first_want;

static void check_pair(uint32_t x, uint32_t y)
{
    const uint32_t got = tca_f32_add_rne(x, y);
    uint32_t want = host_add(x, y);
    if (tca_f32_is_nan(want)) want = 0x7FFFFFFFu; /* spec 5.2: the NaN result is canonical */
    if (got != want && mismatches++ == 0) {
        first_x = x;
        first_y = y;
        first_got = got;
        first_want = want;
    }
}

static void assert_no_mismatch(void)
{
    ck_assert_msg(mismatches == 0, "%ld mismatches; first: 0x%08x + 0x%08x: got 0x%08x, expected 0x%08x",
                  mismatches, (unsigned)first_x, (unsigned)first_y, (unsigned)first_got, (unsigned)first_want);
}

START_TEST(test_mma_f32_add_hand_cases)
{
    /* 1 + 1 = 2 */
    tca_ck_assert_bits32(tca_f32_add_rne(0x3F800000u, 0x3F800000u), 0x40000000u);
    /* x + (-x) = +0; -0 + -0 = -0; +0 + -0 = +0; -0 + x = x */
    tca_ck_assert_bits32(tca_f32_add_rne(0x3F800000u, 0xBF800000u), 0x00000000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x80000001u, 0x00000001u), 0x00000000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x80000000u, 0x80000000u), 0x80000000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x00000000u, 0x80000000u), 0x00000000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x80000000u, 0x00000000u), 0x00000000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x80000000u, 0xC0400000u), 0xC0400000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x00000003u, 0x80000000u), 0x00000003u);
    /* ties to even: 1 + 2^-24 is a tie between 1 and 1 + 2^-23 -> 1 (even);
     * (1 + 2^-23) + 2^-24 -> 1 + 2^-22 (even); 1 + 2^-24 + tiny is above the tie. 1 + 2^-25 -> 1 */
    tca_ck_assert_bits32(tca_f32_add_rne(0x3F800000u, 0x33800000u), 0x3F800000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x3F800001u, 0x33800000u), 0x3F800002u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x3F800000u, 0x33800001u), 0x3F800001u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x3F800000u, 0x33000000u), 0x3F800000u);
    /* 1 - 2^-25: exact value just below 1 is 1 - 2^-25, halfway between 1 - 2^-24 and 1 -> the
     * even one, 1.0; 1 - 2^-24 exactly representable: 0x3F7FFFFF */
    tca_ck_assert_bits32(tca_f32_add_rne(0x3F800000u, 0xB3000000u), 0x3F800000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x3F800000u, 0xB3800000u), 0x3F7FFFFFu);
    /* a far smaller operand (exponent difference 200) only acts as a sticky bit:
     * 1 - 2^-100*... -> 1 (RNE), 1 + 2^-126 -> 1 */
    tca_ck_assert_bits32(tca_f32_add_rne(0x3F800000u, 0x8D800000u), 0x3F800000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x3F800000u, 0x00800000u), 0x3F800000u);
    /* subnormals: 2^-149 + 2^-149 = 2^-148; largest subnormal + smallest subnormal = 2^-126 */
    tca_ck_assert_bits32(tca_f32_add_rne(0x00000001u, 0x00000001u), 0x00000002u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x007FFFFFu, 0x00000001u), 0x00800000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x00800000u, 0x80000001u), 0x007FFFFFu);
    /* overflow to Inf: FLT_MAX + FLT_MAX; FLT_MAX + half an ulp (2^103) is a tie -> even: the
     * odd FLT_MAX rounds up -> Inf; FLT_MAX + 2^102 stays */
    tca_ck_assert_bits32(tca_f32_add_rne(0x7F7FFFFFu, 0x7F7FFFFFu), 0x7F800000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x7F7FFFFFu, 0x73000000u), 0x7F800000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x7F7FFFFFu, 0x72800000u), 0x7F7FFFFFu);
    tca_ck_assert_bits32(tca_f32_add_rne(0xFF7FFFFFu, 0xFF7FFFFFu), 0xFF800000u);
    /* infinities and NaN */
    tca_ck_assert_bits32(tca_f32_add_rne(0x7F800000u, 0xFF7FFFFFu), 0x7F800000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0xFF800000u, 0xFF800000u), 0xFF800000u);
    tca_ck_assert_bits32(tca_f32_add_rne(0x7F800000u, 0xFF800000u), 0x7FFFFFFFu);
    tca_ck_assert_bits32(tca_f32_add_rne(0xFFC00000u, 0x3F800000u), 0x7FFFFFFFu);
    tca_ck_assert_bits32(tca_f32_add_rne(0x3F800000u, 0x7F800001u), 0x7FFFFFFFu);
    tca_ck_assert_bits32(tca_f32_add_rne(0x7F800000u, 0x7FC00000u), 0x7FFFFFFFu);
}
END_TEST

static uint32_t random_f32(tca_prng *r)
{
    /* a mix: uniform patterns, near-equal exponents (cancellation), subnormals, extremes */
    const uint32_t u = tca_prng_u32(r);
    switch (tca_prng_below(r, 4)) {
    case 0:
        return u;
    case 1: /* exponent near 127 (1.0) */
        return (u & 0x807FFFFFu) | ((uint32_t)tca_prng_range(r, 100, 154) << 23);
    case 2: /* subnormal or tiny normal */
        return (u & 0x807FFFFFu) | ((uint32_t)tca_prng_range(r, 0, 3) << 23);
    default: /* near overflow */
        return (u & 0x807FFFFFu) | ((uint32_t)tca_prng_range(r, 250, 254) << 23);
    }
}

START_TEST(test_mma_f32_add_against_host)
{
    ck_assert_int_eq(FLT_EVAL_METHOD, 0); /* the host add must be a true binary32 add */
    ck_assert_int_eq(fegetround(), FE_TONEAREST);
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 201));
    const uint64_t n = tca_test_count(2000000, 50000000);
    for (uint64_t i = 0; i < n; i++) {
        const uint32_t x = random_f32(&r);
        uint32_t y;
        switch (tca_prng_below(&r, 4)) {
        case 0: /* same magnitude class: x's exponent +- a few, opposite sign often */
            y = (tca_prng_u32(&r) & 0x807FFFFFu) |
                ((uint32_t)(((x >> 23) & 0xFFu) + (uint32_t)tca_prng_range(&r, 0, 2)) % 255u << 23);
            break;
        case 1: /* y = -x with low bits changed: massive cancellation */
            y = (x ^ 0x80000000u) ^ (tca_prng_u32(&r) & 0xFFu);
            break;
        default:
            y = random_f32(&r);
            break;
        }
        check_pair(x, y);
        check_pair(y, x);
    }
    assert_no_mismatch();
}
END_TEST

START_TEST(test_mma_f32_add_exhaustive_small)
{
    /* every pair of patterns from a structured set: all signs, exponent fields {0, 1, 2, 126,
     * 127, 128, 253, 254, 255} and fractions {0, 1, 2, 0x400000, 0x7FFFFE, 0x7FFFFF} */
    static const uint32_t ef[] = {0, 1, 2, 24, 25, 26, 126, 127, 128, 151, 152, 253, 254, 255};
    static const uint32_t fr[] = {0, 1, 2, 3, 0x400000u, 0x400001u, 0x7FFFFEu, 0x7FFFFFu};
    uint32_t set[2 * 14 * 8];
    int n = 0;
    for (int s = 0; s < 2; s++)
        for (int e = 0; e < 14; e++)
            for (int f = 0; f < 8; f++) set[n++] = ((uint32_t)s << 31) | (ef[e] << 23) | fr[f];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) check_pair(set[i], set[j]);
    assert_no_mismatch();
}
END_TEST

Suite *tca_mma_f32_add_suite(void);
Suite *tca_mma_f32_add_suite(void)
{
    Suite *s = suite_create("mma_f32_add");
    TCase *tc = tcase_create("f32_add");
    tcase_add_test(tc, test_mma_f32_add_hand_cases);
    tcase_add_test(tc, test_mma_f32_add_exhaustive_small);
    tcase_add_test(tc, test_mma_f32_add_against_host);
    suite_add_tcase(s, tc);
    return s;
}
