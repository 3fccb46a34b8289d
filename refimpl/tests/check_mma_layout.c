/* SPDX-License-Identifier: Apache-2.0 */
/* Fragment layouts (spec mma-semantics 2): the closed forms against the written-out tables,
 * bijection between (lane, register, half) and (row, col), the closed-form inverses, ldmatrix
 * recipes quoted in the numerics reference (6.3), wgmma for every N, and the tables printed in
 * spec/tca-mma-semantics.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/mma_layout.h"
#include "tca/prng.h"
#include "test_util.h"

START_TEST(test_mma_layout_frag_tables_match_closed_form)
{
    for (int f = 0; f < TCA_MMA_FRAG_COUNT; f++) {
        const tca_mma_frag_info *info = tca_mma_frag_get_info((tca_mma_frag)f);
        ck_assert_ptr_nonnull(info);
        const uint16_t *table = tca_mma_frag_table((tca_mma_frag)f);
        ck_assert_ptr_nonnull(table);
        /* bijection: 32 lanes x elems covers rows x cols exactly once */
        ck_assert_int_eq(32 * info->elems, info->rows * info->cols);
        int seen[16 * 16] = {0};
        for (int lane = 0; lane < 32; lane++)
            for (int e = 0; e < info->elems; e++) {
                int r = -1, c = -1, l2 = -1, e2 = -1;
                tca_ck_assert_status(tca_mma_frag_coord((tca_mma_frag)f, lane, e, &r, &c), TCA_OK);
                ck_assert_msg(r >= 0 && r < info->rows && c >= 0 && c < info->cols, "%s out of range", info->name);
                ck_assert_msg(seen[r * info->cols + c]++ == 0, "%s: (%d,%d) held twice", info->name, r, c);
                ck_assert_msg(table[r * info->cols + c] == lane * 8 + e, "%s: lane %d elem %d: table says %d",
                              info->name, lane, e, table[r * info->cols + c]);
                tca_ck_assert_status(tca_mma_frag_owner((tca_mma_frag)f, r, c, &l2, &e2), TCA_OK);
                ck_assert_int_eq(l2, lane);
                ck_assert_int_eq(e2, e);
            }
        for (int i = 0; i < info->rows * info->cols; i++) ck_assert_int_eq(seen[i], 1);
        /* out-of-range indices are refused */
        int r, c;
        tca_ck_assert_status(tca_mma_frag_coord((tca_mma_frag)f, 32, 0, &r, &c), TCA_ERROR_PARAM_INVALID);
        tca_ck_assert_status(tca_mma_frag_coord((tca_mma_frag)f, 0, info->elems, &r, &c), TCA_ERROR_PARAM_INVALID);
        tca_ck_assert_status(tca_mma_frag_owner((tca_mma_frag)f, info->rows, 0, &r, &c), TCA_ERROR_PARAM_INVALID);
    }
    ck_assert_ptr_null(tca_mma_frag_get_info(TCA_MMA_FRAG_COUNT));
    ck_assert_ptr_null(tca_mma_frag_table((tca_mma_frag)-1));
}
END_TEST

START_TEST(test_mma_layout_quoted_positions)
{
    /* numerics reference 6.1, quoted: c0 = D[g][2t], c1 = D[g][2t+1], c2 = D[g+8][2t] (not the
     * swapped c1/c2 of some tutorials); lane 5 (g = 1, t = 1) */
    int r, c;
    tca_mma_frag_coord(TCA_MMA_FRAG_C_F32, 5, 1, &r, &c);
    ck_assert(r == 1 && c == 3);
    tca_mma_frag_coord(TCA_MMA_FRAG_C_F32, 5, 2, &r, &c);
    ck_assert(r == 9 && c == 2);
    /* A: R2 = A[g][2t+8..2t+9]: lane 5 element 4 (R2 low half) is A[1][10] */
    tca_mma_frag_coord(TCA_MMA_FRAG_M16N8K16_A, 5, 4, &r, &c);
    ck_assert(r == 1 && c == 10);
    /* B: R1 = B[2t+8..2t+9][g]: lane 5 element 3 is B[11][1] */
    tca_mma_frag_coord(TCA_MMA_FRAG_M16N8K16_B, 5, 3, &r, &c);
    ck_assert(r == 11 && c == 1);
}
END_TEST

