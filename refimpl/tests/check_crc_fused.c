/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32C of pieces joined with tca__crc32c_combine equals the CRC of the whole (random data,
 * random splits, empty pieces), and the TBE encoder's Content_Checksum, which it computes per
 * section in batches of global tiles while encoding, equals the CRC-32C of the serialised
 * stream's section bytes (spec 6.9) for tile counts around the batch size. The decoder, which
 * checks the Content_Checksum while decoding, reports a corrupted value byte as
 * ERROR_FORMAT_CONTENT_CHECKSUM (before V22, spec 7.1 order) and leaves no decoded matrix. */
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

/* Encode, serialise, flip one bit of byte `at` (modulo the section's length) of SignMantissa
 * (section 0) or Full (1), and decode: the decoder reports what tca_tbe_validate reports, and
 * after a checksum failure dst holds zeros. Counts the checksum failures. */
static void corrupt_and_decode(const uint16_t *w, uint64_t M, uint64_t K, int section, uint64_t at,
                               int *checksum_cases)
{
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, M, K, NULL, NULL, &m), TCA_OK);
    tca_tbe_sizes sz;
    tca_ck_assert_status(tca_tbe_sizes_of(&m->view.hdr, &sz), TCA_OK);
    size_t cap = (size_t)tca_tbe_stream_bound(M, K), len = 0;
    uint8_t *st = malloc(cap);
    tca_ck_assert_status(tca_tbe_stream_write(&m->view, st, cap, &len), TCA_OK);
    size_t sm_off = 64 + 3 * sz.bitmap + sz.tom + sz.tog, full_off = sm_off + sz.sign_mantissa;
    size_t off = section == 0 ? sm_off + (size_t)(at % sz.sign_mantissa) : full_off + (size_t)(at % sz.full);
    st[off] ^= section == 0 ? 0x01 : 0x40; /* a mantissa bit / an exponent bit of a Full value */
    /* the flip may hit a padding byte or padding element (spec 6.4, 5.1): then the structural
     * error comes first, from the decoder as from tca_tbe_validate */
    tca_tbe_view v;
    tca_ck_assert_status(tca_tbe_stream_parse(st, len, &v), TCA_OK);
    tca_status want = tca_tbe_validate(&v);
    ck_assert(want == TCA_ERROR_FORMAT_CONTENT_CHECKSUM || want == TCA_ERROR_FORMAT_PADDING ||
              want == TCA_ERROR_FORMAT_PAD_ELEMENT);
    uint16_t *d = malloc(M * K * 2);
    memset(d, 0xA5, M * K * 2);
    tca_ck_assert_status(tca_tbe_decode_stream(st, len, d, M * K), want);
    if (want == TCA_ERROR_FORMAT_CONTENT_CHECKSUM) {
        uint64_t nonzero = 0;
        for (uint64_t i = 0; i < M * K; i++) nonzero += d[i] != 0;
        ck_assert_msg(nonzero == 0, "%llu elements left non-zero", (unsigned long long)nonzero);
        (*checksum_cases)++;
    }
    /* the same with a destination too small: still the format error (checked before the size) */
    tca_ck_assert_status(tca_tbe_decode_stream(st, len, d, M * K - 1), want);
    free(d);
    free(st);
    tca_tbe_matrix_free(m);
}

START_TEST(test_crc_decoder_rejects_corrupted_values)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 0xBAD);
    static const uint64_t shapes[][2] = {{64, 64}, {25 * 64, 64}, {300, 500}};
    int cases = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        uint64_t M = shapes[s][0], K = shapes[s][1];
        uint16_t *w = malloc(M * K * 2);
        for (uint64_t i = 0; i < M * K; i++) w[i] = tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));
        for (int t = 0; t < 4; t++) {
            corrupt_and_decode(w, M, K, 0, tca_prng_u64(&r), &cases); /* SignMantissa */
            corrupt_and_decode(w, M, K, 1, tca_prng_u64(&r), &cases); /* Full: may also break V22 */
        }
        free(w);
    }
    ck_assert_int_ge(cases, 12); /* most flips hit values, not padding */
}
END_TEST

Suite *tca_crc_fused_suite(void);
Suite *tca_crc_fused_suite(void)
{
    Suite *s = suite_create("crc_fused");
    TCase *tc = tcase_create("crc_fused");
    tcase_add_test(tc, test_crc_combine_matches_whole);
    tcase_add_test(tc, test_crc_encoder_content_checksum);
    tcase_add_test(tc, test_crc_decoder_rejects_corrupted_values);
    suite_add_tcase(s, tc);
    return s;
}
