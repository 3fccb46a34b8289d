/* SPDX-License-Identifier: Apache-2.0 */
/* Warp-level mma.sync and warpgroup wgmma (spec mma-semantics 2, 3.2): register-level execution
 * against the tile-level function, with registers packed through the written-out tables (not the
 * closed forms the implementation uses); small-integer layout tests against an integer matrix
 * product (every sum exact, so a data-movement bug cannot hide behind arithmetic); wgmma against
 * per-warp mma tiles; argument errors. */
#include <stdlib.h>
#include <string.h>
#include "tca/mma.h"
#include "tca/mma_layout.h"
#include "tca/prng.h"
#include "test_util.h"

static void pack(tca_mma_frag f, const uint16_t *m, uint32_t regs[32][4])
{
    const tca_mma_frag_info *info = tca_mma_frag_get_info(f);
    const uint16_t *table = tca_mma_frag_table(f);
    memset(regs, 0, sizeof(uint32_t) * 32 * 4);
    for (int r = 0; r < info->rows; r++)
        for (int c = 0; c < info->cols; c++) {
            const int lane = table[r * info->cols + c] / 8, e = table[r * info->cols + c] % 8;
            regs[lane][e / 2] |= (uint32_t)m[r * info->cols + c] << (16 * (e % 2));
        }
}

static void pack_c(int f16acc, const uint32_t *m, uint32_t regs[32][4])
{
    const uint16_t *table = tca_mma_frag_table(f16acc ? TCA_MMA_FRAG_C_F16 : TCA_MMA_FRAG_C_F32);
    memset(regs, 0, sizeof(uint32_t) * 32 * 4);
    for (int i = 0; i < 128; i++) {
        const int lane = table[i] / 8, e = table[i] % 8;
        if (f16acc)
            regs[lane][e / 2] |= (m[i] & 0xFFFFu) << (16 * (e % 2));
        else
            regs[lane][e] = m[i];
    }
}

static void unpack_c(int f16acc, const uint32_t regs[32][4], uint32_t *m)
{
    const uint16_t *table = tca_mma_frag_table(f16acc ? TCA_MMA_FRAG_C_F16 : TCA_MMA_FRAG_C_F32);
    for (int i = 0; i < 128; i++) {
        const int lane = table[i] / 8, e = table[i] % 8;
        m[i] = f16acc ? (regs[lane][e / 2] >> (16 * (e % 2))) & 0xFFFFu : regs[lane][e];
    }
}

static uint16_t random_input(tca_prng *r, tca_mma_input in)
{
    const uint32_t u = tca_prng_u32(r);
    if ((u & 7u) == 0) return (uint16_t)(u & 0x8000u); /* some +-0 */
    if (in == TCA_MMA_IN_BF16) /* exponent -20..20 */
        return (uint16_t)((u & 0x807Fu) | ((uint32_t)tca_prng_range(r, 107, 147) << 7));
    return (uint16_t)((u & 0x83FFu) | ((uint32_t)tca_prng_range(r, 5, 20) << 10)); /* f16 2^-10..2^5 */
}

