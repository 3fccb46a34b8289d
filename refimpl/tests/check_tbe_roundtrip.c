/* SPDX-License-Identifier: Apache-2.0 */
/* TCA-TBE round trips: decode(encode(W)) == W bit for bit, for edge distributions and ragged
 * shapes, through both the view and the serialised stream; and determinism. The expected value
 * is the input itself. */
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "test_util.h"

/* A copy of the view with every array in its own exact-size allocation, as the safetensors
 * container hands them over: under ASan any read past an array is caught. */
typedef struct separate {
    tca_tbe_view v;
    uint8_t *arr[7];
} separate;

static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
    uint8_t *q = malloc(n ? n : 1);
    if (n) memcpy(q, p, n);
    return q;
}

static void separate_make(const tca_tbe_view *src, separate *s)
{
    tca_tbe_sizes sz;
    tca_ck_assert_status(tca_tbe_sizes_of(&src->hdr, &sz), TCA_OK);
    s->v.hdr = src->hdr;
    for (int k = 0; k < 3; k++) s->v.bitmap[k] = s->arr[k] = dup_exact(src->bitmap[k], sz.bitmap);
    s->v.tom = s->arr[3] = dup_exact(src->tom, sz.tom);
    s->v.tog = s->arr[4] = dup_exact(src->tog, sz.tog);
    s->v.sign_mantissa = s->arr[5] = dup_exact(src->sign_mantissa, sz.sign_mantissa);
    s->v.full = s->arr[6] = dup_exact(src->full, sz.full);
}

static void separate_free(separate *s)
{
    for (int k = 0; k < 7; k++) free(s->arr[k]);
}

/* Encode (window chosen or forced), check the decode of the view, of separately allocated arrays
 * and of the stream against w; return the base used. */
static unsigned roundtrip(const uint16_t *w, uint64_t M, uint64_t K, int w0)
{
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    o.window_start = w0;
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, M, K, &o, NULL, &m), TCA_OK);
    tca_ck_assert_status(tca_tbe_validate(&m->view), TCA_OK);
    uint16_t *d = malloc(M * K * 2);
    memset(d, 0xA5, M * K * 2);
    tca_ck_assert_status(tca_tbe_decode(&m->view, d, M * K), TCA_OK);
    for (uint64_t i = 0; i < M * K; i++)
        ck_assert_msg(d[i] == w[i], "%llux%llu element %llu: got 0x%04x, expected 0x%04x", (unsigned long long)M,
                      (unsigned long long)K, (unsigned long long)i, d[i], w[i]);
    /* arrays in separate exact-size allocations */
    separate sep;
    separate_make(&m->view, &sep);
    memset(d, 0xA5, M * K * 2);
    tca_ck_assert_status(tca_tbe_decode(&sep.v, d, M * K), TCA_OK);
    ck_assert_mem_eq(d, w, (size_t)(M * K * 2));
    separate_free(&sep);
    /* through the stream */
    tca_tbe_sizes sz;
    tca_ck_assert_status(tca_tbe_sizes_of(&m->view.hdr, &sz), TCA_OK);
    ck_assert_uint_le(sz.stream_total, tca_tbe_stream_bound(M, K));
    uint8_t *s = malloc(sz.stream_total);
    size_t written = 0;
    tca_ck_assert_status(tca_tbe_stream_write(&m->view, s, sz.stream_total, &written), TCA_OK);
    ck_assert_uint_eq(written, sz.stream_total);
    memset(d, 0x5A, M * K * 2);
    tca_ck_assert_status(tca_tbe_decode_stream(s, written, d, M * K), TCA_OK);
    ck_assert_mem_eq(d, w, (size_t)(M * K * 2));
    unsigned base = m->view.hdr.base;
    free(s);
    free(d);
    tca_tbe_matrix_free(m);
    return base;
}

static uint16_t gauss(tca_prng *r, double sigma) { return tca_bf16_from_double_rne(sigma * tca_prng_normal(r)); }

/* Every BF16 pattern once, in one 256 x 256 matrix, with the chosen window and with windows
 * pressed to both ends. */
