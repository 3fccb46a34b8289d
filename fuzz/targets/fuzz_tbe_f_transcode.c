/* SPDX-License-Identifier: Apache-2.0 */
/* Differential v1 <-> F transcoding (spec 8.9) on any bytes. A stream of either layout that one
 * decoder accepts transcodes to the other layout; the result validates, decodes to the same
 * matrix, and transcodes back to the input byte for byte (minor version aside). A stream that is
 * rejected is rejected by the transcoder with the same code, and nothing is output. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_util.h"
#include "tca/tca.h"
#include "tca/tbe_f.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tca_layout layout;
    if (tca_tbe_any_stream_layout(data, size, &layout) != TCA_OK) return 0;
    uint64_t rows = 0, cols = 0;
    if (tca_tbe_any_stream_shape(data, size, &rows, &cols) != TCA_OK) return 0;
    uint64_t n = rows * cols;
    if (n > (1u << 22)) return 0;
    uint16_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    FUZZ_ASSERT(a && b);
    tca_status st = tca_tbe_any_decode_stream(data, size, a, n);
    tca_layout other = layout == TCA_LAYOUT_F ? TCA_LAYOUT_V1 : TCA_LAYOUT_F;
    uint8_t *t = NULL, *back = NULL;
    size_t nt = 0, nb = 0;
    tca_status ts = tca_tbe_transcode_stream(data, size, other, NULL, &t, &nt);
    FUZZ_ASSERT_MSG(ts == st, "decode %s, transcode %s", tca_status_name(st), tca_status_name(ts));
    if (st != TCA_OK) {
        FUZZ_ASSERT(t == NULL);
        free(a);
        free(b);
        return 0;
    }
    FUZZ_ASSERT(tca_tbe_any_decode_stream(t, nt, b, n) == TCA_OK);
    FUZZ_ASSERT(memcmp(a, b, n * sizeof *a) == 0);
    FUZZ_ASSERT(tca_tbe_transcode_stream(t, nt, layout, NULL, &back, &nb) == TCA_OK);
    FUZZ_ASSERT(nb == size && memcmp(back, data, 5) == 0 && memcmp(back + 6, data + 6, 54) == 0 &&
                memcmp(back + 64, data + 64, size - 64) == 0);
    free(t);
    free(back);
    free(a);
    free(b);
    return 0;
}
