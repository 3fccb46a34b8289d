/* SPDX-License-Identifier: Apache-2.0 */
/* Differential tests of the IEEE rounding helpers and the split-K addition against MPFR:
 * tca_f32_add_rne (tca-mma-semantics 5 / 6.3), tca_bf16_from_f32_rne (the GEMM epilogue),
 * tca_bf16_from_double_rne, tca_f32_from_double_rne and tca_f16_from_double_rne (the family
 * generators). Inputs: special values, ties constructed bit by bit, and random patterns. */
#include <stdio.h>
#include <string.h>
#include "tca/families.h"
#include "tca/tca.h"
#include "tca_oracle.h"
#include "test_util.h"

static double dbl(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

START_TEST(test_convert_oracle_hand)
{
    /* the oracle itself on hand-derived values */
    tca_ck_assert_bits32(tca_oracle_f32_add_rne(0x3F800000u, 0x33800000u), 0x3F800000u); /* 1 + 2^-24: tie -> 1 */
    tca_ck_assert_bits32(tca_oracle_f32_add_rne(0x3F800001u, 0x33800000u), 0x3F800002u); /* tie -> even up */
    tca_ck_assert_bits32(tca_oracle_f32_add_rne(0x3F800000u, 0xBF800000u), 0x00000000u); /* x - x = +0 */
    tca_ck_assert_bits32(tca_oracle_f32_add_rne(0x80000000u, 0x80000000u), 0x80000000u); /* -0 + -0 = -0 */
    tca_ck_assert_bits32(tca_oracle_f32_add_rne(0x00000001u, 0x00000001u), 0x00000002u); /* subnormals */
    tca_ck_assert_bits32(tca_oracle_f32_add_rne(0x7F7FFFFFu, 0x73000000u), 0x7F800000u); /* FLT_MAX + half ulp: tie -> Inf */
    tca_ck_assert_bits32(tca_oracle_f32_add_rne(0x7F800000u, 0xFF800000u), 0x7FFFFFFFu);
    tca_ck_assert_bits32(tca_oracle_f32_add_rne(0x7FC00001u, 0x3F800000u), 0x7FFFFFFFu);
    tca_ck_assert_bits16(tca_oracle_bf16_from_f32_rne(0x3F808000u), 0x3F80);
    tca_ck_assert_bits16(tca_oracle_bf16_from_f32_rne(0x3F818000u), 0x3F82);
    tca_ck_assert_bits16(tca_oracle_bf16_from_f32_rne(0x7F7FFFFFu), 0x7F80);
    tca_ck_assert_bits16(tca_oracle_bf16_from_f32_rne(0x00008000u), 0x0000); /* 2^-134: tie -> 0 */
    tca_ck_assert_bits16(tca_oracle_bf16_from_f32_rne(0x00008001u), 0x0001);
    tca_ck_assert_bits16(tca_oracle_bf16_from_f32_rne(0x80018000u), 0x8002); /* -1.5 units -> -2 */
    tca_ck_assert_bits16(tca_oracle_f16_from_double_rne(65520.0), 0x7C00);
    tca_ck_assert_bits16(tca_oracle_f16_from_double_rne(-1.0 / 33554432), 0x8000);
    tca_ck_assert_bits32(tca_oracle_f32_from_double_rne(1.0 + 1.0 / 16777216), 0x3F800000u);
    tca_ck_assert_bits16(tca_oracle_bf16_from_double_rne(dbl(0x7FF8000000000001ull)), 0x7FFF);
}
END_TEST

/* A list of interesting binary32 patterns. */
static const uint32_t F32_SPECIALS[] = {
    0x00000000u, 0x80000000u, 0x00000001u, 0x80000001u, 0x007FFFFFu, 0x807FFFFFu, 0x00800000u, 0x80800000u,
    0x3F800000u, 0xBF800000u, 0x3F800001u, 0x3F7FFFFFu, 0x7F7FFFFFu, 0xFF7FFFFFu, 0x7F7FFFFEu, 0x7F000000u,
    0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00001u, 0x7F800001u, 0x33800000u, 0xB3800000u, 0x00400000u,
    0x4B800000u, 0xCB800001u, 0x0C000000u, 0x34000000u,
};
#define NSPEC ((int)(sizeof F32_SPECIALS / sizeof F32_SPECIALS[0]))

/* A random binary32: 1/4 any pattern, else a finite value with exponent field near `centre`. */
static uint32_t rand_f32(tca_prng *r, int centre)
{
    uint64_t u = tca_prng_u64(r);
    if ((u & 3) == 0) return (uint32_t)(u >> 32);
    int e = centre + (int)tca_prng_range(r, -30, 30);
    if (e < 0) e = 0;
    if (e > 254) e = 254;
    return (uint32_t)((u >> 63) << 31) | ((uint32_t)e << 23) | (uint32_t)((u >> 8) & 0x7FFFFFu);
}

START_TEST(test_convert_f32_add)
{
    long mism = 0, n = 0;
    for (int i = 0; i < NSPEC; i++)
        for (int j = 0; j < NSPEC; j++) {
            uint32_t x = F32_SPECIALS[i], y = F32_SPECIALS[j];
            uint32_t got = tca_f32_add_rne(x, y), exp = tca_oracle_f32_add_rne(x, y);
            n++;
            if (got != exp && mism++ < 10)
                fprintf(stderr, "f32_add %08x + %08x: tca %08x, oracle %08x\n", x, y, got, exp);
        }
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 1));
    long count = (long)tca_test_count(100000, 5000000);
    for (long k = 0; k < count; k++) {
        /* the two operands share an exponent neighbourhood so that their sum rounds (and often
         * cancels); the centre sweeps the whole range, subnormals included */
        int centre = (int)tca_prng_range(&r, 0, 254);
        uint32_t x = rand_f32(&r, centre), y = rand_f32(&r, centre);
        if (tca_prng_below(&r, 8) == 0) y = (x ^ 0x80000000u) + (uint32_t)tca_prng_range(&r, -3, 3); /* near -x */
        uint32_t got = tca_f32_add_rne(x, y), exp = tca_oracle_f32_add_rne(x, y);
        n++;
        if (got != exp && mism++ < 10) fprintf(stderr, "f32_add %08x + %08x: tca %08x, oracle %08x\n", x, y, got, exp);
    }
    fprintf(stderr, "tca_f32_add_rne vs MPFR: %ld cases, %ld mismatches\n", n, mism);
    ck_assert_int_eq(mism, 0);
}
END_TEST