START_TEST(test_tbe_roundtrip_all_patterns)
{
    uint16_t *w = malloc(65536 * 2);
    for (uint32_t i = 0; i < 65536; i++) w[i] = (uint16_t)i;
    roundtrip(w, 256, 256, 0);
    roundtrip(w, 256, 256, 1);
    roundtrip(w, 256, 256, 249); /* exponent 255 (Inf, NaN) in-window */
    roundtrip(w, 256, 256, 121);
    roundtrip(w, 1, 65536, 0);
    roundtrip(w, 65536, 1, 0);
    free(w);
}
END_TEST

/* Every pattern at every position class: small-tile position p (64), small tile j in the
 * median tile (16) and median tile (4) all take every pattern, by rotating the pattern list
 * over a 64 x 1024 matrix (65536 elements) in 4 shifts. */
START_TEST(test_tbe_roundtrip_patterns_per_position)
{
    uint16_t *w = malloc(65536 * 2);
    static const uint32_t shifts[] = {0, 1, 4097, 32771};
    for (size_t s = 0; s < 4; s++) {
        for (uint32_t i = 0; i < 65536; i++) w[i] = (uint16_t)(i * 40503u + shifts[s]); /* odd: bijective */
        roundtrip(w, 64, 1024, 0);
        roundtrip(w, 64, 1024, 249);
    }
    free(w);
}
END_TEST

/* Every pattern at every position p of a small tile (spec 5.3) and at many small-tile places:
 * in the 64 x 1024 matrix of shift k, the element at position p of small tile q (row-major
 * numbering of the 8 x 8 blocks) holds the pattern ((q + 37k) mod 1024) << 6 | ((p + k) mod 64),
 * a bijection of the 65536 patterns for each k; over k = 0..63 each pattern visits all 64 p. */
START_TEST(test_tbe_roundtrip_patterns_every_position)
{
    uint16_t *w = malloc(65536 * 2);
    uint64_t shifts = tca_test_count(64, 64);
    for (uint64_t k = 0; k < shifts; k++) {
        for (uint32_t r = 0; r < 64; r++)
            for (uint32_t c = 0; c < 1024; c++) {
                uint32_t q = (r / 8) * 128 + c / 8, pos = 8 * (r % 8) + c % 8;
                w[r * 1024 + c] = (uint16_t)((((q + 37u * (uint32_t)k) % 1024u) << 6) | ((pos + (uint32_t)k) % 64u));
            }
        roundtrip(w, 64, 1024, 0);
        if (tca_test_expensive()) { /* windows at the middle and at the top end too */
            roundtrip(w, 64, 1024, 121);
            roundtrip(w, 64, 1024, 249);
        }
    }
    free(w);
}
END_TEST

/* Special values: +-0, NaN payloads, +-Inf, subnormals, smallest/largest normals. */
START_TEST(test_tbe_roundtrip_specials)
{
    static const uint16_t specials[] = {
        0x0000, /* +0 */
        0x8000, /* -0 */
        0x7F80, /* +Inf */
        0xFF80, /* -Inf */
        0x7FC0, /* quiet NaN */
        0xFFC1, /* negative quiet NaN with payload */
        0x7F81, /* signalling NaN, smallest payload */
        0x7FFF, /* NaN, all payload bits */
        0x0001, /* smallest positive subnormal */
        0x807F, /* largest negative subnormal magnitude */
        0x0080, /* smallest positive normal */
        0x7F7F, /* largest finite */
        0xFF7F, /* most negative finite */
        0x3F80, /* 1.0 */
    };
    const size_t ns = sizeof specials / sizeof specials[0];
    uint64_t M = 70, K = 90;
    uint16_t *w = malloc(M * K * 2);
    for (uint64_t i = 0; i < M * K; i++) w[i] = specials[i % ns];
    roundtrip(w, M, K, 0);
    roundtrip(w, M, K, 1);
    roundtrip(w, M, K, 249);
    /* each special alone in a Gaussian matrix, and a matrix of only that special */
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    for (size_t s = 0; s < ns; s++) {
        for (uint64_t i = 0; i < M * K; i++) w[i] = (i % 7 == 0) ? specials[s] : gauss(&r, 0.02);
        roundtrip(w, M, K, 0);
        for (uint64_t i = 0; i < M * K; i++) w[i] = specials[s];
        roundtrip(w, M, K, 0);
    }
    free(w);
}
END_TEST

