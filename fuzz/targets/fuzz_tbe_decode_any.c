/* SPDX-License-Identifier: Apache-2.0 */
/* Decode any bytes as a TCA-TBE stream: never crash, hang or leak; a rejection is a FORMAT error
 * (spec 7.1); an accepted stream decodes to its declared shape and re-encodes, with the same
 * window and checksum flag, to the identical bytes (the encoding is canonical: spec 4.4, V22). */
#include <stdlib.h>
#include <string.h>
#include "fuzz_util.h"
#include "tca/tca.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tca_tbe_view v;
    tca_status st = tca_tbe_stream_parse(data, size, &v);
    if (st != TCA_OK) {
        FUZZ_ASSERT_MSG(tca_status_is_format_error(st), "parse returned %s", tca_status_name(st));
        return 0;
    }
    uint64_t n = v.hdr.rows * v.hdr.cols; /* parse checked the limits, and size bounds them */
    if (n > (1u << 22)) return 0;          /* keep memory bounded; the size check made it real */
    uint16_t *out = malloc(n * sizeof *out);
    FUZZ_ASSERT(out);
    st = tca_tbe_decode(&v, out, n);
    if (st != TCA_OK) {
        FUZZ_ASSERT_MSG(tca_status_is_format_error(st), "decode returned %s", tca_status_name(st));
        free(out);
        return 0;
    }
    tca_tbe_encode_options opt;
    tca_tbe_encode_options_default(&opt);
    opt.window_start = v.hdr.base + 1;
    opt.content_checksum = v.hdr.has_content_checksum;
    tca_tbe_matrix *m = NULL;
    FUZZ_ASSERT(tca_tbe_encode(out, v.hdr.rows, v.hdr.cols, &opt, NULL, &m) == TCA_OK);
    uint8_t *again = malloc(size);
    size_t written = 0;
    FUZZ_ASSERT(again);
    FUZZ_ASSERT(tca_tbe_stream_write(&m->view, again, size, &written) == TCA_OK);
    /* Format_Version_Minor is not checked by decoders (spec 3.2): compare against the input with
     * minor 0 and its header checksum recomputed. */
    uint8_t *expect = malloc(size);
    FUZZ_ASSERT(expect);
    memcpy(expect, data, size);
    expect[5] = 0;
    uint32_t hcrc = tca_crc32c(expect, 60);
    for (int i = 0; i < 4; i++) expect[60 + i] = (uint8_t)(hcrc >> (8 * i));
    FUZZ_ASSERT(written == size && memcmp(again, expect, size) == 0);
    free(expect);
    tca_tbe_matrix_free(m);
    free(again);
    free(out);
    return 0;
}
