/* SPDX-License-Identifier: Apache-2.0 */
/* Hardware truth: every record of vectors/v1/mma/sm90-hw (D computed by an NVIDIA H200, see
 * the README there) must be reproduced bit for bit by the emulator under the sm90 profile, and
 * the set must tell the sm80 profile (F = 24, two 8-product steps) apart. The expected values
 * are the GPU's, independent of the code under test. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/families.h"
#include "tca/tca.h"
#include "tca/tv.h"
#include "test_util.h"

#define HW_DIR "vectors/v1/mma/sm90-hw"

typedef struct hw_counts {
    unsigned files;
    unsigned long records, failed;
} hw_counts;

/* Check every record of one file under profile p; count records whose D differs. */
static void check_file(const char *path, const tca_mma_profile *p, hw_counts *c)
{
    tca_tv_file *f = NULL;
    tca_tv_error err;
    tca_status st = tca_tv_load(path, NULL, &f, &err);
    ck_assert_msg(st == TCA_OK, "%s: %s", path, tca_status_name(st));
    /* provenance: hardware capture for sm90, not a dry run of the capture program */
    ck_assert_str_eq(tca_tv_get(&f->header, "kind"), "mma-hw");
    ck_assert_str_eq(tca_tv_get(&f->header, "arch"), "sm90");
    const char *gpu = tca_tv_get(&f->header, "gpu");
    ck_assert_ptr_nonnull(gpu);
    ck_assert_msg(strncmp(gpu, "none", 4) != 0, "%s: not captured on hardware", path);
    tca_mma_op op;
    tca_ck_assert_status(tca_tv_mma_op_parse(tca_tv_get(&f->header, "op"), &op), TCA_OK);
    ck_assert_uint_gt(f->n_records, 0);
    for (size_t i = 0; i < f->n_records; i++) {
        static tca_tv_mma_case k;
        tca_ck_assert_status(tca_tv_mma_case_read(&f->records[i], op, &k), TCA_OK);
        uint32_t D[128];
        tca_ck_assert_status(tca_mma_tile(p, op, k.A, k.B, k.C, D), TCA_OK);
        const uint32_t mask = op.acc == TCA_MMA_ACC_F16 ? 0xFFFFu : 0xFFFFFFFFu;
        int bad = 0;
        for (int e = 0; e < 128; e++) bad |= (D[e] & mask) != k.D[e];
        c->records++;
        c->failed += (unsigned long)bad;
    }
    c->files++;
    tca_tv_free(f);
}

/* The README's claim: the inputs of every record regenerate from the header's family and seed
 * (record id = index in the SplitMix64 stream of tca_family_fill; for wgmma, records 4i..4i+3
 * share the B of record 4i). Fails when the family generators change under the files. */
static void check_inputs_regenerate(const char *path, hw_counts *c)
{
    tca_tv_file *f = NULL;
    tca_ck_assert_status(tca_tv_load(path, NULL, &f, NULL), TCA_OK);
    tca_mma_op op;
    tca_ck_assert_status(tca_tv_mma_op_parse(tca_tv_get(&f->header, "op"), &op), TCA_OK);
    const tca_family fam = tca_family_by_name(tca_tv_get(&f->header, "family"));
    ck_assert_msg(fam != TCA_FAMILY_UNKNOWN, "%s: unknown family", path);
    uint64_t seed;
    tca_ck_assert_status(tca_tv_get_u64(&f->header, "seed", &seed), TCA_OK);
    const char *instr = tca_tv_get(&f->header, "instruction");
    ck_assert_ptr_nonnull(instr);
    const int wgmma = strncmp(instr, "wgmma.", 6) == 0;
    const int k = op.shape == TCA_MMA_M16N8K8 ? 8 : 16;
    tca_prng r;
    tca_prng_seed(&r, seed);
    static uint16_t A[256], B[128], B4[128];
    static uint32_t C[128];
    for (size_t i = 0; i < f->n_records; i++) {
        static tca_tv_mma_case rec;
        tca_ck_assert_status(tca_tv_mma_case_read(&f->records[i], op, &rec), TCA_OK);
        ck_assert_uint_eq(rec.id, i); /* the stream index */
        tca_ck_assert_status(tca_family_fill(fam, op, &r, A, B, C), TCA_OK);
        if (wgmma && i % 4 == 0) memcpy(B4, B, sizeof B4);
        const uint16_t *b = wgmma ? B4 : B;
        ck_assert_msg(memcmp(rec.A, A, (size_t)(16 * k) * 2) == 0 && memcmp(rec.B, b, (size_t)(8 * k) * 2) == 0 &&
                          memcmp(rec.C, C, sizeof C) == 0,
                      "%s: record %zu does not regenerate from family %s, seed 0x%016llx", path, i,
                      tca_family_name(fam), (unsigned long long)seed);
        c->records++;
    }
    c->files++;
    tca_tv_free(f);
}

static void check_dir(const tca_mma_profile *p, const char *suffix, hw_counts *c)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", tca_test_source_path(HW_DIR));
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name), s = strlen(suffix);
        if (n < s || strcmp(e->d_name + n - s, suffix) != 0) continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (p)
            check_file(path, p, c);
        else
            check_inputs_regenerate(path, c);
    }
    closedir(d);
}

START_TEST(test_gemm_hw_vectors_match_sm90)
{
    hw_counts c = {0, 0, 0};
    check_dir(tca_mma_profile_by_name("sm90"), ".tv", &c);
    /* 5 instructions x 11 families, 32 records each */
    ck_assert_uint_eq(c.files, 55);
    ck_assert_uint_eq(c.records, 1760);
    ck_assert_msg(c.failed == 0, "%lu of %lu hardware records differ from the sm90 emulator", c.failed, c.records);
}
END_TEST

START_TEST(test_gemm_hw_vectors_reject_sm80)
{
    /* The Ampere profile must fail on every family that exercises F and the step size. */
    static const char *const fams[] = {"-normal.tv", "-widerange.tv", "-tiny.tv", "-amperesplit.tv"};
    for (size_t i = 0; i < sizeof fams / sizeof fams[0]; i++) {
        hw_counts c = {0, 0, 0};
        check_dir(tca_mma_profile_by_name("sm80"), fams[i], &c);
        ck_assert_uint_eq(c.files, 5);
        ck_assert_msg(c.failed > c.records / 2, "%s: only %lu of %lu records tell sm80 from the hardware", fams[i],
                      c.failed, c.records);
    }
}
END_TEST

START_TEST(test_gemm_hw_inputs_regenerate_from_seeds)
{
    hw_counts c = {0, 0, 0};
    check_dir(NULL, ".tv", &c);
    ck_assert_uint_eq(c.files, 55);
    ck_assert_uint_eq(c.records, 1760);
}
END_TEST

Suite *tca_gemm_hw_suite(void);
Suite *tca_gemm_hw_suite(void)
{
    Suite *s = suite_create("gemm_hw");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_gemm_hw_vectors_match_sm90);
    tcase_add_test(tc, test_gemm_hw_vectors_reject_sm80);
    tcase_add_test(tc, test_gemm_hw_inputs_regenerate_from_seeds);
    suite_add_tcase(s, tc);
    return s;
}