START_TEST(test_mma_layout_ldmatrix)
{
    for (int trans = 0; trans < 2; trans++) {
        const uint16_t *table = tca_ldmatrix_table(trans);
        int seen[64] = {0};
        for (int lane = 0; lane < 32; lane++)
            for (int h = 0; h < 2; h++) {
                int r, c;
                tca_ck_assert_status(tca_ldmatrix_coord(trans, lane, h, &r, &c), TCA_OK);
                ck_assert(r >= 0 && r < 8 && c >= 0 && c < 8);
                ck_assert_int_eq(seen[r * 8 + c]++, 0);
                ck_assert_int_eq(table[r * 8 + c], lane * 2 + h);
            }
    }
    for (int j = 0; j < 4; j++)
        for (int r = 0; r < 8; r++) ck_assert_int_eq(tca_ldmatrix_address_lane(j, r), 8 * j + r);
}
END_TEST

/* registers of a fragment packed from a dense matrix through the written-out table */
static void pack_by_table(tca_mma_frag f, const uint16_t *m, uint32_t regs[32][4])
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

START_TEST(test_mma_layout_ldmatrix_recipes)
{
    /* numerics reference 6.3, quoted recipes: (1) A of m16n8k16 with .x4: lane l supplies
     * &A[l % 16][(l / 16) * 8] and R0..R3 are exactly the mma A fragment; (2) B stored as
     * Bt[n][k] with .x2: lane l < 16 supplies &Bt[l % 8][(l / 8) * 8] and gets b0b1, b2b3;
     * (3) B row-major K x N with .x2.trans: lane l supplies &B[(l / 8) * 8 + l % 8][n0]. */
    tca_prng rng;
    tca_prng_seed(&rng, tca_prng_derive(tca_test_seed(), 301));
    uint16_t A[16 * 16], B[16 * 8], Bt[8 * 16];
    for (int i = 0; i < 256; i++) A[i] = (uint16_t)tca_prng_u32(&rng);
    for (int k = 0; k < 16; k++)
        for (int n = 0; n < 8; n++) Bt[n * 16 + k] = B[k * 8 + n] = (uint16_t)tca_prng_u32(&rng);
    uint32_t want[32][4], got[32][4];
    uint64_t off[32];

    pack_by_table(TCA_MMA_FRAG_M16N8K16_A, A, want);
    for (int l = 0; l < 32; l++) off[l] = (uint64_t)(l % 16) * 16u + (uint64_t)(l / 16) * 8u;
    tca_ck_assert_status(tca_ldmatrix(A, 256, off, 4, 0, got), TCA_OK);
    for (int l = 0; l < 32; l++)
        for (int j = 0; j < 4; j++) tca_ck_assert_bits32(got[l][j], want[l][j]);

    pack_by_table(TCA_MMA_FRAG_M16N8K16_B, B, want);
    for (int l = 0; l < 32; l++) off[l] = l < 16 ? (uint64_t)(l % 8) * 16u + (uint64_t)(l / 8) * 8u : 0;
    tca_ck_assert_status(tca_ldmatrix(Bt, 128, off, 2, 0, got), TCA_OK);
    for (int l = 0; l < 32; l++)
        for (int j = 0; j < 2; j++) tca_ck_assert_bits32(got[l][j], want[l][j]);

    for (int l = 0; l < 32; l++) off[l] = l < 16 ? (uint64_t)((l / 8) * 8 + l % 8) * 8u : 0; /* n0 = 0 */
    tca_ck_assert_status(tca_ldmatrix(B, 128, off, 2, 1, got), TCA_OK);
    for (int l = 0; l < 32; l++)
        for (int j = 0; j < 2; j++) tca_ck_assert_bits32(got[l][j], want[l][j]);

    /* bad arguments */
    tca_ck_assert_status(tca_ldmatrix(B, 128, off, 3, 1, got), TCA_ERROR_PARAM_INVALID);
    off[0] = 121; /* row 121..128 runs past 128 elements */
    tca_ck_assert_status(tca_ldmatrix(B, 128, off, 1, 0, got), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_ldmatrix(NULL, 128, off, 1, 0, got), TCA_ERROR_PARAM_NULL);
}
END_TEST

