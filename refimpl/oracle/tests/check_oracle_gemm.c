/* SPDX-License-Identifier: Apache-2.0 */
/* The reference GEMM (tca_gemm_dense_ref, and tca_gemm_ref from a TCA-TBE encoding of W)
 * against the GEMM contract computed entirely by the MPFR oracle (tca_oracle_gemm), on every
 * profile, random shapes (K not a multiple of 64 included), split-K factors 1..T and input
 * mixes that make arithmetic visible: weight-like, wide-range, cancelling pairs, and specials.
 * Both the BF16 output and the binary32 value before the epilogue must match bit for bit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/gemm.h"
#include "tca/tbe.h"
#include "tca/tca.h"
#include "tca_oracle.h"
#include "test_util.h"

/* One matrix entry of the chosen mix. */
static uint16_t entry(tca_prng *r, int mix, int is_w)
{
    uint64_t t = tca_prng_below(r, 1000);
    switch (mix) {
    case 0: /* weight-like W (sigma 0.02, 2 % zeros), activation-like X */
        if (is_w && t < 20) return 0x0000;
        return tca_bf16_from_double_rne(tca_prng_normal(r) * (is_w ? 0.02 : 1.0));
    case 1: { /* wide range: exponent -40..40 */
        double v = 1.0 + tca_prng_unit(r);
        int e = (int)tca_prng_range(r, -40, 40);
        for (int i = 0; i < (e > 0 ? e : -e); i++) v = e > 0 ? v * 2.0 : v / 2.0;
        return tca_bf16_from_double_rne(tca_prng_below(r, 2) ? -v : v);
    }
    default: /* Gaussian with rare specials: +-Inf, NaN, subnormals, -0 */
        if (t == 0) return 0x7F80;
        if (t == 1) return 0xFF80;
        if (t == 2) return 0x7FC1;
        if (t < 8) return (uint16_t)(1 + tca_prng_below(r, 127));
        if (t < 12) return 0x8000;
        return tca_bf16_from_double_rne(tca_prng_normal(r));
    }
}

START_TEST(test_oracle_gemm_reference)
{
    uint64_t seed = tca_test_seed();
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(seed, 4242));
    long cases = (long)tca_test_count(36, 1200);
    long outputs = 0, mism = 0, nonzero_order_cases = 0;
    for (long c = 0; c < cases; c++) {
        const tca_mma_profile *p = tca_mma_profile_at((int)(c % tca_mma_profile_count()));
        uint64_t M = (uint64_t)tca_prng_range(&r, 1, 150), K = (uint64_t)tca_prng_range(&r, 1, 400),
                 N = (uint64_t)tca_prng_range(&r, 1, 6);
        uint64_t T = (K + 63) / 64;
        uint32_t S = (uint32_t)tca_prng_range(&r, 1, (int64_t)T);
        int mix = (int)tca_prng_below(&r, 4);
        uint16_t *W = malloc(M * K * 2), *X = malloc(N * K * 2);
        uint16_t *y_o = malloc(N * M * 2), *y_d = malloc(N * M * 2), *y_c = malloc(N * M * 2);
        uint32_t *f_o = malloc(N * M * 4), *f_d = malloc(N * M * 4), *f_c = malloc(N * M * 4);
        ck_assert(W && X && y_o && y_d && y_c && f_o && f_d && f_c);
        if (mix == 3) { /* cancelling pairs: W[m][2j] = W[m][2j+1], X[n][2j+1] = -X[n][2j] */
            for (uint64_t i = 0; i < M * K; i++) W[i] = entry(&r, 0, 1);
            for (uint64_t i = 0; i < N * K; i++) X[i] = entry(&r, 1, 0);
            for (uint64_t row = 0; row < M; row++)
                for (uint64_t kk = 0; kk + 1 < K; kk += 2) W[row * K + kk + 1] = W[row * K + kk];
            for (uint64_t row = 0; row < N; row++)
                for (uint64_t kk = 0; kk + 1 < K; kk += 2) X[row * K + kk + 1] = (uint16_t)(X[row * K + kk] ^ 0x8000u);
        } else {
            for (uint64_t i = 0; i < M * K; i++) W[i] = entry(&r, mix, 1);
            for (uint64_t i = 0; i < N * K; i++) X[i] = entry(&r, mix, 0);
        }
        tca_ck_assert_status(tca_oracle_gemm(W, M, K, X, N, p, S, y_o, f_o), TCA_OK);
        tca_ck_assert_status(tca_gemm_dense_ref(W, M, K, X, N, p, S, y_d, f_d), TCA_OK);
        tca_tbe_matrix *enc = NULL;
        tca_ck_assert_status(tca_tbe_encode(W, M, K, NULL, NULL, &enc), TCA_OK);
        tca_ck_assert_status(tca_gemm_ref(&enc->view, X, N, p, S, y_c, f_c), TCA_OK);
        tca_tbe_matrix_free(enc);
        for (uint64_t i = 0; i < N * M; i++) {
            outputs++;
            if (f_o[i] == f_d[i] && f_o[i] == f_c[i] && y_o[i] == y_d[i] && y_o[i] == y_c[i]) continue;
            if (mism++ < 10)
                fprintf(stderr,
                        "GEMM MISMATCH profile %s M=%llu K=%llu N=%llu S=%u mix %d output (n=%llu, m=%llu): "
                        "oracle f32 %08x bf16 %04x; dense ref %08x %04x; compressed ref %08x %04x\n",
                        p->name, (unsigned long long)M, (unsigned long long)K, (unsigned long long)N, S, mix,
                        (unsigned long long)(i / M), (unsigned long long)(i % M), f_o[i], y_o[i], f_d[i], y_d[i],
                        f_c[i], y_c[i]);
        }
        if (S >= 3) nonzero_order_cases++;
        free(W), free(X), free(y_o), free(y_d), free(y_c), free(f_o), free(f_d), free(f_c);
    }
    fprintf(stderr, "oracle_gemm: %ld cases (%ld with S >= 3), %ld outputs, %ld mismatches\n", cases,
            nonzero_order_cases, outputs, mism);
    ck_assert_int_eq(mism, 0);
}
END_TEST

