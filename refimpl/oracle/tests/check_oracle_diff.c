/* SPDX-License-Identifier: Apache-2.0 */
/* Differential test: the emulator (tca/mma.h) against the independent MPFR oracle, over every
 * input family (spec/tca-mma-families.md), every named profile and every supported op.
 * 0 mismatches are required. Quick tier: 4 tiles per (profile, op, family) = 28,160 outputs per
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
    long tiles = (long)tca_test_count(4, 150);
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
                    if (t.emu[idx] == t.orc[idx]) continue;
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

Suite *tca_oracle_diff_suite(void);
Suite *tca_oracle_diff_suite(void)
{
    Suite *s = suite_create("oracle_diff");
    TCase *tc = tcase_create("diff");
    tcase_add_loop_test(tc, test_oracle_diff_profile, 0, 6);
    suite_add_tcase(s, tc);
    return s;
}