START_TEST(test_mma_layout_wgmma_all_n)
{
    uint32_t *table = malloc(sizeof(uint32_t) * 64 * 256);
    int *seen = malloc(sizeof(int) * 64 * 256);
    ck_assert(table && seen);
    /* plain comparisons counted and asserted once per N: Check's macros are slow in bulk */
    for (int n = 8; n <= 256; n += 8) {
        tca_ck_assert_status(tca_wgmma_d_table(n, table), TCA_OK);
        memset(seen, 0, sizeof(int) * 64 * (size_t)n);
        long bad = 0;
        for (int th = 0; th < 128; th++)
            for (int i = 0; i < n / 2; i++) {
                int r = -1, c = -1, th2 = -1, i2 = -1;
                if (tca_wgmma_d_coord(n, th, i, &r, &c) != TCA_OK || r < 0 || r >= 64 || c < 0 || c >= n) {
                    bad++;
                    continue;
                }
                bad += seen[r * n + c]++ != 0;
                bad += table[r * n + c] != (uint32_t)th * 256u + (uint32_t)i;
                bad += tca_wgmma_d_owner(n, r, c, &th2, &i2) != TCA_OK || th2 != th || i2 != i;
            }
        for (int i = 0; i < 64 * n; i++) bad += seen[i] != 1;
        ck_assert_msg(bad == 0, "wgmma D layout, N = %d: %ld disagreements", n, bad);
    }
    /* N = 8 is the m16n8 C layout shifted by 16 w rows (numerics reference 6.4) */
    for (int th = 0; th < 128; th++)
        for (int i = 0; i < 4; i++) {
            int r, c, r8, c8;
            tca_wgmma_d_coord(8, th, i, &r, &c);
            tca_mma_frag_coord(TCA_MMA_FRAG_C_F32, th & 31, i, &r8, &c8);
            ck_assert(r == r8 + 16 * (th >> 5) && c == c8);
        }
    int r, c;
    tca_ck_assert_status(tca_wgmma_d_coord(12, 0, 0, &r, &c), TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_wgmma_d_coord(264, 0, 0, &r, &c), TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_wgmma_d_coord(8, 0, 4, &r, &c), TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_wgmma_d_table(0, table), TCA_ERROR_PARAM_INVALID);
    /* A from registers */
    tca_ck_assert_status(tca_wgmma_a_table(table), TCA_OK);
    memset(seen, 0, sizeof(int) * 64 * 16);
    for (int th = 0; th < 128; th++)
        for (int i = 0; i < 8; i++) {
            int th2, i2;
            tca_ck_assert_status(tca_wgmma_a_coord(th, i, &r, &c), TCA_OK);
            ck_assert(r >= 0 && r < 64 && c >= 0 && c < 16);
            ck_assert_int_eq(seen[r * 16 + c]++, 0);
            ck_assert_uint_eq(table[r * 16 + c], (uint32_t)th * 256u + (uint32_t)i);
            tca_ck_assert_status(tca_wgmma_a_owner(r, c, &th2, &i2), TCA_OK);
            ck_assert(th2 == th && i2 == i);
        }
    free(table);
    free(seen);
}
END_TEST

/* ---- the tables printed in the spec: each is preceded by "<!-- layout-table: NAME -->" and has
 * rows "| r | T<lane>:<x><e> | ... |" (x a letter); ldmatrix cells are "T<lane>:h<half>". */
