/* SPDX-License-Identifier: Apache-2.0 */
/* TCA-TBE layout F (spec/tca-tbe-format.md section 8): the same window, base and codes as layout
 * v1, with every element's sign-mantissa byte at a fixed position in mma A-fragment order and only
 * the exponent byte of each fallback element in a small per-strip exception stream.
 *
 * A layout F encoding is a header plus three arrays (spec 8.2):
 *   Strips             4G records of 1408 bytes (one per 16 x 64 strip = v1 median tile):
 *                      Codes (384 B, spec 8.3) then SignMantissa (1024 B, spec 8.4)
 *   Exceptions         the exponent bytes of the fallback elements, per strip lane-major, each
 *                      strip's slice zero-padded to a multiple of 16 bytes (spec 8.5)
 *   Exception_Offsets  4G + 1 u64: start of each strip's slice, Exception_Offsets[4G] = length
 *                      (spec 8.6)
 * The v1 <-> F transcoder is lossless and linear-time in both directions (spec 8.9). */
#ifndef TCA_TBE_F_H
#define TCA_TBE_F_H
#include <stddef.h>
#include <stdint.h>
#include "tca/alloc.h"
#include "tca/status.h"
#include "tca/tbe.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TCA_TBE_F_STRIP_BYTES 1408u     /* spec 8.2: one strip record */
#define TCA_TBE_F_CODES_BYTES 384u      /* spec 8.3: 3 slices x 32 lanes x u32 */
#define TCA_TBE_F_SM_BYTES 1024u        /* spec 8.4: one byte per element */
#define TCA_TBE_F_EXC_ALIGN 16u         /* spec 8.5: each strip's exception slice */
#define TCA_TBE_F_VERSION_MINOR 1u      /* spec 3.2, Appendix A: layout F streams are 1.1 */

/** Header fields of a layout F stream (spec 8.1), as host integers. */
typedef struct tca_tbe_f_header {
    uint64_t rows, cols;        /* logical shape M x K, each 1..2^32 (spec 3.5) */
    uint8_t base;               /* base exponent = w0 - 1, 0..248 (spec 3.6) */
    uint32_t max_exceptions;    /* Max_Exceptions: max over strips of the padded slice length */
    uint64_t exception_len;     /* Exception_Length: bytes of Exceptions = Exception_Offsets[4G] */
    int has_content_checksum;   /* Flags bit 0 */
    uint32_t content_checksum;  /* CRC-32C of Strips, Exceptions, Exception_Offsets in order */
} tca_tbe_f_header;

/** Read-only view of a layout F encoding (pointers not owned, any alignment). */
typedef struct tca_tbe_f_view {
    tca_tbe_f_header hdr;
    const uint8_t *strips;            /* 4G x 1408 bytes */
    const uint8_t *exceptions;        /* exception_len bytes */
    const uint8_t *exception_offsets; /* (4G + 1) x u64 */
} tca_tbe_f_view;

/** Array sizes for a header (overflow-checked, header rules checked). */
typedef struct tca_tbe_f_sizes {
    size_t strips, exceptions, offsets;
    size_t stream_total; /* 64 + strips + exceptions + offsets (+ 4) (spec 8.7) */
} tca_tbe_f_sizes;
tca_status tca_tbe_f_sizes_of(const tca_tbe_f_header *h, tca_tbe_f_sizes *out);

/** An encoded layout F matrix owning its arrays. */
typedef struct tca_tbe_f_matrix {
    tca_tbe_f_view view;
    void *storage;
    const tca_allocator *alloc;
} tca_tbe_f_matrix;

/** Encode a dense row-major BF16 matrix in layout F. opt may be NULL; opt->layout is ignored,
 *  opt->window_start and opt->content_checksum apply as for v1 (spec 4.5).
 *  @return TCA_OK, TCA_ERROR_PARAM_* or TCA_ERROR_ALLOC (*out untouched). */
tca_status tca_tbe_f_encode(const uint16_t *w, uint64_t rows, uint64_t cols, const tca_tbe_encode_options *opt,
                            const tca_allocator *alloc, tca_tbe_f_matrix **out);
void tca_tbe_f_matrix_free(tca_tbe_f_matrix *m);

/** Validate every field of a view (spec 8.8): header rules, exception offsets zero-based, equal to
 *  the counts derived from the codes, minimal zero padding, padding elements +0, maxima, length,
 *  content checksum. @return TCA_OK or the FORMAT code of the first violated rule. */
tca_status tca_tbe_f_validate(const tca_tbe_f_view *v);
/** Validate, then decode into dst (row-major rows x cols). Nothing is written on error. */
tca_status tca_tbe_f_decode(const tca_tbe_f_view *v, uint16_t *dst, uint64_t dst_elems);

/* ------------------------------------------------------------------------- stream (spec 8.1, 8.7) */

/** Upper bound of the layout F stream size for any rows x cols matrix (0 for an invalid shape). */
uint64_t tca_tbe_f_stream_bound(uint64_t rows, uint64_t cols);
/** Parse and check the 64-byte header of a layout F stream (spec 8.8 F1-F10). */
tca_status tca_tbe_f_stream_header(const uint8_t *src, size_t size, tca_tbe_f_header *out);
/** Header, exact size, then point the view into src (no section validation). */
tca_status tca_tbe_f_stream_parse(const uint8_t *src, size_t size, tca_tbe_f_view *out);
/** Serialise a view as a stream (Format_Version_Minor = 1). */
tca_status tca_tbe_f_stream_write(const tca_tbe_f_view *v, uint8_t *dst, size_t capacity, size_t *written);
/** parse + validate + decode. */
tca_status tca_tbe_f_decode_stream(const uint8_t *src, size_t size, uint16_t *dst, uint64_t dst_elems);

/* ------------------------------------------------------------------ transcoder (spec 8.9) */

/** v1 -> F. Validates the v1 view completely first (spec 7.1); the result decodes to the same
 *  matrix, with the same base, codes and Content_Checksum_Flag. */
tca_status tca_tbe_f_from_v1(const tca_tbe_view *v1, const tca_allocator *alloc, tca_tbe_f_matrix **out);
/** F -> v1. Validates the F view completely first (spec 8.8). */
tca_status tca_tbe_f_to_v1(const tca_tbe_f_view *f, const tca_allocator *alloc, tca_tbe_matrix **out);

/* --------------------------------------------------------- either layout (dispatch on spec 3.3) */

/** The Layout byte of a stream after the checks that precede it (spec 7.1 V1-V4: size, magic,
 *  major version, header checksum); then TCA_ERROR_FORMAT_LAYOUT for a value other than 0 or 1. */
tca_status tca_tbe_any_stream_layout(const uint8_t *src, size_t size, tca_layout *out);
/** Parse, validate and decode a stream of either layout. */
tca_status tca_tbe_any_decode_stream(const uint8_t *src, size_t size, uint16_t *dst, uint64_t dst_elems);
/** Shape of a stream of either layout from its header (header rules checked). */
tca_status tca_tbe_any_stream_shape(const uint8_t *src, size_t size, uint64_t *rows, uint64_t *cols);
/** Transcode a whole stream of either layout into `target`, validating it first. The output
 *  (allocated with alloc; free with tca_free) is a complete stream; a stream already in the
 *  target layout is validated and copied with its Content_Checksum_Flag. */
tca_status tca_tbe_transcode_stream(const uint8_t *src, size_t size, tca_layout target, const tca_allocator *alloc,
                                    uint8_t **out, size_t *out_size);

#ifdef __cplusplus
}
#endif
#endif
