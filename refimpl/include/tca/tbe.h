/* SPDX-License-Identifier: Apache-2.0 */
/* TCA-TBE: encoder, decoder, validation and the standalone stream (spec/tca-tbe-format.md).
 *
 * A matrix W is rows x cols BF16 (row-major uint16_t bit patterns, M = rows, K = cols). Its
 * encoding is a header plus arrays. Every multi-byte array element is little-endian and arrays
 * may sit at any alignment, so one read-only view type serves both the standalone stream
 * (sections of one buffer) and the safetensors container (one tensor per array). */
#ifndef TCA_TBE_H
#define TCA_TBE_H
#include <stddef.h>
#include <stdint.h>
#include "tca/alloc.h"
#include "tca/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TCA_TBE_GLOBAL_TILE 64 /* spec 5: 64 x 64 global tile */
#define TCA_TBE_MEDIAN_ROWS 16 /* spec 5: 16 x 64 median tile */
#define TCA_TBE_SMALL_TILE 8   /* spec 5: 8 x 8 small tile */
#define TCA_TBE_HEADER_SIZE 64 /* spec 3: stream header bytes */
#define TCA_TBE_BASE_MAX 248   /* spec 3.6 */
#define TCA_TBE_DIM_MAX (1ull << 32)          /* spec 3.5: Rows, Cols <= 2^32 */
#define TCA_TBE_ELEMS_MAX (1ull << 44)        /* spec 3.5: padded Rows*Cols <= 2^44 */

typedef enum tca_layout {
    TCA_LAYOUT_V1 = 0, /* spec 6: the ZipServ-compatible layout */
    TCA_LAYOUT_F = 1   /* spec 8: fixed-position layout (same bits, same size) */
} tca_layout;

/** Everything the 64-byte stream header carries (spec 3), as host integers. */
typedef struct tca_tbe_header {
    tca_layout layout;
    uint64_t rows, cols;             /* logical shape M x K, each 1..2^32 */
    uint8_t base;                    /* base exponent = w0 - 1, 0..248 (spec 3.6, 4.1) */
    uint32_t max_sign_mantissa;      /* max over global tiles of padded SignMantissa count */
    uint32_t max_full;               /* max over global tiles of padded Full count */
    uint64_t sign_mantissa_len;      /* total SignMantissa bytes = TOG[G].hf */
    uint64_t full_len;               /* total Full elements = TOG[G].full */
    int has_content_checksum;        /* Flags bit 0 */
    uint32_t content_checksum;       /* CRC-32C over all sections in order (spec 6.9) */
} tca_tbe_header;

/** Geometry derived from the logical shape (spec 5.1). */
typedef struct tca_tbe_geometry {
    uint64_t rows_padded, cols_padded; /* rounded up to multiples of 64 */
    uint64_t global_rows, global_cols; /* rows_padded/64, cols_padded/64 */
    uint64_t n_global;                 /* G = global_rows * global_cols */
    uint64_t n_median;                 /* 4G */
    uint64_t n_small;                  /* T = 64G small tiles = words per bitmap plane */
} tca_tbe_geometry;

/** Compute the geometry; TCA_ERROR_PARAM_SHAPE if rows or cols is 0 or a limit of spec 3.5 is
 *  exceeded. */
tca_status tca_tbe_geometry_of(uint64_t rows, uint64_t cols, tca_tbe_geometry *out);

/** Read-only view of a layout-v1 encoding (spec 6). Pointers are not owned. */
typedef struct tca_tbe_view {
    tca_tbe_header hdr;
    const uint8_t *bitmap[3];     /* planes B1, B2, B3: n_small x u64 each (spec 6.1) */
    const uint8_t *tom;           /* n_median x (u32 hf, u32 full) (spec 6.5) */
    const uint8_t *tog;           /* (n_global + 1) x (u64 hf, u64 full) (spec 6.6) */
    const uint8_t *sign_mantissa; /* sign_mantissa_len bytes (spec 6.2) */
    const uint8_t *full;          /* full_len x u16 BF16 patterns (spec 6.3) */
} tca_tbe_view;

/** Byte sizes of the v1 arrays for a header (overflow-checked; TCA_ERROR_FORMAT_LIMIT if a size
 *  does not fit size_t). */
typedef struct tca_tbe_sizes {
    size_t bitmap;        /* each plane */
    size_t tom, tog, sign_mantissa, full;
    size_t stream_total;  /* header + sections + optional content checksum (spec 6.8) */
} tca_tbe_sizes;
tca_status tca_tbe_sizes_of(const tca_tbe_header *h, tca_tbe_sizes *out);

/* ---------------------------------------------------------------- window selection (spec 4.5) */

/** Exponent histogram of the logical elements (sign ignored). hist[256] is overwritten. */
void tca_tbe_exponent_histogram(const uint16_t *w, uint64_t rows, uint64_t cols, uint64_t hist[256]);
/** Max-coverage window start w0 in 1..249 from a histogram, lowest w0 on ties (spec 4.5).
 *  *covered (may be NULL) receives the number of in-window elements. */
unsigned tca_tbe_select_window(const uint64_t hist[256], uint64_t *covered);

/* ---------------------------------------------------------------------------- encoder (spec 4-6) */