START_TEST(test_convert_bf16_from_f32)
{
    long mism = 0, n = 0;
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 2));
    long count = (long)tca_test_count(200000, 20000000);
    for (long k = 0; k < count + NSPEC; k++) {
        uint32_t x;
        if (k < NSPEC) {
            x = F32_SPECIALS[k];
        } else {
            x = (uint32_t)tca_prng_u64(&r);
            uint64_t kind = tca_prng_below(&r, 4);
            if (kind == 0) x = (x & 0xFFFF0000u) | 0x8000u;                                  /* exact tie */
            if (kind == 1) x = (x & 0xFFFF0000u) | (0x8000u + (uint32_t)tca_prng_range(&r, -1, 1)); /* near tie */
            if (kind == 2) x &= 0x80FFFFFFu;                                                 /* tiny exponents */
        }
        uint16_t got = tca_bf16_from_f32_rne(x), exp = tca_oracle_bf16_from_f32_rne(x);
        n++;
        if (got != exp && mism++ < 10) fprintf(stderr, "bf16_from_f32 %08x: tca %04x, oracle %04x\n", x, got, exp);
    }
    fprintf(stderr, "tca_bf16_from_f32_rne vs MPFR: %ld cases, %ld mismatches\n", n, mism);
    ck_assert_int_eq(mism, 0);
}
END_TEST

/* A random double whose value lies around the ranges of the three targets, with ties and near
 * ties at each target's rounding position. */
static double rand_double(tca_prng *r)
{
    uint64_t u = tca_prng_u64(r);
    uint64_t kind = tca_prng_below(r, 8);
    if (kind == 0) return dbl(u); /* any pattern (mostly huge or tiny) */
    int e = (int)tca_prng_range(r, -160, 140);
    uint64_t mant = u & 0xFFFFFFFFFFFFFull;
    if (kind >= 5) { /* a tie (or its neighbours) at a rounding position of 7, 10 or 23 bits */
        int keep = kind == 5 ? 7 : kind == 6 ? 10 : 23;
        /* below the normal range the position moves up with the subnormal grid */
        int emin = keep == 7 ? -126 : keep == 10 ? -14 : -126;
        if (e < emin) keep -= emin - e;
        if (keep >= 0 && keep < 52) {
            uint64_t low = 1ull << (51 - keep);
            mant = (mant & ~((low << 1) - 1)) | low;
            mant += (uint64_t)tca_prng_range(r, -1, 1) & 0xFFFFFFFFFFFFFull; /* tie, or one ulp off */
            mant &= 0xFFFFFFFFFFFFFull;
        }
    }
    uint64_t bits = ((u >> 63) << 63) | ((uint64_t)(e + 1023) << 52) | mant;
    return dbl(bits);
}

START_TEST(test_convert_from_double)
{
    long mism = 0, n = 0;
    static const double fixed[] = {0.0, -0.0, 1.0, -1.0, 65504.0, 65520.0, 65519.999, 3.4028235677973366e38,
                                   3.4028235677973362e38, 1e-300, -5e-324, 1e300};
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 3));
    long count = (long)tca_test_count(100000, 5000000);
    int nfixed = (int)(sizeof fixed / sizeof fixed[0]);
    for (long k = 0; k < count + nfixed; k++) {
        double d = k < nfixed ? fixed[k] : rand_double(&r);
        uint64_t b;
        memcpy(&b, &d, sizeof b);
        uint16_t g1 = tca_bf16_from_double_rne(d), e1 = tca_oracle_bf16_from_double_rne(d);
        uint32_t g2 = tca_f32_from_double_rne(d), e2 = tca_oracle_f32_from_double_rne(d);
        uint16_t g3 = tca_f16_from_double_rne(d), e3 = tca_oracle_f16_from_double_rne(d);
        n += 3;
        if (g1 != e1 && mism++ < 10) fprintf(stderr, "bf16_from_double %016llx: %04x vs oracle %04x\n", (unsigned long long)b, g1, e1);
        if (g2 != e2 && mism++ < 10) fprintf(stderr, "f32_from_double %016llx: %08x vs oracle %08x\n", (unsigned long long)b, g2, e2);
        if (g3 != e3 && mism++ < 10) fprintf(stderr, "f16_from_double %016llx: %04x vs oracle %04x\n", (unsigned long long)b, g3, e3);
    }
    fprintf(stderr, "from_double (bf16, f32, f16) vs MPFR: %ld cases, %ld mismatches\n", n, mism);
    ck_assert_int_eq(mism, 0);
}
END_TEST

Suite *tca_oracle_convert_suite(void);
Suite *tca_oracle_convert_suite(void)
{
    Suite *s = suite_create("oracle_convert");
    TCase *tc = tcase_create("convert");
    tcase_add_test(tc, test_convert_oracle_hand);
    tcase_add_test(tc, test_convert_f32_add);
    tcase_add_test(tc, test_convert_bf16_from_f32);
    tcase_add_test(tc, test_convert_from_double);
    suite_add_tcase(s, tc);
    return s;
}