/* Exponents 1..7 and 249..255 (windows at both ends); w0 = 249 must round-trip exponent 255. */
START_TEST(test_tbe_roundtrip_window_extremes)
{
    uint64_t M = 64, K = 128;
    uint16_t *w = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 1);
    for (uint64_t i = 0; i < M * K; i++) {
        unsigned e = 1 + (unsigned)tca_prng_below(&r, 7);
        w[i] = (uint16_t)((tca_prng_below(&r, 2) << 15) | (e << 7) | tca_prng_below(&r, 128));
    }
    ck_assert_uint_eq(roundtrip(w, M, K, 0), 0); /* all in 1..7: w0 = 1, base 0 */
    for (uint64_t i = 0; i < M * K; i++) {
        unsigned e = 249 + (unsigned)tca_prng_below(&r, 7);
        w[i] = (uint16_t)((tca_prng_below(&r, 2) << 15) | (e << 7) | tca_prng_below(&r, 128));
    }
    ck_assert_uint_eq(roundtrip(w, M, K, 0), 248); /* all in 249..255: w0 = 249, base 248 */
    /* exponents uniform in 0..7 (the reference's D1 case): w0 = 1, never 0 */
    for (uint64_t i = 0; i < M * K; i++) {
        unsigned e = (unsigned)tca_prng_below(&r, 8);
        w[i] = (uint16_t)((tca_prng_below(&r, 2) << 15) | (e << 7) | tca_prng_below(&r, 128));
    }
    ck_assert_uint_eq(roundtrip(w, M, K, 0), 0);
    free(w);
}
END_TEST

/* One-exponent matrices (every exponent), all-fallback matrices. */
START_TEST(test_tbe_roundtrip_one_exponent_and_all_fallback)
{
    uint64_t M = 65, K = 67;
    uint16_t *w = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 2);
    for (unsigned e = 0; e < 256; e++) {
        for (uint64_t i = 0; i < M * K; i++)
            w[i] = (uint16_t)((tca_prng_below(&r, 2) << 15) | (e << 7) | tca_prng_below(&r, 128));
        unsigned base = roundtrip(w, M, K, 0);
        /* spec 4.5: lowest w0 whose window holds e; exponent 0 is never covered (all w0 tie,
         * so w0 = 1) */
        unsigned w0 = e == 0 ? 1 : (e >= 7 ? e - 6 : 1);
        ck_assert_uint_eq(base, w0 - 1);
    }
    /* all fallback: exponents 100 and 130 only, window forced away from both */
    for (uint64_t i = 0; i < M * K; i++) w[i] = (uint16_t)(((i & 1) ? 100u : 130u) << 7 | (i & 0x7F));
    roundtrip(w, M, K, 1);
    roundtrip(w, M, K, 249);
    free(w);
}
END_TEST

/* Gaussian weights with 0 / 2 / 3 / 33 / 50 % exact zeros (the D2 cliff): the window stays at
 * the bulk (the reference's table: 116..122 for sigma 0.02, i.e. base 115). */
START_TEST(test_tbe_roundtrip_gaussian_zeros)
{
    static const unsigned zero_pct[] = {0, 2, 3, 33, 50};
    uint64_t M = 256, K = 256;
    uint16_t *w = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 3);
    for (size_t z = 0; z < 5; z++) {
        for (uint64_t i = 0; i < M * K; i++)
            w[i] = tca_prng_below(&r, 100) < zero_pct[z] ? (tca_prng_below(&r, 2) ? 0x8000 : 0) : gauss(&r, 0.02);
        ck_assert_uint_eq(roundtrip(w, M, K, 0), 115);
    }
    free(w);
}
END_TEST

/* Ragged shapes down to 1 x 1, with random mixed content. */
START_TEST(test_tbe_roundtrip_ragged_shapes)
{
    static const uint64_t shapes[][2] = {{1, 1},   {1, 65},  {65, 1},  {63, 63},   {64, 64}, {65, 129},
                                         {130, 70}, {1, 64}, {64, 1},  {127, 129}, {2, 500}, {500, 2}};
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 4);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        uint64_t M = shapes[s][0], K = shapes[s][1];
        uint16_t *w = malloc(M * K * 2);
        for (uint64_t i = 0; i < M * K; i++) w[i] = tca_prng_below(&r, 10) ? gauss(&r, 0.05) : (uint16_t)tca_prng_u32(&r);
        roundtrip(w, M, K, 0);
        free(w);
    }
    uint64_t n = tca_test_count(10, 200);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t M = 1 + tca_prng_below(&r, 200), K = 1 + tca_prng_below(&r, 200);
        uint16_t *w = malloc(M * K * 2);
        for (uint64_t k = 0; k < M * K; k++) w[k] = tca_prng_below(&r, 4) ? gauss(&r, 1.0) : (uint16_t)tca_prng_u32(&r);
        roundtrip(w, M, K, 0);
        free(w);
    }
}
END_TEST

