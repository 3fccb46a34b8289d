/* SPDX-License-Identifier: Apache-2.0 */
/* The standalone stream (spec 3, 6.8): header bytes at the offsets of docs/architecture.md
 * section 4, the size formula, the bound, shape limits (spec 3.5), parameter errors, and the
 * statistics. Expected values are written out by hand from those tables. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "test_util.h"

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* The hand-counted 64 x 128 matrix of check_tbe_layout (base 120, lengths 1056 / 7168, maxima
 * 1040 / 4096). */
static uint16_t *hand_matrix(void)
{
    uint16_t *w = calloc(64 * 128, 2);
    for (int r = 0; r < 16; r++)
        for (int c = 0; c < 64; c++) w[128 * r + c] = 0xBF81;
    for (int i = 0; i < 5; i++) w[128 * (32 + i) + 3 * i] = 0xBF81;
    w[128 * 5 + 64 + 7] = 0xBF81;
    return w;
}

START_TEST(test_tbe_stream_header_bytes)
{
    uint16_t *w = hand_matrix();
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, 64, 128, NULL, NULL, &m), TCA_OK);
    /* size: 64 + 3 * (8 * 128) + 8 * 8 + 16 * 3 + 1056 + 2 * 7168 + 4 = 18644 */
    size_t cap = 20000, n = 0;
    uint8_t *s = malloc(cap);
    tca_ck_assert_status(tca_tbe_stream_write(&m->view, s, cap, &n), TCA_OK);
    ck_assert_uint_eq(n, 18644);
    static const uint8_t magic[4] = {0x89, 0x54, 0x43, 0x41};
    ck_assert_mem_eq(s, magic, 4);
    ck_assert_uint_eq(s[4], 1);    /* major */
    ck_assert_uint_eq(s[5], 0);    /* minor */
    ck_assert_uint_eq(s[6], 0);    /* layout v1 */
    ck_assert_uint_eq(s[7], 1);    /* Content_Checksum_Flag */
    ck_assert_uint_eq(le64(s + 8), 64);
    ck_assert_uint_eq(le64(s + 16), 128);
    ck_assert_uint_eq(s[24], 120); /* base */
    ck_assert_uint_eq(s[25] | s[26] | s[27], 0);
    ck_assert_uint_eq(le32(s + 28), 1040);
    ck_assert_uint_eq(le32(s + 32), 4096);
    ck_assert_uint_eq(le32(s + 36), 0);
    ck_assert_uint_eq(le64(s + 40), 1056);
    ck_assert_uint_eq(le64(s + 48), 7168);
    ck_assert_uint_eq(le32(s + 56), 0);
    tca_ck_assert_bits32(le32(s + 60), tca_crc32c(s, 60));
    tca_ck_assert_bits32(le32(s + n - 4), tca_crc32c(s + 64, n - 68)); /* spec 6.9 */
    /* section order (spec 6.8): B1 at 64, B2 at 64 + 1024, ..., TOM at 64 + 3072, TOG after it */
    ck_assert_uint_eq(le64(s + 64), ~0ull);          /* B1 word 0: code 7 everywhere */
    ck_assert_uint_eq(le32(s + 64 + 3072 + 8), 1024); /* TOM[1].hf */
    ck_assert_uint_eq(le64(s + 64 + 3072 + 64 + 16), 1040); /* TOG[1].hf */
    ck_assert_uint_eq(s[64 + 3072 + 64 + 48], 0x81);  /* first SignMantissa byte */
    /* parse gives back the same header and arrays */
    tca_tbe_view v;
    tca_ck_assert_status(tca_tbe_stream_parse(s, n, &v), TCA_OK);
    ck_assert_uint_eq(v.hdr.rows, 64);
    ck_assert_uint_eq(v.hdr.cols, 128);
    ck_assert_uint_eq(v.hdr.base, 120);
    ck_assert_int_eq(v.hdr.has_content_checksum, 1);
    ck_assert_ptr_eq(v.sign_mantissa, s + 64 + 3072 + 64 + 48);
    tca_ck_assert_status(tca_tbe_validate(&v), TCA_OK);
    /* without the checksum: flag clear, 4 bytes shorter */
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    o.content_checksum = 0;
    tca_tbe_matrix *m2 = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, 64, 128, &o, NULL, &m2), TCA_OK);
    size_t n2 = 0;
    tca_ck_assert_status(tca_tbe_stream_write(&m2->view, s, cap, &n2), TCA_OK);
    ck_assert_uint_eq(n2, 18640);
    ck_assert_uint_eq(s[7], 0);
    uint16_t *d = malloc(64 * 128 * 2);
    tca_ck_assert_status(tca_tbe_decode_stream(s, n2, d, 64 * 128), TCA_OK);
    ck_assert_mem_eq(d, w, 64 * 128 * 2);
    /* capacity one short */
    tca_ck_assert_status(tca_tbe_stream_write(&m2->view, s, n2 - 1, &n2), TCA_ERROR_PARAM_DST_TOO_SMALL);
    tca_tbe_matrix_free(m);
    tca_tbe_matrix_free(m2);
    free(d);
    free(s);
    free(w);
}
END_TEST

