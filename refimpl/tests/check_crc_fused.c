/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32C of pieces joined with tca__crc32c_combine equals the CRC of the whole (random data,
 * random splits, empty pieces), and the TBE encoder's Content_Checksum, which it computes per
 * section in batches of global tiles while encoding, equals the CRC-32C of the serialised
 * stream's section bytes (spec 6.9) for tile counts around the batch size. */
#include <stdlib.h>
#include <string.h>
#include "common/crc32c_internal.h"
#include "tca/tca.h"
#include "test_util.h"

START_TEST(test_crc_combine_matches_whole)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 0xC0DE);
    size_t n = 100000;
    uint8_t *buf = malloc(n);
    for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)tca_prng_u32(&r);
    for (int t = 0; t < 200; t++) {
        size_t len = (size_t)tca_prng_below(&r, n + 1);
        size_t cut = (size_t)tca_prng_below(&r, len + 1);
        uint32_t whole = tca__crc32c_update_impl(0, buf, len, 0); /* portable path as reference */
        uint32_t a = tca_crc32c(buf, cut), b = tca_crc32c(buf + cut, len - cut);
        tca_ck_assert_bits32(tca__crc32c_combine(a, b, len - cut), whole);
    }
    /* the published check value, joined from two pieces */
    tca_ck_assert_bits32(tca__crc32c_combine(tca_crc32c("1234", 4), tca_crc32c("56789", 5), 5), 0xE3069283u);
    tca_ck_assert_bits32(tca__crc32c_combine(tca_crc32c("123456789", 9), 0, 0), 0xE3069283u);
    tca_ck_assert_bits32(tca__crc32c_combine(0, tca_crc32c("123456789", 9), 9), 0xE3069283u);
    free(buf);
}
END_TEST

START_TEST(test_crc_encoder_content_checksum)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 0xFEED);
    /* G = 1, 23, 24, 25, 48, 49 and ragged shapes (tiles per batch: 24) */
    static const uint64_t shapes[][2] = {{64, 64}, {64, 23 * 64}, {128, 12 * 64}, {5 * 64, 5 * 64},
                                         {48 * 64, 64}, {7 * 64, 7 * 64}, {100, 1000}, {1, 1}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        uint64_t M = shapes[s][0], K = shapes[s][1];
        uint16_t *w = malloc(M * K * 2);
        for (uint64_t i = 0; i < M * K; i++)
            w[i] = tca_prng_below(&r, 16) ? tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r))
                                          : (uint16_t)tca_prng_u32(&r);
        tca_tbe_matrix *m = NULL;
        tca_ck_assert_status(tca_tbe_encode(w, M, K, NULL, NULL, &m), TCA_OK);
        size_t cap = (size_t)tca_tbe_stream_bound(M, K), len = 0;
        uint8_t *st = malloc(cap);
        tca_ck_assert_status(tca_tbe_stream_write(&m->view, st, cap, &len), TCA_OK);
        ck_assert_uint_eq(st[7] & 1u, 1u); /* Content_Checksum_Flag */
        uint32_t stored = (uint32_t)st[len - 4] | (uint32_t)st[len - 3] << 8 | (uint32_t)st[len - 2] << 16 |
                          (uint32_t)st[len - 1] << 24;
        /* spec 6.9: CRC-32C of stream bytes 64 .. len - 5, computed here in one piece */
        tca_ck_assert_bits32(stored, tca__crc32c_update_impl(0, st + 64, len - 68, 0));
        tca_ck_assert_status(tca_tbe_validate(&m->view), TCA_OK);
        free(st);
        tca_tbe_matrix_free(m);
        free(w);
    }
}
END_TEST

Suite *tca_crc_fused_suite(void);
Suite *tca_crc_fused_suite(void)
{
    Suite *s = suite_create("crc_fused");
    TCase *tc = tcase_create("crc_fused");
    tcase_add_test(tc, test_crc_combine_matches_whole);
    tcase_add_test(tc, test_crc_encoder_content_checksum);
    suite_add_tcase(s, tc);
    return s;
}
