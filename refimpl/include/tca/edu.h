/* SPDX-License-Identifier: Apache-2.0 */
/* The educational decoder: a second, independent implementation of spec/tca-tbe-format.md,
 * written for clarity in spec order (spec 3, 6.8, 7.1, 7.2), not for speed. It shares no code with
 * refimpl/src/tbe/ (only the tca_tbe_view struct and the constants of tbe.h), so the two
 * decoders check each other. Also home of the generator of the spec's worked examples (spec 10). */
#ifndef TCA_EDU_H
#define TCA_EDU_H
#include <stddef.h>
#include <stdint.h>
#include "tca/status.h"
#include "tca/tbe.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Parse, validate (every rule V1..V22 of spec 7.1, in the spec's order) and decode a whole
 *  TCA-TBE stream into dst (row-major Rows x Cols).
 *  @return TCA_OK; the TCA_ERROR_FORMAT_* code of the first violated rule of spec 7.1 (dst
 *          untouched); TCA_ERROR_PARAM_NULL; or TCA_ERROR_PARAM_DST_TOO_SMALL when the stream is
 *          valid but dst_elems < Rows * Cols. */
tca_status tca_edu_decode_stream(const uint8_t *src, size_t size, uint16_t *dst, uint64_t dst_elems);

/** Validate only (spec 7.1, V1..V22); same codes as tca_edu_decode_stream. */
tca_status tca_edu_validate_stream(const uint8_t *src, size_t size);

/** Validate (spec 7.1: V5, V7..V10 on the header fields, then V13..V22; the array sizes are the
 *  caller's business) and decode a view whose arrays are given separately.
 *  @return as tca_edu_decode_stream; TCA_ERROR_FORMAT_LIMIT if an array is larger than size_t. */
tca_status tca_edu_decode_view(const tca_tbe_view *v, uint16_t *dst, uint64_t dst_elems);

/** Validate a view only (see tca_edu_decode_view). */
tca_status tca_edu_validate_view(const tca_tbe_view *v);

/** How one element was found (spec 7.2, random access), for the worked examples and tests. */
typedef struct tca_edu_trace {
    uint64_t g;          /* global tile */
    unsigned med;        /* median tile within g, 0..3 */
    unsigned j;          /* small tile within the median tile, 0..15 */
    uint64_t t;          /* small tile index = 64g + 16med + j */
    unsigned p;          /* position in the small tile, 8 * (r % 8) + c % 8 */
    uint64_t ind;        /* IND word of small tile t */
    unsigned below;      /* popc(IND & ((1 << p) - 1)): in-window elements before p */
    unsigned code;       /* 0..7 */
    uint64_t hf_start;   /* SignMantissa index of small tile t's first byte */
    uint64_t full_start; /* Full index of small tile t's first element */
    uint64_t index;      /* SignMantissa index (code != 0) or Full index (code == 0) used */
    uint16_t value;      /* the decoded pattern */
} tca_edu_trace;

/** Decode the element at (r, c) of the PADDED matrix (r < ceil64(Rows), c < ceil64(Cols)) of a
 *  view by the random-access formula of spec 7.2, filling *trace (may be NULL).
 *  The view MUST have passed tca_edu_validate_view: no bounds are checked here beyond r, c
 *  (TCA_ERROR_PARAM_INVALID). */
tca_status tca_edu_decode_element(const tca_tbe_view *v, uint64_t r, uint64_t c, tca_edu_trace *trace);

/* ------------------------------------------------------------ worked examples (spec 10) */

/** Names of the generated examples, in spec order, NULL-terminated ("tile", "matrix"). */
extern const char *const tca_edu_example_names[];

/** Markdown text of one worked example, exactly as embedded in spec/tca-tbe-format.md between
 *  `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->` and stored as
 *  spec/examples/<name>.md. Produced with the library encoder (tca_tbe_encode) and traced with
 *  the educational decoder. *out is malloc'd (free()).
 *  @return TCA_OK, TCA_ERROR_PARAM_INVALID (unknown name), TCA_ERROR_ALLOC, or the failing
 *          status of the encoder or decoder. */
tca_status tca_edu_example_markdown(const char *name, char **out);

#ifdef __cplusplus
}
#endif
#endif