START_TEST(test_mma_warp_sync_matches_tile)
{
    tca_prng rng;
    tca_prng_seed(&rng, tca_prng_derive(tca_test_seed(), 401));
    static const tca_mma_op ops[] = {
        {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32}, {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},
        {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F16},  {TCA_MMA_M16N8K8, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32},
        {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},   {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F16},
    };
    const uint64_t iters = tca_test_count(60, 3000);
    for (uint64_t it = 0; it < iters; it++) {
        const tca_mma_op op = ops[it % 6];
        const tca_mma_profile *p = tca_mma_profile_at((int)((it / 6) % 6));
        const int k = op.shape == TCA_MMA_M16N8K16 ? 16 : 8, f16acc = op.acc == TCA_MMA_ACC_F16;
        uint16_t A[256], B[128];
        uint32_t C[128], Dt[128], Ds[128];
        for (int i = 0; i < 16 * k; i++) A[i] = random_input(&rng, op.in);
        for (int i = 0; i < k * 8; i++) B[i] = random_input(&rng, op.in);
        for (int i = 0; i < 128; i++)
            C[i] = f16acc ? (uint32_t)random_input(&rng, TCA_MMA_IN_F16)
                          : (tca_prng_u32(&rng) & 0x807FFFFFu) | ((uint32_t)tca_prng_range(&rng, 100, 150) << 23);
        tca_ck_assert_status(tca_mma_tile(p, op, A, B, C, Dt), TCA_OK);
        uint32_t ra[32][4], rb[32][4], rc[32][4], rd[32][4];
        pack(k == 16 ? TCA_MMA_FRAG_M16N8K16_A : TCA_MMA_FRAG_M16N8K8_A, A, ra);
        pack(k == 16 ? TCA_MMA_FRAG_M16N8K16_B : TCA_MMA_FRAG_M16N8K8_B, B, rb);
        pack_c(f16acc, C, rc);
        uint32_t rb2[32][2];
        for (int l = 0; l < 32; l++) {
            rb2[l][0] = rb[l][0];
            rb2[l][1] = rb[l][1];
        }
        memset(rd, 0xA5, sizeof rd);
        tca_ck_assert_status(tca_mma_sync(p, op, (const uint32_t(*)[4])ra, (const uint32_t(*)[2])rb2,
                                          (const uint32_t(*)[4])rc, rd),
                             TCA_OK);
        unpack_c(f16acc, (const uint32_t(*)[4])rd, Ds);
        for (int i = 0; i < 128; i++) tca_ck_assert_bits32(Ds[i], Dt[i]);
        if (f16acc) /* registers 2, 3 of d are not written with f16 accumulators */
            for (int l = 0; l < 32; l++) tca_ck_assert_bits32(rd[l][2], 0xA5A5A5A5u);
        /* the tile function is itself one dot per output */
        for (int r = 0; r < 16; r++)
            for (int n = 0; n < 8; n++) {
                uint16_t a[16], b[16];
                for (int kk = 0; kk < k; kk++) {
                    a[kk] = A[r * k + kk];
                    b[kk] = B[kk * 8 + n];
                }
                const uint32_t want = f16acc ? tca_mma_dot_f16(p, a, b, k, (uint16_t)C[r * 8 + n])
                                             : tca_mma_dot_f32(p, op.in, a, b, k, C[r * 8 + n]);
                tca_ck_assert_bits32(Dt[r * 8 + n], want);
            }
        /* in place: D = C */
        tca_ck_assert_status(tca_mma_tile(p, op, A, B, C, C), TCA_OK);
        for (int i = 0; i < 128; i++) tca_ck_assert_bits32(C[i], Dt[i]);
    }
}
END_TEST

/* small integer v as bf16 / f16 (exact) */
static uint16_t small_int(int v, int f16)
{
    if (v == 0) return 0;
    const uint16_t sign = v < 0 ? 0x8000u : 0u;
    unsigned m = (unsigned)(v < 0 ? -v : v);
    int e = 0;
    while ((m >> e) > 1) e++;
    if (f16) return (uint16_t)(sign | ((unsigned)(15 + e) << 10) | ((m - (1u << e)) << (10 - e)));
    return (uint16_t)(sign | ((unsigned)(127 + e) << 7) | ((m - (1u << e)) << (7 - e)));
}

static uint32_t f32_int(long v)
{
    if (v == 0) return 0;
    const uint32_t sign = v < 0 ? 0x80000000u : 0u;
    unsigned long m = (unsigned long)(v < 0 ? -v : v);
    int e = 0;
    while ((m >> e) > 1) e++;
    return sign | ((uint32_t)(127 + e) << 23) | (uint32_t)((m - (1ul << e)) << (23 - e));
}