/* The decoder's look-ahead at the end of the SignMantissa array: the last global tile holding
 * in-window values ends its data exactly on a 16-byte boundary (no padding) with mixed rows
 * last, and is followed by all-fallback tiles (empty slices) or nothing. */
START_TEST(test_tbe_roundtrip_stream_end_lookahead)
{
    for (int trailing = 0; trailing < 2; trailing++) {
        uint64_t M = 64, K = trailing ? 192 : 64;
        uint16_t *w = calloc(M * K, 2);
        for (uint64_t r = 0; r < 64; r++)
            for (uint64_t c = 0; c < 64; c++) w[r * K + c] = 0x3F80 | (uint16_t)((r * 64 + c) & 0x7F);
        /* 16 fallbacks: 9 spread early, 7 in the last row (row 63, columns 57..63) of the last
         * small tile in traversal order, leaving lane 0 (column 56) in-window: 4080 bytes */
        for (uint64_t i = 0; i < 9; i++) w[(7 * i) * K + 3 * i] = 0;
        for (uint64_t c = 57; c < 64; c++) w[63 * K + c] = 0;
        tca_tbe_matrix *m = NULL;
        tca_ck_assert_status(tca_tbe_encode(w, M, K, NULL, NULL, &m), TCA_OK);
        ck_assert_uint_eq(m->view.hdr.sign_mantissa_len, 4080);
        tca_tbe_matrix_free(m);
        roundtrip(w, M, K, 0);
        free(w);
    }
}
END_TEST

/* Encoding twice gives identical bytes (stream includes everything). */
START_TEST(test_tbe_roundtrip_deterministic)
{
    uint64_t M = 130, K = 70;
    uint16_t *w = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 5);
    for (uint64_t i = 0; i < M * K; i++) w[i] = tca_prng_below(&r, 20) ? gauss(&r, 0.02) : (uint16_t)tca_prng_u32(&r);
    uint8_t *s[2];
    size_t n[2];
    for (int k = 0; k < 2; k++) {
        tca_tbe_matrix *m = NULL;
        tca_ck_assert_status(tca_tbe_encode(w, M, K, NULL, NULL, &m), TCA_OK);
        size_t cap = (size_t)tca_tbe_stream_bound(M, K);
        s[k] = malloc(cap);
        tca_ck_assert_status(tca_tbe_stream_write(&m->view, s[k], cap, &n[k]), TCA_OK);
        tca_tbe_matrix_free(m);
    }
    ck_assert_uint_eq(n[0], n[1]);
    ck_assert_mem_eq(s[0], s[1], n[0]);
    free(s[0]);
    free(s[1]);
    free(w);
}
END_TEST

Suite *tca_tbe_roundtrip_suite(void);
Suite *tca_tbe_roundtrip_suite(void)
{
    Suite *s = suite_create("tbe_roundtrip");
    TCase *tc = tcase_create("roundtrip");
    tcase_add_test(tc, test_tbe_roundtrip_all_patterns);
    tcase_add_test(tc, test_tbe_roundtrip_patterns_per_position);
    tcase_add_test(tc, test_tbe_roundtrip_patterns_every_position);
    tcase_add_test(tc, test_tbe_roundtrip_specials);
    tcase_add_test(tc, test_tbe_roundtrip_window_extremes);
    tcase_add_test(tc, test_tbe_roundtrip_one_exponent_and_all_fallback);
    tcase_add_test(tc, test_tbe_roundtrip_gaussian_zeros);
    tcase_add_test(tc, test_tbe_roundtrip_ragged_shapes);
    tcase_add_test(tc, test_tbe_roundtrip_stream_end_lookahead);
    tcase_add_test(tc, test_tbe_roundtrip_deterministic);
    suite_add_tcase(s, tc);
    return s;
}
