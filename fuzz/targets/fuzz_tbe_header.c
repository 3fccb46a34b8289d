/* SPDX-License-Identifier: Apache-2.0 */
/* The header-only parser (tca_tbe_stream_header) agrees with the full decoder on every header
 * rule (spec 3): if it rejects, the full path rejects with the same code; if it accepts, the full
 * path never fails with a header-rule code. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_util.h"
#include "tca/tca.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
static void check(const uint8_t *data, size_t size);

static int is_header_rule(tca_status s)
{
    switch (s) {
    case TCA_ERROR_FORMAT_MAGIC: case TCA_ERROR_FORMAT_VERSION: case TCA_ERROR_FORMAT_RESERVED:
    case TCA_ERROR_FORMAT_HEADER_CHECKSUM: case TCA_ERROR_FORMAT_LAYOUT: case TCA_ERROR_FORMAT_SHAPE:
    case TCA_ERROR_FORMAT_BASE_RANGE:
        return 1;
    default:
        return 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* With the last byte odd, the header checksum is recomputed on a copy, so that mutations reach
     * the rules after V4 instead of stopping at the checksum. */
    if (size >= 65 && (data[size - 1] & 1)) {
        uint8_t *copy = malloc(size - 1);
        FUZZ_ASSERT(copy);
        memcpy(copy, data, size - 1);
        uint32_t crc = tca_crc32c(copy, 60);
        for (int i = 0; i < 4; i++) copy[60 + i] = (uint8_t)(crc >> (8 * i));
        check(copy, size - 1);
        free(copy);
        return 0;
    }
    check(data, size);
    return 0;
}

static void check(const uint8_t *data, size_t size)
{
    tca_tbe_header h;
    tca_status hs = tca_tbe_stream_header(data, size, &h);
    tca_tbe_view v;
    tca_status ps = tca_tbe_stream_parse(data, size, &v);
    if (hs != TCA_OK) {
        FUZZ_ASSERT_MSG(ps == hs, "header %s, parse %s", tca_status_name(hs), tca_status_name(ps));
        return;
    }
    FUZZ_ASSERT_MSG(!is_header_rule(ps), "header accepted, parse %s", tca_status_name(ps));
    if (ps == TCA_OK) {
        FUZZ_ASSERT(v.hdr.rows == h.rows && v.hdr.cols == h.cols && v.hdr.base == h.base);
        FUZZ_ASSERT(v.hdr.sign_mantissa_len == h.sign_mantissa_len && v.hdr.full_len == h.full_len);
    }
}