START_TEST(test_mma_warp_layout_small_integers)
{
    /* CUTLASS-style layout test: small integers, so D[r][n] = sum_k A[r][k] B[k][n] + C[r][n]
     * exactly; expected values from integer arithmetic. A distinct value per position makes any
     * transposition or register swap visible. */
    tca_prng rng;
    tca_prng_seed(&rng, tca_prng_derive(tca_test_seed(), 402));
    const tca_mma_op op = {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32};
    for (int it = 0; it < 20; it++) {
        int ia[256], ib[128], ic[128];
        uint16_t A[256], B[128];
        uint32_t C[128];
        for (int i = 0; i < 256; i++) A[i] = small_int(ia[i] = (int)tca_prng_range(&rng, -8, 8), 0);
        for (int i = 0; i < 128; i++) B[i] = small_int(ib[i] = (int)tca_prng_range(&rng, -8, 8), 0);
        for (int i = 0; i < 128; i++) C[i] = f32_int(ic[i] = (int)tca_prng_range(&rng, -100, 100));
        uint32_t ra[32][4], rb[32][4], rc[32][4], rd[32][4], D[128];
        uint32_t rb2[32][2];
        pack(TCA_MMA_FRAG_M16N8K16_A, A, ra);
        pack(TCA_MMA_FRAG_M16N8K16_B, B, rb);
        for (int l = 0; l < 32; l++) {
            rb2[l][0] = rb[l][0];
            rb2[l][1] = rb[l][1];
        }
        pack_c(0, C, rc);
        const tca_mma_profile *p = tca_mma_profile_at(it % 6);
        tca_ck_assert_status(tca_mma_sync(p, op, (const uint32_t(*)[4])ra, (const uint32_t(*)[2])rb2,
                                          (const uint32_t(*)[4])rc, rd),
                             TCA_OK);
        unpack_c(0, (const uint32_t(*)[4])rd, D);
        for (int r = 0; r < 16; r++)
            for (int n = 0; n < 8; n++) {
                long s = ic[r * 8 + n];
                for (int k = 0; k < 16; k++) s += (long)ia[r * 16 + k] * ib[k * 8 + n];
                tca_ck_assert_bits32(D[r * 8 + n], f32_int(s));
            }
    }
    /* the register packing itself, by hand for lane 6 (g = 1, t = 2): R0 = A[1][4..5],
     * A[1][4] in bits 15:0. With A[r][c] = r * 16 + c as bf16 integers. */
    uint16_t A[256];
    uint32_t ra[32][4];
    for (int i = 0; i < 256; i++) A[i] = small_int(i, 0);
    pack(TCA_MMA_FRAG_M16N8K16_A, A, ra);
    tca_ck_assert_bits32(ra[6][0], (uint32_t)small_int(20, 0) | (uint32_t)small_int(21, 0) << 16);
    tca_ck_assert_bits32(ra[6][3], (uint32_t)small_int(9 * 16 + 12, 0) | (uint32_t)small_int(9 * 16 + 13, 0) << 16);
}
END_TEST

START_TEST(test_mma_warp_errors)
{
    const tca_mma_profile *p = tca_mma_profile_by_name("sm90");
    uint16_t A[256] = {0}, B[128] = {0};
    uint32_t C[128] = {0}, D[128];
    tca_mma_op op = {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F16};
    tca_ck_assert_status(tca_mma_tile(p, op, A, B, C, D), TCA_ERROR_PARAM_INVALID); /* bf16 -> f16 acc */
    op.acc = TCA_MMA_ACC_F32;
    tca_ck_assert_status(tca_mma_tile(NULL, op, A, B, C, D), TCA_ERROR_PARAM_NULL);
    tca_ck_assert_status(tca_mma_tile(p, op, NULL, B, C, D), TCA_ERROR_PARAM_NULL);
    tca_mma_profile bad = *p;
    bad.frac_bits = 99;
    tca_ck_assert_status(tca_mma_tile(&bad, op, A, B, C, D), TCA_ERROR_PARAM_PROFILE);
    op.shape = (tca_mma_shape)5;
    tca_ck_assert_status(tca_mma_tile(p, op, A, B, C, D), TCA_ERROR_PARAM_INVALID);
    uint32_t regs[32][4] = {{0}}, rb[32][2] = {{0}}, rd[32][4];
    op.shape = TCA_MMA_M16N8K16;
    op.in = (tca_mma_input)3;
    tca_ck_assert_status(tca_mma_sync(p, op, (const uint32_t(*)[4])regs, (const uint32_t(*)[2])rb,
                                      (const uint32_t(*)[4])regs, rd),
                         TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_wgmma_tile(p, TCA_MMA_IN_BF16, 12, A, B, C, D), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_wgmma_tile(p, TCA_MMA_IN_BF16, 264, A, B, C, D), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_wgmma_tile(p, TCA_MMA_IN_BF16, 8, NULL, B, C, D), TCA_ERROR_PARAM_NULL);
}
END_TEST

