/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation failure in the encoder (the only allocating function of the format core): make
 * allocation i fail for i = 0, 1, 2, ... until encoding succeeds; every failure returns
 * TCA_ERROR_ALLOC, leaves the output untouched and leaks nothing. */
#include <stdlib.h>
#include "tca/tca.h"
#include "test_util.h"

static void alloc_loop(uint64_t M, uint64_t K)
{
    uint16_t *w = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    for (uint64_t i = 0; i < M * K; i++) w[i] = tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));
    long fail_at = 0;
    for (;; fail_at++) {
        ck_assert_int_lt(fail_at, 100);
        tca_test_allocator a;
        tca_test_allocator_init(&a, fail_at);
        tca_tbe_matrix *sentinel = (tca_tbe_matrix *)&a, *m = sentinel;
        tca_status st = tca_tbe_encode(w, M, K, NULL, &a.base, &m);
        if (st == TCA_OK) {
            ck_assert_int_gt(a.live, 0);
            uint16_t *d = malloc(M * K * 2);
            tca_ck_assert_status(tca_tbe_decode(&m->view, d, M * K), TCA_OK);
            ck_assert_mem_eq(d, w, (size_t)(M * K * 2));
            free(d);
            tca_tbe_matrix_free(m);
            ck_assert_int_eq(a.live, 0);
            break;
        }
        tca_ck_assert_status(st, TCA_ERROR_ALLOC);
        ck_assert_ptr_eq(m, sentinel);
        ck_assert_int_eq(a.live, 0);
        ck_assert_int_eq(a.calls, fail_at + 1); /* stopped at the failing allocation */
    }
    ck_assert_int_ge(fail_at, 1); /* at least one allocation point was exercised */
    free(w);
}

START_TEST(test_tbe_alloc_encode_failures)
{
    alloc_loop(64, 64);
    alloc_loop(1, 1);
    alloc_loop(130, 70);
}
END_TEST

Suite *tca_tbe_alloc_suite(void);
Suite *tca_tbe_alloc_suite(void)
{
    Suite *s = suite_create("tbe_alloc");
    TCase *tc = tcase_create("alloc");
    tcase_add_test(tc, test_tbe_alloc_encode_failures);
    suite_add_tcase(s, tc);
    return s;
}