typedef struct tca_tbe_encode_options {
    tca_layout layout;   /* TCA_LAYOUT_V1 (F once spec 8 exists) */
    int window_start;    /* 0 = choose by spec 4.5; else w0 in 1..249, forced */
    int content_checksum;/* 1 (default in tca_tbe_encode_options_default) = write Content_Checksum */
} tca_tbe_encode_options;
void tca_tbe_encode_options_default(tca_tbe_encode_options *o);

/** An encoded matrix owning its arrays. view points into storage. */
typedef struct tca_tbe_matrix {
    tca_tbe_view view;
    void *storage;
    const tca_allocator *alloc;
} tca_tbe_matrix;

/** Encode a dense row-major BF16 matrix. opt may be NULL (defaults), alloc may be NULL (malloc).
 *  @return TCA_OK and *out set (free with tca_tbe_matrix_free), or TCA_ERROR_PARAM_* /
 *          TCA_ERROR_ALLOC with *out untouched. */
tca_status tca_tbe_encode(const uint16_t *w, uint64_t rows, uint64_t cols, const tca_tbe_encode_options *opt,
                          const tca_allocator *alloc, tca_tbe_matrix **out);
void tca_tbe_matrix_free(tca_tbe_matrix *m);

/* ---------------------------------------------------------------------------- decoder (spec 7) */

/** Validate every field of a view against spec 7.1 (offsets, counts, maxima, padding, pad
 *  elements, base range, content checksum when present), in the rule order of spec 7.1, so the
 *  code returned is that of the first violated rule. Layout must be TCA_LAYOUT_V1 (layout F has
 *  its own functions, tca/tbe_f.h). The arrays must have the sizes tca_tbe_sizes_of gives; they
 *  may be separate buffers at any alignment. Linear in the size: popcounts of the planes, the
 *  offset tables, the padding bytes, the edge tiles, then the CRC when the flag is set.
 *  @return TCA_OK, TCA_ERROR_PARAM_NULL, or the TCA_ERROR_FORMAT_* code of the first violated
 *          rule. */
tca_status tca_tbe_validate(const tca_tbe_view *v);
/** Validate, then decode into dst (row-major rows x cols, dst_elems >= rows*cols).
 *  @return TCA_OK, a FORMAT error (dst unspecified), or TCA_ERROR_PARAM_DST_TOO_SMALL. */
tca_status tca_tbe_decode(const tca_tbe_view *v, uint16_t *dst, uint64_t dst_elems);
/** Decode only global-tile rows [tile_row_begin, tile_row_end) (matrix rows 64*begin .. up to
 *  64*end, clipped to M) of a view that has ALREADY passed tca_tbe_validate; dst is the whole
 *  rows x cols matrix. For multi-threaded decoding: threads call it on disjoint ranges.
 *  @return TCA_OK, TCA_ERROR_PARAM_INVALID (bad range) or TCA_ERROR_PARAM_DST_TOO_SMALL. */
tca_status tca_tbe_decode_tile_rows(const tca_tbe_view *v, uint64_t tile_row_begin, uint64_t tile_row_end,
                                    uint16_t *dst, uint64_t dst_elems);

/* ----------------------------------------------------------------- standalone stream (spec 3, 6.8) */

/** Upper bound of the stream size for any rows x cols matrix, with the Content_Checksum. It is
 *  reached (it is not the all-fallback size): a global tile holding exactly one in-window element
 *  pads SignMantissa to 16 bytes and its 4095 Full elements to 4096. 0 if the shape is invalid. */
uint64_t tca_tbe_stream_bound(uint64_t rows, uint64_t cols);
/** Parse and check the 64-byte header only: magic, version, layout, reserved fields, shape limits,
 *  base range, header checksum (spec 3). Needs size >= 64; does not look at the sections. */
tca_status tca_tbe_stream_header(const uint8_t *src, size_t size, tca_tbe_header *out);
/** Parse a whole stream: header, then exact size (TRUNCATED / TRAILING), then point the view's
 *  arrays into src. Does not run tca_tbe_validate. */
tca_status tca_tbe_stream_parse(const uint8_t *src, size_t size, tca_tbe_view *out);
/** Serialise a view as a stream. *written receives the size on success. */
tca_status tca_tbe_stream_write(const tca_tbe_view *v, uint8_t *dst, size_t capacity, size_t *written);
/** parse + validate + decode. */
tca_status tca_tbe_decode_stream(const uint8_t *src, size_t size, uint16_t *dst, uint64_t dst_elems);

/* ------------------------------------------------------------------------------ statistics */

/** Statistics of an encoding (for `tca info`, docs and tests). */
typedef struct tca_tbe_stats {
    uint64_t elements;          /* rows * cols (logical) */
    uint64_t in_window;         /* logical elements with code 1..7 */
    uint64_t encoded_bytes;     /* all arrays, offset tables included, header excluded */
    double bits_per_weight;     /* 8 * encoded_bytes / elements */
    double exponent_entropy_bits; /* 8 + H(exponent) over logical elements: the bound for any
                                     coder that keeps sign and mantissa raw */
} tca_tbe_stats;
tca_status tca_tbe_stats_of(const tca_tbe_view *v, const uint16_t *decoded_or_null, tca_tbe_stats *out);

#ifdef __cplusplus
}
#endif
#endif