START_TEST(test_mma_warp_wgmma)
{
    /* wgmma m64nNk16 = 4 warps x N/8 mma tiles with the same k16 numerics; the RS form through the
     * composed (table) layouts equals the tile form. */
    tca_prng rng;
    tca_prng_seed(&rng, tca_prng_derive(tca_test_seed(), 403));
    static const int ns[] = {8, 16, 24, 64, 136, 256};
    uint16_t *A = malloc(64 * 16 * 2), *B = malloc(16 * 256 * 2);
    uint32_t *C = malloc(64 * 256 * 4), *D = malloc(64 * 256 * 4), *owner = malloc(64 * 256 * 4);
    uint32_t *rc = malloc(128 * 128 * 4), *rd = malloc(128 * 128 * 4);
    uint32_t(*ra)[4] = malloc(sizeof(uint32_t[128][4]));
    ck_assert(A && B && C && D && owner && rc && rd && ra);
    for (size_t ni = 0; ni < sizeof ns / sizeof ns[0]; ni++) {
        const int n = ns[ni];
        const tca_mma_input in = ni % 2 ? TCA_MMA_IN_F16 : TCA_MMA_IN_BF16;
        const tca_mma_profile *p = tca_mma_profile_by_name(ni % 3 == 2 ? "sm80" : "sm90");
        for (int i = 0; i < 64 * 16; i++) A[i] = random_input(&rng, in);
        for (int i = 0; i < 16 * n; i++) B[i] = random_input(&rng, in);
        for (int i = 0; i < 64 * n; i++)
            C[i] = (tca_prng_u32(&rng) & 0x807FFFFFu) | ((uint32_t)tca_prng_range(&rng, 100, 150) << 23);
        tca_ck_assert_status(tca_wgmma_tile(p, in, n, A, B, C, D), TCA_OK);
        /* against mma tiles: warp w, n8 tile j */
        const tca_mma_op op = {TCA_MMA_M16N8K16, in, TCA_MMA_ACC_F32};
        for (int w = 0; w < 4; w++)
            for (int j = 0; j < n / 8; j++) {
                uint16_t tb[128];
                uint32_t tc[128], td[128];
                for (int k = 0; k < 16; k++)
                    for (int c = 0; c < 8; c++) tb[k * 8 + c] = B[k * n + 8 * j + c];
                for (int r = 0; r < 16; r++)
                    for (int c = 0; c < 8; c++) tc[r * 8 + c] = C[(16 * w + r) * n + 8 * j + c];
                tca_ck_assert_status(tca_mma_tile(p, op, A + 16 * 16 * w, tb, tc, td), TCA_OK);
                for (int r = 0; r < 16; r++)
                    for (int c = 0; c < 8; c++) tca_ck_assert_bits32(D[(16 * w + r) * n + 8 * j + c], td[r * 8 + c]);
            }
        /* RS form: registers packed with the composed tables */
        memset(ra, 0, sizeof(uint32_t[128][4]));
        tca_ck_assert_status(tca_wgmma_a_table(owner), TCA_OK);
        for (int i = 0; i < 64 * 16; i++) {
            const uint32_t th = owner[i] / 256u, e = owner[i] % 256u;
            ra[th][e / 2] |= (uint32_t)A[i] << (16 * (e % 2));
        }
        tca_ck_assert_status(tca_wgmma_d_table(n, owner), TCA_OK);
        for (int i = 0; i < 64 * n; i++) rc[(owner[i] / 256u) * (uint32_t)(n / 2) + owner[i] % 256u] = C[i];
        tca_ck_assert_status(tca_wgmma_rs(p, in, n, (const uint32_t(*)[4])ra, B, rc, rd), TCA_OK);
        for (int i = 0; i < 64 * n; i++)
            tca_ck_assert_bits32(rd[(owner[i] / 256u) * (uint32_t)(n / 2) + owner[i] % 256u], D[i]);
        /* in place */
        tca_ck_assert_status(tca_wgmma_rs(p, in, n, (const uint32_t(*)[4])ra, B, rc, rc), TCA_OK);
        for (int i = 0; i < 128 * n / 2; i++) tca_ck_assert_bits32(rc[i], rd[i]);
    }
    free(A);
    free(B);
    free(C);
    free(D);
    free(owner);
    free(rc);
    free(rd);
    free(ra);
}
END_TEST

Suite *tca_mma_warp_suite(void);
Suite *tca_mma_warp_suite(void)
{
    Suite *s = suite_create("mma_warp");
    TCase *tc = tcase_create("warp");
    tcase_add_test(tc, test_mma_warp_sync_matches_tile);
    tcase_add_test(tc, test_mma_warp_layout_small_integers);
    tcase_add_test(tc, test_mma_warp_errors);
    tcase_add_test(tc, test_mma_warp_wgmma);
    suite_add_tcase(s, tc);
    return s;
}
