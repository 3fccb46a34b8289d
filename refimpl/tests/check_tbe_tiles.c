/* SPDX-License-Identifier: Apache-2.0 */
/* Partial decoding: one 64 x 64 global tile at a time (tca__tbe_decode_global_tile, the internal
 * entry point for the reference GEMM) and disjoint global-tile row ranges
 * (tca_tbe_decode_tile_rows, for threads). Expected values: the input matrix itself, padded with
 * +0.0 to multiples of 64 (spec 5.1). */
#include <stdlib.h>
#include <string.h>
#include "tbe/tbe_internal.h"
#include "tca/tca.h"
#include "test_util.h"

static uint16_t *random_matrix(uint64_t M, uint64_t K, uint64_t salt)
{
    uint16_t *w = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ salt);
    for (uint64_t i = 0; i < M * K; i++)
        w[i] = tca_prng_below(&r, 8) ? tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r)) : (uint16_t)tca_prng_u32(&r);
    return w;
}

START_TEST(test_tbe_tiles_global_tile_blocks)
{
    static const uint64_t shapes[][2] = {{64, 64}, {130, 70}, {1, 200}, {200, 1}, {128, 192}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        uint64_t M = shapes[s][0], K = shapes[s][1];
        uint16_t *w = random_matrix(M, K, s);
        tca_tbe_matrix *m = NULL;
        tca_ck_assert_status(tca_tbe_encode(w, M, K, NULL, NULL, &m), TCA_OK);
        tca_ck_assert_status(tca_tbe_validate(&m->view), TCA_OK);
        uint64_t gr = (M + 63) / 64, gc = (K + 63) / 64;
        uint16_t tile[4096];
        for (uint64_t g = 0; g < gr * gc; g++) {
            memset(tile, 0xA5, sizeof tile);
            tca__tbe_decode_global_tile(&m->view, g, tile);
            uint64_t r0 = 64 * (g / gc), c0 = 64 * (g % gc);
            for (uint64_t r = 0; r < 64; r++)
                for (uint64_t c = 0; c < 64; c++) {
                    uint16_t want = (r0 + r < M && c0 + c < K) ? w[(r0 + r) * K + c0 + c] : 0;
                    tca_ck_assert_bits16(tile[64 * r + c], want);
                }
        }
        tca_tbe_matrix_free(m);
        free(w);
    }
}
END_TEST

START_TEST(test_tbe_tiles_row_ranges)
{
    uint64_t M = 300, K = 130; /* 5 global-tile rows, the last one ragged */
    uint16_t *w = random_matrix(M, K, 99);
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, M, K, NULL, NULL, &m), TCA_OK);
    tca_ck_assert_status(tca_tbe_validate(&m->view), TCA_OK);
    uint16_t *d = malloc(M * K * 2);
    memset(d, 0xA5, M * K * 2);
    /* range [1, 3): rows 64..191 only; everything else untouched */
    tca_ck_assert_status(tca_tbe_decode_tile_rows(&m->view, 1, 3, d, M * K), TCA_OK);
    for (uint64_t i = 0; i < M * K; i++) {
        uint64_t r = i / K;
        tca_ck_assert_bits16(d[i], (r >= 64 && r < 192) ? w[i] : 0xA5A5);
    }
    tca_ck_assert_status(tca_tbe_decode_tile_rows(&m->view, 0, 1, d, M * K), TCA_OK);
    tca_ck_assert_status(tca_tbe_decode_tile_rows(&m->view, 3, 5, d, M * K), TCA_OK);
    tca_ck_assert_status(tca_tbe_decode_tile_rows(&m->view, 2, 2, d, M * K), TCA_OK); /* empty */
    ck_assert_mem_eq(d, w, (size_t)(M * K * 2));
    tca_ck_assert_status(tca_tbe_decode_tile_rows(&m->view, 3, 2, d, M * K), TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_tbe_decode_tile_rows(&m->view, 0, 6, d, M * K), TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_tbe_decode_tile_rows(&m->view, 0, 5, d, M * K - 1), TCA_ERROR_PARAM_DST_TOO_SMALL);
    free(d);
    tca_tbe_matrix_free(m);
    free(w);
}
END_TEST

Suite *tca_tbe_tiles_suite(void);
Suite *tca_tbe_tiles_suite(void)
{
    Suite *s = suite_create("tbe_tiles");
    TCase *tc = tcase_create("tiles");
    tcase_add_test(tc, test_tbe_tiles_global_tile_blocks);
    tcase_add_test(tc, test_tbe_tiles_row_ranges);
    suite_add_tcase(s, tc);
    return s;
}
