/* SPDX-License-Identifier: Apache-2.0 */
/* Window selection (spec 4.5): the exponent histogram and the max-coverage window start
 * w0 in 1..249 with the lowest w0 on ties. Expected values come from brute force written in this
 * file (sum of the 7 bins for every w0) and from hand-derived cases. */
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "test_util.h"

/* Brute force: coverage of every w0 in 1..249, first maximum wins. */
static unsigned brute_window(const uint64_t hist[256], uint64_t *covered)
{
    unsigned best_w0 = 0;
    uint64_t best = 0;
    for (unsigned w0 = 1; w0 <= 249; w0++) {
        uint64_t cov = 0;
        for (unsigned e = w0; e <= w0 + 6; e++) cov += hist[e];
        if (best_w0 == 0 || cov > best) {
            best = cov;
            best_w0 = w0;
        }
    }
    *covered = best;
    return best_w0;
}

static void check_select(const uint64_t hist[256])
{
    uint64_t want_cov, got_cov = 12345;
    unsigned want = brute_window(hist, &want_cov);
    ck_assert_uint_eq(tca_tbe_select_window(hist, &got_cov), want);
    ck_assert_uint_eq(got_cov, want_cov);
    ck_assert_uint_eq(tca_tbe_select_window(hist, NULL), want);
}

START_TEST(test_tbe_window_hand_cases)
{
    uint64_t h[256], cov;
    memset(h, 0, sizeof h);
    ck_assert_uint_eq(tca_tbe_select_window(h, &cov), 1); /* all ties: lowest w0 */
    ck_assert_uint_eq(cov, 0);
    h[0] = 1000000; /* exponent 0 can never be in-window (w0 >= 1, defect D1) */
    h[1] = 1;
    ck_assert_uint_eq(tca_tbe_select_window(h, &cov), 1);
    ck_assert_uint_eq(cov, 1);
    memset(h, 0, sizeof h);
    h[255] = 5; /* exponent 255 only with w0 = 249 */
    h[10] = 4;
    ck_assert_uint_eq(tca_tbe_select_window(h, &cov), 249);
    ck_assert_uint_eq(cov, 5);
    memset(h, 0, sizeof h);
    h[100] = 7; /* two equal modes 30 apart: the lower wins, at the lowest w0 holding it */
    h[130] = 7;
    ck_assert_uint_eq(tca_tbe_select_window(h, &cov), 94);
    memset(h, 0, sizeof h);
    h[120] = 10; /* 10 + 10 in 114..120 ... 120..126: the span 120..126 holds both ends */
    h[126] = 10;
    h[113] = 15;
    ck_assert_uint_eq(tca_tbe_select_window(h, &cov), 120);
    ck_assert_uint_eq(cov, 20);
    /* the reference's D2 cliff: a huge zero bin never pulls the window down */
    memset(h, 0, sizeof h);
    h[0] = 1u << 30;
    for (unsigned e = 116; e <= 122; e++) h[e] = 100;
    h[115] = 99;
    ck_assert_uint_eq(tca_tbe_select_window(h, &cov), 116);
    ck_assert_uint_eq(cov, 700);
}
END_TEST

START_TEST(test_tbe_window_random_histograms)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    uint64_t n = tca_test_count(2000, 100000);
    uint64_t h[256];
    for (uint64_t i = 0; i < n; i++) {
        unsigned kind = (unsigned)tca_prng_below(&r, 4);
        for (unsigned e = 0; e < 256; e++) {
            switch (kind) {
            case 0: h[e] = tca_prng_below(&r, 4); break;                     /* many ties */
            case 1: h[e] = tca_prng_below(&r, 8) == 0 ? tca_prng_u64(&r) >> 9 : 0; break; /* sparse, huge */
            case 2: h[e] = tca_prng_below(&r, 1000); break;
            default: h[e] = 0; break;
            }
        }
        if (kind == 3) /* a few equal spikes */
            for (int k = 0; k < 3; k++) h[tca_prng_below(&r, 256)] = 50;
        check_select(h);
    }
}
END_TEST

/* Histogram of matrices against a plain loop; the encoder's base against brute force. */
START_TEST(test_tbe_window_matrices)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 7);
    uint64_t n = tca_test_count(20, 300);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t M = 1 + tca_prng_below(&r, 100), K = 1 + tca_prng_below(&r, 100);
        uint16_t *w = malloc(M * K * 2);
        double sigma = (double)(1u << tca_prng_below(&r, 20)) * 1e-4;
        unsigned special = (unsigned)tca_prng_below(&r, 60);
        for (uint64_t k = 0; k < M * K; k++)
            w[k] = tca_prng_below(&r, 100) < special ? (uint16_t)tca_prng_u32(&r)
                                                     : tca_bf16_from_double_rne(sigma * tca_prng_normal(&r));
        uint64_t want[256], got[256], cov;
        memset(want, 0, sizeof want);
        for (uint64_t k = 0; k < M * K; k++) want[(w[k] >> 7) & 0xFF]++;
        tca_tbe_exponent_histogram(w, M, K, got);
        ck_assert_mem_eq(got, want, sizeof want);
        unsigned w0 = brute_window(want, &cov);
        tca_tbe_matrix *m = NULL;
        tca_ck_assert_status(tca_tbe_encode(w, M, K, NULL, NULL, &m), TCA_OK);
        ck_assert_uint_eq(m->view.hdr.base, w0 - 1);
        tca_tbe_stats st;
        tca_ck_assert_status(tca_tbe_stats_of(&m->view, NULL, &st), TCA_OK);
        ck_assert_uint_eq(st.in_window, cov);
        tca_tbe_matrix_free(m);
        free(w);
    }
}
END_TEST

Suite *tca_tbe_window_suite(void);
Suite *tca_tbe_window_suite(void)
{
    Suite *s = suite_create("tbe_window");
    TCase *tc = tcase_create("window");
    tcase_add_test(tc, test_tbe_window_hand_cases);
    tcase_add_test(tc, test_tbe_window_random_histograms);
    tcase_add_test(tc, test_tbe_window_matrices);
    suite_add_tcase(s, tc);
    return s;
}