static int spec_table_check(const char *text, const char *name, int rows, int cols, int per_lane, const uint16_t *want)
{
    char marker[96];
    snprintf(marker, sizeof marker, "<!-- layout-table: %s -->", name);
    const char *p = strstr(text, marker);
    if (p == NULL) return -1;
    int checked = 0;
    for (int r = 0; r < rows; r++) {
        /* find the line starting with "| r |" */
        char rowstart[16];
        snprintf(rowstart, sizeof rowstart, "\n| %d |", r);
        p = strstr(p, rowstart);
        if (p == NULL) return -2;
        p += strlen(rowstart);
        for (int c = 0; c < cols; c++) {
            int lane = -1, e = -1;
            char x = 0;
            while (*p == ' ') p++;
            if (sscanf(p, "T%d:%c%d", &lane, &x, &e) != 3) return -3;
            if (lane * per_lane + e != want[r * cols + c]) return -4;
            p = strchr(p, '|');
            if (p == NULL) return -5;
            p++;
            checked++;
        }
    }
    return checked;
}

START_TEST(test_mma_layout_spec_tables)
{
    FILE *f = fopen(tca_test_source_path("spec/tca-mma-semantics.md"), "rb");
    ck_assert_msg(f != NULL, "spec/tca-mma-semantics.md not found (TCA_SOURCE_DIR)");
    char *text = calloc(1, 1 << 20);
    ck_assert_ptr_nonnull(text);
    const size_t n = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    ck_assert_uint_gt(n, 0);
    static const char *names[TCA_MMA_FRAG_COUNT] = {"m16n8k16-A", "m16n8k16-B", "m16n8k8-A",
                                                     "m16n8k8-B",  "m16n8-C-f32", "m16n8-C-f16"};
    for (int i = 0; i < TCA_MMA_FRAG_COUNT; i++) {
        const tca_mma_frag_info *info = tca_mma_frag_get_info((tca_mma_frag)i);
        /* expected: from the closed form */
        uint16_t want[256];
        for (int lane = 0; lane < 32; lane++)
            for (int e = 0; e < info->elems; e++) {
                int r, c;
                tca_mma_frag_coord((tca_mma_frag)i, lane, e, &r, &c);
                want[r * info->cols + c] = (uint16_t)(lane * 8 + e);
            }
        const int got = spec_table_check(text, names[i], info->rows, info->cols, 8, want);
        ck_assert_msg(got == info->rows * info->cols, "spec table %s: code %d", names[i], got);
    }
    for (int trans = 0; trans < 2; trans++) {
        uint16_t want[64];
        for (int lane = 0; lane < 32; lane++)
            for (int h = 0; h < 2; h++) {
                int r, c;
                tca_ldmatrix_coord(trans, lane, h, &r, &c);
                want[r * 8 + c] = (uint16_t)(lane * 2 + h);
            }
        const char *name = trans ? "ldmatrix-trans" : "ldmatrix";
        const int got = spec_table_check(text, name, 8, 8, 2, want);
        ck_assert_msg(got == 64, "spec table %s: code %d", name, got);
    }
    free(text);
}
END_TEST

Suite *tca_mma_layout_suite(void);
Suite *tca_mma_layout_suite(void)
{
    Suite *s = suite_create("mma_layout");
    TCase *tc = tcase_create("layout");
    tcase_add_test(tc, test_mma_layout_frag_tables_match_closed_form);
    tcase_add_test(tc, test_mma_layout_quoted_positions);
    tcase_add_test(tc, test_mma_layout_ldmatrix);
    tcase_add_test(tc, test_mma_layout_ldmatrix_recipes);
    tcase_add_test(tc, test_mma_layout_wgmma_all_n);
    tcase_add_test(tc, test_mma_layout_spec_tables);
    suite_add_tcase(s, tc);
    return s;
}