/* spec 3.5: Rows, Cols in 1..2^32, padded product <= 2^44. */
START_TEST(test_tbe_stream_geometry_limits)
{
    tca_tbe_geometry g;
    const uint64_t two32 = 1ull << 32;
    tca_ck_assert_status(tca_tbe_geometry_of(0, 5, &g), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_tbe_geometry_of(5, 0, &g), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_tbe_geometry_of(two32 + 1, 1, &g), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_tbe_geometry_of(1, two32 + 1, &g), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_tbe_geometry_of(two32, 4096, &g), TCA_OK); /* exactly 2^44 */
    ck_assert_uint_eq(g.n_global, (two32 / 64) * 64);
    tca_ck_assert_status(tca_tbe_geometry_of(two32, 4097, &g), TCA_ERROR_PARAM_SHAPE); /* 2^32 * 4160 */
    tca_ck_assert_status(tca_tbe_geometry_of(UINT64_MAX, UINT64_MAX, &g), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_tbe_geometry_of(65, 129, &g), TCA_OK);
    ck_assert_uint_eq(g.rows_padded, 128);
    ck_assert_uint_eq(g.cols_padded, 192);
    ck_assert_uint_eq(g.global_rows, 2);
    ck_assert_uint_eq(g.global_cols, 3);
    ck_assert_uint_eq(g.n_global, 6);
    ck_assert_uint_eq(g.n_median, 24);
    ck_assert_uint_eq(g.n_small, 384);
    ck_assert_uint_eq(tca_tbe_stream_bound(0, 1), 0);
    /* bound: per tile 24*64 + 32 + 16 + (16 + 8192), plus 64 + 16 + 4 */
    ck_assert_uint_eq(tca_tbe_stream_bound(64, 64), 64 + 1536 + 32 + 16 + 16 + 8208 + 4);
}
END_TEST

/* The bound is reached: every global tile holding exactly one in-window element pads its
 * SignMantissa to 16 bytes and its 4095 Full elements to 4096. */
START_TEST(test_tbe_stream_bound_is_tight)
{
    uint64_t M = 128, K = 192;
    uint16_t *w = calloc(M * K, 2);
    for (uint64_t gm = 0; gm < 2; gm++)
        for (uint64_t gk = 0; gk < 3; gk++) w[(64 * gm + 3) * K + 64 * gk + 5] = 0x3F80;
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, M, K, NULL, NULL, &m), TCA_OK);
    tca_tbe_sizes sz;
    tca_ck_assert_status(tca_tbe_sizes_of(&m->view.hdr, &sz), TCA_OK);
    ck_assert_uint_eq(sz.stream_total, tca_tbe_stream_bound(M, K));
    ck_assert_uint_eq(m->view.hdr.sign_mantissa_len, 6 * 16);
    ck_assert_uint_eq(m->view.hdr.full_len, 6 * 4096);
    tca_tbe_matrix_free(m);
    free(w);
}
END_TEST

