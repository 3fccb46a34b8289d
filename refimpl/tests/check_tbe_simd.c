/* SPDX-License-Identifier: Apache-2.0 */
/* The SIMD kernels (src/tbe/simd_x86.c) against the portable ones. Exponent histograms equal a
 * plain count on either path. Median-tile kernels: for the same matrix, the serialised streams
 * are byte for byte identical, each decoder decodes each stream back to the input bits, and
 * validation (popcnt or portable median counts) accepts both. The matrices make every 8-bit in-window
 * row mask occur at every row of a small tile (the kernels' tables are indexed by it), plus
 * Gaussian weights, all 65536 patterns and ragged shapes. Where the SIMD kernels do not exist
 * (another CPU or compiler), the portable path is compared with itself, and the test says so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tbe/tbe_internal.h"
#include "tca/tca.h"
#include "test_util.h"

/* Serialised stream of w under window w0 (0 = chosen by the encoder), with SIMD allowed or not. */
static uint8_t *encode_stream(const uint16_t *w, uint64_t M, uint64_t K, int w0, int simd, size_t *len)
{
    tca__tbe_simd_allow(simd ? 2 : 0);
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    o.window_start = w0;
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, M, K, &o, NULL, &m), TCA_OK);
    size_t cap = (size_t)tca_tbe_stream_bound(M, K);
    uint8_t *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    tca_ck_assert_status(tca_tbe_stream_write(&m->view, s, cap, len), TCA_OK);
    tca_tbe_matrix_free(m);
    tca__tbe_simd_allow(2);
    /* an exact-size copy, so that ASan sees any look-ahead past the stream's end */
    uint8_t *exact = malloc(*len);
    memcpy(exact, s, *len);
    free(s);
    return exact;
}

/* Decode a stream with SIMD allowed or not and compare with w bit for bit. */
static void decode_and_compare(const uint8_t *s, size_t len, const uint16_t *w, uint64_t M, uint64_t K, int simd)
{
    tca__tbe_simd_allow(simd ? 2 : 0);
    uint16_t *d = malloc(M * K * 2);
    memset(d, 0xA5, M * K * 2);
    tca_status st = tca_tbe_decode_stream(s, len, d, M * K);
    tca__tbe_simd_allow(2);
    tca_ck_assert_status(st, TCA_OK);
    if (memcmp(d, w, M * K * 2) != 0) /* the element loop only to name the first difference */
        for (uint64_t i = 0; i < M * K; i++)
            ck_assert_msg(d[i] == w[i], "%llux%llu simd=%d element %llu: got 0x%04x, expected 0x%04x",
                          (unsigned long long)M, (unsigned long long)K, simd, (unsigned long long)i, d[i], w[i]);
    ck_assert(memcmp(d, w, M * K * 2) == 0);
    free(d);
}

static void compare_paths(const uint16_t *w, uint64_t M, uint64_t K, int w0)
{
    size_t n_simd = 0, n_port = 0;
    uint8_t *s_simd = encode_stream(w, M, K, w0, 1, &n_simd);
    uint8_t *s_port = encode_stream(w, M, K, w0, 0, &n_port);
    ck_assert_uint_eq(n_simd, n_port);
    if (memcmp(s_simd, s_port, n_port) != 0) /* the byte loop only to name the first difference */
        for (size_t i = 0; i < n_port; i++)
            ck_assert_msg(s_simd[i] == s_port[i], "%llux%llu w0=%d: stream byte %zu: SIMD 0x%02x, portable 0x%02x",
                          (unsigned long long)M, (unsigned long long)K, w0, i, s_simd[i], s_port[i]);
    ck_assert(memcmp(s_simd, s_port, n_port) == 0);
    for (int simd = 0; simd < 2; simd++) decode_and_compare(s_port, n_port, w, M, K, simd);
    free(s_simd);
    free(s_port);
}

/* A value with exponent e and random sign and mantissa. */
static uint16_t with_exponent(tca_prng *r, unsigned e)
{
    return (uint16_t)((tca_prng_u32(r) & 0x807Fu) | (e << 7));
}

/* Row r of each 8-column block b gets the in-window mask (r + 37 b) mod 256 under window
 * [w0, w0 + 6]: every mask at every row of a small tile, in both rows of a pair. Fallback values
 * have exponents outside the window (0, 255: zeros, subnormals, Inf, NaN included). */
static uint16_t *mask_matrix(tca_prng *r, uint64_t M, uint64_t K, unsigned w0)
{
    uint16_t *w = malloc(M * K * 2);
    for (uint64_t i = 0; i < M; i++)
        for (uint64_t j = 0; j < K; j++) {
            unsigned mask = (unsigned)((i + 37 * (j / 8)) & 0xFFu);
            unsigned e;
            if ((mask >> (j % 8)) & 1u) {
                e = w0 + tca_prng_below(r, 7);
            } else {
                do e = tca_prng_below(r, 256);
                while (e >= w0 && e <= w0 + 6);
            }
            w[i * K + j] = with_exponent(r, e);
        }
    return w;
}