/* The oracle GEMM itself on a hand-derived case: K = 130 (T = 3) with S = 3, so that each split
 * holds one K tile; W = 1 everywhere, X chosen so that the partials are 1 (k 0..63), 2^-24
 * (k 64..127: one element 2^-24) and 2^-24 (k 128..129: one element 2^-24). Reduction in order:
 * r = 1; r = 1 + 2^-24 -> 1 (tie to even); r = 1 + 2^-24 -> 1 again: 0x3F800000. The exact sum
 * is 1 + 2^-23 = 0x3F800001, which a different order ((p1 + p2) + p0) would give. */
START_TEST(test_oracle_gemm_hand_order)
{
    uint16_t W[130], X[130];
    for (int i = 0; i < 130; i++) W[i] = 0x3F80, X[i] = 0x0000;
    X[0] = 0x3F80;   /* 1 */
    X[70] = 0x3380;  /* 2^-24 */
    X[129] = 0x3380; /* 2^-24 */
    const tca_mma_profile *p = tca_mma_profile_by_name("sm90");
    uint16_t y;
    uint32_t f;
    tca_ck_assert_status(tca_oracle_gemm(W, 1, 130, X, 1, p, 3, &y, &f), TCA_OK);
    tca_ck_assert_bits32(f, 0x3F800000u);
    tca_ck_assert_bits16(y, 0x3F80);
    /* S = 1: one chain; chunk 0 gives 1, the chunk holding k = 70 adds 2^-24: E_max = 0, the
     * term 2^-24 * 2^25 = 2 survives, 1 + 2^-24 truncates (RZ) to 1; likewise at k = 129 -> 1 */
    tca_ck_assert_status(tca_oracle_gemm(W, 1, 130, X, 1, p, 1, &y, &f), TCA_OK);
    tca_ck_assert_bits32(f, 0x3F800000u);
    /* errors */
    tca_ck_assert_status(tca_oracle_gemm(W, 1, 130, X, 1, p, 4, &y, &f), TCA_ERROR_PARAM_SPLIT_K);
    tca_ck_assert_status(tca_oracle_gemm(W, 1, 130, X, 1, p, 0, &y, &f), TCA_ERROR_PARAM_SPLIT_K);
    tca_ck_assert_status(tca_oracle_gemm(W, 0, 130, X, 1, p, 1, &y, &f), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_oracle_gemm(NULL, 1, 130, X, 1, p, 1, &y, &f), TCA_ERROR_PARAM_NULL);
}
END_TEST

Suite *tca_oracle_gemm_suite(void);
Suite *tca_oracle_gemm_suite(void)
{
    Suite *s = suite_create("oracle_gemm");
    TCase *tc = tcase_create("gemm");
    tcase_add_test(tc, test_oracle_gemm_hand_order);
    tcase_add_test(tc, test_oracle_gemm_reference);
    suite_add_tcase(s, tc);
    return s;
}