START_TEST(test_tbe_stream_param_errors)
{
    uint16_t w[4] = {0x3F80, 0, 0, 0};
    tca_tbe_matrix *m = (tca_tbe_matrix *)&w; /* must stay untouched */
    tca_tbe_matrix *const sentinel = m;
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    tca_ck_assert_status(tca_tbe_encode(NULL, 2, 2, NULL, NULL, &m), TCA_ERROR_PARAM_NULL);
    tca_ck_assert_status(tca_tbe_encode(w, 2, 2, NULL, NULL, NULL), TCA_ERROR_PARAM_NULL);
    tca_ck_assert_status(tca_tbe_encode(w, 0, 2, NULL, NULL, &m), TCA_ERROR_PARAM_SHAPE);
    tca_ck_assert_status(tca_tbe_encode(w, 2, (1ull << 32) + 1, NULL, NULL, &m), TCA_ERROR_PARAM_SHAPE);
    o.window_start = 250;
    tca_ck_assert_status(tca_tbe_encode(w, 2, 2, &o, NULL, &m), TCA_ERROR_PARAM_WINDOW);
    o.window_start = -1;
    tca_ck_assert_status(tca_tbe_encode(w, 2, 2, &o, NULL, &m), TCA_ERROR_PARAM_WINDOW);
    o.window_start = 0;
    o.layout = TCA_LAYOUT_F; /* spec 8 not implemented by this encoder */
    tca_ck_assert_status(tca_tbe_encode(w, 2, 2, &o, NULL, &m), TCA_ERROR_PARAM_LAYOUT);
    ck_assert_ptr_eq(m, sentinel);
    tca_ck_assert_status(tca_tbe_encode(w, 2, 2, NULL, NULL, &m), TCA_OK);
    uint16_t d[4];
    tca_ck_assert_status(tca_tbe_decode(&m->view, d, 3), TCA_ERROR_PARAM_DST_TOO_SMALL);
    tca_ck_assert_status(tca_tbe_decode(&m->view, NULL, 4), TCA_ERROR_PARAM_NULL);
    tca_ck_assert_status(tca_tbe_decode(NULL, d, 4), TCA_ERROR_PARAM_NULL);
    tca_ck_assert_status(tca_tbe_validate(NULL), TCA_ERROR_PARAM_NULL);
    tca_tbe_view v = m->view;
    v.tog = NULL;
    tca_ck_assert_status(tca_tbe_validate(&v), TCA_ERROR_PARAM_NULL);
    tca_ck_assert_status(tca_tbe_decode_tile_rows(&m->view, 0, 2, d, 4), TCA_ERROR_PARAM_INVALID);
    tca_ck_assert_status(tca_tbe_decode_tile_rows(&m->view, 0, 1, d, 4), TCA_OK);
    tca_ck_assert_bits16(d[0], 0x3F80);
    tca_ck_assert_bits16(d[3], 0);
    tca_ck_assert_status(tca_tbe_stream_header(NULL, 64, &v.hdr), TCA_ERROR_PARAM_NULL);
    tca_tbe_matrix_free(m);
    tca_tbe_matrix_free(NULL); /* accepts NULL */
}
END_TEST

/* Statistics of the hand-counted matrix: 8192 elements, 1030 in-window (exponent 127), 7162
 * zeros; encoded bytes 3 * 1024 + 64 + 48 + 1056 + 2 * 7168 = 18576. */
START_TEST(test_tbe_stream_stats)
{
    uint16_t *w = hand_matrix();
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, 64, 128, NULL, NULL, &m), TCA_OK);
    tca_tbe_stats a, b;
    tca_ck_assert_status(tca_tbe_stats_of(&m->view, NULL, &a), TCA_OK);
    tca_ck_assert_status(tca_tbe_stats_of(&m->view, w, &b), TCA_OK);
    ck_assert_uint_eq(a.elements, 8192);
    ck_assert_uint_eq(a.in_window, 1030);
    ck_assert_uint_eq(a.encoded_bytes, 18576);
    ck_assert(a.bits_per_weight == 8.0 * 18576 / 8192);
    double p = 1030.0 / 8192, q = 7162.0 / 8192;
    double h = 8.0 - p * log2(p) - q * log2(q);
    ck_assert(fabs(a.exponent_entropy_bits - h) < 1e-12);
    ck_assert_uint_eq(b.in_window, a.in_window);
    ck_assert(fabs(b.exponent_entropy_bits - h) < 1e-12);
    /* ragged: the padding elements are not counted as elements */
    uint16_t one = 0x3F80;
    tca_tbe_matrix *m1 = NULL;
    tca_ck_assert_status(tca_tbe_encode(&one, 1, 1, NULL, NULL, &m1), TCA_OK);
    tca_ck_assert_status(tca_tbe_stats_of(&m1->view, NULL, &a), TCA_OK);
    ck_assert_uint_eq(a.elements, 1);
    ck_assert_uint_eq(a.in_window, 1);
    ck_assert(a.exponent_entropy_bits == 8.0);
    tca_tbe_matrix_free(m1);
    tca_tbe_matrix_free(m);
    free(w);
}
END_TEST

Suite *tca_tbe_stream_suite(void);
Suite *tca_tbe_stream_suite(void)
{
    Suite *s = suite_create("tbe_stream");
    TCase *tc = tcase_create("stream");
    tcase_add_test(tc, test_tbe_stream_header_bytes);
    tcase_add_test(tc, test_tbe_stream_geometry_limits);
    tcase_add_test(tc, test_tbe_stream_bound_is_tight);
    tcase_add_test(tc, test_tbe_stream_param_errors);
    tcase_add_test(tc, test_tbe_stream_stats);
    suite_add_tcase(s, tc);
    return s;
}
