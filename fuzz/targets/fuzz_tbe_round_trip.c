/* SPDX-License-Identifier: Apache-2.0 */
/* Round trip: any bytes become a BF16 matrix (shape and window taken from the input's tail).
 * Invariants: decode(encode(x)) == x bit for bit (spec 11); encoding twice gives identical bytes;
 * the stream never exceeds tca_tbe_stream_bound; buffers one element or byte too small are
 * refused with TCA_ERROR_PARAM_DST_TOO_SMALL. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_util.h"
#include "tca/tca.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_producer p;
    fuzz_producer_init(&p, data, size);
    uint64_t rows = fuzz_take_range(&p, 1, 140);
    uint64_t cols = fuzz_take_range(&p, 1, 140);
    uint32_t forced = fuzz_take_range(&p, 0, 300); /* > 249: automatic window */
    size_t plen;
    const uint8_t *payload = fuzz_payload(&p, &plen);

    uint64_t n = rows * cols;
    uint16_t *w = malloc(n * sizeof *w);
    uint16_t *back = malloc(n * sizeof *back);
    FUZZ_ASSERT(w && back);
    for (uint64_t i = 0; i < n; i++) /* the payload repeats; an empty payload gives +0 */
        w[i] = plen >= 2 ? (uint16_t)(payload[(2 * i) % (plen & ~(size_t)1)] |
                                      payload[(2 * i + 1) % (plen & ~(size_t)1)] << 8)
                         : 0;

    tca_tbe_encode_options opt;
    tca_tbe_encode_options_default(&opt);
    opt.window_start = (forced >= 1 && forced <= 249) ? (int)forced : 0;
    tca_tbe_matrix *m = NULL, *m2 = NULL;
    FUZZ_ASSERT(tca_tbe_encode(w, rows, cols, &opt, NULL, &m) == TCA_OK);
    FUZZ_ASSERT(tca_tbe_encode(w, rows, cols, &opt, NULL, &m2) == TCA_OK);

    uint64_t bound = tca_tbe_stream_bound(rows, cols);
    uint8_t *s1 = malloc(bound), *s2 = malloc(bound);
    FUZZ_ASSERT(s1 && s2);
    size_t n1 = 0, n2 = 0;
    FUZZ_ASSERT(tca_tbe_stream_write(&m->view, s1, bound, &n1) == TCA_OK);
    FUZZ_ASSERT(tca_tbe_stream_write(&m2->view, s2, bound, &n2) == TCA_OK);
    FUZZ_ASSERT(n1 <= bound);
    FUZZ_ASSERT(n1 == n2 && memcmp(s1, s2, n1) == 0); /* deterministic */
    size_t dummy = 0;
    FUZZ_ASSERT(tca_tbe_stream_write(&m->view, s2, n1 - 1, &dummy) == TCA_ERROR_PARAM_DST_TOO_SMALL);

    FUZZ_ASSERT(tca_tbe_decode(&m->view, back, n) == TCA_OK);
    FUZZ_ASSERT(memcmp(w, back, n * sizeof *w) == 0);
    memset(back, 0xA5, n * sizeof *back);
    FUZZ_ASSERT(tca_tbe_decode_stream(s1, n1, back, n) == TCA_OK);
    FUZZ_ASSERT(memcmp(w, back, n * sizeof *w) == 0);
    FUZZ_ASSERT(tca_tbe_decode_stream(s1, n1, back, n - 1) == TCA_ERROR_PARAM_DST_TOO_SMALL);
    if (opt.window_start) FUZZ_ASSERT(m->view.hdr.base == (uint8_t)(opt.window_start - 1));

    tca_tbe_matrix_free(m);
    tca_tbe_matrix_free(m2);
    free(s1);
    free(s2);
    free(w);
    free(back);
    return 0;
}
