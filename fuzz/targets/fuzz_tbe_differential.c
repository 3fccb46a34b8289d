/* SPDX-License-Identifier: Apache-2.0 */
/* Differential: the fast decoder (refimpl/src/tbe) and the educational decoder (refimpl/src/edu),
 * two independent implementations of spec 7, must agree on any bytes: same accept/reject, the
 * same error code (both check the rules in spec 7.1 order), and the same decoded bits. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_util.h"
#include "tca/edu.h"
#include "tca/tca.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tca_tbe_header h;
    uint64_t n = 1;
    if (tca_tbe_stream_header(data, size, &h) == TCA_OK) {
        n = h.rows * h.cols;
        if (n > (1u << 22)) return 0; /* bounded memory */
    }
    uint16_t *fast = malloc(n * sizeof *fast), *edu = malloc(n * sizeof *edu);
    FUZZ_ASSERT(fast && edu);
    memset(fast, 0x11, n * sizeof *fast);
    memset(edu, 0x22, n * sizeof *edu);
    tca_status sf = tca_tbe_decode_stream(data, size, fast, n);
    tca_status se = tca_edu_decode_stream(data, size, edu, n);
    FUZZ_ASSERT_MSG(sf == se, "fast %s, educational %s", tca_status_name(sf), tca_status_name(se));
    if (sf == TCA_OK) FUZZ_ASSERT(memcmp(fast, edu, n * sizeof *fast) == 0);
    free(fast);
    free(edu);
    return 0;
}