START_TEST(test_tbe_simd_available_where_expected)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (__builtin_cpu_supports("ssse3") && __builtin_cpu_supports("popcnt")) {
        ck_assert_ptr_nonnull(tca__tbe_encode_median_simd());
        ck_assert_ptr_nonnull(tca__tbe_decode_median_simd());
        ck_assert_ptr_nonnull(tca__tbe_count_exponents_simd());
        ck_assert_ptr_nonnull(tca__tbe_median_counts_simd());
        /* level 1 stops at SSSE3: the AVX2 histogram (where present) is replaced, not removed */
        tca__tbe_count_exponents_fn level2 = tca__tbe_count_exponents_simd();
        tca__tbe_simd_allow(1);
        ck_assert_ptr_nonnull(tca__tbe_count_exponents_simd());
        if (__builtin_cpu_supports("avx2")) ck_assert_ptr_ne((void *)level2, (void *)tca__tbe_count_exponents_simd());
        tca__tbe_simd_allow(2);
    } else {
        fprintf(stderr, "check_tbe_simd: no SSSE3/POPCNT: comparing the portable path with itself\n");
    }
#else
    fprintf(stderr, "check_tbe_simd: no SIMD kernels on this platform: comparing the portable path with itself\n");
#endif
    tca__tbe_simd_allow(0);
    ck_assert_ptr_null(tca__tbe_encode_median_simd());
    ck_assert_ptr_null(tca__tbe_decode_median_simd());
    ck_assert_ptr_null(tca__tbe_count_exponents_simd());
    ck_assert_ptr_null(tca__tbe_median_counts_simd());
    tca__tbe_simd_allow(2);
}
END_TEST

START_TEST(test_tbe_simd_every_mask)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 0x51D);
    static const uint64_t shapes[][2] = {{256, 64}, {512, 128}, {300, 200}, {64, 72}, {1, 1}, {7, 9}, {65, 63}};
    static const unsigned windows[] = {1, 100, 249};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (size_t k = 0; k < 3; k++) {
            uint64_t M = shapes[s][0], K = shapes[s][1];
            uint16_t *w = mask_matrix(&r, M, K, windows[k]);
            compare_paths(w, M, K, (int)windows[k]);
            compare_paths(w, M, K, 0);
            free(w);
        }
}
END_TEST

START_TEST(test_tbe_simd_gaussian_and_patterns)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 0x6A55);
    uint64_t M = 192, K = tca_test_count(320, 1024);
    uint16_t *w = malloc(M * K * 2);
    for (uint64_t i = 0; i < M * K; i++) w[i] = tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));
    compare_paths(w, M, K, 0);
    free(w);
    /* all 65536 patterns, in order and shuffled, under the chosen window and two forced ones */
    uint16_t *p = malloc(65536 * 2);
    for (uint32_t i = 0; i < 65536; i++) p[i] = (uint16_t)i;
    compare_paths(p, 256, 256, 0);
    for (uint32_t i = 65535; i > 0; i--) {
        uint32_t j = (uint32_t)tca_prng_below(&r, i + 1);
        uint16_t t = p[i];
        p[i] = p[j];
        p[j] = t;
    }
    compare_paths(p, 256, 256, 0);
    compare_paths(p, 128, 512, 1);
    compare_paths(p, 512, 128, 249);
    free(p);
}
END_TEST

/* tca_tbe_exponent_histogram with SIMD allowed and not, against a plain count. */
static void compare_histograms(const uint16_t *w, uint64_t M, uint64_t K)
{
    uint64_t want[256] = {0}, got[256];
    for (uint64_t i = 0; i < M * K; i++) want[(w[i] >> 7) & 0xFFu]++;
    for (int level = 0; level <= 2; level++) { /* portable, SSSE3, AVX2 where the CPU has them */
        tca__tbe_simd_allow(level);
        tca_tbe_exponent_histogram(w, M, K, got);
        tca__tbe_simd_allow(2);
        for (unsigned e = 0; e < 256; e++)
            ck_assert_msg(got[e] == want[e], "%llux%llu level %d exponent %u: got %llu, expected %llu",
                          (unsigned long long)M, (unsigned long long)K, level, e, (unsigned long long)got[e],
                          (unsigned long long)want[e]);
    }
}

START_TEST(test_tbe_simd_histogram)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 0x4157);
    uint64_t n = 300000;
    uint16_t *w = malloc(n * 2);
    /* Gaussian: the counting-range path, several 255-block rounds, every length tail */
    for (uint64_t i = 0; i < n; i++) w[i] = tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));
    static const uint64_t lens[] = {1, 15, 16, 17, 4095, 4096, 4097, 4080, 4096 + 4080 + 5, 300000};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) compare_histograms(w, 1, lens[k]);
    /* a narrow sample followed by every exponent: many elements outside the counting range,
     * including both range boundaries */
    for (uint64_t i = 8192; i < n; i++) w[i] = with_exponent(&r, (unsigned)tca_prng_below(&r, 256));
    compare_histograms(w, 1000, 300);
    /* one exponent only, and exponents 0 / 255 at the ends of the byte range */
    for (unsigned e = 0; e < 256; e += 255) {
        for (uint64_t i = 0; i < n; i++) w[i] = with_exponent(&r, tca_prng_below(&r, 8) ? e : e ^ 1u);
        compare_histograms(w, 300, 1000);
    }
    /* a wide sample: the element-by-element path */
    for (uint64_t i = 0; i < n; i++) w[i] = (uint16_t)tca_prng_u32(&r);
    compare_histograms(w, 600, 500);
    free(w);
}
END_TEST

Suite *tca_tbe_simd_suite(void);
Suite *tca_tbe_simd_suite(void)
{
    Suite *s = suite_create("tbe_simd");
    TCase *tc = tcase_create("simd");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_tbe_simd_available_where_expected);
    tcase_add_test(tc, test_tbe_simd_every_mask);
    tcase_add_test(tc, test_tbe_simd_gaussian_and_patterns);
    tcase_add_test(tc, test_tbe_simd_histogram);
    suite_add_tcase(s, tc);
    return s;
}
