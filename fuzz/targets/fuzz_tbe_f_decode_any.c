/* SPDX-License-Identifier: Apache-2.0 */
/* Decode any bytes as a layout F stream (spec 8): never crash, hang or leak; a rejection is a
 * FORMAT error (spec 8.8) and the dispatching decoder agrees; an accepted stream decodes to its
 * declared shape, transcodes to v1 and back to the identical bytes (spec 8.9) with the same
 * decoded matrix, is canonical (no fallback element with an exponent in the window, spec 8.5 and
 * F21), and re-encodes with the same window and checksum flag to the identical bytes. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_util.h"
#include "tbe_f/tbe_f_internal.h"
#include "tca/tca.h"
#include "tca/tbe_f.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 if no code-0 element of the validated view has an exponent in the window. */
static int is_canonical(const tca_tbe_f_view *v)
{
    tca_tbe_geometry geo;
    FUZZ_ASSERT(tca_tbe_geometry_of(v->hdr.rows, v->hdr.cols, &geo) == TCA_OK);
    static const uint8_t none[1] = {0};
    uint16_t vals[1024];
    uint8_t codes[1024];
    for (uint64_t s = 0; s < geo.n_median; s++) {
        const uint8_t *exc = (v->exceptions ? v->exceptions : none) + tca__le64(v->exception_offsets + 8 * s);
        tca__f_strip_decode(v->strips + 1408 * s, exc, v->hdr.base, vals, 64, codes);
        for (unsigned k = 0; k < 1024; k++) {
            unsigned e = (vals[k] >> 7) & 0xFFu;
            if (codes[k] == 0 && e >= v->hdr.base + 1u && e <= v->hdr.base + 7u) return 0;
        }
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tca_tbe_f_view v;
    tca_status st = tca_tbe_f_stream_parse(data, size, &v);
    if (st != TCA_OK) {
        FUZZ_ASSERT_MSG(tca_status_is_format_error(st), "parse returned %s", tca_status_name(st));
        return 0;
    }
    uint64_t n = v.hdr.rows * v.hdr.cols;
    if (n > (1u << 22)) return 0;
    uint16_t *out = malloc(n * sizeof *out), *out2 = malloc(n * sizeof *out2);
    FUZZ_ASSERT(out && out2);
    st = tca_tbe_f_decode(&v, out, n);
    FUZZ_ASSERT(tca_tbe_any_decode_stream(data, size, out2, n) == st);
    if (st != TCA_OK) {
        FUZZ_ASSERT_MSG(tca_status_is_format_error(st), "decode returned %s", tca_status_name(st));
        free(out);
        free(out2);
        return 0;
    }
    /* F -> v1 -> F is the identity; v1 decodes to the same matrix */
    uint8_t *v1 = NULL, *back = NULL;
    size_t n1 = 0, nb = 0;
    FUZZ_ASSERT(tca_tbe_transcode_stream(data, size, TCA_LAYOUT_V1, NULL, &v1, &n1) == TCA_OK);
    FUZZ_ASSERT(tca_tbe_decode_stream(v1, n1, out2, n) == TCA_OK);
    FUZZ_ASSERT(memcmp(out, out2, n * sizeof *out) == 0);
    FUZZ_ASSERT(tca_tbe_transcode_stream(v1, n1, TCA_LAYOUT_F, NULL, &back, &nb) == TCA_OK);
    FUZZ_ASSERT(nb == size && memcmp(back, data, size) == 0);
    free(v1);
    free(back);
    FUZZ_ASSERT(is_canonical(&v)); /* spec 8.8 F21 holds for every accepted stream */
    {
        tca_tbe_encode_options opt;
        tca_tbe_encode_options_default(&opt);
        opt.window_start = v.hdr.base + 1;
        opt.content_checksum = v.hdr.has_content_checksum;
        tca_tbe_f_matrix *m = NULL;
        FUZZ_ASSERT(tca_tbe_f_encode(out, v.hdr.rows, v.hdr.cols, &opt, NULL, &m) == TCA_OK);
        uint8_t *again = malloc(size);
        size_t written = 0;
        FUZZ_ASSERT(again);
        FUZZ_ASSERT(tca_tbe_f_stream_write(&m->view, again, size, &written) == TCA_OK);
        /* the minor version is not re-encoded (any minor is accepted, spec 3.2) */
        FUZZ_ASSERT(written == size && memcmp(again, data, 5) == 0 && memcmp(again + 6, data + 6, 54) == 0 &&
                    memcmp(again + 64, data + 64, size - 64) == 0);
        tca_tbe_f_matrix_free(m);
        free(again);
    }
    free(out);
    free(out2);
    return 0;
}
