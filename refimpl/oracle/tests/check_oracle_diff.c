/* SPDX-License-Identifier: Apache-2.0 */
/* Differential test: the emulator (tca/mma.h) against the independent MPFR oracle, over every
 * input family (spec/tca-mma-families.md), every named profile and every supported op.
 * 0 mismatches are required. Quick tier: 8 tiles per (profile, op, family) = 56,320 outputs per
 * profile; full tier (TCA_CHECK_EXPENSIVE=1): 150 tiles = 1,056,000 outputs per profile. */
#include "oracle_diff_util.h"

#define MAX_REPORTS 20

START_TEST(test_oracle_diff_profile)
{
    int profile_no = _i;
    ck_assert_int_eq(tca_mma_profile_count(), 6);
    const tca_mma_profile *p = tca_mma_profile_at(profile_no);
    ck_assert_ptr_nonnull(p);
    uint64_t seed = tca_test_seed();
    long tiles = (long)tca_test_count(8, 150);
    long outputs = 0, mismatches = 0, reports = 0;
    long per_family_outputs[TCA_FAMILY_COUNT] = {0}, per_family_mismatches[TCA_FAMILY_COUNT] = {0};
    double t0 = diff_now();
    for (int o = 0; o < DIFF_NOPS; o++) {
        tca_mma_op op = DIFF_OPS[o];
        for (int f = 0; f < TCA_FAMILY_COUNT; f++) {
            uint64_t stream = diff_stream_seed(seed, profile_no, o, f);
            tca_prng r;
            tca_prng_seed(&r, stream);
            for (long n = 0; n < tiles; n++) {
                diff_tile t;
                tca_ck_assert_status(tca_family_fill((tca_family)f, op, &r, t.A, t.B, t.C), TCA_OK);
                tca_ck_assert_status(diff_emulate(p, op, &t), TCA_OK);
                tca_ck_assert_status(tca_oracle_tile(p, op, t.A, t.B, t.C, t.orc), TCA_OK);
                for (int idx = 0; idx < 128; idx++) {
                    outputs++;
                    per_family_outputs[f]++;
                    if (t.emu[idx] == t.orc[idx] && t.emu_dot[idx] == t.orc[idx]) continue;
                    mismatches++;
                    per_family_mismatches[f]++;
                    if (reports++ < MAX_REPORTS)
                        diff_report("MISMATCH", p, op, (tca_family)f, n, &t, idx, stream);
                }
            }
        }
    }
    double secs = diff_now() - t0;
    fprintf(stderr, "oracle_diff: profile %s: %ld outputs, %ld mismatches, %.2f s\n", p->name, outputs, mismatches,
            secs);
    for (int f = 0; f < TCA_FAMILY_COUNT; f++)
        if (per_family_mismatches[f])
            fprintf(stderr, "  family %-12s %ld of %ld mismatch\n", tca_family_name((tca_family)f),
                    per_family_mismatches[f], per_family_outputs[f]);
    ck_assert_int_eq(outputs, tiles * 128L * DIFF_NOPS * TCA_FAMILY_COUNT);
    if (tca_test_expensive()) ck_assert_int_ge(outputs, 1000000);
    ck_assert_msg(mismatches == 0, "profile %s: %ld of %ld outputs differ between emulator and oracle", p->name,
                  mismatches, outputs);
}
END_TEST

/* Both implementations must agree for any profile within the emulator's bounds, not only the
 * named ones: random F (0..40), block size (1..16) and floors, one random family tile each. */
START_TEST(test_oracle_diff_random_profiles)
{
    uint64_t seed = tca_test_seed();
    long nprof = (long)tca_test_count(300, 8000);
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(seed, 777));
    long outputs = 0, mismatches = 0;
    for (long n = 0; n < nprof; n++) {
        tca_mma_profile p = {"random", 0, 0, 0, 0, 0};
        p.frac_bits = (int)tca_prng_range(&r, 0, 40);
        p.block_products = (int)tca_prng_range(&r, 1, 16);
        /* mostly near the real floors, sometimes anywhere in the bounds */
        p.floor_f32 = (int)(tca_prng_below(&r, 4) ? tca_prng_range(&r, -140, -120) : tca_prng_range(&r, -400, 400));
        p.floor_f16 = (int)(tca_prng_below(&r, 4) ? tca_prng_range(&r, -30, -10) : tca_prng_range(&r, -400, 400));
        ck_assert_int_eq(tca_mma_profile_validate(&p), TCA_OK);
        int o = (int)tca_prng_below(&r, DIFF_NOPS);
        tca_family f = (tca_family)tca_prng_below(&r, TCA_FAMILY_COUNT);
        uint64_t stream = tca_prng_u64(&r);
        tca_prng fr;
        tca_prng_seed(&fr, stream);
        diff_tile t;
        tca_ck_assert_status(tca_family_fill(f, DIFF_OPS[o], &fr, t.A, t.B, t.C), TCA_OK);
        tca_ck_assert_status(diff_emulate(&p, DIFF_OPS[o], &t), TCA_OK);
        tca_ck_assert_status(tca_oracle_tile(&p, DIFF_OPS[o], t.A, t.B, t.C, t.orc), TCA_OK);
        for (int idx = 0; idx < 128; idx++) {
            outputs++;
            if (t.emu[idx] == t.orc[idx] && t.emu_dot[idx] == t.orc[idx]) continue;
            if (mismatches++ < MAX_REPORTS) diff_report("MISMATCH (random profile)", &p, DIFF_OPS[o], f, 0, &t, idx, stream);
        }
    }
    fprintf(stderr, "oracle_diff: %ld random profiles: %ld outputs, %ld mismatches\n", nprof, outputs, mismatches);
    ck_assert_msg(mismatches == 0, "%ld of %ld outputs differ under random profiles", mismatches, outputs);
}
END_TEST

Suite *tca_oracle_diff_suite(void);
Suite *tca_oracle_diff_suite(void)
{
    Suite *s = suite_create("oracle_diff");
    TCase *tc = tcase_create("diff");
    tcase_add_loop_test(tc, test_oracle_diff_profile, 0, 6);
    tcase_add_test(tc, test_oracle_diff_random_profiles);
    suite_add_tcase(s, tc);
    return s;
}
